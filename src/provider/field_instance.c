/*
 * field_instance — see field_instance.h.
 *
 * A field MI_<Type>Field is { value; MI_Boolean exists; MI_Uint8 flags; }: exists sits
 * right after the value, whose size is that of the MI_Value member of its type. The
 * library's bookkeeping (which declaration, namespace, what it owns) lives in a side
 * block that reserved[0] of the MI_Instance header points at.
 */
#include "field_instance.h"

#include "core/instance.h"
#include "core/name.h"
#include "core/value.h"

#include <stdlib.h>
#include <string.h>

/* The layout of one feature: property and parameter declarations share these. */
typedef struct feature {
    const char *name;
    MI_Uint32 flags;
    MI_Type type;
    MI_Uint32 offset;
    const void *default_value; /* properties only */
} feature;

typedef struct side {
    const MI_ClassDecl *class_decl;   /* or */
    const MI_MethodDecl *method_decl; /* the parameters of a method */
    const char *name;
    MI_Uint32 count;
    MI_Uint32 size;
    bool heap; /* the instance's memory is the library's: Delete frees it */
    char *ns;
    char *server;
    /* per feature: a value the library stored and owns (type: the feature's) */
    MI_Value *owned;
    bool *owns;
} side;

static const MI_InstanceExFT field_ft;

static side *side_of(const MI_Instance *self)
{
    return (side *)self->reserved[0];
}

bool mi_field_instance_is(const MI_Instance *self)
{
    return self && self->ft == &field_ft.parent;
}

const MI_ClassDecl *mi_field_instance_decl(const MI_Instance *self)
{
    return mi_field_instance_is(self) ? side_of(self)->class_decl : NULL;
}

static size_t value_size(MI_Type type)
{
    return (type & MI_ARRAY) ? sizeof(MI_Array) : mi_type_size(type);
}

static feature feature_at(const side *s, MI_Uint32 i)
{
    feature f = {0};
    if (s->class_decl) {
        const MI_PropertyDecl *p = s->class_decl->properties[i];
        f = (feature){p->name, p->flags, (MI_Type)p->type, p->offset, p->value};
    } else {
        const MI_ParameterDecl *p = s->method_decl->parameters[i];
        f = (feature){p->name, p->flags, (MI_Type)p->type, p->offset, NULL};
    }
    return f;
}

static char *field_at(const MI_Instance *self, const feature *f)
{
    return (char *)self + f->offset;
}

static MI_Boolean *exists_at(const MI_Instance *self, const feature *f)
{
    return (MI_Boolean *)(field_at(self, f) + value_size(f->type));
}

static bool find_feature(const side *s, const char *name, MI_Uint32 *at)
{
    for (MI_Uint32 i = 0; name && i < s->count; i++)
        if (mi_name_equal(feature_at(s, i).name, name)) {
            *at = i;
            return true;
        }
    return false;
}

static void release_owned(side *s, MI_Uint32 i, MI_Type type)
{
    if (s->owns[i])
        mi_value_release(&s->owned[i], type);
    s->owns[i] = false;
}

/* Checks the declaration enough that walking its features cannot fault. */
static bool layout_fits(const side *s)
{
    if (!s->name || s->size < sizeof(MI_Instance) || (s->count && !s->owned))
        return false;
    for (MI_Uint32 i = 0; i < s->count; i++) {
        const void *decl = s->class_decl ? (const void *)s->class_decl->properties[i]
                                         : (const void *)s->method_decl->parameters[i];
        if (!decl)
            return false;
        feature f = feature_at(s, i);
        if (!f.name || !mi_type_valid(f.type) || f.offset < sizeof(MI_Instance) ||
            f.offset + value_size(f.type) + 2 > s->size)
            return false;
    }
    return true;
}

