/*
 * associations — see associations.h. This path enumerates every instance of the
 * candidate association classes: it serves sources that cannot look up who points at
 * an object, and it costs what their enumeration costs. The repository never takes it.
 */
#include "associations.h"

#include "core/instance.h"
#include "core/name.h"
#include "core/path.h"
#include "ends.h"
#include "repo_source.h"

#include <stdlib.h>
#include <string.h>

enum { BATCH_FETCH_MIN = 8 }; /* ends of one provider-served class fetched by enumeration */

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
    /* the objects themselves are fetched once every end is known (fetch_ends) */
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

/* What one result of a cursor over association cls gives (cursor: for take). */
typedef MI_Result (*each_item)(walk *w, const mi_instance_source *src, void *cursor,
                               const mi_class *cls, const MI_Instance *item);

/* Each result of cursor (opened with status r) handed to each, then the cursor closed. */
static MI_Result drain(walk *w, const mi_instance_source *src, MI_Result r, void *cursor,
                       const mi_class *cls, each_item each)
{
    while (r == MI_RESULT_OK) {
        mi_source_item item;
        r = mi_request_stopped(w->q, w->err);
        if (r == MI_RESULT_OK)
            r = src->ops->next(cursor, &item, w->err);
        if (r != MI_RESULT_OK || !item.instance)
            break;
        r = each(w, src, cursor, cls, item.instance);
    }
    if (cursor)
        src->ops->close(cursor);
    return r;
}

static MI_Result visit_item(walk *w, const mi_instance_source *src, void *cursor,
                            const mi_class *cls, const MI_Instance *a)
{
    (void)src, (void)cursor;
    return visit(w, cls, a);
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
    return drain(w, src, r, cursor, cls, visit_item);
}

/* Whether an object of class target can be a result through association cls: some
 * reference of cls (the one q's ResultRole names, if any; any when checking is false)
 * is declared for target's class or one of its superclasses. */
static bool may_hold(const mi_class *cls, const mi_class *target, const mi_request *q,
                     bool filtered)
{
    for (uint32_t i = 0; i < cls->property_count; i++) {
        const mi_property *end = &cls->properties[i];
        if (!is_reference(end) ||
            (filtered && q->result_role && !mi_name_equal(end->name, q->result_role)))
            continue;
        if (!end->ref_class || mi_class_is_a(target, end->ref_class))
            return true;
    }
    return false;
}

/* One object a source's class_associators gave: checked against the association and
 * q's filters (a provider may ignore them; the answer may not), then added. */
static MI_Result add_associated(walk *w, const mi_instance_source *src, void *cursor,
                                const mi_class *cls, const MI_Instance *found)
{
    const mi_request *q = w->q;
    const char *ns = mi_end_namespace(found, w->ns);
    const mi_class *found_class =
        mi_repository_find_class(w->engine->repo, ns, mi_instance_class_name(found));
    if (!found_class || !may_hold(cls, found_class, q, false))
        return mi_error_set(w->err, MI_RESULT_FAILED,
                            "the source of %s answered associators with an instance of %s, "
                            "which %s does not associate",
                            cls->name, mi_instance_class_name(found), cls->name);
    if ((q->result_class && !mi_class_is_a(found_class, q->result_class)) ||
        !may_hold(cls, found_class, q, true))
        return MI_RESULT_OK;
    MI_Instance *path = NULL, *full = NULL;
    MI_Result r = mi_end_path(found, w->ns, &path, w->err);
    if (r == MI_RESULT_OK && !q->keys_only &&
        !(src->ops->take && (full = src->ops->take(cursor))) &&
        mi_instance_clone(found, &full) != MI_RESULT_OK)
        r = mi_error_nomem(w->err);
    if (r != MI_RESULT_OK) {
        if (path)
            mi_instance_delete(path);
        return r;
    }
    return mi_result_set_add(w->set, path, full, w->err);
}

