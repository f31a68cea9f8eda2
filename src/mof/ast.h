/*
 * ast — the declarations of a MOF compile as written, before any semantic check. All
 * nodes and strings live in one arena owned by the compile. Lists keep source order.
 */
#ifndef MI_MOF_AST_H
#define MI_MOF_AST_H

#include <mi.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct mof_pos {
    const char *file;
    uint32_t line;
    uint32_t column;
} mof_pos;

typedef enum mof_value_kind {
    MOF_VALUE_NULL,
    MOF_VALUE_BOOLEAN,
    MOF_VALUE_INTEGER,
    MOF_VALUE_REAL,
    MOF_VALUE_STRING,
    MOF_VALUE_CHAR,
    MOF_VALUE_ALIAS,
    MOF_VALUE_ARRAY,
} mof_value_kind;

typedef struct mof_value {
    mof_value_kind kind;
    mof_pos pos;
    union {
        bool boolean;
        struct {
            uint64_t magnitude;
            bool negative;
        } integer;
        double real;
        const char *string; /* decoded UTF-8; adjacent literals joined */
        uint32_t character;
        const char *alias;
        struct {
            struct mof_value *items;
            uint32_t count;
        } array;
    } u;
} mof_value;

typedef struct mof_qualifier {
    const char *name;
    mof_pos pos;
    mof_value *value; /* NULL when written without a value */
    uint32_t flavor;  /* flavors written after ':' (MI_FLAG_...) */
    struct mof_qualifier *next;
} mof_qualifier;

/* A data type as written: a CIM type, or `Class REF`. */
typedef struct mof_type {
    MI_Type scalar; /* MI_REFERENCE for `Class REF` */
    const char *ref_class;
    bool is_array;
    uint32_t array_size; /* 0: variable */
    mof_pos pos;
} mof_type;

typedef struct mof_parameter {
    const char *name;
    mof_pos pos;
    mof_qualifier *qualifiers;
    mof_type type;
    mof_value *default_value;
    struct mof_parameter *next;
} mof_parameter;

typedef enum mof_feature_kind {
    MOF_FEATURE_PROPERTY, /* includes references */
    MOF_FEATURE_METHOD,
} mof_feature_kind;

typedef struct mof_feature {
    mof_feature_kind kind;
    const char *name;
    mof_pos pos;
    mof_qualifier *qualifiers;
    mof_type type; /* for a method, its return type */
    mof_value *default_value;
    mof_parameter *parameters;
    struct mof_feature *next;
} mof_feature;

typedef struct mof_class {
    const char *name;
    mof_pos pos;
    const char *superclass;
    mof_pos superclass_pos;
    mof_qualifier *qualifiers;
    mof_feature *features;
    const char *namespace_name;
    bool broken; /* had a syntax error: built for lookups, its own checks are skipped */
    /* compile state */
    int visit;
    void *built; /* mi_class * */
    struct mof_class *next;
} mof_class;

typedef struct mof_property_value {
    const char *name;
    mof_pos pos;
    mof_qualifier *qualifiers;
    mof_value *value;
    struct mof_property_value *next;
} mof_property_value;

typedef struct mof_instance {
    const char *class_name;
    mof_pos pos;
    const char *alias;
    mof_pos alias_pos;
    mof_qualifier *qualifiers;
    mof_property_value *values;
    const char *namespace_name;
    bool broken;
    /* compile state */
    int visit;
    void *built; /* MI_Instance * */
    void *path;  /* MI_Instance * of its keys */
    uint64_t path_hash;
    bool *assigned; /* per class property: given a value already */
    int completion; /* second pass: not started, active, done */
    bool completed_ok;
    struct mof_instance *next;
} mof_instance;

typedef struct mof_qualifier_type {
    const char *name;
    mof_pos pos;
    mof_type type;
    mof_value *default_value;
    uint32_t scope;
    uint32_t flavor;
    const char *namespace_name;
    bool broken;
    struct mof_qualifier_type *next;
} mof_qualifier_type;

/* Everything one compile declares, in source order per kind. */
typedef struct mof_unit {
    mof_qualifier_type *qualifier_types, **qualifier_types_tail;
    mof_class *classes, **classes_tail;
    mof_instance *instances, **instances_tail;
} mof_unit;

#endif
