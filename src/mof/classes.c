/*
 * classes — class declarations to mi_class: superclasses resolved in any order (a class
 * is built when first needed), qualifiers checked against their declarations (scope,
 * type, DisableOverride), overrides matched to the inherited member, and the rules of
 * DSP0004 on keys and associations.
 *
 * A class whose members have errors is still built, so that its subclasses and instances
 * do not repeat the same complaint; the compile fails all the same.
 */
#include "compile.h"

#include "core/value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { VISIT_NONE, VISIT_ACTIVE, VISIT_DONE, VISIT_FAILED };

/* ---- qualifiers on elements ---- */

static const char *scope_noun(uint32_t scope)
{
    switch (scope) {
    case MI_FLAG_CLASS:
        return "class";
    case MI_FLAG_ASSOCIATION:
        return "association";
    case MI_FLAG_INDICATION:
        return "indication";
    case MI_FLAG_PROPERTY:
        return "property";
    case MI_FLAG_REFERENCE:
        return "reference";
    case MI_FLAG_METHOD:
        return "method";
    default:
        return "parameter";
    }
}

static void describe_scope(uint32_t scope, char *out, size_t size)
{
    static const uint32_t order[] = {MI_FLAG_CLASS,    MI_FLAG_ASSOCIATION, MI_FLAG_INDICATION,
                                     MI_FLAG_PROPERTY, MI_FLAG_REFERENCE,   MI_FLAG_METHOD,
                                     MI_FLAG_PARAMETER};
    out[0] = '\0';
    if ((scope & MI_FLAG_ANY) == MI_FLAG_ANY) {
        snprintf(out, size, "any");
        return;
    }
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        if (scope & order[i]) {
            size_t used = strlen(out);
            snprintf(out + used, size - used, "%s%s", used ? ", " : "", scope_noun(order[i]));
        }
    }
    if (!out[0])
        snprintf(out, size, "qualifier");
}

/* An association or indication also accepts what a plain class accepts. */
static bool scope_allows(uint32_t declared, uint32_t element)
{
    if (declared & element)
        return true;
    return (element == MI_FLAG_ASSOCIATION || element == MI_FLAG_INDICATION) &&
           (declared & MI_FLAG_CLASS);
}

static uint32_t effective_flavor(uint32_t declared, uint32_t written)
{
    uint32_t flavor = declared;
    if (written & (MI_FLAG_ENABLEOVERRIDE | MI_FLAG_DISABLEOVERRIDE))
        flavor = (flavor & ~(uint32_t)(MI_FLAG_ENABLEOVERRIDE | MI_FLAG_DISABLEOVERRIDE)) |
                 (written & (MI_FLAG_ENABLEOVERRIDE | MI_FLAG_DISABLEOVERRIDE));
    if (written & (MI_FLAG_TOSUBCLASS | MI_FLAG_RESTRICTED))
        flavor = (flavor & ~(uint32_t)(MI_FLAG_TOSUBCLASS | MI_FLAG_RESTRICTED)) |
                 (written & (MI_FLAG_TOSUBCLASS | MI_FLAG_RESTRICTED));
    return flavor | (written & (MI_FLAG_TRANSLATABLE | MI_FLAG_TOINSTANCE));
}

static bool same_qualifier_value(const mi_qualifier *q, const MI_Value *value, bool is_null)
{
    if (q->is_null || is_null)
        return q->is_null == is_null;
    return mi_value_equal(&q->value, value, q->type);
}

/* Adds the qualifiers written on an element to list. inherited (may be NULL) holds what
 * the element inherits, for the DisableOverride rule. element names it in messages. */
