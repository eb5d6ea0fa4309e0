/*
 * Article extraction from the page model: Readability-style candidate scoring on the element
 * tree (text length, commas, link density, tag and class/id hints, propagation to ancestors),
 * sibling merging, then block-level filtering of what lies inside the chosen subtrees (hard
 * chrome such as nav/aside/footer, comment threads, captions, link lists, known prompts,
 * duplicates).
 */
#include "bp_internal.h"

#include <stdlib.h>
#ifdef BP_DEBUG
#include <stdio.h>
#endif
#include <string.h>

typedef struct ctx {
    bp_page *pg;
    const bp_options *opt;
    double *score; /* per node */
    uint8_t *scored;
    uint8_t *sel;      /* per node: inside a selected subtree */
    uint32_t *subflag; /* per node: flags between the selected root and the node */
    uint32_t *inh;     /* per node: its flags and all its ancestors' */
    uint8_t *keep;     /* per block: 1 kept text, 2 kept heading */
} ctx;

static double link_density(const bp_node *n) {
    return n->text_chars ? (double)n->link_chars / n->text_chars : 0.0;
}

static int tag_bonus(int tag) {
    switch (tag) {
    case T_DIV:
    case T_ARTICLE:
    case T_MAIN:
    case T_SECTION:
        return 5;
    case T_PRE:
    case T_TD:
    case T_BLOCKQUOTE:
        return 3;
    case T_ADDRESS:
    case T_OL:
    case T_UL:
    case T_DL:
    case T_DD:
    case T_DT:
    case T_LI:
    case T_FORM:
        return -3;
    case T_H1:
    case T_H2:
    case T_H3:
    case T_H4:
    case T_H5:
    case T_H6:
    case T_TH:
        return -5;
    default:
        return 0;
    }
}

static int is_para_tag(int tag) {
    switch (tag) {
    case T_P:
    case T_PRE:
    case T_TD:
    case T_TH:
    case T_LI:
    case T_BLOCKQUOTE:
    case T_DD:
    case T_H1:
    case T_H2:
    case T_H3:
    case T_H4:
    case T_H5:
    case T_H6:
    case T_FIGCAPTION:
    case T_CAPTION:
    case T_DT:
        return 1;
    default:
        return 0;
    }
}

static void touch(ctx *c, int n) {
    if (c->scored[n])
        return;
    c->scored[n] = 1;
    bp_node *nd = &c->pg->nodes[n];
    c->score[n] = tag_bonus(nd->tag) + nd->weight;
    if (nd->flags & NF_BODYPROP)
        c->score[n] += 25;
    if (nd->flags & NF_ARTICLE)
        c->score[n] += 10;
}

/* Whether anc is n or above it, looking at most 256 levels up: deeper relations do not occur in
 * real pages, and the bound keeps absurdly nested input linear. */
static int is_ancestor(const bp_page *pg, int anc, int n) {
    for (int steps = 0; n >= 0 && steps < 256 && pg->nodes[n].depth >= pg->nodes[anc].depth;
         steps++) {
        if (n == anc)
            return 1;
        n = pg->nodes[n].parent;
    }
    return 0;
}

/* Short prompt-like blocks inside an article ("Advertisement", "Read more") are dropped. */
static int junk_block(const bp_block *b, const char *s) {
    if (b->chars > 80)
        return 0;
    return bp_junk_line(s, b->len);
}

/* Inherited flags, the text and link totals of each subtree, and the page's first h1. */
static void sum_subtrees(ctx *c) {
    bp_page *pg = c->pg;
    size_t nn = pg->n_nodes, nb = pg->n_blocks;
    /* inherited flags: parents come before children in the node array */
    for (size_t i = 0; i < nn; i++) {
        bp_node *n = &pg->nodes[i];
        n->text_chars = n->link_chars = n->blocks = 0;
        c->inh[i] = n->flags | (n->parent >= 0 ? c->inh[n->parent] : 0);
    }
    /* text and link totals per subtree: each block counts at its node, then children add
     * into parents from the back (linear even for pathologically deep pages) */
    for (size_t i = 0; i < nb; i++) {
        const bp_block *b = &pg->blocks[i];
        bp_node *n = &pg->nodes[b->node];
        n->text_chars += b->chars;
        n->link_chars += b->link_chars;
        n->blocks++;
        if (b->kind == BK_HEADING && b->level == 1 && !pg->h1)
            pg->h1 = bp_strndup(pg->text.data + b->off, b->len);
    }
    for (size_t i = nn; i-- > 1;) {
        bp_node *n = &pg->nodes[i];
        if (n->parent >= 0) {
            pg->nodes[n->parent].text_chars += n->text_chars;
            pg->nodes[n->parent].link_chars += n->link_chars;
            pg->nodes[n->parent].blocks += n->blocks;
        }
    }
}

