/*
 * Operations through the public MI API over a repository: cancel in the middle of the
 * results (synchronous and with callbacks), close without reading, close from inside a
 * callback, timeouts, closing a session with operations still running, and many threads
 * with their own sessions at once. Every case runs twice: on the embedded repository,
 * then through mid serving the same file (a remote session over CIM-XML).
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/strbuf.h"
#include "mof/mof.h"
#include "repo/repository.h"
#include "support.h"

#include <mi.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEVICES 40
#define BIG 700 /* more than one page of the engine's reading */

static char dir[64], repo_file[128];
static MI_Application app = MI_APPLICATION_NULL;
static char mid_tool[512];   /* set: the second run goes through mid */
static char destination[64]; /* "": the embedded repository; else mid's URL */
static pid_t mid_pid;

/* Starts mid on the repository at a free loopback port and points destination at it. */
static bool start_mid(void)
{
    mid_pid = mi_test_start_mid(mid_tool, repo_file, dir, destination, sizeof destination);
    return mid_pid > 0;
}

static MI_Result new_session(MI_Session *session)
{
    return MI_Application_NewSession(&app, NULL, destination[0] ? destination : NULL, NULL, NULL,
                                     NULL, session);
}

static int setup(void **state)
{
    (void)state;
    if (!mi_test_make_dir(dir, "mi-ops"))
        return -1;
    snprintf(repo_file, sizeof repo_file, "%s/repo.db", dir);
    mi_repository *repo;
    if (mi_repository_open(&repo, repo_file, true, NULL) != MI_RESULT_OK)
        return -1;
    mi_strbuf mof = MI_STRBUF_INIT;
    mi_strbuf_puts(&mof,
                   "class Sys { [Key] string Name; };\n"
                   "class Dev { [Key] string Id; };\n"
                   "[Association] class SysDev { [Key] Sys REF Group; [Key] Dev REF Part; };\n"
                   "[Association] class SysLink { [Key] Sys REF Owner; [Key] Dev REF Item; };\n"
                   "instance of Sys as $s { Name = \"s1\"; };\n"
                   "instance of Sys as $big { Name = \"big\"; };\n");
    /* many results, each reached through two associations */
    for (int i = 0; i < BIG; i++)
        mi_strbuf_printf(&mof,
                         "instance of Dev as $b%d { Id = \"b%04d\"; };\n"
                         "instance of SysDev { Group = $big; Part = $b%d; };\n"
                         "instance of SysLink { Owner = $big; Item = $b%d; };\n",
                         i, i, i, i);
    for (int i = 0; i < DEVICES; i++)
        mi_strbuf_printf(&mof,
                         "instance of Dev as $d%d { Id = \"d%02d\"; };\n"
                         "instance of SysDev { Group = $s; Part = $d%d; };\n",
                         i, i, i);
    char *text = mi_strbuf_take(&mof);
    mi_schema_store store = mi_repository_store(repo);
    mi_error err = {0};
    MI_Result r = mi_mof_compile_string(&store, "ops.mof", text, strlen(text), NULL, NULL, &err);
    free(text);
    mi_repository_close(repo);
    if (r != MI_RESULT_OK) {
        fprintf(stderr, "%s\n", err.message);
        return -1;
    }
    setenv("MI_REPOSITORY", repo_file, 1);
    destination[0] = '\0';
    if (mid_tool[0] && !start_mid())
        return -1;
    return MI_Application_Initialize(0, NULL, NULL, &app) == MI_RESULT_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    MI_Application_Close(&app);
    if (mid_pid > 0) {
        kill(mid_pid, SIGTERM);
        waitpid(mid_pid, NULL, 0);
        mid_pid = 0;
    }
    return mi_test_remove_dir(dir) ? 0 : -1;
}