static bool add_qualifiers(mof_compiler *c, const char *ns, const mof_qualifier *written,
                           uint32_t scope, const char *element, mi_qualifier_list *list,
                           const mi_qualifier_list *inherited)
{
    bool ok = true;
    for (const mof_qualifier *q = written; q && !c->stopped; q = q->next) {
        const mi_qualifier_decl *decl = mof_find_qualifier_decl(c, ns, q->name);
        if (!decl) {
            ok = mof_error(c, &q->pos,
                           "unknown qualifier '%s' on %s (declare it first: Qualifier %s : "
                           "type, Scope(...);)",
                           q->name, element, q->name);
            continue;
        }
        if (!scope_allows(decl->scope, scope)) {
            char scopes[160];
            describe_scope(decl->scope, scopes, sizeof scopes);
            ok = mof_error(c, &q->pos, "qualifier '%s' cannot be used on %s; its scope is %s",
                           q->name, element, scopes);
            continue;
        }
        MI_Value value;
        bool is_null = false;
        memset(&value, 0, sizeof value);
        if (!q->value) {
            if (decl->type != MI_BOOLEAN) {
                ok = mof_error(c, &q->pos, "qualifier '%s' on %s needs a value of type %s", q->name,
                               element, mi_type_name(decl->type));
                continue;
            }
            value.boolean = MI_TRUE;
        } else {
            mof_subject subject = {{"qualifier '", q->name, "' on ", element, NULL}};
            if (!mof_convert_value(c, q->value, decl->type, decl->array_max, &subject, &value,
                                   &is_null)) {
                ok = false;
                continue;
            }
        }
        const mi_qualifier *before = inherited ? mi_qualifier_list_find(inherited, q->name) : NULL;
        if (before && (before->flavor & MI_FLAG_DISABLEOVERRIDE) &&
            !same_qualifier_value(before, &value, is_null)) {
            ok = mof_error(c, &q->pos,
                           "qualifier '%s' on %s cannot change the inherited value (its flavor "
                           "is DisableOverride)",
                           q->name, element);
            continue;
        }
        uint32_t flavor = effective_flavor(decl->flavor, q->flavor);
        mi_error err;
        MI_Result r = mi_qualifier_list_add(list, decl->name, decl->type, is_null ? NULL : &value,
                                            flavor, &err);
        if (r == MI_RESULT_ALREADY_EXISTS)
            ok = mof_error(c, &q->pos, "qualifier '%s' is given twice on %s", q->name, element);
        else if (r != MI_RESULT_OK)
            return mof_out_of_memory(c, &q->pos);
    }
    return ok;
}

static bool qualifier_true(const mi_qualifier_list *list, const char *name)
{
    return mi_qualifier_list_true(list, name);
}

static const char *qualifier_string(const mi_qualifier_list *list, const char *name)
{
    const mi_qualifier *q = mi_qualifier_list_find(list, name);
    return q && !q->is_null && q->type == MI_STRING ? q->value.string : NULL;
}

static const mof_qualifier *written_qualifier(const mof_qualifier *list, const char *name)
{
    for (; list; list = list->next) {
        if (mi_name_equal(list->name, name))
            return list;
    }
    return NULL;
}

/* Whether the written qualifier list says name (no value, or true). */
static bool written_true(const mof_qualifier *list, const char *name)
{
    const mof_qualifier *q = written_qualifier(list, name);
    return q && (!q->value || (q->value->kind == MOF_VALUE_BOOLEAN && q->value->u.boolean));
}

/* ---- overrides ---- */

typedef enum member_kind { MEMBER_PROPERTY, MEMBER_REFERENCE, MEMBER_METHOD } member_kind;

static const char *member_noun(member_kind kind)
{
    return kind == MEMBER_PROPERTY ? "property" : kind == MEMBER_REFERENCE ? "reference" : "method";
}

/* The inherited member a feature overrides: named by its Override qualifier, or (without
 * one) an inherited member of the same name, which is overridden with a warning. Returns
 * false after reporting a bad Override. */
