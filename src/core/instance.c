/*
 * instance — see instance.h.
 *
 * Invariants: `index` maps every element name to its position once a dynamic instance has
 * more than SMALL_INSTANCE elements (fewer are found by a scan); an element flagged
 * MI_FLAG_NULL holds a zeroed value; a class-bound instance's element i is the class's
 * property i and borrows its name from the class, which the instance keeps referenced.
 */
#include "instance.h"

#include "class_object.h"
#include "name.h"
#include "value.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct element {
    const char *name;
    bool owns_name;
    bool borrowed; /* the value is the caller's (MI_FLAG_BORROW): never released here */
    bool modified; /* set, added or cleared through the MI API since the instance was made */
    MI_Type type;
    MI_Uint32 flags;
    MI_Value value;
} element;

typedef struct native_instance {
    MI_Instance base;       /* must come first: MI_Instance * and native_instance * convert */
    const char *class_name; /* a class-bound instance borrows its class's name */
    mi_class *cls;
    element *elements; /* a class-bound instance's follow it in the same allocation */
    uint32_t count;
    uint32_t capacity;
    mi_nametable index;
    bool namespace_borrowed; /* base.nameSpace lives in the instance's own space */
    bool inline_contents;    /* a dynamic instance's elements and class name follow it */
} native_instance;

/* A dynamic instance this small keeps no name index: a scan is as fast and allocates
 * nothing (object paths have one to four keys). */
enum { SMALL_INSTANCE = 8 };

/* Flags that describe an element rather than a single call. */
#define ELEMENT_FLAGS_KEPT                                                                         \
    (MI_FLAG_KEY | MI_FLAG_IN | MI_FLAG_OUT | MI_FLAG_REQUIRED | MI_FLAG_READONLY |                \
     MI_FLAG_EXPENSIVE | MI_FLAG_STREAM | MI_FLAG_ANY)

static const MI_InstanceExFT native_ft;

/* A class-bound instance's element i is its class's property i: the class's own index
 * serves it, and the instance keeps none. */
static bool find_element(const native_instance *inst, const char *name, uint32_t *at)
{
    if (inst->cls)
        return mi_nametable_find(&inst->cls->property_index, name, at);
    if (inst->index.capacity || !name)
        return mi_nametable_find(&inst->index, name, at);
    for (uint32_t i = 0; i < inst->count; i++)
        if (mi_name_equal(inst->elements[i].name, name)) {
            if (at)
                *at = i;
            return true;
        }
    return false;
}

static native_instance *native(const MI_Instance *self)
{
    return (native_instance *)self;
}

bool mi_instance_is_native(const MI_Instance *self)
{
    return self && self->ft == &native_ft.parent;
}

static void element_release(element *e)
{
    if (!(e->flags & MI_FLAG_NULL) && !e->borrowed)
        mi_value_release(&e->value, e->type);
    if (e->owns_name)
        free((char *)e->name);
}

static void release_contents(native_instance *inst)
{
    for (uint32_t i = 0; i < inst->count; i++)
        element_release(&inst->elements[i]);
    if (!inst->cls && !inst->inline_contents) {
        free(inst->elements);
        free((char *)inst->class_name);
    }
    mi_nametable_free(&inst->index);
    if (!inst->namespace_borrowed)
        free((char *)inst->base.nameSpace);
    inst->namespace_borrowed = false;
    free((char *)inst->base.serverName);
    if (inst->cls)
        mi_class_unref(inst->cls);
    inst->elements = NULL;
    inst->inline_contents = false;
    inst->count = inst->capacity = 0;
    inst->class_name = NULL;
    inst->base.nameSpace = inst->base.serverName = NULL;
    inst->cls = NULL;
}

void mi_instance_delete(MI_Instance *self)
{
    if (!self)
        return;
    if (!mi_instance_is_native(self)) { /* another implementation's (a provider's) */
        if (self->ft && self->ft->Delete)
            self->ft->Delete(self);
        return;
    }
    release_contents(native(self));
    free(self);
}

