/*
 * Scoring the events plugin. The GSR scores follow the issue: a gold event's root counts as
 * found when the record's predictions have that root; triples compare the first three letters
 * of the actor codes (the country, or "---" and "IGO") with the root; a no-event record fails
 * when anything is predicted for it.
 */
#define _POSIX_C_SOURCE 200809L
#include "eval.h"

#include "coder.h"
#include "load.h"
#include "splitter.h"
#include "tokenizer.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Predicted events by id: the "events" array of each output line. */
static json_t *load_predictions(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    json_t *by_id = json_object();
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        json_t *o = json_loads(line, 0, NULL);
        if (!o)
            continue;
        json_t *id = json_object_get(o, "id");
        json_t *ev = json_object_get(o, "events");
        if (json_is_string(id) && json_is_array(ev))
            json_object_set(by_id, json_string_value(id), ev);
        json_decref(o);
    }
    free(line);
    fclose(f);
    return by_id;
}

static const char *str(json_t *o, const char *key) {
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* Whether the record is scored: not marked evaluate=false and not an expected error. */
static int scored(json_t *rec) {
    json_t *ev = json_object_get(rec, "evaluate");
    return !(json_is_false(ev)) && !json_object_get(rec, "error");
}

/* "SYR|PHL|19" of an event: first three letters of each actor and the root. */
static void triple(char *out, size_t cap, const char *src, const char *tgt, const char *code) {
    snprintf(out, cap, "%.3s|%.3s|%.2s", src, tgt, code);
}

typedef struct strset {
    char v[64][64];
    size_t n;
} strset;

static void set_add(strset *s, const char *x) {
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i], x) == 0)
            return;
    if (s->n < 64)
        snprintf(s->v[s->n++], 64, "%s", x);
}

static int set_has(const strset *s, const char *x) {
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i], x) == 0)
            return 1;
    return 0;
}

static void log_record(FILE *log, json_t *rec, const strset *gold, const strset *pred) {
    fprintf(log, "%s: %s\n  gold:", str(rec, "id"), str(rec, "text"));
    for (size_t i = 0; i < gold->n; i++)
        fprintf(log, " %s", gold->v[i]);
    fprintf(log, "\n  pred:");
    for (size_t i = 0; i < pred->n; i++)
        fprintf(log, " %s", pred->v[i]);
    fprintf(log, "\n");
}

typedef int (*record_fn)(void *ctx, json_t *rec, json_t *pred);

static int each_record(const char *gold_path, const char *pred_path, record_fn fn, void *ctx) {
    json_t *preds = load_predictions(pred_path);
    FILE *f = fopen(gold_path, "r");
    if (!preds || !f) {
        json_decref(preds);
        if (f)
            fclose(f);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        json_t *rec = json_loads(line, 0, NULL);
        if (!rec)
            continue;
        if (scored(rec))
            fn(ctx, rec, json_object_get(preds, str(rec, "id")));
        json_decref(rec);
    }
    free(line);
    fclose(f);
    json_decref(preds);
    return 0;
}

typedef struct gsr_ctx {
    evs_gsr *r;
    FILE *log;
} gsr_ctx;

static int gsr_record(void *ctx, json_t *rec, json_t *pred) {
    gsr_ctx *g = ctx;
    evs_gsr *r = g->r;
    strset gold = {.n = 0}, got = {.n = 0}, roots = {.n = 0};
    char t[64];
    size_t i;
    json_t *e;
    json_array_foreach(pred, i, e) {
        triple(t, sizeof t, str(e, "source_code"), str(e, "target_code"), str(e, "code"));
        set_add(&got, t);
        snprintf(t, sizeof t, "%.2s", str(e, "code"));
        set_add(&roots, t);
    }
    json_t *events = json_object_get(rec, "events");
    size_t hits = 0;
    json_array_foreach(events, i, e) {
        r->gold_events++;
        snprintf(t, sizeof t, "%.2s", str(e, "code"));
        hits += set_has(&roots, t);
        triple(t, sizeof t, str(e, "source"), str(e, "target"), str(e, "code"));
        set_add(&gold, t);
    }
    r->root_hits += hits;
    r->records++;
    size_t tp = 0;
    for (size_t k = 0; k < got.n; k++)
        tp += set_has(&gold, got.v[k]);
    r->tp += tp;
    r->fp += got.n - tp;
    r->fn += gold.n - tp;
    if (json_array_size(events) == 0) {
        r->noevent_records++;
        r->false_records += got.n > 0;
    }
    if (g->log && (tp != gold.n || tp != got.n))
        log_record(g->log, rec, &gold, &got);
    return 0;
}

static double ratio(size_t a, size_t b) {
    return b ? (double)a / (double)b : 0.0;
}

int evs_score_gsr(const char *gold_path, const char *pred_path, evs_gsr *r, FILE *log) {
    memset(r, 0, sizeof *r);
    gsr_ctx g = {r, log};
    if (each_record(gold_path, pred_path, gsr_record, &g))
        return -1;
    r->root_accuracy = ratio(r->root_hits, r->gold_events);
    r->precision = ratio(r->tp, r->tp + r->fp);
    r->recall = ratio(r->tp, r->tp + r->fn);
    r->f1 = r->precision + r->recall > 0 ? 2 * r->precision * r->recall / (r->precision + r->recall)
                                         : 0.0;
    r->false_rate = ratio(r->false_records, r->noevent_records);
    return 0;
}

