/*
 * The entities gazetteer: a trie over case-folded tokens whose edges live in one open-addressing
 * hash table keyed on (parent node, folded token). Phrases are tokenized by the core tokenizer
 * at load time, so they split exactly as the text does at run time. Lookups fold each token
 * into a stack buffer and allocate nothing.
 */
#include "gazetteer.h"

#include "tokenizer.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Limits that keep a broken or hostile file from costing more than a clear error. */
#define MAX_FILE_BYTES ((size_t)64 << 20)
#define MAX_LINE_BYTES 1024
#define MAX_TOKEN_BYTES 255 /* a spelling stores token lengths in one byte */
#define MAX_ENTRIES 2000000
#define NO_CODE 255

static const char *const class_names[ENT_GAZ_NCLASSES] = {"country",     "capital",  "city",
                                                          "nationality", "region",   "first_name",
                                                          "title",       "org_word", "org"};

/* Which code a phrase with several gets: country, nationality, capital, city, region. */
static const unsigned char code_rank[ENT_GAZ_NCLASSES] = {0, 2, 3, 1, 4, 5, 6, 7, 8};

typedef struct gaz_node {
    uint32_t classes;   /* union of the classes of entries ending here; 0: not an entry */
    uint32_t spellings; /* index + 1 of the first original spelling, 0 when none */
    char code[4];
    unsigned char code_rank; /* NO_CODE when the entry has no code */
} gaz_node;

/* One original spelling of an entry: pool bytes [ntok][len][bytes][len][bytes]... */
typedef struct gaz_spelling {
    uint32_t off;
    uint32_t next; /* index + 1 of the node's next spelling, 0 at the end */
} gaz_spelling;

typedef struct gaz_edge {
    uint64_t hash;
    uint32_t parent;
    uint32_t child; /* 0: empty slot (the root is never a child) */
    uint32_t key_off;
    uint32_t key_len;
} gaz_edge;

struct ent_gaz {
    gaz_node *nodes;
    size_t nnodes, capnodes;
    gaz_edge *edges;
    size_t nedges, nslots;
    gaz_spelling *spell;
    size_t nspell, capspell;
    char *pool;
    size_t npool, cappool;
    size_t count[ENT_GAZ_NCLASSES];
    size_t total;
};

const char *ent_gaz_class_name(unsigned one_class) {
    for (unsigned k = 0; k < ENT_GAZ_NCLASSES; k++)
        if (one_class == 1u << k)
            return class_names[k];
    return NULL;
}

size_t ent_gaz_count(const ent_gaz *g, unsigned one_class) {
    if (!g)
        return 0;
    if (!one_class)
        return g->total;
    for (unsigned k = 0; k < ENT_GAZ_NCLASSES; k++)
        if (one_class == 1u << k)
            return g->count[k];
    return 0;
}

/* ---- folding and hashing ---- */

/* Lower-cases a token into out[0, cap), with typographic apostrophes as "'"; SIZE_MAX when it
 * does not fit. Bytes that are not valid UTF-8 are kept as they are. */
size_t ent_gaz_fold(const char *s, size_t len, char *out, size_t cap) {
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if (o >= cap)
                return SIZE_MAX;
            out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0) {
            if (o >= cap)
                return SIZE_MAX;
            out[o++] = (char)c;
            i++;
            continue;
        }
        i += (size_t)n;
        cp = cp == 0x2019 || cp == 0x2018 || cp == 0x02BC ? '\'' : utf8proc_tolower(cp);
        utf8proc_uint8_t enc[4];
        size_t m = (size_t)utf8proc_encode_char(cp, enc);
        if (o + m > cap)
            return SIZE_MAX;
        memcpy(out + o, enc, m);
        o += m;
    }
    return o;
}

static uint64_t edge_hash(uint32_t parent, const char *key, size_t len) {
    uint64_t h = 0xcbf29ce484222325ull ^ ((uint64_t)parent * 0x9e3779b97f4a7c15ull);
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)key[i]) * 0x100000001b3ull;
    return h ^ (h >> 31);
}

