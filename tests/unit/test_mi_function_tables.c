/*
 * Every entry of the client function tables of mi.h, called through its documented
 * wrapper on a real session: none answers MI_RESULT_NOT_SUPPORTED but those still waiting
 * for a part of the system (named below with what they wait for), and the everyday ones
 * succeed.
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

static const char model[] = "class Sys { [Key] string Name; };\n"
                            "class Dev { [Key] string Id; uint32 Reset([In] uint32 Level); };\n"
                            "[Association] class SysDev { [Key] Sys REF G; [Key] Dev REF P; };\n"
                            "instance of Sys as $s { Name = \"s1\"; };\n"
                            "instance of Dev as $d { Id = \"d1\"; };\n"
                            "instance of SysDev { G = $s; P = $d; };\n";

/* What may still answer NOT_SUPPORTED, and why. */
static const struct {
    const char *entry, *waits_for;
} pending[] = {
    {"MI_Session_Subscribe", "indications"},
    {"MI_Operation_GetIndication", "indications"},
};

static int calls, unsupported;

static void called(const char *entry, MI_Result r, MI_Result expected)
{
    calls++;
    bool allowed = false;
    for (size_t i = 0; i < sizeof pending / sizeof *pending; i++)
        allowed = allowed || !strcmp(pending[i].entry, entry);
    if (r == MI_RESULT_NOT_SUPPORTED && !allowed) {
        unsupported++;
        print_error("%s answered MI_RESULT_NOT_SUPPORTED\n", entry);
    }
    if (r != MI_RESULT_NOT_SUPPORTED && expected != (MI_Result)-1 && r != expected)
        fail_msg("%s answered %s, not %s", entry, MI_Libmi_ResultName(r),
                 MI_Libmi_ResultName(expected));
}

#define ANY ((MI_Result)-1)

static char dir[64], file[128];

static int setup(void **state)
{
    (void)state;
    if (!mi_test_make_dir(dir, "mi-tables"))
        return -1;
    snprintf(file, sizeof file, "%s/repo.db", dir);
    mi_repository *repo;
    if (mi_repository_open(&repo, file, true, NULL) != MI_RESULT_OK)
        return -1;
    mi_schema_store store = mi_repository_store(repo);
    MI_Result r = mi_mof_compile_string(&store, "m.mof", model, sizeof model - 1, NULL, NULL, NULL);
    mi_repository_close(repo);
    setenv("MI_REPOSITORY", file, 1);
    return r == MI_RESULT_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return mi_test_remove_dir(dir) ? 0 : -1;
}

/* The final result of an instance operation, its results read and dropped. */
static MI_Result finish_instances(MI_Operation *op)
{
    MI_Boolean more = MI_TRUE;
    MI_Result result = MI_RESULT_OK;
    while (more) {
        const MI_Instance *inst;
        if (MI_Operation_GetInstance(op, &inst, &more, &result, NULL, NULL) != MI_RESULT_OK)
            break;
    }
    MI_Operation_Close(op);
    return result;
}

static MI_Result finish_classes(MI_Operation *op)
{
    MI_Boolean more = MI_TRUE;
    MI_Result result = MI_RESULT_OK;
    while (more) {
        const MI_Class *cls;
        if (MI_Operation_GetClass(op, &cls, &more, &result, NULL, NULL) != MI_RESULT_OK)
            break;
    }
    MI_Operation_Close(op);
    return result;
}

static MI_Instance *keyed(MI_Application *app, const char *cls, const char *key, const char *value)
{
    MI_Instance *inst;
    assert_int_equal(MI_Application_NewInstance(app, cls, NULL, &inst), MI_RESULT_OK);
    MI_Value v = {.string = (MI_Char *)value};
    assert_int_equal(MI_Instance_AddElement(inst, key, &v, MI_STRING, MI_FLAG_KEY), MI_RESULT_OK);
    return inst;
}

static MI_Module *MI_MAIN_CALL no_module(MI_Server *server)
{
    (void)server;
    return NULL;
}

