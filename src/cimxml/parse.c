/*
 * cimxml/parse — see parse.h.
 *
 * A stack of frames follows the elements; instance names and instances are built as the
 * elements open and close, so nothing but the request's own objects is kept.
 */
#include "parse.h"

#include "core/instance.h"
#include "core/name.h"
#include "core/strbuf.h"
#include "core/value.h"

#include <expat.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_DEPTH 48
#define MAX_ATTRIBUTES 16

typedef enum frame_kind {
    F_OTHER,
    F_IMETHODCALL,
    F_LOCALNAMESPACEPATH,
    F_IPARAMVALUE,
    F_VALUE,
    F_VALUE_ARRAY,
    F_INSTANCENAME,
    F_KEYBINDING,
    F_KEYVALUE,
    F_VALUE_REFERENCE,
    F_INSTANCEPATH, /* INSTANCEPATH or LOCALINSTANCEPATH: carries a namespace */
    F_INSTANCE,
    F_PROPERTY,
    F_QUALIFIER, /* skipped with all it holds */
    F_IRETURNVALUE,
    F_OBJECT,     /* VALUE.OBJECTWITHPATH, VALUE.NAMEDINSTANCE, VALUE.INSTANCEWITHPATH */
    F_OBJECTPATH, /* OBJECTPATH */
    F_PARAMVALUE,
    F_TARGET,         /* METHODCALL's LOCALINSTANCEPATH or LOCALCLASSPATH */
    F_METHODRESPONSE, /* an extrinsic method's answer: its values become params */
} frame_kind;

typedef struct frame {
    frame_kind kind;
    char *name;         /* KEYBINDING, PROPERTY*: the element's NAME */
    MI_Type type;       /* PROPERTY*: its type; MI_REFERENCE for PROPERTY.REFERENCE */
    bool array;         /* PROPERTY.ARRAY */
    char *value_type;   /* KEYVALUE: VALUETYPE */
    MI_Instance *inst;  /* INSTANCENAME, INSTANCE: the object being built */
    MI_Instance *child; /* VALUE.REFERENCE, INSTANCEPATH: the reference it holds */
    char *ns;           /* INSTANCEPATH: its namespace; LOCALNAMESPACEPATH: what it built */
    char **items;       /* PROPERTY.ARRAY and VALUE.ARRAY: the VALUE texts */
    size_t item_count;
    bool has_value; /* a VALUE (or VALUE.ARRAY) was given */
    char *text;     /* PROPERTY: the VALUE text */
} frame;

typedef struct parser {
    XML_Parser xml;
    cimxml_request *req;
    frame stack[MAX_DEPTH];
    int depth;
    int skipping; /* > 0: inside an element whose content is ignored */
    mi_strbuf text;
    bool collecting;
    cimxml_fault fault;
    mi_error *err;
} parser;

static void fail(parser *p, cimxml_fault fault, const char *what)
{
    if (p->fault != CIMXML_FAULT_NONE)
        return;
    p->fault = fault;
    mi_error_set(p->err,
                 fault == CIMXML_FAULT_NO_MEMORY ? MI_RESULT_SERVER_LIMITS_EXCEEDED
                                                 : MI_RESULT_INVALID_PARAMETER,
                 "line %lu, column %lu: %s", (unsigned long)XML_GetCurrentLineNumber(p->xml),
                 (unsigned long)XML_GetCurrentColumnNumber(p->xml) + 1, what);
    XML_StopParser(p->xml, XML_FALSE);
}

const char *cimxml_attribute(const char **attrs, const char *name)
{
    for (int i = 0; attrs[i]; i += 2) {
        if (!strcasecmp(attrs[i], name))
            return attrs[i + 1];
    }
    return NULL;
}

static char *copy(parser *p, const char *text)
{
    char *c = strdup(text ? text : "");
    if (!c)
        fail(p, CIMXML_FAULT_NO_MEMORY, "out of memory");
    return c;
}

static frame *top(parser *p, int up)
{
    int at = p->depth - 1 - up;
    return at >= 0 ? &p->stack[at] : NULL;
}

static void frame_free(frame *f)
{
    free(f->name);
    free(f->value_type);
    free(f->ns);
    free(f->text);
    for (size_t i = 0; i < f->item_count; i++)
        free(f->items[i]);
    free(f->items);
    if (f->inst)
        mi_instance_delete(f->inst);
    if (f->child)
        mi_instance_delete(f->child);
    memset(f, 0, sizeof *f);
}

