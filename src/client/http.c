/*
 * http — see http.h.
 */
#define _GNU_SOURCE

#include "http.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct mi_http {
    char *url;
    char *user, *password;
    bool verify;
    char *ca_file; /* certificates of the authorities to trust (PEM); NULL: the system's */
    CURLSH *share; /* connections and DNS shared between the operations */
    pthread_mutex_t share_locks[CURL_LOCK_DATA_LAST];
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static bool curl_ready;

static void start_curl(void)
{
    curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

static void share_lock(CURL *handle, curl_lock_data data, curl_lock_access access, void *context)
{
    (void)handle, (void)access;
    mi_http *h = context;
    pthread_mutex_lock(&h->share_locks[data]);
}

static void share_unlock(CURL *handle, curl_lock_data data, void *context)
{
    (void)handle;
    mi_http *h = context;
    pthread_mutex_unlock(&h->share_locks[data]);
}

/* What a transfer that failed in libcurl tells a person: what went wrong, in words,
 * then libcurl's own detail. */
static MI_Result failure(mi_error *err, const char *url, CURLcode rc, const char *detail)
{
    const char *what = NULL;
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
        what = "no such host";
        break;
    case CURLE_COULDNT_CONNECT:
        what = "cannot connect (is the server running, on that port?)";
        break;
    case CURLE_OPERATION_TIMEDOUT:
        what = "the server did not answer in time";
        break;
    case CURLE_PEER_FAILED_VERIFICATION:
#if LIBCURL_VERSION_NUM < 0x073e00
    case CURLE_SSL_CACERT:
#endif
        what = "the server's certificate is not trusted: trust the authority that signed it "
               "(a CA file), or do not check it";
        break;
    case CURLE_SSL_CACERT_BADFILE:
        what = "the CA file cannot be read as PEM certificates";
        break;
    case CURLE_SSL_CONNECT_ERROR:
        what = "the TLS handshake failed (is the server speaking HTTPS on that port?)";
        break;
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
        what = "the server closed the connection without an answer (an HTTPS port asked "
               "over http?)";
        break;
    default:
        break;
    }
    const char *plain = detail && *detail ? detail : curl_easy_strerror(rc);
    if (rc == CURLE_PEER_FAILED_VERIFICATION && strstr(plain, "match"))
        what = "the server's certificate does not name the host asked for: ask by a name it "
               "holds, or do not check it";
    if (!what)
        return mi_error_set(err, MI_RESULT_FAILED, "%s: %s", url, plain);
    return mi_error_set(err, MI_RESULT_FAILED, "%s: %s [%s]", url, what, plain);
}

/* The destination with the protocol's port and path where it names none. */
static char *full_url(const char *url, const mi_http_defaults *d)
{
    size_t len = strlen(url);
    while (len > 0 && url[len - 1] == '/')
        len--;
    bool https = url[4] == 's' || url[4] == 'S';
    const char *host = url + (https ? 8 : 7);
    const char *path = strchr(host, '/');
    if (!path || path > url + len)
        path = url + len;
    const char *bracket = memchr(host, ']', (size_t)(path - host));
    const char *colon =
        memchr(bracket ? bracket : host, ':', (size_t)(path - (bracket ? bracket : host)));
    const char *port = colon ? "" : https ? d->https_port : d->http_port;
    size_t size = len + strlen(port) + strlen(d->path) + 1;
    char *out = malloc(size);
    if (out)
        snprintf(out, size, "%.*s%s%.*s%s", (int)(path - url), url, port, (int)(url + len - path),
                 path, path < url + len ? "" : d->path);
    return out;
}

void mi_http_free(mi_http *h)
{
    if (!h)
        return;
    if (h->share) {
        curl_share_cleanup(h->share);
        for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
            pthread_mutex_destroy(&h->share_locks[i]);
    }
    free(h->url);
    free(h->ca_file);
    free(h->user);
    if (h->password) {
        explicit_bzero(h->password, strlen(h->password));
        free(h->password);
    }
    free(h);
}

MI_Result mi_http_new(mi_http **out, const char *url, const mi_http_defaults *defaults,
                      MI_DestinationOptions *options, mi_error *err)
{
    *out = NULL;
    pthread_once(&curl_once, start_curl);
    if (!curl_ready)
        return mi_error_set(err, MI_RESULT_FAILED, "libcurl cannot start");
    if (!mi_http_is_url(url))
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER,
                            "a destination is http://host[:port] or https://host[:port]");
    const MI_Char *user = NULL, *ca_file = NULL;
    char password[512] = "";
    MI_Boolean verify = MI_TRUE;
    MI_Uint32 count = 0;
    if (options && options->ft) {
        MI_DestinationOptions_GetCertCACheck(options, &verify);
        if (MI_DestinationOptions_GetString(options, MI_T("LIBMI_CA_FILE"), &ca_file, NULL, NULL) !=
            MI_RESULT_OK)
            ca_file = NULL;
        MI_DestinationOptions_GetCredentialsCount(options, &count);
        if (count > 0) {
            const MI_Char *name = NULL;
            MI_UserCredentials creds;
            MI_Uint32 length = 0, flags = 0;
            if (MI_DestinationOptions_GetCredentialsAt(options, 0, &name, &creds, &flags) ==
                MI_RESULT_OK)
                user = creds.credentials.usernamePassword.username;
            if (MI_DestinationOptions_GetCredentialsPasswordAt(
                    options, 0, &name, password, sizeof password, &length, &flags) != MI_RESULT_OK)
                password[0] = '\0';
        }
    }
    if (ca_file && !*ca_file)
        ca_file = NULL;
    mi_http *h = calloc(1, sizeof *h);
    if (h) {
        h->url = full_url(url, defaults);
        h->user = user ? strdup(user) : NULL;
        h->password = user ? strdup(password) : NULL;
        h->verify = verify != MI_FALSE;
        h->ca_file = ca_file ? strdup(ca_file) : NULL;
        h->share = curl_share_init();
    }
    explicit_bzero(password, sizeof password);
    if (!h || !h->url || (user && (!h->user || !h->password)) || !h->share ||
        (ca_file && !h->ca_file)) {
        mi_http_free(h);
        return mi_error_nomem(err);
    }
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_init(&h->share_locks[i], NULL);
    curl_share_setopt(h->share, CURLSHOPT_LOCKFUNC, share_lock);
    curl_share_setopt(h->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
    curl_share_setopt(h->share, CURLSHOPT_USERDATA, h);
    curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    *out = h;
    return MI_RESULT_OK;
}

