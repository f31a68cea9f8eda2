/*
 * MI_Serializer and MI_Deserializer in the MI_XML format: classes and instances of a
 * repository written to buffers and read back equal, with the buffer-size protocol of the
 * MI API, the class lookups a deserializer makes, and bad input refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mof/mof.h"
#include "repo/repository.h"
#include "support.h"

#include <mi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS "root/cimv2"

static const char model[] =
    "class Base { [Key] string Id; string Note; };\n"
    "class Dev : Base { uint32 Size = 7; string Tags[]; uint32 Reset([In] uint32 Level); };\n"
    "instance of Dev { Id = \"d1\"; Note = \"first <one> & \\\"quoted\\\"\"; Size = 42;"
    " Tags = {\"a\", \"b\"}; };\n";

static char dir[64], file[128];
static MI_Application app = MI_APPLICATION_NULL;
static MI_Session session = MI_SESSION_NULL;

static int setup(void **state)
{
    (void)state;
    if (!mi_test_make_dir(dir, "mi-serializer"))
        return -1;
    snprintf(file, sizeof file, "%s/repo.db", dir);
    mi_repository *repo;
    if (mi_repository_open(&repo, file, true, NULL) != MI_RESULT_OK)
        return -1;
    mi_schema_store store = mi_repository_store(repo);
    MI_Result r = mi_mof_compile_string(&store, "m.mof", model, sizeof model - 1, NULL, NULL, NULL);
    mi_repository_close(repo);
    setenv("MI_REPOSITORY", file, 1);
    if (r != MI_RESULT_OK || MI_Application_Initialize(0, NULL, NULL, &app) != MI_RESULT_OK)
        return -1;
    return MI_Application_NewSession(&app, NULL, NULL, NULL, NULL, NULL, &session);
}

static int teardown(void **state)
{
    (void)state;
    MI_Session_Close(&session, NULL, NULL);
    MI_Application_Close(&app);
    return mi_test_remove_dir(dir) ? 0 : -1;
}

/* The class, kept after its operation closes (a clone). */
static MI_Class *get_class(const char *name)
{
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_GetClass(&session, 0, NULL, NS, name, NULL, &op);
    const MI_Class *cls = NULL;
    MI_Boolean more;
    MI_Result result;
    MI_Operation_GetClass(&op, &cls, &more, &result, NULL, NULL);
    assert_int_equal(result, MI_RESULT_OK);
    MI_Class *copy = NULL;
    assert_int_equal(MI_Class_Clone(cls, &copy), MI_RESULT_OK);
    MI_Operation_Close(&op);
    return copy;
}

static MI_Instance *get_dev(void)
{
    MI_Instance *key;
    assert_int_equal(MI_Application_NewInstance(&app, "Dev", NULL, &key), MI_RESULT_OK);
    MI_Value v = {.string = (MI_Char *)"d1"};
    MI_Instance_AddElement(key, "Id", &v, MI_STRING, MI_FLAG_KEY);
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_GetInstance(&session, 0, NULL, NS, key, NULL, &op);
    const MI_Instance *got = NULL;
    MI_Boolean more;
    MI_Result result;
    MI_Operation_GetInstance(&op, &got, &more, &result, NULL, NULL);
    assert_int_equal(result, MI_RESULT_OK);
    MI_Instance *copy = NULL;
    assert_int_equal(MI_Instance_Clone(got, &copy), MI_RESULT_OK);
    MI_Operation_Close(&op);
    MI_Instance_Delete(key);
    return copy;
}

/* Serialized into a new buffer through the size protocol: asked with none, then given. */
static MI_Uint8 *serialize(MI_Serializer *s, const MI_Class *cls, const MI_Instance *inst,
                           MI_Uint32 flags, MI_Uint32 *length)
{
    MI_Uint32 needed = 0;
    MI_Result r = cls ? MI_Serializer_SerializeClass(s, flags, cls, NULL, 0, &needed)
                      : MI_Serializer_SerializeInstance(s, flags, inst, NULL, 0, &needed);
    assert_int_equal(r, MI_RESULT_FAILED);
    assert_true(needed > 10);
    MI_Uint8 small[4];
    MI_Uint32 small_needed = 0;
    r = cls ? MI_Serializer_SerializeClass(s, flags, cls, small, sizeof small, &small_needed)
            : MI_Serializer_SerializeInstance(s, flags, inst, small, sizeof small, &small_needed);
    assert_int_equal(r, MI_RESULT_FAILED);
    assert_int_equal(small_needed, needed);
    MI_Uint8 *buffer = malloc(needed);
    assert_non_null(buffer);
    r = cls ? MI_Serializer_SerializeClass(s, flags, cls, buffer, needed, length)
            : MI_Serializer_SerializeInstance(s, flags, inst, buffer, needed, length);
    assert_int_equal(r, MI_RESULT_OK);
    assert_int_equal(*length, needed);
    return buffer;
}

