/*
 * MI_Session_QueryInstances: every association case of ../shared/spec/vectors asked as
 * WQL (ASSOCIATORS OF / REFERENCES OF, KeysOnly for the *_names cases) must give the
 * vectors' own answers; and SELECT ... WHERE over a class with a property of every CIM
 * type, NULLs and arrays among them, whose answers the test computes itself from the
 * values it stored (a predicate in C per query, beside the WQL text).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/path.h"
#include "mof/mof.h"
#include "repo/repository.h"
#include "support.h"

#include <mi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char dir[64];
static const char *vectors;
static MI_Application app = MI_APPLICATION_NULL;
static MI_Session session = MI_SESSION_NULL;

/* The results of a query as sorted canonical paths, joined by newlines (or NULL and the
 * result). */
static char *run(const char *ns, const char *query, MI_Result *result, const MI_Char **message)
{
    static char said[1024];
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_QueryInstances(&session, 0, NULL, ns, MI_T("WQL"), query, NULL, &op);
    char **lines = NULL;
    size_t count = 0;
    MI_Boolean more = MI_TRUE;
    while (more) {
        const MI_Instance *inst = NULL;
        MI_Operation_GetInstance(&op, &inst, &more, result, message, NULL);
        char *canonical = NULL;
        if (inst && mi_path_canonical(&canonical, inst, NULL) == MI_RESULT_OK) {
            lines = realloc(lines, (count + 1) * sizeof *lines);
            lines[count++] = canonical;
        }
    }
    for (size_t i = 0; i + 1 < count; i++) /* a small sort, by byte order */
        for (size_t k = i + 1; k < count; k++)
            if (strcmp(lines[k], lines[i]) < 0) {
                char *t = lines[i];
                lines[i] = lines[k];
                lines[k] = t;
            }
    size_t size = 1;
    for (size_t i = 0; i < count; i++)
        size += strlen(lines[i]) + 1;
    char *joined = calloc(1, size);
    for (size_t i = 0; i < count; i++) {
        strcat(joined, lines[i]);
        strcat(joined, "\n");
        free(lines[i]);
    }
    free(lines);
    /* the message outlives the operation */
    if (message && *message) {
        snprintf(said, sizeof said, "%s", *message);
        *message = said;
    }
    MI_Operation_Close(&op);
    return joined;
}

static void compile(const char *repo_file, const char *ns, const char *file, const char *text)
{
    mi_repository *repo;
    assert_int_equal(mi_repository_open(&repo, repo_file, true, NULL), MI_RESULT_OK);
    mi_schema_store store = mi_repository_store(repo);
    mi_mof_options options = {.namespace_name = ns};
    mi_error err = {0};
    MI_Result r =
        file ? mi_mof_compile_file(&store, file, &options, NULL, &err)
             : mi_mof_compile_string(&store, "where.mof", text, strlen(text), &options, NULL, &err);
    if (r != MI_RESULT_OK)
        fail_msg("%s", err.message);
    mi_repository_close(repo);
}

static void open_session(const char *repo_file)
{
    setenv("MI_REPOSITORY", repo_file, 1);
    assert_int_equal(MI_Application_Initialize(0, NULL, NULL, &app), MI_RESULT_OK);
    assert_int_equal(MI_Application_NewSession(&app, NULL, NULL, NULL, NULL, NULL, &session),
                     MI_RESULT_OK);
}

static void close_session(void)
{
    MI_Session_Close(&session, NULL, NULL);
    MI_Application_Close(&app);
}

/* ---- the vectors, as queries ---- */

static int cases_run;

static void clause(char *q, size_t size, const char *name, const char *value)
{
    if (!*value)
        return;
    size_t n = strlen(q);
    snprintf(q + n, size - n, " %s = \"%s\"", name, value);
}

