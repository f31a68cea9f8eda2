/*
 * session — see session.h.
 *
 * Until the engine is linked in, every operation of a session completes at once with
 * MI_RESULT_NOT_SUPPORTED and a message naming the operation, through the same delivery
 * path (callbacks or MI_Operation_Get*) that real results will take.
 */
#include "session.h"

#include "operation.h"

#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct session_state {
    MI_Application application;
    char *destination;
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

UNSUPPORTED_INSTANCE_OP(ft_get_instance, "MI_Session_GetInstance", UNUSED const MI_Instance *in)
UNSUPPORTED_INSTANCE_OP(ft_modify_instance, "MI_Session_ModifyInstance",
                        UNUSED const MI_Instance *in)
UNSUPPORTED_INSTANCE_OP(ft_create_instance, "MI_Session_CreateInstance",
                        UNUSED const MI_Instance *in)
UNSUPPORTED_INSTANCE_OP(ft_delete_instance, "MI_Session_DeleteInstance",
                        UNUSED const MI_Instance *in)
UNSUPPORTED_INSTANCE_OP(ft_invoke, "MI_Session_Invoke", UNUSED const MI_Char *cls,
                        UNUSED const MI_Char *m, UNUSED const MI_Instance *in,
                        UNUSED const MI_Instance *params)
UNSUPPORTED_INSTANCE_OP(ft_enumerate_instances, "MI_Session_EnumerateInstances",
                        UNUSED const MI_Char *cls, UNUSED MI_Boolean keysOnly)
UNSUPPORTED_INSTANCE_OP(ft_query_instances, "MI_Session_QueryInstances",
                        UNUSED const MI_Char *dialect, UNUSED const MI_Char *query)
UNSUPPORTED_INSTANCE_OP(ft_associator_instances, "MI_Session_AssociatorInstances",
                        UNUSED const MI_Instance *in, UNUSED const MI_Char *assocClass,
                        UNUSED const MI_Char *resultClass, UNUSED const MI_Char *role,
                        UNUSED const MI_Char *resultRole, UNUSED MI_Boolean keysOnly)
UNSUPPORTED_INSTANCE_OP(ft_reference_instances, "MI_Session_ReferenceInstances",
                        UNUSED const MI_Instance *in, UNUSED const MI_Char *resultClass,
                        UNUSED const MI_Char *role, UNUSED MI_Boolean keysOnly)

static void ft_subscribe(MI_Session *session, MI_Uint32 flags, MI_OperationOptions *options,
                         const MI_Char *ns, const MI_Char *dialect, const MI_Char *query,
                         const MI_SubscriptionDeliveryOptions *delivery,
                         MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    (void)flags, (void)options, (void)ns, (void)dialect, (void)query, (void)delivery;
    not_supported(session, MI_RESULTS_INDICATIONS, "MI_Session_Subscribe", callbacks, operation);
}

static void ft_get_class(MI_Session *session, MI_Uint32 flags, MI_OperationOptions *options,
                         const MI_Char *ns, const MI_Char *cls, MI_OperationCallbacks *callbacks,
                         MI_Operation *operation)
{
    (void)flags, (void)options, (void)ns, (void)cls;
    not_supported(session, MI_RESULTS_CLASSES, "MI_Session_GetClass", callbacks, operation);
}

static void ft_enumerate_classes(MI_Session *session, MI_Uint32 flags, MI_OperationOptions *options,
                                 const MI_Char *ns, const MI_Char *cls, MI_Boolean names_only,
                                 MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    (void)flags, (void)options, (void)ns, (void)cls, (void)names_only;
    not_supported(session, MI_RESULTS_CLASSES, "MI_Session_EnumerateClasses", callbacks, operation);
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
    (void)options;
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
    if (!local)
        return MI_RESULT_NOT_SUPPORTED; /* no remote transport in this version */
    session_state *s = calloc(1, sizeof *s);
    if (!s)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    s->application = *application;
    session->reserved2 = (ptrdiff_t)s;
    session->ft = &session_ft;
    return MI_RESULT_OK;
}
