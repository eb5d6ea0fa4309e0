/*
 * sluice-entities-clusters: hierarchical word clusters for the entities tagger, learned from
 * unlabelled news text (JSON Lines with "title" and "text"), tokenized by the core tokenizer so
 * that the words are the ones the tagger sees at run time.
 *
 * Two phases, both maximising the class-bigram mutual information of Brown et al. (1992):
 *  1. the exchange algorithm (Kneser and Ney 1993; Martin et al. 1998) sorts the vocabulary
 *     into K flat classes: each word in turn moves to the class that raises the objective most.
 *     One pass costs K times the number of (word, neighbouring class) pairs, which runs in
 *     seconds where Brown's agglomerative clustering of the whole vocabulary takes hours;
 *  2. Brown's agglomerative merging of those K classes, with the incremental loss updates of
 *     Liang (2005), builds the binary tree whose root-to-leaf paths are the bit strings, so that
 *     bit-string prefixes are coarser clusters.
 *
 * Everything is deterministic: words in order of count then bytes, ties broken by index.
 * Output: one line per word, "word<TAB>bits<TAB>count", sorted by bits, then count.
 */
#include "tokenizer.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NO_WORD UINT32_MAX

/* The output is written here and renamed at the end, so a failed run leaves the old file. */
static char *tmp_path;

static void die(const char *fmt, const char *arg) {
    if (tmp_path)
        remove(tmp_path);
    fprintf(stderr, "sluice-entities-clusters: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    exit(1);
}

static void *xcalloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size);
    if (!p)
        die("%s", "out of memory");
    return p;
}

static void *xrealloc(void *p, size_t n, size_t size) {
    if (size && n > SIZE_MAX / size)
        die("%s", "out of memory");
    p = realloc(p, n * size > 0 ? n * size : 1);
    if (!p)
        die("%s", "out of memory");
    return p;
}

static double seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- vocabulary: interned token strings with counts ---- */

typedef struct vocab {
    char *chars; /* NUL-terminated words back to back */
    size_t nchars, capchars;
    size_t *off;
    uint64_t *count;
    size_t n, cap;
    uint32_t *slots; /* open addressing: word id + 1, 0 when empty */
    size_t nslots;
} vocab;

static uint64_t hash_bytes(const char *s, size_t len) {
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static void vocab_grow_slots(vocab *v) {
    size_t nslots = v->nslots ? v->nslots * 2 : 1u << 16;
    uint32_t *slots = xcalloc(nslots, sizeof *slots);
    for (size_t id = 0; id < v->n; id++) {
        const char *w = v->chars + v->off[id];
        size_t s = hash_bytes(w, strlen(w)) & (nslots - 1);
        while (slots[s])
            s = (s + 1) & (nslots - 1);
        slots[s] = (uint32_t)id + 1;
    }
    free(v->slots);
    v->slots = slots;
    v->nslots = nslots;
}

static uint32_t vocab_add(vocab *v, const char *w, size_t len) {
    if ((v->n + 1) * 2 > v->nslots)
        vocab_grow_slots(v);
    size_t s = hash_bytes(w, len) & (v->nslots - 1);
    for (; v->slots[s]; s = (s + 1) & (v->nslots - 1)) {
        uint32_t id = v->slots[s] - 1;
        const char *x = v->chars + v->off[id];
        if (strncmp(x, w, len) == 0 && x[len] == '\0') {
            v->count[id]++;
            return id;
        }
    }
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 1024;
        v->off = xrealloc(v->off, v->cap, sizeof *v->off);
        v->count = xrealloc(v->count, v->cap, sizeof *v->count);
    }
    if (v->nchars + len + 1 > v->capchars) {
        v->capchars = (v->nchars + len + 1) * 2;
        v->chars = xrealloc(v->chars, v->capchars, 1);
    }
    memcpy(v->chars + v->nchars, w, len);
    v->chars[v->nchars + len] = '\0';
    v->off[v->n] = v->nchars;
    v->count[v->n] = 1;
    v->nchars += len + 1;
    v->slots[s] = (uint32_t)v->n + 1;
    return (uint32_t)v->n++;
}

/* ---- corpus: word ids, NO_WORD between titles and texts ---- */

typedef struct corpus {
    uint32_t *ids;
    size_t n, cap;
} corpus;

