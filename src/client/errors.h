/*
 * errors — the CIM_Error instance of a failure (Message, CIMStatusCode and its name,
 * OwningEntity, ErrorType, error_Category): the error details of sessions and operations.
 */
#ifndef MI_CLIENT_ERRORS_H
#define MI_CLIENT_ERRORS_H

#include <mi.h>

/* A new dynamic instance (the caller deletes it), or NULL when memory ran out. */
MI_Instance *mi_error_instance(MI_Result code, const char *message);

#endif