/* Sets element e to a copy of value; with MI_FLAG_ADOPT to its storage, which the
 * instance then owns; with MI_FLAG_BORROW to its storage, which stays the caller's. */
static MI_Result store_value(element *e, const MI_Value *value, MI_Type type, MI_Uint32 flags)
{
    MI_Value fresh;
    bool is_null = !value || (flags & MI_FLAG_NULL);
    bool borrowed = !is_null && (flags & MI_FLAG_BORROW) && !(flags & MI_FLAG_ADOPT);
    if (is_null)
        memset(&fresh, 0, sizeof fresh);
    else if (flags & (MI_FLAG_ADOPT | MI_FLAG_BORROW))
        fresh = *value;
    else if (mi_value_copy(&fresh, value, type) != MI_RESULT_OK)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    if (!(e->flags & MI_FLAG_NULL) && !e->borrowed)
        mi_value_release(&e->value, e->type);
    e->borrowed = borrowed;
    e->value = fresh;
    e->type = type;
    e->flags = (e->flags & ELEMENT_FLAGS_KEPT) | (is_null ? MI_FLAG_NULL : 0);
    return MI_RESULT_OK;
}

/* Records name at position `at` of a dynamic instance: in its index once it has one, and
 * the index is made when the instance outgrows a scan. */
static MI_Result index_element(native_instance *inst, const char *name, uint32_t at)
{
    if (!inst->index.capacity && at < SMALL_INSTANCE)
        return MI_RESULT_OK;
    if (!inst->index.capacity) {
        if (mi_nametable_reserve(&inst->index, at + 1) != MI_RESULT_OK)
            return MI_RESULT_SERVER_LIMITS_EXCEEDED;
        for (uint32_t i = 0; i < at; i++)
            mi_nametable_insert(&inst->index, inst->elements[i].name, i);
    }
    return mi_nametable_insert(&inst->index, name, at);
}

static MI_Result append_element(native_instance *inst, const char *name, bool copy_name,
                                MI_Type type, MI_Uint32 flags)
{
    if (inst->count == inst->capacity) {
        uint32_t capacity = inst->capacity ? inst->capacity * 2 : 8;
        element *grown = inst->inline_contents ? malloc(capacity * sizeof *grown)
                                               : realloc(inst->elements, capacity * sizeof *grown);
        if (!grown)
            return MI_RESULT_SERVER_LIMITS_EXCEEDED;
        if (inst->inline_contents) { /* the elements move out; the class name goes too */
            char *class_name = strdup(inst->class_name);
            if (!class_name) {
                free(grown);
                return MI_RESULT_SERVER_LIMITS_EXCEEDED;
            }
            memcpy(grown, inst->elements, inst->count * sizeof *grown);
            inst->class_name = class_name;
            inst->inline_contents = false;
        }
        inst->elements = grown;
        inst->capacity = capacity;
    }
    element *e = &inst->elements[inst->count];
    memset(e, 0, sizeof *e);
    e->name = copy_name ? strdup(name) : name;
    if (!e->name)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    e->owns_name = copy_name;
    e->type = type;
    e->flags = (flags & ELEMENT_FLAGS_KEPT) | MI_FLAG_NULL;
    if (!inst->cls && index_element(inst, e->name, inst->count) != MI_RESULT_OK) {
        element_release(e);
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    }
    inst->count++;
    return MI_RESULT_OK;
}

static MI_Result bind_to_class(native_instance *inst, mi_class *cls)
{
    for (uint32_t i = 0; i < cls->property_count; i++) {
        const mi_property *p = &cls->properties[i];
        MI_Result r = append_element(inst, p->name, false, p->type, p->flags);
        if (r == MI_RESULT_OK && p->has_default)
            r = store_value(&inst->elements[i], &p->default_value, p->type, 0);
        if (r != MI_RESULT_OK)
            return r;
    }
    return MI_RESULT_OK;
}

