/*
 * wsman_calls — see wsman_calls.h.
 */
#include "wsman_calls.h"

#include "core/instance.h"
#include "core/path.h"
#include "core/value.h"
#include "engine/engine.h"
#include "wsman/wsman.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_NAMESPACE "root/cimv2"
#define DEFAULT_ENVELOPE 512000
#define MIN_ENVELOPE 8192
#define DEFAULT_EXPIRY 60
#define MAX_EXPIRY 3600

/* One request as its headers and body say. */
typedef struct wsman_call {
    const mid_env *env;
    mi_engine engine;
    const soap_node *header, *body;
    const char *action, *message_id, *resource_uri;
    wsman_resource resource;
    bool has_resource;
    const char *ns;
    unsigned long max_envelope;
    unsigned long long timeout_usec; /* OperationTimeout; 0: none */
    mi_strbuf out;
    MI_Result result; /* for the log */
    bool fault;
    mi_error err;
} wsman_call;

static void fault_reply(wsman_call *call, const wsman_fault *f, MI_Result code, const char *reason)
{
    mi_strbuf_free(&call->out);
    wsman_write_fault(&call->out, call->message_id, f, code, reason);
    call->fault = true;
    call->result = code != MI_RESULT_OK ? code : MI_RESULT_FAILED;
}

static void fault_of_result(wsman_call *call, MI_Result code)
{
    wsman_fault f = wsman_fault_of(code);
    if (code == MI_RESULT_FAILED && strstr(call->err.message, "timed out"))
        f = (wsman_fault){"s:Receiver", "wsman:TimedOut", NULL};
    fault_reply(call, &f, code, call->err.message);
}

static void fault_text(wsman_call *call, const char *code, const char *subcode, const char *detail,
                       MI_Result result, const char *reason)
{
    wsman_fault f = {code, subcode, detail};
    fault_reply(call, &f, result, reason);
}

static void begin_answer(wsman_call *call, const char *action)
{
    wsman_envelope_begin(&call->out, action, call->message_id, NULL);
    mi_strbuf_puts(&call->out, "</s:Header><s:Body>");
}

/* ---- the headers ---- */

static bool understood(const soap_node *h)
{
    static const struct {
        const char *ns, *name;
    } known[] = {
        {WSMAN_NS_WSA, "To"},
        {WSMAN_NS_WSA, "Action"},
        {WSMAN_NS_WSA, "MessageID"},
        {WSMAN_NS_WSA, "ReplyTo"},
        {WSMAN_NS_WSA, "FaultTo"},
        {WSMAN_NS_WSA, "From"},
        {WSMAN_NS_WSMAN, "ResourceURI"},
        {WSMAN_NS_WSMAN, "SelectorSet"},
        {WSMAN_NS_WSMAN, "MaxEnvelopeSize"},
        {WSMAN_NS_WSMAN, "OperationTimeout"},
        {WSMAN_NS_WSMAN, "Locale"},
        {WSMAN_NS_WSMAN, "OptionSet"},
        {WSMAN_NS_WSMAN, "RequestEPR"},
        {WSMAN_NS_MSWSMAN, "SessionId"},
        {WSMAN_NS_MSWSMAN, "OperationID"},
        {WSMAN_NS_MSWSMAN, "SequenceId"},
        {WSMAN_NS_MSWSMAN, "DataLocale"},
    };
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (!strcmp(h->ns, known[i].ns) && !strcmp(h->name, known[i].name))
            return true;
    return false;
}

static bool must_understand(const soap_node *h)
{
    const char *m = soap_attribute(h, WSMAN_NS_SOAP, "mustUnderstand");
    return m && (!strcmp(m, "true") || !strcmp(m, "1"));
}

