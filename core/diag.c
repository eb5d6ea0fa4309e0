#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void slc_diag_error(slc_diag *d, const char *file, slc_mark at, int stage, const char *plugin,
                    const char *fmt, ...) {
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    slc_buf_puts(&d->text, file ? file : "<pipeline>");
    if (at.line)
        slc_buf_printf(&d->text, ":%lu:%lu", at.line, at.col);
    slc_buf_puts(&d->text, ": ");
    if (stage > 0)
        slc_buf_printf(&d->text, "stage %d (plugin %s): ", stage, plugin ? plugin : "?");
    slc_buf_puts(&d->text, msg);
    slc_buf_putc(&d->text, '\n');
    d->errors++;
}

void slc_diag_print(const slc_diag *d, FILE *f) {
    const char *p = d->text.p;
    while (p && *p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        fprintf(f, "sluice: %.*s\n", (int)n, p);
        p += n + (nl != NULL);
    }
}

void slc_diag_free(slc_diag *d) {
    slc_buf_free(&d->text);
    d->errors = 0;
}

/* Levenshtein distance, bounded to short words (option and plugin names). */
static size_t edit_distance(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return (size_t)-1;
    size_t row[64];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = diag + cost;
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *slc_nearest(const char *word, const char *const *candidates, size_t n) {
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    size_t limit = strlen(word) / 3 + 1;
    if (limit < 2)
        limit = 2;
    for (size_t i = 0; i < n; i++) {
        size_t dist = edit_distance(word, candidates[i]);
        if (dist < best_d) {
            best_d = dist;
            best = candidates[i];
        }
    }
    return best_d <= limit ? best : NULL;
}
