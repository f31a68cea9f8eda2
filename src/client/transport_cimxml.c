/*
 * transport_cimxml — remote sessions over CIM-XML (see transport.h): each operation is
 * one intrinsic method call POSTed with libcurl (connections kept alive and shared by
 * the session's operations), its reply parsed with expat as it arrives. Enumerations go
 * through the pull operations a batch at a time; cancellation and the deadline abort
 * the transfer.
 */
#define _GNU_SOURCE

#include "transport.h"

#include "cimxml/classes.h"
#include "cimxml/parse.h"
#include "cimxml/write.h"
#include "core/instance.h"
#include "core/path.h"
#include "core/strbuf.h"
#include "core/value.h"
#include "http.h"

#include <curl/curl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

typedef struct mi_remote {
    mi_http *http;
    atomic_uint next_id;
    unsigned batch;      /* MaxObjectCount of the pull operations */
    atomic_bool no_pull; /* the server answered an Open with NOT_SUPPORTED */
} mi_remote;

/* An operation's results: one reply's, or an open enumeration's, a batch at a time. */
typedef struct remote_cursor {
    mi_remote *remote;
    const mi_request *request; /* the operation's: it outlives the cursor */
    cimxml_request reply;
    size_t next;
    char *context; /* an enumeration still open on the server */
    bool finished; /* nothing more to pull */
    bool paths;    /* PullInstancePaths rather than PullInstancesWithPath */
} remote_cursor;

static void remote_close(void *cursor);

