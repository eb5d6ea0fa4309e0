/* The plugin tests' way into the in-process harness: the build tree's plugin folders on its
 * path. */
#ifndef SLUICE_TEST_HARNESS_UTIL_H
#define SLUICE_TEST_HARNESS_UTIL_H

#include "sluice/harness.h"

/* A harness with the fixture and bundled plugin folders of this build on its plugin path and
 * one stage (plugin with its options as YAML, or NULL), not started. Fails the running test
 * when out of memory. */
sl_harness *tu_harness(const char *plugin, const char *options);

/* The same, started: fails the running test, with the harness's message, when it does not. */
sl_harness *tu_harness_started(const char *plugin, const char *options);

#endif
