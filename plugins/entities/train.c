/* The averaged perceptron trainer. */
#include "train.h"

#include "gazfeatures.h"

#include <stdlib.h>
#include <string.h>

/* Weights with the averaging trick: the average is w - u / c, where u sums c * each update. */
typedef struct perceptron {
    float *w, *u, *trans, *transu;
    size_t nw, ntrans;
    double c; /* update steps so far, one per sentence */
} perceptron;

static uint64_t splitmix(uint64_t *s) {
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void update(perceptron *p, const ent_tagger *tg, size_t i, int tag, float delta, int T) {
    const uint32_t *f = tg->feat + i * ENT_MAX_FEATS;
    float cd = (float)p->c * delta;
    for (size_t j = 0; j < tg->nfeat[i]; j++) {
        size_t k = (size_t)f[j] * (size_t)T + (size_t)tag;
        p->w[k] += delta;
        p->u[k] += cd;
    }
}

static void update_trans(perceptron *p, int prev, int cur, float delta, int T) {
    size_t k = (size_t)(prev + 1) * (size_t)T + (size_t)cur;
    p->trans[k] += delta;
    p->transu[k] += (float)p->c * delta;
}

/* The averaged weights into out (w and trans arrays of the same sizes). */
static void average(const perceptron *p, float *w, float *trans) {
    float inv = p->c > 0 ? (float)(1.0 / p->c) : 0;
    for (size_t i = 0; i < p->nw; i++)
        w[i] = p->w[i] - p->u[i] * inv;
    for (size_t i = 0; i < p->ntrans; i++)
        trans[i] = p->trans[i] - p->transu[i] * inv;
}

int ent_tag_doc(ent_tagger *tg, const ent_weights *w, const ent_doc *d, ent_annotate_fn annotate,
                void *ctx, uint8_t *tags) {
    if (ent_fx_prepare(&tg->fx, d->text, d->tok.v, d->tok.n, d->sent, d->nsent) != SL_OK)
        return SL_ENOMEM;
    if (annotate)
        annotate(ctx, d->text, d->tok.v, d->tok.n, &tg->fx);
    if (ent_tag_document(tg, w, d->sent, d->nsent, tags) != SL_OK)
        return SL_ENOMEM;
    if (annotate == ent_gaz_annotate && tg->title_type >= 0)
        ent_gaz_trim_titles(&tg->fx, tg->title_type, tags);
    return SL_OK;
}

/* Decode one sentence with the current weights and learn from its errors; the prediction
 * is left in pred. */
static void learn_sentence(perceptron *p, ent_tagger *tg, const ent_weights *w, const ent_doc *d,
                           size_t s, size_t e, const uint8_t *pass1, uint8_t *pred) {
    const int T = w->ntags;
    size_t m = e - s;
    ent_sentence_features(tg, s, e, w->hash_bits, pass1);
    ent_emissions(tg, w, m);
    ent_viterbi(tg, w, m, pred);
    const uint8_t *gold = d->tags + s;
    int prevg = -1, prevp = -1;
    for (size_t i = 0; i < m; i++) {
        int g = gold[i], q = pred[i];
        if (g != q) {
            update(p, tg, i, g, 1.0f, T);
            update(p, tg, i, q, -1.0f, T);
        }
        if (g != q || prevg != prevp) {
            update_trans(p, prevg, g, 1.0f, T);
            update_trans(p, prevp, q, -1.0f, T);
        }
        prevg = g;
        prevp = q;
    }
    p->c += 1;
}

/* One pass over the documents in the given order, learning from each sentence: in the first
 * pass with the label history of the model's own earlier predictions, in the second (with
 * two passes) with the first pass's labels of the whole document, as at run time. */
static int train_epoch(perceptron *p, const ent_train_opts *o, ent_tagger *tg, int ntypes,
                       const ent_doc *const *docs, size_t n, uint8_t **pred, size_t *predcap) {
    const int T = 1 + 4 * ntypes;
    ent_weights w = {.wf = p->w,
                     .trans = p->trans,
                     .hash_bits = o->hash_bits,
                     .ntypes = ntypes,
                     .ntags = T,
                     .passes = o->passes};
    for (size_t di = 0; di < n; di++) {
        const ent_doc *d = docs[di];
        if (ent_fx_prepare(&tg->fx, d->text, d->tok.v, d->tok.n, d->sent, d->nsent) != SL_OK)
            return SL_ENOMEM;
        if (o->annotate)
            o->annotate(o->annotate_ctx, d->text, d->tok.v, d->tok.n, &tg->fx);
        if (d->tok.n + 1 > *predcap) {
            uint8_t *np = realloc(*pred, d->tok.n + 1);
            if (!np)
                return SL_ENOMEM;
            *pred = np;
            *predcap = d->tok.n + 1;
        }
        for (int pass = 1; pass <= o->passes || pass == 1; pass++) {
            if (pass == 2 && ent_first_pass_done(tg, *pred, d->tok.n) != SL_OK)
                return SL_ENOMEM;
            for (size_t k = 0; k < d->nsent; k++) {
                size_t s = d->sent[2 * k], e = d->sent[2 * k + 1];
                if (e <= s)
                    continue;
                if (ent_tagger_reserve(tg, e - s) != SL_OK)
                    return SL_ENOMEM;
                learn_sentence(p, tg, &w, d, s, e, pass == 2 ? tg->dtypes : NULL, *pred + s);
                if (pass == 1)
                    ent_history_add_tags(tg, s, *pred + s, e - s);
            }
        }
    }
    return SL_OK;
}

static double score_docs(ent_tagger *tg, const ent_weights *w, const ent_train_opts *o, int ntypes,
                         const ent_doc *const *docs, size_t n, uint8_t **tags, size_t *cap,
                         ent_score *sc) {
    memset(sc, 0, sizeof *sc);
    sc->ntypes = ntypes;
    for (size_t i = 0; i < n; i++) {
        const ent_doc *d = docs[i];
        if (d->tok.n + 1 > *cap) {
            uint8_t *t = realloc(*tags, d->tok.n + 1);
            if (!t)
                return -1;
            *tags = t;
            *cap = d->tok.n + 1;
        }
        if (ent_tag_doc(tg, w, d, o->annotate, o->annotate_ctx, *tags) != SL_OK)
            return -1;
        ent_score_doc(sc, d, *tags);
    }
    return ent_score_f1(sc, -1, NULL, NULL);
}

ent_weights ent_trained_weights(const ent_trained *t) {
    return (ent_weights){.wf = t->w,
                         .trans = t->trans,
                         .hash_bits = t->hash_bits,
                         .ntypes = t->ntypes,
                         .ntags = t->ntags};
}

void ent_trained_free(ent_trained *t) {
    free(t->w);
    free(t->trans);
    memset(t, 0, sizeof *t);
}

int ent_train_subset(const ent_train_opts *o, int ntypes, ent_subset train, ent_subset dev,
                     ent_trained *out, double *f1_per_epoch) {
    const int T = 1 + 4 * ntypes;
    perceptron p = {0};
    p.nw = ((size_t)1 << o->hash_bits) * (size_t)T;
    p.ntrans = (size_t)(T + 1) * (size_t)T;
    ent_trained cur = {
        .hash_bits = o->hash_bits, .ntypes = ntypes, .ntags = T, .passes = o->passes};
    memset(out, 0, sizeof *out);
    *out = cur;
    out->best_epoch = -1;
    p.w = calloc(p.nw, sizeof(float));
    p.u = calloc(p.nw, sizeof(float));
    p.trans = calloc(p.ntrans, sizeof(float));
    p.transu = calloc(p.ntrans, sizeof(float));
    cur.w = malloc(p.nw * sizeof(float));
    cur.trans = malloc(p.ntrans * sizeof(float));
    const ent_doc **order = malloc((train.n + 1) * sizeof *order);
    ent_tagger tg;
    ent_tagger_init(&tg, ntypes, o->clusters);
    uint8_t *buf = NULL;
    size_t bufcap = 0;
    int rc = SL_ENOMEM;
    if (!p.w || !p.u || !p.trans || !p.transu || !cur.w || !cur.trans || !order)
        goto done;
    memcpy(order, train.docs, train.n * sizeof *order);
    uint64_t rng = o->seed;
    for (int ep = 1; ep <= o->epochs; ep++) {
        for (size_t i = train.n; i > 1; i--) { /* Fisher-Yates with the seeded generator */
            size_t j = (size_t)(splitmix(&rng) % i);
            const ent_doc *t = order[i - 1];
            order[i - 1] = order[j];
            order[j] = t;
        }
        if (train_epoch(&p, o, &tg, ntypes, order, train.n, &buf, &bufcap) != SL_OK)
            goto done;
        average(&p, cur.w, cur.trans);
        ent_weights w = ent_trained_weights(&cur);
        ent_score sc;
        double f1 = -1;
        if (dev.n) {
            f1 = score_docs(&tg, &w, o, ntypes, dev.docs, dev.n, &buf, &bufcap, &sc);
            if (f1 < 0)
                goto done;
            if (o->log) {
                double pr, re;
                ent_score_f1(&sc, -1, &pr, &re);
                fprintf(o->log, "epoch %2d  dev P %.4f R %.4f F1 %.4f\n", ep, pr, re, f1);
                fflush(o->log);
            }
        } else if (o->log) {
            fprintf(o->log, "epoch %2d  done\n", ep);
        }
        if (f1_per_epoch)
            f1_per_epoch[ep - 1] = f1;
        if (!dev.n || f1 > out->best_f1 || out->best_epoch < 0) {
            float *tw = out->w, *tt = out->trans;
            out->w = cur.w;
            out->trans = cur.trans;
            out->best_f1 = f1;
            out->best_epoch = ep;
            cur.w = tw ? tw : malloc(p.nw * sizeof(float));
            cur.trans = tt ? tt : malloc(p.ntrans * sizeof(float));
            if (!cur.w || !cur.trans)
                goto done;
        }
    }
    rc = SL_OK;
done:
    free(p.w);
    free(p.u);
    free(p.trans);
    free(p.transu);
    free(cur.w);
    free(cur.trans);
    free(order);
    free(buf);
    ent_tagger_free(&tg);
    if (rc != SL_OK)
        ent_trained_free(out);
    return rc;
}

int ent_train(const ent_train_opts *o, const ent_corpus *train, const ent_corpus *dev,
              ent_trained *out) {
    const ent_doc **td = malloc((train->ndocs + 1) * sizeof *td);
    const ent_doc **dd = malloc(((dev ? dev->ndocs : 0) + 1) * sizeof *dd);
    int rc = SL_ENOMEM;
    if (td && dd) {
        for (size_t i = 0; i < train->ndocs; i++)
            td[i] = &train->docs[i];
        for (size_t i = 0; dev && i < dev->ndocs; i++)
            dd[i] = &dev->docs[i];
        rc = ent_train_subset(o, train->ntypes, (ent_subset){td, train->ndocs},
                              (ent_subset){dd, dev ? dev->ndocs : 0}, out, NULL);
    }
    free(td);
    free(dd);
    return rc;
}
