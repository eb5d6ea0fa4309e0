/* The in-process plugin test harness (include/sluice/harness.h), on the fixture plugins and
 * the bundled ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness_util.h"
#include "test_util.h"

static void documents_in_and_out(void **state) {
    (void)state;
    sl_harness *h = tu_harness("probe", "fail_on: BAD\nlayer: first\n");
    assert_int_equal(sl_harness_start(h), SL_OK);
    assert_string_equal(sl_harness_error(h), "");
    size_t len = 0;
    const char *out =
        sl_harness_process(h, "{\"id\":\"a\",\"text\":\"Zo\xc3\xab ran.\",\"tags\":[1,{}]}", &len);
    assert_non_null(out);
    assert_string_equal(out, "{\"id\":\"a\",\"text\":\"Zo\xc3\xab ran.\",\"tags\":[1,{}],"
                             "\"first\":[{\"start\":0,\"end\":3,\"label\":\"FIRST\",\"text\":"
                             "\"Zo\xc3\xab\",\"tokens\":3,\"last\":{\"start\":7,\"end\":8,"
                             "\"text\":\".\"},\"kinds\":[1,true,null]}]}");
    assert_int_equal(len, strlen(out));

    /* byte offsets, as the sink's option writes them */
    sl_harness_json_flags(h, SL_JSON_BYTE_OFFSETS);
    out = sl_harness_process(h, "{\"id\":\"a\",\"text\":\"Zo\xc3\xab ran.\"}", NULL);
    tu_assert_contains(out, "\"first\":[{\"start\":0,\"end\":4,");
    sl_harness_json_flags(h, 0);

    /* a failed document, then the next one goes through */
    assert_null(sl_harness_process(h, "{\"id\":\"b\",\"text\":\"a BAD one\"}", NULL));
    assert_string_equal(sl_harness_error(h), "stage 1 (plugin probe): found 'BAD'");
    out = sl_harness_process(h, "{\"text\":\"fine\"}", NULL);
    assert_non_null(out);
    tu_assert_contains(out, "{\"id\":\"harness:4\",\"text\":\"fine\""); /* the 4th document */
    assert_string_equal(sl_harness_error(h), "");

    /* malformed records fail as the reader fails them; invalid UTF-8 is repaired */
    assert_null(sl_harness_process(h, "not json", NULL));
    assert_string_equal(sl_harness_error(h), "not a JSON object (each line must be one object)");
    assert_null(sl_harness_process(h, "{\"id\":\"x\"}", NULL));
    assert_string_equal(sl_harness_error(h), "no \"text\" or \"html\" field");
    out = sl_harness_process(h, "{\"id\":\"u\",\"text\":\"caf\xe9\"}", NULL);
    tu_assert_contains(out, "\"text\":\"caf\xef\xbf\xbd\"");

    /* plain text */
    out = sl_harness_process_text(h, "t1", "Two words", 9, &len);
    tu_assert_contains(out, "{\"id\":\"t1\",\"text\":\"Two words\",\"first\":[{\"start\":0,");
    sl_harness_free(h);
}

static void stages_in_order_by_name_and_path(void **state) {
    (void)state;
    char so[1024];
    snprintf(so, sizeof so, "%s/sentences.so", tu_env("SLUICE_PLUGIN_BUILD_DIR", "plugins"));
    if (access(so, R_OK) != 0)
        skip(); /* built with SLUICE_SKIP_PLUGINS */
    sl_harness *h = tu_harness("boilerplate", NULL);
    assert_int_equal(sl_harness_add(h, so, "line_breaks: never\nlayer: sent\n"), SL_OK);
    assert_int_equal(sl_harness_start(h), SL_OK);
    assert_int_equal(sl_harness_add(h, "probe", "fail_on: x\n"), SL_EINVAL); /* started */
    const char *out = sl_harness_process(
        h, "{\"id\":\"b\",\"text\":\"Share\\n\\nBody text here. More.\\n\\nAdvertisement\"}", NULL);
    assert_non_null(out);
    tu_assert_contains(out, "\"text\":\"Body text here. More.\"");
    tu_assert_contains(out, "\"sent\":[{\"start\":0,\"end\":15},{\"start\":16,\"end\":21}]}");
    assert_int_equal(sl_harness_flush(h), SL_OK);
    sl_harness_free(h);
}

