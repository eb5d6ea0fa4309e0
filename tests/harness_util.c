#include "harness_util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "test_util.h"

sl_harness *tu_harness(const char *plugin, const char *options) {
    sl_harness *h = sl_harness_new();
    if (!h || sl_harness_plugin_dir(h, tu_env("SLUICE_TEST_PLUGIN_DIR", "test-plugins")) != 0 ||
        sl_harness_plugin_dir(h, tu_env("SLUICE_PLUGIN_BUILD_DIR", "plugins")) != 0 ||
        sl_harness_add(h, plugin, options) != 0)
        fail_msg("cannot make a harness for %s", plugin);
    return h;
}

sl_harness *tu_harness_started(const char *plugin, const char *options) {
    sl_harness *h = tu_harness(plugin, options);
    if (sl_harness_start(h) != SL_OK)
        fail_msg("the harness for %s did not start:\n%s", plugin, sl_harness_error(h));
    return h;
}
