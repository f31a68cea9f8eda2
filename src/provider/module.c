/*
 * module — see module.h.
 *
 * The MI_Module, its classes and its providers are shared by every operation: loading
 * is done once, under the module's lock; the provider functions themselves are called
 * without it (providers serve concurrent calls, as in WMI and OMI).
 */
#include "module.h"

#include "call.h"
#include "core/class_decl.h"
#include "core/name.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum { LOAD_TIMEOUT_USEC = 30000000 }; /* a Load that takes longer is taken as failed */

typedef struct loaded_class {
    const MI_ClassDecl *decl;
    mi_class *cls;
    bool loaded;
    void *self;
} loaded_class;

struct mi_provider_module {
    char *path;
    const char *name;
    void *handle;
    MI_Module *module;
    pthread_mutex_t lock;
    bool module_loaded;
    MI_Module_Self *module_self;
    loaded_class *classes;
    MI_Uint32 class_count;
    /* the order providers were loaded in: unloaded in reverse */
    MI_Uint32 *load_order;
    MI_Uint32 loaded_count;
};

static uint64_t deadline_after(uint64_t usec)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u + usec;
}

static MI_Result build_classes(mi_provider_module *m, mi_error *err)
{
    const MI_SchemaDecl *schema = m->module->schemaDecl;
    MI_Uint32 n = schema ? schema->numClassDecls : 0;
    if (!schema || (n && !schema->classDecls))
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "%s: the module has no schema",
                            m->path);
    m->classes = n ? calloc(n, sizeof *m->classes) : NULL;
    m->load_order = n ? calloc(n, sizeof *m->load_order) : NULL;
    if (n && (!m->classes || !m->load_order))
        return mi_error_nomem(err);
    for (MI_Uint32 i = 0; i < n; i++) {
        const MI_ClassDecl *decl = schema->classDecls[i];
        if (!decl || !decl->name)
            return mi_error_set(err, MI_RESULT_INVALID_PARAMETER,
                                "%s: class declaration %u of the schema has no name", m->path, i);
        mi_error e = {0};
        if (mi_class_from_decl(decl, &m->classes[i].cls, &e) != MI_RESULT_OK)
            return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "%s: %s", m->path, e.message);
        m->classes[i].decl = decl;
        m->class_count = i + 1;
    }
    return MI_RESULT_OK;
}

/* A module being opened: its names from path (a file, or a hosted provider's name). */
static mi_provider_module *module_new(const char *path, mi_error *err)
{
    mi_provider_module *m = calloc(1, sizeof *m);
    if (!m || !(m->path = strdup(path)) || pthread_mutex_init(&m->lock, NULL) != 0) {
        if (m)
            free(m->path);
        free(m);
        mi_error_nomem(err);
        return NULL;
    }
    const char *slash = strrchr(m->path, '/');
    m->name = slash ? slash + 1 : m->path;
    return m;
}

/* The module MI_Main gives, checked, and its classes made. */
static MI_Result module_take(mi_provider_module *m, MI_MainFunction main_fn, mi_error *err)
{
    MI_Result r = MI_RESULT_OK;
    if (!(m->module = main_fn(mi_provider_server())))
        r = mi_error_set(err, MI_RESULT_FAILED, "%s: MI_Main returned no module", m->path);
    if (r == MI_RESULT_OK && m->module->charSize != sizeof(MI_Char))
        r = mi_error_set(err, MI_RESULT_INVALID_PARAMETER,
                         "%s: the module uses %u-byte characters; this library's are UTF-8 (1)",
                         m->path, (unsigned)m->module->charSize);
    if (r == MI_RESULT_OK)
        r = build_classes(m, err);
    return r;
}

MI_Result mi_provider_module_open(const char *path, mi_provider_module **out, mi_error *err)
{
    *out = NULL;
    mi_provider_module *m = module_new(path, err);
    if (!m)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    MI_Result r = MI_RESULT_OK;
    m->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!m->handle) {
        const char *why = dlerror();
        r = mi_error_set(err, MI_RESULT_NOT_FOUND, "cannot load provider module %s: %s", path,
                         why ? why : "unknown reason");
    }
    MI_MainFunction main_fn = NULL;
    if (r == MI_RESULT_OK) {
        *(void **)&main_fn = dlsym(m->handle, "MI_Main");
        if (!main_fn)
            r = mi_error_set(err, MI_RESULT_INVALID_PARAMETER,
                             "%s is not a provider module: it exports no MI_Main", path);
    }
    if (r == MI_RESULT_OK)
        r = module_take(m, main_fn, err);
    if (r != MI_RESULT_OK) {
        mi_provider_module_close(m);
        return r;
    }
    *out = m;
    return MI_RESULT_OK;
}

MI_Result mi_provider_module_from_main(const char *name, MI_MainFunction main_fn,
                                       mi_provider_module **out, mi_error *err)
{
    *out = NULL;
    if (!main_fn)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "provider %s has no MI_Main", name);
    mi_provider_module *m = module_new(name, err);
    if (!m)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    MI_Result r = module_take(m, main_fn, err);
    if (r != MI_RESULT_OK) {
        mi_provider_module_close(m);
        return r;
    }
    *out = m;
    return MI_RESULT_OK;
}