MI_Result mi_instance_new_with_space(MI_Instance **out, mi_class *cls, size_t space, char **at,
                                     mi_error *err)
{
    *out = NULL;
    *at = NULL;
    size_t head = sizeof(native_instance) + (size_t)cls->property_count * sizeof(element);
    if (space > SIZE_MAX - head)
        return mi_error_nomem(err);
    native_instance *inst = malloc(head + space);
    if (!inst)
        return mi_error_nomem(err);
    memset(inst, 0, head);
    inst->base.ft = &native_ft.parent;
    inst->class_name = cls->name;
    inst->elements = (element *)(inst + 1);
    inst->capacity = cls->property_count;
    mi_class_ref(cls);
    inst->cls = cls;
    if (bind_to_class(inst, cls) != MI_RESULT_OK) {
        mi_instance_delete(&inst->base);
        return mi_error_nomem(err);
    }
    *at = (char *)inst + head;
    *out = &inst->base;
    return MI_RESULT_OK;
}

void mi_instance_borrow_namespace(MI_Instance *self, const char *ns)
{
    native_instance *inst = native(self);
    if (!inst->namespace_borrowed)
        free((char *)self->nameSpace);
    self->nameSpace = ns;
    inst->namespace_borrowed = true;
}

MI_Result mi_instance_new(MI_Instance **out, const char *class_name, mi_class *cls, mi_error *err)
{
    *out = NULL;
    if (cls) { /* one allocation: the instance and its elements; the class's name */
        native_instance *inst =
            calloc(1, sizeof *inst + (size_t)cls->property_count * sizeof(element));
        if (!inst)
            return mi_error_nomem(err);
        inst->base.ft = &native_ft.parent;
        inst->class_name = cls->name;
        inst->elements = (element *)(inst + 1);
        inst->capacity = cls->property_count;
        mi_class_ref(cls);
        inst->cls = cls;
        if (bind_to_class(inst, cls) != MI_RESULT_OK) {
            mi_instance_delete(&inst->base);
            return mi_error_nomem(err);
        }
        *out = &inst->base;
        return MI_RESULT_OK;
    }
    if (!class_name || !mi_name_is_identifier(class_name))
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "invalid class name '%s'",
                            class_name ? class_name : "(null)");
    native_instance *inst = calloc(1, sizeof *inst);
    if (!inst)
        return mi_error_nomem(err);
    inst->base.ft = &native_ft.parent;
    if (!(inst->class_name = strdup(class_name))) {
        free(inst);
        return mi_error_nomem(err);
    }
    *out = &inst->base;
    return MI_RESULT_OK;
}

static MI_Result check_value(const MI_Value *value, MI_Type type, MI_Uint32 flags);

static size_t key_space(const mi_instance_key *k)
{
    size_t n = strlen(k->name) + 1;
    if (k->type == MI_STRING && !(k->flags & MI_FLAG_NULL) && k->value.string)
        n += strlen(k->value.string) + 1;
    return n;
}

static char *put_text(char **at, const char *text)
{
    size_t n = strlen(text) + 1;
    char *copy = memcpy(*at, text, n);
    *at += n;
    return copy;
}

