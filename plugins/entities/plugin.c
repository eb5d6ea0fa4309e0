/*
 * The entities stage: tags PER, ORG, LOC and MISC mentions (or a custom model's types) on the
 * core's tokens, sentence by sentence, and writes them as the `entities` layer.
 */
#include "sluice/sluice.h"

#include "gazfeatures.h"
#include "mentions.h"
#include "model.h"
#include "tagger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct entities {
    const sl_host *host;
    ent_model model;
    ent_gaz *gaz; /* NULL when the model uses none */
    ent_tagger tagger;
    size_t *sent; /* token ranges of the sentences, reused */
    size_t sentcap;
    uint8_t *tags;
    size_t tagcap;
    char *layer;
    char *sentences; /* name of the sentences layer */
    int codes;
    ent_canon *canon; /* NULL with canonical: false */
    ent_mentions ments;
    char *name; /* a canonical name, NUL-terminated for the host */
    size_t namecap;
} entities;

static const sl_option options[] = {
    {.name = "model",
     .type = SL_OPT_STRING,
     .help = "model file (default: entities/model.bin beside the plugin); see "
             "sluice-train-entities"},
    {.name = "gazetteer",
     .type = SL_OPT_STRING,
     .help = "gazetteer file (default: gazetteer.tsv beside the model): the one the model was "
             "trained with"},
    {.name = "codes",
     .type = SL_OPT_BOOL,
     .default_value = "true",
     .help = "give places and nationalities their ISO 3166-1 alpha-3 code as \"code\""},
    {.name = "canonical",
     .type = SL_OPT_BOOL,
     .default_value = "true",
     .help = "give short mentions the full name they stand for in the document as "
             "\"canonical\" (Kerry -> John Kerry, U.N. -> United Nations)"},
    {.name = "sentences",
     .type = SL_OPT_STRING,
     .default_value = "sentences",
     .help = "layer of sentences to tag one by one (absent: lines and sentence-final marks)"},
    {.name = "layer",
     .type = SL_OPT_STRING,
     .default_value = "entities",
     .help = "name of the layer to write"},
    {.name = NULL},
};

/* The model path: the option, or the default beside the plugin. */
static int model_path(const sl_host *host, const sl_config *cfg, char *buf, size_t len) {
    const char *m = host->cfg_string(cfg, "model");
    int n;
    if (m && *m)
        n = snprintf(buf, len, "%s", m);
    else
        n = snprintf(buf, len, "%s/entities/model.bin", host->cfg_plugin_dir(cfg));
    return n > 0 && (size_t)n < len ? 0 : -1;
}

/* Load the model and its gazetteer, checking both; errors go to the option at fault. */
static int load(const sl_host *host, const sl_config *cfg, ent_verify verify, ent_model *m,
                ent_gaz **g) {
    char path[4096], err[4400];
    if (model_path(host, cfg, path, sizeof path) != 0)
        return host->cfg_error(cfg, "model", "model path too long");
    if (ent_model_load(m, path, verify, err, sizeof err) != 0)
        return host->cfg_error(cfg, "model", "%s", err);
    int differs;
    const char *gp = host->cfg_string(cfg, "gazetteer");
    if (ent_model_gazetteer(m, path, gp, g, &differs, err, sizeof err) != 0) {
        ent_model_close(m);
        return host->cfg_error(cfg, gp && *gp ? "gazetteer" : "model", "%s", err);
    }
    if (differs)
        host->log(SL_LOG_WARN,
                  "entities: the gazetteer is not the one model %s was trained "
                  "with; accuracy may suffer",
                  path);
    return SL_OK;
}

/* `sluice check` (and the host before create) loads and checks the model, all of it, and the
 * gazetteer. */
static int check(const sl_host *host, const sl_config *cfg) {
    ent_model m;
    ent_gaz *g;
    int rc = load(host, cfg, ENT_VERIFY_ALL, &m, &g);
    if (rc == SL_OK) {
        ent_gaz_free(g);
        ent_model_close(&m);
    }
    return rc;
}

