/* Unit tests of canonical names (canonical.c): short person mentions to full names, before and
 * after, titles and possessives, ambiguity, organisation acronyms, and bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "canonical.h"
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PER = ENT_CANON_PER, ORG = ENT_CANON_ORG, LOC = ENT_CANON_LOC, MISC = ENT_CANON_MISC };

static ent_gaz *gaz;

static int setup(void **state) {
    (void)state;
    char err[512];
    gaz = ent_gaz_load(tu_src("plugins/entities/data/gazetteer.tsv"), err, sizeof err);
    if (!gaz)
        fail_msg("%s", err);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    ent_gaz_free(gaz);
    return 0;
}

/* A mention spec: the mention's text, which occurrence of it (1 = first), and its label. */
typedef struct spec {
    const char *text;
    int nth;
    unsigned label;
} spec;

#define MAXM 16

static size_t mentions(const char *text, const spec *s, size_t n, ent_canon_mention *m) {
    for (size_t i = 0; i < n; i++) {
        const char *p = text;
        for (int k = 0; k < s[i].nth; k++) {
            p = strstr(k ? p + 1 : p, s[i].text);
            if (!p)
                fail_msg("no occurrence %d of \"%s\"", s[i].nth, s[i].text);
        }
        m[i].start = (size_t)(p - text);
        m[i].end = m[i].start + strlen(s[i].text);
        m[i].label = s[i].label;
    }
    return n;
}

/* Resolves and compares canon[] with want[] (indices into the specs). */
static void expect_canon(const ent_gaz *titles, const char *text, const spec *s, size_t n,
                         const size_t *want) {
    ent_canon_mention m[MAXM];
    size_t canon[MAXM];
    mentions(text, s, n, m);
    ent_canon *c = ent_canon_new(titles);
    assert_non_null(c);
    assert_int_equal(ent_canon_resolve(c, text, strlen(text), m, n, canon), 0);
    for (size_t i = 0; i < n; i++)
        if (canon[i] != want[i])
            fail_msg("in \"%s\": \"%s\" (#%zu) -> #%zu, want #%zu", text, s[i].text, i, canon[i],
                     want[i]);
    ent_canon_free(c);
}

#define CANON(titles, text, specs, ...)                                                            \
    do {                                                                                           \
        const size_t want_[] = {__VA_ARGS__};                                                      \
        assert_int_equal(sizeof specs / sizeof *specs, sizeof want_ / sizeof *want_);              \
        expect_canon(titles, text, specs, sizeof specs / sizeof *specs, want_);                    \
    } while (0)

static void short_mentions_after(void **state) {
    (void)state;
    const char *text = "John Kerry arrived in Geneva. Kerry said Mr Kerry and Mr. Kerry's aides "
                       "met Sergei Lavrov; Lavrov left.";
    const spec s[] = {{"John Kerry", 1, PER}, {"Geneva", 1, LOC},      {"Kerry", 2, PER},
                      {"Mr Kerry", 1, PER},   {"Mr. Kerry's", 1, PER}, {"Sergei Lavrov", 1, PER},
                      {"Lavrov", 2, PER}};
    CANON(gaz, text, s, 0, 1, 0, 0, 0, 5, 5);
    /* Without a gazetteer the built-in honorifics still go. */
    CANON(NULL, text, s, 0, 1, 0, 0, 0, 5, 5);
}

static void full_name_later(void **state) {
    (void)state;
    /* A headline names him short; the body gives the full name. */
    const char *text = "KERRY ARRIVES IN GENEVA\n\nUS Secretary of State John Kerry said on "
                       "Monday. Kerry added.";
    const spec s[] = {
        {"KERRY", 1, PER}, {"GENEVA", 1, LOC}, {"John Kerry", 1, PER}, {"Kerry", 2, PER}};
    CANON(gaz, text, s, 2, 1, 2, 2);
}

static void nearest_earlier_full_name(void **state) {
    (void)state;
    const char *text = "John Smith spoke. Later John Smith left and Smith returned.";
    const spec s[] = {{"John Smith", 1, PER}, {"John Smith", 2, PER}, {"Smith", 3, PER}};
    CANON(gaz, text, s, 0, 1, 1);
}

static void ambiguous_names(void **state) {
    (void)state;
    const char *text = "John Smith and Jane Smith met. Smith said no. John Smith agreed.";
    const spec s[] = {
        {"John Smith", 1, PER}, {"Jane Smith", 1, PER}, {"Smith", 3, PER}, {"John Smith", 2, PER}};
    CANON(gaz, text, s, 0, 1, 2, 3);
    /* "George Bush" and "George W. Bush" may be two men: "Bush" stays as it is. */
    const char *bush = "George Bush met George W. Bush. Bush smiled.";
    const spec b[] = {{"George Bush", 1, PER}, {"George W. Bush", 1, PER}, {"Bush", 3, PER}};
    CANON(gaz, bush, b, 0, 1, 2);
}

