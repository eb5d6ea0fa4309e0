/* End to end: pipelines by name, pipelines on the command line (-e, --stage), --set
 * overrides, `plugins --json`, and the "sluice: " that starts every message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

static char sluice[1024];
static char fixtures[1024]; /* --plugin-path for the fixture plugins */

/* Run "[ENV] sluice ARGS" with the fixtures on the plugin path. */
static tu_result run_env(const char *env, const char *args, const char *in_path) {
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s %s %s --plugin-path %s", env ? env : "", sluice, args, fixtures);
    return tu_run(cmd, in_path);
}

static tu_result run(const char *args, const char *in_path) {
    return run_env(NULL, args, in_path);
}

/* Run, then check the exit status and that stderr holds needle (when not NULL). */
static void expect(const char *args, int status, const char *needle) {
    tu_result r = run(args, NULL);
    if (r.status != status)
        fail_msg("'%s': status %d, expected %d; stderr:\n%s", args, r.status, status, r.err);
    if (needle)
        tu_assert_contains(r.err, needle);
    tu_result_free(&r);
}

static const char docs[] = "{\"id\":\"a\",\"text\":\"Fine words. More words.\"}\n"
                           "{\"id\":\"b\",\"text\":\"A BAD one.\"}\n";

static const char *write_text(const char *name, const char *text) {
    return tu_write(name, text, strlen(text));
}

static const char *docs_file(void) {
    return tu_write("docs.jsonl", docs, sizeof docs - 1);
}

static void pipelines_by_name(void **state) {
    (void)state;
    tu_result r = run("pipelines", NULL);
    assert_int_equal(r.status, 0);
    /* name, first comment line, file: the bundled ones from the source tree */
    tu_assert_contains(r.out, "sentences      Split each document's text into sentences");
    tu_assert_contains(r.out, tu_src("pipelines/sentences.yaml"));
    tu_assert_contains(r.out, "news ");
    tu_result_free(&r);

    /* A folder of $SLUICE_PIPELINE_PATH comes first: its "sentences" shadows the bundled one. */
    char dir[600], env[700], path[700];
    snprintf(dir, sizeof dir, "%s/pipes", tu_tmpdir());
    snprintf(env, sizeof env, "SLUICE_PIPELINE_PATH='/nonexistent:%s'", dir);
    char cmd[1000];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/sentences.yaml", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("\n  # Mine: probe, failing on BAD.  \nstages:\n  - plugin: probe\n    fail_on: BAD\n",
          f);
    fclose(f);
    r = run_env(env, "pipelines", NULL);
    assert_int_equal(r.status, 0);
    tu_assert_contains(r.out, "sentences      Mine: probe, failing on BAD.\n");
    tu_assert_contains(r.out, path);
    assert_null(strstr(r.out, tu_src("pipelines/sentences.yaml")));
    tu_result_free(&r);
    r = run_env(env, "pipelines --names", NULL);
    tu_assert_contains(r.out, "news\n");
    const char *first = strstr(r.out, "sentences\n");
    assert_non_null(first);
    assert_null(strstr(first + 1, "sentences\n")); /* once: the first of a name wins */
    tu_result_free(&r);

    char args[2048];
    snprintf(args, sizeof args, "run -q sentences %s", docs_file());
    r = run_env(env, args, NULL);
    assert_int_equal(r.status, 4); /* the shadowing pipeline ran: document b failed */
    assert_int_equal(tu_count_lines(r.out), 1);
    tu_result_free(&r);
    r = run_env(env, "check sentences", NULL);
    assert_int_equal(r.status, 0);
    tu_assert_contains(r.out, "sentences: ok (2 stages: probe jsonl)");
    tu_result_free(&r);

    /* A name runs what the file runs. */
    snprintf(args, sizeof args, "run -q passthrough %s", docs_file());
    tu_result by_name = run(args, NULL);
    snprintf(args, sizeof args, "run -q %s %s", tu_src("pipelines/passthrough.yaml"), docs_file());
    tu_result by_file = run(args, NULL);
    assert_int_equal(by_name.status, 0);
    assert_int_equal(tu_count_lines(by_name.out), 2);
    assert_string_equal(by_name.out, by_file.out);
    tu_result_free(&by_name);
    tu_result_free(&by_file);

    expect("run passthrogh", 3,
           "sluice: no pipeline file or pipeline named 'passthrogh' (did you "
           "mean 'passthrough'?); searched: ");
    /* Anything that looks like a file is one, found or not. */
    expect("check missing.yaml", 3, "sluice: missing.yaml: cannot open");
}

