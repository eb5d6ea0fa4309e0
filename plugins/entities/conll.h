/*
 * CoNLL column files (token ... tag per line, blank lines between sentences, -DOCSTART-
 * lines between documents; IOB1 or IOB2 tags) turned into what the plugin sees at run time:
 * each document's text rebuilt from its tokens, tokenized by the core's tokenizer, and the
 * gold entities aligned to those tokens by character offsets.
 */
#ifndef ENT_CONLL_H
#define ENT_CONLL_H

#include "featureset.h"
#include "tokenizer.h"

#include <stddef.h>
#include <stdint.h>

/* How sentence tokens are joined into text. */
typedef enum ent_join {
    ENT_JOIN_SPACES = 0, /* one space between tokens, as the CoNLL files read */
    ENT_JOIN_NATURAL = 1 /* no space before , . ; : ) 's n't % and after ( : like raw news */
} ent_join;

/* Case of the rebuilt text. */
typedef enum ent_case { ENT_CASE_ASIS = 0, ENT_CASE_LOWER, ENT_CASE_UPPER } ent_case;

typedef struct ent_gold {
    size_t start, end; /* byte offsets into the document text */
    int type;
} ent_gold;

typedef struct ent_doc {
    char *text;
    size_t len;
    slc_tokens tok; /* the core tokenizer's tokens */
    size_t *sent;   /* sentences as core token ranges, [2k, 2k+1] */
    size_t nsent;
    ent_gold *gold; /* gold entities in text order */
    size_t ngold;
    uint8_t *tags; /* gold BILOU tag per core token (0 where an entity edge splits a token) */
} ent_doc;

typedef struct ent_corpus {
    ent_doc *docs;
    size_t ndocs;
    int ntypes;
    char types[ENT_MAX_TYPES][16];
    size_t ntokens;   /* core tokens */
    size_t unaligned; /* gold entities whose edges fall inside a core token */
} ent_corpus;

/* Read a CoNLL file. types/ntypes in *c may be preset (a model's tag set): then an unknown
 * type is an error; else types are added in order of appearance. Returns 0, or -1 with a
 * message naming the file and line in err. */
int ent_conll_read(ent_corpus *c, const char *path, ent_join join, ent_case cs, char *err,
                   size_t errlen);

void ent_corpus_free(ent_corpus *c);

#endif
