/* Pipelines by name, pipelines given on the command line (-e, --stage), and --set overrides
 * of their stages' options. */
#include "cli.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pipeline.h"

static int is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int ends_with(const char *s, const char *tail) {
    size_t n = strlen(s), t = strlen(tail);
    return n > t && strcmp(s + n - t, tail) == 0;
}

int slc_cli_data_dir(const char *source_rel, const char *data_rel, char *out, size_t cap) {
    char self[4096];
    slc_exe_dir(self, sizeof self);
    if (*self && strcmp(self, SLUICE_BUILD_BIN_DIR) == 0) {
        snprintf(out, cap, "%s/%s", SLUICE_SOURCE_DIR, source_rel);
        if (is_dir(out))
            return 0;
    }
    if (*self) {
        snprintf(out, cap, "%s/%s/%s", self, SLUICE_INSTALL_DATA_REL, data_rel);
        if (is_dir(out))
            return 0;
    }
    snprintf(out, cap, "%s/%s", SLUICE_INSTALL_DATA_DIR, data_rel);
    return is_dir(out) ? 0 : -1;
}

int slc_cli_pipeline_path(slc_search_path *sp) {
    memset(sp, 0, sizeof *sp);
    const char *env = getenv("SLUICE_PIPELINE_PATH");
    for (const char *p = env; p && *p;) {
        const char *colon = strchr(p, ':');
        size_t n = colon ? (size_t)(colon - p) : strlen(p);
        char *dir = strndup(p, n);
        if (!dir || slc_search_path_add(sp, dir) != 0) {
            free(dir);
            return SL_ENOMEM;
        }
        free(dir);
        p = colon ? colon + 1 : p + n;
    }
    char dir[4200];
    if (slc_cli_data_dir("pipelines", "pipelines", dir, sizeof dir) == 0)
        return slc_search_path_add(sp, dir);
    return 0;
}

char **slc_cli_dir_names(const char *dir, const char *suffix, int strip, size_t *n) {
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    char **names = NULL;
    size_t cap = 0, slen = strlen(suffix);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!ends_with(e->d_name, suffix))
            continue;
        if (*n == cap) {
            char **grown = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof *names);
            if (!grown)
                break;
            names = grown;
        }
        if (!(names[*n] = strndup(e->d_name, strlen(e->d_name) - (strip ? slen : 0))))
            break;
        (*n)++;
    }
    closedir(d);
    for (size_t i = 1; i < *n; i++) /* insertion sort: a folder holds a handful */
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    return names;
}

void slc_cli_free_names(char **names, size_t n) {
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

char *slc_cli_find_pipeline(const char *ref, slc_buf *err) {
    if (strchr(ref, '/') || ends_with(ref, ".yaml") || ends_with(ref, ".yml") || is_file(ref))
        return strdup(ref);
    slc_search_path sp;
    if (slc_cli_pipeline_path(&sp) != 0) {
        slc_search_path_free(&sp);
        return NULL;
    }
    char path[4400];
    for (size_t i = 0; i < sp.n; i++) {
        snprintf(path, sizeof path, "%s/%s.yaml", sp.dirs[i], ref);
        if (is_file(path)) {
            slc_search_path_free(&sp);
            return strdup(path);
        }
    }
    /* The nearest known name, for "did you mean". */
    const char *near = NULL;
    char **all = NULL;
    size_t nall = 0;
    for (size_t i = 0; i < sp.n; i++) {
        size_t n;
        char **names = slc_cli_dir_names(sp.dirs[i], ".yaml", 1, &n);
        char **grown = realloc(all, (nall + n + 1) * sizeof *all);
        if (!grown) {
            slc_cli_free_names(names, n);
            break;
        }
        all = grown;
        for (size_t k = 0; k < n; k++)
            all[nall++] = names[k];
        free(names);
    }
    if (nall)
        near = slc_nearest(ref, (const char *const *)all, nall);
    slc_buf_printf(err, "no pipeline file or pipeline named '%s'", ref);
    if (near)
        slc_buf_printf(err, " (did you mean '%s'?)", near);
    slc_buf_puts(err, "; searched:");
    for (size_t i = 0; i < sp.n; i++)
        slc_buf_printf(err, " %s", sp.dirs[i]);
    if (!sp.n)
        slc_buf_puts(err, " (no pipeline folders)");
    slc_buf_puts(err, "; 'sluice pipelines' lists them");
    slc_cli_free_names(all, nall);
    slc_search_path_free(&sp);
    return NULL;
}

/* The first comment line of a pipeline file, without '#' and surrounding blanks. */
static void summary_of(const char *path, char *out, size_t cap) {
    *out = '\0';
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        const char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p != '#')
            continue;
        while (*p == '#' || *p == ' ' || *p == '\t')
            p++;
        size_t n = strcspn(p, "\r\n");
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
        snprintf(out, cap, "%.*s", (int)n, p);
        break;
    }
    fclose(f);
}