static void pipeline_on_the_command_line(void **state) {
    (void)state;
    char args[2048];
    /* -e: the pipeline in YAML; every argument is an input. */
    snprintf(args, sizeof args, "run -q -e '{stages: [{plugin: probe, fail_on: BAD}]}' %s %s",
             docs_file(), docs_file());
    tu_result r = run(args, NULL);
    assert_int_equal(r.status, 4);
    assert_int_equal(tu_count_lines(r.out), 2);
    tu_assert_contains(r.out, "\"probe\":[{\"start\":0,\"end\":4,\"label\":\"FIRST\"");
    tu_result_free(&r);

    /* --stage: in order, options after a colon, lists in brackets, quotes keep commas. */
    snprintf(args, sizeof args,
             "run -q --stage 'probe:fail_on=\"x,y\",words=[a, b],layer=p1' "
             "--stage probe:fail_on=BAD,layer=p2 %s",
             docs_file());
    r = run(args, NULL);
    assert_int_equal(r.status, 4);
    assert_int_equal(tu_count_lines(r.out), 1);
    tu_assert_contains(r.out, "\"p1\":[");
    tu_assert_contains(r.out, "\"p2\":[");
    tu_result_free(&r);
    r = run("check --stage probe:fail_on=x --stage jsonl", NULL);
    assert_int_equal(r.status, 0);
    tu_assert_contains(r.out, "--stage: ok (2 stages: probe jsonl)");
    tu_result_free(&r);

    /* Mistakes are placed: <-e> by line and column; --stage N by its place in argument N. */
    expect("check -e 'stages:\n  - plugin: probe\n    fail_on: x\n    cuont: 2'", 3,
           "sluice: <-e>:4:5: stage 1 (plugin probe): unknown option 'cuont' "
           "(did you mean 'count'?)");
    r = run("check -e 'stages: [{plugin: probe'", NULL);
    assert_int_equal(r.status, 3);
    tu_assert_contains(r.err, "sluice: <-e>:");
    tu_assert_contains(r.err, "YAML syntax error");
    tu_result_free(&r);
    r = run("check --stage probe:fail_on=x --stage probe:fail_on=y,count=lots,strict "
            "--stage nosuch:a=1",
            NULL);
    assert_int_equal(r.status, 3);
    tu_assert_contains(r.err, "sluice: --stage:2:23: stage 2 (plugin probe): option 'count' must "
                              "be an integer, not 'lots'");
    tu_assert_contains(r.err, "sluice: --stage:2:28: 'strict' is not an option=value pair");
    tu_assert_contains(r.err, "sluice: --stage:3:1: stage 3 (plugin nosuch): unknown plugin");
    tu_result_free(&r);
    expect("check --stage probe:fail_on=[x", 3,
           "--stage:1:15: option 'fail_on': the list has no closing ']'");

    expect("run -e 'stages: []' --stage probe:fail_on=x", 2,
           "sluice: give the pipeline with -e or with --stage options");
    expect("check", 2, NULL);
    expect("check -e 'stages: []' extra.jsonl", 2, NULL);
}

