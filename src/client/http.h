/*
 * http — the HTTP client of the remote transports: one libcurl share (connections kept
 * alive, DNS) per session, the session's credentials (Basic) and certificate check, and
 * one POST at a time per operation, its reply handed to a sink as it arrives. The
 * request's cancel flag and deadline abort a transfer; failures come back in words.
 */
#ifndef MI_CLIENT_HTTP_H
#define MI_CLIENT_HTTP_H

#include "core/error.h"
#include "engine/request.h"

#include <mi.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct mi_http mi_http;

/* Where a protocol listens when a destination names no port or path. */
typedef struct mi_http_defaults {
    const char *http_port, *https_port; /* ":5988" */
    const char *path;                   /* "/cimom" */
} mi_http_defaults;

/* A client of destination (http[s]://host[:port][/path]) with the session's destination
 * options: the first credentials, the certificate check (MI_DestinationOptions'
 * CertCACheck) and LIBMI_CA_FILE (the authorities to trust, PEM). */
MI_Result mi_http_new(mi_http **out, const char *destination, const mi_http_defaults *defaults,
                      MI_DestinationOptions *options, mi_error *err);
void mi_http_free(mi_http *http);

/* Whether destination is an http:// or https:// URL. */
bool mi_http_is_url(const char *destination);

/* The results asked for in each exchange of an enumeration: the destination option
 * LIBMI_PULL_BATCH when it is 1 to max, else fallback. */
unsigned mi_http_batch(MI_DestinationOptions *options, unsigned fallback, unsigned max);

/* The URL requests go to. */
const char *mi_http_url(const mi_http *http);

/* Receives the body as it arrives. */
typedef void (*mi_http_sink)(void *context, const char *data, size_t length);

typedef struct mi_http_post {
    const char *const *headers; /* "Name: value", NULL-terminated; may be NULL */
    const char *body;
    size_t body_length;
    mi_http_sink sink;
    void *sink_context;
    const mi_request *request; /* its cancel flag and deadline stop the transfer */
    const char *wanted_header; /* a reply header to keep (its value in header_value) */
    char header_value[128];
    long status; /* the reply's HTTP status */
} mi_http_post;

/* One POST. MI_RESULT_OK when a reply came (whatever its status, except 401, which is
 * MI_RESULT_ACCESS_DENIED); MI_RESULT_FAILED naming why otherwise (no connection, TLS,
 * cancelled, timed out). */
MI_Result mi_http_send(mi_http *http, mi_http_post *post, mi_error *err);

#endif
