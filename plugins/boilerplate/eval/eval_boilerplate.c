/*
 * Scores the boilerplate extractor on the article-extraction-benchmark pages: precision, recall
 * and F1 of 4-word shingle multisets (tokens: runs of Unicode letters, numbers and '_', as
 * Python's \w), per page, averaged over pages as upstream does (precision over pages with a
 * non-empty prediction, recall over pages with a non-empty gold text, F1 of the two means).
 * Also reports parse+extract throughput on one core with all pages already in memory.
 *
 * usage: eval_boilerplate [-v] [--show ID-PREFIX] [--dump DIR] [DATA_DIR]
 * -v prints the per-page table; --show prints one page's extraction next to the gold text;
 * --dump writes every extraction to DIR/ID.txt.
 * DATA_DIR defaults to $SLUICE_SHARED_DATA/boilerplate. Exit 0 with a message when absent.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include "bp.h"
#include "bp_eval.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <utf8proc.h>
#include <zlib.h>

#ifndef BP_DEFAULT_DATA
#define BP_DEFAULT_DATA "../shared/data"
#endif

typedef struct page {
    char *id, *gold, *html;
    size_t html_len;
} page;

static char *read_gz(const char *path, size_t *len) {
    gzFile f = gzopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    int r;
    while (b && (r = gzread(f, b + n, (unsigned)(cap - n - 1))) > 0) {
        n += (size_t)r;
        if (cap - n - 1 == 0) {
            char *nb = realloc(b, cap * 2);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
    }
    gzclose(f);
    if (b)
        b[n] = '\0';
    *len = n;
    return b;
}

static int is_word_cp(utf8proc_int32_t cp) {
    if (cp == '_')
        return 1;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return 1;
    default:
        return 0;
    }
}

/* FNV-1a hashes of every shingle of 4 tokens (one shingle of all tokens when fewer). */
static uint64_t *shingles(const char *s, size_t *count) {
    size_t len = strlen(s), nt = 0, cap = 64;
    uint64_t *tok = malloc(cap * sizeof *tok);
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t i = 0;
    while (tok && i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
        if (k <= 0) {
            i++;
            continue;
        }
        if (!is_word_cp(cp)) {
            i += (size_t)k;
            continue;
        }
        uint64_t h = 1469598103934665603ull;
        while (i < len) {
            k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
            if (k <= 0 || !is_word_cp(cp))
                break;
            for (utf8proc_ssize_t j = 0; j < k; j++)
                h = (h ^ p[i + j]) * 1099511628211ull;
            i += (size_t)k;
        }
        if (nt == cap) {
            uint64_t *t = realloc(tok, cap * 2 * sizeof *t);
            if (!t) {
                free(tok);
                return NULL;
            }
            tok = t;
            cap *= 2;
        }
        tok[nt++] = h;
    }
    if (!tok)
        return NULL;
    size_t ns = nt == 0 ? 0 : nt < 4 ? 1 : nt - 3;
    uint64_t *sh = malloc((ns ? ns : 1) * sizeof *sh);
    for (size_t a = 0; sh && a < ns; a++) {
        uint64_t h = 7;
        for (size_t b = a; b < a + 4 && b < nt; b++)
            h = (h * 0x9E3779B97F4A7C15ull) ^ tok[b];
        sh[a] = h;
    }
    free(tok);
    *count = ns;
    return sh;
}

static int cmp64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* tp/fp/fn of the shingle multisets */
static void match(const char *gold, const char *pred, double *tp, double *fp, double *fn) {
    size_t ng = 0, np = 0;
    uint64_t *g = shingles(gold, &ng), *p = shingles(pred, &np);
    qsort(g, ng, sizeof *g, cmp64);
    qsort(p, np, sizeof *p, cmp64);
    size_t i = 0, j = 0, t = 0;
    while (i < ng && j < np) {
        if (g[i] == p[j])
            t++, i++, j++;
        else if (g[i] < p[j])
            i++;
        else
            j++;
    }
    *tp = (double)t;
    *fp = (double)(np - t);
    *fn = (double)(ng - t);
    free(g);
    free(p);
}

