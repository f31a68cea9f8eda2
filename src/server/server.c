/*
 * server — see server.h. The HTTP layer: daemons, authentication, limits, the access
 * log, streamed replies. What a request means is its binding's (binding.h): the first
 * of `bindings` that recognises it checks its headers, decodes its body as it arrives
 * and answers it.
 */
#define _GNU_SOURCE

#include "server.h"
#include "watch.h"

#include "interop.h"

#include "auth_cache.h"
#include "binding.h"
#include "core/strbuf.h"
#include "passwd.h"
#include "client/local_session.h"
#include "provider/host.h"
#include "provider/registration.h"
#include "repo/repository.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_LISTENERS 8

typedef struct server {
    const mid_config *config;
    char repository[4096];
    mid_passwd *passwd;
    mid_auth_cache *auth_cache;
    mid_contexts *contexts;
    FILE *log;
    pthread_mutex_t log_lock;
    /* one repository connection per worker thread, all closed at the end */
    pthread_mutex_t repos_lock;
    mi_repository **repos;
    size_t repo_count;
    atomic_int in_flight;
    /* the interop namespace, served on a connection of its own */
    mi_repository *interop_repo;
    mid_interop *interop;
    mi_source_registry *sources;
    /* what a provider's MI_Context_GetLocalSession reaches: the engine mid serves, on a
     * connection of its own */
    mi_repository *local_repo;
    mi_engine local_engine;
    mi_local_session *local;
    mid_watch *watch;            /* the clients of running requests, for their going */
    mi_provider_host *providers; /* the registered provider modules run in mid */
    mi_isolated_host *isolated;  /* and those run in host processes */
} server;

static _Thread_local mi_repository *thread_repo;

/* The protocols served, asked in order: the last one takes what the others leave. */
static const mid_binding *const bindings[] = {&mid_wsman_binding, &mid_cimxml_binding};

/* One request, from its first call to its completion. */
typedef struct exchange {
    server *srv;
    const mid_binding *binding;
    void *decoder;     /* the binding's, while the body comes */
    size_t body_bytes; /* so far */
    bool refused;      /* a reply (an error) was already queued */
    char *user;
    char method[64];
    char ns[128];
    int status;
    MI_Result result;
    struct timespec start;
    struct stream *stream; /* the streamed reply; it lives as long as its response */
    int *watched;          /* its cancellation flag, while its client's socket is watched */
} exchange;

/* A reply being streamed: owned by the libmicrohttpd response, which may outlive the
 * exchange (the response is destroyed after the request completes). */
typedef struct stream {
    mid_reply *reply;
    mi_strbuf pending; /* reply text not yet taken by libmicrohttpd */
    size_t pending_at;
    bool ended; /* the reply has given its last piece */
    atomic_size_t sent;
    atomic_int holders; /* the exchange and the response: the last one frees it */
} stream;

static mi_repository *worker_repository(server *srv, mi_error *err)
{
    if (thread_repo)
        return thread_repo;
    mi_repository *repo;
    if (mi_repository_open(&repo, srv->repository, true, err) != MI_RESULT_OK)
        return NULL;
    /* one connection per worker: mapping the file in each would count it once per worker */
    if (mi_repository_bound_memory(repo, 8192, err) != MI_RESULT_OK) {
        mi_repository_close(repo);
        return NULL;
    }
    pthread_mutex_lock(&srv->repos_lock);
    mi_repository **grown = realloc(srv->repos, (srv->repo_count + 1) * sizeof *grown);
    if (grown) {
        srv->repos = grown;
        srv->repos[srv->repo_count++] = repo;
    }
    pthread_mutex_unlock(&srv->repos_lock);
    if (!grown) {
        mi_repository_close(repo);
        mi_error_nomem(err);
        return NULL;
    }
    return thread_repo = repo;
}

/* ---- plain replies ---- */

static enum MHD_Result plain(struct MHD_Connection *c, exchange *x, unsigned status,
                             const char *header_name, const char *header_value, const char *text)
{
    if (x->decoder) { /* nothing more of the body is wanted */
        x->binding->discard(x->decoder);
        x->decoder = NULL;
    }
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
    if (header_name && header_value)
        MHD_add_response_header(r, header_name, header_value);
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    x->refused = true;
    x->status = (int)status;
    return ok;
}

