/* The sluice command: run, check, plugins, help. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "loader.h"
#include "guard.h"
#include "interrupt.h"
#include "log.h"
#include "runner.h"

#define MAX_PLUGIN_DIRS 64

static const char usage_main[] =
    "Usage: sluice COMMAND [OPTIONS] [ARGS]\n"
    "\n"
    "Stream documents through a pipeline of plugins.\n"
    "\n"
    "Commands:\n"
    "  run PIPELINE [FILE ...]   run a pipeline on files (or standard input); PIPELINE is a\n"
    "                            file or the name of an installed pipeline\n"
    "  check PIPELINE            validate a pipeline without running it\n"
    "  pipelines                 list the installed pipelines\n"
    "  plugins [NAME|PATH]       list plugins, or show one plugin's options\n"
    "  new-plugin NAME [DIR]     write a plugin project to start from\n"
    "  help [COMMAND]            show help for a command\n"
    "\n"
    "Options:\n"
    "  -h, --help       show this help\n"
    "  -V, --version    show the version and plugin ABI\n"
    "\n"
    "Exit status: 0 ok, 1 internal error, 2 usage error, 3 pipeline error,\n"
    "4 documents failed, 5 input/output error, 6 a plugin crashed. See 'man sluice'.\n";

static const char usage_run[] =
    "Usage: sluice run PIPELINE [OPTIONS] [FILE ...]\n"
    "       sluice run -e YAML | --stage PLUGIN[:OPTION=VALUE,...] ... [OPTIONS] [FILE ...]\n"
    "\n"
    "Read documents from the FILEs (standard input when none, or for '-'), send each through\n"
    "the pipeline's stages in order, and write what the sinks produce. A pipeline whose last\n"
    "stage is not a sink writes JSON Lines to standard output. PIPELINE is a file, or the\n"
    "name of a pipeline that 'sluice pipelines' lists.\n"
    "\n"
    "Options:\n"
    "  -e YAML                the pipeline itself, instead of a file: -e 'stages: [{plugin:\n"
    "                         sentences}]'; then every argument is an input file\n"
    "  --stage PLUGIN[:OPTION=VALUE,...]\n"
    "                         a stage, instead of a file (repeatable, in order); a list value\n"
    "                         is [a,b]; quote a value that holds a comma\n"
    "  --set STAGE.OPTION=VALUE\n"
    "                         set an option of a stage (its number from 1, or its plugin's\n"
    "                         name), replacing the pipeline's value (repeatable)\n"
    "  --input-format FORMAT  jsonl (default), text (a file is one document), lines (a line\n"
    "                         is one document) or html (a file is one HTML page)\n"
    "  --on-error POLICY      skip (default): report a failed document and go on;\n"
    "                         fail: stop at the first failed document\n"
    "  --dead-letter FILE     write each failed input record there, untouched, after a\n"
    "                         '# input:line: reason' comment line\n"
    "  --max-doc-size SIZE    refuse records larger than SIZE bytes (K, M, G suffixes;\n"
    "                         default 256M)\n"
    "  --plugin-path DIR      look for plugins in DIR first (repeatable)\n"
    "  -j, --jobs N           N worker threads for the stages (default: one per processor;\n"
    "                         1 when a stage cannot run in several instances); sinks see\n"
    "                         the documents in input order\n"
    "  --unordered            with workers, sinks see documents as they finish\n"
    "  --unbuffered           write each document out at once (as on a terminal); output\n"
    "                         also goes out whenever the input pauses\n"
    "  --progress             the progress line on stderr even when it is not a terminal\n"
    "  --stats                per stage at the end: documents, time, share, MB/s, failed\n"
    "  -q, --quiet            no summary line, and only errors from plugins\n"
    "  -v, --verbose          plugins' info messages too (-vv: and debug)\n"
    "  --log-level LEVEL      show plugin messages up to LEVEL: error, warning (default),\n"
    "                         info or debug\n"
    "\n"
    "Plugin messages on standard error name their stage: 'sluice: stage N (plugin NAME):\n"
    "LEVEL: message'. At the end, standard error gets one line: documents read, written, failed.\n"
    "Exit status: 0 ok, 2 usage, 3 pipeline error, 4 documents failed, 5 I/O error,\n"
    "6 a plugin crashed (the crash is reported with its stage and input line, the\n"
    "document counts as failed, the output so far is flushed, and the run stops),\n"
    "128+N stopped by signal N: SIGINT, SIGTERM or SIGHUP stop the run after the current\n"
    "document, with the output flushed; a second one stops it at once.\n";

static const char usage_check[] =
    "Usage: sluice check PIPELINE [--plugin-path DIR] [--set STAGE.OPTION=VALUE ...] [-q|--quiet]\n"
    "       sluice check -e YAML | --stage PLUGIN[:OPTION=VALUE,...] ... [OPTIONS]\n"
    "\n"
    "Validate a pipeline (a file, a name, -e or --stage, as for run): YAML syntax, plugin\n"
    "names, option names, types and required options, and the values each plugin checks\n"
    "itself (ranges, formats). Nothing is created and no input is read. Errors are reported\n"
    "as 'sluice: FILE:LINE:COL: stage N (plugin NAME): message', where FILE is <-e>, --stage\n"
    "or --set for what the command line gave (LINE: which --stage or --set; COL: the place\n"
    "in its argument).\n"
    "Exit status: 0 when the pipeline is good, 3 when it is not.\n";

static const char usage_plugins[] =
    "Usage: sluice plugins [NAME|PATH] [--plugin-path DIR] [--json | --names]\n"
    "\n"
    "Without an argument, list the plugins found on the plugin path (name, version, kind,\n"
    "summary, file). With a plugin name or a path to a .so file, show its options with their\n"
    "types, defaults and help. --json: the same as one JSON array, options included, for\n"
    "tools; --names: only the names, one a line.\n"
    "\n"
    "The plugin path: --plugin-path folders, then $SLUICE_PLUGIN_PATH (colon-separated),\n"
    "then the build tree's plugins when sluice runs from its build tree, then the installed\n"
    "plugin folder.\n";

static const char usage_pipelines[] =
    "Usage: sluice pipelines [--names]\n"
    "\n"
    "List the pipelines that 'sluice run NAME' finds: name, the first comment line of the\n"
    "file, and the file. They are looked up as NAME.yaml in each folder of\n"
    "$SLUICE_PIPELINE_PATH (colon-separated), then in the source tree's pipelines/ when sluice\n"
    "runs from its build tree, then in the installed share/sluice/pipelines; the first of\n"
    "each name wins. --names: only the names, one a line.\n";

static const char usage_new_plugin[] =
    "Usage: sluice new-plugin NAME [DIR]\n"
    "\n"
    "Write a plugin project in DIR (default: ./NAME), which must not exist yet: C source with\n"
    "a working example stage, a CMakeLists.txt that finds the installed sluice SDK, a test,\n"
    "an example pipeline and a README. It builds and passes its test as it is:\n"
    "  cmake -B build && cmake --build build && ctest --test-dir build\n"
    "NAME: lower-case letters, digits, '_' and '-', starting with a letter.\n";

typedef struct cli {
    char *plugin_dirs[MAX_PLUGIN_DIRS];
    size_t ndirs;
    char **args;
    size_t nargs;
    slc_run_options run;
    int quiet;
    int verbose;
    int progress;
    const char *cmd;
    slc_cli_pipeline source; /* -e, --stage, --set */
    int json, names;         /* plugins --json, --names */
} cli;