/* Reads and checks the headers; false with the fault written when they do not hold. */
static bool read_headers(wsman_call *call)
{
    for (const soap_node *h = call->header ? call->header->first : NULL; h; h = h->next) {
        if (!strcmp(h->ns, WSMAN_NS_WSMAN) && !strcmp(h->name, "FragmentTransfer")) {
            fault_text(call, "s:Sender", "wsman:UnsupportedFeature",
                       "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/FragmentLevelAccess",
                       MI_RESULT_NOT_SUPPORTED, "fragment transfer is not supported");
            return false;
        }
        if (must_understand(h) && !understood(h)) {
            char reason[300];
            snprintf(reason, sizeof reason, "the header %s (%s) is not understood", h->name, h->ns);
            fault_text(call, "s:MustUnderstand", NULL, NULL, MI_RESULT_NOT_SUPPORTED, reason);
            return false;
        }
    }
    const soap_node *h = call->header;
    call->action = soap_child_text(h, WSMAN_NS_WSA, "Action");
    call->message_id = soap_child_text(h, WSMAN_NS_WSA, "MessageID");
    call->resource_uri = soap_child_text(h, WSMAN_NS_WSMAN, "ResourceURI");
    const char *size = soap_child_text(h, WSMAN_NS_WSMAN, "MaxEnvelopeSize");
    call->max_envelope = DEFAULT_ENVELOPE;
    if (size) {
        char *end;
        unsigned long n = strtoul(size, &end, 10);
        if (*end || size[0] == '-' || !*size || n < MIN_ENVELOPE) {
            fault_text(call, "s:Sender", "wsman:EncodingLimit",
                       "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/MaxEnvelopeSize",
                       MI_RESULT_INVALID_PARAMETER, "MaxEnvelopeSize must be at least 8192");
            return false;
        }
        call->max_envelope = n;
    }
    const char *timeout = soap_child_text(h, WSMAN_NS_WSMAN, "OperationTimeout");
    if (timeout && !wsman_duration_parse(timeout, &call->timeout_usec)) {
        fault_text(call, "s:Sender", "wsman:InvalidParameter", NULL,
                   MI_RESULT_INVALID_OPERATION_TIMEOUT,
                   "OperationTimeout is not an xs:duration (PT60S)");
        return false;
    }
    const soap_node *options = soap_child(h, WSMAN_NS_WSMAN, "OptionSet");
    for (const soap_node *o = soap_child(options, WSMAN_NS_WSMAN, "Option"); o; o = soap_next(o)) {
        const char *comply = soap_attribute(o, "", "MustComply");
        if (comply && (!strcmp(comply, "true") || !strcmp(comply, "1"))) {
            char reason[300];
            snprintf(reason, sizeof reason, "the option %s cannot be complied with",
                     soap_attribute(o, "", "Name") ? soap_attribute(o, "", "Name") : "(unnamed)");
            fault_text(call, "s:Sender", "wsman:InvalidOptions", NULL, MI_RESULT_NOT_SUPPORTED,
                       reason);
            return false;
        }
    }
    call->ns = DEFAULT_NAMESPACE;
    if (call->resource_uri) {
        if (!wsman_resource_parse(call->resource_uri, &call->resource)) {
            char reason[600];
            snprintf(reason, sizeof reason, "the resource URI %s names no class",
                     call->resource_uri);
            fault_text(call, "s:Sender", "wsa:DestinationUnreachable",
                       "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/InvalidResourceURI",
                       MI_RESULT_INVALID_CLASS, reason);
            return false;
        }
        call->has_resource = true;
        if (call->resource.ns)
            call->ns = call->resource.ns;
    }
    const soap_node *selectors = soap_child(h, WSMAN_NS_WSMAN, "SelectorSet");
    for (const soap_node *s = soap_child(selectors, WSMAN_NS_WSMAN, "Selector"); s;
         s = soap_next(s)) {
        const char *name = soap_attribute(s, "", "Name");
        if (name && !strcasecmp(name, "__cimnamespace") && *s->text)
            call->ns = s->text;
    }
    return true;
}

/* ---- running on the engine ---- */

/* Runs q and keeps its first result (may be NULL); the cursor is closed. */
static MI_Result run_one(wsman_call *call, mi_request *q, MI_Instance **first)
{
    *first = NULL;
    if (call->timeout_usec)
        q->deadline_usec = mi_request_now_usec() + call->timeout_usec;
    mi_engine_cursor *cursor = NULL;
    MI_Result r = mi_engine_open(&call->engine, q, &cursor, &call->err);
    const MI_Instance *result = NULL;
    if (r == MI_RESULT_OK)
        r = mi_engine_next(cursor, &result, &call->err);
    if (r == MI_RESULT_OK && result && mi_instance_clone(result, first) != MI_RESULT_OK)
        r = mi_error_nomem(&call->err);
    mi_engine_close(cursor);
    return r;
}

static MI_Result target(wsman_call *call, MI_Instance **out)
{
    if (!call->has_resource)
        return mi_error_set(&call->err, MI_RESULT_INVALID_PARAMETER, "no wsman:ResourceURI given");
    return wsman_read_selectors(call->resource_uri,
                                soap_child(call->header, WSMAN_NS_WSMAN, "SelectorSet"), call->ns,
                                out, &call->err);
}

static void identify(wsman_call *call)
{
    begin_answer(call, NULL);
    mi_strbuf_puts(&call->out, "<wsmid:IdentifyResponse><wsmid:ProtocolVersion>" WSMAN_NS_WSMAN
                               "</wsmid:ProtocolVersion><wsmid:ProductVendor>libmi"
                               "</wsmid:ProductVendor><wsmid:ProductVersion>");
    mi_strbuf_puts(&call->out, MI_Libmi_Version());
    mi_strbuf_puts(&call->out, "</wsmid:ProductVersion></wsmid:IdentifyResponse>");
    wsman_envelope_end(&call->out);
}

static void get_or_delete(wsman_call *call, bool get)
{
    MI_Instance *keys = NULL, *found = NULL;
    MI_Result r = target(call, &keys);
    if (r == MI_RESULT_OK) {
        mi_request q = {.operation = get ? MI_OP_GET_INSTANCE : MI_OP_DELETE_INSTANCE,
                        .namespace_name = call->ns,
                        .source = keys};
        r = run_one(call, &q, &found);
    }
    if (r == MI_RESULT_OK) {
        begin_answer(call, get ? WSMAN_ACTION_GET "Response" : WSMAN_ACTION_DELETE "Response");
        if (found)
            wsman_write_instance(&call->out, found, &call->resource, call->ns, NULL, 0);
        wsman_envelope_end(&call->out);
    } else {
        fault_of_result(call, r);
    }
    if (keys)
        mi_instance_delete(keys);
    if (found)
        mi_instance_delete(found);
}