/* ---- streamed replies ---- */

/* Hands libmicrohttpd up to max bytes of the reply, asking the reply for pieces until
 * max is reached or it ends: a small reply goes out as one chunk, one write. */
static ssize_t read_reply(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    stream *x = cls;
    size_t n = 0;
    while (n < max) {
        if (x->pending_at >= x->pending.len) {
            x->pending.len = 0;
            x->pending_at = 0;
            if (x->pending.data)
                x->pending.data[0] = '\0';
            if (x->ended || !mid_reply_next(x->reply, &x->pending)) {
                x->ended = true;
                break;
            }
            if (x->pending.failed)
                return n ? (ssize_t)n : MHD_CONTENT_READER_END_WITH_ERROR;
            continue;
        }
        size_t take = x->pending.len - x->pending_at;
        if (take > max - n)
            take = max - n;
        memcpy(buf + n, x->pending.data + x->pending_at, take);
        x->pending_at += take;
        n += take;
    }
    if (n == 0)
        return MHD_CONTENT_READER_END_OF_STREAM;
    atomic_fetch_add(&x->sent, n);
    return (ssize_t)n;
}

static void reply_done(void *cls)
{
    stream *x = cls;
    if (atomic_fetch_sub(&x->holders, 1) > 1)
        return;
    mid_reply_free(x->reply);
    mi_strbuf_free(&x->pending);
    free(x);
}

/* ---- the request ---- */

static const char *lookup_header(void *context, const char *name)
{
    return MHD_lookup_connection_value(context, MHD_HEADER_KIND, name);
}

static enum MHD_Result refused(struct MHD_Connection *c, exchange *x, const mid_refusal *why)
{
    return plain(c, x, why->status, why->header_name, why->header_value, why->text);
}

/* The body is in: the binding answers, its reply streamed as libmicrohttpd asks. */
static enum MHD_Result answer(server *srv, struct MHD_Connection *c, exchange *x)
{
    mi_error err = {0};
    mi_repository *repo = worker_repository(srv, &err);
    if (!repo) {
        char text[600];
        snprintf(text, sizeof text, "%s\n", err.message);
        return plain(c, x, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, NULL, text);
    }
    char host[256] = "localhost";
    const char *host_header = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    if (host_header) {
        snprintf(host, sizeof host, "%s", host_header);
        char *colon = host[0] == '[' ? strstr(host, "]:") : strrchr(host, ':');
        if (colon)
            colon[host[0] == '[' ? 1 : 0] = '\0';
    }
    const union MHD_ConnectionInfo *fd_info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    int fd = fd_info ? (int)fd_info->connect_fd : -1;
    mid_env env = {repo, srv->sources, srv->contexts, host, srv->watch, fd};
    mid_refusal why = {0};
    mid_log_fields log = {"", ""};
    void *decoder = x->decoder;
    x->decoder = NULL;
    mid_reply *reply = x->binding->finish(decoder, &env, &why, &log);
    snprintf(x->method, sizeof x->method, "%s", log.method);
    snprintf(x->ns, sizeof x->ns, "%s", log.ns);
    if (!reply)
        return why.status ? refused(c, x, &why) : MHD_NO;
    stream *st = calloc(1, sizeof *st);
    if (!st) {
        mid_reply_free(reply);
        return MHD_NO;
    }
    st->reply = reply;
    atomic_store(&st->holders, 1);
    /* a client that goes while its results are being made cancels the operation */
    int *flag = mid_reply_cancel_flag(reply);
    if (flag && fd >= 0 && mid_watch_add(srv->watch, fd, flag))
        x->watched = flag;
    struct MHD_Response *r =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024, read_reply, st, reply_done);
    if (!r) {
        reply_done(st);
        return MHD_NO;
    }
    atomic_fetch_add(&st->holders, 1);
    x->stream = st;
    MHD_add_response_header(r, "Content-Type", x->binding->content_type);
    if (x->binding->reply_header_name)
        MHD_add_response_header(r, x->binding->reply_header_name, x->binding->reply_header_value);
    unsigned status = mid_reply_status(reply);
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    x->status = (int)status;
    return ok;
}

