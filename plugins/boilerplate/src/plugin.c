/*
 * The sluice stage: HTML in the `html` field -> article text, or scraped text -> text without
 * junk lines. A thin wrapper over bp_extract_html() / bp_clean_text().
 */
#include "bp.h"

#include <libxml/parser.h>
#include <sluice/sluice.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* In the order of the `mode` option's choices: cfg_enum() hands over the index. */
enum { MODE_AUTO, MODE_HTML, MODE_TEXT };

typedef struct bp_state {
    const sl_host *host;
    bp_options opt;
    char *charset; /* owned copy of the option */
    int keep_html;
    int mode;
} bp_state;

static const sl_option options[] = {
    {.name = "mode",
     .type = SL_OPT_ENUM,
     .default_value = "auto",
     .choices = "auto|html|text",
     .help = "auto: HTML when the document has an html field, else text-line cleaning"},
    {.name = "keep_html",
     .type = SL_OPT_BOOL,
     .default_value = "false",
     .help = "keep the raw html field in the output"},
    {.name = "min_paragraph_length",
     .type = SL_OPT_INT,
     .default_value = "0",
     .help = "drop blocks shorter than this many characters unless they end like a sentence",
     SL_OPT_RANGE(0, 100000)},
    {.name = "keep_headings",
     .type = SL_OPT_BOOL,
     .default_value = "true",
     .help = "keep headings inside the article"},
    {.name = "keep_comments",
     .type = SL_OPT_BOOL,
     .default_value = "false",
     .help = "keep reader comments next to the article"},
    {.name = "keep_tables",
     .type = SL_OPT_BOOL,
     .default_value = "true",
     .help = "keep table rows inside the article"},
    {.name = "keep_captions",
     .type = SL_OPT_BOOL,
     .default_value = "false",
     .help = "keep figure captions and photo credits"},
    {.name = "charset",
     .type = SL_OPT_STRING,
     .help = "decode the HTML from this charset, overriding BOM and <meta> (e.g. windows-1252)"},
    {.name = NULL},
};

/* Values the schema cannot express; `sluice check` runs this too. */
static int bp_check(const sl_host *host, const sl_config *cfg) {
    const char *cs = host->cfg_string(cfg, "charset");
    if (cs && *cs && !bp_charset_known(cs))
        return host->cfg_error(cfg, "charset",
                               "'%s' is not a charset this system can decode (try "
                               "windows-1252, iso-8859-2, shift_jis, gb18030...)",
                               cs);
    return SL_OK;
}

static int bp_create(const sl_host *host, const sl_config *cfg, void **state) {
    bp_state *st = calloc(1, sizeof *st);
    if (!st)
        return SL_ENOMEM;
    st->host = host;
    bp_options_default(&st->opt);
    st->opt.min_paragraph_length = (int)host->cfg_int(cfg, "min_paragraph_length");
    st->opt.keep_headings = host->cfg_bool(cfg, "keep_headings");
    st->opt.keep_comments = host->cfg_bool(cfg, "keep_comments");
    st->opt.keep_tables = host->cfg_bool(cfg, "keep_tables");
    st->opt.keep_captions = host->cfg_bool(cfg, "keep_captions");
    st->keep_html = host->cfg_bool(cfg, "keep_html");
    int mode = host->cfg_enum(cfg, "mode");
    st->mode = mode > 0 ? mode : MODE_AUTO;
    const char *cs = host->cfg_string(cfg, "charset");
    if (cs && *cs) {
        st->charset = malloc(strlen(cs) + 1);
        if (!st->charset) {
            free(st);
            return SL_ENOMEM;
        }
        strcpy(st->charset, cs);
        st->opt.charset = st->charset;
    }
    xmlInitParser(); /* thread-safe and idempotent; libxml2 must be initialised once */
    *state = st;
    return SL_OK;
}

/* Set a metadata string unless the input already had that field. */
static int meta_once(bp_state *st, sl_doc *doc, const char *key, const char *val) {
    size_t len;
    if (!val || !*val || st->host->doc_meta_string(doc, key, &len))
        return SL_OK;
    return st->host->doc_meta_set_string(doc, key, val, strlen(val));
}

