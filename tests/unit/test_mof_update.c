/*
 * Compiling MOF into a repository that has some of it already: what is stored exactly so
 * is left alone, instances are replaced (their index entries with them), classes are
 * updated where their subclasses and stored instances still fit, and anything that does
 * not fit refuses the whole compile, leaving the repository as it was.
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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLASSES                                                                                    \
    "class Sys { [Key] string Name; string Owner; };\n"                                            \
    "class Dev { [Key] string Id; uint32 Size; string Note; };\n"                                  \
    "class Disk : Dev { [Override(\"Note\")] string Note; };\n"                                    \
    "[Association] class SysDev { [Key] Sys REF Group; [Key] Dev REF Part; };\n"                   \
    "[Association] class Watch { [Key] string Id; Sys REF Who; Dev REF What; };\n"                 \
    "class Base { string Label; };\n"                                                              \
    "class Part : Base { [Key] string Id; [Override(\"Label\")] string Label; };\n"

#define INSTANCES                                                                                  \
    "instance of Sys as $s1 { Name = \"s1\"; Owner = \"ops\"; };\n"                                \
    "instance of Sys as $s2 { Name = \"s2\"; };\n"                                                 \
    "instance of Dev as $d1 { Id = \"d1\"; Size = 1; };\n"                                         \
    "instance of SysDev { Group = $s1; Part = $d1; };\n"                                           \
    "instance of Watch { Id = \"w1\"; Who = $s1; What = $d1; };\n"

static const char model[] = CLASSES INSTANCES;

static mi_repository *repo;
static mi_engine engine;
static mi_mof_stats stats;
static char message[MI_ERROR_MESSAGE_MAX];

static int setup(void **state)
{
    (void)state;
    if (mi_repository_open(&repo, ":memory:", true, NULL) != MI_RESULT_OK)
        return -1;
    mi_schema_store store = mi_repository_store(repo);
    engine = (mi_engine){repo, NULL};
    return mi_mof_compile_string(&store, "m.mof", model, sizeof model - 1, NULL, NULL, NULL);
}

static int teardown(void **state)
{
    (void)state;
    mi_repository_close(repo);
    return 0;
}

enum { UPDATE = 1, CREATE_ONLY = 2, DRY_RUN = 4 };

static MI_Result compile(const char *text, int how)
{
    mi_schema_store store = mi_repository_store(repo);
    mi_mof_options options = {.replace_existing = (how & CREATE_ONLY) == 0,
                              .dry_run = (how & DRY_RUN) != 0};
    mi_error err = {0};
    MI_Result r =
        mi_mof_compile_string(&store, "u.mof", text, strlen(text), &options, &stats, &err);
    snprintf(message, sizeof message, "%s", err.message);
    return r;
}

/* The value of property `name` of the stored instance at path, as text ("NULL", or
 * "absent" when the class has no such property, or "missing" when there is no
 * instance). */
static const char *value_of(const char *path_text, const char *name)
{
    static char text[256];
    MI_Instance *path, *inst = NULL;
    assert_int_equal(mi_path_parse(&path, path_text, NULL), MI_RESULT_OK);
    MI_Result r = mi_repository_get_instance(repo, "root/cimv2", path, &inst, NULL);
    mi_instance_delete(path);
    if (r != MI_RESULT_OK)
        return "missing";
    MI_Value v;
    MI_Type type;
    MI_Uint32 flags = 0;
    if (MI_Instance_GetElement(inst, name, &v, &type, &flags, NULL) != MI_RESULT_OK)
        snprintf(text, sizeof text, "absent");
    else if (flags & MI_FLAG_NULL)
        snprintf(text, sizeof text, "NULL");
    else if (type == MI_STRING)
        snprintf(text, sizeof text, "%s", v.string);
    else if (type == MI_UINT32)
        snprintf(text, sizeof text, "%u", v.uint32);
    else if (type == MI_UINT64)
        snprintf(text, sizeof text, "%llu", (unsigned long long)v.uint64);
    else
        snprintf(text, sizeof text, "type %d", (int)type);
    mi_instance_delete(inst);
    return text;
}

typedef struct answer {
    char text[1024];
} answer;

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

