/*
 * classes — mi class (one definition, printed as MOF) and mi classes (class names).
 */
#include "commands.h"
#include "output.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char class_usage[] =
    "usage: mi class CLASS\n"
    "\n"
    "The definition of CLASS as MOF (MI_Session_GetClass): its superclass, qualifiers,\n"
    "properties with their types, defaults and qualifiers, and its methods.\n";

static const char classes_usage[] =
    "usage: mi classes [CLASS] [--deep]\n"
    "\n"
    "The names of the classes under CLASS, or of the root classes without it\n"
    "(MI_Session_EnumerateClasses), one per line.\n"
    "\n"
    "options:\n"
    "  --deep   every descendant, not only the direct subclasses\n";

const char *mi_tool_type_name(MI_Type type)
{
    static const char *const names[] = {
        "boolean", "uint8",  "sint8",  "uint16", "sint16",   "uint32", "sint32",    "uint64",
        "sint64",  "real32", "real64", "char16", "datetime", "string", "reference", "instance"};
    static const char *const array_names[] = {
        "boolean[]",  "uint8[]",  "sint8[]",     "uint16[]",  "sint16[]", "uint32[]",
        "sint32[]",   "uint64[]", "sint64[]",    "real32[]",  "real64[]", "char16[]",
        "datetime[]", "string[]", "reference[]", "instance[]"};
    unsigned scalar = (unsigned)type & ~(unsigned)MI_ARRAY;
    if (scalar >= sizeof names / sizeof *names)
        return "unknown";
    return (type & MI_ARRAY) ? array_names[scalar] : names[scalar];
}

static void print_qualifiers(const MI_QualifierSet *set, const char *indent)
{
    MI_Uint32 count = 0;
    if (MI_QualifierSet_GetQualifierCount(set, &count) != MI_RESULT_OK || count == 0)
        return;
    printf("%s[", indent);
    for (MI_Uint32 i = 0; i < count; i++) {
        const MI_Char *name;
        MI_Type type;
        MI_Uint32 flags;
        MI_Value v;
        if (MI_QualifierSet_GetQualifierAt(set, i, &name, &type, &flags, &v) != MI_RESULT_OK)
            continue;
        printf("%s%s", i ? ", " : "", name);
        if (type == MI_BOOLEAN && v.boolean && !(flags & MI_FLAG_NULL))
            continue;
        char *text = mi_output_mof_value(&v, type);
        printf((type & MI_ARRAY) ? "%s" : "(%s)", text ? text : "");
        free(text);
    }
    printf("]%s", *indent ? " " : "\n");
}

/* "string", "uint16 Name[]" and "CIM_System REF" spelled as MOF declares them. */
static void print_typed(MI_Type type, const char *ref_class, const char *name)
{
    MI_Type scalar = (MI_Type)(type & ~MI_ARRAY);
    if (scalar == MI_REFERENCE)
        printf("%s REF %s", ref_class ? ref_class : "Object", name);
    else if (scalar == MI_INSTANCE)
        printf("string %s", name);
    else
        printf("%s %s", mi_tool_type_name(scalar), name);
    if (type & MI_ARRAY)
        printf("[]");
}

