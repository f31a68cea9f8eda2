/*
 * isolated — see isolated.h.
 *
 * The classes a host sends at start are decoded once per host process into a schema
 * that the results of its operations are bound to; a schema outlives its process (the
 * instances bound to it may), until the host itself is freed.
 */
#define _GNU_SOURCE /* posix_spawn_file_actions_addclosefrom_np */
#include "isolated.h"

#include "core/class.h"
#include "core/instance.h"
#include "frame.h"
#include "host.h"
#include "host_process.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

enum {
    START_USEC = 30000000,          /* a host's schema, from its start */
    SINGLE_TIMEOUT_USEC = 60000000, /* Get/Create/Modify/Delete without a deadline */
    GRACE_USEC = 5000000,           /* past the deadline, before the host is killed */
    REAP_USEC = 2000000,            /* waiting for a host whose socket closed to end */
};

typedef struct schema {
    mi_class **classes;
    size_t count;
} schema;

typedef struct hosted_module {
    struct mi_isolated_host *host;
    char *path;
    const char *name; /* the file name, in messages */
    pthread_mutex_t lock;
    pid_t pid; /* 0: not running */
    int control;
    schema *current;
    schema **retired;
    size_t retired_count;
    char last_end[160]; /* how the last host process ended */
    bool ended_idle;    /* it ended by itself, idle (status 0) */
    mi_instance_source source;
} hosted_module;

struct mi_isolated_host {
    char *program;
    char *repository; /* for the providers' local sessions, or NULL */
    unsigned idle_seconds;
    pthread_mutex_t lock;
    hosted_module **modules;
    size_t count;
};

static const mi_source_ops isolated_ops;

static uint64_t now_usec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

MI_Result mi_isolated_host_new(mi_isolated_host **out, const char *program, unsigned idle_seconds,
                               mi_error *err)
{
    *out = NULL;
    mi_isolated_host *h = calloc(1, sizeof *h);
    if (!h)
        return mi_error_nomem(err);
    char found[4096];
    const char *env = getenv("LIBMI_HOST_PROGRAM");
    if (!program && env && *env)
        program = env;
    if (!program && mi_provider_find_installed("libmi/mi-host", found, sizeof found))
        program = found;
    h->idle_seconds = idle_seconds;
    if ((program && !(h->program = strdup(program))) || pthread_mutex_init(&h->lock, NULL)) {
        free(h->program);
        free(h);
        return mi_error_nomem(err);
    }
    *out = h;
    return MI_RESULT_OK;
}

static void free_schema(schema *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->count; i++)
        mi_class_unref(s->classes[i]);
    free(s->classes);
    free(s);
}

/* The host process is gone or going (lock held): its schema retires. */
static void forget_process(hosted_module *m)
{
    if (m->control >= 0)
        close(m->control);
    m->control = -1;
    m->pid = 0;
    if (m->current) {
        schema **grown = realloc(m->retired, (m->retired_count + 1) * sizeof *grown);
        if (grown) {
            m->retired = grown;
            m->retired[m->retired_count++] = m->current;
        } /* else: leaked rather than freed under instances that may use it */
        m->current = NULL;
    }
}

