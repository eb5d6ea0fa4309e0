/* Exact-match entity scoring: a predicted entity counts when its byte span and type are both
 * those of a gold entity. */
#ifndef ENT_SCORE_H
#define ENT_SCORE_H

#include "conll.h"

#include <stddef.h>

typedef struct ent_score {
    size_t tp[ENT_MAX_TYPES], fp[ENT_MAX_TYPES], fn[ENT_MAX_TYPES];
    int ntypes;
} ent_score;

/* Add one document: the tags predicted for its core tokens against its gold entities. */
void ent_score_doc(ent_score *s, const ent_doc *d, const uint8_t *tags);

/* Precision, recall and F1 of one type, or of all (type -1). Zero when undefined. */
double ent_score_f1(const ent_score *s, int type, double *precision, double *recall);

#endif
