/* The plugin ABI 1.2 as a plugin sees it, through the real sluice binary: the read side that
 * a generic sink uses, logs that name their stage and obey -q/-v/--log-level, option getters
 * that catch a plugin's bugs, and the layers that stages say they read and write. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "test_util.h"

static char cmd[8192];

/* sluice with the fixture plugins on its path: "sluice ARGS". */
static tu_result sluice(const char *args, const char *in_path) {
    snprintf(cmd, sizeof cmd, "%s %s --plugin-path %s", tu_env("SLUICE_BIN", "./sluice"), args,
             tu_env("SLUICE_TEST_PLUGIN_DIR", "test-plugins"));
    return tu_run(cmd, in_path);
}

static const char *pipeline(const char *name, const char *yaml) {
    return tu_write(name, yaml, strlen(yaml));
}

/* A sink that knows no layer in advance exports every field, layer, span and attribute. */
static void generic_sink_reads_everything(void **state) {
    (void)state;
    static const char in[] =
        "{\"id\":\"a1\",\"title\":\"Kerry in \\\"Geneva\\\"\",\"topics\":[\"acq\",\"earn\"],"
        "\"n\":3.5,\"ok\":true,\"none\":null,\"obj\":{\"x\":[1]},\"text\":\"Kerry met Lavrov in "
        "Gen\xC3\xA8ve.\"}\n"
        "{\"text\":\"Hello\"}\n";
    const char *input = tu_write("in.jsonl", in, sizeof in - 1);
    const char *p = pipeline("dump.yaml", "stages:\n  - plugin: probe\n    fail_on: \"\"\n"
                                          "    layer: marks\n  - plugin: dump\n");
    char args[2048];
    snprintf(args, sizeof args, "run %s %s", p, input);
    tu_result r = sluice(args, NULL);
    assert_int_equal(r.status, 0);
    snprintf(args, sizeof args,
             "doc a1\n"
             "  meta id (string, 4 bytes): \"a1\"\n"
             "  meta title (string, 21 bytes): \"Kerry in \\\"Geneva\\\"\"\n"
             "  meta topics (array, 14 bytes): [\"acq\",\"earn\"]\n"
             "  meta n (number, 3 bytes): 3.5 = 3.5\n"
             "  meta ok (bool, 4 bytes): true\n"
             "  meta none (null, 4 bytes): null\n"
             "  meta obj (object, 9 bytes): {\"x\":[1]}\n"
             "  layer marks flags 1\n"
             "   span [0,5) FIRST\n"
             "    tokens (number): 6\n"
             "    last (range): [27,28) {\"start\":27,\"end\":28,\"text\":\".\"}\n"
             "    kinds (array): [1,true,null]\n"
             "doc %s:2\n"
             "  meta id (string, %zu bytes): \"%s:2\"\n"
             "  layer marks flags 1\n"
             "   span [0,5) FIRST\n"
             "    tokens (number): 1\n"
             "    last (range): [0,5) {\"start\":0,\"end\":5,\"text\":\"Hello\"}\n"
             "    kinds (array): [1,true,null]\n",
             input, strlen(input) + 4, input);
    assert_string_equal(r.out, args);
    tu_result_free(&r);
}

/* Plugin messages carry the stage and plugin; the level filter drops what was not asked for. */
static void logs_name_the_stage_and_filter(void **state) {
    (void)state;
    const char *p = pipeline("log.yaml", "stages:\n  - plugin: probe\n    fail_on: \"\"\n"
                                         "    log: true\n");
    char args[2048];
    snprintf(args, sizeof args, "run %s", p);
    tu_result r = sluice(args, NULL);
    assert_int_equal(r.status, 0);
    tu_assert_contains(r.err, "sluice: stage 1 (plugin probe): error: message at level 0\n");
    tu_assert_contains(r.err, "sluice: stage 1 (plugin probe): warning: message at level 1\n");
    assert_null(strstr(r.err, "level 2"));
    tu_result_free(&r);

    snprintf(args, sizeof args, "run -q %s", p);
    r = sluice(args, NULL);
    tu_assert_contains(r.err, "error: message at level 0");
    assert_null(strstr(r.err, "level 1"));
    assert_null(strstr(r.err, "documents read")); /* -q also drops the summary */
    tu_result_free(&r);

    snprintf(args, sizeof args, "run -v %s", p);
    r = sluice(args, NULL);
    tu_assert_contains(r.err, "sluice: stage 1 (plugin probe): info: message at level 2\n");
    assert_null(strstr(r.err, "level 3"));
    tu_result_free(&r);

    snprintf(args, sizeof args, "run --log-level debug %s", p);
    r = sluice(args, NULL);
    tu_assert_contains(r.err, "sluice: stage 1 (plugin probe): debug: message at level 3\n");
    tu_result_free(&r);

    snprintf(args, sizeof args, "run --log-level loud %s", p);
    r = sluice(args, NULL);
    assert_int_equal(r.status, 2);
    tu_assert_contains(r.err, "--log-level takes error, warning, info or debug, not 'loud'");
    tu_result_free(&r);
}

