/*
 * cimxml_calls — one parsed CIM-XML intrinsic method call (DSP0200) answered: instance
 * operations through the engine (results streamed by the reply), class operations and
 * the pull operations written whole.
 */
#ifndef MI_SERVER_CIMXML_CALLS_H
#define MI_SERVER_CIMXML_CALLS_H

#include "cimxml/parse.h"
#include "contexts.h"
#include "engine/source.h"
#include "reply.h"
#include "repo/repository.h"
#include "watch.h"

#include <stdbool.h>

/* What a call runs against: the worker's repository, the other instance sources, the
 * open enumerations (pull operations), the name of this server in instance paths, and
 * the client's connection. */
typedef struct mid_env {
    mi_repository *repo;
    const mi_source_registry *sources; /* NULL: none */
    mid_contexts *contexts;
    const char *host;
    /* the client's socket and who watches it (a pull is cancelled when the client goes
     * while it runs); fd -1 or watch NULL: not watched */
    mid_watch *watch;
    int fd;
} mid_env;

/* Starts the call (taking the request: it is freed with the reply). NULL only when
 * memory ran out. */
mid_reply *mid_cimxml_call(const mid_env *env, cimxml_request *request);

/* Frees an enumeration kept between pulls (the contexts table's free function). */
void mid_pull_free(void *state);

#endif
