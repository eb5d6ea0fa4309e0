/* Unit tests of the entities gazetteer: the committed data file, longest matches over the core
 * tokenizer's tokens, case, country codes, and broken files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "gazetteer.h"
#include "test_util.h"
#include "tokenizer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ent_gaz *bundled;

static int load_bundled(void **state) {
    (void)state;
    char err[512];
    bundled = ent_gaz_load(tu_src("plugins/entities/data/gazetteer.tsv"), err, sizeof err);
    if (!bundled)
        fail_msg("%s", err);
    return 0;
}

static int free_bundled(void **state) {
    (void)state;
    ent_gaz_free(bundled);
    tu_cleanup();
    return 0;
}

typedef struct match {
    size_t ntok; /* tokens covered */
    char text[128];
    unsigned classes;
    int exact;
} match;

/* The match at the first token whose text is `at` in text. */
static match match_at(const ent_gaz *g, const char *text, const char *at) {
    slc_tokens t = {0};
    assert_int_equal(slc_tokenize(text, strlen(text), &t), SL_OK);
    size_t i = 0, at_len = strlen(at);
    while (i < t.n &&
           !(t.v[i].end - t.v[i].start == at_len && memcmp(text + t.v[i].start, at, at_len) == 0))
        i++;
    if (i == t.n)
        fail_msg("no token \"%s\" in \"%s\"", at, text);
    match m = {0};
    m.ntok = ent_gaz_match(g, text, t.v, t.n, i, &m.classes, &m.exact);
    if (m.ntok) {
        size_t s = t.v[i].start, e = t.v[i + m.ntok - 1].end;
        snprintf(m.text, sizeof m.text, "%.*s", (int)(e - s), text + s);
    }
    slc_tokens_free(&t);
    return m;
}

static void expect_match(const char *text, const char *at, const char *want, unsigned cls,
                         int exact) {
    match m = match_at(bundled, text, at);
    if (strcmp(m.text, want) != 0)
        fail_msg("in \"%s\" at \"%s\": matched \"%s\", want \"%s\"", text, at, m.text, want);
    if (!(m.classes & cls))
        fail_msg("\"%s\": classes %#x lack %#x", want, m.classes, cls);
    if (m.exact != exact)
        fail_msg("\"%s\" in \"%s\": exact_case %d, want %d", want, text, m.exact, exact);
}

static void expect_code(const char *mention, const char *want) {
    const char *got = ent_gaz_code(bundled, mention, strlen(mention));
    if (!want && got)
        fail_msg("code of \"%s\": %s, want none", mention, got);
    if (want && (!got || strcmp(got, want) != 0))
        fail_msg("code of \"%s\": %s, want %s", mention, got ? got : "(none)", want);
}

static void bundled_counts(void **state) {
    (void)state;
    /* Every ISO 3166-1 country is there, most with variants; each class is well stocked. */
    assert_true(ent_gaz_count(bundled, ENT_GAZ_COUNTRY) >= 249);
    assert_true(ent_gaz_count(bundled, ENT_GAZ_CAPITAL) >= 190);
    assert_true(ent_gaz_count(bundled, ENT_GAZ_CITY) >= 300);
    assert_true(ent_gaz_count(bundled, ENT_GAZ_NATIONALITY) >= 190);
    assert_true(ent_gaz_count(bundled, ENT_GAZ_REGION) >= 100);
    assert_true(ent_gaz_count(bundled, ENT_GAZ_FIRST_NAME) >= 500);
    assert_true(ent_gaz_count(bundled, ENT_GAZ_TITLE) >= 50);
    assert_true(ent_gaz_count(bundled, ENT_GAZ_ORG_WORD) >= 50);
    assert_true(ent_gaz_count(bundled, ENT_GAZ_ORG) >= 100);
    size_t sum = 0;
    for (unsigned k = 0; k < ENT_GAZ_NCLASSES; k++) {
        assert_non_null(ent_gaz_class_name(1u << k));
        sum += ent_gaz_count(bundled, 1u << k);
    }
    assert_int_equal(sum, ent_gaz_count(bundled, 0));
    assert_null(ent_gaz_class_name(3));
}

