/*
 * Every object path in the shared association vectors (source lines and expected result
 * lines of ../shared/spec/vectors/<suite>/cases.txt) survives parse -> format -> parse, and
 * every expected line, which is in canonical form, is its own canonical form.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/instance.h"
#include "core/path.h"
#include "support.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *vectors_dir;
static int paths_checked;

static void round_trip(const char *file, int line, const char *text, bool canonical)
{
    MI_Instance *first = NULL, *second = NULL;
    mi_error err = {0};
    if (mi_path_parse(&first, text, &err) != MI_RESULT_OK)
        fail_msg("%s:%d: %s: %s", file, line, text, err.message);
    char *formatted = NULL, *c1 = NULL, *c2 = NULL;
    assert_int_equal(mi_path_format(&formatted, first, NULL), MI_RESULT_OK);
    if (mi_path_parse(&second, formatted, &err) != MI_RESULT_OK)
        fail_msg("%s:%d: reparse of %s: %s", file, line, formatted, err.message);
    if (!mi_path_equal(first, second))
        fail_msg("%s:%d: %s became %s", file, line, text, formatted);
    assert_int_equal(mi_path_canonical(&c1, first, NULL), MI_RESULT_OK);
    assert_int_equal(mi_path_canonical(&c2, second, NULL), MI_RESULT_OK);
    assert_string_equal(c1, c2);
    if (canonical && strcmp(c1, text) != 0)
        fail_msg("%s:%d: canonical form of %s is %s", file, line, text, c1);
    free(formatted);
    free(c1);
    free(c2);
    mi_instance_delete(first);
    mi_instance_delete(second);
    paths_checked++;
}

static void check_cases(const char *path)
{
    size_t length;
    char *text = mi_test_read_file(path, &length);
    assert_non_null(text);
    int line_no = 0, expected_left = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        line_no++;
        size_t n = strlen(line);
        if (n && line[n - 1] == '\r')
            line[n - 1] = '\0';
        if (expected_left > 0) {
            round_trip(path, line_no, line, true);
            expected_left--;
        } else if (strncmp(line, "source ", 7) == 0) {
            round_trip(path, line_no, line + 7, false);
        } else if (strncmp(line, "expect ok ", 10) == 0) {
            expected_left = atoi(line + 10);
        }
    }
    free(text);
}

static void test_all_vector_paths_round_trip(void **state)
{
    (void)state;
    DIR *dir = opendir(vectors_dir);
    assert_non_null(dir);
    int suites = 0;
    struct dirent *entry;
    while ((entry = readdir(dir))) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s/cases.txt", vectors_dir, entry->d_name);
        FILE *probe = entry->d_name[0] != '.' ? fopen(path, "r") : NULL;
        if (!probe)
            continue;
        fclose(probe);
        check_cases(path);
        suites++;
    }
    closedir(dir);
    print_message("checked %d paths from %d vector suites\n", paths_checked, suites);
    assert_true(suites >= 4);
    assert_true(paths_checked > 1000);
}

int main(void)
{
    const char *shared = mi_test_shared_dir("the association vector path round trip");
    if (!shared)
        return MI_TEST_SKIP;
    static char dir[4096];
    snprintf(dir, sizeof dir, "%s/spec/vectors", shared);
    vectors_dir = dir;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_vector_paths_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
