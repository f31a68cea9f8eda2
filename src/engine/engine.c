/*
 * engine — see engine.h.
 *
 * Each operation finds the source of the class it concerns. The association operations
 * take the repository's fast path when no other source serves the namespace (the
 * usual case, and the fast one: results stream a page at a time); otherwise the fast
 * paths of the sources that have one and the generic path for the others fill one
 * result set, sorted and de-duplicated, in which an end a source could not give is
 * fetched from the source serving its class.
 */
#include "engine.h"

#include "associations.h"
#include "core/instance.h"
#include "core/name.h"
#include "core/path.h"
#include "core/value.h"
#include "ends.h"
#include "query.h"
#include "repo_source.h"
#include "results.h"

#include <stdlib.h>
#include <string.h>

mi_instance_source mi_engine_source_of(const mi_engine *e, const char *ns, const mi_class *cls)
{
    const mi_instance_source *other = mi_source_registry_find(e->sources, ns, cls);
    return other ? *other : mi_repo_source(e->repo);
}

MI_Result mi_engine_fetch(const mi_engine *e, const char *ns, const MI_Instance *path,
                          MI_Instance **out, mi_error *err)
{
    *out = NULL;
    const mi_class *cls = mi_repository_find_class(e->repo, ns, mi_instance_class_name(path));
    if (!cls)
        return MI_RESULT_OK; /* no class: nobody serves it */
    mi_instance_source src = mi_engine_source_of(e, ns, cls);
    MI_Result r = src.ops->get(src.self, ns, path, out, err);
    if (r == MI_RESULT_NOT_FOUND) {
        mi_error_clear(err);
        return MI_RESULT_OK;
    }
    if (r == MI_RESULT_OK && !mi_instance_namespace(*out) &&
        MI_Instance_SetNameSpace(*out, ns) != MI_RESULT_OK) {
        mi_instance_delete(*out);
        *out = NULL;
        r = mi_error_nomem(err);
    }
    return r;
}

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
    if (r == MI_RESULT_OK)
        r = mi_end_resolve(repo, ns, copy, cls, err);
    if (r != MI_RESULT_OK) {
        if (copy)
            mi_instance_delete(copy);
        return r == MI_RESULT_SERVER_LIMITS_EXCEEDED ? r : MI_RESULT_INVALID_PARAMETER;
    }
    *out = copy;
    return MI_RESULT_OK;
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
            const mi_class *target =
                target_class ? mi_repository_find_class(repo, ns, target_class) : NULL;
            r = mi_path_of_instance(&ref, value.reference, err);
            if (r == MI_RESULT_OK && target)
                r = mi_end_resolve(repo, ns, ref, target, err);
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

static MI_Result check_class(mi_repository *repo, const char *ns, const char *name,
                             const char *what, mi_error *err)
{
    if (name && !mi_repository_find_class(repo, ns, name))
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "%s %s is not a class in %s", what,
                            name, ns);
    return MI_RESULT_OK;
}

/* One class's instances from one source: the steps of an enumeration. */
typedef struct stage {
    mi_instance_source source;
    char *class_name;
    bool deep;
} stage;

struct mi_engine_cursor {
    mi_engine engine;
    mi_request request;
    /* results read from source cursors, one stage after another */
    stage *stages;
    size_t stage_count, stage_next;
    mi_instance_source open_source;
    void *open; /* the open source cursor */
    /* results collected whole (association operations over several sources) */
    mi_result_set results;
    bool collected;
    size_t next;
    MI_Instance *source;    /* association operations: resolved, kept for the source cursor */
    MI_Instance *current;   /* the result last handed out, when the engine owns it */
    MI_Instance *single;    /* GetInstance, Create, Modify: the one result */
    MI_Instance *projected; /* with a property list: the last result, the others NULL */
    /* QueryInstances: the query, and the cursor of the request it makes */
    mi_query *query;
    mi_request query_request;
    mi_engine_cursor *inner;
};

