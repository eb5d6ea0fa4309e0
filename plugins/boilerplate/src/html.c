/*
 * HTML parsing: libxml2's HTML parser in SAX mode feeds a compact page model (an element tree
 * without attributes, plus the text blocks between block-level boundaries). SAX skips building
 * libxml2's DOM, which measured about 1.5x faster on the benchmark pages, and the model keeps
 * only what scoring needs.
 */
#include "bp_internal.h"

#include <ctype.h>
#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <stdlib.h>
#include <string.h>

typedef struct tagdef {
    const char *name;
    int tag;
} tagdef;

/* Sorted by name for bsearch. */
static const tagdef tags[] = {
    {"a", T_A},
    {"address", T_ADDRESS},
    {"article", T_ARTICLE},
    {"aside", T_ASIDE},
    {"audio", T_AUDIO},
    {"b", T_B},
    {"blockquote", T_BLOCKQUOTE},
    {"body", T_BODY},
    {"br", T_BR},
    {"button", T_BUTTON},
    {"canvas", T_CANVAS},
    {"caption", T_CAPTION},
    {"center", T_CENTER},
    {"code", T_CODE},
    {"dd", T_DD},
    {"details", T_DETAILS},
    {"dialog", T_DIALOG},
    {"div", T_DIV},
    {"dl", T_DL},
    {"dt", T_DT},
    {"em", T_EM},
    {"embed", T_EMBED},
    {"figcaption", T_FIGCAPTION},
    {"figure", T_FIGURE},
    {"font", T_FONT},
    {"footer", T_FOOTER},
    {"form", T_FORM},
    {"h1", T_H1},
    {"h2", T_H2},
    {"h3", T_H3},
    {"h4", T_H4},
    {"h5", T_H5},
    {"h6", T_H6},
    {"head", T_HEAD},
    {"header", T_HEADER},
    {"hr", T_HR},
    {"html", T_HTML},
    {"i", T_I},
    {"iframe", T_IFRAME},
    {"img", T_IMG},
    {"input", T_INPUT},
    {"label", T_LABEL},
    {"li", T_LI},
    {"link", T_LINK},
    {"main", T_MAIN},
    {"math", T_MATH},
    {"menu", T_MENU},
    {"meta", T_META},
    {"nav", T_NAV},
    {"noscript", T_NOSCRIPT},
    {"object", T_OBJECT},
    {"ol", T_OL},
    {"option", T_OPTION},
    {"p", T_P},
    {"pre", T_PRE},
    {"script", T_SCRIPT},
    {"section", T_SECTION},
    {"select", T_SELECT},
    {"span", T_SPAN},
    {"strong", T_STRONG},
    {"style", T_STYLE},
    {"summary", T_SUMMARY},
    {"svg", T_SVG},
    {"table", T_TABLE},
    {"tbody", T_TBODY},
    {"td", T_TD},
    {"template", T_TEMPLATE},
    {"textarea", T_TEXTAREA},
    {"tfoot", T_TFOOT},
    {"th", T_TH},
    {"thead", T_THEAD},
    {"time", T_TIME},
    {"title", T_TITLE},
    {"tr", T_TR},
    {"ul", T_UL},
    {"video", T_VIDEO},
};

static int tagcmp(const void *k, const void *e) {
    return strcmp((const char *)k, ((const tagdef *)e)->name);
}

static int lookup_tag(const char *name) {
    const tagdef *d = bsearch(name, tags, sizeof tags / sizeof *tags, sizeof *tags, tagcmp);
    return d ? d->tag : T_OTHER;
}

/* Subtrees whose text is never article text. */
static int is_skip_tag(int t) {
    switch (t) {
    case T_SCRIPT:
    case T_STYLE:
    case T_NOSCRIPT:
    case T_TEMPLATE:
    case T_SVG:
    case T_MATH:
    case T_SELECT:
    case T_OPTION:
    case T_TEXTAREA:
    case T_IFRAME:
    case T_OBJECT:
    case T_EMBED:
    case T_CANVAS:
    case T_VIDEO:
    case T_AUDIO:
    case T_BUTTON:
        return 1;
    default:
        return 0;
    }
}

