/*
 * error — see error.h.
 */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

MI_Result mi_error_set(mi_error *err, MI_Result code, const char *format, ...)
{
    if (err) {
        va_list args;
        va_start(args, format);
        vsnprintf(err->message, sizeof err->message, format, args);
        va_end(args);
        err->code = code;
    }
    return code;
}

MI_Result mi_error_nomem(mi_error *err)
{
    return mi_error_set(err, MI_RESULT_SERVER_LIMITS_EXCEEDED, "out of memory");
}

void mi_error_clear(mi_error *err)
{
    if (err) {
        err->code = MI_RESULT_OK;
        err->message[0] = '\0';
    }
}