static void remote_free(mi_remote *r)
{
    if (!r)
        return;
    mi_http_free(r->http);
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

/* The pull operation that opens an enumeration for a request; NULL when there is none. */
static const char *open_method(const mi_request *q)
{
    switch (q->operation) {
    case MI_OP_ASSOCIATORS:
        return "OpenAssociatorInstances";
    case MI_OP_ASSOCIATOR_NAMES:
        return "OpenAssociatorInstancePaths";
    case MI_OP_REFERENCES:
        return "OpenReferenceInstances";
    case MI_OP_REFERENCE_NAMES:
        return "OpenReferenceInstancePaths";
    case MI_OP_ENUMERATE_INSTANCES:
        return q->keys_only ? "OpenEnumerateInstancePaths" : "OpenEnumerateInstances";
    default:
        return NULL;
    }
}

static const char *classic_method(const mi_request *q)
{
    switch (q->operation) {
    case MI_OP_ASSOCIATORS:
        return "Associators";
    case MI_OP_ASSOCIATOR_NAMES:
        return "AssociatorNames";
    case MI_OP_REFERENCES:
        return "References";
    case MI_OP_REFERENCE_NAMES:
        return "ReferenceNames";
    case MI_OP_GET_INSTANCE:
        return "GetInstance";
    case MI_OP_ENUMERATE_INSTANCES:
        return q->keys_only ? "EnumerateInstanceNames" : "EnumerateInstances";
    case MI_OP_CREATE_INSTANCE:
        return "CreateInstance";
    case MI_OP_MODIFY_INSTANCE:
        return "ModifyInstance";
    case MI_OP_DELETE_INSTANCE:
        return "DeleteInstance";
    case MI_OP_QUERY_INSTANCES:
        return "ExecQuery";
    case MI_OP_GET_CLASS:
        return "GetClass";
    case MI_OP_ENUMERATE_CLASSES:
        return "EnumerateClasses";
    case MI_OP_INVOKE: /* an extrinsic method call, not an intrinsic one */
        return NULL;
    }
    return NULL;
}

static void begin_call(mi_remote *r, mi_strbuf *b, const char *method, const char *ns)
{
    mi_strbuf_printf(b,
                     "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<CIM CIMVERSION=\"2.0\" "
                     "DTDVERSION=\"2.0\"><MESSAGE ID=\"%u\" PROTOCOLVERSION=\"1.0\"><SIMPLEREQ>"
                     "<IMETHODCALL NAME=\"%s\">",
                     atomic_fetch_add(&r->next_id, 1) + 1, method);
    cimxml_localnamespacepath(b, ns ? ns : "root/cimv2");
}

static void end_call(mi_strbuf *b)
{
    mi_strbuf_puts(b, "</IMETHODCALL></SIMPLEREQ></MESSAGE></CIM>\n");
}

/* The body of method (classic, or the Open of a pull) for a request. */
static void build(mi_remote *r, const mi_request *q, const char *method, bool pull, mi_strbuf *b)
{
    begin_call(r, b, method, q->namespace_name);
    switch (q->operation) {
    case MI_OP_ASSOCIATORS:
    case MI_OP_ASSOCIATOR_NAMES:
        name_param(b, pull ? "InstanceName" : "ObjectName", q->source);
        classname_param(b, "AssocClass", q->assoc_class);
        classname_param(b, "ResultClass", q->result_class);
        value_param(b, "Role", q->role);
        value_param(b, "ResultRole", q->result_role);
        break;
    case MI_OP_REFERENCES:
    case MI_OP_REFERENCE_NAMES:
        name_param(b, pull ? "InstanceName" : "ObjectName", q->source);
        classname_param(b, "ResultClass", q->result_class);
        value_param(b, "Role", q->role);
        break;
    case MI_OP_GET_INSTANCE:
    case MI_OP_DELETE_INSTANCE:
        name_param(b, "InstanceName", q->source);
        break;
    case MI_OP_ENUMERATE_INSTANCES:
        classname_param(b, "ClassName", q->class_name);
        if (!q->keys_only)
            value_param(b, "DeepInheritance", q->shallow ? "FALSE" : "TRUE");
        break;
    case MI_OP_CREATE_INSTANCE:
        mi_strbuf_puts(b, "<IPARAMVALUE NAME=\"NewInstance\">");
        cimxml_instance(b, q->instance, NULL, NULL);
        mi_strbuf_puts(b, "</IPARAMVALUE>");
        break;
    case MI_OP_MODIFY_INSTANCE:
        mi_strbuf_puts(b, "<IPARAMVALUE NAME=\"ModifiedInstance\"><VALUE.NAMEDINSTANCE>");
        cimxml_instancename(b, q->instance);
        cimxml_instance(b, q->instance, NULL, NULL);
        mi_strbuf_puts(b, "</VALUE.NAMEDINSTANCE></IPARAMVALUE>");
        break;
    case MI_OP_QUERY_INSTANCES:
        value_param(b, "QueryLanguage", q->query_language);
        value_param(b, "Query", q->query_text);
        break;
    case MI_OP_GET_CLASS:
    case MI_OP_ENUMERATE_CLASSES:
        classname_param(b, "ClassName", q->class_name);
        break;
    case MI_OP_INVOKE: /* not built here: it has no intrinsic method */
        break;
    }
    bool shaped = q->operation == MI_OP_GET_INSTANCE || q->operation == MI_OP_ASSOCIATORS ||
                  q->operation == MI_OP_REFERENCES ||
                  (q->operation == MI_OP_ENUMERATE_INSTANCES && !q->keys_only);
    if (q->has_property_list && shaped) {
        mi_strbuf_puts(b, "<IPARAMVALUE NAME=\"PropertyList\"><VALUE.ARRAY>");
        for (size_t i = 0; i < q->property_count; i++) {
            mi_strbuf_puts(b, "<VALUE>");
            cimxml_escape(b, q->properties[i]);
            mi_strbuf_puts(b, "</VALUE>");
        }
        mi_strbuf_puts(b, "</VALUE.ARRAY></IPARAMVALUE>");
    }
    if (pull)
        mi_strbuf_printf(b, "<IPARAMVALUE NAME=\"MaxObjectCount\"><VALUE>%u</VALUE></IPARAMVALUE>",
                         q->batch_size ? q->batch_size : r->batch);
    end_call(b);
}

/* The body of a Pull or CloseEnumeration of an open enumeration. */
static void build_continue(mi_remote *r, const char *ns, const char *method, const char *context,
                           unsigned batch, mi_strbuf *b)
{
    begin_call(r, b, method, ns);
    value_param(b, "EnumerationContext", context);
    if (batch)
        mi_strbuf_printf(b, "<IPARAMVALUE NAME=\"MaxObjectCount\"><VALUE>%u</VALUE></IPARAMVALUE>",
                         batch);
    end_call(b);
}

/* ---- the exchange ---- */

typedef struct transfer {
    cimxml_reader *reader;
    mi_strbuf *raw; /* instead of a reader: the body kept whole */
} transfer;

static void on_body(void *context, const char *data, size_t n)
{
    transfer *t = context;
    if (t->raw)
        mi_strbuf_append(t->raw, data, n);
    else if (t->reader)
        cimxml_reader_feed(t->reader, data, n); /* a fault is reported at the end */
}

/* One exchange: method with body, the reply parsed into reply (or, given raw, kept whole
 * there). Protocol and operation failures come back as results with err set; on failure
 * reply holds nothing. */
static MI_Result call(mi_remote *r, const mi_request *q, const char *method, const mi_strbuf *body,
                      cimxml_request *reply, mi_strbuf *raw, mi_error *err)
{
    memset(reply, 0, sizeof *reply);
    if (body->failed)
        return mi_error_nomem(err);
    transfer t = {NULL, raw};
    if (!raw && !(t.reader = cimxml_reader_begin(reply, err)))
        return mi_error_nomem(err);
    char method_header[96], object_header[1200];
    snprintf(method_header, sizeof method_header, "CIMMethod: %s", method);
    /* the namespace; for an extrinsic method the object path, namespace:class[.keys] */
    const char *ns = q->namespace_name ? q->namespace_name : "root/cimv2";
    char *target = NULL;
    if (q->operation == MI_OP_INVOKE && q->source)
        mi_path_format(&target, q->source, NULL);
    char object[1024];
    if (q->operation == MI_OP_INVOKE)
        snprintf(object, sizeof object, "%s:%s", ns,
                 target          ? target
                 : q->class_name ? q->class_name
                                 : "");
    else
        snprintf(object, sizeof object, "%s", ns);
    free(target);
    char *escaped = curl_easy_escape(NULL, object, 0);
    snprintf(object_header, sizeof object_header, "CIMObject: %s", escaped ? escaped : "");
    curl_free(escaped);
    const char *headers[] = {"Content-Type: application/xml; charset=\"utf-8\"",
                             "CIMProtocolVersion: 1.0",
                             "CIMOperation: MethodCall",
                             method_header,
                             object_header,
                             NULL};
    mi_http_post post = {.headers = headers,
                         .body = body->data,
                         .body_length = body->len,
                         .sink = on_body,
                         .sink_context = &t,
                         .request = q,
                         .wanted_header = "CIMError"};
    mi_error http_err = {0};
    MI_Result res = mi_http_send(r->http, &post, &http_err);
    /* a fault's reason is in err */
    cimxml_fault fault = raw ? CIMXML_FAULT_NONE : cimxml_reader_end(t.reader);
    mi_error fault_err = {0};
    if (fault != CIMXML_FAULT_NONE)
        mi_error_set(&fault_err, MI_RESULT_FAILED, "%s", err->message);
    const char *url = mi_http_url(r->http);
    if (res != MI_RESULT_OK) {
        mi_error_set(err, res, "%s", http_err.message);
    } else if (post.status != 200) {
        res = mi_error_set(err, post.status == 501 ? MI_RESULT_NOT_SUPPORTED : MI_RESULT_FAILED,
                           "%s answered HTTP %ld%s%s", url, post.status,
                           post.header_value[0] ? ", CIMError: " : "", post.header_value);
    } else if (raw && raw->failed) {
        res = mi_error_nomem(err);
    } else if (fault != CIMXML_FAULT_NONE) {
        res = mi_error_set(err, MI_RESULT_FAILED, "the server's reply cannot be read: %s",
                           fault_err.message);
    } else if (reply->error_code) {
        res = mi_error_set(err, (MI_Result)reply->error_code, "%s",
                           reply->error_description ? reply->error_description : "");
    }
    if (res != MI_RESULT_OK && fault == CIMXML_FAULT_NONE)
        cimxml_request_free(reply);
    if (res != MI_RESULT_OK)
        memset(reply, 0, sizeof *reply);
    return res;
}

/* Results as the in-process engine gives them: GetInstance's keys flagged, and the
 * namespace asked in where a path named none. */
static void settle(cimxml_request *reply, const mi_request *q)
{
    /* GetInstance answers with the INSTANCE alone: its keys are those the caller named */
    if (q->operation == MI_OP_GET_INSTANCE && reply->result_count == 1 && q->source) {
        MI_Instance *keyed = NULL;
        if (mi_instance_copy_with_keys(&keyed, reply->results[0], q->source, NULL, NULL) ==
            MI_RESULT_OK) {
            mi_instance_delete(reply->results[0]);
            reply->results[0] = keyed;
        }
    }
    for (size_t i = 0; i < reply->result_count; i++) {
        const MI_Char *ns = NULL;
        MI_Instance_GetNameSpace(reply->results[i], &ns);
        if (!ns && q->namespace_name)
            MI_Instance_SetNameSpace(reply->results[i], q->namespace_name);
    }
}

/* Where an open enumeration stands after a reply of it. */
static MI_Result take_enumeration(remote_cursor *cur, mi_error *err)
{
    const char *end = cur->reply.end_of_sequence;
    cur->finished = end && !strcasecmp(end, "TRUE");
    free(cur->context);
    cur->context = NULL;
    if (cur->finished)
        return MI_RESULT_OK;
    if (!cur->reply.enumeration_context || !cur->reply.enumeration_context[0])
        return mi_error_set(err, MI_RESULT_FAILED,
                            "the server's reply names no enumeration context");
    cur->context = strdup(cur->reply.enumeration_context);
    return cur->context ? MI_RESULT_OK : mi_error_nomem(err);
}

/* A method's answer as the engine gives it: one instance named after the method with
 * ReturnValue and the out parameters, each typed by its PARAMTYPE (text without one). */
static MI_Result output_parameters(const cimxml_request *reply, const char *method,
                                   MI_Instance **out, mi_error *err)
{
    MI_Instance *result = NULL;
    MI_Result res = mi_instance_new(&result, method, NULL, err);
    for (size_t i = 0; res == MI_RESULT_OK && i < reply->param_count; i++) {
        const cimxml_param *p = &reply->params[i];
        bool known = true;
        MI_Type scalar = p->type ? cimxml_type_from_name(p->type, &known) : MI_STRING;
        if (!known || scalar == MI_INSTANCE)
            scalar = MI_STRING; /* an embedded object comes as its text */
        MI_Value v;
        bool held = false;
        MI_Type type = scalar;
        const MI_Value *value = &v;
        if (p->kind == CIMXML_PARAM_INSTANCENAME) {
            v.reference = p->instance;
            type = MI_REFERENCE;
        } else if (p->kind == CIMXML_PARAM_ARRAY) {
            type = (MI_Type)(scalar | MI_ARRAY);
            held = mi_value_array_from_texts(scalar, p->items, p->item_count, &v);
            value = held ? &v : NULL;
        } else if (p->kind == CIMXML_PARAM_VALUE) {
            held = mi_value_from_text(scalar, p->text ? p->text : "", &v);
            value = held ? &v : NULL;
        } else {
            value = NULL;
        }
        if ((p->kind == CIMXML_PARAM_ARRAY || p->kind == CIMXML_PARAM_VALUE) && !held)
            res = mi_error_set(err, MI_RESULT_FAILED,
                               "the server's answer to %s gave %s a value that is not a %s", method,
                               p->name, mi_type_name(scalar));
        if (res == MI_RESULT_OK)
            res = mi_instance_add_element(result, p->name, value, type,
                                          value ? (held ? MI_FLAG_ADOPT : 0) : MI_FLAG_NULL, err);
        else if (held)
            mi_value_release(&v, type);
    }
    if (res != MI_RESULT_OK) {
        if (result)
            mi_instance_delete(result);
        return res;
    }
    *out = result;
    return MI_RESULT_OK;
}

/* An extrinsic method call (METHODCALL): its output parameters become the one result. */
static MI_Result remote_invoke(mi_remote *r, const mi_request *q, remote_cursor *cur, mi_error *err)
{
    mi_strbuf body = MI_STRBUF_INIT;
    cimxml_methodcall_begin(&body, atomic_fetch_add(&r->next_id, 1) + 1, q->method,
                            q->namespace_name ? q->namespace_name : "root/cimv2", q->class_name,
                            q->source);
    MI_Uint32 count = 0;
    if (q->instance)
        MI_Instance_GetElementCount(q->instance, &count);
    for (MI_Uint32 i = 0; i < count; i++) {
        const MI_Char *name;
        MI_Value v;
        MI_Type type;
        MI_Uint32 flags;
        if (MI_Instance_GetElementAt(q->instance, i, &name, &v, &type, &flags) == MI_RESULT_OK)
            cimxml_paramvalue(&body, "PARAMVALUE", name, &v, type, (flags & MI_FLAG_NULL) != 0);
    }
    cimxml_methodcall_end(&body);
    MI_Result res =
        body.failed ? mi_error_nomem(err) : call(r, q, q->method, &body, &cur->reply, NULL, err);
    mi_strbuf_free(&body);
    MI_Instance *output = NULL;
    if (res == MI_RESULT_OK && cur->reply.param_count)
        res = output_parameters(&cur->reply, q->method, &output, err);
    if (output) {
        MI_Instance **grown = realloc(cur->reply.results, sizeof *grown);
        if (grown) {
            cur->reply.results = grown;
            cur->reply.results[0] = output;
            cur->reply.result_count = 1;
        } else {
            mi_instance_delete(output);
            res = mi_error_nomem(err);
        }
    }
    return res;
}

static MI_Result remote_open(void *context, const mi_request *q, void **out, mi_error *err)
{
    mi_remote *r = context;
    *out = NULL;
    if (!q->source && q->operation != MI_OP_ENUMERATE_INSTANCES &&
        q->operation != MI_OP_CREATE_INSTANCE && q->operation != MI_OP_MODIFY_INSTANCE &&
        q->operation != MI_OP_INVOKE && q->operation != MI_OP_QUERY_INSTANCES)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "no source instance given");
    if (!q->instance &&
        (q->operation == MI_OP_CREATE_INSTANCE || q->operation == MI_OP_MODIFY_INSTANCE))
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "no instance given");
    MI_Result stop = mi_request_stopped(q, err);
    if (stop != MI_RESULT_OK)
        return stop;
    remote_cursor *cur = calloc(1, sizeof *cur);
    if (!cur)
        return mi_error_nomem(err);
    cur->remote = r;
    cur->request = q;
    cur->finished = true;
    MI_Result res = MI_RESULT_NOT_SUPPORTED;
    if (q->operation == MI_OP_INVOKE) {
        res = remote_invoke(r, q, cur, err);
        if (res != MI_RESULT_OK) {
            remote_close(cur);
            return res;
        }
        settle(&cur->reply, q);
        *out = cur;
        return MI_RESULT_OK;
    }
    /* enumerations go through the pull operations, a batch at a time, where the server
     * has them; a server without them gets the classic call */
    const char *method = atomic_load(&r->no_pull) ? NULL : open_method(q);
    if (method) {
        mi_strbuf body = MI_STRBUF_INIT;
        build(r, q, method, true, &body);
        res = call(r, q, method, &body, &cur->reply, NULL, err);
        mi_strbuf_free(&body);
        if (res == MI_RESULT_NOT_SUPPORTED)
            atomic_store(&r->no_pull, true);
        else if (res == MI_RESULT_OK)
            res = take_enumeration(cur, err);
        cur->paths =
            q->keys_only && q->operation != MI_OP_ASSOCIATORS && q->operation != MI_OP_REFERENCES;
    }
    if (res == MI_RESULT_NOT_SUPPORTED) {
        method = classic_method(q);
        mi_strbuf body = MI_STRBUF_INIT;
        build(r, q, method, false, &body);
        res = call(r, q, method, &body, &cur->reply, NULL, err);
        mi_strbuf_free(&body);
    }
    if (res != MI_RESULT_OK) {
        remote_close(cur);
        return res;
    }
    settle(&cur->reply, q);
    *out = cur;
    return MI_RESULT_OK;
}

