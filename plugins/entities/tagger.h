/*
 * The sequence tagger: BILOU tags over entity types, emission scores from hashed feature
 * weights (float while training, int16 in a model file), learned tag transitions, and Viterbi
 * decoding per sentence with the BILOU constraints. Sentences of a document are tagged in
 * order, and each one's labels feed the label-history features of the ones after it.
 */
#ifndef ENT_TAGGER_H
#define ENT_TAGGER_H

#include "featureset.h"

#include <stddef.h>
#include <stdint.h>

/* Tags: 0 is O; entity type k (0-based) has B = 1 + 4k, I = 2 + 4k, L = 3 + 4k, U = 4 + 4k. */
#define ENT_MAX_TAGS (1 + 4 * ENT_MAX_TYPES)
enum { ENT_B = 0, ENT_I = 1, ENT_L = 2, ENT_U = 3 };

static inline int ent_tag(int type, int part) {
    return 1 + 4 * type + part;
}
static inline int ent_tag_type(int tag) {
    return tag ? (tag - 1) / 4 : -1;
}
static inline int ent_tag_part(int tag) {
    return tag ? (tag - 1) % 4 : -1;
}

/* Weights the decoder reads: one row per feature bucket, and transitions
 * trans[(prev + 1) * ntags + cur] where prev = -1 is the sentence start. */
typedef struct ent_weights {
    const float *wf;   /* float rows of ntags (training), or NULL */
    const int16_t *wq; /* quantized rows of ntags - 1: the tags but O, whose weight is 0 */
    float inv_scale;   /* wq value * inv_scale = weight */
    const float *trans;
    unsigned hash_bits;
    int ntypes, ntags;
    int passes; /* 2: a second pass over the document with the first pass's labels as features */
} ent_weights;

/* The row index of a feature hash. */
static inline uint32_t ent_bucket(uint64_t h, unsigned hash_bits) {
    return (uint32_t)(h >> (64 - hash_bits));
}

/* Working memory for tagging, reused across sentences and documents. */
typedef struct ent_tagger {
    ent_fx fx;
    uint32_t *feat;  /* ENT_MAX_FEATS buckets per token of the sentence */
    uint8_t *nfeat;  /* how many each token has */
    float *emit;     /* ntags scores per token */
    float *delta;    /* Viterbi scores */
    uint8_t *back;   /* Viterbi back pointers */
    uint8_t *types;  /* 0 for O, else 1 + type, per token of the sentence */
    size_t cap;      /* tokens the sentence arrays hold */
    uint8_t *dtypes; /* the first pass's types, per token of the document */
    size_t dcap;
    int title_type; /* type whose mentions never start with a title (PER), -1: none */
    /* Viterbi: the allowed predecessors of each tag (the sentence start is handled apart). */
    uint8_t npred[ENT_MAX_TAGS];
    uint8_t pred[ENT_MAX_TAGS][ENT_MAX_TAGS];
} ent_tagger;

void ent_tagger_init(ent_tagger *tg, int ntypes, const ent_clusters *clusters);
void ent_tagger_free(ent_tagger *tg);

/* Make room for a sentence of n tokens. SL_OK or SL_ENOMEM. */
int ent_tagger_reserve(ent_tagger *tg, size_t n);

/* Feature buckets of tokens [s, e) of the prepared document into tg->feat / tg->nfeat: static
 * features, and in the first pass (pass1 NULL) the label history, in the second the labels
 * the first pass gave the same forms elsewhere (pass1: its type per document token). */
void ent_sentence_features(ent_tagger *tg, size_t s, size_t e, unsigned hash_bits,
                           const uint8_t *pass1);

/* Types (0 for O, else 1 + type) of a document's tags into tg->dtypes, and record them as
 * the first pass's labels. SL_OK or SL_ENOMEM. */
int ent_first_pass_done(ent_tagger *tg, const uint8_t *tags, size_t n);

/* Emission scores of the n tokens whose features are in tg->feat. */
void ent_emissions(ent_tagger *tg, const ent_weights *w, size_t n);

/* Best BILOU-valid tag sequence for the n tokens from tg->emit; tags written to out. */
void ent_viterbi(ent_tagger *tg, const ent_weights *w, size_t n, uint8_t *out);

/* Record a sentence's tags in the label history of the document. */
void ent_history_add_tags(ent_tagger *tg, size_t s, const uint8_t *tags, size_t n);

/* Longest run of tokens decoded at once: longer sentences are tagged in pieces. */
#define ENT_MAX_SENTENCE 400

/* Tag a document whose properties are prepared in tg->fx (and gazetteer fields filled):
 * sentences as token ranges [sent[2k], sent[2k+1]); one tag per token written to tags.
 * SL_OK or SL_ENOMEM. */
int ent_tag_document(ent_tagger *tg, const ent_weights *w, const size_t *sent, size_t nsent,
                     uint8_t *tags);

/* Whether tag cur may follow tag prev (-1: the sentence start), and may end a sentence. */
int ent_transition_ok(int prev, int cur);
int ent_end_ok(int tag);

#endif
