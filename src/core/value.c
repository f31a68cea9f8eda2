/*
 * value — see value.h.
 */
#include "value.h"

#include "instance.h"
#include "path.h"
#include "utf8.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <stdint.h>
#include <strings.h>
#include <string.h>

static const char *const scalar_names[] = {
    "boolean", "uint8",  "sint8",  "uint16", "sint16",   "uint32", "sint32",    "uint64",
    "sint64",  "real32", "real64", "char16", "datetime", "string", "reference", "instance",
};
static const char *const array_names[] = {
    "boolean[]",  "uint8[]",  "sint8[]",     "uint16[]",   "sint16[]", "uint32[]",
    "sint32[]",   "uint64[]", "sint64[]",    "real32[]",   "real64[]", "char16[]",
    "datetime[]", "string[]", "reference[]", "instance[]",
};

bool mi_type_valid(MI_Type type)
{
    return (unsigned)type <= MI_INSTANCEA;
}

const char *mi_type_name(MI_Type type)
{
    if (!mi_type_valid(type))
        return "invalid";
    return MI_TYPE_IS_ARRAY(type) ? array_names[MI_TYPE_SCALAR(type)] : scalar_names[type];
}

size_t mi_type_size(MI_Type scalar)
{
    switch (scalar) {
    case MI_BOOLEAN:
        return sizeof(MI_Boolean);
    case MI_UINT8:
    case MI_SINT8:
        return 1;
    case MI_UINT16:
    case MI_SINT16:
    case MI_CHAR16:
        return 2;
    case MI_UINT32:
    case MI_SINT32:
    case MI_REAL32:
        return 4;
    case MI_UINT64:
    case MI_SINT64:
    case MI_REAL64:
        return 8;
    case MI_DATETIME:
        return sizeof(MI_Datetime);
    case MI_STRING:
        return sizeof(MI_Char *);
    default:
        return sizeof(MI_Instance *);
    }
}

static MI_Result copy_pointer_element(void *dst, const void *src, MI_Type scalar)
{
    if (scalar == MI_STRING) {
        const char *s = *(const char *const *)src;
        char *copy = NULL;
        if (s && !(copy = strdup(s)))
            return MI_RESULT_SERVER_LIMITS_EXCEEDED;
        *(char **)dst = copy;
        return MI_RESULT_OK;
    }
    const MI_Instance *inst = *(const MI_Instance *const *)src;
    MI_Instance *copy = NULL;
    if (inst) {
        MI_Result r = mi_instance_clone(inst, &copy);
        if (r != MI_RESULT_OK)
            return r;
    }
    *(MI_Instance **)dst = copy;
    return MI_RESULT_OK;
}

static void release_pointer_element(void *element, MI_Type scalar)
{
    if (scalar == MI_STRING)
        free(*(char **)element);
    else if (*(MI_Instance **)element)
        mi_instance_delete(*(MI_Instance **)element);
}

static bool holds_pointers(MI_Type scalar)
{
    return scalar == MI_STRING || scalar == MI_REFERENCE || scalar == MI_INSTANCE;
}

MI_Result mi_value_copy(MI_Value *dst, const MI_Value *src, MI_Type type)
{
    MI_Type scalar = MI_TYPE_SCALAR(type);
    memset(dst, 0, sizeof *dst);
    if (!MI_TYPE_IS_ARRAY(type)) {
        if (holds_pointers(scalar))
            return copy_pointer_element(&dst->string, &src->string, scalar);
        *dst = *src;
        return MI_RESULT_OK;
    }
    size_t size = mi_type_size(scalar);
    uint32_t count = src->array.size;
    if (count == 0)
        return MI_RESULT_OK;
    if (!src->array.data)
        return MI_RESULT_INVALID_PARAMETER;
    char *data = calloc(count, size);
    if (!data)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    if (!holds_pointers(scalar)) {
        memcpy(data, src->array.data, (size_t)count * size);
    } else {
        for (uint32_t i = 0; i < count; i++) {
            MI_Result r = copy_pointer_element(data + i * size,
                                               (const char *)src->array.data + i * size, scalar);
            if (r != MI_RESULT_OK) {
                for (uint32_t j = 0; j < i; j++)
                    release_pointer_element(data + j * size, scalar);
                free(data);
                return r;
            }
        }
    }
    dst->array.data = data;
    dst->array.size = count;
    return MI_RESULT_OK;
}

