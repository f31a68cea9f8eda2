/*
 * host — see host.h.
 *
 * Each operation runs as a call (call.h): the provider function on its own thread, what
 * it posts checked and bound to the module's class on the posting thread (the module's
 * classes never change, so any thread may read them), the reader taking the results
 * one by one.
 */
#include "host.h"

#include "call.h"
#include "core/instance.h"
#include "core/name.h"
#include "core/path.h"
#include "core/value.h"
#include "field_instance.h"
#include "module.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
    QUEUE_CAPACITY = 1024,          /* results a provider may be ahead of its reader */
    SINGLE_TIMEOUT_USEC = 60000000, /* Get/Create/Modify/Delete without a deadline of their own */
};

typedef struct module_entry {
    struct mi_provider_host *host;
    char *path;
    MI_MainFunction main;       /* a hosted provider's (path is then its name), or NULL */
    mi_provider_module *module; /* opened on first use */
    mi_instance_source source;
    /* the lifecycle, under the host's lock: calls using the module (from their start
     * to their free), since when none has, and what its providers asked */
    int active;
    uint64_t idle_since;
    bool refused, requested, unloading, pinned;
} module_entry;

struct mi_provider_host {
    pthread_mutex_t lock;
    pthread_cond_t changed; /* a module unloaded, or the host stopping */
    module_entry **entries;
    size_t count;
    mi_local_sessions sessions;
    unsigned idle_seconds; /* 0: modules stay loaded */
    bool reaping, stopping;
    pthread_t reaper;
};

static const mi_source_ops provider_ops;

MI_Result mi_provider_host_new(mi_provider_host **out, mi_error *err)
{
    *out = calloc(1, sizeof **out);
    if (!*out || pthread_mutex_init(&(*out)->lock, NULL) != 0) {
        free(*out);
        *out = NULL;
        return mi_error_nomem(err);
    }
    pthread_cond_init(&(*out)->changed, NULL);
    return MI_RESULT_OK;
}

void mi_provider_host_free(mi_provider_host *host)
{
    if (!host)
        return;
    if (host->reaping) {
        pthread_mutex_lock(&host->lock);
        host->stopping = true;
        pthread_cond_broadcast(&host->changed);
        pthread_mutex_unlock(&host->lock);
        pthread_join(host->reaper, NULL);
    }
    /* a provider still answering (its reader gone) gets a moment to end; one that does
     * not keeps its host: it may yet post, and find everything it uses there */
    bool busy = true;
    for (int waited = 0; busy && waited <= 300; waited++) {
        pthread_mutex_lock(&host->lock);
        busy = false;
        for (size_t i = 0; i < host->count; i++)
            busy = busy || host->entries[i]->active > 0;
        pthread_mutex_unlock(&host->lock);
        if (busy)
            nanosleep(&(struct timespec){0, 10000000L}, NULL);
    }
    if (busy)
        return;
    for (size_t i = 0; i < host->count; i++) {
        mi_provider_module_close(host->entries[i]->module);
        free(host->entries[i]->path);
        free(host->entries[i]);
    }
    free(host->entries);
    pthread_cond_destroy(&host->changed);
    pthread_mutex_destroy(&host->lock);
    free(host);
}

static uint64_t now_usec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Whether entry e is to be unloaded now (the lock held). */
static bool unload_due(const mi_provider_host *host, const module_entry *e, uint64_t now)
{
    return e->module && !e->active && !e->pinned && !e->refused &&
           (e->requested || now - e->idle_since >= (uint64_t)host->idle_seconds * 1000000u);
}

/* Unloads the modules idle for idle_seconds (or whose provider asked), checking twice a
 * second; the module's Unload runs without the lock, and an operation that needs the
 * module meanwhile waits for it and loads it again. */
