#include "loader.h"

#include <dirent.h>
#include <dlfcn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "document.h"

/* The descriptor size of ABI 1.0: anything shorter is refused. */
#define SL_PLUGIN_V1_SIZE (offsetof(sl_plugin, destroy) + sizeof(void (*)(void *)))
/* sizeof(sl_option) before ABI 1.2 added flags, min and max: the stride of older schemas. */
#define SL_OPTION_V1_SIZE (offsetof(sl_option, flags))
/* A schema longer than this is taken for a missing terminator. */
#define MAX_OPTIONS 256

typedef const sl_plugin *(*entry_fn)(const sl_host *);

static char *dup_str(const char *s) {
    size_t n = strlen(s);
    char *d = malloc(n + 1);
    if (d)
        memcpy(d, s, n + 1);
    return d;
}

int slc_search_path_add(slc_search_path *sp, const char *dir) {
    if (!dir || !*dir)
        return 0;
    for (size_t i = 0; i < sp->n; i++)
        if (strcmp(sp->dirs[i], dir) == 0)
            return 0;
    if (sp->n == sp->cap) {
        size_t cap = sp->cap ? sp->cap * 2 : 8;
        char **d = realloc(sp->dirs, cap * sizeof *d);
        if (!d)
            return SL_ENOMEM;
        sp->dirs = d;
        sp->cap = cap;
    }
    if (!(sp->dirs[sp->n] = dup_str(dir)))
        return SL_ENOMEM;
    sp->n++;
    return 0;
}

void slc_exe_dir(char *out, size_t cap) {
    ssize_t n = readlink("/proc/self/exe", out, cap - 1);
    out[n > 0 ? n : 0] = '\0';
    char *slash = strrchr(out, '/');
    if (slash)
        *slash = '\0';
}

int slc_search_path_init(slc_search_path *sp, char *const *dirs, size_t ndirs) {
    memset(sp, 0, sizeof *sp);
    for (size_t i = 0; i < ndirs; i++)
        if (slc_search_path_add(sp, dirs[i]) != 0)
            return SL_ENOMEM;
    const char *env = getenv("SLUICE_PLUGIN_PATH");
    if (env) {
        char *copy = dup_str(env);
        if (!copy)
            return SL_ENOMEM;
        for (char *save = NULL, *p = strtok_r(copy, ":", &save); p; p = strtok_r(NULL, ":", &save))
            slc_search_path_add(sp, p);
        free(copy);
    }
    char self[4096], buf[4200];
    slc_exe_dir(self, sizeof self);
    if (*self && strcmp(self, SLUICE_BUILD_BIN_DIR) == 0)
        slc_search_path_add(sp, SLUICE_BUILD_PLUGIN_DIR);
    if (*self) {
        snprintf(buf, sizeof buf, "%s/%s", self, SLUICE_INSTALL_PLUGIN_REL);
        struct stat st;
        if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
            slc_search_path_add(sp, buf);
    }
    slc_search_path_add(sp, SLUICE_INSTALL_PLUGIN_DIR);
    return 0;
}

void slc_search_path_free(slc_search_path *sp) {
    for (size_t i = 0; i < sp->n; i++)
        free(sp->dirs[i]);
    free(sp->dirs);
    memset(sp, 0, sizeof *sp);
}

int slc_plugin_ref_is_path(const char *ref) {
    size_t n = strlen(ref);
    return strchr(ref, '/') || (n > 3 && strcmp(ref + n - 3, ".so") == 0);
}

