/*
 * arena — see arena.h. Blocks grow with use (64 KiB first, doubling up to 4 MiB); a
 * request larger than half a block gets a block of its own.
 */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct mi_arena_block {
    mi_arena_block *next;
    max_align_t data[];
};

#define ALIGNMENT (sizeof(max_align_t))
#define FIRST_BLOCK ((size_t)64 * 1024)
#define LARGEST_BLOCK ((size_t)4 * 1024 * 1024)

static void *new_block(mi_arena *arena, size_t payload)
{
    if (payload > SIZE_MAX - sizeof(mi_arena_block))
        return NULL;
    mi_arena_block *block = malloc(sizeof *block + payload);
    if (!block)
        return NULL;
    block->next = arena->head;
    arena->head = block;
    arena->total += sizeof *block + payload;
    return block->data;
}

void *mi_arena_alloc(mi_arena *arena, size_t size)
{
    size = size ? (size + ALIGNMENT - 1) & ~(ALIGNMENT - 1) : ALIGNMENT;
    if (size < ALIGNMENT) /* wrapped around */
        return NULL;
    if ((size_t)(arena->end - arena->next) >= size) {
        void *p = arena->next;
        arena->next += size;
        memset(p, 0, size);
        return p;
    }
    size_t block = arena->total < LARGEST_BLOCK ? FIRST_BLOCK + arena->total : LARGEST_BLOCK;
    if (size > block / 2) {
        /* A big request gets its own block, keeping the current one for small requests;
         * the list order does not matter for freeing. */
        char *p = new_block(arena, size);
        if (p)
            memset(p, 0, size);
        return p;
    }
    char *p = new_block(arena, block);
    if (!p)
        return NULL;
    arena->next = p + size;
    arena->end = p + block;
    memset(p, 0, size);
    return p;
}

char *mi_arena_strndup(mi_arena *arena, const char *text, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *copy = mi_arena_alloc(arena, len + 1);
    if (copy) {
        memcpy(copy, text, len);
        copy[len] = '\0';
    }
    return copy;
}

void mi_arena_free(mi_arena *arena)
{
    mi_arena_block *block = arena->head;
    while (block) {
        mi_arena_block *next = block->next;
        free(block);
        block = next;
    }
    memset(arena, 0, sizeof *arena);
}
