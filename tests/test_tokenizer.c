/* Unit tests of the core tokenizer (core/tokenizer.c): each rule family, flags, offsets and
 * adversarial input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tokenizer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Tokens of text joined by '|'; kinds in *kinds (one letter each) when not NULL. */
static char *join(const char *text, char *kinds, slc_tokens *keep) {
    slc_tokens t = {0};
    assert_int_equal(slc_tokenize(text, strlen(text), &t), SL_OK);
    size_t cap = strlen(text) * 2 + 2;
    char *out = calloc(1, cap);
    assert_non_null(out);
    for (size_t i = 0; i < t.n; i++) {
        if (i)
            strcat(out, "|");
        strncat(out, text + t.v[i].start, t.v[i].end - t.v[i].start);
        if (kinds)
            kinds[i] = " WNPSUEHTMCO"[t.v[i].kind];
    }
    if (kinds)
        kinds[t.n] = '\0';
    if (keep)
        *keep = t;
    else
        slc_tokens_free(&t);
    return out;
}

static void expect(const char *text, const char *want) {
    char *got = join(text, NULL, NULL);
    if (strcmp(got, want) != 0)
        fail_msg("text: %s\n want: %s\n  got: %s", text, want, got);
    free(got);
}

static void expect_kinds(const char *text, const char *want_kinds) {
    char kinds[256];
    char *got = join(text, kinds, NULL);
    if (strcmp(kinds, want_kinds) != 0)
        fail_msg("text: %s\n tokens: %s\n want kinds: %s\n  got kinds: %s", text, got, want_kinds,
                 kinds);
    free(got);
}

/* Tokens ascend, do not overlap, are not empty, and only white space or invisible characters
 * lie between them. */
static void check_offsets(const char *text, size_t len) {
    slc_tokens t = {0};
    assert_int_equal(slc_tokenize(text, len, &t), SL_OK);
    size_t pos = 0;
    for (size_t i = 0; i <= t.n; i++) {
        size_t gap_end = i < t.n ? t.v[i].start : len;
        assert_true(gap_end >= pos);
        for (size_t k = pos; k < gap_end;) {
            utf8proc_int32_t cp;
            utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)text + k,
                                                  (utf8proc_ssize_t)(len - k), &cp);
            if (l <= 0) {
                cp = 0xFFFD;
                l = 1;
            }
            utf8proc_category_t c = utf8proc_category(cp);
            if (!(c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL ||
                  c == UTF8PROC_CATEGORY_ZP || c == UTF8PROC_CATEGORY_CC ||
                  c == UTF8PROC_CATEGORY_CF))
                fail_msg("non-space U+%04X between tokens at byte %zu", (unsigned)cp, k);
            k += (size_t)l;
        }
        if (i < t.n) {
            assert_true(t.v[i].end > t.v[i].start);
            assert_true(t.v[i].end <= len);
            pos = t.v[i].end;
        }
    }
    slc_tokens_free(&t);
}

static void test_empty(void **state) {
    (void)state;
    slc_tokens t = {0};
    assert_int_equal(slc_tokenize("", 0, &t), SL_OK);
    assert_int_equal(t.n, 0);
    assert_int_equal(slc_tokenize(" \t\r\n\n  ", 7, &t), SL_OK);
    assert_int_equal(t.n, 0);
    slc_tokens_free(&t);
    assert_null(t.v);
}

static void test_abbreviations(void **state) {
    (void)state;
    expect("Mr. Smith of the U.S. met Gen. Lee in St. Louis on Aug. 5.",
           "Mr.|Smith|of|the|U.S.|met|Gen.|Lee|in|St.|Louis|on|Aug.|5|.");
    expect("The U.N. and the U.S.A. at 5 a.m. or 6 P.M., e.g. Ph.D. students.",
           "The|U.N.|and|the|U.S.A.|at|5|a.m.|or|6|P.M.|,|e.g.|Ph.D.|students|.");
    expect("J. R. R. Tolkien and Acme Inc. won.", "J.|R.|R.|Tolkien|and|Acme|Inc.|won|.");
    /* Ordinary words keep their period apart; "gen." needs its capital to be a title. */
    expect("It ended. The next gen. Done.", "It|ended|.|The|next|gen|.|Done|.");
    /* A missing space between sentences is not an inner period. */
    expect("the end.Next one", "the|end|.|Next|one");
    expect("JFK Jr.'s book", "JFK|Jr.|'s|book");
    expect("U.S.-led talks in Kansas City, Mo.-based", "U.S.-led|talks|in|Kansas|City|,|Mo.-based");
}

