/*
 * sluice-train-entities: train the entities stage's model from CoNLL column files.
 *
 *   sluice-train-entities --train FILE [--dev FILE] [--epochs N] [--seed S] [--hash-bits B]
 *                         [--clusters TSV] [--gazetteer TSV] [--join spaces|natural]
 *                         [--cv K] --out MODEL
 *
 * Each epoch prints the dev precision, recall and F1; the averaged weights of the best epoch
 * are written. --cv K instead trains K times with whole documents of --train held out and
 * prints each epoch's mean held-out F1 (for choosing --epochs without the dev set).
 */
#include "model.h"
#include "train.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void usage(void) {
    fprintf(stderr,
            "usage: sluice-train-entities --train FILE [--dev FILE] [--epochs N] [--seed S]\n"
            "         [--hash-bits B] [--clusters TSV] [--gazetteer TSV] [--join "
            "spaces|natural]\n"
            "         [--cv K] --out MODEL\n");
    exit(2);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cross_validate(const ent_train_opts *o, const ent_corpus *c, int k) {
    double *sum = calloc((size_t)o->epochs, sizeof *sum);
    const ent_doc **tr = malloc(c->ndocs * sizeof *tr), **te = malloc(c->ndocs * sizeof *te);
    if (!sum || !tr || !te)
        return 1;
    for (int f = 0; f < k; f++) {
        size_t ntr = 0, nte = 0;
        for (size_t i = 0; i < c->ndocs; i++) {
            if ((int)(i % (size_t)k) == f)
                te[nte++] = &c->docs[i];
            else
                tr[ntr++] = &c->docs[i];
        }
        double *f1 = calloc((size_t)o->epochs, sizeof *f1);
        ent_trained t;
        if (!f1 || ent_train_subset(o, c->ntypes, (ent_subset){tr, ntr}, (ent_subset){te, nte}, &t,
                                    f1) != SL_OK) {
            fprintf(stderr, "sluice-train-entities: out of memory\n");
            return 1;
        }
        printf("fold %d/%d:", f + 1, k);
        for (int e = 0; e < o->epochs; e++) {
            printf(" %.4f", f1[e]);
            sum[e] += f1[e];
        }
        printf("\n");
        fflush(stdout);
        free(f1);
        ent_trained_free(&t);
    }
    int best = 0;
    printf("mean held-out F1 per epoch:");
    for (int e = 0; e < o->epochs; e++) {
        printf(" %d:%.4f", e + 1, sum[e] / k);
        if (sum[e] > sum[best])
            best = e;
    }
    printf("\nbest: %d epochs (mean F1 %.4f)\n", best + 1, sum[best] / k);
    free(sum);
    free(tr);
    free(te);
    return 0;
}

int main(int argc, char **argv) {
    const char *train = NULL, *dev = NULL, *out = NULL, *clusters = NULL, *gaz = NULL;
    ent_train_opts o = {.hash_bits = 20, .epochs = 20, .seed = 1, .log = stdout};
    ent_join join = ENT_JOIN_SPACES;
    int cv = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            usage();
        if (!strcmp(a, "--train"))
            train = v;
        else if (!strcmp(a, "--dev"))
            dev = v;
        else if (!strcmp(a, "--out"))
            out = v;
        else if (!strcmp(a, "--clusters"))
            clusters = v;
        else if (!strcmp(a, "--gazetteer"))
            gaz = v;
        else if (!strcmp(a, "--epochs"))
            o.epochs = atoi(v);
        else if (!strcmp(a, "--seed"))
            o.seed = strtoull(v, NULL, 10);
        else if (!strcmp(a, "--hash-bits"))
            o.hash_bits = (unsigned)atoi(v);
        else if (!strcmp(a, "--cv"))
            cv = atoi(v);
        else if (!strcmp(a, "--join") && (!strcmp(v, "spaces") || !strcmp(v, "natural")))
            join = !strcmp(v, "natural") ? ENT_JOIN_NATURAL : ENT_JOIN_SPACES;
        else
            usage();
        i++;
    }
    if (!train || (!out && !cv) || o.epochs < 1 || o.epochs > 1000 || o.hash_bits < 8 ||
        o.hash_bits > 26 || cv == 1 || cv < 0)
        usage();
    char err[512];
    ent_clusters cl = {0};
    if (clusters && ent_clusters_load_tsv(&cl, clusters, err, sizeof err) != 0) {
        fprintf(stderr, "sluice-train-entities: %s\n", err);
        return 1;
    }
    o.clusters = clusters ? &cl : NULL;
    if (gaz) {
        fprintf(stderr, "sluice-train-entities: --gazetteer: not yet\n");
        return 1;
    }
    double t0 = now();
    ent_corpus tc = {0}, dc = {0};
    if (ent_conll_read(&tc, train, join, ENT_CASE_ASIS, err, sizeof err) != 0) {
        fprintf(stderr, "sluice-train-entities: %s\n", err);
        return 1;
    }
    printf("train: %zu documents, %zu tokens, %zu entities not on token edges\n", tc.ndocs,
           tc.ntokens, tc.unaligned);
    if (dev) {
        dc.ntypes = tc.ntypes;
        memcpy(dc.types, tc.types, sizeof dc.types);
        if (ent_conll_read(&dc, dev, join, ENT_CASE_ASIS, err, sizeof err) != 0) {
            fprintf(stderr, "sluice-train-entities: %s\n", err);
            return 1;
        }
        printf("dev: %zu documents, %zu tokens\n", dc.ndocs, dc.ntokens);
    }
    if (cv) {
        o.log = NULL; /* the folds print their own lines */
        int rc = cross_validate(&o, &tc, cv);
        ent_corpus_free(&tc);
        ent_corpus_free(&dc);
        ent_clusters_free(&cl);
        return rc;
    }
    ent_trained t;
    if (ent_train(&o, &tc, dev ? &dc : NULL, &t) != SL_OK) {
        fprintf(stderr, "sluice-train-entities: out of memory\n");
        return 1;
    }
    printf("kept epoch %d", t.best_epoch);
    if (dev)
        printf(" (dev F1 %.4f)", t.best_f1);
    printf(", trained in %.1f s\n", now() - t0);
    ent_model_spec spec = {.hash_bits = o.hash_bits,
                           .ntypes = tc.ntypes,
                           .types = (const char(*)[16])tc.types,
                           .weights = t.w,
                           .trans = t.trans,
                           .clusters = o.clusters,
                           .flags = gaz ? ENT_MODEL_GAZETTEER : 0,
                           .gazetteer_sum = 0};
    int rc = ent_model_save(&spec, out, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "sluice-train-entities: %s\n", err);
    else
        printf("wrote %s\n", out);
    ent_trained_free(&t);
    ent_corpus_free(&tc);
    ent_corpus_free(&dc);
    ent_clusters_free(&cl);
    return rc ? 1 : 0;
}
