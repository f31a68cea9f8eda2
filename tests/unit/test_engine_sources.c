/*
 * The engine over several instance sources: a stored association whose end another
 * source serves, an association another source serves whose end is stored, and
 * enumerations, gets and writes that go to the source serving each class.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "catalog/catalog.h"
#include "core/instance.h"
#include "core/path.h"
#include "engine/engine.h"
#include "memory_source.h"
#include "mof/mof.h"
#include "repo/repository.h"
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char classes[] =
    "class Thing { [Key] string Name; string Note; };\n"
    "class StoredThing : Thing { };\n"
    "class LiveThing : Thing { };\n"
    "[Association] class StoredLink { [Key] Thing REF Left; [Key] Thing REF Right; };\n"
    "[Association] class LiveLink { [Key] Thing REF Left; [Key] Thing REF Right; };\n"
    "[Association] class Remark { [Key] string Id; Thing REF About; Thing REF Seen; };\n";

/* what the repository stores */
static const char stored[] =
    "instance of StoredThing { Name = \"s1\"; Note = \"stored\"; };\n"
    "instance of StoredThing { Name = \"s2\"; Note = \"stored\"; };\n"
    "instance of StoredLink { Left = \"StoredThing.Name=\\\"s1\\\"\";\n"
    "                         Right = \"LiveThing.Name=\\\"l1\\\"\"; };\n"
    "instance of Remark { Id = \"r1\"; About = \"StoredThing.Name=\\\"s1\\\"\";\n"
    "                     Seen = \"LiveThing.Name=\\\"l1\\\"\"; };\n";

/* what the other source serves */
static const char live[] = "instance of LiveThing { Name = \"l1\"; Note = \"live\"; };\n"
                           "instance of LiveThing { Name = \"l2\"; Note = \"live\"; };\n"
                           "instance of LiveLink { Left = \"LiveThing.Name=\\\"l2\\\"\";\n"
                           "                       Right = \"StoredThing.Name=\\\"s2\\\"\"; };\n";

static mi_repository *repo;
static mi_catalog *catalog;
static mi_source_registry *registry;
static mi_instance_source memory;
static mi_engine engine;

static void compile(mi_schema_store store, const char *text, size_t len)
{
    mi_error err = {0};
    if (mi_mof_compile_string(&store, "m.mof", text, len, NULL, NULL, &err) != MI_RESULT_OK)
        fail_msg("%s", err.message);
}

static int setup(void **state)
{
    (void)state;
    if (mi_repository_open(&repo, ":memory:", true, NULL) != MI_RESULT_OK ||
        mi_catalog_new(&catalog) != MI_RESULT_OK || mi_source_registry_new(&registry, NULL))
        return -1;
    compile(mi_repository_store(repo), classes, sizeof classes - 1);
    compile(mi_repository_store(repo), stored, sizeof stored - 1);
    compile(mi_catalog_store(catalog), classes, sizeof classes - 1);
    compile(mi_catalog_store(catalog), live, sizeof live - 1);
    memory = mi_test_memory_source(catalog);
    if (mi_source_registry_add(registry, "root/cimv2", "LiveThing", &memory, NULL) ||
        mi_source_registry_add(registry, "root/cimv2", "LiveLink", &memory, NULL))
        return -1;
    engine = (mi_engine){repo, registry};
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    mi_source_registry_free(registry);
    mi_catalog_free(catalog);
    mi_repository_close(repo);
    return 0;
}

typedef struct answer {
    char text[1024];
} answer;

/* Each result as "canonical-path[Note]" (Note: what the object says of itself, "-" for
 * a path only), sorted, space-separated; or "error NAME". */
