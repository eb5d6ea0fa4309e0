#include "json.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sluice/sluice.h"
#include "utf8.h"

/* Strings are scanned and decoded 16 bytes at a time with SSE2 (every x86-64), else 8 bytes in
 * a 64-bit word. SLUICE_NO_SIMD forces the portable path, to test it. */
#if defined(__SSE2__) && !defined(SLUICE_NO_SIMD)
#include <emmintrin.h>
#define JSON_SSE2 1
#endif

/* Nesting beyond this is refused, so that hostile input cannot exhaust the stack. */
#define MAX_DEPTH 512

typedef struct scanner {
    const unsigned char *s;
    size_t len;
    size_t i;
    const char *error;
} scanner;

static int fail(scanner *sc, const char *msg) {
    if (!sc->error)
        sc->error = msg;
    return -1;
}

static void skip_ws(scanner *sc) {
    while (sc->i < sc->len) {
        unsigned char c = sc->s[sc->i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        sc->i++;
    }
}

static int hex_value(unsigned char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

#if !JSON_SSE2
/* Whether any of 8 bytes may be a quote, a backslash or a control character. False positives
 * are possible (the bytewise loop sorts them out); misses are not. */
static int may_need_stop(uint64_t w) {
    uint64_t q = w ^ (ONES * '"'), b = w ^ (ONES * '\\');
    return (((q - ONES) & ~q) | ((b - ONES) & ~b) | ((w - ONES * 0x20) & ~w)) & HIGHS ? 1 : 0;
}
#endif

/* The index of the first quote, backslash or control character in s[i, len), or len: the
 * bytes that end a plain run of a JSON string, for the scanner and the writer alike. */
static size_t skip_plain(const unsigned char *s, size_t i, size_t len) {
#if JSON_SSE2
    const __m128i quote = _mm_set1_epi8('"'), bsl = _mm_set1_epi8('\\'), ctl = _mm_set1_epi8(0x1F);
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i stop = _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bsl));
        /* v <= 0x1F, unsigned: SSE2 has no unsigned byte compare, but has an unsigned min */
        stop = _mm_or_si128(stop, _mm_cmpeq_epi8(_mm_min_epu8(v, ctl), v));
        unsigned m = (unsigned)_mm_movemask_epi8(stop);
        if (m)
            return i + (unsigned)__builtin_ctz(m);
    }
#else
    for (uint64_t w; i + 8 <= len && (memcpy(&w, s + i, 8), !may_need_stop(w));)
        i += 8;
#endif
    while (i < len && s[i] != '"' && s[i] != '\\' && s[i] >= 0x20)
        i++;
    return i;
}

/* At an opening quote: move past the closing one. *escaped tells whether a backslash occurred. */
static int scan_string(scanner *sc, int *escaped) {
    const unsigned char *s = sc->s;
    size_t i = sc->i + 1, len = sc->len;
    int esc = 0;
    for (;;) {
        i = skip_plain(s, i, len);
        if (i >= len)
            return fail(sc, "unterminated string");
        if (s[i] == '"')
            break;
        if (s[i] < 0x20) {
            sc->i = i;
            return fail(sc, "control character in string");
        }
        esc = 1;
        if (i + 1 >= len)
            return fail(sc, "unterminated string");
        unsigned char e = s[i + 1];
        if (e == 'u') {
            if (i + 6 > len || hex_value(s[i + 2]) < 0 || hex_value(s[i + 3]) < 0 ||
                hex_value(s[i + 4]) < 0 || hex_value(s[i + 5]) < 0) {
                sc->i = i;
                return fail(sc, "bad \\u escape");
            }
            i += 6;
        } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' ||
                   e == 'r' || e == 't') { /* a test per letter: strchr was a call per escape */
            i += 2;
        } else {
            sc->i = i;
            return fail(sc, "bad escape in string");
        }
    }
    sc->i = i + 1;
    if (escaped)
        *escaped = esc;
    return 0;
}

static int scan_number(scanner *sc) {
    const unsigned char *s = sc->s;
    size_t i = sc->i, len = sc->len;
    if (i < len && s[i] == '-')
        i++;
    if (i >= len || s[i] < '0' || s[i] > '9')
        return fail(sc, "bad number");
    if (s[i] == '0')
        i++;
    else
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
    if (i < len && s[i] == '.') {
        i++;
        if (i >= len || s[i] < '0' || s[i] > '9')
            return fail(sc, "bad number");
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i >= len || s[i] < '0' || s[i] > '9')
            return fail(sc, "bad number");
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    sc->i = i;
    return 0;
}

static int scan_literal(scanner *sc, const char *word) {
    size_t n = strlen(word);
    if (sc->len - sc->i < n || memcmp(sc->s + sc->i, word, n) != 0)
        return fail(sc, "unexpected character");
    sc->i += n;
    return 0;
}

static int scan_value(scanner *sc, int depth, slc_json_type *type);

