/*
 * Rule-based sentence splitter: pure logic on a text and its tokens (from the core tokenizer).
 * No host API here, so unit tests and the evaluation program link it directly.
 */
#ifndef SLUICE_SENTENCES_SPLITTER_H
#define SLUICE_SENTENCES_SPLITTER_H

#include "sluice/sluice.h"

#include <stddef.h>

/* How single line breaks count (blank lines always end a sentence, except in NEVER). */
typedef enum sp_line_breaks {
    SP_LB_AUTO = 0, /* a break ends a sentence unless the text reads on across it */
    SP_LB_ALWAYS,   /* every line is at least one sentence */
    SP_LB_NEVER     /* line breaks are plain spaces */
} sp_line_breaks;

typedef struct sp_config {
    sp_line_breaks line_breaks;
    char **abbrevs; /* extra abbreviations, lower case without the period, sorted */
    size_t n_abbrevs;
} sp_config;

typedef struct sp_span {
    size_t start;
    size_t end;
} sp_span;

typedef struct sp_spans {
    sp_span *v;
    size_t n;
    size_t cap;
} sp_spans;

/* A configuration with defaults (auto line breaks, no extra abbreviations). */
void sp_config_init(sp_config *cfg);

/* Whether a word can be an extra abbreviation: 1 to 63 bytes before any final periods. */
int sp_abbrev_valid(const char *word);

/* Add an extra abbreviation ("approx" or "approx."); SL_OK, SL_EINVAL or SL_ENOMEM. */
int sp_config_add_abbrev(sp_config *cfg, const char *word);

void sp_config_free(sp_config *cfg);

/*
 * Split text[0, len) with its n tokens into sentences, appended to *out after clearing it.
 * Spans are byte offsets trimmed to the first and last token. SL_OK or SL_ENOMEM.
 */
int sp_split(const sp_config *cfg, const char *text, size_t len, const sl_token *tok, size_t n,
             sp_spans *out);

void sp_spans_free(sp_spans *spans);

#endif
