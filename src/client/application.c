/*
 * application — MI_Application_Initialize and the application function table: the
 * factory for sessions, instances and option sets.
 */
#include "core/class_decl.h"
#include "core/class_object.h"
#include "core/instance.h"
#include "core/name.h"
#include "errors.h"
#include "hosted.h"
#include "options.h"
#include "serializer.h"
#include "session.h"

#include <mi.h>
#include <stdlib.h>
#include <string.h>

#define APPLICATION_MAGIC 0x6c69626d69617070ull /* "libmiapp" */

static const MI_ApplicationFT application_ft;

static MI_Result ft_close(MI_Application *application)
{
    memset(application, 0, sizeof *application);
    return MI_RESULT_OK;
}

static MI_Result ft_new_session(MI_Application *application, const MI_Char *protocol,
                                const MI_Char *destination, MI_DestinationOptions *options,
                                MI_SessionCallbacks *callbacks, MI_Instance **extended_error,
                                MI_Session *session)
{
    (void)callbacks;
    return mi_session_new(application, protocol, destination, options, extended_error, session);
}

/* ---- hosted providers ---- */

static MI_Result MI_CALL hosted_close(MI_HostedProvider *provider)
{
    if (!provider || !provider->reserved2)
        return MI_RESULT_INVALID_PARAMETER;
    MI_Result r = mi_hosted_remove(provider->reserved1);
    free((MI_Application *)provider->reserved2);
    memset(provider, 0, sizeof *provider);
    return r;
}

static MI_Result MI_CALL hosted_get_application(MI_HostedProvider *provider,
                                                MI_Application *application)
{
    if (!provider || !provider->reserved2 || !application)
        return MI_RESULT_INVALID_PARAMETER;
    *application = *(MI_Application *)provider->reserved2;
    return MI_RESULT_OK;
}

static const MI_HostedProviderFT hosted_ft = {hosted_close, hosted_get_application};

/* The provider mi_Main gives serves local sessions of this process opened from now on
 * (libmi's way of hosting a provider in a program: see docs/PROVIDERS.md). */
static MI_Result ft_new_hosted_provider(MI_Application *application, const MI_Char *ns,
                                        const MI_Char *provider, MI_MainFunction main_function,
                                        MI_Instance **extended_error, MI_HostedProvider *out)
{
    if (extended_error)
        *extended_error = NULL;
    if (!out)
        return MI_RESULT_INVALID_PARAMETER;
    memset(out, 0, sizeof *out);
    if (!ns || !*ns || !provider || !*provider || !main_function) {
        if (extended_error)
            *extended_error =
                mi_error_instance(MI_RESULT_INVALID_PARAMETER,
                                  "a hosted provider needs a namespace, a name and its MI_Main");
        return MI_RESULT_INVALID_PARAMETER;
    }
    MI_Application *copy = malloc(sizeof *copy);
    if (!copy)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    *copy = *application;
    uint64_t id = 0;
    MI_Result r = mi_hosted_add(ns, provider, main_function, &id);
    if (r != MI_RESULT_OK) {
        free(copy);
        if (extended_error && r == MI_RESULT_ALREADY_EXISTS)
            *extended_error = mi_error_instance(r, "a provider of that name is hosted for that "
                                                   "namespace already");
        return r;
    }
    out->reserved1 = id;
    out->reserved2 = (ptrdiff_t)copy;
    out->ft = &hosted_ft;
    return MI_RESULT_OK;
}

/* A dynamic instance, or with rtti one typed and keyed as that declaration says. */
static MI_Result ft_new_instance(MI_Application *application, const MI_Char *class_name,
                                 const MI_ClassDecl *rtti, MI_Instance **instance)
{
    (void)application;
    if (!instance)
        return MI_RESULT_INVALID_PARAMETER;
    *instance = NULL;
    if (!rtti)
        return mi_instance_new(instance, class_name, NULL, NULL);
    mi_class *cls = NULL;
    MI_Result r = mi_class_from_decl(rtti, &cls, NULL);
    if (r == MI_RESULT_OK && class_name && !mi_name_equal(class_name, cls->name))
        r = MI_RESULT_INVALID_PARAMETER;
    if (r == MI_RESULT_OK)
        r = mi_instance_new(instance, cls->name, cls, NULL);
    mi_class_unref(cls);
    return r;
}

