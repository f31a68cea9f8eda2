/*
 * The repository's binary form: classes, qualifier declarations and instances survive
 * encode -> decode unchanged, and damaged or truncated records fail cleanly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "catalog/catalog.h"
#include "core/instance.h"
#include "core/value.h"
#include "mof/mof.h"
#include "repo/codec.h"
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char model[] =
    "Qualifier Colour : string = \"none\", Scope(any), Flavor(Restricted);\n"
    "[Abstract, Colour(\"grey\"), Description(\"base\")] class T_Base {\n"
    "  [Key, MaxLen(64)] string Id; string Tags[] = {\"a\", \"b\"}; uint16 Level = 7;\n"
    "  [ValueMap{\"1\", \"2\"}, Values{\"One\", \"Two\"}] uint32 Go([In] uint32 Speed,\n"
    "     [Out] T_Base REF Result, [In(false), Out] string Notes[]); };\n"
    "class T_Node : T_Base { [Override(\"Level\")] uint16 Level = 9; real64 Weight;\n"
    "  datetime Seen; datetime Took; char16 Initial; sint64 Delta; boolean On;\n"
    "  [EmbeddedInstance(\"T_Note\")] string Note; uint8 Bytes[]; };\n"
    "class T_Note { string Text; };\n"
    "[Association] class T_Link { [Key] T_Node REF A; [Key] T_Node REF B; };\n"
    "instance of T_Note as $note { Text = \"hello \\x263A\"; };\n"
    "instance of T_Node as $n1 { Id = \"n1\"; Tags = {\"x\", \"\", \"z\"}; Weight = -2.5;\n"
    "  Seen = \"20261126103000.123456+060\"; Took = \"00000001020304.000005:000\";\n"
    "  Initial = 'Q'; Delta = -9223372036854775808; On = true; Note = $note;\n"
    "  Bytes = {0, 255}; };\n"
    "instance of T_Node as $n2 { Id = \"n2\"; Level = 1; };\n"
    "instance of T_Link { A = $n1; B = $n2; };\n";

static mi_catalog *catalog;

static int setup(void **state)
{
    (void)state;
    if (mi_catalog_new(&catalog) != MI_RESULT_OK)
        return -1;
    mi_schema_store store = mi_catalog_store(catalog);
    mi_error err = {0};
    if (mi_mof_compile_string(&store, "codec.mof", model, sizeof model - 1, NULL, NULL, &err)) {
        fprintf(stderr, "%s\n", err.message);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    mi_catalog_free(catalog);
    return 0;
}

static void same_qualifiers(const mi_qualifier_list *a, const mi_qualifier_list *b)
{
    assert_int_equal(mi_qualifier_list_count(a), mi_qualifier_list_count(b));
    for (uint32_t i = 0; i < mi_qualifier_list_count(a); i++) {
        const mi_qualifier *qa = mi_qualifier_list_at(a, i);
        const mi_qualifier *qb = mi_qualifier_list_find(b, qa->name);
        assert_non_null(qb);
        assert_int_equal(qa->type, qb->type);
        assert_int_equal(qa->flavor, qb->flavor);
        assert_int_equal(qa->is_null, qb->is_null);
        if (!qa->is_null)
            assert_true(mi_value_equal(&qa->value, &qb->value, qa->type));
    }
}

static void same_class(const mi_class *a, const mi_class *b)
{
    assert_string_equal(a->name, b->name);
    assert_int_equal(a->flags, b->flags);
    assert_int_equal(a->key_count, b->key_count);
    same_qualifiers(&a->qualifiers, &b->qualifiers);
    assert_int_equal(a->property_count, b->property_count);
    for (uint32_t i = 0; i < a->property_count; i++) {
        const mi_property *pa = &a->properties[i], *pb = &b->properties[i];
        assert_string_equal(pa->name, pb->name);
        assert_int_equal(pa->type, pb->type);
        assert_int_equal(pa->flags, pb->flags);
        assert_int_equal(pa->array_max, pb->array_max);
        assert_string_equal(pa->origin, pb->origin);
        assert_int_equal(pa->local, pb->local);
        assert_true((pa->ref_class == NULL) == (pb->ref_class == NULL));
        if (pa->ref_class)
            assert_string_equal(pa->ref_class, pb->ref_class);
        assert_int_equal(pa->has_default, pb->has_default);
        if (pa->has_default)
            assert_true(mi_value_equal(&pa->default_value, &pb->default_value, pa->type));
        same_qualifiers(&pa->qualifiers, &pb->qualifiers);
    }
    assert_int_equal(a->method_count, b->method_count);
    for (uint32_t i = 0; i < a->method_count; i++) {
        const mi_method *ma = &a->methods[i], *mb = &b->methods[i];
        assert_string_equal(ma->name, mb->name);
        assert_int_equal(ma->return_type, mb->return_type);
        same_qualifiers(&ma->qualifiers, &mb->qualifiers);
        assert_int_equal(ma->parameter_count, mb->parameter_count);
        for (uint32_t j = 0; j < ma->parameter_count; j++) {
            assert_string_equal(ma->parameters[j].name, mb->parameters[j].name);
            assert_int_equal(ma->parameters[j].type, mb->parameters[j].type);
            assert_int_equal(ma->parameters[j].flags, mb->parameters[j].flags);
            same_qualifiers(&ma->parameters[j].qualifiers, &mb->parameters[j].qualifiers);
        }
    }
}

static void test_classes_round_trip(void **state)
{
    (void)state;
    uint32_t count = mi_catalog_class_count(catalog, "root/cimv2");
    assert_int_equal(count, 4);
    for (uint32_t i = 0; i < count; i++) {
        mi_class *cls = mi_catalog_class_at(catalog, "root/cimv2", i);
        mi_bytes bytes = {0};
        assert_int_equal(mi_codec_encode_class(&bytes, cls), MI_RESULT_OK);
        mi_class *back = NULL;
        mi_error err = {0};
        if (mi_codec_decode_class(bytes.data, bytes.len, cls->superclass, &back, &err))
            fail_msg("%s: %s", cls->name, err.message);
        same_class(cls, back);
        /* on another superclass the record is refused */
        mi_class *other = NULL;
        if (cls->superclass)
            assert_int_equal(mi_codec_decode_class(bytes.data, bytes.len, NULL, &other, &err),
                             MI_RESULT_FAILED);
        mi_class_unref(back);
        mi_bytes_free(&bytes);
    }
}