/* The instance in the body, typed by its class. */
static MI_Result body_instance(wsman_call *call, MI_Instance **out)
{
    *out = NULL;
    const soap_node *el = call->body ? call->body->first : NULL;
    if (!el)
        return mi_error_set(&call->err, MI_RESULT_INVALID_PARAMETER, "the body holds no instance");
    mi_class *cls = mi_repository_find_class(call->env->repo, call->ns, el->name);
    if (!cls)
        return mi_error_set(&call->err, MI_RESULT_INVALID_CLASS, "no class %s in namespace %s",
                            el->name, call->ns);
    MI_Result r = wsman_read_instance(el, cls, call->ns, out, &call->err);
    if (r != MI_RESULT_OK && r != MI_RESULT_SERVER_LIMITS_EXCEEDED)
        r = mi_error_set(&call->err, MI_RESULT_TYPE_MISMATCH, "%s", call->err.message);
    return r;
}

static void create(wsman_call *call)
{
    MI_Instance *inst = NULL, *made = NULL;
    MI_Result r = body_instance(call, &inst);
    if (r == MI_RESULT_OK) {
        mi_request q = {
            .operation = MI_OP_CREATE_INSTANCE, .namespace_name = call->ns, .instance = inst};
        r = run_one(call, &q, &made);
    }
    if (r == MI_RESULT_OK) {
        begin_answer(call, WSMAN_ACTION_CREATE "Response");
        mi_strbuf_puts(&call->out, "<wxf:ResourceCreated>");
        if (made)
            wsman_write_epr(&call->out, made, &call->resource, call->ns, WSMAN_ANONYMOUS);
        mi_strbuf_puts(&call->out, "</wxf:ResourceCreated>");
        wsman_envelope_end(&call->out);
    } else {
        fault_of_result(call, r);
    }
    if (inst)
        mi_instance_delete(inst);
    if (made)
        mi_instance_delete(made);
}

static void put(wsman_call *call)
{
    MI_Instance *keys = NULL, *inst = NULL, *keyed = NULL, *now = NULL;
    MI_Result r = target(call, &keys);
    if (r == MI_RESULT_OK)
        r = body_instance(call, &inst);
    /* the keys are those the class declares (a client that could not tell them sends
     * every property as a selector); without the class, the selectors */
    mi_class *cls = r == MI_RESULT_OK ? mi_repository_find_class(call->env->repo, call->ns,
                                                                 mi_instance_class_name(inst))
                                      : NULL;
    if (r == MI_RESULT_OK)
        r = mi_instance_copy_with_keys(&keyed, inst, cls ? NULL : keys, cls, &call->err);
    if (r == MI_RESULT_OK) {
        mi_instance_delete(keys);
        keys = NULL;
        r = mi_path_of_instance(&keys, keyed, &call->err);
    }
    if (r == MI_RESULT_OK) {
        mi_request q = {
            .operation = MI_OP_MODIFY_INSTANCE, .namespace_name = call->ns, .instance = keyed};
        MI_Instance *ignored = NULL;
        r = run_one(call, &q, &ignored);
        if (ignored)
            mi_instance_delete(ignored);
    }
    if (r == MI_RESULT_OK) {
        mi_request q = {
            .operation = MI_OP_GET_INSTANCE, .namespace_name = call->ns, .source = keys};
        r = run_one(call, &q, &now);
    }
    if (r == MI_RESULT_OK) {
        begin_answer(call, WSMAN_ACTION_PUT "Response");
        if (now)
            wsman_write_instance(&call->out, now, &call->resource, call->ns, NULL, 0);
        wsman_envelope_end(&call->out);
    } else {
        fault_of_result(call, r);
    }
    MI_Instance *all[] = {keys, inst, keyed, now};
    for (size_t i = 0; i < 4; i++)
        if (all[i])
            mi_instance_delete(all[i]);
}

/* A method: the action is the resource URI, a slash and the method's name; the body's
 * <Method_INPUT> holds the parameters, the answer's <Method_OUTPUT> the results. */
static void invoke(wsman_call *call, const char *method)
{
    MI_Instance *keys = NULL, *params = NULL, *output = NULL;
    const soap_node *selectors = soap_child(call->header, WSMAN_NS_WSMAN, "SelectorSet");
    bool static_method = true; /* no selectors but the namespace: the class's method */
    for (const soap_node *k = soap_child(selectors, WSMAN_NS_WSMAN, "Selector"); k;
         k = soap_next(k)) {
        const char *name = soap_attribute(k, "", "Name");
        static_method = static_method && name && !strcasecmp(name, "__cimnamespace");
    }
    MI_Result r = static_method ? MI_RESULT_OK : target(call, &keys);
    const soap_node *in = call->body ? call->body->first : NULL;
    if (r == MI_RESULT_OK && in)
        r = wsman_read_instance(in, NULL, call->ns, &params, &call->err);
    if (r == MI_RESULT_OK) {
        mi_request q = {.operation = MI_OP_INVOKE,
                        .namespace_name = call->ns,
                        .class_name = call->resource.class_name,
                        .source = keys,
                        .instance = params,
                        .method = method};
        r = run_one(call, &q, &output);
    }
    if (r == MI_RESULT_OK) {
        mi_strbuf action = MI_STRBUF_INIT;
        mi_strbuf_printf(&action, "%s/%s", call->resource_uri, method);
        begin_answer(call, action.data ? action.data : "");
        mi_strbuf_free(&action);
        mi_strbuf_printf(&call->out, "<p:%s_OUTPUT xmlns:p=\"", method);
        mi_strbuf_put_xml(&call->out, call->resource_uri);
        mi_strbuf_puts(&call->out, "\">");
        if (output)
            wsman_write_properties(&call->out, output, &call->resource, call->ns, NULL, 0);
        mi_strbuf_printf(&call->out, "</p:%s_OUTPUT>", method);
        wsman_envelope_end(&call->out);
    } else {
        fault_of_result(call, r);
    }
    MI_Instance *all[] = {keys, params, output};
    for (size_t i = 0; i < 3; i++)
        if (all[i])
            mi_instance_delete(all[i]);
}