static void test_formats(void **state)
{
    (void)state;
    MI_Serializer s;
    MI_Deserializer d;
    assert_int_equal(MI_Application_NewSerializer(&app, 0, (MI_Char *)"MI_XML", &s), MI_RESULT_OK);
    assert_int_equal(MI_Serializer_Close(&s), MI_RESULT_OK);
    assert_int_equal(MI_Application_NewSerializer(&app, 0, (MI_Char *)"JSON", &s),
                     MI_RESULT_INVALID_PARAMETER);
    assert_int_equal(MI_Application_NewDeserializer(&app, 0, (MI_Char *)"mi_xml", &d),
                     MI_RESULT_OK);
    assert_int_equal(MI_Deserializer_Close(&d), MI_RESULT_OK);
    assert_int_equal(MI_Application_NewDeserializer(&app, 0, NULL, &d),
                     MI_RESULT_INVALID_PARAMETER);
}

static MI_Class *needed_class;
static int needed_calls;

static MI_Result MI_CALL give_class(void *context, const MI_Char *server, const MI_Char *ns,
                                    const MI_Char *name, MI_Class **out)
{
    (void)context, (void)server, (void)ns;
    needed_calls++;
    if (strcmp(name, "Base") != 0)
        return MI_RESULT_NOT_FOUND;
    return MI_Class_Clone(needed_class, out);
}

static void test_classes_round_trip(void **state)
{
    (void)state;
    MI_Serializer s;
    MI_Deserializer d;
    MI_Application_NewSerializer(&app, 0, (MI_Char *)"MI_XML", &s);
    MI_Application_NewDeserializer(&app, 0, (MI_Char *)"MI_XML", &d);
    MI_Class *dev = get_class("Dev");
    MI_Uint32 length;
    MI_Uint8 *deep = serialize(&s, dev, NULL, MI_SERIALIZER_FLAGS_CLASS_DEEP, &length);
    MI_Char name[64];
    MI_Uint32 name_length = sizeof name;
    assert_int_equal(MI_Deserializer_Class_GetClassName(&d, deep, length, name, &name_length, NULL),
                     MI_RESULT_OK);
    assert_string_equal(name, "Dev");
    name_length = sizeof name;
    assert_int_equal(
        MI_Deserializer_Class_GetParentClassName(&d, deep, length, name, &name_length, NULL),
        MI_RESULT_OK);
    assert_string_equal(name, "Base");
    MI_Class *back = NULL;
    MI_Uint32 read = 0;
    assert_int_equal(MI_Deserializer_DeserializeClass(&d, 0, deep, length, NULL, NULL, NS, NULL,
                                                      NULL, &read, &back, NULL),
                     MI_RESULT_OK);
    assert_int_equal(read, length);
    MI_Uint32 count = 0, methods = 0;
    MI_Class_GetElementCount(back, &count);
    assert_int_equal(count, 4);
    MI_Class_GetMethodCount(back, &methods);
    assert_int_equal(methods, 1);
    MI_Value v;
    MI_Boolean exists;
    MI_Type type;
    MI_Uint32 flags;
    assert_int_equal(
        MI_Class_GetElement(back, "Size", &v, &exists, &type, NULL, NULL, &flags, NULL),
        MI_RESULT_OK);
    assert_true(exists);
    assert_int_equal(v.uint32, 7);
    assert_int_equal(MI_Class_GetElement(back, "Id", NULL, NULL, NULL, NULL, NULL, &flags, NULL),
                     MI_RESULT_OK);
    assert_true(flags & MI_FLAG_KEY);
    const MI_Char *parent = NULL;
    MI_Class_GetParentClassName(back, &parent);
    assert_string_equal(parent, "Base");
    MI_Class_Delete(back);
    /* not deep: the superclass comes from the caller, when asked */
    MI_Uint8 *shallow = serialize(&s, dev, NULL, 0, &length);
    assert_int_equal(MI_Deserializer_DeserializeClass(&d, 0, shallow, length, NULL, NULL, NS, NULL,
                                                      NULL, &read, &back, NULL),
                     MI_RESULT_INVALID_SUPERCLASS);
    needed_class = get_class("Base");
    assert_int_equal(MI_Deserializer_DeserializeClass(&d, 0, shallow, length, NULL, NULL, NS,
                                                      give_class, NULL, &read, &back, NULL),
                     MI_RESULT_OK);
    assert_int_equal(needed_calls, 1);
    MI_Class_GetElementCount(back, &count);
    assert_int_equal(count, 4);
    MI_Class_Delete(back);
    assert_int_equal(MI_Deserializer_DeserializeClass(&d, 0, shallow, length, needed_class, NULL,
                                                      NS, NULL, NULL, &read, &back, NULL),
                     MI_RESULT_OK); /* or given as the parent */
    MI_Class_Delete(back);
    /* what is not a class */
    MI_Uint8 junk[] = "<CLASS NAME=\"X\"><PROPERTY";
    assert_int_equal(MI_Deserializer_DeserializeClass(&d, 0, junk, sizeof junk - 1, NULL, NULL, NS,
                                                      NULL, NULL, &read, &back, NULL),
                     MI_RESULT_INVALID_PARAMETER);
    assert_null(back);
    free(deep);
    free(shallow);
    MI_Class_Delete(needed_class);
    MI_Class_Delete(dev);
    MI_Serializer_Close(&s);
    MI_Deserializer_Close(&d);
}

