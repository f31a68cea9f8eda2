/*
 * remote — the CIM-XML transport of remote sessions: each operation is one intrinsic
 * method call POSTed to the server with libcurl (connections kept alive and shared by the
 * session's operations), its reply parsed with expat as it arrives. Cancellation and the
 * deadline abort the transfer.
 */
#ifndef MI_CLIENT_REMOTE_H
#define MI_CLIENT_REMOTE_H

#include "core/class.h"
#include "core/error.h"
#include "operation.h"

#include <mi.h>

typedef struct mi_remote mi_remote;

/* A connection to url ("http://host[:port]" or "https://..."); user and password may be
 * NULL (no authentication). verify: check the server's certificate. */
MI_Result mi_remote_new(mi_remote **out, const char *url, const char *user, const char *password,
                        bool verify, mi_error *err);
void mi_remote_free(mi_remote *remote);

/* The result source that runs requests on the server. */
mi_result_source mi_remote_source(mi_remote *remote);

/* One class (GetClass) or the classes under class_name (EnumerateClasses; NULL: from the
 * roots; deep: all descendants), in the request's namespace and under its cancel flag
 * and deadline, each built on its superclass (asked for when the reply lacks it). The
 * array and its references are the caller's. */
MI_Result mi_remote_classes(mi_remote *remote, const mi_request *request, const char *class_name,
                            bool enumerate, bool deep, mi_class ***classes, size_t *count,
                            mi_error *err);

#endif
