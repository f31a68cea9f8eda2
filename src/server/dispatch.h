/*
 * dispatch — one parsed CIM-XML intrinsic method call run against the repository. The
 * reply is produced piece by piece, so that a large result streams out while it is read
 * from the repository, never held whole.
 */
#ifndef MI_SERVER_DISPATCH_H
#define MI_SERVER_DISPATCH_H

#include "cimxml_parse.h"
#include "core/strbuf.h"
#include "repo/repository.h"

#include <stdbool.h>

typedef struct mid_reply mid_reply;

/* Whether the server knows the intrinsic method (others are answered 501). */
bool mid_method_known(const char *method);

/* Starts the call (taking the request: it is freed with the reply); host names this
 * server in instance paths. NULL only when memory ran out. */
mid_reply *mid_dispatch(mi_repository *repo, cimxml_request *request, const char *host);

/* Appends the next piece of the response body to out; false once everything was given. */
bool mid_reply_next(mid_reply *reply, mi_strbuf *out);

/* The operation's result (MI_RESULT_OK or the code of its ERROR), for the access log. */
MI_Result mid_reply_result(const mid_reply *reply);

void mid_reply_free(mid_reply *reply);

#endif
