/* The plugin's data: the CAMEO table's facts, the lexicon's coverage of every CAMEO root, and
 * clear FILE:LINE errors for malformed lexicon, actor table, CAMEO table and PETRARCH
 * dictionary files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "actors.h"
#include "cameo.h"
#include "lexicon.h"
#include "petrarch.h"
#include "test_util.h"
#include "tsv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ev_cameo cameo;

static int setup(void **state) {
    (void)state;
    char err[1024];
    if (ev_cameo_load(&cameo, tu_src("plugins/events/data/cameo.tsv"), err, sizeof err))
        fail_msg("%s", err);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    ev_cameo_free(&cameo);
    tu_cleanup();
    return 0;
}

static void test_cameo_facts(void **state) {
    (void)state;
    for (size_t i = 0; i < cameo.n; i++) {
        const ev_code *c = &cameo.v[i];
        int root = atoi(c->root);
        assert_true(root >= 1 && root <= 20);
        assert_int_equal(c->quad, root <= 5 ? 1 : root <= 8 ? 2 : root <= 13 ? 3 : 4);
        assert_true(c->goldstein >= -10 && c->goldstein <= 10);
        /* cooperation scores above conflict */
        if (root >= 14)
            assert_true(c->goldstein < 0);
        if (root >= 4 && root <= 8)
            assert_true(c->goldstein > 0);
        if (c->intent >= 0)
            assert_memory_equal(cameo.v[c->intent].root, "03", 2);
    }
    int i = ev_cameo_find(&cameo, "0871", 4);
    assert_true(i >= 0);
    assert_string_equal(cameo.v[i].name, "Declare truce, ceasefire");
    assert_string_equal(cameo.v[cameo.v[i].intent].code, "0356");
}

static void test_lexicon_covers_roots(void **state) {
    (void)state;
    ev_lexicon lx;
    ev_lexicon_init(&lx);
    char err[1024];
    if (ev_lexicon_load_tsv(&lx, &cameo, tu_src("plugins/events/data/lexicon.tsv"), err,
                            sizeof err))
        fail_msg("%s", err);
    int roots[21] = {0};
    for (size_t i = 0; i < lx.n; i++)
        if (lx.v[i].kind == EV_TRIG_EVENT)
            roots[atoi(lx.v[i].code) / (strlen(lx.v[i].code) == 4 ? 100 : 10)]++;
    for (int r = 1; r <= 20; r++)
        if (!roots[r])
            fail_msg("no trigger for root %02d", r);
    ev_lexicon_free(&lx);
}

/* Loading `text` as a lexicon fails with an error that contains `want`. */
static void bad_lexicon(const char *text, const char *want) {
    const char *path = tu_write("bad.tsv", text, strlen(text));
    ev_lexicon lx;
    ev_lexicon_init(&lx);
    char err[1024] = "";
    assert_int_equal(ev_lexicon_load_tsv(&lx, &cameo, path, err, sizeof err), SL_ECONFIG);
    tu_assert_contains(err, want);
    tu_assert_contains(err, path);
    ev_lexicon_free(&lx);
}

static void test_malformed_lexicon(void **state) {
    (void)state;
    bad_lexicon("meet\t040\nmeet with\n", "bad.tsv:2: expected a phrase, a tab and a code");
    bad_lexicon("# notes\n\nmeet\t999\n", "bad.tsv:3: code '999': not a code of the CAMEO table");
    bad_lexicon("meet\tabc\n", "bad.tsv:1: code 'abc'");
    bad_lexicon("... meet\t040\n",
                "bad.tsv:1: phrase '... meet': a phrase cannot start with a gap");
    bad_lexicon("meet with ...\t040\n", "cannot end with a gap");
    bad_lexicon("meet ... ... with\t040\n", "two gaps (...) in a row");
    bad_lexicon("meet with|at\t040\n", "only the first word may list irregular forms");
    bad_lexicon("meet||met\t040\n", "an empty form");
    bad_lexicon("a b c d e f g h i j k l m n o p q\t040\n", "too many words");
    bad_lexicon("meet [x]\t040\n", "a character that no token has");
}