static MI_Result remote_next(void *cursor, const MI_Instance **result, mi_error *err)
{
    remote_cursor *cur = cursor;
    *result = NULL;
    MI_Result stop = mi_request_stopped(cur->request, err); /* as the engine checks each step */
    if (stop != MI_RESULT_OK)
        return stop;
    while (cur->next == cur->reply.result_count) {
        if (cur->finished)
            return MI_RESULT_OK;
        cimxml_request_free(&cur->reply);
        cur->next = 0;
        const char *method = cur->paths ? "PullInstancePaths" : "PullInstancesWithPath";
        mi_strbuf body = MI_STRBUF_INIT;
        build_continue(cur->remote, cur->request->namespace_name, method, cur->context,
                       cur->request->batch_size ? cur->request->batch_size : cur->remote->batch,
                       &body);
        MI_Result res = call(cur->remote, cur->request, method, &body, &cur->reply, NULL, err);
        mi_strbuf_free(&body);
        if (res == MI_RESULT_OK)
            res = take_enumeration(cur, err);
        if (res != MI_RESULT_OK) {
            cur->finished = true; /* a failed pull ends the enumeration on the server */
            free(cur->context);
            cur->context = NULL;
            return res;
        }
        settle(&cur->reply, cur->request);
    }
    *result = cur->reply.results[cur->next++];
    return MI_RESULT_OK;
}