MI_Result mi_instance_new_keys(MI_Instance **out, const char *class_name,
                               const mi_instance_key *keys, uint32_t count, const char *ns,
                               mi_error *err)
{
    *out = NULL;
    if (!class_name || !mi_name_is_identifier(class_name))
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "invalid class name '%s'",
                            class_name ? class_name : "(null)");
    size_t space = strlen(class_name) + 1 + (ns ? strlen(ns) + 1 : 0);
    for (uint32_t i = 0; i < count; i++)
        space += key_space(&keys[i]);
    native_instance *inst = malloc(sizeof *inst + (size_t)count * sizeof(element) + space);
    if (!inst)
        return mi_error_nomem(err);
    memset(inst, 0, sizeof *inst);
    inst->base.ft = &native_ft.parent;
    inst->inline_contents = true;
    inst->elements = (element *)(inst + 1);
    inst->capacity = count;
    char *at = (char *)(inst->elements + count);
    inst->class_name = put_text(&at, class_name);
    if (ns) {
        inst->base.nameSpace = put_text(&at, ns);
        inst->namespace_borrowed = true;
    }
    MI_Result r = MI_RESULT_OK;
    for (uint32_t i = 0; r == MI_RESULT_OK && i < count; i++) {
        const mi_instance_key *k = &keys[i];
        element *e = &inst->elements[i];
        bool is_null = (k->flags & MI_FLAG_NULL) != 0;
        *e = (element){.name = put_text(&at, k->name),
                       .type = k->type,
                       .flags = MI_FLAG_KEY | (is_null ? MI_FLAG_NULL : 0)};
        if (!mi_name_is_identifier(k->name) || check_value(&k->value, k->type, k->flags)) {
            e->flags |= MI_FLAG_NULL;
            inst->count = i + 1;
            mi_instance_delete(&inst->base);
            return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "%s: invalid key '%s'",
                                class_name, k->name);
        }
        if (!is_null && k->type == MI_STRING && k->value.string) {
            e->value.string = put_text(&at, k->value.string);
            e->borrowed = true;
        } else if (!is_null && mi_value_copy(&e->value, &k->value, k->type) != MI_RESULT_OK) {
            e->flags |= MI_FLAG_NULL;
            r = MI_RESULT_SERVER_LIMITS_EXCEEDED;
        }
        inst->count = i + 1;
        if (r == MI_RESULT_OK)
            r = index_element(inst, e->name, i);
    }
    if (r != MI_RESULT_OK) {
        mi_instance_delete(&inst->base);
        return mi_error_nomem(err);
    }
    *out = &inst->base;
    return MI_RESULT_OK;
}

static MI_Result set_string(const MI_Char **field, const char *text)
{
    char *copy = NULL;
    if (text && !(copy = strdup(text)))
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    free((char *)*field);
    *field = copy;
    return MI_RESULT_OK;
}

MI_Result mi_instance_clone(const MI_Instance *self, MI_Instance **out)
{
    *out = NULL;
    if (!mi_instance_is_native(self))
        return self && self->ft && self->ft->Clone ? self->ft->Clone(self, out)
                                                   : MI_RESULT_INVALID_PARAMETER;
    const native_instance *src = native(self);
    MI_Instance *copy;
    MI_Result r = mi_instance_new(&copy, src->class_name, src->cls, NULL);
    if (r != MI_RESULT_OK)
        return r;
    native_instance *dst = native(copy);
    r = set_string(&dst->base.nameSpace, src->base.nameSpace);
    if (r == MI_RESULT_OK)
        r = set_string(&dst->base.serverName, src->base.serverName);
    for (uint32_t i = 0; r == MI_RESULT_OK && i < src->count; i++) {
        const element *e = &src->elements[i];
        if (!src->cls) /* a class-bound copy has its elements already */
            r = append_element(dst, e->name, true, e->type, e->flags);
        if (r == MI_RESULT_OK)
            r = store_value(&dst->elements[i], (e->flags & MI_FLAG_NULL) ? NULL : &e->value,
                            e->type, 0);
        if (r == MI_RESULT_OK)
            dst->elements[i].modified = e->modified;
    }
    if (r != MI_RESULT_OK) {
        mi_instance_delete(copy);
        return r;
    }
    *out = copy;
    return MI_RESULT_OK;
}

const char *mi_instance_class_name(const MI_Instance *self)
{
    return native(self)->class_name;
}

const char *mi_instance_namespace(const MI_Instance *self)
{
    return self->nameSpace;
}

mi_class *mi_instance_class(const MI_Instance *self)
{
    return native(self)->cls;
}

