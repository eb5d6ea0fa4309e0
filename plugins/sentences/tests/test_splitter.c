/* Unit tests of the sentence splitter on the core tokenizer: each rule family and adversarial
 * input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lexicon.h"
#include "splitter.h"
#include "tokenizer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Spans are inside the text, ascending, disjoint and trimmed of white space. */
static void check_spans(const char *text, size_t len, const sp_spans *sp) {
    size_t pos = 0;
    for (size_t i = 0; i < sp->n; i++) {
        assert_true(sp->v[i].start >= pos);
        assert_true(sp->v[i].end > sp->v[i].start);
        assert_true(sp->v[i].end <= len);
        assert_false(strchr(" \t\r\n", text[sp->v[i].start]) && text[sp->v[i].start]);
        assert_false(strchr(" \t\r\n", text[sp->v[i].end - 1]) && text[sp->v[i].end - 1]);
        pos = sp->v[i].end;
    }
}

/* Sentences of text joined by " | ". */
static char *split_cfg(const char *text, const sp_config *cfg) {
    size_t len = strlen(text);
    slc_tokens t = {0};
    sp_spans sp = {0};
    assert_int_equal(slc_tokenize(text, len, &t), SL_OK);
    assert_int_equal(sp_split(cfg, text, len, t.v, t.n, &sp), SL_OK);
    check_spans(text, len, &sp);
    char *out = calloc(1, len + 3 * sp.n + 1);
    assert_non_null(out);
    for (size_t i = 0; i < sp.n; i++) {
        if (i)
            strcat(out, " | ");
        strncat(out, text + sp.v[i].start, sp.v[i].end - sp.v[i].start);
    }
    slc_tokens_free(&t);
    sp_spans_free(&sp);
    return out;
}

static void expect_mode(const char *text, sp_line_breaks mode, const char *want) {
    sp_config cfg;
    sp_config_init(&cfg);
    cfg.line_breaks = mode;
    char *got = split_cfg(text, &cfg);
    if (strcmp(got, want) != 0)
        fail_msg("text: %s\n want: %s\n  got: %s", text, want, got);
    free(got);
    sp_config_free(&cfg);
}

static void expect(const char *text, const char *want) {
    expect_mode(text, SP_LB_AUTO, want);
}

static void test_basic(void **state) {
    (void)state;
    expect("", "");
    expect("   \n\n  ", "");
    expect("One. Two? Three! Four", "One. | Two? | Three! | Four");
    expect("  Leading and trailing space.  ", "Leading and trailing space.");
}

static void test_abbreviations(void **state) {
    (void)state;
    expect("Gen. Smith met Lt. Col. Jones at 10 a.m. on Aug. 5. They talked.",
           "Gen. Smith met Lt. Col. Jones at 10 a.m. on Aug. 5. | They talked.");
    expect("The U.N. Security Council met in the U.S. It voted.",
           "The U.N. Security Council met in the U.S. | It voted.");
    expect("Shares of Acme Inc. rose. Acme Corp. The rival fell.",
           "Shares of Acme Inc. rose. | Acme Corp. | The rival fell.");
    expect("He left at 6 p.m. The store closed.", "He left at 6 p.m. | The store closed.");
    expect("See e.g. Smith et al. for details. Then stop.",
           "See e.g. Smith et al. for details. | Then stop.");
    expect("Please turn to p. 55. Fig. 3 shows it.", "Please turn to p. 55. | Fig. 3 shows it.");
}

static void test_extra_abbreviations(void **state) {
    (void)state;
    const char *text = "Meet at Bldg. Seven today.";
    expect(text, "Meet at Bldg. | Seven today.");
    sp_config cfg;
    sp_config_init(&cfg);
    assert_int_equal(sp_config_add_abbrev(&cfg, "bldg."), SL_OK);
    assert_int_equal(sp_config_add_abbrev(&cfg, "Approx"), SL_OK);
    assert_int_equal(sp_config_add_abbrev(&cfg, "..."), SL_EINVAL);
    char *got = split_cfg(text, &cfg);
    assert_string_equal(got, text);
    free(got);
    sp_config_free(&cfg);
}

static void test_initials(void **state) {
    (void)state;
    expect("J. R. R. Tolkien wrote it. He was English.",
           "J. R. R. Tolkien wrote it. | He was English.");
    expect("We make a good team, you and I. Did you see Albert I. Jones?",
           "We make a good team, you and I. | Did you see Albert I. Jones?");
    expect("President George W. Bush spoke.", "President George W. Bush spoke.");
}

