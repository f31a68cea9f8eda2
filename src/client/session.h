/*
 * session — MI_Session handles: where operations go (the embedded repository, or a remote
 * server over a protocol), and the MI_Session_* operations started on them.
 */
#ifndef MI_CLIENT_SESSION_H
#define MI_CLIENT_SESSION_H

#include "repo/repository.h"

#include <mi.h>

MI_Result mi_session_new(MI_Application *application, const MI_Char *protocol,
                         const MI_Char *destination, MI_DestinationOptions *options,
                         MI_Instance **extended_error, MI_Session *session);

/* A session whose operations run on transport (the session takes it, also on failure). */
struct mi_transport;
MI_Result mi_session_over(MI_Application *application, struct mi_transport transport,
                          MI_Session *session);

/* The repository of a local session of this library, or NULL. */
mi_repository *mi_session_repository(const MI_Session *session);

#endif
