/*
 * Closed word lists for the splitter. Both tables are sorted for bsearch; the abbreviation keys
 * are lower case and `cap` marks those that are also ordinary lower-case words ("ill", "sun"),
 * which count as abbreviations only when capitalized.
 */
#include "lexicon.h"

#include <stdint.h>
#include <string.h>

typedef struct abbrev_entry {
    char key[8]; /* NUL-padded: compared as one 64-bit number, see key8() */
    sp_abbrev_class cls;
    int cap;
} abbrev_entry;

static const abbrev_entry abbrevs[] = {
    {"adm", SP_AB_TITLE, 0},      {"al", SP_AB_OTHER, 0},      {"ala", SP_AB_OTHER, 0},
    {"approx", SP_AB_EXAMPLE, 0}, {"apr", SP_AB_OTHER, 0},     {"ariz", SP_AB_OTHER, 0},
    {"ark", SP_AB_OTHER, 0},      {"art", SP_AB_NUMBERED, 1},  {"assn", SP_AB_OTHER, 0},
    {"aug", SP_AB_OTHER, 0},      {"ave", SP_AB_OTHER, 0},     {"blvd", SP_AB_OTHER, 0},
    {"brig", SP_AB_TITLE, 0},     {"bros", SP_AB_OTHER, 0},    {"ca", SP_AB_EXAMPLE, 0},
    {"calif", SP_AB_OTHER, 0},    {"capt", SP_AB_TITLE, 0},    {"cdr", SP_AB_TITLE, 0},
    {"cf", SP_AB_EXAMPLE, 0},     {"ch", SP_AB_NUMBERED, 1},   {"cmdr", SP_AB_TITLE, 0},
    {"co", SP_AB_OTHER, 0},       {"col", SP_AB_TITLE, 1},     {"colo", SP_AB_OTHER, 0},
    {"conn", SP_AB_OTHER, 0},     {"corp", SP_AB_OTHER, 0},    {"dec", SP_AB_OTHER, 1},
    {"del", SP_AB_OTHER, 1},      {"dept", SP_AB_OTHER, 0},    {"dr", SP_AB_TITLE, 0},
    {"e.g", SP_AB_EXAMPLE, 0},    {"eq", SP_AB_NUMBERED, 1},   {"esp", SP_AB_EXAMPLE, 0},
    {"est", SP_AB_OTHER, 0},      {"etc", SP_AB_OTHER, 0},     {"feb", SP_AB_OTHER, 0},
    {"fig", SP_AB_NUMBERED, 0},   {"figs", SP_AB_NUMBERED, 0}, {"fla", SP_AB_OTHER, 0},
    {"fr", SP_AB_TITLE, 0},       {"fri", SP_AB_OTHER, 0},     {"ft", SP_AB_OTHER, 0},
    {"ga", SP_AB_OTHER, 0},       {"gen", SP_AB_TITLE, 1},     {"gov", SP_AB_TITLE, 1},
    {"govt", SP_AB_OTHER, 0},     {"hon", SP_AB_TITLE, 1},     {"hr", SP_AB_OTHER, 0},
    {"hrs", SP_AB_OTHER, 0},      {"hwy", SP_AB_OTHER, 0},     {"i.e", SP_AB_EXAMPLE, 0},
    {"ill", SP_AB_OTHER, 1},      {"inc", SP_AB_OTHER, 0},     {"incl", SP_AB_EXAMPLE, 0},
    {"ind", SP_AB_OTHER, 1},      {"intl", SP_AB_OTHER, 0},    {"jan", SP_AB_OTHER, 0},
    {"jr", SP_AB_OTHER, 0},       {"jul", SP_AB_OTHER, 0},     {"jun", SP_AB_OTHER, 0},
    {"kan", SP_AB_OTHER, 0},      {"kans", SP_AB_OTHER, 0},    {"ky", SP_AB_OTHER, 0},
    {"la", SP_AB_OTHER, 1},       {"lb", SP_AB_OTHER, 0},      {"lbs", SP_AB_OTHER, 0},
    {"lt", SP_AB_TITLE, 0},       {"ltd", SP_AB_OTHER, 0},     {"maj", SP_AB_TITLE, 0},
    {"mar", SP_AB_OTHER, 1},      {"mass", SP_AB_OTHER, 1},    {"md", SP_AB_OTHER, 0},
    {"messrs", SP_AB_TITLE, 0},   {"mich", SP_AB_OTHER, 0},    {"minn", SP_AB_OTHER, 0},
    {"misc", SP_AB_OTHER, 0},     {"miss", SP_AB_OTHER, 1},    {"mlle", SP_AB_TITLE, 0},
    {"mme", SP_AB_TITLE, 0},      {"mo", SP_AB_OTHER, 1},      {"mon", SP_AB_OTHER, 0},
    {"mont", SP_AB_OTHER, 0},     {"mr", SP_AB_TITLE, 0},      {"mrs", SP_AB_TITLE, 0},
    {"ms", SP_AB_TITLE, 0},       {"msgr", SP_AB_TITLE, 0},    {"mt", SP_AB_TITLE, 0},
    {"natl", SP_AB_OTHER, 0},     {"neb", SP_AB_OTHER, 0},     {"nev", SP_AB_OTHER, 0},
    {"no", SP_AB_NUMBERED, 1},    {"nos", SP_AB_NUMBERED, 1},  {"nov", SP_AB_OTHER, 0},
    {"nr", SP_AB_NUMBERED, 0},    {"oct", SP_AB_OTHER, 0},     {"okla", SP_AB_OTHER, 0},
    {"ont", SP_AB_OTHER, 0},      {"op", SP_AB_NUMBERED, 1},   {"ore", SP_AB_OTHER, 1},
    {"oz", SP_AB_OTHER, 0},       {"p", SP_AB_NUMBERED, 0},    {"pa", SP_AB_OTHER, 1},
    {"para", SP_AB_NUMBERED, 1},  {"pfc", SP_AB_TITLE, 0},     {"pg", SP_AB_NUMBERED, 1},
    {"plc", SP_AB_OTHER, 0},      {"pp", SP_AB_NUMBERED, 0},   {"pres", SP_AB_TITLE, 1},
    {"prof", SP_AB_TITLE, 0},     {"pvt", SP_AB_TITLE, 0},     {"rd", SP_AB_OTHER, 0},
    {"ref", SP_AB_NUMBERED, 1},   {"rep", SP_AB_TITLE, 1},     {"reps", SP_AB_TITLE, 0},
    {"rev", SP_AB_TITLE, 1},      {"sat", SP_AB_OTHER, 1},     {"sec", SP_AB_NUMBERED, 1},
    {"sen", SP_AB_TITLE, 1},      {"sens", SP_AB_TITLE, 0},    {"sep", SP_AB_OTHER, 0},
    {"sept", SP_AB_OTHER, 0},     {"sgt", SP_AB_TITLE, 0},     {"sq", SP_AB_OTHER, 0},
    {"sr", SP_AB_OTHER, 0},       {"st", SP_AB_TITLE, 0},      {"ste", SP_AB_TITLE, 0},
    {"sun", SP_AB_OTHER, 1},      {"supt", SP_AB_TITLE, 0},    {"tenn", SP_AB_OTHER, 0},
    {"tex", SP_AB_OTHER, 0},      {"thu", SP_AB_OTHER, 0},     {"thur", SP_AB_OTHER, 0},
    {"thurs", SP_AB_OTHER, 0},    {"tue", SP_AB_OTHER, 0},     {"tues", SP_AB_OTHER, 0},
    {"univ", SP_AB_OTHER, 0},     {"v", SP_AB_EXAMPLE, 0},     {"va", SP_AB_OTHER, 1},
    {"viz", SP_AB_EXAMPLE, 0},    {"vol", SP_AB_NUMBERED, 0},  {"vols", SP_AB_NUMBERED, 0},
    {"vs", SP_AB_EXAMPLE, 0},     {"vt", SP_AB_OTHER, 0},      {"wash", SP_AB_OTHER, 1},
    {"wed", SP_AB_OTHER, 1},      {"wis", SP_AB_OTHER, 0},     {"wyo", SP_AB_OTHER, 0},
    {"yr", SP_AB_OTHER, 0},       {"yrs", SP_AB_OTHER, 0},
};

