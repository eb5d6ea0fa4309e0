/* Feature extraction: token properties hashed once per document, features mixed from them. */
#include "featureset.h"

#include "hash.h"

#include <stdlib.h>
#include <string.h>

/* Template ids: the first value mixed into a feature's hash. Only ever append; changing the
 * meaning of one needs a new ENT_TEMPLATES_ID. */
enum {
    F_BIAS = 1,
    F_WORD,
    F_NORM,
    F_NORM_P1,
    F_NORM_N1,
    F_NORM_P2,
    F_NORM_N2,
    F_SHAPE,
    F_SS_P1,
    F_SS_N1,
    F_SS_P1_0,
    F_SS_0_N1,
    F_SS_P1_0_N1,
    F_PRE,
    F_SUF,
    F_BIGRAM_P,
    F_BIGRAM_N,
    F_POSITION,
    F_FIRST_NORM,
    F_SENTCAPS,
    F_CLUSTER,
    F_CLUSTER_P1,
    F_CLUSTER_N1,
    F_LEN_SHAPE,
    F_NORM_P1_SS,
    F_SS_NORM_N1,
    F_KIND,
    F_CASING,
    F_GAZ,
    F_GAZ_P1,
    F_GAZ_N1,
    F_GAZ_MASK,
    F_SS_P2,
    F_SS_N2,
    F_HIST_MAJOR,
    F_HIST_TYPE,
    F_WORD_P1,
    F_CLUSTER_BIGRAM,
    F_DOC_MAJOR,
    F_DOC_TYPE,
};

/* Values standing for a missing neighbour. */
#define V_BOS 0x626f73ULL
#define V_EOS 0x656f73ULL

static inline uint64_t feat(uint64_t tmpl, uint64_t v) {
    return ent_mix(ent_combine(tmpl * 0x9e3779b97f4a7c15ULL, v));
}

static inline uint64_t feat2(uint64_t tmpl, uint64_t a, uint64_t b) {
    return ent_mix(ent_combine(ent_combine(tmpl * 0x9e3779b97f4a7c15ULL, a), b));
}

void ent_fx_init(ent_fx *fx, int ntypes, const ent_clusters *clusters) {
    memset(fx, 0, sizeof *fx);
    fx->ntypes = ntypes;
    fx->clusters = clusters;
}

void ent_fx_free(ent_fx *fx) {
    free(fx->tok);
    free(fx->map);
    memset(fx, 0, sizeof *fx);
}

/* Letters, digits and marks of one token, from its bytes. */
static void describe(ent_tok *t, const unsigned char *w, size_t len) {
    char norm[128], shape[128], sshape[128];
    size_t nn = 0, ns = 0, nss = 0, run = 0;
    unsigned nupper = 0, nlower = 0, lower_then_upper = 0;
    char prev = 0;
    uint32_t f = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = w[i];
        char cls;
        if (c >= 'A' && c <= 'Z') {
            cls = 'X';
            nupper++;
            if (nlower)
                lower_then_upper = 1;
            c = (unsigned char)(c + 32);
        } else if (c >= 'a' && c <= 'z') {
            cls = 'x';
            nlower++;
        } else if (c >= '0' && c <= '9') {
            cls = 'd';
            f |= ENT_T_DIGIT;
            c = '0';
        } else if (c >= 0x80) {
            if ((c & 0xC0) == 0x80) { /* continuation byte: part of the character before */
                if (nn < sizeof norm)
                    norm[nn++] = (char)c;
                continue;
            }
            cls = 'u';
            nlower++; /* non-ASCII letters: counted as letters without case */
        } else {
            cls = (char)c;
            if (c == '-')
                f |= ENT_T_HYPHEN;
            else if (c == '.')
                f |= ENT_T_PERIOD;
            else if (c == '\'')
                f |= ENT_T_APOS;
        }
        if (nn < sizeof norm)
            norm[nn++] = (char)c;
        run = cls == prev ? run + 1 : 1;
        if (run <= 4 && ns < sizeof shape)
            shape[ns++] = cls;
        if (run == 1 && nss < sizeof sshape)
            sshape[nss++] = cls;
        prev = cls;
    }
    if (nupper || nlower)
        f |= ENT_T_ALPHA;
    if (nupper && !nlower)
        f |= ENT_T_ALLCAPS;
    if (nupper && w[0] >= 'A' && w[0] <= 'Z')
        f |= ENT_T_INITCAP;
    if (!nupper && nlower)
        f |= ENT_T_LOWER;
    if (lower_then_upper)
        f |= ENT_T_MIXED;
    t->flags = f;
    t->len = (uint32_t)len;
    t->word = ent_hash_bytes(w, len, ENT_CLUSTER_SEED);
    t->norm = ent_hash_bytes(norm, nn, 12);
    t->shape = ent_hash_bytes(shape, ns, 13);
    t->sshape = ent_hash_bytes(sshape, nss, 14);
    for (size_t k = 0; k < 4; k++) {
        size_t m = k + 1;
        t->pre[k] = m < nn ? ent_hash_bytes(norm, m, 20 + k) : 0;
        t->suf[k] = m < nn ? ent_hash_bytes(norm + nn - m, m, 30 + k) : 0;
    }
}