static void test_every_entry(void **state)
{
    (void)state;
    MI_Application app = MI_APPLICATION_NULL;
    called("MI_Application_Initialize", MI_Application_Initialize(0, NULL, NULL, &app),
           MI_RESULT_OK);
    MI_Session session = MI_SESSION_NULL;
    called("MI_Application_NewSession",
           MI_Application_NewSession(&app, NULL, NULL, NULL, NULL, NULL, &session), MI_RESULT_OK);
    MI_HostedProvider provider;
    MI_Instance *details = NULL;
    called("MI_Application_NewHostedProvider",
           MI_Application_NewHostedProvider(&app, NS, "p", NULL, &details, &provider),
           MI_RESULT_INVALID_PARAMETER); /* without its MI_Main */
    if (details)
        MI_Instance_Delete(details);
    called("MI_Application_NewHostedProvider",
           MI_Application_NewHostedProvider(&app, NS, "p", no_module, NULL, &provider),
           MI_RESULT_OK); /* its MI_Main is called by the sessions opened later: none here */
    MI_Application hosting = MI_APPLICATION_NULL;
    called("MI_HostedProvider_GetApplication",
           MI_HostedProvider_GetApplication(&provider, &hosting), MI_RESULT_OK);
    assert_true(hosting.ft == app.ft);
    called("MI_HostedProvider_Close", MI_HostedProvider_Close(&provider), MI_RESULT_OK);
    MI_DestinationOptions dest = MI_DESTINATIONOPTIONS_NULL;
    called("MI_Application_NewDestinationOptions",
           MI_Application_NewDestinationOptions(&app, &dest), MI_RESULT_OK);
    MI_DestinationOptions_Delete(&dest);
    MI_OperationOptions options = MI_OPERATIONOPTIONS_NULL;
    called("MI_Application_NewOperationOptions",
           MI_Application_NewOperationOptions(&app, MI_FALSE, &options), MI_RESULT_OK);
    MI_SubscriptionDeliveryOptions delivery = MI_SUBSCRIPTIONDELIVERYOPTIONS_NULL;
    called("MI_Application_NewSubscriptionDeliveryOptions",
           MI_Application_NewSubscriptionDeliveryOptions(&app, MI_SubscriptionDeliveryType_Pull,
                                                         &delivery),
           MI_RESULT_OK);
    MI_SubscriptionDeliveryOptions_Delete(&delivery);
    MI_Serializer serializer;
    MI_Deserializer deserializer;
    called("MI_Application_NewSerializer",
           MI_Application_NewSerializer(&app, 0, (MI_Char *)"MI_XML", &serializer), MI_RESULT_OK);
    called("MI_Application_NewDeserializer",
           MI_Application_NewDeserializer(&app, 0, (MI_Char *)"MI_XML", &deserializer),
           MI_RESULT_OK);
    MI_Class *made_class = NULL;
    called("MI_Application_NewClass", MI_Application_NewClass(&app, NULL, NS, NULL, &made_class),
           MI_RESULT_INVALID_PARAMETER); /* no declaration (test_class_decl makes classes) */

    /* the session */
    MI_Application from;
    called("MI_Session_GetApplication", MI_Session_GetApplication(&session, &from), MI_RESULT_OK);
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_TestConnection(&session, 0, NULL, &op);
    called("MI_Session_TestConnection", finish_instances(&op), MI_RESULT_OK);
    MI_Session_GetClass(&session, 0, &options, NS, "Dev", NULL, &op);
    const MI_Class *dev_class = NULL;
    MI_Boolean more;
    MI_Result result;
    MI_Operation_GetClass(&op, &dev_class, &more, &result, NULL, NULL);
    called("MI_Session_GetClass", result, MI_RESULT_OK);
    called("MI_Operation_GetClass", dev_class ? MI_RESULT_OK : MI_RESULT_FAILED, MI_RESULT_OK);
    MI_Class *dev = NULL;
    called("MI_Class_Clone", MI_Class_Clone(dev_class, &dev), MI_RESULT_OK);
    MI_Session session_of;
    called("MI_Operation_GetSession", MI_Operation_GetSession(&op, &session_of), MI_RESULT_OK);
    called("MI_Operation_Close", MI_Operation_Close(&op), MI_RESULT_OK);
    MI_Session_EnumerateClasses(&session, 0, NULL, NS, NULL, MI_TRUE, NULL, &op);
    called("MI_Session_EnumerateClasses", finish_classes(&op), MI_RESULT_OK);

    MI_Instance *d1 = keyed(&app, "Dev", "Id", "d1");
    MI_Session_GetInstance(&session, 0, NULL, NS, d1, NULL, &op);
    called("MI_Session_GetInstance", finish_instances(&op), MI_RESULT_OK);
    MI_Session_EnumerateInstances(&session, 0, NULL, NS, "Dev", MI_FALSE, NULL, &op);
    called("MI_Session_EnumerateInstances", finish_instances(&op), MI_RESULT_OK);
    MI_Session_AssociatorInstances(&session, 0, NULL, NS, d1, NULL, NULL, NULL, NULL, MI_FALSE,
                                   NULL, &op);
    called("MI_Session_AssociatorInstances", finish_instances(&op), MI_RESULT_OK);
    MI_Session_ReferenceInstances(&session, 0, NULL, NS, d1, NULL, NULL, MI_FALSE, NULL, &op);
    called("MI_Session_ReferenceInstances", finish_instances(&op), MI_RESULT_OK);
    MI_Session_Invoke(&session, 0, NULL, NS, "Dev", "Reset", d1, NULL, NULL, &op);
    called("MI_Session_Invoke", finish_instances(&op), MI_RESULT_METHOD_NOT_AVAILABLE);
    MI_Session_QueryInstances(&session, 0, NULL, NS, "WQL", "SELECT * FROM Dev", NULL, &op);
    called("MI_Session_QueryInstances", finish_instances(&op), MI_RESULT_OK);
    MI_Session_Subscribe(&session, 0, NULL, NS, "WQL", "SELECT * FROM CIM_InstCreation", NULL, NULL,
                         &op);
    const MI_Instance *indication;
    const MI_Char *bookmark, *machine;
    const MI_Instance *subscribe_error = NULL;
    MI_Operation_GetIndication(&op, &indication, &bookmark, &machine, &more, &result, NULL,
                               &subscribe_error);
    called("MI_Session_Subscribe", result, ANY);
    called("MI_Operation_GetIndication", result, ANY);
    /* until indications exist: NOT_SUPPORTED, and its CIM_Error says so */
    assert_int_equal(result, MI_RESULT_NOT_SUPPORTED);
    assert_non_null(subscribe_error);
    MI_Value status;
    assert_int_equal(
        MI_Instance_GetElement(subscribe_error, "CIMStatusCode", &status, NULL, NULL, NULL),
        MI_RESULT_OK);
    assert_int_equal(status.uint32, MI_RESULT_NOT_SUPPORTED);
    MI_Operation_Close(&op);

    MI_Instance *d2 = NULL;
    called("MI_Application_NewInstanceFromClass",
           MI_Application_NewInstanceFromClass(&app, "Dev", dev, &d2), MI_RESULT_OK);
    MI_Value v = {.string = (MI_Char *)"d2"};
    called("MI_Instance_SetElement", MI_Instance_SetElement(d2, "Id", &v, MI_STRING, 0),
           MI_RESULT_OK);
    MI_Session_CreateInstance(&session, 0, NULL, NS, d2, NULL, &op);
    called("MI_Session_CreateInstance", finish_instances(&op), MI_RESULT_OK);
    MI_Session_ModifyInstance(&session, 0, NULL, NS, d2, NULL, &op);
    called("MI_Session_ModifyInstance", finish_instances(&op), MI_RESULT_OK);
    MI_Session_DeleteInstance(&session, 0, NULL, NS, d2, NULL, &op);
    called("MI_Session_DeleteInstance", finish_instances(&op), MI_RESULT_OK);
    MI_Session_EnumerateInstances(&session, 0, NULL, NS, "Dev", MI_FALSE, NULL, &op);
    called("MI_Operation_Cancel", MI_Operation_Cancel(&op, MI_REASON_NONE), MI_RESULT_OK);
    finish_instances(&op);

    /* instances */
    MI_Instance *copy = NULL;
    called("MI_Instance_Clone", MI_Instance_Clone(d2, &copy), MI_RESULT_OK);
    called("MI_Instance_IsA", MI_Instance_IsA(copy, dev->classDecl, &more), ANY);
    const MI_Char *text;
    called("MI_Instance_GetClassName", MI_Instance_GetClassName(copy, &text), MI_RESULT_OK);
    called("MI_Instance_SetNameSpace", MI_Instance_SetNameSpace(copy, NS), MI_RESULT_OK);
    called("MI_Instance_GetNameSpace", MI_Instance_GetNameSpace(copy, &text), MI_RESULT_OK);
    called("MI_Instance_SetServerName", MI_Instance_SetServerName(copy, "here"), MI_RESULT_OK);
    called("MI_Instance_GetServerName", MI_Instance_GetServerName(copy, &text), MI_RESULT_OK);
    MI_Uint32 count;
    called("MI_Instance_GetElementCount", MI_Instance_GetElementCount(copy, &count), MI_RESULT_OK);
    MI_Type type;
    MI_Uint32 flags, index;
    called("MI_Instance_GetElement", MI_Instance_GetElement(copy, "Id", &v, &type, &flags, &index),
           MI_RESULT_OK);
    called("MI_Instance_GetElementAt", MI_Instance_GetElementAt(copy, 0, &text, &v, &type, &flags),
           MI_RESULT_OK);
    v.string = (MI_Char *)"d3";
    called("MI_Instance_SetElementAt", MI_Instance_SetElementAt(copy, 0, &v, MI_STRING, 0),
           MI_RESULT_OK);
    called("MI_Instance_ClearElement", MI_Instance_ClearElement(copy, "Id"), MI_RESULT_OK);
    called("MI_Instance_ClearElementAt", MI_Instance_ClearElementAt(copy, 0), MI_RESULT_OK);
    MI_Class *described = NULL;
    called("MI_Instance_GetClass", MI_Instance_GetClass(copy, &described), MI_RESULT_OK);
    MI_Class_Delete(described);
    MI_Class in_place = MI_CLASS_NULL;
    called("MI_Instance_GetClassExt", MI_Instance_GetClassExt(copy, &in_place), MI_RESULT_OK);
    const MI_Char *described_name = NULL;
    MI_Class_GetClassName(&in_place, &described_name);
    assert_string_equal(described_name, "Dev");
    called("MI_Class_Delete (in place)", MI_Class_Delete(&in_place), MI_RESULT_OK);
    MI_Instance *normal = copy;
    called("MI_Instance_Normalize", MI_Instance_Normalize(&normal), MI_RESULT_OK);
    assert_ptr_equal(normal, copy);
    called("MI_Instance_AddElement", MI_Instance_AddElement(d1, "Extra", &v, MI_STRING, 0),
           MI_RESULT_OK);
    called("MI_Instance_Delete", MI_Instance_Delete(copy), MI_RESULT_OK);

    /* serializers */
    MI_Uint32 needed = 0;
    called("MI_Serializer_SerializeInstance",
           MI_Serializer_SerializeInstance(&serializer, 0, d2, NULL, 0, &needed), MI_RESULT_FAILED);
    MI_Uint8 *buffer = malloc(needed);
    MI_Serializer_SerializeInstance(&serializer, 0, d2, buffer, needed, &needed);
    MI_Instance *back = NULL;
    called("MI_Deserializer_DeserializeInstance",
           MI_Deserializer_DeserializeInstance(&deserializer, 0, buffer, needed, &dev, 1, NULL,
                                               NULL, NULL, &back, NULL),
           MI_RESULT_OK);
    MI_Instance_Delete(back);
    MI_Char name[64];
    MI_Uint32 name_length = sizeof name;
    called("MI_Deserializer_Instance_GetClassName",
           MI_Deserializer_Instance_GetClassName(&deserializer, buffer, needed, name, &name_length,
                                                 NULL),
           MI_RESULT_OK);
    free(buffer);
    called("MI_Serializer_SerializeClass",
           MI_Serializer_SerializeClass(&serializer, 0, dev, NULL, 0, &needed), MI_RESULT_FAILED);
    buffer = malloc(needed);
    MI_Serializer_SerializeClass(&serializer, 0, dev, buffer, needed, &needed);
    MI_Class *class_back = NULL;
    called("MI_Deserializer_DeserializeClass",
           MI_Deserializer_DeserializeClass(&deserializer, 0, buffer, needed, NULL, NULL, NS, NULL,
                                            NULL, NULL, &class_back, NULL),
           MI_RESULT_OK);
    MI_Class_Delete(class_back);
    name_length = sizeof name;
    called(
        "MI_Deserializer_Class_GetClassName",
        MI_Deserializer_Class_GetClassName(&deserializer, buffer, needed, name, &name_length, NULL),
        MI_RESULT_OK);
    name_length = sizeof name;
    called("MI_Deserializer_Class_GetParentClassName",
           MI_Deserializer_Class_GetParentClassName(&deserializer, buffer, needed, name,
                                                    &name_length, NULL),
           MI_RESULT_NOT_FOUND); /* a root class */
    free(buffer);
    called("MI_Serializer_Close", MI_Serializer_Close(&serializer), MI_RESULT_OK);
    called("MI_Deserializer_Close", MI_Deserializer_Close(&deserializer), MI_RESULT_OK);

    /* classes, qualifier and parameter sets */
    called("MI_Class_GetClassName", MI_Class_GetClassName(dev, &text), MI_RESULT_OK);
    called("MI_Class_GetNameSpace", MI_Class_GetNameSpace(dev, &text), MI_RESULT_OK);
    called("MI_Class_GetServerName", MI_Class_GetServerName(dev, &text), ANY);
    called("MI_Class_GetElementCount", MI_Class_GetElementCount(dev, &count), MI_RESULT_OK);
    MI_Boolean exists;
    MI_Char *ref_class;
    MI_QualifierSet qualifiers;
    called(
        "MI_Class_GetElement",
        MI_Class_GetElement(dev, "Id", &v, &exists, &type, &ref_class, &qualifiers, &flags, &index),
        MI_RESULT_OK);
    called(
        "MI_Class_GetElementAt",
        MI_Class_GetElementAt(dev, 0, &text, &v, &exists, &type, &ref_class, &qualifiers, &flags),
        MI_RESULT_OK);
    called("MI_QualifierSet_GetQualifierCount",
           MI_QualifierSet_GetQualifierCount(&qualifiers, &count), MI_RESULT_OK);
    called("MI_QualifierSet_GetQualifierAt",
           MI_QualifierSet_GetQualifierAt(&qualifiers, 0, &text, &type, &flags, &v), MI_RESULT_OK);
    called("MI_QualifierSet_GetQualifier",
           MI_QualifierSet_GetQualifier(&qualifiers, "Key", &type, &flags, &v, &index),
           MI_RESULT_OK);
    called("MI_Class_GetClassQualifierSet", MI_Class_GetClassQualifierSet(dev, &qualifiers),
           MI_RESULT_OK);
    called("MI_Class_GetMethodCount", MI_Class_GetMethodCount(dev, &count), MI_RESULT_OK);
    MI_ParameterSet parameters;
    called("MI_Class_GetMethodAt", MI_Class_GetMethodAt(dev, 0, &text, &qualifiers, &parameters),
           MI_RESULT_OK);
    called("MI_Class_GetMethod", MI_Class_GetMethod(dev, "Reset", &qualifiers, &parameters, &index),
           MI_RESULT_OK);
    called("MI_ParameterSet_GetMethodReturnType",
           MI_ParameterSet_GetMethodReturnType(&parameters, &type, &qualifiers), MI_RESULT_OK);
    called("MI_ParameterSet_GetParameterCount",
           MI_ParameterSet_GetParameterCount(&parameters, &count), MI_RESULT_OK);
    called("MI_ParameterSet_GetParameterAt",
           MI_ParameterSet_GetParameterAt(&parameters, 0, &text, &type, &ref_class, &qualifiers),
           MI_RESULT_OK);
    called(
        "MI_ParameterSet_GetParameter",
        MI_ParameterSet_GetParameter(&parameters, "Level", &type, &ref_class, &qualifiers, &index),
        MI_RESULT_OK);
    called("MI_Class_GetParentClassName", MI_Class_GetParentClassName(dev, &text), ANY);
    MI_Class *parent = NULL;
    called("MI_Class_GetParentClass", MI_Class_GetParentClass(dev, &parent), ANY);
    if (parent)
        MI_Class_Delete(parent);
    called("MI_Class_Delete", MI_Class_Delete(dev), MI_RESULT_OK);

    MI_OperationOptions_Delete(&options);
    MI_Instance_Delete(d1);
    MI_Instance_Delete(d2);
    called("MI_Session_Close", MI_Session_Close(&session, NULL, NULL), MI_RESULT_OK);
    called("MI_Application_Close", MI_Application_Close(&app), MI_RESULT_OK);
    print_message("%d entries called, %d answered NOT_SUPPORTED outside the pending list\n", calls,
                  unsupported);
    assert_int_equal(unsupported, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_entry),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
