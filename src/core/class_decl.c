/*
 * class_decl — see class_decl.h.
 *
 * A declaration's value pointer points at a variable of the C type of the declared type
 * (an MI_Uint16 for uint16, an MI_Char * for string, an MI_ConstStringA for string[]),
 * which is exactly the storage of that member of MI_Value: the value is copied in that
 * many bytes.
 */
#include "class_decl.h"

#include "name.h"
#include "value.h"

#include <stdio.h>
#include <string.h>

enum { MAX_DEPTH = 256 };

/* Bytes of MI_Value a value of type takes. */
static size_t value_size(MI_Type type)
{
    return (type & MI_ARRAY) ? sizeof(MI_Array) : mi_type_size(type);
}

/* The value a declaration points at, or NULL for none. */
static const MI_Value *value_at(const void *p, MI_Type type, MI_Value *storage)
{
    if (!p)
        return NULL;
    memset(storage, 0, sizeof *storage);
    memcpy(storage, p, value_size(type));
    return storage;
}

static MI_Result add_qualifiers(mi_qualifier_list *list, MI_Qualifier MI_CONST *MI_CONST *q,
                                MI_Uint32 count, const char *owner, mi_error *err)
{
    for (MI_Uint32 i = 0; i < count; i++) {
        if (!q || !q[i] || !q[i]->name)
            return mi_error_set(err, MI_RESULT_INVALID_PARAMETER,
                                "%s: qualifier %u has no declaration or name", owner, i);
        MI_Value v;
        const MI_Value *value = value_at(q[i]->value, (MI_Type)q[i]->type, &v);
        MI_Result r =
            mi_qualifier_list_add(list, q[i]->name, (MI_Type)q[i]->type, value, q[i]->flavor, err);
        if (r != MI_RESULT_OK)
            return r;
    }
    return MI_RESULT_OK;
}

/* The flags of a declared feature a class keeps (not the scope and flavor bits). */
static MI_Uint32 feature_flags(MI_Uint32 flags)
{
    return flags & (MI_FLAG_KEY | MI_FLAG_IN | MI_FLAG_OUT | MI_FLAG_REQUIRED | MI_FLAG_STATIC |
                    MI_FLAG_EXPENSIVE | MI_FLAG_STREAM | MI_FLAG_READONLY);
}

/* Whether a feature of decl is the class's own (declared or overridden here) rather than
 * one its superclass brings unchanged. */
static bool own_feature(const MI_ClassDecl *decl, const mi_class *super, const char *name,
                        const char *propagator, bool method)
{
    if (!super)
        return true;
    bool inherited = method ? mi_class_find_method(super, name) != NULL
                            : mi_class_find_property(super, name, NULL) != NULL;
    return !inherited || !propagator || mi_name_equal(propagator, decl->name);
}

static MI_Result build(const MI_ClassDecl *decl, int depth, mi_class **out, mi_error *err)
{
    *out = NULL;
    if (!decl || !decl->name || !*decl->name)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "a class declaration without a name");
    if (depth > MAX_DEPTH)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER,
                            "class %s: superclass declarations nest more than %d deep", decl->name,
                            MAX_DEPTH);
    mi_class *super = NULL;
    MI_Result r = MI_RESULT_OK;
    if (decl->superClassDecl)
        r = build(decl->superClassDecl, depth + 1, &super, err);
    else if (decl->superClass && *decl->superClass)
        r = mi_error_set(err, MI_RESULT_INVALID_SUPERCLASS,
                         "class %s names superclass %s but carries no declaration of it",
                         decl->name, decl->superClass);
    mi_class *cls = NULL;
    if (r == MI_RESULT_OK)
        r = mi_class_new(&cls, decl->name, super, err);
    mi_class_unref(super); /* the class holds it now */
    if (r == MI_RESULT_OK)
        r = add_qualifiers(&cls->qualifiers, decl->qualifiers, decl->numQualifiers, decl->name,
                           err);
    if (r == MI_RESULT_OK && cls->superclass) /* what it passes down and the class does not set */
        r = mi_qualifier_list_inherit(&cls->qualifiers, &cls->superclass->qualifiers, err);
    for (MI_Uint32 i = 0; r == MI_RESULT_OK && i < decl->numProperties; i++) {
        const MI_PropertyDecl *p = decl->properties ? decl->properties[i] : NULL;
        if (!p || !p->name) {
            r = mi_error_set(err, MI_RESULT_INVALID_PARAMETER,
                             "class %s: property %u has no declaration or name", decl->name, i);
            break;
        }
        if (!own_feature(decl, cls->superclass, p->name, p->propagator, false))
            continue;
        MI_Value v;
        mi_feature_spec spec = {
            p->name,      (MI_Type)p->type,        p->className,
            p->subscript, feature_flags(p->flags), value_at(p->value, (MI_Type)p->type, &v)};
        uint32_t at;
        r = mi_class_add_property(cls, &spec, &at, err);
        if (r == MI_RESULT_OK) {
            char owner[300];
            snprintf(owner, sizeof owner, "%s.%s", decl->name, p->name);
            r = add_qualifiers(&mi_class_property_at(cls, at)->qualifiers, p->qualifiers,
                               p->numQualifiers, owner, err);
        }
    }
    for (MI_Uint32 i = 0; r == MI_RESULT_OK && i < decl->numMethods; i++) {
        const MI_MethodDecl *m = decl->methods ? decl->methods[i] : NULL;
        if (!m || !m->name) {
            r = mi_error_set(err, MI_RESULT_INVALID_PARAMETER,
                             "class %s: method %u has no declaration or name", decl->name, i);
            break;
        }
        if (!own_feature(decl, cls->superclass, m->name, m->propagator, true))
            continue;
        uint32_t at;
        r = mi_class_add_method(cls, m->name, (MI_Type)m->returnType, &at, err);
        mi_method *method = r == MI_RESULT_OK ? mi_class_method_at(cls, at) : NULL;
        char owner[300];
        snprintf(owner, sizeof owner, "%s.%s", decl->name, m->name);
        if (method)
            r = add_qualifiers(&method->qualifiers, m->qualifiers, m->numQualifiers, owner, err);
        for (MI_Uint32 k = 0; r == MI_RESULT_OK && k < m->numParameters; k++) {
            const MI_ParameterDecl *pd = m->parameters ? m->parameters[k] : NULL;
            if (!pd || !pd->name) {
                r = mi_error_set(err, MI_RESULT_INVALID_PARAMETER,
                                 "%s: parameter %u has no declaration or name", owner, k);
                break;
            }
            if (mi_name_equal(pd->name, "MIReturn"))
                continue; /* the return value, declared as a parameter by generated code */
            mi_feature_spec spec = {pd->name,      (MI_Type)pd->type,        pd->className,
                                    pd->subscript, feature_flags(pd->flags), NULL};
            uint32_t p_at;
            r = mi_method_add_parameter(method, &spec, &p_at, err);
            if (r == MI_RESULT_OK)
                r = add_qualifiers(&method->parameters[p_at].qualifiers, pd->qualifiers,
                                   pd->numQualifiers, owner, err);
        }
    }
    if (r != MI_RESULT_OK) {
        mi_class_unref(cls);
        return r;
    }
    mi_class_flags_from_qualifiers(cls);
    cls->flags |= decl->flags & (MI_FLAG_ASSOCIATION | MI_FLAG_INDICATION | MI_FLAG_ABSTRACT);
    *out = cls;
    return MI_RESULT_OK;
}

MI_Result mi_class_from_decl(const MI_ClassDecl *decl, mi_class **out, mi_error *err)
{
    return build(decl, 0, out, err);
}
