/*
 * mi — the libmi command-line tool. A thin layer over the public MI API (include/mi.h):
 * it takes the same code path a user's program takes.
 *
 * Exit codes: 0 success, 1 the operation failed (or the output could not be written),
 * 2 usage error.
 */
#include "commands.h"

#include <mi.h>
#include <signal.h>
#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: mi [--version] [--help] COMMAND [ARGS] [OPTIONS]\n"
    "\n"
    "commands:\n"
    "  associators INSTANCE   the instances associated with INSTANCE\n"
    "  references INSTANCE    the associations that refer to INSTANCE\n"
    "  get INSTANCE           one instance\n"
    "  enumerate CLASS        the instances of a class\n"
    "  create CLASS NAME=VALUE...   create an instance\n"
    "  modify CLASS NAME=VALUE...   change an instance\n"
    "  delete INSTANCE        delete an instance\n"
    "  invoke TARGET METHOD [NAME=VALUE...]   run a method of a class or an instance\n"
    "  query QUERY            the instances a WQL query names\n"
    "  class CLASS            a class definition, as MOF\n"
    "  classes [CLASS]        class names\n"
    "  compile FILE...        compile MOF into the repository\n"
    "  graph INSTANCE         the association neighbourhood as Graphviz DOT\n"
    "  provider register|unregister|list   provider modules and the classes they serve\n"
    "  selfcheck              exercise the MI API in-process and report each step\n"
    "  version                print the library version\n"
    "\n"
    "INSTANCE is an object path or a class and its keys, as in:\n"
    "  mi associators 'CIM_ComputerSystem.CreationClassName=\"CIM_ComputerSystem\",Name=\"web1\"'\n"
    "  mi associators CIM_ComputerSystem CreationClassName=CIM_ComputerSystem Name=web1\n"
    "'mi COMMAND --help' shows a command's options.\n"
    "\n"
    "global options: --repository PATH, -n/--namespace NS (default root/cimv2),\n"
    "--timeout SECONDS (with --host, default 60), --host URL (a CIM server over\n"
    "CIM-XML or WS-Management) with --protocol wsman|cimxml, --user NAME,\n"
    "--cacert FILE, --no-verify\n"
    "\n"
    "exit codes: 0 success, 1 the operation failed (stderr names the MI_RESULT_*) or\n"
    "its output could not be written (quietly when the reader left, as in | head),\n"
    "2 usage error\n";

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
    /* a repository in memory: a check leaves no file behind */
    MI_DestinationOptions in_memory = MI_DESTINATIONOPTIONS_NULL;
    failures += report("MI_Application_NewDestinationOptions",
                       MI_Application_NewDestinationOptions(&app, &in_memory), MI_RESULT_OK);
    failures += report(
        "MI_DestinationOptions_SetString (LIBMI_REPOSITORY)",
        MI_DestinationOptions_SetString(&in_memory, MI_T("LIBMI_REPOSITORY"), MI_T(":memory:"), 0),
        MI_RESULT_OK);
    failures +=
        report("MI_Application_NewSession (local)",
               MI_Application_NewSession(&app, NULL, NULL, &in_memory, NULL, NULL, &session),
               MI_RESULT_OK);
    MI_DestinationOptions_Delete(&in_memory);

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

/* Runs the command named by argv[1]; its exit code. */
static int run_command(int argc, char **argv)
{
    const char *command = argv[1];
    if (!strcmp(command, "--help") || !strcmp(command, "-h") || !strcmp(command, "help")) {
        fputs(usage, stdout);
        return 0;
    }
    bool plain = !strcmp(command, "version") || !strcmp(command, "selfcheck");
    for (int i = 2; plain && i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: mi %s\n  %s\n", command,
                   !strcmp(command, "version") ? "prints the version of mi and libmi"
                                               : "exercises the MI API in-process and reports "
                                                 "each step");
            return 0;
        }
    }
    if (!strcmp(command, "--version") || !strcmp(command, "version")) {
        printf("mi (libmi) %s\n", MI_Libmi_Version());
        return 0;
    }
    static const struct {
        const char *name;
        int (*run)(int argc, char **argv);
    } commands[] = {
        {"associators", mi_command_associators},
        {"references", mi_command_references},
        {"get", mi_command_get},
        {"enumerate", mi_command_enumerate},
        {"create", mi_command_create},
        {"modify", mi_command_modify},
        {"invoke", mi_command_invoke},
        {"query", mi_command_query},
        {"delete", mi_command_delete},
        {"class", mi_command_class},
        {"classes", mi_command_classes},
        {"compile", mi_command_compile},
        {"graph", mi_command_graph},
        {"provider", mi_command_provider},
    };
    if (!strcmp(command, "selfcheck"))
        return selfcheck();
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        if (!strcmp(command, commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    }
    fprintf(stderr, "mi: unknown command '%s'\n%s", command, usage);
    return 2;
}

/* The command's exit code, or 1 when its output could not all be written (said on
 * stderr, but for a reader that left, as in | head): stdout is buffered, so a write
 * error may show only now. */
static int output_written(int code)
{
    int why = errno; /* a write that failed before: its reason is the last one set */
    if (!ferror(stdout)) {
        errno = 0;
        if (fflush(stdout) == 0)
            return code;
        why = errno;
    }
    if (why != EPIPE)
        fprintf(stderr, "mi: cannot write the output%s%s\n", why ? ": " : "",
                why ? strerror(why) : "");
    return code == 0 ? 1 : code;
}

int main(int argc, char **argv)
{
    /* a closed output is seen as a write error, so that operations end cleanly */
    signal(SIGPIPE, SIG_IGN);
    /* global options may come before the command: move the command to the front */
    int at = 1;
    while (at < argc && argv[at][0] == '-' && strcmp(argv[at], "--help") != 0 &&
           strcmp(argv[at], "-h") != 0 && strcmp(argv[at], "--version") != 0) {
        at += mi_cli_global_takes_value(argv[at]) ? 2 : 1;
    }
    if (at >= argc) {
        fputs(usage, stderr);
        return 2;
    }
    char *moved = argv[at];
    memmove(&argv[2], &argv[1], (size_t)(at - 1) * sizeof *argv);
    argv[1] = moved;
    return output_written(run_command(argc, argv));
}