static void problems_before_the_first_document(void **state) {
    (void)state;
    /* the schema: every problem, with its place in the pipeline the harness wrote */
    sl_harness *h = tu_harness("probe", "fail_onn: x\ncount: lots\n");
    assert_int_equal(sl_harness_check(h), SL_ECONFIG);
    tu_assert_contains(sl_harness_error(h),
                       "harness:3:5: stage 1 (plugin probe): unknown option 'fail_onn' (did you "
                       "mean 'fail_on'?)");
    tu_assert_contains(sl_harness_error(h),
                       "harness:4:12: stage 1 (plugin probe): option 'count' must be an integer");
    assert_int_equal(sl_harness_start(h), SL_ECONFIG);
    assert_null(sl_harness_process(h, "{\"text\":\"x\"}", NULL));
    assert_string_equal(sl_harness_error(h), "the harness did not start");
    sl_harness_free(h);

    /* the plugin's own check, which `sluice check` runs */
    h = tu_harness("probe", "fail_on: x\ncount: -1\n");
    assert_int_equal(sl_harness_check(h), SL_ECONFIG);
    tu_assert_contains(sl_harness_error(h), "stage 1 (plugin probe): option 'count': must not be "
                                            "negative");
    sl_harness_free(h);

    /* create() refuses */
    h = tu_harness("create_fails.so", NULL); /* a relative path: not on the plugin path */
    assert_int_equal(sl_harness_start(h), SL_ECONFIG);
    tu_assert_contains(sl_harness_error(h), "no plugin file './create_fails.so'");
    sl_harness_free(h);
    char path[1024];
    snprintf(path, sizeof path, "%s/create_fails.so",
             tu_env("SLUICE_TEST_PLUGIN_DIR", "test-plugins"));
    h = tu_harness(path, NULL);
    assert_int_equal(sl_harness_check(h), SL_OK);
    assert_int_equal(sl_harness_start(h), SL_ECONFIG);
    tu_assert_contains(sl_harness_error(h), "stage 1 (plugin variant): this fixture never starts");
    sl_harness_free(h);

    /* no such plugin; and a name that YAML would read as something else */
    h = tu_harness("prob", "fail_on: x\n");
    assert_int_equal(sl_harness_start(h), SL_ECONFIG);
    tu_assert_contains(sl_harness_error(h), "unknown plugin 'prob' (did you mean 'probe'?)");
    sl_harness_free(h);
    h = tu_harness("it's: [a.so", NULL);
    assert_int_equal(sl_harness_start(h), SL_ECONFIG);
    tu_assert_contains(sl_harness_error(h), "it's: [a.so");
    sl_harness_free(h);

    /* misuse of the harness itself */
    h = sl_harness_new();
    assert_int_equal(sl_harness_add(h, "", NULL), SL_EINVAL);
    assert_null(sl_harness_process(h, "{\"text\":\"x\"}", NULL));
    assert_string_equal(sl_harness_error(h), "sl_harness_start() was not called");
    sl_harness_free(h);
    sl_harness_free(NULL);
}

/* A stage's layer in code points, written and read back: a pass-through keeps it, the stage
 * run again replaces it with the same. */
