/*
 * path — see path.h.
 *
 * The parser is a single left-to-right pass with one byte of look-ahead; every failure
 * reports the column (1-based, in bytes) where the text stopped making sense.
 */
#include "path.h"

#include "instance.h"
#include "name.h"
#include "strbuf.h"
#include "utf8.h"
#include "value.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------------------------------
 * Parsing
 * ------------------------------------------------------------------------------------- */

typedef struct parser {
    const char *text;
    size_t pos;
    mi_error *err;
} parser;

static MI_Result fail_at(parser *p, size_t at, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static MI_Result fail_at(parser *p, size_t at, const char *format, ...)
{
    char what[MI_ERROR_MESSAGE_MAX];
    va_list args;
    va_start(args, format);
    vsnprintf(what, sizeof what, format, args);
    va_end(args);
    return mi_error_set(p->err, MI_RESULT_INVALID_PARAMETER, "invalid object path, column %zu: %s",
                        at + 1, what);
}

/* How the byte at `at` reads in a message: 'c', byte 0xNN, or end of path. */
static const char *describe(const parser *p, size_t at, char buf[16])
{
    unsigned char c = (unsigned char)p->text[at];
    if (c == '\0')
        return "end of path";
    if (c >= 0x20 && c < 0x7F)
        snprintf(buf, 16, "'%c'", c);
    else
        snprintf(buf, 16, "byte 0x%02X", c);
    return buf;
}

static bool ident_start(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c >= 0x80;
}

static bool ident_char(unsigned char c)
{
    return ident_start(c) || (c >= '0' && c <= '9');
}

static bool namespace_char(unsigned char c)
{
    return ident_char(c) || c == '/' || c == '-' || c == '.';
}

static size_t scan_identifier(const char *text, size_t pos)
{
    if (!ident_start((unsigned char)text[pos]))
        return pos;
    while (ident_char((unsigned char)text[pos]))
        pos++;
    return pos;
}

static char *slice(const char *text, size_t from, size_t to)
{
    return strndup(text + from, to - from);
}

static MI_Result parse_escape(parser *p, mi_strbuf *sb)
{
    size_t at = p->pos; /* at the backslash */
    char c = p->text[++p->pos];
    const char *simple = NULL;
    switch (c) {
    case '\\':
        simple = "\\";
        break;
    case '"':
        simple = "\"";
        break;
    case '\'':
        simple = "'";
        break;
    case 'n':
        simple = "\n";
        break;
    case 't':
        simple = "\t";
        break;
    case 'r':
        simple = "\r";
        break;
    case 'b':
        simple = "\b";
        break;
    case 'f':
        simple = "\f";
        break;
    case 'x':
    case 'X': {
        uint32_t cp = 0;
        int n = 0;
        while (n < 4) {
            char h = p->text[p->pos + 1];
            int d = (h >= '0' && h <= '9')   ? h - '0'
                    : (h >= 'a' && h <= 'f') ? h - 'a' + 10
                    : (h >= 'A' && h <= 'F') ? h - 'A' + 10
                                             : -1;
            if (d < 0)
                break;
            cp = cp * 16 + (uint32_t)d;
            p->pos++;
            n++;
        }
        char utf8[4];
        size_t len = cp ? mi_utf8_encode(cp, utf8) : 0;
        if (n == 0 || len == 0)
            return fail_at(p, at,
                           "invalid escape '\\x' (expected 1 to 4 hex digits naming a "
                           "character other than NUL or a surrogate)");
        mi_strbuf_append(sb, utf8, len);
        p->pos++;
        return MI_RESULT_OK;
    }
    case '\0':
        return fail_at(p, at, "unterminated string: the path ends after a backslash");
    default: {
        char buf[16];
        return fail_at(p, at, "invalid escape: backslash followed by %s", describe(p, p->pos, buf));
    }
    }
    mi_strbuf_puts(sb, simple);
    p->pos++;
    return MI_RESULT_OK;
}

static MI_Result parse_string(parser *p, MI_Value *value)
{
    size_t start = p->pos++;
    mi_strbuf sb = MI_STRBUF_INIT;
    mi_strbuf_append(&sb, "", 0);
    for (;;) {
        char c = p->text[p->pos];
        if (c == '"') {
            p->pos++;
            break;
        }
        if (c == '\0') {
            mi_strbuf_free(&sb);
            return fail_at(p, start, "unterminated string (no closing '\"')");
        }
        if (c == '\\') {
            MI_Result r = parse_escape(p, &sb);
            if (r != MI_RESULT_OK) {
                mi_strbuf_free(&sb);
                return r;
            }
            continue;
        }
        mi_strbuf_putc(&sb, c);
        p->pos++;
    }
    value->string = mi_strbuf_take(&sb);
    return value->string ? MI_RESULT_OK : mi_error_nomem(p->err);
}

static MI_Result parse_number(parser *p, MI_Value *value, MI_Type *type)
{
    size_t start = p->pos;
    const char *t = p->text;
    bool negative = t[p->pos] == '-';
    if (t[p->pos] == '-' || t[p->pos] == '+')
        p->pos++;
    size_t digits_at = p->pos;
    bool hex = t[p->pos] == '0' && (t[p->pos + 1] == 'x' || t[p->pos + 1] == 'X');
    if (hex)
        p->pos = digits_at = p->pos + 2;
    size_t end = p->pos;
    while (hex ? strchr("0123456789abcdefABCDEF", t[end]) && t[end]
               : (t[end] >= '0' && t[end] <= '9'))
        end++;
    if (end == digits_at)
        return fail_at(p, start, "expected digits in a number");
    if (!hex && (t[end] == '.' || t[end] == 'e' || t[end] == 'E')) {
        while (strchr("0123456789.eE+-", t[end]) && t[end])
            end++;
        char *copy = slice(t, start, end), *stop;
        if (!copy)
            return mi_error_nomem(p->err);
        double d = strtod(copy, &stop);
        bool complete = *stop == '\0';
        free(copy);
        if (!complete || !isfinite(d))
            return fail_at(p, start, "malformed real number");
        value->real64 = d;
        *type = MI_REAL64;
        p->pos = end;
        return MI_RESULT_OK;
    }
    uint64_t magnitude = 0;
    for (size_t i = digits_at; i < end; i++) {
        char c = t[i];
        unsigned d = (c >= '0' && c <= '9') ? (unsigned)(c - '0')
                     : (c >= 'a')           ? (unsigned)(c - 'a' + 10)
                                            : (unsigned)(c - 'A' + 10);
        unsigned base = hex ? 16 : 10;
        if (magnitude > (UINT64_MAX - d) / base)
            return fail_at(p, start, "integer out of range (beyond 64 bits)");
        magnitude = magnitude * base + d;
    }
    p->pos = end;
    if (negative) {
        if (magnitude > (uint64_t)INT64_MAX + 1)
            return fail_at(p, start, "integer out of range (below -9223372036854775808)");
        value->sint64 = magnitude == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)magnitude;
        *type = MI_SINT64;
    } else if (magnitude <= (uint64_t)INT64_MAX) {
        value->sint64 = (int64_t)magnitude;
        *type = MI_SINT64;
    } else {
        value->uint64 = magnitude;
        *type = MI_UINT64;
    }
    return MI_RESULT_OK;
}

