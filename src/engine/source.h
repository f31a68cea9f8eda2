/*
 * source — where instances come from. An instance source is a small function table:
 * enumerate, get, create, modify, delete, and optional associators/references fast
 * paths over the associations it holds, each streaming results through a cursor. The
 * repository is one source (repo_source.c); a provider is another. A registry maps
 * (namespace, class) to the source serving it; what it does not name the repository
 * serves.
 *
 * The engine owns the association semantics for every source: a source without a fast
 * path still gives the answers of SEMANTICS.md §1 through the engine's generic path
 * (associations.c), and a fast path applies the same filters itself.
 */
#ifndef MI_ENGINE_SOURCE_H
#define MI_ENGINE_SOURCE_H

#include "core/class.h"
#include "core/error.h"
#include "request.h"

#include <mi.h>
#include <stdbool.h>

/* One result of a source cursor, borrowed until the next call or the close. path_only:
 * an association names the object but the source does not hold it (a dangling end, or
 * one another source serves). */
typedef struct mi_source_item {
    const MI_Instance *instance; /* NULL: no more */
    bool path_only;
} mi_source_item;

typedef struct mi_source_ops {
    /* The instances of class_name (deep: and of its subclasses) in q's namespace; with
     * q->keys_only their paths. Results carry their namespace. */
    MI_Result (*enumerate)(void *self, const mi_request *q, const char *class_name, bool deep,
                           void **cursor, mi_error *err);
    /* The instance a resolved path names (the caller's), or MI_RESULT_NOT_FOUND. */
    MI_Result (*get)(void *self, const char *ns, const MI_Instance *path, MI_Instance **out,
                     mi_error *err);
    /* create: a class-bound instance with its keys, which must not exist yet. modify:
     * the stored instance with the same keys takes all of the given one's values.
     * remove: the instance a resolved path names. */
    MI_Result (*create)(void *self, const char *ns, const MI_Instance *inst, mi_error *err);
    MI_Result (*modify)(void *self, const char *ns, const MI_Instance *inst, mi_error *err);
    MI_Result (*remove)(void *self, const char *ns, const MI_Instance *path, mi_error *err);
    /* Optional (NULL: the engine's generic path serves the association classes this
     * source serves): the results of an association operation q for the resolved
     * source, over every association the source holds, with q's filters applied.
     * source stays valid until the cursor is closed. */
    MI_Result (*associators)(void *self, const mi_request *q, const MI_Instance *source,
                             void **cursor, mi_error *err);
    MI_Result (*references)(void *self, const mi_request *q, const MI_Instance *source,
                            void **cursor, mi_error *err);
    /* Optional, for a source without the fast paths above: the objects associated with
     * the resolved source through association class assoc alone (one it serves), as a
     * provider's AssociatorInstances finds them; q's ResultClass, Role and ResultRole are
     * passed on, with keysOnly the results are paths. MI_RESULT_NOT_SUPPORTED: not for
     * this class; the engine walks its instances instead. The engine checks each result
     * against the class and q's filters. */
    MI_Result (*class_associators)(void *self, const mi_request *q, const mi_class *assoc,
                                   const MI_Instance *source, void **cursor, mi_error *err);
    /* The same for references: the instances of assoc (and of its subclasses) that
     * point at the source, as a provider's ReferenceInstances finds them (q's Role passed
     * on); the engine checks each points at the source. */
    MI_Result (*class_references)(void *self, const mi_request *q, const mi_class *assoc,
                                  const MI_Instance *source, void **cursor, mi_error *err);
    /* Optional (NULL: the class's methods are not run here): method q->method of cls,
     * static (target NULL) or on the instance the resolved path target names, with the
     * input parameters q->instance (may be NULL); *out the output parameters, an
     * instance named after the method holding ReturnValue and the out parameters. */
    MI_Result (*invoke)(void *self, const mi_request *q, const mi_class *cls,
                        const MI_Instance *target, MI_Instance **out, mi_error *err);
    /* The cursors of enumerate, associators and references. */
    MI_Result (*next)(void *cursor, mi_source_item *item, mi_error *err);
    void (*close)(void *cursor);
    /* Optional: the instance the last next gave, made the caller's (a copy spared);
     * NULL when the cursor cannot give it away. */
    MI_Instance *(*take)(void *cursor);
} mi_source_ops;

typedef struct mi_instance_source {
    const mi_source_ops *ops;
    void *self;
} mi_instance_source;

/* ---- the registry: which source serves which classes ---- */

typedef struct mi_source_registry mi_source_registry;

MI_Result mi_source_registry_new(mi_source_registry **out, mi_error *err);
void mi_source_registry_free(mi_source_registry *registry);

/* source (copied; what it points at must outlive the registry) serves class_name and its
 * subclasses (NULL: every class) in namespace ns (NULL: every namespace). A class takes
 * the source named for its nearest class up the chain, else the namespace's, else the
 * repository. */
MI_Result mi_source_registry_add(mi_source_registry *registry, const char *ns,
                                 const char *class_name, const mi_instance_source *source,
                                 mi_error *err);

/* The source serving cls in ns, or NULL when the repository does. */
const mi_instance_source *mi_source_registry_find(const mi_source_registry *registry,
                                                  const char *ns, const mi_class *cls);

/* Whether any source but the repository serves a class of ns. */
bool mi_source_registry_covers(const mi_source_registry *registry, const char *ns);

/* The source registered for every class of ns (the repository then serves none), or
 * NULL. */
const mi_instance_source *mi_source_registry_default(const mi_source_registry *registry,
                                                     const char *ns);

/* The registrations, by position (0 <= i < count): registration i's source when it
 * serves classes of ns, else NULL. */
size_t mi_source_registry_count(const mi_source_registry *registry);
const mi_instance_source *mi_source_registry_at(const mi_source_registry *registry, const char *ns,
                                                size_t i);

#endif