static MI_Result construct(MI_Instance *self, const MI_ClassDecl *cdecl, const MI_MethodDecl *mdecl,
                           bool heap)
{
    if (!self || (!cdecl && !mdecl))
        return MI_RESULT_INVALID_PARAMETER;
    MI_Uint32 count = cdecl ? cdecl->numProperties : mdecl->numParameters;
    side *s = calloc(1, sizeof *s);
    if (!s)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    s->class_decl = cdecl;
    s->method_decl = mdecl;
    s->name = cdecl ? cdecl->name : mdecl->name;
    s->count = count;
    s->size = cdecl ? cdecl->size : mdecl->size;
    s->heap = heap;
    s->owned = count ? calloc(count, sizeof *s->owned) : NULL;
    s->owns = count ? calloc(count, sizeof *s->owns) : NULL;
    if ((count && (!s->owned || !s->owns)) || !layout_fits(s) ||
        (cdecl && count && !cdecl->properties) || (mdecl && count && !mdecl->parameters)) {
        MI_Result r = (count && (!s->owned || !s->owns)) ? MI_RESULT_SERVER_LIMITS_EXCEEDED
                                                         : MI_RESULT_INVALID_PARAMETER;
        free(s->owned);
        free(s->owns);
        free(s);
        return r;
    }
    memset(self, 0, s->size);
    self->ft = &field_ft.parent;
    self->classDecl = cdecl;
    self->reserved[0] = (ptrdiff_t)s;
    for (MI_Uint32 i = 0; i < count; i++) {
        feature f = feature_at(s, i);
        if (!f.default_value)
            continue;
        MI_Value v;
        memset(&v, 0, sizeof v);
        memcpy(&v, f.default_value, value_size(f.type));
        MI_Instance_SetElementAt(self, i, &v, f.type, 0);
    }
    return MI_RESULT_OK;
}

MI_Result mi_field_instance_construct(MI_Instance *self, const MI_ClassDecl *decl)
{
    return decl ? construct(self, decl, NULL, false) : MI_RESULT_INVALID_PARAMETER;
}

MI_Result mi_field_parameters_construct(MI_Instance *self, const MI_MethodDecl *decl)
{
    return decl ? construct(self, NULL, decl, false) : MI_RESULT_INVALID_PARAMETER;
}

static MI_Result new_on_heap(const MI_ClassDecl *cdecl, const MI_MethodDecl *mdecl,
                             MI_Instance **out)
{
    if (!out)
        return MI_RESULT_INVALID_PARAMETER;
    *out = NULL;
    MI_Uint32 size = cdecl ? cdecl->size : mdecl ? mdecl->size : 0;
    if (size < sizeof(MI_Instance))
        return MI_RESULT_INVALID_PARAMETER;
    MI_Instance *self = calloc(1, size);
    if (!self)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    MI_Result r = construct(self, cdecl, mdecl, true);
    if (r != MI_RESULT_OK) {
        free(self);
        return r;
    }
    *out = self;
    return MI_RESULT_OK;
}

MI_Result mi_field_instance_new(const MI_ClassDecl *decl, MI_Instance **out)
{
    return decl ? new_on_heap(decl, NULL, out) : MI_RESULT_INVALID_PARAMETER;
}

MI_Result mi_field_parameters_new(const MI_MethodDecl *decl, MI_Instance **out)
{
    return decl ? new_on_heap(NULL, decl, out) : MI_RESULT_INVALID_PARAMETER;
}

/* ---- the MI_InstanceFT entry points ---- */

static MI_Result ft_destruct(MI_Instance *self)
{
    side *s = side_of(self);
    if (!s)
        return MI_RESULT_INVALID_PARAMETER;
    for (MI_Uint32 i = 0; i < s->count; i++)
        release_owned(s, i, feature_at(s, i).type);
    free(s->owned);
    free(s->owns);
    free(s->ns);
    free(s->server);
    bool heap = s->heap;
    free(s);
    self->reserved[0] = 0;
    self->ft = NULL;
    if (heap)
        free(self);
    return MI_RESULT_OK;
}

