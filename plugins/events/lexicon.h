/*
 * The trigger lexicon: words and phrases that signal a CAMEO event ("met with" -> 040),
 * reporting verbs ("said": reported speech follows or precedes), and phrases that are never
 * triggers. Read from the plugin's lexicon.tsv (see README.md) and from PETRARCH verb
 * dictionaries (petrarch.c). The first word of a phrase is a verb lemma and matches its
 * inflections: regular ones are generated, irregular ones are written "meet|met".
 */
#ifndef EVENTS_LEXICON_H
#define EVENTS_LEXICON_H

#include "cameo.h"
#include "dict.h"

#include <stdint.h>

enum ev_trigger_kind {
    EV_TRIG_EVENT = 1, /* an event of code (and, when set, of rev from target to source) */
    EV_TRIG_SAY = 2,   /* a reporting verb */
    EV_TRIG_NONE = 3   /* not a trigger: hides the phrase from later entries */
};

/* The form a trigger matched in: the grammar reads passive voice off a participle. */
enum ev_form {
    EV_FORM_BASE = 0,
    EV_FORM_S = 1,
    EV_FORM_ED = 2,
    EV_FORM_ING = 3,
    EV_FORM_EXACT = 4
};

typedef struct ev_trigger {
    char code[8]; /* CAMEO code, or a user dictionary's own ("345") */
    char rev[8];  /* code of the event from target to source ("032:033"), or "" */
    int cameo;    /* index in the CAMEO table, -1 when the code is not in it */
    int rev_cameo;
    uint8_t kind;
    uint8_t form;
} ev_trigger;

typedef struct ev_lexicon {
    ev_dict dict; /* phrase -> index in v */
    ev_trigger *v;
    size_t n, cap;
} ev_lexicon;

void ev_lexicon_init(ev_lexicon *lx);
void ev_lexicon_free(ev_lexicon *lx);
/* Read a lexicon TSV: phrase, code (a code of the CAMEO table, "say" or "-"), notes.
 * On error "FILE:LINE: reason" in err and < 0. */
int ev_lexicon_load_tsv(ev_lexicon *lx, const ev_cameo *cameo, const char *path, char *err,
                        size_t errlen);
/* Whether a phrase is well formed; otherwise a reason (static text). */
const char *ev_lexicon_phrase_error(const char *phrase, size_t len);
/* Add a phrase (checked with ev_lexicon_phrase_error) with a prepared trigger; with
 * `inflect` its first word matches its inflections. Earlier phrases win over equal ones. */
int ev_lexicon_add(ev_lexicon *lx, const char *phrase, size_t len, const ev_trigger *t,
                   int inflect);
/* Parse a code field: "040", "032:033", "say", "-"; with strict, codes must be in the table.
 * Returns NULL or a reason. */
const char *ev_trigger_parse(ev_trigger *t, const ev_cameo *cameo, const char *s, size_t len,
                             int strict);

/* Regular inflections of an English verb lemma (lower case): calls fn with each form and its
 * ev_form. Over-generates harmlessly (both "visited" and "visitted"). */
int ev_inflect(const char *lemma, size_t len,
               int (*fn)(void *ctx, const char *w, size_t n, int form), void *ctx);

#endif
