/*
 * synthetic_provider — a provider module for the provider benchmark: Bench_Item (key
 * Name, Value) whose enumeration posts BENCH_ITEMS instances (default 100000), each
 * built in the provider's own structure as generated code builds them.
 */
#include <mi.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct _Bench_Item {
    MI_Instance __instance;
    MI_ConstStringField Name;
    MI_ConstUint64Field Value;
} Bench_Item;

static MI_CONST MI_PropertyDecl name_prop = {MI_FLAG_PROPERTY | MI_FLAG_KEY,
                                             0,
                                             MI_T("Name"),
                                             NULL,
                                             0,
                                             MI_STRING,
                                             NULL,
                                             0,
                                             offsetof(Bench_Item, Name),
                                             MI_T("Bench_Item"),
                                             MI_T("Bench_Item"),
                                             NULL};
static MI_CONST MI_PropertyDecl value_prop = {MI_FLAG_PROPERTY,
                                              0,
                                              MI_T("Value"),
                                              NULL,
                                              0,
                                              MI_UINT64,
                                              NULL,
                                              0,
                                              offsetof(Bench_Item, Value),
                                              MI_T("Bench_Item"),
                                              MI_T("Bench_Item"),
                                              NULL};
static MI_PropertyDecl MI_CONST *MI_CONST props[] = {&name_prop, &value_prop};

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

MI_EXTERN_C MI_CONST MI_ClassDecl Bench_Item_rtti;

static void MI_CALL Enumerate(void *self, MI_Context *context, const MI_Char *nameSpace,
                              const MI_Char *className, const MI_PropertySet *propertySet,
                              MI_Boolean keysOnly, const MI_Filter *filter)
{
    (void)self, (void)nameSpace, (void)className, (void)propertySet, (void)keysOnly, (void)filter;
    const char *given = getenv("BENCH_ITEMS");
    unsigned long n = given ? strtoul(given, NULL, 10) : 100000;
    Bench_Item item;
    MI_Result r = MI_ConstructInstance(context, &Bench_Item_rtti, &item.__instance);
    char name[32];
    for (unsigned long i = 0; r == MI_RESULT_OK && i < n; i++) {
        snprintf(name, sizeof name, "item%lu", i);
        const MI_Char *p = name;
        item.__instance.ft->SetElementAt(&item.__instance, 0, (MI_Value *)&p, MI_STRING,
                                         MI_FLAG_BORROW);
        item.Value.value = i;
        item.Value.exists = MI_TRUE;
        r = MI_PostInstance(context, &item.__instance);
    }
    MI_Instance_Destruct(&item.__instance);
    MI_PostResult(context, MI_RESULT_OK);
}

static MI_CONST MI_ProviderFT funcs = {Load, Unload, NULL, Enumerate, NULL, NULL, NULL,
                                       NULL, NULL,   NULL, NULL,      NULL, NULL, NULL};

MI_CONST MI_ClassDecl Bench_Item_rtti = {MI_FLAG_CLASS,
                                         0,
                                         MI_T("Bench_Item"),
                                         NULL,
                                         0,
                                         props,
                                         2,
                                         sizeof(Bench_Item),
                                         NULL,
                                         NULL,
                                         NULL,
                                         0,
                                         NULL,
                                         &funcs,
                                         NULL};

static MI_ClassDecl MI_CONST *MI_CONST classes[] = {&Bench_Item_rtti};
static MI_SchemaDecl schema = {NULL, 0, classes, 1};

MI_EXTERN_C MI_EXPORT MI_Module *MI_MAIN_CALL MI_Main(MI_Server *server);

MI_Module *MI_MAIN_CALL MI_Main(MI_Server *server)
{
    static MI_Module module;
    (void)server;
    module.version = MI_VERSION;
    module.charSize = sizeof(MI_Char);
    module.schemaDecl = &schema;
    return &module;
}
