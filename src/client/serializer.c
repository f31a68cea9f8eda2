/*
 * serializer — MI_Serializer and MI_Deserializer in the "MI_XML" format: an instance as a
 * CIM-XML INSTANCE element, a class as a CLASS element (DSP0201), in UTF-8, written and
 * read by the library's CIM-XML writer and readers. An instance serialized with its
 * class carries the CLASS first, and reads back bound to it.
 */
#define _GNU_SOURCE /* memmem */

#include "serializer.h"

#include "cimxml/classes.h"
#include "cimxml/parse.h"
#include "cimxml/write.h"
#include "core/class_object.h"
#include "core/instance.h"
#include "core/name.h"
#include "core/strbuf.h"

#include <expat.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const MI_SerializerFT serializer_ft;
static const MI_DeserializerFT deserializer_ft;

static bool format_known(const MI_Char *format)
{
    return format && !strcasecmp(format, "MI_XML");
}

MI_Result mi_serializer_new(MI_Uint32 flags, const MI_Char *format, MI_Serializer *out)
{
    if (!out)
        return MI_RESULT_INVALID_PARAMETER;
    memset(out, 0, sizeof *out);
    if (flags || !format_known(format))
        return MI_RESULT_INVALID_PARAMETER; /* the one format is MI_XML */
    out->reserved2 = (ptrdiff_t)&serializer_ft;
    return MI_RESULT_OK;
}

MI_Result mi_deserializer_new(MI_Uint32 flags, const MI_Char *format, MI_Deserializer *out)
{
    if (!out)
        return MI_RESULT_INVALID_PARAMETER;
    memset(out, 0, sizeof *out);
    if (flags || !format_known(format))
        return MI_RESULT_INVALID_PARAMETER;
    out->reserved2 = (ptrdiff_t)&deserializer_ft;
    return MI_RESULT_OK;
}

/* ---- serializing ---- */

/* The text into the caller's buffer, or the size it needs. */
static MI_Result hand_over(mi_strbuf *text, MI_Uint8 *buffer, MI_Uint32 length, MI_Uint32 *needed)
{
    if (text->failed || text->len > UINT32_MAX) {
        mi_strbuf_free(text);
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    }
    MI_Result r = MI_RESULT_OK;
    if (needed)
        *needed = (MI_Uint32)text->len;
    if (!buffer || length < text->len)
        r = MI_RESULT_FAILED; /* *needed says how much it takes */
    else
        memcpy(buffer, text->data, text->len);
    mi_strbuf_free(text);
    return r;
}

static const cimxml_shape whole_class = {.qualifiers = true, .class_origin = true};

/* cls, after its superclasses when deep. */
static void put_class(mi_strbuf *out, const mi_class *cls, bool deep, int depth)
{
    if (deep && cls->superclass && depth < 256)
        put_class(out, cls->superclass, true, depth + 1);
    cimxml_class(out, cls, &whole_class);
}

static MI_Result MI_CALL serializer_close(MI_Serializer *serializer)
{
    memset(serializer, 0, sizeof *serializer);
    return MI_RESULT_OK;
}

static MI_Result MI_CALL serialize_class(MI_Serializer *serializer, MI_Uint32 flags,
                                         const MI_Class *class_object, MI_Uint8 *buffer,
                                         MI_Uint32 length, MI_Uint32 *needed)
{
    (void)serializer;
    const mi_class *cls = mi_class_object_class(class_object);
    if (!cls || (flags & ~(MI_Uint32)MI_SERIALIZER_FLAGS_CLASS_DEEP))
        return MI_RESULT_INVALID_PARAMETER;
    mi_strbuf text = {0};
    put_class(&text, cls, (flags & MI_SERIALIZER_FLAGS_CLASS_DEEP) != 0, 0);
    return hand_over(&text, buffer, length, needed);
}

static MI_Result MI_CALL serialize_instance(MI_Serializer *serializer, MI_Uint32 flags,
                                            const MI_Instance *inst, MI_Uint8 *buffer,
                                            MI_Uint32 length, MI_Uint32 *needed)
{
    (void)serializer;
    if (!inst || !mi_instance_is_native(inst) ||
        (flags & ~(MI_Uint32)MI_SERIALIZER_FLAGS_INSTANCE_WITH_CLASS))
        return MI_RESULT_INVALID_PARAMETER;
    const mi_class *cls = mi_instance_class((MI_Instance *)inst);
    mi_strbuf text = {0};
    if ((flags & MI_SERIALIZER_FLAGS_INSTANCE_WITH_CLASS) && cls)
        put_class(&text, cls, true, 0);
    cimxml_instance(&text, inst, NULL, cls);
    return hand_over(&text, buffer, length, needed);
}