static void remote_close(void *cursor)
{
    remote_cursor *cur = cursor;
    if (!cur)
        return;
    if (cur->context) {
        /* closed before the end: the server may let the enumeration go now; a close is
         * not cancelled by the operation's own cancel, and waits a few seconds at most */
        mi_request q = *cur->request;
        q.cancelled = NULL;
        q.deadline_usec = mi_request_now_usec() + 3000000;
        mi_strbuf body = MI_STRBUF_INIT;
        build_continue(cur->remote, q.namespace_name, "CloseEnumeration", cur->context, 0, &body);
        cimxml_request reply;
        mi_error ignored = {0};
        if (call(cur->remote, &q, "CloseEnumeration", &body, &reply, NULL, &ignored) ==
            MI_RESULT_OK)
            cimxml_request_free(&reply);
        mi_strbuf_free(&body);
        free(cur->context);
    }
    cimxml_request_free(&cur->reply);
    free(cur);
}

static mi_result_source cimxml_results(void *self)
{
    mi_result_source s = {remote_open, remote_next, remote_close, self};
    return s;
}

/* ---- classes ---- */

typedef struct class_lookup {
    mi_remote *remote;
    const mi_request *request;   /* namespace, cancel and deadline */
    cimxml_class_reply *reading; /* the reply being read: its classes so far */
    mi_class **fetched;          /* superclasses asked for on their own */
    size_t fetched_count;
} class_lookup;

