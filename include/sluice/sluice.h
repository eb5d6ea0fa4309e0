/*
 * sluice plugin ABI, version 1.2.
 *
 * This is the only header a plugin needs. It depends on the C standard headers alone and a
 * plugin built from it links to nothing of the sluice core: everything the host offers comes
 * through the sl_host table of function pointers handed to sl_plugin_entry() and create().
 *
 * Ownership, everywhere below: the host owns documents, layers and configuration. A pointer a
 * getter returns stays valid until the document is changed through the API or process()
 * returns, whichever comes first. Setters copy what they are given. The plugin owns its state.
 *
 * Threads: the host calls each plugin instance from one thread at a time and creates one
 * instance per worker, so a plugin keeps all mutable state in its instance, never in globals.
 */
#ifndef SLUICE_SLUICE_H
#define SLUICE_SLUICE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SL_ABI_MAJOR 1
#define SL_ABI_MINOR 2

#if defined(__GNUC__) || defined(__clang__)
#define SL_EXPORT __attribute__((visibility("default")))
#define SL_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define SL_EXPORT
#define SL_PRINTF(fmt, args)
#endif

/* Status codes: 0 is success, failures are negative. */
enum sl_status {
    SL_OK = 0,
    SL_ENOMEM = -1,    /* out of memory */
    SL_EINVAL = -2,    /* invalid argument */
    SL_EIO = -3,       /* input/output error: stops the run */
    SL_EDOC = -4,      /* this document failed; the run goes on by the error policy */
    SL_ECONFIG = -5,   /* bad configuration */
    SL_EABI = -6,      /* ABI mismatch */
    SL_ENOTFOUND = -7, /* no such thing */
    SL_EPIPE = -8,     /* the reader of our output went away: stop quietly */
    SL_ETOOBIG = -9    /* over a size limit */
};

/** A status code in words ("out of memory"), for messages; never NULL. */
static inline const char *sl_strerror(int status) {
    switch (status) {
    case SL_OK:
        return "success";
    case SL_ENOMEM:
        return "out of memory";
    case SL_EINVAL:
        return "invalid argument";
    case SL_EIO:
        return "input/output error";
    case SL_EDOC:
        return "document failed";
    case SL_ECONFIG:
        return "configuration error";
    case SL_EABI:
        return "ABI mismatch";
    case SL_ENOTFOUND:
        return "not found";
    case SL_EPIPE:
        return "broken pipe";
    case SL_ETOOBIG:
        return "too big";
    }
    return "unknown error";
}

typedef struct sl_doc sl_doc;       /* a document: opaque, owned by the host */
typedef struct sl_layer sl_layer;   /* a named annotation layer of a document */
typedef struct sl_config sl_config; /* one stage's validated options */
typedef struct sl_host sl_host;

/* What a plugin does in a pipeline. */
typedef enum sl_kind {
    SL_KIND_SOURCE = 1, /* produces documents (replaces the built-in readers) */
    SL_KIND_STAGE = 2,  /* reads a document and annotates or rewrites it */
    SL_KIND_SINK = 3    /* exports documents */
} sl_kind;

/* Types of options in a plugin's schema. */
typedef enum sl_option_type {
    SL_OPT_STRING = 1,
    SL_OPT_INT = 2,        /* 64-bit signed integer */
    SL_OPT_DOUBLE = 3,     /* a number; integers are accepted */
    SL_OPT_BOOL = 4,       /* true/false (YAML 1.2 spelling) */
    SL_OPT_ENUM = 5,       /* a string out of `choices` */
    SL_OPT_STRING_LIST = 6 /* a YAML sequence of strings, or one string */
} sl_option_type;

/* Option flags (bit set, sl_option.flags). */
enum sl_option_flag {
    SL_OPTF_MIN = 1u << 0,  /* SL_OPT_INT / SL_OPT_DOUBLE: the value must be >= min */
    SL_OPTF_MAX = 1u << 1,  /* SL_OPT_INT / SL_OPT_DOUBLE: the value must be <= max */
    SL_OPTF_LAYER = 1u << 2 /* SL_OPT_STRING: the value names a layer; reserved names are refused */
};

