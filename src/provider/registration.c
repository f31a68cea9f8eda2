/*
 * registration — see registration.h.
 */
#define _DEFAULT_SOURCE /* realpath */
#include "registration.h"

#include "core/name.h"
#include "core/schema_batch.h"
#include "core/value.h"
#include "module.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static unsigned depth_of(const MI_ClassDecl *decl)
{
    unsigned depth = 0;
    for (const MI_ClassDecl *c = decl->superClassDecl; c && depth < 256; c = c->superClassDecl)
        depth++;
    return depth;
}

/* Where the stored class and the module's declaration disagree, as an error. */
static MI_Result check_agrees(const mi_class *stored, const mi_class *declared, const char *ns,
                              const char *module, mi_error *err)
{
    const char *stored_super = stored->superclass ? stored->superclass->name : NULL;
    const char *declared_super = declared->superclass ? declared->superclass->name : NULL;
    if ((stored_super || declared_super) &&
        !(stored_super && declared_super && mi_name_equal(stored_super, declared_super)))
        return mi_error_set(err, MI_RESULT_INVALID_CLASS,
                            "%s declares class %s with superclass %s, but %s has it with %s",
                            module, declared->name, declared_super ? declared_super : "(none)", ns,
                            stored_super ? stored_super : "(none)");
    for (uint32_t i = 0; i < declared->property_count; i++) {
        const mi_property *p = &declared->properties[i];
        const mi_property *q = mi_class_find_property(stored, p->name, NULL);
        if (!q)
            return mi_error_set(err, MI_RESULT_INVALID_CLASS,
                                "%s declares %s.%s, which class %s in %s lacks", module,
                                declared->name, p->name, stored->name, ns);
        if (q->type != p->type || ((q->flags ^ p->flags) & MI_FLAG_KEY))
            return mi_error_set(err, MI_RESULT_INVALID_CLASS,
                                "%s declares %s.%s as %s%s, but %s has it as %s%s", module,
                                declared->name, p->name, (p->flags & MI_FLAG_KEY) ? "key " : "",
                                mi_type_name(p->type), ns, (q->flags & MI_FLAG_KEY) ? "key " : "",
                                mi_type_name(q->type));
    }
    return MI_RESULT_OK;
}

static MI_Result absolute_path(const char *path, char out[PATH_MAX], mi_error *err)
{
    if (!realpath(path, out))
        return mi_error_set(err, MI_RESULT_NOT_FOUND, "no provider module at %s", path);
    return MI_RESULT_OK;
}

/* Stores the classes of m's schema that ns lacks (superclasses first; those it has must
 * agree) and lists, in served (the caller frees the array; the names are the schema's),
 * the classes with provider functions. */
static MI_Result store_schema(mi_repository *repo, mi_provider_module *m, const char *ns,
                              mi_provider_report *report, const char ***served,
                              size_t *served_count, mi_error *err)
{
    const MI_SchemaDecl *schema = mi_provider_module_schema(m);
    const char *module = mi_provider_module_name(m);
    mi_schema_batch batch = MI_SCHEMA_BATCH_INIT;
    *served = calloc(schema->numClassDecls + 1, sizeof **served);
    *served_count = 0;
    MI_Result r = *served ? MI_RESULT_OK : mi_error_nomem(err);
    /* superclasses first: by depth in the declaration tree */
    for (unsigned depth = 0; r == MI_RESULT_OK && depth <= 256; depth++) {
        bool deeper = false;
        for (MI_Uint32 i = 0; r == MI_RESULT_OK && i < schema->numClassDecls; i++) {
            const MI_ClassDecl *decl = schema->classDecls[i];
            unsigned d = depth_of(decl);
            deeper = deeper || d > depth;
            if (d != depth)
                continue;
            mi_class *declared = mi_provider_module_class(m, decl->name);
            const mi_class *stored = mi_repository_find_class(repo, ns, decl->name);
            if (stored) {
                r = check_agrees(stored, declared, ns, module, err);
                report->classes_present += r == MI_RESULT_OK;
            } else {
                mi_class_ref(declared);
                r = mi_batch_add_class(&batch, ns, declared);
                report->classes_stored += r == MI_RESULT_OK;
            }
            if (r == MI_RESULT_OK && decl->providerFT)
                (*served)[(*served_count)++] = decl->name;
        }
        if (!deeper)
            break;
    }
    if (r == MI_RESULT_OK && *served_count == 0)
        r = mi_error_set(err, MI_RESULT_INVALID_PARAMETER,
                         "%s serves no class: no class of its schema has provider functions",
                         module);
    if (r == MI_RESULT_OK && batch.count)
        r = mi_repository_apply(repo, &batch, err);
    mi_batch_free(&batch);
    return r;
}

