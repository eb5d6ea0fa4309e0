/* Unit tests of the boilerplate extraction library, one small page of our own per rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "bp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bp_result run_html(const char *html, size_t len, const bp_options *opt) {
    bp_result r;
    assert_int_equal(bp_extract_html(html, len, opt, &r), 0);
    assert_non_null(r.text);
    assert_int_equal(strlen(r.text), r.text_len);
    return r;
}

static bp_result run_text(const char *text) {
    bp_result r;
    assert_int_equal(bp_clean_text(text, strlen(text), NULL, &r), 0);
    assert_non_null(r.text);
    return r;
}

#define HAS(r, s) assert_non_null(strstr((r).text, (s)))
#define HASNT(r, s) assert_null(strstr((r).text, (s)))

static const char *const para[] = {
    "The city council voted on Tuesday to approve a new budget for the coming year, ending "
    "months of debate over how to pay for road repairs, school buildings and parks.",
    "Supporters said the plan, which raises the sales tax by half a percent, was the only "
    "way to fix streets that have been neglected for more than a decade.",
    "Opponents, including two members of the council, argued that the increase would hurt "
    "small businesses, and they promised to bring the question to voters in the spring.",
    "The mayor, who proposed the budget in March, said she was pleased with the result and "
    "thanked residents who had attended the public hearings.",
};

/* ---- HTML ---- */

static void comments_longer_than_article(void **s) {
    (void)s;
    char html[16384];
    int n = snprintf(html, sizeof html,
                     "<html><head><title>Council passes budget | Daily Town</title></head><body>"
                     "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
                     "<div class='main'><article><h1>Council passes budget</h1>"
                     "<div class='entry-content'><p>%s</p><p>%s</p><p>%s</p></div></article>"
                     "<section id='comments' class='comments-area'><h2>42 Comments</h2><ol>",
                     para[0], para[1], para[2]);
    for (int i = 0; i < 12; i++)
        n += snprintf(html + n, sizeof html - (size_t)n,
                      "<li class='comment'><div class='comment-author'>reader%d</div>"
                      "<div class='comment-body'><p>I have lived in this town for thirty "
                      "years, and I can tell you that the roads, the schools and the parks "
                      "have never been this bad, comment number %d, and nobody listens.</p>"
                      "</div></li>",
                      i, i);
    snprintf(html + n, sizeof html - (size_t)n, "</ol></section></div></body></html>");
    bp_result r = run_html(html, strlen(html), NULL);
    HAS(r, "The city council voted");
    HAS(r, "Opponents, including two members");
    HASNT(r, "thirty years");
    HASNT(r, "42 Comments");
    HASNT(r, "Home");
    assert_true(r.article_found);
    assert_string_equal(r.title, "Council passes budget");
    HASNT(r, "Council passes budget"); /* the title heading goes to metadata, not the text */
    bp_result_free(&r);

    bp_options o;
    bp_options_default(&o);
    o.keep_comments = 1;
    r = run_html(html, strlen(html), &o);
    HAS(r, "The city council voted");
    bp_result_free(&r);
}

static void article_split_by_ads(void **s) {
    (void)s;
    char html[8192];
    snprintf(html, sizeof html,
             "<html><body><header class='site-header'><a href='/'>Logo</a></header>"
             "<div id='story' class='story-body'>"
             "<p>%s</p><div class='ad-container'><p>Advertisement</p></div>"
             "<p>%s</p><aside class='related-links'><h3>Related</h3><ul>"
             "<li><a href='/a'>Another story about the town budget</a></li>"
             "<li><a href='/b'>Schools ask for more money</a></li></ul></aside>"
             "<h2>What happens next</h2>"
             "<p>%s</p><div class='share-bar'><a href='#'>Share</a> <a href='#'>Tweet</a></div>"
             "<p>%s</p></div>"
             "<div class='cookie-banner'>We use cookies to improve your experience.</div>"
             "<footer>Copyright 2024 Daily Town. All rights reserved.</footer></body></html>",
             para[0], para[1], para[2], para[3]);
    bp_result r = run_html(html, strlen(html), NULL);
    for (int i = 0; i < 4; i++)
        HAS(r, para[i]);
    HAS(r, "\n\nWhat happens next\n\n"); /* a heading on its own line */
    HASNT(r, "Advertisement");
    HASNT(r, "Another story");
    HASNT(r, "Share");
    HASNT(r, "cookies");
    HASNT(r, "Copyright");
    HASNT(r, "Logo");
    /* paragraphs are separated by blank lines */
    assert_non_null(strstr(r.text, "parks.\n\nSupporters"));
    bp_result_free(&r);
}