static MI_Result parse_value(parser *p, const char *key, MI_Value *value, MI_Type *type)
{
    unsigned char c = (unsigned char)p->text[p->pos];
    memset(value, 0, sizeof *value);
    if (c == '"') {
        *type = MI_STRING;
        return parse_string(p, value);
    }
    if ((c >= '0' && c <= '9') || c == '-' || c == '+')
        return parse_number(p, value, type);
    size_t end = scan_identifier(p->text, p->pos);
    size_t len = end - p->pos;
    if (len == 4 && strncasecmp(p->text + p->pos, "true", 4) == 0) {
        value->boolean = MI_TRUE;
    } else if (len == 5 && strncasecmp(p->text + p->pos, "false", 5) == 0) {
        value->boolean = MI_FALSE;
    } else {
        char buf[16];
        return fail_at(p, p->pos,
                       "expected a value for key '%s' (a quoted string, a number, "
                       "TRUE or FALSE), found %s",
                       key, describe(p, p->pos, buf));
    }
    *type = MI_BOOLEAN;
    p->pos = end;
    return MI_RESULT_OK;
}

static MI_Result parse_keys(parser *p, MI_Instance *path)
{
    for (;;) {
        size_t name_at = p->pos;
        size_t name_end = scan_identifier(p->text, p->pos);
        char buf[16];
        if (name_end == name_at)
            return fail_at(p, name_at, "expected a key name, found %s", describe(p, name_at, buf));
        char *name = slice(p->text, name_at, name_end);
        if (!name)
            return mi_error_nomem(p->err);
        p->pos = name_end;
        MI_Result r;
        MI_Value value;
        MI_Type type;
        if (p->text[p->pos] != '=') {
            r = fail_at(p, p->pos, "expected '=' after key name '%s', found %s", name,
                        describe(p, p->pos, buf));
        } else if (p->pos++, (r = parse_value(p, name, &value, &type)) == MI_RESULT_OK) {
            r = mi_instance_add_element(path, name, &value, type, MI_FLAG_KEY | MI_FLAG_ADOPT,
                                        NULL);
            if (r == MI_RESULT_ALREADY_EXISTS)
                r = fail_at(p, name_at, "key '%s' is given twice", name);
            else if (r == MI_RESULT_SERVER_LIMITS_EXCEEDED)
                r = mi_error_nomem(p->err);
            if (r != MI_RESULT_OK)
                mi_value_release(&value, type);
        }
        if (r == MI_RESULT_OK && p->text[p->pos] != ',' && p->text[p->pos] != '\0')
            r = fail_at(p, p->pos,
                        "expected ',' or the end of the path after the value of "
                        "key '%s', found %s",
                        name, describe(p, p->pos, buf));
        free(name);
        if (r != MI_RESULT_OK)
            return r;
        if (p->text[p->pos] == '\0')
            return MI_RESULT_OK;
        p->pos++; /* the comma */
    }
}