enum {
    AB_BITS = SL_TOKF_ABBREV | SL_TOKF_ABBREV_TITLE | SL_TOKF_ABBREV_NUMBER | SL_TOKF_ABBREV_NO_END
};

/* The abbreviation bits of the first token of text, which must be `first`. */
static unsigned first_abbrev_bits(const char *text, const char *first) {
    slc_tokens t = {0};
    assert_int_equal(slc_tokenize(text, strlen(text), &t), SL_OK);
    assert_true(t.n > 0);
    size_t l = t.v[0].end - t.v[0].start;
    if (l != strlen(first) || memcmp(text, first, l) != 0)
        fail_msg("text: %s\n want first token: %s\n  got: %.*s", text, first, (int)l, text);
    unsigned f = t.v[0].flags & AB_BITS;
    slc_tokens_free(&t);
    return f;
}

static const struct {
    const char *word;
    unsigned flags;
    int cap;
} abbrev_list[] = {
#define SL_ABBREV(word, cls, capital) {word, SLC_AB_##cls, SLC_AB_##capital},
#include "abbreviations.def"
#undef SL_ABBREV
};

/* Every entry of abbreviations.def, in each case and with text after it or not (the tokenizer's
 * two lookups): it keeps its period and carries its class; lower case too unless it is a "cap"
 * entry. The list must be sorted for the binary search, and keys fit eight bytes. */
static void test_abbreviation_list(void **state) {
    (void)state;
    size_t n = sizeof abbrev_list / sizeof abbrev_list[0];
    assert_true(n > 100);
    for (size_t i = 0; i < n; i++) {
        const char *w = abbrev_list[i].word;
        size_t len = strlen(w);
        assert_true(len >= 1 && len <= 7);
        if (i > 0 && strcmp(abbrev_list[i - 1].word, w) >= 0)
            fail_msg("abbreviations.def is not sorted at \"%s\"", w);
        unsigned want = abbrev_list[i].flags;
        assert_true(want & SL_TOKF_ABBREV);
        char buf[64], word[16];
        for (int upper = 0; upper <= 2; upper++) { /* lower, Capitalized, UPPER */
            for (size_t k = 0; k <= len; k++)
                word[k] =
                    (char)((upper == 2 || (upper == 1 && k == 0)) && w[k] >= 'a' && w[k] <= 'z'
                               ? w[k] - 32
                               : w[k]);
            unsigned expect_bits = upper || !abbrev_list[i].cap ? want : 0;
            for (int tail = 0; tail < 2; tail++) {
                snprintf(buf, sizeof buf, "%s.%s", word, tail ? " Smith and the others" : "");
                char first[16];
                snprintf(first, sizeof first, expect_bits || len == 1 ? "%s." : "%s", word);
                if (first_abbrev_bits(buf, first) != expect_bits)
                    fail_msg("\"%s\": abbreviation flags %#x, want %#x", buf,
                             first_abbrev_bits(buf, first), expect_bits);
            }
        }
    }
}

