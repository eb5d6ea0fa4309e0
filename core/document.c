#include "document.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_api.h"
#include "json.h"
#include "tokenizer.h"
#include "utf8.h"
#include "wire_layers.h"

/* Labels are interned per document so that spans can point at them; past this many distinct
 * labels the lookup stops searching and just copies (bounded cost for odd plugins). */
#define MAX_INTERNED_LABELS 256
/* Code point offsets are counted from checkpoints this many bytes apart. */
#define CP_STRIDE 4096

/* A metadata field: raw key and raw JSON value as byte ranges of doc->arena. */
typedef struct field {
    size_t key_off, key_len;   /* raw (escaped) key in the arena, without quotes */
    size_t name_off, name_len; /* decoded key: in the arena, or in names when it had escapes */
    int name_in_names;
    size_t val_off, val_len; /* raw JSON value */
    slc_json_type type;
    int removed;
    char *decoded; /* cache of the decoded string value */
    size_t decoded_len;
    char *json; /* cache of the raw value, NUL-terminated, for doc_meta_json */
    char *key;  /* cache of the decoded name, NUL-terminated, for doc_meta_key */
} field;

typedef struct attr {
    char *key;
    char *json; /* raw JSON value, or NULL for a range */
    char *decoded;
    size_t start, end; /* range attributes */
    long next;         /* next attribute of the same span, or -1 */
} attr;

struct sl_layer {
    sl_doc *doc;
    char *name;
    size_t name_len;
    unsigned flags;
    sl_span *spans;
    size_t n, cap;
    long *head; /* first attribute of each span, allocated with the first attribute */
    size_t headcap;
    attr *attrs;
    size_t nattrs, capattrs;
    long field; /* the input field it was read back from (JSON Lines), or -1 */
    int dirty;  /* changed since it was read back: written from the spans, not the field */
    int placed; /* written already, in the current slc_doc_json() */
};

struct sl_doc {
    slc_buf arena; /* the raw input record, then raw values set later */
    slc_buf names; /* decoded keys that had escapes (rare) */
    field *fields;
    size_t nfields, capfields;
    slc_buf id;
    slc_buf text;
    long text_field;  /* index of the "text" field, or -1 */
    int text_loaded;  /* text holds the decoded text */
    int text_changed; /* text differs from the "text" field */
    size_t repairs;
    slc_tokens tokens;
    int tokens_valid;
    sl_layer **layers;
    size_t nlayers, caplayers;
    char **labels;
    size_t nlabels, caplabels;
    slc_buf out;
    size_t *cp_marks;
    size_t cp_cap;
    slc_buf error;
    int failed;
    const char *origin;
    long line;
    int in_bytes; /* the record says its layers' offsets are bytes ("offsets":"bytes") */
};

static int is_wire_layer(const sl_doc *d, size_t i, int allow_empty);
static int is_offsets_mark(const sl_doc *d, size_t i);

static int grow(void **p, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 8;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * elem);
    if (!q)
        return SL_ENOMEM;
    *p = q;
    *cap = c;
    return 0;
}

