/* Phrase dictionaries over word hashes (see dict.h). */
#include "dict.h"

#include "sluice/sluice.h"

#include <stdlib.h>
#include <string.h>

uint64_t ev_word_hash(const char *s, size_t len) {
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        /* U+2019 and U+2018 are the apostrophe of "Russia’s" */
        if (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
            ((unsigned char)s[i + 2] == 0x99 || (unsigned char)s[i + 2] == 0x98)) {
            c = '\'';
            i += 2;
        } else if (c >= 'A' && c <= 'Z') {
            c = (unsigned char)(c + 32);
        }
        h ^= c;
        h *= 1099511628211ull;
    }
    return h ? h : 1;
}

void ev_dict_init(ev_dict *d) {
    memset(d, 0, sizeof *d);
}

void ev_dict_free(ev_dict *d) {
    free(d->elems);
    free(d->phrases);
    free(d->keys);
    free(d->heads);
    free(d->kinds);
    free(d->firsts);
    free(d->pairs);
    memset(d, 0, sizeof *d);
}

static size_t slot_of(uint64_t h, size_t nslots) {
    return (size_t)((h ^ (h >> 29)) * 0x9E3779B97F4A7C15ull >> 7) & (nslots - 1);
}

static int grow_table(ev_dict *d) {
    size_t ns = d->nslots ? d->nslots * 2 : 256;
    uint64_t *keys = calloc(ns, sizeof *keys);
    uint32_t *heads = malloc(ns * sizeof *heads);
    uint8_t *kinds = calloc(ns, 1);
    if (!keys || !heads || !kinds) {
        free(keys);
        free(heads);
        free(kinds);
        return SL_ENOMEM;
    }
    for (size_t i = 0; i < d->nslots; i++) {
        if (!d->keys[i])
            continue;
        size_t s = slot_of(d->keys[i], ns);
        while (keys[s])
            s = (s + 1) & (ns - 1);
        keys[s] = d->keys[i];
        heads[s] = d->heads[i];
        kinds[s] = d->kinds[i];
    }
    free(d->keys);
    free(d->heads);
    free(d->kinds);
    d->keys = keys;
    d->heads = heads;
    d->kinds = kinds;
    d->nslots = ns;
    return SL_OK;
}

/* The slot of word h: its own, or the empty one where it would go. */
static size_t find_slot(const ev_dict *d, uint64_t h) {
    size_t s = slot_of(h, d->nslots);
    while (d->keys[s] && d->keys[s] != h)
        s = (s + 1) & (d->nslots - 1);
    return s;
}

static int same_phrase(const ev_dict *d, const ev_phrase *p, const uint64_t *e, size_t n) {
    return p->n == n && memcmp(d->elems + p->elem, e, n * sizeof *e) == 0;
}

enum { EV_HAS_PAIR = 1, EV_HAS_GAP = 2 };

static void filter_set(uint64_t *f, uint64_t h) {
    f[(h >> 20) % EV_FIRSTS_BITS / 64] |= 1ull << ((h >> 20) & 63);
}

static int filter_has(const uint64_t *f, uint64_t h) {
    return (f[(h >> 20) % EV_FIRSTS_BITS / 64] >> ((h >> 20) & 63)) & 1;
}

/* The key of a phrase whose second element is a word: both words, so that the many phrases
 * that start with "the" or "rush" do not share one long chain. */
static uint64_t pair_key(uint64_t h1, uint64_t h2) {
    uint64_t k = (h1 * 0x9E3779B97F4A7C15ull) ^ ((h2 << 31) | (h2 >> 33)) ^ 0x632BE59BD9B4E019ull;
    return k ? k : 2;
}

/* The key of a phrase "w1 ... w2 ...": its first word and the word after the gap. */
static uint64_t gap_key(uint64_t h1, uint64_t h2) {
    uint64_t k = pair_key(h1, h2) * 0xC2B2AE3D27D4EB4Full + 0x165667B19E3779F9ull;
    return k ? k : 3;
}

/* The slot of key h, made (with an empty chain) when absent. */
static size_t key_slot(ev_dict *d, uint64_t h) {
    size_t s = find_slot(d, h);
    if (!d->keys[s]) {
        d->keys[s] = h;
        d->heads[s] = UINT32_MAX;
        d->kinds[s] = 0;
        d->nkeys++;
    }
    return s;
}