/* Elements whose start or end ends a text block. */
static int is_block_tag(int t) {
    switch (t) {
    case T_HTML:
    case T_BODY:
    case T_DIV:
    case T_P:
    case T_BR:
    case T_HR:
    case T_H1:
    case T_H2:
    case T_H3:
    case T_H4:
    case T_H5:
    case T_H6:
    case T_UL:
    case T_OL:
    case T_LI:
    case T_DL:
    case T_DT:
    case T_DD:
    case T_TABLE:
    case T_TBODY:
    case T_THEAD:
    case T_TFOOT:
    case T_TR:
    case T_CAPTION:
    case T_BLOCKQUOTE:
    case T_PRE:
    case T_ARTICLE:
    case T_SECTION:
    case T_MAIN:
    case T_HEADER:
    case T_FOOTER:
    case T_NAV:
    case T_ASIDE:
    case T_FIGURE:
    case T_FIGCAPTION:
    case T_FORM:
    case T_ADDRESS:
    case T_CENTER:
    case T_MENU:
    case T_DIALOG:
    case T_DETAILS:
    case T_SUMMARY:
    case T_IMG:
        return 1;
    default:
        return 0;
    }
}

typedef struct frame {
    int node;       /* node index, -1 inside skipped subtrees */
    int block_node; /* nearest block-level node at or above */
    uint16_t tag;
    uint8_t skip_root, in_link;
} frame;

typedef struct sax_state {
    bp_page *page;
    frame *stack;
    size_t depth, cap;
    int skip;       /* > 0 inside a skipped subtree */
    int link_depth; /* inside <a> */
    int pre_depth;
    int in_title;
    bp_buf title;
    int in_jsonld; /* inside <script type=application/ld+json>: read for metadata */
    bp_buf jsonld;
    /* the open block */
    int open;
    size_t start;
    uint32_t link_chars;
    int pending_space;
    int open_node;
} sax_state;

/* ---- class/id hints ---- */

/* `w` as a whole token or hyphen/underscore part, optionally plural: a plain substring search
 * for "ad" would hit "header", for "meta" "metadata". */
static int has_part(const char *s, const char *w) {
    size_t k = strlen(w);
    for (const char *p = s; (p = strstr(p, w)) != NULL; p += k) {
        int left = p == s || p[-1] == ' ' || p[-1] == '-' || p[-1] == '_';
        const char *q = p + k;
        if (*q == 's')
            q++;
        int right = *q == '\0' || *q == ' ' || *q == '-' || *q == '_';
        if (left && right)
            return 1;
    }
    return 0;
}

/* Strong negatives mark boilerplate even next to a positive word ("related-content"); weak
 * ones only when no positive word is there ("widget" in "widget-post-content" is not). */
static const char *const strong_neg[] = {
    "share",        "sharing",       "social",    "related",  "sidebar",    "footer",   "nav",
    "menu",         "breadcrumb",    "promo",     "advert",   "sponsor",    "cookie",   "consent",
    "newsletter",   "subscri",       "signup",    "sign-up",  "recommend",  "outbrain", "taboola",
    "more-stories", "read-more",     "readmore",  "tags",     "pagination", "pager",    "disqus",
    "trending",     "popular",       "most-read", "mostread", "author-bio", "shoutbox", "also-read",
    "top-stories",  "headline-list", "subnav",    "paywall",  "login",      "rating",
};
static const char *const weak_neg[] = {
    "banner",  "popup",  "modal", "widget", "masthead", "toolbar",   "skip",
    "hidden",  "hide",   "print", "follow", "bio",      "tooltip",   "dropdown",
    "overlay", "teaser", "card",  "jump",   "email",    "nocontent", "inline-link",
};
static const char *const pos_words[] = {"article", "content", "entry",  "main", "post",
                                        "story",   "text",    "body",   "blog", "prose",
                                        "page",    "detail",  "column", "rich"};

static int any_word(const char *s, const char *const *w, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (strstr(s, w[i]))
            return 1;
    return 0;
}

