/*
 * catalog — see catalog.h.
 *
 * Each namespace keeps its items in arrays in insertion order with a name index (classes,
 * qualifiers) or a path-hash index (instances). apply works in three steps: check every
 * item against what is stored, reserve room for all of them, then insert; a conflict
 * inside the batch itself, found while inserting, is undone by truncating the arrays and
 * rebuilding the indexes in the room already reserved, so undoing cannot fail.
 */
#include "catalog.h"

#include "core/instance.h"
#include "core/name.h"
#include "core/path.h"
#include "core/value.h"

#include <stdlib.h>
#include <string.h>

typedef struct instance_slot {
    uint64_t hash;
    uint32_t index_plus_one; /* 0: empty */
} instance_slot;

typedef struct catalog_namespace {
    char *name;
    mi_qualifier_decl **qualifiers;
    uint32_t qualifier_count, qualifier_capacity;
    mi_nametable qualifier_index;
    mi_class **classes;
    uint32_t class_count, class_capacity;
    mi_nametable class_index;
    MI_Instance **instances;
    uint64_t *instance_hashes;
    uint32_t instance_count, instance_capacity;
    instance_slot *slots;
    uint32_t slot_capacity; /* a power of two, at least twice instance_capacity */
} catalog_namespace;

struct mi_catalog {
    catalog_namespace **spaces;
    uint32_t count, capacity;
    mi_nametable index;
};

MI_Result mi_catalog_new(mi_catalog **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? MI_RESULT_OK : MI_RESULT_SERVER_LIMITS_EXCEEDED;
}

static void namespace_free(catalog_namespace *ns)
{
    for (uint32_t i = 0; i < ns->qualifier_count; i++)
        mi_qualifier_decl_free(ns->qualifiers[i]);
    for (uint32_t i = 0; i < ns->class_count; i++)
        mi_class_unref(ns->classes[i]);
    for (uint32_t i = 0; i < ns->instance_count; i++)
        mi_instance_delete(ns->instances[i]);
    free(ns->qualifiers);
    free(ns->classes);
    free(ns->instances);
    free(ns->instance_hashes);
    free(ns->slots);
    mi_nametable_free(&ns->qualifier_index);
    mi_nametable_free(&ns->class_index);
    free(ns->name);
    free(ns);
}

void mi_catalog_free(mi_catalog *catalog)
{
    if (!catalog)
        return;
    for (uint32_t i = 0; i < catalog->count; i++)
        namespace_free(catalog->spaces[i]);
    free(catalog->spaces);
    mi_nametable_free(&catalog->index);
    free(catalog);
}

static catalog_namespace *find_namespace(const mi_catalog *catalog, const char *name)
{
    uint32_t i;
    return catalog && name && mi_nametable_find(&catalog->index, name, &i) ? catalog->spaces[i]
                                                                           : NULL;
}

/* ---- instance index ---- */

static const MI_Instance *find_in(const catalog_namespace *ns, const MI_Instance *path,
                                  uint64_t hash)
{
    if (!ns->slot_capacity)
        return NULL;
    uint32_t mask = ns->slot_capacity - 1;
    for (uint32_t i = (uint32_t)hash & mask; ns->slots[i].index_plus_one; i = (i + 1) & mask) {
        const instance_slot *slot = &ns->slots[i];
        if (slot->hash == hash && mi_path_equal(ns->instances[slot->index_plus_one - 1], path))
            return ns->instances[slot->index_plus_one - 1];
    }
    return NULL;
}

/* Room must have been reserved. */
static void index_instance(catalog_namespace *ns, uint32_t index)
{
    uint32_t mask = ns->slot_capacity - 1;
    uint32_t i = (uint32_t)ns->instance_hashes[index] & mask;
    while (ns->slots[i].index_plus_one)
        i = (i + 1) & mask;
    ns->slots[i] = (instance_slot){ns->instance_hashes[index], index + 1};
}

/* ---- reserving room ---- */

static MI_Result grow(void **items, uint32_t *capacity, uint32_t needed, size_t size)
{
    if (needed <= *capacity)
        return MI_RESULT_OK;
    uint32_t bigger = *capacity ? *capacity : 16;
    while (bigger < needed)
        bigger *= 2;
    void *grown = realloc(*items, (size_t)bigger * size);
    if (!grown)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    *items = grown;
    *capacity = bigger;
    return MI_RESULT_OK;
}