/* Asking for an option the schema does not declare is a plugin bug: tests see it at once. */
static void undeclared_option_fails_loudly(void **state) {
    (void)state;
    const char *p = pipeline("misuse.yaml", "stages:\n  - plugin: probe\n    fail_on: \"\"\n"
                                            "    misuse: true\n");
    char args[2048];
    snprintf(args, sizeof args, "run %s", p);
    tu_result r = sluice(args, NULL);
    assert_int_not_equal(r.status, 0);
    tu_assert_contains(r.err, "stage 1 (plugin probe): bug: asked for option 'nothing' that its "
                              "schema does not declare");
    tu_result_free(&r);
}

/* Layers a stage says it reads that no earlier stage says it writes are worth a warning. */
static void layer_order_warnings(void **state) {
    (void)state;
    const char *p = pipeline("needs.yaml", "stages:\n  - plugin: probe\n    fail_on: \"\"\n"
                                           "    needs: sentences\n");
    char args[2048];
    snprintf(args, sizeof args, "check %s", p);
    tu_result r = sluice(args, NULL);
    assert_int_equal(r.status, 0);
    snprintf(args, sizeof args,
             "%s:2:13: stage 1 (plugin probe): warning: reads layer 'sentences', which no "
             "earlier stage writes",
             p);
    tu_assert_contains(r.err, args);
    tu_result_free(&r);

    /* written by an earlier stage ($layer resolved through its options): no warning */
    p = pipeline("chain.yaml", "stages:\n  - plugin: probe\n    fail_on: \"\"\n"
                               "    layer: sentences\n  - plugin: probe\n    fail_on: \"\"\n"
                               "    needs: sentences\n");
    snprintf(args, sizeof args, "check %s", p);
    r = sluice(args, NULL);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    tu_result_free(&r);
}

/* A bundled stage told to write a reserved layer is refused by `sluice check`, at the value,
 * instead of failing every document later. */
static void reserved_layer_refused_by_check(void **state) {
    (void)state;
    const char *p =
        pipeline("reserved.yaml", "stages:\n  - plugin: sentences\n    layer: tokens\n");
    char args[2048];
    snprintf(args, sizeof args, "check %s", p);
    tu_result r = sluice(args, NULL);
    assert_int_equal(r.status, 3);
    snprintf(args, sizeof args,
             "%s:3:12: stage 1 (plugin sentences): option 'layer': 'tokens' cannot name a layer",
             p);
    tu_assert_contains(r.err, args);
    tu_result_free(&r);
}

/* The schema's bounds and flags, and the descriptor's layers, are shown to users. */
static void plugin_help_shows_the_schema(void **state) {
    (void)state;
    tu_result r = sluice("plugins probe", NULL);
    assert_int_equal(r.status, 0);
    tu_assert_contains(r.out, "writes: $layer\n");
    tu_assert_contains(r.out, "reads: tokens,$needs\n");
    tu_assert_contains(r.out, "flags: parallel\n");
    tu_assert_contains(r.out, "layer (string, a layer name, default: probe)");
    tu_result_free(&r);
}

static int teardown(void **state) {
    (void)state;
    tu_cleanup();
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(generic_sink_reads_everything),
        cmocka_unit_test(logs_name_the_stage_and_filter),
        cmocka_unit_test(undeclared_option_fails_loudly),
        cmocka_unit_test(layer_order_warnings),
        cmocka_unit_test(reserved_layer_refused_by_check),
        cmocka_unit_test(plugin_help_shows_the_schema),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
