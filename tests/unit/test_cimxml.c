/*
 * The CIM-XML reader and writer: a request read into its method, namespace and
 * parameters; instances and instance names built with their types; responses with
 * results, errors and pull parameters; what the reader refuses (document types, entity
 * declarations, deep nesting, many attributes, broken XML, several requests), a written
 * instance read back unchanged, and classes read from a reply (built on their superclass;
 * broken replies refused with the reason).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cimxml/classes.h"
#include "cimxml/parse.h"
#include "cimxml/write.h"
#include "core/instance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEAD                                                                                       \
    "<?xml version=\"1.0\" encoding=\"utf-8\"?><CIM CIMVERSION=\"2.0\" DTDVERSION=\"2.0\">"        \
    "<MESSAGE ID=\"42\" PROTOCOLVERSION=\"1.0\"><SIMPLEREQ>"
#define TAIL "</SIMPLEREQ></MESSAGE></CIM>"
#define NS                                                                                         \
    "<LOCALNAMESPACEPATH><NAMESPACE NAME=\"root\"/><NAMESPACE "                                    \
    "NAME=\"test\"/></LOCALNAMESPACEPATH>"

static cimxml_fault parse(const char *text, cimxml_request *r, mi_error *err)
{
    return cimxml_parse(text, strlen(text), r, err);
}

static void test_request(void **state)
{
    (void)state;
    const char *text =
        HEAD "<IMETHODCALL NAME=\"Associators\">" NS
             "<IPARAMVALUE NAME=\"ObjectName\"><INSTANCENAME CLASSNAME=\"Ex_System\">"
             "<KEYBINDING NAME=\"Name\"><KEYVALUE VALUETYPE=\"string\">h&amp;1</KEYVALUE>"
             "</KEYBINDING><KEYBINDING NAME=\"On\"><KEYVALUE VALUETYPE=\"boolean\">TRUE"
             "</KEYVALUE></KEYBINDING><KEYBINDING NAME=\"Owner\"><VALUE.REFERENCE>"
             "<LOCALINSTANCEPATH>" NS "<INSTANCENAME CLASSNAME=\"Ex_Person\"><KEYBINDING "
             "NAME=\"Id\"><KEYVALUE VALUETYPE=\"numeric\">7</KEYVALUE></KEYBINDING>"
             "</INSTANCENAME></LOCALINSTANCEPATH></VALUE.REFERENCE></KEYBINDING>"
             "</INSTANCENAME></IPARAMVALUE>"
             "<IPARAMVALUE NAME=\"AssocClass\"><CLASSNAME NAME=\"Ex_Link\"/></IPARAMVALUE>"
             "<IPARAMVALUE NAME=\"Role\"><VALUE>Group</VALUE></IPARAMVALUE>"
             "<IPARAMVALUE NAME=\"PropertyList\"><VALUE.ARRAY><VALUE>A</VALUE><VALUE>B</VALUE>"
             "</VALUE.ARRAY></IPARAMVALUE><IPARAMVALUE NAME=\"ResultRole\"/>"
             "<!-- a comment --></IMETHODCALL>" TAIL;
    cimxml_request r;
    mi_error err = {0};
    assert_int_equal(parse(text, &r, &err), CIMXML_FAULT_NONE);
    assert_string_equal(r.method, "Associators");
    assert_string_equal(r.ns, "root/test");
    assert_string_equal(r.message_id, "42");
    const cimxml_param *p = cimxml_param_find(&r, "objectname");
    assert_non_null(p);
    assert_int_equal(p->kind, CIMXML_PARAM_INSTANCENAME);
    MI_Value v;
    MI_Type type;
    MI_Uint32 flags;
    assert_int_equal(MI_Instance_GetElement(p->instance, "Name", &v, &type, &flags, NULL), 0);
    assert_int_equal(type, MI_STRING);
    assert_string_equal(v.string, "h&1");
    assert_true(flags & MI_FLAG_KEY);
    assert_int_equal(MI_Instance_GetElement(p->instance, "On", &v, &type, NULL, NULL), 0);
    assert_int_equal(type, MI_BOOLEAN);
    assert_true(v.boolean);
    assert_int_equal(MI_Instance_GetElement(p->instance, "Owner", &v, &type, NULL, NULL), 0);
    assert_int_equal(type, MI_REFERENCE);
    assert_string_equal(mi_instance_class_name(v.reference), "Ex_Person");
    assert_string_equal(mi_instance_namespace(v.reference), "root/test");
    assert_string_equal(cimxml_param_find(&r, "AssocClass")->text, "Ex_Link");
    assert_int_equal(cimxml_param_find(&r, "AssocClass")->kind, CIMXML_PARAM_CLASSNAME);
    assert_string_equal(cimxml_param_find(&r, "Role")->text, "Group");
    p = cimxml_param_find(&r, "PropertyList");
    assert_int_equal(p->kind, CIMXML_PARAM_ARRAY);
    assert_int_equal(p->item_count, 2);
    assert_string_equal(p->items[1], "B");
    assert_int_equal(cimxml_param_find(&r, "ResultRole")->kind, CIMXML_PARAM_EMPTY);
    assert_null(cimxml_param_find(&r, "ResultClass"));
    cimxml_request_free(&r);
}

static void test_instance_properties(void **state)
{
    (void)state;
    const char *text =
        HEAD "<IMETHODCALL NAME=\"CreateInstance\">" NS
             "<IPARAMVALUE NAME=\"NewInstance\"><INSTANCE CLASSNAME=\"Ex_Disk\">"
             "<PROPERTY NAME=\"Size\" TYPE=\"uint64\"><VALUE>18446744073709551615</VALUE>"
             "</PROPERTY><PROPERTY NAME=\"Temp\" TYPE=\"sint8\"><VALUE>-128</VALUE></PROPERTY>"
             "<PROPERTY NAME=\"When\" TYPE=\"datetime\"><VALUE>20261126120000.000000+060"
             "</VALUE></PROPERTY><PROPERTY NAME=\"Note\" TYPE=\"string\"></PROPERTY>"
             "<PROPERTY.ARRAY NAME=\"Codes\" TYPE=\"uint16\"><VALUE.ARRAY><VALUE>1</VALUE>"
             "<VALUE>65535</VALUE></VALUE.ARRAY></PROPERTY.ARRAY>"
             "<PROPERTY.REFERENCE NAME=\"Host\" REFERENCECLASS=\"Ex_System\"><VALUE.REFERENCE>"
             "<INSTANCENAME CLASSNAME=\"Ex_System\"><KEYBINDING NAME=\"Name\"><KEYVALUE>h1"
             "</KEYVALUE></KEYBINDING></INSTANCENAME></VALUE.REFERENCE></PROPERTY.REFERENCE>"
             "<PROPERTY NAME=\"Ok\" TYPE=\"boolean\"><QUALIFIER NAME=\"Q\" TYPE=\"string\">"
             "<VALUE>ignored</VALUE></QUALIFIER><VALUE>false</VALUE></PROPERTY>"
             "</INSTANCE></IPARAMVALUE></IMETHODCALL>" TAIL;
    cimxml_request r;
    mi_error err = {0};
    if (parse(text, &r, &err) != CIMXML_FAULT_NONE)
        fail_msg("%s", err.message);
    const MI_Instance *inst = cimxml_param_find(&r, "NewInstance")->instance;
    MI_Value v;
    MI_Type type;
    MI_Uint32 flags;
    assert_int_equal(MI_Instance_GetElement(inst, "Size", &v, &type, NULL, NULL), 0);
    assert_int_equal(type, MI_UINT64);
    assert_true(v.uint64 == UINT64_MAX);
    MI_Instance_GetElement(inst, "Temp", &v, &type, NULL, NULL);
    assert_int_equal(v.sint8, -128);
    MI_Instance_GetElement(inst, "When", &v, &type, NULL, NULL);
    assert_int_equal(type, MI_DATETIME);
    assert_int_equal(v.datetime.u.timestamp.utc, 60);
    MI_Instance_GetElement(inst, "Note", &v, &type, &flags, NULL);
    assert_true(flags & MI_FLAG_NULL);
    MI_Instance_GetElement(inst, "Codes", &v, &type, NULL, NULL);
    assert_int_equal(type, MI_UINT16A);
    assert_int_equal(v.uint16a.size, 2);
    assert_int_equal(v.uint16a.data[1], 65535);
    MI_Instance_GetElement(inst, "Host", &v, &type, NULL, NULL);
    assert_int_equal(type, MI_REFERENCE);
    MI_Instance_GetElement(inst, "Ok", &v, &type, NULL, NULL);
    assert_int_equal(type, MI_BOOLEAN);
    assert_false(v.boolean);

    /* the writer's INSTANCE read back gives the same instance */
    mi_strbuf out = MI_STRBUF_INIT;
    mi_strbuf_puts(&out, HEAD "<IMETHODCALL NAME=\"CreateInstance\">" NS
                              "<IPARAMVALUE NAME=\"NewInstance\">");
    cimxml_instance(&out, inst, NULL, NULL);
    mi_strbuf_puts(&out, "</IPARAMVALUE></IMETHODCALL>" TAIL);
    cimxml_request again;
    if (cimxml_parse(out.data, out.len, &again, &err) != CIMXML_FAULT_NONE)
        fail_msg("%s in %s", err.message, out.data);
    assert_true(mi_instance_equal(inst, cimxml_param_find(&again, "NewInstance")->instance));
    cimxml_request_free(&again);
    mi_strbuf_free(&out);

    /* a value that does not fit its type */
    const char *bad = HEAD "<IMETHODCALL NAME=\"CreateInstance\">" NS
                           "<IPARAMVALUE NAME=\"NewInstance\"><INSTANCE CLASSNAME=\"X\">"
                           "<PROPERTY NAME=\"N\" TYPE=\"uint8\"><VALUE>256</VALUE></PROPERTY>"
                           "</INSTANCE></IPARAMVALUE></IMETHODCALL>" TAIL;
    assert_int_equal(parse(bad, &again, &err), CIMXML_FAULT_NOT_VALID);
    assert_non_null(strstr(err.message, "does not fit its TYPE"));
    cimxml_request_free(&r);
}

