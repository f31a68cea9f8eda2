/*
 * instances — instance declarations to class-bound MI_Instances, in two passes.
 *
 * An alias may be used before its instance is declared, and a reference key takes the
 * path of the instance it names. The first pass gives every instance its keys and so its
 * path, building on demand the instances that its reference keys name (a bounded
 * recursion: only keys nest). The second pass sets the other properties; a reference
 * there needs only the path of its target, so chains of any length cost no depth.
 */
#include "compile.h"

#include "core/instance.h"
#include "core/path.h"
#include "core/value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { VISIT_NONE, VISIT_ACTIVE, VISIT_DONE, VISIT_FAILED };
enum { COMPLETION_NONE, COMPLETION_ACTIVE, COMPLETION_DONE };

static bool build_instance(mof_compiler *c, mof_instance *decl);
static bool complete_instance(mof_compiler *c, mof_instance *decl);

/* ---- the set of instance paths of this compile ---- */

static bool same_instance(const mof_instance *a, const mof_instance *b)
{
    return mi_name_equal(a->namespace_name, b->namespace_name) && mi_path_equal(a->path, b->path);
}

/* The instance already in the set with the same path, or NULL after adding decl. */
static mof_instance *set_add(mof_compiler *c, mof_instance *decl, bool *nomem)
{
    *nomem = false;
    if ((c->instance_set_count + 1) * 2 > c->instance_set_capacity) {
        uint32_t capacity = c->instance_set_capacity ? c->instance_set_capacity * 2 : 256;
        mof_instance_set_slot *slots = calloc(capacity, sizeof *slots);
        if (!slots) {
            *nomem = true;
            return NULL;
        }
        for (uint32_t i = 0; i < c->instance_set_capacity; i++) {
            mof_instance_set_slot *old = &c->instance_set[i];
            if (!old->instance)
                continue;
            uint32_t j = (uint32_t)old->hash & (capacity - 1);
            while (slots[j].instance)
                j = (j + 1) & (capacity - 1);
            slots[j] = *old;
        }
        free(c->instance_set);
        c->instance_set = slots;
        c->instance_set_capacity = capacity;
    }
    uint32_t mask = c->instance_set_capacity - 1;
    uint32_t i = (uint32_t)decl->path_hash & mask;
    for (; c->instance_set[i].instance; i = (i + 1) & mask) {
        mof_instance_set_slot *slot = &c->instance_set[i];
        if (slot->hash == decl->path_hash && same_instance(slot->instance, decl))
            return slot->instance;
    }
    c->instance_set[i] = (mof_instance_set_slot){decl->path_hash, decl};
    c->instance_set_count++;
    return NULL;
}

/* ---- reference values ---- */

typedef struct lookup_context {
    mof_compiler *c;
    const char *ns;
} lookup_context;

static const mi_class *lookup_class(void *context, const char *class_name)
{
    lookup_context *l = context;
    return mof_find_class(l->c, l->ns, class_name, NULL);
}

/* A new path for a reference value given as $alias or as an object path string. */
static bool reference_path(mof_compiler *c, const mof_instance *decl, const mi_property *prop,
                           const mof_value *v, const char *subject, MI_Instance **out)
{
    *out = NULL;
    mi_error err;
    if (v->kind == MOF_VALUE_ALIAS) {
        mof_instance *target = mof_table_find(&c->aliases, v->u.alias);
        if (!target)
            return mof_error(c, &v->pos, "%s: unknown alias '$%s'", subject, v->u.alias);
        if (!build_instance(c, target))
            return false; /* reported where the target is declared */
        const char *target_class = mi_instance_class_name(target->built);
        if (prop->ref_class && !mi_class_is_a(mi_instance_class(target->built), prop->ref_class))
            return mof_error(c, &v->pos, "%s: '$%s' is an instance of '%s', which is not a '%s'",
                             subject, v->u.alias, target_class, prop->ref_class);
        if (mi_instance_clone(target->path, out) != MI_RESULT_OK)
            return mof_out_of_memory(c, &v->pos);
        if (!mi_name_equal(target->namespace_name, decl->namespace_name) &&
            MI_Instance_SetNameSpace(*out, target->namespace_name) != MI_RESULT_OK) {
            mi_instance_delete(*out);
            *out = NULL;
            return mof_out_of_memory(c, &v->pos);
        }
        return true;
    }
    if (v->kind != MOF_VALUE_STRING)
        return mof_error(c, &v->pos,
                         "%s: a reference takes an alias ($name) or an object path string, not "
                         "%s",
                         subject, v->kind == MOF_VALUE_ARRAY ? "an array" : "this value");
    MI_Instance *path;
    if (mi_path_parse(&path, v->u.string, &err) != MI_RESULT_OK)
        return mof_error_from(c, &v->pos, subject, &err);
    const char *path_ns = mi_instance_namespace(path);
    lookup_context l = {c, path_ns ? path_ns : decl->namespace_name};
    const mi_class *target = lookup_class(&l, mi_instance_class_name(path));
    if (target && mi_path_resolve(path, target, lookup_class, &l, &err) != MI_RESULT_OK) {
        mi_instance_delete(path);
        return mof_error_from(c, &v->pos, subject, &err);
    }
    if (target && prop->ref_class && !mi_class_is_a(target, prop->ref_class)) {
        mi_instance_delete(path);
        return mof_error(c, &v->pos, "%s: the path names a '%s', which is not a '%s'", subject,
                         target->name, prop->ref_class);
    }
    *out = path;
    return true;
}

