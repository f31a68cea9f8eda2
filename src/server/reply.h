/*
 * reply — the body of a response, produced piece by piece as the HTTP layer asks for
 * more, so that a large result streams out while the engine reads it, never held
 * whole. A protocol binding gives the encoder (a head, each result, a tail, an error)
 * and its call state; the reply runs the request on the engine. Small answers (classes,
 * a page of a pull) are written whole and handed over as text.
 */
#ifndef MI_SERVER_REPLY_H
#define MI_SERVER_REPLY_H

#include "core/strbuf.h"
#include "engine/engine.h"

#include <mi.h>
#include <stdbool.h>

typedef struct mid_encoder {
    void (*head)(void *call, mi_strbuf *out);
    void (*result)(void *call, mi_strbuf *out, const MI_Instance *result);
    void (*tail)(void *call, mi_strbuf *out);
    /* The whole answer to a failure (after_head false), or the end of a body whose head
     * and some results are out already. */
    void (*error)(void *call, mi_strbuf *out, MI_Result code, const char *message, bool after_head);
    void (*free)(void *call);
} mid_encoder;

typedef struct mid_reply mid_reply;

/* Runs request (taken: an owned copy, see mi_request_copy) on engine; the results are
 * encoded as they come. A request the engine refuses is answered with the encoder's
 * error. call (taken: freed by the encoder) is what the encoder works with. NULL only
 * when memory ran out (request and call are freed). */
mid_reply *mid_reply_run(const mi_engine *engine, mi_request *request, const mid_encoder *encoder,
                         void *call);

/* A reply written whole: text (taken), with the operation's result for the log. */
mid_reply *mid_reply_text(mi_strbuf *text, MI_Result result, const mid_encoder *encoder,
                          void *call);

/* Appends the next piece of the body to out; false once everything was given. */
bool mid_reply_next(mid_reply *reply, mi_strbuf *out);

/* The operation's result (MI_RESULT_OK or the code it failed with), for the access log. */
MI_Result mid_reply_result(const mid_reply *reply);

/* The flag that cancels the reply's operation (a client gone: see watch.h), or NULL for
 * a reply written whole. */
int *mid_reply_cancel_flag(mid_reply *reply);

/* The HTTP status the reply goes with: 200 unless set (a SOAP fault goes with 500). */
void mid_reply_set_status(mid_reply *reply, unsigned status);
unsigned mid_reply_status(const mid_reply *reply);

void mid_reply_free(mid_reply *reply);

#endif
