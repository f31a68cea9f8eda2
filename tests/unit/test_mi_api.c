/*
 * The public MI API as a caller sees it (only <mi.h>): application, sessions, the
 * synchronous and callback result paths of every MI_Session_* operation, invalid handles,
 * and operation and destination options.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <mi.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <stdio.h>

#include "support.h"

typedef struct seen {
    int calls;
    MI_Result result;
    MI_Boolean more;
    int had_operation;
    int had_ack;
} seen;

static void MI_CALL on_instance(MI_Operation *op, void *context, const MI_Instance *instance,
                                MI_Boolean more, MI_Result result, const MI_Char *message,
                                const MI_Instance *details, MI_Result(MI_CALL *ack)(MI_Operation *))
{
    (void)instance, (void)message, (void)details;
    seen *s = context;
    s->calls++;
    s->result = result;
    s->more = more;
    s->had_operation = op != NULL;
    s->had_ack = ack != NULL;
    if (ack)
        assert_int_equal(ack(op), MI_RESULT_OK);
}

static void MI_CALL on_class(MI_Operation *op, void *context, const MI_Class *cls, MI_Boolean more,
                             MI_Result result, const MI_Char *message, const MI_Instance *details,
                             MI_Result(MI_CALL *ack)(MI_Operation *))
{
    on_instance(op, context, (const MI_Instance *)cls, more, result, message, details, ack);
}

static MI_Application app = MI_APPLICATION_NULL;
static MI_Session session = MI_SESSION_NULL;
static MI_Instance *key;

static int setup(void **state)
{
    (void)state;
    setenv("MI_REPOSITORY", ":memory:", 1); /* an empty repository of our own */
    assert_int_equal(MI_Application_Initialize(0, NULL, NULL, &app), MI_RESULT_OK);
    assert_int_equal(MI_Application_NewSession(&app, NULL, NULL, NULL, NULL, NULL, &session),
                     MI_RESULT_OK);
    assert_int_equal(MI_Application_NewInstance(&app, "Test_A", NULL, &key), MI_RESULT_OK);
    MI_Value v = {.string = "a1"};
    assert_int_equal(MI_Instance_AddElement(key, "Id", &v, MI_STRING, MI_FLAG_KEY), MI_RESULT_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    MI_Instance_Delete(key);
    assert_int_equal(MI_Session_Close(&session, NULL, NULL), MI_RESULT_OK);
    assert_int_equal(MI_Application_Close(&app), MI_RESULT_OK);
    return 0;
}

/* Starts operation number `which` on `s`, with callbacks or synchronously. */
static void start(MI_Session *s, int which, MI_OperationCallbacks *cb, MI_Operation *op)
{
    switch (which) {
    case 0:
        MI_Session_AssociatorInstances(s, 0, NULL, "root/test", key, NULL, NULL, NULL, NULL,
                                       MI_FALSE, cb, op);
        break;
    case 1:
        MI_Session_ReferenceInstances(s, 0, NULL, "root/test", key, NULL, NULL, MI_TRUE, cb, op);
        break;
    case 2:
        MI_Session_GetInstance(s, 0, NULL, "root/test", key, cb, op);
        break;
    case 3:
        MI_Session_EnumerateInstances(s, 0, NULL, "root/test", "Test_A", MI_FALSE, cb, op);
        break;
    case 4:
        MI_Session_CreateInstance(s, 0, NULL, "root/test", key, cb, op);
        break;
    case 5:
        MI_Session_ModifyInstance(s, 0, NULL, "root/test", key, cb, op);
        break;
    case 6:
        MI_Session_DeleteInstance(s, 0, NULL, "root/test", key, cb, op);
        break;
    case 7:
        MI_Session_QueryInstances(s, 0, NULL, "root/test", "WQL", "SELECT * FROM Test_A", cb, op);
        break;
    default:
        MI_Session_Invoke(s, 0, NULL, "root/test", "Test_A", "Go", key, NULL, cb, op);
        break;
    }
}

#define OPERATION_COUNT 9

/* What operation `which` ends with on the empty repository: every one, QueryInstances and
 * Invoke included, runs and finds no namespace root/test. */
static MI_Result expected_result(int which)
{
    (void)which;
    return MI_RESULT_INVALID_NAMESPACE;
}

