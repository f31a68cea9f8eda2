/*
 * Classes and names: inheritance, overrides, keys, qualifiers with flavors, methods and
 * parameters, case-insensitive hash lookups, and the name table behind them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/class.h"
#include "core/name.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static mi_class *make(const char *name, mi_class *super)
{
    mi_class *cls;
    assert_int_equal(mi_class_new(&cls, name, super, NULL), MI_RESULT_OK);
    return cls;
}

static void add(mi_class *cls, const char *name, MI_Type type, MI_Uint32 flags)
{
    mi_feature_spec spec = {name, type, NULL, 0, flags, NULL};
    mi_error err = {0};
    if (mi_class_add_property(cls, &spec, NULL, &err) != MI_RESULT_OK)
        fail_msg("%s", err.message);
}

static void test_inheritance_and_overrides(void **state)
{
    (void)state;
    mi_class *element = make("CIM_ManagedElement", NULL);
    add(element, "Caption", MI_STRING, 0);
    mi_class *system = make("CIM_System", element);
    add(system, "CreationClassName", MI_STRING, MI_FLAG_KEY);
    add(system, "Name", MI_STRING, MI_FLAG_KEY);
    mi_class *computer = make("CIM_ComputerSystem", system);
    mi_feature_spec name = {"NAME", MI_STRING, NULL, 0, MI_FLAG_KEY | MI_FLAG_READONLY, NULL};
    uint32_t index = 99;
    assert_int_equal(mi_class_add_property(computer, &name, &index, NULL), MI_RESULT_OK);

    assert_int_equal(index, 2); /* an override keeps the inherited position */
    assert_int_equal(computer->property_count, 3);
    assert_int_equal(computer->key_count, 2);
    const mi_property *p = mi_class_find_property(computer, "name", NULL);
    assert_non_null(p);
    assert_string_equal(p->origin, "CIM_System");
    assert_true(p->flags & MI_FLAG_READONLY);
    assert_non_null(mi_class_find_property(computer, "CAPTION", NULL));
    assert_null(mi_class_find_property(computer, "Nope", NULL));
    /* the superclass is untouched */
    assert_false(mi_class_find_property(system, "Name", NULL)->flags & MI_FLAG_READONLY);

    assert_true(mi_class_is_a(computer, "cim_managedelement"));
    assert_true(mi_class_is_a(computer, "CIM_ComputerSystem"));
    assert_false(mi_class_is_a(system, "CIM_ComputerSystem"));

    mi_error err = {0};
    assert_int_equal(mi_class_add_property(computer, &name, NULL, &err), MI_RESULT_ALREADY_EXISTS);
    assert_string_equal(err.message, "class CIM_ComputerSystem: property 'NAME' is declared twice");
    mi_feature_spec bad = {"has space", MI_STRING, NULL, 0, 0, NULL};
    assert_int_equal(mi_class_add_property(computer, &bad, NULL, &err),
                     MI_RESULT_INVALID_PARAMETER);
    mi_feature_spec badtype = {"T", (MI_Type)40, NULL, 0, 0, NULL};
    assert_int_equal(mi_class_add_property(computer, &badtype, NULL, &err),
                     MI_RESULT_TYPE_MISMATCH);

    mi_class_unref(system); /* computer still holds it */
    mi_class_unref(element);
    assert_string_equal(computer->superclass->superclass->name, "CIM_ManagedElement");
    mi_class_unref(computer);
}

static void test_association_and_references(void **state)
{
    (void)state;
    mi_class *dep = make("CIM_Dependency", NULL);
    MI_Value yes = {.boolean = MI_TRUE};
    assert_int_equal(mi_qualifier_list_add(&dep->qualifiers, "Association", MI_BOOLEAN, &yes,
                                           MI_FLAG_DISABLEOVERRIDE | MI_FLAG_TOSUBCLASS, NULL),
                     MI_RESULT_OK);
    dep->flags |= MI_FLAG_ASSOCIATION;
    mi_feature_spec ante = {"Antecedent", MI_REFERENCE, "CIM_ManagedElement", 0, MI_FLAG_KEY, NULL};
    assert_int_equal(mi_class_add_property(dep, &ante, NULL, NULL), MI_RESULT_OK);
    mi_class *hosted = make("CIM_HostedDependency", dep);
    assert_true(hosted->flags & MI_FLAG_ASSOCIATION);
    mi_feature_spec narrowed = {"Antecedent", MI_REFERENCE, "CIM_System", 0, MI_FLAG_KEY, NULL};
    assert_int_equal(mi_class_add_property(hosted, &narrowed, NULL, NULL), MI_RESULT_OK);
    assert_string_equal(mi_class_find_property(hosted, "antecedent", NULL)->ref_class,
                        "CIM_System");
    const mi_qualifier *q = mi_qualifier_list_find(&dep->qualifiers, "ASSOCIATION");
    assert_non_null(q);
    assert_true(q->value.boolean);
    assert_true(q->flavor & MI_FLAG_TOSUBCLASS);
    mi_error err = {0};
    assert_int_equal(
        mi_qualifier_list_add(&dep->qualifiers, "association", MI_BOOLEAN, &yes, 0, &err),
        MI_RESULT_ALREADY_EXISTS);
    assert_string_equal(err.message, "qualifier 'association' is given twice");
    mi_class_unref(hosted);
    mi_class_unref(dep);
}