static void expect_dev_values(const MI_Instance *inst)
{
    MI_Value v;
    MI_Type type;
    MI_Uint32 flags;
    assert_int_equal(MI_Instance_GetElement(inst, "Note", &v, &type, &flags, NULL), MI_RESULT_OK);
    assert_string_equal(v.string, "first <one> & \"quoted\"");
    assert_int_equal(MI_Instance_GetElement(inst, "Size", &v, &type, &flags, NULL), MI_RESULT_OK);
    assert_int_equal(type, MI_UINT32);
    assert_int_equal(v.uint32, 42);
    assert_int_equal(MI_Instance_GetElement(inst, "Tags", &v, &type, &flags, NULL), MI_RESULT_OK);
    assert_int_equal(type, MI_STRINGA);
    assert_int_equal(v.stringa.size, 2);
    assert_string_equal(v.stringa.data[1], "b");
}

static void test_instances_round_trip(void **state)
{
    (void)state;
    MI_Serializer s;
    MI_Deserializer d;
    MI_Application_NewSerializer(&app, 0, (MI_Char *)"MI_XML", &s);
    MI_Application_NewDeserializer(&app, 0, (MI_Char *)"MI_XML", &d);
    MI_Instance *dev = get_dev();
    MI_Uint32 length, read = 0;
    /* with its class: self-contained, read back bound to that class */
    MI_Uint8 *whole = serialize(&s, NULL, dev, MI_SERIALIZER_FLAGS_INSTANCE_WITH_CLASS, &length);
    MI_Char name[64];
    MI_Uint32 name_length = sizeof name;
    assert_int_equal(
        MI_Deserializer_Instance_GetClassName(&d, whole, length, name, &name_length, NULL),
        MI_RESULT_OK);
    assert_string_equal(name, "Dev");
    MI_Uint32 too_small = 2;
    assert_int_equal(
        MI_Deserializer_Instance_GetClassName(&d, whole, length, name, &too_small, NULL),
        MI_RESULT_FAILED);
    assert_int_equal(too_small, 4);
    MI_Instance *back = NULL;
    assert_int_equal(MI_Deserializer_DeserializeInstance(&d, 0, whole, length, NULL, 0, NULL, NULL,
                                                         &read, &back, NULL),
                     MI_RESULT_OK);
    assert_int_equal(read, length);
    expect_dev_values(back);
    MI_Class *cls = NULL;
    assert_int_equal(MI_Instance_GetClass(back, &cls), MI_RESULT_OK);
    MI_Uint32 count = 0;
    MI_Class_GetMethodCount(cls, &count);
    assert_int_equal(count, 1); /* the real class, with its method */
    MI_Class_Delete(cls);
    MI_Instance_Delete(back);
    /* alone: bound to a class given, or read as it was written */
    MI_Uint8 *alone = serialize(&s, NULL, dev, 0, &length);
    MI_Class *dev_class = get_class("Dev");
    assert_int_equal(MI_Deserializer_DeserializeInstance(&d, 0, alone, length, &dev_class, 1, NULL,
                                                         NULL, &read, &back, NULL),
                     MI_RESULT_OK);
    expect_dev_values(back);
    MI_Instance_Delete(back);
    assert_int_equal(MI_Deserializer_DeserializeInstance(&d, 0, alone, length, NULL, 0, NULL, NULL,
                                                         &read, &back, NULL),
                     MI_RESULT_OK);
    expect_dev_values(back);
    MI_Instance_Delete(back);
    MI_Uint8 junk[] = "<INSTANCE CLASSNAME=\"Dev\"><PROPERTY NAME=\"Size\" TYPE=\"uint32\">"
                      "<VALUE>lots</VALUE></PROPERTY></INSTANCE>";
    assert_int_not_equal(MI_Deserializer_DeserializeInstance(&d, 0, junk, sizeof junk - 1, NULL, 0,
                                                             NULL, NULL, &read, &back, NULL),
                         MI_RESULT_OK);
    assert_null(back);
    free(whole);
    free(alone);
    MI_Class_Delete(dev_class);
    MI_Instance_Delete(dev);
    MI_Serializer_Close(&s);
    MI_Deserializer_Close(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_classes_round_trip),
        cmocka_unit_test(test_instances_round_trip),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
