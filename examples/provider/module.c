/*
 * The module: what MI_Main hands the server (the schema, and the module's own Load and
 * Unload).
 */
#include <mi.h>

MI_EXTERN_C MI_SchemaDecl schemaDecl;

static void MI_CALL Load(MI_Module_Self **self, MI_Context *context)
{
    *self = NULL;
    MI_PostResult(context, MI_RESULT_OK);
}

static void MI_CALL Unload(MI_Module_Self *self, MI_Context *context)
{
    (void)self;
    MI_PostResult(context, MI_RESULT_OK);
}

MI_EXTERN_C MI_EXPORT MI_Module *MI_MAIN_CALL MI_Main(MI_Server *server);

MI_Module *MI_MAIN_CALL MI_Main(MI_Server *server)
{
    static MI_Module module;
    (void)server;
    module.version = MI_VERSION;
    module.generatorVersion = MI_VERSION;
    module.flags = MI_MODULE_FLAG_STANDARD_QUALIFIERS;
    module.charSize = sizeof(MI_Char);
    module.schemaDecl = &schemaDecl;
    module.Load = Load;
    module.Unload = Unload;
    return &module;
}