/* ---- enumerations ---- */

typedef enum item_mode { ITEMS_OBJECT, ITEMS_EPR, ITEMS_OBJECT_AND_EPR } item_mode;

typedef struct wsman_pull {
    mi_engine_cursor *cursor;
    mi_request *request; /* the cursor's */
    item_mode mode;
    wsman_resource style;
    char **properties; /* IncludeResultProperty; NULL: all */
    size_t property_count;
    MI_Instance *selectors; /* the selector filter: keys every result must match */
    MI_Instance *peeked;    /* read ahead to tell the end, or held back for the next page */
    unsigned expiry;
    int cancelled;
} wsman_pull;

void mid_wsman_pull_free(void *p)
{
    wsman_pull *st = p;
    if (!st)
        return;
    mi_engine_close(st->cursor);
    mi_request_free(st->request);
    wsman_resource_free(&st->style);
    for (size_t i = 0; i < st->property_count; i++)
        free(st->properties[i]);
    free(st->properties);
    if (st->selectors)
        mi_instance_delete(st->selectors);
    if (st->peeked)
        mi_instance_delete(st->peeked);
    free(st);
}

/* Whether inst has every selector's value (compared as text). */
static bool matches_selectors(const MI_Instance *inst, const MI_Instance *selectors)
{
    MI_Uint32 count = 0;
    MI_Instance_GetElementCount(selectors, &count);
    for (MI_Uint32 i = 0; i < count; i++) {
        const MI_Char *name;
        MI_Value want, have;
        MI_Type want_type, have_type;
        MI_Uint32 flags;
        if (MI_Instance_GetElementAt(selectors, i, &name, &want, &want_type, NULL) !=
                MI_RESULT_OK ||
            MI_Instance_GetElement(inst, name, &have, &have_type, &flags, NULL) != MI_RESULT_OK ||
            (flags & MI_FLAG_NULL))
            return false;
        if (want_type == MI_REFERENCE || have_type == MI_REFERENCE) {
            if (want_type != have_type || !mi_path_equal(want.reference, have.reference))
                return false;
            continue;
        }
        mi_strbuf a = MI_STRBUF_INIT, b = MI_STRBUF_INIT;
        bool same = mi_value_text(&a, &want, want_type, 0, MI_VALUE_TEXT_LOWERCASE) &&
                    mi_value_text(&b, &have, have_type, 0, MI_VALUE_TEXT_LOWERCASE) && a.data &&
                    b.data && !strcasecmp(a.data, b.data);
        mi_strbuf_free(&a);
        mi_strbuf_free(&b);
        if (!same)
            return false;
    }
    return true;
}

static void write_item(const wsman_pull *st, mi_strbuf *out, const MI_Instance *inst)
{
    const char *ns = st->request->namespace_name;
    if (st->mode != ITEMS_EPR) {
        if (st->mode == ITEMS_OBJECT_AND_EPR)
            mi_strbuf_puts(out, "<wsman:Item>");
        wsman_write_instance(out, inst, &st->style, ns, (const char *const *)st->properties,
                             st->property_count);
    }
    if (st->mode != ITEMS_OBJECT) {
        mi_strbuf_puts(out, "<wsa:EndpointReference>");
        wsman_write_epr(out, inst, &st->style, ns, WSMAN_ANONYMOUS);
        mi_strbuf_puts(out, "</wsa:EndpointReference>");
        if (st->mode == ITEMS_OBJECT_AND_EPR)
            mi_strbuf_puts(out, "</wsman:Item>");
    }
}

/* Writes up to max items into out (each whole, the envelope within its size limit) and
 * tells whether the sequence ended. An item that would not fit waits for the next page;
 * if not even one fits, the answer is wsman:EncodingLimit. */