static uint32_t find_child(const ent_gaz *g, uint32_t parent, const char *key, size_t len,
                           uint64_t h) {
    size_t mask = g->nslots - 1;
    for (size_t s = h & mask;; s = (s + 1) & mask) {
        const gaz_edge *e = &g->edges[s];
        if (!e->child)
            return 0;
        if (e->hash == h && e->parent == parent && e->key_len == len &&
            memcmp(g->pool + e->key_off, key, len) == 0)
            return e->child;
    }
}

/* Follows tok[0, n) from the root; returns the deepest entry node on the way (0 when none) and
 * the number of tokens it covers in *covered. */
static uint32_t walk(const ent_gaz *g, const char *text, const sl_token *tok, size_t n,
                     size_t *covered) {
    char key[MAX_TOKEN_BYTES];
    uint32_t node = 0, best = 0;
    *covered = 0;
    if (n > ENT_GAZ_MAX_TOKENS)
        n = ENT_GAZ_MAX_TOKENS;
    for (size_t k = 0; k < n; k++) {
        size_t len = ent_gaz_fold(text + tok[k].start, tok[k].end - tok[k].start, key, sizeof key);
        if (len == SIZE_MAX)
            break;
        node = find_child(g, node, key, len, edge_hash(node, key, len));
        if (!node)
            break;
        if (g->nodes[node].classes) {
            best = node;
            *covered = k + 1;
        }
    }
    return best;
}

static int same_spelling(const ent_gaz *g, uint32_t off, const char *text, const sl_token *tok,
                         size_t n) {
    const unsigned char *p = (const unsigned char *)g->pool + off;
    if (*p++ != n)
        return 0;
    for (size_t k = 0; k < n; k++) {
        size_t len = *p++;
        if (tok[k].end - tok[k].start != len || memcmp(p, text + tok[k].start, len) != 0)
            return 0;
        p += len;
    }
    return 1;
}

static int spelled_as(const ent_gaz *g, uint32_t node, const char *text, const sl_token *tok,
                      size_t n) {
    for (uint32_t s = g->nodes[node].spellings; s; s = g->spell[s - 1].next)
        if (same_spelling(g, g->spell[s - 1].off, text, tok, n))
            return 1;
    return 0;
}

size_t ent_gaz_match(const ent_gaz *g, const char *text, const sl_token *tok, size_t ntok, size_t i,
                     unsigned *classes, int *exact_case) {
    size_t covered = 0;
    uint32_t node = g && text && tok && i < ntok ? walk(g, text, tok + i, ntok - i, &covered) : 0;
    if (classes)
        *classes = node ? g->nodes[node].classes : 0;
    if (exact_case)
        *exact_case = node ? spelled_as(g, node, text, tok + i, covered) : 0;
    return covered;
}

size_t ent_gaz_match_hyphen_prefix(const ent_gaz *g, const char *text, const sl_token *t,
                                   unsigned *classes, int *exact_case) {
    if (classes)
        *classes = 0;
    if (exact_case)
        *exact_case = 0;
    if (!g || !text || !t)
        return 0;
    const char *s = text + t->start;
    char key[MAX_TOKEN_BYTES];
    for (size_t p = t->end - t->start; p-- > 1;) {
        if (s[p] != '-')
            continue;
        size_t len = ent_gaz_fold(s, p, key, sizeof key);
        uint32_t node = len == SIZE_MAX ? 0 : find_child(g, 0, key, len, edge_hash(0, key, len));
        if (!node || !g->nodes[node].classes)
            continue;
        sl_token part = {t->start, t->start + p, t->kind, t->flags};
        if (classes)
            *classes = g->nodes[node].classes;
        if (exact_case)
            *exact_case = spelled_as(g, node, text, &part, 1);
        return p;
    }
    return 0;
}

int ent_gaz_token_is(const char *text, const sl_token *t, const char *word) {
    size_t len = strlen(word);
    if (t->end - t->start != len)
        return 0;
    for (size_t k = 0; k < len; k++) {
        char c = text[t->start + k];
        if ((c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c) != word[k])
            return 0;
    }
    return 1;
}

