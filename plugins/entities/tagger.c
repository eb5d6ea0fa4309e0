/* The tagger: sentence features, emission scores, BILOU Viterbi and document order. */
#include "tagger.h"

#include <stdlib.h>
#include <string.h>

#define NEG_INF (-1e30f)

void ent_tagger_init(ent_tagger *tg, int ntypes, const ent_clusters *clusters) {
    memset(tg, 0, sizeof *tg);
    ent_fx_init(&tg->fx, ntypes, clusters);
}

void ent_tagger_free(ent_tagger *tg) {
    ent_fx_free(&tg->fx);
    free(tg->feat);
    free(tg->nfeat);
    free(tg->emit);
    free(tg->delta);
    free(tg->back);
    free(tg->types);
    memset(tg, 0, sizeof *tg);
}

int ent_tagger_reserve(ent_tagger *tg, size_t n) {
    if (n <= tg->cap)
        return SL_OK;
    size_t cap = n + n / 2 + 64;
    void *p[6] = {
        realloc(tg->feat, cap * ENT_MAX_FEATS * sizeof *tg->feat), NULL, NULL, NULL, NULL, NULL,
    };
    if (p[0])
        tg->feat = p[0];
    if (!p[0] || !(p[1] = realloc(tg->nfeat, cap)))
        return SL_ENOMEM;
    tg->nfeat = p[1];
    if (!(p[2] = realloc(tg->emit, cap * ENT_MAX_TAGS * sizeof(float))))
        return SL_ENOMEM;
    tg->emit = p[2];
    if (!(p[3] = realloc(tg->delta, cap * ENT_MAX_TAGS * sizeof(float))))
        return SL_ENOMEM;
    tg->delta = p[3];
    if (!(p[4] = realloc(tg->back, cap * ENT_MAX_TAGS)))
        return SL_ENOMEM;
    tg->back = p[4];
    if (!(p[5] = realloc(tg->types, cap)))
        return SL_ENOMEM;
    tg->types = p[5];
    tg->cap = cap;
    return SL_OK;
}

int ent_transition_ok(int prev, int cur) {
    int pp = ent_tag_part(prev), cp = ent_tag_part(cur);
    if (prev < 0 || pp < 0 || pp == ENT_L || pp == ENT_U) /* outside an entity */
        return cp < 0 || cp == ENT_B || cp == ENT_U;
    return (cp == ENT_I || cp == ENT_L) && ent_tag_type(prev) == ent_tag_type(cur);
}

int ent_end_ok(int tag) {
    int p = ent_tag_part(tag);
    return p < 0 || p == ENT_L || p == ENT_U;
}

void ent_sentence_features(ent_tagger *tg, size_t s, size_t e, unsigned hash_bits) {
    uint64_t h[ENT_MAX_FEATS];
    for (size_t i = s; i < e; i++) {
        size_t k = ent_features_static(&tg->fx, s, e, i, h);
        k += ent_features_history(&tg->fx, i, h + k);
        uint32_t *out = tg->feat + (i - s) * ENT_MAX_FEATS;
        for (size_t j = 0; j < k; j++)
            out[j] = ent_bucket(h[j], hash_bits);
        tg->nfeat[i - s] = (uint8_t)k;
    }
}

static void prefetch_rows(const ent_tagger *tg, const ent_weights *w, size_t i) {
    const uint32_t *f = tg->feat + i * ENT_MAX_FEATS;
    for (size_t j = 0; j < tg->nfeat[i]; j++)
        __builtin_prefetch(w->wq + (size_t)f[j] * (size_t)w->ntags);
}