static void particles_and_titles(void **state) {
    (void)state;
    const char *text = "Staffan de Mistura met President Bashar al-Assad. De Mistura said "
                       "Assad and President Assad agreed; Mistura left. BASHAR ASSAD spoke.";
    const spec s[] = {{"Staffan de Mistura", 1, PER}, {"President Bashar al-Assad", 1, PER},
                      {"De Mistura", 1, PER},         {"Assad", 2, PER},
                      {"President Assad", 1, PER},    {"Mistura", 3, PER},
                      {"BASHAR ASSAD", 1, PER}};
    CANON(gaz, text, s, 0, 1, 0, 1, 1, 0, 6);
}

static void labels_kept_apart(void **state) {
    (void)state;
    /* An organisation or place with a person's surname is not that person. */
    const char *text = "John Ford spoke. Ford shares rose. Ford said. Kerry County is wet.";
    const spec s[] = {{"John Ford", 1, PER},
                      {"Ford", 2, ORG},
                      {"Ford", 3, PER},
                      {"Kerry", 1, LOC},
                      {"County", 1, MISC}};
    CANON(gaz, text, s, 0, 1, 0, 3, 4);
}

static void acronyms(void **state) {
    (void)state;
    const char *text = "The United Nations met. The UN said the U.N. would act; the North "
                       "Atlantic Treaty Organization agreed and NATO moved. UNITED NATIONS";
    const spec s[] = {{"United Nations", 1, ORG}, {"UN", 1, ORG},
                      {"U.N.", 1, ORG},           {"North Atlantic Treaty Organization", 1, ORG},
                      {"NATO", 1, ORG},           {"UNITED NATIONS", 1, ORG}};
    CANON(gaz, text, s, 0, 0, 0, 3, 3, 5);
    /* The acronym first, the long name after; "the" does not count. */
    const char *later = "IMF warns. The International Monetary Fund said.";
    const spec l[] = {{"IMF", 1, ORG}, {"The International Monetary Fund", 1, ORG}};
    CANON(gaz, later, l, 1, 1);
    /* Two long names with the same initials: the acronym stays. */
    const char *amb = "The European Union and the Economic Union differ; the EU said.";
    const spec a[] = {{"European Union", 1, ORG}, {"Economic Union", 1, ORG}, {"EU", 1, ORG}};
    CANON(gaz, amb, a, 0, 1, 2);
    /* Mixed-case words are names, not acronyms; a place's initials are not an organisation. */
    const char *mixed = "United Nations and Un met in the United States; US said.";
    const spec x[] = {
        {"United Nations", 1, ORG}, {"Un", 2, ORG}, {"United States", 1, LOC}, {"US", 1, LOC}};
    CANON(gaz, mixed, x, 0, 1, 2, 3);
}

static void person_like_mentions(void **state) {
    (void)state;
    const char *text = "KERRY IN GENEVA\n\nJohn Kerry met Sergei Lavrov. Kerry said. John Smith "
                       "and Jane Smith came; Smith left. Lavrov agreed. Geneva talks.";
    const spec s[] = {{"KERRY", 1, ORG},         {"GENEVA", 1, LOC},       {"John Kerry", 1, PER},
                      {"Sergei Lavrov", 1, PER}, {"Kerry", 2, ORG},        {"John Smith", 1, PER},
                      {"Jane Smith", 1, PER},    {"Smith", 3, MISC},       {"Lavrov", 2, LOC},
                      {"Geneva", 1, LOC},        {"Sergei Lavrov", 1, ORG}};
    size_t n = sizeof s / sizeof *s;
    ent_canon_mention m[MAXM];
    size_t canon[MAXM], person[MAXM];
    mentions(text, s, n, m);
    m[10] = m[3];
    m[10].label = ORG; /* the same words tagged twice, once as an organisation */
    ent_canon *c = ent_canon_new(gaz);
    assert_non_null(c);
    /* Not before ent_canon_resolve() on these mentions. */
    assert_int_equal(ent_canon_person_of(c, text, strlen(text), m, n, person), 0);
    assert_int_equal(person[0], SIZE_MAX);
    assert_int_equal(ent_canon_resolve(c, text, strlen(text), m, n, canon), 0);
    assert_int_equal(ent_canon_person_of(c, text, strlen(text), m, n, person), 4);
    const size_t want[] = {2,        SIZE_MAX, SIZE_MAX, SIZE_MAX, 2, SIZE_MAX,
                           SIZE_MAX, SIZE_MAX, 3,        SIZE_MAX, 3};
    for (size_t i = 0; i < n; i++)
        if (person[i] != want[i])
            fail_msg("\"%s\" (#%zu): person %zu, want %zu", s[i].text, i, person[i], want[i]);
    ent_canon_free(c);
}

