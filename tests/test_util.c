#include "test_util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmp_root[256];

const char *tu_env(const char *name, const char *fallback) {
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

const char *tu_tmpdir(void) {
    if (!tmp_root[0]) {
        snprintf(tmp_root, sizeof tmp_root, "%s/sluice-test-XXXXXX", tu_env("TMPDIR", "/tmp"));
        if (!mkdtemp(tmp_root)) {
            perror("mkdtemp");
            exit(1);
        }
    }
    return tmp_root;
}

void tu_cleanup(void) {
    if (tmp_root[0]) {
        char cmd[400];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_root);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", tmp_root);
        tmp_root[0] = '\0';
    }
}

int tu_teardown(void **state) {
    (void)state;
    tu_cleanup();
    return 0;
}

char *tu_read(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

const char *tu_write(const char *name, const char *data, size_t len) {
    static char paths[8][512];
    static int slot;
    char *p = paths[slot++ % 8];
    snprintf(p, 512, "%s/%s", tu_tmpdir(), name);
    FILE *f = fopen(p, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        perror(p);
        exit(1);
    }
    return p;
}

const char *tu_src(const char *rel) {
    static char paths[8][1024];
    static int slot;
    char *p = paths[slot++ % 8];
    snprintf(p, 1024, "%s/%s", tu_env("SLUICE_SOURCE_DIR", "."), rel);
    return p;
}

tu_result tu_run(const char *cmdline, const char *in_path) {
    tu_result r = {0};
    char out_path[600], err_path[600], cmd[8192];
    static int counter;
    snprintf(out_path, sizeof out_path, "%s/run%d.out", tu_tmpdir(), counter);
    snprintf(err_path, sizeof err_path, "%s/run%d.err", tu_tmpdir(), counter++);
    snprintf(cmd, sizeof cmd, "(%s) < '%s' > '%s' 2> '%s'", cmdline,
             in_path ? in_path : "/dev/null", out_path, err_path);
    int st = system(cmd);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    r.out = tu_read(out_path, &r.out_len);
    r.err = tu_read(err_path, NULL);
    if (!r.out)
        r.out = calloc(1, 1);
    if (!r.err)
        r.err = calloc(1, 1);
    return r;
}

void tu_result_free(tu_result *r) {
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

size_t tu_count_lines(const char *s) {
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

void tu_assert_contains(const char *hay, const char *needle) {
    if (!strstr(hay, needle))
        fail_msg("expected \"%s\" in:\n%s", needle, hay);
}