static MI_Result fill(wsman_call *call, wsman_pull *st, unsigned long max, mi_strbuf *out,
                      bool *end)
{
    *end = false;
    size_t room = call->max_envelope > 2048 ? call->max_envelope - 2048 : 0;
    unsigned long n = 0;
    if (call->timeout_usec)
        st->request->deadline_usec = mi_request_now_usec() + call->timeout_usec;
    bool watched = call->env->watch && call->env->fd >= 0 &&
                   mid_watch_add(call->env->watch, call->env->fd, &st->cancelled);
    MI_Result r = MI_RESULT_OK;
    while (n < max) {
        const MI_Instance *inst = st->peeked;
        if (!inst) {
            r = mi_engine_next(st->cursor, &inst, &call->err);
            if (r != MI_RESULT_OK)
                break;
            if (!inst) {
                *end = true;
                break;
            }
            if (st->selectors && !matches_selectors(inst, st->selectors))
                continue;
        }
        size_t before = out->len;
        write_item(st, out, inst);
        if (out->len > room) {
            out->len = before;
            if (out->data)
                out->data[before] = '\0';
            if (n == 0) {
                r = mi_error_set(&call->err, MI_RESULT_SERVER_LIMITS_EXCEEDED,
                                 "an item does not fit in MaxEnvelopeSize %lu", call->max_envelope);
                break;
            }
            if (!st->peeked && mi_instance_clone(inst, &st->peeked) != MI_RESULT_OK)
                r = mi_error_nomem(&call->err);
            break;
        }
        if (st->peeked) {
            mi_instance_delete(st->peeked);
            st->peeked = NULL;
        }
        n++;
    }
    if (watched)
        mid_watch_remove(call->env->watch, &st->cancelled);
    /* at max: is there more? (peek, so EndOfSequence comes with the last page) */
    if (r == MI_RESULT_OK && !*end && !st->peeked) {
        const MI_Instance *next = NULL;
        do {
            r = mi_engine_next(st->cursor, &next, &call->err);
        } while (r == MI_RESULT_OK && next && st->selectors &&
                 !matches_selectors(next, st->selectors));
        if (r == MI_RESULT_OK && !next)
            *end = true;
        else if (r == MI_RESULT_OK && mi_instance_clone(next, &st->peeked) != MI_RESULT_OK)
            r = mi_error_nomem(&call->err);
    }
    return r;
}

static void encoding_limit(wsman_call *call)
{
    fault_text(call, "s:Sender", "wsman:EncodingLimit",
               "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/MaxEnvelopeSize",
               MI_RESULT_SERVER_LIMITS_EXCEEDED, call->err.message);
}

/* The request an Enumerate's filter makes; false with the fault written. */
static bool filter_request(wsman_call *call, const soap_node *e, mi_request *q, wsman_pull *st,
                           MI_Instance **source)
{
    const soap_node *filter = soap_child(e, WSMAN_NS_WSMAN, "Filter");
    if (!filter)
        filter = soap_child(e, WSMAN_NS_WSEN, "Filter");
    q->namespace_name = call->ns;
    bool wildcard = !strcmp(call->resource.class_name, "*");
    if (!filter) {
        if (wildcard) {
            fault_text(call, "s:Sender", "wsa:DestinationUnreachable",
                       "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/InvalidResourceURI",
                       MI_RESULT_INVALID_CLASS, "the resource URI * is enumerated with a filter");
            return false;
        }
        q->operation = MI_OP_ENUMERATE_INSTANCES;
        q->class_name = call->resource.class_name;
        return true;
    }
    const char *dialect = soap_attribute(filter, "", "Dialect");
    if (!dialect)
        dialect = "";
    if (!strcmp(dialect, WSMAN_DIALECT_WQL) || !strcmp(dialect, WSMAN_DIALECT_CQL)) {
        q->operation = MI_OP_QUERY_INSTANCES;
        q->query_language = strcmp(dialect, WSMAN_DIALECT_WQL) ? "CQL" : "WQL";
        q->query_text = filter->text;
        return true;
    }
    if (!strcmp(dialect, WSMAN_DIALECT_SELECTOR)) {
        if (wildcard) {
            fault_text(call, "s:Sender", "wsen:CannotProcessFilter", NULL,
                       MI_RESULT_INVALID_PARAMETER, "a selector filter needs a class");
            return false;
        }
        MI_Result r = wsman_read_selectors(call->resource_uri,
                                           soap_child(filter, WSMAN_NS_WSMAN, "SelectorSet"),
                                           call->ns, &st->selectors, &call->err);
        if (r != MI_RESULT_OK) {
            fault_text(call, "s:Sender", "wsen:CannotProcessFilter", NULL, r, call->err.message);
            return false;
        }
        q->operation = MI_OP_ENUMERATE_INSTANCES;
        q->class_name = call->resource.class_name;
        return true;
    }
    if (strcmp(dialect, WSMAN_DIALECT_ASSOCIATION) != 0) {
        char reason[600];
        snprintf(reason, sizeof reason, "the filter dialect '%s' is not supported", dialect);
        fault_text(call, "s:Sender", "wsen:FilterDialectRequestedUnavailable", NULL,
                   MI_RESULT_QUERY_LANGUAGE_NOT_SUPPORTED, reason);
        return false;
    }
    const soap_node *a = soap_child(filter, WSMAN_NS_WSMB, "AssociatedInstances");
    bool associators = a != NULL;
    if (!a)
        a = soap_child(filter, WSMAN_NS_WSMB, "AssociationInstances");
    const soap_node *object = soap_child(a, WSMAN_NS_WSMB, "Object");
    if (!a || !object) {
        fault_text(call, "s:Sender", "wsen:CannotProcessFilter", NULL, MI_RESULT_INVALID_PARAMETER,
                   "an association filter holds AssociatedInstances or AssociationInstances "
                   "with an Object");
        return false;
    }
    MI_Result r = wsman_read_epr(object, call->ns, source, &call->err);
    if (r != MI_RESULT_OK) {
        fault_text(call, "s:Sender", "wsen:CannotProcessFilter", NULL, r, call->err.message);
        return false;
    }
    const MI_Char *object_ns = NULL;
    MI_Instance_GetNameSpace(*source, &object_ns);
    if (object_ns && *object_ns)
        q->namespace_name = object_ns;
    q->operation = associators ? MI_OP_ASSOCIATORS : MI_OP_REFERENCES;
    q->source = *source;
    q->assoc_class = associators ? soap_child_text(a, WSMAN_NS_WSMB, "AssociationClassName") : NULL;
    q->result_class = soap_child_text(a, WSMAN_NS_WSMB, "ResultClassName");
    q->role = soap_child_text(a, WSMAN_NS_WSMB, "Role");
    q->result_role = associators ? soap_child_text(a, WSMAN_NS_WSMB, "ResultRole") : NULL;
    size_t n = 0;
    for (const soap_node *p = soap_child(a, WSMAN_NS_WSMB, "IncludeResultProperty"); p;
         p = soap_next(p))
        n++;
    if (n) {
        st->properties = calloc(n, sizeof *st->properties);
        for (const soap_node *p = soap_child(a, WSMAN_NS_WSMB, "IncludeResultProperty");
             p && st->properties; p = soap_next(p))
            if ((st->properties[st->property_count] = strdup(p->text)) != NULL)
                st->property_count++;
    }
    return true;
}

