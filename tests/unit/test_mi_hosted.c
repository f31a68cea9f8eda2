/*
 * MI_Application_NewHostedProvider: a provider the program itself holds (its MI_Main
 * given, no module file) serves the local sessions opened while it is hosted: its class
 * is stored where the namespace lacks it, its instances merge with stored ones, and once
 * the provider is closed a new session no longer reaches it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"

#include <mi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS "root/cimv2"

/* ---- the provider: Hosted_Probe, two instances, keyed by Name ---- */

typedef struct Hosted_Probe {
    MI_Instance __instance;
    MI_ConstStringField Name;
    MI_ConstUint32Field Reading;
} Hosted_Probe;

static MI_CONST MI_PropertyDecl name_prop = {MI_FLAG_PROPERTY | MI_FLAG_KEY,
                                             0x006e6504,
                                             MI_T("Name"),
                                             NULL,
                                             0,
                                             MI_STRING,
                                             NULL,
                                             0,
                                             offsetof(Hosted_Probe, Name),
                                             MI_T("Hosted_Probe"),
                                             MI_T("Hosted_Probe"),
                                             NULL};
static MI_CONST MI_PropertyDecl reading_prop = {MI_FLAG_PROPERTY,
                                                0x00726707,
                                                MI_T("Reading"),
                                                NULL,
                                                0,
                                                MI_UINT32,
                                                NULL,
                                                0,
                                                offsetof(Hosted_Probe, Reading),
                                                MI_T("Hosted_Probe"),
                                                MI_T("Hosted_Probe"),
                                                NULL};
static MI_PropertyDecl MI_CONST *MI_CONST probe_props[] = {&name_prop, &reading_prop};

static int loads;

static void MI_CALL probe_load(void **self, MI_Module_Self *module, MI_Context *context)
{
    (void)module;
    *self = NULL;
    loads++;
    MI_PostResult(context, MI_RESULT_OK);
}

static void MI_CALL probe_unload(void *self, MI_Context *context)
{
    (void)self;
    MI_PostResult(context, MI_RESULT_OK);
}

extern MI_CONST MI_ClassDecl Hosted_Probe_rtti;

static void MI_CALL probe_enumerate(void *self, MI_Context *context, const MI_Char *ns,
                                    const MI_Char *class_name, const MI_PropertySet *properties,
                                    MI_Boolean keys_only, const MI_Filter *filter)
{
    (void)self, (void)ns, (void)class_name, (void)properties, (void)keys_only, (void)filter;
    static const char *const names[] = {"north", "south"};
    for (int i = 0; i < 2; i++) {
        Hosted_Probe p;
        MI_ConstructInstance(context, &Hosted_Probe_rtti, &p.__instance);
        p.Name.value = names[i];
        p.Name.exists = MI_TRUE;
        p.Reading.value = (MI_Uint32)(10 * (i + 1));
        p.Reading.exists = MI_TRUE;
        MI_PostInstance(context, &p.__instance);
        MI_Instance_Destruct(&p.__instance);
    }
    MI_PostResult(context, MI_RESULT_OK);
}

static MI_CONST MI_ProviderFT probe_ft = {
    probe_load, probe_unload, NULL, probe_enumerate, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL,       NULL,         NULL};

/* uint32 Calibrate([In] uint32 Offset, [Out] string Note): the generated-code way, a
 * function of the method's own; it returns the offset plus the probe's number. */
typedef struct Hosted_Probe_Calibrate {
    MI_Instance __instance;
    MI_ConstUint32Field MIReturn;
    MI_ConstUint32Field Offset;
    MI_ConstStringField Note;
} Hosted_Probe_Calibrate;

static MI_CONST MI_ParameterDecl return_param = {MI_FLAG_PARAMETER | MI_FLAG_OUT,
                                                 0x006d6e08,
                                                 MI_T("MIReturn"),
                                                 NULL,
                                                 0,
                                                 MI_UINT32,
                                                 NULL,
                                                 0,
                                                 offsetof(Hosted_Probe_Calibrate, MIReturn)};
static MI_CONST MI_ParameterDecl offset_param = {MI_FLAG_PARAMETER | MI_FLAG_IN,
                                                 0x006f7406,
                                                 MI_T("Offset"),
                                                 NULL,
                                                 0,
                                                 MI_UINT32,
                                                 NULL,
                                                 0,
                                                 offsetof(Hosted_Probe_Calibrate, Offset)};
static MI_CONST MI_ParameterDecl note_param = {
    MI_FLAG_PARAMETER | MI_FLAG_OUT,       0x006e6504, MI_T("Note"), NULL, 0, MI_STRING, NULL, 0,
    offsetof(Hosted_Probe_Calibrate, Note)};
