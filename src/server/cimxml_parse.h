/*
 * cimxml_parse — a CIM-XML (DSP0201) intrinsic method call read with expat as one
 * stream: the method, the namespace and the IPARAMVALUEs, with instance names and
 * instances built as MI instances. DTDs and entity declarations are refused, and the
 * element depth and attribute count are limited.
 */
#ifndef MI_SERVER_CIMXML_PARSE_H
#define MI_SERVER_CIMXML_PARSE_H

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
    cimxml_param_kind kind;
    char *text;
    char **items;
    size_t item_count;
    MI_Instance *instance;
} cimxml_param;

typedef struct cimxml_request {
    char *message_id;
    char *method;
    char *ns; /* "root/cimv2" */
    cimxml_param *params;
    size_t param_count;
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

void cimxml_request_free(cimxml_request *request);

/* The parameter named (any case), or NULL. */
const cimxml_param *cimxml_param_find(const cimxml_request *request, const char *name);

#endif
