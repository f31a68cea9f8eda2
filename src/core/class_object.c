/*
 * class_object — see class_object.h.
 *
 * An MI_Class keeps its mi_class in reserved[0] and owns its namespace string. Qualifier
 * sets point at an mi_qualifier_list, parameter sets at an mi_method (reserved2); both
 * borrow from the class and stay valid while the MI_Class lives.
 */
#include "class_object.h"

#include "name.h"

#include <stdlib.h>
#include <string.h>

static const MI_ClassFT class_ft;
static const MI_QualifierSetFT qualifier_set_ft;
static const MI_ParameterSetFT parameter_set_ft;

static const mi_class *class_of(const MI_Class *self)
{
    return (const mi_class *)self->reserved[0];
}

static void qualifier_set(MI_QualifierSet *out, const mi_qualifier_list *list)
{
    if (!out)
        return;
    out->reserved1 = 0;
    out->reserved2 = (ptrdiff_t)list;
    out->ft = &qualifier_set_ft;
}

/* ---- qualifier sets ---- */

static const mi_qualifier_list *list_of(const MI_QualifierSet *self)
{
    return (const mi_qualifier_list *)self->reserved2;
}

static void read_qualifier(const mi_qualifier *q, const MI_Char **name, MI_Type *type,
                           MI_Uint32 *flags, MI_Value *value)
{
    if (name)
        *name = q->name;
    if (type)
        *type = q->type;
    if (flags)
        *flags = q->flavor | (q->is_null ? MI_FLAG_NULL : 0);
    if (value) {
        if (q->is_null)
            memset(value, 0, sizeof *value);
        else
            *value = q->value;
    }
}

static MI_Result MI_CALL qs_count(const MI_QualifierSet *self, MI_Uint32 *count)
{
    if (!self || !count)
        return MI_RESULT_INVALID_PARAMETER;
    *count = mi_qualifier_list_count(list_of(self));
    return MI_RESULT_OK;
}

static MI_Result MI_CALL qs_at(const MI_QualifierSet *self, MI_Uint32 index, const MI_Char **name,
                               MI_Type *type, MI_Uint32 *flags, MI_Value *value)
{
    const mi_qualifier *q = self ? mi_qualifier_list_at(list_of(self), index) : NULL;
    if (!q)
        return self ? MI_RESULT_NOT_FOUND : MI_RESULT_INVALID_PARAMETER;
    read_qualifier(q, name, type, flags, value);
    return MI_RESULT_OK;
}

static MI_Result MI_CALL qs_get(const MI_QualifierSet *self, const MI_Char *name, MI_Type *type,
                                MI_Uint32 *flags, MI_Value *value, MI_Uint32 *index)
{
    if (!self || !name)
        return MI_RESULT_INVALID_PARAMETER;
    const mi_qualifier_list *list = list_of(self);
    for (MI_Uint32 i = 0; i < mi_qualifier_list_count(list); i++) {
        const mi_qualifier *q = mi_qualifier_list_at(list, i);
        if (mi_name_equal(q->name, name)) {
            read_qualifier(q, NULL, type, flags, value);
            if (index)
                *index = i;
            return MI_RESULT_OK;
        }
    }
    return MI_RESULT_NOT_FOUND;
}

static const MI_QualifierSetFT qualifier_set_ft = {qs_count, qs_at, qs_get};

/* ---- parameter sets ---- */

static const mi_method *method_of(const MI_ParameterSet *self)
{
    return (const mi_method *)self->reserved2;
}

static MI_Result MI_CALL ps_return_type(const MI_ParameterSet *self, MI_Type *type,
                                        MI_QualifierSet *qualifiers)
{
    if (!self)
        return MI_RESULT_INVALID_PARAMETER;
    if (type)
        *type = method_of(self)->return_type;
    qualifier_set(qualifiers, &method_of(self)->qualifiers);
    return MI_RESULT_OK;
}

static MI_Result MI_CALL ps_count(const MI_ParameterSet *self, MI_Uint32 *count)
{
    if (!self || !count)
        return MI_RESULT_INVALID_PARAMETER;
    *count = method_of(self)->parameter_count;
    return MI_RESULT_OK;
}

static void read_parameter(const mi_parameter *p, const MI_Char **name, MI_Type *type,
                           MI_Char **ref_class, MI_QualifierSet *qualifiers)
{
    if (name)
        *name = p->name;
    if (type)
        *type = p->type;
    if (ref_class)
        *ref_class = p->ref_class;
    qualifier_set(qualifiers, &p->qualifiers);
}

