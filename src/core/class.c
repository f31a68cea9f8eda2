/*
 * class — see class.h.
 *
 * Invariant: property_index maps every property name (any case) to its position in
 * properties[], inherited ones included; key_count is the number with MI_FLAG_KEY.
 */
#include "class.h"

#include "value.h"

#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s, bool *failed)
{
    if (!s)
        return NULL;
    char *copy = strdup(s);
    if (!copy)
        *failed = true;
    return copy;
}

static MI_Result grow_array(void **items, uint32_t *capacity, uint32_t count, size_t size)
{
    if (count < *capacity)
        return MI_RESULT_OK;
    uint32_t bigger = *capacity ? *capacity * 2 : 4;
    void *grown = realloc(*items, (size_t)bigger * size);
    if (!grown)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    *items = grown;
    *capacity = bigger;
    return MI_RESULT_OK;
}

/* ---- qualifier lists ----
 *
 * A list points at a reference-counted set. Subclasses share the set of an inherited
 * member when every qualifier in it propagates (the usual case), so flattening a class
 * copies no qualifier text; adding to a shared set copies it first. */

struct mi_qualifier_set {
    int refcount;
    bool all_propagate; /* no restricted qualifier: subclasses may share the set */
    mi_qualifier *items;
    uint32_t count;
    uint32_t capacity;
    mi_nametable index; /* only past SMALL_SET qualifiers: a short list is scanned */
};

#define SMALL_SET 8

static void qualifier_release(mi_qualifier *q)
{
    free(q->name);
    if (!q->is_null)
        mi_value_release(&q->value, q->type);
}

