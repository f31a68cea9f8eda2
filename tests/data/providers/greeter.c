/*
 * A provider written the way WMIv2 and OMI providers are: a module with its schema (the
 * static class declarations), a provider function table for its class, and MI_Main. It
 * serves Demo_Greeter (key Name) and answers through the MI_Context. The header test
 * compiles it as C and as C++ against include/mi.h.
 */
#include <mi.h>

#include <stddef.h>

typedef struct _Demo_Greeter {
    MI_Instance __instance;
    struct {
        MI_CONST MI_Char *value;
        MI_Boolean exists;
        MI_Uint8 flags;
    } Name;
    struct {
        MI_Uint32 value;
        MI_Boolean exists;
        MI_Uint8 flags;
    } Count;
} Demo_Greeter;

static MI_CONST MI_PropertyDecl Demo_Greeter_Name_prop = {
    MI_FLAG_PROPERTY | MI_FLAG_KEY, /* flags */
    0x006E6504,                     /* code */
    MI_T("Name"),                   /* name */
    NULL,                           /* qualifiers */
    0,                              /* numQualifiers */
    MI_STRING,                      /* type */
    NULL,                           /* className */
    0,                              /* subscript */
    offsetof(Demo_Greeter, Name),   /* offset */
    MI_T("Demo_Greeter"),           /* origin */
    MI_T("Demo_Greeter"),           /* propagator */
    NULL,                           /* value */
};

static MI_CONST MI_PropertyDecl Demo_Greeter_Count_prop = {
    MI_FLAG_PROPERTY,
    0x00637405,
    MI_T("Count"),
    NULL,
    0,
    MI_UINT32,
    NULL,
    0,
    offsetof(Demo_Greeter, Count),
    MI_T("Demo_Greeter"),
    MI_T("Demo_Greeter"),
    NULL,
};

static MI_PropertyDecl MI_CONST *MI_CONST Demo_Greeter_props[] = {
    &Demo_Greeter_Name_prop,
    &Demo_Greeter_Count_prop,
};

static void MI_CALL Demo_Greeter_Load(void **self, MI_Module_Self *selfModule, MI_Context *context)
{
    (void)selfModule;
    *self = NULL;
    MI_Context_PostResult(context, MI_RESULT_OK);
}

static void MI_CALL Demo_Greeter_Unload(void *self, MI_Context *context)
{
    (void)self;
    MI_Context_PostResult(context, MI_RESULT_OK);
}

/* declared ahead, as generated provider code does: the provider functions use it */
extern MI_CONST MI_ClassDecl Demo_Greeter_rtti;

static void MI_CALL Demo_Greeter_EnumerateInstances(void *self, MI_Context *context,
                                                    const MI_Char *nameSpace,
                                                    const MI_Char *className,
                                                    const MI_PropertySet *propertySet,
                                                    MI_Boolean keysOnly, const MI_Filter *filter)
{
    (void)self, (void)nameSpace, (void)className, (void)propertySet, (void)keysOnly, (void)filter;
    Demo_Greeter greeter;
    MI_Result r = MI_Context_ConstructInstance(context, &Demo_Greeter_rtti, &greeter.__instance);
    if (r != MI_RESULT_OK) {
        MI_Context_PostResult(context, r);
        return;
    }
    MI_Value v;
    v.string = (MI_Char *)MI_T("world");
    MI_Instance_SetElement(&greeter.__instance, MI_T("Name"), &v, MI_STRING, 0);
    MI_Boolean canceled = MI_FALSE;
    MI_Context_Canceled(context, &canceled);
    if (!canceled)
        MI_Context_PostInstance(context, &greeter.__instance);
    MI_Instance_Destruct(&greeter.__instance);
    MI_Context_WriteVerbose(context, MI_T("one greeter posted"));
    MI_Context_PostResult(context, MI_RESULT_OK);
}

static void MI_CALL Demo_Greeter_GetInstance(void *self, MI_Context *context,
                                             const MI_Char *nameSpace, const MI_Char *className,
                                             const MI_Instance *instanceName,
                                             const MI_PropertySet *propertySet)
{
    (void)self, (void)nameSpace, (void)className, (void)instanceName, (void)propertySet;
    MI_Context_PostError(context, MI_RESULT_NOT_FOUND, MI_RESULT_TYPE_MI, MI_T("no such greeter"));
}

static void MI_CALL Demo_Greeter_Invoke(void *self, MI_Context *context, const MI_Char *nameSpace,
                                        const MI_Char *className, const MI_Char *methodName,
                                        const MI_Instance *instanceName,
                                        const MI_Instance *inputParameters)
{
    (void)self, (void)nameSpace, (void)className, (void)methodName, (void)instanceName,
        (void)inputParameters;
    MI_Session session;
    if (MI_Context_GetLocalSession(context, &session) != MI_RESULT_OK) {
        MI_Context_PostResult(context, MI_RESULT_FAILED);
        return;
    }
    MI_Context_PostResult(context, MI_RESULT_METHOD_NOT_AVAILABLE);
}

static MI_CONST MI_ProviderFT Demo_Greeter_funcs = {
    Demo_Greeter_Load,
    Demo_Greeter_Unload,
    Demo_Greeter_GetInstance,
    Demo_Greeter_EnumerateInstances,
    NULL, /* CreateInstance */
    NULL, /* ModifyInstance */
    NULL, /* DeleteInstance */
    NULL, /* AssociatorInstances */
    NULL, /* ReferenceInstances */
    NULL, /* EnableIndications */
    NULL, /* DisableIndications */
    NULL, /* Subscribe */
    NULL, /* Unsubscribe */
    Demo_Greeter_Invoke,
};

MI_CONST MI_ClassDecl Demo_Greeter_rtti = {
    MI_FLAG_CLASS,        /* flags */
    0x00647207,           /* code */
    MI_T("Demo_Greeter"), /* name */
    NULL,                 /* qualifiers */
    0,                    /* numQualifiers */
    Demo_Greeter_props,   /* properties */
    2,                    /* numProperties */
    sizeof(Demo_Greeter), /* size */
    NULL,                 /* superClass */
    NULL,                 /* superClassDecl */
    NULL,                 /* methods */
    0,                    /* numMethods */
    NULL,                 /* schema */
    &Demo_Greeter_funcs,  /* providerFT */
    NULL,                 /* owningClass */
};

static MI_ClassDecl MI_CONST *MI_CONST classes[] = {&Demo_Greeter_rtti};

static MI_SchemaDecl schema = {NULL, 0, classes, 1};

static void MI_CALL Load(MI_Module_Self **self, MI_Context *context)
{
    *self = NULL;
    MI_Context_PostResult(context, MI_RESULT_OK);
}

static void MI_CALL Unload(MI_Module_Self *self, MI_Context *context)
{
    (void)self;
    MI_Context_PostResult(context, MI_RESULT_OK);
}

#ifdef __cplusplus
extern "C"
#endif
    MI_Module *MI_MAIN_CALL
    MI_Main(MI_Server *server)
{
    static MI_Module module;
    module.version = 0x00010000;
    module.generatorVersion = 0x00010000;
    module.flags = MI_MODULE_FLAG_STANDARD_QUALIFIERS | MI_MODULE_FLAG_BOOLEANS;
    module.charSize = sizeof(MI_Char);
    module.schemaDecl = &schema;
    module.Load = Load;
    module.Unload = Unload;
    module.dynamicProviderFT = NULL;
    (void)server;
    return &module;
}
