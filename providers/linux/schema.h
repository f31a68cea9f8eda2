/*
 * schema — the classes of the Linux provider, declared as tables and made into the
 * MI_ClassDecl structures of the provider API when the module starts: inherited
 * properties first, in their superclass's order, so a property has one offset in every
 * class that has it; an override takes its superclass's place.
 *
 * The CIM_ classes declare only properties the DMTF CIM Schema has, with its keys and
 * types, so that they agree with a repository holding the schema (or the sample
 * model); what the provider adds lives in its Libmi_ subclasses.
 */
#ifndef LIBMI_LINUX_SCHEMA_H
#define LIBMI_LINUX_SCHEMA_H

#include <mi.h>

typedef struct linux_property {
    const char *name;
    MI_Uint32 type;
    MI_Uint32 flags;       /* MI_FLAG_KEY */
    const char *ref_class; /* references: the class pointed at */
} linux_property;

typedef struct linux_class {
    const char *name;
    const char *superclass;           /* NULL: a root */
    MI_Uint32 flags;                  /* MI_FLAG_ABSTRACT, MI_FLAG_ASSOCIATION */
    const linux_property *properties; /* own and overridden, ended by a NULL name */
    const MI_ProviderFT *provider;    /* NULL: not served */
} linux_class;

/* Builds the schema of the table (superclasses before subclasses); NULL when memory ran
 * out. It lives as long as the process. */
MI_SchemaDecl *linux_schema_build(const linux_class *classes, MI_Uint32 count);

/* The declaration of a class of the built schema. */
const MI_ClassDecl *linux_schema_class(const char *name);

#endif