static void run_vector(void *context, const mi_vector_case *c)
{
    (void)context;
    bool associators = !strncmp(c->op, "associator", 10);
    bool names = strstr(c->op, "_names") != NULL;
    char q[4096];
    snprintf(q, sizeof q, "%s OF {%s} WHERE", associators ? "ASSOCIATORS" : "REFERENCES",
             c->source);
    if (associators)
        clause(q, sizeof q, "AssocClass", c->assoc_class);
    clause(q, sizeof q, "ResultClass", c->result_class);
    clause(q, sizeof q, "Role", c->role);
    if (associators)
        clause(q, sizeof q, "ResultRole", c->result_role);
    if (names)
        strcat(q, " KeysOnly");
    if (!strcmp(q + strlen(q) - 5, "WHERE"))
        q[strlen(q) - 6] = '\0'; /* no clause */
    MI_Result result = MI_RESULT_OK;
    const MI_Char *message = NULL;
    char *got = run(c->ns, q, &result, &message);
    if (c->expect_error) {
        char want[80];
        snprintf(want, sizeof want, "MI_RESULT_%s", c->error);
        if (strcmp(MI_Libmi_ResultName(result), want) != 0)
            fail_msg("case %d: %s: expected %s, got %s", c->number, q, want,
                     MI_Libmi_ResultName(result));
    } else {
        if (result != MI_RESULT_OK)
            fail_msg("case %d: %s: %s: %s", c->number, q, MI_Libmi_ResultName(result),
                     message ? message : "");
        size_t size = 1;
        for (size_t i = 0; i < c->expected_count; i++)
            size += strlen(c->expected[i]) + 1;
        char *want = calloc(1, size);
        for (size_t i = 0; i < c->expected_count; i++) {
            strcat(want, c->expected[i]);
            strcat(want, "\n");
        }
        if (strcmp(got, want) != 0)
            fail_msg("case %d: %s:\nexpected\n%sgot\n%s", c->number, q, want, got);
        free(want);
    }
    free(got);
    cases_run++;
}

static void test_vector_cases_as_queries(void **state)
{
    (void)state;
    if (!vectors)
        skip();
    static const char *const suites[] = {"basic", "cim", "edge", "keys"};
    for (size_t i = 0; i < sizeof suites / sizeof *suites; i++) {
        char repo_file[128], path[2048];
        snprintf(repo_file, sizeof repo_file, "%s/%s.db", dir, suites[i]);
        snprintf(path, sizeof path, "%s/qualifiers.mof", vectors);
        compile(repo_file, "root/test", path, NULL);
        snprintf(path, sizeof path, "%s/%s/model.mof", vectors, suites[i]);
        compile(repo_file, "root/test", path, NULL);
        open_session(repo_file);
        snprintf(path, sizeof path, "%s/%s/cases.txt", vectors, suites[i]);
        assert_true(mi_test_for_each_vector_case(path, run_vector, NULL) > 0);
        close_session();
    }
    printf("%d vector cases as WQL\n", cases_run);
    assert_true(cases_run >= 1000);
}

/* ---- WHERE over every type ---- */

/* The stored values, as the test knows them: has_* false where the MOF leaves it NULL. */
typedef struct row {
    const char *id;
    bool has_u8;
    unsigned u8;
    bool has_s64;
    long long s64;
    bool has_r64;
    double r64;
    bool has_b;
    bool b;
    const char *s; /* NULL: NULL */
    const char *d; /* DMTF datetime; NULL: NULL */
    int tags;      /* how many items of {"red","green","blue"} SA holds, from the first */
    bool has_c;
    char c;
} row;

static const row rows[] = {
    {"r1", true, 1, true, -5, true, 1.5, true, true, "Alpha", "20260101000000.000000+000", 1, true,
     'x'},
    {"r2", true, 200, true, 9000000000LL, true, -2.25, true, false, "beta",
     "20251231235959.000000+000", 2, true, 'y'},
    {"r3", false, 0, true, 0, false, 0, false, false, NULL, NULL, 0, false, 0},
    {"r4", true, 7, false, 0, true, 1e10, true, true, "Alpha-7", "20260101000000.000000+060", 3,
     true, 'x'},
    {"r5", true, 0, true, 42, true, 0.0, true, false, "gamma_ray", "20260615120000.000000+000", 0,
     false, 0},
};

