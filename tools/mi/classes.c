/*
 * classes — mi class (one definition, printed as MOF) and mi classes (class names).
 */
#include "class_output.h"
#include "commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char class_usage[] =
    "usage: mi class CLASS [--format FORMAT]\n"
    "\n"
    "The definition of CLASS (MI_Session_GetClass): its superclass, qualifiers,\n"
    "properties with their types, defaults and qualifiers, and its methods. As MOF,\n"
    "what the class declares itself (its superclass brings the rest), as it would be\n"
    "compiled; as JSON or XML (a CIM-XML CLASS), every property, inherited ones too.\n"
    "\n"
    "options:\n"
    "  -f, --format FORMAT   mof (the default), json or xml\n";

static const char classes_usage[] =
    "usage: mi classes [CLASS] [--deep] [--format FORMAT]\n"
    "\n"
    "The names of the classes under CLASS, or of the root classes without it\n"
    "(MI_Session_EnumerateClasses), one per line; or their definitions.\n"
    "\n"
    "options:\n"
    "  --deep                every descendant, not only the direct subclasses\n"
    "  -f, --format FORMAT   table or paths (names, the default), or the definitions\n"
    "                        as mof, json or xml\n";

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

int mi_command_class(int argc, char **argv)
{
    mi_cli cli;
    bool done;
    int code = mi_cli_parse(&cli, argc, argv, MI_OPT_FORMAT, class_usage, &done);
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
    if (cls) {
        mi_class_output *out = mi_class_output_begin(
            cli.format == MI_FORMAT_DEFAULT ? MI_FORMAT_MOF : cli.format, stdout);
        mi_class_output_class(out, cls);
        mi_class_output_end(out);
    }
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
    int code = mi_cli_parse(&cli, argc, argv, MI_OPT_DEEP | MI_OPT_FORMAT, classes_usage, &done);
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
    mi_class_output *out = mi_class_output_begin(cli.format, stdout);
    while (more) {
        const MI_Class *cls = NULL;
        if (MI_Operation_GetClass(&op, &cls, &more, &result, &message, NULL) != MI_RESULT_OK)
            break;
        mi_class_output_class(out, cls);
        if (ferror(stdout))
            break; /* the reader went away: main says so */
    }
    mi_class_output_end(out);
    code = result == MI_RESULT_OK ? MI_EXIT_OK : mi_cli_fail(result, message);
    MI_Operation_Close(&op);
    mi_cli_close(&cli);
    return code;
}
