/*
 * output — see output.h. Everything is read through the public MI_Instance functions.
 */
#define _POSIX_C_SOURCE 200809L

#include "output.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* ---- a growing string ---- */

typedef struct text {
    char *s;
    size_t len, cap;
} text;

static void put(text *t, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    char small[256];
    int n = vsnprintf(small, sizeof small, format, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (t->len + (size_t)n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 64;
        while (cap < t->len + (size_t)n + 1)
            cap *= 2;
        char *grown = realloc(t->s, cap);
        if (!grown)
            return;
        t->s = grown;
        t->cap = cap;
    }
    if ((size_t)n < sizeof small) {
        memcpy(t->s + t->len, small, (size_t)n + 1);
    } else {
        va_start(ap, format);
        vsnprintf(t->s + t->len, (size_t)n + 1, format, ap);
        va_end(ap);
    }
    t->len += (size_t)n;
}

static char *take(text *t)
{
    if (!t->s)
        return strdup("");
    return t->s;
}

/* ---- types and scalar values ---- */

static const char *const type_names[] = {
    "boolean", "uint8",  "sint8",  "uint16", "sint16",   "uint32", "sint32",    "uint64",
    "sint64",  "real32", "real64", "char16", "datetime", "string", "reference", "instance"};

static const char *type_name(MI_Type type)
{
    unsigned scalar = (unsigned)type & ~(unsigned)MI_ARRAY;
    return scalar < sizeof type_names / sizeof *type_names ? type_names[scalar] : "unknown";
}

static bool is_array(MI_Type type)
{
    return ((unsigned)type & MI_ARRAY) != 0;
}

static void put_path(text *t, const MI_Instance *inst)
{
    MI_Char *path = NULL;
    if (inst && MI_Libmi_FormatObjectPath(inst, &path) == MI_RESULT_OK) {
        put(t, "%s", path);
        MI_Libmi_Free(path);
    }
}

/* One scalar at index i of the value (array or not) as plain text: the library's
 * formatter, but for references (their paths) and char16 past ASCII (\xNNNN). */
static void put_scalar(text *t, const MI_Value *v, MI_Type type, MI_Uint32 i)
{
    bool array = is_array(type);
    switch ((MI_Type)((unsigned)type & ~(unsigned)MI_ARRAY)) {
    case MI_CHAR16: {
        unsigned c = array ? v->char16a.data[i] : v->char16;
        if (c < 0x80)
            put(t, "%c", (char)c);
        else
            put(t, "\\x%04X", c);
        break;
    }
    case MI_REFERENCE:
    case MI_INSTANCE:
        put_path(t, array ? v->referencea.data[i] : v->reference);
        break;
    default: {
        MI_Char *plain = NULL;
        if (MI_Libmi_ValueText(v, type, i, MI_LIBMI_TEXT_LOWERCASE_BOOLEANS, &plain) ==
            MI_RESULT_OK)
            put(t, "%s", plain);
        MI_Libmi_Free(plain);
        break;
    }
    }
}

static MI_Uint32 array_size(const MI_Value *v)
{
    return v->uint8a.size; /* every array has the same layout */
}

char *mi_output_value_text(const MI_Value *value, MI_Type type)
{
    text t = {0};
    if (is_array(type)) {
        put(&t, "{");
        for (MI_Uint32 i = 0; i < array_size(value); i++) {
            if (i)
                put(&t, ", ");
            put_scalar(&t, value, type, i);
        }
        put(&t, "}");
    } else {
        put_scalar(&t, value, type, 0);
    }
    return take(&t);
}

/* ---- escaping ---- */

static void put_escaped(text *t, const char *s, int style) /* 0 MOF, 1 JSON, 2 XML */
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned c = *p;
        if (style == 2) {
            if (c == '<')
                put(t, "&lt;");
            else if (c == '>')
                put(t, "&gt;");
            else if (c == '&')
                put(t, "&amp;");
            else if (c == '"')
                put(t, "&quot;");
            else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                put(t, "&#xFFFD;");
            else
                put(t, "%c", (char)c);
        } else if (c == '"' || c == '\\') {
            put(t, "\\%c", (char)c);
        } else if (c == '\n') {
            put(t, "\\n");
        } else if (c == '\t') {
            put(t, "\\t");
        } else if (c == '\r') {
            put(t, "\\r");
        } else if (c < 0x20) {
            put(t, style == 1 ? "\\u%04x" : "\\x%04X", c);
        } else {
            put(t, "%c", (char)c);
        }
    }
}

