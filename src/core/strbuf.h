/*
 * strbuf — a growable NUL-terminated string for building text (paths, messages).
 *
 * A failed allocation sets `failed` and turns every later append into a no-op, so
 * callers append freely and check once at the end.
 */
#ifndef MI_CORE_STRBUF_H
#define MI_CORE_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct mi_strbuf {
    char *data;
    size_t len;
    size_t cap;
    bool failed;
} mi_strbuf;

#define MI_STRBUF_INIT                                                                             \
    {                                                                                              \
        NULL, 0, 0, false                                                                          \
    }

void mi_strbuf_append(mi_strbuf *sb, const char *text, size_t len);
void mi_strbuf_puts(mi_strbuf *sb, const char *text);
void mi_strbuf_putc(mi_strbuf *sb, char c);
void mi_strbuf_printf(mi_strbuf *sb, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* The built string, now owned by the caller (never NULL unless `failed`); the buffer is
 * left empty. Returns NULL and frees everything when an append failed. */
char *mi_strbuf_take(mi_strbuf *sb);

/* Empties the text, keeping the storage. */
void mi_strbuf_clear(mi_strbuf *sb);

/* Appends text escaped for XML character data and attribute values (< > & " ' and CR
 * as references). */
void mi_strbuf_put_xml(mi_strbuf *sb, const char *text);

void mi_strbuf_free(mi_strbuf *sb);

#endif