void mi_value_release(MI_Value *value, MI_Type type)
{
    MI_Type scalar = MI_TYPE_SCALAR(type);
    if (!MI_TYPE_IS_ARRAY(type)) {
        if (holds_pointers(scalar))
            release_pointer_element(&value->string, scalar);
    } else {
        if (holds_pointers(scalar) && value->array.data) {
            size_t size = mi_type_size(scalar);
            for (uint32_t i = 0; i < value->array.size; i++)
                release_pointer_element((char *)value->array.data + i * size, scalar);
        }
        free(value->array.data);
    }
    memset(value, 0, sizeof *value);
}

static bool datetime_equal(const MI_Datetime *a, const MI_Datetime *b)
{
    char ta[26], tb[26];
    mi_datetime_format(a, ta);
    mi_datetime_format(b, tb);
    return strcmp(ta, tb) == 0;
}

static bool element_equal(const void *a, const void *b, MI_Type scalar)
{
    switch (scalar) {
    case MI_BOOLEAN:
        return (*(const MI_Boolean *)a != 0) == (*(const MI_Boolean *)b != 0);
    case MI_REAL32:
        return *(const MI_Real32 *)a == *(const MI_Real32 *)b;
    case MI_REAL64:
        return *(const MI_Real64 *)a == *(const MI_Real64 *)b;
    case MI_DATETIME:
        return datetime_equal(a, b);
    case MI_STRING: {
        const char *s = *(const char *const *)a, *t = *(const char *const *)b;
        return s == t || (s && t && strcmp(s, t) == 0);
    }
    case MI_REFERENCE: {
        const MI_Instance *x = *(const MI_Instance *const *)a;
        const MI_Instance *y = *(const MI_Instance *const *)b;
        return x == y || (x && y && mi_path_equal(x, y));
    }
    case MI_INSTANCE: {
        const MI_Instance *x = *(const MI_Instance *const *)a;
        const MI_Instance *y = *(const MI_Instance *const *)b;
        return x == y || (x && y && mi_instance_equal(x, y));
    }
    default:
        return memcmp(a, b, mi_type_size(scalar)) == 0;
    }
}

bool mi_value_equal(const MI_Value *a, const MI_Value *b, MI_Type type)
{
    MI_Type scalar = MI_TYPE_SCALAR(type);
    if (!MI_TYPE_IS_ARRAY(type))
        return element_equal(a, b, scalar);
    if (a->array.size != b->array.size)
        return false;
    size_t size = mi_type_size(scalar);
    for (uint32_t i = 0; i < a->array.size; i++) {
        if (!element_equal((const char *)a->array.data + i * size,
                           (const char *)b->array.data + i * size, scalar))
            return false;
    }
    return true;
}

void mi_datetime_format(const MI_Datetime *dt, char out[26])
{
    if (dt->isTimestamp) {
        const MI_Timestamp *t = &dt->u.timestamp;
        int utc = t->utc;
        char sign = utc < 0 ? '-' : '+';
        if (utc < 0)
            utc = -utc;
        snprintf(out, 26, "%04u%02u%02u%02u%02u%02u.%06u%c%03d", t->year % 10000, t->month % 100,
                 t->day % 100, t->hour % 100, t->minute % 100, t->second % 100,
                 t->microseconds % 1000000, sign, utc % 1000);
    } else {
        const MI_Interval *i = &dt->u.interval;
        snprintf(out, 26, "%08u%02u%02u%02u.%06u:000", i->days % 100000000, i->hours % 100,
                 i->minutes % 100, i->seconds % 100, i->microseconds % 1000000);
    }
}

static bool digits(const char *text, size_t n, uint32_t *out)
{
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        v = v * 10 + (uint32_t)(text[i] - '0');
    }
    *out = v;
    return true;
}