/* One option a plugin accepts; a schema is an array ending with an entry whose name is NULL.
 * The array's element size is the descriptor's option_size, so the struct may grow at its end:
 * the host reads each entry up to the size the plugin was built with. */
typedef struct sl_option {
    const char *name;    /* key in the pipeline file */
    sl_option_type type; /* value type the host enforces before create() */
    const char
        *default_value;  /* default in YAML text form ("10", "true", "a,b" for lists), or NULL */
    int required;        /* non-zero: the stage must give it */
    const char *choices; /* SL_OPT_ENUM only: allowed values separated by '|' */
    const char *help;    /* one line for `sluice plugins NAME` */
    /* --- added in ABI 1.2 --- */
    unsigned flags; /* sl_option_flag bits */
    double min;     /* lowest allowed value, with SL_OPTF_MIN */
    double max;     /* highest allowed value, with SL_OPTF_MAX */
} sl_option;

/* Bounds for an int or number option, inside a designated initializer:
 * {.name = "min_words", .type = SL_OPT_INT, SL_OPT_RANGE(1, 1000)}. */
#define SL_OPT_RANGE(lo, hi) .flags = SL_OPTF_MIN | SL_OPTF_MAX, .min = (lo), .max = (hi)

/* Kinds of token the core tokenizer emits. */
typedef enum sl_token_kind {
    SL_TOK_WORD = 1,    /* letters, with inner apostrophes, hyphens or periods (U.S., e-mail) */
    SL_TOK_NUMBER = 2,  /* digits, with inner , . : / - (3.5, 1,000, 10:30, 48-hour) */
    SL_TOK_PUNCT = 3,   /* punctuation: . , ; : ! ? quotes brackets dashes ellipses */
    SL_TOK_SYMBOL = 4,  /* symbols such as $ % & + = */
    SL_TOK_URL = 5,     /* http://..., www.example.com/... */
    SL_TOK_EMAIL = 6,   /* name@example.com */
    SL_TOK_HANDLE = 7,  /* @name */
    SL_TOK_HASHTAG = 8, /* #tag */
    SL_TOK_EMOJI = 9,   /* an emoji sequence */
    SL_TOK_CLITIC = 10, /* n't 's 're 've 'll 'd 'm split from the word before */
    SL_TOK_OTHER = 11   /* anything else */
} sl_token_kind;

/* Token flags (bit set). */
enum sl_token_flag {
    SL_TOKF_SPACE_BEFORE = 1u << 0,     /* white space precedes the token */
    SL_TOKF_NEWLINE_BEFORE = 1u << 1,   /* a line break precedes the token */
    SL_TOKF_PARAGRAPH_BEFORE = 1u << 2, /* a blank line (two or more breaks) precedes it */
    SL_TOKF_UPPER_INITIAL = 1u << 3,    /* the first letter is upper case */
    SL_TOKF_ALL_UPPER = 1u << 4,        /* every letter is upper case (and there is one) */
    SL_TOKF_HAS_DIGIT = 1u << 5,        /* contains a digit */
    /* A known abbreviation ("Mr.", "Inc.", "e.g."; the list is core/abbreviations.def): its
     * period is part of the token, unless more periods follow the word ("Inc..."). At most one
     * of the three class bits below goes with it; none for those that may end a sentence. */
    SL_TOKF_ABBREV = 1u << 6,
    SL_TOKF_ABBREV_TITLE = 1u << 7,  /* comes before a name: Mr. Gen. St. */
    SL_TOKF_ABBREV_NUMBER = 1u << 8, /* comes before a number: No. Fig. pp. */
    SL_TOKF_ABBREV_NO_END = 1u << 9  /* never ends a sentence: e.g. i.e. vs. */
};

