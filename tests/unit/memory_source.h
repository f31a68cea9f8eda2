/*
 * memory_source — an instance source for tests: the instances a catalogue holds, served
 * read-only and without association fast paths, so that the engine's generic path
 * answers for every association it serves.
 */
#ifndef MI_TEST_MEMORY_SOURCE_H
#define MI_TEST_MEMORY_SOURCE_H

#include "catalog/catalog.h"
#include "engine/source.h"

/* The source over catalog (borrowed). Enumerations count the instances they visit. */
mi_instance_source mi_test_memory_source(mi_catalog *catalog);

/* How many instances the source's enumerations have visited so far. */
unsigned long mi_test_memory_source_visits(void);

#endif
