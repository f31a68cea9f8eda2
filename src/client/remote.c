/*
 * remote — see remote.h.
 */
#define _GNU_SOURCE

#include "remote.h"

#include "cimxml/parse.h"
#include "cimxml/write.h"
#include "core/instance.h"
#include "core/strbuf.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct mi_remote {
    char *url; /* ends in /cimom */
    char *user, *password;
    bool verify;
    CURLSH *share; /* connections and DNS shared between the operations */
    pthread_mutex_t share_locks[CURL_LOCK_DATA_LAST];
    atomic_uint next_id;
};

typedef struct remote_cursor {
    cimxml_request reply;
    size_t next;
} remote_cursor;

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static bool curl_ready;

static void start_curl(void)
{
    curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

static void share_lock(CURL *handle, curl_lock_data data, curl_lock_access access, void *context)
{
    (void)handle, (void)access;
    mi_remote *r = context;
    pthread_mutex_lock(&r->share_locks[data]);
}

static void share_unlock(CURL *handle, curl_lock_data data, void *context)
{
    (void)handle;
    mi_remote *r = context;
    pthread_mutex_unlock(&r->share_locks[data]);
}

MI_Result mi_remote_new(mi_remote **out, const char *url, const char *user, const char *password,
                        bool verify, mi_error *err)
{
    *out = NULL;
    pthread_once(&curl_once, start_curl);
    if (!curl_ready)
        return mi_error_set(err, MI_RESULT_FAILED, "libcurl cannot start");
    if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER,
                            "a destination is http://host[:port] or https://host[:port]");
    mi_remote *r = calloc(1, sizeof *r);
    if (!r)
        return mi_error_nomem(err);
    size_t len = strlen(url);
    while (len > 0 && url[len - 1] == '/')
        len--;
    bool has_path = strstr(url + (url[4] == 's' ? 8 : 7), "/") != NULL &&
                    strstr(url + (url[4] == 's' ? 8 : 7), "/") < url + len;
    r->url = malloc(len + 8);
    if (r->url) {
        memcpy(r->url, url, len);
        strcpy(r->url + len, has_path ? "" : "/cimom");
    }
    r->user = user ? strdup(user) : NULL;
    r->password = password ? strdup(password) : NULL;
    r->verify = verify;
    r->share = curl_share_init();
    if (!r->url || (user && !r->user) || (password && !r->password) || !r->share) {
        mi_remote_free(r);
        return mi_error_nomem(err);
    }
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_init(&r->share_locks[i], NULL);
    curl_share_setopt(r->share, CURLSHOPT_LOCKFUNC, share_lock);
    curl_share_setopt(r->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
    curl_share_setopt(r->share, CURLSHOPT_USERDATA, r);
    curl_share_setopt(r->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    curl_share_setopt(r->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    *out = r;
    return MI_RESULT_OK;
}

void mi_remote_free(mi_remote *r)
{
    if (!r)
        return;
    if (r->share) {
        curl_share_cleanup(r->share);
        for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
            pthread_mutex_destroy(&r->share_locks[i]);
    }
    free(r->url);
    free(r->user);
    if (r->password) {
        explicit_bzero(r->password, strlen(r->password));
        free(r->password);
    }
    free(r);
}

/* ---- the request ---- */

static void classname_param(mi_strbuf *b, const char *name, const char *value)
{
    if (!value)
        return;
    mi_strbuf_printf(b, "<IPARAMVALUE NAME=\"%s\"><CLASSNAME NAME=\"", name);
    cimxml_escape(b, value);
    mi_strbuf_puts(b, "\"/></IPARAMVALUE>");
}

static void value_param(mi_strbuf *b, const char *name, const char *value)
{
    if (!value)
        return;
    mi_strbuf_printf(b, "<IPARAMVALUE NAME=\"%s\"><VALUE>", name);
    cimxml_escape(b, value);
    mi_strbuf_puts(b, "</VALUE></IPARAMVALUE>");
}

static void name_param(mi_strbuf *b, const char *name, const MI_Instance *inst)
{
    mi_strbuf_printf(b, "<IPARAMVALUE NAME=\"%s\">", name);
    cimxml_instancename(b, inst);
    mi_strbuf_puts(b, "</IPARAMVALUE>");
}

/* The method and its body for a request; NULL method when the request has no CIM-XML
 * form. */
static const char *build(mi_remote *r, const mi_engine_request *q, mi_strbuf *b)
{
    const char *method = NULL;
    switch (q->operation) {
    case MI_ENGINE_ASSOCIATORS:
        method = "Associators";
        break;
    case MI_ENGINE_ASSOCIATOR_NAMES:
        method = "AssociatorNames";
        break;
    case MI_ENGINE_REFERENCES:
        method = "References";
        break;
    case MI_ENGINE_REFERENCE_NAMES:
        method = "ReferenceNames";
        break;
    case MI_ENGINE_GET_INSTANCE:
        method = "GetInstance";
        break;
    case MI_ENGINE_ENUMERATE_INSTANCES:
        method = q->keys_only ? "EnumerateInstanceNames" : "EnumerateInstances";
        break;
    case MI_ENGINE_CREATE_INSTANCE:
        method = "CreateInstance";
        break;
    case MI_ENGINE_MODIFY_INSTANCE:
        method = "ModifyInstance";
        break;
    case MI_ENGINE_DELETE_INSTANCE:
        method = "DeleteInstance";
        break;
    }
    mi_strbuf_printf(b,
                     "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<CIM CIMVERSION=\"2.0\" "
                     "DTDVERSION=\"2.0\"><MESSAGE ID=\"%u\" PROTOCOLVERSION=\"1.0\"><SIMPLEREQ>"
                     "<IMETHODCALL NAME=\"%s\">",
                     atomic_fetch_add(&r->next_id, 1) + 1, method);
    cimxml_localnamespacepath(b, q->namespace_name ? q->namespace_name : "root/cimv2");
    switch (q->operation) {
    case MI_ENGINE_ASSOCIATORS:
    case MI_ENGINE_ASSOCIATOR_NAMES:
        name_param(b, "ObjectName", q->source);
        classname_param(b, "AssocClass", q->assoc_class);
        classname_param(b, "ResultClass", q->result_class);
        value_param(b, "Role", q->role);
        value_param(b, "ResultRole", q->result_role);
        break;
    case MI_ENGINE_REFERENCES:
    case MI_ENGINE_REFERENCE_NAMES:
        name_param(b, "ObjectName", q->source);
        classname_param(b, "ResultClass", q->result_class);
        value_param(b, "Role", q->role);
        break;
    case MI_ENGINE_GET_INSTANCE:
    case MI_ENGINE_DELETE_INSTANCE:
        name_param(b, "InstanceName", q->source);
        break;
    case MI_ENGINE_ENUMERATE_INSTANCES:
        classname_param(b, "ClassName", q->class_name);
        if (!q->keys_only)
            value_param(b, "DeepInheritance", q->shallow ? "FALSE" : "TRUE");
        break;
    case MI_ENGINE_CREATE_INSTANCE:
        mi_strbuf_puts(b, "<IPARAMVALUE NAME=\"NewInstance\">");
        cimxml_instance(b, q->instance, NULL, NULL);
        mi_strbuf_puts(b, "</IPARAMVALUE>");
        break;
    case MI_ENGINE_MODIFY_INSTANCE:
        mi_strbuf_puts(b, "<IPARAMVALUE NAME=\"ModifiedInstance\"><VALUE.NAMEDINSTANCE>");
        cimxml_instancename(b, q->instance);
        cimxml_instance(b, q->instance, NULL, NULL);
        mi_strbuf_puts(b, "</VALUE.NAMEDINSTANCE></IPARAMVALUE>");
        break;
    }
    mi_strbuf_puts(b, "</IMETHODCALL></SIMPLEREQ></MESSAGE></CIM>\n");
    return method;
}

/* ---- the transfer ---- */

typedef struct transfer {
    cimxml_reader *reader;
    const mi_engine_request *request;
    bool stopped_by_us;
    char cim_error[128]; /* the CIMError header of a protocol failure */
} transfer;

static size_t on_body(char *data, size_t size, size_t count, void *context)
{
    transfer *t = context;
    size_t n = size * count;
    if (t->reader && !cimxml_reader_feed(t->reader, data, n))
        return n; /* keep reading; the fault is reported at the end */
    return n;
}

static size_t on_header(char *data, size_t size, size_t count, void *context)
{
    transfer *t = context;
    size_t n = size * count;
    if (n > 9 && !strncasecmp(data, "CIMError:", 9)) {
        size_t len = n - 9;
        const char *v = data + 9;
        while (len && (*v == ' ' || *v == '\t')) {
            v++;
            len--;
        }
        while (len && (v[len - 1] == '\r' || v[len - 1] == '\n'))
            len--;
        if (len >= sizeof t->cim_error)
            len = sizeof t->cim_error - 1;
        memcpy(t->cim_error, v, len);
        t->cim_error[len] = '\0';
    }
    return n;
}

static int on_progress(void *context, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
    (void)a, (void)b, (void)c, (void)d;
    transfer *t = context;
    const mi_engine_request *q = t->request;
    bool stop = (q->cancelled && __atomic_load_n(q->cancelled, __ATOMIC_ACQUIRE)) ||
                (q->deadline_usec && mi_engine_now_usec() > q->deadline_usec);
    t->stopped_by_us |= stop;
    return stop ? 1 : 0;
}

/* A copy of inst with the properties that path names flagged as keys; NULL when memory
 * ran out. */
static MI_Instance *with_keys_of(const MI_Instance *inst, const MI_Instance *path)
{
    MI_Instance *keyed = NULL;
    if (mi_instance_new(&keyed, mi_instance_class_name(inst), NULL, NULL) != MI_RESULT_OK)
        return NULL;
    MI_Uint32 count = 0;
    MI_Instance_GetElementCount(inst, &count);
    for (MI_Uint32 i = 0; i < count; i++) {
        const MI_Char *name;
        MI_Value v;
        MI_Type type;
        MI_Uint32 flags;
        MI_Instance_GetElementAt(inst, i, &name, &v, &type, &flags);
        MI_Uint32 key = MI_Instance_GetElement(path, name, NULL, NULL, NULL, NULL) == MI_RESULT_OK
                            ? MI_FLAG_KEY
                            : 0;
        if (mi_instance_add_element(keyed, name, (flags & MI_FLAG_NULL) ? NULL : &v, type,
                                    key | (flags & MI_FLAG_NULL), NULL) != MI_RESULT_OK) {
            mi_instance_delete(keyed);
            return NULL;
        }
    }
    return keyed;
}

static MI_Result remote_open(void *context, const mi_engine_request *q, void **out, mi_error *err)
{
    mi_remote *r = context;
    *out = NULL;
    if (!q->source && q->operation != MI_ENGINE_ENUMERATE_INSTANCES &&
        q->operation != MI_ENGINE_CREATE_INSTANCE && q->operation != MI_ENGINE_MODIFY_INSTANCE)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "no source instance given");
    if (!q->instance &&
        (q->operation == MI_ENGINE_CREATE_INSTANCE || q->operation == MI_ENGINE_MODIFY_INSTANCE))
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "no instance given");
    mi_strbuf body = MI_STRBUF_INIT;
    const char *method = build(r, q, &body);
    if (body.failed) {
        mi_strbuf_free(&body);
        return mi_error_nomem(err);
    }
    remote_cursor *cur = calloc(1, sizeof *cur);
    CURL *curl = curl_easy_init();
    transfer t = {0};
    t.request = q;
    if (!cur || !curl || !(t.reader = cimxml_reader_begin(&cur->reply, err))) {
        free(cur);
        if (curl)
            curl_easy_cleanup(curl);
        mi_strbuf_free(&body);
        return mi_error_nomem(err);
    }
    char method_header[96], object_header[400];
    snprintf(method_header, sizeof method_header, "CIMMethod: %s", method);
    char *ns_escaped =
        curl_easy_escape(curl, q->namespace_name ? q->namespace_name : "root/cimv2", 0);
    snprintf(object_header, sizeof object_header, "CIMObject: %s", ns_escaped ? ns_escaped : "");
    curl_free(ns_escaped);
    struct curl_slist *headers = NULL;
    headers = curl_slist_append(headers, "Content-Type: application/xml; charset=\"utf-8\"");
    headers = curl_slist_append(headers, "CIMProtocolVersion: 1.0");
    headers = curl_slist_append(headers, "CIMOperation: MethodCall");
    headers = curl_slist_append(headers, method_header);
    headers = curl_slist_append(headers, object_header);
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(curl, CURLOPT_URL, r->url);
    curl_easy_setopt(curl, CURLOPT_SHARE, r->share);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)body.len);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, r->verify ? 1L : 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, r->verify ? 2L : 0L);
    if (r->user) {
        curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
        curl_easy_setopt(curl, CURLOPT_USERNAME, r->user);
        curl_easy_setopt(curl, CURLOPT_PASSWORD, r->password ? r->password : "");
    }
    CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    mi_strbuf_free(&body);
    cimxml_reader *reader = t.reader;
    t.reader = NULL;
    cimxml_fault fault = cimxml_reader_end(reader); /* a fault's reason is in err */
    MI_Result res = MI_RESULT_OK;
    if (rc == CURLE_ABORTED_BY_CALLBACK && t.stopped_by_us) {
        res = mi_error_set(err, MI_RESULT_FAILED,
                           q->cancelled && __atomic_load_n(q->cancelled, __ATOMIC_ACQUIRE)
                               ? "the operation was cancelled"
                               : "the operation timed out");
    } else if (rc != CURLE_OK) {
        res = mi_error_set(err, MI_RESULT_FAILED, "%s: %s", r->url, curl_easy_strerror(rc));
    } else if (status == 401) {
        res = mi_error_set(err, MI_RESULT_ACCESS_DENIED, "%s: the server refused the credentials",
                           r->url);
    } else if (status != 200) {
        res = mi_error_set(err, status == 501 ? MI_RESULT_NOT_SUPPORTED : MI_RESULT_FAILED,
                           "%s answered HTTP %ld%s%s", r->url, status,
                           t.cim_error[0] ? ", CIMError: " : "", t.cim_error);
    } else if (fault != CIMXML_FAULT_NONE) {
        res = mi_error_set(err, MI_RESULT_FAILED, "the server's reply cannot be read: %s",
                           err->message);
    } else if (cur->reply.error_code) {
        res = mi_error_set(err, (MI_Result)cur->reply.error_code, "%s",
                           cur->reply.error_description ? cur->reply.error_description : "");
    }
    if (res != MI_RESULT_OK) {
        if (fault == CIMXML_FAULT_NONE)
            cimxml_request_free(&cur->reply);
        free(cur);
        return res;
    }
    /* GetInstance answers with the INSTANCE alone: its keys are those the caller named */
    if (q->operation == MI_ENGINE_GET_INSTANCE && cur->reply.result_count == 1 && q->source) {
        MI_Instance *keyed = with_keys_of(cur->reply.results[0], q->source);
        if (keyed) {
            mi_instance_delete(cur->reply.results[0]);
            cur->reply.results[0] = keyed;
        }
    }
    /* results carry the namespace they were asked in when their path did not name one */
    for (size_t i = 0; i < cur->reply.result_count; i++) {
        const MI_Char *ns = NULL;
        MI_Instance_GetNameSpace(cur->reply.results[i], &ns);
        if (!ns && q->namespace_name)
            MI_Instance_SetNameSpace(cur->reply.results[i], q->namespace_name);
    }
    *out = cur;
    return MI_RESULT_OK;
}

static MI_Result remote_next(void *cursor, const MI_Instance **result, mi_error *err)
{
    (void)err;
    remote_cursor *cur = cursor;
    *result = cur->next < cur->reply.result_count ? cur->reply.results[cur->next++] : NULL;
    return MI_RESULT_OK;
}

static void remote_close(void *cursor)
{
    remote_cursor *cur = cursor;
    if (!cur)
        return;
    cimxml_request_free(&cur->reply);
    free(cur);
}

mi_result_source mi_remote_source(mi_remote *remote)
{
    mi_result_source s = {remote_open, remote_next, remote_close, remote};
    return s;
}