static void no_article(void **s) {
    (void)s;
    const char *html = "<html><head><title>Sign in</title></head><body>"
                       "<nav><ul><li><a href='/'>Home</a></li><li><a href='/a'>About</a></li>"
                       "</ul></nav><form><label>User</label><input name='u'>"
                       "<button>Log in</button></form><footer>Terms</footer></body></html>";
    bp_result r = run_html(html, strlen(html), NULL);
    assert_false(r.article_found);
    assert_string_equal(r.title, "Sign in");
    bp_result_free(&r);

    /* empty and non-HTML input give output, never an error */
    r = run_html("", 0, NULL);
    assert_false(r.article_found);
    bp_result_free(&r);
    r = run_html("just some words", 15, NULL);
    bp_result_free(&r);
}

static void legacy_charset(void **s) {
    (void)s;
    /* windows-1252 bytes: e-acute, curly quotes, euro sign */
    const char *html = "<html><head><meta http-equiv='Content-Type' "
                       "content='text/html; charset=iso-8859-1'></head><body><article>"
                       "<p>The caf\xe9 on Main Street, which opened in 1921, will close its "
                       "doors next month, the owner said on Friday.</p>"
                       "<p>\x93It was a hard decision,\x94 she said, adding that the rent had "
                       "risen to 4,000 \x80 a month, which the caf\xe9 could no longer pay.</p>"
                       "</article></body></html>";
    bp_result r = run_html(html, strlen(html), NULL);
    HAS(r, "caf\xc3\xa9 on Main Street");
    HAS(r, "\xe2\x80\x9cIt was a hard decision,\xe2\x80\x9d");
    HAS(r, "4,000 \xe2\x82\xac");
    assert_string_equal(r.charset, "windows-1252");
    assert_string_equal(r.charset_source, "meta");
    assert_true(r.converted);
    bp_result_free(&r);

    /* no declaration and bytes that are not UTF-8: decoded as windows-1252 */
    const char *bare = "<p>Cr\xe8me br\xfbl\xe9\x65 is served at the caf\xe9 every day, and the "
                       "queue, as always, reaches the corner of the street.</p>";
    r = run_html(bare, strlen(bare), NULL);
    HAS(r, "Cr\xc3\xa8me br\xc3\xbbl\xc3\xa9\x65");
    assert_string_equal(r.charset_source, "fallback");
    bp_result_free(&r);

    /* the option overrides a wrong declaration */
    bp_options o;
    bp_options_default(&o);
    o.charset = "ISO-8859-15";
    const char *wrong = "<meta charset='utf-8'><p>Le prix est de 10 \xa4 par personne, "
                        "a annonc\xe9 la mairie, qui esp\xe8re attirer beaucoup de monde.</p>";
    r = run_html(wrong, strlen(wrong), &o);
    HAS(r, "10 \xe2\x82\xac par");
    assert_string_equal(r.charset_source, "option");
    bp_result_free(&r);

    /* UTF-8 BOM, and a stray invalid byte repaired rather than failing */
    const char *bom = "\xef\xbb\xbf<p>Na\xc3\xafve text with one bad byte \xff here, which must "
                      "not make the whole page unreadable for the reader.</p>";
    r = run_html(bom, strlen(bom), NULL);
    HAS(r, "Na\xc3\xafve text");
    HAS(r, "\xef\xbf\xbd");
    assert_string_equal(r.charset_source, "bom");
    assert_true(r.repaired);
    bp_result_free(&r);
}

static void broken_markup(void **s) {
    (void)s;
    size_t depth = 3000, cap = depth * 12 + 4096, n = 0;
    char *html = malloc(cap);
    assert_non_null(html);
    n += (size_t)snprintf(html + n, cap - n, "<html><body><table><tr><td><font><b>");
    for (size_t i = 0; i < depth; i++)
        n += (size_t)snprintf(html + n, cap - n, "<div>");
    n += (size_t)snprintf(html + n, cap - n,
                          "<p>%s<p>%s</span></i><p>%s<br><br>%s</b></td></tr></table>"
                          "<div class=\"unclosed <p>stray</div></p></p>",
                          para[0], para[1], para[2], para[3]);
    html[n++] = '\0'; /* a NUL byte in the middle of the page */
    n += (size_t)snprintf(html + n, cap - n, "<p>%s", para[3]);
    bp_result r = run_html(html, n, NULL);
    HAS(r, para[0]);
    HAS(r, para[1]);
    HAS(r, para[2]);
    assert_true(r.article_found);
    bp_result_free(&r);
    free(html);
}

