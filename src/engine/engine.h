/*
 * engine — CIM operations over the repository, independent of any transport. A request
 * names the operation and its parameters; results stream out one by one through a sink,
 * and the engine checks for cancellation and the deadline between results.
 *
 * Association semantics are those of ../shared/spec/SEMANTICS.md §1: subclass-aware
 * AssocClass and ResultClass, case-insensitive names, the result end differs from the
 * end that points at the source, results de-duplicated by path and sorted by their
 * canonical form, dangling references skipped by Associators but kept by
 * AssociatorNames, NULL references ignored.
 */
#ifndef MI_ENGINE_ENGINE_H
#define MI_ENGINE_ENGINE_H

#include "core/error.h"
#include "repo/repository.h"

#include <mi.h>
#include <stdbool.h>
#include <stdint.h>

typedef enum mi_engine_operation {
    MI_ENGINE_ASSOCIATORS,
    MI_ENGINE_ASSOCIATOR_NAMES,
    MI_ENGINE_REFERENCES,
    MI_ENGINE_REFERENCE_NAMES,
    MI_ENGINE_GET_INSTANCE,
    MI_ENGINE_ENUMERATE_INSTANCES, /* class_name; shallow: not its subclasses */
    MI_ENGINE_CREATE_INSTANCE,     /* instance; the result is the new instance's path */
    MI_ENGINE_MODIFY_INSTANCE,     /* instance: keys and the properties to change */
    MI_ENGINE_DELETE_INSTANCE,     /* source */
} mi_engine_operation;

typedef struct mi_engine_request {
    mi_engine_operation operation;
    const char *namespace_name;
    const MI_Instance *source; /* the key instance a caller built; resolved by the engine */
    const char *assoc_class;   /* associators only; NULL: any */
    const char *result_class;  /* for references: the association's class */
    const char *role;
    const char *result_role; /* associators only */
    bool keys_only;          /* instances carry their keys only */
    const char *class_name;  /* EnumerateInstances */
    bool shallow;
    const MI_Instance *instance; /* Create/ModifyInstance */
    const int *cancelled;        /* non-zero: stop (read atomically); may be NULL */
    uint64_t deadline_usec;      /* CLOCK_MONOTONIC microseconds; 0: none */
} mi_engine_request;

/* A started operation whose results are taken one at a time. Associators read their
 * results a page at a time as next asks; the other operations find them when the cursor
 * opens. */
typedef struct mi_engine_cursor mi_engine_cursor;

/* Checks the request and finds its results; errors (namespace, classes, the source) come
 * from here. */
MI_Result mi_engine_open(mi_repository *repo, const mi_engine_request *request,
                         mi_engine_cursor **out, mi_error *err);

/* The next result in *result, valid until the next call or close; NULL when there are no
 * more. Cancellation and the deadline are checked here. */
MI_Result mi_engine_next(mi_engine_cursor *cursor, const MI_Instance **result, mi_error *err);

void mi_engine_close(mi_engine_cursor *cursor);

/* Receives each result (borrowed for the call); a result other than MI_RESULT_OK stops
 * the operation and becomes its result. */
typedef MI_Result (*mi_engine_sink)(void *context, const MI_Instance *result);

/* Runs the request to its end through a cursor. Names (…_NAMES) come as key instances carrying
 * namespace and keys. A cancelled operation ends with MI_RESULT_FAILED ("cancelled"), an expired
 * deadline with MI_RESULT_FAILED ("timed out") — the caller tells them apart by its own flags. */
MI_Result mi_engine_run(mi_repository *repo, const mi_engine_request *request, mi_engine_sink sink,
                        void *context, mi_error *err);

/* Class-level Associators and References (the source is a class, named by
 * request->class_name): the association classes with a reference whose declared class
 * is the source class or one of its superclasses, filtered by AssocClass (Associators) or
 * ResultClass (References) and Role; Associators give the classes declared at the other
 * ends, filtered by ResultRole and ResultClass. The names are sorted, without repeats;
 * the array and its strings are the caller's (free). request->operation says which
 * (MI_ENGINE_ASSOCIATORS or MI_ENGINE_REFERENCES, or their *_NAMES). */
MI_Result mi_engine_class_neighbours(mi_repository *repo, const mi_engine_request *request,
                                     char ***names, size_t *count, mi_error *err);

/* Microseconds on CLOCK_MONOTONIC, the clock of deadline_usec. */
uint64_t mi_engine_now_usec(void);

/* MI_RESULT_FAILED naming why when the request was cancelled or is past its deadline;
 * MI_RESULT_OK otherwise. */
MI_Result mi_engine_stopped(const mi_engine_request *request, mi_error *err);

#endif
