/*
 * Values of every MI_Type: deep copy, typed equality, release, type names, datetimes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/instance.h"
#include "core/value.h"

#include <stdlib.h>
#include <string.h>

static void check_copy(const MI_Value *original, MI_Type type, const MI_Value *different)
{
    MI_Value copy;
    assert_int_equal(mi_value_copy(&copy, original, type), MI_RESULT_OK);
    if (!mi_value_equal(&copy, original, type))
        fail_msg("copy of %s differs", mi_type_name(type));
    if (mi_value_equal(&copy, different, type))
        fail_msg("different %s values compare equal", mi_type_name(type));
    mi_value_release(&copy, type);
}

static void test_every_scalar_type(void **state)
{
    (void)state;
    MI_Value a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
#define SCALAR(TYPE, FIELD, X, Y)                                                                  \
    a.FIELD = X;                                                                                   \
    b.FIELD = Y;                                                                                   \
    check_copy(&a, TYPE, &b)
    SCALAR(MI_BOOLEAN, boolean, MI_TRUE, MI_FALSE);
    SCALAR(MI_UINT8, uint8, 255, 0);
    SCALAR(MI_SINT8, sint8, -128, 127);
    SCALAR(MI_UINT16, uint16, 65535, 1);
    SCALAR(MI_SINT16, sint16, -32768, 2);
    SCALAR(MI_UINT32, uint32, 4000000000u, 3);
    SCALAR(MI_SINT32, sint32, -2000000000, 4);
    SCALAR(MI_UINT64, uint64, UINT64_MAX, 5);
    SCALAR(MI_SINT64, sint64, INT64_MIN, 6);
    SCALAR(MI_REAL32, real32, 1.5f, 2.5f);
    SCALAR(MI_REAL64, real64, -0.125, 3.0);
    SCALAR(MI_CHAR16, char16, 0x4E2D, 'a');
    SCALAR(MI_STRING, string, "Hello", "hello"); /* case-sensitive */
#undef SCALAR
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    assert_true(mi_datetime_parse("20241231235959.123456+060", &a.datetime));
    assert_true(mi_datetime_parse("00000001020304.000005:000", &b.datetime));
    check_copy(&a, MI_DATETIME, &b);
}

static MI_Instance *key_instance(const char *cls, const char *key)
{
    MI_Instance *inst;
    assert_int_equal(mi_instance_new(&inst, cls, NULL, NULL), MI_RESULT_OK);
    MI_Value v = {.string = (MI_Char *)key};
    assert_int_equal(mi_instance_add_element(inst, "Id", &v, MI_STRING, MI_FLAG_KEY, NULL),
                     MI_RESULT_OK);
    return inst;
}

static void test_references_and_embedded_instances(void **state)
{
    (void)state;
    MI_Instance *x = key_instance("Test_A", "a1"), *y = key_instance("test_a", "a1"),
                *z = key_instance("Test_A", "a2");
    MI_Value a = {.reference = x}, b = {.reference = z}, c = {.reference = y};
    check_copy(&a, MI_REFERENCE, &b);
    assert_true(mi_value_equal(&a, &c, MI_REFERENCE)); /* same object, class name case aside */
    check_copy(&a, MI_INSTANCE, &b);

    MI_Instance *refs[] = {x, z};
    MI_Instance *other[] = {x, y};
    MI_Value arr = {.referencea = {refs, 2}}, arr2 = {.referencea = {other, 2}};
    check_copy(&arr, MI_REFERENCEA, &arr2);
    check_copy(&arr, MI_INSTANCEA, &arr2);
    mi_instance_delete(x);
    mi_instance_delete(y);
    mi_instance_delete(z);
}

static void test_arrays(void **state)
{
    (void)state;
    MI_Uint16 u16[] = {1, 2, 3}, u16b[] = {1, 2, 4};
    MI_Value a = {.uint16a = {u16, 3}}, b = {.uint16a = {u16b, 3}}, shorter = {.uint16a = {u16, 2}};
    check_copy(&a, MI_UINT16A, &b);
    check_copy(&a, MI_UINT16A, &shorter);
    MI_Char *s1[] = {"x", "y"}, *s2[] = {"x", "Y"};
    MI_Value sa = {.stringa = {s1, 2}}, sb = {.stringa = {s2, 2}};
    check_copy(&sa, MI_STRINGA, &sb);
    MI_Value empty = {.stringa = {NULL, 0}};
    check_copy(&empty, MI_STRINGA, &sa);
    MI_Value broken = {.stringa = {NULL, 3}}, out;
    assert_int_equal(mi_value_copy(&out, &broken, MI_STRINGA), MI_RESULT_INVALID_PARAMETER);
    MI_Boolean bools[] = {1, 0};
    MI_Value ba = {.booleana = {bools, 2}}, bb = {.booleana = {bools, 1}};
    check_copy(&ba, MI_BOOLEANA, &bb);
    MI_Datetime dts[2];
    memset(dts, 0, sizeof dts);
    assert_true(mi_datetime_parse("20000101000000.000000+000", &dts[0]));
    MI_Value da = {.datetimea = {dts, 2}}, db = {.datetimea = {dts, 1}};
    check_copy(&da, MI_DATETIMEA, &db);
}

static void test_type_names(void **state)
{
    (void)state;
    assert_string_equal(mi_type_name(MI_UINT8), "uint8");
    assert_string_equal(mi_type_name(MI_REFERENCE), "reference");
    assert_string_equal(mi_type_name(MI_STRINGA), "string[]");
    assert_string_equal(mi_type_name(MI_INSTANCEA), "instance[]");
    assert_string_equal(mi_type_name((MI_Type)32), "invalid");
    assert_true(mi_type_valid(MI_INSTANCEA));
    assert_false(mi_type_valid((MI_Type)-1));
}

static void test_datetime_text(void **state)
{
    (void)state;
    const char *valid[] = {"20241231235959.123456+060", "19700101000000.000000-300",
                           "12345678235959.999999:000"};
    for (size_t i = 0; i < 3; i++) {
        MI_Datetime dt;
        char out[26];
        assert_true(mi_datetime_parse(valid[i], &dt));
        mi_datetime_format(&dt, out);
        assert_string_equal(out, valid[i]);
    }
    MI_Datetime dt;
    assert_true(mi_datetime_parse(valid[1], &dt));
    assert_int_equal(dt.u.timestamp.utc, -300);
    const char *invalid[] = {"",
                             "2024123123595.123456+060",
                             "20241331235959.123456+060",
                             "20241231235959x123456+060",
                             "20241231235959.123456*060",
                             "12345678245959.999999:000",
                             "12345678235959.999999:001"};
    for (size_t i = 0; i < sizeof invalid / sizeof *invalid; i++)
        assert_false(mi_datetime_parse(invalid[i], &dt));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_scalar_type),
        cmocka_unit_test(test_references_and_embedded_instances),
        cmocka_unit_test(test_arrays),
        cmocka_unit_test(test_type_names),
        cmocka_unit_test(test_datetime_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
