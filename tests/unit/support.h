/*
 * support — helpers shared by the unit tests.
 */
#ifndef MI_TEST_SUPPORT_H
#define MI_TEST_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Exit status that ctest reports as "skipped". */
#define MI_TEST_SKIP 77

/* The shared test-data folder (MI_SHARED_DIR), or NULL after printing why the caller
 * should skip when it is absent. */
const char *mi_test_shared_dir(const char *needed_for);

/* Whole file as a NUL-terminated string (caller frees), or NULL. */
char *mi_test_read_file(const char *path, size_t *length);

/* A new private folder /tmp/<prefix>-XXXXXX written into dir (64 bytes); false on
 * failure. */
bool mi_test_make_dir(char dir[64], const char *prefix);

/* Removes the folder and all it holds; false on failure. */
bool mi_test_remove_dir(const char *dir);

/* Starts the mid at mid_tool serving repo on a free loopback port (its ready and log files
 * in dir) and writes its URL (http://127.0.0.1:PORT) into url; the pid, or -1 when it did
 * not start within 10 s. */
pid_t mi_test_start_mid(const char *mid_tool, const char *repo, const char *dir, char *url,
                        size_t url_size);

/* One case of ../shared/spec/vectors/<suite>/cases.txt (see the README there). Fields
 * not given are empty strings. */
typedef struct mi_vector_case {
    int number;
    char op[32], ns[128], source[1024];
    char assoc_class[128], result_class[128], role[128], result_role[128];
    bool expect_error;
    char error[64];        /* the MI_RESULT_ name without its prefix */
    const char **expected; /* canonical paths, sorted */
    size_t expected_count;
} mi_vector_case;

typedef void (*mi_vector_case_fn)(void *context, const mi_vector_case *c);

/* Reads cases.txt at path and calls fn for each case; the number of cases, or -1 when the
 * file cannot be read or a line is not understood (the reason is printed). */
int mi_test_for_each_vector_case(const char *path, mi_vector_case_fn fn, void *context);

#endif
