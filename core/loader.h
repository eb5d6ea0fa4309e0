/* Finding and loading plugins: search path, dlopen, descriptor checks. */
#ifndef SLUICE_CORE_LOADER_H
#define SLUICE_CORE_LOADER_H

#include "buf.h"
#include "sluice/sluice.h"

/* A loaded plugin shared object. */
typedef struct slc_plugin_lib {
    char *path;
    char *dir;
    void *handle;
    const sl_plugin *desc;
    /* The descriptor's option schema copied into this header's sl_option layout (the plugin's
     * may be older and shorter), NULL-name terminated; NULL when it has none. */
    sl_option *options;
    uint32_t flags; /* sl_plugin_flag bits: 0 for plugins older than ABI 1.2 */
    const char *reads, *writes;
} slc_plugin_lib;

/* The directories searched for plugins by name, in order. */
typedef struct slc_search_path {
    char **dirs;
    size_t n, cap;
} slc_search_path;

/* Build the search path: the given directories (--plugin-path), then $SLUICE_PLUGIN_PATH,
 * then the build tree's plugin folder when sluice runs from its build tree, then the
 * installed plugin folder. Never the current directory. */
int slc_search_path_init(slc_search_path *sp, char *const *dirs, size_t ndirs);
/* Append a folder unless it is empty or already there; 0 or SL_ENOMEM. */
int slc_search_path_add(slc_search_path *sp, const char *dir);
/* Free the search path. */
void slc_search_path_free(slc_search_path *sp);

/* Whether a plugin reference is a path (has a '/' or ends in .so) rather than a name. */
int slc_plugin_ref_is_path(const char *ref);
/* Resolve a reference to a file: paths relative to base_dir, names on the search path.
 * NULL with a message in err when not found. */
char *slc_plugin_resolve(const slc_search_path *sp, const char *ref, const char *base_dir,
                         slc_buf *err);
/* dlopen a plugin and check its descriptor; 0, or an SL_E code with a message in err. */
int slc_plugin_open(const char *path, slc_plugin_lib *lib, slc_buf *err);
/* Unload a plugin. */
void slc_plugin_close(slc_plugin_lib *lib);

/* The folder of the running executable, or "" when unknown (for the build-tree and
 * install-relative searches). */
void slc_exe_dir(char *out, size_t cap);

/* A plugin kind as a word. */
const char *slc_kind_name(sl_kind kind);

#endif