static void metadata_and_tables(void **s) {
    (void)s;
    char html[8192];
    snprintf(html, sizeof html,
             "<html lang='en'><head><title>Budget vote - Daily Town</title>"
             "<meta property='og:title' content='Council passes budget'>"
             "<meta property='og:site_name' content='Daily Town'>"
             "<meta name='author' content='Jane Doe'>"
             "<meta property='article:published_time' content='2024-03-05T10:00:00Z'>"
             "<link rel='canonical' href='https://example.com/budget'></head><body>"
             "<div class='article-body'><p class='byline'>By Jane Doe</p><p>%s</p>"
             "<figure><img src='x.jpg'><figcaption>The council chamber on Tuesday.</figcaption>"
             "</figure><p>%s</p><table><tr><th>Item</th><th>Amount</th></tr>"
             "<tr><td>Roads</td><td>4.5</td></tr></table><p>%s</p></div></body></html>",
             para[0], para[1], para[2]);
    bp_result r = run_html(html, strlen(html), NULL);
    assert_string_equal(r.title, "Council passes budget");
    assert_string_equal(r.site_name, "Daily Town");
    assert_string_equal(r.author, "Jane Doe");
    assert_string_equal(r.date, "2024-03-05T10:00:00Z");
    assert_string_equal(r.url, "https://example.com/budget");
    assert_string_equal(r.lang, "en");
    HAS(r, "Roads 4.5");
    HASNT(r, "By Jane Doe");
    HASNT(r, "council chamber");
    bp_result_free(&r);

    bp_options o;
    bp_options_default(&o);
    o.keep_tables = 0;
    o.keep_captions = 1;
    r = run_html(html, strlen(html), &o);
    HASNT(r, "Roads 4.5");
    HAS(r, "council chamber");
    bp_result_free(&r);
}

static void jsonld_metadata(void **s) {
    (void)s;
    char html[4096];
    snprintf(html, sizeof html,
             "<html><head><title>Budget</title><script type=\"application/ld+json\">"
             "{\"@type\":\"NewsArticle\",\"datePublished\":\"2024-03-05\","
             "\"author\":[{\"@type\":\"Person\",\"name\":\"Jane Doe\"}],"
             "\"publisher\":{\"@type\":\"Organization\",\"name\":\"Daily Town\"}}"
             "</script></head><body><article><p>%s</p></article></body></html>",
             para[0]);
    bp_result r = run_html(html, strlen(html), NULL);
    assert_string_equal(r.date, "2024-03-05");
    assert_string_equal(r.author, "Jane Doe");
    assert_string_equal(r.site_name, "Daily Town");
    HASNT(r, "NewsArticle");
    HAS(r, para[0]);
    bp_result_free(&r);
}

/* ---- text mode ---- */

static const char seed_like[] =
    "Share\n"
    "\n"
    "Mayor and governor meet over flood funds\n"
    "\n"
    "The state will release emergency money to towns along the river, the governor said on "
    "Monday after a two-hour meeting with the mayor.\n"
    "\n"
    "Advertisement\n"
    "\n"
    "Governor Ann Smith, left, and Mayor Tom Brown, right, shake hands before a meeting in "
    "Riverton, Monday, March 4, 2024.\n"
    "\n"
    "By Jane Doe\n"
    "\n"
    "\xe2\x80\x9cWe cannot wait for the next storm\xe2\x80\x9d, Brown said.\n"
    "\n"
    "Sign up for our newsletter to get the latest news in your inbox.\n"
    "\n"
    "The river rose four metres in two days last week, flooding more than 300 homes.\n"
    "\n"
    "Advertisement\n"
    "\n"
    "Officials said repairs would start in April. Residents who lost their homes will get "
    "temporary housing until the work is done.\n"
    "\n"
    "\xc2\xa9 2024 Riverton Gazette. All rights reserved.\n"
    "\n"
    "Volunteers and soldiers fill sandbags near the bridge in Riverton. AP\n";