static MI_Result add_stage(mi_engine_cursor *c, mi_instance_source source, const char *class_name,
                           bool deep, mi_error *err)
{
    stage *grown = realloc(c->stages, (c->stage_count + 1) * sizeof *grown);
    if (!grown)
        return mi_error_nomem(err);
    c->stages = grown;
    stage *s = &c->stages[c->stage_count];
    *s = (stage){source, strdup(class_name), deep};
    if (!s->class_name)
        return mi_error_nomem(err);
    c->stage_count++;
    return MI_RESULT_OK;
}

/* The stages of EnumerateInstances: one deep read when the repository serves the whole
 * subtree, else each class's own instances from its own source. */
static MI_Result open_enumeration(mi_engine_cursor *c, mi_error *err)
{
    const mi_request *q = &c->request;
    const char *ns = q->namespace_name;
    mi_repository *repo = c->engine.repo;
    const mi_class *cls = q->class_name ? mi_repository_find_class(repo, ns, q->class_name) : NULL;
    if (!cls)
        return mi_error_set(err, MI_RESULT_INVALID_CLASS, "class %s is not in namespace %s",
                            q->class_name ? q->class_name : "(null)", ns);
    if (!mi_source_registry_covers(c->engine.sources, ns))
        return add_stage(c, mi_repo_source(repo), cls->name, !q->shallow, err);
    char **names = NULL;
    size_t count = 0;
    MI_Result r = MI_RESULT_OK;
    if (!q->shallow)
        r = mi_repository_class_names(repo, ns, cls->name, true, &names, &count, err);
    bool all_stored = true;
    for (size_t i = 0; r == MI_RESULT_OK && i <= count && all_stored; i++) {
        const mi_class *each = i ? mi_repository_find_class(repo, ns, names[i - 1]) : cls;
        all_stored = !each || mi_source_registry_find(c->engine.sources, ns, each) == NULL;
    }
    if (r == MI_RESULT_OK && all_stored)
        r = add_stage(c, mi_repo_source(repo), cls->name, !q->shallow, err);
    for (size_t i = 0; r == MI_RESULT_OK && !all_stored && i <= count; i++) {
        const mi_class *each = i ? mi_repository_find_class(repo, ns, names[i - 1]) : cls;
        if (each)
            r = add_stage(c, mi_engine_source_of(&c->engine, ns, each), each->name, false, err);
    }
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
    return r;
}

/* A source's operation that it may lack. */
static MI_Result unsupported(const mi_class *cls, const char *what, mi_error *err)
{
    return mi_error_set(err, MI_RESULT_NOT_SUPPORTED, "the source of class %s does not %s",
                        cls->name, what);
}