int slc_cli_list_pipelines(int names_only) {
    slc_search_path sp;
    if (slc_cli_pipeline_path(&sp) != 0) {
        slc_search_path_free(&sp);
        return SLC_EXIT_INTERNAL;
    }
    char **seen = NULL;
    size_t nseen = 0;
    for (size_t i = 0; i < sp.n; i++) {
        size_t n;
        char **names = slc_cli_dir_names(sp.dirs[i], ".yaml", 1, &n);
        for (size_t k = 0; k < n; k++) {
            size_t s = 0;
            while (s < nseen && strcmp(seen[s], names[k]) != 0)
                s++;
            char **grown = s == nseen ? realloc(seen, (nseen + 1) * sizeof *seen) : NULL;
            if (!grown) { /* shadowed by an earlier folder, or out of memory */
                free(names[k]);
                continue;
            }
            seen = grown;
            seen[nseen++] = names[k];
            char path[4400], summary[1024];
            snprintf(path, sizeof path, "%s/%s.yaml", sp.dirs[i], names[k]);
            if (names_only) {
                printf("%s\n", names[k]);
                continue;
            }
            summary_of(path, summary, sizeof summary);
            printf("%-14s %s\n%-14s %s\n", names[k], summary, "", path);
        }
        free(names);
    }
    if (!nseen && !names_only)
        fprintf(stderr, "sluice: no pipelines found (set SLUICE_PIPELINE_PATH)\n");
    slc_cli_free_names(seen, nseen);
    slc_search_path_free(&sp);
    return SLC_EXIT_OK;
}

/* --- pipelines given on the command line ------------------------------------------------ */

/* Where in an argument a piece of it starts, as a place for messages: "line" k is the k-th
 * --stage (or --set) option, the column counts bytes of that argument from 1. */
static slc_mark at(size_t k, const char *arg, const char *p) {
    return (slc_mark){(unsigned long)k, (unsigned long)(p - arg) + 1};
}

/* The end of the option that starts at p: the next ',' outside brackets and quotes (or the
 * end of the text when split is 0). */
static const char *option_end(const char *p, int split) {
    int depth = 0;
    char quote = 0;
    for (; *p; p++) {
        if (quote) {
            quote = *p == quote ? 0 : quote;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (*p == '[') {
            depth++;
        } else if (*p == ']' && depth > 0) {
            depth--;
        } else if (*p == ',' && !depth && split) {
            break;
        }
    }
    return p;
}

static void free_value(slc_value *v) {
    free(v->key);
    free(v->scalar);
    for (size_t t = 0; t < v->nitems; t++)
        free(v->items[t]);
    free(v->items);
    memset(v, 0, sizeof *v);
}

/* A scalar s[0, n): surrounding quotes removed (then it is always a string). */
static char *scalar(const char *s, size_t n, int *quoted) {
    *quoted = n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0];
    return *quoted ? strndup(s + 1, n - 2) : strndup(s, n);
}

/* Parse a value s[0, n) into v: [a, b, ...] is a list, anything else one scalar. */
static int parse_value(slc_value *v, const char *s, size_t n, const char *source, slc_mark where,
                       slc_diag *diag) {
    if (n == 0 || s[0] != '[') {
        v->kind = SLC_VALUE_SCALAR;
        v->scalar = scalar(s, n, &v->quoted);
        return v->scalar ? 0 : -1;
    }
    v->kind = SLC_VALUE_LIST;
    if (s[n - 1] != ']') {
        slc_diag_error(diag, source, where, 0, NULL, "option '%s': the list has no closing ']'",
                       v->key);
        return 1;
    }
    const char *p = s + 1, *end = s + n - 1;
    v->items = calloc(n, sizeof *v->items); /* never more items than bytes */
    if (!v->items)
        return -1;
    while (p < end) {
        while (p < end && *p == ' ')
            p++;
        const char *e = option_end(p, 1);
        if (e > end)
            e = end;
        size_t len = (size_t)(e - p);
        while (len && p[len - 1] == ' ')
            len--;
        int quoted;
        if (len || e < end) {
            if (!(v->items[v->nitems++] = scalar(p, len, &quoted)))
                return -1;
        }
        p = e < end ? e + 1 : end;
    }
    return 0;
}

