/* Feature families of the entities tagger, on sentences written for each family. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "featureset.h"
#include "tokenizer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A document of one or more sentences (one per line) with its properties prepared. */
typedef struct doc {
    const char *text;
    slc_tokens tok;
    size_t sent[64];
    size_t nsent;
    ent_fx fx;
} doc;

static void doc_open(doc *d, const char *text, const ent_clusters *cl) {
    memset(d, 0, sizeof *d);
    d->text = text;
    assert_int_equal(slc_tokenize(text, strlen(text), &d->tok), SL_OK);
    size_t b = 0;
    for (size_t i = 0; i < d->tok.n; i++)
        if (i > b && (d->tok.v[i].flags & SL_TOKF_NEWLINE_BEFORE)) {
            d->sent[2 * d->nsent] = b;
            d->sent[2 * d->nsent++ + 1] = i;
            b = i;
        }
    d->sent[2 * d->nsent] = b;
    d->sent[2 * d->nsent++ + 1] = d->tok.n;
    ent_fx_init(&d->fx, 4, cl);
    assert_int_equal(ent_fx_prepare(&d->fx, text, d->tok.v, d->tok.n, d->sent, d->nsent), SL_OK);
}

static void doc_close(doc *d) {
    ent_fx_free(&d->fx);
    slc_tokens_free(&d->tok);
}

/* Index of the token with this text (the first from `from`). */
static size_t find(const doc *d, const char *word, size_t from) {
    for (size_t i = from; i < d->tok.n; i++)
        if (d->tok.v[i].end - d->tok.v[i].start == strlen(word) &&
            !memcmp(d->text + d->tok.v[i].start, word, strlen(word)))
            return i;
    fail_msg("no token '%s'", word);
    return 0;
}

/* The sentence [s, e) holding token i. */
static void sentence_of(const doc *d, size_t i, size_t *s, size_t *e) {
    for (size_t k = 0; k < d->nsent; k++)
        if (i >= d->sent[2 * k] && i < d->sent[2 * k + 1]) {
            *s = d->sent[2 * k];
            *e = d->sent[2 * k + 1];
            return;
        }
    fail();
}

static size_t feats(const doc *d, size_t i, uint64_t *out) {
    size_t s = 0, e = 0;
    sentence_of(d, i, &s, &e);
    size_t n = ent_features_static(&d->fx, s, e, i, out);
    assert_true(n > 0 && n <= ENT_MAX_FEATS - ENT_MAX_HIST_FEATS);
    return n;
}

/* How many features of token i in a are not among those of token j in b. */
static size_t differ(const doc *a, size_t i, const doc *b, size_t j) {
    uint64_t fa[ENT_MAX_FEATS], fb[ENT_MAX_FEATS];
    size_t na = feats(a, i, fa), nb = feats(b, j, fb), d = 0;
    for (size_t x = 0; x < na; x++) {
        int found = 0;
        for (size_t y = 0; y < nb && !found; y++)
            found = fa[x] == fb[y];
        d += !found;
    }
    return d;
}

static void test_word_and_case_flags(void **state) {
    (void)state;
    doc d;
    doc_open(&d, "Kerry met NATO officials in McAllen on 12 May.", NULL);
    const ent_tok *t = d.fx.tok;
    assert_true(t[find(&d, "Kerry", 0)].flags & ENT_T_INITCAP);
    assert_false(t[find(&d, "Kerry", 0)].flags & ENT_T_ALLCAPS);
    assert_true(t[find(&d, "NATO", 0)].flags & ENT_T_ALLCAPS);
    assert_true(t[find(&d, "officials", 0)].flags & ENT_T_LOWER);
    assert_true(t[find(&d, "McAllen", 0)].flags & ENT_T_MIXED);
    assert_true(t[find(&d, "12", 0)].flags & ENT_T_DIGIT);
    assert_false(t[find(&d, "12", 0)].flags & ENT_T_ALPHA);
    /* Not a headline: no token carries the capitals-sentence bit. */
    for (size_t i = 0; i < d.tok.n; i++)
        assert_false(t[i].flags & ENT_T_SENTCAPS);
    doc_close(&d);
}