int ev_dict_add(ev_dict *d, const uint64_t *elems, size_t n, uint32_t value, int unique) {
    if (n == 0 || n > EV_PHRASE_MAX || elems[0] == EV_GAP || elems[n - 1] == EV_GAP)
        return SL_EINVAL;
    if ((d->nkeys + 2) * 4 >= d->nslots * 3 && grow_table(d) != SL_OK)
        return SL_ENOMEM;
    if (!d->firsts && !(d->firsts = calloc(EV_FIRSTS_BITS / 64, sizeof *d->firsts)))
        return SL_ENOMEM;
    if (!d->pairs && !(d->pairs = calloc(EV_FIRSTS_BITS / 64, sizeof *d->pairs)))
        return SL_ENOMEM;
    filter_set(d->firsts, elems[0]);
    size_t first = key_slot(d, elems[0]); /* every first word has a key: ev_dict_has_first */
    uint64_t key = elems[0];
    if (n >= 2 && elems[1] != EV_GAP) {
        key = pair_key(elems[0], elems[1]);
        d->kinds[first] |= EV_HAS_PAIR;
    } else if (n >= 3 && elems[1] == EV_GAP) {
        key = gap_key(elems[0], elems[2]); /* "give ... aid" under give+aid */
        d->kinds[first] |= EV_HAS_GAP;
    }
    if (key != elems[0])
        filter_set(d->pairs, key);
    size_t s = key_slot(d, key);
    uint32_t head = d->heads[s];
    if (unique)
        for (uint32_t p = head; p != UINT32_MAX; p = d->phrases[p].next)
            if (same_phrase(d, &d->phrases[p], elems, n))
                return 1;
    if (d->nelems + n > d->capelems) {
        size_t cap = d->capelems ? d->capelems * 2 : 1024;
        while (cap < d->nelems + n)
            cap *= 2;
        uint64_t *e = realloc(d->elems, cap * sizeof *e);
        if (!e)
            return SL_ENOMEM;
        d->elems = e;
        d->capelems = cap;
    }
    if (d->nphrases == d->capphrases) {
        size_t cap = d->capphrases ? d->capphrases * 2 : 256;
        ev_phrase *p = realloc(d->phrases, cap * sizeof *p);
        if (!p)
            return SL_ENOMEM;
        d->phrases = p;
        d->capphrases = cap;
    }
    if (d->nphrases >= UINT32_MAX - 1)
        return SL_ETOOBIG;
    ev_phrase *p = &d->phrases[d->nphrases];
    p->elem = (uint32_t)d->nelems;
    p->n = (uint16_t)n;
    p->words = 0;
    for (size_t i = 0; i < n; i++)
        p->words = (uint16_t)(p->words + (elems[i] != EV_GAP));
    p->value = value;
    /* append to the chain so that earlier phrases are tried (and win ties) first */
    p->next = UINT32_MAX;
    memcpy(d->elems + d->nelems, elems, n * sizeof *elems);
    d->nelems += n;
    if (head == UINT32_MAX) {
        d->heads[s] = (uint32_t)d->nphrases;
    } else {
        uint32_t q = head;
        while (d->phrases[q].next != UINT32_MAX)
            q = d->phrases[q].next;
        d->phrases[q].next = (uint32_t)d->nphrases;
    }
    d->nphrases++;
    return SL_OK;
}

int ev_dict_has_first(const ev_dict *d, uint64_t h) {
    return d->nslots && d->keys[find_slot(d, h)] == h;
}

/* End (exclusive) of elements e[k..n) matched from token j on, or 0 when they do not match.
 * A gap takes as few tokens as it can. */
static size_t match_from(const uint64_t *e, size_t k, size_t ne, const uint64_t *h,
                         const unsigned char *stop, size_t n, size_t j) {
    for (; k < ne; k++) {
        if (e[k] == EV_GAP) {
            for (size_t g = 0; g <= EV_GAP_MAX && j + g < n; g++) {
                size_t end = match_from(e, k + 1, ne, h, stop, n, j + g);
                if (end)
                    return end;
                if (stop && stop[j + g])
                    break;
            }
            return 0;
        }
        if (j >= n || h[j] != e[k])
            return 0;
        j++;
    }
    return j;
}

/* Try the phrases of one chain at token i; keeps the best in *m. */
static int match_chain(const ev_dict *d, uint32_t head, const uint64_t *h,
                       const unsigned char *stop, size_t n, size_t i, ev_match *m, int found) {
    for (uint32_t p = head; p != UINT32_MAX; p = d->phrases[p].next) {
        const ev_phrase *ph = &d->phrases[p];
        if (found && ph->words < m->words)
            continue;
        size_t end = match_from(d->elems + ph->elem, 1, ph->n, h, stop, n, i + 1);
        if (!end)
            continue;
        if (found && (ph->words < m->words || (ph->words == m->words && end <= m->end)))
            continue;
        m->start = i;
        m->end = end;
        m->value = ph->value;
        m->words = ph->words;
        m->phrase = p;
        found = 1;
    }
    return found;
}

int ev_dict_match(const ev_dict *d, const uint64_t *h, const unsigned char *stop, size_t n,
                  size_t i, ev_match *m) {
    if (!d->nslots || i >= n || !filter_has(d->firsts, h[i]))
        return 0;
    size_t s = find_slot(d, h[i]);
    if (d->keys[s] != h[i])
        return 0;
    int found = 0;
    uint8_t kinds = d->kinds[s];
    if ((kinds & EV_HAS_PAIR) && i + 1 < n) { /* longer phrases first: ties go to the others */
        uint64_t k2 = pair_key(h[i], h[i + 1]);
        size_t s2;
        if (filter_has(d->pairs, k2) && d->keys[s2 = find_slot(d, k2)])
            found = match_chain(d, d->heads[s2], h, stop, n, i, m, 0);
    }
    /* phrases with a gap after the first word, by the word that ends the gap */
    for (size_t j = i + 1; (kinds & EV_HAS_GAP) && j < n && j - i - 1 <= EV_GAP_MAX; j++) {
        uint64_t k3 = gap_key(h[i], h[j]);
        size_t s3;
        if (filter_has(d->pairs, k3) && d->keys[s3 = find_slot(d, k3)])
            found = match_chain(d, d->heads[s3], h, stop, n, i, m, found);
        if (stop && stop[j])
            break;
    }
    return match_chain(d, d->heads[s], h, stop, n, i, m, found);
}

