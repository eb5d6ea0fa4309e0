/*
 * The splitter's closed word list of sentence starters, sorted for a binary search. (The
 * abbreviations are the core's, core/abbreviations.def: the tokenizer marks them.)
 */
#include "lexicon.h"

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