static void put_quoted(text *t, const char *s, int style)
{
    put(t, "\"");
    put_escaped(t, s, style);
    put(t, "\"");
}

static bool numeric(MI_Type type)
{
    MI_Type scalar = (MI_Type)((unsigned)type & ~(unsigned)MI_ARRAY);
    return scalar != MI_BOOLEAN && scalar != MI_CHAR16 && scalar != MI_DATETIME &&
           scalar != MI_STRING && scalar != MI_REFERENCE && scalar != MI_INSTANCE;
}

/* ---- MOF ---- */

static void put_mof_scalar(text *t, const MI_Value *v, MI_Type type, MI_Uint32 i)
{
    MI_Type scalar = (MI_Type)((unsigned)type & ~(unsigned)MI_ARRAY);
    if (numeric(type) || scalar == MI_BOOLEAN) {
        put_scalar(t, v, type, i);
        return;
    }
    if (scalar == MI_CHAR16) {
        unsigned c = is_array(type) ? v->char16a.data[i] : v->char16;
        put(t,
            c == '\'' || c == '\\'  ? "'\\%c'"
            : c < 0x80 && c >= 0x20 ? "'%c'"
                                    : "'\\x%04X'",
            c < 0x80 ? (int)c : (int)c);
        return;
    }
    text plain = {0};
    put_scalar(&plain, v, type, i);
    put_quoted(t, plain.s ? plain.s : "", 0);
    free(plain.s);
}

static void put_mof_value(text *t, const MI_Value *v, MI_Type type)
{
    if (!is_array(type)) {
        put_mof_scalar(t, v, type, 0);
        return;
    }
    put(t, "{");
    for (MI_Uint32 k = 0; k < array_size(v); k++) {
        put(t, k ? ", " : "");
        put_mof_scalar(t, v, type, k);
    }
    put(t, "}");
}

char *mi_output_mof_value(const MI_Value *value, MI_Type type)
{
    text t = {0};
    put_mof_value(&t, value, type);
    return take(&t);
}

static void put_mof(text *t, const MI_Instance *inst)
{
    const MI_Char *cls = NULL;
    MI_Instance_GetClassName(inst, &cls);
    put(t, "instance of %s\n{\n", cls ? cls : "?");
    MI_Uint32 count = 0;
    MI_Instance_GetElementCount(inst, &count);
    for (MI_Uint32 i = 0; i < count; i++) {
        const MI_Char *name;
        MI_Value v;
        MI_Type type;
        MI_Uint32 flags;
        if (MI_Instance_GetElementAt(inst, i, &name, &v, &type, &flags) != MI_RESULT_OK ||
            (flags & MI_FLAG_NULL))
            continue;
        put(t, "    %s = ", name);
        put_mof_value(t, &v, type);
        put(t, ";\n");
    }
    put(t, "};\n");
}

/* ---- JSON ---- */

static void put_json_instance(text *t, const MI_Instance *inst, int depth);

static void put_json_scalar(text *t, const MI_Value *v, MI_Type type, MI_Uint32 i, int depth)
{
    MI_Type scalar = (MI_Type)((unsigned)type & ~(unsigned)MI_ARRAY);
    if (numeric(type) || scalar == MI_BOOLEAN) {
        put_scalar(t, v, type, i);
    } else if (scalar == MI_INSTANCE && depth < 8) {
        const MI_Instance *inner = is_array(type) ? v->instancea.data[i] : v->instance;
        if (inner)
            put_json_instance(t, inner, depth + 1);
        else
            put(t, "null");
    } else {
        text plain = {0};
        put_scalar(&plain, v, type, i);
        put_quoted(t, plain.s ? plain.s : "", 1);
        free(plain.s);
    }
}

