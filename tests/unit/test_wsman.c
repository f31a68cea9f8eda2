/*
 * The WS-Management codec (src/wsman): an instance holding every CIM type — scalars,
 * arrays, an empty array, NULLs, a reference with a numeric key, an embedded instance,
 * datetimes and intervals — written as WS-CIM and read back equal, typed; endpoint
 * references round trip with their namespace; values from peers that send no types
 * (xs:dateTime, xs:duration, plain text) are read as their class or the content says;
 * resource URIs in each form; faults read back as the MI result they carry; the reader
 * refuses entity declarations and deep nesting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/instance.h"
#include "core/path.h"
#include "core/value.h"
#include "wsman/wsman.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static soap_reader *reader;

/* The root of text parsed; the reader lives until the next parse. */
static soap_node *parse(const char *text)
{
    soap_reader_free(reader);
    reader = soap_reader_new();
    assert_non_null(reader);
    soap_reader_feed(reader, text, strlen(text));
    soap_fault fault;
    mi_error err = {0};
    soap_node *root = soap_reader_end(reader, &fault, &err);
    if (!root)
        fail_msg("parse: %s", err.message);
    return root;
}

/* text wrapped in an element declaring the prefixes the writer uses */
static soap_node *parse_wrapped(const char *text)
{
    static char buf[65536];
    snprintf(buf, sizeof buf,
             "<w xmlns:wsa=\"" WSMAN_NS_WSA "\" xmlns:wsman=\"" WSMAN_NS_WSMAN
             "\" xmlns:xsi=\"" WSMAN_NS_XSI "\" xmlns:cim=\"" WSMAN_NS_CIM
             "\" xmlns:t=\"" WSMAN_NS_TYPE "\">%s</w>",
             text);
    return parse(buf)->first;
}

static void add(MI_Instance *inst, const char *name, MI_Value v, MI_Type type, MI_Uint32 flags)
{
    assert_int_equal(mi_instance_add_element(inst, name, &v, type, flags, NULL), MI_RESULT_OK);
}

static MI_Instance *sample(void)
{
    MI_Instance *inst = NULL, *target = NULL, *embedded = NULL;
    assert_int_equal(mi_instance_new(&inst, "Test_All", NULL, NULL), MI_RESULT_OK);
    MI_Value v;
    v.string = "k<&>\"'1";
    add(inst, "Id", v, MI_STRING, MI_FLAG_KEY);
    v.boolean = MI_TRUE;
    add(inst, "B", v, MI_BOOLEAN, 0);
    v.uint8 = 255;
    add(inst, "U8", v, MI_UINT8, 0);
    v.sint8 = -128;
    add(inst, "S8", v, MI_SINT8, 0);
    v.uint16 = 65535;
    add(inst, "U16", v, MI_UINT16, 0);
    v.sint16 = -32768;
    add(inst, "S16", v, MI_SINT16, 0);
    v.uint32 = 4294967295u;
    add(inst, "U32", v, MI_UINT32, 0);
    v.sint32 = -2147483647 - 1;
    add(inst, "S32", v, MI_SINT32, 0);
    v.uint64 = UINT64_MAX;
    add(inst, "U64", v, MI_UINT64, 0);
    v.sint64 = INT64_MIN;
    add(inst, "S64", v, MI_SINT64, 0);
    v.real32 = 1.5f;
    add(inst, "R32", v, MI_REAL32, 0);
    v.real64 = -2.25e300;
    add(inst, "R64", v, MI_REAL64, 0);
    v.char16 = 'z';
    add(inst, "C16", v, MI_CHAR16, 0);
    assert_true(mi_datetime_parse("20261203153541.123456+060", &v.datetime));
    add(inst, "When", v, MI_DATETIME, 0);
    assert_true(mi_datetime_parse("00000001020304.000005:000", &v.datetime));
    add(inst, "Span", v, MI_DATETIME, 0);
    add(inst, "Missing", v, MI_UINT32, MI_FLAG_NULL);
    MI_Uint16 shorts[] = {1, 2, 65535};
    v.uint16a = (MI_Uint16A){shorts, 3};
    add(inst, "Shorts", v, MI_UINT16A, 0);
    MI_Char *words[] = {"a", "b c", ""};
    v.stringa = (MI_StringA){words, 3};
    add(inst, "Words", v, MI_STRINGA, 0);
    v.stringa = (MI_StringA){NULL, 0};
    add(inst, "None", v, MI_STRINGA, 0);
    assert_int_equal(mi_instance_new(&target, "Test_Disk", NULL, NULL), MI_RESULT_OK);
    v.uint32 = 7;
    add(target, "Number", v, MI_UINT32, MI_FLAG_KEY);
    v.string = "web1";
    add(target, "System", v, MI_STRING, MI_FLAG_KEY);
    v.reference = target;
    add(inst, "Disk", v, MI_REFERENCE, 0);
    assert_int_equal(mi_instance_new(&embedded, "Test_Note", NULL, NULL), MI_RESULT_OK);
    v.string = "inside";
    add(embedded, "Text", v, MI_STRING, 0);
    v.instance = embedded;
    add(inst, "Note", v, MI_INSTANCE, 0);
    mi_instance_delete(target);
    mi_instance_delete(embedded);
    return inst;
}

