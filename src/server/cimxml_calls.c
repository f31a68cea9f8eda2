/*
 * cimxml_calls — see cimxml_calls.h. Instance operations become a request that the
 * reply runs on the engine, each result encoded as it comes; class operations, pulls
 * and errors are written whole (they are small, or a page).
 */
#include "cimxml_calls.h"

#include "cimxml/classes.h"
#include "cimxml/write.h"
#include "core/schema_batch.h"
#include "core/instance.h"
#include "core/name.h"
#include "core/path.h"
#include "engine/engine.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum result_shape {
    SHAPE_NONE,             /* nothing per result (Modify, Delete) */
    SHAPE_INSTANCE,         /* GetInstance: INSTANCE */
    SHAPE_NAMED_INSTANCE,   /* EnumerateInstances: VALUE.NAMEDINSTANCE */
    SHAPE_INSTANCENAME,     /* EnumerateInstanceNames, CreateInstance: INSTANCENAME */
    SHAPE_OBJECT_WITH_PATH, /* Associators, References: VALUE.OBJECTWITHPATH */
    SHAPE_OBJECT_PATH       /* AssociatorNames, ReferenceNames: OBJECTPATH */
} result_shape;

/* One call: the parsed request and how its results are written. */
typedef struct cimxml_call {
    cimxml_request *request;
    mi_repository *repo;
    mi_engine engine;
    mid_contexts *contexts;
    char *host;
    mi_request *run; /* an instance operation for the reply to run */
    result_shape shape;
    cimxml_shape filter;
    mi_strbuf whole; /* a reply written at once */
    mi_error err;
    mid_watch *watch;
    int fd;
    bool method_call; /* an extrinsic method: the reply is a METHODRESPONSE */
} cimxml_call;

static const char *const known_methods[] = {
    "GetInstance",
    "EnumerateInstances",
    "EnumerateInstanceNames",
    "Associators",
    "AssociatorNames",
    "References",
    "ReferenceNames",
    "GetClass",
    "EnumerateClasses",
    "EnumerateClassNames",
    "CreateInstance",
    "ModifyInstance",
    "DeleteInstance",
    "ExecQuery",
    "OpenEnumerateInstances",
    "OpenEnumerateInstancePaths",
    "OpenAssociatorInstances",
    "OpenAssociatorInstancePaths",
    "OpenReferenceInstances",
    "OpenReferenceInstancePaths",
    "OpenQueryInstances",
    "PullInstances",
    "PullInstancesWithPath",
    "PullInstancePaths",
    "CloseEnumeration",
};

static bool method_known(const char *method)
{
    for (size_t i = 0; i < sizeof known_methods / sizeof *known_methods; i++) {
        if (method && !strcmp(method, known_methods[i]))
            return true;
    }
    return false;
}

/* ---- parameters ---- */

static const char *text_param(const cimxml_request *r, const char *name)
{
    const cimxml_param *p = cimxml_param_find(r, name);
    if (!p)
        return NULL;
    if (p->kind == CIMXML_PARAM_VALUE || p->kind == CIMXML_PARAM_CLASSNAME)
        return p->text && *p->text ? p->text : NULL;
    return NULL;
}

static bool bool_param(const cimxml_request *r, const char *name, bool fallback)
{
    const char *text = text_param(r, name);
    if (!text)
        return fallback;
    return !strcasecmp(text, "true");
}

static MI_Result bad_parameter(cimxml_call *call, const char *name)
{
    return mi_error_set(&call->err, MI_RESULT_INVALID_PARAMETER,
                        "parameter %s is missing or of the wrong kind", name);
}

/* PropertyList: absent (or NULL) = all; an empty array = none but the keys. */
static void property_list(cimxml_call *call)
{
    static const char *const none[1] = {NULL};
    const cimxml_param *p = cimxml_param_find(call->request, "PropertyList");
    if (!p || p->kind == CIMXML_PARAM_EMPTY)
        return;
    if (p->kind == CIMXML_PARAM_ARRAY) {
        call->filter.properties = p->item_count ? (const char *const *)p->items : none;
        call->filter.property_count = p->item_count;
    } else if (p->kind == CIMXML_PARAM_VALUE) {
        call->filter.properties = (const char *const *)&p->text;
        call->filter.property_count = 1;
    }
}

/* ---- the whole reply at once ---- */

static void begin(cimxml_call *call, mi_strbuf *out)
{
    cimxml_response_begin(out, call->request->message_id, call->request->method);
}

/* ---- the encoder ---- */

static void encode_head(void *context, mi_strbuf *out)
{
    cimxml_call *call = context;
    begin(call, out);
    if (call->shape != SHAPE_NONE)
        mi_strbuf_puts(out, "<IRETURNVALUE>");
}

static void write_result(cimxml_call *call, mi_strbuf *out, const MI_Instance *inst);

static void encode_result(void *context, mi_strbuf *out, const MI_Instance *result)
{
    write_result(context, out, result);
}

static void encode_tail(void *context, mi_strbuf *out)
{
    cimxml_call *call = context;
    if (call->shape != SHAPE_NONE)
        mi_strbuf_puts(out, "</IRETURNVALUE>");
    cimxml_response_end(out);
}

static void encode_error(void *context, mi_strbuf *out, MI_Result code, const char *message,
                         bool after_head)
{
    cimxml_call *call = context;
    if (!after_head)
        begin(call, out);
    else if (call->shape != SHAPE_NONE)
        mi_strbuf_puts(out, "</IRETURNVALUE>");
    cimxml_error(out, code, message);
    cimxml_response_end(out);
}

static void call_free(void *context)
{
    cimxml_call *call = context;
    if (!call)
        return;
    mi_request_free(call->run);
    mi_strbuf_free(&call->whole);
    cimxml_request_free(call->request);
    free(call->request);
    free(call->host);
    free(call);
}