static void set_overrides(void **state) {
    (void)state;
    /* fail_on is required and missing from the file: --set gives it, by stage number. */
    const char *p = write_text("two.yaml", "stages:\n  - plugin: probe\n    layer: first\n"
                                           "  - plugin: jsonl\n    byte_offsets: false\n");
    char args[2048];
    snprintf(args, sizeof args, "run -q %s %s", p, docs_file());
    expect(args, 3, "missing required option 'fail_on'");
    snprintf(
        args, sizeof args,
        "run -q %s %s --set 1.fail_on=BAD --set probe.layer=second --set jsonl.byte_offsets=yes", p,
        docs_file());
    tu_result r = run(args, NULL);
    assert_int_equal(r.status, 4);
    assert_int_equal(tu_count_lines(r.out), 1);
    tu_assert_contains(r.out, "\"second\":[");
    assert_null(strstr(r.out, "\"first\""));
    tu_result_free(&r);
    /* the last --set of an option wins */
    snprintf(args, sizeof args, "run -q %s %s --set 1.fail_on=BAD --set 1.fail_on=NONE", p,
             docs_file());
    r = run(args, NULL);
    assert_int_equal(r.status, 0);
    assert_int_equal(tu_count_lines(r.out), 2);
    tu_result_free(&r);

    /* Values are checked against the schema and by the plugin, placed in their --set. */
    snprintf(args, sizeof args, "check %s --set 1.fail_on=x --set probe.count=lots --set 1.cuont=1",
             p);
    r = run(args, NULL);
    assert_int_equal(r.status, 3);
    tu_assert_contains(r.err, "sluice: --set:2:13: stage 1 (plugin probe): option 'count' must be "
                              "an integer, not 'lots'");
    tu_assert_contains(r.err, "sluice: --set:3:3: stage 1 (plugin probe): unknown option 'cuont' "
                              "(did you mean 'count'?)");
    tu_result_free(&r);
    snprintf(args, sizeof args, "check %s --set 1.fail_on=x --set 1.count=-4", p);
    r = run(args, NULL);
    assert_int_equal(r.status, 3);
    tu_assert_contains(
        r.err, "sluice: --set:2:9: stage 1 (plugin probe): option 'count': must not be negative");
    tu_result_free(&r);

    /* Targets that do not fit the pipeline. */
    snprintf(args, sizeof args,
             "check %s --set 3.x=1 --set nosuch.x=1 --set fail_on=x --set 0.fail_on=x", p);
    r = run(args, NULL);
    assert_int_equal(r.status, 3);
    tu_assert_contains(r.err, "sluice: --set:1:1: no stage 3: the pipeline has 2 stages");
    tu_assert_contains(r.err, "sluice: --set:2:1: no stage uses plugin 'nosuch'");
    tu_assert_contains(r.err, "sluice: --set:3:1: 'fail_on=x' is not STAGE.option=value");
    tu_assert_contains(r.err, "sluice: --set:4:1: no stage 0");
    tu_result_free(&r);
    expect("check --stage probe:fail_on=a --stage probe:fail_on=b --set probe.count=1", 3,
           "2 stages use plugin 'probe': name the stage by its number");
    expect("check --stage probe:fail_on=a --stage probe:fail_on=b --set 2.count=1", 0, NULL);
}