/* ModifyInstance's ModifiedInstance comes as a VALUE.NAMEDINSTANCE (DSP0200): the
 * instance with the keys its name gives flagged. */
static void test_modified_instance(void **state)
{
    (void)state;
    const char *text = HEAD "<IMETHODCALL NAME=\"ModifyInstance\">" NS
                            "<IPARAMVALUE NAME=\"ModifiedInstance\"><VALUE.NAMEDINSTANCE>"
                            "<INSTANCENAME CLASSNAME=\"Ex_Disk\"><KEYBINDING NAME=\"Id\">"
                            "<KEYVALUE>d1</KEYVALUE></KEYBINDING></INSTANCENAME>"
                            "<INSTANCE CLASSNAME=\"Ex_Disk\"><PROPERTY NAME=\"Id\" TYPE=\"string\">"
                            "<VALUE>d1</VALUE></PROPERTY><PROPERTY NAME=\"Size\" TYPE=\"uint32\">"
                            "<VALUE>7</VALUE></PROPERTY></INSTANCE></VALUE.NAMEDINSTANCE>"
                            "</IPARAMVALUE></IMETHODCALL>" TAIL;
    cimxml_request r;
    mi_error err = {0};
    if (parse(text, &r, &err) != CIMXML_FAULT_NONE)
        fail_msg("%s", err.message);
    const cimxml_param *param = cimxml_param_find(&r, "ModifiedInstance");
    assert_non_null(param);
    assert_int_equal(param->kind, CIMXML_PARAM_INSTANCE);
    assert_int_equal(r.result_count, 0);
    MI_Value v;
    MI_Uint32 flags;
    assert_int_equal(MI_Instance_GetElement(param->instance, "Id", &v, NULL, &flags, NULL), 0);
    assert_true(flags & MI_FLAG_KEY);
    assert_int_equal(MI_Instance_GetElement(param->instance, "Size", &v, NULL, &flags, NULL), 0);
    assert_int_equal(v.uint32, 7);
    assert_false(flags & MI_FLAG_KEY);
    cimxml_request_free(&r);
}

