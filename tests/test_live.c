/* Live streams: a record written into sluice's input comes out while the input stays open
 * (the sinks sync when the input pauses), with one worker and with several, and at once
 * after every record with --unbuffered. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_util.h"

typedef struct live {
    pid_t pid;
    int in;  /* we write sluice's standard input */
    int out; /* we read its standard output */
} live;

static live start(const char *pipeline, const char *extra) {
    int to[2], from[2];
    assert_int_equal(pipe(to), 0);
    assert_int_equal(pipe(from), 0);
    live l = {fork(), to[1], from[0]};
    assert_true(l.pid >= 0);
    if (l.pid == 0) {
        dup2(to[0], 0);
        dup2(from[1], 1);
        close(to[0]);
        close(to[1]);
        close(from[0]);
        close(from[1]);
        const char *bin = tu_env("SLUICE_BIN", "./sluice");
        execl(bin, bin, "run", "-q", extra, pipeline, (char *)NULL);
        _exit(127);
    }
    close(to[0]);
    close(from[1]);
    return l;
}

/* One line of output within the time limit, or NULL. */
static char *read_line(int fd, int ms) {
    static char line[8192];
    size_t n = 0;
    while (n < sizeof line - 1) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, ms) <= 0)
            return NULL;
        ssize_t got = read(fd, line + n, 1);
        if (got <= 0)
            return NULL;
        if (line[n] == '\n') {
            line[n] = '\0';
            return line;
        }
        n++;
    }
    return NULL;
}

static void say(int fd, const char *s) {
    assert_int_equal(write(fd, s, strlen(s)), (ssize_t)strlen(s));
}

static void finish(live *l) {
    close(l->in);
    int status;
    assert_int_equal(waitpid(l->pid, &status, 0), l->pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    close(l->out);
}

/* The first record comes out while the input is still open; so does the second. */
static void record_out_while_input_open(const char *extra) {
    static const char yaml[] = "stages:\n  - plugin: sentences\n";
    const char *p = tu_write("live.yaml", yaml, sizeof yaml - 1);
    live l = start(p, extra);
    say(l.in, "{\"id\":\"a\",\"text\":\"One. Two.\"}\n");
    char *line = read_line(l.out, 10000);
    assert_non_null(line);
    tu_assert_contains(line, "\"id\":\"a\"");
    tu_assert_contains(line, "\"sentences\":[{\"start\":0,\"end\":4}");
    say(l.in, "{\"id\":\"b\",\"text\":\"Three.\"}\n{\"id\":\"c\",\"text\":\"Four.\"}\n");
    assert_non_null(line = read_line(l.out, 10000));
    tu_assert_contains(line, "\"id\":\"b\"");
    assert_non_null(line = read_line(l.out, 10000));
    tu_assert_contains(line, "\"id\":\"c\"");
    finish(&l);
}

static void one_worker(void **state) {
    (void)state;
    record_out_while_input_open("-j1");
}

static void several_workers(void **state) {
    (void)state;
    record_out_while_input_open("-j4");
}

static void unbuffered(void **state) {
    (void)state;
    record_out_while_input_open("--unbuffered");
}

static int teardown(void **state) {
    (void)state;
    tu_cleanup();
    return 0;
}

int main(void) {
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_worker),
        cmocka_unit_test(several_workers),
        cmocka_unit_test(unbuffered),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