static void test_operations_on_an_empty_repository_synchronously(void **state)
{
    (void)state;
    for (int which = 0; which < OPERATION_COUNT; which++) {
        MI_Operation op = MI_OPERATION_NULL;
        start(&session, which, NULL, &op);
        const MI_Instance *instance = key;
        MI_Boolean more = MI_TRUE;
        MI_Result result = MI_RESULT_OK;
        const MI_Char *message = NULL;
        const MI_Instance *details = key;
        assert_int_equal(
            MI_Operation_GetInstance(&op, &instance, &more, &result, &message, &details),
            MI_RESULT_OK);
        assert_null(instance);
        assert_false(more);
        assert_int_equal(result, expected_result(which));
        assert_non_null(strstr(message, "root/test"));
        assert_non_null(details); /* a failure's CIM_Error */
        MI_Value code;
        assert_int_equal(MI_Instance_GetElement(details, "CIMStatusCode", &code, NULL, NULL, NULL),
                         MI_RESULT_OK);
        assert_int_equal(code.uint32, expected_result(which));
        /* no results after the last one */
        assert_int_equal(MI_Operation_GetInstance(&op, &instance, &more, &result, NULL, NULL),
                         MI_RESULT_INVALID_PARAMETER);
        MI_Session from;
        assert_int_equal(MI_Operation_GetSession(&op, &from), MI_RESULT_OK);
        assert_ptr_equal(from.ft, session.ft);
        assert_int_equal(MI_Operation_Cancel(&op, MI_REASON_NONE), MI_RESULT_OK);
        assert_int_equal(MI_Operation_Close(&op), MI_RESULT_OK);
        assert_null(op.ft);
    }
}

static void test_operations_on_an_empty_repository_through_callbacks(void **state)
{
    (void)state;
    for (int which = 0; which < OPERATION_COUNT; which++) {
        seen s = {0};
        MI_OperationCallbacks cb = MI_OPERATIONCALLBACKS_NULL;
        cb.callbackContext = &s;
        cb.instanceResult = on_instance;
        MI_Operation op = MI_OPERATION_NULL;
        start(&session, which, &cb, &op);
        const MI_Instance *instance;
        /* a callback operation has no synchronous results */
        assert_int_equal(MI_Operation_GetInstance(&op, &instance, NULL, NULL, NULL, NULL),
                         MI_RESULT_INVALID_PARAMETER);
        /* closing waits for an operation that runs on a worker thread */
        assert_int_equal(MI_Operation_Close(&op), MI_RESULT_OK);
        assert_int_equal(s.calls, 1);
        assert_int_equal(s.result, expected_result(which));
        assert_false(s.more);
        assert_true(s.had_operation);
        /* the final result needs no acknowledgement */
        assert_false(s.had_ack);
    }
}

static void test_class_operations(void **state)
{
    (void)state;
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_GetClass(&session, 0, NULL, "root/test", "Test_A", NULL, &op);
    const MI_Class *cls = (const MI_Class *)1;
    MI_Boolean more = MI_TRUE;
    MI_Result result = MI_RESULT_OK;
    assert_int_equal(MI_Operation_GetClass(&op, &cls, &more, &result, NULL, NULL), MI_RESULT_OK);
    assert_null(cls);
    assert_int_equal(result, MI_RESULT_INVALID_NAMESPACE); /* the empty repository */
    MI_Operation_Close(&op);

    seen s = {0};
    MI_OperationCallbacks cb = MI_OPERATIONCALLBACKS_NULL;
    cb.callbackContext = &s;
    cb.classResult = on_class;
    MI_Session_EnumerateClasses(&session, 0, NULL, "root/test", NULL, MI_TRUE, &cb, &op);
    assert_int_equal(s.calls, 1);
    assert_int_equal(s.result, MI_RESULT_INVALID_NAMESPACE);
    MI_Operation_Close(&op);

    MI_Session_TestConnection(&session, 0, NULL, &op);
    const MI_Instance *instance;
    assert_int_equal(MI_Operation_GetInstance(&op, &instance, &more, &result, NULL, NULL),
                     MI_RESULT_OK);
    assert_int_equal(result, MI_RESULT_OK);
    MI_Operation_Close(&op);
}

