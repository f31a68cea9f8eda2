/*
 * Every case of ../shared/spec/vectors/<suite>/cases.txt, read at run time, through the
 * engine twice: over a repository that holds the suite's model (its fast paths), and
 * over an in-memory source holding the same instances (no fast path: the engine's
 * generic path). Both give the same result paths, or the same error, as the case.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/instance.h"
#include "core/path.h"
#include "catalog/catalog.h"
#include "engine/engine.h"
#include "memory_source.h"
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
    const mi_engine *engines[2]; /* the repository's fast paths; the generic path */
    const char *suite;
} suite_run;

static const char *const engine_names[2] = {"fast path", "generic path"};

static void run_case(void *context, const mi_vector_case *c)
{
    const suite_run *run = context;
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
    for (int e = 0; e < 2; e++) {
        results got = {0};
        mi_error err = {0};
        MI_Result r = mi_engine_run(run->engines[e], &q, collect, &got, &err);
        if (c->expect_error) {
            char want[80];
            snprintf(want, sizeof want, "MI_RESULT_%s", c->error);
            if (strcmp(MI_Libmi_ResultName(r), want) != 0)
                fail_msg("%s case %d (%s %s, %s): expected %s, got %s: %s", suite, c->number, c->op,
                         c->source, engine_names[e], want, MI_Libmi_ResultName(r), err.message);
            errors_matched += e == 0;
        } else {
            if (r != MI_RESULT_OK)
                fail_msg("%s case %d (%s %s, %s): %s: %s", suite, c->number, c->op, c->source,
                         engine_names[e], MI_Libmi_ResultName(r), err.message);
            if (got.count > 1)
                qsort(got.lines, got.count, sizeof *got.lines, compare_lines);
            bool same = got.count == c->expected_count;
            for (size_t i = 0; same && i < got.count; i++)
                same = strcmp(got.lines[i], c->expected[i]) == 0;
            if (!same) {
                fprintf(stderr, "%s case %d (%s %s): expected %zu, got %zu\n", suite, c->number,
                        c->op, c->source, c->expected_count, got.count);
                for (size_t i = 0; i < c->expected_count; i++)
                    fprintf(stderr, "  want %s\n", c->expected[i]);
                for (size_t i = 0; i < got.count; i++)
                    fprintf(stderr, "  got  %s\n", got.lines[i]);
                fail_msg("%s case %d differs through the %s", suite, c->number, engine_names[e]);
            }
            results_matched += e == 0 && got.count > 0;
        }
        for (size_t i = 0; i < got.count; i++)
            free(got.lines[i]);
        free(got.lines);
    }
    mi_instance_delete(source);
    cases_run++;
}

static void run_suite(const char *suite)
{
    char path[2048];
    mi_repository *repo;
    mi_catalog *catalog;
    assert_int_equal(mi_repository_open(&repo, ":memory:", true, NULL), MI_RESULT_OK);
    assert_int_equal(mi_catalog_new(&catalog), MI_RESULT_OK);
    mi_schema_store stores[2] = {mi_repository_store(repo), mi_catalog_store(catalog)};
    mi_mof_options options = {.namespace_name = "root/test"};
    mi_error err = {0};
    for (int i = 0; i < 2; i++) { /* the same model in both */
        snprintf(path, sizeof path, "%s/qualifiers.mof", vectors);
        if (mi_mof_compile_file(&stores[i], path, &options, NULL, &err))
            fail_msg("%s", err.message);
        snprintf(path, sizeof path, "%s/%s/model.mof", vectors, suite);
        if (mi_mof_compile_file(&stores[i], path, &options, NULL, &err))
            fail_msg("%s", err.message);
    }
    /* the generic path: the memory source serves every class, the repository only the
     * schema */
    mi_source_registry *everything;
    assert_int_equal(mi_source_registry_new(&everything, NULL), MI_RESULT_OK);
    mi_instance_source memory = mi_test_memory_source(catalog);
    assert_int_equal(mi_source_registry_add(everything, NULL, NULL, &memory, NULL), MI_RESULT_OK);
    mi_engine fast = {repo, NULL}, generic = {repo, everything};

    snprintf(path, sizeof path, "%s/%s/cases.txt", vectors, suite);
    unsigned long visits = mi_test_memory_source_visits();
    suite_run run = {{&fast, &generic}, suite};
    assert_true(mi_test_for_each_vector_case(path, run_case, &run) > 0);
    assert_true(mi_test_memory_source_visits() > visits); /* the generic path ran */
    mi_source_registry_free(everything);
    mi_catalog_free(catalog);
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