static bool set_reference(mof_compiler *c, mof_instance *decl, MI_Instance *inst,
                          const mi_property *prop, const mof_value *v, const char *subject)
{
    mi_error err;
    if (v->kind == MOF_VALUE_NULL)
        return true; /* elements start NULL (or with the class default) */
    if (!MI_TYPE_IS_ARRAY(prop->type)) {
        MI_Value value;
        if (v->kind == MOF_VALUE_ARRAY)
            return mof_error(c, &v->pos, "%s: an array value does not fit a single reference",
                             subject);
        if (!reference_path(c, decl, prop, v, subject, &value.reference))
            return false;
        if (mi_instance_set_element(inst, prop->name, &value, MI_REFERENCE, MI_FLAG_ADOPT, &err) !=
            MI_RESULT_OK) {
            mi_instance_delete(value.reference);
            return mof_error_from(c, &v->pos, NULL, &err);
        }
        return true;
    }
    const mof_value *items = v;
    uint32_t count = 1;
    if (v->kind == MOF_VALUE_ARRAY) {
        items = v->u.array.items;
        count = v->u.array.count;
    }
    MI_Value value;
    value.referencea.size = 0;
    value.referencea.data = count ? calloc(count, sizeof(MI_Instance *)) : NULL;
    if (count && !value.referencea.data)
        return mof_out_of_memory(c, &v->pos);
    bool ok = true;
    for (uint32_t i = 0; ok && i < count; i++) {
        ok = reference_path(c, decl, prop, &items[i], subject, &value.referencea.data[i]);
        if (ok)
            value.referencea.size++;
    }
    if (ok && mi_instance_set_element(inst, prop->name, &value, MI_REFERENCEA, MI_FLAG_ADOPT,
                                      &err) == MI_RESULT_OK)
        return true;
    mi_value_release(&value, MI_REFERENCEA);
    return ok ? mof_error_from(c, &v->pos, NULL, &err) : false;
}

static bool set_embedded(mof_compiler *c, MI_Instance *inst, const mi_property *prop,
                         const mof_value *v, const char *subject)
{
    if (v->kind == MOF_VALUE_NULL)
        return true;
    if (v->kind != MOF_VALUE_ALIAS || MI_TYPE_IS_ARRAY(prop->type))
        return mof_error(c, &v->pos, "%s: an embedded instance takes an alias ($name)", subject);
    mof_instance *target = mof_table_find(&c->aliases, v->u.alias);
    if (!target)
        return mof_error(c, &v->pos, "%s: unknown alias '$%s'", subject, v->u.alias);
    if (!build_instance(c, target) || !complete_instance(c, target))
        return false;
    MI_Value value;
    mi_error err;
    if (mi_instance_clone(target->built, &value.instance) != MI_RESULT_OK)
        return mof_out_of_memory(c, &v->pos);
    if (mi_instance_set_element(inst, prop->name, &value, MI_INSTANCE, MI_FLAG_ADOPT, &err) !=
        MI_RESULT_OK) {
        mi_instance_delete(value.instance);
        return mof_error_from(c, &v->pos, NULL, &err);
    }
    return true;
}

/* ---- instances ---- */