static void seed_like_text(void **s) {
    (void)s;
    bp_result r = run_text(seed_like);
    HAS(r, "Mayor and governor meet over flood funds\n\nThe state will release");
    HAS(r, "We cannot wait for the next storm");
    HAS(r, "The river rose four metres");
    HAS(r, "temporary housing until the work is done.");
    HASNT(r, "Share");
    HASNT(r, "Advertisement");
    HASNT(r, "shake hands");
    HASNT(r, "Jane Doe");
    HASNT(r, "newsletter");
    HASNT(r, "rights reserved");
    HASNT(r, "sandbags");
    assert_string_equal(r.title, "Mayor and governor meet over flood funds");
    assert_int_equal(r.paragraphs, 5);
    bp_result_free(&r);
}

static void text_repeats_and_fragments(void **s) {
    (void)s;
    const char *t = "Click to expand\nA long paragraph that is repeated by a sloppy scraper, "
                    "word for word, twice in the page.\nMenu\nA long paragraph that is "
                    "repeated by a sloppy scraper, word for word, twice in the page.\n"
                    "Photo: Reuters\nOK then\nThe end of the story comes here.\n";
    bp_result r = run_text(t);
    assert_string_equal(r.text, "A long paragraph that is repeated by a sloppy scraper, word "
                                "for word, twice in the page.\n\nThe end of the story comes "
                                "here.");
    bp_result_free(&r);
}

/* Article lines that look a little like junk must stay. */
static void text_keeps_article_lines(void **s) {
    (void)s;
    const char *t = "Updated: 10:30 am, Friday, Aug. 26, 2016\n"
                    "By Jane Doe and John Roe\n"
                    "3 hours ago\n"
                    "WASHINGTON (AP) \xe2\x80\x94 The Senate voted on Tuesday to extend the "
                    "program.\n"
                    "The mayor said 2,000 people were hurt in May 2016\n"
                    "By the time the firefighters arrived the house had burned down\n"
                    "The newsletter, first published in 1990, has 3,000 readers.\n"
                    "Officials count 12 dead\n"
                    "The governor will leave office on Friday, Jan. 20, 2017.\n";
    bp_result r = run_text(t);
    HASNT(r, "Updated");
    HASNT(r, "Jane Doe");
    HASNT(r, "hours ago");
    HAS(r, "WASHINGTON (AP)");
    HAS(r, "The mayor said");
    HAS(r, "By the time the firefighters");
    HAS(r, "The newsletter, first published");
    HAS(r, "Officials count 12 dead");
    HAS(r, "leave office");
    assert_int_equal(r.lines_dropped, 3);
    bp_result_free(&r);
}

/* The real seed sample, when the shared data is there. */
static void seed_sample(void **s) {
    (void)s;
    const char *sd = getenv("SLUICE_SHARED_DATA");
    char path[4096];
    snprintf(path, sizeof path, "%s/../seed/000_8727647b336066ac.txt", sd ? sd : "");
    FILE *f = sd ? fopen(path, "rb") : NULL;
    if (!f) {
        skip();
        return;
    }
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    bp_result r = run_text(buf);
    assert_true(strncmp(r.text, "Kerry, Lavrov hold talks in Geneva\n\n", 36) == 0);
    HAS(r, "Weaponized chlorine");
    HAS(r, "Kerry first made the truce");
    HAS(r, "evacuate all residents");
    HAS(r, "area of the pause\xe2\x80\x9d.");
    HASNT(r, "Advertisement");
    HASNT(r, "Share\n");
    HASNT(r, "walk to their seats");
    HASNT(r, "brief the press");
    assert_int_equal(r.paragraphs, 14); /* the headline and 13 paragraphs */
    bp_result_free(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(comments_longer_than_article),
        cmocka_unit_test(article_split_by_ads),
        cmocka_unit_test(no_article),
        cmocka_unit_test(legacy_charset),
        cmocka_unit_test(broken_markup),
        cmocka_unit_test(metadata_and_tables),
        cmocka_unit_test(jsonld_metadata),
        cmocka_unit_test(seed_like_text),
        cmocka_unit_test(text_repeats_and_fragments),
        cmocka_unit_test(text_keeps_article_lines),
        cmocka_unit_test(seed_sample),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
