/*
 * Phrase dictionaries over word hashes: the trigger lexicon and the actor tables are both
 * lists of word sequences (with optional gaps) that map to a value. Matching hashes each
 * token once and looks phrases up by their first word in an open-addressing table, so that
 * coding a sentence costs a few hash probes per token and no allocation.
 */
#ifndef EVENTS_DICT_H
#define EVENTS_DICT_H

#include <stddef.h>
#include <stdint.h>

/* A phrase element that stands for a gap of 0 to EV_GAP_MAX tokens (written "..."). */
#define EV_GAP ((uint64_t)0)
#define EV_GAP_MAX 6
/* Bits of the first-word filter (128 KiB: it stays in cache). */
#define EV_FIRSTS_BITS (1u << 20)
/* Longest phrase, in elements. */
#define EV_PHRASE_MAX 16

/* Hash of one word, case folded (ASCII) and with typographic apostrophes as "'". Never 0. */
uint64_t ev_word_hash(const char *s, size_t len);

typedef struct ev_phrase {
    uint32_t elem;  /* index of the first element in ev_dict.elems */
    uint16_t n;     /* number of elements, gaps included */
    uint16_t words; /* literal words (the match's weight) */
    uint32_t value; /* what the phrase stands for (the owner's index) */
    uint32_t next;  /* next phrase with the same first word, or UINT32_MAX */
} ev_phrase;

typedef struct ev_dict {
    uint64_t *elems; /* word hashes and EV_GAP, phrase after phrase */
    size_t nelems, capelems;
    ev_phrase *phrases;
    size_t nphrases, capphrases;
    /* first word -> head of its phrase chain; open addressing, power-of-two size */
    uint64_t *keys;
    uint32_t *heads;
    uint8_t *kinds;   /* of a first word: EV_HAS_PAIR, EV_HAS_GAP phrases after it */
    uint64_t *firsts; /* a bit per first word's hash (EV_FIRSTS_BITS): most tokens start no
                       * phrase, and this small set says so without touching the table */
    uint64_t *pairs;  /* the same for the keys of two words ("w1 w2", "w1 ... w2") */
    size_t nslots, nkeys;
} ev_dict;

/* A match: tokens [start, end) of the input, the phrase's value and weight. */
typedef struct ev_match {
    size_t start, end;
    uint32_t value;
    uint32_t words;
    uint32_t phrase;
} ev_match;

void ev_dict_init(ev_dict *d);
void ev_dict_free(ev_dict *d);
/* Add a phrase of n elements (the first must be a word). With `unique`, a phrase whose
 * elements equal an earlier one's is not added (the earlier wins) and 1 is returned.
 * 0 when added, SL_ENOMEM or SL_EINVAL (empty, too long, starts with a gap). */
int ev_dict_add(ev_dict *d, const uint64_t *elems, size_t n, uint32_t value, int unique);
/* The longest match that starts at token i of the hashed tokens h[0..n): most literal words,
 * then the most tokens, then the earliest added. `stop` (may be NULL) marks tokens a gap may
 * not cross. Returns 1 and fills *m, or 0. */
int ev_dict_match(const ev_dict *d, const uint64_t *h, const unsigned char *stop, size_t n,
                  size_t i, ev_match *m);
/* Whether any phrase starts with this word. */
int ev_dict_has_first(const ev_dict *d, uint64_t h);

/* A set of words with a small value each (closed word classes of the grammar). */
typedef struct ev_wordset {
    uint64_t *keys;
    uint32_t *vals;
    size_t nslots, n;
} ev_wordset;

void ev_wordset_free(ev_wordset *s);
/* Add a word (ORs the value into an existing one). */
int ev_wordset_add(ev_wordset *s, uint64_t h, uint32_t val);
/* The value of a word, 0 when absent. */
uint32_t ev_wordset_get(const ev_wordset *s, uint64_t h);

/* Split a phrase written with spaces or underscores into words the way the core tokenizer
 * cuts text ("Russia's" -> "Russia" "'s"; "..." -> a gap); calls fn for each element (len 0
 * for a gap). Returns the number of elements, or -1 when fn fails. */
int ev_phrase_words(const char *s, size_t len, int (*fn)(void *ctx, const char *w, size_t wlen),
                    void *ctx);

/* The word hashes of a phrase (gaps as EV_GAP) into out[0..max): their number, or -1 when
 * there are more than max. */
int ev_phrase_hashes(const char *s, size_t len, uint64_t *out, size_t max);

#endif
