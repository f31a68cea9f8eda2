/*
 * instance — libmi's MI_Instance: an ordered set of named, typed elements with flags.
 *
 * Two kinds share one layout. A class-bound instance is created from an mi_class: it has
 * one element per class property from the start (NULL, or the property's default), and
 * only values that fit the declaration are accepted. A dynamic instance (what
 * MI_Application_NewInstance gives) starts empty and takes any element its caller adds;
 * object paths and the key instances callers pass to operations are dynamic instances
 * whose elements carry MI_FLAG_KEY.
 *
 * The MI_Instance function table (ft) wraps the functions below; these add an mi_error
 * that names the class and property at fault.
 */
#ifndef MI_CORE_INSTANCE_H
#define MI_CORE_INSTANCE_H

#include "class.h"
#include "error.h"

#include <mi.h>
#include <stdbool.h>

/* A new instance of class_name; cls (may be NULL for a dynamic instance) is referenced,
 * and when given its name is used. The caller deletes it with mi_instance_delete. */
MI_Result mi_instance_new(MI_Instance **out, const char *class_name, mi_class *cls, mi_error *err);
/* A class-bound instance with `space` spare bytes in the same allocation, at *at: values
 * stored there are set with MI_FLAG_BORROW and live exactly as long as the instance. */
MI_Result mi_instance_new_with_space(MI_Instance **out, mi_class *cls, size_t space, char **at,
                                     mi_error *err);
/* One key of mi_instance_new_keys. */
typedef struct mi_instance_key {
    const char *name;
    MI_Type type;
    MI_Uint32 flags; /* MI_FLAG_NULL for a key without a value */
    MI_Value value;
} mi_instance_key;

/* A dynamic instance of class_name holding copies of the keys (flagged MI_FLAG_KEY) in
 * namespace ns (may be NULL): an object path, in one allocation with its strings (values
 * of other types that own storage, arrays and references, are copied apart). */
MI_Result mi_instance_new_keys(MI_Instance **out, const char *class_name,
                               const mi_instance_key *keys, uint32_t count, const char *ns,
                               mi_error *err);
/* Sets the namespace to ns without copying it: ns must outlive the instance (its space). */
void mi_instance_borrow_namespace(MI_Instance *self, const char *ns);
/* Clone and delete take any MI_Instance: another implementation's (a provider's) goes
 * through its own function table. */
MI_Result mi_instance_clone(const MI_Instance *self, MI_Instance **out);
void mi_instance_delete(MI_Instance *self);

/* Whether `self` was made by this library (its ft is ours). */
bool mi_instance_is_native(const MI_Instance *self);

const char *mi_instance_class_name(const MI_Instance *self);
const char *mi_instance_namespace(const MI_Instance *self);
mi_class *mi_instance_class(const MI_Instance *self);

MI_Result mi_instance_add_element(MI_Instance *self, const char *name, const MI_Value *value,
                                  MI_Type type, MI_Uint32 flags, mi_error *err);
MI_Result mi_instance_set_element(MI_Instance *self, const char *name, const MI_Value *value,
                                  MI_Type type, MI_Uint32 flags, mi_error *err);
/* The same for element index (of a class-bound instance: the class's property index). */
MI_Result mi_instance_set_element_at(MI_Instance *self, uint32_t index, const MI_Value *value,
                                     MI_Type type, MI_Uint32 flags, mi_error *err);

/* Replaces an element's type and value regardless of its current type (dynamic
 * instances only); used when untyped path keys are resolved against their class. */
MI_Result mi_instance_retype_element(MI_Instance *self, uint32_t index, const char *name,
                                     MI_Type type, MI_Value *adopted_value);

/* Every key property of the class has a value: MI_RESULT_INVALID_PARAMETER otherwise,
 * naming the class and the first missing key. Dynamic instances always pass. */
MI_Result mi_instance_check_keys(const MI_Instance *self, mi_error *err);

/* A dynamic copy of self (values, NULL flags, namespace) whose elements are flagged as
 * keys where keys names them (a key instance or path; NULL: none) or cls declares them
 * keys (NULL: none): how an instance read without key marks gets them. */
MI_Result mi_instance_copy_with_keys(MI_Instance **out, const MI_Instance *self,
                                     const MI_Instance *keys, const mi_class *cls, mi_error *err);

/* Same class name (any case) and the same elements with equal typed values. */
bool mi_instance_equal(const MI_Instance *a, const MI_Instance *b);

#endif