static bool push_item(parser *p, frame *f, const char *text)
{
    char **grown = realloc(f->items, (f->item_count + 1) * sizeof *grown);
    if (!grown) {
        fail(p, CIMXML_FAULT_NO_MEMORY, "out of memory");
        return false;
    }
    f->items = grown;
    if (!(f->items[f->item_count] = copy(p, text)))
        return false;
    f->item_count++;
    return true;
}

static void push_result(parser *p, MI_Instance *inst)
{
    cimxml_request *r = p->req;
    MI_Instance **grown = realloc(r->results, (r->result_count + 1) * sizeof *grown);
    if (!grown) {
        mi_instance_delete(inst);
        fail(p, CIMXML_FAULT_NO_MEMORY, "out of memory");
        return;
    }
    r->results = grown;
    r->results[r->result_count++] = inst;
}

/* An instance with the keys and namespace of its path: each property the path names is
 * flagged as a key. Takes both. */
static MI_Instance *merge_path(parser *p, MI_Instance *inst, MI_Instance *path)
{
    if (!path)
        return inst;
    MI_Instance *keyed = NULL;
    if (mi_instance_copy_with_keys(&keyed, inst, path, NULL, NULL) != MI_RESULT_OK) {
        mi_instance_delete(path);
        fail(p, CIMXML_FAULT_NO_MEMORY, "out of memory");
        return inst;
    }
    /* keys the path names and the instance leaves out (pywbem sends ModifiedInstance so):
     * the path's values */
    MI_Uint32 count = 0;
    MI_Instance_GetElementCount(path, &count);
    for (MI_Uint32 i = 0; i < count; i++) {
        const MI_Char *name;
        MI_Value v;
        MI_Type type;
        MI_Uint32 flags;
        MI_Value ignored;
        if (MI_Instance_GetElementAt(path, i, &name, &v, &type, &flags) != MI_RESULT_OK ||
            MI_Instance_GetElement(keyed, name, &ignored, NULL, NULL, NULL) == MI_RESULT_OK)
            continue;
        if (mi_instance_add_element(keyed, name, (flags & MI_FLAG_NULL) ? NULL : &v, type,
                                    MI_FLAG_KEY | (flags & MI_FLAG_NULL), NULL) != MI_RESULT_OK) {
            fail(p, CIMXML_FAULT_NO_MEMORY, "out of memory");
            break;
        }
    }
    mi_instance_delete(inst);
    mi_instance_delete(path);
    return keyed;
}

static cimxml_param *current_param(parser *p)
{
    return p->req->param_count ? &p->req->params[p->req->param_count - 1] : NULL;
}

/* A parameter (IPARAMVALUE, or an extrinsic method's PARAMVALUE or RETURNVALUE) begins:
 * f reads its value into a new entry of the request's params. */
static void start_param(parser *p, frame *f, const char *name, const char *type)
{
    if (!name)
        return fail(p, CIMXML_FAULT_NOT_VALID, "a parameter without a NAME");
    cimxml_request *req = p->req;
    cimxml_param *grown = realloc(req->params, (req->param_count + 1) * sizeof *grown);
    if (!grown)
        return fail(p, CIMXML_FAULT_NO_MEMORY, "out of memory");
    req->params = grown;
    cimxml_param *param = &req->params[req->param_count++];
    memset(param, 0, sizeof *param);
    param->name = copy(p, name);
    param->type = type ? copy(p, type) : NULL;
    f->kind = F_IPARAMVALUE;
}

MI_Type cimxml_type_from_name(const char *name, bool *ok)
{
    static const struct {
        const char *name;
        MI_Type type;
    } types[] = {{"boolean", MI_BOOLEAN},   {"uint8", MI_UINT8},   {"sint8", MI_SINT8},
                 {"uint16", MI_UINT16},     {"sint16", MI_SINT16}, {"uint32", MI_UINT32},
                 {"sint32", MI_SINT32},     {"uint64", MI_UINT64}, {"sint64", MI_SINT64},
                 {"real32", MI_REAL32},     {"real64", MI_REAL64}, {"char16", MI_CHAR16},
                 {"datetime", MI_DATETIME}, {"string", MI_STRING}, {"reference", MI_REFERENCE}};
    *ok = true;
    for (size_t i = 0; name && i < sizeof types / sizeof *types; i++) {
        if (!strcasecmp(types[i].name, name))
            return types[i].type;
    }
    *ok = name == NULL; /* no TYPE: a string */
    return MI_STRING;
}

