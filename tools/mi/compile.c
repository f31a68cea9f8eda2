/*
 * mi compile — MOF files through the compiler, as one unit.
 *
 *   mi compile [--check] [--create-only] [-n NAMESPACE] [--max-errors N] FILE...
 *
 * Diagnostics go to stderr as file:line:column: message; a summary goes to stdout.
 */
#include "commands.h"

#include <mi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char compile_usage[] =
    "usage: mi compile [--check] [--create-only] [--max-errors N] FILE...\n"
    "\n"
    "Compiles the MOF files (DMTF DSP0221) as one unit into the embedded repository\n"
    "(MI_REPOSITORY, or the default one): every error is reported as\n"
    "file:line:column: message, and nothing is stored unless all of it compiles.\n"
    "Classes and instances the repository has already are updated in place, as\n"
    "mofcomp does: a class where its subclasses and stored instances still fit it,\n"
    "an instance by replacing it; what is stored exactly so is left alone.\n"
    "\n"
    "options:\n"
    "  --check            check the MOF against the repository (alone when there is\n"
    "                     none), updates included; store nothing (like mofcomp -check)\n"
    "  --create-only      refuse classes and instances that exist already\n"
    "  --max-errors N     stop after N errors (default 20)\n"
    "  (-n, --namespace NS: the namespace before any #pragma namespace)\n";

/* A size for people: KB below a tenth of a megabyte, else MB. */
static const char *size_text(char *out, size_t size, unsigned long long bytes)
{
    if (bytes < 100000)
        snprintf(out, size, "%.1f KB", (double)bytes / 1e3);
    else
        snprintf(out, size, "%.1f MB", (double)bytes / 1e6);
    return out;
}

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The progress line on a terminal: shown once a compile has run a quarter of a second,
 * redrawn at most ten times a second, and wiped before anything else is printed. */
typedef struct progress_line {
    bool terminal;
    double start, drawn;
    bool shown;
} progress_line;

static void wipe(progress_line *p)
{
    if (p->shown)
        fputs("\r\033[K", stderr);
    p->shown = false;
}

/* Diagnostics are kept and printed in the order of the files and lines they name (the
 * compile finds them phase by phase: syntax, then classes, then instances). */
typedef struct diagnostic {
    size_t file; /* index of the file among those named, in the order first named */
    MI_Uint32 line, column;
    size_t seq;
    char *text;
} diagnostic;

typedef struct diagnostics {
    progress_line *line;
    diagnostic *items;
    size_t count, capacity;
    char **files;
    size_t file_count;
} diagnostics;

static size_t file_index(diagnostics *ds, const char *file)
{
    for (size_t i = 0; i < ds->file_count; i++) {
        if (!strcmp(ds->files[i], file))
            return i;
    }
    char **grown = realloc(ds->files, (ds->file_count + 1) * sizeof *grown);
    char *copy = strdup(file);
    if (!grown || !copy) {
        free(copy);
        if (grown)
            ds->files = grown;
        return SIZE_MAX;
    }
    ds->files = grown;
    ds->files[ds->file_count] = copy;
    return ds->file_count++;
}

static void keep_diagnostic(void *context, const MI_Libmi_MofDiagnostic *d)
{
    diagnostics *ds = context;
    size_t file = file_index(ds, d->file ? d->file : "");
    if (ds->count == ds->capacity && file != SIZE_MAX) {
        size_t capacity = ds->capacity ? ds->capacity * 2 : 32;
        diagnostic *grown = realloc(ds->items, capacity * sizeof *grown);
        if (grown) {
            ds->items = grown;
            ds->capacity = capacity;
        }
    }
    char *text = file != SIZE_MAX && ds->count < ds->capacity ? strdup(d->text) : NULL;
    if (!text) {
        wipe(ds->line);
        fprintf(stderr, "%s\n", d->text);
        return;
    }
    ds->items[ds->count] = (diagnostic){file, d->line, d->column, ds->count, text};
    ds->count++;
}

