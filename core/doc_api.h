/* The document functions behind the sl_host table (see sluice.h for what each does). */
#ifndef SLUICE_CORE_DOC_API_H
#define SLUICE_CORE_DOC_API_H

#include "sluice/sluice.h"

const char *slc_doc_id(const sl_doc *doc);
const char *slc_doc_text(const sl_doc *doc, size_t *len);
int slc_doc_set_text(sl_doc *doc, const char *text, size_t len);
int slc_doc_set_id(sl_doc *doc, const char *id);
const char *slc_doc_meta_string(const sl_doc *doc, const char *key, size_t *len);
int slc_doc_meta_set_string(sl_doc *doc, const char *key, const char *value, size_t len);
int slc_doc_meta_set_number(sl_doc *doc, const char *key, double value);
int slc_doc_meta_set_json(sl_doc *doc, const char *key, const char *json);
int slc_doc_meta_remove(sl_doc *doc, const char *key);
int slc_doc_fail(sl_doc *doc, const char *fmt, ...) SL_PRINTF(2, 3);
const sl_token *slc_doc_tokens(sl_doc *doc, size_t *count);
sl_layer *slc_layer_new(sl_doc *doc, const char *name, unsigned flags);
sl_layer *slc_layer_get(const sl_doc *doc, const char *name);
size_t slc_layer_count(const sl_layer *layer);
const sl_span *slc_layer_span(const sl_layer *layer, size_t i);
long slc_span_add(sl_layer *layer, size_t start, size_t end, const char *label);
int slc_span_set_string(sl_layer *layer, size_t i, const char *key, const char *value);
int slc_span_set_number(sl_layer *layer, size_t i, const char *key, double value);
int slc_span_set_json(sl_layer *layer, size_t i, const char *key, const char *json);
int slc_span_set_range(sl_layer *layer, size_t i, const char *key, size_t start, size_t end);
const char *slc_span_get_string(const sl_layer *layer, size_t i, const char *key);
int slc_layer_create(sl_doc *doc, const char *name, unsigned flags, sl_layer **out);
int slc_span_append(sl_layer *layer, size_t start, size_t end, const char *label, size_t *index);
size_t slc_doc_layer_count(const sl_doc *doc);
sl_layer *slc_doc_layer_at(const sl_doc *doc, size_t i);
const char *slc_layer_name(const sl_layer *layer);
unsigned slc_layer_flags(const sl_layer *layer);
size_t slc_span_attr_count(const sl_layer *layer, size_t i);
const char *slc_span_attr_name(const sl_layer *layer, size_t i, size_t j, sl_value_type *type);
int slc_span_get_number(const sl_layer *layer, size_t i, const char *key, double *value);
const char *slc_span_get_json(const sl_layer *layer, size_t i, const char *key);
int slc_span_get_range(const sl_layer *layer, size_t i, const char *key, size_t *start,
                       size_t *end);
size_t slc_doc_meta_count(const sl_doc *doc);
const char *slc_doc_meta_key(const sl_doc *doc, size_t i, sl_value_type *type);
const char *slc_doc_meta_json(const sl_doc *doc, const char *key, size_t *len);
int slc_doc_meta_number(const sl_doc *doc, const char *key, double *value);
const char *slc_doc_json(sl_doc *doc, unsigned flags, size_t *len);
const char *slc_doc_origin(const sl_doc *doc, long *line);

#endif
