/*
 * engine — see engine.h.
 *
 * Associators and References start from the reference index: the association instances
 * whose references point at the source, found by the source's path hash (never by a
 * scan). Each candidate is checked against the source as a typed path (a hash may be
 * shared), filtered, and its other ends become results; the results are collected,
 * de-duplicated and sorted by canonical path before they are delivered.
 */
#include "engine.h"

#include "core/instance.h"
#include "core/name.h"
#include "core/path.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- results: paths (and, for References, the association itself) ---- */

typedef struct entry {
    char *canonical;
    MI_Instance *path; /* with its namespace */
    MI_Instance *full; /* References: the association instance */
} entry;

typedef struct result_set {
    entry *items;
    size_t count, capacity;
} result_set;

static void result_set_free(result_set *set)
{
    for (size_t i = 0; i < set->count; i++) {
        free(set->items[i].canonical);
        if (set->items[i].path)
            mi_instance_delete(set->items[i].path);
        if (set->items[i].full)
            mi_instance_delete(set->items[i].full);
    }
    free(set->items);
    memset(set, 0, sizeof *set);
}

/* Takes path and full (either may be NULL on entry failure paths). */
static MI_Result result_add(result_set *set, MI_Instance *path, MI_Instance *full, mi_error *err)
{
    char *canonical = NULL;
    MI_Result r = mi_path_canonical(&canonical, path, err);
    if (r == MI_RESULT_OK && set->count == set->capacity) {
        size_t capacity = set->capacity ? set->capacity * 2 : 16;
        entry *grown = realloc(set->items, capacity * sizeof *grown);
        if (grown) {
            set->items = grown;
            set->capacity = capacity;
        } else {
            r = mi_error_nomem(err);
        }
    }
    if (r != MI_RESULT_OK) {
        free(canonical);
        mi_instance_delete(path);
        if (full)
            mi_instance_delete(full);
        return r;
    }
    set->items[set->count++] = (entry){canonical, path, full};
    return MI_RESULT_OK;
}

/* Takes canonical, path and full. */
static MI_Result result_take(result_set *set, char *canonical, MI_Instance *path, MI_Instance *full,
                             mi_error *err)
{
    if (set->count == set->capacity) {
        size_t capacity = set->capacity ? set->capacity * 2 : 16;
        entry *grown = realloc(set->items, capacity * sizeof *grown);
        if (!grown) {
            free(canonical);
            mi_instance_delete(path);
            if (full)
                mi_instance_delete(full);
            return mi_error_nomem(err);
        }
        set->items = grown;
        set->capacity = capacity;
    }
    set->items[set->count++] = (entry){canonical, path, full};
    return MI_RESULT_OK;
}

static int compare_entries(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->canonical, ((const entry *)b)->canonical);
}

/* Sorts by canonical path and drops repeats. */
static void result_set_finish(result_set *set)
{
    if (set->count > 16) {
        qsort(set->items, set->count, sizeof *set->items, compare_entries);
    } else { /* the usual few: insertion sort, no call per comparison */
        for (size_t i = 1; i < set->count; i++) {
            entry moving = set->items[i];
            size_t j = i;
            for (; j > 0 && strcmp(set->items[j - 1].canonical, moving.canonical) > 0; j--)
                set->items[j] = set->items[j - 1];
            set->items[j] = moving;
        }
    }
    size_t kept = 0;
    for (size_t i = 0; i < set->count; i++) {
        if (kept && strcmp(set->items[kept - 1].canonical, set->items[i].canonical) == 0) {
            free(set->items[i].canonical);
            mi_instance_delete(set->items[i].path);
            if (set->items[i].full)
                mi_instance_delete(set->items[i].full);
            continue;
        }
        set->items[kept++] = set->items[i];
    }
    set->count = kept;
}

/* ---- the walk over the index ---- */

/* The result an Associators walk took last: its repeats (reached through other
 * associations) come right after it in the index and are skipped. */
typedef struct last_result {
    bool any;
    uint64_t hash, check;
} last_result;

typedef struct walk {
    mi_repository *repo;
    const mi_request *request;
    const char *ns;
    const MI_Instance *source; /* resolved */
    result_set *results;
    last_result *last; /* Associators */
    MI_Result result;
    mi_error *err;
} walk;

typedef struct lookup {
    mi_repository *repo;
    const char *ns;
} lookup;

