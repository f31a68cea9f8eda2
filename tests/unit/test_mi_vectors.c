/*
 * Every case of ../shared/spec/vectors/<suite>/cases.txt through the public MI API on the
 * embedded repository: MI_Session_AssociatorInstances / ReferenceInstances (keysOnly for
 * the *_names cases), each case synchronously (MI_Operation_GetInstance) and through
 * callbacks, the callback runs alternating between automatic and manual
 * acknowledgement (with manual, no result may come before the previous one is
 * acknowledged).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/instance.h"
#include "core/path.h"
#include "mof/mof.h"
#include "repo/repository.h"
#include "support.h"

#include <mi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <unistd.h>

static const char *vectors;
static char dir[64];
static int sync_cases, async_cases, manual_acks;

typedef struct lines {
    char **items;
    size_t count, capacity;
} lines;

static void add_line(lines *l, const MI_Instance *inst)
{
    char *canonical = NULL;
    assert_int_equal(mi_path_canonical(&canonical, inst, NULL), MI_RESULT_OK);
    if (l->count == l->capacity) {
        l->capacity = l->capacity ? l->capacity * 2 : 16;
        l->items = realloc(l->items, l->capacity * sizeof *l->items);
    }
    l->items[l->count++] = canonical;
}

static int compare_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void check(const mi_vector_case *c, const char *mode, MI_Result result, const char *message,
                  lines *got)
{
    if (c->expect_error) {
        char want[80];
        snprintf(want, sizeof want, "MI_RESULT_%s", c->error);
        if (strcmp(MI_Libmi_ResultName(result), want) != 0)
            fail_msg("case %d (%s, %s): expected %s, got %s", c->number, c->op, mode, want,
                     MI_Libmi_ResultName(result));
        assert_int_equal(got->count, 0);
    } else {
        if (result != MI_RESULT_OK)
            fail_msg("case %d (%s, %s): %s: %s", c->number, c->op, mode,
                     MI_Libmi_ResultName(result), message ? message : "");
        if (got->count > 1)
            qsort(got->items, got->count, sizeof *got->items, compare_lines);
        bool same = got->count == c->expected_count;
        for (size_t i = 0; same && i < got->count; i++)
            same = strcmp(got->items[i], c->expected[i]) == 0;
        if (!same)
            fail_msg("case %d (%s %s, %s): expected %zu results, got %zu", c->number, c->op,
                     c->source, mode, c->expected_count, got->count);
    }
    for (size_t i = 0; i < got->count; i++)
        free(got->items[i]);
    free(got->items);
    memset(got, 0, sizeof *got);
}

typedef struct runner {
    MI_Application app;
    MI_Session session;
} runner;

static const char *or_null(const char *s)
{
    return *s ? s : NULL;
}

static void start(runner *r, const mi_vector_case *c, MI_Instance *key, MI_Uint32 flags,
                  MI_OperationCallbacks *cb, MI_Operation *op)
{
    bool names = strstr(c->op, "_names") != NULL;
    if (!strncmp(c->op, "associator", 10))
        MI_Session_AssociatorInstances(
            &r->session, flags, NULL, c->ns, key, or_null(c->assoc_class), or_null(c->result_class),
            or_null(c->role), or_null(c->result_role), names ? MI_TRUE : MI_FALSE, cb, op);
    else
        MI_Session_ReferenceInstances(&r->session, flags, NULL, c->ns, key,
                                      or_null(c->result_class), or_null(c->role),
                                      names ? MI_TRUE : MI_FALSE, cb, op);
}

/* ---- callbacks, with the main thread acknowledging ---- */

typedef struct async_state {
    mtx_t lock;
    cnd_t changed;
    lines got;
    int unacknowledged; /* results delivered and not yet acknowledged */
    int overlap;        /* a result came while another waited for its acknowledgement */
    bool done;
    MI_Result result;
    char message[512];
    MI_Result(MI_CALL *ack)(MI_Operation *);
    MI_Operation *op;
    bool keys_expected;
} async_state;

static void MI_CALL on_result(MI_Operation *op, void *context, const MI_Instance *instance,
                              MI_Boolean more, MI_Result result, const MI_Char *message,
                              const MI_Instance *details, MI_Result(MI_CALL *ack)(MI_Operation *))
{
    (void)details;
    async_state *a = context;
    mtx_lock(&a->lock);
    if (instance) {
        add_line(&a->got, instance);
        if (a->unacknowledged)
            a->overlap++;
        if (ack)
            a->unacknowledged++;
        a->ack = ack;
        a->op = op;
    }
    if (!more) {
        a->done = true;
        a->result = result;
        snprintf(a->message, sizeof a->message, "%s", message ? message : "");
    }
    cnd_broadcast(&a->changed);
    mtx_unlock(&a->lock);
}