/* ---- element starts ---- */

static void XMLCALL on_start(void *data, const char *el, const char **attrs)
{
    parser *p = data;
    if (p->fault)
        return;
    if (p->skipping) {
        p->skipping++;
        return;
    }
    int attr_count = 0;
    while (attrs[attr_count * 2])
        attr_count++;
    if (attr_count > MAX_ATTRIBUTES)
        return fail(p, CIMXML_FAULT_NOT_VALID, "too many attributes");
    if (p->depth >= MAX_DEPTH)
        return fail(p, CIMXML_FAULT_NOT_VALID, "elements nested too deeply");
    frame *parent = top(p, 0);
    frame *f = &p->stack[p->depth++];
    memset(f, 0, sizeof *f);
    f->kind = F_OTHER;
    cimxml_request *req = p->req;

    if (!strcmp(el, "MULTIREQ")) {
        fail(p, CIMXML_FAULT_MULTIPLE, "multiple requests are not supported");
    } else if (!strcmp(el, "MESSAGE")) {
        free(req->message_id);
        req->message_id = copy(p, cimxml_attribute(attrs, "ID"));
    } else if (!strcmp(el, "IMETHODRESPONSE") || !strcmp(el, "METHODRESPONSE")) {
        req->is_response = true;
        req->extrinsic = el[0] == 'M';
        f->kind = req->extrinsic ? F_METHODRESPONSE : F_OTHER;
        free(req->method);
        req->method = copy(p, cimxml_attribute(attrs, "NAME"));
    } else if ((!strcmp(el, "RETURNVALUE") || !strcmp(el, "PARAMVALUE")) && parent &&
               parent->kind == F_METHODRESPONSE) {
        /* the return value (as ReturnValue) and out parameters: read as parameters */
        return start_param(p, f, el[0] == 'R' ? "ReturnValue" : cimxml_attribute(attrs, "NAME"),
                           cimxml_attribute(attrs, "PARAMTYPE"));
    } else if (!strcmp(el, "PARAMVALUE") && parent && parent->kind == F_IMETHODCALL &&
               req->extrinsic) {
        return start_param(p, f, cimxml_attribute(attrs, "NAME"),
                           cimxml_attribute(attrs, "PARAMTYPE"));
    } else if (!strcmp(el, "ERROR")) {
        const char *code = cimxml_attribute(attrs, "CODE");
        req->error_code = code ? atoi(code) : 1;
        if (req->error_code <= 0)
            req->error_code = 1;
        free(req->error_description);
        req->error_description = copy(p, cimxml_attribute(attrs, "DESCRIPTION"));
    } else if (!strcmp(el, "IRETURNVALUE")) {
        f->kind = F_IRETURNVALUE;
    } else if (!strcmp(el, "VALUE.OBJECTWITHPATH") || !strcmp(el, "VALUE.NAMEDINSTANCE") ||
               !strcmp(el, "VALUE.INSTANCEWITHPATH")) {
        f->kind = F_OBJECT;
    } else if (!strcmp(el, "OBJECTPATH")) {
        f->kind = F_OBJECTPATH;
    } else if (!strcmp(el, "IMETHODCALL")) {
        const char *name = cimxml_attribute(attrs, "NAME");
        if (!name)
            return fail(p, CIMXML_FAULT_NOT_VALID, "IMETHODCALL without NAME");
        f->kind = F_IMETHODCALL;
        req->method = copy(p, name);
    } else if (!strcmp(el, "METHODCALL")) {
        const char *name = cimxml_attribute(attrs, "NAME");
        if (!name)
            return fail(p, CIMXML_FAULT_NOT_VALID, "METHODCALL without NAME");
        f->kind = F_IMETHODCALL; /* its namespace is read as an intrinsic call's */
        req->method = copy(p, name);
        req->extrinsic = true;
    } else if ((!strcmp(el, "PARAMVALUE") && parent && parent->kind == F_IMETHODCALL) ||
               !strcmp(el, "CLASS") || !strcmp(el, "QUALIFIER.DECLARATION")) {
        /* what no operation here reads (method arguments, class and qualifier
         * definitions): skipped, so that the call still gets its CIM answer */
        p->depth--;
        p->skipping = 1;
    } else if (!strcmp(el, "PARAMVALUE")) {
        f->kind = F_PARAMVALUE;
        f->name = copy(p, cimxml_attribute(attrs, "NAME"));
    } else if (!strcmp(el, "LOCALNAMESPACEPATH")) {
        f->kind = F_LOCALNAMESPACEPATH;
    } else if (!strcmp(el, "NAMESPACE")) {
        const char *name = cimxml_attribute(attrs, "NAME");
        if (!parent || parent->kind != F_LOCALNAMESPACEPATH || !name)
            return;
        size_t old = parent->ns ? strlen(parent->ns) : 0;
        char *grown = realloc(parent->ns, old + strlen(name) + 2);
        if (!grown)
            return fail(p, CIMXML_FAULT_NO_MEMORY, "out of memory");
        if (old)
            grown[old++] = '/';
        strcpy(grown + old, name);
        parent->ns = grown;
    } else if (!strcmp(el, "IPARAMVALUE")) {
        const char *name = cimxml_attribute(attrs, "NAME");
        if (!parent || parent->kind != F_IMETHODCALL || !name)
            return fail(p, CIMXML_FAULT_NOT_VALID, "IPARAMVALUE outside IMETHODCALL or unnamed");
        return start_param(p, f, name, NULL);
    } else if (!strcmp(el, "VALUE.ARRAY")) {
        f->kind = F_VALUE_ARRAY;
    } else if (!strcmp(el, "VALUE")) {
        f->kind = F_VALUE;
        p->collecting = true;
        p->text.len = 0;
        if (p->text.data)
            p->text.data[0] = '\0';
    } else if (!strcmp(el, "CLASSNAME")) {
        const char *name = cimxml_attribute(attrs, "NAME");
        cimxml_param *param = current_param(p);
        if (parent && parent->kind == F_TARGET && name) {
            free(req->target_class);
            req->target_class = copy(p, name);
        } else if (parent && parent->kind == F_IPARAMVALUE && param && name) {
            param->kind = CIMXML_PARAM_CLASSNAME;
            param->text = copy(p, name);
        }
    } else if (!strcmp(el, "INSTANCENAME")) {
        const char *cls = cimxml_attribute(attrs, "CLASSNAME");
        f->kind = F_INSTANCENAME;
        if (!cls || mi_instance_new(&f->inst, cls, NULL, NULL) != MI_RESULT_OK)
            fail(p, CIMXML_FAULT_NOT_VALID, "INSTANCENAME without a valid CLASSNAME");
    } else if (!strcmp(el, "KEYBINDING")) {
        f->kind = F_KEYBINDING;
        f->name = copy(p, cimxml_attribute(attrs, "NAME"));
    } else if (!strcmp(el, "KEYVALUE")) {
        f->kind = F_KEYVALUE;
        const char *vt = cimxml_attribute(attrs, "VALUETYPE");
        f->value_type = copy(p, vt ? vt : "string");
        p->collecting = true;
        p->text.len = 0;
        if (p->text.data)
            p->text.data[0] = '\0';
    } else if (!strcmp(el, "VALUE.REFERENCE")) {
        f->kind = F_VALUE_REFERENCE;
    } else if ((!strcmp(el, "LOCALINSTANCEPATH") || !strcmp(el, "LOCALCLASSPATH")) && parent &&
               parent->kind == F_IMETHODCALL) {
        f->kind = F_TARGET; /* the target of an extrinsic call */
    } else if (!strcmp(el, "INSTANCEPATH") || !strcmp(el, "LOCALINSTANCEPATH")) {
        f->kind = F_INSTANCEPATH;
    } else if (!strcmp(el, "INSTANCE")) {
        const char *cls = cimxml_attribute(attrs, "CLASSNAME");
        f->kind = F_INSTANCE;
        if (!cls || mi_instance_new(&f->inst, cls, NULL, NULL) != MI_RESULT_OK)
            fail(p, CIMXML_FAULT_NOT_VALID, "INSTANCE without a valid CLASSNAME");
    } else if (!strcmp(el, "PROPERTY") || !strcmp(el, "PROPERTY.ARRAY") ||
               !strcmp(el, "PROPERTY.REFERENCE")) {
        f->kind = F_PROPERTY;
        f->name = copy(p, cimxml_attribute(attrs, "NAME"));
        f->array = !strcmp(el, "PROPERTY.ARRAY");
        bool ok = true;
        f->type = !strcmp(el, "PROPERTY.REFERENCE")
                      ? MI_REFERENCE
                      : cimxml_type_from_name(cimxml_attribute(attrs, "TYPE"), &ok);
        if (strcmp(el, "PROPERTY.REFERENCE") != 0 && !ok)
            fail(p, CIMXML_FAULT_NOT_VALID, "a PROPERTY of an unknown TYPE");
        if (!parent || parent->kind != F_INSTANCE)
            fail(p, CIMXML_FAULT_NOT_VALID, "a PROPERTY outside an INSTANCE");
    } else if (!strcmp(el, "QUALIFIER")) {
        p->depth--; /* ignored with its content */
        p->skipping = 1;
    }
}