/* Every line a failing command writes to stderr starts with "sluice: ". */
static void every_message_says_sluice(void **state) {
    (void)state;
    const char *bad_yaml = write_text("bad.yaml", "stages:\n  - plugin: prob\n  - plugin: probe\n");
    const char *syntax = write_text("syntax.yaml", "stages: [\n");
    const char *pass = write_text("pass.yaml", "stages: []\n");
    const char *in = write_text("mixed.jsonl", "{\"text\":\"ok\"}\nnot json\n{\"id\":1}\n");
    char cmds[16][4096];
    size_t n = 0;
    snprintf(cmds[n++], sizeof cmds[0], "%s", sluice);
    snprintf(cmds[n++], sizeof cmds[0], "%s frobnicate", sluice);
    snprintf(cmds[n++], sizeof cmds[0], "%s run --frobnicate", sluice);
    snprintf(cmds[n++], sizeof cmds[0], "%s run /nonexistent/p.yaml", sluice);
    snprintf(cmds[n++], sizeof cmds[0], "%s check --plugin-path %s %s", sluice, fixtures, bad_yaml);
    snprintf(cmds[n++], sizeof cmds[0], "%s check %s", sluice, syntax);
    snprintf(cmds[n++], sizeof cmds[0], "%s run %s /nonexistent/in.jsonl", sluice, pass);
    snprintf(cmds[n++], sizeof cmds[0], "%s run %s %s", sluice, pass, in);
    snprintf(cmds[n++], sizeof cmds[0], "%s run %s --dead-letter /nonexistent/dead %s", sluice,
             pass, in);
    snprintf(cmds[n++], sizeof cmds[0], "%s run nosuchpipeline", sluice);
    snprintf(cmds[n++], sizeof cmds[0], "%s check --stage sentences:x=1 --set 9.y=2", sluice);
    snprintf(cmds[n++], sizeof cmds[0], "%s plugins nosuch", sluice);
    snprintf(cmds[n++], sizeof cmds[0], "%s new-plugin Bad!Name", sluice);
    snprintf(cmds[n++], sizeof cmds[0], "%s help nosuch", sluice);
    snprintf(cmds[n++], sizeof cmds[0], "%s run -e '[1' --max-doc-size 0", sluice);
    snprintf(cmds[n++], sizeof cmds[0], "%s check -e 'stages: [{plugin: probe}]' --plugin-path %s",
             sluice, fixtures);
    for (size_t i = 0; i < n; i++) {
        tu_result r = tu_run(cmds[i], NULL);
        if (r.status == 0)
            fail_msg("'%s' did not fail", cmds[i]);
        if (!*r.err)
            fail_msg("'%s' failed without a word", cmds[i]);
        for (const char *line = r.err; *line;) {
            if (strncmp(line, "sluice: ", 8) != 0)
                fail_msg("'%s' wrote a line without 'sluice: ':\n%s", cmds[i], r.err);
            const char *nl = strchr(line, '\n');
            line = nl ? nl + 1 : line + strlen(line);
        }
        tu_result_free(&r);
    }
}

static void plugins_json(void **state) {
    (void)state;
    tu_result r = run("plugins --json", NULL);
    assert_int_equal(r.status, 0);
    json_error_t err;
    json_t *all = json_loads(r.out, 0, &err);
    if (!all)
        fail_msg("not JSON (%s at line %d): %s", err.text, err.line, r.out);
    assert_true(json_is_array(all));
    json_t *probe = NULL, *jsonl = NULL;
    size_t i;
    json_t *p;
    json_array_foreach(all, i, p) {
        const char *name = json_string_value(json_object_get(p, "name"));
        assert_non_null(name);
        if (strcmp(name, "probe") == 0)
            probe = p;
        if (strcmp(name, "jsonl") == 0)
            jsonl = p;
    }
    assert_non_null(probe);
    assert_non_null(jsonl);
    assert_string_equal(json_string_value(json_object_get(jsonl, "kind")), "sink");
    assert_string_equal(json_string_value(json_object_get(probe, "kind")), "stage");
    tu_assert_contains(json_string_value(json_object_get(probe, "path")), "probe.so");
    assert_string_equal(json_string_value(json_array_get(json_object_get(probe, "flags"), 0)),
                        "parallel");
    json_t *reads = json_object_get(probe, "reads");
    assert_int_equal(json_array_size(reads), 2);
    assert_string_equal(json_string_value(json_array_get(reads, 1)), "$needs");
    json_t *opts = json_object_get(probe, "options");
    json_t *fail_on = json_array_get(opts, 0), *mode = NULL, *layer = NULL;
    json_array_foreach(opts, i, p) {
        const char *name = json_string_value(json_object_get(p, "name"));
        if (strcmp(name, "mode") == 0)
            mode = p;
        if (strcmp(name, "layer") == 0)
            layer = p;
    }
    assert_string_equal(json_string_value(json_object_get(fail_on, "name")), "fail_on");
    assert_true(json_is_true(json_object_get(fail_on, "required")));
    assert_true(json_is_null(json_object_get(fail_on, "default")));
    assert_non_null(mode);
    assert_string_equal(json_string_value(json_object_get(mode, "type")), "enum");
    assert_string_equal(json_string_value(json_object_get(mode, "default")), "auto");
    assert_int_equal(json_array_size(json_object_get(mode, "choices")), 3);
    assert_string_equal(json_string_value(json_array_get(json_object_get(mode, "choices"), 2)),
                        "never");
    assert_true(json_is_true(json_object_get(layer, "layer")));
    json_decref(all);
    tu_result_free(&r);

    /* Bounds come from bundled plugins' schemas when they are built. */
    r = run("plugins --json boilerplate", NULL);
    if (r.status == 0) {
        all = json_loads(r.out, 0, &err);
        assert_non_null(all);
        assert_int_equal(json_array_size(all), 1);
        json_array_foreach(json_object_get(json_array_get(all, 0), "options"), i, p) {
            if (strcmp(json_string_value(json_object_get(p, "name")), "min_paragraph_length") ==
                0) {
                assert_true(json_is_integer(json_object_get(p, "min")));
                assert_true(json_is_integer(json_object_get(p, "max")));
            }
        }
        json_decref(all);
    }
    tu_result_free(&r);
    r = run("plugins --names", NULL);
    tu_assert_contains(r.out, "\nprobe\n");
    tu_result_free(&r);
}

