/* Scoring the splitter on the shared sentence data (pySBD golden rules, UD EWT and GUM). */
#ifndef SLUICE_SENTENCES_EVAL_H
#define SLUICE_SENTENCES_EVAL_H

#include <stddef.h>
#include <stdio.h>

typedef struct ev_golden {
    int passed;
    int total;
} ev_golden;

/* Internal sentence ends of paragraphs: counts and the paragraphs split exactly right. */
typedef struct ev_para {
    size_t tp, fp, fn;
    size_t exact, paragraphs;
    double precision, recall, f1, exact_share;
} ev_para;

/* Golden rules from a JSON file; failures are listed on `log` when it is not NULL. -1 on I/O. */
int ev_golden_rules(const char *path, ev_golden *r, FILE *log);

/* Paragraphs from a JSON Lines file (fields text, sentences); errors listed on `log`. */
int ev_paragraphs(const char *path, ev_para *r, FILE *log);

/* Tokenizer agreement with CoNLL-2003 tokens, re-tokenizing their space-joined text. */
typedef struct ev_conll {
    size_t sentences, exact, tokens, reproduced;
} ev_conll;

int ev_conll_tokens(const char *path, ev_conll *r, FILE *log);

/* Throughput of tokenizer + splitter on the "text" fields of a JSON Lines file. */
typedef struct ev_speed {
    size_t docs, bytes, tokens, sentences;
    double tokenize_mbs, total_mbs;
} ev_speed;

int ev_speed_run(const char *path, int rounds, ev_speed *r);

#endif
