/*
 * operation — see operation.h. An operation's state lives behind reserved2 of its handle
 * until MI_Operation_Close, which zeroes the handle.
 *
 * An operation either ends at once (it failed before reaching the engine) or runs an
 * engine cursor. Synchronously, MI_Operation_GetInstance takes the next result from the
 * cursor in the caller's own thread (no thread, no copy). Through callbacks, a worker
 * thread walks the cursor and calls instanceResult, waiting for resultAcknowledgement
 * under MI_OPERATIONFLAGS_MANUAL_ACK_RESULTS. Cancel, close and the deadline stop the
 * cursor between results.
 */
#include "operation.h"

#include "errors.h"
#include "untyped.h"

#include "core/instance.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct op_state {
    MI_Session session;
    mi_result_kind kind;
    MI_Boolean asynchronous;
    MI_Boolean delivered; /* the final result went to the caller */
    MI_Result result;
    char *message;
    MI_Instance *details; /* the CIM_Error of a failure, made when first asked for */
    /* running operations */
    bool running;
    MI_Operation *handle; /* the caller's handle, given to callbacks */
    MI_Operation own_handle;
    MI_Uint32 flags;
    MI_OperationCallbacks callbacks;
    mtx_t lock;
    cnd_t changed;
    thrd_t worker;
    bool joined;
    int cancelled;
    bool timed_out;
    bool finished;        /* the worker set the final result */
    bool final_delivered; /* asynchronous: the final callback returned */
    bool close_pending;   /* closed from inside a callback: the worker frees the state */
    bool acknowledged;
    void *cursor; /* synchronous: opened by the first MI_Operation_GetInstance */
    mi_result_source source;
    mi_request *request; /* the operation's own copy */
    mi_operation_list *owner;
    MI_Instance *untyped; /* MI_OPERATIONFLAGS_NO_RTTI: the last result, as text */
    bool started_told;    /* MI_OPERATIONFLAGS_REPORT_OPERATION_STARTED: it was said */
    /* class results (GetClass, EnumerateClasses) */
    MI_Class **classes;
    size_t class_count, class_next;
} op_state;

static const MI_OperationFT operation_ft;
static void record_final(op_state *s, MI_Result r, const mi_error *err);

static op_state *state_of(MI_Operation *operation)
{
    return (op_state *)operation->reserved2;
}

/* The error details of the final result: a CIM_Error for a failure, NULL for success. */
static const MI_Instance *details_of(op_state *s)
{
    if (s->result == MI_RESULT_OK)
        return NULL;
    if (!s->details)
        s->details = mi_error_instance(s->result, s->message);
    return s->details;
}

static void free_state(op_state *s)
{
    if (s->running) {
        if (s->cursor)
            s->source.close(s->cursor);
        mi_request_free(s->request);
        cnd_destroy(&s->changed);
        mtx_destroy(&s->lock);
    }
    if (s->untyped)
        mi_instance_delete(s->untyped);
    for (size_t i = 0; i < s->class_count; i++) /* all kept until the operation closes */
        MI_Class_Delete(s->classes[i]);
    free(s->classes);
    free(s->message);
    if (s->details)
        MI_Instance_Delete(s->details);
    free(s);
}

/* ---- the list of a session's operations ---- */

MI_Result mi_operation_list_init(mi_operation_list *list)
{
    memset(list, 0, sizeof *list);
    return mtx_init(&list->lock, mtx_plain) == thrd_success ? MI_RESULT_OK
                                                            : MI_RESULT_SERVER_LIMITS_EXCEEDED;
}

static bool list_add(mi_operation_list *list, op_state *s)
{
    mtx_lock(&list->lock);
    bool ok = true;
    if (list->count == list->capacity) {
        size_t capacity = list->capacity ? list->capacity * 2 : 8;
        void **grown = realloc(list->items, capacity * sizeof *grown);
        if (grown) {
            list->items = grown;
            list->capacity = capacity;
        } else {
            ok = false;
        }
    }
    if (ok) {
        list->items[list->count++] = s;
        s->owner = list;
    }
    mtx_unlock(&list->lock);
    return ok;
}

static void list_remove(op_state *s)
{
    mi_operation_list *list = s->owner;
    if (!list)
        return;
    mtx_lock(&list->lock);
    for (size_t i = 0; i < list->count; i++) {
        if (list->items[i] == s) {
            list->items[i] = list->items[--list->count];
            break;
        }
    }
    s->owner = NULL;
    mtx_unlock(&list->lock);
}

static void cancel_running(op_state *s)
{
    __atomic_store_n(&s->cancelled, 1, __ATOMIC_RELEASE);
    mtx_lock(&s->lock);
    cnd_broadcast(&s->changed);
    mtx_unlock(&s->lock);
}