static void describe_end(int status, char *out, size_t size)
{
    if (WIFSIGNALED(status))
        snprintf(out, size, "was ended by signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    else if (WIFEXITED(status))
        snprintf(out, size, "exited with status %d", WEXITSTATUS(status));
    else
        snprintf(out, size, "ended");
}

/* Waits up to usec for the process to end (lock held); whether it did. */
static bool reap(hosted_module *m, uint64_t usec)
{
    uint64_t until = now_usec() + usec;
    for (;;) {
        int status;
        pid_t w = waitpid(m->pid, &status, WNOHANG);
        if (w == m->pid || (w < 0 && errno == ECHILD)) {
            m->ended_idle = w == m->pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
            if (w == m->pid)
                describe_end(status, m->last_end, sizeof m->last_end);
            else
                snprintf(m->last_end, sizeof m->last_end, "ended");
            return true;
        }
        if (now_usec() >= until)
            return false;
        nanosleep(&(struct timespec){0, 10000000}, NULL);
    }
}

static void stop_process(hosted_module *m)
{
    if (!m->pid)
        return;
    if (m->control >= 0)
        shutdown(m->control, SHUT_RDWR);
    if (!reap(m, 200000)) {
        kill(m->pid, SIGKILL);
        reap(m, REAP_USEC);
    }
    forget_process(m);
}

void mi_isolated_host_free(mi_isolated_host *host)
{
    if (!host)
        return;
    for (size_t i = 0; i < host->count; i++) {
        hosted_module *m = host->modules[i];
        stop_process(m);
        for (size_t j = 0; j < m->retired_count; j++)
            free_schema(m->retired[j]);
        free(m->retired);
        pthread_mutex_destroy(&m->lock);
        free(m->path);
        free(m);
    }
    free(host->modules);
    pthread_mutex_destroy(&host->lock);
    free(host->program);
    free(host->repository);
    free(host);
}

MI_Result mi_isolated_host_repository(mi_isolated_host *host, const char *path, mi_error *err)
{
    char *copy = path ? strdup(path) : NULL;
    if (path && !copy)
        return mi_error_nomem(err);
    free(host->repository);
    host->repository = copy;
    return MI_RESULT_OK;
}

MI_Result mi_isolated_host_serve(mi_isolated_host *host, mi_source_registry *registry,
                                 const char *ns, const char *class_name, const char *module_path,
                                 mi_error *err)
{
    pthread_mutex_lock(&host->lock);
    hosted_module *m = NULL;
    for (size_t i = 0; i < host->count && !m; i++)
        if (strcmp(host->modules[i]->path, module_path) == 0)
            m = host->modules[i];
    if (!m) {
        hosted_module **grown = realloc(host->modules, (host->count + 1) * sizeof *grown);
        m = grown ? calloc(1, sizeof *m) : NULL;
        if (grown)
            host->modules = grown;
        if (!m || !(m->path = strdup(module_path)) || pthread_mutex_init(&m->lock, NULL)) {
            if (m)
                free(m->path);
            free(m);
            pthread_mutex_unlock(&host->lock);
            return mi_error_nomem(err);
        }
        const char *slash = strrchr(m->path, '/');
        m->name = slash ? slash + 1 : m->path;
        m->host = host;
        m->control = -1;
        m->source = (mi_instance_source){&isolated_ops, m};
        host->modules[host->count++] = m;
    }
    pthread_mutex_unlock(&host->lock);
    return mi_source_registry_add(registry, ns, class_name, &m->source, err);
}

/* ---- starting a host ---- */

static mi_class *schema_find(const schema *s, const char *name, size_t len)
{
    for (size_t i = 0; s && i < s->count; i++)
        if (strlen(s->classes[i]->name) == len && strncasecmp(s->classes[i]->name, name, len) == 0)
            return s->classes[i];
    return NULL;
}

static MI_Result add_class(schema *s, const unsigned char *payload, size_t len, mi_error *err)
{
    mi_frame_cursor c = {payload, payload + len};
    char *super_name = NULL;
    const unsigned char *data;
    size_t size;
    if (!mi_frame_get_string(&c, &super_name) || !mi_frame_get_bytes(&c, &data, &size)) {
        free(super_name);
        return mi_error_set(err, MI_RESULT_FAILED, "a damaged class frame");
    }
    mi_class *super = super_name ? schema_find(s, super_name, strlen(super_name)) : NULL;
    bool missing = super_name && !super;
    free(super_name);
    if (missing)
        return mi_error_set(err, MI_RESULT_FAILED, "a class sent before its superclass");
    mi_class *cls = NULL;
    MI_Result r = mi_codec_decode_class(data, size, super, &cls, err);
    mi_class **grown =
        r == MI_RESULT_OK ? realloc(s->classes, (s->count + 1) * sizeof *grown) : NULL;
    if (r == MI_RESULT_OK && !grown) {
        mi_class_unref(cls);
        return mi_error_nomem(err);
    }
    if (r == MI_RESULT_OK) {
        s->classes = grown;
        s->classes[s->count++] = cls;
    }
    return r;
}

/* Reads the schema a new host sends (lock held). */
static MI_Result read_schema(hosted_module *m, mi_error *err)
{
    schema *s = calloc(1, sizeof *s);
    if (!s)
        return mi_error_nomem(err);
    mi_frame_reader reader;
    mi_frame_reader_init(&reader, m->control);
    uint64_t deadline = now_usec() + START_USEC;
    MI_Result r = MI_RESULT_OK;
    for (;;) {
        mi_frame_type type;
        const unsigned char *payload;
        size_t len;
        mi_error why = {0};
        mi_frame_status got = mi_frame_read(&reader, deadline, NULL, &type, &payload, &len, &why);
        if (got != MI_FRAME_OK) {
            if (got == MI_FRAME_TIMED_OUT)
                kill(m->pid, SIGKILL);
            if (reap(m, REAP_USEC))
                r = mi_error_set(err, MI_RESULT_FAILED,
                                 "provider %s: its host process %s while starting", m->name,
                                 m->last_end);
            else
                r = mi_error_set(err, MI_RESULT_FAILED, "provider %s: its host process: %s",
                                 m->name, why.message);
            break;
        }
        if (type == MI_FRAME_READY)
            break;
        if (type == MI_FRAME_CLASS) {
            r = add_class(s, payload, len, err);
        } else if (type == MI_FRAME_RESULT) {
            mi_frame_cursor c = {payload, payload + len};
            uint32_t code = MI_RESULT_FAILED;
            char *message = NULL;
            mi_frame_get_u32(&c, &code);
            mi_frame_get_string(&c, &message);
            r = mi_error_set(err, code ? (MI_Result)code : MI_RESULT_FAILED, "%s",
                             message ? message : "the provider host could not start");
            free(message);
        } else {
            r = mi_error_set(err, MI_RESULT_FAILED, "provider %s: an unexpected frame at start",
                             m->name);
        }
        if (r != MI_RESULT_OK)
            break;
    }
    mi_frame_reader_free(&reader);
    if (r != MI_RESULT_OK) {
        free_schema(s);
        return r;
    }
    m->current = s;
    return MI_RESULT_OK;
}

static MI_Result spawn(hosted_module *m, mi_error *err)
{
    if (!m->host->program)
        return mi_error_set(err, MI_RESULT_FAILED,
                            "provider %s: the provider host program (libmi/mi-host) was not "
                            "found; set LIBMI_HOST_PROGRAM",
                            m->name);
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return mi_error_set(err, MI_RESULT_FAILED, "provider %s: socketpair: %s", m->name,
                            strerror(errno));
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, sv[1], 3);
    posix_spawn_file_actions_addclosefrom_np(&fa, 4);
    char idle[16];
    snprintf(idle, sizeof idle, "%u", m->host->idle_seconds);
    char *argv[] = {m->host->program, (char *)"--idle", idle, m->path, NULL, NULL, NULL};
    if (m->host->repository) {
        argv[3] = (char *)"--repository";
        argv[4] = m->host->repository;
        argv[5] = m->path;
    }
    pid_t pid;
    int rc = posix_spawn(&pid, m->host->program, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(sv[1]);
    if (rc != 0) {
        close(sv[0]);
        return mi_error_set(err, MI_RESULT_FAILED, "provider %s: starting %s: %s", m->name,
                            m->host->program, strerror(rc));
    }
    m->pid = pid;
    m->control = sv[0];
    MI_Result r = read_schema(m, err);
    if (r != MI_RESULT_OK) {
        if (m->pid && !reap(m, 0)) {
            kill(m->pid, SIGKILL);
            reap(m, REAP_USEC);
        }
        forget_process(m);
    }
    return r;
}

/* A running host (lock held): the one there is, or a new one. */
static MI_Result ensure_running(hosted_module *m, mi_error *err)
{
    if (m->pid && reap(m, 0))
        forget_process(m);
    return m->pid ? MI_RESULT_OK : spawn(m, err);
}

static bool send_fd(int control, int fd)
{
    char byte = 0;
    struct iovec iov = {&byte, 1};
    union {
        struct cmsghdr h;
        char space[CMSG_SPACE(sizeof(int))];
    } u;
    memset(&u, 0, sizeof u);
    struct msghdr msg = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.space, .msg_controllen = sizeof u.space};
    struct cmsghdr *h = CMSG_FIRSTHDR(&msg);
    h->cmsg_level = SOL_SOCKET;
    h->cmsg_type = SCM_RIGHTS;
    h->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(h), &fd, sizeof fd);
    for (;;) {
        ssize_t n = sendmsg(control, &msg, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        return n == 1;
    }
}