static void *reap(void *arg)
{
    mi_provider_host *host = arg;
    pthread_mutex_lock(&host->lock);
    while (!host->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 500000000L;
        if (until.tv_nsec >= 1000000000L)
            until.tv_sec++, until.tv_nsec -= 1000000000L;
        pthread_cond_timedwait(&host->changed, &host->lock, &until);
        for (size_t i = 0; i < host->count && !host->stopping; i++) {
            module_entry *e = host->entries[i];
            if (!unload_due(host, e, now_usec()))
                continue;
            mi_provider_module *m = e->module;
            e->module = NULL;
            e->unloading = true;
            e->requested = false;
            pthread_mutex_unlock(&host->lock);
            mi_provider_module_close(m);
            pthread_mutex_lock(&host->lock);
            e->unloading = false;
            pthread_cond_broadcast(&host->changed);
        }
    }
    pthread_mutex_unlock(&host->lock);
    return NULL;
}

MI_Result mi_provider_host_idle_unload(mi_provider_host *host, unsigned idle_seconds, mi_error *err)
{
    if (host->reaping || !idle_seconds)
        return MI_RESULT_OK;
    host->idle_seconds = idle_seconds;
    if (pthread_create(&host->reaper, NULL, reap, host) != 0)
        return mi_error_set(err, MI_RESULT_FAILED, "cannot start the provider unloading thread");
    host->reaping = true;
    return MI_RESULT_OK;
}

bool mi_provider_host_refused_unload(mi_provider_host *host)
{
    bool refused = false;
    pthread_mutex_lock(&host->lock);
    for (size_t i = 0; i < host->count; i++)
        refused = refused || host->entries[i]->refused;
    pthread_mutex_unlock(&host->lock);
    return refused;
}

void mi_provider_host_local_sessions(mi_provider_host *host, mi_local_sessions sessions)
{
    host->sessions = sessions;
}

static MI_Result serve(mi_provider_host *host, mi_source_registry *registry, const char *ns,
                       const char *class_name, const char *module_path, MI_MainFunction main,
                       mi_error *err);

MI_Result mi_provider_host_serve(mi_provider_host *host, mi_source_registry *registry,
                                 const char *ns, const char *class_name, const char *module_path,
                                 mi_error *err)
{
    return serve(host, registry, ns, class_name, module_path, NULL, err);
}

MI_Result mi_provider_host_serve_main(mi_provider_host *host, mi_source_registry *registry,
                                      const char *ns, const char *class_name, const char *name,
                                      MI_MainFunction main, mi_error *err)
{
    return serve(host, registry, ns, class_name, name, main, err);
}

static MI_Result serve(mi_provider_host *host, mi_source_registry *registry, const char *ns,
                       const char *class_name, const char *module_path, MI_MainFunction main,
                       mi_error *err)
{
    module_entry *e = NULL;
    for (size_t i = 0; i < host->count && !e; i++)
        if (strcmp(host->entries[i]->path, module_path) == 0)
            e = host->entries[i];
    if (!e) {
        module_entry **grown = realloc(host->entries, (host->count + 1) * sizeof *grown);
        if (!grown)
            return mi_error_nomem(err);
        host->entries = grown;
        e = calloc(1, sizeof *e);
        if (!e || !(e->path = strdup(module_path))) {
            free(e);
            return mi_error_nomem(err);
        }
        e->host = host;
        e->main = main;
        e->source = (mi_instance_source){&provider_ops, e};
        host->entries[host->count++] = e;
    }
    return mi_source_registry_add(registry, ns, class_name, &e->source, err);
}

/* The module of e, opened if it is not (waiting while it is being unloaded), for one
 * more call (module_done when it ends) or, pinned, for the host's life. */
static MI_Result open_module(module_entry *e, bool pin, mi_provider_module **out, mi_error *err)
{
    mi_provider_host *host = e->host;
    pthread_mutex_lock(&host->lock);
    while (e->unloading)
        pthread_cond_wait(&host->changed, &host->lock);
    MI_Result r = e->module ? MI_RESULT_OK
                  : e->main ? mi_provider_module_from_main(e->path, e->main, &e->module, err)
                            : mi_provider_module_open(e->path, &e->module, err);
    *out = e->module;
    if (r == MI_RESULT_OK) {
        e->active += !pin;
        e->pinned = e->pinned || pin;
    }
    pthread_mutex_unlock(&host->lock);
    return r;
}

