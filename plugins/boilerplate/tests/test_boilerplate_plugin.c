/*
 * The boilerplate stage in process, through the plugin test harness (include/sluice/harness.h):
 * a JSON Lines document with HTML and one with scraped text, HTML pages as `--input-format
 * html` reads them (UTF-8 and a legacy charset), Latin-1-mapped bytes, and the option checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "harness_util.h"
#include "test_util.h"

static const char html_doc[] =
    "{\"id\":\"h1\",\"url\":\"https://in.example/a\",\"html\":\"<html><head>"
    "<title>Flood funds released</title><meta name='author' content='Jane Doe'>"
    "<link rel='canonical' href='https://example.com/flood'></head><body><nav>"
    "<a href='/'>Home</a></nav><article><h1>Flood funds released</h1><p>The state "
    "will release emergency money to towns along the river, the governor said on "
    "Monday.</p><div class='ad'>Advertisement</div><p>The river rose four metres "
    "in two days last week, flooding more than 300 homes, officials said.</p>"
    "</article><footer>Contact us</footer></body></html>\"}";

static void jsonl_html_and_text(void **s) {
    (void)s;
    sl_harness *h = tu_harness_started("boilerplate", NULL);
    const char *out = sl_harness_process(h, html_doc, NULL);
    assert_non_null(out);
    /* the HTML document */
    assert_non_null(strstr(out, "\"text\":\"The state will release emergency money"));
    assert_non_null(strstr(out, "300 homes, officials said."));
    assert_null(strstr(out, "Advertisement"));
    assert_null(strstr(out, "Home"));
    assert_null(strstr(out, "\"html\":"));
    assert_non_null(strstr(out, "\"title\":\"Flood funds released\""));
    assert_non_null(strstr(out, "\"author\":\"Jane Doe\""));
    assert_non_null(strstr(out, "\"url\":\"https://in.example/a\"")); /* input kept */
    assert_non_null(strstr(out, "\"boilerplate\":{"));
    assert_non_null(strstr(out, "\"article_found\":true"));
    /* the text document */
    out = sl_harness_process(h,
                             "{\"id\":\"t1\",\"text\":\"Share\\n\\nFlood funds released\\n\\n"
                             "The state will release money, the governor said.\\n\\n"
                             "Advertisement\\n\\nThe river rose four metres last week.\"}",
                             NULL);
    assert_non_null(out);
    assert_non_null(strstr(out, "\"text\":\"Flood funds released\\n\\nThe state will release"));
    assert_null(strstr(out, "Advertisement"));
    assert_null(strstr(out, "Share"));
    sl_harness_free(h);

    /* keep_html keeps the raw page */
    h = tu_harness_started("boilerplate", "keep_html: true\n");
    out = sl_harness_process(h, html_doc, NULL);
    assert_non_null(strstr(out, "\"html\":\"<html>"));
    sl_harness_free(h);
}

/* An HTML page as the html reader gives it (the file's bytes), through the stage. */
static const char *page(sl_harness *h, const char *html) {
    const char *out = sl_harness_process_html(h, "page.html", html, strlen(html), NULL);
    if (!out)
        fail_msg("the page failed: %s", sl_harness_error(h));
    return out;
}

static void html_file_input(void **s) {
    (void)s;
    sl_harness *h = tu_harness_started("boilerplate", NULL);
    const char *out = page(h, "<html><head><meta charset='utf-8'><title>Caf\xc3\xa9</title>"
                              "</head><body><div class='content'><p>The caf\xc3\xa9 on Main "
                              "Street will close next month after a century, its owner said "
                              "on Friday.</p></div></body></html>");
    assert_non_null(strstr(out, "The caf\xc3\xa9 on Main Street"));
    assert_non_null(strstr(out, "\"title\":\"Caf\xc3\xa9\""));
    sl_harness_free(h);
}

/* a windows-1252 page read as an .html file: the reader keeps its bytes, the stage decodes */
static void legacy_charset_html_file(void **s) {
    (void)s;
    sl_harness *h = tu_harness_started("boilerplate", NULL);
    const char *out =
        page(h, "<html><head><meta charset=windows-1252><title>Caf\xe9</title></head>"
                "<body><article><p>\x93The caf\xe9 will close,\x94 its owner said on "
                "Friday, after a century on Main Street in the old town.</p></article>"
                "</body></html>");
    assert_non_null(strstr(out, "\xe2\x80\x9cThe caf\xc3\xa9 will close,\xe2\x80\x9d"));
    assert_non_null(strstr(out, "\"title\":\"Caf\xc3\xa9\""));
    sl_harness_free(h);
}

/* windows-1252 bytes that a producer put in the JSON string as Latin-1 code points
 * (U+0093 and U+0094 are C1 controls, the mark of it) are decoded as the page says */
static void latin1_mapped_bytes(void **s) {
    (void)s;
    sl_harness *h = tu_harness_started("boilerplate", NULL);
    const char *out =
        sl_harness_process(h,
                           "{\"id\":\"l1\",\"html\":\"<meta charset=windows-1252><p>\\u0093The "
                           "caf\\u00e9 will close,\\u0094 its owner said on Friday, after a "
                           "century on Main Street.</p>\"}",
                           NULL);
    assert_non_null(out);
    assert_non_null(strstr(out, "\xe2\x80\x9cThe caf\xc3\xa9 will close,\xe2\x80\x9d"));
    assert_non_null(strstr(out, "\"bytes_recovered\":true"));
    sl_harness_free(h);
}

/* What `sluice check` finds with these options: its status, and the messages in *err. */
static int check_options(const char *options, char **err) {
    sl_harness *h = tu_harness("boilerplate", options);
    int rc = sl_harness_check(h);
    *err = strdup(sl_harness_error(h));
    sl_harness_free(h);
    return rc;
}

/* Option values only the plugin can judge are found by `sluice check`, before any input. */
static void check_finds_bad_values(void **s) {
    (void)s;
    char *err;
    assert_int_equal(check_options("min_paragraph_length: -3\ncharset: no-such-charset\n", &err),
                     SL_ECONFIG);
    tu_assert_contains(err, "harness:3:27: stage 1 (plugin boilerplate): option "
                            "'min_paragraph_length' must be from 0 to 100000, not -3");
    free(err);
    assert_int_equal(check_options("charset: no-such-charset\n", &err), SL_ECONFIG);
    tu_assert_contains(err, "harness:3:14: stage 1 (plugin boilerplate): option 'charset': "
                            "'no-such-charset' is not a charset this system can decode");
    free(err);
    assert_int_equal(check_options("charset: Windows-1251\n", &err), SL_OK);
    free(err);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(jsonl_html_and_text),    cmocka_unit_test(html_file_input),
        cmocka_unit_test(latin1_mapped_bytes),    cmocka_unit_test(legacy_charset_html_file),
        cmocka_unit_test(check_finds_bad_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
