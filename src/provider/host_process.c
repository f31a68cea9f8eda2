/*
 * host_process — see host_process.h.
 *
 * The module is served by the in-process host (host.h), so what a provider posts is
 * checked here exactly as in-process; mid decodes only what passed those checks.
 */
#include "host_process.h"

#include "core/class.h"
#include "core/instance.h"
#include "frame.h"
#include "host.h"
#include "module.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

enum { REQUEST_WAIT_USEC = 10000000 };

/* The providers' local session: a session of this process on mid's repository, made
 * when a provider first asks (through the public API, as any program opens one). */
typedef struct host_session {
    const char *repository;
    pthread_mutex_t lock;
    bool made;
    MI_Application application;
    MI_Session session;
} host_session;

static MI_Result open_host_session(host_session *h)
{
    MI_DestinationOptions options = MI_DESTINATIONOPTIONS_NULL;
    MI_Result r = MI_Application_Initialize(0, MI_T("mi-host"), NULL, &h->application);
    if (r != MI_RESULT_OK)
        return r;
    r = MI_Application_NewDestinationOptions(&h->application, &options);
    if (r == MI_RESULT_OK)
        r = MI_DestinationOptions_SetString(&options, MI_T("LIBMI_REPOSITORY"), h->repository, 0);
    if (r == MI_RESULT_OK)
        r = MI_DestinationOptions_SetNumber(&options, MI_T("LIBMI_CREATE_REPOSITORY"), 0, 0);
    if (r == MI_RESULT_OK)
        r = MI_Application_NewSession(&h->application, NULL, NULL, &options, NULL, NULL,
                                      &h->session);
    if (options.ft)
        MI_DestinationOptions_Delete(&options);
    if (r != MI_RESULT_OK)
        MI_Application_Close(&h->application);
    return r;
}

static MI_Result get_host_session(void *arg, MI_Session *out)
{
    host_session *h = arg;
    pthread_mutex_lock(&h->lock);
    MI_Result r = h->made ? MI_RESULT_OK : open_host_session(h);
    h->made = r == MI_RESULT_OK;
    if (h->made)
        *out = h->session;
    pthread_mutex_unlock(&h->lock);
    return r;
}

static void close_host_session(host_session *h)
{
    if (h->made) {
        MI_Session_Close(&h->session, NULL, NULL);
        MI_Application_Close(&h->application);
    }
    pthread_mutex_destroy(&h->lock);
}

typedef struct host_state {
    atomic_int active;          /* operations running */
    _Atomic uint64_t last_done; /* when the last one ended (CLOCK_MONOTONIC usec) */
    mi_provider_host *host;
    mi_source_registry *registry;
    const mi_instance_source *source;
    mi_provider_module *module;
    host_session session;
} host_state;

static MI_Result send_result(int fd, mi_bytes *out, MI_Result code, const char *message,
                             mi_error *err)
{
    size_t f = mi_frame_begin(out, MI_FRAME_RESULT);
    mi_frame_put_u32(out, (uint32_t)code);
    mi_frame_put_string(out, code == MI_RESULT_OK ? NULL : message);
    mi_frame_end(out, f);
    return mi_frame_send(fd, out, err);
}

/* ---- the schema, sent once ---- */

static bool sent_already(mi_class **sent, size_t count, const mi_class *cls)
{
    for (size_t i = 0; i < count; i++)
        if (sent[i] == cls)
            return true;
    return false;
}

static void put_class(mi_bytes *out, mi_class *cls, mi_class ***sent, size_t *count)
{
    if (!cls || sent_already(*sent, *count, cls))
        return;
    put_class(out, cls->superclass, sent, count);
    mi_class **grown = realloc(*sent, (*count + 1) * sizeof *grown);
    if (!grown) {
        out->failed = true;
        return;
    }
    *sent = grown;
    (*sent)[(*count)++] = cls;
    mi_bytes encoded = {0};
    mi_codec_encode_class(&encoded, cls);
    size_t f = mi_frame_begin(out, MI_FRAME_CLASS);
    mi_frame_put_string(out, cls->superclass ? cls->superclass->name : NULL);
    mi_frame_put_bytes(out, encoded.data, encoded.len);
    mi_frame_end(out, f);
    if (encoded.failed)
        out->failed = true;
    mi_bytes_free(&encoded);
}