static MI_Result MI_CALL ps_at(const MI_ParameterSet *self, MI_Uint32 index, const MI_Char **name,
                               MI_Type *type, MI_Char **ref_class, MI_QualifierSet *qualifiers)
{
    if (!self)
        return MI_RESULT_INVALID_PARAMETER;
    const mi_method *m = method_of(self);
    if (index >= m->parameter_count)
        return MI_RESULT_NOT_FOUND;
    read_parameter(&m->parameters[index], name, type, ref_class, qualifiers);
    return MI_RESULT_OK;
}

static MI_Result MI_CALL ps_get(const MI_ParameterSet *self, const MI_Char *name, MI_Type *type,
                                MI_Char **ref_class, MI_QualifierSet *qualifiers, MI_Uint32 *index)
{
    if (!self || !name)
        return MI_RESULT_INVALID_PARAMETER;
    const mi_method *m = method_of(self);
    const mi_parameter *p = mi_method_find_parameter(m, name);
    if (!p)
        return MI_RESULT_NOT_FOUND;
    read_parameter(p, NULL, type, ref_class, qualifiers);
    if (index)
        *index = (MI_Uint32)(p - m->parameters);
    return MI_RESULT_OK;
}

static const MI_ParameterSetFT parameter_set_ft = {ps_return_type, ps_count, ps_at, ps_get};

/* ---- classes ---- */

MI_Result mi_class_object_new(mi_class *cls, const char *ns, MI_Class **out)
{
    *out = NULL;
    if (!cls)
        return MI_RESULT_INVALID_PARAMETER;
    MI_Class *c = calloc(1, sizeof *c);
    char *ns_copy = ns ? strdup(ns) : NULL;
    if (!c || (ns && !ns_copy)) {
        free(c);
        free(ns_copy);
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    }
    mi_class_ref(cls);
    c->ft = &class_ft;
    c->namespaceName = ns_copy;
    c->reserved[0] = (ptrdiff_t)cls;
    *out = c;
    return MI_RESULT_OK;
}

mi_class *mi_class_object_class(const MI_Class *object)
{
    return object && object->ft == &class_ft ? (mi_class *)object->reserved[0] : NULL;
}

static MI_Result MI_CALL get_class_name(const MI_Class *self, const MI_Char **name)
{
    if (!name)
        return MI_RESULT_INVALID_PARAMETER;
    *name = class_of(self)->name;
    return MI_RESULT_OK;
}

static MI_Result MI_CALL get_namespace(const MI_Class *self, const MI_Char **ns)
{
    if (!ns)
        return MI_RESULT_INVALID_PARAMETER;
    *ns = self->namespaceName;
    return MI_RESULT_OK;
}

static MI_Result MI_CALL get_server_name(const MI_Class *self, const MI_Char **name)
{
    if (!name)
        return MI_RESULT_INVALID_PARAMETER;
    *name = self->serverName;
    return MI_RESULT_OK;
}

static MI_Result MI_CALL get_element_count(const MI_Class *self, MI_Uint32 *count)
{
    if (!count)
        return MI_RESULT_INVALID_PARAMETER;
    *count = class_of(self)->property_count;
    return MI_RESULT_OK;
}

static void read_property(const mi_property *p, MI_Value *value, MI_Boolean *exists, MI_Type *type,
                          MI_Char **ref_class, MI_QualifierSet *qualifiers, MI_Uint32 *flags)
{
    if (value) {
        if (p->has_default)
            *value = p->default_value;
        else
            memset(value, 0, sizeof *value);
    }
    if (exists)
        *exists = p->has_default ? MI_TRUE : MI_FALSE;
    if (type)
        *type = p->type;
    if (ref_class)
        *ref_class = p->ref_class;
    qualifier_set(qualifiers, &p->qualifiers);
    if (flags)
        *flags = p->flags | MI_FLAG_PROPERTY | (p->has_default ? 0 : MI_FLAG_NULL);
}

static MI_Result MI_CALL get_element(const MI_Class *self, const MI_Char *name, MI_Value *value,
                                     MI_Boolean *exists, MI_Type *type, MI_Char **ref_class,
                                     MI_QualifierSet *qualifiers, MI_Uint32 *flags,
                                     MI_Uint32 *index)
{
    uint32_t at;
    const mi_property *p = name ? mi_class_find_property(class_of(self), name, &at) : NULL;
    if (!p)
        return name ? MI_RESULT_NO_SUCH_PROPERTY : MI_RESULT_INVALID_PARAMETER;
    read_property(p, value, exists, type, ref_class, qualifiers, flags);
    if (index)
        *index = at;
    return MI_RESULT_OK;
}

static MI_Result MI_CALL get_element_at(const MI_Class *self, MI_Uint32 index, const MI_Char **name,
                                        MI_Value *value, MI_Boolean *exists, MI_Type *type,
                                        MI_Char **ref_class, MI_QualifierSet *qualifiers,
                                        MI_Uint32 *flags)
{
    const mi_class *cls = class_of(self);
    if (index >= cls->property_count)
        return MI_RESULT_NO_SUCH_PROPERTY;
    const mi_property *p = &cls->properties[index];
    if (name)
        *name = p->name;
    read_property(p, value, exists, type, ref_class, qualifiers, flags);
    return MI_RESULT_OK;
}

