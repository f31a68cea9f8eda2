/*
 * session — see session.h.
 *
 * A local session owns a connection to the embedded repository (MI_REPOSITORY, or the
 * default location), a remote one a CIM-XML transport (remote.c); both keep the list of
 * their running operations. Instance operations run through a result source (the engine
 * or the server), classes come from the repository or the server's GetClass and
 * EnumerateClasses; the operations not served (methods, queries, subscriptions) complete
 * at once with MI_RESULT_NOT_SUPPORTED and a message naming the operation, through the
 * same delivery path (callbacks or MI_Operation_Get*) as real results.
 */
#define _DEFAULT_SOURCE

#include "session.h"

#include "core/class_object.h"
#include "core/instance.h"
#include "operation.h"
#include "options.h"
#include "remote.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

typedef struct session_state {
    MI_Application application;
    char *destination;
    mi_repository *repo; /* a local session */
    mi_engine engine;    /* over repo */
    mi_remote *remote;   /* a session with a CIM server */
    mi_operation_list operations;
} session_state;

static const MI_SessionFT session_ft;

static void not_supported(MI_Session *session, mi_result_kind kind, const char *what,
                          MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    char message[160];
    snprintf(message, sizeof message, "%s is not supported by this version of libmi", what);
    mi_operation_finish_now(session, kind, callbacks, operation, MI_RESULT_NOT_SUPPORTED, message);
}

static MI_Result ft_close(MI_Session *session, void *context, void(MI_CALL *done)(void *))
{
    session_state *s = (session_state *)session->reserved2;
    mi_operation_list_stop_all(&s->operations);
    mi_repository_close(s->repo);
    mi_remote_free(s->remote);
    free(s->destination);
    free(s);
    memset(session, 0, sizeof *session);
    if (done)
        done(context);
    return MI_RESULT_OK;
}

static MI_Result ft_get_application(MI_Session *session, MI_Application *application)
{
    if (!application)
        return MI_RESULT_INVALID_PARAMETER;
    *application = ((session_state *)session->reserved2)->application;
    return MI_RESULT_OK;
}

#define UNUSED __attribute__((unused))

#define UNSUPPORTED_INSTANCE_OP(NAME, LABEL, ...)                                                  \
    static void NAME(MI_Session *session, MI_Uint32 flags, MI_OperationOptions *options,           \
                     const MI_Char *namespaceName, __VA_ARGS__, MI_OperationCallbacks *callbacks,  \
                     MI_Operation *operation)                                                      \
    {                                                                                              \
        (void)flags, (void)options, (void)namespaceName;                                           \
        not_supported(session, MI_RESULTS_INSTANCES, LABEL, callbacks, operation);                 \
    }

UNSUPPORTED_INSTANCE_OP(ft_invoke, "MI_Session_Invoke", UNUSED const MI_Char *cls,
                        UNUSED const MI_Char *m, UNUSED const MI_Instance *in,
                        UNUSED const MI_Instance *params)
UNSUPPORTED_INSTANCE_OP(ft_query_instances, "MI_Session_QueryInstances",
                        UNUSED const MI_Char *dialect, UNUSED const MI_Char *query)
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

static void run(MI_Session *session, MI_Uint32 flags, MI_OperationOptions *options,
                const mi_request *request, MI_OperationCallbacks *callbacks,
                MI_Operation *operation)
{
    session_state *s = (session_state *)session->reserved2;
    mi_result_source local = {engine_open, engine_next, engine_close, &s->engine};
    mi_result_source source = s->remote ? mi_remote_source(s->remote) : local;
    mi_operation_start_engine(session, &s->operations, &source, flags, request,
                              mi_operation_options_timeout_usec(options), callbacks, operation);
}

static void ft_get_instance(MI_Session *session, MI_Uint32 flags, MI_OperationOptions *options,
                            const MI_Char *ns, const MI_Instance *key,
                            MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    mi_request request = {.operation = MI_OP_GET_INSTANCE, .namespace_name = ns, .source = key};
    run(session, flags, options, &request, callbacks, operation);
}

