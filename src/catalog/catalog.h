/*
 * catalog — an in-memory schema store: namespaces holding qualifier declarations,
 * classes and static instances. It serves the MOF compiler and tests; the durable
 * repository offers the same mi_schema_store interface.
 *
 * Not thread-safe: one writer, no concurrent readers.
 */
#ifndef MI_CATALOG_CATALOG_H
#define MI_CATALOG_CATALOG_H

#include "core/class.h"
#include "core/error.h"
#include "core/schema_batch.h"

#include <mi.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct mi_catalog mi_catalog;

MI_Result mi_catalog_new(mi_catalog **out);
void mi_catalog_free(mi_catalog *catalog);

/* The store interface over this catalogue (valid while the catalogue lives). */
mi_schema_store mi_catalog_store(mi_catalog *catalog);

/* Applies every item of the batch or none: a class or instance that exists already
 * (MI_RESULT_ALREADY_EXISTS) or a qualifier redeclared with another type
 * (MI_RESULT_TYPE_MISMATCH) leaves the catalogue unchanged. Namespaces are created as
 * needed. On success the catalogue owns the items. */
MI_Result mi_catalog_apply(mi_catalog *catalog, mi_schema_batch *batch, mi_error *err);

/* Lookups; names compare without regard to case. The results are borrowed. An instance
 * path must be resolved against its class (mi_path_resolve): keys compare as typed
 * values. */
bool mi_catalog_has_namespace(const mi_catalog *catalog, const char *ns);
const mi_qualifier_decl *mi_catalog_find_qualifier(const mi_catalog *catalog, const char *ns,
                                                   const char *name);
mi_class *mi_catalog_find_class(const mi_catalog *catalog, const char *ns, const char *name);
const MI_Instance *mi_catalog_find_instance(const mi_catalog *catalog, const char *ns,
                                            const MI_Instance *path);

/* Counts per namespace, and the items by position (0 <= i < count, in insertion order). */
uint32_t mi_catalog_class_count(const mi_catalog *catalog, const char *ns);
uint32_t mi_catalog_instance_count(const mi_catalog *catalog, const char *ns);
uint32_t mi_catalog_qualifier_count(const mi_catalog *catalog, const char *ns);
mi_class *mi_catalog_class_at(const mi_catalog *catalog, const char *ns, uint32_t i);
const MI_Instance *mi_catalog_instance_at(const mi_catalog *catalog, const char *ns, uint32_t i);

#endif
