/* A growable byte buffer: the one allocation pattern the core uses for text it builds. */
#ifndef SLUICE_CORE_BUF_H
#define SLUICE_CORE_BUF_H

#include <stddef.h>
#include <string.h>

typedef struct slc_buf {
    char *p;
    size_t len;
    size_t cap;
} slc_buf;

/* Make room for `extra` more bytes plus a NUL; 0 or SL_ENOMEM. */
int slc_buf_reserve(slc_buf *b, size_t extra);
/* Append bytes; 0 or SL_ENOMEM. The content stays NUL-terminated. */
int slc_buf_append(slc_buf *b, const void *data, size_t len);
/* Append formatted text. */
int slc_buf_printf(slc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append an unsigned decimal number. */
int slc_buf_put_size(slc_buf *b, size_t v);
/* Longest decimal size_t (64-bit). */
#define SLC_DECIMAL_MAX 20
/* Write v in decimal at p, which has room for SLC_DECIMAL_MAX bytes; returns the end. For
 * writers that reserve once and then fill the buffer directly. */
char *slc_put_decimal(char *p, size_t v);
/* Free storage and zero the buffer. */
void slc_buf_free(slc_buf *b);

/* Append one byte. */
static inline int slc_buf_putc(slc_buf *b, char c) {
    if (b->len + 2 > b->cap && slc_buf_reserve(b, 1) != 0)
        return -1;
    b->p[b->len++] = c;
    b->p[b->len] = '\0';
    return 0;
}

/* Append a NUL-terminated string. Inline so that the length of a literal is a constant. */
static inline int slc_buf_puts(slc_buf *b, const char *s) {
    return slc_buf_append(b, s, strlen(s));
}

/* Forget the content, keep the storage. */
static inline void slc_buf_clear(slc_buf *b) {
    b->len = 0;
    if (b->p)
        b->p[0] = '\0';
}

#endif
