/*
 * class_output — see class_output.h. Everything is read through the public MI_Class
 * functions.
 */
#include "class_output.h"
#include "commands.h"
#include "output.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct mi_class_output {
    mi_cli_format format;
    FILE *out;
    size_t printed;
};

static MI_Type scalar_of(MI_Type type)
{
    return (MI_Type)((unsigned)type & ~(unsigned)MI_ARRAY);
}

static bool is_array(MI_Type type)
{
    return ((unsigned)type & MI_ARRAY) != 0;
}

/* Prints s through one of output.h's quoting functions. */
static void put_quoted(FILE *out, const char *s, bool json)
{
    char *q = mi_output_quoted(s ? s : "", json);
    fputs(q ? q : "", out);
    free(q);
}

/* ---- MOF ---- */

static MI_Uint32 qualifier_count(const MI_QualifierSet *set)
{
    MI_Uint32 count = 0;
    return MI_QualifierSet_GetQualifierCount(set, &count) == MI_RESULT_OK ? count : 0;
}

static void mof_qualifiers(FILE *out, const MI_QualifierSet *set, const char *indent)
{
    MI_Uint32 count = 0;
    if (MI_QualifierSet_GetQualifierCount(set, &count) != MI_RESULT_OK || count == 0)
        return;
    fprintf(out, "%s[", indent);
    for (MI_Uint32 i = 0; i < count; i++) {
        const MI_Char *name;
        MI_Type type;
        MI_Uint32 flags;
        MI_Value v;
        if (MI_QualifierSet_GetQualifierAt(set, i, &name, &type, &flags, &v) != MI_RESULT_OK)
            continue;
        fprintf(out, "%s%s", i ? ", " : "", name);
        if (type == MI_BOOLEAN && v.boolean && !(flags & MI_FLAG_NULL))
            continue;
        char *text = mi_output_mof_value(&v, type);
        fprintf(out, is_array(type) ? "%s" : "(%s)", text ? text : "");
        free(text);
    }
    fprintf(out, "]%s", *indent ? " " : "\n");
}

/* "string Name", "uint16 Name[]" and "CIM_System REF Name" as MOF declares them. */
static void mof_typed(FILE *out, MI_Type type, const char *ref_class, const char *name)
{
    MI_Type scalar = scalar_of(type);
    if (scalar == MI_REFERENCE)
        fprintf(out, "%s REF %s", ref_class ? ref_class : "Object", name);
    else if (scalar == MI_INSTANCE)
        fprintf(out, "string %s", name);
    else
        fprintf(out, "%s %s", mi_tool_type_name(scalar), name);
    if (is_array(type))
        fprintf(out, "[]");
}

/* Whether the element `name` with qualifiers `set` comes unchanged from parent: in
 * MOF, a class declares only what it adds or overrides. */
static bool inherited(const MI_Class *parent, const char *name, const MI_QualifierSet *set,
                      bool method)
{
    if (!parent)
        return false;
    MI_Uint32 index;
    MI_Type type;
    MI_Uint32 flags;
    MI_Value value;
    bool there = method ? MI_Class_GetMethod(parent, name, NULL, NULL, &index) == MI_RESULT_OK
                        : MI_Class_GetElement(parent, name, NULL, NULL, NULL, NULL, NULL, NULL,
                                              &index) == MI_RESULT_OK;
    return there && MI_QualifierSet_GetQualifier(set, "Override", &type, &flags, &value, &index) !=
                        MI_RESULT_OK;
}