static void test_lowercase_and_digits(void **state) {
    (void)state;
    doc a, b;
    doc_open(&a, "Reuters said on 1996-08-22 that Paris fell.", NULL);
    doc_open(&b, "REUTERS said on 2001-11-30 that paris fell.", NULL);
    /* The normalised form ignores case and which digits: dates share it. */
    assert_true(a.fx.tok[0].norm == b.fx.tok[0].norm);
    assert_true(a.fx.tok[0].word != b.fx.tok[0].word);
    assert_true(a.fx.tok[3].norm == b.fx.tok[3].norm);
    assert_true(a.fx.tok[find(&a, "Paris", 0)].norm == b.fx.tok[find(&b, "paris", 0)].norm);
    doc_close(&a);
    doc_close(&b);
}

static void test_shapes(void **state) {
    (void)state;
    doc d;
    doc_open(&d, "Kerry Lavrov U.S. U.N. al-Qaeda AB-12 Zx", NULL);
    const ent_tok *t = d.fx.tok;
    /* Runs cut at four: Xxxxx for both names; U.S. and U.N. share X.X. */
    assert_true(t[0].shape == t[1].shape);
    assert_true(t[2].shape == t[3].shape);
    assert_true(t[0].shape != t[4].shape);
    /* Short shapes collapse runs: Kerry and Zx are both Xx, AB-12 is X-d, not Xx. */
    assert_true(t[0].sshape == t[6].sshape);
    assert_true(t[0].shape != t[6].shape);
    assert_true(t[5].sshape != t[0].sshape);
    assert_true(t[4].flags & ENT_T_HYPHEN);
    assert_true(t[2].flags & ENT_T_PERIOD);
    doc_close(&d);
}

static void test_prefixes_and_suffixes(void **state) {
    (void)state;
    doc d;
    doc_open(&d, "Germany Hungary Gerhard ran", NULL);
    const ent_tok *t = d.fx.tok;
    assert_true(t[0].suf[0] == t[1].suf[0]); /* -y */
    assert_true(t[0].suf[1] != t[1].suf[1]); /* -ny, -ry */
    assert_true(t[0].pre[2] == t[2].pre[2]); /* ger- */
    assert_true(t[0].pre[3] != t[2].pre[3]); /* germ-, gerh- */
    assert_true(t[3].pre[1] != 0);           /* ra- */
    assert_true(t[3].pre[2] == 0);           /* no prefix as long as the word */
    assert_true(t[3].suf[2] == 0);
    doc_close(&d);
}

static void test_window_of_two(void **state) {
    (void)state;
    doc a, b, c, e;
    doc_open(&a, "talks with Kerry in Geneva today", NULL);
    doc_open(&b, "talks with Kerry in Vienna today", NULL);   /* two to the right of Kerry */
    doc_open(&c, "talks with Kerry in Geneva tonight", NULL); /* three to the right */
    doc_open(&e, "talks with Kerry at Geneva today", NULL);   /* next to Kerry */
    size_t ka = find(&a, "Kerry", 0);
    assert_int_equal(differ(&a, ka, &a, ka), 0);
    assert_true(differ(&a, ka, &b, ka) > 0);
    assert_int_equal(differ(&a, ka, &c, ka), 0);
    assert_true(differ(&a, ka, &e, ka) > differ(&a, ka, &b, ka)); /* bigrams too */
    doc_close(&a);
    doc_close(&b);
    doc_close(&c);
    doc_close(&e);
}

static void test_position_in_sentence(void **state) {
    (void)state;
    doc a, b;
    doc_open(&a, "Kerry said so\nthen Kerry said so", NULL);
    doc_open(&b, "then Kerry said so\nKerry said so", NULL);
    /* The first Kerry opens its sentence, the second does not: features differ by position
     * only, and the documents mirror each other. */
    size_t a1 = find(&a, "Kerry", 0), a2 = find(&a, "Kerry", a1 + 1);
    size_t b1 = find(&b, "Kerry", 0), b2 = find(&b, "Kerry", b1 + 1);
    assert_true(differ(&a, a1, &a, a2) > 0);
    assert_int_equal(differ(&a, a1, &b, b2), 0);
    assert_int_equal(differ(&a, a2, &b, b1), 0);
    doc_close(&a);
    doc_close(&b);
}

