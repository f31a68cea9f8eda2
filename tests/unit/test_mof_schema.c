/*
 * The DMTF CIM Schema 2.49.0 (../shared/mof) compiles without an error or warning, and
 * what it declares comes out as the schema says: class count, a superclass chain, keys,
 * overridden references, method parameters and qualifier propagation. Also: every model
 * of the association vectors compiles after their qualifiers.mof.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "catalog/catalog.h"
#include "core/value.h"
#include "mof/mof.h"
#include "support.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS "root/cimv2"

static const char *shared_dir;
static mi_catalog *schema; /* the compiled CIM Schema, shared by the schema tests */
static mi_mof_stats schema_stats;
static int diagnostics_seen;

static void print_diagnostic(void *context, const mi_mof_diagnostic *d)
{
    (void)context;
    diagnostics_seen++;
    fprintf(stderr, "%s\n", d->text);
}

static int compile_schema(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s/mof/cim_schema_2.49.0/cim_schema_2.49.0.mof", shared_dir);
    if (mi_catalog_new(&schema) != MI_RESULT_OK)
        return -1;
    mi_schema_store store = mi_catalog_store(schema);
    mi_mof_options options = {.on_diagnostic = print_diagnostic};
    mi_error err = {0};
    MI_Result r = mi_mof_compile_file(&store, path, &options, &schema_stats, &err);
    if (r != MI_RESULT_OK)
        fprintf(stderr, "schema compile failed: %s\n", err.message);
    return r == MI_RESULT_OK ? 0 : -1;
}

static int free_schema(void **state)
{
    (void)state;
    mi_catalog_free(schema);
    return 0;
}

static const mi_class *cls(const char *name)
{
    const mi_class *c = mi_catalog_find_class(schema, NS, name);
    if (!c)
        fail_msg("class %s is missing", name);
    return c;
}

static void test_no_diagnostics_and_counts(void **state)
{
    (void)state;
    assert_int_equal(diagnostics_seen, 0);
    assert_int_equal(schema_stats.errors, 0);
    assert_int_equal(schema_stats.warnings, 0);
    /* cim_schema_2.49.0.mof includes 1,633 files; with itself 1,634 were read. */
    assert_int_equal(schema_stats.files, 1634);
    /* 2.49.0 declares 1,631 classes (one per class file) */
    assert_int_equal(schema_stats.classes, 1631);
    assert_int_equal(mi_catalog_class_count(schema, NS), 1631);
    assert_int_equal(schema_stats.instances, 0);
    /* qualifiers.mof and qualifiers_optional.mof declare the qualifier types */
    assert_true(schema_stats.qualifiers >= 60);
    assert_int_equal(mi_catalog_qualifier_count(schema, NS), schema_stats.qualifiers);
}

static void test_computer_system_chain(void **state)
{
    (void)state;
    static const char *const chain[] = {
        "CIM_ComputerSystem",        "CIM_System",         "CIM_AllocatedLogicalElement",
        "CIM_EnabledLogicalElement", "CIM_LogicalElement", "CIM_ManagedSystemElement",
        "CIM_ManagedElement",
    };
    const mi_class *c = cls("cim_computersystem"); /* names are case-insensitive */
    for (size_t i = 0; i < sizeof chain / sizeof chain[0]; i++) {
        assert_non_null(c);
        assert_string_equal(c->name, chain[i]);
        c = c->superclass;
    }
    assert_null(c);
    assert_true(mi_class_is_a(cls("CIM_ComputerSystem"), "CIM_ManagedElement"));
}

