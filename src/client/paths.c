/*
 * paths — object paths through the public API: parse the WBEM URI form into a key
 * instance, and format an instance's path.
 */
#include "core/error.h"
#include "core/path.h"

#include <mi.h>
#include <stdio.h>
#include <stdlib.h>

MI_Result MI_CALL MI_Libmi_ParseObjectPath(const MI_Char *text, MI_Instance **instance,
                                           MI_Char *message, MI_Uint32 messageSize)
{
    if (message && messageSize)
        message[0] = '\0';
    if (!instance)
        return MI_RESULT_INVALID_PARAMETER;
    *instance = NULL;
    if (!text)
        return MI_RESULT_INVALID_PARAMETER;
    mi_error err = {0};
    MI_Result r = mi_path_parse(instance, text, &err);
    if (r != MI_RESULT_OK && message && messageSize)
        snprintf(message, messageSize, "%s", err.message);
    return r;
}

MI_Result MI_CALL MI_Libmi_FormatObjectPath(const MI_Instance *instance, MI_Char **text)
{
    if (!text)
        return MI_RESULT_INVALID_PARAMETER;
    *text = NULL;
    if (!instance)
        return MI_RESULT_INVALID_PARAMETER;
    return mi_path_format(text, instance, NULL);
}

void MI_CALL MI_Libmi_Free(void *memory)
{
    free(memory);
}
