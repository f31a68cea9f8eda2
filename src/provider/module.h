/*
 * module — a provider module: a shared object exporting MI_Main, written against the
 * provider half of mi.h. Opening it calls MI_Main and checks what it returns; its
 * schema (MI_SchemaDecl) names the classes it declares, each class with the provider
 * functions (MI_ProviderFT) that serve it. The module and each class's provider are
 * loaded on first use and unloaded, last loaded first, when the module is closed.
 */
#ifndef MI_PROVIDER_MODULE_H
#define MI_PROVIDER_MODULE_H

#include "core/class.h"
#include "core/error.h"

#include <mi.h>

typedef struct mi_provider_module mi_provider_module;

/* Opens the shared object at path and takes its MI_Module. Errors name the file and what
 * is wrong: it cannot be loaded, has no MI_Main, MI_Main gives no module, the module's
 * character size is not this library's, or its schema does not make classes. */
MI_Result mi_provider_module_open(const char *path, mi_provider_module **out, mi_error *err);

/* A module whose MI_Main a program gives (MI_Application_NewHostedProvider): name is
 * what messages call it. */
MI_Result mi_provider_module_from_main(const char *name, MI_MainFunction main_fn,
                                       mi_provider_module **out, mi_error *err);

/* Unloads what was loaded (each class's provider, then the module) and closes the file. */
void mi_provider_module_close(mi_provider_module *module);

/* The name used in messages: the file's name. */
const char *mi_provider_module_name(const mi_provider_module *module);
const char *mi_provider_module_path(const mi_provider_module *module);
const MI_SchemaDecl *mi_provider_module_schema(const mi_provider_module *module);

/* The declaration of a class of the schema (any case), or NULL. */
const MI_ClassDecl *mi_provider_module_find_decl(const mi_provider_module *module,
                                                 const char *class_name);

/* The class a declaration of the schema makes (borrowed; lives as long as the module),
 * or NULL for a name the schema lacks. */
mi_class *mi_provider_module_class(const mi_provider_module *module, const char *class_name);

/* The provider of a declared class, loaded on first use (the module's Load first): its
 * self pointer for the provider functions. Errors name the module and class. */
MI_Result mi_provider_module_provider(mi_provider_module *module, const MI_ClassDecl *decl,
                                      void **self, mi_error *err);

#endif