static void put_json_instance(text *t, const MI_Instance *inst, int depth)
{
    const MI_Char *cls = NULL, *ns = NULL;
    MI_Instance_GetClassName(inst, &cls);
    MI_Instance_GetNameSpace(inst, &ns);
    put(t, "{\"path\": ");
    text path = {0};
    put_path(&path, inst);
    put_quoted(t, path.s ? path.s : "", 1);
    free(path.s);
    put(t, ", \"class\": ");
    put_quoted(t, cls ? cls : "", 1);
    put(t, ", \"namespace\": ");
    if (ns)
        put_quoted(t, ns, 1);
    else
        put(t, "null");
    put(t, ", \"properties\": {");
    MI_Uint32 count = 0;
    MI_Instance_GetElementCount(inst, &count);
    for (MI_Uint32 i = 0; i < count; i++) {
        const MI_Char *name;
        MI_Value v;
        MI_Type type;
        MI_Uint32 flags;
        if (MI_Instance_GetElementAt(inst, i, &name, &v, &type, &flags) != MI_RESULT_OK)
            continue;
        put(t, i ? ", " : "");
        put_quoted(t, name, 1);
        put(t, ": {\"type\": \"%s%s\", \"key\": %s, \"value\": ", type_name(type),
            is_array(type) ? "[]" : "", (flags & MI_FLAG_KEY) ? "true" : "false");
        if (flags & MI_FLAG_NULL) {
            put(t, "null");
        } else if (is_array(type)) {
            put(t, "[");
            for (MI_Uint32 k = 0; k < array_size(&v); k++) {
                put(t, k ? ", " : "");
                put_json_scalar(t, &v, type, k, depth);
            }
            put(t, "]");
        } else {
            put_json_scalar(t, &v, type, 0, depth);
        }
        put(t, "}");
    }
    put(t, "}}");
}

/* ---- CIM-XML (DSP0201) ---- */

static void put_xml_instancename(text *t, const MI_Instance *inst, int depth);

static void put_xml_keyvalue(text *t, const MI_Value *v, MI_Type type, int depth)
{
    if (type == MI_REFERENCE) {
        put(t, "<VALUE.REFERENCE>");
        if (v->reference && depth < 8)
            put_xml_instancename(t, v->reference, depth + 1);
        put(t, "</VALUE.REFERENCE>");
        return;
    }
    const char *kind = type == MI_BOOLEAN ? "boolean" : numeric(type) ? "numeric" : "string";
    put(t, "<KEYVALUE VALUETYPE=\"%s\" TYPE=\"%s\">", kind, type_name(type));
    text plain = {0};
    put_scalar(&plain, v, type, 0);
    put_escaped(t, plain.s ? plain.s : "", 2);
    free(plain.s);
    put(t, "</KEYVALUE>");
}

static void put_xml_instancename(text *t, const MI_Instance *inst, int depth)
{
    const MI_Char *cls = NULL;
    MI_Instance_GetClassName(inst, &cls);
    put(t, "<INSTANCENAME CLASSNAME=\"");
    put_escaped(t, cls ? cls : "", 2);
    put(t, "\">");
    MI_Uint32 count = 0;
    MI_Instance_GetElementCount(inst, &count);
    for (MI_Uint32 i = 0; i < count; i++) {
        const MI_Char *name;
        MI_Value v;
        MI_Type type;
        MI_Uint32 flags;
        if (MI_Instance_GetElementAt(inst, i, &name, &v, &type, &flags) != MI_RESULT_OK ||
            !(flags & MI_FLAG_KEY) || (flags & MI_FLAG_NULL) || is_array(type))
            continue;
        put(t, "<KEYBINDING NAME=\"");
        put_escaped(t, name, 2);
        put(t, "\">");
        put_xml_keyvalue(t, &v, type, depth);
        put(t, "</KEYBINDING>");
    }
    put(t, "</INSTANCENAME>");
}