/* Score each paragraph into its ancestors; the best-scored node, or -1 when none. */
static int best_candidate(ctx *c) {
    bp_page *pg = c->pg;
    size_t nn = pg->n_nodes, nb = pg->n_blocks;
    for (size_t i = 0; i < nb; i++) {
        const bp_block *b = &pg->blocks[i];
        if (b->chars < 25 || (c->inh[b->node] & (NF_HARD_NEG | NF_COMMENT)) ||
            b->kind == BK_HEADING)
            continue;
        double ld = b->chars ? (double)b->link_chars / b->chars : 0;
        if (ld > 0.5)
            continue;
        double s = 1.0 + b->commas + (b->chars / 100 < 3 ? b->chars / 100 : 3);
        /* prose is full of function words, menus and teasers are not (jusText's signal) */
        if (b->words >= 8 && b->stops * 4 >= b->words)
            s += 1;
        int n = b->node;
        if (is_para_tag(pg->nodes[n].tag))
            n = pg->nodes[n].parent;
        for (int level = 0; n >= 0 && level < 5; level++, n = pg->nodes[n].parent) {
            touch(c, n);
            c->score[n] += s / (level == 0 ? 1 : level == 1 ? 2 : level * 3);
        }
    }
    int top = -1;
    for (size_t i = 0; i < nn; i++) {
        if (!c->scored[i])
            continue;
        if (c->inh[i] & (NF_HARD_NEG | NF_COMMENT))
            c->score[i] *= 0.2;
        c->score[i] *= 1.0 - link_density(&pg->nodes[i]);
        if (top < 0 || c->score[i] > c->score[top])
            top = (int)i;
    }
    return top;
}

/* Several strong candidates under one ancestor: the article was split (ads, inline widgets),
 * take the ancestor. */
static int join_split_article(const ctx *c, int top) {
    const bp_page *pg = c->pg;
    int alt[5], nalt = 0;
    for (size_t i = 0; i < pg->n_nodes && nalt < 5; i++)
        if (c->scored[i] && (int)i != top && c->score[i] >= 0.75 * c->score[top] &&
            !is_ancestor(pg, (int)i, top) && !is_ancestor(pg, top, (int)i))
            alt[nalt++] = (int)i;
    if (nalt < 2)
        return top;
    int up = 0;
    for (int p = pg->nodes[top].parent; p > 0 && up < 8; p = pg->nodes[p].parent, up++) {
        int cnt = 0;
        for (int k = 0; k < nalt; k++)
            cnt += is_ancestor(pg, p, alt[k]);
        if (cnt >= 2)
            return p;
    }
    return top;
}

/* Climbing while the score goes up finds content spread over sibling containers; then an
 * only child gives way to its parent, which holds the same content plus maybe more. */
static int climb(const ctx *c, int top) {
    const bp_page *pg = c->pg;
    double last = c->score[top], thr = last / 3;
    for (int p = pg->nodes[top].parent; p > 0; p = pg->nodes[p].parent) {
        if (!c->scored[p])
            continue;
        if (c->score[p] < thr)
            break;
        if (c->score[p] > last) {
            top = p;
            break;
        }
        last = c->score[p];
    }
    for (;;) {
        int p = pg->nodes[top].parent;
        if (p <= 0 || pg->nodes[p].text_chars != pg->nodes[top].text_chars ||
            (c->inh[p] & NF_HARD_NEG))
            break;
        top = p;
    }
    return top;
}

/* Siblings of the top that look like more of the same join the selection. */
static void select_siblings(ctx *c, int top) {
    const bp_page *pg = c->pg;
    int parent = pg->nodes[top].parent;
    double thr2 = c->score[top] * 0.2 > 10 ? c->score[top] * 0.2 : 10;
    c->sel[top] = 1;
    if (parent < 0)
        return;
    for (size_t i = 1; i < pg->n_nodes; i++) {
        const bp_node *n = &pg->nodes[i];
        if (n->parent != parent || (int)i == top || !n->text_chars)
            continue;
        if (n->flags & (NF_HARD_NEG | NF_COMMENT))
            continue;
        double ld = link_density(n);
        int take = c->scored[i] && c->score[i] >= thr2;
        if (!take && n->tag == T_P) {
            if (n->text_chars > 80 && ld < 0.25)
                take = 1;
        }
        if (take)
            c->sel[i] = 1;
    }
}

