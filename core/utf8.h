/* UTF-8 checks and repair: invalid bytes become U+FFFD, counted, never a crash. */
#ifndef SLUICE_CORE_UTF8_H
#define SLUICE_CORE_UTF8_H

#include <stddef.h>

#include "buf.h"

/* Length of the valid UTF-8 prefix of s[0, len); len when all of it is valid. */
size_t slc_utf8_valid_prefix(const char *s, size_t len);

/* Append s to out with every invalid byte replaced by U+FFFD; returns how many were replaced,
 * or (size_t)-1 when out of memory. */
size_t slc_utf8_repair(const char *s, size_t len, slc_buf *out);

/* Whether every byte is ASCII. */
int slc_utf8_is_ascii(const char *s, size_t len);

/* Number of code points in valid UTF-8 s[0, len). */
size_t slc_utf8_count(const char *s, size_t len);

/* Append code point cp (<= 0x10FFFF) encoded as UTF-8. */
int slc_utf8_put(slc_buf *out, unsigned long cp);

#endif