static MI_Result change_instance(mi_engine_cursor *c, mi_error *err)
{
    const mi_request *q = &c->request;
    const char *ns = q->namespace_name;
    mi_repository *repo = c->engine.repo;
    MI_Result r;
    if (q->operation == MI_OP_DELETE_INSTANCE) {
        MI_Instance *path;
        r = resolve_source(repo, ns, q->source, &path, err);
        if (r == MI_RESULT_OK) {
            const mi_class *cls = mi_repository_find_class(repo, ns, mi_instance_class_name(path));
            mi_instance_source src = mi_engine_source_of(&c->engine, ns, cls);
            r = src.ops->remove ? src.ops->remove(src.self, ns, path, err)
                                : unsupported(cls, "delete instances", err);
            mi_instance_delete(path);
        }
        return r;
    }
    MI_Instance *given;
    r = bind_instance(repo, ns, q->instance, &given, err);
    if (r != MI_RESULT_OK)
        return r;
    const mi_class *cls = mi_instance_class(given);
    mi_instance_source src = mi_engine_source_of(&c->engine, ns, cls);
    if (q->operation == MI_OP_CREATE_INSTANCE) {
        if (cls->flags & MI_FLAG_ABSTRACT)
            r = mi_error_set(err, MI_RESULT_INVALID_CLASS, "class %s is abstract", cls->name);
        if (r == MI_RESULT_OK)
            r = src.ops->create ? src.ops->create(src.self, ns, given, err)
                                : unsupported(cls, "create instances", err);
        if (r == MI_RESULT_OK)
            r = mi_path_of_instance(&c->single, given, err);
        if (r == MI_RESULT_OK && MI_Instance_SetNameSpace(c->single, ns) != MI_RESULT_OK)
            r = mi_error_nomem(err);
        mi_instance_delete(given);
        return r;
    }
    /* Modify: the stored instance takes the non-key values given */
    MI_Instance *path = NULL, *stored = NULL;
    if (!src.ops->modify)
        r = unsupported(cls, "modify instances", err);
    if (r == MI_RESULT_OK)
        r = mi_path_of_instance(&path, given, err);
    if (r == MI_RESULT_OK)
        r = src.ops->get(src.self, ns, path, &stored, err);
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
        r = src.ops->modify(src.self, ns, stored, err);
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

/* The input parameters given, typed as method declares them: a parameter it lacks or
 * one that is not [In] is refused; text given for another type is read as that type
 * (as keys are), as the mi tool and CIM-XML give it. */
static MI_Result bind_parameters(const mi_class *cls, const mi_method *method,
                                 const MI_Instance *given, MI_Instance **out, mi_error *err)
{
    *out = NULL;
    MI_Instance *bound = NULL;
    MI_Result r = mi_instance_new(&bound, method->name, NULL, err);
    MI_Uint32 count = 0;
    if (given)
        MI_Instance_GetElementCount(given, &count);
    for (MI_Uint32 i = 0; r == MI_RESULT_OK && i < count; i++) {
        const MI_Char *name;
        MI_Value value;
        MI_Type type;
        MI_Uint32 flags;
        MI_Instance_GetElementAt(given, i, &name, &value, &type, &flags);
        const mi_parameter *p = mi_method_find_parameter(method, name);
        if (!p || !(p->flags & MI_FLAG_IN)) {
            r = mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "%s.%s has no input parameter %s",
                             cls->name, method->name, name);
            break;
        }
        if ((flags & MI_FLAG_NULL) || type == p->type) {
            r = mi_instance_add_element(bound, p->name, (flags & MI_FLAG_NULL) ? NULL : &value,
                                        p->type, flags & MI_FLAG_NULL, err);
            continue;
        }
        MI_Value typed;
        bool read = false;
        MI_Type scalar = MI_TYPE_SCALAR(p->type);
        bool plain = scalar != MI_REFERENCE && scalar != MI_INSTANCE;
        if (plain && type == MI_STRING && !MI_TYPE_IS_ARRAY(p->type))
            read = mi_value_from_text(scalar, value.string, &typed);
        else if (plain && type == MI_STRINGA && MI_TYPE_IS_ARRAY(p->type))
            read =
                mi_value_array_from_texts(scalar, value.stringa.data, value.stringa.size, &typed);
        if (!read && type == MI_STRING) {
            r = mi_error_set(err, MI_RESULT_TYPE_MISMATCH, "%s.%s: parameter %s is %s: '%s' is not",
                             cls->name, method->name, p->name, mi_type_name(p->type),
                             value.string ? value.string : "");
            break;
        }
        if (!read) {
            r = mi_error_set(err, MI_RESULT_TYPE_MISMATCH, "%s.%s: parameter %s is %s, not %s",
                             cls->name, method->name, p->name, mi_type_name(p->type),
                             mi_type_name(type));
            break;
        }
        r = mi_instance_add_element(bound, p->name, &typed, p->type, MI_FLAG_ADOPT, err);
        if (r != MI_RESULT_OK)
            mi_value_release(&typed, p->type);
    }
    if (r != MI_RESULT_OK) {
        if (bound)
            mi_instance_delete(bound);
        return r;
    }
    *out = bound;
    return MI_RESULT_OK;
}

/* A method: of the class named, or of the class of the instance the source names. Its
 * class's source runs it; the repository runs none. */