static MI_Result parse_namespace(parser *p, size_t end, char **out)
{
    size_t start = p->pos;
    if (end == start)
        return fail_at(p, start, "empty namespace before ':'");
    for (size_t i = start; i <= end; i++) {
        if (p->text[i] == '/' && (i == start || p->text[i - 1] == '/'))
            return fail_at(p, i, "empty namespace component");
        if (i == end && p->text[i - 1] == '/')
            return fail_at(p, i, "empty namespace component");
    }
    if (!(*out = slice(p->text, start, end)))
        return mi_error_nomem(p->err);
    p->pos = end + 1;
    return MI_RESULT_OK;
}

static MI_Result parse_prefix(parser *p, char **host, char **ns)
{
    const char *t = p->text;
    if (t[0] == '/' && t[1] == '/') {
        size_t start = 2, end = 2;
        while (t[end] && t[end] != '/' && t[end] != '"' && t[end] != ' ')
            end++;
        if (end == start)
            return fail_at(p, start, "expected a host name after '//'");
        if (t[end] != '/') {
            char buf[16];
            return fail_at(p, end, "expected '/' after the host name, found %s",
                           describe(p, end, buf));
        }
        if (!(*host = slice(t, start, end)))
            return mi_error_nomem(p->err);
        p->pos = end + 1;
        size_t colon = p->pos;
        while (namespace_char((unsigned char)t[colon]))
            colon++;
        if (t[colon] != ':') {
            char buf[16];
            return fail_at(p, colon, "expected ':' after the namespace, found %s",
                           describe(p, colon, buf));
        }
        return parse_namespace(p, colon, ns);
    }
    size_t colon = 0;
    while (namespace_char((unsigned char)t[colon]))
        colon++;
    return t[colon] == ':' ? parse_namespace(p, colon, ns) : MI_RESULT_OK;
}

MI_Result mi_path_parse(MI_Instance **out, const char *text, mi_error *err)
{
    *out = NULL;
    if (!text)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "no object path given");
    size_t bad;
    if (!mi_utf8_valid(text, strlen(text), &bad))
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER,
                            "invalid object path, column %zu: invalid UTF-8", bad + 1);
    parser p = {text, 0, err};
    char *host = NULL, *ns = NULL, *class_name = NULL;
    MI_Instance *path = NULL;
    MI_Result r = parse_prefix(&p, &host, &ns);
    if (r == MI_RESULT_OK) {
        size_t end = scan_identifier(text, p.pos);
        char buf[16];
        if (end == p.pos)
            r = fail_at(&p, p.pos, "expected a class name, found %s", describe(&p, p.pos, buf));
        else if (!(class_name = slice(text, p.pos, end)))
            r = mi_error_nomem(err);
        p.pos = end;
    }
    if (r == MI_RESULT_OK)
        r = mi_instance_new(&path, class_name, NULL, err);
    if (r == MI_RESULT_OK && (MI_Instance_SetNameSpace(path, ns) != MI_RESULT_OK ||
                              MI_Instance_SetServerName(path, host) != MI_RESULT_OK))
        r = mi_error_nomem(err);
    if (r == MI_RESULT_OK) {
        char c = text[p.pos];
        char buf[16];
        if (c == '.') {
            p.pos++;
            r = parse_keys(&p, path);
        } else if (c == '=' && text[p.pos + 1] == '@' && text[p.pos + 2] == '\0') {
            /* a singleton: no keys */
        } else if (c != '\0') {
            r = fail_at(&p, p.pos, "expected '.' and keys after class name '%s', found %s",
                        class_name, describe(&p, p.pos, buf));
        }
    }
    free(host);
    free(ns);
    free(class_name);
    if (r != MI_RESULT_OK) {
        mi_instance_delete(path);
        return r;
    }
    *out = path;
    return MI_RESULT_OK;
}

