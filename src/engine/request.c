/*
 * request — see request.h. An owned copy is one allocation: the struct, then the
 * property-name pointers, then every string; instances are cloned beside it.
 */
#include "request.h"

#include "core/instance.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct owned_request {
    mi_request request;
    MI_Instance *source, *instance;
} owned_request;

/* The texts a request names, in one order, for measuring and for copying. */
static const char **text_field(mi_request *q, int i)
{
    const char **fields[] = {&q->namespace_name, &q->class_name, &q->assoc_class,
                             &q->result_class,   &q->role,       &q->result_role,
                             &q->query_language, &q->query_text, &q->method};
    return i < (int)(sizeof fields / sizeof *fields) ? fields[i] : NULL;
}

static char *put(char **at, const char *text)
{
    size_t n = strlen(text) + 1;
    char *copy = memcpy(*at, text, n);
    *at += n;
    return copy;
}

MI_Result mi_request_copy(mi_request **out, const mi_request *from, mi_error *err)
{
    *out = NULL;
    mi_request shape = *from;
    size_t size = sizeof(owned_request) + from->property_count * sizeof(char *);
    for (int i = 0; text_field(&shape, i); i++)
        size += *text_field(&shape, i) ? strlen(*text_field(&shape, i)) + 1 : 0;
    for (size_t i = 0; i < from->property_count; i++)
        size += strlen(from->properties[i]) + 1;
    owned_request *o = calloc(1, size);
    if (!o)
        return mi_error_nomem(err);
    o->request = *from;
    mi_request *q = &o->request;
    const char **names = (const char **)(o + 1);
    char *at = (char *)(names + from->property_count);
    for (int i = 0; text_field(q, i); i++) {
        const char **field = text_field(q, i);
        if (*field)
            *field = put(&at, *field);
    }
    for (size_t i = 0; i < from->property_count; i++)
        names[i] = put(&at, from->properties[i]);
    q->properties = from->property_count ? names : NULL;
    MI_Result r = MI_RESULT_OK;
    if (from->source && (r = mi_instance_clone(from->source, &o->source)) == MI_RESULT_OK)
        q->source = o->source;
    if (r == MI_RESULT_OK && from->instance &&
        (r = mi_instance_clone(from->instance, &o->instance)) == MI_RESULT_OK)
        q->instance = o->instance;
    if (r != MI_RESULT_OK) {
        mi_request_free(q);
        return mi_error_nomem(err);
    }
    *out = q;
    return MI_RESULT_OK;
}

void mi_request_free(mi_request *request)
{
    if (!request)
        return;
    owned_request *o = (owned_request *)request; /* the struct is the first member */
    if (o->source)
        mi_instance_delete(o->source);
    if (o->instance)
        mi_instance_delete(o->instance);
    free(o);
}

bool mi_request_is_association(const mi_request *q)
{
    return q->operation == MI_OP_ASSOCIATORS || q->operation == MI_OP_ASSOCIATOR_NAMES ||
           q->operation == MI_OP_REFERENCES || q->operation == MI_OP_REFERENCE_NAMES;
}

bool mi_request_is_associators(const mi_request *q)
{
    return q->operation == MI_OP_ASSOCIATORS || q->operation == MI_OP_ASSOCIATOR_NAMES;
}

uint64_t mi_request_now_usec(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000u + (uint64_t)t.tv_nsec / 1000u;
}

MI_Result mi_request_stopped(const mi_request *q, mi_error *err)
{
    if (q->cancelled && __atomic_load_n(q->cancelled, __ATOMIC_ACQUIRE))
        return mi_error_set(err, MI_RESULT_FAILED, "the operation was cancelled");
    if (q->deadline_usec && mi_request_now_usec() > q->deadline_usec)
        return mi_error_set(err, MI_RESULT_FAILED, "the operation timed out");
    return MI_RESULT_OK;
}
