/*
 * cimxml_write — CIM-XML (DSP0201) elements for responses: instances, their names and
 * paths, classes, class names and errors, appended to a string buffer.
 */
#ifndef MI_CIMXML_WRITE_H
#define MI_CIMXML_WRITE_H

#include "core/class.h"
#include "core/strbuf.h"

#include <mi.h>
#include <stdbool.h>

/* What of an instance or class is written (DSP0200's PropertyList, IncludeQualifiers,
 * IncludeClassOrigin). */
typedef struct cimxml_shape {
    const char *const *properties; /* NULL: all; key properties are always written */
    size_t property_count;
    const mi_class *within; /* not NULL: only the properties this class has (an
                             * enumeration without DeepInheritance) */
    bool qualifiers;
    bool class_origin;
    bool local_only; /* classes: only what the class itself declares */
} cimxml_shape;

void cimxml_escape(mi_strbuf *out, const char *text);

/* <LOCALNAMESPACEPATH> of "root/cimv2". */
void cimxml_localnamespacepath(mi_strbuf *out, const char *ns);

/* <INSTANCENAME>: the key properties of inst. */
void cimxml_instancename(mi_strbuf *out, const MI_Instance *inst);

/* <INSTANCEPATH>: host, namespace (inst's, else ns) and the INSTANCENAME. */
void cimxml_instancepath(mi_strbuf *out, const char *host, const char *ns, const MI_Instance *inst);

/* <INSTANCE> with the properties the shape allows. */
void cimxml_instance(mi_strbuf *out, const MI_Instance *inst, const cimxml_shape *shape,
                     const mi_class *cls);

/* <CLASS>, shaped. */
void cimxml_class(mi_strbuf *out, const mi_class *cls, const cimxml_shape *shape);

/* <QUALIFIER.DECLARATION> with its SCOPE and default value. */
void cimxml_qualifier_declaration(mi_strbuf *out, const mi_qualifier_decl *decl);

/* <ERROR CODE= DESCRIPTION=/>. */
void cimxml_error(mi_strbuf *out, MI_Result code, const char *description);

/* The start of a response up to and including <IMETHODRESPONSE NAME=...>, and its end. */
void cimxml_response_begin(mi_strbuf *out, const char *message_id, const char *method);
void cimxml_response_end(mi_strbuf *out);

/* A whole METHODRESPONSE (an extrinsic method's answer) carrying an ERROR. */
void cimxml_method_error_response(mi_strbuf *out, const char *message_id, const char *method,
                                  MI_Result code, const char *description);

/* The start of an extrinsic method's answer, up to <METHODRESPONSE NAME=...>, and its
 * end; between them a RETURNVALUE and PARAMVALUEs (or an ERROR). */
void cimxml_method_response_begin(mi_strbuf *out, const char *message_id, const char *method);
void cimxml_method_response_end(mi_strbuf *out);

/* <element NAME="name" PARAMTYPE="type">value</element>: a PARAMVALUE, or with name
 * NULL a RETURNVALUE; null: no value. */
void cimxml_paramvalue(mi_strbuf *out, const char *element, const char *name, const MI_Value *v,
                       MI_Type type, bool null);

/* A METHODCALL request up to its parameters: on target's instance path, or with target
 * NULL on class_name's class path; then cimxml_methodcall_end. */
void cimxml_methodcall_begin(mi_strbuf *out, unsigned message_id, const char *method,
                             const char *ns, const char *class_name, const MI_Instance *target);
void cimxml_methodcall_end(mi_strbuf *out);

#endif
