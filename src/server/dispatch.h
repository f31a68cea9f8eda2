/*
 * dispatch — one parsed CIM-XML intrinsic method call run against the repository. The
 * reply is produced piece by piece, so that a large result streams out while it is read
 * from the repository, never held whole.
 */
#ifndef MI_SERVER_DISPATCH_H
#define MI_SERVER_DISPATCH_H

#include "cimxml/parse.h"
#include "contexts.h"
#include "core/strbuf.h"
#include "engine/source.h"
#include "repo/repository.h"

#include <stdbool.h>

typedef struct mid_reply mid_reply;

/* Whether the server knows the intrinsic method (others are answered 501). */
bool mid_method_known(const char *method);

/* What a call runs against: the worker's repository, the open enumerations (pull
 * operations), and the name of this server in instance paths. */
typedef struct mid_env {
    mi_repository *repo;
    const mi_source_registry *sources; /* other instance sources; NULL: none */
    mid_contexts *contexts;
    const char *host;
} mid_env;

/* Starts the call (taking the request: it is freed with the reply). NULL only when
 * memory ran out. */
mid_reply *mid_dispatch(const mid_env *env, cimxml_request *request);

/* Frees an enumeration kept between pulls (the contexts table's free function). */
void mid_pull_free(void *state);

/* Appends the next piece of the response body to out; false once everything was given. */
bool mid_reply_next(mid_reply *reply, mi_strbuf *out);

/* The operation's result (MI_RESULT_OK or the code of its ERROR), for the access log. */
MI_Result mid_reply_result(const mid_reply *reply);

void mid_reply_free(mid_reply *reply);

#endif
