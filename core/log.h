/* The log that plugins write through host->log: level filtering and the stage prefix. */
#ifndef SLUICE_CORE_LOG_H
#define SLUICE_CORE_LOG_H

#include "sluice/sluice.h"

/* Show messages up to this sl_log_level (default SL_LOG_WARN). */
void slc_log_set_level(int level);
/* Whether messages of this level are shown. */
int slc_log_enabled(int level);
/* A level's name ("error", "warning", "info", "debug") to its value; -1 when unknown. */
int slc_log_level_parse(const char *name);
/* host->log: "sluice: stage N (plugin NAME): LEVEL: message", for the plugin running now. */
void slc_log_plugin(int level, const char *fmt, ...) SL_PRINTF(2, 3);

#endif
