/*
 * call — see call.h.
 *
 * Two holders keep a call: the reader (until mi_provider_call_release) and the provider
 * (until it posts its result). Whoever lets go last frees it.
 */
#include "call.h"

#include "core/instance.h"
#include "core/name.h"
#include "field_instance.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct mi_provider_call {
    MI_Context context; /* first: the provider's MI_Context * is the call */
    pthread_mutex_t lock;
    pthread_cond_t readable, writable;
    int holders;
    char *provider;
    uint64_t deadline_usec;
    const int *cancelled;
    /* the posted instances not read yet, a ring */
    MI_Instance **queue;
    size_t head, count, capacity;
    bool result_posted;
    /* who sleeps on the queue: wakes are sent only to a sleeper, and a waiting writer
     * only once the queue is half empty, so that a fast pair does not switch per item */
    bool reader_waiting, writer_waiting;
    MI_Result result;
    mi_error error; /* the provider's message, or what was wrong with what it posted */
    bool reader_gone;
    MI_CancelCallback on_cancel;
    void *on_cancel_data;
    bool cancel_told;
    MI_Instance **kept;
    size_t kept_count;
    mi_provider_call_fn fn;
    mi_provider_call_accept accept;
    void *arg;
    void (*free_arg)(void *);
    int unload_wish;
    mi_local_sessions sessions;
};

static const MI_ContextFT context_ft;

static mi_provider_call *call_of(const MI_Context *context)
{
    return (mi_provider_call *)context;
}

static uint64_t now_usec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

MI_Result mi_provider_call_new(mi_provider_call **out, const char *provider, uint64_t deadline_usec,
                               const int *cancelled, size_t queue_capacity, mi_error *err)
{
    *out = NULL;
    mi_provider_call *c = calloc(1, sizeof *c);
    if (!c)
        return mi_error_nomem(err);
    c->capacity = queue_capacity ? queue_capacity : 1;
    c->queue = calloc(c->capacity, sizeof *c->queue);
    c->provider = strdup(provider ? provider : "(unnamed)");
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    bool ok = c->queue && c->provider && pthread_mutex_init(&c->lock, NULL) == 0;
    ok = ok && pthread_cond_init(&c->readable, &attr) == 0;
    ok = ok && pthread_cond_init(&c->writable, &attr) == 0;
    pthread_condattr_destroy(&attr);
    if (!ok) {
        free(c->queue);
        free(c->provider);
        free(c);
        return mi_error_nomem(err);
    }
    c->context.ft = &context_ft;
    c->holders = 2;
    c->deadline_usec = deadline_usec;
    c->cancelled = cancelled;
    *out = c;
    return MI_RESULT_OK;
}

static void call_free(mi_provider_call *c)
{
    for (size_t i = 0; i < c->count; i++)
        mi_instance_delete(c->queue[(c->head + i) % c->capacity]);
    for (size_t i = 0; i < c->kept_count; i++)
        MI_Instance_Delete(c->kept[i]);
    free(c->kept);
    if (c->free_arg)
        c->free_arg(c->arg);
    free(c->queue);
    free(c->provider);
    pthread_mutex_destroy(&c->lock);
    pthread_cond_destroy(&c->readable);
    pthread_cond_destroy(&c->writable);
    free(c);
}

/* Drops one holder (the lock held); frees the call after the last. */
static void let_go(mi_provider_call *c)
{
    bool last = --c->holders == 0;
    pthread_mutex_unlock(&c->lock);
    if (last)
        call_free(c);
}

MI_Result mi_provider_call_keep(mi_provider_call *c, MI_Instance *instance, mi_error *err)
{
    MI_Instance **grown = realloc(c->kept, (c->kept_count + 1) * sizeof *grown);
    if (!grown) {
        MI_Instance_Delete(instance);
        return mi_error_nomem(err);
    }
    c->kept = grown;
    c->kept[c->kept_count++] = instance;
    return MI_RESULT_OK;
}

static void *run(void *arg)
{
    mi_provider_call *c = arg;
    c->fn(c->arg, &c->context);
    return NULL;
}

MI_Result mi_provider_call_start(mi_provider_call *c, mi_provider_call_fn fn,
                                 mi_provider_call_accept accept, void *arg,
                                 void (*free_arg)(void *), mi_error *err)
{
    c->fn = fn;
    c->accept = accept;
    c->arg = arg;
    c->free_arg = free_arg;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t thread;
    int rc = pthread_create(&thread, &attr, run, c);
    pthread_attr_destroy(&attr);
    if (rc == 0)
        return MI_RESULT_OK;
    /* the provider never runs: its hold ends here */
    pthread_mutex_lock(&c->lock);
    c->result_posted = true;
    c->result = mi_error_set(&c->error, MI_RESULT_SERVER_LIMITS_EXCEEDED,
                             "provider %s: no thread to run it on", c->provider);
    c->holders--;
    pthread_mutex_unlock(&c->lock);
    return mi_error_set(err, c->result, "%s", c->error.message);
}