static MI_Result read_classes(class_lookup *l, const char *class_name, bool enumerate, bool deep,
                              cimxml_class_reply *out, mi_error *err);

static mi_class *find_in(mi_class **classes, size_t count, const char *name)
{
    for (size_t i = 0; i < count; i++) {
        if (mi_name_equal(classes[i]->name, name)) {
            mi_class_ref(classes[i]);
            return classes[i];
        }
    }
    return NULL;
}

/* A superclass: read already in this reply or before, or else asked for. */
static mi_class *superclass_of(void *context, const char *name, mi_error *err)
{
    class_lookup *l = context;
    mi_class *found = find_in(l->reading->classes, l->reading->count, name);
    if (!found)
        found = find_in(l->fetched, l->fetched_count, name);
    if (found)
        return found;
    cimxml_class_reply reply;
    cimxml_class_reply *outer = l->reading;
    MI_Result r = read_classes(l, name, false, false, &reply, err);
    l->reading = outer;
    if (r == MI_RESULT_OK && reply.count != 1)
        r = mi_error_set(err, MI_RESULT_FAILED, "the server's GetClass of %s gave %zu classes",
                         name, reply.count);
    mi_class **grown =
        r == MI_RESULT_OK ? realloc(l->fetched, (l->fetched_count + 1) * sizeof *grown) : NULL;
    if (r == MI_RESULT_OK && !grown)
        mi_error_nomem(err);
    if (grown) {
        l->fetched = grown;
        found = reply.classes[0];
        mi_class_ref(found);
        l->fetched[l->fetched_count++] = found;
        mi_class_ref(found); /* one for the list, one for the caller */
    }
    cimxml_class_reply_free(&reply);
    return found;
}

