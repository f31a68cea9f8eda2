/*
 * frame — the binary framing between mid and a provider host process (host_process.h,
 * isolated.h), over a Unix stream socket.
 *
 * A frame is a little-endian uint32 length, then that many bytes: a type byte and the
 * payload. Payload fields are uint8, little-endian uint32/uint64, strings (uint32 length
 * + 1, 0 for NULL, then the bytes) and byte runs (uint32 length, then the bytes);
 * instances and classes travel in the repository's codec (repo/codec.h). Reading checks
 * every length against the frame and refuses a frame above MI_FRAME_MAX.
 */
#ifndef MI_PROVIDER_FRAME_H
#define MI_PROVIDER_FRAME_H

#include "core/error.h"
#include "repo/codec.h"

#include <mi.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    MI_FRAME_MAX = 64 * 1024 * 1024,
    MI_FRAME_FLUSH = 64 * 1024, /* a writer sends once this much is waiting */
};

typedef enum mi_frame_type {
    MI_FRAME_CLASS = 1,    /* host → mid at start: string superclass, bytes class */
    MI_FRAME_READY = 2,    /* host → mid: the schema is complete; string module name */
    MI_FRAME_REQUEST = 3,  /* mid → host: one operation (isolated.c lays it out) */
    MI_FRAME_INSTANCE = 4, /* host → mid: the instance's encoding, the whole payload */
    MI_FRAME_RESULT = 5,   /* host → mid, last: uint32 MI_Result, string message */
} mi_frame_type;

/* ---- writing: frames are built in an mi_bytes and sent when asked ---- */

/* Starts a frame of type in out (after what it holds); mi_frame_end fills its length. */
size_t mi_frame_begin(mi_bytes *out, mi_frame_type type);
void mi_frame_end(mi_bytes *out, size_t start);
void mi_frame_put_u8(mi_bytes *out, uint8_t v);
void mi_frame_put_u32(mi_bytes *out, uint32_t v);
void mi_frame_put_u64(mi_bytes *out, uint64_t v);
void mi_frame_put_string(mi_bytes *out, const char *s);
void mi_frame_put_bytes(mi_bytes *out, const void *data, size_t len);

/* Writes all of buf (then empties it) to fd; never raises SIGPIPE. MI_RESULT_FAILED
 * when the peer is gone. */
MI_Result mi_frame_send(int fd, mi_bytes *buf, mi_error *err);

/* ---- reading ---- */

typedef struct mi_frame_reader {
    int fd;
    unsigned char *buf;
    size_t start, end, cap;
} mi_frame_reader;

void mi_frame_reader_init(mi_frame_reader *r, int fd);
void mi_frame_reader_free(mi_frame_reader *r);

typedef enum mi_frame_status {
    MI_FRAME_OK,
    MI_FRAME_CLOSED,    /* the peer closed the socket, between frames or within one */
    MI_FRAME_DAMAGED,   /* a frame too long or too short, or a read error */
    MI_FRAME_TIMED_OUT, /* the deadline passed first */
    MI_FRAME_CANCELLED, /* *cancelled became non-zero first */
} mi_frame_status;

/* The next frame: its type and payload (borrowed until the next read). Waits until
 * deadline_usec (CLOCK_MONOTONIC; 0: no limit), looking at *cancelled (may be NULL) now
 * and then. Anything but MI_FRAME_OK says why in err. */
mi_frame_status mi_frame_read(mi_frame_reader *r, uint64_t deadline_usec, const int *cancelled,
                              mi_frame_type *type, const unsigned char **payload, size_t *len,
                              mi_error *err);

/* A cursor over a payload: each get fails (returns false) past its end. */
typedef struct mi_frame_cursor {
    const unsigned char *p, *end;
} mi_frame_cursor;

bool mi_frame_get_u8(mi_frame_cursor *c, uint8_t *v);
bool mi_frame_get_u32(mi_frame_cursor *c, uint32_t *v);
bool mi_frame_get_u64(mi_frame_cursor *c, uint64_t *v);
/* A string copied out (the caller's to free; NULL for a NULL string). */
bool mi_frame_get_string(mi_frame_cursor *c, char **s);
/* A byte run, borrowed from the payload. */
bool mi_frame_get_bytes(mi_frame_cursor *c, const unsigned char **data, size_t *len);

#endif
