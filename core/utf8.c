#include "utf8.h"

#include <stdint.h>
#include <string.h>

#include "sluice/sluice.h"

/* ASCII runs are skipped and code points counted 16 bytes at a time with SSE2 (every x86-64),
 * else 8 bytes in a 64-bit word. SLUICE_NO_SIMD forces the portable path, to test it. */
#if defined(__SSE2__) && !defined(SLUICE_NO_SIMD)
#include <emmintrin.h>
#define UTF8_SSE2 1
#endif

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
#if UTF8_SSE2
        if (i + 16 <= len) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            unsigned m = (unsigned)_mm_movemask_epi8(v);
            if (!m) {
                i += 16;
                continue;
            }
            i += (unsigned)__builtin_ctz(m); /* the bytes before the first high bit are ASCII */
        }
#else
        if (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!(w & high_bits)) {
                i += 8;
                continue;
            }
        }
#endif
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

/* Code points are the bytes that are not continuation bytes (10xxxxxx). The continuation
 * bytes are counted in per-byte lanes and the lanes summed every 255 blocks, before one can
 * overflow: the build targets x86-64 without POPCNT, where __builtin_popcountll is a slow
 * library call. */
size_t slc_utf8_count(const char *str, size_t len) {
    const unsigned char *s = (const unsigned char *)str;
    size_t cont = 0, i = 0;
#if UTF8_SSE2
    const __m128i lim = _mm_set1_epi8((char)0xC0), zero = _mm_setzero_si128();
    while (i + 16 <= len) {
        size_t blocks = (len - i) / 16;
        if (blocks > 255)
            blocks = 255;
        __m128i acc = zero;
        for (size_t k = 0; k < blocks; k++, i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            /* signed: 0x80-0xBF are exactly the bytes below (char)0xC0; a match is -1 */
            acc = _mm_sub_epi8(acc, _mm_cmplt_epi8(v, lim));
        }
        __m128i sum = _mm_sad_epu8(acc, zero);
        cont += (size_t)_mm_cvtsi128_si32(sum) + (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sum, 8));
    }
#else
    const uint64_t pairs = 0x00FF00FF00FF00FFULL;
    while (i + 8 <= len) {
        size_t words = (len - i) / 8;
        if (words > 255)
            words = 255;
        uint64_t acc = 0;
        for (size_t k = 0; k < words; k++, i += 8) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            acc += (w & ~(w << 1) & high_bits) >> 7;
        }
        acc = (acc & pairs) + ((acc >> 8) & pairs);            /* 4 lanes of 16 bits */
        cont += (size_t)((acc * 0x0001000100010001ULL) >> 48); /* their sum, in the top lane */
    }
#endif
    for (; i < len; i++)
        cont += (s[i] & 0xC0) == 0x80;
    return len - cont;
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