static double now_cpu(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Default data dir: $SLUICE_SHARED_DATA/boilerplate, else the build-time default. */
void bp_eval_default_dir(char *buf, size_t cap) {
    const char *sd = getenv("SLUICE_SHARED_DATA");
    snprintf(buf, cap, "%s/boilerplate", sd && *sd ? sd : BP_DEFAULT_DATA);
}

/* Runs the evaluation; 1 when the data is absent (skipped), 0 done, -1 on error. */
int bp_eval_run(const char *dir, int verbose, const char *show, const char *dump, double *f1_out,
                double *mbps_out) {
    char path[8192];
    snprintf(path, sizeof path, "%s/ground-truth.jsonl", dir);
    FILE *gt = fopen(path, "r");
    if (!gt) {
        printf("eval-boilerplate: no data at %s (%s): skipped\n", path, strerror(errno));
        return 1;
    }
    page *pages = NULL;
    size_t n = 0, cap = 0;
    char *line = NULL;
    size_t lcap = 0;
    double total_bytes = 0;
    while (getline(&line, &lcap, gt) > 0) {
        json_error_t err;
        json_t *o = json_loads(line, 0, &err);
        if (!o)
            continue;
        const char *id = json_string_value(json_object_get(o, "id"));
        const char *hf = json_string_value(json_object_get(o, "html_file"));
        const char *body = json_string_value(json_object_get(o, "articleBody"));
        if (id && hf && body) {
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                pages = realloc(pages, cap * sizeof *pages);
                if (!pages)
                    return -1;
            }
            snprintf(path, sizeof path, "%s/%s", dir, hf);
            page *pg = &pages[n];
            pg->html = read_gz(path, &pg->html_len);
            if (pg->html) {
                pg->id = strdup(id);
                pg->gold = strdup(body);
                total_bytes += (double)pg->html_len;
                n++;
            } else {
                fprintf(stderr, "eval-boilerplate: cannot read %s\n", path);
            }
        }
        json_decref(o);
    }
    free(line);
    fclose(gt);
    if (!n) {
        printf("eval-boilerplate: no pages under %s: skipped\n", dir);
        return 1;
    }
    bp_options opt;
    bp_options_default(&opt);
    char **out = calloc(n, sizeof *out);
    /* timing: best of three passes over the in-memory pages */
    double best = 1e30;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now_cpu();
        for (size_t i = 0; i < n; i++) {
            bp_result r;
            if (bp_extract_html(pages[i].html, pages[i].html_len, &opt, &r) != 0) {
                fprintf(stderr, "eval-boilerplate: out of memory\n");
                return -1;
            }
            if (rep == 0)
                out[i] = r.text, r.text = NULL;
            bp_result_free(&r);
        }
        double t = now_cpu() - t0;
        if (t < best)
            best = t;
    }
    double sp = 0, sr = 0;
    size_t np = 0, nr = 0;
    if (verbose)
        printf("%-12s %6s %6s %6s %8s %8s\n", "page", "P", "R", "F1", "gold", "pred");
    for (size_t i = 0; i < n; i++) {
        double tp, fp, fn;
        match(pages[i].gold, out[i], &tp, &fp, &fn);
        double p = (fp == 0 && fn == 0) ? 1 : (tp == 0 && fp == 0) ? 0 : tp / (tp + fp);
        double r = (fp == 0 && fn == 0) ? 1 : (tp == 0 && fn == 0) ? 0 : tp / (tp + fn);
        if (tp + fp > 0)
            sp += p, np++;
        if (tp + fn > 0)
            sr += r, nr++;
        if (verbose)
            printf("%-12.12s %6.3f %6.3f %6.3f %8zu %8zu\n", pages[i].id, p, r,
                   p + r > 0 ? 2 * p * r / (p + r) : 0, strlen(pages[i].gold), strlen(out[i]));
        if (show && !strncmp(pages[i].id, show, strlen(show)))
            printf("---- %s extracted ----\n%s\n---- gold ----\n%s\n----\n", pages[i].id, out[i],
                   pages[i].gold);
        if (dump) {
            char fp_path[8192];
            snprintf(fp_path, sizeof fp_path, "%s/%s.txt", dump, pages[i].id);
            FILE *f = fopen(fp_path, "w");
            if (f) {
                fputs(out[i], f);
                fclose(f);
            }
        }
    }
    double P = np ? sp / np : 0, R = nr ? sr / nr : 0, F = P + R > 0 ? 2 * P * R / (P + R) : 0;
    printf("boilerplate on %zu pages (%.1f MB of HTML)\n", n, total_bytes / 1e6);
    printf("| metric | value |\n|---|---|\n");
    printf("| precision | %.4f |\n| recall | %.4f |\n| F1 | %.4f |\n", P, R, F);
    printf("| speed, MB/s on one core (parse+extract) | %.1f |\n", total_bytes / 1e6 / best);
    for (size_t i = 0; i < n; i++) {
        free(pages[i].id);
        free(pages[i].gold);
        free(pages[i].html);
        free(out[i]);
    }
    free(pages);
    free(out);
    if (f1_out)
        *f1_out = F;
    if (mbps_out)
        *mbps_out = total_bytes / 1e6 / best;
    return 0;
}

#ifndef BP_EVAL_NO_MAIN
int main(int argc, char **argv) {
    int verbose = 0;
    const char *show = NULL, *dump = NULL, *dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-v"))
            verbose = 1;
        else if (!strcmp(argv[i], "--show") && i + 1 < argc)
            show = argv[++i];
        else if (!strcmp(argv[i], "--dump") && i + 1 < argc)
            dump = argv[++i];
        else if (argv[i][0] == '-') {
            fprintf(stderr, "usage: eval_boilerplate [-v] [--show ID-PREFIX] [--dump DIR] "
                            "[DATA_DIR]\n");
            return 2;
        } else
            dir = argv[i];
    }
    char dbuf[4096];
    if (!dir) {
        bp_eval_default_dir(dbuf, sizeof dbuf);
        dir = dbuf;
    }
    int rc = bp_eval_run(dir, verbose, show, dump, NULL, NULL);
    return rc < 0 ? 1 : 0;
}
#endif
