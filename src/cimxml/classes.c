/*
 * cimxml/classes — see classes.h.
 */
#include "classes.h"

#include "core/strbuf.h"
#include "core/value.h"

#include <expat.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { MAX_DEPTH = 64 };

/* A property or parameter being read. */
typedef struct member {
    char *name;
    MI_Type scalar;
    bool array;
    MI_Uint32 array_max;
    char *ref_class;
    bool propagated;
    bool embedded; /* EmbeddedObject attribute */
    mi_qualifier_list qualifiers;
} member;

typedef struct reader {
    XML_Parser xml;
    cimxml_class_reply *out;
    mi_error *err;
    cimxml_fault fault;
    int depth;
    cimxml_superclass_fn superclass;
    void *context;
    /* what is being read */
    mi_class *cls;
    bool in_property, in_parameter, in_method;
    member property, parameter;
    mi_method *method; /* NULL: a propagated method, skipped */
    /* a qualifier */
    bool in_qualifier;
    char *qualifier_name;
    MI_Type qualifier_type;
    MI_Uint32 qualifier_flavor;
    /* the last VALUE or VALUE.ARRAY */
    bool in_value, has_value, value_array;
    mi_strbuf text;
    char **items;
    size_t item_count;
    /* an ERROR */
    bool error_seen;
    int skipping; /* > 0: inside an INSTANCE (a serialized one after its class) */
    /* a QUALIFIER.DECLARATION */
    bool in_declaration;
    char *declaration_name;
    MI_Type declaration_type;
    bool declaration_array;
    MI_Uint32 declaration_array_max, declaration_scope, declaration_flavor;
} reader;

static void fail(reader *r, cimxml_fault fault, const char *what)
{
    if (r->fault != CIMXML_FAULT_NONE)
        return;
    r->fault = fault;
    if (what)
        mi_error_set(r->err,
                     fault == CIMXML_FAULT_NO_MEMORY ? MI_RESULT_SERVER_LIMITS_EXCEEDED
                                                     : MI_RESULT_FAILED,
                     "line %lu: %s", (unsigned long)XML_GetCurrentLineNumber(r->xml), what);
    XML_StopParser(r->xml, XML_FALSE);
}

static bool is_true(const char *text)
{
    return text && !strcasecmp(text, "true");
}

static void value_reset(reader *r)
{
    for (size_t i = 0; i < r->item_count; i++)
        free(r->items[i]);
    free(r->items);
    r->items = NULL;
    r->item_count = 0;
    r->has_value = r->value_array = false;
    r->text.len = 0;
    if (r->text.data)
        r->text.data[0] = '\0';
}

static void member_reset(member *m)
{
    free(m->name);
    free(m->ref_class);
    mi_qualifier_list_free(&m->qualifiers);
    memset(m, 0, sizeof *m);
}

/* The value last read, typed; false when it does not fit the type. */
static bool take_value(reader *r, MI_Type scalar, bool array, MI_Value *out)
{
    if (!array)
        return mi_value_from_text(scalar, r->text.data ? r->text.data : "", out);
    return mi_value_array_from_texts(scalar, r->items, r->item_count, out);
}

/* The qualifier list the current QUALIFIER belongs to. */
static mi_qualifier_list *qualifier_owner(reader *r)
{
    if (r->in_parameter)
        return &r->parameter.qualifiers;
    if (r->in_property)
        return &r->property.qualifiers;
    if (r->in_method)
        return r->method ? &r->method->qualifiers : NULL;
    return r->cls ? &r->cls->qualifiers : NULL;
}

static bool qualifier_true(const mi_qualifier_list *list, const char *name)
{
    return mi_qualifier_list_true(list, name);
}

