/*
 * The SQLite repository: creation and refusal of foreign files, MOF compiles stored in
 * one transaction, classes and instances read back after reopening, and the reference
 * index answering who points at an object.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/instance.h"
#include "core/path.h"
#include "mof/mof.h"
#include "repo/repository.h"
#include "support.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char qualifiers[] =
    "Qualifier Association : boolean = false, Scope(association),"
    " Flavor(DisableOverride, ToSubclass);\n"
    "Qualifier Key : boolean = false, Scope(property, reference),"
    " Flavor(DisableOverride, ToSubclass);\n"
    "Qualifier Description : string = null, Scope(any), Flavor(Translatable);\n";

static const char model[] =
    "class Test_A { [Key] string Id; string Label; };\n"
    "class Test_ASub : Test_A { uint32 Extra; };\n"
    "class Test_B { [Key] string Id; };\n"
    "[Association, Description(\"links\")] class Test_AB { [Key] Test_A REF Left;"
    " [Key] Test_B REF Right; };\n"
    "[Association] class Test_AA { [Key] Test_A REF Parent; [Key] Test_A REF Child; };\n"
    "instance of Test_A as $a1 { Id = \"a1\"; Label = \"first\"; };\n"
    "instance of Test_A as $a2 { Id = \"a2\"; };\n"
    "instance of Test_ASub as $as1 { Id = \"as1\"; Extra = 5; };\n"
    "instance of Test_B as $b1 { Id = \"b1\"; };\n"
    "instance of Test_AB { Left = $a1; Right = $b1; };\n"
    "instance of Test_AB { Left = $as1; Right = $b1; };\n"
    "instance of Test_AA { Parent = $a1; Child = $a2; };\n"
    "instance of Test_AA { Parent = $as1; Child = $a1; };\n";

static char dir[64];

static void path_in_dir(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

static void compile(mi_repository *repo, const char *text, const char *ns)
{
    mi_schema_store store = mi_repository_store(repo);
    mi_mof_options options = {.namespace_name = ns};
    mi_error err = {0};
    if (mi_mof_compile_string(&store, "model.mof", text, strlen(text), &options, NULL, &err))
        fail_msg("%s", err.message);
}

static MI_Instance *resolved_path(mi_repository *repo, const char *ns, const char *text)
{
    MI_Instance *path;
    assert_int_equal(mi_path_parse(&path, text, NULL), MI_RESULT_OK);
    const mi_class *cls = mi_repository_find_class(repo, ns, mi_instance_class_name(path));
    assert_non_null(cls);
    assert_int_equal(mi_path_resolve(path, cls, NULL, NULL, NULL), MI_RESULT_OK);
    return path;
}

static void test_create_compile_reopen(void **state)
{
    (void)state;
    char file[128];
    path_in_dir(file, sizeof file, "repo.db");
    mi_repository *repo;
    mi_error err = {0};
    assert_int_equal(mi_repository_open(&repo, file, false, &err), MI_RESULT_NOT_FOUND);
    assert_int_equal(mi_repository_open(&repo, file, true, &err), MI_RESULT_OK);
    assert_true(mi_repository_has_namespace(repo, "root/cimv2"));
    assert_true(mi_repository_has_namespace(repo, "ROOT/interop"));
    compile(repo, qualifiers, "root/test");
    compile(repo, model, "root/test");
    assert_int_equal(mi_repository_count_classes(repo, "root/test"), 5);
    assert_int_equal(mi_repository_count_instances(repo, "root/test"), 8);
    assert_int_equal(mi_repository_count_references(repo, "root/test"), 8);
    mi_repository_close(repo);

    /* everything comes back from the file */
    assert_int_equal(mi_repository_open(&repo, file, false, &err), MI_RESULT_OK);
    const mi_class *sub = mi_repository_find_class(repo, "root/test", "test_asub");
    assert_non_null(sub);
    assert_string_equal(sub->name, "Test_ASub");
    assert_string_equal(sub->superclass->name, "Test_A");
    assert_int_equal(sub->property_count, 3);
    assert_int_equal(sub->key_count, 1);
    assert_true(mi_repository_class_is_a(repo, "root/test", "Test_AB", "test_ab"));
    const mi_class *ab = mi_repository_find_class(repo, "root/test", "Test_AB");
    assert_true(ab->flags & MI_FLAG_ASSOCIATION);
    assert_string_equal(mi_qualifier_list_find(&ab->qualifiers, "Description")->value.string,
                        "links");
    const mi_qualifier_decl *key = mi_repository_find_qualifier(repo, "root/test", "key");
    assert_non_null(key);
    assert_true(key->flavor & MI_FLAG_DISABLEOVERRIDE);

    MI_Instance *path = resolved_path(repo, "root/test", "Test_A.Id=\"a1\"");
    MI_Instance *a1;
    assert_int_equal(mi_repository_get_instance(repo, "root/test", path, &a1, &err), MI_RESULT_OK);
    MI_Value v;
    MI_Type type;
    MI_Uint32 flags;
    assert_int_equal(MI_Instance_GetElement(a1, "Label", &v, &type, &flags, NULL), MI_RESULT_OK);
    assert_string_equal(v.string, "first");
    assert_int_equal(MI_Instance_GetElement(a1, "Id", &v, &type, &flags, NULL), MI_RESULT_OK);
    assert_true(flags & MI_FLAG_KEY);
    assert_string_equal(mi_instance_namespace(a1), "root/test");
    mi_instance_delete(a1);
    mi_instance_delete(path);

    path = resolved_path(repo, "root/test", "Test_A.Id=\"nobody\"");
    assert_int_equal(mi_repository_get_instance(repo, "root/test", path, &a1, &err),
                     MI_RESULT_NOT_FOUND);
    assert_int_equal(mi_repository_get_instance(repo, "root/nowhere", path, &a1, &err),
                     MI_RESULT_INVALID_NAMESPACE);
    mi_instance_delete(path);
    mi_repository_close(repo);
}