static MI_Result ft_delete(MI_Instance *self)
{
    return ft_destruct(self); /* memory that is the caller's stays theirs */
}

static MI_Result ft_set_element_at(MI_Instance *self, MI_Uint32 index, const MI_Value *value,
                                   MI_Type type, MI_Uint32 flags)
{
    side *s = side_of(self);
    if (index >= s->count)
        return MI_RESULT_NO_SUCH_PROPERTY;
    feature f = feature_at(s, index);
    if (type != f.type)
        return MI_RESULT_TYPE_MISMATCH;
    MI_Value stored;
    memset(&stored, 0, sizeof stored);
    bool is_null = !value || (flags & MI_FLAG_NULL);
    bool keep = !is_null && (flags & (MI_FLAG_BORROW | MI_FLAG_ADOPT));
    if (!is_null && keep)
        stored = *value;
    else if (!is_null && mi_value_copy(&stored, value, type) != MI_RESULT_OK)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    release_owned(s, index, type);
    if (!is_null && !(flags & MI_FLAG_BORROW)) {
        s->owned[index] = stored;
        s->owns[index] = true;
    }
    memcpy(field_at(self, &f), &stored, value_size(type));
    *exists_at(self, &f) = !is_null;
    return MI_RESULT_OK;
}

static MI_Result ft_set_element(MI_Instance *self, const MI_Char *name, const MI_Value *value,
                                MI_Type type, MI_Uint32 flags)
{
    MI_Uint32 at;
    if (!find_feature(side_of(self), name, &at))
        return MI_RESULT_NO_SUCH_PROPERTY;
    return ft_set_element_at(self, at, value, type, flags);
}

static MI_Result ft_add_element(MI_Instance *self, const MI_Char *name, const MI_Value *value,
                                MI_Type type, MI_Uint32 flags)
{
    (void)value, (void)type, (void)flags;
    MI_Uint32 at;
    /* the declaration fixes the elements: none can be added */
    return find_feature(side_of(self), name, &at) ? MI_RESULT_ALREADY_EXISTS
                                                  : MI_RESULT_NO_SUCH_PROPERTY;
}

static MI_Result ft_get_element_at(const MI_Instance *self, MI_Uint32 index, const MI_Char **name,
                                   MI_Value *value, MI_Type *type, MI_Uint32 *flags)
{
    const side *s = side_of(self);
    if (index >= s->count)
        return MI_RESULT_NO_SUCH_PROPERTY;
    feature f = feature_at(s, index);
    bool exists = *exists_at(self, &f) != 0;
    if (name)
        *name = f.name;
    if (type)
        *type = f.type;
    if (value) {
        memset(value, 0, sizeof *value);
        if (exists)
            memcpy(value, field_at(self, &f), value_size(f.type));
    }
    if (flags)
        *flags = (f.flags & (MI_FLAG_KEY | MI_FLAG_IN | MI_FLAG_OUT | MI_FLAG_REQUIRED |
                             MI_FLAG_READONLY | MI_FLAG_EXPENSIVE)) |
                 (exists ? 0 : MI_FLAG_NULL);
    return MI_RESULT_OK;
}

static MI_Result ft_get_element(const MI_Instance *self, const MI_Char *name, MI_Value *value,
                                MI_Type *type, MI_Uint32 *flags, MI_Uint32 *index)
{
    MI_Uint32 at;
    if (!find_feature(side_of(self), name, &at))
        return MI_RESULT_NO_SUCH_PROPERTY;
    if (index)
        *index = at;
    return ft_get_element_at(self, at, NULL, value, type, flags);
}

static MI_Result ft_clear_element_at(MI_Instance *self, MI_Uint32 index)
{
    return ft_set_element_at(self, index, NULL,
                             index < side_of(self)->count ? feature_at(side_of(self), index).type
                                                          : MI_BOOLEAN,
                             MI_FLAG_NULL);
}