MI_Result mi_provider_register(mi_repository *repo, const char *module_path, const char *ns,
                               bool isolated, mi_provider_report *report, mi_error *err)
{
    memset(report, 0, sizeof *report);
    char path[PATH_MAX];
    MI_Result r = absolute_path(module_path, path, err);
    if (r != MI_RESULT_OK)
        return r;
    if (!mi_repository_has_namespace(repo, ns))
        return mi_error_set(err, MI_RESULT_INVALID_NAMESPACE, "namespace %s does not exist", ns);
    mi_provider_module *m;
    r = mi_provider_module_open(path, &m, err);
    if (r != MI_RESULT_OK)
        return r;
    const char **served = NULL;
    size_t count = 0;
    r = store_schema(repo, m, ns, report, &served, &count, err);
    mi_provider_registration *regs = r == MI_RESULT_OK ? calloc(count, sizeof *regs) : NULL;
    if (r == MI_RESULT_OK && !regs)
        r = mi_error_nomem(err);
    for (size_t i = 0; r == MI_RESULT_OK && i < count; i++)
        regs[i] = (mi_provider_registration){(char *)ns, (char *)served[i], path, isolated};
    if (r == MI_RESULT_OK)
        r = mi_repository_add_providers(repo, regs, count, err);
    if (r == MI_RESULT_OK)
        report->classes_served = (unsigned)count;
    free(regs);
    free(served);
    mi_provider_module_close(m);
    return r;
}

MI_Result mi_provider_serve_hosted(mi_repository *repo, mi_provider_host *host,
                                   mi_source_registry *registry, const char *ns, const char *name,
                                   MI_MainFunction main, mi_error *err)
{
    if (!mi_repository_has_namespace(repo, ns))
        return mi_error_set(err, MI_RESULT_INVALID_NAMESPACE, "namespace %s does not exist", ns);
    mi_provider_module *m;
    MI_Result r = mi_provider_module_from_main(name, main, &m, err);
    if (r != MI_RESULT_OK)
        return r;
    mi_provider_report report = {0};
    const char **served = NULL;
    size_t count = 0;
    r = store_schema(repo, m, ns, &report, &served, &count, err);
    for (size_t i = 0; r == MI_RESULT_OK && i < count; i++)
        r = mi_provider_host_serve_main(host, registry, ns, served[i], name, main, err);
    free(served);
    mi_provider_module_close(m);
    return r;
}

MI_Result mi_provider_unregister(mi_repository *repo, const char *module_path, const char *ns,
                                 size_t *removed, mi_error *err)
{
    char path[PATH_MAX];
    /* a module file since removed is still unregistered by the path it was given */
    const char *module = realpath(module_path, path) ? path : module_path;
    MI_Result r = mi_repository_remove_providers(repo, module, ns, removed, err);
    if (r == MI_RESULT_OK && *removed == 0)
        r = mi_error_set(err, MI_RESULT_NOT_FOUND, "%s serves no class%s%s", module,
                         ns ? " in " : "", ns ? ns : "");
    return r;
}

MI_Result mi_provider_serve_registered(mi_repository *repo, mi_provider_host *host,
                                       mi_isolated_host *isolated, mi_source_registry *registry,
                                       mi_error *err)
{
    mi_provider_registration *regs;
    size_t count;
    MI_Result r = mi_repository_providers(repo, &regs, &count, err);
    for (size_t i = 0; r == MI_RESULT_OK && i < count; i++)
        r = isolated && regs[i].isolated
                ? mi_isolated_host_serve(isolated, registry, regs[i].ns, regs[i].class_name,
                                         regs[i].module, err)
                : mi_provider_host_serve(host, registry, regs[i].ns, regs[i].class_name,
                                         regs[i].module, err);
    mi_provider_registrations_free(regs, count);
    return r;
}
