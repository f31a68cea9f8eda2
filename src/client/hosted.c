/*
 * hosted — see hosted.h.
 */
#include "hosted.h"

#include "core/name.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct hosted {
    uint64_t id;
    char *ns, *name;
    MI_MainFunction main;
} hosted;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static hosted *all;
static size_t count, capacity;
static uint64_t last_id;

MI_Result mi_hosted_add(const char *ns, const char *name, MI_MainFunction main, uint64_t *id)
{
    pthread_mutex_lock(&lock);
    MI_Result r = MI_RESULT_OK;
    for (size_t i = 0; i < count && r == MI_RESULT_OK; i++)
        if (mi_name_equal(all[i].ns, ns) && !strcmp(all[i].name, name))
            r = MI_RESULT_ALREADY_EXISTS;
    if (r == MI_RESULT_OK && count == capacity) {
        size_t grown_to = capacity ? capacity * 2 : 4;
        hosted *grown = realloc(all, grown_to * sizeof *grown);
        if (grown) {
            all = grown;
            capacity = grown_to;
        } else {
            r = MI_RESULT_SERVER_LIMITS_EXCEEDED;
        }
    }
    char *ns_copy = r == MI_RESULT_OK ? strdup(ns) : NULL;
    char *name_copy = ns_copy ? strdup(name) : NULL;
    if (r == MI_RESULT_OK && !name_copy) {
        free(ns_copy);
        r = MI_RESULT_SERVER_LIMITS_EXCEEDED;
    }
    if (r == MI_RESULT_OK) {
        all[count++] = (hosted){++last_id, ns_copy, name_copy, main};
        *id = last_id;
    }
    pthread_mutex_unlock(&lock);
    return r;
}

MI_Result mi_hosted_remove(uint64_t id)
{
    pthread_mutex_lock(&lock);
    MI_Result r = MI_RESULT_NOT_FOUND;
    for (size_t i = 0; i < count && r != MI_RESULT_OK; i++)
        if (all[i].id == id) {
            free(all[i].ns);
            free(all[i].name);
            all[i] = all[--count];
            r = MI_RESULT_OK;
        }
    if (count == 0) {
        free(all);
        all = NULL;
        capacity = 0;
    }
    pthread_mutex_unlock(&lock);
    return r;
}

MI_Result mi_hosted_each(MI_Result (*each)(void *arg, const char *ns, const char *name,
                                           MI_MainFunction main),
                         void *arg)
{
    pthread_mutex_lock(&lock);
    MI_Result r = MI_RESULT_OK;
    for (size_t i = 0; i < count && r == MI_RESULT_OK; i++)
        r = each(arg, all[i].ns, all[i].name, all[i].main);
    pthread_mutex_unlock(&lock);
    return r;
}
