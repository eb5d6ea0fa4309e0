/*
 * End to end through the sluice command: a JSON Lines input with an HTML document and a
 * scraped-text document, a pipeline with the boilerplate stage, and checks on the output.
 * Also an .html file through --input-format html. Skips (77) without the built binary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

static const char *bin(void) {
    const char *b = getenv("SLUICE_BIN");
    return b && access(b, X_OK) == 0 ? b : NULL;
}

static void write_file(const char *name, const char *text) {
    tu_write(name, text, strlen(text));
}

/* Run a command in the test's folder; returns its standard output (malloc'd). */
static char *run(const char *cmd, int *status) {
    char line[2048];
    snprintf(line, sizeof line, "cd '%s' && %s", tu_tmpdir(), cmd);
    tu_result r = tu_run(line, NULL);
    *status = r.status;
    free(r.err);
    return r.out;
}

static void jsonl_html_and_text(void **s) {
    (void)s;
    write_file("p.yaml", "stages:\n  - plugin: boilerplate\n");
    write_file("in.jsonl",
               "{\"id\":\"h1\",\"url\":\"https://in.example/a\",\"html\":\"<html><head>"
               "<title>Flood funds released</title><meta name='author' content='Jane Doe'>"
               "<link rel='canonical' href='https://example.com/flood'></head><body><nav>"
               "<a href='/'>Home</a></nav><article><h1>Flood funds released</h1><p>The state "
               "will release emergency money to towns along the river, the governor said on "
               "Monday.</p><div class='ad'>Advertisement</div><p>The river rose four metres "
               "in two days last week, flooding more than 300 homes, officials said.</p>"
               "</article><footer>Contact us</footer></body></html>\"}\n"
               "{\"id\":\"t1\",\"text\":\"Share\\n\\nFlood funds released\\n\\nThe state will "
               "release money, the governor said.\\n\\nAdvertisement\\n\\nThe river rose four "
               "metres last week.\"}\n");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "\'%s\' run p.yaml -q in.jsonl", bin());
    int st;
    char *out = run(cmd, &st);
    assert_int_equal(st, 0);
    char *l2 = strchr(out, '\n');
    assert_non_null(l2);
    *l2++ = '\0';
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
    assert_non_null(strstr(l2, "\"text\":\"Flood funds released\\n\\nThe state will release"));
    assert_null(strstr(l2, "Advertisement"));
    assert_null(strstr(l2, "Share"));
    free(out);

    /* keep_html keeps the raw page */
    write_file("k.yaml", "stages:\n  - plugin: boilerplate\n    keep_html: true\n");
    snprintf(cmd, sizeof cmd, "\'%s\' run k.yaml -q in.jsonl", bin());
    out = run(cmd, &st);
    assert_int_equal(st, 0);
    assert_non_null(strstr(out, "\"html\":\"<html>"));
    free(out);
}

static void html_file_input(void **s) {
    (void)s;
    write_file("p.yaml", "stages:\n  - plugin: boilerplate\n");
    write_file("page.html", "<html><head><meta charset='utf-8'><title>Caf\xc3\xa9</title>"
                            "</head><body><div class='content'><p>The caf\xc3\xa9 on Main "
                            "Street will close next month after a century, its owner said "
                            "on Friday.</p></div></body></html>");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "\'%s\' run p.yaml -q --input-format html page.html", bin());
    int st;
    char *out = run(cmd, &st);
    assert_int_equal(st, 0);
    assert_non_null(strstr(out, "The caf\xc3\xa9 on Main Street"));
    assert_non_null(strstr(out, "\"title\":\"Caf\xc3\xa9\""));
    free(out);
}

/* windows-1252 bytes that a producer put in the JSON string as Latin-1 code points
 * (U+0093 and U+0094 are C1 controls, the mark of it) are decoded as the page says */
/* a windows-1252 page read as an .html file: the reader keeps its bytes, the stage decodes */
static void legacy_charset_html_file(void **s) {
    (void)s;
    write_file("p.yaml", "stages:\n  - plugin: boilerplate\n");
    write_file("old.html", "<html><head><meta charset=windows-1252><title>Caf\xe9</title></head>"
                           "<body><article><p>\x93The caf\xe9 will close,\x94 its owner said on "
                           "Friday, after a century on Main Street in the old town.</p></article>"
                           "</body></html>");
    int st;
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' run p.yaml -q old.html", bin());
    char *out = run(cmd, &st);
    assert_int_equal(st, 0);
    assert_non_null(strstr(out, "\xe2\x80\x9cThe caf\xc3\xa9 will close,\xe2\x80\x9d"));
    assert_non_null(strstr(out, "\"title\":\"Caf\xc3\xa9\""));
    free(out);
}

static void latin1_mapped_bytes(void **s) {
    (void)s;
    write_file("p.yaml", "stages:\n  - plugin: boilerplate\n");
    write_file("l.jsonl", "{\"id\":\"l1\",\"html\":\"<meta charset=windows-1252><p>\\u0093The "
                          "caf\\u00e9 will close,\\u0094 its owner said on Friday, after a "
                          "century on Main Street.</p>\"}\n");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "\'%s\' run p.yaml -q l.jsonl", bin());
    int st;
    char *out = run(cmd, &st);
    assert_int_equal(st, 0);
    assert_non_null(strstr(out, "\xe2\x80\x9cThe caf\xc3\xa9 will close,\xe2\x80\x9d"));
    assert_non_null(strstr(out, "\"bytes_recovered\":true"));
    free(out);
}

/* `sluice check` on a pipeline written to name: its exit status, and stderr in *err. */
static int check_pipeline(const char *name, const char *yaml, char **err) {
    write_file(name, yaml);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' check %s", tu_tmpdir(), bin(), name);
    tu_result r = tu_run(cmd, NULL);
    free(r.out);
    *err = r.err;
    return r.status;
}

/* Option values only the plugin can judge are found by `sluice check`, before any input. */
static void check_finds_bad_values(void **s) {
    (void)s;
    char *err;
    assert_int_equal(check_pipeline("bad.yaml",
                                    "stages:\n  - plugin: boilerplate\n    min_paragraph_length: "
                                    "-3\n    charset: no-such-charset\n",
                                    &err),
                     3);
    tu_assert_contains(err, "bad.yaml:3:27: stage 1 (plugin boilerplate): option "
                            "'min_paragraph_length' must be from 0 to 100000, not -3");
    free(err);
    assert_int_equal(
        check_pipeline("cs.yaml",
                       "stages:\n  - plugin: boilerplate\n    charset: no-such-charset\n", &err),
        3);
    tu_assert_contains(err, "cs.yaml:3:14: stage 1 (plugin boilerplate): option 'charset': "
                            "'no-such-charset' is not a charset this system can decode");
    free(err);
    assert_int_equal(check_pipeline("good.yaml",
                                    "stages:\n  - plugin: boilerplate\n    charset: Windows-1251\n",
                                    &err),
                     0);
    free(err);
}

int main(void) {
    if (!bin()) {
        printf("SLUICE_BIN not set or not executable: skipped\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(jsonl_html_and_text),    cmocka_unit_test(html_file_input),
        cmocka_unit_test(latin1_mapped_bytes),    cmocka_unit_test(legacy_charset_html_file),
        cmocka_unit_test(check_finds_bad_values),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    tu_cleanup();
    return rc;
}