static MI_Result check_value(const MI_Value *value, MI_Type type, MI_Uint32 flags)
{
    if (!mi_type_valid(type))
        return MI_RESULT_INVALID_PARAMETER;
    if (!value || (flags & MI_FLAG_NULL))
        return MI_RESULT_OK;
    if (MI_TYPE_IS_ARRAY(type) && value->array.size && !value->array.data)
        return MI_RESULT_INVALID_PARAMETER;
    MI_Type scalar = MI_TYPE_SCALAR(type);
    if (!MI_TYPE_IS_ARRAY(type) && (scalar == MI_REFERENCE || scalar == MI_INSTANCE) &&
        value->instance && !mi_instance_is_native(value->instance))
        return MI_RESULT_INVALID_PARAMETER;
    return MI_RESULT_OK;
}

MI_Result mi_instance_add_element(MI_Instance *self, const char *name, const MI_Value *value,
                                  MI_Type type, MI_Uint32 flags, mi_error *err)
{
    native_instance *inst = native(self);
    if (!name || !mi_name_is_identifier(name))
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "%s: invalid property name '%s'",
                            inst->class_name, name ? name : "(null)");
    if (check_value(value, type, flags) != MI_RESULT_OK)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "%s.%s: invalid %s value",
                            inst->class_name, name, mi_type_name(type));
    if (find_element(inst, name, NULL))
        return mi_error_set(err, MI_RESULT_ALREADY_EXISTS, "%s.%s: property already exists",
                            inst->class_name, name);
    if (inst->cls)
        return mi_error_set(err, MI_RESULT_NO_SUCH_PROPERTY, "class %s has no property '%s'",
                            inst->class_name, name);
    if (append_element(inst, name, true, type, flags) != MI_RESULT_OK)
        return mi_error_nomem(err);
    element *e = &inst->elements[inst->count - 1];
    if (store_value(e, value, type, flags) != MI_RESULT_OK) {
        /* the element stays, NULL: elements are never removed */
        return mi_error_nomem(err);
    }
    return MI_RESULT_OK;
}

static MI_Result set_at(native_instance *inst, uint32_t index, const MI_Value *value, MI_Type type,
                        MI_Uint32 flags, mi_error *err)
{
    element *e = &inst->elements[index];
    if (check_value(value, type, flags) != MI_RESULT_OK)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "%s.%s: invalid %s value",
                            inst->class_name, e->name, mi_type_name(type));
    if (type != e->type)
        return mi_error_set(err, MI_RESULT_TYPE_MISMATCH,
                            "%s.%s: a %s value does not fit a property of type %s",
                            inst->class_name, e->name, mi_type_name(type), mi_type_name(e->type));
    if (store_value(e, value, type, flags) != MI_RESULT_OK)
        return mi_error_nomem(err);
    return MI_RESULT_OK;
}

MI_Result mi_instance_set_element(MI_Instance *self, const char *name, const MI_Value *value,
                                  MI_Type type, MI_Uint32 flags, mi_error *err)
{
    native_instance *inst = native(self);
    uint32_t index;
    if (!name || !find_element(inst, name, &index))
        return mi_error_set(err, MI_RESULT_NO_SUCH_PROPERTY, "class %s has no property '%s'",
                            inst->class_name, name ? name : "(null)");
    return set_at(inst, index, value, type, flags, err);
}

MI_Result mi_instance_set_element_at(MI_Instance *self, uint32_t index, const MI_Value *value,
                                     MI_Type type, MI_Uint32 flags, mi_error *err)
{
    native_instance *inst = native(self);
    if (index >= inst->count)
        return mi_error_set(err, MI_RESULT_NO_SUCH_PROPERTY, "class %s has no property %u",
                            inst->class_name, index);
    return set_at(inst, index, value, type, flags, err);
}

MI_Result mi_instance_retype_element(MI_Instance *self, uint32_t index, const char *name,
                                     MI_Type type, MI_Value *adopted_value)
{
    native_instance *inst = native(self);
    if (inst->cls || index >= inst->count)
        return MI_RESULT_INVALID_PARAMETER;
    element *e = &inst->elements[index];
    if (name && strcmp(name, e->name) != 0) {
        char *renamed = strdup(name);
        if (!renamed)
            return MI_RESULT_SERVER_LIMITS_EXCEEDED;
        mi_nametable_rename(&inst->index, e->name, renamed);
        if (e->owns_name)
            free((char *)e->name);
        e->name = renamed;
        e->owns_name = true;
    }
    if (!(e->flags & MI_FLAG_NULL) && !e->borrowed)
        mi_value_release(&e->value, e->type);
    e->borrowed = false;
    e->type = type;
    e->value = *adopted_value;
    e->flags &= ~(MI_Uint32)MI_FLAG_NULL;
    return MI_RESULT_OK;
}