/* Flags and weight from one class or id value (lower-cased copy). */
static void class_hints(const char *v, uint32_t *flags, int *weight) {
    char low[256];
    size_t n = 0;
    for (; v[n] && n + 1 < sizeof low; n++)
        low[n] = (char)tolower((unsigned char)v[n]);
    low[n] = '\0';
    if (!n)
        return;
    int pos = any_word(low, pos_words, sizeof pos_words / sizeof *pos_words);
    int neg =
        any_word(low, strong_neg, sizeof strong_neg / sizeof *strong_neg) || has_part(low, "ad");
    if (!neg && !pos && any_word(low, weak_neg, sizeof weak_neg / sizeof *weak_neg)) {
        *flags |= NF_WEAKNEG;
        *weight -= 25;
    }
    if (strstr(low, "comment") && !strstr(low, "commentary")) {
        *flags |= NF_COMMENT;
        neg = 1;
    }
    if (strstr(low, "caption") || strstr(low, "credit") || strstr(low, "photo-") ||
        strstr(low, "image-") || strstr(low, "img-")) {
        *flags |= NF_CAPTION;
        neg = 1;
    }
    if (strstr(low, "byline") || strstr(low, "author") || strstr(low, "dateline") ||
        strstr(low, "timestamp") || strstr(low, "published") || has_part(low, "meta") ||
        has_part(low, "date")) {
        *flags |= NF_BYLINE;
        neg = 1;
    }
    if (strstr(low, "articlebody") || strstr(low, "article-body") || strstr(low, "article_body") ||
        strstr(low, "story-body") || strstr(low, "storybody") || strstr(low, "post-body") ||
        strstr(low, "entry-content") || strstr(low, "post-content") ||
        strstr(low, "article-content") || strstr(low, "article__body") ||
        strstr(low, "story-content") || strstr(low, "article-text"))
        *flags |= NF_BODYPROP;
    if (neg) {
        *weight -= 25;
        *flags |= NF_NEG;
    }
    if (pos) {
        *weight += 25;
        *flags |= NF_POS;
    }
}

static int block_kind(int tag) {
    switch (tag) {
    case T_P:
        return BK_P;
    case T_H1:
    case T_H2:
    case T_H3:
    case T_H4:
    case T_H5:
    case T_H6:
        return BK_HEADING;
    case T_LI:
        return BK_LI;
    case T_BLOCKQUOTE:
        return BK_QUOTE;
    case T_PRE:
        return BK_PRE;
    case T_TR:
        return BK_CELL;
    case T_FIGCAPTION:
    case T_CAPTION:
        return BK_CAPTION;
    case T_DT:
    case T_DD:
        return BK_DT;
    default:
        return BK_TEXT;
    }
}

static int is_space(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Whether text ends like a sentence (closing quotes and brackets after the stop count). */
static int ends_sentence(const char *s, size_t n) {
    static const char *const ends[] = {".",
                                       "!",
                                       "?",
                                       ":",
                                       "\"",
                                       ")",
                                       "\xE2\x80\x9D",
                                       "\xE2\x80\x99",
                                       "\xE3\x80\x82",
                                       "\xEF\xBC\x81",
                                       "\xEF\xBC\x9F",
                                       "\xC2\xBB",
                                       "'"};
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++) {
        size_t k = strlen(ends[i]);
        if (n >= k && memcmp(s + n - k, ends[i], k) == 0)
            return 1;
    }
    return 0;
}

