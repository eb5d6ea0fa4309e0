/* The host API table handed to every plugin. */
#include <stdarg.h>
#include <stdio.h>

#include "config.h"
#include "doc_api.h"
#include "document.h"

static void host_log(int level, const char *fmt, ...) SL_PRINTF(2, 3);
static void host_log(int level, const char *fmt, ...) {
    static const char *const names[] = {"error", "warning", "info", "debug"};
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "sluice: %s: ", level >= 0 && level <= 3 ? names[level] : "log");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static const sl_host host_table = {
    .abi_major = SL_ABI_MAJOR,
    .abi_minor = SL_ABI_MINOR,
    .struct_size = sizeof(sl_host),
    .log = host_log,
    .cfg_string = slc_cfg_string,
    .cfg_int = slc_cfg_int,
    .cfg_double = slc_cfg_double,
    .cfg_bool = slc_cfg_bool,
    .cfg_list_count = slc_cfg_list_count,
    .cfg_list_item = slc_cfg_list_item,
    .cfg_is_set = slc_cfg_is_set,
    .cfg_plugin_dir = slc_cfg_plugin_dir,
    .cfg_error = slc_cfg_error,
    .doc_id = slc_doc_id,
    .doc_text = slc_doc_text,
    .doc_set_text = slc_doc_set_text,
    .doc_set_id = slc_doc_set_id,
    .doc_meta_string = slc_doc_meta_string,
    .doc_meta_set_string = slc_doc_meta_set_string,
    .doc_meta_set_number = slc_doc_meta_set_number,
    .doc_meta_set_json = slc_doc_meta_set_json,
    .doc_meta_remove = slc_doc_meta_remove,
    .doc_fail = slc_doc_fail,
    .doc_tokens = slc_doc_tokens,
    .layer_new = slc_layer_new,
    .layer_get = slc_layer_get,
    .layer_count = slc_layer_count,
    .layer_span = slc_layer_span,
    .span_add = slc_span_add,
    .span_set_string = slc_span_set_string,
    .span_set_number = slc_span_set_number,
    .span_set_json = slc_span_set_json,
    .span_set_range = slc_span_set_range,
    .span_get_string = slc_span_get_string,
    .doc_json = slc_doc_json,
    .doc_origin = slc_doc_origin,
};

const sl_host *slc_host(void) {
    return &host_table;
}
