/* Parts of the sluice command beyond run and check: pipelines by name or given on the command
 * line, option overrides, the JSON plugin list, and new plugin projects. */
#ifndef SLUICE_CORE_CLI_H
#define SLUICE_CORE_CLI_H

#include <stddef.h>

#include "buf.h"
#include "diag.h"
#include "loader.h"
#include "runner.h"

/* Where the pipeline of `run` and `check` comes from, besides a PIPELINE argument. */
typedef struct slc_cli_pipeline {
    const char *expr; /* -e YAML */
    char **stages;    /* --stage PLUGIN[:opt=val,...], in order */
    size_t nstages;
    char **sets; /* --set N.option=value */
    size_t nsets;
} slc_cli_pipeline;

/* A folder of sluice's shared files: the source tree's source_rel when sluice runs from its
 * build tree, else the installed share/sluice/data_rel (found relative to the binary, then
 * at the configured prefix). 0, or -1 when none exists. */
int slc_cli_data_dir(const char *source_rel, const char *data_rel, char *out, size_t cap);

/* The names of the files of a folder that end in suffix (without it when strip is set),
 * sorted; *n gets how many. Free with slc_cli_free_names(). */
char **slc_cli_dir_names(const char *dir, const char *suffix, int strip, size_t *n);
void slc_cli_free_names(char **names, size_t n);

/* The folders searched for pipelines by name: each of $SLUICE_PIPELINE_PATH, then the source
 * tree's pipelines/ when sluice runs from its build tree, then the installed ones. */
int slc_cli_pipeline_path(slc_search_path *sp);

/* The file a pipeline reference names: a path (it has a '/', ends in .yaml or .yml, or is an
 * existing file) as it is, or a name looked up as NAME.yaml on the pipeline path. NULL with a
 * message in err when a name is not found. */
char *slc_cli_find_pipeline(const char *ref, slc_buf *err);

/* `sluice pipelines`: name, first comment line and file of each pipeline on the path (only
 * the names with names_only). Returns an slc_exit status. */
int slc_cli_list_pipelines(int names_only);

/* Load the pipeline the command line gives: -e, or --stage options, or else args[0] (a file
 * or a name, then *used is 1), with the --set overrides applied. Usage problems go to usage
 * (SLC_EXIT_USAGE), pipeline problems to diag (SLC_EXIT_PIPELINE); SLC_EXIT_OK when loaded. */
int slc_cli_load_pipeline(slc_pipeline *p, const slc_cli_pipeline *cp, char **args, size_t nargs,
                          size_t *used, char *const *plugin_dirs, size_t ndirs, slc_buf *usage,
                          slc_diag *diag);

/* `sluice plugins --json`: every plugin on the path (or only lib, when not NULL) with its
 * options, as one JSON array on standard output. Returns an slc_exit status. */
int slc_cli_plugins_json(const slc_search_path *sp, const slc_plugin_lib *lib);

/* Call fn for each plugin on the path, the first of each name only (as pipelines find them);
 * files that are not plugins are reported on stderr and skipped. Returns how many. */
size_t slc_cli_each_plugin(const slc_search_path *sp, void (*fn)(const slc_plugin_lib *, void *),
                           void *ctx);

/* `sluice new-plugin NAME [DIR]`: write a plugin project. Returns an slc_exit status. */
int slc_cli_new_plugin(const char *name, const char *dir);

#endif