void mi_qualifier_list_free(mi_qualifier_list *list)
{
    mi_qualifier_set *set = list->set;
    list->set = NULL;
    if (!set || __atomic_sub_fetch(&set->refcount, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    for (uint32_t i = 0; i < set->count; i++)
        qualifier_release(&set->items[i]);
    free(set->items);
    mi_nametable_free(&set->index);
    free(set);
}

uint32_t mi_qualifier_list_count(const mi_qualifier_list *list)
{
    return list->set ? list->set->count : 0;
}

const mi_qualifier *mi_qualifier_list_at(const mi_qualifier_list *list, uint32_t i)
{
    return list->set && i < list->set->count ? &list->set->items[i] : NULL;
}

const mi_qualifier *mi_qualifier_list_find(const mi_qualifier_list *list, const char *name)
{
    const mi_qualifier_set *set = list->set;
    if (!set || !name)
        return NULL;
    if (set->count <= SMALL_SET) {
        for (uint32_t i = 0; i < set->count; i++) {
            if (mi_name_equal(set->items[i].name, name))
                return &set->items[i];
        }
        return NULL;
    }
    uint32_t i;
    return mi_nametable_find(&set->index, name, &i) ? &set->items[i] : NULL;
}

/* Indexes the set once it is too long to scan. */
static MI_Result index_set(mi_qualifier_set *set)
{
    if (set->count <= SMALL_SET)
        return MI_RESULT_OK;
    if (set->index.count == 0) {
        for (uint32_t i = 0; i + 1 < set->count; i++) {
            if (mi_nametable_insert(&set->index, set->items[i].name, i) != MI_RESULT_OK) {
                mi_nametable_free(&set->index);
                return MI_RESULT_SERVER_LIMITS_EXCEEDED;
            }
        }
    }
    return mi_nametable_insert(&set->index, set->items[set->count - 1].name, set->count - 1);
}

static MI_Result append_qualifier(mi_qualifier_set *set, const char *name, MI_Type type,
                                  const MI_Value *value, MI_Uint32 flavor)
{
    if (grow_array((void **)&set->items, &set->capacity, set->count, sizeof *set->items))
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    mi_qualifier q = {.type = type, .flavor = flavor, .is_null = value == NULL};
    if (!(q.name = strdup(name)))
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    if (value && mi_value_copy(&q.value, value, type) != MI_RESULT_OK) {
        free(q.name);
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    }
    set->items[set->count++] = q;
    if (index_set(set) != MI_RESULT_OK) {
        qualifier_release(&set->items[--set->count]);
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    }
    if (!mi_qualifier_propagates(flavor))
        set->all_propagate = false;
    return MI_RESULT_OK;
}

/* Makes list->set exist and belong to this list alone. */
static MI_Result own_set(mi_qualifier_list *list)
{
    mi_qualifier_set *old = list->set;
    if (old && __atomic_load_n(&old->refcount, __ATOMIC_ACQUIRE) == 1)
        return MI_RESULT_OK;
    mi_qualifier_set *set = calloc(1, sizeof *set);
    if (!set)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    set->refcount = 1;
    set->all_propagate = true;
    for (uint32_t i = 0; old && i < old->count; i++) {
        const mi_qualifier *q = &old->items[i];
        if (append_qualifier(set, q->name, q->type, q->is_null ? NULL : &q->value, q->flavor)) {
            mi_qualifier_list list_of_set = {set};
            mi_qualifier_list_free(&list_of_set);
            return MI_RESULT_SERVER_LIMITS_EXCEEDED;
        }
    }
    mi_qualifier_list_free(list);
    list->set = set;
    return MI_RESULT_OK;
}

/* A qualifier (or its declaration) has a CIM name and a type that is neither a reference
 * nor an embedded instance. */
static MI_Result check_qualifier(const char *name, MI_Type type, mi_error *err)
{
    if (!name || !mi_name_is_identifier(name))
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "invalid qualifier name '%s'",
                            name ? name : "(null)");
    if (!mi_type_valid(type) || MI_TYPE_SCALAR(type) == MI_REFERENCE ||
        MI_TYPE_SCALAR(type) == MI_INSTANCE)
        return mi_error_set(err, MI_RESULT_TYPE_MISMATCH, "qualifier '%s' cannot have type %s",
                            name, mi_type_name(type));
    return MI_RESULT_OK;
}

MI_Result mi_qualifier_list_add(mi_qualifier_list *list, const char *name, MI_Type type,
                                const MI_Value *value, MI_Uint32 flavor, mi_error *err)
{
    MI_Result r = check_qualifier(name, type, err);
    if (r != MI_RESULT_OK)
        return r;
    if (mi_qualifier_list_find(list, name))
        return mi_error_set(err, MI_RESULT_ALREADY_EXISTS, "qualifier '%s' is given twice", name);
    if (own_set(list) != MI_RESULT_OK || append_qualifier(list->set, name, type, value, flavor))
        return mi_error_nomem(err);
    return MI_RESULT_OK;
}

bool mi_qualifier_propagates(MI_Uint32 flavor)
{
    return !(flavor & MI_FLAG_RESTRICTED);
}

MI_Result mi_qualifier_list_inherit(mi_qualifier_list *dst, const mi_qualifier_list *src,
                                    mi_error *err)
{
    mi_qualifier_set *from = src->set;
    if (!from || from->count == 0)
        return MI_RESULT_OK;
    if (!dst->set && from->all_propagate) {
        __atomic_add_fetch(&from->refcount, 1, __ATOMIC_RELAXED);
        dst->set = from;
        return MI_RESULT_OK;
    }
    for (uint32_t i = 0; i < from->count; i++) {
        const mi_qualifier *q = &from->items[i];
        if (!mi_qualifier_propagates(q->flavor) || mi_qualifier_list_find(dst, q->name))
            continue;
        MI_Result r = mi_qualifier_list_add(dst, q->name, q->type, q->is_null ? NULL : &q->value,
                                            q->flavor, err);
        if (r != MI_RESULT_OK)
            return r;
    }
    return MI_RESULT_OK;
}

/* The qualifiers a subclass sees on an inherited member. */
static MI_Result qualifier_list_copy(mi_qualifier_list *dst, const mi_qualifier_list *src)
{
    dst->set = NULL;
    MI_Result r = mi_qualifier_list_inherit(dst, src, NULL);
    if (r != MI_RESULT_OK)
        mi_qualifier_list_free(dst);
    return r;
}

MI_Result mi_qualifier_decl_new(mi_qualifier_decl **out, const char *name, MI_Type type,
                                MI_Uint32 array_max, MI_Uint32 scope, MI_Uint32 flavor,
                                const MI_Value *default_value, mi_error *err)
{
    *out = NULL;
    MI_Result r = check_qualifier(name, type, err);
    if (r != MI_RESULT_OK)
        return r;
    mi_qualifier_decl *decl = calloc(1, sizeof *decl);
    if (!decl || !(decl->name = strdup(name))) {
        free(decl);
        return mi_error_nomem(err);
    }
    decl->type = type;
    decl->array_max = array_max;
    decl->scope = scope;
    decl->flavor = flavor;
    if (default_value) {
        if (mi_value_copy(&decl->default_value, default_value, type) != MI_RESULT_OK) {
            mi_qualifier_decl_free(decl);
            return mi_error_nomem(err);
        }
        decl->has_default = true;
    }
    *out = decl;
    return MI_RESULT_OK;
}

void mi_qualifier_decl_free(mi_qualifier_decl *decl)
{
    if (!decl)
        return;
    free(decl->name);
    if (decl->has_default)
        mi_value_release(&decl->default_value, decl->type);
    free(decl);
}

/* ---- features (properties and parameters share their declaration fields) ---- */

static void property_release(mi_property *p)
{
    free(p->name);
    free(p->ref_class);
    free(p->origin);
    if (p->has_default)
        mi_value_release(&p->default_value, p->type);
    mi_qualifier_list_free(&p->qualifiers);
}

static MI_Result check_spec(const mi_feature_spec *spec, const char *owner, mi_error *err)
{
    if (!spec->name || !mi_name_is_identifier(spec->name))
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "%s: invalid member name '%s'", owner,
                            spec->name ? spec->name : "(null)");
    if (!mi_type_valid(spec->type))
        return mi_error_set(err, MI_RESULT_TYPE_MISMATCH, "%s.%s: invalid type code %d", owner,
                            spec->name, (int)spec->type);
    if (MI_TYPE_SCALAR(spec->type) == MI_REFERENCE && spec->ref_class &&
        !mi_name_is_identifier(spec->ref_class))
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "%s.%s: invalid class name '%s'",
                            owner, spec->name, spec->ref_class);
    return MI_RESULT_OK;
}