/* Sets one property value: in the first pass only keys, in the second only the others. */
static bool set_property(mof_compiler *c, mof_instance *decl, MI_Instance *inst,
                         const mof_property_value *pv, bool keys)
{
    mi_class *cls = mi_instance_class(inst);
    bool *assigned = decl->assigned;
    uint32_t index;
    const mi_property *prop = mi_class_find_property(cls, pv->name, &index);
    if (!prop) {
        if (keys)
            return true; /* reported in the second pass, in source order with the rest */
        return mof_error(c, &pv->pos, "class '%s' has no property '%s'", cls->name, pv->name);
    }
    if (keys != ((prop->flags & MI_FLAG_KEY) != 0))
        return true;
    /* The property's name in messages: as text here, as parts for mof_convert_value. */
    mof_subject named = {{"property '", cls->name, ".", prop->name, "'", NULL}};
    char subject[300];
    mof_join(subject, sizeof subject, "property '", cls->name, ".", prop->name, "'", NULL);
    if (assigned[index])
        return mof_error(c, &pv->pos, "%s is given twice in this instance", subject);
    assigned[index] = true;
    for (const mof_qualifier *q = pv->qualifiers; q; q = q->next) {
        if (!mof_find_qualifier_decl(c, decl->namespace_name, q->name))
            mof_error(c, &q->pos, "unknown qualifier '%s' on %s", q->name, subject);
    }
    switch (MI_TYPE_SCALAR(prop->type)) {
    case MI_REFERENCE:
        return set_reference(c, decl, inst, prop, pv->value, subject);
    case MI_INSTANCE:
        return set_embedded(c, inst, prop, pv->value, subject);
    default:
        break;
    }
    MI_Value value;
    bool is_null;
    if (!mof_convert_value(c, pv->value, prop->type, prop->array_max, &named, &value, &is_null))
        return false;
    mi_error err;
    if (mi_instance_set_element(inst, prop->name, is_null ? NULL : &value, prop->type,
                                is_null ? MI_FLAG_NULL : 0, &err) != MI_RESULT_OK)
        return mof_error_from(c, &pv->pos, NULL, &err);
    return true;
}

static bool describe_path(const MI_Instance *path, char *out, size_t size)
{
    char *text = NULL;
    if (mi_path_format(&text, path, NULL) != MI_RESULT_OK)
        return false;
    snprintf(out, size, "%s", text);
    free(text);
    return true;
}

static bool build(mof_compiler *c, mof_instance *decl)
{
    bool known = false;
    mi_class *cls = mof_find_class(c, decl->namespace_name, decl->class_name, &known);
    if (!cls) {
        if (!known)
            mof_error(c, &decl->pos, "unknown class '%s' in instance declaration",
                      decl->class_name);
        return false;
    }
    if (cls->flags & MI_FLAG_ABSTRACT)
        return mof_error(c, &decl->pos, "class '%s' is abstract and cannot have instances",
                         cls->name);
    for (const mof_qualifier *q = decl->qualifiers; q; q = q->next) {
        if (!mof_find_qualifier_decl(c, decl->namespace_name, q->name))
            mof_error(c, &q->pos, "unknown qualifier '%s' on instance of '%s'", q->name, cls->name);
    }
    MI_Instance *inst;
    mi_error err;
    decl->assigned = cls->property_count ? mi_arena_alloc(&c->arena, cls->property_count) : NULL;
    if ((cls->property_count && !decl->assigned) ||
        mi_instance_new(&inst, NULL, cls, &err) != MI_RESULT_OK)
        return mof_out_of_memory(c, &decl->pos);
    decl->built = inst;
    bool ok = true;
    for (const mof_property_value *pv = decl->values; pv && !c->stopped; pv = pv->next)
        ok &= set_property(c, decl, inst, pv, true);
    if (!ok)
        return false;
    if (mi_instance_check_keys(inst, &err) != MI_RESULT_OK)
        return mof_error(c, &decl->pos, "instance of %s", err.message);
    MI_Instance *path = NULL;
    if (mi_path_of_instance(&path, inst, &err) != MI_RESULT_OK ||
        (decl->path = path, mi_path_hash(&decl->path_hash, path, &err)) != MI_RESULT_OK) {
        /* decl->path (when made) is freed with the other compile state */
        if (err.code == MI_RESULT_SERVER_LIMITS_EXCEEDED)
            return mof_out_of_memory(c, &decl->pos);
        return mof_error(c, &decl->pos, "instance of '%s': %s", cls->name, err.message);
    }
    if (MI_Instance_SetNameSpace(inst, decl->namespace_name) != MI_RESULT_OK)
        return mof_out_of_memory(c, &decl->pos);
    bool nomem;
    const mof_instance *first = set_add(c, decl, &nomem);
    char text[300];
    if (nomem)
        return mof_out_of_memory(c, &decl->pos);
    if (first) {
        describe_path(path, text, sizeof text);
        char where[300];
        return mof_error(c, &decl->pos, "instance %s is declared twice (first at %s)", text,
                         mof_where(&first->pos, &decl->pos, where, sizeof where));
    }
    if (!c->options.replace_existing && c->store && c->store->has_instance &&
        c->store->has_instance(c->store->context, decl->namespace_name, path)) {
        describe_path(path, text, sizeof text);
        return mof_error(c, &decl->pos, "instance %s already exists in namespace %s", text,
                         decl->namespace_name);
    }
    return true;
}