typedef struct seen {
    char text[1024];
    int count;
} seen;

static bool collect(void *context, MI_Instance *referrer, const char *property)
{
    seen *s = context;
    size_t used = strlen(s->text);
    snprintf(s->text + used, sizeof s->text - used, "%s.%s;", mi_instance_class_name(referrer),
             property);
    s->count++;
    return true;
}

static void test_reference_index(void **state)
{
    (void)state;
    mi_repository *repo;
    assert_int_equal(mi_repository_open(&repo, ":memory:", true, NULL), MI_RESULT_OK);
    compile(repo, qualifiers, "root/test");
    compile(repo, model, "root/test");
    MI_Instance *path = resolved_path(repo, "root/test", "Test_A.Id=\"a1\"");
    seen s = {"", 0};
    assert_int_equal(mi_repository_referrers(repo, "root/test", path, collect, &s, NULL),
                     MI_RESULT_OK);
    /* rows in index order; what matters is the set */
    assert_int_equal(s.count, 3);
    assert_non_null(strstr(s.text, "Test_AB.Left;"));
    assert_non_null(strstr(s.text, "Test_AA.Parent;"));
    assert_non_null(strstr(s.text, "Test_AA.Child;"));
    mi_instance_delete(path);

    path = resolved_path(repo, "root/test", "Test_B.Id=\"b1\"");
    seen b = {"", 0};
    assert_int_equal(mi_repository_referrers(repo, "root/test", path, collect, &b, NULL),
                     MI_RESULT_OK);
    assert_int_equal(b.count, 2);
    assert_string_equal(b.text, "Test_AB.Right;Test_AB.Right;");
    mi_instance_delete(path);
    mi_repository_close(repo);
}