static MI_Result ft_clear_element(MI_Instance *self, const MI_Char *name)
{
    MI_Uint32 at;
    if (!find_feature(side_of(self), name, &at))
        return MI_RESULT_NO_SUCH_PROPERTY;
    return ft_clear_element_at(self, at);
}

static MI_Result ft_get_element_count(const MI_Instance *self, MI_Uint32 *count)
{
    if (!count)
        return MI_RESULT_INVALID_PARAMETER;
    *count = side_of(self)->count;
    return MI_RESULT_OK;
}

static MI_Result ft_clone(const MI_Instance *self, MI_Instance **out)
{
    const side *s = side_of(self);
    MI_Result r = new_on_heap(s->class_decl, s->method_decl, out);
    for (MI_Uint32 i = 0; r == MI_RESULT_OK && i < s->count; i++) {
        MI_Value v;
        MI_Type type;
        MI_Uint32 flags;
        ft_get_element_at(self, i, NULL, &v, &type, &flags);
        r = ft_set_element_at(*out, i, (flags & MI_FLAG_NULL) ? NULL : &v, type,
                              flags & MI_FLAG_NULL);
    }
    if (r == MI_RESULT_OK && s->ns)
        r = MI_Instance_SetNameSpace(*out, s->ns);
    if (r == MI_RESULT_OK && s->server)
        r = MI_Instance_SetServerName(*out, s->server);
    if (r != MI_RESULT_OK && *out) {
        ft_delete(*out);
        *out = NULL;
    }
    return r;
}

static MI_Result ft_is_a(const MI_Instance *self, const MI_ClassDecl *decl, MI_Boolean *flag)
{
    if (!decl || !decl->name || !flag)
        return MI_RESULT_INVALID_PARAMETER;
    const side *s = side_of(self);
    *flag = MI_FALSE;
    if (!s->class_decl)
        *flag = mi_name_equal(s->name, decl->name);
    int depth = 0;
    for (const MI_ClassDecl *c = s->class_decl; c && depth < 256 && !*flag;
         c = c->superClassDecl, depth++)
        *flag = c == decl || (c->name && mi_name_equal(c->name, decl->name));
    return MI_RESULT_OK;
}

static MI_Result ft_get_class_name(const MI_Instance *self, const MI_Char **name)
{
    if (!name)
        return MI_RESULT_INVALID_PARAMETER;
    *name = side_of(self)->name;
    return MI_RESULT_OK;
}

static MI_Result replace_text(char **slot, const char *text)
{
    char *copy = text && *text ? strdup(text) : NULL;
    if (text && *text && !copy)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    free(*slot);
    *slot = copy;
    return MI_RESULT_OK;
}

static MI_Result ft_set_namespace(MI_Instance *self, const MI_Char *ns)
{
    side *s = side_of(self);
    MI_Result r = replace_text(&s->ns, ns);
    self->nameSpace = s->ns;
    return r;
}

static MI_Result ft_get_namespace(const MI_Instance *self, const MI_Char **ns)
{
    if (!ns)
        return MI_RESULT_INVALID_PARAMETER;
    *ns = side_of(self)->ns;
    return MI_RESULT_OK;
}

static MI_Result ft_set_server_name(MI_Instance *self, const MI_Char *name)
{
    side *s = side_of(self);
    MI_Result r = replace_text(&s->server, name);
    self->serverName = s->server;
    return r;
}

static MI_Result ft_get_server_name(const MI_Instance *self, const MI_Char **name)
{
    if (!name)
        return MI_RESULT_INVALID_PARAMETER;
    *name = side_of(self)->server;
    return MI_RESULT_OK;
}

static MI_Result ft_get_class(const MI_Instance *self, MI_Class **out)
{
    /* the class its library copy has (the declaration's, dynamically) */
    MI_Instance *copy = NULL;
    MI_Result r = mi_instance_import(self, NULL, &copy, NULL);
    if (r == MI_RESULT_OK)
        r = MI_Instance_GetClass(copy, out);
    if (copy)
        mi_instance_delete(copy);
    return r;
}