static MI_Result invoke(mi_engine_cursor *c, mi_error *err)
{
    const mi_request *q = &c->request;
    const char *ns = q->namespace_name;
    mi_repository *repo = c->engine.repo;
    MI_Instance *target = NULL;
    MI_Result r = MI_RESULT_OK;
    if (!q->method || !*q->method)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "Invoke needs a method name");
    if (q->source)
        r = resolve_source(repo, ns, q->source, &target, err);
    const char *class_name = target ? mi_instance_class_name(target) : q->class_name;
    const mi_class *cls =
        r == MI_RESULT_OK && class_name ? mi_repository_find_class(repo, ns, class_name) : NULL;
    if (r == MI_RESULT_OK && !cls)
        r = class_name ? mi_error_set(err, MI_RESULT_INVALID_CLASS,
                                      "class %s is not in namespace %s", class_name, ns)
                       : mi_error_set(err, MI_RESULT_INVALID_PARAMETER,
                                      "Invoke needs a class or an instance");
    const mi_method *method = r == MI_RESULT_OK ? mi_class_find_method(cls, q->method) : NULL;
    if (r == MI_RESULT_OK && !method)
        r = mi_error_set(err, MI_RESULT_METHOD_NOT_FOUND,
                         "%s.%s: the class declares no such method", cls->name, q->method);
    MI_Instance *parameters = NULL;
    if (r == MI_RESULT_OK)
        r = bind_parameters(cls, method, q->instance, &parameters, err);
    mi_instance_source src =
        r == MI_RESULT_OK ? mi_engine_source_of(&c->engine, ns, cls) : (mi_instance_source){0};
    if (r == MI_RESULT_OK && !src.ops->invoke)
        r = mi_error_set(err, MI_RESULT_METHOD_NOT_AVAILABLE,
                         "%s.%s: no provider serves this class, so nothing runs its methods",
                         cls->name, q->method);
    mi_request typed = *q;
    typed.instance = parameters;
    if (r == MI_RESULT_OK)
        r = src.ops->invoke(src.self, &typed, cls, target, &c->single, err);
    if (parameters)
        mi_instance_delete(parameters);
    if (target)
        mi_instance_delete(target);
    return r;
}

static MI_Result get_instance(mi_engine_cursor *c, MI_Instance *source, mi_error *err)
{
    const char *ns = c->request.namespace_name;
    if (c->request.keys_only) {
        c->single = source;
        return MI_Instance_SetNameSpace(source, ns) ? mi_error_nomem(err) : MI_RESULT_OK;
    }
    const mi_class *cls =
        mi_repository_find_class(c->engine.repo, ns, mi_instance_class_name(source));
    mi_instance_source src = mi_engine_source_of(&c->engine, ns, cls);
    MI_Result r = src.ops->get(src.self, ns, source, &c->single, err);
    if (r == MI_RESULT_OK && !mi_instance_namespace(c->single) &&
        MI_Instance_SetNameSpace(c->single, ns) != MI_RESULT_OK)
        r = mi_error_nomem(err);
    mi_instance_delete(source);
    return r;
}

static MI_Result open_fast_path(const mi_instance_source *src, const mi_request *q,
                                const MI_Instance *source, void **cursor, mi_error *err)
{
    return mi_request_is_associators(q) ? src->ops->associators(src->self, q, source, cursor, err)
                                        : src->ops->references(src->self, q, source, cursor, err);
}

static bool has_fast_path(const mi_instance_source *src, const mi_request *q)
{
    return mi_request_is_associators(q) ? src->ops->associators != NULL
                                        : src->ops->references != NULL;
}

/* Every result of one source's fast path into the set; an object the source names but
 * does not hold is asked of the source serving its class. */
