#include "wire_layers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "doc_api.h"
#include "json.h"

static size_t skip_space(const char *s, size_t i, size_t len) {
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

int slc_wire_is_layer(const char *s, size_t len, int allow_empty) {
    size_t i = skip_space(s, 0, len);
    if (i == len || s[i] != '[')
        return 0;
    i = skip_space(s, i + 1, len);
    if (i < len && s[i] == ']')
        return allow_empty;
    if (i == len || s[i] != '{')
        return 0;
    i = skip_space(s, i + 1, len);
    return len - i >= 7 && memcmp(s + i, "\"start\"", 7) == 0;
}

/* The end of the (valid) JSON value that starts at s[i]. */
static size_t value_end(const char *s, size_t i, size_t len) {
    int depth = 0;
    for (; i < len; i++) {
        char c = s[i];
        if (c == '"') {
            for (i++; i < len && s[i] != '"'; i++)
                if (s[i] == '\\')
                    i++;
            if (depth == 0)
                return i + 1;
        } else if (c == '[' || c == '{') {
            depth++;
        } else if (c == ']' || c == '}') {
            if (--depth == 0)
                return i + 1;
        } else if (depth == 0 && (c == ',' || c == ' ' || c == '\n' || c == '\t' || c == '\r')) {
            return i; /* the end of a number or a literal */
        }
    }
    return len;
}

/* Code point offsets to byte offsets, with a cursor that moves forward (spans come in order). */
typedef struct cp_cursor {
    const char *text;
    size_t len;
    size_t cp, byte;
} cp_cursor;

/* The byte offset of code point cp, or (size_t)-1 past the text. */
static size_t byte_of(cp_cursor *c, size_t cp) {
    if (cp < c->cp)
        c->cp = c->byte = 0;
    while (c->cp < cp) {
        if (c->byte >= c->len)
            return (size_t)-1;
        unsigned char b = (unsigned char)c->text[c->byte];
        c->byte += b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        if (c->byte > c->len)
            c->byte = c->len;
        c->cp++;
    }
    return c->byte;
}

/* An offset member's value: a non-negative integer. */
static int offset_value(const char *s, size_t len, size_t *out) {
    if (len == 0 || len > 19)
        return -1;
    size_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (size_t)(s[i] - '0');
    }
    *out = v;
    return 0;
}

/* What one span object holds, collected member by member. */
typedef struct span_scan {
    const char *json; /* the element's text */
    size_t start, end;
    int has_start, has_end, bad_offset;
    slc_json_member label; /* a copy: the scanner's member lives only during the call */
    int has_label;
    int with_text;
    slc_json_member attrs[32];
    size_t nattrs;
} span_scan;

static int key_is(const span_scan *sc, const slc_json_member *m, const char *key) {
    size_t n = strlen(key);
    return m->key_len == n && memcmp(sc->json + m->key_off, key, n) == 0;
}

static int on_span_member(void *ctx, const slc_json_member *m) {
    span_scan *sc = ctx;
    if (key_is(sc, m, "start") || key_is(sc, m, "end")) {
        int is_start = key_is(sc, m, "start");
        size_t *v = is_start ? &sc->start : &sc->end;
        if (offset_value(sc->json + m->val_off, m->val_len, v) != 0)
            sc->bad_offset = 1;
        *(is_start ? &sc->has_start : &sc->has_end) = 1;
    } else if (key_is(sc, m, "label") && m->type == SLC_JSON_STRING) {
        sc->label = *m;
        sc->has_label = 1;
    } else if (key_is(sc, m, "text")) {
        sc->with_text = 1; /* written from the offsets: nothing to keep */
    } else if (sc->nattrs < sizeof sc->attrs / sizeof sc->attrs[0]) {
        sc->attrs[sc->nattrs++] = *m;
    }
    return 0;
}

/* A sub-span attribute as written: {"start":N,"end":N,"text":...}; its offsets. */
static int sub_span(const char *s, size_t len, size_t *start, size_t *end) {
    span_scan sc;
    memset(&sc, 0, sizeof sc);
    sc.json = s;
    if (len < 9 || memcmp(s, "{\"start\"", 8) != 0)
        return -1;
    if (slc_json_scan_object(s, len, on_span_member, &sc, NULL, NULL) != 0 || !sc.has_start ||
        !sc.has_end || sc.bad_offset || sc.has_label || sc.nattrs)
        return -1;
    *start = sc.start;
    *end = sc.end;
    return 0;
}

