/* Layers read back from JSON Lines: an array of span objects that an earlier sluice run wrote
 * (`"sentences":[{"start":0,"end":27}, ...]`) becomes a layer again when a stage asks for it,
 * so that a pipeline split across processes gives what one run gives. */
#ifndef SLUICE_CORE_WIRE_LAYERS_H
#define SLUICE_CORE_WIRE_LAYERS_H

#include <stddef.h>

#include "sluice/sluice.h"

/* Whether a raw JSON value has the shape of a layer as sluice writes one: an array whose first
 * element is an object whose first key is "start" (or, with allow_empty, the empty array). */
int slc_wire_is_layer(const char *json, size_t len, int allow_empty);

/* Fill the empty layer l from the raw array json[0, len): "start" and "end" (code point
 * offsets into text, or bytes), "label", "text" (sets SL_LAYER_WITH_TEXT in *flags), and
 * every other member as an attribute ({start, end, text} objects as sub-spans). SL_OK,
 * SL_EDOC with the reason in err for a malformed span, or SL_ENOMEM. */
int slc_wire_parse_layer(sl_layer *l, const char *text, size_t text_len, const char *json,
                         size_t len, int bytes, unsigned *flags, char *err, size_t errcap);

#endif