static void test_failed_compile_changes_nothing(void **state)
{
    (void)state;
    mi_repository *repo;
    assert_int_equal(mi_repository_open(&repo, ":memory:", true, NULL), MI_RESULT_OK);
    compile(repo, qualifiers, "root/test");
    compile(repo, model, "root/test");
    /* a new class and instance, then one that exists: the whole compile is refused */
    mi_schema_store store = mi_repository_store(repo);
    static const char more[] = "class Test_C { [Key] string Id; };\n"
                               "instance of Test_C { Id = \"c\"; };\n"
                               "instance of Test_A { Id = \"a1\"; };\n";
    mi_mof_options options = {.namespace_name = "root/test"};
    mi_error err = {0};
    assert_int_equal(
        mi_mof_compile_string(&store, "more.mof", more, sizeof more - 1, &options, NULL, &err),
        MI_RESULT_FAILED);
    assert_non_null(strstr(err.message, "already exists in namespace root/test"));
    assert_int_equal(mi_repository_count_classes(repo, "root/test"), 5);
    assert_int_equal(mi_repository_count_instances(repo, "root/test"), 8);
    assert_null(mi_repository_find_class(repo, "root/test", "Test_C"));

    /* the store itself refuses a batch that conflicts, and rolls it back */
    mi_schema_batch batch = MI_SCHEMA_BATCH_INIT;
    mi_class *c = NULL, *again = NULL;
    assert_int_equal(mi_class_new(&c, "Test_D", NULL, NULL), MI_RESULT_OK);
    assert_int_equal(mi_class_new(&again, "Test_A", NULL, NULL), MI_RESULT_OK);
    assert_int_equal(mi_batch_add_class(&batch, "root/test", c), MI_RESULT_OK);
    assert_int_equal(mi_batch_add_class(&batch, "root/test", again), MI_RESULT_OK);
    assert_int_equal(mi_repository_apply(repo, &batch, &err), MI_RESULT_ALREADY_EXISTS);
    mi_batch_free(&batch);
    assert_null(mi_repository_find_class(repo, "root/test", "Test_D"));
    assert_int_equal(mi_repository_count_classes(repo, "root/test"), 5);
    mi_repository_close(repo);
}

static char *file_bytes(const char *path, size_t *len)
{
    return mi_test_read_file(path, len);
}