static int usage_error(const char *fmt, const char *arg) {
    fprintf(stderr, "sluice: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nsluice: try 'sluice --help' or 'man sluice'\n");
    return SLC_EXIT_USAGE;
}

static int is_cmd(const cli *c, const char *name) {
    return c->cmd && strcmp(c->cmd, name) == 0;
}

static int parse_size(const char *s, size_t *out) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *s == '-')
        return -1;
    unsigned long long mul = 1;
    if (*end == 'K' || *end == 'k')
        mul = 1ull << 10, end++;
    else if (*end == 'M' || *end == 'm')
        mul = 1ull << 20, end++;
    else if (*end == 'G' || *end == 'g')
        mul = 1ull << 30, end++;
    if (*end || v == 0 || v > (unsigned long long)-1 / mul)
        return -1;
    *out = (size_t)(v * mul);
    return 0;
}

/* Parse options and positional arguments of a command; options may come anywhere. */
static int parse_args(cli *c, int argc, char **argv, int allow_run_options) {
    c->args = calloc((size_t)argc + 1, sizeof *c->args);
    c->source.stages = calloc((size_t)argc + 1, sizeof *c->source.stages);
    c->source.sets = calloc((size_t)argc + 1, sizeof *c->source.sets);
    if (!c->args || !c->source.stages || !c->source.sets)
        return SLC_EXIT_INTERNAL;
    int pipeline_options = is_cmd(c, "run") || is_cmd(c, "check");
    int only_args = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (only_args || a[0] != '-' || strcmp(a, "-") == 0) {
            c->args[c->nargs++] = argv[i];
        } else if (strcmp(a, "--") == 0) {
            only_args = 1;
        } else if (strcmp(a, "--plugin-path") == 0) {
            if (!val)
                return usage_error("%s needs a folder", a);
            if (c->ndirs == MAX_PLUGIN_DIRS)
                return usage_error("too many %s options", a);
            c->plugin_dirs[c->ndirs++] = argv[++i];
        } else if (allow_run_options && strcmp(a, "--input-format") == 0) {
            if (!val || (c->run.format = slc_input_format_parse(val)) < 0)
                return usage_error("--input-format takes jsonl, text, lines or html, not '%s'",
                                   val ? val : "");
            i++;
        } else if (allow_run_options && strcmp(a, "--on-error") == 0) {
            if (!val || (strcmp(val, "fail") != 0 && strcmp(val, "skip") != 0))
                return usage_error("--on-error takes fail or skip, not '%s'", val ? val : "");
            c->run.fail_fast = strcmp(val, "fail") == 0;
            i++;
        } else if (allow_run_options && strcmp(a, "--dead-letter") == 0) {
            if (!val)
                return usage_error("%s needs a file", a);
            c->run.dead_letter = argv[++i];
        } else if (allow_run_options && strcmp(a, "--max-doc-size") == 0) {
            if (!val || parse_size(val, &c->run.max_doc) != 0)
                return usage_error("--max-doc-size takes a size such as 64M, not '%s'",
                                   val ? val : "");
            i++;
        } else if (allow_run_options && (strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0 ||
                                         (strncmp(a, "-j", 2) == 0 && a[2]))) {
            const char *num = a[2] && a[1] == 'j' ? a + 2 : val; /* -j4 or -j 4 */
            char *end;
            long n = num ? strtol(num, &end, 10) : 0;
            if (!num || *end || n < 1 || n > 256)
                return usage_error("-j takes a number of workers from 1 to 256, not '%s'",
                                   num ? num : "");
            c->run.jobs = (size_t)n;
            i += num == val;
        } else if (allow_run_options && strcmp(a, "--unordered") == 0) {
            c->run.unordered = 1;
        } else if (allow_run_options && strcmp(a, "--unbuffered") == 0) {
            c->run.unbuffered = 1;
        } else if (allow_run_options && strcmp(a, "--stats") == 0) {
            c->run.stats = 1;
        } else if (allow_run_options && strcmp(a, "--progress") == 0) {
            c->progress = 1;
        } else if (pipeline_options && strcmp(a, "-e") == 0) {
            if (!val)
                return usage_error("%s needs a pipeline in YAML: -e 'stages: [...]'", a);
            if (c->source.expr)
                return usage_error("%s", "-e is given twice");
            c->source.expr = argv[++i];
        } else if (pipeline_options && strcmp(a, "--stage") == 0) {
            if (!val)
                return usage_error("%s needs PLUGIN[:option=value,...]", a);
            c->source.stages[c->source.nstages++] = argv[++i];
        } else if (pipeline_options && strcmp(a, "--set") == 0) {
            if (!val)
                return usage_error("%s needs STAGE.option=value", a);
            c->source.sets[c->source.nsets++] = argv[++i];
        } else if (is_cmd(c, "plugins") && strcmp(a, "--json") == 0) {
            c->json = 1;
        } else if ((is_cmd(c, "plugins") || is_cmd(c, "pipelines")) && strcmp(a, "--names") == 0) {
            c->names = 1;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            c->quiet = 1;
            slc_log_set_level(SL_LOG_ERROR);
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0 || strcmp(a, "-vv") == 0) {
            c->verbose += strcmp(a, "-vv") == 0 ? 2 : 1;
            slc_log_set_level(c->verbose > 1 ? SL_LOG_DEBUG : SL_LOG_INFO);
        } else if (strcmp(a, "--log-level") == 0) {
            int level = val ? slc_log_level_parse(val) : -1;
            if (level < 0)
                return usage_error("--log-level takes error, warning, info or debug, not '%s'",
                                   val ? val : "");
            slc_log_set_level(level);
            i++;
        } else {
            return usage_error("unknown option '%s'", a);
        }
    }
    return 0;
}

