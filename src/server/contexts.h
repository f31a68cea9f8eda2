/*
 * contexts — the enumeration contexts of DSP0200's pull operations: an open
 * enumeration waits here between requests under a random name, until it is pulled to
 * its end, closed, or left past its timeout (then it is freed).
 */
#ifndef MI_SERVER_CONTEXTS_H
#define MI_SERVER_CONTEXTS_H

#include <stdbool.h>

typedef struct mid_contexts mid_contexts;

mid_contexts *mid_contexts_new(void);
/* Frees the table and every enumeration still in it. */
void mid_contexts_free(mid_contexts *table);

/* Keeps item, freed by free_item, under a new name (written into name, 33 bytes) for
 * timeout_seconds; false when the table is full or memory ran out (the caller still owns
 * item). Each protocol's enumerations are told apart by their free function. */
bool mid_contexts_put(mid_contexts *table, void *item, void (*free_item)(void *item),
                      unsigned timeout_seconds, char name[33]);

/* Takes the item out (for one request at a time); NULL for an unknown, closed or expired
 * name, or one another protocol made (another free_item). Expired items are freed on
 * the way. */
void *mid_contexts_take(mid_contexts *table, const char *name, void (*free_item)(void *item));

/* How many enumerations are open. */
int mid_contexts_count(mid_contexts *table);

#endif
