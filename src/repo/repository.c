/*
 * repository — see repository.h.
 *
 * Tables: meta (application, schema version), namespace, qualifier_type, class (its
 * codec record and superclass), instance (codec record, canonical path and its 64-bit
 * hash), reference (namespace, target path hash) -> (instance, property), which
 * References read, and edge: one row per step from a source through an association to
 * a result, clustered by source and ordered by result, with the result's record, which
 * Associators read a page at a time. Lookups go through indexes on (ns, name),
 * (ns, path_hash), (ns, target_hash) and the edges' clustering key; statements are
 * prepared once per handle. Classes are decoded once and cached; the cache is dropped
 * when another connection has changed the file (PRAGMA data_version). A session's
 * connection may keep its read snapshot between calls while the wal-index header shows
 * no other commit (mi_repository_keep_snapshots).
 */
#define _POSIX_C_SOURCE 200809L

#include "repository.h"

#include "codec.h"
#include "core/instance.h"
#include "core/name.h"
#include "core/path.h"
#include "core/value.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <threads.h>
#include <unistd.h>

enum statement {
    ST_NAMESPACE_ID,
    ST_NAMESPACE_ADD,
    ST_QUALIFIER_GET,
    ST_QUALIFIER_PUT,
    ST_CLASS_GET,
    ST_CLASS_ID,
    ST_CLASS_ADD,
    ST_INSTANCE_FIND,
    ST_INSTANCE_ADD,
    ST_INSTANCE_BY_ID,
    ST_INSTANCE_PAGE,
    ST_REFERENCE_ADD,
    ST_REFERENCES_TO,
    ST_DATA_VERSION,
    ST_INSTANCE_DELETE,
    ST_REFERENCES_DELETE,
    ST_INSTANCE_UPDATE,
    ST_CLASS_CHILDREN,
    ST_CLASS_INSTANCES,
    ST_CLASS_DELETE,
    ST_EDGE_ADD,
    ST_EDGES_DELETE,
    ST_EDGES_UNTARGET,
    ST_EDGES_TARGET,
    ST_EDGES_FROM,
    ST_EDGES_FROM_AFTER,
    ST_BEGIN,
    ST_COMMIT,
    ST_NAMESPACE_NAME,
    ST_CLASS_NAME,
    ST_EDGES_REFRESH,
    ST_CLASS_ROW,
    ST_CLASS_UPDATE,
    ST_CLASS_SUBCLASSES,
    ST_CLASS_INSTANCE_ROWS,
    ST_CLASS_SUPERCLASS,
    ST_COUNT
};

/* One range, no joins: each row carries its stored result; class and namespace names come
 * from the in-memory id caches. Read a page at a time, each page after the last row of the
 * one before. */
#define EDGES_FROM(after)                                                                          \
    "SELECT role, result_role, assoc_class, target_ns, target_path, target_class, target_data,"    \
    " assoc, target_hash, target_check FROM edge WHERE ns = ?1 AND source_hash = ?2"               \
    " AND source_check = ?3" after
#define EDGES_PAGE " ORDER BY target_hash, target_check, assoc, role, result_role LIMIT ?4"

static const char *const statement_sql[ST_COUNT] = {
    [ST_NAMESPACE_ID] = "SELECT id FROM namespace WHERE name = ?1",
    [ST_NAMESPACE_ADD] = "INSERT INTO namespace(name) VALUES (?1)",
    [ST_QUALIFIER_GET] = "SELECT data FROM qualifier_type WHERE ns = ?1 AND name = ?2",
    [ST_QUALIFIER_PUT] =
        "INSERT OR REPLACE INTO qualifier_type(ns, name, data) VALUES (?1, ?2, ?3)",
    [ST_CLASS_GET] = "SELECT c.data, s.name FROM class c LEFT JOIN class s ON s.id = c.superclass"
                     " WHERE c.ns = ?1 AND c.name = ?2",
    [ST_CLASS_ID] = "SELECT id FROM class WHERE ns = ?1 AND name = ?2",
    [ST_CLASS_ADD] = "INSERT INTO class(ns, name, superclass, flags, data)"
                     " VALUES (?1, ?2, ?3, ?4, ?5)",
    [ST_INSTANCE_FIND] = "SELECT id, data FROM instance WHERE ns = ?1 AND path_hash = ?2"
                         " AND path = ?3",
    [ST_INSTANCE_ADD] = "INSERT INTO instance(ns, class, path_hash, path, data)"
                        " VALUES (?1, ?2, ?3, ?4, ?5)",
    [ST_INSTANCE_BY_ID] = "SELECT i.data, c.name FROM instance i JOIN class c ON c.id = i.class"
                          " WHERE i.id = ?1",
    [ST_INSTANCE_PAGE] = "SELECT id, data FROM instance WHERE class = ?1 AND id > ?2"
                         " ORDER BY id LIMIT ?3",
    [ST_REFERENCE_ADD] = "INSERT OR IGNORE INTO reference(ns, target_hash, instance, property)"
                         " VALUES (?1, ?2, ?3, ?4)",
    [ST_REFERENCES_TO] = "SELECT instance, property FROM reference WHERE ns = ?1"
                         " AND target_hash = ?2",
    [ST_DATA_VERSION] = "PRAGMA data_version",
    [ST_INSTANCE_DELETE] = "DELETE FROM instance WHERE id = ?1",
    [ST_REFERENCES_DELETE] = "DELETE FROM reference WHERE instance = ?1",
    [ST_INSTANCE_UPDATE] = "UPDATE instance SET data = ?2 WHERE id = ?1",
    [ST_CLASS_CHILDREN] = "SELECT 1 FROM class WHERE superclass = ?1 LIMIT 1",
    [ST_CLASS_INSTANCES] = "SELECT 1 FROM instance WHERE class = ?1 LIMIT 1",
    [ST_CLASS_DELETE] = "DELETE FROM class WHERE id = ?1",
    [ST_EDGE_ADD] = "INSERT OR IGNORE INTO edge(ns, source_hash, source_check, assoc, role,"
                    " result_role, assoc_class, target_ns, target_hash, target_check, target,"
                    " target_path, target_class, target_data)"
                    " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, t.path, t.class, t.data"
                    " FROM (SELECT 1) LEFT JOIN instance t ON t.id = ?11",
    [ST_EDGES_DELETE] = "DELETE FROM edge WHERE assoc = ?1",
    [ST_EDGES_UNTARGET] = "UPDATE edge SET target = NULL, target_path = NULL, target_class = NULL,"
                          " target_data = NULL WHERE target = ?1",
    [ST_EDGES_TARGET] = "UPDATE edge SET (target, target_path, target_class, target_data) ="
                        " (SELECT id, path, class, data FROM instance WHERE id = ?1)"
                        " WHERE target_ns = ?2 AND target_hash = ?3 AND target_check = ?4",
    [ST_EDGES_REFRESH] = "UPDATE edge SET target_data = ?2 WHERE target = ?1",
    [ST_EDGES_FROM] = EDGES_FROM("") EDGES_PAGE,
    [ST_EDGES_FROM_AFTER] = EDGES_FROM(" AND (target_hash, target_check, assoc, role, result_role)"
                                       " > (?5, ?6, ?7, ?8, ?9)") EDGES_PAGE,
    [ST_BEGIN] = "BEGIN",
    [ST_COMMIT] = "COMMIT",
    [ST_NAMESPACE_NAME] = "SELECT name FROM namespace WHERE id = ?1",
    [ST_CLASS_NAME] = "SELECT name FROM class WHERE id = ?1",
    [ST_CLASS_ROW] = "SELECT id, superclass, data FROM class WHERE ns = ?1 AND name = ?2",
    [ST_CLASS_UPDATE] = "UPDATE class SET superclass = ?2, flags = ?3, data = ?4 WHERE id = ?1",
    [ST_CLASS_SUBCLASSES] = "SELECT id FROM class WHERE superclass = ?1",
    [ST_CLASS_INSTANCE_ROWS] = "SELECT id, path, data FROM instance WHERE class = ?1",
    [ST_CLASS_SUPERCLASS] = "SELECT superclass FROM class WHERE id = ?1",
};

/* The steps through associations, clustered by where they start and, within that, by the
 * result they reach: one source's results come in one ordered range, repeats side by side. */
#define EDGE_TABLE(name)                                                                           \
    "CREATE TABLE " name "(ns INTEGER NOT NULL, source_hash INTEGER NOT NULL,"                     \
    " source_check INTEGER NOT NULL, assoc INTEGER NOT NULL, role TEXT NOT NULL,"                  \
    " result_role TEXT NOT NULL, assoc_class INTEGER NOT NULL, target_ns INTEGER NOT NULL,"        \
    " target_hash INTEGER NOT NULL, target_check INTEGER NOT NULL, target INTEGER,"                \
    " target_path TEXT, target_class INTEGER, target_data BLOB," /* a copy of the stored target */ \
    " PRIMARY KEY(ns, source_hash, source_check, target_hash, target_check, assoc, role,"          \
    " result_role)) WITHOUT ROWID;"
#define EDGE_INDEXES                                                                               \
    "CREATE INDEX edge_by_assoc ON edge(assoc);"                                                   \
    "CREATE INDEX edge_by_target_path ON edge(target_ns, target_hash, target_check);"              \
    "CREATE INDEX edge_by_target ON edge(target);"

