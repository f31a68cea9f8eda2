/*
 * soap — see soap.h. Names arrive from expat as "namespace local" (a space cannot occur
 * in a namespace name); the tree and its strings live in one arena.
 */
#include "soap.h"

#include "core/arena.h"
#include "core/strbuf.h"

#include <expat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64
#define MAX_ATTRIBUTES 32
#define MAX_ELEMENTS 4000000

struct soap_reader {
    XML_Parser xml;
    mi_arena arena;
    soap_node *root, *open;
    int depth;
    size_t elements;
    mi_strbuf text;
    soap_fault fault;
    char message[200];
};

static void stop(soap_reader *r, soap_fault fault, const char *what)
{
    if (r->fault != SOAP_OK)
        return;
    r->fault = fault;
    snprintf(r->message, sizeof r->message, "line %lu, column %lu: %s",
             (unsigned long)XML_GetCurrentLineNumber(r->xml),
             (unsigned long)XML_GetCurrentColumnNumber(r->xml) + 1, what);
    XML_StopParser(r->xml, XML_FALSE);
}

/* Splits "ns local" into its parts, copied into the arena. */
static bool split(soap_reader *r, const char *full, const char **ns, const char **name)
{
    const char *space = strchr(full, ' ');
    *ns = space ? mi_arena_strndup(&r->arena, full, (size_t)(space - full)) : "";
    *name = mi_arena_strndup(&r->arena, space ? space + 1 : full, strlen(space ? space + 1 : full));
    if (!*ns || !*name) {
        stop(r, SOAP_NO_MEMORY, "out of memory");
        return false;
    }
    return true;
}

static void on_start(void *context, const char *name, const char **attrs)
{
    soap_reader *r = context;
    if (++r->depth > MAX_DEPTH)
        return stop(r, SOAP_LIMIT, "elements nest too deep");
    if (++r->elements > MAX_ELEMENTS)
        return stop(r, SOAP_LIMIT, "too many elements");
    mi_strbuf_clear(&r->text); /* text between elements is not kept */
    soap_node *n = mi_arena_alloc(&r->arena, sizeof *n);
    if (!n)
        return stop(r, SOAP_NO_MEMORY, "out of memory");
    if (!split(r, name, &n->ns, &n->name))
        return;
    size_t count = 0;
    while (attrs[count * 2])
        count++;
    if (count > MAX_ATTRIBUTES)
        return stop(r, SOAP_LIMIT, "too many attributes");
    n->attrs = count ? mi_arena_alloc(&r->arena, count * sizeof *n->attrs) : NULL;
    if (count && !n->attrs)
        return stop(r, SOAP_NO_MEMORY, "out of memory");
    for (size_t i = 0; i < count; i++) {
        soap_attr *a = &n->attrs[i];
        if (!split(r, attrs[i * 2], &a->ns, &a->name))
            return;
        if (!(a->value = mi_arena_strndup(&r->arena, attrs[i * 2 + 1], strlen(attrs[i * 2 + 1]))))
            return stop(r, SOAP_NO_MEMORY, "out of memory");
    }
    n->attr_count = count;
    n->text = "";
    n->parent = r->open;
    if (r->open) {
        if (r->open->last)
            r->open->last->next = n;
        else
            r->open->first = n;
        r->open->last = n;
    } else {
        r->root = n;
    }
    r->open = n;
}

static void on_end(void *context, const char *name)
{
    (void)name;
    soap_reader *r = context;
    soap_node *n = r->open;
    r->depth--;
    if (!n)
        return;
    if (!n->first && r->text.len) {
        char *text = mi_arena_strndup(&r->arena, r->text.data, r->text.len);
        if (!text)
            return stop(r, SOAP_NO_MEMORY, "out of memory");
        n->text = text;
    }
    mi_strbuf_clear(&r->text);
    r->open = n->parent;
}

static void on_text(void *context, const char *s, int len)
{
    soap_reader *r = context;
    if (r->open && !r->open->first)
        mi_strbuf_append(&r->text, s, (size_t)len);
}

static void on_doctype(void *context, const char *name, const char *sysid, const char *pubid,
                       int has_internal)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal;
    stop(context, SOAP_FORBIDDEN, "a document type declaration is not allowed");
}