static void test_response(void **state)
{
    (void)state;
    const char *text =
        "<?xml version=\"1.0\"?><CIM CIMVERSION=\"2.0\" DTDVERSION=\"2.0\"><MESSAGE ID=\"1\" "
        "PROTOCOLVERSION=\"1.0\"><SIMPLERSP><IMETHODRESPONSE NAME=\"OpenAssociatorInstances\">"
        "<IRETURNVALUE><VALUE.INSTANCEWITHPATH><INSTANCEPATH><NAMESPACEPATH><HOST>h</HOST>" NS
        "</NAMESPACEPATH><INSTANCENAME CLASSNAME=\"Ex_Disk\"><KEYBINDING NAME=\"Id\"><KEYVALUE>"
        "d1</KEYVALUE></KEYBINDING></INSTANCENAME></INSTANCEPATH><INSTANCE CLASSNAME=\"Ex_Disk\">"
        "<PROPERTY NAME=\"Id\" TYPE=\"string\"><VALUE>d1</VALUE></PROPERTY><PROPERTY "
        "NAME=\"Size\" TYPE=\"uint32\"><VALUE>5</VALUE></PROPERTY></INSTANCE>"
        "</VALUE.INSTANCEWITHPATH><INSTANCENAME CLASSNAME=\"Ex_Disk\"><KEYBINDING NAME=\"Id\">"
        "<KEYVALUE>d2</KEYVALUE></KEYBINDING></INSTANCENAME></IRETURNVALUE>"
        "<PARAMVALUE NAME=\"EndOfSequence\"><VALUE>FALSE</VALUE></PARAMVALUE>"
        "<PARAMVALUE NAME=\"EnumerationContext\"><VALUE>abc</VALUE></PARAMVALUE>"
        "</IMETHODRESPONSE></SIMPLERSP></MESSAGE></CIM>";
    cimxml_request r;
    mi_error err = {0};
    if (parse(text, &r, &err) != CIMXML_FAULT_NONE)
        fail_msg("%s", err.message);
    assert_true(r.is_response);
    assert_int_equal(r.result_count, 2);
    MI_Uint32 flags;
    MI_Value v;
    assert_int_equal(MI_Instance_GetElement(r.results[0], "Id", &v, NULL, &flags, NULL), 0);
    assert_true(flags & MI_FLAG_KEY);
    assert_int_equal(MI_Instance_GetElement(r.results[0], "Size", &v, NULL, &flags, NULL), 0);
    assert_false(flags & MI_FLAG_KEY);
    assert_string_equal(mi_instance_namespace(r.results[0]), "root/test");
    assert_string_equal(r.end_of_sequence, "FALSE");
    assert_string_equal(r.enumeration_context, "abc");
    cimxml_request_free(&r);

    const char *error = "<CIM><MESSAGE ID=\"1\"><SIMPLERSP><IMETHODRESPONSE NAME=\"GetClass\">"
                        "<ERROR CODE=\"6\" DESCRIPTION=\"no &quot;x&quot;\"/></IMETHODRESPONSE>"
                        "</SIMPLERSP></MESSAGE></CIM>";
    assert_int_equal(parse(error, &r, &err), CIMXML_FAULT_NONE);
    assert_int_equal(r.error_code, 6);
    assert_string_equal(r.error_description, "no \"x\"");
    cimxml_request_free(&r);
}