/* ---------------------------------------------------------------------------------------
 * Key selection, shared by formatting and comparison
 * ------------------------------------------------------------------------------------- */

typedef mi_instance_key key;

/* The keys of inst: elements flagged MI_FLAG_KEY, or, for a dynamic instance with no
 * flagged element, every element (callers build key instances both ways). */
static MI_Result collect_keys(const MI_Instance *inst, key **out, uint32_t *count)
{
    MI_Uint32 n = 0;
    *out = NULL;
    *count = 0;
    if (MI_Instance_GetElementCount(inst, &n) != MI_RESULT_OK)
        return MI_RESULT_INVALID_PARAMETER;
    if (n == 0)
        return MI_RESULT_OK;
    key *keys = calloc(n, sizeof *keys);
    if (!keys)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    uint32_t flagged = 0;
    for (MI_Uint32 i = 0; i < n; i++) {
        key *k = &keys[i];
        MI_Instance_GetElementAt(inst, i, &k->name, &k->value, &k->type, &k->flags);
        if (k->flags & MI_FLAG_KEY)
            keys[flagged++] = *k;
    }
    bool dynamic = mi_instance_is_native(inst) ? mi_instance_class(inst) == NULL : true;
    *count = flagged || !dynamic ? flagged : n;
    if (*count == 0) {
        free(keys);
        keys = NULL;
    }
    *out = keys;
    return MI_RESULT_OK;
}

static int compare_keys(const void *a, const void *b)
{
    return mi_name_compare(((const key *)a)->name, ((const key *)b)->name);
}

/* ---------------------------------------------------------------------------------------
 * Formatting
 * ------------------------------------------------------------------------------------- */

static void put_lower(mi_strbuf *sb, const char *name)
{
    for (const char *c = name; *c; c++)
        mi_strbuf_putc(sb, (*c >= 'A' && *c <= 'Z') ? (char)(*c + 32) : *c);
}

static void put_quoted(mi_strbuf *sb, const char *text)
{
    mi_strbuf_putc(sb, '"');
    for (const char *c = text; *c; c++) {
        if (*c == '"' || *c == '\\')
            mi_strbuf_putc(sb, '\\');
        mi_strbuf_putc(sb, *c);
    }
    mi_strbuf_putc(sb, '"');
}

static MI_Result format_path(mi_strbuf *sb, const MI_Instance *inst, bool canonical, mi_error *err);

static MI_Result format_value(mi_strbuf *sb, const key *k, bool canonical, mi_error *err)
{
    const MI_Value *v = &k->value;
    if (k->flags & MI_FLAG_NULL)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "key '%s' has no value", k->name);
    switch (k->type) {
    case MI_BOOLEAN:
    case MI_UINT8:
    case MI_SINT8:
    case MI_UINT16:
    case MI_SINT16:
    case MI_UINT32:
    case MI_SINT32:
    case MI_UINT64:
    case MI_SINT64:
        mi_value_text(sb, v, k->type, 0, 0);
        return MI_RESULT_OK;
    case MI_REAL32:
    case MI_REAL64: {
        double d = k->type == MI_REAL32 ? (double)v->real32 : v->real64;
        if (!isfinite(d))
            return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "key '%s' is not a finite number",
                                k->name);
        char text[40];
        snprintf(text, sizeof text, "%.17g", d);
        mi_strbuf_puts(sb, text);
        if (!strpbrk(text, ".eE"))
            mi_strbuf_puts(sb, ".0"); /* stays a real when parsed again */
        return MI_RESULT_OK;
    }
    case MI_CHAR16: {
        char utf8[5] = {0};
        if (!mi_utf8_encode(v->char16, utf8) || v->char16 == 0)
            return mi_error_set(err, MI_RESULT_INVALID_PARAMETER,
                                "key '%s' holds an invalid char16", k->name);
        put_quoted(sb, utf8);
        return MI_RESULT_OK;
    }
    case MI_DATETIME: {
        char text[26];
        mi_datetime_format(&v->datetime, text);
        put_quoted(sb, text);
        return MI_RESULT_OK;
    }
    case MI_STRING:
        put_quoted(sb, v->string ? v->string : "");
        return MI_RESULT_OK;
    case MI_REFERENCE: {
        mi_strbuf inner = MI_STRBUF_INIT;
        MI_Result r = v->reference ? format_path(&inner, v->reference, canonical, err)
                                   : mi_error_set(err, MI_RESULT_INVALID_PARAMETER,
                                                  "key '%s' has no value", k->name);
        char *text = r == MI_RESULT_OK ? mi_strbuf_take(&inner) : NULL;
        mi_strbuf_free(&inner);
        if (r == MI_RESULT_OK && !text)
            r = mi_error_nomem(err);
        if (text)
            put_quoted(sb, text);
        free(text);
        return r;
    }
    default:
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER,
                            "key '%s' has type %s, which cannot be a key", k->name,
                            mi_type_name(k->type));
    }
}