static void longest_match(void **state) {
    (void)state;
    expect_match("Talks in Geneva on Syria's future.", "Geneva", "Geneva", ENT_GAZ_CITY, 1);
    expect_match("Talks in Geneva on Syria's future.", "Syria", "Syria", ENT_GAZ_COUNTRY, 1);
    expect_match("He flew to the United States on Monday.", "United", "United States",
                 ENT_GAZ_COUNTRY, 1);
    expect_match("The United Nations said.", "United", "United Nations", ENT_GAZ_ORG, 1);
    expect_match("Fighting in the Democratic Republic of Congo went on.", "Democratic",
                 "Democratic Republic of Congo", ENT_GAZ_COUNTRY, 1);
    expect_match("U.S. troops left.", "U.S.", "U.S.", ENT_GAZ_COUNTRY, 1);
    expect_match("A New York Times report.", "New", "New York Times", ENT_GAZ_ORG, 1);
    expect_match("Prime Minister David Cameron spoke.", "Prime", "Prime Minister", ENT_GAZ_TITLE,
                 1);
    expect_match("Prime Minister David Cameron spoke.", "David", "David", ENT_GAZ_FIRST_NAME, 1);
    expect_match("Acme Holdings Ltd said.", "Ltd", "Ltd", ENT_GAZ_ORG_WORD, 1);
    expect_match("Militants from al-Qaeda attacked.", "al-Qaeda", "al-Qaeda", ENT_GAZ_ORG, 1);
    expect_match("Syrian forces advanced.", "Syrian", "Syrian", ENT_GAZ_NATIONALITY, 1);
    expect_match("Fighting in the Middle East.", "Middle", "Middle East", ENT_GAZ_REGION, 1);
    /* No entry: nothing matched, nothing reported. */
    match m = match_at(bundled, "The zorblax said.", "zorblax");
    assert_int_equal(m.ntok, 0);
    assert_int_equal(m.classes, 0);
    assert_int_equal(m.exact, 0);
}

static void case_folding(void **state) {
    (void)state;
    expect_match("TALKS IN NEW YORK", "NEW", "NEW YORK", ENT_GAZ_CITY, 0);
    expect_match("talks in new york", "new", "new york", ENT_GAZ_CITY, 0);
    expect_match("Talks in New York", "New", "New York", ENT_GAZ_CITY, 1);
    expect_match("ZÜRICH BANKS", "ZÜRICH", "ZÜRICH", ENT_GAZ_CITY, 0);
    /* A typographic apostrophe matches the typed one; the spelling tells which was written. */
    expect_match("Côte d\xE2\x80\x99Ivoire votes", "Côte", "Côte d\xE2\x80\x99Ivoire",
                 ENT_GAZ_COUNTRY, 1);
}

/* The hyphen prefix of the first token of text: its text, classes and case. */
static void expect_prefix(const char *text, const char *want, unsigned cls, int exact) {
    slc_tokens t = {0};
    assert_int_equal(slc_tokenize(text, strlen(text), &t), SL_OK);
    assert_true(t.n > 0);
    unsigned classes = 0;
    int ex = -1;
    size_t len = ent_gaz_match_hyphen_prefix(bundled, text, &t.v[0], &classes, &ex);
    char got[64];
    snprintf(got, sizeof got, "%.*s", (int)len, text + t.v[0].start);
    if (strcmp(got, want) != 0)
        fail_msg("hyphen prefix of \"%s\": \"%s\", want \"%s\"", text, got, want);
    if (len && (!(classes & cls) || ex != exact))
        fail_msg("\"%s\": classes %#x, exact %d", want, classes, ex);
    if (!len)
        assert_int_equal(classes, 0);
    slc_tokens_free(&t);
}

static void hyphen_prefixes(void **state) {
    (void)state;
    expect_prefix("al-Qaeda-linked groups", "al-Qaeda", ENT_GAZ_ORG, 1);
    expect_prefix("U.S.-led coalition", "U.S.", ENT_GAZ_COUNTRY, 1);
    expect_prefix("Syrian-backed forces", "Syrian", ENT_GAZ_NATIONALITY, 1);
    expect_prefix("SYRIAN-BACKED FORCES", "SYRIAN", ENT_GAZ_NATIONALITY, 0);
    expect_prefix("pro-Western views", "", 0, 0);
    expect_prefix("Syria", "", 0, 0);
}