static void mof_rows(char *out, size_t size)
{
    static const char *const tags[] = {"\"red\"", "\"green\"", "\"blue\""};
    size_t n = (size_t)snprintf(out, size,
                                "class Where_All { [Key] string Id; uint8 U8; sint64 S64; "
                                "real64 R64; boolean B; string S; datetime D; string SA[]; "
                                "char16 C; };\n");
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        const row *r = &rows[i];
        n += (size_t)snprintf(out + n, size - n, "instance of Where_All { Id = \"%s\";", r->id);
        if (r->has_u8)
            n += (size_t)snprintf(out + n, size - n, " U8 = %u;", r->u8);
        if (r->has_s64)
            n += (size_t)snprintf(out + n, size - n, " S64 = %lld;", r->s64);
        if (r->has_r64)
            n += (size_t)snprintf(out + n, size - n, " R64 = %.17g;", r->r64);
        if (r->has_b)
            n += (size_t)snprintf(out + n, size - n, " B = %s;", r->b ? "TRUE" : "FALSE");
        if (r->s)
            n += (size_t)snprintf(out + n, size - n, " S = \"%s\";", r->s);
        if (r->d)
            n += (size_t)snprintf(out + n, size - n, " D = \"%s\";", r->d);
        if (r->tags) {
            n += (size_t)snprintf(out + n, size - n, " SA = {");
            for (int t = 0; t < r->tags; t++)
                n += (size_t)snprintf(out + n, size - n, "%s%s", t ? ", " : "", tags[t]);
            n += (size_t)snprintf(out + n, size - n, "};");
        }
        if (r->has_c)
            n += (size_t)snprintf(out + n, size - n, " C = '%c';", r->c);
        n += (size_t)snprintf(out + n, size - n, " };\n");
    }
}

/* Datetimes as UTC minutes since 2025-12-31 00:00, from the few dates the rows use. */
static long minutes(const char *d)
{
    int y, mo, day, h, mi, off;
    char sign;
    sscanf(d, "%4d%2d%2d%2d%2d%*2d.%*6d%c%3d", &y, &mo, &day, &h, &mi, &sign, &off);
    long days = y == 2025 ? 0 : mo == 1 ? 1 : 1 + 31 + 28 + 31 + 30 + 31 + day - 1;
    if (y == 2026 && mo == 1)
        days = day;
    return days * 1440 + h * 60 + mi - (sign == '-' ? -off : off);
}

typedef bool (*predicate)(const row *r);

static bool p_u8_gt_5(const row *r)
{
    return r->has_u8 && r->u8 > 5;
}
static bool p_u8_null(const row *r)
{
    return !r->has_u8;
}
static bool p_s64_big(const row *r)
{
    return r->has_s64 && r->s64 >= 9000000000LL;
}
static bool p_s64_ne_0(const row *r)
{
    return r->has_s64 && r->s64 != 0;
}
static bool p_r64_lt(const row *r)
{
    return r->has_r64 && r->r64 < 1.5;
}
static bool p_b_true(const row *r)
{
    return r->has_b && r->b;
}
static bool p_not_b(const row *r)
{
    return r->has_b && !r->b;
}
static bool p_s_alpha(const row *r)
{
    return r->s && !strcasecmp(r->s, "ALPHA");
}
static bool p_s_like(const row *r)
{
    return r->s && !strncasecmp(r->s, "alpha", 5);
}
static bool p_s_like_set(const row *r)
{
    return r->s && (r->s[0] == 'b' || r->s[0] == 'g' || r->s[0] == 'B' || r->s[0] == 'G');
}
static bool p_s_underscore(const row *r)
{
    return r->s && strlen(r->s) == 4;
}
static bool p_s_not_null(const row *r)
{
    return r->s != NULL;
}
static bool p_d_after(const row *r)
{
    return r->d && minutes(r->d) > minutes("20260101000000.000000+000");
}
static bool p_tags_green(const row *r)
{
    return r->tags >= 2;
}
static bool p_c_x(const row *r)
{
    return r->has_c && r->c == 'x';
}
static bool p_or_and(const row *r)
{
    return (r->has_u8 && r->u8 == 1) || (r->has_b && !r->b && r->has_s64 && r->s64 > 100);
}
static bool p_not_paren(const row *r)
{
    /* NOT (U8 > 5): unknown where U8 is NULL, so r3 stays out */
    return r->has_u8 && !(r->u8 > 5);
}
static bool p_value_first(const row *r)
{
    return r->has_u8 && 5 < r->u8;
}
static bool p_class(const row *r)
{
    (void)r;
    return true;
}

