/*
 * wsman — WS-Management (DSP0226) with its CIM binding (DSP0227) and the WS-CIM mapping
 * (DSP0230), as both the server and the client speak it: the namespaces, actions and
 * dialects; resource URIs; instances and endpoint references written as XML and read
 * back from a soap tree; envelopes and faults.
 *
 * Values carry their CIM type in an attribute of this library's own namespace
 * (WSMAN_NS_TYPE), which other peers ignore: a peer that sends none gets strings, typed
 * by the class where one is known.
 */
#ifndef MI_WSMAN_WSMAN_H
#define MI_WSMAN_WSMAN_H

#include "core/class.h"
#include "core/error.h"
#include "core/strbuf.h"
#include "soap.h"

#include <mi.h>
#include <stdbool.h>

#define WSMAN_NS_SOAP "http://www.w3.org/2003/05/soap-envelope"
#define WSMAN_NS_WSA "http://schemas.xmlsoap.org/ws/2004/08/addressing"
#define WSMAN_NS_WSEN "http://schemas.xmlsoap.org/ws/2004/09/enumeration"
#define WSMAN_NS_WXF "http://schemas.xmlsoap.org/ws/2004/09/transfer"
#define WSMAN_NS_WSMAN "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"
#define WSMAN_NS_WSMB "http://schemas.dmtf.org/wbem/wsman/1/cimbinding.xsd"
#define WSMAN_NS_WSMID "http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd"
#define WSMAN_NS_MSWSMAN "http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd"
#define WSMAN_NS_XSI "http://www.w3.org/2001/XMLSchema-instance"
#define WSMAN_NS_CIM "http://schemas.dmtf.org/wbem/wscim/1/common"
#define WSMAN_NS_TYPE "urn:libmi:wsman:type"

#define WSMAN_ANONYMOUS "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"

#define WSMAN_ACTION_GET WSMAN_NS_WXF "/Get"
#define WSMAN_ACTION_PUT WSMAN_NS_WXF "/Put"
#define WSMAN_ACTION_CREATE WSMAN_NS_WXF "/Create"
#define WSMAN_ACTION_DELETE WSMAN_NS_WXF "/Delete"
#define WSMAN_ACTION_ENUMERATE WSMAN_NS_WSEN "/Enumerate"
#define WSMAN_ACTION_PULL WSMAN_NS_WSEN "/Pull"
#define WSMAN_ACTION_RELEASE WSMAN_NS_WSEN "/Release"

#define WSMAN_DIALECT_ASSOCIATION                                                                  \
    "http://schemas.dmtf.org/wbem/wsman/1/cimbinding/associationFilter"
#define WSMAN_DIALECT_WQL "http://schemas.microsoft.com/wbem/wsman/1/WQL"
#define WSMAN_DIALECT_CQL "http://schemas.dmtf.org/wbem/cql/1/dsp0202.pdf"
#define WSMAN_DIALECT_SELECTOR "http://schemas.dmtf.org/wbem/wsman/1/wsman/SelectorFilter"

#define WSMAN_URI_DMTF "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/"
#define WSMAN_URI_WMI "http://schemas.microsoft.com/wbem/wsman/1/wmi/"
#define WSMAN_URI_OMI "http://schemas.microsoft.com/wbem/wscim/1/cim-schema/2/"

/* What a resource URI names: a class (or "*", every class) and, in the WMI form, a
 * namespace (NULL otherwise). Strings are the caller's (free). false: not a form known. */
typedef struct wsman_resource {
    char *class_name;
    char *ns;
    bool wmi; /* the WMI form: answers name their classes in it too */
} wsman_resource;
bool wsman_resource_parse(const char *uri, wsman_resource *out);
void wsman_resource_free(wsman_resource *r);
/* The resource URI of a class, in the form r uses (r NULL: the DMTF form). */
void wsman_resource_uri(mi_strbuf *out, const wsman_resource *r, const char *ns,
                        const char *class_name);

/* Writes inst as a WS-CIM element of its class (properties NULL: all; else those named
 * and the keys). */
void wsman_write_instance(mi_strbuf *out, const MI_Instance *inst, const wsman_resource *style,
                          const char *ns, const char *const *properties, size_t property_count);
/* The property elements of inst alone (a method's parameters, say), prefix p:. */
void wsman_write_properties(mi_strbuf *out, const MI_Instance *inst, const wsman_resource *style,
                            const char *ns, const char *const *properties, size_t property_count);
/* Writes the address and reference parameters of an endpoint reference to the object
 * inst names (its keys; its namespace, or ns, as the selector __cimnamespace), without
 * an enclosing element. */
void wsman_write_epr(mi_strbuf *out, const MI_Instance *inst, const wsman_resource *style,
                     const char *ns, const char *address);

/* A key instance from an element holding wsa:ReferenceParameters (an endpoint
 * reference), or from ReferenceParameters itself, or from a header holding
 * wsman:ResourceURI and wsman:SelectorSet. Its namespace is __cimnamespace, else the
 * resource URI's, else default_ns. */
MI_Result wsman_read_epr(const soap_node *epr, const char *default_ns, MI_Instance **out,
                         mi_error *err);
/* A key instance from a resource URI and a selector set (either may be NULL). */
MI_Result wsman_read_selectors(const char *resource_uri, const soap_node *selector_set,
                               const char *default_ns, MI_Instance **out, mi_error *err);
/* An instance from a WS-CIM element: each property typed by cls (may be NULL), else by
 * its type attribute, else a string; xsi:nil is NULL; repeated elements are an array. */
MI_Result wsman_read_instance(const soap_node *element, const mi_class *cls, const char *ns,
                              MI_Instance **out, mi_error *err);

/* ---- envelopes ---- */

/* Starts an envelope with the action, a fresh message id, RelatesTo (NULL: none) and the
 * resource URI (NULL: none), then opens the body. */
void wsman_envelope_begin(mi_strbuf *out, const char *action, const char *relates_to,
                          const char *resource_uri);
/* Closes the body and the envelope. */
void wsman_envelope_end(mi_strbuf *out);

/* A fault: SOAP code (Sender or Receiver, or MustUnderstand without subcode), subcode as
 * a qualified name of the prefixes the envelope declares (wsa:, wsen:, wsman:), reason,
 * optional fault detail URI, and a CIM_Error with the status code when code is not
 * MI_RESULT_OK. */
typedef struct wsman_fault {
    const char *code;    /* "s:Sender", "s:Receiver", "s:MustUnderstand" */
    const char *subcode; /* "wsa:DestinationUnreachable", or NULL */
    const char *detail;  /* a FaultDetail URI, or NULL */
} wsman_fault;
void wsman_write_fault(mi_strbuf *out, const char *relates_to, const wsman_fault *fault,
                       MI_Result code, const char *reason);
/* The fault an MI result is answered with (DSP0227's table). */
wsman_fault wsman_fault_of(MI_Result code);
/* The MI result a fault read back means: its CIM_Error's status, else by its subcode. */
MI_Result wsman_result_of_fault(const soap_node *fault, char *message, size_t size);

/* A duration of xs:duration (PT60S, PT1M30.5S, P1DT2H) in microseconds; false if not. */
bool wsman_duration_parse(const char *text, unsigned long long *usec);

#endif