int ent_gaz_possessive(const char *text, const sl_token *t) {
    return ent_gaz_token_is(text, t, "'s") || ent_gaz_token_is(text, t, "'") ||
           ent_gaz_token_is(text, t, "\xE2\x80\x99s") || ent_gaz_token_is(text, t, "\xE2\x80\x99");
}

const char *ent_gaz_code_tokens(const ent_gaz *g, const char *text, const sl_token *tok,
                                size_t ntok) {
    if (!g || !text || !tok)
        return NULL;
    size_t a = 0, b = ntok;
    if (b - a > 1 && ent_gaz_token_is(text, &tok[a], "the"))
        a++;
    while (b > a + 1 && ent_gaz_possessive(text, &tok[b - 1]))
        b--;
    if (b == a || b - a > ENT_GAZ_MAX_TOKENS)
        return NULL;
    size_t covered;
    uint32_t node = walk(g, text, tok + a, b - a, &covered);
    if (!node || covered != b - a || g->nodes[node].code_rank == NO_CODE)
        return NULL;
    return g->nodes[node].code;
}

const char *ent_gaz_code(const ent_gaz *g, const char *s, size_t len) {
    if (!g || !s || len == 0 || len > (size_t)MAX_LINE_BYTES)
        return NULL;
    slc_tokens tok = {0};
    const char *code = NULL;
    if (slc_tokenize(s, len, &tok) == SL_OK)
        code = ent_gaz_code_tokens(g, s, tok.v, tok.n);
    slc_tokens_free(&tok);
    return code;
}

/* ---- building ---- */

static void *grow(void *p, size_t *cap, size_t need, size_t size) {
    if (need <= *cap)
        return p;
    size_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(p, n * size);
    if (q)
        *cap = n;
    return q;
}

static int pool_add(ent_gaz *g, const void *bytes, size_t len, uint32_t *off) {
    if (g->npool + len > UINT32_MAX)
        return -1;
    char *p = grow(g->pool, &g->cappool, g->npool + len, 1);
    if (!p)
        return -1;
    g->pool = p;
    memcpy(g->pool + g->npool, bytes, len);
    *off = (uint32_t)g->npool;
    g->npool += len;
    return 0;
}

static int rehash(ent_gaz *g, size_t nslots) {
    gaz_edge *edges = calloc(nslots, sizeof *edges);
    if (!edges)
        return -1;
    for (size_t s = 0; s < g->nslots; s++) {
        gaz_edge e = g->edges[s];
        if (!e.child)
            continue;
        size_t t = e.hash & (nslots - 1);
        while (edges[t].child)
            t = (t + 1) & (nslots - 1);
        edges[t] = e;
    }
    free(g->edges);
    g->edges = edges;
    g->nslots = nslots;
    return 0;
}

/* The child of parent along key, created when missing; 0 when out of memory. */
static uint32_t child_of(ent_gaz *g, uint32_t parent, const char *key, size_t len) {
    uint64_t h = edge_hash(parent, key, len);
    uint32_t child = find_child(g, parent, key, len, h);
    if (child)
        return child;
    if ((g->nedges + 1) * 2 > g->nslots && rehash(g, g->nslots * 2) != 0)
        return 0;
    gaz_node *nodes = grow(g->nodes, &g->capnodes, g->nnodes + 1, sizeof *nodes);
    if (!nodes || g->nnodes >= UINT32_MAX)
        return 0;
    g->nodes = nodes;
    uint32_t off;
    if (pool_add(g, key, len, &off) != 0)
        return 0;
    child = (uint32_t)g->nnodes++;
    memset(&g->nodes[child], 0, sizeof g->nodes[child]);
    g->nodes[child].code_rank = NO_CODE;
    size_t s = h & (g->nslots - 1);
    while (g->edges[s].child)
        s = (s + 1) & (g->nslots - 1);
    g->edges[s] = (gaz_edge){h, parent, child, off, (uint32_t)len};
    g->nedges++;
    return child;
}

