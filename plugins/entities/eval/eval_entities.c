/*
 * eval_entities: the entities tagger's accuracy on CoNLL-2003 dev (text rebuilt from its tokens
 * and tokenized by the core; as written, lower-cased and upper-cased) and its speed on the
 * news corpus. Run by bench/eval-entities.
 *
 *   eval_entities --model FILE [--gazetteer TSV] --conll FILE [--errors]
 *   eval_entities --model FILE --speed FILE.jsonl [--rounds N]
 */
#include "eval.h"

#include "gazfeatures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void) {
    fprintf(stderr, "usage: eval_entities --model FILE (--conll FILE [--errors] | --speed "
                    "FILE.jsonl [--rounds N])\n");
    exit(2);
}

static void print_scores(const char *title, const ent_score *s, const ent_model *m) {
    double p, r, f = ent_score_f1(s, -1, &p, &r);
    printf("%-12s P %.4f R %.4f F1 %.4f", title, p, r, f);
    for (int k = 0; k < s->ntypes; k++) {
        printf("  %s %.4f", m->hdr.types[k], ent_score_f1(s, k, NULL, NULL));
    }
    printf("\n");
}

int main(int argc, char **argv) {
    const char *model = NULL, *conll = NULL, *speed = NULL, *gazetteer = NULL;
    int errors = 0, rounds = 3;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--errors"))
            errors = 1;
        else if (i + 1 >= argc)
            usage();
        else if (!strcmp(argv[i], "--model"))
            model = argv[++i];
        else if (!strcmp(argv[i], "--gazetteer"))
            gazetteer = argv[++i];
        else if (!strcmp(argv[i], "--conll"))
            conll = argv[++i];
        else if (!strcmp(argv[i], "--speed"))
            speed = argv[++i];
        else if (!strcmp(argv[i], "--rounds"))
            rounds = atoi(argv[++i]);
        else
            usage();
    }
    if (!model || (!conll && !speed) || rounds < 1)
        usage();
    char err[4400];
    ent_model m;
    if (ent_model_load(&m, model, ENT_VERIFY_ALL, err, sizeof err) != 0) {
        fprintf(stderr, "eval_entities: %s\n", err);
        return 1;
    }
    ent_gaz *g = NULL;
    int differs;
    if (ent_model_gazetteer(&m, model, gazetteer, &g, &differs, err, sizeof err) != 0) {
        fprintf(stderr, "eval_entities: %s\n", err);
        return 1;
    }
    if (differs)
        fprintf(stderr,
                "eval_entities: warning: the gazetteer is not the one %s was trained "
                "with\n",
                model);
    ent_annotate_fn annotate = g ? ent_gaz_annotate : NULL;
    ent_canon *canon = ent_canon_new(g);
    if (!canon) {
        fprintf(stderr, "eval_entities: out of memory\n");
        return 1;
    }
    int rc = 0;
    if (conll) {
        static const struct {
            const char *title;
            ent_join join;
            ent_case cs;
        } runs[] = {
            {"as written", ENT_JOIN_SPACES, ENT_CASE_ASIS},
            {"raw spacing", ENT_JOIN_NATURAL, ENT_CASE_ASIS},
            {"lower case", ENT_JOIN_SPACES, ENT_CASE_LOWER},
            {"upper case", ENT_JOIN_SPACES, ENT_CASE_UPPER},
        };
        for (size_t k = 0; k < sizeof runs / sizeof *runs && !rc; k++) {
            ent_score s;
            if (ee_conll(&m, annotate, g, canon, conll, runs[k].join, runs[k].cs, &s,
                         errors && k == 0 ? stdout : NULL, err, sizeof err) != 0) {
                fprintf(stderr, "eval_entities: %s\n", err);
                rc = 1;
            } else {
                print_scores(runs[k].title, &s, &m);
            }
        }
    }
    if (speed && !rc) {
        ee_speed sp;
        if (ee_speed_run(&m, annotate, g, speed, rounds, &sp, err, sizeof err) != 0) {
            fprintf(stderr, "eval_entities: %s\n", err);
            rc = 1;
        } else {
            printf("%s: %zu docs, %.1f MB, %zu tokens, %zu entities\n"
                   "  wall time: %.2f M tokens/s, %.1f MB/s; CPU time: %.2f M tokens/s, %.1f MB/s "
                   "(best of %d)\n",
                   speed, sp.docs, sp.bytes / 1e6, sp.tokens, sp.entities,
                   sp.tokens / sp.seconds / 1e6, sp.bytes / sp.seconds / 1e6,
                   sp.tokens / sp.cpu_seconds / 1e6, sp.bytes / sp.cpu_seconds / 1e6, rounds);
        }
    }
    ent_canon_free(canon);
    ent_gaz_free(g);
    ent_model_close(&m);
    return rc;
}