static void destroy(void *state) {
    entities *s = state;
    if (!s)
        return;
    ent_tagger_free(&s->tagger);
    ent_canon_free(s->canon);
    ent_gaz_free(s->gaz);
    ent_model_close(&s->model);
    ent_mentions_free(&s->ments);
    free(s->name);
    free(s->sent);
    free(s->tags);
    free(s->layer);
    free(s->sentences);
    free(s);
}

static char *copy(const char *value, const char *fallback) {
    const char *v = value && *value ? value : fallback;
    char *c = malloc(strlen(v) + 1);
    return c ? strcpy(c, v) : NULL;
}

static int create(const sl_host *host, const sl_config *cfg, void **state) {
    entities *s = calloc(1, sizeof *s);
    if (!s)
        return SL_ENOMEM;
    s->host = host;
    /* check() has just read the whole model and compared its checksum: the header will do. */
    int rc = load(host, cfg, ENT_VERIFY_HEADER, &s->model, &s->gaz);
    if (rc != SL_OK) {
        free(s);
        return rc;
    }
    s->codes = host->cfg_bool(cfg, "codes");
    ent_mentions_init(&s->ments, (int)s->model.hdr.ntypes, (const char(*)[16])s->model.hdr.types);
    if (host->cfg_bool(cfg, "canonical") && !(s->canon = ent_canon_new(s->gaz))) {
        destroy(s);
        return SL_ENOMEM;
    }
    ent_tagger_init(&s->tagger, s->model.weights.ntypes, &s->model.clusters);
    s->tagger.title_type = ent_model_type(&s->model, "PER");
    s->layer = copy(host->cfg_string(cfg, "layer"), "entities");
    s->sentences = copy(host->cfg_string(cfg, "sentences"), "sentences");
    if (!s->layer || !s->sentences) {
        destroy(s);
        return SL_ENOMEM;
    }
    *state = s;
    return SL_OK;
}