/* ---- one operation ---- */

static const char *const op_verbs[] = {"",
                                       "enumerate",
                                       "get",
                                       "create",
                                       "modify",
                                       "delete",
                                       "give associators through",
                                       "give references of"};

/* What an ASSOCIATORS request asks besides its source (each may be NULL). */
/* What an operation carries besides class and instance: the association filters, or
 * a method and its input parameters. */
typedef struct traversal {
    char *result_class, *role, *result_role;
    char *method;
    MI_Instance *parameters;
} traversal;

typedef struct conn {
    hosted_module *m;
    int fd;
    mi_frame_reader reader;
    pid_t pid;
    schema *schema;
    uint8_t operation, flags;
    char *ns;
    char *class_name;
    traversal via;       /* ASSOCIATORS, INVOKE */
    MI_Instance *source; /* ASSOCIATORS, INVOKE: kept to ask again on a new host */
    uint64_t deadline;
    const int *cancelled;
    bool finished;
    bool answered; /* a frame came: the operation ran */
    bool retry;    /* the host ended idle before taking it: start it again */
    MI_Instance *current;
} conn;

/* What c holds of its own: its socket, buffer and strings. */
static void conn_clear(conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    mi_frame_reader_free(&c->reader);
    free(c->ns);
    free(c->class_name);
    free(c->via.result_class);
    free(c->via.role);
    free(c->via.result_role);
    free(c->via.method);
    if (c->via.parameters)
        mi_instance_delete(c->via.parameters);
    if (c->source)
        mi_instance_delete(c->source);
}