static void ft_enumerate_instances(MI_Session *session, MI_Uint32 flags,
                                   MI_OperationOptions *options, const MI_Char *ns,
                                   const MI_Char *class_name, MI_Boolean keys_only,
                                   MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    mi_request request = {
        .operation = MI_OP_ENUMERATE_INSTANCES,
        .namespace_name = ns,
        .class_name = class_name,
        .keys_only = keys_only,
        /* POLYMORPHISM_SHALLOW (0x80) and not DEEP_BASE_PROPS_ONLY (0x180) */
        .shallow = (flags & MI_OPERATIONFLAGS_POLYMORPHISM_DEEP_BASE_PROPS_ONLY) ==
                   MI_OPERATIONFLAGS_POLYMORPHISM_SHALLOW,
    };
    run(session, flags, options, &request, callbacks, operation);
}

static void change(MI_Session *session, MI_Uint32 flags, MI_OperationOptions *options,
                   const MI_Char *ns, mi_operation_kind what, const MI_Instance *instance,
                   MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    mi_request request = {.operation = what, .namespace_name = ns};
    if (what == MI_OP_DELETE_INSTANCE)
        request.source = instance;
    else
        request.instance = instance;
    run(session, flags, options, &request, callbacks, operation);
}

static void ft_create_instance(MI_Session *session, MI_Uint32 flags, MI_OperationOptions *options,
                               const MI_Char *ns, const MI_Instance *instance,
                               MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    change(session, flags, options, ns, MI_OP_CREATE_INSTANCE, instance, callbacks, operation);
}

static void ft_modify_instance(MI_Session *session, MI_Uint32 flags, MI_OperationOptions *options,
                               const MI_Char *ns, const MI_Instance *instance,
                               MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    change(session, flags, options, ns, MI_OP_MODIFY_INSTANCE, instance, callbacks, operation);
}

static void ft_delete_instance(MI_Session *session, MI_Uint32 flags, MI_OperationOptions *options,
                               const MI_Char *ns, const MI_Instance *instance,
                               MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    change(session, flags, options, ns, MI_OP_DELETE_INSTANCE, instance, callbacks, operation);
}

static void ft_associator_instances(MI_Session *session, MI_Uint32 flags,
                                    MI_OperationOptions *options, const MI_Char *ns,
                                    const MI_Instance *key, const MI_Char *assoc_class,
                                    const MI_Char *result_class, const MI_Char *role,
                                    const MI_Char *result_role, MI_Boolean keys_only,
                                    MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    mi_request request = {
        .operation = keys_only ? MI_OP_ASSOCIATOR_NAMES : MI_OP_ASSOCIATORS,
        .namespace_name = ns,
        .source = key,
        .assoc_class = assoc_class,
        .result_class = result_class,
        .role = role,
        .result_role = result_role,
        .keys_only = keys_only,
    };
    run(session, flags, options, &request, callbacks, operation);
}

static void ft_reference_instances(MI_Session *session, MI_Uint32 flags,
                                   MI_OperationOptions *options, const MI_Char *ns,
                                   const MI_Instance *key, const MI_Char *result_class,
                                   const MI_Char *role, MI_Boolean keys_only,
                                   MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    mi_request request = {
        .operation = keys_only ? MI_OP_REFERENCE_NAMES : MI_OP_REFERENCES,
        .namespace_name = ns,
        .source = key,
        .result_class = result_class,
        .role = role,
        .keys_only = keys_only,
    };
    run(session, flags, options, &request, callbacks, operation);
}

static void ft_subscribe(MI_Session *session, MI_Uint32 flags, MI_OperationOptions *options,
                         const MI_Char *ns, const MI_Char *dialect, const MI_Char *query,
                         const MI_SubscriptionDeliveryOptions *delivery,
                         MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    (void)flags, (void)options, (void)ns, (void)dialect, (void)query, (void)delivery;
    not_supported(session, MI_RESULTS_INDICATIONS, "MI_Session_Subscribe", callbacks, operation);
}

/* The class objects made (made of them) to the caller, or, when making them failed (r),
 * none and the failure. */