static int bp_process(void *state, sl_doc *doc) {
    bp_state *st = state;
    const sl_host *h = st->host;
    size_t hlen = 0;
    const char *html = st->mode == MODE_TEXT ? NULL : h->doc_meta_string(doc, "html", &hlen);
    bp_result res;
    int rc, recovered = 0;
    if (html) {
        /* a page whose bytes arrived as Latin-1 code points gets its bytes back, so that the
         * charset detection sees what the server sent */
        size_t elen = 0;
        const char *enc = h->doc_meta_string(doc, "html_encoding", &elen);
        int force = enc && (!strcmp(enc, "latin1") || !strcmp(enc, "bytes"));
        char *raw = NULL;
        size_t rlen = 0;
        recovered = bp_recover_bytes(html, hlen, force, &raw, &rlen);
        if (recovered < 0)
            return SL_ENOMEM;
        rc = recovered ? bp_extract_html(raw, rlen, &st->opt, &res)
                       : bp_extract_html(html, hlen, &st->opt, &res);
        free(raw);
    } else {
        size_t tlen = 0;
        const char *text = h->doc_text(doc, &tlen);
        if (st->mode == MODE_HTML)
            rc = bp_extract_html(text, tlen, &st->opt, &res);
        else
            rc = bp_clean_text(text, tlen, &st->opt, &res);
        if (st->mode == MODE_HTML)
            html = text;
    }
    if (rc)
        return SL_ENOMEM;
    rc = h->doc_set_text(doc, res.text, res.text_len);
    if (rc == SL_OK)
        rc = meta_once(st, doc, "title", res.title);
    if (rc == SL_OK && html) {
        rc = meta_once(st, doc, "author", res.author);
        if (rc == SL_OK)
            rc = meta_once(st, doc, "date", res.date);
        if (rc == SL_OK)
            rc = meta_once(st, doc, "site_name", res.site_name);
        if (rc == SL_OK)
            rc = meta_once(st, doc, "url", res.url);
        if (rc == SL_OK)
            rc = meta_once(st, doc, "lang", res.lang);
    }
    if (rc == SL_OK) {
        /* what was done, for auditing; the charset label holds only [a-z0-9._:-] */
        char info[512];
        if (html)
            snprintf(info, sizeof info,
                     "{\"mode\":\"html\",\"charset\":\"%s\",\"charset_source\":\"%s\","
                     "\"converted\":%s,\"repaired\":%s,\"bytes_recovered\":%s,"
                     "\"article_found\":%s,\"paragraphs\":%d}",
                     res.charset, res.charset_source ? res.charset_source : "unknown",
                     res.converted ? "true" : "false", res.repaired ? "true" : "false",
                     recovered ? "true" : "false", res.article_found ? "true" : "false",
                     res.paragraphs);
        else
            snprintf(info, sizeof info,
                     "{\"mode\":\"text\",\"article_found\":%s,\"paragraphs\":%d,"
                     "\"lines_in\":%d,\"lines_dropped\":%d}",
                     res.article_found ? "true" : "false", res.paragraphs, res.lines_in,
                     res.lines_dropped);
        rc = h->doc_meta_set_json(doc, "boilerplate", info);
    }
    if (rc == SL_OK && html && st->mode != MODE_HTML && !st->keep_html) {
        rc = h->doc_meta_remove(doc, "html");
        if (rc == SL_ENOTFOUND)
            rc = SL_OK;
    }
    bp_result_free(&res);
    return rc;
}

static void bp_destroy(void *state) {
    bp_state *st = state;
    if (!st)
        return;
    free(st->charset);
    free(st);
}

static const sl_plugin plugin = {
    SL_PLUGIN_HEADER,
    .kind = SL_KIND_STAGE,
    .name = "boilerplate",
    .version = "0.1.0",
    .summary = "article text from HTML pages (html field) or scraped text without junk lines",
    .options = options,
    .create = bp_create,
    .process = bp_process,
    .destroy = bp_destroy,
    .check = bp_check,
    .flags = SL_PLUGIN_PARALLEL,
};

SL_PLUGIN_ENTRY(host) {
    (void)host;
    return &plugin;
}
