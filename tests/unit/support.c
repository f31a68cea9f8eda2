/*
 * support — see support.h.
 */
#define _DEFAULT_SOURCE /* mkdtemp */

#include "support.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

bool mi_test_make_dir(char dir[64], const char *prefix)
{
    snprintf(dir, 64, "/tmp/%s-XXXXXX", prefix);
    return mkdtemp(dir) != NULL;
}

bool mi_test_remove_dir(const char *dir)
{
    char command[128];
    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    return system(command) == 0;
}

static void field(char *dst, size_t size, const char *line, size_t skip)
{
    snprintf(dst, size, "%s", line + skip);
}

int mi_test_for_each_vector_case(const char *path, mi_vector_case_fn fn, void *context)
{
    size_t length;
    char *text = mi_test_read_file(path, &length);
    if (!text) {
        printf("cannot read %s\n", path);
        return -1;
    }
    mi_vector_case c;
    memset(&c, 0, sizeof c);
    size_t expected_left = 0;
    int cases = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        size_t n = strlen(line);
        if (n && line[n - 1] == '\r')
            line[--n] = '\0';
        if (expected_left) {
            c.expected[c.expected_count++] = line;
            expected_left--;
        } else if (line[0] == '#' || n == 0) {
            continue;
        } else if (!strncmp(line, "case ", 5)) {
            free((void *)c.expected);
            memset(&c, 0, sizeof c);
            c.number = atoi(line + 5);
        } else if (!strncmp(line, "op ", 3)) {
            field(c.op, sizeof c.op, line, 3);
        } else if (!strncmp(line, "namespace ", 10)) {
            field(c.ns, sizeof c.ns, line, 10);
        } else if (!strncmp(line, "source ", 7)) {
            field(c.source, sizeof c.source, line, 7);
        } else if (!strncmp(line, "assoc_class ", 12)) {
            field(c.assoc_class, sizeof c.assoc_class, line, 12);
        } else if (!strncmp(line, "result_class ", 13)) {
            field(c.result_class, sizeof c.result_class, line, 13);
        } else if (!strncmp(line, "role ", 5)) {
            field(c.role, sizeof c.role, line, 5);
        } else if (!strncmp(line, "result_role ", 12)) {
            field(c.result_role, sizeof c.result_role, line, 12);
        } else if (!strncmp(line, "expect ok ", 10)) {
            expected_left = (size_t)atol(line + 10);
            c.expected = calloc(expected_left + 1, sizeof *c.expected);
        } else if (!strncmp(line, "expect error ", 13)) {
            c.expect_error = true;
            field(c.error, sizeof c.error, line, 13);
        } else if (!strcmp(line, "end")) {
            fn(context, &c);
            cases++;
        } else {
            printf("%s: cannot read line '%s'\n", path, line);
            cases = -1;
            break;
        }
    }
    free((void *)c.expected);
    free(text);
    return cases;
}

pid_t mi_test_start_mid(const char *mid_tool, const char *repo, const char *dir, char *url,
                        size_t url_size)
{
    char ready[256], log[256];
    snprintf(ready, sizeof ready, "%s/mid.port", dir);
    snprintf(log, sizeof log, "%s/mid.log", dir);
    unlink(ready);
    pid_t pid = fork();
    if (pid == 0) {
        execl(mid_tool, "mid", "--repository", repo, "--listen", "127.0.0.1:0", "--ready-file",
              ready, "--access-log", log, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; pid > 0 && i < 400; i++) {
        size_t len = 0;
        char *port = mi_test_read_file(ready, &len);
        if (port && len > 1) {
            snprintf(url, url_size, "http://127.0.0.1:%d", atoi(port));
            free(port);
            return pid;
        }
        free(port);
        nanosleep(&(struct timespec){0, 25000000}, NULL);
    }
    if (pid > 0)
        kill(pid, SIGTERM);
    return -1;
}
