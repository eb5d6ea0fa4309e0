/* The plugin loader: search, and refusals with messages that name the file and versions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"
#include "test_util.h"

#define STR_(x) #x
#define STR(x) STR_(x)
/* This header's ABI version as the loader and --version print it. */
#define ABI_VERSION STR(SL_ABI_MAJOR) "." STR(SL_ABI_MINOR)

static const char *fixture(const char *name) {
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s.so", tu_env("SLUICE_TEST_PLUGIN_DIR", "test-plugins"), name);
    return path;
}

static void refused(const char *name, const char *const *parts) {
    slc_plugin_lib lib;
    slc_buf err = {0};
    int rc = slc_plugin_open(fixture(name), &lib, &err);
    assert_int_not_equal(rc, 0);
    assert_null(lib.handle);
    assert_non_null(strstr(err.p, fixture(name)));
    for (; *parts; parts++)
        if (!strstr(err.p, *parts))
            fail_msg("expected \"%s\" in: %s", *parts, err.p);
    slc_buf_free(&err);
}

static void loads_good_plugin(void **state) {
    (void)state;
    slc_plugin_lib lib;
    slc_buf err = {0};
    assert_int_equal(slc_plugin_open(fixture("probe"), &lib, &err), 0);
    assert_string_equal(lib.desc->name, "probe");
    assert_int_equal(lib.desc->kind, SL_KIND_STAGE);
    slc_plugin_close(&lib);
    slc_buf_free(&err);
}

static void wrong_major(void **state) {
    (void)state;
    refused("bad_major",
            (const char *const[]){"plugin ABI 2.0", "sluice's ABI " ABI_VERSION, NULL});
}

static void newer_minor(void **state) {
    (void)state;
    refused("newer_minor",
            (const char *const[]){"plugin ABI 1.99", "newer", "ABI " ABI_VERSION, NULL});
}

static void short_struct(void **state) {
    (void)state;
    refused("short_struct",
            (const char *const[]){"descriptor is 16 bytes", "sluice ABI " ABI_VERSION, NULL});
}

static void other_token_size(void **state) {
    (void)state;
    refused("token_size", (const char *const[]){"built with 40-byte tokens", "rebuild", NULL});
}

/* A plugin built against ABI 1.1 has the shorter option entries: the host steps through them
 * by their own size and reads the 1.2 fields as zero. */
static void older_option_layout(void **state) {
    (void)state;
    slc_plugin_lib lib;
    slc_buf err = {0};
    assert_int_equal(slc_plugin_open(fixture("abi_1_1"), &lib, &err), 0);
    assert_non_null(lib.options);
    assert_string_equal(lib.options[0].name, "greeting");
    assert_string_equal(lib.options[0].default_value, "hello");
    assert_string_equal(lib.options[1].name, "times");
    assert_int_equal(lib.options[1].type, SL_OPT_INT);
    assert_int_equal(lib.options[1].flags, 0);
    assert_null(lib.options[2].name);
    assert_int_equal(lib.flags, 0);
    slc_plugin_close(&lib);
    slc_buf_free(&err);
}

/* The 1.2 descriptor members reach the host. */
static void descriptor_flags_and_layers(void **state) {
    (void)state;
    slc_plugin_lib lib;
    slc_buf err = {0};
    assert_int_equal(slc_plugin_open(fixture("probe"), &lib, &err), 0);
    assert_int_equal(lib.flags, SL_PLUGIN_PARALLEL);
    assert_string_equal(lib.writes, "$layer");
    slc_plugin_close(&lib);
    slc_buf_free(&err);
}

static void missing_symbol(void **state) {
    (void)state;
    refused("no_entry", (const char *const[]){"no 'sl_plugin_entry' symbol", NULL});
}

static void not_a_shared_object(void **state) {
    (void)state;
    const char *path = tu_write("fake.so", "not an ELF file", 15);
    slc_plugin_lib lib;
    slc_buf err = {0};
    assert_int_not_equal(slc_plugin_open(path, &lib, &err), 0);
    assert_non_null(strstr(err.p, "cannot load"));
    slc_buf_free(&err);
}

static void resolve_by_name_and_path(void **state) {
    (void)state;
    char *dirs[] = {(char *)tu_env("SLUICE_TEST_PLUGIN_DIR", "test-plugins")};
    slc_search_path sp;
    assert_int_equal(slc_search_path_init(&sp, dirs, 1), 0);
    slc_buf err = {0};
    char *p = slc_plugin_resolve(&sp, "probe", NULL, &err);
    assert_non_null(p);
    assert_string_equal(p, fixture("probe"));
    free(p);
    assert_null(slc_plugin_resolve(&sp, "prob", NULL, &err));
    assert_non_null(strstr(err.p, "unknown plugin 'prob' (did you mean 'probe'?)"));
    slc_buf_clear(&err);
    assert_null(slc_plugin_resolve(&sp, "../etc", NULL, &err));
    slc_buf_clear(&err);
    p = slc_plugin_resolve(&sp, fixture("probe"), "/nowhere", &err);
    assert_non_null(p);
    free(p);
    assert_null(slc_plugin_resolve(&sp, "missing/thing.so", "/nowhere", &err));
    assert_non_null(strstr(err.p, "/nowhere/missing/thing.so"));
    slc_buf_free(&err);
    slc_search_path_free(&sp);
}

static void never_current_directory(void **state) {
    (void)state;
    slc_search_path sp;
    assert_int_equal(slc_search_path_init(&sp, NULL, 0), 0);
    for (size_t i = 0; i < sp.n; i++) {
        assert_string_not_equal(sp.dirs[i], ".");
        assert_string_not_equal(sp.dirs[i], "");
    }
    slc_search_path_free(&sp);
}

static int teardown(void **state) {
    (void)state;
    tu_cleanup();
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loads_good_plugin),
        cmocka_unit_test(wrong_major),
        cmocka_unit_test(newer_minor),
        cmocka_unit_test(short_struct),
        cmocka_unit_test(other_token_size),
        cmocka_unit_test(older_option_layout),
        cmocka_unit_test(descriptor_flags_and_layers),
        cmocka_unit_test(missing_symbol),
        cmocka_unit_test(not_a_shared_object),
        cmocka_unit_test(resolve_by_name_and_path),
        cmocka_unit_test(never_current_directory),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