static void test_computer_system_keys(void **state)
{
    (void)state;
    const mi_class *c = cls("CIM_ComputerSystem");
    assert_int_equal(c->key_count, 2);
    const char *keys[2];
    int found = 0;
    for (uint32_t i = 0; i < c->property_count; i++) {
        if (c->properties[i].flags & MI_FLAG_KEY)
            keys[found++] = c->properties[i].name;
    }
    assert_int_equal(found, 2);
    /* in property order: Name is inherited from higher up than CreationClassName */
    assert_string_equal(keys[0], "Name");
    assert_string_equal(keys[1], "CreationClassName");
    const mi_property *name = mi_class_find_property(c, "Name", NULL);
    assert_non_null(name);
    assert_int_equal(name->type, MI_STRING);
    /* Name first appears in CIM_ManagedSystemElement; CIM_System overrides it as a key */
    assert_string_equal(name->origin, "CIM_ManagedSystemElement");
    const mi_qualifier *maxlen = mi_qualifier_list_find(&name->qualifiers, "MaxLen");
    assert_non_null(maxlen);
    assert_int_equal(maxlen->type, MI_UINT32);
    assert_int_equal(maxlen->value.uint32, 256);
    /* Override is restricted: CIM_ComputerSystem does not see CIM_System's */
    assert_null(mi_qualifier_list_find(&name->qualifiers, "Override"));
    assert_non_null(mi_qualifier_list_find(
        &mi_class_find_property(cls("CIM_System"), "Name", NULL)->qualifiers, "Override"));
    /* Abstract is restricted too; Description propagates */
    assert_true(cls("CIM_System")->flags & MI_FLAG_ABSTRACT);
    assert_false(c->flags & MI_FLAG_ABSTRACT);
    assert_null(mi_qualifier_list_find(&c->qualifiers, "Abstract"));
    assert_non_null(mi_qualifier_list_find(&c->qualifiers, "Description"));
}

static void check_reference(const mi_class *c, const char *name, const char *ref_class,
                            const char *origin)
{
    const mi_property *p = mi_class_find_property(c, name, NULL);
    assert_non_null(p);
    assert_int_equal(p->type, MI_REFERENCE);
    assert_string_equal(p->ref_class, ref_class);
    assert_string_equal(p->origin, origin);
    assert_true(p->flags & MI_FLAG_KEY);
    assert_true(p->local);
}

static void test_system_device_references(void **state)
{
    (void)state;
    const mi_class *c = cls("CIM_SystemDevice");
    assert_true(c->flags & MI_FLAG_ASSOCIATION);
    assert_string_equal(c->superclass->name, "CIM_SystemComponent");
    uint32_t references = 0;
    for (uint32_t i = 0; i < c->property_count; i++)
        references += c->properties[i].type == MI_REFERENCE;
    assert_int_equal(references, 2);
    check_reference(c, "GroupComponent", "CIM_System", "CIM_Component");
    check_reference(c, "PartComponent", "CIM_LogicalDevice", "CIM_Component");
    const mi_property *group = mi_class_find_property(c, "GroupComponent", NULL);
    const mi_qualifier *max = mi_qualifier_list_find(&group->qualifiers, "Max");
    assert_non_null(max);
    assert_int_equal(max->value.uint32, 1);
    const mi_qualifier *override = mi_qualifier_list_find(&group->qualifiers, "Override");
    assert_non_null(override);
    assert_string_equal(override->value.string, "GroupComponent");
    /* Aggregate (ToSubclass) written in CIM_Component reaches the override */
    assert_non_null(mi_qualifier_list_find(&group->qualifiers, "Aggregate"));
    /* The classes above declare the references with wider types */
    const mi_property *base = mi_class_find_property(cls("CIM_Component"), "PartComponent", NULL);
    assert_string_equal(base->ref_class, "CIM_ManagedElement");
    const mi_qualifier *association = mi_qualifier_list_find(&c->qualifiers, "Association");
    assert_non_null(association);
    assert_true(association->value.boolean);
}

static void test_method_parameter_qualifiers(void **state)
{
    (void)state;
    const mi_class *c = cls("CIM_ComputerSystem");
    const mi_method *m = mi_class_find_method(c, "RequestStateChange");
    assert_non_null(m);
    assert_int_equal(m->return_type, MI_UINT32);
    assert_string_equal(m->origin, "CIM_EnabledLogicalElement");
    assert_int_equal(m->parameter_count, 3);
    const mi_parameter *state_param = mi_method_find_parameter(m, "RequestedState");
    assert_non_null(state_param);
    assert_int_equal(state_param->type, MI_UINT16);
    assert_int_equal(state_param->flags & (MI_FLAG_IN | MI_FLAG_OUT), MI_FLAG_IN);
    const mi_qualifier *map = mi_qualifier_list_find(&state_param->qualifiers, "ValueMap");
    assert_non_null(map);
    assert_int_equal(map->type, MI_STRINGA);
    assert_true(map->value.stringa.size >= 10);
    assert_string_equal(map->value.stringa.data[0], "2");
    assert_string_equal(map->value.stringa.data[1], "3");
    const mi_qualifier *values = mi_qualifier_list_find(&state_param->qualifiers, "Values");
    assert_non_null(values);
    assert_string_equal(values->value.stringa.data[0], "Enabled");
    assert_int_equal(values->value.stringa.size, map->value.stringa.size);

    const mi_parameter *job = mi_method_find_parameter(m, "Job");
    assert_non_null(job);
    assert_int_equal(job->type, MI_REFERENCE);
    assert_string_equal(job->ref_class, "CIM_ConcreteJob");
    assert_int_equal(job->flags & (MI_FLAG_IN | MI_FLAG_OUT), MI_FLAG_OUT); /* IN(false), OUT */
    const mi_qualifier *in = mi_qualifier_list_find(&job->qualifiers, "In");
    assert_non_null(in);
    assert_false(in->value.boolean);

    const mi_parameter *timeout = mi_method_find_parameter(m, "TimeoutPeriod");
    assert_non_null(timeout);
    assert_int_equal(timeout->type, MI_DATETIME);
    assert_non_null(mi_qualifier_list_find(&timeout->qualifiers, "Description"));
}

