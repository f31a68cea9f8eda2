/*
 * request — one CIM operation as every layer sees it: the client fills it from an
 * MI_Session_* call, a protocol binding in the server from a message, and the engine runs
 * it. A request built on the stack borrows its strings and instances; mi_request_copy
 * makes one that owns them all (in one allocation), released by mi_request_free. No
 * other code copies a request's fields.
 */
#ifndef MI_ENGINE_REQUEST_H
#define MI_ENGINE_REQUEST_H

#include "core/error.h"

#include <mi.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum mi_operation_kind {
    MI_OP_ASSOCIATORS,
    MI_OP_ASSOCIATOR_NAMES,
    MI_OP_REFERENCES,
    MI_OP_REFERENCE_NAMES,
    MI_OP_GET_INSTANCE,
    MI_OP_ENUMERATE_INSTANCES, /* class_name; shallow: not its subclasses */
    MI_OP_CREATE_INSTANCE,     /* instance; the result is the new instance's path */
    MI_OP_MODIFY_INSTANCE,     /* instance: keys and the properties to change */
    MI_OP_DELETE_INSTANCE,     /* source */
    MI_OP_QUERY_INSTANCES,     /* query_language, query_text */
    MI_OP_GET_CLASS,           /* class_name */
    MI_OP_ENUMERATE_CLASSES,   /* class_name (NULL: from the roots); shallow */
    MI_OP_INVOKE,              /* method of class_name (static) or of source; instance: the input
                                  parameters (may be NULL); the result: the output parameters */
} mi_operation_kind;

typedef struct mi_request {
    mi_operation_kind operation;
    const char *namespace_name;
    const char *class_name;      /* EnumerateInstances, class operations */
    const MI_Instance *source;   /* the key instance a caller built; resolved by the engine */
    const MI_Instance *instance; /* Create/ModifyInstance */
    const char *assoc_class;     /* associators only; NULL: any */
    const char *result_class;    /* for references: the association's class */
    const char *role;
    const char *result_role; /* associators only */
    bool keys_only;          /* instances carry their keys only */
    bool shallow;            /* enumerations: not the subclasses */
    /* which properties results carry beyond their keys; has_property_list false: all */
    bool has_property_list;
    const char *const *properties;
    size_t property_count;
    const char *query_language; /* QueryInstances */
    const char *query_text;
    const char *method; /* Invoke */
    /* options */
    uint64_t deadline_usec; /* CLOCK_MONOTONIC microseconds; 0: none */
    MI_Uint32 flags;        /* MI_OPERATIONFLAGS_* */
    unsigned batch_size;    /* results per exchange with a server; 0: the transport's own */
    const int *cancelled;   /* non-zero: stop (read atomically); may be NULL */
} mi_request;

/* A copy of from that owns every string and instance it names (cancelled is shared, not
 * copied): the caller's, released with mi_request_free. */
MI_Result mi_request_copy(mi_request **out, const mi_request *from, mi_error *err);
void mi_request_free(mi_request *request);

/* Whether the operation is one of the four association operations. */
bool mi_request_is_association(const mi_request *request);
/* Associators or AssociatorNames (rather than References or ReferenceNames). */
bool mi_request_is_associators(const mi_request *request);

/* Microseconds on CLOCK_MONOTONIC, the clock of deadline_usec. */
uint64_t mi_request_now_usec(void);

/* MI_RESULT_FAILED naming why when the request was cancelled or is past its deadline;
 * MI_RESULT_OK otherwise. */
MI_Result mi_request_stopped(const mi_request *request, mi_error *err);

#endif
