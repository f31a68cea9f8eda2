/*
 * arena — a bump allocator for data that lives and dies together (a parse tree, one
 * compile's scratch). Allocation is a pointer bump; everything is freed at once.
 */
#ifndef MI_CORE_ARENA_H
#define MI_CORE_ARENA_H

#include <stddef.h>

typedef struct mi_arena_block mi_arena_block;

typedef struct mi_arena {
    mi_arena_block *head;
    char *next;
    char *end;
    size_t total; /* bytes obtained from malloc, for statistics */
} mi_arena;

#define MI_ARENA_INIT                                                                              \
    {                                                                                              \
        NULL, NULL, NULL, 0                                                                        \
    }

/* Zeroed memory aligned for any type, or NULL when memory runs out. */
void *mi_arena_alloc(mi_arena *arena, size_t size);

/* A NUL-terminated copy of the first len bytes of text. */
char *mi_arena_strndup(mi_arena *arena, const char *text, size_t len);

void mi_arena_free(mi_arena *arena);

#endif
