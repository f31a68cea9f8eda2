/*
 * errors — the extended error of a failure, in the shape of CIM_Error (DSP0223): what
 * every failed operation and session hands out as its error details, and the
 * MI_Utilities functions that map and build them.
 */
#include "errors.h"

#include "core/instance.h"

#include <errno.h>
#include <mi.h>
#include <string.h>
#include <strings.h>

MI_Instance *mi_error_instance(MI_Result code, const char *message)
{
    MI_Instance *inst = NULL;
    if (mi_instance_new(&inst, "CIM_Error", NULL, NULL) != MI_RESULT_OK)
        return NULL;
    MI_Value v;
    v.string = (MI_Char *)(message && *message ? message : MI_Libmi_ResultName(code));
    MI_Result r = mi_instance_add_element(inst, "Message", &v, MI_STRING, 0, NULL);
    v.uint32 = (MI_Uint32)code;
    if (r == MI_RESULT_OK)
        r = mi_instance_add_element(inst, "CIMStatusCode", &v, MI_UINT32, 0, NULL);
    v.string = (MI_Char *)MI_Libmi_ResultName(code);
    if (r == MI_RESULT_OK)
        r = mi_instance_add_element(inst, "CIMStatusCodeDescription", &v, MI_STRING, 0, NULL);
    v.string = (MI_Char *)"libmi";
    if (r == MI_RESULT_OK)
        r = mi_instance_add_element(inst, "OwningEntity", &v, MI_STRING, 0, NULL);
    v.uint16 = 4; /* ErrorType: Software Error */
    if (r == MI_RESULT_OK)
        r = mi_instance_add_element(inst, "ErrorType", &v, MI_UINT16, 0, NULL);
    v.uint16 = (MI_Uint16)MI_Utilities_MapErrorToMiErrorCategory(MI_RESULT_TYPE_MI, code);
    if (r == MI_RESULT_OK) /* the category, as WMI's CIM errors carry it */
        r = mi_instance_add_element(inst, "error_Category", &v, MI_UINT16, 0, NULL);
    if (r != MI_RESULT_OK) {
        mi_instance_delete(inst);
        return NULL;
    }
    return inst;
}

static MI_ErrorCategory category_of_result(MI_Uint32 code)
{
    switch ((MI_Result)code) {
    case MI_RESULT_ACCESS_DENIED:
        return MI_ERRORCATEGORY_ACCESS_DENIED;
    case MI_RESULT_INVALID_PARAMETER:
    case MI_RESULT_INVALID_QUERY:
    case MI_RESULT_INVALID_OPERATION_TIMEOUT:
        return MI_ERRORCATEGORY_INVALID_ARGUMENT;
    case MI_RESULT_INVALID_NAMESPACE:
    case MI_RESULT_INVALID_CLASS:
    case MI_RESULT_CLASS_HAS_CHILDREN:
    case MI_RESULT_CLASS_HAS_INSTANCES:
    case MI_RESULT_INVALID_SUPERCLASS:
    case MI_RESULT_NO_SUCH_PROPERTY:
    case MI_RESULT_METHOD_NOT_FOUND:
        return MI_ERRORCATEGORY_METADATA_ERROR;
    case MI_RESULT_NOT_FOUND:
        return MI_ERRORCATEGORY_OBJECT_NOT_FOUND;
    case MI_RESULT_NOT_SUPPORTED:
    case MI_RESULT_QUERY_LANGUAGE_NOT_SUPPORTED:
    case MI_RESULT_METHOD_NOT_AVAILABLE:
    case MI_RESULT_FILTERED_ENUMERATION_NOT_SUPPORTED:
    case MI_RESULT_CONTINUATION_ON_ERROR_NOT_SUPPORTED:
        return MI_ERRORCATEGORY_NOT_IMPLEMENTED;
    case MI_RESULT_ALREADY_EXISTS:
        return MI_ERRORCATEGORY_RESOURCE_EXISTS;
    case MI_RESULT_TYPE_MISMATCH:
        return MI_ERRORCATEGORY_INVALID_TYPE;
    case MI_RESULT_NAMESPACE_NOT_EMPTY:
    case MI_RESULT_INVALID_ENUMERATION_CONTEXT:
        return MI_ERRORCATEGORY_INVALID_OPERATION;
    case MI_RESULT_PULL_HAS_BEEN_ABANDONED:
        return MI_ERRORCATEGORY_OPERATION_STOPPED;
    case MI_RESULT_SERVER_LIMITS_EXCEEDED:
        return MI_ERRORCATEGORY_RESOURCE_BUSY;
    case MI_RESULT_SERVER_IS_SHUTTING_DOWN:
        return MI_ERRORCATEGORY_RESOURCE_UNAVAILABLE;
    default:
        return MI_ERRORCATEGORY_NOT_SPECIFIED;
    }
}

