/*
 * transport_wsman — remote sessions over WS-Management (see transport.h): each operation
 * is a SOAP envelope POSTed through the HTTP layer (http.h), its reply read into a tree.
 * Associators and References go through DSP0227's association filter, enumerations and
 * queries (the WQL/CQL filters) through Enumerate and Pull a batch at a time (the first
 * batch in the Enumerate response, with OptimizeEnumeration), and an operation closed
 * before the end sends Release. Results carry their keys (each item's endpoint
 * reference) and types (the type attributes of this library's server; strings from
 * other peers). Methods are custom actions (DSP0227).
 */
#define _GNU_SOURCE

#include "transport.h"

#include "core/instance.h"
#include "core/strbuf.h"
#include "http.h"
#include "wsman/wsman.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct wsman_remote {
    mi_http *http;
    unsigned batch; /* MaxElements */
} wsman_remote;

typedef struct wsman_cursor {
    wsman_remote *remote;
    const mi_request *request;
    MI_Instance **results;
    size_t count, next;
    char *context; /* an enumeration open on the server */
    bool names;    /* EnumerateEPR: results are paths */
} wsman_cursor;

static const char *ns_of(const mi_request *q)
{
    return q->namespace_name && *q->namespace_name ? q->namespace_name : "root/cimv2";
}

/* ---- the request ---- */

static bool has_keys(const MI_Instance *inst)
{
    MI_Uint32 count = 0;
    MI_Instance_GetElementCount(inst, &count);
    for (MI_Uint32 i = 0; i < count; i++) {
        MI_Uint32 flags = 0;
        if (MI_Instance_GetElementAt(inst, i, NULL, NULL, NULL, &flags) == MI_RESULT_OK &&
            (flags & MI_FLAG_KEY))
            return true;
    }
    return false;
}

static void header_selectors(mi_strbuf *b, const MI_Instance *keys, const char *ns)
{
    MI_Instance *all = NULL;
    if (!has_keys(keys)) {
        /* keys not marked (an instance built without its class): every property is sent
         * as a selector, and the server keeps those its class declares keys */
        if (mi_instance_copy_with_keys(&all, keys, keys, NULL, NULL) == MI_RESULT_OK)
            keys = all;
    }
    /* the endpoint's reference parameters, as headers: ResourceURI and SelectorSet */
    mi_strbuf epr = MI_STRBUF_INIT;
    wsman_write_epr(&epr, keys, NULL, ns, WSMAN_ANONYMOUS);
    const char *params = epr.data ? strstr(epr.data, "<wsa:ReferenceParameters>") : NULL;
    if (params) {
        params += strlen("<wsa:ReferenceParameters>");
        const char *end = strstr(params, "</wsa:ReferenceParameters>");
        const char *selectors = strstr(params, "<wsman:SelectorSet>");
        if (end && selectors)
            mi_strbuf_append(b, selectors, (size_t)(end - selectors));
    }
    b->failed |= epr.failed;
    mi_strbuf_free(&epr);
    if (all)
        mi_instance_delete(all);
}

/* The envelope's start: action, resource URI, selectors (keys, may be NULL), the common
 * headers; the body opened. */