static MI_Result send_schema(int fd, mi_provider_module *m, mi_error *err)
{
    const MI_SchemaDecl *schema = mi_provider_module_schema(m);
    mi_bytes out = {0};
    mi_class **sent = NULL;
    size_t count = 0;
    for (MI_Uint32 i = 0; i < schema->numClassDecls; i++)
        if (schema->classDecls[i] && schema->classDecls[i]->name)
            put_class(&out, mi_provider_module_class(m, schema->classDecls[i]->name), &sent,
                      &count);
    free(sent);
    size_t f = mi_frame_begin(&out, MI_FRAME_READY);
    mi_frame_put_string(&out, mi_provider_module_name(m));
    mi_frame_end(&out, f);
    MI_Result r = mi_frame_send(fd, &out, err);
    mi_bytes_free(&out);
    return r;
}

/* ---- one operation ---- */

typedef struct op_conn {
    host_state *state;
    int fd;
    int cancelled;   /* set by the watcher when mid closes its end */
    atomic_int done; /* the operation has answered; the watcher stops */
} op_conn;

/* Nothing comes after the request, so a readable socket is a closed one: a cancel. */
static void *watch(void *p)
{
    op_conn *c = p;
    while (!atomic_load(&c->done)) {
        struct pollfd pf = {c->fd, POLLIN, 0};
        int n = poll(&pf, 1, 100);
        if (n > 0) {
            __atomic_store_n(&c->cancelled, 1, __ATOMIC_RELEASE);
            break;
        }
    }
    return NULL;
}

typedef struct parsed_request {
    uint8_t operation, flags;
    uint64_t deadline;
    char *ns, *class_name;
    MI_Instance *instance;                   /* bound to the module's class; NULL: none */
    char *result_class, *role, *result_role; /* ASSOCIATORS */
    char *method;                            /* INVOKE, with its input parameters */
    MI_Instance *parameters;
} parsed_request;

static MI_Result parse_request(host_state *s, const unsigned char *payload, size_t len,
                               parsed_request *q, mi_error *err)
{
    mi_frame_cursor c = {payload, payload + len};
    const unsigned char *inst = NULL;
    size_t inst_len = 0;
    if (!mi_frame_get_u8(&c, &q->operation) || !mi_frame_get_u8(&c, &q->flags) ||
        !mi_frame_get_u64(&c, &q->deadline) || !mi_frame_get_string(&c, &q->ns) ||
        !mi_frame_get_string(&c, &q->class_name) || !mi_frame_get_bytes(&c, &inst, &inst_len) ||
        !q->ns || !q->class_name)
        return mi_error_set(err, MI_RESULT_FAILED, "a damaged request frame");
    bool associators = q->operation == MI_HOST_ASSOCIATORS || q->operation == MI_HOST_REFERENCES;
    if (associators &&
        (!mi_frame_get_string(&c, &q->result_class) || !mi_frame_get_string(&c, &q->role) ||
         !mi_frame_get_string(&c, &q->result_role)))
        return mi_error_set(err, MI_RESULT_FAILED, "a damaged request frame");
    if (q->operation == MI_HOST_INVOKE) {
        const unsigned char *params = NULL;
        size_t params_len = 0;
        if (!mi_frame_get_string(&c, &q->method) || !q->method ||
            !mi_frame_get_bytes(&c, &params, &params_len))
            return mi_error_set(err, MI_RESULT_FAILED, "a damaged request frame");
        MI_Result r = params_len
                          ? mi_codec_decode_instance(params, params_len, NULL, &q->parameters, err)
                          : MI_RESULT_OK;
        if (r != MI_RESULT_OK)
            return r;
    }
    if (!inst_len)
        return MI_RESULT_OK;
    size_t name_len = 0;
    const char *name = mi_codec_instance_class_name(inst, inst_len, &name_len);
    char class_name[256];
    if (!name || name_len >= sizeof class_name)
        return mi_error_set(err, MI_RESULT_FAILED, "a damaged instance in a request");
    memcpy(class_name, name, name_len);
    class_name[name_len] = '\0';
    mi_class *cls = mi_provider_module_class(s->module, class_name);
    if (!cls && associators) { /* a source of a class the module only points at */
        MI_Result r = mi_codec_decode_instance(inst, inst_len, NULL, &q->instance, err);
        if (r == MI_RESULT_OK && MI_Instance_SetNameSpace(q->instance, q->ns) != MI_RESULT_OK)
            r = mi_error_nomem(err);
        return r;
    }
    if (!cls)
        return mi_error_set(err, MI_RESULT_INVALID_CLASS, "provider %s does not declare %s",
                            mi_provider_module_name(s->module), class_name);
    return mi_codec_decode_instance_in(inst, inst_len, cls, q->ns, &q->instance, err);
}

