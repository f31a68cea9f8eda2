/*
 * Object paths: parsing every key form, formatting, the canonical form and hash, typed
 * equality, resolution against a class, and precise errors for malformed paths.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/class.h"
#include "core/name.h"
#include "core/instance.h"
#include "core/path.h"

#include <stdlib.h>
#include <string.h>

static MI_Instance *parse_ok(const char *text)
{
    MI_Instance *path = NULL;
    mi_error err = {0};
    MI_Result r = mi_path_parse(&path, text, &err);
    if (r != MI_RESULT_OK)
        print_error("parse of %s failed: %s\n", text, err.message);
    assert_int_equal(r, MI_RESULT_OK);
    assert_non_null(path);
    return path;
}

static char *canonical_of(const char *text)
{
    MI_Instance *path = parse_ok(text);
    char *out = NULL;
    assert_int_equal(mi_path_canonical(&out, path, NULL), MI_RESULT_OK);
    mi_instance_delete(path);
    return out;
}

static void get_key(const MI_Instance *path, const char *name, MI_Value *v, MI_Type *t)
{
    MI_Uint32 flags = 0;
    assert_int_equal(MI_Instance_GetElement(path, name, v, t, &flags, NULL), MI_RESULT_OK);
    assert_true(flags & MI_FLAG_KEY);
}

static void test_parse_every_key_form(void **state)
{
    (void)state;
    MI_Instance *p = parse_ok("//host.example.org:5988/root/cimv2:Test_Class.S=\"v\",I=7,N=-5,"
                              "U=18446744073709551615,B=true,F=FALSE,R=1.5,H=0x1F,"
                              "Ref=\"Other.K=\\\"x\\\"\"");
    const MI_Char *text;
    assert_int_equal(MI_Instance_GetClassName(p, &text), MI_RESULT_OK);
    assert_string_equal(text, "Test_Class");
    assert_int_equal(MI_Instance_GetNameSpace(p, &text), MI_RESULT_OK);
    assert_string_equal(text, "root/cimv2");
    assert_int_equal(MI_Instance_GetServerName(p, &text), MI_RESULT_OK);
    assert_string_equal(text, "host.example.org:5988");
    MI_Uint32 count;
    assert_int_equal(MI_Instance_GetElementCount(p, &count), MI_RESULT_OK);
    assert_int_equal(count, 9);

    MI_Value v;
    MI_Type t;
    get_key(p, "s", &v, &t);
    assert_int_equal(t, MI_STRING);
    assert_string_equal(v.string, "v");
    get_key(p, "I", &v, &t);
    assert_int_equal(t, MI_SINT64);
    assert_int_equal(v.sint64, 7);
    get_key(p, "N", &v, &t);
    assert_int_equal(v.sint64, -5);
    get_key(p, "U", &v, &t);
    assert_int_equal(t, MI_UINT64);
    assert_true(v.uint64 == UINT64_MAX);
    get_key(p, "B", &v, &t);
    assert_int_equal(t, MI_BOOLEAN);
    assert_true(v.boolean);
    get_key(p, "F", &v, &t);
    assert_false(v.boolean);
    get_key(p, "R", &v, &t);
    assert_int_equal(t, MI_REAL64);
    assert_true(v.real64 == 1.5);
    get_key(p, "H", &v, &t);
    assert_int_equal(v.sint64, 31);
    get_key(p, "Ref", &v, &t);
    assert_int_equal(t, MI_STRING); /* untyped until resolved against a class */
    assert_string_equal(v.string, "Other.K=\"x\"");
    mi_instance_delete(p);
}

static void test_parse_namespace_without_host(void **state)
{
    (void)state;
    MI_Instance *p = parse_ok("root/test:Test_A.Id=\"a:b\"");
    assert_string_equal(mi_instance_namespace(p), "root/test");
    MI_Value v;
    MI_Type t;
    get_key(p, "Id", &v, &t);
    assert_string_equal(v.string, "a:b");
    mi_instance_delete(p);
}