/* A call on e's module has ended; unload_wish as mi_provider_call_unload_wish says. */
static void module_done(module_entry *e, int unload_wish)
{
    mi_provider_host *host = e->host;
    pthread_mutex_lock(&host->lock);
    e->active--;
    e->idle_since = now_usec();
    e->refused = e->refused || unload_wish > 0;
    e->requested = e->requested || unload_wish < 0;
    pthread_mutex_unlock(&host->lock);
}

MI_Result mi_provider_host_module(mi_provider_host *host, const char *module_path,
                                  mi_provider_module **out, mi_error *err)
{
    *out = NULL;
    for (size_t i = 0; i < host->count; i++)
        if (strcmp(host->entries[i]->path, module_path) == 0)
            return open_module(host->entries[i], true, out, err);
    return mi_error_set(err, MI_RESULT_NOT_FOUND, "%s is not served by this host", module_path);
}

/* ---- one operation ---- */

typedef enum op_kind {
    OP_ENUMERATE,
    OP_GET,
    OP_CREATE,
    OP_MODIFY,
    OP_DELETE,
    OP_ASSOCIATORS,
    OP_REFERENCES,
    OP_INVOKE
} op_kind;

static const char *const op_verbs[] = {
    "enumerate",          "get",           "create", "modify", "delete", "give associators through",
    "give references of", "run methods of"};

/* What an operation is asked besides its class and input: AssociatorInstances its
 * filters, Invoke the method and its input parameters. */
typedef struct traversal {
    const char *result_class, *role, *result_role;
    const char *method;
    const MI_Instance *parameters;
} traversal;

typedef struct op_args {
    op_kind kind;
    mi_provider_module *module;
    const MI_ClassDecl *decl;
    void *self;
    char *ns;
    char *class_name;
    MI_Instance *input; /* a field instance of decl, the provider's to read */
    bool keys_only;
    /* what the reader takes */
    mi_class *asked;
    bool deep;
    char *result_class, *role, *result_role; /* OP_ASSOCIATORS */
    const MI_MethodDecl *method;             /* OP_INVOKE, with its parameters */
    MI_Instance *parameters;
    module_entry *entry; /* the module is in use until the args are freed */
    mi_provider_call *call;
} op_args;

static void free_args(void *p)
{
    op_args *a = p;
    if (a->input)
        MI_Instance_Delete(a->input);
    if (a->parameters)
        MI_Instance_Delete(a->parameters);
    free(a->ns);
    free(a->class_name);
    free(a->result_class);
    free(a->role);
    free(a->result_role);
    if (a->entry)
        module_done(a->entry, a->call ? mi_provider_call_unload_wish(a->call) : 0);
    free(a);
}

static void run_op(void *p, MI_Context *context)
{
    op_args *a = p;
    const MI_ProviderFT *ft = a->decl->providerFT;
    switch (a->kind) {
    case OP_ENUMERATE:
        ft->EnumerateInstances(a->self, context, a->ns, a->class_name, NULL, a->keys_only, NULL);
        break;
    case OP_GET:
        ft->GetInstance(a->self, context, a->ns, a->class_name, a->input, NULL);
        break;
    case OP_CREATE:
        ft->CreateInstance(a->self, context, a->ns, a->class_name, a->input);
        break;
    case OP_MODIFY:
        ft->ModifyInstance(a->self, context, a->ns, a->class_name, a->input, NULL);
        break;
    case OP_INVOKE: /* the method's own function (OMI's generated code), else Invoke */
        if (a->method->function)
            a->method->function(a->self, context, a->ns, a->class_name, a->method->name, a->input,
                                a->parameters);
        else
            ft->Invoke(a->self, context, a->ns, a->class_name, a->method->name, a->input,
                       a->parameters);
        break;
    case OP_DELETE:
        ft->DeleteInstance(a->self, context, a->ns, a->class_name, a->input);
        break;
    case OP_ASSOCIATORS:
        ft->AssociatorInstances(a->self, context, a->ns, a->class_name, a->input, a->result_class,
                                a->role, a->result_role, NULL, a->keys_only, NULL);
        break;
    case OP_REFERENCES:
        ft->ReferenceInstances(a->self, context, a->ns, a->class_name, a->input, a->role, NULL,
                               a->keys_only, NULL);
        break;
    }
}