static void test_numbers(void **state) {
    (void)state;
    expect("Version 2.0.1 is out. Python 3.12 too.", "Version 2.0.1 is out. | Python 3.12 too.");
    expect("It cost $100.00. It rose 3.5% in 2016. 2017 was worse.",
           "It cost $100.00. | It rose 3.5% in 2016. | 2017 was worse.");
    expect("It is No. 1 in the world.", "It is No. 1 in the world.");
}

static void test_ellipses(void **state) {
    (void)state;
    expect("I never meant that.... She left.", "I never meant that.... | She left.");
    expect("Wait... what? Then... Nothing.", "Wait... what? | Then... | Nothing.");
    expect("It was . . . fine. Next.", "It was . . . fine. | Next.");
    expect("\"Bohr [...] used it [...]\" (Smith 55).", "\"Bohr [...] used it [...]\" (Smith 55).");
    expect("Unfinished \xE2\x80\xA6 The end\xE2\x80\xA6",
           "Unfinished \xE2\x80\xA6 | The end\xE2\x80\xA6");
}

static void test_quotes_brackets(void **state) {
    (void)state;
    expect(
        "\xE2\x80\x9CWe agreed,\xE2\x80\x9D Lavrov said. \xE2\x80\x9CIt is done.\xE2\x80\x9D "
        "Then he left.",
        "\xE2\x80\x9CWe agreed,\xE2\x80\x9D Lavrov said. | \xE2\x80\x9CIt is done.\xE2\x80\x9D | "
        "Then he left.");
    expect("..., Lavrov said.\xE2\x80\x9D Kerry nodded.",
           "..., Lavrov said.\xE2\x80\x9D | Kerry nodded.");
    expect("She said, \"This is great.\" she smiled.", "She said, \"This is great.\" she smiled.");
    expect("He teaches (He worked as an engineer.) at school. (It pays.) We know.",
           "He teaches (He worked as an engineer.) at school. | (It pays.) | We know.");
    expect("He was born in 1788. [17] Placed in care, he grew.",
           "He was born in 1788. [17] | Placed in care, he grew.");
}

static void test_question_exclamation(void **state) {
    (void)state;
    expect("Hello!! Long time. Hello?! Is that you?? Yes!?",
           "Hello!! | Long time. | Hello?! | Is that you?? | Yes!?");
    expect("She works at Yahoo! in the accounting department.",
           "She works at Yahoo! in the accounting department.");
    expect("Really?\xE2\x80\x9D he asked.", "Really?\xE2\x80\x9D he asked.");
}

static void test_lists(void **state) {
    (void)state;
    expect("1. The first item 2. The second item", "1. The first item | 2. The second item");
    expect("1) The first item. 2) The second item.", "1) The first item. | 2) The second item.");
    expect("a. The first item b. The second item c. The third item",
           "a. The first item | b. The second item | c. The third item");
    expect("\xE2\x80\xA2 9. The first item \xE2\x80\xA2 10. The second item",
           "\xE2\x80\xA2 9. The first item | \xE2\x80\xA2 10. The second item");
    expect("Items:\n- apples\n- pears", "Items: | - apples | - pears");
    expect("He scored 2 goals and 3 assists.", "He scored 2 goals and 3 assists.");
}

static void test_line_breaks(void **state) {
    (void)state;
    const char *seed = "Share\n\nKerry, Lavrov hold talks in Geneva\n\nWeaponized chlorine has "
                       "been determined by the U.N. Security Council to be a chemical weapon.";
    expect(seed, "Share | Kerry, Lavrov hold talks in Geneva | Weaponized chlorine has been "
                 "determined by the U.N. Security Council to be a chemical weapon.");
    const char *headline = "BREAKING NEWS\nThe president said he would go.\nHe went.";
    expect(headline, "BREAKING NEWS | The president said he would go. | He went.");
    expect_mode(headline, SP_LB_NEVER, "BREAKING NEWS\nThe president said he would go. | He went.");
    expect_mode("one line\ncontinues here", SP_LB_ALWAYS, "one line | continues here");
    /* A line that reads on (lower case, or after a comma) is no end in auto mode. */
    expect("The talks, which began\nin Geneva, ended.",
           "The talks, which began\nin Geneva, ended.");
    expect("We met the minister,\nSergei Lavrov, today.",
           "We met the minister,\nSergei Lavrov, today.");
    /* Hard-wrapped text: a capital at a line start after a full line is no end. */
    const char *wrapped = "The committee met on Tuesday to discuss the budget for the coming\n"
                          "Year and agreed that spending on schools should rise by about five\n"
                          "Percent while the defence budget would be held flat in real terms.\n"
                          "Officials said the plan would be published on Friday next week.\n"
                          "Short line\n"
                          "The end came soon after the vote, which was held late at night.";
    expect(wrapped, "The committee met on Tuesday to discuss the budget for the coming\n"
                    "Year and agreed that spending on schools should rise by about five\n"
                    "Percent while the defence budget would be held flat in real terms. | "
                    "Officials said the plan would be published on Friday next week. | "
                    "Short line | "
                    "The end came soon after the vote, which was held late at night.");
}

