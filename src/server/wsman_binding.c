/*
 * wsman_binding — WS-Management as a binding of the server (binding.h): POST to /wsman
 * (or /wsman/...), a SOAP 1.2 body read into a tree as it arrives, answered by
 * wsman_calls.c.
 */
#include "binding.h"
#include "wsman_calls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool recognises(const mid_http_request *request)
{
    const char *u = request->url;
    return !strncasecmp(u, "/wsman", 6) && (u[6] == '\0' || u[6] == '/' || u[6] == '?');
}

static void *begin(const mid_http_request *request, mid_refusal *refusal)
{
    if (strcmp(request->method, "POST") != 0) {
        refusal->status = 405;
        refusal->header_name = "Allow";
        refusal->header_value = "POST";
        snprintf(refusal->text, sizeof refusal->text, "WS-Management requests are POSTed\n");
        return NULL;
    }
    const char *type = request->header(request->context, "Content-Type");
    if (type && strncasecmp(type, "application/soap+xml", 20) != 0 &&
        strncasecmp(type, "text/xml", 8) != 0 && strncasecmp(type, "application/xml", 15) != 0) {
        refusal->status = 415;
        snprintf(refusal->text, sizeof refusal->text,
                 "WS-Management messages are application/soap+xml, not %s\n", type);
        return NULL;
    }
    soap_reader *reader = soap_reader_new();
    if (!reader) {
        refusal->status = 503;
        snprintf(refusal->text, sizeof refusal->text, "out of memory\n");
    }
    return reader;
}

static void feed(void *decoder, const char *piece, size_t length)
{
    soap_reader_feed(decoder, piece, length);
}

static void discard(void *decoder)
{
    soap_reader_free(decoder);
}

static mid_reply *finish(void *decoder, const mid_env *env, mid_refusal *refusal,
                         mid_log_fields *log)
{
    soap_fault fault;
    mi_error err = {0};
    soap_node *root = soap_reader_end(decoder, &fault, &err);
    mid_reply *reply =
        root ? mid_wsman_call(env, root, log) : mid_wsman_unreadable(fault, err.message);
    if (!root)
        snprintf(log->method, sizeof log->method, "%s", "unreadable");
    soap_reader_free(decoder);
    if (!reply) {
        refusal->status = 503;
        snprintf(refusal->text, sizeof refusal->text, "out of memory\n");
    }
    return reply;
}

const mid_binding mid_wsman_binding = {
    .name = "WS-Management",
    .recognises = recognises,
    .begin = begin,
    .feed = feed,
    .finish = finish,
    .discard = discard,
    .content_type = "application/soap+xml;charset=UTF-8",
    .reply_header_name = NULL,
    .reply_header_value = NULL,
};