/* A token: UTF-8 byte offsets [start, end) into the document text. The host hands a plugin
 * tokens laid out as the header it was built with says (the descriptor's token_size tells the
 * host which): new per-token facts are added at the end of the struct in later minor versions. */
typedef struct sl_token {
    size_t start;
    size_t end;
    uint32_t kind;  /* an sl_token_kind */
    uint32_t flags; /* sl_token_flag bits */
} sl_token;

/* A span of an annotation layer: UTF-8 byte offsets [start, end) and an optional label. */
typedef struct sl_span {
    size_t start;
    size_t end;
    const char *label; /* NULL when the span has no label */
} sl_span;

/* Layer flags. */
enum sl_layer_flag {
    SL_LAYER_WITH_TEXT = 1u << 0 /* writers add each span's covered text as "text" */
};

/* Flags for sl_host.doc_json(). */
enum sl_json_flag {
    SL_JSON_BYTE_OFFSETS = 1u << 0, /* offsets in UTF-8 bytes instead of code points */
    SL_JSON_TOKENS = 1u << 1        /* include the "tokens" layer */
};

/* Log levels. */
enum sl_log_level { SL_LOG_ERROR = 0, SL_LOG_WARN = 1, SL_LOG_INFO = 2, SL_LOG_DEBUG = 3 };

/* Types of a metadata field or span attribute, as the read side reports them. */
typedef enum sl_value_type {
    SL_VALUE_NONE = 0,   /* absent */
    SL_VALUE_STRING = 1, /* a JSON string */
    SL_VALUE_NUMBER = 2, /* a JSON number */
    SL_VALUE_BOOL = 3,   /* true or false */
    SL_VALUE_NULL = 4,   /* null */
    SL_VALUE_ARRAY = 5,  /* a JSON array */
    SL_VALUE_OBJECT = 6, /* a JSON object */
    SL_VALUE_RANGE = 7   /* a span attribute that is a sub-span of the text (span_set_range) */
} sl_value_type;

/*
 * The host API. It only ever grows at its end: a plugin built against an older header sees a
 * prefix of it, and a plugin that needs a newer member checks SL_HOST_HAS() first.
 */
struct sl_host {
    uint32_t abi_major;   /* SL_ABI_MAJOR of the host */
    uint32_t abi_minor;   /* SL_ABI_MINOR of the host */
    uint32_t struct_size; /* sizeof(sl_host) in the host */

    /** Write a message to the host's log (stderr), prefixed with the stage, plugin and level;
     * messages below the run's log level (-q, -v, --log-level) are dropped. */
    void (*log)(int level, const char *fmt, ...) SL_PRINTF(2, 3);

    /* --- configuration (valid during create(); copy what you keep) --- */

    /** A string or enum option's value (or its default), NULL when unset. */
    const char *(*cfg_string)(const sl_config *cfg, const char *name);
    /** An integer option's value (or its default), 0 when unset. */
    int64_t (*cfg_int)(const sl_config *cfg, const char *name);
    /** A double option's value (or its default), 0 when unset. */
    double (*cfg_double)(const sl_config *cfg, const char *name);
    /** A bool option's value (or its default) as 0 or 1, 0 when unset. */
    int (*cfg_bool)(const sl_config *cfg, const char *name);
    /** Number of items of a string-list option (or its default). */
    size_t (*cfg_list_count)(const sl_config *cfg, const char *name);
    /** Item i of a string-list option, NULL when out of range. */
    const char *(*cfg_list_item)(const sl_config *cfg, const char *name, size_t i);
    /** Whether the stage gave the option explicitly (1) or it is a default (0). */
    int (*cfg_is_set)(const sl_config *cfg, const char *name);
    /** The directory that holds the plugin's shared object (for its data files). */
    const char *(*cfg_plugin_dir)(const sl_config *cfg);
    /** Report a configuration error at the option's place in the pipeline file; returns SL_ECONFIG.
     */
    int (*cfg_error)(const sl_config *cfg, const char *option, const char *fmt, ...)
        SL_PRINTF(3, 4);

    /* --- documents --- */

