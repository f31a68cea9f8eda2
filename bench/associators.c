/*
 * associators — benchmark: MI_Session_AssociatorInstances on repositories of N objects.
 *
 * For each N the benchmark builds a CIM-shaped repository file: computer systems, each
 * with 5 disk drives and 5 file systems joined to it by 10 association instances (21
 * objects per system). It then asks for the associators of random systems (k = 10
 * results each) through the public MI API, synchronously, instances decoded, and prints
 * the median latency per call, the load rate and the file size; at the end, the ratio of
 * the largest N to the smallest. All repositories are built first; then R rounds ask Q
 * queries of each in turn, and each figure is the median over the rounds.
 *
 *   build/bench/associators [--queries Q] [--rounds R] [--wql] [N ...]
 *                                      (default: Q 2000, R 5, N 10000 100000 1000000)
 *
 * With --wql each query is also asked as WQL (ASSOCIATORS OF {Bench_System.Name="..."}
 * through MI_Session_QueryInstances) and the ratio to the MI call printed; and on the
 * largest repository a SELECT ... WHERE over every Bench_Device measures the rows a
 * query filters per second.
 */
#define _POSIX_C_SOURCE 200809L

#include "core/instance.h"
#include "core/path.h"
#include "mof/mof.h"
#include "repo/repository.h"

#include <mi.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char schema[] =
    "Qualifier Key : boolean = false, Scope(property, reference), Flavor(DisableOverride);\n"
    "Qualifier Association : boolean = false, Scope(association), Flavor(DisableOverride);\n"
    "class Bench_System { [Key] string Name; string Owner; };\n"
    "class Bench_Device { [Key] string SystemName; [Key] string DeviceID; uint64 Capacity; };\n"
    "class Bench_FileSystem { [Key] string CSName; [Key] string Name; uint64 Size; };\n"
    "[Association] class Bench_SystemDevice {\n"
    "  [Key] Bench_System REF GroupComponent; [Key] Bench_Device REF PartComponent; };\n"
    "[Association] class Bench_HostedFileSystem {\n"
    "  [Key] Bench_System REF GroupComponent; [Key] Bench_FileSystem REF PartComponent; };\n";

#define NS "root/cimv2"
#define PER_SYSTEM 5

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "associators: %s: %s\n", what, detail ? detail : "");
    exit(1);
}

static MI_Instance *make(mi_repository *repo, const char *class_name)
{
    mi_class *cls = mi_repository_find_class(repo, NS, class_name);
    MI_Instance *inst;
    if (!cls || mi_instance_new(&inst, NULL, cls, NULL) != MI_RESULT_OK)
        die("cannot make an instance of", class_name);
    return inst;
}

static void set_string(MI_Instance *inst, const char *name, const char *text)
{
    MI_Value v = {.string = (MI_Char *)text};
    if (mi_instance_set_element(inst, name, &v, MI_STRING, 0, NULL) != MI_RESULT_OK)
        die("cannot set", name);
}

static void set_u64(MI_Instance *inst, const char *name, uint64_t n)
{
    MI_Value v = {.uint64 = n};
    if (mi_instance_set_element(inst, name, &v, MI_UINT64, 0, NULL) != MI_RESULT_OK)
        die("cannot set", name);
}

static void set_reference(MI_Instance *inst, const char *name, const MI_Instance *target)
{
    MI_Value v;
    if (mi_path_of_instance(&v.reference, target, NULL) != MI_RESULT_OK ||
        mi_instance_set_element(inst, name, &v, MI_REFERENCE, MI_FLAG_ADOPT, NULL) != MI_RESULT_OK)
        die("cannot set", name);
}

static void add(mi_schema_batch *batch, MI_Instance *inst)
{
    if (mi_batch_add_instance(batch, NS, inst) != MI_RESULT_OK)
        die("out of memory", NULL);
}

/* One system with its devices, file systems and the associations to them. */
static void add_system(mi_repository *repo, mi_schema_batch *batch, long s)
{
    char name[32], id[32];
    snprintf(name, sizeof name, "sys%ld", s);
    MI_Instance *system = make(repo, "Bench_System");
    set_string(system, "Name", name);
    set_string(system, "Owner", "ops");
    for (int d = 0; d < PER_SYSTEM; d++) {
        snprintf(id, sizeof id, "disk%d", d);
        MI_Instance *device = make(repo, "Bench_Device");
        set_string(device, "SystemName", name);
        set_string(device, "DeviceID", id);
        set_u64(device, "Capacity", 512000000000ull);
        MI_Instance *link = make(repo, "Bench_SystemDevice");
        set_reference(link, "GroupComponent", system);
        set_reference(link, "PartComponent", device);
        add(batch, device);
        add(batch, link);
        snprintf(id, sizeof id, "/fs%d", d);
        MI_Instance *fs = make(repo, "Bench_FileSystem");
        set_string(fs, "CSName", name);
        set_string(fs, "Name", id);
        set_u64(fs, "Size", 1u << 30);
        MI_Instance *hosted = make(repo, "Bench_HostedFileSystem");
        set_reference(hosted, "GroupComponent", system);
        set_reference(hosted, "PartComponent", fs);
        add(batch, fs);
        add(batch, hosted);
    }
    add(batch, system);
}