static void test_datelines_separators(void **state) {
    (void)state;
    expect("TEHRAN (AFP) - An international contest opened. It ends today.",
           "TEHRAN (AFP) - | An international contest opened. | It ends today.");
    expect("It was great. *** Then it was not.", "It was great. | *** | Then it was not.");
    expect("Sent 08/16/2000 12:05 PM I just wanted to say hi.",
           "Sent | 08/16/2000 12:05 PM | I just wanted to say hi.");
    expect("Best regards, Debra Smith", "Best regards, | Debra Smith");
    /* Greetings: the word list, up to three words, the comma, a capital after it. */
    expect("Dear All, Thanks for the note.", "Dear All, | Thanks for the note.");
    expect("Hi, How are you?", "Hi, | How are you?");
    expect("I came. Dear All, We meet today.", "I came. | Dear All, | We meet today.");
    expect("Hey you guys, Listen.", "Hey you guys, | Listen.");
    expect("However, The plan failed.", "However, The plan failed.");
    expect("Thanks a lot John, See you.", "Thanks a lot John, See you.");
    expect("Hello world, the end.", "Hello world, the end.");
    expect("Warm (very warm), It was.", "Warm (very warm), It was.");
}

static void test_lexicon(void **state) {
    (void)state;
    assert_true(sp_is_starter("The", 3));
    assert_false(sp_is_starter("the", 3));
    assert_false(sp_is_starter("Thex", 4));
}

static void test_adversarial(void **state) {
    (void)state;
    expect("!!! ??? ... ,,, ;; \xE2\x80\x94 .", "!!! ??? ... ,,, ;; \xE2\x80\x94 .");
    expect(". . . .", ". . . .");
    expect("?", "?");
    expect("Bad \xEF\xBF\xBD\xEF\xBF\xBD bytes. \xEF\xBF\xBD Next one.",
           "Bad \xEF\xBF\xBD\xEF\xBF\xBD bytes. | \xEF\xBF\xBD Next one.");
    /* Mixed scripts: CJK full stops always end; Cyrillic capitals count as capitals. */
    expect(
        "\xE5\x8C\x97\xE4\xBA\xAC\xE3\x80\x82\xE6\x88\x91\xE4\xBB\xAC\xE8\xB5\xB0\xEF\xBC\x81"
        "Hello there. \xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82. \xD0\x9C\xD0\xB8\xD1\x80.",
        "\xE5\x8C\x97\xE4\xBA\xAC\xE3\x80\x82 | \xE6\x88\x91\xE4\xBB\xAC\xE8\xB5\xB0\xEF\xBC\x81 | "
        "Hello there. | \xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82. | "
        "\xD0\x9C\xD0\xB8\xD1\x80.");
    /* Ten megabytes without a space: one sentence, quickly. */
    size_t n = 10u << 20;
    char *text = malloc(n + 1);
    assert_non_null(text);
    for (size_t i = 0; i < n; i++)
        text[i] = (char)('a' + i % 26);
    text[n] = '\0';
    slc_tokens t = {0};
    sp_spans sp = {0};
    sp_config cfg;
    sp_config_init(&cfg);
    assert_int_equal(slc_tokenize(text, n, &t), SL_OK);
    assert_int_equal(sp_split(&cfg, text, n, t.v, t.n, &sp), SL_OK);
    assert_int_equal(sp.n, 1);
    assert_int_equal(sp.v[0].end, n);
    /* And ten megabytes of "a. " sentences, and of periods and newlines. */
    for (size_t i = 0; i < n; i++)
        text[i] = "Ab. "[i % 4];
    assert_int_equal(slc_tokenize(text, n, &t), SL_OK);
    assert_int_equal(sp_split(&cfg, text, n, t.v, t.n, &sp), SL_OK);
    check_spans(text, n, &sp);
    for (size_t i = 0; i < n; i++)
        text[i] = ". \n"[i % 3];
    assert_int_equal(slc_tokenize(text, n, &t), SL_OK);
    assert_int_equal(sp_split(&cfg, text, n, t.v, t.n, &sp), SL_OK);
    check_spans(text, n, &sp);
    free(text);
    slc_tokens_free(&t);
    sp_spans_free(&sp);
}