static const mi_class *lookup_class(void *context, const char *name)
{
    const lookup *l = context;
    return mi_repository_find_class(l->repo, l->ns, name);
}

/* The namespace a reference names, or the association's own. */
static const char *reference_namespace(const MI_Instance *ref, const char *ns)
{
    const char *named = mi_instance_namespace(ref);
    return named ? named : ns;
}

static bool refers_to(const walk *w, const MI_Instance *ref)
{
    if (!ref || !mi_name_equal(reference_namespace(ref, w->ns), w->ns))
        return false;
    return mi_path_equal(ref, w->source);
}

/* A copy of ref naming its namespace. */
static MI_Result path_in_namespace(const MI_Instance *ref, const char *ns, MI_Instance **out,
                                   mi_error *err)
{
    MI_Result r = mi_path_of_instance(out, ref, err);
    if (r == MI_RESULT_OK && MI_Instance_SetNameSpace(*out, reference_namespace(ref, ns))) {
        mi_instance_delete(*out);
        *out = NULL;
        r = mi_error_nomem(err);
    }
    return r;
}

/* The references an element holds: one, or the items of a reference array. */
static MI_Uint32 references_of(const MI_Value *value, MI_Type type, MI_Instance *const **items)
{
    if (type == MI_REFERENCEA) {
        *items = value->referencea.data;
        return value->referencea.size;
    }
    *items = &value->reference;
    return 1;
}

static bool visit_referrer(void *context, MI_Instance *a, const char *role)
{
    walk *w = context;
    const mi_request *q = w->request;
    MI_Value value;
    MI_Type type;
    MI_Uint32 flags;
    if (MI_Instance_GetElement(a, role, &value, &type, &flags, NULL) != MI_RESULT_OK ||
        (flags & MI_FLAG_NULL))
        return true;
    MI_Instance *const *refs;
    MI_Uint32 n = references_of(&value, type, &refs);
    bool points_at_source = false;
    for (MI_Uint32 i = 0; i < n && !points_at_source; i++)
        points_at_source = refers_to(w, refs[i]);
    if (!points_at_source) /* another path with the same hash */
        return true;
    if (q->role && !mi_name_equal(role, q->role))
        return true;
    /* References (associators go through the edge index) */
    const mi_class *cls = mi_instance_class(a);
    if (q->result_class && !(cls && mi_class_is_a(cls, q->result_class)))
        return true;
    {
        MI_Instance *path = NULL, *full = NULL;
        w->result = path_in_namespace(a, w->ns, &path, w->err);
        if (w->result == MI_RESULT_OK && q->operation == MI_OP_REFERENCES && !q->keys_only &&
            mi_instance_clone(a, &full) != MI_RESULT_OK) {
            mi_instance_delete(path);
            path = NULL;
            w->result = mi_error_nomem(w->err);
        }
        if (w->result == MI_RESULT_OK)
            w->result = result_add(w->results, path, full, w->err);
    }
    return w->result == MI_RESULT_OK;
}

/* Associators through the edge index: each row is one step from the source through an
 * association to a result, with the result's record when it is stored. */
