/*
 * cim — see wsman.h: WS-CIM instances and endpoint references, resource URIs.
 */
#include "wsman.h"

#include "core/instance.h"
#include "core/value.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- resource URIs ---- */

bool wsman_resource_parse(const char *uri, wsman_resource *out)
{
    memset(out, 0, sizeof *out);
    if (!uri)
        return false;
    const char *rest = NULL;
    if (!strncasecmp(uri, WSMAN_URI_DMTF, strlen(WSMAN_URI_DMTF)))
        rest = uri + strlen(WSMAN_URI_DMTF);
    else if (!strncasecmp(uri, WSMAN_URI_OMI, strlen(WSMAN_URI_OMI)))
        rest = uri + strlen(WSMAN_URI_OMI);
    else if (!strcasecmp(uri, "http://schemas.dmtf.org/wbem/wscim/1/*") ||
             !strcasecmp(uri, "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/*"))
        rest = "*";
    if (rest) {
        if (!*rest || strchr(rest, '/'))
            return false;
        return (out->class_name = strdup(rest)) != NULL;
    }
    if (strncasecmp(uri, WSMAN_URI_WMI, strlen(WSMAN_URI_WMI)) != 0)
        return false;
    rest = uri + strlen(WSMAN_URI_WMI);
    const char *slash = strrchr(rest, '/');
    if (!slash || slash == rest || !slash[1])
        return false;
    out->wmi = true;
    out->ns = strndup(rest, (size_t)(slash - rest));
    out->class_name = strdup(slash + 1);
    if (!out->ns || !out->class_name) {
        wsman_resource_free(out);
        return false;
    }
    return true;
}

void wsman_resource_free(wsman_resource *r)
{
    free(r->class_name);
    free(r->ns);
    memset(r, 0, sizeof *r);
}

void wsman_resource_uri(mi_strbuf *out, const wsman_resource *r, const char *ns,
                        const char *class_name)
{
    if (r && r->wmi) {
        mi_strbuf_puts(out, WSMAN_URI_WMI);
        mi_strbuf_put_xml(out, ns ? ns : "root/cimv2");
        mi_strbuf_putc(out, '/');
    } else {
        mi_strbuf_puts(out, WSMAN_URI_DMTF);
    }
    mi_strbuf_put_xml(out, class_name);
}

/* ---- writing ---- */

static void write_epr(mi_strbuf *out, const MI_Instance *inst, const wsman_resource *style,
                      const char *ns, bool always, const char *address);

static void write_scalar_text(mi_strbuf *out, const MI_Value *v, MI_Type type, MI_Uint32 index)
{
    mi_strbuf text = MI_STRBUF_INIT;
    if (mi_value_text(&text, v, type, index, MI_VALUE_TEXT_LOWERCASE) && text.data)
        mi_strbuf_put_xml(out, text.data);
    out->failed |= text.failed;
    mi_strbuf_free(&text);
}

/* One value of a property or selector: text, a datetime, a reference's endpoint, or an
 * embedded instance. item is the value of one scalar (for arrays, the caller picks). */
static void write_item(mi_strbuf *out, const MI_Value *v, MI_Type type, MI_Uint32 index,
                       const wsman_resource *style, const char *ns)
{
    MI_Type scalar = MI_TYPE_SCALAR(type);
    bool array = MI_TYPE_IS_ARRAY(type);
    if (scalar == MI_REFERENCE || scalar == MI_INSTANCE) {
        const MI_Instance *inst = array ? v->referencea.data[index] : v->reference;
        if (!inst)
            return;
        if (scalar == MI_REFERENCE)
            write_epr(out, inst, style, ns, false, WSMAN_ANONYMOUS);
        else
            wsman_write_instance(out, inst, style, ns, NULL, 0);
    } else if (scalar == MI_DATETIME) {
        mi_strbuf_puts(out, "<cim:CIM_DateTime>");
        write_scalar_text(out, v, type, index);
        mi_strbuf_puts(out, "</cim:CIM_DateTime>");
    } else {
        write_scalar_text(out, v, type, index);
    }
}