static const char schema_sql[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;"
    "CREATE TABLE namespace(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE);"
    "CREATE TABLE qualifier_type(ns INTEGER NOT NULL REFERENCES namespace(id),"
    " name TEXT NOT NULL COLLATE NOCASE, data BLOB NOT NULL, PRIMARY KEY(ns, name))"
    " WITHOUT ROWID;"
    "CREATE TABLE class(id INTEGER PRIMARY KEY, ns INTEGER NOT NULL REFERENCES namespace(id),"
    " name TEXT NOT NULL COLLATE NOCASE, superclass INTEGER REFERENCES class(id),"
    " flags INTEGER NOT NULL, data BLOB NOT NULL, UNIQUE(ns, name));"
    "CREATE INDEX class_by_superclass ON class(superclass);"
    "CREATE TABLE instance(id INTEGER PRIMARY KEY, ns INTEGER NOT NULL REFERENCES namespace(id),"
    " class INTEGER NOT NULL REFERENCES class(id), path_hash INTEGER NOT NULL,"
    " path TEXT NOT NULL, data BLOB NOT NULL);"
    "CREATE INDEX instance_by_path ON instance(ns, path_hash);"
    "CREATE INDEX instance_by_class ON instance(class);"
    "CREATE TABLE reference(ns INTEGER NOT NULL, target_hash INTEGER NOT NULL,"
    " instance INTEGER NOT NULL REFERENCES instance(id), property TEXT NOT NULL,"
    " PRIMARY KEY(ns, target_hash, instance, property)) WITHOUT ROWID;"
    "CREATE INDEX reference_by_instance ON reference(instance);" EDGE_TABLE("edge") EDGE_INDEXES
    "INSERT INTO meta VALUES ('application', 'libmi'), ('schema_version', 5);"
    "INSERT INTO namespace(name) VALUES ('root/cimv2'), ('root/interop');";

/* The bytes of every row of one call, in one allocation. */
typedef struct byte_block {
    char *bytes;
    size_t used, capacity;
} byte_block;

typedef struct cached_class {
    char *key; /* "ns\x1Fname" */
    mi_class *cls;
} cached_class;

typedef struct cached_qualifier {
    char *key;
    mi_qualifier_decl *decl;
} cached_qualifier;

struct mi_repository {
    sqlite3 *db;
    char *path;
    bool read_only; /* the file (or its folder) cannot be written: reads only */
    sqlite3_stmt *statements[ST_COUNT];
    mtx_t lock;
    int64_t data_version;
    cached_class *classes;
    uint32_t class_count, class_capacity;
    mi_nametable class_index;
    /* the classes found last, by exact key: most calls ask for the same few */
    struct {
        char key[96];
        size_t len;
        mi_class *cls;
    } recent[4];
    unsigned recent_next;
    cached_qualifier *qualifiers;
    uint32_t qualifier_count, qualifier_capacity;
    mi_nametable qualifier_index;
    /* namespace ids seen lately (few namespaces, looked up on every call) */
    char *namespace_names[8];
    int64_t namespace_ids[8];
    int namespace_count;
    /* class names by class id (ids are small: rowids of the class table) */
    char **class_names;
    size_t class_names_size;
    char *spare_name;       /* a name looked up but not cached: valid until the next lookup */
    byte_block spare_block; /* kept between edge reads; a read takes it while it runs */
    int read_depth;         /* open read scopes: one transaction holds them all */
    /* Kept snapshots: the read transaction of the last scope stays open while no other
     * connection commits, which the wal-index header in the -shm file tells (every commit
     * rewrites it); starting a transaction costs file locks, keeping one costs nothing. */
    bool keep_snapshots;
    bool snapshot_kept;                /* a read transaction is open between scopes */
    const volatile unsigned char *shm; /* the -shm file mapped for reading, or NULL */
    unsigned char snapshot_header[48]; /* the wal-index header when it began */
    cnd_t no_readers; /* signalled when the last read scope ends: writers wait for it */
    /* Lookups hand out borrowed pointers: what the cache drops waits here until close. */
    void **retired;
    uint32_t retired_count, retired_capacity;
};

/* ---- statements ---- */

static MI_Result db_error(mi_repository *repo, mi_error *err, const char *what)
{
    int code = sqlite3_errcode(repo->db);
    MI_Result r = code == SQLITE_NOMEM        ? MI_RESULT_SERVER_LIMITS_EXCEEDED
                  : code == SQLITE_FULL       ? MI_RESULT_SERVER_LIMITS_EXCEEDED
                  : code == SQLITE_CONSTRAINT ? MI_RESULT_ALREADY_EXISTS
                                              : MI_RESULT_FAILED;
    return mi_error_set(err, r, "repository: %s: %s", what, sqlite3_errmsg(repo->db));
}

static sqlite3_stmt *statement(mi_repository *repo, enum statement which)
{
    sqlite3_stmt **s = &repo->statements[which];
    if (!*s && sqlite3_prepare_v3(repo->db, statement_sql[which], -1, SQLITE_PREPARE_PERSISTENT, s,
                                  NULL) != SQLITE_OK)
        return NULL;
    sqlite3_reset(*s);
    sqlite3_clear_bindings(*s);
    return *s;
}

static bool exec(mi_repository *repo, const char *sql)
{
    return sqlite3_exec(repo->db, sql, NULL, NULL, NULL) == SQLITE_OK;
}

/* ---- the class cache ---- */

/* Keeps p (a class or a qualifier declaration, told by is_class) until close; false when
 * there is no room (the caller then keeps it cached). */
static bool retire(mi_repository *repo, void *p, bool is_class)
{
    if (repo->retired_count == repo->retired_capacity) {
        uint32_t capacity = repo->retired_capacity ? repo->retired_capacity * 2 : 64;
        void **grown = realloc(repo->retired, capacity * sizeof *grown);
        if (!grown)
            return false;
        repo->retired = grown;
        repo->retired_capacity = capacity;
    }
    /* the low bit tells the kind; both kinds are at least 2-aligned */
    repo->retired[repo->retired_count++] = (void *)((uintptr_t)p | (is_class ? 1u : 0u));
    return true;
}

static void forget_names(mi_repository *repo)
{
    for (int i = 0; i < repo->namespace_count; i++)
        free(repo->namespace_names[i]);
    repo->namespace_count = 0;
    for (size_t i = 0; i < repo->class_names_size; i++)
        free(repo->class_names[i]);
    free(repo->class_names);
    repo->class_names = NULL;
    repo->class_names_size = 0;
    free(repo->spare_name);
    repo->spare_name = NULL;
}

static void cache_clear(mi_repository *repo)
{
    forget_names(repo);
    memset(repo->recent, 0, sizeof repo->recent);
    uint32_t kept = 0;
    for (uint32_t i = 0; i < repo->class_count; i++) {
        if (retire(repo, repo->classes[i].cls, true))
            free(repo->classes[i].key);
        else
            repo->classes[kept++] = repo->classes[i];
    }
    repo->class_count = kept;
    mi_nametable_clear(&repo->class_index);
    for (uint32_t i = 0; i < kept; i++)
        mi_nametable_insert(&repo->class_index, repo->classes[i].key, i);
    kept = 0;
    for (uint32_t i = 0; i < repo->qualifier_count; i++) {
        if (retire(repo, repo->qualifiers[i].decl, false))
            free(repo->qualifiers[i].key);
        else
            repo->qualifiers[kept++] = repo->qualifiers[i];
    }
    repo->qualifier_count = kept;
    mi_nametable_clear(&repo->qualifier_index);
    for (uint32_t i = 0; i < kept; i++)
        mi_nametable_insert(&repo->qualifier_index, repo->qualifiers[i].key, i);
}

static void cache_free(mi_repository *repo)
{
    free(repo->spare_block.bytes);
    forget_names(repo);
    for (uint32_t i = 0; i < repo->class_count; i++) {
        free(repo->classes[i].key);
        mi_class_unref(repo->classes[i].cls);
    }
    for (uint32_t i = 0; i < repo->qualifier_count; i++) {
        free(repo->qualifiers[i].key);
        mi_qualifier_decl_free(repo->qualifiers[i].decl);
    }
    for (uint32_t i = 0; i < repo->retired_count; i++) {
        uintptr_t p = (uintptr_t)repo->retired[i];
        if (p & 1)
            mi_class_unref((mi_class *)(p & ~(uintptr_t)1));
        else
            mi_qualifier_decl_free((mi_qualifier_decl *)p);
    }
    free(repo->classes);
    free(repo->qualifiers);
    free(repo->retired);
    mi_nametable_free(&repo->class_index);
    mi_nametable_free(&repo->qualifier_index);
}

static char *class_key(const char *ns, const char *name)
{
    size_t a = strlen(ns), b = strlen(name);
    char *key = malloc(a + b + 2);
    if (key) {
        memcpy(key, ns, a);
        key[a] = '\x1F';
        memcpy(key + a + 1, name, b + 1);
    }
    return key;
}

static mi_class *cache_find(mi_repository *repo, const char *ns, const char *name)
{
    char buffer[512];
    size_t a = strlen(ns), b = strlen(name);
    if (a + b + 2 > sizeof buffer)
        return NULL;
    memcpy(buffer, ns, a);
    buffer[a] = '\x1F';
    memcpy(buffer + a + 1, name, b + 1);
    size_t len = a + b + 1;
    for (unsigned r = 0; r < 4; r++) {
        if (repo->recent[r].len == len && !memcmp(repo->recent[r].key, buffer, len))
            return repo->recent[r].cls;
    }
    uint32_t i;
    if (!mi_nametable_find(&repo->class_index, buffer, &i))
        return NULL;
    if (len < sizeof repo->recent[0].key) {
        unsigned r = repo->recent_next++ % 4;
        memcpy(repo->recent[r].key, buffer, len);
        repo->recent[r].len = len;
        repo->recent[r].cls = repo->classes[i].cls;
    }
    return repo->classes[i].cls;
}

/* Takes a reference to cls; false when memory ran out (nothing cached then). */
static bool cache_add(mi_repository *repo, const char *ns, mi_class *cls)
{
    if (repo->class_count == repo->class_capacity) {
        uint32_t capacity = repo->class_capacity ? repo->class_capacity * 2 : 256;
        cached_class *grown = realloc(repo->classes, capacity * sizeof *grown);
        if (!grown)
            return false;
        repo->classes = grown;
        repo->class_capacity = capacity;
    }
    char *key = class_key(ns, cls->name);
    if (!key || mi_nametable_reserve(&repo->class_index, repo->class_count + 1) != MI_RESULT_OK ||
        mi_nametable_insert(&repo->class_index, key, repo->class_count) != MI_RESULT_OK) {
        free(key);
        return false;
    }
    mi_class_ref(cls);
    repo->classes[repo->class_count++] = (cached_class){key, cls};
    return true;
}

enum { WAL_INDEX_HEADER = 48 }; /* the first copy of the header, at the start of -shm */

static void copy_wal_header(const mi_repository *repo, unsigned char *out)
{
    atomic_thread_fence(memory_order_acquire);
    for (int i = 0; i < WAL_INDEX_HEADER; i++)
        out[i] = repo->shm[i];
}

/* Whether the kept snapshot is still the newest: nobody committed since it began. */
static bool snapshot_current(const mi_repository *repo)
{
    unsigned char now[WAL_INDEX_HEADER];
    copy_wal_header(repo, now);
    return memcmp(now, repo->snapshot_header, sizeof now) == 0;
}

/* Ends a kept snapshot: before a write, at close, or when another connection committed. */
static void release_snapshot(mi_repository *repo)
{
    if (!repo->snapshot_kept)
        return;
    repo->snapshot_kept = false;
    sqlite3_stmt *s = sqlite3_get_autocommit(repo->db) ? NULL : statement(repo, ST_COMMIT);
    if (s) {
        sqlite3_step(s);
        sqlite3_reset(s);
    }
}

/* Maps the -shm file once it exists (it does while the connection reads in WAL mode). */
static void map_wal_index(mi_repository *repo)
{
    const char *db_file = sqlite3_db_filename(repo->db, "main");
    if (!db_file || !*db_file)
        return;
    char shm_path[4200];
    if (snprintf(shm_path, sizeof shm_path, "%s-shm", db_file) >= (int)sizeof shm_path)
        return;
    int fd = open(shm_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    struct stat st;
    if (fstat(fd, &st) == 0 && st.st_size >= 4096) {
        void *map = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
        if (map != MAP_FAILED)
            repo->shm = map;
    }
    close(fd);
}

/* Drops the cache when another connection committed since we last looked. */
static void check_data_version(mi_repository *repo)
{
    if (repo->read_depth > 0)
        return; /* checked when the scope began; the snapshot cannot change inside it */
    if (repo->snapshot_kept) {
        if (snapshot_current(repo))
            return; /* nothing committed: the snapshot and the caches stand */
        release_snapshot(repo);
    }
    sqlite3_stmt *s = statement(repo, ST_DATA_VERSION);
    if (s && sqlite3_step(s) == SQLITE_ROW) {
        int64_t version = sqlite3_column_int64(s, 0);
        if (version != repo->data_version)
            cache_clear(repo);
        repo->data_version = version;
    }
    if (s)
        sqlite3_reset(s); /* a statement left on its row would hold the snapshot it read */
}

/* Version 4 kept a source's edges in association order; version 5 orders them by result.
 * The edge table is rebuilt in one transaction: all of it or none. */
static MI_Result upgrade_from_4(mi_repository *repo, const char *path, mi_error *err)
{
    if (!exec(repo, "BEGIN IMMEDIATE"))
        return db_error(repo, err, "cannot upgrade the repository");
    if (!exec(repo, EDGE_TABLE(
                        "edge_5") "INSERT INTO edge_5 SELECT * FROM edge;"
                                  "DROP TABLE edge; ALTER TABLE edge_5 RENAME TO edge;" EDGE_INDEXES
                                  "UPDATE meta SET value = 5"
                                  " WHERE key = 'schema_version'") ||
        !exec(repo, "COMMIT")) {
        MI_Result r = db_error(repo, err, "cannot upgrade the repository");
        exec(repo, "ROLLBACK");
        return mi_error_set(err, r, "%s: upgrading from schema version 4: %s", path, err->message);
    }
    return MI_RESULT_OK;
}

/* ---- opening ---- */

static MI_Result check_or_create(mi_repository *repo, const char *path, bool create, mi_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(repo->db, "SELECT count(*) FROM sqlite_master", -1, &s, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(s);
    int64_t tables = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
    if (tables < 0)
        return mi_error_set(err, MI_RESULT_FAILED, "%s is not a libmi repository (%s)", path,
                            sqlite3_errmsg(repo->db));
    if (tables == 0) {
        if (!create)
            return mi_error_set(err, MI_RESULT_NOT_FOUND, "%s is not a libmi repository (empty)",
                                path);
        if (!exec(repo, "PRAGMA journal_mode = WAL") || !exec(repo, "BEGIN IMMEDIATE"))
            return db_error(repo, err, "cannot start a new repository");
        if (!exec(repo, schema_sql)) {
            MI_Result r = db_error(repo, err, "cannot create the repository tables");
            exec(repo, "ROLLBACK");
            return r;
        }
        if (!exec(repo, "COMMIT"))
            return db_error(repo, err, "cannot create the repository tables");
        return MI_RESULT_OK;
    }
    rc = sqlite3_prepare_v2(repo->db,
                            "SELECT (SELECT value FROM meta WHERE key = 'application'),"
                            " (SELECT value FROM meta WHERE key = 'schema_version')",
                            -1, &s, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(s);
        return mi_error_set(err, MI_RESULT_FAILED,
                            "%s is an SQLite database but not a libmi repository", path);
    }
    rc = sqlite3_step(s);
    const unsigned char *application = rc == SQLITE_ROW ? sqlite3_column_text(s, 0) : NULL;
    int64_t version = rc == SQLITE_ROW ? sqlite3_column_int64(s, 1) : 0;
    bool ours = application && strcmp((const char *)application, "libmi") == 0;
    sqlite3_finalize(s);
    if (!ours)
        return mi_error_set(err, MI_RESULT_FAILED,
                            "%s is an SQLite database but not a libmi repository", path);
    if (version == 4 && !repo->read_only) {
        MI_Result r = upgrade_from_4(repo, path, err);
        if (r != MI_RESULT_OK)
            return r;
        version = MI_REPOSITORY_SCHEMA_VERSION;
    }
    if (version == 4) /* read-only: it cannot be upgraded here */
        return mi_error_set(err, MI_RESULT_FAILED,
                            "%s is a libmi repository of schema version 4; this library reads "
                            "version %d and upgrades a version 4 file when it may write it",
                            path, MI_REPOSITORY_SCHEMA_VERSION);
    if (version != MI_REPOSITORY_SCHEMA_VERSION)
        return mi_error_set(err, MI_RESULT_FAILED,
                            "%s is a libmi repository of schema version %lld; this library "
                            "reads version %d",
                            path, (long long)version, MI_REPOSITORY_SCHEMA_VERSION);
    if (!repo->read_only && !exec(repo, "PRAGMA journal_mode = WAL"))
        return db_error(repo, err, "cannot use write-ahead logging");
    return MI_RESULT_OK;
}

/* An existing file we may not write (or whose folder, where the write-ahead log lives,
 * we may not write) is opened for reading only. */
static bool only_readable(const char *path)
{
    if (!strcmp(path, ":memory:") || access(path, F_OK) != 0)
        return false;
    if (access(path, W_OK) != 0)
        return true;
    const char *slash = strrchr(path, '/');
    if (!slash)
        return access(".", W_OK) != 0;
    char dir[4096];
    size_t len = slash == path ? 1 : (size_t)(slash - path);
    if (len >= sizeof dir)
        return false;
    memcpy(dir, path, len);
    dir[len] = '\0';
    return access(dir, W_OK) != 0;
}

/* A file URI for reading path. Without a write-ahead log beside it, the file holds every
 * commit and nobody may write it, so it is opened as immutable: SQLite then needs no
 * shared-memory file, which a read-only folder could not hold. */
static char *read_only_uri(const char *path)
{
    size_t len = strlen(path);
    char *wal = malloc(len + 5);
    if (!wal)
        return NULL;
    memcpy(wal, path, len);
    memcpy(wal + len, "-wal", 5);
    bool has_wal = access(wal, F_OK) == 0;
    free(wal);
    char *uri = malloc(len * 3 + 32);
    if (!uri)
        return NULL;
    char *at = uri + sprintf(uri, "file:");
    for (const char *p = path; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#')
            at += sprintf(at, "%%%02X", (unsigned)(unsigned char)*p);
        else
            *at++ = *p;
    }
    strcpy(at, has_wal ? "?mode=ro" : "?immutable=1");
    return uri;
}

MI_Result mi_repository_open(mi_repository **out, const char *path, bool create, mi_error *err)
{
    *out = NULL;
    if (!path || !*path)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "no repository path given");
    mi_repository *repo = calloc(1, sizeof *repo);
    if (!repo)
        return mi_error_nomem(err);
    if (mtx_init(&repo->lock, mtx_plain) != thrd_success) {
        free(repo);
        return mi_error_nomem(err);
    }
    if (cnd_init(&repo->no_readers) != thrd_success) {
        mtx_destroy(&repo->lock);
        free(repo);
        return mi_error_nomem(err);
    }
    repo->read_only = only_readable(path);
    if (!(repo->path = strdup(path))) {
        mi_repository_close(repo);
        return mi_error_nomem(err);
    }
    int flags = SQLITE_OPEN_NOMUTEX |
                (repo->read_only ? SQLITE_OPEN_READONLY | SQLITE_OPEN_URI
                                 : SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0));
    char *uri = repo->read_only ? read_only_uri(path) : NULL;
    if (repo->read_only && !uri) {
        mi_repository_close(repo);
        return mi_error_nomem(err);
    }
    int rc = sqlite3_open_v2(uri ? uri : path, &repo->db, flags, NULL);
    free(uri);
    MI_Result r = MI_RESULT_OK;
    if (rc != SQLITE_OK) {
        r = mi_error_set(err, rc == SQLITE_CANTOPEN ? MI_RESULT_NOT_FOUND : MI_RESULT_FAILED,
                         "cannot open repository %s: %s", path,
                         repo->db ? sqlite3_errmsg(repo->db) : sqlite3_errstr(rc));
    } else {
        sqlite3_busy_timeout(repo->db, 5000);
        sqlite3_extended_result_codes(repo->db, 0);
        r = check_or_create(repo, path, create && !repo->read_only, err);
        if (r == MI_RESULT_OK && (!exec(repo, "PRAGMA synchronous = NORMAL") ||
                                  !exec(repo, "PRAGMA foreign_keys = ON") ||
                                  /* reads map the file rather than copy pages; a larger page cache
                                   * keeps the upper levels of the indexes in memory */
                                  !exec(repo, "PRAGMA mmap_size = 1073741824") ||
                                  !exec(repo, "PRAGMA cache_size = -32768")))
            r = db_error(repo, err, "cannot configure the connection");
    }
    if (r != MI_RESULT_OK) {
        mi_repository_close(repo);
        return r;
    }
    *out = repo;
    return MI_RESULT_OK;
}

void mi_repository_default_path(char *out, size_t size)
{
    const char *chosen = getenv("MI_REPOSITORY");
    const char *data_home = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (chosen && *chosen)
        snprintf(out, size, "%s", chosen);
    else if (data_home && *data_home)
        snprintf(out, size, "%s/libmi/repository.db", data_home);
    else
        snprintf(out, size, "%s/.local/share/libmi/repository.db", home && *home ? home : ".");
}

bool mi_repository_read_only(const mi_repository *repo)
{
    return repo->read_only;
}

const char *mi_repository_path(const mi_repository *repo)
{
    return repo->path;
}

void mi_repository_close(mi_repository *repo)
{
    if (!repo)
        return;
    release_snapshot(repo);
    if (repo->shm)
        munmap((void *)repo->shm, 4096);
    cache_free(repo);
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(repo->statements[i]);
    sqlite3_close(repo->db);
    cnd_destroy(&repo->no_readers);
    mtx_destroy(&repo->lock);
    free(repo->path);
    free(repo);
}

/* ---- lookups (called with the lock held) ---- */

static int64_t namespace_id(mi_repository *repo, const char *ns)
{
    if (!ns)
        return 0;
    for (int i = 0; i < repo->namespace_count; i++) {
        if (mi_name_equal(repo->namespace_names[i], ns))
            return repo->namespace_ids[i];
    }
    sqlite3_stmt *s = statement(repo, ST_NAMESPACE_ID);
    if (!s)
        return 0;
    sqlite3_bind_text(s, 1, ns, -1, SQLITE_STATIC);
    int64_t id = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    if (id && repo->namespace_count < 8) {
        char *copy = strdup(ns);
        if (copy) {
            repo->namespace_names[repo->namespace_count] = copy;
            repo->namespace_ids[repo->namespace_count++] = id;
        }
    }
    return id;
}

/* The name of namespace id, from the cache when it is there; NULL when there is none.
 * Valid while the lock is held and until the next call. */
static const char *namespace_name(mi_repository *repo, int64_t id)
{
    for (int i = 0; i < repo->namespace_count; i++) {
        if (repo->namespace_ids[i] == id)
            return repo->namespace_names[i];
    }
    sqlite3_stmt *s = statement(repo, ST_NAMESPACE_NAME);
    if (!s)
        return NULL;
    sqlite3_bind_int64(s, 1, id);
    free(repo->spare_name);
    repo->spare_name = NULL;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        repo->spare_name = strdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_reset(s);
    return repo->spare_name;
}

/* The name of class id; NULL when there is none. Valid while the lock is held. */
static const char *class_name_of(mi_repository *repo, int64_t id)
{
    if (id > 0 && (size_t)id < repo->class_names_size && repo->class_names[id])
        return repo->class_names[id];
    sqlite3_stmt *s = statement(repo, ST_CLASS_NAME);
    if (!s)
        return NULL;
    sqlite3_bind_int64(s, 1, id);
    char *name = NULL;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        name = strdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_reset(s);
    if (!name || id <= 0 || id >= (1 << 20)) { /* past that, ids are looked up each time */
        free(repo->spare_name);
        return repo->spare_name = name;
    }
    if ((size_t)id >= repo->class_names_size) { /* on failure, the name is kept as the spare */
        size_t size = repo->class_names_size ? repo->class_names_size : 256;
        while (size <= (size_t)id)
            size *= 2;
        char **grown = realloc(repo->class_names, size * sizeof *grown);
        if (!grown) {
            free(repo->spare_name);
            return repo->spare_name = name;
        }
        memset(grown + repo->class_names_size, 0, (size - repo->class_names_size) * sizeof *grown);
        repo->class_names = grown;
        repo->class_names_size = size;
    }
    repo->class_names[id] = name;
    return name;
}

static mi_class *load_class(mi_repository *repo, const char *ns, int64_t ns_id, const char *name,
                            int depth)
{
    mi_class *cls = cache_find(repo, ns, name);
    if (cls || depth > 300)
        return cls;
    sqlite3_stmt *s = statement(repo, ST_CLASS_GET);
    if (!s)
        return NULL;
    sqlite3_bind_int64(s, 1, ns_id);
    sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_ROW)
        return NULL;
    size_t len = (size_t)sqlite3_column_bytes(s, 0);
    unsigned char *data = malloc(len ? len : 1);
    const unsigned char *super_text = sqlite3_column_text(s, 1);
    char *super_name = super_text ? strdup((const char *)super_text) : NULL;
    if (!data || (super_text && !super_name)) {
        free(data);
        free(super_name);
        return NULL;
    }
    memcpy(data, sqlite3_column_blob(s, 0), len);
    sqlite3_reset(s); /* the statement is used again below, for the superclass */
    mi_class *super = super_name ? load_class(repo, ns, ns_id, super_name, depth + 1) : NULL;
    if (!super_name || super)
        mi_codec_decode_class(data, len, super, &cls, NULL);
    free(data);
    free(super_name);
    if (cls) {
        bool cached = cache_add(repo, ns, cls);
        mi_class_unref(cls); /* the cache holds it now, or nothing does */
        if (!cached)
            cls = NULL;
    }
    return cls;
}

