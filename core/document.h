/* The document model: id, UTF-8 text, metadata fields kept as raw JSON, annotation layers. */
#ifndef SLUICE_CORE_DOCUMENT_H
#define SLUICE_CORE_DOCUMENT_H

#include <stddef.h>

#include "buf.h"
#include "sluice/sluice.h"

/* Make an empty document; NULL when out of memory. */
sl_doc *slc_doc_new(void);
/* Free a document and everything it owns. */
void slc_doc_free(sl_doc *doc);
/* Empty the document for the next input, keeping its storage (memory stays flat). */
void slc_doc_reset(sl_doc *doc);

/* Fill an empty document from one JSON object line (valid UTF-8). On a malformed record
 * returns SL_EDOC with the reason recorded (slc_doc_error). fallback_id names documents
 * that have no id field; NULL means "ORIGIN:LINE" from slc_doc_set_origin(), made only when
 * needed. */
int slc_doc_load_json(sl_doc *doc, const char *line, size_t len, const char *fallback_id);
/* Fill an empty document with plain text (repaired to UTF-8) and an id. */
int slc_doc_load_text(sl_doc *doc, const char *id, const char *text, size_t len);
/* Fill an empty document with an HTML page (repaired to UTF-8) in the "html" field. */
int slc_doc_load_html(sl_doc *doc, const char *id, const char *html, size_t len);

/* Record where the document came from (name kept by pointer: must outlive the document). */
void slc_doc_set_origin(sl_doc *doc, const char *origin, long line);
/* The id of a record that has none: "ORIGIN:LINE" from slc_doc_set_origin(), into out. */
const char *slc_doc_origin_id(const sl_doc *doc, char *out, size_t cap);
/* The failure message recorded by doc_fail or a loader, or NULL. */
const char *slc_doc_error(const sl_doc *doc);
/* Add to the count of invalid UTF-8 sequences replaced in this document. */
void slc_doc_add_repairs(sl_doc *doc, size_t n);
/* How many invalid UTF-8 sequences were replaced while loading this document. */
size_t slc_doc_repairs(const sl_doc *doc);

/* Whether a layer may have this name: not empty, not "text", "id" or "tokens". */
int slc_layer_name_ok(const char *name);

/* The host API table the core hands to plugins. */
const sl_host *slc_host(void);

#endif
