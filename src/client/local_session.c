/*
 * local_session — see local_session.h.
 */
#include "local_session.h"

#include "session.h"
#include "transport.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct mi_local_session {
    mi_engine *engine;
    pthread_mutex_t lock;
    bool made;
    MI_Application application;
    MI_Session session;
};

MI_Result mi_local_session_new(mi_engine *engine, mi_local_session **out, mi_error *err)
{
    mi_local_session *local = calloc(1, sizeof *local);
    if (!local || pthread_mutex_init(&local->lock, NULL) != 0) {
        free(local);
        *out = NULL;
        return mi_error_nomem(err);
    }
    local->engine = engine;
    *out = local;
    return MI_RESULT_OK;
}

void mi_local_session_free(mi_local_session *local)
{
    if (!local)
        return;
    if (local->made) {
        MI_Session_Close(&local->session, NULL, NULL);
        MI_Application_Close(&local->application);
    }
    pthread_mutex_destroy(&local->lock);
    free(local);
}

MI_Result mi_local_session_get(void *self, MI_Session *out)
{
    mi_local_session *local = self;
    MI_Result r = MI_RESULT_OK;
    pthread_mutex_lock(&local->lock);
    if (!local->made) {
        r = MI_Application_Initialize(0, MI_T("libmi local session"), NULL, &local->application);
        if (r == MI_RESULT_OK) {
            r = mi_session_over(&local->application, mi_transport_over_engine(local->engine),
                                &local->session);
            if (r != MI_RESULT_OK)
                MI_Application_Close(&local->application);
        }
        local->made = r == MI_RESULT_OK;
    }
    if (r == MI_RESULT_OK)
        *out = local->session;
    pthread_mutex_unlock(&local->lock);
    return r;
}
