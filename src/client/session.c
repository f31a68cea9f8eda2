/*
 * session — see session.h.
 *
 * A session owns its transport (transport.h: the embedded engine, or a server over a
 * protocol) and the list of its running operations. Every MI_Session_* call becomes one
 * mi_request: instance operations run through the transport's result source, classes
 * through its class call; the operations not served (methods, queries, subscriptions)
 * complete at once with MI_RESULT_NOT_SUPPORTED and a message naming the operation,
 * through the same delivery path (callbacks or MI_Operation_Get*) as real results.
 */
#define _DEFAULT_SOURCE

#include "session.h"

#include "errors.h"

#include "core/class_object.h"
#include "core/instance.h"
#include "operation.h"
#include "options.h"
#include "transport.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

typedef struct session_state {
    MI_Application application;
    mi_transport transport;
    mi_operation_list operations;
} session_state;

static const MI_SessionFT session_ft;

/* The transports a session may take, in the order they are asked. */
static const mi_transport_kind *const transports[] = {&mi_transport_embedded, &mi_transport_wsman,
                                                      &mi_transport_cimxml, NULL};

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
    s->transport.ops->free(s->transport.self);
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

static void run(MI_Session *session, MI_Uint32 flags, MI_OperationOptions *options,
                const mi_request *request, MI_OperationCallbacks *callbacks,
                MI_Operation *operation)
{
    session_state *s = (session_state *)session->reserved2;
    mi_result_source source = s->transport.ops->results(s->transport.self);
    mi_request with_batch = *request;
    MI_Uint32 batch = 0;
    if (options && options->ft &&
        MI_OperationOptions_GetNumber(options, MI_T("LIBMI_PULL_BATCH"), &batch, NULL, NULL) ==
            MI_RESULT_OK)
        with_batch.batch_size = batch;
    /* the properties results carry besides their keys: a string array custom option */
    MI_Value list;
    MI_Type list_type;
    if (options && options->ft &&
        MI_OperationOptions_GetOption(options, MI_T("LIBMI_PROPERTY_LIST"), &list, &list_type, NULL,
                                      NULL) == MI_RESULT_OK &&
        list_type == MI_STRINGA) {
        with_batch.has_property_list = true;
        with_batch.properties = (const char *const *)list.stringa.data;
        with_batch.property_count = list.stringa.size;
    }
    mi_operation_start_engine(session, &s->operations, &source, flags, &with_batch,
                              mi_operation_options_timeout_usec(options), callbacks, operation);
}

/* A method of a class (static) or of the instance target names, run by the provider of
 * its class: one result, the output parameters (ReturnValue and the out parameters). A
 * class without a provider answers METHOD_NOT_AVAILABLE when it declares the method,
 * METHOD_NOT_FOUND when it does not, as DSP0200 and WMI tell them apart. */
static void ft_invoke(MI_Session *session, MI_Uint32 flags, MI_OperationOptions *options,
                      const MI_Char *ns, const MI_Char *class_name, const MI_Char *method,
                      const MI_Instance *target, const MI_Instance *parameters,
                      MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    const MI_Char *name = class_name;
    if (!name && target)
        MI_Instance_GetClassName(target, &name);
    if (!name || !method || !*method) {
        mi_operation_finish_now(session, MI_RESULTS_INSTANCES, callbacks, operation,
                                MI_RESULT_INVALID_PARAMETER,
                                "MI_Session_Invoke needs a class (or an instance) and a method "
                                "name");
        return;
    }
    mi_request request = {.operation = MI_OP_INVOKE,
                          .namespace_name = ns,
                          .class_name = name,
                          .source = target,
                          .instance = parameters,
                          .method = method};
    run(session, flags, options, &request, callbacks, operation);
}

/* WQL or CQL (SELECT, ASSOCIATORS OF, REFERENCES OF), run by the engine (a remote
 * session sends it as ExecQuery). */
