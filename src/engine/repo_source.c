/*
 * repo_source — see repo_source.h.
 *
 * Associators: a result that fits in one page (256 steps) comes sorted by canonical
 * path; a longer one comes in index order (by path hash), the same on every call, with
 * no result set held beyond a page. Steps reaching one result lie side by side in the
 * index, so a repeat is known by the result taken last. References: the candidates
 * sharing the source's path hash, checked as typed paths, sorted.
 */
#include "repo_source.h"

#include "core/instance.h"
#include "core/name.h"
#include "core/path.h"
#include "ends.h"
#include "results.h"

#include <stdlib.h>
#include <string.h>

typedef enum cursor_kind { CURSOR_ENUMERATION, CURSOR_ASSOCIATORS, CURSOR_REFERENCES } cursor_kind;

/* The result an Associators walk took last: its repeats (reached through other
 * associations) come right after it in the index and are skipped. */
typedef struct last_result {
    bool any;
    uint64_t hash, check;
} last_result;

typedef struct repo_cursor {
    cursor_kind kind;
    mi_repository *repo;
    const mi_request *request; /* the operation's: it outlives the cursor */
    const char *ns;
    mi_instance_scan *scan; /* enumerations */
    MI_Instance *current;   /* the result last handed out */
    /* associations: the current page (all of it, for References) */
    mi_result_set results;
    size_t next;
    const MI_Instance *source; /* resolved; the caller's, valid while the cursor is */
    mi_edge_position at;
    last_result last;
    MI_Result result; /* of a visit */
    mi_error *err;
} repo_cursor;

enum { EDGES_PER_PAGE = 256 };

static MI_Result open_cursor(mi_repository *repo, const mi_request *q, cursor_kind kind,
                             repo_cursor **out, mi_error *err)
{
    repo_cursor *c = calloc(1, sizeof *c);
    if (!c)
        return mi_error_nomem(err);
    c->kind = kind;
    c->repo = repo;
    c->request = q;
    c->ns = q->namespace_name;
    *out = c;
    return MI_RESULT_OK;
}

static void repo_close(void *cursor)
{
    repo_cursor *c = cursor;
    if (!c)
        return;
    if (c->current)
        mi_instance_delete(c->current);
    mi_result_set_free(&c->results);
    mi_edge_position_clear(&c->at);
    mi_repository_scan_close(c->scan);
    free(c);
}

/* ---- plain instance operations ---- */

static MI_Result repo_enumerate(void *self, const mi_request *q, const char *class_name, bool deep,
                                void **out, mi_error *err)
{
    repo_cursor *c = NULL;
    MI_Result r = open_cursor(self, q, CURSOR_ENUMERATION, &c, err);
    if (r == MI_RESULT_OK)
        r = mi_repository_scan_open(self, q->namespace_name, class_name, deep, &c->scan, err);
    if (r != MI_RESULT_OK) {
        repo_close(c);
        c = NULL;
    }
    *out = c;
    return r;
}

static MI_Result repo_get(void *self, const char *ns, const MI_Instance *path, MI_Instance **out,
                          mi_error *err)
{
    return mi_repository_get_instance(self, ns, path, out, err);
}

static MI_Result repo_create(void *self, const char *ns, const MI_Instance *inst, mi_error *err)
{
    return mi_repository_create_instance(self, ns, inst, err);
}

static MI_Result repo_modify(void *self, const char *ns, const MI_Instance *inst, mi_error *err)
{
    return mi_repository_replace_instance(self, ns, inst, err);
}

static MI_Result repo_remove(void *self, const char *ns, const MI_Instance *path, mi_error *err)
{
    return mi_repository_delete_instance(self, ns, path, err);
}

static MI_Result next_instance(repo_cursor *c, mi_source_item *item, mi_error *err)
{
    MI_Instance *found = NULL;
    MI_Result r = mi_repository_scan_next(c->scan, &found, err);
    if (r != MI_RESULT_OK || !found)
        return r;
    if (c->request->keys_only) {
        r = mi_path_of_instance(&c->current, found, err);
        mi_instance_delete(found);
        if (r != MI_RESULT_OK)
            return r;
    } else {
        c->current = found;
    }
    item->instance = c->current;
    return MI_RESULT_OK;
}

/* ---- Associators through the edge index ---- */

/* Each step leads from the source through an association to a result, with the
 * result's record when it is stored. */
static bool visit_edge(void *context, const mi_edge *e)
{
    repo_cursor *c = context;
    const mi_request *q = c->request;
    if (c->last.any && c->last.hash == e->target_hash && c->last.check == e->target_check)
        return true; /* taken already */
    if ((q->role && !mi_name_equal(e->role, q->role)) ||
        (q->result_role && !mi_name_equal(e->result_role, q->result_role)) ||
        (q->assoc_class &&
         !mi_repository_class_is_a(c->repo, c->ns, e->assoc_class, q->assoc_class)))
        return true;
    MI_Instance *full = NULL, *path = NULL;
    MI_Result r;
    bool names = q->operation != MI_OP_ASSOCIATORS || q->keys_only;
    if (e->target_data) {
        r = mi_repository_decode(c->repo, e->target_namespace, e->target_data, e->target_size,
                                 &full, c->err);
        if (r == MI_RESULT_OK && names) /* the instance itself carries what Associators need */
            r = mi_path_of_instance(&path, full, c->err);
    } else {
        /* dangling here: the path as the association wrote it, typed by its class if known */
        r = mi_path_parse(&path, e->target_text, c->err);
        const mi_class *cls = r == MI_RESULT_OK
                                  ? mi_repository_find_class(c->repo, e->target_namespace,
                                                             mi_instance_class_name(path))
                                  : NULL;
        if (cls && mi_end_resolve(c->repo, e->target_namespace, path, cls, c->err) != MI_RESULT_OK)
            r = mi_error_set(c->err, MI_RESULT_FAILED, "a stored reference does not fit %s",
                             cls->name);
    }
    if (r == MI_RESULT_OK && path &&
        MI_Instance_SetNameSpace(path, e->target_namespace) != MI_RESULT_OK)
        r = mi_error_nomem(c->err);
    bool wanted = r == MI_RESULT_OK;
    if (wanted && q->result_class)
        wanted =
            mi_repository_class_is_a(c->repo, e->target_namespace,
                                     mi_instance_class_name(full ? full : path), q->result_class);
    if (wanted && names && full) {
        mi_instance_delete(full); /* names: the path is all that is wanted */
        full = NULL;
    }
    char *canonical = wanted ? strdup(e->target_canonical) : NULL;
    if (wanted && !canonical)
        r = mi_error_nomem(c->err);
    if (r != MI_RESULT_OK || !wanted) {
        free(canonical);
        if (path)
            mi_instance_delete(path);
        if (full)
            mi_instance_delete(full);
        c->result = r;
        return r == MI_RESULT_OK;
    }
    c->last = (last_result){true, e->target_hash, e->target_check};
    c->result = mi_result_set_take(&c->results, canonical, path, full, c->err);
    return c->result == MI_RESULT_OK;
}