static mi_class *find_class_locked(mi_repository *repo, const char *ns, const char *name)
{
    mi_class *cls = cache_find(repo, ns, name);
    if (cls)
        return cls;
    int64_t id = namespace_id(repo, ns);
    return id ? load_class(repo, ns, id, name, 0) : NULL;
}

/* The canonical text and hash of a resolved path. */
static MI_Result canonical(const MI_Instance *path, char **text, uint64_t *hash, mi_error *err)
{
    MI_Result r = mi_path_canonical(text, path, err);
    if (r != MI_RESULT_OK)
        return r;
    uint64_t h = 14695981039346656037ull;
    for (const unsigned char *c = (const unsigned char *)*text; *c; c++) {
        h ^= *c;
        h *= 1099511628211ull;
    }
    *hash = h;
    return MI_RESULT_OK;
}

/* A second 64-bit hash of a canonical path, independent of the first (djb2 with a
 * 64-bit multiplier and a final mix): edges match paths by both, so two different paths
 * would have to collide in both to be confused. */
static uint64_t check_hash(const char *text)
{
    uint64_t h = 5381;
    for (const unsigned char *c = (const unsigned char *)text; *c; c++)
        h = h * 0x9E3779B97F4A7C15ull + *c;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    return h ^ (h >> 32);
}

/* The stored instance id of a path, 0 if none; data (when asked) gets its record. */
static int64_t find_instance(mi_repository *repo, int64_t ns_id, const MI_Instance *path,
                             mi_bytes *data, mi_error *err)
{
    char *text;
    uint64_t hash;
    if (canonical(path, &text, &hash, err) != MI_RESULT_OK)
        return -1;
    sqlite3_stmt *s = statement(repo, ST_INSTANCE_FIND);
    int64_t id = 0;
    if (s) {
        sqlite3_bind_int64(s, 1, ns_id);
        sqlite3_bind_int64(s, 2, (int64_t)hash);
        sqlite3_bind_text(s, 3, text, -1, SQLITE_STATIC);
        if (sqlite3_step(s) == SQLITE_ROW) {
            id = sqlite3_column_int64(s, 0);
            if (data) {
                data->len = 0;
                const void *blob = sqlite3_column_blob(s, 1);
                size_t len = (size_t)sqlite3_column_bytes(s, 1);
                unsigned char *copy = malloc(len ? len : 1);
                if (copy) {
                    memcpy(copy, blob, len);
                    data->data = copy;
                    data->len = data->cap = len;
                } else {
                    data->failed = true;
                }
            }
        }
        sqlite3_reset(s);
    }
    free(text);
    return id;
}

/* ---- writing ---- */

static MI_Result ensure_namespace(mi_repository *repo, const char *ns, int64_t *id, mi_error *err)
{
    if ((*id = namespace_id(repo, ns)) != 0)
        return MI_RESULT_OK;
    sqlite3_stmt *s = statement(repo, ST_NAMESPACE_ADD);
    if (!s)
        return db_error(repo, err, "namespace");
    sqlite3_bind_text(s, 1, ns, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE)
        return db_error(repo, err, "cannot create namespace");
    *id = sqlite3_last_insert_rowid(repo->db);
    return MI_RESULT_OK;
}

static int64_t class_id(mi_repository *repo, int64_t ns_id, const char *name)
{
    sqlite3_stmt *s = statement(repo, ST_CLASS_ID);
    if (!s)
        return 0;
    sqlite3_bind_int64(s, 1, ns_id);
    sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
    int64_t id = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return id;
}

static MI_Result put_qualifier(mi_repository *repo, int64_t ns_id, const mi_qualifier_decl *decl,
                               mi_error *err)
{
    mi_bytes bytes = {0};
    MI_Result r = mi_codec_encode_qualifier_decl(&bytes, decl);
    sqlite3_stmt *s = r == MI_RESULT_OK ? statement(repo, ST_QUALIFIER_PUT) : NULL;
    if (r != MI_RESULT_OK) {
        r = mi_error_nomem(err);
    } else if (!s) {
        r = db_error(repo, err, "qualifier type");
    } else {
        sqlite3_bind_int64(s, 1, ns_id);
        sqlite3_bind_text(s, 2, decl->name, -1, SQLITE_STATIC);
        sqlite3_bind_blob(s, 3, bytes.data, (int)bytes.len, SQLITE_STATIC);
        if (sqlite3_step(s) != SQLITE_DONE)
            r = db_error(repo, err, "cannot store a qualifier type");
        sqlite3_reset(s);
    }
    mi_bytes_free(&bytes);
    return r;
}

static bool run_with_id(mi_repository *repo, enum statement which, int64_t id)
{
    sqlite3_stmt *s = statement(repo, which);
    if (!s)
        return false;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE || rc == SQLITE_ROW;
}

static bool exists_with_id(mi_repository *repo, enum statement which, int64_t id)
{
    sqlite3_stmt *s = statement(repo, which);
    if (!s)
        return false;
    sqlite3_bind_int64(s, 1, id);
    bool found = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_reset(s);
    return found;
}

/* ---- updating in place ---- */

typedef struct changed_class {
    char *ns;
    int64_t ns_id;
    int64_t id;
} changed_class;

/* One apply's view of what it found stored: whether it may replace it, what it left and
 * replaced, and the classes it changed (their subclasses and instances are checked
 * against them before the commit). */
typedef struct apply_state {
    bool replace;
    uint32_t unchanged, updated;
    changed_class *changed;
    size_t changed_count, changed_capacity;
} apply_state;

static void apply_state_free(apply_state *st)
{
    for (size_t i = 0; i < st->changed_count; i++)
        free(st->changed[i].ns);
    free(st->changed);
}

static bool remember_change(apply_state *st, const char *ns, int64_t ns_id, int64_t id)
{
    if (st->changed_count == st->changed_capacity) {
        size_t capacity = st->changed_capacity ? st->changed_capacity * 2 : 8;
        changed_class *grown = realloc(st->changed, capacity * sizeof *grown);
        if (!grown)
            return false;
        st->changed = grown;
        st->changed_capacity = capacity;
    }
    char *copy = strdup(ns);
    if (!copy)
        return false;
    st->changed[st->changed_count++] = (changed_class){copy, ns_id, id};
    return true;
}

/* Whether class `ancestor` is `id` or one of its superclasses. */
static bool derives_from(mi_repository *repo, int64_t id, int64_t ancestor)
{
    for (int depth = 0; id && depth < 512; depth++) {
        if (id == ancestor)
            return true;
        sqlite3_stmt *s = statement(repo, ST_CLASS_SUPERCLASS);
        if (!s)
            return false;
        sqlite3_bind_int64(s, 1, id);
        id = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
        sqlite3_reset(s);
    }
    return false;
}

/* A provider module serving class id or one of its subclasses in ns, as "module serves
 * class" in why; false when none does (or none is registered at all). */
static bool served_below(mi_repository *repo, int64_t ns_id, const char *ns, int64_t id, char *why,
                         size_t size)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(repo->db, "SELECT class, module FROM provider WHERE ns = ?1", -1, &s,
                           NULL) != SQLITE_OK) {
        sqlite3_finalize(s);
        return false; /* no provider table: nothing registered */
    }
    sqlite3_bind_text(s, 1, ns, -1, SQLITE_STATIC);
    bool found = false;
    while (!found && sqlite3_step(s) == SQLITE_ROW) {
        const char *served = (const char *)sqlite3_column_text(s, 0);
        int64_t served_id = served ? class_id(repo, ns_id, served) : 0;
        if (served_id && derives_from(repo, served_id, id)) {
            snprintf(why, size, "provider module %s serves %s",
                     (const char *)sqlite3_column_text(s, 1), served);
            found = true;
        }
    }
    sqlite3_finalize(s);
    return found;
}

/* A class under a provider's classes changes only by adding to it: the module was
 * registered against its superclasses and properties, and posts instances with them. A
 * new superclass is an addition when it derives from the old one. */
static MI_Result check_provider_class(mi_repository *repo, const char *ns, int64_t ns_id,
                                      int64_t id, int64_t old_super_id, int64_t new_super_id,
                                      const mi_class *cls, mi_error *err)
{
    char why[4400]; /* a module path and a class name */
    if (!served_below(repo, ns_id, ns, id, why, sizeof why))
        return MI_RESULT_OK;
    mi_class *stored = load_class(repo, ns, ns_id, cls->name, 0);
    if (!stored)
        return db_error(repo, err, "class");
    if (old_super_id != new_super_id &&
        !(old_super_id && new_super_id && derives_from(repo, new_super_id, old_super_id)))
        return mi_error_set(err, MI_RESULT_CLASS_HAS_CHILDREN,
                            "class %s cannot be updated in namespace %s: %s, which needs its "
                            "superclass %s; unregister the module first",
                            cls->name, ns, why,
                            stored->superclass ? stored->superclass->name : "(none)");
    for (uint32_t i = 0; i < stored->property_count; i++) {
        const mi_property *p = &stored->properties[i];
        const mi_property *q = mi_class_find_property(cls, p->name, NULL);
        if (!q || q->type != p->type || ((q->flags ^ p->flags) & MI_FLAG_KEY))
            return mi_error_set(err, MI_RESULT_CLASS_HAS_CHILDREN,
                                "class %s cannot be updated in namespace %s: %s, which needs "
                                "its %s%s %s; unregister the module first",
                                cls->name, ns, why, (p->flags & MI_FLAG_KEY) ? "key " : "",
                                mi_type_name(p->type), p->name);
    }
    return MI_RESULT_OK;
}

/* A class the store already has: refused, left as it is when stored exactly so, or
 * replaced. *handled tells that there was one. */
static MI_Result update_class(mi_repository *repo, const char *ns, int64_t ns_id,
                              const mi_class *cls, int64_t super_id, const mi_bytes *bytes,
                              apply_state *st, bool *handled, mi_error *err)
{
    *handled = false;
    sqlite3_stmt *s = statement(repo, ST_CLASS_ROW);
    if (!s)
        return db_error(repo, err, "class");
    sqlite3_bind_int64(s, 1, ns_id);
    sqlite3_bind_text(s, 2, cls->name, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_reset(s);
        return MI_RESULT_OK;
    }
    int64_t id = sqlite3_column_int64(s, 0);
    int64_t old_super_id = sqlite3_column_int64(s, 1);
    bool same = old_super_id == super_id && (size_t)sqlite3_column_bytes(s, 2) == bytes->len &&
                (bytes->len == 0 || !memcmp(sqlite3_column_blob(s, 2), bytes->data, bytes->len));
    sqlite3_reset(s);
    *handled = true;
    if (!st->replace)
        return mi_error_set(err, MI_RESULT_ALREADY_EXISTS,
                            "class %s already exists in namespace %s", cls->name, ns);
    if (same) {
        st->unchanged++;
        return MI_RESULT_OK;
    }
    if (super_id && derives_from(repo, super_id, id))
        return mi_error_set(err, MI_RESULT_INVALID_SUPERCLASS,
                            "class %s cannot be updated in namespace %s: its new superclass %s "
                            "is one of its subclasses",
                            cls->name, ns, cls->superclass->name);
    MI_Result r = check_provider_class(repo, ns, ns_id, id, old_super_id, super_id, cls, err);
    if (r != MI_RESULT_OK)
        return r;
    if (!(s = statement(repo, ST_CLASS_UPDATE)))
        return db_error(repo, err, "class");
    sqlite3_bind_int64(s, 1, id);
    if (super_id)
        sqlite3_bind_int64(s, 2, super_id);
    sqlite3_bind_int64(s, 3, cls->flags);
    sqlite3_bind_blob(s, 4, bytes->data, (int)bytes->len, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return db_error(repo, err, "cannot update a class");
    if (!remember_change(st, ns, ns_id, id))
        return mi_error_nomem(err);
    st->updated++;
    return MI_RESULT_OK;
}

static MI_Result put_class(mi_repository *repo, const char *ns, int64_t ns_id, const mi_class *cls,
                           apply_state *st, mi_error *err)
{
    int64_t super_id = 0;
    if (cls->superclass && !(super_id = class_id(repo, ns_id, cls->superclass->name)))
        return mi_error_set(err, MI_RESULT_INVALID_SUPERCLASS,
                            "class %s: superclass %s is not in namespace %s", cls->name,
                            cls->superclass->name, ns);
    mi_bytes bytes = {0};
    if (mi_codec_encode_class(&bytes, cls) != MI_RESULT_OK) {
        mi_bytes_free(&bytes);
        return mi_error_nomem(err);
    }
    bool handled;
    MI_Result r = update_class(repo, ns, ns_id, cls, super_id, &bytes, st, &handled, err);
    if (r != MI_RESULT_OK || handled) {
        mi_bytes_free(&bytes);
        return r;
    }
    sqlite3_stmt *s = statement(repo, ST_CLASS_ADD);
    if (!s) {
        r = db_error(repo, err, "class");
    } else {
        sqlite3_bind_int64(s, 1, ns_id);
        sqlite3_bind_text(s, 2, cls->name, -1, SQLITE_STATIC);
        if (super_id)
            sqlite3_bind_int64(s, 3, super_id);
        sqlite3_bind_int64(s, 4, cls->flags);
        sqlite3_bind_blob(s, 5, bytes.data, (int)bytes.len, SQLITE_STATIC);
        if (sqlite3_step(s) != SQLITE_DONE)
            r = db_error(repo, err, "cannot store a class");
        sqlite3_reset(s);
    }
    mi_bytes_free(&bytes);
    return r;
}

/* One row of the reference index for each reference the element holds. */
static MI_Result index_references(mi_repository *repo, int64_t ns_id, int64_t instance_id,
                                  const char *property, MI_Type type, const MI_Value *value,
                                  mi_error *err)
{
    MI_Instance *const *targets = &value->reference;
    MI_Uint32 count = 1;
    if (type == MI_REFERENCEA) {
        targets = value->referencea.data;
        count = value->referencea.size;
    }
    for (MI_Uint32 i = 0; i < count; i++) {
        if (!targets[i])
            continue;
        int64_t target_ns = ns_id;
        const char *named = mi_instance_namespace(targets[i]);
        if (named && !(target_ns = namespace_id(repo, named)))
            continue; /* a namespace this repository does not have: nothing to index */
        char *text;
        uint64_t hash;
        MI_Result r = canonical(targets[i], &text, &hash, err);
        if (r != MI_RESULT_OK)
            return r;
        free(text);
        sqlite3_stmt *s = statement(repo, ST_REFERENCE_ADD);
        if (!s)
            return db_error(repo, err, "reference index");
        sqlite3_bind_int64(s, 1, target_ns);
        sqlite3_bind_int64(s, 2, (int64_t)hash);
        sqlite3_bind_int64(s, 3, instance_id);
        sqlite3_bind_text(s, 4, property, -1, SQLITE_STATIC);
        int rc = sqlite3_step(s);
        sqlite3_reset(s);
        if (rc != SQLITE_DONE)
            return db_error(repo, err, "cannot index a reference");
    }
    return MI_RESULT_OK;
}

/* ---- edges ---- */

typedef struct endpoint {
    const char *role;
    int64_t ns_id;
    uint64_t hash;
    uint64_t check;
    char *canonical;
    int64_t target; /* stored instance id, 0 when dangling */
} endpoint;

static void free_endpoints(endpoint *ends, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(ends[i].canonical);
    }
    free(ends);
}