bool mi_datetime_parse(const char *text, MI_Datetime *dt)
{
    memset(dt, 0, sizeof *dt);
    if (strlen(text) != 25 || text[14] != '.')
        return false;
    if (text[21] == ':') {
        MI_Interval *i = &dt->u.interval;
        return digits(text, 8, &i->days) && digits(text + 8, 2, &i->hours) &&
               digits(text + 10, 2, &i->minutes) && digits(text + 12, 2, &i->seconds) &&
               digits(text + 15, 6, &i->microseconds) && strcmp(text + 22, "000") == 0 &&
               i->hours < 24 && i->minutes < 60 && i->seconds < 60;
    }
    if (text[21] != '+' && text[21] != '-')
        return false;
    MI_Timestamp *t = &dt->u.timestamp;
    uint32_t utc;
    dt->isTimestamp = 1;
    if (!(digits(text, 4, &t->year) && digits(text + 4, 2, &t->month) &&
          digits(text + 6, 2, &t->day) && digits(text + 8, 2, &t->hour) &&
          digits(text + 10, 2, &t->minute) && digits(text + 12, 2, &t->second) &&
          digits(text + 15, 6, &t->microseconds) && digits(text + 22, 3, &utc)))
        return false;
    t->utc = text[21] == '-' ? -(MI_Sint32)utc : (MI_Sint32)utc;
    return t->month >= 1 && t->month <= 12 && t->day >= 1 && t->day <= 31 && t->hour < 24 &&
           t->minute < 60 && t->second < 61;
}

static bool integer_text(const char *text, bool is_signed, int64_t low, uint64_t high,
                         MI_Value *out, MI_Type scalar)
{
    char *end = NULL;
    errno = 0;
    while (*text == ' ')
        text++;
    if (!*text)
        return false;
    if (is_signed) {
        long long n = strtoll(text, &end, 0);
        if (errno || *end || n < low || (n > 0 && (uint64_t)n > high))
            return false;
        switch (scalar) {
        case MI_SINT8:
            out->sint8 = (MI_Sint8)n;
            break;
        case MI_SINT16:
            out->sint16 = (MI_Sint16)n;
            break;
        case MI_SINT32:
            out->sint32 = (MI_Sint32)n;
            break;
        default:
            out->sint64 = n;
            break;
        }
        return true;
    }
    if (*text == '-')
        return false;
    unsigned long long n = strtoull(text, &end, 0);
    if (errno || *end || n > high)
        return false;
    switch (scalar) {
    case MI_UINT8:
        out->uint8 = (MI_Uint8)n;
        break;
    case MI_UINT16:
        out->uint16 = (MI_Uint16)n;
        break;
    case MI_UINT32:
        out->uint32 = (MI_Uint32)n;
        break;
    default:
        out->uint64 = n;
        break;
    }
    return true;
}

bool mi_value_from_text(MI_Type scalar, const char *text, MI_Value *out)
{
    memset(out, 0, sizeof *out);
    bool ok = false;
    switch (scalar) {
    case MI_BOOLEAN:
        if (!strcasecmp(text, "true"))
            ok = (out->boolean = MI_TRUE);
        else
            ok = !strcasecmp(text, "false");
        break;
    case MI_UINT8:
        ok = integer_text(text, false, 0, UINT8_MAX, out, scalar);
        break;
    case MI_UINT16:
        ok = integer_text(text, false, 0, UINT16_MAX, out, scalar);
        break;
    case MI_UINT32:
        ok = integer_text(text, false, 0, UINT32_MAX, out, scalar);
        break;
    case MI_UINT64:
        ok = integer_text(text, false, 0, UINT64_MAX, out, scalar);
        break;
    case MI_SINT8:
        ok = integer_text(text, true, INT8_MIN, INT8_MAX, out, scalar);
        break;
    case MI_SINT16:
        ok = integer_text(text, true, INT16_MIN, INT16_MAX, out, scalar);
        break;
    case MI_SINT32:
        ok = integer_text(text, true, INT32_MIN, INT32_MAX, out, scalar);
        break;
    case MI_SINT64:
        ok = integer_text(text, true, INT64_MIN, INT64_MAX, out, scalar);
        break;
    case MI_REAL32:
    case MI_REAL64: {
        char *end = NULL;
        errno = 0;
        double d = strtod(text, &end);
        ok = *text && !*end && !errno;
        if (scalar == MI_REAL32)
            out->real32 = (MI_Real32)d;
        else
            out->real64 = d;
        break;
    }
    case MI_CHAR16: {
        const unsigned char *u = (const unsigned char *)text;
        if (u[0] && u[0] < 0x80 && !u[1]) {
            out->char16 = u[0];
            ok = true;
        } else if ((u[0] & 0xE0) == 0xC0 && (u[1] & 0xC0) == 0x80 && !u[2]) {
            out->char16 = (MI_Char16)(((u[0] & 0x1F) << 6) | (u[1] & 0x3F));
            ok = true;
        } else if ((u[0] & 0xF0) == 0xE0 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80 &&
                   !u[3]) {
            out->char16 = (MI_Char16)(((u[0] & 0x0F) << 12) | ((u[1] & 0x3F) << 6) | (u[2] & 0x3F));
            ok = true;
        }
        break;
    }
    case MI_DATETIME:
        ok = mi_datetime_parse(text, &out->datetime);
        break;
    case MI_STRING:
        ok = (out->string = strdup(text)) != NULL;
        break;
    default:
        break;
    }
    if (!ok)
        memset(out, 0, sizeof *out);
    return ok;
}