static void conn_free(conn *c)
{
    if (!c)
        return;
    if (c->current)
        mi_instance_delete(c->current);
    conn_clear(c);
    free(c);
}

/* The host is gone (or must go) under an operation: the error that says so. */
static MI_Result host_failed(conn *c, mi_frame_status why, mi_error *err)
{
    hosted_module *m = c->m;
    pthread_mutex_lock(&m->lock);
    if (m->pid == c->pid) {
        if (why == MI_FRAME_TIMED_OUT)
            kill(m->pid, SIGKILL);
        if (!reap(m, REAP_USEC)) {
            kill(m->pid, SIGKILL);
            reap(m, REAP_USEC);
        }
        forget_process(m);
    }
    char end[sizeof m->last_end];
    snprintf(end, sizeof end, "%s", m->last_end[0] ? m->last_end : "ended");
    /* a host that ended idle as the operation was passed to it never ran it */
    c->retry = why == MI_FRAME_CLOSED && !c->answered && m->ended_idle;
    pthread_mutex_unlock(&m->lock);
    const char *verb = op_verbs[c->operation];
    if (why == MI_FRAME_TIMED_OUT)
        return mi_error_set(err, MI_RESULT_FAILED,
                            "timed out: provider %s did not answer in time; its host process %d "
                            "was stopped",
                            m->name, (int)c->pid);
    if (why == MI_FRAME_DAMAGED)
        return mi_error_set(err, MI_RESULT_FAILED,
                            "provider %s: its host process %d sent a damaged answer to %s %s and "
                            "was stopped",
                            m->name, (int)c->pid, verb, c->class_name);
    return mi_error_set(err, MI_RESULT_FAILED,
                        "provider %s: its host process %d %s during %s of %s", m->name, (int)c->pid,
                        end, verb, c->class_name);
}

static MI_Result conn_read(conn *c, mi_frame_type *type, const unsigned char **payload, size_t *len,
                           mi_error *err)
{
    mi_error why = {0};
    uint64_t deadline = c->deadline ? c->deadline + GRACE_USEC : 0;
    mi_frame_status s = mi_frame_read(&c->reader, deadline, c->cancelled, type, payload, len, &why);
    if (s == MI_FRAME_OK) {
        c->answered = true;
        return MI_RESULT_OK;
    }
    if (s == MI_FRAME_CANCELLED)
        return mi_error_set(err, MI_RESULT_FAILED, "cancelled while provider %s was answering",
                            c->m->name);
    return host_failed(c, s, err);
}

static char *copy_or_null(const char *text, bool *failed)
{
    char *copy = text ? strdup(text) : NULL;
    *failed = *failed || (text && !copy);
    return copy;
}