static MI_Result put_instance(mi_bytes *out, const MI_Instance *inst)
{
    size_t f = mi_frame_begin(out, MI_FRAME_INSTANCE);
    MI_Result r = mi_codec_encode_instance(out, inst); /* the whole payload */
    mi_frame_end(out, f);
    return out->failed ? MI_RESULT_SERVER_LIMITS_EXCEEDED : r;
}

/* Streams what cursor gives: sent when a buffer's worth waits or the provider pauses. */
static MI_Result stream(op_conn *c, MI_Result r, void *cursor, mi_bytes *out, mi_error *err)
{
    const mi_instance_source *src = c->state->source;
    while (r == MI_RESULT_OK && cursor) {
        mi_source_item item;
        r = src->ops->next(cursor, &item, err);
        if (r != MI_RESULT_OK || !item.instance)
            break;
        r = put_instance(out, item.instance);
        if (r == MI_RESULT_OK &&
            (out->len >= MI_FRAME_FLUSH || !mi_provider_host_cursor_ready(cursor)))
            r = mi_frame_send(c->fd, out, err);
    }
    if (cursor)
        src->ops->close(cursor);
    return r;
}

/* The provider's AssociatorInstances or ReferenceInstances of one association class. */
static MI_Result run_associators(op_conn *c, const parsed_request *q, mi_bytes *out, mi_error *err)
{
    const mi_instance_source *src = c->state->source;
    mi_class *assoc = mi_provider_module_class(c->state->module, q->class_name);
    if (!assoc || !q->instance)
        return mi_error_set(err, MI_RESULT_INVALID_CLASS, "provider %s does not declare %s",
                            mi_provider_module_name(c->state->module), q->class_name);
    bool references = q->operation == MI_HOST_REFERENCES;
    mi_request req = {.operation = references ? MI_OP_REFERENCES : MI_OP_ASSOCIATORS,
                      .namespace_name = q->ns,
                      .result_class = q->result_class,
                      .role = q->role,
                      .result_role = q->result_role,
                      .keys_only = (q->flags & MI_HOST_KEYS_ONLY) != 0,
                      .deadline_usec = q->deadline,
                      .cancelled = &c->cancelled};
    void *cursor = NULL;
    MI_Result r =
        references ? src->ops->class_references(src->self, &req, assoc, q->instance, &cursor, err)
                   : src->ops->class_associators(src->self, &req, assoc, q->instance, &cursor, err);
    return stream(c, r, cursor, out, err);
}

/* Streams an enumeration. */
static MI_Result run_enumerate(op_conn *c, const parsed_request *q, mi_bytes *out, mi_error *err)
{
    const mi_instance_source *src = c->state->source;
    mi_request req = {.operation = MI_OP_ENUMERATE_INSTANCES,
                      .namespace_name = q->ns,
                      .class_name = q->class_name,
                      .keys_only = (q->flags & MI_HOST_KEYS_ONLY) != 0,
                      .shallow = !(q->flags & MI_HOST_DEEP),
                      .deadline_usec = q->deadline,
                      .cancelled = &c->cancelled};
    void *cursor = NULL;
    MI_Result r = src->ops->enumerate(src->self, &req, q->class_name,
                                      (q->flags & MI_HOST_DEEP) != 0, &cursor, err);
    return stream(c, r, cursor, out, err);
}

