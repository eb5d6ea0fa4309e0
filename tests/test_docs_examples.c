/*
 * Every example in the documentation runs. The Markdown files (README.md, docs/NAME.md,
 * plugins/NAME/README.md, examples/plugins/NAME/README.md) are read for two kinds of fenced
 * block:
 *
 *   ```yaml     with a top-level `stages:` key: a pipeline. `sluice check` must accept it.
 *               A first line `# NAME.yaml` names the file, for the console blocks after it.
 *               Plugins named by a relative path are linked to the built plugin of that name.
 *   ```c        whose first line is a comment that starts `NAME.c`: written as NAME.c, for the
 * console blocks after it (which compile it with `cc`: the compiler and flags of this build).
 *   ```console  lines `$ COMMAND` (continued with a trailing `\`), each followed by the
 *               output it shows (standard output and standard error). Each command runs
 *               with bash in a scratch folder that sees the source tree's examples/ and
 *               pipelines/ and the pipelines of the same file; it must exit with status 0
 *               and print exactly what the block shows.
 *
 * `sluice`, `build/sluice` and `$PREFIX/bin/sluice` run the binary under test (SLUICE_BIN),
 * `/tmp/rb` (where the docs build the redact example) is a folder holding the redact plugin
 * built with the tests, `/path/to/sluice/include` is the source tree's include folder, and
 * plugins are found through SLUICE_PLUGIN_PATH.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"

/* The Markdown files whose examples are checked, relative to the source tree. */
static const char *const doc_globs[] = {"README.md", "docs/*.md", "plugins/*/README.md",
                                        "examples/plugins/*/README.md"};

/* What the examples name, and what the test runs instead. */
static const char *const replacements[][2] = {
    {"$PREFIX/bin/sluice", "sluice"},
    {"build/sluice", "sluice"},
    {"/tmp/rb", "rb"},
    {"/path/to/sluice/include", "\"$SLUICE_INCLUDE\""},
};

typedef struct counts {
    int pipelines, commands, files;
} counts;

/* A code block: its info word, its text and the line its first content line is on. */
typedef struct block {
    char lang[32];
    char *text;
    int line;
} block;

static char *xstrndup(const char *s, size_t n) {
    char *d = malloc(n + 1);
    assert_non_null(d);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* Run a shell command that must succeed (set-up of the scratch folder). */
static void sh(const char *fmt, ...) {
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    if (system(cmd) != 0)
        fail_msg("set-up command failed: %s", cmd);
}

/* The built plugin file NAME.so from the test or bundled plugin folders, or NULL. */
static const char *built_plugin(const char *name) {
    static char path[1024];
    const char *dirs[] = {tu_env("SLUICE_TEST_PLUGIN_DIR", "test-plugins"),
                          tu_env("SLUICE_PLUGIN_BUILD_DIR", "plugins")};
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        snprintf(path, sizeof path, "%s/%s", dirs[i], name);
        if (access(path, R_OK) == 0)
            return path;
    }
    return NULL;
}

/* A scratch folder for one Markdown file: links to the source tree's examples and pipelines,
 * and rb/ with the redact plugin. */
static void make_scratch(const char *dir) {
    sh("mkdir -p '%s/rb' && ln -sfn '%s' '%s/examples' && ln -sfn '%s' '%s/pipelines'", dir,
       tu_src("examples"), dir, tu_src("pipelines"), dir);
    const char *redact = built_plugin("redact.so");
    if (redact)
        sh("ln -sf '%s' '%s/rb/redact.so'", redact, dir);
}

/* Link every plugin a pipeline names by a relative path to the built plugin of that name. */
static void link_plugin_paths(const char *dir, const char *yaml) {
    for (const char *l = yaml; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        const char *p = strstr(l, "plugin:");
        const char *eol = strchr(l, '\n');
        if (!p || (eol && p > eol))
            continue;
        p += strlen("plugin:");
        p += strspn(p, " ");
        size_t n = strcspn(p, " #\n");
        char *ref = xstrndup(p, n);
        const char *slash = strrchr(ref, '/');
        if (slash && ref[0] != '/') {
            const char *so = built_plugin(slash + 1);
            if (!so)
                fail_msg("no built plugin %s for the example's %s", slash + 1, ref);
            char *folder = xstrndup(ref, (size_t)(slash - ref));
            sh("cd '%s' && mkdir -p '%s' && ln -sf '%s' '%s'", dir, folder, so, ref);
            free(folder);
        }
        free(ref);
    }
}