/* Records the original spelling of tokens tok[0, n) of phrase under node, once. */
static int add_spelling(ent_gaz *g, uint32_t node, const char *phrase, const sl_token *tok,
                        size_t n) {
    if (spelled_as(g, node, phrase, tok, n))
        return 0;
    unsigned char buf[1 + ENT_GAZ_MAX_TOKENS * (1 + MAX_TOKEN_BYTES)];
    size_t len = 0;
    buf[len++] = (unsigned char)n;
    for (size_t k = 0; k < n; k++) {
        size_t l = tok[k].end - tok[k].start;
        buf[len++] = (unsigned char)l;
        memcpy(buf + len, phrase + tok[k].start, l);
        len += l;
    }
    gaz_spelling *spell = grow(g->spell, &g->capspell, g->nspell + 1, sizeof *spell);
    if (!spell)
        return -1;
    g->spell = spell;
    uint32_t off;
    if (pool_add(g, buf, len, &off) != 0)
        return -1;
    g->spell[g->nspell] = (gaz_spelling){off, g->nodes[node].spellings};
    g->nodes[node].spellings = (uint32_t)++g->nspell;
    return 0;
}

typedef struct loader {
    ent_gaz *g;
    const char *path;
    size_t line;
    char *err;
    size_t errcap;
    slc_tokens tok;
} loader;

static int fail(loader *ld, const char *fmt, ...) {
    if (ld->err && ld->errcap) {
        int n = snprintf(ld->err, ld->errcap, "%s:%zu: ", ld->path, ld->line);
        if (n >= 0 && (size_t)n < ld->errcap) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(ld->err + n, ld->errcap - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return -1;
}

/* UTF-8 without control characters other than the tab. */
static int clean_text(const char *s, size_t len) {
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if ((c < 0x20 && c != '\t') || c == 0x7f)
                return 0;
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0)
            return 0;
        i += (size_t)n;
    }
    return 1;
}

static int add_line(loader *ld, const char *s, size_t len) {
    ent_gaz *g = ld->g;
    if (memchr(s, '\0', len))
        return fail(ld, "NUL byte: not a text file");
    if (len > MAX_LINE_BYTES)
        return fail(ld, "line longer than %d bytes", MAX_LINE_BYTES);
    if (len == 0 || s[0] == '#')
        return 0;
    if (!clean_text(s, len))
        return fail(ld, "not valid UTF-8 text (or a control character)");
    const char *end = s + len;
    const char *t1 = memchr(s, '\t', len);
    if (!t1)
        return fail(ld, "expected phrase<TAB>class<TAB>code");
    const char *cls = t1 + 1;
    const char *t2 = memchr(cls, '\t', (size_t)(end - cls));
    const char *cls_end = t2 ? t2 : end;
    const char *code = t2 ? t2 + 1 : end;
    if (t2 && memchr(code, '\t', (size_t)(end - code)))
        return fail(ld, "more than three fields");
    unsigned k = 0;
    while (k < ENT_GAZ_NCLASSES && !(strlen(class_names[k]) == (size_t)(cls_end - cls) &&
                                     memcmp(class_names[k], cls, (size_t)(cls_end - cls)) == 0))
        k++;
    if (k == ENT_GAZ_NCLASSES)
        return fail(ld, "unknown class \"%.*s\"", (int)(cls_end - cls), cls);
    size_t code_len = (size_t)(end - code);
    if (code_len != 0 && !(code_len == 3 && code[0] >= 'A' && code[0] <= 'Z' && code[1] >= 'A' &&
                           code[1] <= 'Z' && code[2] >= 'A' && code[2] <= 'Z'))
        return fail(ld, "the code must be empty or three upper-case letters (ISO 3166-1 alpha-3)");
    size_t plen = (size_t)(t1 - s);
    if (slc_tokenize(s, plen, &ld->tok) != SL_OK)
        return fail(ld, "out of memory");
    size_t n = ld->tok.n;
    if (n == 0)
        return fail(ld, "empty phrase");
    if (n > ENT_GAZ_MAX_TOKENS)
        return fail(ld, "phrase of more than %d tokens", ENT_GAZ_MAX_TOKENS);
    uint32_t node = 0;
    for (size_t i = 0; i < n; i++) {
        char key[MAX_TOKEN_BYTES];
        const sl_token *t = &ld->tok.v[i];
        size_t klen = ent_gaz_fold(s + t->start, t->end - t->start, key, sizeof key);
        if (klen == SIZE_MAX || t->end - t->start > MAX_TOKEN_BYTES)
            return fail(ld, "a word longer than %d bytes", MAX_TOKEN_BYTES);
        node = child_of(g, node, key, klen);
        if (!node)
            return fail(ld, "out of memory");
    }
    gaz_node *nd = &g->nodes[node];
    nd->classes |= 1u << k;
    if (code_len && code_rank[k] < nd->code_rank) {
        memcpy(nd->code, code, 3);
        nd->code[3] = '\0';
        nd->code_rank = code_rank[k];
    }
    if (add_spelling(g, node, s, ld->tok.v, n) != 0)
        return fail(ld, "out of memory");
    g->count[k]++;
    if (++g->total > MAX_ENTRIES)
        return fail(ld, "more than %d entries", MAX_ENTRIES);
    return 0;
}