static int scan_container(scanner *sc, int depth, int is_object) {
    unsigned char close = is_object ? '}' : ']';
    if (depth > MAX_DEPTH)
        return fail(sc, "nesting too deep");
    sc->i++;
    skip_ws(sc);
    if (sc->i < sc->len && sc->s[sc->i] == close) {
        sc->i++;
        return 0;
    }
    for (;;) {
        skip_ws(sc);
        if (is_object) {
            if (sc->i >= sc->len || sc->s[sc->i] != '"')
                return fail(sc, "expected a string key");
            if (scan_string(sc, NULL) != 0)
                return -1;
            skip_ws(sc);
            if (sc->i >= sc->len || sc->s[sc->i] != ':')
                return fail(sc, "expected ':'");
            sc->i++;
            skip_ws(sc);
        }
        slc_json_type t;
        if (scan_value(sc, depth + 1, &t) != 0)
            return -1;
        skip_ws(sc);
        if (sc->i >= sc->len)
            return fail(sc, is_object ? "unterminated object" : "unterminated array");
        if (sc->s[sc->i] == ',') {
            sc->i++;
            continue;
        }
        if (sc->s[sc->i] == close) {
            sc->i++;
            return 0;
        }
        return fail(sc, is_object ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static int scan_value(scanner *sc, int depth, slc_json_type *type) {
    if (sc->i >= sc->len)
        return fail(sc, "unexpected end of input");
    switch (sc->s[sc->i]) {
    case '"':
        *type = SLC_JSON_STRING;
        return scan_string(sc, NULL);
    case '{':
        *type = SLC_JSON_OBJECT;
        return scan_container(sc, depth, 1);
    case '[':
        *type = SLC_JSON_ARRAY;
        return scan_container(sc, depth, 0);
    case 't':
        *type = SLC_JSON_TRUE;
        return scan_literal(sc, "true");
    case 'f':
        *type = SLC_JSON_FALSE;
        return scan_literal(sc, "false");
    case 'n':
        *type = SLC_JSON_NULL;
        return scan_literal(sc, "null");
    default:
        *type = SLC_JSON_NUMBER;
        return scan_number(sc);
    }
}

int slc_json_scan_object(const char *s, size_t len, slc_json_member_fn fn, void *ctx,
                         const char **error, size_t *error_at) {
    scanner sc = {(const unsigned char *)s, len, 0, NULL};
    skip_ws(&sc);
    if (sc.i >= len || s[sc.i] != '{') {
        sc.error = sc.i >= len ? "empty line" : "not a JSON object";
        goto failed;
    }
    sc.i++;
    skip_ws(&sc);
    if (sc.i < len && s[sc.i] == '}') {
        sc.i++;
    } else {
        for (;;) {
            slc_json_member m;
            skip_ws(&sc);
            if (sc.i >= len || s[sc.i] != '"') {
                fail(&sc, "expected a string key");
                goto failed;
            }
            m.key_off = sc.i + 1;
            if (scan_string(&sc, &m.key_escaped) != 0)
                goto failed;
            m.key_len = sc.i - 1 - m.key_off;
            skip_ws(&sc);
            if (sc.i >= len || s[sc.i] != ':') {
                fail(&sc, "expected ':'");
                goto failed;
            }
            sc.i++;
            skip_ws(&sc);
            m.val_off = sc.i;
            if (scan_value(&sc, 1, &m.type) != 0)
                goto failed;
            m.val_len = sc.i - m.val_off;
            int rc = fn ? fn(ctx, &m) : 0;
            if (rc != 0)
                return rc;
            skip_ws(&sc);
            if (sc.i < len && s[sc.i] == ',') {
                sc.i++;
                continue;
            }
            if (sc.i < len && s[sc.i] == '}') {
                sc.i++;
                break;
            }
            fail(&sc, sc.i >= len ? "unterminated object" : "expected ',' or '}'");
            goto failed;
        }
    }
    skip_ws(&sc);
    if (sc.i != len) {
        sc.error = "trailing characters after the object";
        goto failed;
    }
    return 0;
failed:
    if (error)
        *error = sc.error;
    if (error_at)
        *error_at = sc.i;
    return -1;
}

int slc_json_validate(const char *s, size_t len, slc_json_type *type, const char **error,
                      size_t *error_at) {
    scanner sc = {(const unsigned char *)s, len, 0, NULL};
    slc_json_type t;
    skip_ws(&sc);
    if (scan_value(&sc, 0, &t) == 0) {
        skip_ws(&sc);
        if (sc.i == len) {
            if (type)
                *type = t;
            return 0;
        }
        sc.error = "trailing characters after the value";
    }
    if (error)
        *error = sc.error;
    if (error_at)
        *error_at = sc.i;
    return -1;
}

static unsigned long hex4(const char *p) {
    unsigned long v = 0;
    for (int k = 0; k < 4; k++)
        v = v << 4 | (unsigned long)hex_value((unsigned char)p[k]);
    return v;
}

/* The byte a one-letter escape stands for; \" \\ \/ stand for themselves. */
static char escaped_byte(unsigned char e) {
    switch (e) {
    case 'b':
        return '\b';
    case 'f':
        return '\f';
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 't':
        return '\t';
    default:
        return (char)e;
    }
}

/* Encode cp as UTF-8 at o (room for 4 bytes); returns the end. Values above U+10FFFF (only
 * from bad hex digits in unvalidated input) are encoded the way slc_utf8_put does. */
static char *put_utf8(char *o, unsigned long cp) {
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xC0 | (cp >> 6));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xE0 | (cp >> 12));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (char)(0xF0 | (cp >> 18));
        *o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    }
    return o;
}