static void corpus_push(corpus *c, uint32_t id) {
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 1u << 20;
        c->ids = xrealloc(c->ids, c->cap, sizeof *c->ids);
    }
    c->ids[c->n++] = id;
}

/* Tokens with control characters would break the TSV; the tagger never looks them up. */
static int printable(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return 0;
    return len > 0;
}

static void add_text(vocab *v, corpus *c, slc_tokens *tok, const char *text, size_t len) {
    if (slc_tokenize(text, len, tok) != SL_OK)
        die("%s", "out of memory");
    for (size_t i = 0; i < tok->n; i++) {
        const char *w = text + tok->v[i].start;
        size_t wl = tok->v[i].end - tok->v[i].start;
        corpus_push(c, printable(w, wl) ? vocab_add(v, w, wl) : NO_WORD);
    }
    corpus_push(c, NO_WORD);
}

static void read_jsonl(const char *path, vocab *v, corpus *c, slc_tokens *tok) {
    FILE *f = fopen(path, "r");
    if (!f)
        die("cannot open %s", path);
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    size_t lineno = 0;
    while ((got = getline(&line, &cap, f)) > 0) {
        lineno++;
        json_error_t jerr;
        json_t *rec = json_loadb(line, (size_t)got, 0, &jerr);
        if (!rec || !json_is_object(rec)) {
            char msg[512];
            snprintf(msg, sizeof msg, "%s:%zu: not a JSON object", path, lineno);
            die("%s", msg);
        }
        static const char *const fields[] = {"title", "text"};
        for (size_t k = 0; k < 2; k++) {
            json_t *s = json_object_get(rec, fields[k]);
            if (json_is_string(s))
                add_text(v, c, tok, json_string_value(s), json_string_length(s));
        }
        json_decref(rec);
    }
    if (ferror(f))
        die("cannot read %s", path);
    free(line);
    fclose(f);
}

/* ---- words in frequency order, bigram lists ---- */

static const vocab *sort_vocab;

static int by_count_then_bytes(const void *pa, const void *pb) {
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    if (sort_vocab->count[a] != sort_vocab->count[b])
        return sort_vocab->count[a] > sort_vocab->count[b] ? -1 : 1;
    return strcmp(sort_vocab->chars + sort_vocab->off[a], sort_vocab->chars + sort_vocab->off[b]);
}

static int cmp_u64(const void *pa, const void *pb) {
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return (a > b) - (a < b);
}

/* Neighbour lists in compressed rows: the words next to word w are word[start[w]..start[w+1]). */
typedef struct adjacency {
    size_t *start;
    uint32_t *word;
    uint32_t *count;
} adjacency;

/* keys are (w << 32 | neighbour); sorted in place, then run-length counted. */
static adjacency build_adjacency(uint64_t *keys, size_t nkeys, size_t nwords) {
    qsort(keys, nkeys, sizeof *keys, cmp_u64);
    adjacency a = {xcalloc(nwords + 1, sizeof(size_t)), xcalloc(nkeys, sizeof(uint32_t)),
                   xcalloc(nkeys, sizeof(uint32_t))};
    size_t n = 0;
    for (size_t i = 0; i < nkeys;) {
        size_t j = i;
        while (j < nkeys && keys[j] == keys[i])
            j++;
        a.start[(keys[i] >> 32) + 1]++;
        a.word[n] = (uint32_t)keys[i];
        a.count[n] = (uint32_t)(j - i);
        n++;
        i = j;
    }
    for (size_t w = 0; w < nwords; w++)
        a.start[w + 1] += a.start[w];
    return a;
}

/* ---- phase 1: the exchange algorithm ---- */

typedef struct classes {
    size_t k;
    uint32_t *n;            /* n[a * k + b]: bigrams with the left word in a, the right word in b */
    uint32_t *nt;           /* the transpose, so that a column is contiguous too */
    uint64_t *left, *right; /* class counts as left and as right member of a bigram */
    double *flog;           /* flog[x] = x log x for every count that can occur */
} classes;

static double objective(const classes *c) {
    double sum = 0;
    for (size_t i = 0; i < c->k * c->k; i++)
        sum += c->flog[c->n[i]];
    for (size_t a = 0; a < c->k; a++)
        sum -= c->flog[c->left[a]] + c->flog[c->right[a]];
    return sum;
}

