/*
 * envelope — see wsman.h: SOAP 1.2 envelopes and faults.
 */
#include "wsman.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* A message id unique enough to relate replies: the time, the process and a count. */
static void message_id(char out[64])
{
    static atomic_uint count;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    unsigned n = atomic_fetch_add(&count, 1);
    snprintf(out, 64, "uuid:%08lx-%04x-4%03x-8%03x-%012lx", (unsigned long)now.tv_sec & 0xffffffff,
             (unsigned)getpid() & 0xffff, (n >> 12) & 0xfff, n & 0xfff, (unsigned long)now.tv_nsec);
}

void wsman_envelope_begin(mi_strbuf *out, const char *action, const char *relates_to,
                          const char *resource_uri)
{
    char id[64];
    message_id(id);
    mi_strbuf_puts(out,
                   "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                   "<s:Envelope xmlns:s=\"" WSMAN_NS_SOAP "\" xmlns:wsa=\"" WSMAN_NS_WSA
                   "\" xmlns:wsen=\"" WSMAN_NS_WSEN "\" xmlns:wxf=\"" WSMAN_NS_WXF
                   "\" xmlns:wsman=\"" WSMAN_NS_WSMAN "\" xmlns:wsmb=\"" WSMAN_NS_WSMB
                   "\" xmlns:wsmid=\"" WSMAN_NS_WSMID "\" xmlns:xsi=\"" WSMAN_NS_XSI
                   "\" xmlns:cim=\"" WSMAN_NS_CIM "\" xmlns:t=\"" WSMAN_NS_TYPE "\"><s:Header>");
    if (action) {
        mi_strbuf_puts(out, "<wsa:Action s:mustUnderstand=\"true\">");
        mi_strbuf_put_xml(out, action);
        mi_strbuf_puts(out, "</wsa:Action>");
        if (!relates_to) /* a request: where it goes and where answers come back */
            mi_strbuf_puts(out, "<wsa:To>" WSMAN_ANONYMOUS "</wsa:To><wsa:ReplyTo><wsa:Address "
                                "s:mustUnderstand=\"true\">" WSMAN_ANONYMOUS
                                "</wsa:Address></wsa:ReplyTo>");
        else
            mi_strbuf_puts(out, "<wsa:To>" WSMAN_ANONYMOUS "</wsa:To>");
    }
    mi_strbuf_printf(out, "<wsa:MessageID>%s</wsa:MessageID>", id);
    if (relates_to) {
        mi_strbuf_puts(out, "<wsa:RelatesTo>");
        mi_strbuf_put_xml(out, relates_to);
        mi_strbuf_puts(out, "</wsa:RelatesTo>");
    }
    if (resource_uri) {
        mi_strbuf_puts(out, "<wsman:ResourceURI s:mustUnderstand=\"true\">");
        mi_strbuf_put_xml(out, resource_uri);
        mi_strbuf_puts(out, "</wsman:ResourceURI>");
    }
}

void wsman_envelope_end(mi_strbuf *out)
{
    mi_strbuf_puts(out, "</s:Body></s:Envelope>\n");
}

static const char *fault_action(const char *subcode)
{
    if (subcode && !strncmp(subcode, "wsa:", 4))
        return WSMAN_NS_WSA "/fault";
    if (subcode && !strncmp(subcode, "wsen:", 5))
        return WSMAN_NS_WSEN "/fault";
    return "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault";
}

void wsman_write_fault(mi_strbuf *out, const char *relates_to, const wsman_fault *f, MI_Result code,
                       const char *reason)
{
    wsman_envelope_begin(out, fault_action(f->subcode), relates_to, NULL);
    mi_strbuf_puts(out, "</s:Header><s:Body><s:Fault><s:Code><s:Value>");
    mi_strbuf_puts(out, f->code);
    mi_strbuf_puts(out, "</s:Value>");
    if (f->subcode)
        mi_strbuf_printf(out, "<s:Subcode><s:Value>%s</s:Value></s:Subcode>", f->subcode);
    mi_strbuf_puts(out, "</s:Code><s:Reason><s:Text xml:lang=\"en-US\">");
    mi_strbuf_put_xml(out, reason && *reason ? reason : "the request failed");
    mi_strbuf_puts(out, "</s:Text></s:Reason><s:Detail>");
    if (f->detail)
        mi_strbuf_printf(out, "<wsman:FaultDetail>%s</wsman:FaultDetail>", f->detail);
    if (code != MI_RESULT_OK) {
        mi_strbuf_printf(out,
                         "<p:CIM_Error xmlns:p=\"" WSMAN_URI_DMTF "CIM_Error\">"
                         "<p:CIMStatusCode>%d</p:CIMStatusCode><p:Message>",
                         (int)code);
        mi_strbuf_put_xml(out, reason ? reason : "");
        mi_strbuf_puts(out, "</p:Message></p:CIM_Error>");
    }
    mi_strbuf_puts(out, "</s:Detail></s:Fault>");
    wsman_envelope_end(out);
}