static void test_malformed_actor_table(void **state) {
    (void)state;
    static const char *const cases[][2] = {
        {"syria\tSYR\nrussia\n", "bad.tsv:2: expected a phrase, a tab and a code"},
        {"syria\tsyr\n", "bad.tsv:1: code 'syr'"},
        {"syria\tSYR\tsoon\n", "bad.tsv:1: dates 'soon'"},
        {"kerry\tUSAGOV\t20130201-20100101\n", "bad.tsv:1: dates"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *path = tu_write("bad.tsv", cases[i][0], strlen(cases[i][0]));
        ev_actors a;
        ev_actors_init(&a);
        char err[1024] = "";
        assert_int_equal(ev_actors_load_tsv(&a, path, err, sizeof err), SL_ECONFIG);
        tu_assert_contains(err, cases[i][1]);
        ev_actors_free(&a);
    }
}

static void test_malformed_cameo_table(void **state) {
    (void)state;
    static const char *const cases[][2] = {
        {"code\troot\tquad\tgoldstein\tintent\tname\n040\t04\t1\t1.0\t-\n",
         "bad.tsv:2: expected 6"},
        {"040\t04\t1\t1.0\t-\tConsult\n", "bad.tsv:1: expected the header line"},
        {"code\troot\tquad\tgoldstein\tintent\tname\n040\t05\t1\t1.0\t-\tConsult\n",
         "bad.tsv:2: root '05'"},
        {"code\troot\tquad\tgoldstein\tintent\tname\n040\t04\t5\t1.0\t-\tConsult\n",
         "bad.tsv:2: quad class '5'"},
        {"code\troot\tquad\tgoldstein\tintent\tname\n040\t04\t1\t11\t-\tConsult\n",
         "bad.tsv:2: Goldstein value '11'"},
        {"code\troot\tquad\tgoldstein\tintent\tname\n040\t04\t1\t1\t036\tConsult\n",
         "intent code 036 of 040 is not in the table"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *path = tu_write("bad.tsv", cases[i][0], strlen(cases[i][0]));
        ev_cameo t;
        char err[1024] = "";
        assert_int_equal(ev_cameo_load(&t, path, err, sizeof err), SL_ECONFIG);
        tu_assert_contains(err, cases[i][1]);
    }
}

static int count_verbs(void *ctx, const char *phrase, const char *code, const char *block) {
    (void)phrase;
    (void)code;
    (void)block;
    (*(int *)ctx)++;
    return 0;
}

static void test_petrarch_dictionaries(void **state) {
    (void)state;
    /* a well-formed actor and agent dictionary, PETRARCH style */
    static const char actors[] = "<!-- a test dictionary -->\n"
                                 "ARNOR_  [ARN]\n"
                                 "+ARNORIAN # a synonym\n"
                                 "KING_ELESSAR\n"
                                 "+ARAGORN\n"
                                 "\t[ARNGOV 950101-991231]\n"
                                 "\t[ARNELI]\n"
                                 "!PERSON! = MAN, MEN\n"
                                 "MILITIA!PERSON! [~MIL]\n"
                                 "MINISTER {} [~GOV]\n"
                                 "RELIEF_AGENCY [NGO~]\n";
    const char *path = tu_write("actors.txt", actors, sizeof actors - 1);
    ev_actors a;
    ev_actors_init(&a);
    char err[1024] = "";
    if (ev_petrarch_actors(&a, path, err, sizeof err, NULL))
        fail_msg("%s", err);
    uint64_t h[2] = {ev_word_hash("aragorn", 7), 0};
    ev_match m;
    assert_true(ev_dict_match(&a.dict, h, NULL, 1, 0, &m));
    assert_string_equal(ev_actor_code_at(&a, m.value, 19960101), "ARNGOV");
    assert_string_equal(ev_actor_code_at(&a, m.value, 20050101), "ARNELI");
    h[0] = ev_word_hash("militiamen", 10);
    assert_true(ev_dict_match(&a.dict, h, NULL, 1, 0, &m));
    assert_true(a.v[m.value].agent);
    h[0] = ev_word_hash("ministers", 9); /* {}: no plural */
    assert_false(ev_dict_match(&a.dict, h, NULL, 1, 0, &m));
    ev_actors_free(&a);

    /* malformed: an unclosed code, a synonym before any actor */
    static const char *const bad[][2] = {
        {"ARNOR [ARN\n", "bad.txt:1: '[' without ']'"},
        {"# nothing yet\n+ARNORIAN\n", "bad.txt:2: a synonym (+) before any actor"},
        {"\t[ARN]\n", "bad.txt:1: a code before any actor"},
        {"ARNOR_OF_!KING! [ARN]\n", "bad.txt:1: unknown substitution !KING!"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        path = tu_write("bad.txt", bad[i][0], strlen(bad[i][0]));
        ev_actors_init(&a);
        assert_int_equal(ev_petrarch_actors(&a, path, err, sizeof err, NULL), SL_ECONFIG);
        tu_assert_contains(err, bad[i][1]);
        ev_actors_free(&a);
    }

    /* verbs: a block, irregular forms, a pattern; then malformed ones */
    static const char verbs[] = "&WEAPON\n+GUN\n+RIFLE\n\n"
                                "--- ATTACK [190] ---\n"
                                "ATTACK\n"
                                "SHOOT {SHOOTS SHOT SHOOTING}\n"
                                "- * WITH &WEAPON [193] # SHOOT\n"
                                "- * (ON +) [190]\n";
    path = tu_write("verbs.txt", verbs, sizeof verbs - 1);
    int n = 0;
    if (ev_petrarch_verbs(path, count_verbs, &n, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(n, 2 + 2 + 2); /* two verbs; two weapons for SHOOT; ON for both */
    static const char *const badv[][2] = {
        {"- * TIES [064]\n", "bad.txt:1: a pattern outside a verb block"},
        {"--- MEET [040] ---\nMEET\n- * WITH\n", "bad.txt:3: a pattern without a [code]"},
        {"--- MEET [040] ---\nMEET\n- * WITH [040\n", "bad.txt:3: '[' without ']'"},
        {"MEET\n", "bad.txt:1: a verb outside a verb block"},
    };
    for (size_t i = 0; i < sizeof badv / sizeof *badv; i++) {
        path = tu_write("bad.txt", badv[i][0], strlen(badv[i][0]));
        assert_int_equal(ev_petrarch_verbs(path, count_verbs, &n, err, sizeof err), SL_ECONFIG);
        tu_assert_contains(err, badv[i][1]);
    }
}

static void test_missing_file(void **state) {
    (void)state;
    ev_lexicon lx;
    ev_lexicon_init(&lx);
    char err[1024];
    assert_int_equal(ev_lexicon_load_tsv(&lx, &cameo, "/nonexistent/lexicon.tsv", err, sizeof err),
                     SL_ECONFIG);
    tu_assert_contains(err, "/nonexistent/lexicon.tsv: cannot open");
    ev_lexicon_free(&lx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cameo_facts),           cmocka_unit_test(test_lexicon_covers_roots),
        cmocka_unit_test(test_malformed_lexicon),     cmocka_unit_test(test_malformed_actor_table),
        cmocka_unit_test(test_malformed_cameo_table), cmocka_unit_test(test_petrarch_dictionaries),
        cmocka_unit_test(test_missing_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
