/* Reading the plugin's data files line by line, with FILE:LINE error messages. */
#ifndef EVENTS_TSV_H
#define EVENTS_TSV_H

#include <stdio.h>
#include <stddef.h>

#include "sluice/sluice.h"

typedef struct ev_field {
    const char *s;
    size_t len;
} ev_field;

typedef struct ev_tsv {
    FILE *f;
    const char *path;
    char *line; /* the current line, without its end of line */
    size_t cap;
    size_t len;
    long lineno;
    const char *ioerr; /* strerror of a read failure */
} ev_tsv;

/* Open a file; on failure fill err with "FILE: reason" and return -1. */
int ev_tsv_open(ev_tsv *r, const char *path, char *err, size_t errlen);
void ev_tsv_close(ev_tsv *r);
/* The next raw line into r->line (CR LF and a UTF-8 BOM dropped): 1, 0 at the end, -1 on a
 * read error. */
int ev_tsv_line(ev_tsv *r);
/* The next line that is neither blank nor a comment (#), split at tabs into at most max
 * fields (the last keeps any further tabs), each trimmed of spaces: the number of fields, 0
 * at the end, -1 on a read error. */
int ev_tsv_next(ev_tsv *r, ev_field *f, int max);
/* Format "FILE:LINE: message" into err; returns SL_ECONFIG. */
int ev_tsv_error(const ev_tsv *r, char *err, size_t errlen, const char *fmt, ...) SL_PRINTF(4, 5);
/* Whether a field equals a string. */
int ev_field_is(const ev_field *f, const char *s);

#endif
