/*
 * Every case of ../shared/spec/vectors/<suite>/cases.txt once more, through the mi tool
 * (`mi associators|references ... --format paths`, --keys-only for the *_names cases):
 * each printed path, read back, must give the canonical paths the case expects, and an
 * error case must exit 1 naming its MI_RESULT_*. The models go in through `mi compile`.
 * Then every case again through `mi --host` against mid serving the same repository
 * over CIM-XML on loopback, and once more over WS-Management (`--host URL/wsman`: the
 * association filter of DSP0227, Enumerate and Pull).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/instance.h"
#include "core/path.h"
#include "repo/repository.h"
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *vectors, *mi_tool, *mid_tool;
static char dir[64];
static int cases_run, remote_cases_run, wsman_cases_run;
static char host_url[64]; /* set: the cases go to mid */

/* Appends ' text ' to cmd, single-quoted for the shell. */
static void quoted(char *cmd, size_t size, const char *text)
{
    size_t used = strlen(cmd);
    if (used + 4 >= size)
        fail_msg("command too long");
    cmd[used++] = ' ';
    cmd[used++] = '\'';
    for (const char *p = text; *p; p++) {
        const char *piece = *p == '\'' ? "'\\''" : NULL;
        size_t n = piece ? strlen(piece) : 1;
        if (used + n + 3 >= size)
            fail_msg("command too long");
        if (piece)
            memcpy(cmd + used, piece, n);
        else
            cmd[used] = *p;
        used += n;
    }
    cmd[used++] = '\'';
    cmd[used] = '\0';
}

static void option(char *cmd, size_t size, const char *name, const char *value)
{
    if (!*value)
        return;
    quoted(cmd, size, name);
    quoted(cmd, size, value);
}

static int compare_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct suite {
    const char *file;
    mi_repository *repo; /* to type the keys of the printed paths by their classes */
    const char *ns;
} suite;

static const mi_class *lookup_class(void *context, const char *name)
{
    const suite *s = context;
    return mi_repository_find_class(s->repo, s->ns, name);
}

static void run_case(void *context, const mi_vector_case *c)
{
    suite *s = context;
    const char *repo = s->file;
    s->ns = c->ns;
    bool associators = !strncmp(c->op, "associator", 10);
    char cmd[8192] = "";
    snprintf(cmd, sizeof cmd, "'%s'", mi_tool);
    quoted(cmd, sizeof cmd, host_url[0] ? "--host" : "--repository");
    quoted(cmd, sizeof cmd, host_url[0] ? host_url : repo);
    quoted(cmd, sizeof cmd, "-n");
    quoted(cmd, sizeof cmd, c->ns);
    quoted(cmd, sizeof cmd, associators ? "associators" : "references");
    quoted(cmd, sizeof cmd, c->source);
    if (associators)
        option(cmd, sizeof cmd, "--assoc-class", c->assoc_class);
    option(cmd, sizeof cmd, "--result-class", c->result_class);
    option(cmd, sizeof cmd, "--role", c->role);
    if (associators)
        option(cmd, sizeof cmd, "--result-role", c->result_role);
    if (strstr(c->op, "_names"))
        quoted(cmd, sizeof cmd, "--keys-only");
    char err_file[128];
    snprintf(err_file, sizeof err_file, "%s/stderr", dir);
    size_t used = strlen(cmd);
    snprintf(cmd + used, sizeof cmd - used, " --format paths 2>'%s'", err_file);

    FILE *out = popen(cmd, "r");
    assert_non_null(out);
    char **got = NULL;
    size_t count = 0;
    char line[8192];
    while (fgets(line, sizeof line, out)) {
        line[strcspn(line, "\n")] = '\0';
        MI_Instance *path = NULL;
        char *canonical = NULL;
        const mi_class *cls = NULL;
        if (mi_path_parse(&path, line, NULL) != MI_RESULT_OK ||
            !(cls = lookup_class(s, mi_instance_class_name(path))) ||
            mi_path_resolve(path, cls, lookup_class, s, NULL) != MI_RESULT_OK ||
            mi_path_canonical(&canonical, path, NULL) != MI_RESULT_OK)
            fail_msg("case %d: mi printed a path it cannot read back: %s", c->number, line);
        mi_instance_delete(path);
        got = realloc(got, (count + 1) * sizeof *got);
        got[count++] = canonical;
    }
    int status = pclose(out);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    size_t err_len = 0;
    char *errors = mi_test_read_file(err_file, &err_len);
    if (c->expect_error) {
        char want[80];
        snprintf(want, sizeof want, "MI_RESULT_%s (", c->error);
        if (code != 1 || !errors || !strstr(errors, want))
            fail_msg("case %d (%s %s): expected exit 1 and %s, got exit %d: %s", c->number, c->op,
                     c->source, want, code, errors ? errors : "");
        assert_int_equal(count, 0);
    } else {
        if (code != 0)
            fail_msg("case %d (%s %s): exit %d: %s", c->number, c->op, c->source, code,
                     errors ? errors : "");
        if (count > 1)
            qsort(got, count, sizeof *got, compare_lines);
        bool same = count == c->expected_count;
        for (size_t i = 0; same && i < count; i++)
            same = strcmp(got[i], c->expected[i]) == 0;
        if (!same)
            fail_msg("case %d (%s %s): expected %zu results, got %zu%s%s", c->number, c->op,
                     c->source, c->expected_count, count, count ? ", the first: " : "",
                     count ? got[0] : "");
    }
    free(errors);
    for (size_t i = 0; i < count; i++)
        free(got[i]);
    free(got);
    if (strstr(host_url, "/wsman"))
        wsman_cases_run++;
    else if (host_url[0])
        remote_cases_run++;
    else
        cases_run++;
}

