/*
 * The sentences stage: a thin wrapper that runs the splitter on the core's tokens and writes
 * one span per sentence to a layer (default "sentences").
 */
#define _POSIX_C_SOURCE 200809L /* strdup */

#include "sluice/sluice.h"

#include "splitter.h"

#include <stdlib.h>
#include <string.h>

typedef struct sentences {
    const sl_host *host;
    sp_config cfg;
    sp_spans spans; /* reused across documents */
    char *layer;
    unsigned layer_flags;
} sentences;

static const sl_option options[] = {
    {.name = "line_breaks",
     .type = SL_OPT_ENUM,
     .default_value = "auto",
     .choices = "auto|always|never",
     .help =
         "single line breaks: auto (end a sentence unless the text reads on, or is hard-wrapped), "
         "always (every line ends one), never (plain spaces; blank lines neither)"},
    {.name = "abbreviations",
     .type = SL_OPT_STRING_LIST,
     .help = "extra abbreviations whose period does not end a sentence before a capitalized word, "
             "e.g. [approx, Univ]"},
    {.name = "layer",
     .type = SL_OPT_STRING,
     .default_value = "sentences",
     .help = "name of the layer to write",
     .flags = SL_OPTF_LAYER},
    {.name = "with_text",
     .type = SL_OPT_BOOL,
     .default_value = "false",
     .help = "writers add each sentence's text to its span"},
    {.name = NULL},
};

static void destroy(void *state) {
    sentences *s = state;
    if (!s)
        return;
    sp_config_free(&s->cfg);
    sp_spans_free(&s->spans);
    free(s->layer);
    free(s);
}

/* Values the schema cannot express; `sluice check` runs this too. */
static int check(const sl_host *host, const sl_config *cfg) {
    size_t na = host->cfg_list_count(cfg, "abbreviations");
    for (size_t i = 0; i < na; i++) {
        const char *a = host->cfg_list_item(cfg, "abbreviations", i);
        if (!sp_abbrev_valid(a))
            return host->cfg_error(cfg, "abbreviations",
                                   "'%s' is not an abbreviation (1 to 63 bytes before the period)",
                                   a ? a : "");
    }
    return SL_OK;
}

static int create(const sl_host *host, const sl_config *cfg, void **state) {
    sentences *s = calloc(1, sizeof *s);
    if (!s)
        return SL_ENOMEM;
    s->host = host;
    sp_config_init(&s->cfg);
    static const int line_breaks[] = {SP_LB_AUTO, SP_LB_ALWAYS, SP_LB_NEVER}; /* the choices */
    int lb = host->cfg_enum(cfg, "line_breaks");
    s->cfg.line_breaks = lb > 0 ? line_breaks[lb] : SP_LB_AUTO;
    size_t na = host->cfg_list_count(cfg, "abbreviations");
    for (size_t i = 0; i < na; i++) {
        const char *a = host->cfg_list_item(cfg, "abbreviations", i);
        int rc = sp_config_add_abbrev(&s->cfg, a); /* valid: check() ran first */
        if (rc != SL_OK) {
            destroy(s);
            return rc;
        }
    }
    const char *layer = host->cfg_string(cfg, "layer");
    s->layer = strdup(layer && *layer ? layer : "sentences");
    if (!s->layer) {
        destroy(s);
        return SL_ENOMEM;
    }
    if (host->cfg_bool(cfg, "with_text"))
        s->layer_flags |= SL_LAYER_WITH_TEXT;
    *state = s;
    return SL_OK;
}

static int process(void *state, sl_doc *doc) {
    sentences *s = state;
    const sl_host *h = s->host;
    size_t len, n;
    const char *text = h->doc_text(doc, &len);
    const sl_token *tok = h->doc_tokens(doc, &n);
    if (!tok)
        n = 0; /* empty text, or only white space and invisible characters */
    if (sp_split(&s->cfg, text, len, tok, n, &s->spans) != SL_OK)
        return h->doc_fail(doc, "sentences: out of memory");
    sl_layer *layer = h->layer_new(doc, s->layer, s->layer_flags);
    if (!layer)
        return h->doc_fail(doc, "sentences: out of memory");
    for (size_t i = 0; i < s->spans.n; i++)
        if (h->span_add(layer, s->spans.v[i].start, s->spans.v[i].end, NULL) < 0)
            return h->doc_fail(doc, "sentences: cannot add a span");
    return SL_OK;
}

static const sl_plugin plugin = {
    SL_PLUGIN_HEADER,
    .kind = SL_KIND_STAGE,
    .name = "sentences",
    .version = "1.0.0",
    .summary = "split text into sentences (news and web text: abbreviations, quotes, lists, "
               "headlines)",
    .options = options,
    .create = create,
    .process = process,
    .destroy = destroy,
    .check = check,
    .flags = SL_PLUGIN_PARALLEL,
    .reads = "tokens",
    .writes = "$layer",
};

SL_PLUGIN_ENTRY(host) {
    (void)host;
    return &plugin;
}