/* The associators through cls from the source's own path for it: MI_RESULT_NOT_SUPPORTED
 * when it has none for cls. */
static MI_Result walk_fast(walk *w, const mi_instance_source *src, const mi_class *cls)
{
    void *cursor = NULL;
    MI_Result r = src->ops->class_associators(src->self, w->q, cls, w->source, &cursor, w->err);
    return drain(w, src, r, cursor, cls, add_associated);
}

/* One association a source's class_references gave: of cls, and kept when it points at
 * the source (through q's Role). */
static MI_Result add_reference(walk *w, const mi_instance_source *src, void *cursor,
                               const mi_class *cls, const MI_Instance *a)
{
    (void)src, (void)cursor;
    const mi_class *found = mi_repository_find_class(w->engine->repo, mi_end_namespace(a, w->ns),
                                                     mi_instance_class_name(a));
    if (!found || !mi_class_is_a(found, cls->name))
        return mi_error_set(w->err, MI_RESULT_FAILED,
                            "the source of %s answered references with an instance of %s",
                            cls->name, mi_instance_class_name(a));
    return visit(w, found, a);
}

/* The references through cls from the source's own path for it: MI_RESULT_NOT_SUPPORTED
 * when the source has no such path for cls. */
static MI_Result walk_fast_references(walk *w, const mi_instance_source *src, const mi_class *cls)
{
    void *cursor = NULL;
    MI_Result r = src->ops->class_references(src->self, w->q, cls, w->source, &cursor, w->err);
    return drain(w, src, r, cursor, cls, add_reference);
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

static bool same_class(const mi_result_entry *a, const mi_result_entry *b)
{
    return mi_name_equal(mi_instance_class_name(a->path), mi_instance_class_name(b->path)) &&
           mi_name_equal(mi_instance_namespace(a->path), mi_instance_namespace(b->path));
}

static int by_canonical(const void *a, const void *b)
{
    const mi_result_entry *x = *(mi_result_entry *const *)a, *y = *(mi_result_entry *const *)b;
    return strcmp(x->canonical, y->canonical);
}

/* The objects of group (ends of one class, which src serves) from one enumeration of the
 * class: a provider answers many gets at the cost of one call each, an enumeration at
 * the cost of its results. Ends it does not list stay paths, as a failed get leaves
 * them. */
static MI_Result fetch_by_enumeration(walk *w, const mi_instance_source *src,
                                      mi_result_entry **group, size_t n)
{
    qsort(group, n, sizeof *group, by_canonical);
    const char *ns = mi_instance_namespace(group[0]->path);
    const char *class_name = mi_instance_class_name(group[0]->path);
    mi_request all = {
        .operation = MI_OP_ENUMERATE_INSTANCES,
        .namespace_name = ns,
        .class_name = class_name,
        .shallow = true,
        .cancelled = w->q->cancelled,
        .deadline_usec = w->q->deadline_usec,
    };
    void *cursor = NULL;
    MI_Result r = src->ops->enumerate(src->self, &all, class_name, false, &cursor, w->err);
    while (r == MI_RESULT_OK) {
        mi_source_item item;
        r = src->ops->next(cursor, &item, w->err);
        if (r != MI_RESULT_OK || !item.instance)
            break;
        mi_result_entry probe = {NULL, NULL, NULL}, *key = &probe;
        r = mi_path_canonical(&probe.canonical, item.instance, w->err);
        mi_result_entry **hit =
            r == MI_RESULT_OK ? bsearch(&key, group, n, sizeof *group, by_canonical) : NULL;
        free(probe.canonical);
        if (hit && !(*hit)->full) {
            r = mi_instance_clone(item.instance, &(*hit)->full);
            if (r == MI_RESULT_OK && !mi_instance_namespace((*hit)->full) &&
                MI_Instance_SetNameSpace((*hit)->full, ns) != MI_RESULT_OK)
                r = mi_error_nomem(w->err);
        }
    }
    if (cursor)
        src->ops->close(cursor);
    return r;
}

/* The objects of the ends added from index first on (Associators without keysOnly). */
static MI_Result fetch_ends(walk *w, size_t first)
{
    mi_result_set *set = w->set;
    size_t count = set->count;
    mi_result_entry **group = malloc((count - first + 1) * sizeof *group);
    bool *done = calloc(count - first + 1, sizeof *done);
    MI_Result r = group && done ? MI_RESULT_OK : mi_error_nomem(w->err);
    mi_instance_source repo = mi_repo_source(w->engine->repo);
    for (size_t i = first; r == MI_RESULT_OK && i < count; i++) {
        mi_result_entry *e = &set->items[i];
        if (done[i - first] || e->full)
            continue;
        size_t n = 0;
        for (size_t j = i; j < count; j++)
            if (!done[j - first] && !set->items[j].full && same_class(e, &set->items[j])) {
                group[n++] = &set->items[j];
                done[j - first] = true;
            }
        const char *ns = mi_instance_namespace(e->path);
        const mi_class *cls =
            mi_repository_find_class(w->engine->repo, ns, mi_instance_class_name(e->path));
        mi_instance_source src = cls ? mi_engine_source_of(w->engine, ns, cls) : repo;
        if (n >= BATCH_FETCH_MIN && src.ops != repo.ops) {
            r = fetch_by_enumeration(w, &src, group, n);
            continue;
        }
        for (size_t k = 0; r == MI_RESULT_OK && k < n; k++)
            r = mi_engine_fetch(w->engine, ns, group[k]->path, &group[k]->full, w->err);
    }
    free(group);
    free(done);
    return r;
}

/* Whether an instance of cls can lead to a result of q's ResultClass (and ResultRole):
 * through a reference whose declared class is the result class, one of its subclasses
 * or one of its superclasses (which may hold a subclass). */
static bool may_reach(const mi_engine *engine, const char *ns, const mi_class *cls,
                      const mi_request *q)
{
    if (!mi_request_is_associators(q) || !q->result_class)
        return true;
    const mi_class *wanted = mi_repository_find_class(engine->repo, ns, q->result_class);
    for (uint32_t i = 0; i < cls->property_count; i++) {
        const mi_property *end = &cls->properties[i];
        if (!is_reference(end) || (q->result_role && !mi_name_equal(end->name, q->result_role)))
            continue;
        const mi_class *target =
            end->ref_class ? mi_repository_find_class(engine->repo, ns, end->ref_class) : NULL;
        if (!target || !wanted || mi_class_is_a(target, wanted->name) ||
            mi_class_is_a(wanted, target->name))
            return true;
    }
    return false;
}

MI_Result mi_associations_generic(const mi_engine *engine, const mi_request *q,
                                  const MI_Instance *source, mi_result_set *set, mi_error *err)
{
    size_t first = set->count;
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
            (filter && !mi_class_is_a(cls, filter)) || !may_point_at(cls, source_class, q) ||
            !may_reach(engine, ns, cls, q))
            continue;
        mi_instance_source src = mi_engine_source_of(engine, ns, cls);
        if (associators ? src.ops->associators != NULL : src.ops->references != NULL)
            continue; /* the source's fast path answers for it */
        if (associators ? src.ops->class_associators != NULL : src.ops->class_references != NULL) {
            r = associators ? walk_fast(&w, &src, cls) : walk_fast_references(&w, &src, cls);
            if (r != MI_RESULT_NOT_SUPPORTED)
                continue;
            mi_error_clear(err);
            r = MI_RESULT_OK;
        }
        r = walk_class(&w, &src, cls);
    }
    if (r == MI_RESULT_OK && q->operation == MI_OP_ASSOCIATORS && !q->keys_only)
        r = fetch_ends(&w, first);
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
    return r;
}