/* ---- text ---- */

static void XMLCALL on_text(void *data, const char *s, int len)
{
    parser *p = data;
    if (p->collecting && !p->skipping && !p->fault) {
        if (p->text.len + (size_t)len > 16u << 20)
            return fail(p, CIMXML_FAULT_NOT_VALID, "a value over 16 MB");
        mi_strbuf_append(&p->text, s, (size_t)len);
    }
}

static const char *collected(parser *p)
{
    p->collecting = false;
    if (p->text.failed) {
        fail(p, CIMXML_FAULT_NO_MEMORY, "out of memory");
        return "";
    }
    return p->text.data ? p->text.data : "";
}

/* ---- element ends ---- */

/* A finished reference (from VALUE.REFERENCE or a nested path) handed to its owner. */
static void give_reference(parser *p, MI_Instance *ref)
{
    frame *owner = top(p, 0);
    if (!owner) {
        mi_instance_delete(ref);
        return;
    }
    if (owner->child)
        mi_instance_delete(owner->child);
    owner->child = ref;
}

static void end_instancename(parser *p, frame *f)
{
    MI_Instance *inst = f->inst;
    f->inst = NULL;
    frame *parent = top(p, 0);
    if (!parent) {
        mi_instance_delete(inst);
        return;
    }
    if (parent->kind == F_TARGET) {
        if (p->req->target)
            mi_instance_delete(p->req->target);
        p->req->target = inst;
    } else if (parent->kind == F_IPARAMVALUE) {
        cimxml_param *param = current_param(p);
        param->kind = CIMXML_PARAM_INSTANCENAME;
        param->instance = inst;
    } else if (parent->kind == F_INSTANCEPATH || parent->kind == F_VALUE_REFERENCE ||
               parent->kind == F_OBJECT) {
        give_reference(p, inst);
    } else if (parent->kind == F_IRETURNVALUE) {
        push_result(p, inst);
    } else {
        mi_instance_delete(inst); /* e.g. the name inside VALUE.NAMEDINSTANCE */
    }
}

