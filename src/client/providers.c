/*
 * providers — MI_Libmi_RegisterProvider, MI_Libmi_UnregisterProvider and
 * MI_Libmi_ListProviders over the repository of a local session.
 */
#include "errors.h"
#include "provider/registration.h"
#include "session.h"

#include <mi.h>
#include <stdlib.h>

/* The failure as the caller's CIM_Error, and its code. */
static MI_Result fail(MI_Instance **extended_error, MI_Result code, const char *message)
{
    if (extended_error)
        *extended_error = mi_error_instance(code, message);
    return code;
}

static mi_repository *local_repository(MI_Session *session, MI_Instance **extended_error)
{
    mi_repository *repo = session ? mi_session_repository(session) : NULL;
    if (!repo)
        fail(extended_error, MI_RESULT_NOT_SUPPORTED,
             "providers are registered in a local repository: this session is not local");
    return repo;
}

MI_Result MI_CALL MI_Libmi_RegisterProvider(MI_Session *session, const MI_Char *modulePath,
                                            const MI_Char *nameSpace, MI_Uint32 flags,
                                            MI_Libmi_ProviderStats *stats,
                                            MI_Instance **extendedError)
{
    if (extendedError)
        *extendedError = NULL;
    if (stats)
        *stats = (MI_Libmi_ProviderStats){0, 0, 0};
    if (!modulePath || !*modulePath)
        return fail(extendedError, MI_RESULT_INVALID_PARAMETER, "no provider module given");
    mi_repository *repo = local_repository(session, extendedError);
    if (!repo)
        return MI_RESULT_NOT_SUPPORTED;
    mi_provider_report report;
    mi_error err = {0};
    MI_Result r =
        mi_provider_register(repo, modulePath, nameSpace && *nameSpace ? nameSpace : "root/cimv2",
                             (flags & MI_LIBMI_PROVIDER_ISOLATED) != 0, &report, &err);
    if (r != MI_RESULT_OK)
        return fail(extendedError, r, err.message);
    if (stats)
        *stats = (MI_Libmi_ProviderStats){report.classes_stored, report.classes_present,
                                          report.classes_served};
    return MI_RESULT_OK;
}

MI_Result MI_CALL MI_Libmi_UnregisterProvider(MI_Session *session, const MI_Char *modulePath,
                                              const MI_Char *nameSpace, MI_Uint32 *removed,
                                              MI_Instance **extendedError)
{
    if (extendedError)
        *extendedError = NULL;
    if (removed)
        *removed = 0;
    if (!modulePath || !*modulePath)
        return fail(extendedError, MI_RESULT_INVALID_PARAMETER, "no provider module given");
    mi_repository *repo = local_repository(session, extendedError);
    if (!repo)
        return MI_RESULT_NOT_SUPPORTED;
    size_t count = 0;
    mi_error err = {0};
    MI_Result r = mi_provider_unregister(repo, modulePath, nameSpace, &count, &err);
    if (r != MI_RESULT_OK)
        return fail(extendedError, r, err.message);
    if (removed)
        *removed = (MI_Uint32)count;
    return MI_RESULT_OK;
}

MI_Result MI_CALL MI_Libmi_ListProviders(MI_Session *session, MI_Libmi_ProviderCallback callback,
                                         void *context, MI_Instance **extendedError)
{
    if (extendedError)
        *extendedError = NULL;
    if (!callback)
        return fail(extendedError, MI_RESULT_INVALID_PARAMETER, "no callback given");
    mi_repository *repo = local_repository(session, extendedError);
    if (!repo)
        return MI_RESULT_NOT_SUPPORTED;
    mi_provider_registration *regs;
    size_t count;
    mi_error err = {0};
    MI_Result r = mi_repository_providers(repo, &regs, &count, &err);
    if (r != MI_RESULT_OK)
        return fail(extendedError, r, err.message);
    for (size_t i = 0; i < count; i++) {
        MI_Libmi_ProviderRegistration one = {regs[i].ns, regs[i].class_name, regs[i].module,
                                             regs[i].isolated ? MI_LIBMI_PROVIDER_ISOLATED : 0};
        callback(context, &one);
    }
    mi_provider_registrations_free(regs, count);
    return MI_RESULT_OK;
}