static int grow(void **p, size_t *cap, size_t want, size_t size) {
    if (want <= *cap)
        return 0;
    size_t c = want + want / 2 + 64;
    void *q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

static int is_final_mark(const char *text, const sl_token *t) {
    if (t->kind != SL_TOK_PUNCT)
        return 0;
    char c = text[t->start];
    return c == '.' || c == '?' || c == '!';
}

/* Sentences as token ranges: from the sentences layer, tokens outside it as ranges of their
 * own; without the layer, lines and sentence-final marks end sentences. */
static int sentence_ranges(entities *s, sl_doc *doc, const char *text, const sl_token *tok,
                           size_t n, size_t *nsent) {
    const sl_host *h = s->host;
    sl_layer *layer = h->layer_get(doc, s->sentences);
    size_t k = 0, i = 0;
    if (grow((void **)&s->sent, &s->sentcap, 2 * n + 2, sizeof *s->sent) != 0)
        return -1;
    if (layer) {
        size_t ns = h->layer_count(layer);
        for (size_t j = 0; j < ns && i < n; j++) {
            const sl_span *sp = h->layer_span(layer, j);
            if (tok[i].start < sp->start) { /* tokens before this sentence */
                size_t b = i;
                while (i < n && tok[i].start < sp->start)
                    i++;
                s->sent[2 * k] = b;
                s->sent[2 * k++ + 1] = i;
            }
            size_t b = i;
            while (i < n && tok[i].end <= sp->end)
                i++;
            if (i > b) {
                s->sent[2 * k] = b;
                s->sent[2 * k++ + 1] = i;
            }
        }
        if (i < n) {
            s->sent[2 * k] = i;
            s->sent[2 * k++ + 1] = n;
        }
    } else {
        size_t b = 0;
        for (i = 0; i < n; i++) {
            if (i > b && (tok[i].flags & SL_TOKF_NEWLINE_BEFORE)) {
                s->sent[2 * k] = b;
                s->sent[2 * k++ + 1] = i;
                b = i;
            }
            if (is_final_mark(text, &tok[i])) {
                s->sent[2 * k] = b;
                s->sent[2 * k++ + 1] = i + 1;
                b = i + 1;
            }
        }
        if (b < n) {
            s->sent[2 * k] = b;
            s->sent[2 * k++ + 1] = n;
        }
    }
    *nsent = k;
    return 0;
}

static int process(void *state, sl_doc *doc) {
    entities *s = state;
    const sl_host *h = s->host;
    size_t len, n, nsent;
    const char *text = h->doc_text(doc, &len);
    const sl_token *tok = h->doc_tokens(doc, &n);
    if (!tok)
        n = 0;
    sl_layer *layer = h->layer_new(doc, s->layer, SL_LAYER_WITH_TEXT);
    if (!layer)
        return h->doc_fail(doc, "entities: out of memory");
    if (!n)
        return SL_OK;
    if (sentence_ranges(s, doc, text, tok, n, &nsent) != 0 ||
        grow((void **)&s->tags, &s->tagcap, n, 1) != 0 ||
        ent_fx_prepare(&s->tagger.fx, text, tok, n, s->sent, nsent) != SL_OK)
        return h->doc_fail(doc, "entities: out of memory");
    if (s->gaz)
        ent_gaz_annotate(s->gaz, text, tok, n, &s->tagger.fx);
    if (ent_tag_document(&s->tagger, &s->model.weights, s->sent, nsent, s->tags) != SL_OK)
        return h->doc_fail(doc, "entities: out of memory");
    if (s->gaz && s->tagger.title_type >= 0)
        ent_gaz_trim_titles(&s->tagger.fx, s->tagger.title_type, s->tags);
    /* The entities with their canonical names, then the spans. */
    ent_mentions *ms = &s->ments;
    if (ent_mentions_collect(ms, s->canon, text, len, tok, n, s->tags) != SL_OK)
        return h->doc_fail(doc, "entities: out of memory");
    for (size_t k = 0; k < ms->n; k++) {
        /* Adding spans changes the document, after which an earlier text pointer may not hold. */
        text = h->doc_text(doc, &len);
        const ent_canon_mention *m = &ms->m[k];
        const char *label = s->model.hdr.types[ms->type[k]];
        long at = h->span_add(layer, m->start, m->end, label);
        if (at < 0)
            return h->doc_fail(doc, "entities: cannot add a span");
        if (s->canon && ms->canon[k] != k) {
            size_t a, b;
            ent_canon_name(s->canon, text, &ms->m[ms->canon[k]], &a, &b);
            if (grow((void **)&s->name, &s->namecap, b - a + 1, 1) != 0)
                return h->doc_fail(doc, "entities: out of memory");
            memcpy(s->name, text + a, b - a);
            s->name[b - a] = 0;
            if (h->span_set_string(layer, (size_t)at, "canonical", s->name) != SL_OK)
                return h->doc_fail(doc, "entities: out of memory");
        }
        if (s->codes && s->gaz && (!strcmp(label, "LOC") || !strcmp(label, "MISC"))) {
            /* the mention's own tokens, from the document's: nothing tokenized again */
            text = h->doc_text(doc, &len);
            tok = h->doc_tokens(doc, &n);
            size_t first = ms->first_tok[k], last = first;
            while (last < n && tok[last].start < m->end)
                last++;
            const char *code = ent_gaz_code_tokens(s->gaz, text, tok + first, last - first);
            if (code && h->span_set_string(layer, (size_t)at, "code", code) != SL_OK)
                return h->doc_fail(doc, "entities: out of memory");
        }
    }
    return SL_OK;
}

static const sl_plugin plugin = {
    SL_PLUGIN_HEADER,
    .kind = SL_KIND_STAGE,
    .name = "entities",
    .version = "1.0.0",
    .summary = "named entities (PER, ORG, LOC, MISC) by a trained tagger, with canonical names "
               "and country codes",
    .options = options,
    .create = create,
    .process = process,
    .destroy = destroy,
    .check = check,
    .flags = SL_PLUGIN_PARALLEL,
    .reads = "tokens,$sentences",
    .writes = "$layer",
};

SL_PLUGIN_ENTRY(host) {
    (void)host;
    return &plugin;
}
