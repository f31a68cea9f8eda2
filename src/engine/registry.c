/*
 * registry — see source.h. A short list searched in order: registrations are few (one
 * per provider class), and a lookup walks the class chain once.
 */
#include "source.h"

#include "core/name.h"

#include <stdlib.h>
#include <string.h>

typedef struct registration {
    char *ns;         /* NULL: every namespace */
    char *class_name; /* NULL: every class */
    mi_instance_source source;
} registration;

struct mi_source_registry {
    registration *items;
    size_t count;
};

MI_Result mi_source_registry_new(mi_source_registry **out, mi_error *err)
{
    *out = calloc(1, sizeof **out);
    return *out ? MI_RESULT_OK : mi_error_nomem(err);
}

void mi_source_registry_free(mi_source_registry *registry)
{
    if (!registry)
        return;
    for (size_t i = 0; i < registry->count; i++) {
        free(registry->items[i].ns);
        free(registry->items[i].class_name);
    }
    free(registry->items);
    free(registry);
}

MI_Result mi_source_registry_add(mi_source_registry *registry, const char *ns,
                                 const char *class_name, const mi_instance_source *source,
                                 mi_error *err)
{
    if (!source || !source->ops || !source->ops->enumerate || !source->ops->get ||
        !source->ops->next || !source->ops->close)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER,
                            "an instance source needs enumerate, get, next and close");
    registration *grown = realloc(registry->items, (registry->count + 1) * sizeof *grown);
    if (!grown)
        return mi_error_nomem(err);
    registry->items = grown;
    registration *r = &registry->items[registry->count];
    r->ns = ns ? strdup(ns) : NULL;
    r->class_name = class_name ? strdup(class_name) : NULL;
    r->source = *source;
    if ((ns && !r->ns) || (class_name && !r->class_name)) {
        free(r->ns);
        free(r->class_name);
        return mi_error_nomem(err);
    }
    registry->count++;
    return MI_RESULT_OK;
}

static bool in_namespace(const registration *r, const char *ns)
{
    return !r->ns || mi_name_equal(r->ns, ns);
}

const mi_instance_source *mi_source_registry_find(const mi_source_registry *registry,
                                                  const char *ns, const mi_class *cls)
{
    if (!registry || !registry->count)
        return NULL;
    for (const mi_class *c = cls; c; c = c->superclass) {
        for (size_t i = 0; i < registry->count; i++) {
            const registration *r = &registry->items[i];
            if (r->class_name && in_namespace(r, ns) && mi_name_equal(r->class_name, c->name))
                return &r->source;
        }
    }
    return mi_source_registry_default(registry, ns);
}

const mi_instance_source *mi_source_registry_default(const mi_source_registry *registry,
                                                     const char *ns)
{
    for (size_t i = 0; registry && i < registry->count; i++) {
        const registration *r = &registry->items[i];
        if (!r->class_name && in_namespace(r, ns))
            return &r->source;
    }
    return NULL;
}

size_t mi_source_registry_count(const mi_source_registry *registry)
{
    return registry ? registry->count : 0;
}

const mi_instance_source *mi_source_registry_at(const mi_source_registry *registry, const char *ns,
                                                size_t i)
{
    if (!registry || i >= registry->count || !in_namespace(&registry->items[i], ns))
        return NULL;
    return &registry->items[i].source;
}

bool mi_source_registry_covers(const mi_source_registry *registry, const char *ns)
{
    for (size_t i = 0; registry && i < registry->count; i++) {
        if (in_namespace(&registry->items[i], ns))
            return true;
    }
    return false;
}