/* The ends of an association: one per reference it holds. */
static MI_Result collect_endpoints(mi_repository *repo, int64_t ns_id, const MI_Instance *inst,
                                   endpoint **out, size_t *count, mi_error *err)
{
    *out = NULL;
    *count = 0;
    size_t capacity = 0;
    MI_Uint32 elements = 0;
    MI_Instance_GetElementCount(inst, &elements);
    for (MI_Uint32 i = 0; i < elements; i++) {
        const MI_Char *name;
        MI_Value value;
        MI_Type type;
        MI_Uint32 flags;
        MI_Instance_GetElementAt(inst, i, &name, &value, &type, &flags);
        if ((type != MI_REFERENCE && type != MI_REFERENCEA) || (flags & MI_FLAG_NULL))
            continue;
        MI_Instance *const *targets = &value.reference;
        MI_Uint32 n = 1;
        if (type == MI_REFERENCEA) {
            targets = value.referencea.data;
            n = value.referencea.size;
        }
        for (MI_Uint32 j = 0; j < n; j++) {
            if (!targets[j])
                continue;
            int64_t target_ns = ns_id;
            const char *named = mi_instance_namespace(targets[j]);
            if (named && !(target_ns = namespace_id(repo, named)))
                continue;
            if (*count == capacity) {
                capacity = capacity ? capacity * 2 : 4;
                endpoint *grown = realloc(*out, capacity * sizeof *grown);
                if (!grown)
                    return mi_error_nomem(err);
                *out = grown;
            }
            endpoint *e = &(*out)[*count];
            memset(e, 0, sizeof *e);
            e->role = name;
            e->ns_id = target_ns;
            MI_Result r = canonical(targets[j], &e->canonical, &e->hash, err);
            if (r == MI_RESULT_OK)
                e->check = check_hash(e->canonical);
            (*count)++;
            if (r != MI_RESULT_OK)
                return r;
            e->target = find_instance(repo, target_ns, targets[j], NULL, NULL);
            if (e->target < 0)
                e->target = 0;
        }
    }
    return MI_RESULT_OK;
}

/* A row for every ordered pair of ends held by different reference properties. */
static MI_Result index_edges(mi_repository *repo, int64_t ns_id, int64_t assoc, int64_t class_id,
                             const MI_Instance *inst, mi_error *err)
{
    endpoint *ends;
    size_t count;
    MI_Result r = collect_endpoints(repo, ns_id, inst, &ends, &count, err);
    for (size_t i = 0; r == MI_RESULT_OK && i < count; i++) {
        for (size_t j = 0; r == MI_RESULT_OK && j < count; j++) {
            if (mi_name_equal(ends[i].role, ends[j].role))
                continue;
            sqlite3_stmt *s = statement(repo, ST_EDGE_ADD);
            if (!s) {
                r = db_error(repo, err, "edge index");
                break;
            }
            sqlite3_bind_int64(s, 1, ends[i].ns_id);
            sqlite3_bind_int64(s, 2, (int64_t)ends[i].hash);
            sqlite3_bind_int64(s, 3, (int64_t)ends[i].check);
            sqlite3_bind_int64(s, 4, assoc);
            sqlite3_bind_text(s, 5, ends[i].role, -1, SQLITE_STATIC);
            sqlite3_bind_text(s, 6, ends[j].role, -1, SQLITE_STATIC);
            sqlite3_bind_int64(s, 7, class_id);
            sqlite3_bind_int64(s, 8, ends[j].ns_id);
            sqlite3_bind_int64(s, 9, (int64_t)ends[j].hash);
            sqlite3_bind_int64(s, 10, (int64_t)ends[j].check);
            if (ends[j].target)
                sqlite3_bind_int64(s, 11, ends[j].target);
            int rc = sqlite3_step(s);
            sqlite3_reset(s);
            if (rc != SQLITE_DONE)
                r = db_error(repo, err, "cannot index an association");
        }
    }
    free_endpoints(ends, count);
    return r;
}

/* Edges that name a new instance now lead to it. */
static MI_Result target_edges(mi_repository *repo, int64_t ns_id, int64_t id, uint64_t hash,
                              const char *text, mi_error *err)
{
    sqlite3_stmt *s = statement(repo, ST_EDGES_TARGET);
    if (!s)
        return db_error(repo, err, "edge index");
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, ns_id);
    sqlite3_bind_int64(s, 3, (int64_t)hash);
    sqlite3_bind_int64(s, 4, (int64_t)check_hash(text));
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? MI_RESULT_OK : db_error(repo, err, "cannot index an instance");
}

/* Stores bytes (the encoding of inst) as instance id's record, with the copies the
 * edges leading to it hold, and indexes its references and edges anew. Inside a write. */
static MI_Result rewrite_instance(mi_repository *repo, const char *ns, int64_t ns_id, int64_t id,
                                  const MI_Instance *inst, const mi_bytes *bytes, mi_error *err)
{
    static const enum statement writes[] = {ST_INSTANCE_UPDATE, ST_EDGES_REFRESH};
    for (size_t w = 0; w < sizeof writes / sizeof writes[0]; w++) {
        sqlite3_stmt *s = statement(repo, writes[w]);
        int rc = SQLITE_ERROR;
        if (s) {
            sqlite3_bind_int64(s, 1, id);
            sqlite3_bind_blob(s, 2, bytes->data, (int)bytes->len, SQLITE_STATIC);
            rc = sqlite3_step(s);
            sqlite3_reset(s);
        }
        if (rc != SQLITE_DONE)
            return db_error(repo, err, "cannot change an instance");
    }
    if (!run_with_id(repo, ST_REFERENCES_DELETE, id) || !run_with_id(repo, ST_EDGES_DELETE, id))
        return db_error(repo, err, "cannot change an instance");
    MI_Result r = MI_RESULT_OK;
    MI_Uint32 count = 0;
    MI_Instance_GetElementCount(inst, &count);
    for (MI_Uint32 i = 0; r == MI_RESULT_OK && i < count; i++) {
        const MI_Char *name;
        MI_Value value;
        MI_Type type;
        MI_Uint32 flags;
        MI_Instance_GetElementAt(inst, i, &name, &value, &type, &flags);
        if ((type == MI_REFERENCE || type == MI_REFERENCEA) && !(flags & MI_FLAG_NULL))
            r = index_references(repo, ns_id, id, name, type, &value, err);
    }
    if (r != MI_RESULT_OK)
        return r;
    mi_class *cls = find_class_locked(repo, ns, mi_instance_class_name(inst));
    int64_t cls_id = cls ? class_id(repo, ns_id, cls->name) : 0;
    return cls_id ? index_edges(repo, ns_id, id, cls_id, inst, err)
                  : mi_error_set(err, MI_RESULT_INVALID_CLASS, "class %s is missing",
                                 mi_instance_class_name(inst));
}

static MI_Result put_instance(mi_repository *repo, const char *ns, int64_t ns_id,
                              const MI_Instance *inst, apply_state *st, mi_error *err)
{
    const char *class_name = mi_instance_class_name(inst);
    int64_t cls = class_id(repo, ns_id, class_name);
    if (!cls)
        return mi_error_set(err, MI_RESULT_INVALID_CLASS, "class %s is not in namespace %s",
                            class_name, ns);
    MI_Instance *path = NULL;
    char *text = NULL;
    uint64_t hash = 0;
    mi_bytes bytes = {0};
    MI_Result r = mi_path_of_instance(&path, inst, err);
    if (r == MI_RESULT_OK)
        r = canonical(path, &text, &hash, err);
    if (r == MI_RESULT_OK && mi_codec_encode_instance(&bytes, inst) != MI_RESULT_OK)
        r = mi_error_nomem(err);
    mi_bytes stored = {0};
    int64_t existing = r == MI_RESULT_OK ? find_instance(repo, ns_id, path, &stored, NULL) : 0;
    if (existing > 0) {
        if (!st->replace) {
            char *spelled = NULL; /* as the caller wrote it, not the canonical form */
            mi_path_format(&spelled, path, NULL);
            r = mi_error_set(err, MI_RESULT_ALREADY_EXISTS,
                             "instance %s already exists in namespace %s", spelled ? spelled : text,
                             ns);
            free(spelled);
        } else if (stored.failed) {
            r = mi_error_nomem(err);
        } else if (stored.len == bytes.len && !memcmp(stored.data, bytes.data, bytes.len)) {
            st->unchanged++;
        } else if ((r = rewrite_instance(repo, ns, ns_id, existing, inst, &bytes, err)) ==
                   MI_RESULT_OK) {
            st->updated++;
        }
        mi_bytes_free(&stored);
        mi_bytes_free(&bytes);
        free(text);
        mi_instance_delete(path);
        return r;
    }
    sqlite3_stmt *s = r == MI_RESULT_OK ? statement(repo, ST_INSTANCE_ADD) : NULL;
    if (r == MI_RESULT_OK && !s)
        r = db_error(repo, err, "instance");
    if (r == MI_RESULT_OK) {
        sqlite3_bind_int64(s, 1, ns_id);
        sqlite3_bind_int64(s, 2, cls);
        sqlite3_bind_int64(s, 3, (int64_t)hash);
        sqlite3_bind_text(s, 4, text, -1, SQLITE_STATIC);
        sqlite3_bind_blob(s, 5, bytes.data, (int)bytes.len, SQLITE_STATIC);
        if (sqlite3_step(s) != SQLITE_DONE)
            r = db_error(repo, err, "cannot store an instance");
        sqlite3_reset(s);
    }
    int64_t id = sqlite3_last_insert_rowid(repo->db);
    MI_Uint32 count = 0;
    MI_Instance_GetElementCount(inst, &count);
    for (MI_Uint32 i = 0; r == MI_RESULT_OK && i < count; i++) {
        const MI_Char *name;
        MI_Value value;
        MI_Type type;
        MI_Uint32 flags;
        MI_Instance_GetElementAt(inst, i, &name, &value, &type, &flags);
        if ((type == MI_REFERENCE || type == MI_REFERENCEA) && !(flags & MI_FLAG_NULL))
            r = index_references(repo, ns_id, id, name, type, &value, err);
    }
    if (r == MI_RESULT_OK)
        r = index_edges(repo, ns_id, id, cls, inst, err);
    if (r == MI_RESULT_OK)
        r = target_edges(repo, ns_id, id, hash, text, err);
    mi_bytes_free(&bytes);
    free(text);
    if (path)
        mi_instance_delete(path);
    return r;
}

/* ---- checking what an update changed ---- */

typedef struct stored_row {
    int64_t id;
    char *path;
    unsigned char *data;
    size_t len;
} stored_row;

static void free_stored_rows(stored_row *rows, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(rows[i].path);
        free(rows[i].data);
    }
    free(rows);
}

/* The instances of class id (read whole first: they may be rewritten). */
static MI_Result stored_rows(mi_repository *repo, int64_t id, stored_row **out, size_t *count,
                             mi_error *err)
{
    *out = NULL;
    *count = 0;
    size_t capacity = 0;
    sqlite3_stmt *s = statement(repo, ST_CLASS_INSTANCE_ROWS);
    if (!s)
        return db_error(repo, err, "instance");
    sqlite3_bind_int64(s, 1, id);
    MI_Result r = MI_RESULT_OK;
    int rc;
    while (r == MI_RESULT_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (*count == capacity) {
            capacity = capacity ? capacity * 2 : 16;
            stored_row *grown = realloc(*out, capacity * sizeof *grown);
            if (!grown) {
                r = mi_error_nomem(err);
                break;
            }
            *out = grown;
        }
        stored_row *row = &(*out)[*count];
        row->id = sqlite3_column_int64(s, 0);
        row->path = strdup((const char *)sqlite3_column_text(s, 1));
        row->len = (size_t)sqlite3_column_bytes(s, 2);
        row->data = malloc(row->len ? row->len : 1);
        (*count)++;
        if (!row->path || !row->data)
            r = mi_error_nomem(err);
        else
            memcpy(row->data, sqlite3_column_blob(s, 2), row->len);
    }
    sqlite3_reset(s);
    return r;
}

/* The stored instance `row` on its updated class cls: each value moved to the property
 * of that name and type, the ones without a value dropped, the keys unchanged; the
 * record rewritten when that changes it. Anything else refuses the update of class
 * `changed` (CLASS_HAS_INSTANCES), naming the instance and the property. */
