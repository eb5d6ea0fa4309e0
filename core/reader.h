/* Input readers: JSON Lines, whole-file text, one document per line, and HTML pages. */
#ifndef SLUICE_CORE_READER_H
#define SLUICE_CORE_READER_H

#include <stddef.h>

#include "buf.h"
#include "sluice/sluice.h"

typedef enum slc_input_format {
    SLC_INPUT_JSONL,
    SLC_INPUT_TEXT,
    SLC_INPUT_LINES,
    SLC_INPUT_HTML
} slc_input_format;

typedef struct slc_reader {
    int fd;
    const char *name; /* shown in messages and generated ids */
    slc_input_format format;
    size_t max_doc;
    char *chunk; /* read buffer */
    size_t chunk_cap, pos, end;
    int eof;
    long line;       /* line number of the last record */
    slc_buf pending; /* a line that spans read buffers */
    const char *raw; /* the last record's raw bytes */
    size_t raw_len;
    slc_buf scratch; /* UTF-8 repair, ids */
    int finished;    /* whole-file formats: the one document was produced */
    int may_stall;   /* not a regular file: input can pause (a pipe, a terminal, a socket) */
    unsigned long long consumed; /* bytes read from the input so far */
    int stall_check; /* set by the caller: say when no whole record can be read right now */
    int interrupted; /* a stop was asked for while reading: what is half read is dropped */
} slc_reader;

/* Parse a format name; -1 when unknown. */
int slc_input_format_parse(const char *name);

/* Open path ("-" for standard input). 0, or SL_EIO with a message in err. */
int slc_reader_open(slc_reader *r, const char *path, slc_input_format format, size_t max_doc,
                    slc_buf *err);
/* Returned by slc_reader_next() with stall_check set when the input has no whole record
 * ready now: the caller may write out what it holds, then call again (which then waits). */
#define SLC_READ_STALLED 2

/* Read the next document into doc (reset first): 1 when one was read (it may be marked
 * failed, for a malformed record), 0 at the end, SL_EIO on a read error (message in err),
 * SLC_READ_STALLED (see above). */
int slc_reader_next(slc_reader *r, sl_doc *doc, slc_buf *err);
/* The raw bytes of the last record, as read (for the dead-letter file). */
const char *slc_reader_raw(const slc_reader *r, size_t *len);
/* Fill an empty document from one JSON Lines record, invalid UTF-8 repaired (in scratch) and
 * counted: 0, SL_EDOC for a malformed record (the reason in slc_doc_error), or SL_ENOMEM. */
int slc_doc_load_record(sl_doc *doc, const char *line, size_t len, slc_buf *scratch);
/* Close the input. */
void slc_reader_close(slc_reader *r);

#endif