static void out_of_range(void **state) {
    (void)state;
    const char *text = "Syria";
    slc_tokens t = {0};
    assert_int_equal(slc_tokenize(text, strlen(text), &t), SL_OK);
    unsigned classes = 99;
    int exact = 99;
    assert_int_equal(ent_gaz_match(bundled, text, t.v, t.n, t.n, &classes, &exact), 0);
    assert_int_equal(classes, 0);
    assert_int_equal(exact, 0);
    assert_int_equal(ent_gaz_match(bundled, text, t.v, 0, 0, &classes, &exact), 0);
    assert_int_equal(ent_gaz_match(NULL, text, t.v, t.n, 0, &classes, &exact), 0);
    assert_int_equal(ent_gaz_match(bundled, text, t.v, t.n, 0, NULL, NULL), 1);
    slc_tokens_free(&t);
}

static void country_codes(void **state) {
    (void)state;
    expect_code("Syria", "SYR");
    expect_code("Syria's", "SYR");
    expect_code("Syrian", "SYR");
    expect_code("Damascus", "SYR");
    expect_code("the United States", "USA");
    expect_code("The United States", "USA");
    expect_code("U.S.", "USA");
    expect_code("US", "USA");
    expect_code("Washington", "USA");
    expect_code("American", "USA");
    expect_code("Americans'", "USA");
    expect_code("Russian Federation", "RUS");
    expect_code("Geneva", "CHE");
    expect_code("Switzerland", "CHE");
    expect_code("Britain", "GBR");
    expect_code("U.K.", "GBR");
    expect_code("Ivory Coast", "CIV");
    expect_code("South Korea", "KOR");
    expect_code("North Korea's", "PRK");
    expect_code("Germany", "DEU");
    expect_code("Beijing", "CHN");
    expect_code("Texas", "USA");
    expect_code("GAZA STRIP", "PSE");
    /* A country's code beats a region's (Georgia, the US state), a nationality's a city's. */
    expect_code("Georgia", "GEO");
    /* Places that span or dispute borders, names, organisations: no code. */
    expect_code("Kashmir", NULL);
    expect_code("Middle East", NULL);
    expect_code("John", NULL);
    expect_code("United Nations", NULL);
    /* Only whole entries: a longer mention is not its first words' place. */
    expect_code("Syria Times", NULL);
    expect_code("the", NULL);
    expect_code("'s", NULL);
    expect_code("", NULL);
    assert_null(ent_gaz_code(NULL, "Syria", 5));
}

static ent_gaz *load_text(const char *name, const char *data, size_t len, char *err,
                          size_t errcap) {
    return ent_gaz_load(tu_write(name, data, len), err, errcap);
}

static void small_file_semantics(void **state) {
    (void)state;
    const char data[] = "# comment\n"
                        "\n"
                        "Georgia\tregion\tUSA\n"
                        "Georgia\tcountry\tGEO\r\n"
                        "Georgia\tfirst_name\t\n"
                        "New York\tcity\tUSA\n"
                        "New York Times\torg\n"
                        "York\tcity\tGBR\n";
    char err[256];
    ent_gaz *g = load_text("small.tsv", data, sizeof data - 1, err, sizeof err);
    if (!g)
        fail_msg("%s", err);
    assert_int_equal(ent_gaz_count(g, 0), 6);
    assert_int_equal(ent_gaz_count(g, ENT_GAZ_CITY), 2);
    match m = match_at(g, "Georgia voted", "Georgia");
    assert_int_equal(m.ntok, 1);
    assert_int_equal(m.classes, ENT_GAZ_COUNTRY | ENT_GAZ_REGION | ENT_GAZ_FIRST_NAME);
    assert_string_equal(ent_gaz_code(g, "Georgia", 7), "GEO");
    m = match_at(g, "the New York City police", "New");
    assert_string_equal(m.text, "New York");
    m = match_at(g, "read the New York Times", "New");
    assert_string_equal(m.text, "New York Times");
    assert_int_equal(m.classes, ENT_GAZ_ORG);
    /* "New" alone is no entry, "York" is. */
    m = match_at(g, "New Delhi and York", "New");
    assert_int_equal(m.ntok, 0);
    m = match_at(g, "New Delhi and York", "York");
    assert_int_equal(m.ntok, 1);
    assert_null(ent_gaz_code(g, "New York Times", 14));
    ent_gaz_free(g);
}