static void name_proper(void **state) {
    (void)state;
    ent_canon *c = ent_canon_new(gaz);
    assert_non_null(c);
    static const struct {
        const char *mention;
        unsigned label;
        const char *name;
    } cases[] = {
        {"Mr. Kerry's", PER, "Kerry"},
        {"Mr Kerry", PER, "Kerry"},
        {"President Bashar al-Assad", PER, "Bashar al-Assad"},
        {"Prime Minister David Cameron", PER, "David Cameron"},
        {"Don King", PER, "Don King"},
        {"President", PER, "President"},
        {"the United Nations", ORG, "United Nations"},
        {"Syria's", LOC, "Syria"},
        {"Americans'", MISC, "Americans"},
        {"The", ORG, "The"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ent_canon_mention m = {0, strlen(cases[i].mention), cases[i].label};
        size_t a, b;
        ent_canon_name(c, cases[i].mention, &m, &a, &b);
        char got[128];
        snprintf(got, sizeof got, "%.*s", (int)(b - a), cases[i].mention + a);
        if (strcmp(got, cases[i].name) != 0)
            fail_msg("name of \"%s\": \"%s\", want \"%s\"", cases[i].mention, got, cases[i].name);
    }
    ent_canon_free(c);
}

static void bad_input(void **state) {
    (void)state;
    const char *text = "John Kerry and Kerry.";
    ent_canon_mention m[] = {{0, 10, PER}, {15, 20, PER}, {15, 999, PER},
                             {12, 5, PER}, {3, 3, PER},   {0, 4, 77}};
    size_t canon[6];
    ent_canon *c = ent_canon_new(NULL);
    assert_non_null(c);
    assert_int_equal(ent_canon_resolve(c, text, strlen(text), m, 6, canon), 0);
    size_t want[] = {0, 0, 2, 3, 4, 5};
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(canon[i], want[i]);
    assert_int_equal(ent_canon_resolve(c, text, strlen(text), m, 0, canon), 0);
    assert_int_equal(ent_canon_resolve(NULL, text, strlen(text), m, 2, canon), 0);
    assert_int_equal(canon[1], 1);
    ent_canon_free(c);
    ent_canon_free(NULL);
}

static void many_mentions(void **state) {
    (void)state;
    /* 50,000 mentions in one document, reusing the same object twice: linear, no crash. */
    const char unit[] = "Anna Berg met Berg and the UN Agency. ";
    size_t units = 10000, ul = sizeof unit - 1;
    char *text = malloc(units * ul + 1);
    ent_canon_mention *m = malloc(units * 5 * sizeof *m);
    size_t *canon = malloc(units * 5 * sizeof *canon);
    assert_non_null(text);
    assert_non_null(m);
    assert_non_null(canon);
    size_t n = 0;
    for (size_t u = 0; u < units; u++) {
        size_t o = u * ul;
        memcpy(text + o, unit, ul);
        m[n++] = (ent_canon_mention){o, o + 9, PER};       /* Anna Berg */
        m[n++] = (ent_canon_mention){o + 14, o + 18, PER}; /* Berg */
        m[n++] = (ent_canon_mention){o + 27, o + 29, ORG}; /* UN */
        m[n++] = (ent_canon_mention){o + 27, o + 36, ORG}; /* UN Agency */
        m[n++] = (ent_canon_mention){o + 23, o + 36, MISC};
    }
    text[units * ul] = '\0';
    ent_canon *c = ent_canon_new(gaz);
    assert_non_null(c);
    for (int round = 0; round < 2; round++) {
        assert_int_equal(ent_canon_resolve(c, text, units * ul, m, n, canon), 0);
        /* Each Berg points to the Anna Berg just before it. */
        for (size_t u = 0; u < units; u++)
            assert_int_equal(canon[u * 5 + 1], u * 5);
    }
    ent_canon_free(c);
    free(text);
    free(m);
    free(canon);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(short_mentions_after),
        cmocka_unit_test(full_name_later),
        cmocka_unit_test(nearest_earlier_full_name),
        cmocka_unit_test(ambiguous_names),
        cmocka_unit_test(particles_and_titles),
        cmocka_unit_test(labels_kept_apart),
        cmocka_unit_test(acronyms),
        cmocka_unit_test(person_like_mentions),
        cmocka_unit_test(name_proper),
        cmocka_unit_test(bad_input),
        cmocka_unit_test(many_mentions),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