static MI_ParameterDecl MI_CONST *MI_CONST calibrate_params[] = {&return_param, &offset_param,
                                                                 &note_param};

extern MI_CONST MI_MethodDecl calibrate_rtti;

static void MI_CALL calibrate(void *self, MI_Context *context, const MI_Char *ns,
                              const MI_Char *class_name, const MI_Char *method,
                              const MI_Instance *instance_name, const MI_Instance *parameters)
{
    (void)self, (void)ns, (void)class_name, (void)method;
    const Hosted_Probe *probe = (const Hosted_Probe *)instance_name;
    const Hosted_Probe_Calibrate *in = (const Hosted_Probe_Calibrate *)parameters;
    if (!probe || !probe->Name.exists) {
        MI_PostError(context, MI_RESULT_INVALID_PARAMETER, MI_RESULT_TYPE_MI,
                     MI_T("Calibrate runs on a probe"));
        return;
    }
    Hosted_Probe_Calibrate out;
    MI_ConstructParameters(context, &calibrate_rtti, &out.__instance);
    out.MIReturn.value = (in->Offset.exists ? in->Offset.value : 0) +
                         (strcmp(probe->Name.value, "north") == 0 ? 1 : 2);
    out.MIReturn.exists = MI_TRUE;
    out.Note.value = MI_T("calibrated");
    out.Note.exists = MI_TRUE;
    MI_PostInstance(context, &out.__instance);
    MI_Instance_Destruct(&out.__instance);
    MI_PostResult(context, MI_RESULT_OK);
}

MI_CONST MI_MethodDecl calibrate_rtti = {MI_FLAG_METHOD,
                                         0x00636509,
                                         MI_T("Calibrate"),
                                         NULL,
                                         0,
                                         calibrate_params,
                                         3,
                                         sizeof(Hosted_Probe_Calibrate),
                                         MI_UINT32,
                                         MI_T("Hosted_Probe"),
                                         MI_T("Hosted_Probe"),
                                         NULL,
                                         calibrate};
static MI_MethodDecl MI_CONST *MI_CONST probe_methods[] = {&calibrate_rtti};

MI_CONST MI_ClassDecl Hosted_Probe_rtti = {MI_FLAG_CLASS,
                                           0x00686510,
                                           MI_T("Hosted_Probe"),
                                           NULL,
                                           0,
                                           probe_props,
                                           2,
                                           sizeof(Hosted_Probe),
                                           NULL,
                                           NULL,
                                           probe_methods,
                                           1,
                                           NULL,
                                           &probe_ft,
                                           NULL};

static MI_ClassDecl MI_CONST *MI_CONST classes[] = {&Hosted_Probe_rtti};
static MI_SchemaDecl schema = {NULL, 0, classes, 1};

static MI_Module *MI_MAIN_CALL probe_main(MI_Server *server)
{
    (void)server;
    static MI_Module module;
    module.version = MI_VERSION;
    module.charSize = sizeof(MI_Char);
    module.schemaDecl = &schema;
    return &module;
}

/* ---- the test ---- */

static char dir[64], file[128];

