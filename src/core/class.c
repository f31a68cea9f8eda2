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

/* ---- qualifier lists ---- */

static void qualifier_release(mi_qualifier *q)
{
    free(q->name);
    if (!q->is_null)
        mi_value_release(&q->value, q->type);
}

static void qualifier_list_free(mi_qualifier_list *list)
{
    for (uint32_t i = 0; i < list->count; i++)
        qualifier_release(&list->items[i]);
    free(list->items);
    mi_nametable_free(&list->index);
    memset(list, 0, sizeof *list);
}

MI_Result mi_qualifier_list_add(mi_qualifier_list *list, const char *name, MI_Type type,
                                const MI_Value *value, MI_Uint32 flavor, mi_error *err)
{
    if (!name || !mi_name_is_identifier(name))
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "invalid qualifier name '%s'",
                            name ? name : "(null)");
    if (!mi_type_valid(type) || MI_TYPE_SCALAR(type) == MI_REFERENCE ||
        MI_TYPE_SCALAR(type) == MI_INSTANCE)
        return mi_error_set(err, MI_RESULT_TYPE_MISMATCH, "qualifier '%s' cannot have type %s",
                            name, mi_type_name(type));
    if (mi_nametable_find(&list->index, name, NULL))
        return mi_error_set(err, MI_RESULT_ALREADY_EXISTS, "qualifier '%s' is given twice", name);
    if (grow_array((void **)&list->items, &list->capacity, list->count, sizeof *list->items))
        return mi_error_nomem(err);
    mi_qualifier q = {.type = type, .flavor = flavor, .is_null = value == NULL};
    if (!(q.name = strdup(name)))
        return mi_error_nomem(err);
    if (value && mi_value_copy(&q.value, value, type) != MI_RESULT_OK) {
        free(q.name);
        return mi_error_nomem(err);
    }
    if (mi_nametable_insert(&list->index, q.name, list->count) != MI_RESULT_OK) {
        qualifier_release(&q);
        return mi_error_nomem(err);
    }
    list->items[list->count++] = q;
    return MI_RESULT_OK;
}

const mi_qualifier *mi_qualifier_list_find(const mi_qualifier_list *list, const char *name)
{
    uint32_t i;
    return mi_nametable_find(&list->index, name, &i) ? &list->items[i] : NULL;
}

static MI_Result qualifier_list_copy(mi_qualifier_list *dst, const mi_qualifier_list *src)
{
    memset(dst, 0, sizeof *dst);
    for (uint32_t i = 0; i < src->count; i++) {
        const mi_qualifier *q = &src->items[i];
        MI_Result r = mi_qualifier_list_add(dst, q->name, q->type, q->is_null ? NULL : &q->value,
                                            q->flavor, NULL);
        if (r != MI_RESULT_OK) {
            qualifier_list_free(dst);
            return r;
        }
    }
    return MI_RESULT_OK;
}

/* ---- features (properties and parameters share their declaration fields) ---- */

static void property_release(mi_property *p)
{
    free(p->name);
    free(p->ref_class);
    free(p->origin);
    if (p->has_default)
        mi_value_release(&p->default_value, p->type);
    qualifier_list_free(&p->qualifiers);
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
    qualifier_list_free(&p->qualifiers);
}

static void method_release(mi_method *m)
{
    free(m->name);
    free(m->origin);
    qualifier_list_free(&m->qualifiers);
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
    qualifier_list_free(&cls->qualifiers);
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
