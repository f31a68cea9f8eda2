/*
 * binding — a protocol binding of the server: it recognises its requests, checks their
 * headers, decodes the body as it arrives, and answers with a reply (reply.h) whose
 * encoder writes the protocol's messages. The HTTP layer (server.c) knows nothing of
 * any protocol; adding one is one more binding in its table.
 */
#ifndef MI_SERVER_BINDING_H
#define MI_SERVER_BINDING_H

#include "cimxml_calls.h"
#include "reply.h"

#include <stdbool.h>
#include <stddef.h>

/* What the HTTP layer knows of a request before its body. */
typedef struct mid_http_request {
    const char *method;                                     /* GET, POST, ... */
    const char *url;                                        /* the path */
    const char *(*header)(void *context, const char *name); /* NULL when absent */
    void *context;
} mid_http_request;

/* A request refused before it reaches the engine: the HTTP status, an optional header
 * naming the protocol's reason (DSP0200's CIMError, say), and a line of text. */
typedef struct mid_refusal {
    unsigned status;
    const char *header_name, *header_value;
    char text[600];
} mid_refusal;

/* What the access log says of a request. */
typedef struct mid_log_fields {
    char method[64];
    char ns[128];
} mid_log_fields;

typedef struct mid_binding {
    const char *name;
    /* Whether the request is this binding's (by its path and headers). */
    bool (*recognises)(const mid_http_request *request);
    /* Checks what the headers say and starts decoding; NULL with the refusal filled when
     * the request is refused (or memory ran out: status 503). */
    void *(*begin)(const mid_http_request *request, mid_refusal *refusal);
    /* One piece of the body, decoded as it arrives. */
    void (*feed)(void *decoder, const char *piece, size_t length);
    /* The body is in: the reply to send, or NULL with the refusal filled. The decoder is
     * freed either way. */
    mid_reply *(*finish)(void *decoder, const mid_env *env, mid_refusal *refusal,
                         mid_log_fields *log);
    /* Frees a decoder that will not be finished (the request was refused meanwhile). */
    void (*discard)(void *decoder);
    /* The replies' content type and one more header of theirs (NULL: none). */
    const char *content_type;
    const char *reply_header_name, *reply_header_value;
} mid_binding;

/* CIM-XML (DSP0200) over HTTP: POST of an intrinsic method call, any path. */
extern const mid_binding mid_cimxml_binding;

/* WS-Management (DSP0226, DSP0227) over HTTP: POST to /wsman. */
extern const mid_binding mid_wsman_binding;

#endif