static MI_Result start(hosted_module *m, uint8_t operation, uint8_t flags, uint64_t deadline,
                       const int *cancelled, const char *ns, const char *class_name,
                       const MI_Instance *instance, const traversal *via, conn **out, mi_error *err)
{
    *out = NULL;
    mi_bytes request = {0};
    size_t f = mi_frame_begin(&request, MI_FRAME_REQUEST);
    mi_frame_put_u8(&request, operation);
    mi_frame_put_u8(&request, flags);
    mi_frame_put_u64(&request, deadline);
    mi_frame_put_string(&request, ns);
    mi_frame_put_string(&request, class_name);
    mi_bytes encoded = {0};
    MI_Result r = instance ? mi_codec_encode_instance(&encoded, instance) : MI_RESULT_OK;
    mi_frame_put_bytes(&request, encoded.data, encoded.len);
    mi_bytes parameters = {0};
    if (via && operation == MI_HOST_INVOKE) {
        mi_frame_put_string(&request, via->method);
        if (r == MI_RESULT_OK && via->parameters)
            r = mi_codec_encode_instance(&parameters, via->parameters);
        mi_frame_put_bytes(&request, parameters.data, parameters.len);
    } else if (via) {
        mi_frame_put_string(&request, via->result_class);
        mi_frame_put_string(&request, via->role);
        mi_frame_put_string(&request, via->result_role);
    }
    mi_frame_end(&request, f);
    if (r == MI_RESULT_OK && (request.failed || encoded.failed || parameters.failed))
        r = mi_error_nomem(err);
    mi_bytes_free(&encoded);
    mi_bytes_free(&parameters);
    conn *c = r == MI_RESULT_OK ? calloc(1, sizeof *c) : NULL;
    if (c) {
        c->m = m, c->fd = -1, c->operation = operation, c->flags = flags;
        c->deadline = deadline, c->cancelled = cancelled;
        c->ns = strdup(ns), c->class_name = strdup(class_name);
    }
    bool failed = !c || !c->ns || !c->class_name;
    if (c && via) {
        c->via.result_class = copy_or_null(via->result_class, &failed);
        c->via.role = copy_or_null(via->role, &failed);
        c->via.result_role = copy_or_null(via->result_role, &failed);
        c->via.method = copy_or_null(via->method, &failed);
        failed = failed || (via->parameters &&
                            mi_instance_clone(via->parameters, &c->via.parameters) != MI_RESULT_OK);
        failed = failed || (instance && mi_instance_clone(instance, &c->source) != MI_RESULT_OK);
    }
    if (r == MI_RESULT_OK && failed)
        r = mi_error_nomem(err);
    /* a host that ended since its last operation is found out here, and started again */
    for (int attempt = 0; r == MI_RESULT_OK && attempt < 2; attempt++) {
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
            r = mi_error_set(err, MI_RESULT_FAILED, "socketpair: %s", strerror(errno));
            break;
        }
        pthread_mutex_lock(&m->lock);
        r = ensure_running(m, err);
        bool sent = r == MI_RESULT_OK && send_fd(m->control, sv[1]);
        if (sent) {
            c->pid = m->pid;
            c->schema = m->current;
        } else if (r == MI_RESULT_OK) {
            stop_process(m);
        }
        pthread_mutex_unlock(&m->lock);
        close(sv[1]);
        if (sent) {
            c->fd = sv[0];
            break;
        }
        close(sv[0]);
        if (r == MI_RESULT_OK && attempt == 1)
            r = mi_error_set(err, MI_RESULT_FAILED, "provider %s: its host process %s", m->name,
                             m->last_end);
    }
    if (r == MI_RESULT_OK) {
        mi_frame_reader_init(&c->reader, c->fd);
        mi_error why = {0};
        if (mi_frame_send(c->fd, &request, &why) != MI_RESULT_OK)
            r = host_failed(c, MI_FRAME_CLOSED, err);
    }
    mi_bytes_free(&request);
    if (r != MI_RESULT_OK) {
        conn_free(c);
        return r;
    }
    *out = c;
    return MI_RESULT_OK;
}

static MI_Result decode_instance(conn *c, const unsigned char *payload, size_t len,
                                 MI_Instance **out, mi_error *err)
{
    if (c->operation == MI_HOST_INVOKE) { /* output parameters: of no class */
        if (mi_codec_decode_instance(payload, len, NULL, out, err) != MI_RESULT_OK)
            return host_failed(c, MI_FRAME_DAMAGED, err);
        if (MI_Instance_SetNameSpace(*out, c->ns) != MI_RESULT_OK)
            return mi_error_nomem(err);
        return MI_RESULT_OK;
    }
    size_t name_len = 0;
    const char *name = mi_codec_instance_class_name(payload, len, &name_len);
    mi_class *cls = name ? schema_find(c->schema, name, name_len) : NULL;
    if (!cls || mi_codec_decode_instance_in(payload, len, cls, c->ns, out, err) != MI_RESULT_OK)
        return host_failed(c, MI_FRAME_DAMAGED, err);
    return MI_RESULT_OK;
}