static MI_Instance *system_key(void)
{
    MI_Instance *key;
    assert_int_equal(MI_Application_NewInstance(&app, "Sys", NULL, &key), MI_RESULT_OK);
    MI_Value v = {.string = "s1"};
    assert_int_equal(MI_Instance_AddElement(key, "Name", &v, MI_STRING, MI_FLAG_KEY), MI_RESULT_OK);
    return key;
}

static MI_Session open_session(void)
{
    MI_Session session = MI_SESSION_NULL;
    assert_int_equal(new_session(&session), MI_RESULT_OK);
    return session;
}

static void test_cancel_synchronous(void **state)
{
    (void)state;
    MI_Session session = open_session();
    MI_Instance *key = system_key();
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_AssociatorInstances(&session, 0, NULL, "root/cimv2", key, NULL, NULL, NULL, NULL,
                                   MI_FALSE, NULL, &op);
    const MI_Instance *inst = NULL;
    MI_Boolean more = MI_FALSE;
    MI_Result result = MI_RESULT_FAILED;
    const MI_Char *message = NULL;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(MI_Operation_GetInstance(&op, &inst, &more, &result, &message, NULL),
                         MI_RESULT_OK);
        assert_non_null(inst);
        assert_true(more);
    }
    assert_int_equal(MI_Operation_Cancel(&op, MI_REASON_NONE), MI_RESULT_OK);
    assert_int_equal(MI_Operation_GetInstance(&op, &inst, &more, &result, &message, NULL),
                     MI_RESULT_OK);
    assert_null(inst);
    assert_false(more);
    assert_int_equal(result, MI_RESULT_FAILED);
    assert_string_equal(message, "the operation was cancelled");
    assert_int_equal(MI_Operation_Close(&op), MI_RESULT_OK);
    MI_Instance_Delete(key);
    assert_int_equal(MI_Session_Close(&session, NULL, NULL), MI_RESULT_OK);
}

static void test_timeout(void **state)
{
    (void)state;
    MI_Session session = open_session();
    MI_Instance *key = system_key();
    MI_OperationOptions options;
    assert_int_equal(MI_Application_NewOperationOptions(&app, MI_FALSE, &options), MI_RESULT_OK);
    MI_Interval tiny = {0};
    tiny.microseconds = 1;
    assert_int_equal(MI_OperationOptions_SetTimeout(&options, &tiny), MI_RESULT_OK);
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_AssociatorInstances(&session, 0, &options, "root/cimv2", key, NULL, NULL, NULL, NULL,
                                   MI_FALSE, NULL, &op);
    thrd_sleep(&(struct timespec){.tv_nsec = 2000000}, NULL); /* well past the deadline */
    const MI_Instance *inst = NULL;
    MI_Boolean more = MI_TRUE;
    MI_Result result = MI_RESULT_OK;
    const MI_Char *message = NULL;
    assert_int_equal(MI_Operation_GetInstance(&op, &inst, &more, &result, &message, NULL),
                     MI_RESULT_OK);
    assert_null(inst);
    assert_false(more);
    assert_int_equal(result, MI_RESULT_FAILED);
    assert_string_equal(message, "the operation timed out");
    MI_Operation_Close(&op);
    MI_OperationOptions_Delete(&options);
    MI_Instance_Delete(key);
    MI_Session_Close(&session, NULL, NULL);
}

typedef struct async_state {
    mtx_t lock;
    cnd_t changed;
    int results;
    bool done;
    MI_Result result;
    bool close_in_callback;
} async_state;

static void MI_CALL on_result(MI_Operation *op, void *context, const MI_Instance *instance,
                              MI_Boolean more, MI_Result result, const MI_Char *message,
                              const MI_Instance *details, MI_Result(MI_CALL *ack)(MI_Operation *))
{
    (void)message, (void)details, (void)ack;
    async_state *a = context;
    /* closed before the waiter hears of the end: it may reuse the handle's memory at once */
    if (!more && a->close_in_callback)
        MI_Operation_Close(op); /* allowed: the worker finishes and frees the operation */
    mtx_lock(&a->lock);
    if (instance)
        a->results++;
    if (!more) {
        a->done = true;
        a->result = result;
    }
    cnd_broadcast(&a->changed);
    mtx_unlock(&a->lock);
}