static void begin(wsman_remote *r, mi_strbuf *b, const mi_request *q, const char *action,
                  const char *class_name, const MI_Instance *keys)
{
    mi_strbuf uri = MI_STRBUF_INIT;
    if (class_name)
        wsman_resource_uri(&uri, NULL, ns_of(q), class_name);
    else
        mi_strbuf_puts(&uri, "http://schemas.dmtf.org/wbem/wscim/1/*");
    wsman_envelope_begin(b, action, NULL, uri.data ? uri.data : "");
    mi_strbuf_free(&uri);
    mi_strbuf_puts(b, "<wsman:MaxEnvelopeSize s:mustUnderstand=\"true\">4096000"
                      "</wsman:MaxEnvelopeSize>");
    if (q->deadline_usec) {
        uint64_t now = mi_request_now_usec();
        uint64_t left = q->deadline_usec > now ? q->deadline_usec - now : 1000;
        mi_strbuf_printf(b, "<wsman:OperationTimeout>PT%llu.%03lluS</wsman:OperationTimeout>",
                         (unsigned long long)(left / 1000000),
                         (unsigned long long)(left / 1000 % 1000));
    }
    if (keys)
        header_selectors(b, keys, ns_of(q));
    else if (class_name)
        mi_strbuf_printf(b,
                         "<wsman:SelectorSet><wsman:Selector Name=\"__cimnamespace\">%s"
                         "</wsman:Selector></wsman:SelectorSet>",
                         ns_of(q));
    mi_strbuf_puts(b, "</s:Header><s:Body>");
    (void)r;
}

static void text_element(mi_strbuf *b, const char *name, const char *value)
{
    if (!value)
        return;
    mi_strbuf_printf(b, "<%s>", name);
    mi_strbuf_put_xml(b, value);
    mi_strbuf_printf(b, "</%s>", name);
}

/* The Enumerate of a request: its filter, mode and first batch. */
static void build_enumerate(wsman_remote *r, const mi_request *q, mi_strbuf *b, bool names)
{
    bool association = mi_request_is_association(q);
    bool query = q->operation == MI_OP_QUERY_INSTANCES;
    begin(r, b, q, WSMAN_ACTION_ENUMERATE, association || query ? NULL : q->class_name, NULL);
    mi_strbuf_printf(b,
                     "<wsen:Enumerate><wsman:OptimizeEnumeration/><wsman:MaxElements>%u"
                     "</wsman:MaxElements><wsman:EnumerationMode>%s</wsman:EnumerationMode>",
                     q->batch_size ? q->batch_size : r->batch,
                     names ? "EnumerateEPR" : "EnumerateObjectAndEPR");
    if (query) {
        bool cql = q->query_language && (!strcasecmp(q->query_language, "CQL") ||
                                         !strcasecmp(q->query_language, "DMTF:CQL"));
        mi_strbuf_printf(b, "<wsman:Filter Dialect=\"%s\">",
                         cql ? WSMAN_DIALECT_CQL : WSMAN_DIALECT_WQL);
        mi_strbuf_put_xml(b, q->query_text ? q->query_text : "");
        mi_strbuf_puts(b, "</wsman:Filter>");
    } else if (association) {
        bool associators = mi_request_is_associators(q);
        const char *element =
            associators ? "wsmb:AssociatedInstances" : "wsmb:AssociationInstances";
        mi_strbuf_printf(
            b, "<wsman:Filter Dialect=\"" WSMAN_DIALECT_ASSOCIATION "\"><%s><wsmb:Object>",
            element);
        wsman_write_epr(b, q->source, NULL, ns_of(q), WSMAN_ANONYMOUS);
        mi_strbuf_puts(b, "</wsmb:Object>");
        if (associators)
            text_element(b, "wsmb:AssociationClassName", q->assoc_class);
        text_element(b, "wsmb:Role", q->role);
        text_element(b, "wsmb:ResultClassName", q->result_class);
        if (associators)
            text_element(b, "wsmb:ResultRole", q->result_role);
        for (size_t i = 0; q->has_property_list && !names && i < q->property_count; i++)
            text_element(b, "wsmb:IncludeResultProperty", q->properties[i]);
        mi_strbuf_printf(b, "</%s></wsman:Filter>", element);
    }
    mi_strbuf_puts(b, "</wsen:Enumerate>");
    wsman_envelope_end(b);
}

/* ---- the exchange ---- */

static void on_body(void *context, const char *data, size_t n)
{
    soap_reader_feed(context, data, n);
}