static bool reader_stopped(const mi_provider_call *c)
{
    return c->cancelled && __atomic_load_n(c->cancelled, __ATOMIC_RELAXED);
}

/* Tells the provider it is cancelled, once (the lock not held). */
static void tell_cancel(mi_provider_call *c, MI_CancellationReason reason)
{
    pthread_mutex_lock(&c->lock);
    MI_CancelCallback cb = c->cancel_told || c->result_posted ? NULL : c->on_cancel;
    void *data = c->on_cancel_data;
    c->cancel_told = c->cancel_told || cb;
    pthread_mutex_unlock(&c->lock);
    if (cb)
        cb(reason, data);
}

bool mi_provider_call_ready(mi_provider_call *c)
{
    pthread_mutex_lock(&c->lock);
    bool ready = c->count || c->result_posted;
    pthread_mutex_unlock(&c->lock);
    return ready;
}

MI_Result mi_provider_call_next(mi_provider_call *c, MI_Instance **out, mi_error *err)
{
    *out = NULL;
    pthread_mutex_lock(&c->lock);
    for (;;) {
        if (c->count) {
            *out = c->queue[c->head];
            c->head = (c->head + 1) % c->capacity;
            if (--c->count <= c->capacity / 2 && c->writer_waiting)
                pthread_cond_signal(&c->writable);
            pthread_mutex_unlock(&c->lock);
            return MI_RESULT_OK;
        }
        if (c->result_posted) {
            MI_Result r = c->result;
            if (r != MI_RESULT_OK)
                mi_error_set(err, r, "%s", c->error.message);
            pthread_mutex_unlock(&c->lock);
            return r;
        }
        bool stopped = reader_stopped(c);
        uint64_t now = now_usec();
        if (stopped || (c->deadline_usec && now >= c->deadline_usec)) {
            pthread_mutex_unlock(&c->lock);
            tell_cancel(c, stopped ? MI_REASON_NONE : MI_REASON_TIMEOUT);
            return mi_error_set(err, MI_RESULT_FAILED,
                                stopped ? "cancelled while provider %s was answering"
                                        : "timed out: provider %s did not answer in time",
                                c->provider);
        }
        /* wake at the deadline, and now and then to see a cancellation */
        uint64_t until = now + 100000;
        if (c->deadline_usec && c->deadline_usec < until)
            until = c->deadline_usec;
        struct timespec ts = {(time_t)(until / 1000000u), (long)(until % 1000000u) * 1000};
        c->reader_waiting = true;
        pthread_cond_timedwait(&c->readable, &c->lock, &ts);
        c->reader_waiting = false;
    }
}

MI_Result mi_provider_call_finish(mi_provider_call *c, mi_error *err)
{
    for (;;) {
        MI_Instance *inst;
        MI_Result r = mi_provider_call_next(c, &inst, err);
        if (r != MI_RESULT_OK || !inst)
            return r;
        mi_instance_delete(inst);
    }
}

void mi_provider_call_release(mi_provider_call *c)
{
    if (!c)
        return;
    tell_cancel(c, MI_REASON_NONE); /* nothing when the result is in */
    pthread_mutex_lock(&c->lock);
    c->reader_gone = true;
    pthread_cond_broadcast(&c->writable);
    let_go(c);
}

int mi_provider_call_unload_wish(const mi_provider_call *c)
{
    return c->unload_wish;
}

/* ---- the MI_Context a provider answers through ---- */

static bool is_cancelled(const mi_provider_call *c)
{
    return c->reader_gone || c->cancel_told || reader_stopped(c);
}

static MI_Result post_result(mi_provider_call *c, MI_Result result, const char *message)
{
    pthread_mutex_lock(&c->lock);
    if (c->result_posted) {
        pthread_mutex_unlock(&c->lock);
        return MI_RESULT_FAILED; /* one result per operation */
    }
    c->result_posted = true;
    if (c->error.code != MI_RESULT_OK) {
        c->result = c->error.code; /* what it posted was wrong: that stands */
    } else if (result != MI_RESULT_OK) {
        c->result = result;
        if (message && *message)
            mi_error_set(&c->error, result, "provider %s: %s", c->provider, message);
        else
            mi_error_set(&c->error, result, "provider %s failed (%s)", c->provider,
                         MI_Libmi_ResultName(result));
    } else {
        c->result = MI_RESULT_OK;
    }
    pthread_cond_broadcast(&c->readable);
    let_go(c);
    return MI_RESULT_OK;
}