void ent_emissions(ent_tagger *tg, const ent_weights *w, size_t n) {
    const int T = w->ntags;
    if (w->wf) {
        for (size_t i = 0; i < n; i++) {
            float *e = tg->emit + i * ENT_MAX_TAGS;
            memset(e, 0, sizeof(float) * ENT_MAX_TAGS);
            const uint32_t *f = tg->feat + i * ENT_MAX_FEATS;
            for (size_t j = 0; j < tg->nfeat[i]; j++) {
                const float *row = w->wf + (size_t)f[j] * (size_t)T;
                for (int t = 0; t < T; t++)
                    e[t] += row[t];
            }
        }
        return;
    }
    /* Rows of rare features are cache misses: fetch the next tokens' rows while summing. */
    for (size_t i = 0; i < n && i < 2; i++)
        prefetch_rows(tg, w, i);
    for (size_t i = 0; i < n; i++) {
        if (i + 2 < n)
            prefetch_rows(tg, w, i + 2);
        int32_t acc[ENT_MAX_TAGS] = {0};
        const uint32_t *f = tg->feat + i * ENT_MAX_FEATS;
        for (size_t j = 0; j < tg->nfeat[i]; j++) {
            const int16_t *row = w->wq + (size_t)f[j] * (size_t)T;
            for (int t = 0; t < T; t++)
                acc[t] += row[t];
        }
        float *e = tg->emit + i * ENT_MAX_TAGS;
        for (int t = 0; t < T; t++)
            e[t] = (float)acc[t] * w->inv_scale;
    }
}

void ent_viterbi(ent_tagger *tg, const ent_weights *w, size_t n, uint8_t *out) {
    const int T = w->ntags;
    if (!n)
        return;
    /* The transitions with the BILOU constraints folded in, so the inner loop only adds. */
    float ct[(ENT_MAX_TAGS + 1) * ENT_MAX_TAGS];
    for (int p = -1; p < T; p++)
        for (int t = 0; t < T; t++)
            ct[(p + 1) * T + t] = ent_transition_ok(p, t) ? w->trans[(p + 1) * T + t] : NEG_INF;
    float *d = tg->delta;
    for (int t = 0; t < T; t++)
        d[t] = ct[t] + tg->emit[t];
    for (size_t i = 1; i < n; i++) {
        const float *prev = d + (i - 1) * ENT_MAX_TAGS;
        float *cur = d + i * ENT_MAX_TAGS;
        uint8_t *bk = tg->back + i * ENT_MAX_TAGS;
        const float *em = tg->emit + i * ENT_MAX_TAGS;
        for (int t = 0; t < T; t++) {
            float best = prev[0] + ct[T + t];
            int arg = 0;
            for (int p = 1; p < T; p++) {
                float v = prev[p] + ct[(p + 1) * T + t];
                if (v > best) {
                    best = v;
                    arg = p;
                }
            }
            cur[t] = best + em[t];
            bk[t] = (uint8_t)arg;
        }
    }
    const float *last = d + (n - 1) * ENT_MAX_TAGS;
    int arg = 0;
    float best = last[0];
    for (int t = 1; t < T; t++)
        if (ent_end_ok(t) && last[t] > best) {
            best = last[t];
            arg = t;
        }
    for (size_t i = n; i-- > 0;) {
        out[i] = (uint8_t)arg;
        if (i)
            arg = tg->back[i * ENT_MAX_TAGS + arg];
    }
}

void ent_history_add_tags(ent_tagger *tg, size_t s, const uint8_t *tags, size_t n) {
    for (size_t i = 0; i < n; i++)
        tg->types[i] = (uint8_t)(tags[i] ? ent_tag_type(tags[i]) + 1 : 0);
    ent_fx_history_add(&tg->fx, s, s + n, tg->types);
}

int ent_tag_document(ent_tagger *tg, const ent_weights *w, const size_t *sent, size_t nsent,
                     uint8_t *tags) {
    for (size_t k = 0; k < nsent; k++) {
        size_t s = sent[2 * k], e = sent[2 * k + 1];
        if (e <= s)
            continue;
        if (ent_tagger_reserve(tg, e - s) != SL_OK)
            return SL_ENOMEM;
        ent_sentence_features(tg, s, e, w->hash_bits);
        ent_emissions(tg, w, e - s);
        ent_viterbi(tg, w, e - s, tags + s);
        ent_history_add_tags(tg, s, tags + s, e - s);
    }
    return SL_OK;
}
