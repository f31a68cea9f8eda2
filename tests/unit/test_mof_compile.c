/*
 * What valid MOF compiles to: literals of every type, aliases used before they are
 * declared, references as object-path strings, namespaces, includes and search paths,
 * byte order marks, keywords in any case, qualifier flavors, methods, embedded instances,
 * and compiles that build on what an earlier compile stored.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "catalog/catalog.h"
#include "core/instance.h"
#include "core/path.h"
#include "core/strbuf.h"
#include "mof/mof.h"
#include "support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct fixture {
    mi_catalog *catalog;
    mi_schema_store store;
    mi_strbuf diagnostics;
    mi_mof_stats stats;
    mi_error err;
} fixture;

static void collect(void *context, const mi_mof_diagnostic *d)
{
    fixture *f = context;
    mi_strbuf_puts(&f->diagnostics, d->text);
    mi_strbuf_putc(&f->diagnostics, '\n');
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || mi_catalog_new(&f->catalog) != MI_RESULT_OK)
        return -1;
    f->store = mi_catalog_store(f->catalog);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    mi_catalog_free(f->catalog);
    mi_strbuf_free(&f->diagnostics);
    free(f);
    return 0;
}

static MI_Result compile_with(fixture *f, const char *text, const mi_mof_options *given)
{
    mi_strbuf_free(&f->diagnostics);
    mi_mof_options options = given ? *given : (mi_mof_options){0};
    options.on_diagnostic = collect;
    options.context = f;
    return mi_mof_compile_string(&f->store, "test.mof", text, strlen(text), &options, &f->stats,
                                 &f->err);
}

/* Compiles text and requires success without diagnostics. */
static void compile_ok(fixture *f, const char *text)
{
    MI_Result r = compile_with(f, text, NULL);
    if (r != MI_RESULT_OK || f->diagnostics.len)
        fail_msg("compile failed (%d): %s\n%s", (int)r, f->err.message,
                 f->diagnostics.data ? f->diagnostics.data : "");
}

typedef struct lookup {
    mi_catalog *catalog;
    const char *ns;
} lookup;

static const mi_class *find_class(void *context, const char *name)
{
    lookup *l = context;
    return mi_catalog_find_class(l->catalog, l->ns, name);
}

/* The stored instance a path names (resolved against its class first, as keys are typed). */
static const MI_Instance *instance(fixture *f, const char *ns, const char *path_text)
{
    MI_Instance *path;
    mi_error err;
    assert_int_equal(mi_path_parse(&path, path_text, NULL), MI_RESULT_OK);
    lookup l = {f->catalog, ns};
    const mi_class *cls = find_class(&l, mi_instance_class_name(path));
    assert_non_null(cls);
    if (mi_path_resolve(path, cls, find_class, &l, &err) != MI_RESULT_OK)
        fail_msg("%s: %s", path_text, err.message);
    const MI_Instance *found = mi_catalog_find_instance(f->catalog, ns, path);
    mi_instance_delete(path);
    if (!found)
        fail_msg("no instance %s in %s", path_text, ns);
    return found;
}

static MI_Value element(const MI_Instance *inst, const char *name, MI_Type expected_type)
{
    MI_Value value;
    MI_Type type;
    MI_Uint32 flags;
    assert_int_equal(MI_Instance_GetElement(inst, name, &value, &type, &flags, NULL), MI_RESULT_OK);
    assert_int_equal(type, expected_type);
    assert_false(flags & MI_FLAG_NULL);
    return value;
}

