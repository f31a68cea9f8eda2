/*
 * engine — CIM operations over instance sources, independent of any transport. A
 * request names the operation and its parameters; results stream out one by one
 * through a cursor (or a sink), and the engine checks for cancellation and the
 * deadline between results. The engine takes its classes from the repository (the
 * schema) and each class's instances from the source the registry names for it, the
 * repository serving the rest (source.h).
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
#include "request.h"
#include "source.h"

#include <mi.h>
#include <stdbool.h>
#include <stdint.h>

/* What operations run against: the repository (the schema, and the source of every
 * class no other source serves) and the registry of other sources (NULL: none). Both
 * are borrowed and must outlive the cursors opened over them. */
typedef struct mi_engine {
    mi_repository *repo;
    const mi_source_registry *sources;
} mi_engine;

/* A started operation whose results are taken one at a time. Associators read their
 * results a page at a time as next asks; the other operations find them when the cursor
 * opens. */
typedef struct mi_engine_cursor mi_engine_cursor;

/* Checks the request and finds its results; errors (namespace, classes, the source) come
 * from here. */
MI_Result mi_engine_open(const mi_engine *engine, const mi_request *request, mi_engine_cursor **out,
                         mi_error *err);

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
MI_Result mi_engine_run(const mi_engine *engine, const mi_request *request, mi_engine_sink sink,
                        void *context, mi_error *err);

/* Class-level Associators and References (the source is a class, named by
 * request->class_name): the association classes with a reference whose declared class
 * is the source class or one of its superclasses, filtered by AssocClass (Associators) or
 * ResultClass (References) and Role; Associators give the classes declared at the other
 * ends, filtered by ResultRole and ResultClass. The names are sorted, without repeats;
 * the array and its strings are the caller's (free). request->operation says which
 * (MI_OP_ASSOCIATORS or MI_OP_REFERENCES, or their *_NAMES). */
MI_Result mi_engine_class_neighbours(const mi_engine *engine, const mi_request *request,
                                     char ***names, size_t *count, mi_error *err);

/* GetClass (request->class_name) or EnumerateClasses (request->class_name: its
 * subclasses, NULL: from the roots; request->shallow: the direct subclasses only,
 * superclasses before subclasses): the classes into *classes, each with a reference
 * that the caller drops (mi_class_unref), and the array the caller's (free). One set of
 * checks and messages for every front end. */
MI_Result mi_engine_classes(const mi_engine *engine, const mi_request *request, mi_class ***classes,
                            size_t *count, mi_error *err);

/* The source serving cls in ns (the repository's unless the registry names another). */
mi_instance_source mi_engine_source_of(const mi_engine *engine, const char *ns,
                                       const mi_class *cls);

/* The object a resolved path names, from the source serving its class; *out NULL (and
 * MI_RESULT_OK) when that source does not hold it. */
MI_Result mi_engine_fetch(const mi_engine *engine, const char *ns, const MI_Instance *path,
                          MI_Instance **out, mi_error *err);

#endif
