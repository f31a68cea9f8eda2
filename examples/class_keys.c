/*
 * class_keys — the associators of an instance named the way MI client programs usually
 * name it: the class from MI_Session_GetClass, an instance of it from
 * MI_Application_NewInstanceFromClass, its keys set, then MI_Session_AssociatorInstances,
 * synchronously and then with callbacks (with write-message and prompt callbacks, as a
 * program that shows an operation's messages has them). Documented MI names only.
 *
 *   class_keys [DESTINATION] CLASS KEY=VALUE...
 *
 * DESTINATION (an http:// or https:// URL) asks a CIM server; without it the embedded
 * repository answers. Prints "class C: N properties", the results as "sync C K=V..." and
 * "async C K=V...", and what invoking a method the class does not declare answers.
 */
#include <mi.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_result(const char *how, const MI_Instance *inst)
{
    const MI_Char *class_name = NULL;
    MI_Instance_GetClassName(inst, &class_name);
    printf("%s %s", how, class_name ? class_name : MI_T("?"));
    MI_Uint32 count = 0;
    MI_Instance_GetElementCount(inst, &count);
    for (MI_Uint32 i = 0; i < count; i++) {
        const MI_Char *name;
        MI_Value value;
        MI_Type type;
        MI_Uint32 flags;
        if (MI_Instance_GetElementAt(inst, i, &name, &value, &type, &flags) == MI_RESULT_OK &&
            (flags & MI_FLAG_KEY) && type == MI_STRING && !(flags & MI_FLAG_NULL))
            printf(" %s=%s", name, value.string);
    }
    printf("\n");
}

/* ---- the asynchronous run ---- */

typedef struct waiter {
    pthread_mutex_t lock;
    pthread_cond_t done_signal;
    int done;
    MI_Result result;
    int results;
} waiter;

static void MI_CALL on_instance(MI_Operation *operation, void *context, const MI_Instance *instance,
                                MI_Boolean moreResults, MI_Result resultCode,
                                const MI_Char *errorString, const MI_Instance *errorDetails,
                                MI_Result(MI_CALL *resultAcknowledgement)(MI_Operation *))
{
    (void)errorString, (void)errorDetails, (void)resultAcknowledgement;
    waiter *w = context;
    if (instance) {
        print_result("async", instance);
        w->results++;
    }
    if (!moreResults) {
        MI_Operation_Close(operation);
        pthread_mutex_lock(&w->lock);
        w->result = resultCode;
        w->done = 1;
        pthread_cond_signal(&w->done_signal);
        pthread_mutex_unlock(&w->lock);
    }
}

static void MI_CALL on_message(MI_Operation *operation, void *context, MI_Uint32 channel,
                               const MI_Char *message)
{
    (void)operation, (void)context;
    fprintf(stderr, "message (channel %u): %s\n", channel, message);
}

static void MI_CALL
on_prompt(MI_Operation *operation, void *context, const MI_Char *message, MI_PromptType promptType,
          MI_Result(MI_CALL *promptUserResult)(MI_Operation *, MI_OperationCallback_ResponseType))
{
    (void)context, (void)promptType;
    fprintf(stderr, "prompt: %s (answered yes)\n", message);
    promptUserResult(operation, MI_OperationCallback_ResponseType_Yes);
}