static bool serves(const MI_ProviderFT *ft, op_kind kind)
{
    switch (kind) {
    case OP_ENUMERATE:
        return ft->EnumerateInstances != NULL;
    case OP_GET:
        return ft->GetInstance != NULL;
    case OP_CREATE:
        return ft->CreateInstance != NULL;
    case OP_MODIFY:
        return ft->ModifyInstance != NULL;
    case OP_DELETE:
        return ft->DeleteInstance != NULL;
    case OP_ASSOCIATORS:
        return ft->AssociatorInstances != NULL;
    case OP_REFERENCES:
        return ft->ReferenceInstances != NULL;
    case OP_INVOKE:
        return true; /* by the method: see method_of */
    }
    return false;
}

/* The declaration of method name of decl (or of a class it derives from) that can run:
 * with a function of its own or the class's Invoke; NULL when none. */
static const MI_MethodDecl *method_of(const MI_ClassDecl *decl, const char *name)
{
    for (const MI_ClassDecl *c = decl; c && name; c = c->superClassDecl)
        for (MI_Uint32 i = 0; i < c->numMethods; i++) {
            const MI_MethodDecl *m = c->methods[i];
            if (m && m->name && mi_name_equal(m->name, name))
                return m->function || (decl->providerFT && decl->providerFT->Invoke) ? m : NULL;
        }
    return NULL;
}

/* Whether a path of decl can be taken from a field instance as it is: its keys are
 * plain values (a reference key is a provider's instance, made a library one only by
 * an import). */
static bool plain_keys(const MI_ClassDecl *decl)
{
    for (MI_Uint32 i = 0; i < decl->numProperties; i++) {
        const MI_PropertyDecl *p = decl->properties[i];
        MI_Uint32 scalar = p->type & ~(MI_Uint32)MI_ARRAY;
        if ((p->flags & MI_FLAG_KEY) && (scalar == MI_REFERENCE || scalar == MI_INSTANCE))
            return false;
    }
    return true;
}

/* A reference as a path typed by its class where the module declares it. A field
 * instance of the module's own declaration is typed by it already: its path is taken
 * directly, with no copy between. */
static MI_Result reference_path(void *module, const MI_Instance *ref, MI_Instance **out,
                                mi_error *err)
{
    mi_provider_module *m = module;
    *out = NULL;
    const MI_ClassDecl *decl = mi_field_instance_decl(ref);
    if (decl && decl->name && decl == mi_provider_module_find_decl(m, decl->name) &&
        plain_keys(decl))
        return mi_path_of_instance(out, ref, err);
    const MI_Char *name = NULL;
    MI_Instance_GetClassName(ref, &name);
    mi_class *cls = name ? mi_provider_module_class(m, name) : NULL;
    MI_Instance *bound = NULL;
    MI_Result r = cls ? mi_instance_import(ref, cls, &bound, err) : MI_RESULT_OK;
    if (r == MI_RESULT_OK)
        r = mi_path_of_instance(out, bound ? bound : ref, err);
    if (bound)
        mi_instance_delete(bound);
    return r;
}

/* What the reader gets of a posted instance: bound to the module's class and checked. */
static MI_Result accept_output(op_args *a, const MI_Instance *posted, MI_Instance **out,
                               mi_error *err);

static MI_Result accept(void *p, const MI_Instance *posted, MI_Instance **out, mi_error *err)
{
    op_args *a = p;
    *out = NULL;
    if (a->kind == OP_INVOKE)
        return accept_output(a, posted, out, err);
    const char *module = mi_provider_module_name(a->module);
    const MI_Char *name = NULL;
    if (MI_Instance_GetClassName(posted, &name) != MI_RESULT_OK || !name)
        return mi_error_set(err, MI_RESULT_FAILED,
                            "provider %s posted an instance without a class name", module);
    mi_class *cls = mi_provider_module_class(a->module, name);
    if (!cls)
        return mi_error_set(err, MI_RESULT_FAILED,
                            "provider %s posted an instance of class %s, which its schema does "
                            "not declare",
                            module, name);
    if (a->asked && !mi_class_is_a(cls, a->asked->name))
        return mi_error_set(err, MI_RESULT_FAILED,
                            "provider %s posted an instance of class %s when asked to %s %s",
                            module, cls->name, op_verbs[a->kind], a->asked->name);
    if (a->asked && !a->deep && !mi_name_equal(cls->name, a->asked->name))
        return MI_RESULT_OK; /* a subclass: asked of its own, separately */
    MI_Instance *bound = NULL;
    mi_error why = {0};
    MI_Result r =
        mi_instance_import_with(posted, cls, a->ns, reference_path, a->module, &bound, &why);
    if (r == MI_RESULT_OK)
        r = mi_instance_check_keys(bound, &why);
    if (r == MI_RESULT_OK && a->keys_only) {
        MI_Instance *path = NULL;
        r = mi_path_of_instance(&path, bound, &why);
        mi_instance_delete(bound);
        bound = path;
    }
    if (r != MI_RESULT_OK) {
        if (bound)
            mi_instance_delete(bound);
        return mi_error_set(err, MI_RESULT_FAILED, "provider %s posted a bad instance: %s", module,
                            why.message);
    }
    *out = bound;
    return MI_RESULT_OK;
}

