/* Helpers shared by the end-to-end tests: run a command, read and write files. */
#ifndef SLUICE_TEST_UTIL_H
#define SLUICE_TEST_UTIL_H

#include <stddef.h>

/* Output of a finished command. */
typedef struct tu_result {
    int status; /* exit status, or 128 + signal */
    char *out;  /* standard output, NUL-terminated */
    size_t out_len;
    char *err; /* standard error, NUL-terminated */
} tu_result;

/* Run a shell command line with stdin from in_path (NULL: /dev/null); capture both outputs. */
tu_result tu_run(const char *cmdline, const char *in_path);
/* Free a result. */
void tu_result_free(tu_result *r);

/* A fresh temporary directory (removed by tu_cleanup). */
const char *tu_tmpdir(void);
/* Remove the temporary directory. */
void tu_cleanup(void);
/* tu_cleanup() as a cmocka group teardown: cmocka_run_group_tests(tests, NULL, tu_teardown). */
int tu_teardown(void **state);
/* Write data to tmpdir/name and return the full path (static storage, one per slot). */
const char *tu_write(const char *name, const char *data, size_t len);
/* Read a whole file; NULL when it cannot be read. */
char *tu_read(const char *path, size_t *len);
/* Environment variable or a default. */
const char *tu_env(const char *name, const char *fallback);
/* Path of a file under the source tree (static storage, rotated over 8 slots). */
const char *tu_src(const char *rel);
/* Count lines (newline characters). */
size_t tu_count_lines(const char *s);
/* Fail the running cmocka test unless needle occurs in hay (both shown in the message). */
void tu_assert_contains(const char *hay, const char *needle);

#endif