static MI_Uint32 item_count(const MI_Value *v, MI_Type type)
{
    return MI_TYPE_IS_ARRAY(type) ? v->array.size : 1;
}

static bool listed(const char *name, const char *const *properties, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (!strcasecmp(properties[i], name))
            return true;
    return false;
}

void wsman_write_properties(mi_strbuf *out, const MI_Instance *inst, const wsman_resource *style,
                            const char *ns, const char *const *properties, size_t property_count)
{
    MI_Uint32 count = 0;
    MI_Instance_GetElementCount(inst, &count);
    for (MI_Uint32 i = 0; i < count; i++) {
        const MI_Char *name;
        MI_Value v;
        MI_Type type;
        MI_Uint32 flags;
        if (MI_Instance_GetElementAt(inst, i, &name, &v, &type, &flags) != MI_RESULT_OK)
            continue;
        if (properties && !(flags & MI_FLAG_KEY) && !listed(name, properties, property_count))
            continue;
        const char *type_name = mi_type_name(MI_TYPE_SCALAR(type));
        if (flags & MI_FLAG_NULL) {
            mi_strbuf_printf(out, "<p:%s xsi:nil=\"true\" t:t=\"%s%s\"/>", name, type_name,
                             MI_TYPE_IS_ARRAY(type) ? "[]" : "");
            continue;
        }
        MI_Uint32 n = item_count(&v, type);
        if (n == 0) /* an empty array: one element saying so */
            mi_strbuf_printf(out, "<p:%s t:t=\"%s[]\" t:empty=\"true\"/>", name, type_name);
        for (MI_Uint32 k = 0; k < n; k++) {
            mi_strbuf_printf(out, "<p:%s t:t=\"%s%s\">", name, type_name,
                             MI_TYPE_IS_ARRAY(type) ? "[]" : "");
            write_item(out, &v, type, k, style, ns);
            mi_strbuf_printf(out, "</p:%s>", name);
        }
    }
}

void wsman_write_instance(mi_strbuf *out, const MI_Instance *inst, const wsman_resource *style,
                          const char *ns, const char *const *properties, size_t property_count)
{
    const MI_Char *class_name = NULL, *own_ns = NULL;
    MI_Instance_GetClassName(inst, &class_name);
    MI_Instance_GetNameSpace(inst, &own_ns);
    if (own_ns && *own_ns)
        ns = own_ns;
    mi_strbuf_puts(out, "<p:");
    mi_strbuf_put_xml(out, class_name);
    mi_strbuf_puts(out, " xmlns:p=\"");
    wsman_resource_uri(out, style, ns, class_name);
    mi_strbuf_puts(out, "\">");
    wsman_write_properties(out, inst, style, ns, properties, property_count);
    mi_strbuf_puts(out, "</p:");
    mi_strbuf_put_xml(out, class_name);
    mi_strbuf_putc(out, '>');
}

/* An endpoint reference; the selector __cimnamespace names the instance's namespace, or
 * ns when `always` (an operation's target) rather than only its own (a reference value,
 * which names a namespace only when it has one). */
