/*
 * support — see support.h.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

const char *mi_test_shared_dir(const char *needed_for)
{
    const char *dir = getenv("MI_SHARED_DIR");
    struct stat st;
    if (!dir || !*dir || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        printf("SKIP: %s needs the shared test data (../shared beside the source tree, or "
               "MI_SHARED_DIR); not found at '%s'\n",
               needed_for, dir ? dir : "(unset)");
        return NULL;
    }
    return dir;
}

char *mi_test_read_file(const char *path, size_t *length)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    char *data = malloc(cap);
    size_t n;
    while (data && (n = fread(data + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len - 1 == 0) {
            char *grown = realloc(data, cap * 2);
            if (!grown) {
                free(data);
                data = NULL;
                break;
            }
            data = grown;
            cap *= 2;
        }
    }
    fclose(f);
    if (data) {
        data[len] = '\0';
        if (length)
            *length = len;
    }
    return data;
}
