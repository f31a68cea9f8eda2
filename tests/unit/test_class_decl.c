/*
 * Classes from static declarations (the RTTI generated provider code carries), through
 * MI_Application_NewClass and MI_Application_NewInstance: properties with their types,
 * keys, defaults and qualifiers, methods with their parameters, a subclass built on its
 * superclass's declaration, and declarations that do not make a class refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <mi.h>
#include <string.h>

static MI_CONST MI_Char *description_value = MI_T("a thing");
static MI_CONST MI_Qualifier description = {MI_T("Description"), MI_STRING, MI_FLAG_TOSUBCLASS,
                                            &description_value};
static MI_Qualifier MI_CONST *MI_CONST base_quals[] = {&description};

static MI_CONST MI_PropertyDecl base_id = {MI_FLAG_PROPERTY | MI_FLAG_KEY,
                                           0,
                                           MI_T("Id"),
                                           NULL,
                                           0,
                                           MI_STRING,
                                           NULL,
                                           0,
                                           0,
                                           MI_T("Base"),
                                           MI_T("Base"),
                                           NULL};
static MI_CONST MI_Char *note_value = MI_T("hello");
static MI_CONST MI_PropertyDecl base_note = {
    MI_FLAG_PROPERTY, 0,          MI_T("Note"), NULL, 0, MI_STRING, NULL, 0, 0, MI_T("Base"),
    MI_T("Base"),     &note_value};
static MI_PropertyDecl MI_CONST *MI_CONST base_props[] = {&base_id, &base_note};

static MI_CONST MI_ClassDecl base_rtti = {
    MI_FLAG_CLASS, 0,    MI_T("Base"), base_quals, 1,    base_props, 2,   0,
    NULL,          NULL, NULL,         0,          NULL, NULL,       NULL};

static MI_CONST MI_Uint32 size_value = 7;
static MI_CONST MI_PropertyDecl dev_size = {
    MI_FLAG_PROPERTY, 0,           MI_T("Size"), NULL, 0, MI_UINT32, NULL, 0, 0,
    MI_T("Dev"),      MI_T("Dev"), &size_value};
static MI_CONST MI_Char *tag_items[] = {MI_T("a"), MI_T("b")};
static MI_CONST MI_ConstStringA tags_value = {tag_items, 2};
static MI_CONST MI_PropertyDecl dev_tags = {
    MI_FLAG_PROPERTY, 0,           MI_T("Tags"), NULL, 0, MI_STRINGA, NULL, 0, 0,
    MI_T("Dev"),      MI_T("Dev"), &tags_value};
static MI_CONST MI_PropertyDecl dev_sys = {
    MI_FLAG_PROPERTY, 0,           MI_T("Owner"), NULL, 0, MI_REFERENCE, MI_T("Base"), 0, 0,
    MI_T("Dev"),      MI_T("Dev"), NULL};
/* inherited unchanged: listed as generated code lists every property, but from Base */
static MI_PropertyDecl MI_CONST *MI_CONST dev_props[] = {&base_id, &base_note, &dev_size, &dev_tags,
                                                         &dev_sys};

static MI_CONST MI_ParameterDecl level = {
    MI_FLAG_PARAMETER | MI_FLAG_IN, 0, MI_T("Level"), NULL, 0, MI_UINT32, NULL, 0, 0};
static MI_CONST MI_ParameterDecl result = {
    MI_FLAG_PARAMETER | MI_FLAG_OUT, 0, MI_T("MIReturn"), NULL, 0, MI_UINT32, NULL, 0, 0};
static MI_ParameterDecl MI_CONST *MI_CONST reset_params[] = {&level, &result};
static MI_CONST MI_MethodDecl reset = {
    MI_FLAG_METHOD, 0,           MI_T("Reset"), NULL, 0,   reset_params, 2, 0,
    MI_UINT32,      MI_T("Dev"), MI_T("Dev"),   NULL, NULL};
static MI_MethodDecl MI_CONST *MI_CONST dev_methods[] = {&reset};

static MI_CONST MI_ClassDecl dev_rtti = {MI_FLAG_CLASS, 0, MI_T("Dev"), NULL,         0,
                                         dev_props,     5, 0,           MI_T("Base"), &base_rtti,
                                         dev_methods,   1, NULL,        NULL,         NULL};

static MI_CONST MI_ClassDecl orphan_rtti = {
    MI_FLAG_CLASS,   0,    MI_T("Orphan"), NULL, 0,    NULL, 0,   0,
    MI_T("Nowhere"), NULL, NULL,           0,    NULL, NULL, NULL};

static MI_Application app = MI_APPLICATION_NULL;

static int setup(void **state)
{
    (void)state;
    return MI_Application_Initialize(0, NULL, NULL, &app) == MI_RESULT_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    MI_Application_Close(&app);
    return 0;
}

