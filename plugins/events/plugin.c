/*
 * The events stage: codes who did what to whom in each sentence as CAMEO events and writes
 * them as a layer (default "events"). Reads the core's tokens, the "sentences" layer (the
 * whole text is one sentence without it) and the "entities" layer when present.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */

#include "sluice/sluice.h"

#include "coder.h"
#include "load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct events {
    const sl_host *host;
    ev_model model;
    ev_coder coder;
    char *layer, *sentences, *entities, *date_field;
    int partial, intent;
    /* reused across documents */
    ev_range *sent;
    ev_entity *ents;
    size_t cap_sent, cap_ents;
} events;

static const sl_option options[] = {
    {.name = "lexicon",
     .type = SL_OPT_STRING_LIST,
     .help = "trigger lexicons (phrase<TAB>CAMEO code<TAB>notes); default events/lexicon.tsv "
             "beside the plugin unless `verbs` is given"},
    {.name = "verbs",
     .type = SL_OPT_STRING_LIST,
     .help = "PETRARCH verb pattern dictionaries (CAMEO.2.0.txt format), read after `lexicon`"},
    {.name = "actor_tables",
     .type = SL_OPT_STRING_LIST,
     .help = "actor tables (phrase<TAB>code<TAB>dates); default events/actors.tsv beside the "
             "plugin unless `actors` is given"},
    {.name = "actors",
     .type = SL_OPT_STRING_LIST,
     .help = "PETRARCH actor and agent dictionaries (Phoenix.*.actors.txt, *.agents.txt format), "
             "read after `actor_tables`"},
    {.name = "cameo",
     .type = SL_OPT_STRING,
     .help = "the CAMEO code table; default events/cameo.tsv beside the plugin"},
    {.name = "partial",
     .type = SL_OPT_BOOL,
     .default_value = "false",
     .help = "also write events with no source or no target actor"},
    {.name = "intent",
     .type = SL_OPT_BOOL,
     .default_value = "true",
     .help = "code stated intentions (\"will meet\", \"plans to visit\") with CAMEO's 03 intent "
             "codes; false codes them as the act, as PETRARCH does"},
    {.name = "date_field",
     .type = SL_OPT_STRING,
     .default_value = "date",
     .help = "metadata field with the document's date (YYYYMMDD or YYYY-MM-DD), for actors "
             "whose code depends on it"},
    {.name = "sentences",
     .type = SL_OPT_STRING,
     .default_value = "sentences",
     .help = "the layer of sentences to read",
     .flags = SL_OPTF_LAYER},
    {.name = "entities",
     .type = SL_OPT_STRING,
     .default_value = "entities",
     .help = "the layer of entities to read (its \"code\" and \"canonical\" attributes)",
     .flags = SL_OPTF_LAYER},
    {.name = "layer",
     .type = SL_OPT_STRING,
     .default_value = "events",
     .help = "name of the layer to write",
     .flags = SL_OPTF_LAYER},
    {.name = NULL},
};

/* The files a stage names, or the defaults beside the plugin. */
#define MAX_FILES 64
typedef struct paths {
    char dir_cameo[4096], dir_lexicon[4096], dir_actors[4096];
    const char *lex[MAX_FILES], *verbs[MAX_FILES], *tables[MAX_FILES], *actors[MAX_FILES];
    ev_sources src;
} paths;

static size_t list(const sl_host *h, const sl_config *cfg, const char *name, const char **out) {
    size_t n = h->cfg_list_count(cfg, name);
    if (n > MAX_FILES) /* check() refused more */
        n = MAX_FILES;
    for (size_t i = 0; i < n; i++)
        out[i] = h->cfg_list_item(cfg, name, i);
    return n;
}

static void get_paths(const sl_host *h, const sl_config *cfg, paths *p) {
    const char *dir = h->cfg_plugin_dir(cfg);
    snprintf(p->dir_cameo, sizeof p->dir_cameo, "%s/events/cameo.tsv", dir);
    snprintf(p->dir_lexicon, sizeof p->dir_lexicon, "%s/events/lexicon.tsv", dir);
    snprintf(p->dir_actors, sizeof p->dir_actors, "%s/events/actors.tsv", dir);
    memset(&p->src, 0, sizeof p->src);
    const char *cameo = h->cfg_string(cfg, "cameo");
    p->src.cameo = cameo && *cameo ? cameo : p->dir_cameo;
    p->src.nlexicons = list(h, cfg, "lexicon", p->lex);
    p->src.nverbs = list(h, cfg, "verbs", p->verbs);
    if (!p->src.nlexicons && !p->src.nverbs) {
        p->lex[0] = p->dir_lexicon;
        p->src.nlexicons = 1;
    }
    p->src.nactor_tables = list(h, cfg, "actor_tables", p->tables);
    p->src.nactors = list(h, cfg, "actors", p->actors);
    if (!p->src.nactor_tables && !p->src.nactors) {
        p->tables[0] = p->dir_actors;
        p->src.nactor_tables = 1;
    }
    p->src.lexicons = p->lex;
    p->src.verbs = p->verbs;
    p->src.actor_tables = p->tables;
    p->src.actors = p->actors;
}

