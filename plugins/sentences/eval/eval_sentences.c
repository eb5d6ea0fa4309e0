/*
 * eval_sentences: score the sentence splitter on the shared data and print a table.
 *
 *   eval_sentences [--data DIR] [--errors] [--check]   golden rules, UD EWT and GUM dev,
 *                                                      tokens vs CoNLL-2003 valid
 *   eval_sentences --speed FILE.jsonl [--rounds N]     tokenizer + splitter MB/s
 *
 * DIR defaults to $SLUICE_SHARED_DATA. Without the data it says so and exits 0. --check exits 1
 * when a target is missed (golden >= 47/48, EWT F1 >= 0.90, GUM F1 >= 0.96).
 */
#include "eval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int usage(void) {
    fprintf(stderr, "usage: eval_sentences [--data DIR] [--errors] [--check]\n"
                    "       eval_sentences --speed FILE.jsonl [--rounds N]\n");
    return 2;
}

static void row(const char *name, const ev_para *r) {
    printf("%-22s %9.3f %9.3f %9.3f %9.3f %7zu %7zu %7zu %6zu\n", name, r->precision, r->recall,
           r->f1, r->exact_share, r->tp, r->fp, r->fn, r->paragraphs);
}

int main(int argc, char **argv) {
    const char *data = getenv("SLUICE_SHARED_DATA"), *speed = NULL;
    int errors = 0, check = 0, rounds = 3;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--data") && i + 1 < argc)
            data = argv[++i];
        else if (!strcmp(argv[i], "--speed") && i + 1 < argc)
            speed = argv[++i];
        else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
            rounds = atoi(argv[++i]) > 0 ? atoi(argv[i]) : 1;
        else if (!strcmp(argv[i], "--errors"))
            errors = 1;
        else if (!strcmp(argv[i], "--check"))
            check = 1;
        else
            return usage();
    }
    if (speed) {
        ev_speed s;
        if (ev_speed_run(speed, rounds, &s) != 0) {
            fprintf(stderr, "eval_sentences: cannot read %s\n", speed);
            return 1;
        }
        printf("%s: %zu docs, %.1f MB, %zu tokens, %zu sentences\n", speed, s.docs,
               (double)s.bytes / 1e6, s.tokens, s.sentences);
        printf("tokenizer alone:        %8.1f MB/s\n", s.tokenize_mbs);
        printf("tokenizer + splitter:   %8.1f MB/s\n", s.total_mbs);
        return 0;
    }
    char dir[4096];
    struct stat st;
    if (!data || snprintf(dir, sizeof dir, "%s/sentences", data) >= (int)sizeof dir ||
        stat(dir, &st) != 0) {
        printf("eval_sentences: no sentence data (set SLUICE_SHARED_DATA or --data); skipped\n");
        return 0;
    }
    char path[8300];
    FILE *log = errors ? stdout : NULL;
    ev_golden g;
    snprintf(path, sizeof path, "%s/golden_rules_en.json", dir);
    if (ev_golden_rules(path, &g, log) != 0) {
        fprintf(stderr, "eval_sentences: cannot read %s\n", path);
        return 1;
    }
    ev_para ewt, gum;
    snprintf(path, sizeof path, "%s/en_ewt-ud-dev.paragraphs.jsonl", dir);
    if (ev_paragraphs(path, &ewt, log) != 0) {
        fprintf(stderr, "eval_sentences: cannot read %s\n", path);
        return 1;
    }
    snprintf(path, sizeof path, "%s/en_gum-ud-dev.paragraphs.jsonl", dir);
    if (ev_paragraphs(path, &gum, log) != 0) {
        fprintf(stderr, "eval_sentences: cannot read %s\n", path);
        return 1;
    }
    printf("pySBD golden rules (en): %d/%d passed\n\n", g.passed, g.total);
    printf("%-22s %9s %9s %9s %9s %7s %7s %7s %6s\n", "internal sentence ends", "precision",
           "recall", "F1", "exact", "tp", "fp", "fn", "paras");
    row("UD EWT dev", &ewt);
    row("UD GUM dev", &gum);
    ev_conll cn;
    snprintf(path, sizeof path, "%s/ner/valid.sentences.jsonl", data);
    if (ev_conll_tokens(path, &cn, log) == 0 && cn.sentences > 0)
        printf("\ntokenizer vs CoNLL-2003 valid tokens: %.4f of %zu tokens reproduced, %.4f of %zu "
               "sentences exact\n",
               (double)cn.reproduced / (double)cn.tokens, cn.tokens,
               (double)cn.exact / (double)cn.sentences, cn.sentences);
    if (check && (g.passed < 47 || ewt.f1 < 0.90 || gum.f1 < 0.96)) {
        printf("\ntargets missed (golden >= 47, EWT F1 >= 0.90, GUM F1 >= 0.96)\n");
        return 1;
    }
    return 0;
}
