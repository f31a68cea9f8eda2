/*
 * name — see name.h. The table uses open addressing with linear probing and stays at
 * most half full, so a lookup touches one or two slots.
 */
#include "name.h"

#include <stdlib.h>
#include <string.h>

static inline unsigned char fold(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

int mi_name_compare(const char *a, const char *b)
{
    const unsigned char *p = (const unsigned char *)a;
    const unsigned char *q = (const unsigned char *)b;
    while (*p && fold(*p) == fold(*q)) {
        p++;
        q++;
    }
    return (int)fold(*p) - (int)fold(*q);
}

bool mi_name_equal(const char *a, const char *b)
{
    return mi_name_compare(a, b) == 0;
}

uint32_t mi_name_hash(const char *name)
{
    uint32_t h = 2166136261u; /* FNV-1a over the folded bytes */
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        h ^= fold(*p);
        h *= 16777619u;
    }
    return h;
}

static bool is_start(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c >= 0x80;
}

bool mi_name_is_identifier(const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    if (!p || !is_start(*p))
        return false;
    for (p++; *p; p++) {
        if (!is_start(*p) && !(*p >= '0' && *p <= '9'))
            return false;
    }
    return true;
}

static mi_name_slot *probe(const mi_nametable *table, const char *name, uint32_t hash)
{
    uint32_t mask = table->capacity - 1;
    for (uint32_t i = hash & mask;; i = (i + 1) & mask) {
        mi_name_slot *slot = &table->slots[i];
        if (!slot->name || (slot->hash == hash && mi_name_equal(slot->name, name)))
            return slot;
    }
}

static MI_Result grow_to(mi_nametable *table, uint32_t capacity)
{
    mi_name_slot *slots = calloc(capacity, sizeof *slots);
    if (!slots)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    mi_nametable bigger = {slots, capacity, table->count};
    for (uint32_t i = 0; i < table->capacity; i++) {
        if (table->slots[i].name)
            *probe(&bigger, table->slots[i].name, table->slots[i].hash) = table->slots[i];
    }
    free(table->slots);
    *table = bigger;
    return MI_RESULT_OK;
}

static MI_Result grow(mi_nametable *table)
{
    return grow_to(table, table->capacity ? table->capacity * 2 : 8);
}

MI_Result mi_nametable_reserve(mi_nametable *table, uint32_t count)
{
    uint32_t capacity = table->capacity ? table->capacity : 8;
    while (capacity < count * 2) {
        if (capacity > UINT32_MAX / 2)
            return MI_RESULT_SERVER_LIMITS_EXCEEDED;
        capacity *= 2;
    }
    return capacity == table->capacity ? MI_RESULT_OK : grow_to(table, capacity);
}

MI_Result mi_nametable_insert(mi_nametable *table, const char *name, uint32_t index)
{
    uint32_t hash = mi_name_hash(name);
    if (table->capacity && probe(table, name, hash)->name)
        return MI_RESULT_ALREADY_EXISTS;
    if ((table->count + 1) * 2 > table->capacity) {
        MI_Result r = grow(table);
        if (r != MI_RESULT_OK)
            return r;
    }
    mi_name_slot *slot = probe(table, name, hash);
    slot->name = name;
    slot->hash = hash;
    slot->index = index;
    table->count++;
    return MI_RESULT_OK;
}

void mi_nametable_rename(mi_nametable *table, const char *name, const char *new_storage)
{
    if (!table->capacity)
        return;
    mi_name_slot *slot = probe(table, name, mi_name_hash(name));
    if (slot->name)
        slot->name = new_storage;
}

bool mi_nametable_find(const mi_nametable *table, const char *name, uint32_t *index)
{
    if (!table->capacity || !name)
        return false;
    const mi_name_slot *slot = probe(table, name, mi_name_hash(name));
    if (!slot->name)
        return false;
    if (index)
        *index = slot->index;
    return true;
}

void mi_nametable_clear(mi_nametable *table)
{
    if (table->capacity)
        memset(table->slots, 0, table->capacity * sizeof *table->slots);
    table->count = 0;
}

void mi_nametable_free(mi_nametable *table)
{
    free(table->slots);
    table->slots = NULL;
    table->capacity = table->count = 0;
}
