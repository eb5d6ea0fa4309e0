/* Page metadata: title, author, date, site name, canonical URL from <meta>, <link>, itemprop. */
#include "bp_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *attr(const char *const *attrs, const char *name) {
    if (!attrs)
        return NULL;
    for (size_t i = 0; attrs[i]; i += 2)
        if (!strcmp(attrs[i], name))
            return attrs[i + 1] ? attrs[i + 1] : "";
    return NULL;
}

static int ieq(const char *a, const char *b) {
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

static int in_list(const char *v, const char *const *list) {
    for (; *list; list++)
        if (ieq(v, *list))
            return 1;
    return 0;
}

/* Keep the first non-empty value seen for a field: pages put the primary tags first. */
static void set_once(bp_page *pg, char **field, const char *v) {
    if (*field || !v)
        return;
    while (*v && isspace((unsigned char)*v))
        v++;
    size_t n = strlen(v);
    while (n && isspace((unsigned char)v[n - 1]))
        n--;
    if (!n || n > 2000)
        return;
    *field = bp_strndup(v, n);
    if (!*field)
        pg->oom = 1;
}

static int looks_like_url(const char *v) {
    return !strncmp(v, "http://", 7) || !strncmp(v, "https://", 8) || v[0] == '/';
}

void bp_meta_observe(bp_page *pg, int tag, const char *const *attrs) {
    static const char *const titles[] = {"og:title", "twitter:title", NULL};
    static const char *const sites[] = {"og:site_name", "application-name", "publisher", NULL};
    static const char *const authors[] = {
        "author",          "article:author", "dc.creator",      "byl",
        "sailthru.author", "parsely-author", "dcterms.creator", NULL};
    static const char *const dates[] = {"article:published_time",
                                        "datepublished",
                                        "date",
                                        "pubdate",
                                        "publishdate",
                                        "dc.date",
                                        "dc.date.issued",
                                        "sailthru.date",
                                        "parsely-pub-date",
                                        "og:published_time",
                                        "publish-date",
                                        "dcterms.date",
                                        "article.published",
                                        "published_time",
                                        NULL};
    static const char *const descs[] = {"description", "og:description", NULL};
    if (tag == T_HTML) {
        set_once(pg, &pg->lang, attr(attrs, "lang"));
        return;
    }
    if (tag == T_LINK) {
        const char *rel = attr(attrs, "rel");
        if (rel && ieq(rel, "canonical"))
            set_once(pg, &pg->canonical, attr(attrs, "href"));
        return;
    }
    const char *key = NULL, *val = NULL;
    if (tag == T_META) {
        key = attr(attrs, "property");
        if (!key)
            key = attr(attrs, "name");
        if (!key)
            key = attr(attrs, "itemprop");
        val = attr(attrs, "content");
    } else {
        key = attr(attrs, "itemprop");
        val = attr(attrs, "datetime");
        if (!val)
            val = attr(attrs, "content");
    }
    if (!key || !val)
        return;
    if (in_list(key, titles))
        set_once(pg, &pg->og_title, val);
    else if (in_list(key, sites))
        set_once(pg, &pg->site_name, val);
    else if (ieq(key, "og:url"))
        set_once(pg, &pg->og_url, val);
    else if (in_list(key, authors) && !looks_like_url(val))
        set_once(pg, &pg->author, val);
    else if (in_list(key, dates))
        set_once(pg, &pg->date, val);
    else if (in_list(key, descs))
        set_once(pg, &pg->description, val);
}

/* The JSON string value after `key` ("key": "value"), unescaped into out; 0 when absent. A
 * scan, not a parser: schema.org blocks are small and a miss only loses a metadata field. */
static int json_string_after(const char *s, const char *end, const char *key, char *out,
                             size_t cap) {
    size_t k = strlen(key);
    for (const char *p = s; p + k + 2 < end; p++) {
        if (*p != '"' || strncmp(p + 1, key, k) != 0 || p[k + 1] != '"')
            continue;
        const char *q = p + k + 2;
        while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'))
            q++;
        if (q >= end || *q != ':')
            continue;
        q++;
        while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'))
            q++;
        if (q >= end || *q != '"')
            return 0; /* an object or array: the caller looks inside */
        size_t j = 0;
        for (q++; q < end && *q != '"' && j + 1 < cap; q++) {
            if (*q == '\\' && q + 1 < end) {
                q++;
                if (*q == 'u')
                    break; /* \uXXXX: rare in names and dates, stop rather than mangle */
                out[j++] = *q == 'n' ? ' ' : *q == 't' ? ' ' : *q;
                continue;
            }
            out[j++] = *q;
        }
        out[j] = '\0';
        return j > 0;
    }
    return 0;
}

void bp_meta_jsonld(bp_page *pg, const char *json, size_t len) {
    const char *end = json + len;
    char v[512];
    if (!pg->date && json_string_after(json, end, "datePublished", v, sizeof v))
        set_once(pg, &pg->date, v);
    if (!pg->author) {
        const char *a = NULL;
        for (const char *p = json; p + 8 < end && !a; p++)
            if (!strncmp(p, "\"author\"", 8))
                a = p;
        if (a) {
            if (json_string_after(a, end, "author", v, sizeof v) && !looks_like_url(v)) {
                set_once(pg, &pg->author, v);
            } else {
                /* "author": {"@type": "Person", "name": "..."} or a list of them */
                const char *lim = a + 400 < end ? a + 400 : end;
                if (json_string_after(a, lim, "name", v, sizeof v))
                    set_once(pg, &pg->author, v);
            }
        }
    }
    if (!pg->site_name) {
        const char *p = NULL;
        for (const char *q = json; q + 11 < end && !p; q++)
            if (!strncmp(q, "\"publisher\"", 11))
                p = q;
        if (p) {
            const char *lim = p + 400 < end ? p + 400 : end;
            if (json_string_after(p, lim, "name", v, sizeof v))
                set_once(pg, &pg->site_name, v);
        }
    }
}

/* Lower-case alphanumerics only, so punctuation and spacing differences do not matter. */
static size_t norm(const char *s, char *out, size_t cap) {
    size_t j = 0;
    for (; *s && j + 1 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (isalnum(c) || c >= 0x80)
            out[j++] = (char)tolower(c);
    }
    out[j] = '\0';
    return j;
}

int bp_same_title(const char *a, const char *b) {
    char na[512], nb[512];
    size_t la = norm(a, na, sizeof na), lb = norm(b, nb, sizeof nb);
    if (!la || !lb)
        return 0;
    if (la <= lb)
        return strstr(nb, na) != NULL && la * 2 >= lb;
    return strstr(na, nb) != NULL && lb * 2 >= la;
}

/* Collapse white space runs into one space; the result is malloc'd. */
static char *clean(const char *s) {
    if (!s)
        return NULL;
    size_t n = strlen(s);
    char *o = malloc(n + 1);
    if (!o)
        return NULL;
    size_t j = 0;
    int sp = 0;
    for (size_t i = 0; i < n; i++) {
        if (isspace((unsigned char)s[i])) {
            sp = j > 0;
            continue;
        }
        if (sp)
            o[j++] = ' ';
        sp = 0;
        o[j++] = s[i];
    }
    o[j] = '\0';
    if (!j) {
        free(o);
        return NULL;
    }
    return o;
}

/* "Headline | Site" or "Headline - Site": drop the site part of a <title>. */
static void strip_site_suffix(char *t, const char *site) {
    static const char *const seps[] = {" | ",  " - ",       " \xE2\x80\x93 ", " \xE2\x80\x94 ",
                                       " :: ", " \xC2\xBB "};
    for (size_t i = 0; i < sizeof seps / sizeof *seps; i++) {
        char *p = NULL, *q = t;
        while ((q = strstr(q, seps[i])) != NULL) {
            p = q;
            q += strlen(seps[i]);
        }
        if (!p)
            continue;
        const char *tail = p + strlen(seps[i]);
        /* strip when the tail is the site name or clearly shorter than the headline */
        if ((site && bp_same_title(tail, site)) || strlen(tail) * 2 < (size_t)(p - t)) {
            *p = '\0';
            return;
        }
    }
}

int bp_meta_finish(bp_page *pg, bp_result *res) {
    if (pg->og_title) {
        res->title = clean(pg->og_title);
    } else if (pg->title_tag) {
        res->title = clean(pg->title_tag);
        if (res->title)
            strip_site_suffix(res->title, pg->site_name);
    } else if (pg->h1) {
        res->title = clean(pg->h1);
    }
    res->author = clean(pg->author);
    res->date = clean(pg->date);
    res->site_name = clean(pg->site_name);
    res->url = clean(pg->canonical ? pg->canonical : pg->og_url);
    res->description = clean(pg->description);
    res->lang = clean(pg->lang);
    return 0;
}
