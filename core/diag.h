/* Diagnostics: errors collected as lines "FILE:LINE:COL: stage N (plugin NAME): message". */
#ifndef SLUICE_CORE_DIAG_H
#define SLUICE_CORE_DIAG_H

#include <stdio.h>

#include "buf.h"

/* A place in a pipeline file, 1-based; line 0 means unknown. */
typedef struct slc_mark {
    unsigned long line, col;
} slc_mark;

typedef struct slc_diag {
    slc_buf text; /* one message per line */
    int errors;
} slc_diag;

/* Add an error. stage is 1-based (0: not about a stage); plugin may be NULL. */
void slc_diag_error(slc_diag *d, const char *file, slc_mark at, int stage, const char *plugin,
                    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Write the collected text to f with "sluice: " before each line, as every message of the
 * command starts. */
void slc_diag_print(const slc_diag *d, FILE *f);
/* Free the collected text. */
void slc_diag_free(slc_diag *d);

/* The nearest of n candidates to word by edit distance, or NULL when none is close. */
const char *slc_nearest(const char *word, const char *const *candidates, size_t n);

#endif