void ev_wordset_free(ev_wordset *s) {
    free(s->keys);
    free(s->vals);
    memset(s, 0, sizeof *s);
}

int ev_wordset_add(ev_wordset *s, uint64_t h, uint32_t val) {
    if ((s->n + 1) * 2 >= s->nslots) {
        size_t ns = s->nslots ? s->nslots * 2 : 64;
        uint64_t *keys = calloc(ns, sizeof *keys);
        uint32_t *vals = calloc(ns, sizeof *vals);
        if (!keys || !vals) {
            free(keys);
            free(vals);
            return SL_ENOMEM;
        }
        for (size_t i = 0; i < s->nslots; i++) {
            if (!s->keys[i])
                continue;
            size_t j = slot_of(s->keys[i], ns);
            while (keys[j])
                j = (j + 1) & (ns - 1);
            keys[j] = s->keys[i];
            vals[j] = s->vals[i];
        }
        free(s->keys);
        free(s->vals);
        s->keys = keys;
        s->vals = vals;
        s->nslots = ns;
    }
    size_t j = slot_of(h, s->nslots);
    while (s->keys[j] && s->keys[j] != h)
        j = (j + 1) & (s->nslots - 1);
    if (!s->keys[j]) {
        s->keys[j] = h;
        s->n++;
    }
    s->vals[j] |= val;
    return SL_OK;
}

uint32_t ev_wordset_get(const ev_wordset *s, uint64_t h) {
    if (!s->nslots)
        return 0;
    size_t j = slot_of(h, s->nslots);
    while (s->keys[j]) {
        if (s->keys[j] == h)
            return s->vals[j];
        j = (j + 1) & (s->nslots - 1);
    }
    return 0;
}

static int strncasecmp_ascii(const char *a, const char *b, size_t n) {
    for (size_t i = 0; i < n; i++) {
        int x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z')
            x += 32;
        if (y >= 'A' && y <= 'Z')
            y += 32;
        if (x != y)
            return x - y;
    }
    return 0;
}

static int is_sep(char c) {
    return c == ' ' || c == '_' || c == '\t';
}

/* Emit word w, splitting a clitic ('s n't 're 've 'll 'd 'm) off its end as the tokenizer
 * does. */
static int emit_word(const char *w, size_t len, int (*fn)(void *, const char *, size_t), void *ctx,
                     int *count) {
    static const char *const clitics[] = {"n't", "'s", "'re", "'ve", "'ll", "'d", "'m"};
    for (size_t k = 0; k < sizeof clitics / sizeof *clitics; k++) {
        size_t cl = strlen(clitics[k]);
        if (len > cl && strncasecmp_ascii(w + len - cl, clitics[k], cl) == 0) {
            if (fn(ctx, w, len - cl) != 0 || fn(ctx, w + len - cl, cl) != 0)
                return -1;
            *count += 2;
            return 0;
        }
    }
    if (fn(ctx, w, len) != 0)
        return -1;
    (*count)++;
    return 0;
}

int ev_phrase_words(const char *s, size_t len, int (*fn)(void *ctx, const char *w, size_t wlen),
                    void *ctx) {
    int count = 0;
    size_t i = 0;
    while (i < len) {
        while (i < len && is_sep(s[i]))
            i++;
        size_t b = i;
        while (i < len && !is_sep(s[i]))
            i++;
        if (i == b)
            break;
        if (i - b == 3 && memcmp(s + b, "...", 3) == 0) {
            if (fn(ctx, s + b, 0) != 0)
                return -1;
            count++;
            continue;
        }
        /* a trailing comma is a token of its own */
        size_t e = i;
        int comma = e - b > 1 && s[e - 1] == ',';
        if (comma)
            e--;
        if (emit_word(s + b, e - b, fn, ctx, &count) != 0)
            return -1;
        if (comma) {
            if (fn(ctx, ",", 1) != 0)
                return -1;
            count++;
        }
    }
    return count;
}

typedef struct hash_ctx {
    uint64_t *out;
    size_t n, max;
} hash_ctx;

static int hash_word(void *ctx, const char *w, size_t len) {
    hash_ctx *h = ctx;
    if (h->n >= h->max)
        return -1;
    h->out[h->n++] = len ? ev_word_hash(w, len) : EV_GAP;
    return 0;
}

int ev_phrase_hashes(const char *s, size_t len, uint64_t *out, size_t max) {
    hash_ctx h = {out, 0, max};
    return ev_phrase_words(s, len, hash_word, &h) < 0 ? -1 : (int)h.n;
}
