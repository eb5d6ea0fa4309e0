/* End to end: a plugin that crashes gives a clear error naming its stage and input line; the
 * documents before it still come out, the crashed one is failed and dead-lettered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

static const char input[] = "{\"id\":\"a\",\"text\":\"First.\"}\n"
                            "{\"id\":\"b\",\"text\":\"Second.\"}\n"
                            "{\"id\":\"c\",\"text\":\"Third.\"}\n";

/* Run the crasher stage with the given options over the three documents. */
static tu_result run_crasher(const char *options, const char *dead) {
    char yaml[512], cmd[4096];
    snprintf(yaml, sizeof yaml, "stages:\n  - plugin: crasher\n%s  - plugin: jsonl\n", options);
    const char *p = tu_write("crash.yaml", yaml, strlen(yaml));
    char pipeline_path[1024];
    snprintf(pipeline_path, sizeof pipeline_path, "%s", p);
    const char *in = tu_write("in.jsonl", input, sizeof input - 1);
    /* A crashed stage is never destroyed (its state cannot be trusted), so its memory is
     * never freed: the leak checker must not count that. */
    snprintf(cmd, sizeof cmd, "ASAN_OPTIONS=detect_leaks=0 %s run %s --plugin-path %s %s%s %s",
             tu_env("SLUICE_BIN", "sluice"), pipeline_path, tu_env("SLUICE_TEST_PLUGIN_DIR", "."),
             dead ? "--dead-letter " : "", dead ? dead : "", in);
    return tu_run(cmd, NULL);
}

static void segfault_in_process(void **state) {
    (void)state;
    char dead[1024];
    snprintf(dead, sizeof dead, "%s/dead.txt", tu_tmpdir());
    tu_result r = run_crasher("    on: b\n", dead);
    assert_int_equal(r.status, 6);
    /* The document before the crash is written: the sink was flushed. */
    assert_string_equal(r.out, "{\"id\":\"a\",\"text\":\"First.\"}\n");
    tu_assert_contains(r.err, "in.jsonl:2: stage 1 (plugin crasher): crashed in process: "
                              "segmentation fault (SIGSEGV); the run stops here");
    tu_assert_contains(r.err,
                       "2 documents read, 1 written, 1 failed; stopped early: a plugin crashed");
    size_t len;
    char *d = tu_read(dead, &len);
    assert_non_null(d);
    tu_assert_contains(d, "in.jsonl:2: stage 1 (plugin crasher): crashed in process");
    tu_assert_contains(d, "\n{\"id\":\"b\",\"text\":\"Second.\"}\n");
    free(d);
    tu_result_free(&r);
}

static void abort_in_process(void **state) {
    (void)state;
    tu_result r = run_crasher("    on: c\n    how: abort\n", NULL);
    assert_int_equal(r.status, 6);
    assert_int_equal(tu_count_lines(r.out), 2);
    tu_assert_contains(r.err, "in.jsonl:3: stage 1 (plugin crasher): crashed in process: aborted "
                              "(SIGABRT)");
    tu_result_free(&r);
}

static void stack_overflow_in_process(void **state) {
    (void)state;
    tu_result r = run_crasher("    on: a\n    how: stack\n", NULL);
    assert_int_equal(r.status, 6);
    assert_string_equal(r.out, "");
    tu_assert_contains(r.err, "in.jsonl:1: stage 1 (plugin crasher): crashed in process: ");
    tu_assert_contains(r.err, "1 document read, 0 written, 1 failed");
    tu_result_free(&r);
}

static void crash_in_flush_still_flushes_the_sink(void **state) {
    (void)state;
    tu_result r = run_crasher("    in: flush\n", NULL);
    assert_int_equal(r.status, 6);
    assert_int_equal(tu_count_lines(r.out), 3);
    tu_assert_contains(r.err, "stage 1 (plugin crasher): crashed in flush: segmentation fault");
    tu_result_free(&r);
}

/* Outside a document there is no way back: the message, then the process dies of the fault
 * (under AddressSanitizer, its own report follows, since the guard hands the fault over). */
static void crash_in_create_is_named(void **state) {
    (void)state;
    tu_result r = run_crasher("    in: create\n", NULL);
    assert_int_not_equal(r.status, 0);
    assert_int_not_equal(r.status, 6);
    tu_assert_contains(r.err, "sluice: stage 1 (plugin crasher) crashed in create: segmentation "
                              "fault (SIGSEGV)");
    assert_string_equal(r.out, "");
    tu_result_free(&r);
}

/* exit() inside a plugin cannot be stopped, but it is named. */
static void exit_in_process_is_named(void **state) {
    (void)state;
    tu_result r = run_crasher("    on: b\n    how: exit\n", NULL);
    assert_int_equal(r.status, 3);
    tu_assert_contains(r.err,
                       "sluice: stage 1 (plugin crasher) ended the process (exit) in process");
    tu_result_free(&r);
}

static void no_crash_no_change(void **state) {
    (void)state;
    tu_result r = run_crasher("    on: nobody\n", NULL);
    assert_int_equal(r.status, 0);
    assert_int_equal(tu_count_lines(r.out), 3);
    tu_assert_contains(r.err, "3 documents read, 3 written, 0 failed\n");
    tu_result_free(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(segfault_in_process),
        cmocka_unit_test(abort_in_process),
        cmocka_unit_test(stack_overflow_in_process),
        cmocka_unit_test(crash_in_flush_still_flushes_the_sink),
        cmocka_unit_test(crash_in_create_is_named),
        cmocka_unit_test(exit_in_process_is_named),
        cmocka_unit_test(no_crash_no_change),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    tu_cleanup();
    return rc;
}
