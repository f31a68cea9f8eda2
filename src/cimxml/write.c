/*
 * cimxml_write — see cimxml_write.h.
 */
#include "write.h"

#include "core/name.h"
#include "core/value.h"

#include <inttypes.h>
#include <string.h>

void cimxml_escape(mi_strbuf *out, const char *text)
{
    mi_strbuf_put_xml(out, text);
}

static const char *type_name(MI_Type scalar)
{
    switch (scalar) {
    case MI_REFERENCE:
        return "reference";
    case MI_INSTANCE:
        return "string";
    default:
        return mi_type_name(scalar);
    }
}

/* One scalar as element text (escaped). */
static void scalar_text(mi_strbuf *out, const MI_Value *v, MI_Type type, MI_Uint32 i)
{
    bool array = MI_TYPE_IS_ARRAY(type);
    switch (MI_TYPE_SCALAR(type)) {
    case MI_STRING: {
        const char *text = array ? v->stringa.data[i] : v->string;
        cimxml_escape(out, text ? text : "");
        break;
    }
    case MI_CHAR16: { /* may need escaping too */
        mi_strbuf text = MI_STRBUF_INIT;
        mi_value_text(&text, v, type, i, 0);
        cimxml_escape(out, text.data ? text.data : "");
        mi_strbuf_free(&text);
        break;
    }
    case MI_INSTANCE: { /* an embedded instance: its INSTANCE element, escaped */
        const MI_Instance *inner = array ? v->instancea.data[i] : v->instance;
        if (inner) {
            mi_strbuf xml = MI_STRBUF_INIT;
            cimxml_instance(&xml, inner, NULL, NULL);
            cimxml_escape(out, xml.data ? xml.data : "");
            mi_strbuf_free(&xml);
        }
        break;
    }
    default:
        mi_value_text(out, v, type, i, 0);
        break;
    }
}

void cimxml_localnamespacepath(mi_strbuf *out, const char *ns)
{
    mi_strbuf_puts(out, "<LOCALNAMESPACEPATH>");
    const char *part = ns;
    while (part && *part) {
        const char *slash = strchr(part, '/');
        size_t len = slash ? (size_t)(slash - part) : strlen(part);
        if (len) {
            mi_strbuf_puts(out, "<NAMESPACE NAME=\"");
            char name[256];
            if (len >= sizeof name)
                len = sizeof name - 1;
            memcpy(name, part, len);
            name[len] = '\0';
            cimxml_escape(out, name);
            mi_strbuf_puts(out, "\"/>");
        }
        part = slash ? slash + 1 : NULL;
    }
    mi_strbuf_puts(out, "</LOCALNAMESPACEPATH>");
}

static void keyvalue(mi_strbuf *out, const MI_Value *v, MI_Type type)
{
    if (type == MI_REFERENCE) {
        mi_strbuf_puts(out, "<VALUE.REFERENCE>");
        if (v->reference) {
            const MI_Char *ns = NULL;
            MI_Instance_GetNameSpace(v->reference, &ns);
            if (ns && *ns) {
                mi_strbuf_puts(out, "<LOCALINSTANCEPATH>");
                cimxml_localnamespacepath(out, ns);
                cimxml_instancename(out, v->reference);
                mi_strbuf_puts(out, "</LOCALINSTANCEPATH>");
            } else {
                cimxml_instancename(out, v->reference);
            }
        }
        mi_strbuf_puts(out, "</VALUE.REFERENCE>");
        return;
    }
    const char *kind =
        type == MI_BOOLEAN ? "boolean"
        : type == MI_STRING || type == MI_DATETIME || type == MI_CHAR16 || type == MI_INSTANCE
            ? "string"
            : "numeric";
    mi_strbuf_printf(out, "<KEYVALUE VALUETYPE=\"%s\">", kind);
    scalar_text(out, v, type, 0);
    mi_strbuf_puts(out, "</KEYVALUE>");
}

void cimxml_instancename(mi_strbuf *out, const MI_Instance *inst)
{
    const MI_Char *cls = NULL;
    MI_Instance_GetClassName(inst, &cls);
    mi_strbuf_puts(out, "<INSTANCENAME CLASSNAME=\"");
    cimxml_escape(out, cls ? cls : "");
    mi_strbuf_puts(out, "\">");
    MI_Uint32 count = 0;
    MI_Instance_GetElementCount(inst, &count);
    for (MI_Uint32 i = 0; i < count; i++) {
        const MI_Char *name;
        MI_Value v;
        MI_Type type;
        MI_Uint32 flags;
        if (MI_Instance_GetElementAt(inst, i, &name, &v, &type, &flags) != MI_RESULT_OK ||
            !(flags & MI_FLAG_KEY) || (flags & MI_FLAG_NULL) || MI_TYPE_IS_ARRAY(type))
            continue;
        mi_strbuf_puts(out, "<KEYBINDING NAME=\"");
        cimxml_escape(out, name);
        mi_strbuf_puts(out, "\">");
        keyvalue(out, &v, type);
        mi_strbuf_puts(out, "</KEYBINDING>");
    }
    mi_strbuf_puts(out, "</INSTANCENAME>");
}