static char *dup_n(const char *s, size_t n) {
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* ---- lifecycle ---- */

sl_doc *slc_doc_new(void) {
    sl_doc *d = calloc(1, sizeof *d);
    if (d)
        d->text_field = -1;
    return d;
}

static void layer_free(sl_layer *l) {
    for (size_t i = 0; i < l->nattrs; i++) {
        free(l->attrs[i].key);
        free(l->attrs[i].json);
        free(l->attrs[i].decoded);
    }
    free(l->attrs);
    free(l->head);
    free(l->spans);
    free(l->name);
    free(l);
}

static void drop_layers(sl_doc *d) {
    for (size_t i = 0; i < d->nlayers; i++)
        layer_free(d->layers[i]);
    d->nlayers = 0;
    for (size_t i = 0; i < d->nlabels; i++)
        free(d->labels[i]);
    d->nlabels = 0;
    d->tokens.n = 0;
    d->tokens_valid = 0;
}

void slc_doc_reset(sl_doc *d) {
    for (size_t i = 0; i < d->nfields; i++) {
        free(d->fields[i].decoded);
        free(d->fields[i].json);
        free(d->fields[i].key);
    }
    d->nfields = 0;
    drop_layers(d);
    slc_buf_clear(&d->arena);
    slc_buf_clear(&d->names);
    slc_buf_clear(&d->id);
    slc_buf_clear(&d->text);
    slc_buf_clear(&d->error);
    d->text_field = -1;
    d->text_loaded = d->text_changed = 0;
    d->repairs = 0;
    d->failed = 0;
    d->in_bytes = 0;
    d->origin = NULL;
    d->line = 0;
    /* Keep storage for the next document, unless one huge document inflated it. */
    if (d->arena.cap > (64u << 20))
        slc_buf_free(&d->arena);
    if (d->text.cap > (64u << 20))
        slc_buf_free(&d->text);
    if (d->out.cap > (64u << 20))
        slc_buf_free(&d->out);
}

void slc_doc_free(sl_doc *d) {
    if (!d)
        return;
    slc_doc_reset(d);
    free(d->fields);
    free(d->layers);
    free(d->labels);
    free(d->cp_marks);
    slc_tokens_free(&d->tokens);
    slc_buf_free(&d->arena);
    slc_buf_free(&d->names);
    slc_buf_free(&d->id);
    slc_buf_free(&d->text);
    slc_buf_free(&d->out);
    slc_buf_free(&d->error);
    free(d);
}

/* ---- fields ---- */

/* The decoded key of a field (not NUL-terminated: use with f->name_len). */
static const char *field_name(const sl_doc *d, const field *f) {
    return (f->name_in_names ? d->names.p : d->arena.p) + f->name_off;
}

static long find_field_n(const sl_doc *d, const char *key, size_t len) {
    for (size_t i = 0; i < d->nfields; i++) {
        const field *f = &d->fields[i];
        if (!f->removed && f->name_len == len && memcmp(field_name(d, f), key, len) == 0)
            return (long)i;
    }
    return -1;
}

static long find_field(const sl_doc *d, const char *key) {
    return find_field_n(d, key, strlen(key));
}

/* Append a field whose raw key is at arena[key_off, +key_len) and value at val_off; its
 * decoded name is the raw key unless set otherwise. */
static long add_field(sl_doc *d, size_t key_off, size_t key_len, size_t val_off, size_t val_len,
                      slc_json_type type) {
    if (grow((void **)&d->fields, &d->capfields, d->nfields + 1, sizeof *d->fields) != 0)
        return -1;
    field *f = &d->fields[d->nfields];
    memset(f, 0, sizeof *f);
    f->key_off = f->name_off = key_off;
    f->key_len = f->name_len = key_len;
    f->val_off = val_off;
    f->val_len = val_len;
    f->type = type;
    return (long)d->nfields++;
}

/* Set a field to a raw JSON value (copied into the arena), adding it when absent. */
static int set_field_raw(sl_doc *d, const char *key, const char *raw, size_t len,
                         slc_json_type type) {
    long i = find_field(d, key);
    if (i < 0) {
        size_t key_off = d->arena.len, name_len = strlen(key);
        if (slc_json_put_string(&d->arena, key, name_len) != 0)
            return SL_ENOMEM;
        size_t key_len = d->arena.len - key_off - 2;
        i = add_field(d, key_off + 1, key_len, 0, 0, type);
        if (i < 0)
            return SL_ENOMEM;
        if (key_len != name_len) { /* the key needed escapes: keep its plain form aside */
            field *nf = &d->fields[i];
            nf->name_in_names = 1;
            nf->name_off = d->names.len;
            nf->name_len = name_len;
            if (slc_buf_append(&d->names, key, name_len) != 0)
                return SL_ENOMEM;
        }
    }
    field *f = &d->fields[i];
    size_t off = d->arena.len;
    if (slc_buf_append(&d->arena, raw, len) != 0)
        return SL_ENOMEM;
    f = &d->fields[i];
    f->val_off = off;
    f->val_len = len;
    f->type = type;
    free(f->decoded);
    free(f->json);
    f->decoded = f->json = NULL;
    return 0;
}

/* The decoded string value of field i (cached), or NULL when it is not a string. */
static const char *field_string(const sl_doc *cd, long i, size_t *len) {
    sl_doc *d = (sl_doc *)cd; /* the cache is not visible state */
    field *f = &d->fields[i];
    if (f->type != SLC_JSON_STRING)
        return NULL;
    if (!f->decoded) {
        slc_buf b = {0};
        size_t repaired = 0;
        if (slc_json_unescape(d->arena.p + f->val_off + 1, f->val_len - 2, &b, &repaired) != 0 ||
            slc_buf_reserve(&b, 0) != 0) {
            slc_buf_free(&b);
            return NULL;
        }
        d->repairs += repaired;
        f->decoded = b.p;
        f->decoded_len = b.len;
    }
    if (len)
        *len = f->decoded_len;
    return f->decoded;
}

/* ---- loading ---- */

typedef struct load_ctx {
    sl_doc *doc;
    int oom;
} load_ctx;

static int on_member(void *vctx, const slc_json_member *m) {
    load_ctx *ctx = vctx;
    sl_doc *d = ctx->doc;
    /* The scanner reads the arena: decoded keys go to names, so the arena never moves now. */
    const char *name = d->arena.p + m->key_off;
    size_t name_len = m->key_len, name_off = 0;
    if (m->key_escaped) {
        name_off = d->names.len;
        if (slc_json_unescape(name, m->key_len, &d->names, NULL) != 0) {
            ctx->oom = 1;
            return 1;
        }
        name = d->names.p + name_off;
        name_len = d->names.len - name_off;
    }
    long prev = find_field_n(d, name, name_len);
    if (prev >= 0) { /* a repeated key: the last value wins, as most JSON readers do */
        field *f = &d->fields[prev];
        f->val_off = m->val_off;
        f->val_len = m->val_len;
        f->type = m->type;
        return 0;
    }
    long i = add_field(d, m->key_off, m->key_len, m->val_off, m->val_len, m->type);
    if (i < 0) {
        ctx->oom = 1;
        return 1;
    }
    if (m->key_escaped) {
        d->fields[i].name_in_names = 1;
        d->fields[i].name_off = name_off;
        d->fields[i].name_len = name_len;
    }
    return 0;
}

static int set_error(sl_doc *d, const char *fmt, ...) SL_PRINTF(2, 3);
static int set_error(sl_doc *d, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    slc_buf_clear(&d->error);
    if (slc_buf_puts(&d->error, *msg ? msg : "failed") != 0)
        slc_buf_clear(&d->error); /* empty: slc_doc_error() tells why it was lost */
    d->failed = 1;
    return SL_EDOC;
}

/* Out of memory in a call a plugin makes fails the document too: a plugin that goes on after
 * the status (or ignores it) must not write a document with a piece missing. */
static int oom(sl_doc *d, int rc) {
    if (rc == SL_ENOMEM)
        set_error(d, "out of memory");
    return rc;
}

/* Put a generated id first among the fields, so that output reads naturally. */
static int add_id_first(sl_doc *d, const char *id) {
    if (set_field_raw(d, "id", "", 0, SLC_JSON_STRING) != 0)
        return SL_ENOMEM;
    long i = find_field(d, "id");
    size_t off = d->arena.len;
    if (slc_json_put_string(&d->arena, id, strlen(id)) != 0)
        return SL_ENOMEM;
    d->fields[i].val_off = off;
    d->fields[i].val_len = d->arena.len - off;
    field f = d->fields[i];
    memmove(d->fields + 1, d->fields, (size_t)i * sizeof *d->fields);
    d->fields[0] = f;
    if (d->text_field >= 0 && d->text_field < i)
        d->text_field++;
    slc_buf_clear(&d->id);
    return slc_buf_puts(&d->id, id);
}

int slc_doc_load_json(sl_doc *d, const char *line, size_t len, const char *fallback_id) {
    slc_buf_clear(&d->arena);
    if (slc_buf_append(&d->arena, line, len) != 0)
        return set_error(d, "out of memory");
    load_ctx ctx = {d, 0};
    const char *err = NULL;
    size_t at = 0;
    int rc = slc_json_scan_object(d->arena.p, len, on_member, &ctx, &err, &at);
    if (ctx.oom)
        return set_error(d, "out of memory");
    if (rc != 0 && err && strcmp(err, "not a JSON object") == 0)
        return set_error(d, "not a JSON object (each line must be one object)");
    if (rc != 0)
        return set_error(d, "not valid JSON: %s at byte %zu", err ? err : "syntax error", at + 1);
    long t = find_field(d, "text"), h = find_field(d, "html");
    if (t >= 0 && d->fields[t].type != SLC_JSON_STRING)
        return set_error(d, "\"text\" is not a string");
    if (h >= 0 && d->fields[h].type != SLC_JSON_STRING)
        return set_error(d, "\"html\" is not a string");
    if (t < 0 && h < 0)
        return set_error(d, "no \"text\" or \"html\" field");
    d->text_field = t;
    long ob = find_field(d, "offsets");
    if (ob >= 0 && d->fields[ob].type == SLC_JSON_STRING && d->fields[ob].val_len == 7 &&
        memcmp(d->arena.p + d->fields[ob].val_off, "\"bytes\"", 7) == 0)
        d->in_bytes = 1;
    long i = find_field(d, "id");
    if (i >= 0 && d->fields[i].type == SLC_JSON_STRING) {
        size_t n;
        const char *s = field_string(d, i, &n);
        if (!s || slc_buf_append(&d->id, s, n) != 0)
            return set_error(d, "out of memory");
    } else if (i >= 0 && d->fields[i].type == SLC_JSON_NUMBER) {
        if (slc_buf_append(&d->id, d->arena.p + d->fields[i].val_off, d->fields[i].val_len))
            return set_error(d, "out of memory");
    } else if (i >= 0 && d->fields[i].type != SLC_JSON_NULL) {
        return set_error(d, "\"id\" is not a string or a number");
    } else {
        if (i >= 0)
            d->fields[i].removed = 1;
        char made[600];
        if (!fallback_id)
            fallback_id = slc_doc_origin_id(d, made, sizeof made);
        if (add_id_first(d, fallback_id) != 0)
            return set_error(d, "out of memory");
    }
    if (t < 0)
        d->text_loaded = 1; /* html only: the text starts empty */
    return SL_OK;
}

int slc_doc_load_text(sl_doc *d, const char *id, const char *text, size_t len) {
    if (add_id_first(d, id) != 0)
        return SL_ENOMEM;
    return slc_doc_set_text(d, text, len);
}

int slc_doc_load_html(sl_doc *d, const char *id, const char *html, size_t len) {
    if (add_id_first(d, id) != 0)
        return SL_ENOMEM;
    d->text_loaded = 1;
    if (slc_utf8_valid_prefix(html, len) == len)
        return slc_doc_meta_set_string(d, "html", html, len);
    /* A page in a legacy charset: keep every byte, as the Latin-1 character of the same
     * number, so that the boilerplate stage can recover the bytes and decode them by the
     * page's own charset declaration. */
    slc_buf mapped = {0};
    int rc = slc_buf_reserve(&mapped, len + len / 2);
    for (size_t i = 0; i < len && rc == 0; i++)
        rc = slc_utf8_put(&mapped, (unsigned char)html[i]);
    if (rc == 0)
        rc = slc_doc_meta_set_string(d, "html", mapped.p, mapped.len);
    if (rc == 0)
        rc = slc_doc_meta_set_string(d, "html_encoding", "latin1", 6);
    slc_buf_free(&mapped);
    return rc;
}

void slc_doc_set_origin(sl_doc *d, const char *origin, long line) {
    d->origin = origin;
    d->line = line;
}

const char *slc_doc_origin_id(const sl_doc *d, char *out, size_t cap) {
    snprintf(out, cap, "%s:%ld", d->origin ? d->origin : "", d->line);
    return out;
}

const char *slc_doc_error(const sl_doc *d) {
    return d->failed ? (d->error.len ? d->error.p : "out of memory") : NULL;
}

void slc_doc_add_repairs(sl_doc *d, size_t n) {
    d->repairs += n;
}

size_t slc_doc_repairs(const sl_doc *d) {
    return d->repairs;
}

/* ---- host API: documents ---- */

const char *slc_doc_id(const sl_doc *d) {
    return d->id.p ? d->id.p : "";
}

const char *slc_doc_text(const sl_doc *cd, size_t *len) {
    sl_doc *d = (sl_doc *)cd; /* decoding on first use is not visible state */
    if (!d->text_loaded) {
        field *f = &d->fields[d->text_field];
        slc_buf_clear(&d->text);
        if (slc_json_unescape(d->arena.p + f->val_off + 1, f->val_len - 2, &d->text, &d->repairs) !=
            0) {
            set_error(d, "out of memory"); /* the stage must not go on with no text */
            if (len)
                *len = 0;
            return "";
        }
        d->text_loaded = 1;
    }
    if (len)
        *len = d->text.len;
    return d->text.p ? d->text.p : "";
}

int slc_doc_set_text(sl_doc *d, const char *text, size_t len) {
    slc_buf tmp = {0};
    size_t valid = slc_utf8_valid_prefix(text, len);
    if (valid == len) {
        if (slc_buf_append(&tmp, text, len) != 0)
            return oom(d, SL_ENOMEM);
    } else {
        size_t n = slc_utf8_repair(text, len, &tmp);
        if (n == (size_t)-1) {
            slc_buf_free(&tmp);
            return oom(d, SL_ENOMEM);
        }
        d->repairs += n;
    }
    if (slc_buf_reserve(&tmp, 0) != 0)
        return oom(d, SL_ENOMEM);
    slc_buf_free(&d->text);
    d->text = tmp;
    d->text_loaded = 1;
    d->text_changed = 1;
    drop_layers(d);
    for (size_t i = 0; i < d->nfields; i++) /* the input's layers no longer fit either */
        if (is_wire_layer(d, i, 0))
            d->fields[i].removed = 1;
    return SL_OK;
}

int slc_doc_set_id(sl_doc *d, const char *id) {
    slc_buf raw = {0};
    int rc = slc_json_put_string(&raw, id, strlen(id));
    if (rc == 0)
        rc = set_field_raw(d, "id", raw.p, raw.len, SLC_JSON_STRING);
    slc_buf_free(&raw);
    if (rc == 0) {
        slc_buf_clear(&d->id);
        rc = slc_buf_puts(&d->id, id);
    }
    return oom(d, rc);
}

const char *slc_doc_meta_string(const sl_doc *d, const char *key, size_t *len) {
    if (strcmp(key, "text") == 0)
        return slc_doc_text(d, len);
    long i = find_field(d, key);
    return i < 0 ? NULL : field_string(d, i, len);
}

int slc_doc_meta_set_string(sl_doc *d, const char *key, const char *value, size_t len) {
    if (strcmp(key, "text") == 0)
        return slc_doc_set_text(d, value, len);
    slc_buf fixed = {0};
    if (slc_utf8_valid_prefix(value, len) != len) {
        size_t n = slc_utf8_repair(value, len, &fixed);
        if (n == (size_t)-1)
            return oom(d, SL_ENOMEM);
        d->repairs += n;
        value = fixed.p;
        len = fixed.len;
    }
    slc_buf raw = {0};
    int rc = slc_json_put_string(&raw, value, len);
    if (rc == 0 && strcmp(key, "id") == 0) {
        rc = set_field_raw(d, key, raw.p, raw.len, SLC_JSON_STRING);
        slc_buf_clear(&d->id);
        if (rc == 0)
            rc = slc_buf_append(&d->id, value, len);
    } else if (rc == 0) {
        rc = set_field_raw(d, key, raw.p, raw.len, SLC_JSON_STRING);
    }
    slc_buf_free(&raw);
    slc_buf_free(&fixed);
    return oom(d, rc);
}

int slc_doc_meta_set_number(sl_doc *d, const char *key, double value) {
    if (strcmp(key, "text") == 0)
        return SL_EINVAL;
    slc_buf raw = {0};
    int rc = slc_json_put_number(&raw, value);
    if (rc == 0)
        rc = set_field_raw(d, key, raw.p, raw.len, SLC_JSON_NUMBER);
    if (rc == 0 && strcmp(key, "id") == 0) {
        slc_buf_clear(&d->id);
        rc = slc_buf_append(&d->id, raw.p, raw.len);
    }
    slc_buf_free(&raw);
    return oom(d, rc);
}

int slc_doc_meta_set_json(sl_doc *d, const char *key, const char *json) {
    slc_json_type type;
    size_t len = strlen(json);
    if (strcmp(key, "text") == 0 || strcmp(key, "id") == 0 ||
        slc_utf8_valid_prefix(json, len) != len ||
        slc_json_validate(json, len, &type, NULL, NULL) != 0)
        return SL_EINVAL;
    return oom(d, set_field_raw(d, key, json, len, type));
}

int slc_doc_meta_remove(sl_doc *d, const char *key) {
    long i = find_field(d, key);
    if (i < 0 || strcmp(key, "text") == 0 || strcmp(key, "id") == 0)
        return i < 0 ? SL_ENOTFOUND : SL_EINVAL;
    d->fields[i].removed = 1;
    return SL_OK;
}

int slc_doc_fail(sl_doc *d, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (d->failed && strcmp(slc_doc_error(d), "out of memory") == 0)
        return set_error(d, "%s: out of memory", msg); /* the cause stays in the message */
    return set_error(d, "%s", msg);
}

const char *slc_doc_origin(const sl_doc *d, long *line) {
    if (line)
        *line = d->line;
    return d->origin ? d->origin : "";
}

/* ---- tokens ---- */

const sl_token *slc_doc_tokens(sl_doc *d, size_t *count) {
    if (!d->tokens_valid) {
        size_t len;
        const char *text = slc_doc_text(d, &len);
        if (slc_tokenize(text, len, &d->tokens) != 0) {
            /* The stage sees no tokens; the runner fails the document by this mark. */
            set_error(d, "out of memory while tokenizing");
            *count = 0;
            return NULL;
        }
        d->tokens_valid = 1;
    }
    *count = d->tokens.n;
    return d->tokens.n ? d->tokens.v : NULL;
}

/* ---- layers ---- */

/* The layer called name[0, len), or NULL. */
static sl_layer *layer_named(const sl_doc *d, const char *name, size_t len) {
    for (size_t i = 0; i < d->nlayers; i++)
        if (d->layers[i]->name_len == len && memcmp(d->layers[i]->name, name, len) == 0)
            return d->layers[i];
    return NULL;
}

/* Whether field i holds a layer an earlier run wrote (its value an array of spans). */
static int is_wire_layer(const sl_doc *d, size_t i, int allow_empty) {
    const field *f = &d->fields[i];
    return !f->removed && f->type == SLC_JSON_ARRAY && (long)i != d->text_field &&
           slc_wire_is_layer(d->arena.p + f->val_off, f->val_len, allow_empty);
}

/* Read field i back as the layer called name: NULL when it is not a layer; NULL with the
 * document failed when its spans do not fit the text. */
static sl_layer *read_back(sl_doc *d, long i, const char *name) {
    sl_layer *l;
    if (slc_layer_create(d, name, 0, &l) != SL_OK)
        return NULL;
    size_t len;
    const char *text = slc_doc_text(d, &len);
    const field *f = &d->fields[i];
    char why[200];
    int rc = slc_wire_parse_layer(l, text, len, d->arena.p + f->val_off, f->val_len, d->in_bytes,
                                  &l->flags, why, sizeof why);
    if (rc != SL_OK) {
        d->nlayers--; /* made last by slc_layer_create: take it back out */
        layer_free(l);
        if (rc == SL_EDOC)
            set_error(d, "input layer '%s': %s", name, why);
        else
            oom(d, rc);
        return NULL;
    }
    l->field = i;
    l->dirty = 0;
    return l;
}

sl_layer *slc_layer_get(const sl_doc *cd, const char *name) {
    sl_doc *d = (sl_doc *)cd; /* reading a layer back is not visible state */
    sl_layer *l = layer_named(d, name, strlen(name));
    if (l || !slc_layer_name_ok(name))
        return l;
    long i = find_field(d, name);
    return i >= 0 && is_wire_layer(d, (size_t)i, 1) ? read_back(d, i, name) : NULL;
}

/* Read back every layer the input carries that no stage has asked for yet. */
static void read_back_all(sl_doc *d) {
    for (size_t i = 0; i < d->nfields; i++) {
        field *f = &d->fields[i];
        if (!is_wire_layer(d, i, 0) || layer_named(d, field_name(d, f), f->name_len))
            continue; /* not a layer, or read back already: no copy of its name */
        char *name = dup_n(field_name(d, f), f->name_len);
        if (name && slc_layer_name_ok(name))
            read_back(d, (long)i, name);
        free(name);
    }
}

int slc_layer_name_ok(const char *name) {
    return name && *name && strcmp(name, "text") != 0 && strcmp(name, "id") != 0 &&
           strcmp(name, "tokens") != 0;
}

int slc_layer_create(sl_doc *d, const char *name, unsigned flags, sl_layer **out) {
    *out = NULL;
    if (!slc_layer_name_ok(name))
        return SL_EINVAL;
    sl_layer *l = calloc(1, sizeof *l);
    if (!l || !(l->name = dup_n(name, l->name_len = strlen(name)))) {
        free(l);
        return oom(d, SL_ENOMEM);
    }
    l->doc = d;
    l->flags = flags;
    l->field = -1;
    l->dirty = 1;
    for (size_t i = 0; i < d->nlayers; i++) {
        if (strcmp(d->layers[i]->name, name) == 0) {
            layer_free(d->layers[i]);
            d->layers[i] = l;
            *out = l;
            return SL_OK;
        }
    }
    if (grow((void **)&d->layers, &d->caplayers, d->nlayers + 1, sizeof *d->layers) != 0) {
        layer_free(l);
        return oom(d, SL_ENOMEM);
    }
    d->layers[d->nlayers++] = l;
    *out = l;
    return SL_OK;
}

sl_layer *slc_layer_new(sl_doc *d, const char *name, unsigned flags) {
    sl_layer *l;
    return slc_layer_create(d, name, flags, &l) == SL_OK ? l : NULL;
}

size_t slc_doc_layer_count(const sl_doc *d) {
    read_back_all((sl_doc *)d); /* the input's layers count too: read them now */
    return d->nlayers;
}

sl_layer *slc_doc_layer_at(const sl_doc *d, size_t i) {
    read_back_all((sl_doc *)d);
    return i < d->nlayers ? d->layers[i] : NULL;
}

const char *slc_layer_name(const sl_layer *l) {
    return l->name;
}

unsigned slc_layer_flags(const sl_layer *l) {
    return l->flags;
}

size_t slc_layer_count(const sl_layer *l) {
    return l ? l->n : 0;
}

const sl_span *slc_layer_span(const sl_layer *l, size_t i) {
    return l && i < l->n ? &l->spans[i] : NULL;
}

static const char *intern_label(sl_doc *d, const char *label) {
    size_t limit = d->nlabels < MAX_INTERNED_LABELS ? d->nlabels : MAX_INTERNED_LABELS;
    for (size_t i = 0; i < limit; i++)
        if (strcmp(d->labels[i], label) == 0)
            return d->labels[i];
    char *copy = dup_n(label, strlen(label));
    if (!copy || grow((void **)&d->labels, &d->caplabels, d->nlabels + 1, sizeof *d->labels)) {
        free(copy);
        return NULL;
    }
    d->labels[d->nlabels++] = copy;
    return copy;
}

/* Whether byte offset off of the text starts a code point (or is its end). */
static int on_boundary(const char *text, size_t len, size_t off) {
    return off == len || ((unsigned char)text[off] & 0xC0) != 0x80;
}

int slc_span_append(sl_layer *l, size_t start, size_t end, const char *label, size_t *index) {
    size_t len;
    const char *text = slc_doc_text(l->doc, &len);
    if (start > end || end > len || !on_boundary(text, len, start) || !on_boundary(text, len, end))
        return SL_EINVAL;
    if (grow((void **)&l->spans, &l->cap, l->n + 1, sizeof *l->spans) != 0)
        return oom(l->doc, SL_ENOMEM);
    if (l->head && grow((void **)&l->head, &l->headcap, l->n + 1, sizeof *l->head) != 0)
        return oom(l->doc, SL_ENOMEM);
    const char *lab = NULL;
    if (label && !(lab = intern_label(l->doc, label)))
        return oom(l->doc, SL_ENOMEM);
    l->spans[l->n] = (sl_span){start, end, lab};
    l->dirty = 1;
    if (l->head)
        l->head[l->n] = -1;
    if (index)
        *index = l->n;
    l->n++;
    return SL_OK;
}

long slc_span_add(sl_layer *l, size_t start, size_t end, const char *label) {
    size_t i;
    return slc_span_append(l, start, end, label, &i) == SL_OK ? (long)i : -1;
}

/* Ensure the per-span attribute heads exist (sized to the span capacity). */
static int ensure_heads(sl_layer *l) {
    if (l->head)
        return 0;
    l->headcap = l->cap ? l->cap : 1;
    l->head = malloc(l->headcap * sizeof *l->head);
    if (!l->head)
        return SL_ENOMEM;
    for (size_t i = 0; i < l->n; i++)
        l->head[i] = -1;
    return 0;
}

static attr *find_attr(const sl_layer *l, size_t i, const char *key) {
    if (!l->head)
        return NULL;
    for (long a = l->head[i]; a >= 0; a = l->attrs[a].next)
        if (strcmp(l->attrs[a].key, key) == 0)
            return &l->attrs[a];
    return NULL;
}

/* The attribute `key` of span i, created empty when absent. */
static attr *attr_slot(sl_layer *l, size_t i, const char *key) {
    if (i >= l->n || !key || ensure_heads(l) != 0)
        return NULL;
    attr *a = find_attr(l, i, key);
    if (a) {
        free(a->json);
        free(a->decoded);
        a->json = a->decoded = NULL;
        return a;
    }
    if (grow((void **)&l->attrs, &l->capattrs, l->nattrs + 1, sizeof *l->attrs) != 0)
        return NULL;
    a = &l->attrs[l->nattrs];
    memset(a, 0, sizeof *a);
    if (!(a->key = dup_n(key, strlen(key))))
        return NULL;
    /* Append at the tail so attributes keep the order they were set in. */
    a->next = -1;
    long *link = &l->head[i];
    while (*link >= 0)
        link = &l->attrs[*link].next;
    *link = (long)l->nattrs++;
    return a;
}

static int set_attr_raw(sl_layer *l, size_t i, const char *key, slc_buf *raw) {
    attr *a = attr_slot(l, i, key);
    if (!a) {
        slc_buf_free(raw);
        return i >= slc_layer_count(l) ? SL_EINVAL : oom(l->doc, SL_ENOMEM);
    }
    a->json = raw->p; /* ownership moves to the attribute */
    l->dirty = 1;
    return SL_OK;
}

int slc_span_set_string(sl_layer *l, size_t i, const char *key, const char *value) {
    slc_buf raw = {0}, fixed = {0};
    size_t len = strlen(value);
    if (slc_utf8_valid_prefix(value, len) != len) {
        if (slc_utf8_repair(value, len, &fixed) == (size_t)-1)
            return oom(l->doc, SL_ENOMEM);
        value = fixed.p;
        len = fixed.len;
    }
    int rc = slc_json_put_string(&raw, value, len);
    slc_buf_free(&fixed);
    if (rc != 0) {
        slc_buf_free(&raw);
        return oom(l->doc, rc);
    }
    return set_attr_raw(l, i, key, &raw);
}

int slc_span_set_number(sl_layer *l, size_t i, const char *key, double value) {
    slc_buf raw = {0};
    if (slc_json_put_number(&raw, value) != 0) {
        slc_buf_free(&raw);
        return oom(l->doc, SL_ENOMEM);
    }
    return set_attr_raw(l, i, key, &raw);
}

int slc_span_set_json(sl_layer *l, size_t i, const char *key, const char *json) {
    size_t len = strlen(json);
    if (slc_utf8_valid_prefix(json, len) != len ||
        slc_json_validate(json, len, NULL, NULL, NULL) != 0)
        return SL_EINVAL;
    slc_buf raw = {0};
    if (slc_buf_append(&raw, json, len) != 0)
        return oom(l->doc, SL_ENOMEM);
    return set_attr_raw(l, i, key, &raw);
}

int slc_span_set_range(sl_layer *l, size_t i, const char *key, size_t start, size_t end) {
    size_t len;
    const char *text = slc_doc_text(l->doc, &len);
    if (start > end || end > len || !on_boundary(text, len, start) || !on_boundary(text, len, end))
        return SL_EINVAL;
    attr *a = attr_slot(l, i, key);
    if (!a)
        return i >= l->n ? SL_EINVAL : oom(l->doc, SL_ENOMEM);
    a->start = start;
    a->end = end;
    l->dirty = 1;
    return SL_OK;
}

const char *slc_span_get_string(const sl_layer *l, size_t i, const char *key) {
    if (!l || i >= l->n)
        return NULL;
    attr *a = find_attr(l, i, key);
    if (!a || !a->json || a->json[0] != '"')
        return NULL;
    if (!a->decoded) {
        slc_buf b = {0};
        if (slc_json_unescape(a->json + 1, strlen(a->json) - 2, &b, NULL) != 0 ||
            slc_buf_reserve(&b, 0) != 0) {
            slc_buf_free(&b);
            return NULL;
        }
        a->decoded = b.p;
    }
    return a->decoded;
}

static sl_value_type json_value_type(char first) {
    switch (first) {
    case '"':
        return SL_VALUE_STRING;
    case 't':
    case 'f':
        return SL_VALUE_BOOL;
    case 'n':
        return SL_VALUE_NULL;
    case '[':
        return SL_VALUE_ARRAY;
    case '{':
        return SL_VALUE_OBJECT;
    }
    return SL_VALUE_NUMBER;
}

/* Attribute j of span i in the order set, or NULL. */
static attr *attr_at(const sl_layer *l, size_t i, size_t j) {
    if (!l || i >= l->n || !l->head)
        return NULL;
    long a = l->head[i];
    while (a >= 0 && j--)
        a = l->attrs[a].next;
    return a >= 0 ? &l->attrs[a] : NULL;
}

size_t slc_span_attr_count(const sl_layer *l, size_t i) {
    size_t n = 0;
    for (long a = l && i < l->n && l->head ? l->head[i] : -1; a >= 0; a = l->attrs[a].next)
        n++;
    return n;
}

const char *slc_span_attr_name(const sl_layer *l, size_t i, size_t j, sl_value_type *type) {
    const attr *a = attr_at(l, i, j);
    if (type)
        *type = !a ? SL_VALUE_NONE : a->json ? json_value_type(a->json[0]) : SL_VALUE_RANGE;
    return a ? a->key : NULL;
}

/* Parse a JSON number (validated when it was set or read). */
static int json_number(const char *s, size_t len, double *value) {
    char buf[64];
    if (len >= sizeof buf)
        return SL_EINVAL;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    *value = strtod(buf, &end);
    return *end ? SL_EINVAL : SL_OK;
}

int slc_span_get_number(const sl_layer *l, size_t i, const char *key, double *value) {
    const attr *a = l && i < l->n ? find_attr(l, i, key) : NULL;
    if (!a)
        return SL_ENOTFOUND;
    if (!a->json || json_value_type(a->json[0]) != SL_VALUE_NUMBER)
        return SL_EINVAL;
    return json_number(a->json, strlen(a->json), value);
}

int slc_span_get_range(const sl_layer *l, size_t i, const char *key, size_t *start, size_t *end) {
    const attr *a = l && i < l->n ? find_attr(l, i, key) : NULL;
    if (!a)
        return SL_ENOTFOUND;
    if (a->json)
        return SL_EINVAL;
    *start = a->start;
    *end = a->end;
    return SL_OK;
}

const char *slc_span_get_json(const sl_layer *l, size_t i, const char *key) {
    attr *a = l && i < l->n ? find_attr(l, i, key) : NULL;
    if (!a || a->json)
        return a ? a->json : NULL;
    if (!a->decoded) { /* a sub-span, written out once in byte offsets */
        size_t len;
        const char *text = slc_doc_text(l->doc, &len);
        slc_buf b = {0};
        if (slc_buf_printf(&b, "{\"start\":%zu,\"end\":%zu,\"text\":", a->start, a->end) != 0 ||
            slc_json_put_string(&b, text + a->start, a->end - a->start) != 0 ||
            slc_buf_putc(&b, '}') != 0) {
            slc_buf_free(&b);
            return NULL;
        }
        a->decoded = b.p;
    }
    return a->decoded;
}

/* ---- host API: metadata, read side ---- */

/* Whether field i is metadata: written, and neither the text nor shadowed by a layer. */
static int is_meta(const sl_doc *d, size_t i) {
    const field *f = &d->fields[i];
    return !f->removed && (long)i != d->text_field && !is_offsets_mark(d, i) &&
           !is_wire_layer(d, i, 0) &&
           !(d->nlayers && layer_named(d, field_name(d, f), f->name_len));
}

/* The decoded name of field i, NUL-terminated (names in the arena are not), cached. */
static const char *field_key(sl_doc *d, size_t i) {
    field *f = &d->fields[i];
    if (!f->key)
        f->key = dup_n(field_name(d, f), f->name_len);
    return f->key;
}

size_t slc_doc_meta_count(const sl_doc *d) {
    size_t n = 0;
    for (size_t i = 0; i < d->nfields; i++)
        n += (size_t)is_meta(d, i);
    return n;
}

static sl_value_type meta_type(slc_json_type t) {
    switch (t) {
    case SLC_JSON_STRING:
        return SL_VALUE_STRING;
    case SLC_JSON_NUMBER:
        return SL_VALUE_NUMBER;
    case SLC_JSON_OBJECT:
        return SL_VALUE_OBJECT;
    case SLC_JSON_ARRAY:
        return SL_VALUE_ARRAY;
    case SLC_JSON_TRUE:
    case SLC_JSON_FALSE:
        return SL_VALUE_BOOL;
    case SLC_JSON_NULL:
        return SL_VALUE_NULL;
    }
    return SL_VALUE_NONE;
}

const char *slc_doc_meta_key(const sl_doc *cd, size_t k, sl_value_type *type) {
    sl_doc *d = (sl_doc *)cd; /* the key cache is not visible state */
    for (size_t i = 0; i < d->nfields; i++) {
        if (!is_meta(d, i) || k--)
            continue;
        if (type)
            *type = meta_type(d->fields[i].type);
        return field_key(d, i);
    }
    if (type)
        *type = SL_VALUE_NONE;
    return NULL;
}

const char *slc_doc_meta_json(const sl_doc *cd, const char *key, size_t *len) {
    sl_doc *d = (sl_doc *)cd; /* the cache is not visible state */
    long i = find_field(d, key);
    if (i < 0 || !is_meta(d, (size_t)i))
        return NULL;
    field *f = &d->fields[i];
    if (!f->json && !(f->json = dup_n(d->arena.p + f->val_off, f->val_len)))
        return NULL;
    if (len)
        *len = f->val_len;
    return f->json;
}

int slc_doc_meta_number(const sl_doc *d, const char *key, double *value) {
    long i = find_field(d, key);
    if (i < 0 || !is_meta(d, (size_t)i))
        return SL_ENOTFOUND;
    const field *f = &d->fields[i];
    if (f->type != SLC_JSON_NUMBER)
        return SL_EINVAL;
    return json_number(d->arena.p + f->val_off, f->val_len, value);
}

/* ---- JSON output ---- */

/* Converts byte offsets to code point offsets, from checkpoints and a moving cursor. */
typedef struct cp_conv {
    const char *text;
    size_t len;
    int ascii;
    const size_t *marks;
    size_t cur_byte, cur_cp;
} cp_conv;

static int cp_init(sl_doc *d, cp_conv *c, const char *text, size_t len, int bytes) {
    memset(c, 0, sizeof *c);
    c->text = text;
    c->len = len;
    c->ascii = bytes || slc_utf8_is_ascii(text, len);
    if (c->ascii)
        return 0;
    size_t n = len / CP_STRIDE + 1;
    if (grow((void **)&d->cp_marks, &d->cp_cap, n, sizeof *d->cp_marks) != 0)
        return SL_ENOMEM;
    size_t cp = 0;
    for (size_t k = 0; k < n; k++) {
        d->cp_marks[k] = cp;
        size_t from = k * CP_STRIDE, to = from + CP_STRIDE < len ? from + CP_STRIDE : len;
        cp += slc_utf8_count(text + from, to - from);
    }
    c->marks = d->cp_marks;
    return 0;
}

static size_t cp_of(cp_conv *c, size_t byte) {
    if (c->ascii)
        return byte;
    size_t base = byte / CP_STRIDE * CP_STRIDE;
    size_t from = base, cp = c->marks[byte / CP_STRIDE];
    if (c->cur_byte >= base && c->cur_byte <= byte) {
        from = c->cur_byte;
        cp = c->cur_cp;
    }
    cp += slc_utf8_count(c->text + from, byte - from);
    c->cur_byte = byte;
    c->cur_cp = cp;
    return cp;
}

/* Room for a span's `,{"start":N,"end":N}`. */
#define SPAN_MAX (2 + 9 + SLC_DECIMAL_MAX + 7 + SLC_DECIMAL_MAX + 1)

/* Write `{"start":N,"end":N` at p, reserved by the caller; returns the end. */
static char *put_range_at(char *p, cp_conv *c, size_t start, size_t end) {
    memcpy(p, "{\"start\":", 9);
    p = slc_put_decimal(p + 9, cp_of(c, start));
    memcpy(p, ",\"end\":", 7);
    return slc_put_decimal(p + 7, cp_of(c, end));
}

/* Make the bytes written up to p part of o. */
static void commit(slc_buf *o, char *p) {
    o->len = (size_t)(p - o->p);
    o->p[o->len] = '\0';
}

/* Spans are written with one reservation each and no per-byte calls: a document can have
 * hundreds of thousands of them, and every stage that writes a layer pays for this. */
static int put_layer(slc_buf *o, const sl_layer *l, cp_conv *c) {
    if (slc_json_put_string(o, l->name, l->name_len) != 0 || slc_buf_append(o, ":[", 2) != 0)
        return SL_ENOMEM;
    int with_text = (l->flags & SL_LAYER_WITH_TEXT) != 0;
    for (size_t i = 0; i < l->n; i++) {
        const sl_span *s = &l->spans[i];
        long a = l->head ? l->head[i] : -1;
        if (slc_buf_reserve(o, SPAN_MAX) != 0)
            return SL_ENOMEM;
        char *p = o->p + o->len;
        if (i)
            *p++ = ',';
        p = put_range_at(p, c, s->start, s->end);
        if (!s->label && !with_text && a < 0) {
            *p++ = '}';
            commit(o, p);
            continue;
        }
        commit(o, p);
        if (s->label && (slc_buf_puts(o, ",\"label\":") != 0 ||
                         slc_json_put_string(o, s->label, strlen(s->label)) != 0))
            return SL_ENOMEM;
        if (with_text && (slc_buf_puts(o, ",\"text\":") != 0 ||
                          slc_json_put_string(o, c->text + s->start, s->end - s->start) != 0))
            return SL_ENOMEM;
        for (; a >= 0; a = l->attrs[a].next) {
            const attr *at = &l->attrs[a];
            if (slc_buf_putc(o, ',') != 0 || slc_json_put_string(o, at->key, strlen(at->key)) ||
                slc_buf_putc(o, ':') != 0)
                return SL_ENOMEM;
            if (at->json) {
                if (slc_buf_puts(o, at->json) != 0)
                    return SL_ENOMEM;
            } else {
                if (slc_buf_reserve(o, SPAN_MAX) != 0)
                    return SL_ENOMEM;
                commit(o, put_range_at(o->p + o->len, c, at->start, at->end));
                if (slc_buf_puts(o, ",\"text\":") != 0 ||
                    slc_json_put_string(o, c->text + at->start, at->end - at->start) != 0 ||
                    slc_buf_putc(o, '}') != 0)
                    return SL_ENOMEM;
            }
        }
        if (slc_buf_putc(o, '}') != 0)
            return SL_ENOMEM;
    }
    return slc_buf_putc(o, ']');
}

/* `,"kind":"NAME"}` for each token kind, with its length. */
typedef struct kind_tail {
    const char *s;
    size_t n;
} kind_tail;
#define KIND_TAIL(name)                                                                            \
    { ",\"kind\":\"" name "\"}", sizeof ",\"kind\":\"" name "\"}" - 1 }
static const kind_tail kind_tails[] = {
    KIND_TAIL("other"),   KIND_TAIL("word"),  KIND_TAIL("number"), KIND_TAIL("punct"),
    KIND_TAIL("symbol"),  KIND_TAIL("url"),   KIND_TAIL("email"),  KIND_TAIL("handle"),
    KIND_TAIL("hashtag"), KIND_TAIL("emoji"), KIND_TAIL("clitic"), KIND_TAIL("other")};
#undef KIND_TAIL
#define KIND_TAIL_MAX 32

static int put_tokens(slc_buf *o, sl_doc *d, cp_conv *c) {
    size_t n;
    const sl_token *t = slc_doc_tokens(d, &n);
    if (slc_buf_puts(o, "\"tokens\":[") != 0)
        return SL_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const kind_tail *k =
            &kind_tails[t[i].kind < sizeof kind_tails / sizeof kind_tails[0] ? t[i].kind : 0];
        if (slc_buf_reserve(o, SPAN_MAX + KIND_TAIL_MAX) != 0)
            return SL_ENOMEM;
        char *p = o->p + o->len;
        if (i)
            *p++ = ',';
        p = put_range_at(p, c, t[i].start, t[i].end);
        memcpy(p, k->s, k->n);
        commit(o, p + k->n);
    }
    return slc_buf_putc(o, ']');
}