/* The declared type of a member: embedded instances are strings on the wire. */
static MI_Type member_type(const member *m, const char **ref_class)
{
    MI_Type scalar = m->scalar;
    *ref_class = m->ref_class;
    const mi_qualifier *embedded = mi_qualifier_list_find(&m->qualifiers, "EmbeddedInstance");
    if (scalar == MI_STRING && (m->embedded || embedded)) {
        scalar = MI_INSTANCE;
        if (embedded && !embedded->is_null && MI_TYPE_SCALAR(embedded->type) == MI_STRING &&
            !MI_TYPE_IS_ARRAY(embedded->type))
            *ref_class = embedded->value.string;
    }
    return scalar | (m->array ? MI_ARRAY : 0);
}

/* ---- element starts ---- */

static void start_class(reader *r, const char **attrs)
{
    const char *name = cimxml_attribute(attrs, "NAME");
    const char *super_name = cimxml_attribute(attrs, "SUPERCLASS");
    if (!name || r->cls)
        return fail(r, CIMXML_FAULT_NOT_VALID, "a CLASS without NAME, or inside another");
    mi_class *super = NULL;
    if (super_name) {
        super = r->superclass(r->context, super_name, r->err);
        if (!super) {
            r->fault = CIMXML_FAULT_NOT_VALID; /* err says why */
            XML_StopParser(r->xml, XML_FALSE);
            return;
        }
    }
    mi_error e;
    if (mi_class_new(&r->cls, name, super, &e) != MI_RESULT_OK)
        fail(r, CIMXML_FAULT_NOT_VALID, e.message);
    else if (super)
        r->cls->flags |= super->flags & (MI_FLAG_ASSOCIATION | MI_FLAG_INDICATION);
    if (super)
        mi_class_unref(super);
}

static void start_member(reader *r, member *m, const char *el, const char **attrs)
{
    bool ok = true;
    bool reference = strstr(el, ".REF") != NULL;
    m->name = cimxml_attribute(attrs, "NAME") ? strdup(cimxml_attribute(attrs, "NAME")) : NULL;
    m->scalar =
        reference ? MI_REFERENCE : cimxml_type_from_name(cimxml_attribute(attrs, "TYPE"), &ok);
    m->array = strstr(el, "ARRAY") != NULL;
    const char *size = cimxml_attribute(attrs, "ARRAYSIZE");
    m->array_max = size ? (MI_Uint32)strtoul(size, NULL, 10) : 0;
    const char *ref_class = cimxml_attribute(attrs, "REFERENCECLASS");
    m->ref_class = ref_class ? strdup(ref_class) : NULL;
    m->propagated = is_true(cimxml_attribute(attrs, "PROPAGATED"));
    m->embedded = cimxml_attribute(attrs, "EmbeddedObject") != NULL;
    if (!m->name || !ok || (ref_class && !m->ref_class))
        fail(r, m->name && !ok ? CIMXML_FAULT_NOT_VALID : CIMXML_FAULT_NO_MEMORY,
             m->name ? "a member of unknown TYPE" : "a member without NAME");
}

static void start_method(reader *r, const char **attrs)
{
    const char *name = cimxml_attribute(attrs, "NAME");
    bool ok = true;
    MI_Type type = cimxml_type_from_name(cimxml_attribute(attrs, "TYPE"), &ok);
    r->in_method = true;
    r->method = NULL;
    if (!name || !ok || !r->cls)
        return fail(r, CIMXML_FAULT_NOT_VALID, "a METHOD without NAME or of unknown TYPE");
    if (is_true(cimxml_attribute(attrs, "PROPAGATED")))
        return; /* inherited as it is */
    uint32_t index;
    mi_error e;
    if (mi_class_add_method(r->cls, name, cimxml_attribute(attrs, "TYPE") ? type : MI_UINT32,
                            &index, &e) != MI_RESULT_OK)
        return fail(r, CIMXML_FAULT_NOT_VALID, e.message);
    r->method = mi_class_method_at(r->cls, index);
    mi_qualifier_list_free(&r->method->qualifiers); /* the reply lists them all */
}