static MI_Result ft_normalize(MI_Instance **self)
{
    (void)self; /* already in the library's form */
    return MI_RESULT_OK;
}

static const MI_InstanceExFT field_ft = {
    {ft_clone, ft_destruct, ft_delete, ft_is_a, ft_get_class_name, ft_set_namespace,
     ft_get_namespace, ft_get_element_count, ft_add_element, ft_set_element, ft_set_element_at,
     ft_get_element, ft_get_element_at, ft_clear_element, ft_clear_element_at, ft_get_server_name,
     ft_set_server_name, ft_get_class},
    ft_normalize,
};

/* ---- conversions ---- */

static const MI_ClassDecl *schema_class(const MI_SchemaDecl *schema, const char *name)
{
    for (MI_Uint32 i = 0; schema && name && i < schema->numClassDecls; i++) {
        const MI_ClassDecl *c = schema->classDecls[i];
        if (c && c->name && mi_name_equal(c->name, name))
            return c;
    }
    return NULL;
}

/* A value for a field instance: references and embedded instances converted. */
static MI_Result field_value(const MI_Value *in, MI_Type type, const MI_SchemaDecl *schema,
                             MI_Value *out, bool *converted, mi_error *err)
{
    *converted = false;
    MI_Type scalar = MI_TYPE_SCALAR(type);
    if (scalar != MI_REFERENCE && scalar != MI_INSTANCE) {
        *out = *in;
        return MI_RESULT_OK;
    }
    *converted = true;
    memset(out, 0, sizeof *out);
    if (!(type & MI_ARRAY)) {
        if (!in->instance)
            return MI_RESULT_OK;
        const char *name = NULL;
        MI_Instance_GetClassName(in->instance, &name);
        const MI_ClassDecl *decl = schema_class(schema, name);
        return decl ? mi_field_instance_from(in->instance, decl, schema, &out->instance, err)
                    : MI_Instance_Clone(in->instance, &out->instance);
    }
    MI_Uint32 n = in->instancea.size;
    out->instancea.data = n ? calloc(n, sizeof(MI_Instance *)) : NULL;
    if (n && !out->instancea.data)
        return mi_error_nomem(err);
    out->instancea.size = n;
    for (MI_Uint32 i = 0; i < n; i++) {
        MI_Value one = {.instance = in->instancea.data[i]}, made;
        bool c;
        MI_Result r = field_value(&one, scalar, schema, &made, &c, err);
        if (r != MI_RESULT_OK) {
            mi_value_release(out, type);
            return r;
        }
        out->instancea.data[i] = made.instance;
    }
    return MI_RESULT_OK;
}

/* Puts what source holds into field instance out, each element into the field of the
 * same name (one it lacks, or of another type, is skipped). */
static MI_Result fill_from(MI_Instance *out, const MI_Instance *source, const MI_SchemaDecl *schema,
                           mi_error *err)
{
    MI_Result r = MI_RESULT_OK;
    MI_Uint32 count = 0;
    MI_Instance_GetElementCount(source, &count);
    for (MI_Uint32 i = 0; r == MI_RESULT_OK && i < count; i++) {
        const MI_Char *name;
        MI_Value v, made;
        MI_Type type;
        MI_Uint32 flags, at;
        if (MI_Instance_GetElementAt(source, i, &name, &v, &type, &flags) != MI_RESULT_OK ||
            (flags & MI_FLAG_NULL) || !find_feature(side_of(out), name, &at))
            continue;
        if (feature_at(side_of(out), at).type != type)
            continue; /* an untyped key the caller gave: the class decides */
        bool converted;
        r = field_value(&v, type, schema, &made, &converted, err);
        if (r == MI_RESULT_OK)
            r = ft_set_element_at(out, at, &made, type, converted ? MI_FLAG_ADOPT : 0);
    }
    const MI_Char *ns = NULL;
    if (r == MI_RESULT_OK && MI_Instance_GetNameSpace(source, &ns) == MI_RESULT_OK && ns)
        r = ft_set_namespace(out, ns);
    return r;
}