/* What new-plugin writes, without building it (tests/test_sdk.sh builds and tests it). */
static void new_plugin_writes_a_project(void **state) {
    (void)state;
    char args[4096], path[1024];
    snprintf(path, sizeof path, "%s/np", tu_tmpdir());
    snprintf(args, sizeof args, "%s new-plugin word-marks '%s'", sluice, path);
    tu_result r = tu_run(args, NULL);
    assert_int_equal(r.status, 0);
    tu_assert_contains(r.out, "plugin project 'word-marks' written");
    tu_result_free(&r);
    static const char *const files[] = {"CMakeLists.txt",  "word-marks.c",
                                        "word-marks.yaml", "sample.jsonl",
                                        "README.md",       "tests/test_word-marks.c"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char file[1200];
        snprintf(file, sizeof file, "%s/%s", path, files[i]);
        char *text = tu_read(file, NULL);
        if (!text)
            fail_msg("new-plugin did not write %s", files[i]);
        if (strstr(text, "@NAME@") || strstr(text, "@IDENT@") || strstr(text, "@SLUICE_"))
            fail_msg("%s keeps a placeholder:\n%s", files[i], text);
        free(text);
    }
    snprintf(args, sizeof args, "%s/word-marks.c", path);
    char *c = tu_read(args, NULL);
    tu_assert_contains(c, ".name = \"word-marks\""); /* the name as pipelines write it */
    tu_assert_contains(c, "static int word_marks_process(void *state, sl_doc *doc)");
    free(c);
    snprintf(args, sizeof args, "%s/CMakeLists.txt", path);
    c = tu_read(args, NULL);
    tu_assert_contains(c, "find_package(sluice ");
    tu_assert_contains(c, "sluice_plugin(word-marks word-marks.c)");
    free(c);

    /* Never over an existing folder; names as pipelines allow them. */
    snprintf(args, sizeof args, "new-plugin other '%s'", path);
    expect(args, 5, "already exists");
    expect("new-plugin Word", 2, "sluice: 'Word' cannot name a plugin");
    expect("new-plugin 9lives", 2, "cannot name a plugin");
    expect("new-plugin", 2, "new-plugin needs a NAME");
}

int main(void) {
    snprintf(sluice, sizeof sluice, "'%s'", tu_env("SLUICE_BIN", "./sluice"));
    snprintf(fixtures, sizeof fixtures, "'%s'", tu_env("SLUICE_TEST_PLUGIN_DIR", "test-plugins"));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pipelines_by_name), cmocka_unit_test(pipeline_on_the_command_line),
        cmocka_unit_test(set_overrides),     cmocka_unit_test(every_message_says_sluice),
        cmocka_unit_test(plugins_json),      cmocka_unit_test(new_plugin_writes_a_project),
    };
    return cmocka_run_group_tests(tests, NULL, tu_teardown);
}