static void end_keyvalue(parser *p, frame *f)
{
    const char *text = collected(p);
    frame *binding = top(p, 0);
    frame *name_frame = top(p, 1);
    if (!binding || binding->kind != F_KEYBINDING || !name_frame ||
        name_frame->kind != F_INSTANCENAME || !binding->name)
        return fail(p, CIMXML_FAULT_NOT_VALID, "KEYVALUE outside a KEYBINDING");
    MI_Value v;
    MI_Type type = MI_STRING;
    if (!strcasecmp(f->value_type, "boolean")) {
        type = MI_BOOLEAN;
        if (!mi_value_from_text(MI_BOOLEAN, text, &v))
            return fail(p, CIMXML_FAULT_NOT_VALID, "a boolean KEYVALUE that is not TRUE/FALSE");
    } else {
        v.string = (MI_Char *)text; /* typed by the class when the path is resolved */
    }
    if (mi_instance_add_element(name_frame->inst, binding->name, &v, type, MI_FLAG_KEY, NULL) !=
        MI_RESULT_OK)
        fail(p, CIMXML_FAULT_NOT_VALID, "a KEYBINDING repeated or badly named");
}

static void end_keybinding(parser *p, frame *f)
{
    if (!f->child)
        return; /* its KEYVALUE did the work */
    frame *name_frame = top(p, 0);
    MI_Value v = {.reference = f->child};
    if (!name_frame || name_frame->kind != F_INSTANCENAME || !f->name ||
        mi_instance_add_element(name_frame->inst, f->name, &v, MI_REFERENCE,
                                MI_FLAG_KEY | MI_FLAG_ADOPT, NULL) != MI_RESULT_OK)
        return fail(p, CIMXML_FAULT_NOT_VALID, "a reference KEYBINDING badly placed or named");
    f->child = NULL;
}