void cimxml_instancepath(mi_strbuf *out, const char *host, const char *ns, const MI_Instance *inst)
{
    const MI_Char *own = NULL;
    MI_Instance_GetNameSpace(inst, &own);
    mi_strbuf_puts(out, "<INSTANCEPATH><NAMESPACEPATH><HOST>");
    cimxml_escape(out, host ? host : "localhost");
    mi_strbuf_puts(out, "</HOST>");
    cimxml_localnamespacepath(out, own && *own ? own : ns);
    mi_strbuf_puts(out, "</NAMESPACEPATH>");
    cimxml_instancename(out, inst);
    mi_strbuf_puts(out, "</INSTANCEPATH>");
}

/* Whether the property `name` is written; a key (is_key) always is. */
static bool wanted(const cimxml_shape *shape, const char *name, bool is_key)
{
    if (!shape || is_key)
        return true;
    if (shape->within && !mi_class_find_property(shape->within, name, NULL))
        return false;
    if (!shape->properties)
        return true;
    for (size_t i = 0; i < shape->property_count; i++) {
        if (mi_name_equal(shape->properties[i], name))
            return true;
    }
    return false;
}

static void qualifiers(mi_strbuf *out, const mi_qualifier_list *list)
{
    for (uint32_t i = 0;; i++) {
        const mi_qualifier *q = mi_qualifier_list_at(list, i);
        if (!q)
            break;
        mi_strbuf_puts(out, "<QUALIFIER NAME=\"");
        cimxml_escape(out, q->name);
        mi_strbuf_printf(out, "\" TYPE=\"%s\"", type_name(MI_TYPE_SCALAR(q->type)));
        if (q->flavor & MI_FLAG_DISABLEOVERRIDE)
            mi_strbuf_puts(out, " OVERRIDABLE=\"false\"");
        if (q->flavor & MI_FLAG_RESTRICTED)
            mi_strbuf_puts(out, " TOSUBCLASS=\"false\"");
        if (q->flavor & MI_FLAG_TRANSLATABLE)
            mi_strbuf_puts(out, " TRANSLATABLE=\"true\"");
        mi_strbuf_puts(out, ">");
        if (!q->is_null && MI_TYPE_IS_ARRAY(q->type)) {
            mi_strbuf_puts(out, "<VALUE.ARRAY>");
            for (MI_Uint32 k = 0; k < q->value.uint8a.size; k++) {
                mi_strbuf_puts(out, "<VALUE>");
                scalar_text(out, &q->value, q->type, k);
                mi_strbuf_puts(out, "</VALUE>");
            }
            mi_strbuf_puts(out, "</VALUE.ARRAY>");
        } else if (!q->is_null) {
            mi_strbuf_puts(out, "<VALUE>");
            scalar_text(out, &q->value, q->type, 0);
            mi_strbuf_puts(out, "</VALUE>");
        }
        mi_strbuf_puts(out, "</QUALIFIER>");
    }
}

/* The opening of a PROPERTY, PROPERTY.ARRAY or PROPERTY.REFERENCE element; the name of
 * the element in *element. */
static void property_start(mi_strbuf *out, const char *name, MI_Type type, const char *ref_class,
                           MI_Uint32 array_max, const char *origin, bool propagated,
                           const char **element)
{
    MI_Type scalar = MI_TYPE_SCALAR(type);
    *element = scalar == MI_REFERENCE && !MI_TYPE_IS_ARRAY(type) ? "PROPERTY.REFERENCE"
               : MI_TYPE_IS_ARRAY(type)                          ? "PROPERTY.ARRAY"
                                                                 : "PROPERTY";
    mi_strbuf_printf(out, "<%s NAME=\"", *element);
    cimxml_escape(out, name);
    mi_strbuf_puts(out, "\"");
    if (scalar == MI_REFERENCE && !MI_TYPE_IS_ARRAY(type)) {
        if (ref_class) {
            mi_strbuf_puts(out, " REFERENCECLASS=\"");
            cimxml_escape(out, ref_class);
            mi_strbuf_puts(out, "\"");
        }
    } else {
        mi_strbuf_printf(out, " TYPE=\"%s\"", type_name(scalar));
        if (scalar == MI_INSTANCE)
            mi_strbuf_puts(out, " EmbeddedObject=\"instance\"");
        if (MI_TYPE_IS_ARRAY(type) && array_max)
            mi_strbuf_printf(out, " ARRAYSIZE=\"%u\"", (unsigned)array_max);
    }
    if (origin) {
        mi_strbuf_puts(out, " CLASSORIGIN=\"");
        cimxml_escape(out, origin);
        mi_strbuf_puts(out, "\"");
    }
    if (propagated)
        mi_strbuf_puts(out, " PROPAGATED=\"true\"");
    mi_strbuf_puts(out, ">");
}