static bool find_overridden(mof_compiler *c, const mi_class *super, const mof_feature *f,
                            member_kind kind, const char *element, const mi_property **property,
                            const mi_method **method)
{
    *property = NULL;
    *method = NULL;
    const mof_qualifier *q = written_qualifier(f->qualifiers, "Override");
    const char *name = f->name;
    if (q) {
        if (!q->value || q->value->kind != MOF_VALUE_STRING)
            return true; /* add_qualifiers reports the bad value */
        name = q->value->u.string;
        if (!mi_name_equal(name, f->name))
            return mof_error(c, &q->pos,
                             "Override(\"%s\") on %s: an override keeps the name of the member "
                             "it overrides",
                             name, element);
        if (!super)
            return mof_error(c, &q->pos, "Override(\"%s\") on %s: the class has no superclass",
                             name, element);
    }
    const mi_property *p = super ? mi_class_find_property(super, name, NULL) : NULL;
    const mi_method *m = super ? mi_class_find_method(super, name) : NULL;
    member_kind found =
        p ? (MI_TYPE_SCALAR(p->type) == MI_REFERENCE ? MEMBER_REFERENCE : MEMBER_PROPERTY)
          : MEMBER_METHOD;
    if (!p && !m) {
        if (q)
            return mof_error(c, &q->pos,
                             "Override(\"%s\") on %s: class '%s' has no %s '%s' to override", name,
                             element, super->name, member_noun(kind), name);
        return true;
    }
    if (found != kind) {
        if (q)
            return mof_error(c, &q->pos, "Override(\"%s\") on %s: '%s' inherited from '%s' is a %s",
                             name, element, name, (p ? p->origin : m->origin), member_noun(found));
        return mof_error(c, &f->pos, "%s redeclares the inherited %s '%s' as a %s", element,
                         member_noun(found), name, member_noun(kind));
    }
    if (!q)
        mof_warning(c, &f->pos,
                    "%s hides the inherited %s of the same name; write [Override(\"%s\")] to "
                    "override it",
                    element, member_noun(kind), f->name);
    *property = p;
    *method = m;
    return true;
}

/* ---- members ---- */

/* string + EmbeddedInstance("C") or EmbeddedObject is an embedded instance. */
static MI_Type embedded_type(MI_Type type, const mi_qualifier_list *qualifiers,
                             const char **class_name)
{
    if (MI_TYPE_SCALAR(type) != MI_STRING)
        return type;
    const char *embedded = qualifier_string(qualifiers, "EmbeddedInstance");
    if (embedded || qualifier_true(qualifiers, "EmbeddedObject")) {
        *class_name = embedded;
        return MI_INSTANCE | (type & MI_ARRAY);
    }
    return type;
}

