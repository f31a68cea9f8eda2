/*
 * soap — a SOAP envelope (or any small XML message) read with expat into a tree of
 * elements named by namespace and local name, fed piece by piece as it arrives. DTDs and
 * entity declarations are refused; depth, attributes per element and the element count
 * are limited, so a hostile message costs at most a bounded tree.
 */
#ifndef MI_WSMAN_SOAP_H
#define MI_WSMAN_SOAP_H

#include "core/error.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct soap_attr {
    const char *ns, *name, *value; /* ns "" for an unqualified attribute */
} soap_attr;

typedef struct soap_node {
    const char *ns, *name;
    const char *text; /* the character data directly inside, "" when none */
    soap_attr *attrs;
    size_t attr_count;
    struct soap_node *parent, *first, *last, *next;
} soap_node;

typedef enum soap_fault {
    SOAP_OK,
    SOAP_NOT_WELL_FORMED,
    SOAP_LIMIT,     /* too deep, too many elements or attributes */
    SOAP_FORBIDDEN, /* a DTD or an entity declaration */
    SOAP_NO_MEMORY
} soap_fault;

typedef struct soap_reader soap_reader;

soap_reader *soap_reader_new(void);
void soap_reader_feed(soap_reader *reader, const char *piece, size_t length);
/* The document is in: its root element, or NULL with the fault and err (naming line and
 * column) set. The tree lives until the reader is freed. */
soap_node *soap_reader_end(soap_reader *reader, soap_fault *fault, mi_error *err);
void soap_reader_free(soap_reader *reader);

/* The first child of node with that namespace and local name (ns NULL: any); NULL when
 * none. soap_next finds the next sibling with the same names. */
soap_node *soap_child(const soap_node *node, const char *ns, const char *name);
soap_node *soap_next(const soap_node *node);
/* A descendant by a path of local names under one namespace each: pairs ns, name, ...,
 * NULL. */
soap_node *soap_path(const soap_node *node, ...);
/* An attribute's value by namespace ("" for none, NULL for any) and name, or NULL. */
const char *soap_attribute(const soap_node *node, const char *ns, const char *name);
/* The text of a child, or NULL. */
const char *soap_child_text(const soap_node *node, const char *ns, const char *name);

#endif