/* One exchange: the reply's Body (in reader, which the caller frees), or a failure. */
static MI_Result exchange(wsman_remote *r, const mi_request *q, const mi_strbuf *body,
                          soap_reader **reader, const soap_node **reply_body, mi_error *err)
{
    *reply_body = NULL;
    if (body->failed)
        return mi_error_nomem(err);
    if (!(*reader = soap_reader_new()))
        return mi_error_nomem(err);
    const char *headers[] = {"Content-Type: application/soap+xml;charset=UTF-8", NULL};
    mi_http_post post = {.headers = headers,
                         .body = body->data,
                         .body_length = body->len,
                         .sink = on_body,
                         .sink_context = *reader,
                         .request = q};
    MI_Result res = mi_http_send(r->http, &post, err);
    if (res != MI_RESULT_OK)
        return res;
    soap_fault fault;
    mi_error parse_err = {0};
    const soap_node *root = soap_reader_end(*reader, &fault, &parse_err);
    const soap_node *b = root ? soap_child(root, WSMAN_NS_SOAP, "Body") : NULL;
    const soap_node *f = b ? soap_child(b, WSMAN_NS_SOAP, "Fault") : NULL;
    if (f) {
        char message[600];
        MI_Result code = wsman_result_of_fault(f, message, sizeof message);
        return mi_error_set(err, code, "%s", message);
    }
    if (post.status != 200)
        return mi_error_set(err, MI_RESULT_FAILED, "%s answered HTTP %ld", mi_http_url(r->http),
                            post.status);
    if (!b)
        return mi_error_set(err, MI_RESULT_FAILED, "the server's reply cannot be read: %s",
                            root ? "no SOAP body" : parse_err.message);
    *reply_body = b;
    return MI_RESULT_OK;
}

/* ---- results ---- */

static MI_Result keep(wsman_cursor *cur, MI_Instance *inst, mi_error *err)
{
    MI_Instance **grown = realloc(cur->results, (cur->count + 1) * sizeof *grown);
    if (!grown) {
        mi_instance_delete(inst);
        return mi_error_nomem(err);
    }
    cur->results = grown;
    cur->results[cur->count++] = inst;
    return MI_RESULT_OK;
}

/* An instance element with its keys marked by the endpoint reference beside it. */
static MI_Result keyed_instance(const mi_request *q, const soap_node *element, const soap_node *epr,
                                MI_Instance **out, mi_error *err)
{
    MI_Instance *inst = NULL, *keys = NULL;
    MI_Result r = wsman_read_instance(element, NULL, ns_of(q), &inst, err);
    if (r == MI_RESULT_OK && epr)
        r = wsman_read_epr(epr, ns_of(q), &keys, err);
    if (r == MI_RESULT_OK && keys) {
        const MI_Char *ns = NULL;
        MI_Instance_GetNameSpace(keys, &ns);
        r = mi_instance_copy_with_keys(out, inst, keys, NULL, err);
        if (r == MI_RESULT_OK && ns && *ns)
            MI_Instance_SetNameSpace(*out, ns);
    } else if (r == MI_RESULT_OK) {
        *out = inst;
        inst = NULL;
    }
    if (inst)
        mi_instance_delete(inst);
    if (keys)
        mi_instance_delete(keys);
    return r;
}

/* The items of an EnumerateResponse (wsman:Items) or PullResponse (wsen:Items). */
static MI_Result take_items(wsman_cursor *cur, const soap_node *items, mi_error *err)
{
    MI_Result r = MI_RESULT_OK;
    for (const soap_node *n = items ? items->first : NULL; n && r == MI_RESULT_OK; n = n->next) {
        MI_Instance *inst = NULL;
        if (!strcmp(n->name, "EndpointReference") && !strcmp(n->ns, WSMAN_NS_WSA)) {
            r = wsman_read_epr(n, ns_of(cur->request), &inst, err);
        } else if (!strcmp(n->name, "Item") && !strcmp(n->ns, WSMAN_NS_WSMAN)) {
            const soap_node *element = NULL, *epr = NULL;
            for (const soap_node *c = n->first; c; c = c->next) {
                if (!strcmp(c->name, "EndpointReference") && !strcmp(c->ns, WSMAN_NS_WSA))
                    epr = c;
                else if (!element)
                    element = c;
            }
            if (element && !cur->names)
                r = keyed_instance(cur->request, element, epr, &inst, err);
            else if (epr)
                r = wsman_read_epr(epr, ns_of(cur->request), &inst, err);
        } else {
            r = keyed_instance(cur->request, n, NULL, &inst, err);
        }
        if (r == MI_RESULT_OK && inst)
            r = keep(cur, inst, err);
    }
    return r;
}