static void test_instances_round_trip(void **state)
{
    (void)state;
    uint32_t count = mi_catalog_instance_count(catalog, "root/cimv2");
    assert_int_equal(count, 4);
    for (uint32_t i = 0; i < count; i++) {
        const MI_Instance *inst = mi_catalog_instance_at(catalog, "root/cimv2", i);
        mi_bytes bytes = {0};
        assert_int_equal(mi_codec_encode_instance(&bytes, inst), MI_RESULT_OK);
        size_t len;
        const char *name = mi_codec_instance_class_name(bytes.data, bytes.len, &len);
        assert_int_equal(len, strlen(mi_instance_class_name(inst)));
        assert_memory_equal(name, mi_instance_class_name(inst), len);
        MI_Instance *bound = NULL, *dynamic = NULL;
        mi_error err = {0};
        if (mi_codec_decode_instance(bytes.data, bytes.len, mi_instance_class(inst), &bound, &err))
            fail_msg("%s", err.message);
        assert_true(mi_instance_equal(inst, bound));
        assert_ptr_equal(mi_instance_class(bound), mi_instance_class(inst));
        assert_int_equal(mi_codec_decode_instance(bytes.data, bytes.len, NULL, &dynamic, &err),
                         MI_RESULT_OK);
        assert_true(mi_instance_equal(inst, dynamic));
        /* strings and namespace in the instance's own allocation, then changed and copied */
        MI_Instance *packed = NULL, *copy = NULL;
        assert_int_equal(mi_codec_decode_instance_in(bytes.data, bytes.len, mi_instance_class(inst),
                                                     "root/x", &packed, &err),
                         MI_RESULT_OK);
        assert_true(mi_instance_equal(inst, packed));
        assert_string_equal(mi_instance_namespace(packed), "root/x");
        assert_int_equal(MI_Instance_Clone(packed, &copy), MI_RESULT_OK);
        MI_Uint32 elements = 0;
        MI_Instance_GetElementCount(packed, &elements);
        for (MI_Uint32 e = 0; e < elements; e++) {
            const MI_Char *element;
            MI_Value v;
            MI_Type type;
            MI_Uint32 flags;
            MI_Instance_GetElementAt(packed, e, &element, &v, &type, &flags);
            if (type == MI_STRING) {
                v.string = "replaced";
                assert_int_equal(MI_Instance_SetElementAt(packed, e, &v, MI_STRING, 0),
                                 MI_RESULT_OK);
            }
        }
        assert_int_equal(MI_Instance_SetNameSpace(packed, "root/y"), MI_RESULT_OK);
        assert_true(mi_instance_equal(inst, copy));
        mi_instance_delete(packed); /* the sanitizer build checks nothing leaks or is freed twice */
        mi_instance_delete(copy);
        mi_instance_delete(bound);
        mi_instance_delete(dynamic);
        mi_bytes_free(&bytes);
    }
}