/* Parse "key=value" at s[0, n) (a piece of argument arg) into v. 0, 1 after reporting a
 * mistake, -1 when out of memory. */
static int parse_assignment(slc_value *v, const char *arg, const char *s, size_t n,
                            const char *source, size_t k, slc_diag *diag) {
    const char *eq = memchr(s, '=', n);
    size_t klen = eq ? (size_t)(eq - s) : n;
    if (!eq || klen == 0) {
        slc_diag_error(diag, source, at(k, arg, s), 0, NULL, "'%.*s' is not an option=value pair",
                       (int)n, s);
        return 1;
    }
    if (!(v->key = strndup(s, klen)))
        return -1;
    v->key_mark = at(k, arg, s);
    v->mark = at(k, arg, eq + 1);
    v->source = source;
    return parse_value(v, eq + 1, n - klen - 1, source, v->mark, diag);
}

/* One --stage argument, PLUGIN[:opt=val,...], as stage number k. */
static int parse_stage_arg(slc_stage_spec *st, const char *arg, size_t k, slc_diag *diag) {
    const char *colon = strchr(arg, ':');
    size_t plen = colon ? (size_t)(colon - arg) : strlen(arg);
    st->mark = st->plugin_mark = at(k, arg, arg);
    if (plen == 0) {
        slc_diag_error(diag, "--stage", st->mark, (int)k, NULL,
                       "no plugin: expected PLUGIN[:option=value,...]");
        return 1;
    }
    if (!(st->plugin = strndup(arg, plen)))
        return -1;
    if (!colon)
        return 0;
    size_t max = strlen(colon) + 1;
    if (!(st->opts = calloc(max, sizeof *st->opts)))
        return -1;
    int bad = 0;
    for (const char *p = colon + 1; *p;) {
        const char *e = option_end(p, 1);
        slc_value *v = &st->opts[st->nopts];
        int rc = parse_assignment(v, arg, p, (size_t)(e - p), "--stage", k, diag);
        p = *e ? e + 1 : e;
        if (rc != 0) {
            free_value(v); /* left out, so that the rest is still checked */
            if (rc < 0)
                return -1;
            bad = 1;
            continue;
        }
        st->nopts++;
        v->source = NULL; /* the spec's own path is "--stage" already */
        for (size_t j = 0; j + 1 < st->nopts; j++)
            if (strcmp(st->opts[j].key, v->key) == 0) {
                slc_diag_error(diag, "--stage", v->key_mark, (int)k, st->plugin,
                               "option '%s' is given twice", v->key);
                bad = 1;
            }
    }
    return bad;
}

static int spec_from_stages(slc_pipeline_spec *spec, const slc_cli_pipeline *cp, slc_diag *diag) {
    memset(spec, 0, sizeof *spec);
    spec->path = strdup("--stage");
    spec->dir = strdup(".");
    spec->stages = calloc(cp->nstages, sizeof *spec->stages);
    if (!spec->path || !spec->dir || !spec->stages)
        return -1;
    int bad = 0;
    for (size_t i = 0; i < cp->nstages; i++) {
        spec->nstages++;
        int rc = parse_stage_arg(&spec->stages[i], cp->stages[i], i + 1, diag);
        if (rc < 0)
            return -1;
        bad |= rc;
    }
    return bad;
}

/* The stage a --set target names: a 1-based number, or a plugin named by exactly one stage
 * (by name, or by the file name of a path). -1 after reporting the problem. */
static long find_stage(const slc_pipeline_spec *spec, const char *t, size_t tlen, slc_mark m,
                       slc_diag *diag) {
    if (tlen && strspn(t, "0123456789") >= tlen) {
        long n = strtol(t, NULL, 10);
        if (n >= 1 && (size_t)n <= spec->nstages)
            return n - 1;
        slc_diag_error(diag, "--set", m, 0, NULL, "no stage %.*s: the pipeline has %zu stage%s",
                       (int)tlen, t, spec->nstages, spec->nstages == 1 ? "" : "s");
        return -1;
    }
    long found = -1;
    size_t count = 0;
    for (size_t i = 0; i < spec->nstages; i++) {
        const char *ref = spec->stages[i].plugin;
        if (!ref)
            continue;
        const char *base = strrchr(ref, '/') ? strrchr(ref, '/') + 1 : ref;
        size_t blen = ends_with(base, ".so") ? strlen(base) - 3 : strlen(base);
        if (blen == tlen && strncmp(base, t, tlen) == 0) {
            found = (long)i;
            count++;
        }
    }
    if (count == 1)
        return found;
    if (count > 1)
        slc_diag_error(diag, "--set", m, 0, NULL,
                       "%zu stages use plugin '%.*s': name the stage by its number", count,
                       (int)tlen, t);
    else
        slc_diag_error(diag, "--set", m, 0, NULL,
                       "no stage uses plugin '%.*s' (give a stage number or a plugin name)",
                       (int)tlen, t);
    return -1;
}

