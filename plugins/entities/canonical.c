/*
 * Canonical names within a document. Every person and organisation mention gets a normalised
 * key (its name proper, case-folded, Arabic article prefixes dropped: "Bashar al-Assad" and
 * "BASHAR ASSAD" agree). Hash maps keyed on those strings then give, in time linear in the
 * mentions and their words:
 *  - person names: each proper word-suffix of a longer name ("kerry" of "john kerry") maps to
 *    the one longest name that ends with it, or to "ambiguous" when two names that are not
 *    suffixes of one another both do ("john smith", "jane smith");
 *  - organisations: the initials of each long name ("un" of "United Nations") map to that
 *    name, or to "ambiguous";
 * and each mention is pointed at the nearest earlier mention of its full name, else the first
 * later one (a headline's "Kerry" before the body's "John Kerry").
 */
#include "canonical.h"

#include "tokenizer.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NONE (-1)
#define AMBIGUOUS (-2)
#define MAX_WORD_BYTES 255

typedef struct map_slot {
    uint64_t hash;
    uint32_t off, len; /* the key in the keys buffer */
    int32_t val;       /* NONE: empty slot */
} map_slot;

typedef struct key_map {
    map_slot *slot;
    size_t nslots, n;
} key_map;

typedef struct mention_key {
    uint32_t off, len;         /* normalised name in the keys buffer; len 0 when not linked */
    uint32_t acr_off, acr_len; /* organisations: acronym letters, or initials of a long name */
    int32_t name;              /* name id: index of the first mention with the same key */
    int acronym;               /* the mention itself is an acronym ("UN", "U.N.") */
} mention_key;

struct ent_canon {
    const ent_gaz *titles;
    slc_tokens tok;
    char *keys;
    size_t nkeys, capkeys;
    mention_key *info;
    size_t *last; /* per name id: the latest mention so far with that name */
    size_t capinfo;
    size_t resolved; /* mentions of the last successful ent_canon_resolve(); 0 after a failure */
    key_map per_names, org_names, suffixes, initials;
};

ent_canon *ent_canon_new(const ent_gaz *titles) {
    ent_canon *c = calloc(1, sizeof *c);
    if (c)
        c->titles = titles;
    return c;
}

static void map_free(key_map *m) {
    free(m->slot);
    memset(m, 0, sizeof *m);
}

void ent_canon_free(ent_canon *c) {
    if (!c)
        return;
    slc_tokens_free(&c->tok);
    free(c->keys);
    free(c->info);
    free(c->last);
    map_free(&c->per_names);
    map_free(&c->org_names);
    map_free(&c->suffixes);
    map_free(&c->initials);
    free(c);
}

/* ---- the key store and the maps ---- */

static int keys_reserve(ent_canon *c, size_t more) {
    if (c->nkeys + more <= c->capkeys)
        return 0;
    if (c->nkeys + more > UINT32_MAX)
        return -1;
    size_t cap = c->capkeys ? c->capkeys : 4096;
    while (cap < c->nkeys + more)
        cap *= 2;
    char *k = realloc(c->keys, cap);
    if (!k)
        return -1;
    c->keys = k;
    c->capkeys = cap;
    return 0;
}

static uint64_t key_hash(const char *s, size_t len) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    return h ^ (h >> 29);
}

static int map_reset(key_map *m, size_t expect) {
    size_t want = 64;
    while (want < expect * 2)
        want *= 2;
    if (want > m->nslots) {
        map_slot *s = realloc(m->slot, want * sizeof *s);
        if (!s)
            return -1;
        m->slot = s;
        m->nslots = want;
    }
    for (size_t i = 0; i < m->nslots; i++)
        m->slot[i].val = NONE;
    m->n = 0;
    return 0;
}

static map_slot *map_find(const ent_canon *c, const key_map *m, const char *key, size_t len,
                          uint64_t h) {
    size_t mask = m->nslots - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        map_slot *s = &m->slot[i];
        if (s->val == NONE ||
            (s->hash == h && s->len == len && memcmp(c->keys + s->off, key, len) == 0))
            return s;
    }
}

static int32_t map_get(const ent_canon *c, const key_map *m, uint32_t off, uint32_t len) {
    return map_find(c, m, c->keys + off, len, key_hash(c->keys + off, len))->val;
}

/* The slot for the key, claimed when empty (val stays NONE for the caller to set); NULL when
 * out of memory. The maps are sized for every key up front, so they never fill. */