/* The option a file came from, for the error's place in the pipeline file. */
static const char *option_of(const paths *p, const char *err) {
    struct {
        const char *const *v;
        size_t n;
        const char *name;
    } lists[] = {{p->src.lexicons, p->src.nlexicons, "lexicon"},
                 {p->src.verbs, p->src.nverbs, "verbs"},
                 {p->src.actor_tables, p->src.nactor_tables, "actor_tables"},
                 {p->src.actors, p->src.nactors, "actors"}};
    for (size_t l = 0; l < 4; l++)
        for (size_t i = 0; i < lists[l].n; i++)
            if (strncmp(err, lists[l].v[i], strlen(lists[l].v[i])) == 0 &&
                err[strlen(lists[l].v[i])] == ':')
                return lists[l].name;
    return strncmp(err, p->src.cameo, strlen(p->src.cameo)) == 0 ? "cameo" : NULL;
}

/* Read and check every data file the stage names; `sluice check` reports a malformed line
 * at its option. The files shipped beside the plugin are checked by the plugin's tests, so
 * here only that they are there: `sluice run` calls this before create(), which reads them. */
static int check(const sl_host *host, const sl_config *cfg) {
    static const char *const lists[] = {"lexicon", "verbs", "actor_tables", "actors"};
    for (size_t i = 0; i < 4; i++)
        if (host->cfg_list_count(cfg, lists[i]) > MAX_FILES)
            return host->cfg_error(cfg, lists[i], "at most %d files", MAX_FILES);
    paths *p = malloc(sizeof *p);
    if (!p)
        return SL_ENOMEM;
    get_paths(host, cfg, p);
    const char *const *defaults[] = {&p->src.lexicons[0], &p->src.actor_tables[0]};
    const char *shipped[] = {p->dir_lexicon, p->dir_actors};
    size_t *counts[] = {&p->src.nlexicons, &p->src.nactor_tables};
    int rc = SL_OK;
    for (size_t i = 0; i < 2 && rc == SL_OK; i++) {
        if (*counts[i] == 1 && *defaults[i] == shipped[i]) {
            if (access(shipped[i], R_OK) != 0)
                rc = host->cfg_error(cfg, NULL, "%s: cannot open: %s", shipped[i], strerror(errno));
            *counts[i] = 0;
        }
    }
    if (rc == SL_OK) {
        ev_model m;
        char err[1024];
        rc = ev_model_load(&m, &p->src, err, sizeof err);
        if (rc == SL_OK)
            ev_model_free(&m);
        else
            rc = host->cfg_error(cfg, option_of(p, err), "%s", err);
    }
    free(p);
    return rc;
}

static void destroy(void *state) {
    events *s = state;
    if (!s)
        return;
    ev_coder_free(&s->coder);
    ev_model_free(&s->model);
    free(s->layer);
    free(s->sentences);
    free(s->entities);
    free(s->date_field);
    free(s->sent);
    free(s->ents);
    free(s);
}

static int create(const sl_host *host, const sl_config *cfg, void **state) {
    events *s = calloc(1, sizeof *s);
    paths *p = malloc(sizeof *p);
    if (!s || !p) {
        free(s);
        free(p);
        return SL_ENOMEM;
    }
    s->host = host;
    get_paths(host, cfg, p);
    char err[1024];
    int rc = ev_model_load(&s->model, &p->src, err, sizeof err);
    if (rc) {
        rc = host->cfg_error(cfg, option_of(p, err), "%s", err);
        free(p);
        free(s);
        return rc;
    }
    free(p);
    ev_coder_init(&s->coder, &s->model);
    s->partial = host->cfg_bool(cfg, "partial");
    s->intent = host->cfg_bool(cfg, "intent");
    s->layer = strdup(host->cfg_string(cfg, "layer"));
    s->sentences = strdup(host->cfg_string(cfg, "sentences"));
    s->entities = strdup(host->cfg_string(cfg, "entities"));
    s->date_field = strdup(host->cfg_string(cfg, "date_field"));
    if (!s->layer || !s->sentences || !s->entities || !s->date_field) {
        destroy(s);
        return SL_ENOMEM;
    }
    *state = s;
    return SL_OK;
}

static int grow(void **p, size_t *cap, size_t n, size_t size) {
    if (n <= *cap)
        return SL_OK;
    size_t c = *cap ? *cap : 64;
    while (c < n)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q)
        return SL_ENOMEM;
    *p = q;
    *cap = c;
    return SL_OK;
}