static void start_qualifier(reader *r, const char **attrs)
{
    const char *name = cimxml_attribute(attrs, "NAME");
    bool ok = true;
    r->qualifier_type = cimxml_type_from_name(cimxml_attribute(attrs, "TYPE"), &ok);
    if (!name || !ok)
        return fail(r, CIMXML_FAULT_NOT_VALID, "a QUALIFIER without NAME or of unknown TYPE");
    r->qualifier_name = strdup(name);
    if (!r->qualifier_name)
        return fail(r, CIMXML_FAULT_NO_MEMORY, "out of memory");
    const char *overridable = cimxml_attribute(attrs, "OVERRIDABLE");
    const char *to_subclass = cimxml_attribute(attrs, "TOSUBCLASS");
    r->qualifier_flavor =
        (overridable && !is_true(overridable) ? MI_FLAG_DISABLEOVERRIDE : MI_FLAG_ENABLEOVERRIDE) |
        (to_subclass && !is_true(to_subclass) ? MI_FLAG_RESTRICTED : MI_FLAG_TOSUBCLASS) |
        (is_true(cimxml_attribute(attrs, "TRANSLATABLE")) ? MI_FLAG_TRANSLATABLE : 0);
    r->in_qualifier = true;
    value_reset(r);
}

static void start_declaration(reader *r, const char **attrs)
{
    const char *name = cimxml_attribute(attrs, "NAME");
    bool ok = true;
    r->declaration_type = cimxml_type_from_name(cimxml_attribute(attrs, "TYPE"), &ok);
    if (!name || !ok)
        return fail(r, CIMXML_FAULT_NOT_VALID,
                    "a QUALIFIER.DECLARATION without NAME or of unknown TYPE");
    free(r->declaration_name);
    if (!(r->declaration_name = strdup(name)))
        return fail(r, CIMXML_FAULT_NO_MEMORY, "out of memory");
    const char *size = cimxml_attribute(attrs, "ARRAYSIZE");
    r->declaration_array = is_true(cimxml_attribute(attrs, "ISARRAY"));
    r->declaration_array_max = size ? (MI_Uint32)strtoul(size, NULL, 10) : 0;
    const char *overridable = cimxml_attribute(attrs, "OVERRIDABLE");
    const char *to_subclass = cimxml_attribute(attrs, "TOSUBCLASS");
    r->declaration_flavor =
        (overridable && !is_true(overridable) ? MI_FLAG_DISABLEOVERRIDE : MI_FLAG_ENABLEOVERRIDE) |
        (to_subclass && !is_true(to_subclass) ? MI_FLAG_RESTRICTED : MI_FLAG_TOSUBCLASS) |
        (is_true(cimxml_attribute(attrs, "TRANSLATABLE")) ? MI_FLAG_TRANSLATABLE : 0);
    r->declaration_scope = 0;
    r->in_declaration = true;
    value_reset(r);
}

/* <SCOPE CLASS="true" ...>: the declaration's scope, attribute by attribute. */
static void start_scope(reader *r, const char **attrs)
{
    static const struct {
        const char *name;
        MI_Uint32 flag;
    } scopes[] = {{"CLASS", MI_FLAG_CLASS},          {"ASSOCIATION", MI_FLAG_ASSOCIATION},
                  {"REFERENCE", MI_FLAG_REFERENCE},  {"PROPERTY", MI_FLAG_PROPERTY},
                  {"METHOD", MI_FLAG_METHOD},        {"PARAMETER", MI_FLAG_PARAMETER},
                  {"INDICATION", MI_FLAG_INDICATION}};
    for (size_t i = 0; i < sizeof scopes / sizeof *scopes; i++) {
        if (is_true(cimxml_attribute(attrs, scopes[i].name)))
            r->declaration_scope |= scopes[i].flag;
    }
}

