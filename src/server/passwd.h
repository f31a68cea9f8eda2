/*
 * passwd — the server's password file: one "user:hash" per line, the hash made by
 * libcrypt (yescrypt, salted and slow by design). The file is read once at start; a
 * change is written to a new file that then replaces the old one.
 */
#ifndef MI_SERVER_PASSWD_H
#define MI_SERVER_PASSWD_H

#include "core/error.h"

#include <stdbool.h>

typedef struct mid_passwd mid_passwd;

/* Reads the file (a missing file is an empty one when allow_missing). */
MI_Result mid_passwd_load(mid_passwd **out, const char *path, bool allow_missing, mi_error *err);
void mid_passwd_free(mid_passwd *pw);

/* How many users the file holds. */
int mid_passwd_count(const mid_passwd *pw);

/* Whether user exists and password is theirs (constant-time in the hash comparison). */
bool mid_passwd_check(const mid_passwd *pw, const char *user, const char *password);

/* Sets (adds or replaces) user's password and writes the file. */
MI_Result mid_passwd_set(mid_passwd *pw, const char *path, const char *user, const char *password,
                         mi_error *err);

#endif
