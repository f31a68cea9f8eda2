/*
 * auth_cache — remembers, for a few minutes, which user:password pairs the password file
 * accepted, so that a client sending Basic credentials on every request pays the slow
 * hash once, not per request. Only a keyed digest (HMAC-SHA-256 with a key drawn at
 * start) of each pair is kept, never the password.
 */
#ifndef MI_SERVER_AUTH_CACHE_H
#define MI_SERVER_AUTH_CACHE_H

#include "passwd.h"

#include <stdbool.h>

typedef struct mid_auth_cache mid_auth_cache;

/* NULL when no random key can be drawn (then every check hashes). */
mid_auth_cache *mid_auth_cache_new(void);
void mid_auth_cache_free(mid_auth_cache *cache);

/* mid_passwd_check, answered from the cache when the pair was accepted lately. */
bool mid_auth_check(mid_auth_cache *cache, const mid_passwd *pw, const char *user,
                    const char *password);

#endif
