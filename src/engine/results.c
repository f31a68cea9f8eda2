/*
 * results — see results.h.
 */
#include "results.h"

#include "core/instance.h"
#include "core/path.h"

#include <stdlib.h>
#include <string.h>

static void entry_free(mi_result_entry *e)
{
    free(e->canonical);
    if (e->path)
        mi_instance_delete(e->path);
    if (e->full)
        mi_instance_delete(e->full);
}

void mi_result_set_free(mi_result_set *set)
{
    for (size_t i = 0; i < set->count; i++)
        entry_free(&set->items[i]);
    free(set->items);
    memset(set, 0, sizeof *set);
}

MI_Result mi_result_set_take(mi_result_set *set, char *canonical, MI_Instance *path,
                             MI_Instance *full, mi_error *err)
{
    mi_result_entry e = {canonical, path, full};
    if (set->count == set->capacity) {
        size_t capacity = set->capacity ? set->capacity * 2 : 16;
        mi_result_entry *grown = realloc(set->items, capacity * sizeof *grown);
        if (!grown) {
            entry_free(&e);
            return mi_error_nomem(err);
        }
        set->items = grown;
        set->capacity = capacity;
    }
    set->items[set->count++] = e;
    return MI_RESULT_OK;
}

MI_Result mi_result_set_add(mi_result_set *set, MI_Instance *path, MI_Instance *full, mi_error *err)
{
    char *canonical = NULL;
    MI_Result r = mi_path_canonical(&canonical, path, err);
    if (r != MI_RESULT_OK) {
        mi_result_entry e = {canonical, path, full};
        entry_free(&e);
        return r;
    }
    return mi_result_set_take(set, canonical, path, full, err);
}

/* Equal paths order the entry holding the object first, so that it is the one kept. */
static int compare_entries(const void *a, const void *b)
{
    const mi_result_entry *x = a, *y = b;
    int c = strcmp(x->canonical, y->canonical);
    return c ? c : (y->full != NULL) - (x->full != NULL);
}

void mi_result_set_finish(mi_result_set *set)
{
    if (set->count > 16) {
        qsort(set->items, set->count, sizeof *set->items, compare_entries);
    } else { /* the usual few: insertion sort, no call per comparison */
        for (size_t i = 1; i < set->count; i++) {
            mi_result_entry moving = set->items[i];
            size_t j = i;
            for (; j > 0 && compare_entries(&set->items[j - 1], &moving) > 0; j--)
                set->items[j] = set->items[j - 1];
            set->items[j] = moving;
        }
    }
    size_t kept = 0;
    for (size_t i = 0; i < set->count; i++) {
        if (kept && strcmp(set->items[kept - 1].canonical, set->items[i].canonical) == 0) {
            entry_free(&set->items[i]);
            continue;
        }
        set->items[kept++] = set->items[i];
    }
    set->count = kept;
}
