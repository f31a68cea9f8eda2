/*
 * output — instances printed as a table, MOF, JSON, CIM-XML or object paths.
 *
 * JSON (stable): an array with one object per instance:
 *   {"path": "root/cimv2:C.K=\"v\"", "class": "C", "namespace": "root/cimv2",
 *    "properties": {"K": {"type": "string", "key": true, "value": "v"}, ...}}
 * "type" is the CIM type name ("uint64", "datetime", "reference", ...), with "[]" after
 * it for an array; "value" is null for a NULL property, a number for the integer and
 * real types, true/false for boolean, the object path text for a reference, a nested
 * object (the same shape) for an embedded instance, and a string otherwise.
 */
#ifndef MI_TOOL_OUTPUT_H
#define MI_TOOL_OUTPUT_H

#include "cli.h"

#include <stdbool.h>
#include <stdio.h>

typedef struct mi_output mi_output;

/* On a terminal a table is fitted to its width, long cells cut with an ellipsis, unless
 * whole_cells; an empty table there says "0 instances". */
mi_output *mi_output_begin(mi_cli_format format, FILE *out, bool whole_cells);
/* Prints (or, for a table, keeps) one instance. */
void mi_output_instance(mi_output *o, const MI_Instance *inst);
/* Ends the output (a table is printed here) and frees o. */
void mi_output_end(mi_output *o);

/* The value of an element as plain text (strings unquoted); the caller frees it. */
char *mi_output_value_text(const MI_Value *value, MI_Type type);

/* The value as a MOF literal (strings quoted and escaped, arrays in braces); the caller
 * frees it. */
char *mi_output_mof_value(const MI_Value *value, MI_Type type);

/* The frame of a JSON or XML document of several objects (instances or classes): its
 * opening, and its close after `printed` objects. Other formats have none. */
void mi_output_document_begin(mi_cli_format format, FILE *out);
void mi_output_document_end(mi_cli_format format, FILE *out, size_t printed);

/* The value as JSON (as in the instance output) or as a CIM-XML VALUE or VALUE.ARRAY
 * element; the caller frees it. */
char *mi_output_json_value(const MI_Value *value, MI_Type type);
char *mi_output_xml_value(const MI_Value *value, MI_Type type);

/* s as a JSON string literal (json) or as XML text with its markup escaped; the caller
 * frees it. */
char *mi_output_quoted(const char *s, bool json);

#endif
