/* Closed word lists the splitter consults: sentence-starter words. */
#ifndef SLUICE_SENTENCES_LEXICON_H
#define SLUICE_SENTENCES_LEXICON_H

#include <stddef.h>

/* Whether w[0, len) (capitalized) is a word that commonly starts a sentence: "The", "It". */
int sp_is_starter(const char *w, size_t len);

#endif
