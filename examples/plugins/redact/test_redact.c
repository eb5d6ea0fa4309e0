/*
 * Tests of the redact plugin, in process, with sluice's plugin test harness
 * (include/sluice/harness.h, library sluice::harness): the plugin is loaded, configured and
 * run exactly as `sluice run` would, without the command, files or pipes.
 *
 *   test_redact PATH/TO/redact.so
 *
 * Plain C with no test framework, so that it builds wherever the plugin does: each check
 * prints what went wrong, and the exit status is the number of failed checks.
 */
#include <stdio.h>
#include <string.h>

#include "sluice/harness.h"

static int failures;

/* got must equal want (NULL: the document failed, with the harness's message). */
static void expect(const char *what, const char *got, const char *want, const sl_harness *h) {
    if (got && want && strcmp(got, want) == 0)
        return;
    if (!got && !want)
        return;
    failures++;
    fprintf(stderr, "FAIL: %s\n  want: %s\n  got:  %s\n", what, want ? want : "(failure)",
            got ? got : sl_harness_error(h));
}

/* A started harness with one redact stage; NULL (a failure counted) when it does not start. */
static sl_harness *redact(const char *so, const char *options) {
    sl_harness *h = sl_harness_new();
    if (h && sl_harness_add(h, so, options) == SL_OK && sl_harness_start(h) == SL_OK)
        return h;
    failures++;
    fprintf(stderr, "FAIL: redact with options\n%s  did not start: %s\n", options,
            h ? sl_harness_error(h) : "out of memory");
    sl_harness_free(h);
    return NULL;
}

static void replaces_matches(const char *so) {
    sl_harness *h =
        redact(so, "patterns: ['[0-9]{3}-[0-9]{4}', '[[:alnum:]._%+-]+@[[:alnum:].-]+']\n"
                   "replacement: '[X]'\n");
    if (!h)
        return;
    /* the e-mail pattern takes the full stop after the address too */
    expect("two patterns",
           sl_harness_process(h, "{\"id\":\"a\",\"text\":\"Call 555-1234 or bob@example.com.\"}",
                              NULL),
           "{\"id\":\"a\",\"text\":\"Call [X] or [X]\"}", h);
    expect("no match: untouched, metadata kept",
           sl_harness_process(h, "{\"id\":\"b\",\"text\":\"Nothing.\",\"source\":\"wire\"}", NULL),
           "{\"id\":\"b\",\"text\":\"Nothing.\",\"source\":\"wire\"}", h);
    expect("empty text", sl_harness_process(h, "{\"id\":\"c\",\"text\":\"\"}", NULL),
           "{\"id\":\"c\",\"text\":\"\"}", h);
    sl_harness_free(h);
}

static void marks_a_layer(const char *so) {
    /* 'Z.' matches Z and the first byte of the two-byte ü: the span is widened to the whole
     * character (offsets in code points). */
    sl_harness *h = redact(so, "patterns: ['Z.']\nlayer: true\n");
    if (!h)
        return;
    expect("layer: true", sl_harness_process(h, "{\"id\":\"z\",\"text\":\"Z\xc3\xbcrich\"}", NULL),
           "{\"id\":\"z\",\"text\":\"Z\xc3\xbcrich\",\"redactions\":[{\"start\":0,\"end\":2,"
           "\"label\":\"redacted\",\"text\":\"Z\xc3\xbc\",\"pattern\":0}]}",
           h);
    sl_harness_free(h);
}

static void refuses_bad_patterns(const char *so) {
    sl_harness *h = sl_harness_new();
    sl_harness_add(h, so, "patterns: ['ok', '(unclosed']\n");
    if (sl_harness_start(h) != SL_ECONFIG ||
        !strstr(sl_harness_error(h), "option 'patterns': item 2 '(unclosed'")) {
        failures++;
        fprintf(stderr, "FAIL: a bad pattern is refused, got: %s\n", sl_harness_error(h));
    }
    sl_harness_free(h);
    h = sl_harness_new();
    sl_harness_add(h, so, NULL);
    if (sl_harness_check(h) != SL_ECONFIG ||
        !strstr(sl_harness_error(h), "missing required option 'patterns'")) {
        failures++;
        fprintf(stderr, "FAIL: patterns are required, got: %s\n", sl_harness_error(h));
    }
    sl_harness_free(h);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: test_redact PATH/TO/redact.so\n");
        return 2;
    }
    replaces_matches(argv[1]);
    marks_a_layer(argv[1]);
    refuses_bad_patterns(argv[1]);
    printf("%s: %d failed\n", argv[0], failures);
    return failures;
}
