/*
 * Class-level Associators and References: the source is a class, the answers are the
 * classes at the other ends of the association classes, or those association classes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine/engine.h"
#include "mof/mof.h"
#include "repo/repository.h"
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char model[] = "class A { [Key] string Id; };\n"
                            "class ASub : A { };\n"
                            "class B { [Key] string Id; };\n"
                            "class C { [Key] string Id; };\n"
                            "[Association] class AB { [Key] A REF Left; [Key] B REF Right; };\n"
                            "[Association] class ABSub : AB { };\n"
                            "[Association] class AC { [Key] A REF Owner; [Key] C REF Owned; };\n"
                            "[Association] class CC { [Key] C REF X; [Key] C REF Y; };\n";

static mi_repository *repo;

static int setup(void **state)
{
    (void)state;
    if (mi_repository_open(&repo, ":memory:", true, NULL) != MI_RESULT_OK)
        return -1;
    mi_schema_store store = mi_repository_store(repo);
    return mi_mof_compile_string(&store, "m.mof", model, sizeof model - 1, NULL, NULL, NULL) ==
                   MI_RESULT_OK
               ? 0
               : -1;
}

static int teardown(void **state)
{
    (void)state;
    mi_repository_close(repo);
    return 0;
}

/* The answer as "N1 N2 ..." or "error N". */
static const char *ask(mi_operation_kind op, const char *cls, const char *assoc_class,
                       const char *result_class, const char *role, const char *result_role)
{
    static char text[256];
    mi_request q = {.operation = op,
                    .namespace_name = "root/cimv2",
                    .class_name = cls,
                    .assoc_class = assoc_class,
                    .result_class = result_class,
                    .role = role,
                    .result_role = result_role};
    char **names;
    size_t count;
    MI_Result r = mi_engine_class_neighbours(&(mi_engine){repo, NULL}, &q, &names, &count, NULL);
    if (r != MI_RESULT_OK) {
        snprintf(text, sizeof text, "error %d", (int)r);
        return text;
    }
    text[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        size_t used = strlen(text);
        snprintf(text + used, sizeof text - used, "%s%s", i ? " " : "", names[i]);
        free(names[i]);
    }
    free(names);
    return text;
}

#define ASSOCIATORS MI_OP_ASSOCIATORS
#define REFERENCES MI_OP_REFERENCES

static void test_class_associators(void **state)
{
    (void)state;
    /* a subclass is the source through its superclass's references */
    assert_string_equal(ask(ASSOCIATORS, "ASub", NULL, NULL, NULL, NULL), "B C");
    assert_string_equal(ask(ASSOCIATORS, "a", "AB", NULL, NULL, NULL), "B");
    assert_string_equal(ask(ASSOCIATORS, "A", "ABSub", NULL, NULL, NULL), "B");
    assert_string_equal(ask(ASSOCIATORS, "A", NULL, NULL, "owner", NULL), "C");
    assert_string_equal(ask(ASSOCIATORS, "A", NULL, NULL, NULL, "Right"), "B");
    assert_string_equal(ask(ASSOCIATORS, "A", NULL, "C", NULL, NULL), "C");
    assert_string_equal(ask(ASSOCIATORS, "A", NULL, NULL, "Right", NULL), "");
    /* a class associated with itself */
    assert_string_equal(ask(ASSOCIATORS, "C", NULL, NULL, NULL, NULL), "A C");
    assert_string_equal(ask(ASSOCIATORS, "C", "CC", NULL, "X", NULL), "C");
    /* AssocClass that is not an association: nothing */
    assert_string_equal(ask(ASSOCIATORS, "A", "B", NULL, NULL, NULL), "");
}

static void test_class_references(void **state)
{
    (void)state;
    assert_string_equal(ask(REFERENCES, "A", NULL, NULL, NULL, NULL), "AB ABSub AC");
    assert_string_equal(ask(REFERENCES, "A", NULL, "AB", NULL, NULL), "AB ABSub");
    assert_string_equal(ask(REFERENCES, "B", NULL, NULL, "Right", NULL), "AB ABSub");
    assert_string_equal(ask(REFERENCES, "B", NULL, NULL, "Left", NULL), "");
}

static void test_errors(void **state)
{
    (void)state;
    assert_string_equal(ask(ASSOCIATORS, "Nope", NULL, NULL, NULL, NULL), "error 4");
    assert_string_equal(ask(ASSOCIATORS, "A", "Nope", NULL, NULL, NULL), "error 4");
    assert_string_equal(ask(REFERENCES, "A", NULL, "Nope", NULL, NULL), "error 4");
    mi_request q = {.operation = ASSOCIATORS, .namespace_name = "root/x", .class_name = "A"};
    char **names;
    size_t count;
    assert_int_equal(mi_engine_class_neighbours(&(mi_engine){repo, NULL}, &q, &names, &count, NULL),
                     MI_RESULT_INVALID_NAMESPACE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_class_associators),
        cmocka_unit_test(test_class_references),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
