/*
 * The schema of the example module: the declaration of Example_Widget (its properties
 * at the offsets of Example_Widget.h) with the provider functions of Example_Widget.c.
 */
#include "Example_Widget.h"

#include <stddef.h>

static MI_CONST MI_Boolean key_value = MI_TRUE;

static MI_CONST MI_Qualifier key_qualifier = {
    MI_T("Key"), MI_BOOLEAN, MI_FLAG_DISABLEOVERRIDE | MI_FLAG_TOSUBCLASS, &key_value};

static MI_Qualifier MI_CONST *MI_CONST id_qualifiers[] = {&key_qualifier};

static MI_CONST MI_PropertyDecl Example_Widget_Id_prop = {
    MI_FLAG_PROPERTY | MI_FLAG_KEY,
    0x00696402,
    MI_T("Id"),
    id_qualifiers,
    1,
    MI_STRING,
    NULL,
    0,
    offsetof(Example_Widget, Id),
    MI_T("Example_Widget"),
    MI_T("Example_Widget"),
    NULL,
};

static MI_CONST MI_PropertyDecl Example_Widget_Color_prop = {
    MI_FLAG_PROPERTY,
    0x00637205,
    MI_T("Color"),
    NULL,
    0,
    MI_STRING,
    NULL,
    0,
    offsetof(Example_Widget, Color),
    MI_T("Example_Widget"),
    MI_T("Example_Widget"),
    NULL,
};

static MI_CONST MI_Uint32 Example_Widget_Weight_value = 10;

static MI_CONST MI_PropertyDecl Example_Widget_Weight_prop = {
    MI_FLAG_PROPERTY,
    0x00777406,
    MI_T("Weight"),
    NULL,
    0,
    MI_UINT32,
    NULL,
    0,
    offsetof(Example_Widget, Weight),
    MI_T("Example_Widget"),
    MI_T("Example_Widget"),
    &Example_Widget_Weight_value,
};

static MI_PropertyDecl MI_CONST *MI_CONST Example_Widget_props[] = {
    &Example_Widget_Id_prop,
    &Example_Widget_Color_prop,
    &Example_Widget_Weight_prop,
};

MI_EXTERN_C MI_CONST MI_ProviderFT Example_Widget_funcs;

MI_CONST MI_ClassDecl Example_Widget_rtti = {
    MI_FLAG_CLASS,          /* flags */
    0x00657414,             /* code */
    MI_T("Example_Widget"), /* name */
    NULL,                   /* qualifiers */
    0,                      /* numQualifiers */
    Example_Widget_props,   /* properties */
    3,                      /* numProperties */
    sizeof(Example_Widget), /* size */
    NULL,                   /* superClass */
    NULL,                   /* superClassDecl */
    NULL,                   /* methods */
    0,                      /* numMethods */
    NULL,                   /* schema */
    &Example_Widget_funcs,  /* providerFT */
    NULL,                   /* owningClass */
};

static MI_ClassDecl MI_CONST *MI_CONST classes[] = {&Example_Widget_rtti};

MI_SchemaDecl schemaDecl = {NULL, 0, classes, 1};