/* The token's cluster: its own spelling (the table's key is the word hash), else the usual
 * spellings of a word in capitals, sentence-initial or in lower case: lower case, then
 * capitalised. */
static uint64_t cluster_of(const ent_tok *t, const unsigned char *w, size_t len,
                           const ent_clusters *cl) {
    uint64_t c = ent_clusters_find_key(cl, t->word);
    if (c || len > 128)
        return c;
    char alt[128];
    for (size_t i = 0; i < len; i++)
        alt[i] = (char)(w[i] >= 'A' && w[i] <= 'Z' ? w[i] + 32 : w[i]);
    if (!(t->flags & ENT_T_LOWER))
        c = ent_clusters_find(cl, alt, len);
    if (!c && alt[0] >= 'a' && alt[0] <= 'z') {
        alt[0] = (char)(alt[0] - 32);
        if (memcmp(alt, w, len) != 0)
            c = ent_clusters_find(cl, alt, len);
    }
    return c;
}

static int grow_map(ent_fx *fx, size_t n) {
    uint64_t want = 64;
    while (want < 2 * (uint64_t)n + 2)
        want <<= 1;
    if (want <= fx->nmap)
        return SL_OK;
    ent_form_slot *m = calloc(want, sizeof *m);
    if (!m)
        return SL_ENOMEM;
    free(fx->map);
    fx->map = m;
    fx->nmap = want;
    fx->gen = 0;
    return SL_OK;
}

/* The slot of a form in the current document, made on first use. */
static ent_form_slot *form_slot(ent_fx *fx, uint64_t key) {
    uint64_t mask = fx->nmap - 1;
    for (uint64_t i = key & mask;; i = (i + 1) & mask) {
        ent_form_slot *s = &fx->map[i];
        if (s->gen != fx->gen) {
            memset(s, 0, sizeof *s);
            s->key = key;
            s->gen = fx->gen;
            return s;
        }
        if (s->key == key)
            return s;
    }
}

static const ent_form_slot *form_find(const ent_fx *fx, uint64_t key) {
    uint64_t mask = fx->nmap - 1;
    for (uint64_t i = key & mask;; i = (i + 1) & mask) {
        const ent_form_slot *s = &fx->map[i];
        if (s->gen != fx->gen)
            return NULL;
        if (s->key == key)
            return s;
    }
}

int ent_fx_prepare(ent_fx *fx, const char *text, const sl_token *tok, size_t n, const size_t *sent,
                   size_t nsent) {
    if (n > fx->cap) {
        size_t cap = n + n / 2 + 16;
        ent_tok *t = realloc(fx->tok, cap * sizeof *t);
        if (!t)
            return SL_ENOMEM;
        fx->tok = t;
        fx->cap = cap;
    }
    if (grow_map(fx, n) != SL_OK)
        return SL_ENOMEM;
    if (++fx->gen == 0) { /* wrapped: every slot must read as free again */
        memset(fx->map, 0, fx->nmap * sizeof *fx->map);
        fx->gen = 1;
    }
    fx->ntok = n;
    const ent_clusters *cl = fx->clusters && fx->clusters->nslots ? fx->clusters : NULL;
    for (size_t i = 0; i < n; i++) {
        ent_tok *t = &fx->tok[i];
        describe(t, (const unsigned char *)text + tok[i].start, tok[i].end - tok[i].start);
        t->kind = tok[i].kind;
        t->gaz = t->gaz_pos = 0;
        t->cluster = 0;
        if (cl) /* the lookups below miss the cache: start the loads now */
            __builtin_prefetch(&cl->slots[t->word & (cl->nslots - 1)]);
    }
    for (size_t i = 0; cl && i < n; i++)
        if (fx->tok[i].flags & ENT_T_ALPHA)
            fx->tok[i].cluster = cluster_of(&fx->tok[i], (const unsigned char *)text + tok[i].start,
                                            tok[i].end - tok[i].start, cl);
    /* Headlines in capitals: case tells little there, so features look elsewhere. */
    for (size_t k = 0; k < nsent; k++) {
        size_t s = sent[2 * k], e = sent[2 * k + 1], alpha = 0, caps = 0;
        for (size_t i = s; i < e; i++) {
            if (fx->tok[i].flags & ENT_T_ALPHA) {
                alpha++;
                caps += (fx->tok[i].flags & ENT_T_ALLCAPS) != 0;
            }
        }
        if (alpha && caps * 10 >= alpha * 8)
            for (size_t i = s; i < e; i++)
                fx->tok[i].flags |= ENT_T_SENTCAPS;
    }
    /* How each form is written in running text, anywhere in the document. */
    for (size_t k = 0; k < nsent; k++) {
        size_t s = sent[2 * k], e = sent[2 * k + 1];
        for (size_t i = s; i < e; i++) {
            const ent_tok *t = &fx->tok[i];
            if (!(t->flags & ENT_T_ALPHA) || (t->flags & ENT_T_SENTCAPS))
                continue;
            uint32_t c = 0;
            if (t->flags & ENT_T_LOWER)
                c = ENT_C_LOWER;
            else if (i > s && (t->flags & ENT_T_INITCAP) && !(t->flags & ENT_T_ALLCAPS))
                c = ENT_C_TITLE_MID;
            if (c)
                form_slot(fx, t->norm)->casing |= c;
        }
    }
    for (size_t i = 0; i < n; i++) {
        const ent_form_slot *s = form_find(fx, fx->tok[i].norm);
        fx->tok[i].casing = s ? s->casing : 0;
    }
    return SL_OK;
}