/* A word's bigram counts grouped by the class of the other word, self-bigrams apart. */
typedef struct word_view {
    uint32_t *succ, *pred; /* by class, k entries each, zero outside the lists */
    uint32_t *succ_nz, *pred_nz;
    size_t nsucc, npred;
    uint32_t self;
    uint64_t as_left, as_right;
} word_view;

static void view_word(word_view *v, const adjacency *out, const adjacency *in, const uint32_t *cls,
                      uint32_t w) {
    v->nsucc = v->npred = 0;
    v->self = 0;
    v->as_left = v->as_right = 0;
    for (size_t i = out->start[w]; i < out->start[w + 1]; i++) {
        v->as_left += out->count[i];
        if (out->word[i] == w) {
            v->self = out->count[i];
            continue;
        }
        uint32_t c = cls[out->word[i]];
        if (!v->succ[c]++)
            v->succ_nz[v->nsucc++] = c;
        v->succ[c] += out->count[i] - 1;
    }
    for (size_t i = in->start[w]; i < in->start[w + 1]; i++) {
        v->as_right += in->count[i];
        if (in->word[i] == w)
            continue;
        uint32_t c = cls[in->word[i]];
        if (!v->pred[c]++)
            v->pred_nz[v->npred++] = c;
        v->pred[c] += in->count[i] - 1;
    }
}

static void clear_view(word_view *v) {
    for (size_t i = 0; i < v->nsucc; i++)
        v->succ[v->succ_nz[i]] = 0;
    for (size_t i = 0; i < v->npred; i++)
        v->pred[v->pred_nz[i]] = 0;
}

/* Add (sign 1) or remove (sign -1) the word's bigrams to or from class a. */
static void place(classes *c, const word_view *v, uint32_t a, int sign) {
    size_t k = c->k;
    for (size_t i = 0; i < v->nsucc; i++) {
        uint32_t b = v->succ_nz[i];
        uint32_t d = v->succ[b];
        c->n[a * k + b] += sign > 0 ? d : -d;
        c->nt[b * k + a] += sign > 0 ? d : -d;
    }
    for (size_t i = 0; i < v->npred; i++) {
        uint32_t b = v->pred_nz[i];
        uint32_t d = v->pred[b];
        c->n[b * k + a] += sign > 0 ? d : -d;
        c->nt[a * k + b] += sign > 0 ? d : -d;
    }
    c->n[a * k + a] += sign > 0 ? v->self : -v->self;
    c->nt[a * k + a] += sign > 0 ? v->self : -v->self;
    c->left[a] += sign > 0 ? v->as_left : -v->as_left;
    c->right[a] += sign > 0 ? v->as_right : -v->as_right;
}

/* Gain in the objective from adding the word (already removed from its class) to class b. */
static double gain(const classes *c, const word_view *v, uint32_t b) {
    const double *f = c->flog;
    const uint32_t *row = c->n + (size_t)b * c->k, *col = c->nt + (size_t)b * c->k;
    double g = 0;
    for (size_t i = 0; i < v->nsucc; i++) {
        uint32_t x = v->succ_nz[i];
        g += f[row[x] + v->succ[x]] - f[row[x]];
    }
    for (size_t i = 0; i < v->npred; i++) {
        uint32_t x = v->pred_nz[i];
        g += f[col[x] + v->pred[x]] - f[col[x]];
    }
    /* The loops counted cell (b, b) twice, once per side: undo both, then add it once. */
    uint32_t bb = row[b];
    g -= f[bb + v->succ[b]] - f[bb] + f[bb + v->pred[b]] - f[bb];
    g += f[bb + v->succ[b] + v->pred[b] + v->self] - f[bb];
    g -= f[c->left[b] + v->as_left] - f[c->left[b]];
    g -= f[c->right[b] + v->as_right] - f[c->right[b]];
    return g;
}