static MI_Result reserve_instances(catalog_namespace *ns, uint32_t needed)
{
    uint32_t capacity = ns->instance_capacity;
    if (grow((void **)&ns->instances, &capacity, needed, sizeof *ns->instances))
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    capacity = ns->instance_capacity;
    if (grow((void **)&ns->instance_hashes, &capacity, needed, sizeof *ns->instance_hashes))
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    ns->instance_capacity = capacity;
    if (ns->slot_capacity >= 2 * needed)
        return MI_RESULT_OK;
    uint32_t slots = ns->slot_capacity ? ns->slot_capacity : 32;
    while (slots < 2 * needed)
        slots *= 2;
    instance_slot *fresh = calloc(slots, sizeof *fresh);
    if (!fresh)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    free(ns->slots);
    ns->slots = fresh;
    ns->slot_capacity = slots;
    for (uint32_t i = 0; i < ns->instance_count; i++)
        index_instance(ns, i);
    return MI_RESULT_OK;
}

typedef struct plan {
    catalog_namespace *ns;
    uint32_t qualifiers, classes, instances;             /* additions in the batch */
    uint32_t old_qualifiers, old_classes, old_instances; /* counts before */
} plan;

static MI_Result reserve(plan *p)
{
    catalog_namespace *ns = p->ns;
    if (grow((void **)&ns->qualifiers, &ns->qualifier_capacity, ns->qualifier_count + p->qualifiers,
             sizeof *ns->qualifiers) ||
        mi_nametable_reserve(&ns->qualifier_index, ns->qualifier_count + p->qualifiers) ||
        grow((void **)&ns->classes, &ns->class_capacity, ns->class_count + p->classes,
             sizeof *ns->classes) ||
        mi_nametable_reserve(&ns->class_index, ns->class_count + p->classes) ||
        reserve_instances(ns, ns->instance_count + p->instances))
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    return MI_RESULT_OK;
}

/* Back to the counts before the batch; the batch still owns the items. */
static void undo(plan *p)
{
    catalog_namespace *ns = p->ns;
    ns->qualifier_count = p->old_qualifiers;
    ns->class_count = p->old_classes;
    ns->instance_count = p->old_instances;
    mi_nametable_clear(&ns->qualifier_index);
    for (uint32_t i = 0; i < ns->qualifier_count; i++)
        mi_nametable_insert(&ns->qualifier_index, ns->qualifiers[i]->name, i);
    mi_nametable_clear(&ns->class_index);
    for (uint32_t i = 0; i < ns->class_count; i++)
        mi_nametable_insert(&ns->class_index, ns->classes[i]->name, i);
    if (ns->slot_capacity)
        memset(ns->slots, 0, ns->slot_capacity * sizeof *ns->slots);
    for (uint32_t i = 0; i < ns->instance_count; i++)
        index_instance(ns, i);
}

static MI_Result add_namespace(mi_catalog *catalog, const char *name, catalog_namespace **out)
{
    if (grow((void **)&catalog->spaces, &catalog->capacity, catalog->count + 1,
             sizeof *catalog->spaces) ||
        mi_nametable_reserve(&catalog->index, catalog->count + 1))
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    catalog_namespace *ns = calloc(1, sizeof *ns);
    if (!ns || !(ns->name = strdup(name))) {
        free(ns);
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    }
    catalog->spaces[catalog->count] = ns;
    mi_nametable_insert(&catalog->index, ns->name, catalog->count++);
    *out = ns;
    return MI_RESULT_OK;
}

static void drop_namespaces_from(mi_catalog *catalog, uint32_t first)
{
    for (uint32_t i = first; i < catalog->count; i++)
        namespace_free(catalog->spaces[i]);
    catalog->count = first;
    mi_nametable_clear(&catalog->index);
    for (uint32_t i = 0; i < catalog->count; i++)
        mi_nametable_insert(&catalog->index, catalog->spaces[i]->name, i);
}

/* ---- apply ---- */

static MI_Result check_item(const catalog_namespace *ns, const mi_batch_item *item, uint64_t *hash,
                            mi_error *err)
{
    switch (item->kind) {
    case MI_BATCH_QUALIFIER: {
        uint32_t i;
        if (ns && mi_nametable_find(&ns->qualifier_index, item->u.qualifier->name, &i) &&
            ns->qualifiers[i]->type != item->u.qualifier->type)
            return mi_error_set(err, MI_RESULT_TYPE_MISMATCH,
                                "qualifier '%s' is already declared with type %s in namespace %s",
                                item->u.qualifier->name, mi_type_name(ns->qualifiers[i]->type),
                                ns->name);
        return MI_RESULT_OK;
    }
    case MI_BATCH_CLASS:
        if (ns && mi_nametable_find(&ns->class_index, item->u.cls->name, NULL))
            return mi_error_set(err, MI_RESULT_ALREADY_EXISTS,
                                "class %s already exists in namespace %s", item->u.cls->name,
                                ns->name);
        return MI_RESULT_OK;
    case MI_BATCH_INSTANCE: {
        MI_Result r = mi_path_hash(hash, item->u.instance, err);
        if (r != MI_RESULT_OK)
            return r;
        if (ns && find_in(ns, item->u.instance, *hash)) {
            char *text = NULL;
            mi_path_format(&text, item->u.instance, NULL);
            mi_error_set(err, MI_RESULT_ALREADY_EXISTS,
                         "instance %s already exists in namespace %s",
                         text ? text : mi_instance_class_name(item->u.instance), ns->name);
            free(text);
            return MI_RESULT_ALREADY_EXISTS;
        }
        return MI_RESULT_OK;
    }
    }
    return MI_RESULT_OK;
}

