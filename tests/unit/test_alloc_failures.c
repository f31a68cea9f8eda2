/*
 * Out of memory on every allocation, one at a time: each core operation fails with an
 * error code (never a crash) and leaves nothing behind (the sanitizer build checks for
 * leaks at exit). The library's allocation calls are routed through the wrappers below by
 * the linker (--wrap), so the n-th one can be made to fail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "catalog/catalog.h"
#include "core/class.h"
#include "core/instance.h"
#include "core/path.h"
#include "core/value.h"
#include "mof/mof.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void *__real_malloc(size_t size);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *ptr, size_t size);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t count, size_t size);
void *__wrap_realloc(void *ptr, size_t size);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

static long countdown = -1; /* fail when it reaches 0; -1: never */
static bool injected;

static bool should_fail(void)
{
    if (countdown < 0)
        return false;
    if (countdown-- == 0) {
        injected = true;
        return true;
    }
    return false;
}

void *__wrap_malloc(size_t size)
{
    return should_fail() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t count, size_t size)
{
    return should_fail() ? NULL : __real_calloc(count, size);
}

void *__wrap_realloc(void *ptr, size_t size)
{
    return should_fail() ? NULL : __real_realloc(ptr, size);
}

char *__wrap_strdup(const char *s)
{
    return should_fail() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
    return should_fail() ? NULL : __real_strndup(s, n);
}

typedef MI_Result (*operation)(void);

/* Runs op with the n-th allocation failing, for n = 0, 1, ... until it runs through with
 * no failure injected; every injected failure must surface as an error. */
static void exhaust(const char *what, operation op)
{
    for (long n = 0;; n++) {
        injected = false;
        countdown = n;
        MI_Result r = op();
        countdown = -1;
        if (!injected) {
            if (r != MI_RESULT_OK)
                fail_msg("%s fails (%d) without any allocation failure", what, r);
            print_message("%s: %ld allocation failures survived\n", what, n);
            return;
        }
        if (r == MI_RESULT_OK)
            continue; /* the failed allocation was optional (e.g. an error message) */
        assert_true(r == MI_RESULT_SERVER_LIMITS_EXCEEDED || r == MI_RESULT_INVALID_PARAMETER);
    }
}

static mi_class *str_class, *link_class;

static const mi_class *lookup(void *context, const char *name)
{
    (void)context;
    return strcasecmp(name, "Key_Str") == 0 ? str_class : NULL;
}

static MI_Result parse_resolve_format(void)
{
    MI_Instance *path = NULL;
    char *text = NULL, *canonical = NULL;
    MI_Result r = mi_path_parse(&path,
                                "//h/root/test:Key_Link.From=\"Key_Str.K=\\\"a\\\\b\\\"\","
                                "To=18446744073709551615",
                                NULL);
    if (r == MI_RESULT_OK)
        r = mi_path_resolve(path, link_class, lookup, NULL, NULL);
    if (r == MI_RESULT_OK)
        r = mi_path_format(&text, path, NULL);
    if (r == MI_RESULT_OK)
        r = mi_path_canonical(&canonical, path, NULL);
    uint64_t hash;
    if (r == MI_RESULT_OK)
        r = mi_path_hash(&hash, path, NULL);
    free(text);
    free(canonical);
    mi_instance_delete(path);
    return r;
}

static MI_Result build_and_clone_instance(void)
{
    MI_Instance *inst = NULL, *ref = NULL, *copy = NULL;
    MI_Result r = mi_instance_new(&inst, NULL, link_class, NULL);
    if (r == MI_RESULT_OK)
        r = mi_instance_new(&ref, "Key_Str", NULL, NULL);
    MI_Value v = {.string = "x"};
    if (r == MI_RESULT_OK)
        r = mi_instance_add_element(ref, "K", &v, MI_STRING, MI_FLAG_KEY, NULL);
    v.reference = ref;
    if (r == MI_RESULT_OK)
        r = mi_instance_set_element(inst, "From", &v, MI_REFERENCE, 0, NULL);
    if (r == MI_RESULT_OK)
        r = MI_Instance_SetNameSpace(inst, "root/test");
    if (r == MI_RESULT_OK)
        r = mi_instance_clone(inst, &copy);
    MI_Char *words[] = {"a", "b", "c"};
    MI_Value array = {.stringa = {words, 3}};
    if (r == MI_RESULT_OK)
        r = mi_instance_add_element(ref, "Words", &array, MI_STRINGA, 0, NULL);
    mi_instance_delete(copy);
    mi_instance_delete(ref);
    mi_instance_delete(inst);
    return r;
}

