/*
 * mof_compile — MI_Libmi_CompileMof: the MOF compiler behind the public API.
 */
#include "catalog/catalog.h"
#include "mof/mof.h"
#include "session.h"

#include <mi.h>
#include <stdio.h>
#include <string.h>

typedef struct forward {
    MI_Libmi_MofDiagnosticCallback diagnostic;
    MI_Libmi_MofProgressCallback progress;
    void *context;
} forward;

static void forward_diagnostic(void *context, const mi_mof_diagnostic *d)
{
    const forward *to = context;
    MI_Libmi_MofDiagnostic out = {
        d->severity == MI_MOF_WARNING ? MI_LIBMI_MOF_WARNING : MI_LIBMI_MOF_ERROR,
        d->file,
        d->line,
        d->column,
        d->message,
        d->text,
    };
    to->diagnostic(to->context, &out);
}

static void forward_progress(void *context, const char *phase, const mi_mof_stats *so_far)
{
    const forward *to = context;
    MI_Libmi_MofStats stats = {so_far->files,    so_far->bytes,     so_far->qualifiers,
                               so_far->classes,  so_far->instances, so_far->errors,
                               so_far->warnings, so_far->unchanged, so_far->updated};
    to->progress(to->context, phase, &stats);
}

/* A check: the batch is left to be freed, nothing is stored. */
static MI_Result apply_nothing(void *context, mi_schema_batch *batch, mi_error *err)
{
    (void)context, (void)batch, (void)err;
    return MI_RESULT_OK;
}

MI_Result MI_CALL MI_Libmi_CompileMof(MI_Session *session, const MI_Char *nameSpace,
                                      const MI_Char *const *files, MI_Uint32 fileCount,
                                      MI_Uint32 maxErrors, MI_Libmi_MofDiagnosticCallback callback,
                                      void *context, MI_Libmi_MofStats *stats)
{
    MI_Libmi_MofOptions options = {nameSpace, maxErrors, callback, NULL, context, 0};
    return MI_Libmi_CompileMofEx(session, files, fileCount, &options, stats);
}

MI_Result MI_CALL MI_Libmi_CompileMofEx(MI_Session *session, const MI_Char *const *files,
                                        MI_Uint32 fileCount, const MI_Libmi_MofOptions *given,
                                        MI_Libmi_MofStats *stats)
{
    MI_Libmi_MofOptions none = {NULL, 0, NULL, NULL, NULL, 0};
    const MI_Libmi_MofOptions *o = given ? given : &none;
    MI_Libmi_MofDiagnosticCallback callback = o->diagnostic;
    void *context = o->context;
    if (stats)
        memset(stats, 0, sizeof *stats);
    if (!files || fileCount == 0)
        return MI_RESULT_INVALID_PARAMETER;
    mi_repository *repo = NULL;
    mi_catalog *catalog = NULL;
    mi_schema_store store;
    if (session) {
        /* into the session's repository */
        if (!(repo = mi_session_repository(session))) {
            if (callback) { /* a remote session (or not one of ours): say so, read nothing */
                const char *text = "MOF is compiled into a local repository: this session "
                                   "is not a local one (compile without --host, on the "
                                   "server's machine)";
                MI_Libmi_MofDiagnostic d = {MI_LIBMI_MOF_ERROR, "", 0, 0, text, text};
                callback(context, &d);
            }
            return MI_RESULT_NOT_SUPPORTED;
        }
        bool check_only = (o->flags & MI_LIBMI_MOF_CHECK_ONLY) != 0;
        if (!check_only && mi_repository_read_only(repo)) { /* say so before reading any MOF */
            if (callback) {
                char text[600];
                snprintf(text, sizeof text, "the repository %s is read-only: nothing was changed",
                         mi_repository_path(repo));
                MI_Libmi_MofDiagnostic d = {MI_LIBMI_MOF_ERROR, "", 0, 0, text, text};
                callback(context, &d);
            }
            return MI_RESULT_ACCESS_DENIED;
        }
        store = mi_repository_store(repo);
        if (check_only && mi_repository_read_only(repo))
            store.apply = apply_nothing; /* the lookups are the repository's */
    } else {
        /* checking only: the compile goes into a catalogue that is thrown away */
        if (mi_catalog_new(&catalog) != MI_RESULT_OK)
            return MI_RESULT_SERVER_LIMITS_EXCEEDED;
        store = mi_catalog_store(catalog);
    }
    forward to = {callback, o->progress, context};
    mi_mof_options options = {
        .namespace_name = o->nameSpace,
        .max_errors = o->maxErrors,
        .on_diagnostic = callback ? forward_diagnostic : NULL,
        .on_progress = o->progress ? forward_progress : NULL,
        .context = &to,
        .replace_existing = (o->flags & MI_LIBMI_MOF_CREATE_ONLY) == 0,
        .dry_run = (o->flags & MI_LIBMI_MOF_CHECK_ONLY) != 0,
    };
    mi_mof_stats got;
    mi_error err = {0};
    MI_Result r = mi_mof_compile_files(&store, files, fileCount, &options, &got, &err);
    if (r != MI_RESULT_OK && got.errors == 0 && callback) {
        /* refused before any file was read (a bad namespace, no memory): say why */
        MI_Libmi_MofDiagnostic d = {MI_LIBMI_MOF_ERROR, "", 0, 0, err.message, err.message};
        callback(context, &d);
    }
    if (r != MI_RESULT_OK && got.errors == 0)
        got.errors = 1; /* refused as a whole: by the repository, or before reading */
    if (stats) {
        stats->files = got.files;
        stats->bytes = got.bytes;
        stats->qualifiers = got.qualifiers;
        stats->classes = got.classes;
        stats->instances = got.instances;
        stats->errors = got.errors;
        stats->warnings = got.warnings;
        stats->unchanged = got.unchanged;
        stats->updated = got.updated;
    }
    mi_catalog_free(catalog);
    return r;
}