/* Now as the log writes it: 2026-12-02T16:47:22Z. */
static void utc_stamp(char out[32])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* libmicrohttpd's own complaints, as log lines a person can act on. Its one message for
 * any failed TLS handshake names no cause: the log lists the usual ones. */
static void on_library_message(void *cls, const char *format, va_list ap)
{
    server *srv = cls;
    char text[512];
    vsnprintf(text, sizeof text, format, ap);
    size_t len = strlen(text);
    while (len && (text[len - 1] == '\n' || text[len - 1] == '.'))
        text[--len] = '\0';
    for (char *p = text; *p; p++)
        if (*p == '"' || (unsigned char)*p < 0x20)
            *p = '\'';
    char stamp[32];
    utc_stamp(stamp);
    if (strstr(text, "handshake"))
        fprintf(srv->log,
                "time=%s event=tls-handshake-failed reason=\"a client did not complete the TLS "
                "handshake: plain HTTP sent to this HTTPS port, a client that does not trust "
                "the certificate, or no TLS version in common\"\n",
                stamp);
    else
        fprintf(srv->log, "time=%s event=error message=\"%s\"\n", stamp, text);
    fflush(srv->log);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **state)
{
    (void)version;
    server *srv = cls;
    exchange *x = *state;
    if (!x) { /* the headers are in: check what can be checked before the body */
        if (!(x = calloc(1, sizeof *x)))
            return MHD_NO;
        x->srv = srv;
        clock_gettime(CLOCK_MONOTONIC, &x->start);
        *state = x;
        atomic_fetch_add(&srv->in_flight, 1);
        if (srv->passwd) {
            char *password = NULL;
            char *user = MHD_basic_auth_get_username_password(c, &password);
            bool ok =
                user && password && mid_auth_check(srv->auth_cache, srv->passwd, user, password);
            if (user)
                x->user = strdup(user);
            if (user)
                MHD_free(user);
            if (password) {
                explicit_bzero(password, strlen(password));
                MHD_free(password);
            }
            if (!ok) {
                const char *text = "authentication required\n";
                struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text,
                                                                         MHD_RESPMEM_PERSISTENT);
                enum MHD_Result queued = MHD_queue_basic_auth_fail_response(c, "mid", r);
                MHD_destroy_response(r);
                x->refused = true;
                x->status = 401;
                return queued;
            }
        }
        const char *length = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (length && strtoull(length, NULL, 10) > srv->config->max_body)
            return plain(c, x, MHD_HTTP_CONTENT_TOO_LARGE, NULL, NULL,
                         "the request body is too large\n");
        mid_http_request request = {method, url, lookup_header, c};
        size_t last = sizeof bindings / sizeof *bindings - 1;
        for (size_t i = 0; !x->binding; i++)
            x->binding = i == last || bindings[i]->recognises(&request) ? bindings[i] : NULL;
        mid_refusal why = {0};
        if (!(x->decoder = x->binding->begin(&request, &why)))
            return refused(c, x, &why);
        return MHD_YES;
    }
    if (*upload_size) {
        if (!x->refused) {
            x->body_bytes += *upload_size;
            if (x->body_bytes > x->srv->config->max_body) {
                *upload_size = 0;
                return plain(c, x, MHD_HTTP_CONTENT_TOO_LARGE, NULL, NULL,
                             "the request body is too large\n");
            }
            x->binding->feed(x->decoder, upload, *upload_size); /* decoded as it arrives */
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (x->refused)
        return MHD_YES;
    return answer(srv, c, x);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **state,
                         enum MHD_RequestTerminationCode why)
{
    server *srv = cls;
    exchange *x = *state;
    if (!x)
        return;
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    double ms = (double)(end.tv_sec - x->start.tv_sec) * 1e3 +
                (double)(end.tv_nsec - x->start.tv_nsec) / 1e6;
    char client[INET6_ADDRSTRLEN] = "-";
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (info && info->client_addr) {
        const struct sockaddr *sa = info->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, client, sizeof client);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, client,
                      sizeof client);
    }
    char stamp[32];
    utc_stamp(stamp);
    size_t sent = 0;
    if (x->watched)
        mid_watch_remove(srv->watch, x->watched);
    if (x->stream) { /* the response (and the stream) are destroyed after this */
        x->result = mid_reply_result(x->stream->reply);
        sent = atomic_load(&x->stream->sent);
        reply_done(x->stream);
    }
    pthread_mutex_lock(&srv->log_lock);
    fprintf(srv->log,
            "time=%s client=%s user=%s method=%s namespace=%s status=%d result=%d bytes=%zu "
            "ms=%.2f%s\n",
            stamp, client, x->user ? x->user : "-", x->method[0] ? x->method : "-",
            x->ns[0] ? x->ns : "-", x->status, (int)x->result, sent, ms,
            why == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " ended=early");
    fflush(srv->log);
    pthread_mutex_unlock(&srv->log_lock);
    if (x->decoder)
        x->binding->discard(x->decoder);
    free(x->user);
    free(x);
    *state = NULL;
    atomic_fetch_sub(&srv->in_flight, 1);
}

