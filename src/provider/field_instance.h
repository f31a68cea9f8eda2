/*
 * field_instance — instances laid out as generated provider code declares them: the
 * MI_Instance header followed by one MI_<Type>Field per property (or parameter) at the
 * offset its declaration gives. Provider code reads and writes those fields directly
 * (self->Name.value, self->Name.exists), so for these instances the fields are the
 * values; the MI_Instance functions read and write the same memory.
 *
 * What the library stores into a field (a copied string, array or reference) it owns
 * and frees on overwrite, clear or destruct; what provider code writes directly stays
 * the provider's.
 */
#ifndef MI_PROVIDER_FIELD_INSTANCE_H
#define MI_PROVIDER_FIELD_INSTANCE_H

#include "core/class.h"
#include "core/error.h"

#include <mi.h>
#include <stdbool.h>

/* Makes self (decl->size bytes of the caller's memory) an instance of decl: every field
 * NULL or its declared default. MI_Instance_Destruct releases what it holds. */
MI_Result mi_field_instance_construct(MI_Instance *self, const MI_ClassDecl *decl);
/* The same for the parameters of a method (its MI_MethodDecl's layout). */
MI_Result mi_field_parameters_construct(MI_Instance *self, const MI_MethodDecl *decl);

/* A field instance of decl in memory of its own; MI_Instance_Delete frees it. */
MI_Result mi_field_instance_new(const MI_ClassDecl *decl, MI_Instance **out);
MI_Result mi_field_parameters_new(const MI_MethodDecl *decl, MI_Instance **out);

bool mi_field_instance_is(const MI_Instance *self);
/* The class declaration a field instance is laid out by; NULL for any other instance
 * (and for parameters). */
const MI_ClassDecl *mi_field_instance_decl(const MI_Instance *self);

/* A field instance of decl holding what source (any MI_Instance) holds, each element put
 * into the field of the same name; an element decl lacks is skipped. References and
 * embedded instances whose class schema declares become field instances of that
 * declaration too, the others stay as they are (copied). */
MI_Result mi_field_instance_from(const MI_Instance *source, const MI_ClassDecl *decl,
                                 const MI_SchemaDecl *schema, MI_Instance **out, mi_error *err);

/* The same for the parameters of a method (source NULL: none given, every field NULL or
 * its default). */
MI_Result mi_field_parameters_from(const MI_Instance *source, const MI_MethodDecl *decl,
                                   const MI_SchemaDecl *schema, MI_Instance **out, mi_error *err);

/* A library instance (core/instance.h) holding what any MI_Instance holds: bound to cls
 * when given (every element must then be a property of cls, of its type), else dynamic.
 * References and embedded instances are copied the same way, dynamically. Errors name
 * the class and element at fault. */
MI_Result mi_instance_import(const MI_Instance *foreign, mi_class *cls, MI_Instance **out,
                             mi_error *err);

/* The same in namespace ns (NULL: the foreign instance's), each single reference given by
 * reference(context, ...) instead (a library instance the copy adopts). */
typedef MI_Result (*mi_import_reference)(void *context, const MI_Instance *ref, MI_Instance **out,
                                         mi_error *err);
MI_Result mi_instance_import_with(const MI_Instance *foreign, mi_class *cls, const char *ns,
                                  mi_import_reference reference, void *context, MI_Instance **out,
                                  mi_error *err);

#endif
