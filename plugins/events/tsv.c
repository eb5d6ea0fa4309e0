/* Reading data files line by line (see tsv.h). */
#define _POSIX_C_SOURCE 200809L
#include "tsv.h"

#include "sluice/sluice.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int ev_tsv_open(ev_tsv *r, const char *path, char *err, size_t errlen) {
    memset(r, 0, sizeof *r);
    r->path = path;
    r->f = fopen(path, "r");
    if (!r->f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

void ev_tsv_close(ev_tsv *r) {
    if (r->f)
        fclose(r->f);
    free(r->line);
    r->line = NULL;
    r->f = NULL;
}

int ev_tsv_line(ev_tsv *r) {
    ssize_t n = getline(&r->line, &r->cap, r->f);
    if (n < 0) {
        if (ferror(r->f)) {
            r->ioerr = strerror(errno);
            return -1;
        }
        return 0;
    }
    r->lineno++;
    while (n > 0 && (r->line[n - 1] == '\n' || r->line[n - 1] == '\r'))
        r->line[--n] = 0;
    if (r->lineno == 1 && n >= 3 && memcmp(r->line, "\xEF\xBB\xBF", 3) == 0) {
        memmove(r->line, r->line + 3, (size_t)n - 2);
        n -= 3;
    }
    r->len = (size_t)n;
    return 1;
}

static ev_field trim(const char *s, size_t len) {
    while (len && (*s == ' ' || *s == '\v' || *s == '\f')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\v' || s[len - 1] == '\f'))
        len--;
    return (ev_field){s, len};
}

int ev_tsv_next(ev_tsv *r, ev_field *f, int max) {
    for (;;) {
        int rc = ev_tsv_line(r);
        if (rc <= 0)
            return rc;
        const char *s = r->line;
        size_t i = 0;
        while (i < r->len && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i == r->len || s[i] == '#')
            continue;
        int n = 0;
        size_t b = 0;
        for (size_t j = 0; j <= r->len; j++) {
            if (j == r->len || (s[j] == '\t' && n < max - 1)) {
                f[n++] = trim(s + b, j - b);
                b = j + 1;
            }
        }
        return n;
    }
}

int ev_tsv_error(const ev_tsv *r, char *err, size_t errlen, const char *fmt, ...) {
    int k = snprintf(err, errlen, "%s:%ld: ", r->path, r->lineno);
    if (k >= 0 && (size_t)k < errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err + k, errlen - (size_t)k, fmt, ap);
        va_end(ap);
    }
    return SL_ECONFIG;
}

int ev_field_is(const ev_field *f, const char *s) {
    return strlen(s) == f->len && memcmp(f->s, s, f->len) == 0;
}
