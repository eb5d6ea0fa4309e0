/*
 * Training: an averaged structured perceptron (Collins 2002) over the tagger's features, with
 * documents in a seeded random order each epoch, the label history filled from the model's own
 * predictions (as at run time), and the averaged weights of the best epoch kept.
 */
#ifndef ENT_TRAIN_H
#define ENT_TRAIN_H

#include "conll.h"
#include "score.h"
#include "tagger.h"

#include <stdint.h>
#include <stdio.h>

/* Fills the gazetteer fields of a prepared document (NULL: no gazetteer features). */
typedef void (*ent_annotate_fn)(void *ctx, const char *text, const sl_token *tok, size_t n,
                                ent_fx *fx);

typedef struct ent_train_opts {
    unsigned hash_bits;
    int passes; /* 1, or 2 for a second pass with document-wide label features */
    int epochs;
    uint64_t seed;
    const ent_clusters *clusters; /* may be NULL */
    ent_annotate_fn annotate;     /* may be NULL */
    void *annotate_ctx;
    FILE *log; /* per-epoch lines, or NULL */
} ent_train_opts;

/* A trained model in memory (float weights). */
typedef struct ent_trained {
    unsigned hash_bits;
    int ntypes, ntags, passes;
    float *w;     /* 2^hash_bits * ntags, averaged */
    float *trans; /* (ntags + 1) * ntags, averaged */
    int best_epoch;
    double best_f1; /* on the dev set, or the last epoch's training F1 without one */
} ent_trained;

/* Train on train (dev may be NULL: then every epoch runs and the last is kept). */
int ent_train(const ent_train_opts *o, const ent_corpus *train, const ent_corpus *dev,
              ent_trained *out);

/* Some of a corpus's documents (cross-validation folds). */
typedef struct ent_subset {
    const ent_doc *const *docs;
    size_t n;
} ent_subset;

/* Train on one subset, scoring each epoch on another: f1_per_epoch gets o->epochs values. */
int ent_train_subset(const ent_train_opts *o, int ntypes, ent_subset train, ent_subset dev,
                     ent_trained *out, double *f1_per_epoch);

/* Tag one corpus document with the given weights. SL_OK or SL_ENOMEM. */
int ent_tag_doc(ent_tagger *tg, const ent_weights *w, const ent_doc *d, ent_annotate_fn annotate,
                void *ctx, uint8_t *tags);

/* Weights of a trained model as the decoder reads them. */
ent_weights ent_trained_weights(const ent_trained *t);

void ent_trained_free(ent_trained *t);

#endif
