#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "guard.h"

static const char *const level_names[] = {"error", "warning", "info", "debug"};
static int log_level = SL_LOG_WARN;

void slc_log_set_level(int level) {
    log_level = level;
}

int slc_log_enabled(int level) {
    return level <= log_level;
}

int slc_log_level_parse(const char *name) {
    for (int i = 0; i < 4; i++)
        if (strcmp(name, level_names[i]) == 0)
            return i;
    return strcmp(name, "warn") == 0 ? SL_LOG_WARN : -1;
}

void slc_log_plugin(int level, const char *fmt, ...) {
    if (!slc_log_enabled(level))
        return;
    /* The guard knows which stage is being called: the prefix names it without the plugin
     * having to. One buffer and one write keep lines whole when several processes share
     * stderr. */
    char line[4096];
    int n;
    const char *lname = level >= 0 && level <= 3 ? level_names[level] : "log";
    if (slc_guard_now.stage > 0 && slc_guard_now.plugin)
        n = snprintf(line, sizeof line,
                     "sluice: stage %d (plugin %s): %s: ", (int)slc_guard_now.stage,
                     slc_guard_now.plugin, lname);
    else
        n = snprintf(line, sizeof line, "sluice: %s: ", lname);
    if (n < 0 || (size_t)n >= sizeof line)
        n = 0;
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = m < 0 ? (size_t)n : (size_t)n + (size_t)m;
    if (len > sizeof line - 2)
        len = sizeof line - 2;
    line[len++] = '\n';
    fwrite(line, 1, len, stderr);
}
