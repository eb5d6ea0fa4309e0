/*
 * The entities gazetteer: phrases (countries, capitals, cities, nationalities, regions, first
 * names, titles, organisation words, organisations) looked up over the core tokenizer's
 * tokens, and the ISO 3166-1 alpha-3 codes of places and nationalities.
 *
 * File format (UTF-8, one entry a line; '#' starts a comment line):
 *     phrase<TAB>class<TAB>code
 * class is one of: country capital city nationality region first_name title org_word org;
 * code is empty or three upper-case letters. A phrase may appear under several classes.
 */
#ifndef ENT_GAZETTEER_H
#define ENT_GAZETTEER_H

#include "sluice/sluice.h"

#include <stddef.h>

typedef struct ent_gaz ent_gaz;

enum ent_gaz_class {
    ENT_GAZ_COUNTRY = 1u << 0,
    ENT_GAZ_CAPITAL = 1u << 1,
    ENT_GAZ_CITY = 1u << 2,
    ENT_GAZ_NATIONALITY = 1u << 3,
    ENT_GAZ_REGION = 1u << 4,
    ENT_GAZ_FIRST_NAME = 1u << 5,
    ENT_GAZ_TITLE = 1u << 6,
    ENT_GAZ_ORG_WORD = 1u << 7,
    ENT_GAZ_ORG = 1u << 8
};

/* Number of classes, and the longest phrase in tokens that an entry may have. */
#define ENT_GAZ_NCLASSES 9
#define ENT_GAZ_MAX_TOKENS 10

/* Load a gazetteer TSV; on error returns NULL and writes "FILE:LINE: reason" to err. */
ent_gaz *ent_gaz_load(const char *path, char *err, size_t errcap);

void ent_gaz_free(ent_gaz *g);

/* Longest entry that starts at token i (tokens from the core tokenizer over text); returns how
 * many tokens it covers (0 when none) and the union of its classes in *classes.
 * Case-insensitive, so that headlines in capitals match; *exact_case tells whether the text's
 * case matched one of the entry's spellings. Allocates nothing. */
size_t ent_gaz_match(const ent_gaz *g, const char *text, const sl_token *tok, size_t ntok, size_t i,
                     unsigned *classes, int *exact_case);

/* For a hyphenated token ("al-Qaeda-linked", "U.S.-led", "Syrian-backed"): the longest
 * one-word entry that the token starts with, up to a hyphen. Returns its length in bytes (0
 * when none), with its classes and case as ent_gaz_match() gives them. */
size_t ent_gaz_match_hyphen_prefix(const ent_gaz *g, const char *text, const sl_token *t,
                                   unsigned *classes, int *exact_case);

/* ISO 3166-1 alpha-3 code of an entity mention's text ("Syria's", "the United States",
 * "Damascus", "American", "U.S."), NULL when none. A leading "the" and a trailing possessive
 * are ignored; the rest must be one whole entry. When a phrase has several codes, the first
 * one in the order country, nationality, capital, city, region wins, then file order. */
const char *ent_gaz_code(const ent_gaz *g, const char *s, size_t len);

/* The same over tokens tok[0, ntok) of text, allocating nothing. */
const char *ent_gaz_code_tokens(const ent_gaz *g, const char *text, const sl_token *tok,
                                size_t ntok);

/* Number of entries (lines) of one class bit, or of all classes when one_class is 0. */
size_t ent_gaz_count(const ent_gaz *g, unsigned one_class);

/* Case-folds a token as the gazetteer does (lower case, typographic apostrophes as "'") into
 * out[0, cap); returns the length, or SIZE_MAX when it does not fit. */
size_t ent_gaz_fold(const char *s, size_t len, char *out, size_t cap);

/* Whether token t of text is word (lower-case ASCII), in any case. */
int ent_gaz_token_is(const char *text, const sl_token *t, const char *word);

/* Whether token t is a possessive ending split off by the tokenizer: 's or ' (or with U+2019). */
int ent_gaz_possessive(const char *text, const sl_token *t);

/* The file's name of one class bit ("country", ...), NULL for anything else. */
const char *ent_gaz_class_name(unsigned one_class);

#endif