static void mof_class(FILE *out, const MI_Class *cls)
{
    const MI_Char *name = NULL, *parent = NULL;
    MI_Class_GetClassName(cls, &name);
    MI_QualifierSet qualifiers;
    if (MI_Class_GetClassQualifierSet(cls, &qualifiers) == MI_RESULT_OK)
        mof_qualifiers(out, &qualifiers, "");
    fprintf(out, "class %s", name ? name : "?");
    if (MI_Class_GetParentClassName(cls, &parent) == MI_RESULT_OK && parent)
        fprintf(out, " : %s", parent);
    fprintf(out, "\n{\n");
    MI_Class *super = NULL;
    if (MI_Class_GetParentClass(cls, &super) != MI_RESULT_OK)
        super = NULL;
    MI_Uint32 count = 0;
    MI_Class_GetElementCount(cls, &count);
    for (MI_Uint32 i = 0; i < count; i++) {
        const MI_Char *element;
        MI_Value v;
        MI_Boolean exists = MI_FALSE;
        MI_Type type;
        MI_Char *ref_class = NULL;
        MI_QualifierSet set;
        MI_Uint32 flags;
        if (MI_Class_GetElementAt(cls, i, &element, &v, &exists, &type, &ref_class, &set, &flags) !=
            MI_RESULT_OK)
            continue;
        if (inherited(super, element, &set, false))
            continue;
        mof_qualifiers(out, &set, "    ");
        if (!qualifier_count(&set))
            fprintf(out, "    ");
        mof_typed(out, type, ref_class, element);
        if (exists && !(flags & MI_FLAG_NULL)) {
            char *text = mi_output_mof_value(&v, type);
            fprintf(out, " = %s", text ? text : "");
            free(text);
        }
        fprintf(out, ";\n");
    }
    MI_Class_GetMethodCount(cls, &count);
    for (MI_Uint32 i = 0; i < count; i++) {
        const MI_Char *method;
        MI_QualifierSet set;
        MI_ParameterSet params;
        if (MI_Class_GetMethodAt(cls, i, &method, &set, &params) != MI_RESULT_OK ||
            inherited(super, method, &set, true))
            continue;
        MI_Type returns = MI_UINT32;
        MI_ParameterSet_GetMethodReturnType(&params, &returns, NULL);
        mof_qualifiers(out, &set, "    ");
        fprintf(out, "%s%s %s(", qualifier_count(&set) ? "" : "    ", mi_tool_type_name(returns),
                method);
        MI_Uint32 n = 0;
        MI_ParameterSet_GetParameterCount(&params, &n);
        for (MI_Uint32 k = 0; k < n; k++) {
            const MI_Char *pname;
            MI_Type ptype;
            MI_Char *pref = NULL;
            MI_QualifierSet pset;
            if (MI_ParameterSet_GetParameterAt(&params, k, &pname, &ptype, &pref, &pset) !=
                MI_RESULT_OK)
                continue;
            fprintf(out, "%s", k ? ", " : "");
            mof_qualifiers(out, &pset, " ");
            mof_typed(out, ptype, pref, pname);
        }
        fprintf(out, ");\n");
    }
    fprintf(out, "};\n");
    if (super)
        MI_Class_Delete(super);
}

/* ---- JSON ---- */

static void json_qualifiers(FILE *out, const MI_QualifierSet *set)
{
    fprintf(out, "\"qualifiers\": {");
    MI_Uint32 count = 0;
    MI_QualifierSet_GetQualifierCount(set, &count);
    for (MI_Uint32 i = 0; i < count; i++) {
        const MI_Char *name;
        MI_Type type;
        MI_Uint32 flags;
        MI_Value v;
        if (MI_QualifierSet_GetQualifierAt(set, i, &name, &type, &flags, &v) != MI_RESULT_OK)
            continue;
        fprintf(out, "%s", i ? ", " : "");
        put_quoted(out, name, true);
        fprintf(out, ": ");
        char *text = (flags & MI_FLAG_NULL) ? NULL : mi_output_json_value(&v, type);
        fputs(text ? text : "null", out);
        free(text);
    }
    fprintf(out, "}");
}

/* "type" and, for references and embedded instances, "class". */
static void json_type(FILE *out, MI_Type type, const char *ref_class)
{
    fprintf(out, "\"type\": \"%s\"", mi_tool_type_name(type));
    MI_Type scalar = scalar_of(type);
    if ((scalar == MI_REFERENCE || scalar == MI_INSTANCE) && ref_class) {
        fprintf(out, ", \"class\": ");
        put_quoted(out, ref_class, true);
    }
}

