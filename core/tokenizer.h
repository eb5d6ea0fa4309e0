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

/* Tokenize text[0, len) (valid UTF-8) into *out, which is cleared first. SL_OK or SL_ENOMEM. */
int slc_tokenize(const char *text, size_t len, slc_tokens *out);

/* Free the array's storage and zero it. */
void slc_tokens_free(slc_tokens *tokens);

#endif