static const mid_encoder encoder = {encode_head, encode_result, encode_tail, encode_error,
                                    call_free};

/* ---- an extrinsic method's answer: METHODRESPONSE ---- */

static void method_head(void *context, mi_strbuf *out)
{
    cimxml_call *call = context;
    cimxml_method_response_begin(out, call->request->message_id, call->request->method);
}

/* The output parameters: ReturnValue as the RETURNVALUE, the others as PARAMVALUEs. */
static void method_result(void *context, mi_strbuf *out, const MI_Instance *result)
{
    (void)context;
    MI_Uint32 count = 0;
    MI_Instance_GetElementCount(result, &count);
    for (int pass = 0; pass < 2; pass++)
        for (MI_Uint32 i = 0; i < count; i++) {
            const MI_Char *name;
            MI_Value v;
            MI_Type type;
            MI_Uint32 flags;
            if (MI_Instance_GetElementAt(result, i, &name, &v, &type, &flags) != MI_RESULT_OK)
                continue;
            bool is_return = !strcasecmp(name, "ReturnValue");
            if (is_return != (pass == 0))
                continue;
            cimxml_paramvalue(out, is_return ? "RETURNVALUE" : "PARAMVALUE",
                              is_return ? NULL : name, &v, type, (flags & MI_FLAG_NULL) != 0);
        }
}

static void method_tail(void *context, mi_strbuf *out)
{
    (void)context;
    cimxml_method_response_end(out);
}

static void method_error(void *context, mi_strbuf *out, MI_Result code, const char *message,
                         bool after_head)
{
    if (!after_head)
        method_head(context, out);
    cimxml_error(out, code, message);
    cimxml_method_response_end(out);
}

static const mid_encoder method_encoder = {method_head, method_result, method_tail, method_error,
                                           call_free};

/* METHODCALL: the method of the target instance (or class) with its PARAMVALUEs as input
 * parameters, given as the wire has them (text, arrays of text, references); the engine
 * types them as the method declares. */
static MI_Result start_method(cimxml_call *call)
{
    const cimxml_request *r = call->request;
    call->method_call = true;
    const char *class_name = r->target ? mi_instance_class_name(r->target) : r->target_class;
    if (!class_name)
        return mi_error_set(&call->err, MI_RESULT_INVALID_PARAMETER,
                            "METHODCALL %s names no instance or class", r->method);
    MI_Instance *params = NULL;
    MI_Result res = mi_instance_new(&params, r->method, NULL, &call->err);
    for (size_t i = 0; res == MI_RESULT_OK && i < r->param_count; i++) {
        const cimxml_param *p = &r->params[i];
        MI_Value v;
        MI_Type type = MI_STRING;
        const MI_Value *value = &v;
        switch (p->kind) {
        case CIMXML_PARAM_VALUE:
        case CIMXML_PARAM_CLASSNAME:
            v.string = p->text ? p->text : (char *)"";
            break;
        case CIMXML_PARAM_ARRAY:
            v.stringa.data = p->items;
            v.stringa.size = (MI_Uint32)p->item_count;
            type = MI_STRINGA;
            break;
        case CIMXML_PARAM_INSTANCENAME:
            v.reference = p->instance;
            type = MI_REFERENCE;
            break;
        case CIMXML_PARAM_INSTANCE:
            v.instance = p->instance;
            type = MI_INSTANCE;
            break;
        default:
            value = NULL;
            break;
        }
        res = mi_instance_add_element(params, p->name, value, type, value ? 0 : MI_FLAG_NULL,
                                      &call->err);
    }
    mi_request q = {.operation = MI_OP_INVOKE,
                    .namespace_name = r->ns,
                    .class_name = class_name,
                    .source = r->target,
                    .instance = params,
                    .method = r->method};
    if (res == MI_RESULT_OK)
        res = mi_request_copy(&call->run, &q, &call->err);
    if (params)
        mi_instance_delete(params);
    return res;
}

/* ---- class operations ---- */

/* GetClass and EnumerateClasses(Names): the engine finds the classes. */
static MI_Result classes(cimxml_call *call, mi_operation_kind kind, bool names_only)
{
    const cimxml_request *r = call->request;
    mi_request q = {
        .operation = kind,
        .namespace_name = r->ns,
        .class_name = text_param(r, "ClassName"),
        .shallow = !bool_param(r, "DeepInheritance", false),
    };
    if (kind == MI_OP_GET_CLASS && !q.class_name)
        return bad_parameter(call, "ClassName");
    mi_class **found = NULL;
    size_t count = 0;
    MI_Result res = mi_engine_classes(&call->engine, &q, &found, &count, &call->err);
    if (res != MI_RESULT_OK)
        return res;
    call->filter.local_only = bool_param(r, "LocalOnly", true);
    call->filter.qualifiers = bool_param(r, "IncludeQualifiers", true);
    call->filter.class_origin = bool_param(r, "IncludeClassOrigin", false);
    if (kind == MI_OP_GET_CLASS)
        property_list(call);
    begin(call, &call->whole);
    mi_strbuf_puts(&call->whole, "<IRETURNVALUE>");
    for (size_t i = 0; i < count; i++) {
        if (names_only) {
            mi_strbuf_puts(&call->whole, "<CLASSNAME NAME=\"");
            cimxml_escape(&call->whole, found[i]->name);
            mi_strbuf_puts(&call->whole, "\"/>");
        } else {
            cimxml_class(&call->whole, found[i], &call->filter);
        }
        mi_class_unref(found[i]);
    }
    free(found);
    mi_strbuf_puts(&call->whole, "</IRETURNVALUE>");
    cimxml_response_end(&call->whole);
    return MI_RESULT_OK;
}