static int by_place(const void *a, const void *b)
{
    const diagnostic *x = a, *y = b;
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->column != y->column)
        return x->column < y->column ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void print_diagnostics(diagnostics *ds)
{
    if (ds->count > 1)
        qsort(ds->items, ds->count, sizeof *ds->items, by_place);
    for (size_t i = 0; i < ds->count; i++) {
        fprintf(stderr, "%s\n", ds->items[i].text);
        free(ds->items[i].text);
    }
    for (size_t i = 0; i < ds->file_count; i++)
        free(ds->files[i]);
    free(ds->items);
    free(ds->files);
}

static void show_progress(void *context, const MI_Char *phase, const MI_Libmi_MofStats *so_far)
{
    progress_line *p = ((diagnostics *)context)->line;
    double now = seconds_now();
    bool last_phase = strcmp(phase, "reading") != 0;
    if (!p->terminal || now - p->start < 0.25 || (!last_phase && now - p->drawn < 0.1))
        return;
    char size[32];
    fprintf(stderr, "\r\033[K%s: %u file%s, %s", phase, so_far->files,
            so_far->files == 1 ? "" : "s", size_text(size, sizeof size, so_far->bytes));
    if (!strcmp(phase, "storing"))
        fprintf(stderr, ", %u classes, %u instances", so_far->classes, so_far->instances);
    fflush(stderr);
    p->drawn = now;
    p->shown = true;
}

int mi_command_compile(int argc, char **argv)
{
    mi_cli cli;
    bool done;
    int code = mi_cli_parse(&cli, argc, argv, MI_OPT_CHECK | MI_OPT_CREATE_ONLY | MI_OPT_MAX_ERRORS,
                            compile_usage, &done);
    if (code == MI_EXIT_OK && !done && cli.arg_count == 0) {
        fprintf(stderr, "mi compile: no MOF file given\n%s", compile_usage);
        code = MI_EXIT_USAGE;
    }
    /* into the repository (created when absent); a check compiles against the repository
     * when there is one, and alone when there is none */
    cli.allow_missing = cli.check;
    if (code != MI_EXIT_OK || done || (code = mi_cli_open(&cli, !cli.check)) != 0) {
        mi_cli_close(&cli);
        return code;
    }
    const char *ns = cli.name_space;
    bool check = cli.check;
    MI_Uint32 count = (MI_Uint32)cli.arg_count;
    const char *const *files = (const char *const *)cli.args;
    unsigned long max_errors = cli.max_errors;
    MI_Libmi_MofStats stats;
    double start = seconds_now();
    progress_line line = {isatty(STDERR_FILENO) != 0, start, 0, false};
    diagnostics kept = {&line, NULL, 0, 0, NULL, 0};
    MI_Libmi_MofOptions options = {ns,
                                   (MI_Uint32)max_errors,
                                   keep_diagnostic,
                                   show_progress,
                                   &kept,
                                   (check ? MI_LIBMI_MOF_CHECK_ONLY : 0u) |
                                       (cli.create_only ? MI_LIBMI_MOF_CREATE_ONLY : 0u)};
    MI_Result r = MI_Libmi_CompileMofEx(cli.session_open ? &cli.session : NULL, files, count,
                                        &options, &stats);
    wipe(&line);
    print_diagnostics(&kept);
    mi_cli_close(&cli);
    double elapsed = seconds_now() - start;
    char size[32];
    printf("%s %u file%s (%s) in %.2f s: %u qualifier types, %u classes, %u instances",
           r != MI_RESULT_OK ? "read"
           : check           ? "checked"
                             : "stored",
           stats.files, stats.files == 1 ? "" : "s", size_text(size, sizeof size, stats.bytes),
           elapsed, stats.qualifiers, stats.classes, stats.instances);
    if (r == MI_RESULT_OK && (stats.unchanged || stats.updated))
        printf(" (%u unchanged, %u updated)", stats.unchanged, stats.updated);
    printf(", %u error%s, %u warning%s\n", stats.errors, stats.errors == 1 ? "" : "s",
           stats.warnings, stats.warnings == 1 ? "" : "s");
    if (r != MI_RESULT_OK) {
        fprintf(stderr, "mi: %s (%d): the MOF did not compile\n", MI_Libmi_ResultName(r), (int)r);
        return MI_EXIT_FAILED;
    }
    return MI_EXIT_OK;
}