static void wait_for(async_state *a, int results)
{
    mtx_lock(&a->lock);
    while (a->results < results && !a->done)
        cnd_wait(&a->changed, &a->lock);
    mtx_unlock(&a->lock);
}

static void test_cancel_with_callbacks_and_manual_ack(void **state)
{
    (void)state;
    MI_Session session = open_session();
    MI_Instance *key = system_key();
    async_state a = {0};
    mtx_init(&a.lock, mtx_plain);
    cnd_init(&a.changed);
    MI_OperationCallbacks cb = MI_OPERATIONCALLBACKS_NULL;
    cb.callbackContext = &a;
    cb.instanceResult = on_result;
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_AssociatorInstances(&session, MI_OPERATIONFLAGS_MANUAL_ACK_RESULTS, NULL,
                                   "root/cimv2", key, NULL, NULL, NULL, NULL, MI_FALSE, &cb, &op);
    wait_for(&a, 1);
    thrd_sleep(&(struct timespec){.tv_nsec = 2000000},
               NULL); /* without an acknowledgement, nothing more comes */
    mtx_lock(&a.lock);
    assert_int_equal(a.results, 1);
    mtx_unlock(&a.lock);
    assert_int_equal(MI_Operation_Cancel(&op, MI_REASON_NONE), MI_RESULT_OK);
    wait_for(&a, DEVICES + 1);
    assert_true(a.done);
    assert_int_equal(a.result, MI_RESULT_FAILED);
    assert_int_equal(a.results, 1);
    assert_int_equal(MI_Operation_Close(&op), MI_RESULT_OK);
    cnd_destroy(&a.changed);
    mtx_destroy(&a.lock);
    MI_Instance_Delete(key);
    MI_Session_Close(&session, NULL, NULL);
}

static void test_close_unread_and_from_callback(void **state)
{
    (void)state;
    MI_Session session = open_session();
    MI_Instance *key = system_key();
    /* synchronous, never read */
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_AssociatorInstances(&session, 0, NULL, "root/cimv2", key, NULL, NULL, NULL, NULL,
                                   MI_FALSE, NULL, &op);
    assert_int_equal(MI_Operation_Close(&op), MI_RESULT_OK);
    /* with callbacks: closed from inside the final callback */
    async_state a = {0};
    mtx_init(&a.lock, mtx_plain);
    cnd_init(&a.changed);
    a.close_in_callback = true;
    MI_OperationCallbacks cb = MI_OPERATIONCALLBACKS_NULL;
    cb.callbackContext = &a;
    cb.instanceResult = on_result;
    MI_Operation async_op = MI_OPERATION_NULL;
    MI_Session_AssociatorInstances(&session, 0, NULL, "root/cimv2", key, NULL, NULL, NULL, NULL,
                                   MI_TRUE, &cb, &async_op);
    wait_for(&a, DEVICES + 1);
    assert_true(a.done);
    assert_int_equal(a.result, MI_RESULT_OK);
    assert_int_equal(a.results, DEVICES);
    cnd_destroy(&a.changed);
    mtx_destroy(&a.lock);
    /* a session closed with an operation waiting for an acknowledgement */
    async_state b = {0};
    mtx_init(&b.lock, mtx_plain);
    cnd_init(&b.changed);
    cb.callbackContext = &b;
    MI_Operation waiting = MI_OPERATION_NULL;
    MI_Session_AssociatorInstances(&session, MI_OPERATIONFLAGS_MANUAL_ACK_RESULTS, NULL,
                                   "root/cimv2", key, NULL, NULL, NULL, NULL, MI_FALSE, &cb,
                                   &waiting);
    wait_for(&b, 1);
    MI_Instance_Delete(key);
    assert_int_equal(MI_Session_Close(&session, NULL, NULL), MI_RESULT_OK);
    assert_true(b.done); /* the session stopped it */
    assert_int_equal(b.result, MI_RESULT_FAILED);
    assert_int_equal(MI_Operation_Close(&waiting), MI_RESULT_OK);
    cnd_destroy(&b.changed);
    mtx_destroy(&b.lock);
}

