/*
 * operation — see operation.h. An operation's state lives behind reserved2 of its handle
 * until MI_Operation_Close, which zeroes the handle.
 */
#include "operation.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct op_state {
    MI_Session session;
    mi_result_kind kind;
    MI_Boolean asynchronous;
    MI_Boolean delivered;
    MI_Result result;
    char *message;
} op_state;

static const MI_OperationFT operation_ft;

static op_state *state_of(MI_Operation *operation)
{
    return (op_state *)operation->reserved2;
}

static MI_Result ft_close(MI_Operation *operation)
{
    op_state *s = state_of(operation);
    free(s->message);
    free(s);
    memset(operation, 0, sizeof *operation);
    return MI_RESULT_OK;
}

static MI_Result ft_cancel(MI_Operation *operation, MI_CancellationReason reason)
{
    (void)operation;
    /* operations of this kind are complete before the caller can cancel them */
    return reason <= MI_REASON_SERVICESTOP ? MI_RESULT_OK : MI_RESULT_INVALID_PARAMETER;
}

static MI_Result ft_get_session(MI_Operation *operation, MI_Session *session)
{
    if (!session)
        return MI_RESULT_INVALID_PARAMETER;
    *session = state_of(operation)->session;
    return MI_RESULT_OK;
}

/* The final result, once, to a synchronous caller of the right kind. */
static MI_Result take_final(op_state *s, mi_result_kind kind, MI_Boolean *more, MI_Result *result,
                            const MI_Char **message, const MI_Instance **details)
{
    if (s->asynchronous || s->kind != kind || s->delivered)
        return MI_RESULT_INVALID_PARAMETER;
    s->delivered = MI_TRUE;
    if (more)
        *more = MI_FALSE;
    if (result)
        *result = s->result;
    if (message)
        *message = s->message;
    if (details)
        *details = NULL;
    return MI_RESULT_OK;
}

static MI_Result ft_get_instance(MI_Operation *operation, const MI_Instance **instance,
                                 MI_Boolean *more, MI_Result *result, const MI_Char **message,
                                 const MI_Instance **details)
{
    if (!instance)
        return MI_RESULT_INVALID_PARAMETER;
    *instance = NULL;
    return take_final(state_of(operation), MI_RESULTS_INSTANCES, more, result, message, details);
}

static MI_Result ft_get_indication(MI_Operation *operation, const MI_Instance **instance,
                                   const MI_Char **bookmark, const MI_Char **machine,
                                   MI_Boolean *more, MI_Result *result, const MI_Char **message,
                                   const MI_Instance **details)
{
    if (!instance)
        return MI_RESULT_INVALID_PARAMETER;
    *instance = NULL;
    if (bookmark)
        *bookmark = NULL;
    if (machine)
        *machine = NULL;
    return take_final(state_of(operation), MI_RESULTS_INDICATIONS, more, result, message, details);
}

static MI_Result ft_get_class(MI_Operation *operation, const MI_Class **cls, MI_Boolean *more,
                              MI_Result *result, const MI_Char **message,
                              const MI_Instance **details)
{
    if (!cls)
        return MI_RESULT_INVALID_PARAMETER;
    *cls = NULL;
    return take_final(state_of(operation), MI_RESULTS_CLASSES, more, result, message, details);
}

static const MI_OperationFT operation_ft = {
    ft_close, ft_cancel, ft_get_session, ft_get_instance, ft_get_indication, ft_get_class,
};

static MI_Result acknowledge(MI_Operation *operation)
{
    (void)operation;
    return MI_RESULT_OK;
}

static bool has_callback(const MI_OperationCallbacks *callbacks, mi_result_kind kind)
{
    if (!callbacks)
        return false;
    switch (kind) {
    case MI_RESULTS_CLASSES:
        return callbacks->classResult != NULL;
    case MI_RESULTS_INDICATIONS:
        return callbacks->indicationResult != NULL;
    default:
        return callbacks->instanceResult != NULL;
    }
}

void mi_operation_finish_now(MI_Session *session, mi_result_kind kind,
                             MI_OperationCallbacks *callbacks, MI_Operation *operation,
                             MI_Result result, const char *message)
{
    op_state *s = calloc(1, sizeof *s);
    if (s && message && !(s->message = strdup(message))) {
        free(s);
        s = NULL;
    }
    if (!s) {
        /* cannot even record the failure: report it the way an invalid session does */
        if (operation)
            memset(operation, 0, sizeof *operation);
        if (has_callback(callbacks, kind) && kind == MI_RESULTS_INSTANCES)
            callbacks->instanceResult(NULL, callbacks->callbackContext, NULL, MI_FALSE,
                                      MI_RESULT_SERVER_LIMITS_EXCEEDED, NULL, NULL, NULL);
        return;
    }
    s->session = *session;
    s->kind = kind;
    s->result = result;
    s->asynchronous = has_callback(callbacks, kind);
    MI_Operation local;
    MI_Operation *handle = operation ? operation : &local;
    handle->reserved1 = 0;
    handle->reserved2 = (ptrdiff_t)s;
    handle->ft = &operation_ft;
    if (s->asynchronous) {
        s->delivered = MI_TRUE;
        void *context = callbacks->callbackContext;
        if (kind == MI_RESULTS_CLASSES)
            callbacks->classResult(handle, context, NULL, MI_FALSE, result, s->message, NULL,
                                   acknowledge);
        else if (kind == MI_RESULTS_INDICATIONS)
            callbacks->indicationResult(handle, context, NULL, NULL, NULL, MI_FALSE, result,
                                        s->message, NULL, acknowledge);
        else
            callbacks->instanceResult(handle, context, NULL, MI_FALSE, result, s->message, NULL,
                                      acknowledge);
    }
    if (!operation)
        ft_close(&local); /* nobody can ever close it */
}