static void drop_results(wsman_cursor *cur)
{
    for (size_t i = 0; i < cur->count; i++) /* those handed out are done with by now */
        mi_instance_delete(cur->results[i]);
    free(cur->results);
    cur->results = NULL;
    cur->count = cur->next = 0;
}

/* Where the enumeration stands after a response: its context, unless it ended. */
static MI_Result take_context(wsman_cursor *cur, const soap_node *response, bool ended,
                              mi_error *err)
{
    free(cur->context);
    cur->context = NULL;
    if (ended)
        return MI_RESULT_OK;
    const char *name = soap_child_text(response, WSMAN_NS_WSEN, "EnumerationContext");
    if (!name || !*name)
        return mi_error_set(err, MI_RESULT_FAILED,
                            "the server's reply names no enumeration context");
    cur->context = strdup(name);
    return cur->context ? MI_RESULT_OK : mi_error_nomem(err);
}

static MI_Result single(wsman_cursor *cur, mi_error *err)
{
    wsman_remote *r = cur->remote;
    const mi_request *q = cur->request;
    mi_strbuf b = MI_STRBUF_INIT;
    const char *class_name = NULL;
    const MI_Instance *keys = NULL;
    const char *action;
    switch (q->operation) {
    case MI_OP_GET_INSTANCE:
        action = WSMAN_ACTION_GET;
        keys = q->source;
        break;
    case MI_OP_DELETE_INSTANCE:
        action = WSMAN_ACTION_DELETE;
        keys = q->source;
        break;
    case MI_OP_CREATE_INSTANCE:
        action = WSMAN_ACTION_CREATE;
        break;
    case MI_OP_MODIFY_INSTANCE:
        action = WSMAN_ACTION_PUT;
        keys = q->instance;
        break;
    default:
        return mi_error_set(err, MI_RESULT_NOT_SUPPORTED,
                            "this operation is not offered over WS-Management");
    }
    const MI_Instance *named = keys ? keys : q->instance;
    const MI_Char *cn = NULL;
    MI_Instance_GetClassName(named, &cn);
    class_name = cn;
    begin(r, &b, q, action, class_name, keys);
    if (q->operation == MI_OP_CREATE_INSTANCE || q->operation == MI_OP_MODIFY_INSTANCE)
        wsman_write_instance(&b, q->instance, NULL, ns_of(q), NULL, 0);
    wsman_envelope_end(&b);
    soap_reader *reader = NULL;
    const soap_node *body = NULL;
    MI_Result res = exchange(r, q, &b, &reader, &body, err);
    mi_strbuf_free(&b);
    if (res == MI_RESULT_OK && q->operation == MI_OP_GET_INSTANCE) {
        MI_Instance *inst = NULL, *keyed = NULL;
        if (!body->first)
            res = mi_error_set(err, MI_RESULT_FAILED, "the server's GetResponse holds no instance");
        else
            res = wsman_read_instance(body->first, NULL, ns_of(q), &inst, err);
        if (res == MI_RESULT_OK)
            res = mi_instance_copy_with_keys(&keyed, inst, q->source, NULL, err);
        if (res == MI_RESULT_OK) {
            MI_Instance_SetNameSpace(keyed, ns_of(q));
            res = keep(cur, keyed, err);
        }
        if (inst)
            mi_instance_delete(inst);
    } else if (res == MI_RESULT_OK && q->operation == MI_OP_CREATE_INSTANCE) {
        const soap_node *created = soap_child(body, WSMAN_NS_WXF, "ResourceCreated");
        MI_Instance *path = NULL;
        res = created ? wsman_read_epr(created, ns_of(q), &path, err)
                      : mi_error_set(err, MI_RESULT_FAILED,
                                     "the server's CreateResponse names no new resource");
        if (res == MI_RESULT_OK)
            res = keep(cur, path, err);
    }
    soap_reader_free(reader);
    return res;
}