/* An article cut into same-styled sections (text, figure, text ...): siblings of the top or
 * of its near ancestors that share its class and hold prose join it. */
static void select_same_class_sections(ctx *c, int top) {
    const bp_page *pg = c->pg;
    int a = top;
    for (int level = 0; level < 4 && a > 0; level++, a = pg->nodes[a].parent) {
        const bp_node *an = &pg->nodes[a];
        if (!an->cls || (c->inh[a] & (NF_HARD_NEG | NF_COMMENT)))
            continue;
        int found = 0;
        for (size_t i = 1; i < pg->n_nodes; i++) {
            const bp_node *n = &pg->nodes[i];
            if ((int)i == a || n->parent != an->parent || n->cls != an->cls || n->tag != an->tag ||
                n->text_chars < 100 || link_density(n) > 0.3 ||
                (n->flags & (NF_HARD_NEG | NF_COMMENT | NF_NEG)))
                continue;
            c->sel[i] = 1;
            found = 1;
        }
        if (found) {
            c->sel[a] = 1;
            break;
        }
    }
}

/* Flags between a selected root and each node; parents come first. A weak negative hint on a
 * node full of prose is ignored (Readability's conditional cleaning, simplified). */
static void mark_selected_subtrees(ctx *c) {
    const bp_page *pg = c->pg;
    for (size_t i = 0; i < pg->n_nodes; i++) {
        const bp_node *n = &pg->nodes[i];
        uint32_t f = n->flags;
        double ld = link_density(n);
        if (n->text_chars >= 200 && ld < 0.25)
            f &= ~(uint32_t)(NF_WEAKNEG | NF_BYLINE | NF_CAPTION);
        if (n->text_chars >= 1000 && ld < 0.15 && !(f & NF_COMMENT))
            f &= ~(uint32_t)NF_NEG;
        if (c->sel[i]) {
            c->sel[i] = 1;
            c->subflag[i] = 0;
        } else if (n->parent >= 0 && c->sel[n->parent]) {
            c->sel[i] = 2;
            c->subflag[i] = c->subflag[n->parent] | f;
        }
    }
}

/* Whether a heading inside the selection is kept. */
static int keep_heading(const ctx *c, const bp_block *b, const char *s, uint32_t f, double ld,
                        const bp_result *res, int seen_para) {
    if (!c->opt->keep_headings || (f & (NF_NEG | NF_WEAKNEG)) || ld > 0.5)
        return 0;
    if (res->title && bp_same_title(s, res->title))
        return 0;
    if (b->level == 1 && !seen_para)
        return 0; /* the headline above the text is the title, kept as metadata */
    return 1;
}

/* Whether a text block inside the selection is kept. */
static int keep_text(const ctx *c, const bp_block *b, const char *s, uint32_t f, double ld,
                     int top) {
    if (ld > 0.5 || (b->kind == BK_LI && ld > 0.3))
        return 0;
    if ((f & NF_BYLINE) && b->chars < 150)
        return 0;
    if (f & NF_NEG)
        return 0;
    if ((f & NF_WEAKNEG) && !(b->chars >= 150 && ld < 0.1 && b->ends_sentence))
        return 0;
    if (junk_block(b, s))
        return 0;
    if ((int)b->chars < c->opt->min_paragraph_length && !b->ends_sentence)
        return 0;
    if (top < 0 && (b->chars < 50 || ld > 0.3))
        return 0;
    return 1;
}

/* Choose the blocks of the selection to keep (c->keep), then drop headings with no text after
 * them (a trailing "Related stories"). */