/* The operation whose worker runs on this thread: a close from inside its callbacks is
 * recognised by this, not by the thread id, which the creator may not have stored yet. */
static _Thread_local op_state *worker_of_this_thread;

/* Waits for the worker to end (not from the worker itself). */
static void join_worker(op_state *s)
{
    if (s->running && !s->joined) {
        thrd_join(s->worker, NULL);
        s->joined = true;
    }
}

void mi_operation_list_stop_all(mi_operation_list *list)
{
    mtx_lock(&list->lock);
    size_t count = list->count;
    void **items = list->items;
    list->items = NULL;
    list->count = list->capacity = 0;
    for (size_t i = 0; i < count; i++)
        ((op_state *)items[i])->owner = NULL;
    mtx_unlock(&list->lock);
    for (size_t i = 0; i < count; i++) {
        op_state *op = items[i];
        cancel_running(op);
        join_worker(op);
        /* the session's repository goes away: a synchronous operation ends here */
        if (op->cursor) {
            op->source.close(op->cursor);
            op->cursor = NULL;
        }
        if (!op->finished) {
            mi_error err;
            mi_error_set(&err, MI_RESULT_FAILED, "the session was closed");
            record_final(op, MI_RESULT_FAILED, &err);
        }
    }
    free(items);
    mtx_destroy(&list->lock);
}

/* ---- the function table ---- */

static MI_Result ft_close(MI_Operation *operation)
{
    op_state *s = state_of(operation);
    memset(operation, 0, sizeof *operation);
    if (!s->running) {
        free_state(s);
        return MI_RESULT_OK;
    }
    list_remove(s);
    cancel_running(s);
    if (s->asynchronous && worker_of_this_thread == s) {
        /* from inside a callback: the worker finishes and frees the state itself */
        mtx_lock(&s->lock);
        bool done = s->final_delivered;
        s->close_pending = !done;
        mtx_unlock(&s->lock);
        if (!done)
            return MI_RESULT_OK;
    }
    join_worker(s);
    free_state(s);
    return MI_RESULT_OK;
}

static MI_Result ft_cancel(MI_Operation *operation, MI_CancellationReason reason)
{
    if (reason > MI_REASON_SERVICESTOP)
        return MI_RESULT_INVALID_PARAMETER;
    op_state *s = state_of(operation);
    if (s->running) {
        if (reason == MI_REASON_TIMEOUT)
            s->timed_out = true;
        cancel_running(s);
    }
    return MI_RESULT_OK;
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
        *details = details_of(s);
    return MI_RESULT_OK;
}

/* A result as the operation's flags ask for it: with MI_OPERATIONFLAGS_NO_RTTI, a copy
 * whose values are text (kept until the next result). */
static MI_Result as_asked(op_state *s, const MI_Instance **result, mi_error *err)
{
    if (!(s->flags & MI_OPERATIONFLAGS_NO_RTTI))
        return MI_RESULT_OK;
    if (s->untyped)
        mi_instance_delete(s->untyped);
    s->untyped = NULL;
    if (mi_instance_untyped(*result, &s->untyped) != MI_RESULT_OK)
        return mi_error_set(err, MI_RESULT_SERVER_LIMITS_EXCEEDED,
                            "out of memory making a result untyped (MI_OPERATIONFLAGS_NO_RTTI)");
    *result = s->untyped;
    return MI_RESULT_OK;
}

static MI_Result ft_get_instance(MI_Operation *operation, const MI_Instance **instance,
                                 MI_Boolean *more, MI_Result *result, const MI_Char **message,
                                 const MI_Instance **details)
{
    if (!instance)
        return MI_RESULT_INVALID_PARAMETER;
    *instance = NULL;
    op_state *s = state_of(operation);
    if (!s->running || s->asynchronous || s->delivered || s->finished)
        return take_final(s, MI_RESULTS_INSTANCES, more, result, message, details);
    mi_error err = {0};
    MI_Result r = MI_RESULT_OK;
    const MI_Instance *next = NULL;
    bool tell_started = (s->flags & MI_OPERATIONFLAGS_REPORT_OPERATION_STARTED) && !s->started_told;
    s->started_told = true;
    if (!s->cursor)
        r = s->source.open(s->source.context, s->request, &s->cursor, &err);
    if (r == MI_RESULT_OK && tell_started) { /* started: a first answer without a result */
        if (more)
            *more = MI_TRUE;
        if (result)
            *result = MI_RESULT_OK;
        if (message)
            *message = NULL;
        if (details)
            *details = NULL;
        return MI_RESULT_OK;
    }
    if (r == MI_RESULT_OK)
        r = s->source.next(s->cursor, &next, &err);
    if (r == MI_RESULT_OK && next)
        r = as_asked(s, &next, &err);
    if (r == MI_RESULT_OK && next) {
        *instance = next;
        if (more)
            *more = MI_TRUE;
        if (result)
            *result = MI_RESULT_OK;
        if (message)
            *message = NULL;
        if (details)
            *details = NULL;
        return MI_RESULT_OK;
    }
    record_final(s, r, &err);
    return take_final(s, MI_RESULTS_INSTANCES, more, result, message, details);
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
    op_state *s = state_of(operation);
    if (s->kind == MI_RESULTS_CLASSES && !s->asynchronous && !s->delivered) {
        if (s->class_next < s->class_count) {
            *cls = s->classes[s->class_next++];
            if (more)
                *more = MI_TRUE;
            if (result)
                *result = MI_RESULT_OK;
            if (message)
                *message = NULL;
            if (details)
                *details = NULL;
            return MI_RESULT_OK;
        }
    }
    return take_final(s, MI_RESULTS_CLASSES, more, result, message, details);
}