/* Whether field i is the "offsets":"bytes" mark of a record whose layers count in bytes. */
static int is_offsets_mark(const sl_doc *d, size_t i) {
    const field *f = &d->fields[i];
    return d->in_bytes && f->name_len == 7 && memcmp(field_name(d, f), "offsets", 7) == 0;
}

/* One document being written: the buffer, the separator, the offset conversion. */
typedef struct writer {
    sl_doc *d;
    slc_buf *o;
    unsigned flags;
    int first, rc;
    int have_conv;
    cp_conv conv;
} writer;

static cp_conv *conv_of(writer *w) {
    if (!w->have_conv) {
        size_t tlen;
        const char *text = slc_doc_text(w->d, &tlen);
        w->rc |= cp_init(w->d, &w->conv, text, tlen, w->flags & SL_JSON_BYTE_OFFSETS);
        w->have_conv = 1;
    }
    return &w->conv;
}

static void comma(writer *w) {
    if (!w->first)
        w->rc |= slc_buf_putc(w->o, ',');
    w->first = 0;
}

static void put_raw_field(writer *w, const field *f) {
    comma(w);
    w->rc |= slc_buf_putc(w->o, '"');
    w->rc |= slc_buf_append(w->o, w->d->arena.p + f->key_off, f->key_len);
    w->rc |= slc_buf_puts(w->o, "\":");
    w->rc |= slc_buf_append(w->o, w->d->arena.p + f->val_off, f->val_len);
}

