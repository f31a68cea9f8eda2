/*
 * auth_cache — see auth_cache.h.
 */
#include "auth_cache.h"

#include <gnutls/crypto.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ENTRIES 64
#define LIFETIME_SECONDS 300

typedef struct cached {
    unsigned char digest[32];
    time_t expires;
} cached;

struct mid_auth_cache {
    pthread_mutex_t lock;
    unsigned char key[32];
    cached entries[ENTRIES];
    unsigned next;
};

mid_auth_cache *mid_auth_cache_new(void)
{
    mid_auth_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    if (gnutls_rnd(GNUTLS_RND_KEY, c->key, sizeof c->key) != 0) {
        free(c);
        return NULL;
    }
    pthread_mutex_init(&c->lock, NULL);
    return c;
}

void mid_auth_cache_free(mid_auth_cache *c)
{
    if (!c)
        return;
    pthread_mutex_destroy(&c->lock);
    memset(c, 0, sizeof *c);
    free(c);
}

static bool digest_of(const mid_auth_cache *c, const char *user, const char *password,
                      unsigned char out[32])
{
    size_t lu = strlen(user), lp = strlen(password);
    unsigned char *pair = malloc(lu + lp + 1);
    if (!pair)
        return false;
    memcpy(pair, user, lu);
    pair[lu] = 0; /* a user name holds no NUL: the pair splits one way only */
    memcpy(pair + lu + 1, password, lp);
    bool ok =
        gnutls_hmac_fast(GNUTLS_MAC_SHA256, c->key, sizeof c->key, pair, lu + lp + 1, out) == 0;
    memset(pair, 0, lu + lp + 1);
    free(pair);
    return ok;
}

static bool same(const unsigned char *a, const unsigned char *b)
{
    unsigned char diff = 0;
    for (int i = 0; i < 32; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

bool mid_auth_check(mid_auth_cache *c, const mid_passwd *pw, const char *user, const char *password)
{
    unsigned char digest[32];
    if (!c || !user || !password || !digest_of(c, user, password, digest))
        return mid_passwd_check(pw, user, password);
    time_t now = time(NULL);
    bool found = false;
    pthread_mutex_lock(&c->lock);
    for (int i = 0; i < ENTRIES && !found; i++)
        found = c->entries[i].expires > now && same(c->entries[i].digest, digest);
    pthread_mutex_unlock(&c->lock);
    if (found)
        return true;
    if (!mid_passwd_check(pw, user, password))
        return false;
    pthread_mutex_lock(&c->lock);
    cached *slot = &c->entries[c->next++ % ENTRIES];
    memcpy(slot->digest, digest, sizeof digest);
    slot->expires = now + LIFETIME_SECONDS;
    pthread_mutex_unlock(&c->lock);
    return true;
}
