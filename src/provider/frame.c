/*
 * frame — see frame.h.
 */
#include "frame.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { READ_CHUNK = 64 * 1024, POLL_SLICE_MS = 100 };

static void put_le(mi_bytes *out, uint64_t v, unsigned bytes)
{
    unsigned char b[8];
    for (unsigned i = 0; i < bytes; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    mi_bytes_append(out, b, bytes);
}

size_t mi_frame_begin(mi_bytes *out, mi_frame_type type)
{
    size_t start = out->len;
    put_le(out, 0, 4);
    mi_frame_put_u8(out, (uint8_t)type);
    return start;
}

void mi_frame_end(mi_bytes *out, size_t start)
{
    if (out->failed)
        return;
    uint32_t len = (uint32_t)(out->len - start - 4);
    for (unsigned i = 0; i < 4; i++)
        out->data[start + i] = (unsigned char)(len >> (8 * i));
}

void mi_frame_put_u8(mi_bytes *out, uint8_t v)
{
    mi_bytes_append(out, &v, 1);
}

void mi_frame_put_u32(mi_bytes *out, uint32_t v)
{
    put_le(out, v, 4);
}

void mi_frame_put_u64(mi_bytes *out, uint64_t v)
{
    put_le(out, v, 8);
}

void mi_frame_put_string(mi_bytes *out, const char *s)
{
    size_t len = s ? strlen(s) : 0;
    put_le(out, s ? len + 1 : 0, 4);
    if (s)
        mi_bytes_append(out, s, len);
}

void mi_frame_put_bytes(mi_bytes *out, const void *data, size_t len)
{
    put_le(out, len, 4);
    mi_bytes_append(out, data, len);
}

MI_Result mi_frame_send(int fd, mi_bytes *buf, mi_error *err)
{
    if (buf->failed)
        return mi_error_nomem(err);
    size_t done = 0;
    while (done < buf->len) {
        ssize_t n = send(fd, buf->data + done, buf->len - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            buf->len = 0;
            return mi_error_set(err, MI_RESULT_FAILED,
                                "the other side of the provider socket "
                                "is gone");
        }
        done += (size_t)n;
    }
    buf->len = 0;
    return MI_RESULT_OK;
}

void mi_frame_reader_init(mi_frame_reader *r, int fd)
{
    *r = (mi_frame_reader){.fd = fd};
}

void mi_frame_reader_free(mi_frame_reader *r)
{
    free(r->buf);
    r->buf = NULL;
}

static uint64_t now_usec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Until at least `want` bytes are buffered. */
static mi_frame_status fill(mi_frame_reader *r, size_t want, uint64_t deadline,
                            const int *cancelled, mi_error *err)
{
    while (r->end - r->start < want) {
        if (r->start && r->start == r->end)
            r->start = r->end = 0;
        if (r->cap - r->start < want || r->cap - r->end < READ_CHUNK / 4) {
            size_t held = r->end - r->start;
            if (held && r->start)
                memmove(r->buf, r->buf + r->start, held);
            r->start = 0, r->end = held;
            size_t cap = r->cap ? r->cap : READ_CHUNK;
            while (cap < want || cap - held < READ_CHUNK / 4)
                cap *= 2;
            if (cap != r->cap) {
                unsigned char *grown = realloc(r->buf, cap);
                if (!grown) {
                    mi_error_nomem(err);
                    return MI_FRAME_DAMAGED;
                }
                r->buf = grown, r->cap = cap;
            }
        }
        if (cancelled && __atomic_load_n(cancelled, __ATOMIC_ACQUIRE)) {
            mi_error_set(err, MI_RESULT_FAILED, "cancelled");
            return MI_FRAME_CANCELLED;
        }
        int wait_ms = POLL_SLICE_MS;
        if (deadline) {
            uint64_t now = now_usec();
            if (now >= deadline) {
                mi_error_set(err, MI_RESULT_FAILED, "timed out");
                return MI_FRAME_TIMED_OUT;
            }
            if (deadline - now < (uint64_t)wait_ms * 1000u)
                wait_ms = (int)((deadline - now + 999) / 1000);
        }
        struct pollfd p = {r->fd, POLLIN, 0};
        int ready = poll(&p, 1, wait_ms);
        if (ready < 0 && errno != EINTR) {
            mi_error_set(err, MI_RESULT_FAILED, "poll on the provider socket: %s", strerror(errno));
            return MI_FRAME_DAMAGED;
        }
        if (ready <= 0)
            continue;
        ssize_t n = recv(r->fd, r->buf + r->end, r->cap - r->end, 0);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n < 0 && errno != ECONNRESET) {
            mi_error_set(err, MI_RESULT_FAILED, "read from the provider socket: %s",
                         strerror(errno));
            return MI_FRAME_DAMAGED;
        }
        if (n <= 0) {
            mi_error_set(err, MI_RESULT_FAILED, "the provider socket was closed");
            return MI_FRAME_CLOSED;
        }
        r->end += (size_t)n;
    }
    return MI_FRAME_OK;
}

