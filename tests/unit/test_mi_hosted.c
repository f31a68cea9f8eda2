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
                                           NULL,
                                           0,
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
    /* its class was stored: a session sees it whether or not the provider serves it */
    assert_int_equal(MI_HostedProvider_Close(&provider), MI_RESULT_OK);
    enumerate(&app, got, sizeof got, &result);
    assert_int_equal(result, MI_RESULT_OK);
    assert_string_equal(got, ""); /* no provider, nothing stored */
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
