/*
 * cimxml_binding — CIM-XML as a binding of the server (binding.h): the DSP0200 headers
 * (CIMOperation: MethodCall, CIMMethod equal to the body's method, CIMObject equal to
 * its namespace), the body fed to the CIM-XML reader as it arrives, and the call
 * answered by cimxml_calls.c.
 */
#include "binding.h"

#include "cimxml/parse.h"
#include "core/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct decoder {
    cimxml_request *request;
    cimxml_reader *reader;
    char method[64]; /* the CIMMethod header */
    char ns[512];    /* the CIMObject header, %-decoded; empty: none */
    mi_error err;
    bool keep_body; /* a method whose definitions are read from the message */
    mi_strbuf body;
} decoder;

/* The methods carrying a class or qualifier definition (read again from the message). */
static bool carries_definitions(const char *method)
{
    return !strcmp(method, "CreateClass") || !strcmp(method, "ModifyClass") ||
           !strcmp(method, "SetQualifier");
}

static void refuse(mid_refusal *refusal, unsigned status, const char *reason, const char *text)
{
    refusal->status = status;
    refusal->header_name = reason ? "CIMError" : NULL;
    refusal->header_value = reason;
    snprintf(refusal->text, sizeof refusal->text, "%s\n", text);
}

static bool recognises(const mid_http_request *request)
{
    (void)request; /* DSP0200 leaves the path to the server: the fallback binding */
    return true;
}

/* The namespace of a CIMObject header, %-decoded. */
static void decode_header(const char *in, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = in; *p && n + 1 < size; p++) {
        if (p[0] == '%' && p[1] && p[2]) {
            char hex[3] = {p[1], p[2], 0};
            out[n++] = (char)strtol(hex, NULL, 16);
            p += 2;
        } else {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
}

/* Whether the CIMObject header names ns: the namespace itself for an intrinsic call, an
 * object path in it (namespace:class...) for an extrinsic one. */
static bool header_names_namespace(const char *header, const char *ns, bool extrinsic)
{
    if (!ns)
        return false;
    size_t len = strlen(header);
    const char *colon = extrinsic ? strchr(header, ':') : NULL;
    if (colon)
        len = (size_t)(colon - header);
    return strlen(ns) == len && strncasecmp(header, ns, len) == 0;
}

static void discard(void *context)
{
    decoder *d = context;
    if (!d)
        return;
    if (d->reader && cimxml_reader_end(d->reader) != CIMXML_FAULT_NONE) {
        free(d->request); /* the reader freed what it had built */
        d->request = NULL;
    }
    if (d->request) {
        cimxml_request_free(d->request);
        free(d->request);
    }
    mi_strbuf_free(&d->body);
    free(d);
}

static void *begin(const mid_http_request *request, mid_refusal *refusal)
{
    const char *operation = request->header(request->context, "CIMOperation");
    const char *version = request->header(request->context, "CIMProtocolVersion");
    const char *method = request->header(request->context, "CIMMethod");
    const char *object = request->header(request->context, "CIMObject");
    if (strcmp(request->method, "POST") != 0) {
        refuse(refusal, 405, NULL, "CIM-XML requests are POSTed");
        refusal->header_name = "Allow"; /* RFC 9110: a 405 says what is allowed */
        refusal->header_value = "POST";
        return NULL;
    }
    if (!operation || strcasecmp(operation, "MethodCall") != 0) {
        refuse(refusal, 400, "header-mismatch", "the CIMOperation header must be MethodCall");
        return NULL;
    }
    if (version && strncmp(version, "1.", 2) != 0) {
        refuse(refusal, 501, "unsupported-protocol-version", "CIMProtocolVersion 1.x only");
        return NULL;
    }
    if (!method) {
        refuse(refusal, 400, "header-mismatch", "a CIMMethod header is required");
        return NULL;
    }
    decoder *d = calloc(1, sizeof *d);
    if (d && (d->request = calloc(1, sizeof *d->request)) != NULL)
        d->reader = cimxml_reader_begin(d->request, &d->err);
    if (!d || !d->reader) {
        discard(d);
        refuse(refusal, 503, NULL, "out of memory");
        return NULL;
    }
    snprintf(d->method, sizeof d->method, "%s", method);
    d->keep_body = carries_definitions(method);
    if (object)
        decode_header(object, d->ns, sizeof d->ns);
    return d;
}

static void feed(void *context, const char *piece, size_t length)
{
    decoder *d = context;
    cimxml_reader_feed(d->reader, piece, length); /* a fault is final: told at the end */
    if (d->keep_body)
        mi_strbuf_append(&d->body, piece, length);
}

static mid_reply *finish(void *context, const mid_env *env, mid_refusal *refusal,
                         mid_log_fields *log)
{
    decoder *d = context;
    cimxml_fault fault = cimxml_reader_end(d->reader);
    d->reader = NULL;
    if (fault != CIMXML_FAULT_NONE) {
        free(d->request); /* the reader freed what it had built */
        d->request = NULL;
        switch (fault) {
        case CIMXML_FAULT_NOT_WELL_FORMED:
            refuse(refusal, 400, "request-not-well-formed", d->err.message);
            break;
        case CIMXML_FAULT_MULTIPLE:
            refuse(refusal, 501, "multiple-requests-unsupported", d->err.message);
            break;
        case CIMXML_FAULT_NO_MEMORY:
            refuse(refusal, 503, NULL, d->err.message);
            break;
        default:
            refuse(refusal, 400, "request-not-valid", d->err.message);
            break;
        }
        discard(d);
        return NULL;
    }
    cimxml_request *req = d->request;
    snprintf(log->method, sizeof log->method, "%s", req->method);
    snprintf(log->ns, sizeof log->ns, "%s", req->ns);
    if (strcmp(d->method, req->method) != 0)
        refuse(refusal, 400, "header-mismatch",
               "the CIMMethod header names another method than the body");
    else if (d->ns[0] && !header_names_namespace(d->ns, req->ns, req->extrinsic))
        refuse(refusal, 400, "header-mismatch",
               "the CIMObject header names another namespace than the body");
    else if (d->keep_body && d->body.failed)
        refuse(refusal, 503, NULL, "out of memory");
    else {
        if (d->keep_body) { /* the request takes the message */
            req->body = d->body.data;
            req->body_length = d->body.len;
            memset(&d->body, 0, sizeof d->body);
        }
        d->request = NULL; /* the call takes it */
        discard(d);
        mid_reply *reply = mid_cimxml_call(env, req);
        if (!reply)
            refuse(refusal, 503, NULL, "out of memory");
        return reply;
    }
    discard(d);
    return NULL;
}

const mid_binding mid_cimxml_binding = {
    .name = "CIM-XML",
    .recognises = recognises,
    .begin = begin,
    .feed = feed,
    .finish = finish,
    .discard = discard,
    .content_type = "application/xml; charset=\"utf-8\"",
    .reply_header_name = "CIMOperation",
    .reply_header_value = "MethodResponse",
};
