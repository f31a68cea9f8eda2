/*
 * associators — the objects associated with one managed object, asked twice through the
 * MI API: synchronously (MI_Operation_GetInstance) and with callbacks. Written only
 * against documented MI names, so it builds unchanged against any MI implementation.
 *
 *   associators CLASS KEY=VALUE...      e.g. associators CIM_ComputerSystem
 *                                            CreationClassName=CIM_ComputerSystem Name=h1
 *
 * The namespace is root/cimv2; keys are given as strings (the repository converts them to
 * the types the class declares).
 */
#include <mi.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_instance(const char *how, const MI_Instance *instance)
{
    const MI_Char *class_name = NULL;
    MI_Uint32 count = 0;
    MI_Instance_GetClassName(instance, &class_name);
    MI_Instance_GetElementCount(instance, &count);
    printf("%s %s", how, class_name ? class_name : "?");
    for (MI_Uint32 i = 0; i < count; i++) {
        const MI_Char *name;
        MI_Value value;
        MI_Type type;
        MI_Uint32 flags;
        if (MI_Instance_GetElementAt(instance, i, &name, &value, &type, &flags) != MI_RESULT_OK)
            continue;
        if ((flags & MI_FLAG_KEY) && type == MI_STRING && !(flags & MI_FLAG_NULL))
            printf(" %s=\"%s\"", name, value.string);
    }
    printf("\n");
}

typedef struct waiter {
    pthread_mutex_t lock;
    pthread_cond_t done_changed;
    int done;
    MI_Result result;
} waiter;

static void MI_CALL on_instance(MI_Operation *operation, void *context, const MI_Instance *instance,
                                MI_Boolean moreResults, MI_Result resultCode,
                                const MI_Char *errorString, const MI_Instance *errorDetails,
                                MI_Result(MI_CALL *resultAcknowledgement)(MI_Operation *))
{
    (void)operation, (void)errorDetails, (void)resultAcknowledgement;
    waiter *w = context;
    if (instance)
        print_instance("async", instance);
    if (!moreResults) {
        if (resultCode != MI_RESULT_OK)
            fprintf(stderr, "async: result %d: %s\n", (int)resultCode,
                    errorString ? errorString : "");
        pthread_mutex_lock(&w->lock);
        w->result = resultCode;
        w->done = 1;
        pthread_cond_signal(&w->done_changed);
        pthread_mutex_unlock(&w->lock);
    }
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s CLASS KEY=VALUE...\n", argv[0]);
        return 2;
    }
    MI_Application application = MI_APPLICATION_NULL;
    MI_Session session = MI_SESSION_NULL;
    MI_Instance *key = NULL;
    MI_Result result = MI_Application_Initialize(0, NULL, NULL, &application);
    if (result == MI_RESULT_OK) /* destination NULL: the embedded repository */
        result = MI_Application_NewSession(&application, NULL, NULL, NULL, NULL, NULL, &session);
    if (result == MI_RESULT_OK)
        result = MI_Application_NewInstance(&application, argv[1], NULL, &key);
    for (int i = 2; result == MI_RESULT_OK && i < argc; i++) {
        char *equals = strchr(argv[i], '=');
        if (!equals) {
            fprintf(stderr, "%s: expected KEY=VALUE\n", argv[i]);
            return 2;
        }
        *equals = '\0';
        MI_Value value;
        value.string = equals + 1;
        result = MI_Instance_AddElement(key, argv[i], &value, MI_STRING, MI_FLAG_KEY);
    }
    if (result != MI_RESULT_OK) {
        fprintf(stderr, "cannot start: result %d\n", (int)result);
        return 1;
    }

    /* synchronously: each instance stays valid until the next MI_Operation_GetInstance */
    MI_Operation operation = MI_OPERATION_NULL;
    MI_Session_AssociatorInstances(&session, 0, NULL, MI_T("root/cimv2"), key, NULL, NULL, NULL,
                                   NULL, MI_FALSE, NULL, &operation);
    MI_Boolean more = MI_TRUE;
    const MI_Char *message = NULL;
    while (more) {
        const MI_Instance *instance = NULL;
        MI_Operation_GetInstance(&operation, &instance, &more, &result, &message, NULL);
        if (instance)
            print_instance("sync", instance);
    }
    if (result != MI_RESULT_OK)
        fprintf(stderr, "sync: result %d: %s\n", (int)result, message ? message : "");
    MI_Operation_Close(&operation);

    /* with callbacks: results arrive on another thread */
    waiter w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, MI_RESULT_OK};
    MI_OperationCallbacks callbacks = MI_OPERATIONCALLBACKS_NULL;
    callbacks.callbackContext = &w;
    callbacks.instanceResult = on_instance;
    MI_Session_AssociatorInstances(&session, 0, NULL, MI_T("root/cimv2"), key, NULL, NULL, NULL,
                                   NULL, MI_FALSE, &callbacks, &operation);
    pthread_mutex_lock(&w.lock);
    while (!w.done)
        pthread_cond_wait(&w.done_changed, &w.lock);
    pthread_mutex_unlock(&w.lock);
    MI_Operation_Close(&operation);

    MI_Instance_Delete(key);
    MI_Session_Close(&session, NULL, NULL);
    MI_Application_Close(&application);
    return result == MI_RESULT_OK && w.result == MI_RESULT_OK ? 0 : 1;
}