static void choose_blocks(ctx *c, int top, const bp_result *res) {
    const bp_page *pg = c->pg;
    const bp_options *opt = c->opt;
    size_t nb = pg->n_blocks;
    int seen_para = 0;
    for (size_t i = 0; i < nb; i++) {
        const bp_block *b = &pg->blocks[i];
        const char *s = pg->text.data + b->off;
        if (!c->sel[b->node])
            continue;
        uint32_t f = c->subflag[b->node];
        if (top < 0)
            f |= c->inh[b->node];
        if (f & NF_HARD_NEG)
            continue;
        if ((f & NF_COMMENT) && !opt->keep_comments)
            continue;
        if ((f & NF_CAPTION || b->kind == BK_CAPTION) && !opt->keep_captions)
            continue;
        if (b->kind == BK_CELL && !opt->keep_tables)
            continue;
        double ld = b->chars ? (double)b->link_chars / b->chars : 0;
        if (b->kind == BK_HEADING) {
            if (keep_heading(c, b, s, f, ld, res, seen_para))
                c->keep[i] = 2;
            continue;
        }
        if (keep_text(c, b, s, f, ld, top)) {
            c->keep[i] = 1;
            seen_para = 1;
        }
    }
    int seen_text = 0;
    for (size_t i = nb; i-- > 0;) {
        if (c->keep[i] == 1)
            seen_text = 1;
        else if (c->keep[i] == 2 && !seen_text)
            c->keep[i] = 0;
    }
    /* Repeated blocks are kept: pages legitimately repeat (menus of a meal plan, table
     * rows), and measured, dropping them lost more than it gained. */
}

/* The kept blocks joined by blank lines into res->text; 0, or -1 when out of memory. */
static int write_article(const ctx *c, bp_result *res) {
    const bp_page *pg = c->pg;
    bp_buf out = {0};
    int written = 0;
    size_t kept_chars = 0;
    for (size_t i = 0; i < pg->n_blocks; i++) {
        if (!c->keep[i])
            continue;
        const bp_block *b = &pg->blocks[i];
        if (out.len)
            bp_buf_put(&out, "\n\n", 2);
        bp_buf_put(&out, pg->text.data + b->off, b->len);
        written++;
        kept_chars += b->chars;
    }
    if (out.oom) {
        bp_buf_free(&out);
        return -1;
    }
    if (kept_chars < 80)
        res->article_found = 0;
    res->paragraphs = written;
    res->text = out.data ? out.data : calloc(1, 1);
    res->text_len = out.len;
    return res->text ? 0 : -1;
}

#ifdef BP_DEBUG
static void debug_dump(const ctx *c, int top) {
    const bp_page *pg = c->pg;
    fprintf(stderr, "top=%d tag=%d score=%.1f chars=%u\n", top, top >= 0 ? pg->nodes[top].tag : -1,
            top >= 0 ? c->score[top] : 0, top >= 0 ? pg->nodes[top].text_chars : 0);
    for (size_t i = 0; i < pg->n_blocks; i++)
        fprintf(stderr, "[%c sel=%d f=%03x n=%d t=%d] %.70s\n", c->keep[i] ? 'K' : '-',
                c->sel[pg->blocks[i].node], c->subflag[pg->blocks[i].node], pg->blocks[i].node,
                pg->nodes[pg->blocks[i].node].tag, pg->text.data + pg->blocks[i].off);
}
#endif

int bp_extract_page(bp_page *pg, const bp_options *opt, bp_result *res) {
    size_t nn = pg->n_nodes ? pg->n_nodes : 1, nb = pg->n_blocks ? pg->n_blocks : 1;
    ctx c = {pg, opt, NULL, NULL, NULL, NULL, NULL, NULL};
    int rc = -1;
    c.score = calloc(nn, sizeof *c.score);
    c.scored = calloc(nn, 1);
    c.sel = calloc(nn, 1);
    c.subflag = calloc(nn, sizeof *c.subflag);
    c.inh = calloc(nn, sizeof *c.inh);
    c.keep = calloc(nb, 1);
    if (c.score && c.scored && c.sel && c.subflag && c.inh && c.keep) {
        sum_subtrees(&c);
        int top = best_candidate(&c);
        res->article_found = top >= 0;
        if (top >= 0) {
            top = climb(&c, join_split_article(&c, top));
            select_siblings(&c, top);
            select_same_class_sections(&c, top);
        } else {
            c.sel[0] = 1; /* no candidate: best effort over the whole page */
        }
        mark_selected_subtrees(&c);
        choose_blocks(&c, top, res);
#ifdef BP_DEBUG
        debug_dump(&c, top);
#endif
        rc = write_article(&c, res);
    }
    free(c.score);
    free(c.scored);
    free(c.sel);
    free(c.subflag);
    free(c.inh);
    free(c.keep);
    return rc;
}
