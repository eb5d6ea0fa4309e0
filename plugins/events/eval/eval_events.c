/*
 * eval_events: scores of the events plugin (run by bench/eval-events).
 *
 *   eval_events gsr GOLD.jsonl PRED.jsonl [--errors]    root accuracy, triple P/R/F1, false events
 *   eval_events unit GOLD.jsonl PRED.jsonl [--errors]   share of records coded exactly as gold
 *   eval_events speed CORPUS.jsonl DATA_DIR [ROUNDS]    sentences/s of the coder alone
 */
#include "eval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(void) {
    fprintf(stderr, "usage: eval_events gsr|unit GOLD.jsonl PRED.jsonl [--errors]\n"
                    "       eval_events speed CORPUS.jsonl DATA_DIR [ROUNDS]\n");
    return 2;
}

int main(int argc, char **argv) {
    if (argc < 4)
        return usage();
    FILE *log = argc > 4 && strcmp(argv[4], "--errors") == 0 ? stdout : NULL;
    if (strcmp(argv[1], "gsr") == 0) {
        evs_gsr r;
        if (evs_score_gsr(argv[2], argv[3], &r, log)) {
            fprintf(stderr, "eval_events: cannot read %s or %s\n", argv[2], argv[3]);
            return 1;
        }
        printf("%zu records, %zu gold events, %zu no-event records\n", r.records, r.gold_events,
               r.noevent_records);
        printf("root accuracy %.3f (%zu/%zu)\n", r.root_accuracy, r.root_hits, r.gold_events);
        printf("triples (source country, target country, root): P %.3f R %.3f F1 %.3f "
               "(tp %zu fp %zu fn %zu)\n",
               r.precision, r.recall, r.f1, r.tp, r.fp, r.fn);
        printf("false events on no-event records %.3f (%zu/%zu)\n", r.false_rate, r.false_records,
               r.noevent_records);
        return 0;
    }
    if (strcmp(argv[1], "unit") == 0) {
        evs_unit r;
        if (evs_score_unit(argv[2], argv[3], &r, log)) {
            fprintf(stderr, "eval_events: cannot read %s or %s\n", argv[2], argv[3]);
            return 1;
        }
        printf("unit-test records coded exactly as gold: %.3f (%zu/%zu)\n", r.share, r.exact,
               r.records);
        return 0;
    }
    if (strcmp(argv[1], "speed") == 0) {
        evs_speed r;
        int rounds = argc > 4 ? atoi(argv[4]) : 5;
        if (evs_speed_run(argv[2], argv[3], rounds > 0 ? rounds : 1, &r)) {
            fprintf(stderr, "eval_events: cannot run on %s\n", argv[2]);
            return 1;
        }
        printf("%s: %zu documents, %zu sentences, %zu events; events stage %.1f ms: %.0f "
               "sentences/s, %.1f MB/s\n",
               argv[2], r.docs, r.sentences, r.events, r.seconds * 1e3, r.sentences_per_s,
               r.mb_per_s);
        return 0;
    }
    return usage();
}