static MI_Result collect_fast_path(mi_engine_cursor *c, const mi_instance_source *src,
                                   const MI_Instance *source, mi_error *err)
{
    void *cursor = NULL;
    MI_Result r = open_fast_path(src, &c->request, source, &cursor, err);
    while (r == MI_RESULT_OK) {
        mi_source_item item;
        r = src->ops->next(cursor, &item, err);
        if (r != MI_RESULT_OK || !item.instance)
            break;
        MI_Instance *path = NULL, *full = NULL;
        r = mi_path_of_instance(&path, item.instance, err);
        if (r == MI_RESULT_OK && !mi_instance_namespace(path))
            r = MI_Instance_SetNameSpace(path, c->request.namespace_name) ? mi_error_nomem(err)
                                                                          : MI_RESULT_OK;
        if (r == MI_RESULT_OK && item.path_only)
            r = mi_engine_fetch(&c->engine, mi_instance_namespace(path), path, &full, err);
        else if (r == MI_RESULT_OK &&
                 (c->request.operation == MI_OP_ASSOCIATORS ||
                  c->request.operation == MI_OP_REFERENCES) &&
                 !c->request.keys_only)
            r = mi_instance_clone(item.instance, &full);
        if (r == MI_RESULT_OK)
            r = mi_result_set_add(&c->results, path, full, err);
        else if (path)
            mi_instance_delete(path);
    }
    if (cursor)
        src->ops->close(cursor);
    return r;
}

/* The association operations when other sources serve classes of the namespace. */
static MI_Result collect_associations(mi_engine_cursor *c, const MI_Instance *source, mi_error *err)
{
    const mi_request *q = &c->request;
    const char *ns = q->namespace_name;
    c->collected = true;
    mi_instance_source fast[8];
    size_t fast_count = 0;
    if (!mi_source_registry_default(c->engine.sources, ns))
        fast[fast_count++] = mi_repo_source(c->engine.repo); /* the repository serves some */
    for (size_t i = 0; i < mi_source_registry_count(c->engine.sources); i++) {
        const mi_instance_source *s = mi_source_registry_at(c->engine.sources, ns, i);
        bool seen = !s || !has_fast_path(s, q);
        for (size_t j = 0; j < fast_count && !seen; j++)
            seen = fast[j].ops == s->ops && fast[j].self == s->self;
        if (!seen && fast_count < sizeof fast / sizeof *fast)
            fast[fast_count++] = *s;
    }
    MI_Result r = MI_RESULT_OK;
    for (size_t i = 0; r == MI_RESULT_OK && i < fast_count; i++)
        r = collect_fast_path(c, &fast[i], source, err);
    if (r == MI_RESULT_OK)
        r = mi_associations_generic(&c->engine, q, source, &c->results, err);
    if (r == MI_RESULT_OK)
        mi_result_set_finish(&c->results);
    return r;
}

static MI_Result open_associations(mi_engine_cursor *c, const MI_Instance *source, mi_error *err)
{
    const mi_request *q = &c->request;
    const char *ns = q->namespace_name;
    mi_repository *repo = c->engine.repo;
    bool associators = mi_request_is_associators(q);
    MI_Result r = check_class(repo, ns, associators ? q->assoc_class : NULL, "AssocClass", err);
    if (r == MI_RESULT_OK)
        r = check_class(repo, ns, q->result_class, "ResultClass", err);
    if (r != MI_RESULT_OK)
        return r;
    if (associators && q->assoc_class &&
        !(mi_repository_find_class(repo, ns, q->assoc_class)->flags & MI_FLAG_ASSOCIATION))
        return MI_RESULT_OK; /* not an association: nothing */
    if (mi_source_registry_covers(c->engine.sources, ns))
        return collect_associations(c, source, err);
    c->open_source = mi_repo_source(repo);
    return open_fast_path(&c->open_source, q, source, &c->open, err);
}

static MI_Result open_query(mi_engine_cursor *c, mi_error *err);