static bool unsigned_text(const char *text, unsigned long *out)
{
    if (!text || !*text || text[0] == '-')
        return false;
    char *end;
    *out = strtoul(text, &end, 10);
    return !*end;
}

/* Writes the context (a new name when the sequence goes on) and the end. */
static bool keep_or_end(wsman_call *call, wsman_pull *st, bool end)
{
    char name[33] = "";
    if (!end && !mid_contexts_put(call->env->contexts, st, mid_wsman_pull_free, st->expiry, name)) {
        mid_wsman_pull_free(st);
        mi_error_set(&call->err, MI_RESULT_SERVER_LIMITS_EXCEEDED, "too many open enumerations");
        return false;
    }
    if (end)
        mid_wsman_pull_free(st);
    if (!end)
        mi_strbuf_printf(&call->out, "<wsen:EnumerationContext>uuid:%s</wsen:EnumerationContext>",
                         name);
    return true;
}

static void enumerate(wsman_call *call)
{
    const soap_node *e = soap_child(call->body, WSMAN_NS_WSEN, "Enumerate");
    if (!e || !call->has_resource) {
        fault_text(call, "s:Sender", "wsman:SchemaValidationError", NULL,
                   MI_RESULT_INVALID_PARAMETER,
                   !e ? "an Enumerate holds wsen:Enumerate" : "no wsman:ResourceURI given");
        return;
    }
    wsman_pull *st = calloc(1, sizeof *st);
    if (!st) {
        mi_error_nomem(&call->err);
        return fault_of_result(call, MI_RESULT_SERVER_LIMITS_EXCEEDED);
    }
    st->expiry = DEFAULT_EXPIRY;
    const char *expires = soap_child_text(e, WSMAN_NS_WSEN, "Expires");
    unsigned long long expiry_usec;
    if (expires) {
        if (!wsman_duration_parse(expires, &expiry_usec) || expiry_usec > MAX_EXPIRY * 1000000ull) {
            mid_wsman_pull_free(st);
            return fault_text(call, "s:Sender", "wsen:InvalidExpirationTime", NULL,
                              MI_RESULT_INVALID_OPERATION_TIMEOUT,
                              "Expires is a duration of at most an hour");
        }
        st->expiry = expiry_usec / 1000000 ? (unsigned)(expiry_usec / 1000000) : 1;
    }
    const char *mode = soap_child_text(e, WSMAN_NS_WSMAN, "EnumerationMode");
    st->mode = !mode                                    ? ITEMS_OBJECT
               : !strcmp(mode, "EnumerateEPR")          ? ITEMS_EPR
               : !strcmp(mode, "EnumerateObjectAndEPR") ? ITEMS_OBJECT_AND_EPR
                                                        : (item_mode)-1;
    if (st->mode == (item_mode)-1) {
        mid_wsman_pull_free(st);
        return fault_text(call, "s:Sender", "wsman:UnsupportedFeature",
                          "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/EnumerationMode",
                          MI_RESULT_NOT_SUPPORTED,
                          "EnumerationMode is EnumerateEPR or "
                          "EnumerateObjectAndEPR");
    }
    bool optimize = soap_child(e, WSMAN_NS_WSMAN, "OptimizeEnumeration") != NULL;
    unsigned long max = 1;
    const char *max_text = soap_child_text(e, WSMAN_NS_WSMAN, "MaxElements");
    if (max_text && (!unsigned_text(max_text, &max) || max == 0)) {
        mid_wsman_pull_free(st);
        return fault_text(call, "s:Sender", "wsman:InvalidParameter", NULL,
                          MI_RESULT_INVALID_PARAMETER, "MaxElements is a positive number");
    }
    if (!optimize)
        max = 0;
    st->style.wmi = call->resource.wmi;
    mi_request q = {0};
    MI_Instance *source = NULL;
    if (!filter_request(call, e, &q, st, &source)) {
        mid_wsman_pull_free(st);
        if (source)
            mi_instance_delete(source);
        return;
    }
    q.keys_only = st->mode == ITEMS_EPR && !mi_request_is_association(&q);
    if (st->mode == ITEMS_EPR && q.operation == MI_OP_ASSOCIATORS)
        q.operation = MI_OP_ASSOCIATOR_NAMES;
    else if (st->mode == ITEMS_EPR && q.operation == MI_OP_REFERENCES)
        q.operation = MI_OP_REFERENCE_NAMES;
    MI_Result r = mi_request_copy(&st->request, &q, &call->err);
    if (source)
        mi_instance_delete(source);
    if (r == MI_RESULT_OK) {
        st->request->cancelled = &st->cancelled;
        if (call->timeout_usec)
            st->request->deadline_usec = mi_request_now_usec() + call->timeout_usec;
        r = mi_engine_open(&call->engine, st->request, &st->cursor, &call->err);
    }
    if (r != MI_RESULT_OK) {
        mid_wsman_pull_free(st);
        return fault_of_result(call, r);
    }
    begin_answer(call, WSMAN_ACTION_ENUMERATE "Response");
    mi_strbuf_puts(&call->out, "<wsen:EnumerateResponse>");
    mi_strbuf items = MI_STRBUF_INIT;
    bool end = false;
    if (optimize)
        r = fill(call, st, max, &items, &end);
    if (r != MI_RESULT_OK) {
        mi_strbuf_free(&items);
        mid_wsman_pull_free(st);
        return r == MI_RESULT_SERVER_LIMITS_EXCEEDED ? encoding_limit(call)
                                                     : fault_of_result(call, r);
    }
    if (!keep_or_end(call, st, end)) {
        mi_strbuf_free(&items);
        return fault_of_result(call, MI_RESULT_SERVER_LIMITS_EXCEEDED);
    }
    if (end)
        mi_strbuf_puts(&call->out, "<wsen:EnumerationContext/>");
    if (optimize) {
        mi_strbuf_puts(&call->out, "<wsman:Items>");
        if (items.data)
            mi_strbuf_append(&call->out, items.data, items.len);
        mi_strbuf_puts(&call->out, "</wsman:Items>");
        if (end)
            mi_strbuf_puts(&call->out, "<wsman:EndOfSequence/>");
    }
    mi_strbuf_free(&items);
    mi_strbuf_puts(&call->out, "</wsen:EnumerateResponse>");
    wsman_envelope_end(&call->out);
}