static void test_refusals(void **state)
{
    (void)state;
    cimxml_request r;
    mi_error err = {0};
    assert_int_equal(parse("<!DOCTYPE CIM SYSTEM \"cim.dtd\"><CIM/>", &r, &err),
                     CIMXML_FAULT_NOT_WELL_FORMED);
    assert_non_null(strstr(err.message, "document type"));
    assert_int_equal(parse("<CIM><MESSAGE>", &r, &err), CIMXML_FAULT_NOT_WELL_FORMED);
    assert_non_null(strstr(err.message, "line 1, column"));
    assert_int_equal(parse("<CIM><MESSAGE><MULTIREQ/></MESSAGE></CIM>", &r, &err),
                     CIMXML_FAULT_MULTIPLE);
    assert_int_equal(parse("<CIM/>", &r, &err), CIMXML_FAULT_NOT_VALID);
    char deep[4096] = "";
    for (int i = 0; i < 60; i++)
        strcat(deep, "<A>");
    for (int i = 0; i < 60; i++)
        strcat(deep, "</A>");
    assert_int_equal(parse(deep, &r, &err), CIMXML_FAULT_NOT_VALID);
    assert_non_null(strstr(err.message, "nested too deeply"));
    char attrs[1024] = "<CIM";
    for (int i = 0; i < 20; i++)
        sprintf(attrs + strlen(attrs), " a%d=\"x\"", i);
    strcat(attrs, "/>");
    assert_int_equal(parse(attrs, &r, &err), CIMXML_FAULT_NOT_VALID);
    assert_non_null(strstr(err.message, "too many attributes"));
    /* every cut of a valid request fails cleanly */
    const char *text = HEAD "<IMETHODCALL NAME=\"GetInstance\">" NS
                            "<IPARAMVALUE NAME=\"InstanceName\"><INSTANCENAME CLASSNAME=\"X\">"
                            "<KEYBINDING NAME=\"K\"><KEYVALUE>v</KEYVALUE></KEYBINDING>"
                            "</INSTANCENAME></IPARAMVALUE></IMETHODCALL>" TAIL;
    for (size_t cut = 0; cut < strlen(text); cut++)
        assert_int_not_equal(cimxml_parse(text, cut, &r, &err), CIMXML_FAULT_NONE);
    assert_int_equal(parse(text, &r, &err), CIMXML_FAULT_NONE);
    cimxml_request_free(&r);
}