MI_Result mi_engine_open(const mi_engine *engine, const mi_request *request, mi_engine_cursor **out,
                         mi_error *err)
{
    *out = NULL;
    const char *ns = request->namespace_name;
    mi_repository *repo = engine ? engine->repo : NULL;
    if (!repo)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "no repository");
    if (!ns || !mi_repository_has_namespace(repo, ns))
        return mi_error_set(err, MI_RESULT_INVALID_NAMESPACE, "namespace %s does not exist",
                            ns ? ns : "(null)");
    mi_engine_cursor *c = calloc(1, sizeof *c);
    if (!c)
        return mi_error_nomem(err);
    c->engine = *engine;
    c->request = *request;
    MI_Result r;
    switch (request->operation) {
    case MI_OP_ENUMERATE_INSTANCES:
        r = open_enumeration(c, err);
        break;
    case MI_OP_CREATE_INSTANCE:
    case MI_OP_MODIFY_INSTANCE:
    case MI_OP_DELETE_INSTANCE:
        r = change_instance(c, err); /* writes: no read scope around them */
        break;
    case MI_OP_INVOKE:
        r = invoke(c, err);
        break;
    case MI_OP_QUERY_INSTANCES:
        r = open_query(c, err);
        break;
    case MI_OP_GET_INSTANCE:
    case MI_OP_ASSOCIATORS:
    case MI_OP_ASSOCIATOR_NAMES:
    case MI_OP_REFERENCES:
    case MI_OP_REFERENCE_NAMES: {
        mi_repository_read_begin(repo); /* ends before open returns */
        MI_Instance *source;
        r = resolve_source(repo, ns, request->source, &source, err);
        if (r == MI_RESULT_OK && request->operation == MI_OP_GET_INSTANCE) {
            r = get_instance(c, source, err); /* takes source */
        } else if (r == MI_RESULT_OK) {
            c->source = source;
            r = open_associations(c, source, err);
        }
        mi_repository_read_end(repo);
        break;
    }
    default:
        r = mi_error_set(err, MI_RESULT_NOT_SUPPORTED, "the engine does not run this operation");
        break;
    }
    if (r != MI_RESULT_OK) {
        mi_engine_close(c);
        return r;
    }
    *out = c;
    return MI_RESULT_OK;
}

/* The next result of the source cursors, opening each stage in turn. */
static MI_Result next_from_sources(mi_engine_cursor *c, const MI_Instance **result, mi_error *err)
{
    for (;;) {
        if (!c->open) {
            if (c->stage_next == c->stage_count)
                return MI_RESULT_OK; /* the end */
            stage *s = &c->stages[c->stage_next++];
            c->open_source = s->source;
            MI_Result r = s->source.ops->enumerate(s->source.self, &c->request, s->class_name,
                                                   s->deep, &c->open, err);
            if (r != MI_RESULT_OK)
                return r;
        }
        mi_source_item item;
        MI_Result r = c->open_source.ops->next(c->open, &item, err);
        if (r != MI_RESULT_OK)
            return r;
        if (!item.instance) {
            c->open_source.ops->close(c->open);
            c->open = NULL;
            continue;
        }
        if (item.path_only && c->request.operation == MI_OP_ASSOCIATORS && !c->request.keys_only)
            continue; /* dangling: there is no object to give */
        *result = item.instance;
        return MI_RESULT_OK;
    }
}

/* Whether property name is one the request's property list names. */
static bool listed(const mi_request *q, const char *name)
{
    for (size_t i = 0; i < q->property_count; i++)
        if (mi_name_equal(q->properties[i], name))
            return true;
    return false;
}

/* Whether property name of a result stays: with a property list, a listed one; with
 * MI_OPERATIONFLAGS_POLYMORPHISM_DEEP_BASE_PROPS_ONLY, one of the class enumerated. */
static bool kept(const mi_engine_cursor *c, const mi_class *base, const char *name)
{
    const mi_request *q = &c->request;
    return (!q->has_property_list || listed(q, name)) &&
           (!base || mi_class_find_property(base, name, NULL)) &&
           (!c->query || mi_query_selects(c->query, name));
}

/* The class whose properties alone subclass results carry, or NULL. */
static const mi_class *base_only(const mi_engine_cursor *c)
{
    const mi_request *q = &c->request;
    if (q->operation != MI_OP_ENUMERATE_INSTANCES || !q->class_name ||
        (q->flags & MI_OPERATIONFLAGS_POLYMORPHISM_DEEP_BASE_PROPS_ONLY) !=
            MI_OPERATIONFLAGS_POLYMORPHISM_DEEP_BASE_PROPS_ONLY)
        return NULL;
    return mi_repository_find_class(c->engine.repo, q->namespace_name, q->class_name);
}

