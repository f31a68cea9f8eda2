/*
 * transport — where a session's operations run: the embedded engine in this process,
 * or a server reached over a protocol. A session picks its transport from
 * mi_transports by protocol and destination; adding a protocol is one more entry there.
 */
#ifndef MI_CLIENT_TRANSPORT_H
#define MI_CLIENT_TRANSPORT_H

#include "core/class.h"
#include "core/error.h"
#include "engine/request.h"
#include "operation.h"

#include <mi.h>
#include <stdbool.h>

typedef struct mi_transport_ops {
    /* Instance operations: the results of a request, one at a time (operation.h). */
    mi_result_source (*results)(void *self);
    /* GetClass and EnumerateClasses (request->operation): each class with a reference
     * the caller drops, the array the caller's; the call waits within the request's
     * deadline. */
    MI_Result (*classes)(void *self, const mi_request *request, mi_class ***classes, size_t *count,
                         mi_error *err);
    /* The repository of an embedded session (NULL for the others): the MOF compiler
     * writes there. */
    void *(*repository)(void *self);
    void (*free)(void *self);
} mi_transport_ops;

typedef struct mi_transport {
    const mi_transport_ops *ops;
    void *self;
} mi_transport;

typedef struct mi_transport_kind {
    /* Whether this transport serves the protocol (NULL: the caller named none) and the
     * destination (NULL or "" for this machine). */
    bool (*serves)(const char *protocol, const char *destination);
    MI_Result (*connect)(const char *destination, MI_DestinationOptions *options, mi_transport *out,
                         mi_error *err);
} mi_transport_kind;

/* The embedded engine over the local repository: destination NULL, "", "local" or
 * "localhost". The destination option LIBMI_REPOSITORY (a string) names the repository
 * file; without it the default one (mi_repository_default_path) is used. A missing file
 * is created unless LIBMI_CREATE_REPOSITORY (a number) is 0: then the session is
 * refused with MI_RESULT_NOT_FOUND, "no repository at PATH". */
extern const mi_transport_kind mi_transport_embedded;

/* A transport running on an engine its owner keeps (a provider's local session): the
 * engine outlives the transport, which frees nothing of it. */
struct mi_engine;
mi_transport mi_transport_over_engine(struct mi_engine *engine);

/* CIM-XML (DSP0200) over HTTP or HTTPS: destination http[s]://host[:port][/path],
 * protocol NULL or "CIMXML". Destination options: the first credentials (Basic), the
 * certificate check, and LIBMI_PULL_BATCH (a number: results per pull, 1000 by
 * default). */
extern const mi_transport_kind mi_transport_cimxml;

/* WS-Management (DSP0226/DSP0227) over HTTP or HTTPS: destination
 * http[s]://host[:port][/path] (port 5985/5986 and path /wsman by default), protocol
 * "WINRM", or NULL with a destination whose path is /wsman or whose port is 5985/5986.
 * The same destination options as CIM-XML; LIBMI_PULL_BATCH is MaxElements (100 by
 * default). No class operations; a shallow EnumerateInstances still gets the
 * subclasses' instances (the server is not told: DSP0227's PolymorphismMode is not sent). */
extern const mi_transport_kind mi_transport_wsman;

#endif
