/*
 * Instances: dynamic and class-bound, every element operation, conformance errors that
 * name the class and property, clone independence, ownership flags.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/class.h"
#include "core/instance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static mi_class *base_class, *test_class;

static int setup(void **state)
{
    (void)state;
    assert_int_equal(mi_class_new(&base_class, "Test_Base", NULL, NULL), MI_RESULT_OK);
    mi_feature_spec name = {"Name", MI_STRING, NULL, 0, MI_FLAG_KEY, NULL};
    assert_int_equal(mi_class_add_property(base_class, &name, NULL, NULL), MI_RESULT_OK);
    assert_int_equal(mi_class_new(&test_class, "Test_Class", base_class, NULL), MI_RESULT_OK);
    MI_Value five = {.uint32 = 5};
    mi_feature_spec count = {"Count", MI_UINT32, NULL, 0, 0, &five};
    assert_int_equal(mi_class_add_property(test_class, &count, NULL, NULL), MI_RESULT_OK);
    mi_feature_spec tags = {"Tags", MI_STRINGA, NULL, 0, 0, NULL};
    assert_int_equal(mi_class_add_property(test_class, &tags, NULL, NULL), MI_RESULT_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    mi_class_unref(test_class);
    mi_class_unref(base_class);
    return 0;
}

static void test_class_bound_instance_starts_from_class(void **state)
{
    (void)state;
    MI_Instance *inst;
    assert_int_equal(mi_instance_new(&inst, NULL, test_class, NULL), MI_RESULT_OK);
    const MI_Char *name;
    MI_Instance_GetClassName(inst, &name);
    assert_string_equal(name, "Test_Class");
    MI_Uint32 count;
    MI_Instance_GetElementCount(inst, &count);
    assert_int_equal(count, 3);
    MI_Value v;
    MI_Type t;
    MI_Uint32 flags;
    assert_int_equal(MI_Instance_GetElement(inst, "NAME", &v, &t, &flags, NULL), MI_RESULT_OK);
    assert_int_equal(t, MI_STRING);
    assert_true(flags & MI_FLAG_KEY);
    assert_true(flags & MI_FLAG_NULL);
    assert_int_equal(MI_Instance_GetElement(inst, "count", &v, &t, &flags, NULL), MI_RESULT_OK);
    assert_int_equal(v.uint32, 5);
    assert_false(flags & MI_FLAG_NULL);

    MI_ClassDecl base = {.name = "test_base"}, other = {.name = "Other"};
    MI_Boolean is_a = MI_FALSE;
    assert_int_equal(MI_Instance_IsA(inst, &base, &is_a), MI_RESULT_OK);
    assert_true(is_a);
    assert_int_equal(MI_Instance_IsA(inst, &other, &is_a), MI_RESULT_OK);
    assert_false(is_a);
    mi_instance_delete(inst);
}

static void test_conformance_errors_name_class_and_property(void **state)
{
    (void)state;
    MI_Instance *inst;
    mi_error err = {0};
    assert_int_equal(mi_instance_new(&inst, NULL, test_class, NULL), MI_RESULT_OK);

    assert_int_equal(mi_instance_check_keys(inst, &err), MI_RESULT_INVALID_PARAMETER);
    assert_string_equal(err.message, "Test_Class: key property 'Name' has no value");

    MI_Value v = {.uint32 = 1};
    assert_int_equal(mi_instance_set_element(inst, "Name", &v, MI_UINT32, 0, &err),
                     MI_RESULT_TYPE_MISMATCH);
    assert_string_equal(err.message,
                        "Test_Class.Name: a uint32 value does not fit a property of type string");
    assert_int_equal(mi_instance_set_element(inst, "Bogus", &v, MI_UINT32, 0, &err),
                     MI_RESULT_NO_SUCH_PROPERTY);
    assert_string_equal(err.message, "class Test_Class has no property 'Bogus'");
    assert_int_equal(mi_instance_add_element(inst, "Bogus", &v, MI_UINT32, 0, &err),
                     MI_RESULT_NO_SUCH_PROPERTY);
    assert_string_equal(err.message, "class Test_Class has no property 'Bogus'");
    assert_int_equal(mi_instance_add_element(inst, "count", &v, MI_UINT32, 0, &err),
                     MI_RESULT_ALREADY_EXISTS);
    /* the public entry points answer the same codes */
    assert_int_equal(MI_Instance_SetElement(inst, "Name", &v, MI_UINT32, 0),
                     MI_RESULT_TYPE_MISMATCH);
    assert_int_equal(MI_Instance_SetElement(inst, "Bogus", &v, MI_UINT32, 0),
                     MI_RESULT_NO_SUCH_PROPERTY);
    assert_int_equal(MI_Instance_SetElement(inst, "Name", &v, (MI_Type)99, 0),
                     MI_RESULT_INVALID_PARAMETER);

    v.string = "n1";
    assert_int_equal(MI_Instance_SetElement(inst, "name", &v, MI_STRING, 0), MI_RESULT_OK);
    assert_int_equal(mi_instance_check_keys(inst, &err), MI_RESULT_OK);
    MI_Uint32 flags;
    MI_Instance_GetElement(inst, "Name", NULL, NULL, &flags, NULL);
    assert_true(flags & MI_FLAG_KEY); /* a set keeps the class's flags */
    assert_false(flags & MI_FLAG_NULL);
    mi_instance_delete(inst);
}