size_t ent_features_static(const ent_fx *fx, size_t s, size_t e, size_t i, uint64_t *out) {
    const ent_tok *t = &fx->tok[i];
    const ent_tok *p1 = i > s ? t - 1 : NULL, *p2 = i > s + 1 ? t - 2 : NULL;
    const ent_tok *n1 = i + 1 < e ? t + 1 : NULL, *n2 = i + 2 < e ? t + 2 : NULL;
    uint64_t np1 = p1 ? p1->norm : V_BOS, nn1 = n1 ? n1->norm : V_EOS;
    uint64_t sp1 = p1 ? p1->sshape : V_BOS, sn1 = n1 ? n1->sshape : V_EOS;
    size_t k = 0;
    out[k++] = feat(F_BIAS, 0);
    out[k++] = feat(F_WORD, t->word);
    out[k++] = feat(F_NORM, t->norm);
    out[k++] = feat(F_NORM_P1, np1);
    out[k++] = feat(F_NORM_N1, nn1);
    out[k++] = feat(F_NORM_P2, p2 ? p2->norm : V_BOS);
    out[k++] = feat(F_NORM_N2, n2 ? n2->norm : V_EOS);
    out[k++] = feat(F_WORD_P1, p1 ? p1->word : V_BOS);
    out[k++] = feat(F_SHAPE, t->shape);
    out[k++] = feat(F_SS_P1, sp1);
    out[k++] = feat(F_SS_N1, sn1);
    out[k++] = feat(F_SS_P2, p2 ? p2->sshape : V_BOS);
    out[k++] = feat(F_SS_N2, n2 ? n2->sshape : V_EOS);
    out[k++] = feat2(F_SS_P1_0, sp1, t->sshape);
    out[k++] = feat2(F_SS_0_N1, t->sshape, sn1);
    out[k++] = feat2(F_SS_P1_0_N1, ent_combine(sp1, t->sshape), sn1);
    for (unsigned m = 0; m < 4; m++) {
        if (t->pre[m])
            out[k++] = feat(F_PRE, t->pre[m]);
        if (t->suf[m])
            out[k++] = feat(F_SUF, t->suf[m]);
    }
    out[k++] = feat2(F_BIGRAM_P, np1, t->norm);
    out[k++] = feat2(F_BIGRAM_N, t->norm, nn1);
    uint32_t capbits = t->flags & (ENT_T_INITCAP | ENT_T_ALLCAPS | ENT_T_SENTCAPS);
    out[k++] =
        feat(F_POSITION, (uint64_t)(i == s) | (uint64_t)(i + 1 == e) << 1 | (uint64_t)capbits << 2);
    if (i == s)
        out[k++] = feat(F_FIRST_NORM, t->norm);
    if (t->flags & ENT_T_SENTCAPS)
        out[k++] = feat2(F_SENTCAPS, t->norm, i == s);
    static const unsigned plen[4] = {4, 6, 10, 20};
    for (unsigned m = 0; m < 4; m++) {
        uint64_t c = t->cluster, len = c & 0xff, bits = c >> 8;
        uint64_t p = len > plen[m] ? bits >> (len - plen[m]) : bits;
        out[k++] = feat2(F_CLUSTER, m, c ? (p << 8 | (len < plen[m] ? len : plen[m])) : 0);
    }
    for (unsigned m = 1; m < 3; m++) {
        const ent_tok *nb[2] = {p1, n1};
        for (unsigned d = 0; d < 2; d++) {
            uint64_t c = nb[d] ? nb[d]->cluster : 1, len = c & 0xff, bits = c >> 8;
            uint64_t p = len > plen[m] ? bits >> (len - plen[m]) : bits;
            out[k++] = feat2(d ? F_CLUSTER_N1 : F_CLUSTER_P1, m, p << 8 | len);
        }
    }
    out[k++] = feat2(F_LEN_SHAPE, t->len < 8 ? t->len : 8, t->sshape);
    out[k++] = feat2(F_NORM_P1_SS, np1, t->sshape);
    out[k++] = feat2(F_SS_NORM_N1, t->sshape, nn1);
    out[k++] = feat(F_KIND, (uint64_t)t->kind << 16 | (t->flags & 0x1ff));
    if ((t->flags & ENT_T_ALPHA) && (i == s || (t->flags & (ENT_T_SENTCAPS | ENT_T_ALLCAPS))))
        out[k++] =
            feat(F_CASING,
                 (uint64_t)t->casing << 16 | (uint64_t)(i == s) << 8 |
                     (t->flags & (ENT_T_INITCAP | ENT_T_ALLCAPS | ENT_T_LOWER | ENT_T_SENTCAPS)));
    if (t->gaz) {
        for (uint32_t bits = t->gaz; bits; bits &= bits - 1)
            out[k++] = feat2(F_GAZ, (uint64_t)__builtin_ctz(bits), t->gaz_pos);
        out[k++] = feat2(F_GAZ_MASK, t->gaz, t->gaz_pos);
    }
    if (p1 && p1->gaz)
        out[k++] = feat(F_GAZ_P1, p1->gaz);
    if (n1 && n1->gaz)
        out[k++] = feat(F_GAZ_N1, n1->gaz);
    return k;
}