static MI_Result property_init(mi_property *p, const mi_feature_spec *spec, const char *origin)
{
    bool failed = false;
    memset(p, 0, sizeof *p);
    p->type = spec->type;
    p->array_max = spec->array_max;
    p->flags = spec->flags;
    p->name = dup_or_null(spec->name, &failed);
    p->ref_class = dup_or_null(spec->ref_class, &failed);
    p->origin = dup_or_null(origin, &failed);
    if (!failed && spec->default_value) {
        if (mi_value_copy(&p->default_value, spec->default_value, spec->type) == MI_RESULT_OK)
            p->has_default = true;
        else
            failed = true;
    }
    if (failed) {
        property_release(p);
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    }
    return MI_RESULT_OK;
}

static MI_Result property_copy(mi_property *dst, const mi_property *src)
{
    mi_feature_spec spec = {src->name,      src->type,
                            src->ref_class, src->array_max,
                            src->flags,     src->has_default ? &src->default_value : NULL};
    MI_Result r = property_init(dst, &spec, src->origin);
    if (r == MI_RESULT_OK && (r = qualifier_list_copy(&dst->qualifiers, &src->qualifiers)))
        property_release(dst);
    return r;
}

static void parameter_release(mi_parameter *p)
{
    free(p->name);
    free(p->ref_class);
    mi_qualifier_list_free(&p->qualifiers);
}