static void write_epr(mi_strbuf *out, const MI_Instance *inst, const wsman_resource *style,
                      const char *ns, bool always, const char *address)
{
    const MI_Char *class_name = NULL, *own_ns = NULL;
    MI_Instance_GetClassName(inst, &class_name);
    MI_Instance_GetNameSpace(inst, &own_ns);
    bool has_own = own_ns && *own_ns;
    if (has_own)
        ns = own_ns;
    mi_strbuf_puts(out, "<wsa:Address>");
    mi_strbuf_put_xml(out, address ? address : WSMAN_ANONYMOUS);
    mi_strbuf_puts(out, "</wsa:Address><wsa:ReferenceParameters><wsman:ResourceURI>");
    wsman_resource_uri(out, style, ns, class_name);
    mi_strbuf_puts(out, "</wsman:ResourceURI><wsman:SelectorSet>");
    MI_Uint32 count = 0;
    MI_Instance_GetElementCount(inst, &count);
    for (MI_Uint32 i = 0; i < count; i++) {
        const MI_Char *name;
        MI_Value v;
        MI_Type type;
        MI_Uint32 flags;
        if (MI_Instance_GetElementAt(inst, i, &name, &v, &type, &flags) != MI_RESULT_OK ||
            !(flags & MI_FLAG_KEY) || (flags & MI_FLAG_NULL) || MI_TYPE_IS_ARRAY(type))
            continue;
        mi_strbuf_puts(out, "<wsman:Selector Name=\"");
        mi_strbuf_put_xml(out, name);
        mi_strbuf_printf(out, "\" t:t=\"%s\">", mi_type_name(type));
        if (type == MI_REFERENCE) {
            mi_strbuf_puts(out, "<wsa:EndpointReference>");
            if (v.reference)
                write_epr(out, v.reference, style, ns, false, address);
            mi_strbuf_puts(out, "</wsa:EndpointReference>");
        } else {
            write_scalar_text(out, &v, type, 0);
        }
        mi_strbuf_puts(out, "</wsman:Selector>");
    }
    if (ns && *ns && (always || has_own)) {
        mi_strbuf_puts(out, "<wsman:Selector Name=\"__cimnamespace\">");
        mi_strbuf_put_xml(out, ns);
        mi_strbuf_puts(out, "</wsman:Selector>");
    }
    mi_strbuf_puts(out, "</wsman:SelectorSet></wsa:ReferenceParameters>");
}

void wsman_write_epr(mi_strbuf *out, const MI_Instance *inst, const wsman_resource *style,
                     const char *ns, const char *address)
{
    write_epr(out, inst, style, ns, true, address);
}

/* ---- reading ---- */

static MI_Type type_named(const char *name, bool *array)
{
    *array = false;
    if (!name)
        return (MI_Type)-1;
    size_t len = strlen(name);
    if (len > 2 && !strcmp(name + len - 2, "[]")) {
        *array = true;
        len -= 2;
    }
    for (int t = MI_BOOLEAN; t <= MI_INSTANCE; t++) {
        const char *known = mi_type_name((MI_Type)t);
        if (strlen(known) == len && !strncasecmp(known, name, len))
            return (MI_Type)t;
    }
    return (MI_Type)-1;
}

static bool digits(const char *p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return true;
}