MI_Result mi_instance_check_keys(const MI_Instance *self, mi_error *err)
{
    const native_instance *inst = native(self);
    if (!inst->cls)
        return MI_RESULT_OK;
    for (uint32_t i = 0; i < inst->count; i++) {
        const element *e = &inst->elements[i];
        if ((e->flags & MI_FLAG_KEY) && (e->flags & MI_FLAG_NULL))
            return mi_error_set(err, MI_RESULT_INVALID_PARAMETER,
                                "%s: key property '%s' has no value", inst->class_name, e->name);
    }
    return MI_RESULT_OK;
}

bool mi_instance_equal(const MI_Instance *a, const MI_Instance *b)
{
    const native_instance *x = native(a), *y = native(b);
    if (!mi_name_equal(x->class_name, y->class_name) || x->count != y->count)
        return false;
    for (uint32_t i = 0; i < x->count; i++) {
        const element *e = &x->elements[i];
        uint32_t j;
        if (!find_element(y, e->name, &j))
            return false;
        const element *f = &y->elements[j];
        if (e->type != f->type || (e->flags & MI_FLAG_NULL) != (f->flags & MI_FLAG_NULL))
            return false;
        if (!(e->flags & MI_FLAG_NULL) && !mi_value_equal(&e->value, &f->value, e->type))
            return false;
    }
    return true;
}

/* ---- the MI_InstanceFT entry points ---- */

static MI_Result ft_clone(const MI_Instance *self, MI_Instance **out)
{
    if (!out)
        return MI_RESULT_INVALID_PARAMETER;
    return mi_instance_clone(self, out);
}

static MI_Result ft_destruct(MI_Instance *self)
{
    release_contents(native(self));
    return MI_RESULT_OK;
}

static MI_Result ft_delete(MI_Instance *self)
{
    mi_instance_delete(self);
    return MI_RESULT_OK;
}

static MI_Result ft_is_a(const MI_Instance *self, const MI_ClassDecl *decl, MI_Boolean *flag)
{
    if (!decl || !decl->name || !flag)
        return MI_RESULT_INVALID_PARAMETER;
    const native_instance *inst = native(self);
    *flag = inst->cls ? mi_class_is_a(inst->cls, decl->name)
                      : mi_name_equal(inst->class_name, decl->name);
    return MI_RESULT_OK;
}

static MI_Result ft_get_class_name(const MI_Instance *self, const MI_Char **name)
{
    if (!name)
        return MI_RESULT_INVALID_PARAMETER;
    *name = native(self)->class_name;
    return MI_RESULT_OK;
}