/* An instance of a class with a syntax error would only repeat that error. */
static bool quiet_for(mof_compiler *c, const mof_instance *decl)
{
    const mof_class *class_decl =
        mof_table_find(&c->classes, mof_scoped_key(c, decl->namespace_name, decl->class_name));
    return decl->broken || (class_decl && class_decl->broken);
}

static bool build_instance(mof_compiler *c, mof_instance *decl)
{
    switch (decl->visit) {
    case VISIT_DONE:
        return true;
    case VISIT_FAILED:
        return false;
    case VISIT_ACTIVE:
        mof_error(c, &decl->pos,
                  "instance of '%s' refers back to itself through the aliases in its keys",
                  decl->class_name);
        return false;
    }
    if (c->key_nesting >= MOF_MAX_KEY_NESTING) {
        mof_error(c, &decl->pos, "instance of '%s': reference keys nest more than %d levels deep",
                  decl->class_name, MOF_MAX_KEY_NESTING);
        decl->visit = VISIT_FAILED;
        return false;
    }
    decl->visit = VISIT_ACTIVE;
    c->key_nesting++;
    bool quiet = c->quiet;
    c->quiet = quiet_for(c, decl);
    bool ok = build(c, decl);
    c->quiet = quiet;
    c->key_nesting--;
    decl->visit = ok && decl->path ? VISIT_DONE : VISIT_FAILED;
    return decl->visit == VISIT_DONE;
}

/* The second pass for one instance: every property that is not a key. */
static bool complete_instance(mof_compiler *c, mof_instance *decl)
{
    if (decl->visit != VISIT_DONE)
        return false;
    if (decl->completion == COMPLETION_DONE)
        return decl->completed_ok;
    if (decl->completion == COMPLETION_ACTIVE) {
        mof_error(c, &decl->pos, "instance of '%s' embeds itself", decl->class_name);
        return false;
    }
    if (c->key_nesting >= MOF_MAX_KEY_NESTING) {
        mof_error(c, &decl->pos, "instance of '%s': embedded instances nest more than %d levels",
                  decl->class_name, MOF_MAX_KEY_NESTING);
        return false;
    }
    decl->completion = COMPLETION_ACTIVE;
    c->key_nesting++;
    bool quiet = c->quiet;
    c->quiet = quiet_for(c, decl);
    bool ok = true;
    for (const mof_property_value *pv = decl->values; pv && !c->stopped; pv = pv->next)
        ok &= set_property(c, decl, decl->built, pv, false);
    c->quiet = quiet;
    c->key_nesting--;
    decl->completion = COMPLETION_DONE;
    decl->completed_ok = ok;
    return ok;
}

void mof_compile_instances(mof_compiler *c)
{
    for (mof_instance *decl = c->unit.instances; decl && !c->stopped; decl = decl->next) {
        if (!decl->alias)
            continue;
        void *existing;
        bool nomem;
        if (!mof_table_add(&c->aliases, decl->alias, decl, &existing, &nomem)) {
            if (nomem) {
                mof_out_of_memory(c, &decl->alias_pos);
                break;
            }
            const mof_instance *first = existing;
            char where[300];
            mof_error(c, &decl->alias_pos, "alias '$%s' is declared twice (first at %s)",
                      decl->alias,
                      mof_where(&first->alias_pos, &decl->alias_pos, where, sizeof where));
        }
    }
    for (mof_instance *decl = c->unit.instances; decl && !c->stopped; decl = decl->next)
        build_instance(c, decl);
    for (mof_instance *decl = c->unit.instances; decl && !c->stopped; decl = decl->next)
        complete_instance(c, decl);
    /* The batch takes every built instance (freed with it when the compile failed). */
    for (mof_instance *decl = c->unit.instances; decl; decl = decl->next) {
        if (decl->path)
            mi_instance_delete(decl->path);
        decl->path = NULL;
        if (decl->built && decl->visit == VISIT_DONE && !c->stopped) {
            if (mi_batch_add_instance(&c->batch, decl->namespace_name, decl->built))
                mof_out_of_memory(c, &decl->pos);
        } else if (decl->built) {
            mi_instance_delete(decl->built);
        }
        decl->built = NULL;
    }
}
