/* Exact-match entity scoring. */
#include "score.h"

#include "tagger.h"

void ent_score_doc(ent_score *s, const ent_doc *d, const uint8_t *tags) {
    size_t g = 0, n = d->tok.n;
    for (size_t g2 = 0; g2 < d->ngold; g2++)
        s->fn[d->gold[g2].type]++; /* each match below turns one back into a true positive */
    for (size_t i = 0; i < n; i++) {
        int part = ent_tag_part(tags[i]);
        if (part != ENT_B && part != ENT_U)
            continue;
        size_t j = i;
        while (part == ENT_B && j + 1 < n && ent_tag_part(tags[j + 1]) == ENT_I)
            j++;
        if (part == ENT_B)
            j++; /* the L tag: the decoder only makes complete entities */
        if (j >= n)
            j = n - 1;
        int type = ent_tag_type(tags[i]);
        size_t start = d->tok.v[i].start, end = d->tok.v[j].end;
        while (g < d->ngold && d->gold[g].start < start)
            g++;
        if (g < d->ngold && d->gold[g].start == start && d->gold[g].end == end &&
            d->gold[g].type == type) {
            s->tp[type]++;
            s->fn[type]--;
        } else {
            s->fp[type]++;
        }
        i = j;
    }
}

double ent_score_f1(const ent_score *s, int type, double *precision, double *recall) {
    size_t tp = 0, fp = 0, fn = 0;
    for (int k = 0; k < s->ntypes; k++) {
        if (type >= 0 && k != type)
            continue;
        tp += s->tp[k];
        fp += s->fp[k];
        fn += s->fn[k];
    }
    double p = tp + fp ? (double)tp / (double)(tp + fp) : 0;
    double r = tp + fn ? (double)tp / (double)(tp + fn) : 0;
    if (precision)
        *precision = p;
    if (recall)
        *recall = r;
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
}