/* xs:dateTime (2026-12-03T15:35:41.5+01:00) as a DMTF timestamp. */
static bool iso_datetime(const char *s, MI_Datetime *dt)
{
    memset(dt, 0, sizeof *dt);
    MI_Timestamp *t = &dt->u.timestamp;
    dt->isTimestamp = MI_TRUE;
    int y, mo, d, h, mi, sec;
    if (strlen(s) < 19 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
        s[7] != '-' || !digits(s + 8, 2, &d) || s[10] != 'T' || !digits(s + 11, 2, &h) ||
        s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' || !digits(s + 17, 2, &sec))
        return false;
    t->year = (MI_Uint32)y, t->month = (MI_Uint32)mo, t->day = (MI_Uint32)d;
    t->hour = (MI_Uint32)h, t->minute = (MI_Uint32)mi, t->second = (MI_Uint32)sec;
    const char *p = s + 19;
    if (*p == '.') {
        unsigned long scale = 100000, us = 0;
        for (p++; *p >= '0' && *p <= '9'; p++) {
            us += (unsigned long)(*p - '0') * scale;
            scale /= 10;
        }
        t->microseconds = (MI_Uint32)us;
    }
    if (*p == 'Z' && !p[1])
        return true;
    int oh, om;
    if ((*p == '+' || *p == '-') && digits(p + 1, 2, &oh) && p[3] == ':' && digits(p + 4, 2, &om) &&
        !p[6]) {
        t->utc = (*p == '-' ? -1 : 1) * (oh * 60 + om);
        return true;
    }
    return !*p;
}

/* xs:duration as a DMTF interval. */
static bool iso_interval(const char *s, MI_Datetime *dt)
{
    unsigned long long us;
    if (!wsman_duration_parse(s, &us))
        return false;
    memset(dt, 0, sizeof *dt);
    MI_Interval *i = &dt->u.interval;
    i->microseconds = (MI_Uint32)(us % 1000000);
    unsigned long long secs = us / 1000000;
    i->seconds = (MI_Uint32)(secs % 60);
    i->minutes = (MI_Uint32)(secs / 60 % 60);
    i->hours = (MI_Uint32)(secs / 3600 % 24);
    i->days = (MI_Uint32)(secs / 86400);
    return true;
}

bool wsman_duration_parse(const char *s, unsigned long long *usec)
{
    if (!s || *s != 'P')
        return false;
    double total = 0;
    bool in_time = false, any = false;
    for (const char *p = s + 1; *p;) {
        if (*p == 'T') {
            in_time = true;
            p++;
            continue;
        }
        char *end;
        double n = strtod(p, &end);
        if (end == p || n < 0)
            return false;
        double unit;
        switch (*end) {
        case 'Y':
            unit = in_time ? -1 : 365 * 86400.0;
            break;
        case 'M':
            unit = in_time ? 60 : 30 * 86400.0;
            break;
        case 'D':
            unit = in_time ? -1 : 86400;
            break;
        case 'H':
            unit = in_time ? 3600 : -1;
            break;
        case 'S':
            unit = in_time ? 1 : -1;
            break;
        default:
            unit = -1;
        }
        if (unit < 0)
            return false;
        total += n * unit;
        any = true;
        p = end + 1;
    }
    if (!any || total > 1e12)
        return false;
    *usec = (unsigned long long)(total * 1e6 + 0.5);
    return true;
}

/* A datetime from a property element: CIM_DateTime (DMTF text), Datetime, Date, Time or
 * Interval (XML Schema forms), or DMTF text directly. */
static bool read_datetime(const soap_node *n, MI_Datetime *dt)
{
    const soap_node *c = n->first;
    const char *text = c ? c->text : n->text;
    if (c && !strcmp(c->name, "Datetime"))
        return iso_datetime(text, dt);
    if (c && !strcmp(c->name, "Interval"))
        return iso_interval(text, dt);
    if (!c && text[0] == 'P')
        return iso_interval(text, dt);
    if (!c && strlen(text) >= 19 && text[10] == 'T')
        return iso_datetime(text, dt);
    return mi_datetime_parse(text, dt);
}

static bool is_epr(const soap_node *n)
{
    return soap_child(n, WSMAN_NS_WSA, "ReferenceParameters") ||
           soap_child(n, WSMAN_NS_WSA, "Address") || soap_child(n, WSMAN_NS_WSMAN, "ResourceURI");
}

/* The type of a property element when nothing declares it: by its content. */
static MI_Type guess_type(const soap_node *n)
{
    const soap_node *c = n->first;
    if (!c)
        return MI_STRING;
    if (is_epr(n))
        return MI_REFERENCE;
    if (!strcmp(c->ns, WSMAN_NS_CIM))
        return MI_DATETIME;
    return MI_INSTANCE;
}

/* One scalar from a property or selector element. */
static MI_Result read_scalar(const soap_node *n, MI_Type scalar, const char *ns, MI_Value *v,
                             mi_error *err)
{
    memset(v, 0, sizeof *v);
    if (scalar == MI_REFERENCE) {
        /* a reference names a namespace only by its own __cimnamespace */
        const soap_node *epr = soap_child(n, WSMAN_NS_WSA, "EndpointReference");
        return wsman_read_epr(epr ? epr : n, NULL, &v->reference, err);
    }
    if (scalar == MI_INSTANCE) {
        if (!n->first)
            return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "%s: no embedded instance",
                                n->name);
        return wsman_read_instance(n->first, NULL, ns, &v->instance, err);
    }
    if (scalar == MI_DATETIME) {
        if (!read_datetime(n, &v->datetime))
            return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "%s: '%s' is not a datetime",
                                n->name, n->first ? n->first->text : n->text);
        return MI_RESULT_OK;
    }
    if (!mi_value_from_text(scalar, n->text, v))
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "%s: '%s' is not a %s", n->name,
                            n->text, mi_type_name(scalar));
    return MI_RESULT_OK;
}