/* A VALUE of a PROPERTY, or of a VALUE.ARRAY, or an IPARAMVALUE. */
static void end_value(parser *p)
{
    const char *text = collected(p);
    frame *parent = top(p, 0);
    if (!parent)
        return;
    if (parent->kind == F_VALUE_ARRAY) {
        push_item(p, parent, text);
    } else if (parent->kind == F_PROPERTY) {
        free(parent->text);
        parent->text = copy(p, text);
        parent->has_value = true;
    } else if (parent->kind == F_IPARAMVALUE) {
        cimxml_param *param = current_param(p);
        param->kind = CIMXML_PARAM_VALUE;
        free(param->text);
        param->text = copy(p, text);
    } else if (parent->kind == F_PARAMVALUE && parent->name) {
        char **field = !strcmp(parent->name, "EndOfSequence")        ? &p->req->end_of_sequence
                       : !strcmp(parent->name, "EnumerationContext") ? &p->req->enumeration_context
                                                                     : NULL;
        if (field) {
            free(*field);
            *field = copy(p, text);
        }
    }
}

static void end_value_array(parser *p, frame *f)
{
    frame *parent = top(p, 0);
    if (parent && parent->kind == F_PROPERTY) {
        parent->items = f->items;
        parent->item_count = f->item_count;
        parent->has_value = true;
        f->items = NULL;
        f->item_count = 0;
    } else if (parent && parent->kind == F_IPARAMVALUE) {
        cimxml_param *param = current_param(p);
        param->kind = CIMXML_PARAM_ARRAY;
        param->items = f->items;
        param->item_count = f->item_count;
        f->items = NULL;
        f->item_count = 0;
    }
}

/* A PROPERTY, PROPERTY.ARRAY or PROPERTY.REFERENCE of the INSTANCE being built. */
static void end_property(parser *p, frame *f)
{
    frame *owner = top(p, 0);
    if (!owner || owner->kind != F_INSTANCE || !f->name)
        return;
    MI_Type type = f->array ? (MI_Type)(f->type | MI_ARRAY) : f->type;
    MI_Result r;
    if (f->type == MI_REFERENCE) {
        MI_Value v = {.reference = f->child};
        r = mi_instance_add_element(owner->inst, f->name, f->child ? &v : NULL, MI_REFERENCE,
                                    f->child ? MI_FLAG_ADOPT : MI_FLAG_NULL, NULL);
        if (r == MI_RESULT_OK)
            f->child = NULL;
    } else if (!f->has_value) {
        r = mi_instance_add_element(owner->inst, f->name, NULL, type, MI_FLAG_NULL, NULL);
    } else if (!f->array) {
        MI_Value v;
        if (!mi_value_from_text(f->type, f->text ? f->text : "", &v))
            return fail(p, CIMXML_FAULT_NOT_VALID, "a PROPERTY value that does not fit its TYPE");
        r = mi_instance_add_element(owner->inst, f->name, &v, type, MI_FLAG_ADOPT, NULL);
        if (r != MI_RESULT_OK)
            mi_value_release(&v, type);
    } else {
        MI_Value v;
        if (!mi_value_array_from_texts(f->type, f->items, f->item_count, &v))
            return fail(p, CIMXML_FAULT_NOT_VALID, "a PROPERTY.ARRAY value that does not fit");
        r = mi_instance_add_element(owner->inst, f->name, &v, type, MI_FLAG_ADOPT, NULL);
        if (r != MI_RESULT_OK)
            mi_value_release(&v, type);
    }
    if (r != MI_RESULT_OK)
        fail(p, CIMXML_FAULT_NOT_VALID, "a PROPERTY repeated or badly named");
}