static void test_dynamic_instance_elements(void **state)
{
    (void)state;
    MI_Instance *inst;
    assert_int_equal(mi_instance_new(&inst, "Dyn_Thing", NULL, NULL), MI_RESULT_OK);
    MI_Value v = {.sint32 = -7};
    assert_int_equal(MI_Instance_AddElement(inst, "A", &v, MI_SINT32, MI_FLAG_KEY), MI_RESULT_OK);
    assert_int_equal(MI_Instance_AddElement(inst, "a", &v, MI_SINT32, 0), MI_RESULT_ALREADY_EXISTS);
    assert_int_equal(MI_Instance_AddElement(inst, "B", NULL, MI_STRING, 0), MI_RESULT_OK);
    assert_int_equal(MI_Instance_AddElement(inst, "9bad", &v, MI_SINT32, 0),
                     MI_RESULT_INVALID_PARAMETER);
    assert_int_equal(MI_Instance_AddElement(inst, NULL, &v, MI_SINT32, 0),
                     MI_RESULT_INVALID_PARAMETER);

    const MI_Char *name;
    MI_Type t;
    MI_Uint32 flags, index;
    assert_int_equal(MI_Instance_GetElementAt(inst, 1, &name, &v, &t, &flags), MI_RESULT_OK);
    assert_string_equal(name, "B");
    assert_true(flags & MI_FLAG_NULL);
    assert_int_equal(MI_Instance_GetElementAt(inst, 2, &name, &v, &t, &flags), MI_RESULT_NOT_FOUND);
    assert_int_equal(MI_Instance_GetElement(inst, "b", NULL, NULL, NULL, &index), MI_RESULT_OK);
    assert_int_equal(index, 1);
    assert_int_equal(MI_Instance_GetElement(inst, "zz", &v, &t, &flags, NULL),
                     MI_RESULT_NO_SUCH_PROPERTY);

    v.string = "text";
    assert_int_equal(MI_Instance_SetElementAt(inst, 1, &v, MI_STRING, 0), MI_RESULT_OK);
    assert_int_equal(MI_Instance_GetElement(inst, "B", &v, &t, &flags, NULL), MI_RESULT_OK);
    assert_string_equal(v.string, "text");
    assert_int_equal(MI_Instance_ClearElement(inst, "B"), MI_RESULT_OK);
    assert_int_equal(MI_Instance_GetElement(inst, "B", &v, &t, &flags, NULL), MI_RESULT_OK);
    assert_true(flags & MI_FLAG_NULL);
    assert_null(v.string);
    assert_int_equal(MI_Instance_ClearElementAt(inst, 0), MI_RESULT_OK);
    assert_int_equal(MI_Instance_GetElement(inst, "A", NULL, NULL, &flags, NULL), MI_RESULT_OK);
    assert_true(flags & MI_FLAG_KEY);
    assert_true(flags & MI_FLAG_NULL);

    assert_int_equal(MI_Instance_SetNameSpace(inst, "root/cimv2"), MI_RESULT_OK);
    assert_int_equal(MI_Instance_SetNameSpace(inst, "root//x"), MI_RESULT_INVALID_PARAMETER);
    assert_int_equal(MI_Instance_SetServerName(inst, "host1"), MI_RESULT_OK);
    assert_int_equal(MI_Instance_GetNameSpace(inst, &name), MI_RESULT_OK);
    assert_string_equal(name, "root/cimv2");
    assert_int_equal(MI_Instance_GetServerName(inst, &name), MI_RESULT_OK);
    assert_string_equal(name, "host1");
    MI_Class *cls = NULL; /* the class the elements describe */
    assert_int_equal(MI_Instance_GetClass(inst, &cls), MI_RESULT_OK);
    const MI_Char *class_name = NULL;
    assert_int_equal(MI_Class_GetClassName(cls, &class_name), MI_RESULT_OK);
    MI_Uint32 count = 0;
    const MI_Char *instance_class = NULL;
    MI_Instance_GetClassName(inst, &instance_class);
    assert_string_equal(class_name, instance_class);
    assert_int_equal(MI_Class_GetElementCount(cls, &count), MI_RESULT_OK);
    MI_Uint32 elements = 0;
    MI_Instance_GetElementCount(inst, &elements);
    assert_int_equal(count, elements);
    MI_Class_Delete(cls);
    mi_instance_delete(inst);
}

