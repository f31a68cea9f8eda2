/*
 * The corpus of broken MOF under tests/data/mof_errors: each NAME.mof is compiled and the
 * diagnostics must equal NAME.expect line for line ("file:line:column: message", files
 * relative to the corpus). A case with an error must fail and leave the catalogue as it
 * was; a case with warnings only must compile.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "catalog/catalog.h"
#include "core/strbuf.h"
#include "mof/mof.h"
#include "support.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char corpus[2048];

typedef struct collected {
    mi_strbuf text;
    size_t prefix; /* length of "<corpus>/" stripped from file names */
    int errors;
} collected;

static void collect(void *context, const mi_mof_diagnostic *d)
{
    collected *c = context;
    const char *shown = d->text;
    if (strncmp(shown, corpus, strlen(corpus)) == 0 && shown[strlen(corpus)] == '/')
        shown += c->prefix;
    mi_strbuf_puts(&c->text, shown);
    mi_strbuf_putc(&c->text, '\n');
    c->errors += d->severity == MI_MOF_ERROR;
}

static int run_case(const char *name)
{
    char mof[4096], expect[4096];
    snprintf(mof, sizeof mof, "%s/%s.mof", corpus, name);
    snprintf(expect, sizeof expect, "%s/%s.expect", corpus, name);
    size_t length;
    char *expected = mi_test_read_file(expect, &length);
    if (!expected)
        fail_msg("%s: missing %s.expect", name, name);

    mi_catalog *catalog;
    assert_int_equal(mi_catalog_new(&catalog), MI_RESULT_OK);
    mi_schema_store store = mi_catalog_store(catalog);
    /* Something stored before: a failed compile must leave it as it is. */
    mi_error err = {0};
    static const char existing[] = "class Existing_Thing { [Key] string Id; };\n"
                                   "instance of Existing_Thing { Id = \"kept\"; };\n";
    assert_int_equal(mi_mof_compile_string(&store, "existing.mof", existing, sizeof existing - 1,
                                           NULL, NULL, &err),
                     MI_RESULT_OK);

    collected got = {MI_STRBUF_INIT, strlen(corpus) + 1, 0};
    mi_mof_options options = {.on_diagnostic = collect, .context = &got};
    mi_mof_stats stats;
    MI_Result r = mi_mof_compile_file(&store, mof, &options, &stats, &err);
    char *text = mi_strbuf_take(&got.text);
    const char *actual = text ? text : "";
    if (strcmp(actual, expected) != 0)
        fail_msg("%s: diagnostics differ\n--- expected\n%s--- got\n%s", name, expected, actual);
    if (got.errors) {
        assert_int_equal(r, MI_RESULT_FAILED);
        assert_int_equal(stats.errors, got.errors);
        /* err holds the first diagnostic */
        char first[1024];
        snprintf(first, sizeof first, "%.*s", (int)strcspn(expected, "\n"), expected);
        if (!strstr(err.message, strchr(first, ':') + 1))
            fail_msg("%s: error message '%s' lacks '%s'", name, err.message, first);
        assert_int_equal(mi_catalog_class_count(catalog, "root/cimv2"), 1);
        assert_int_equal(mi_catalog_instance_count(catalog, "root/cimv2"), 1);
        assert_int_equal(mi_catalog_qualifier_count(catalog, "root/cimv2"), 0);
    } else {
        assert_int_equal(r, MI_RESULT_OK);
        assert_true(stats.warnings > 0);
    }
    mi_catalog_free(catalog);
    free(text);
    free(expected);
    return got.errors;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_corpus(void **state)
{
    (void)state;
    DIR *dir = opendir(corpus);
    assert_non_null(dir);
    char *names[512];
    size_t count = 0;
    for (struct dirent *e; (e = readdir(dir)) != NULL && count < 512;) {
        size_t n = strlen(e->d_name);
        if (n > 4 && strcmp(e->d_name + n - 4, ".mof") == 0)
            names[count++] = strndup(e->d_name, n - 4);
    }
    closedir(dir);
    qsort(names, count, sizeof *names, compare_names);
    int failing = 0;
    for (size_t i = 0; i < count; i++) {
        failing += run_case(names[i]) > 0;
        free(names[i]);
    }
    printf("checked %zu cases, %d of them with errors\n", count, failing);
    assert_true(failing >= 40);
}

/* The limit stops the compile: exactly that many errors, and err says it stopped. */
static void test_error_limit_option(void **state)
{
    (void)state;
    mi_strbuf mof = MI_STRBUF_INIT;
    for (int i = 0; i < 10; i++)
        mi_strbuf_printf(&mof, "class C%d : Missing { };\n", i);
    char *text = mi_strbuf_take(&mof);
    collected got = {MI_STRBUF_INIT, 0, 0};
    mi_mof_options options = {.on_diagnostic = collect, .context = &got, .max_errors = 3};
    mi_mof_stats stats;
    mi_error err = {0};
    assert_int_equal(
        mi_mof_compile_string(NULL, "limit.mof", text, strlen(text), &options, &stats, &err),
        MI_RESULT_FAILED);
    assert_int_equal(got.errors, 3);
    assert_int_equal(stats.errors, 3);
    assert_non_null(strstr(err.message, "stopped after 3 errors; nothing was stored"));
    assert_non_null(strstr(err.message, "limit.mof:1:12: unknown superclass 'Missing'"));
    mi_strbuf_free(&got.text);
    free(text);
}

int main(void)
{
    const char *source = getenv("MI_SOURCE_DIR");
    snprintf(corpus, sizeof corpus, "%s/tests/data/mof_errors", source ? source : ".");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus),
        cmocka_unit_test(test_error_limit_option),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
