/*
 * A provider module that misbehaves, class by class, for the fault tests: each Faulty_*
 * class answers enumerations wrongly in one way; Faulty_Good answers well.
 *   Faulty_WrongClass  posts an instance of another class it declares
 *   Faulty_NoKey       posts an instance without its key
 *   Faulty_BadType     posts a string where the class has a uint32
 *   Faulty_Hang        never answers (until cancelled, then late)
 *   Faulty_Error       fails with a CIM_ERR_ACCESS_DENIED and a message
 *   Faulty_Crash       dereferences a null pointer (for isolated hosting only)
 *   Faulty_Exit        ends its process (for isolated hosting only)
 *   Faulty_Leak        answers well but leaks a megabyte a call (isolated only)
 * and Faulty_Link, an association of Faulty_Good to Faulty_Good with AssociatorInstances
 * and ReferenceInstances only, which by the source's Name answer well ("fine": Faulty_Good
 * "partner", whatever the filters say; as references also a link between two others,
 * which the engine must drop), with a class it does not associate ("wrong") or as a
 * generated stub does ("stub": MI_RESULT_NOT_SUPPORTED). And Faulty_Census, which asks
 * the engine through its local session (MI_Context_GetLocalSession) for the instances of
 * Faulty_Good (a provider's) and Census_Item (stored, where the test put some) and posts
 * "saw NAME" for each. Faulty_Loads tells how often the module has been loaded and
 * unloaded and how many Faulty_Hang calls saw their cancellation (instances "loads",
 * "unloads" and "cancels", the number as Count); Faulty_Sticky answers
 * well and refuses to be unloaded (MI_Context_RefuseUnload). Faulty_Good has a method,
 * uint32 Echo([In] string Text, [In] uint32 Times, [Out] string Said), run through the
 * class's Invoke: Said is Text Times times, the return value Times.
 */
#include <mi.h>

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct _Faulty {
    MI_Instance __instance;
    MI_ConstStringField Name;
    MI_ConstUint32Field Count;
} Faulty;