    /** The document id (never NULL). */
    const char *(*doc_id)(const sl_doc *doc);
    /** The UTF-8 text without copying; *len gets its length in bytes. Always NUL-terminated. */
    const char *(*doc_text)(const sl_doc *doc, size_t *len);
    /** Replace the text (copied, invalid UTF-8 repaired); drops every layer, tokens included. */
    int (*doc_set_text)(sl_doc *doc, const char *text, size_t len);
    /** Set the id (copied). */
    int (*doc_set_id)(sl_doc *doc, const char *id);
    /** A metadata field's string value without copying (NULL when absent or not a string). */
    const char *(*doc_meta_string)(const sl_doc *doc, const char *key, size_t *len);
    /** Set a metadata field to a string (copied). */
    int (*doc_meta_set_string)(sl_doc *doc, const char *key, const char *value, size_t len);
    /** Set a metadata field to a number. */
    int (*doc_meta_set_number)(sl_doc *doc, const char *key, double value);
    /** Set a metadata field to any JSON value given as text; SL_EINVAL when it does not parse. */
    int (*doc_meta_set_json)(sl_doc *doc, const char *key, const char *json);
    /** Remove a metadata field (SL_ENOTFOUND when absent). */
    int (*doc_meta_remove)(sl_doc *doc, const char *key);
    /** Mark the document as failed with a message; returns SL_EDOC for process() to return. */
    int (*doc_fail)(sl_doc *doc, const char *fmt, ...) SL_PRINTF(2, 3);

    /* --- tokens: computed once per document by the core, kept as the "tokens" layer --- */

    /** The document's tokens (computed on first call); NULL with *count 0 on empty text. */
    const sl_token *(*doc_tokens)(sl_doc *doc, size_t *count);

    /* --- annotation layers --- */

    /** A new empty layer; an existing layer of that name is replaced. NULL when out of memory. */
    sl_layer *(*layer_new)(sl_doc *doc, const char *name, unsigned flags);
    /** The layer of that name, or NULL. */
    sl_layer *(*layer_get)(const sl_doc *doc, const char *name);
    /** Number of spans in the layer. */
    size_t (*layer_count)(const sl_layer *layer);
    /** Span i, or NULL when out of range. */
    const sl_span *(*layer_span)(const sl_layer *layer, size_t i);
    /** Append a span (label copied, may be NULL); returns its index, or -1 on bad offsets or no
     * memory. */
    long (*span_add)(sl_layer *layer, size_t start, size_t end, const char *label);
    /** Set a string attribute of span i. */
    int (*span_set_string)(sl_layer *layer, size_t i, const char *key, const char *value);
    /** Set a number attribute of span i. */
    int (*span_set_number)(sl_layer *layer, size_t i, const char *key, double value);
    /** Set an attribute of span i to any JSON value given as text. */
    int (*span_set_json)(sl_layer *layer, size_t i, const char *key, const char *json);
    /** Set an attribute of span i to a sub-span of the text, written as {start, end, text}. */
    int (*span_set_range)(sl_layer *layer, size_t i, const char *key, size_t start, size_t end);
    /** A string attribute of span i, NULL when absent or not a string. */
    const char *(*span_get_string)(const sl_layer *layer, size_t i, const char *key);

    /* --- output --- */

    /** The document as one line of JSON (no newline), in a buffer valid until the next call. */
    const char *(*doc_json)(sl_doc *doc, unsigned flags, size_t *len);
    /** The name of the input the document came from, and its line (0 when not line-based). */
    const char *(*doc_origin)(const sl_doc *doc, long *line);

    /* --- added in ABI 1.2: check with SL_HOST_HAS before use --- */