static void put_xml_value(text *t, const MI_Value *v, MI_Type type, MI_Uint32 i)
{
    text plain = {0};
    put_scalar(&plain, v, type, i);
    put(t, "<VALUE>");
    put_escaped(t, plain.s ? plain.s : "", 2);
    put(t, "</VALUE>");
    free(plain.s);
}

static void put_xml_instance(text *t, const MI_Instance *inst)
{
    const MI_Char *cls = NULL;
    MI_Instance_GetClassName(inst, &cls);
    put(t, "<VALUE.NAMEDINSTANCE>");
    put_xml_instancename(t, inst, 0);
    put(t, "<INSTANCE CLASSNAME=\"");
    put_escaped(t, cls ? cls : "", 2);
    put(t, "\">");
    MI_Uint32 count = 0;
    MI_Instance_GetElementCount(inst, &count);
    for (MI_Uint32 i = 0; i < count; i++) {
        const MI_Char *name;
        MI_Value v;
        MI_Type type;
        MI_Uint32 flags;
        if (MI_Instance_GetElementAt(inst, i, &name, &v, &type, &flags) != MI_RESULT_OK)
            continue;
        bool null = (flags & MI_FLAG_NULL) != 0;
        MI_Type scalar = (MI_Type)((unsigned)type & ~(unsigned)MI_ARRAY);
        if (scalar == MI_REFERENCE && !is_array(type)) {
            put(t, "<PROPERTY.REFERENCE NAME=\"");
            put_escaped(t, name, 2);
            put(t, "\">");
            if (!null && v.reference) {
                put(t, "<VALUE.REFERENCE>");
                put_xml_instancename(t, v.reference, 1);
                put(t, "</VALUE.REFERENCE>");
            }
            put(t, "</PROPERTY.REFERENCE>");
            continue;
        }
        const char *xml_type =
            scalar == MI_INSTANCE || scalar == MI_REFERENCE ? "string" : type_name(scalar);
        put(t, "<PROPERTY%s NAME=\"", is_array(type) ? ".ARRAY" : "");
        put_escaped(t, name, 2);
        put(t, "\" TYPE=\"%s\">", xml_type);
        if (!null && is_array(type)) {
            put(t, "<VALUE.ARRAY>");
            for (MI_Uint32 k = 0; k < array_size(&v); k++)
                put_xml_value(t, &v, type, k);
            put(t, "</VALUE.ARRAY>");
        } else if (!null) {
            put_xml_value(t, &v, type, 0);
        }
        put(t, "</PROPERTY%s>", is_array(type) ? ".ARRAY" : "");
    }
    put(t, "</INSTANCE></VALUE.NAMEDINSTANCE>");
}

/* ---- single values for other printers ---- */

char *mi_output_json_value(const MI_Value *value, MI_Type type)
{
    text t = {0};
    if (is_array(type)) {
        put(&t, "[");
        for (MI_Uint32 k = 0; k < array_size(value); k++) {
            put(&t, k ? ", " : "");
            put_json_scalar(&t, value, type, k, 0);
        }
        put(&t, "]");
    } else {
        put_json_scalar(&t, value, type, 0, 0);
    }
    return take(&t);
}

char *mi_output_xml_value(const MI_Value *value, MI_Type type)
{
    text t = {0};
    if (is_array(type)) {
        put(&t, "<VALUE.ARRAY>");
        for (MI_Uint32 k = 0; k < array_size(value); k++)
            put_xml_value(&t, value, type, k);
        put(&t, "</VALUE.ARRAY>");
    } else {
        put_xml_value(&t, value, type, 0);
    }
    return take(&t);
}

char *mi_output_quoted(const char *s, bool json)
{
    text t = {0};
    if (json)
        put_quoted(&t, s, 1);
    else
        put_escaped(&t, s, 2);
    return take(&t);
}

/* ---- tables ---- */

