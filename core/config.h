/* Stage configuration: options from the pipeline file checked against a plugin's schema. */
#ifndef SLUICE_CORE_CONFIG_H
#define SLUICE_CORE_CONFIG_H

#include "diag.h"
#include "pipeline.h"
#include "sluice/sluice.h"

/* Check a stage's options against the schema: unknown, missing, mistyped. Errors go to diag;
 * returns how many were found. */
int slc_config_check(const sl_option *schema, const slc_stage_spec *spec, const char *file,
                     int stage, const char *plugin, slc_diag *diag);

/* A configuration handle for create(); spec and schema must outlive it. NULL on no memory. */
sl_config *slc_config_new(const sl_option *schema, const slc_stage_spec *spec, const char *file,
                          int stage, const char *plugin, const char *plugin_dir, slc_diag *diag);
/* Free a configuration handle. */
void slc_config_free(sl_config *cfg);

/* An option's scalar value as given, else its default, else NULL; for the core's own use
 * (no check that the schema declares it). */
const char *slc_config_scalar(const sl_config *cfg, const char *name);

/* The type of an option as a word ("string", "int", ...). */
const char *slc_option_type_name(sl_option_type t);

const char *slc_cfg_string(const sl_config *cfg, const char *name);
int64_t slc_cfg_int(const sl_config *cfg, const char *name);
double slc_cfg_double(const sl_config *cfg, const char *name);
int slc_cfg_bool(const sl_config *cfg, const char *name);
int slc_cfg_enum(const sl_config *cfg, const char *name);
size_t slc_cfg_list_count(const sl_config *cfg, const char *name);
const char *slc_cfg_list_item(const sl_config *cfg, const char *name, size_t i);
int slc_cfg_is_set(const sl_config *cfg, const char *name);
const char *slc_cfg_plugin_dir(const sl_config *cfg);
int slc_cfg_error(const sl_config *cfg, const char *option, const char *fmt, ...) SL_PRINTF(3, 4);

#endif
