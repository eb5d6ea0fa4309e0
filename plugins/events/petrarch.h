/*
 * PETRARCH dictionaries: actor and agent dictionaries (Phoenix.*.actors.txt,
 * Phoenix.agents.txt) into an actor table, and verb pattern dictionaries (CAMEO.2.0.txt) into
 * lexicon phrases, so that people who maintain such dictionaries can use them here. The
 * format is PETRARCH's (see PETRreader.py in openeventdata/petrarch2); what a linear matcher
 * cannot use (patterns with words before the verb, transformations) is skipped.
 */
#ifndef EVENTS_PETRARCH_H
#define EVENTS_PETRARCH_H

#include "actors.h"

#include <stddef.h>

/* Read an actor or agent dictionary into the table. On a malformed line, "FILE:LINE: reason"
 * in err and < 0. *skipped (may be NULL) counts codes left out (malformed dates). */
int ev_petrarch_actors(ev_actors *a, const char *path, char *err, size_t errlen, size_t *skipped);

/* What a verb dictionary yields: a phrase in lexicon syntax ("meet|met ... with"), its code
 * ("040", "032:033", or "-" for a pattern that codes nothing) and the verb block it came
 * from. Returns 0, or < 0 to stop. */
typedef int (*ev_verb_fn)(void *ctx, const char *phrase, const char *code, const char *block);

/* Read a verb dictionary, calling fn for each verb and usable pattern. */
int ev_petrarch_verbs(const char *path, ev_verb_fn fn, void *ctx, char *err, size_t errlen);

#endif
