/*
 * A benchmark instrument, not a product plugin: a stage that asks the core for one service
 * and nothing else, so that bench/costs.sh can show what each service costs a pipeline.
 *   use: text    decode the text
 *        tokens  decode the text and tokenize it
 *        spans   decode the text and add a layer of one span per `span_bytes` bytes (the
 *                size of an average news sentence by default), with no analysis at all
 */
#include <stdlib.h>
#include <string.h>

#include "sluice/sluice.h"

typedef struct costs {
    const sl_host *host;
    int use; /* 0 text, 1 tokens, 2 spans */
    size_t span_bytes;
} costs;

static const sl_option options[] = {
    {.name = "use",
     .type = SL_OPT_ENUM,
     .default_value = "text",
     .choices = "text|tokens|spans",
     .help = "the core service to exercise"},
    {.name = "span_bytes",
     .type = SL_OPT_INT,
     .default_value = "120",
     .help = "bytes per span with use: spans"},
    {.name = NULL},
};

static int costs_check(const sl_host *host, const sl_config *cfg) {
    if (host->cfg_int(cfg, "span_bytes") < 1)
        return host->cfg_error(cfg, "span_bytes", "must be at least 1");
    return SL_OK;
}

static int costs_create(const sl_host *host, const sl_config *cfg, void **state) {
    costs *c = calloc(1, sizeof *c);
    if (!c)
        return SL_ENOMEM;
    c->host = host;
    const char *use = host->cfg_string(cfg, "use");
    c->use = !strcmp(use, "tokens") ? 1 : !strcmp(use, "spans") ? 2 : 0;
    c->span_bytes = (size_t)host->cfg_int(cfg, "span_bytes");
    *state = c;
    return SL_OK;
}

static int costs_process(void *state, sl_doc *doc) {
    costs *c = state;
    const sl_host *h = c->host;
    size_t len, n;
    const char *text = h->doc_text(doc, &len);
    if (c->use == 1) {
        h->doc_tokens(doc, &n);
    } else if (c->use == 2) {
        sl_layer *layer = h->layer_new(doc, "spans", 0);
        if (!layer)
            return h->doc_fail(doc, "costs: out of memory");
        for (size_t start = 0; start < len;) {
            size_t end = start + c->span_bytes < len ? start + c->span_bytes : len;
            while (end < len && ((unsigned char)text[end] & 0xC0) == 0x80)
                end++; /* spans end on character boundaries */
            if (h->span_add(layer, start, end, NULL) < 0)
                return h->doc_fail(doc, "costs: cannot add a span");
            start = end;
        }
    }
    return SL_OK;
}

static void costs_destroy(void *state) {
    free(state);
}

static const sl_plugin plugin = {
    SL_PLUGIN_HEADER,
    SL_KIND_STAGE,
    "costs",
    "0.1.0",
    "benchmark instrument: exercise one core service (text, tokens or a span layer)",
    options,
    costs_create,
    costs_process,
    NULL,
    NULL,
    costs_destroy,
    costs_check,
};

SL_PLUGIN_ENTRY(host) {
    (void)host;
    return &plugin;
}
