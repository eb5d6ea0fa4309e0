/* CoNLL files: parsing, text rebuilding, core tokenization and gold alignment. */
#include "conll.h"

#include "tagger.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct growbuf {
    void *v;
    size_t n, cap, size;
} growbuf;

static void *gb_push(growbuf *b, size_t k) {
    if (b->n + k > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        while (cap < b->n + k)
            cap *= 2;
        void *v = realloc(b->v, cap * b->size);
        if (!v)
            return NULL;
        b->v = v;
        b->cap = cap;
    }
    void *p = (char *)b->v + b->n * b->size;
    b->n += k;
    return p;
}

/* The document being read. */
typedef struct reading {
    growbuf text;  /* char */
    growbuf sents; /* size_t pairs: byte ranges of the sentences */
    growbuf gold;  /* ent_gold */
    int in_sentence;
    int open_type; /* type of the entity being read, -1 when none */
    size_t last_end;
    const char *prev_tok;
    size_t prev_len;
} reading;

static int no_space_before(const char *t, size_t n) {
    static const char *const list[] = {",",   ".",   ";",   ":",  "!",  "?",   ")",
                                       "]",   "}",   "%",   "'s", "'S", "n't", "N'T",
                                       "'re", "'ve", "'ll", "'d", "'m", "..."};
    for (size_t i = 0; i < sizeof list / sizeof *list; i++)
        if (strlen(list[i]) == n && !memcmp(list[i], t, n))
            return 1;
    return 0;
}

static int no_space_after(const char *t, size_t n) {
    return n == 1 && (*t == '(' || *t == '[' || *t == '{' || *t == '$');
}

static int type_index(ent_corpus *c, const char *name, size_t n, int fixed) {
    for (int k = 0; k < c->ntypes; k++)
        if (strlen(c->types[k]) == n && !memcmp(c->types[k], name, n))
            return k;
    if (fixed || c->ntypes == ENT_MAX_TYPES || n == 0 || n >= sizeof c->types[0])
        return -1;
    memcpy(c->types[c->ntypes], name, n);
    c->types[c->ntypes][n] = 0;
    return c->ntypes++;
}

static void close_entity(reading *r) {
    if (r->open_type >= 0)
        ((ent_gold *)r->gold.v)[r->gold.n - 1].end = r->last_end;
    r->open_type = -1;
}

static void end_sentence(reading *r) {
    if (!r->in_sentence)
        return;
    close_entity(r);
    ((size_t *)r->sents.v)[r->sents.n - 1] = r->text.n;
    r->in_sentence = 0;
}

/* Tokenize the finished document, map sentences and gold entities onto the core tokens. */
static int finish_doc(ent_corpus *c, reading *r) {
    end_sentence(r);
    if (!r->sents.n)
        return 0;
    ent_doc *d = realloc(c->docs, (c->ndocs + 1) * sizeof *d);
    if (!d)
        return -1;
    c->docs = d;
    d = &c->docs[c->ndocs++];
    memset(d, 0, sizeof *d);
    if (!gb_push(&r->text, 1))
        return -1;
    ((char *)r->text.v)[r->text.n - 1] = 0;
    d->len = r->text.n - 1;
    d->text = r->text.v;
    r->text = (growbuf){.size = 1};
    d->gold = r->gold.v;
    d->ngold = r->gold.n;
    r->gold = (growbuf){.size = sizeof(ent_gold)};
    if (slc_tokenize(d->text, d->len, &d->tok) != SL_OK)
        return -1;
    size_t nt = d->tok.n, ns = r->sents.n / 2;
    const size_t *sr = r->sents.v;
    d->sent = malloc((2 * ns + 1) * sizeof *d->sent);
    d->tags = calloc(nt + 1, 1);
    if (!d->sent || !d->tags)
        return -1;
    size_t t = 0;
    for (size_t k = 0; k < ns; k++) {
        size_t s = t;
        while (t < nt && d->tok.v[t].start < sr[2 * k + 1])
            t++;
        if (t > s) {
            d->sent[2 * d->nsent] = s;
            d->sent[2 * d->nsent + 1] = t;
            d->nsent++;
        }
    }
    r->sents.n = 0;
    t = 0;
    for (size_t g = 0; g < d->ngold; g++) {
        const ent_gold *e = &d->gold[g];
        while (t < nt && d->tok.v[t].start < e->start)
            t++;
        size_t u = t;
        while (u < nt && d->tok.v[u].end <= e->end)
            u++;
        if (t == nt || d->tok.v[t].start != e->start || u == t || d->tok.v[u - 1].end != e->end) {
            c->unaligned++;
            continue;
        }
        if (u - t == 1) {
            d->tags[t] = (uint8_t)ent_tag(e->type, ENT_U);
        } else {
            d->tags[t] = (uint8_t)ent_tag(e->type, ENT_B);
            for (size_t i = t + 1; i + 1 < u; i++)
                d->tags[i] = (uint8_t)ent_tag(e->type, ENT_I);
            d->tags[u - 1] = (uint8_t)ent_tag(e->type, ENT_L);
        }
    }
    c->ntokens += nt;
    return 0;
}

