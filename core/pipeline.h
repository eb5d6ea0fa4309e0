/* Pipeline files: YAML parsed into stage specifications with their places in the file. */
#ifndef SLUICE_CORE_PIPELINE_H
#define SLUICE_CORE_PIPELINE_H

#include <stddef.h>

#include "diag.h"

typedef enum slc_value_kind { SLC_VALUE_SCALAR, SLC_VALUE_LIST, SLC_VALUE_MAP } slc_value_kind;

/* One option of a stage as written in the file. */
typedef struct slc_value {
    char *key;
    slc_mark key_mark, mark;
    const char *source; /* where it was given when not in the pipeline's text ("--set"): messages
                           name it instead of the file; NULL otherwise */
    slc_value_kind kind;
    char *scalar; /* SLC_VALUE_SCALAR */
    int quoted;   /* the scalar was quoted: always a string */
    char **items; /* SLC_VALUE_LIST: scalar items (NULL where an item is not a scalar) */
    size_t nitems;
} slc_value;

typedef struct slc_stage_spec {
    char *plugin; /* name or path */
    slc_mark mark, plugin_mark;
    slc_value *opts;
    size_t nopts;
} slc_stage_spec;

typedef struct slc_pipeline_spec {
    char *path; /* the file as named by the user */
    char *dir;  /* its directory, for plugin paths relative to it */
    char *input;
    slc_mark input_mark;
    slc_stage_spec *stages;
    size_t nstages;
} slc_pipeline_spec;

/* Parse a pipeline file; errors (with line and column) go to diag. 0 on success. */
int slc_pipeline_parse_file(const char *path, slc_pipeline_spec *out, slc_diag *diag);
/* Parse pipeline YAML from memory; name is used in messages and dir for relative paths. */
int slc_pipeline_parse_string(const char *name, const char *dir, const char *yaml, size_t len,
                              slc_pipeline_spec *out, slc_diag *diag);
/* Free a parsed pipeline. */
void slc_pipeline_spec_free(slc_pipeline_spec *spec);

/* The input formats a pipeline may name. */
extern const char *const slc_input_formats[];
extern const size_t slc_input_format_count;

#endif
