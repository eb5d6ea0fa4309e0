/* The events stage in a pipeline run by the sluice command: the layer it writes, its options
 * (PETRARCH dictionaries, partial events, the layer's name) and `sluice check` naming the
 * file and line of a malformed lexicon or dictionary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Run `sluice CMD PIPELINE` on input text; the result to free. */
static tu_result sluice(const char *cmd, const char *pipeline, const char *input) {
    const char *yaml = tu_write("p.yaml", pipeline, strlen(pipeline));
    char ypath[4096];
    snprintf(ypath, sizeof ypath, "%s", yaml);
    const char *in = input ? tu_write("in.jsonl", input, strlen(input)) : NULL;
    char line[8192];
    snprintf(line, sizeof line, "'%s' %s '%s' --plugin-path '%s'", tu_env("SLUICE_BIN", "sluice"),
             cmd, ypath, tu_env("SLUICE_PLUGIN_BUILD_DIR", "."));
    return tu_run(line, in);
}

/* Fail with the command's standard error unless it exited with `want`. */
static void expect_status(const tu_result *r, int want) {
    if (r->status != want)
        fail_msg("exit status %d, not %d: %s", r->status, want, r->err);
}

static const char *doc =
    "{\"id\":\"d1\",\"date\":\"2016-03-01\",\"text\":\"The weather was mild. Syrian rebels "
    "shelled Damascus on Monday, state media said. Russia and China did not meet.\"}\n";

static void test_layer(void **state) {
    (void)state;
    tu_result r = sluice("run", "stages:\n  - plugin: sentences\n  - plugin: events\n", doc);
    expect_status(&r, 0);
    tu_assert_contains(r.out, "\"events\":[{\"start\":36,\"end\":43,\"label\":\"194\","
                              "\"sentence\":1,\"code\":\"194\",\"root\":\"19\",\"quad\":4,"
                              "\"goldstein\":-10,\"name\":\"Fight with artillery and tanks\","
                              "\"source\":{\"start\":22,\"end\":35,\"text\":\"Syrian rebels\"},"
                              "\"source_code\":\"SYRREB\",\"target\":{\"start\":44,\"end\":52,"
                              "\"text\":\"Damascus\"},\"target_code\":\"SYR\"}]");
    tu_result_free(&r);
    /* nothing to code: an empty layer */
    r = sluice("run", "stages:\n  - plugin: sentences\n  - plugin: events\n    layer: ev\n",
               "{\"id\":\"e\",\"text\":\"\"}\n{\"id\":\"f\",\"text\":\"Nothing happened.\"}\n");
    expect_status(&r, 0);
    assert_int_equal(tu_count_lines(r.out), 2);
    tu_assert_contains(r.out, "{\"id\":\"e\",\"text\":\"\",\"sentences\":[],\"ev\":[]}");
    tu_assert_contains(r.out, "\"ev\":[]}");
    tu_result_free(&r);
}

static void test_partial(void **state) {
    (void)state;
    static const char *in = "{\"id\":\"p\",\"text\":\"Russia condemned the decision.\"}\n";
    tu_result r = sluice("run", "stages:\n  - plugin: events\n", in);
    expect_status(&r, 0);
    tu_assert_contains(r.out, "\"events\":[]");
    tu_result_free(&r);
    r = sluice("run", "stages:\n  - plugin: events\n    partial: true\n", in);
    expect_status(&r, 0);
    tu_assert_contains(r.out, "\"code\":\"111\"");
    tu_assert_contains(r.out, "\"source_code\":\"RUS\"}]");
    tu_result_free(&r);
}

static void test_petrarch_dictionaries(void **state) {
    (void)state;
    static const char actors[] = "ARNOR_ [ARN]\nGONDOR_ [GON]\n+GONDORIAN\n";
    static const char agents[] = "KING [~GOV]\n";
    static const char verbs[] = "--- RESTORE [064] ---\nRESTORE\n- * TIES [050]\n"
                                "--- SNUB [---] ---\nSNUB\n- * + BY [120]\n";
    char pa[4096], pg[4096], pv[4096], pipeline[16384];
    snprintf(pa, sizeof pa, "%s", tu_write("actors.txt", actors, sizeof actors - 1));
    snprintf(pg, sizeof pg, "%s", tu_write("agents.txt", agents, sizeof agents - 1));
    snprintf(pv, sizeof pv, "%s", tu_write("verbs.txt", verbs, sizeof verbs - 1));
    snprintf(pipeline, sizeof pipeline,
             "stages:\n  - plugin: events\n    actors: ['%s', '%s']\n    verbs: '%s'\n", pa, pg,
             pv);
    tu_result r = sluice("run", pipeline,
                         "{\"id\":\"u\",\"text\":\"The Gondorian king restored diplomatic ties "
                         "with Arnor.\"}\n");
    expect_status(&r, 0);
    tu_assert_contains(r.out, "\"code\":\"050\"");
    tu_assert_contains(r.out, "\"source_code\":\"GONGOV\"");
    tu_assert_contains(r.out, "\"target_code\":\"ARN\"");
    tu_result_free(&r);
}

static void test_check_reports_file_and_line(void **state) {
    (void)state;
    static const char lexicon[] = "meet\t040\nattack\t999\n";
    char pl[4096], pipeline[8192];
    snprintf(pl, sizeof pl, "%s", tu_write("bad-lexicon.tsv", lexicon, sizeof lexicon - 1));
    snprintf(pipeline, sizeof pipeline, "stages:\n  - plugin: events\n    lexicon: ['%s']\n", pl);
    tu_result r = sluice("check", pipeline, NULL);
    expect_status(&r, 3);
    tu_assert_contains(r.err, "stage 1 (plugin events): option 'lexicon'");
    tu_assert_contains(r.err, "bad-lexicon.tsv:2: code '999': not a code of the CAMEO table");
    tu_result_free(&r);
    static const char actors[] = "ARNOR [ARN]\nGONDOR [GON\n";
    snprintf(pl, sizeof pl, "%s", tu_write("bad-actors.txt", actors, sizeof actors - 1));
    snprintf(pipeline, sizeof pipeline, "stages:\n  - plugin: events\n    actors: ['%s']\n", pl);
    r = sluice("check", pipeline, NULL);
    expect_status(&r, 3);
    tu_assert_contains(r.err, "option 'actors'");
    tu_assert_contains(r.err, "bad-actors.txt:2: '[' without ']'");
    tu_result_free(&r);
    snprintf(pipeline, sizeof pipeline, "stages:\n  - plugin: events\n    cameo: /nonexistent\n");
    r = sluice("run", pipeline, "{\"text\":\"x\"}\n");
    expect_status(&r, 3);
    tu_assert_contains(r.err, "option 'cameo': /nonexistent: cannot open");
    tu_result_free(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layer),
        cmocka_unit_test(test_partial),
        cmocka_unit_test(test_petrarch_dictionaries),
        cmocka_unit_test(test_check_reports_file_and_line),
    };
    return cmocka_run_group_tests(tests, NULL, tu_teardown);
}