int ent_conll_read(ent_corpus *c, const char *path, ent_join join, ent_case cs, char *err,
                   size_t errlen) {
    int fixed = c->ntypes > 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    reading r = {.text = {.size = 1},
                 .sents = {.size = sizeof(size_t)},
                 .gold = {.size = sizeof(ent_gold)},
                 .open_type = -1};
    char *line = NULL, *prev_copy = NULL;
    size_t cap = 0;
    long lineno = 0;
    int rc = 0;
    char prevtok[256];
    size_t prevlen = 0;
    for (ssize_t got; (got = getline(&line, &cap, f)) >= 0;) {
        lineno++;
        while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r' || line[got - 1] == ' ' ||
                           line[got - 1] == '\t'))
            line[--got] = 0;
        if (!got) {
            end_sentence(&r);
            continue;
        }
        size_t tl = strcspn(line, " \t");
        if (tl == 10 && !memcmp(line, "-DOCSTART-", 10)) {
            if (finish_doc(c, &r) != 0)
                goto nomem;
            continue;
        }
        const char *tag = strrchr(line, ' ');
        const char *tab = strrchr(line, '\t');
        if (!tag || (tab && tab > tag))
            tag = tab;
        if (!tag || tag < line + tl) {
            snprintf(err, errlen, "%s:%ld: expected a token and a tag", path, lineno);
            rc = -1;
            break;
        }
        tag++;
        int type = -1, begin = 0;
        if (strcmp(tag, "O") != 0) {
            if ((tag[0] != 'B' && tag[0] != 'I') || tag[1] != '-') {
                snprintf(err, errlen, "%s:%ld: tag '%s' is not O, B-TYPE or I-TYPE", path, lineno,
                         tag);
                rc = -1;
                break;
            }
            type = type_index(c, tag + 2, strlen(tag + 2), fixed);
            if (type < 0) {
                snprintf(err, errlen, "%s:%ld: entity type '%s' %s", path, lineno, tag + 2,
                         fixed ? "is not in the model's tag set" : "is one too many (at most 8)");
                rc = -1;
                break;
            }
            begin = tag[0] == 'B' || r.open_type != type;
        }
        /* Place the token in the text. */
        if (!r.in_sentence) {
            if (r.text.n && !gb_push(&r.text, 1))
                goto nomem;
            if (r.text.n)
                ((char *)r.text.v)[r.text.n - 1] = '\n';
            size_t *sp = gb_push(&r.sents, 2);
            if (!sp)
                goto nomem;
            sp[0] = r.text.n;
            r.in_sentence = 1;
            prevlen = 0;
        } else if (join == ENT_JOIN_SPACES ||
                   (!no_space_before(line, tl) && !no_space_after(prevtok, prevlen))) {
            char *sp = gb_push(&r.text, 1);
            if (!sp)
                goto nomem;
            *sp = ' ';
        }
        size_t start = r.text.n;
        char *dst = gb_push(&r.text, tl);
        if (!dst)
            goto nomem;
        for (size_t i = 0; i < tl; i++) {
            char ch = line[i];
            if (cs == ENT_CASE_LOWER && ch >= 'A' && ch <= 'Z')
                ch = (char)(ch + 32);
            else if (cs == ENT_CASE_UPPER && ch >= 'a' && ch <= 'z')
                ch = (char)(ch - 32);
            dst[i] = ch;
        }
        prevlen = tl < sizeof prevtok ? tl : 0;
        memcpy(prevtok, line, prevlen);
        if (type < 0 || begin)
            close_entity(&r);
        if (type >= 0 && begin) {
            ent_gold *g = gb_push(&r.gold, 1);
            if (!g)
                goto nomem;
            g->start = start;
            g->type = type;
            r.open_type = type;
        }
        r.last_end = r.text.n;
    }
    if (!rc && finish_doc(c, &r) != 0)
        goto nomem;
    goto done;
nomem:
    snprintf(err, errlen, "%s: out of memory", path);
    rc = -1;
done:
    free(line);
    free(prev_copy);
    free(r.text.v);
    free(r.sents.v);
    free(r.gold.v);
    fclose(f);
    if (!rc && !c->ndocs) {
        snprintf(err, errlen, "%s: no sentences", path);
        rc = -1;
    }
    return rc;
}

void ent_corpus_free(ent_corpus *c) {
    for (size_t i = 0; i < c->ndocs; i++) {
        ent_doc *d = &c->docs[i];
        free(d->text);
        slc_tokens_free(&d->tok);
        free(d->sent);
        free(d->gold);
        free(d->tags);
    }
    free(c->docs);
    memset(c, 0, sizeof *c);
}
