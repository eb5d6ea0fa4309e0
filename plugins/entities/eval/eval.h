/* Scoring the entities tagger on CoNLL files and timing it on news text. */
#ifndef ENT_EVAL_H
#define ENT_EVAL_H

#include "conll.h"
#include "mentions.h"
#include "model.h"
#include "score.h"
#include "train.h"

#include <stdio.h>

/* Exact-match scores of a model on a CoNLL file, its text rebuilt with the given join and
 * case, the mentions made consistent as the stage does when canon is not NULL. Wrong entities
 * are listed on errors when it is not NULL. 0, or -1 with err set. */
int ee_conll(const ent_model *m, ent_annotate_fn annotate, void *ctx, ent_canon *canon,
             const char *path, ent_join join, ent_case cs, ent_score *out, FILE *errors, char *err,
             size_t errlen);

/* Speed of the stage's own work (token properties, features, decoding) on the "text" fields of
 * a JSON Lines file: tokens and sentences are made first and not timed, as the core and the
 * sentences stage make them in a pipeline. */
typedef struct ee_speed {
    size_t docs, bytes, tokens, entities;
    double seconds; /* wall time, best of the rounds */
    double
        cpu_seconds; /* CPU time of the thread, best of the rounds (steadier on a busy machine) */
} ee_speed;

int ee_speed_run(const ent_model *m, ent_annotate_fn annotate, void *ctx, const char *path,
                 int rounds, ee_speed *out, char *err, size_t errlen);

#endif
