/*
 * Many readers and one writer from several processes: reader processes ask for
 * associators through the MI API over and over while this process keeps compiling new
 * objects into the same repository file. Every reader answer must be whole and right,
 * and no call may fail for being busy.
 */
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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define READERS 3
#define DEVICES 20

static char dir[64], file[128];

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A reader: associators of s1 must be its DEVICES devices, every time. */
static int reader(double seconds)
{
    setenv("MI_REPOSITORY", file, 1);
    MI_Application app = MI_APPLICATION_NULL;
    MI_Session session = MI_SESSION_NULL;
    if (MI_Application_Initialize(0, NULL, NULL, &app) != MI_RESULT_OK ||
        MI_Application_NewSession(&app, NULL, NULL, NULL, NULL, NULL, &session) != MI_RESULT_OK)
        return 10;
    MI_Instance *key;
    MI_Application_NewInstance(&app, "Sys", NULL, &key);
    MI_Value v = {.string = "s1"};
    MI_Instance_AddElement(key, "Name", &v, MI_STRING, MI_FLAG_KEY);
    int rounds = 0, status = 0;
    double end = now() + seconds;
    while (now() < end && status == 0) {
        MI_Operation op = MI_OPERATION_NULL;
        MI_Session_AssociatorInstances(&session, 0, NULL, "root/cimv2", key, "SysDev", NULL, NULL,
                                       NULL, MI_FALSE, NULL, &op);
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
        if (result != MI_RESULT_OK)
            status = 11;
        else if (count != DEVICES)
            status = 12;
        rounds++;
    }
    MI_Instance_Delete(key);
    MI_Session_Close(&session, NULL, NULL);
    MI_Application_Close(&app);
    return status ? status : rounds > 0 ? 0 : 13;
}

static void compile(mi_repository *repo, const char *text)
{
    mi_schema_store store = mi_repository_store(repo);
    mi_error err = {0};
    if (mi_mof_compile_string(&store, "w.mof", text, strlen(text), NULL, NULL, &err))
        fail_msg("%s", err.message);
}

static void test_readers_and_a_writer(void **state)
{
    (void)state;
    mi_repository *repo;
    assert_int_equal(mi_repository_open(&repo, file, true, NULL), MI_RESULT_OK);
    mi_strbuf mof = MI_STRBUF_INIT;
    mi_strbuf_puts(&mof, "class Sys { [Key] string Name; };\n"
                         "class Dev { [Key] string Id; };\n"
                         "[Association] class SysDev { [Key] Sys REF G; [Key] Dev REF P; };\n"
                         "instance of Sys as $s { Name = \"s1\"; };\n");
    for (int i = 0; i < DEVICES; i++)
        mi_strbuf_printf(&mof,
                         "instance of Dev as $d%d { Id = \"d%d\"; };\n"
                         "instance of SysDev { G = $s; P = $d%d; };\n",
                         i, i, i);
    char *text = mi_strbuf_take(&mof);
    compile(repo, text);
    free(text);

    pid_t children[READERS];
    for (int i = 0; i < READERS; i++) {
        children[i] = fork();
        assert_true(children[i] >= 0);
        if (children[i] == 0)
            _exit(reader(1.5));
    }
    /* the writer: other systems and their devices, one transaction after another */
    int batches = 0;
    double end = now() + 1.5;
    while (now() < end) {
        for (int i = 0; i < 200; i++)
            mi_strbuf_printf(&mof,
                             "instance of Sys as $x%d { Name = \"w%d-%d\"; };\n"
                             "instance of Dev as $y%d { Id = \"w%d-%d\"; };\n"
                             "instance of SysDev { G = $x%d; P = $y%d; };\n",
                             i, batches, i, i, batches, i, i, i);
        text = mi_strbuf_take(&mof);
        compile(repo, text);
        free(text);
        batches++;
    }
    for (int i = 0; i < READERS; i++) {
        int status;
        assert_int_equal(waitpid(children[i], &status, 0), children[i]);
        assert_true(WIFEXITED(status));
        if (WEXITSTATUS(status) != 0)
            fail_msg("reader %d ended with %d", i, WEXITSTATUS(status));
    }
    printf("%d write transactions while %d processes read\n", batches, READERS);
    assert_true(batches > 0);
    assert_int_equal(mi_repository_count_instances(repo, "root/cimv2"),
                     (uint64_t)(1 + 2 * DEVICES + 600 * batches));
    mi_repository_close(repo);
}

static int setup(void **state)
{
    (void)state;
    if (!mi_test_make_dir(dir, "mi-procs"))
        return -1;
    snprintf(file, sizeof file, "%s/repo.db", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return mi_test_remove_dir(dir) ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_readers_and_a_writer),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
