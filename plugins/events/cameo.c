/* The CAMEO event code table (see cameo.h). */
#define _POSIX_C_SOURCE 200809L
#include "cameo.h"

#include "sluice/sluice.h"
#include "tsv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ev_code_shape(const char *s, size_t len) {
    if (len < 2 || len > 4)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

void ev_cameo_free(ev_cameo *t) {
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i].name);
    free(t->v);
    t->v = NULL;
    t->n = 0;
}

static int cmp_code(const void *a, const void *b) {
    return strcmp(((const ev_code *)a)->code, ((const ev_code *)b)->code);
}

int ev_cameo_find(const ev_cameo *t, const char *code, size_t len) {
    if (!ev_code_shape(code, len))
        return -1;
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strncmp(t->v[mid].code, code, len);
        if (c == 0 && t->v[mid].code[len])
            c = 1;
        if (c == 0)
            return (int)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

int ev_cameo_load(ev_cameo *t, const char *path, char *err, size_t errlen) {
    memset(t, 0, sizeof *t);
    ev_tsv r;
    if (ev_tsv_open(&r, path, err, errlen) != 0)
        return SL_ECONFIG;
    size_t cap = 0;
    char **intents = NULL;
    int rc = SL_OK, header = 1;
    ev_field f[8];
    int nf;
    while ((nf = ev_tsv_next(&r, f, 8)) > 0) {
        if (header) { /* the column names */
            header = 0;
            if (nf < 6 || !ev_field_is(&f[0], "code"))
                rc = ev_tsv_error(&r, err, errlen,
                                  "expected the header line code root quad "
                                  "goldstein intent name");
            if (rc)
                break;
            continue;
        }
        if (nf != 6) {
            rc = ev_tsv_error(&r, err, errlen, "expected 6 tab-separated fields, found %d", nf);
            break;
        }
        if (!ev_code_shape(f[0].s, f[0].len)) {
            rc = ev_tsv_error(&r, err, errlen, "'%.*s' is not a CAMEO code (2 to 4 digits)",
                              (int)f[0].len, f[0].s);
            break;
        }
        if (f[1].len != 2 || strncmp(f[1].s, f[0].s, 2) != 0) {
            rc = ev_tsv_error(&r, err, errlen, "root '%.*s' is not the first two digits of %.*s",
                              (int)f[1].len, f[1].s, (int)f[0].len, f[0].s);
            break;
        }
        char *end;
        char num[32];
        snprintf(num, sizeof num, "%.*s", (int)(f[2].len < 31 ? f[2].len : 31), f[2].s);
        long quad = strtol(num, &end, 10);
        if (*end || end == num || quad < 1 || quad > 4) {
            rc = ev_tsv_error(&r, err, errlen, "quad class '%s' is not 1 to 4", num);
            break;
        }
        snprintf(num, sizeof num, "%.*s", (int)(f[3].len < 31 ? f[3].len : 31), f[3].s);
        double g = strtod(num, &end);
        if (*end || end == num || g < -10 || g > 10) {
            rc = ev_tsv_error(&r, err, errlen, "Goldstein value '%s' is not a number in -10..10",
                              num);
            break;
        }
        if (!(f[4].len == 1 && f[4].s[0] == '-') && !ev_code_shape(f[4].s, f[4].len)) {
            rc = ev_tsv_error(&r, err, errlen, "intent '%.*s' is neither a code nor '-'",
                              (int)f[4].len, f[4].s);
            break;
        }
        if (t->n == cap) {
            cap = cap ? cap * 2 : 512;
            ev_code *v = realloc(t->v, cap * sizeof *v);
            char **iv = realloc(intents, cap * sizeof *iv);
            if (iv)
                intents = iv;
            if (!v || !iv) {
                if (v)
                    t->v = v;
                rc = SL_ENOMEM;
                break;
            }
            t->v = v;
        }
        ev_code *c = &t->v[t->n];
        memset(c, 0, sizeof *c);
        memcpy(c->code, f[0].s, f[0].len);
        memcpy(c->root, f[1].s, 2);
        c->quad = (int)quad;
        c->goldstein = g;
        c->name = strndup(f[5].s, f[5].len);
        intents[t->n] = strndup(f[4].s, f[4].len);
        t->n++;
        if (!c->name || !intents[t->n - 1]) {
            rc = SL_ENOMEM;
            break;
        }
    }
    if (nf < 0 && !rc)
        rc = ev_tsv_error(&r, err, errlen, "cannot read: %s", r.ioerr);
    if (!rc && t->n == 0)
        rc = ev_tsv_error(&r, err, errlen, "no codes");
    if (!rc) {
        /* sort with the intent texts alongside, then resolve them to indexes */
        for (size_t i = 0; i < t->n; i++)
            t->v[i].intent = (int)i;
        qsort(t->v, t->n, sizeof *t->v, cmp_code);
        char **sorted = malloc(t->n * sizeof *sorted);
        if (!sorted)
            rc = SL_ENOMEM;
        for (size_t i = 0; !rc && i < t->n; i++)
            sorted[i] = intents[t->v[i].intent];
        for (size_t i = 0; !rc && i < t->n; i++) {
            if (i && strcmp(t->v[i - 1].code, t->v[i].code) == 0) {
                snprintf(err, errlen, "%s: code %s appears twice", path, t->v[i].code);
                rc = SL_ECONFIG;
                break;
            }
            const char *in = sorted[i];
            t->v[i].intent = strcmp(in, "-") == 0 ? -1 : ev_cameo_find(t, in, strlen(in));
            if (strcmp(in, "-") != 0 && t->v[i].intent < 0) {
                snprintf(err, errlen, "%s: intent code %s of %s is not in the table", path, in,
                         t->v[i].code);
                rc = SL_ECONFIG;
            }
        }
        free(sorted);
    }
    for (size_t i = 0; i < t->n; i++)
        free(intents ? intents[i] : NULL);
    free(intents);
    ev_tsv_close(&r);
    if (rc)
        ev_cameo_free(t);
    return rc;
}
