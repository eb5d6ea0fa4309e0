/*
 * Scoring the splitter. Golden rules compare whitespace-stripped segments, as pySBD's own test
 * does. UD paragraphs compare the sentence starts after the first (the internal ends: every
 * splitter gets a paragraph's own end for free), located by searching each gold sentence in the
 * paragraph text in order.
 */
#define _POSIX_C_SOURCE 200809L
#include "eval.h"

#include "splitter.h"
#include "tokenizer.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int is_space(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Split text with default options; SL_OK or an error. */
static int split(const char *text, size_t len, slc_tokens *tk, sp_spans *sp) {
    sp_config cfg;
    sp_config_init(&cfg);
    int rc = slc_tokenize(text, len, tk);
    if (rc == SL_OK)
        rc = sp_split(&cfg, text, len, tk->v, tk->n, sp);
    return rc;
}

/* Whether segment text[s, e) equals `want` once both are stripped of white space. */
static int same_stripped(const char *text, size_t s, size_t e, const char *want) {
    size_t wl = strlen(want);
    while (s < e && is_space((unsigned char)text[s]))
        s++;
    while (e > s && is_space((unsigned char)text[e - 1]))
        e--;
    while (wl > 0 && is_space((unsigned char)want[wl - 1]))
        wl--;
    while (wl > 0 && is_space((unsigned char)*want)) {
        want++;
        wl--;
    }
    return e - s == wl && memcmp(text + s, want, wl) == 0;
}

int ev_golden_rules(const char *path, ev_golden *r, FILE *log) {
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    memset(r, 0, sizeof *r);
    if (!root || !json_is_array(root)) {
        json_decref(root);
        return -1;
    }
    slc_tokens tk = {0};
    sp_spans sp = {0};
    size_t idx;
    json_t *c;
    json_array_foreach(root, idx, c) {
        const char *text = json_string_value(json_object_get(c, "text"));
        json_t *want = json_object_get(c, "sentences");
        if (!text || !json_is_array(want))
            continue;
        r->total++;
        size_t len = strlen(text);
        if (split(text, len, &tk, &sp) != SL_OK)
            continue;
        int ok = sp.n == json_array_size(want);
        for (size_t k = 0; ok && k < sp.n; k++)
            ok = same_stripped(text, sp.v[k].start, sp.v[k].end,
                               json_string_value(json_array_get(want, k)));
        if (ok) {
            r->passed++;
        } else if (log) {
            fprintf(log, "golden %lld FAIL: %s\n",
                    (long long)json_integer_value(json_object_get(c, "id")), text);
            for (size_t k = 0; k < sp.n; k++)
                fprintf(log, "   got [%.*s]\n", (int)(sp.v[k].end - sp.v[k].start),
                        text + sp.v[k].start);
        }
    }
    slc_tokens_free(&tk);
    sp_spans_free(&sp);
    json_decref(root);
    return 0;
}

