/*
 * provider — benchmark: instances from providers, through the public MI API.
 *
 *   1. A synthetic provider (synthetic_provider.c) posts N instances; an MI client
 *      enumerates them through a local session and counts what it receives: instances
 *      per second, best of R rounds, with the provider in-process and then isolated in
 *      a host process (mi-host, as mid runs it).
 *   2. The associators of this computer system from the built-in Linux provider: the
 *      median latency of Q calls.
 *
 *   build/bench/provider [--items N] [--rounds R] [--queries Q]
 *                        (default: N 1000000, R 3, Q 200)
 */
#define _POSIX_C_SOURCE 200809L

#include <mi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef BENCH_MODULE_DIR
#error "BENCH_MODULE_DIR must be defined by the build"
#endif

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what, MI_Result r, MI_Instance *error)
{
    MI_Value v;
    MI_Type type;
    MI_Uint32 flags;
    const char *message = "";
    if (error &&
        MI_Instance_GetElement(error, "Message", &v, &type, &flags, NULL) == MI_RESULT_OK &&
        type == MI_STRING && !(flags & MI_FLAG_NULL))
        message = v.string;
    fprintf(stderr, "provider: %s: %s %s\n", what, MI_Libmi_ResultName(r), message);
    exit(1);
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Runs the operation to its end; the number of instances it gave. */
static unsigned long drain(MI_Operation *op, const char *what)
{
    unsigned long count = 0;
    MI_Boolean more = MI_TRUE;
    while (more) {
        const MI_Instance *inst = NULL;
        MI_Result r = MI_RESULT_OK;
        const MI_Char *message = NULL;
        const MI_Instance *details = NULL;
        MI_Operation_GetInstance(op, &inst, &more, &r, &message, &details);
        if (r != MI_RESULT_OK) {
            fprintf(stderr, "provider: %s: %s %s\n", what, MI_Libmi_ResultName(r),
                    message ? message : "");
            exit(1);
        }
        count += inst != NULL;
    }
    MI_Operation_Close(op);
    return count;
}

/* The best rate of `rounds` enumerations of the synthetic provider's items through a
 * session on repository `repo`, the module registered with `flags`. */
static double enumerate_rate(MI_Application *app, const char *repo, MI_Uint32 flags,
                             unsigned long items, unsigned long rounds)
{
    MI_Session session = MI_SESSION_NULL;
    MI_DestinationOptions options = MI_DESTINATIONOPTIONS_NULL;
    MI_Instance *error = NULL;
    MI_Application_NewDestinationOptions(app, &options);
    MI_DestinationOptions_SetString(&options, "LIBMI_REPOSITORY", repo, 0);
    MI_Result r = MI_Application_NewSession(app, NULL, NULL, &options, NULL, &error, &session);
    if (r != MI_RESULT_OK)
        die("session", r, error);
    MI_Libmi_ProviderStats stats;
    if ((r = MI_Libmi_RegisterProvider(&session, BENCH_MODULE_DIR "/libbench_provider.so",
                                       "root/cimv2", flags, &stats, &error)) != MI_RESULT_OK)
        die("register the synthetic provider", r, error);
    MI_Session_Close(&session, NULL, NULL);
    /* a session opened after the registration serves it */
    if ((r = MI_Application_NewSession(app, NULL, NULL, &options, NULL, &error, &session)) !=
        MI_RESULT_OK)
        die("session", r, error);
    double best = 0;
    for (unsigned long round = 0; round < rounds; round++) {
        MI_Operation op = MI_OPERATION_NULL;
        double start = now();
        MI_Session_EnumerateInstances(&session, 0, NULL, "root/cimv2", "Bench_Item", MI_FALSE, NULL,
                                      &op);
        unsigned long got = drain(&op, "enumerate");
        double rate = (double)got / (now() - start);
        if (got != items) {
            fprintf(stderr, "provider: %lu instances received, %lu posted\n", got, items);
            exit(1);
        }
        best = rate > best ? rate : best;
    }
    MI_Session_Close(&session, NULL, NULL);
    MI_DestinationOptions_Delete(&options);
    return best;
}

int main(int argc, char **argv)
{
    unsigned long items = 1000000, rounds = 3, queries = 200;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--items"))
            items = strtoul(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--rounds"))
            rounds = strtoul(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--queries"))
            queries = strtoul(argv[i + 1], NULL, 10);
    }
    char dir[] = "/tmp/libmi-bench-provider-XXXXXX", repo[128], isolated_repo[128], count[32];
    if (!mkdtemp(dir))
        return 1;
    snprintf(repo, sizeof repo, "%s/repo.db", dir);
    snprintf(isolated_repo, sizeof isolated_repo, "%s/isolated.db", dir);
    snprintf(count, sizeof count, "%lu", items);
    setenv("BENCH_ITEMS", count, 1);
    setenv("LIBMI_HOST_PROGRAM", BENCH_MODULE_DIR "/libmi/mi-host", 1);
    setenv("LIBMI_PROVIDER_HOSTING", "registered", 1); /* each module as registered */

    MI_Application app = MI_APPLICATION_NULL;
    MI_Session session = MI_SESSION_NULL;
    MI_DestinationOptions options = MI_DESTINATIONOPTIONS_NULL;
    MI_Instance *error = NULL;
    MI_Application_Initialize(0, NULL, NULL, &app);
    MI_Application_NewDestinationOptions(&app, &options);
    MI_DestinationOptions_SetString(&options, "LIBMI_REPOSITORY", repo, 0);
    MI_Result r = MI_Application_NewSession(&app, NULL, NULL, &options, NULL, &error, &session);
    if (r != MI_RESULT_OK)
        die("session", r, error);
    MI_Libmi_ProviderStats stats;
    if ((r = MI_Libmi_RegisterProvider(&session, BENCH_MODULE_DIR "/libmi/providers/libmi-linux.so",
                                       "root/cimv2", 0, &stats, &error)) != MI_RESULT_OK)
        die("register the Linux provider", r, error);
    MI_Session_Close(&session, NULL, NULL);
    double best = enumerate_rate(&app, repo, 0, items, rounds);
    double isolated =
        enumerate_rate(&app, isolated_repo, MI_LIBMI_PROVIDER_ISOLATED, items, rounds);
    if ((r = MI_Application_NewSession(&app, NULL, NULL, &options, NULL, &error, &session)) !=
        MI_RESULT_OK)
        die("session", r, error);
    printf("synthetic provider, in-process: %lu instances received by an MI client at "
           "%.0f instances/s (best of %lu)\n",
           items, best, rounds);
    printf("synthetic provider, isolated (mi-host): %lu instances received by an MI client at "
           "%.0f instances/s (best of %lu)\n",
           items, isolated, rounds);

    char host[256] = "localhost";
    gethostname(host, sizeof host - 1);
    MI_Instance *me = NULL;
    MI_Application_NewInstance(&app, "Libmi_ComputerSystem", NULL, &me);
    MI_Value v;
    v.string = (MI_Char *)"Libmi_ComputerSystem";
    MI_Instance_AddElement(me, "CreationClassName", &v, MI_STRING, MI_FLAG_KEY);
    v.string = host;
    MI_Instance_AddElement(me, "Name", &v, MI_STRING, MI_FLAG_KEY);
    static const char *const result_classes[] = {NULL, "CIM_LogicalDevice"};
    for (int which = 0; which < 2; which++) {
        const char *result_class = result_classes[which];
        double *latency = calloc(queries ? queries : 1, sizeof *latency);
        unsigned long results = 0;
        for (unsigned long q = 0; q < queries; q++) {
            MI_Operation op = MI_OPERATION_NULL;
            double start = now();
            MI_Session_AssociatorInstances(&session, 0, NULL, "root/cimv2", me, NULL, result_class,
                                           NULL, NULL, MI_FALSE, NULL, &op);
            results = drain(&op, "associators");
            latency[q] = now() - start;
        }
        qsort(latency, queries, sizeof *latency, compare);
        if (queries)
            printf("associators of the live computer system%s (%lu results): median %.2f ms, "
                   "p90 %.2f ms over %lu calls\n",
                   result_class ? ", ResultClass CIM_LogicalDevice" : "", results,
                   latency[queries / 2] * 1e3, latency[queries * 9 / 10] * 1e3, queries);
        free(latency);
    }
    printf("reproduce: build/bench/provider --items %lu --rounds %lu --queries %lu\n", items,
           rounds, queries);
    MI_Instance_Delete(me);
    MI_Session_Close(&session, NULL, NULL);
    MI_DestinationOptions_Delete(&options);
    MI_Application_Close(&app);
    char cleanup[256];
    snprintf(cleanup, sizeof cleanup, "rm -rf '%s'", dir);
    return system(cleanup) == 0 ? 0 : 1;
}
