/* End to end: the sentences plugin in a pipeline run by the sluice command (skips, 77, when the
 * build does not say where the command is). */
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

static const char *bin;

/* Run the pipeline on the input; standard output in a malloc'd string, exit status in *rc. */
static char *run(const char *pipeline, const char *input, int *rc) {
    const char *p = tu_write("p.yaml", pipeline, strlen(pipeline));
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' run '%s' -", bin, p);
    const char *in = tu_write("in.jsonl", input, strlen(input));
    tu_result r = tu_run(cmd, in);
    *rc = r.status;
    free(r.err);
    return r.out;
}

static const char *doc =
    "{\"id\":\"a\",\"text\":\"Share\\n\\nKerry, Lavrov hold talks\\n\\nMr. Kerry said it. "
    "\\u201cI agree,\\u201d Lavrov said.\\nIt is done.\"}\n";

static void test_default(void **state) {
    (void)state;
    int rc;
    char *out = run("stages:\n  - plugin: sentences\n", doc, &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "\"sentences\":[{\"start\":0,\"end\":5},{\"start\":7,\"end\":"
                                "31},{\"start\":33,\"end\":51},{\"start\":52,\"end\":75},"
                                "{\"start\":76,\"end\":87}]"));
    free(out);
}

static void test_options(void **state) {
    (void)state;
    int rc;
    char *out = run("stages:\n  - plugin: sentences\n    line_breaks: never\n"
                    "    layer: sent\n",
                    "{\"id\":\"b\",\"text\":\"HEADLINE\\nBody text here. More.\"}\n", &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "\"sent\":[{\"start\":0,\"end\":24},{\"start\":25,\"end\":30}]"));
    free(out);
    out = run("stages:\n  - plugin: sentences\n    abbreviations: [bldg]\n",
              "{\"id\":\"c\",\"text\":\"Meet at Bldg. Seven today.\"}\n", &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "\"sentences\":[{\"start\":0,\"end\":26}]"));
    free(out);
}

static void test_bad_option(void **state) {
    (void)state;
    int rc;
    char *out = run("stages:\n  - plugin: sentences\n    line_breaks: sometimes\n", doc, &rc);
    assert_int_not_equal(rc, 0);
    free(out);
    /* A bad abbreviation is the plugin's own check: `sluice check` finds it, with its place. */
    static const char yaml[] = "stages:\n  - plugin: sentences\n    abbreviations: [ok, '...']\n";
    const char *p = tu_write("abbr.yaml", yaml, sizeof yaml - 1);
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' check '%s'", bin, p);
    tu_result r = tu_run(cmd, NULL);
    assert_int_equal(r.status, 3);
    tu_assert_contains(r.err, "abbr.yaml:3:20: stage 1 (plugin sentences): option 'abbreviations': "
                              "'...' is not an abbreviation");
    tu_result_free(&r);
}

static void test_empty_and_odd_docs(void **state) {
    (void)state;
    int rc;
    char *out = run("stages:\n  - plugin: sentences\n",
                    "{\"id\":\"e\",\"text\":\"\"}\n{\"id\":\"w\",\"text\":\"  \\n \"}\n"
                    "{\"id\":\"p\",\"text\":\"?!.,;\"}\n"
                    "{\"id\":\"z\",\"text\":\"\\u200b \\u2028\\ufeff\"}\n",
                    &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "\"id\":\"p\""));
    assert_non_null(strstr(out, "\"id\":\"z\""));
    free(out);
}

int main(void) {
    bin = getenv("SLUICE_BIN");
    if (!bin || access(bin, X_OK) != 0) {
        printf("SLUICE_BIN not set or not executable: skipped\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_bad_option),
        cmocka_unit_test(test_empty_and_odd_docs),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    tu_cleanup();
    return rc;
}
