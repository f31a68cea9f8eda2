/*
 * associations — see associations.h. This path enumerates every instance of the
 * candidate association classes: it serves sources that cannot look up who points at
 * an object, and it costs what their enumeration costs. The repository never takes it.
 */
#include "associations.h"

#include "core/instance.h"
#include "core/name.h"
#include "ends.h"

#include <stdlib.h>

typedef struct walk {
    const mi_engine *engine;
    const mi_request *q;
    const char *ns;
    const MI_Instance *source;
    mi_result_set *set;
    mi_error *err;
} walk;

static bool is_reference(const mi_property *p)
{
    return p->type == MI_REFERENCE || p->type == MI_REFERENCEA;
}

/* One result end: the object ref names, typed by its class and filtered by ResultClass. */
static MI_Result add_end(walk *w, const MI_Instance *ref)
{
    const mi_request *q = w->q;
    const char *ns = mi_end_namespace(ref, w->ns);
    const mi_class *cls =
        mi_repository_find_class(w->engine->repo, ns, mi_instance_class_name(ref));
    if (q->result_class && !(cls && mi_class_is_a(cls, q->result_class)))
        return MI_RESULT_OK;
    MI_Instance *path = NULL, *full = NULL;
    MI_Result r = mi_end_path(ref, w->ns, &path, w->err);
    if (r == MI_RESULT_OK && cls && mi_end_resolve(w->engine->repo, ns, path, cls, NULL))
        r = mi_error_set(w->err, MI_RESULT_FAILED, "a reference does not fit %s", cls->name);
    if (r == MI_RESULT_OK && q->operation == MI_OP_ASSOCIATORS && !q->keys_only)
        r = mi_engine_fetch(w->engine, ns, path, &full, w->err);
    if (r != MI_RESULT_OK) {
        if (path)
            mi_instance_delete(path);
        return r;
    }
    return mi_result_set_add(w->set, path, full, w->err);
}

/* The results association a (of class cls) gives. */
static MI_Result visit(walk *w, const mi_class *cls, const MI_Instance *a)
{
    const mi_request *q = w->q;
    for (uint32_t i = 0; i < cls->property_count; i++) {
        const mi_property *end = &cls->properties[i];
        if (!is_reference(end) || (q->role && !mi_name_equal(end->name, q->role)) ||
            !mi_end_points_at(a, end->name, w->ns, w->source))
            continue;
        if (!mi_request_is_associators(q))
            return mi_end_add_association(w->set, a, w->ns, q, w->err);
        for (uint32_t j = 0; j < cls->property_count; j++) {
            const mi_property *other = &cls->properties[j];
            if (j == i || !is_reference(other) ||
                (q->result_role && !mi_name_equal(other->name, q->result_role)))
                continue;
            MI_Value value;
            MI_Type type;
            MI_Uint32 flags;
            if (MI_Instance_GetElement(a, other->name, &value, &type, &flags, NULL) !=
                    MI_RESULT_OK ||
                (flags & MI_FLAG_NULL) || (type != MI_REFERENCE && type != MI_REFERENCEA))
                continue;
            MI_Instance *const *refs;
            MI_Uint32 n = mi_end_references(&value, type, &refs);
            for (MI_Uint32 k = 0; k < n; k++) {
                MI_Result r = refs[k] ? add_end(w, refs[k]) : MI_RESULT_OK;
                if (r != MI_RESULT_OK)
                    return r;
            }
        }
    }
    return MI_RESULT_OK;
}

/* Every instance of cls (not of its subclasses) from src, each visited. */
static MI_Result walk_class(walk *w, const mi_instance_source *src, const mi_class *cls)
{
    mi_request all = {
        .operation = MI_OP_ENUMERATE_INSTANCES,
        .namespace_name = w->ns,
        .class_name = cls->name,
        .shallow = true,
        .cancelled = w->q->cancelled,
        .deadline_usec = w->q->deadline_usec,
    };
    void *cursor = NULL;
    MI_Result r = src->ops->enumerate(src->self, &all, cls->name, false, &cursor, w->err);
    while (r == MI_RESULT_OK) {
        mi_source_item item;
        r = mi_request_stopped(w->q, w->err);
        if (r == MI_RESULT_OK)
            r = src->ops->next(cursor, &item, w->err);
        if (r != MI_RESULT_OK || !item.instance)
            break;
        r = visit(w, cls, item.instance);
    }
    if (cursor)
        src->ops->close(cursor);
    return r;
}

/* Whether an instance of cls can point at the source (of class source_class, NULL when
 * unknown) through a reference the request allows: one declared for the source's class
 * or a superclass of it. Associations that cannot are not enumerated at all. */
static bool may_point_at(const mi_class *cls, const mi_class *source_class, const mi_request *q)
{
    for (uint32_t i = 0; i < cls->property_count; i++) {
        const mi_property *end = &cls->properties[i];
        if (!is_reference(end) || (q->role && !mi_name_equal(end->name, q->role)))
            continue;
        if (!source_class || !end->ref_class || mi_class_is_a(source_class, end->ref_class))
            return true;
    }
    return false;
}

MI_Result mi_associations_generic(const mi_engine *engine, const mi_request *q,
                                  const MI_Instance *source, mi_result_set *set, mi_error *err)
{
    const char *ns = q->namespace_name;
    bool associators = mi_request_is_associators(q);
    const char *filter = associators ? q->assoc_class : q->result_class;
    char **names = NULL;
    size_t count = 0;
    MI_Result r = mi_repository_class_names(engine->repo, ns, NULL, true, &names, &count, err);
    walk w = {engine, q, ns, source, set, err};
    const mi_class *source_class =
        mi_repository_find_class(engine->repo, ns, mi_instance_class_name(source));
    for (size_t i = 0; r == MI_RESULT_OK && i < count; i++) {
        const mi_class *cls = mi_repository_find_class(engine->repo, ns, names[i]);
        if (!cls || !(cls->flags & MI_FLAG_ASSOCIATION) ||
            (filter && !mi_class_is_a(cls, filter)) || !may_point_at(cls, source_class, q))
            continue;
        mi_instance_source src = mi_engine_source_of(engine, ns, cls);
        if (associators ? src.ops->associators != NULL : src.ops->references != NULL)
            continue; /* the source's fast path answers for it */
        r = walk_class(&w, &src, cls);
    }
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
    return r;
}