static void run_async(runner *r, const mi_vector_case *c, MI_Instance *key, bool manual)
{
    async_state a = {0};
    mtx_init(&a.lock, mtx_plain);
    cnd_init(&a.changed);
    MI_OperationCallbacks cb = MI_OPERATIONCALLBACKS_NULL;
    cb.callbackContext = &a;
    cb.instanceResult = on_result;
    MI_Operation op = MI_OPERATION_NULL;
    start(r, c, key, manual ? MI_OPERATIONFLAGS_MANUAL_ACK_RESULTS : 0, &cb, &op);
    mtx_lock(&a.lock);
    while (!a.done) {
        if (a.unacknowledged) {
            /* give a wrongly eager worker the chance to overtake, then acknowledge */
            mtx_unlock(&a.lock);
            thrd_yield();
            mtx_lock(&a.lock);
            a.unacknowledged--;
            MI_Result(MI_CALL * ack)(MI_Operation *) = a.ack;
            MI_Operation *acked = a.op;
            mtx_unlock(&a.lock);
            assert_int_equal(ack(acked), MI_RESULT_OK);
            manual_acks++;
            mtx_lock(&a.lock);
            continue;
        }
        cnd_wait(&a.changed, &a.lock);
    }
    mtx_unlock(&a.lock);
    assert_int_equal(MI_Operation_Close(&op), MI_RESULT_OK);
    assert_int_equal(a.overlap, 0);
    check(c, manual ? "callbacks, manual ack" : "callbacks", a.result, a.message, &a.got);
    cnd_destroy(&a.changed);
    mtx_destroy(&a.lock);
    async_cases++;
}

static void run_sync(runner *r, const mi_vector_case *c, MI_Instance *key)
{
    MI_Operation op = MI_OPERATION_NULL;
    start(r, c, key, 0, NULL, &op);
    lines got = {0};
    MI_Boolean more = MI_TRUE;
    MI_Result result = MI_RESULT_OK;
    const MI_Char *message = NULL;
    while (more) {
        const MI_Instance *inst = NULL;
        assert_int_equal(MI_Operation_GetInstance(&op, &inst, &more, &result, &message, NULL),
                         MI_RESULT_OK);
        if (inst) {
            assert_true(more);
            add_line(&got, inst);
            /* SEMANTICS.md §3: namespace, class name and key flags on every result */
            const MI_Char *ns = NULL;
            assert_int_equal(MI_Instance_GetNameSpace(inst, &ns), MI_RESULT_OK);
            assert_string_equal(ns, c->ns);
        }
    }
    check(c, "synchronous", result, message, &got);
    assert_int_equal(MI_Operation_Close(&op), MI_RESULT_OK);
    sync_cases++;
}

static void run_case(void *context, const mi_vector_case *c)
{
    runner *r = context;
    MI_Instance *key;
    assert_int_equal(mi_path_parse(&key, c->source, NULL), MI_RESULT_OK);
    run_sync(r, c, key);
    run_async(r, c, key, c->number % 2 == 0);
    mi_instance_delete(key);
}

static void run_suite(const char *suite)
{
    char path[2048], repo_file[128];
    snprintf(repo_file, sizeof repo_file, "%s/%s.db", dir, suite);
    mi_repository *repo;
    assert_int_equal(mi_repository_open(&repo, repo_file, true, NULL), MI_RESULT_OK);
    mi_schema_store store = mi_repository_store(repo);
    mi_mof_options options = {.namespace_name = "root/test"};
    mi_error err = {0};
    snprintf(path, sizeof path, "%s/qualifiers.mof", vectors);
    if (mi_mof_compile_file(&store, path, &options, NULL, &err))
        fail_msg("%s", err.message);
    snprintf(path, sizeof path, "%s/%s/model.mof", vectors, suite);
    if (mi_mof_compile_file(&store, path, &options, NULL, &err))
        fail_msg("%s", err.message);
    mi_repository_close(repo);

    setenv("MI_REPOSITORY", repo_file, 1);
    runner r = {MI_APPLICATION_NULL, MI_SESSION_NULL};
    assert_int_equal(MI_Application_Initialize(0, NULL, NULL, &r.app), MI_RESULT_OK);
    assert_int_equal(MI_Application_NewSession(&r.app, NULL, NULL, NULL, NULL, NULL, &r.session),
                     MI_RESULT_OK);
    snprintf(path, sizeof path, "%s/%s/cases.txt", vectors, suite);
    assert_true(mi_test_for_each_vector_case(path, run_case, &r) > 0);
    assert_int_equal(MI_Session_Close(&r.session, NULL, NULL), MI_RESULT_OK);
    assert_int_equal(MI_Application_Close(&r.app), MI_RESULT_OK);
}

static void test_every_vector_case_through_the_mi_api(void **state)
{
    (void)state;
    static const char *const suites[] = {"basic", "cim", "edge", "keys"};
    for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++)
        run_suite(suites[i]);
    printf("%d cases synchronously, %d through callbacks (%d manual acknowledgements)\n",
           sync_cases, async_cases, manual_acks);
    assert_true(sync_cases >= 2000);
    assert_int_equal(async_cases, sync_cases);
    assert_true(manual_acks > 100);
}

static int make_dir(void **state)
{
    (void)state;
    return mi_test_make_dir(dir, "mi-vectors") ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    return mi_test_remove_dir(dir) ? 0 : -1;
}

int main(void)
{
    const char *shared = mi_test_shared_dir("the association vectors");
    if (!shared)
        return MI_TEST_SKIP;
    static char path[2048];
    snprintf(path, sizeof path, "%s/spec/vectors", shared);
    vectors = path;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_vector_case_through_the_mi_api),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
