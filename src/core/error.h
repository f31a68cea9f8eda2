/*
 * error — a result code with a message that says what went wrong and where.
 *
 * Library functions never print. Those that can fail for a reason worth explaining take
 * an optional `mi_error *` (NULL when the caller only wants the code) and fill it.
 */
#ifndef MI_CORE_ERROR_H
#define MI_CORE_ERROR_H

#include <mi.h>

#define MI_ERROR_MESSAGE_MAX 512

typedef struct mi_error {
    MI_Result code;
    char message[MI_ERROR_MESSAGE_MAX];
} mi_error;

/* Records code and message in err (if given) and returns code, so that a failing
 * function can `return mi_error_set(err, ...)`. */
MI_Result mi_error_set(mi_error *err, MI_Result code, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* The usual answer to a failed allocation. */
MI_Result mi_error_nomem(mi_error *err);

void mi_error_clear(mi_error *err);

#endif
