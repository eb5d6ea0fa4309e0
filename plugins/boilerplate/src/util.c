/* Small shared helpers: growable buffer, string copies, stop words. */
#include "bp_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int bp_buf_reserve(bp_buf *b, size_t extra) {
    if (b->oom)
        return -1;
    if (b->len + extra + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->oom = 1;
        return -1;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

void bp_buf_put(bp_buf *b, const char *s, size_t n) {
    if (bp_buf_reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void bp_buf_putc(bp_buf *b, char c) {
    if (bp_buf_reserve(b, 1))
        return;
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void bp_buf_free(bp_buf *b) {
    free(b->data);
    memset(b, 0, sizeof *b);
}

char *bp_strndup(const char *s, size_t n) {
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* Common English function words: their density separates prose from menus (jusText's idea). */
static const char *const stopwords[] = {
    "a",    "about", "after", "all",  "also", "an",    "and",  "are",   "as",    "at",
    "be",   "been",  "but",   "by",   "can",  "could", "for",  "from",  "had",   "has",
    "have", "he",    "her",   "his",  "i",    "if",    "in",   "into",  "is",    "it",
    "its",  "more",  "not",   "of",   "on",   "one",   "or",   "our",   "out",   "said",
    "she",  "so",    "than",  "that", "the",  "their", "them", "there", "these", "they",
    "this", "to",    "up",    "was",  "we",   "were",  "what", "when",  "which", "who",
    "will", "with",  "would", "you",  "de",   "la",    "le",   "el",    "en",    "et",
    "der",  "die",   "und",   "das",  "los",  "las",   "que",  "des",   "du",    "il",
    "per",  "che",   "da",    "em",   "um",   "uma",   "het",  "een",   "van",   "ist",
};

int bp_is_stopword(const char *w, size_t n) {
    char low[8];
    if (n == 0 || n >= sizeof low)
        return 0;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)tolower((unsigned char)w[i]);
    low[n] = '\0';
    for (size_t i = 0; i < sizeof stopwords / sizeof *stopwords; i++)
        if (strcmp(low, stopwords[i]) == 0)
            return 1;
    return 0;
}

int bp_ci_contains(const char *hay, const char *needle) {
    size_t n = strlen(needle);
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] && tolower((unsigned char)hay[i]) == (unsigned char)needle[i])
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}
