/*
 * schema_batch — see schema_batch.h.
 */
#include "schema_batch.h"

#include "instance.h"

#include <stdlib.h>
#include <string.h>

static void release_item(mi_batch_item *item)
{
    switch (item->kind) {
    case MI_BATCH_QUALIFIER:
        mi_qualifier_decl_free(item->u.qualifier);
        break;
    case MI_BATCH_CLASS:
        mi_class_unref(item->u.cls);
        break;
    case MI_BATCH_INSTANCE:
        if (item->u.instance)
            mi_instance_delete(item->u.instance);
        break;
    }
    free(item->namespace_name);
    memset(item, 0, sizeof *item);
}

static MI_Result append(mi_schema_batch *batch, mi_batch_item item)
{
    if (!(item.namespace_name = strdup(item.namespace_name ? item.namespace_name : ""))) {
        release_item(&item);
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    }
    if (batch->count == batch->capacity) {
        uint32_t capacity = batch->capacity ? batch->capacity * 2 : 64;
        mi_batch_item *grown = realloc(batch->items, capacity * sizeof *grown);
        if (!grown) {
            release_item(&item);
            return MI_RESULT_SERVER_LIMITS_EXCEEDED;
        }
        batch->items = grown;
        batch->capacity = capacity;
    }
    batch->items[batch->count++] = item;
    batch->counts[item.kind]++;
    return MI_RESULT_OK;
}

MI_Result mi_batch_add_qualifier(mi_schema_batch *batch, const char *ns, mi_qualifier_decl *decl)
{
    return append(batch, (mi_batch_item){MI_BATCH_QUALIFIER, (char *)ns, {.qualifier = decl}});
}

MI_Result mi_batch_add_class(mi_schema_batch *batch, const char *ns, mi_class *cls)
{
    return append(batch, (mi_batch_item){MI_BATCH_CLASS, (char *)ns, {.cls = cls}});
}

MI_Result mi_batch_add_instance(mi_schema_batch *batch, const char *ns, MI_Instance *instance)
{
    return append(batch, (mi_batch_item){MI_BATCH_INSTANCE, (char *)ns, {.instance = instance}});
}

void mi_batch_free(mi_schema_batch *batch)
{
    for (uint32_t i = 0; i < batch->count; i++)
        release_item(&batch->items[i]);
    free(batch->items);
    memset(batch, 0, sizeof *batch);
}