static wsman_pull *take_context(wsman_call *call, const soap_node *op)
{
    const char *name = soap_child_text(op, WSMAN_NS_WSEN, "EnumerationContext");
    if (name && !strncmp(name, "uuid:", 5))
        name += 5;
    wsman_pull *st =
        name ? mid_contexts_take(call->env->contexts, name, mid_wsman_pull_free) : NULL;
    if (!st)
        fault_text(call, "s:Sender", "wsen:InvalidEnumerationContext", NULL,
                   MI_RESULT_INVALID_ENUMERATION_CONTEXT,
                   "no open enumeration has that context (ended, released or expired)");
    return st;
}

static void pull(wsman_call *call)
{
    const soap_node *p = soap_child(call->body, WSMAN_NS_WSEN, "Pull");
    if (!p)
        return fault_text(call, "s:Sender", "wsman:SchemaValidationError", NULL,
                          MI_RESULT_INVALID_PARAMETER, "a Pull holds wsen:Pull");
    unsigned long max = 1;
    const char *max_text = soap_child_text(p, WSMAN_NS_WSEN, "MaxElements");
    if (max_text && (!unsigned_text(max_text, &max) || max == 0))
        return fault_text(call, "s:Sender", "wsman:InvalidParameter", NULL,
                          MI_RESULT_INVALID_PARAMETER, "MaxElements is a positive number");
    wsman_pull *st = take_context(call, p);
    if (!st)
        return;
    mi_strbuf items = MI_STRBUF_INIT;
    bool end = false;
    MI_Result r = fill(call, st, max, &items, &end);
    if (r != MI_RESULT_OK) {
        mi_strbuf_free(&items);
        mid_wsman_pull_free(st);
        return r == MI_RESULT_SERVER_LIMITS_EXCEEDED ? encoding_limit(call)
                                                     : fault_of_result(call, r);
    }
    begin_answer(call, WSMAN_ACTION_PULL "Response");
    mi_strbuf_puts(&call->out, "<wsen:PullResponse>");
    if (!keep_or_end(call, st, end)) {
        mi_strbuf_free(&items);
        return fault_of_result(call, MI_RESULT_SERVER_LIMITS_EXCEEDED);
    }
    mi_strbuf_puts(&call->out, "<wsen:Items>");
    if (items.data)
        mi_strbuf_append(&call->out, items.data, items.len);
    mi_strbuf_puts(&call->out, "</wsen:Items>");
    if (end)
        mi_strbuf_puts(&call->out, "<wsen:EndOfSequence/>");
    mi_strbuf_free(&items);
    mi_strbuf_puts(&call->out, "</wsen:PullResponse>");
    wsman_envelope_end(&call->out);
}

