/*
 * codec — see codec.h.
 *
 * Layout: a string is varint(length + 1) then its bytes (0 stands for NULL); a value is
 * written by its type; an array is varint(count) then its items. A record starts with a
 * format byte, so that a later layout can be told apart.
 */
#include "codec.h"

#include "core/class.h"
#include "core/instance.h"
#include "core/name.h"
#include "core/value.h"

#include <stdlib.h>
#include <string.h>

#define FORMAT_V1 1

/* ---- writing ---- */

void mi_bytes_free(mi_bytes *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

static void put(mi_bytes *b, const void *data, size_t len)
{
    if (b->failed || !len)
        return;
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + len)
            cap *= 2;
        unsigned char *grown = realloc(b->data, cap);
        if (!grown) {
            b->failed = true;
            return;
        }
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
}

void mi_bytes_append(mi_bytes *b, const void *data, size_t len)
{
    put(b, data, len);
}

static void put_byte(mi_bytes *b, unsigned char c)
{
    put(b, &c, 1);
}

static void put_varint(mi_bytes *b, uint64_t v)
{
    unsigned char buf[10];
    size_t n = 0;
    do {
        unsigned char c = v & 0x7F;
        v >>= 7;
        buf[n++] = (unsigned char)(c | (v ? 0x80 : 0));
    } while (v);
    put(b, buf, n);
}

