/*
 * class_output — classes printed as MOF, JSON or CIM-XML, or by name.
 *
 * JSON (stable): an array with one object per class:
 *   {"name": "C", "superclass": "S" or null, "qualifiers": {"Q": value, ...},
 *    "properties": {"P": {"type": "uint16[]", "key": false, "class": "R" (references and
 *     embedded instances only), "default": value or null, "qualifiers": {...}}, ...},
 *    "methods": {"M": {"type": "uint32", "qualifiers": {...},
 *     "parameters": {"X": {"type": ..., "class": ..., "qualifiers": {...}}, ...}}, ...}}
 * values as in the instance output (output.h). CIM-XML: DSP0201 CLASS elements.
 */
#ifndef MI_TOOL_CLASS_OUTPUT_H
#define MI_TOOL_CLASS_OUTPUT_H

#include "cli.h"

#include <stdio.h>

typedef struct mi_class_output mi_class_output;

/* MOF, JSON and XML print whole definitions; table and paths print names, one a line. */
mi_class_output *mi_class_output_begin(mi_cli_format format, FILE *out);
void mi_class_output_class(mi_class_output *o, const MI_Class *cls);
/* Ends the output and frees o. */
void mi_class_output_end(mi_class_output *o);

#endif