static void test_headline_in_capitals(void **state) {
    (void)state;
    doc d;
    doc_open(&d, "LEICESTERSHIRE TAKE OVER AT TOP\nThen Leicestershire beat Somerset.", NULL);
    size_t h = find(&d, "LEICESTERSHIRE", 0), w = find(&d, "Leicestershire", 0);
    assert_true(d.fx.tok[h].flags & ENT_T_SENTCAPS);
    assert_false(d.fx.tok[w].flags & ENT_T_SENTCAPS);
    /* Written capitalised in running text elsewhere in the document; "TOP" never is. */
    assert_true(d.fx.tok[h].casing & ENT_C_TITLE_MID);
    assert_int_equal(d.fx.tok[find(&d, "TOP", 0)].casing, 0);
    doc_close(&d);
}

static void test_document_casing(void **state) {
    (void)state;
    doc a, b;
    doc_open(&a, "Bill said it\nthe bill passed", NULL);
    doc_open(&b, "Bill said it\nand Bill left", NULL);
    assert_true(a.fx.tok[0].casing & ENT_C_LOWER);
    assert_false(b.fx.tok[0].casing & ENT_C_LOWER);
    assert_true(b.fx.tok[0].casing & ENT_C_TITLE_MID);
    assert_true(differ(&a, 0, &b, 0) > 0);
    doc_close(&a);
    doc_close(&b);
}

static void test_clusters(void **state) {
    (void)state;
    char path[] = "/tmp/ent-clusters-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    static const char tsv[] = "Paris\t0011010\t50\nVienna\t0011011\t40\nJohn\t1100\t90\n";
    assert_int_equal(write(fd, tsv, sizeof tsv - 1), (ssize_t)(sizeof tsv - 1));
    close(fd);
    ent_clusters cl;
    char err[256];
    assert_int_equal(ent_clusters_load_tsv(&cl, path, err, sizeof err), 0);
    remove(path);
    assert_int_equal(ent_clusters_count(&cl), 3);
    assert_int_equal(ent_clusters_find(&cl, "Paris", 5), (0x1aULL << 8) | 7);
    doc d;
    doc_open(&d, "in Paris and Vienna with John and PARIS and vienna and Oslo", &cl);
    const ent_tok *t = d.fx.tok;
    assert_true(t[find(&d, "Paris", 0)].cluster != 0);
    /* Capitals and lower case find the usual spelling; unknown words have none. */
    assert_true(t[find(&d, "PARIS", 0)].cluster == t[find(&d, "Paris", 0)].cluster);
    assert_true(t[find(&d, "vienna", 0)].cluster == t[find(&d, "Vienna", 0)].cluster);
    assert_int_equal(t[find(&d, "Oslo", 0)].cluster, 0);
    /* Paris and Vienna share the 4- and 6-bit prefixes, not the full path: some cluster
     * features are the same, and the word features differ. */
    size_t p = find(&d, "Paris", 0), v = find(&d, "Vienna", 0), j = find(&d, "John", 0);
    uint64_t fp[ENT_MAX_FEATS], fv[ENT_MAX_FEATS];
    size_t np = feats(&d, p, fp), nv = feats(&d, v, fv), shared = 0;
    for (size_t x = 0; x < np; x++)
        for (size_t y = 0; y < nv; y++)
            shared += fp[x] == fv[y];
    assert_true(shared >= 3); /* bias, and prefixes 4 and 6 */
    assert_true(t[p].cluster != t[j].cluster);
    doc_close(&d);
    ent_clusters_free(&cl);
    /* A malformed line is an error naming the file and line. */
    memcpy(path + strlen(path) - 6, "XXXXXX", 6);
    fd = mkstemp(path);
    static const char bad[] = "Paris\t0011010\t50\nVienna\t00x1\t3\n";
    assert_int_equal(write(fd, bad, sizeof bad - 1), (ssize_t)(sizeof bad - 1));
    close(fd);
    assert_int_not_equal(ent_clusters_load_tsv(&cl, path, err, sizeof err), 0);
    assert_non_null(strstr(err, ":2: "));
    remove(path);
}

