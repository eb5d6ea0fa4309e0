/* The library entry points: options, HTML extraction pipeline, result lifetime. */
#include "bp_internal.h"

#include <stdlib.h>
#include <string.h>

void bp_options_default(bp_options *o) {
    memset(o, 0, sizeof *o);
    o->min_paragraph_length = 0;
    o->keep_headings = 1;
    o->keep_comments = 0;
    o->keep_tables = 1;
    o->keep_captions = 0;
    o->charset = NULL;
}

int bp_extract_html(const char *html, size_t len, const bp_options *opt, bp_result *res) {
    bp_options defaults;
    if (!opt) {
        bp_options_default(&defaults);
        opt = &defaults;
    }
    memset(res, 0, sizeof *res);
    bp_decoded d;
    if (bp_decode(html ? html : "", html ? len : 0, opt->charset, &d))
        return -1;
    memcpy(res->charset, d.charset, sizeof res->charset);
    res->charset_source = d.source;
    res->converted = d.converted;
    res->repaired = d.repaired;
    bp_page pg;
    int rc = bp_parse_html(d.data, d.len, &pg);
    if (rc == 0)
        rc = bp_meta_finish(&pg, res);
    if (rc == 0)
        rc = bp_extract_page(&pg, opt, res);
    /* the h1 is only known after extraction: use it when the page had no title at all */
    if (rc == 0 && !res->title && pg.h1) {
        res->title = bp_strndup(pg.h1, strlen(pg.h1));
        if (!res->title)
            rc = -1;
    }
    bp_page_free(&pg);
    free(d.owned);
    if (rc)
        bp_result_free(res);
    return rc;
}

void bp_result_free(bp_result *r) {
    free(r->text);
    free(r->title);
    free(r->author);
    free(r->date);
    free(r->site_name);
    free(r->url);
    free(r->description);
    free(r->lang);
    memset(r, 0, sizeof *r);
}
