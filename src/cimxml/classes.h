/*
 * cimxml/classes — the CLASS elements of a CIM-XML reply (GetClass, EnumerateClasses)
 * read into classes, each built on its superclass as the repository builds it: members the
 * reply marks PROPAGATED come from the superclass, the others are declared or overridden
 * here; flags (key, required, association, abstract, ...) follow the qualifiers. The reply
 * must carry qualifiers (IncludeQualifiers true) and every member (LocalOnly false).
 * QUALIFIER.DECLARATION elements (EnumerateQualifiers, GetQualifier, SetQualifier) are
 * read into qualifier type declarations. A request carrying a class or a declaration
 * (CreateClass, ModifyClass, SetQualifier) is read the same way.
 */
#ifndef MI_CIMXML_CLASSES_H
#define MI_CIMXML_CLASSES_H

#include "core/class.h"
#include "core/error.h"
#include "parse.h"

#include <stddef.h>

/* Finds the superclass a CLASS names: a new reference, or NULL with err set. Called while
 * the reply is read, in reply order. */
typedef mi_class *(*cimxml_superclass_fn)(void *context, const char *name, mi_error *err);

typedef struct cimxml_class_reply {
    int error_code; /* the ERROR's CODE; 0: none */
    char *error_description;
    mi_class **classes; /* in reply order; each holds one reference */
    size_t count;
    mi_qualifier_decl **qualifiers; /* the QUALIFIER.DECLARATION elements, in order */
    size_t qualifier_count;
} cimxml_class_reply;

/* Reads a whole reply. A superclass that cannot be found ends the read: the result is
 * CIMXML_FAULT_NOT_VALID with err naming it (a lookup that failed for another reason keeps
 * its own message). */
cimxml_fault cimxml_read_classes(const char *body, size_t length, cimxml_superclass_fn superclass,
                                 void *context, cimxml_class_reply *out, mi_error *err);

void cimxml_class_reply_free(cimxml_class_reply *reply);

#endif
