/*
 * untyped — see untyped.h.
 */
#include "untyped.h"

#include "core/instance.h"
#include "core/strbuf.h"
#include "core/value.h"

#include <stdlib.h>

enum { MAX_DEPTH = 32 }; /* embedded instances within embedded instances */

static MI_Result copy_untyped(const MI_Instance *in, MI_Instance **out, int depth);

/* One element's value as text (or, for references and instances, converted the same
 * way) added to out. */
static MI_Result add_untyped(MI_Instance *out, const char *name, const MI_Value *v, MI_Type type,
                             MI_Uint32 flags, int depth)
{
    MI_Uint32 keep = flags & (MI_FLAG_KEY | MI_FLAG_NULL);
    MI_Type scalar = MI_TYPE_SCALAR(type);
    bool nested = scalar == MI_REFERENCE || scalar == MI_INSTANCE;
    MI_Type as = nested ? type : MI_TYPE_IS_ARRAY(type) ? MI_STRINGA : MI_STRING;
    if (flags & MI_FLAG_NULL)
        return mi_instance_add_element(out, name, NULL, as, keep, NULL);
    MI_Uint32 count = MI_TYPE_IS_ARRAY(type) ? v->array.size : 1;
    void **items = calloc(count ? count : 1, sizeof *items);
    mi_strbuf *texts = nested ? NULL : calloc(count ? count : 1, sizeof *texts);
    MI_Result r = items && (nested || texts) ? MI_RESULT_OK : MI_RESULT_SERVER_LIMITS_EXCEEDED;
    for (MI_Uint32 i = 0; r == MI_RESULT_OK && i < count; i++) {
        if (nested) {
            const MI_Instance *item = MI_TYPE_IS_ARRAY(type) ? v->instancea.data[i] : v->instance;
            MI_Instance *copy = NULL;
            r = item ? copy_untyped(item, &copy, depth + 1) : MI_RESULT_OK;
            items[i] = copy;
        } else {
            texts[i] = (mi_strbuf)MI_STRBUF_INIT;
            mi_value_text(&texts[i], v, type, i, 0);
            items[i] = texts[i].data ? texts[i].data : (char *)"";
            r = texts[i].failed ? MI_RESULT_SERVER_LIMITS_EXCEEDED : MI_RESULT_OK;
        }
    }
    MI_Value value;
    if (MI_TYPE_IS_ARRAY(type)) {
        value.array.data = items;
        value.array.size = count;
    } else if (nested) {
        value.instance = items[0];
    } else {
        value.string = items[0];
    }
    if (r == MI_RESULT_OK)
        r = mi_instance_add_element(out, name, &value, as, keep, NULL);
    for (MI_Uint32 i = 0; items && i < count; i++) {
        if (nested && items[i])
            mi_instance_delete(items[i]);
        else if (texts)
            mi_strbuf_free(&texts[i]);
    }
    free(items);
    free(texts);
    return r;
}

static MI_Result copy_untyped(const MI_Instance *in, MI_Instance **out, int depth)
{
    *out = NULL;
    if (depth > MAX_DEPTH)
        return MI_RESULT_INVALID_PARAMETER;
    const MI_Char *class_name = NULL, *ns = NULL, *server = NULL;
    MI_Instance_GetClassName(in, &class_name);
    MI_Instance_GetNameSpace(in, &ns);
    MI_Instance_GetServerName(in, &server);
    MI_Instance *copy = NULL;
    MI_Result r = mi_instance_new(&copy, class_name, NULL, NULL);
    if (r == MI_RESULT_OK && ns)
        r = MI_Instance_SetNameSpace(copy, ns);
    if (r == MI_RESULT_OK && server)
        r = MI_Instance_SetServerName(copy, server);
    MI_Uint32 count = 0;
    MI_Instance_GetElementCount(in, &count);
    for (MI_Uint32 i = 0; r == MI_RESULT_OK && i < count; i++) {
        const MI_Char *name;
        MI_Value v;
        MI_Type type;
        MI_Uint32 flags;
        r = MI_Instance_GetElementAt(in, i, &name, &v, &type, &flags);
        if (r == MI_RESULT_OK)
            r = add_untyped(copy, name, &v, type, flags, depth);
    }
    if (r != MI_RESULT_OK) {
        if (copy)
            mi_instance_delete(copy);
        return r;
    }
    *out = copy;
    return MI_RESULT_OK;
}

MI_Result mi_instance_untyped(const MI_Instance *in, MI_Instance **out)
{
    return copy_untyped(in, out, 0);
}