static MI_Result MI_CALL ctx_post_result(MI_Context *context, MI_Result result)
{
    return post_result(call_of(context), result, NULL);
}

static MI_Result MI_CALL ctx_post_error(MI_Context *context, MI_Uint32 code, const MI_Char *type,
                                        const MI_Char *message)
{
    /* codes of other kinds (errno, Win32) have no CIM meaning: FAILED, with the message */
    bool cim = !type || mi_name_equal(type, MI_RESULT_TYPE_MI);
    MI_Result result = cim && code != MI_RESULT_OK ? (MI_Result)code : MI_RESULT_FAILED;
    return post_result(call_of(context), result, message);
}

static MI_Result MI_CALL ctx_post_cim_error(MI_Context *context, const MI_Instance *error)
{
    MI_Value v;
    MI_Type type;
    MI_Uint32 flags;
    MI_Result code = MI_RESULT_FAILED;
    const char *message = NULL;
    if (error &&
        MI_Instance_GetElement(error, MI_T("CIMStatusCode"), &v, &type, &flags, NULL) ==
            MI_RESULT_OK &&
        type == MI_UINT32 && !(flags & MI_FLAG_NULL) && v.uint32 != MI_RESULT_OK)
        code = (MI_Result)v.uint32;
    if (error &&
        MI_Instance_GetElement(error, MI_T("Message"), &v, &type, &flags, NULL) == MI_RESULT_OK &&
        type == MI_STRING && !(flags & MI_FLAG_NULL))
        message = v.string;
    return post_result(call_of(context), code, message);
}

static MI_Result MI_CALL ctx_post_instance(MI_Context *context, const MI_Instance *instance)
{
    mi_provider_call *c = call_of(context);
    if (!instance)
        return MI_RESULT_INVALID_PARAMETER;
    pthread_mutex_lock(&c->lock);
    bool failed = c->error.code != MI_RESULT_OK || is_cancelled(c) || c->result_posted;
    pthread_mutex_unlock(&c->lock);
    if (failed)
        return MI_RESULT_FAILED; /* the operation is over: nothing more is taken */
    MI_Instance *copy = NULL;
    mi_error e = {0};
    MI_Result r = c->accept ? c->accept(c->arg, instance, &copy, &e)
                            : mi_instance_import(instance, NULL, &copy, &e);
    pthread_mutex_lock(&c->lock);
    if (r != MI_RESULT_OK) {
        if (c->error.code == MI_RESULT_OK)
            mi_error_set(&c->error, MI_RESULT_FAILED, "%s", e.message);
        pthread_mutex_unlock(&c->lock);
        return MI_RESULT_FAILED;
    }
    if (!copy) { /* dropped */
        pthread_mutex_unlock(&c->lock);
        return MI_RESULT_OK;
    }
    while (c->count == c->capacity && !is_cancelled(c) && !c->result_posted) {
        c->writer_waiting = true;
        pthread_cond_wait(&c->writable, &c->lock);
        c->writer_waiting = false;
    }
    if (is_cancelled(c) || c->result_posted) {
        pthread_mutex_unlock(&c->lock);
        mi_instance_delete(copy);
        return MI_RESULT_FAILED;
    }
    c->queue[(c->head + c->count++) % c->capacity] = copy;
    if (c->reader_waiting)
        pthread_cond_signal(&c->readable);
    pthread_mutex_unlock(&c->lock);
    return MI_RESULT_OK;
}

static MI_Result MI_CALL ctx_post_indication(MI_Context *context, const MI_Instance *indication,
                                             MI_Uint32 count, const MI_Char *bookmark)
{
    (void)context, (void)indication, (void)count, (void)bookmark;
    return MI_RESULT_NOT_SUPPORTED; /* no subscriptions are served */
}

static MI_Result MI_CALL ctx_construct_instance(MI_Context *context, const MI_ClassDecl *decl,
                                                MI_Instance *instance)
{
    (void)context;
    return mi_field_instance_construct(instance, decl);
}

static MI_Result MI_CALL ctx_construct_parameters(MI_Context *context, const MI_MethodDecl *decl,
                                                  MI_Instance *instance)
{
    (void)context;
    return mi_field_parameters_construct(instance, decl);
}

static MI_Result MI_CALL ctx_new_instance(MI_Context *context, const MI_ClassDecl *decl,
                                          MI_Instance **instance)
{
    (void)context;
    return mi_field_instance_new(decl, instance);
}

