/* The shared tokenizer: English news conventions, Unicode-aware, exact byte offsets. */
#ifndef SLUICE_CORE_TOKENIZER_H
#define SLUICE_CORE_TOKENIZER_H

#include "sluice/sluice.h"

/* A growable array of tokens. */
typedef struct slc_tokens {
    sl_token *v;
    size_t n;
    size_t cap;
} slc_tokens;

/* The token flags of each class of abbreviation in abbreviations.def, and its case rule. */
enum slc_abbrev_class {
    SLC_AB_TITLE = SL_TOKF_ABBREV | SL_TOKF_ABBREV_TITLE,
    SLC_AB_NUMBER = SL_TOKF_ABBREV | SL_TOKF_ABBREV_NUMBER,
    SLC_AB_NO_END = SL_TOKF_ABBREV | SL_TOKF_ABBREV_NO_END,
    SLC_AB_MONTH = SL_TOKF_ABBREV,
    SLC_AB_DAY = SL_TOKF_ABBREV,
    SLC_AB_STATE = SL_TOKF_ABBREV,
    SLC_AB_COMPANY = SL_TOKF_ABBREV,
    SLC_AB_OTHER = SL_TOKF_ABBREV,
    SLC_AB_ANY = 0, /* any case */
    SLC_AB_CAP = 1  /* only capitalized */
};

/* Tokenize text[0, len) (valid UTF-8) into *out, which is cleared first. SL_OK or SL_ENOMEM. */
int slc_tokenize(const char *text, size_t len, slc_tokens *out);

/* Free the array's storage and zero it. */
void slc_tokens_free(slc_tokens *tokens);

#endif