static MI_ErrorCategory category_of_errno(MI_Uint32 code)
{
    switch ((int)code) {
    case EACCES:
    case EPERM:
        return MI_ERRORCATEGORY_ACCESS_DENIED;
    case ENOENT:
        return MI_ERRORCATEGORY_OBJECT_NOT_FOUND;
    case EINVAL:
        return MI_ERRORCATEGORY_INVALID_ARGUMENT;
    case EEXIST:
        return MI_ERRORCATEGORY_RESOURCE_EXISTS;
    case EBUSY:
    case EAGAIN:
        return MI_ERRORCATEGORY_RESOURCE_BUSY;
    case ENOMEM:
    case ENOSPC:
        return MI_ERRORCATEGORY_LIMITS_EXCEEDED;
    case ETIMEDOUT:
        return MI_ERRORCATEGORY_OPERATION_TIMEOUT;
    case ECONNREFUSED:
    case ECONNRESET:
    case EHOSTUNREACH:
    case ENETUNREACH:
        return MI_ERRORCATEGORY_CONNECTION_ERROR;
    case ENOSYS:
    case EOPNOTSUPP:
        return MI_ERRORCATEGORY_NOT_IMPLEMENTED;
    case EIO:
        return MI_ERRORCATEGORY_DEVICE_ERROR;
    default:
        return MI_ERRORCATEGORY_NOT_SPECIFIED;
    }
}

MI_ErrorCategory MI_CALL MI_Utilities_MapErrorToMiErrorCategory(const MI_Char *errorType,
                                                                MI_Uint32 error)
{
    if (!errorType)
        return MI_ERRORCATEGORY_NOT_SPECIFIED;
    if (!strcasecmp(errorType, MI_RESULT_TYPE_MI))
        return category_of_result(error);
    if (!strcasecmp(errorType, MI_RESULT_TYPE_ERRNO))
        return category_of_errno(error);
    return MI_ERRORCATEGORY_NOT_SPECIFIED;
}

MI_Result MI_CALL MI_Utilities_CimErrorFromErrorCode(MI_Uint32 error, const MI_Char *errorType,
                                                     const MI_Char *errorMessage,
                                                     MI_Instance **cimError)
{
    if (!cimError || !errorType)
        return MI_RESULT_INVALID_PARAMETER;
    *cimError = NULL;
    bool mi = !strcasecmp(errorType, MI_RESULT_TYPE_MI);
    MI_Result code = mi ? (MI_Result)error : MI_RESULT_FAILED;
    const char *message = errorMessage;
    if (!message && !mi && !strcasecmp(errorType, MI_RESULT_TYPE_ERRNO))
        message = strerror((int)error);
    MI_Instance *inst = mi_error_instance(code, message);
    if (!inst)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    MI_Value v;
    v.string = (MI_Char *)errorType;
    MI_Result r = MI_Instance_AddElement(inst, "error_Type", &v, MI_STRING, 0);
    v.uint32 = error;
    if (r == MI_RESULT_OK)
        r = MI_Instance_AddElement(inst, "error_Code", &v, MI_UINT32, 0);
    v.uint16 = (MI_Uint16)MI_Utilities_MapErrorToMiErrorCategory(errorType, error);
    if (r == MI_RESULT_OK) /* the category of the code given, not of FAILED */
        r = MI_Instance_SetElement(inst, "error_Category", &v, MI_UINT16, 0);
    if (r != MI_RESULT_OK) {
        MI_Instance_Delete(inst);
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    }
    *cimError = inst;
    return MI_RESULT_OK;
}