/* Apply "N.option=value" (argument k of --set) to the spec: it replaces the option's value
 * in the file, or adds the option. */
static int apply_set(slc_pipeline_spec *spec, const char *arg, size_t k, slc_diag *diag) {
    const char *dot = strchr(arg, '.');
    const char *eq = strchr(arg, '=');
    if (!dot || !eq || dot > eq || dot == arg) {
        slc_diag_error(diag, "--set", at(k, arg, arg), 0, NULL,
                       "'%s' is not STAGE.option=value (STAGE: a stage number or a plugin name)",
                       arg);
        return 1;
    }
    long i = find_stage(spec, arg, (size_t)(dot - arg), at(k, arg, arg), diag);
    if (i < 0)
        return 1;
    slc_value v = {0};
    int rc = parse_assignment(&v, arg, dot + 1, strlen(dot + 1), "--set", k, diag);
    if (rc != 0) {
        free_value(&v);
        return rc;
    }
    slc_stage_spec *st = &spec->stages[i];
    size_t j = 0;
    while (j < st->nopts && strcmp(st->opts[j].key, v.key) != 0)
        j++;
    if (j == st->nopts) {
        slc_value *grown = realloc(st->opts, (st->nopts + 1) * sizeof *grown);
        if (!grown) {
            free_value(&v);
            return -1;
        }
        st->opts = grown;
        st->nopts++;
    } else {
        free_value(&st->opts[j]); /* a later --set of the same option wins too */
    }
    st->opts[j] = v;
    return 0;
}

int slc_cli_load_pipeline(slc_pipeline *p, const slc_cli_pipeline *cp, char **args, size_t nargs,
                          size_t *used, char *const *plugin_dirs, size_t ndirs, slc_buf *usage,
                          slc_diag *diag) {
    memset(p, 0, sizeof *p);
    *used = 0;
    slc_pipeline_spec spec = {0};
    int rc;
    if (cp->expr && cp->nstages) {
        slc_buf_puts(usage, "give the pipeline with -e or with --stage options, not both");
        return SLC_EXIT_USAGE;
    }
    if (cp->expr) {
        rc = slc_pipeline_parse_string("<-e>", ".", cp->expr, strlen(cp->expr), &spec, diag);
    } else if (cp->nstages) {
        rc = spec_from_stages(&spec, cp, diag);
    } else {
        if (nargs < 1) {
            slc_buf_puts(usage, "which pipeline? give a file or a name, or -e or --stage");
            return SLC_EXIT_USAGE;
        }
        *used = 1;
        slc_buf err = {0};
        char *path = slc_cli_find_pipeline(args[0], &err);
        if (!path) {
            int status = err.p ? SLC_EXIT_PIPELINE : SLC_EXIT_INTERNAL;
            if (err.p) {
                slc_buf_printf(&diag->text, "%s\n", err.p);
                diag->errors++;
            }
            slc_buf_free(&err);
            return status;
        }
        rc = slc_pipeline_parse_file(path, &spec, diag);
        free(path);
    }
    /* Mistakes in --stage and --set arguments are reported with the rest: the plugins are
     * still loaded and every option that could be read is checked. */
    int parsed = cp->nstages ? rc >= 0 : rc == 0;
    for (size_t k = 0; parsed && k < cp->nsets; k++)
        parsed = apply_set(&spec, cp->sets[k], k + 1, diag) >= 0;
    if (!parsed) {
        slc_pipeline_spec_free(&spec);
        return SLC_EXIT_PIPELINE;
    }
    return slc_pipeline_load_spec(p, &spec, plugin_dirs, ndirs, diag) == 0 && !diag->errors
               ? SLC_EXIT_OK
               : SLC_EXIT_PIPELINE;
}