static void build_property(mof_compiler *c, const mof_class *decl, mi_class *cls,
                           const mi_class *super, const mof_feature *f)
{
    const char *ns = decl->namespace_name;
    bool is_ref = f->type.scalar == MI_REFERENCE;
    member_kind kind = is_ref ? MEMBER_REFERENCE : MEMBER_PROPERTY;
    char element[300];
    mof_join(element, sizeof element, member_noun(kind), " '", decl->name, ".", f->name, "'", NULL);
    const mi_property *overridden;
    const mi_method *unused;
    if (!find_overridden(c, super, f, kind, element, &overridden, &unused))
        overridden = NULL;

    mi_qualifier_list qualifiers = {0};
    add_qualifiers(c, ns, f->qualifiers, is_ref ? MI_FLAG_REFERENCE : MI_FLAG_PROPERTY, element,
                   &qualifiers, overridden ? &overridden->qualifiers : NULL);
    mi_error err;
    if (overridden && mi_qualifier_list_inherit(&qualifiers, &overridden->qualifiers, &err)) {
        mi_qualifier_list_free(&qualifiers);
        mof_out_of_memory(c, &f->pos);
        return;
    }

    MI_Type type = f->type.scalar | (f->type.is_array ? MI_ARRAY : 0);
    const char *ref_class = f->type.ref_class;
    type = embedded_type(type, &qualifiers, &ref_class);
    MI_Uint32 flags = 0;
    if (qualifier_true(&qualifiers, "Key"))
        flags |= MI_FLAG_KEY;
    if (qualifier_true(&qualifiers, "Required"))
        flags |= MI_FLAG_REQUIRED;
    if (qualifier_true(&qualifiers, "Static"))
        flags |= MI_FLAG_STATIC;

    if (overridden && MI_TYPE_SCALAR(type) != MI_REFERENCE && overridden->type != type)
        mof_error(c, &f->type.pos, "%s cannot change the type of the inherited %s from %s to %s",
                  element, member_noun(kind), mi_type_name(overridden->type), mi_type_name(type));
    if (is_ref && !(cls->flags & MI_FLAG_ASSOCIATION))
        mof_error(c, &f->pos,
                  "%s: only an association can have references ('%s' is not one; add "
                  "[Association])",
                  element, decl->name);
    if ((flags & MI_FLAG_KEY) && !overridden && super && super->key_count > 0)
        mof_error(c, &f->pos, "%s: a subclass cannot add keys ('%s' already has the keys of '%s')",
                  element, decl->name, super->name);
    /* Whatever flavor a store gives Key, a subclass keeps the keys it inherits. */
    if (overridden && (overridden->flags & MI_FLAG_KEY) && !(flags & MI_FLAG_KEY))
        mof_error(c, &f->pos, "%s: a subclass cannot remove the key '%s' of '%s'", element, f->name,
                  overridden->origin);
    if ((flags & MI_FLAG_KEY) && f->type.is_array)
        mof_error(c, &f->pos, "%s: an array cannot be a key", element);

    MI_Value value;
    bool is_null = true;
    if (f->default_value) {
        mof_subject subject = {{"default of ", element, NULL}};
        if (is_ref || MI_TYPE_SCALAR(type) == MI_INSTANCE) {
            if (f->default_value->kind != MOF_VALUE_NULL)
                mof_error(c, &f->default_value->pos, "default of %s: only null can be given here",
                          element);
        } else if (!mof_convert_value(c, f->default_value, type, f->type.array_size, &subject,
                                      &value, &is_null)) {
            is_null = true;
        }
    }

    mi_feature_spec spec = {
        f->name, type, ref_class, f->type.array_size, flags, is_null ? NULL : &value};
    uint32_t index;
    MI_Result r = mi_class_add_property(cls, &spec, &index, &err);
    if (r != MI_RESULT_OK) {
        mi_qualifier_list_free(&qualifiers);
        if (r == MI_RESULT_SERVER_LIMITS_EXCEEDED)
            mof_out_of_memory(c, &f->pos);
        else if (r == MI_RESULT_ALREADY_EXISTS)
            mof_error(c, &f->pos, "%s is declared twice", element);
        else
            mof_error_from(c, &f->pos, NULL, &err);
        return;
    }
    mi_property *p = mi_class_property_at(cls, index);
    mi_qualifier_list_free(&p->qualifiers);
    p->qualifiers = qualifiers;
}