static const MI_SerializerFT serializer_ft = {serializer_close, serialize_class,
                                              serialize_instance};

/* ---- the names a buffer gives ---- */

typedef struct named_element {
    const char *wanted; /* "CLASS" or "INSTANCE" */
    const char *attribute;
    bool last; /* the last such element, else the first */
    char *value;
    bool found, nomem;
} named_element;

static void XMLCALL on_element(void *data, const char *el, const char **attrs)
{
    named_element *f = data;
    if (strcmp(el, f->wanted) != 0 || (f->found && !f->last))
        return;
    const char *v = cimxml_attribute(attrs, f->attribute);
    free(f->value);
    f->value = v ? strdup(v) : NULL;
    f->nomem = v && !f->value;
    f->found = true;
}

/* The attribute of the element named wanted: an instance's (the INSTANCE, not a CLASS
 * before it), or the class deserialized from the buffer (the last CLASS). */
static MI_Result name_in(const MI_Uint8 *buffer, MI_Uint32 length, const char *wanted,
                         const char *attribute, bool last, MI_Char *out, MI_Uint32 *out_length)
{
    if (!buffer || !out_length)
        return MI_RESULT_INVALID_PARAMETER;
    named_element f = {wanted, attribute, last, NULL, false, false};
    XML_Parser xml = XML_ParserCreate("UTF-8");
    if (!xml)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    XML_SetUserData(xml, &f);
    XML_SetStartElementHandler(xml, on_element);
    /* a wrapper makes a class and the instance after it one document */
    bool well_formed =
        XML_Parse(xml, "<X>", 3, XML_FALSE) != XML_STATUS_ERROR &&
        XML_Parse(xml, (const char *)buffer, (int)length, XML_FALSE) != XML_STATUS_ERROR &&
        XML_Parse(xml, "</X>", 4, XML_TRUE) != XML_STATUS_ERROR;
    XML_ParserFree(xml);
    MI_Result r = MI_RESULT_OK;
    if (f.nomem)
        r = MI_RESULT_SERVER_LIMITS_EXCEEDED;
    else if (!well_formed || !f.found)
        r = MI_RESULT_INVALID_PARAMETER;
    if (r == MI_RESULT_OK) {
        size_t need = (f.value ? strlen(f.value) : 0) + 1;
        if (!out || *out_length < need)
            r = MI_RESULT_FAILED; /* *out_length says how much it takes */
        else
            memcpy(out, f.value ? f.value : "", need);
        *out_length = (MI_Uint32)need;
    }
    free(f.value);
    return r;
}

/* ---- deserializing ---- */

typedef struct class_lookup {
    MI_Class *parent; /* DeserializeClass's parentClass */
    MI_Class **given; /* DeserializeInstance's classObjects */
    MI_Uint32 given_count;
    MI_Deserializer_ClassObjectNeeded needed;
    void *needed_context;
    const char *server, *ns;
    const cimxml_class_reply *read; /* the classes read so far from the same buffer */
} class_lookup;

/* A class by name: read earlier from the buffer, given, or asked for. A new reference. */
static mi_class *find_class(class_lookup *l, const char *name)
{
    for (size_t i = 0; l->read && i < l->read->count; i++) {
        if (mi_name_equal(l->read->classes[i]->name, name)) {
            mi_class_ref(l->read->classes[i]);
            return l->read->classes[i];
        }
    }
    mi_class *cls = mi_class_object_class(l->parent);
    for (MI_Uint32 i = 0; (!cls || !mi_name_equal(cls->name, name)) && i < l->given_count; i++)
        cls = mi_class_object_class(l->given[i]);
    if (cls && mi_name_equal(cls->name, name)) {
        mi_class_ref(cls);
        return cls;
    }
    MI_Class *asked = NULL;
    if (l->needed && l->needed(l->needed_context, l->server, l->ns, name, &asked) == MI_RESULT_OK &&
        (cls = mi_class_object_class(asked)) != NULL)
        mi_class_ref(cls);
    else
        cls = NULL;
    if (asked)
        MI_Class_Delete(asked);
    return cls;
}

typedef struct superclass_context {
    class_lookup *lookup;
    cimxml_class_reply *reply;
} superclass_context;