/* Stages that read a layer no earlier stage writes: a likely mistake in the order. */
static void print_layer_warnings(const slc_pipeline *p) {
    if (!slc_log_enabled(SL_LOG_WARN))
        return;
    slc_diag warnings = {0};
    if (slc_pipeline_layer_warnings(p, &warnings) && warnings.text.p)
        slc_diag_print(&warnings, stderr);
    slc_diag_free(&warnings);
}

static void print_errors(const slc_diag *diag) {
    if (diag->text.p)
        slc_diag_print(diag, stderr);
    else
        fputs("sluice: cannot load the pipeline\n", stderr);
}

/* Load the pipeline the arguments give (a file, a name, -e or --stage, with --set), saying
 * what is wrong; *used gets how many arguments named it. An slc_exit status. */
static int load_pipeline(cli *c, slc_pipeline *p, slc_diag *diag, size_t *used) {
    slc_buf usage = {0};
    int status = slc_cli_load_pipeline(p, &c->source, c->args, c->nargs, used, c->plugin_dirs,
                                       c->ndirs, &usage, diag);
    if (status == SLC_EXIT_USAGE)
        usage_error("%s", usage.p ? usage.p : "bad pipeline options");
    else if (status != SLC_EXIT_OK)
        print_errors(diag);
    slc_buf_free(&usage);
    return status;
}