static MI_Result refit_instance(mi_repository *repo, const char *ns, int64_t ns_id,
                                const char *changed, mi_class *cls, const stored_row *row,
                                mi_error *err)
{
    MI_Instance *old = NULL, *fit = NULL, *old_path = NULL, *path = NULL;
    char *spelled = NULL, *text = NULL;
    char why[400] = "";
    mi_bytes bytes = {0};
    MI_Result r = mi_codec_decode_instance(row->data, row->len, NULL, &old, err);
    if (r == MI_RESULT_OK)
        r = mi_instance_new(&fit, cls->name, cls, err);
    if (r == MI_RESULT_OK)
        r = MI_Instance_SetNameSpace(fit, ns);
    if (r == MI_RESULT_OK)
        r = mi_path_of_instance(&old_path, old, err);
    if (r == MI_RESULT_OK)
        r = mi_path_format(&spelled, old_path, err);
    MI_Uint32 count = 0;
    if (r == MI_RESULT_OK)
        MI_Instance_GetElementCount(old, &count);
    for (MI_Uint32 i = 0; r == MI_RESULT_OK && !why[0] && i < count; i++) {
        const MI_Char *name;
        MI_Value value;
        MI_Type type;
        MI_Uint32 flags;
        MI_Instance_GetElementAt(old, i, &name, &value, &type, &flags);
        uint32_t at;
        const mi_property *p = mi_class_find_property(cls, name, &at);
        bool is_null = (flags & MI_FLAG_NULL) != 0;
        if (p && p->type == type)
            r = mi_instance_set_element_at(fit, at, is_null ? NULL : &value, type,
                                           is_null ? MI_FLAG_NULL : 0, err);
        else if (is_null)
            continue;
        else if (!p)
            snprintf(why, sizeof why, "it has a value for %s, which %s no longer declares", name,
                     cls->name);
        else
            snprintf(why, sizeof why, "its %s is %s, which %s now declares %s", name,
                     mi_type_name(type), cls->name, mi_type_name(p->type));
    }
    if (r == MI_RESULT_OK && !why[0]) {
        mi_error ignored = {0};
        if (mi_path_of_instance(&path, fit, &ignored) != MI_RESULT_OK ||
            mi_path_canonical(&text, path, &ignored) != MI_RESULT_OK || strcmp(text, row->path))
            snprintf(why, sizeof why, "the keys of %s change", cls->name);
    }
    if (r == MI_RESULT_OK && why[0])
        r = mi_error_set(err, MI_RESULT_CLASS_HAS_INSTANCES,
                         "class %s cannot be updated in namespace %s: instance %s is stored and "
                         "%s (delete the instances first, or keep the class compatible)",
                         changed, ns, spelled, why);
    if (r == MI_RESULT_OK && mi_codec_encode_instance(&bytes, fit) != MI_RESULT_OK)
        r = mi_error_nomem(err);
    if (r == MI_RESULT_OK && (bytes.len != row->len || memcmp(bytes.data, row->data, row->len)))
        r = rewrite_instance(repo, ns, ns_id, row->id, fit, &bytes, err);
    if (r == MI_RESULT_FAILED && !why[0] && !old)
        r = mi_error_set(err, MI_RESULT_FAILED, "a stored instance of %s is damaged", cls->name);
    mi_bytes_free(&bytes);
    free(spelled);
    free(text);
    if (old)
        mi_instance_delete(old);
    if (old_path)
        mi_instance_delete(old_path);
    if (fit)
        mi_instance_delete(fit);
    if (path)
        mi_instance_delete(path);
    return r;
}

typedef struct id_set {
    int64_t *ids;
    size_t count, capacity;
} id_set;

/* Adds id; false when it was there already (or memory ran out: *nomem). */
static bool id_set_add(id_set *set, int64_t id, bool *nomem)
{
    for (size_t i = 0; i < set->count; i++) {
        if (set->ids[i] == id)
            return false;
    }
    if (set->count == set->capacity) {
        size_t capacity = set->capacity ? set->capacity * 2 : 32;
        int64_t *grown = realloc(set->ids, capacity * sizeof *grown);
        if (!grown) {
            *nomem = true;
            return false;
        }
        set->ids = grown;
        set->capacity = capacity;
    }
    set->ids[set->count++] = id;
    return true;
}

/* Whether what cls declares itself still fits its superclass as now stored: what it
 * overrides is still there, with the same type. If not, why. */
static bool fits_superclass(const mi_class *cls, char *why, size_t size)
{
    const mi_class *super = cls->superclass;
    for (uint32_t i = 0; super && i < cls->property_count; i++) {
        const mi_property *p = &cls->properties[i];
        if (!p->local)
            continue;
        const mi_property *q = mi_class_find_property(super, p->name, NULL);
        if (!q && mi_qualifier_list_find(&p->qualifiers, "Override")) {
            snprintf(why, size, "it overrides %s, which %s no longer has", p->name, super->name);
            return false;
        }
        if (q && q->type != p->type) {
            snprintf(why, size, "its %s is %s, which %s now declares %s", p->name,
                     mi_type_name(p->type), super->name, mi_type_name(q->type));
            return false;
        }
    }
    return true;
}

/* Class id (changed itself, or a subclass of the changed class `changed`) rebuilt from
 * what is now stored, its instances refitted, then its subclasses the same way. */
static MI_Result check_changed_tree(mi_repository *repo, const char *ns, int64_t ns_id,
                                    const char *changed, int64_t id, id_set *seen, int depth,
                                    mi_error *err)
{
    bool nomem = false;
    if (!id_set_add(seen, id, &nomem))
        return nomem ? mi_error_nomem(err) : MI_RESULT_OK;
    if (depth > 300)
        return mi_error_set(err, MI_RESULT_FAILED, "classes derive more than 300 deep");
    const char *stored_name = class_name_of(repo, id);
    char *name = stored_name ? strdup(stored_name) : NULL;
    if (!name)
        return mi_error_nomem(err);
    mi_class *cls = load_class(repo, ns, ns_id, name, 0);
    MI_Result r = MI_RESULT_OK;
    char why[300] = "it cannot be read";
    if (!cls || !fits_superclass(cls, why, sizeof why))
        r = mi_error_set(err, MI_RESULT_CLASS_HAS_CHILDREN,
                         "class %s cannot be updated in namespace %s: its subclass %s no longer "
                         "fits it: %s (compile the subclass again with it)",
                         changed, ns, name, why);
    stored_row *rows = NULL;
    size_t count = 0;
    if (r == MI_RESULT_OK)
        r = stored_rows(repo, id, &rows, &count, err);
    for (size_t i = 0; r == MI_RESULT_OK && i < count; i++)
        r = refit_instance(repo, ns, ns_id, changed, cls, &rows[i], err);
    free_stored_rows(rows, count);
    free(name);
    int64_t *children = NULL;
    size_t child_count = 0, child_capacity = 0;
    sqlite3_stmt *s = r == MI_RESULT_OK ? statement(repo, ST_CLASS_SUBCLASSES) : NULL;
    if (r == MI_RESULT_OK && !s)
        r = db_error(repo, err, "class");
    if (s) {
        sqlite3_bind_int64(s, 1, id);
        while (r == MI_RESULT_OK && sqlite3_step(s) == SQLITE_ROW) {
            if (child_count == child_capacity) {
                child_capacity = child_capacity ? child_capacity * 2 : 16;
                int64_t *grown = realloc(children, child_capacity * sizeof *grown);
                if (!grown) {
                    r = mi_error_nomem(err);
                    break;
                }
                children = grown;
            }
            children[child_count++] = sqlite3_column_int64(s, 0);
        }
        sqlite3_reset(s);
    }
    for (size_t i = 0; r == MI_RESULT_OK && i < child_count; i++)
        r = check_changed_tree(repo, ns, ns_id, changed, children[i], seen, depth + 1, err);
    free(children);
    return r;
}

/* Before an apply that changed classes commits: every subclass still builds on them and
 * every instance of them still fits. */
static MI_Result check_changes(mi_repository *repo, const apply_state *st, mi_error *err)
{
    if (st->changed_count == 0)
        return MI_RESULT_OK;
    cache_clear(repo); /* the classes as they are now stored */
    id_set seen = {0};
    MI_Result r = MI_RESULT_OK;
    for (size_t i = 0; r == MI_RESULT_OK && i < st->changed_count; i++) {
        const changed_class *c = &st->changed[i];
        const char *stored_name = class_name_of(repo, c->id);
        char *name = stored_name ? strdup(stored_name) : NULL;
        r = name ? check_changed_tree(repo, c->ns, c->ns_id, name, c->id, &seen, 0, err)
                 : mi_error_nomem(err);
        free(name);
    }
    free(seen.ids);
    return r;
}

static MI_Result refuse_read_only(const mi_repository *repo, mi_error *err)
{
    return mi_error_set(err, MI_RESULT_ACCESS_DENIED,
                        "the repository %s is read-only: nothing was changed", repo->path);
}

static MI_Result apply_locked(mi_repository *repo, mi_schema_batch *batch, mi_error *err)
{
    if (repo->read_only)
        return refuse_read_only(repo, err);
    release_snapshot(repo);
    if (!exec(repo, "BEGIN IMMEDIATE"))
        return db_error(repo, err, "cannot start a transaction");
    MI_Result r = MI_RESULT_OK;
    apply_state st = {.replace = batch->replace};
    for (uint32_t i = 0; r == MI_RESULT_OK && i < batch->count; i++) {
        const mi_batch_item *item = &batch->items[i];
        int64_t ns_id;
        r = ensure_namespace(repo, item->namespace_name, &ns_id, err);
        if (r != MI_RESULT_OK)
            break;
        switch (item->kind) {
        case MI_BATCH_QUALIFIER:
            r = put_qualifier(repo, ns_id, item->u.qualifier, err);
            break;
        case MI_BATCH_CLASS:
            r = put_class(repo, item->namespace_name, ns_id, item->u.cls, &st, err);
            break;
        case MI_BATCH_INSTANCE:
            r = put_instance(repo, item->namespace_name, ns_id, item->u.instance, &st, err);
            break;
        }
    }
    if (r == MI_RESULT_OK)
        r = check_changes(repo, &st, err);
    apply_state_free(&st);
    batch->unchanged = r == MI_RESULT_OK ? st.unchanged : 0;
    batch->updated = r == MI_RESULT_OK ? st.updated : 0;
    if (r == MI_RESULT_OK && batch->dry_run) { /* checked: keep nothing */
        exec(repo, "ROLLBACK");
        cache_clear(repo);
        return MI_RESULT_OK;
    }
    if (r == MI_RESULT_OK && !exec(repo, "COMMIT"))
        r = db_error(repo, err, "cannot commit");
    if (r != MI_RESULT_OK) {
        exec(repo, "ROLLBACK");
        cache_clear(repo);
        return r;
    }
    /* Committed: the new classes join the cache as they are. */
    for (uint32_t i = 0; i < batch->count; i++) {
        mi_batch_item *item = &batch->items[i];
        if (item->kind == MI_BATCH_CLASS &&
            !cache_find(repo, item->namespace_name, item->u.cls->name))
            cache_add(repo, item->namespace_name, item->u.cls);
    }
    check_data_version(repo);
    return MI_RESULT_OK;
}

MI_Result mi_repository_apply(mi_repository *repo, mi_schema_batch *batch, mi_error *err)
{
    mtx_lock(&repo->lock);
    while (repo->read_depth > 0) /* a read scope is short: it ends within one engine call */
        cnd_wait(&repo->no_readers, &repo->lock);
    check_data_version(repo);
    MI_Result r = apply_locked(repo, batch, err);
    mtx_unlock(&repo->lock);
    return r;
}

/* ---- reading ---- */

void mi_repository_read_begin(mi_repository *repo)
{
    mtx_lock(&repo->lock);
    if (repo->read_depth == 0 && repo->snapshot_kept && !snapshot_current(repo))
        release_snapshot(repo); /* another connection committed: read anew */
    if (repo->read_depth == 0 && !repo->snapshot_kept) {
        /* the header before the snapshot: a commit after this shows as a change */
        bool keep = repo->keep_snapshots && repo->shm;
        if (keep)
            copy_wal_header(repo, repo->snapshot_header);
        /* failing, reads run a statement at a time: still correct */
        sqlite3_stmt *s = statement(repo, ST_BEGIN);
        if (s) {
            sqlite3_step(s);
            sqlite3_reset(s);
        }
        check_data_version(repo); /* inside the transaction: its first read fixes the snapshot */
        if (repo->keep_snapshots && !repo->shm)
            map_wal_index(repo); /* kept from the next scope on */
        repo->snapshot_kept = keep && !sqlite3_get_autocommit(repo->db);
    }
    repo->read_depth++;
    mtx_unlock(&repo->lock);
}

void mi_repository_read_end(mi_repository *repo)
{
    mtx_lock(&repo->lock);
    if (repo->read_depth > 0 && --repo->read_depth == 0) {
        sqlite3_stmt *s = repo->snapshot_kept || sqlite3_get_autocommit(repo->db)
                              ? NULL
                              : statement(repo, ST_COMMIT);
        if (s) {
            sqlite3_step(s);
            sqlite3_reset(s);
        }
        cnd_broadcast(&repo->no_readers);
    }
    mtx_unlock(&repo->lock);
}

bool mi_repository_has_namespace(mi_repository *repo, const char *ns)
{
    mtx_lock(&repo->lock);
    check_data_version(repo);
    bool has = namespace_id(repo, ns) != 0;
    mtx_unlock(&repo->lock);
    return has;
}

mi_class *mi_repository_find_class(mi_repository *repo, const char *ns, const char *name)
{
    if (!ns || !name)
        return NULL;
    mtx_lock(&repo->lock);
    check_data_version(repo);
    mi_class *cls = find_class_locked(repo, ns, name);
    mtx_unlock(&repo->lock);
    return cls;
}

bool mi_repository_class_is_a(mi_repository *repo, const char *ns, const char *name,
                              const char *base)
{
    const mi_class *cls = mi_repository_find_class(repo, ns, name);
    return cls && mi_class_is_a(cls, base);
}

static MI_Result decode_stored(mi_repository *repo, const char *ns, const unsigned char *data,
                               size_t len, MI_Instance **out, mi_error *err)
{
    size_t name_len;
    const char *name = mi_codec_instance_class_name(data, len, &name_len);
    char class_name[256];
    if (!name || name_len >= sizeof class_name)
        return mi_error_set(err, MI_RESULT_FAILED, "a stored instance is damaged");
    memcpy(class_name, name, name_len);
    class_name[name_len] = '\0';
    mi_class *cls = find_class_locked(repo, ns, class_name);
    if (!cls)
        return mi_error_set(err, MI_RESULT_FAILED, "the class %s of a stored instance is missing",
                            class_name);
    return mi_codec_decode_instance_in(data, len, cls, ns, out, err);
}

/* NOT_FOUND naming the instance as the caller spelled it. */
static MI_Result no_instance(mi_error *err, const MI_Instance *path, const char *ns)
{
    char *text = NULL;
    mi_path_format(&text, path, NULL);
    MI_Result r = mi_error_set(err, MI_RESULT_NOT_FOUND, "no instance %s in namespace %s",
                               text ? text : "(unnamed)", ns);
    free(text);
    return r;
}

MI_Result mi_repository_get_instance(mi_repository *repo, const char *ns, const MI_Instance *path,
                                     MI_Instance **out, mi_error *err)
{
    *out = NULL;
    mtx_lock(&repo->lock);
    check_data_version(repo);
    MI_Result r = MI_RESULT_OK;
    int64_t ns_id = namespace_id(repo, ns);
    mi_bytes data = {0};
    int64_t id = 0;
    if (!ns_id)
        r = mi_error_set(err, MI_RESULT_INVALID_NAMESPACE, "no namespace %s", ns ? ns : "(null)");
    else if ((id = find_instance(repo, ns_id, path, &data, err)) < 0)
        r = err ? err->code : MI_RESULT_INVALID_PARAMETER;
    else if (id == 0)
        r = no_instance(err, path, ns);
    else if (data.failed)
        r = mi_error_nomem(err);
    else
        r = decode_stored(repo, ns, data.data, data.len, out, err);
    mi_bytes_free(&data);
    mtx_unlock(&repo->lock);
    return r;
}

typedef struct referrer_row {
    int64_t instance;
    char *property;
} referrer_row;

static void free_rows(referrer_row *rows, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(rows[i].property);
    free(rows);
}

/* The (instance, property) rows of the reference index that point at target's path hash
 * (candidates: the caller checks the reference itself). The lock is held. */
