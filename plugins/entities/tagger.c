/* The tagger: sentence features, emission scores, BILOU Viterbi and document order. */
#include "tagger.h"

#include <stdlib.h>
#include <string.h>

#define NEG_INF (-1e30f)

void ent_tagger_init(ent_tagger *tg, int ntypes, const ent_clusters *clusters) {
    memset(tg, 0, sizeof *tg);
    ent_fx_init(&tg->fx, ntypes, clusters);
    tg->title_type = -1;
    int T = 1 + 4 * ntypes;
    for (int t = 0; t < T; t++)
        for (int p = 0; p < T; p++)
            if (ent_transition_ok(p, t))
                tg->pred[t][tg->npred[t]++] = (uint8_t)p;
}

void ent_tagger_free(ent_tagger *tg) {
    ent_fx_free(&tg->fx);
    free(tg->feat);
    free(tg->nfeat);
    free(tg->emit);
    free(tg->delta);
    free(tg->back);
    free(tg->types);
    free(tg->dtypes);
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

void ent_sentence_features(ent_tagger *tg, size_t s, size_t e, unsigned hash_bits,
                           const uint8_t *pass1) {
    uint64_t h[ENT_MAX_FEATS];
    for (size_t i = s; i < e; i++) {
        size_t k = ent_features_static(&tg->fx, s, e, i, h);
        if (pass1)
            k += ent_features_doc(&tg->fx, i, pass1[i], h + k);
        else
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
        __builtin_prefetch(w->wq + (size_t)f[j] * (size_t)(w->ntags - 1));
}

/* Sum of the rows of a token's features, for rows of C columns (C known to the compiler in
 * the common case, so that the loop becomes vector code). */
static inline void sum_rows(const int16_t *wq, const uint32_t *f, size_t nf, int C, int32_t *acc) {
    for (size_t j = 0; j < nf; j++) {
        const int16_t *row = wq + (size_t)f[j] * (size_t)C;
        for (int t = 0; t < C; t++)
            acc[t] += row[t];
    }
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
        if (T == 17) /* the four CoNLL types */
            sum_rows(w->wq, f, tg->nfeat[i], 16, acc);
        else
            sum_rows(w->wq, f, tg->nfeat[i], T - 1, acc);
        float *e = tg->emit + i * ENT_MAX_TAGS;
        e[0] = 0;
        for (int t = 1; t < T; t++)
            e[t] = (float)acc[t - 1] * w->inv_scale;
    }
}

void ent_viterbi(ent_tagger *tg, const ent_weights *w, size_t n, uint8_t *out) {
    const int T = w->ntags;
    if (!n)
        return;
    const float *tr = w->trans;
    float *d = tg->delta;
    for (int t = 0; t < T; t++)
        d[t] = ent_transition_ok(-1, t) ? tr[t] + tg->emit[t] : NEG_INF;
    for (size_t i = 1; i < n; i++) {
        const float *prev = d + (i - 1) * ENT_MAX_TAGS;
        float *cur = d + i * ENT_MAX_TAGS;
        uint8_t *bk = tg->back + i * ENT_MAX_TAGS;
        const float *em = tg->emit + i * ENT_MAX_TAGS;
        for (int t = 0; t < T; t++) {
            const uint8_t *pl = tg->pred[t];
            int arg = pl[0];
            float best = prev[arg] + tr[(arg + 1) * T + t];
            for (int k = 1; k < tg->npred[t]; k++) {
                int p = pl[k];
                float v = prev[p] + tr[(p + 1) * T + t];
                arg = v > best ? p : arg;
                best = v > best ? v : best;
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

int ent_first_pass_done(ent_tagger *tg, const uint8_t *tags, size_t n) {
    if (n + 1 > tg->dcap) {
        uint8_t *d = realloc(tg->dtypes, n + n / 2 + 64);
        if (!d)
            return SL_ENOMEM;
        tg->dtypes = d;
        tg->dcap = n + n / 2 + 64;
    }
    for (size_t i = 0; i < n; i++)
        tg->dtypes[i] = (uint8_t)(tags[i] ? ent_tag_type(tags[i]) + 1 : 0);
    ent_fx_doc_add(&tg->fx, tg->dtypes);
    return SL_OK;
}

int ent_tag_document(ent_tagger *tg, const ent_weights *w, const size_t *sent, size_t nsent,
                     uint8_t *tags) {
    for (int pass = 1; pass <= w->passes || pass == 1; pass++) {
        if (pass == 2 && ent_first_pass_done(tg, tags, tg->fx.ntok) != SL_OK)
            return SL_ENOMEM;
        for (size_t k = 0; k < nsent; k++) {
            /* A sentence longer than ENT_MAX_SENTENCE tokens (a text without breaks) is tagged
             * in pieces, so that memory stays bounded. */
            for (size_t s = sent[2 * k], end = sent[2 * k + 1], e; s < end; s = e) {
                e = end - s > ENT_MAX_SENTENCE ? s + ENT_MAX_SENTENCE : end;
                if (ent_tagger_reserve(tg, e - s) != SL_OK)
                    return SL_ENOMEM;
                ent_sentence_features(tg, s, e, w->hash_bits, pass == 2 ? tg->dtypes : NULL);
                ent_emissions(tg, w, e - s);
                ent_viterbi(tg, w, e - s, tags + s);
                if (pass == 1)
                    ent_history_add_tags(tg, s, tags + s, e - s);
            }
        }
    }
    return SL_OK;
}