static void test_clone_is_deep_and_independent(void **state)
{
    (void)state;
    MI_Instance *inst, *ref, *copy;
    assert_int_equal(mi_instance_new(&inst, NULL, test_class, NULL), MI_RESULT_OK);
    assert_int_equal(mi_instance_new(&ref, "Test_Base", NULL, NULL), MI_RESULT_OK);
    MI_Value v = {.string = "r1"};
    assert_int_equal(MI_Instance_AddElement(ref, "Name", &v, MI_STRING, MI_FLAG_KEY), MI_RESULT_OK);
    MI_Char *tags[] = {"a", "b", "c"};
    v.stringa.data = tags;
    v.stringa.size = 3;
    assert_int_equal(MI_Instance_SetElement(inst, "Tags", &v, MI_STRINGA, 0), MI_RESULT_OK);
    v.string = "n1";
    assert_int_equal(MI_Instance_SetElement(inst, "Name", &v, MI_STRING, 0), MI_RESULT_OK);
    MI_Instance_SetNameSpace(inst, "root/test");
    tags[0] = "changed by caller"; /* the instance made its own copy */

    assert_int_equal(MI_Instance_Clone(inst, &copy), MI_RESULT_OK);
    assert_true(mi_instance_equal(inst, copy));
    const MI_Char *ns;
    MI_Instance_GetNameSpace(copy, &ns);
    assert_string_equal(ns, "root/test");
    MI_Type t;
    assert_int_equal(MI_Instance_GetElement(copy, "Tags", &v, &t, NULL, NULL), MI_RESULT_OK);
    assert_int_equal(v.stringa.size, 3);
    assert_string_equal(v.stringa.data[0], "a");

    v.uint32 = 9;
    assert_int_equal(MI_Instance_SetElement(copy, "Count", &v, MI_UINT32, 0), MI_RESULT_OK);
    assert_false(mi_instance_equal(inst, copy));
    assert_int_equal(MI_Instance_GetElement(inst, "Count", &v, &t, NULL, NULL), MI_RESULT_OK);
    assert_int_equal(v.uint32, 5);
    MI_Instance_Delete(copy);
    MI_Instance_Delete(ref);
    MI_Instance_Delete(inst);
}

static void test_adopt_takes_ownership(void **state)
{
    (void)state;
    MI_Instance *inst;
    assert_int_equal(mi_instance_new(&inst, "C", NULL, NULL), MI_RESULT_OK);
    MI_Value v = {.string = strdup("owned by the instance now")};
    assert_int_equal(MI_Instance_AddElement(inst, "S", &v, MI_STRING, MI_FLAG_ADOPT), MI_RESULT_OK);
    MI_Value got;
    MI_Instance_GetElement(inst, "S", &got, NULL, NULL, NULL);
    assert_ptr_equal(got.string, v.string);
    v.string = "borrowed";
    assert_int_equal(MI_Instance_AddElement(inst, "T", &v, MI_STRING, MI_FLAG_BORROW),
                     MI_RESULT_OK);
    mi_instance_delete(inst); /* frees the adopted string; the sanitizer build checks */
}

static void test_destruct_then_delete(void **state)
{
    (void)state;
    MI_Instance *inst;
    assert_int_equal(mi_instance_new(&inst, NULL, test_class, NULL), MI_RESULT_OK);
    assert_int_equal(MI_Instance_Destruct(inst), MI_RESULT_OK);
    MI_Uint32 count = 99;
    MI_Instance_GetElementCount(inst, &count);
    assert_int_equal(count, 0);
    assert_int_equal(MI_Instance_Delete(inst), MI_RESULT_OK);
}

static void test_new_rejects_bad_class_names(void **state)
{
    (void)state;
    MI_Instance *inst = (MI_Instance *)1;
    mi_error err = {0};
    assert_int_equal(mi_instance_new(&inst, "not a name", NULL, &err), MI_RESULT_INVALID_PARAMETER);
    assert_string_equal(err.message, "invalid class name 'not a name'");
    assert_null(inst);
    assert_int_equal(mi_instance_new(&inst, NULL, NULL, &err), MI_RESULT_INVALID_PARAMETER);
}