/* A method: its output parameters, if any, as one INSTANCE frame. */
static MI_Result run_invoke(op_conn *c, const parsed_request *q, mi_bytes *out, mi_error *err)
{
    const mi_instance_source *src = c->state->source;
    mi_class *cls = mi_provider_module_class(c->state->module, q->class_name);
    if (!cls)
        return mi_error_set(err, MI_RESULT_INVALID_CLASS, "provider %s does not declare %s",
                            mi_provider_module_name(c->state->module), q->class_name);
    mi_request req = {.operation = MI_OP_INVOKE,
                      .namespace_name = q->ns,
                      .class_name = q->class_name,
                      .method = q->method,
                      .instance = q->parameters,
                      .deadline_usec = q->deadline,
                      .cancelled = &c->cancelled};
    MI_Instance *output = NULL;
    MI_Result r = src->ops->invoke(src->self, &req, cls, q->instance, &output, err);
    if (r == MI_RESULT_OK && output)
        r = put_instance(out, output);
    if (output)
        mi_instance_delete(output);
    return r;
}

static MI_Result run_request(op_conn *c, const parsed_request *q, mi_bytes *out, mi_error *err)
{
    const mi_instance_source *src = c->state->source;
    if (q->operation == MI_HOST_INVOKE)
        return run_invoke(c, q, out, err);
    if (q->operation == MI_HOST_ENUMERATE)
        return run_enumerate(c, q, out, err);
    if (q->operation == MI_HOST_ASSOCIATORS || q->operation == MI_HOST_REFERENCES)
        return run_associators(c, q, out, err);
    if (!q->instance)
        return mi_error_set(err, MI_RESULT_FAILED, "a request without its instance");
    switch (q->operation) {
    case MI_HOST_GET: {
        MI_Instance *got = NULL;
        MI_Result r = src->ops->get(src->self, q->ns, q->instance, &got, err);
        if (r == MI_RESULT_OK)
            r = put_instance(out, got);
        if (got)
            mi_instance_delete(got);
        return r;
    }
    case MI_HOST_CREATE:
        return src->ops->create(src->self, q->ns, q->instance, err);
    case MI_HOST_MODIFY:
        return src->ops->modify(src->self, q->ns, q->instance, err);
    case MI_HOST_DELETE:
        return src->ops->remove(src->self, q->ns, q->instance, err);
    }
    return mi_error_set(err, MI_RESULT_NOT_SUPPORTED, "operation %u", q->operation);
}

static void *serve_op(void *p)
{
    op_conn *c = p;
    mi_frame_reader reader;
    mi_frame_reader_init(&reader, c->fd);
    mi_error err = {0};
    parsed_request q = {0};
    mi_frame_type type;
    const unsigned char *payload;
    size_t len;
    mi_bytes out = {0};
    mi_frame_status got = mi_frame_read(&reader, mi_request_now_usec() + REQUEST_WAIT_USEC, NULL,
                                        &type, &payload, &len, &err);
    if (got == MI_FRAME_OK && type == MI_FRAME_REQUEST &&
        parse_request(c->state, payload, len, &q, &err) == MI_RESULT_OK) {
        pthread_t watcher;
        bool watching = pthread_create(&watcher, NULL, watch, c) == 0;
        MI_Result r = run_request(c, &q, &out, &err);
        if (r == MI_RESULT_OK || !__atomic_load_n(&c->cancelled, __ATOMIC_ACQUIRE)) {
            mi_error sent = {0};
            if (mi_frame_send(c->fd, &out, &sent) == MI_RESULT_OK)
                send_result(c->fd, &out, r, err.message, &sent);
            mi_error_clear(&sent);
        }
        atomic_store(&c->done, 1);
        if (watching)
            pthread_join(watcher, NULL);
    } else if (got == MI_FRAME_OK) {
        mi_error sent = {0};
        send_result(c->fd, &out, err.code ? err.code : MI_RESULT_FAILED,
                    err.message[0] ? err.message : "a request was expected", &sent);
        mi_error_clear(&sent);
    }
    if (q.instance)
        mi_instance_delete(q.instance);
    free(q.ns);
    free(q.class_name);
    free(q.result_class);
    free(q.role);
    free(q.result_role);
    free(q.method);
    if (q.parameters)
        mi_instance_delete(q.parameters);
    mi_bytes_free(&out);
    mi_error_clear(&err);
    mi_frame_reader_free(&reader);
    close(c->fd);
    host_state *s = c->state;
    free(c);
    atomic_store(&s->last_done, mi_request_now_usec());
    atomic_fetch_sub(&s->active, 1);
    return NULL;
}