wsman_fault wsman_fault_of(MI_Result code)
{
    switch (code) {
    case MI_RESULT_ACCESS_DENIED:
        return (wsman_fault){"s:Sender", "wsman:AccessDenied", NULL};
    case MI_RESULT_INVALID_NAMESPACE:
    case MI_RESULT_INVALID_CLASS:
    case MI_RESULT_NOT_FOUND:
        return (wsman_fault){"s:Sender", "wsa:DestinationUnreachable", NULL};
    case MI_RESULT_INVALID_PARAMETER:
        return (wsman_fault){"s:Sender", "wsman:InvalidParameter", NULL};
    case MI_RESULT_NOT_SUPPORTED:
    case MI_RESULT_METHOD_NOT_AVAILABLE:
    case MI_RESULT_METHOD_NOT_FOUND:
        return (wsman_fault){"s:Sender", "wsa:ActionNotSupported", NULL};
    case MI_RESULT_ALREADY_EXISTS:
        return (wsman_fault){"s:Sender", "wsman:AlreadyExists", NULL};
    case MI_RESULT_NO_SUCH_PROPERTY:
    case MI_RESULT_TYPE_MISMATCH:
        return (wsman_fault){"s:Sender", "wsman:InvalidRepresentation", NULL};
    case MI_RESULT_INVALID_QUERY:
        return (wsman_fault){"s:Sender", "wsen:CannotProcessFilter", NULL};
    case MI_RESULT_QUERY_LANGUAGE_NOT_SUPPORTED:
    case MI_RESULT_FILTERED_ENUMERATION_NOT_SUPPORTED:
        return (wsman_fault){"s:Sender", "wsen:FilterDialectRequestedUnavailable", NULL};
    case MI_RESULT_INVALID_ENUMERATION_CONTEXT:
        return (wsman_fault){"s:Sender", "wsen:InvalidEnumerationContext", NULL};
    case MI_RESULT_SERVER_LIMITS_EXCEEDED:
        return (wsman_fault){"s:Receiver", "wsman:QuotaLimit", NULL};
    case MI_RESULT_INVALID_OPERATION_TIMEOUT:
        return (wsman_fault){"s:Sender", "wsman:InvalidParameter", NULL};
    default:
        return (wsman_fault){"s:Receiver", "wsman:InternalError", NULL};
    }
}

MI_Result wsman_result_of_fault(const soap_node *fault, char *message, size_t size)
{
    const char *reason = NULL;
    const soap_node *text = soap_path(fault, WSMAN_NS_SOAP, "Reason", WSMAN_NS_SOAP, "Text", NULL);
    if (text)
        reason = text->text;
    const soap_node *detail = soap_child(fault, WSMAN_NS_SOAP, "Detail");
    const soap_node *cim_error = NULL;
    for (const soap_node *c = detail ? detail->first : NULL; c && !cim_error; c = c->next)
        if (!strcmp(c->name, "CIM_Error"))
            cim_error = c;
    const char *subcode = NULL;
    const soap_node *sub = soap_path(fault, WSMAN_NS_SOAP, "Code", WSMAN_NS_SOAP, "Subcode",
                                     WSMAN_NS_SOAP, "Value", NULL);
    if (sub) {
        subcode = strchr(sub->text, ':');
        subcode = subcode ? subcode + 1 : sub->text;
    }
    snprintf(message, size, "%s%s%s%s", reason ? reason : "the server answered with a fault",
             subcode ? " (" : "", subcode ? subcode : "", subcode ? ")" : "");
    const char *status = cim_error ? soap_child_text(cim_error, NULL, "CIMStatusCode") : NULL;
    if (status && atoi(status) > 0)
        return (MI_Result)atoi(status);
    if (!subcode)
        return MI_RESULT_FAILED;
    static const struct {
        const char *subcode;
        MI_Result result;
    } table[] = {
        {"AccessDenied", MI_RESULT_ACCESS_DENIED},
        {"DestinationUnreachable", MI_RESULT_NOT_FOUND},
        {"InvalidSelectors", MI_RESULT_INVALID_PARAMETER},
        {"InvalidParameter", MI_RESULT_INVALID_PARAMETER},
        {"ActionNotSupported", MI_RESULT_NOT_SUPPORTED},
        {"UnsupportedFeature", MI_RESULT_NOT_SUPPORTED},
        {"AlreadyExists", MI_RESULT_ALREADY_EXISTS},
        {"InvalidRepresentation", MI_RESULT_TYPE_MISMATCH},
        {"CannotProcessFilter", MI_RESULT_INVALID_QUERY},
        {"FilterDialectRequestedUnavailable", MI_RESULT_QUERY_LANGUAGE_NOT_SUPPORTED},
        {"InvalidEnumerationContext", MI_RESULT_INVALID_ENUMERATION_CONTEXT},
        {"QuotaLimit", MI_RESULT_SERVER_LIMITS_EXCEEDED},
    };
    for (size_t i = 0; i < sizeof table / sizeof *table; i++)
        if (!strcmp(table[i].subcode, subcode))
            return table[i].result;
    return MI_RESULT_FAILED;
}