/* Paths come in one allocation; everything an instance allows must still work on them. */
static void test_key_instance_in_one_allocation(void **state)
{
    (void)state;
    MI_Instance *ref;
    assert_int_equal(mi_instance_new(&ref, "Ref", NULL, NULL), MI_RESULT_OK);
    MI_Value v = {.string = "r1"};
    assert_int_equal(MI_Instance_AddElement(ref, "Id", &v, MI_STRING, MI_FLAG_KEY), MI_RESULT_OK);
    mi_instance_key keys[] = {
        {"Name", MI_STRING, 0, {.string = "web1"}},
        {"Slot", MI_UINT32, 0, {.uint32 = 7}},
        {"Owner", MI_REFERENCE, 0, {.reference = ref}},
        {"Spare", MI_STRING, MI_FLAG_NULL, {.string = NULL}},
    };
    MI_Instance *path;
    assert_int_equal(mi_instance_new_keys(&path, "Test_Class", keys, 4, "root/x", NULL),
                     MI_RESULT_OK);
    MI_Instance_Delete(ref); /* the path holds a copy */
    assert_string_equal(mi_instance_class_name(path), "Test_Class");
    assert_string_equal(path->nameSpace, "root/x");
    MI_Type t;
    MI_Uint32 f;
    assert_int_equal(MI_Instance_GetElement(path, "name", &v, &t, &f, NULL), MI_RESULT_OK);
    assert_string_equal(v.string, "web1");
    assert_true(f & MI_FLAG_KEY);
    assert_int_equal(MI_Instance_GetElement(path, "Spare", &v, &t, &f, NULL), MI_RESULT_OK);
    assert_true(f & MI_FLAG_NULL);
    assert_int_equal(MI_Instance_GetElement(path, "Owner", &v, &t, &f, NULL), MI_RESULT_OK);
    assert_int_equal(MI_Instance_GetElement(v.reference, "Id", &v, &t, &f, NULL), MI_RESULT_OK);
    assert_string_equal(v.string, "r1");

    /* overwritten, renamed, cloned, then grown past its block and past a scan */
    v.string = "web2";
    assert_int_equal(MI_Instance_SetElement(path, "Name", &v, MI_STRING, 0), MI_RESULT_OK);
    MI_Value seven = {.string = strdup("7")};
    assert_int_equal(mi_instance_retype_element(path, 1, "SlotName", MI_STRING, &seven),
                     MI_RESULT_OK);
    MI_Instance *copy;
    assert_int_equal(mi_instance_clone(path, &copy), MI_RESULT_OK);
    assert_true(mi_instance_equal(path, copy));
    char name[16];
    for (int i = 0; i < 20; i++) {
        snprintf(name, sizeof name, "Extra%d", i);
        v.uint32 = (MI_Uint32)i;
        assert_int_equal(MI_Instance_AddElement(path, name, &v, MI_UINT32, 0), MI_RESULT_OK);
    }
    assert_int_equal(MI_Instance_AddElement(path, "extra3", &v, MI_UINT32, 0),
                     MI_RESULT_ALREADY_EXISTS);
    assert_int_equal(MI_Instance_GetElement(path, "EXTRA17", &v, &t, NULL, NULL), MI_RESULT_OK);
    assert_int_equal(v.uint32, 17);
    assert_int_equal(MI_Instance_GetElement(path, "SlotName", &v, &t, NULL, NULL), MI_RESULT_OK);
    assert_string_equal(v.string, "7");
    assert_int_equal(MI_Instance_GetElement(path, "Name", &v, &t, NULL, NULL), MI_RESULT_OK);
    assert_string_equal(v.string, "web2");
    assert_string_equal(mi_instance_class_name(path), "Test_Class");
    MI_Instance_Delete(path);
    assert_int_equal(MI_Instance_GetElement(copy, "Name", &v, &t, NULL, NULL), MI_RESULT_OK);
    assert_string_equal(v.string, "web2");
    MI_Instance_Delete(copy);

    mi_error err = {0};
    mi_instance_key bad[] = {{"not a name", MI_UINT32, 0, {.uint32 = 1}}};
    assert_int_equal(mi_instance_new_keys(&path, "C", bad, 1, NULL, &err),
                     MI_RESULT_INVALID_PARAMETER);
    assert_null(path);
    assert_int_equal(mi_instance_new_keys(&path, "no class", NULL, 0, NULL, &err),
                     MI_RESULT_INVALID_PARAMETER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_class_bound_instance_starts_from_class),
        cmocka_unit_test(test_conformance_errors_name_class_and_property),
        cmocka_unit_test(test_dynamic_instance_elements),
        cmocka_unit_test(test_clone_is_deep_and_independent),
        cmocka_unit_test(test_adopt_takes_ownership),
        cmocka_unit_test(test_destruct_then_delete),
        cmocka_unit_test(test_new_rejects_bad_class_names),
        cmocka_unit_test(test_key_instance_in_one_allocation),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
