/*
 * End to end through the sluice command: a JSON Lines input with an HTML document and a
 * scraped-text document, a pipeline with the boilerplate stage, and checks on the output.
 * Also an .html file through --input-format html. Skips (77) without the built binary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[256];

static void write_file(const char *name, const char *text) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Run a shell command, return its standard output (malloc'd) and exit status. */
static char *run(const char *cmd, int *status) {
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, n = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    size_t r;
    while ((r = fread(out + n, 1, cap - n - 1, p)) > 0) {
        n += r;
        if (n + 1 == cap) {
            cap *= 2;
            out = realloc(out, cap);
            assert_non_null(out);
        }
    }
    out[n] = '\0';
    *status = pclose(p);
    return out;
}

static const char *bin(void) {
    const char *b = getenv("SLUICE_BIN");
    return b && access(b, X_OK) == 0 ? b : NULL;
}

static void jsonl_html_and_text(void **s) {
    (void)s;
    write_file("p.yaml", "stages:\n  - plugin: boilerplate\n");
    write_file("in.jsonl",
               "{\"id\":\"h1\",\"url\":\"https://in.example/a\",\"html\":\"<html><head>"
               "<title>Flood funds released</title><meta name='author' content='Jane Doe'>"
               "<link rel='canonical' href='https://example.com/flood'></head><body><nav>"
               "<a href='/'>Home</a></nav><article><h1>Flood funds released</h1><p>The state "
               "will release emergency money to towns along the river, the governor said on "
               "Monday.</p><div class='ad'>Advertisement</div><p>The river rose four metres "
               "in two days last week, flooding more than 300 homes, officials said.</p>"
               "</article><footer>Contact us</footer></body></html>\"}\n"
               "{\"id\":\"t1\",\"text\":\"Share\\n\\nFlood funds released\\n\\nThe state will "
               "release money, the governor said.\\n\\nAdvertisement\\n\\nThe river rose four "
               "metres last week.\"}\n");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cd %s && '%s' run p.yaml -q in.jsonl", tmpdir, bin());
    int st;
    char *out = run(cmd, &st);
    assert_int_equal(st, 0);
    char *l2 = strchr(out, '\n');
    assert_non_null(l2);
    *l2++ = '\0';
    /* the HTML document */
    assert_non_null(strstr(out, "\"text\":\"The state will release emergency money"));
    assert_non_null(strstr(out, "300 homes, officials said."));
    assert_null(strstr(out, "Advertisement"));
    assert_null(strstr(out, "Home"));
    assert_null(strstr(out, "\"html\":"));
    assert_non_null(strstr(out, "\"title\":\"Flood funds released\""));
    assert_non_null(strstr(out, "\"author\":\"Jane Doe\""));
    assert_non_null(strstr(out, "\"url\":\"https://in.example/a\"")); /* input kept */
    assert_non_null(strstr(out, "\"boilerplate\":{"));
    assert_non_null(strstr(out, "\"article_found\":true"));
    /* the text document */
    assert_non_null(strstr(l2, "\"text\":\"Flood funds released\\n\\nThe state will release"));
    assert_null(strstr(l2, "Advertisement"));
    assert_null(strstr(l2, "Share"));
    free(out);

    /* keep_html keeps the raw page */
    write_file("k.yaml", "stages:\n  - plugin: boilerplate\n    keep_html: true\n");
    snprintf(cmd, sizeof cmd, "cd %s && '%s' run k.yaml -q in.jsonl", tmpdir, bin());
    out = run(cmd, &st);
    assert_int_equal(st, 0);
    assert_non_null(strstr(out, "\"html\":\"<html>"));
    free(out);
}

static void html_file_input(void **s) {
    (void)s;
    write_file("p.yaml", "stages:\n  - plugin: boilerplate\n");
    write_file("page.html", "<html><head><meta charset='utf-8'><title>Caf\xc3\xa9</title>"
                            "</head><body><div class='content'><p>The caf\xc3\xa9 on Main "
                            "Street will close next month after a century, its owner said "
                            "on Friday.</p></div></body></html>");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cd %s && '%s' run p.yaml -q --input-format html page.html", tmpdir,
             bin());
    int st;
    char *out = run(cmd, &st);
    assert_int_equal(st, 0);
    assert_non_null(strstr(out, "The caf\xc3\xa9 on Main Street"));
    assert_non_null(strstr(out, "\"title\":\"Caf\xc3\xa9\""));
    free(out);
}

/* windows-1252 bytes that a producer put in the JSON string as Latin-1 code points
 * (U+0093 and U+0094 are C1 controls, the mark of it) are decoded as the page says */
static void latin1_mapped_bytes(void **s) {
    (void)s;
    write_file("p.yaml", "stages:\n  - plugin: boilerplate\n");
    write_file("l.jsonl", "{\"id\":\"l1\",\"html\":\"<meta charset=windows-1252><p>\\u0093The "
                          "caf\\u00e9 will close,\\u0094 its owner said on Friday, after a "
                          "century on Main Street.</p>\"}\n");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cd %s && '%s' run p.yaml -q l.jsonl", tmpdir, bin());
    int st;
    char *out = run(cmd, &st);
    assert_int_equal(st, 0);
    assert_non_null(strstr(out, "\xe2\x80\x9cThe caf\xc3\xa9 will close,\xe2\x80\x9d"));
    assert_non_null(strstr(out, "\"bytes_recovered\":true"));
    free(out);
}

int main(void) {
    if (!bin()) {
        printf("SLUICE_BIN not set or not executable: skipped\n");
        return 77;
    }
    snprintf(tmpdir, sizeof tmpdir, "/tmp/bp_plugin_test.XXXXXX");
    if (!mkdtemp(tmpdir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(jsonl_html_and_text),
        cmocka_unit_test(html_file_input),
        cmocka_unit_test(latin1_mapped_bytes),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return rc;
}