static MI_Result format_path(mi_strbuf *sb, const MI_Instance *inst, bool canonical, mi_error *err)
{
    const MI_Char *class_name = NULL;
    if (MI_Instance_GetClassName(inst, &class_name) != MI_RESULT_OK || !class_name)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "instance has no class name");
    key *keys;
    uint32_t count;
    if (collect_keys(inst, &keys, &count) != MI_RESULT_OK)
        return mi_error_nomem(err);
    if (canonical) {
        if (count > 1)
            qsort(keys, count, sizeof *keys, compare_keys);
        put_lower(sb, class_name);
    } else {
        if (inst->serverName && inst->nameSpace)
            mi_strbuf_printf(sb, "//%s/", inst->serverName);
        if (inst->nameSpace)
            mi_strbuf_printf(sb, "%s:", inst->nameSpace);
        mi_strbuf_puts(sb, class_name);
    }
    MI_Result r = MI_RESULT_OK;
    for (uint32_t i = 0; r == MI_RESULT_OK && i < count; i++) {
        mi_strbuf_putc(sb, i == 0 ? '.' : ',');
        if (canonical)
            put_lower(sb, keys[i].name);
        else
            mi_strbuf_puts(sb, keys[i].name);
        mi_strbuf_putc(sb, '=');
        r = format_value(sb, &keys[i], canonical, err);
    }
    free(keys);
    return r;
}

static MI_Result format_to_string(char **out, const MI_Instance *inst, bool canonical,
                                  mi_error *err)
{
    *out = NULL;
    if (!inst || !inst->ft)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "no instance given");
    mi_strbuf sb = MI_STRBUF_INIT;
    MI_Result r = format_path(&sb, inst, canonical, err);
    if (r != MI_RESULT_OK) {
        mi_strbuf_free(&sb);
        return r;
    }
    *out = mi_strbuf_take(&sb);
    return *out ? MI_RESULT_OK : mi_error_nomem(err);
}

MI_Result mi_path_format(char **out, const MI_Instance *inst, mi_error *err)
{
    return format_to_string(out, inst, false, err);
}

MI_Result mi_path_canonical(char **out, const MI_Instance *inst, mi_error *err)
{
    return format_to_string(out, inst, true, err);
}

MI_Result mi_path_of_instance(MI_Instance **out, const MI_Instance *inst, mi_error *err)
{
    *out = NULL;
    const MI_Char *class_name = NULL;
    if (!inst || MI_Instance_GetClassName(inst, &class_name) != MI_RESULT_OK || !class_name)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "instance has no class name");
    key *keys;
    uint32_t count;
    if (collect_keys(inst, &keys, &count) != MI_RESULT_OK)
        return mi_error_nomem(err);
    MI_Instance *path;
    MI_Result r = mi_instance_new_keys(&path, class_name, keys, count, inst->nameSpace, err);
    if (r == MI_RESULT_OK && inst->serverName)
        r = MI_Instance_SetServerName(path, inst->serverName);
    free(keys);
    if (r != MI_RESULT_OK) {
        if (path)
            mi_instance_delete(path);
        return r == MI_RESULT_SERVER_LIMITS_EXCEEDED ? mi_error_nomem(err) : r;
    }
    *out = path;
    return MI_RESULT_OK;
}

MI_Result mi_path_hash(uint64_t *out, const MI_Instance *inst, mi_error *err)
{
    char *text;
    MI_Result r = mi_path_canonical(&text, inst, err);
    if (r != MI_RESULT_OK)
        return r;
    uint64_t h = 14695981039346656037ull;
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        h ^= *c;
        h *= 1099511628211ull;
    }
    free(text);
    *out = h;
    return MI_RESULT_OK;
}

/* ---------------------------------------------------------------------------------------
 * Typed comparison
 * ------------------------------------------------------------------------------------- */

static bool is_integer(MI_Type t)
{
    return t >= MI_UINT8 && t <= MI_SINT64;
}

