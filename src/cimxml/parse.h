/*
 * cimxml/parse — CIM-XML (DSP0201) messages read with expat as a stream: an intrinsic
 * method call (the method, the namespace and the IPARAMVALUEs) or its response (the
 * results in IRETURNVALUE, an ERROR, the PARAMVALUEs of pull operations), with instance
 * names and instances built as MI instances. DTDs and entity declarations are refused,
 * and the element depth and attribute count are limited.
 */
#ifndef MI_CIMXML_PARSE_H
#define MI_CIMXML_PARSE_H

#include "core/error.h"

#include <mi.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum cimxml_param_kind {
    CIMXML_PARAM_EMPTY,        /* <IPARAMVALUE NAME="x"/>: NULL */
    CIMXML_PARAM_VALUE,        /* text */
    CIMXML_PARAM_ARRAY,        /* items */
    CIMXML_PARAM_CLASSNAME,    /* text */
    CIMXML_PARAM_INSTANCENAME, /* instance: a key instance */
    CIMXML_PARAM_INSTANCE      /* instance: an instance with typed properties */
} cimxml_param_kind;

typedef struct cimxml_param {
    char *name;
    char *type; /* an extrinsic method's PARAMVALUE or RETURNVALUE: its PARAMTYPE */
    cimxml_param_kind kind;
    char *text;
    char **items;
    size_t item_count;
    MI_Instance *instance;
} cimxml_param;

typedef struct cimxml_request {
    char *message_id;
    char *method;        /* IMETHODCALL's, METHODCALL's or IMETHODRESPONSE's NAME */
    bool extrinsic;      /* a METHODCALL or METHODRESPONSE: params are its PARAMVALUEs (and,
                            in a response, its RETURNVALUE as "ReturnValue") */
    MI_Instance *target; /* a METHODCALL's instance (keys), or NULL */
    char *target_class;  /* a METHODCALL's class (a static method), or NULL */
    /* the message itself, when its reader keeps it: class and qualifier definitions
     * (CreateClass, ModifyClass, SetQualifier) are read from it (cimxml/classes.h) */
    char *body;
    size_t body_length;
    char *ns; /* "root/cimv2" (a call) */
    cimxml_param *params;
    size_t param_count;
    /* a response */
    bool is_response;
    int error_code; /* the ERROR's CODE; 0: none */
    char *error_description;
    MI_Instance **results; /* instances (keys flagged, namespace set from their path) or
                              instance names, in order */
    size_t result_count;
    char *end_of_sequence; /* pull operations: "TRUE"/"FALSE" */
    char *enumeration_context;
} cimxml_request;

/* What a failed parse means for the HTTP answer (DSP0200 CIMError header values). */
typedef enum cimxml_fault {
    CIMXML_FAULT_NONE,
    CIMXML_FAULT_NOT_WELL_FORMED, /* request-not-well-formed */
    CIMXML_FAULT_NOT_VALID,       /* request-not-valid */
    CIMXML_FAULT_MULTIPLE,        /* multiple-requests-unsupported */
    CIMXML_FAULT_NO_MEMORY
} cimxml_fault;

/* Parses body; on failure the fault and err say why (message with line and column). */
cimxml_fault cimxml_parse(const char *body, size_t length, cimxml_request *out, mi_error *err);

/* The same, fed piece by piece: begin, then feed each piece (false: stop, the fault is
 * final), then end. */
typedef struct cimxml_reader cimxml_reader;
cimxml_reader *cimxml_reader_begin(cimxml_request *out, mi_error *err);
bool cimxml_reader_feed(cimxml_reader *reader, const char *piece, size_t length);
cimxml_fault cimxml_reader_end(cimxml_reader *reader);

void cimxml_request_free(cimxml_request *request);

/* The value of an element's attribute (name in any case), or NULL. */
const char *cimxml_attribute(const char **attrs, const char *name);

/* The type a TYPE attribute names (boolean, uint8, ..., string, reference); ok false for
 * an unknown name. No name (NULL) is a string. */
MI_Type cimxml_type_from_name(const char *name, bool *ok);

/* The parameter named (any case), or NULL. */
const cimxml_param *cimxml_param_find(const cimxml_request *request, const char *name);

#endif