/* The file fails to load with "PATH:LINE: " and the reason. */
static void expect_error(const char *data, size_t len, size_t line, const char *reason) {
    char err[512] = "";
    const char *path = tu_write("bad.tsv", data, len);
    ent_gaz *g = ent_gaz_load(path, err, sizeof err);
    if (g)
        fail_msg("loaded a bad file: %.*s", (int)len, data);
    char want[600];
    snprintf(want, sizeof want, "%s:%zu: ", path, line);
    tu_assert_contains(err, want);
    tu_assert_contains(err, reason);
}

#define BAD(text, line, reason) expect_error(text, sizeof text - 1, line, reason)

static void broken_files(void **state) {
    (void)state;
    BAD("Syria\tcountry\tSYR\nDamascus capital SYR\n", 2, "expected phrase<TAB>class<TAB>code");
    BAD("Syria\tcountri\tSYR\n", 1, "unknown class \"countri\"");
    BAD("Syria\tcountry\tSY\n", 1, "three upper-case letters");
    BAD("Syria\tcountry\tsyr\n", 1, "three upper-case letters");
    BAD("Syria\tcountry\tSYR\textra\n", 1, "more than three fields");
    BAD("# ok\n \tcountry\tSYR\n", 2, "empty phrase");
    BAD("a b c d e f g h i j k\torg\t\n", 1, "more than 10 tokens");
    BAD("Syria\tcountry\tSYR\nSy\xffria\tcountry\t\n", 2, "not valid UTF-8");
    BAD("Syr\x01ia\tcountry\t\n", 1, "control character");
    BAD("x\ty\x00z\n", 1, "NUL byte");
    char *longline = malloc(3000);
    assert_non_null(longline);
    memset(longline, 'a', 2000);
    memcpy(longline + 2000, "\tcountry\t\n", 11);
    expect_error(longline, strlen(longline), 1, "line longer than");
    free(longline);

    char err[256] = "";
    assert_null(ent_gaz_load("/nonexistent/gazetteer.tsv", err, sizeof err));
    tu_assert_contains(err, "/nonexistent/gazetteer.tsv: ");
    /* No room for a message is no reason to crash. */
    assert_null(ent_gaz_load("/nonexistent/gazetteer.tsv", NULL, 0));
}

static void huge_file(void **state) {
    (void)state;
    const char *path = tu_write("huge.tsv", "", 0);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    /* 65 MB of a valid line repeated: refused for its size, not parsed. */
    static const char line[] = "Syria\tcountry\tSYR\n";
    size_t n = ((size_t)65 << 20) / (sizeof line - 1) + 1;
    for (size_t i = 0; i < n; i++)
        assert_int_equal(fwrite(line, 1, sizeof line - 1, f), sizeof line - 1);
    assert_int_equal(fclose(f), 0);
    char err[256] = "";
    assert_null(ent_gaz_load(path, err, sizeof err));
    tu_assert_contains(err, "larger than");
}

static void random_bytes(void **state) {
    (void)state;
    /* Binary junk and mangled copies of good lines: an error or a table, never a crash. */
    uint64_t x = 0x9e3779b97f4a7c15ull;
    char buf[4096];
    static const char good[] = "Syria\tcountry\tSYR\nNew York\tcity\tUSA\nMr.\ttitle\t\n";
    for (int round = 0; round < 200; round++) {
        size_t len = 0;
        while (len < sizeof buf && len < (size_t)(round * 20 + 1)) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            buf[len] = round % 2 ? (char)x : good[len % (sizeof good - 1)];
            if (round % 2 == 0 && x % 17 == 0)
                buf[len] = (char)(x >> 8);
            len++;
        }
        char err[256] = "";
        ent_gaz *g = load_text("junk.tsv", buf, len, err, sizeof err);
        if (!g) {
            assert_true(strstr(err, "junk.tsv:") != NULL);
            continue;
        }
        match m = match_at(g, "Syria and New York", "Syria");
        (void)m;
        ent_gaz_free(g);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bundled_counts), cmocka_unit_test(longest_match),
        cmocka_unit_test(case_folding),   cmocka_unit_test(out_of_range),
        cmocka_unit_test(country_codes),  cmocka_unit_test(small_file_semantics),
        cmocka_unit_test(broken_files),   cmocka_unit_test(huge_file),
        cmocka_unit_test(random_bytes),   cmocka_unit_test(hyphen_prefixes),
    };
    return cmocka_run_group_tests(tests, load_bundled, free_bundled);
}
