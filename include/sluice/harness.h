/*
 * sluice plugin test harness: run plugins in the test's own process, through the same core
 * code as `sluice run` (the pipeline parser, the loader, the option checks, the document model
 * and its JSON), without the command, files or pipes.
 *
 *     sl_harness *h = sl_harness_new();
 *     sl_harness_add(h, "build/redact.so", "patterns: ['[0-9]{3}-[0-9]{4}']\n");
 *     if (sl_harness_start(h) != SL_OK)
 *         fail(sl_harness_error(h));
 *     const char *out = sl_harness_process(h, "{\"id\":\"a\",\"text\":\"Call 555-0147.\"}");
 *     // out: {"id":"a","text":"Call [REDACTED]."}, or NULL and sl_harness_error(h) says why
 *     sl_harness_free(h);
 *
 * Link with the static library sluice_harness (CMake: find_package(sluice) then
 * target_link_libraries(test PRIVATE sluice::harness); pkg-config: sluice-harness). It holds
 * the core of sluice, so the plugin under test is loaded exactly as sluice loads it. Not
 * thread-safe: one harness at a time per thread, and the core's log settings are global.
 */
#ifndef SLUICE_HARNESS_H
#define SLUICE_HARNESS_H

#include <stddef.h>

#include "sluice/sluice.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sl_harness sl_harness;

/** A harness with no stages (started without any, it is a pass-through: documents come out as
 * the reader and the writer of the core make them); NULL when out of memory. */
sl_harness *sl_harness_new(void);

/** Destroy the stages' instances, unload the plugins, free everything (NULL is allowed). */
void sl_harness_free(sl_harness *h);

/** Look for plugins named by name in dir first (as `--plugin-path dir`; repeatable). Then come
 * $SLUICE_PLUGIN_PATH and the installed plugin folder. Before sl_harness_start(). */
int sl_harness_plugin_dir(sl_harness *h, const char *dir);

/** Add a stage: plugin is a name ([a-z0-9_-]+, found on the plugin path) or a path to a .so
 * file (relative to the current folder); options is the stage's options as a YAML block
 * mapping ("line_breaks: never\nabbreviations: [approx]\n"), or NULL for none. Stages run in
 * the order added. Before sl_harness_start(). SL_OK, SL_ENOMEM or SL_EINVAL. */
int sl_harness_add(sl_harness *h, const char *plugin, const char *options);

/** What `sluice check` does: load every stage's plugin, check its options against the schema
 * and run the plugin's own check(), creating nothing. SL_OK, or SL_ECONFIG with every problem
 * in sl_harness_error() as lines "harness:LINE:COL: stage N (plugin NAME): message", where
 * LINE counts in the pipeline the harness writes: "stages:", then for each stage a "- plugin"
 * line followed by its option lines. */
int sl_harness_check(sl_harness *h);

/** Check, then create every stage's instance (as `sluice run` does before the first
 * document). SL_OK, or SL_ECONFIG with the problems in sl_harness_error(). */
int sl_harness_start(sl_harness *h);

/** The JSON options of the output (SL_JSON_BYTE_OFFSETS, SL_JSON_TOKENS); default none. */
void sl_harness_json_flags(sl_harness *h, unsigned flags);

/** Send one document, a JSON object as one line of JSON Lines reads it (invalid UTF-8 is
 * repaired as the reader does), through the stages. Returns the document afterwards as the
 * `jsonl` sink writes it (without the newline; its length in *len when len is not NULL),
 * valid until the next call; or NULL when the document failed: sl_harness_error() then says
 * why, as `sluice run` reports it ("stage 1 (plugin probe): found 'BAD'"), or that the record
 * is malformed. */
const char *sl_harness_process(sl_harness *h, const char *json_line, size_t *len);

/** The same for a plain-text document (as `--input-format text` reads a file) with this id. */
const char *sl_harness_process_text(sl_harness *h, const char *id, const char *text, size_t len,
                                    size_t *out_len);

/** The same for an HTML page (as `--input-format html` reads a file): the page goes in the
 * `html` field, byte for byte as Latin-1 characters with "html_encoding": "latin1" when it is
 * not valid UTF-8. */
const char *sl_harness_process_html(sl_harness *h, const char *id, const char *html, size_t len,
                                    size_t *out_len);

/** When the first stage is a source: its next document, through the other stages, as
 * sl_harness_process() returns it; NULL at the end (sl_harness_error() is then "") or when the
 * source or a stage failed (sl_harness_error() says why). */
const char *sl_harness_read(sl_harness *h, size_t *len);

/** Call every stage's flush(), as `sluice run` does at the end of the input. SL_OK or the
 * first failing status (sl_harness_error() names the stage). */
int sl_harness_flush(sl_harness *h);

/** The last error: check or start problems, or why the last document failed. "" when none. */
const char *sl_harness_error(const sl_harness *h);

#ifdef __cplusplus
}
#endif

#endif /* SLUICE_HARNESS_H */
