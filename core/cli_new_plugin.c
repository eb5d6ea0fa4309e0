/* `sluice new-plugin NAME [DIR]`: a plugin project written from the installed templates. */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TEMPLATE_SOURCE "core/templates/plugin"
#define TEMPLATE_DATA "templates/plugin"

typedef struct words {
    const char *name;     /* @NAME@: the plugin name, as pipelines write it */
    char ident[64];       /* @IDENT@: the name as a C identifier */
    const char *version;  /* @SLUICE_VERSION@: the SDK version to ask find_package for */
    char cmake_dir[4200]; /* @SLUICE_CMAKE_DIR@: this sluice's installed CMake package, or "" */
} words;

static int valid_name(const char *s) {
    if (!(*s >= 'a' && *s <= 'z') || strlen(s) > 48)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
            return 0;
    return 1;
}

/* Append text with the @WORD@ placeholders replaced. */
static void substitute(slc_buf *out, const char *text, size_t len, const words *w) {
    static const char *const keys[] = {"@NAME@", "@IDENT@", "@SLUICE_VERSION@",
                                       "@SLUICE_CMAKE_DIR@"};
    const char *values[] = {w->name, w->ident, w->version, w->cmake_dir};
    for (size_t i = 0; i < len;) {
        size_t k = 0;
        while (k < 4 && (len - i < strlen(keys[k]) || memcmp(text + i, keys[k], strlen(keys[k]))))
            k++;
        if (k < 4) {
            slc_buf_puts(out, values[k]);
            i += strlen(keys[k]);
        } else {
            slc_buf_putc(out, text[i++]);
        }
    }
}

static int read_file(const char *path, slc_buf *out) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        slc_buf_append(out, chunk, n);
    int bad = ferror(f);
    fclose(f);
    return bad ? -1 : 0;
}

/* Copy the template folder from into the new folder to, names and contents substituted and a
 * trailing ".in" dropped from file names. 0, or -1 after saying why. */
static int copy_tree(const char *from, const char *to, const words *w) {
    if (mkdir(to, 0777) != 0) {
        fprintf(stderr, "sluice: %s: cannot create the folder: %s\n", to, strerror(errno));
        return -1;
    }
    DIR *d = opendir(from);
    if (!d) {
        fprintf(stderr, "sluice: %s: cannot read the templates: %s\n", from, strerror(errno));
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    slc_buf src = {0}, dst = {0}, name = {0}, text = {0}, out = {0};
    while (rc == 0 && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        slc_buf_clear(&src);
        slc_buf_clear(&dst);
        slc_buf_clear(&name);
        slc_buf_printf(&src, "%s/%s", from, e->d_name);
        substitute(&name, e->d_name, strlen(e->d_name), w);
        if (name.len > 3 && strcmp(name.p + name.len - 3, ".in") == 0)
            name.p[name.len -= 3] = '\0';
        slc_buf_printf(&dst, "%s/%s", to, name.p);
        struct stat st;
        if (stat(src.p, &st) == 0 && S_ISDIR(st.st_mode)) {
            rc = copy_tree(src.p, dst.p, w);
            continue;
        }
        slc_buf_clear(&text);
        slc_buf_clear(&out);
        if (read_file(src.p, &text) != 0) {
            fprintf(stderr, "sluice: %s: cannot read the template: %s\n", src.p, strerror(errno));
            rc = -1;
            break;
        }
        substitute(&out, text.p ? text.p : "", text.len, w);
        FILE *f = fopen(dst.p, "wx"); /* never over a file that is there */
        int ok = f && fwrite(out.p ? out.p : "", 1, out.len, f) == out.len;
        if (f && fclose(f) != 0)
            ok = 0;
        if (!ok) {
            fprintf(stderr, "sluice: %s: cannot write: %s\n", dst.p, strerror(errno));
            rc = -1;
        }
    }
    closedir(d);
    slc_buf_free(&src);
    slc_buf_free(&dst);
    slc_buf_free(&name);
    slc_buf_free(&text);
    slc_buf_free(&out);
    return rc;
}

int slc_cli_new_plugin(const char *name, const char *dir) {
    if (!valid_name(name)) {
        fprintf(stderr,
                "sluice: '%s' cannot name a plugin: use lower-case letters, digits, '_' and '-', "
                "starting with a letter (at most 48)\n",
                name);
        return SLC_EXIT_USAGE;
    }
    char templates[4200];
    if (slc_cli_data_dir(TEMPLATE_SOURCE, TEMPLATE_DATA, templates, sizeof templates) != 0) {
        fprintf(stderr, "sluice: no plugin templates at %s: is sluice installed whole?\n",
                templates);
        return SLC_EXIT_IO;
    }
    words w = {.name = name, .version = SLUICE_VERSION};
    for (size_t i = 0; name[i]; i++)
        w.ident[i] = name[i] == '-' ? '_' : name[i];
    /* An installed sluice points the project at its own SDK, so that it builds as it is. */
    char self[4096];
    slc_exe_dir(self, sizeof self);
    snprintf(w.cmake_dir, sizeof w.cmake_dir, "%s/%s", self, SLUICE_INSTALL_CMAKE_REL);
    struct stat st;
    if (!*self || stat(w.cmake_dir, &st) != 0 || !S_ISDIR(st.st_mode))
        w.cmake_dir[0] = '\0';
    const char *to = dir ? dir : name;
    if (stat(to, &st) == 0) {
        fprintf(stderr, "sluice: %s already exists: give a new folder\n", to);
        return SLC_EXIT_IO;
    }
    if (copy_tree(templates, to, &w) != 0)
        return SLC_EXIT_IO;
    printf("%s: plugin project '%s' written; build and test it with\n"
           "  cd %s && cmake -B build && cmake --build build && ctest --test-dir build\n",
           to, name, to);
    return SLC_EXIT_OK;
}