static void test_keyless_paths(void **state)
{
    (void)state;
    const char *forms[] = {"Test_Singleton", "Test_Singleton=@", "root/cimv2:Test_Singleton"};
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        MI_Instance *p = parse_ok(forms[i]);
        MI_Uint32 count = 99;
        MI_Instance_GetElementCount(p, &count);
        assert_int_equal(count, 0);
        char *c = NULL;
        assert_int_equal(mi_path_canonical(&c, p, NULL), MI_RESULT_OK);
        assert_string_equal(c, "test_singleton");
        free(c);
        mi_instance_delete(p);
    }
}

static void test_string_escapes(void **state)
{
    (void)state;
    MI_Instance *p = parse_ok("C.K=\"q\\\" b\\\\ n\\n t\\t x\\x00E9\\x4E2D\"");
    MI_Value v;
    MI_Type t;
    get_key(p, "K", &v, &t);
    assert_string_equal(v.string, "q\" b\\ n\n t\t x\xc3\xa9\xe4\xb8\xad");
    mi_instance_delete(p);
}

static void test_format_round_trip(void **state)
{
    (void)state;
    const char *texts[] = {
        "//h/root/cimv2:Class.Key1=\"v\",Key2=7,Ref=\"Other.K=\\\"x\\\"\"",
        "root/test:Key_Num.U8=255,S16=-32768,U64=18446744073709551615,S64=-9223372036854775808",
        "Key_Bool.B=TRUE,Name=\"t\"",
        "Test_R.X=2.5",
        "Test_R.X=3.0",
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        MI_Instance *p = parse_ok(texts[i]);
        char *out = NULL;
        assert_int_equal(mi_path_format(&out, p, NULL), MI_RESULT_OK);
        assert_string_equal(out, texts[i]);
        MI_Instance *again = parse_ok(out);
        assert_true(mi_path_equal(p, again));
        free(out);
        mi_instance_delete(again);
        mi_instance_delete(p);
    }
}

static void test_canonical_ignores_order_and_case(void **state)
{
    (void)state;
    char *a = canonical_of("Ex_ComputerSystem.Name=\"host1\",CreationClassName=\"Ex_CS\"");
    char *b = canonical_of("EX_COMPUTERSYSTEM.creationclassname=\"Ex_CS\",NAME=\"host1\"");
    char *c = canonical_of("//other/root/x:ex_computersystem.CreationClassName=\"Ex_CS\","
                           "Name=\"host1\"");
    assert_string_equal(a, "ex_computersystem.creationclassname=\"Ex_CS\",name=\"host1\"");
    assert_string_equal(a, b);
    assert_string_equal(a, c);
    free(a);
    free(b);
    free(c);

    MI_Instance *x = parse_ok("A.B=\"x\",a=1");
    MI_Instance *y = parse_ok("a.A=1,b=\"x\"");
    uint64_t hx, hy;
    assert_int_equal(mi_path_hash(&hx, x, NULL), MI_RESULT_OK);
    assert_int_equal(mi_path_hash(&hy, y, NULL), MI_RESULT_OK);
    assert_true(hx == hy);
    assert_true(mi_path_equal(x, y));
    mi_instance_delete(x);
    mi_instance_delete(y);
}

static void test_canonical_escapes_strings_and_references(void **state)
{
    (void)state;
    char *c = canonical_of("Key_Str.K=\"with \\\"quotes\\\" and \\\\backslash\\\\\"");
    assert_string_equal(c, "key_str.k=\"with \\\"quotes\\\" and \\\\backslash\\\\\"");
    free(c);
}