static bool valid_namespace(const char *ns)
{
    /* root/cimv2: identifiers separated by single slashes */
    for (const char *part = ns;;) {
        const char *slash = strchr(part, '/');
        size_t len = slash ? (size_t)(slash - part) : strlen(part);
        if (len == 0)
            return false;
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)part[i];
            if (!(c == '_' || c == '-' || c == '.' || c >= 0x80 || (c >= '0' && c <= '9') ||
                  (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
                return false;
        }
        if (!slash)
            return true;
        part = slash + 1;
    }
}

static MI_Result ft_set_namespace(MI_Instance *self, const MI_Char *ns)
{
    if (ns && *ns && !valid_namespace(ns))
        return MI_RESULT_INVALID_PARAMETER;
    native_instance *inst = native(self);
    if (inst->namespace_borrowed) { /* not ours to free */
        self->nameSpace = NULL;
        inst->namespace_borrowed = false;
    }
    return set_string(&self->nameSpace, ns && *ns ? ns : NULL);
}

static MI_Result ft_get_namespace(const MI_Instance *self, const MI_Char **ns)
{
    if (!ns)
        return MI_RESULT_INVALID_PARAMETER;
    *ns = self->nameSpace;
    return MI_RESULT_OK;
}

static MI_Result ft_get_element_count(const MI_Instance *self, MI_Uint32 *count)
{
    if (!count)
        return MI_RESULT_INVALID_PARAMETER;
    *count = native(self)->count;
    return MI_RESULT_OK;
}

/* What the MI API changes is flagged modified (GetElement's flags lose
 * MI_FLAG_NOT_MODIFIED), as Windows tells a program's changes from what it was given. */
static MI_Result modified(MI_Instance *self, uint32_t index, MI_Result r)
{
    if (r == MI_RESULT_OK && index < native(self)->count)
        native(self)->elements[index].modified = true;
    return r;
}

static MI_Result ft_add_element(MI_Instance *self, const MI_Char *name, const MI_Value *value,
                                MI_Type type, MI_Uint32 flags)
{
    uint32_t at = native(self)->count; /* where it goes */
    return modified(self, at, mi_instance_add_element(self, name, value, type, flags, NULL));
}

static MI_Result ft_set_element(MI_Instance *self, const MI_Char *name, const MI_Value *value,
                                MI_Type type, MI_Uint32 flags)
{
    uint32_t at = UINT32_MAX;
    if (name)
        find_element(native(self), name, &at);
    return modified(self, at, mi_instance_set_element(self, name, value, type, flags, NULL));
}

static MI_Result ft_set_element_at(MI_Instance *self, MI_Uint32 index, const MI_Value *value,
                                   MI_Type type, MI_Uint32 flags)
{
    native_instance *inst = native(self);
    if (index >= inst->count)
        return MI_RESULT_NOT_FOUND;
    return modified(self, index, set_at(inst, index, value, type, flags, NULL));
}

static void read_element(const element *e, MI_Value *value, MI_Type *type, MI_Uint32 *flags)
{
    if (value) {
        if (e->flags & MI_FLAG_NULL)
            memset(value, 0, sizeof *value);
        else
            *value = e->value;
    }
    if (type)
        *type = e->type;
    if (flags)
        *flags = (e->flags & (ELEMENT_FLAGS_KEPT | MI_FLAG_NULL)) |
                 (e->modified ? 0 : MI_FLAG_NOT_MODIFIED);
}

static MI_Result ft_get_element(const MI_Instance *self, const MI_Char *name, MI_Value *value,
                                MI_Type *type, MI_Uint32 *flags, MI_Uint32 *index)
{
    const native_instance *inst = native(self);
    uint32_t at;
    if (!name)
        return MI_RESULT_INVALID_PARAMETER;
    if (!find_element(inst, name, &at))
        return MI_RESULT_NO_SUCH_PROPERTY;
    read_element(&inst->elements[at], value, type, flags);
    if (index)
        *index = at;
    return MI_RESULT_OK;
}

static MI_Result ft_get_element_at(const MI_Instance *self, MI_Uint32 index, const MI_Char **name,
                                   MI_Value *value, MI_Type *type, MI_Uint32 *flags)
{
    const native_instance *inst = native(self);
    if (index >= inst->count)
        return MI_RESULT_NOT_FOUND;
    if (name)
        *name = inst->elements[index].name;
    read_element(&inst->elements[index], value, type, flags);
    return MI_RESULT_OK;
}

static MI_Result ft_clear_element_at(MI_Instance *self, MI_Uint32 index)
{
    native_instance *inst = native(self);
    if (index >= inst->count)
        return MI_RESULT_NOT_FOUND;
    element *e = &inst->elements[index];
    return modified(self, index, store_value(e, NULL, e->type, MI_FLAG_NULL));
}

static MI_Result ft_clear_element(MI_Instance *self, const MI_Char *name)
{
    uint32_t at;
    if (!name)
        return MI_RESULT_INVALID_PARAMETER;
    if (!find_element(native(self), name, &at))
        return MI_RESULT_NO_SUCH_PROPERTY;
    return ft_clear_element_at(self, at);
}

static MI_Result ft_get_server_name(const MI_Instance *self, const MI_Char **name)
{
    if (!name)
        return MI_RESULT_INVALID_PARAMETER;
    *name = self->serverName;
    return MI_RESULT_OK;
}

static MI_Result ft_set_server_name(MI_Instance *self, const MI_Char *name)
{
    return set_string(&self->serverName, name && *name ? name : NULL);
}

static MI_Result ft_get_class(const MI_Instance *self, MI_Class **out)
{
    if (!out)
        return MI_RESULT_INVALID_PARAMETER;
    *out = NULL;
    const native_instance *inst = native(self);
    if (inst->cls)
        return mi_class_object_new(inst->cls, inst->base.nameSpace, out);
    /* a dynamic instance: the class its elements describe */
    mi_class *cls = NULL;
    MI_Result r = mi_class_new(&cls, inst->class_name, NULL, NULL);
    for (uint32_t i = 0; r == MI_RESULT_OK && i < inst->count; i++) {
        const element *e = &inst->elements[i];
        mi_feature_spec spec = {e->name, e->type, NULL, 0, e->flags & MI_FLAG_KEY, NULL};
        uint32_t index;
        r = mi_class_add_property(cls, &spec, &index, NULL);
    }
    if (r == MI_RESULT_OK)
        r = mi_class_object_new(cls, inst->base.nameSpace, out);
    mi_class_unref(cls);
    return r;
}

static MI_Result ft_normalize(MI_Instance **self)
{
    (void)self; /* already in the library's form */
    return MI_RESULT_OK;
}

static const MI_InstanceExFT native_ft = {
    {ft_clone, ft_destruct, ft_delete, ft_is_a, ft_get_class_name, ft_set_namespace,
     ft_get_namespace, ft_get_element_count, ft_add_element, ft_set_element, ft_set_element_at,
     ft_get_element, ft_get_element_at, ft_clear_element, ft_clear_element_at, ft_get_server_name,
     ft_set_server_name, ft_get_class},
    ft_normalize,
};

MI_Result mi_instance_copy_with_keys(MI_Instance **out, const MI_Instance *self,
                                     const MI_Instance *keys, const mi_class *cls, mi_error *err)
{
    MI_Instance *copy = NULL;
    MI_Result r = mi_instance_new(&copy, mi_instance_class_name(self), NULL, err);
    MI_Uint32 count = 0;
    MI_Instance_GetElementCount(self, &count);
    for (MI_Uint32 i = 0; r == MI_RESULT_OK && i < count; i++) {
        const MI_Char *name;
        MI_Value v;
        MI_Type type;
        MI_Uint32 flags;
        MI_Instance_GetElementAt(self, i, &name, &v, &type, &flags);
        const mi_property *p = cls ? mi_class_find_property(cls, name, NULL) : NULL;
        bool key =
            (p && (p->flags & MI_FLAG_KEY)) ||
            (keys && MI_Instance_GetElement(keys, name, NULL, NULL, NULL, NULL) == MI_RESULT_OK);
        r = mi_instance_add_element(copy, name, (flags & MI_FLAG_NULL) ? NULL : &v, type,
                                    (key ? MI_FLAG_KEY : 0) | (flags & MI_FLAG_NULL), err);
    }
    const char *ns = keys ? mi_instance_namespace(keys) : NULL;
    ns = ns ? ns : mi_instance_namespace(self);
    if (r == MI_RESULT_OK && ns && MI_Instance_SetNameSpace(copy, ns) != MI_RESULT_OK)
        r = mi_error_nomem(err);
    if (r != MI_RESULT_OK) {
        if (copy)
            mi_instance_delete(copy);
        return r;
    }
    *out = copy;
    return MI_RESULT_OK;
}