static int setup(void **state)
{
    (void)state;
    if (!mi_test_make_dir(dir, "mi-hosted"))
        return -1;
    snprintf(file, sizeof file, "%s/repo.db", dir);
    setenv("MI_REPOSITORY", file, 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    mi_test_remove_dir(dir);
    return 0;
}

/* The Name and Reading of each Hosted_Probe a new session enumerates, "name=reading;". */
static void enumerate(MI_Application *app, char *out, size_t size, MI_Result *result)
{
    MI_Session session = MI_SESSION_NULL;
    assert_int_equal(MI_Application_NewSession(app, NULL, NULL, NULL, NULL, NULL, &session),
                     MI_RESULT_OK);
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_EnumerateInstances(&session, 0, NULL, NS, "Hosted_Probe", MI_FALSE, NULL, &op);
    out[0] = '\0';
    MI_Boolean more = MI_TRUE;
    while (more) {
        const MI_Instance *inst = NULL;
        MI_Operation_GetInstance(&op, &inst, &more, result, NULL, NULL);
        MI_Value name, reading;
        if (inst && MI_Instance_GetElement(inst, "Name", &name, NULL, NULL, NULL) == MI_RESULT_OK &&
            MI_Instance_GetElement(inst, "Reading", &reading, NULL, NULL, NULL) == MI_RESULT_OK)
            snprintf(out + strlen(out), size - strlen(out), "%s=%u;", name.string,
                     (unsigned)reading.uint32);
    }
    MI_Operation_Close(&op);
    MI_Session_Close(&session, NULL, NULL);
}

static void test_hosted_provider(void **state)
{
    (void)state;
    MI_Application app = MI_APPLICATION_NULL;
    assert_int_equal(MI_Application_Initialize(0, NULL, NULL, &app), MI_RESULT_OK);
    MI_HostedProvider provider;
    assert_int_equal(
        MI_Application_NewHostedProvider(&app, NS, "probes", probe_main, NULL, &provider),
        MI_RESULT_OK);
    /* a second provider of that name for that namespace is refused, with its reason */
    MI_HostedProvider twice;
    MI_Instance *details = NULL;
    assert_int_equal(
        MI_Application_NewHostedProvider(&app, NS, "probes", probe_main, &details, &twice),
        MI_RESULT_ALREADY_EXISTS);
    assert_non_null(details);
    MI_Instance_Delete(details);
    char got[256];
    MI_Result result;
    enumerate(&app, got, sizeof got, &result);
    assert_int_equal(result, MI_RESULT_OK);
    assert_string_equal(got, "north=10;south=20;");
    assert_int_equal(loads, 1);
    /* a method on a probe: its return value and out parameter; an unknown method */
    MI_Instance *south = NULL, *in = NULL;
    MI_Value v;
    MI_Application_NewInstance(&app, "Hosted_Probe", NULL, &south);
    v.string = (MI_Char *)"south";
    MI_Instance_AddElement(south, "Name", &v, MI_STRING, MI_FLAG_KEY);
    MI_Application_NewParameterSet(&app, NULL, &in);
    v.uint32 = 40;
    MI_Instance_AddElement(in, "Offset", &v, MI_UINT32, 0);
    MI_Session session = MI_SESSION_NULL;
    assert_int_equal(MI_Application_NewSession(&app, NULL, NULL, NULL, NULL, NULL, &session),
                     MI_RESULT_OK);
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_Invoke(&session, 0, NULL, NS, NULL, "Calibrate", south, in, NULL, &op);
    const MI_Instance *out = NULL;
    MI_Boolean more;
    const MI_Char *message = NULL;
    MI_Operation_GetInstance(&op, &out, &more, &result, &message, NULL);
    assert_int_equal(result, MI_RESULT_OK);
    assert_non_null(out);
    MI_Type type;
    assert_int_equal(MI_Instance_GetElement(out, "ReturnValue", &v, &type, NULL, NULL),
                     MI_RESULT_OK);
    assert_int_equal(type, MI_UINT32);
    assert_int_equal(v.uint32, 42);
    assert_int_equal(MI_Instance_GetElement(out, "Note", &v, &type, NULL, NULL), MI_RESULT_OK);
    assert_string_equal(v.string, "calibrated");
    assert_int_equal(MI_Instance_GetElement(out, "Offset", &v, &type, NULL, NULL),
                     MI_RESULT_NO_SUCH_PROPERTY); /* an in parameter only */
    MI_Operation_Close(&op);
    MI_Session_Invoke(&session, 0, NULL, NS, NULL, "Explode", south, NULL, NULL, &op);
    MI_Operation_GetInstance(&op, &out, &more, &result, &message, NULL);
    assert_int_equal(result, MI_RESULT_METHOD_NOT_FOUND);
    MI_Operation_Close(&op);
    /* static: the provider says it needs a probe */
    MI_Session_Invoke(&session, 0, NULL, NS, "Hosted_Probe", "Calibrate", NULL, in, NULL, &op);
    MI_Operation_GetInstance(&op, &out, &more, &result, &message, NULL);
    assert_int_equal(result, MI_RESULT_INVALID_PARAMETER);
    assert_non_null(strstr(message, "Calibrate runs on a probe"));
    MI_Operation_Close(&op);
    MI_Session_Close(&session, NULL, NULL);
    /* its class was stored: a session sees it whether or not the provider serves it */
    assert_int_equal(MI_HostedProvider_Close(&provider), MI_RESULT_OK);
    enumerate(&app, got, sizeof got, &result);
    assert_int_equal(result, MI_RESULT_OK);
    assert_string_equal(got, ""); /* no provider, nothing stored */
    /* and the method is declared, but nothing runs it */
    assert_int_equal(MI_Application_NewSession(&app, NULL, NULL, NULL, NULL, NULL, &session),
                     MI_RESULT_OK);
    MI_Session_Invoke(&session, 0, NULL, NS, "Hosted_Probe", "Calibrate", NULL, in, NULL, &op);
    MI_Operation_GetInstance(&op, &out, &more, &result, &message, NULL);
    assert_int_equal(result, MI_RESULT_METHOD_NOT_AVAILABLE);
    MI_Operation_Close(&op);
    MI_Session_Close(&session, NULL, NULL);
    MI_Instance_Delete(in);
    MI_Instance_Delete(south);
    assert_int_equal(MI_HostedProvider_Close(&provider), MI_RESULT_INVALID_PARAMETER);
    MI_Application_Close(&app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hosted_provider),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