static void hand_over_classes(MI_Session *session, MI_OperationCallbacks *callbacks,
                              MI_Operation *operation, MI_Class **classes, size_t made, MI_Result r)
{
    if (r != MI_RESULT_OK) {
        for (size_t i = 0; i < made; i++)
            MI_Class_Delete(classes[i]);
        free(classes);
        mi_operation_finish_now(session, MI_RESULTS_CLASSES, callbacks, operation, r,
                                "out of memory");
        return;
    }
    mi_operation_finish_with_classes(session, callbacks, operation, classes, made, MI_RESULT_OK,
                                     NULL);
}

/* The classes named, as MI_Class objects, to the caller. */
static void deliver_classes(MI_Session *session, const char *ns, char **names, size_t count,
                            MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    session_state *s = (session_state *)session->reserved2;
    MI_Class **classes = count ? calloc(count, sizeof *classes) : NULL;
    MI_Result r = count && !classes ? MI_RESULT_SERVER_LIMITS_EXCEEDED : MI_RESULT_OK;
    size_t made = 0;
    for (size_t i = 0; r == MI_RESULT_OK && i < count; i++) {
        mi_class *cls = mi_repository_find_class(s->repo, ns, names[i]);
        if (cls && (r = mi_class_object_new(cls, ns, &classes[made])) == MI_RESULT_OK)
            made++;
    }
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
    hand_over_classes(session, callbacks, operation, classes, made, r);
}

/* GetClass and EnumerateClasses on the server; the call waits for the reply (within the
 * operation's timeout) and then hands the classes over. */
static void remote_classes(MI_Session *session, MI_OperationOptions *options, const char *ns,
                           const char *class_name, bool enumerate, bool deep,
                           MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    session_state *s = (session_state *)session->reserved2;
    MI_Uint64 timeout = mi_operation_options_timeout_usec(options);
    mi_request q = {.namespace_name = ns ? ns : "root/cimv2"};
    q.deadline_usec = timeout ? mi_request_now_usec() + timeout : 0;
    mi_class **found;
    size_t count;
    mi_error err = {0};
    MI_Result r =
        !enumerate && !class_name
            ? mi_error_set(&err, MI_RESULT_INVALID_PARAMETER, "no class name given")
            : mi_remote_classes(s->remote, &q, class_name, enumerate, deep, &found, &count, &err);
    if (r != MI_RESULT_OK) {
        mi_operation_finish_now(session, MI_RESULTS_CLASSES, callbacks, operation, r, err.message);
        return;
    }
    MI_Class **classes = count ? calloc(count, sizeof *classes) : NULL;
    size_t made = 0;
    r = count && !classes ? MI_RESULT_SERVER_LIMITS_EXCEEDED : MI_RESULT_OK;
    for (size_t i = 0; r == MI_RESULT_OK && i < count; i++) {
        if ((r = mi_class_object_new(found[i], q.namespace_name, &classes[made])) == MI_RESULT_OK)
            made++;
    }
    for (size_t i = 0; i < count; i++)
        mi_class_unref(found[i]); /* the class objects hold their own references */
    free(found);
    hand_over_classes(session, callbacks, operation, classes, made, r);
}

static void ft_get_class(MI_Session *session, MI_Uint32 flags, MI_OperationOptions *options,
                         const MI_Char *ns, const MI_Char *class_name,
                         MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    (void)flags, (void)options;
    session_state *s = (session_state *)session->reserved2;
    char message[300];
    if (s->remote) {
        remote_classes(session, options, ns, class_name, false, false, callbacks, operation);
        return;
    }
    if (!ns || !mi_repository_has_namespace(s->repo, ns)) {
        snprintf(message, sizeof message, "namespace %s does not exist", ns ? ns : "(null)");
        mi_operation_finish_now(session, MI_RESULTS_CLASSES, callbacks, operation,
                                MI_RESULT_INVALID_NAMESPACE, message);
        return;
    }
    if (!class_name || !mi_repository_find_class(s->repo, ns, class_name)) {
        snprintf(message, sizeof message, "class %s is not in namespace %s",
                 class_name ? class_name : "(null)", ns);
        mi_operation_finish_now(session, MI_RESULTS_CLASSES, callbacks, operation,
                                MI_RESULT_NOT_FOUND, message);
        return;
    }
    char **names = malloc(sizeof *names);
    if (names && !(names[0] = strdup(class_name))) {
        free(names);
        names = NULL;
    }
    if (!names) {
        mi_operation_finish_now(session, MI_RESULTS_CLASSES, callbacks, operation,
                                MI_RESULT_SERVER_LIMITS_EXCEEDED, "out of memory");
        return;
    }
    deliver_classes(session, ns, names, 1, callbacks, operation);
}