mi_frame_status mi_frame_read(mi_frame_reader *r, uint64_t deadline_usec, const int *cancelled,
                              mi_frame_type *type, const unsigned char **payload, size_t *len,
                              mi_error *err)
{
    mi_frame_status s = fill(r, 4, deadline_usec, cancelled, err);
    if (s != MI_FRAME_OK)
        return s;
    const unsigned char *h = r->buf + r->start;
    uint32_t size =
        (uint32_t)h[0] | (uint32_t)h[1] << 8 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 24;
    if (size < 1 || size > MI_FRAME_MAX) {
        mi_error_set(err, MI_RESULT_FAILED, "a provider frame of %u bytes", size);
        return MI_FRAME_DAMAGED;
    }
    s = fill(r, 4 + (size_t)size, deadline_usec, cancelled, err);
    if (s != MI_FRAME_OK)
        return s;
    *type = (mi_frame_type)r->buf[r->start + 4];
    *payload = r->buf + r->start + 5;
    *len = size - 1;
    r->start += 4 + (size_t)size;
    return MI_FRAME_OK;
}

static bool get_le(mi_frame_cursor *c, uint64_t *v, unsigned bytes)
{
    if ((size_t)(c->end - c->p) < bytes)
        return false;
    *v = 0;
    for (unsigned i = 0; i < bytes; i++)
        *v |= (uint64_t)c->p[i] << (8 * i);
    c->p += bytes;
    return true;
}

bool mi_frame_get_u8(mi_frame_cursor *c, uint8_t *v)
{
    uint64_t x;
    if (!get_le(c, &x, 1))
        return false;
    *v = (uint8_t)x;
    return true;
}

bool mi_frame_get_u32(mi_frame_cursor *c, uint32_t *v)
{
    uint64_t x;
    if (!get_le(c, &x, 4))
        return false;
    *v = (uint32_t)x;
    return true;
}

bool mi_frame_get_u64(mi_frame_cursor *c, uint64_t *v)
{
    return get_le(c, v, 8);
}

bool mi_frame_get_string(mi_frame_cursor *c, char **s)
{
    uint32_t n;
    *s = NULL;
    if (!mi_frame_get_u32(c, &n))
        return false;
    if (n == 0)
        return true;
    if ((size_t)(c->end - c->p) < n - 1u || memchr(c->p, 0, n - 1u))
        return false;
    *s = malloc(n);
    if (!*s)
        return false;
    memcpy(*s, c->p, n - 1u);
    (*s)[n - 1u] = '\0';
    c->p += n - 1u;
    return true;
}

bool mi_frame_get_bytes(mi_frame_cursor *c, const unsigned char **data, size_t *len)
{
    uint32_t n;
    if (!mi_frame_get_u32(c, &n) || (size_t)(c->end - c->p) < n)
        return false;
    *data = c->p;
    *len = n;
    c->p += n;
    return true;
}