/* What the abbreviation flags mean, and where they are not set. */
static void test_abbreviation_flags(void **state) {
    (void)state;
    assert_int_equal(first_abbrev_bits("Mr. Smith", "Mr."), SLC_AB_TITLE);
    assert_int_equal(first_abbrev_bits("No. 5", "No."), SLC_AB_NUMBER);
    assert_int_equal(first_abbrev_bits("no. 5", "no"), 0);
    assert_int_equal(first_abbrev_bits("e.g. this", "e.g."), SLC_AB_NO_END);
    assert_int_equal(first_abbrev_bits("E.G. this", "E.G."), SLC_AB_NO_END);
    assert_int_equal(first_abbrev_bits("vs. them", "vs."), SLC_AB_NO_END);
    assert_int_equal(first_abbrev_bits("p. 7", "p."), SLC_AB_NUMBER);
    assert_int_equal(first_abbrev_bits("Inc. said", "Inc."), SL_TOKF_ABBREV);
    /* Periods after it: the word stays apart from them, and is marked. */
    assert_int_equal(first_abbrev_bits("Inc.... The", "Inc"), SL_TOKF_ABBREV);
    assert_int_equal(first_abbrev_bits("Inc.. The", "Inc"), SL_TOKF_ABBREV);
    assert_int_equal(first_abbrev_bits("Inc..", "Inc"), SL_TOKF_ABBREV);
    /* Initials, dotted forms, compounds, prefixes and extensions are no known abbreviation. */
    assert_int_equal(first_abbrev_bits("J. Smith", "J."), 0);
    assert_int_equal(first_abbrev_bits("U.S. troops", "U.S."), 0);
    assert_int_equal(first_abbrev_bits("Mo.-based firm", "Mo.-based"), 0);
    assert_int_equal(first_abbrev_bits("Mr Smith", "Mr"), 0);
    assert_int_equal(first_abbrev_bits("Mrx. Smith", "Mrx"), 0);
    assert_int_equal(first_abbrev_bits("Approxi. 5", "Approxi"), 0);
    assert_int_equal(first_abbrev_bits("Approxim. 5", "Approxim"), 0);
    assert_int_equal(first_abbrev_bits("Mr5. Smith", "Mr5"), 0);
    assert_int_equal(first_abbrev_bits("\xC3\x89t. Smith", "\xC3\x89t"), 0);
    /* Only the token that carries the period is marked. */
    slc_tokens t = {0};
    const char *text = "Gen. Lee met Mr. Smith.";
    assert_int_equal(slc_tokenize(text, strlen(text), &t), SL_OK);
    assert_int_equal(t.n, 6);
    unsigned want[] = {SLC_AB_TITLE, 0, 0, SLC_AB_TITLE, 0, 0};
    for (size_t i = 0; i < t.n; i++)
        assert_int_equal(t.v[i].flags & AB_BITS, want[i]);
    slc_tokens_free(&t);
}

static void test_clitics(void **state) {
    (void)state;
    expect("don't can't won't Syria's they're we've I'll she'd I'm",
           "do|n't|ca|n't|wo|n't|Syria|'s|they|'re|we|'ve|I|'ll|she|'d|I|'m");
    expect("Syria\xE2\x80\x99s don\xE2\x80\x99t", "Syria|\xE2\x80\x99s|do|n\xE2\x80\x99t");
    expect("O'Brien rock'n'roll ma'am", "O'Brien|rock'n'roll|ma'am");
    expect_kinds("Syria's", "WC");
    expect("the players' union", "the|players|'|union");
    /* Pre-tokenized text (CoNLL-2003 style) keeps its clitics. */
    expect("Syria 's army , I 'm sure they wo n't .", "Syria|'s|army|,|I|'m|sure|they|wo|n't|.");
    expect_kinds("Syria 's do n't", "WCWC");
    /* An opening quote is no clitic. */
    expect("He said 'so' and 'd-day'", "He|said|'|so|'|and|'|d-day|'");
}

static void test_numbers(void **state) {
    (void)state;
    expect("3.5 1,000 155,221 48-hour 10:30 12:05:44 02/13/2001 2016-08-26",
           "3.5|1,000|155,221|48-hour|10:30|12:05:44|02/13/2001|2016-08-26");
    expect_kinds("3.5 1,000 48-hour", "NNN");
    expect("$100.00 rose 3.5% to .5 in the '90s", "$|100.00|rose|3.5|%|to|.5|in|the|'90s");
    expect("1026.253.553. That", "1026.253.553|.|That");
    expect("1,2,3", "1|,|2|,|3");
    /* Signed numbers standing alone, currencies with a country prefix, ranks opening a line. */
    expect("rose +0.435 to -3 (-2) 10-8", "rose|+0.435|to|-3|(|-|2|)|10-8");
    expect("C$ 1.15 billion or US$5", "C$|1.15|billion|or|US$|5");
    expect("1. Michelle Freeman 12.71\n2. Ludmila Engquist scored 2. Next",
           "1.|Michelle|Freeman|12.71|2.|Ludmila|Engquist|scored|2|.|Next");
}

static void test_web(void **state) {
    (void)state;
    expect(
        "See https://www.example.50.com/new-site/awesome_content.html. Mail Jane.Doe@example.com.",
        "See|https://www.example.50.com/new-site/awesome_content.html|.|Mail|"
        "Jane.Doe@example.com|.");
    expect_kinds("(http://en.wikipedia.org/wiki/Foo_(bar)) www.bbc.co.uk/news @sluice_dev #NLP2024",
                 "PUPUHT");
    expect("(http://en.wikipedia.org/wiki/Foo_(bar))",
           "(|http://en.wikipedia.org/wiki/Foo_(bar)|)");
    expect("#1 and @ alone", "#|1|and|@|alone");
    expect_kinds("a+b@mail.example.org", "E");
}