static void ft_enumerate_classes(MI_Session *session, MI_Uint32 flags, MI_OperationOptions *options,
                                 const MI_Char *ns, const MI_Char *class_name,
                                 MI_Boolean names_only, MI_OperationCallbacks *callbacks,
                                 MI_Operation *operation)
{
    (void)options, (void)names_only; /* classes come whole: their names are in them */
    session_state *s = (session_state *)session->reserved2;
    char message[300];
    bool shallow = (flags & MI_OPERATIONFLAGS_POLYMORPHISM_DEEP_BASE_PROPS_ONLY) ==
                   MI_OPERATIONFLAGS_POLYMORPHISM_SHALLOW;
    if (s->remote) {
        remote_classes(session, options, ns, class_name && *class_name ? class_name : NULL, true,
                       !shallow, callbacks, operation);
        return;
    }
    if (class_name && *class_name && ns && mi_repository_has_namespace(s->repo, ns) &&
        !mi_repository_find_class(s->repo, ns, class_name)) {
        snprintf(message, sizeof message, "class %s is not in namespace %s", class_name, ns);
        mi_operation_finish_now(session, MI_RESULTS_CLASSES, callbacks, operation,
                                MI_RESULT_INVALID_CLASS, message);
        return;
    }
    char **names;
    size_t count;
    mi_error err = {0};
    MI_Result r = mi_repository_class_names(
        s->repo, ns, class_name && *class_name ? class_name : NULL, !shallow, &names, &count, &err);
    if (r != MI_RESULT_OK) {
        mi_operation_finish_now(session, MI_RESULTS_CLASSES, callbacks, operation, r, err.message);
        return;
    }
    deliver_classes(session, ns, names, count, callbacks, operation);
}

static void ft_test_connection(MI_Session *session, MI_Uint32 flags,
                               MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    (void)flags;
    /* a local session is always reachable */
    mi_operation_finish_now(session, MI_RESULTS_INSTANCES, callbacks, operation, MI_RESULT_OK,
                            NULL);
}

static const MI_SessionFT session_ft = {
    ft_close,
    ft_get_application,
    ft_get_instance,
    ft_modify_instance,
    ft_create_instance,
    ft_delete_instance,
    ft_invoke,
    ft_enumerate_instances,
    ft_query_instances,
    ft_associator_instances,
    ft_reference_instances,
    ft_subscribe,
    ft_get_class,
    ft_enumerate_classes,
    ft_test_connection,
};

/* Creates the folders of path (not its last part), like mkdir -p. */
static void make_parents(char *path)
{
    for (char *slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(path, 0700);
        *slash = '/';
    }
}

/* The embedded repository (mi_repository_default_path); created on first use. */
static MI_Result open_repository(mi_repository **out, mi_error *err)
{
    char path[4096];
    mi_repository_default_path(path, sizeof path);
    if (strcmp(path, ":memory:") != 0)
        make_parents(path);
    MI_Result r = mi_repository_open(out, path, true, err);
    if (r == MI_RESULT_OK) /* a session's calls come one after another: keep the snapshot */
        mi_repository_keep_snapshots(*out);
    return r;
}

/* A remote session: the first destination credentials (Basic) and the certificate
 * check come from the destination options. */
static MI_Result open_remote(session_state *s, const char *url, MI_DestinationOptions *options,
                             mi_error *err)
{
    const MI_Char *user = NULL;
    char password[512] = "";
    MI_Boolean verify = MI_TRUE;
    MI_Uint32 count = 0;
    if (options && options->ft) {
        MI_DestinationOptions_GetCertCACheck(options, &verify);
        MI_DestinationOptions_GetCredentialsCount(options, &count);
        if (count > 0) {
            const MI_Char *name = NULL;
            MI_UserCredentials creds;
            MI_Uint32 length = 0, flags = 0;
            if (MI_DestinationOptions_GetCredentialsAt(options, 0, &name, &creds, &flags) ==
                MI_RESULT_OK)
                user = creds.credentials.usernamePassword.username;
            if (MI_DestinationOptions_GetCredentialsPasswordAt(
                    options, 0, &name, password, sizeof password, &length, &flags) != MI_RESULT_OK)
                password[0] = '\0';
        }
    }
    MI_Result r =
        mi_remote_new(&s->remote, url, user, user ? password : NULL, verify != MI_FALSE, err);
    explicit_bzero(password, sizeof password);
    return r;
}