/* An integer value as sign and magnitude, whatever its width. */
static void integer_of(const MI_Value *v, MI_Type t, bool *negative, uint64_t *magnitude)
{
    int64_t s = 0;
    uint64_t u = 0;
    bool is_signed = true;
    switch (t) {
    case MI_UINT8:
        u = v->uint8, is_signed = false;
        break;
    case MI_UINT16:
        u = v->uint16, is_signed = false;
        break;
    case MI_UINT32:
        u = v->uint32, is_signed = false;
        break;
    case MI_UINT64:
        u = v->uint64, is_signed = false;
        break;
    case MI_SINT8:
        s = v->sint8;
        break;
    case MI_SINT16:
        s = v->sint16;
        break;
    case MI_SINT32:
        s = v->sint32;
        break;
    default:
        s = v->sint64;
        break;
    }
    if (is_signed) {
        *negative = s < 0;
        *magnitude = s < 0 ? (uint64_t)(-(s + 1)) + 1 : (uint64_t)s;
    } else {
        *negative = false;
        *magnitude = u;
    }
}

static bool reference_equals_text(const MI_Instance *ref, const char *text)
{
    MI_Instance *parsed;
    if (!text || mi_path_parse(&parsed, text, NULL) != MI_RESULT_OK)
        return false;
    bool same = mi_path_equal(ref, parsed);
    mi_instance_delete(parsed);
    return same;
}

static bool key_values_equal(const key *a, const key *b)
{
    if ((a->flags & MI_FLAG_NULL) || (b->flags & MI_FLAG_NULL))
        return (a->flags & MI_FLAG_NULL) && (b->flags & MI_FLAG_NULL);
    if (is_integer(a->type) && is_integer(b->type)) {
        bool na, nb;
        uint64_t ma, mb;
        integer_of(&a->value, a->type, &na, &ma);
        integer_of(&b->value, b->type, &nb, &mb);
        return na == nb && ma == mb;
    }
    if (a->type == MI_REFERENCE && b->type == MI_STRING)
        return reference_equals_text(a->value.reference, b->value.string);
    if (a->type == MI_STRING && b->type == MI_REFERENCE)
        return reference_equals_text(b->value.reference, a->value.string);
    if (a->type != b->type)
        return false;
    return mi_value_equal(&a->value, &b->value, a->type);
}

bool mi_path_equal(const MI_Instance *a, const MI_Instance *b)
{
    const MI_Char *ca = NULL, *cb = NULL;
    if (MI_Instance_GetClassName(a, &ca) || MI_Instance_GetClassName(b, &cb) || !ca || !cb ||
        !mi_name_equal(ca, cb))
        return false;
    if (a->nameSpace && b->nameSpace && !mi_name_equal(a->nameSpace, b->nameSpace))
        return false;
    key *ka, *kb;
    uint32_t na, nb;
    if (collect_keys(a, &ka, &na) != MI_RESULT_OK)
        return false;
    if (collect_keys(b, &kb, &nb) != MI_RESULT_OK) {
        free(ka);
        return false;
    }
    bool same = na == nb;
    if (same && na > 1) {
        qsort(ka, na, sizeof *ka, compare_keys);
        qsort(kb, nb, sizeof *kb, compare_keys);
    }
    if (same) {
        for (uint32_t i = 0; same && i < na; i++)
            same = mi_name_equal(ka[i].name, kb[i].name) && key_values_equal(&ka[i], &kb[i]);
    }
    free(ka);
    free(kb);
    return same;
}

/* ---------------------------------------------------------------------------------------
 * Resolution against a class
 * ------------------------------------------------------------------------------------- */

typedef struct resolver {
    mi_class_lookup lookup;
    void *context;
    mi_error *err;
    int depth;
} resolver;

#define MAX_REFERENCE_DEPTH 16

static MI_Result resolve_path(resolver *rs, MI_Instance *path, const mi_class *cls);

static bool parse_decimal_text(const char *text, bool *negative, uint64_t *magnitude)
{
    parser p = {text, 0, NULL};
    MI_Value v;
    MI_Type t;
    if (!text || !*text || parse_number(&p, &v, &t) != MI_RESULT_OK || text[p.pos] != '\0' ||
        t == MI_REAL64)
        return false;
    integer_of(&v, t, negative, magnitude);
    return true;
}