/* ---- listening ---- */

static bool loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
    if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
        return IN6_IS_ADDR_LOOPBACK(a);
    }
    return false;
}

/* "ADDR:PORT" or "[ADDR]:PORT" into a socket address. */
static bool parse_listen(const char *text, struct sockaddr_storage *out, socklen_t *len)
{
    char host[256];
    const char *port;
    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (!close || close[1] != ':' || (size_t)(close - text - 1) >= sizeof host)
            return false;
        memcpy(host, text + 1, (size_t)(close - text - 1));
        host[close - text - 1] = '\0';
        port = close + 2;
    } else {
        const char *colon = strrchr(text, ':');
        if (!colon || (size_t)(colon - text) >= sizeof host)
            return false;
        memcpy(host, text, (size_t)(colon - text));
        host[colon - text] = '\0';
        port = colon + 1;
    }
    /* a port is a number from 0 (any free one) to 65535, digits only */
    size_t digits = strspn(port, "0123456789");
    if (digits == 0 || digits > 5 || port[digits] != '\0' || strtoul(port, NULL, 10) > 65535)
        return false;
    struct addrinfo hints = {0}, *found = NULL;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
    if (getaddrinfo(host[0] ? host : NULL, port, &hints, &found) != 0 || !found)
        return false;
    memcpy(out, found->ai_addr, found->ai_addrlen);
    *len = found->ai_addrlen;
    freeaddrinfo(found);
    return true;
}

static char *read_whole(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    mi_strbuf sb = MI_STRBUF_INIT;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        mi_strbuf_append(&sb, buf, n);
    fclose(f);
    return mi_strbuf_take(&sb);
}