static MI_Result build_class_hierarchy(void)
{
    mi_class *base = NULL, *sub = NULL;
    MI_Result r = mi_class_new(&base, "Test_Base", NULL, NULL);
    mi_feature_spec key = {"Name", MI_STRING, NULL, 0, MI_FLAG_KEY, NULL};
    MI_Value def = {.uint32 = 3};
    mi_feature_spec count = {"Count", MI_UINT32, NULL, 0, 0, &def};
    uint32_t at = 0;
    if (r == MI_RESULT_OK)
        r = mi_class_add_property(base, &key, NULL, NULL);
    if (r == MI_RESULT_OK)
        r = mi_class_add_property(base, &count, &at, NULL);
    MI_Value text = {.string = "units"};
    if (r == MI_RESULT_OK)
        r = mi_qualifier_list_add(&base->properties[at].qualifiers, "Units", MI_STRING, &text,
                                  MI_FLAG_TOSUBCLASS, NULL);
    if (r == MI_RESULT_OK)
        r = mi_class_add_method(base, "Go", MI_UINT32, &at, NULL);
    mi_feature_spec param = {"Speed", MI_UINT32, NULL, 0, MI_FLAG_IN, NULL};
    if (r == MI_RESULT_OK)
        r = mi_method_add_parameter(&base->methods[at], &param, NULL, NULL);
    if (r == MI_RESULT_OK)
        r = mi_class_new(&sub, "Test_Sub", base, NULL);
    if (r == MI_RESULT_OK)
        r = mi_class_add_property(sub, &count, NULL, NULL);
    if (r == MI_RESULT_OK)
        r = mi_class_add_method(sub, "Go", MI_SINT32, NULL, NULL);
    mi_class_unref(sub);
    mi_class_unref(base);
    return r;
}

/* A compile that touches every phase; on failure the catalogue must hold nothing. */
static MI_Result compile_mof(void)
{
    static const char mof[] =
        "Qualifier Colour : string = \"none\", Scope(property, class), Flavor(Restricted);\n"
        "[Abstract, Colour(\"grey\")] class T_Base { [Key] string Id; string Tags[] = {\"a\"};\n"
        "  uint32 Go([In] uint32 Speed, [Out] T_Base REF Result); };\n"
        "class T_Node : T_Base { [Override(\"Tags\")] string Tags[];\n"
        "  [EmbeddedInstance(\"T_Note\")] string Note; };\n"
        "class T_Note { string Text; };\n"
        "[Association] class T_Link { [Key] T_Node REF A; [Key] T_Node REF B; };\n"
        "instance of T_Link { A = $n1; B = \"T_Node.Id=\\\"n2\\\"\"; };\n"
        "instance of T_Note as $note { Text = \"hello\"; };\n"
        "instance of T_Node as $n1 { Id = \"n1\"; Tags = {\"x\", \"y\"}; Note = $note; };\n"
        "instance of T_Node as $n2 { Id = \"n2\"; };\n";
    mi_catalog *catalog = NULL;
    if (mi_catalog_new(&catalog) != MI_RESULT_OK)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    mi_schema_store store = mi_catalog_store(catalog);
    mi_mof_stats stats;
    MI_Result r =
        mi_mof_compile_string(&store, "alloc.mof", mof, sizeof mof - 1, NULL, &stats, NULL);
    if (r == MI_RESULT_OK) {
        assert_int_equal(stats.classes, 4);
        assert_int_equal(mi_catalog_instance_count(catalog, "root/cimv2"), 4);
    } else {
        assert_false(mi_catalog_has_namespace(catalog, "root/cimv2"));
    }
    mi_catalog_free(catalog);
    return r;
}

static int setup(void **state)
{
    (void)state;
    assert_int_equal(mi_class_new(&str_class, "Key_Str", NULL, NULL), MI_RESULT_OK);
    mi_feature_spec k = {"K", MI_STRING, NULL, 0, MI_FLAG_KEY, NULL};
    assert_int_equal(mi_class_add_property(str_class, &k, NULL, NULL), MI_RESULT_OK);
    assert_int_equal(mi_class_new(&link_class, "Key_Link", NULL, NULL), MI_RESULT_OK);
    mi_feature_spec from = {"From", MI_REFERENCE, "Key_Str", 0, MI_FLAG_KEY, NULL};
    mi_feature_spec to = {"To", MI_UINT64, NULL, 0, MI_FLAG_KEY, NULL};
    assert_int_equal(mi_class_add_property(link_class, &from, NULL, NULL), MI_RESULT_OK);
    assert_int_equal(mi_class_add_property(link_class, &to, NULL, NULL), MI_RESULT_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    mi_class_unref(link_class);
    mi_class_unref(str_class);
    return 0;
}

static void test_paths_survive_allocation_failures(void **state)
{
    (void)state;
    exhaust("parse, resolve, format, canonical, hash", parse_resolve_format);
}

static void test_instances_survive_allocation_failures(void **state)
{
    (void)state;
    exhaust("instance build and clone", build_and_clone_instance);
}

static void test_classes_survive_allocation_failures(void **state)
{
    (void)state;
    exhaust("class hierarchy", build_class_hierarchy);
}

static void test_mof_compile_survives_allocation_failures(void **state)
{
    (void)state;
    exhaust("MOF compile into a catalogue", compile_mof);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths_survive_allocation_failures),
        cmocka_unit_test(test_instances_survive_allocation_failures),
        cmocka_unit_test(test_classes_survive_allocation_failures),
        cmocka_unit_test(test_mof_compile_survives_allocation_failures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
