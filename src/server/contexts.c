/*
 * contexts — see contexts.h. A small table under one lock: an enumeration is held by at
 * most one request at a time, since taking it removes it.
 */
#include "contexts.h"

#include <gnutls/crypto.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_CONTEXTS 4096

typedef struct slot {
    char name[33];
    void *item;
    void (*free_item)(void *item);
    time_t expires;
} slot;

struct mid_contexts {
    pthread_mutex_t lock;
    slot slots[MAX_CONTEXTS];
    int count;
};

mid_contexts *mid_contexts_new(void)
{
    mid_contexts *t = calloc(1, sizeof *t);
    if (t)
        pthread_mutex_init(&t->lock, NULL);
    return t;
}

void mid_contexts_free(mid_contexts *t)
{
    if (!t)
        return;
    for (int i = 0; i < MAX_CONTEXTS; i++) {
        if (t->slots[i].item)
            t->slots[i].free_item(t->slots[i].item);
    }
    pthread_mutex_destroy(&t->lock);
    free(t);
}

/* Frees what has expired; called with the lock held. */
static void sweep(mid_contexts *t, time_t now)
{
    for (int i = 0; i < MAX_CONTEXTS && t->count > 0; i++) {
        slot *s = &t->slots[i];
        if (s->item && s->expires <= now) {
            s->free_item(s->item);
            memset(s, 0, sizeof *s);
            t->count--;
        }
    }
}

bool mid_contexts_put(mid_contexts *t, void *item, void (*free_item)(void *item),
                      unsigned timeout_seconds, char name[33])
{
    unsigned char random[16];
    if (gnutls_rnd(GNUTLS_RND_NONCE, random, sizeof random) != 0)
        return false;
    for (int i = 0; i < 16; i++)
        snprintf(name + 2 * i, 3, "%02x", random[i]);
    time_t now = time(NULL);
    bool stored = false;
    pthread_mutex_lock(&t->lock);
    sweep(t, now);
    for (int i = 0; i < MAX_CONTEXTS && !stored; i++) {
        slot *s = &t->slots[i];
        if (!s->item) {
            memcpy(s->name, name, 33);
            s->item = item;
            s->free_item = free_item;
            s->expires = now + (time_t)timeout_seconds;
            t->count++;
            stored = true;
        }
    }
    pthread_mutex_unlock(&t->lock);
    return stored;
}

void *mid_contexts_take(mid_contexts *t, const char *name, void (*free_item)(void *item))
{
    void *item = NULL;
    time_t now = time(NULL);
    pthread_mutex_lock(&t->lock);
    sweep(t, now);
    for (int i = 0; i < MAX_CONTEXTS && !item && name; i++) {
        slot *s = &t->slots[i];
        if (s->item && s->free_item == free_item && !strcmp(s->name, name)) {
            item = s->item;
            memset(s, 0, sizeof *s);
            t->count--;
        }
    }
    pthread_mutex_unlock(&t->lock);
    return item;
}

int mid_contexts_count(mid_contexts *t)
{
    pthread_mutex_lock(&t->lock);
    int n = t->count;
    pthread_mutex_unlock(&t->lock);
    return n;
}