static void test_equality_is_typed(void **state)
{
    (void)state;
    struct {
        const char *a, *b;
        bool equal;
    } cases[] = {
        {"C.K=\"x\"", "c.k=\"x\"", true},
        {"C.K=\"X\"", "C.K=\"x\"", false}, /* string keys are case-sensitive */
        {"C.K=7", "C.K=\"7\"", false},     /* a number is not a string */
        {"C.K=7", "C.K=0x7", true},
        {"C.K=7", "D.K=7", false},
        {"C.K=7,L=1", "C.K=7", false},
        {"C.K=TRUE", "C.K=true", true},
        {"C.K=-1", "C.K=18446744073709551615", false},
        {"root/a:C.K=1", "root/b:C.K=1", false},
        {"root/a:C.K=1", "C.K=1", true}, /* a missing namespace is not a difference */
        {"//h1/root/a:C.K=1", "//h2/root/a:C.K=1", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        MI_Instance *a = parse_ok(cases[i].a), *b = parse_ok(cases[i].b);
        if (mi_path_equal(a, b) != cases[i].equal)
            fail_msg("%s vs %s: expected %s", cases[i].a, cases[i].b,
                     cases[i].equal ? "equal" : "different");
        mi_instance_delete(a);
        mi_instance_delete(b);
    }
}

/* ---- malformed paths: code, column and what was wrong ---- */

static void test_malformed_paths(void **state)
{
    (void)state;
    struct {
        const char *text;
        const char *message; /* exact */
    } cases[] = {
        {"", "invalid object path, column 1: expected a class name, found end of path"},
        {"1Class.K=1", "invalid object path, column 1: expected a class name, found '1'"},
        {"Class K=1",
         "invalid object path, column 6: expected '.' and keys after class name 'Class', found "
         "' '"},
        {"Class.", "invalid object path, column 7: expected a key name, found end of path"},
        {"Class.Key",
         "invalid object path, column 10: expected '=' after key name 'Key', found end of path"},
        {"Class.Key=",
         "invalid object path, column 11: expected a value for key 'Key' (a quoted string, a "
         "number, TRUE or FALSE), found end of path"},
        {"Class.Key=abc",
         "invalid object path, column 11: expected a value for key 'Key' (a quoted string, a "
         "number, TRUE or FALSE), found 'a'"},
        {"Class.Key=\"abc",
         "invalid object path, column 11: unterminated string (no closing '\"')"},
        {"Class.A=\"x\",B=\"y",
         "invalid object path, column 15: unterminated string (no closing '\"')"},
        {"Class.Key=\"a\\qb\"",
         "invalid object path, column 13: invalid escape: backslash followed by 'q'"},
        {"Class.Key=\"a\\",
         "invalid object path, column 13: unterminated string: the path ends after a backslash"},
        {"Class.Key=\"\\x\"",
         "invalid object path, column 12: invalid escape '\\x' (expected 1 to 4 hex digits "
         "naming a character other than NUL or a surrogate)"},
        {"Class.Key=\"\\xD800\"",
         "invalid object path, column 12: invalid escape '\\x' (expected 1 to 4 hex digits "
         "naming a character other than NUL or a surrogate)"},
        {"Class.Key=99999999999999999999",
         "invalid object path, column 11: integer out of range (beyond 64 bits)"},
        {"Class.Key=-9223372036854775809",
         "invalid object path, column 11: integer out of range (below -9223372036854775808)"},
        {"Class.Key=0x", "invalid object path, column 11: expected digits in a number"},
        {"Class.Key=1.2.3e", "invalid object path, column 11: malformed real number"},
        {"Class.Key=\"a\"x",
         "invalid object path, column 14: expected ',' or the end of the path after the value "
         "of key 'Key', found 'x'"},
        {"Class.Key=\"a\",", "invalid object path, column 15: expected a key name, found end of "
                             "path"},
        {"Class.Key=\"a\",kEY=1", "invalid object path, column 15: key 'kEY' is given twice"},
        {"Cl\xff"
         "ass.K=1",
         "invalid object path, column 3: invalid UTF-8"},
        {"Class.K=\"\xc3\x28\"", "invalid object path, column 10: invalid UTF-8"},
        {"Class.K=\"\xed\xa0\x80\"", "invalid object path, column 10: invalid UTF-8"},
        {"Class.K=\"\xc0\xaf\"", "invalid object path, column 10: invalid UTF-8"},
        {"Class.K=\"\xe4\xb8\"", "invalid object path, column 10: invalid UTF-8"},
        {"//", "invalid object path, column 3: expected a host name after '//'"},
        {"//host", "invalid object path, column 7: expected '/' after the host name, found end "
                   "of path"},
        {"//host/root", "invalid object path, column 12: expected ':' after the namespace, "
                        "found end of path"},
        {"//host/root:", "invalid object path, column 13: expected a class name, found end of "
                         "path"},
        {"root//cimv2:C.K=1", "invalid object path, column 6: empty namespace component"},
        {"root/:C.K=1", "invalid object path, column 6: empty namespace component"},
        {":C.K=1", "invalid object path, column 1: empty namespace before ':'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        MI_Instance *p = (MI_Instance *)1;
        mi_error err = {0};
        MI_Result r = mi_path_parse(&p, cases[i].text, &err);
        if (r != MI_RESULT_INVALID_PARAMETER || strcmp(err.message, cases[i].message) != 0)
            fail_msg("path <%s>: got %d '%s', expected '%s'", cases[i].text, r, err.message,
                     cases[i].message);
        assert_null(p);
    }
    MI_Instance *p;
    assert_int_equal(mi_path_parse(&p, NULL, NULL), MI_RESULT_INVALID_PARAMETER);
}

static void test_every_truncation_fails_cleanly(void **state)
{
    (void)state;
    const char *full = "//h/root/cimv2:Key_Link.From=\"Key_Str.K=\\\"a\\\"\",To=-12,B=TRUE";
    size_t len = strlen(full);
    char buf[128];
    for (size_t n = 0; n < len; n++) {
        memcpy(buf, full, n);
        buf[n] = '\0';
        MI_Instance *p = NULL;
        mi_error err = {0};
        MI_Result r = mi_path_parse(&p, buf, &err);
        /* some prefixes are valid paths themselves; the rest fail with a column */
        if (r == MI_RESULT_OK)
            mi_instance_delete(p);
        else
            assert_non_null(strstr(err.message, "column"));
    }
}

/* ---- resolution against classes ---- */

typedef struct model {
    mi_class *str, *num, *boolean, *link;
} model;

static mi_class *new_class(const char *name, mi_class *super)
{
    mi_class *cls;
    assert_int_equal(mi_class_new(&cls, name, super, NULL), MI_RESULT_OK);
    return cls;
}

static void add_key(mi_class *cls, const char *name, MI_Type type, const char *ref)
{
    mi_feature_spec spec = {name, type, ref, 0, MI_FLAG_KEY, NULL};
    assert_int_equal(mi_class_add_property(cls, &spec, NULL, NULL), MI_RESULT_OK);
}

static const mi_class *lookup(void *context, const char *name)
{
    model *m = context;
    mi_class *all[] = {m->str, m->num, m->boolean, m->link};
    for (size_t i = 0; i < 4; i++) {
        if (mi_name_equal(all[i]->name, name))
            return all[i];
    }
    return NULL;
}

static int setup_model(void **state)
{
    model *m = calloc(1, sizeof *m);
    m->str = new_class("Key_Str", NULL);
    add_key(m->str, "K", MI_STRING, NULL);
    m->num = new_class("Key_Num", NULL);
    add_key(m->num, "U8", MI_UINT8, NULL);
    add_key(m->num, "S16", MI_SINT16, NULL);
    add_key(m->num, "U64", MI_UINT64, NULL);
    add_key(m->num, "S64", MI_SINT64, NULL);
    m->boolean = new_class("Key_Bool", NULL);
    add_key(m->boolean, "B", MI_BOOLEAN, NULL);
    add_key(m->boolean, "Name", MI_STRING, NULL);
    m->link = new_class("Key_Link", NULL);
    add_key(m->link, "From", MI_REFERENCE, "Key_Str");
    add_key(m->link, "To", MI_REFERENCE, "Key_Num");
    *state = m;
    return 0;
}

static int teardown_model(void **state)
{
    model *m = *state;
    mi_class_unref(m->str);
    mi_class_unref(m->num);
    mi_class_unref(m->boolean);
    mi_class_unref(m->link);
    free(m);
    return 0;
}

static MI_Result resolve(model *m, const mi_class *cls, const char *text, mi_error *err,
                         MI_Instance **out)
{
    MI_Instance *p = parse_ok(text);
    MI_Result r = mi_path_resolve(p, cls, lookup, m, err);
    if (out && r == MI_RESULT_OK)
        *out = p;
    else
        mi_instance_delete(p);
    return r;
}

static void test_resolve_converts_key_types(void **state)
{
    model *m = *state;
    MI_Instance *p = NULL;
    mi_error err = {0};
    assert_int_equal(resolve(m, m->num,
                             "Key_Num.u8=255,S16=-32768,U64=18446744073709551615,"
                             "S64=-9223372036854775808",
                             &err, &p),
                     MI_RESULT_OK);
    MI_Value v;
    MI_Type t;
    get_key(p, "U8", &v, &t);
    assert_int_equal(t, MI_UINT8);
    assert_int_equal(v.uint8, 255);
    get_key(p, "S16", &v, &t);
    assert_int_equal(t, MI_SINT16);
    assert_int_equal(v.sint16, -32768);
    get_key(p, "U64", &v, &t);
    assert_int_equal(t, MI_UINT64);
    get_key(p, "S64", &v, &t);
    assert_int_equal(t, MI_SINT64);
    assert_true(v.sint64 == INT64_MIN);
    /* the declared spelling replaces the one given */
    const MI_Char *name;
    MI_Instance_GetElementAt(p, 0, &name, NULL, NULL, NULL);
    assert_string_equal(name, "U8");

    /* untyped and typed paths to the same object are equal and hash alike */
    MI_Instance *untyped = parse_ok("Key_Num.U8=255,S16=-32768,U64=18446744073709551615,"
                                    "S64=-9223372036854775808");
    assert_true(mi_path_equal(p, untyped));
    uint64_t h1, h2;
    assert_int_equal(mi_path_hash(&h1, p, NULL), MI_RESULT_OK);
    assert_int_equal(mi_path_hash(&h2, untyped, NULL), MI_RESULT_OK);
    assert_true(h1 == h2);
    mi_instance_delete(untyped);
    mi_instance_delete(p);

    /* a string of digits for an integer key, a string for a boolean */
    assert_int_equal(resolve(m, m->num, "Key_Num.U8=\"7\",S16=0,U64=0,S64=0", &err, NULL),
                     MI_RESULT_OK);
    assert_int_equal(resolve(m, m->boolean, "Key_Bool.B=\"true\",Name=\"t\"", &err, &p),
                     MI_RESULT_OK);
    get_key(p, "B", &v, &t);
    assert_int_equal(t, MI_BOOLEAN);
    assert_true(v.boolean);
    mi_instance_delete(p);
}

static void test_resolve_references(void **state)
{
    model *m = *state;
    MI_Instance *p = NULL;
    mi_error err = {0};
    assert_int_equal(resolve(m, m->link,
                             "Key_Link.From=\"Key_Str.K=\\\"plain\\\"\",To=\"Key_Num.U8=0,S16=0,"
                             "U64=0,S64=0\"",
                             &err, &p),
                     MI_RESULT_OK);
    MI_Value v;
    MI_Type t;
    get_key(p, "From", &v, &t);
    assert_int_equal(t, MI_REFERENCE);
    const MI_Char *cls;
    MI_Instance_GetClassName(v.reference, &cls);
    assert_string_equal(cls, "Key_Str");
    char *c = NULL;
    assert_int_equal(mi_path_canonical(&c, p, NULL), MI_RESULT_OK);
    assert_string_equal(
        c, "key_link.from=\"key_str.k=\\\"plain\\\"\",to=\"key_num.s16=0,s64=0,u64=0,u8=0\"");
    free(c);
    char *text = NULL;
    assert_int_equal(mi_path_format(&text, p, NULL), MI_RESULT_OK);
    assert_string_equal(text, "Key_Link.From=\"Key_Str.K=\\\"plain\\\"\",To=\"Key_Num.U8=0,S16=0,"
                              "U64=0,S64=0\"");
    free(text);
    /* a reference compares equal to the same path still held as a string */
    MI_Instance *untyped = parse_ok("key_link.to=\"key_num.s64=0,u64=0,s16=0,u8=0\","
                                    "from=\"key_str.k=\\\"plain\\\"\"");
    assert_true(mi_path_equal(p, untyped));
    assert_true(mi_path_equal(untyped, p));
    mi_instance_delete(untyped);
    mi_instance_delete(p);
}

static void test_resolve_errors_name_class_and_key(void **state)
{
    model *m = *state;
    struct {
        const mi_class *cls;
        const char *text;
        const char *message;
    } cases[] = {
        {m->num, "Key_Num.U8=256,S16=0,U64=0,S64=0",
         "key Key_Num.U8: 256 is out of range for uint8"},
        {m->num, "Key_Num.U8=-1,S16=0,U64=0,S64=0", "key Key_Num.U8: -1 is out of range for uint8"},
        {m->num, "Key_Num.U8=1,S16=32768,U64=0,S64=0",
         "key Key_Num.S16: 32768 is out of range for sint16"},
        {m->num, "Key_Num.U8=\"seven\",S16=0,U64=0,S64=0",
         "key Key_Num.U8 expects uint8, not a string value"},
        {m->num, "Key_Num.U8=1,S16=0,U64=0", "key 'S64' of class Key_Num is missing"},
        {m->num, "Key_Num.U8=1,S16=0,U64=0,S64=0,Extra=1", "'Extra' is not a key of class Key_Num"},
        {m->str, "Key_Str.K=7", "key Key_Str.K expects string, not a sint64 value"},
        {m->str, "Key_Str", "key 'K' of class Key_Str is missing"},
        {m->link,
         "Key_Link.From=\"Key_Num.U8=0,S16=0,U64=0,S64=0\",To=\"Key_Num.U8=0,S16=0,"
         "U64=0,S64=0\"",
         "key Key_Link.From refers to a Key_Num, which is not a Key_Str"},
        {m->link, "Key_Link.From=\"Key_Str.K=\",To=\"Key_Num.U8=0,S16=0,U64=0,S64=0\"",
         "key Key_Link.From: invalid object path, column 11: expected a value for key 'K' (a "
         "quoted string, a number, TRUE or FALSE), found end of path"},
        {m->link, "Key_Link.From=\"Key_Str.K=1\",To=\"Key_Num.U8=0,S16=0,U64=0,S64=0\"",
         "key Key_Str.K expects string, not a sint64 value"},
        {m->link, "Key_Link.From=TRUE,To=\"Key_Num.U8=0,S16=0,U64=0,S64=0\"",
         "key Key_Link.From expects a reference, not a boolean value"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        mi_error err = {0};
        MI_Result r = resolve(m, cases[i].cls, cases[i].text, &err, NULL);
        if (r != MI_RESULT_INVALID_PARAMETER || strcmp(err.message, cases[i].message) != 0)
            fail_msg("resolve <%s>: got %d '%s', expected '%s'", cases[i].text, r, err.message,
                     cases[i].message);
    }
}

static void test_resolve_real_keys(void **state)
{
    (void)state;
    mi_class *cls;
    assert_int_equal(mi_class_new(&cls, "Key_Real", NULL, NULL), MI_RESULT_OK);
    mi_feature_spec r32 = {"R32", MI_REAL32, NULL, 0, MI_FLAG_KEY, NULL};
    mi_feature_spec r64 = {"R64", MI_REAL64, NULL, 0, MI_FLAG_KEY, NULL};
    assert_int_equal(mi_class_add_property(cls, &r32, NULL, NULL), MI_RESULT_OK);
    assert_int_equal(mi_class_add_property(cls, &r64, NULL, NULL), MI_RESULT_OK);
    MI_Instance *p = parse_ok("Key_Real.R32=-3,R64=18446744073709551615");
    assert_int_equal(mi_path_resolve(p, cls, NULL, NULL, NULL), MI_RESULT_OK);
    MI_Value v;
    MI_Type t;
    get_key(p, "R32", &v, &t);
    assert_int_equal(t, MI_REAL32);
    assert_true(v.real32 == -3.0f);
    get_key(p, "R64", &v, &t);
    assert_int_equal(t, MI_REAL64);
    assert_true(v.real64 == 18446744073709551615.0);
    mi_instance_delete(p);
    p = parse_ok("Key_Real.R32=0.5,R64=-2.25");
    assert_int_equal(mi_path_resolve(p, cls, NULL, NULL, NULL), MI_RESULT_OK);
    get_key(p, "R32", &v, &t);
    assert_true(v.real32 == 0.5f);
    get_key(p, "R64", &v, &t);
    assert_true(v.real64 == -2.25);
    mi_instance_delete(p);
    mi_class_unref(cls);
}

static void test_format_rejects_unkeyable_values(void **state)
{
    (void)state;
    MI_Instance *inst;
    assert_int_equal(mi_instance_new(&inst, "C", NULL, NULL), MI_RESULT_OK);
    MI_Value v = {.uint8a = {NULL, 0}};
    assert_int_equal(mi_instance_add_element(inst, "A", &v, MI_UINT8A, MI_FLAG_KEY, NULL),
                     MI_RESULT_OK);
    char *out = NULL;
    mi_error err = {0};
    assert_int_equal(mi_path_canonical(&out, inst, &err), MI_RESULT_INVALID_PARAMETER);
    assert_string_equal(err.message, "key 'A' has type uint8[], which cannot be a key");
    assert_null(out);
    mi_instance_delete(inst);

    assert_int_equal(mi_instance_new(&inst, "C", NULL, NULL), MI_RESULT_OK);
    assert_int_equal(mi_instance_add_element(inst, "N", NULL, MI_STRING, MI_FLAG_KEY, NULL),
                     MI_RESULT_OK);
    assert_int_equal(mi_path_format(&out, inst, &err), MI_RESULT_INVALID_PARAMETER);
    assert_string_equal(err.message, "key 'N' has no value");
    mi_instance_delete(inst);
}

static void test_key_instance_without_key_flags(void **state)
{
    (void)state;
    /* callers sometimes build key instances without MI_FLAG_KEY: all elements count */
    MI_Instance *inst;
    assert_int_equal(mi_instance_new(&inst, "Test_A", NULL, NULL), MI_RESULT_OK);
    MI_Value v = {.string = "a1"};
    assert_int_equal(mi_instance_add_element(inst, "Id", &v, MI_STRING, 0, NULL), MI_RESULT_OK);
    char *out = NULL;
    assert_int_equal(mi_path_canonical(&out, inst, NULL), MI_RESULT_OK);
    assert_string_equal(out, "test_a.id=\"a1\"");
    free(out);
    mi_instance_delete(inst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_every_key_form),
        cmocka_unit_test(test_parse_namespace_without_host),
        cmocka_unit_test(test_keyless_paths),
        cmocka_unit_test(test_string_escapes),
        cmocka_unit_test(test_format_round_trip),
        cmocka_unit_test(test_canonical_ignores_order_and_case),
        cmocka_unit_test(test_canonical_escapes_strings_and_references),
        cmocka_unit_test(test_equality_is_typed),
        cmocka_unit_test(test_malformed_paths),
        cmocka_unit_test(test_every_truncation_fails_cleanly),
        cmocka_unit_test_setup_teardown(test_resolve_converts_key_types, setup_model,
                                        teardown_model),
        cmocka_unit_test_setup_teardown(test_resolve_references, setup_model, teardown_model),
        cmocka_unit_test_setup_teardown(test_resolve_errors_name_class_and_key, setup_model,
                                        teardown_model),
        cmocka_unit_test(test_resolve_real_keys),
        cmocka_unit_test(test_format_rejects_unkeyable_values),
        cmocka_unit_test(test_key_instance_without_key_flags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