/* A method: the action is the class's resource URI, a slash and the method; the input
 * parameters go in <METHOD_INPUT>, the answer's <METHOD_OUTPUT> becomes one instance
 * named after the method, as the engine gives it. */
static MI_Result invoke(wsman_cursor *cur, mi_error *err)
{
    wsman_remote *r = cur->remote;
    const mi_request *q = cur->request;
    const MI_Char *cn = q->class_name;
    if (q->source)
        MI_Instance_GetClassName(q->source, &cn);
    if (!cn || !q->method)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "no class or method given");
    mi_strbuf uri = MI_STRBUF_INIT, action = MI_STRBUF_INIT, b = MI_STRBUF_INIT;
    wsman_resource_uri(&uri, NULL, ns_of(q), cn);
    mi_strbuf_printf(&action, "%s/%s", uri.data ? uri.data : "", q->method);
    begin(r, &b, q, action.data ? action.data : "", cn, q->source);
    mi_strbuf_printf(&b, "<p:%s_INPUT xmlns:p=\"%s\">", q->method, uri.data ? uri.data : "");
    if (q->instance)
        wsman_write_properties(&b, q->instance, NULL, ns_of(q), NULL, 0);
    mi_strbuf_printf(&b, "</p:%s_INPUT>", q->method);
    wsman_envelope_end(&b);
    mi_strbuf_free(&uri);
    mi_strbuf_free(&action);
    soap_reader *reader = NULL;
    const soap_node *body = NULL;
    MI_Result res = exchange(r, q, &b, &reader, &body, err);
    mi_strbuf_free(&b);
    MI_Instance *output = NULL, *named = NULL;
    if (res == MI_RESULT_OK && body->first)
        res = wsman_read_instance(body->first, NULL, ns_of(q), &output, err);
    if (res == MI_RESULT_OK && output)
        res = mi_instance_new(&named, q->method, NULL, err);
    MI_Uint32 count = 0;
    if (output)
        MI_Instance_GetElementCount(output, &count);
    for (MI_Uint32 i = 0; res == MI_RESULT_OK && i < count; i++) {
        const MI_Char *name;
        MI_Value v;
        MI_Type type;
        MI_Uint32 flags;
        if (MI_Instance_GetElementAt(output, i, &name, &v, &type, &flags) == MI_RESULT_OK)
            res = mi_instance_add_element(named, name, (flags & MI_FLAG_NULL) ? NULL : &v, type,
                                          flags & MI_FLAG_NULL, err);
    }
    if (output)
        mi_instance_delete(output);
    if (res == MI_RESULT_OK && named)
        res = keep(cur, named, err);
    else if (named)
        mi_instance_delete(named);
    soap_reader_free(reader);
    return res;
}

static MI_Result release(wsman_cursor *cur)
{
    mi_request q = *cur->request;
    q.cancelled = NULL; /* a release is not cancelled by the operation's own cancel */
    q.deadline_usec = mi_request_now_usec() + 3000000;
    mi_strbuf b = MI_STRBUF_INIT;
    begin(cur->remote, &b, &q, WSMAN_ACTION_RELEASE, NULL, NULL);
    mi_strbuf_puts(&b, "<wsen:Release><wsen:EnumerationContext>");
    mi_strbuf_put_xml(&b, cur->context);
    mi_strbuf_puts(&b, "</wsen:EnumerationContext></wsen:Release>");
    wsman_envelope_end(&b);
    soap_reader *reader = NULL;
    const soap_node *body = NULL;
    mi_error ignored = {0};
    MI_Result r = exchange(cur->remote, &q, &b, &reader, &body, &ignored);
    soap_reader_free(reader);
    mi_strbuf_free(&b);
    return r;
}