static void test_literals_of_every_type(void **state)
{
    fixture *f = *state;
    compile_ok(f, "class T { [Key] string K;\n"
                  "  uint8 U8; sint8 S8; uint16 U16; sint16 S16; uint32 U32; sint32 S32;\n"
                  "  uint64 U64; sint64 S64; real32 R32; real64 R64; char16 C; boolean B;\n"
                  "  datetime D; datetime I; string S; string A[]; uint32 Fixed[3]; string N; };\n"
                  "instance of T { K = \"k\"; U8 = 0xFF; S8 = -128; U16 = 0177; S16 = -0x10;\n"
                  "  U32 = 1010b; S32 = -2147483648; U64 = 18446744073709551615;\n"
                  "  S64 = -9223372036854775808; R32 = 1.5; R64 = -2.5e-3; C = '\\x263A';\n"
                  "  B = TRUE; D = \"20261126103000.000000+060\";\n"
                  "  I = \"00000001020304.000005:000\";\n"
                  "  S = \"one \" \"two\\t\"\n   \"\\\"q\\\"\" \"\\\\ caf\\xE9\";\n"
                  "  A = {\"x\", \"y\"}; Fixed = {1, 2}; N = NULL; };\n");
    const MI_Instance *t = instance(f, "root/cimv2", "T.K=\"k\"");
    assert_int_equal(element(t, "U8", MI_UINT8).uint8, 255);
    assert_int_equal(element(t, "S8", MI_SINT8).sint8, -128);
    assert_int_equal(element(t, "U16", MI_UINT16).uint16, 127);
    assert_int_equal(element(t, "S16", MI_SINT16).sint16, -16);
    assert_int_equal(element(t, "U32", MI_UINT32).uint32, 10);
    assert_int_equal(element(t, "S32", MI_SINT32).sint32, INT32_MIN);
    assert_true(element(t, "U64", MI_UINT64).uint64 == UINT64_MAX);
    assert_true(element(t, "S64", MI_SINT64).sint64 == INT64_MIN);
    assert_true(element(t, "R32", MI_REAL32).real32 == 1.5f);
    assert_true(fabs(element(t, "R64", MI_REAL64).real64 + 0.0025) < 1e-12);
    assert_int_equal(element(t, "C", MI_CHAR16).char16, 0x263A);
    assert_true(element(t, "B", MI_BOOLEAN).boolean);
    MI_Datetime d = element(t, "D", MI_DATETIME).datetime;
    assert_true(d.isTimestamp);
    assert_int_equal(d.u.timestamp.year, 2026);
    assert_int_equal(d.u.timestamp.day, 26);
    assert_int_equal(d.u.timestamp.utc, 60);
    MI_Datetime i = element(t, "I", MI_DATETIME).datetime;
    assert_false(i.isTimestamp);
    assert_int_equal(i.u.interval.days, 1);
    assert_int_equal(i.u.interval.seconds, 4);
    assert_int_equal(i.u.interval.microseconds, 5);
    assert_string_equal(element(t, "S", MI_STRING).string, "one two\t\"q\"\\ caf\xC3\xA9");
    MI_StringA a = element(t, "A", MI_STRINGA).stringa;
    assert_int_equal(a.size, 2);
    assert_string_equal(a.data[1], "y");
    assert_int_equal(element(t, "Fixed", MI_UINT32A).uint32a.size, 2);
    MI_Value value;
    MI_Type type;
    MI_Uint32 flags;
    assert_int_equal(MI_Instance_GetElement(t, "N", &value, &type, &flags, NULL), MI_RESULT_OK);
    assert_true(flags & MI_FLAG_NULL);
    assert_string_equal(mi_instance_namespace(t), "root/cimv2");
}

static void test_aliases_paths_and_namespaces(void **state)
{
    fixture *f = *state;
    /* The association and the instances come before what they name. */
    compile_ok(f, "#pragma namespace (\"root/test\")\n"
                  "[Association] class L { [Key] N REF A; [Key] N REF B; };\n"
                  "instance of L { A = $n1; B = \"N.Id=\\\"n2\\\"\"; };\n"
                  "instance of NSub as $n1 { Id = \"n1\"; };\n"
                  "class NSub : N { };\n"
                  "class N { [Key] string Id; };\n"
                  "instance of N as $n2 { Id = \"n2\"; };\n"
                  "#pragma namespace (\"root/other\")\n"
                  "class N { [Key] string Id; };\n"
                  "#pragma namespace (\"\\\\\\\\.\\\\root\\\\wmi\")\n" /* WMI's form */
                  "class W { };\n");
    assert_int_equal(f->stats.classes, 5);
    assert_non_null(mi_catalog_find_class(f->catalog, "root/wmi", "W"));
    assert_int_equal(mi_catalog_instance_count(f->catalog, "root/test"), 3);
    assert_int_equal(mi_catalog_class_count(f->catalog, "root/other"), 1);
    assert_int_equal(mi_catalog_class_count(f->catalog, "root/cimv2"), 0);
    const MI_Instance *link =
        instance(f, "root/test", "L.A=\"NSub.Id=\\\"n1\\\"\",B=\"N.Id=\\\"n2\\\"\"");
    MI_Instance *a = element(link, "A", MI_REFERENCE).reference;
    assert_string_equal(mi_instance_class_name(a), "NSub");
    assert_string_equal(element(a, "Id", MI_STRING).string, "n1");
    /* a path string is resolved against its class: the key took the declared type */
    MI_Instance *b = element(link, "B", MI_REFERENCE).reference;
    assert_string_equal(element(b, "Id", MI_STRING).string, "n2");
}

