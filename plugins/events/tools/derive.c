/*
 * sluice-events-derive: builds the events plugin's data from PETRARCH's dictionaries (MIT).
 *
 *   sluice-events-derive lexicon CAMEO_TABLE CURATED.tsv CAMEO.2.0.txt > data/lexicon.tsv
 *   sluice-events-derive actors CURATED.tsv ACTORS_OR_AGENTS.txt... > data/actors.tsv
 *
 * The lexicon is the curated lines first (they win over derived ones for the same phrase),
 * then every verb and usable pattern of the verb dictionary whose code is in the CAMEO table.
 * The actor table is the curated lines first, then every phrase of the actor and agent
 * dictionaries with its codes and dates. See docs/events-data.md.
 */
#include "actors.h"
#include "cameo.h"
#include "dict.h"
#include "lexicon.h"
#include "petrarch.h"
#include "tsv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(void) {
    fprintf(stderr, "usage: sluice-events-derive lexicon CAMEO_TABLE CURATED.tsv VERBS.txt\n"
                    "       sluice-events-derive actors CURATED.tsv DICTIONARY.txt...\n");
    return 2;
}

/* Copy a curated file's lines (comments too) to standard output. */
static int copy_curated(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return 1;
    }
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        fwrite(buf, 1, n, stdout);
    fclose(f);
    return 0;
}

typedef struct lex_ctx {
    const ev_cameo *cameo;
    ev_wordset seen; /* phrases written (first wins) */
    size_t written, skipped;
} lex_ctx;

static uint64_t phrase_key(const char *s, size_t len) {
    return ev_word_hash(s, len);
}