static void wsman_close(void *cursor)
{
    wsman_cursor *cur = cursor;
    if (!cur)
        return;
    if (cur->context)
        release(cur);
    free(cur->context);
    drop_results(cur);
    free(cur);
}

static MI_Result wsman_open(void *context, const mi_request *q, void **out, mi_error *err)
{
    wsman_remote *r = context;
    *out = NULL;
    if (!q->source && (q->operation == MI_OP_GET_INSTANCE ||
                       q->operation == MI_OP_DELETE_INSTANCE || mi_request_is_association(q)))
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "no source instance given");
    if (!q->instance &&
        (q->operation == MI_OP_CREATE_INSTANCE || q->operation == MI_OP_MODIFY_INSTANCE))
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "no instance given");
    MI_Result stop = mi_request_stopped(q, err);
    if (stop != MI_RESULT_OK)
        return stop;
    wsman_cursor *cur = calloc(1, sizeof *cur);
    if (!cur)
        return mi_error_nomem(err);
    cur->remote = r;
    cur->request = q;
    MI_Result res;
    if (q->operation == MI_OP_ENUMERATE_INSTANCES || q->operation == MI_OP_QUERY_INSTANCES ||
        mi_request_is_association(q)) {
        cur->names = q->operation == MI_OP_ASSOCIATOR_NAMES ||
                     q->operation == MI_OP_REFERENCE_NAMES ||
                     (q->operation == MI_OP_ENUMERATE_INSTANCES && q->keys_only);
        mi_strbuf b = MI_STRBUF_INIT;
        build_enumerate(r, q, &b, cur->names);
        soap_reader *reader = NULL;
        const soap_node *body = NULL;
        res = exchange(r, q, &b, &reader, &body, err);
        mi_strbuf_free(&b);
        const soap_node *response =
            res == MI_RESULT_OK ? soap_child(body, WSMAN_NS_WSEN, "EnumerateResponse") : NULL;
        if (res == MI_RESULT_OK && !response)
            res = mi_error_set(err, MI_RESULT_FAILED, "the server's reply is no EnumerateResponse");
        if (res == MI_RESULT_OK)
            res = take_items(cur, soap_child(response, WSMAN_NS_WSMAN, "Items"), err);
        if (res == MI_RESULT_OK)
            res = take_context(cur, response,
                               soap_child(response, WSMAN_NS_WSMAN, "EndOfSequence") != NULL, err);
        soap_reader_free(reader);
    } else if (q->operation == MI_OP_INVOKE) {
        res = invoke(cur, err);
    } else {
        res = single(cur, err);
    }
    if (res != MI_RESULT_OK) {
        wsman_close(cur);
        return res;
    }
    *out = cur;
    return MI_RESULT_OK;
}