static void test_keywords_any_case_and_bom(void **state)
{
    fixture *f = *state;
    compile_ok(f, "\xEF\xBB\xBFqualifier Note : STRING = Null, scope(ANY);\r\n"
                  "[NOTE(\"n\"), description(\"d\")] CLASS A { [KEY] String K; BOOLEAN B = True; };"
                  "\r\n"
                  "[association] Class L { [key] A ref X; [Key] a Ref Y; };\r\n"
                  "INSTANCE OF a AS $x { k = \"x\"; };\r\n"
                  "Instance Of L { x = $X; Y = $x; };\r\n");
    const mi_class *cls = mi_catalog_find_class(f->catalog, "root/cimv2", "a");
    assert_non_null(cls);
    assert_string_equal(cls->name, "A");
    assert_non_null(mi_qualifier_list_find(&cls->qualifiers, "Note"));
    const MI_Instance *x = instance(f, "root/cimv2", "A.K=\"x\"");
    assert_true(element(x, "B", MI_BOOLEAN).boolean); /* the class default */
    assert_int_equal(mi_catalog_instance_count(f->catalog, "root/cimv2"), 2);
}

static void test_qualifier_flavors_and_methods(void **state)
{
    fixture *f = *state;
    compile_ok(f, "Qualifier Secret : string = null, Scope(class, property), Flavor(Restricted);\n"
                  "Qualifier Shared : string = null, Scope(class, property),"
                  " Flavor(DisableOverride);\n"
                  "[Secret(\"s\"), Shared(\"x\"), Description(\"base\")]\n"
                  "class A { [Key, Secret(\"p\")] string K;\n"
                  "  [Static] uint32 Run([In, Out] string Args[], [Out] A REF Result,\n"
                  "                      [In(false), Out] uint8 Code);\n"
                  "};\n"
                  "[Shared(\"x\") : Translatable] class B : A { };\n"
                  "class C : A { [Override(\"Run\"), Description(\"again\")] uint32 Run(); };\n");
    const mi_class *b = mi_catalog_find_class(f->catalog, "root/cimv2", "B");
    assert_null(mi_qualifier_list_find(&b->qualifiers, "Secret"));
    assert_non_null(mi_qualifier_list_find(&b->qualifiers, "Description"));
    const mi_qualifier *shared = mi_qualifier_list_find(&b->qualifiers, "Shared");
    assert_non_null(shared);
    assert_true(shared->flavor & MI_FLAG_TRANSLATABLE);
    assert_true(shared->flavor & MI_FLAG_DISABLEOVERRIDE);
    const mi_property *k = mi_class_find_property(b, "K", NULL);
    assert_null(mi_qualifier_list_find(&k->qualifiers, "Secret"));
    assert_true(k->flags & MI_FLAG_KEY);

    const mi_method *run = mi_class_find_method(b, "Run");
    assert_non_null(run);
    assert_int_equal(run->parameter_count, 3);
    assert_int_equal(run->parameters[0].type, MI_STRINGA);
    assert_int_equal(run->parameters[0].flags & (MI_FLAG_IN | MI_FLAG_OUT),
                     MI_FLAG_IN | MI_FLAG_OUT);
    assert_int_equal(run->parameters[1].type, MI_REFERENCE);
    assert_string_equal(run->parameters[1].ref_class, "A");
    assert_int_equal(run->parameters[1].flags & (MI_FLAG_IN | MI_FLAG_OUT),
                     MI_FLAG_IN | MI_FLAG_OUT); /* In defaults to true */
    assert_int_equal(run->parameters[2].flags & (MI_FLAG_IN | MI_FLAG_OUT), MI_FLAG_OUT);
    assert_non_null(mi_qualifier_list_find(&run->qualifiers, "Static"));

    const mi_class *c = mi_catalog_find_class(f->catalog, "root/cimv2", "C");
    const mi_method *again = mi_class_find_method(c, "Run");
    assert_int_equal(again->parameter_count, 0);
    assert_string_equal(again->origin, "A");
    assert_string_equal(mi_qualifier_list_find(&again->qualifiers, "Description")->value.string,
                        "again");
}