static void test_defaults_and_arrays(void **state)
{
    (void)state;
    const mi_property *p =
        mi_class_find_property(cls("CIM_EnabledLogicalElement"), "TransitioningToState", NULL);
    assert_non_null(p);
    assert_true(p->has_default);
    assert_int_equal(p->default_value.uint16, 12);
    const mi_property *dedicated =
        mi_class_find_property(cls("CIM_ComputerSystem"), "Dedicated", NULL);
    assert_int_equal(dedicated->type, MI_UINT16A);
    const mi_qualifier *array_type = mi_qualifier_list_find(&dedicated->qualifiers, "ArrayType");
    assert_string_equal(array_type->value.string, "Indexed");
}

/* ---- the vector models ---- */

static int count_instance_declarations(const char *text)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, "instance of ")) != NULL; p++) {
        if (p == text || p[-1] == '\n')
            n++;
    }
    return n;
}

static void test_vector_models(void **state)
{
    (void)state;
    char dir[2048], path[4096];
    snprintf(dir, sizeof dir, "%s/spec/vectors", shared_dir);
    DIR *d = opendir(dir);
    assert_non_null(d);
    int models = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s/model.mof", dir, e->d_name);
        size_t len;
        char *text = mi_test_read_file(path, &len);
        if (!text)
            continue;
        mi_catalog *catalog;
        assert_int_equal(mi_catalog_new(&catalog), MI_RESULT_OK);
        mi_schema_store store = mi_catalog_store(catalog);
        mi_mof_options options = {.on_diagnostic = print_diagnostic};
        mi_mof_stats stats;
        mi_error err = {0};
        char qualifiers[4096 + 32];
        snprintf(qualifiers, sizeof qualifiers, "%s/qualifiers.mof", dir);
        if (mi_mof_compile_file(&store, qualifiers, &options, &stats, &err) != MI_RESULT_OK)
            fail_msg("%s: %s", qualifiers, err.message);
        if (mi_mof_compile_file(&store, path, &options, &stats, &err) != MI_RESULT_OK)
            fail_msg("%s: %s", path, err.message);
        assert_int_equal(stats.errors + stats.warnings, 0);
        assert_true(stats.classes > 0);
        assert_int_equal(stats.instances, count_instance_declarations(text));
        assert_int_equal(mi_catalog_instance_count(catalog, NS), stats.instances);
        mi_catalog_free(catalog);
        free(text);
        models++;
    }
    closedir(d);
    assert_true(models >= 4);
}

int main(void)
{
    if (!(shared_dir = mi_test_shared_dir("the DMTF CIM Schema and the association vectors")))
        return MI_TEST_SKIP;
    const struct CMUnitTest schema_tests[] = {
        cmocka_unit_test(test_no_diagnostics_and_counts),
        cmocka_unit_test(test_computer_system_chain),
        cmocka_unit_test(test_computer_system_keys),
        cmocka_unit_test(test_system_device_references),
        cmocka_unit_test(test_method_parameter_qualifiers),
        cmocka_unit_test(test_defaults_and_arrays),
    };
    const struct CMUnitTest vector_tests[] = {
        cmocka_unit_test(test_vector_models),
    };
    int failed =
        cmocka_run_group_tests_name("cim_schema", schema_tests, compile_schema, free_schema);
    return failed + cmocka_run_group_tests_name("vector_models", vector_tests, NULL, NULL);
}