static void end_declaration(reader *r)
{
    r->in_declaration = false;
    MI_Type type = r->declaration_type | (r->declaration_array ? MI_ARRAY : 0);
    MI_Value value;
    bool taken = false;
    if (r->has_value && !(taken = take_value(r, r->declaration_type, r->declaration_array, &value)))
        return fail(r, CIMXML_FAULT_NOT_VALID,
                    "a QUALIFIER.DECLARATION value that does not fit its TYPE");
    mi_qualifier_decl *decl = NULL;
    mi_error e;
    MI_Result res =
        mi_qualifier_decl_new(&decl, r->declaration_name, type, r->declaration_array_max,
                              r->declaration_scope ? r->declaration_scope : MI_FLAG_ANY,
                              r->declaration_flavor, taken ? &value : NULL, &e);
    if (taken)
        mi_value_release(&value, type);
    mi_qualifier_decl **grown =
        res == MI_RESULT_OK
            ? realloc(r->out->qualifiers, (r->out->qualifier_count + 1) * sizeof *grown)
            : NULL;
    if (!grown) {
        mi_qualifier_decl_free(decl);
        return fail(r, res == MI_RESULT_OK ? CIMXML_FAULT_NO_MEMORY : CIMXML_FAULT_NOT_VALID,
                    res == MI_RESULT_OK ? "out of memory" : e.message);
    }
    r->out->qualifiers = grown;
    r->out->qualifiers[r->out->qualifier_count++] = decl;
    value_reset(r);
}

static void XMLCALL on_start(void *data, const char *el, const char **attrs)
{
    reader *r = data;
    if (++r->depth > MAX_DEPTH)
        return fail(r, CIMXML_FAULT_NOT_VALID, "elements nested too deep");
    if (r->skipping || (!r->cls && !strcmp(el, "INSTANCE"))) {
        r->skipping++;
        return;
    }
    if (!strcmp(el, "CLASS")) {
        start_class(r, attrs);
    } else if (!strcmp(el, "PROPERTY") || !strcmp(el, "PROPERTY.ARRAY") ||
               !strcmp(el, "PROPERTY.REFERENCE")) {
        if (!r->cls)
            return fail(r, CIMXML_FAULT_NOT_VALID, "a PROPERTY outside a CLASS");
        r->in_property = true;
        start_member(r, &r->property, el, attrs);
        value_reset(r);
    } else if (!strcmp(el, "METHOD")) {
        start_method(r, attrs);
    } else if (!strncmp(el, "PARAMETER", 9)) {
        if (!r->in_method)
            return fail(r, CIMXML_FAULT_NOT_VALID, "a PARAMETER outside a METHOD");
        r->in_parameter = true;
        start_member(r, &r->parameter, el, attrs);
    } else if (!strcmp(el, "QUALIFIER")) {
        start_qualifier(r, attrs);
    } else if (!strcmp(el, "QUALIFIER.DECLARATION")) {
        start_declaration(r, attrs);
    } else if (!strcmp(el, "SCOPE") && r->in_declaration) {
        start_scope(r, attrs);
    } else if (!strcmp(el, "VALUE.ARRAY")) {
        value_reset(r);
        r->value_array = true;
        r->has_value = true;
    } else if (!strcmp(el, "VALUE")) {
        r->in_value = true;
        r->text.len = 0;
        if (r->text.data)
            r->text.data[0] = '\0';
    } else if (!strcmp(el, "ERROR")) {
        const char *code = cimxml_attribute(attrs, "CODE");
        const char *description = cimxml_attribute(attrs, "DESCRIPTION");
        r->out->error_code = code ? atoi(code) : 1;
        r->out->error_description = description ? strdup(description) : NULL;
        r->error_seen = true;
    }
}

static void XMLCALL on_text(void *data, const char *s, int len)
{
    reader *r = data;
    if (r->in_value)
        mi_strbuf_append(&r->text, s, (size_t)len);
}

/* ---- element ends ---- */

static void end_value(reader *r)
{
    r->in_value = false;
    if (r->text.failed)
        return fail(r, CIMXML_FAULT_NO_MEMORY, "out of memory");
    if (!r->value_array) {
        r->has_value = true;
        return;
    }
    char **grown = realloc(r->items, (r->item_count + 1) * sizeof *grown);
    char *item = strdup(r->text.data ? r->text.data : "");
    if (!grown || !item) {
        free(item);
        if (grown)
            r->items = grown;
        return fail(r, CIMXML_FAULT_NO_MEMORY, "out of memory");
    }
    r->items = grown;
    r->items[r->item_count++] = item;
}