static void print_class(const MI_Class *cls)
{
    const MI_Char *name = NULL, *parent = NULL;
    MI_Class_GetClassName(cls, &name);
    MI_QualifierSet qualifiers;
    if (MI_Class_GetClassQualifierSet(cls, &qualifiers) == MI_RESULT_OK)
        print_qualifiers(&qualifiers, "");
    printf("class %s", name ? name : "?");
    if (MI_Class_GetParentClassName(cls, &parent) == MI_RESULT_OK && parent)
        printf(" : %s", parent);
    printf("\n{\n");
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
        print_qualifiers(&set, "    ");
        MI_Uint32 qualifier_count = 0;
        MI_QualifierSet_GetQualifierCount(&set, &qualifier_count);
        if (!qualifier_count)
            printf("    ");
        print_typed(type, ref_class, element);
        if (exists && !(flags & MI_FLAG_NULL)) {
            char *text = mi_output_mof_value(&v, type);
            printf(" = %s", text ? text : "");
            free(text);
        }
        printf(";\n");
    }
    MI_Class_GetMethodCount(cls, &count);
    for (MI_Uint32 i = 0; i < count; i++) {
        const MI_Char *method;
        MI_QualifierSet set;
        MI_ParameterSet params;
        if (MI_Class_GetMethodAt(cls, i, &method, &set, &params) != MI_RESULT_OK)
            continue;
        MI_Type returns = MI_UINT32;
        MI_ParameterSet_GetMethodReturnType(&params, &returns, NULL);
        printf("    %s %s(", mi_tool_type_name(returns), method);
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
            printf("%s", k ? ", " : "");
            print_qualifiers(&pset, " ");
            print_typed(ptype, pref, pname);
        }
        printf(");\n");
    }
    printf("};\n");
}

int mi_command_class(int argc, char **argv)
{
    mi_cli cli;
    bool done;
    int code = mi_cli_parse(&cli, argc, argv, 0, class_usage, &done);
    if (code == MI_EXIT_OK && !done && cli.arg_count != 1) {
        fprintf(stderr, "mi class: give one class name\n%s", class_usage);
        code = MI_EXIT_USAGE;
    }
    if (code != MI_EXIT_OK || done || (code = mi_cli_open(&cli, false)) != MI_EXIT_OK) {
        mi_cli_close(&cli);
        return code;
    }
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_GetClass(&cli.session, 0, NULL, cli.name_space, cli.args[0], NULL, &op);
    const MI_Class *cls = NULL;
    MI_Boolean more = MI_TRUE;
    MI_Result result = MI_RESULT_OK;
    const MI_Char *message = NULL;
    MI_Operation_GetClass(&op, &cls, &more, &result, &message, NULL);
    if (cls)
        print_class(cls);
    while (more)
        MI_Operation_GetClass(&op, &cls, &more, &result, &message, NULL);
    code = result == MI_RESULT_OK ? MI_EXIT_OK : mi_cli_fail(result, message);
    MI_Operation_Close(&op);
    mi_cli_close(&cli);
    return code;
}

int mi_command_classes(int argc, char **argv)
{
    mi_cli cli;
    bool done;
    int code = mi_cli_parse(&cli, argc, argv, MI_OPT_DEEP, classes_usage, &done);
    if (code == MI_EXIT_OK && !done && cli.arg_count > 1) {
        fprintf(stderr, "mi classes: give at most one class name\n%s", classes_usage);
        code = MI_EXIT_USAGE;
    }
    if (code != MI_EXIT_OK || done || (code = mi_cli_open(&cli, false)) != MI_EXIT_OK) {
        mi_cli_close(&cli);
        return code;
    }
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_EnumerateClasses(&cli.session, cli.deep ? 0 : MI_OPERATIONFLAGS_POLYMORPHISM_SHALLOW,
                                NULL, cli.name_space, cli.arg_count ? cli.args[0] : NULL, MI_TRUE,
                                NULL, &op);
    MI_Boolean more = MI_TRUE;
    MI_Result result = MI_RESULT_OK;
    const MI_Char *message = NULL;
    while (more) {
        const MI_Class *cls = NULL;
        if (MI_Operation_GetClass(&op, &cls, &more, &result, &message, NULL) != MI_RESULT_OK)
            break;
        const MI_Char *name = NULL;
        if (cls && MI_Class_GetClassName(cls, &name) == MI_RESULT_OK && name)
            printf("%s\n", name);
    }
    code = result == MI_RESULT_OK ? MI_EXIT_OK : mi_cli_fail(result, message);
    MI_Operation_Close(&op);
    mi_cli_close(&cli);
    return code;
}
