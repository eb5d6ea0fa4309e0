/*
 * redact: an example sluice stage that blanks out whatever matches a list of POSIX extended
 * regular expressions (phone numbers, e-mail addresses, account numbers...).
 *
 * It is built out of tree against the installed sluice SDK (see README.md) and shows the
 * whole plugin lifecycle: an option schema the host validates, create() compiling the
 * options into per-instance state (with configuration errors reported at their place in
 * the pipeline file), process() once per document, and destroy() freeing everything.
 *
 *   - plugin: redact
 *     patterns: ['[0-9]{3}-[0-9]{4}', '[[:alnum:]._%+-]+@[[:alnum:].-]+']
 *     replacement: "[REDACTED]"      # the default
 *     layer: false                   # true: keep the text, add a "redactions" layer instead
 *
 * Rewriting the text goes through host->doc_set_text(), which DROPS EVERY LAYER of the
 * document (their offsets would no longer fit the new text), so put this stage before the
 * stages that annotate. A document with no match is left untouched, layers included.
 *
 * Matching is byte-wise: sluice does not call setlocale(), so the regex engine runs in the
 * "C" locale, where '.' and bracket expressions see UTF-8 bytes, not characters. Matches are
 * widened to whole UTF-8 characters so that a replacement never cuts one in half. The text
 * may hold NUL characters (JSON "\u0000"); each NUL-separated piece is searched on its own.
 */
#define _POSIX_C_SOURCE 200809L

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "sluice/sluice.h"

#define REDACT_LAYER "redactions"
#define REDACT_LABEL "redacted"

/* One match, in UTF-8 byte offsets of the document text: [start, end). */
typedef struct match {
    size_t start, end;
    size_t pattern; /* index of the pattern that found it */
} match;

/* Everything an instance needs. The host creates one instance per worker thread and calls
 * it from one thread at a time, so nothing here needs a lock, and there are no globals. */
typedef struct redact {
    const sl_host *host;
    regex_t *re; /* compiled patterns */
    size_t nre;
    char *replacement;
    size_t replacement_len;
    int as_layer;
    /* Scratch space reused from one document to the next, so memory stays flat. */
    match *m;
    size_t nm, capm;
    char *out;
    size_t capout;
} redact;

static const sl_option options[] = {
    {.name = "patterns",
     .type = SL_OPT_STRING_LIST,
     .required = 1,
     .help = "POSIX extended regular expressions; every match is redacted"},
    {.name = "replacement",
     .type = SL_OPT_STRING,
     .default_value = "[REDACTED]",
     .help = "text put in place of each match"},
    {.name = "layer",
     .type = SL_OPT_BOOL,
     .default_value = "false",
     .help =
         "keep the text and add a 'redactions' layer of the matches (label 'redacted') instead"},
    {.name = "ignore_case",
     .type = SL_OPT_BOOL,
     .default_value = "false",
     .help = "match without regard to case (ASCII)"},
    {.name = NULL},
};

static void redact_destroy(void *state) {
    redact *r = state;
    if (!r)
        return;
    for (size_t i = 0; i < r->nre; i++)
        regfree(&r->re[i]);
    free(r->re);
    free(r->replacement);
    free(r->m);
    free(r->out);
    free(r);
}