static int write_events(events *s, sl_doc *doc, const sl_token *tok) {
    const sl_host *h = s->host;
    sl_layer *layer;
    int rc = h->layer_create(doc, s->layer, 0, &layer);
    if (rc)
        return h->doc_fail(doc, "events: cannot make the layer: %s", sl_strerror(rc));
    const ev_cameo *cameo = &s->model.cameo;
    for (size_t k = 0; k < s->coder.nevents; k++) {
        const ev_event *e = &s->coder.events[k];
        size_t i;
        rc = h->span_append(layer, tok[e->trigger.start].start, tok[e->trigger.end - 1].end,
                            e->code, &i);
        if (!rc)
            rc = h->span_set_number(layer, i, "sentence", (double)e->sentence);
        if (!rc)
            rc = h->span_set_string(layer, i, "code", e->code);
        char root[3] = {e->code[0], e->code[1], 0};
        if (!rc)
            rc = h->span_set_string(layer, i, "root", root);
        if (!rc && e->cameo >= 0) {
            rc = h->span_set_number(layer, i, "quad", cameo->v[e->cameo].quad);
            if (!rc)
                rc = h->span_set_number(layer, i, "goldstein", cameo->v[e->cameo].goldstein);
            if (!rc)
                rc = h->span_set_string(layer, i, "name", cameo->v[e->cameo].name);
        }
        if (!rc && e->intent)
            rc = h->span_set_json(layer, i, "intent", "true");
        if (!rc && e->has_source) {
            rc = h->span_set_range(layer, i, "source", tok[e->source.start].start,
                                   tok[e->source.end - 1].end);
            if (!rc)
                rc = h->span_set_string(layer, i, "source_code", e->source_code);
        }
        if (!rc && e->has_target) {
            rc = h->span_set_range(layer, i, "target", tok[e->target.start].start,
                                   tok[e->target.end - 1].end);
            if (!rc)
                rc = h->span_set_string(layer, i, "target_code", e->target_code);
        }
        if (rc)
            return h->doc_fail(doc, "events: cannot write an event: %s", sl_strerror(rc));
    }
    return SL_OK;
}

static int process(void *state, sl_doc *doc) {
    events *s = state;
    const sl_host *h = s->host;
    size_t len, ntok = 0;
    const char *text = h->doc_text(doc, &len);
    const sl_token *tok = h->doc_tokens(doc, &ntok);
    if (!tok)
        ntok = 0;
    /* sentences as token ranges; the whole text when no stage split it */
    size_t nsent = 0;
    const sl_layer *sl = h->layer_get(doc, s->sentences);
    if (sl) {
        nsent = h->layer_count(sl);
        if (grow((void **)&s->sent, &s->cap_sent, nsent, sizeof *s->sent))
            return h->doc_fail(doc, "events: out of memory");
        for (size_t i = 0; i < nsent; i++) {
            const sl_span *sp = h->layer_span(sl, i);
            s->sent[i] = ev_span_tokens(tok, ntok, sp->start, sp->end);
        }
    } else if (ntok) {
        if (grow((void **)&s->sent, &s->cap_sent, 1, sizeof *s->sent))
            return h->doc_fail(doc, "events: out of memory");
        s->sent[0] = (ev_range){0, ntok};
        nsent = 1;
    }
    size_t nents = 0;
    const sl_layer *el = h->layer_get(doc, s->entities);
    if (el) {
        nents = h->layer_count(el);
        if (grow((void **)&s->ents, &s->cap_ents, nents, sizeof *s->ents))
            return h->doc_fail(doc, "events: out of memory");
        for (size_t i = 0; i < nents; i++) {
            const sl_span *sp = h->layer_span(el, i);
            ev_range r = ev_span_tokens(tok, ntok, sp->start, sp->end);
            s->ents[i] = (ev_entity){.start = r.start,
                                     .end = r.end,
                                     .code = h->span_get_string(el, i, "code"),
                                     .canonical = h->span_get_string(el, i, "canonical")};
        }
    }
    ev_options opt = {.partial = s->partial, .intent = s->intent, .date = 0};
    size_t dlen;
    const char *date = h->doc_meta_string(doc, s->date_field, &dlen);
    if (date)
        opt.date = ev_parse_date(date, dlen);
    else {
        double d;
        if (h->doc_meta_number(doc, s->date_field, &d) == SL_OK && d > 0 && d < 1e8) {
            char buf[16];
            int n = snprintf(buf, sizeof buf, "%.0f", d);
            opt.date = ev_parse_date(buf, (size_t)n);
        }
    }
    if (ev_code_document(&s->coder, text, tok, ntok, s->sent, nsent, s->ents, nents, &opt))
        return h->doc_fail(doc, "events: out of memory");
    return write_events(s, doc, tok);
}

static const sl_plugin plugin = {
    SL_PLUGIN_HEADER,
    .kind = SL_KIND_STAGE,
    .name = "events",
    .version = "1.0.0",
    .summary = "code who did what to whom as CAMEO events (source, event code, target) in each "
               "sentence",
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
