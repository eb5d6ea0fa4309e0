/*
 * Canonical names within a document: each tagged mention gets the index of the mention that
 * holds its full name. A short person mention ("Kerry", "Mr Kerry", "Kerry's") points to the
 * one full name in the document that ends with it ("John Kerry"), before or after it; two
 * different full names that fit ("John Smith", "Jane Smith") leave it alone. An organisation's
 * acronym ("UN", "U.N.") points to the one long name whose initials it is ("United Nations").
 */
#ifndef ENT_CANONICAL_H
#define ENT_CANONICAL_H

#include "gazetteer.h"

#include <stddef.h>

enum ent_canon_label {
    ENT_CANON_PER = 1,
    ENT_CANON_ORG = 2,
    ENT_CANON_LOC = 3,
    ENT_CANON_MISC = 4
};

/* A tagged mention: byte offsets [start, end) into the document text and its label. */
typedef struct ent_canon_mention {
    size_t start;
    size_t end;
    unsigned label; /* an ent_canon_label; mentions with other values are left alone */
} ent_canon_mention;

/* Scratch storage reused from document to document. */
typedef struct ent_canon ent_canon;

/* titles (may be NULL): a gazetteer whose ENT_GAZ_TITLE entries are stripped from the front
 * of person mentions, besides the built-in honorifics (Mr, Mrs, Ms, Dr, ...). It must outlive
 * the returned object. NULL when out of memory. */
ent_canon *ent_canon_new(const ent_gaz *titles);

void ent_canon_free(ent_canon *c);

/* Fills canon[0, n) for the mentions m[0, n) of text[0, len), in text order: canon[i] is the
 * index of the mention holding mention i's full name, i itself when there is none or it is
 * ambiguous. Returns 0, or -1 when out of memory (then canon[i] = i for every i). */
int ent_canon_resolve(ent_canon *c, const char *text, size_t len, const ent_canon_mention *m,
                      size_t n, size_t *canon);

/* After ent_canon_resolve() on the same mentions: for each mention not labelled PER whose name
 * proper is a person's in the document (the last words of exactly one full name, as "Kerry"
 * tagged ORG after "John Kerry", or the same words as a person mention), person[i] is the
 * index of that person's mention (the nearest earlier, else the first); SIZE_MAX for the
 * others. Returns how many were found; a tagger may relabel them PER for consistency. */
size_t ent_canon_person_of(ent_canon *c, const char *text, size_t len, const ent_canon_mention *m,
                           size_t n, size_t *person);

/* The name proper of a mention: [*name_start, *name_end) inside [m->start, m->end) without
 * leading titles (person mentions), a leading "the" (others) or a trailing possessive. */
void ent_canon_name(ent_canon *c, const char *text, const ent_canon_mention *m, size_t *name_start,
                    size_t *name_end);

#endif
