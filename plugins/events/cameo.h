/* The CAMEO event code table (data/cameo.tsv): names, roots, quad classes, Goldstein values. */
#ifndef EVENTS_CAMEO_H
#define EVENTS_CAMEO_H

#include <stddef.h>

typedef struct ev_code {
    char code[5]; /* "0871", NUL-terminated */
    char root[3]; /* "08" */
    int quad;     /* 1..4 */
    double goldstein;
    int intent; /* index of the code of the stated intention, or -1 */
    char *name;
} ev_code;

typedef struct ev_cameo {
    ev_code *v; /* sorted by code */
    size_t n;
} ev_cameo;

/* Whether s[0..len) is a CAMEO-shaped code: 2 to 4 digits. */
int ev_code_shape(const char *s, size_t len);
/* Load the table; on error fill err with "FILE:LINE: reason" and return < 0. */
int ev_cameo_load(ev_cameo *t, const char *path, char *err, size_t errlen);
void ev_cameo_free(ev_cameo *t);
/* Index of a code, or -1. */
int ev_cameo_find(const ev_cameo *t, const char *code, size_t len);

#endif