bool mi_http_is_url(const char *d)
{
    return d && (!strncasecmp(d, "http://", 7) || !strncasecmp(d, "https://", 8));
}

unsigned mi_http_batch(MI_DestinationOptions *options, unsigned fallback, unsigned max)
{
    MI_Uint32 batch = 0;
    if (options && options->ft)
        MI_DestinationOptions_GetNumber(options, MI_T("LIBMI_PULL_BATCH"), &batch, NULL, NULL);
    return batch > 0 && batch <= max ? batch : fallback;
}

const char *mi_http_url(const mi_http *h)
{
    return h->url;
}

typedef struct transfer {
    mi_http_post *post;
    bool stopped_by_us;
} transfer;

static size_t on_body(char *data, size_t size, size_t count, void *context)
{
    transfer *t = context;
    size_t n = size * count;
    if (t->post->sink)
        t->post->sink(t->post->sink_context, data, n);
    return n;
}

static size_t on_header(char *data, size_t size, size_t count, void *context)
{
    transfer *t = context;
    size_t n = size * count;
    const char *wanted = t->post->wanted_header;
    size_t wanted_len = wanted ? strlen(wanted) : 0;
    if (wanted && n > wanted_len + 1 && !strncasecmp(data, wanted, wanted_len) &&
        data[wanted_len] == ':') {
        size_t len = n - wanted_len - 1;
        const char *v = data + wanted_len + 1;
        while (len && (*v == ' ' || *v == '\t')) {
            v++;
            len--;
        }
        while (len && (v[len - 1] == '\r' || v[len - 1] == '\n'))
            len--;
        if (len >= sizeof t->post->header_value)
            len = sizeof t->post->header_value - 1;
        memcpy(t->post->header_value, v, len);
        t->post->header_value[len] = '\0';
    }
    return n;
}

static int on_progress(void *context, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
    (void)a, (void)b, (void)c, (void)d;
    transfer *t = context;
    const mi_request *q = t->post->request;
    bool stop = q && ((q->cancelled && __atomic_load_n(q->cancelled, __ATOMIC_ACQUIRE)) ||
                      (q->deadline_usec && mi_request_now_usec() > q->deadline_usec));
    t->stopped_by_us |= stop;
    return stop ? 1 : 0;
}

MI_Result mi_http_send(mi_http *h, mi_http_post *post, mi_error *err)
{
    post->status = 0;
    post->header_value[0] = '\0';
    CURL *curl = curl_easy_init();
    if (!curl)
        return mi_error_nomem(err);
    transfer t = {post, false};
    struct curl_slist *headers = NULL;
    for (size_t i = 0; post->headers && post->headers[i]; i++)
        headers = curl_slist_append(headers, post->headers[i]);
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(curl, CURLOPT_URL, h->url);
    curl_easy_setopt(curl, CURLOPT_SHARE, h->share);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, post->body);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)post->body_length);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, h->verify ? 1L : 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, h->verify ? 2L : 0L);
    if (h->ca_file)
        curl_easy_setopt(curl, CURLOPT_CAINFO, h->ca_file);
    char detail[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, detail);
    if (h->user) {
        curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
        curl_easy_setopt(curl, CURLOPT_USERNAME, h->user);
        curl_easy_setopt(curl, CURLOPT_PASSWORD, h->password ? h->password : "");
    }
    CURLcode rc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &post->status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    const mi_request *q = post->request;
    if (rc == CURLE_ABORTED_BY_CALLBACK && t.stopped_by_us)
        return mi_error_set(err, MI_RESULT_FAILED,
                            q && q->cancelled && __atomic_load_n(q->cancelled, __ATOMIC_ACQUIRE)
                                ? "the operation was cancelled"
                                : "the operation timed out");
    if (rc != CURLE_OK)
        return failure(err, h->url, rc, detail);
    if (post->status == 401)
        return mi_error_set(err, MI_RESULT_ACCESS_DENIED, "%s: the server refused the credentials",
                            h->url);
    return MI_RESULT_OK;
}