/* CreateClass, ModifyClass, DeleteClass and the qualifier type operations: kept in the
 * repository, each all or nothing. */

typedef struct definition_context {
    cimxml_call *call;
    bool superclass_missing;
} definition_context;

static mi_class *stored_superclass(void *context, const char *name, mi_error *err)
{
    definition_context *d = context;
    mi_class *cls = mi_repository_find_class(d->call->repo, d->call->request->ns, name);
    if (!cls) {
        d->superclass_missing = true;
        mi_error_set(err, MI_RESULT_INVALID_SUPERCLASS, "superclass %s is not in namespace %s",
                     name, d->call->request->ns);
        return NULL;
    }
    mi_class_ref(cls);
    return cls;
}

/* The definitions the message carries (a NewClass, ModifiedClass or
 * QualifierDeclaration). */
static MI_Result read_definitions(cimxml_call *call, const char *param, cimxml_class_reply *got)
{
    memset(got, 0, sizeof *got);
    const cimxml_request *r = call->request;
    if (!mi_repository_has_namespace(call->repo, r->ns))
        return mi_error_set(&call->err, MI_RESULT_INVALID_NAMESPACE, "namespace %s does not exist",
                            r->ns);
    if (!r->body || !cimxml_param_find(r, param))
        return bad_parameter(call, param);
    definition_context d = {call, false};
    mi_error err = {0};
    if (cimxml_read_classes(r->body, r->body_length, stored_superclass, &d, got, &err) !=
        CIMXML_FAULT_NONE)
        return mi_error_set(&call->err,
                            d.superclass_missing ? MI_RESULT_INVALID_SUPERCLASS
                                                 : MI_RESULT_INVALID_PARAMETER,
                            "%s: %s", param, err.message);
    return MI_RESULT_OK;
}

static void empty_reply(cimxml_call *call)
{
    begin(call, &call->whole);
    cimxml_response_end(&call->whole);
}

static MI_Result define_class(cimxml_call *call, bool create)
{
    const char *param = create ? "NewClass" : "ModifiedClass";
    cimxml_class_reply got;
    MI_Result res = read_definitions(call, param, &got);
    if (res != MI_RESULT_OK)
        return res;
    const char *ns = call->request->ns;
    mi_class *cls = got.count == 1 ? got.classes[0] : NULL;
    bool exists = cls && mi_repository_find_class(call->repo, ns, cls->name) != NULL;
    if (!cls)
        res = mi_error_set(&call->err, MI_RESULT_INVALID_PARAMETER, "%s holds no single CLASS",
                           param);
    else if (create && exists)
        res = mi_error_set(&call->err, MI_RESULT_ALREADY_EXISTS,
                           "class %s already exists in namespace %s", cls->name, ns);
    else if (!create && !exists)
        res = mi_error_set(&call->err, MI_RESULT_NOT_FOUND, "no class %s in namespace %s",
                           cls->name, ns);
    if (res == MI_RESULT_OK) {
        mi_schema_batch batch = MI_SCHEMA_BATCH_INIT;
        batch.replace = !create; /* a class is replaced where what is stored still fits */
        mi_class_ref(cls);
        res = mi_batch_add_class(&batch, ns, cls);
        if (res == MI_RESULT_OK)
            res = mi_repository_apply(call->repo, &batch, &call->err);
        else
            mi_error_nomem(&call->err);
        mi_batch_free(&batch);
    }
    cimxml_class_reply_free(&got);
    if (res == MI_RESULT_OK)
        empty_reply(call);
    return res;
}

static MI_Result delete_class(cimxml_call *call)
{
    const char *name = text_param(call->request, "ClassName");
    if (!name)
        return bad_parameter(call, "ClassName");
    MI_Result res = mi_repository_delete_class(call->repo, call->request->ns, name, &call->err);
    if (res == MI_RESULT_OK)
        empty_reply(call);
    return res;
}

static MI_Result qualifier_operation(cimxml_call *call, const char *m)
{
    const char *ns = call->request->ns;
    if (!strcmp(m, "SetQualifier")) {
        cimxml_class_reply got;
        MI_Result res = read_definitions(call, "QualifierDeclaration", &got);
        if (res == MI_RESULT_OK && got.qualifier_count != 1)
            res = mi_error_set(&call->err, MI_RESULT_INVALID_PARAMETER,
                               "QualifierDeclaration holds no single QUALIFIER.DECLARATION");
        if (res == MI_RESULT_OK) {
            mi_schema_batch batch = MI_SCHEMA_BATCH_INIT;
            res = mi_batch_add_qualifier(&batch, ns, got.qualifiers[0]); /* takes it */
            got.qualifiers[0] = NULL;
            got.qualifier_count = 0;
            if (res == MI_RESULT_OK)
                res = mi_repository_apply(call->repo, &batch, &call->err);
            else
                mi_error_nomem(&call->err);
            mi_batch_free(&batch);
        }
        cimxml_class_reply_free(&got);
        if (res == MI_RESULT_OK)
            empty_reply(call);
        return res;
    }
    if (!mi_repository_has_namespace(call->repo, ns))
        return mi_error_set(&call->err, MI_RESULT_INVALID_NAMESPACE, "namespace %s does not exist",
                            ns);
    if (!strcmp(m, "EnumerateQualifiers")) {
        char **names = NULL;
        size_t count = 0;
        MI_Result res = mi_repository_qualifier_names(call->repo, ns, &names, &count, &call->err);
        if (res != MI_RESULT_OK)
            return res;
        begin(call, &call->whole);
        mi_strbuf_puts(&call->whole, "<IRETURNVALUE>");
        for (size_t i = 0; i < count; i++) {
            const mi_qualifier_decl *decl = mi_repository_find_qualifier(call->repo, ns, names[i]);
            if (decl)
                cimxml_qualifier_declaration(&call->whole, decl);
            free(names[i]);
        }
        free(names);
        mi_strbuf_puts(&call->whole, "</IRETURNVALUE>");
        cimxml_response_end(&call->whole);
        return MI_RESULT_OK;
    }
    const char *name = text_param(call->request, "QualifierName");
    if (!name)
        return bad_parameter(call, "QualifierName");
    if (!strcmp(m, "DeleteQualifier")) {
        MI_Result res = mi_repository_delete_qualifier(call->repo, ns, name, &call->err);
        if (res == MI_RESULT_OK)
            empty_reply(call);
        return res;
    }
    const mi_qualifier_decl *decl = mi_repository_find_qualifier(call->repo, ns, name);
    if (!decl)
        return mi_error_set(&call->err, MI_RESULT_NOT_FOUND, "no qualifier type %s in namespace %s",
                            name, ns);
    begin(call, &call->whole);
    mi_strbuf_puts(&call->whole, "<IRETURNVALUE>");
    cimxml_qualifier_declaration(&call->whole, decl);
    mi_strbuf_puts(&call->whole, "</IRETURNVALUE>");
    cimxml_response_end(&call->whole);
    return MI_RESULT_OK;
}