/* Runs a Load or Unload through a call and waits for its result. */
typedef struct lifecycle {
    mi_provider_module *m;
    loaded_class *c; /* NULL: the module's own */
    bool unload;
} lifecycle;

static void run_lifecycle(void *arg, MI_Context *context)
{
    lifecycle *l = arg;
    if (!l->c && !l->unload)
        l->m->module->Load(&l->m->module_self, context);
    else if (!l->c)
        l->m->module->Unload(l->m->module_self, context);
    else if (!l->unload)
        l->c->decl->providerFT->Load(&l->c->self, l->m->module_self, context);
    else
        l->c->decl->providerFT->Unload(l->c->self, context);
}

static MI_Result lifecycle_call(mi_provider_module *m, loaded_class *c, bool unload, mi_error *err)
{
    lifecycle *l = calloc(1, sizeof *l);
    if (!l)
        return mi_error_nomem(err);
    *l = (lifecycle){m, c, unload};
    mi_provider_call *call;
    MI_Result r =
        mi_provider_call_new(&call, m->name, deadline_after(LOAD_TIMEOUT_USEC), NULL, 1, err);
    if (r != MI_RESULT_OK) {
        free(l);
        return r;
    }
    r = mi_provider_call_start(call, run_lifecycle, NULL, l, free, err);
    if (r == MI_RESULT_OK)
        r = mi_provider_call_finish(call, err);
    mi_provider_call_release(call);
    return r;
}

static MI_Result load_module(mi_provider_module *m, mi_error *err)
{
    if (m->module_loaded)
        return MI_RESULT_OK;
    MI_Result r = m->module->Load ? lifecycle_call(m, NULL, false, err) : MI_RESULT_OK;
    if (r != MI_RESULT_OK)
        return mi_error_set(err, r, "provider module %s did not load: %s", m->name, err->message);
    m->module_loaded = true;
    return MI_RESULT_OK;
}

MI_Result mi_provider_module_provider(mi_provider_module *m, const MI_ClassDecl *decl, void **self,
                                      mi_error *err)
{
    *self = NULL;
    loaded_class *c = NULL;
    for (MI_Uint32 i = 0; i < m->class_count && !c; i++)
        if (m->classes[i].decl == decl)
            c = &m->classes[i];
    if (!c || !decl->providerFT)
        return mi_error_set(err, MI_RESULT_NOT_SUPPORTED,
                            "provider module %s does not serve class %s", m->name,
                            decl && decl->name ? decl->name : "(null)");
    pthread_mutex_lock(&m->lock);
    MI_Result r = load_module(m, err);
    if (r == MI_RESULT_OK && !c->loaded) {
        r = decl->providerFT->Load ? lifecycle_call(m, c, false, err) : MI_RESULT_OK;
        if (r != MI_RESULT_OK)
            r = mi_error_set(err, r, "the provider of class %s in %s did not load: %s", decl->name,
                             m->name, err->message);
        else {
            c->loaded = true;
            m->load_order[m->loaded_count++] = (MI_Uint32)(c - m->classes);
        }
    }
    if (r == MI_RESULT_OK)
        *self = c->self;
    pthread_mutex_unlock(&m->lock);
    return r;
}

void mi_provider_module_close(mi_provider_module *m)
{
    if (!m)
        return;
    mi_error ignored = {0};
    while (m->loaded_count) {
        loaded_class *c = &m->classes[m->load_order[--m->loaded_count]];
        if (c->decl->providerFT->Unload)
            lifecycle_call(m, c, true, &ignored);
    }
    if (m->module_loaded && m->module->Unload)
        lifecycle_call(m, NULL, true, &ignored);
    for (MI_Uint32 i = 0; i < m->class_count; i++)
        mi_class_unref(m->classes[i].cls);
    free(m->classes);
    free(m->load_order);
    /* the file stays mapped: a provider thread that never answered may still run in it */
    pthread_mutex_destroy(&m->lock);
    free(m->path);
    free(m);
}

const char *mi_provider_module_name(const mi_provider_module *m)
{
    return m->name;
}

const char *mi_provider_module_path(const mi_provider_module *m)
{
    return m->path;
}

const MI_SchemaDecl *mi_provider_module_schema(const mi_provider_module *m)
{
    return m->module->schemaDecl;
}

const MI_ClassDecl *mi_provider_module_find_decl(const mi_provider_module *m,
                                                 const char *class_name)
{
    for (MI_Uint32 i = 0; class_name && i < m->class_count; i++)
        if (mi_name_equal(m->classes[i].decl->name, class_name))
            return m->classes[i].decl;
    return NULL;
}

mi_class *mi_provider_module_class(const mi_provider_module *m, const char *class_name)
{
    for (MI_Uint32 i = 0; class_name && i < m->class_count; i++)
        if (mi_name_equal(m->classes[i].decl->name, class_name))
            return m->classes[i].cls;
    return NULL;
}
