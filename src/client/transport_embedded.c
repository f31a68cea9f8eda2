/*
 * transport_embedded — sessions on this machine: the engine in this process over the
 * repository file (see transport.h), created with its folders on first use. A
 * session's calls come one after another, so its connection keeps its read snapshot
 * between them.
 */
#include "transport.h"

#include "engine/engine.h"
#include "hosted.h"
#include "local_session.h"
#include "provider/host.h"
#include "provider/registration.h"
#include "repo/repository.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct embedded {
    mi_repository *repo;
    mi_engine engine;
    /* the providers registered in the repository, hosted in this process (and with
     * LIBMI_PROVIDER_HOSTING=registered, the isolated ones in host processes) */
    mi_provider_host *providers;
    mi_isolated_host *isolated;
    mi_source_registry *sources;
    mi_local_session *local; /* the providers' MI_Context_GetLocalSession */
} embedded;

static MI_Result engine_open(void *engine, const mi_request *request, void **cursor, mi_error *err)
{
    mi_engine_cursor *c = NULL;
    MI_Result r = mi_engine_open(engine, request, &c, err);
    *cursor = c;
    return r;
}

static MI_Result engine_next(void *cursor, const MI_Instance **result, mi_error *err)
{
    return mi_engine_next(cursor, result, err);
}

static void engine_close(void *cursor)
{
    mi_engine_close(cursor);
}

static mi_result_source embedded_results(void *self)
{
    embedded *e = self;
    mi_result_source s = {engine_open, engine_next, engine_close, &e->engine};
    return s;
}

static MI_Result embedded_classes(void *self, const mi_request *request, mi_class ***classes,
                                  size_t *count, mi_error *err)
{
    embedded *e = self;
    return mi_engine_classes(&e->engine, request, classes, count, err);
}

static void *embedded_repository(void *self)
{
    return ((embedded *)self)->repo;
}

static void embedded_free(void *self)
{
    embedded *e = self;
    if (e) {
        mi_local_session_free(e->local); /* before the providers that may run on it */
        mi_source_registry_free(e->sources);
        mi_provider_host_free(e->providers);
        mi_isolated_host_free(e->isolated);
        mi_repository_close(e->repo);
    }
    free(e);
}

/* The built-in Linux provider: beside this library (or the program it is linked into)
 * in libmi/providers/, or in LIBMI_PROVIDER_DIR. */
static bool builtin_module(char *out, size_t size)
{
    const char *dir = getenv("LIBMI_PROVIDER_DIR");
    if (dir && *dir) {
        snprintf(out, size, "%s/libmi-linux.so", dir);
        return access(out, R_OK) == 0;
    }
    return mi_provider_find_installed("libmi/providers/libmi-linux.so", out, size);
}

/* A new per-user default repository serves the live machine from the start: the
 * built-in provider is registered in root/cimv2 (where it is found; quietly not, else). */
static void register_builtin(mi_repository *repo)
{
    char module[4200];
    mi_provider_report report;
    mi_error ignored = {0};
    if (builtin_module(module, sizeof module))
        mi_provider_register(repo, module, "root/cimv2", false, &report, &ignored);
}

typedef struct serving {
    embedded *e;
    mi_error *err;
} serving;

/* A provider this process hosts (MI_Application_NewHostedProvider), served in-process. */
static MI_Result serve_hosted(void *arg, const char *ns, const char *name, MI_MainFunction main)
{
    serving *s = arg;
    return mi_provider_serve_hosted(s->e->repo, s->e->providers, s->e->sources, ns, name, main,
                                    s->err);
}

/* The registered providers, each module opened when an operation first needs it; none
 * registered (nor hosted by this process): no registry, and the repository serves
 * everything on its fast paths.
 * Local sessions host every module in this process unless LIBMI_PROVIDER_HOSTING is
 * "registered": then each as it was registered. */
