/*
 * texts — text forms through the public API: parse the WBEM URI form into a key
 * instance, format an instance's path, and write a value as text.
 */
#include "core/error.h"
#include "core/path.h"
#include "core/strbuf.h"
#include "core/value.h"

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

MI_Result MI_CALL MI_Libmi_ValueText(const MI_Value *value, MI_Type type, MI_Uint32 index,
                                     MI_Uint32 flags, MI_Char **text)
{
    if (!text)
        return MI_RESULT_INVALID_PARAMETER;
    *text = NULL;
    if (!value)
        return MI_RESULT_INVALID_PARAMETER;
    if ((type & MI_ARRAY) && index >= value->uint8a.size) /* every array has this layout */
        return MI_RESULT_INVALID_PARAMETER;
    mi_strbuf out = MI_STRBUF_INIT;
    unsigned style = flags & MI_LIBMI_TEXT_LOWERCASE_BOOLEANS ? MI_VALUE_TEXT_LOWERCASE : 0;
    if (!mi_value_text(&out, value, type, index, style)) {
        mi_strbuf_free(&out);
        return MI_RESULT_NOT_SUPPORTED;
    }
    *text = mi_strbuf_take(&out);
    return *text ? MI_RESULT_OK : MI_RESULT_SERVER_LIMITS_EXCEEDED;
}

void MI_CALL MI_Libmi_Free(void *memory)
{
    free(memory);
}
