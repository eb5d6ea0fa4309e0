/*
 * The event coder: finds, in each sentence, the triggers of the lexicon and the actors of the
 * actor table (and of the entities layer), and ties them with grammar read off the word
 * order, without a parser: the source is the subject (the nearest actor before the trigger in
 * its clause), the target the object (the nearest after); passive voice swaps them ("was
 * attacked by X"); coordinated actors ("Brazil and the United States") each take part;
 * reported speech ("X said that Y attacked Z", "..., X said.") keeps the speaker out of the
 * event; negation ("did not meet") drops it; intent ("will meet", "plans to meet") codes the
 * stated intention (CAMEO 03x). Pure logic on text and tokens: no host API.
 */
#ifndef EVENTS_CODER_H
#define EVENTS_CODER_H

#include "actors.h"
#include "cameo.h"
#include "dict.h"
#include "lexicon.h"

#include "sluice/sluice.h"

#include <stddef.h>
#include <stdint.h>

/* Everything the coder reads, loaded once per stage. */
typedef struct ev_model {
    ev_cameo cameo;
    ev_lexicon lexicon;
    ev_actors actors;
    ev_wordset classes; /* closed word classes of the grammar (coder.c) */
} ev_model;

/* Make the model's word classes (the lexicon, actors and CAMEO table are loaded apart). */
int ev_model_init(ev_model *m);
void ev_model_free(ev_model *m);

/* A mention from the entities layer, in tokens: its country code ("SYR") or a person's
 * canonical name, either may be NULL. */
typedef struct ev_entity {
    size_t start, end; /* tokens [start, end) */
    const char *code;
    const char *canonical;
} ev_entity;

/* A token range [start, end). */
typedef struct ev_range {
    size_t start, end;
} ev_range;

typedef struct ev_event {
    size_t sentence;
    ev_range trigger; /* tokens: the trigger's words up to a gap ("accused" of "accused ... of") */
    char code[8];
    int cameo;  /* index in the CAMEO table, -1 for a code outside it */
    int intent; /* coded as a stated intention */
    int has_source, has_target;
    ev_range source, target; /* tokens */
    char source_code[EV_ACTOR_CODE_MAX + 8];
    char target_code[EV_ACTOR_CODE_MAX + 8];
} ev_event;

typedef struct ev_options {
    int partial;  /* keep events with no source or no target */
    int intent;   /* code stated intentions with CAMEO's 03 codes ("will meet": 036) */
    int32_t date; /* the document's date (YYYYMMDD) for dated actor codes, 0 unknown */
} ev_options;

typedef struct ev_mention ev_mention;
typedef struct ev_found ev_found;

/* A coder: scratch space reused from document to document, and the events found. */
typedef struct ev_coder {
    const ev_model *m;
    uint64_t *hash;
    unsigned char *stop, *zone, *say;
    uint32_t *cls;
    uint32_t *in_mention; /* mention index + 1 covering the token, 0 none */
    uint32_t *ent_at;     /* entity index + 1 starting at the token */
    size_t tokcap;
    ev_mention *mentions;
    size_t nmentions, capmentions;
    ev_found *found;
    size_t nfound, capfound;
    ev_event *events;
    size_t nevents, capevents;
} ev_coder;

void ev_coder_init(ev_coder *c, const ev_model *m);
void ev_coder_free(ev_coder *c);
/* Code a document: its text, tokens, sentences (token ranges, in order) and entities (token
 * ranges, in order; may be none). The events are in c->events, c->nevents. SL_ENOMEM. */
int ev_code_document(ev_coder *c, const char *text, const sl_token *tok, size_t ntok,
                     const ev_range *sentences, size_t nsent, const ev_entity *ents, size_t nents,
                     const ev_options *opt);

/* The token range a byte span [start, end) covers. */
ev_range ev_span_tokens(const sl_token *tok, size_t ntok, size_t start, size_t end);

#endif