static void put_layer_at(writer *w, sl_layer *l) {
    cp_conv *c = conv_of(w);
    comma(w);
    if (w->rc == 0)
        w->rc |= put_layer(w->o, l, c);
    l->placed = 1;
}

/* The "offsets":"bytes" mark, right after the text, for a record that gets it now. */
static void put_new_mark(writer *w) {
    if ((w->flags & SL_JSON_BYTE_OFFSETS) && !w->d->in_bytes) {
        comma(w);
        w->rc |= slc_buf_puts(w->o, "\"offsets\":\"bytes\"");
    }
}

static int is_named(const sl_doc *d, const field *f, const char *name) {
    size_t n = strlen(name);
    return f->name_len == n && memcmp(field_name(d, f), name, n) == 0;
}

/* Field i; a layer of the same name is written in its place, and a layer the field holds is
 * written as it came unless a stage changed it or the offsets change unit. */
static void put_field(writer *w, size_t i) {
    sl_doc *d = w->d;
    const field *f = &d->fields[i];
    int bytes_out = (w->flags & SL_JSON_BYTE_OFFSETS) != 0;
    if (f->removed || ((w->flags & SL_JSON_TOKENS) && is_named(d, f, "tokens")))
        return;
    if (is_offsets_mark(d, i)) {
        if (bytes_out) {
            comma(w);
            w->rc |= slc_buf_puts(w->o, "\"offsets\":\"bytes\"");
        }
        return;
    }
    if ((long)i == d->text_field) {
        comma(w);
        w->rc |= slc_buf_puts(w->o, "\"text\":");
        if (d->text_changed)
            w->rc |= slc_json_put_string(w->o, d->text.p ? d->text.p : "", d->text.len);
        else
            w->rc |= slc_buf_append(w->o, d->arena.p + f->val_off, f->val_len);
        put_new_mark(w);
        return;
    }
    sl_layer *l = d->nlayers ? layer_named(d, field_name(d, f), f->name_len) : NULL;
    int convert = d->in_bytes != bytes_out && is_wire_layer(d, i, 0);
    if (!l && convert) {
        if (is_named(d, f, "tokens"))
            return; /* in the other unit; the sink writes fresh tokens when asked */
        char *name = dup_n(field_name(d, f), f->name_len);
        int was_failed = d->failed;
        if (name && slc_layer_name_ok(name))
            l = read_back(d, (long)i, name);
        free(name);
        if (!l && !was_failed) { /* not ours to fail at output: it goes out as it came */
            d->failed = 0;
            slc_buf_clear(&d->error);
        }
        f = &d->fields[i];
    }
    if (l && (l->dirty || l->field != (long)i || convert))
        put_layer_at(w, l);
    else
        put_raw_field(w, f); /* as it came: byte for byte */
    if (l)
        l->placed = 1;
}

