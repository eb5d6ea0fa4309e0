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

int bp_extract_page(bp_page *pg, const bp_options *opt, bp_result *res) {
    size_t nn = pg->n_nodes, nb = pg->n_blocks;
    ctx c = {pg, opt, NULL, NULL, NULL, NULL};
    uint32_t *inh = NULL;
    uint8_t *keep = NULL;
    int rc = -1;
    bp_buf out = {0};
    c.score = calloc(nn ? nn : 1, sizeof *c.score);
    c.scored = calloc(nn ? nn : 1, 1);
    c.sel = calloc(nn ? nn : 1, 1);
    c.subflag = calloc(nn ? nn : 1, sizeof *c.subflag);
    inh = calloc(nn ? nn : 1, sizeof *inh);
    keep = calloc(nb ? nb : 1, 1);
    if (!c.score || !c.scored || !c.sel || !c.subflag || !inh || !keep)
        goto done;

    /* inherited flags: parents come before children in the node array */
    for (size_t i = 0; i < nn; i++) {
        bp_node *n = &pg->nodes[i];
        n->text_chars = n->link_chars = n->blocks = 0;
        inh[i] = n->flags | (n->parent >= 0 ? inh[n->parent] : 0);
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

    /* score paragraphs into their ancestors */
    for (size_t i = 0; i < nb; i++) {
        const bp_block *b = &pg->blocks[i];
        if (b->chars < 25 || (inh[b->node] & (NF_HARD_NEG | NF_COMMENT)) || b->kind == BK_HEADING)
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
            touch(&c, n);
            c.score[n] += s / (level == 0 ? 1 : level == 1 ? 2 : level * 3);
        }
    }
    int top = -1;
    for (size_t i = 0; i < nn; i++) {
        if (!c.scored[i])
            continue;
        if (inh[i] & (NF_HARD_NEG | NF_COMMENT))
            c.score[i] *= 0.2;
        c.score[i] *= 1.0 - link_density(&pg->nodes[i]);
        if (top < 0 || c.score[i] > c.score[top])
            top = (int)i;
    }
    res->article_found = top >= 0;

    if (top >= 0) {
        /* Several strong candidates under one ancestor: the article was split (ads, inline
         * widgets), take the ancestor. */
        int alt[5], nalt = 0;
        for (size_t i = 0; i < nn && nalt < 5; i++)
            if (c.scored[i] && (int)i != top && c.score[i] >= 0.75 * c.score[top] &&
                !is_ancestor(pg, (int)i, top) && !is_ancestor(pg, top, (int)i))
                alt[nalt++] = (int)i;
        if (nalt >= 2) {
            int up = 0;
            for (int p = pg->nodes[top].parent; p > 0 && up < 8; p = pg->nodes[p].parent, up++) {
                int cnt = 0;
                for (int k = 0; k < nalt; k++)
                    cnt += is_ancestor(pg, p, alt[k]);
                if (cnt >= 2) {
                    top = p;
                    break;
                }
            }
        }
        /* climbing while the score goes up finds content spread over sibling containers */
        double last = c.score[top], thr = last / 3;
        for (int p = pg->nodes[top].parent; p > 0; p = pg->nodes[p].parent) {
            if (!c.scored[p])
                continue;
            if (c.score[p] < thr)
                break;
            if (c.score[p] > last) {
                top = p;
                break;
            }
            last = c.score[p];
        }
        /* an only child: its parent holds the same content plus maybe more */
        for (;;) {
            int p = pg->nodes[top].parent;
            if (p <= 0 || pg->nodes[p].text_chars != pg->nodes[top].text_chars ||
                (inh[p] & NF_HARD_NEG))
                break;
            top = p;
        }
        /* siblings that look like more of the same */
        int parent = pg->nodes[top].parent;
        double thr2 = c.score[top] * 0.2 > 10 ? c.score[top] * 0.2 : 10;
        c.sel[top] = 1;
        if (parent >= 0) {
            for (size_t i = 1; i < nn; i++) {
                const bp_node *n = &pg->nodes[i];
                if (n->parent != parent || (int)i == top || !n->text_chars)
                    continue;
                if (n->flags & (NF_HARD_NEG | NF_COMMENT))
                    continue;
                double ld = link_density(n);
                int take = c.scored[i] && c.score[i] >= thr2;
                if (!take && n->tag == T_P) {
                    if (n->text_chars > 80 && ld < 0.25)
                        take = 1;
                }
                if (take)
                    c.sel[i] = 1;
            }
        }
        /* An article cut into same-styled sections (text, figure, text ...): siblings of the
         * top or of its near ancestors that share its class and hold prose join it. */
        int a = top;
        for (int level = 0; level < 4 && a > 0; level++, a = pg->nodes[a].parent) {
            const bp_node *an = &pg->nodes[a];
            if (!an->cls || (inh[a] & (NF_HARD_NEG | NF_COMMENT)))
                continue;
            int found = 0;
            for (size_t i = 1; i < nn; i++) {
                const bp_node *n = &pg->nodes[i];
                if ((int)i == a || n->parent != an->parent || n->cls != an->cls ||
                    n->tag != an->tag || n->text_chars < 100 || link_density(n) > 0.3 ||
                    (n->flags & (NF_HARD_NEG | NF_COMMENT | NF_NEG)))
                    continue;
                c.sel[i] = 1;
                found = 1;
            }
            if (found) {
                c.sel[a] = 1;
                break;
            }
        }
    } else {
        c.sel[0] = 1; /* no candidate: best effort over the whole page */
    }

    /* flags between a selected root and each node; parents come first. A weak negative hint
     * on a node full of prose is ignored (Readability's conditional cleaning, simplified). */
    for (size_t i = 0; i < nn; i++) {
        const bp_node *n = &pg->nodes[i];
        uint32_t f = n->flags;
        double ld = link_density(n);
        if (n->text_chars >= 200 && ld < 0.25)
            f &= ~(uint32_t)(NF_WEAKNEG | NF_BYLINE | NF_CAPTION);
        if (n->text_chars >= 1000 && ld < 0.15 && !(f & NF_COMMENT))
            f &= ~(uint32_t)NF_NEG;
        if (c.sel[i]) {
            c.sel[i] = 1;
            c.subflag[i] = 0;
        } else if (n->parent >= 0 && c.sel[n->parent]) {
            c.sel[i] = 2;
            c.subflag[i] = c.subflag[n->parent] | f;
        }
    }

    int seen_para = 0;
    for (size_t i = 0; i < nb; i++) {
        const bp_block *b = &pg->blocks[i];
        const char *s = pg->text.data + b->off;
        if (!c.sel[b->node])
            continue;
        uint32_t f = c.subflag[b->node];
        if (top < 0)
            f |= inh[b->node];
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
            if (!opt->keep_headings || (f & (NF_NEG | NF_WEAKNEG)) || ld > 0.5)
                continue;
            if (res->title && bp_same_title(s, res->title))
                continue;
            if (b->level == 1 && !seen_para)
                continue; /* the headline above the text is the title, kept as metadata */
            keep[i] = 2;
            continue;
        }
        if (ld > 0.5 || (b->kind == BK_LI && ld > 0.3))
            continue;
        if ((f & NF_BYLINE) && b->chars < 150)
            continue;
        if (f & NF_NEG)
            continue;
        if ((f & NF_WEAKNEG) && !(b->chars >= 150 && ld < 0.1 && b->ends_sentence))
            continue;
        if (junk_block(b, s))
            continue;
        if ((int)b->chars < opt->min_paragraph_length && !b->ends_sentence)
            continue;
        if (top < 0 && (b->chars < 50 || ld > 0.3))
            continue;
        keep[i] = 1;
        seen_para = 1;
    }
    /* headings with no text after them (a trailing "Related stories") go */
    {
        int seen_text = 0;
        for (size_t i = nb; i-- > 0;) {
            if (keep[i] == 1)
                seen_text = 1;
            else if (keep[i] == 2 && !seen_text)
                keep[i] = 0;
        }
    }
    /* Repeated blocks are kept: pages legitimately repeat (menus of a meal plan, table
     * rows), and measured, dropping them lost more than it gained. */