static MI_Result to_integer(resolver *rs, const char *cls, const key *k, MI_Type target,
                            MI_Value *out)
{
    bool negative;
    uint64_t magnitude;
    if (is_integer(k->type))
        integer_of(&k->value, k->type, &negative, &magnitude);
    else if (!(k->type == MI_STRING && parse_decimal_text(k->value.string, &negative, &magnitude)))
        return mi_error_set(rs->err, MI_RESULT_INVALID_PARAMETER,
                            "key %s.%s expects %s, not a %s value", cls, k->name,
                            mi_type_name(target), mi_type_name(k->type));
    static const unsigned bits[] = {
        [MI_UINT8] = 8,   [MI_SINT8] = 8,   [MI_UINT16] = 16, [MI_SINT16] = 16,
        [MI_UINT32] = 32, [MI_SINT32] = 32, [MI_UINT64] = 64, [MI_SINT64] = 64};
    unsigned width = bits[target];
    bool is_signed =
        target == MI_SINT8 || target == MI_SINT16 || target == MI_SINT32 || target == MI_SINT64;
    uint64_t max =
        is_signed ? (1ull << (width - 1)) - 1 : (width == 64 ? UINT64_MAX : (1ull << width) - 1);
    bool fits = negative ? is_signed && magnitude <= max + 1 : magnitude <= max;
    if (!fits)
        return mi_error_set(
            rs->err, MI_RESULT_INVALID_PARAMETER, "key %s.%s: %s%llu is out of range for %s", cls,
            k->name, negative ? "-" : "", (unsigned long long)magnitude, mi_type_name(target));
    int64_t s = negative ? (magnitude == (1ull << 63) ? INT64_MIN : -(int64_t)magnitude)
                         : (int64_t)magnitude;
    memset(out, 0, sizeof *out);
    switch (target) {
    case MI_UINT8:
        out->uint8 = (MI_Uint8)magnitude;
        break;
    case MI_SINT8:
        out->sint8 = (MI_Sint8)s;
        break;
    case MI_UINT16:
        out->uint16 = (MI_Uint16)magnitude;
        break;
    case MI_SINT16:
        out->sint16 = (MI_Sint16)s;
        break;
    case MI_UINT32:
        out->uint32 = (MI_Uint32)magnitude;
        break;
    case MI_SINT32:
        out->sint32 = (MI_Sint32)s;
        break;
    case MI_UINT64:
        out->uint64 = magnitude;
        break;
    default:
        out->sint64 = s;
        break;
    }
    return MI_RESULT_OK;
}

static MI_Result to_reference(resolver *rs, const char *cls, const key *k, const mi_property *prop,
                              MI_Value *out)
{
    MI_Instance *target = NULL;
    MI_Result r;
    if (k->type == MI_STRING) {
        mi_error inner;
        r = mi_path_parse(&target, k->value.string, &inner);
        if (r != MI_RESULT_OK)
            return mi_error_set(rs->err, r, "key %s.%s: %s", cls, k->name, inner.message);
    } else if (k->type == MI_REFERENCE && k->value.reference) {
        if (mi_instance_clone(k->value.reference, &target) != MI_RESULT_OK)
            return mi_error_nomem(rs->err);
    } else {
        return mi_error_set(rs->err, MI_RESULT_INVALID_PARAMETER,
                            "key %s.%s expects a reference, not a %s value", cls, k->name,
                            mi_type_name(k->type));
    }
    const char *target_class = mi_instance_class_name(target);
    const mi_class *target_cls = rs->lookup ? rs->lookup(rs->context, target_class) : NULL;
    r = MI_RESULT_OK;
    if (target_cls && prop->ref_class && !mi_class_is_a(target_cls, prop->ref_class))
        r = mi_error_set(rs->err, MI_RESULT_INVALID_PARAMETER,
                         "key %s.%s refers to a %s, which is not a %s", cls, k->name, target_class,
                         prop->ref_class);
    else if (target_cls)
        r = resolve_path(rs, target, target_cls);
    if (r != MI_RESULT_OK) {
        mi_instance_delete(target);
        return r;
    }
    out->reference = target;
    return MI_RESULT_OK;
}