/* The superclass callback of the class tests: Base from the context, nothing else. */
static mi_class *base_only(void *context, const char *name, mi_error *err)
{
    mi_class *base = context;
    if (strcmp(name, base->name) != 0) {
        mi_error_set(err, MI_RESULT_NOT_FOUND, "no class %s here", name);
        return NULL;
    }
    mi_class_ref(base);
    return base;
}

#define CLASS_REPLY(classes)                                                                       \
    "<?xml version=\"1.0\"?><CIM CIMVERSION=\"2.0\" DTDVERSION=\"2.0\"><MESSAGE ID=\"1\" "         \
    "PROTOCOLVERSION=\"1.0\"><SIMPLERSP><IMETHODRESPONSE NAME=\"GetClass\"><IRETURNVALUE>" classes \
    "</IRETURNVALUE></IMETHODRESPONSE></SIMPLERSP></MESSAGE></CIM>"

static void test_classes(void **state)
{
    (void)state;
    mi_class *base;
    mi_error err = {0};
    assert_int_equal(mi_class_new(&base, "Ex_Base", NULL, &err), MI_RESULT_OK);
    mi_feature_spec id = {"Id", MI_STRING, NULL, 0, MI_FLAG_KEY, NULL};
    assert_int_equal(mi_class_add_property(base, &id, NULL, &err), MI_RESULT_OK);

    const char *good = CLASS_REPLY(
        "<CLASS NAME=\"Ex_Link\" SUPERCLASS=\"Ex_Base\"><QUALIFIER NAME=\"Association\" "
        "TYPE=\"boolean\" OVERRIDABLE=\"false\"><VALUE>TRUE</VALUE></QUALIFIER>"
        "<PROPERTY NAME=\"Id\" TYPE=\"string\" PROPAGATED=\"true\"></PROPERTY>"
        "<PROPERTY.REFERENCE NAME=\"Left\" REFERENCECLASS=\"Ex_Base\"><QUALIFIER NAME=\"Key\" "
        "TYPE=\"boolean\"><VALUE>TRUE</VALUE></QUALIFIER></PROPERTY.REFERENCE>"
        "<PROPERTY.ARRAY NAME=\"Codes\" TYPE=\"uint16\" ARRAYSIZE=\"2\"><VALUE.ARRAY>"
        "<VALUE>1</VALUE><VALUE>2</VALUE></VALUE.ARRAY></PROPERTY.ARRAY>"
        "<METHOD NAME=\"Go\" TYPE=\"uint32\"><PARAMETER NAME=\"Speed\" TYPE=\"uint8\">"
        "</PARAMETER></METHOD></CLASS>");
    cimxml_class_reply reply;
    if (cimxml_read_classes(good, strlen(good), base_only, base, &reply, &err) != CIMXML_FAULT_NONE)
        fail_msg("%s", err.message);
    assert_int_equal(reply.count, 1);
    mi_class *link = reply.classes[0];
    assert_string_equal(link->name, "Ex_Link");
    assert_ptr_equal(link->superclass, base);
    assert_true(link->flags & MI_FLAG_ASSOCIATION);
    assert_int_equal(link->property_count, 3);
    assert_int_equal(link->key_count, 2);
    const mi_property *left = mi_class_find_property(link, "Left", NULL);
    assert_non_null(left);
    assert_int_equal(left->type, MI_REFERENCE);
    assert_string_equal(left->ref_class, "Ex_Base");
    const mi_property *codes = mi_class_find_property(link, "Codes", NULL);
    assert_int_equal(codes->array_max, 2);
    assert_true(codes->has_default);
    assert_int_equal(codes->default_value.uint16a.size, 2);
    assert_int_equal(codes->default_value.uint16a.data[1], 2);
    const mi_method *go = mi_class_find_method(link, "Go");
    assert_non_null(go);
    assert_int_equal(go->parameter_count, 1);
    assert_true(go->parameters[0].flags & MI_FLAG_IN);
    cimxml_class_reply_free(&reply);

    /* an ERROR reply */
    const char *failed = "<?xml version=\"1.0\"?><CIM CIMVERSION=\"2.0\" DTDVERSION=\"2.0\">"
                         "<MESSAGE ID=\"1\" PROTOCOLVERSION=\"1.0\"><SIMPLERSP><IMETHODRESPONSE "
                         "NAME=\"GetClass\"><ERROR CODE=\"6\" DESCRIPTION=\"no class X\"/>"
                         "</IMETHODRESPONSE></SIMPLERSP></MESSAGE></CIM>";
    assert_int_equal(cimxml_read_classes(failed, strlen(failed), base_only, base, &reply, &err),
                     CIMXML_FAULT_NONE);
    assert_int_equal(reply.error_code, 6);
    assert_string_equal(reply.error_description, "no class X");
    assert_int_equal(reply.count, 0);
    cimxml_class_reply_free(&reply);

    /* broken replies: refused with the reason, nothing handed out */
    static const struct {
        const char *text;
        cimxml_fault fault;
        const char *says;
    } broken[] = {
        {CLASS_REPLY("<CLASS NAME=\"Ex_X\" SUPERCLASS=\"Ex_Gone\"></CLASS>"),
         CIMXML_FAULT_NOT_VALID, "no class Ex_Gone here"},
        {CLASS_REPLY("<CLASS NAME=\"Ex_X\"><PROPERTY NAME=\"N\" TYPE=\"uint8\"><VALUE>300"
                     "</VALUE></PROPERTY></CLASS>"),
         CIMXML_FAULT_NOT_VALID, "does not fit its TYPE"},
        {CLASS_REPLY("<CLASS NAME=\"Ex_X\"><PROPERTY NAME=\"N\" TYPE=\"uint9\"></PROPERTY>"
                     "</CLASS>"),
         CIMXML_FAULT_NOT_VALID, "unknown TYPE"},
        {CLASS_REPLY("<CLASS NAME=\"Ex_X\"><PROPERTY NAME=\"N\" TYPE=\"string\">"),
         CIMXML_FAULT_NOT_WELL_FORMED, "line 1"},
        {"<?xml version=\"1.0\"?><!DOCTYPE CIM [<!ENTITY e \"x\">]><CIM/>",
         CIMXML_FAULT_NOT_WELL_FORMED, "document type"},
    };
    for (size_t i = 0; i < sizeof broken / sizeof *broken; i++) {
        mi_error why = {0};
        assert_int_equal(cimxml_read_classes(broken[i].text, strlen(broken[i].text), base_only,
                                             base, &reply, &why),
                         broken[i].fault);
        if (!strstr(why.message, broken[i].says))
            fail_msg("case %zu: '%s' does not say '%s'", i, why.message, broken[i].says);
        assert_int_equal(reply.count, 0);
        assert_null(reply.classes);
    }
    mi_class_unref(base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request),           cmocka_unit_test(test_instance_properties),
        cmocka_unit_test(test_modified_instance), cmocka_unit_test(test_response),
        cmocka_unit_test(test_refusals),          cmocka_unit_test(test_classes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