static void layers_round_trip_with_code_points(void **state) {
    (void)state;
    static const char doc[] =
        "{\"id\":\"a1\",\"url\":\"http://example.org/1\",\"text\":\"Kerry met "
        "Lavrov in Gen\xC3\xA8ve.\",\"tags\":[\"x\",{\"y\":1}]}";
    sl_harness *probe = tu_harness_started("probe", "fail_on: \"\"\n");
    const char *out = sl_harness_process(probe, doc, NULL);
    assert_non_null(out);
    /* The final "." is code point 26, byte 27. */
    tu_assert_contains(out, "\"tags\":[\"x\",{\"y\":1}],\"probe\":[{\"start\":0,\"end\":5,"
                            "\"label\":\"FIRST\",\"text\":\"Kerry\",\"tokens\":");
    tu_assert_contains(out, "\"last\":{\"start\":26,\"end\":27,\"text\":\".\"}");
    char *first = strdup(out);
    sl_harness *pass = sl_harness_new();
    assert_int_equal(sl_harness_start(pass), SL_OK);
    assert_string_equal(sl_harness_process(pass, first, NULL), first);
    assert_string_equal(sl_harness_process(probe, first, NULL), first);
    free(first);
    sl_harness_free(pass);
    sl_harness_free(probe);
}

/* A source stage makes the documents; the stages after it see each one. */
static void source_documents(void **state) {
    (void)state;
    sl_harness *h = tu_harness("counter", "count: 3\n");
    assert_int_equal(sl_harness_add(h, "probe", "fail_on: 'number 1.'\n"), SL_OK);
    assert_int_equal(sl_harness_start(h), SL_OK);
    const char *out = sl_harness_read(h, NULL);
    tu_assert_contains(out, "{\"id\":\"n0\",\"text\":\"Document number 0.\",\"probe\":[");
    assert_null(sl_harness_read(h, NULL)); /* probe fails the second */
    assert_string_equal(sl_harness_error(h), "stage 2 (plugin probe): found 'number 1.'");
    tu_assert_contains(sl_harness_read(h, NULL), "\"id\":\"n2\"");
    assert_null(sl_harness_read(h, NULL)); /* the end */
    assert_string_equal(sl_harness_error(h), "");
    sl_harness_free(h);

    h = tu_harness_started("probe", "fail_on: x\n");
    assert_null(sl_harness_read(h, NULL));
    assert_string_equal(sl_harness_error(h), "the first stage is not a source");
    sl_harness_free(h);
}

/* A sink runs as a stage: its output goes where it writes; the harness still returns the JSON. */
static void sink_and_flush(void **state) {
    (void)state;
    char yaml[1200], path[1024];
    snprintf(path, sizeof path, "%s/sink.jsonl", tu_tmpdir());
    snprintf(yaml, sizeof yaml, "path: %s\ntokens: true\n", path);
    sl_harness *h = tu_harness("jsonl", yaml);
    assert_int_equal(sl_harness_start(h), SL_OK);
    const char *out = sl_harness_process(h, "{\"id\":\"s\",\"text\":\"Hi there\"}", NULL);
    assert_string_equal(out, "{\"id\":\"s\",\"text\":\"Hi there\"}");
    char *file = tu_read(path, NULL);
    assert_string_equal(file, ""); /* buffered until the flush */
    free(file);
    assert_int_equal(sl_harness_flush(h), SL_OK);
    file = tu_read(path, NULL);
    assert_string_equal(file, "{\"id\":\"s\",\"text\":\"Hi there\",\"tokens\":[{\"start\":0,"
                              "\"end\":2,\"kind\":\"word\"},{\"start\":3,\"end\":8,\"kind\":"
                              "\"word\"}]}\n");
    free(file);
    sl_harness_free(h);
}

static int teardown(void **state) {
    (void)state;
    tu_cleanup();
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(documents_in_and_out),
        cmocka_unit_test(stages_in_order_by_name_and_path),
        cmocka_unit_test(problems_before_the_first_document),
        cmocka_unit_test(layers_round_trip_with_code_points),
        cmocka_unit_test(source_documents),
        cmocka_unit_test(sink_and_flush),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
