/*
 * Example_Widget — the class as provider code sees it: the instance structure (the
 * MI_Instance header, then one field per property at the offset its declaration in
 * schema.c gives) and small helpers over it, in the form OMI's generator writes them.
 */
#ifndef EXAMPLE_WIDGET_H
#define EXAMPLE_WIDGET_H

#include <mi.h>
#include <string.h>

typedef struct _Example_Widget {
    MI_Instance __instance;
    MI_ConstStringField Id; /* key */
    MI_ConstStringField Color;
    MI_ConstUint32Field Weight;
} Example_Widget;

MI_EXTERN_C MI_CONST MI_ClassDecl Example_Widget_rtti;

MI_INLINE MI_Result MI_CALL Example_Widget_Construct(Example_Widget *self, MI_Context *context)
{
    return MI_ConstructInstance(context, &Example_Widget_rtti, &self->__instance);
}

MI_INLINE MI_Result MI_CALL Example_Widget_Destruct(Example_Widget *self)
{
    return MI_Instance_Destruct(&self->__instance);
}

MI_INLINE MI_Result MI_CALL Example_Widget_Post(const Example_Widget *self, MI_Context *context)
{
    return MI_PostInstance(context, &self->__instance);
}

MI_INLINE MI_Result MI_CALL Example_Widget_Set_Id(Example_Widget *self, const MI_Char *str)
{
    return self->__instance.ft->SetElementAt(&self->__instance, 0, (MI_Value *)&str, MI_STRING, 0);
}

MI_INLINE MI_Result MI_CALL Example_Widget_Set_Color(Example_Widget *self, const MI_Char *str)
{
    return self->__instance.ft->SetElementAt(&self->__instance, 1, (MI_Value *)&str, MI_STRING, 0);
}

MI_INLINE MI_Result MI_CALL Example_Widget_Set_Weight(Example_Widget *self, MI_Uint32 x)
{
    ((MI_Uint32Field *)&self->Weight)->value = x;
    ((MI_Uint32Field *)&self->Weight)->exists = 1;
    return MI_RESULT_OK;
}

#endif