/* Every truncation and every single-byte change of every record: a clean result, never
 * a crash or a leak (the sanitizer build checks). */
static void test_damaged_records(void **state)
{
    (void)state;
    int refused = 0;
    for (uint32_t i = 0; i < mi_catalog_instance_count(catalog, "root/cimv2"); i++) {
        const MI_Instance *inst = mi_catalog_instance_at(catalog, "root/cimv2", i);
        mi_bytes bytes = {0};
        assert_int_equal(mi_codec_encode_instance(&bytes, inst), MI_RESULT_OK);
        for (size_t cut = 0; cut < bytes.len; cut++) {
            MI_Instance *out = NULL;
            assert_int_equal(mi_codec_decode_instance(bytes.data, cut, NULL, &out, NULL),
                             MI_RESULT_FAILED);
            assert_null(out);
            refused++;
        }
        for (size_t at = 0; at < bytes.len; at++) {
            unsigned char saved = bytes.data[at];
            for (int flip = 1; flip < 256; flip <<= 1) {
                bytes.data[at] = (unsigned char)(saved ^ flip);
                MI_Instance *out = NULL;
                if (mi_codec_decode_instance(bytes.data, bytes.len, NULL, &out, NULL) ==
                    MI_RESULT_OK)
                    mi_instance_delete(out);
            }
            bytes.data[at] = saved;
        }
        mi_bytes_free(&bytes);
    }
    for (uint32_t i = 0; i < mi_catalog_class_count(catalog, "root/cimv2"); i++) {
        mi_class *cls = mi_catalog_class_at(catalog, "root/cimv2", i);
        mi_bytes bytes = {0};
        assert_int_equal(mi_codec_encode_class(&bytes, cls), MI_RESULT_OK);
        for (size_t cut = 0; cut < bytes.len; cut++) {
            mi_class *out = NULL;
            assert_int_equal(mi_codec_decode_class(bytes.data, cut, cls->superclass, &out, NULL),
                             MI_RESULT_FAILED);
            refused++;
        }
        for (size_t at = 0; at < bytes.len; at++) {
            unsigned char saved = bytes.data[at];
            for (int flip = 1; flip < 256; flip <<= 1) {
                bytes.data[at] = (unsigned char)(saved ^ flip);
                mi_class *out = NULL;
                if (mi_codec_decode_class(bytes.data, bytes.len, cls->superclass, &out, NULL) ==
                    MI_RESULT_OK)
                    mi_class_unref(out);
            }
            bytes.data[at] = saved;
        }
        mi_bytes_free(&bytes);
    }
    assert_true(refused > 100);
}

static void test_qualifier_declarations(void **state)
{
    (void)state;
    const mi_qualifier_decl *decl = mi_catalog_find_qualifier(catalog, "root/cimv2", "Colour");
    assert_non_null(decl);
    mi_bytes bytes = {0};
    assert_int_equal(mi_codec_encode_qualifier_decl(&bytes, decl), MI_RESULT_OK);
    mi_qualifier_decl *back = NULL;
    assert_int_equal(mi_codec_decode_qualifier_decl(bytes.data, bytes.len, &back, NULL),
                     MI_RESULT_OK);
    assert_string_equal(back->name, "Colour");
    assert_int_equal(back->type, MI_STRING);
    assert_int_equal(back->scope, decl->scope);
    assert_int_equal(back->flavor, decl->flavor);
    assert_string_equal(back->default_value.string, "none");
    mi_qualifier_decl_free(back);
    for (size_t cut = 0; cut < bytes.len; cut++)
        assert_int_equal(mi_codec_decode_qualifier_decl(bytes.data, cut, &back, NULL),
                         MI_RESULT_FAILED);
    mi_bytes_free(&bytes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classes_round_trip),
        cmocka_unit_test(test_instances_round_trip),
        cmocka_unit_test(test_damaged_records),
        cmocka_unit_test(test_qualifier_declarations),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