static void end_qualifier(reader *r)
{
    r->in_qualifier = false;
    mi_qualifier_list *list = qualifier_owner(r);
    MI_Type type = r->qualifier_type | (r->value_array ? MI_ARRAY : 0);
    MI_Value value;
    bool taken = false;
    if (r->has_value && !(taken = take_value(r, r->qualifier_type, r->value_array, &value)))
        fail(r, CIMXML_FAULT_NOT_VALID, "a QUALIFIER value that does not fit its TYPE");
    else if (list) {
        mi_error e;
        if (mi_qualifier_list_add(list, r->qualifier_name, type, taken ? &value : NULL,
                                  r->qualifier_flavor, &e) != MI_RESULT_OK)
            fail(r, CIMXML_FAULT_NOT_VALID, e.message);
    }
    if (taken)
        mi_value_release(&value, type);
    free(r->qualifier_name);
    r->qualifier_name = NULL;
    value_reset(r);
}

static void end_property(reader *r)
{
    member *m = &r->property;
    r->in_property = false;
    if (r->fault == CIMXML_FAULT_NONE && !m->propagated) {
        const char *ref_class;
        MI_Type type = member_type(m, &ref_class);
        MI_Value value;
        bool has = r->has_value && m->scalar != MI_REFERENCE;
        if (has && !take_value(r, m->scalar, m->array, &value))
            return fail(r, CIMXML_FAULT_NOT_VALID, "a PROPERTY value that does not fit its TYPE");
        MI_Uint32 flags = (qualifier_true(&m->qualifiers, "Key") ? MI_FLAG_KEY : 0) |
                          (qualifier_true(&m->qualifiers, "Required") ? MI_FLAG_REQUIRED : 0) |
                          (qualifier_true(&m->qualifiers, "Static") ? MI_FLAG_STATIC : 0);
        mi_feature_spec spec = {m->name, type, ref_class, m->array_max, flags, has ? &value : NULL};
        uint32_t index;
        mi_error e;
        MI_Result res = mi_class_add_property(r->cls, &spec, &index, &e);
        if (has)
            mi_value_release(&value, m->scalar | (m->array ? MI_ARRAY : 0));
        if (res != MI_RESULT_OK)
            return fail(r, CIMXML_FAULT_NOT_VALID, e.message);
        mi_property *p = mi_class_property_at(r->cls, index);
        mi_qualifier_list_free(&p->qualifiers);
        p->qualifiers = m->qualifiers;
        m->qualifiers = (mi_qualifier_list){0};
    }
    member_reset(m);
    value_reset(r);
}

static void end_parameter(reader *r)
{
    member *m = &r->parameter;
    r->in_parameter = false;
    if (r->fault == CIMXML_FAULT_NONE && r->method) {
        const char *ref_class;
        MI_Type type = member_type(m, &ref_class);
        /* In is true unless said otherwise (its declared default) */
        const mi_qualifier *in = mi_qualifier_list_find(&m->qualifiers, "In");
        bool is_in = !in || qualifier_true(&m->qualifiers, "In");
        MI_Uint32 flags =
            (is_in ? MI_FLAG_IN : 0) | (qualifier_true(&m->qualifiers, "Out") ? MI_FLAG_OUT : 0);
        mi_feature_spec spec = {m->name, type, ref_class, m->array_max, flags, NULL};
        uint32_t index;
        mi_error e;
        if (mi_method_add_parameter(r->method, &spec, &index, &e) != MI_RESULT_OK)
            return fail(r, CIMXML_FAULT_NOT_VALID, e.message);
        mi_parameter *p = &r->method->parameters[index];
        mi_qualifier_list_free(&p->qualifiers);
        p->qualifiers = m->qualifiers;
        m->qualifiers = (mi_qualifier_list){0};
    }
    member_reset(m);
}