int main(int argc, char **argv)
{
    int first = 1;
    const MI_Char *destination = NULL;
    if (argc > 1 && (!strncmp(argv[1], "http://", 7) || !strncmp(argv[1], "https://", 8)))
        destination = argv[first++];
    if (argc - first < 2) {
        fprintf(stderr, "usage: class_keys [DESTINATION] CLASS KEY=VALUE...\n");
        return 2;
    }
    const MI_Char *ns = MI_T("root/cimv2");
    const MI_Char *class_name = argv[first++];
    MI_Application application = MI_APPLICATION_NULL;
    MI_Session session = MI_SESSION_NULL;
    MI_Result result = MI_Application_Initialize(0, MI_T("class_keys"), NULL, &application);
    if (result != MI_RESULT_OK) {
        fprintf(stderr, "MI_Application_Initialize failed: %s\n", MI_Libmi_ResultName(result));
        return 1;
    }
    result = MI_Application_NewSession(&application, NULL, destination, NULL, NULL, NULL, &session);
    if (result != MI_RESULT_OK) {
        fprintf(stderr, "MI_Application_NewSession failed: %s\n", MI_Libmi_ResultName(result));
        MI_Application_Close(&application);
        return 1;
    }

    /* the class, then a keyed instance of it */
    MI_Operation operation = MI_OPERATION_NULL;
    MI_Session_GetClass(&session, 0, NULL, ns, class_name, NULL, &operation);
    const MI_Class *class_object = NULL;
    MI_Boolean more = MI_FALSE;
    const MI_Char *error_message = NULL;
    MI_Instance *key = NULL;
    MI_Operation_GetClass(&operation, &class_object, &more, &result, &error_message, NULL);
    if (result == MI_RESULT_OK && class_object) {
        MI_Uint32 count = 0;
        MI_Class_GetElementCount(class_object, &count);
        printf("class %s: %u properties\n", class_name, count);
        result = MI_Application_NewInstanceFromClass(&application, class_name, class_object, &key);
        if (result != MI_RESULT_OK)
            fprintf(stderr, "Failed to create a keyed instance for the operation, error %s\n",
                    MI_Libmi_ResultName(result));
    } else {
        fprintf(stderr, "MI_Session_GetClass failed: %s: %s\n", MI_Libmi_ResultName(result),
                error_message ? error_message : "");
    }
    MI_Operation_Close(&operation); /* the class object lives until here */
    for (int i = first; key && result == MI_RESULT_OK && i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (!eq) {
            fprintf(stderr, "expected KEY=VALUE, found %s\n", argv[i]);
            result = MI_RESULT_INVALID_PARAMETER;
            break;
        }
        *eq = '\0';
        MI_Value value;
        value.string = eq + 1;
        result = MI_Instance_SetElement(key, argv[i], &value, MI_STRING, 0);
        if (result != MI_RESULT_OK)
            fprintf(stderr, "MI_Instance_SetElement %s failed: %s\n", argv[i],
                    MI_Libmi_ResultName(result));
    }
    int code = result == MI_RESULT_OK ? 0 : 1;

    /* synchronously */
    if (code == 0) {
        MI_Session_AssociatorInstances(&session, 0, NULL, ns, key, NULL, NULL, NULL, NULL, MI_FALSE,
                                       NULL, &operation);
        for (more = MI_TRUE; more;) {
            const MI_Instance *instance = NULL;
            MI_Operation_GetInstance(&operation, &instance, &more, &result, &error_message, NULL);
            if (instance)
                print_result("sync", instance);
        }
        if (result != MI_RESULT_OK) {
            fprintf(stderr, "associators failed: %s: %s\n", MI_Libmi_ResultName(result),
                    error_message ? error_message : "");
            code = 1;
        }
        MI_Operation_Close(&operation);
    }

    /* with callbacks */
    if (code == 0) {
        waiter w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, MI_RESULT_OK, 0};
        MI_OperationCallbacks callbacks = MI_OPERATIONCALLBACKS_NULL;
        callbacks.callbackContext = &w;
        callbacks.instanceResult = on_instance;
        callbacks.writeMessage = on_message;
        callbacks.promptUser = on_prompt;
        MI_Operation async_operation = MI_OPERATION_NULL;
        MI_Session_AssociatorInstances(&session, 0, NULL, ns, key, NULL, NULL, NULL, NULL, MI_FALSE,
                                       &callbacks, &async_operation);
        pthread_mutex_lock(&w.lock);
        while (!w.done)
            pthread_cond_wait(&w.done_signal, &w.lock);
        pthread_mutex_unlock(&w.lock);
        if (w.result != MI_RESULT_OK)
            code = 1;
    }

    /* a method the class does not declare */
    if (code == 0) {
        MI_Session_Invoke(&session, 0, NULL, ns, class_name, MI_T("NoSuchMethod"), key, NULL, NULL,
                          &operation);
        const MI_Instance *out = NULL;
        MI_Operation_GetInstance(&operation, &out, &more, &result, &error_message, NULL);
        printf("invoke %s\n", MI_Libmi_ResultName(result));
        MI_Operation_Close(&operation);
    }

    if (key)
        MI_Instance_Delete(key);
    MI_Session_Close(&session, NULL, NULL);
    MI_Application_Close(&application);
    return code;
}