/* Finish the open block: trim, count and store it. */
static void close_block(sax_state *st) {
    if (!st->open)
        return;
    st->open = 0;
    bp_page *pg = st->page;
    bp_buf *t = &pg->text;
    while (t->len > st->start && is_space((unsigned char)t->data[t->len - 1]))
        t->len--;
    if (t->oom)
        return;
    if (t->len == st->start)
        return;
    bp_buf_putc(t, '\0');
    if (pg->n_blocks == pg->cap_blocks) {
        size_t cap = pg->cap_blocks ? pg->cap_blocks * 2 : 64;
        bp_block *b = realloc(pg->blocks, cap * sizeof *b);
        if (!b) {
            pg->oom = 1;
            return;
        }
        pg->blocks = b;
        pg->cap_blocks = cap;
    }
    bp_block *b = &pg->blocks[pg->n_blocks++];
    memset(b, 0, sizeof *b);
    b->node = st->open_node;
    b->off = st->start;
    b->len = t->len - 1 - st->start;
    b->link_chars = st->link_chars;
    int tag = pg->nodes[b->node].tag;
    b->kind = (uint8_t)block_kind(tag);
    if (b->kind == BK_HEADING)
        b->level = (uint8_t)(tag - T_H1 + 1);
    const unsigned char *s = (const unsigned char *)t->data + b->off;
    size_t i = 0, n = b->len;
    while (i < n) {
        unsigned char c = s[i];
        if ((c & 0xC0) != 0x80)
            b->chars++;
        if (isalnum(c) || c >= 0x80) {
            size_t w = i;
            while (i < n && (isalnum(s[i]) || s[i] >= 0x80 || s[i] == '\'' || s[i] == '-')) {
                if ((s[i] & 0xC0) != 0x80 && i > w)
                    b->chars++;
                i++;
            }
            b->words++;
            if (bp_is_stopword((const char *)s + w, i - w))
                b->stops++;
            continue;
        }
        if (c == ',')
            b->commas++;
        if (c == '.' || c == '!' || c == '?' || c == ';')
            b->puncts++;
        i++;
    }
    b->ends_sentence = (uint8_t)ends_sentence((const char *)s, n);
}

static int add_node(sax_state *st, int tag, int parent) {
    bp_page *pg = st->page;
    if (pg->n_nodes == pg->cap_nodes) {
        size_t cap = pg->cap_nodes ? pg->cap_nodes * 2 : 256;
        bp_node *n = realloc(pg->nodes, cap * sizeof *n);
        if (!n) {
            pg->oom = 1;
            return -1;
        }
        pg->nodes = n;
        pg->cap_nodes = cap;
    }
    bp_node *n = &pg->nodes[pg->n_nodes];
    memset(n, 0, sizeof *n);
    n->parent = parent;
    n->tag = (uint16_t)tag;
    n->depth = parent >= 0 && pg->nodes[parent].depth < 65535 ? pg->nodes[parent].depth + 1 : 0;
    return (int)pg->n_nodes++;
}

static int push(sax_state *st, frame f) {
    if (st->depth == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 64;
        frame *s = realloc(st->stack, cap * sizeof *s);
        if (!s) {
            st->page->oom = 1;
            return -1;
        }
        st->stack = s;
        st->cap = cap;
    }
    st->stack[st->depth++] = f;
    return 0;
}

static int hidden_style(const char *v) {
    char low[128];
    size_t n = 0, j = 0;
    for (; v[n] && j + 1 < sizeof low; n++)
        if (!is_space((unsigned char)v[n]))
            low[j++] = (char)tolower((unsigned char)v[n]);
    low[j] = '\0';
    return strstr(low, "display:none") || strstr(low, "visibility:hidden");
}

