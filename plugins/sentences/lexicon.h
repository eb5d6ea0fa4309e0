/* Closed word lists the splitter consults: abbreviation classes and sentence-starter words. */
#ifndef SLUICE_SENTENCES_LEXICON_H
#define SLUICE_SENTENCES_LEXICON_H

#include <stddef.h>

/* How an abbreviation behaves before a capitalized word. */
typedef enum sp_abbrev_class {
    SP_AB_NONE = 0,
    SP_AB_TITLE,    /* Mr. Gen. St.: a name follows; never ends a sentence before a capital */
    SP_AB_NUMBERED, /* No. pp. Fig.: a number follows */
    SP_AB_EXAMPLE,  /* e.g. i.e. cf. viz.: never ends a sentence */
    SP_AB_OTHER     /* Inc. Jr. Aug. Calif. etc.: may end a sentence */
} sp_abbrev_class;

/* The class of word w[0, len) (without its period); SP_AB_NONE when unknown. */
sp_abbrev_class sp_abbrev_lookup(const char *w, size_t len);

/* Whether w[0, len) (capitalized) is a word that commonly starts a sentence: "The", "It". */
int sp_is_starter(const char *w, size_t len);

#endif