static MI_Result take_result(conn *c, const unsigned char *payload, size_t len, mi_error *err)
{
    mi_frame_cursor cur = {payload, payload + len};
    uint32_t code;
    char *message = NULL;
    if (!mi_frame_get_u32(&cur, &code) || !mi_frame_get_string(&cur, &message))
        return host_failed(c, MI_FRAME_DAMAGED, err);
    c->finished = true;
    MI_Result r = (MI_Result)code;
    if (r != MI_RESULT_OK)
        mi_error_set(err, r, "%s", message ? message : "the provider failed");
    free(message);
    return r;
}

/* c again, on a new host (its request, with instance for a single operation). */
static MI_Result restart(conn *c, const MI_Instance *instance, mi_error *err)
{
    conn *fresh = NULL;
    bool kept = c->operation == MI_HOST_ASSOCIATORS || c->operation == MI_HOST_REFERENCES ||
                c->operation == MI_HOST_INVOKE;
    MI_Result r =
        start(c->m, c->operation, c->flags, c->deadline, c->cancelled, c->ns, c->class_name,
              kept ? c->source : instance, kept ? &c->via : NULL, &fresh, err);
    if (r != MI_RESULT_OK)
        return r;
    conn_clear(c);
    *c = *fresh;
    free(fresh);
    return MI_RESULT_OK;
}

/* The next result of c: an instance in *out, or NULL and the operation's result. */
static MI_Result conn_next(conn *c, const MI_Instance *instance, MI_Instance **out, mi_error *err)
{
    *out = NULL;
    if (c->finished)
        return MI_RESULT_OK;
    mi_frame_type type;
    const unsigned char *payload;
    size_t len;
    MI_Result r = conn_read(c, &type, &payload, &len, err);
    if (r != MI_RESULT_OK && c->retry) {
        mi_error_clear(err);
        r = restart(c, instance, err);
        if (r == MI_RESULT_OK)
            r = conn_read(c, &type, &payload, &len, err);
    }
    if (r != MI_RESULT_OK)
        return r;
    if (type == MI_FRAME_INSTANCE)
        return decode_instance(c, payload, len, out, err);
    if (type == MI_FRAME_RESULT)
        return take_result(c, payload, len, err);
    return host_failed(c, MI_FRAME_DAMAGED, err);
}

/* ---- the source ---- */

static MI_Result src_enumerate(void *self, const mi_request *q, const char *class_name, bool deep,
                               void **out, mi_error *err)
{
    uint8_t flags = (uint8_t)((deep ? MI_HOST_DEEP : 0) | (q->keys_only ? MI_HOST_KEYS_ONLY : 0));
    return start(self, MI_HOST_ENUMERATE, flags, q->deadline_usec, q->cancelled, q->namespace_name,
                 class_name, NULL, NULL, (conn **)out, err);
}

/* The module's AssociatorInstances for assoc, in its host; NOT_SUPPORTED (a module
 * without one) comes as the operation's result. */
static MI_Result src_class_associators(void *self, const mi_request *q, const mi_class *assoc,
                                       const MI_Instance *source, void **out, mi_error *err)
{
    uint8_t flags = (uint8_t)(MI_HOST_DEEP | (q->keys_only ? MI_HOST_KEYS_ONLY : 0));
    traversal via = {.result_class = (char *)q->result_class,
                     .role = (char *)q->role,
                     .result_role = (char *)q->result_role};
    return start(self, MI_HOST_ASSOCIATORS, flags, q->deadline_usec, q->cancelled,
                 q->namespace_name, assoc->name, source, &via, (conn **)out, err);
}

/* The same with its ReferenceInstances. */
static MI_Result src_class_references(void *self, const mi_request *q, const mi_class *assoc,
                                      const MI_Instance *source, void **out, mi_error *err)
{
    uint8_t flags = (uint8_t)(MI_HOST_DEEP | (q->keys_only ? MI_HOST_KEYS_ONLY : 0));
    traversal via = {.role = (char *)q->role};
    return start(self, MI_HOST_REFERENCES, flags, q->deadline_usec, q->cancelled, q->namespace_name,
                 assoc->name, source, &via, (conn **)out, err);
}