/* Starts mid on the repository at a free loopback port; its pid, and host_url set. */
static pid_t start_mid(const char *repo)
{
    pid_t pid = mi_test_start_mid(mid_tool, repo, dir, host_url, sizeof host_url);
    if (pid < 0)
        fail_msg("mid did not start");
    return pid;
}

static void run_suite(const char *name)
{
    char repo[128], cmd[4096];
    snprintf(repo, sizeof repo, "%s/%s.db", dir, name);
    snprintf(cmd, sizeof cmd,
             "'%s' --repository '%s' -n root/test compile '%s/qualifiers.mof' '%s/%s/model.mof'"
             " >/dev/null",
             mi_tool, repo, vectors, vectors, name);
    assert_int_equal(system(cmd), 0);
    struct suite s = {repo, NULL, NULL};
    assert_int_equal(mi_repository_open(&s.repo, repo, false, NULL), MI_RESULT_OK);
    char cases[2048];
    snprintf(cases, sizeof cases, "%s/%s/cases.txt", vectors, name);
    assert_true(mi_test_for_each_vector_case(cases, run_case, &s) > 0);
    pid_t mid = start_mid(repo);
    assert_true(mi_test_for_each_vector_case(cases, run_case, &s) > 0);
    strncat(host_url, "/wsman", sizeof host_url - strlen(host_url) - 1);
    assert_true(mi_test_for_each_vector_case(cases, run_case, &s) > 0);
    host_url[0] = '\0';
    kill(mid, SIGTERM);
    int status = 0;
    waitpid(mid, &status, 0);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    mi_repository_close(s.repo);
}

static void test_every_vector_case_through_the_tool(void **state)
{
    (void)state;
    static const char *const suites[] = {"basic", "cim", "edge", "keys"};
    for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++)
        run_suite(suites[i]);
    printf("%d cases through mi, %d through mi --host and mid over CIM-XML, %d over "
           "WS-Management\n",
           cases_run, remote_cases_run, wsman_cases_run);
    assert_true(cases_run >= 2000);
    assert_int_equal(remote_cases_run, cases_run);
    assert_int_equal(wsman_cases_run, cases_run);
}

static int make_dir(void **state)
{
    (void)state;
    return mi_test_make_dir(dir, "mi-cli-vectors") ? 0 : -1;
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
    const char *build = getenv("MI_BUILD_DIR");
    if (!build) {
        printf("skipped: MI_BUILD_DIR (where bin/mi is) is not set\n");
        return MI_TEST_SKIP;
    }
    static char path[2048], tool[2048], server[2048];
    snprintf(path, sizeof path, "%s/spec/vectors", shared);
    snprintf(tool, sizeof tool, "%s/bin/mi", build);
    snprintf(server, sizeof server, "%s/bin/mid", build);
    vectors = path;
    mi_tool = tool;
    mid_tool = server;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_vector_case_through_the_tool),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