static MI_Result insert_item(catalog_namespace *ns, const mi_batch_item *item, uint64_t hash,
                             mi_error *err)
{
    switch (item->kind) {
    case MI_BATCH_QUALIFIER:
        if (mi_nametable_find(&ns->qualifier_index, item->u.qualifier->name, NULL))
            return MI_RESULT_OK; /* replaced after every check passed */
        ns->qualifiers[ns->qualifier_count] = item->u.qualifier;
        mi_nametable_insert(&ns->qualifier_index, item->u.qualifier->name, ns->qualifier_count++);
        return MI_RESULT_OK;
    case MI_BATCH_CLASS:
        if (mi_nametable_insert(&ns->class_index, item->u.cls->name, ns->class_count))
            return mi_error_set(err, MI_RESULT_ALREADY_EXISTS,
                                "class %s is given twice for namespace %s", item->u.cls->name,
                                ns->name);
        ns->classes[ns->class_count++] = item->u.cls;
        return MI_RESULT_OK;
    case MI_BATCH_INSTANCE:
        if (find_in(ns, item->u.instance, hash))
            return mi_error_set(err, MI_RESULT_ALREADY_EXISTS,
                                "an instance of %s is given twice for namespace %s",
                                mi_instance_class_name(item->u.instance), ns->name);
        ns->instances[ns->instance_count] = item->u.instance;
        ns->instance_hashes[ns->instance_count] = hash;
        index_instance(ns, ns->instance_count++);
        return MI_RESULT_OK;
    }
    return MI_RESULT_OK;
}

static plan *plan_for(plan *plans, uint32_t count, const catalog_namespace *ns)
{
    for (uint32_t i = 0; i < count; i++) {
        if (plans[i].ns == ns)
            return &plans[i];
    }
    return NULL;
}

MI_Result mi_catalog_apply(mi_catalog *catalog, mi_schema_batch *batch, mi_error *err)
{
    if (batch->count == 0)
        return MI_RESULT_OK;
    uint64_t *hashes = calloc(batch->count, sizeof *hashes);
    plan *plans = calloc(batch->count, sizeof *plans);
    if (!hashes || !plans) {
        free(hashes);
        free(plans);
        return mi_error_nomem(err);
    }
    uint32_t first_new_namespace = catalog->count, plan_count = 0;
    MI_Result r = MI_RESULT_OK;
    for (uint32_t i = 0; r == MI_RESULT_OK && i < batch->count; i++) {
        const mi_batch_item *item = &batch->items[i];
        r = check_item(find_namespace(catalog, item->namespace_name), item, &hashes[i], err);
    }
    for (uint32_t i = 0; r == MI_RESULT_OK && i < batch->count; i++) {
        const mi_batch_item *item = &batch->items[i];
        catalog_namespace *ns = find_namespace(catalog, item->namespace_name);
        if (!ns && (r = add_namespace(catalog, item->namespace_name, &ns)) != MI_RESULT_OK) {
            mi_error_nomem(err);
            break;
        }
        plan *p = plan_for(plans, plan_count, ns);
        if (!p) {
            p = &plans[plan_count++];
            *p = (plan){ns, 0, 0, 0, ns->qualifier_count, ns->class_count, ns->instance_count};
        }
        p->qualifiers += item->kind == MI_BATCH_QUALIFIER;
        p->classes += item->kind == MI_BATCH_CLASS;
        p->instances += item->kind == MI_BATCH_INSTANCE;
    }
    for (uint32_t i = 0; r == MI_RESULT_OK && i < plan_count; i++) {
        if ((r = reserve(&plans[i])) != MI_RESULT_OK)
            mi_error_nomem(err);
    }
    for (uint32_t i = 0; r == MI_RESULT_OK && i < batch->count; i++) {
        const mi_batch_item *item = &batch->items[i];
        r = insert_item(find_namespace(catalog, item->namespace_name), item, hashes[i], err);
    }
    if (r != MI_RESULT_OK) {
        for (uint32_t i = 0; i < plan_count; i++)
            undo(&plans[i]); /* new namespaces end up empty, then are dropped */
        drop_namespaces_from(catalog, first_new_namespace);
    } else {
        /* Committed: take the items; a redeclared qualifier replaces the stored one. */
        for (uint32_t i = 0; i < batch->count; i++) {
            mi_batch_item *item = &batch->items[i];
            catalog_namespace *ns = find_namespace(catalog, item->namespace_name);
            uint32_t at;
            if (item->kind == MI_BATCH_QUALIFIER &&
                mi_nametable_find(&ns->qualifier_index, item->u.qualifier->name, &at) &&
                ns->qualifiers[at] != item->u.qualifier) {
                mi_qualifier_decl *old = ns->qualifiers[at];
                ns->qualifiers[at] = item->u.qualifier;
                mi_nametable_rename(&ns->qualifier_index, old->name, item->u.qualifier->name);
                mi_qualifier_decl_free(old);
            }
            item->u.qualifier = NULL; /* every member of the union is a pointer */
            item->u.cls = NULL;
            item->u.instance = NULL;
        }
    }
    free(hashes);
    free(plans);
    return r;
}