static void test_foreign_files_are_refused(void **state)
{
    (void)state;
    char text_file[128], other_db[128], versioned[128];
    path_in_dir(text_file, sizeof text_file, "notes.txt");
    FILE *f = fopen(text_file, "w");
    assert_non_null(f);
    fputs("these are not the tables you are looking for\n", f);
    fclose(f);
    size_t before_len, after_len;
    char *before = file_bytes(text_file, &before_len);
    mi_repository *repo;
    mi_error err = {0};
    assert_int_equal(mi_repository_open(&repo, text_file, true, &err), MI_RESULT_FAILED);
    assert_non_null(strstr(err.message, "is not a libmi repository"));
    char *after = file_bytes(text_file, &after_len);
    assert_int_equal(before_len, after_len);
    assert_memory_equal(before, after, before_len);
    free(before);
    free(after);

    path_in_dir(other_db, sizeof other_db, "other.db");
    sqlite3 *db;
    assert_int_equal(sqlite3_open(other_db, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (1);", NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(mi_repository_open(&repo, other_db, true, &err), MI_RESULT_FAILED);
    assert_non_null(strstr(err.message, "an SQLite database but not a libmi repository"));

    path_in_dir(versioned, sizeof versioned, "v3.db");
    assert_int_equal(mi_repository_open(&repo, versioned, true, &err), MI_RESULT_OK);
    mi_repository_close(repo);
    assert_int_equal(sqlite3_open(versioned, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE meta SET value = 6 WHERE key = 'schema_version'",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(mi_repository_open(&repo, versioned, false, &err), MI_RESULT_FAILED);
    assert_non_null(strstr(err.message, "schema version 6; this library reads version 5"));
}

typedef struct edge_walk {
    char text[2048];
    int count;
    uint64_t hash, check; /* the last edge's result */
    bool ordered;
} edge_walk;

static bool collect_edge(void *context, const mi_edge *e)
{
    edge_walk *w = context;
    size_t used = strlen(w->text);
    snprintf(w->text + used, sizeof w->text - used, "%s/%s>%s;", e->assoc_class, e->role,
             e->target_canonical);
    if (w->count && ((int64_t)e->target_hash < (int64_t)w->hash ||
                     (e->target_hash == w->hash && (int64_t)e->target_check < (int64_t)w->check)))
        w->ordered = false;
    w->hash = e->target_hash;
    w->check = e->target_check;
    w->count++;
    return true;
}

/* All edges from path, read limit at a time. */
static edge_walk walk_edges(mi_repository *repo, const char *path_text, size_t limit)
{
    MI_Instance *path = resolved_path(repo, "root/test", path_text);
    edge_walk w = {.ordered = true};
    mi_edge_position at = {0};
    int pages = 0;
    while (!at.finished && pages++ < 100)
        assert_int_equal(
            mi_repository_edges(repo, "root/test", path, limit, &at, collect_edge, &w, NULL),
            MI_RESULT_OK);
    assert_true(at.finished);
    mi_edge_position_clear(&at);
    mi_instance_delete(path);
    return w;
}

/* A connection sees what another committed since its last read: reading leaves no
 * snapshot pinned behind it (a statement left unreset would keep the old one). */
static void sees_other_connections_commits(bool keep)
{
    char file[128];
    path_in_dir(file, sizeof file, keep ? "shared-kept.db" : "shared.db");
    mi_repository *writer, *reader;
    mi_error err = {0};
    assert_int_equal(mi_repository_open(&writer, file, true, &err), MI_RESULT_OK);
    compile(writer, qualifiers, "root/test");
    compile(writer, model, "root/test");
    assert_int_equal(mi_repository_open(&reader, file, false, &err), MI_RESULT_OK);
    if (keep)
        mi_repository_keep_snapshots(reader);
    for (int round = 0; round < 4; round++) {
        char text[128], late[64];
        snprintf(late, sizeof late, "Test_A.Id=\"late%d\"", round);
        MI_Instance *path = resolved_path(reader, "root/test", late);
        MI_Instance *found = NULL;
        mi_repository_read_begin(reader); /* a scope: a kept snapshot outlives it */
        assert_int_equal(mi_repository_get_instance(reader, "root/test", path, &found, &err),
                         MI_RESULT_NOT_FOUND);
        mi_repository_read_end(reader);
        snprintf(text, sizeof text, "instance of Test_A { Id = \"late%d\"; };\n", round);
        compile(writer, text, "root/test");
        if (round % 2)
            mi_repository_read_begin(reader); /* as the engine reads: in one scope */
        assert_int_equal(mi_repository_get_instance(reader, "root/test", path, &found, &err),
                         MI_RESULT_OK);
        if (round % 2)
            mi_repository_read_end(reader);
        mi_instance_delete(found);
        mi_instance_delete(path);
    }
    /* the reader writes after keeping a snapshot: the write takes the newest state */
    mi_repository_read_begin(reader);
    mi_repository_read_end(reader);
    compile(reader, "instance of Test_A { Id = \"by-reader\"; };\n", "root/test");
    MI_Instance *path = resolved_path(writer, "root/test", "Test_A.Id=\"by-reader\"");
    MI_Instance *found = NULL;
    assert_int_equal(mi_repository_get_instance(writer, "root/test", path, &found, &err),
                     MI_RESULT_OK);
    mi_instance_delete(found);
    mi_instance_delete(path);
    mi_repository_close(reader);
    mi_repository_close(writer);
}

/* A connection sees what another committed since its last read: reading leaves no stale
 * snapshot behind (a statement left unreset would keep the old one), and a kept snapshot
 * is given up as soon as another connection commits. */
static void test_sees_other_connections_commits(void **state)
{
    (void)state;
    sees_other_connections_commits(false);
    sees_other_connections_commits(true);
}

/* A page at a time gives the same edges as all at once, ordered by their result. */
static void test_edges_in_pages(void **state)
{
    (void)state;
    mi_repository *repo;
    assert_int_equal(mi_repository_open(&repo, ":memory:", true, NULL), MI_RESULT_OK);
    compile(repo, qualifiers, "root/test");
    compile(repo, model, "root/test");
    edge_walk all = walk_edges(repo, "Test_A.Id=\"a1\"", 0);
    assert_int_equal(all.count, 3); /* b1 through Test_AB; a2 and as1 through Test_AA */
    assert_true(all.ordered);
    for (size_t limit = 1; limit <= 4; limit++) {
        edge_walk paged = walk_edges(repo, "Test_A.Id=\"a1\"", limit);
        assert_int_equal(paged.count, 3);
        assert_string_equal(paged.text, all.text);
    }
    mi_repository_close(repo);
}

/* A version 4 file (edges keyed by association first) is rebuilt as version 5 on a
 * writable open, keeping every edge. */
static void test_upgrade_from_version_4(void **state)
{
    (void)state;
    char file[128];
    path_in_dir(file, sizeof file, "v4.db");
    mi_repository *repo;
    mi_error err = {0};
    assert_int_equal(mi_repository_open(&repo, file, true, &err), MI_RESULT_OK);
    compile(repo, qualifiers, "root/test");
    compile(repo, model, "root/test");
    edge_walk before = walk_edges(repo, "Test_A.Id=\"a1\"", 0);
    mi_repository_close(repo);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(file, &db), SQLITE_OK);
    const char *to_4 =
        "BEGIN;"
        "CREATE TABLE edge_4(ns INTEGER NOT NULL, source_hash INTEGER NOT NULL,"
        " source_check INTEGER NOT NULL, assoc INTEGER NOT NULL, role TEXT NOT NULL,"
        " result_role TEXT NOT NULL, assoc_class INTEGER NOT NULL, target_ns INTEGER NOT NULL,"
        " target_hash INTEGER NOT NULL, target_check INTEGER NOT NULL, target INTEGER,"
        " target_path TEXT, target_class INTEGER, target_data BLOB,"
        " PRIMARY KEY(ns, source_hash, source_check, assoc, role, result_role, target_hash,"
        " target_check)) WITHOUT ROWID;"
        "INSERT INTO edge_4 SELECT * FROM edge; DROP TABLE edge;"
        "ALTER TABLE edge_4 RENAME TO edge;"
        "UPDATE meta SET value = 4 WHERE key = 'schema_version'; COMMIT;";
    assert_int_equal(sqlite3_exec(db, to_4, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(mi_repository_open(&repo, file, false, &err), MI_RESULT_OK);
    edge_walk after = walk_edges(repo, "Test_A.Id=\"a1\"", 1);
    assert_string_equal(after.text, before.text);
    assert_true(after.ordered);
    mi_repository_close(repo);
    assert_int_equal(sqlite3_open(file, &db), SQLITE_OK);
    sqlite3_stmt *s;
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &s, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), 5);
    sqlite3_finalize(s);
    sqlite3_close(db);
}

static int make_dir(void **state)
{
    (void)state;
    return mi_test_make_dir(dir, "mi-repo") ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    return mi_test_remove_dir(dir) ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_compile_reopen),
        cmocka_unit_test(test_reference_index),
        cmocka_unit_test(test_failed_compile_changes_nothing),
        cmocka_unit_test(test_foreign_files_are_refused),
        cmocka_unit_test(test_sees_other_connections_commits),
        cmocka_unit_test(test_edges_in_pages),
        cmocka_unit_test(test_upgrade_from_version_4),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