static bool visit_edge(void *context, const mi_edge *e)
{
    walk *w = context;
    const mi_request *q = w->request;
    if (w->last->any && w->last->hash == e->target_hash && w->last->check == e->target_check)
        return true; /* taken already */
    if ((q->role && !mi_name_equal(e->role, q->role)) ||
        (q->result_role && !mi_name_equal(e->result_role, q->result_role)) ||
        (q->assoc_class &&
         !mi_repository_class_is_a(w->repo, w->ns, e->assoc_class, q->assoc_class)))
        return true;
    MI_Instance *full = NULL, *path = NULL;
    MI_Result r;
    bool names = q->operation != MI_OP_ASSOCIATORS || q->keys_only;
    if (e->target_data) {
        r = mi_repository_decode(w->repo, e->target_namespace, e->target_data, e->target_size,
                                 &full, w->err);
        if (r == MI_RESULT_OK && names) /* the instance itself carries what Associators need */
            r = mi_path_of_instance(&path, full, w->err);
    } else {
        /* dangling: the path as the association wrote it, typed by its class if known */
        r = mi_path_parse(&path, e->target_text, w->err);
        const mi_class *cls = r == MI_RESULT_OK
                                  ? mi_repository_find_class(w->repo, e->target_namespace,
                                                             mi_instance_class_name(path))
                                  : NULL;
        lookup l = {w->repo, e->target_namespace};
        if (cls && mi_path_resolve(path, cls, lookup_class, &l, NULL) != MI_RESULT_OK)
            r = mi_error_set(w->err, MI_RESULT_FAILED, "a stored reference does not fit %s",
                             cls->name);
    }
    if (r == MI_RESULT_OK && path &&
        MI_Instance_SetNameSpace(path, e->target_namespace) != MI_RESULT_OK)
        r = mi_error_nomem(w->err);
    bool wanted = r == MI_RESULT_OK;
    if (wanted && q->result_class)
        wanted =
            mi_repository_class_is_a(w->repo, e->target_namespace,
                                     mi_instance_class_name(full ? full : path), q->result_class);
    if (wanted && names && full) {
        mi_instance_delete(full); /* names: the path is all that is wanted */
        full = NULL;
    }
    char *canonical = wanted ? strdup(e->target_canonical) : NULL;
    if (wanted && !canonical)
        r = mi_error_nomem(w->err);
    if (r != MI_RESULT_OK || !wanted) {
        free(canonical);
        if (path)
            mi_instance_delete(path);
        if (full)
            mi_instance_delete(full);
        w->result = r;
        return r == MI_RESULT_OK;
    }
    *w->last = (last_result){true, e->target_hash, e->target_check};
    w->result = result_take(w->results, canonical, path, full, w->err);
    return w->result == MI_RESULT_OK;
}

/* ---- checks and delivery ---- */

/* The source resolved against its class, or an INVALID_PARAMETER naming the fault. */
static MI_Result resolve_source(mi_repository *repo, const char *ns, const MI_Instance *key,
                                MI_Instance **out, mi_error *err)
{
    *out = NULL;
    const MI_Char *class_name = NULL;
    if (!key || MI_Instance_GetClassName(key, &class_name) != MI_RESULT_OK || !class_name)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "no source instance given");
    const mi_class *cls = mi_repository_find_class(repo, ns, class_name);
    if (!cls)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "class %s is not in namespace %s",
                            class_name, ns);
    MI_Instance *copy = NULL;
    MI_Result r = mi_path_of_instance(&copy, key, err);
    lookup l = {repo, ns};
    if (r == MI_RESULT_OK)
        r = mi_path_resolve(copy, cls, lookup_class, &l, err);
    if (r != MI_RESULT_OK) {
        if (copy)
            mi_instance_delete(copy);
        return r == MI_RESULT_SERVER_LIMITS_EXCEEDED ? r : MI_RESULT_INVALID_PARAMETER;
    }
    *out = copy;
    return MI_RESULT_OK;
}

static MI_Result check_class(mi_repository *repo, const char *ns, const char *name,
                             const char *what, mi_error *err)
{
    if (name && !mi_repository_find_class(repo, ns, name))
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "%s %s is not a class in %s", what,
                            name, ns);
    return MI_RESULT_OK;
}

struct mi_engine_cursor {
    mi_repository *repo;
    int64_t *ids; /* EnumerateInstances: what is left to read */
    size_t id_count;
    mi_request request;
    result_set results; /* Associators: the current page */
    size_t next;
    MI_Instance *current; /* the result last handed out */
    MI_Instance *single;  /* GetInstance: the one result */
    /* Associators read a page of edges at a time: memory stays flat however many results */
    MI_Instance *source; /* resolved */
    mi_edge_position at;
    last_result last;
};

enum { EDGES_PER_PAGE = 256 };

/* The next page of Associators results into c->results. A result that fits in one page
 * comes sorted by path; a longer one comes in the index's order (by a hash of the path),
 * which needs no memory beyond the page. Both are the same on every call. */
static MI_Result read_page(mi_engine_cursor *c, mi_error *err)
{
    bool first = !c->at.started;
    result_set_free(&c->results);
    c->next = 0;
    walk w = {c->repo,      &c->request, c->request.namespace_name,
              c->source,    &c->results, &c->last,
              MI_RESULT_OK, err};
    MI_Result r = mi_repository_edges(c->repo, c->request.namespace_name, c->source, EDGES_PER_PAGE,
                                      &c->at, visit_edge, &w, err);
    if (r == MI_RESULT_OK)
        r = w.result;
    if (r == MI_RESULT_OK && first && c->at.finished)
        result_set_finish(&c->results);
    return r;
}

