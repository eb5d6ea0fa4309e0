#include "utf8.h"

#include <stdint.h>
#include <string.h>

#include "sluice/sluice.h"

static const uint64_t high_bits = 0x8080808080808080ULL;

/* Length of the valid sequence at s (n bytes available), 0 when invalid. */
static size_t sequence_length(const unsigned char *s, size_t n) {
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    if (c < 0xC2)
        return 0;
    if (c < 0xE0)
        return (n >= 2 && (s[1] & 0xC0) == 0x80) ? 2 : 0;
    if (c < 0xF0) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if (c == 0xE0 && s[1] < 0xA0)
            return 0; /* overlong */
        if (c == 0xED && s[1] >= 0xA0)
            return 0; /* surrogate */
        return 3;
    }
    if (c < 0xF5) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && s[1] < 0x90)
            return 0; /* overlong */
        if (c == 0xF4 && s[1] >= 0x90)
            return 0; /* above U+10FFFF */
        return 4;
    }
    return 0;
}

size_t slc_utf8_valid_prefix(const char *str, size_t len) {
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        if (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!(w & high_bits)) {
                i += 8;
                continue;
            }
        }
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = sequence_length(s + i, len - i);
        if (!k)
            return i;
        i += k;
    }
    return len;
}

size_t slc_utf8_repair(const char *str, size_t len, slc_buf *out) {
    size_t replaced = 0;
    size_t i = 0;
    while (i < len) {
        size_t ok = slc_utf8_valid_prefix(str + i, len - i);
        if (slc_buf_append(out, str + i, ok) != 0)
            return (size_t)-1;
        i += ok;
        if (i < len) {
            if (slc_buf_append(out, "\xEF\xBF\xBD", 3) != 0)
                return (size_t)-1;
            replaced++;
            i++;
        }
    }
    return replaced;
}

int slc_utf8_is_ascii(const char *str, size_t len) {
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    uint64_t acc = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        acc |= w;
    }
    for (; i < len; i++)
        acc |= s[i];
    return !(acc & high_bits);
}

size_t slc_utf8_count(const char *str, size_t len) {
    const unsigned char *s = (const unsigned char *)str;
    size_t n = 0, i = 0;
    /* Eight bytes at a time: count the continuation bytes (10xxxxxx) and subtract them. */
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        uint64_t cont = w & ~(w << 1) & high_bits;
        n += 8 - (size_t)__builtin_popcountll(cont);
    }
    for (; i < len; i++)
        n += (s[i] & 0xC0) != 0x80;
    return n;
}

int slc_utf8_put(slc_buf *out, unsigned long cp) {
    char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return slc_buf_append(out, b, n);
}