/* GetClass (one class) or EnumerateClasses, every member and qualifier included. */
static MI_Result read_classes(class_lookup *l, const char *class_name, bool enumerate, bool deep,
                              cimxml_class_reply *out, mi_error *err)
{
    memset(out, 0, sizeof *out);
    mi_remote *r = l->remote;
    const char *method = enumerate ? "EnumerateClasses" : "GetClass";
    mi_strbuf body = MI_STRBUF_INIT;
    begin_call(r, &body, method, l->request->namespace_name);
    classname_param(&body, "ClassName", class_name);
    if (enumerate)
        value_param(&body, "DeepInheritance", deep ? "TRUE" : "FALSE");
    value_param(&body, "LocalOnly", "FALSE");
    value_param(&body, "IncludeQualifiers", "TRUE");
    end_call(&body);
    mi_strbuf raw = MI_STRBUF_INIT;
    cimxml_request unused;
    MI_Result res = call(r, l->request, method, &body, &unused, &raw, err);
    mi_strbuf_free(&body);
    if (res == MI_RESULT_OK) {
        l->reading = out;
        cimxml_fault fault =
            cimxml_read_classes(raw.data ? raw.data : "", raw.len, superclass_of, l, out, err);
        if (fault != CIMXML_FAULT_NONE && err->code != MI_RESULT_OK &&
            err->code != MI_RESULT_FAILED) {
            res = err->code; /* a superclass could not be had: its own reason */
        } else if (fault != CIMXML_FAULT_NONE) {
            char why[sizeof err->message];
            snprintf(why, sizeof why, "%s", err->message);
            res = mi_error_set(err, MI_RESULT_FAILED, "the server's reply cannot be read: %s", why);
        } else if (out->error_code)
            res = mi_error_set(err, (MI_Result)out->error_code, "%s",
                               out->error_description ? out->error_description : "");
        if (res != MI_RESULT_OK && fault == CIMXML_FAULT_NONE)
            cimxml_class_reply_free(out);
    }
    mi_strbuf_free(&raw);
    return res;
}