/* Random documents from fragments that exercise every rule (a fixed seed, so reproducible). */
static void test_random_documents(void **state) {
    (void)state;
    static const char *const frags[] = {"Mr.",
                                        "U.S.",
                                        "a.m.",
                                        "Inc.",
                                        "E.",
                                        "word",
                                        "Word",
                                        "WORD",
                                        "3.5",
                                        "1,000",
                                        "1.",
                                        "2)",
                                        "(",
                                        ")",
                                        "[",
                                        "]",
                                        "\"",
                                        "'",
                                        "\xE2\x80\x9C",
                                        "\xE2\x80\x9D",
                                        ".",
                                        "...",
                                        ". . .",
                                        "?",
                                        "!",
                                        "?!",
                                        ",",
                                        ";",
                                        ":",
                                        "-",
                                        "--",
                                        "\xE2\x80\x94",
                                        "\xE2\x80\xA2",
                                        "***",
                                        "\n",
                                        "\n\n",
                                        " ",
                                        "  ",
                                        "\xEF\xBF\xBD",
                                        "\xE5\x8C\x97\xE3\x80\x82",
                                        "\xD0\x9C\xD0\xB8\xD1\x80",
                                        "\xF0\x9F\x98\x80",
                                        "http://x.org/a.",
                                        "a@b.co",
                                        "@h",
                                        "#t",
                                        "08/16/2000",
                                        "12:05",
                                        "PM",
                                        "Regards",
                                        "TEHRAN",
                                        "I",
                                        "i",
                                        "The",
                                        "[17]",
                                        "\xE2\x80\x8B",
                                        "don't",
                                        "'s",
                                        "\t"};
    size_t nf = sizeof frags / sizeof frags[0];
    uint64_t seed = 42;
    char text[4096];
    slc_tokens t = {0};
    sp_spans sp = {0};
    sp_config cfg;
    sp_config_init(&cfg);
    for (int doc = 0; doc < 3000; doc++) {
        size_t len = 0;
        int parts = (int)(seed >> 40) % 60;
        for (int k = 0; k < parts; k++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            const char *f = frags[(seed >> 33) % nf];
            size_t fl = strlen(f);
            if (len + fl + 1 >= sizeof text)
                break;
            memcpy(text + len, f, fl);
            len += fl;
            if ((seed >> 20) % 3)
                text[len++] = ' ';
        }
        text[len] = '\0';
        cfg.line_breaks = (sp_line_breaks)(doc % 3);
        assert_int_equal(slc_tokenize(text, len, &t), SL_OK);
        assert_int_equal(sp_split(&cfg, text, len, t.v, t.n, &sp), SL_OK);
        check_spans(text, len, &sp);
        /* Every token lies in exactly one sentence. */
        size_t s = 0;
        for (size_t i = 0; i < t.n; i++) {
            while (s < sp.n && sp.v[s].end <= t.v[i].start)
                s++;
            assert_true(s < sp.n);
            assert_true(sp.v[s].start <= t.v[i].start && t.v[i].end <= sp.v[s].end);
        }
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    }
    slc_tokens_free(&t);
    sp_spans_free(&sp);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_abbreviations),
        cmocka_unit_test(test_extra_abbreviations),
        cmocka_unit_test(test_initials),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_ellipses),
        cmocka_unit_test(test_quotes_brackets),
        cmocka_unit_test(test_question_exclamation),
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_line_breaks),
        cmocka_unit_test(test_datelines_separators),
        cmocka_unit_test(test_lexicon),
        cmocka_unit_test(test_adversarial),
        cmocka_unit_test(test_random_documents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
