/* Gazetteer features: the gazetteer's longest matches, left to right, written into the token
 * properties of a prepared document (class bits and the token's place in the match). */
#ifndef ENT_GAZFEATURES_H
#define ENT_GAZFEATURES_H

#include "featureset.h"
#include "gazetteer.h"

/* Set on a matched token when the text's case is one of the entry's spellings. */
#define ENT_GAZ_EXACT_CASE (1u << 15)

/* An ent_annotate_fn: ctx is the ent_gaz. */
void ent_gaz_annotate(void *ctx, const char *text, const sl_token *tok, size_t n, ent_fx *fx);

/* Titles are not part of a person's name (CoNLL's convention: "Mr [Kerry]", "President
 * [Assad]"): a mention of type `type` of two or more tokens whose first token is a title on
 * its own in the gazetteer starts after it. Works on the tags of a document whose gazetteer
 * fields ent_gaz_annotate filled. */
void ent_gaz_trim_titles(const ent_fx *fx, int type, uint8_t *tags);

/* The model format's checksum of a whole file (the gazetteer a model was trained with is
 * recorded by it). 0 on success, -1 when the file cannot be read. */
int ent_file_checksum(const char *path, uint64_t *sum);

/* Load the gazetteer a model was trained with: `path`, or when it is NULL gazetteer.tsv in the
 * model file's folder. *g stays NULL when the model uses no gazetteer. *differs is set when
 * the file is not the one the model recorded (the features then shift: a warning). 0, or -1
 * with a message naming the file in err. */
struct ent_model;
int ent_model_gazetteer(const struct ent_model *m, const char *model_path, const char *path,
                        ent_gaz **g, int *differs, char *err, size_t errlen);

#endif
