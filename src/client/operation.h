/*
 * operation — MI_Operation handles and the delivery of results to their caller, either
 * through the operation's callbacks or, with none given, through MI_Operation_Get*.
 */
#ifndef MI_CLIENT_OPERATION_H
#define MI_CLIENT_OPERATION_H

#include "engine/engine.h"
#include "repo/repository.h"

#include <mi.h>
#include <stddef.h>
#include <threads.h>

typedef enum mi_result_kind {
    MI_RESULTS_INSTANCES,
    MI_RESULTS_CLASSES,
    MI_RESULTS_INDICATIONS
} mi_result_kind;

/* The running operations of a session, so that closing the session can stop them. */
typedef struct mi_operation_list {
    mtx_t lock;
    void **items;
    size_t count, capacity;
} mi_operation_list;

MI_Result mi_operation_list_init(mi_operation_list *list);

/* Cancels every operation of the list, waits for their workers, and frees the list. The
 * operations stay valid until their callers close them. */
void mi_operation_list_stop_all(mi_operation_list *list);

/* Starts an operation that ends at once with `result` and `message` and no results (the
 * shape of every operation that fails before it reaches the engine). */
void mi_operation_finish_now(MI_Session *session, mi_result_kind kind,
                             MI_OperationCallbacks *callbacks, MI_Operation *operation,
                             MI_Result result, const char *message);

/* An operation whose results are classes (taken over, with the array), then result. */
void mi_operation_finish_with_classes(MI_Session *session, MI_OperationCallbacks *callbacks,
                                      MI_Operation *operation, MI_Class **classes, size_t count,
                                      MI_Result result, const char *message);

/* Where an operation's results come from: the engine over a repository (a local
 * session) or a CIM server (a remote one). open finds the results of a request and may
 * fail with its error; next gives them one at a time (NULL: no more), each valid until
 * the next call; close ends it. */
typedef struct mi_result_source {
    MI_Result (*open)(void *context, const mi_request *request, void **cursor, mi_error *err);
    MI_Result (*next)(void *cursor, const MI_Instance **result, mi_error *err);
    void (*close)(void *cursor);
    void *context;
} mi_result_source;

/* Starts an operation that runs request (copied) on a worker thread over source. A
 * timeout of 0 means none. */
void mi_operation_start_engine(MI_Session *session, mi_operation_list *list,
                               const mi_result_source *source, MI_Uint32 flags,
                               const mi_request *request, MI_Uint64 timeout_usec,
                               MI_OperationCallbacks *callbacks, MI_Operation *operation);

#endif
