/* End to end: SIGTERM or SIGINT stop a run after the document in progress, with the output
 * flushed and whole; a second signal stops a plugin that never returns, naming it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test_util.h"

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Start `sluice run PIPELINE -` with its input from a pipe that stays open, write `input`,
 * wait until sluice has read it all (and a little more, to handle it), then send the signals
 * (0 ends the list) 200 ms apart. Returns the wait status; out and err are files. */
static int run_and_signal(const char *yaml, const char *input, const int *signals, const char *out,
                          const char *err) {
    const char *p = tu_write("p.yaml", yaml, strlen(yaml));
    char pipeline[1024];
    snprintf(pipeline, sizeof pipeline, "%s", p);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[0], 0);
        close(fds[0]);
        close(fds[1]);
        if (!freopen(out, "w", stdout) || !freopen(err, "w", stderr))
            _exit(99);
        /* A crashed or stopped stage is not destroyed: its memory is not a leak to report. */
        setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
        execl(tu_env("SLUICE_BIN", "sluice"), "sluice", "run", pipeline, "--plugin-path",
              tu_env("SLUICE_TEST_PLUGIN_DIR", "."), "-", (char *)NULL);
        _exit(98);
    }
    close(fds[0]);
    assert_int_equal(write(fds[1], input, strlen(input)), (ssize_t)strlen(input));
    for (int waited = 0, left = 1; left && waited < 10000; waited += 10) {
        assert_int_equal(ioctl(fds[1], FIONREAD, &left), 0);
        sleep_ms(10);
    }
    sleep_ms(300);
    for (const int *s = signals; *s; s++) {
        kill(pid, *s);
        sleep_ms(200);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    close(fds[1]);
    return status;
}

static const char docs[] = "{\"id\":\"a\",\"text\":\"One.\"}\n{\"id\":\"b\",\"text\":\"Two.\"}\n"
                           "{\"id\":\"c\",\"text\":\"Three.\"}\n";

static void sigterm_flushes_and_stops(void **state) {
    (void)state;
    char out[1024], err[1024];
    snprintf(out, sizeof out, "%s/term.out", tu_tmpdir());
    snprintf(err, sizeof err, "%s/term.err", tu_tmpdir());
    int status = run_and_signal("stages:\n  - plugin: sentences\n", docs, (const int[]){SIGTERM, 0},
                                out, err);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 128 + SIGTERM);
    char *o = tu_read(out, NULL), *e = tu_read(err, NULL);
    assert_non_null(o);
    assert_non_null(e);
    /* Everything read came out, in whole lines, though the input never ended. */
    assert_int_equal(tu_count_lines(o), 3);
    tu_assert_contains(
        o, "{\"id\":\"c\",\"text\":\"Three.\",\"sentences\":[{\"start\":0,\"end\":6}]}\n");
    tu_assert_contains(e, "3 documents read, 3 written, 0 failed; stopped early: SIGTERM");
    free(o);
    free(e);
}

static void second_sigint_stops_a_hung_plugin(void **state) {
    (void)state;
    char out[1024], err[1024];
    snprintf(out, sizeof out, "%s/hang.out", tu_tmpdir());
    snprintf(err, sizeof err, "%s/hang.err", tu_tmpdir());
    int status = run_and_signal("stages:\n  - plugin: crasher\n    on: b\n    how: hang\n", docs,
                                (const int[]){SIGINT, SIGINT, 0}, out, err);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGINT);
    char *e = tu_read(err, NULL);
    assert_non_null(e);
    tu_assert_contains(e, "sluice: SIGINT again: stopping at once, in process of plugin crasher");
    free(e);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sigterm_flushes_and_stops),
        cmocka_unit_test(second_sigint_stops_a_hung_plugin),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    tu_cleanup();
    return rc;
}
