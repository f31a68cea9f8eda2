/*
 * repository — the durable store: one SQLite file (WAL mode) holding namespaces,
 * qualifier types, classes, static instances, the reference index, which maps the
 * canonical path of every object that an instance's reference property points at to
 * (that instance, that property), and the edge index: every step from an object through
 * an association to the object at another end. References of an object are found
 * through the first, its associators through the second, never by scanning instances.
 *
 * Every write is one transaction: all of it is stored, or none. A handle serialises its
 * own calls (one connection); other handles and other processes may read while one of
 * them writes.
 */
#ifndef MI_REPO_REPOSITORY_H
#define MI_REPO_REPOSITORY_H

#include "core/class.h"
#include "core/error.h"
#include "core/schema_batch.h"

#include <mi.h>
#include <stdbool.h>
#include <stdint.h>

#define MI_REPOSITORY_SCHEMA_VERSION 5

typedef struct mi_repository mi_repository;

/* Opens the repository at path (":memory:" for a private one that lives as long as the
 * handle). A missing file is created (with namespaces root/cimv2 and root/interop) only
 * when create is true. A file that is not a repository, or one of another schema
 * version, is refused with a message saying so, and left as it was. */
MI_Result mi_repository_open(mi_repository **out, const char *path, bool create, mi_error *err);

/* Lets the read transaction of a scope stay open after it ends, for as long as no other
 * connection commits (checked, without a system call, at the next read): a read then
 * starts without taking file locks. For a session's connection, whose calls come one
 * after another; an idle connection keeps its snapshot, so a long-lived server's workers
 * do not use this. */
void mi_repository_keep_snapshots(mi_repository *repo);

/* Reads copy pages into a page cache of at most cache_kib KiB instead of mapping the file:
 * for a long-running server with a connection per thread, whose resident memory should
 * not count the file once per connection. */
MI_Result mi_repository_bound_memory(mi_repository *repo, unsigned cache_kib, mi_error *err);
void mi_repository_close(mi_repository *repo);

/* Where the embedded repository lives: MI_REPOSITORY, else
 * $XDG_DATA_HOME/libmi/repository.db, else ~/.local/share/libmi/repository.db. */
void mi_repository_default_path(char *out, size_t size);

/* Whether the file was opened for reading only (it, or its folder, is not writable):
 * every change is then refused with MI_RESULT_ACCESS_DENIED. */
bool mi_repository_read_only(const mi_repository *repo);
/* The path the repository was opened with. */
const char *mi_repository_path(const mi_repository *repo);

/* The mi_schema_store over this repository: the MOF compiler writes through it. */
mi_schema_store mi_repository_store(mi_repository *repo);

/* Applies a batch in one transaction (see mi_schema_store.apply). */
MI_Result mi_repository_apply(mi_repository *repo, mi_schema_batch *batch, mi_error *err);

/* A read scope: the reads between begin and end see one snapshot and share one
 * transaction (far cheaper than one per statement). Scopes nest; a write on the same
 * handle waits until the scopes have ended, so a scope must not outlive the call that
 * opened it, nor enclose a write of the same thread. */
void mi_repository_read_begin(mi_repository *repo);
void mi_repository_read_end(mi_repository *repo);

bool mi_repository_has_namespace(mi_repository *repo, const char *ns);

/* The namespaces, in the order they were made (the caller frees names and each name). */
MI_Result mi_repository_namespaces(mi_repository *repo, char ***names, size_t *count,
                                   mi_error *err);
/* A new empty namespace: MI_RESULT_ALREADY_EXISTS when there is one of that name (in any
 * case), MI_RESULT_INVALID_PARAMETER for a name that is not one. */
MI_Result mi_repository_create_namespace(mi_repository *repo, const char *ns, mi_error *err);
/* Deletes an empty namespace (its qualifier types go with it): MI_RESULT_NOT_FOUND, or
 * MI_RESULT_NAMESPACE_NOT_EMPTY while it holds classes or instances. */
MI_Result mi_repository_delete_namespace(mi_repository *repo, const char *ns, mi_error *err);

/* A class, or NULL (unknown, or the store failed). The class stays valid while the handle
 * is open; take a reference to keep it longer. */
mi_class *mi_repository_find_class(mi_repository *repo, const char *ns, const char *name);

/* The names of the qualifier types declared in ns (the caller frees them), and the
 * deletion of one (MI_RESULT_NOT_FOUND when there is none). */
MI_Result mi_repository_qualifier_names(mi_repository *repo, const char *ns, char ***names,
                                        size_t *count, mi_error *err);
MI_Result mi_repository_delete_qualifier(mi_repository *repo, const char *ns, const char *name,
                                         mi_error *err);

/* A qualifier type declaration, or NULL; valid while the handle is open. */
const mi_qualifier_decl *mi_repository_find_qualifier(mi_repository *repo, const char *ns,
                                                      const char *name);

/* Whether a class of that name is `base` or derives from it. */
bool mi_repository_class_is_a(mi_repository *repo, const char *ns, const char *name,
                              const char *base);

/* The stored instance a resolved path names (a new instance, class-bound, with its
 * namespace), or MI_RESULT_NOT_FOUND. */
MI_Result mi_repository_get_instance(mi_repository *repo, const char *ns, const MI_Instance *path,
                                     MI_Instance **out, mi_error *err);

/* Calls visit for every (instance, property) whose reference points at target (a
 * resolved path), read from the index; candidates share the target's path hash and are
 * passed with the instance decoded (visit checks the reference itself). visit returns
 * false to stop. */