static MI_Result serve_providers(embedded *e, const char *path, mi_error *err)
{
    const char *hosting = getenv("LIBMI_PROVIDER_HOSTING");
    bool as_registered = hosting && strcmp(hosting, "registered") == 0;
    if (hosting && *hosting && !as_registered && strcmp(hosting, "in-process") != 0)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER,
                            "LIBMI_PROVIDER_HOSTING is \"%s\": in-process or registered, please",
                            hosting);
    MI_Result r = mi_provider_host_new(&e->providers, err);
    if (r == MI_RESULT_OK && as_registered)
        r = mi_isolated_host_new(&e->isolated, NULL, 60, err);
    if (r == MI_RESULT_OK && as_registered && strcmp(path, ":memory:") != 0)
        r = mi_isolated_host_repository(e->isolated, path, err);
    if (r == MI_RESULT_OK)
        r = mi_source_registry_new(&e->sources, err);
    if (r == MI_RESULT_OK)
        r = mi_provider_serve_registered(e->repo, e->providers, e->isolated, e->sources, err);
    if (r == MI_RESULT_OK) {
        serving s = {e, err};
        r = mi_hosted_each(serve_hosted, &s);
    }
    if (r == MI_RESULT_OK && mi_source_registry_count(e->sources) == 0) {
        mi_source_registry_free(e->sources);
        e->sources = NULL;
    }
    return r;
}

static const mi_transport_ops embedded_ops = {embedded_results, embedded_classes,
                                              embedded_repository, embedded_free};

/* ---- over an engine that lives elsewhere ---- */

static mi_result_source borrowed_results(void *self)
{
    mi_result_source s = {engine_open, engine_next, engine_close, self};
    return s;
}

static MI_Result borrowed_classes(void *self, const mi_request *request, mi_class ***classes,
                                  size_t *count, mi_error *err)
{
    return mi_engine_classes(self, request, classes, count, err);
}

static void *borrowed_repository(void *self)
{
    return ((mi_engine *)self)->repo;
}

static void borrowed_free(void *self)
{
    (void)self; /* the engine is its owner's */
}

static const mi_transport_ops borrowed_ops = {borrowed_results, borrowed_classes,
                                              borrowed_repository, borrowed_free};

mi_transport mi_transport_over_engine(mi_engine *engine)
{
    return (mi_transport){&borrowed_ops, engine};
}

static bool embedded_serves(const char *protocol, const char *destination)
{
    (void)protocol; /* any: nothing goes over a wire */
    return !destination || !*destination || !strcasecmp(destination, "localhost") ||
           !strcasecmp(destination, "local");
}

/* Creates the folders of path (not its last part), like mkdir -p. */
static void make_parents(char *path)
{
    for (char *slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(path, 0700);
        *slash = '/';
    }
}

static MI_Result embedded_connect(const char *destination, MI_DestinationOptions *options,
                                  mi_transport *out, mi_error *err)
{
    (void)destination;
    char path[4096];
    const MI_Char *named = NULL;
    if (options && options->ft &&
        MI_DestinationOptions_GetString(options, MI_T("LIBMI_REPOSITORY"), &named, NULL, NULL) ==
            MI_RESULT_OK &&
        named && *named)
        snprintf(path, sizeof path, "%s", named);
    else
        mi_repository_default_path(path, sizeof path);
    MI_Uint32 create = 1;
    if (options && options->ft)
        MI_DestinationOptions_GetNumber(options, MI_T("LIBMI_CREATE_REPOSITORY"), &create, NULL,
                                        NULL);
    bool memory = strcmp(path, ":memory:") == 0;
    struct stat st;
    bool exists = memory || stat(path, &st) == 0;
    if (!create && !exists)
        return mi_error_set(err, MI_RESULT_NOT_FOUND, "no repository at %s", path);
    const char *chosen = getenv("MI_REPOSITORY");
    bool per_user_default = !named && !(chosen && *chosen);
    embedded *e = calloc(1, sizeof *e);
    if (!e)
        return mi_error_nomem(err);
    if (!memory)
        make_parents(path);
    MI_Result r = mi_repository_open(&e->repo, path, create != 0, err);
    if (r != MI_RESULT_OK) {
        free(e);
        return r;
    }
    if (!exists && per_user_default)
        register_builtin(e->repo);
    mi_repository_keep_snapshots(e->repo);
    r = serve_providers(e, path, err);
    if (r != MI_RESULT_OK) {
        embedded_free(e);
        return r;
    }
    e->engine = (mi_engine){e->repo, e->sources};
    if (e->sources) {
        r = mi_local_session_new(&e->engine, &e->local, err);
        if (r != MI_RESULT_OK) {
            embedded_free(e);
            return r;
        }
        mi_provider_host_local_sessions(e->providers,
                                        (mi_local_sessions){mi_local_session_get, e->local});
    }
    *out = (mi_transport){&embedded_ops, e};
    return MI_RESULT_OK;
}

const mi_transport_kind mi_transport_embedded = {embedded_serves, embedded_connect};