static MI_Result pull(wsman_cursor *cur, mi_error *err)
{
    wsman_remote *r = cur->remote;
    const mi_request *q = cur->request;
    mi_strbuf b = MI_STRBUF_INIT;
    begin(r, &b, q, WSMAN_ACTION_PULL, NULL, NULL);
    mi_strbuf_puts(&b, "<wsen:Pull><wsen:EnumerationContext>");
    mi_strbuf_put_xml(&b, cur->context);
    mi_strbuf_printf(&b,
                     "</wsen:EnumerationContext><wsen:MaxElements>%u</wsen:MaxElements>"
                     "</wsen:Pull>",
                     q->batch_size ? q->batch_size : r->batch);
    wsman_envelope_end(&b);
    soap_reader *reader = NULL;
    const soap_node *body = NULL;
    MI_Result res = exchange(r, q, &b, &reader, &body, err);
    mi_strbuf_free(&b);
    const soap_node *response =
        res == MI_RESULT_OK ? soap_child(body, WSMAN_NS_WSEN, "PullResponse") : NULL;
    if (res == MI_RESULT_OK && !response)
        res = mi_error_set(err, MI_RESULT_FAILED, "the server's reply is no PullResponse");
    if (res == MI_RESULT_OK)
        res = take_items(cur, soap_child(response, WSMAN_NS_WSEN, "Items"), err);
    if (res == MI_RESULT_OK)
        res = take_context(cur, response,
                           soap_child(response, WSMAN_NS_WSEN, "EndOfSequence") != NULL, err);
    soap_reader_free(reader);
    if (res != MI_RESULT_OK) { /* a failed pull ends the enumeration */
        free(cur->context);
        cur->context = NULL;
    }
    return res;
}

static MI_Result wsman_next(void *cursor, const MI_Instance **result, mi_error *err)
{
    wsman_cursor *cur = cursor;
    *result = NULL;
    MI_Result stop = mi_request_stopped(cur->request, err);
    if (stop != MI_RESULT_OK)
        return stop;
    while (cur->next == cur->count) {
        if (!cur->context)
            return MI_RESULT_OK;
        drop_results(cur);
        MI_Result r = pull(cur, err);
        if (r != MI_RESULT_OK)
            return r;
    }
    *result = cur->results[cur->next++]; /* valid until the next batch or the close */
    return MI_RESULT_OK;
}

static mi_result_source wsman_results(void *self)
{
    mi_result_source s = {wsman_open, wsman_next, wsman_close, self};
    return s;
}

static MI_Result wsman_classes(void *self, const mi_request *request, mi_class ***classes,
                               size_t *count, mi_error *err)
{
    (void)self, (void)request;
    *classes = NULL;
    *count = 0;
    return mi_error_set(err, MI_RESULT_NOT_SUPPORTED,
                        "WS-Management offers no class operations: ask the server over CIM-XML");
}

static void *wsman_repository(void *self)
{
    (void)self;
    return NULL;
}

static void wsman_free(void *self)
{
    wsman_remote *r = self;
    if (!r)
        return;
    mi_http_free(r->http);
    free(r);
}

static const mi_transport_ops wsman_ops = {wsman_results, wsman_classes, wsman_repository,
                                           wsman_free};

/* A destination for WS-Management when the caller names no protocol: its path is /wsman
 * or its port one of WS-Management's. */
static bool looks_like_wsman(const char *d)
{
    const char *host = strstr(d, "://");
    host = host ? host + 3 : d;
    const char *path = strchr(host, '/');
    if (path && !strncasecmp(path, "/wsman", 6))
        return true;
    size_t len = path ? (size_t)(path - host) : strlen(host);
    return (len > 5 &&
            (!strncmp(host + len - 5, ":5985", 5) || !strncmp(host + len - 5, ":5986", 5)));
}

static bool wsman_serves(const char *protocol, const char *destination)
{
    if (!mi_http_is_url(destination))
        return false;
    if (protocol)
        return !strcasecmp(protocol, "WINRM");
    return looks_like_wsman(destination);
}

static MI_Result wsman_connect(const char *url, MI_DestinationOptions *options, mi_transport *out,
                               mi_error *err)
{
    static const mi_http_defaults defaults = {":5985", ":5986", "/wsman"};
    wsman_remote *r = calloc(1, sizeof *r);
    if (!r)
        return mi_error_nomem(err);
    r->batch = mi_http_batch(options, 100, 100000);
    MI_Result res = mi_http_new(&r->http, url, &defaults, options, err);
    if (res != MI_RESULT_OK) {
        wsman_free(r);
        r = NULL;
    }
    *out = (mi_transport){&wsman_ops, r};
    return res;
}

const mi_transport_kind mi_transport_wsman = {wsman_serves, wsman_connect};