static MI_Result open_enumeration(mi_engine_cursor *c, mi_error *err)
{
    const mi_request *q = &c->request;
    if (!q->class_name || !mi_repository_find_class(c->repo, q->namespace_name, q->class_name))
        return mi_error_set(err, MI_RESULT_INVALID_CLASS, "class %s is not in namespace %s",
                            q->class_name ? q->class_name : "(null)", q->namespace_name);
    return mi_repository_instance_ids(c->repo, q->namespace_name, q->class_name, !q->shallow,
                                      &c->ids, &c->id_count, err);
}

/* A class-bound copy of a caller's instance: every element must be a property of the
 * class with a value of its type; references are resolved against their classes. */
static MI_Result bind_instance(mi_repository *repo, const char *ns, const MI_Instance *given,
                               MI_Instance **out, mi_error *err)
{
    *out = NULL;
    const MI_Char *class_name = NULL;
    if (!given || MI_Instance_GetClassName(given, &class_name) != MI_RESULT_OK || !class_name)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "no instance given");
    mi_class *cls = mi_repository_find_class(repo, ns, class_name);
    if (!cls)
        return mi_error_set(err, MI_RESULT_INVALID_CLASS, "class %s is not in namespace %s",
                            class_name, ns);
    MI_Instance *inst;
    MI_Result r = mi_instance_new(&inst, NULL, cls, err);
    MI_Uint32 count = 0;
    MI_Instance_GetElementCount(given, &count);
    lookup l = {repo, ns};
    for (MI_Uint32 i = 0; r == MI_RESULT_OK && i < count; i++) {
        const MI_Char *name;
        MI_Value value;
        MI_Type type;
        MI_Uint32 flags;
        MI_Instance_GetElementAt(given, i, &name, &value, &type, &flags);
        if (!mi_class_find_property(cls, name, NULL)) {
            r = mi_error_set(err, MI_RESULT_NO_SUCH_PROPERTY, "class %s has no property '%s'",
                             cls->name, name);
            break;
        }
        if (type == MI_REFERENCE && !(flags & MI_FLAG_NULL) && value.reference) {
            MI_Instance *ref = NULL;
            const char *target_class = mi_instance_class_name(value.reference);
            const mi_class *target = target_class ? lookup_class(&l, target_class) : NULL;
            r = mi_path_of_instance(&ref, value.reference, err);
            if (r == MI_RESULT_OK && target)
                r = mi_path_resolve(ref, target, lookup_class, &l, err);
            if (r == MI_RESULT_OK) {
                MI_Value adopted = {.reference = ref};
                r = mi_instance_set_element(inst, name, &adopted, MI_REFERENCE, MI_FLAG_ADOPT, err);
                ref = r == MI_RESULT_OK ? NULL : ref;
            }
            if (ref)
                mi_instance_delete(ref);
            continue;
        }
        r = mi_instance_set_element(inst, name, (flags & MI_FLAG_NULL) ? NULL : &value, type,
                                    flags & MI_FLAG_NULL, err);
    }
    if (r == MI_RESULT_OK)
        r = mi_instance_check_keys(inst, err);
    if (r != MI_RESULT_OK) {
        if (inst)
            mi_instance_delete(inst);
        return r;
    }
    *out = inst;
    return MI_RESULT_OK;
}