static void exchange(classes *c, uint32_t *cls, size_t nwords, const adjacency *out,
                     const adjacency *in, int max_iter) {
    size_t k = c->k;
    word_view v = {xcalloc(k, 4), xcalloc(k, 4), xcalloc(k, 4), xcalloc(k, 4), 0, 0, 0, 0, 0};
    for (uint32_t w = 0; w < nwords; w++) {
        for (size_t i = out->start[w]; i < out->start[w + 1]; i++) {
            uint32_t a = cls[w], b = cls[out->word[i]];
            c->n[a * k + b] += out->count[i];
            c->nt[b * k + a] += out->count[i];
            c->left[a] += out->count[i];
            c->right[b] += out->count[i];
        }
    }
    double t0 = seconds();
    fprintf(stderr, "exchange: start, objective %.6e\n", objective(c));
    for (int iter = 1; iter <= max_iter; iter++) {
        size_t moves = 0;
        for (uint32_t w = 0; w < nwords; w++) {
            view_word(&v, out, in, cls, w);
            uint32_t a = cls[w];
            place(c, &v, a, -1);
            uint32_t best = a;
            double best_gain = gain(c, &v, a);
            for (uint32_t b = 0; b < k; b++) {
                if (b == a)
                    continue;
                double g = gain(c, &v, b);
                /* A clear margin, so that rounding never makes a word hop between equals. */
                if (g > best_gain + 1e-9 * (fabs(best_gain) + 1)) {
                    best_gain = g;
                    best = b;
                }
            }
            place(c, &v, best, 1);
            if (best != a) {
                cls[w] = best;
                moves++;
            }
            clear_view(&v);
        }
        fprintf(stderr, "exchange: pass %d, %zu words moved, objective %.6e, %.1f s\n", iter, moves,
                objective(c), seconds() - t0);
        if (moves == 0)
            break;
    }
    free(v.succ);
    free(v.pred);
    free(v.succ_nz);
    free(v.pred_nz);
}

/* ---- phase 2: Brown's merging of the classes into a binary tree ---- */

typedef struct tree {
    size_t nleaves, nnodes;
    int32_t *child0, *child1; /* -1 for leaves */
    uint64_t *weight;         /* tokens under the node */
} tree;

typedef struct merger {
    size_t n;        /* matrix side: the nonempty classes */
    double *p, *q;   /* p[i*n+j] bigram probability; q its mutual information term */
    double *pl, *pr; /* marginals */
    double *loss;    /* loss[i*n+j], i < j: mutual information lost by merging i and j */
    uint32_t *active;
    size_t nactive;
} merger;

static double mi_term(double p, double l, double r) {
    return p > 0 ? p * log(p / (l * r)) : 0;
}

/* The terms of i and j with a third cluster x that a merge of i and j replaces. */
static double pair_terms(const merger *m, size_t x, size_t i, size_t j) {
    size_t n = m->n;
    const double *p = m->p, *q = m->q;
    return q[i * n + x] + q[x * n + i] + q[j * n + x] + q[x * n + j] -
           mi_term(p[i * n + x] + p[j * n + x], m->pl[i] + m->pl[j], m->pr[x]) -
           mi_term(p[x * n + i] + p[x * n + j], m->pl[x], m->pr[i] + m->pr[j]);
}

static double full_loss(const merger *m, size_t i, size_t j) {
    size_t n = m->n;
    const double *p = m->p, *q = m->q;
    double l = q[i * n + i] + q[i * n + j] + q[j * n + i] + q[j * n + j] -
               mi_term(p[i * n + i] + p[i * n + j] + p[j * n + i] + p[j * n + j],
                       m->pl[i] + m->pl[j], m->pr[i] + m->pr[j]);
    for (size_t t = 0; t < m->nactive; t++) {
        size_t x = m->active[t];
        if (x != i && x != j)
            l += pair_terms(m, x, i, j);
    }
    return l;
}

static void refresh_q(merger *m, size_t a) {
    size_t n = m->n;
    for (size_t t = 0; t < m->nactive; t++) {
        size_t x = m->active[t];
        m->q[a * n + x] = mi_term(m->p[a * n + x], m->pl[a], m->pr[x]);
        m->q[x * n + a] = mi_term(m->p[x * n + a], m->pl[x], m->pr[a]);
    }
}

/* Adds sign * (terms with x) to the loss of every active pair that has neither a nor b. */
static void shift_losses(merger *m, size_t x, size_t a, size_t b, double sign) {
    size_t n = m->n;
    for (size_t s = 0; s < m->nactive; s++) {
        size_t i = m->active[s];
        if (i == a || i == b)
            continue;
        for (size_t t = s + 1; t < m->nactive; t++) {
            size_t j = m->active[t];
            if (j != a && j != b)
                m->loss[i * n + j] += sign * pair_terms(m, x, i, j);
        }
    }
}