static void test_emoji(void **state) {
    (void)state;
    /* Grinning face, thumbs up + skin tone, family (ZWJ), flag, heart + VS16. */
    expect("ok \xF0\x9F\x98\x80\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD \xF0\x9F\x91\xA8\xE2\x80\x8D"
           "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7 \xF0\x9F\x87\xBA\xF0\x9F\x87\xB8 "
           "\xE2\x9D\xA4\xEF\xB8\x8F!",
           "ok|\xF0\x9F\x98\x80|\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD|\xF0\x9F\x91\xA8\xE2\x80\x8D"
           "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7|\xF0\x9F\x87\xBA\xF0\x9F\x87\xB8|"
           "\xE2\x9D\xA4\xEF\xB8\x8F|!");
    expect_kinds("\xF0\x9F\x98\x80 \xF0\x9F\x87\xBA\xF0\x9F\x87\xB8 \xC2\xA9", "MMS");
}

static void test_punctuation(void **state) {
    (void)state;
    expect("\"Yes,\" he said -- (really) [no] {x}",
           "\"|Yes|,|\"|he|said|--|(|really|)|[|no|]|{|x|}");
    expect(
        "\xE2\x80\x9CWe will,\xE2\x80\x9D Lavrov said.\xE2\x80\x9D \xE2\x80\x94 ok \xE2\x80\x93 no",
        "\xE2\x80\x9C|We|will|,|\xE2\x80\x9D|Lavrov|said|.|\xE2\x80\x9D|\xE2\x80\x94|ok|"
        "\xE2\x80\x93|no");
    expect("wait... what\xE2\x80\xA6 why?! no!!! ``quoted''",
           "wait|...|what|\xE2\x80\xA6|why|?!|no|!!!|``|quoted|''");
    expect("AT&T and R&D; a & b", "AT&T|and|R&D|;|a|&|b");
    expect_kinds("a , $ ? &", "WPSPS");
}

static void test_flags(void **state) {
    (void)state;
    slc_tokens t;
    const char *text = "Hello WORLD\n\nnew\nline abc123 \xC3\x89t\xC3\xA9 \xD0\x9C\xD0\x98\xD0\xA0";
    free(join(text, NULL, &t));
    assert_int_equal(t.n, 7);
    assert_int_equal(t.v[0].flags, SL_TOKF_UPPER_INITIAL);
    assert_int_equal(t.v[1].flags,
                     SL_TOKF_SPACE_BEFORE | SL_TOKF_UPPER_INITIAL | SL_TOKF_ALL_UPPER);
    assert_int_equal(t.v[2].flags,
                     SL_TOKF_SPACE_BEFORE | SL_TOKF_NEWLINE_BEFORE | SL_TOKF_PARAGRAPH_BEFORE);
    assert_int_equal(t.v[3].flags, SL_TOKF_SPACE_BEFORE | SL_TOKF_NEWLINE_BEFORE);
    assert_int_equal(t.v[4].flags, SL_TOKF_SPACE_BEFORE | SL_TOKF_HAS_DIGIT);
    assert_int_equal(t.v[5].flags, SL_TOKF_SPACE_BEFORE | SL_TOKF_UPPER_INITIAL);
    assert_int_equal(t.v[6].flags,
                     SL_TOKF_SPACE_BEFORE | SL_TOKF_UPPER_INITIAL | SL_TOKF_ALL_UPPER);
    slc_tokens_free(&t);
    /* CRLF line ends count once each; a blank CRLF line is a paragraph break. */
    free(join("a\r\nb\r\n\r\nc", NULL, &t));
    assert_int_equal(t.n, 3);
    assert_int_equal(t.v[1].flags, SL_TOKF_SPACE_BEFORE | SL_TOKF_NEWLINE_BEFORE);
    assert_true(t.v[2].flags & SL_TOKF_PARAGRAPH_BEFORE);
    slc_tokens_free(&t);
}