/* An owned, NUL-terminated copy of a JSON string's body s[0, len), decoded. */
static char *decode(const char *s, size_t len) {
    slc_buf b = {0};
    if (slc_json_unescape(s, len, &b, NULL) != 0) {
        slc_buf_free(&b);
        return NULL;
    }
    if (slc_buf_reserve(&b, 0) != 0) {
        slc_buf_free(&b);
        return NULL;
    }
    return b.p;
}

/* Attach the collected attributes to span k. */
static int add_attrs(sl_layer *l, size_t k, const span_scan *sc, cp_cursor *cur, int bytes) {
    for (size_t a = 0; a < sc->nattrs; a++) {
        const slc_json_member *m = &sc->attrs[a];
        char *key = decode(sc->json + m->key_off, m->key_len);
        if (!key)
            return SL_ENOMEM;
        const char *v = sc->json + m->val_off;
        size_t s, e;
        int rc;
        if (m->type == SLC_JSON_OBJECT && sub_span(v, m->val_len, &s, &e) == 0) {
            if (!bytes) {
                s = byte_of(cur, s);
                e = byte_of(cur, e);
            }
            rc = slc_span_set_range(l, k, key, s, e);
        } else {
            char *raw = malloc(m->val_len + 1);
            rc = SL_ENOMEM;
            if (raw) {
                memcpy(raw, v, m->val_len);
                raw[m->val_len] = '\0';
                rc = slc_span_set_json(l, k, key, raw);
                free(raw);
            }
        }
        free(key);
        if (rc != SL_OK)
            return rc == SL_ENOMEM ? SL_ENOMEM : SL_EDOC;
    }
    return SL_OK;
}

int slc_wire_parse_layer(sl_layer *l, const char *text, size_t text_len, const char *json,
                         size_t len, int bytes, unsigned *flags, char *err, size_t errcap) {
    cp_cursor cur = {text, text_len, 0, 0};
    size_t i = skip_space(json, 0, len) + 1; /* past '[' */
    for (size_t k = 0;; k++) {
        i = skip_space(json, i, len);
        if (i >= len || json[i] == ']')
            return SL_OK;
        size_t end = value_end(json, i, len);
        span_scan sc;
        memset(&sc, 0, sizeof sc);
        sc.json = json + i;
        if (json[i] != '{' ||
            slc_json_scan_object(json + i, end - i, on_span_member, &sc, NULL, NULL) != 0 ||
            !sc.has_start || !sc.has_end || sc.bad_offset) {
            snprintf(err, errcap, "span %zu is not {\"start\":N,\"end\":N,...}", k + 1);
            return SL_EDOC;
        }
        size_t s = bytes ? sc.start : byte_of(&cur, sc.start);
        size_t e = bytes ? sc.end : byte_of(&cur, sc.end);
        if (sc.end < sc.start || s == (size_t)-1 || e == (size_t)-1 || e > text_len) {
            snprintf(err, errcap, "span %zu (%zu to %zu) %s", k + 1, sc.start, sc.end,
                     sc.end < sc.start ? "ends before it starts" : "goes past the text");
            return SL_EDOC;
        }
        char *label =
            sc.has_label ? decode(sc.json + sc.label.val_off + 1, sc.label.val_len - 2) : NULL;
        if (sc.has_label && !label)
            return SL_ENOMEM;
        size_t index;
        int rc = slc_span_append(l, s, e, label, &index);
        free(label);
        if (rc == SL_EINVAL) {
            snprintf(err, errcap, "span %zu (%zu to %zu) does not fall on characters", k + 1,
                     sc.start, sc.end);
            return SL_EDOC;
        }
        if (rc == SL_OK)
            rc = add_attrs(l, index, &sc, &cur, bytes);
        if (rc == SL_EDOC) {
            snprintf(err, errcap, "span %zu has an attribute that does not fit the text", k + 1);
            return rc;
        }
        if (rc != SL_OK)
            return rc;
        if (sc.with_text)
            *flags |= SL_LAYER_WITH_TEXT;
        i = skip_space(json, end, len);
        if (i < len && json[i] == ',')
            i++;
    }
}
