/*
 * The entity mentions of a tagged document, with their canonical names and a consistency
 * step: a person's name repeated under another label ("Kerry" tagged ORG after "John Kerry")
 * becomes a PER mention. Shared by the stage and the evaluation, so that the figures measure
 * what the stage writes. Buffers are reused from document to document.
 */
#ifndef ENT_MENTIONS_H
#define ENT_MENTIONS_H

#include "canonical.h"
#include "featureset.h"

#include <stddef.h>
#include <stdint.h>

typedef struct ent_mentions {
    ent_canon_mention *m; /* spans, with labels for the canonical-name rules */
    size_t *first_tok;    /* token index of each mention's first token */
    uint8_t *type;        /* entity type index of each mention */
    size_t *canon;        /* index of the mention holding the full name (itself: none) */
    size_t *person;       /* scratch for ent_canon_person_of */
    size_t n, cap;
    unsigned label_of[ENT_MAX_TYPES]; /* ent_canon_label of each type, 0 when none */
    int per_type;                     /* type index of PER, -1 when the model has none */
} ent_mentions;

/* Type names give the canonical-name labels (PER, ORG, LOC, MISC). */
void ent_mentions_init(ent_mentions *ms, int ntypes, const char (*types)[16]);
void ent_mentions_free(ent_mentions *ms);

/* Collect the mentions of a document's BILOU tags; with canon (may be NULL), relabel persons'
 * names tagged otherwise as PER (in tags too) and resolve canonical names. SL_OK or
 * SL_ENOMEM. */
int ent_mentions_collect(ent_mentions *ms, ent_canon *canon, const char *text, size_t len,
                         const sl_token *tok, size_t n, uint8_t *tags);

#endif