static void test_methods_and_parameters(void **state)
{
    (void)state;
    mi_class *cls = make("CIM_Service", NULL);
    uint32_t at;
    assert_int_equal(mi_class_add_method(cls, "StartService", MI_UINT32, &at, NULL), MI_RESULT_OK);
    mi_method *m = mi_class_method_at(cls, at);
    mi_feature_spec in = {"Timeout", MI_UINT32, NULL, 0, MI_FLAG_IN, NULL};
    uint32_t p;
    assert_int_equal(mi_method_add_parameter(m, &in, &p, NULL), MI_RESULT_OK);
    MI_Char *units_text = "Seconds";
    MI_Value units = {.string = units_text};
    assert_int_equal(mi_qualifier_list_add(&m->parameters[p].qualifiers, "Units", MI_STRING, &units,
                                           MI_FLAG_TOSUBCLASS, NULL),
                     MI_RESULT_OK);
    mi_error err = {0};
    assert_int_equal(mi_method_add_parameter(m, &in, NULL, &err), MI_RESULT_ALREADY_EXISTS);
    assert_string_equal(err.message, "method StartService: parameter 'Timeout' is declared twice");

    mi_class *sub = make("Test_Service", cls);
    const mi_method *inherited = mi_class_find_method(sub, "startservice");
    assert_non_null(inherited);
    const mi_parameter *param = mi_method_find_parameter(inherited, "TIMEOUT");
    assert_non_null(param);
    assert_true(param->flags & MI_FLAG_IN);
    assert_string_equal(mi_qualifier_list_find(&param->qualifiers, "units")->value.string,
                        "Seconds");
    assert_int_equal(mi_class_add_method(sub, "StartService", MI_SINT32, NULL, NULL), MI_RESULT_OK);
    assert_int_equal(mi_class_add_method(sub, "StartService", MI_SINT32, NULL, &err),
                     MI_RESULT_ALREADY_EXISTS);
    assert_int_equal(mi_class_find_method(sub, "StartService")->return_type, MI_SINT32);
    assert_int_equal(mi_class_find_method(cls, "StartService")->return_type, MI_UINT32);
    mi_class_unref(sub);
    mi_class_unref(cls);
}

static void test_many_properties_stay_findable(void **state)
{
    (void)state;
    mi_class *cls = make("Test_Wide", NULL);
    char name[32];
    for (int i = 0; i < 2000; i++) {
        snprintf(name, sizeof name, "Prop%d", i);
        add(cls, name, MI_UINT32, i % 7 == 0 ? MI_FLAG_KEY : 0);
    }
    for (int i = 0; i < 2000; i++) {
        snprintf(name, sizeof name, "PROP%d", i);
        uint32_t index;
        assert_non_null(mi_class_find_property(cls, name, &index));
        assert_int_equal(index, i);
    }
    assert_int_equal(cls->key_count, 286);
    mi_class_unref(cls);
}

static void test_names(void **state)
{
    (void)state;
    assert_true(mi_name_equal("CIM_System", "cim_SYSTEM"));
    assert_false(mi_name_equal("CIM_System", "CIM_Systems"));
    assert_true(mi_name_compare("a", "B") < 0);
    assert_true(mi_name_hash("Role") == mi_name_hash("ROLE"));
    assert_true(mi_name_is_identifier("_x9"));
    assert_true(mi_name_is_identifier("caf\xc3\xa9"));
    assert_false(mi_name_is_identifier("9x"));
    assert_false(mi_name_is_identifier(""));
    assert_false(mi_name_is_identifier("a-b"));

    mi_nametable table = MI_NAMETABLE_INIT;
    assert_false(mi_nametable_find(&table, "x", NULL));
    assert_int_equal(mi_nametable_insert(&table, "Alpha", 1), MI_RESULT_OK);
    assert_int_equal(mi_nametable_insert(&table, "ALPHA", 2), MI_RESULT_ALREADY_EXISTS);
    uint32_t index = 0;
    assert_true(mi_nametable_find(&table, "alpha", &index));
    assert_int_equal(index, 1);
    mi_nametable_free(&table);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inheritance_and_overrides),
        cmocka_unit_test(test_association_and_references),
        cmocka_unit_test(test_methods_and_parameters),
        cmocka_unit_test(test_many_properties_stay_findable),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
