/*
 * boilerplate: article extraction from HTML and junk-line removal from scraped text.
 *
 * The extraction code is a pure library, independent of the sluice host API, so the unit tests
 * and the evaluation program link it directly; plugin.c is the thin wrapper around it.
 */
#ifndef BP_H
#define BP_H

#include <stddef.h>
#include <stdint.h>

typedef struct bp_options {
    int min_paragraph_length; /* shorter blocks need stronger evidence to be kept */
    int keep_headings;        /* keep h1-h6 inside the article (the title heading excepted) */
    int keep_comments;        /* keep comment threads found next to the article */
    int keep_tables;          /* keep table cells inside the article */
    int keep_captions;        /* keep figure captions */
    const char *charset;      /* override the charset detection (NULL: detect) */
} bp_options;

/* Fill `o` with the defaults. */
void bp_options_default(bp_options *o);

typedef struct bp_result {
    char *text; /* UTF-8, NUL-terminated: paragraphs separated by blank lines */
    size_t text_len;
    /* metadata found in the page, NULL when absent (UTF-8, NUL-terminated) */
    char *title;
    char *author;
    char *date;
    char *site_name;
    char *url;
    char *description;
    char *lang;
    /* what was done */
    char charset[40];           /* charset the input was decoded from */
    const char *charset_source; /* "option", "bom", "meta", "utf8-valid", "fallback" */
    int converted;              /* the bytes were converted to UTF-8 */
    int repaired;               /* invalid UTF-8 sequences were replaced */
    int article_found;          /* 0: no convincing article, text is a best effort */
    int paragraphs;             /* blocks written */
    /* text mode */
    int lines_in;
    int lines_dropped;
} bp_result;

/* Extract the article of an HTML page. Returns 0, or -1 when out of memory (never for bad input).
 */
int bp_extract_html(const char *html, size_t len, const bp_options *opt, bp_result *res);

/* Remove boilerplate lines from scraped plain text. Returns 0, or -1 when out of memory. */
int bp_clean_text(const char *text, size_t len, const bp_options *opt, bp_result *res);

/*
 * HTML that reached us as a Unicode string but whose code points are really bytes (a reader
 * or producer mapped the raw page as Latin-1): C1 controls U+0080..U+009F never occur in real
 * text, while windows-1252 punctuation and UTF-8 lead bytes land exactly there. When `force`
 * is set, or such code points are present and every code point is <= U+00FF, writes the
 * original bytes into a malloc'd *out and returns 1; returns 0 when the string is left alone,
 * -1 when out of memory.
 */
int bp_recover_bytes(const char *utf8, size_t len, int force, char **out, size_t *out_len);

/* Whether a charset name given as an option is one this system can decode (through iconv). */
int bp_charset_known(const char *label);

/* Free what a result holds (the struct itself is the caller's) and zero it. */
void bp_result_free(bp_result *res);

#endif
