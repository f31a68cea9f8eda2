/*
 * local_session — the MI_Session a provider gets from MI_Context_GetLocalSession: one
 * per engine, made when a provider first asks, running its operations on that engine
 * (so a provider sees what the server hosting it serves, through the same sources).
 */
#ifndef MI_CLIENT_LOCAL_SESSION_H
#define MI_CLIENT_LOCAL_SESSION_H

#include "core/error.h"
#include "engine/engine.h"

#include <mi.h>

typedef struct mi_local_session mi_local_session;

/* engine must outlive the local session. */
MI_Result mi_local_session_new(mi_engine *engine, mi_local_session **out, mi_error *err);
/* Closes the session (its operations stopped) once no provider runs on it. */
void mi_local_session_free(mi_local_session *local);

/* The session (borrowed: valid until the free, never closed by its user), made on the
 * first call; self is the mi_local_session. The signature of mi_local_sessions.get. */
MI_Result mi_local_session_get(void *self, MI_Session *out);

#endif