static void property_value(mi_strbuf *out, const MI_Value *v, MI_Type type)
{
    if (MI_TYPE_SCALAR(type) == MI_REFERENCE && !MI_TYPE_IS_ARRAY(type)) {
        keyvalue(out, v, MI_REFERENCE);
    } else if (MI_TYPE_IS_ARRAY(type)) {
        mi_strbuf_puts(out, "<VALUE.ARRAY>");
        for (MI_Uint32 k = 0; k < v->uint8a.size; k++) {
            mi_strbuf_puts(out, "<VALUE>");
            scalar_text(out, v, type, k);
            mi_strbuf_puts(out, "</VALUE>");
        }
        mi_strbuf_puts(out, "</VALUE.ARRAY>");
    } else {
        mi_strbuf_puts(out, "<VALUE>");
        scalar_text(out, v, type, 0);
        mi_strbuf_puts(out, "</VALUE>");
    }
}

void cimxml_instance(mi_strbuf *out, const MI_Instance *inst, const cimxml_shape *shape,
                     const mi_class *cls)
{
    const MI_Char *class_name = NULL;
    MI_Instance_GetClassName(inst, &class_name);
    mi_strbuf_puts(out, "<INSTANCE CLASSNAME=\"");
    cimxml_escape(out, class_name ? class_name : "");
    mi_strbuf_puts(out, "\">");
    MI_Uint32 count = 0;
    MI_Instance_GetElementCount(inst, &count);
    for (MI_Uint32 i = 0; i < count; i++) {
        const MI_Char *name;
        MI_Value v;
        MI_Type type;
        MI_Uint32 flags;
        if (MI_Instance_GetElementAt(inst, i, &name, &v, &type, &flags) != MI_RESULT_OK)
            continue;
        const mi_property *p = cls ? mi_class_find_property(cls, name, NULL) : NULL;
        if (!wanted(shape, name, (flags & MI_FLAG_KEY) || (p && (p->flags & MI_FLAG_KEY))))
            continue;
        const char *element;
        property_start(out, name, type, p ? p->ref_class : NULL, 0,
                       shape && shape->class_origin && p ? p->origin : NULL, false, &element);
        if (shape && shape->qualifiers && p)
            qualifiers(out, &p->qualifiers);
        if (!(flags & MI_FLAG_NULL))
            property_value(out, &v, type);
        mi_strbuf_printf(out, "</%s>", element);
    }
    mi_strbuf_puts(out, "</INSTANCE>");
}