static void build_parameter(mof_compiler *c, const char *ns, mi_method *m,
                            const mof_parameter *param, const char *method_element)
{
    char element[400];
    mof_join(element, sizeof element, "parameter '", param->name, "' of ", method_element, NULL);
    mi_qualifier_list qualifiers = {0};
    add_qualifiers(c, ns, param->qualifiers, MI_FLAG_PARAMETER, element, &qualifiers, NULL);
    MI_Type type = param->type.scalar | (param->type.is_array ? MI_ARRAY : 0);
    const char *ref_class = param->type.ref_class;
    type = embedded_type(type, &qualifiers, &ref_class);
    const mi_qualifier *in = mi_qualifier_list_find(&qualifiers, "In");
    const mi_qualifier_decl *in_decl = in ? NULL : mof_find_qualifier_decl(c, ns, "In");
    bool is_in = in ? (!in->is_null && in->value.boolean)
                    : (in_decl && in_decl->has_default && in_decl->default_value.boolean);
    MI_Uint32 flags =
        (is_in ? MI_FLAG_IN : 0) | (qualifier_true(&qualifiers, "Out") ? MI_FLAG_OUT : 0);
    if (param->default_value) {
        MI_Value ignored;
        bool is_null;
        mof_subject subject = {{"default of ", element, NULL}};
        if (param->type.scalar != MI_REFERENCE && MI_TYPE_SCALAR(type) != MI_INSTANCE)
            mof_convert_value(c, param->default_value, type, param->type.array_size, &subject,
                              &ignored, &is_null);
    }
    mi_feature_spec spec = {param->name, type, ref_class, param->type.array_size, flags, NULL};
    uint32_t index;
    mi_error err;
    MI_Result r = mi_method_add_parameter(m, &spec, &index, &err);
    if (r != MI_RESULT_OK) {
        mi_qualifier_list_free(&qualifiers);
        if (r == MI_RESULT_ALREADY_EXISTS)
            mof_error(c, &param->pos, "%s is declared twice", element);
        else if (r == MI_RESULT_SERVER_LIMITS_EXCEEDED)
            mof_out_of_memory(c, &param->pos);
        else
            mof_error_from(c, &param->pos, NULL, &err);
        return;
    }
    m->parameters[index].qualifiers = qualifiers;
}

static void build_method(mof_compiler *c, const mof_class *decl, mi_class *cls,
                         const mi_class *super, const mof_feature *f)
{
    const char *ns = decl->namespace_name;
    char element[300];
    mof_join(element, sizeof element, "method '", decl->name, ".", f->name, "'", NULL);
    const mi_property *unused;
    const mi_method *overridden;
    if (!find_overridden(c, super, f, MEMBER_METHOD, element, &unused, &overridden))
        overridden = NULL;
    mi_qualifier_list qualifiers = {0};
    add_qualifiers(c, ns, f->qualifiers, MI_FLAG_METHOD, element, &qualifiers,
                   overridden ? &overridden->qualifiers : NULL);
    mi_error err;
    if (overridden && mi_qualifier_list_inherit(&qualifiers, &overridden->qualifiers, &err)) {
        mi_qualifier_list_free(&qualifiers);
        mof_out_of_memory(c, &f->pos);
        return;
    }
    uint32_t index;
    MI_Result r = mi_class_add_method(cls, f->name, f->type.scalar, &index, &err);
    if (r != MI_RESULT_OK) {
        mi_qualifier_list_free(&qualifiers);
        if (r == MI_RESULT_ALREADY_EXISTS)
            mof_error(c, &f->pos, "%s is declared twice", element);
        else if (r == MI_RESULT_SERVER_LIMITS_EXCEEDED)
            mof_out_of_memory(c, &f->pos);
        else
            mof_error_from(c, &f->pos, NULL, &err);
        return;
    }
    mi_method *m = mi_class_method_at(cls, index);
    mi_qualifier_list_free(&m->qualifiers);
    m->qualifiers = qualifiers;
    for (const mof_parameter *param = f->parameters; param && !c->stopped; param = param->next)
        build_parameter(c, ns, m, param, element);
}

/* ---- classes ---- */

