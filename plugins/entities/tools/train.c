/*
 * sluice-train-entities: train the entities stage's model from CoNLL column files.
 *
 *   sluice-train-entities --train FILE [--dev FILE] [--epochs N] [--seed S] [--hash-bits B]
 *                         [--clusters TSV] [--gazetteer TSV] [--join spaces|natural]
 *                         [--case-copies F] [--passes 1|2] [--cv K] --out MODEL
 *
 * Each epoch prints the dev precision, recall and F1; the averaged weights of the best epoch
 * are written. --case-copies F (default 0.1) adds a lower-cased copy of a share F of the
 * training documents and an upper-cased copy of another share F. --passes 2 makes a model that
 * tags each document twice, the second time with the labels the first pass gave the same
 * words anywhere in the document as features. --cv K instead trains K times with
 * whole documents of --train held out and prints each epoch's mean held-out F1 (for choosing
 * --epochs without the dev set).
 */
#include "gazfeatures.h"
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
            "         [--case-copies F] [--passes 1|2] [--cv K] --out MODEL\n");
    exit(2);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The training documents: as written, and the lower- or upper-cased copies of some of them
 * (case[i]: 0 none, 1 lower, 2 upper) so that the model also sees text without case cues. */
typedef struct source {
    ent_corpus asis, lower, upper;
    uint8_t *copy;
} source;

/* Documents of fold `fold` of k (held_out: only those, as written) or of the other folds
 * with their copies; k == 0: all documents. Returns the count written to out. */
static size_t collect(const source *s, int k, int fold, int held_out, const ent_doc **out) {
    size_t n = 0;
    for (size_t i = 0; i < s->asis.ndocs; i++) {
        int in_fold = k && (int)(i % (size_t)k) == fold;
        if (held_out != in_fold)
            continue;
        out[n++] = &s->asis.docs[i];
        if (!held_out && s->copy[i] == 1)
            out[n++] = &s->lower.docs[i];
        else if (!held_out && s->copy[i] == 2)
            out[n++] = &s->upper.docs[i];
    }
    return n;
}