void cimxml_class(mi_strbuf *out, const mi_class *cls, const cimxml_shape *shape)
{
    bool with_qualifiers = !shape || shape->qualifiers;
    mi_strbuf_puts(out, "<CLASS NAME=\"");
    cimxml_escape(out, cls->name);
    mi_strbuf_puts(out, "\"");
    if (cls->superclass) {
        mi_strbuf_puts(out, " SUPERCLASS=\"");
        cimxml_escape(out, cls->superclass->name);
        mi_strbuf_puts(out, "\"");
    }
    mi_strbuf_puts(out, ">");
    if (with_qualifiers)
        qualifiers(out, &cls->qualifiers);
    for (uint32_t i = 0; i < cls->property_count; i++) {
        const mi_property *p = &cls->properties[i];
        if (!wanted(shape, p->name, (p->flags & MI_FLAG_KEY) != 0) ||
            (shape && shape->local_only && !p->local))
            continue;
        const char *element;
        property_start(out, p->name, p->type, p->ref_class, p->array_max,
                       shape && shape->class_origin ? p->origin : NULL, !p->local, &element);
        if (with_qualifiers)
            qualifiers(out, &p->qualifiers);
        if (p->has_default)
            property_value(out, &p->default_value, p->type);
        mi_strbuf_printf(out, "</%s>", element);
    }
    for (uint32_t i = 0; i < cls->method_count; i++) {
        const mi_method *m = &cls->methods[i];
        if (shape && shape->local_only && !m->local)
            continue;
        mi_strbuf_puts(out, "<METHOD NAME=\"");
        cimxml_escape(out, m->name);
        mi_strbuf_printf(out, "\" TYPE=\"%s\"", type_name(m->return_type));
        if (shape && shape->class_origin && m->origin) {
            mi_strbuf_puts(out, " CLASSORIGIN=\"");
            cimxml_escape(out, m->origin);
            mi_strbuf_puts(out, "\"");
        }
        if (!m->local)
            mi_strbuf_puts(out, " PROPAGATED=\"true\"");
        mi_strbuf_puts(out, ">");
        if (with_qualifiers)
            qualifiers(out, &m->qualifiers);
        for (uint32_t k = 0; k < m->parameter_count; k++) {
            const mi_parameter *prm = &m->parameters[k];
            MI_Type scalar = MI_TYPE_SCALAR(prm->type);
            bool array = MI_TYPE_IS_ARRAY(prm->type);
            const char *element = scalar == MI_REFERENCE
                                      ? (array ? "PARAMETER.REFARRAY" : "PARAMETER.REFERENCE")
                                  : array ? "PARAMETER.ARRAY"
                                          : "PARAMETER";
            mi_strbuf_printf(out, "<%s NAME=\"", element);
            cimxml_escape(out, prm->name);
            mi_strbuf_puts(out, "\"");
            if (scalar == MI_REFERENCE) {
                if (prm->ref_class) {
                    mi_strbuf_puts(out, " REFERENCECLASS=\"");
                    cimxml_escape(out, prm->ref_class);
                    mi_strbuf_puts(out, "\"");
                }
            } else {
                mi_strbuf_printf(out, " TYPE=\"%s\"", type_name(scalar));
            }
            if (array && prm->array_max)
                mi_strbuf_printf(out, " ARRAYSIZE=\"%u\"", (unsigned)prm->array_max);
            mi_strbuf_puts(out, ">");
            if (with_qualifiers)
                qualifiers(out, &prm->qualifiers);
            mi_strbuf_printf(out, "</%s>", element);
        }
        mi_strbuf_puts(out, "</METHOD>");
    }
    mi_strbuf_puts(out, "</CLASS>");
}

void cimxml_qualifier_declaration(mi_strbuf *out, const mi_qualifier_decl *decl)
{
    mi_strbuf_puts(out, "<QUALIFIER.DECLARATION NAME=\"");
    cimxml_escape(out, decl->name);
    mi_strbuf_printf(out, "\" TYPE=\"%s\"", type_name(MI_TYPE_SCALAR(decl->type)));
    if (MI_TYPE_IS_ARRAY(decl->type)) {
        mi_strbuf_puts(out, " ISARRAY=\"true\"");
        if (decl->array_max)
            mi_strbuf_printf(out, " ARRAYSIZE=\"%u\"", decl->array_max);
    }
    if (decl->flavor & MI_FLAG_DISABLEOVERRIDE)
        mi_strbuf_puts(out, " OVERRIDABLE=\"false\"");
    if (decl->flavor & MI_FLAG_RESTRICTED)
        mi_strbuf_puts(out, " TOSUBCLASS=\"false\"");
    if (decl->flavor & MI_FLAG_TRANSLATABLE)
        mi_strbuf_puts(out, " TRANSLATABLE=\"true\"");
    mi_strbuf_puts(out, "><SCOPE");
    static const struct {
        const char *name;
        MI_Uint32 flag;
    } scopes[] = {{"CLASS", MI_FLAG_CLASS},          {"ASSOCIATION", MI_FLAG_ASSOCIATION},
                  {"REFERENCE", MI_FLAG_REFERENCE},  {"PROPERTY", MI_FLAG_PROPERTY},
                  {"METHOD", MI_FLAG_METHOD},        {"PARAMETER", MI_FLAG_PARAMETER},
                  {"INDICATION", MI_FLAG_INDICATION}};
    for (size_t i = 0; i < sizeof scopes / sizeof *scopes; i++) {
        if (decl->scope & scopes[i].flag)
            mi_strbuf_printf(out, " %s=\"true\"", scopes[i].name);
    }
    mi_strbuf_puts(out, "/>");
    if (decl->has_default && MI_TYPE_IS_ARRAY(decl->type)) {
        mi_strbuf_puts(out, "<VALUE.ARRAY>");
        for (MI_Uint32 k = 0; k < decl->default_value.uint8a.size; k++) {
            mi_strbuf_puts(out, "<VALUE>");
            scalar_text(out, &decl->default_value, decl->type, k);
            mi_strbuf_puts(out, "</VALUE>");
        }
        mi_strbuf_puts(out, "</VALUE.ARRAY>");
    } else if (decl->has_default) {
        mi_strbuf_puts(out, "<VALUE>");
        scalar_text(out, &decl->default_value, decl->type, 0);
        mi_strbuf_puts(out, "</VALUE>");
    }
    mi_strbuf_puts(out, "</QUALIFIER.DECLARATION>");
}

