/* The entities evaluation: CoNLL scoring and stage speed. */
#include "eval.h"

#include "splitter.h"
#include "tokenizer.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void list_errors(FILE *out, const ent_doc *d, const uint8_t *tags, const ent_model *m) {
    /* Gold entities the tags miss, then predicted ones that are wrong. */
    for (size_t g = 0; g < d->ngold; g++) {
        const ent_gold *e = &d->gold[g];
        int found = 0;
        for (size_t i = 0; i < d->tok.n && !found; i++)
            if (d->tok.v[i].start == e->start && tags[i] && ent_tag_type(tags[i]) == e->type) {
                size_t j = i;
                while (ent_tag_part(tags[j]) != ENT_U && ent_tag_part(tags[j]) != ENT_L &&
                       j + 1 < d->tok.n)
                    j++;
                found = d->tok.v[j].end == e->end;
            }
        if (!found)
            fprintf(out, "FN %-4s %.*s\n", m->hdr.types[e->type], (int)(e->end - e->start),
                    d->text + e->start);
    }
    for (size_t i = 0; i < d->tok.n; i++) {
        int part = ent_tag_part(tags[i]);
        if (part != ENT_B && part != ENT_U)
            continue;
        size_t j = i;
        while (ent_tag_part(tags[j]) != ENT_U && ent_tag_part(tags[j]) != ENT_L && j + 1 < d->tok.n)
            j++;
        size_t s = d->tok.v[i].start, e = d->tok.v[j].end;
        int ok = 0;
        for (size_t g = 0; g < d->ngold && !ok; g++)
            ok = d->gold[g].start == s && d->gold[g].end == e &&
                 d->gold[g].type == ent_tag_type(tags[i]);
        if (!ok)
            fprintf(out, "FP %-4s %.*s\n", m->hdr.types[ent_tag_type(tags[i])], (int)(e - s),
                    d->text + s);
        i = j;
    }
}

int ee_conll(const ent_model *m, ent_annotate_fn annotate, void *ctx, ent_canon *canon,
             const char *path, ent_join join, ent_case cs, ent_score *out, FILE *errors, char *err,
             size_t errlen) {
    ent_corpus c = {0};
    c.ntypes = (int)m->hdr.ntypes;
    memcpy(c.types, m->hdr.types, sizeof c.types);
    if (ent_conll_read(&c, path, join, cs, err, errlen) != 0)
        return -1;
    memset(out, 0, sizeof *out);
    out->ntypes = c.ntypes;
    ent_tagger tg;
    ent_tagger_init(&tg, c.ntypes, &m->clusters);
    tg.title_type = ent_model_type(m, "PER");
    ent_mentions ms;
    ent_mentions_init(&ms, c.ntypes, (const char(*)[16])m->hdr.types);
    int rc = 0;
    for (size_t i = 0; i < c.ndocs && !rc; i++) {
        const ent_doc *d = &c.docs[i];
        uint8_t *tags = malloc(d->tok.n + 1);
        if (!tags || ent_tag_doc(&tg, &m->weights, d, annotate, ctx, tags) != SL_OK ||
            ent_mentions_collect(&ms, canon, d->text, d->len, d->tok.v, d->tok.n, tags) != SL_OK) {
            snprintf(err, errlen, "out of memory");
            rc = -1;
        } else {
            ent_score_doc(out, d, tags);
            if (errors)
                list_errors(errors, d, tags, m);
        }
        free(tags);
    }
    ent_tagger_free(&tg);
    ent_mentions_free(&ms);
    ent_corpus_free(&c);
    return rc;
}

typedef struct text_doc {
    char *text;
    size_t len;
    slc_tokens tok;
    size_t *sent;
    size_t nsent;
} text_doc;

