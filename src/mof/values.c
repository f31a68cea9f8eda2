/*
 * values — MOF literals to typed MI values, with range checks per type.
 */
#include "compile.h"

#include "core/value.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *subject_text(const mof_subject *subject, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < 8 && subject->parts[i] && used + 1 < size; i++)
        used += (size_t)snprintf(out + used, size - used, "%s", subject->parts[i]);
    return out;
}

/* The subject's text, in a buffer that lives until the end of the enclosing block. */
#define SUBJECT(subject) subject_text(subject, (char[400]){0}, 400)

static const char *kind_name(mof_value_kind kind)
{
    switch (kind) {
    case MOF_VALUE_NULL:
        return "null";
    case MOF_VALUE_BOOLEAN:
        return "a boolean";
    case MOF_VALUE_INTEGER:
        return "an integer";
    case MOF_VALUE_REAL:
        return "a real number";
    case MOF_VALUE_STRING:
        return "a string";
    case MOF_VALUE_CHAR:
        return "a char16 literal";
    case MOF_VALUE_ALIAS:
        return "an alias";
    case MOF_VALUE_ARRAY:
        return "an array";
    }
    return "a value";
}

static bool mismatch(mof_compiler *c, const mof_value *v, MI_Type type, const mof_subject *subject)
{
    if (v->kind == MOF_VALUE_ALIAS)
        return mof_error(c, &v->pos, "%s: an alias can only be the value of a reference, not of %s",
                         SUBJECT(subject), mi_type_name(type));
    return mof_error(c, &v->pos, "%s: %s value does not fit type %s", SUBJECT(subject),
                     kind_name(v->kind), mi_type_name(type));
}

typedef struct range {
    bool is_signed;
    uint64_t max_magnitude_positive;
    uint64_t max_magnitude_negative;
    const char *text;
} range;

static range range_of(MI_Type t)
{
    switch (t) {
    case MI_UINT8:
        return (range){false, UINT8_MAX, 0, "0 to 255"};
    case MI_SINT8:
        return (range){true, INT8_MAX, 128, "-128 to 127"};
    case MI_UINT16:
        return (range){false, UINT16_MAX, 0, "0 to 65535"};
    case MI_SINT16:
        return (range){true, INT16_MAX, 32768, "-32768 to 32767"};
    case MI_UINT32:
        return (range){false, UINT32_MAX, 0, "0 to 4294967295"};
    case MI_SINT32:
        return (range){true, INT32_MAX, 2147483648u, "-2147483648 to 2147483647"};
    case MI_UINT64:
        return (range){false, UINT64_MAX, 0, "0 to 18446744073709551615"};
    default:
        return (range){true, INT64_MAX, (uint64_t)INT64_MAX + 1,
                       "-9223372036854775808 to 9223372036854775807"};
    }
}

static bool convert_integer(mof_compiler *c, const mof_value *v, MI_Type t,
                            const mof_subject *subject, MI_Value *out)
{
    uint64_t m = v->u.integer.magnitude;
    bool negative = v->u.integer.negative && m != 0;
    range r = range_of(t);
    if (negative ? m > r.max_magnitude_negative : m > r.max_magnitude_positive)
        return mof_error(c, &v->pos, "%s: %s%llu is out of range for %s (%s)", SUBJECT(subject),
                         negative ? "-" : "", (unsigned long long)m, mi_type_name(t), r.text);
    int64_t s = negative ? (int64_t)(0 - m) : (int64_t)m;
    switch (t) {
    case MI_UINT8:
        out->uint8 = (MI_Uint8)m;
        break;
    case MI_SINT8:
        out->sint8 = (MI_Sint8)s;
        break;
    case MI_UINT16:
        out->uint16 = (MI_Uint16)m;
        break;
    case MI_SINT16:
        out->sint16 = (MI_Sint16)s;
        break;
    case MI_UINT32:
        out->uint32 = (MI_Uint32)m;
        break;
    case MI_SINT32:
        out->sint32 = (MI_Sint32)s;
        break;
    case MI_UINT64:
        out->uint64 = m;
        break;
    default:
        out->sint64 = s;
        break;
    }
    return true;
}