/* An extended error in the shape of CIM_Error: Message, CIMStatusCode and its name. */
static MI_Instance *error_instance(MI_Result code, const char *message)
{
    MI_Instance *inst = NULL;
    if (mi_instance_new(&inst, "CIM_Error", NULL, NULL) != MI_RESULT_OK)
        return NULL;
    MI_Value v;
    v.string = (MI_Char *)message;
    MI_Result r = mi_instance_add_element(inst, "Message", &v, MI_STRING, 0, NULL);
    v.uint32 = (MI_Uint32)code;
    if (r == MI_RESULT_OK)
        r = mi_instance_add_element(inst, "CIMStatusCode", &v, MI_UINT32, 0, NULL);
    v.string = (MI_Char *)MI_Libmi_ResultName(code);
    if (r == MI_RESULT_OK)
        r = mi_instance_add_element(inst, "CIMStatusCodeDescription", &v, MI_STRING, 0, NULL);
    if (r != MI_RESULT_OK) {
        mi_instance_delete(inst);
        return NULL;
    }
    return inst;
}

MI_Result mi_session_new(MI_Application *application, const MI_Char *protocol,
                         const MI_Char *destination, MI_DestinationOptions *options,
                         MI_Instance **extended_error, MI_Session *session)
{
    if (extended_error)
        *extended_error = NULL;
    if (!session)
        return MI_RESULT_INVALID_PARAMETER;
    memset(session, 0, sizeof *session);
    if (protocol && strcasecmp(protocol, "WINRM") != 0 && strcasecmp(protocol, "CIMXML") != 0)
        return strcasecmp(protocol, "WMIDCOM") == 0 ? MI_RESULT_NOT_SUPPORTED
                                                    : MI_RESULT_INVALID_PARAMETER;
    bool local = !destination || !*destination || strcasecmp(destination, "localhost") == 0 ||
                 strcasecmp(destination, "local") == 0;
    if (!local && strncasecmp(destination, "http://", 7) != 0 &&
        strncasecmp(destination, "https://", 8) != 0) {
        if (extended_error)
            *extended_error = error_instance(MI_RESULT_NOT_SUPPORTED,
                                             "a remote destination is http://host[:port] or "
                                             "https://host[:port] (CIM-XML)");
        return MI_RESULT_NOT_SUPPORTED;
    }
    if (!local && protocol && strcasecmp(protocol, "CIMXML") != 0) {
        if (extended_error)
            *extended_error = error_instance(MI_RESULT_NOT_SUPPORTED,
                                             "remote sessions speak CIM-XML (protocol CIMXML)");
        return MI_RESULT_NOT_SUPPORTED;
    }
    session_state *s = calloc(1, sizeof *s);
    if (!s)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    mi_error err = {0};
    MI_Result r =
        local ? open_repository(&s->repo, &err) : open_remote(s, destination, options, &err);
    if (r != MI_RESULT_OK && extended_error)
        *extended_error = error_instance(r, err.message);
    if (r == MI_RESULT_OK && mi_operation_list_init(&s->operations) != MI_RESULT_OK) {
        mi_repository_close(s->repo);
        r = MI_RESULT_SERVER_LIMITS_EXCEEDED;
    }
    if (r != MI_RESULT_OK) {
        free(s);
        return r;
    }
    s->engine = (mi_engine){s->repo, NULL};
    s->application = *application;
    session->reserved2 = (ptrdiff_t)s;
    session->ft = &session_ft;
    return MI_RESULT_OK;
}

mi_repository *mi_session_repository(const MI_Session *session)
{
    if (!session || session->ft != &session_ft || !session->reserved2)
        return NULL;
    return ((const session_state *)session->reserved2)->repo;
}