/* Associators and References of a class (ObjectName is a CLASSNAME). */
static MI_Result class_neighbours(cimxml_call *call, mi_request *q, bool names_only)
{
    char **names = NULL;
    size_t count = 0;
    MI_Result res = mi_engine_class_neighbours(&call->engine, q, &names, &count, &call->err);
    if (res != MI_RESULT_OK)
        return res;
    call->filter.qualifiers = bool_param(call->request, "IncludeQualifiers", false);
    call->filter.class_origin = bool_param(call->request, "IncludeClassOrigin", false);
    property_list(call);
    begin(call, &call->whole);
    mi_strbuf_puts(&call->whole, "<IRETURNVALUE>");
    for (size_t i = 0; i < count; i++) {
        mi_strbuf *w = &call->whole;
        mi_strbuf_puts(w, names_only ? "<OBJECTPATH>" : "<VALUE.OBJECTWITHPATH>");
        mi_strbuf_puts(w, "<CLASSPATH><NAMESPACEPATH><HOST>");
        cimxml_escape(w, call->host);
        mi_strbuf_puts(w, "</HOST>");
        cimxml_localnamespacepath(w, call->request->ns);
        mi_strbuf_puts(w, "</NAMESPACEPATH><CLASSNAME NAME=\"");
        cimxml_escape(w, names[i]);
        mi_strbuf_puts(w, "\"/></CLASSPATH>");
        if (!names_only) {
            mi_class *cls = mi_repository_find_class(call->repo, call->request->ns, names[i]);
            if (cls)
                cimxml_class(w, cls, &call->filter);
        }
        mi_strbuf_puts(w, names_only ? "</OBJECTPATH>" : "</VALUE.OBJECTWITHPATH>");
        free(names[i]);
    }
    free(names);
    mi_strbuf_puts(&call->whole, "</IRETURNVALUE>");
    cimxml_response_end(&call->whole);
    return MI_RESULT_OK;
}

/* ---- instance operations ---- */

/* A copy of inst with its key properties flagged as the class declares them, so that the
 * engine finds its path (an INSTANCE element carries no key marks). */
static MI_Result with_keys(cimxml_call *call, const MI_Instance *inst, MI_Instance **out)
{
    *out = NULL;
    const char *class_name = mi_instance_class_name(inst);
    mi_class *cls = mi_repository_find_class(call->repo, call->request->ns, class_name);
    if (!cls)
        return mi_error_set(&call->err, MI_RESULT_INVALID_CLASS, "class %s is not in namespace %s",
                            class_name, call->request->ns);
    return mi_instance_copy_with_keys(out, inst, NULL, cls, &call->err);
}

static MI_Result keep_first(void *context, const MI_Instance *result)
{
    MI_Instance **out = context;
    return *out ? MI_RESULT_OK : mi_instance_clone(result, out);
}

static bool listed(const cimxml_param *list, const char *name)
{
    if (list->kind == CIMXML_PARAM_VALUE)
        return mi_name_equal(list->text, name);
    for (size_t i = 0; i < list->item_count; i++) {
        if (mi_name_equal(list->items[i], name))
            return true;
    }
    return false;
}

/* ModifyInstance as DSP0200 has it: the stored instance with the properties given set
 * (only those PropertyList names, when it is given; a listed property not given becomes
 * NULL); the others keep their values, and keys do not change. */