static bool is_nil(const soap_node *n)
{
    const char *nil = soap_attribute(n, WSMAN_NS_XSI, "nil");
    return nil && (!strcmp(nil, "true") || !strcmp(nil, "1"));
}

/* The items of an array property: the elements named alike, each one scalar. */
static MI_Result read_array(const soap_node *first, MI_Type scalar, const char *ns, MI_Value *v,
                            mi_error *err)
{
    size_t count = 0;
    for (const soap_node *n = first; n; n = soap_next(n))
        count += !soap_attribute(n, WSMAN_NS_TYPE, "empty");
    memset(v, 0, sizeof *v);
    size_t size = mi_type_size(scalar);
    void *data = calloc(count ? count : 1, size);
    if (!data)
        return mi_error_nomem(err);
    MI_Result r = MI_RESULT_OK;
    size_t at = 0;
    for (const soap_node *n = first; n && r == MI_RESULT_OK; n = soap_next(n)) {
        if (soap_attribute(n, WSMAN_NS_TYPE, "empty"))
            continue;
        MI_Value item;
        r = read_scalar(n, scalar, ns, &item, err);
        if (r != MI_RESULT_OK)
            break;
        /* each scalar's bytes, as MI arrays lay them out */
        if (scalar == MI_STRING)
            ((MI_Char **)data)[at] = item.string;
        else if (scalar == MI_REFERENCE || scalar == MI_INSTANCE)
            ((MI_Instance **)data)[at] = item.reference;
        else
            memcpy((char *)data + at * size, &item, size);
        at++;
    }
    v->array.data = data;
    v->array.size = (MI_Uint32)at;
    if (r != MI_RESULT_OK) {
        mi_value_release(v, (MI_Type)(scalar | MI_ARRAY));
        memset(v, 0, sizeof *v);
    }
    return r;
}

MI_Result wsman_read_instance(const soap_node *element, const mi_class *cls, const char *ns,
                              MI_Instance **out, mi_error *err)
{
    *out = NULL;
    MI_Instance *inst = NULL;
    MI_Result r = mi_instance_new(&inst, element->name, NULL, err);
    if (r == MI_RESULT_OK && ns && *ns && MI_Instance_SetNameSpace(inst, ns) != MI_RESULT_OK)
        r = mi_error_nomem(err);
    for (const soap_node *n = element->first; n && r == MI_RESULT_OK; n = n->next) {
        bool seen = false; /* an array's later items were read with its first */
        for (const soap_node *p = element->first; p != n && !seen; p = p->next)
            seen = !strcmp(p->name, n->name);
        if (seen)
            continue;
        bool array = soap_next(n) != NULL;
        const mi_property *prop = cls ? mi_class_find_property(cls, n->name, NULL) : NULL;
        MI_Type scalar = (MI_Type)-1;
        bool typed_array = false;
        if (prop) {
            scalar = MI_TYPE_SCALAR(prop->type);
            array = MI_TYPE_IS_ARRAY(prop->type);
        } else if ((scalar = type_named(soap_attribute(n, WSMAN_NS_TYPE, "t"), &typed_array)) !=
                   (MI_Type)-1) {
            array = array || typed_array;
        } else {
            scalar = guess_type(n);
        }
        MI_Type type = array ? (MI_Type)(scalar | MI_ARRAY) : scalar;
        MI_Value v;
        if (is_nil(n)) {
            r = mi_instance_add_element(inst, n->name, NULL, type, MI_FLAG_NULL, err);
            continue;
        }
        r = array ? read_array(n, scalar, ns, &v, err) : read_scalar(n, scalar, ns, &v, err);
        if (r == MI_RESULT_OK) {
            r = mi_instance_add_element(inst, n->name, &v, type, MI_FLAG_ADOPT, err);
            if (r != MI_RESULT_OK)
                mi_value_release(&v, type);
        }
    }
    if (r != MI_RESULT_OK) {
        if (inst)
            mi_instance_delete(inst);
        return r;
    }
    *out = inst;
    return MI_RESULT_OK;
}