static void sax_start(void *ctx, const xmlChar *xname, const xmlChar **xattrs) {
    sax_state *st = ctx;
    bp_page *pg = st->page;
    const char *name = (const char *)xname;
    const char *const *attrs = (const char *const *)xattrs;
    int tag = lookup_tag(name);
    frame f = {-1, 0, (uint16_t)tag, 0, 0};
    if (st->depth)
        f.block_node = st->stack[st->depth - 1].block_node;
    if (st->skip) {
        push(st, f);
        return;
    }
    if (tag == T_META || tag == T_LINK || tag == T_HTML) {
        bp_meta_observe(pg, tag, attrs);
    } else if (attrs) {
        for (size_t i = 0; attrs[i]; i += 2)
            if (!strcmp(attrs[i], "itemprop")) {
                bp_meta_observe(pg, tag, attrs);
                break;
            }
    }
    if (tag == T_TITLE && !pg->title_tag) {
        st->in_title = 1;
        st->title.len = 0;
    }
    int skip = is_skip_tag(tag);
    uint32_t flags = 0, cls = 0;
    int weight = 0;
    if (attrs) {
        for (size_t i = 0; attrs[i]; i += 2) {
            const char *k = attrs[i], *v = attrs[i + 1] ? attrs[i + 1] : "";
            if (!strcmp(k, "class") || !strcmp(k, "id")) {
                class_hints(v, &flags, &weight);
                if (k[0] == 'c') {
                    cls = 2166136261u;
                    for (const char *p = v; *p; p++)
                        cls = (cls ^ (unsigned char)*p) * 16777619u;
                    cls |= 1; /* never 0 */
                }
            } else if (!strcmp(k, "itemprop")) {
                if (strstr(v, "articleBody") || strstr(v, "reviewBody") || strstr(v, "text") == v)
                    flags |= NF_BODYPROP | NF_ARTICLE;
            } else if (!strcmp(k, "role")) {
                if (!strcmp(v, "navigation") || !strcmp(v, "complementary") ||
                    !strcmp(v, "contentinfo") || !strcmp(v, "banner") || !strcmp(v, "menu") ||
                    !strcmp(v, "dialog") || !strcmp(v, "alert"))
                    flags |= NF_HARD_NEG;
                else if (!strcmp(v, "main") || !strcmp(v, "article"))
                    flags |= NF_ARTICLE;
            } else if (!strcmp(k, "hidden")) {
                skip = 1;
            } else if (!strcmp(k, "style")) {
                if (hidden_style(v))
                    skip = 1;
            } else if (!strcmp(k, "aria-hidden")) {
                if (!strcmp(v, "true"))
                    flags |= NF_HARD_NEG;
            }
        }
    }
    if (skip) {
        close_block(st);
        if (tag == T_SCRIPT && attrs)
            for (size_t i = 0; attrs[i]; i += 2)
                if (!strcmp(attrs[i], "type") && attrs[i + 1] &&
                    !strcmp(attrs[i + 1], "application/ld+json")) {
                    st->in_jsonld = 1;
                    st->jsonld.len = 0;
                }
        f.skip_root = 1;
        st->skip++;
        push(st, f);
        return;
    }
    switch (tag) {
    case T_NAV:
    case T_ASIDE:
    case T_FOOTER:
    case T_MENU:
    case T_DIALOG:
    case T_HEAD:
        flags |= NF_HARD_NEG;
        break;
    case T_ARTICLE:
    case T_MAIN:
        flags |= NF_ARTICLE;
        break;
    case T_FIGCAPTION:
        flags |= NF_CAPTION;
        break;
    case T_ADDRESS:
        flags |= NF_BYLINE;
        break;
    default:
        break;
    }
    int block = is_block_tag(tag);
    if (block)
        close_block(st);
    else if ((tag == T_TD || tag == T_TH) && st->open)
        st->pending_space = 1; /* a table row is one block, its cells separated by spaces */
    /* the synthetic root frame is always at the bottom and skipped subtrees returned above,
     * so the parent is a real node */
    int parent = st->stack[st->depth - 1].node;
    int id = add_node(st, tag, parent);
    if (id < 0) {
        push(st, f); /* keep the stack balanced with the end events; the result is an error */
        return;
    }
    pg->nodes[id].flags = flags;
    pg->nodes[id].weight = weight;
    pg->nodes[id].cls = cls;
    f.node = id;
    if (block)
        f.block_node = id;
    if (tag == T_A) {
        st->link_depth++;
        f.in_link = 1;
    }
    if (tag == T_PRE)
        st->pre_depth++;
    push(st, f);
}

