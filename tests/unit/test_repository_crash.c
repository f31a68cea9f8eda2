/*
 * Crash safety: a child process compiles MOF into a repository file, one compile after
 * another, and is killed (SIGKILL) in the middle; the file then opens cleanly and holds
 * exactly the compiles that committed, each whole, and the reference index agrees.
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

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PER_COMPILE 2000 /* objects and associations per compile: 2 instances each */

static char dir[64];

/* Compile number n: PER_COMPILE nodes and as many links, all in one transaction. */
static char *batch_mof(int n)
{
    mi_strbuf mof = MI_STRBUF_INIT;
    for (int i = 0; i < PER_COMPILE; i++)
        mi_strbuf_printf(&mof,
                         "instance of Node as $n%d { Id = \"b%d-%d\"; };\n"
                         "instance of Link { From = $n%d; To = \"Node.Id=\\\"root\\\"\"; };\n",
                         i, n, i, i);
    return mi_strbuf_take(&mof);
}

static void child(const char *file, int ready_fd)
{
    mi_repository *repo;
    if (mi_repository_open(&repo, file, true, NULL) != MI_RESULT_OK)
        _exit(2);
    mi_schema_store store = mi_repository_store(repo);
    static const char schema[] =
        "class Node { [Key] string Id; };\n"
        "[Association] class Link { [Key] Node REF From; [Key] Node REF To; };\n"
        "instance of Node { Id = \"root\"; };\n";
    if (mi_mof_compile_string(&store, "schema.mof", schema, sizeof schema - 1, NULL, NULL, NULL))
        _exit(3);
    if (write(ready_fd, "r", 1) != 1)
        _exit(4);
    for (int n = 0;; n++) {
        char *text = batch_mof(n);
        if (mi_mof_compile_string(&store, "batch.mof", text, strlen(text), NULL, NULL, NULL))
            _exit(5);
        free(text);
    }
}

static void test_killed_in_the_middle(void **state)
{
    (void)state;
    char file[128];
    snprintf(file, sizeof file, "%s/crash.db", dir);
    for (int attempt = 0; attempt < 4; attempt++) {
        unlink(file);
        int fds[2];
        assert_int_equal(pipe(fds), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            child(file, fds[1]);
        }
        close(fds[1]);
        char ready;
        assert_int_equal(read(fds[0], &ready, 1), 1);
        close(fds[0]);
        /* let a few compiles commit and another one start, at a different point each time */
        struct timespec pause = {0, (150 + 70 * attempt) * 1000000L};
        nanosleep(&pause, NULL);
        assert_int_equal(kill(pid, SIGKILL), 0);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFSIGNALED(status));

        mi_repository *repo;
        mi_error err = {0};
        if (mi_repository_open(&repo, file, false, &err) != MI_RESULT_OK)
            fail_msg("attempt %d: the repository does not open after the kill: %s", attempt,
                     err.message);
        uint64_t instances = mi_repository_count_instances(repo, "root/cimv2");
        uint64_t references = mi_repository_count_references(repo, "root/cimv2");
        /* the root node, then whole compiles of 2 * PER_COMPILE instances only */
        assert_true(instances >= 1);
        assert_int_equal((instances - 1) % (2 * PER_COMPILE), 0);
        uint64_t compiles = (instances - 1) / (2 * PER_COMPILE);
        assert_int_equal(references, compiles * PER_COMPILE * 2);
        printf("attempt %d: %llu compiles had committed\n", attempt, (unsigned long long)compiles);
        /* and it takes more work */
        mi_schema_store store = mi_repository_store(repo);
        static const char more[] = "instance of Node { Id = \"after\"; };\n";
        assert_int_equal(
            mi_mof_compile_string(&store, "more.mof", more, sizeof more - 1, NULL, NULL, &err),
            MI_RESULT_OK);
        assert_int_equal(mi_repository_count_instances(repo, "root/cimv2"), instances + 1);
        mi_repository_close(repo);
    }
}

static int make_dir(void **state)
{
    (void)state;
    return mi_test_make_dir(dir, "mi-crash") ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    return mi_test_remove_dir(dir) ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_killed_in_the_middle),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