typedef bool (*mi_reference_visit)(void *context, MI_Instance *referrer, const char *property);
MI_Result mi_repository_referrers(mi_repository *repo, const char *ns, const MI_Instance *target,
                                  mi_reference_visit visit, void *context, mi_error *err);

/* Single changes, each in its own transaction. create: the instance (class-bound, keys
 * set) must not exist (MI_RESULT_ALREADY_EXISTS). replace: the stored instance with the
 * same keys takes the given one's values; its references are indexed anew. delete:
 * the instance and its index rows (MI_RESULT_NOT_FOUND if none), and with them every
 * association that names it through a key reference (an association's keys are its
 * ends: without the end it names no object), all in one transaction. */
MI_Result mi_repository_create_instance(mi_repository *repo, const char *ns,
                                        const MI_Instance *inst, mi_error *err);
MI_Result mi_repository_replace_instance(mi_repository *repo, const char *ns,
                                         const MI_Instance *inst, mi_error *err);
MI_Result mi_repository_delete_instance(mi_repository *repo, const char *ns,
                                        const MI_Instance *path, mi_error *err);

/* Deletes a class: MI_RESULT_CLASS_HAS_CHILDREN or MI_RESULT_CLASS_HAS_INSTANCES when it
 * still has subclasses or instances. */
MI_Result mi_repository_delete_class(mi_repository *repo, const char *ns, const char *name,
                                     mi_error *err);

/* An enumeration of the instances of a class (deep: and of its subclasses), class by
 * class, each in storage order, read a page at a time: it holds no statement or lock
 * between calls, and an instance written meanwhile is seen or not by where it lands. */
typedef struct mi_instance_scan mi_instance_scan;
MI_Result mi_repository_scan_open(mi_repository *repo, const char *ns, const char *class_name,
                                  bool deep, mi_instance_scan **out, mi_error *err);
/* The next instance (the caller's), or *out NULL at the end. */
MI_Result mi_repository_scan_next(mi_instance_scan *scan, MI_Instance **out, mi_error *err);
void mi_repository_scan_close(mi_instance_scan *scan);

/* One end-to-end step through an association: an association instance points at the
 * source through `role` and at the target through `result_role`. The target's record
 * comes along when the target is stored (data NULL for a dangling reference). */
typedef struct mi_edge {
    const char *role;
    const char *result_role;
    const char *assoc_class;
    const char *target_namespace;
    const char *target_canonical; /* the canonical path */
    const char *target_text;      /* the path as the reference wrote it */
    const unsigned char *target_data;
    size_t target_size;
    const char *target_class;           /* the stored target's class; NULL when dangling */
    uint64_t target_hash, target_check; /* the result's identity: equal on repeats */
} mi_edge;

/* How far a walk over one source's edges has come: after the last edge it visited. */
typedef struct mi_edge_position {
    bool started;
    bool finished; /* no edge remains */
    int64_t target_hash, target_check, assoc;
    char *role, *result_role;
} mi_edge_position;

void mi_edge_position_clear(mi_edge_position *at);

/* The next (at most limit) edges leaving the object at path (resolved), after position at,
 * which moves past them; edges come ordered by their result, so repeats of one result come
 * together. visit returns false to stop. */
typedef bool (*mi_edge_visit)(void *context, const mi_edge *edge);
MI_Result mi_repository_edges(mi_repository *repo, const char *ns, const MI_Instance *source,
                              size_t limit, mi_edge_position *at, mi_edge_visit visit,
                              void *context, mi_error *err);

/* Decodes a stored instance record (as an edge carries it) of a class of namespace ns. */
MI_Result mi_repository_decode(mi_repository *repo, const char *ns, const unsigned char *data,
                               size_t size, MI_Instance **out, mi_error *err);

/* The names of the classes under parent (NULL: the root classes), its direct
 * subclasses only or (deep) all its descendants, superclasses before subclasses; the
 * array and its strings are the caller's (free). */
MI_Result mi_repository_class_names(mi_repository *repo, const char *ns, const char *parent,
                                    bool deep, char ***names, size_t *count, mi_error *err);

/* Numbers of stored things in a namespace (for tests and tools). */
uint64_t mi_repository_count_instances(mi_repository *repo, const char *ns);
uint64_t mi_repository_count_classes(mi_repository *repo, const char *ns);
uint64_t mi_repository_count_references(mi_repository *repo, const char *ns);

/* ---- provider registrations: which provider module serves which class ---- */

typedef struct mi_provider_registration {
    char *ns;
    char *class_name;
    char *module;  /* the module file's absolute path */
    bool isolated; /* run in a host process of its own rather than in the caller's */
} mi_provider_registration;

/* Records every registration in one transaction, replacing one the same module made for
 * the same class; a class another module serves is refused (MI_RESULT_ALREADY_EXISTS,
 * naming it), as is a namespace that does not exist. */
MI_Result mi_repository_add_providers(mi_repository *repo, const mi_provider_registration *regs,
                                      size_t count, mi_error *err);
/* Removes the registrations of module (in ns; NULL: in every namespace). */
MI_Result mi_repository_remove_providers(mi_repository *repo, const char *module, const char *ns,
                                         size_t *removed, mi_error *err);
/* Every registration, by namespace and class; the array is the caller's
 * (mi_provider_registrations_free). */
MI_Result mi_repository_providers(mi_repository *repo, mi_provider_registration **out,
                                  size_t *count, mi_error *err);
void mi_provider_registrations_free(mi_provider_registration *regs, size_t count);

#endif