/* The associators of `source` through association class assoc: "path[Note] ...". */
static const char *associators(const char *source, const char *assoc)
{
    static answer a;
    a.text[0] = '\0';
    MI_Instance *path;
    assert_int_equal(mi_path_parse(&path, source, NULL), MI_RESULT_OK);
    mi_request q = {.operation = MI_OP_ASSOCIATORS,
                    .namespace_name = "root/cimv2",
                    .source = path,
                    .assoc_class = assoc};
    mi_error err = {0};
    MI_Result r = mi_engine_run(&engine, &q, collect, &a, &err);
    mi_instance_delete(path);
    if (r != MI_RESULT_OK)
        snprintf(a.text, sizeof a.text, "error %d: %s", (int)r, err.message);
    return a.text;
}

static void test_the_same_mof_again_changes_nothing(void **state)
{
    (void)state;
    assert_int_equal(compile(model, UPDATE), MI_RESULT_OK);
    assert_int_equal(stats.classes, 7);
    assert_int_equal(stats.instances, 5);
    assert_int_equal(stats.unchanged, 12);
    assert_int_equal(stats.updated, 0);
    assert_string_equal(value_of("Sys.Name=\"s1\"", "Owner"), "ops");
}

static void test_create_only_refuses_what_exists(void **state)
{
    (void)state;
    assert_int_equal(compile(model, CREATE_ONLY), MI_RESULT_FAILED);
    assert_non_null(strstr(message, "class 'Sys' already exists in namespace root/cimv2"));
    assert_int_equal(compile("instance of Sys { Name = \"s1\"; Owner = \"x\"; };\n", CREATE_ONLY),
                     MI_RESULT_FAILED);
    assert_non_null(strstr(message, "instance Sys.Name=\"s1\" already exists"));
    assert_string_equal(value_of("Sys.Name=\"s1\"", "Owner"), "ops");
}

static void test_an_instance_is_replaced_with_its_index(void **state)
{
    (void)state;
    /* a new value reaches the copies the association index keeps of it */
    assert_int_equal(compile("instance of Dev { Id = \"d1\"; Size = 2; Note = \"new\"; };\n"
                             "instance of Sys { Name = \"s3\"; };\n",
                             UPDATE),
                     MI_RESULT_OK);
    assert_int_equal(stats.updated, 1);
    assert_string_equal(value_of("Dev.Id=\"d1\"", "Size"), "2");
    assert_string_equal(value_of("Sys.Name=\"s3\"", "Name"), "s3");
    assert_string_equal(associators("Sys.Name=\"s1\"", "SysDev"), "dev.id=\"d1\"[new]");
    /* a reference that changes moves the association's index entries */
    assert_int_equal(compile("instance of Watch { Id = \"w1\"; Who = \"Sys.Name=\\\"s2\\\"\";"
                             " What = \"Dev.Id=\\\"d1\\\"\"; };\n",
                             UPDATE),
                     MI_RESULT_OK);
    assert_string_equal(associators("Sys.Name=\"s1\"", "Watch"), "");
    assert_string_equal(associators("Sys.Name=\"s2\"", "Watch"), "dev.id=\"d1\"[new]");
    assert_string_equal(associators("Dev.Id=\"d1\"", "Watch"), "sys.name=\"s2\"[-]");
}

static void test_a_compatible_class_change_keeps_the_instances(void **state)
{
    (void)state;
    /* Sys gains a property and its subclass-free instances take it without a value */
    assert_int_equal(
        compile("class Sys { [Key] string Name; string Owner; string Site; };\n", UPDATE),
        MI_RESULT_OK);
    assert_int_equal(stats.updated, 1);
    assert_string_equal(value_of("Sys.Name=\"s1\"", "Owner"), "ops");
    assert_string_equal(value_of("Sys.Name=\"s1\"", "Site"), "NULL");
    /* a property no stored instance has a value for may go */
    assert_int_equal(compile("class Sys { [Key] string Name; string Owner; };\n", UPDATE),
                     MI_RESULT_OK);
    assert_string_equal(value_of("Sys.Name=\"s1\"", "Site"), "absent");
    /* and one they have values for goes when the same compile replaces them without */
    assert_int_equal(compile("class Sys { [Key] string Name; };\n"
                             "instance of Sys { Name = \"s1\"; };\n",
                             UPDATE),
                     MI_RESULT_OK);
    assert_string_equal(value_of("Sys.Name=\"s1\"", "Owner"), "absent");
    assert_string_equal(associators("Dev.Id=\"d1\"", "SysDev"), "sys.name=\"s1\"[-]");
    /* a superclass change flows into the subclasses stored unchanged */
    assert_int_equal(compile("class Dev { [Key] string Id; uint32 Size; string Note;"
                             " string Vendor; };\n",
                             UPDATE),
                     MI_RESULT_OK);
    mi_class *disk = mi_repository_find_class(repo, "root/cimv2", "Disk");
    assert_non_null(disk);
    assert_non_null(mi_class_find_property(disk, "Vendor", NULL));
}