static void method_release(mi_method *m)
{
    free(m->name);
    free(m->origin);
    mi_qualifier_list_free(&m->qualifiers);
    for (uint32_t i = 0; i < m->parameter_count; i++)
        parameter_release(&m->parameters[i]);
    free(m->parameters);
    mi_nametable_free(&m->parameter_index);
}

static MI_Result method_init(mi_method *m, const char *name, MI_Type return_type,
                             const char *origin)
{
    bool failed = false;
    memset(m, 0, sizeof *m);
    m->return_type = return_type;
    m->name = dup_or_null(name, &failed);
    m->origin = dup_or_null(origin, &failed);
    if (failed) {
        method_release(m);
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    }
    return MI_RESULT_OK;
}

MI_Result mi_method_add_parameter(mi_method *method, const mi_feature_spec *spec, uint32_t *index,
                                  mi_error *err)
{
    MI_Result r = check_spec(spec, method->name, err);
    if (r != MI_RESULT_OK)
        return r;
    if (mi_nametable_find(&method->parameter_index, spec->name, NULL))
        return mi_error_set(err, MI_RESULT_ALREADY_EXISTS,
                            "method %s: parameter '%s' is declared twice", method->name,
                            spec->name);
    if (grow_array((void **)&method->parameters, &method->parameter_capacity,
                   method->parameter_count, sizeof *method->parameters))
        return mi_error_nomem(err);
    mi_parameter p = {.type = spec->type, .array_max = spec->array_max, .flags = spec->flags};
    bool failed = false;
    p.name = dup_or_null(spec->name, &failed);
    p.ref_class = dup_or_null(spec->ref_class, &failed);
    if (failed || mi_nametable_insert(&method->parameter_index, p.name, method->parameter_count)) {
        parameter_release(&p);
        return mi_error_nomem(err);
    }
    if (index)
        *index = method->parameter_count;
    method->parameters[method->parameter_count++] = p;
    return MI_RESULT_OK;
}

const mi_parameter *mi_method_find_parameter(const mi_method *method, const char *name)
{
    uint32_t i;
    return mi_nametable_find(&method->parameter_index, name, &i) ? &method->parameters[i] : NULL;
}

static MI_Result method_copy(mi_method *dst, const mi_method *src)
{
    MI_Result r = method_init(dst, src->name, src->return_type, src->origin);
    if (r != MI_RESULT_OK)
        return r;
    r = qualifier_list_copy(&dst->qualifiers, &src->qualifiers);
    for (uint32_t i = 0; r == MI_RESULT_OK && i < src->parameter_count; i++) {
        const mi_parameter *p = &src->parameters[i];
        mi_feature_spec spec = {p->name, p->type, p->ref_class, p->array_max, p->flags, NULL};
        uint32_t at;
        r = mi_method_add_parameter(dst, &spec, &at, NULL);
        if (r == MI_RESULT_OK)
            r = qualifier_list_copy(&dst->parameters[at].qualifiers, &p->qualifiers);
    }
    if (r != MI_RESULT_OK)
        method_release(dst);
    return r;
}

/* ---- classes ---- */

static void class_free(mi_class *cls)
{
    free(cls->name);
    mi_qualifier_list_free(&cls->qualifiers);
    for (uint32_t i = 0; i < cls->property_count; i++)
        property_release(&cls->properties[i]);
    free(cls->properties);
    mi_nametable_free(&cls->property_index);
    for (uint32_t i = 0; i < cls->method_count; i++)
        method_release(&cls->methods[i]);
    free(cls->methods);
    mi_nametable_free(&cls->method_index);
    if (cls->superclass)
        mi_class_unref(cls->superclass);
    free(cls);
}

