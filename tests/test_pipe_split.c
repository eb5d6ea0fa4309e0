/* Layers survive a pipe: for every split point of the news pipelines, `sluice run A | sluice
 * run B` gives byte for byte what one run of A and B gives, in code points and in bytes. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

/* The news pipeline with events, in order; the sink is added with the options tested. */
static const char *const stages[] = {"boilerplate", "sentences", "entities", "events"};
#define NSTAGES (sizeof stages / sizeof stages[0])

static char input[1024];

/* A pipeline file of stages [from, to), ending in a jsonl sink with `sink` options. */
static const char *pipeline(const char *name, size_t from, size_t to, const char *sink) {
    char yaml[1024];
    int n = snprintf(yaml, sizeof yaml, "stages:\n");
    for (size_t i = from; i < to; i++)
        n += snprintf(yaml + n, sizeof yaml - (size_t)n, "  - plugin: %s\n", stages[i]);
    snprintf(yaml + n, sizeof yaml - (size_t)n, "  - plugin: jsonl\n%s", sink);
    return tu_write(name, yaml, strlen(yaml));
}

static void every_split(const char *sink_a, const char *sink_b) {
    const char *bin = tu_env("SLUICE_BIN", "./sluice");
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s run -q %s %s", bin, pipeline("all.yaml", 0, NSTAGES, sink_b),
             input);
    tu_result whole = tu_run(cmd, NULL);
    assert_int_equal(whole.status, 0);
    assert_true(whole.out_len > 0);
    for (size_t k = 1; k < NSTAGES; k++) {
        char a[512], b[512];
        snprintf(a, sizeof a, "%s", pipeline("a.yaml", 0, k, sink_a));
        snprintf(b, sizeof b, "%s", pipeline("b.yaml", k, NSTAGES, sink_b));
        snprintf(cmd, sizeof cmd, "%s run -q %s %s | %s run -q %s", bin, a, input, bin, b);
        tu_result split = tu_run(cmd, NULL);
        assert_int_equal(split.status, 0);
        if (strcmp(split.out, whole.out) != 0)
            fail_msg("split after stage %zu (%s) differs from one run", k, stages[k - 1]);
        tu_result_free(&split);
    }
    tu_result_free(&whole);
}

static void code_points(void **state) {
    (void)state;
    every_split("", "");
}

static void bytes(void **state) {
    (void)state;
    every_split("    byte_offsets: true\n", "    byte_offsets: true\n");
}

/* The first half writes bytes, the second code points: the layers are converted. */
static void bytes_then_code_points(void **state) {
    (void)state;
    every_split("    byte_offsets: true\n", "");
}

/* The bundled sample, and some of the news corpus when it is there. */
static int setup(void **state) {
    (void)state;
    size_t len;
    char *sample = tu_read(tu_src("examples/news-sample.jsonl"), &len);
    assert_non_null(sample);
    char path[1024];
    snprintf(path, sizeof path, "%s/news/bbc_news.jsonl",
             tu_env("SLUICE_SHARED_DATA", "../shared/data"));
    size_t more_len = 0;
    char *more = tu_read(path, &more_len);
    size_t keep = 0;
    for (size_t lines = 0; more && keep < more_len && lines < 200; keep++)
        lines += more[keep] == '\n';
    char *all = malloc(len + keep + 1);
    assert_non_null(all);
    memcpy(all, sample, len);
    if (more)
        memcpy(all + len, more, keep);
    snprintf(input, sizeof input, "%s", tu_write("input.jsonl", all, len + keep));
    free(all);
    free(sample);
    free(more);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    tu_cleanup();
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(code_points),
        cmocka_unit_test(bytes),
        cmocka_unit_test(bytes_then_code_points),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