static void test_invalid_session_reports_invalid_parameter(void **state)
{
    (void)state;
    MI_Session null_session = MI_SESSION_NULL;
    for (int which = 0; which < OPERATION_COUNT; which++) {
        seen s = {0};
        MI_OperationCallbacks cb = MI_OPERATIONCALLBACKS_NULL;
        cb.callbackContext = &s;
        cb.instanceResult = on_instance;
        MI_Operation op;
        memset(&op, 0xAB, sizeof op);
        start(&null_session, which, &cb, &op);
        assert_null(op.ft);
        assert_int_equal(s.calls, 1);
        assert_int_equal(s.result, MI_RESULT_INVALID_PARAMETER);
        assert_false(s.had_operation);
        const MI_Instance *instance;
        assert_int_equal(MI_Operation_GetInstance(&op, &instance, NULL, NULL, NULL, NULL),
                         MI_RESULT_INVALID_PARAMETER);
        assert_int_equal(MI_Operation_Close(&op), MI_RESULT_INVALID_PARAMETER);
    }
    start(NULL, 0, NULL, NULL); /* nothing to report to, nothing to crash on */
}

static void test_sessions_and_application(void **state)
{
    (void)state;
    MI_Application bad;
    assert_int_equal(MI_Application_Initialize(1, NULL, NULL, &bad), MI_RESULT_INVALID_PARAMETER);
    assert_int_equal(MI_Application_Initialize(0, NULL, NULL, NULL), MI_RESULT_INVALID_PARAMETER);
    MI_Session s;
    assert_int_equal(MI_Application_NewSession(&app, "WMIDCOM", NULL, NULL, NULL, NULL, &s),
                     MI_RESULT_NOT_SUPPORTED);
    assert_null(s.ft);
    assert_int_equal(MI_Application_NewSession(&app, "SMOKE", NULL, NULL, NULL, NULL, &s),
                     MI_RESULT_INVALID_PARAMETER);
    /* WS-Management: the session is made; the server is reached by its operations */
    assert_int_equal(
        MI_Application_NewSession(&app, "WINRM", "http://127.0.0.1:5985", NULL, NULL, NULL, &s),
        MI_RESULT_OK);
    assert_int_equal(MI_Session_Close(&s, NULL, NULL), MI_RESULT_OK);
    assert_int_equal(MI_Application_NewSession(&app, NULL, "ftp://host", NULL, NULL, NULL, &s),
                     MI_RESULT_NOT_SUPPORTED);
    MI_Application none = MI_APPLICATION_NULL;
    assert_int_equal(MI_Application_NewSession(&none, NULL, NULL, NULL, NULL, NULL, &s),
                     MI_RESULT_INVALID_PARAMETER);
    MI_Instance *inst = key;
    assert_int_equal(MI_Application_NewInstance(&none, "X", NULL, &inst),
                     MI_RESULT_INVALID_PARAMETER);
    assert_null(inst);
    assert_int_equal(MI_Application_NewInstance(&app, "bad name", NULL, &inst),
                     MI_RESULT_INVALID_PARAMETER);
    MI_Application from = MI_APPLICATION_NULL;
    assert_int_equal(MI_Session_GetApplication(&session, &from), MI_RESULT_OK);
    assert_ptr_equal(from.ft, app.ft);

    /* NULL-safe wrappers */
    assert_int_equal(MI_Instance_Delete(NULL), MI_RESULT_INVALID_PARAMETER);
    assert_int_equal(MI_Instance_GetElementCount(NULL, NULL), MI_RESULT_INVALID_PARAMETER);
    assert_int_equal(MI_Session_Close(NULL, NULL, NULL), MI_RESULT_INVALID_PARAMETER);
    assert_string_equal(MI_Libmi_ResultName(MI_RESULT_NOT_FOUND), "MI_RESULT_NOT_FOUND");
    assert_string_equal(MI_Libmi_ResultName((MI_Result)19), "MI_RESULT_UNKNOWN");
    assert_non_null(MI_Libmi_Version());
}