static MI_Result referrer_rows(mi_repository *repo, int64_t ns_id, const MI_Instance *target,
                               referrer_row **out, size_t *out_count, mi_error *err)
{
    *out = NULL;
    *out_count = 0;
    char *text = NULL;
    uint64_t hash = 0;
    MI_Result r = canonical(target, &text, &hash, err);
    free(text);
    referrer_row *rows = NULL;
    size_t count = 0, capacity = 0;
    sqlite3_stmt *s = r == MI_RESULT_OK ? statement(repo, ST_REFERENCES_TO) : NULL;
    if (r == MI_RESULT_OK && !s)
        r = db_error(repo, err, "reference index");
    if (s) {
        sqlite3_bind_int64(s, 1, ns_id);
        sqlite3_bind_int64(s, 2, (int64_t)hash);
        while (r == MI_RESULT_OK && sqlite3_step(s) == SQLITE_ROW) {
            if (count == capacity) {
                capacity = capacity ? capacity * 2 : 16;
                referrer_row *grown = realloc(rows, capacity * sizeof *grown);
                if (!grown) {
                    r = mi_error_nomem(err);
                    break;
                }
                rows = grown;
            }
            const unsigned char *property = sqlite3_column_text(s, 1);
            rows[count].instance = sqlite3_column_int64(s, 0);
            rows[count].property = property ? strdup((const char *)property) : NULL;
            if (!rows[count].property) {
                r = mi_error_nomem(err);
                break;
            }
            count++;
        }
        sqlite3_reset(s);
    }
    if (r != MI_RESULT_OK) {
        free_rows(rows, count);
        return r;
    }
    *out = rows;
    *out_count = count;
    return MI_RESULT_OK;
}

/* The stored instance with that id (NULL with MI_RESULT_OK when it is gone). The lock is
 * held. */
static MI_Result instance_with_id(mi_repository *repo, const char *ns, int64_t id,
                                  MI_Instance **out, mi_error *err)
{
    *out = NULL;
    sqlite3_stmt *by_id = statement(repo, ST_INSTANCE_BY_ID);
    if (!by_id)
        return db_error(repo, err, "instance");
    sqlite3_bind_int64(by_id, 1, id);
    if (sqlite3_step(by_id) != SQLITE_ROW) {
        sqlite3_reset(by_id);
        return MI_RESULT_OK;
    }
    size_t len = (size_t)sqlite3_column_bytes(by_id, 0);
    unsigned char *data = malloc(len ? len : 1);
    if (!data) {
        sqlite3_reset(by_id);
        return mi_error_nomem(err);
    }
    memcpy(data, sqlite3_column_blob(by_id, 0), len);
    sqlite3_reset(by_id); /* decoding uses other statements of the connection */
    MI_Result r = decode_stored(repo, ns, data, len, out, err);
    free(data);
    return r;
}

MI_Result mi_repository_referrers(mi_repository *repo, const char *ns, const MI_Instance *target,
                                  mi_reference_visit visit, void *context, mi_error *err)
{
    mtx_lock(&repo->lock);
    check_data_version(repo);
    int64_t ns_id = namespace_id(repo, ns);
    referrer_row *rows = NULL;
    size_t count = 0;
    MI_Result r = ns_id ? referrer_rows(repo, ns_id, target, &rows, &count, err)
                        : mi_error_set(err, MI_RESULT_INVALID_NAMESPACE, "no namespace %s",
                                       ns ? ns : "(null)");
    bool go_on = true;
    for (size_t i = 0; r == MI_RESULT_OK && go_on && i < count; i++) {
        MI_Instance *referrer = NULL;
        r = instance_with_id(repo, ns, rows[i].instance, &referrer, err);
        if (r == MI_RESULT_OK && referrer) {
            mtx_unlock(&repo->lock); /* visit may call back into the repository */
            go_on = visit(context, referrer, rows[i].property);
            mtx_lock(&repo->lock);
            mi_instance_delete(referrer);
        }
    }
    free_rows(rows, count);
    mtx_unlock(&repo->lock);
    return r;
}

static uint64_t count_rows(mi_repository *repo, const char *sql, const char *ns)
{
    mtx_lock(&repo->lock);
    int64_t ns_id = namespace_id(repo, ns);
    sqlite3_stmt *s = NULL;
    uint64_t n = 0;
    if (ns_id && sqlite3_prepare_v2(repo->db, sql, -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, ns_id);
        if (sqlite3_step(s) == SQLITE_ROW)
            n = (uint64_t)sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    mtx_unlock(&repo->lock);
    return n;
}

uint64_t mi_repository_count_instances(mi_repository *repo, const char *ns)
{
    return count_rows(repo, "SELECT count(*) FROM instance WHERE ns = ?1", ns);
}

uint64_t mi_repository_count_classes(mi_repository *repo, const char *ns)
{
    return count_rows(repo, "SELECT count(*) FROM class WHERE ns = ?1", ns);
}

uint64_t mi_repository_count_references(mi_repository *repo, const char *ns)
{
    return count_rows(repo, "SELECT count(*) FROM reference WHERE ns = ?1", ns);
}

/* ---- the store interface ---- */

static bool grow_qualifier_cache(mi_repository *repo)
{
    if (repo->qualifier_count < repo->qualifier_capacity)
        return true;
    uint32_t capacity = repo->qualifier_capacity ? repo->qualifier_capacity * 2 : 64;
    cached_qualifier *grown = realloc(repo->qualifiers, capacity * sizeof *grown);
    if (!grown)
        return false;
    repo->qualifiers = grown;
    repo->qualifier_capacity = capacity;
    return true;
}

const mi_qualifier_decl *mi_repository_find_qualifier(mi_repository *repo, const char *ns,
                                                      const char *name)
{
    if (!ns || !name)
        return NULL;
    char *key = class_key(ns, name);
    if (!key)
        return NULL;
    mtx_lock(&repo->lock);
    check_data_version(repo);
    uint32_t at;
    mi_qualifier_decl *decl = NULL;
    if (mi_nametable_find(&repo->qualifier_index, key, &at)) {
        decl = repo->qualifiers[at].decl;
    } else {
        int64_t ns_id = namespace_id(repo, ns);
        sqlite3_stmt *s = ns_id ? statement(repo, ST_QUALIFIER_GET) : NULL;
        if (s) {
            sqlite3_bind_int64(s, 1, ns_id);
            sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
            if (sqlite3_step(s) == SQLITE_ROW)
                mi_codec_decode_qualifier_decl(sqlite3_column_blob(s, 0),
                                               (size_t)sqlite3_column_bytes(s, 0), &decl, NULL);
            sqlite3_reset(s);
        }
        if (decl) {
            bool cached = false;
            if (grow_qualifier_cache(repo) &&
                mi_nametable_insert(&repo->qualifier_index, key, repo->qualifier_count) ==
                    MI_RESULT_OK) {
                repo->qualifiers[repo->qualifier_count++] = (cached_qualifier){key, decl};
                key = NULL;
                cached = true;
            }
            if (!cached) {
                mi_qualifier_decl_free(decl);
                decl = NULL;
            }
        }
    }
    mtx_unlock(&repo->lock);
    free(key);
    return decl;
}

static const mi_qualifier_decl *store_find_qualifier(void *context, const char *ns,
                                                     const char *name)
{
    return mi_repository_find_qualifier(context, ns, name);
}

static mi_class *store_find_class(void *context, const char *ns, const char *name)
{
    return mi_repository_find_class(context, ns, name);
}

static bool store_has_instance(void *context, const char *ns, const MI_Instance *path)
{
    mi_repository *repo = context;
    mtx_lock(&repo->lock);
    int64_t ns_id = namespace_id(repo, ns);
    bool has = ns_id && find_instance(repo, ns_id, path, NULL, NULL) > 0;
    mtx_unlock(&repo->lock);
    return has;
}

static MI_Result store_apply(void *context, mi_schema_batch *batch, mi_error *err)
{
    MI_Result r = mi_repository_apply(context, batch, err);
    if (r == MI_RESULT_OK) {
        /* The repository keeps its own copies; the batch frees its items. */
    }
    return r;
}

mi_schema_store mi_repository_store(mi_repository *repo)
{
    return (mi_schema_store){repo, store_find_qualifier, store_find_class, store_has_instance,
                             store_apply};
}

/* ---- changing single instances and classes ---- */

/* Runs one statement bound to an id; false on failure. */
/* Starts a write on the handle; the caller holds the lock. */
static MI_Result begin_write(mi_repository *repo, mi_error *err)
{
    while (repo->read_depth > 0)
        cnd_wait(&repo->no_readers, &repo->lock);
    check_data_version(repo);
    if (repo->read_only)
        return refuse_read_only(repo, err);
    release_snapshot(repo);
    if (!exec(repo, "BEGIN IMMEDIATE"))
        return db_error(repo, err, "cannot start a transaction");
    return MI_RESULT_OK;
}

static MI_Result end_write(mi_repository *repo, MI_Result r, mi_error *err)
{
    if (r == MI_RESULT_OK && !exec(repo, "COMMIT"))
        r = db_error(repo, err, "cannot commit");
    if (r != MI_RESULT_OK) {
        exec(repo, "ROLLBACK");
        cache_clear(repo);
    }
    return r;
}

/* Whether association a names path (of namespace ns) through its key reference
 * `property`: then a's identity includes the object, and a goes when it goes. */
static bool depends_on(const MI_Instance *a, const char *property, const char *ns,
                       const MI_Instance *path)
{
    const mi_class *cls = mi_instance_class((MI_Instance *)a);
    const mi_property *p = cls ? mi_class_find_property(cls, property, NULL) : NULL;
    if (!(cls && (cls->flags & MI_FLAG_ASSOCIATION) && p && (p->flags & MI_FLAG_KEY) &&
          p->type == MI_REFERENCE))
        return false;
    MI_Value v;
    MI_Uint32 flags = 0;
    if (MI_Instance_GetElement(a, property, &v, NULL, &flags, NULL) != MI_RESULT_OK ||
        (flags & MI_FLAG_NULL) || !v.reference)
        return false;
    const char *named = mi_instance_namespace(v.reference);
    return (!named || mi_name_equal(named, ns)) && mi_path_equal(v.reference, path);
}

enum { MAX_CASCADE_DEPTH = 32 };

/* Deletes the instance with that id (whose path is path) and its index rows, after the
 * associations that depend on it (depends_on), and theirs in turn. Inside a write. */
static MI_Result delete_with_dependents(mi_repository *repo, const char *ns, int64_t ns_id,
                                        int64_t id, const MI_Instance *path, int depth,
                                        mi_error *err)
{
    if (depth > MAX_CASCADE_DEPTH)
        return mi_error_set(err, MI_RESULT_SERVER_LIMITS_EXCEEDED,
                            "associations of associations nest more than %d deep",
                            MAX_CASCADE_DEPTH);
    referrer_row *rows = NULL;
    size_t count = 0;
    MI_Result r = referrer_rows(repo, ns_id, path, &rows, &count, err);
    for (size_t i = 0; r == MI_RESULT_OK && i < count; i++) {
        if (rows[i].instance == id)
            continue; /* an association naming itself */
        MI_Instance *a = NULL, *a_path = NULL;
        r = instance_with_id(repo, ns, rows[i].instance, &a, err);
        if (r == MI_RESULT_OK && a && depends_on(a, rows[i].property, ns, path)) {
            r = mi_path_of_instance(&a_path, a, err);
            if (r == MI_RESULT_OK)
                r = delete_with_dependents(repo, ns, ns_id, rows[i].instance, a_path, depth + 1,
                                           err);
        }
        if (a_path)
            mi_instance_delete(a_path);
        if (a)
            mi_instance_delete(a);
    }
    free_rows(rows, count);
    if (r == MI_RESULT_OK &&
        (!run_with_id(repo, ST_REFERENCES_DELETE, id) || !run_with_id(repo, ST_EDGES_DELETE, id) ||
         !run_with_id(repo, ST_EDGES_UNTARGET, id) || !run_with_id(repo, ST_INSTANCE_DELETE, id)))
        r = db_error(repo, err, "cannot delete an instance");
    return r;
}

MI_Result mi_repository_delete_instance(mi_repository *repo, const char *ns,
                                        const MI_Instance *path, mi_error *err)
{
    mtx_lock(&repo->lock);
    MI_Result r = begin_write(repo, err);
    if (r == MI_RESULT_OK) {
        int64_t ns_id = namespace_id(repo, ns);
        int64_t id = ns_id ? find_instance(repo, ns_id, path, NULL, err) : 0;
        if (!ns_id)
            r = mi_error_set(err, MI_RESULT_INVALID_NAMESPACE, "no namespace %s", ns);
        else if (id < 0)
            r = MI_RESULT_INVALID_PARAMETER;
        else if (id == 0)
            r = no_instance(err, path, ns);
        else
            r = delete_with_dependents(repo, ns, ns_id, id, path, 0, err);
        r = end_write(repo, r, err);
    }
    mtx_unlock(&repo->lock);
    return r;
}

MI_Result mi_repository_create_instance(mi_repository *repo, const char *ns,
                                        const MI_Instance *inst, mi_error *err)
{
    mtx_lock(&repo->lock);
    MI_Result r = begin_write(repo, err);
    if (r == MI_RESULT_OK) {
        int64_t ns_id = namespace_id(repo, ns);
        apply_state create_only = {.replace = false};
        r = ns_id ? put_instance(repo, ns, ns_id, inst, &create_only, err)
                  : mi_error_set(err, MI_RESULT_INVALID_NAMESPACE, "no namespace %s", ns);
        r = end_write(repo, r, err);
    }
    mtx_unlock(&repo->lock);
    return r;
}

MI_Result mi_repository_replace_instance(mi_repository *repo, const char *ns,
                                         const MI_Instance *inst, mi_error *err)
{
    mtx_lock(&repo->lock);
    MI_Result r = begin_write(repo, err);
    if (r == MI_RESULT_OK) {
        int64_t ns_id = namespace_id(repo, ns);
        MI_Instance *path = NULL;
        int64_t id = 0;
        if (!ns_id)
            r = mi_error_set(err, MI_RESULT_INVALID_NAMESPACE, "no namespace %s", ns);
        else if ((r = mi_path_of_instance(&path, inst, err)) == MI_RESULT_OK &&
                 (id = find_instance(repo, ns_id, path, NULL, err)) <= 0)
            r = id < 0 ? MI_RESULT_INVALID_PARAMETER : no_instance(err, path, ns);
        mi_bytes bytes = {0};
        if (r == MI_RESULT_OK && mi_codec_encode_instance(&bytes, inst) != MI_RESULT_OK)
            r = mi_error_nomem(err);
        if (r == MI_RESULT_OK)
            r = rewrite_instance(repo, ns, ns_id, id, inst, &bytes, err);
        mi_bytes_free(&bytes);
        if (path)
            mi_instance_delete(path);
        r = end_write(repo, r, err);
    }
    mtx_unlock(&repo->lock);
    return r;
}

MI_Result mi_repository_delete_class(mi_repository *repo, const char *ns, const char *name,
                                     mi_error *err)
{
    mtx_lock(&repo->lock);
    MI_Result r = begin_write(repo, err);
    if (r == MI_RESULT_OK) {
        int64_t ns_id = namespace_id(repo, ns);
        int64_t id = ns_id ? class_id(repo, ns_id, name) : 0;
        if (!ns_id)
            r = mi_error_set(err, MI_RESULT_INVALID_NAMESPACE, "no namespace %s", ns);
        else if (!id)
            r = mi_error_set(err, MI_RESULT_NOT_FOUND, "no class %s in namespace %s", name, ns);
        else if (exists_with_id(repo, ST_CLASS_CHILDREN, id))
            r = mi_error_set(err, MI_RESULT_CLASS_HAS_CHILDREN, "class %s has subclasses", name);
        else if (exists_with_id(repo, ST_CLASS_INSTANCES, id))
            r = mi_error_set(err, MI_RESULT_CLASS_HAS_INSTANCES, "class %s has instances", name);
        else if (!run_with_id(repo, ST_CLASS_DELETE, id))
            r = db_error(repo, err, "cannot delete a class");
        r = end_write(repo, r, err);
        if (r == MI_RESULT_OK)
            cache_clear(repo); /* the class object itself lives on for those holding it */
    }
    mtx_unlock(&repo->lock);
    return r;
}

/* ---- enumeration ---- */

enum { SCAN_PAGE = 128 };

struct mi_instance_scan {
    mi_repository *repo;
    char *ns;
    int64_t *classes; /* the class and (deep) its subclasses, by id */
    size_t class_count, class_at;
    int64_t last_id; /* of the instance read last in classes[class_at] */
    MI_Instance *page[SCAN_PAGE];
    size_t page_count, page_next;
    unsigned char *buffer; /* a record copied out of its statement */
    size_t buffer_size;
};

void mi_repository_scan_close(mi_instance_scan *scan)
{
    if (!scan)
        return;
    for (size_t i = scan->page_next; i < scan->page_count; i++)
        mi_instance_delete(scan->page[i]);
    free(scan->classes);
    free(scan->buffer);
    free(scan->ns);
    free(scan);
}

/* The ids of the class and, deep, of its subclasses. Called locked. */
static MI_Result scan_classes(mi_instance_scan *scan, int64_t ns_id, const char *class_name,
                              bool deep, mi_error *err)
{
    static const char deep_sql[] =
        "WITH RECURSIVE tree(id) AS (SELECT id FROM class WHERE ns = ?1 AND name = ?2"
        " UNION ALL SELECT c.id FROM class c JOIN tree t ON c.superclass = t.id)"
        " SELECT id FROM tree ORDER BY id";
    static const char shallow_sql[] = "SELECT id FROM class WHERE ns = ?1 AND name = ?2";
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(scan->repo->db, deep ? deep_sql : shallow_sql, -1, &s, NULL) !=
        SQLITE_OK)
        return db_error(scan->repo, err, "enumeration");
    sqlite3_bind_int64(s, 1, ns_id);
    sqlite3_bind_text(s, 2, class_name, -1, SQLITE_STATIC);
    MI_Result r = MI_RESULT_OK;
    size_t capacity = 0;
    while (r == MI_RESULT_OK && sqlite3_step(s) == SQLITE_ROW) {
        if (scan->class_count == capacity) {
            capacity = capacity ? capacity * 2 : 8;
            int64_t *grown = realloc(scan->classes, capacity * sizeof *grown);
            if (!grown) {
                r = mi_error_nomem(err);
                break;
            }
            scan->classes = grown;
        }
        scan->classes[scan->class_count++] = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    return r;
}

MI_Result mi_repository_scan_open(mi_repository *repo, const char *ns, const char *class_name,
                                  bool deep, mi_instance_scan **out, mi_error *err)
{
    *out = NULL;
    mi_instance_scan *scan = calloc(1, sizeof *scan);
    if (!scan || !(scan->ns = strdup(ns ? ns : ""))) {
        free(scan);
        return mi_error_nomem(err);
    }
    scan->repo = repo;
    mtx_lock(&repo->lock);
    check_data_version(repo);
    int64_t ns_id = namespace_id(repo, ns);
    MI_Result r = ns_id ? scan_classes(scan, ns_id, class_name, deep, err)
                        : mi_error_set(err, MI_RESULT_INVALID_NAMESPACE, "no namespace %s",
                                       ns ? ns : "(null)");
    mtx_unlock(&repo->lock);
    if (r != MI_RESULT_OK) {
        mi_repository_scan_close(scan);
        return r;
    }
    *out = scan;
    return MI_RESULT_OK;
}

/* Reads the next page, class after class, under one hold of the lock; no statement
 * stays open between pages, so writes in between are seen as they land. */
static MI_Result scan_fill(mi_instance_scan *scan, mi_error *err)
{
    mi_repository *repo = scan->repo;
    scan->page_count = scan->page_next = 0;
    mtx_lock(&repo->lock);
    check_data_version(repo);
    MI_Result r = MI_RESULT_OK;
    while (r == MI_RESULT_OK && scan->page_count < SCAN_PAGE &&
           scan->class_at < scan->class_count) {
        sqlite3_stmt *s = statement(repo, ST_INSTANCE_PAGE);
        if (!s) {
            r = db_error(repo, err, "enumeration");
            break;
        }
        size_t wanted = SCAN_PAGE - scan->page_count, got = 0;
        sqlite3_bind_int64(s, 1, scan->classes[scan->class_at]);
        sqlite3_bind_int64(s, 2, scan->last_id);
        sqlite3_bind_int64(s, 3, (sqlite3_int64)wanted);
        int step = SQLITE_DONE;
        while (r == MI_RESULT_OK && (step = sqlite3_step(s)) == SQLITE_ROW) {
            got++;
            scan->last_id = sqlite3_column_int64(s, 0);
            /* copied: finding the class may run statements of its own */
            size_t len = (size_t)sqlite3_column_bytes(s, 1);
            if (len > scan->buffer_size) {
                unsigned char *grown = realloc(scan->buffer, len);
                if (!grown) {
                    r = mi_error_nomem(err);
                    break;
                }
                scan->buffer = grown;
                scan->buffer_size = len;
            }
            if (len)
                memcpy(scan->buffer, sqlite3_column_blob(s, 1), len);
            MI_Instance *inst = NULL;
            r = decode_stored(repo, scan->ns, scan->buffer, len, &inst, err);
            if (r == MI_RESULT_OK)
                scan->page[scan->page_count++] = inst;
        }
        if (r == MI_RESULT_OK && step != SQLITE_DONE)
            r = db_error(repo, err, "enumeration");
        sqlite3_reset(s);
        if (r == MI_RESULT_OK && got < wanted) { /* this class is read to its end */
            scan->class_at++;
            scan->last_id = 0;
        }
    }
    mtx_unlock(&repo->lock);
    return r;
}

MI_Result mi_repository_scan_next(mi_instance_scan *scan, MI_Instance **out, mi_error *err)
{
    *out = NULL;
    if (scan->page_next == scan->page_count) {
        MI_Result r = scan_fill(scan, err);
        if (r != MI_RESULT_OK)
            return r;
    }
    if (scan->page_next < scan->page_count)
        *out = scan->page[scan->page_next++];
    return MI_RESULT_OK;
}

/* ---- edges out of an object ---- */

/* One edge copied out of its statement. */
typedef struct edge_row {
    size_t texts; /* offset in the call's block: role, result role, association class,
                     target namespace, the stored result's path and class, NUL-separated */
    bool stored;  /* the result is stored: its path, class and record are in the block */
    size_t data;  /* offset of the result's record in the block */
    size_t size;
    char *canonical; /* dangling: the result's canonical path */
    char *written;   /* dangling: the path as the association wrote it */
    int64_t assoc;
    uint64_t target_hash, target_check;
} edge_row;

static bool block_put(byte_block *b, const void *p, size_t n, bool terminate)
{
    size_t need = b->used + n + (terminate ? 1 : 0);
    if (need > b->capacity) {
        size_t capacity = b->capacity ? b->capacity * 2 : 4096;
        while (capacity < need)
            capacity *= 2;
        char *grown = realloc(b->bytes, capacity);
        if (!grown)
            return false;
        b->bytes = grown;
        b->capacity = capacity;
    }
    if (n)
        memcpy(b->bytes + b->used, p, n);
    b->used += n;
    if (terminate)
        b->bytes[b->used++] = '\0';
    return true;
}

static bool block_put_text(byte_block *b, const char *text)
{
    return block_put(b, text ? text : "", text ? strlen(text) : 0, true);
}

/* Copies the current row of ST_EDGES_FROM into e and the block. Called with the lock held. */
static bool copy_edge(mi_repository *repo, sqlite3_stmt *s, edge_row *e, byte_block *b)
{
    e->texts = b->used;
    e->stored = sqlite3_column_type(s, 6) == SQLITE_BLOB;
    bool ok = true;
    for (int c = 0; ok && c < 2; c++)
        ok = block_put(b, sqlite3_column_text(s, c), (size_t)sqlite3_column_bytes(s, c), true);
    ok = ok && block_put_text(b, class_name_of(repo, sqlite3_column_int64(s, 2))) &&
         block_put_text(b, namespace_name(repo, sqlite3_column_int64(s, 3)));
    if (ok && e->stored)
        ok = block_put(b, sqlite3_column_text(s, 4), (size_t)sqlite3_column_bytes(s, 4), true) &&
             block_put_text(b, class_name_of(repo, sqlite3_column_int64(s, 5)));
    else if (ok)
        ok = block_put(b, "\0\0", 2, false);
    e->data = b->used;
    e->size = e->stored ? (size_t)sqlite3_column_bytes(s, 6) : 0;
    ok = ok && block_put(b, sqlite3_column_blob(s, 6), e->size, false);
    e->assoc = sqlite3_column_int64(s, 7);
    e->target_hash = (uint64_t)sqlite3_column_int64(s, 8);
    e->target_check = (uint64_t)sqlite3_column_int64(s, 9);
    return ok;
}

static const char *edge_text(const byte_block *b, const edge_row *e, int i)
{
    const char *at = b->bytes + e->texts;
    while (i-- > 0)
        at += strlen(at) + 1;
    return at;
}

/* A dangling result has no record: its path comes from the association itself (the
 * reference of the result role whose hash the edge holds). Called with the lock held. */
static MI_Result dangling_path(mi_repository *repo, const char *ns, const byte_block *b,
                               edge_row *e, mi_error *err)
{
    sqlite3_stmt *s = statement(repo, ST_INSTANCE_BY_ID);
    if (!s)
        return db_error(repo, err, "instance");
    sqlite3_bind_int64(s, 1, e->assoc);
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_reset(s);
        return mi_error_set(err, MI_RESULT_FAILED, "an association of the edge index is missing");
    }
    size_t len = (size_t)sqlite3_column_bytes(s, 0);
    unsigned char *data = malloc(len ? len : 1);
    if (!data) {
        sqlite3_reset(s);
        return mi_error_nomem(err);
    }
    memcpy(data, sqlite3_column_blob(s, 0), len);
    sqlite3_reset(s);
    MI_Instance *assoc = NULL;
    MI_Result r = decode_stored(repo, ns, data, len, &assoc, err);
    free(data);
    MI_Value value;
    MI_Type type;
    MI_Uint32 flags;
    if (r == MI_RESULT_OK && (MI_Instance_GetElement(assoc, edge_text(b, e, 1), &value, &type,
                                                     &flags, NULL) != MI_RESULT_OK ||
                              (flags & MI_FLAG_NULL)))
        r = mi_error_set(err, MI_RESULT_FAILED, "an edge names a reference the association lacks");
    MI_Instance *const *targets = &value.reference;
    MI_Uint32 n = 1;
    if (r == MI_RESULT_OK && type == MI_REFERENCEA) {
        targets = value.referencea.data;
        n = value.referencea.size;
    }
    for (MI_Uint32 i = 0; r == MI_RESULT_OK && i < n && !e->canonical; i++) {
        char *text;
        uint64_t hash;
        if (!targets[i] || canonical(targets[i], &text, &hash, NULL) != MI_RESULT_OK)
            continue;
        if (hash == e->target_hash) {
            e->canonical = text;
            r = mi_path_format(&e->written, targets[i], err);
        } else {
            free(text);
        }
    }
    if (r == MI_RESULT_OK && !e->canonical)
        r = mi_error_set(err, MI_RESULT_FAILED, "an edge names a reference the association lacks");
    if (assoc)
        mi_instance_delete(assoc);
    return r;
}

