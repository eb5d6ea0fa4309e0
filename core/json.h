/* A small, fast JSON scanner and writer for JSON Lines records.
 *
 * Records are scanned, not built into trees: each top-level field keeps the byte range of its
 * raw value, so fields a pipeline does not touch are written back byte for byte. */
#ifndef SLUICE_CORE_JSON_H
#define SLUICE_CORE_JSON_H

#include <stddef.h>

#include "buf.h"

/* Type of a scanned JSON value. */
typedef enum slc_json_type {
    SLC_JSON_STRING = 's',
    SLC_JSON_NUMBER = 'n',
    SLC_JSON_OBJECT = 'o',
    SLC_JSON_ARRAY = 'a',
    SLC_JSON_TRUE = 't',
    SLC_JSON_FALSE = 'f',
    SLC_JSON_NULL = 'z'
} slc_json_type;

/* One member of a scanned object: byte ranges of the key (without quotes) and raw value. */
typedef struct slc_json_member {
    size_t key_off, key_len;
    size_t val_off, val_len;
    slc_json_type type;
    int key_escaped; /* the key contains a backslash escape */
} slc_json_member;

/* Called for each member found by slc_json_scan_object; non-zero stops the scan. */
typedef int (*slc_json_member_fn)(void *ctx, const slc_json_member *m);

/* Scan one JSON object filling s[0, len) (white space around it allowed). Returns 0, or -1
 * with *error set to a static message and *error_at to the byte offset; the callback's
 * non-zero return is passed through. */
int slc_json_scan_object(const char *s, size_t len, slc_json_member_fn fn, void *ctx,
                         const char **error, size_t *error_at);

/* Validate that s[0, len) is exactly one JSON value (white space around it allowed);
 * on success *type gets its type. */
int slc_json_validate(const char *s, size_t len, slc_json_type *type, const char **error,
                      size_t *error_at);

/* Decode the body of a JSON string (between the quotes, already validated) and append the
 * UTF-8 result; lone surrogates become U+FFFD and are added to *repaired. */
int slc_json_unescape(const char *s, size_t len, slc_buf *out, size_t *repaired);

/* Append s[0, len) as a quoted JSON string. */
int slc_json_put_string(slc_buf *out, const char *s, size_t len);

/* Append a number: integers exactly, others with enough digits to read back the same. */
int slc_json_put_number(slc_buf *out, double v);

#endif
