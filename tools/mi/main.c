/*
 * mi — the libmi command-line tool. A thin layer over the public MI API (include/mi.h):
 * it takes the same code path a user's program takes.
 *
 * Exit codes: 0 success, 1 the operation failed, 2 usage error.
 */
#include "commands.h"

#include <mi.h>
#include <stdio.h>
#include <string.h>

static const char usage[] = "usage: mi [--version] [--help] <command>\n"
                            "\n"
                            "commands:\n"
                            "  version     print the library version\n"
                            "  selfcheck   exercise the MI API in-process and report each step\n"
                            "  compile     compile MOF files (mi compile --help)\n";

static int report(const char *step, MI_Result result, MI_Result expected)
{
    printf("  %-44s %s\n", step, MI_Libmi_ResultName(result));
    return result == expected ? 0 : 1;
}

/* Builds a key instance, clones it, opens a local session and asks for associators: the
 * path every later command takes. */
static int selfcheck(void)
{
    MI_Application app = MI_APPLICATION_NULL;
    MI_Session session = MI_SESSION_NULL;
    MI_Instance *key = NULL, *copy = NULL;
    int failures = 0;

    printf("libmi %s self-check\n", MI_Libmi_Version());
    failures += report("MI_Application_Initialize", MI_Application_Initialize(0, NULL, NULL, &app),
                       MI_RESULT_OK);
    failures +=
        report("MI_Application_NewInstance (CIM_ComputerSystem)",
               MI_Application_NewInstance(&app, "CIM_ComputerSystem", NULL, &key), MI_RESULT_OK);
    MI_Value v;
    v.string = (MI_Char *)"CIM_ComputerSystem";
    failures += report("MI_Instance_AddElement (CreationClassName)",
                       MI_Instance_AddElement(key, "CreationClassName", &v, MI_STRING, MI_FLAG_KEY),
                       MI_RESULT_OK);
    v.string = (MI_Char *)"host1.example.org";
    failures +=
        report("MI_Instance_AddElement (Name)",
               MI_Instance_AddElement(key, "Name", &v, MI_STRING, MI_FLAG_KEY), MI_RESULT_OK);
    failures += report("MI_Instance_Clone", MI_Instance_Clone(key, &copy), MI_RESULT_OK);
    MI_Value got;
    MI_Type type;
    MI_Uint32 flags;
    MI_Result r = MI_Instance_GetElement(copy, "name", &got, &type, &flags, NULL);
    if (r == MI_RESULT_OK && (type != MI_STRING || !(flags & MI_FLAG_KEY) ||
                              strcmp(got.string, "host1.example.org") != 0))
        r = MI_RESULT_FAILED;
    failures += report("MI_Instance_GetElement (name, any case)", r, MI_RESULT_OK);
    failures += report("MI_Application_NewSession (local)",
                       MI_Application_NewSession(&app, NULL, NULL, NULL, NULL, NULL, &session),
                       MI_RESULT_OK);

    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_AssociatorInstances(&session, 0, NULL, "root/cimv2", key, NULL, NULL, NULL, NULL,
                                   MI_FALSE, NULL, &op);
    const MI_Instance *result_instance;
    MI_Boolean more = MI_TRUE;
    MI_Result result = MI_RESULT_OK;
    const MI_Char *message = NULL;
    MI_Operation_GetInstance(&op, &result_instance, &more, &result, &message, NULL);
    printf("  %-44s %s%s%s\n", "MI_Session_AssociatorInstances", MI_Libmi_ResultName(result),
           message ? ": " : "", message ? message : "");
    MI_Operation_Close(&op); /* the message lives until here */

    MI_Session_Close(&session, NULL, NULL);
    MI_Instance_Delete(copy);
    MI_Instance_Delete(key);
    MI_Application_Close(&app);
    printf("%s\n", failures ? "self-check FAILED" : "self-check passed");
    return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    const char *command = argv[1];
    if (!strcmp(command, "--help") || !strcmp(command, "-h") || !strcmp(command, "help")) {
        fputs(usage, stdout);
        return 0;
    }
    if (!strcmp(command, "--version") || !strcmp(command, "version")) {
        printf("mi (libmi) %s\n", MI_Libmi_Version());
        return 0;
    }
    if (!strcmp(command, "selfcheck"))
        return selfcheck();
    if (!strcmp(command, "compile"))
        return mi_command_compile(argc - 1, argv + 1);
    fprintf(stderr, "mi: unknown command '%s'\n%s", command, usage);
    return 2;
}