/* Features from label counts of a form: the most frequent label, and the most frequent entity
 * type when there is one, each with the capitalisation of the token. */
static size_t label_features(const ent_fx *fx, const ent_tok *t, const uint16_t *count,
                             unsigned own, uint64_t tmajor, uint64_t ttype, uint64_t *out) {
    unsigned best = 0, total = 0, bestent = 0, c[ENT_MAX_TYPES + 1];
    for (int k = 0; k <= fx->ntypes; k++) {
        c[k] = count[k] - (own == (unsigned)k && count[k] > 0);
        total += c[k];
        if (c[k] > c[best])
            best = (unsigned)k;
        if (k && c[k] && (!bestent || c[k] > c[bestent]))
            bestent = (unsigned)k;
    }
    if (!total)
        return 0;
    size_t k = 0;
    uint64_t capped = (t->flags & (ENT_T_INITCAP | ENT_T_ALLCAPS)) != 0;
    out[k++] = feat2(tmajor, best, (uint64_t)(total > 1) << 1 | capped);
    if (bestent)
        out[k++] = feat2(ttype, bestent, capped);
    return k;
}

size_t ent_features_history(const ent_fx *fx, size_t i, uint64_t *out) {
    const ent_tok *t = &fx->tok[i];
    const ent_form_slot *s = (t->flags & ENT_T_ALPHA) ? form_find(fx, t->norm) : NULL;
    return s ? label_features(fx, t, s->count, ENT_MAX_TYPES + 1, F_HIST_MAJOR, F_HIST_TYPE, out)
             : 0;
}

size_t ent_features_doc(const ent_fx *fx, size_t i, unsigned own, uint64_t *out) {
    const ent_tok *t = &fx->tok[i];
    const ent_form_slot *s = (t->flags & ENT_T_ALPHA) ? form_find(fx, t->norm) : NULL;
    return s ? label_features(fx, t, s->doc, own, F_DOC_MAJOR, F_DOC_TYPE, out) : 0;
}

void ent_fx_doc_add(ent_fx *fx, const uint8_t *types) {
    for (size_t i = 0; i < fx->ntok; i++) {
        if (!(fx->tok[i].flags & ENT_T_ALPHA))
            continue;
        ent_form_slot *f = form_slot(fx, fx->tok[i].norm);
        if (f->doc[types[i]] < UINT16_MAX)
            f->doc[types[i]]++;
    }
}

void ent_fx_history_reset(ent_fx *fx) {
    for (size_t i = 0; i < fx->ntok; i++) {
        ent_form_slot *s = form_slot(fx, fx->tok[i].norm);
        memset(s->count, 0, sizeof s->count);
        memset(s->doc, 0, sizeof s->doc);
    }
}

void ent_fx_history_add(ent_fx *fx, size_t s, size_t e, const uint8_t *types) {
    for (size_t i = s; i < e; i++) {
        if (!(fx->tok[i].flags & ENT_T_ALPHA))
            continue;
        ent_form_slot *f = form_slot(fx, fx->tok[i].norm);
        if (f->count[types[i - s]] < UINT16_MAX)
            f->count[types[i - s]]++;
    }
}