static void test_operation_options(void **state)
{
    (void)state;
    MI_OperationOptions options = MI_OPERATIONOPTIONS_NULL, copy = MI_OPERATIONOPTIONS_NULL;
    assert_int_equal(MI_Application_NewOperationOptions(&app, MI_FALSE, &options), MI_RESULT_OK);
    MI_Interval timeout = {.seconds = 30, .microseconds = 5};
    assert_int_equal(MI_OperationOptions_SetTimeout(&options, &timeout), MI_RESULT_OK);
    assert_int_equal(MI_OperationOptions_SetString(&options, "Locale", "en-US", 0), MI_RESULT_OK);
    assert_int_equal(MI_OperationOptions_SetNumber(&options, "Retries", 3, 0), MI_RESULT_OK);
    assert_int_equal(MI_OperationOptions_SetNumber(&options, "retries", 4, 0), MI_RESULT_OK);
    MI_Uint32 count = 0, number = 0;
    assert_int_equal(MI_OperationOptions_GetOptionCount(&options, &count), MI_RESULT_OK);
    assert_int_equal(count, 3);
    assert_int_equal(MI_OperationOptions_GetNumber(&options, "Retries", &number, NULL, NULL),
                     MI_RESULT_OK);
    assert_int_equal(number, 4);
    const MI_Char *text;
    assert_int_equal(MI_OperationOptions_GetString(&options, "Retries", &text, NULL, NULL),
                     MI_RESULT_TYPE_MISMATCH);
    assert_int_equal(MI_OperationOptions_GetString(&options, "Missing", &text, NULL, NULL),
                     MI_RESULT_NOT_FOUND);
    assert_int_equal(MI_OperationOptions_Clone(&options, &copy), MI_RESULT_OK);
    MI_OperationOptions_Delete(&options);
    assert_null(options.ft);
    MI_Interval got;
    memset(&got, 0, sizeof got);
    assert_int_equal(MI_OperationOptions_GetTimeout(&copy, &got), MI_RESULT_OK);
    assert_int_equal(got.seconds, 30);
    assert_int_equal(got.microseconds, 5);
    assert_int_equal(MI_OperationOptions_GetString(&copy, "locale", &text, NULL, NULL),
                     MI_RESULT_OK);
    assert_string_equal(text, "en-US");

    /* message channels, one by one */
    MI_Uint32 channels[4] = {99, 99, 99, 99}, channel_count = 7, flags = 7;
    assert_int_equal(
        MI_OperationOptions_GetEnabledChannels(&copy, channels, 4, &channel_count, &flags),
        MI_RESULT_OK);
    assert_int_equal(channel_count, 0);
    assert_int_equal(MI_OperationOptions_EnableChannel(&copy, MI_WRITEMESSAGE_CHANNEL_VERBOSE),
                     MI_RESULT_OK);
    assert_int_equal(MI_OperationOptions_EnableChannel(&copy, MI_WRITEMESSAGE_CHANNEL_DEBUG),
                     MI_RESULT_OK);
    assert_int_equal(MI_OperationOptions_EnableChannel(&copy, MI_WRITEMESSAGE_CHANNEL_WARNING),
                     MI_RESULT_OK);
    assert_int_equal(MI_OperationOptions_DisableChannel(&copy, MI_WRITEMESSAGE_CHANNEL_DEBUG),
                     MI_RESULT_OK);
    assert_int_equal(
        MI_OperationOptions_GetEnabledChannels(&copy, channels, 4, &channel_count, NULL),
        MI_RESULT_OK);
    assert_int_equal(channel_count, 2);
    assert_int_equal(channels[0], MI_WRITEMESSAGE_CHANNEL_VERBOSE);
    assert_int_equal(channels[1], MI_WRITEMESSAGE_CHANNEL_WARNING);
    assert_int_equal(
        MI_OperationOptions_GetEnabledChannels(&copy, channels, 1, &channel_count, NULL),
        MI_RESULT_FAILED); /* too small: the count says how many there are */
    assert_int_equal(channel_count, 2);

    /* the options Windows programs set */
    assert_int_equal(MI_OperationOptions_SetResourceUri(&copy, "http://schemas.dmtf.org/x"),
                     MI_RESULT_OK);
    const MI_Char *uri = NULL;
    assert_int_equal(MI_OperationOptions_GetResourceUri(&copy, &uri), MI_RESULT_OK);
    assert_string_equal(uri, "http://schemas.dmtf.org/x");
    assert_int_equal(MI_OperationOptions_SetPromptUserMode(&copy, MI_CALLBACKMODE_INQUIRE),
                     MI_RESULT_OK);
    MI_CallbackMode mode = MI_CALLBACKMODE_REPORT;
    assert_int_equal(MI_OperationOptions_GetPromptUserMode(&copy, &mode), MI_RESULT_OK);
    assert_int_equal(mode, MI_CALLBACKMODE_INQUIRE);
    assert_int_equal(MI_OperationOptions_SetWriteErrorMode(&copy, MI_CALLBACKMODE_IGNORE),
                     MI_RESULT_OK);
    assert_int_equal(MI_OperationOptions_GetWriteErrorMode(&copy, &mode), MI_RESULT_OK);
    assert_int_equal(mode, MI_CALLBACKMODE_IGNORE);
    MI_Boolean machine_id = MI_FALSE;
    assert_int_equal(MI_OperationOptions_SetUseMachineID(&copy, MI_TRUE), MI_RESULT_OK);
    assert_int_equal(MI_OperationOptions_GetUseMachineID(&copy, &machine_id), MI_RESULT_OK);
    assert_true(machine_id);

    /* subscription delivery options are kept for when indications come */
    MI_SubscriptionDeliveryOptions delivery = MI_SUBSCRIPTIONDELIVERYOPTIONS_NULL;
    assert_int_equal(MI_Application_NewSubscriptionDeliveryOptions(
                         &app, MI_SubscriptionDeliveryType_Pull, &delivery),
                     MI_RESULT_OK);
    assert_int_equal(MI_SubscriptionDeliveryOptions_SetString(&delivery, "Bookmark", "b1", 0),
                     MI_RESULT_OK);
    assert_int_equal(MI_SubscriptionDeliveryOptions_SetNumber(&delivery, "MaxQueue", 8, 0),
                     MI_RESULT_OK);
    assert_int_equal(
        MI_SubscriptionDeliveryOptions_SetInterval(&delivery, "Heartbeat", &timeout, 0),
        MI_RESULT_OK);
    assert_int_equal(MI_SubscriptionDeliveryOptions_Delete(&delivery), MI_RESULT_OK);
    assert_null(delivery.ft);
    assert_int_equal(MI_Application_NewSubscriptionDeliveryOptions(
                         &app, (MI_SubscriptionDeliveryType)9, &delivery),
                     MI_RESULT_INVALID_PARAMETER);

    /* options are accepted by operations */
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_EnumerateInstances(&session, 0, &copy, "root/test", "Test_A", MI_FALSE, NULL, &op);
    const MI_Instance *instance;
    MI_Result result;
    MI_Operation_GetInstance(&op, &instance, NULL, &result, NULL, NULL);
    MI_Operation_Close(&op);
    MI_OperationOptions_Delete(&copy);
    MI_OperationOptions_Delete(&copy); /* a deleted handle is inert */
}

