/* Training: CoNLL reading and alignment, and a run on a small corpus written here that must
 * reach a known F1 on documents with names it never saw; the same seed gives the same model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "train.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];

static const char *write_file(const char *name, const char *data) {
    static char p[4][128];
    static int slot;
    char *path = p[slot++ % 4];
    snprintf(path, 128, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(data, f);
    fclose(f);
    return path;
}

static int setup(void **state) {
    (void)state;
    strcpy(dir, "/tmp/ent-train-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_read_and_align(void **state) {
    (void)state;
    /* IOB1 (I- opens an entity) and IOB2 read the same; "Syria 's" keeps its entity edge. */
    const char *p = write_file("a.txt", "-DOCSTART- -X- O O\n\n"
                                        "Kerry NNP I-NP I-PER\nmet VBD O O\n"
                                        "Sergei NNP I-NP I-PER\nLavrov NNP I-NP I-PER\n"
                                        "in IN O O\nSyria NNP I-NP I-LOC\n's POS O O\n"
                                        "capital NN O O\n. . O O\n\n"
                                        "U.S. NNP O B-LOC\nofficials NNS O O\n\n");
    ent_corpus c = {0};
    char err[256];
    assert_int_equal(ent_conll_read(&c, p, ENT_JOIN_SPACES, ENT_CASE_ASIS, err, sizeof err), 0);
    assert_int_equal(c.ndocs, 1);
    assert_int_equal(c.ntypes, 2);
    assert_string_equal(c.types[0], "PER");
    const ent_doc *d = &c.docs[0];
    assert_string_equal(d->text, "Kerry met Sergei Lavrov in Syria 's capital .\nU.S. officials");
    assert_int_equal(d->nsent, 2);
    assert_int_equal(d->ngold, 4);
    assert_int_equal(d->gold[1].start, 10);
    assert_int_equal(d->gold[1].end, 23);
    assert_int_equal(d->tags[0], ent_tag(0, ENT_U));
    assert_int_equal(d->tags[2], ent_tag(0, ENT_B));
    assert_int_equal(d->tags[3], ent_tag(0, ENT_L));
    assert_int_equal(d->tags[5], ent_tag(1, ENT_U));
    assert_int_equal(d->tags[6], 0);
    assert_int_equal(c.unaligned, 0);
    ent_corpus_free(&c);
    /* The spacing of raw text: no space before the clitic and the period; lower case. */
    assert_int_equal(ent_conll_read(&c, p, ENT_JOIN_NATURAL, ENT_CASE_LOWER, err, sizeof err), 0);
    assert_string_equal(c.docs[0].text,
                        "kerry met sergei lavrov in syria's capital.\nu.s. officials");
    assert_int_equal(c.docs[0].tags[5], ent_tag(1, ENT_U));
    ent_corpus_free(&c);
}

static void test_read_errors(void **state) {
    (void)state;
    ent_corpus c = {0};
    char err[512];
    const char *p = write_file("bad.txt", "Kerry NNP I-NP B-PER\nmet VBD O X-PER\n");
    assert_int_not_equal(ent_conll_read(&c, p, ENT_JOIN_SPACES, ENT_CASE_ASIS, err, sizeof err), 0);
    assert_non_null(strstr(err, "bad.txt:2: tag 'X-PER'"));
    ent_corpus_free(&c);
    /* A model's tag set is fixed: another type is refused. */
    c.ntypes = 1;
    strcpy(c.types[0], "PER");
    p = write_file("other.txt", "Paris NNP I-NP B-LOC\n");
    assert_int_not_equal(ent_conll_read(&c, p, ENT_JOIN_SPACES, ENT_CASE_ASIS, err, sizeof err), 0);
    assert_non_null(strstr(err, "other.txt:1: entity type 'LOC' is not in the model's tag set"));
    ent_corpus_free(&c);
    p = write_file("empty.txt", "\n\n");
    assert_int_not_equal(ent_conll_read(&c, p, ENT_JOIN_SPACES, ENT_CASE_ASIS, err, sizeof err), 0);
    assert_non_null(strstr(err, "no sentences"));
    ent_corpus_free(&c);
}