static void release(wsman_call *call)
{
    wsman_pull *st = take_context(call, soap_child(call->body, WSMAN_NS_WSEN, "Release"));
    if (!st)
        return;
    mid_wsman_pull_free(st);
    begin_answer(call, WSMAN_ACTION_RELEASE "Response");
    wsman_envelope_end(&call->out);
}

/* ---- the request ---- */

static void encoder_free(void *call)
{
    (void)call; /* a reply written whole keeps no call state */
}

static const mid_encoder no_encoder = {NULL, NULL, NULL, NULL, encoder_free};

static mid_reply *answer(mi_strbuf *out, MI_Result result, bool fault)
{
    mid_reply *reply = mid_reply_text(out, result, &no_encoder, NULL);
    if (reply && fault)
        mid_reply_set_status(reply, 500);
    return reply;
}

static void dispatch(wsman_call *call, mid_log_fields *log)
{
    const char *a = call->action;
    if (!a) {
        snprintf(log->method, sizeof log->method, "Identify");
        if (soap_child(call->body, WSMAN_NS_WSMID, "Identify"))
            return identify(call);
        return fault_text(call, "s:Sender", "wsa:MessageInformationHeaderRequired", NULL,
                          MI_RESULT_INVALID_PARAMETER, "the message names no wsa:Action");
    }
    const char *last = strrchr(a, '/');
    snprintf(log->method, sizeof log->method, "%s", last ? last + 1 : a);
    if (!call->message_id)
        return fault_text(call, "s:Sender", "wsa:MessageInformationHeaderRequired", NULL,
                          MI_RESULT_INVALID_PARAMETER, "the message has no wsa:MessageID");
    if (!strcmp(a, WSMAN_ACTION_GET))
        return get_or_delete(call, true);
    if (!strcmp(a, WSMAN_ACTION_DELETE))
        return get_or_delete(call, false);
    if (!strcmp(a, WSMAN_ACTION_CREATE))
        return create(call);
    if (!strcmp(a, WSMAN_ACTION_PUT))
        return put(call);
    if (!strcmp(a, WSMAN_ACTION_ENUMERATE))
        return enumerate(call);
    if (!strcmp(a, WSMAN_ACTION_PULL))
        return pull(call);
    if (!strcmp(a, WSMAN_ACTION_RELEASE))
        return release(call);
    size_t uri_len = call->resource_uri ? strlen(call->resource_uri) : 0;
    if (uri_len && !strncmp(a, call->resource_uri, uri_len) && a[uri_len] == '/' &&
        a[uri_len + 1] && !strchr(a + uri_len + 1, '/') && call->has_resource &&
        strcmp(call->resource.class_name, "*") != 0)
        return invoke(call, a + uri_len + 1);
    char reason[600];
    snprintf(reason, sizeof reason, "the action %s is not supported", a);
    fault_text(call, "s:Sender", "wsa:ActionNotSupported", NULL, MI_RESULT_NOT_SUPPORTED, reason);
}

mid_reply *mid_wsman_call(const mid_env *env, const soap_node *envelope, mid_log_fields *log)
{
    wsman_call call = {0};
    call.env = env;
    call.engine = (mi_engine){env->repo, env->sources};
    call.out = (mi_strbuf)MI_STRBUF_INIT;
    if (strcmp(envelope->name, "Envelope") != 0) {
        fault_text(&call, "s:Sender", "wsman:SchemaValidationError", NULL,
                   MI_RESULT_INVALID_PARAMETER, "the message is not a SOAP envelope");
    } else if (strcmp(envelope->ns, WSMAN_NS_SOAP) != 0) {
        fault_text(&call, "s:VersionMismatch", NULL, NULL, MI_RESULT_NOT_SUPPORTED,
                   "SOAP 1.2 envelopes only (" WSMAN_NS_SOAP ")");
    } else {
        call.header = soap_child(envelope, WSMAN_NS_SOAP, "Header");
        call.body = soap_child(envelope, WSMAN_NS_SOAP, "Body");
        if (!call.body)
            fault_text(&call, "s:Sender", "wsman:SchemaValidationError", NULL,
                       MI_RESULT_INVALID_PARAMETER, "the envelope has no Body");
        else if (read_headers(&call))
            dispatch(&call, log);
    }
    snprintf(log->ns, sizeof log->ns, "%s", call.ns ? call.ns : "");
    MI_Result result = call.fault ? call.result : MI_RESULT_OK;
    bool fault = call.fault;
    wsman_resource_free(&call.resource);
    return answer(&call.out, result, fault);
}

mid_reply *mid_wsman_unreadable(soap_fault fault, const char *message)
{
    wsman_call call = {0};
    call.out = (mi_strbuf)MI_STRBUF_INIT;
    if (fault == SOAP_NO_MEMORY)
        fault_text(&call, "s:Receiver", "wsman:QuotaLimit", NULL, MI_RESULT_SERVER_LIMITS_EXCEEDED,
                   message);
    else if (fault == SOAP_LIMIT)
        fault_text(&call, "s:Sender", "wsman:EncodingLimit", NULL, MI_RESULT_SERVER_LIMITS_EXCEEDED,
                   message);
    else
        fault_text(&call, "s:Sender", "wsman:SchemaValidationError", NULL,
                   MI_RESULT_INVALID_PARAMETER, message);
    return answer(&call.out, call.result, true);
}
