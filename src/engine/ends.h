/*
 * ends — what every path through an association needs, whichever source holds it: does
 * an end point at the source, the paths at the other ends, typed by their classes, and
 * the association itself as a result.
 */
#ifndef MI_ENGINE_ENDS_H
#define MI_ENGINE_ENDS_H

#include "core/class.h"
#include "core/error.h"
#include "repo/repository.h"
#include "request.h"
#include "results.h"

#include <mi.h>
#include <stdbool.h>

/* The references an element value holds: one, or the items of a reference array. */
MI_Uint32 mi_end_references(const MI_Value *value, MI_Type type, MI_Instance *const **items);

/* The namespace a reference names, or ns (the association's own) when it names none. */
const char *mi_end_namespace(const MI_Instance *ref, const char *ns);

/* Whether the reference property `role` of association a (in namespace ns) points at
 * source (resolved, in ns): typed key comparison, host ignored. */
bool mi_end_points_at(const MI_Instance *a, const char *role, const char *ns,
                      const MI_Instance *source);

/* Types path's keys by cls (whose classes are looked up in ns of repo). */
MI_Result mi_end_resolve(mi_repository *repo, const char *ns, MI_Instance *path,
                         const mi_class *cls, mi_error *err);

/* A copy of ref's keys naming its namespace (its own, else ns). */
MI_Result mi_end_path(const MI_Instance *ref, const char *ns, MI_Instance **out, mi_error *err);

/* Adds association a (of namespace ns) to set as a References result: its path, and a
 * copy of it unless the request asks for names or keys only. */
MI_Result mi_end_add_association(mi_result_set *set, const MI_Instance *a, const char *ns,
                                 const mi_request *q, mi_error *err);

#endif