static MI_Result MI_CALL ctx_new_dynamic_instance(MI_Context *context, const MI_Char *class_name,
                                                  MI_Uint32 flags, MI_Instance **instance)
{
    (void)context, (void)flags;
    if (!class_name || !*class_name || !instance)
        return MI_RESULT_INVALID_PARAMETER;
    return mi_instance_new(instance, class_name, NULL, NULL);
}

static MI_Result MI_CALL ctx_new_parameters(MI_Context *context, const MI_MethodDecl *decl,
                                            MI_Instance **instance)
{
    (void)context;
    return mi_field_parameters_new(decl, instance);
}

static MI_Result MI_CALL ctx_canceled(const MI_Context *context, MI_Boolean *flag)
{
    mi_provider_call *c = call_of(context);
    if (!flag)
        return MI_RESULT_INVALID_PARAMETER;
    pthread_mutex_lock(&c->lock);
    *flag = is_cancelled(c);
    pthread_mutex_unlock(&c->lock);
    return MI_RESULT_OK;
}

static MI_Result MI_CALL ctx_get_locale(const MI_Context *context, MI_LocaleType type,
                                        MI_Char locale[MI_MAX_LOCALE_SIZE])
{
    (void)context, (void)type;
    if (!locale)
        return MI_RESULT_INVALID_PARAMETER;
    strcpy(locale, "en-US");
    return MI_RESULT_OK;
}

static MI_Result MI_CALL ctx_register_cancel(MI_Context *context, MI_CancelCallback callback,
                                             void *data)
{
    mi_provider_call *c = call_of(context);
    pthread_mutex_lock(&c->lock);
    c->on_cancel = callback;
    c->on_cancel_data = data;
    bool now = is_cancelled(c) && !c->cancel_told && !c->result_posted && callback;
    c->cancel_told = c->cancel_told || now;
    pthread_mutex_unlock(&c->lock);
    if (now)
        callback(MI_REASON_NONE, data);
    return MI_RESULT_OK;
}

static MI_Result MI_CALL ctx_request_unload(MI_Context *context)
{
    call_of(context)->unload_wish = -1;
    return MI_RESULT_OK;
}

static MI_Result MI_CALL ctx_refuse_unload(MI_Context *context)
{
    call_of(context)->unload_wish = 1;
    return MI_RESULT_OK;
}

static MI_Result MI_CALL ctx_get_local_session(const MI_Context *context, MI_Session *session)
{
    if (!session)
        return MI_RESULT_INVALID_PARAMETER;
    memset(session, 0, sizeof *session);
    const mi_local_sessions *sessions = &call_of(context)->sessions;
    return sessions->get ? sessions->get(sessions->arg, session) : MI_RESULT_NOT_SUPPORTED;
}

void mi_provider_call_local_sessions(mi_provider_call *call, mi_local_sessions sessions)
{
    call->sessions = sessions;
}

static MI_Result MI_CALL ctx_set_string_option(MI_Context *context, const MI_Char *name,
                                               const MI_Char *value)
{
    (void)context, (void)value;
    return name ? MI_RESULT_OK : MI_RESULT_INVALID_PARAMETER; /* the engine filters anyway */
}

static MI_Result MI_CALL ctx_get_string_option(MI_Context *context, const MI_Char *name,
                                               const MI_Char **value)
{
    (void)context, (void)name;
    if (value)
        *value = NULL;
    return MI_RESULT_NO_SUCH_PROPERTY; /* no options reach providers */
}

static MI_Result MI_CALL ctx_get_number_option(MI_Context *context, const MI_Char *name,
                                               MI_Uint32 *value)
{
    (void)context, (void)name;
    if (value)
        *value = 0;
    return MI_RESULT_NO_SUCH_PROPERTY;
}

static MI_Result MI_CALL ctx_get_custom_option(MI_Context *context, const MI_Char *name,
                                               MI_Type *type, MI_Value *value)
{
    (void)context, (void)name, (void)type, (void)value;
    return MI_RESULT_NO_SUCH_PROPERTY;
}

static MI_Result MI_CALL ctx_get_custom_option_count(MI_Context *context, MI_Uint32 *count)
{
    (void)context;
    if (!count)
        return MI_RESULT_INVALID_PARAMETER;
    *count = 0;
    return MI_RESULT_OK;
}

static MI_Result MI_CALL ctx_get_custom_option_at(MI_Context *context, MI_Uint32 index,
                                                  const MI_Char **name, MI_Type *type,
                                                  MI_Value *value)
{
    (void)context, (void)index, (void)name, (void)type, (void)value;
    return MI_RESULT_NO_SUCH_PROPERTY;
}