static const MI_OperationFT operation_ft = {
    ft_close, ft_cancel, ft_get_session, ft_get_instance, ft_get_indication, ft_get_class,
};

static MI_Result MI_CALL acknowledge_nothing(MI_Operation *operation)
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

/* An operation that ends at once, after handing out the classes given (taken over). */
static void finish(MI_Session *session, mi_result_kind kind, MI_OperationCallbacks *callbacks,
                   MI_Operation *operation, MI_Result result, const char *message,
                   MI_Class **classes, size_t class_count)
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
        for (size_t i = 0; i < class_count; i++)
            MI_Class_Delete(classes[i]);
        free(classes);
        return;
    }
    s->classes = classes;
    s->class_count = class_count;
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
        for (; kind == MI_RESULTS_CLASSES && s->class_next < s->class_count; s->class_next++)
            callbacks->classResult(handle, context, s->classes[s->class_next], MI_TRUE,
                                   MI_RESULT_OK, NULL, NULL, acknowledge_nothing);
        if (kind == MI_RESULTS_CLASSES)
            callbacks->classResult(handle, context, NULL, MI_FALSE, result, s->message,
                                   details_of(s), acknowledge_nothing);
        else if (kind == MI_RESULTS_INDICATIONS)
            callbacks->indicationResult(handle, context, NULL, NULL, NULL, MI_FALSE, result,
                                        s->message, details_of(s), acknowledge_nothing);
        else
            callbacks->instanceResult(handle, context, NULL, MI_FALSE, result, s->message,
                                      details_of(s), acknowledge_nothing);
    }
    if (!operation)
        ft_close(&local); /* nobody can ever close it */
}

void mi_operation_finish_now(MI_Session *session, mi_result_kind kind,
                             MI_OperationCallbacks *callbacks, MI_Operation *operation,
                             MI_Result result, const char *message)
{
    finish(session, kind, callbacks, operation, result, message, NULL, 0);
}

void mi_operation_finish_with_classes(MI_Session *session, MI_OperationCallbacks *callbacks,
                                      MI_Operation *operation, MI_Class **classes, size_t count,
                                      MI_Result result, const char *message)
{
    finish(session, MI_RESULTS_CLASSES, callbacks, operation, result, message, classes, count);
}

/* ---- operations the engine runs ---- */

static bool is_cancelled(op_state *s)
{
    return __atomic_load_n(&s->cancelled, __ATOMIC_ACQUIRE) != 0;
}

static MI_Result MI_CALL acknowledge_result(MI_Operation *operation)
{
    if (!operation || operation->ft != &operation_ft)
        return MI_RESULT_INVALID_PARAMETER;
    op_state *s = state_of(operation);
    mtx_lock(&s->lock);
    s->acknowledged = true;
    cnd_broadcast(&s->changed);
    mtx_unlock(&s->lock);
    return MI_RESULT_OK;
}

/* The final result and message of a running operation (a cancel or timeout named). */
static void record_final(op_state *s, MI_Result r, const mi_error *err)
{
    const char *message = r == MI_RESULT_OK ? NULL : err->message;
    if (r == MI_RESULT_FAILED && is_cancelled(s)) /* stopped by cancel, not by an error */
        message = s->timed_out ? "the operation timed out" : "the operation was cancelled";
    mtx_lock(&s->lock);
    s->result = r;
    s->message = message ? strdup(message) : NULL;
    s->finished = true;
    cnd_broadcast(&s->changed);
    mtx_unlock(&s->lock);
}

/* Hands one result to the callback and, under manual acknowledgement, waits for it. */
static void deliver_result(op_state *s, const MI_Instance *result)
{
    bool manual = (s->flags & MI_OPERATIONFLAGS_MANUAL_ACK_RESULTS) != 0;
    mtx_lock(&s->lock);
    s->acknowledged = false;
    mtx_unlock(&s->lock);
    s->callbacks.instanceResult(s->handle, s->callbacks.callbackContext, result, MI_TRUE,
                                MI_RESULT_OK, NULL, NULL, manual ? acknowledge_result : NULL);
    if (manual) {
        mtx_lock(&s->lock);
        while (!s->acknowledged && !is_cancelled(s))
            cnd_wait(&s->changed, &s->lock);
        mtx_unlock(&s->lock);
    }
}