static MI_Result MI_CALL get_class_qualifier_set(const MI_Class *self, MI_QualifierSet *out)
{
    if (!out)
        return MI_RESULT_INVALID_PARAMETER;
    qualifier_set(out, &class_of(self)->qualifiers);
    return MI_RESULT_OK;
}

static MI_Result MI_CALL get_method_count(const MI_Class *self, MI_Uint32 *count)
{
    if (!count)
        return MI_RESULT_INVALID_PARAMETER;
    *count = class_of(self)->method_count;
    return MI_RESULT_OK;
}

static void method_sets(const mi_method *m, MI_QualifierSet *qualifiers,
                        MI_ParameterSet *parameters)
{
    qualifier_set(qualifiers, &m->qualifiers);
    if (parameters) {
        parameters->reserved1 = 0;
        parameters->reserved2 = (ptrdiff_t)m;
        parameters->ft = &parameter_set_ft;
    }
}

static MI_Result MI_CALL get_method_at(const MI_Class *self, MI_Uint32 index, const MI_Char **name,
                                       MI_QualifierSet *qualifiers, MI_ParameterSet *parameters)
{
    const mi_class *cls = class_of(self);
    if (index >= cls->method_count)
        return MI_RESULT_METHOD_NOT_FOUND;
    if (name)
        *name = cls->methods[index].name;
    method_sets(&cls->methods[index], qualifiers, parameters);
    return MI_RESULT_OK;
}

static MI_Result MI_CALL get_method(const MI_Class *self, const MI_Char *name,
                                    MI_QualifierSet *qualifiers, MI_ParameterSet *parameters,
                                    MI_Uint32 *index)
{
    const mi_class *cls = class_of(self);
    const mi_method *m = name ? mi_class_find_method(cls, name) : NULL;
    if (!m)
        return name ? MI_RESULT_METHOD_NOT_FOUND : MI_RESULT_INVALID_PARAMETER;
    method_sets(m, qualifiers, parameters);
    if (index)
        *index = (MI_Uint32)(m - cls->methods);
    return MI_RESULT_OK;
}

static MI_Result MI_CALL get_parent_class_name(const MI_Class *self, const MI_Char **name)
{
    if (!name)
        return MI_RESULT_INVALID_PARAMETER;
    const mi_class *super = class_of(self)->superclass;
    *name = super ? super->name : NULL;
    return super ? MI_RESULT_OK : MI_RESULT_INVALID_SUPERCLASS;
}

static MI_Result MI_CALL get_parent_class(const MI_Class *self, MI_Class **parent)
{
    if (!parent)
        return MI_RESULT_INVALID_PARAMETER;
    *parent = NULL;
    mi_class *super = class_of(self)->superclass;
    if (!super)
        return MI_RESULT_INVALID_SUPERCLASS;
    return mi_class_object_new(super, self->namespaceName, parent);
}

/* reserved[1]: the MI_Class was made in its caller's memory (MI_Instance_GetClassExt) */
static MI_Result MI_CALL delete_class(MI_Class *self)
{
    mi_class_unref((mi_class *)self->reserved[0]);
    free((char *)self->namespaceName);
    if (self->reserved[1])
        memset(self, 0, sizeof *self);
    else
        free(self);
    return MI_RESULT_OK;
}

MI_Result MI_CALL MI_Instance_GetClassExt(const MI_Instance *self, MI_Class *classToGet)
{
    if (!self || !classToGet)
        return MI_RESULT_INVALID_PARAMETER;
    MI_Class *made = NULL;
    MI_Result r = MI_Instance_GetClass(self, &made);
    if (r != MI_RESULT_OK)
        return r;
    if (made->ft != &class_ft) { /* not this library's: it stays where it was made */
        MI_Class_Delete(made);
        return MI_RESULT_FAILED;
    }
    *classToGet = *made;
    classToGet->reserved[1] = 1;
    free(made);
    return MI_RESULT_OK;
}

static MI_Result MI_CALL clone_class(const MI_Class *self, MI_Class **out)
{
    if (!out)
        return MI_RESULT_INVALID_PARAMETER;
    return mi_class_object_new((mi_class *)class_of(self), self->namespaceName, out);
}

static const MI_ClassFT class_ft = {
    get_class_name, get_namespace,  get_server_name,         get_element_count,
    get_element,    get_element_at, get_class_qualifier_set, get_method_count,
    get_method_at,  get_method,     get_parent_class_name,   get_parent_class,
    delete_class,   clone_class,
};
