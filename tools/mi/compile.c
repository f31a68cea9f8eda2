/*
 * mi compile — MOF files through the compiler, as one unit.
 *
 *   mi compile [--check] [-n NAMESPACE] [--max-errors N] FILE...
 *
 * Diagnostics go to stderr as file:line:column: message; a summary goes to stdout.
 */
#include "commands.h"

#include <mi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char compile_usage[] =
    "usage: mi compile [--check] [-n NAMESPACE] [--max-errors N] FILE...\n"
    "\n"
    "Compiles the MOF files (DMTF DSP0221) as one unit into the embedded repository\n"
    "(MI_REPOSITORY, or the default one): every error is reported as\n"
    "file:line:column: message, and nothing is stored unless all of it compiles.\n"
    "\n"
    "options:\n"
    "  --check            check the MOF only; store nothing (like mofcomp -check)\n"
    "  -n, --namespace NS namespace for declarations before any #pragma namespace\n"
    "                     (default root/cimv2)\n"
    "  --max-errors N     stop after N errors (default 20)\n"
    "  -h, --help         show this help\n";

static void print_diagnostic(void *context, const MI_Libmi_MofDiagnostic *d)
{
    (void)context;
    fprintf(stderr, "%s\n", d->text);
}

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int mi_command_compile(int argc, char **argv)
{
    int check = 0;
    const char *ns = NULL;
    unsigned long max_errors = 0;
    const char **files = calloc((size_t)argc, sizeof *files);
    MI_Uint32 count = 0;
    if (!files) {
        fputs("mi compile: out of memory\n", stderr);
        return MI_EXIT_FAILED;
    }
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
            fputs(compile_usage, stdout);
            free(files);
            return MI_EXIT_OK;
        } else if (!strcmp(arg, "--check")) {
            check = 1;
        } else if ((!strcmp(arg, "-n") || !strcmp(arg, "--namespace")) && i + 1 < argc) {
            ns = argv[++i];
        } else if (!strcmp(arg, "--max-errors") && i + 1 < argc) {
            char *end;
            max_errors = strtoul(argv[++i], &end, 10);
            if (*end || max_errors == 0 || max_errors > 100000) {
                fprintf(stderr, "mi compile: --max-errors takes a number from 1 to 100000\n");
                free(files);
                return MI_EXIT_USAGE;
            }
        } else if (arg[0] == '-' && arg[1]) {
            fprintf(stderr, "mi compile: unknown option '%s'\n%s", arg, compile_usage);
            free(files);
            return MI_EXIT_USAGE;
        } else {
            files[count++] = arg;
        }
    }
    if (count == 0) {
        fprintf(stderr, "mi compile: no MOF file given\n%s", compile_usage);
        free(files);
        return MI_EXIT_USAGE;
    }
    MI_Application app = MI_APPLICATION_NULL;
    MI_Session session = MI_SESSION_NULL;
    if (!check) {
        /* into the embedded repository (MI_REPOSITORY, or the default one) */
        MI_Result r = MI_Application_Initialize(0, NULL, NULL, &app);
        if (r == MI_RESULT_OK)
            r = MI_Application_NewSession(&app, NULL, NULL, NULL, NULL, NULL, &session);
        if (r != MI_RESULT_OK) {
            fprintf(stderr, "mi: %s (%d): cannot open the repository\n", MI_Libmi_ResultName(r),
                    (int)r);
            MI_Application_Close(&app);
            free(files);
            return MI_EXIT_FAILED;
        }
    }
    MI_Libmi_MofStats stats;
    double start = seconds_now();
    MI_Result r = MI_Libmi_CompileMof(check ? NULL : &session, ns, files, count,
                                      (MI_Uint32)max_errors, print_diagnostic, NULL, &stats);
    if (!check) {
        MI_Session_Close(&session, NULL, NULL);
        MI_Application_Close(&app);
    }
    double elapsed = seconds_now() - start;
    free(files);
    printf("%s %u file%s (%.1f MB) in %.2f s: %u qualifier types, %u classes, %u instances",
           r != MI_RESULT_OK ? "read"
           : check           ? "checked"
                             : "stored",
           stats.files, stats.files == 1 ? "" : "s", (double)stats.bytes / 1e6, elapsed,
           stats.qualifiers, stats.classes, stats.instances);
    printf(", %u error%s, %u warning%s\n", stats.errors, stats.errors == 1 ? "" : "s",
           stats.warnings, stats.warnings == 1 ? "" : "s");
    if (r != MI_RESULT_OK) {
        fprintf(stderr, "mi: %s (%d): the MOF did not compile\n", MI_Libmi_ResultName(r), (int)r);
        return MI_EXIT_FAILED;
    }
    return MI_EXIT_OK;
}