static void XMLCALL on_end(void *data, const char *el)
{
    (void)el;
    parser *p = data;
    if (p->fault)
        return;
    if (p->skipping) {
        p->skipping--;
        return;
    }
    if (p->depth == 0)
        return;
    frame *f = &p->stack[--p->depth]; /* the parent is now top(p, 0) */
    frame *parent = top(p, 0);
    switch (f->kind) {
    case F_LOCALNAMESPACEPATH:
        if ((parent && parent->kind == F_IMETHODCALL) ||
            (parent && parent->kind == F_TARGET)) { /* METHODCALL's instance or class path */
            free(p->req->ns);
            p->req->ns = f->ns;
            f->ns = NULL;
        } else if (parent &&
                   (parent->kind == F_INSTANCEPATH ||
                    (parent->kind == F_OTHER && top(p, 1) && top(p, 1)->kind == F_INSTANCEPATH))) {
            frame *path = parent->kind == F_INSTANCEPATH ? parent : top(p, 1);
            free(path->ns); /* INSTANCEPATH holds it inside NAMESPACEPATH */
            path->ns = f->ns;
            f->ns = NULL;
        }
        break;
    case F_VALUE:
        end_value(p);
        break;
    case F_VALUE_ARRAY:
        end_value_array(p, f);
        break;
    case F_INSTANCENAME:
        end_instancename(p, f);
        break;
    case F_KEYVALUE:
        end_keyvalue(p, f);
        break;
    case F_KEYBINDING:
        end_keybinding(p, f);
        break;
    case F_INSTANCEPATH:
        if (f->child && f->ns && MI_Instance_SetNameSpace(f->child, f->ns) != MI_RESULT_OK)
            fail(p, CIMXML_FAULT_NOT_VALID, "an invalid namespace in an instance path");
        if (f->child) {
            if (parent && parent->kind == F_IPARAMVALUE) {
                cimxml_param *param = current_param(p);
                param->kind = CIMXML_PARAM_INSTANCENAME;
                param->instance = f->child;
            } else if (parent && parent->kind == F_IRETURNVALUE) {
                push_result(p, f->child);
            } else {
                give_reference(p, f->child);
            }
            f->child = NULL;
        }
        break;
    case F_OBJECT: /* the instance with the keys of its path */
        if (f->inst && parent && parent->kind == F_IPARAMVALUE) {
            /* ModifyInstance's ModifiedInstance: a VALUE.NAMEDINSTANCE */
            cimxml_param *param = current_param(p);
            if (param->instance)
                mi_instance_delete(param->instance);
            param->kind = CIMXML_PARAM_INSTANCE;
            param->instance = merge_path(p, f->inst, f->child);
        } else if (f->inst)
            push_result(p, merge_path(p, f->inst, f->child));
        else if (f->child)
            mi_instance_delete(f->child);
        f->inst = f->child = NULL;
        break;
    case F_OBJECTPATH:
        if (f->child && parent && parent->kind == F_IRETURNVALUE) {
            push_result(p, f->child);
            f->child = NULL;
        }
        break;
    case F_VALUE_REFERENCE:
        if (f->child) {
            if (parent && parent->kind == F_IPARAMVALUE) {
                cimxml_param *param = current_param(p);
                param->kind = CIMXML_PARAM_INSTANCENAME;
                param->instance = f->child;
            } else {
                give_reference(p, f->child);
            }
            f->child = NULL;
        }
        break;
    case F_PROPERTY:
        end_property(p, f);
        break;
    case F_INSTANCE:
        if (parent && parent->kind == F_OBJECT) {
            parent->inst = f->inst;
            f->inst = NULL;
        } else if (parent && parent->kind == F_IRETURNVALUE) {
            push_result(p, f->inst);
            f->inst = NULL;
        } else if (parent &&
                   (parent->kind == F_IPARAMVALUE ||
                    (parent->kind == F_OTHER && top(p, 1) && top(p, 1)->kind == F_IPARAMVALUE))) {
            cimxml_param *param = current_param(p);
            if (param->instance)
                mi_instance_delete(param->instance);
            param->kind = CIMXML_PARAM_INSTANCE; /* also inside VALUE.NAMEDINSTANCE */
            param->instance = f->inst;
            f->inst = NULL;
        }
        break;
    default:
        break;
    }
    frame_free(f);
}

/* ---- what expat must refuse ---- */

static void XMLCALL on_doctype(void *data, const char *name, const char *sysid, const char *pubid,
                               int has_internal_subset)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
    fail(data, CIMXML_FAULT_NOT_WELL_FORMED, "a document type declaration is not accepted");
}

static void XMLCALL on_entity(void *data, const char *name, int is_parameter, const char *value,
                              int length, const char *base, const char *sysid, const char *pubid,
                              const char *notation)
{
    (void)name, (void)is_parameter, (void)value, (void)length, (void)base, (void)sysid;
    (void)pubid, (void)notation;
    fail(data, CIMXML_FAULT_NOT_WELL_FORMED, "entity declarations are not accepted");
}

struct cimxml_reader {
    parser p;
};

