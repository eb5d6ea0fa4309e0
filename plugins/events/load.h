/* Loading the coder's model from the files a stage names (or the defaults beside the plugin). */
#ifndef EVENTS_LOAD_H
#define EVENTS_LOAD_H

#include "coder.h"

#include <stddef.h>

typedef struct ev_sources {
    const char *cameo;           /* the CAMEO table */
    const char *const *lexicons; /* lexicon TSVs, in order (earlier entries win) */
    size_t nlexicons;
    const char *const *verbs; /* PETRARCH verb dictionaries, after the lexicons */
    size_t nverbs;
    const char *const *actor_tables; /* actor TSVs */
    size_t nactor_tables;
    const char *const *actors; /* PETRARCH actor and agent dictionaries, after the tables */
    size_t nactors;
} ev_sources;

/* Load a model; on failure "FILE:LINE: reason" in err, the model freed, < 0. */
int ev_model_load(ev_model *m, const ev_sources *src, char *err, size_t errlen);

#endif