static int redact_create(const sl_host *host, const sl_config *cfg, void **state) {
    redact *r = calloc(1, sizeof *r);
    if (!r)
        return SL_ENOMEM;
    r->host = host;
    r->as_layer = host->cfg_bool(cfg, "layer");

    /* Configuration strings live only during create(): copy what we keep. */
    const char *rep = host->cfg_string(cfg, "replacement");
    r->replacement_len = rep ? strlen(rep) : 0;
    r->replacement = malloc(r->replacement_len + 1);
    if (!r->replacement) {
        redact_destroy(r);
        return SL_ENOMEM;
    }
    memcpy(r->replacement, rep ? rep : "", r->replacement_len + 1);

    size_t n = host->cfg_list_count(cfg, "patterns");
    if (n == 0) {
        redact_destroy(r);
        return host->cfg_error(cfg, "patterns", "give at least one regular expression");
    }
    r->re = calloc(n, sizeof *r->re);
    if (!r->re) {
        redact_destroy(r);
        return SL_ENOMEM;
    }
    int flags = REG_EXTENDED | (host->cfg_bool(cfg, "ignore_case") ? REG_ICASE : 0);
    for (size_t i = 0; i < n; i++) {
        const char *pat = host->cfg_list_item(cfg, "patterns", i);
        if (!pat || !*pat) {
            redact_destroy(r);
            return host->cfg_error(cfg, "patterns", "item %zu is empty", i + 1);
        }
        int rc = regcomp(&r->re[i], pat, flags);
        if (rc != 0) {
            char why[256];
            regerror(rc, &r->re[i], why, sizeof why);
            redact_destroy(r); /* r->re[i] was not compiled: nre still excludes it */
            return host->cfg_error(cfg, "patterns",
                                   "item %zu '%s' is not a valid extended "
                                   "regular expression: %s",
                                   i + 1, pat, why);
        }
        r->nre = i + 1;
    }
    *state = r;
    return SL_OK;
}

/* Whether byte i of the text begins a UTF-8 character (or is the end of the text). */
static int char_start(const char *text, size_t len, size_t i) {
    return i >= len || ((unsigned char)text[i] & 0xC0) != 0x80;
}

static int add_match(redact *r, size_t start, size_t end, size_t pattern) {
    if (r->nm == r->capm) {
        size_t cap = r->capm ? r->capm * 2 : 16;
        match *m = realloc(r->m, cap * sizeof *m);
        if (!m)
            return SL_ENOMEM;
        r->m = m;
        r->capm = cap;
    }
    r->m[r->nm++] = (match){start, end, pattern};
    return SL_OK;
}

/* Find every non-empty match of pattern p in text[0, len); 0, or an SL_E code. */
static int find_matches(redact *r, size_t p, const char *text, size_t len, const char **why) {
    size_t seg = 0;
    while (seg <= len) {
        /* regexec() reads a NUL-terminated string: search each NUL-separated piece (the
         * text ends with a NUL, and strnlen() keeps us inside it all the same). */
        size_t seg_len = strnlen(text + seg, len - seg);
        size_t off = 0;
        while (off <= seg_len) {
            regmatch_t m;
            int rc = regexec(&r->re[p], text + seg + off, 1, &m, off ? REG_NOTBOL : 0);
            if (rc == REG_NOMATCH)
                break;
            if (rc != 0) {
                *why = "the regular expression engine failed (out of memory?)";
                return SL_EDOC;
            }
            size_t s = seg + off + (size_t)m.rm_so, e = seg + off + (size_t)m.rm_eo;
            if (e > s) {
                while (s > 0 && !char_start(text, len, s)) /* widen to whole characters */
                    s--;
                while (!char_start(text, len, e))
                    e++;
                if (add_match(r, s, e, p) != SL_OK) {
                    *why = "out of memory";
                    return SL_EDOC;
                }
                off = e - seg;
            } else { /* an empty match: step over one character */
                off = (size_t)m.rm_eo + off + 1;
                while (!char_start(text, len, seg + off))
                    off++;
            }
        }
        seg += seg_len + 1;
    }
    return SL_OK;
}

static int by_start(const void *a, const void *b) {
    const match *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1; /* the longer first */
    return x->pattern < y->pattern ? -1 : x->pattern > y->pattern;
}

/* Sort the matches and merge the overlapping ones, in place. */
static void merge_matches(redact *r) {
    if (r->nm < 2)
        return;
    qsort(r->m, r->nm, sizeof *r->m, by_start);
    size_t k = 0;
    for (size_t i = 1; i < r->nm; i++) {
        if (r->m[i].start < r->m[k].end) {
            if (r->m[i].end > r->m[k].end)
                r->m[k].end = r->m[i].end;
        } else {
            r->m[++k] = r->m[i];
        }
    }
    r->nm = k + 1;
}