cimxml_reader *cimxml_reader_begin(cimxml_request *out, mi_error *err)
{
    memset(out, 0, sizeof *out);
    cimxml_reader *reader = calloc(1, sizeof *reader);
    if (!reader) {
        mi_error_nomem(err);
        return NULL;
    }
    parser *p = &reader->p;
    p->req = out;
    p->err = err;
    p->xml = XML_ParserCreate("UTF-8");
    if (!p->xml) {
        free(reader);
        mi_error_nomem(err);
        return NULL;
    }
    XML_SetUserData(p->xml, p);
    XML_SetElementHandler(p->xml, on_start, on_end);
    XML_SetCharacterDataHandler(p->xml, on_text);
    XML_SetStartDoctypeDeclHandler(p->xml, on_doctype);
    XML_SetEntityDeclHandler(p->xml, on_entity);
    return reader;
}

static void syntax_fault(parser *p)
{
    if (p->fault)
        return;
    p->fault = CIMXML_FAULT_NOT_WELL_FORMED;
    mi_error_set(p->err, MI_RESULT_INVALID_PARAMETER, "line %lu, column %lu: %s",
                 (unsigned long)XML_GetCurrentLineNumber(p->xml),
                 (unsigned long)XML_GetCurrentColumnNumber(p->xml) + 1,
                 XML_ErrorString(XML_GetErrorCode(p->xml)));
}

bool cimxml_reader_feed(cimxml_reader *reader, const char *piece, size_t length)
{
    parser *p = &reader->p;
    if (p->fault)
        return false;
    while (length > 0) { /* expat takes an int length */
        int n = length > (1u << 30) ? 1 << 30 : (int)length;
        if (XML_Parse(p->xml, piece, n, XML_FALSE) == XML_STATUS_ERROR) {
            syntax_fault(p);
            return false;
        }
        piece += n;
        length -= (size_t)n;
    }
    return !p->fault;
}

cimxml_fault cimxml_reader_end(cimxml_reader *reader)
{
    parser *p = &reader->p;
    cimxml_request *out = p->req;
    if (!p->fault && XML_Parse(p->xml, "", 0, XML_TRUE) == XML_STATUS_ERROR)
        syntax_fault(p);
    if (!p->fault && !out->is_response && (!out->method || !out->ns)) {
        p->fault = CIMXML_FAULT_NOT_VALID;
        mi_error_set(p->err, MI_RESULT_INVALID_PARAMETER,
                     "no IMETHODCALL with a LOCALNAMESPACEPATH in the request");
    }
    if (!p->fault && out->is_response && !out->method) {
        p->fault = CIMXML_FAULT_NOT_VALID;
        mi_error_set(p->err, MI_RESULT_INVALID_PARAMETER,
                     "no IMETHODRESPONSE or METHODRESPONSE in the reply");
    }
    while (p->depth > 0)
        frame_free(&p->stack[--p->depth]);
    mi_strbuf_free(&p->text);
    XML_ParserFree(p->xml);
    cimxml_fault fault = p->fault;
    free(reader);
    if (fault)
        cimxml_request_free(out);
    return fault;
}

cimxml_fault cimxml_parse(const char *body, size_t length, cimxml_request *out, mi_error *err)
{
    cimxml_reader *reader = cimxml_reader_begin(out, err);
    if (!reader)
        return CIMXML_FAULT_NO_MEMORY;
    cimxml_reader_feed(reader, body, length);
    return cimxml_reader_end(reader);
}

void cimxml_request_free(cimxml_request *r)
{
    for (size_t i = 0; i < r->param_count; i++) {
        cimxml_param *param = &r->params[i];
        free(param->name);
        free(param->type);
        free(param->text);
        for (size_t k = 0; k < param->item_count; k++)
            free(param->items[k]);
        free(param->items);
        if (param->instance)
            mi_instance_delete(param->instance);
    }
    free(r->params);
    if (r->target)
        mi_instance_delete(r->target);
    free(r->target_class);
    free(r->body);
    for (size_t i = 0; i < r->result_count; i++)
        mi_instance_delete(r->results[i]);
    free(r->results);
    free(r->error_description);
    free(r->end_of_sequence);
    free(r->enumeration_context);
    free(r->message_id);
    free(r->method);
    free(r->ns);
    memset(r, 0, sizeof *r);
}

const cimxml_param *cimxml_param_find(const cimxml_request *request, const char *name)
{
    for (size_t i = 0; i < request->param_count; i++) {
        if (mi_name_equal(request->params[i].name, name))
            return &request->params[i];
    }
    return NULL;
}
