/*
 * call — one operation a provider answers: the MI_Context it is given, on a thread of its
 * own, and what it posts, taken from the other side one instance at a time.
 *
 * The provider runs on the call's thread and may post from any thread until it posts
 * its result. What it posts is copied into library instances at once (the provider may
 * reuse its memory when PostInstance returns) and queued; a full queue makes
 * PostInstance wait, so a slow reader holds a fast provider back and memory stays
 * bounded. The reader waits within the request's deadline and cancellation; a call the
 * reader gives up on is cancelled (the provider's cancel callback runs, ShouldContinue
 * and PostInstance answer so) and freed once the provider has posted its result.
 */
#ifndef MI_PROVIDER_CALL_H
#define MI_PROVIDER_CALL_H

#include "core/error.h"

#include <mi.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct mi_provider_call mi_provider_call;

/* What the call's thread runs: the provider function, through `context`. */
typedef void (*mi_provider_call_fn)(void *arg, MI_Context *context);

/* A new call for the provider named `provider` (in messages), whose reader stops at
 * deadline_usec (CLOCK_MONOTONIC; 0: never) or when *cancelled becomes non-zero (may be
 * NULL). queue_capacity: instances queued before PostInstance waits. */
MI_Result mi_provider_call_new(mi_provider_call **out, const char *provider, uint64_t deadline_usec,
                               const int *cancelled, size_t queue_capacity, mi_error *err);

/* How MI_Context_GetLocalSession reaches the engine a provider serves: get hands out a
 * session the provider uses and never closes (its owner keeps it past the call). */
typedef struct mi_local_sessions {
    MI_Result (*get)(void *arg, MI_Session *out);
    void *arg;
} mi_local_sessions;

/* The local sessions of the call's provider (before the start; none: GetLocalSession
 * answers MI_RESULT_NOT_SUPPORTED). */
void mi_provider_call_local_sessions(mi_provider_call *call, mi_local_sessions sessions);

/* Keeps an instance the provider is handed until the call is freed. */
MI_Result mi_provider_call_keep(mi_provider_call *call, MI_Instance *instance, mi_error *err);

/* Turns what a provider posts into what the reader gets, on the posting thread: *out the
 * reader's instance, or NULL to drop it. An error fails the operation with its message
 * (PostInstance answers MI_RESULT_FAILED). */
typedef MI_Result (*mi_provider_call_accept)(void *arg, const MI_Instance *posted,
                                             MI_Instance **out, mi_error *err);

/* Runs fn(arg, context) on the call's thread; accept (NULL: a plain copy) takes each
 * posted instance. The call takes arg: free_arg (may be NULL) releases it when the call
 * is freed, also when the start fails. */
MI_Result mi_provider_call_start(mi_provider_call *call, mi_provider_call_fn fn,
                                 mi_provider_call_accept accept, void *arg,
                                 void (*free_arg)(void *), mi_error *err);

/* The next instance posted (the caller's to delete) in *out, or NULL once the provider
 * has posted its result: then the return value is that result, with the provider's
 * message in err. MI_RESULT_FAILED naming the provider when the deadline passes or the
 * request is cancelled first. */
MI_Result mi_provider_call_next(mi_provider_call *call, MI_Instance **out, mi_error *err);

/* Whether next would answer at once: an instance is queued or the result posted. */
bool mi_provider_call_ready(mi_provider_call *call);

/* Waits for the result, dropping what is posted (operations without results). */
MI_Result mi_provider_call_finish(mi_provider_call *call, mi_error *err);

/* The reader is done: an unfinished call is cancelled; the call is freed when the
 * provider has also posted its result. */
void mi_provider_call_release(mi_provider_call *call);

/* Whether the provider asked not to be unloaded (MI_Context_RefuseUnload) or to be
 * unloaded (RequestUnload) during this call: MI_Context_RefuseUnload → 1, RequestUnload
 * → -1, neither → 0. */
int mi_provider_call_unload_wish(const mi_provider_call *call);

/* The MI_Server handed to MI_Main: the library's function tables. */
MI_Server *mi_provider_server(void);

#endif