static void test_destination_credentials(void **state)
{
    (void)state;
    MI_DestinationOptions options = MI_DESTINATIONOPTIONS_NULL, copy;
    assert_int_equal(MI_Application_NewDestinationOptions(&app, &options), MI_RESULT_OK);
    MI_UserCredentials creds;
    memset(&creds, 0, sizeof creds);
    creds.authenticationType = MI_AUTH_TYPE_BASIC;
    creds.credentials.usernamePassword.username = "operator";
    creds.credentials.usernamePassword.password = "s3cret";
    assert_int_equal(MI_DestinationOptions_AddDestinationCredentials(&options, &creds),
                     MI_RESULT_OK);
    assert_int_equal(MI_DestinationOptions_Clone(&options, &copy), MI_RESULT_OK);
    MI_DestinationOptions_Delete(&options);
    MI_Uint32 count = 0;
    assert_int_equal(MI_DestinationOptions_GetCredentialsCount(&copy, &count), MI_RESULT_OK);
    assert_int_equal(count, 1);
    MI_UserCredentials out;
    const MI_Char *name;
    assert_int_equal(MI_DestinationOptions_GetCredentialsAt(&copy, 0, &name, &out, NULL),
                     MI_RESULT_OK);
    assert_string_equal(out.credentials.usernamePassword.username, "operator");
    assert_string_equal(out.credentials.usernamePassword.password, "******");
    char small[3], big[32];
    MI_Uint32 needed = 0;
    assert_int_equal(MI_DestinationOptions_GetCredentialsPasswordAt(&copy, 0, &name, small,
                                                                    sizeof small, &needed, NULL),
                     MI_RESULT_FAILED);
    assert_int_equal(needed, 7);
    assert_int_equal(MI_DestinationOptions_GetCredentialsPasswordAt(&copy, 0, &name, big,
                                                                    sizeof big, &needed, NULL),
                     MI_RESULT_OK);
    assert_string_equal(big, "s3cret");
    MI_Interval t = {.minutes = 2};
    assert_int_equal(MI_DestinationOptions_SetTimeout(&copy, &t), MI_RESULT_OK);
    MI_Interval got;
    assert_int_equal(MI_DestinationOptions_GetTimeout(&copy, &got), MI_RESULT_OK);
    assert_int_equal(got.minutes, 2);
    MI_DestinationOptions_Delete(&copy);
}