static mi_class *build(mof_compiler *c, mof_class *decl)
{
    mi_class *super = NULL;
    if (decl->superclass) {
        bool known = false;
        super = mof_find_class(c, decl->namespace_name, decl->superclass, &known);
        if (!super) {
            if (!known)
                mof_error(c, &decl->superclass_pos, "unknown superclass '%s' of class '%s'",
                          decl->superclass, decl->name);
            return NULL;
        }
    }
    uint32_t depth = 1;
    for (const mi_class *above = super; above; above = above->superclass)
        depth++;
    if (depth > MOF_MAX_CLASS_DEPTH) {
        mof_error(c, &decl->pos, "class '%s' lies more than %d levels below its root class",
                  decl->name, MOF_MAX_CLASS_DEPTH);
        return NULL;
    }
    mi_class *cls;
    mi_error err;
    if (mi_class_new(&cls, decl->name, super, &err) != MI_RESULT_OK) {
        mof_error_from(c, &decl->pos, NULL, &err);
        return NULL;
    }
    bool association = (super && (super->flags & MI_FLAG_ASSOCIATION)) ||
                       written_true(decl->qualifiers, "Association");
    bool indication = (super && (super->flags & MI_FLAG_INDICATION)) ||
                      written_true(decl->qualifiers, "Indication");
    uint32_t scope = association  ? MI_FLAG_ASSOCIATION
                     : indication ? MI_FLAG_INDICATION
                                  : MI_FLAG_CLASS;
    char element[300];
    mof_join(element, sizeof element, scope_noun(scope), " '", decl->name, "'", NULL);
    add_qualifiers(c, decl->namespace_name, decl->qualifiers, scope, element, &cls->qualifiers,
                   super ? &super->qualifiers : NULL);
    if (super && mi_qualifier_list_inherit(&cls->qualifiers, &super->qualifiers, &err)) {
        mi_class_unref(cls);
        mof_out_of_memory(c, &decl->pos);
        return NULL;
    }
    mi_class_flags_from_qualifiers(cls);
    if (qualifier_true(&cls->qualifiers, "Association") && super &&
        !(super->flags & MI_FLAG_ASSOCIATION))
        mof_error(c, &decl->pos,
                  "association '%s' cannot derive from '%s', which is not an association",
                  decl->name, super->name);
    if (super && qualifier_true(&super->qualifiers, "Terminal"))
        mof_error(c, &decl->superclass_pos, "class '%s' cannot derive from '%s', which is Terminal",
                  decl->name, super->name);

    for (const mof_feature *f = decl->features; f && !c->stopped; f = f->next) {
        if (f->kind == MOF_FEATURE_METHOD)
            build_method(c, decl, cls, super, f);
        else
            build_property(c, decl, cls, super, f);
    }
    if (cls->flags & MI_FLAG_ASSOCIATION) {
        uint32_t references = 0;
        for (uint32_t i = 0; i < cls->property_count; i++)
            references += MI_TYPE_SCALAR(cls->properties[i].type) == MI_REFERENCE;
        if (references < 2)
            mof_error(c, &decl->pos, "association '%s' needs at least two references, it has %u",
                      decl->name, references);
    }
    return cls;
}

/* Builds decl, whose superclass is built (or failed) already. */
static void build_one(mof_compiler *c, mof_class *decl)
{
    bool quiet = c->quiet;
    c->quiet = decl->broken;
    mi_class *cls = build(c, decl);
    c->quiet = quiet;
    if (!cls) {
        decl->visit = VISIT_FAILED;
        return;
    }
    if (mi_batch_add_class(&c->batch, decl->namespace_name, cls) != MI_RESULT_OK) {
        decl->visit = VISIT_FAILED;
        mof_out_of_memory(c, &decl->pos);
        return;
    }
    decl->visit = VISIT_DONE;
    decl->built = cls; /* the batch holds the reference */
}

/* The declaration of decl's superclass in this compile, if it has one there. */
static mof_class *local_superclass(mof_compiler *c, const mof_class *decl)
{
    if (!decl->superclass)
        return NULL;
    return mof_table_find(&c->classes, mof_scoped_key(c, decl->namespace_name, decl->superclass));
}

mi_class *mof_build_class(mof_compiler *c, mof_class *decl)
{
    if (decl->visit == VISIT_DONE)
        return decl->built;
    if (decl->visit != VISIT_NONE)
        return NULL;
    /* Walk up through the superclasses not built yet, then build them top down: no
     * recursion, however deep the hierarchy. */
    mof_class **chain = NULL;
    uint32_t count = 0, capacity = 0;
    bool failed = false;
    mof_class *cur = decl;
    while (cur && cur->visit == VISIT_NONE) {
        if (count == capacity) {
            capacity = capacity ? capacity * 2 : 16;
            mof_class **grown = realloc(chain, capacity * sizeof *grown);
            if (!grown) {
                mof_out_of_memory(c, &decl->pos);
                failed = true;
                break;
            }
            chain = grown;
        }
        chain[count++] = cur;
        cur->visit = VISIT_ACTIVE;
        cur = local_superclass(c, cur);
    }
    if (!failed && cur && cur->visit == VISIT_ACTIVE) {
        mof_error(c, &cur->pos, "class '%s' derives from itself (a cycle of superclasses)",
                  cur->name);
        failed = true;
    }
    for (uint32_t i = count; i-- > 0;) {
        if (failed)
            chain[i]->visit = VISIT_FAILED;
        else
            build_one(c, chain[i]);
    }
    free(chain);
    return decl->visit == VISIT_DONE ? decl->built : NULL;
}

