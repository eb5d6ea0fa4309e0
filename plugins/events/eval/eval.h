/* Scoring the events plugin's output against PETRARCH's gold records (GSR and unit tests). */
#ifndef SLUICE_EVENTS_EVAL_H
#define SLUICE_EVENTS_EVAL_H

#include <stddef.h>
#include <stdio.h>

/* Scores on real news sentences with gold events (PETR2_GSR_validation*.jsonl). */
typedef struct evs_gsr {
    size_t records;         /* records scored (evaluate != false, no error) */
    size_t gold_events;     /* gold events in them */
    size_t root_hits;       /* gold events whose root is among the record's predicted roots */
    size_t tp, fp, fn;      /* (source country, target country, root) triples, per record */
    size_t noevent_records; /* records whose gold says no event */
    size_t false_records;   /* of them, those with a predicted event */
    double root_accuracy, precision, recall, f1, false_rate;
} evs_gsr;

/* Score predictions (a sluice output: id, "events" layer with source_code, target_code and
 * root) against gold records (id, events [{source, target, code}], noevents). Records are
 * joined by id. Differences go to `log` when it is not NULL. -1 when a file cannot be read. */
int evs_score_gsr(const char *gold_path, const char *pred_path, evs_gsr *r, FILE *log);

/* Exact agreement with PETRARCH's unit-test records: the set of (source, target, code) of a
 * record equals the gold set. */
typedef struct evs_unit {
    size_t records, exact;
    double share;
} evs_unit;

int evs_score_unit(const char *gold_path, const char *pred_path, evs_unit *r, FILE *log);

/* Speed of the coder alone on the "text" fields of a JSON Lines corpus, tokenized and split
 * into sentences beforehand; the model from the plugin's data folder. */
typedef struct evs_speed {
    size_t docs, sentences, events;
    double seconds, sentences_per_s, mb_per_s;
} evs_speed;

int evs_speed_run(const char *corpus, const char *data_dir, int rounds, evs_speed *r);

#endif