static void test_instances_round_trip_typed(void **state)
{
    (void)state;
    MI_Instance *inst = sample(), *back = NULL;
    mi_strbuf out = MI_STRBUF_INIT;
    wsman_write_instance(&out, inst, NULL, "root/test", NULL, 0);
    assert_false(out.failed);
    soap_node *el = parse_wrapped(out.data);
    assert_string_equal(el->name, "Test_All");
    assert_string_equal(el->ns, WSMAN_URI_DMTF "Test_All");
    mi_error err = {0};
    assert_int_equal(wsman_read_instance(el, NULL, "root/test", &back, &err), MI_RESULT_OK);
    MI_Instance *keyed = NULL;
    assert_int_equal(mi_instance_copy_with_keys(&keyed, back, inst, NULL, NULL), MI_RESULT_OK);
    MI_Instance *want = NULL;
    assert_int_equal(mi_instance_copy_with_keys(&want, inst, inst, NULL, NULL), MI_RESULT_OK);
    if (!mi_instance_equal(want, keyed)) {
        MI_Uint32 n = 0;
        MI_Instance_GetElementCount(want, &n);
        for (MI_Uint32 i = 0; i < n; i++) {
            const MI_Char *name;
            MI_Value a, b;
            MI_Type ta, tb;
            MI_Uint32 fa, fb;
            MI_Instance_GetElementAt(want, i, &name, &a, &ta, &fa);
            if (MI_Instance_GetElement(keyed, name, &b, &tb, &fb, NULL) != MI_RESULT_OK ||
                ta != tb || (fa & MI_FLAG_NULL) != (fb & MI_FLAG_NULL) ||
                (!(fa & MI_FLAG_NULL) && !mi_value_equal(&a, &b, ta)))
                fail_msg("property %s differs after the round trip (type %d, read as %d)", name, ta,
                         tb);
        }
        fail_msg("the instances differ");
    }
    /* a property list keeps the keys and the properties named */
    mi_strbuf some = MI_STRBUF_INIT;
    const char *const list[] = {"u8"};
    wsman_write_instance(&some, inst, NULL, "root/test", list, 1);
    assert_non_null(strstr(some.data, "<p:U8 "));
    assert_non_null(strstr(some.data, "<p:Id "));
    assert_null(strstr(some.data, "<p:U16 "));
    mi_strbuf_free(&some);
    mi_strbuf_free(&out);
    mi_instance_delete(inst);
    mi_instance_delete(back);
    mi_instance_delete(keyed);
    mi_instance_delete(want);
}

static void test_endpoint_references_round_trip(void **state)
{
    (void)state;
    MI_Instance *disk = NULL, *back = NULL;
    assert_int_equal(mi_instance_new(&disk, "Test_Disk", NULL, NULL), MI_RESULT_OK);
    MI_Value v;
    v.uint32 = 7;
    add(disk, "Number", v, MI_UINT32, MI_FLAG_KEY);
    v.string = "web 1";
    add(disk, "System", v, MI_STRING, MI_FLAG_KEY);
    v.string = "not a key";
    add(disk, "Note", v, MI_STRING, 0);
    mi_strbuf out = MI_STRBUF_INIT;
    mi_strbuf_puts(&out, "<wsa:EndpointReference>");
    wsman_write_epr(&out, disk, NULL, "root/test", WSMAN_ANONYMOUS);
    mi_strbuf_puts(&out, "</wsa:EndpointReference>");
    assert_null(strstr(out.data, "not a key"));
    soap_node *epr = parse_wrapped(out.data);
    mi_error err = {0};
    assert_int_equal(wsman_read_epr(epr, NULL, &back, &err), MI_RESULT_OK);
    char *a = NULL, *b = NULL;
    MI_Instance *path = NULL;
    assert_int_equal(mi_path_of_instance(&path, disk, NULL), MI_RESULT_OK);
    MI_Instance_SetNameSpace(path, "root/test");
    assert_int_equal(mi_path_canonical(&a, path, NULL), MI_RESULT_OK);
    assert_int_equal(mi_path_canonical(&b, back, NULL), MI_RESULT_OK);
    assert_string_equal(a, b);
    assert_string_equal(mi_instance_namespace(back), "root/test");
    free(a);
    free(b);
    mi_strbuf_free(&out);
    mi_instance_delete(disk);
    mi_instance_delete(back);
    mi_instance_delete(path);
}