MI_Result wsman_read_selectors(const char *resource_uri, const soap_node *selector_set,
                               const char *default_ns, MI_Instance **out, mi_error *err)
{
    *out = NULL;
    wsman_resource res;
    if (!wsman_resource_parse(resource_uri, &res))
        return mi_error_set(err, MI_RESULT_NOT_SUPPORTED, "the resource URI '%s' names no class",
                            resource_uri ? resource_uri : "");
    const char *ns = res.ns ? res.ns : default_ns;
    const soap_node *ns_selector = NULL;
    for (const soap_node *s = soap_child(selector_set, WSMAN_NS_WSMAN, "Selector"); s;
         s = soap_next(s)) {
        const char *name = soap_attribute(s, "", "Name");
        if (name && !strcasecmp(name, "__cimnamespace"))
            ns_selector = s;
    }
    if (ns_selector)
        ns = ns_selector->text;
    MI_Instance *inst = NULL;
    MI_Result r = mi_instance_new(&inst, res.class_name, NULL, err);
    if (r == MI_RESULT_OK && ns && *ns && MI_Instance_SetNameSpace(inst, ns) != MI_RESULT_OK)
        r = mi_error_nomem(err);
    for (const soap_node *s = soap_child(selector_set, WSMAN_NS_WSMAN, "Selector");
         s && r == MI_RESULT_OK; s = soap_next(s)) {
        const char *name = soap_attribute(s, "", "Name");
        if (!name || !*name) {
            r = mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "a selector has no Name");
            break;
        }
        if (s == ns_selector)
            continue;
        bool array;
        MI_Type type = type_named(soap_attribute(s, WSMAN_NS_TYPE, "t"), &array);
        if (type == (MI_Type)-1 || array)
            type = soap_child(s, WSMAN_NS_WSA, "EndpointReference") ? MI_REFERENCE : MI_STRING;
        MI_Value v;
        r = read_scalar(s, type, ns, &v, err);
        if (r == MI_RESULT_OK) {
            r = mi_instance_add_element(inst, name, &v, type, MI_FLAG_KEY | MI_FLAG_ADOPT, err);
            if (r != MI_RESULT_OK)
                mi_value_release(&v, type);
        }
    }
    wsman_resource_free(&res);
    if (r != MI_RESULT_OK) {
        if (inst)
            mi_instance_delete(inst);
        return r;
    }
    *out = inst;
    return MI_RESULT_OK;
}

MI_Result wsman_read_epr(const soap_node *epr, const char *default_ns, MI_Instance **out,
                         mi_error *err)
{
    const soap_node *params = epr && !strcmp(epr->name, "ReferenceParameters")
                                  ? epr
                                  : soap_child(epr, WSMAN_NS_WSA, "ReferenceParameters");
    if (!params)
        params = epr; /* a header: ResourceURI and SelectorSet side by side */
    const char *uri = soap_child_text(params, WSMAN_NS_WSMAN, "ResourceURI");
    if (!uri) {
        *out = NULL;
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER,
                            "an endpoint reference names no resource URI");
    }
    return wsman_read_selectors(uri, soap_child(params, WSMAN_NS_WSMAN, "SelectorSet"), default_ns,
                                out, err);
}