static int run_worker(void *arg)
{
    op_state *s = arg;
    worker_of_this_thread = s;
    mi_error err = {0};
    MI_Result r = s->source.open(s->source.context, s->request, &s->cursor, &err);
    if (r == MI_RESULT_OK && (s->flags & MI_OPERATIONFLAGS_REPORT_OPERATION_STARTED))
        s->callbacks.instanceResult(s->handle, s->callbacks.callbackContext, NULL, MI_TRUE,
                                    MI_RESULT_OK, NULL, NULL, NULL); /* started */
    while (r == MI_RESULT_OK) {
        const MI_Instance *next = NULL;
        r = s->source.next(s->cursor, &next, &err);
        if (r == MI_RESULT_OK && next)
            r = as_asked(s, &next, &err);
        if (r != MI_RESULT_OK || !next)
            break;
        deliver_result(s, next);
    }
    /* done with the repository: the session may close it once the final result is out */
    if (s->cursor)
        s->source.close(s->cursor);
    s->cursor = NULL;
    record_final(s, r, &err);
    s->delivered = MI_TRUE;
    s->callbacks.instanceResult(s->handle, s->callbacks.callbackContext, NULL, MI_FALSE, s->result,
                                s->message, details_of(s), NULL);
    mtx_lock(&s->lock);
    s->final_delivered = true;
    bool free_here = s->close_pending; /* closed from inside a callback */
    mtx_unlock(&s->lock);
    if (free_here) {
        thrd_detach(thrd_current());
        free_state(s);
    }
    return 0;
}

void mi_operation_start_engine(MI_Session *session, mi_operation_list *list,
                               const mi_result_source *source, MI_Uint32 flags,
                               const mi_request *request, MI_Uint64 timeout_usec,
                               MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    op_state *s = calloc(1, sizeof *s);
    bool failed = !s;
    if (s) {
        if (mtx_init(&s->lock, mtx_plain) != thrd_success) {
            free(s);
            s = NULL;
            failed = true;
        } else if (cnd_init(&s->changed) != thrd_success) {
            mtx_destroy(&s->lock);
            free(s);
            s = NULL;
            failed = true;
        }
    }
    if (s) {
        s->running = true;
        s->joined = true; /* until a worker exists */
        s->session = *session;
        s->kind = MI_RESULTS_INSTANCES;
        s->flags = flags;
        s->source = *source;
        s->asynchronous = has_callback(callbacks, MI_RESULTS_INSTANCES);
        if (s->asynchronous)
            s->callbacks = *callbacks;
        mi_request with_options = *request;
        with_options.cancelled = &s->cancelled;
        with_options.flags = flags;
        with_options.deadline_usec = timeout_usec ? mi_request_now_usec() + timeout_usec : 0;
        failed = mi_request_copy(&s->request, &with_options, NULL) != MI_RESULT_OK;
    }
    if (failed) {
        if (s)
            free_state(s);
        mi_operation_finish_now(session, MI_RESULTS_INSTANCES, callbacks, operation,
                                MI_RESULT_SERVER_LIMITS_EXCEEDED, "out of memory");
        return;
    }
    s->handle = operation ? operation : &s->own_handle;
    s->handle->reserved1 = 0;
    s->handle->reserved2 = (ptrdiff_t)s;
    s->handle->ft = &operation_ft;
    if (list && !list_add(list, s)) {
        memset(s->handle, 0, sizeof *s->handle);
        free_state(s);
        mi_operation_finish_now(session, MI_RESULTS_INSTANCES, callbacks, operation,
                                MI_RESULT_SERVER_LIMITS_EXCEEDED, "out of memory");
        return;
    }
    if (!s->asynchronous) {
        if (!operation) { /* nobody can ever ask for the results */
            list_remove(s);
            free_state(s);
        }
        return; /* MI_Operation_GetInstance runs the cursor */
    }
    s->joined = false; /* before the worker can run: a close from its callback must see it */
    if (thrd_create(&s->worker, run_worker, s) != thrd_success) {
        s->joined = true;
        list_remove(s);
        memset(s->handle, 0, sizeof *s->handle);
        free_state(s);
        mi_operation_finish_now(session, MI_RESULTS_INSTANCES, callbacks, operation,
                                MI_RESULT_SERVER_LIMITS_EXCEEDED, "cannot start a worker thread");
        return;
    }
    if (!operation) {
        /* nobody will close it: wait here and let it go */
        join_worker(s);
        list_remove(s);
        free_state(s);
    }
}
