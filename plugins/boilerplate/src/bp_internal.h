/* Internal pieces shared by the boilerplate sources. Not part of any public interface. */
#ifndef BP_INTERNAL_H
#define BP_INTERNAL_H

#include "bp.h"

#include <stddef.h>
#include <stdint.h>

/* ---- growable byte buffer ---- */
typedef struct bp_buf {
    char *data;
    size_t len, cap;
    int oom;
} bp_buf;

int bp_buf_reserve(bp_buf *b, size_t extra);
void bp_buf_put(bp_buf *b, const char *s, size_t n);
void bp_buf_putc(bp_buf *b, char c);
void bp_buf_free(bp_buf *b);
char *bp_strndup(const char *s, size_t n);

/* ---- charset (charset.c) ---- */
typedef struct bp_decoded {
    const char *data; /* UTF-8 bytes to parse: the input itself or `owned` */
    size_t len;
    char *owned; /* allocated copy when conversion or repair happened */
    char charset[40];
    const char *source;
    int converted, repaired;
} bp_decoded;

/* Decode `in` to valid UTF-8 without NUL bytes. Returns 0 or -1 when out of memory. */
int bp_decode(const char *in, size_t len, const char *override, bp_decoded *out);
/* Whether s[0..n) is valid UTF-8. */
int bp_utf8_valid(const char *s, size_t n);

/* ---- the page model built by the parser (html.c) ---- */
enum bp_tag {
    T_OTHER = 0,
    T_HTML,
    T_HEAD,
    T_BODY,
    T_TITLE,
    T_META,
    T_LINK,
    T_DIV,
    T_P,
    T_SPAN,
    T_A,
    T_BR,
    T_HR,
    T_H1,
    T_H2,
    T_H3,
    T_H4,
    T_H5,
    T_H6,
    T_UL,
    T_OL,
    T_LI,
    T_DL,
    T_DT,
    T_DD,
    T_TABLE,
    T_TBODY,
    T_THEAD,
    T_TFOOT,
    T_TR,
    T_TD,
    T_TH,
    T_CAPTION,
    T_BLOCKQUOTE,
    T_PRE,
    T_CODE,
    T_ARTICLE,
    T_SECTION,
    T_MAIN,
    T_HEADER,
    T_FOOTER,
    T_NAV,
    T_ASIDE,
    T_FIGURE,
    T_FIGCAPTION,
    T_FORM,
    T_BUTTON,
    T_LABEL,
    T_ADDRESS,
    T_CENTER,
    T_FONT,
    T_TIME,
    T_IMG,
    T_IFRAME,
    T_SCRIPT,
    T_STYLE,
    T_NOSCRIPT,
    T_TEMPLATE,
    T_SVG,
    T_MATH,
    T_SELECT,
    T_OPTION,
    T_TEXTAREA,
    T_INPUT,
    T_OBJECT,
    T_EMBED,
    T_CANVAS,
    T_VIDEO,
    T_AUDIO,
    T_MENU,
    T_DIALOG,
    T_DETAILS,
    T_SUMMARY,
    T_STRONG,
    T_B,
    T_EM,
    T_I,
    T_COUNT
};

/* node flags */
enum {
    NF_NEG = 1u << 0,      /* class/id or tag says boilerplate (nav, share, related, ...) */
    NF_POS = 1u << 1,      /* class/id says article body */
    NF_COMMENT = 1u << 2,  /* class/id says comments */
    NF_ARTICLE = 1u << 3,  /* <article>, itemprop=articleBody, role=main ... */
    NF_BODYPROP = 1u << 4, /* itemprop=articleBody or similar: strongest article hint */
    NF_CAPTION = 1u << 5,  /* caption / credit */
    NF_BYLINE = 1u << 6,   /* byline / author / date line */
    NF_HARD_NEG = 1u << 7, /* nav/aside/footer/form-like chrome: never article */
    NF_WEAKNEG = 1u << 8   /* weak negative hint (widget, card ...): judged by content */
};

typedef struct bp_node {
    int parent;
    uint16_t tag;
    uint16_t depth;
    uint32_t flags;
    int weight;   /* class/id weight */
    uint32_t cls; /* hash of the class attribute, 0 when none: finds same-styled siblings */
    /* filled by the scorer */
    uint32_t text_chars, link_chars, blocks;
    double score;
    int scored;
} bp_node;

/* block kinds */
enum { BK_TEXT = 0, BK_P, BK_HEADING, BK_LI, BK_QUOTE, BK_PRE, BK_CELL, BK_CAPTION, BK_DT };

typedef struct bp_block {
    int node; /* nearest block-level element containing the text */
    size_t off, len;
    uint32_t chars, link_chars, words, commas, puncts, stops;
    uint8_t kind, level; /* level: heading 1-6 */
    uint8_t keep, ends_sentence;
} bp_block;

typedef struct bp_page {
    bp_node *nodes;
    size_t n_nodes, cap_nodes;
    bp_block *blocks;
    size_t n_blocks, cap_blocks;
    bp_buf text; /* block texts, each NUL-terminated */
    /* metadata candidates */
    char *title_tag, *og_title, *author, *date, *site_name, *canonical, *og_url, *description,
        *lang, *h1;
    int oom;
} bp_page;

/* Parse UTF-8 HTML into `page`. Returns 0 or -1 when out of memory. */
int bp_parse_html(const char *utf8, size_t len, bp_page *page);
void bp_page_free(bp_page *page);

/* ---- metadata (meta.c): called by the parser for <meta>, <link>, itemprop attributes ---- */
void bp_meta_observe(bp_page *page, int tag, const char *const *attrs);
/* Called with the text of each <script type=application/ld+json> (schema.org metadata). */
void bp_meta_jsonld(bp_page *page, const char *json, size_t len);
/* Choose the final metadata into `res`. */
int bp_meta_finish(bp_page *page, bp_result *res);
/* Normalised comparison of a heading against the title. */
int bp_same_title(const char *a, const char *b);

/* ---- extraction (extract.c) ---- */
int bp_extract_page(bp_page *page, const bp_options *opt, bp_result *res);

/* ---- small text helpers (util.c) ---- */
int bp_is_stopword(const char *w, size_t n);
int bp_ci_contains(const char *hay, const char *needle);
/* Whether a short line is a known boilerplate prompt ("Advertisement", "Share this", ...). */
int bp_junk_phrase(const char *s, size_t n);
/* bp_junk_phrase, a byline ("By Jane Doe") or a date line ("Nov. 19, 2019, 8:41 AM UTC"). */
int bp_junk_line(const char *s, size_t n);

#endif