/* Capitalized words that commonly begin a sentence: function words, pronouns, connectives. */
static const char *const starters[] = {
    "A",        "About",       "According", "Actually", "After",   "Again",     "All",
    "Also",     "Although",    "An",        "And",      "Another", "Any",       "Anyway",
    "Are",      "As",          "At",        "Because",  "Before",  "Both",      "But",
    "By",       "Can",         "Could",     "Despite",  "Did",     "Do",        "Does",
    "Each",     "Either",      "Even",      "Every",    "Finally", "First",     "For",
    "From",     "Furthermore", "Had",       "Has",      "Have",    "He",        "Her",
    "Here",     "Hers",        "His",       "How",      "However", "I",         "If",
    "In",       "Indeed",      "Instead",   "Is",       "It",      "Its",       "Just",
    "Last",     "Later",       "Let",       "Many",     "Maybe",   "Meanwhile", "More",
    "Moreover", "Most",        "Much",      "My",       "Neither", "Never",     "Nevertheless",
    "Next",     "No",          "Nor",       "Not",      "Nothing", "Now",       "Of",
    "Often",    "On",          "Once",      "One",      "Only",    "Or",        "Other",
    "Others",   "Our",         "Over",      "Perhaps",  "Please",  "Second",    "She",
    "Should",   "Since",       "So",        "Some",     "Still",   "Such",      "Thanks",
    "That",     "The",         "Their",     "Then",     "There",   "Therefore", "These",
    "They",     "This",        "Those",     "Though",   "Thus",    "To",        "Today",
    "Tomorrow", "Under",       "Unlike",    "Until",    "Was",     "We",        "Well",
    "Were",     "What",        "Whatever",  "When",     "Where",   "Whether",   "Which",
    "While",    "Who",         "Why",       "Will",     "With",    "Without",   "Would",
    "Yes",      "Yesterday",   "Yet",       "You",      "Your",
};