static void put_svarint(mi_bytes *b, int64_t v)
{
    put_varint(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static void put_string(mi_bytes *b, const char *s)
{
    if (!s) {
        put_varint(b, 0);
        return;
    }
    size_t len = strlen(s);
    put_varint(b, (uint64_t)len + 1);
    put(b, s, len);
}

static void put_instance(mi_bytes *b, const MI_Instance *inst);

static void put_scalar(mi_bytes *b, MI_Type type, const MI_Value *v)
{
    switch (type) {
    case MI_BOOLEAN:
        put_byte(b, v->boolean ? 1 : 0);
        break;
    case MI_UINT8:
        put_byte(b, v->uint8);
        break;
    case MI_SINT8:
        put_byte(b, (unsigned char)v->sint8);
        break;
    case MI_UINT16:
        put_varint(b, v->uint16);
        break;
    case MI_SINT16:
        put_svarint(b, v->sint16);
        break;
    case MI_UINT32:
        put_varint(b, v->uint32);
        break;
    case MI_SINT32:
        put_svarint(b, v->sint32);
        break;
    case MI_UINT64:
        put_varint(b, v->uint64);
        break;
    case MI_SINT64:
        put_svarint(b, v->sint64);
        break;
    case MI_REAL32:
        put(b, &v->real32, sizeof v->real32);
        break;
    case MI_REAL64:
        put(b, &v->real64, sizeof v->real64);
        break;
    case MI_CHAR16:
        put_varint(b, v->char16);
        break;
    case MI_DATETIME: {
        const MI_Datetime *d = &v->datetime;
        put_byte(b, d->isTimestamp ? 1 : 0);
        if (d->isTimestamp) {
            const MI_Timestamp *t = &d->u.timestamp;
            put_varint(b, t->year);
            put_varint(b, t->month);
            put_varint(b, t->day);
            put_varint(b, t->hour);
            put_varint(b, t->minute);
            put_varint(b, t->second);
            put_varint(b, t->microseconds);
            put_svarint(b, t->utc);
        } else {
            const MI_Interval *i = &d->u.interval;
            put_varint(b, i->days);
            put_varint(b, i->hours);
            put_varint(b, i->minutes);
            put_varint(b, i->seconds);
            put_varint(b, i->microseconds);
        }
        break;
    }
    case MI_STRING:
        put_string(b, v->string);
        break;
    case MI_REFERENCE:
    case MI_INSTANCE:
        put_byte(b, v->instance ? 1 : 0);
        if (v->instance)
            put_instance(b, v->instance);
        break;
    default:
        b->failed = true; /* not a scalar type: refuse rather than write garbage */
        break;
    }
}

static void put_value(mi_bytes *b, MI_Type type, const MI_Value *v)
{
    if (!MI_TYPE_IS_ARRAY(type)) {
        put_scalar(b, type, v);
        return;
    }
    MI_Type scalar = MI_TYPE_SCALAR(type);
    size_t size = mi_type_size(scalar);
    const unsigned char *items = (const unsigned char *)v->uint8a.data;
    put_varint(b, v->uint8a.size);
    for (MI_Uint32 i = 0; i < v->uint8a.size; i++) {
        MI_Value one;
        memset(&one, 0, sizeof one);
        memcpy(&one, items + (size_t)i * size, size); /* every member sits at offset 0 */
        put_scalar(b, scalar, &one);
    }
}

static void put_instance(mi_bytes *b, const MI_Instance *inst)
{
    const MI_Char *class_name = NULL;
    MI_Uint32 count = 0;
    if (MI_Instance_GetClassName(inst, &class_name) != MI_RESULT_OK ||
        MI_Instance_GetElementCount(inst, &count) != MI_RESULT_OK) {
        b->failed = true;
        return;
    }
    put_string(b, class_name);
    put_varint(b, count);
    for (MI_Uint32 i = 0; i < count; i++) {
        const MI_Char *name;
        MI_Value value;
        MI_Type type;
        MI_Uint32 flags;
        if (MI_Instance_GetElementAt(inst, i, &name, &value, &type, &flags) != MI_RESULT_OK) {
            b->failed = true;
            return;
        }
        put_string(b, name);
        put_varint(b, type);
        put_varint(b, flags & (MI_FLAG_KEY | MI_FLAG_NULL));
        if (!(flags & MI_FLAG_NULL))
            put_value(b, type, &value);
    }
}

static MI_Result finish(mi_bytes *b)
{
    return b->failed ? MI_RESULT_SERVER_LIMITS_EXCEEDED : MI_RESULT_OK;
}

MI_Result mi_codec_encode_instance(mi_bytes *out, const MI_Instance *inst)
{
    put_byte(out, FORMAT_V1);
    put_instance(out, inst);
    return finish(out);
}

static void put_qualifiers(mi_bytes *b, const mi_qualifier_list *list)
{
    uint32_t count = mi_qualifier_list_count(list);
    put_varint(b, count);
    for (uint32_t i = 0; i < count; i++) {
        const mi_qualifier *q = mi_qualifier_list_at(list, i);
        put_string(b, q->name);
        put_varint(b, q->type);
        put_varint(b, q->flavor);
        put_byte(b, q->is_null ? 1 : 0);
        if (!q->is_null)
            put_value(b, q->type, &q->value);
    }
}

static void put_feature(mi_bytes *b, const char *name, MI_Type type, const char *ref_class,
                        MI_Uint32 array_max, MI_Uint32 flags)
{
    put_string(b, name);
    put_varint(b, type);
    put_string(b, ref_class);
    put_varint(b, array_max);
    put_varint(b, flags);
}

MI_Result mi_codec_encode_class(mi_bytes *out, const mi_class *cls)
{
    put_byte(out, FORMAT_V1);
    put_string(out, cls->name);
    put_string(out, cls->superclass ? cls->superclass->name : NULL);
    put_varint(out, cls->flags);
    put_qualifiers(out, &cls->qualifiers);
    uint32_t local = 0;
    for (uint32_t i = 0; i < cls->property_count; i++)
        local += cls->properties[i].local;
    put_varint(out, local);
    for (uint32_t i = 0; i < cls->property_count; i++) {
        const mi_property *p = &cls->properties[i];
        if (!p->local)
            continue;
        put_feature(out, p->name, p->type, p->ref_class, p->array_max, p->flags);
        put_byte(out, p->has_default ? 1 : 0);
        if (p->has_default)
            put_value(out, p->type, &p->default_value);
        put_qualifiers(out, &p->qualifiers);
    }
    local = 0;
    for (uint32_t i = 0; i < cls->method_count; i++)
        local += cls->methods[i].local;
    put_varint(out, local);
    for (uint32_t i = 0; i < cls->method_count; i++) {
        const mi_method *m = &cls->methods[i];
        if (!m->local)
            continue;
        put_string(out, m->name);
        put_varint(out, m->return_type);
        put_qualifiers(out, &m->qualifiers);
        put_varint(out, m->parameter_count);
        for (uint32_t j = 0; j < m->parameter_count; j++) {
            const mi_parameter *p = &m->parameters[j];
            put_feature(out, p->name, p->type, p->ref_class, p->array_max, p->flags);
            put_qualifiers(out, &p->qualifiers);
        }
    }
    return finish(out);
}

MI_Result mi_codec_encode_qualifier_decl(mi_bytes *out, const mi_qualifier_decl *decl)
{
    put_byte(out, FORMAT_V1);
    put_string(out, decl->name);
    put_varint(out, decl->type);
    put_varint(out, decl->array_max);
    put_varint(out, decl->scope);
    put_varint(out, decl->flavor);
    put_byte(out, decl->has_default ? 1 : 0);
    if (decl->has_default)
        put_value(out, decl->type, &decl->default_value);
    return finish(out);
}

/* ---- reading ---- */

typedef struct reader {
    const unsigned char *p;
    const unsigned char *end;
    bool bad;        /* damaged or truncated input */
    bool nomem;      /* an allocation failed */
    const char *ns;  /* with_space: the namespace the top-level instance gets */
    bool with_space; /* the top-level instance holds its strings in its own allocation */
    char *space, *space_end;
} reader;

static unsigned char get_byte(reader *r)
{
    if (r->p >= r->end) {
        r->bad = true;
        return 0;
    }
    return *r->p++;
}

static uint64_t get_varint(reader *r)
{
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        unsigned char c = get_byte(r);
        v |= (uint64_t)(c & 0x7F) << shift;
        if (!(c & 0x80))
            return v;
    }
    r->bad = true;
    return 0;
}

static int64_t get_svarint(reader *r)
{
    uint64_t v = get_varint(r);
    return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* A string's bytes in the input (not terminated); *present false for NULL. */
static const char *get_span(reader *r, size_t *len, bool *present)
{
    uint64_t n = get_varint(r);
    *present = n != 0;
    *len = 0;
    if (n == 0 || r->bad)
        return NULL;
    if (n - 1 > (uint64_t)(r->end - r->p)) {
        r->bad = true;
        return NULL;
    }
    *len = (size_t)(n - 1);
    const char *s = (const char *)r->p;
    r->p += n - 1;
    return s;
}

/* A new NUL-terminated copy of the next string, or NULL (for NULL, or on failure). */
static char *get_string(reader *r)
{
    size_t len;
    bool present;
    const char *s = get_span(r, &len, &present);
    if (!present || r->bad)
        return NULL;
    if (memchr(s, '\0', len)) {
        r->bad = true;
        return NULL;
    }
    char *copy = malloc(len + 1);
    if (!copy) {
        r->nomem = true;
        return NULL;
    }
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

static MI_Instance *get_instance(reader *r, mi_class *cls, int depth);

/* The next string copied into the instance's own space; NULL when it is absent, damaged
 * (r->bad) or does not fit (the position is then unchanged). */
static char *get_string_into(reader *r)
{
    const unsigned char *before = r->p;
    size_t len;
    bool present;
    const char *s = get_span(r, &len, &present);
    if (!present || r->bad)
        return NULL;
    if (memchr(s, '\0', len)) {
        r->bad = true;
        return NULL;
    }
    if ((size_t)(r->space_end - r->space) < len + 1) {
        r->p = before;
        return NULL;
    }
    char *copy = r->space;
    memcpy(copy, s, len);
    copy[len] = '\0';
    r->space += len + 1;
    return copy;
}

/* The next string, which must be present: in buf when it fits (the usual case for names:
 * no allocation), else in a new copy left in *heap for the caller to free. */
static const char *get_name(reader *r, char *buf, size_t size, char **heap)
{
    *heap = NULL;
    size_t len;
    bool present;
    const char *s = get_span(r, &len, &present);
    if (!present || r->bad || memchr(s, '\0', len)) {
        r->bad = true;
        return NULL;
    }
    char *out = buf;
    if (len >= size && !(out = *heap = malloc(len + 1))) {
        r->nomem = true;
        return NULL;
    }
    memcpy(out, s, len);
    out[len] = '\0';
    return out;
}

static void get_scalar(reader *r, MI_Type type, MI_Value *v, int depth)
{
    memset(v, 0, sizeof *v);
    switch (type) {
    case MI_BOOLEAN:
        v->boolean = get_byte(r) ? MI_TRUE : MI_FALSE;
        break;
    case MI_UINT8:
        v->uint8 = get_byte(r);
        break;
    case MI_SINT8:
        v->sint8 = (MI_Sint8)get_byte(r);
        break;
    case MI_UINT16:
        v->uint16 = (MI_Uint16)get_varint(r);
        break;
    case MI_SINT16:
        v->sint16 = (MI_Sint16)get_svarint(r);
        break;
    case MI_UINT32:
        v->uint32 = (MI_Uint32)get_varint(r);
        break;
    case MI_SINT32:
        v->sint32 = (MI_Sint32)get_svarint(r);
        break;
    case MI_UINT64:
        v->uint64 = get_varint(r);
        break;
    case MI_SINT64:
        v->sint64 = get_svarint(r);
        break;
    case MI_REAL32:
    case MI_REAL64: {
        size_t size = type == MI_REAL32 ? sizeof v->real32 : sizeof v->real64;
        if ((size_t)(r->end - r->p) < size) {
            r->bad = true;
            break;
        }
        memcpy(type == MI_REAL32 ? (void *)&v->real32 : (void *)&v->real64, r->p, size);
        r->p += size;
        break;
    }
    case MI_CHAR16:
        v->char16 = (MI_Char16)get_varint(r);
        break;
    case MI_DATETIME: {
        MI_Datetime *d = &v->datetime;
        d->isTimestamp = get_byte(r) ? 1 : 0;
        if (d->isTimestamp) {
            MI_Timestamp *t = &d->u.timestamp;
            t->year = (MI_Uint32)get_varint(r);
            t->month = (MI_Uint32)get_varint(r);
            t->day = (MI_Uint32)get_varint(r);
            t->hour = (MI_Uint32)get_varint(r);
            t->minute = (MI_Uint32)get_varint(r);
            t->second = (MI_Uint32)get_varint(r);
            t->microseconds = (MI_Uint32)get_varint(r);
            t->utc = (MI_Sint32)get_svarint(r);
        } else {
            MI_Interval *i = &d->u.interval;
            i->days = (MI_Uint32)get_varint(r);
            i->hours = (MI_Uint32)get_varint(r);
            i->minutes = (MI_Uint32)get_varint(r);
            i->seconds = (MI_Uint32)get_varint(r);
            i->microseconds = (MI_Uint32)get_varint(r);
        }
        break;
    }
    case MI_STRING:
        v->string = get_string(r);
        break;
    case MI_REFERENCE:
    case MI_INSTANCE:
        if (get_byte(r))
            v->instance = get_instance(r, NULL, depth + 1);
        break;
    default:
        r->bad = true;
        break;
    }
}

/* A value owned by the caller (release with mi_value_release), zeroed on failure. */
static void get_value(reader *r, MI_Type type, MI_Value *v, int depth)
{
    if (!MI_TYPE_IS_ARRAY(type)) {
        get_scalar(r, type, v, depth);
        if (r->bad || r->nomem)
            mi_value_release(v, type);
        return;
    }
    memset(v, 0, sizeof *v);
    MI_Type scalar = MI_TYPE_SCALAR(type);
    size_t size = mi_type_size(scalar);
    uint64_t count = get_varint(r);
    if (r->bad || count > (uint64_t)(r->end - r->p)) { /* every item takes a byte at least */
        r->bad = true;
        return;
    }
    unsigned char *items = count ? calloc((size_t)count, size) : NULL;
    if (count && !items) {
        r->nomem = true;
        return;
    }
    v->uint8a.data = items;
    for (uint64_t i = 0; i < count && !r->bad && !r->nomem; i++) {
        MI_Value one;
        get_scalar(r, scalar, &one, depth);
        memcpy(items + i * size, &one, size);
        v->uint8a.size = (MI_Uint32)(i + 1);
    }
    if (r->bad || r->nomem)
        mi_value_release(v, type);
}

#define MAX_NESTING 64

static MI_Instance *get_instance(reader *r, mi_class *cls, int depth)
{
    if (depth > MAX_NESTING) {
        r->bad = true;
        return NULL;
    }
    char class_buf[256], name_buf[256];
    char *class_heap, *name_heap;
    const char *class_name = get_name(r, class_buf, sizeof class_buf, &class_heap);
    uint64_t count = get_varint(r);
    MI_Instance *inst = NULL;
    bool own_space = depth == 0 && cls && r->with_space && class_name && !r->bad && !r->nomem;
    if (own_space) {
        /* each string takes at least its length plus one byte of the record: the rest of
         * the record bounds the room they need */
        size_t ns_len = r->ns ? strlen(r->ns) + 1 : 0;
        if (mi_instance_new_with_space(&inst, cls, (size_t)(r->end - r->p) + ns_len, &r->space,
                                       NULL) == MI_RESULT_OK) {
            r->space_end = r->space + (size_t)(r->end - r->p) + ns_len;
            if (r->ns) {
                memcpy(r->space, r->ns, ns_len);
                mi_instance_borrow_namespace(inst, r->space);
                r->space += ns_len;
            }
        }
    }
    if (!class_name || r->bad || r->nomem ||
        (!inst && mi_instance_new(&inst, class_name, cls, NULL) != MI_RESULT_OK)) {
        if (class_name && !r->bad)
            r->nomem = true;
        else
            r->bad = true;
        free(class_heap);
        return NULL;
    }
    free(class_heap);
    uint32_t next_property = 0;
    for (uint64_t i = 0; i < count && !r->bad && !r->nomem; i++) {
        const char *name = get_name(r, name_buf, sizeof name_buf, &name_heap);
        MI_Type type = (MI_Type)get_varint(r);
        MI_Uint32 flags = (MI_Uint32)get_varint(r);
        if (!name || r->bad || !mi_type_valid(type)) {
            r->bad = r->bad || !r->nomem;
            free(name_heap);
            break;
        }
        MI_Value value;
        bool is_null = (flags & MI_FLAG_NULL) != 0;
        bool borrowed = false;
        if (!is_null && type == MI_STRING && own_space && r->space) {
            borrowed = (value.string = get_string_into(r)) != NULL;
            if (!borrowed && !r->bad)
                value.string = get_string(r); /* no room: not expected, but stay correct */
        } else if (!is_null) {
            get_value(r, type, &value, depth);
        }
        if (r->bad || r->nomem) {
            free(name_heap);
            break;
        }
        MI_Result res;
        if (cls) {
            /* records list properties in their class's order: try the next one first */
            uint32_t at = next_property;
            if (at >= cls->property_count || strcmp(cls->properties[at].name, name) != 0)
                at = mi_nametable_find(&cls->property_index, name, &at) ? at : UINT32_MAX;
            next_property = at + 1;
            MI_Uint32 how = is_null ? MI_FLAG_NULL : borrowed ? MI_FLAG_BORROW : MI_FLAG_ADOPT;
            res = at == UINT32_MAX ? MI_RESULT_NO_SUCH_PROPERTY
                                   : mi_instance_set_element_at(inst, at, is_null ? NULL : &value,
                                                                type, how, NULL);
        } else
            res = mi_instance_add_element(
                inst, name, is_null ? NULL : &value, type,
                (flags & MI_FLAG_KEY) | (is_null ? MI_FLAG_NULL : MI_FLAG_ADOPT), NULL);
        if (res != MI_RESULT_OK) {
            if (!is_null && !borrowed)
                mi_value_release(&value, type);
            if (res == MI_RESULT_SERVER_LIMITS_EXCEEDED)
                r->nomem = true;
            else
                r->bad = true; /* the class no longer has this property, or not this type */
        }
        free(name_heap);
    }
    if (r->bad || r->nomem) {
        mi_instance_delete(inst);
        return NULL;
    }
    return inst;
}

static MI_Result reader_result(const reader *r, const char *what, mi_error *err)
{
    if (r->nomem)
        return mi_error_nomem(err);
    if (r->bad)
        return mi_error_set(err, MI_RESULT_FAILED, "the stored %s is damaged", what);
    return MI_RESULT_OK;
}

static bool start(reader *r, const unsigned char *data, size_t len)
{
    *r = (reader){data, data + len, false, false, NULL, false, NULL, NULL};
    if (get_byte(r) != FORMAT_V1)
        r->bad = true;
    return !r->bad;
}

MI_Result mi_codec_decode_instance(const unsigned char *data, size_t len, mi_class *cls,
                                   MI_Instance **out, mi_error *err)
{
    reader r;
    *out = NULL;
    if (start(&r, data, len))
        *out = get_instance(&r, cls, 0);
    if (!*out && !r.nomem)
        r.bad = true;
    return reader_result(&r, "instance", err);
}

MI_Result mi_codec_decode_instance_in(const unsigned char *data, size_t len, mi_class *cls,
                                      const char *ns, MI_Instance **out, mi_error *err)
{
    reader r;
    *out = NULL;
    if (start(&r, data, len)) {
        r.ns = ns;
        r.with_space = true;
        *out = get_instance(&r, cls, 0);
    }
    if (!*out && !r.nomem)
        r.bad = true;
    return reader_result(&r, "instance", err);
}

const char *mi_codec_instance_class_name(const unsigned char *data, size_t size, size_t *len)
{
    reader r;
    bool present;
    if (!start(&r, data, size))
        return NULL;
    const char *name = get_span(&r, len, &present);
    return r.bad ? NULL : name;
}

static void get_qualifiers(reader *r, mi_qualifier_list *list)
{
    uint64_t count = get_varint(r);
    for (uint64_t i = 0; i < count && !r->bad && !r->nomem; i++) {
        char *name = get_string(r);
        MI_Type type = (MI_Type)get_varint(r);
        MI_Uint32 flavor = (MI_Uint32)get_varint(r);
        bool is_null = get_byte(r) != 0;
        if (!name || r->bad || !mi_type_valid(type)) {
            r->bad = r->bad || !r->nomem;
            free(name);
            return;
        }
        MI_Value value;
        if (!is_null)
            get_value(r, type, &value, 0);
        if (!r->bad && !r->nomem) {
            MI_Result res =
                mi_qualifier_list_add(list, name, type, is_null ? NULL : &value, flavor, NULL);
            if (res == MI_RESULT_SERVER_LIMITS_EXCEEDED)
                r->nomem = true;
            else if (res != MI_RESULT_OK)
                r->bad = true;
            if (!is_null)
                mi_value_release(&value, type);
        }
        free(name);
    }
}

typedef struct feature {
    char *name;
    MI_Type type;
    char *ref_class;
    MI_Uint32 array_max;
    MI_Uint32 flags;
} feature;

static void get_feature(reader *r, feature *f)
{
    f->name = get_string(r);
    f->type = (MI_Type)get_varint(r);
    f->ref_class = get_string(r);
    f->array_max = (MI_Uint32)get_varint(r);
    f->flags = (MI_Uint32)get_varint(r);
    if (!r->nomem && (!f->name || !mi_type_valid(f->type)))
        r->bad = true;
}

static void free_feature(feature *f)
{
    free(f->name);
    free(f->ref_class);
}

static void note(reader *r, MI_Result res)
{
    if (res == MI_RESULT_SERVER_LIMITS_EXCEEDED)
        r->nomem = true;
    else if (res != MI_RESULT_OK)
        r->bad = true;
}

static void get_properties(reader *r, mi_class *cls)
{
    uint64_t count = get_varint(r);
    for (uint64_t i = 0; i < count && !r->bad && !r->nomem; i++) {
        feature f;
        get_feature(r, &f);
        bool has_default = get_byte(r) != 0;
        MI_Value value;
        bool value_held = false; /* decoded, to release whatever happens next */
        if (has_default && !r->bad && !r->nomem) {
            get_value(r, f.type, &value, 0);
            value_held = !r->bad && !r->nomem;
        }
        mi_qualifier_list qualifiers = {0};
        if (!r->bad && !r->nomem)
            get_qualifiers(r, &qualifiers);
        uint32_t at;
        if (!r->bad && !r->nomem) {
            mi_feature_spec spec = {f.name,      f.type,  f.ref_class,
                                    f.array_max, f.flags, has_default ? &value : NULL};
            note(r, mi_class_add_property(cls, &spec, &at, NULL));
            if (!r->bad && !r->nomem) {
                mi_property *p = mi_class_property_at(cls, at);
                mi_qualifier_list_free(&p->qualifiers);
                p->qualifiers = qualifiers;
                qualifiers.set = NULL;
            }
        }
        if (value_held)
            mi_value_release(&value, f.type);
        mi_qualifier_list_free(&qualifiers);
        free_feature(&f);
    }
}

static void get_methods(reader *r, mi_class *cls)
{
    uint64_t count = get_varint(r);
    for (uint64_t i = 0; i < count && !r->bad && !r->nomem; i++) {
        char *name = get_string(r);
        MI_Type return_type = (MI_Type)get_varint(r);
        uint32_t at;
        if (!name || r->bad) {
            r->bad = r->bad || !r->nomem;
            free(name);
            return;
        }
        note(r, mi_class_add_method(cls, name, return_type, &at, NULL));
        free(name);
        if (r->bad || r->nomem)
            return;
        mi_method *m = mi_class_method_at(cls, at);
        get_qualifiers(r, &m->qualifiers);
        uint64_t params = get_varint(r);
        for (uint64_t j = 0; j < params && !r->bad && !r->nomem; j++) {
            feature f;
            get_feature(r, &f);
            uint32_t p_at;
            if (!r->bad && !r->nomem) {
                mi_feature_spec spec = {f.name, f.type, f.ref_class, f.array_max, f.flags, NULL};
                note(r, mi_method_add_parameter(m, &spec, &p_at, NULL));
                if (!r->bad && !r->nomem)
                    get_qualifiers(r, &m->parameters[p_at].qualifiers);
            }
            free_feature(&f);
        }
    }
}

MI_Result mi_codec_decode_class(const unsigned char *data, size_t len, mi_class *superclass,
                                mi_class **out, mi_error *err)
{
    reader r;
    *out = NULL;
    mi_class *cls = NULL;
    if (start(&r, data, len)) {
        char *name = get_string(&r);
        char *super_name = get_string(&r);
        MI_Uint32 flags = (MI_Uint32)get_varint(&r);
        bool matches = super_name ? superclass && mi_name_equal(super_name, superclass->name)
                                  : superclass == NULL;
        if (!name || r.bad || !matches)
            r.bad = r.bad || !r.nomem || !matches;
        else
            note(&r, mi_class_new(&cls, name, superclass, NULL));
        free(name);
        free(super_name);
        if (cls) {
            cls->flags = flags;
            get_qualifiers(&r, &cls->qualifiers);
            if (!r.bad && !r.nomem)
                get_properties(&r, cls);
            if (!r.bad && !r.nomem)
                get_methods(&r, cls);
        }
    }
    MI_Result res = reader_result(&r, "class", err);
    if (res != MI_RESULT_OK) {
        mi_class_unref(cls);
        return res;
    }
    *out = cls;
    return MI_RESULT_OK;
}

MI_Result mi_codec_decode_qualifier_decl(const unsigned char *data, size_t len,
                                         mi_qualifier_decl **out, mi_error *err)
{
    reader r;
    *out = NULL;
    if (start(&r, data, len)) {
        char *name = get_string(&r);
        MI_Type type = (MI_Type)get_varint(&r);
        MI_Uint32 array_max = (MI_Uint32)get_varint(&r);
        MI_Uint32 scope = (MI_Uint32)get_varint(&r);
        MI_Uint32 flavor = (MI_Uint32)get_varint(&r);
        bool has_default = get_byte(&r) != 0;
        MI_Value value;
        if (!name || r.bad || !mi_type_valid(type))
            r.bad = r.bad || !r.nomem;
        else if (has_default)
            get_value(&r, type, &value, 0);
        if (!r.bad && !r.nomem) {
            note(&r, mi_qualifier_decl_new(out, name, type, array_max, scope, flavor,
                                           has_default ? &value : NULL, NULL));
            if (has_default)
                mi_value_release(&value, type);
        }
        free(name);
    }
    return reader_result(&r, "qualifier declaration", err);
}