static void end_class(reader *r)
{
    mi_class *cls = r->cls;
    r->cls = NULL;
    if (!cls)
        return;
    mi_class_flags_from_qualifiers(cls);
    mi_class **grown = realloc(r->out->classes, (r->out->count + 1) * sizeof *grown);
    if (!grown) {
        mi_class_unref(cls);
        return fail(r, CIMXML_FAULT_NO_MEMORY, "out of memory");
    }
    r->out->classes = grown;
    r->out->classes[r->out->count++] = cls;
}

static void XMLCALL on_end(void *data, const char *el)
{
    reader *r = data;
    r->depth--;
    if (r->skipping) {
        r->skipping--;
        return;
    }
    if (!strcmp(el, "VALUE"))
        end_value(r);
    else if (!strcmp(el, "QUALIFIER"))
        end_qualifier(r);
    else if (!strcmp(el, "QUALIFIER.DECLARATION"))
        end_declaration(r);
    else if (!strncmp(el, "PROPERTY", 8))
        end_property(r);
    else if (!strncmp(el, "PARAMETER", 9))
        end_parameter(r);
    else if (!strcmp(el, "METHOD"))
        r->in_method = false, r->method = NULL;
    else if (!strcmp(el, "CLASS"))
        end_class(r);
}

static void XMLCALL on_doctype(void *data, const char *name, const char *sysid, const char *pubid,
                               int has_internal_subset)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
    fail(data, CIMXML_FAULT_NOT_WELL_FORMED, "a document type declaration");
}

static void XMLCALL on_entity(void *data, const char *name, int is_parameter, const char *value,
                              int length, const char *base, const char *sysid, const char *pubid,
                              const char *notation)
{
    (void)name, (void)is_parameter, (void)value, (void)length, (void)base, (void)sysid, (void)pubid,
        (void)notation;
    fail(data, CIMXML_FAULT_NOT_WELL_FORMED, "an entity declaration");
}

cimxml_fault cimxml_read_classes(const char *body, size_t length, cimxml_superclass_fn superclass,
                                 void *context, cimxml_class_reply *out, mi_error *err)
{
    memset(out, 0, sizeof *out);
    reader r = {0};
    r.out = out;
    r.err = err;
    r.superclass = superclass;
    r.context = context;
    r.xml = XML_ParserCreate("UTF-8");
    if (!r.xml) {
        mi_error_nomem(err);
        return CIMXML_FAULT_NO_MEMORY;
    }
    XML_SetUserData(r.xml, &r);
    XML_SetElementHandler(r.xml, on_start, on_end);
    XML_SetCharacterDataHandler(r.xml, on_text);
    XML_SetStartDoctypeDeclHandler(r.xml, on_doctype);
    XML_SetEntityDeclHandler(r.xml, on_entity);
    if (XML_Parse(r.xml, body, (int)length, XML_TRUE) == XML_STATUS_ERROR &&
        r.fault == CIMXML_FAULT_NONE) {
        r.fault = CIMXML_FAULT_NOT_WELL_FORMED;
        mi_error_set(err, MI_RESULT_FAILED, "line %lu, column %lu: %s",
                     (unsigned long)XML_GetCurrentLineNumber(r.xml),
                     (unsigned long)XML_GetCurrentColumnNumber(r.xml),
                     XML_ErrorString(XML_GetErrorCode(r.xml)));
    }
    XML_ParserFree(r.xml);
    if (r.cls)
        mi_class_unref(r.cls);
    member_reset(&r.property);
    member_reset(&r.parameter);
    free(r.qualifier_name);
    free(r.declaration_name);
    value_reset(&r);
    mi_strbuf_free(&r.text);
    if (r.fault != CIMXML_FAULT_NONE)
        cimxml_class_reply_free(out);
    return r.fault;
}

void cimxml_class_reply_free(cimxml_class_reply *reply)
{
    for (size_t i = 0; i < reply->count; i++)
        mi_class_unref(reply->classes[i]);
    free(reply->classes);
    for (size_t i = 0; i < reply->qualifier_count; i++)
        mi_qualifier_decl_free(reply->qualifiers[i]);
    free(reply->qualifiers);
    free(reply->error_description);
    memset(reply, 0, sizeof *reply);
}