static MI_Result modification(cimxml_call *call, const MI_Instance *given, MI_Instance **out)
{
    *out = NULL;
    const cimxml_param *list = cimxml_param_find(call->request, "PropertyList");
    if (list && list->kind != CIMXML_PARAM_ARRAY && list->kind != CIMXML_PARAM_VALUE)
        list = NULL; /* absent or NULL: every property given */
    MI_Instance *path = NULL, *stored = NULL, *merged = NULL;
    MI_Result r = mi_path_of_instance(&path, given, &call->err);
    mi_request get = {
        .operation = MI_OP_GET_INSTANCE, .namespace_name = call->request->ns, .source = path};
    if (r == MI_RESULT_OK)
        r = mi_engine_run(&call->engine, &get, keep_first, &stored, &call->err);
    if (r == MI_RESULT_OK && !stored)
        r = mi_error_set(&call->err, MI_RESULT_NOT_FOUND, "the instance to modify is not there");
    mi_class *cls = r == MI_RESULT_OK ? mi_instance_class(stored) : NULL;
    if (r == MI_RESULT_OK)
        r = mi_instance_copy_with_keys(&merged, stored, NULL, cls, &call->err);
    MI_Uint32 count = 0;
    if (r == MI_RESULT_OK)
        MI_Instance_GetElementCount(given, &count);
    for (MI_Uint32 i = 0; r == MI_RESULT_OK && i < count; i++) {
        const MI_Char *name;
        MI_Value v;
        MI_Type type;
        MI_Uint32 flags;
        MI_Instance_GetElementAt(given, i, &name, &v, &type, &flags);
        const mi_property *p = cls ? mi_class_find_property(cls, name, NULL) : NULL;
        if ((list && !listed(list, name)) || (p && (p->flags & MI_FLAG_KEY)))
            continue;
        r = mi_instance_set_element(merged, name, (flags & MI_FLAG_NULL) ? NULL : &v, type,
                                    flags & MI_FLAG_NULL, &call->err);
    }
    for (size_t i = 0;
         r == MI_RESULT_OK && list && i < (list->kind == CIMXML_PARAM_VALUE ? 1 : list->item_count);
         i++) {
        const char *name = list->kind == CIMXML_PARAM_VALUE ? list->text : list->items[i];
        MI_Value v;
        if (MI_Instance_GetElement(given, name, &v, NULL, NULL, NULL) == MI_RESULT_OK)
            continue;
        const mi_property *p = cls ? mi_class_find_property(cls, name, NULL) : NULL;
        if (!p)
            r = mi_error_set(&call->err, MI_RESULT_INVALID_PARAMETER,
                             "PropertyList names %s, which class %s does not have", name,
                             mi_instance_class_name(stored));
        else if (!(p->flags & MI_FLAG_KEY))
            r = mi_instance_set_element(merged, name, NULL, p->type, MI_FLAG_NULL, &call->err);
    }
    if (path)
        mi_instance_delete(path);
    if (stored)
        mi_instance_delete(stored);
    if (r != MI_RESULT_OK && merged) {
        mi_instance_delete(merged);
        merged = NULL;
    }
    *out = merged;
    return r;
}

static MI_Result start_instances(cimxml_call *call)
{
    const cimxml_request *r = call->request;
    const char *m = r->method;
    mi_request q = {0};
    q.namespace_name = r->ns;
    bool associators = !strcmp(m, "Associators") || !strcmp(m, "AssociatorNames");
    bool references = !strcmp(m, "References") || !strcmp(m, "ReferenceNames");
    bool names = !strcmp(m, "AssociatorNames") || !strcmp(m, "ReferenceNames");
    MI_Instance *owned = NULL;
    if (associators || references) {
        q.operation = associators ? (names ? MI_OP_ASSOCIATOR_NAMES : MI_OP_ASSOCIATORS)
                                  : (names ? MI_OP_REFERENCE_NAMES : MI_OP_REFERENCES);
        q.assoc_class = associators ? text_param(r, "AssocClass") : NULL;
        q.result_class = text_param(r, "ResultClass");
        q.role = text_param(r, "Role");
        q.result_role = associators ? text_param(r, "ResultRole") : NULL;
        q.keys_only = names;
        const cimxml_param *object = cimxml_param_find(r, "ObjectName");
        if (object && object->kind == CIMXML_PARAM_CLASSNAME) {
            q.class_name = object->text;
            return class_neighbours(call, &q, names);
        }
        if (!object || object->kind != CIMXML_PARAM_INSTANCENAME)
            return bad_parameter(call, "ObjectName");
        q.source = object->instance;
        call->shape = names ? SHAPE_OBJECT_PATH : SHAPE_OBJECT_WITH_PATH;
        call->filter.qualifiers = bool_param(r, "IncludeQualifiers", false);
        call->filter.class_origin = bool_param(r, "IncludeClassOrigin", false);
        property_list(call);
    } else if (!strcmp(m, "GetInstance")) {
        const cimxml_param *name = cimxml_param_find(r, "InstanceName");
        if (!name || name->kind != CIMXML_PARAM_INSTANCENAME)
            return bad_parameter(call, "InstanceName");
        q.operation = MI_OP_GET_INSTANCE;
        q.source = name->instance;
        call->shape = SHAPE_INSTANCE;
        call->filter.qualifiers = bool_param(r, "IncludeQualifiers", false);
        call->filter.class_origin = bool_param(r, "IncludeClassOrigin", false);
        property_list(call);
    } else if (!strcmp(m, "EnumerateInstances") || !strcmp(m, "EnumerateInstanceNames")) {
        q.operation = MI_OP_ENUMERATE_INSTANCES;
        q.class_name = text_param(r, "ClassName");
        if (!q.class_name)
            return bad_parameter(call, "ClassName");
        q.keys_only = !strcmp(m, "EnumerateInstanceNames");
        /* DeepInheritance limits the properties, not the instances (DSP0200) */
        if (!q.keys_only && !bool_param(r, "DeepInheritance", true))
            call->filter.within = mi_repository_find_class(call->repo, r->ns, q.class_name);
        call->shape = q.keys_only ? SHAPE_INSTANCENAME : SHAPE_NAMED_INSTANCE;
        call->filter.qualifiers = bool_param(r, "IncludeQualifiers", false);
        call->filter.class_origin = bool_param(r, "IncludeClassOrigin", false);
        property_list(call);
    } else if (!strcmp(m, "ExecQuery")) { /* WQL or CQL, run by the engine */
        q.operation = MI_OP_QUERY_INSTANCES;
        q.query_language = text_param(r, "QueryLanguage");
        q.query_text = text_param(r, "Query");
        if (!q.query_language)
            return bad_parameter(call, "QueryLanguage");
        if (!q.query_text)
            return bad_parameter(call, "Query");
        call->shape = SHAPE_OBJECT_WITH_PATH;
    } else if (!strcmp(m, "DeleteInstance")) {
        const cimxml_param *name = cimxml_param_find(r, "InstanceName");
        if (!name || name->kind != CIMXML_PARAM_INSTANCENAME)
            return bad_parameter(call, "InstanceName");
        q.operation = MI_OP_DELETE_INSTANCE;
        q.source = name->instance;
        call->shape = SHAPE_NONE;
    } else { /* CreateInstance, ModifyInstance */
        bool create = !strcmp(m, "CreateInstance");
        const cimxml_param *given =
            cimxml_param_find(r, create ? "NewInstance" : "ModifiedInstance");
        if (!given || given->kind != CIMXML_PARAM_INSTANCE)
            return bad_parameter(call, create ? "NewInstance" : "ModifiedInstance");
        MI_Result res = with_keys(call, given->instance, &owned);
        if (res == MI_RESULT_OK && !create) {
            MI_Instance *merged = NULL;
            res = modification(call, owned, &merged);
            mi_instance_delete(owned);
            owned = merged;
        }
        if (res != MI_RESULT_OK)
            return res;
        q.operation = create ? MI_OP_CREATE_INSTANCE : MI_OP_MODIFY_INSTANCE;
        q.instance = owned;
        q.source = owned;
        call->shape = create ? SHAPE_INSTANCENAME : SHAPE_NONE;
    }
    MI_Result res = mi_request_copy(&call->run, &q, &call->err);
    if (owned)
        mi_instance_delete(owned);
    return res;
}