static void test_what_does_not_fit_refuses_the_whole_compile(void **state)
{
    (void)state;
    /* a value of another type: the instance update in the same compile is not kept */
    assert_int_equal(compile("instance of Part { Id = \"p1\"; Label = \"new\"; };\n"
                             "class Dev { [Key] string Id; string Size; string Note; };\n",
                             UPDATE),
                     MI_RESULT_CLASS_HAS_INSTANCES);
    assert_non_null(strstr(message, "class Dev cannot be updated in namespace root/cimv2: "
                                    "instance Dev.Id=\"d1\" is stored and its Size is uint32, "
                                    "which Dev now declares string"));
    assert_string_equal(value_of("Part.Id=\"p1\"", "Label"), "missing");
    assert_string_equal(value_of("Dev.Id=\"d1\"", "Size"), "2");
    /* a stored value for a property the class loses */
    assert_int_equal(compile("class Dev { [Key] string Id; string Note; };\n", UPDATE),
                     MI_RESULT_CLASS_HAS_INSTANCES);
    assert_non_null(strstr(message, "it has a value for Size, which Dev no longer declares"));
    /* a subclass, not compiled again, that overrides what its superclass loses */
    assert_int_equal(compile("class Base { };\n", UPDATE), MI_RESULT_CLASS_HAS_CHILDREN);
    assert_non_null(strstr(message, "class Base cannot be updated in namespace root/cimv2: its "
                                    "subclass Part no longer fits it"));
    /* keys that change under stored instances */
    assert_int_equal(compile("class Sys { [Key] string Name; [Key] string Site; };\n", UPDATE),
                     MI_RESULT_CLASS_HAS_INSTANCES);
    assert_non_null(strstr(message, "the keys of Sys change"));
    /* a class cannot derive from its own subclass */
    assert_int_equal(compile("class Dev : Disk { [Key] string Id; };\n", UPDATE),
                     MI_RESULT_INVALID_SUPERCLASS);
    assert_non_null(strstr(message, "its new superclass Disk is one of its subclasses"));
    assert_string_equal(value_of("Dev.Id=\"d1\"", "Size"), "2");
    assert_string_equal(associators("Sys.Name=\"s1\"", "SysDev"), "dev.id=\"d1\"[new]");
}

static void test_a_dry_run_checks_and_keeps_nothing(void **state)
{
    (void)state;
    assert_int_equal(compile("instance of Dev { Id = \"d1\"; Size = 9; };\n", UPDATE | DRY_RUN),
                     MI_RESULT_OK);
    assert_int_equal(stats.updated, 1);
    assert_string_equal(value_of("Dev.Id=\"d1\"", "Size"), "2");
    assert_int_equal(
        compile("class Dev { [Key] string Id; string Size; string Note; };\n", UPDATE | DRY_RUN),
        MI_RESULT_CLASS_HAS_INSTANCES);
    assert_string_equal(value_of("Dev.Id=\"d1\"", "Size"), "2");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_same_mof_again_changes_nothing),
        cmocka_unit_test(test_create_only_refuses_what_exists),
        cmocka_unit_test(test_an_instance_is_replaced_with_its_index),
        cmocka_unit_test(test_a_compatible_class_change_keeps_the_instances),
        cmocka_unit_test(test_what_does_not_fit_refuses_the_whole_compile),
        cmocka_unit_test(test_a_dry_run_checks_and_keeps_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
