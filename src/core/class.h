/*
 * class — CIM class definitions: name, superclass, qualifiers with flavors, properties
 * (type, array size, default, qualifiers, referenced class), methods with parameters.
 *
 * A class is immutable once published to readers and shared by reference count. It holds
 * a strong reference to its superclass and a flattened copy of every inherited property
 * and method, so that member lookup is one case-insensitive hash probe in the class
 * itself, never a walk up the chain. Inherited members carry only the qualifiers that
 * propagate to subclasses (not the restricted ones).
 */
#ifndef MI_CORE_CLASS_H
#define MI_CORE_CLASS_H

#include "error.h"
#include "name.h"

#include <mi.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct mi_qualifier {
    char *name;
    MI_Type type;
    MI_Uint32 flavor; /* MI_FLAG_ENABLEOVERRIDE, TOSUBCLASS, ... */
    bool is_null;
    MI_Value value;
} mi_qualifier;

/* A qualifier type declaration: what a qualifier of that name holds, where it may appear
 * (scope: MI_FLAG_CLASS, _ASSOCIATION, _PROPERTY, ... or MI_FLAG_ANY) and its default
 * flavor (MI_FLAG_ENABLEOVERRIDE or _DISABLEOVERRIDE, MI_FLAG_TOSUBCLASS or _RESTRICTED,
 * MI_FLAG_TRANSLATABLE). */
typedef struct mi_qualifier_decl {
    char *name;
    MI_Type type;
    MI_Uint32 array_max; /* fixed array size, 0 for variable-length or scalar */
    MI_Uint32 scope;
    MI_Uint32 flavor;
    bool has_default;
    MI_Value default_value;
} mi_qualifier_decl;

/* The qualifiers of one element. Lists may share their storage (see class.c); go through
 * the functions below. A zeroed list is empty. */
typedef struct mi_qualifier_set mi_qualifier_set;
typedef struct mi_qualifier_list {
    mi_qualifier_set *set;
} mi_qualifier_list;

typedef struct mi_property {
    char *name;
    MI_Type type;
    char *ref_class;     /* declared class of a reference, or of an embedded instance */
    MI_Uint32 array_max; /* fixed array size, 0 for variable-length or scalar */
    MI_Uint32 flags;     /* MI_FLAG_KEY, MI_FLAG_READONLY, MI_FLAG_REQUIRED, ... */
    bool has_default;
    MI_Value default_value;
    char *origin; /* the class that first declared the property */
    bool local;   /* declared or overridden by this class, not merely inherited */
    mi_qualifier_list qualifiers;
} mi_property;

typedef struct mi_parameter {
    char *name;
    MI_Type type;
    char *ref_class;
    MI_Uint32 array_max;
    MI_Uint32 flags; /* MI_FLAG_IN, MI_FLAG_OUT */
    mi_qualifier_list qualifiers;
} mi_parameter;

typedef struct mi_method {
    char *name;
    MI_Type return_type;
    char *origin;
    bool local;
    mi_qualifier_list qualifiers;
    mi_parameter *parameters;
    uint32_t parameter_count;
    uint32_t parameter_capacity;
    mi_nametable parameter_index;
} mi_method;

typedef struct mi_class {
    int refcount;
    char *name;
    struct mi_class *superclass;
    MI_Uint32 flags; /* MI_FLAG_CLASS, MI_FLAG_ASSOCIATION, MI_FLAG_INDICATION, ... */
    mi_qualifier_list qualifiers;
    mi_property *properties;
    uint32_t property_count;
    uint32_t property_capacity;
    mi_nametable property_index;
    mi_method *methods;
    uint32_t method_count;
    uint32_t method_capacity;
    mi_nametable method_index;
    uint32_t key_count;
} mi_class;

/* What a property or parameter is declared as; strings are copied. */
typedef struct mi_feature_spec {
    const char *name;
    MI_Type type;
    const char *ref_class;
    MI_Uint32 array_max;
    MI_Uint32 flags;
    const MI_Value *default_value; /* NULL: no default */
} mi_feature_spec;

/* A new declaration; the name and default value are copied. */
MI_Result mi_qualifier_decl_new(mi_qualifier_decl **out, const char *name, MI_Type type,
                                MI_Uint32 array_max, MI_Uint32 scope, MI_Uint32 flavor,
                                const MI_Value *default_value, mi_error *err);
void mi_qualifier_decl_free(mi_qualifier_decl *decl);

/* Whether a qualifier with this flavor is passed on to subclasses (it is unless
 * restricted). */
bool mi_qualifier_propagates(MI_Uint32 flavor);

/* Copies into dst the qualifiers of src that propagate to subclasses and that dst does
 * not hold yet. */
MI_Result mi_qualifier_list_inherit(mi_qualifier_list *dst, const mi_qualifier_list *src,
                                    mi_error *err);

/* A new class inheriting every property and method of superclass (which may be NULL).
 * The class starts with a reference count of 1. */
MI_Result mi_class_new(mi_class **out, const char *name, mi_class *superclass, mi_error *err);
void mi_class_ref(mi_class *cls);
void mi_class_unref(mi_class *cls);

/* MI_RESULT_ALREADY_EXISTS for a qualifier given twice. A NULL value makes it NULL. */
MI_Result mi_qualifier_list_add(mi_qualifier_list *list, const char *name, MI_Type type,
                                const MI_Value *value, MI_Uint32 flavor, mi_error *err);
/* Frees every qualifier and leaves the list empty (reusable). */
void mi_qualifier_list_free(mi_qualifier_list *list);
const mi_qualifier *mi_qualifier_list_find(const mi_qualifier_list *list, const char *name);
uint32_t mi_qualifier_list_count(const mi_qualifier_list *list);
/* Whether the list holds the qualifier as a boolean TRUE. */
bool mi_qualifier_list_true(const mi_qualifier_list *list, const char *name);
const mi_qualifier *mi_qualifier_list_at(const mi_qualifier_list *list, uint32_t i);

/* Adds a property, or overrides an inherited one of the same name (which keeps its
 * position and origin but takes the new declaration). A property declared twice in the
 * same class is MI_RESULT_ALREADY_EXISTS. *index (if given) receives its position. */
MI_Result mi_class_add_property(mi_class *cls, const mi_feature_spec *spec, uint32_t *index,
                                mi_error *err);
const mi_property *mi_class_find_property(const mi_class *cls, const char *name, uint32_t *index);
mi_property *mi_class_property_at(mi_class *cls, uint32_t index);

MI_Result mi_class_add_method(mi_class *cls, const char *name, MI_Type return_type, uint32_t *index,
                              mi_error *err);
const mi_method *mi_class_find_method(const mi_class *cls, const char *name);
mi_method *mi_class_method_at(mi_class *cls, uint32_t index);
MI_Result mi_method_add_parameter(mi_method *method, const mi_feature_spec *spec, uint32_t *index,
                                  mi_error *err);
const mi_parameter *mi_method_find_parameter(const mi_method *method, const char *name);

/* Adds the flags the class's qualifiers give: Association, Indication, Abstract,
 * Terminal. */
void mi_class_flags_from_qualifiers(mi_class *cls);

/* Whether cls is the class `name` or derives from it. */
bool mi_class_is_a(const mi_class *cls, const char *name);

#endif