static MI_Result inherit(mi_class *cls, const mi_class *super)
{
    for (uint32_t i = 0; i < super->property_count; i++) {
        if (grow_array((void **)&cls->properties, &cls->property_capacity, cls->property_count,
                       sizeof *cls->properties))
            return MI_RESULT_SERVER_LIMITS_EXCEEDED;
        mi_property *p = &cls->properties[cls->property_count];
        if (property_copy(p, &super->properties[i]))
            return MI_RESULT_SERVER_LIMITS_EXCEEDED;
        if (mi_nametable_insert(&cls->property_index, p->name, cls->property_count)) {
            property_release(p);
            return MI_RESULT_SERVER_LIMITS_EXCEEDED;
        }
        cls->property_count++;
        if (p->flags & MI_FLAG_KEY)
            cls->key_count++;
    }
    for (uint32_t i = 0; i < super->method_count; i++) {
        if (grow_array((void **)&cls->methods, &cls->method_capacity, cls->method_count,
                       sizeof *cls->methods))
            return MI_RESULT_SERVER_LIMITS_EXCEEDED;
        mi_method *m = &cls->methods[cls->method_count];
        if (method_copy(m, &super->methods[i]))
            return MI_RESULT_SERVER_LIMITS_EXCEEDED;
        if (mi_nametable_insert(&cls->method_index, m->name, cls->method_count)) {
            method_release(m);
            return MI_RESULT_SERVER_LIMITS_EXCEEDED;
        }
        cls->method_count++;
    }
    return MI_RESULT_OK;
}

MI_Result mi_class_new(mi_class **out, const char *name, mi_class *superclass, mi_error *err)
{
    *out = NULL;
    if (!name || !mi_name_is_identifier(name))
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "invalid class name '%s'",
                            name ? name : "(null)");
    mi_class *cls = calloc(1, sizeof *cls);
    if (!cls || !(cls->name = strdup(name))) {
        free(cls);
        return mi_error_nomem(err);
    }
    cls->refcount = 1;
    cls->flags = MI_FLAG_CLASS;
    if (superclass) {
        mi_class_ref(superclass);
        cls->superclass = superclass;
        cls->flags |= superclass->flags & (MI_FLAG_ASSOCIATION | MI_FLAG_INDICATION);
        if (inherit(cls, superclass) != MI_RESULT_OK) {
            class_free(cls);
            return mi_error_nomem(err);
        }
    }
    *out = cls;
    return MI_RESULT_OK;
}

void mi_class_ref(mi_class *cls)
{
    __atomic_add_fetch(&cls->refcount, 1, __ATOMIC_RELAXED);
}

void mi_class_unref(mi_class *cls)
{
    if (cls && __atomic_sub_fetch(&cls->refcount, 1, __ATOMIC_ACQ_REL) == 0)
        class_free(cls);
}

MI_Result mi_class_add_property(mi_class *cls, const mi_feature_spec *spec, uint32_t *index,
                                mi_error *err)
{
    MI_Result r = check_spec(spec, cls->name, err);
    if (r != MI_RESULT_OK)
        return r;
    uint32_t at;
    if (mi_nametable_find(&cls->property_index, spec->name, &at)) {
        mi_property *old = &cls->properties[at];
        if (old->local)
            return mi_error_set(err, MI_RESULT_ALREADY_EXISTS,
                                "class %s: property '%s' is declared twice", cls->name, spec->name);
        mi_property replacement;
        if (property_init(&replacement, spec, old->origin) != MI_RESULT_OK)
            return mi_error_nomem(err);
        if (old->flags & MI_FLAG_KEY)
            cls->key_count--;
        mi_nametable_rename(&cls->property_index, old->name, replacement.name);
        property_release(old);
        *old = replacement;
        old->local = true;
    } else {
        if (grow_array((void **)&cls->properties, &cls->property_capacity, cls->property_count,
                       sizeof *cls->properties))
            return mi_error_nomem(err);
        at = cls->property_count;
        mi_property *p = &cls->properties[at];
        if (property_init(p, spec, cls->name) != MI_RESULT_OK)
            return mi_error_nomem(err);
        p->local = true;
        if (mi_nametable_insert(&cls->property_index, p->name, at) != MI_RESULT_OK) {
            property_release(p);
            return mi_error_nomem(err);
        }
        cls->property_count++;
    }
    if (cls->properties[at].flags & MI_FLAG_KEY)
        cls->key_count++;
    if (index)
        *index = at;
    return MI_RESULT_OK;
}

