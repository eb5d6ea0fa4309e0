/* The jsonl sink: each document as one line of JSON, to standard output or a file. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sluice/sluice.h"

/* Output is written in blocks of whole lines, so that two sinks sharing standard output
 * never interleave inside a line. */
#define BLOCK_SIZE (256u << 10)

typedef struct jsonl_sink {
    const sl_host *host;
    int fd;
    int own_fd;
    char *path;
    unsigned flags;
    char *buf;
    size_t len;
    int write_errno; /* why the last write failed */
} jsonl_sink;

static const sl_option options[] = {
    {.name = "path",
     .type = SL_OPT_STRING,
     .help = "file to write (created or truncated); standard output when unset"},
    {.name = "byte_offsets",
     .type = SL_OPT_BOOL,
     .default_value = "false",
     .help = "write UTF-8 byte offsets instead of code point offsets"},
    {.name = "tokens",
     .type = SL_OPT_BOOL,
     .default_value = "false",
     .help = "also write the tokens layer"},
    {.name = NULL},
};

static int write_all(jsonl_sink *s, const char *p, size_t n) {
    while (n) {
        ssize_t w = write(s->fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            s->write_errno = errno;
            return errno == EPIPE ? SL_EPIPE : SL_EIO;
        }
        p += w;
        n -= (size_t)w;
    }
    return SL_OK;
}

static int drain(jsonl_sink *s) {
    int rc = write_all(s, s->buf, s->len);
    s->len = 0;
    return rc;
}

/* Whether the output file could be written, without creating or truncating it: an existing
 * file must be writable and not a folder; a new one needs a writable folder. */
static int jsonl_check(const sl_host *host, const sl_config *cfg) {
    const char *path = host->cfg_string(cfg, "path");
    if (!path)
        return SL_OK;
    if (!*path)
        return host->cfg_error(cfg, "path", "is empty (leave it out to write standard output)");
    struct stat st;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return host->cfg_error(cfg, "path", "'%s' is a folder", path);
        if (access(path, W_OK) != 0)
            return host->cfg_error(cfg, "path", "cannot write '%s': %s", path, strerror(errno));
        return SL_OK;
    }
    const char *slash = strrchr(path, '/');
    char dir[4096] = ".";
    if (slash) {
        size_t n = slash == path ? 1 : (size_t)(slash - path);
        if (n >= sizeof dir)
            return host->cfg_error(cfg, "path", "'%s' is too long", path);
        memcpy(dir, path, n);
        dir[n] = '\0';
    }
    if (access(dir, W_OK | X_OK) != 0)
        return host->cfg_error(cfg, "path", "cannot create '%s': folder '%s': %s", path, dir,
                               strerror(errno));
    return SL_OK;
}

static int jsonl_create(const sl_host *host, const sl_config *cfg, void **state) {
    jsonl_sink *s = calloc(1, sizeof *s);
    if (!s)
        return SL_ENOMEM;
    s->host = host;
    const char *path = host->cfg_string(cfg, "path");
    s->path = strdup(path ? path : "standard output");
    s->buf = malloc(BLOCK_SIZE);
    if (!s->path || !s->buf) {
        free(s->path);
        free(s->buf);
        free(s);
        return SL_ENOMEM;
    }
    if (host->cfg_bool(cfg, "byte_offsets"))
        s->flags |= SL_JSON_BYTE_OFFSETS;
    if (host->cfg_bool(cfg, "tokens"))
        s->flags |= SL_JSON_TOKENS;
    s->fd = 1;
    if (path) {
        s->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (s->fd < 0) {
            int rc = host->cfg_error(cfg, "path", "cannot open '%s': %s", path, strerror(errno));
            free(s->path);
            free(s->buf);
            free(s);
            return rc;
        }
        s->own_fd = 1;
    }
    *state = s;
    return SL_OK;
}

static int jsonl_process(void *state, sl_doc *doc) {
    jsonl_sink *s = state;
    size_t n;
    const char *json = s->host->doc_json(doc, s->flags, &n);
    if (!json)
        return s->host->doc_fail(doc, "out of memory while writing JSON");
    if (s->len + n + 1 > BLOCK_SIZE) {
        int rc = drain(s);
        if (rc == SL_OK && n + 1 > BLOCK_SIZE) { /* a huge document goes straight out */
            rc = write_all(s, json, n);
            if (rc == SL_OK)
                rc = write_all(s, "\n", 1);
            if (rc == SL_OK)
                return SL_OK;
        }
        if (rc == SL_EIO) {
            s->host->doc_fail(doc, "cannot write %s: %s", s->path, strerror(s->write_errno));
            return SL_EIO;
        }
        if (rc != SL_OK)
            return rc;
    }
    memcpy(s->buf + s->len, json, n);
    s->buf[s->len + n] = '\n';
    s->len += n + 1;
    return SL_OK;
}

static int jsonl_flush(void *state) {
    jsonl_sink *s = state;
    int rc = drain(s);
    if (rc == SL_EIO)
        s->host->log(SL_LOG_ERROR, "jsonl: cannot write %s: %s", s->path, strerror(s->write_errno));
    return rc;
}

/* Hand over the lines held so far: a reader downstream is waiting. */
static int jsonl_sync(void *state) {
    return jsonl_flush(state);
}

static void jsonl_destroy(void *state) {
    jsonl_sink *s = state;
    if (s->own_fd)
        close(s->fd);
    free(s->path);
    free(s->buf);
    free(s);
}

static const sl_plugin plugin = {
    SL_PLUGIN_HEADER,
    .kind = SL_KIND_SINK,
    .name = "jsonl",
    .version = "1.0.0",
    .summary = "write each document as one line of JSON (the sluice document format)",
    .options = options,
    .create = jsonl_create,
    .process = jsonl_process,
    .flush = jsonl_flush,
    .sync = jsonl_sync,
    .destroy = jsonl_destroy,
    .check = jsonl_check,
    .flags = SL_PLUGIN_ORDERED,
};

SL_PLUGIN_ENTRY(host) {
    (void)host;
    return &plugin;
}