/* The output parameters of a method, as the caller gets them: an instance named after
 * the method with its return value (ReturnValue: the provider's MIReturn) and its out
 * parameters, each of its declared type. */
static MI_Result accept_output(op_args *a, const MI_Instance *posted, MI_Instance **out,
                               mi_error *err)
{
    const char *module = mi_provider_module_name(a->module);
    MI_Instance *result = NULL;
    MI_Result r = mi_instance_new(&result, a->method->name, NULL, err);
    MI_Uint32 count = 0;
    MI_Instance_GetElementCount(posted, &count);
    for (MI_Uint32 i = 0; r == MI_RESULT_OK && i < count; i++) {
        const MI_Char *name;
        MI_Value v;
        MI_Type type;
        MI_Uint32 flags;
        if (MI_Instance_GetElementAt(posted, i, &name, &v, &type, &flags) != MI_RESULT_OK)
            continue;
        bool is_return = mi_name_equal(name, "MIReturn") || mi_name_equal(name, "ReturnValue");
        const MI_ParameterDecl *declared = NULL;
        for (MI_Uint32 k = 0; !is_return && k < a->method->numParameters; k++)
            if (mi_name_equal(a->method->parameters[k]->name, name))
                declared = a->method->parameters[k];
        if (!is_return && !declared)
            r = mi_error_set(err, MI_RESULT_FAILED,
                             "provider %s posted output of %s.%s with %s, which the method "
                             "does not declare",
                             module, a->class_name, a->method->name, name);
        else if (is_return && type != (MI_Type)a->method->returnType)
            r = mi_error_set(err, MI_RESULT_FAILED,
                             "provider %s posted a %s return value for %s.%s, declared %s", module,
                             mi_type_name(type), a->class_name, a->method->name,
                             mi_type_name((MI_Type)a->method->returnType));
        else if (is_return || (declared->flags & MI_FLAG_OUT)) {
            MI_Instance *copy = NULL;
            MI_Type scalar = MI_TYPE_SCALAR(type);
            bool nested = !(flags & MI_FLAG_NULL) && !MI_TYPE_IS_ARRAY(type) &&
                          (scalar == MI_REFERENCE || scalar == MI_INSTANCE) && v.instance;
            if (nested)
                r = mi_instance_import(v.instance, NULL, &copy, err);
            MI_Value value = v;
            if (copy)
                value.instance = copy;
            if (r == MI_RESULT_OK)
                r = mi_instance_add_element(result, is_return ? "ReturnValue" : name,
                                            (flags & MI_FLAG_NULL) ? NULL : &value, type,
                                            flags & MI_FLAG_NULL, err);
            if (copy)
                mi_instance_delete(copy);
        }
    }
    if (r == MI_RESULT_OK && MI_Instance_SetNameSpace(result, a->ns) != MI_RESULT_OK)
        r = mi_error_nomem(err);
    if (r != MI_RESULT_OK) {
        if (result)
            mi_instance_delete(result);
        return r;
    }
    *out = result;
    return MI_RESULT_OK;
}

static char *copy_or_null(const char *text, bool *failed)
{
    char *copy = text ? strdup(text) : NULL;
    *failed = *failed || (text && !copy);
    return copy;
}