static map_slot *map_slot_for(const ent_canon *c, key_map *m, uint32_t off, uint32_t len) {
    uint64_t h = key_hash(c->keys + off, len);
    map_slot *s = map_find(c, m, c->keys + off, len, h);
    if (s->val == NONE) {
        if ((m->n + 1) * 2 > m->nslots)
            return NULL;
        s->hash = h;
        s->off = off;
        s->len = len;
        m->n++;
    }
    return s;
}

/* ---- names proper ---- */

static int honorific(const char *text, const sl_token *t) {
    static const char *const words[] = {"mr",  "mr.",  "mrs",   "mrs.", "ms",   "ms.", "miss", "dr",
                                        "dr.", "prof", "prof.", "sir",  "dame", "mme", "mme."};
    for (size_t k = 0; k < sizeof words / sizeof *words; k++)
        if (ent_gaz_token_is(text, t, words[k]))
            return 1;
    return 0;
}

/* Tokens [*a, *b) of the name proper among tok[0, n) of base (the mention's text). */
static void name_tokens(const ent_canon *c, const char *base, const sl_token *tok, size_t n,
                        unsigned label, size_t *a, size_t *b) {
    *a = 0;
    *b = n;
    while (*b > *a + 1 && ent_gaz_possessive(base, &tok[*b - 1]))
        (*b)--;
    if (label != ENT_CANON_PER) {
        if (*b > *a + 1 && ent_gaz_token_is(base, &tok[*a], "the"))
            (*a)++;
        return;
    }
    while (*b > *a + 1) {
        unsigned cls = 0;
        size_t k = c->titles ? ent_gaz_match(c->titles, base, tok, *b, *a, &cls, NULL) : 0;
        /* A title that is also a given name ("Don") stays: it is likelier the name. */
        if (k && (cls & ENT_GAZ_TITLE) && !(cls & ENT_GAZ_FIRST_NAME) && *a + k < *b)
            *a += k;
        else if (honorific(base, &tok[*a]))
            (*a)++;
        else
            break;
    }
}

void ent_canon_name(ent_canon *c, const char *text, const ent_canon_mention *m, size_t *name_start,
                    size_t *name_end) {
    *name_start = m->start;
    *name_end = m->end;
    if (!c || m->end <= m->start ||
        slc_tokenize(text + m->start, m->end - m->start, &c->tok) != SL_OK || c->tok.n == 0)
        return;
    size_t a, b;
    name_tokens(c, text + m->start, c->tok.v, c->tok.n, m->label, &a, &b);
    *name_start = m->start + c->tok.v[a].start;
    *name_end = m->start + c->tok.v[b - 1].end;
}

/* "al-Assad" and "Assad" are one surname in news text; so are "al Assad" and "Assad". */
static size_t article_prefix(const char *w, size_t len) {
    static const char *const prefixes[] = {"al-", "el-", "ad-", "ar-", "as-", "ash-",
                                           "at-", "az-", "an-", "ul-", "ud-"};
    for (size_t k = 0; k < sizeof prefixes / sizeof *prefixes; k++) {
        size_t pl = strlen(prefixes[k]);
        if (len > pl && memcmp(w, prefixes[k], pl) == 0)
            return pl;
    }
    return 0;
}

/* Appends the normalised key of name tokens tok[a, b) of base; -1 when out of memory, and a
 * zero length when a word is too long to fold (such a mention is not linked). */
static int append_key(ent_canon *c, const char *base, const sl_token *tok, size_t a, size_t b,
                      int person, uint32_t *off, uint32_t *len) {
    *off = (uint32_t)c->nkeys;
    *len = 0;
    for (size_t i = a; i < b; i++) {
        if (keys_reserve(c, MAX_WORD_BYTES + 1) != 0)
            return -1;
        char *w = c->keys + c->nkeys + 1;
        size_t wl = ent_gaz_fold(base + tok[i].start, tok[i].end - tok[i].start, w, MAX_WORD_BYTES);
        if (wl == SIZE_MAX) {
            c->nkeys = *off;
            return 0;
        }
        if (person) {
            if (i + 1 < b &&
                ((wl == 2 && memcmp(w, "al", 2) == 0) || (wl == 2 && memcmp(w, "el", 2) == 0)))
                continue;
            size_t p = article_prefix(w, wl);
            memmove(w, w + p, wl - p);
            wl -= p;
        }
        if (c->nkeys > *off)
            c->keys[c->nkeys++] = ' ';
        memmove(c->keys + c->nkeys, w, wl);
        c->nkeys += wl;
    }
    *len = (uint32_t)(c->nkeys - *off);
    return 0;
}