/* Whether a yaml block is a pipeline: a `stages:` key at the start of a line. */
static int is_pipeline(const char *yaml) {
    return strncmp(yaml, "stages:", 7) == 0 || strstr(yaml, "\nstages:") != NULL;
}

static void check_pipeline(const char *md, const block *b, const char *dir, int index, counts *c) {
    char name[256];
    const char *first_end = strchr(b->text, '\n');
    int named = sscanf(b->text, "# %200[A-Za-z0-9_.-]", name) == 1 && first_end &&
                strlen(name) > 5 && strcmp(name + strlen(name) - 5, ".yaml") == 0;
    if (!named)
        snprintf(name, sizeof name, "example-%d.yaml", index);
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(b->text, f);
    fclose(f);
    link_plugin_paths(dir, b->text);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' check '%s'", dir, tu_env("SLUICE_BIN", "sluice"),
             name);
    tu_result r = tu_run(cmd, NULL);
    if (r.status != 0)
        fail_msg("%s:%d: sluice check refuses the example pipeline (exit %d):\n%s%s", md, b->line,
                 r.status, r.out, r.err);
    tu_result_free(&r);
    c->pipelines++;
}

/* A C block whose first line is a comment naming its file (NAME.c) is written there. */
static void write_source(const block *b, const char *dir) {
    char name[128], path[1200];
    if (sscanf(b->text, "/* %100[A-Za-z0-9_-].c", name) != 1 || !strstr(b->text, ".c"))
        return;
    size_t n = strlen(name);
    if (strncmp(b->text + 3 + n, ".c", 2) != 0)
        return;
    snprintf(path, sizeof path, "%s/%s.c", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(b->text, f);
    fclose(f);
}

/* cmd with the replacements applied (malloc'd). */
static char *rewrite_command(const char *cmd) {
    size_t cap = strlen(cmd) * 4 + 64;
    char *out = malloc(cap);
    assert_non_null(out);
    size_t n = 0;
    for (const char *p = cmd; *p;) {
        size_t i;
        for (i = 0; i < sizeof replacements / sizeof *replacements; i++)
            if (strncmp(p, replacements[i][0], strlen(replacements[i][0])) == 0)
                break;
        if (i < sizeof replacements / sizeof *replacements) {
            n += (size_t)snprintf(out + n, cap - n, "%s", replacements[i][1]);
            p += strlen(replacements[i][0]);
        } else {
            out[n++] = *p++;
        }
    }
    out[n] = '\0';
    return out;
}

static void run_command(const char *md, int line, const char *dir, const char *cmd,
                        const char *expected, counts *c) {
    char *shown = rewrite_command(cmd);
    const char *script = tu_write("example.sh", shown, strlen(shown));
    char full[8192];
    snprintf(full, sizeof full,
             "cd '%s' && SLUICE_PLUGIN_PATH='%s:%s' SLUICE_INCLUDE='%s' bash -c 'set -o pipefail; "
             "sluice() { \"%s\" \"$@\"; }; cc() { command \"%s\" %s \"$@\"; }; . \"%s\"' 2>&1",
             dir, tu_env("SLUICE_TEST_PLUGIN_DIR", "test-plugins"),
             tu_env("SLUICE_PLUGIN_BUILD_DIR", "plugins"), tu_src("include"),
             tu_env("SLUICE_BIN", "sluice"), tu_env("SLUICE_CC", "cc"),
             tu_env("SLUICE_CC_FLAGS", ""), script);
    tu_result r = tu_run(full, NULL);
    if (r.status != 0 || strcmp(r.out, expected) != 0)
        fail_msg("%s:%d: the example `%s` gives (exit %d):\n%s\nbut the docs show:\n%s", md, line,
                 cmd, r.status, r.out, expected);
    tu_result_free(&r);
    free(shown);
    c->commands++;
}

/* A console block: `$ ` commands, each followed by its output. */
static void run_console(const char *md, const block *b, const char *dir, counts *c) {
    const char *p = b->text;
    int line = b->line;
    while (*p) {
        if (strncmp(p, "$ ", 2) != 0)
            fail_msg("%s:%d: a console block must start with a `$ ` command", md, line);
        int cmd_line = line;
        char cmd[4096] = "", expected[16384] = "";
        p += 2;
        for (int more = 1; more && *p;) { /* the command, with its continuation lines */
            const char *eol = strchr(p, '\n');
            size_t n = eol ? (size_t)(eol - p) : strlen(p);
            assert_true(strlen(cmd) + n + 2 < sizeof cmd);
            strncat(cmd, p, n);
            strcat(cmd, "\n");
            more = n > 0 && p[n - 1] == '\\';
            p += n + (eol != NULL);
            line++;
        }
        while (*p && strncmp(p, "$ ", 2) != 0) { /* its output */
            const char *eol = strchr(p, '\n');
            size_t n = eol ? (size_t)(eol - p) + 1 : strlen(p);
            assert_true(strlen(expected) + n < sizeof expected);
            strncat(expected, p, n);
            p += n;
            line++;
        }
        run_command(md, cmd_line, dir, cmd, expected, c);
    }
}

/* The next fenced block from *pos on (line counted in *line); 0 when there is none. */
static int next_block(const char **pos, int *line, block *b) {
    const char *p = *pos;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        const char *next = p + n + (eol != NULL);
        (*line)++;
        if (n >= 3 && strncmp(p, "```", 3) == 0) {
            size_t lang = n - 3 < sizeof b->lang - 1 ? n - 3 : sizeof b->lang - 1;
            memcpy(b->lang, p + 3, lang);
            b->lang[lang] = '\0';
            b->line = *line + 1;
            const char *end = strstr(next, "\n```");
            const char *body_end = end ? end + 1 : next + strlen(next);
            if (strncmp(next, "```", 3) == 0)
                body_end = next; /* an empty block */
            b->text = xstrndup(next, (size_t)(body_end - next));
            for (const char *q = next; q < body_end; q++)
                *line += *q == '\n';
            p = body_end;
            p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p); /* the closing fence */
            (*line)++;
            *pos = p;
            return 1;
        }
        p = next;
    }
    *pos = p;
    return 0;
}