/* The whole file in memory, at most MAX_FILE_BYTES; NULL with err set otherwise. */
static char *read_all(const char *path, size_t *len, char *err, size_t errcap) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errcap, "%s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            if (cap > MAX_FILE_BYTES) {
                snprintf(err, errcap, "%s: larger than %zu bytes", path, MAX_FILE_BYTES);
                free(buf);
                buf = NULL;
                break;
            }
            char *b = realloc(buf, cap * 2);
            if (!b) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = b;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                snprintf(err, errcap, "%s: read error", path);
                free(buf);
                buf = NULL;
            }
            break;
        }
    }
    if (!buf && err && errcap && !err[0])
        snprintf(err, errcap, "%s: out of memory", path);
    fclose(f);
    *len = n;
    return buf;
}

ent_gaz *ent_gaz_load(const char *path, char *err, size_t errcap) {
    char dummy[1];
    if (!err || !errcap) {
        err = dummy;
        errcap = sizeof dummy;
    }
    err[0] = '\0';
    size_t len;
    char *buf = read_all(path, &len, err, errcap);
    if (!buf)
        return NULL;
    if (len > MAX_FILE_BYTES) {
        snprintf(err, errcap, "%s: larger than %zu bytes", path, MAX_FILE_BYTES);
        free(buf);
        return NULL;
    }
    ent_gaz *g = calloc(1, sizeof *g);
    loader ld = {g, path, 0, err, errcap, {0}};
    int rc = -1;
    if (g && rehash(g, 1024) == 0 && (g->nodes = calloc(64, sizeof *g->nodes)) != NULL) {
        g->capnodes = 64;
        g->nnodes = 1; /* the root */
        g->nodes[0].code_rank = NO_CODE;
        rc = 0;
        for (size_t at = 0; rc == 0 && at < len;) {
            const char *nl = memchr(buf + at, '\n', len - at);
            size_t end = nl ? (size_t)(nl - buf) : len;
            size_t l = end - at;
            if (l && buf[at + l - 1] == '\r')
                l--;
            ld.line++;
            rc = add_line(&ld, buf + at, l);
            at = end + 1;
        }
    } else {
        snprintf(err, errcap, "%s: out of memory", path);
    }
    slc_tokens_free(&ld.tok);
    free(buf);
    if (rc != 0) {
        ent_gaz_free(g);
        return NULL;
    }
    return g;
}

void ent_gaz_free(ent_gaz *g) {
    if (!g)
        return;
    free(g->nodes);
    free(g->edges);
    free(g->spell);
    free(g->pool);
    free(g);
}