static void test_gazetteer_fields(void **state) {
    (void)state;
    doc a, b;
    doc_open(&a, "talks in Staffan de Mistura today", NULL);
    doc_open(&b, "talks in Staffan de Mistura today", NULL);
    size_t i = find(&b, "Staffan", 0);
    b.fx.tok[i].gaz = 1u << 3;
    b.fx.tok[i].gaz_pos = 1;
    assert_int_equal(differ(&b, i, &a, i), 2);         /* the class with its place, the mask */
    assert_int_equal(differ(&b, i + 1, &a, i + 1), 1); /* the class of the word before */
    assert_int_equal(differ(&b, i - 1, &a, i - 1), 1); /* the class of the word after */
    assert_int_equal(differ(&b, i + 2, &a, i + 2), 0);
    assert_int_equal(differ(&a, i, &b, i), 0);
    doc_close(&a);
    doc_close(&b);
}

static void test_label_history(void **state) {
    (void)state;
    doc d;
    doc_open(&d, "Kerry met Lavrov\nKerry left\nLavrov stayed", NULL);
    uint64_t h[ENT_MAX_HIST_FEATS];
    size_t k2 = find(&d, "Kerry", 1);
    assert_int_equal(ent_features_history(&d.fx, k2, h), 0); /* nothing tagged yet */
    uint8_t types[3] = {1, 0, 1};                            /* Kerry PER, met O, Lavrov PER */
    ent_fx_history_add(&d.fx, 0, 3, types);
    assert_true(ent_features_history(&d.fx, k2, h) >= 2); /* majority and entity type */
    uint64_t h2[ENT_MAX_HIST_FEATS];
    size_t left = find(&d, "left", 0);
    assert_int_equal(ent_features_history(&d.fx, left, h2), 0);
    /* A different type gives different features. */
    uint8_t loc[1] = {3};
    size_t n1 = ent_features_history(&d.fx, find(&d, "Lavrov", 3), h2);
    ent_fx_history_reset(&d.fx);
    ent_fx_history_add(&d.fx, 2, 3, loc);
    uint64_t h3[ENT_MAX_HIST_FEATS];
    size_t n2 = ent_features_history(&d.fx, find(&d, "Lavrov", 3), h3);
    assert_true(n1 > 0 && n2 > 0);
    assert_true(h2[0] != h3[0]);
    doc_close(&d);
}

static void test_document_labels(void **state) {
    (void)state;
    doc d;
    doc_open(&d, "KERRY VISITS\nKerry met Lavrov\nthen Kerry left", NULL);
    uint64_t h[ENT_MAX_DOC_FEATS], h2[ENT_MAX_DOC_FEATS];
    /* First-pass types: the headline's KERRY missed (O), the two others PER. */
    uint8_t types[8] = {0, 0, 1, 0, 1, 0, 1, 0};
    ent_fx_doc_add(&d.fx, types);
    size_t head = find(&d, "KERRY", 0), later = find(&d, "Kerry", 3);
    /* The headline's mention sees the two PER elsewhere; its own O is left out. */
    size_t n = ent_features_doc(&d.fx, head, types[head], h);
    assert_int_equal(n, 2);
    /* The later one sees one PER and one O elsewhere: no PER majority, though PER is still
     * the entity type seen. */
    size_t m = ent_features_doc(&d.fx, later, types[later], h2);
    assert_int_equal(m, 2);
    assert_true(h[0] != h2[0]);
    /* A word seen once has nothing elsewhere. */
    assert_int_equal(ent_features_doc(&d.fx, find(&d, "met", 0), 0, h), 0);
    doc_close(&d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_word_and_case_flags),
        cmocka_unit_test(test_lowercase_and_digits),
        cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_prefixes_and_suffixes),
        cmocka_unit_test(test_window_of_two),
        cmocka_unit_test(test_position_in_sentence),
        cmocka_unit_test(test_headline_in_capitals),
        cmocka_unit_test(test_document_casing),
        cmocka_unit_test(test_clusters),
        cmocka_unit_test(test_gazetteer_fields),
        cmocka_unit_test(test_label_history),
        cmocka_unit_test(test_document_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