/* Compare w[0, len) with the NUL-terminated s, as strcmp would. */
static int cmp_n(const char *w, size_t len, const char *s) {
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\0')
            return 1;
        if (w[i] != s[i])
            return (unsigned char)w[i] < (unsigned char)s[i] ? -1 : 1;
    }
    return s[len] ? -1 : 0;
}

/* Eight bytes as a number that orders as memcmp() orders them (big-endian). */
static inline uint64_t key8(const char *k) {
    uint64_t x;
    memcpy(&x, k, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)
    x = __builtin_bswap64(x);
#elif !(defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)
    const unsigned char *b = (const unsigned char *)k;
    x = 0;
    for (int i = 0; i < 8; i++)
        x = x << 8 | b[i];
#endif
    return x;
}

sp_abbrev_class sp_abbrev_lookup(const char *w, size_t len) {
    if (len == 0 || len >= sizeof abbrevs[0].key)
        return SP_AB_NONE;
    /* The lower-case word as key8() reads it from a NUL-padded key, built in a register: read
     * back from bytes just stored one at a time, the number would wait on the stores. */
    uint64_t kx = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)w[i];
        kx = kx << 8 | (c >= 'A' && c <= 'Z' ? c + 32u : c);
    }
    kx <<= 8 * (sizeof abbrevs[0].key - len);
    /* NUL-padded keys order as strcmp orders the strings. A branch-free binary search: the
     * compares are unpredictable, the loads are not. */
    const abbrev_entry *e = abbrevs;
    size_t n = sizeof abbrevs / sizeof abbrevs[0];
    while (n > 1) {
        size_t half = n / 2;
        e += key8(e[half].key) <= kx ? half : 0;
        n -= half;
    }
    /* The length check rules out a w with a NUL byte inside matching a shorter key. */
    if (key8(e->key) != kx || strlen(e->key) != len)
        return SP_AB_NONE;
    if (e->cap && !(w[0] >= 'A' && w[0] <= 'Z'))
        return SP_AB_NONE;
    return e->cls;
}

int sp_is_starter(const char *w, size_t len) {
    if (len == 0 || !(w[0] >= 'A' && w[0] <= 'Z'))
        return 0;
    size_t lo = 0, hi = sizeof starters / sizeof starters[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = cmp_n(w, len, starters[mid]);
        if (c == 0)
            return 1;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}