static MI_Result open_enumeration(cimxml_call *call);
static MI_Result pull(cimxml_call *call);
static MI_Result close_enumeration(cimxml_call *call);

mid_reply *mid_cimxml_call(const mid_env *env, cimxml_request *request)
{
    cimxml_call *call = calloc(1, sizeof *call);
    if (!call) {
        cimxml_request_free(request);
        free(request);
        return NULL;
    }
    call->request = request;
    call->repo = env->repo;
    call->engine = (mi_engine){env->repo, env->sources};
    call->contexts = env->contexts;
    call->watch = env->watch;
    call->fd = env->fd;
    call->host = strdup(env->host && *env->host ? env->host : "localhost");
    const char *m = request->method;
    MI_Result r;
    if (!call->host)
        r = mi_error_nomem(&call->err);
    else if (request->extrinsic)
        r = start_method(call);
    else if (!strcmp(m, "GetClass"))
        r = classes(call, MI_OP_GET_CLASS, false);
    else if (!strcmp(m, "EnumerateClasses") || !strcmp(m, "EnumerateClassNames"))
        r = classes(call, MI_OP_ENUMERATE_CLASSES, !strcmp(m, "EnumerateClassNames"));
    else if (!strcmp(m, "CreateClass") || !strcmp(m, "ModifyClass"))
        r = define_class(call, !strcmp(m, "CreateClass"));
    else if (!strcmp(m, "DeleteClass"))
        r = delete_class(call);
    else if (!strcmp(m, "GetQualifier") || !strcmp(m, "SetQualifier") ||
             !strcmp(m, "DeleteQualifier") || !strcmp(m, "EnumerateQualifiers"))
        r = qualifier_operation(call, m);
    else if (!strncmp(m, "Open", 4))
        r = open_enumeration(call);
    else if (!strncmp(m, "Pull", 4))
        r = pull(call);
    else if (!strcmp(m, "CloseEnumeration"))
        r = close_enumeration(call);
    else if (method_known(m))
        r = start_instances(call);
    else
        r = mi_error_set(&call->err, MI_RESULT_NOT_SUPPORTED, "method %s is not supported", m);
    const mid_encoder *enc = call->method_call ? &method_encoder : &encoder;
    if (r != MI_RESULT_OK) {
        mi_strbuf_free(&call->whole);
        enc->error(call, &call->whole, r, call->err.message, false);
    }
    if (r == MI_RESULT_OK && call->run) {
        mi_request *run = call->run;
        call->run = NULL;
        return mid_reply_run(&call->engine, run, enc, call);
    }
    mi_strbuf text = call->whole;
    call->whole = (mi_strbuf)MI_STRBUF_INIT;
    return mid_reply_text(&text, r, enc, call);
}

/* One result in the shape the method answers with. */
static void write_result(cimxml_call *call, mi_strbuf *out, const MI_Instance *inst)
{
    const char *ns = call->request->ns;
    const mi_class *cls = mi_instance_class((MI_Instance *)inst);
    switch (call->shape) {
    case SHAPE_INSTANCE:
        cimxml_instance(out, inst, &call->filter, cls);
        break;
    case SHAPE_NAMED_INSTANCE:
        mi_strbuf_puts(out, "<VALUE.NAMEDINSTANCE>");
        cimxml_instancename(out, inst);
        cimxml_instance(out, inst, &call->filter, cls);
        mi_strbuf_puts(out, "</VALUE.NAMEDINSTANCE>");
        break;
    case SHAPE_INSTANCENAME:
        cimxml_instancename(out, inst);
        break;
    case SHAPE_OBJECT_WITH_PATH:
        mi_strbuf_puts(out, "<VALUE.OBJECTWITHPATH>");
        cimxml_instancepath(out, call->host, ns, inst);
        cimxml_instance(out, inst, &call->filter, cls);
        mi_strbuf_puts(out, "</VALUE.OBJECTWITHPATH>");
        break;
    case SHAPE_OBJECT_PATH:
        mi_strbuf_puts(out, "<OBJECTPATH>");
        cimxml_instancepath(out, call->host, ns, inst);
        mi_strbuf_puts(out, "</OBJECTPATH>");
        break;
    case SHAPE_NONE:
        break;
    }
}

/* ---- pull operations ---- */

