/*
 * watch — see watch.h. One thread polls every watched socket for its peer's hang-up
 * (POLLRDHUP: the client closed or half-closed; POLLHUP, POLLERR), five times a second
 * while anything is watched, and sleeps while nothing is.
 */
#define _GNU_SOURCE /* POLLRDHUP */
#include "watch.h"

#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

enum { PERIOD_MS = 200 };

typedef struct watched {
    int fd;
    int *flag;
} watched;

struct mid_watch {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    watched *items;
    size_t count, capacity;
    bool stopping;
    pthread_t thread;
};

static void *run(void *arg)
{
    mid_watch *w = arg;
    struct pollfd *fds = NULL;
    size_t fds_capacity = 0;
    pthread_mutex_lock(&w->lock);
    while (!w->stopping) {
        if (!w->count) {
            pthread_cond_wait(&w->changed, &w->lock);
            continue;
        }
        if (fds_capacity < w->count) {
            struct pollfd *grown = realloc(fds, w->count * sizeof *grown);
            if (grown) {
                fds = grown;
                fds_capacity = w->count;
            }
        }
        size_t n = w->count < fds_capacity ? w->count : fds_capacity;
        for (size_t i = 0; i < n; i++)
            fds[i] = (struct pollfd){w->items[i].fd, POLLRDHUP, 0};
        pthread_mutex_unlock(&w->lock);
        int ready = poll(fds, n, PERIOD_MS);
        pthread_mutex_lock(&w->lock);
        for (size_t i = 0; ready > 0 && i < n; i++) {
            if (!(fds[i].revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)))
                continue;
            /* the list may have changed meanwhile: the flags still watched on that fd */
            for (size_t k = 0; k < w->count; k++)
                if (w->items[k].fd == fds[i].fd)
                    __atomic_store_n(w->items[k].flag, 1, __ATOMIC_RELAXED);
        }
        if (ready > 0) { /* a closed peer stays ready: wait a period before looking again */
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_nsec += PERIOD_MS * 1000000L;
            if (until.tv_nsec >= 1000000000L)
                until.tv_sec++, until.tv_nsec -= 1000000000L;
            pthread_cond_timedwait(&w->changed, &w->lock, &until);
        }
    }
    pthread_mutex_unlock(&w->lock);
    free(fds);
    return NULL;
}

MI_Result mid_watch_new(mid_watch **out, mi_error *err)
{
    mid_watch *w = calloc(1, sizeof *w);
    if (!w)
        return mi_error_nomem(err);
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->changed, NULL);
    if (pthread_create(&w->thread, NULL, run, w) != 0) {
        pthread_cond_destroy(&w->changed);
        pthread_mutex_destroy(&w->lock);
        free(w);
        return mi_error_set(err, MI_RESULT_FAILED, "cannot start the connection watcher");
    }
    *out = w;
    return MI_RESULT_OK;
}

void mid_watch_free(mid_watch *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stopping = true;
    pthread_cond_broadcast(&w->changed);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    free(w->items);
    pthread_cond_destroy(&w->changed);
    pthread_mutex_destroy(&w->lock);
    free(w);
}

bool mid_watch_add(mid_watch *w, int fd, int *flag)
{
    pthread_mutex_lock(&w->lock);
    bool ok = true;
    if (w->count == w->capacity) {
        size_t capacity = w->capacity ? w->capacity * 2 : 16;
        watched *grown = realloc(w->items, capacity * sizeof *grown);
        if (grown) {
            w->items = grown;
            w->capacity = capacity;
        }
        ok = grown != NULL;
    }
    if (ok) {
        w->items[w->count++] = (watched){fd, flag};
        pthread_cond_broadcast(&w->changed);
    }
    pthread_mutex_unlock(&w->lock);
    return ok;
}

void mid_watch_remove(mid_watch *w, int *flag)
{
    pthread_mutex_lock(&w->lock);
    for (size_t i = 0; i < w->count; i++)
        if (w->items[i].flag == flag) {
            w->items[i] = w->items[--w->count];
            break;
        }
    pthread_mutex_unlock(&w->lock);
}