void mi_edge_position_clear(mi_edge_position *at)
{
    free(at->role);
    free(at->result_role);
    memset(at, 0, sizeof *at);
}

/* Moves at past row e. */
static bool edge_position_move(mi_edge_position *at, const byte_block *b, const edge_row *e)
{
    char *role = strdup(edge_text(b, e, 0)), *result_role = strdup(edge_text(b, e, 1));
    if (!role || !result_role) {
        free(role);
        free(result_role);
        return false;
    }
    free(at->role);
    free(at->result_role);
    at->role = role;
    at->result_role = result_role;
    at->target_hash = (int64_t)e->target_hash;
    at->target_check = (int64_t)e->target_check;
    at->assoc = e->assoc;
    at->started = true;
    return true;
}

MI_Result mi_repository_edges(mi_repository *repo, const char *ns, const MI_Instance *source,
                              size_t limit, mi_edge_position *at, mi_edge_visit visit,
                              void *context, mi_error *err)
{
    if (at->finished)
        return MI_RESULT_OK;
    mtx_lock(&repo->lock);
    check_data_version(repo);
    int64_t ns_id = namespace_id(repo, ns);
    char *path = NULL;
    uint64_t hash = 0;
    MI_Result r = ns_id ? canonical(source, &path, &hash, err)
                        : mi_error_set(err, MI_RESULT_INVALID_NAMESPACE, "no namespace %s",
                                       ns ? ns : "(null)");
    /* rows are copied out first: the visitor may call back into the repository */
    edge_row *rows = NULL;
    byte_block block = repo->spare_block; /* reused: no allocation on most calls */
    repo->spare_block = (byte_block){0};
    block.used = 0;
    size_t count = 0, capacity = 0;
    sqlite3_stmt *s = r == MI_RESULT_OK
                          ? statement(repo, at->started ? ST_EDGES_FROM_AFTER : ST_EDGES_FROM)
                          : NULL;
    if (r == MI_RESULT_OK && !s)
        r = db_error(repo, err, "edge index");
    if (s) {
        sqlite3_bind_int64(s, 1, ns_id);
        sqlite3_bind_int64(s, 2, (int64_t)hash);
        sqlite3_bind_int64(s, 3, (int64_t)check_hash(path));
        sqlite3_bind_int64(s, 4, limit ? (int64_t)limit : -1);
        if (at->started) {
            sqlite3_bind_int64(s, 5, at->target_hash);
            sqlite3_bind_int64(s, 6, at->target_check);
            sqlite3_bind_int64(s, 7, at->assoc);
            sqlite3_bind_text(s, 8, at->role, -1, SQLITE_STATIC);
            sqlite3_bind_text(s, 9, at->result_role, -1, SQLITE_STATIC);
        }
        while (r == MI_RESULT_OK && sqlite3_step(s) == SQLITE_ROW) {
            if (count == capacity) {
                capacity = capacity ? capacity * 2 : 16;
                edge_row *grown = realloc(rows, capacity * sizeof *grown);
                if (!grown) {
                    r = mi_error_nomem(err);
                    break;
                }
                rows = grown;
            }
            edge_row *e = &rows[count++];
            memset(e, 0, sizeof *e);
            if (!copy_edge(repo, s, e, &block))
                r = mi_error_nomem(err);
        }
        sqlite3_reset(s);
        if (at->started)
            sqlite3_clear_bindings(s); /* the role texts bound belong to at */
    }
    if (r == MI_RESULT_OK && (!limit || count < limit))
        at->finished = true; /* the usual case: no position to keep */
    else if (r == MI_RESULT_OK && count > 0 && !edge_position_move(at, &block, &rows[count - 1]))
        r = mi_error_nomem(err);
    for (size_t i = 0; r == MI_RESULT_OK && i < count; i++) {
        if (!rows[i].stored)
            r = dangling_path(repo, ns, &block, &rows[i], err);
    }
    free(path);
    mtx_unlock(&repo->lock);
    for (size_t i = 0; r == MI_RESULT_OK && i < count; i++) {
        const edge_row *e = &rows[i];
        const char *texts[6];
        texts[0] = block.bytes + e->texts;
        for (int t = 1; t < 6; t++)
            texts[t] = texts[t - 1] + strlen(texts[t - 1]) + 1;
        mi_edge edge = {texts[0],
                        texts[1],
                        texts[2],
                        texts[3],
                        e->stored ? texts[4] : e->canonical,
                        e->written,
                        e->stored ? (const unsigned char *)block.bytes + e->data : NULL,
                        e->size,
                        e->stored ? texts[5] : NULL,
                        e->target_hash,
                        e->target_check};
        if (!visit(context, &edge))
            break;
    }
    for (size_t i = 0; i < count; i++) {
        free(rows[i].canonical);
        free(rows[i].written);
    }
    free(rows);
    mtx_lock(&repo->lock);
    if (!repo->spare_block.bytes && block.capacity <= 1 << 20)
        repo->spare_block = block;
    else
        free(block.bytes);
    mtx_unlock(&repo->lock);
    return r;
}