static void on_entity(void *context, const char *name, int is_parameter, const char *value,
                      int length, const char *base, const char *sysid, const char *pubid,
                      const char *notation)
{
    (void)name, (void)is_parameter, (void)value, (void)length, (void)base, (void)sysid;
    (void)pubid, (void)notation;
    stop(context, SOAP_FORBIDDEN, "an entity declaration is not allowed");
}

soap_reader *soap_reader_new(void)
{
    soap_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->arena = (mi_arena)MI_ARENA_INIT;
    r->text = (mi_strbuf)MI_STRBUF_INIT;
    if (!(r->xml = XML_ParserCreateNS(NULL, ' '))) {
        free(r);
        return NULL;
    }
    XML_SetUserData(r->xml, r);
    XML_SetElementHandler(r->xml, on_start, on_end);
    XML_SetCharacterDataHandler(r->xml, on_text);
    XML_SetStartDoctypeDeclHandler(r->xml, on_doctype);
    XML_SetEntityDeclHandler(r->xml, on_entity);
    return r;
}

void soap_reader_feed(soap_reader *r, const char *piece, size_t length)
{
    if (r->fault != SOAP_OK || !length)
        return;
    if (XML_Parse(r->xml, piece, (int)length, XML_FALSE) == XML_STATUS_ERROR && r->fault == SOAP_OK)
        stop(r, SOAP_NOT_WELL_FORMED, XML_ErrorString(XML_GetErrorCode(r->xml)));
    if (r->text.failed)
        stop(r, SOAP_NO_MEMORY, "out of memory");
}

soap_node *soap_reader_end(soap_reader *r, soap_fault *fault, mi_error *err)
{
    if (r->fault == SOAP_OK && XML_Parse(r->xml, "", 0, XML_TRUE) == XML_STATUS_ERROR &&
        r->fault == SOAP_OK)
        stop(r, SOAP_NOT_WELL_FORMED, XML_ErrorString(XML_GetErrorCode(r->xml)));
    if (r->fault == SOAP_OK && !r->root)
        stop(r, SOAP_NOT_WELL_FORMED, "no element");
    *fault = r->fault;
    if (r->fault != SOAP_OK) {
        mi_error_set(err,
                     r->fault == SOAP_NO_MEMORY ? MI_RESULT_SERVER_LIMITS_EXCEEDED
                                                : MI_RESULT_INVALID_PARAMETER,
                     "%s", r->message);
        return NULL;
    }
    return r->root;
}

void soap_reader_free(soap_reader *r)
{
    if (!r)
        return;
    XML_ParserFree(r->xml);
    mi_strbuf_free(&r->text);
    mi_arena_free(&r->arena);
    free(r);
}

static bool named(const soap_node *n, const char *ns, const char *name)
{
    return !strcmp(n->name, name) && (!ns || !strcmp(n->ns, ns));
}

soap_node *soap_child(const soap_node *node, const char *ns, const char *name)
{
    for (soap_node *c = node ? node->first : NULL; c; c = c->next)
        if (named(c, ns, name))
            return c;
    return NULL;
}

soap_node *soap_next(const soap_node *node)
{
    for (soap_node *c = node->next; c; c = c->next)
        if (named(c, node->ns, node->name))
            return c;
    return NULL;
}

soap_node *soap_path(const soap_node *node, ...)
{
    va_list ap;
    va_start(ap, node);
    const char *ns;
    soap_node *at = (soap_node *)node;
    while (at && (ns = va_arg(ap, const char *)) != NULL) {
        const char *name = va_arg(ap, const char *);
        at = soap_child(at, ns, name);
    }
    va_end(ap);
    return at;
}

const char *soap_attribute(const soap_node *node, const char *ns, const char *name)
{
    for (size_t i = 0; node && i < node->attr_count; i++) {
        const soap_attr *a = &node->attrs[i];
        if (!strcmp(a->name, name) && (!ns || !strcmp(a->ns, ns)))
            return a->value;
    }
    return NULL;
}

const char *soap_child_text(const soap_node *node, const char *ns, const char *name)
{
    soap_node *c = soap_child(node, ns, name);
    return c ? c->text : NULL;
}