static mi_class *superclass_of(void *context, const char *name, mi_error *err)
{
    superclass_context *c = context;
    c->lookup->read = c->reply;
    mi_class *cls = find_class(c->lookup, name);
    if (!cls)
        mi_error_set(err, MI_RESULT_INVALID_SUPERCLASS, "superclass %s is not known", name);
    return cls;
}

/* The classes a buffer holds, each built on its superclass. */
static MI_Result read_classes(const MI_Uint8 *buffer, MI_Uint32 length, class_lookup *lookup,
                              cimxml_class_reply *reply)
{
    superclass_context context = {lookup, reply};
    mi_error err = {0};
    /* one root for the several elements a buffer may hold */
    mi_strbuf wrapped = {0};
    mi_strbuf_puts(&wrapped, "<SERIALIZED>");
    mi_strbuf_append(&wrapped, (const char *)buffer, length);
    mi_strbuf_puts(&wrapped, "</SERIALIZED>");
    if (wrapped.failed) {
        mi_strbuf_free(&wrapped);
        memset(reply, 0, sizeof *reply);
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    }
    cimxml_fault fault =
        cimxml_read_classes(wrapped.data, wrapped.len, superclass_of, &context, reply, &err);
    mi_strbuf_free(&wrapped);
    lookup->read = NULL;
    if (fault == CIMXML_FAULT_NO_MEMORY)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    return fault == CIMXML_FAULT_NONE                 ? MI_RESULT_OK
           : err.code == MI_RESULT_INVALID_SUPERCLASS ? MI_RESULT_INVALID_SUPERCLASS
                                                      : MI_RESULT_INVALID_PARAMETER;
}

static MI_Result MI_CALL deserializer_close(MI_Deserializer *deserializer)
{
    memset(deserializer, 0, sizeof *deserializer);
    return MI_RESULT_OK;
}

static MI_Result MI_CALL deserialize_class(MI_Deserializer *deserializer, MI_Uint32 flags,
                                           MI_Uint8 *buffer, MI_Uint32 length, MI_Class *parent,
                                           const MI_Char *server, const MI_Char *ns,
                                           MI_Deserializer_ClassObjectNeeded needed,
                                           void *needed_context, MI_Uint32 *read, MI_Class **out,
                                           MI_Instance **details)
{
    (void)deserializer, (void)flags;
    if (details)
        *details = NULL;
    if (!out || !buffer)
        return MI_RESULT_INVALID_PARAMETER;
    *out = NULL;
    class_lookup lookup = {parent, NULL, 0, needed, needed_context, server, ns, NULL};
    cimxml_class_reply reply;
    MI_Result r = read_classes(buffer, length, &lookup, &reply);
    if (r == MI_RESULT_OK && reply.count == 0)
        r = MI_RESULT_INVALID_PARAMETER;
    if (r == MI_RESULT_OK)
        r = mi_class_object_new(reply.classes[reply.count - 1], ns, out);
    if (r == MI_RESULT_OK && read)
        *read = length;
    cimxml_class_reply_free(&reply);
    return r;
}

static MI_Result MI_CALL class_name(MI_Deserializer *deserializer, MI_Uint8 *buffer,
                                    MI_Uint32 length, MI_Char *name, MI_Uint32 *name_length,
                                    MI_Instance **details)
{
    (void)deserializer;
    if (details)
        *details = NULL;
    return name_in(buffer, length, "CLASS", "NAME", true, name, name_length);
}

static MI_Result MI_CALL parent_class_name(MI_Deserializer *deserializer, MI_Uint8 *buffer,
                                           MI_Uint32 length, MI_Char *name, MI_Uint32 *name_length,
                                           MI_Instance **details)
{
    (void)deserializer;
    if (details)
        *details = NULL;
    MI_Result r = name_in(buffer, length, "CLASS", "SUPERCLASS", true, name, name_length);
    if (r == MI_RESULT_OK && !*name)
        r = MI_RESULT_NOT_FOUND; /* a root class has no parent */
    return r;
}

static MI_Result MI_CALL instance_class_name(MI_Deserializer *deserializer, MI_Uint8 *buffer,
                                             MI_Uint32 length, MI_Char *name,
                                             MI_Uint32 *name_length, MI_Instance **details)
{
    (void)deserializer;
    if (details)
        *details = NULL;
    return name_in(buffer, length, "INSTANCE", "CLASSNAME", false, name, name_length);
}

/* The instance a reader gave (typed as written) bound to cls: each value set on the
 * property of that name, which must have its type. */
