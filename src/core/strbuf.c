/*
 * strbuf — see strbuf.h.
 */
#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool reserve(mi_strbuf *sb, size_t extra)
{
    if (sb->failed)
        return false;
    if (sb->len + extra + 1 <= sb->cap)
        return true;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < sb->len + extra + 1)
        cap *= 2;
    char *data = realloc(sb->data, cap);
    if (!data) {
        sb->failed = true;
        return false;
    }
    sb->data = data;
    sb->cap = cap;
    return true;
}

void mi_strbuf_append(mi_strbuf *sb, const char *text, size_t len)
{
    if (!reserve(sb, len))
        return;
    memcpy(sb->data + sb->len, text, len);
    sb->len += len;
    sb->data[sb->len] = '\0';
}

void mi_strbuf_puts(mi_strbuf *sb, const char *text)
{
    mi_strbuf_append(sb, text, strlen(text));
}

void mi_strbuf_putc(mi_strbuf *sb, char c)
{
    mi_strbuf_append(sb, &c, 1);
}

void mi_strbuf_printf(mi_strbuf *sb, const char *format, ...)
{
    char small[64];
    va_list args;
    va_start(args, format);
    int n = vsnprintf(small, sizeof small, format, args);
    va_end(args);
    if (n < 0) {
        sb->failed = true;
        return;
    }
    if ((size_t)n < sizeof small) {
        mi_strbuf_append(sb, small, (size_t)n);
        return;
    }
    if (!reserve(sb, (size_t)n))
        return;
    va_start(args, format);
    vsnprintf(sb->data + sb->len, (size_t)n + 1, format, args);
    va_end(args);
    sb->len += (size_t)n;
}

char *mi_strbuf_take(mi_strbuf *sb)
{
    if (!reserve(sb, 0)) {
        mi_strbuf_free(sb);
        return NULL;
    }
    char *text = sb->data;
    sb->data = NULL;
    sb->len = sb->cap = 0;
    return text;
}

void mi_strbuf_free(mi_strbuf *sb)
{
    free(sb->data);
    sb->data = NULL;
    sb->len = sb->cap = 0;
    sb->failed = false;
}

void mi_strbuf_put_xml(mi_strbuf *out, const char *text)
{
    const char *run = text;
    for (const char *p = text; *p; p++) {
        const char *entity = NULL;
        switch (*p) {
        case '<':
            entity = "&lt;";
            break;
        case '>':
            entity = "&gt;";
            break;
        case '&':
            entity = "&amp;";
            break;
        case '"':
            entity = "&quot;";
            break;
        case '\'':
            entity = "&apos;";
            break;
        case '\r':
            entity = "&#13;";
            break;
        default:
            break;
        }
        if (entity) {
            mi_strbuf_append(out, run, (size_t)(p - run));
            mi_strbuf_puts(out, entity);
            run = p + 1;
        }
    }
    mi_strbuf_puts(out, run);
}

void mi_strbuf_clear(mi_strbuf *sb)
{
    sb->len = 0;
    if (sb->data)
        sb->data[0] = '\0';
}
