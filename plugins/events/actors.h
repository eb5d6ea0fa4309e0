/*
 * The actor table: names of countries, their people, capitals and cities, leaders, groups and
 * international organisations, each with a CAMEO actor code (SYR, USAGOV, IGOUNO, SYRREB),
 * possibly for a span of dates ("Kerry": USAGOVLEG until 2013-02-01, USAGOV after); and agents,
 * roles that turn a country into an actor ("government" ~GOV, "rebels" ~REB, "police" ~COP).
 * Read from the plugin's actors.tsv and from PETRARCH actor and agent dictionaries.
 */
#ifndef EVENTS_ACTORS_H
#define EVENTS_ACTORS_H

#include "dict.h"

#include <stdint.h>

#define EV_ACTOR_CODE_MAX 24

typedef struct ev_actor_code {
    char code[EV_ACTOR_CODE_MAX]; /* an actor code, or an agent's code without its '~' */
    int32_t from, to;             /* valid dates, YYYYMMDD inclusive (0 and INT32_MAX: open) */
} ev_actor_code;

typedef struct ev_actor {
    uint32_t first, n; /* codes [first, first+n) of ev_actors.codes */
    uint8_t agent;     /* an agent: its code is a role to append to a country's */
} ev_actor;

typedef struct ev_actors {
    ev_dict dict; /* phrase -> index in v */
    ev_actor *v;
    size_t n, cap;
    ev_actor_code *codes;
    size_t ncodes, capcodes;
    /* called with each phrase added (tools that write a table back out); may be NULL */
    int (*on_phrase)(void *ctx, long id, const char *phrase, size_t len);
    void *on_phrase_ctx;
} ev_actors;

void ev_actors_init(ev_actors *a);
void ev_actors_free(ev_actors *a);
/* Read an actor TSV: phrase, code ("USAGOV", or "~GOV" for an agent), dates ("", ">YYYYMMDD",
 * "<YYYYMMDD", "YYYYMMDD-YYYYMMDD"). Consecutive lines of one phrase are one actor with dated
 * codes. On error "FILE:LINE: reason" in err and < 0. */
int ev_actors_load_tsv(ev_actors *a, const char *path, char *err, size_t errlen);
/* Start a new actor (its phrases and codes follow); returns its index or < 0. */
long ev_actors_begin(ev_actors *a, uint8_t agent);
/* Add a phrase for actor `id` (earlier phrases win). */
int ev_actors_add_phrase(ev_actors *a, long id, const char *phrase, size_t len);
/* Add a code (with its dates) to the last actor begun. */
int ev_actors_add_code(ev_actors *a, long id, const char *code, size_t len, int32_t from,
                       int32_t to);
/* Parse a date restriction ("", ">D", "<D", "D-D"; D as YYMMDD or YYYYMMDD): 0 or -1. */
int ev_parse_dates(const char *s, size_t len, int32_t *from, int32_t *to);
/* Parse a date YYYYMMDD, YYYY-MM-DD(...) or YYMMDD into YYYYMMDD; 0 when not a date. */
int32_t ev_parse_date(const char *s, size_t len);
/* The code of an actor on a date (0: unknown): the dated code that covers it, else an undated
 * one, else the latest. */
const char *ev_actor_code_at(const ev_actors *a, uint32_t id, int32_t date);

#endif