static int cmd_run(cli *c) {
    slc_diag diag = {0};
    slc_pipeline p;
    int status = SLC_EXIT_OK;
    size_t used = 0;
    if (slc_guard_install() != 0)
        fputs("sluice: warning: cannot catch plugin crashes on this system\n", stderr);
    if (slc_interrupt_install() != 0)
        fputs("sluice: warning: cannot stop cleanly on SIGINT or SIGTERM on this system\n", stderr);
    if ((status = load_pipeline(c, &p, &diag, &used)) != SLC_EXIT_OK) {
        /* reported */
    } else if (slc_pipeline_create(&p, &diag) != 0) {
        print_errors(&diag);
        status = SLC_EXIT_PIPELINE;
    } else {
        print_layer_warnings(&p);
        c->run.inputs = c->args + used;
        c->run.ninputs = c->nargs - used;
        int has_source = p.nstages && p.stages[0].lib->desc->kind == SL_KIND_SOURCE;
        if (has_source && c->run.ninputs) {
            status =
                usage_error("%s", "this pipeline starts with a source plugin: give no input files");
        } else {
            slc_run_stats st;
            /* on a terminal unless quiet; --progress asks for it anywhere */
            c->run.progress = c->progress || (!c->quiet && isatty(STDERR_FILENO));
            status = slc_pipeline_run(&p, &c->run, &st);
            if (!st.broken_pipe && !c->quiet) {
                fprintf(stderr, "sluice: %zu document%s read, %zu written, %zu failed", st.read,
                        st.read == 1 ? "" : "s", st.written, st.failed);
                if (st.repaired)
                    fprintf(stderr, " (%zu invalid UTF-8 sequences replaced)", st.repaired);
                if (st.output_failed)
                    fputs("; output is incomplete: a sink could not write", stderr);
                if (st.crashed)
                    fputs("; stopped early: a plugin crashed", stderr);
                else if (st.interrupted)
                    fprintf(stderr, "; stopped early: %s", slc_interrupt_name(st.interrupted));
                fputc('\n', stderr);
            }
        }
    }
    slc_pipeline_free(&p);
    slc_diag_free(&diag);
    return status;
}

