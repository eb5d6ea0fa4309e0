/* End to end: the entities stage in pipelines run by the sluice command, with the bundled
 * model (skips, 77, when the build does not say where the command is). */
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

static tu_result run_cmd(const char *verb, const char *pipeline, const char *input) {
    const char *p = tu_write("p.yaml", pipeline, strlen(pipeline));
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' %s '%s'%s", bin, verb, p, input ? " -" : "");
    const char *in = input ? tu_write("in.jsonl", input, strlen(input)) : NULL;
    return tu_run(cmd, in);
}

static const char *news = "stages:\n  - plugin: sentences\n  - plugin: entities\n";

static const char *doc =
    "{\"id\":\"a\",\"text\":\"Russian Foreign Minister Sergei Lavrov met U.S. Secretary of "
    "State John Kerry in Geneva on Monday. Kerry said the talks with Syria's government "
    "would go on. The European Union and the United Nations welcomed it.\"}\n";

static void test_tags_news(void **state) {
    (void)state;
    tu_result r = run_cmd("run", news, doc);
    assert_int_equal(r.status, 0);
    tu_assert_contains(r.out, "\"label\":\"PER\",\"text\":\"Sergei Lavrov\"");
    tu_assert_contains(r.out, "\"label\":\"PER\",\"text\":\"John Kerry\"");
    tu_assert_contains(r.out, "\"label\":\"LOC\",\"text\":\"Geneva\",\"code\":\"CHE\"");
    tu_assert_contains(r.out, "\"label\":\"LOC\",\"text\":\"Syria\",\"code\":\"SYR\"");
    tu_assert_contains(r.out, "\"label\":\"ORG\",\"text\":\"European Union\"");
    tu_assert_contains(r.out, "\"label\":\"MISC\",\"text\":\"Russian\",\"code\":\"RUS\"");
    /* The later short mention points to the full name. */
    tu_assert_contains(r.out, "\"label\":\"PER\",\"text\":\"Kerry\",\"canonical\":\"John Kerry\"");
    tu_result_free(&r);
}

static void test_options(void **state) {
    (void)state;
    /* Without a sentences layer, lines and final marks stand in; another layer name; no codes. */
    tu_result r =
        run_cmd("run", "stages:\n  - plugin: entities\n    layer: ner\n    codes: false\n", doc);
    assert_int_equal(r.status, 0);
    tu_assert_contains(r.out, "\"ner\":[");
    tu_assert_contains(r.out, "\"label\":\"LOC\",\"text\":\"Geneva\"}");
    assert_null(strstr(r.out, "\"code\""));
    tu_result r2 = run_cmd(
        "run", "stages:\n  - plugin: sentences\n  - plugin: entities\n    canonical: false\n", doc);
    assert_int_equal(r2.status, 0);
    tu_assert_contains(r2.out, "\"label\":\"PER\",\"text\":\"Kerry\"}");
    assert_null(strstr(r2.out, "\"canonical\""));
    tu_result_free(&r2);
    tu_result_free(&r);
}

static void test_bad_models(void **state) {
    (void)state;
    char yaml[1024], cmd[2048];
    /* A truncated copy of the bundled model. */
    char so_dir[1024];
    snprintf(so_dir, sizeof so_dir, "%s/entities/model.bin",
             tu_env("SLUICE_PLUGIN_BUILD_DIR", "plugins"));
    size_t len;
    char *model = tu_read(so_dir, &len);
    assert_non_null(model);
    const char *cut = tu_write("cut.bin", model, len / 2);
    model[len - 10] ^= 1;
    const char *bad = tu_write("bad.bin", model, len);
    free(model);
    const char *cases[][2] = {
        {cut, "is truncated"},
        {bad, "payload checksum mismatch"},
        {"/nonexistent/model.bin", "cannot open model /nonexistent/model.bin"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        snprintf(yaml, sizeof yaml, "stages:\n  - plugin: entities\n    model: %s\n", cases[k][0]);
        const char *p = tu_write("bad.yaml", yaml, strlen(yaml));
        snprintf(cmd, sizeof cmd, "'%s' check '%s'", bin, p);
        tu_result r = tu_run(cmd, NULL);
        assert_int_equal(r.status, 3);
        tu_assert_contains(r.err, "bad.yaml:3:");
        tu_assert_contains(r.err, "option 'model'");
        tu_assert_contains(r.err, cases[k][0]);
        tu_assert_contains(r.err, cases[k][1]);
        tu_result_free(&r);
        r = run_cmd("run", yaml, doc);
        assert_int_equal(r.status, 3);
        tu_result_free(&r);
    }
}

static void test_odd_documents(void **state) {
    (void)state;
    /* Empty, blank, marks only, invisible characters, capitals, lower case, one long line. */
    size_t big = 400000;
    char *input = malloc(big + 1024);
    int n = sprintf(input, "{\"id\":\"e\",\"text\":\"\"}\n{\"id\":\"w\",\"text\":\"  \\n \"}\n"
                           "{\"id\":\"p\",\"text\":\"?!.,;\"}\n"
                           "{\"id\":\"z\",\"text\":\"\\u200b \\u2028\\ufeff\"}\n"
                           "{\"id\":\"c\",\"text\":\"KERRY MEETS LAVROV IN GENEVA\"}\n"
                           "{\"id\":\"l\",\"text\":\"kerry met lavrov in geneva\"}\n"
                           "{\"id\":\"b\",\"text\":\"");
    size_t k = (size_t)n;
    while (k < big) {
        memcpy(input + k, "Lavrov met Kerry in Paris and ", 30);
        k += 30;
    }
    strcpy(input + k, "\"}\n");
    tu_result r = run_cmd("run", "stages:\n  - plugin: entities\n", input);
    /* Without sentences, the long text without marks is one run of 80,000 tokens: tagged
     * in pieces. */
    assert_int_equal(r.status, 0);
    tu_assert_contains(r.out, "\"text\":\"Paris\",\"code\":\"FRA\"");
    tu_result_free(&r);
    r = run_cmd("run", news, input);
    free(input);
    assert_int_equal(r.status, 0);
    assert_int_equal(tu_count_lines(r.out), 7);
    tu_assert_contains(r.out, "\"id\":\"e\",\"text\":\"\",\"sentences\":[],\"entities\":[]");
    tu_assert_contains(r.out, "\"text\":\"GENEVA\"");
    tu_result_free(&r);
}

int main(void) {
    bin = getenv("SLUICE_BIN");
    if (!bin || access(bin, X_OK) != 0) {
        printf("SLUICE_BIN not set or not executable: skipped\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tags_news),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_bad_models),
        cmocka_unit_test(test_odd_documents),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    tu_cleanup();
    return rc;
}
