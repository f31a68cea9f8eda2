/*
 * schema_batch — a set of additions to a schema store (qualifier declarations, classes,
 * instances, each in a namespace) that is applied all together or not at all, and the
 * interface of a store that applies it (the in-memory catalogue, the repository).
 *
 * Items keep their order: a class comes after its superclass, instances after the
 * classes. The batch owns its items until a store takes them.
 */
#ifndef MI_CORE_SCHEMA_BATCH_H
#define MI_CORE_SCHEMA_BATCH_H

#include "class.h"
#include "error.h"

#include <mi.h>
#include <stdbool.h>
#include <stdint.h>

typedef enum mi_batch_kind {
    MI_BATCH_QUALIFIER,
    MI_BATCH_CLASS,
    MI_BATCH_INSTANCE,
} mi_batch_kind;

typedef struct mi_batch_item {
    mi_batch_kind kind;
    char *namespace_name;
    union {
        mi_qualifier_decl *qualifier;
        mi_class *cls;
        MI_Instance *instance;
    } u;
} mi_batch_item;

typedef struct mi_schema_batch {
    mi_batch_item *items;
    uint32_t count;
    uint32_t capacity;
    uint32_t counts[3]; /* by mi_batch_kind */
    /* Set by the caller: classes and instances the store has already are updated in
     * place (a class where the change fits what is stored) instead of refused. */
    bool replace;
    /* Set by the caller: apply checks everything, then keeps nothing (takes no item). */
    bool dry_run;
    /* Set by apply: of the counted items, those already stored exactly so (left as they
     * were), and those that replaced what was stored. */
    uint32_t unchanged;
    uint32_t updated;
} mi_schema_batch;

#define MI_SCHEMA_BATCH_INIT                                                                       \
    {                                                                                              \
        NULL, 0, 0, {0, 0, 0}, false, false, 0, 0                                                  \
    }

/* Appends an item; the batch takes the object (also when the call fails, it frees it). */
MI_Result mi_batch_add_qualifier(mi_schema_batch *batch, const char *ns, mi_qualifier_decl *decl);
MI_Result mi_batch_add_class(mi_schema_batch *batch, const char *ns, mi_class *cls);
MI_Result mi_batch_add_instance(mi_schema_batch *batch, const char *ns, MI_Instance *instance);

/* Frees the items still owned (a store that takes an item sets its pointer to NULL). */
void mi_batch_free(mi_schema_batch *batch);

/* What a compiler needs of a store. Lookups borrow: the results stay valid until the next
 * apply. apply takes the batch's items when it succeeds and changes nothing when it
 * fails. */
typedef struct mi_schema_store {
    void *context;
    const mi_qualifier_decl *(*find_qualifier)(void *context, const char *ns, const char *name);
    mi_class *(*find_class)(void *context, const char *ns, const char *name);
    bool (*has_instance)(void *context, const char *ns, const MI_Instance *path);
    MI_Result (*apply)(void *context, mi_schema_batch *batch, mi_error *err);
} mi_schema_store;

#endif