void mi_repository_keep_snapshots(mi_repository *repo)
{
    mtx_lock(&repo->lock);
    repo->keep_snapshots = !repo->read_only; /* an immutable file has no -shm to watch */
    mtx_unlock(&repo->lock);
}

MI_Result mi_repository_bound_memory(mi_repository *repo, unsigned cache_kib, mi_error *err)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA mmap_size = 0; PRAGMA cache_size = -%u", cache_kib);
    mtx_lock(&repo->lock);
    MI_Result r = exec(repo, sql) ? MI_RESULT_OK : db_error(repo, err, "cannot bound memory");
    mtx_unlock(&repo->lock);
    return r;
}

MI_Result mi_repository_decode(mi_repository *repo, const char *ns, const unsigned char *data,
                               size_t size, MI_Instance **out, mi_error *err)
{
    mtx_lock(&repo->lock);
    MI_Result r = decode_stored(repo, ns, data, size, out, err);
    mtx_unlock(&repo->lock);
    return r;
}

/* The first column of every row s gives, as new strings (freed on failure); s is
 * finalized. */
static MI_Result collect_names(mi_repository *repo, sqlite3_stmt *s, char ***names, size_t *count,
                               mi_error *err)
{
    size_t capacity = 0;
    MI_Result r = MI_RESULT_OK;
    int rc;
    while (r == MI_RESULT_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (*count == capacity) {
            capacity = capacity ? capacity * 2 : 16;
            char **grown = realloc(*names, capacity * sizeof *grown);
            if (!grown) {
                r = mi_error_nomem(err);
                break;
            }
            *names = grown;
        }
        const unsigned char *name = sqlite3_column_text(s, 0);
        if (!((*names)[*count] = strdup(name ? (const char *)name : "")))
            r = mi_error_nomem(err);
        else
            (*count)++;
    }
    if (r == MI_RESULT_OK && rc != SQLITE_DONE)
        r = db_error(repo, err, "names");
    sqlite3_finalize(s);
    if (r != MI_RESULT_OK) {
        for (size_t i = 0; i < *count; i++)
            free((*names)[i]);
        free(*names);
        *names = NULL;
        *count = 0;
    }
    return r;
}

MI_Result mi_repository_class_names(mi_repository *repo, const char *ns, const char *parent,
                                    bool deep, char ***names, size_t *count, mi_error *err)
{
    static const char *const sql[2][2] = {
        /* shallow: roots, children */
        {"SELECT name FROM class WHERE ns = ?1 AND superclass IS NULL ORDER BY id",
         "SELECT c.name FROM class c JOIN class p ON p.id = c.superclass"
         " WHERE p.ns = ?1 AND p.name = ?2 ORDER BY c.id"},
        /* deep: everything (superclasses come first), descendants */
        {"SELECT name FROM class WHERE ns = ?1 ORDER BY id",
         "WITH RECURSIVE tree(id) AS (SELECT c.id FROM class c JOIN class p ON p.id ="
         " c.superclass WHERE p.ns = ?1 AND p.name = ?2 UNION ALL SELECT c.id FROM class c"
         " JOIN tree t ON c.superclass = t.id) SELECT c.name FROM class c JOIN tree t"
         " ON t.id = c.id ORDER BY c.id"},
    };
    *names = NULL;
    *count = 0;
    mtx_lock(&repo->lock);
    check_data_version(repo);
    int64_t ns_id = namespace_id(repo, ns);
    MI_Result r;
    sqlite3_stmt *s = NULL;
    if (!ns_id)
        r = mi_error_set(err, MI_RESULT_INVALID_NAMESPACE, "no namespace %s", ns ? ns : "(null)");
    else if (sqlite3_prepare_v2(repo->db, sql[deep ? 1 : 0][parent ? 1 : 0], -1, &s, NULL) !=
             SQLITE_OK)
        r = db_error(repo, err, "class enumeration");
    else {
        sqlite3_bind_int64(s, 1, ns_id);
        if (parent)
            sqlite3_bind_text(s, 2, parent, -1, SQLITE_STATIC);
        r = collect_names(repo, s, names, count, err);
    }
    mtx_unlock(&repo->lock);
    return r;
}

/* ---- namespaces ---- */

MI_Result mi_repository_namespaces(mi_repository *repo, char ***names, size_t *count, mi_error *err)
{
    *names = NULL;
    *count = 0;
    mtx_lock(&repo->lock);
    check_data_version(repo);
    sqlite3_stmt *s = NULL;
    MI_Result r = sqlite3_prepare_v2(repo->db, "SELECT name FROM namespace ORDER BY id", -1, &s,
                                     NULL) == SQLITE_OK
                      ? collect_names(repo, s, names, count, err)
                      : db_error(repo, err, "namespace list");
    mtx_unlock(&repo->lock);
    return r;
}

/* A namespace name: segments of letters, digits and _ joined by '/' (DSP0004). */
static bool namespace_name_valid(const char *ns)
{
    if (!ns || !*ns || *ns == '/' || strlen(ns) > 255)
        return false;
    for (const char *p = ns; *p; p++) {
        bool ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                  (*p >= '0' && *p <= '9') || *p == '_' || (*p == '/' && p[1] && p[1] != '/');
        if (!ok)
            return false;
    }
    return true;
}

MI_Result mi_repository_create_namespace(mi_repository *repo, const char *ns, mi_error *err)
{
    if (!namespace_name_valid(ns))
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER,
                            "'%s' is not a namespace name (names of letters, digits and _ "
                            "joined by /)",
                            ns ? ns : "(null)");
    mtx_lock(&repo->lock);
    MI_Result r = begin_write(repo, err);
    if (r == MI_RESULT_OK) {
        int64_t id;
        if (namespace_id(repo, ns))
            r = mi_error_set(err, MI_RESULT_ALREADY_EXISTS, "namespace %s exists already", ns);
        else
            r = ensure_namespace(repo, ns, &id, err);
        r = end_write(repo, r, err);
    }
    mtx_unlock(&repo->lock);
    return r;
}

MI_Result mi_repository_delete_namespace(mi_repository *repo, const char *ns, mi_error *err)
{
    mtx_lock(&repo->lock);
    MI_Result r = begin_write(repo, err);
    if (r == MI_RESULT_OK) {
        int64_t id = namespace_id(repo, ns);
        sqlite3_stmt *s = NULL;
        if (!id)
            r = mi_error_set(err, MI_RESULT_NOT_FOUND, "no namespace %s", ns ? ns : "(null)");
        else if (sqlite3_prepare_v2(repo->db,
                                    "SELECT (SELECT count(*) FROM class WHERE ns = ?1) +"
                                    " (SELECT count(*) FROM instance WHERE ns = ?1)",
                                    -1, &s, NULL) != SQLITE_OK)
            r = db_error(repo, err, "namespace");
        if (r == MI_RESULT_OK) {
            sqlite3_bind_int64(s, 1, id);
            if (sqlite3_step(s) != SQLITE_ROW)
                r = db_error(repo, err, "namespace");
            else if (sqlite3_column_int64(s, 0) > 0)
                r = mi_error_set(err, MI_RESULT_NAMESPACE_NOT_EMPTY,
                                 "namespace %s holds classes or instances: delete them first", ns);
        }
        sqlite3_finalize(s);
        char sql[128];
        snprintf(
            sql, sizeof sql,
            "DELETE FROM qualifier_type WHERE ns = %lld; DELETE FROM namespace WHERE id = %lld",
            (long long)id, (long long)id);
        if (r == MI_RESULT_OK && !exec(repo, sql))
            r = db_error(repo, err, "cannot delete a namespace");
        r = end_write(repo, r, err);
        cache_clear(repo); /* the namespace's id is no longer one */
    }
    mtx_unlock(&repo->lock);
    return r;
}

/* ---- qualifier types ---- */

MI_Result mi_repository_qualifier_names(mi_repository *repo, const char *ns, char ***names,
                                        size_t *count, mi_error *err)
{
    *names = NULL;
    *count = 0;
    mtx_lock(&repo->lock);
    check_data_version(repo);
    int64_t ns_id = namespace_id(repo, ns);
    sqlite3_stmt *s = NULL;
    MI_Result r;
    if (!ns_id)
        r = mi_error_set(err, MI_RESULT_INVALID_NAMESPACE, "no namespace %s", ns ? ns : "(null)");
    else if (sqlite3_prepare_v2(repo->db,
                                "SELECT name FROM qualifier_type WHERE ns = ?1"
                                " ORDER BY name COLLATE NOCASE",
                                -1, &s, NULL) != SQLITE_OK)
        r = db_error(repo, err, "qualifier types");
    else {
        sqlite3_bind_int64(s, 1, ns_id);
        r = collect_names(repo, s, names, count, err);
    }
    mtx_unlock(&repo->lock);
    return r;
}

MI_Result mi_repository_delete_qualifier(mi_repository *repo, const char *ns, const char *name,
                                         mi_error *err)
{
    mtx_lock(&repo->lock);
    MI_Result r = begin_write(repo, err);
    if (r == MI_RESULT_OK) {
        int64_t ns_id = namespace_id(repo, ns);
        sqlite3_stmt *s = NULL;
        if (!ns_id)
            r = mi_error_set(err, MI_RESULT_INVALID_NAMESPACE, "no namespace %s", ns);
        else if (sqlite3_prepare_v2(repo->db,
                                    "DELETE FROM qualifier_type WHERE ns = ?1 AND name = ?2", -1,
                                    &s, NULL) != SQLITE_OK)
            r = db_error(repo, err, "qualifier types");
        if (r == MI_RESULT_OK) {
            sqlite3_bind_int64(s, 1, ns_id);
            sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
            if (sqlite3_step(s) != SQLITE_DONE)
                r = db_error(repo, err, "cannot delete a qualifier type");
            else if (sqlite3_changes(repo->db) == 0)
                r = mi_error_set(err, MI_RESULT_NOT_FOUND, "no qualifier type %s in namespace %s",
                                 name, ns);
        }
        sqlite3_finalize(s);
        r = end_write(repo, r, err);
        if (r == MI_RESULT_OK)
            cache_clear(repo);
    }
    mtx_unlock(&repo->lock);
    return r;
}

/* ---- provider registrations ----
 * Kept in a table of their own, made with the first registration: a repository without
 * it has none, and a library that does not know it reads the rest unchanged. */

static const char provider_table_sql[] =
    "CREATE TABLE IF NOT EXISTS provider(ns TEXT NOT NULL COLLATE NOCASE,"
    " class TEXT NOT NULL COLLATE NOCASE, module TEXT NOT NULL, isolated INTEGER NOT NULL,"
    " PRIMARY KEY(ns, class)) WITHOUT ROWID";

void mi_provider_registrations_free(mi_provider_registration *regs, size_t count)
{
    for (size_t i = 0; regs && i < count; i++) {
        free(regs[i].ns);
        free(regs[i].class_name);
        free(regs[i].module);
    }
    free(regs);
}

MI_Result mi_repository_add_providers(mi_repository *repo, const mi_provider_registration *regs,
                                      size_t count, mi_error *err)
{
    mtx_lock(&repo->lock);
    MI_Result r = begin_write(repo, err);
    if (r == MI_RESULT_OK) {
        sqlite3_stmt *find = NULL, *put = NULL;
        if (!exec(repo, provider_table_sql) ||
            sqlite3_prepare_v2(repo->db, "SELECT module FROM provider WHERE ns = ?1 AND class = ?2",
                               -1, &find, NULL) != SQLITE_OK ||
            sqlite3_prepare_v2(repo->db, "INSERT OR REPLACE INTO provider VALUES (?1, ?2, ?3, ?4)",
                               -1, &put, NULL) != SQLITE_OK)
            r = db_error(repo, err, "provider registrations");
        for (size_t i = 0; r == MI_RESULT_OK && i < count; i++) {
            const mi_provider_registration *g = &regs[i];
            if (!namespace_id(repo, g->ns)) {
                r = mi_error_set(err, MI_RESULT_INVALID_NAMESPACE, "namespace %s does not exist",
                                 g->ns);
                break;
            }
            sqlite3_reset(find);
            sqlite3_bind_text(find, 1, g->ns, -1, SQLITE_STATIC);
            sqlite3_bind_text(find, 2, g->class_name, -1, SQLITE_STATIC);
            if (sqlite3_step(find) == SQLITE_ROW &&
                strcmp((const char *)sqlite3_column_text(find, 0), g->module) != 0) {
                r = mi_error_set(err, MI_RESULT_ALREADY_EXISTS,
                                 "class %s in %s is already served by provider module %s",
                                 g->class_name, g->ns, (const char *)sqlite3_column_text(find, 0));
                break;
            }
            sqlite3_reset(put);
            sqlite3_bind_text(put, 1, g->ns, -1, SQLITE_STATIC);
            sqlite3_bind_text(put, 2, g->class_name, -1, SQLITE_STATIC);
            sqlite3_bind_text(put, 3, g->module, -1, SQLITE_STATIC);
            sqlite3_bind_int(put, 4, g->isolated);
            if (sqlite3_step(put) != SQLITE_DONE)
                r = db_error(repo, err, "cannot register a provider");
        }
        sqlite3_finalize(find);
        sqlite3_finalize(put);
        r = end_write(repo, r, err);
    }
    mtx_unlock(&repo->lock);
    return r;
}

MI_Result mi_repository_remove_providers(mi_repository *repo, const char *module, const char *ns,
                                         size_t *removed, mi_error *err)
{
    *removed = 0;
    mtx_lock(&repo->lock);
    MI_Result r = begin_write(repo, err);
    if (r == MI_RESULT_OK) {
        sqlite3_stmt *s = NULL;
        if (!exec(repo, provider_table_sql) ||
            sqlite3_prepare_v2(repo->db,
                               "DELETE FROM provider WHERE module = ?1 AND (?2 IS NULL OR ns = ?2)",
                               -1, &s, NULL) != SQLITE_OK)
            r = db_error(repo, err, "provider registrations");
        if (r == MI_RESULT_OK) {
            sqlite3_bind_text(s, 1, module, -1, SQLITE_STATIC);
            if (ns)
                sqlite3_bind_text(s, 2, ns, -1, SQLITE_STATIC);
            if (sqlite3_step(s) != SQLITE_DONE)
                r = db_error(repo, err, "cannot unregister a provider");
            else
                *removed = (size_t)sqlite3_changes(repo->db);
        }
        sqlite3_finalize(s);
        r = end_write(repo, r, err);
    }
    mtx_unlock(&repo->lock);
    return r;
}

MI_Result mi_repository_providers(mi_repository *repo, mi_provider_registration **out,
                                  size_t *count, mi_error *err)
{
    *out = NULL;
    *count = 0;
    mtx_lock(&repo->lock);
    sqlite3_stmt *s = NULL;
    MI_Result r = MI_RESULT_OK;
    int rc = sqlite3_prepare_v2(
        repo->db, "SELECT ns, class, module, isolated FROM provider ORDER BY ns, class", -1, &s,
        NULL);
    size_t capacity = 0;
    while (rc == SQLITE_OK && r == MI_RESULT_OK && sqlite3_step(s) == SQLITE_ROW) {
        if (*count == capacity) {
            capacity = capacity ? capacity * 2 : 16;
            mi_provider_registration *grown = realloc(*out, capacity * sizeof *grown);
            if (!grown) {
                r = mi_error_nomem(err);
                break;
            }
            *out = grown;
        }
        mi_provider_registration *g = &(*out)[*count];
        g->ns = strdup((const char *)sqlite3_column_text(s, 0));
        g->class_name = strdup((const char *)sqlite3_column_text(s, 1));
        g->module = strdup((const char *)sqlite3_column_text(s, 2));
        g->isolated = sqlite3_column_int(s, 3) != 0;
        ++*count;
        if (!g->ns || !g->class_name || !g->module)
            r = mi_error_nomem(err);
    }
    /* no table: no registrations (rc is an error then, and nothing was read) */
    sqlite3_finalize(s);
    mtx_unlock(&repo->lock);
    if (r != MI_RESULT_OK) {
        mi_provider_registrations_free(*out, *count);
        *out = NULL;
        *count = 0;
    }
    return r;
}