static void test_embedded_instances(void **state)
{
    fixture *f = *state;
    compile_ok(f, "class Note { string Text; };\n"
                  "class Holder { [Key] string K; [EmbeddedInstance(\"Note\")] string Payload; };\n"
                  "instance of Note as $note { Text = \"inside\"; };\n"
                  "instance of Holder { K = \"h\"; Payload = $note; };\n");
    const mi_class *holder = mi_catalog_find_class(f->catalog, "root/cimv2", "Holder");
    const mi_property *payload = mi_class_find_property(holder, "Payload", NULL);
    assert_int_equal(payload->type, MI_INSTANCE);
    assert_string_equal(payload->ref_class, "Note");
    const MI_Instance *h = instance(f, "root/cimv2", "Holder.K=\"h\"");
    MI_Instance *embedded = element(h, "Payload", MI_INSTANCE).instance;
    assert_string_equal(element(embedded, "Text", MI_STRING).string, "inside");
}

static void test_compiles_build_on_the_store(void **state)
{
    fixture *f = *state;
    compile_ok(f, "Qualifier Colour : string = null, Scope(property);\n"
                  "class A { [Key] string K; };\n");
    compile_ok(f, "class B : A { [Colour(\"red\")] string Shade; };\n"
                  "instance of B { K = \"b\"; Shade = \"dark\"; };\n");
    assert_int_equal(f->stats.classes, 1);
    assert_int_equal(f->stats.instances, 1);
    /* the same declarations again: nothing new may replace what is stored */
    assert_int_equal(compile_with(f, "class A { [Key] string K; };\n", NULL), MI_RESULT_FAILED);
    assert_string_equal(f->diagnostics.data,
                        "test.mof:1:7: class 'A' already exists in namespace root/cimv2\n");
    assert_int_equal(compile_with(f, "instance of B { K = \"b\"; };\n", NULL), MI_RESULT_FAILED);
    assert_string_equal(
        f->diagnostics.data,
        "test.mof:1:1: instance B.K=\"b\" already exists in namespace root/cimv2\n");
    assert_int_equal(compile_with(f, "Qualifier Colour : uint8, Scope(property);\n", NULL),
                     MI_RESULT_FAILED);
    assert_non_null(strstr(f->diagnostics.data, "cannot change to uint8"));
    /* a redeclaration of the same type is accepted */
    compile_ok(f, "Qualifier Colour : string = \"none\", Scope(property, reference);\n");
    assert_int_equal(mi_catalog_class_count(f->catalog, "root/cimv2"), 2);
    assert_int_equal(mi_catalog_instance_count(f->catalog, "root/cimv2"), 1);
    const mi_qualifier_decl *colour = mi_catalog_find_qualifier(f->catalog, "root/cimv2", "colour");
    assert_string_equal(colour->default_value.string, "none");
}

static void test_a_failed_compile_stores_nothing(void **state)
{
    fixture *f = *state;
    /* everything is fine except the last line */
    assert_int_equal(compile_with(f,
                                  "Qualifier Q : boolean = false, Scope(any);\n"
                                  "class A { [Key] string K; };\n"
                                  "instance of A { K = \"a\"; };\n"
                                  "instance of A { K = 7; };\n",
                                  NULL),
                     MI_RESULT_FAILED);
    assert_string_equal(
        f->diagnostics.data,
        "test.mof:4:21: property 'A.K': an integer value does not fit type string\n");
    assert_int_equal(mi_catalog_class_count(f->catalog, "root/cimv2"), 0);
    assert_int_equal(mi_catalog_instance_count(f->catalog, "root/cimv2"), 0);
    assert_int_equal(mi_catalog_qualifier_count(f->catalog, "root/cimv2"), 0);
    assert_false(mi_catalog_has_namespace(f->catalog, "root/cimv2"));
}