    /** Whether a message of this level would be shown (skip costly debug formatting). */
    int (*log_enabled)(int level);
    /** An enum option's value as its index in `choices` (0-based), or -1 when unset. */
    int (*cfg_enum)(const sl_config *cfg, const char *name);
    /** Make a new empty layer (replacing one of that name) into *out; SL_EINVAL for a reserved
     * or empty name ("text", "id", "tokens"), SL_ENOMEM. */
    int (*layer_create)(sl_doc *doc, const char *name, unsigned flags, sl_layer **out);
    /** Append a span (label copied, may be NULL), its index into *index (may be NULL);
     * SL_EINVAL when the offsets are reversed, past the text or inside a character, SL_ENOMEM. */
    int (*span_append)(sl_layer *layer, size_t start, size_t end, const char *label,
                       size_t *index);
    /** Number of the document's annotation layers (the core's "tokens" is not among them). */
    size_t (*doc_layer_count)(const sl_doc *doc);
    /** Layer i, in the order the layers were made; NULL when out of range. */
    sl_layer *(*doc_layer_at)(const sl_doc *doc, size_t i);
    /** The layer's name. */
    const char *(*layer_name)(const sl_layer *layer);
    /** The layer's flags (sl_layer_flag bits). */
    unsigned (*layer_flags)(const sl_layer *layer);
    /** Number of attributes of span i (0 when out of range). */
    size_t (*span_attr_count)(const sl_layer *layer, size_t i);
    /** Attribute j of span i, in the order set: its name, and its type into *type (may be
     * NULL); NULL when out of range. */
    const char *(*span_attr_name)(const sl_layer *layer, size_t i, size_t j, sl_value_type *type);
    /** A number attribute of span i into *value; SL_ENOTFOUND when absent, SL_EINVAL when it is
     * not a number. */
    int (*span_get_number)(const sl_layer *layer, size_t i, const char *key, double *value);
    /** Any attribute of span i as JSON text (a sub-span as {"start":..,"end":..} in bytes and
     * its "text"), NUL-terminated; NULL when absent. */
    const char *(*span_get_json)(const sl_layer *layer, size_t i, const char *key);
    /** A sub-span attribute's byte offsets; SL_ENOTFOUND when absent, SL_EINVAL when the
     * attribute is not a sub-span. */
    int (*span_get_range)(const sl_layer *layer, size_t i, const char *key, size_t *start,
                          size_t *end);
    /** Number of metadata fields: every top-level field but "text" and the layers, "id"
     * included, in output order. */
    size_t (*doc_meta_count)(const sl_doc *doc);
    /** Metadata field i: its key, and its type into *type (may be NULL); NULL when out of
     * range. */
    const char *(*doc_meta_key)(const sl_doc *doc, size_t i, sl_value_type *type);
    /** A metadata field's value as JSON text (any type: arrays, numbers, objects),
     * NUL-terminated, *len its length (may be NULL); NULL when absent. */
    const char *(*doc_meta_json)(const sl_doc *doc, const char *key, size_t *len);
    /** A number metadata field into *value; SL_ENOTFOUND when absent, SL_EINVAL when it is not
     * a number. */
    int (*doc_meta_number)(const sl_doc *doc, const char *key, double *value);
};

/** Whether the host table provides `member` (it may be older than this header). */
#define SL_HOST_HAS(host, member)                                                                  \
    ((host)->struct_size >= offsetof(sl_host, member) + sizeof((host)->member) &&                  \
     (host)->member != NULL)

/* Plugin flags (bit set, sl_plugin.flags): what the host may do with the plugin. */
enum sl_plugin_flag {
    /* Instances share no mutable state: the host may run one instance per worker thread. */
    SL_PLUGIN_PARALLEL = 1u << 0,
    /* A sink that must see documents in input order (with several workers the host restores
     * the order before it); sinks without it may see them as they finish. */
    SL_PLUGIN_ORDERED = 1u << 1
};