static tree brown_merge(const classes *c, const uint32_t *cls, const uint64_t *count, size_t nwords,
                        uint32_t *leaf_of_class) {
    size_t k = c->k, n = 0;
    for (size_t a = 0; a < k; a++)
        leaf_of_class[a] = c->left[a] + c->right[a] ? (uint32_t)n++ : NO_WORD;
    /* A class of words that never meet a kept neighbour still needs a leaf. */
    for (size_t w = 0; w < nwords; w++)
        if (leaf_of_class[cls[w]] == NO_WORD)
            leaf_of_class[cls[w]] = (uint32_t)n++;
    tree t = {n, n, xcalloc(2 * n, 4), xcalloc(2 * n, 4), xcalloc(2 * n, 8)};
    for (size_t i = 0; i < 2 * n; i++)
        t.child0[i] = t.child1[i] = -1;
    for (size_t w = 0; w < nwords; w++)
        t.weight[leaf_of_class[cls[w]]] += count[w];

    merger m = {n,
                xcalloc(n * n, 8),
                xcalloc(n * n, 8),
                xcalloc(n, 8),
                xcalloc(n, 8),
                xcalloc(n * n, 8),
                xcalloc(n, 4),
                n};
    double total = 0;
    for (size_t a = 0; a < k; a++)
        total += (double)c->left[a];
    if (total == 0)
        total = 1;
    for (size_t a = 0; a < k; a++) {
        if (leaf_of_class[a] == NO_WORD)
            continue;
        size_t i = leaf_of_class[a];
        m.pl[i] = c->left[a] / total;
        m.pr[i] = c->right[a] / total;
        for (size_t b = 0; b < k; b++)
            if (leaf_of_class[b] != NO_WORD)
                m.p[i * n + leaf_of_class[b]] = c->n[a * k + b] / total;
    }
    for (size_t i = 0; i < n; i++)
        m.active[i] = (uint32_t)i;
    for (size_t i = 0; i < n; i++)
        refresh_q(&m, i);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            m.loss[i * n + j] = full_loss(&m, i, j);

    uint32_t *node_of = xcalloc(n, 4);
    for (size_t i = 0; i < n; i++)
        node_of[i] = (uint32_t)i;
    double t0 = seconds();
    while (m.nactive > 1) {
        size_t a = 0, b = 0;
        double best = INFINITY;
        for (size_t s = 0; s < m.nactive; s++)
            for (size_t u = s + 1; u < m.nactive; u++) {
                size_t i = m.active[s], j = m.active[u];
                if (m.loss[i * n + j] < best) {
                    best = m.loss[i * n + j];
                    a = i;
                    b = j;
                }
            }
        shift_losses(&m, a, a, b, -1);
        shift_losses(&m, b, a, b, -1);
        for (size_t s = 0; s < m.nactive; s++) {
            size_t x = m.active[s];
            m.p[a * n + x] += m.p[b * n + x];
        }
        for (size_t s = 0; s < m.nactive; s++) {
            size_t x = m.active[s];
            m.p[x * n + a] += m.p[x * n + b];
        }
        m.pl[a] += m.pl[b];
        m.pr[a] += m.pr[b];
        size_t w = 0;
        for (size_t s = 0; s < m.nactive; s++)
            if (m.active[s] != b)
                m.active[w++] = m.active[s];
        m.nactive = w;
        refresh_q(&m, a);
        shift_losses(&m, a, a, a, 1);
        for (size_t s = 0; s < m.nactive; s++) {
            size_t x = m.active[s];
            if (x != a)
                m.loss[x < a ? x * n + a : a * n + x] = full_loss(&m, x < a ? x : a, x < a ? a : x);
        }
        /* The heavier side takes bit 0, so the order of siblings does not depend on indices. */
        uint32_t na = node_of[a], nb = node_of[b];
        if (t.weight[nb] > t.weight[na]) {
            uint32_t swap = na;
            na = nb;
            nb = swap;
        }
        size_t node = t.nnodes++;
        t.child0[node] = (int32_t)na;
        t.child1[node] = (int32_t)nb;
        t.weight[node] = t.weight[na] + t.weight[nb];
        node_of[a] = (uint32_t)node;
        if (m.nactive % 100 == 0)
            fprintf(stderr, "merge: %zu clusters left, %.1f s\n", m.nactive, seconds() - t0);
    }
    free(node_of);
    free(m.p);
    free(m.q);
    free(m.pl);
    free(m.pr);
    free(m.loss);
    free(m.active);
    return t;
}

