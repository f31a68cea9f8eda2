/*
 * mof_compile — benchmark: compile MOF files (the whole DMTF CIM Schema by default)
 * into a fresh in-memory catalogue several times; print the median and spread of the
 * wall time, the peak resident memory, and the command that reproduces the figures.
 *
 *   build/bench/mof_compile [--runs N] [FILE]
 */
#define _POSIX_C_SOURCE 200809L

#include "catalog/catalog.h"
#include "mof/mof.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void print_diagnostic(void *context, const mi_mof_diagnostic *d)
{
    (void)context;
    fprintf(stderr, "%s\n", d->text);
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int runs = 7;
    const char *file = MI_BENCH_DEFAULT_SCHEMA;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (argv[i][0] == '-') {
            fprintf(stderr, "usage: %s [--runs N] [FILE]\n", argv[0]);
            return 2;
        } else
            file = argv[i];
    }
    if (runs < 1)
        runs = 1;
    double *times = calloc((size_t)runs, sizeof *times);
    if (!times)
        return 1;
    mi_mof_stats stats = {0};
    for (int run = 0; run < runs; run++) {
        mi_catalog *catalog;
        if (mi_catalog_new(&catalog) != MI_RESULT_OK)
            return 1;
        mi_schema_store store = mi_catalog_store(catalog);
        mi_mof_options options = {.on_diagnostic = print_diagnostic};
        mi_error err;
        double start = now();
        MI_Result r = mi_mof_compile_file(&store, file, &options, &stats, &err);
        times[run] = now() - start;
        mi_catalog_free(catalog);
        if (r != MI_RESULT_OK) {
            fprintf(stderr, "compile failed: %s\n", err.message);
            free(times);
            return 1;
        }
    }
    qsort(times, (size_t)runs, sizeof *times, compare_doubles);
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    printf("file:        %s\n", file);
    printf("input:       %u files, %.1f MB\n", stats.files, (double)stats.bytes / 1e6);
    printf("compiled:    %u qualifier declarations, %u classes, %u instances, %u warnings\n",
           stats.qualifiers, stats.classes, stats.instances, stats.warnings);
    printf("runs:        %d\n", runs);
    printf("median:      %.3f s (min %.3f s, max %.3f s)\n", times[runs / 2], times[0],
           times[runs - 1]);
    printf("peak memory: %.1f MB resident\n", (double)usage.ru_maxrss / 1024.0);
    printf("reproduce:   %s --runs %d %s\n", argv[0], runs, file);
    free(times);
    return 0;
}