/* ---- lookups ---- */

bool mi_catalog_has_namespace(const mi_catalog *catalog, const char *ns)
{
    return find_namespace(catalog, ns) != NULL;
}

const mi_qualifier_decl *mi_catalog_find_qualifier(const mi_catalog *catalog, const char *ns,
                                                   const char *name)
{
    const catalog_namespace *space = find_namespace(catalog, ns);
    uint32_t i;
    return space && mi_nametable_find(&space->qualifier_index, name, &i) ? space->qualifiers[i]
                                                                         : NULL;
}

mi_class *mi_catalog_find_class(const mi_catalog *catalog, const char *ns, const char *name)
{
    const catalog_namespace *space = find_namespace(catalog, ns);
    uint32_t i;
    return space && mi_nametable_find(&space->class_index, name, &i) ? space->classes[i] : NULL;
}

const MI_Instance *mi_catalog_find_instance(const mi_catalog *catalog, const char *ns,
                                            const MI_Instance *path)
{
    const catalog_namespace *space = find_namespace(catalog, ns);
    uint64_t hash;
    if (!space || mi_path_hash(&hash, path, NULL) != MI_RESULT_OK)
        return NULL;
    return find_in(space, path, hash);
}

uint32_t mi_catalog_class_count(const mi_catalog *catalog, const char *ns)
{
    const catalog_namespace *space = find_namespace(catalog, ns);
    return space ? space->class_count : 0;
}

uint32_t mi_catalog_instance_count(const mi_catalog *catalog, const char *ns)
{
    const catalog_namespace *space = find_namespace(catalog, ns);
    return space ? space->instance_count : 0;
}

uint32_t mi_catalog_qualifier_count(const mi_catalog *catalog, const char *ns)
{
    const catalog_namespace *space = find_namespace(catalog, ns);
    return space ? space->qualifier_count : 0;
}

mi_class *mi_catalog_class_at(const mi_catalog *catalog, const char *ns, uint32_t i)
{
    const catalog_namespace *space = find_namespace(catalog, ns);
    return space && i < space->class_count ? space->classes[i] : NULL;
}

const MI_Instance *mi_catalog_instance_at(const mi_catalog *catalog, const char *ns, uint32_t i)
{
    const catalog_namespace *space = find_namespace(catalog, ns);
    return space && i < space->instance_count ? space->instances[i] : NULL;
}

/* ---- the store interface ---- */

static const mi_qualifier_decl *store_find_qualifier(void *context, const char *ns,
                                                     const char *name)
{
    return mi_catalog_find_qualifier(context, ns, name);
}

static mi_class *store_find_class(void *context, const char *ns, const char *name)
{
    return mi_catalog_find_class(context, ns, name);
}

static bool store_has_instance(void *context, const char *ns, const MI_Instance *path)
{
    return mi_catalog_find_instance(context, ns, path) != NULL;
}

static MI_Result store_apply(void *context, mi_schema_batch *batch, mi_error *err)
{
    return mi_catalog_apply(context, batch, err);
}

mi_schema_store mi_catalog_store(mi_catalog *catalog)
{
    return (mi_schema_store){catalog, store_find_qualifier, store_find_class, store_has_instance,
                             store_apply};
}