/* The plugin descriptor, returned by sl_plugin_entry(). */
typedef struct sl_plugin {
    uint32_t abi_major;   /* SL_ABI_MAJOR the plugin was built with */
    uint32_t abi_minor;   /* SL_ABI_MINOR the plugin was built with */
    uint32_t struct_size; /* sizeof(sl_plugin) the plugin was built with */
    sl_kind kind;
    const char *name;         /* short name used in pipelines: [a-z0-9_-]+ */
    const char *version;      /* the plugin's own version */
    const char *summary;      /* one line for `sluice plugins` */
    const sl_option *options; /* schema, terminated by a NULL name; NULL when none */

    /** Make an instance from validated options; on failure call cfg_error and return < 0. */
    int (*create)(const sl_host *host, const sl_config *cfg, void **state);
    /** Stage and sink: handle one document; SL_EDOC (via doc_fail) fails only this document. */
    int (*process)(void *state, sl_doc *doc);
    /** Source: fill the empty document; 1 when one was produced, 0 at the end, < 0 on error. */
    int (*read)(void *state, sl_doc *doc);
    /** Finish pending output at the end of the stream (may be NULL). */
    int (*flush)(void *state);
    /** Free the instance; called only after a successful create(). */
    void (*destroy)(void *state);

    /* --- added in ABI 1.1; the host reads them only through SL_PLUGIN_HAS --- */

    /** Check option values beyond what the schema says (ranges, formats), with no side
     * effects; on a bad value call cfg_error and return < 0. `sluice check` calls it, and the
     * host calls it before create(), so create() may take the values as checked. May be NULL. */
    int (*check)(const sl_host *host, const sl_config *cfg);

    /* --- added in ABI 1.2 --- */

    uint32_t option_size; /* sizeof(sl_option) the plugin was built with (SL_PLUGIN_HEADER) */
    uint32_t token_size;  /* sizeof(sl_token) the plugin was built with (SL_PLUGIN_HEADER) */
    uint32_t flags;       /* sl_plugin_flag bits */
    /** Layers the plugin reads and writes, comma-separated ("sentences,tokens"); "$opt" stands
     * for the layer named by option opt. `sluice check` warns when a stage reads a layer no
     * earlier stage writes. NULL: none. */
    const char *reads;
    const char *writes;
    /** Write out what is buffered so far, for a reader downstream that is waiting: the input
     * paused, or the user asked for unbuffered output. Unlike flush, more documents may
     * follow. May be NULL (nothing is held back). */
    int (*sync)(void *state);
} sl_plugin;

/** Whether a plugin descriptor provides `member` (the plugin may be older than this header). */
#define SL_PLUGIN_HAS(plugin, member)                                                              \
    ((plugin)->struct_size >= offsetof(sl_plugin, member) + sizeof((plugin)->member) &&            \
     (plugin)->member != NULL)

/* Every plugin defines this symbol: SL_PLUGIN_ENTRY(host) { return &my_plugin; } */
#define SL_PLUGIN_ENTRY_NAME "sl_plugin_entry"
#define SL_PLUGIN_ENTRY(host_param)                                                                \
    SL_EXPORT const sl_plugin *sl_plugin_entry(const sl_host *host_param);                         \
    SL_EXPORT const sl_plugin *sl_plugin_entry(const sl_host *host_param)

/* Fill the version and size fields of a descriptor:
 * { SL_PLUGIN_HEADER, .kind = SL_KIND_STAGE, .name = "name", ... }.
 * In C the fields are designated (the sizes first, so that a positional list may still follow
 * struct_size), and members that later minor versions add stay zero. C++ sets the 1.2 sizes
 * itself: .option_size = sizeof(sl_option), .token_size = sizeof(sl_token). */
#ifdef __cplusplus
#define SL_PLUGIN_HEADER SL_ABI_MAJOR, SL_ABI_MINOR, (uint32_t)sizeof(sl_plugin)
#else
#define SL_PLUGIN_HEADER                                                                           \
    .option_size = (uint32_t)sizeof(sl_option), .token_size = (uint32_t)sizeof(sl_token),           \
    .abi_major = SL_ABI_MAJOR, .abi_minor = SL_ABI_MINOR, .struct_size = (uint32_t)sizeof(sl_plugin)
#endif

#ifdef __cplusplus
}
#endif

#endif /* SLUICE_SLUICE_H */