static void write_file(const char *path, const char *text)
{
    FILE *out = fopen(path, "w");
    assert_non_null(out);
    fputs(text, out);
    fclose(out);
}

static void test_includes_and_search_paths(void **state)
{
    fixture *f = *state;
    char dir[64];
    assert_true(mi_test_make_dir(dir, "mi-mof"));
    char path[512], sub[128], lib[128], main_file[128];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    snprintf(lib, sizeof lib, "%s/lib", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    assert_int_equal(mkdir(lib, 0700), 0);
    snprintf(main_file, sizeof main_file, "%s/main.mof", dir);
    write_file(main_file, "#pragma include (\"sub/a.mof\")\n"
                          "#pragma include (\"shared.mof\")\n"
                          "class Top : Shared { };\n");
    snprintf(path, sizeof path, "%s/a.mof", sub);
    /* relative to the including file (sub/), not to the first file */
    write_file(path, "#pragma include (\"b.mof\")\nclass A : B { };\n");
    snprintf(path, sizeof path, "%s/b.mof", sub);
    write_file(path, "class B { [Key] string K; };\n");
    snprintf(path, sizeof path, "%s/shared.mof", lib);
    write_file(path, "class Shared { [Key] string K; };\n");

    const char *search[] = {lib};
    mi_mof_options options = {
        .include_paths = search, .include_path_count = 1, .on_diagnostic = collect, .context = f};
    MI_Result r = mi_mof_compile_file(&f->store, main_file, &options, &f->stats, &f->err);
    if (r != MI_RESULT_OK)
        fail_msg("%s", f->err.message);
    assert_int_equal(f->stats.files, 4);
    assert_int_equal(f->stats.classes, 4);
    assert_non_null(mi_catalog_find_class(f->catalog, "root/cimv2", "Top"));

    /* without the search path, the include is reported where it is written */
    mi_strbuf_free(&f->diagnostics);
    mi_catalog *empty;
    assert_int_equal(mi_catalog_new(&empty), MI_RESULT_OK);
    mi_schema_store store = mi_catalog_store(empty);
    options.include_path_count = 0;
    assert_int_equal(mi_mof_compile_file(&store, main_file, &options, NULL, &f->err),
                     MI_RESULT_FAILED);
    char expected[1024];
    snprintf(expected, sizeof expected,
             "%s:2:18: cannot read included file 'shared.mof': No such file or directory\n"
             "%s:3:13: unknown superclass 'Shared' of class 'Top'\n",
             main_file, main_file);
    assert_string_equal(f->diagnostics.data, expected);
    assert_int_equal(mi_catalog_class_count(empty, "root/cimv2"), 0);
    mi_catalog_free(empty);

    /* a missing first file */
    snprintf(path, sizeof path, "%s/absent.mof", dir);
    assert_int_equal(mi_mof_compile_file(&f->store, path, NULL, NULL, &f->err),
                     MI_RESULT_NOT_FOUND);
    assert_non_null(strstr(f->err.message, "absent.mof: cannot read MOF file"));

    assert_true(mi_test_remove_dir(dir));
}

/* Long chains cost no stack: a deep hierarchy up to the limit, a long list of instances
 * linked through (non-key) references; nesting through keys is bounded. */
static void test_deep_and_long_inputs(void **state)
{
    fixture *f = *state;
    mi_strbuf mof = MI_STRBUF_INIT;
    mi_strbuf_puts(&mof, "class C0 { [Key] string K; };\n");
    for (int i = 1; i < 200; i++)
        mi_strbuf_printf(&mof, "class C%d : C%d { uint32 P%d; };\n", i, i - 1, i);
    mi_strbuf_puts(&mof, "instance of C199 { K = \"deep\"; P1 = 1; P199 = 199; };\n");
    char *text = mi_strbuf_take(&mof);
    compile_ok(f, text);
    free(text);
    const mi_class *deepest = mi_catalog_find_class(f->catalog, "root/cimv2", "C199");
    assert_int_equal(deepest->property_count, 200);

    /* 300 levels in one compile: past the limit */
    mi_strbuf_puts(&mof, "class D0 { };\n");
    for (int i = 1; i < 300; i++)
        mi_strbuf_printf(&mof, "class D%d : D%d { };\n", i, i - 1);
    text = mi_strbuf_take(&mof);
    assert_int_equal(compile_with(f, text, NULL), MI_RESULT_FAILED);
    assert_string_equal(f->diagnostics.data,
                        "test.mof:257:7: class 'D256' lies more than 256 levels below its root "
                        "class\n");
    free(text);

    /* 20,000 instances, each pointing at the next one */
    mi_strbuf_puts(&mof,
                   "class Node { [Key] uint32 Id; };\n"
                   "[Association] class Next { [Key] string Id; Node REF From; Node REF To; };\n");
    for (int i = 0; i < 20000; i++)
        mi_strbuf_printf(&mof,
                         "instance of Node as $n%d { Id = %d; };\n"
                         "instance of Next { Id = \"%d\"; From = $n%d; To = $n%d; };\n",
                         i, i, i, i, i + 1 < 20000 ? i + 1 : 0);
    text = mi_strbuf_take(&mof);
    compile_ok(f, text);
    free(text);
    assert_int_equal(f->stats.instances, 40000);

    /* reference keys through 40 levels */
    mi_strbuf_puts(&mof, "class Leaf { [Key] string K; };\n"
                         "[Association] class Up { [Key] Up REF Parent; [Key] Leaf REF Self; };\n"
                         "instance of Leaf as $leaf { K = \"l\"; };\n");
    for (int i = 0; i < 40; i++)
        mi_strbuf_printf(&mof, "instance of Up as $u%d { Parent = $u%d; Self = $leaf; };\n", i,
                         i + 1);
    mi_strbuf_puts(&mof, "instance of Up as $u40 { Self = $leaf; };\n");
    text = mi_strbuf_take(&mof);
    assert_int_equal(compile_with(f, text, NULL), MI_RESULT_FAILED);
    assert_non_null(strstr(f->diagnostics.data, "reference keys nest more than 32 levels deep"));
    free(text);
}

/* Even when the Key qualifier is declared overridable, a subclass cannot drop a key. */
static void test_keys_stay_keys(void **state)
{
    fixture *f = *state;
    assert_int_equal(compile_with(f,
                                  "Qualifier Key : boolean = false, Scope(property, reference),"
                                  " Flavor(EnableOverride, ToSubclass);\n"
                                  "class A { [Key] string K; };\n"
                                  "class B : A { [Override(\"K\"), Key(false)] string K; };\n",
                                  NULL),
                     MI_RESULT_FAILED);
    assert_string_equal(f->diagnostics.data,
                        "test.mof:3:50: property 'B.K': a subclass cannot remove the key 'K' of "
                        "'A'\n");
}

static void test_embedded_cycle(void **state)
{
    fixture *f = *state;
    assert_int_equal(compile_with(f,
                                  "class Box { [Key] string K; [EmbeddedObject] string Inner; };\n"
                                  "instance of Box as $a { K = \"a\"; Inner = $b; };\n"
                                  "instance of Box as $b { K = \"b\"; Inner = $a; };\n",
                                  NULL),
                     MI_RESULT_FAILED);
    assert_string_equal(f->diagnostics.data, "test.mof:2:1: instance of 'Box' embeds itself\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_literals_of_every_type, setup, teardown),
        cmocka_unit_test_setup_teardown(test_aliases_paths_and_namespaces, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keywords_any_case_and_bom, setup, teardown),
        cmocka_unit_test_setup_teardown(test_qualifier_flavors_and_methods, setup, teardown),
        cmocka_unit_test_setup_teardown(test_embedded_instances, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compiles_build_on_the_store, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_failed_compile_stores_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_includes_and_search_paths, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deep_and_long_inputs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_embedded_cycle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keys_stay_keys, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