/* Phrases of the curated file, so that derived lines do not repeat them. */
static int mark_curated(lex_ctx *lc, const char *path) {
    ev_tsv r;
    char err[512];
    if (ev_tsv_open(&r, path, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    ev_field f[3];
    while (ev_tsv_next(&r, f, 3) > 0)
        ev_wordset_add(&lc->seen, phrase_key(f[0].s, f[0].len), 1);
    ev_tsv_close(&r);
    return 0;
}

static int code_ok(const ev_cameo *cameo, const char *code) {
    if (strcmp(code, "-") == 0)
        return 1;
    const char *colon = strchr(code, ':');
    size_t l1 = colon ? (size_t)(colon - code) : strlen(code);
    if (ev_cameo_find(cameo, code, l1) < 0)
        return 0;
    return !colon || ev_cameo_find(cameo, colon + 1, strlen(colon + 1)) >= 0;
}

static int lex_line(void *ctx, const char *phrase, const char *code, const char *block) {
    lex_ctx *lc = ctx;
    size_t len = strlen(phrase);
    if (ev_lexicon_phrase_error(phrase, len) || !code_ok(lc->cameo, code)) {
        lc->skipped++;
        return 0;
    }
    uint64_t k = phrase_key(phrase, len);
    if (ev_wordset_get(&lc->seen, k))
        return 0;
    if (ev_wordset_add(&lc->seen, k, 1))
        return -1;
    printf("%s\t%s\tCAMEO.2.0.txt %s\n", phrase, code, block);
    lc->written++;
    return 0;
}

static int derive_lexicon(int argc, char **argv) {
    if (argc != 5)
        return usage();
    ev_cameo cameo;
    char err[1024];
    if (ev_cameo_load(&cameo, argv[2], err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    lex_ctx lc = {.cameo = &cameo};
    int rc = mark_curated(&lc, argv[3]) || copy_curated(argv[3]);
    if (!rc) {
        printf("\n# Derived by sluice-events-derive from PETRARCH's CAMEO.2.0.txt (MIT): "
               "docs/events-data.md\n");
        if (ev_petrarch_verbs(argv[4], lex_line, &lc, err, sizeof err)) {
            fprintf(stderr, "%s\n", err);
            rc = 1;
        }
    }
    fprintf(stderr, "sluice-events-derive: %zu derived lines, %zu patterns skipped\n", lc.written,
            lc.skipped);
    ev_wordset_free(&lc.seen);
    ev_cameo_free(&cameo);
    return rc;
}

/* Phrases in the order they were added, with their actor. */
typedef struct phrase_list {
    char **text;
    long *id;
    size_t n, cap;
} phrase_list;

static int keep_phrase(void *ctx, long id, const char *s, size_t len) {
    phrase_list *pl = ctx;
    if (pl->n == pl->cap) {
        size_t cap = pl->cap ? pl->cap * 2 : 4096;
        char **t = realloc(pl->text, cap * sizeof *t);
        long *i = realloc(pl->id, cap * sizeof *i);
        if (t)
            pl->text = t;
        if (i)
            pl->id = i;
        if (!t || !i)
            return SL_ENOMEM;
        pl->cap = cap;
    }
    char *p = malloc(len + 1);
    if (!p)
        return SL_ENOMEM;
    /* written the table's way: lower case, words apart */
    for (size_t k = 0; k < len; k++)
        p[k] = (char)(s[k] == '_' ? ' ' : (s[k] >= 'A' && s[k] <= 'Z' ? s[k] + 32 : s[k]));
    while (len && p[len - 1] == ' ')
        len--;
    size_t b = 0;
    while (b < len && p[b] == ' ')
        b++;
    memmove(p, p + b, len - b);
    p[len - b] = 0;
    pl->text[pl->n] = p;
    pl->id[pl->n] = id;
    pl->n++;
    return SL_OK;
}

static void print_dates(const ev_actor_code *c) {
    if (c->from && c->to != INT32_MAX)
        printf("%08d-%08d", (int)c->from, (int)c->to);
    else if (c->from)
        printf(">%08d", (int)c->from);
    else if (c->to != INT32_MAX)
        printf("<%08d", (int)c->to);
}

static int derive_actors(int argc, char **argv) {
    if (argc < 4)
        return usage();
    ev_actors a;
    ev_actors_init(&a);
    phrase_list pl = {0};
    char err[1024];
    /* the curated phrases first, so that derived ones do not repeat them */
    int rc = ev_actors_load_tsv(&a, argv[2], err, sizeof err);
    if (rc)
        fprintf(stderr, "%s\n", err);
    else
        rc = copy_curated(argv[2]);
    a.on_phrase = keep_phrase;
    a.on_phrase_ctx = &pl;
    size_t skipped = 0;
    for (int i = 3; !rc && i < argc; i++) {
        size_t sk = 0;
        rc = ev_petrarch_actors(&a, argv[i], err, sizeof err, &sk);
        if (rc)
            fprintf(stderr, "%s\n", err);
        skipped += sk;
    }
    if (!rc) {
        printf("\n# Derived by sluice-events-derive from PETRARCH's Phoenix dictionaries (MIT): "
               "docs/events-data.md\n");
        for (size_t k = 0; k < pl.n; k++) {
            const ev_actor *ac = &a.v[pl.id[k]];
            for (uint32_t j = 0; j < ac->n; j++) {
                const ev_actor_code *c = &a.codes[ac->first + j];
                if (strchr(pl.text[k], '\t') || !pl.text[k][0])
                    continue;
                size_t cl = strlen(c->code);
                int prefix = cl && c->code[cl - 1] == '~';
                printf("%s\t%s%s", pl.text[k], ac->agent && !prefix ? "~" : "", c->code);
                if (c->from || c->to != INT32_MAX)
                    printf("\t");
                print_dates(c);
                printf("\n");
            }
        }
    }
    fprintf(stderr, "sluice-events-derive: %zu phrases, %zu codes with bad dates left out\n", pl.n,
            skipped);
    for (size_t k = 0; k < pl.n; k++)
        free(pl.text[k]);
    free(pl.text);
    free(pl.id);
    ev_actors_free(&a);
    return rc ? 1 : 0;
}

int main(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "lexicon") == 0)
        return derive_lexicon(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "actors") == 0)
        return derive_actors(argc, argv);
    return usage();
}