static void test_mixed_scripts(void **state) {
    (void)state;
    const char *text =
        "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82, \xD0\xBC\xD0\xB8\xD1\x80! "
        "\xE5\x8C\x97\xE4\xBA\xAC\xE3\x80\x82 \xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7. "
        "\xCE\x95\xCE\xBB\xCE\xBB\xCE\xAC\xCE\xB4\xCE\xB1 \xE0\xA4\xA8\xE0\xA4\xAE"
        "\xE0\xA4\xB8\xE0\xA5\x8D\xE0\xA4\xA4\xE0\xA5\x87";
    expect_kinds(text, "WPWPWPWPWW");
    check_offsets(text, strlen(text));
}

static void test_invisible_and_fffd(void **state) {
    (void)state;
    /* U+FFFD (what the core puts for invalid bytes) is a token of its own. */
    expect_kinds("abc \xEF\xBF\xBD def\xEF\xBF\xBDghi", "WOWOW");
    /* Zero-width space alone is a gap; inside a word (ZWNJ) it joins. */
    expect("a \xE2\x80\x8B b \xEF\xBB\xBFx", "a|b|x");
    expect("\xD9\x85\xE2\x80\x8C\xD9\x85", "\xD9\x85\xE2\x80\x8C\xD9\x85");
    /* No space flag across an invisible-only gap. */
    slc_tokens t;
    free(join("a,\xE2\x80\x8B"
              "b",
              NULL, &t));
    assert_int_equal(t.n, 3);
    assert_int_equal(t.v[2].flags & SL_TOKF_SPACE_BEFORE, 0);
    slc_tokens_free(&t);
    /* Raw invalid bytes (should never reach us) still give sane offsets. */
    const char bad[] = "ab\xC3 \xFF\xFE cd \xE2\x82";
    check_offsets(bad, sizeof bad - 1);
}

static void test_all_punctuation(void **state) {
    (void)state;
    const char *text = "!!! ??? ... ,,, ;; :: -- \"\" '' () [] {} \xE2\x80\x94\xE2\x80\x94 ***";
    check_offsets(text, strlen(text));
    expect(".,;:", ".|,|;|:");
}

static void test_huge_no_spaces(void **state) {
    (void)state;
    size_t n = 10u << 20;
    char *text = malloc(n + 1);
    assert_non_null(text);
    for (size_t i = 0; i < n; i++)
        text[i] = (char)('a' + i % 26);
    text[n] = '\0';
    slc_tokens t = {0};
    assert_int_equal(slc_tokenize(text, n, &t), SL_OK);
    assert_int_equal(t.n, 1);
    assert_int_equal(t.v[0].end, n);
    /* Dotted and hyphenated runs stay linear too. */
    for (size_t i = 0; i < n; i++)
        text[i] = i % 2 ? '.' : 'x';
    assert_int_equal(slc_tokenize(text, n, &t), SL_OK);
    assert_true(t.n >= 1);
    for (size_t i = 0; i < n; i++)
        text[i] = i % 3 == 2 ? '-' : '7';
    assert_int_equal(slc_tokenize(text, n, &t), SL_OK);
    assert_true(t.n >= 1);
    slc_tokens_free(&t);
    /* One megabyte of mixed punctuation: one token per mark, offsets exact. */
    size_t m = 1u << 20;
    for (size_t i = 0; i < m; i++)
        text[i] = ",;:()\"'"[i % 7];
    check_offsets(text, m);
    free(text);
}

static void test_offsets_news(void **state) {
    (void)state;
    const char *text =
        "Share\n\nKerry, Lavrov hold talks in Geneva\n\n\xE2\x80\x9CIf the remaining details can "
        "be completed, we believe we will be able to address the two primary challenges to the "
        "cessation of hostilities \xE2\x80\x93 the regime violations\xE2\x80\x9D, Mr Kerry said. "
        "Friday, Aug. 26, 2016 at 10:30 a.m. (\xC2\xA3"
        "600m)\xC2\xA0is 48-hour U.S.-led.";
    check_offsets(text, strlen(text));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_abbreviations),
        cmocka_unit_test(test_abbreviation_list),
        cmocka_unit_test(test_abbreviation_flags),
        cmocka_unit_test(test_clitics),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_web),
        cmocka_unit_test(test_emoji),
        cmocka_unit_test(test_punctuation),
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_mixed_scripts),
        cmocka_unit_test(test_invisible_and_fffd),
        cmocka_unit_test(test_all_punctuation),
        cmocka_unit_test(test_huge_no_spaces),
        cmocka_unit_test(test_offsets_news),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