/* The next page of results into c->results, in a read scope of its own. */
static MI_Result read_page(repo_cursor *c, mi_error *err)
{
    bool first = !c->at.started;
    mi_result_set_free(&c->results);
    c->next = 0;
    c->result = MI_RESULT_OK;
    c->err = err;
    mi_repository_read_begin(c->repo);
    MI_Result r =
        mi_repository_edges(c->repo, c->ns, c->source, EDGES_PER_PAGE, &c->at, visit_edge, c, err);
    mi_repository_read_end(c->repo);
    if (r == MI_RESULT_OK)
        r = c->result;
    if (r == MI_RESULT_OK && first && c->at.finished)
        mi_result_set_finish(&c->results);
    return r;
}

static MI_Result repo_associators(void *self, const mi_request *q, const MI_Instance *source,
                                  void **out, mi_error *err)
{
    repo_cursor *c = NULL;
    *out = NULL;
    MI_Result r = open_cursor(self, q, CURSOR_ASSOCIATORS, &c, err);
    if (r != MI_RESULT_OK)
        return r;
    c->source = source;
    r = read_page(c, err);
    if (r != MI_RESULT_OK) {
        repo_close(c);
        return r;
    }
    *out = c;
    return MI_RESULT_OK;
}

/* ---- References through the reference index ---- */

static bool visit_referrer(void *context, MI_Instance *a, const char *role)
{
    repo_cursor *c = context;
    const mi_request *q = c->request;
    if (!mi_end_points_at(a, role, c->ns, c->source)) /* another path with the same hash */
        return true;
    if (q->role && !mi_name_equal(role, q->role))
        return true;
    const mi_class *cls = mi_instance_class(a);
    if (q->result_class && !(cls && mi_class_is_a(cls, q->result_class)))
        return true;
    c->result = mi_end_add_association(&c->results, a, c->ns, q, c->err);
    return c->result == MI_RESULT_OK;
}

static MI_Result repo_references(void *self, const mi_request *q, const MI_Instance *source,
                                 void **out, mi_error *err)
{
    repo_cursor *c = NULL;
    *out = NULL;
    MI_Result r = open_cursor(self, q, CURSOR_REFERENCES, &c, err);
    if (r != MI_RESULT_OK)
        return r;
    c->err = err;
    c->result = MI_RESULT_OK;
    c->source = source;
    mi_repository_read_begin(c->repo);
    if (r == MI_RESULT_OK)
        r = mi_repository_referrers(c->repo, c->ns, c->source, visit_referrer, c, err);
    mi_repository_read_end(c->repo);
    if (r == MI_RESULT_OK)
        r = c->result;
    if (r != MI_RESULT_OK) {
        repo_close(c);
        return r;
    }
    mi_result_set_finish(&c->results); /* sorted by path, repeats dropped */
    c->at.finished = true;
    *out = c;
    return MI_RESULT_OK;
}

/* ---- the cursors ---- */

static MI_Result repo_next(void *cursor, mi_source_item *item, mi_error *err)
{
    repo_cursor *c = cursor;
    *item = (mi_source_item){NULL, false};
    if (c->current) {
        mi_instance_delete(c->current);
        c->current = NULL;
    }
    if (c->kind == CURSOR_ENUMERATION)
        return next_instance(c, item, err);
    const mi_request *q = c->request;
    while (c->next == c->results.count) {
        if (c->at.finished)
            return MI_RESULT_OK; /* the end */
        MI_Result r = read_page(c, err);
        if (r != MI_RESULT_OK)
            return r;
    }
    mi_result_entry *e = &c->results.items[c->next++];
    bool whole =
        (q->operation == MI_OP_ASSOCIATORS || q->operation == MI_OP_REFERENCES) && !q->keys_only;
    if (whole && e->full) {
        c->current = e->full;
        e->full = NULL;
    } else {
        c->current = e->path;
        e->path = NULL;
        item->path_only = whole; /* the object is not stored here */
    }
    item->instance = c->current;
    return MI_RESULT_OK;
}

static const mi_source_ops repo_ops = {
    .enumerate = repo_enumerate,
    .get = repo_get,
    .create = repo_create,
    .modify = repo_modify,
    .remove = repo_remove,
    .associators = repo_associators,
    .references = repo_references,
    .next = repo_next,
    .close = repo_close,
};

mi_instance_source mi_repo_source(mi_repository *repo)
{
    return (mi_instance_source){&repo_ops, repo};
}