static void json_class(FILE *out, const MI_Class *cls)
{
    const MI_Char *name = NULL, *parent = NULL;
    MI_Class_GetClassName(cls, &name);
    fprintf(out, "{\"name\": ");
    put_quoted(out, name, true);
    fprintf(out, ", \"superclass\": ");
    if (MI_Class_GetParentClassName(cls, &parent) == MI_RESULT_OK && parent)
        put_quoted(out, parent, true);
    else
        fprintf(out, "null");
    MI_QualifierSet set;
    fprintf(out, ", ");
    if (MI_Class_GetClassQualifierSet(cls, &set) == MI_RESULT_OK)
        json_qualifiers(out, &set);
    else
        fprintf(out, "\"qualifiers\": {}");
    fprintf(out, ", \"properties\": {");
    MI_Uint32 count = 0;
    MI_Class_GetElementCount(cls, &count);
    for (MI_Uint32 i = 0; i < count; i++) {
        const MI_Char *element;
        MI_Value v;
        MI_Boolean exists = MI_FALSE;
        MI_Type type;
        MI_Char *ref_class = NULL;
        MI_Uint32 flags;
        if (MI_Class_GetElementAt(cls, i, &element, &v, &exists, &type, &ref_class, &set, &flags) !=
            MI_RESULT_OK)
            continue;
        fprintf(out, "%s", i ? ", " : "");
        put_quoted(out, element, true);
        fprintf(out, ": {");
        json_type(out, type, ref_class);
        fprintf(out, ", \"key\": %s, \"default\": ", (flags & MI_FLAG_KEY) ? "true" : "false");
        char *text = exists && !(flags & MI_FLAG_NULL) ? mi_output_json_value(&v, type) : NULL;
        fputs(text ? text : "null", out);
        free(text);
        fprintf(out, ", ");
        json_qualifiers(out, &set);
        fprintf(out, "}");
    }
    fprintf(out, "}, \"methods\": {");
    MI_Class_GetMethodCount(cls, &count);
    for (MI_Uint32 i = 0; i < count; i++) {
        const MI_Char *method;
        MI_ParameterSet params;
        if (MI_Class_GetMethodAt(cls, i, &method, &set, &params) != MI_RESULT_OK)
            continue;
        MI_Type returns = MI_UINT32;
        MI_ParameterSet_GetMethodReturnType(&params, &returns, NULL);
        fprintf(out, "%s", i ? ", " : "");
        put_quoted(out, method, true);
        fprintf(out, ": {\"type\": \"%s\", ", mi_tool_type_name(returns));
        json_qualifiers(out, &set);
        fprintf(out, ", \"parameters\": {");
        MI_Uint32 n = 0;
        MI_ParameterSet_GetParameterCount(&params, &n);
        for (MI_Uint32 k = 0; k < n; k++) {
            const MI_Char *pname;
            MI_Type ptype;
            MI_Char *pref = NULL;
            MI_QualifierSet pset;
            if (MI_ParameterSet_GetParameterAt(&params, k, &pname, &ptype, &pref, &pset) !=
                MI_RESULT_OK)
                continue;
            fprintf(out, "%s", k ? ", " : "");
            put_quoted(out, pname, true);
            fprintf(out, ": {");
            json_type(out, ptype, pref);
            fprintf(out, ", ");
            json_qualifiers(out, &pset);
            fprintf(out, "}");
        }
        fprintf(out, "}}");
    }
    fprintf(out, "}}");
}

/* ---- CIM-XML (DSP0201) ---- */

static void xml_qualifiers(FILE *out, const MI_QualifierSet *set)
{
    MI_Uint32 count = 0;
    MI_QualifierSet_GetQualifierCount(set, &count);
    for (MI_Uint32 i = 0; i < count; i++) {
        const MI_Char *name;
        MI_Type type;
        MI_Uint32 flags;
        MI_Value v;
        if (MI_QualifierSet_GetQualifierAt(set, i, &name, &type, &flags, &v) != MI_RESULT_OK)
            continue;
        fprintf(out, "<QUALIFIER NAME=\"");
        put_quoted(out, name, false);
        fprintf(out, "\" TYPE=\"%s\">", mi_tool_type_name(scalar_of(type)));
        char *text = (flags & MI_FLAG_NULL) ? NULL : mi_output_xml_value(&v, type);
        fputs(text ? text : "", out);
        free(text);
        fprintf(out, "</QUALIFIER>");
    }
}

/* The element (PROPERTY, PROPERTY.ARRAY, PROPERTY.REFERENCE, or the PARAMETER ones)
 * with its NAME and TYPE or REFERENCECLASS attributes, left open. */
static const char *xml_open(FILE *out, bool parameter, MI_Type type, const char *ref_class,
                            const char *name)
{
    MI_Type scalar = scalar_of(type);
    const char *element = !parameter ? (scalar == MI_REFERENCE ? "PROPERTY.REFERENCE"
                                        : is_array(type)       ? "PROPERTY.ARRAY"
                                                               : "PROPERTY")
                          : scalar == MI_REFERENCE
                              ? (is_array(type) ? "PARAMETER.REFARRAY" : "PARAMETER.REFERENCE")
                          : is_array(type) ? "PARAMETER.ARRAY"
                                           : "PARAMETER";
    fprintf(out, "<%s NAME=\"", element);
    put_quoted(out, name, false);
    if (scalar == MI_REFERENCE) {
        fprintf(out, "\"");
        if (ref_class) {
            fprintf(out, " REFERENCECLASS=\"");
            put_quoted(out, ref_class, false);
            fprintf(out, "\"");
        }
        fprintf(out, ">");
    } else {
        fprintf(out, "\" TYPE=\"%s\">",
                scalar == MI_INSTANCE ? "string" : mi_tool_type_name(scalar));
    }
    return element;
}