/* A result longer than a page: every object once, though two associations reach each. */
static void test_large_result_each_once(void **state)
{
    (void)state;
    MI_Session session = open_session();
    MI_Instance *key;
    assert_int_equal(MI_Application_NewInstance(&app, "Sys", NULL, &key), MI_RESULT_OK);
    MI_Value v = {.string = "big"};
    assert_int_equal(MI_Instance_AddElement(key, "Name", &v, MI_STRING, MI_FLAG_KEY), MI_RESULT_OK);
    for (int keys_only = 0; keys_only < 2; keys_only++) {
        static bool seen[BIG];
        memset(seen, 0, sizeof seen);
        MI_Operation op = MI_OPERATION_NULL;
        MI_Session_AssociatorInstances(&session, 0, NULL, "root/cimv2", key, NULL, NULL, NULL, NULL,
                                       keys_only ? MI_TRUE : MI_FALSE, NULL, &op);
        MI_Boolean more = MI_TRUE;
        MI_Result result = MI_RESULT_FAILED;
        int count = 0;
        while (more) {
            const MI_Instance *inst = NULL;
            assert_int_equal(MI_Operation_GetInstance(&op, &inst, &more, &result, NULL, NULL),
                             MI_RESULT_OK);
            if (!inst)
                continue;
            MI_Value id;
            assert_int_equal(MI_Instance_GetElement(inst, "Id", &id, NULL, NULL, NULL),
                             MI_RESULT_OK);
            int n = atoi(id.string + 1);
            assert_true(n >= 0 && n < BIG);
            assert_false(seen[n]);
            seen[n] = true;
            count++;
        }
        assert_int_equal(result, MI_RESULT_OK);
        assert_int_equal(count, BIG);
        /* the same order on every call */
        MI_Operation again = MI_OPERATION_NULL, first = MI_OPERATION_NULL;
        MI_Session_AssociatorInstances(&session, 0, NULL, "root/cimv2", key, NULL, NULL, NULL, NULL,
                                       MI_TRUE, NULL, &again);
        MI_Session_AssociatorInstances(&session, 0, NULL, "root/cimv2", key, NULL, NULL, NULL, NULL,
                                       MI_TRUE, NULL, &first);
        for (more = MI_TRUE; more;) {
            const MI_Instance *a = NULL, *b = NULL;
            MI_Boolean more_a, more_b;
            assert_int_equal(MI_Operation_GetInstance(&again, &a, &more_a, &result, NULL, NULL),
                             MI_RESULT_OK);
            assert_int_equal(MI_Operation_GetInstance(&first, &b, &more_b, &result, NULL, NULL),
                             MI_RESULT_OK);
            assert_int_equal(more_a, more_b);
            more = more_a;
            if (!a || !b) {
                assert_true(!a && !b);
                continue;
            }
            MI_Value ia, ib;
            MI_Instance_GetElement(a, "Id", &ia, NULL, NULL, NULL);
            MI_Instance_GetElement(b, "Id", &ib, NULL, NULL, NULL);
            assert_string_equal(ia.string, ib.string);
        }
        MI_Operation_Close(&again);
        MI_Operation_Close(&first);
        MI_Operation_Close(&op);
    }
    MI_Instance_Delete(key);
    assert_int_equal(MI_Session_Close(&session, NULL, NULL), MI_RESULT_OK);
}

/* An operation that ends at once, closed from its final callback: the worker may finish
 * before the call that started it has returned. */
