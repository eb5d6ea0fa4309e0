#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "sluice/sluice.h"

int slc_buf_reserve(slc_buf *b, size_t extra) {
    if (extra > (size_t)-1 / 2 - b->len)
        return SL_ENOMEM;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p)
        return SL_ENOMEM;
    b->p = p;
    b->cap = cap;
    return 0;
}

int slc_buf_append(slc_buf *b, const void *data, size_t len) {
    if (slc_buf_reserve(b, len) != 0)
        return SL_ENOMEM;
    if (len)
        memcpy(b->p + b->len, data, len);
    b->len += len;
    b->p[b->len] = '\0';
    return 0;
}

int slc_buf_printf(slc_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return SL_EINVAL;
    if ((size_t)n < sizeof small)
        return slc_buf_append(b, small, (size_t)n);
    if (slc_buf_reserve(b, (size_t)n) != 0)
        return SL_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

char *slc_put_decimal(char *p, size_t v) {
    /* Two digits per division: half the divisions of one digit at a time. */
    static const char pairs[] =
        "00010203040506070809101112131415161718192021222324252627282930313233"
        "34353637383940414243444546474849505152535455565758596061626364656667"
        "6869707172737475767778798081828384858687888990919293949596979899";
    char tmp[SLC_DECIMAL_MAX];
    char *e = tmp + sizeof tmp, *t = e;
    while (v >= 100) {
        size_t q = v / 100;
        t -= 2;
        memcpy(t, pairs + (v - q * 100) * 2, 2);
        v = q;
    }
    if (v >= 10) {
        t -= 2;
        memcpy(t, pairs + v * 2, 2);
    } else {
        *--t = (char)('0' + v);
    }
    memcpy(p, t, (size_t)(e - t));
    return p + (e - t);
}

int slc_buf_put_size(slc_buf *b, size_t v) {
    if (slc_buf_reserve(b, SLC_DECIMAL_MAX) != 0)
        return SL_ENOMEM;
    b->len = (size_t)(slc_put_decimal(b->p + b->len, v) - b->p);
    b->p[b->len] = '\0';
    return 0;
}

void slc_buf_free(slc_buf *b) {
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}