/* A result with only its keys and the properties kept holding values (the others NULL,
 * as Windows gives them); kept until the next result. */
static MI_Result project(mi_engine_cursor *c, const MI_Instance **result, mi_error *err)
{
    const mi_class *base = base_only(c);
    if (c->projected)
        mi_instance_delete(c->projected);
    c->projected = NULL;
    if (mi_instance_clone(*result, &c->projected) != MI_RESULT_OK)
        return mi_error_nomem(err);
    MI_Uint32 count = 0;
    MI_Instance_GetElementCount(c->projected, &count);
    for (MI_Uint32 i = 0; i < count; i++) {
        const MI_Char *name;
        MI_Type type;
        MI_Uint32 flags;
        if (MI_Instance_GetElementAt(c->projected, i, &name, NULL, &type, &flags) != MI_RESULT_OK ||
            (flags & (MI_FLAG_KEY | MI_FLAG_NULL)) || kept(c, base, name))
            continue;
        MI_Result r = mi_instance_set_element_at(c->projected, i, NULL, type, MI_FLAG_NULL, err);
        if (r != MI_RESULT_OK)
            return r;
    }
    *result = c->projected;
    return MI_RESULT_OK;
}

static MI_Result next_result(mi_engine_cursor *c, const MI_Instance **result, mi_error *err);

MI_Result mi_engine_next(mi_engine_cursor *c, const MI_Instance **result, mi_error *err)
{
    MI_Result r = next_result(c, result, err);
    const mi_request *q = &c->request;
    if (r == MI_RESULT_OK && *result && !q->keys_only &&
        ((q->has_property_list && q->operation != MI_OP_INVOKE &&
          q->operation != MI_OP_CREATE_INSTANCE) ||
         base_only(c) || (c->query && mi_query_is_select(c->query))))
        r = project(c, result, err);
    return r;
}

/* QueryInstances: the instances of the request the query makes that satisfy it. */
static MI_Result next_of_query(mi_engine_cursor *c, const MI_Instance **result, mi_error *err)
{
    for (;;) {
        MI_Result r = mi_engine_next(c->inner, result, err);
        if (r != MI_RESULT_OK || !*result)
            return r;
        bool matches;
        r = mi_query_matches(c->query, *result, &matches, err);
        if (r != MI_RESULT_OK || matches)
            return r;
    }
}

/* Parses the query and opens the request it makes: a SELECT checked against its class. */
static MI_Result open_query(mi_engine_cursor *c, mi_error *err)
{
    const mi_request *q = &c->request;
    MI_Result r = mi_query_parse(q->query_language, q->query_text, &c->query, err);
    if (r != MI_RESULT_OK)
        return r;
    mi_query_request(c->query, q->namespace_name, &c->query_request);
    c->query_request.deadline_usec = q->deadline_usec;
    c->query_request.cancelled = q->cancelled;
    c->query_request.batch_size = q->batch_size;
    if (mi_query_is_select(c->query)) {
        const mi_class *cls = mi_repository_find_class(c->engine.repo, q->namespace_name,
                                                       c->query_request.class_name);
        if (!cls)
            return mi_error_set(err, MI_RESULT_INVALID_CLASS, "class %s is not in namespace %s",
                                c->query_request.class_name, q->namespace_name);
        r = mi_query_check(c->query, cls, err);
        if (r != MI_RESULT_OK)
            return r;
    }
    return mi_engine_open(&c->engine, &c->query_request, &c->inner, err);
}