static MI_Instance *src_take(void *p)
{
    conn *c = p;
    MI_Instance *taken = c->current;
    c->current = NULL;
    return taken;
}

static MI_Result src_next(void *p, mi_source_item *item, mi_error *err)
{
    conn *c = p;
    *item = (mi_source_item){NULL, false};
    if (c->current) {
        mi_instance_delete(c->current);
        c->current = NULL;
    }
    MI_Result r = conn_next(c, NULL, &c->current, err);
    item->instance = c->current;
    return r;
}

static void src_close(void *p)
{
    conn_free(p); /* the host sees the socket close: an unfinished operation is cancelled */
}

/* A single operation: its one instance (when out) and its result. */
/* Reads c to its result, keeping the first instance it gives (in *got, the caller's;
 * NULL when none), and frees c (NULL: its start failed with r). */
static MI_Result first_of(conn *c, MI_Result r, const MI_Instance *inst, MI_Instance **got,
                          mi_error *err)
{
    *got = NULL;
    while (r == MI_RESULT_OK && !c->finished) {
        MI_Instance *each = NULL;
        r = conn_next(c, inst, &each, err);
        if (each && !*got)
            *got = each;
        else if (each)
            mi_instance_delete(each);
    }
    if (r != MI_RESULT_OK && *got) {
        mi_instance_delete(*got);
        *got = NULL;
    }
    conn_free(c);
    return r;
}

static MI_Result single(hosted_module *m, uint8_t operation, const char *ns,
                        const MI_Instance *inst, MI_Instance **out, mi_error *err)
{
    conn *c = NULL;
    MI_Result r = start(m, operation, MI_HOST_DEEP, now_usec() + SINGLE_TIMEOUT_USEC, NULL, ns,
                        mi_instance_class_name(inst), inst, NULL, &c, err);
    MI_Instance *got = NULL;
    r = first_of(c, r, inst, &got, err);
    if (r == MI_RESULT_OK && out && !got)
        r = mi_error_set(err, MI_RESULT_NOT_FOUND, "no such instance");
    if (r == MI_RESULT_OK && out)
        *out = got, got = NULL;
    if (got)
        mi_instance_delete(got);
    return r;
}

static MI_Result src_get(void *self, const char *ns, const MI_Instance *path, MI_Instance **out,
                         mi_error *err)
{
    *out = NULL;
    return single(self, MI_HOST_GET, ns, path, out, err);
}

static MI_Result src_create(void *self, const char *ns, const MI_Instance *inst, mi_error *err)
{
    return single(self, MI_HOST_CREATE, ns, inst, NULL, err);
}

static MI_Result src_modify(void *self, const char *ns, const MI_Instance *inst, mi_error *err)
{
    return single(self, MI_HOST_MODIFY, ns, inst, NULL, err);
}

static MI_Result src_remove(void *self, const char *ns, const MI_Instance *path, mi_error *err)
{
    return single(self, MI_HOST_DELETE, ns, path, NULL, err);
}

/* A method run in the host: its output parameters (NULL: none) and its result. */
static MI_Result src_invoke(void *self, const mi_request *q, const mi_class *cls,
                            const MI_Instance *target, MI_Instance **out, mi_error *err)
{
    *out = NULL;
    traversal via = {.method = (char *)q->method, .parameters = (MI_Instance *)q->instance};
    conn *c = NULL;
    MI_Result r = start(self, MI_HOST_INVOKE, 0,
                        q->deadline_usec ? q->deadline_usec : now_usec() + SINGLE_TIMEOUT_USEC,
                        q->cancelled, q->namespace_name, cls->name, target, &via, &c, err);
    return first_of(c, r, NULL, out, err); /* NULL: the method gave no output */
}

static const mi_source_ops isolated_ops = {
    .enumerate = src_enumerate,
    .get = src_get,
    .create = src_create,
    .modify = src_modify,
    .remove = src_remove,
    .class_associators = src_class_associators,
    .class_references = src_class_references,
    .invoke = src_invoke,
    .next = src_next,
    .take = src_take,
    .close = src_close,
};
