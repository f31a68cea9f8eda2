/*
 * results — a set of operation results, each known by its canonical path: sorted and
 * de-duplicated by that path when finished, so that an answer is the same on every call
 * whichever source it came from.
 */
#ifndef MI_ENGINE_RESULTS_H
#define MI_ENGINE_RESULTS_H

#include "core/error.h"

#include <mi.h>
#include <stddef.h>

typedef struct mi_result_entry {
    char *canonical;
    MI_Instance *path; /* with its namespace */
    MI_Instance *full; /* the object itself; NULL when only its path is known */
} mi_result_entry;

typedef struct mi_result_set {
    mi_result_entry *items;
    size_t count, capacity;
} mi_result_set;

/* Frees every entry and leaves the set empty (reusable). */
void mi_result_set_free(mi_result_set *set);

/* Adds path (with its namespace) and full (may be NULL), both taken (freed on failure). */
MI_Result mi_result_set_add(mi_result_set *set, MI_Instance *path, MI_Instance *full,
                            mi_error *err);

/* The same with the canonical path already made (taken as well). */
MI_Result mi_result_set_take(mi_result_set *set, char *canonical, MI_Instance *path,
                             MI_Instance *full, mi_error *err);

/* Sorts by canonical path and drops repeats (the first of equal paths that has the
 * object itself is kept). */
void mi_result_set_finish(mi_result_set *set);

#endif