#define PROP(CLASS, NAME, TYPE, FLAGS, CODE)                                                       \
    static MI_CONST MI_PropertyDecl CLASS##_##NAME##_prop = {                                      \
        MI_FLAG_PROPERTY | (FLAGS), CODE,         MI_T(#NAME),  NULL, 0, TYPE, NULL, 0,            \
        offsetof(Faulty, NAME),     MI_T(#CLASS), MI_T(#CLASS), NULL}

static void MI_CALL Load(void **self, MI_Module_Self *module, MI_Context *context)
{
    (void)module;
    *self = NULL;
    MI_PostResult(context, MI_RESULT_OK);
}

static void MI_CALL Unload(void *self, MI_Context *context)
{
    (void)self;
    MI_PostResult(context, MI_RESULT_OK);
}

extern MI_CONST MI_ClassDecl Faulty_Good_rtti;

static void post_named(MI_Context *context, const MI_ClassDecl *decl, const char *name)
{
    Faulty f;
    if (MI_ConstructInstance(context, decl, &f.__instance) != MI_RESULT_OK)
        return;
    if (name) {
        MI_Value v;
        v.string = (MI_Char *)name;
        MI_Instance_SetElementAt(&f.__instance, 0, &v, MI_STRING, 0);
    }
    f.Count.value = 3;
    f.Count.exists = MI_TRUE;
    MI_PostInstance(context, &f.__instance);
    MI_Instance_Destruct(&f.__instance);
}

/* Posts "saw NAME" as a Faulty_Census for each instance of class_name the engine has. */
static MI_Result census_of(MI_Context *context, MI_Session *session, const MI_Char *nameSpace,
                           const MI_Char *class_name)
{
    extern MI_CONST MI_ClassDecl Faulty_Census_rtti;
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_EnumerateInstances(session, 0, NULL, nameSpace, class_name, MI_FALSE, NULL, &op);
    MI_Boolean more = MI_TRUE;
    MI_Result result = MI_RESULT_OK;
    while (more) {
        const MI_Instance *inst = NULL;
        const MI_Char *message = NULL;
        const MI_Instance *details = NULL;
        if (MI_Operation_GetInstance(&op, &inst, &more, &result, &message, &details) !=
            MI_RESULT_OK)
            break;
        MI_Value name;
        if (inst &&
            MI_Instance_GetElement(inst, MI_T("Name"), &name, NULL, NULL, NULL) == MI_RESULT_OK) {
            char saw[128] = "saw ";
            strncat(saw, name.string, sizeof saw - 5);
            post_named(context, &Faulty_Census_rtti, saw);
        }
    }
    MI_Operation_Close(&op);
    return result;
}

static int loads, unloads; /* the module's Load and Unload calls */
static int cancels;        /* the Faulty_Hang calls that saw their cancellation */

static void post_counted(MI_Context *context, const MI_ClassDecl *decl, const char *name, int count)
{
    Faulty f;
    if (MI_ConstructInstance(context, decl, &f.__instance) != MI_RESULT_OK)
        return;
    MI_Value v;
    v.string = (MI_Char *)name;
    MI_Instance_SetElementAt(&f.__instance, 0, &v, MI_STRING, 0);
    f.Count.value = (MI_Uint32)count;
    f.Count.exists = MI_TRUE;
    MI_PostInstance(context, &f.__instance);
    MI_Instance_Destruct(&f.__instance);
}

static volatile char *volatile nowhere; /* stays NULL: Faulty_Crash reads through it */

static void MI_CALL Enumerate(void *self, MI_Context *context, const MI_Char *nameSpace,
                              const MI_Char *className, const MI_PropertySet *propertySet,
                              MI_Boolean keysOnly, const MI_Filter *filter)
{
    (void)self, (void)nameSpace, (void)propertySet, (void)keysOnly, (void)filter;
    if (!strcmp(className, "Faulty_Good")) {
        post_named(context, &Faulty_Good_rtti, "fine");
    } else if (!strcmp(className, "Faulty_WrongClass")) {
        post_named(context, &Faulty_Good_rtti, "other");
    } else if (!strcmp(className, "Faulty_NoKey")) {
        extern MI_CONST MI_ClassDecl Faulty_NoKey_rtti;
        post_named(context, &Faulty_NoKey_rtti, NULL);
    } else if (!strcmp(className, "Faulty_BadType")) {
        MI_Instance *inst = NULL;
        MI_Value v;
        MI_NewDynamicInstance(context, MI_T("Faulty_BadType"), 0, &inst);
        v.string = (MI_Char *)"k";
        MI_Instance_AddElement(inst, MI_T("Name"), &v, MI_STRING, MI_FLAG_KEY);
        v.string = (MI_Char *)"three";
        MI_Instance_AddElement(inst, MI_T("Count"), &v, MI_STRING, 0);
        MI_PostInstance(context, inst);
        MI_Instance_Delete(inst);
    } else if (!strcmp(className, "Faulty_Hang")) {
        MI_Boolean cancelled = MI_FALSE;
        for (int i = 0; i < 300 && !cancelled; i++) { /* at most 3 s, then it answers late */
            usleep(10000);
            MI_Canceled(context, &cancelled);
        }
        cancels += cancelled != MI_FALSE;
        post_named(context, &Faulty_Good_rtti, "late"); /* refused: the reader is gone */
    } else if (!strcmp(className, "Faulty_Crash")) {
        post_named(context, &Faulty_Good_rtti, (const char *)(size_t)*nowhere);
    } else if (!strcmp(className, "Faulty_Exit")) {
        _exit(3);
    } else if (!strcmp(className, "Faulty_Leak")) {
        extern MI_CONST MI_ClassDecl Faulty_Leak_rtti;
        char *lost = malloc(1 << 20);
        if (lost)
            memset(lost, 'x', 1 << 20);
        post_named(context, &Faulty_Leak_rtti, lost ? "leaked" : "not leaked");
    } else if (!strcmp(className, "Faulty_Census")) {
        MI_Session session;
        MI_Result r = MI_Context_GetLocalSession(context, &session);
        if (r == MI_RESULT_OK)
            r = census_of(context, &session, nameSpace, MI_T("Faulty_Good"));
        if (r == MI_RESULT_OK)
            r = census_of(context, &session, nameSpace, MI_T("Census_Item"));
        if (r != MI_RESULT_OK) {
            MI_PostError(context, r, MI_RESULT_TYPE_MI, MI_T("the census failed"));
            return;
        }
    } else if (!strcmp(className, "Faulty_Loads")) {
        extern MI_CONST MI_ClassDecl Faulty_Loads_rtti;
        post_counted(context, &Faulty_Loads_rtti, "loads", loads);
        post_counted(context, &Faulty_Loads_rtti, "unloads", unloads);
        post_counted(context, &Faulty_Loads_rtti, "cancels", cancels);
    } else if (!strcmp(className, "Faulty_Sticky")) {
        extern MI_CONST MI_ClassDecl Faulty_Sticky_rtti;
        MI_RefuseUnload(context);
        post_named(context, &Faulty_Sticky_rtti, "sticky");
    } else if (!strcmp(className, "Faulty_Error")) {
        MI_PostError(context, MI_RESULT_ACCESS_DENIED, MI_RESULT_TYPE_MI,
                     MI_T("the widgets are locked"));
        return;
    }
    MI_PostResult(context, MI_RESULT_OK);
}

typedef struct _Faulty_Echo {
    MI_Instance __instance;
    MI_ConstUint32Field MIReturn;
    MI_ConstStringField Text;
    MI_ConstUint32Field Times;
    MI_ConstStringField Said;
} Faulty_Echo;

#define PARAM(NAME, TYPE, FLAGS, CODE)                                                             \
    static MI_CONST MI_ParameterDecl Echo_##NAME##_param = {                                       \
        MI_FLAG_PARAMETER | (FLAGS), CODE, MI_T(#NAME), NULL, 0, TYPE, NULL, 0,                    \
        offsetof(Faulty_Echo, NAME)}
PARAM(MIReturn, MI_UINT32, MI_FLAG_OUT, 0x006d6e08);
PARAM(Text, MI_STRING, MI_FLAG_IN, 0x00747404);
PARAM(Times, MI_UINT32, MI_FLAG_IN, 0x00747305);
PARAM(Said, MI_STRING, MI_FLAG_OUT, 0x00736404);
static MI_ParameterDecl MI_CONST *MI_CONST echo_params[] = {&Echo_MIReturn_param, &Echo_Text_param,
                                                            &Echo_Times_param, &Echo_Said_param};
static MI_CONST MI_MethodDecl echo_rtti = {MI_FLAG_METHOD,
                                           0x00656f04,
                                           MI_T("Echo"),
                                           NULL,
                                           0,
                                           echo_params,
                                           4,
                                           sizeof(Faulty_Echo),
                                           MI_UINT32,
                                           MI_T("Faulty_Good"),
                                           MI_T("Faulty_Good"),
                                           NULL,
                                           NULL};
static MI_MethodDecl MI_CONST *MI_CONST good_methods[] = {&echo_rtti};

static void MI_CALL Invoke(void *self, MI_Context *context, const MI_Char *nameSpace,
                           const MI_Char *className, const MI_Char *methodName,
                           const MI_Instance *instanceName, const MI_Instance *inputParameters)
{
    (void)self, (void)nameSpace, (void)className, (void)instanceName;
    const Faulty_Echo *in = (const Faulty_Echo *)inputParameters;
    if (strcmp(methodName, "Echo") != 0) {
        MI_PostResult(context, MI_RESULT_METHOD_NOT_FOUND);
        return;
    }
    char said[256] = "";
    MI_Uint32 times = in->Times.exists ? in->Times.value : 1;
    for (MI_Uint32 i = 0; i < times && in->Text.exists; i++)
        strncat(said, in->Text.value, sizeof said - strlen(said) - 1);
    Faulty_Echo out;
    MI_ConstructParameters(context, &echo_rtti, &out.__instance);
    out.MIReturn.value = times;
    out.MIReturn.exists = MI_TRUE;
    out.Said.value = said;
    out.Said.exists = MI_TRUE;
    MI_PostInstance(context, &out.__instance);
    MI_Instance_Destruct(&out.__instance);
    MI_PostResult(context, MI_RESULT_OK);
}

static MI_CONST MI_ProviderFT funcs = {Load, Unload, NULL, Enumerate, NULL, NULL, NULL,
                                       NULL, NULL,   NULL, NULL,      NULL, NULL, Invoke};

typedef struct _Faulty_Link {
    MI_Instance __instance;
    MI_ConstReferenceField Left;
    MI_ConstReferenceField Right;
} Faulty_Link;

/* The Name key of a Faulty_Good source, or NULL. */
static const char *source_name(const MI_Instance *source)
{
    MI_Value name;
    MI_Type type;
    if (!source ||
        MI_Instance_GetElement(source, MI_T("Name"), &name, &type, NULL, NULL) != MI_RESULT_OK ||
        type != MI_STRING)
        return NULL;
    return name.string;
}

static void MI_CALL Associators(void *self, MI_Context *context, const MI_Char *nameSpace,
                                const MI_Char *className, const MI_Instance *instanceName,
                                const MI_Char *resultClass, const MI_Char *role,
                                const MI_Char *resultRole, const MI_PropertySet *propertySet,
                                MI_Boolean keysOnly, const MI_Filter *filter)
{
    (void)self, (void)nameSpace, (void)className, (void)resultClass, (void)role;
    (void)resultRole, (void)propertySet, (void)keysOnly, (void)filter;
    const char *name = source_name(instanceName);
    if (!name) {
        MI_PostResult(context, MI_RESULT_INVALID_PARAMETER);
        return;
    }
    if (!strcmp(name, "fine")) {
        post_named(context, &Faulty_Good_rtti, "partner");
    } else if (!strcmp(name, "wrong")) {
        extern MI_CONST MI_ClassDecl Faulty_Leak_rtti;
        post_named(context, &Faulty_Leak_rtti, "stranger");
    } else if (!strcmp(name, "stub")) {
        MI_PostResult(context, MI_RESULT_NOT_SUPPORTED);
        return;
    }
    MI_PostResult(context, MI_RESULT_OK);
}

/* A Faulty_Link from left to right (Faulty_Good names). */
static void post_link(MI_Context *context, const char *left, const char *right)
{
    extern MI_CONST MI_ClassDecl Faulty_Link_rtti;
    MI_Instance *link = NULL, *ends[2] = {NULL, NULL};
    const char *names[2] = {left, right};
    if (MI_NewInstance(context, &Faulty_Link_rtti, &link) != MI_RESULT_OK)
        return;
    for (int i = 0; i < 2; i++) {
        MI_Value v;
        if (MI_NewInstance(context, &Faulty_Good_rtti, &ends[i]) != MI_RESULT_OK)
            continue;
        v.string = (MI_Char *)names[i];
        MI_Instance_SetElement(ends[i], MI_T("Name"), &v, MI_STRING, 0);
        v.reference = ends[i];
        MI_Instance_SetElement(link, i ? MI_T("Right") : MI_T("Left"), &v, MI_REFERENCE, 0);
        MI_Instance_Delete(ends[i]);
    }
    MI_PostInstance(context, link);
    MI_Instance_Delete(link);
}

static void MI_CALL References(void *self, MI_Context *context, const MI_Char *nameSpace,
                               const MI_Char *className, const MI_Instance *instanceName,
                               const MI_Char *role, const MI_PropertySet *propertySet,
                               MI_Boolean keysOnly, const MI_Filter *filter)
{
    (void)self, (void)nameSpace, (void)className, (void)role, (void)propertySet;
    (void)keysOnly, (void)filter;
    const char *name = source_name(instanceName);
    if (!name) {
        MI_PostResult(context, MI_RESULT_INVALID_PARAMETER);
        return;
    }
    if (!strcmp(name, "fine")) {
        post_link(context, "fine", "partner");
        post_link(context, "someone", "else"); /* not the source's: dropped */
    } else if (!strcmp(name, "wrong")) {
        post_named(context, &Faulty_Good_rtti, "not a link");
    } else if (!strcmp(name, "stub")) {
        MI_PostResult(context, MI_RESULT_NOT_SUPPORTED);
        return;
    }
    MI_PostResult(context, MI_RESULT_OK);
}

static MI_CONST MI_ProviderFT link_funcs = {Load,        Unload,     NULL, NULL, NULL, NULL, NULL,
                                            Associators, References, NULL, NULL, NULL, NULL, NULL};

#define REF(NAME, CODE)                                                                            \
    static MI_CONST MI_PropertyDecl Faulty_Link_##NAME##_prop = {MI_FLAG_PROPERTY | MI_FLAG_KEY,   \
                                                                 CODE,                             \
                                                                 MI_T(#NAME),                      \
                                                                 NULL,                             \
                                                                 0,                                \
                                                                 MI_REFERENCE,                     \
                                                                 MI_T("Faulty_Good"),              \
                                                                 0,                                \
                                                                 offsetof(Faulty_Link, NAME),      \
                                                                 MI_T("Faulty_Link"),              \
                                                                 MI_T("Faulty_Link"),              \
                                                                 NULL}
REF(Left, 0x006c7404);
REF(Right, 0x00727405);
static MI_PropertyDecl MI_CONST *MI_CONST Faulty_Link_props[] = {&Faulty_Link_Left_prop,
                                                                 &Faulty_Link_Right_prop};
MI_CONST MI_ClassDecl Faulty_Link_rtti = {MI_FLAG_CLASS | MI_FLAG_ASSOCIATION,
                                          0,
                                          MI_T("Faulty_Link"),
                                          NULL,
                                          0,
                                          Faulty_Link_props,
                                          2,
                                          sizeof(Faulty_Link),
                                          NULL,
                                          NULL,
                                          NULL,
                                          0,
                                          NULL,
                                          &link_funcs,
                                          NULL};

#define CLASS(NAME)                                                                                \
    PROP(NAME, Name, MI_STRING, MI_FLAG_KEY, 0x006e6504);                                          \
    PROP(NAME, Count, MI_UINT32, 0, 0x00637405);                                                   \
    static MI_PropertyDecl MI_CONST *MI_CONST NAME##_props[] = {&NAME##_Name_prop,                 \
                                                                &NAME##_Count_prop};               \
    MI_CONST MI_ClassDecl NAME##_rtti = {MI_FLAG_CLASS, 0, MI_T(#NAME),    NULL,   0,              \
                                         NAME##_props,  2, sizeof(Faulty), NULL,   NULL,           \
                                         NULL,          0, NULL,           &funcs, NULL}

PROP(Faulty_Good, Name, MI_STRING, MI_FLAG_KEY, 0x006e6504);
PROP(Faulty_Good, Count, MI_UINT32, 0, 0x00637405);
static MI_PropertyDecl MI_CONST *MI_CONST Faulty_Good_props[] = {&Faulty_Good_Name_prop,
                                                                 &Faulty_Good_Count_prop};
MI_CONST MI_ClassDecl Faulty_Good_rtti = {MI_FLAG_CLASS,
                                          0,
                                          MI_T("Faulty_Good"),
                                          NULL,
                                          0,
                                          Faulty_Good_props,
                                          2,
                                          sizeof(Faulty),
                                          NULL,
                                          NULL,
                                          good_methods,
                                          1,
                                          NULL,
                                          &funcs,
                                          NULL};
CLASS(Faulty_WrongClass);
CLASS(Faulty_NoKey);
CLASS(Faulty_BadType);
CLASS(Faulty_Hang);
CLASS(Faulty_Error);
CLASS(Faulty_Crash);
CLASS(Faulty_Exit);
CLASS(Faulty_Leak);
CLASS(Faulty_Census);
CLASS(Faulty_Loads);
CLASS(Faulty_Sticky);

static MI_ClassDecl MI_CONST *MI_CONST classes[] = {
    &Faulty_Good_rtti,   &Faulty_WrongClass_rtti, &Faulty_NoKey_rtti,  &Faulty_BadType_rtti,
    &Faulty_Hang_rtti,   &Faulty_Error_rtti,      &Faulty_Crash_rtti,  &Faulty_Exit_rtti,
    &Faulty_Leak_rtti,   &Faulty_Link_rtti,       &Faulty_Census_rtti, &Faulty_Loads_rtti,
    &Faulty_Sticky_rtti,
};

static MI_SchemaDecl schema = {NULL, 0, classes, 13};

static void MI_CALL ModuleLoad(MI_Module_Self **self, MI_Context *context)
{
    *self = NULL;
    loads++;
    MI_PostResult(context, MI_RESULT_OK);
}

static void MI_CALL ModuleUnload(MI_Module_Self *self, MI_Context *context)
{
    (void)self;
    unloads++;
    MI_PostResult(context, MI_RESULT_OK);
}

MI_EXPORT MI_Module *MI_MAIN_CALL MI_Main(MI_Server *server);

MI_Module *MI_MAIN_CALL MI_Main(MI_Server *server)
{
    static MI_Module module;
    (void)server;
    module.version = MI_VERSION;
    module.charSize = sizeof(MI_Char);
    module.schemaDecl = &schema;
    module.Load = ModuleLoad;
    module.Unload = ModuleUnload;
    return &module;
}