static MI_Result MI_CALL ctx_write_message(MI_Context *context, MI_Uint32 channel,
                                           const MI_Char *message)
{
    (void)context, (void)channel;
    return message ? MI_RESULT_OK : MI_RESULT_INVALID_PARAMETER;
}

static MI_Result MI_CALL ctx_write_progress(MI_Context *context, const MI_Char *activity,
                                            const MI_Char *current, const MI_Char *status,
                                            MI_Uint32 percent, MI_Uint32 remaining)
{
    (void)context, (void)activity, (void)current, (void)status, (void)percent, (void)remaining;
    return MI_RESULT_OK;
}

static MI_Result MI_CALL ctx_write_stream_parameter(MI_Context *context, const MI_Char *name,
                                                    const MI_Value *value, MI_Type type,
                                                    MI_Uint32 flags)
{
    (void)context, (void)name, (void)value, (void)type, (void)flags;
    return MI_RESULT_NOT_SUPPORTED; /* no streamed parameters: methods answer whole */
}

static MI_Result MI_CALL ctx_write_cim_error(MI_Context *context, const MI_Instance *error,
                                             MI_Boolean *flag)
{
    (void)error;
    return ctx_canceled(context, flag) == MI_RESULT_OK && flag ? (*flag = !*flag, MI_RESULT_OK)
                                                               : MI_RESULT_INVALID_PARAMETER;
}

static MI_Result MI_CALL ctx_write_error(MI_Context *context, MI_Uint32 code, const MI_Char *type,
                                         const MI_Char *message, MI_Boolean *flag)
{
    (void)code, (void)type, (void)message;
    return ctx_write_cim_error(context, NULL, flag);
}

static MI_Result MI_CALL ctx_prompt_user(MI_Context *context, const MI_Char *message,
                                         MI_PromptType type, MI_Boolean *result)
{
    (void)context, (void)message, (void)type;
    if (!result)
        return MI_RESULT_INVALID_PARAMETER;
    *result = MI_TRUE; /* no one to ask: go on, as with the prompt mode off */
    return MI_RESULT_OK;
}

static MI_Result MI_CALL ctx_should_process(MI_Context *context, const MI_Char *target,
                                            const MI_Char *action, MI_Boolean *result)
{
    (void)target;
    return ctx_prompt_user(context, action, MI_PROMPTTYPE_NORMAL, result);
}

static MI_Result MI_CALL ctx_should_continue(MI_Context *context, const MI_Char *message,
                                             MI_Boolean *result)
{
    if (!result)
        return MI_RESULT_INVALID_PARAMETER;
    (void)message;
    MI_Boolean cancelled = MI_FALSE;
    ctx_canceled(context, &cancelled);
    *result = !cancelled;
    return MI_RESULT_OK;
}

static const MI_ContextFT context_ft = {
    ctx_post_result,
    ctx_post_instance,
    ctx_post_indication,
    ctx_construct_instance,
    ctx_construct_parameters,
    ctx_new_instance,
    ctx_new_dynamic_instance,
    ctx_new_parameters,
    ctx_canceled,
    ctx_get_locale,
    ctx_register_cancel,
    ctx_request_unload,
    ctx_refuse_unload,
    ctx_get_local_session,
    ctx_set_string_option,
    ctx_get_string_option,
    ctx_get_number_option,
    ctx_get_custom_option,
    ctx_get_custom_option_count,
    ctx_get_custom_option_at,
    ctx_write_message,
    ctx_write_progress,
    ctx_write_stream_parameter,
    ctx_write_cim_error,
    ctx_prompt_user,
    ctx_should_process,
    ctx_should_continue,
    ctx_post_error,
    ctx_post_cim_error,
    ctx_write_error,
};

/* ---- the server ---- */

static MI_Result MI_CALL server_version(MI_Uint32 *version)
{
    if (!version)
        return MI_RESULT_INVALID_PARAMETER;
    *version = MI_VERSION;
    return MI_RESULT_OK;
}

static MI_Result MI_CALL server_system_name(const MI_Char **name)
{
    static char host[256];
    if (!name)
        return MI_RESULT_INVALID_PARAMETER;
    if (!host[0] && gethostname(host, sizeof host - 1) != 0)
        strcpy(host, "localhost");
    *name = host;
    return MI_RESULT_OK;
}

static const MI_ServerFT server_ft = {server_version, server_system_name};

MI_Server *mi_provider_server(void)
{
    static MI_Server server = {&server_ft, &context_ft, NULL, NULL, NULL};
    return &server;
}