static MI_Result bind_to(MI_Instance *loose, mi_class *cls, MI_Instance **out)
{
    MI_Instance *bound = NULL;
    MI_Result r = mi_instance_new(&bound, cls->name, cls, NULL);
    MI_Uint32 count = 0;
    MI_Instance_GetElementCount(loose, &count);
    for (MI_Uint32 i = 0; r == MI_RESULT_OK && i < count; i++) {
        const MI_Char *name;
        MI_Value v;
        MI_Type type;
        MI_Uint32 flags;
        MI_Instance_GetElementAt(loose, i, &name, &v, &type, &flags);
        r = mi_instance_set_element(bound, name, (flags & MI_FLAG_NULL) ? NULL : &v, type,
                                    flags & MI_FLAG_NULL, NULL);
    }
    if (r != MI_RESULT_OK && bound) {
        mi_instance_delete(bound);
        bound = NULL;
    }
    *out = bound;
    return r;
}

static MI_Result MI_CALL deserialize_instance(MI_Deserializer *deserializer, MI_Uint32 flags,
                                              MI_Uint8 *buffer, MI_Uint32 length,
                                              MI_Class **classes, MI_Uint32 class_count,
                                              MI_Deserializer_ClassObjectNeeded needed,
                                              void *needed_context, MI_Uint32 *read,
                                              MI_Instance **out, MI_Instance **details)
{
    (void)deserializer, (void)flags;
    if (details)
        *details = NULL;
    if (!out || !buffer)
        return MI_RESULT_INVALID_PARAMETER;
    *out = NULL;
    /* the INSTANCE, read as a reply's result */
    static const char head[] = "<CIM CIMVERSION=\"2.0\" DTDVERSION=\"2.0\"><MESSAGE ID=\"0\" "
                               "PROTOCOLVERSION=\"1.0\"><SIMPLERSP><IMETHODRESPONSE "
                               "NAME=\"Deserialize\"><IRETURNVALUE>";
    static const char tail[] = "</IRETURNVALUE></IMETHODRESPONSE></SIMPLERSP></MESSAGE></CIM>";
    cimxml_request reply;
    memset(&reply, 0, sizeof reply);
    mi_error err = {0};
    cimxml_reader *reader = cimxml_reader_begin(&reply, &err);
    if (!reader)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    cimxml_reader_feed(reader, head, sizeof head - 1);
    cimxml_reader_feed(reader, (const char *)buffer, length);
    cimxml_reader_feed(reader, tail, sizeof tail - 1);
    cimxml_fault fault = cimxml_reader_end(reader);
    if (fault != CIMXML_FAULT_NONE)
        return fault == CIMXML_FAULT_NO_MEMORY ? MI_RESULT_SERVER_LIMITS_EXCEEDED
                                               : MI_RESULT_INVALID_PARAMETER;
    MI_Result r = reply.result_count == 1 ? MI_RESULT_OK : MI_RESULT_INVALID_PARAMETER;
    MI_Instance *loose = r == MI_RESULT_OK ? reply.results[0] : NULL;
    if (loose) {
        reply.results[0] = NULL;
        reply.result_count = 0;
    }
    cimxml_request_free(&reply);
    if (r != MI_RESULT_OK)
        return r;
    /* its class: in the buffer, among those given, or asked for; else it stays as read */
    class_lookup lookup = {NULL, classes, class_count, needed, needed_context, NULL, NULL, NULL};
    cimxml_class_reply in_buffer = {0};
    if (memmem(buffer, length, "<CLASS", 6) &&
        (r = read_classes(buffer, length, &lookup, &in_buffer)) != MI_RESULT_OK) {
        mi_instance_delete(loose);
        return r;
    }
    lookup.read = &in_buffer;
    mi_class *cls = find_class(&lookup, mi_instance_class_name(loose));
    if (cls) {
        MI_Instance *bound = NULL;
        r = bind_to(loose, cls, &bound);
        mi_class_unref(cls);
        if (r == MI_RESULT_OK) {
            const MI_Char *ns = NULL;
            if (MI_Instance_GetNameSpace(loose, &ns) == MI_RESULT_OK && ns)
                MI_Instance_SetNameSpace(bound, ns);
            mi_instance_delete(loose);
            loose = bound;
        }
    }
    cimxml_class_reply_free(&in_buffer);
    if (r != MI_RESULT_OK) {
        mi_instance_delete(loose);
        return r;
    }
    *out = loose;
    if (read)
        *read = length;
    return MI_RESULT_OK;
}

static const MI_DeserializerFT deserializer_ft = {deserializer_close,   deserialize_class,
                                                  class_name,           parent_class_name,
                                                  deserialize_instance, instance_class_name};