/* Decoding never makes text longer (\n is 2 bytes for 1, \uXXXX 6 for at most 3, a surrogate
 * pair 12 for 4), so the output is reserved once and written through a plain pointer. Runs
 * without a backslash are copied a block at a time: a block is stored whole, and the write
 * position then advances only up to the backslash, if any; the store stays inside the
 * reservation because the output never runs ahead of the input. */
int slc_json_unescape(const char *s, size_t len, slc_buf *out, size_t *repaired) {
    if (slc_buf_reserve(out, len) != 0)
        return SL_ENOMEM;
    char *const base = out->p + out->len;
    char *o = base;
    size_t i = 0;
    for (;;) {
#if JSON_SSE2
        const __m128i bsl = _mm_set1_epi8('\\');
        while (i + 16 <= len) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            _mm_storeu_si128((__m128i *)(void *)o, v);
            unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, bsl));
            if (m) {
                unsigned k = (unsigned)__builtin_ctz(m);
                i += k;
                o += k;
                goto escape;
            }
            i += 16;
            o += 16;
        }
#else
        /* Eight bytes at a time; the test for a backslash byte has no misses and no false
         * alarms, on any byte order. */
        while (i + 8 <= len) {
            uint64_t w, x;
            memcpy(&w, s + i, 8);
            x = w ^ (ONES * '\\');
            if (((x - ONES) & ~x & HIGHS) != 0)
                break;
            memcpy(o, &w, 8);
            i += 8;
            o += 8;
        }
#endif
        while (i < len && s[i] != '\\')
            *o++ = s[i++];
        if (i >= len)
            break;
#if JSON_SSE2
    escape:
#endif
        if (i + 1 >= len) { /* a lone trailing backslash: only in unvalidated input */
            *o++ = s[i++];
            break;
        }
        unsigned char e = (unsigned char)s[i + 1];
        if (e != 'u') {
            *o++ = escaped_byte(e);
            i += 2;
            continue;
        }
        if (i + 6 > len) { /* a truncated \u escape: only in unvalidated input */
            while (i < len)
                *o++ = s[i++];
            break;
        }
        unsigned long cp = hex4(s + i + 2);
        i += 6;
        if (cp >= 0xD800 && cp < 0xDC00 && i + 6 <= len && s[i] == '\\' && s[i + 1] == 'u') {
            unsigned long lo = hex4(s + i + 2);
            if (lo >= 0xDC00 && lo < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
            }
        }
        if (cp >= 0xD800 && cp < 0xE000) {
            cp = 0xFFFD;
            if (repaired)
                (*repaired)++;
        }
        o = put_utf8(o, cp);
    }
    out->len += (size_t)(o - base);
    out->p[out->len] = '\0';
    return 0;
}

/* Which bytes need escaping in a JSON string: control characters, quote and backslash. */
int slc_json_put_string(slc_buf *out, const char *s, size_t len) {
    static const char hex[] = "0123456789abcdef";
    if (slc_buf_reserve(out, len + 2) != 0)
        return SL_ENOMEM;
    out->p[out->len++] = '"';
    size_t i = 0;
    while (i < len) {
        size_t start = i;
        i = skip_plain((const unsigned char *)s, i, len);
        if (slc_buf_append(out, s + start, i - start) != 0)
            return SL_ENOMEM;
        if (i >= len)
            break;
        unsigned char c = (unsigned char)s[i++];
        char esc[7] = {'\\', 0};
        size_t n = 2;
        switch (c) {
        case '"':
            esc[1] = '"';
            break;
        case '\\':
            esc[1] = '\\';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            n = 6;
        }
        if (slc_buf_append(out, esc, n) != 0)
            return SL_ENOMEM;
    }
    return slc_buf_putc(out, '"');
}

int slc_json_put_number(slc_buf *out, double v) {
    if (!isfinite(v))
        return slc_buf_puts(out, "null");
    if (v == floor(v) && fabs(v) < 9007199254740992.0)
        return slc_buf_printf(out, "%.0f", v);
    char tmp[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, v);
        double back;
        if (sscanf(tmp, "%lf", &back) == 1 && back == v)
            break;
    }
    return slc_buf_puts(out, tmp);
}