/* Root-to-leaf paths, '0' for child0 and '1' for child1; a lone leaf gets "0". Preorder with a
 * stack: when a node is popped, path[0, depth) already holds its ancestors' bits. */
static char **leaf_paths(const tree *t) {
    char **paths = xcalloc(t->nleaves, sizeof *paths);
    size_t root = t->nnodes - 1;
    uint32_t *stack = xcalloc(t->nnodes, 4);
    uint32_t *depth = xcalloc(t->nnodes, 4);
    char *bit = xcalloc(t->nnodes, 1);
    char *path = xcalloc(t->nnodes + 2, 1);
    size_t top = 0;
    stack[top++] = (uint32_t)root;
    while (top) {
        uint32_t node = stack[--top];
        size_t d = depth[node];
        if (d > 0)
            path[d - 1] = bit[node];
        if (t->child0[node] >= 0) {
            uint32_t c0 = (uint32_t)t->child0[node], c1 = (uint32_t)t->child1[node];
            depth[c0] = depth[c1] = (uint32_t)d + 1;
            bit[c0] = '0';
            bit[c1] = '1';
            stack[top++] = c1;
            stack[top++] = c0;
            continue;
        }
        if (d == 0)
            path[d++] = '0';
        paths[node] = xcalloc(d + 1, 1);
        memcpy(paths[node], path, d);
    }
    free(stack);
    free(depth);
    free(bit);
    free(path);
    return paths;
}

/* ---- output ---- */

typedef struct out_line {
    const char *word;
    const char *bits;
    uint64_t count;
} out_line;

static int by_bits_then_count(const void *pa, const void *pb) {
    const out_line *a = pa, *b = pb;
    int c = strcmp(a->bits, b->bits);
    if (c)
        return c;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return strcmp(a->word, b->word);
}

static void usage(void) {
    fprintf(stderr,
            "usage: sluice-entities-clusters [--classes K] [--min-count N] [--passes P] -o OUT.tsv "
            "NEWS.jsonl...\n"
            "  Learns hierarchical word clusters from the \"title\" and \"text\" of JSON Lines\n"
            "  records; writes word<TAB>bits<TAB>count for words seen at least N times.\n"
            "  Defaults: K 1000, N 3, P 30 (passes stop early when no word moves).\n");
    exit(2);
}

static long parse_count(const char *s, long lo, long hi) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || end == s || v < lo || v > hi)
        usage();
    return v;
}