/* A corpus of news-like sentences; names are drawn from the lists at offset `off`. */
static char *make_corpus(int docs, int off) {
    static const char *first[] = {"John",  "Maria", "Ahmed",  "Olga", "Pedro", "Chen",
                                  "Sarah", "Ivan",  "Fatima", "Lars", "Yuki",  "Omar",
                                  "Anna",  "Kofi",  "Elena",  "Raj"};
    static const char *last[] = {"Smith",  "Garcia",  "Haddad", "Petrova", "Silva",  "Wang",
                                 "Miller", "Sokolov", "Nasser", "Berg",    "Tanaka", "Farouk",
                                 "Novak",  "Mensah",  "Rossi",  "Kumar"};
    static const char *city[] = {"Geneva", "Cairo",  "Lima",   "Oslo",  "Hanoi", "Accra",
                                 "Quito",  "Riga",   "Dakar",  "Minsk", "Perth", "Tunis",
                                 "Bogota", "Manila", "Zagreb", "Lusaka"};
    static const char *org[] = {"Acme",      "Globex",    "Initech", "Umbrella",
                                "Hooli",     "Vandelay",  "Stark",   "Wayne",
                                "Tyrell",    "Cyberdyne", "Soylent", "Aperture",
                                "Gringotts", "Monarch",   "Oscorp",  "Nakatomi"};
    size_t cap = 1 << 20, n = 0;
    char *s = malloc(cap);
    for (int d = 0; d < docs; d++) {
        n += (size_t)snprintf(s + n, cap - n, "-DOCSTART- -X- O O\n\n");
        for (int k = 0; k < 6; k++) {
            int i = (d * 7 + k * 3 + off) % 8 + off, j = (d * 5 + k) % 8 + off;
            const char *f = first[i], *l = last[j], *c = city[(i + j) % 8 + off],
                       *o = org[(i + 2 * j) % 8 + off];
            switch (k % 3) {
            case 0:
                n += (size_t)snprintf(s + n, cap - n,
                                      "Mr x O O\n%s x B-PER\n%s x I-PER\nsaid x O O\nin x O "
                                      "O\n%s x B-LOC\non x O O\nMonday x O O\n. x O O\n\n",
                                      f, l, c);
                break;
            case 1:
                n += (size_t)snprintf(s + n, cap - n,
                                      "Shares x O O\nof x O O\n%s x B-ORG\nCorp x I-ORG\nrose "
                                      "x O O\nin x O O\n%s x B-LOC\n. x O O\n\n",
                                      o, c);
                break;
            default:
                n += (size_t)snprintf(s + n, cap - n,
                                      "%s x B-PER\ntold x O O\nreporters x O O\nthat x O O\n%s "
                                      "x B-ORG\nCorp x I-ORG\nwould x O O\ngrow x O O\n. x O "
                                      "O\n\n",
                                      l, o);
                break;
            }
        }
    }
    return s;
}