typedef struct pull_state {
    mi_engine_cursor *cursor;
    bool paths;        /* *InstancePaths: INSTANCEPATH results, else VALUE.INSTANCEWITHPATH */
    bool plain;        /* OpenQueryInstances: INSTANCE results, taken by PullInstances */
    char **properties; /* the PropertyList, or NULL for all */
    size_t property_count;
    const mi_class *within; /* without DeepInheritance: the class enumerated */
    MI_Instance *peeked;    /* read ahead to tell the end of the sequence */
    unsigned timeout;
    mi_request *request; /* the cursor's: it outlives the Open request */
    int cancelled;       /* the request's: set when a pull's client goes while it runs */
} pull_state;

void mid_pull_free(void *p)
{
    pull_state *st = p;
    if (!st)
        return;
    mi_engine_close(st->cursor);
    for (size_t i = 0; i < st->property_count; i++)
        free(st->properties[i]);
    free(st->properties);
    if (st->peeked)
        mi_instance_delete(st->peeked);
    mi_request_free(st->request);
    free(st);
}

#define DEFAULT_OPERATION_TIMEOUT 60
#define MAX_OPERATION_TIMEOUT 3600

static bool uint_param(const cimxml_request *r, const char *name, unsigned long *out)
{
    const char *text = text_param(r, name);
    if (!text)
        return false;
    char *end;
    unsigned long n = strtoul(text, &end, 10);
    if (*end || text[0] == '-')
        return false;
    *out = n;
    return true;
}

static MI_Result pull_some_watched(cimxml_call *call, pull_state *st, unsigned long max, bool *end);

/* Writes up to max results of st, then tells whether the sequence ended; a client that
 * goes meanwhile cancels the enumeration. */
static MI_Result pull_some(cimxml_call *call, pull_state *st, unsigned long max, bool *end)
{
    bool watched =
        call->watch && call->fd >= 0 && mid_watch_add(call->watch, call->fd, &st->cancelled);
    MI_Result r = pull_some_watched(call, st, max, end);
    if (watched)
        mid_watch_remove(call->watch, &st->cancelled);
    return r;
}

static MI_Result pull_some_watched(cimxml_call *call, pull_state *st, unsigned long max, bool *end)
{
    mi_strbuf *w = &call->whole;
    call->filter.properties = (const char *const *)st->properties;
    call->filter.property_count = st->property_count;
    call->filter.within = st->within;
    mi_strbuf_puts(w, "<IRETURNVALUE>");
    MI_Result r = MI_RESULT_OK;
    *end = false;
    for (unsigned long n = 0; n <= max && r == MI_RESULT_OK;) {
        const MI_Instance *inst = st->peeked;
        if (!inst) {
            r = mi_engine_next(st->cursor, &inst, &call->err);
            if (r != MI_RESULT_OK)
                break;
            if (!inst) {
                *end = true;
                break;
            }
        }
        if (n == max) { /* one too many: keep it for the next pull */
            if (!st->peeked && mi_instance_clone(inst, &st->peeked) != MI_RESULT_OK)
                r = mi_error_nomem(&call->err);
            break;
        }
        const mi_class *cls = mi_instance_class((MI_Instance *)inst);
        if (st->paths) {
            cimxml_instancepath(w, call->host, call->request->ns, inst);
        } else if (st->plain) {
            cimxml_instance(w, inst, &call->filter, cls);
        } else {
            mi_strbuf_puts(w, "<VALUE.INSTANCEWITHPATH>");
            cimxml_instancepath(w, call->host, call->request->ns, inst);
            cimxml_instance(w, inst, &call->filter, cls);
            mi_strbuf_puts(w, "</VALUE.INSTANCEWITHPATH>");
        }
        if (st->peeked) {
            mi_instance_delete(st->peeked);
            st->peeked = NULL;
        }
        n++;
    }
    mi_strbuf_puts(w, "</IRETURNVALUE>");
    return r;
}

/* The end of an Open or Pull reply: EndOfSequence and the context's (new) name. */
static MI_Result finish_pull(cimxml_call *call, pull_state *st, bool end)
{
    char name[33] = "";
    if (!end) {
        if (!mid_contexts_put(call->contexts, st, mid_pull_free, st->timeout, name)) {
            mid_pull_free(st);
            return mi_error_set(&call->err, MI_RESULT_SERVER_LIMITS_EXCEEDED,
                                "too many open enumerations");
        }
    } else {
        mid_pull_free(st);
    }
    mi_strbuf *w = &call->whole;
    mi_strbuf_printf(w,
                     "<PARAMVALUE NAME=\"EndOfSequence\" PARAMTYPE=\"boolean\"><VALUE>%s</VALUE>"
                     "</PARAMVALUE><PARAMVALUE NAME=\"EnumerationContext\" PARAMTYPE=\"string\">"
                     "<VALUE>%s</VALUE></PARAMVALUE>",
                     end ? "TRUE" : "FALSE", name);
    cimxml_response_end(w);
    return MI_RESULT_OK;
}

