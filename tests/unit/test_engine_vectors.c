/*
 * Every case of ../shared/spec/vectors/<suite>/cases.txt, read at run time, through the
 * engine over a repository that holds the suite's model: the same result paths, or the
 * same error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/instance.h"
#include "core/path.h"
#include "engine/engine.h"
#include "mof/mof.h"
#include "repo/repository.h"
#include "support.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *vectors;
static int cases_run, results_matched, errors_matched;

typedef struct results {
    char **lines;
    size_t count, capacity;
} results;

static MI_Result collect(void *context, const MI_Instance *inst)
{
    results *r = context;
    char *canonical;
    if (mi_path_canonical(&canonical, inst, NULL) != MI_RESULT_OK)
        return MI_RESULT_FAILED;
    if (r->count == r->capacity) {
        r->capacity = r->capacity ? r->capacity * 2 : 16;
        r->lines = realloc(r->lines, r->capacity * sizeof *r->lines);
    }
    r->lines[r->count++] = canonical;
    return MI_RESULT_OK;
}

static int compare_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *or_null(const char *s)
{
    return *s ? s : NULL;
}

typedef struct suite_run {
    mi_repository *repo;
    const char *suite;
} suite_run;

static void run_case(void *context, const mi_vector_case *c)
{
    const suite_run *run = context;
    mi_repository *repo = run->repo;
    const char *suite = run->suite;
    mi_request q = {0};
    if (!strcmp(c->op, "associators"))
        q.operation = MI_OP_ASSOCIATORS;
    else if (!strcmp(c->op, "associator_names"))
        q.operation = MI_OP_ASSOCIATOR_NAMES;
    else if (!strcmp(c->op, "references"))
        q.operation = MI_OP_REFERENCES;
    else if (!strcmp(c->op, "reference_names"))
        q.operation = MI_OP_REFERENCE_NAMES;
    else
        fail_msg("%s case %d: unknown op %s", suite, c->number, c->op);
    MI_Instance *source;
    if (mi_path_parse(&source, c->source, NULL) != MI_RESULT_OK)
        fail_msg("%s case %d: bad source %s", suite, c->number, c->source);
    q.namespace_name = c->ns;
    q.source = source;
    q.assoc_class = or_null(c->assoc_class);
    q.result_class = or_null(c->result_class);
    q.role = or_null(c->role);
    q.result_role = or_null(c->result_role);
    results got = {0};
    mi_error err = {0};
    MI_Result r = mi_engine_run(repo, &q, collect, &got, &err);
    if (c->expect_error) {
        char want[80];
        snprintf(want, sizeof want, "MI_RESULT_%s", c->error);
        if (strcmp(MI_Libmi_ResultName(r), want) != 0)
            fail_msg("%s case %d (%s %s): expected %s, got %s: %s", suite, c->number, c->op,
                     c->source, want, MI_Libmi_ResultName(r), err.message);
        errors_matched++;
    } else {
        if (r != MI_RESULT_OK)
            fail_msg("%s case %d (%s %s): %s: %s", suite, c->number, c->op, c->source,
                     MI_Libmi_ResultName(r), err.message);
        if (got.count > 1)
            qsort(got.lines, got.count, sizeof *got.lines, compare_lines);
        bool same = got.count == c->expected_count;
        for (size_t i = 0; same && i < got.count; i++)
            same = strcmp(got.lines[i], c->expected[i]) == 0;
        if (!same) {
            fprintf(stderr, "%s case %d (%s %s): expected %zu, got %zu\n", suite, c->number, c->op,
                    c->source, c->expected_count, got.count);
            for (size_t i = 0; i < c->expected_count; i++)
                fprintf(stderr, "  want %s\n", c->expected[i]);
            for (size_t i = 0; i < got.count; i++)
                fprintf(stderr, "  got  %s\n", got.lines[i]);
            fail_msg("%s case %d differs", suite, c->number);
        }
        results_matched += got.count > 0;
    }
    for (size_t i = 0; i < got.count; i++)
        free(got.lines[i]);
    free(got.lines);
    mi_instance_delete(source);
    cases_run++;
}

static void run_suite(const char *suite)
{
    char path[2048];
    mi_repository *repo;
    assert_int_equal(mi_repository_open(&repo, ":memory:", true, NULL), MI_RESULT_OK);
    mi_schema_store store = mi_repository_store(repo);
    mi_mof_options options = {.namespace_name = "root/test"};
    mi_error err = {0};
    snprintf(path, sizeof path, "%s/qualifiers.mof", vectors);
    if (mi_mof_compile_file(&store, path, &options, NULL, &err))
        fail_msg("%s", err.message);
    snprintf(path, sizeof path, "%s/%s/model.mof", vectors, suite);
    if (mi_mof_compile_file(&store, path, &options, NULL, &err))
        fail_msg("%s", err.message);

    snprintf(path, sizeof path, "%s/%s/cases.txt", vectors, suite);
    suite_run run = {repo, suite};
    assert_true(mi_test_for_each_vector_case(path, run_case, &run) > 0);
    mi_repository_close(repo);
}

static void test_every_vector_case(void **state)
{
    (void)state;
    DIR *d = opendir(vectors);
    assert_non_null(d);
    int suites = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        char cases[2048];
        snprintf(cases, sizeof cases, "%s/%s/cases.txt", vectors, e->d_name);
        FILE *f = e->d_name[0] == '.' ? NULL : fopen(cases, "r");
        if (!f)
            continue;
        fclose(f);
        run_suite(e->d_name);
        suites++;
    }
    closedir(d);
    printf("%d cases in %d suites: %d with results, %d errors\n", cases_run, suites,
           results_matched, errors_matched);
    assert_true(suites >= 4);
    assert_true(cases_run >= 2000);
    assert_true(results_matched > cases_run / 3); /* the comparison is not vacuous */
    assert_true(errors_matched > 0);
}

int main(void)
{
    const char *shared = mi_test_shared_dir("the association vectors");
    if (!shared)
        return MI_TEST_SKIP;
    static char path[2048];
    snprintf(path, sizeof path, "%s/spec/vectors", shared);
    vectors = path;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_vector_case),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
