/*
 * watch — notices a client that goes away while its request runs. A watched
 * connection's socket is polled for its peer closing; when it does, the flag given with
 * it is set, which the engine and the providers read as the request's cancellation
 * (mi_request.cancelled): a provider still answering is told so (its cancel callback,
 * MI_Context_ShouldContinue), instead of running on for a reader that is gone.
 */
#ifndef MI_SERVER_WATCH_H
#define MI_SERVER_WATCH_H

#include "core/error.h"

#include <mi.h>
#include <stdbool.h>

typedef struct mid_watch mid_watch;

/* Starts the watching thread. */
MI_Result mid_watch_new(mid_watch **out, mi_error *err);
/* Stops it; nothing may be watched any more. */
void mid_watch_free(mid_watch *watch);

/* Watches socket fd until mid_watch_remove(flag): once its peer has closed, *flag is 1
 * (set atomically). false when memory ran out (then it is not watched). */
bool mid_watch_add(mid_watch *watch, int fd, int *flag);
/* Stops watching for flag; when it returns, the flag is not touched any more. */
void mid_watch_remove(mid_watch *watch, int *flag);

#endif
