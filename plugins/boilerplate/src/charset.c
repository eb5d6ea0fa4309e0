/*
 * Charset handling: pick the page's encoding (option, byte-order mark, <meta> prescan, UTF-8
 * validity) and hand the parser valid UTF-8. Legacy charsets go through glibc iconv; the
 * WHATWG rule that latin1/ascii labels mean windows-1252 is applied, as browsers do.
 */
#include "bp_internal.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 when invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n) {
    unsigned c = s[0];
    if (c < 0x80)
        return c ? 1 : 0; /* NUL is "invalid" for us: the host strings are NUL-terminated */
    size_t k;
    unsigned min;
    if (c >= 0xC2 && c <= 0xDF)
        k = 2, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        k = 3, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        k = 4, min = 0x10000;
    else
        return 0;
    if (n < k)
        return 0;
    unsigned cp = c & (0x7F >> k);
    for (size_t i = 1; i < k; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return k;
}

int bp_utf8_valid(const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (p[i] && p[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = utf8_seq(p + i, n - i);
        if (!k)
            return 0;
        i += k;
    }
    return 1;
}

/* Copy with invalid sequences replaced by U+FFFD. */
static char *utf8_repair(const char *s, size_t n, size_t *out_len) {
    char *o = malloc(n * 3 + 1);
    if (!o)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, j = 0;
    while (i < n) {
        size_t k = utf8_seq(p + i, n - i);
        if (k) {
            memcpy(o + j, p + i, k);
            i += k;
            j += k;
        } else {
            memcpy(o + j, "\xEF\xBF\xBD", 3);
            j += 3;
            i++;
        }
    }
    o[j] = '\0';
    *out_len = j;
    return o;
}

static void lower_label(const char *in, size_t n, char *out, size_t cap) {
    size_t j = 0;
    for (size_t i = 0; i < n && j + 1 < cap; i++) {
        unsigned char c = (unsigned char)in[i];
        if (isalnum(c) || c == '-' || c == '_' || c == ':' || c == '.')
            out[j++] = (char)tolower(c);
    }
    out[j] = '\0';
}

/* Map a label to what we hand iconv; "utf-8" for every spelling of UTF-8. */
static void canonical_charset(char *cs) {
    static const char *const latin1[] = {"iso-8859-1",   "iso8859-1", "latin1",        "l1",
                                         "us-ascii",     "ascii",     "cp1252",        "iso_8859-1",
                                         "windows-1252", "x-cp1252",  "ansi_x3.4-1968"};
    if (!strcmp(cs, "utf8") || !strcmp(cs, "utf-8") || !strcmp(cs, "unicode-1-1-utf-8")) {
        strcpy(cs, "utf-8");
        return;
    }
    for (size_t i = 0; i < sizeof latin1 / sizeof *latin1; i++)
        if (!strcmp(cs, latin1[i])) {
            strcpy(cs, "windows-1252");
            return;
        }
    if (!strcmp(cs, "gb2312") || !strcmp(cs, "gbk") || !strcmp(cs, "x-gbk"))
        strcpy(cs, "gb18030");
}

static int ci_prefix(const char *s, size_t n, const char *lit) {
    size_t k = strlen(lit);
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++)
        if (tolower((unsigned char)s[i]) != lit[i])
            return 0;
    return 1;
}

/* Find charset=... in a <meta> tag within the first 8 KiB (the HTML prescan, simplified). */
static int prescan_meta(const char *s, size_t n, char *cs, size_t cap) {
    if (n > 8192)
        n = 8192;
    for (size_t i = 0; i + 6 < n; i++) {
        if (s[i] != '<' || !ci_prefix(s + i + 1, n - i - 1, "meta"))
            continue;
        size_t end = i + 5;
        while (end < n && s[end] != '>')
            end++;
        for (size_t j = i + 5; j + 8 < end; j++) {
            if (!ci_prefix(s + j, end - j, "charset"))
                continue;
            size_t k = j + 7;
            while (k < end && (s[k] == ' ' || s[k] == '\t'))
                k++;
            if (k >= end || s[k] != '=')
                continue;
            k++;
            while (k < end && (s[k] == ' ' || s[k] == '"' || s[k] == '\''))
                k++;
            size_t b = k;
            while (k < end && s[k] != '"' && s[k] != '\'' && s[k] != ';' && s[k] != ' ' &&
                   s[k] != '/' && s[k] != '>')
                k++;
            if (k > b) {
                lower_label(s + b, k - b, cs, cap);
                return cs[0] != '\0';
            }
        }
        i = end;
    }
    return 0;
}