/* What the provider is handed as its input: a field instance of the declaration of the
 * input's class where the module declares it, else a copy. */
static MI_Result provider_input(mi_provider_module *m, const MI_Instance *input, MI_Instance **out,
                                mi_error *err)
{
    const MI_ClassDecl *decl = mi_provider_module_find_decl(m, mi_instance_class_name(input));
    if (decl)
        return mi_field_instance_from(input, decl, mi_provider_module_schema(m), out, err);
    return mi_instance_clone(input, out) == MI_RESULT_OK ? MI_RESULT_OK : mi_error_nomem(err);
}

/* Starts kind on the provider of class_name; input (a library instance, may be NULL) is
 * handed over as a field instance of its class's declaration. With via (OP_ASSOCIATORS),
 * what it posts may be of any class of the module. */
static MI_Result start(module_entry *e, op_kind kind, const char *ns, const char *class_name,
                       const MI_Instance *input, const traversal *via, bool keys_only, bool deep,
                       uint64_t deadline, const int *cancelled, mi_provider_call **out,
                       mi_error *err)
{
    *out = NULL;
    mi_provider_module *m;
    MI_Result r = open_module(e, false, &m, err);
    if (r != MI_RESULT_OK)
        return r;
    const MI_ClassDecl *decl = mi_provider_module_find_decl(m, class_name);
    mi_class *asked = kind == OP_ASSOCIATORS || kind == OP_INVOKE
                          ? NULL
                          : mi_provider_module_class(m, class_name);
    const MI_MethodDecl *method =
        kind == OP_INVOKE && decl && via ? method_of(decl, via->method) : NULL;
    op_args *a = NULL;
    if (!decl || !decl->providerFT || !serves(decl->providerFT, kind))
        r = mi_error_set(err, MI_RESULT_NOT_SUPPORTED, "provider %s does not %s instances of %s",
                         mi_provider_module_name(m), op_verbs[kind], class_name);
    else if (kind == OP_INVOKE && !method)
        r = mi_error_set(err, MI_RESULT_METHOD_NOT_AVAILABLE,
                         "provider %s does not run method %s of %s", mi_provider_module_name(m),
                         via ? via->method : "(none)", class_name);
    else if (!(a = calloc(1, sizeof *a)))
        r = mi_error_nomem(err);
    if (r != MI_RESULT_OK) {
        module_done(e, 0);
        return r;
    }
    *a = (op_args){.entry = e,
                   .kind = kind,
                   .module = m,
                   .decl = decl,
                   .ns = strdup(ns),
                   .class_name = strdup(class_name),
                   .keys_only = keys_only,
                   .asked = asked,
                   .deep = deep,
                   .method = method};
    bool failed = !a->ns || !a->class_name;
    if (via) {
        a->result_class = copy_or_null(via->result_class, &failed);
        a->role = copy_or_null(via->role, &failed);
        a->result_role = copy_or_null(via->result_role, &failed);
    }
    if (failed)
        r = mi_error_nomem(err);
    if (r == MI_RESULT_OK)
        r = mi_provider_module_provider(m, decl, &a->self, err);
    if (r == MI_RESULT_OK && input)
        r = provider_input(m, input, &a->input, err);
    if (r == MI_RESULT_OK && method)
        r = mi_field_parameters_from(via->parameters, method, mi_provider_module_schema(m),
                                     &a->parameters, err);
    mi_provider_call *call = NULL;
    if (r == MI_RESULT_OK)
        r = mi_provider_call_new(&call, mi_provider_module_name(m), deadline, cancelled,
                                 QUEUE_CAPACITY, err);
    if (r != MI_RESULT_OK) {
        free_args(a);
        return r;
    }
    mi_provider_call_local_sessions(call, e->host->sessions);
    a->call = call;
    r = mi_provider_call_start(call, run_op, accept, a, free_args, err);
    if (r != MI_RESULT_OK) {
        mi_provider_call_release(call);
        return r;
    }
    *out = call;
    return MI_RESULT_OK;
}

/* ---- the source ---- */

typedef struct cursor {
    mi_provider_call *call;
    MI_Instance *current;
} cursor;