void cimxml_error(mi_strbuf *out, MI_Result code, const char *description)
{
    mi_strbuf_printf(out, "<ERROR CODE=\"%d\" DESCRIPTION=\"", (int)code);
    cimxml_escape(out, description ? description : "");
    mi_strbuf_puts(out, "\"/>");
}

/* The start of a response up to <element NAME="method">. */
static void response_head(mi_strbuf *out, const char *message_id, const char *element,
                          const char *method)
{
    mi_strbuf_puts(out, "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n"
                        "<CIM CIMVERSION=\"2.0\" DTDVERSION=\"2.0\"><MESSAGE ID=\"");
    cimxml_escape(out, message_id ? message_id : "0");
    mi_strbuf_printf(out, "\" PROTOCOLVERSION=\"1.0\"><SIMPLERSP><%s NAME=\"", element);
    cimxml_escape(out, method ? method : "");
    mi_strbuf_puts(out, "\">");
}

void cimxml_response_begin(mi_strbuf *out, const char *message_id, const char *method)
{
    response_head(out, message_id, "IMETHODRESPONSE", method);
}

void cimxml_response_end(mi_strbuf *out)
{
    mi_strbuf_puts(out, "</IMETHODRESPONSE></SIMPLERSP></MESSAGE></CIM>\n");
}

void cimxml_method_error_response(mi_strbuf *out, const char *message_id, const char *method,
                                  MI_Result code, const char *description)
{
    response_head(out, message_id, "METHODRESPONSE", method);
    cimxml_error(out, code, description);
    cimxml_method_response_end(out);
}

void cimxml_method_response_begin(mi_strbuf *out, const char *message_id, const char *method)
{
    response_head(out, message_id, "METHODRESPONSE", method);
}

void cimxml_method_response_end(mi_strbuf *out)
{
    mi_strbuf_puts(out, "</METHODRESPONSE></SIMPLERSP></MESSAGE></CIM>\n");
}

void cimxml_paramvalue(mi_strbuf *out, const char *element, const char *name, const MI_Value *v,
                       MI_Type type, bool null)
{
    MI_Type scalar = MI_TYPE_SCALAR(type);
    mi_strbuf_printf(out, "<%s", element);
    if (name) {
        mi_strbuf_puts(out, " NAME=\"");
        cimxml_escape(out, name);
        mi_strbuf_puts(out, "\"");
    }
    mi_strbuf_printf(out, " PARAMTYPE=\"%s\"%s>", type_name(scalar),
                     scalar == MI_INSTANCE ? " EmbeddedObject=\"instance\"" : "");
    if (!null)
        property_value(out, v, type);
    mi_strbuf_printf(out, "</%s>", element);
}

void cimxml_methodcall_begin(mi_strbuf *out, unsigned message_id, const char *method,
                             const char *ns, const char *class_name, const MI_Instance *target)
{
    mi_strbuf_printf(out,
                     "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<CIM CIMVERSION=\"2.0\" "
                     "DTDVERSION=\"2.0\"><MESSAGE ID=\"%u\" PROTOCOLVERSION=\"1.0\"><SIMPLEREQ>"
                     "<METHODCALL NAME=\"",
                     message_id);
    cimxml_escape(out, method);
    mi_strbuf_puts(out, "\">");
    if (target) {
        mi_strbuf_puts(out, "<LOCALINSTANCEPATH>");
        cimxml_localnamespacepath(out, ns);
        cimxml_instancename(out, target);
        mi_strbuf_puts(out, "</LOCALINSTANCEPATH>");
    } else {
        mi_strbuf_puts(out, "<LOCALCLASSPATH>");
        cimxml_localnamespacepath(out, ns);
        mi_strbuf_puts(out, "<CLASSNAME NAME=\"");
        cimxml_escape(out, class_name ? class_name : "");
        mi_strbuf_puts(out, "\"/></LOCALCLASSPATH>");
    }
}

void cimxml_methodcall_end(mi_strbuf *out)
{
    mi_strbuf_puts(out, "</METHODCALL></SIMPLEREQ></MESSAGE></CIM>\n");
}
