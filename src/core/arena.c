/*
 * arena — see arena.h. Blocks grow with use (64 KiB first, doubling up to 4 MiB); a
 * request larger than half a block gets a block of its own. Strings are packed without
 * alignment padding.
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

static char *new_block(mi_arena *arena, size_t payload)
{
    if (payload > SIZE_MAX - sizeof(mi_arena_block))
        return NULL;
    mi_arena_block *block = malloc(sizeof *block + payload);
    if (!block)
        return NULL;
    block->next = arena->head;
    arena->head = block;
    arena->total += sizeof *block + payload;
    return (char *)block->data;
}

/* size bytes at the given alignment (a power of two, at most ALIGNMENT), not zeroed. */
static void *take(mi_arena *arena, size_t size, size_t align)
{
    if (arena->next) {
        uintptr_t at = ((uintptr_t)arena->next + align - 1) & ~(uintptr_t)(align - 1);
        if (at <= (uintptr_t)arena->end && (uintptr_t)arena->end - at >= size) {
            arena->next = (char *)(at + size);
            return (void *)at;
        }
    }
    size_t block = arena->total < LARGEST_BLOCK ? FIRST_BLOCK + arena->total : LARGEST_BLOCK;
    if (size > block / 2) /* a block of its own; the current one stays for small requests */
        return new_block(arena, size ? size : 1);
    char *p = new_block(arena, block);
    if (!p)
        return NULL;
    arena->next = p + size;
    arena->end = p + block;
    return p;
}

void *mi_arena_alloc(mi_arena *arena, size_t size)
{
    void *p = take(arena, size, ALIGNMENT);
    if (p)
        memset(p, 0, size);
    return p;
}

char *mi_arena_strndup(mi_arena *arena, const char *text, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *copy = take(arena, len + 1, 1);
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