typedef struct unit_ctx {
    evs_unit *r;
    FILE *log;
} unit_ctx;

static int unit_record(void *ctx, json_t *rec, json_t *pred) {
    unit_ctx *u = ctx;
    strset gold = {.n = 0}, got = {.n = 0};
    char t[64];
    size_t i;
    json_t *e;
    json_array_foreach(pred, i, e) {
        snprintf(t, sizeof t, "%s|%s|%s", str(e, "source_code"), str(e, "target_code"),
                 str(e, "code"));
        set_add(&got, t);
    }
    json_array_foreach(json_object_get(rec, "events"), i, e) {
        snprintf(t, sizeof t, "%s|%s|%s", str(e, "source"), str(e, "target"), str(e, "code"));
        set_add(&gold, t);
    }
    int same = gold.n == got.n;
    for (size_t k = 0; same && k < got.n; k++)
        same = set_has(&gold, got.v[k]);
    u->r->records++;
    u->r->exact += same;
    if (!same && u->log)
        log_record(u->log, rec, &gold, &got);
    return 0;
}

int evs_score_unit(const char *gold_path, const char *pred_path, evs_unit *r, FILE *log) {
    memset(r, 0, sizeof *r);
    unit_ctx u = {r, log};
    if (each_record(gold_path, pred_path, unit_record, &u))
        return -1;
    r->share = ratio(r->exact, r->records);
    return 0;
}

/* One document of the speed corpus, ready for the coder. */
typedef struct prepared {
    char *text;
    slc_tokens tok;
    ev_range *sent;
    size_t nsent;
} prepared;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int evs_speed_run(const char *corpus, const char *data_dir, int rounds, evs_speed *r) {
    memset(r, 0, sizeof *r);
    char cameo[4096], lexicon[4096], actors[4096], err[1024];
    snprintf(cameo, sizeof cameo, "%s/cameo.tsv", data_dir);
    snprintf(lexicon, sizeof lexicon, "%s/lexicon.tsv", data_dir);
    snprintf(actors, sizeof actors, "%s/actors.tsv", data_dir);
    const char *lex[] = {lexicon}, *tab[] = {actors};
    ev_sources src = {
        .cameo = cameo, .lexicons = lex, .nlexicons = 1, .actor_tables = tab, .nactor_tables = 1};
    ev_model m;
    if (ev_model_load(&m, &src, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    FILE *f = fopen(corpus, "r");
    if (!f) {
        ev_model_free(&m);
        return -1;
    }
    prepared *docs = NULL;
    size_t n = 0, cap = 0, bytes = 0;
    char *line = NULL;
    size_t lcap = 0;
    sp_config cfg;
    sp_config_init(&cfg);
    sp_spans sp = {0};
    int rc = 0;
    while (!rc && getline(&line, &lcap, f) > 0) {
        json_t *o = json_loads(line, 0, NULL);
        const char *text = o ? json_string_value(json_object_get(o, "text")) : NULL;
        if (text) {
            if (n == cap) {
                cap = cap ? cap * 2 : 1024;
                prepared *d = realloc(docs, cap * sizeof *d);
                if (!d)
                    rc = -1;
                else
                    docs = d;
            }
            if (!rc) {
                prepared *d = &docs[n];
                memset(d, 0, sizeof *d);
                size_t len = strlen(text);
                d->text = strdup(text);
                if (!d->text || slc_tokenize(d->text, len, &d->tok) != SL_OK ||
                    sp_split(&cfg, d->text, len, d->tok.v, d->tok.n, &sp) != SL_OK ||
                    !(d->sent = malloc((sp.n ? sp.n : 1) * sizeof *d->sent)))
                    rc = -1;
                else {
                    for (size_t k = 0; k < sp.n; k++)
                        d->sent[k] = ev_span_tokens(d->tok.v, d->tok.n, sp.v[k].start, sp.v[k].end);
                    d->nsent = sp.n;
                }
                n++;
                bytes += len;
                r->sentences += d->nsent;
            }
        }
        json_decref(o);
    }
    free(line);
    fclose(f);
    sp_spans_free(&sp);
    sp_config_free(&cfg);
    ev_coder c;
    ev_coder_init(&c, &m);
    ev_options opt = {.partial = 0, .intent = 1, .date = 0};
    double best = 0;
    for (int round = 0; !rc && round < rounds; round++) {
        size_t events = 0;
        double t0 = now();
        for (size_t k = 0; !rc && k < n; k++) {
            if (ev_code_document(&c, docs[k].text, docs[k].tok.v, docs[k].tok.n, docs[k].sent,
                                 docs[k].nsent, NULL, 0, &opt))
                rc = -1;
            events += c.nevents;
        }
        double t = now() - t0;
        if (!round || t < best)
            best = t;
        r->events = events;
    }
    r->docs = n;
    r->seconds = best;
    r->sentences_per_s = best > 0 ? (double)r->sentences / best : 0;
    r->mb_per_s = best > 0 ? (double)bytes / 1e6 / best : 0;
    ev_coder_free(&c);
    for (size_t k = 0; k < n; k++) {
        free(docs[k].text);
        slc_tokens_free(&docs[k].tok);
        free(docs[k].sent);
    }
    free(docs);
    ev_model_free(&m);
    return rc;
}