static char *text_of(const MI_Value *v, MI_Type type, MI_Uint32 index, MI_Uint32 flags)
{
    static char copy[128];
    MI_Char *text = NULL;
    if (MI_Libmi_ValueText(v, type, index, flags, &text) != MI_RESULT_OK)
        return NULL;
    snprintf(copy, sizeof copy, "%s", text);
    MI_Libmi_Free(text);
    return copy;
}

/* One formatter of values, the one CIM-XML and the mi tool write with. */
static void test_value_text(void **state)
{
    (void)state;
    MI_Value v = {.boolean = MI_TRUE};
    assert_string_equal(text_of(&v, MI_BOOLEAN, 0, 0), "TRUE");
    assert_string_equal(text_of(&v, MI_BOOLEAN, 0, MI_LIBMI_TEXT_LOWERCASE_BOOLEANS), "true");
    v.uint64 = UINT64_MAX;
    assert_string_equal(text_of(&v, MI_UINT64, 0, 0), "18446744073709551615");
    v.sint8 = -128;
    assert_string_equal(text_of(&v, MI_SINT8, 0, 0), "-128");
    v.real64 = 0.1;
    assert_string_equal(text_of(&v, MI_REAL64, 0, 0), "0.10000000000000001");
    v.char16 = 0xE9;
    assert_string_equal(text_of(&v, MI_CHAR16, 0, 0), "\xc3\xa9");
    v.string = "a<b";
    assert_string_equal(text_of(&v, MI_STRING, 0, 0), "a<b");
    MI_Sint32 items[] = {7, -3};
    v.sint32a.data = items;
    v.sint32a.size = 2;
    assert_string_equal(text_of(&v, MI_SINT32A, 1, 0), "-3");
    MI_Char *text = (MI_Char *)"untouched";
    assert_int_equal(MI_Libmi_ValueText(&v, MI_SINT32A, 2, 0, &text), MI_RESULT_INVALID_PARAMETER);
    assert_null(text);
    v.reference = NULL;
    assert_int_equal(MI_Libmi_ValueText(&v, MI_REFERENCE, 0, 0, &text), MI_RESULT_NOT_SUPPORTED);
}

/* A local session opens the repository its destination options name, not the default. */
static void test_repository_named_by_destination_options(void **state)
{
    (void)state;
    char dir[64];
    assert_true(mi_test_make_dir(dir, "mi-api-repo"));
    char file[128];
    snprintf(file, sizeof file, "%s/sub/named.db", dir);
    MI_DestinationOptions options = MI_DESTINATIONOPTIONS_NULL;
    assert_int_equal(MI_Application_NewDestinationOptions(&app, &options), MI_RESULT_OK);
    assert_int_equal(MI_DestinationOptions_SetString(&options, MI_T("LIBMI_REPOSITORY"), file, 0),
                     MI_RESULT_OK);
    MI_Session named = MI_SESSION_NULL;
    assert_int_equal(MI_Application_NewSession(&app, NULL, NULL, &options, NULL, NULL, &named),
                     MI_RESULT_OK);
    MI_DestinationOptions_Delete(&options);
    struct stat st;
    assert_int_equal(stat(file, &st), 0); /* made there, folders and all */
    /* the file holds a repository: its namespaces answer */
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_EnumerateClasses(&named, 0, NULL, "root/interop", NULL, MI_FALSE, NULL, &op);
    const MI_Class *cls = NULL;
    MI_Boolean more = MI_TRUE;
    MI_Result result = MI_RESULT_FAILED;
    assert_int_equal(MI_Operation_GetClass(&op, &cls, &more, &result, NULL, NULL), MI_RESULT_OK);
    assert_int_equal(result, MI_RESULT_OK);
    MI_Operation_Close(&op);
    assert_int_equal(MI_Session_Close(&named, NULL, NULL), MI_RESULT_OK);
    assert_true(mi_test_remove_dir(dir));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_operations_on_an_empty_repository_synchronously),
        cmocka_unit_test(test_operations_on_an_empty_repository_through_callbacks),
        cmocka_unit_test(test_class_operations),
        cmocka_unit_test(test_invalid_session_reports_invalid_parameter),
        cmocka_unit_test(test_sessions_and_application),
        cmocka_unit_test(test_operation_options),
        cmocka_unit_test(test_destination_credentials),
        cmocka_unit_test(test_repository_named_by_destination_options),
        cmocka_unit_test(test_value_text),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