static MI_Result collect(void *context, const MI_Instance *inst)
{
    answer *a = context;
    char *canonical;
    if (mi_path_canonical(&canonical, inst, NULL) != MI_RESULT_OK)
        return MI_RESULT_FAILED;
    MI_Value v;
    MI_Uint32 flags = MI_FLAG_NULL;
    const char *note =
        MI_Instance_GetElement(inst, "Note", &v, NULL, &flags, NULL) == MI_RESULT_OK &&
                !(flags & MI_FLAG_NULL)
            ? v.string
            : "-";
    size_t used = strlen(a->text);
    snprintf(a->text + used, sizeof a->text - used, "%s%s[%s]", used ? " " : "", canonical, note);
    free(canonical);
    return MI_RESULT_OK;
}

static const char *run(const mi_request *q)
{
    static answer a;
    a.text[0] = '\0';
    mi_error err = {0};
    MI_Result r = mi_engine_run(&engine, q, collect, &a, &err);
    if (r != MI_RESULT_OK)
        snprintf(a.text, sizeof a.text, "error %s: %s", MI_Libmi_ResultName(r), err.message);
    return a.text;
}

static const char *ask(mi_operation_kind op, const char *source, const char *result_class)
{
    MI_Instance *path;
    assert_int_equal(mi_path_parse(&path, source, NULL), MI_RESULT_OK);
    mi_request q = {.operation = op,
                    .namespace_name = "root/cimv2",
                    .source = path,
                    .result_class = result_class,
                    .keys_only = op == MI_OP_ASSOCIATOR_NAMES || op == MI_OP_REFERENCE_NAMES};
    const char *text = run(&q);
    mi_instance_delete(path);
    return text;
}

static void test_stored_association_to_a_served_end(void **state)
{
    (void)state;
    /* the association is stored; its end l1 comes from the other source */
    assert_string_equal(ask(MI_OP_ASSOCIATORS, "StoredThing.Name=\"s1\"", NULL),
                        "livething.name=\"l1\"[live]");
    assert_string_equal(ask(MI_OP_ASSOCIATOR_NAMES, "StoredThing.Name=\"s1\"", NULL),
                        "livething.name=\"l1\"[-]");
    assert_string_equal(ask(MI_OP_ASSOCIATORS, "StoredThing.Name=\"s1\"", "StoredThing"), "");
    /* from the served end back through the stored association */
    assert_string_equal(ask(MI_OP_ASSOCIATORS, "LiveThing.Name=\"l1\"", NULL),
                        "storedthing.name=\"s1\"[stored]");
}

static void test_served_association_to_a_stored_end(void **state)
{
    (void)state;
    assert_string_equal(ask(MI_OP_ASSOCIATORS, "StoredThing.Name=\"s2\"", NULL),
                        "livething.name=\"l2\"[live]");
    assert_string_equal(ask(MI_OP_ASSOCIATORS, "LiveThing.Name=\"l2\"", NULL),
                        "storedthing.name=\"s2\"[stored]");
    assert_string_equal(
        ask(MI_OP_REFERENCE_NAMES, "StoredThing.Name=\"s2\"", NULL),
        "livelink.left=\"livething.name=\\\"l2\\\"\",right=\"storedthing.name=\\\"s2\\\"\"[-]");
    assert_string_equal(ask(MI_OP_REFERENCES, "StoredThing.Name=\"s2\"", "StoredLink"), "");
}