static int cross_validate(const ent_train_opts *o, const source *src, int k) {
    const ent_corpus *c = &src->asis;
    double *sum = calloc((size_t)o->epochs, sizeof *sum);
    const ent_doc **tr = malloc(2 * c->ndocs * sizeof *tr), **te = malloc(c->ndocs * sizeof *te);
    if (!sum || !tr || !te)
        return 1;
    for (int f = 0; f < k; f++) {
        size_t ntr = collect(src, k, f, 0, tr), nte = collect(src, k, f, 1, te);
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

/* Read the training file three ways and draw which documents get a case-changed copy. */
static int read_source(source *s, const char *path, ent_join join, double frac, uint64_t seed,
                       char *err, size_t errlen) {
    memset(s, 0, sizeof *s);
    if (ent_conll_read(&s->asis, path, join, ENT_CASE_ASIS, err, errlen) != 0)
        return -1;
    s->copy = calloc(s->asis.ndocs + 1, 1);
    if (!s->copy)
        return -1;
    if (frac <= 0)
        return 0;
    ent_corpus *cs[2] = {&s->lower, &s->upper};
    for (int k = 0; k < 2; k++) {
        cs[k]->ntypes = s->asis.ntypes;
        memcpy(cs[k]->types, s->asis.types, sizeof cs[k]->types);
        if (ent_conll_read(cs[k], path, join, k ? ENT_CASE_UPPER : ENT_CASE_LOWER, err, errlen) !=
            0)
            return -1;
    }
    uint64_t x = seed * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL;
    for (size_t i = 0; i < s->asis.ndocs; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        double u = (double)(x >> 11) / 9007199254740992.0;
        s->copy[i] = u < frac ? 1 : u < 2 * frac ? 2 : 0;
    }
    return 0;
}

static void free_source(source *s) {
    ent_corpus_free(&s->asis);
    ent_corpus_free(&s->lower);
    ent_corpus_free(&s->upper);
    free(s->copy);
}

int main(int argc, char **argv) {
    const char *train = NULL, *dev = NULL, *out = NULL, *clusters = NULL, *gaz = NULL;
    ent_train_opts o = {.hash_bits = 19, .passes = 1, .epochs = 20, .seed = 1, .log = stdout};
    ent_join join = ENT_JOIN_SPACES;
    int cv = 0;
    double case_copies = 0.1;
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
        else if (!strcmp(a, "--passes"))
            o.passes = atoi(v);
        else if (!strcmp(a, "--case-copies"))
            case_copies = atof(v);
        else if (!strcmp(a, "--cv"))
            cv = atoi(v);
        else if (!strcmp(a, "--join") && (!strcmp(v, "spaces") || !strcmp(v, "natural")))
            join = !strcmp(v, "natural") ? ENT_JOIN_NATURAL : ENT_JOIN_SPACES;
        else
            usage();
        i++;
    }
    if (!train || (!out && !cv) || o.epochs < 1 || o.epochs > 1000 || o.hash_bits < 8 ||
        o.hash_bits > 26 || cv == 1 || cv < 0 || o.passes < 1 || o.passes > 2 || case_copies < 0 ||
        case_copies > 0.5)
        usage();
    char err[512];
    ent_clusters cl = {0};
    if (clusters && ent_clusters_load_tsv(&cl, clusters, err, sizeof err) != 0) {
        fprintf(stderr, "sluice-train-entities: %s\n", err);
        return 1;
    }
    o.clusters = clusters ? &cl : NULL;
    ent_gaz *g = NULL;
    uint64_t gaz_sum = 0;
    if (gaz) {
        g = ent_gaz_load(gaz, err, sizeof err);
        if (!g || ent_file_checksum(gaz, &gaz_sum) != 0) {
            fprintf(stderr, "sluice-train-entities: %s\n", g ? gaz : err);
            return 1;
        }
        o.annotate = ent_gaz_annotate;
        o.annotate_ctx = g;
    }
    double t0 = now();
    source src;
    ent_corpus dc = {0};
    if (read_source(&src, train, join, case_copies, o.seed, err, sizeof err) != 0) {
        fprintf(stderr, "sluice-train-entities: %s\n", err);
        return 1;
    }
    const ent_corpus *tc = &src.asis;
    printf("train: %zu documents, %zu tokens, %zu entities not on token edges\n", tc->ndocs,
           tc->ntokens, tc->unaligned);
    if (dev) {
        dc.ntypes = tc->ntypes;
        memcpy(dc.types, tc->types, sizeof dc.types);
        if (ent_conll_read(&dc, dev, join, ENT_CASE_ASIS, err, sizeof err) != 0) {
            fprintf(stderr, "sluice-train-entities: %s\n", err);
            return 1;
        }
        printf("dev: %zu documents, %zu tokens\n", dc.ndocs, dc.ntokens);
    }
    if (cv) {
        o.log = NULL; /* the folds print their own lines */
        int rc = cross_validate(&o, &src, cv);
        free_source(&src);
        ent_corpus_free(&dc);
        ent_clusters_free(&cl);
        ent_gaz_free(g);
        return rc;
    }
    ent_trained t;
    const ent_doc **td = malloc(2 * tc->ndocs * sizeof *td), **dd = NULL;
    size_t ntd = td ? collect(&src, 0, 0, 0, td) : 0;
    if (dev && td && (dd = malloc(dc.ndocs * sizeof *dd)))
        for (size_t i = 0; i < dc.ndocs; i++)
            dd[i] = &dc.docs[i];
    if (!td || (dev && !dd) ||
        ent_train_subset(&o, tc->ntypes, (ent_subset){td, ntd},
                         (ent_subset){dd, dev ? dc.ndocs : 0}, &t, NULL) != SL_OK) {
        fprintf(stderr, "sluice-train-entities: out of memory\n");
        return 1;
    }
    printf("kept epoch %d", t.best_epoch);
    if (dev)
        printf(" (dev F1 %.4f)", t.best_f1);
    printf(", trained in %.1f s\n", now() - t0);
    ent_model_spec spec = {.hash_bits = o.hash_bits,
                           .ntypes = tc->ntypes,
                           .types = (const char(*)[16])tc->types,
                           .weights = t.w,
                           .trans = t.trans,
                           .clusters = o.clusters,
                           .flags = (gaz ? ENT_MODEL_GAZETTEER : 0) |
                                    (o.passes == 2 ? ENT_MODEL_TWO_PASS : 0),
                           .gazetteer_sum = gaz_sum};
    int rc = ent_model_save(&spec, out, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "sluice-train-entities: %s\n", err);
    else
        printf("wrote %s\n", out);
    ent_trained_free(&t);
    free(td);
    free(dd);
    free_source(&src);
    ent_corpus_free(&dc);
    ent_clusters_free(&cl);
    ent_gaz_free(g);
    return rc ? 1 : 0;
}
