/*
 * name — CIM names (classes, properties, qualifiers, roles, namespaces) compare without
 * regard to letter case (DSP0004). This module owns that rule: the comparison, a hash
 * that agrees with it, and a table from name to index for O(1) member lookups.
 *
 * Case folding is ASCII only: CIM identifiers are ASCII in every schema we know, and a
 * fold that never changes byte lengths keeps hashing and comparing cheap.
 */
#ifndef MI_CORE_NAME_H
#define MI_CORE_NAME_H

#include <mi.h>
#include <stdbool.h>
#include <stdint.h>

int mi_name_compare(const char *a, const char *b);
bool mi_name_equal(const char *a, const char *b);
uint32_t mi_name_hash(const char *name);

/* Whether text is a CIM identifier: a letter, '_' or non-ASCII byte first, then also
 * digits. (UTF-8 validity is checked elsewhere.) */
bool mi_name_is_identifier(const char *text);

/* An insert-only table from names to indexes. It borrows the name strings: they must
 * stay alive and unchanged while the table is in use. */
typedef struct mi_name_slot {
    const char *name;
    uint32_t hash;
    uint32_t index;
} mi_name_slot;

typedef struct mi_nametable {
    mi_name_slot *slots;
    uint32_t capacity; /* a power of two, or 0 */
    uint32_t count;
} mi_nametable;

#define MI_NAMETABLE_INIT                                                                          \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

/* MI_RESULT_ALREADY_EXISTS when the name is there (any case), SERVER_LIMITS_EXCEEDED when
 * memory runs out; the table is unchanged on failure. */
MI_Result mi_nametable_insert(mi_nametable *table, const char *name, uint32_t index);

/* Makes room for `count` names in all, so that inserting up to that many cannot fail. */
MI_Result mi_nametable_reserve(mi_nametable *table, uint32_t count);

/* Points the entry for `name` at a new string (same name, other storage). */
void mi_nametable_rename(mi_nametable *table, const char *name, const char *new_storage);

bool mi_nametable_find(const mi_nametable *table, const char *name, uint32_t *index);

/* Removes every entry and keeps the room. */
void mi_nametable_clear(mi_nametable *table);

void mi_nametable_free(mi_nametable *table);

#endif
