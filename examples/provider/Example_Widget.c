/*
 * The provider of Example_Widget: widgets kept in memory while the module is loaded,
 * served through the provider functions of the MI API. Every operation answers through
 * its MI_Context: instances posted with Example_Widget_Post, then one result.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "Example_Widget.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct widget {
    char *id, *color;
    MI_Uint32 weight;
    MI_Boolean has_color;
} widget;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static widget *widgets;
static size_t widget_count;

static widget *find(const MI_Char *id)
{
    for (size_t i = 0; id && i < widget_count; i++)
        if (!strcmp(widgets[i].id, id))
            return &widgets[i];
    return NULL;
}

static MI_Result post(MI_Context *context, const widget *w, MI_Boolean keys_only)
{
    Example_Widget out;
    MI_Result r = Example_Widget_Construct(&out, context);
    if (r != MI_RESULT_OK)
        return r;
    Example_Widget_Set_Id(&out, w->id);
    if (!keys_only) {
        if (w->has_color)
            Example_Widget_Set_Color(&out, w->color);
        Example_Widget_Set_Weight(&out, w->weight);
    }
    r = Example_Widget_Post(&out, context);
    Example_Widget_Destruct(&out);
    return r;
}

static void MI_CALL Example_Widget_Load(void **self, MI_Module_Self *selfModule,
                                        MI_Context *context)
{
    (void)selfModule;
    *self = NULL;
    /* a first widget, so that a new module has something to show */
    pthread_mutex_lock(&lock);
    if (!widget_count && (widgets = (widget *)calloc(1, sizeof *widgets)) &&
        (widgets[0].id = strdup("w1")) && (widgets[0].color = strdup("blue"))) {
        widgets[0].weight = 12;
        widgets[0].has_color = MI_TRUE;
        widget_count = 1;
    }
    pthread_mutex_unlock(&lock);
    MI_PostResult(context, MI_RESULT_OK);
}

static void MI_CALL Example_Widget_Unload(void *self, MI_Context *context)
{
    (void)self;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < widget_count; i++) {
        free(widgets[i].id);
        free(widgets[i].color);
    }
    free(widgets);
    widgets = NULL;
    widget_count = 0;
    pthread_mutex_unlock(&lock);
    MI_PostResult(context, MI_RESULT_OK);
}

static void MI_CALL Example_Widget_EnumerateInstances(void *self, MI_Context *context,
                                                      const MI_Char *nameSpace,
                                                      const MI_Char *className,
                                                      const MI_PropertySet *propertySet,
                                                      MI_Boolean keysOnly, const MI_Filter *filter)
{
    (void)self, (void)nameSpace, (void)className, (void)propertySet, (void)filter;
    MI_Result r = MI_RESULT_OK;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < widget_count && r == MI_RESULT_OK; i++)
        r = post(context, &widgets[i], keysOnly);
    pthread_mutex_unlock(&lock);
    MI_PostResult(context, MI_RESULT_OK);
}

static void MI_CALL Example_Widget_GetInstance(void *self, MI_Context *context,
                                               const MI_Char *nameSpace, const MI_Char *className,
                                               const MI_Instance *instanceName,
                                               const MI_PropertySet *propertySet)
{
    (void)self, (void)nameSpace, (void)className, (void)propertySet;
    const Example_Widget *name = (const Example_Widget *)instanceName;
    pthread_mutex_lock(&lock);
    const widget *w = name->Id.exists ? find(name->Id.value) : NULL;
    MI_Result r = w ? post(context, w, MI_FALSE) : MI_RESULT_NOT_FOUND;
    pthread_mutex_unlock(&lock);
    if (r == MI_RESULT_NOT_FOUND)
        MI_PostError(context, MI_RESULT_NOT_FOUND, MI_RESULT_TYPE_MI, MI_T("no such widget"));
    else
        MI_PostResult(context, r);
}

static void MI_CALL Example_Widget_CreateInstance(void *self, MI_Context *context,
                                                  const MI_Char *nameSpace,
                                                  const MI_Char *className,
                                                  const MI_Instance *newInstance)
{
    (void)self, (void)nameSpace, (void)className;
    const Example_Widget *given = (const Example_Widget *)newInstance;
    MI_Result r = MI_RESULT_OK;
    pthread_mutex_lock(&lock);
    if (!given->Id.exists)
        r = MI_RESULT_INVALID_PARAMETER;
    else if (find(given->Id.value))
        r = MI_RESULT_ALREADY_EXISTS;
    widget *grown =
        r == MI_RESULT_OK ? (widget *)realloc(widgets, (widget_count + 1) * sizeof *grown) : NULL;
    if (r == MI_RESULT_OK && !grown)
        r = MI_RESULT_SERVER_LIMITS_EXCEEDED;
    if (r == MI_RESULT_OK) {
        widgets = grown;
        widget *w = &widgets[widget_count];
        memset(w, 0, sizeof *w);
        w->id = strdup(given->Id.value);
        w->has_color = given->Color.exists;
        w->color = given->Color.exists ? strdup(given->Color.value) : NULL;
        w->weight = given->Weight.exists ? given->Weight.value : 10;
        widget_count++;
        r = post(context, w, MI_TRUE); /* the new instance's name */
    }
    pthread_mutex_unlock(&lock);
    MI_PostResult(context, r);
}

static void MI_CALL Example_Widget_ModifyInstance(void *self, MI_Context *context,
                                                  const MI_Char *nameSpace,
                                                  const MI_Char *className,
                                                  const MI_Instance *modifiedInstance,
                                                  const MI_PropertySet *propertySet)
{
    (void)self, (void)nameSpace, (void)className, (void)propertySet;
    const Example_Widget *given = (const Example_Widget *)modifiedInstance;
    pthread_mutex_lock(&lock);
    widget *w = given->Id.exists ? find(given->Id.value) : NULL;
    if (w) {
        free(w->color);
        w->has_color = given->Color.exists;
        w->color = given->Color.exists ? strdup(given->Color.value) : NULL;
        if (given->Weight.exists)
            w->weight = given->Weight.value;
    }
    pthread_mutex_unlock(&lock);
    MI_PostResult(context, w ? MI_RESULT_OK : MI_RESULT_NOT_FOUND);
}

static void MI_CALL Example_Widget_DeleteInstance(void *self, MI_Context *context,
                                                  const MI_Char *nameSpace,
                                                  const MI_Char *className,
                                                  const MI_Instance *instanceName)
{
    (void)self, (void)nameSpace, (void)className;
    const Example_Widget *name = (const Example_Widget *)instanceName;
    pthread_mutex_lock(&lock);
    widget *w = name->Id.exists ? find(name->Id.value) : NULL;
    if (w) {
        free(w->id);
        free(w->color);
        *w = widgets[--widget_count];
    }
    pthread_mutex_unlock(&lock);
    MI_PostResult(context, w ? MI_RESULT_OK : MI_RESULT_NOT_FOUND);
}

MI_EXTERN_C MI_CONST MI_ProviderFT Example_Widget_funcs;

MI_CONST MI_ProviderFT Example_Widget_funcs = {
    Example_Widget_Load,
    Example_Widget_Unload,
    Example_Widget_GetInstance,
    Example_Widget_EnumerateInstances,
    Example_Widget_CreateInstance,
    Example_Widget_ModifyInstance,
    Example_Widget_DeleteInstance,
    NULL, /* AssociatorInstances */
    NULL, /* ReferenceInstances */
    NULL, /* EnableIndications */
    NULL, /* DisableIndications */
    NULL, /* Subscribe */
    NULL, /* Unsubscribe */
    NULL, /* Invoke */
};