static void check_markdown(const char *rel, counts *c) {
    char *text = tu_read(tu_src(rel), NULL);
    assert_non_null(text);
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/doc%d", tu_tmpdir(), c->files++);
    make_scratch(dir);
    const char *pos = text;
    int line = 0, index = 0;
    block b;
    while (next_block(&pos, &line, &b)) {
        if (strcmp(b.lang, "yaml") == 0 && is_pipeline(b.text))
            check_pipeline(rel, &b, dir, ++index, c);
        else if (strcmp(b.lang, "c") == 0)
            write_source(&b, dir);
        else if (strcmp(b.lang, "console") == 0)
            run_console(rel, &b, dir, c);
        free(b.text);
    }
    free(text);
}

static void every_example_runs(void **state) {
    (void)state;
    if (!built_plugin("redact.so"))
        fail_msg("the redact example plugin was not built with the tests");
    counts c = {0};
    char pattern[1024];
    for (size_t i = 0; i < sizeof doc_globs / sizeof *doc_globs; i++) {
        glob_t g;
        snprintf(pattern, sizeof pattern, "%s", tu_src(doc_globs[i]));
        size_t root = strlen(tu_src(""));
        if (glob(pattern, 0, NULL, &g) != 0)
            continue;
        for (size_t k = 0; k < g.gl_pathc; k++)
            check_markdown(g.gl_pathv[k] + root, &c);
        globfree(&g);
    }
    printf("checked %d pipelines and %d commands in %d Markdown files\n", c.pipelines, c.commands,
           c.files);
    /* The examples this test exists for: a wrong count means a block was not recognised. */
    assert_true(c.files >= 9);
    assert_true(c.pipelines >= 4);
    assert_true(c.commands >= 8);
}

static int teardown(void **state) {
    (void)state;
    tu_cleanup();
    return 0;
}

int main(void) {
    const char *bin = getenv("SLUICE_BIN");
    if (!bin || access(bin, X_OK) != 0) {
        printf("SLUICE_BIN not set or not executable: skipped\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_example_runs),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