/* The next code point of UTF-8 text at *p (advanced past it); a byte that starts no
 * valid sequence is taken as itself. */
static uint32_t next_code_point(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t c = s[0];
    int extra = c >= 0xF0 && c < 0xF5 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 && c < 0xE0 ? 1 : 0;
    if (c >= 0xF5)
        extra = 0;
    for (int i = 1; i <= extra; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            extra = 0;
            break;
        }
    }
    if (extra == 0) {
        *p = s + 1;
        return c;
    }
    c &= 0x3Fu >> extra;
    for (int i = 1; i <= extra; i++)
        c = (c << 6) | (s[i] & 0x3F);
    *p = s + 1 + extra;
    return c;
}

/* Columns a code point takes on a terminal: 0 for combining marks, 2 for the wide
 * (East Asian and emoji) ranges, 1 otherwise. */
static int code_point_columns(uint32_t c)
{
    if ((c >= 0x300 && c <= 0x36F) || (c >= 0x200B && c <= 0x200F) || c == 0xFEFF ||
        (c >= 0xFE00 && c <= 0xFE0F))
        return 0;
    if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
        (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
        (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
        (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
        (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD))
        return 2;
    return 1;
}

static size_t display_width(const char *s)
{
    size_t width = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;)
        width += (size_t)code_point_columns(next_code_point(&p));
    return width;
}

/* A cell's text with control characters shown as escapes (\n, \t, \x1B), so that a
 * value cannot move the cursor or break a row. The caller frees it. */
static char *printable(char *plain)
{
    bool clean = true;
    for (const unsigned char *p = (const unsigned char *)plain; *p && clean; p++)
        clean = *p >= 0x20 && *p != 0x7F;
    if (clean)
        return plain;
    text t = {0};
    for (const unsigned char *p = (const unsigned char *)plain; *p; p++) {
        if (*p == '\n')
            put(&t, "\\n");
        else if (*p == '\t')
            put(&t, "\\t");
        else if (*p == '\r')
            put(&t, "\\r");
        else if (*p < 0x20 || *p == 0x7F)
            put(&t, "\\x%02X", *p);
        else
            put(&t, "%c", (char)*p);
    }
    free(plain);
    return take(&t);
}

/* Puts s into exactly `width` columns: padded with spaces, or cut with an ellipsis. */
static void put_cell(text *t, const char *s, size_t width, bool pad)
{
    size_t have = display_width(s);
    if (have <= width) {
        put(t, "%s", s);
        for (size_t i = have; pad && i < width; i++)
            put(t, " ");
        return;
    }
    size_t used = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        const unsigned char *start = p;
        int w = code_point_columns(next_code_point(&p));
        if (used + (size_t)w + 1 > width)
            break;
        put(t, "%.*s", (int)(p - start), (const char *)start);
        used += (size_t)w;
    }
    put(t, "\u2026"); /* … */
    for (used++; pad && used < width; used++)
        put(t, " ");
}

/* The columns of the terminal out writes to; 0 when it is not one. */
static size_t terminal_columns(FILE *out)
{
    int fd = fileno(out);
    if (fd < 0 || !isatty(fd))
        return 0;
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *columns = getenv("COLUMNS");
    long n = columns ? strtol(columns, NULL, 10) : 0;
    return n > 0 && n < 100000 ? (size_t)n : 80;
}

enum { MIN_COLUMN = 6 };

/* Narrows the widest columns, one column of text at a time, until the row fits `room`:
 * other columns first, then keys, none below MIN_COLUMN (or its own width, when less). */
static void fit_columns(size_t *width, const bool *used, const bool *key, MI_Uint32 columns,
                        size_t room)
{
    for (;;) {
        size_t total = 0, shown = 0;
        MI_Uint32 widest = columns;
        for (int keys = 0; keys <= 1 && widest == columns; keys++) {
            for (MI_Uint32 c = 0; c < columns; c++) {
                if (used[c] && key[c] == (keys == 1) && width[c] > MIN_COLUMN &&
                    (widest == columns || width[c] > width[widest]))
                    widest = c;
            }
        }
        for (MI_Uint32 c = 0; c < columns; c++) {
            total += used[c] ? width[c] : 0;
            shown += used[c];
        }
        total += shown ? 2 * (shown - 1) : 0;
        if (total <= room || widest == columns)
            return;
        width[widest]--;
    }
}