bool mi_value_array_from_texts(MI_Type scalar, char *const *texts, size_t count, MI_Value *out)
{
    size_t size = mi_type_size(scalar);
    unsigned char *data = calloc(count ? count : 1, size);
    if (!data)
        return false;
    bool ok = true;
    for (size_t i = 0; ok && i < count; i++) {
        MI_Value one;
        ok = mi_value_from_text(scalar, texts[i], &one);
        if (ok)
            memcpy(data + i * size, &one, size);
    }
    out->uint8a.data = data;
    out->uint8a.size = (MI_Uint32)count;
    if (!ok)
        mi_value_release(out, scalar | MI_ARRAY);
    return ok;
}

bool mi_value_text(mi_strbuf *out, const MI_Value *v, MI_Type type, MI_Uint32 i, unsigned flags)
{
    bool array = (type & MI_ARRAY) != 0;
    switch ((MI_Type)(type & ~MI_ARRAY)) {
    case MI_BOOLEAN: {
        bool b = array ? v->booleana.data[i] : v->boolean;
        bool lower = flags & MI_VALUE_TEXT_LOWERCASE;
        mi_strbuf_puts(out, b ? (lower ? "true" : "TRUE") : (lower ? "false" : "FALSE"));
        return true;
    }
    case MI_UINT8:
        mi_strbuf_printf(out, "%u", (unsigned)(array ? v->uint8a.data[i] : v->uint8));
        return true;
    case MI_SINT8:
        mi_strbuf_printf(out, "%d", (int)(array ? v->sint8a.data[i] : v->sint8));
        return true;
    case MI_UINT16:
        mi_strbuf_printf(out, "%u", (unsigned)(array ? v->uint16a.data[i] : v->uint16));
        return true;
    case MI_SINT16:
        mi_strbuf_printf(out, "%d", (int)(array ? v->sint16a.data[i] : v->sint16));
        return true;
    case MI_UINT32:
        mi_strbuf_printf(out, "%" PRIu32, array ? v->uint32a.data[i] : v->uint32);
        return true;
    case MI_SINT32:
        mi_strbuf_printf(out, "%" PRId32, array ? v->sint32a.data[i] : v->sint32);
        return true;
    case MI_UINT64:
        mi_strbuf_printf(out, "%llu", (unsigned long long)(array ? v->uint64a.data[i] : v->uint64));
        return true;
    case MI_SINT64:
        mi_strbuf_printf(out, "%lld", (long long)(array ? v->sint64a.data[i] : v->sint64));
        return true;
    case MI_REAL32:
        mi_strbuf_printf(out, "%.9g", (double)(array ? v->real32a.data[i] : v->real32));
        return true;
    case MI_REAL64:
        mi_strbuf_printf(out, "%.17g", array ? v->real64a.data[i] : v->real64);
        return true;
    case MI_CHAR16: {
        char utf8[5] = {0};
        mi_utf8_encode(array ? v->char16a.data[i] : v->char16, utf8);
        mi_strbuf_puts(out, utf8);
        return true;
    }
    case MI_DATETIME: {
        char text[26];
        mi_datetime_format(array ? &v->datetimea.data[i] : &v->datetime, text);
        mi_strbuf_puts(out, text);
        return true;
    }
    case MI_STRING: {
        const char *text = array ? v->stringa.data[i] : v->string;
        mi_strbuf_puts(out, text ? text : "");
        return true;
    }
    default:
        return false;
    }
}