static MI_Result change_instance(mi_engine_cursor *c, mi_error *err)
{
    const mi_request *q = &c->request;
    const char *ns = q->namespace_name;
    MI_Result r;
    if (q->operation == MI_OP_DELETE_INSTANCE) {
        MI_Instance *path;
        r = resolve_source(c->repo, ns, q->source, &path, err);
        if (r == MI_RESULT_OK) {
            r = mi_repository_delete_instance(c->repo, ns, path, err);
            mi_instance_delete(path);
        }
        return r;
    }
    MI_Instance *given;
    r = bind_instance(c->repo, ns, q->instance, &given, err);
    if (r != MI_RESULT_OK)
        return r;
    if (q->operation == MI_OP_CREATE_INSTANCE) {
        if (mi_instance_class(given)->flags & MI_FLAG_ABSTRACT)
            r = mi_error_set(err, MI_RESULT_INVALID_CLASS, "class %s is abstract",
                             mi_instance_class_name(given));
        if (r == MI_RESULT_OK)
            r = mi_repository_create_instance(c->repo, ns, given, err);
        if (r == MI_RESULT_OK)
            r = mi_path_of_instance(&c->single, given, err);
        if (r == MI_RESULT_OK && MI_Instance_SetNameSpace(c->single, ns) != MI_RESULT_OK)
            r = mi_error_nomem(err);
        mi_instance_delete(given);
        return r;
    }
    /* Modify: the stored instance takes the non-key values given */
    MI_Instance *path = NULL, *stored = NULL;
    r = mi_path_of_instance(&path, given, err);
    if (r == MI_RESULT_OK)
        r = mi_repository_get_instance(c->repo, ns, path, &stored, err);
    MI_Uint32 count = 0;
    MI_Instance_GetElementCount(q->instance, &count);
    for (MI_Uint32 i = 0; r == MI_RESULT_OK && i < count; i++) {
        const MI_Char *name;
        MI_Value value;
        MI_Type type;
        MI_Uint32 flags;
        MI_Instance_GetElementAt(q->instance, i, &name, &value, &type, &flags);
        MI_Value bound;
        MI_Type bound_type;
        MI_Uint32 bound_flags;
        MI_Instance_GetElement(given, name, &bound, &bound_type, &bound_flags, NULL);
        if (bound_flags & MI_FLAG_KEY)
            continue;
        r = mi_instance_set_element(stored, name, (bound_flags & MI_FLAG_NULL) ? NULL : &bound,
                                    bound_type, bound_flags & MI_FLAG_NULL, err);
    }
    if (r == MI_RESULT_OK)
        r = mi_repository_replace_instance(c->repo, ns, stored, err);
    if (r == MI_RESULT_OK) {
        c->single = stored;
        stored = NULL;
    }
    if (stored)
        mi_instance_delete(stored);
    if (path)
        mi_instance_delete(path);
    mi_instance_delete(given);
    return r;
}

MI_Result mi_engine_open(mi_repository *repo, const mi_request *request, mi_engine_cursor **out,
                         mi_error *err)
{
    *out = NULL;
    const char *ns = request->namespace_name;
    if (!repo)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "no repository");
    if (!ns || !mi_repository_has_namespace(repo, ns))
        return mi_error_set(err, MI_RESULT_INVALID_NAMESPACE, "namespace %s does not exist",
                            ns ? ns : "(null)");
    mi_engine_cursor *c = calloc(1, sizeof *c);
    if (!c)
        return mi_error_nomem(err);
    c->repo = repo;
    c->request = *request;
    MI_Result early = MI_RESULT_NOT_SUPPORTED;
    switch (request->operation) {
    case MI_OP_ENUMERATE_INSTANCES:
        early = open_enumeration(c, err);
        break;
    case MI_OP_CREATE_INSTANCE:
    case MI_OP_MODIFY_INSTANCE:
    case MI_OP_DELETE_INSTANCE:
        early = change_instance(c, err); /* writes: no read scope around them */
        break;
    default:
        break;
    }
    if (early != MI_RESULT_NOT_SUPPORTED) {
        if (early != MI_RESULT_OK) {
            mi_engine_close(c);
            return early;
        }
        *out = c;
        return MI_RESULT_OK;
    }
    mi_repository_read_begin(repo); /* ends before open returns */
    MI_Instance *source;
    MI_Result r = resolve_source(repo, ns, request->source, &source, err);
    if (r != MI_RESULT_OK) {
        mi_repository_read_end(repo);
        mi_engine_close(c);
        return r;
    }
    if (request->operation == MI_OP_GET_INSTANCE) {
        if (request->keys_only) {
            r = MI_Instance_SetNameSpace(source, ns) ? mi_error_nomem(err) : MI_RESULT_OK;
            c->single = source;
            source = NULL;
        } else {
            r = mi_repository_get_instance(repo, ns, source, &c->single, err);
        }
    } else {
        bool associators =
            request->operation == MI_OP_ASSOCIATORS || request->operation == MI_OP_ASSOCIATOR_NAMES;
        r = check_class(repo, ns, associators ? request->assoc_class : NULL, "AssocClass", err);
        if (r == MI_RESULT_OK)
            r = check_class(repo, ns, request->result_class, "ResultClass", err);
        bool empty = false;
        if (r == MI_RESULT_OK && associators && request->assoc_class) {
            const mi_class *assoc = mi_repository_find_class(repo, ns, request->assoc_class);
            empty = !(assoc->flags & MI_FLAG_ASSOCIATION); /* not an association: nothing */
        }
        if (r == MI_RESULT_OK && associators) {
            c->source = source;
            source = NULL;
            c->at.finished = empty;
            r = read_page(c, err);
        } else if (r == MI_RESULT_OK) {
            walk w = {repo, &c->request, ns, source, &c->results, NULL, MI_RESULT_OK, err};
            r = mi_repository_referrers(repo, ns, source, visit_referrer, &w, err);
            if (r == MI_RESULT_OK)
                r = w.result;
            if (r == MI_RESULT_OK)
                result_set_finish(&c->results); /* sorted by path, repeats dropped */
        }
    }
    if (source)
        mi_instance_delete(source);
    mi_repository_read_end(repo);
    if (r != MI_RESULT_OK) {
        mi_engine_close(c);
        return r;
    }
    *out = c;
    return MI_RESULT_OK;
}

