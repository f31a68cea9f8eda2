/*
 * The framing between mid and a provider host: frames written in pieces arrive whole,
 * fields read back as written, and a short, oversize or damaged frame, a closed peer, a
 * deadline and a cancel each end a read with their own status, never a read past the
 * payload.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine/request.h"
#include "provider/frame.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void pair(int sv[2])
{
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
}

static void fields_round_trip(void **state)
{
    (void)state;
    int sv[2];
    pair(sv);
    mi_bytes out = {0};
    for (int i = 0; i < 3; i++) {
        size_t f = mi_frame_begin(&out, MI_FRAME_REQUEST);
        mi_frame_put_u8(&out, (uint8_t)(200 + i));
        mi_frame_put_u32(&out, 0xdeadbeefu);
        mi_frame_put_u64(&out, 0x0102030405060708ull + (uint64_t)i);
        mi_frame_put_string(&out, "root/cimv2");
        mi_frame_put_string(&out, NULL);
        mi_frame_put_string(&out, "");
        mi_frame_put_bytes(&out, "\0\1\2", 3);
        mi_frame_end(&out, f);
    }
    mi_error err = {0};
    assert_int_equal(mi_frame_send(sv[0], &out, &err), MI_RESULT_OK);
    assert_int_equal(out.len, 0);
    mi_frame_reader r;
    mi_frame_reader_init(&r, sv[1]);
    for (int i = 0; i < 3; i++) {
        mi_frame_type type;
        const unsigned char *payload;
        size_t len;
        assert_int_equal(mi_frame_read(&r, 0, NULL, &type, &payload, &len, &err), MI_FRAME_OK);
        assert_int_equal(type, MI_FRAME_REQUEST);
        mi_frame_cursor c = {payload, payload + len};
        uint8_t u8;
        uint32_t u32;
        uint64_t u64;
        char *ns, *none, *empty;
        const unsigned char *bytes;
        size_t n;
        assert_true(mi_frame_get_u8(&c, &u8));
        assert_int_equal(u8, 200 + i);
        assert_true(mi_frame_get_u32(&c, &u32));
        assert_int_equal(u32, 0xdeadbeefu);
        assert_true(mi_frame_get_u64(&c, &u64));
        assert_true(u64 == 0x0102030405060708ull + (uint64_t)i);
        assert_true(mi_frame_get_string(&c, &ns));
        assert_string_equal(ns, "root/cimv2");
        assert_true(mi_frame_get_string(&c, &none));
        assert_null(none);
        assert_true(mi_frame_get_string(&c, &empty));
        assert_string_equal(empty, "");
        assert_true(mi_frame_get_bytes(&c, &bytes, &n));
        assert_int_equal(n, 3);
        assert_memory_equal(bytes, "\0\1\2", 3);
        assert_false(mi_frame_get_u8(&c, &u8)); /* the payload's end */
        free(ns);
        free(empty);
    }
    mi_frame_reader_free(&r);
    mi_bytes_free(&out);
    close(sv[0]);
    close(sv[1]);
}

static void a_large_frame_arrives_whole(void **state)
{
    (void)state;
    int sv[2];
    pair(sv);
    size_t size = 3u << 20;
    unsigned char *big = malloc(size);
    assert_non_null(big);
    for (size_t i = 0; i < size; i++)
        big[i] = (unsigned char)(i * 7);
    pid_t writer = fork();
    assert_true(writer >= 0);
    if (writer == 0) { /* the socket holds less than the frame: write from elsewhere */
        mi_bytes out = {0};
        size_t f = mi_frame_begin(&out, MI_FRAME_INSTANCE);
        mi_frame_put_bytes(&out, big, size);
        mi_frame_end(&out, f);
        mi_error err = {0};
        _exit(mi_frame_send(sv[0], &out, &err) == MI_RESULT_OK ? 0 : 1);
    }
    mi_frame_reader r;
    mi_frame_reader_init(&r, sv[1]);
    mi_frame_type type;
    const unsigned char *payload, *bytes;
    size_t len, n;
    mi_error err = {0};
    assert_int_equal(mi_frame_read(&r, 0, NULL, &type, &payload, &len, &err), MI_FRAME_OK);
    mi_frame_cursor c = {payload, payload + len};
    assert_true(mi_frame_get_bytes(&c, &bytes, &n));
    assert_int_equal(n, size);
    assert_memory_equal(bytes, big, size);
    mi_frame_reader_free(&r);
    free(big);
    close(sv[0]);
    close(sv[1]);
}