#ifdef BP_DEBUG
    fprintf(stderr, "top=%d tag=%d score=%.1f chars=%u\n", top, top >= 0 ? pg->nodes[top].tag : -1,
            top >= 0 ? c.score[top] : 0, top >= 0 ? pg->nodes[top].text_chars : 0);
    for (size_t i = 0; i < nb; i++)
        fprintf(stderr, "[%c sel=%d f=%03x n=%d t=%d] %.70s\n", keep[i] ? 'K' : '-',
                c.sel[pg->blocks[i].node], c.subflag[pg->blocks[i].node], pg->blocks[i].node,
                pg->nodes[pg->blocks[i].node].tag, pg->text.data + pg->blocks[i].off);
#endif
    int written = 0;
    size_t kept_chars = 0;
    for (size_t i = 0; i < nb; i++) {
        if (!keep[i])
            continue;
        const bp_block *b = &pg->blocks[i];
        if (out.len)
            bp_buf_put(&out, "\n\n", 2);
        bp_buf_put(&out, pg->text.data + b->off, b->len);
        written++;
        kept_chars += b->chars;
    }
    if (out.oom)
        goto done;
    if (kept_chars < 80)
        res->article_found = 0;
    res->paragraphs = written;
    res->text = out.data ? out.data : calloc(1, 1);
    res->text_len = out.len;
    out.data = NULL;
    rc = res->text ? 0 : -1;
done:
    bp_buf_free(&out);
    free(c.score);
    free(c.scored);
    free(c.sel);
    free(c.subflag);
    free(inh);
    free(keep);
    return rc;
}