static long build(const char *file, long objects, double *seconds)
{
    unlink(file);
    char wal[600];
    snprintf(wal, sizeof wal, "%s-wal", file);
    unlink(wal);
    mi_repository *repo;
    mi_error err = {0};
    if (mi_repository_open(&repo, file, true, &err) != MI_RESULT_OK)
        die("cannot create the repository", err.message);
    mi_schema_store store = mi_repository_store(repo);
    if (mi_mof_compile_string(&store, "bench.mof", schema, sizeof schema - 1, NULL, NULL, &err))
        die("cannot compile the schema", err.message);
    long systems = objects / (1 + 4 * PER_SYSTEM);
    double start = now();
    for (long s = 0; s < systems;) {
        mi_schema_batch batch = MI_SCHEMA_BATCH_INIT;
        for (long end = s + 2000; s < systems && s < end; s++)
            add_system(repo, &batch, s);
        if (mi_repository_apply(repo, &batch, &err) != MI_RESULT_OK)
            die("cannot store", err.message);
        mi_batch_free(&batch);
    }
    *seconds = now() - start;
    mi_repository_close(repo);
    return systems;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct sized {
    long objects, systems;
    double load_seconds, megabytes;
    char file[128];
    MI_Session session;
    double *medians;     /* one per round */
    double *wql_medians; /* --wql: the same as ASSOCIATORS OF */
} sized;

/* Q random associators queries on one repository; the median seconds per call. */
__attribute__((noinline)) static double query(MI_Application *app, sized *z, int queries,
                                              unsigned *seed, bool wql)
{
    double *times = calloc((size_t)queries, sizeof *times);
    if (!times)
        die("out of memory", NULL);
    for (int q = -queries / 10; q < queries; q++) { /* the first tenth warms the caches */
        *seed = *seed * 1103515245u + 12345u;
        char name[32];
        snprintf(name, sizeof name, "sys%ld", (long)(*seed >> 8) % z->systems);
        MI_Instance *key;
        MI_Value v = {.string = name};
        MI_Application_NewInstance(app, "Bench_System", NULL, &key);
        MI_Instance_AddElement(key, "Name", &v, MI_STRING, MI_FLAG_KEY);
        double start = now();
        MI_Operation op = MI_OPERATION_NULL;
        if (wql) {
            char text[96];
            snprintf(text, sizeof text, "ASSOCIATORS OF {Bench_System.Name=\"%s\"}", name);
            MI_Session_QueryInstances(&z->session, 0, NULL, NS, MI_T("WQL"), text, NULL, &op);
        } else {
            MI_Session_AssociatorInstances(&z->session, 0, NULL, NS, key, NULL, NULL, NULL, NULL,
                                           MI_FALSE, NULL, &op);
        }
        MI_Boolean more = MI_TRUE;
        MI_Result result = MI_RESULT_OK;
        int count = 0;
        while (more) {
            const MI_Instance *inst = NULL;
            MI_Operation_GetInstance(&op, &inst, &more, &result, NULL, NULL);
            count += inst != NULL;
        }
        MI_Operation_Close(&op);
        double elapsed = now() - start;
        MI_Instance_Delete(key);
        if (result != MI_RESULT_OK || count != 2 * PER_SYSTEM)
            die("wrong answer for", name);
        if (q >= 0)
            times[q] = elapsed;
    }
    qsort(times, (size_t)queries, sizeof *times, compare_doubles);
    double median = times[queries / 2];
    free(times);
    return median;
}

/* One SELECT over every device: the rows it looks at per second, and how many it kept. */
static double where_rate(sized *z, const char *condition, long *kept)
{
    char text[256];
    snprintf(text, sizeof text, "SELECT DeviceID, Capacity FROM Bench_Device WHERE %s", condition);
    double start = now();
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_QueryInstances(&z->session, 0, NULL, NS, MI_T("WQL"), text, NULL, &op);
    MI_Boolean more = MI_TRUE;
    MI_Result result = MI_RESULT_OK;
    *kept = 0;
    while (more) {
        const MI_Instance *inst = NULL;
        MI_Operation_GetInstance(&op, &inst, &more, &result, NULL, NULL);
        *kept += inst != NULL;
    }
    MI_Operation_Close(&op);
    double elapsed = now() - start;
    if (result != MI_RESULT_OK)
        die("the WHERE query failed", text);
    return (double)(z->systems * PER_SYSTEM) / elapsed;
}

static double median_of(const double *values, int n)
{
    double sorted[64];
    memcpy(sorted, values, (size_t)n * sizeof *sorted);
    qsort(sorted, (size_t)n, sizeof *sorted, compare_doubles);
    return sorted[n / 2];
}

int main(int argc, char **argv)
{
    int queries = 2000, rounds = 5;
    bool keep = false; /* leave the repositories (for bench/mid.sh) */
    bool wql = false;  /* also as WQL */
    long sizes[8] = {0};
    int n = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--queries") && i + 1 < argc)
            queries = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--keep"))
            keep = true;
        else if (!strcmp(argv[i], "--wql"))
            wql = true;
        else if (n < 8 && atol(argv[i]) > 0)
            sizes[n++] = atol(argv[i]);
        else {
            fprintf(stderr, "usage: %s [--queries Q] [--rounds R] [--keep] [--wql] [N ...]\n",
                    argv[0]);
            return 2;
        }
    }
    if (n == 0) {
        sizes[n++] = 10000;
        sizes[n++] = 100000;
        sizes[n++] = 1000000;
    }
    if (queries < 10)
        queries = 10;
    if (rounds < 1 || rounds > 64)
        rounds = 5;
    sized all[8];
    MI_Application app = MI_APPLICATION_NULL;
    if (MI_Application_Initialize(0, NULL, NULL, &app) != MI_RESULT_OK)
        die("cannot initialize", NULL);
    for (int i = 0; i < n; i++) {
        sized *z = &all[i];
        memset(z, 0, sizeof *z);
        snprintf(z->file, sizeof z->file, "/tmp/mi-bench-%ld.db", sizes[i]);
        z->systems = build(z->file, sizes[i], &z->load_seconds);
        z->objects = z->systems * (1 + 4 * PER_SYSTEM);
        struct stat st;
        z->megabytes = stat(z->file, &st) == 0 ? (double)st.st_size / 1e6 : 0;
        setenv("MI_REPOSITORY", z->file, 1);
        z->session = (MI_Session)MI_SESSION_NULL;
        if (MI_Application_NewSession(&app, NULL, NULL, NULL, NULL, NULL, &z->session) !=
            MI_RESULT_OK)
            die("cannot open a session", z->file);
        if (!(z->medians = calloc((size_t)rounds, sizeof *z->medians)) ||
            !(z->wql_medians = calloc((size_t)rounds, sizeof *z->wql_medians)))
            die("out of memory", NULL);
    }
    /* the sizes take turns, so that each round sees every size in the same state of the
     * machine; the ratio is taken within each round */
    double ratios[64];
    unsigned seed = 12345;
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < n; i++) {
            all[i].medians[r] = query(&app, &all[i], queries, &seed, false);
            if (wql)
                all[i].wql_medians[r] = query(&app, &all[i], queries, &seed, true);
        }
        ratios[r] = all[n - 1].medians[r] / all[0].medians[r];
    }
    printf("%10s %10s %12s %10s %16s %16s\n", "objects", "systems", "load obj/s", "file MB",
           "median us/call", "best round us");
    for (int i = 0; i < n; i++) {
        sized *z = &all[i];
        double best = z->medians[0];
        for (int r = 1; r < rounds; r++)
            best = z->medians[r] < best ? z->medians[r] : best;
        printf("%10ld %10ld %12.0f %10.1f %16.1f %16.1f", z->objects, z->systems,
               (double)z->objects / z->load_seconds, z->megabytes,
               median_of(z->medians, rounds) * 1e6, best * 1e6);
        if (wql)
            printf("   WQL %8.1f us (%.2fx)", median_of(z->wql_medians, rounds) * 1e6,
                   median_of(z->wql_medians, rounds) / median_of(z->medians, rounds));
        printf("\n");
        if (wql && i == n - 1) {
            long kept_all = 0, kept_one = 0;
            double all_rate = 0, one_rate = 0;
            for (int r = 0; r < 3; r++) { /* best of 3 */
                double a = where_rate(z, "Capacity > 1000 AND DeviceID LIKE 'disk%'", &kept_all);
                double b = where_rate(z, "DeviceID = 'disk3'", &kept_one);
                all_rate = a > all_rate ? a : all_rate;
                one_rate = b > one_rate ? b : one_rate;
            }
            printf("WHERE over %ld devices: %.0f rows/s keeping all (%ld), %.0f rows/s keeping "
                   "a fifth (%ld)\n",
                   z->systems * PER_SYSTEM, all_rate, kept_all, one_rate, kept_one);
        }
        MI_Session_Close(&z->session, NULL, NULL);
        if (keep)
            printf("kept %s (%ld systems)\n", z->file, z->systems);
        else
            unlink(z->file);
        free(z->medians);
        free(z->wql_medians);
    }
    MI_Application_Close(&app);
    if (n > 1)
        printf("ratio largest/smallest (median of the rounds' ratios): %.2f\n",
               median_of(ratios, rounds));
    printf("reproduce: %s --queries %d --rounds %d%s", argv[0], queries, rounds,
           wql ? " --wql" : "");
    for (int i = 0; i < n; i++)
        printf(" %ld", sizes[i]);
    printf("\n");
    return 0;
}