const mi_property *mi_class_find_property(const mi_class *cls, const char *name, uint32_t *index)
{
    uint32_t i;
    if (!mi_nametable_find(&cls->property_index, name, &i))
        return NULL;
    if (index)
        *index = i;
    return &cls->properties[i];
}

mi_property *mi_class_property_at(mi_class *cls, uint32_t index)
{
    return index < cls->property_count ? &cls->properties[index] : NULL;
}

MI_Result mi_class_add_method(mi_class *cls, const char *name, MI_Type return_type, uint32_t *index,
                              mi_error *err)
{
    if (!name || !mi_name_is_identifier(name))
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "class %s: invalid method name",
                            cls->name);
    uint32_t at;
    if (mi_nametable_find(&cls->method_index, name, &at)) {
        mi_method *old = &cls->methods[at];
        if (old->local)
            return mi_error_set(err, MI_RESULT_ALREADY_EXISTS,
                                "class %s: method '%s' is declared twice", cls->name, name);
        mi_method replacement;
        if (method_init(&replacement, name, return_type, old->origin) != MI_RESULT_OK)
            return mi_error_nomem(err);
        mi_nametable_rename(&cls->method_index, old->name, replacement.name);
        method_release(old);
        *old = replacement;
        old->local = true;
    } else {
        if (grow_array((void **)&cls->methods, &cls->method_capacity, cls->method_count,
                       sizeof *cls->methods))
            return mi_error_nomem(err);
        at = cls->method_count;
        mi_method *m = &cls->methods[at];
        if (method_init(m, name, return_type, cls->name) != MI_RESULT_OK)
            return mi_error_nomem(err);
        m->local = true;
        if (mi_nametable_insert(&cls->method_index, m->name, at) != MI_RESULT_OK) {
            method_release(m);
            return mi_error_nomem(err);
        }
        cls->method_count++;
    }
    if (index)
        *index = at;
    return MI_RESULT_OK;
}

const mi_method *mi_class_find_method(const mi_class *cls, const char *name)
{
    uint32_t i;
    return mi_nametable_find(&cls->method_index, name, &i) ? &cls->methods[i] : NULL;
}

mi_method *mi_class_method_at(mi_class *cls, uint32_t index)
{
    return index < cls->method_count ? &cls->methods[index] : NULL;
}

bool mi_class_is_a(const mi_class *cls, const char *name)
{
    for (; cls; cls = cls->superclass) {
        if (mi_name_equal(cls->name, name))
            return true;
    }
    return false;
}

bool mi_qualifier_list_true(const mi_qualifier_list *list, const char *name)
{
    const mi_qualifier *q = mi_qualifier_list_find(list, name);
    return q && !q->is_null && q->type == MI_BOOLEAN && q->value.boolean;
}

void mi_class_flags_from_qualifiers(mi_class *cls)
{
    static const struct {
        const char *name;
        MI_Uint32 flag;
    } flags[] = {{"Association", MI_FLAG_ASSOCIATION},
                 {"Indication", MI_FLAG_INDICATION},
                 {"Abstract", MI_FLAG_ABSTRACT},
                 {"Terminal", MI_FLAG_TERMINAL}};
    for (size_t i = 0; i < sizeof flags / sizeof *flags; i++) {
        if (mi_qualifier_list_true(&cls->qualifiers, flags[i].name))
            cls->flags |= flags[i].flag;
    }
}
