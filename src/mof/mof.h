/*
 * mof — the MOF compiler (DSP0221): compiles a file or a string into a schema store
 * (the in-memory catalogue, the repository).
 *
 * A compile is all or nothing: qualifier declarations, classes and instances reach the
 * store only when the whole input compiled without error, in one mi_schema_store apply.
 * Every problem is reported through the diagnostics callback as
 * `file:line:column: message`; the compiler goes on after an error to report more, up
 * to a limit. The library never prints.
 */
#ifndef MI_MOF_MOF_H
#define MI_MOF_MOF_H

#include "core/error.h"
#include "core/schema_batch.h"

#include <mi.h>
#include <stddef.h>
#include <stdint.h>

#define MI_MOF_DEFAULT_NAMESPACE "root/cimv2"
#define MI_MOF_DEFAULT_MAX_ERRORS 20

typedef enum mi_mof_severity {
    MI_MOF_ERROR,
    MI_MOF_WARNING,
} mi_mof_severity;

typedef struct mi_mof_diagnostic {
    mi_mof_severity severity;
    const char *file; /* as opened: the given path, or an include resolved from it */
    uint32_t line;    /* 1-based; 0 when the problem has no place in a file */
    uint32_t column;  /* 1-based, in characters */
    const char *message;
    const char *text; /* "file:line:column: message" ("warning: " before a warning) */
} mi_mof_diagnostic;

typedef void (*mi_mof_diagnostic_fn)(void *context, const mi_mof_diagnostic *diagnostic);

typedef struct mi_mof_stats mi_mof_stats;
/* Progress of a compile: phase "reading" after each file, then "compiling", then
 * "storing" (when there were no errors), with the counts so far. */
typedef void (*mi_mof_progress_fn)(void *context, const char *phase, const mi_mof_stats *so_far);

typedef struct mi_mof_options {
    const char *namespace_name;       /* NULL: MI_MOF_DEFAULT_NAMESPACE */
    const char *const *include_paths; /* searched after the including file's directory */
    size_t include_path_count;
    uint32_t max_errors; /* 0: MI_MOF_DEFAULT_MAX_ERRORS */
    mi_mof_diagnostic_fn on_diagnostic;
    mi_mof_progress_fn on_progress; /* may be NULL */
    void *context;
    /* Classes and instances the store has already are updated in place (where the change
     * fits what is stored), not refused. */
    bool replace_existing;
    /* The store checks everything it would do, then keeps nothing. */
    bool dry_run;
} mi_mof_options;

struct mi_mof_stats {
    uint32_t files;
    uint64_t bytes;
    uint32_t qualifiers; /* qualifier declarations stored */
    uint32_t classes;
    uint32_t instances;
    uint32_t errors;
    uint32_t warnings;
    uint32_t unchanged; /* of the classes and instances, those stored exactly so already */
    uint32_t updated;   /* those that replaced what was stored */
};

/* Compiles the file at path (and what it includes) into store. MI_RESULT_OK when
 * everything was stored; MI_RESULT_FAILED when the MOF had errors (err holds the first
 * one and the count; nothing was stored); MI_RESULT_NOT_FOUND when the file cannot be
 * read. options and stats may be NULL. */
MI_Result mi_mof_compile_file(const mi_schema_store *store, const char *path,
                              const mi_mof_options *options, mi_mof_stats *stats, mi_error *err);

/* Compiles several files as one unit: all of them are stored, or none. */
MI_Result mi_mof_compile_files(const mi_schema_store *store, const char *const *paths, size_t count,
                               const mi_mof_options *options, mi_mof_stats *stats, mi_error *err);

/* The same for MOF text in memory; name is used as the file name in messages, and
 * includes are resolved relative to the current directory and the include paths. */
MI_Result mi_mof_compile_string(const mi_schema_store *store, const char *name, const char *text,
                                size_t len, const mi_mof_options *options, mi_mof_stats *stats,
                                mi_error *err);

#endif