static int cmd_check(cli *c) {
    slc_diag diag = {0};
    slc_pipeline p;
    size_t used = 0;
    int status = load_pipeline(c, &p, &diag, &used);
    if (status == SLC_EXIT_OK && c->nargs != used) {
        status = usage_error("%s", "check takes one pipeline (a file or a name, or -e or "
                                   "--stage), and no input files");
    } else if (status == SLC_EXIT_OK && (slc_pipeline_check(&p, &diag) != 0 || diag.errors)) {
        print_errors(&diag);
        status = SLC_EXIT_PIPELINE;
    } else if (status == SLC_EXIT_OK) {
        print_layer_warnings(&p);
        printf("%s: ok (%zu stages:", used ? c->args[0] : p.spec.path, p.nstages);
        for (size_t i = 0; i < p.nstages; i++)
            printf(" %s", p.stages[i].lib->desc->name);
        printf(")\n");
    }
    slc_pipeline_free(&p);
    slc_diag_free(&diag);
    return status;
}

static void print_plugin_line(const slc_plugin_lib *lib, void *names_only) {
    const sl_plugin *d = lib->desc;
    if (*(int *)names_only) {
        printf("%s\n", d->name);
        return;
    }
    printf("%-14s %-8s %-6s %s\n", d->name, d->version ? d->version : "?", slc_kind_name(d->kind),
           d->summary ? d->summary : "");
    printf("%-14s %s\n", "", lib->path);
}

static void print_plugin_options(const slc_plugin_lib *lib) {
    const sl_plugin *d = lib->desc;
    printf("%s %s (%s)\n%s\nfile: %s\n", d->name, d->version ? d->version : "?",
           slc_kind_name(d->kind), d->summary ? d->summary : "", lib->path);
    if (lib->reads)
        printf("reads: %s\n", lib->reads);
    if (lib->writes)
        printf("writes: %s\n", lib->writes);
    if (lib->flags)
        printf("flags:%s%s\n", lib->flags & SL_PLUGIN_PARALLEL ? " parallel" : "",
               lib->flags & SL_PLUGIN_ORDERED ? " ordered" : "");
    printf("\n");
    if (!lib->options || !lib->options[0].name) {
        printf("No options.\n");
        return;
    }
    printf("Options:\n");
    for (const sl_option *o = lib->options; o->name; o++) {
        printf("  %s (%s", o->name, slc_option_type_name(o->type));
        if (o->type == SL_OPT_ENUM && o->choices)
            printf(": %s", o->choices);
        if (o->flags & SL_OPTF_MIN)
            printf(", at least %g", o->min);
        if (o->flags & SL_OPTF_MAX)
            printf(", at most %g", o->max);
        if (o->flags & SL_OPTF_LAYER)
            printf(", a layer name");
        if (o->required)
            printf(", required");
        else if (o->default_value)
            printf(", default: %s", o->default_value);
        printf(")\n      %s\n", o->help ? o->help : "");
    }
}