MI_Result mi_engine_next(mi_engine_cursor *c, const MI_Instance **result, mi_error *err)
{
    *result = NULL;
    if (c->current) {
        mi_instance_delete(c->current);
        c->current = NULL;
    }
    MI_Result r = mi_request_stopped(&c->request, err);
    if (r != MI_RESULT_OK)
        return r;
    if (c->request.operation == MI_OP_ENUMERATE_INSTANCES) {
        while (c->next < c->id_count) {
            MI_Instance *found = NULL;
            r = mi_repository_instance_by_id(c->repo, c->request.namespace_name, c->ids[c->next++],
                                             &found, err);
            if (r == MI_RESULT_NOT_FOUND)
                continue; /* deleted since the enumeration began */
            if (r != MI_RESULT_OK)
                return r;
            if (c->request.keys_only) {
                r = mi_path_of_instance(&c->current, found, err);
                mi_instance_delete(found);
                if (r != MI_RESULT_OK)
                    return r;
            } else {
                c->current = found;
            }
            *result = c->current;
            return MI_RESULT_OK;
        }
        return MI_RESULT_OK;
    }
    if (c->request.operation != MI_OP_ASSOCIATORS &&
        c->request.operation != MI_OP_ASSOCIATOR_NAMES &&
        c->request.operation != MI_OP_REFERENCES && c->request.operation != MI_OP_REFERENCE_NAMES) {
        c->current = c->single; /* handed out once (NULL: nothing to hand out) */
        c->single = NULL;
        *result = c->current;
        return MI_RESULT_OK;
    }
    const mi_request *q = &c->request;
    for (;;) {
        if (c->next == c->results.count) {
            if (!c->source || c->at.finished)
                return MI_RESULT_OK; /* the end */
            mi_repository_read_begin(c->repo);
            r = read_page(c, err);
            mi_repository_read_end(c->repo);
            if (r != MI_RESULT_OK)
                return r;
            continue;
        }
        entry *e = &c->results.items[c->next++];
        if (q->operation == MI_OP_REFERENCES && e->full) {
            c->current = e->full;
            e->full = NULL;
        } else if (q->operation == MI_OP_ASSOCIATORS && !q->keys_only) {
            /* the object itself; a dangling reference has none and is skipped */
            if (!e->full)
                continue;
            c->current = e->full;
            e->full = NULL;
        } else {
            c->current = e->path;
            e->path = NULL;
        }
        *result = c->current;
        return MI_RESULT_OK;
    }
}

void mi_engine_close(mi_engine_cursor *c)
{
    if (!c)
        return;
    if (c->current)
        mi_instance_delete(c->current);
    if (c->single)
        mi_instance_delete(c->single);
    result_set_free(&c->results);
    if (c->source)
        mi_instance_delete(c->source);
    mi_edge_position_clear(&c->at);
    free(c->ids);
    free(c);
}

