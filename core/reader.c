#include "reader.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "document.h"
#include "doc_api.h"
#include "interrupt.h"
#include "utf8.h"

#define CHUNK_SIZE (1u << 20)

int slc_input_format_parse(const char *name) {
    static const char *const names[] = {"jsonl", "text", "lines", "html"};
    for (int i = 0; i < 4; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

int slc_reader_open(slc_reader *r, const char *path, slc_input_format format, size_t max_doc,
                    slc_buf *err) {
    memset(r, 0, sizeof *r);
    r->format = format;
    r->max_doc = max_doc;
    if (strcmp(path, "-") == 0) {
        r->fd = 0;
        r->name = "<stdin>";
    } else {
        r->fd = open(path, O_RDONLY | O_CLOEXEC);
        r->name = path;
        if (r->fd < 0) {
            slc_buf_printf(err, "%s: cannot open: %s", path, strerror(errno));
            return SL_EIO;
        }
    }
    struct stat st;
    r->may_stall = fstat(r->fd, &st) != 0 || !S_ISREG(st.st_mode);
    r->chunk_cap = CHUNK_SIZE;
    r->chunk = malloc(r->chunk_cap);
    if (!r->chunk) {
        slc_buf_printf(err, "%s: out of memory", path);
        slc_reader_close(r);
        return SL_ENOMEM;
    }
    return 0;
}

void slc_reader_close(slc_reader *r) {
    if (r->fd > 0)
        close(r->fd);
    r->fd = -1;
    free(r->chunk);
    r->chunk = NULL;
    slc_buf_free(&r->pending);
    slc_buf_free(&r->scratch);
}

/* Refill the read buffer; 0, or SL_EIO. Sets eof at the end of input. */
static int refill(slc_reader *r, slc_buf *err) {
    r->pos = r->end = 0;
    for (;;) {
        ssize_t n = read(r->fd, r->chunk, r->chunk_cap);
        if (n > 0) {
            r->end = (size_t)n;
            r->consumed += (unsigned long long)n;
            return 0;
        }
        if (n == 0) {
            r->eof = 1;
            return 0;
        }
        if (errno != EINTR) {
            slc_buf_printf(err, "%s: read error: %s", r->name, strerror(errno));
            return SL_EIO;
        }
        if (slc_interrupted()) { /* asked to stop while waiting for input */
            r->interrupted = r->eof = 1;
            return 0;
        }
    }
}

/* Next line without its terminator. 1 with *line set, 0 at the end, SL_EIO on error.
 * *too_long gets the full length when the line is over the size limit (its bytes dropped). */
static int next_line(slc_reader *r, const char **line, size_t *len, size_t *too_long,
                     slc_buf *err) {
    if (r->pending.cap > (64u << 20))
        slc_buf_free(&r->pending); /* one huge line must not keep its memory for the rest */
    slc_buf_clear(&r->pending);
    size_t total = 0;
    *too_long = 0;
    for (;;) {
        if (r->pos == r->end) {
            if (r->eof)
                break;
            int rc = refill(r, err);
            if (rc != 0)
                return rc;
            if (r->eof)
                break;
        }
        const char *start = r->chunk + r->pos;
        size_t avail = r->end - r->pos;
        const char *nl = memchr(start, '\n', avail);
        size_t take = nl ? (size_t)(nl - start) : avail;
        r->pos += take + (nl ? 1 : 0);
        total += take;
        if (total > r->max_doc) {
            *too_long = total;
            slc_buf_clear(&r->pending);
        } else if (nl && r->pending.len == 0) {
            *line = start; /* the whole line is in the buffer: no copy */
            *len = take;
            r->line++;
            goto done;
        } else if (slc_buf_append(&r->pending, start, take) != 0) {
            slc_buf_printf(err, "%s:%ld: out of memory", r->name, r->line + 1);
            return SL_ENOMEM;
        }
        if (nl)
            break;
    }
    if (r->interrupted)
        return 0; /* a line cut short by the stop is not a record */
    if (total == 0 && r->eof && r->pending.len == 0 && !*too_long) {
        /* a final line without newline was consumed above only if total > 0 */
        return 0;
    }
    r->line++;
    *line = r->pending.p ? r->pending.p : "";
    *len = r->pending.len;
done:
    if (*len && (*line)[*len - 1] == '\r')
        (*len)--;
    return 1;
}

static int is_blank(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

/* Whether a whole line is ready: in the buffer, or more input waiting to be read. Only
 * asked at the start of a record, so a record is never cut by a stall. */
static int line_ready(const slc_reader *r) {
    if (r->eof || memchr(r->chunk + r->pos, '\n', r->end - r->pos))
        return 1;
    struct pollfd p = {.fd = r->fd, .events = POLLIN};
    return poll(&p, 1, 0) != 0; /* data, end of input, an error: read() will tell */
}

static int read_line_doc(slc_reader *r, sl_doc *doc, slc_buf *err) {
    const char *line = "";
    size_t len = 0, too_long = 0;
    int rc;
    do {
        if (r->stall_check && r->may_stall && !line_ready(r))
            return SLC_READ_STALLED;
        rc = next_line(r, &line, &len, &too_long, err);
        if (rc <= 0)
            return rc;
    } while (!too_long && is_blank(line, len)); /* blank lines are not documents */
    slc_doc_reset(doc);
    slc_doc_set_origin(doc, r->name, r->line);
    char id[600]; /* made only where it is needed: most records have their own */
    if (too_long) {
        r->raw = "";
        r->raw_len = 0;
        slc_doc_set_id(doc, slc_doc_origin_id(doc, id, sizeof id));
        slc_doc_fail(doc, "record is %zu bytes, over the limit of %zu (--max-doc-size)", too_long,
                     r->max_doc);
        return 1;
    }
    r->raw = line;
    r->raw_len = len;
    if (r->format == SLC_INPUT_LINES) {
        return slc_doc_load_text(doc, slc_doc_origin_id(doc, id, sizeof id), line, len) == 0
                   ? 1
                   : SL_ENOMEM;
    }
    return slc_doc_load_record(doc, line, len, &r->scratch) == SL_ENOMEM ? SL_ENOMEM : 1;
}

int slc_doc_load_record(sl_doc *doc, const char *line, size_t len, slc_buf *scratch) {
    size_t repaired = 0;
    if (slc_utf8_valid_prefix(line, len) != len) {
        slc_buf_clear(scratch);
        repaired = slc_utf8_repair(line, len, scratch);
        if (repaired == (size_t)-1)
            return SL_ENOMEM;
        line = scratch->p;
        len = scratch->len;
    }
    int rc = slc_doc_load_json(doc, line, len, NULL); /* the id from the origin, when none */
    slc_doc_add_repairs(doc, repaired);
    return rc;
}

static int read_whole_doc(slc_reader *r, sl_doc *doc, slc_buf *err) {
    if (r->finished)
        return 0;
    r->finished = 1;
    slc_buf_clear(&r->pending);
    size_t total = 0;
    for (;;) {
        if (r->pos == r->end) {
            int rc = refill(r, err);
            if (rc != 0)
                return rc;
            if (r->eof)
                break;
        }
        size_t avail = r->end - r->pos;
        total += avail;
        if (total <= r->max_doc && slc_buf_append(&r->pending, r->chunk + r->pos, avail) != 0)
            return SL_ENOMEM;
        r->pos = r->end;
    }
    if (r->interrupted)
        return 0; /* a file cut short by the stop is not a document */
    slc_doc_reset(doc);
    slc_doc_set_origin(doc, r->name, 0);
    r->line = 0;
    r->raw = NULL;
    r->raw_len = 0;
    if (total > r->max_doc) {
        slc_doc_set_id(doc, r->name);
        slc_doc_fail(doc, "input is %zu bytes, over the limit of %zu (--max-doc-size)", total,
                     r->max_doc);
        return 1;
    }
    const char *p = r->pending.p ? r->pending.p : "";
    int rc = r->format == SLC_INPUT_HTML ? slc_doc_load_html(doc, r->name, p, r->pending.len)
                                         : slc_doc_load_text(doc, r->name, p, r->pending.len);
    return rc == 0 ? 1 : rc;
}

int slc_reader_next(slc_reader *r, sl_doc *doc, slc_buf *err) {
    if (r->format == SLC_INPUT_TEXT || r->format == SLC_INPUT_HTML)
        return read_whole_doc(r, doc, err);
    return read_line_doc(r, doc, err);
}

const char *slc_reader_raw(const slc_reader *r, size_t *len) {
    *len = r->raw_len;
    return r->raw;
}