static MI_Result src_enumerate(void *self, const mi_request *q, const char *class_name, bool deep,
                               void **out, mi_error *err)
{
    *out = NULL;
    cursor *c = calloc(1, sizeof *c);
    if (!c)
        return mi_error_nomem(err);
    MI_Result r = start(self, OP_ENUMERATE, q->namespace_name, class_name, NULL, NULL, q->keys_only,
                        deep, q->deadline_usec, q->cancelled, &c->call, err);
    if (r == MI_RESULT_NOT_SUPPORTED) /* a class it declares but does not enumerate: none */
        r = MI_RESULT_OK, mi_error_clear(err);
    if (r != MI_RESULT_OK) {
        free(c);
        return r;
    }
    *out = c;
    return MI_RESULT_OK;
}

static MI_Result src_next(void *p, mi_source_item *item, mi_error *err)
{
    cursor *c = p;
    *item = (mi_source_item){NULL, false};
    if (c->current) {
        mi_instance_delete(c->current);
        c->current = NULL;
    }
    if (!c->call)
        return MI_RESULT_OK;
    MI_Result r = mi_provider_call_next(c->call, &c->current, err);
    item->instance = c->current;
    return r;
}

bool mi_provider_host_cursor_ready(void *p)
{
    cursor *c = p;
    return !c->call || mi_provider_call_ready(c->call);
}

static MI_Instance *src_take(void *p)
{
    cursor *c = p;
    MI_Instance *taken = c->current;
    c->current = NULL;
    return taken;
}

static void src_close(void *p)
{
    cursor *c = p;
    if (c->current)
        mi_instance_delete(c->current);
    mi_provider_call_release(c->call);
    free(c);
}

static uint64_t single_deadline(void)
{
    return now_usec() + SINGLE_TIMEOUT_USEC;
}

/* GetInstance for a provider without one: its enumeration, searched. */
static MI_Result get_by_enumeration(module_entry *e, const char *ns, const MI_Instance *path,
                                    MI_Instance **out, mi_error *err)
{
    mi_provider_call *call;
    MI_Result r = start(e, OP_ENUMERATE, ns, mi_instance_class_name(path), NULL, NULL, false, true,
                        single_deadline(), NULL, &call, err);
    while (r == MI_RESULT_OK) {
        MI_Instance *inst;
        r = mi_provider_call_next(call, &inst, err);
        if (r != MI_RESULT_OK || !inst)
            break;
        if (mi_path_equal(inst, path)) {
            *out = inst;
            break;
        }
        mi_instance_delete(inst);
    }
    if (call)
        mi_provider_call_release(call);
    if (r == MI_RESULT_OK && !*out)
        r = mi_error_set(err, MI_RESULT_NOT_FOUND, "no such instance");
    return r;
}

static MI_Result src_get(void *self, const char *ns, const MI_Instance *path, MI_Instance **out,
                         mi_error *err)
{
    *out = NULL;
    mi_provider_call *call;
    MI_Result r = start(self, OP_GET, ns, mi_instance_class_name(path), path, NULL, false, true,
                        single_deadline(), NULL, &call, err);
    if (r == MI_RESULT_NOT_SUPPORTED) {
        mi_error_clear(err);
        return get_by_enumeration(self, ns, path, out, err);
    }
    if (r != MI_RESULT_OK)
        return r;
    MI_Instance *inst = NULL;
    r = mi_provider_call_next(call, &inst, err);
    if (r == MI_RESULT_OK && !inst)
        r = mi_error_set(err, MI_RESULT_NOT_FOUND, "no such instance");
    if (r == MI_RESULT_OK)
        r = mi_provider_call_finish(call, err);
    if (r == MI_RESULT_OK && !mi_path_equal(inst, path)) {
        char *asked = NULL, *given = NULL;
        mi_path_format(&asked, path, NULL);
        mi_path_format(&given, inst, NULL);
        r = mi_error_set(err, MI_RESULT_FAILED, "provider %s answered a get of %s with %s",
                         mi_provider_module_name(((module_entry *)self)->module),
                         asked ? asked : "?", given ? given : "?");
        free(asked);
        free(given);
    }
    mi_provider_call_release(call);
    if (r != MI_RESULT_OK) {
        if (inst)
            mi_instance_delete(inst);
        return r;
    }
    *out = inst;
    return MI_RESULT_OK;
}