static int cmd_plugins(cli *c) {
    slc_search_path sp;
    if (slc_search_path_init(&sp, c->plugin_dirs, c->ndirs) != 0)
        return SLC_EXIT_INTERNAL;
    int status = SLC_EXIT_OK;
    slc_buf err = {0};
    if (c->nargs == 1) {
        char *path = slc_plugin_resolve(&sp, c->args[0], ".", &err);
        slc_plugin_lib lib;
        if (!path || slc_plugin_open(path, &lib, &err) != 0) {
            fprintf(stderr, "sluice: %s\n", err.p);
            status = SLC_EXIT_PIPELINE;
        } else {
            if (c->json)
                status = slc_cli_plugins_json(NULL, &lib);
            else
                print_plugin_options(&lib);
            slc_plugin_close(&lib);
        }
        free(path);
    } else if (c->nargs > 1) {
        status = usage_error("%s", "plugins takes at most one plugin name");
    } else if (c->json) {
        status = slc_cli_plugins_json(&sp, NULL);
    } else if (!slc_cli_each_plugin(&sp, print_plugin_line, &c->names) && !c->names) {
        fprintf(stderr, "sluice: no plugins found\n");
    }
    slc_buf_free(&err);
    slc_search_path_free(&sp);
    return status;
}

static int cmd_help(int argc, char **argv) {
    const char *topic = argc > 0 ? argv[0] : NULL;
    if (!topic) {
        fputs(usage_main, stdout);
    } else if (strcmp(topic, "run") == 0) {
        fputs(usage_run, stdout);
    } else if (strcmp(topic, "check") == 0) {
        fputs(usage_check, stdout);
    } else if (strcmp(topic, "plugins") == 0) {
        fputs(usage_plugins, stdout);
    } else if (strcmp(topic, "pipelines") == 0) {
        fputs(usage_pipelines, stdout);
    } else if (strcmp(topic, "new-plugin") == 0) {
        fputs(usage_new_plugin, stdout);
    } else {
        return usage_error("no help for '%s'; commands: run, check, pipelines, plugins, "
                           "new-plugin",
                           topic);
    }
    return SLC_EXIT_OK;
}

static int wants_help(int argc, char **argv) {
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return 0;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return 1;
    }
    return 0;
}

int main(int argc, char **argv) {
    /* A closed pipe is reported as EPIPE by write(), so that we can stop quietly. */
    signal(SIGPIPE, SIG_IGN);
    if (argc < 2)
        return usage_error("%s", "which command? run, check, pipelines, plugins, new-plugin, help");
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0)
        return cmd_help(0, NULL);
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
        printf("sluice %s (plugin ABI %d.%d)\n", SLUICE_VERSION, SL_ABI_MAJOR, SL_ABI_MINOR);
        return SLC_EXIT_OK;
    }
    if (strcmp(cmd, "help") == 0)
        return cmd_help(argc - 2, argv + 2);
    static const char *const commands[] = {"run", "check", "pipelines", "plugins", "new-plugin"};
    size_t known = 0;
    while (known < 5 && strcmp(cmd, commands[known]) != 0)
        known++;
    if (known == 5)
        return usage_error("unknown command '%s'; commands: run, check, pipelines, plugins, "
                           "new-plugin, help",
                           cmd);
    if (wants_help(argc - 2, argv + 2))
        return cmd_help(1, argv + 1);
    cli c;
    memset(&c, 0, sizeof c);
    c.cmd = cmd;
    c.run.format = -1;
    c.run.max_doc = (size_t)256 << 20;
    int status = parse_args(&c, argc - 2, argv + 2, strcmp(cmd, "run") == 0);
    if (status == 0) {
        if (strcmp(cmd, "run") == 0)
            status = cmd_run(&c);
        else if (strcmp(cmd, "check") == 0)
            status = cmd_check(&c);
        else if (strcmp(cmd, "pipelines") == 0)
            status = c.nargs ? usage_error("%s", "pipelines takes no arguments")
                             : slc_cli_list_pipelines(c.names);
        else if (strcmp(cmd, "new-plugin") == 0)
            status = c.nargs < 1 || c.nargs > 2
                         ? usage_error("%s", "new-plugin needs a NAME, and perhaps a DIR")
                         : slc_cli_new_plugin(c.args[0], c.nargs > 1 ? c.args[1] : NULL);
        else
            status = cmd_plugins(&c);
    }
    free(c.args);
    free(c.source.stages);
    free(c.source.sets);
    if (fflush(stdout) != 0 && errno != EPIPE) {
        fprintf(stderr, "sluice: cannot write standard output: %s\n", strerror(errno));
        return SLC_EXIT_IO;
    }
    return status;
}