static void xml_class(FILE *out, const MI_Class *cls)
{
    const MI_Char *name = NULL, *parent = NULL;
    MI_Class_GetClassName(cls, &name);
    fprintf(out, "<CLASS NAME=\"");
    put_quoted(out, name, false);
    fprintf(out, "\"");
    if (MI_Class_GetParentClassName(cls, &parent) == MI_RESULT_OK && parent) {
        fprintf(out, " SUPERCLASS=\"");
        put_quoted(out, parent, false);
        fprintf(out, "\"");
    }
    fprintf(out, ">");
    MI_QualifierSet set;
    if (MI_Class_GetClassQualifierSet(cls, &set) == MI_RESULT_OK)
        xml_qualifiers(out, &set);
    MI_Uint32 count = 0;
    MI_Class_GetElementCount(cls, &count);
    for (MI_Uint32 i = 0; i < count; i++) {
        const MI_Char *element;
        MI_Value v;
        MI_Boolean exists = MI_FALSE;
        MI_Type type;
        MI_Char *ref_class = NULL;
        MI_Uint32 flags;
        if (MI_Class_GetElementAt(cls, i, &element, &v, &exists, &type, &ref_class, &set, &flags) !=
            MI_RESULT_OK)
            continue;
        const char *tag = xml_open(out, false, type, ref_class, element);
        xml_qualifiers(out, &set);
        if (exists && !(flags & MI_FLAG_NULL) && scalar_of(type) != MI_REFERENCE) {
            char *text = mi_output_xml_value(&v, type);
            fputs(text ? text : "", out);
            free(text);
        }
        fprintf(out, "</%s>", tag);
    }
    MI_Class_GetMethodCount(cls, &count);
    for (MI_Uint32 i = 0; i < count; i++) {
        const MI_Char *method;
        MI_ParameterSet params;
        if (MI_Class_GetMethodAt(cls, i, &method, &set, &params) != MI_RESULT_OK)
            continue;
        MI_Type returns = MI_UINT32;
        MI_ParameterSet_GetMethodReturnType(&params, &returns, NULL);
        fprintf(out, "<METHOD NAME=\"");
        put_quoted(out, method, false);
        fprintf(out, "\" TYPE=\"%s\">", mi_tool_type_name(returns));
        xml_qualifiers(out, &set);
        MI_Uint32 n = 0;
        MI_ParameterSet_GetParameterCount(&params, &n);
        for (MI_Uint32 k = 0; k < n; k++) {
            const MI_Char *pname;
            MI_Type ptype;
            MI_Char *pref = NULL;
            MI_QualifierSet pset;
            if (MI_ParameterSet_GetParameterAt(&params, k, &pname, &ptype, &pref, &pset) !=
                MI_RESULT_OK)
                continue;
            const char *tag = xml_open(out, true, ptype, pref, pname);
            xml_qualifiers(out, &pset);
            fprintf(out, "</%s>", tag);
        }
        fprintf(out, "</METHOD>");
    }
    fprintf(out, "</CLASS>\n");
}

/* ---- the stream ---- */

mi_class_output *mi_class_output_begin(mi_cli_format format, FILE *out)
{
    mi_class_output *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->format = format;
    o->out = out;
    mi_output_document_begin(format, out);
    return o;
}

void mi_class_output_class(mi_class_output *o, const MI_Class *cls)
{
    if (!o || !cls)
        return;
    switch (o->format) {
    case MI_FORMAT_MOF:
        if (o->printed)
            fputs("\n", o->out);
        mof_class(o->out, cls);
        break;
    case MI_FORMAT_JSON:
        fputs(o->printed ? ",\n  " : "\n  ", o->out);
        json_class(o->out, cls);
        break;
    case MI_FORMAT_XML:
        xml_class(o->out, cls);
        break;
    default: {
        const MI_Char *name = NULL;
        if (MI_Class_GetClassName(cls, &name) == MI_RESULT_OK && name)
            fprintf(o->out, "%s\n", name);
        break;
    }
    }
    o->printed++;
}

void mi_class_output_end(mi_class_output *o)
{
    if (!o)
        return;
    mi_output_document_end(o->format, o->out, o->printed);
    fflush(o->out);
    free(o);
}