MI_Result mi_field_instance_from(const MI_Instance *source, const MI_ClassDecl *decl,
                                 const MI_SchemaDecl *schema, MI_Instance **out, mi_error *err)
{
    MI_Result r = mi_field_instance_new(decl, out);
    if (r != MI_RESULT_OK)
        return mi_error_set(err, r, "class %s: the declaration does not lay out an instance",
                            decl && decl->name ? decl->name : "(unnamed)");
    r = fill_from(*out, source, schema, err);
    if (r != MI_RESULT_OK) {
        ft_delete(*out);
        *out = NULL;
        return mi_error_set(err, r, "class %s: could not copy an instance", decl->name);
    }
    return MI_RESULT_OK;
}

MI_Result mi_field_parameters_from(const MI_Instance *source, const MI_MethodDecl *decl,
                                   const MI_SchemaDecl *schema, MI_Instance **out, mi_error *err)
{
    MI_Result r = mi_field_parameters_new(decl, out);
    if (r != MI_RESULT_OK)
        return mi_error_set(err, r, "method %s: the declaration does not lay out its parameters",
                            decl && decl->name ? decl->name : "(unnamed)");
    r = source ? fill_from(*out, source, schema, err) : MI_RESULT_OK;
    if (r != MI_RESULT_OK) {
        ft_delete(*out);
        *out = NULL;
        return mi_error_set(err, r, "method %s: could not copy its parameters", decl->name);
    }
    return MI_RESULT_OK;
}

typedef struct import_hook {
    mi_import_reference fn;
    void *context;
} import_hook;

static MI_Result import_one(const MI_Instance *in, MI_Instance **out, mi_error *err)
{
    *out = NULL;
    return in ? mi_instance_import(in, NULL, out, err) : MI_RESULT_OK;
}

static MI_Result import_value(const MI_Value *in, MI_Type type, const import_hook *hook,
                              MI_Value *out, mi_error *err)
{
    MI_Type scalar = MI_TYPE_SCALAR(type);
    if (scalar != MI_REFERENCE && scalar != MI_INSTANCE)
        return mi_value_copy(out, in, type) == MI_RESULT_OK ? MI_RESULT_OK : mi_error_nomem(err);
    memset(out, 0, sizeof *out);
    if (type == MI_REFERENCE && hook->fn && in->reference)
        return hook->fn(hook->context, in->reference, &out->reference, err);
    if (!(type & MI_ARRAY))
        return import_one(in->instance, &out->instance, err);
    MI_Uint32 n = in->instancea.size;
    if (n && !in->instancea.data)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "an array without its items");
    out->instancea.data = n ? calloc(n, sizeof(MI_Instance *)) : NULL;
    if (n && !out->instancea.data)
        return mi_error_nomem(err);
    out->instancea.size = n;
    for (MI_Uint32 i = 0; i < n; i++) {
        MI_Result r = import_one(in->instancea.data[i], &out->instancea.data[i], err);
        if (r != MI_RESULT_OK) {
            mi_value_release(out, type);
            return r;
        }
    }
    return MI_RESULT_OK;
}

MI_Result mi_instance_import(const MI_Instance *foreign, mi_class *cls, MI_Instance **out,
                             mi_error *err)
{
    return mi_instance_import_with(foreign, cls, NULL, NULL, NULL, out, err);
}

/* The bytes the single string values of foreign take, with their terminators. */
static size_t string_space(const MI_Instance *foreign, MI_Uint32 count)
{
    size_t space = 0;
    for (MI_Uint32 i = 0; i < count; i++) {
        MI_Value v;
        MI_Type type;
        MI_Uint32 flags;
        if (MI_Instance_GetElementAt(foreign, i, NULL, &v, &type, &flags) == MI_RESULT_OK &&
            type == MI_STRING && !(flags & MI_FLAG_NULL) && v.string)
            space += strlen(v.string) + 1;
    }
    return space;
}