static void test_untyped_values_from_other_peers(void **state)
{
    (void)state;
    /* WinRM writes datetimes as xs:dateTime, intervals as xs:duration, no types */
    soap_node *el = parse_wrapped(
        "<p:Win_Thing xmlns:p=\"" WSMAN_URI_WMI "root/cimv2/Win_Thing\">"
        "<p:Started><cim:Datetime>2026-12-03T15:35:41.5+01:00</cim:Datetime></p:Started>"
        "<p:Uptime><cim:Interval>P1DT2H3M4.25S</cim:Interval></p:Uptime>"
        "<p:Name>plain</p:Name><p:Tag>a</p:Tag><p:Tag>b</p:Tag><p:Gone xsi:nil=\"true\"/>"
        "</p:Win_Thing>");
    MI_Instance *inst = NULL;
    mi_error err = {0};
    assert_int_equal(wsman_read_instance(el, NULL, NULL, &inst, &err), MI_RESULT_OK);
    MI_Value v;
    MI_Type type;
    MI_Uint32 flags;
    assert_int_equal(MI_Instance_GetElement(inst, "Started", &v, &type, &flags, NULL),
                     MI_RESULT_OK);
    assert_int_equal(type, MI_DATETIME);
    assert_true(v.datetime.isTimestamp);
    assert_int_equal(v.datetime.u.timestamp.year, 2026);
    assert_int_equal(v.datetime.u.timestamp.second, 41);
    assert_int_equal(v.datetime.u.timestamp.microseconds, 500000);
    assert_int_equal(v.datetime.u.timestamp.utc, 60);
    assert_int_equal(MI_Instance_GetElement(inst, "Uptime", &v, &type, &flags, NULL), MI_RESULT_OK);
    assert_false(v.datetime.isTimestamp);
    assert_int_equal(v.datetime.u.interval.days, 1);
    assert_int_equal(v.datetime.u.interval.hours, 2);
    assert_int_equal(v.datetime.u.interval.minutes, 3);
    assert_int_equal(v.datetime.u.interval.seconds, 4);
    assert_int_equal(v.datetime.u.interval.microseconds, 250000);
    assert_int_equal(MI_Instance_GetElement(inst, "Name", &v, &type, &flags, NULL), MI_RESULT_OK);
    assert_int_equal(type, MI_STRING);
    assert_string_equal(v.string, "plain");
    assert_int_equal(MI_Instance_GetElement(inst, "Tag", &v, &type, &flags, NULL), MI_RESULT_OK);
    assert_int_equal(type, MI_STRINGA);
    assert_int_equal(v.stringa.size, 2);
    assert_string_equal(v.stringa.data[1], "b");
    assert_int_equal(MI_Instance_GetElement(inst, "Gone", &v, &type, &flags, NULL), MI_RESULT_OK);
    assert_true(flags & MI_FLAG_NULL);
    mi_instance_delete(inst);
    unsigned long long us = 0;
    assert_true(wsman_duration_parse("PT60S", &us));
    assert_int_equal(us, 60000000ull);
    assert_true(wsman_duration_parse("PT1M30.5S", &us));
    assert_int_equal(us, 90500000ull);
    assert_false(wsman_duration_parse("60", &us));
    assert_false(wsman_duration_parse("PTxS", &us));
    assert_false(wsman_duration_parse("P", &us));
}