static void test_training_run(void **state) {
    (void)state;
    char *train = make_corpus(30, 0), *test = make_corpus(8, 8);
    const char *tp = write_file("train.txt", train), *vp = write_file("test.txt", test);
    free(train);
    free(test);
    ent_corpus tc = {0}, vc = {0};
    char err[256];
    assert_int_equal(ent_conll_read(&tc, tp, ENT_JOIN_SPACES, ENT_CASE_ASIS, err, sizeof err), 0);
    vc.ntypes = tc.ntypes;
    memcpy(vc.types, tc.types, sizeof vc.types);
    assert_int_equal(ent_conll_read(&vc, vp, ENT_JOIN_SPACES, ENT_CASE_ASIS, err, sizeof err), 0);
    ent_train_opts o = {.hash_bits = 16, .epochs = 5, .seed = 7};
    ent_trained a, b;
    assert_int_equal(ent_train(&o, &tc, &vc, &a), SL_OK);
    /* Unseen names, cities and companies in the same contexts: all the people and companies
     * are found, and the cities but two ("Dakar" and "Bogota" end like the surnames the
     * training set has): P 1.0, R 0.8333, F1 0.9091. */
    printf("# held-out F1 %.4f at epoch %d\n", a.best_f1, a.best_epoch);
    assert_true(a.best_f1 >= 0.909);
    /* Deterministic for a seed. */
    assert_int_equal(ent_train(&o, &tc, &vc, &b), SL_OK);
    size_t nw = ((size_t)1 << o.hash_bits) * (size_t)a.ntags;
    assert_memory_equal(a.w, b.w, nw * sizeof(float));
    assert_int_equal(a.best_epoch, b.best_epoch);
    /* Two passes, the second with the document's first-pass labels: learns as well. */
    ent_train_opts o2 = o;
    o2.passes = 2;
    ent_trained c2;
    assert_int_equal(ent_train(&o2, &tc, &vc, &c2), SL_OK);
    printf("# two passes: held-out F1 %.4f at epoch %d\n", c2.best_f1, c2.best_epoch);
    assert_true(c2.best_f1 >= 0.909);
    assert_int_equal(c2.passes, 2);
    ent_trained_free(&c2);
    /* Scoring the model as the decoder reads it gives the same F1. */
    ent_weights w = ent_trained_weights(&a);
    ent_tagger tg;
    ent_tagger_init(&tg, tc.ntypes, NULL);
    ent_score sc = {.ntypes = tc.ntypes};
    for (size_t i = 0; i < vc.ndocs; i++) {
        uint8_t tags[256];
        assert_true(vc.docs[i].tok.n < sizeof tags);
        assert_int_equal(ent_tag_doc(&tg, &w, &vc.docs[i], NULL, NULL, tags), SL_OK);
        ent_score_doc(&sc, &vc.docs[i], tags);
    }
    assert_true(ent_score_f1(&sc, -1, NULL, NULL) == a.best_f1);
    ent_tagger_free(&tg);
    ent_trained_free(&a);
    ent_trained_free(&b);
    ent_corpus_free(&tc);
    ent_corpus_free(&vc);
}

static void test_scoring(void **state) {
    (void)state;
    const char *p = write_file("s.txt", "Kerry x O B-PER\nmet x O O\nSergei x O B-PER\nLavrov x O "
                                        "I-PER\nin x O O\nGeneva x O B-LOC\nAcme x O B-ORG\n\n");
    ent_corpus c = {0};
    char err[256];
    assert_int_equal(ent_conll_read(&c, p, ENT_JOIN_SPACES, ENT_CASE_ASIS, err, sizeof err), 0);
    const ent_doc *d = &c.docs[0];
    /* Right: Kerry; wrong edge: Lavrov alone; wrong type: Geneva as ORG; Acme missed. */
    uint8_t tags[7] = {(uint8_t)ent_tag(0, ENT_U), 0, 0, (uint8_t)ent_tag(0, ENT_U), 0,
                       (uint8_t)ent_tag(2, ENT_U), 0};
    ent_score s = {.ntypes = c.ntypes};
    ent_score_doc(&s, d, tags);
    double pr, re;
    double f1 = ent_score_f1(&s, -1, &pr, &re);
    assert_true(pr > 0.3333 && pr < 0.3334); /* 1 of 3 */
    assert_true(re == 0.25);                 /* 1 of 4 */
    assert_true(f1 > 0.2857 && f1 < 0.2858); /* 2/7 */
    assert_true(ent_score_f1(&s, 1, NULL, NULL) == 0);
    assert_true(ent_score_f1(&s, 0, NULL, NULL) == 0.5); /* PER: 1 of 2 right, 1 of 2 found */
    ent_corpus_free(&c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_and_align),
        cmocka_unit_test(test_read_errors),
        cmocka_unit_test(test_scoring),
        cmocka_unit_test(test_training_run),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