int mid_serve(const mid_config *given)
{
    mid_config config = *given;
    if (!config.max_body)
        config.max_body = 16u << 20;
    if (!config.threads) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        config.threads = cpus > 0 ? (unsigned)cpus : 2;
    }
    bool tls = config.tls_cert || config.tls_key;
    if (tls && (!config.tls_cert || !config.tls_key)) {
        fprintf(stderr, "mid: --tls-cert and --tls-key go together\n");
        return 1;
    }
    server srv = {0};
    srv.config = &config;
    srv.log = config.access_log ? config.access_log : stderr;
    pthread_mutex_init(&srv.log_lock, NULL);
    pthread_mutex_init(&srv.repos_lock, NULL);
    if (config.repository)
        snprintf(srv.repository, sizeof srv.repository, "%s", config.repository);
    else
        mi_repository_default_path(srv.repository, sizeof srv.repository);
    int code = 0;
    mi_error err = {0};
    /* the repository must open before anything listens */
    mi_repository *probe;
    if (mi_repository_open(&probe, srv.repository, true, &err) != MI_RESULT_OK) {
        fprintf(stderr, "mid: %s\n", err.message);
        return 1;
    }
    mi_repository_close(probe);
    if (config.passwd_file &&
        mid_passwd_load(&srv.passwd, config.passwd_file, false, &err) != MI_RESULT_OK) {
        fprintf(stderr, "mid: %s\n", err.message);
        return 1;
    }
    if (srv.passwd && mid_passwd_count(srv.passwd) == 0) {
        fprintf(stderr, "mid: the password file %s holds no user (mid passwd USER adds one)\n",
                config.passwd_file);
        mid_passwd_free(srv.passwd);
        return 1;
    }
    srv.auth_cache = srv.passwd ? mid_auth_cache_new() : NULL;
    srv.contexts = mid_contexts_new();
    if (!srv.contexts) {
        fprintf(stderr, "mid: out of memory\n");
        mid_passwd_free(srv.passwd);
        mid_auth_cache_free(srv.auth_cache);
        return 1;
    }
    char *cert = tls ? read_whole(config.tls_cert) : NULL;
    char *key = tls ? read_whole(config.tls_key) : NULL;
    if (tls && (!cert || !key)) {
        fprintf(stderr, "mid: cannot read %s\n", !cert ? config.tls_cert : config.tls_key);
        free(cert);
        free(key);
        mid_passwd_free(srv.passwd);
        mid_auth_cache_free(srv.auth_cache);
        mid_contexts_free(srv.contexts);
        return 1;
    }
    /* the interop namespace, on a connection of its own */
    char hostname[256] = "localhost";
    gethostname(hostname, sizeof hostname - 1);
    if (mi_repository_open(&srv.interop_repo, srv.repository, true, &err) != MI_RESULT_OK ||
        mid_interop_new(&srv.interop, srv.interop_repo, hostname, &err) != MI_RESULT_OK ||
        mi_source_registry_new(&srv.sources, &err) != MI_RESULT_OK ||
        mid_interop_register(srv.interop, srv.sources, &err) != MI_RESULT_OK ||
        mi_provider_host_new(&srv.providers, &err) != MI_RESULT_OK ||
        mi_provider_host_idle_unload(srv.providers, config.provider_idle, &err) != MI_RESULT_OK ||
        mi_isolated_host_new(&srv.isolated, NULL, config.provider_idle, &err) != MI_RESULT_OK ||
        mi_isolated_host_repository(srv.isolated, srv.repository, &err) != MI_RESULT_OK ||
        mi_provider_serve_registered(srv.interop_repo, srv.providers, srv.isolated, srv.sources,
                                     &err) != MI_RESULT_OK ||
        mi_repository_open(&srv.local_repo, srv.repository, true, &err) != MI_RESULT_OK ||
        mid_watch_new(&srv.watch, &err) != MI_RESULT_OK ||
        mi_local_session_new(&srv.local_engine, &srv.local, &err) != MI_RESULT_OK) {
        fprintf(stderr, "mid: the interop namespace and providers: %s\n", err.message);
        mid_watch_free(srv.watch);
        mi_local_session_free(srv.local);
        mi_repository_close(srv.local_repo);
        mi_source_registry_free(srv.sources);
        mi_provider_host_free(srv.providers);
        mi_isolated_host_free(srv.isolated);
        mid_interop_free(srv.interop);
        mi_repository_close(srv.interop_repo);
        free(cert);
        free(key);
        mid_passwd_free(srv.passwd);
        mid_auth_cache_free(srv.auth_cache);
        mid_contexts_free(srv.contexts);
        return 1;
    }
    srv.local_engine = (mi_engine){srv.local_repo, srv.sources};
    mi_provider_host_local_sessions(srv.providers,
                                    (mi_local_sessions){mi_local_session_get, srv.local});
    /* by default the WBEM port and the WS-Management one; each serves both protocols,
     * told apart by path (/wsman) */
    const char *const fallback[] = {tls ? "127.0.0.1:5989" : "127.0.0.1:5988",
                                    tls ? "127.0.0.1:5986" : "127.0.0.1:5985"};
    size_t listen_count = config.listen_count ? config.listen_count : 2;
    if (listen_count > MAX_LISTENERS)
        listen_count = MAX_LISTENERS;
    /* the workers inherit a mask without the stop signals: only this thread takes them */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct MHD_Daemon *daemons[MAX_LISTENERS] = {0};
    unsigned ports[MAX_LISTENERS] = {0};
    for (size_t i = 0; i < listen_count && code == 0; i++) {
        const char *where = config.listen_count ? config.listen[i] : fallback[i];
        struct sockaddr_storage addr;
        socklen_t addr_len;
        if (!parse_listen(where, &addr, &addr_len)) {
            fprintf(stderr,
                    "mid: cannot listen on '%s': expected ADDR:PORT with a port from 0 to 65535\n",
                    where);
            code = 1;
            break;
        }
        if (!loopback((struct sockaddr *)&addr) && !config.insecure && (!tls || !srv.passwd)) {
            fprintf(stderr,
                    "mid: %s is not a loopback address: it needs --tls-cert/--tls-key and "
                    "--passwd (or --insecure)\n",
                    where);
            code = 1;
            break;
        }
        unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG |
                         (addr.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0) | (tls ? MHD_USE_TLS : 0);
        if (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES)
            flags |= MHD_USE_EPOLL;
        daemons[i] = MHD_start_daemon(
            flags, 0, NULL, NULL, on_request, &srv, MHD_OPTION_EXTERNAL_LOGGER, on_library_message,
            &srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE,
            config.threads, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
            MHD_OPTION_CONNECTION_LIMIT, (unsigned)1024, MHD_OPTION_NOTIFY_COMPLETED, on_completed,
            &srv, tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cert, MHD_OPTION_HTTPS_MEM_KEY,
            key, MHD_OPTION_END);
        if (!daemons[i]) {
            fprintf(stderr, "mid: cannot listen on %s: %s\n", where,
                    errno ? strerror(errno) : "libmicrohttpd refused");
            code = 1;
            break;
        }
        const union MHD_DaemonInfo *info =
            MHD_get_daemon_info(daemons[i], MHD_DAEMON_INFO_BIND_PORT);
        ports[i] = info ? info->port : 0;
        char stamp[32];
        utc_stamp(stamp);
        fprintf(srv.log, "time=%s event=listening address=%s port=%u tls=%s auth=%s\n", stamp,
                where, ports[i], tls ? "yes" : "no", srv.passwd ? "basic" : "none");
        fflush(srv.log);
    }
    if (code == 0 && config.ready_file) {
        FILE *f = fopen(config.ready_file, "w");
        for (size_t i = 0; f && i < listen_count; i++)
            fprintf(f, "%u\n", ports[i]);
        if (f)
            fclose(f);
    }
    if (code == 0) {
        int sig = 0;
        sigwait(&stop, &sig);
        char stamp[32];
        utc_stamp(stamp);
        fprintf(srv.log, "time=%s event=stopping signal=%d\n", stamp, sig);
        fflush(srv.log);
        /* no new connections; the requests in flight finish (up to 30 s) */
        for (size_t i = 0; i < listen_count; i++) {
            if (daemons[i]) {
                MHD_socket s = MHD_quiesce_daemon(daemons[i]);
                if (s != MHD_INVALID_SOCKET)
                    close(s);
            }
        }
        for (int waited = 0; atomic_load(&srv.in_flight) > 0 && waited < 3000; waited++)
            usleep(10000);
    }
    for (size_t i = 0; i < listen_count; i++) {
        if (daemons[i])
            MHD_stop_daemon(daemons[i]);
    }
    mid_watch_free(srv.watch);       /* every request is over */
    mid_contexts_free(srv.contexts); /* before the repositories their cursors read */
    for (size_t i = 0; i < srv.repo_count; i++)
        mi_repository_close(srv.repos[i]);
    free(srv.repos);
    mi_local_session_free(srv.local); /* before the providers that may run on it */
    mi_repository_close(srv.local_repo);
    mi_source_registry_free(srv.sources);
    mi_provider_host_free(srv.providers);
    mi_isolated_host_free(srv.isolated);
    mid_interop_free(srv.interop);
    mi_repository_close(srv.interop_repo);
    mid_passwd_free(srv.passwd);
    mid_auth_cache_free(srv.auth_cache);
    free(cert);
    free(key);
    pthread_mutex_destroy(&srv.log_lock);
    pthread_mutex_destroy(&srv.repos_lock);
    if (code == 0) {
        char stamp[32];
        utc_stamp(stamp);
        fprintf(srv.log, "time=%s event=stopped\n", stamp);
        fflush(srv.log);
    }
    return code;
}