/* One scalar of type t into *out (arena storage for strings). */
static bool convert_scalar(mof_compiler *c, const mof_value *v, MI_Type t,
                           const mof_subject *subject, MI_Value *out)
{
    switch (t) {
    case MI_BOOLEAN:
        if (v->kind != MOF_VALUE_BOOLEAN)
            return mismatch(c, v, t, subject);
        out->boolean = v->u.boolean;
        return true;
    case MI_UINT8:
    case MI_SINT8:
    case MI_UINT16:
    case MI_SINT16:
    case MI_UINT32:
    case MI_SINT32:
    case MI_UINT64:
    case MI_SINT64:
        if (v->kind != MOF_VALUE_INTEGER)
            return mismatch(c, v, t, subject);
        return convert_integer(c, v, t, subject, out);
    case MI_REAL32:
    case MI_REAL64: {
        double d;
        if (v->kind == MOF_VALUE_INTEGER)
            d = v->u.integer.negative ? -(double)v->u.integer.magnitude
                                      : (double)v->u.integer.magnitude;
        else if (v->kind == MOF_VALUE_REAL)
            d = v->u.real;
        else
            return mismatch(c, v, t, subject);
        if (!isfinite(d) || (t == MI_REAL32 && fabs(d) > 3.4028234663852886e38))
            return mof_error(c, &v->pos, "%s: the number is out of range for %s", SUBJECT(subject),
                             mi_type_name(t));
        if (t == MI_REAL32)
            out->real32 = (MI_Real32)d;
        else
            out->real64 = d;
        return true;
    }
    case MI_CHAR16:
        if (v->kind != MOF_VALUE_CHAR)
            return mismatch(c, v, t, subject);
        out->char16 = (MI_Char16)v->u.character;
        return true;
    case MI_STRING:
        if (v->kind != MOF_VALUE_STRING)
            return mismatch(c, v, t, subject);
        out->string = (MI_Char *)v->u.string;
        return true;
    case MI_DATETIME:
        if (v->kind != MOF_VALUE_STRING)
            return mismatch(c, v, t, subject);
        if (!mi_datetime_parse(v->u.string, &out->datetime))
            return mof_error(c, &v->pos,
                             "%s: \"%.40s\" is not a datetime (yyyymmddhhmmss.mmmmmmsutc or "
                             "ddddddddhhmmss.mmmmmm:000)",
                             SUBJECT(subject), v->u.string);
        return true;
    default:
        return mof_error(c, &v->pos, "%s: values of type %s cannot be written here",
                         SUBJECT(subject), mi_type_name(t));
    }
}

bool mof_convert_value(mof_compiler *c, const mof_value *v, MI_Type type, MI_Uint32 array_max,
                       const mof_subject *subject, MI_Value *out, bool *is_null)
{
    memset(out, 0, sizeof *out);
    *is_null = v->kind == MOF_VALUE_NULL;
    if (*is_null)
        return true;
    MI_Type scalar = MI_TYPE_SCALAR(type);
    if (!MI_TYPE_IS_ARRAY(type)) {
        if (v->kind == MOF_VALUE_ARRAY)
            return mof_error(c, &v->pos, "%s: an array value does not fit type %s",
                             SUBJECT(subject), mi_type_name(type));
        return convert_scalar(c, v, scalar, subject, out);
    }
    /* An array: a braced list, or (as qualifier parameters are often written) one value. */
    const mof_value *items = v;
    uint32_t count = 1;
    if (v->kind == MOF_VALUE_ARRAY) {
        items = v->u.array.items;
        count = v->u.array.count;
    }
    if (array_max && count > array_max)
        return mof_error(c, &v->pos, "%s: %u values given, the array holds at most %u",
                         SUBJECT(subject), count, array_max);
    size_t size = mi_type_size(scalar);
    char *data = count ? mi_arena_alloc(&c->arena, count * size) : NULL;
    if (count && !data)
        return mof_out_of_memory(c, &v->pos);
    for (uint32_t i = 0; i < count; i++) {
        MI_Value one;
        memset(&one, 0, sizeof one);
        if (items[i].kind == MOF_VALUE_NULL)
            return mof_error(c, &items[i].pos, "%s: an array element cannot be null",
                             SUBJECT(subject));
        if (!convert_scalar(c, &items[i], scalar, subject, &one))
            return false;
        memcpy(data + i * size, &one, size);
    }
    /* Every MI array type is { pointer, size }: fill it through one of them. */
    out->uint8a.data = (MI_Uint8 *)data;
    out->uint8a.size = count;
    return true;
}