const char *slc_doc_json(sl_doc *d, unsigned flags, size_t *len) {
    slc_buf *o = &d->out;
    slc_buf_clear(o);
    writer w = {d, o, flags, 1, 0, 0, {0}};
    w.rc |= slc_buf_reserve(o, d->arena.len + 64);
    w.rc |= slc_buf_putc(o, '{');
    for (size_t i = 0; i < d->nlayers; i++)
        d->layers[i]->placed = 0;
    int wrote_text = 0;
    for (size_t i = 0; i < d->nfields && w.rc == 0; i++) {
        wrote_text |= (long)i == d->text_field;
        put_field(&w, i);
    }
    if (!wrote_text && w.rc == 0) {
        size_t tlen;
        const char *text = slc_doc_text(d, &tlen);
        comma(&w);
        w.rc |= slc_buf_puts(o, "\"text\":");
        w.rc |= slc_json_put_string(o, text, tlen);
        put_new_mark(&w);
    }
    if ((flags & SL_JSON_TOKENS) && w.rc == 0) {
        cp_conv *c = conv_of(&w);
        comma(&w);
        if (w.rc == 0)
            w.rc |= put_tokens(o, d, c);
    }
    for (size_t i = 0; i < d->nlayers && w.rc == 0; i++)
        if (!d->layers[i]->placed)
            put_layer_at(&w, d->layers[i]);
    w.rc |= slc_buf_putc(o, '}');
    if (w.rc != 0) {
        *len = 0;
        return NULL;
    }
    *len = o->len;
    return o->p;
}