/* Convert with iconv; unconvertible bytes are skipped so a bad byte never loses the page. */
static char *convert(const char *in, size_t n, const char *from, size_t *out_len) {
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return NULL;
    size_t cap = n * 4 + 16;
    char *out = malloc(cap);
    if (!out) {
        iconv_close(cd);
        return NULL;
    }
    char *ip = (char *)(uintptr_t)in; /* iconv's prototype is not const-correct */
    size_t il = n;
    char *op = out;
    size_t ol = cap - 1;
    while (il > 0) {
        size_t r = iconv(cd, &ip, &il, &op, &ol);
        if (r != (size_t)-1)
            break;
        if (errno == EILSEQ || errno == EINVAL) {
            ip++;
            il--;
            continue;
        }
        break; /* E2BIG cannot happen with 4 bytes per input byte */
    }
    iconv_close(cd);
    *op = '\0';
    *out_len = (size_t)(op - out);
    return out;
}

int bp_charset_known(const char *label) {
    char cs[40];
    lower_label(label, strlen(label), cs, sizeof cs);
    canonical_charset(cs);
    if (!cs[0])
        return 0;
    if (!strcmp(cs, "utf-8"))
        return 1;
    iconv_t cd = iconv_open("UTF-8", cs);
    if (cd == (iconv_t)-1)
        return 0;
    iconv_close(cd);
    return 1;
}

int bp_decode(const char *in, size_t len, const char *override, bp_decoded *out) {
    memset(out, 0, sizeof *out);
    char cs[40] = "";
    const unsigned char *u = (const unsigned char *)in;
    if (override && *override) {
        lower_label(override, strlen(override), cs, sizeof cs);
        out->source = "option";
    } else if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        strcpy(cs, "utf-8");
        in += 3, len -= 3;
        out->source = "bom";
    } else if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
        strcpy(cs, "utf-16le");
        in += 2, len -= 2;
        out->source = "bom";
    } else if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
        strcpy(cs, "utf-16be");
        in += 2, len -= 2;
        out->source = "bom";
    } else if (prescan_meta(in, len, cs, sizeof cs)) {
        out->source = "meta";
    }
    canonical_charset(cs);
    /* A page that declares a legacy charset but is valid UTF-8 with multibyte sequences was
     * almost surely re-encoded by a crawler: trust the bytes over the stale declaration. */
    int valid = bp_utf8_valid(in, len);
    if (cs[0] && strcmp(cs, "utf-8") != 0 && strcmp(out->source, "meta") == 0 && valid) {
        int multibyte = 0;
        for (size_t i = 0; i < len && !multibyte; i++)
            multibyte = u[i] >= 0x80;
        if (multibyte) {
            strcpy(cs, "utf-8");
            out->source = "utf8-valid";
        }
    }
    if (!cs[0]) {
        strcpy(cs, valid ? "utf-8" : "windows-1252");
        out->source = valid ? "utf8-valid" : "fallback";
    } else if (!strcmp(cs, "utf-8") && !valid && strcmp(out->source, "option") != 0) {
        /* Declared UTF-8 but no valid multibyte sequence at all: a mislabelled legacy page. */
        int any_valid_mb = 0;
        for (size_t i = 0; i < len && !any_valid_mb; i++)
            if (u[i] >= 0xC2 && utf8_seq(u + i, len - i) > 1)
                any_valid_mb = 1;
        if (!any_valid_mb) {
            strcpy(cs, "windows-1252");
            out->source = "fallback";
        }
    }
    const char *data = in;
    size_t dlen = len;
    if (strcmp(cs, "utf-8") != 0) {
        size_t n = 0;
        char *conv = convert(in, len, cs, &n);
        if (conv) {
            out->owned = conv;
            out->converted = 1;
            data = conv;
            dlen = n;
        } else if (errno == ENOMEM) {
            return -1;
        } else {
            /* iconv does not know the label: read the bytes as UTF-8 and repair. */
            strcpy(cs, "utf-8");
            out->source = "fallback";
        }
    }
    if (!bp_utf8_valid(data, dlen)) {
        size_t n = 0;
        char *rep = utf8_repair(data, dlen, &n);
        if (!rep)
            return -1;
        free(out->owned);
        out->owned = rep;
        data = rep;
        dlen = n;
        out->repaired = 1;
    }
    memcpy(out->charset, cs, sizeof out->charset);
    out->data = data;
    out->len = dlen;
    return 0;
}

int bp_recover_bytes(const char *s, size_t n, int force, char **out, size_t *out_len) {
    const unsigned char *u = (const unsigned char *)s;
    int c1 = 0;
    for (size_t i = 0; i < n; i++) {
        if (u[i] < 0x80)
            continue;
        if (u[i] != 0xC2 && u[i] != 0xC3)
            return 0; /* a code point above U+00FF: real Unicode text */
        if (i + 1 >= n || (u[i + 1] & 0xC0) != 0x80)
            return 0;
        if (u[i] == 0xC2 && u[i + 1] < 0xA0)
            c1 = 1;
        i++;
    }
    if (!c1 && !force)
        return 0;
    char *o = malloc(n + 1);
    if (!o)
        return -1;
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (u[i] < 0x80) {
            o[j++] = (char)u[i];
        } else {
            o[j++] = (char)(((u[i] & 0x03) << 6) | (u[i + 1] & 0x3F));
            i++;
        }
    }
    o[j] = '\0';
    *out = o;
    *out_len = j;
    return 1;
}