static int is_file(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Names of the plugins found on the search path, for "did you mean". */
static size_t known_names(const slc_search_path *sp, char names[][64], size_t cap) {
    size_t n = 0;
    for (size_t i = 0; i < sp->n && n < cap; i++) {
        DIR *d = opendir(sp->dirs[i]);
        if (!d)
            continue;
        struct dirent *e;
        while ((e = readdir(d)) && n < cap) {
            size_t len = strlen(e->d_name);
            if (len > 3 && len < 64 && strcmp(e->d_name + len - 3, ".so") == 0) {
                memcpy(names[n], e->d_name, len - 3);
                names[n++][len - 3] = '\0';
            }
        }
        closedir(d);
    }
    return n;
}

char *slc_plugin_resolve(const slc_search_path *sp, const char *ref, const char *base_dir,
                         slc_buf *err) {
    char path[4096];
    if (slc_plugin_ref_is_path(ref)) {
        if (ref[0] == '/' || !base_dir)
            snprintf(path, sizeof path, "%s", ref);
        else
            snprintf(path, sizeof path, "%s/%s", base_dir, ref);
        if (is_file(path))
            return dup_str(path);
        slc_buf_printf(err, "no plugin file '%s'", path);
        return NULL;
    }
    for (const char *p = ref; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-')) {
            slc_buf_printf(err, "'%s' is not a plugin name (lower-case letters, digits, _ and -)",
                           ref);
            return NULL;
        }
    for (size_t i = 0; i < sp->n; i++) {
        snprintf(path, sizeof path, "%s/%s.so", sp->dirs[i], ref);
        if (is_file(path))
            return dup_str(path);
    }
    char(*found)[64] = malloc(256 * sizeof *found);
    const char *near = NULL;
    if (found) {
        size_t n = known_names(sp, found, 256);
        const char *cands[256];
        for (size_t i = 0; i < n; i++)
            cands[i] = found[i];
        near = slc_nearest(ref, cands, n);
    }
    slc_buf_printf(err, "unknown plugin '%s'", ref);
    if (near)
        slc_buf_printf(err, " (did you mean '%s'?)", near);
    slc_buf_puts(err, "; searched:");
    for (size_t i = 0; i < sp->n; i++)
        slc_buf_printf(err, " %s", sp->dirs[i]);
    if (!sp->n)
        slc_buf_puts(err, " (no plugin folders)");
    free(found);
    return NULL;
}

const char *slc_kind_name(sl_kind kind) {
    switch (kind) {
    case SL_KIND_SOURCE:
        return "source";
    case SL_KIND_STAGE:
        return "stage";
    case SL_KIND_SINK:
        return "sink";
    }
    return "?";
}

static int refuse(slc_plugin_lib *lib, slc_buf *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int refuse(slc_plugin_lib *lib, slc_buf *err, int code, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    slc_buf_printf(err, "%s: %s", lib->path ? lib->path : "?", msg);
    slc_plugin_close(lib);
    return code;
}

static int valid_name(const char *s) {
    if (!s || !*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
            return 0;
    return 1;
}

/* Whether the descriptor has the 1.2 member at offset off (the plugin may be older). */
#define DESC_HAS(d, member) ((d)->struct_size >= offsetof(sl_plugin, member) + sizeof((d)->member))

/* Read the descriptor's 1.2 members and copy its schema into this header's sl_option layout,
 * stepping through the plugin's array by the element size it was built with. */
static int take_layout(slc_plugin_lib *lib, const sl_plugin *d, slc_buf *err) {
    size_t stride = DESC_HAS(d, option_size) && d->option_size ? d->option_size : SL_OPTION_V1_SIZE;
    if (stride < SL_OPTION_V1_SIZE || stride > 4096)
        return refuse(lib, err, SL_EABI, "plugin '%s' gives an option size of %zu bytes", d->name,
                      stride);
    if (DESC_HAS(d, token_size) && d->token_size && d->token_size != sizeof(sl_token))
        return refuse(lib, err, SL_EABI,
                      "plugin '%s' was built with %u-byte tokens, this sluice has %zu: rebuild "
                      "the plugin against this sluice",
                      d->name, d->token_size, sizeof(sl_token));
    if (DESC_HAS(d, writes)) {
        lib->flags = d->flags;
        lib->reads = d->reads;
        lib->writes = d->writes;
    }
    if (!d->options)
        return 0;
    const char *base = (const char *)d->options;
    size_t n = 0;
    for (const char *name = NULL; n <= MAX_OPTIONS; n++) {
        memcpy(&name, base + n * stride, sizeof name); /* the first member of every layout */
        if (!name)
            break;
    }
    if (n > MAX_OPTIONS)
        return refuse(lib, err, SL_EABI,
                      "plugin '%s' has more than %d options (is its schema NULL-terminated?)",
                      d->name, MAX_OPTIONS);
    lib->options = calloc(n + 1, sizeof *lib->options);
    if (!lib->options)
        return refuse(lib, err, SL_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        memcpy(&lib->options[i], base + i * stride,
               stride < sizeof(sl_option) ? stride : sizeof(sl_option));
    return 0;
}

int slc_plugin_open(const char *path, slc_plugin_lib *lib, slc_buf *err) {
    memset(lib, 0, sizeof *lib);
    lib->path = dup_str(path);
    if (!lib->path)
        return SL_ENOMEM;
    char *slash = strrchr(lib->path, '/');
    lib->dir = slash ? strndup(lib->path, (size_t)(slash - lib->path)) : dup_str(".");
    if (!lib->dir) {
        free(lib->path);
        lib->path = NULL;
        return SL_ENOMEM;
    }
    lib->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!lib->handle) {
        const char *why = dlerror();
        return refuse(lib, err, SL_ENOTFOUND, "cannot load: %s", why ? why : "dlopen failed");
    }
    dlerror();
    void *sym = dlsym(lib->handle, SL_PLUGIN_ENTRY_NAME);
    if (!sym)
        return refuse(lib, err, SL_EABI, "no '%s' symbol: not a sluice plugin",
                      SL_PLUGIN_ENTRY_NAME);
    entry_fn entry;
    memcpy(&entry, &sym, sizeof entry); /* object pointer to function pointer, as POSIX allows */
    const sl_plugin *d = entry(slc_host());
    if (!d)
        return refuse(lib, err, SL_EABI, "%s() returned no descriptor", SL_PLUGIN_ENTRY_NAME);
    if (d->abi_major != SL_ABI_MAJOR)
        return refuse(lib, err, SL_EABI,
                      "plugin ABI %u.%u does not match this sluice's ABI %d.%d (major versions "
                      "differ): rebuild the plugin against this sluice",
                      d->abi_major, d->abi_minor, SL_ABI_MAJOR, SL_ABI_MINOR);
    if (d->abi_minor > SL_ABI_MINOR)
        return refuse(lib, err, SL_EABI,
                      "plugin ABI %u.%u is newer than this sluice's ABI %d.%d: upgrade sluice",
                      d->abi_major, d->abi_minor, SL_ABI_MAJOR, SL_ABI_MINOR);
    if (d->struct_size < SL_PLUGIN_V1_SIZE)
        return refuse(lib, err, SL_EABI,
                      "plugin descriptor is %u bytes, ABI %u.%u needs at least %zu (plugin ABI "
                      "%u.%u, sluice ABI %d.%d)",
                      d->struct_size, d->abi_major, d->abi_minor, SL_PLUGIN_V1_SIZE, d->abi_major,
                      d->abi_minor, SL_ABI_MAJOR, SL_ABI_MINOR);
    if (!valid_name(d->name))
        return refuse(lib, err, SL_EABI, "plugin name is missing or not [a-z0-9_-]+");
    if (d->kind != SL_KIND_SOURCE && d->kind != SL_KIND_STAGE && d->kind != SL_KIND_SINK)
        return refuse(lib, err, SL_EABI, "plugin '%s' has an unknown kind %d", d->name,
                      (int)d->kind);
    if (!d->create || !d->destroy)
        return refuse(lib, err, SL_EABI, "plugin '%s' lacks create() or destroy()", d->name);
    if (d->kind == SL_KIND_SOURCE ? !d->read : !d->process)
        return refuse(lib, err, SL_EABI, "plugin '%s' lacks %s()", d->name,
                      d->kind == SL_KIND_SOURCE ? "read" : "process");
    int rc = take_layout(lib, d, err);
    if (rc != 0)
        return rc;
    lib->desc = d;
    return 0;
}

void slc_plugin_close(slc_plugin_lib *lib) {
    /* Under sanitizers keep the code mapped so that leak reports can name plugin frames. */
#ifndef SLUICE_KEEP_PLUGINS_LOADED
    if (lib->handle)
        dlclose(lib->handle);
#endif
    free(lib->path);
    free(lib->dir);
    free(lib->options);
    memset(lib, 0, sizeof *lib);
}