static MI_Result open_enumeration(cimxml_call *call)
{
    const cimxml_request *r = call->request;
    const char *m = r->method;
    bool query = !strcmp(m, "OpenQueryInstances");
    if (!query && (text_param(r, "FilterQueryLanguage") || text_param(r, "FilterQuery")))
        return mi_error_set(&call->err, MI_RESULT_FILTERED_ENUMERATION_NOT_SUPPORTED,
                            "filter queries are not supported (OpenQueryInstances runs one)");
    if (query && bool_param(r, "ReturnQueryResultClass", false))
        return mi_error_set(&call->err, MI_RESULT_NOT_SUPPORTED,
                            "ReturnQueryResultClass is not supported: the results name their "
                            "classes");
    if (bool_param(r, "ContinueOnError", false))
        return mi_error_set(&call->err, MI_RESULT_CONTINUATION_ON_ERROR_NOT_SUPPORTED,
                            "ContinueOnError is not supported");
    unsigned long max = 0, timeout = DEFAULT_OPERATION_TIMEOUT;
    if (cimxml_param_find(r, "MaxObjectCount") && !uint_param(r, "MaxObjectCount", &max))
        return bad_parameter(call, "MaxObjectCount");
    if (cimxml_param_find(r, "OperationTimeout") && text_param(r, "OperationTimeout") &&
        (!uint_param(r, "OperationTimeout", &timeout) || timeout > MAX_OPERATION_TIMEOUT))
        return mi_error_set(&call->err, MI_RESULT_INVALID_OPERATION_TIMEOUT,
                            "OperationTimeout is 0 to %d seconds", MAX_OPERATION_TIMEOUT);
    if (timeout == 0)
        timeout = DEFAULT_OPERATION_TIMEOUT;
    bool paths = strstr(m, "Paths") != NULL;
    mi_request q = {0};
    q.namespace_name = r->ns;
    q.keys_only = paths;
    if (query) {
        q.operation = MI_OP_QUERY_INSTANCES;
        q.query_language = text_param(r, "FilterQueryLanguage");
        q.query_text = text_param(r, "FilterQuery");
        if (!q.query_language)
            return bad_parameter(call, "FilterQueryLanguage");
        if (!q.query_text)
            return bad_parameter(call, "FilterQuery");
    } else if (!strncmp(m, "OpenEnumerate", 13)) {
        q.operation = MI_OP_ENUMERATE_INSTANCES;
        q.class_name = text_param(r, "ClassName");
        if (!q.class_name)
            return bad_parameter(call, "ClassName");
    } else {
        bool associators = !strncmp(m, "OpenAssociator", 14);
        const cimxml_param *name = cimxml_param_find(r, "InstanceName");
        if (!name || name->kind != CIMXML_PARAM_INSTANCENAME)
            return bad_parameter(call, "InstanceName");
        q.operation = associators ? (paths ? MI_OP_ASSOCIATOR_NAMES : MI_OP_ASSOCIATORS)
                                  : (paths ? MI_OP_REFERENCE_NAMES : MI_OP_REFERENCES);
        q.source = name->instance;
        q.assoc_class = associators ? text_param(r, "AssocClass") : NULL;
        q.result_class = text_param(r, "ResultClass");
        q.role = text_param(r, "Role");
        q.result_role = associators ? text_param(r, "ResultRole") : NULL;
    }
    pull_state *st = calloc(1, sizeof *st);
    if (!st)
        return mi_error_nomem(&call->err);
    st->paths = paths;
    st->plain = query;
    st->timeout = (unsigned)timeout;
    if (!paths && q.operation == MI_OP_ENUMERATE_INSTANCES &&
        !bool_param(r, "DeepInheritance", true))
        st->within = mi_repository_find_class(call->repo, r->ns, q.class_name);
    const cimxml_param *list = paths ? NULL : cimxml_param_find(r, "PropertyList");
    if (list && (list->kind == CIMXML_PARAM_ARRAY || list->kind == CIMXML_PARAM_VALUE)) {
        size_t n = list->kind == CIMXML_PARAM_ARRAY ? list->item_count : 1;
        st->properties = calloc(n ? n : 1, sizeof *st->properties);
        for (size_t i = 0; st->properties && i < n; i++) {
            st->properties[i] =
                strdup(list->kind == CIMXML_PARAM_ARRAY ? list->items[i] : list->text);
            if (st->properties[i])
                st->property_count++;
        }
    }
    call->filter.class_origin = bool_param(r, "IncludeClassOrigin", false);
    MI_Result res = mi_request_copy(&st->request, &q, &call->err);
    if (res == MI_RESULT_OK) {
        st->request->cancelled = &st->cancelled;
        res = mi_engine_open(&call->engine, st->request, &st->cursor, &call->err);
    }
    if (res != MI_RESULT_OK) {
        mid_pull_free(st);
        return res;
    }
    begin(call, &call->whole);
    bool end;
    res = pull_some(call, st, max, &end);
    if (res != MI_RESULT_OK) {
        mid_pull_free(st);
        mi_strbuf_free(&call->whole);
        return res;
    }
    return finish_pull(call, st, end);
}

static MI_Result pull(cimxml_call *call)
{
    const cimxml_request *r = call->request;
    const char *name = text_param(r, "EnumerationContext");
    unsigned long max;
    if (!uint_param(r, "MaxObjectCount", &max))
        return bad_parameter(call, "MaxObjectCount");
    pull_state *st = name ? mid_contexts_take(call->contexts, name, mid_pull_free) : NULL;
    bool paths = !strcmp(r->method, "PullInstancePaths");
    bool plain = !strcmp(r->method, "PullInstances");
    if (!st || st->paths != paths || st->plain != plain) {
        mid_pull_free(st);
        return mi_error_set(&call->err, MI_RESULT_INVALID_ENUMERATION_CONTEXT,
                            "no open enumeration of this kind has that context");
    }
    begin(call, &call->whole);
    bool end;
    MI_Result res = pull_some(call, st, max, &end);
    if (res != MI_RESULT_OK) {
        mid_pull_free(st);
        mi_strbuf_free(&call->whole);
        return res;
    }
    return finish_pull(call, st, end);
}

static MI_Result close_enumeration(cimxml_call *call)
{
    const char *name = text_param(call->request, "EnumerationContext");
    pull_state *st = name ? mid_contexts_take(call->contexts, name, mid_pull_free) : NULL;
    if (!st)
        return mi_error_set(&call->err, MI_RESULT_INVALID_ENUMERATION_CONTEXT,
                            "no open enumeration has that context");
    mid_pull_free(st);
    begin(call, &call->whole);
    cimxml_response_end(&call->whole);
    return MI_RESULT_OK;
}