static MI_Result ft_new_destination_options(MI_Application *application,
                                            MI_DestinationOptions *options)
{
    (void)application;
    if (!options)
        return MI_RESULT_INVALID_PARAMETER;
    return mi_destination_options_new(options);
}

static MI_Result ft_new_operation_options(MI_Application *application, MI_Boolean must_understand,
                                          MI_OperationOptions *options)
{
    (void)application;
    if (!options)
        return MI_RESULT_INVALID_PARAMETER;
    return mi_operation_options_new(must_understand, options);
}

static MI_Result ft_new_subscription_options(MI_Application *application,
                                             MI_SubscriptionDeliveryType type,
                                             MI_SubscriptionDeliveryOptions *options)
{
    (void)application;
    return mi_subscription_options_new(type, options);
}

static MI_Result ft_new_serializer(MI_Application *application, MI_Uint32 flags, MI_Char *format,
                                   MI_Serializer *serializer)
{
    (void)application;
    return mi_serializer_new(flags, format, serializer);
}

static MI_Result ft_new_deserializer(MI_Application *application, MI_Uint32 flags, MI_Char *format,
                                     MI_Deserializer *deserializer)
{
    (void)application;
    return mi_deserializer_new(flags, format, deserializer);
}

/* An instance of the class an MI_Class describes (GetClass's, or MI_Instance_GetClass's),
 * in the class's namespace: its properties typed and flagged as the class declares them,
 * NULL until set. */
static MI_Result ft_new_instance_from_class(MI_Application *application, const MI_Char *class_name,
                                            const MI_Class *class_object, MI_Instance **instance)
{
    (void)application;
    if (!instance)
        return MI_RESULT_INVALID_PARAMETER;
    *instance = NULL;
    mi_class *cls = mi_class_object_class(class_object);
    if (!cls)
        return MI_RESULT_INVALID_PARAMETER; /* NULL, or not a class of this library */
    if (class_name && !mi_name_equal(class_name, cls->name))
        return MI_RESULT_INVALID_PARAMETER;
    MI_Result r = mi_instance_new(instance, cls->name, cls, NULL);
    if (r == MI_RESULT_OK && class_object->namespaceName &&
        (r = MI_Instance_SetNameSpace(*instance, class_object->namespaceName)) != MI_RESULT_OK) {
        mi_instance_delete(*instance);
        *instance = NULL;
    }
    return r;
}

/* The class a static declaration describes, as an MI_Class in namespace ns. */
static MI_Result ft_new_class(MI_Application *application, const MI_ClassDecl *decl,
                              const MI_Char *ns, const MI_Char *server, MI_Class **out)
{
    (void)application, (void)server;
    if (!out)
        return MI_RESULT_INVALID_PARAMETER;
    *out = NULL;
    mi_class *cls = NULL;
    MI_Result r = mi_class_from_decl(decl, &cls, NULL);
    if (r == MI_RESULT_OK)
        r = mi_class_object_new(cls, ns, out);
    mi_class_unref(cls);
    return r;
}

static const MI_ApplicationFT application_ft = {
    ft_close,
    ft_new_session,
    ft_new_hosted_provider,
    ft_new_instance,
    ft_new_destination_options,
    ft_new_operation_options,
    ft_new_subscription_options,
    ft_new_serializer,
    ft_new_deserializer,
    ft_new_instance_from_class,
    ft_new_class,
};

MI_Result MI_MAIN_CALL MI_Application_InitializeV1(MI_Uint32 flags, const MI_Char *applicationID,
                                                   MI_Instance **extendedError,
                                                   MI_Application *application)
{
    (void)applicationID;
    if (extendedError)
        *extendedError = NULL;
    if (!application)
        return MI_RESULT_INVALID_PARAMETER;
    memset(application, 0, sizeof *application);
    if (flags != 0)
        return MI_RESULT_INVALID_PARAMETER;
    application->reserved1 = APPLICATION_MAGIC;
    application->ft = &application_ft;
    return MI_RESULT_OK;
}