static MI_Result next_result(mi_engine_cursor *c, const MI_Instance **result, mi_error *err)
{
    *result = NULL;
    if (c->inner)
        return next_of_query(c, result, err);
    if (c->current) {
        mi_instance_delete(c->current);
        c->current = NULL;
    }
    MI_Result r = mi_request_stopped(&c->request, err);
    if (r != MI_RESULT_OK)
        return r;
    if (c->single) { /* handed out once */
        c->current = c->single;
        c->single = NULL;
        *result = c->current;
        return MI_RESULT_OK;
    }
    if (!c->collected)
        return next_from_sources(c, result, err);
    const mi_request *q = &c->request;
    bool whole =
        (q->operation == MI_OP_ASSOCIATORS || q->operation == MI_OP_REFERENCES) && !q->keys_only;
    while (c->next < c->results.count) {
        mi_result_entry *e = &c->results.items[c->next++];
        if (whole && !e->full) {
            if (q->operation == MI_OP_ASSOCIATORS)
                continue; /* dangling: no object to give */
        } else if (whole) {
            c->current = e->full;
            e->full = NULL;
            break;
        }
        c->current = e->path;
        e->path = NULL;
        break;
    }
    *result = c->current;
    return MI_RESULT_OK;
}

void mi_engine_close(mi_engine_cursor *c)
{
    if (c && c->projected)
        mi_instance_delete(c->projected);
    if (c && c->inner)
        mi_engine_close(c->inner);
    if (c)
        mi_query_free(c->query);
    if (!c)
        return;
    if (c->open)
        c->open_source.ops->close(c->open);
    for (size_t i = 0; i < c->stage_count; i++)
        free(c->stages[i].class_name);
    free(c->stages);
    if (c->current)
        mi_instance_delete(c->current);
    if (c->single)
        mi_instance_delete(c->single);
    if (c->source)
        mi_instance_delete(c->source);
    mi_result_set_free(&c->results);
    free(c);
}

MI_Result mi_engine_run(const mi_engine *engine, const mi_request *request, mi_engine_sink sink,
                        void *context, mi_error *err)
{
    if (!sink)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "no result sink");
    mi_engine_cursor *c = NULL;
    MI_Result r = mi_engine_open(engine, request, &c, err);
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

/* ---- class operations ---- */

MI_Result mi_engine_classes(const mi_engine *engine, const mi_request *q, mi_class ***classes,
                            size_t *count, mi_error *err)
{
    *classes = NULL;
    *count = 0;
    mi_repository *repo = engine->repo;
    const char *ns = q->namespace_name;
    bool get = q->operation == MI_OP_GET_CLASS;
    const char *name = q->class_name && *q->class_name ? q->class_name : NULL;
    if (!ns || !mi_repository_has_namespace(repo, ns))
        return mi_error_set(err, MI_RESULT_INVALID_NAMESPACE, "namespace %s does not exist",
                            ns ? ns : "(null)");
    if (get && !name)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "no class name given");
    if (name && !mi_repository_find_class(repo, ns, name))
        return mi_error_set(err, get ? MI_RESULT_NOT_FOUND : MI_RESULT_INVALID_CLASS,
                            "class %s is not in namespace %s", name, ns);
    char **names = NULL;
    size_t found = 0;
    MI_Result r = MI_RESULT_OK;
    if (get) {
        names = malloc(sizeof *names);
        if (names && (names[0] = strdup(name)))
            found = 1;
        else
            r = mi_error_nomem(err);
    } else {
        r = mi_repository_class_names(repo, ns, name, !q->shallow, &names, &found, err);
    }
    mi_class **out = r == MI_RESULT_OK && found ? calloc(found, sizeof *out) : NULL;
    if (r == MI_RESULT_OK && found && !out)
        r = mi_error_nomem(err);
    for (size_t i = 0; i < found; i++) {
        mi_class *cls = r == MI_RESULT_OK ? mi_repository_find_class(repo, ns, names[i]) : NULL;
        if (cls) {
            mi_class_ref(cls);
            out[(*count)++] = cls;
        }
        free(names[i]);
    }
    free(names);
    if (r != MI_RESULT_OK) {
        for (size_t i = 0; i < *count; i++)
            mi_class_unref(out[i]);
        free(out);
        *count = 0;
        return r;
    }
    *classes = out;
    return MI_RESULT_OK;
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

MI_Result mi_engine_class_neighbours(const mi_engine *engine, const mi_request *request,
                                     char ***names, size_t *count, mi_error *err)
{
    mi_repository *repo = engine->repo;
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
