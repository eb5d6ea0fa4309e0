/*
 * Feature extraction for the entity tagger. Each feature is a 64-bit hash of a template id and
 * its value; the model maps it to a row of weights (one per tag) by its top bits. Token
 * properties are hashed once per document (ent_fx_prepare), and every feature of a token is a
 * few integer mixes of those: no string work and no allocation per token.
 */
#ifndef ENT_FEATURESET_H
#define ENT_FEATURESET_H

#include "sluice/sluice.h"
#include "wordclusters.h"

#include <stddef.h>
#include <stdint.h>

/* Version of the feature templates: a model records it and is refused by a build whose
 * templates differ. Bump on any change to what a feature means. */
#define ENT_TEMPLATES_ID 4

/* Most features a token has (static + document-level). */
#define ENT_MAX_FEATS 96

/* Most entity types a model may have (CoNLL has 4). */
#define ENT_MAX_TYPES 8

/* Token property bits. */
enum {
    ENT_T_INITCAP = 1u << 0,
    ENT_T_ALLCAPS = 1u << 1,
    ENT_T_LOWER = 1u << 2, /* has letters, none upper case */
    ENT_T_DIGIT = 1u << 3,
    ENT_T_HYPHEN = 1u << 4,
    ENT_T_PERIOD = 1u << 5,
    ENT_T_APOS = 1u << 6,
    ENT_T_ALPHA = 1u << 7,    /* has a letter */
    ENT_T_MIXED = 1u << 8,    /* an upper-case letter after a lower-case one: McDonald, iPhone */
    ENT_T_SENTCAPS = 1u << 9, /* the token's sentence is written in capitals (a headline) */
};

/* Document casing bits: how the token's lower-cased form is written elsewhere in the document,
 * outside capitalised headlines. */
enum {
    ENT_C_LOWER = 1u << 0,    /* in lower case */
    ENT_C_TITLE_MID = 1u << 1 /* capitalised, not first in its sentence */
};

/* What the document knows about one token. */
typedef struct ent_tok {
    uint64_t word;   /* exact form */
    uint64_t norm;   /* lower-cased, digits as 0 */
    uint64_t shape;  /* character classes, runs cut at 4: Xxxx, dd-dd, X.X. */
    uint64_t sshape; /* runs of one class as one: Xx, d-d */
    uint64_t pre[4], suf[4];
    uint64_t cluster; /* packed cluster path (see wordclusters.h), 0 when unknown */
    uint32_t flags;   /* ENT_T_* */
    uint32_t kind;    /* sl_token_kind */
    uint32_t gaz;     /* gazetteer class bits of the longest match covering the token */
    uint32_t gaz_pos; /* its place in that match: 0 none, 1 begin, 2 inside, 3 last, 4 unit */
    uint32_t casing;  /* ENT_C_* of the form elsewhere in the document */
    uint32_t len;     /* bytes */
} ent_tok;

/* What the document says about one lower-cased form: how it is written (ENT_C_*) and the
 * labels its earlier mentions got, counted per type (index 0 is O). */
typedef struct ent_form_slot {
    uint64_t key;
    uint32_t gen;
    uint32_t casing;
    uint16_t count[ENT_MAX_TYPES + 1]; /* labels of earlier mentions (first pass) */
    uint16_t doc[ENT_MAX_TYPES + 1];   /* labels of all mentions in the first pass */
} ent_form_slot;

/* A document's worth of token properties and the per-document maps, reused across documents. */
typedef struct ent_fx {
    ent_tok *tok;
    size_t ntok, cap;
    ent_form_slot *map; /* the forms of the current document (slots of an older gen are free) */
    uint64_t nmap;
    uint32_t gen;
    int ntypes;
    const ent_clusters *clusters; /* may be NULL */
} ent_fx;

void ent_fx_init(ent_fx *fx, int ntypes, const ent_clusters *clusters);
void ent_fx_free(ent_fx *fx);

/* Compute the token properties of a document. sent gives the sentences as token index
 * ranges [sent[2k], sent[2k+1]) covering the tokens in order. SL_OK or SL_ENOMEM. The
 * gazetteer fields start at 0; the caller fills them before extracting features. */
int ent_fx_prepare(ent_fx *fx, const char *text, const sl_token *tok, size_t n, const size_t *sent,
                   size_t nsent);

/* Features of token i of sentence [s, e) that do not depend on earlier labels; returns the
 * count written to out (at most ENT_MAX_FEATS - ENT_MAX_HIST_FEATS). */
size_t ent_features_static(const ent_fx *fx, size_t s, size_t e, size_t i, uint64_t *out);

/* Most features ent_features_history writes. */
#define ENT_MAX_HIST_FEATS 4

/* Features from the labels earlier sentences of the document gave the same form. */
size_t ent_features_history(const ent_fx *fx, size_t i, uint64_t *out);

/* Most features ent_features_doc writes. */
#define ENT_MAX_DOC_FEATS 4

/* Second pass: features from the labels the first pass gave the same form anywhere else in
 * the document (own: the first pass's type of token i itself, left out of the counts). */
size_t ent_features_doc(const ent_fx *fx, size_t i, unsigned own, uint64_t *out);

/* Record the first pass's labels of the whole document (types as ent_fx_history_add). */
void ent_fx_doc_add(ent_fx *fx, const uint8_t *types);

/* Forget the labels recorded so far (the casing stays): tag the document again from scratch. */
void ent_fx_history_reset(ent_fx *fx);

/* Record the labels given to tokens [s, e): types[k] is 0 for O, else 1 + entity type. */
void ent_fx_history_add(ent_fx *fx, size_t s, size_t e, const uint8_t *types);

#endif
