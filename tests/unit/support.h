/*
 * support — helpers shared by the unit tests.
 */
#ifndef MI_TEST_SUPPORT_H
#define MI_TEST_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>

/* Exit status that ctest reports as "skipped". */
#define MI_TEST_SKIP 77

/* The shared test-data folder (MI_SHARED_DIR), or NULL after printing why the caller
 * should skip when it is absent. */
const char *mi_test_shared_dir(const char *needed_for);

/* Whole file as a NUL-terminated string (caller frees), or NULL. */
char *mi_test_read_file(const char *path, size_t *length);

#endif