int main(int argc, char **argv) {
    size_t k = 1000;
    uint64_t min_count = 3;
    int passes = 30;
    const char *out_path = NULL;
    int first_input = argc;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--classes") && i + 1 < argc)
            k = (size_t)parse_count(argv[++i], 2, 100000);
        else if (!strcmp(argv[i], "--min-count") && i + 1 < argc)
            min_count = (uint64_t)parse_count(argv[++i], 1, 1000000);
        else if (!strcmp(argv[i], "--passes") && i + 1 < argc)
            passes = (int)parse_count(argv[++i], 0, 1000);
        else if (!strcmp(argv[i], "-o") && i + 1 < argc)
            out_path = argv[++i];
        else if (argv[i][0] == '-')
            usage();
        else {
            first_input = i;
            break;
        }
    }
    if (!out_path || first_input == argc)
        usage();

    /* Fail before the work, not after it, when the output cannot be written. */
    size_t out_len = strlen(out_path);
    tmp_path = xcalloc(out_len + 5, 1);
    memcpy(tmp_path, out_path, out_len);
    memcpy(tmp_path + out_len, ".tmp", 5);
    FILE *f = fopen(tmp_path, "w");
    if (!f) {
        char *bad = tmp_path;
        tmp_path = NULL;
        die("cannot write %s", bad);
    }

    double t0 = seconds();
    vocab v = {0};
    corpus c = {0};
    slc_tokens tok = {0};
    for (int i = first_input; i < argc; i++)
        read_jsonl(argv[i], &v, &c, &tok);
    slc_tokens_free(&tok);

    /* Renumber: kept words by falling count, the rest dropped from the bigrams. */
    uint32_t *order = xcalloc(v.n, 4);
    for (size_t i = 0; i < v.n; i++)
        order[i] = (uint32_t)i;
    sort_vocab = &v;
    qsort(order, v.n, sizeof *order, by_count_then_bytes);
    uint32_t *new_id = xcalloc(v.n, 4);
    size_t nwords = 0;
    for (size_t r = 0; r < v.n; r++)
        new_id[order[r]] = v.count[order[r]] >= min_count ? (uint32_t)nwords++ : NO_WORD;
    uint64_t *count = xcalloc(nwords, 8);
    for (size_t r = 0; r < nwords; r++)
        count[r] = v.count[order[r]];
    size_t nkeys = 0;
    uint64_t *keys = xcalloc(c.n, 8), *rkeys = xcalloc(c.n, 8);
    size_t ntokens = 0;
    for (size_t i = 0; i < c.n; i++) {
        if (c.ids[i] == NO_WORD)
            continue;
        ntokens++;
        if (i + 1 == c.n || c.ids[i + 1] == NO_WORD)
            continue;
        uint64_t a = new_id[c.ids[i]], b = new_id[c.ids[i + 1]];
        if (a == NO_WORD || b == NO_WORD)
            continue;
        keys[nkeys] = a << 32 | b;
        rkeys[nkeys++] = b << 32 | a;
    }
    free(c.ids);
    fprintf(stderr,
            "read %zu tokens, %zu distinct words, %zu kept (count >= %llu), %zu bigrams, %.1f s\n",
            ntokens, v.n, nwords, (unsigned long long)min_count, nkeys, seconds() - t0);
    if (nwords == 0)
        die("%s", "no word occurs often enough");
    adjacency out = build_adjacency(keys, nkeys, nwords);
    adjacency in = build_adjacency(rkeys, nkeys, nwords);
    free(keys);
    free(rkeys);

    if (k > nwords)
        k = nwords;
    classes cl = {k,
                  xcalloc(k * k, 4),
                  xcalloc(k * k, 4),
                  xcalloc(k, 8),
                  xcalloc(k, 8),
                  xcalloc(nkeys + 1, sizeof(double))};
    for (size_t x = 1; x <= nkeys; x++)
        cl.flog[x] = (double)x * log((double)x);
    /* The k - 1 most frequent words start alone; the rest share the last class, so the first
     * pass sorts them out by their neighbours rather than by an arbitrary spread. */
    uint32_t *cls = xcalloc(nwords, 4);
    for (size_t w = 0; w < nwords; w++)
        cls[w] = (uint32_t)(w < k - 1 ? w : k - 1);
    exchange(&cl, cls, nwords, &out, &in, passes);

    uint32_t *leaf_of_class = xcalloc(k, 4);
    tree t = brown_merge(&cl, cls, count, nwords, leaf_of_class);
    char **paths = leaf_paths(&t);

    out_line *lines = xcalloc(nwords, sizeof *lines);
    for (size_t w = 0; w < nwords; w++) {
        lines[w].word = v.chars + v.off[order[w]];
        lines[w].bits = paths[leaf_of_class[cls[w]]];
        lines[w].count = count[w];
    }
    qsort(lines, nwords, sizeof *lines, by_bits_then_count);
    for (size_t w = 0; w < nwords; w++)
        fprintf(f, "%s\t%s\t%llu\n", lines[w].word, lines[w].bits,
                (unsigned long long)lines[w].count);
    if (ferror(f) | fclose(f))
        die("cannot write %s", tmp_path);
    if (rename(tmp_path, out_path) != 0)
        die("cannot rename the output to %s", out_path);
    free(tmp_path);
    tmp_path = NULL;
    fprintf(stderr, "wrote %zu words in %zu clusters to %s, %.1f s in all\n", nwords, t.nleaves,
            out_path, seconds() - t0);

    for (size_t i = 0; i < t.nleaves; i++)
        free(paths[i]);
    free(paths);
    free(lines);
    free(t.child0);
    free(t.child1);
    free(t.weight);
    free(leaf_of_class);
    free(cls);
    free(cl.n);
    free(cl.nt);
    free(cl.left);
    free(cl.right);
    free(cl.flog);
    free(out.start);
    free(out.word);
    free(out.count);
    free(in.start);
    free(in.word);
    free(in.count);
    free(count);
    free(new_id);
    free(order);
    free(v.chars);
    free(v.off);
    free(v.count);
    free(v.slots);
    return 0;
}
