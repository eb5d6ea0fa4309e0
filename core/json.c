#include "json.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sluice/sluice.h"
#include "utf8.h"

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

/* Whether any of 8 bytes may be a quote, a backslash or a control character. False positives
 * are possible (the bytewise loop sorts them out); misses are not. */
static int may_need_stop(uint64_t w) {
    uint64_t q = w ^ (ONES * '"'), b = w ^ (ONES * '\\');
    return (((q - ONES) & ~q) | ((b - ONES) & ~b) | ((w - ONES * 0x20) & ~w)) & HIGHS ? 1 : 0;
}

/* At an opening quote: move past the closing one. *escaped tells whether a backslash occurred. */
static int scan_string(scanner *sc, int *escaped) {
    const unsigned char *s = sc->s;
    size_t i = sc->i + 1, len = sc->len;
    int esc = 0;
    for (;;) {
        for (uint64_t w; i + 8 <= len && (memcpy(&w, s + i, 8), !may_need_stop(w));)
            i += 8;
        while (i < len && s[i] != '"' && s[i] != '\\' && s[i] >= 0x20)
            i++;
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
        } else if (strchr("\"\\/bfnrt", e) && e) {
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

int slc_json_unescape(const char *s, size_t len, slc_buf *out, size_t *repaired) {
    if (slc_buf_reserve(out, len) != 0)
        return SL_ENOMEM;
    out->p[out->len] = '\0'; /* terminated even when nothing is appended */
    size_t i = 0;
    while (i < len) {
        const char *bs = memchr(s + i, '\\', len - i);
        size_t run = bs ? (size_t)(bs - (s + i)) : len - i;
        if (slc_buf_append(out, s + i, run) != 0)
            return SL_ENOMEM;
        i += run;
        if (i >= len)
            break;
        char e = s[i + 1], c;
        i += 2;
        switch (e) {
        case 'b':
            c = '\b';
            break;
        case 'f':
            c = '\f';
            break;
        case 'n':
            c = '\n';
            break;
        case 'r':
            c = '\r';
            break;
        case 't':
            c = '\t';
            break;
        case 'u': {
            unsigned long cp = hex4(s + i);
            i += 4;
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
            if (slc_utf8_put(out, cp) != 0)
                return SL_ENOMEM;
            continue;
        }
        default:
            c = e;
            break; /* \" \\ \/ */
        }
        if (slc_buf_putc(out, c) != 0)
            return SL_ENOMEM;
    }
    return 0;
}

/* Which bytes need escaping in a JSON string: control characters, quote and backslash. */
static int needs_escape(unsigned char c) {
    return c < 0x20 || c == '"' || c == '\\';
}

int slc_json_put_string(slc_buf *out, const char *s, size_t len) {
    static const char hex[] = "0123456789abcdef";
    if (slc_buf_reserve(out, len + 2) != 0)
        return SL_ENOMEM;
    out->p[out->len++] = '"';
    size_t i = 0;
    while (i < len) {
        size_t start = i;
        while (i < len && !needs_escape((unsigned char)s[i]))
            i++;
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