static void test_resource_uris(void **state)
{
    (void)state;
    wsman_resource r;
    assert_true(wsman_resource_parse(WSMAN_URI_DMTF "CIM_ComputerSystem", &r));
    assert_string_equal(r.class_name, "CIM_ComputerSystem");
    assert_null(r.ns);
    wsman_resource_free(&r);
    assert_true(wsman_resource_parse(WSMAN_URI_WMI "root/cimv2/Win32_Service", &r));
    assert_string_equal(r.class_name, "Win32_Service");
    assert_string_equal(r.ns, "root/cimv2");
    assert_true(r.wmi);
    mi_strbuf out = MI_STRBUF_INIT;
    wsman_resource_uri(&out, &r, "root/other", "X_Y");
    assert_string_equal(out.data, WSMAN_URI_WMI "root/other/X_Y");
    mi_strbuf_free(&out);
    wsman_resource_free(&r);
    assert_true(wsman_resource_parse(WSMAN_URI_OMI "OMI_Thing", &r));
    assert_string_equal(r.class_name, "OMI_Thing");
    wsman_resource_free(&r);
    assert_true(wsman_resource_parse("http://schemas.dmtf.org/wbem/wscim/1/*", &r));
    assert_string_equal(r.class_name, "*");
    wsman_resource_free(&r);
    assert_false(wsman_resource_parse("http://example.org/x", &r));
    assert_false(wsman_resource_parse(WSMAN_URI_DMTF, &r));
    assert_false(wsman_resource_parse(WSMAN_URI_WMI "Class", &r));
}

static void test_faults_read_back(void **state)
{
    (void)state;
    for (MI_Result code = MI_RESULT_FAILED; code <= MI_RESULT_SERVER_IS_SHUTTING_DOWN; code++) {
        mi_strbuf out = MI_STRBUF_INIT;
        wsman_fault f = wsman_fault_of(code);
        wsman_write_fault(&out, "uuid:1", &f, code, "what <went> wrong");
        soap_node *root = parse(out.data);
        soap_node *fault = soap_path(root, WSMAN_NS_SOAP, "Body", WSMAN_NS_SOAP, "Fault", NULL);
        assert_non_null(fault);
        char message[300];
        assert_int_equal(wsman_result_of_fault(fault, message, sizeof message), code);
        assert_non_null(strstr(message, "what <went> wrong"));
        mi_strbuf_free(&out);
    }
    /* a peer's fault without a CIM_Error: by its subcode */
    soap_node *root = parse("<s:Fault xmlns:s=\"" WSMAN_NS_SOAP "\"><s:Code><s:Value>s:Sender"
                            "</s:Value><s:Subcode><s:Value>w:AccessDenied</s:Value></s:Subcode>"
                            "</s:Code><s:Reason><s:Text>no</s:Text></s:Reason></s:Fault>");
    char message[300];
    assert_int_equal(wsman_result_of_fault(root, message, sizeof message), MI_RESULT_ACCESS_DENIED);
}

static void test_reader_refuses_hostile_messages(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        soap_fault want;
    } cases[] = {
        {"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>", SOAP_FORBIDDEN},
        {"<x><y></x>", SOAP_NOT_WELL_FORMED},
        {"", SOAP_NOT_WELL_FORMED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        soap_reader *r = soap_reader_new();
        soap_reader_feed(r, cases[i].text, strlen(cases[i].text));
        soap_fault fault;
        mi_error err = {0};
        assert_null(soap_reader_end(r, &fault, &err));
        assert_int_equal(fault, cases[i].want);
        assert_non_null(strstr(err.message, "line "));
        soap_reader_free(r);
    }
    mi_strbuf deep = MI_STRBUF_INIT;
    for (int i = 0; i < 100; i++)
        mi_strbuf_puts(&deep, "<a>");
    for (int i = 0; i < 100; i++)
        mi_strbuf_puts(&deep, "</a>");
    soap_reader *r = soap_reader_new();
    soap_reader_feed(r, deep.data, deep.len);
    soap_fault fault;
    mi_error err = {0};
    assert_null(soap_reader_end(r, &fault, &err));
    assert_int_equal(fault, SOAP_LIMIT);
    soap_reader_free(r);
    mi_strbuf_free(&deep);
}

static int teardown(void **state)
{
    (void)state;
    soap_reader_free(reader);
    reader = NULL;
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_instances_round_trip_typed),
        cmocka_unit_test(test_endpoint_references_round_trip),
        cmocka_unit_test(test_untyped_values_from_other_peers),
        cmocka_unit_test(test_resource_uris),
        cmocka_unit_test(test_faults_read_back),
        cmocka_unit_test(test_reader_refuses_hostile_messages),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