static MI_Result change(void *self, op_kind kind, const char *ns, const MI_Instance *inst,
                        mi_error *err)
{
    mi_provider_call *call;
    MI_Result r = start(self, kind, ns, mi_instance_class_name(inst), inst, NULL, false, true,
                        single_deadline(), NULL, &call, err);
    if (r == MI_RESULT_OK)
        r = mi_provider_call_finish(call, err);
    if (call)
        mi_provider_call_release(call);
    return r;
}

static MI_Result src_create(void *self, const char *ns, const MI_Instance *inst, mi_error *err)
{
    return change(self, OP_CREATE, ns, inst, err);
}

static MI_Result src_modify(void *self, const char *ns, const MI_Instance *inst, mi_error *err)
{
    return change(self, OP_MODIFY, ns, inst, err);
}

static MI_Result src_remove(void *self, const char *ns, const MI_Instance *path, mi_error *err)
{
    return change(self, OP_DELETE, ns, path, err);
}

/* The provider's AssociatorInstances or ReferenceInstances (kind) for association class
 * assoc; NOT_SUPPORTED when it has none (the engine then walks the association's
 * instances). */
static MI_Result traverse(void *self, op_kind kind, const mi_request *q, const mi_class *assoc,
                          const MI_Instance *source, void **out, mi_error *err)
{
    *out = NULL;
    cursor *c = calloc(1, sizeof *c);
    if (!c)
        return mi_error_nomem(err);
    traversal via = {.result_class = kind == OP_ASSOCIATORS ? q->result_class : NULL,
                     .role = q->role,
                     .result_role = kind == OP_ASSOCIATORS ? q->result_role : NULL};
    MI_Result r = start(self, kind, q->namespace_name, assoc->name, source, &via, q->keys_only,
                        true, q->deadline_usec, q->cancelled, &c->call, err);
    if (r != MI_RESULT_OK) {
        free(c);
        return r;
    }
    *out = c;
    return MI_RESULT_OK;
}

/* The provider's AssociatorInstances for assoc; NOT_SUPPORTED when it has none. */
static MI_Result src_class_associators(void *self, const mi_request *q, const mi_class *assoc,
                                       const MI_Instance *source, void **out, mi_error *err)
{
    return traverse(self, OP_ASSOCIATORS, q, assoc, source, out, err);
}

/* The provider's ReferenceInstances for assoc; NOT_SUPPORTED when it has none. */
static MI_Result src_class_references(void *self, const mi_request *q, const mi_class *assoc,
                                      const MI_Instance *source, void **out, mi_error *err)
{
    return traverse(self, OP_REFERENCES, q, assoc, source, out, err);
}

static MI_Result src_invoke(void *self, const mi_request *q, const mi_class *cls,
                            const MI_Instance *target, MI_Instance **out, mi_error *err)
{
    *out = NULL;
    mi_provider_call *call = NULL;
    traversal via = {.method = q->method, .parameters = q->instance};
    MI_Result r =
        start(self, OP_INVOKE, q->namespace_name, cls->name, target, &via, false, true,
              q->deadline_usec ? q->deadline_usec : single_deadline(), q->cancelled, &call, err);
    MI_Instance *result = NULL;
    if (r == MI_RESULT_OK)
        r = mi_provider_call_next(call, &result, err);
    if (r == MI_RESULT_OK && result) /* one output, then the result */
        r = mi_provider_call_finish(call, err);
    if (call)
        mi_provider_call_release(call);
    if (r != MI_RESULT_OK) {
        if (result)
            mi_instance_delete(result);
        return r;
    }
    *out = result; /* NULL: the method gave no output, its result says how it ended */
    return MI_RESULT_OK;
}

static const mi_source_ops provider_ops = {
    .enumerate = src_enumerate,
    .get = src_get,
    .create = src_create,
    .modify = src_modify,
    .remove = src_remove,
    .class_associators = src_class_associators,
    .class_references = src_class_references,
    .invoke = src_invoke,
    .next = src_next,
    .close = src_close,
    .take = src_take,
};
