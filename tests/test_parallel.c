/* `sluice run -j N`: several workers give what one gives, byte for byte, failures, dead
 * letters, crashes and counts included; --unordered gives the same documents. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

static char cmd[8192];

/* sluice with the fixture plugins on its path: "sluice ARGS". */
/* Put before the command: set by the crash test. */
static const char *env_prefix = "";

static tu_result sluice(const char *args) {
    snprintf(cmd, sizeof cmd, "%s%s %s --plugin-path %s", env_prefix,
             tu_env("SLUICE_BIN", "./sluice"), args,
             tu_env("SLUICE_TEST_PLUGIN_DIR", "test-plugins"));
    return tu_run(cmd, NULL);
}

/* n JSON Lines records, every seventh with BAD in its text, one malformed line, one blank. */
static const char *make_input(size_t n) {
    size_t cap = n * 160 + 64, len = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    for (size_t i = 1; i <= n; i++) {
        if (i == n / 2)
            len += (size_t)snprintf(buf + len, cap - len, "{\"id\": broken\n\n");
        len += (size_t)snprintf(buf + len, cap - len,
                                "{\"id\":\"d%zu\",\"text\":\"Kerry met Lavrov in Geneva%s. "
                                "Talks went on for %zu hours.\"}\n",
                                i, i % 7 == 0 ? " BAD" : "", i % 13);
    }
    const char *path = tu_write("many.jsonl", buf, len);
    free(buf);
    return path;
}

static const char *pipeline(const char *name, const char *yaml) {
    return tu_write(name, yaml, strlen(yaml));
}

/* Run with -j 1 and -j N; stdout, stderr, status and dead letters must be the same. */
static void same_as_one_worker(const char *p, const char *in, const char *extra, int jobs) {
    char args[2048];
    const char *dl1 = tu_write("dead1.txt", "", 0), *dlN = tu_write("deadN.txt", "", 0);
    snprintf(args, sizeof args, "run -j 1 %s %s --dead-letter %s %s", extra, p, dl1, in);
    tu_result one = sluice(args);
    snprintf(args, sizeof args, "run -j %d %s %s --dead-letter %s %s", jobs, extra, p, dlN, in);
    tu_result many = sluice(args);
    assert_int_equal(many.status, one.status);
    assert_string_equal(many.out, one.out);
    assert_string_equal(many.err, one.err);
    char *d1 = tu_read(dl1, NULL), *dN = tu_read(dlN, NULL);
    assert_string_equal(dN, d1);
    free(d1);
    free(dN);
    tu_result_free(&one);
    tu_result_free(&many);
}

static void bundled_news_pipeline(void **state) {
    (void)state;
    same_as_one_worker(tu_src("pipelines/sentences.yaml"), tu_src("examples/news-sample.jsonl"), "",
                       4);
    same_as_one_worker(tu_src("pipelines/news.yaml"), make_input(3000), "", 4);
}

static void failing_documents_and_dead_letters(void **state) {
    (void)state;
    const char *p = pipeline("fail.yaml", "stages:\n  - plugin: probe\n    fail_on: BAD\n"
                                          "  - plugin: sentences\n");
    const char *in = make_input(2000);
    same_as_one_worker(p, in, "", 4);
    same_as_one_worker(p, in, "", 3);
    same_as_one_worker(p, in, "--on-error fail", 4); /* stops at the same document */
}

static void crash_in_a_worker(void **state) {
    (void)state;
    const char *p = pipeline("crash.yaml", "stages:\n  - plugin: probe\n    fail_on: BAD\n"
                                           "  - plugin: crasher\n    on: d1500\n");
    /* A crashed instance is never destroyed (its state cannot be trusted), so what it held
     * is left for the process's end: not a leak to report. */
    env_prefix = "ASAN_OPTIONS=detect_leaks=0 ";
    same_as_one_worker(p, make_input(2000), "", 4);
    env_prefix = "";
}

static void unordered_gives_the_same_documents(void **state) {
    (void)state;
    const char *p = pipeline("fail.yaml", "stages:\n  - plugin: probe\n    fail_on: BAD\n");
    const char *in = make_input(2000);
    char args[2048];
    snprintf(args, sizeof args, "run -j 1 %s %s | sort", p, in);
    tu_result one = sluice(args);
    snprintf(args, sizeof args, "run -j 4 --unordered %s %s | sort", p, in);
    tu_result many = sluice(args);
    assert_string_equal(many.out, one.out);
    tu_result_free(&one);
    tu_result_free(&many);
}

/* A stage that keeps state in globals gives other output with several workers: the check the
 * plugin guide asks plugin authors to make. */
static void global_state_shows(void **state) {
    (void)state;
    const char *p = pipeline("global.yaml", "stages:\n  - plugin: globalstate\n");
    const char *in = make_input(50);
    char args[2048];
    snprintf(args, sizeof args, "run -j 1 %s %s", p, in);
    tu_result one = sluice(args);
    snprintf(args, sizeof args, "run -j 4 %s %s", p, in);
    tu_result many = sluice(args);
    tu_assert_contains(one.out, "\"instances\":1}");
    tu_assert_contains(many.out, "\"instances\":4}");
    tu_result_free(&one);
    tu_result_free(&many);
}

/* A source plugin feeds the workers from the runner's thread. */
static void source_feeds_workers(void **state) {
    (void)state;
    const char *p = pipeline("source.yaml", "stages:\n  - plugin: counter\n    count: 900\n"
                                            "  - plugin: probe\n    fail_on: \"7\"\n");
    char args[2048];
    snprintf(args, sizeof args, "run -j 1 %s", p);
    tu_result one = sluice(args);
    snprintf(args, sizeof args, "run -j 4 %s", p);
    tu_result many = sluice(args);
    assert_int_equal(one.status, 4);
    assert_int_equal(many.status, 4);
    assert_string_equal(many.out, one.out);
    assert_string_equal(many.err, one.err);
    tu_result_free(&one);
    tu_result_free(&many);
}

static void bad_jobs_value(void **state) {
    (void)state;
    tu_result r = sluice("run -j 0 x.yaml");
    assert_int_equal(r.status, 2);
    tu_assert_contains(r.err, "sluice: -j takes a number of workers from 1 to 256, not '0'");
    tu_result_free(&r);
}

static int teardown(void **state) {
    (void)state;
    tu_cleanup();
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bundled_news_pipeline),
        cmocka_unit_test(failing_documents_and_dead_letters),
        cmocka_unit_test(crash_in_a_worker),
        cmocka_unit_test(unordered_gives_the_same_documents),
        cmocka_unit_test(global_state_shows),
        cmocka_unit_test(source_feeds_workers),
        cmocka_unit_test(bad_jobs_value),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
