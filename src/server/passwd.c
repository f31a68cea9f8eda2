/*
 * passwd — see passwd.h.
 */
#define _GNU_SOURCE

#include "passwd.h"

#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct entry {
    char *user;
    char *hash;
} entry;

struct mid_passwd {
    entry *entries;
    int count;
};

static bool valid_user(const char *user)
{
    if (!user || !*user || strlen(user) > 64)
        return false;
    for (const char *p = user; *p; p++) {
        if (*p == ':' || *p == '\n' || (unsigned char)*p < 0x20)
            return false;
    }
    return true;
}

static bool add(mid_passwd *pw, const char *user, size_t user_len, const char *hash)
{
    entry *grown = realloc(pw->entries, (size_t)(pw->count + 1) * sizeof *grown);
    if (!grown)
        return false;
    pw->entries = grown;
    entry *e = &pw->entries[pw->count];
    e->user = strndup(user, user_len);
    e->hash = strdup(hash);
    if (!e->user || !e->hash) {
        free(e->user);
        free(e->hash);
        return false;
    }
    pw->count++;
    return true;
}

MI_Result mid_passwd_load(mid_passwd **out, const char *path, bool allow_missing, mi_error *err)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return mi_error_nomem(err);
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT && allow_missing)
            return MI_RESULT_OK;
        MI_Result r = mi_error_set(err, MI_RESULT_NOT_FOUND, "cannot read the password file %s: %s",
                                   path, strerror(errno));
        mid_passwd_free(*out);
        *out = NULL;
        return r;
    }
    char line[1024];
    int number = 0;
    MI_Result r = MI_RESULT_OK;
    while (r == MI_RESULT_OK && fgets(line, sizeof line, f)) {
        number++;
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        char *colon = strchr(line, ':');
        if (!colon || colon == line || colon[1] != '$')
            r = mi_error_set(err, MI_RESULT_FAILED, "%s:%d: expected user:hash", path, number);
        else if (!add(*out, line, (size_t)(colon - line), colon + 1))
            r = mi_error_nomem(err);
    }
    fclose(f);
    if (r != MI_RESULT_OK) {
        mid_passwd_free(*out);
        *out = NULL;
    }
    return r;
}

void mid_passwd_free(mid_passwd *pw)
{
    if (!pw)
        return;
    for (int i = 0; i < pw->count; i++) {
        free(pw->entries[i].user);
        free(pw->entries[i].hash);
    }
    free(pw->entries);
    free(pw);
}

int mid_passwd_count(const mid_passwd *pw)
{
    return pw ? pw->count : 0;
}

/* Compares without stopping at the first difference. */
static bool same(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned char diff = (unsigned char)(la != lb);
    for (size_t i = 0; i < la && i < lb; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

bool mid_passwd_check(const mid_passwd *pw, const char *user, const char *password)
{
    if (!pw || !user || !password)
        return false;
    for (int i = 0; i < pw->count; i++) {
        if (strcmp(pw->entries[i].user, user) != 0)
            continue;
        struct crypt_data data;
        memset(&data, 0, sizeof data);
        const char *hash = crypt_rn(password, pw->entries[i].hash, &data, sizeof data);
        return hash && hash[0] != '*' && same(hash, pw->entries[i].hash);
    }
    return false;
}

MI_Result mid_passwd_set(mid_passwd *pw, const char *path, const char *user, const char *password,
                         mi_error *err)
{
    if (!valid_user(user))
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER,
                            "a user name is 1 to 64 characters, without ':' or control characters");
    if (!password || !*password)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "an empty password");
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    if (!crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof salt))
        return mi_error_set(err, MI_RESULT_FAILED, "cannot make a salt: %s", strerror(errno));
    struct crypt_data data;
    memset(&data, 0, sizeof data);
    const char *hash = crypt_rn(password, salt, &data, sizeof data);
    if (!hash || hash[0] == '*')
        return mi_error_set(err, MI_RESULT_FAILED, "cannot hash the password");
    bool replaced = false;
    for (int i = 0; i < pw->count && !replaced; i++) {
        if (!strcmp(pw->entries[i].user, user)) {
            char *copy = strdup(hash);
            if (!copy)
                return mi_error_nomem(err);
            free(pw->entries[i].hash);
            pw->entries[i].hash = copy;
            replaced = true;
        }
    }
    if (!replaced && !add(pw, user, strlen(user), hash))
        return mi_error_nomem(err);
    /* a new file beside the old one, then renamed over it: never half written */
    size_t len = strlen(path);
    char *temp = malloc(len + 8);
    if (!temp)
        return mi_error_nomem(err);
    snprintf(temp, len + 8, "%s.new", path);
    int fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        MI_Result r = mi_error_set(err, MI_RESULT_ACCESS_DENIED, "cannot write %s: %s", temp,
                                   strerror(errno));
        free(temp);
        return r;
    }
    for (int i = 0; i < pw->count; i++)
        fprintf(f, "%s:%s\n", pw->entries[i].user, pw->entries[i].hash);
    bool ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(temp, path) != 0) {
        MI_Result r =
            mi_error_set(err, MI_RESULT_FAILED, "cannot write %s: %s", path, strerror(errno));
        unlink(temp);
        free(temp);
        return r;
    }
    free(temp);
    return MI_RESULT_OK;
}