static int add_layer(redact *r, sl_doc *doc) {
    const sl_host *h = r->host;
    /* SL_LAYER_WITH_TEXT: the jsonl sink writes each span's covered text beside it. */
    sl_layer *layer = h->layer_new(doc, REDACT_LAYER, SL_LAYER_WITH_TEXT);
    if (!layer)
        return h->doc_fail(doc, "cannot make the '%s' layer (out of memory)", REDACT_LAYER);
    for (size_t i = 0; i < r->nm; i++) {
        long at = h->span_add(layer, r->m[i].start, r->m[i].end, REDACT_LABEL);
        if (at < 0 ||
            h->span_set_number(layer, (size_t)at, "pattern", (double)r->m[i].pattern) != SL_OK)
            return h->doc_fail(doc, "cannot add a span to the '%s' layer", REDACT_LAYER);
    }
    return SL_OK;
}

static int rewrite(redact *r, sl_doc *doc, const char *text, size_t len) {
    const sl_host *h = r->host;
    /* The new length: at most len + nm * replacement_len (each match is at least 1 byte). */
    size_t need = len + 1;
    if (r->replacement_len && r->nm > ((size_t)-1 - need) / r->replacement_len)
        return h->doc_fail(doc, "the redacted text would be too large");
    need += r->nm * r->replacement_len;
    if (need > r->capout) {
        char *out = realloc(r->out, need);
        if (!out)
            return h->doc_fail(doc, "out of memory");
        r->out = out;
        r->capout = need;
    }
    size_t o = 0, at = 0;
    for (size_t i = 0; i < r->nm; i++) {
        memcpy(r->out + o, text + at, r->m[i].start - at);
        o += r->m[i].start - at;
        memcpy(r->out + o, r->replacement, r->replacement_len);
        o += r->replacement_len;
        at = r->m[i].end;
    }
    memcpy(r->out + o, text + at, len - at);
    o += len - at;
    /* The host copies the text; `text` (the old one) is invalid after this call, and every
     * layer of the document, tokens included, is dropped. */
    int rc = h->doc_set_text(doc, r->out, o);
    return rc == SL_OK ? SL_OK : h->doc_fail(doc, "cannot replace the text (out of memory)");
}

static int redact_process(void *state, sl_doc *doc) {
    redact *r = state;
    size_t len;
    const char *text = r->host->doc_text(doc, &len); /* zero-copy, NUL-terminated */
    r->nm = 0;
    for (size_t p = 0; p < r->nre && len > 0; p++) { /* an empty text has nothing to hide */
        const char *why = NULL;
        if (find_matches(r, p, text, len, &why) != SL_OK)
            return r->host->doc_fail(doc, "pattern %zu: %s", p + 1, why);
    }
    if (r->nm == 0 && !r->as_layer)
        return SL_OK; /* nothing to do: the text and its layers stay as they are */
    merge_matches(r);
    return r->as_layer ? add_layer(r, doc) : rewrite(r, doc, text, len);
}

static const sl_plugin plugin = {
    SL_PLUGIN_HEADER,
    .kind = SL_KIND_STAGE,
    .name = "redact",
    .version = "1.0.0",
    .summary =
        "replace what matches POSIX regular expressions (or mark it in a 'redactions' layer)",
    .options = options,
    .create = redact_create,
    .process = redact_process,
    /* no read (sources only), no flush (nothing is held back between documents) */
    .destroy = redact_destroy,
};

/* The one symbol sluice looks up. Every host member this plugin calls exists since ABI 1.0;
 * a member added later would be checked with SL_HOST_HAS(host, member) before use. */
SL_PLUGIN_ENTRY(host) {
    (void)host;
    return &plugin;
}