static void test_close_from_callback_of_instant_operation(void **state)
{
    (void)state;
    MI_Session session = open_session();
    MI_Instance *key;
    assert_int_equal(MI_Application_NewInstance(&app, "Sys", NULL, &key), MI_RESULT_OK);
    MI_Value v = {.string = "nobody"};
    assert_int_equal(MI_Instance_AddElement(key, "Name", &v, MI_STRING, MI_FLAG_KEY), MI_RESULT_OK);
    for (int round = 0; round < 300; round++) {
        async_state a = {0};
        mtx_init(&a.lock, mtx_plain);
        cnd_init(&a.changed);
        a.close_in_callback = true;
        MI_OperationCallbacks cb = MI_OPERATIONCALLBACKS_NULL;
        cb.callbackContext = &a;
        cb.instanceResult = on_result;
        MI_Operation op = MI_OPERATION_NULL;
        MI_Session_AssociatorInstances(&session, 0, NULL, "root/cimv2", key, NULL, NULL, NULL, NULL,
                                       MI_FALSE, &cb, &op);
        wait_for(&a, 1);
        assert_true(a.done);
        assert_int_equal(a.result, MI_RESULT_OK); /* the source need not exist */
        assert_int_equal(a.results, 0);
        cnd_destroy(&a.changed);
        mtx_destroy(&a.lock);
    }
    MI_Instance_Delete(key);
    assert_int_equal(MI_Session_Close(&session, NULL, NULL), MI_RESULT_OK);
}

#define THREADS 8
#define ROUNDS 50

static int worker(void *arg)
{
    int *failures = arg;
    MI_Session session = MI_SESSION_NULL;
    if (new_session(&session) != MI_RESULT_OK) {
        (*failures)++;
        return 0;
    }
    MI_Instance *key;
    MI_Application_NewInstance(&app, "Sys", NULL, &key);
    MI_Value v = {.string = "s1"};
    MI_Instance_AddElement(key, "Name", &v, MI_STRING, MI_FLAG_KEY);
    for (int round = 0; round < ROUNDS; round++) {
        MI_Operation op = MI_OPERATION_NULL;
        MI_Session_AssociatorInstances(&session, 0, NULL, "root/cimv2", key, NULL, "Dev", NULL,
                                       NULL, round % 2 ? MI_TRUE : MI_FALSE, NULL, &op);
        MI_Boolean more = MI_TRUE;
        MI_Result result = MI_RESULT_OK;
        int count = 0;
        while (more) {
            const MI_Instance *inst = NULL;
            if (MI_Operation_GetInstance(&op, &inst, &more, &result, NULL, NULL) != MI_RESULT_OK)
                break;
            count += inst != NULL;
        }
        MI_Operation_Close(&op);
        if (result != MI_RESULT_OK || count != DEVICES)
            (*failures)++;
    }
    MI_Instance_Delete(key);
    MI_Session_Close(&session, NULL, NULL);
    return 0;
}

static void test_many_threads(void **state)
{
    (void)state;
    thrd_t threads[THREADS];
    int failures[THREADS] = {0};
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(thrd_create(&threads[i], worker, &failures[i]), thrd_success);
    for (int i = 0; i < THREADS; i++) {
        thrd_join(threads[i], NULL);
        assert_int_equal(failures[i], 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cancel_synchronous),
        cmocka_unit_test(test_timeout),
        cmocka_unit_test(test_cancel_with_callbacks_and_manual_ack),
        cmocka_unit_test(test_close_unread_and_from_callback),
        cmocka_unit_test(test_close_from_callback_of_instant_operation),
        cmocka_unit_test(test_large_result_each_once),
        cmocka_unit_test(test_many_threads),
    };
    int failed = cmocka_run_group_tests_name("in-process", tests, setup, teardown);
    const char *build = getenv("MI_BUILD_DIR");
    if (!build) {
        printf("through mid: skipped, MI_BUILD_DIR does not say where mid is\n");
        return failed;
    }
    snprintf(mid_tool, sizeof mid_tool, "%s/bin/mid", build);
    return failed + cmocka_run_group_tests_name("through mid", tests, setup, teardown);
}