static int cmp_size(const void *a, const void *b) {
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* Show a boundary in context for error analysis. */
static void show(FILE *log, const char *tag, const char *text, size_t len, size_t at) {
    size_t s = at > 50 ? at - 50 : 0, e = at + 40 < len ? at + 40 : len;
    fprintf(log, "%s %.*s || %.*s\n", tag, (int)(at - s), text + s, (int)(e - at), text + at);
}

int ev_paragraphs(const char *path, ev_para *r, FILE *log) {
    FILE *f = fopen(path, "r");
    memset(r, 0, sizeof *r);
    if (!f)
        return -1;
    char *line = NULL;
    size_t cap = 0;
    slc_tokens tk = {0};
    sp_spans sp = {0};
    size_t *gold = NULL, *pred = NULL;
    size_t gcap = 0, pcap = 0;
    while (getline(&line, &cap, f) > 0) {
        json_error_t err;
        json_t *p = json_loads(line, 0, &err);
        const char *text = json_string_value(json_object_get(p, "text"));
        json_t *sents = json_object_get(p, "sentences");
        if (!text || !json_is_array(sents)) {
            json_decref(p);
            continue;
        }
        size_t len = strlen(text), ng = 0, np = 0, pos = 0;
        size_t ns = json_array_size(sents);
        if (ns > gcap) {
            gcap = ns * 2;
            gold = realloc(gold, gcap * sizeof *gold);
        }
        for (size_t k = 0; k < ns; k++) {
            const char *s = json_string_value(json_array_get(sents, k));
            const char *hit = s ? strstr(text + pos, s) : NULL;
            if (!hit)
                break;
            if (k > 0)
                gold[ng++] = (size_t)(hit - text);
            pos = (size_t)(hit - text) + strlen(s);
        }
        if (split(text, len, &tk, &sp) != SL_OK) {
            json_decref(p);
            continue;
        }
        if (sp.n > pcap) {
            pcap = sp.n * 2;
            pred = realloc(pred, pcap * sizeof *pred);
        }
        for (size_t k = 1; k < sp.n; k++)
            pred[np++] = sp.v[k].start;
        qsort(gold, ng, sizeof *gold, cmp_size);
        size_t a = 0, b = 0, tp = 0;
        while (a < ng || b < np) {
            if (a < ng && b < np && gold[a] == pred[b]) {
                tp++;
                a++;
                b++;
            } else if (b >= np || (a < ng && gold[a] < pred[b])) {
                if (log)
                    show(log, "FN", text, len, gold[a]);
                a++;
            } else {
                if (log)
                    show(log, "FP", text, len, pred[b]);
                b++;
            }
        }
        r->tp += tp;
        r->fp += np - tp;
        r->fn += ng - tp;
        r->paragraphs++;
        r->exact += tp == ng && tp == np;
        json_decref(p);
    }
    free(line);
    free(gold);
    free(pred);
    slc_tokens_free(&tk);
    sp_spans_free(&sp);
    fclose(f);
    r->precision = r->tp + r->fp ? (double)r->tp / (double)(r->tp + r->fp) : 1.0;
    r->recall = r->tp + r->fn ? (double)r->tp / (double)(r->tp + r->fn) : 1.0;
    r->f1 = r->precision + r->recall > 0 ? 2 * r->precision * r->recall / (r->precision + r->recall)
                                         : 0.0;
    r->exact_share = r->paragraphs ? (double)r->exact / (double)r->paragraphs : 0.0;
    return 0;
}

int ev_conll_tokens(const char *path, ev_conll *r, FILE *log) {
    FILE *f = fopen(path, "r");
    memset(r, 0, sizeof *r);
    if (!f)
        return -1;
    char *line = NULL;
    size_t cap = 0;
    slc_tokens tk = {0};
    while (getline(&line, &cap, f) > 0) {
        json_error_t err;
        json_t *d = json_loads(line, 0, &err);
        const char *text = json_string_value(json_object_get(d, "text"));
        json_t *toks = json_object_get(d, "tokens");
        if (!text || !json_is_array(toks) || slc_tokenize(text, strlen(text), &tk) != SL_OK) {
            json_decref(d);
            continue;
        }
        size_t ng = json_array_size(toks), pos = 0, k = 0, hit = 0;
        for (size_t g = 0; g < ng; g++) {
            const char *s = json_string_value(json_array_get(toks, g));
            const char *at = s ? strstr(text + pos, s) : NULL;
            if (!at)
                break;
            size_t st = (size_t)(at - text), en = st + strlen(s);
            pos = en;
            while (k < tk.n && tk.v[k].start < st)
                k++;
            hit += k < tk.n && tk.v[k].start == st && tk.v[k].end == en;
        }
        r->sentences++;
        r->tokens += ng;
        r->reproduced += hit;
        r->exact += hit == ng && tk.n == ng;
        if (log && !(hit == ng && tk.n == ng)) {
            fprintf(log, "CONLL %s\n     ", text);
            for (size_t q = 0; q < tk.n; q++)
                fprintf(log, "[%.*s]", (int)(tk.v[q].end - tk.v[q].start), text + tk.v[q].start);
            fprintf(log, "\n");
        }
        json_decref(d);
    }
    free(line);
    slc_tokens_free(&tk);
    fclose(f);
    return 0;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int ev_speed_run(const char *path, int rounds, ev_speed *r) {
    FILE *f = fopen(path, "r");
    memset(r, 0, sizeof *r);
    if (!f)
        return -1;
    char *line = NULL, **texts = NULL;
    size_t cap = 0, *lens = NULL, n = 0, tcap = 0;
    while (getline(&line, &cap, f) > 0) {
        json_error_t err;
        json_t *d = json_loads(line, 0, &err);
        json_t *t = json_object_get(d, "text");
        if (json_is_string(t)) {
            if (n == tcap) {
                tcap = tcap ? tcap * 2 : 1024;
                texts = realloc(texts, tcap * sizeof *texts);
                lens = realloc(lens, tcap * sizeof *lens);
            }
            lens[n] = json_string_length(t);
            texts[n] = malloc(lens[n] + 1);
            memcpy(texts[n], json_string_value(t), lens[n] + 1);
            r->bytes += lens[n];
            n++;
        }
        json_decref(d);
    }
    free(line);
    fclose(f);
    r->docs = n;
    slc_tokens tk = {0};
    sp_spans sp = {0};
    sp_config cfg;
    sp_config_init(&cfg);
    double t0 = now();
    for (int k = 0; k < rounds; k++)
        for (size_t i = 0; i < n; i++)
            slc_tokenize(texts[i], lens[i], &tk);
    double t1 = now();
    for (int k = 0; k < rounds; k++)
        for (size_t i = 0; i < n; i++) {
            slc_tokenize(texts[i], lens[i], &tk);
            sp_split(&cfg, texts[i], lens[i], tk.v, tk.n, &sp);
            if (k == 0) {
                r->tokens += tk.n;
                r->sentences += sp.n;
            }
        }
    double t2 = now();
    double mb = (double)r->bytes * rounds / 1e6;
    r->tokenize_mbs = mb / (t1 - t0);
    r->total_mbs = mb / (t2 - t1);
    for (size_t i = 0; i < n; i++)
        free(texts[i]);
    free(texts);
    free(lens);
    slc_tokens_free(&tk);
    sp_spans_free(&sp);
    return 0;
}