static void test_instances_from_their_sources(void **state)
{
    (void)state;
    mi_request q = {.operation = MI_OP_ENUMERATE_INSTANCES,
                    .namespace_name = "root/cimv2",
                    .class_name = "Thing"};
    char *all = strdup(run(&q));
    /* one class after another: stored first (the superclass's own), then each subclass */
    assert_non_null(strstr(all, "storedthing.name=\"s1\"[stored]"));
    assert_non_null(strstr(all, "storedthing.name=\"s2\"[stored]"));
    assert_non_null(strstr(all, "livething.name=\"l1\"[live]"));
    assert_non_null(strstr(all, "livething.name=\"l2\"[live]"));
    free(all);
    q.class_name = "LiveThing";
    q.keys_only = true;
    assert_string_equal(run(&q), "livething.name=\"l1\"[-] livething.name=\"l2\"[-]");

    MI_Instance *path;
    assert_int_equal(mi_path_parse(&path, "LiveThing.Name=\"l2\"", NULL), MI_RESULT_OK);
    mi_request get = {
        .operation = MI_OP_GET_INSTANCE, .namespace_name = "root/cimv2", .source = path};
    assert_string_equal(run(&get), "livething.name=\"l2\"[live]");
    /* the memory source cannot write: the engine says so and names the class */
    mi_request del = {
        .operation = MI_OP_DELETE_INSTANCE, .namespace_name = "root/cimv2", .source = path};
    assert_string_equal(run(&del), "error MI_RESULT_NOT_SUPPORTED: the source of class "
                                   "LiveThing does not delete instances");
    mi_instance_delete(path);
}

/* A deleted instance takes with it the associations whose keys name it (their identity
 * includes it); an association that names it through a plain reference stays. */
static void test_delete_takes_dependent_associations(void **state)
{
    (void)state;
    assert_string_equal(ask(MI_OP_ASSOCIATOR_NAMES, "LiveThing.Name=\"l1\"", NULL),
                        "storedthing.name=\"s1\"[-]");
    assert_string_equal(ask(MI_OP_REFERENCE_NAMES, "LiveThing.Name=\"l1\"", NULL),
                        "remark.id=\"r1\"[-] storedlink.left=\"storedthing.name=\\\"s1\\\"\","
                        "right=\"livething.name=\\\"l1\\\"\"[-]");
    uint64_t before = mi_repository_count_instances(repo, "root/cimv2");
    MI_Instance *path;
    assert_int_equal(mi_path_parse(&path, "StoredThing.Name=\"s1\"", NULL), MI_RESULT_OK);
    mi_request del = {
        .operation = MI_OP_DELETE_INSTANCE, .namespace_name = "root/cimv2", .source = path};
    assert_string_equal(run(&del), "");
    mi_instance_delete(path);
    assert_int_equal(mi_repository_count_instances(repo, "root/cimv2"), before - 2);
    /* the stored link went with s1; the remark stays, its end at s1 now dangling */
    assert_string_equal(ask(MI_OP_REFERENCE_NAMES, "LiveThing.Name=\"l1\"", NULL),
                        "remark.id=\"r1\"[-]");
    assert_string_equal(ask(MI_OP_ASSOCIATORS, "LiveThing.Name=\"l1\"", NULL), "");
    assert_string_equal(ask(MI_OP_ASSOCIATOR_NAMES, "LiveThing.Name=\"l1\"", NULL),
                        "storedthing.name=\"s1\"[-]");
}

/* A source without the operations every source needs is refused, and names what it lacks;
 * the registry keeps serving as before. */
static void test_incomplete_source_refused(void **state)
{
    (void)state;
    static const mi_source_ops no_cursor = {.enumerate = NULL};
    mi_instance_source broken = {&no_cursor, NULL};
    mi_error err = {0};
    assert_int_equal(mi_source_registry_add(registry, NULL, "Thing", &broken, &err),
                     MI_RESULT_INVALID_PARAMETER);
    assert_non_null(strstr(err.message, "enumerate, get, next and close"));
    assert_int_equal(mi_source_registry_add(registry, NULL, NULL, NULL, &err),
                     MI_RESULT_INVALID_PARAMETER);
    assert_string_equal(ask(MI_OP_ASSOCIATORS, "StoredThing.Name=\"s2\"", NULL),
                        "livething.name=\"l2\"[live]");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stored_association_to_a_served_end),
        cmocka_unit_test(test_served_association_to_a_stored_end),
        cmocka_unit_test(test_instances_from_their_sources),
        cmocka_unit_test(test_incomplete_source_refused),
        cmocka_unit_test(test_delete_takes_dependent_associations),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
