/*
 * reply — see reply.h.
 */
#include "reply.h"

#include <stdlib.h>
#include <string.h>

typedef enum stage { STAGE_HEAD, STAGE_RESULTS, STAGE_TAIL, STAGE_WHOLE, STAGE_DONE } stage;

struct mid_reply {
    const mid_encoder *encoder;
    void *call;
    mi_request *request;
    mi_engine_cursor *cursor;
    mi_strbuf whole; /* a reply written at once */
    stage stage;
    MI_Result result;
    mi_error err;
    int cancelled;   /* the request's: set when its client has gone */
    unsigned status; /* HTTP; 0: 200 */
};

static mid_reply *new_reply(const mid_encoder *encoder, void *call)
{
    mid_reply *reply = calloc(1, sizeof *reply);
    if (!reply) {
        encoder->free(call);
        return NULL;
    }
    reply->encoder = encoder;
    reply->call = call;
    return reply;
}

mid_reply *mid_reply_text(mi_strbuf *text, MI_Result result, const mid_encoder *encoder, void *call)
{
    mid_reply *reply = new_reply(encoder, call);
    if (!reply) {
        mi_strbuf_free(text);
        return NULL;
    }
    reply->whole = *text;
    *text = (mi_strbuf)MI_STRBUF_INIT;
    reply->result = result;
    reply->stage = STAGE_WHOLE;
    return reply;
}

mid_reply *mid_reply_run(const mi_engine *engine, mi_request *request, const mid_encoder *encoder,
                         void *call)
{
    mid_reply *reply = new_reply(encoder, call);
    if (!reply) {
        mi_request_free(request);
        return NULL;
    }
    reply->request = request;
    request->cancelled = &reply->cancelled;
    reply->result = mi_engine_open(engine, request, &reply->cursor, &reply->err);
    if (reply->result != MI_RESULT_OK) {
        encoder->error(call, &reply->whole, reply->result, reply->err.message, false);
        reply->stage = STAGE_WHOLE;
    }
    return reply;
}

bool mid_reply_next(mid_reply *reply, mi_strbuf *out)
{
    const mid_encoder *enc = reply->encoder;
    switch (reply->stage) {
    case STAGE_WHOLE:
        reply->stage = STAGE_DONE;
        if (!reply->whole.len)
            return false;
        mi_strbuf_append(out, reply->whole.data, reply->whole.len);
        mi_strbuf_free(&reply->whole);
        return true;
    case STAGE_HEAD:
        enc->head(reply->call, out);
        reply->stage = STAGE_RESULTS;
        return true;
    case STAGE_RESULTS:
        /* a handful of results per piece: fewer, larger chunks */
        for (int i = 0; i < 16; i++) {
            const MI_Instance *inst = NULL;
            MI_Result r = mi_engine_next(reply->cursor, &inst, &reply->err);
            if (r != MI_RESULT_OK) {
                /* the head is out: the error ends the body where the results stop */
                reply->result = r;
                enc->error(reply->call, out, r, reply->err.message, true);
                reply->stage = STAGE_DONE;
                return true;
            }
            if (!inst) {
                reply->stage = STAGE_TAIL;
                break;
            }
            enc->result(reply->call, out, inst);
        }
        return true;
    case STAGE_TAIL:
        enc->tail(reply->call, out);
        reply->stage = STAGE_DONE;
        return true;
    case STAGE_DONE:
        break;
    }
    return false;
}

MI_Result mid_reply_result(const mid_reply *reply)
{
    return reply->result;
}

void mid_reply_free(mid_reply *reply)
{
    if (!reply)
        return;
    mi_engine_close(reply->cursor);
    mi_request_free(reply->request);
    mi_strbuf_free(&reply->whole);
    reply->encoder->free(reply->call);
    free(reply);
}

int *mid_reply_cancel_flag(mid_reply *reply)
{
    return reply->request ? &reply->cancelled : NULL;
}

void mid_reply_set_status(mid_reply *reply, unsigned status)
{
    reply->status = status;
}

unsigned mid_reply_status(const mid_reply *reply)
{
    return reply->status ? reply->status : 200;
}
