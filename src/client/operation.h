/*
 * operation — MI_Operation handles and the delivery of results to their caller, either
 * through the operation's callbacks or, with none given, through MI_Operation_Get*.
 */
#ifndef MI_CLIENT_OPERATION_H
#define MI_CLIENT_OPERATION_H

#include <mi.h>

typedef enum mi_result_kind {
    MI_RESULTS_INSTANCES,
    MI_RESULTS_CLASSES,
    MI_RESULTS_INDICATIONS
} mi_result_kind;

/* Starts an operation that ends at once with `result` and `message` and no results (the
 * shape of every operation that fails before it reaches the engine). */
void mi_operation_finish_now(MI_Session *session, mi_result_kind kind,
                             MI_OperationCallbacks *callbacks, MI_Operation *operation,
                             MI_Result result, const char *message);

#endif