typedef struct table_group {
    char *class_name;
    MI_Instance **rows;
    size_t count, cap;
} table_group;

struct mi_output {
    mi_cli_format format;
    FILE *out;
    size_t printed;
    size_t fit;    /* a table fits this many columns (a terminal's); 0: no limit */
    bool terminal; /* out is a terminal */
    table_group *groups;
    size_t group_count;
};

static void keep_row(mi_output *o, const MI_Instance *inst)
{
    const MI_Char *cls = NULL;
    MI_Instance_GetClassName(inst, &cls);
    table_group *g = NULL;
    for (size_t i = 0; i < o->group_count && !g; i++) {
        if (!strcmp(o->groups[i].class_name, cls ? cls : ""))
            g = &o->groups[i];
    }
    if (!g) {
        table_group *grown = realloc(o->groups, (o->group_count + 1) * sizeof *grown);
        if (!grown)
            return;
        o->groups = grown;
        g = &o->groups[o->group_count];
        memset(g, 0, sizeof *g);
        if (!(g->class_name = strdup(cls ? cls : "")))
            return;
        o->group_count++;
    }
    if (g->count == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 8;
        MI_Instance **grown = realloc(g->rows, cap * sizeof *grown);
        if (!grown)
            return;
        g->rows = grown;
        g->cap = cap;
    }
    MI_Instance *copy = NULL;
    if (MI_Instance_Clone(inst, &copy) == MI_RESULT_OK)
        g->rows[g->count++] = copy;
}

/* Prints one class's rows: key columns first, then the columns with any value. */
static void print_group(mi_output *o, table_group *g)
{
    MI_Uint32 columns = 0;
    MI_Instance_GetElementCount(g->rows[0], &columns);
    char ***cells = calloc(g->count, sizeof *cells);
    size_t *width = calloc(columns ? columns : 1, sizeof *width);
    bool *shown = calloc(columns ? columns : 1, sizeof *shown);
    bool *key = calloc(columns ? columns : 1, sizeof *key);
    const MI_Char **names = calloc(columns ? columns : 1, sizeof *names);
    if (!cells || !width || !shown || !key || !names)
        goto done;
    for (MI_Uint32 c = 0; c < columns; c++) {
        MI_Value v;
        MI_Type type;
        MI_Uint32 flags = 0;
        MI_Instance_GetElementAt(g->rows[0], c, &names[c], &v, &type, &flags);
        key[c] = (flags & MI_FLAG_KEY) != 0;
        width[c] = display_width(names[c]);
    }
    for (size_t r = 0; r < g->count; r++) {
        if (!(cells[r] = calloc(columns ? columns : 1, sizeof **cells)))
            goto done;
        for (MI_Uint32 c = 0; c < columns; c++) {
            MI_Value v;
            MI_Type type;
            MI_Uint32 flags = MI_FLAG_NULL;
            const MI_Char *name;
            if (MI_Instance_GetElementAt(g->rows[r], c, &name, &v, &type, &flags) != MI_RESULT_OK ||
                (flags & MI_FLAG_NULL))
                continue;
            char *plain = mi_output_value_text(&v, type);
            cells[r][c] = plain ? printable(plain) : NULL;
            if (cells[r][c]) {
                shown[c] = true;
                size_t len = display_width(cells[r][c]);
                width[c] = len > width[c] ? len : width[c];
            }
        }
    }
    for (MI_Uint32 c = 0; c < columns; c++)
        shown[c] = shown[c] || key[c];
    if (o->fit)
        fit_columns(width, shown, key, columns, o->fit);
    fprintf(o->out, "%s%s (%zu)\n", o->printed++ ? "\n" : "", g->class_name, g->count);
    for (int pass = 0; pass < 3; pass++) { /* header, rule, rows */
        size_t rows = pass < 2 ? 1 : g->count;
        for (size_t r = 0; r < rows; r++) {
            text row = {0};
            for (int keys = 1; keys >= 0; keys--) {
                for (MI_Uint32 c = 0; c < columns; c++) {
                    if (key[c] != (keys == 1) || !shown[c])
                        continue;
                    put(&row, row.len ? "  " : "");
                    if (pass == 0) {
                        put_cell(&row, names[c], width[c], true);
                    } else if (pass == 1) {
                        for (size_t k = 0; k < width[c]; k++)
                            put(&row, "-");
                    } else {
                        put_cell(&row, cells[r][c] ? cells[r][c] : "", width[c], true);
                    }
                }
            }
            while (row.len && row.s[row.len - 1] == ' ') /* no padding after the last column */
                row.s[--row.len] = '\0';
            fprintf(o->out, "%s\n", row.s ? row.s : "");
            free(row.s);
        }
    }
done:
    for (size_t r = 0; cells && r < g->count; r++) {
        for (MI_Uint32 c = 0; cells[r] && c < columns; c++)
            free(cells[r][c]);
        free(cells[r]);
    }
    free(cells);
    free(width);
    free(shown);
    free(key);
    free(names);
}