static double now(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Tokens and sentences of one text, as the core and the sentences stage give them. */
static int prepare_text(text_doc *d, const sp_config *spc, sp_spans *spans) {
    if (slc_tokenize(d->text, d->len, &d->tok) != SL_OK ||
        sp_split(spc, d->text, d->len, d->tok.v, d->tok.n, spans) != SL_OK)
        return -1;
    d->sent = malloc((2 * spans->n + 1) * sizeof *d->sent);
    if (!d->sent)
        return -1;
    size_t t = 0;
    for (size_t k = 0; k < spans->n; k++) {
        while (t < d->tok.n && d->tok.v[t].start < spans->v[k].start)
            t++;
        size_t b = t;
        while (t < d->tok.n && d->tok.v[t].end <= spans->v[k].end)
            t++;
        if (t > b) {
            d->sent[2 * d->nsent] = b;
            d->sent[2 * d->nsent++ + 1] = t;
        }
    }
    return 0;
}

int ee_speed_run(const ent_model *m, ent_annotate_fn annotate, void *ctx, const char *path,
                 int rounds, ee_speed *out, char *err, size_t errlen) {
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot open %s", path);
        return -1;
    }
    text_doc *docs = NULL;
    size_t n = 0, cap = 0, maxtok = 0;
    char *line = NULL;
    size_t lcap = 0;
    sp_config spc;
    sp_config_init(&spc);
    sp_spans spans = {0};
    int rc = 0;
    for (ssize_t got; !rc && (got = getline(&line, &lcap, f)) > 0;) {
        json_t *o = json_loadb(line, (size_t)got, 0, NULL);
        json_t *t = o ? json_object_get(o, "text") : NULL;
        if (json_is_string(t)) {
            if (n == cap) {
                cap = cap ? 2 * cap : 1024;
                text_doc *nd = realloc(docs, cap * sizeof *nd);
                if (!nd)
                    rc = -1;
                else
                    docs = nd;
            }
            if (!rc) {
                text_doc *d = &docs[n++];
                memset(d, 0, sizeof *d);
                d->len = json_string_length(t);
                d->text = malloc(d->len + 1);
                if (!d->text)
                    rc = -1;
                else
                    memcpy(d->text, json_string_value(t), d->len + 1);
                if (!rc && prepare_text(d, &spc, &spans) != 0)
                    rc = -1;
                if (!rc) {
                    out->bytes += d->len;
                    out->tokens += d->tok.n;
                    if (d->tok.n > maxtok)
                        maxtok = d->tok.n;
                }
            }
        }
        json_decref(o);
    }
    free(line);
    fclose(f);
    sp_spans_free(&spans);
    sp_config_free(&spc);
    out->docs = n;
    uint8_t *tags = rc ? NULL : malloc(maxtok + 1);
    ent_tagger tg;
    ent_tagger_init(&tg, m->weights.ntypes, &m->clusters);
    if (!tags)
        rc = -1;
    for (int r = 0; r < rounds && !rc; r++) {
        size_t ents = 0;
        double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_THREAD_CPUTIME_ID);
        for (size_t i = 0; i < n && !rc; i++) {
            text_doc *d = &docs[i];
            if (ent_fx_prepare(&tg.fx, d->text, d->tok.v, d->tok.n, d->sent, d->nsent) != 0) {
                rc = -1;
                break;
            }
            if (annotate)
                annotate(ctx, d->text, d->tok.v, d->tok.n, &tg.fx);
            if (ent_tag_document(&tg, &m->weights, d->sent, d->nsent, tags) != SL_OK)
                rc = -1;
            for (size_t k = 0; k < d->tok.n; k++) {
                int p = ent_tag_part(tags[k]);
                ents += p == ENT_B || p == ENT_U;
            }
        }
        double dt = now(CLOCK_MONOTONIC) - t0, dc = now(CLOCK_THREAD_CPUTIME_ID) - c0;
        if (!r || dt < out->seconds)
            out->seconds = dt;
        if (!r || dc < out->cpu_seconds)
            out->cpu_seconds = dc;
        out->entities = ents;
    }
    if (rc)
        snprintf(err, errlen, "%s: out of memory", path);
    ent_tagger_free(&tg);
    free(tags);
    for (size_t i = 0; i < n; i++) {
        free(docs[i].text);
        slc_tokens_free(&docs[i].tok);
        free(docs[i].sent);
    }
    free(docs);
    return rc;
}