static void sax_end(void *ctx, const xmlChar *name) {
    sax_state *st = ctx;
    (void)name;
    if (st->depth <= 1) /* never pop the synthetic root */
        return;
    frame f = st->stack[--st->depth];
    if (f.skip_root) {
        st->skip--;
        if (st->in_jsonld && f.tag == T_SCRIPT) {
            st->in_jsonld = 0;
            if (st->jsonld.len)
                bp_meta_jsonld(st->page, st->jsonld.data, st->jsonld.len);
        }
        return;
    }
    if (st->skip)
        return;
    if (f.tag == T_TITLE && st->in_title) {
        st->in_title = 0;
        if (!st->page->title_tag && st->title.len)
            st->page->title_tag = bp_strndup(st->title.data, st->title.len);
    }
    if (f.in_link)
        st->link_depth--;
    if (f.tag == T_PRE)
        st->pre_depth--;
    if (is_block_tag(f.tag))
        close_block(st);
}

static void sax_text(void *ctx, const xmlChar *xs, int len) {
    sax_state *st = ctx;
    if (st->in_jsonld && len > 0 && st->jsonld.len < 262144) {
        bp_buf_put(&st->jsonld, (const char *)xs, (size_t)len);
        return;
    }
    if (st->skip || len <= 0)
        return;
    const char *s = (const char *)xs;
    if (st->in_title) {
        if (st->title.len < 4096)
            bp_buf_put(&st->title, s, (size_t)len);
        return;
    }
    bp_buf *t = &st->page->text;
    if (bp_buf_reserve(t, (size_t)len + 1))
        return;
    for (int i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_space(c) && !(st->pre_depth && c == '\n')) {
            if (st->open)
                st->pending_space = 1;
            continue;
        }
        if (!st->open) {
            if (st->pre_depth == 0 || !is_space(c)) {
                st->open = 1;
                st->start = t->len;
                st->link_chars = 0;
                st->pending_space = 0;
                st->open_node = st->stack[st->depth - 1].block_node;
            } else {
                continue;
            }
        }
        if (st->pending_space) {
            t->data[t->len++] = ' ';
            st->pending_space = 0;
        }
        t->data[t->len++] = (char)c;
        if (st->link_depth && (c & 0xC0) != 0x80 && !is_space(c))
            st->link_chars++;
    }
    t->data[t->len] = '\0';
}

static void sax_noerr(void *ctx, const char *msg, ...) {
    (void)ctx;
    (void)msg;
}

int bp_parse_html(const char *utf8, size_t len, bp_page *page) {
    memset(page, 0, sizeof *page);
    if (len > INT32_MAX)
        len = INT32_MAX; /* libxml2 takes an int */
    sax_state st;
    memset(&st, 0, sizeof st);
    st.page = page;
    if (len == 0)
        return 0; /* libxml2 makes no context for an empty buffer: an empty page */
    htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt(utf8, (int)len);
    if (!ctxt)
        return -1;
    htmlCtxtUseOptions(ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC |
                                 HTML_PARSE_NOIMPLIED);
    htmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.startElement = sax_start;
    sax.endElement = sax_end;
    sax.characters = sax_text;
    sax.ignorableWhitespace = sax_text;
    sax.cdataBlock = sax_text;
    sax.warning = sax_noerr;
    sax.error = sax_noerr;
    sax.fatalError = sax_noerr;
    memcpy(ctxt->sax, &sax, sizeof sax);
    ctxt->userData = &st;
    xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
    /* a synthetic root so that text outside any element still has a node */
    frame root = {0, 0, T_OTHER, 0, 0};
    if (add_node(&st, T_OTHER, -1) == 0 && push(&st, root) == 0)
        htmlParseDocument(ctxt);
    close_block(&st);
    if (ctxt->myDoc)
        xmlFreeDoc(ctxt->myDoc);
    htmlFreeParserCtxt(ctxt);
    free(st.stack);
    bp_buf_free(&st.title);
    bp_buf_free(&st.jsonld);
    if (page->text.oom)
        page->oom = 1;
    return page->oom ? -1 : 0;
}

void bp_page_free(bp_page *p) {
    free(p->nodes);
    free(p->blocks);
    bp_buf_free(&p->text);
    free(p->title_tag);
    free(p->og_title);
    free(p->author);
    free(p->date);
    free(p->site_name);
    free(p->canonical);
    free(p->og_url);
    free(p->description);
    free(p->lang);
    free(p->h1);
    memset(p, 0, sizeof *p);
}