/* Acronym letters of a one-word organisation ("UN", "U.N.", "NATO"), else the initials of the
 * capitalised words and hyphen parts of a longer one ("United Nations", "Asia-Pacific Economic
 * Cooperation"); at least two letters, or nothing. */
static int append_letters(ent_canon *c, const char *base, const sl_token *tok, size_t a, size_t b,
                          mention_key *k) {
    if (keys_reserve(c, 2 * (b - a) + 64) != 0)
        return -1;
    size_t off = c->nkeys, n = 0;
    k->acronym = 0;
    if (b - a == 1) {
        const char *w = base + tok[a].start;
        size_t wl = tok[a].end - tok[a].start;
        for (size_t i = 0; i < wl && n < 64; i++) {
            if (w[i] >= 'A' && w[i] <= 'Z')
                c->keys[off + n++] = w[i];
            else if (w[i] != '.')
                return 0;
        }
        if (n < 2 || n > 10)
            return 0;
        k->acronym = 1;
    } else {
        for (size_t i = a; i < b; i++) {
            const char *w = base + tok[i].start;
            size_t wl = tok[i].end - tok[i].start;
            for (size_t j = 0; j < wl; j++)
                if ((j == 0 || w[j - 1] == '-') && w[j] >= 'A' && w[j] <= 'Z')
                    c->keys[off + n++] = w[j];
        }
        if (n < 2)
            return 0;
    }
    k->acr_off = (uint32_t)off;
    k->acr_len = (uint32_t)n;
    c->nkeys += n;
    return 0;
}

/* ---- resolving ---- */

static int ends_with_words(const char *s, size_t sl, const char *suffix, size_t xl) {
    return xl <= sl && memcmp(s + sl - xl, suffix, xl) == 0 && (xl == sl || s[sl - xl - 1] == ' ');
}

/* Records that name id x (of key [off, len)) ends with the key of slot s. */
static void claim(const ent_canon *c, const mention_key *info, map_slot *s, int32_t x) {
    if (s->val == NONE) {
        s->val = x;
        return;
    }
    if (s->val == AMBIGUOUS || s->val == x)
        return;
    const mention_key *old = &info[s->val], *new = &info[x];
    if (ends_with_words(c->keys + new->off, new->len, c->keys + old->off, old->len))
        s->val = x; /* the longer name contains the shorter one: keep the longer */
    else if (!ends_with_words(c->keys + old->off, old->len, c->keys + new->off, new->len))
        s->val = AMBIGUOUS;
}

static int prepare(ent_canon *c, size_t n) {
    if (n > c->capinfo) {
        mention_key *info = realloc(c->info, n * sizeof *info);
        if (!info)
            return -1;
        c->info = info;
        size_t *last = realloc(c->last, n * sizeof *last);
        if (!last)
            return -1;
        c->last = last;
        c->capinfo = n;
    }
    c->nkeys = 0;
    return 0;
}

/* Pass 1: keys, name ids and acronyms of every person and organisation mention. */
static int key_mentions(ent_canon *c, const char *text, size_t len, const ent_canon_mention *m,
                        size_t n, size_t *nwords) {
    *nwords = 0;
    for (size_t i = 0; i < n; i++) {
        mention_key *k = &c->info[i];
        memset(k, 0, sizeof *k);
        k->name = (int32_t)i;
        unsigned label = m[i].label;
        if ((label != ENT_CANON_PER && label != ENT_CANON_ORG) || m[i].start >= m[i].end ||
            m[i].end > len)
            continue;
        const char *base = text + m[i].start;
        if (slc_tokenize(base, m[i].end - m[i].start, &c->tok) != SL_OK)
            return -1;
        if (c->tok.n == 0)
            continue;
        size_t a, b;
        name_tokens(c, base, c->tok.v, c->tok.n, label, &a, &b);
        *nwords += b - a;
        if (append_key(c, base, c->tok.v, a, b, label == ENT_CANON_PER, &k->off, &k->len) != 0)
            return -1;
        if (label == ENT_CANON_ORG && k->len && append_letters(c, base, c->tok.v, a, b, k) != 0)
            return -1;
    }
    return 0;
}