/* GetClass or EnumerateClasses, each class built on its superclass (asked for when the
 * reply lacks it). */
static MI_Result cimxml_classes(void *self, const mi_request *request, mi_class ***classes,
                                size_t *count, mi_error *err)
{
    *classes = NULL;
    *count = 0;
    bool enumerate = request->operation == MI_OP_ENUMERATE_CLASSES;
    const char *class_name =
        request->class_name && *request->class_name ? request->class_name : NULL;
    if (!enumerate && !class_name)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "no class name given");
    class_lookup l = {self, request, NULL, NULL, 0};
    cimxml_class_reply reply;
    MI_Result r = read_classes(&l, class_name, enumerate, !request->shallow, &reply, err);
    for (size_t i = 0; i < l.fetched_count; i++)
        mi_class_unref(l.fetched[i]);
    free(l.fetched);
    *classes = NULL;
    *count = 0;
    if (r != MI_RESULT_OK)
        return r;
    *classes = reply.classes; /* the caller's now, with their references */
    *count = reply.count;
    reply.classes = NULL;
    reply.count = 0;
    cimxml_class_reply_free(&reply);
    return MI_RESULT_OK;
}

/* ---- the transport ---- */

static void *cimxml_repository(void *self)
{
    (void)self;
    return NULL;
}

static void cimxml_free(void *self)
{
    remote_free(self);
}

static const mi_transport_ops cimxml_ops = {cimxml_results, cimxml_classes, cimxml_repository,
                                            cimxml_free};

static bool cimxml_serves(const char *protocol, const char *destination)
{
    return (!protocol || !strcasecmp(protocol, "CIMXML")) && mi_http_is_url(destination);
}

/* The credentials and the certificate check are the HTTP layer's; the pull batch is
 * LIBMI_PULL_BATCH. */
static MI_Result cimxml_connect(const char *url, MI_DestinationOptions *options, mi_transport *out,
                                mi_error *err)
{
    static const mi_http_defaults defaults = {":5988", ":5989", "/cimom"};
    mi_remote *r = calloc(1, sizeof *r);
    if (!r)
        return mi_error_nomem(err);
    r->batch = mi_http_batch(options, 1000, 1000000);
    MI_Result res = mi_http_new(&r->http, url, &defaults, options, err);
    if (res != MI_RESULT_OK) {
        remote_free(r);
        r = NULL;
    }
    *out = (mi_transport){&cimxml_ops, r};
    return res;
}

const mi_transport_kind mi_transport_cimxml = {cimxml_serves, cimxml_connect};