/* ---- the stream ---- */

void mi_output_document_begin(mi_cli_format format, FILE *out)
{
    if (format == MI_FORMAT_JSON)
        fputs("[", out);
    else if (format == MI_FORMAT_XML)
        fputs("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<IRETURNVALUE>\n", out);
}

void mi_output_document_end(mi_cli_format format, FILE *out, size_t printed)
{
    if (format == MI_FORMAT_JSON)
        fputs(printed ? "\n]\n" : "]\n", out);
    else if (format == MI_FORMAT_XML)
        fputs("</IRETURNVALUE>\n", out);
}

mi_output *mi_output_begin(mi_cli_format format, FILE *out, bool whole_cells)
{
    mi_output *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->format = format;
    o->out = out;
    size_t columns = terminal_columns(out);
    o->terminal = columns > 0;
    o->fit = whole_cells ? 0 : columns;
    mi_output_document_begin(format, out);
    return o;
}

void mi_output_instance(mi_output *o, const MI_Instance *inst)
{
    if (!o || !inst)
        return;
    text t = {0};
    switch (o->format) {
    case MI_FORMAT_TABLE:
    case MI_FORMAT_DEFAULT:
        keep_row(o, inst);
        return;
    case MI_FORMAT_MOF:
        if (o->printed)
            put(&t, "\n");
        put_mof(&t, inst);
        break;
    case MI_FORMAT_JSON:
        put(&t, o->printed ? ",\n  " : "\n  ");
        put_json_instance(&t, inst, 0);
        break;
    case MI_FORMAT_XML:
        put_xml_instance(&t, inst);
        put(&t, "\n");
        break;
    case MI_FORMAT_PATHS:
    case MI_FORMAT_DOT: /* not an instance format: the command refuses it */
        put_path(&t, inst);
        put(&t, "\n");
        break;
    }
    o->printed++;
    if (t.s)
        fputs(t.s, o->out);
    free(t.s);
}

void mi_output_end(mi_output *o)
{
    if (!o)
        return;
    mi_output_document_end(o->format, o->out, o->printed);
    bool table = o->format == MI_FORMAT_TABLE || o->format == MI_FORMAT_DEFAULT;
    if (table && o->group_count == 0 && o->terminal)
        fputs("0 instances\n", o->out);
    for (size_t i = 0; i < o->group_count; i++) {
        table_group *g = &o->groups[i];
        if (g->count)
            print_group(o, g);
        for (size_t r = 0; r < g->count; r++)
            MI_Instance_Delete(g->rows[r]);
        free(g->rows);
        free(g->class_name);
    }
    free(o->groups);
    fflush(o->out);
    free(o);
}