int ent_canon_resolve(ent_canon *c, const char *text, size_t len, const ent_canon_mention *m,
                      size_t n, size_t *canon) {
    for (size_t i = 0; i < n; i++)
        canon[i] = i;
    if (c)
        c->resolved = 0;
    if (!c || !text || n == 0)
        return 0;
    if (n > INT32_MAX - 1 || prepare(c, n) != 0)
        return -1;
    size_t nwords;
    if (key_mentions(c, text, len, m, n, &nwords) != 0 || map_reset(&c->per_names, n) != 0 ||
        map_reset(&c->org_names, n) != 0 || map_reset(&c->suffixes, nwords + 1) != 0 ||
        map_reset(&c->initials, n) != 0)
        return -1;
    mention_key *info = c->info;

    /* Name ids: the first mention with each key. */
    for (size_t i = 0; i < n; i++) {
        if (!info[i].len)
            continue;
        key_map *names = m[i].label == ENT_CANON_PER ? &c->per_names : &c->org_names;
        map_slot *s = map_slot_for(c, names, info[i].off, info[i].len);
        if (!s)
            return -1;
        if (s->val == NONE)
            s->val = (int32_t)i;
        info[i].name = s->val;
    }
    /* Every proper word-suffix of a person's name, and the initials of an organisation's long
     * name, point to that name (or are ambiguous). */
    for (size_t i = 0; i < n; i++) {
        const mention_key *k = &info[i];
        if (!k->len || k->name != (int32_t)i)
            continue;
        if (m[i].label == ENT_CANON_PER) {
            for (uint32_t p = 0; p < k->len; p++) {
                if (c->keys[k->off + p] != ' ')
                    continue;
                map_slot *s = map_slot_for(c, &c->suffixes, k->off + p + 1, k->len - p - 1);
                if (!s)
                    return -1;
                claim(c, info, s, (int32_t)i);
            }
        } else if (k->acr_len && !k->acronym) {
            map_slot *s = map_slot_for(c, &c->initials, k->acr_off, k->acr_len);
            if (!s)
                return -1;
            if (s->val == NONE)
                s->val = (int32_t)i;
            else if (s->val != (int32_t)i)
                s->val = AMBIGUOUS;
        }
    }
    /* Each mention's full name, then its nearest earlier mention, else its first. */
    for (size_t i = 0; i < n; i++)
        c->last[i] = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        const mention_key *k = &info[i];
        if (!k->len)
            continue;
        int32_t full = NONE;
        if (m[i].label == ENT_CANON_PER)
            full = map_get(c, &c->suffixes, k->off, k->len);
        else if (k->acronym)
            full = map_get(c, &c->initials, k->acr_off, k->acr_len);
        if (full >= 0 && full != k->name)
            canon[i] = c->last[full] != SIZE_MAX ? c->last[full] : (size_t)full;
        c->last[k->name] = i;
    }
    c->resolved = n;
    return 0;
}

size_t ent_canon_person_of(ent_canon *c, const char *text, size_t len, const ent_canon_mention *m,
                           size_t n, size_t *person) {
    for (size_t i = 0; i < n; i++)
        person[i] = SIZE_MAX;
    if (!c || !text || n == 0 || c->resolved != n)
        return 0;
    size_t found = 0;
    for (size_t i = 0; i < n; i++)
        c->last[i] = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        if (m[i].label == ENT_CANON_PER) {
            if (c->info[i].len)
                c->last[c->info[i].name] = i;
            continue;
        }
        if (m[i].start >= m[i].end || m[i].end > len)
            continue;
        const char *base = text + m[i].start;
        if (slc_tokenize(base, m[i].end - m[i].start, &c->tok) != SL_OK || c->tok.n == 0)
            continue;
        size_t a, b;
        uint32_t off, klen;
        name_tokens(c, base, c->tok.v, c->tok.n, ENT_CANON_PER, &a, &b);
        if (append_key(c, base, c->tok.v, a, b, 1, &off, &klen) != 0 || !klen)
            continue;
        /* The last words of one full name, else a person's name as it stands. */
        int32_t x = map_get(c, &c->suffixes, off, klen);
        if (x == NONE)
            x = map_get(c, &c->per_names, off, klen);
        c->nkeys = off;
        if (x < 0)
            continue;
        person[i] = c->last[x] != SIZE_MAX ? c->last[x] : (size_t)x;
        found++;
    }
    return found;
}