/* ---- checks that need every class of the compile ---- */

static void check_class_name(mof_compiler *c, const char *ns, const char *name, const mof_pos *pos,
                             const char *element)
{
    bool known = false;
    mof_find_class(c, ns, name, &known);
    if (!known)
        mof_error(c, pos, "unknown class '%s' in %s", name, element);
}

static void check_references(mof_compiler *c, mof_class *decl)
{
    mi_class *cls = decl->built;
    const mi_class *super = cls->superclass;
    const char *ns = decl->namespace_name;
    for (const mof_feature *f = decl->features; f && !c->stopped; f = f->next) {
        char element[300];
        if (f->kind == MOF_FEATURE_METHOD) {
            for (const mof_parameter *p = f->parameters; p; p = p->next) {
                if (p->type.scalar != MI_REFERENCE)
                    continue;
                snprintf(element, sizeof element, "parameter '%s' of method '%s.%s'", p->name,
                         decl->name, f->name);
                check_class_name(c, ns, p->type.ref_class, &p->type.pos, element);
            }
            continue;
        }
        if (f->type.scalar != MI_REFERENCE)
            continue;
        snprintf(element, sizeof element, "reference '%s.%s'", decl->name, f->name);
        bool known = false;
        mi_class *target = mof_find_class(c, ns, f->type.ref_class, &known);
        if (!known) {
            mof_error(c, &f->type.pos, "unknown class '%s' in %s", f->type.ref_class, element);
            continue;
        }
        const mi_property *overridden = super ? mi_class_find_property(super, f->name, NULL) : NULL;
        if (target && overridden && overridden->ref_class &&
            !mi_class_is_a(target, overridden->ref_class))
            mof_error(c, &f->type.pos,
                      "%s: class '%s' is not a subclass of '%s', the class of the reference it "
                      "overrides",
                      element, f->type.ref_class, overridden->ref_class);
    }
}

void mof_compile_classes(mof_compiler *c)
{
    for (mof_class *decl = c->unit.classes; decl && !c->stopped; decl = decl->next) {
        const char *key = mof_scoped_key(c, decl->namespace_name, decl->name);
        void *existing;
        bool nomem;
        if (!mof_table_add(&c->classes, key, decl, &existing, &nomem)) {
            if (nomem) {
                mof_out_of_memory(c, &decl->pos);
                return;
            }
            const mof_class *first = existing;
            char where[300];
            mof_error(c, &decl->pos, "class '%s' is declared twice (first at %s)", decl->name,
                      mof_where(&first->pos, &decl->pos, where, sizeof where));
            decl->visit = VISIT_FAILED;
            continue;
        }
        if (!c->options.replace_existing && c->store && c->store->find_class &&
            c->store->find_class(c->store->context, decl->namespace_name, decl->name)) {
            mof_error(c, &decl->pos, "class '%s' already exists in namespace %s", decl->name,
                      decl->namespace_name);
            decl->visit = VISIT_FAILED;
        }
    }
    for (mof_class *decl = c->unit.classes; decl && !c->stopped; decl = decl->next)
        mof_build_class(c, decl);
    for (mof_class *decl = c->unit.classes; decl && !c->stopped; decl = decl->next) {
        if (decl->visit == VISIT_DONE && !decl->broken)
            check_references(c, decl);
    }
}