/* A class-bound copy keeps its string values and namespace in its own allocation, so
 * that whoever deletes it frees one block: a copy made on a provider's thread is most
 * often freed on another, and each free there contends for the allocator. */
static MI_Result new_copy(MI_Instance **copy, const MI_Instance *foreign, const char *class_name,
                          mi_class *cls, MI_Uint32 count, const char *ns, char **space,
                          mi_error *err)
{
    *space = NULL;
    if (!cls)
        return mi_instance_new(copy, class_name, NULL, err);
    size_t ns_size = ns ? strlen(ns) + 1 : 0;
    MI_Result r =
        mi_instance_new_with_space(copy, cls, string_space(foreign, count) + ns_size, space, err);
    if (r == MI_RESULT_OK && ns) {
        mi_instance_borrow_namespace(*copy, memcpy(*space, ns, ns_size));
        *space += ns_size;
    }
    return r;
}

MI_Result mi_instance_import_with(const MI_Instance *foreign, mi_class *cls, const char *ns,
                                  mi_import_reference reference, void *context, MI_Instance **out,
                                  mi_error *err)
{
    import_hook hook = {reference, context};
    *out = NULL;
    const MI_Char *class_name = NULL;
    if (!foreign || !foreign->ft ||
        MI_Instance_GetClassName(foreign, &class_name) != MI_RESULT_OK || !class_name)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "an instance without a class name");
    if (cls && !mi_name_equal(cls->name, class_name))
        return mi_error_set(err, MI_RESULT_INVALID_CLASS, "an instance of %s where %s was expected",
                            class_name, cls->name);
    MI_Uint32 count = 0;
    MI_Instance_GetElementCount(foreign, &count);
    MI_Instance *copy;
    char *space;
    MI_Result r = new_copy(&copy, foreign, class_name, cls, count, ns, &space, err);
    if (r != MI_RESULT_OK)
        return r;
    for (MI_Uint32 i = 0; r == MI_RESULT_OK && i < count; i++) {
        const MI_Char *name = NULL;
        MI_Value v, made;
        MI_Type type;
        MI_Uint32 flags;
        r = MI_Instance_GetElementAt(foreign, i, &name, &v, &type, &flags);
        if (r != MI_RESULT_OK || !name) {
            r = mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "%s: element %u cannot be read",
                             class_name, (unsigned)i);
            break;
        }
        bool is_null = (flags & MI_FLAG_NULL) != 0;
        if (cls && is_null)
            continue; /* class-bound copies start NULL */
        if (space && type == MI_STRING && !is_null && v.string) {
            size_t size = strlen(v.string) + 1;
            made.string = memcpy(space, v.string, size);
            space += size;
            r = mi_instance_set_element(copy, name, &made, type, MI_FLAG_BORROW, err);
            continue;
        }
        if (!is_null && (r = import_value(&v, type, &hook, &made, err)) != MI_RESULT_OK)
            break;
        r = cls ? mi_instance_set_element(copy, name, &made, type, MI_FLAG_ADOPT, err)
                : mi_instance_add_element(copy, name, is_null ? NULL : &made, type,
                                          (flags & MI_FLAG_KEY) | (is_null ? MI_FLAG_NULL : 0) |
                                              (is_null ? 0 : MI_FLAG_ADOPT),
                                          err);
        if (r != MI_RESULT_OK && !is_null)
            mi_value_release(&made, type);
    }
    const MI_Char *own_ns = NULL;
    if (r == MI_RESULT_OK && !ns && MI_Instance_GetNameSpace(foreign, &own_ns) == MI_RESULT_OK &&
        own_ns && MI_Instance_SetNameSpace(copy, own_ns) != MI_RESULT_OK)
        r = mi_error_nomem(err);
    if (r != MI_RESULT_OK) {
        mi_instance_delete(copy);
        return r;
    }
    *out = copy;
    return MI_RESULT_OK;
}
