/*
 * memory_source — see memory_source.h.
 */
#include "memory_source.h"

#include "core/instance.h"
#include "core/name.h"
#include "core/path.h"

#include <stdlib.h>

static unsigned long visits;

typedef struct memory_cursor {
    mi_catalog *catalog;
    const char *ns;
    const char *class_name;
    bool deep, keys_only;
    uint32_t next;
    MI_Instance *current;
} memory_cursor;

static MI_Result memory_enumerate(void *self, const mi_request *q, const char *class_name,
                                  bool deep, void **out, mi_error *err)
{
    memory_cursor *c = calloc(1, sizeof *c);
    if (!c)
        return mi_error_nomem(err);
    *c = (memory_cursor){self, q->namespace_name, class_name, deep, q->keys_only, 0, NULL};
    *out = c;
    return MI_RESULT_OK;
}

/* A copy of inst (or of its keys) naming ns. */
static MI_Result copy_in(const MI_Instance *inst, const char *ns, bool keys_only, MI_Instance **out,
                         mi_error *err)
{
    MI_Result r = keys_only ? mi_path_of_instance(out, inst, err) : mi_instance_clone(inst, out);
    if (r == MI_RESULT_OK && MI_Instance_SetNameSpace(*out, ns) != MI_RESULT_OK) {
        mi_instance_delete(*out);
        *out = NULL;
        r = mi_error_nomem(err);
    }
    return r;
}

static MI_Result memory_next(void *cursor, mi_source_item *item, mi_error *err)
{
    memory_cursor *c = cursor;
    *item = (mi_source_item){NULL, false};
    if (c->current) {
        mi_instance_delete(c->current);
        c->current = NULL;
    }
    uint32_t count = mi_catalog_instance_count(c->catalog, c->ns);
    while (c->next < count) {
        const MI_Instance *inst = mi_catalog_instance_at(c->catalog, c->ns, c->next++);
        const mi_class *cls = mi_instance_class((MI_Instance *)inst);
        visits++;
        bool wanted =
            c->deep ? mi_class_is_a(cls, c->class_name) : mi_name_equal(cls->name, c->class_name);
        if (!wanted)
            continue;
        MI_Result r = copy_in(inst, c->ns, c->keys_only, &c->current, err);
        if (r != MI_RESULT_OK)
            return r;
        item->instance = c->current;
        return MI_RESULT_OK;
    }
    return MI_RESULT_OK;
}

static void memory_close(void *cursor)
{
    memory_cursor *c = cursor;
    if (c->current)
        mi_instance_delete(c->current);
    free(c);
}

static MI_Result memory_get(void *self, const char *ns, const MI_Instance *path, MI_Instance **out,
                            mi_error *err)
{
    const MI_Instance *found = mi_catalog_find_instance(self, ns, path);
    if (!found)
        return mi_error_set(err, MI_RESULT_NOT_FOUND, "no such instance in memory");
    return copy_in(found, ns, false, out, err);
}

static const mi_source_ops memory_ops = {
    .enumerate = memory_enumerate,
    .get = memory_get,
    .next = memory_next,
    .close = memory_close,
};

mi_instance_source mi_test_memory_source(mi_catalog *catalog)
{
    return (mi_instance_source){&memory_ops, catalog};
}

unsigned long mi_test_memory_source_visits(void)
{
    return visits;
}