static void test_where_over_every_type(void **state)
{
    (void)state;
    static char mof[8192];
    mof_rows(mof, sizeof mof);
    char repo_file[128];
    snprintf(repo_file, sizeof repo_file, "%s/where.db", dir);
    compile(repo_file, "root/test", NULL, mof);
    open_session(repo_file);
    static const struct {
        const char *where;
        predicate holds;
    } cases[] = {
        {"U8 > 5", p_u8_gt_5},
        {"U8 IS NULL", p_u8_null},
        {"S64 >= 9000000000", p_s64_big},
        {"S64 <> 0", p_s64_ne_0},
        {"R64 < 1.5", p_r64_lt},
        {"B = TRUE", p_b_true},
        {"NOT B", NULL}, /* a property alone is no condition: refused below */
        {"B = FALSE", p_not_b},
        {"S = 'ALPHA'", p_s_alpha},
        {"S LIKE 'alpha%'", p_s_like},
        {"S LIKE '[bg]%'", p_s_like_set},
        {"S LIKE '____'", p_s_underscore},
        {"S IS NOT NULL", p_s_not_null},
        {"D > '20260101000000.000000+000'", p_d_after},
        {"SA = 'green'", p_tags_green},
        {"C = 'x'", p_c_x},
        {"U8 = 1 OR (B = FALSE AND S64 > 100)", p_or_and},
        {"NOT (U8 > 5)", p_not_paren},
        {"5 < U8", p_value_first},
        {"__CLASS = 'Where_All'", p_class},
        {"__CLASS ISA 'Where_All'", p_class},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char query[256];
        snprintf(query, sizeof query, "SELECT Id FROM Where_All WHERE %s", cases[i].where);
        MI_Result result = MI_RESULT_OK;
        const MI_Char *message = NULL;
        char *got = run("root/test", query, &result, &message);
        if (!cases[i].holds) {
            if (result != MI_RESULT_INVALID_QUERY)
                fail_msg("%s: expected INVALID_QUERY, got %s", query, MI_Libmi_ResultName(result));
            free(got);
            continue;
        }
        if (result != MI_RESULT_OK)
            fail_msg("%s: %s: %s", query, MI_Libmi_ResultName(result), message ? message : "");
        char want[512] = "";
        for (size_t k = 0; k < sizeof rows / sizeof *rows; k++)
            if (cases[i].holds(&rows[k]))
                snprintf(want + strlen(want), sizeof want - strlen(want), "where_all.id=\"%s\"\n",
                         rows[k].id);
        if (strcmp(got, want) != 0)
            fail_msg("%s:\nexpected\n%sgot\n%s", query, want, got);
        free(got);
    }
    /* the selected properties hold values, the others are NULL; the keys stay */
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_QueryInstances(&session, 0, NULL, "root/test", MI_T("WQL"),
                              "SELECT S FROM Where_All WHERE Id = 'r1'", NULL, &op);
    const MI_Instance *inst = NULL;
    MI_Boolean more;
    MI_Result result;
    MI_Operation_GetInstance(&op, &inst, &more, &result, NULL, NULL);
    assert_non_null(inst);
    MI_Value v;
    MI_Uint32 flags;
    assert_int_equal(MI_Instance_GetElement(inst, "S", &v, NULL, &flags, NULL), MI_RESULT_OK);
    assert_string_equal(v.string, "Alpha");
    assert_int_equal(MI_Instance_GetElement(inst, "U8", &v, NULL, &flags, NULL), MI_RESULT_OK);
    assert_true(flags & MI_FLAG_NULL);
    assert_int_equal(MI_Instance_GetElement(inst, "Id", &v, NULL, &flags, NULL), MI_RESULT_OK);
    assert_string_equal(v.string, "r1");
    MI_Operation_Close(&op);
    /* what a query may get wrong, and how it is told */
    static const struct {
        const char *query;
        MI_Result result;
        const char *says;
    } wrong[] = {
        {"SELECT * FORM Where_All", MI_RESULT_INVALID_QUERY,
         "column 10: expected FROM, found 'FORM'"},
        {"SELECT Nope FROM Where_All", MI_RESULT_INVALID_QUERY, "no property Nope"},
        {"SELECT * FROM Where_All WHERE U8 >", MI_RESULT_INVALID_QUERY, "found the end"},
        {"SELECT * FROM Where_All WHERE (U8 = 1", MI_RESULT_INVALID_QUERY, "expected ')'"},
        {"SELECT * FROM Where_All WHERE S = 'open", MI_RESULT_INVALID_QUERY, "column"},
        {"SELECT * FROM Nowhere", MI_RESULT_INVALID_CLASS, "Nowhere"},
        {"ASSOCIATORS OF Where_All.Id='r1'", MI_RESULT_INVALID_QUERY, "{an object path}"},
        {"ASSOCIATORS OF {Where_All.Id=\"r1\"} WHERE ClassDefsOnly ResultClass = X",
         MI_RESULT_INVALID_QUERY, "exclude each other"},
        {"REFERENCES OF {Where_All.Id=\"r1\"} WHERE AssocClass = X", MI_RESULT_INVALID_QUERY,
         "AssocClass"},
        {"DELETE FROM Where_All", MI_RESULT_INVALID_QUERY, "expected SELECT"},
    };
    for (size_t i = 0; i < sizeof wrong / sizeof *wrong; i++) {
        const MI_Char *message = NULL;
        char *got = run("root/test", wrong[i].query, &result, &message);
        if (result != wrong[i].result || !message || !strstr(message, wrong[i].says))
            fail_msg("%s: expected %s saying '%s', got %s: %s", wrong[i].query,
                     MI_Libmi_ResultName(wrong[i].result), wrong[i].says,
                     MI_Libmi_ResultName(result), message ? message : "");
        free(got);
    }
    /* another language */
    MI_Session_QueryInstances(&session, 0, NULL, "root/test", MI_T("XQL"), "SELECT * FROM X", NULL,
                              &op);
    MI_Operation_GetInstance(&op, &inst, &more, &result, NULL, NULL);
    assert_int_equal(result, MI_RESULT_QUERY_LANGUAGE_NOT_SUPPORTED);
    MI_Operation_Close(&op);
    close_session();
}

static int setup(void **state)
{
    (void)state;
    return mi_test_make_dir(dir, "mi-query") ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return mi_test_remove_dir(dir) ? 0 : -1;
}

int main(void)
{
    const char *shared = mi_test_shared_dir("the association vectors (the WHERE cases run)");
    static char path[2048];
    if (shared) {
        snprintf(path, sizeof path, "%s/spec/vectors", shared);
        vectors = path;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_where_over_every_type),
        cmocka_unit_test(test_vector_cases_as_queries),
    };
    int failed = cmocka_run_group_tests(tests, setup, teardown);
    /* without the vectors only part of this ran: said so, and reported as skipped */
    return failed ? failed : vectors ? 0 : MI_TEST_SKIP;
}