MI_Result mi_engine_run(mi_repository *repo, const mi_request *request, mi_engine_sink sink,
                        void *context, mi_error *err)
{
    if (!sink)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "no result sink");
    mi_engine_cursor *c = NULL;
    MI_Result r = mi_engine_open(repo, request, &c, err);
    while (r == MI_RESULT_OK) {
        const MI_Instance *result;
        r = mi_engine_next(c, &result, err);
        if (r != MI_RESULT_OK || !result)
            break;
        r = sink(context, result);
    }
    mi_engine_close(c);
    return r;
}

/* ---- class-level associators and references ---- */

static int compare_names(const void *a, const void *b)
{
    return mi_name_compare(*(char *const *)a, *(char *const *)b);
}

static MI_Result add_name(char ***names, size_t *count, size_t *capacity, const char *name,
                          mi_error *err)
{
    for (size_t i = 0; i < *count; i++) {
        if (mi_name_equal((*names)[i], name))
            return MI_RESULT_OK;
    }
    if (*count == *capacity) {
        size_t bigger = *capacity ? *capacity * 2 : 16;
        char **grown = realloc(*names, bigger * sizeof *grown);
        if (!grown)
            return mi_error_nomem(err);
        *names = grown;
        *capacity = bigger;
    }
    if (!((*names)[*count] = strdup(name)))
        return mi_error_nomem(err);
    (*count)++;
    return MI_RESULT_OK;
}

MI_Result mi_engine_class_neighbours(mi_repository *repo, const mi_request *request, char ***names,
                                     size_t *count, mi_error *err)
{
    *names = NULL;
    *count = 0;
    const char *ns = request->namespace_name;
    if (!ns || !mi_repository_has_namespace(repo, ns))
        return mi_error_set(err, MI_RESULT_INVALID_NAMESPACE, "namespace %s does not exist",
                            ns ? ns : "(null)");
    const mi_class *source =
        request->class_name ? mi_repository_find_class(repo, ns, request->class_name) : NULL;
    if (!source)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "class %s is not in namespace %s",
                            request->class_name ? request->class_name : "(null)", ns);
    bool associators =
        request->operation == MI_OP_ASSOCIATORS || request->operation == MI_OP_ASSOCIATOR_NAMES;
    MI_Result r =
        check_class(repo, ns, associators ? request->assoc_class : NULL, "AssocClass", err);
    if (r == MI_RESULT_OK)
        r = check_class(repo, ns, request->result_class, "ResultClass", err);
    if (r != MI_RESULT_OK)
        return r;
    char **classes;
    size_t class_count, capacity = 0;
    r = mi_repository_class_names(repo, ns, NULL, true, &classes, &class_count, err);
    for (size_t i = 0; r == MI_RESULT_OK && i < class_count; i++) {
        const mi_class *a = mi_repository_find_class(repo, ns, classes[i]);
        if (!a || !(a->flags & MI_FLAG_ASSOCIATION))
            continue;
        const char *filter = associators ? request->assoc_class : request->result_class;
        if (filter && !mi_class_is_a(a, filter))
            continue;
        for (uint32_t j = 0; r == MI_RESULT_OK && j < a->property_count; j++) {
            const mi_property *end = &a->properties[j];
            if (end->type != MI_REFERENCE || !end->ref_class ||
                !mi_class_is_a(source, end->ref_class) ||
                (request->role && !mi_name_equal(end->name, request->role)))
                continue;
            if (!associators) {
                r = add_name(names, count, &capacity, a->name, err);
                break;
            }
            for (uint32_t k = 0; r == MI_RESULT_OK && k < a->property_count; k++) {
                const mi_property *other = &a->properties[k];
                if (k == j || other->type != MI_REFERENCE || !other->ref_class ||
                    (request->result_role && !mi_name_equal(other->name, request->result_role)))
                    continue;
                const mi_class *target = mi_repository_find_class(repo, ns, other->ref_class);
                if (request->result_class &&
                    !(target && mi_class_is_a(target, request->result_class)))
                    continue;
                r = add_name(names, count, &capacity, target ? target->name : other->ref_class,
                             err);
            }
        }
    }
    for (size_t i = 0; i < class_count; i++)
        free(classes[i]);
    free(classes);
    if (r != MI_RESULT_OK) {
        for (size_t i = 0; i < *count; i++)
            free((*names)[i]);
        free(*names);
        *names = NULL;
        *count = 0;
        return r;
    }
    if (*count > 1)
        qsort(*names, *count, sizeof **names, compare_names);
    return MI_RESULT_OK;
}