static MI_Result convert_key(resolver *rs, const char *cls, const key *k, const mi_property *prop,
                             MI_Value *out)
{
    MI_Type target = prop->type;
    memset(out, 0, sizeof *out);
    if (k->flags & MI_FLAG_NULL)
        return mi_error_set(rs->err, MI_RESULT_INVALID_PARAMETER, "key %s.%s has no value", cls,
                            k->name);
    if (is_integer(target))
        return to_integer(rs, cls, k, target, out);
    if (target == MI_REFERENCE)
        return to_reference(rs, cls, k, prop, out);
    if (target == MI_BOOLEAN && k->type == MI_STRING && k->value.string &&
        (!strcasecmp(k->value.string, "true") || !strcasecmp(k->value.string, "false"))) {
        out->boolean = !strcasecmp(k->value.string, "true");
        return MI_RESULT_OK;
    }
    if ((target == MI_REAL32 || target == MI_REAL64) &&
        (k->type == MI_REAL64 || k->type == MI_REAL32 || is_integer(k->type))) {
        double d;
        if (is_integer(k->type)) {
            bool negative;
            uint64_t magnitude;
            integer_of(&k->value, k->type, &negative, &magnitude);
            d = negative ? -(double)magnitude : (double)magnitude;
        } else {
            d = k->type == MI_REAL64 ? k->value.real64 : (double)k->value.real32;
        }
        if (target == MI_REAL32)
            out->real32 = (MI_Real32)d;
        else
            out->real64 = d;
        return MI_RESULT_OK;
    }
    if (target == MI_DATETIME && k->type == MI_STRING && k->value.string &&
        mi_datetime_parse(k->value.string, &out->datetime))
        return MI_RESULT_OK;
    if (target == MI_CHAR16 && k->type == MI_STRING && k->value.string) {
        const unsigned char *s = (const unsigned char *)k->value.string;
        size_t len = strlen(k->value.string);
        size_t n = mi_utf8_sequence_length(s, len);
        if (n && n == len && n < 4) {
            uint32_t cp = n == 1   ? s[0]
                          : n == 2 ? (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F)
                                   : (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 |
                                         (s[2] & 0x3F);
            out->char16 = (MI_Char16)cp;
            return MI_RESULT_OK;
        }
    }
    if (target == k->type && target != MI_INSTANCE && !MI_TYPE_IS_ARRAY(target))
        return mi_value_copy(out, &k->value, target) == MI_RESULT_OK ? MI_RESULT_OK
                                                                     : mi_error_nomem(rs->err);
    return mi_error_set(rs->err, MI_RESULT_INVALID_PARAMETER,
                        "key %s.%s expects %s, not a %s value", cls, k->name, mi_type_name(target),
                        mi_type_name(k->type));
}

static MI_Result resolve_path(resolver *rs, MI_Instance *path, const mi_class *cls)
{
    if (++rs->depth > MAX_REFERENCE_DEPTH)
        return mi_error_set(rs->err, MI_RESULT_INVALID_PARAMETER,
                            "object path nests references more than %d deep", MAX_REFERENCE_DEPTH);
    MI_Uint32 count = 0;
    MI_Instance_GetElementCount(path, &count);
    for (MI_Uint32 i = 0; i < count; i++) {
        key k;
        MI_Instance_GetElementAt(path, i, &k.name, &k.value, &k.type, &k.flags);
        const mi_property *prop = mi_class_find_property(cls, k.name, NULL);
        if (!prop || !(prop->flags & MI_FLAG_KEY))
            return mi_error_set(rs->err, MI_RESULT_INVALID_PARAMETER,
                                "'%s' is not a key of class %s", k.name, cls->name);
        MI_Value converted;
        MI_Result r = convert_key(rs, cls->name, &k, prop, &converted);
        if (r != MI_RESULT_OK)
            return r;
        r = mi_instance_retype_element(path, i, prop->name, prop->type, &converted);
        if (r != MI_RESULT_OK) {
            mi_value_release(&converted, prop->type);
            if (r == MI_RESULT_SERVER_LIMITS_EXCEEDED)
                return mi_error_nomem(rs->err);
            return mi_error_set(rs->err, MI_RESULT_INVALID_PARAMETER,
                                "object path for %s is not a key instance", cls->name);
        }
    }
    if (count != cls->key_count) {
        for (uint32_t i = 0; i < cls->property_count; i++) {
            const mi_property *p = &cls->properties[i];
            if ((p->flags & MI_FLAG_KEY) &&
                MI_Instance_GetElement(path, p->name, NULL, NULL, NULL, NULL) != MI_RESULT_OK)
                return mi_error_set(rs->err, MI_RESULT_INVALID_PARAMETER,
                                    "key '%s' of class %s is missing", p->name, cls->name);
        }
    }
    rs->depth--;
    return MI_RESULT_OK;
}

MI_Result mi_path_resolve(MI_Instance *path, const mi_class *cls, mi_class_lookup lookup,
                          void *context, mi_error *err)
{
    if (!mi_instance_is_native(path) || mi_instance_class(path) || !cls)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER,
                            "only a parsed object path can be resolved against a class");
    resolver rs = {lookup, context, err, 0};
    return resolve_path(&rs, path, cls);
}