/* ---- the control socket ---- */

static int receive_fd(int control)
{
    char byte;
    struct iovec iov = {&byte, 1};
    union {
        struct cmsghdr h;
        char space[CMSG_SPACE(sizeof(int))];
    } u;
    struct msghdr msg = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.space, .msg_controllen = sizeof u.space};
    for (;;) {
        ssize_t n = recvmsg(control, &msg, MSG_CMSG_CLOEXEC);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        struct cmsghdr *h = CMSG_FIRSTHDR(&msg);
        if (h && h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS) {
            int fd;
            memcpy(&fd, CMSG_DATA(h), sizeof fd);
            return fd;
        }
        return -2; /* a byte without a socket: ignored */
    }
}

/* Waits for the control socket to be readable: false when the host has been idle for
 * idle_seconds (0: never) with no operation running. */
static bool wait_control(host_state *s, int control, unsigned idle_seconds)
{
    for (;;) {
        struct pollfd pf = {control, POLLIN, 0};
        int n = poll(&pf, 1, idle_seconds ? 500 : -1);
        if (n > 0 || (n < 0 && errno != EINTR))
            return true;
        uint64_t idle_since = atomic_load(&s->last_done);
        if (idle_seconds && atomic_load(&s->active) == 0 &&
            mi_request_now_usec() - idle_since >= (uint64_t)idle_seconds * 1000000u &&
            !mi_provider_host_refused_unload(s->host))
            return false;
    }
}

int mi_provider_host_process_run(int control_fd, const char *module_path, unsigned idle_seconds,
                                 const char *repository)
{
    signal(SIGPIPE, SIG_IGN);
    host_state s = {0};
    mi_error err = {0};
    mi_bytes out = {0};
    s.session.repository = repository;
    pthread_mutex_init(&s.session.lock, NULL);
    MI_Result r = mi_provider_host_new(&s.host, &err);
    if (r == MI_RESULT_OK && repository)
        mi_provider_host_local_sessions(s.host, (mi_local_sessions){get_host_session, &s.session});
    if (r == MI_RESULT_OK)
        r = mi_source_registry_new(&s.registry, &err);
    if (r == MI_RESULT_OK)
        r = mi_provider_host_serve(s.host, s.registry, NULL, NULL, module_path, &err);
    if (r == MI_RESULT_OK)
        r = mi_provider_host_module(s.host, module_path, &s.module, &err);
    if (r == MI_RESULT_OK) {
        s.source = mi_source_registry_default(s.registry, "root");
        r = send_schema(control_fd, s.module, &err);
    } else {
        send_result(control_fd, &out, r, err.message, &(mi_error){0});
    }
    int status = r == MI_RESULT_OK ? 0 : 1;
    atomic_store(&s.last_done, mi_request_now_usec());
    bool idle = false;
    while (r == MI_RESULT_OK) {
        if (!wait_control(&s, control_fd, idle_seconds)) {
            idle = true;
            break;
        }
        int fd = receive_fd(control_fd);
        if (fd == -1)
            break;
        if (fd < 0)
            continue;
        op_conn *c = calloc(1, sizeof *c);
        pthread_t t;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        if (c) {
            c->state = &s, c->fd = fd;
            atomic_fetch_add(&s.active, 1);
            if (pthread_create(&t, &attr, serve_op, c) != 0) {
                atomic_fetch_sub(&s.active, 1);
                free(c);
                close(fd);
            }
        } else {
            close(fd);
        }
        pthread_attr_destroy(&attr);
    }
    /* idle, or closed with nothing running: the module is unloaded; else operations may
     * still run on their threads and the process ends with them */
    if (idle || atomic_load(&s.active) == 0) {
        close_host_session(&s.session);
        mi_source_registry_free(s.registry);
        mi_provider_host_free(s.host);
    }
    mi_bytes_free(&out);
    mi_error_clear(&err);
    return status;
}