static void test_class_from_declarations(void **state)
{
    (void)state;
    MI_Class *cls = NULL;
    assert_int_equal(MI_Application_NewClass(&app, &dev_rtti, MI_T("root/test"), NULL, &cls),
                     MI_RESULT_OK);
    const MI_Char *text = NULL;
    MI_Class_GetClassName(cls, &text);
    assert_string_equal(text, "Dev");
    MI_Class_GetParentClassName(cls, &text);
    assert_string_equal(text, "Base");
    MI_Class_GetNameSpace(cls, &text);
    assert_string_equal(text, "root/test");
    MI_Uint32 count = 0;
    MI_Class_GetElementCount(cls, &count);
    assert_int_equal(count, 5);
    MI_Value v;
    MI_Boolean exists;
    MI_Type type;
    MI_Char *ref_class;
    MI_Uint32 flags;
    assert_int_equal(MI_Class_GetElement(cls, "Id", &v, &exists, &type, NULL, NULL, &flags, NULL),
                     MI_RESULT_OK);
    assert_true(flags & MI_FLAG_KEY);
    assert_int_equal(MI_Class_GetElement(cls, "Note", &v, &exists, &type, NULL, NULL, &flags, NULL),
                     MI_RESULT_OK);
    assert_true(exists);
    assert_string_equal(v.string, "hello"); /* the superclass's default */
    assert_int_equal(MI_Class_GetElement(cls, "Size", &v, &exists, &type, NULL, NULL, &flags, NULL),
                     MI_RESULT_OK);
    assert_true(exists);
    assert_int_equal(type, MI_UINT32);
    assert_int_equal(v.uint32, 7);
    assert_int_equal(MI_Class_GetElement(cls, "Tags", &v, &exists, &type, NULL, NULL, &flags, NULL),
                     MI_RESULT_OK);
    assert_int_equal(type, MI_STRINGA);
    assert_int_equal(v.stringa.size, 2);
    assert_string_equal(v.stringa.data[1], "b");
    assert_int_equal(
        MI_Class_GetElement(cls, "Owner", &v, &exists, &type, &ref_class, NULL, &flags, NULL),
        MI_RESULT_OK);
    assert_int_equal(type, MI_REFERENCE);
    assert_string_equal(ref_class, "Base");
    MI_QualifierSet qualifiers;
    assert_int_equal(MI_Class_GetClassQualifierSet(cls, &qualifiers), MI_RESULT_OK);
    MI_Uint32 index;
    assert_int_equal(
        MI_QualifierSet_GetQualifier(&qualifiers, "Description", &type, &flags, &v, &index),
        MI_RESULT_OK); /* ToSubclass: Dev has it from Base */
    assert_string_equal(v.string, "a thing");
    MI_ParameterSet parameters;
    assert_int_equal(MI_Class_GetMethod(cls, "Reset", &qualifiers, &parameters, &index),
                     MI_RESULT_OK);
    MI_ParameterSet_GetParameterCount(&parameters, &count);
    assert_int_equal(count, 1); /* MIReturn is the return value, not a parameter */
    MI_ParameterSet_GetMethodReturnType(&parameters, &type, NULL);
    assert_int_equal(type, MI_UINT32);
    assert_int_equal(
        MI_ParameterSet_GetParameter(&parameters, "Level", &type, &ref_class, &qualifiers, &index),
        MI_RESULT_OK);
    MI_Class_Delete(cls);
}

static void test_instances_from_declarations(void **state)
{
    (void)state;
    MI_Instance *inst = NULL;
    assert_int_equal(MI_Application_NewInstance(&app, "Dev", &dev_rtti, &inst), MI_RESULT_OK);
    MI_Value v;
    MI_Type type;
    MI_Uint32 flags;
    assert_int_equal(MI_Instance_GetElement(inst, "Size", &v, &type, &flags, NULL), MI_RESULT_OK);
    assert_int_equal(type, MI_UINT32);
    v.string = (MI_Char *)"d1";
    assert_int_equal(MI_Instance_SetElement(inst, "Id", &v, MI_STRING, 0), MI_RESULT_OK);
    assert_int_equal(MI_Instance_SetElement(inst, "Size", &v, MI_STRING, 0),
                     MI_RESULT_TYPE_MISMATCH);
    MI_Instance_Delete(inst);
    assert_int_equal(MI_Application_NewInstance(&app, "Base", &dev_rtti, &inst),
                     MI_RESULT_INVALID_PARAMETER);
    assert_null(inst);
    MI_Class *cls = NULL;
    assert_int_equal(MI_Application_NewClass(&app, &orphan_rtti, NULL, NULL, &cls),
                     MI_RESULT_INVALID_SUPERCLASS);
    assert_null(cls);
    assert_int_equal(MI_Application_NewClass(&app, NULL, NULL, NULL, &cls),
                     MI_RESULT_INVALID_PARAMETER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_class_from_declarations),
        cmocka_unit_test(test_instances_from_declarations),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
