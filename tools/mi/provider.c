/*
 * mi provider — provider modules in the embedded repository.
 *
 *   mi provider register MODULE.so [--in-process|--isolated] [-n NAMESPACE]
 *   mi provider unregister MODULE.so [-n NAMESPACE]
 *   mi provider list
 */
#include "commands.h"

#include <mi.h>
#include <stdio.h>
#include <string.h>

static const char provider_usage[] =
    "usage: mi provider register MODULE [--in-process | --isolated] [-n NAMESPACE]\n"
    "       mi provider unregister MODULE [-n NAMESPACE]\n"
    "       mi provider list\n"
    "\n"
    "A provider module is a shared object exporting MI_Main, written against the\n"
    "provider half of mi.h (as WMIv2 and OMI providers are). Registering it in a\n"
    "namespace (default root/cimv2) of the repository stores the classes of its\n"
    "schema that the namespace lacks (those it has must agree), and records the\n"
    "classes it serves: local sessions and mid then ask the provider for their\n"
    "instances. Unregistering removes the records (the classes stay).\n"
    "\n"
    "options:\n"
    "  --isolated     mid runs the module in a host process of its own (mi-host),\n"
    "                 where a crash or a hang fails only its own operations (the\n"
    "                 default)\n"
    "  --in-process   mid runs the module in its own process: for trusted, fast\n"
    "                 modules\n"
    "Local sessions run every module in-process (LIBMI_PROVIDER_HOSTING=registered:\n"
    "as registered).\n";

static int fail_with(MI_Result r, MI_Instance *error)
{
    const MI_Char *message = NULL;
    MI_Value v;
    MI_Type type;
    MI_Uint32 flags;
    if (error &&
        MI_Instance_GetElement(error, MI_T("Message"), &v, &type, &flags, NULL) == MI_RESULT_OK &&
        type == MI_STRING && !(flags & MI_FLAG_NULL))
        message = v.string;
    int code = mi_cli_fail(r, message);
    if (error)
        MI_Instance_Delete(error);
    return code;
}

static void print_registration(void *context, const MI_Libmi_ProviderRegistration *g)
{
    unsigned *count = context;
    if ((*count)++ == 0)
        printf("%-16s %-32s %-11s %s\n", "NAMESPACE", "CLASS", "HOSTING", "MODULE");
    printf("%-16s %-32s %-11s %s\n", g->nameSpace, g->className,
           (g->flags & MI_LIBMI_PROVIDER_ISOLATED) ? "isolated" : "in-process", g->modulePath);
}

int mi_command_provider(int argc, char **argv)
{
    mi_cli cli;
    bool done;
    int code = mi_cli_parse(&cli, argc, argv, MI_OPT_HOSTING, provider_usage, &done);
    const char *action = cli.arg_count > 0 ? cli.args[0] : NULL;
    if (code == MI_EXIT_OK && !done) {
        bool list = action && !strcmp(action, "list");
        bool change = action && (!strcmp(action, "register") || !strcmp(action, "unregister"));
        if (!list && !change) {
            fprintf(stderr, "mi provider: %s%s%s\n%s",
                    action ? "unknown action '" : "no action given (register, unregister or list)",
                    action ? action : "", action ? "'" : "", provider_usage);
            code = MI_EXIT_USAGE;
        } else if (cli.arg_count != (list ? 1 : 2)) {
            fprintf(stderr, "mi provider %s: %s\n%s", action,
                    list ? "takes no arguments" : "takes one provider module file", provider_usage);
            code = MI_EXIT_USAGE;
        } else if ((cli.in_process || cli.isolated) && strcmp(action, "register") != 0) {
            fprintf(stderr, "mi provider %s: --in-process and --isolated are for register\n%s",
                    action, provider_usage);
            code = MI_EXIT_USAGE;
        } else if (cli.in_process && cli.isolated) {
            fprintf(stderr, "mi provider register: --in-process or --isolated, not both\n%s",
                    provider_usage);
            code = MI_EXIT_USAGE;
        } else if (cli.host) {
            fprintf(stderr, "mi provider: providers are registered in the local repository, "
                            "not with --host\n");
            code = MI_EXIT_USAGE;
        }
    }
    if (code != MI_EXIT_OK || done ||
        (code = mi_cli_open(&cli, strcmp(action, "list") != 0)) != MI_EXIT_OK) {
        mi_cli_close(&cli);
        return code;
    }
    MI_Instance *error = NULL;
    MI_Result r;
    if (!strcmp(action, "list")) {
        unsigned count = 0;
        r = MI_Libmi_ListProviders(&cli.session, print_registration, &count, &error);
        if (r == MI_RESULT_OK && count == 0)
            printf("no providers registered\n");
    } else if (!strcmp(action, "register")) {
        MI_Libmi_ProviderStats stats;
        r = MI_Libmi_RegisterProvider(&cli.session, cli.args[1], cli.name_space,
                                      cli.in_process ? 0 : MI_LIBMI_PROVIDER_ISOLATED, &stats,
                                      &error);
        if (r == MI_RESULT_OK)
            printf("registered %s in %s: %u class%s served, %u class%s stored, %u there already\n",
                   cli.args[1], cli.name_space, stats.classesServed,
                   stats.classesServed == 1 ? "" : "es", stats.classesStored,
                   stats.classesStored == 1 ? "" : "es", stats.classesPresent);
    } else {
        MI_Uint32 removed = 0;
        /* -n given or not: the default namespace is a choice, so unregister takes it as one */
        r = MI_Libmi_UnregisterProvider(&cli.session, cli.args[1], cli.name_space, &removed,
                                        &error);
        if (r == MI_RESULT_OK)
            printf("unregistered %s: %u class%s no longer served in %s\n", cli.args[1], removed,
                   removed == 1 ? "" : "es", cli.name_space);
    }
    mi_cli_close(&cli);
    return r == MI_RESULT_OK ? MI_EXIT_OK : fail_with(r, error);
}