static void ft_query_instances(MI_Session *session, MI_Uint32 flags, MI_OperationOptions *options,
                               const MI_Char *ns, const MI_Char *dialect, const MI_Char *query,
                               MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    mi_request request = {.operation = MI_OP_QUERY_INSTANCES,
                          .namespace_name = ns,
                          .query_language = dialect,
                          .query_text = query};
    run(session, flags, options, &request, callbacks, operation);
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

/* GetClass and EnumerateClasses through the transport; the call waits for the classes
 * (within the operation's timeout) and then hands them over as MI_Class objects. */
static void classes(MI_Session *session, MI_OperationOptions *options, const mi_request *request,
                    MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    session_state *s = (session_state *)session->reserved2;
    MI_Uint64 timeout = mi_operation_options_timeout_usec(options);
    mi_request q = *request;
    q.deadline_usec = timeout ? mi_request_now_usec() + timeout : 0;
    mi_class **found;
    size_t count;
    mi_error err = {0};
    MI_Result r = s->transport.ops->classes(s->transport.self, &q, &found, &count, &err);
    if (r != MI_RESULT_OK) {
        mi_operation_finish_now(session, MI_RESULTS_CLASSES, callbacks, operation, r, err.message);
        return;
    }
    MI_Class **objects = count ? calloc(count, sizeof *objects) : NULL;
    size_t made = 0;
    r = count && !objects ? MI_RESULT_SERVER_LIMITS_EXCEEDED : MI_RESULT_OK;
    for (size_t i = 0; r == MI_RESULT_OK && i < count; i++) {
        mi_class *given = found[i], *named = NULL;
        if (q.operation == MI_OP_ENUMERATE_CLASSES && q.keys_only) {
            /* classNamesOnly: the name and the superclass, no features */
            r = mi_class_new(&named, given->name, NULL, NULL);
            if (r == MI_RESULT_OK && given->superclass) {
                mi_class_ref(given->superclass);
                named->superclass = given->superclass;
                named->flags = given->flags & (MI_FLAG_CLASS | MI_FLAG_ASSOCIATION |
                                               MI_FLAG_INDICATION | MI_FLAG_ABSTRACT);
            }
            given = named;
        }
        if (r == MI_RESULT_OK &&
            (r = mi_class_object_new(given, q.namespace_name, &objects[made])) == MI_RESULT_OK)
            made++;
        if (named)
            mi_class_unref(named);
    }
    for (size_t i = 0; i < count; i++)
        mi_class_unref(found[i]); /* the class objects hold their own references */
    free(found);
    if (r != MI_RESULT_OK) {
        for (size_t i = 0; i < made; i++)
            MI_Class_Delete(objects[i]);
        free(objects);
        mi_operation_finish_now(session, MI_RESULTS_CLASSES, callbacks, operation, r,
                                "out of memory");
        return;
    }
    mi_operation_finish_with_classes(session, callbacks, operation, objects, made, MI_RESULT_OK,
                                     NULL);
}

static void ft_get_class(MI_Session *session, MI_Uint32 flags, MI_OperationOptions *options,
                         const MI_Char *ns, const MI_Char *class_name,
                         MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    mi_request q = {.operation = MI_OP_GET_CLASS,
                    .namespace_name = ns,
                    .class_name = class_name,
                    .flags = flags};
    classes(session, options, &q, callbacks, operation);
}

static void ft_enumerate_classes(MI_Session *session, MI_Uint32 flags, MI_OperationOptions *options,
                                 const MI_Char *ns, const MI_Char *class_name,
                                 MI_Boolean names_only, MI_OperationCallbacks *callbacks,
                                 MI_Operation *operation)
{
    mi_request q = {
        .operation = MI_OP_ENUMERATE_CLASSES,
        .namespace_name = ns,
        .class_name = class_name,
        .keys_only = names_only != MI_FALSE, /* classNamesOnly */
        .flags = flags,
        /* POLYMORPHISM_SHALLOW (0x80) and not DEEP_BASE_PROPS_ONLY (0x180) */
        .shallow = (flags & MI_OPERATIONFLAGS_POLYMORPHISM_DEEP_BASE_PROPS_ONLY) ==
                   MI_OPERATIONFLAGS_POLYMORPHISM_SHALLOW,
    };
    classes(session, options, &q, callbacks, operation);
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
    const mi_transport_kind *kind = NULL;
    for (size_t i = 0; !kind && transports[i]; i++)
        kind = transports[i]->serves(protocol, destination) ? transports[i] : NULL;
    if (!kind) {
        bool http = destination && (strncasecmp(destination, "http://", 7) == 0 ||
                                    strncasecmp(destination, "https://", 8) == 0);
        if (extended_error)
            *extended_error =
                mi_error_instance(MI_RESULT_NOT_SUPPORTED,
                                  http ? "remote sessions speak CIM-XML (protocol CIMXML) or "
                                         "WS-Management (protocol WINRM)"
                                       : "a remote destination is http://host[:port] or "
                                         "https://host[:port] (CIM-XML)");
        return MI_RESULT_NOT_SUPPORTED;
    }
    mi_transport transport;
    mi_error err = {0};
    MI_Result r = kind->connect(destination, options, &transport, &err);
    if (r != MI_RESULT_OK) {
        if (extended_error)
            *extended_error = mi_error_instance(r, err.message);
        return r;
    }
    return mi_session_over(application, transport, session);
}

MI_Result mi_session_over(MI_Application *application, mi_transport transport, MI_Session *session)
{
    memset(session, 0, sizeof *session);
    session_state *s = calloc(1, sizeof *s);
    if (!s || mi_operation_list_init(&s->operations) != MI_RESULT_OK) {
        free(s);
        transport.ops->free(transport.self);
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    }
    s->transport = transport;
    s->application = *application;
    session->reserved2 = (ptrdiff_t)s;
    session->ft = &session_ft;
    return MI_RESULT_OK;
}

mi_repository *mi_session_repository(const MI_Session *session)
{
    if (!session || session->ft != &session_ft || !session->reserved2)
        return NULL;
    const session_state *s = (const session_state *)session->reserved2;
    return s->transport.ops->repository(s->transport.self);
}