static mi_frame_status read_raw(const void *data, size_t size, bool close_after, uint64_t deadline,
                                const int *cancelled)
{
    int sv[2];
    pair(sv);
    assert_int_equal(write(sv[0], data, size), (ssize_t)size);
    if (close_after)
        close(sv[0]);
    mi_frame_reader r;
    mi_frame_reader_init(&r, sv[1]);
    mi_frame_type type;
    const unsigned char *payload;
    size_t len;
    mi_error err = {0};
    mi_frame_status s = mi_frame_read(&r, deadline, cancelled, &type, &payload, &len, &err);
    if (s != MI_FRAME_OK)
        assert_true(err.message[0] != '\0');
    mi_frame_reader_free(&r);
    if (!close_after)
        close(sv[0]);
    close(sv[1]);
    return s;
}

static void bad_frames_end_the_read(void **state)
{
    (void)state;
    static const unsigned char empty[] = {0, 0, 0, 0};
    static const unsigned char oversize[] = {0xff, 0xff, 0xff, 0x7f, 4};
    static const unsigned char truncated[] = {10, 0, 0, 0, 4, 1, 2};
    static const unsigned char whole[] = {2, 0, 0, 0, 4, 9};
    assert_int_equal(read_raw(empty, sizeof empty, true, 0, NULL), MI_FRAME_DAMAGED);
    assert_int_equal(read_raw(oversize, sizeof oversize, true, 0, NULL), MI_FRAME_DAMAGED);
    assert_int_equal(read_raw(truncated, sizeof truncated, true, 0, NULL), MI_FRAME_CLOSED);
    assert_int_equal(read_raw(truncated, 0, true, 0, NULL), MI_FRAME_CLOSED);
    assert_int_equal(read_raw(whole, sizeof whole, true, 0, NULL), MI_FRAME_OK);
    uint64_t soon = mi_request_now_usec() + 50000;
    assert_int_equal(read_raw(truncated, sizeof truncated, false, soon, NULL), MI_FRAME_TIMED_OUT);
    int cancelled = 1;
    assert_int_equal(read_raw(truncated, sizeof truncated, false, 0, &cancelled),
                     MI_FRAME_CANCELLED);
}

static void fields_past_the_payload_fail(void **state)
{
    (void)state;
    /* a string and a byte run claiming more than there is, a string with a NUL inside */
    static const unsigned char long_string[] = {9, 0, 0, 0, 'a', 'b'};
    static const unsigned char long_bytes[] = {5, 0, 0, 0, 1};
    static const unsigned char nul_inside[] = {4, 0, 0, 0, 'a', 0, 'b'};
    char *s = (char *)"untouched";
    mi_frame_cursor c = {long_string, long_string + sizeof long_string};
    assert_false(mi_frame_get_string(&c, &s));
    assert_null(s);
    c = (mi_frame_cursor){nul_inside, nul_inside + sizeof nul_inside};
    assert_false(mi_frame_get_string(&c, &s));
    const unsigned char *bytes;
    size_t n;
    c = (mi_frame_cursor){long_bytes, long_bytes + sizeof long_bytes};
    assert_false(mi_frame_get_bytes(&c, &bytes, &n));
    uint64_t u64;
    c = (mi_frame_cursor){long_bytes, long_bytes + 3};
    assert_false(mi_frame_get_u64(&c, &u64));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fields_round_trip),
        cmocka_unit_test(a_large_frame_arrives_whole),
        cmocka_unit_test(bad_frames_end_the_read),
        cmocka_unit_test(fields_past_the_payload_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
