/*
 * parser — see parser.h.
 *
 * Every parse_* function returns false after reporting a syntax error (or when the
 * compile stopped); the caller then recovers by skipping tokens. Messages say what was
 * expected, after what, and what was found.
 */
#include "parser.h"

#include "core/strbuf.h"
#include "core/value.h"
#include "lexer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct parser {
    mof_parse_state *state;
    const char *file;
    mof_lexer lexer;
    mof_token token;    /* the current token, not yet consumed */
    bool error_shown;   /* the current token is a lexer error already reported */
    uint32_t nesting;   /* '{' consumed minus '}' consumed: where recovery may resume */
    mof_value *scratch; /* array items being parsed */
    uint32_t scratch_capacity;
} parser;

/* ---- diagnostics ---- */

static mof_pos pos_of(const parser *p, const mof_token *t)
{
    return (mof_pos){p->file, t->line, t->column};
}

static bool report(parser *p, const mof_pos *pos, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static bool report(parser *p, const mof_pos *pos, const char *format, ...)
{
    char message[400];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    if (!p->state->stopped && !p->state->host.error(p->state->host.context, pos, message))
        p->state->stopped = true;
    return false;
}

static bool nomem(parser *p, const mof_pos *pos)
{
    if (!p->state->stopped)
        p->state->host.out_of_memory(p->state->host.context, pos);
    p->state->stopped = true;
    return false;
}

static void warn(parser *p, const mof_pos *pos, const char *message)
{
    if (!p->state->stopped && !p->state->host.warning(p->state->host.context, pos, message))
        p->state->stopped = true;
}

/* How the current token reads in a message: '}', 'Foo', string "abc", end of file. */
static const char *describe(const mof_token *t, char *buffer, size_t size)
{
    int shown = t->len > 32 ? 32 : (int)t->len;
    const char *more = t->len > 32 ? "..." : "";
    switch (t->kind) {
    case MOF_TOKEN_EOF:
        return "end of file";
    case MOF_TOKEN_ERROR:
        return "an invalid token";
    case MOF_TOKEN_STRING:
        snprintf(buffer, size, "string \"%.*s%s\"", shown, t->text, more);
        return buffer;
    case MOF_TOKEN_CHAR:
        snprintf(buffer, size, "char '%.*s'", shown, t->text);
        return buffer;
    case MOF_TOKEN_ALIAS:
        snprintf(buffer, size, "alias '$%.*s%s'", shown, t->text, more);
        return buffer;
    case MOF_TOKEN_INTEGER:
    case MOF_TOKEN_REAL:
        snprintf(buffer, size, "number %.*s%s", shown, t->text, more);
        return buffer;
    default:
        snprintf(buffer, size, "'%.*s%s'", shown, t->text, more);
        return buffer;
    }
}

/* "expected <what>, found <current token>", at the current token. */
static bool expected(parser *p, const char *format, ...) __attribute__((format(printf, 2, 3)));

static bool expected(parser *p, const char *format, ...)
{
    if (p->error_shown)
        return false; /* the lexer's own message says it better */
    char what[300], found[64];
    va_list args;
    va_start(args, format);
    vsnprintf(what, sizeof what, format, args);
    va_end(args);
    mof_pos pos = pos_of(p, &p->token);
    return report(p, &pos, "expected %s, found %s", what, describe(&p->token, found, sizeof found));
}

/* ---- tokens ---- */

static void advance(parser *p)
{
    if (mof_token_is_punct(&p->token, '{'))
        p->nesting++;
    else if (mof_token_is_punct(&p->token, '}') && p->nesting > 0)
        p->nesting--;
    mof_lexer_next(&p->lexer, &p->token);
    p->error_shown = false;
    if (p->token.kind == MOF_TOKEN_ERROR) {
        mof_pos pos = pos_of(p, &p->token);
        report(p, &pos, "%s", p->lexer.error);
        p->error_shown = true;
    }
}

static bool at_punct(const parser *p, char c)
{
    return mof_token_is_punct(&p->token, c);
}

static bool at_word(const parser *p, const char *word)
{
    return mof_token_is(&p->token, word);
}

static bool accept_punct(parser *p, char c)
{
    if (!at_punct(p, c))
        return false;
    advance(p);
    return true;
}

static uint64_t hash_bytes(const char *text, size_t len)
{
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)text[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* The arena copy of this spelling, made on first sight. */
static const char *intern(mof_parse_state *state, const char *text, size_t len)
{
    if ((state->interned_count + 1) * 2 > state->interned_capacity) {
        uint32_t capacity = state->interned_capacity ? state->interned_capacity * 2 : 1024;
        mof_interned *slots = calloc(capacity, sizeof *slots);
        if (!slots)
            return NULL;
        for (uint32_t i = 0; i < state->interned_capacity; i++) {
            if (!state->interned[i].text)
                continue;
            uint32_t j = (uint32_t)state->interned[i].hash & (capacity - 1);
            while (slots[j].text)
                j = (j + 1) & (capacity - 1);
            slots[j] = state->interned[i];
        }
        free(state->interned);
        state->interned = slots;
        state->interned_capacity = capacity;
    }
    uint64_t hash = hash_bytes(text, len);
    uint32_t mask = state->interned_capacity - 1;
    uint32_t i = (uint32_t)hash & mask;
    for (; state->interned[i].text; i = (i + 1) & mask) {
        const mof_interned *slot = &state->interned[i];
        if (slot->hash == hash && strncmp(slot->text, text, len) == 0 && !slot->text[len])
            return slot->text;
    }
    const char *copy = mi_arena_strndup(state->arena, text, len);
    if (copy) {
        state->interned[i] = (mof_interned){hash, copy};
        state->interned_count++;
    }
    return copy;
}

void mof_parse_state_release(mof_parse_state *state)
{
    free(state->interned);
    state->interned = NULL;
    state->interned_capacity = state->interned_count = 0;
}

static const char *take_identifier(parser *p)
{
    const char *name = intern(p->state, p->token.text, p->token.len);
    if (!name)
        nomem(p, &(mof_pos){p->file, p->token.line, p->token.column});
    advance(p);
    return name;
}

static void *node(parser *p, size_t size)
{
    void *n = mi_arena_alloc(p->state->arena, size);
    if (!n)
        nomem(p, &(mof_pos){p->file, p->token.line, p->token.column});
    return n;
}

/* Skips to just past the next ';' at brace level `level`, or (inside a body) up to the
 * '}' that closes the body at that level, left unconsumed. */
static void recover(parser *p, uint32_t level, bool inside_body)
{
    while (p->token.kind != MOF_TOKEN_EOF && !p->state->stopped) {
        if (p->nesting == level && mof_token_is_punct(&p->token, ';')) {
            advance(p);
            return;
        }
        if (p->nesting == level && inside_body && mof_token_is_punct(&p->token, '}'))
            return;
        advance(p);
    }
}

/* ---- types ---- */

static const struct {
    const char *name;
    MI_Type type;
} data_types[] = {
    {"boolean", MI_BOOLEAN}, {"uint8", MI_UINT8},       {"sint8", MI_SINT8},
    {"uint16", MI_UINT16},   {"sint16", MI_SINT16},     {"uint32", MI_UINT32},
    {"sint32", MI_SINT32},   {"uint64", MI_UINT64},     {"sint64", MI_SINT64},
    {"real32", MI_REAL32},   {"real64", MI_REAL64},     {"char16", MI_CHAR16},
    {"string", MI_STRING},   {"datetime", MI_DATETIME},
};

static bool data_type_of(const mof_token *t, MI_Type *type)
{
    for (size_t i = 0; i < sizeof data_types / sizeof data_types[0]; i++) {
        if (mof_token_is(t, data_types[i].name)) {
            *type = data_types[i].type;
            return true;
        }
    }
    return false;
}

/* Optional `[` [size] `]` after a name. */
static bool parse_array_suffix(parser *p, mof_type *type, const char *what, const char *name)
{
    if (!accept_punct(p, '['))
        return true;
    type->is_array = true;
    if (p->token.kind == MOF_TOKEN_INTEGER) {
        if (p->token.negative || p->token.overflow || p->token.magnitude == 0 ||
            p->token.magnitude > UINT32_MAX) {
            mof_pos pos = pos_of(p, &p->token);
            return report(p, &pos, "array size of %s '%s' must be from 1 to 4294967295", what,
                          name);
        }
        type->array_size = (uint32_t)p->token.magnitude;
        advance(p);
    }
    if (!accept_punct(p, ']'))
        return expected(p, "']' to close the array size of %s '%s'", what, name);
    return true;
}

/* ---- values ---- */

static bool append_string(parser *p, mi_strbuf *sb)
{
    char reason[160];
    uint32_t at = 0;
    if (mof_decode_literal(&p->token, sb, reason, sizeof reason, &at))
        return true;
    /* +1 skips the opening quote */
    mof_pos pos = {p->file, p->token.line, p->token.column + 1 + at};
    return report(p, &pos, "%s", reason);
}

static bool parse_scalar(parser *p, mof_value *v, const char *context)
{
    v->pos = pos_of(p, &p->token);
    switch (p->token.kind) {
    case MOF_TOKEN_INTEGER:
        if (p->token.overflow)
            return report(p, &v->pos, "integer %.*s does not fit in 64 bits", (int)p->token.len,
                          p->token.text);
        v->kind = MOF_VALUE_INTEGER;
        v->u.integer.magnitude = p->token.magnitude;
        v->u.integer.negative = p->token.negative;
        advance(p);
        return true;
    case MOF_TOKEN_REAL:
        v->kind = MOF_VALUE_REAL;
        v->u.real = p->token.real;
        advance(p);
        return true;
    case MOF_TOKEN_STRING: {
        mi_strbuf sb = MI_STRBUF_INIT;
        bool ok = true;
        while (ok && p->token.kind == MOF_TOKEN_STRING) {
            ok = append_string(p, &sb);
            advance(p);
        }
        if (ok) {
            v->kind = MOF_VALUE_STRING;
            v->u.string = mi_arena_strndup(p->state->arena, sb.data ? sb.data : "", sb.len);
            if (sb.failed || !v->u.string)
                ok = nomem(p, &v->pos);
        }
        mi_strbuf_free(&sb);
        return ok;
    }
    case MOF_TOKEN_CHAR: {
        mi_strbuf sb = MI_STRBUF_INIT;
        bool ok = append_string(p, &sb);
        uint32_t cp = 0;
        if (ok && !sb.failed && sb.len > 0) {
            const unsigned char *s = (const unsigned char *)sb.data;
            size_t n = sb.len;
            if (n == 1)
                cp = s[0];
            else if (n == 2)
                cp = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
            else if (n == 3)
                cp = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
            else
                cp = UINT32_MAX; /* more than one char16 */
            if (n > 1 && (s[0] & 0xC0) != 0xC0)
                cp = UINT32_MAX;
        }
        if (ok && (sb.len == 0 || cp == UINT32_MAX || (sb.len > 1 && cp < 0x80)))
            ok = report(p, &v->pos, "a char16 literal holds exactly one character below U+10000");
        mi_strbuf_free(&sb);
        if (ok) {
            v->kind = MOF_VALUE_CHAR;
            v->u.character = cp;
        }
        advance(p);
        return ok;
    }
    case MOF_TOKEN_ALIAS:
        v->kind = MOF_VALUE_ALIAS;
        v->u.alias = take_identifier(p);
        return v->u.alias != NULL;
    case MOF_TOKEN_IDENTIFIER:
        if (at_word(p, "true") || at_word(p, "false")) {
            v->kind = MOF_VALUE_BOOLEAN;
            v->u.boolean = at_word(p, "true");
            advance(p);
            return true;
        }
        if (at_word(p, "null")) {
            v->kind = MOF_VALUE_NULL;
            advance(p);
            return true;
        }
        break;
    default:
        break;
    }
    return expected(p, "a value %s", context);
}

/* A scalar, or `{ v, ... }` */
static mof_value *parse_value(parser *p, const char *context)
{
    mof_value *v = node(p, sizeof *v);
    if (!v)
        return NULL;
    if (!at_punct(p, '{'))
        return parse_scalar(p, v, context) ? v : NULL;
    v->kind = MOF_VALUE_ARRAY;
    v->pos = pos_of(p, &p->token);
    advance(p);
    /* Items collect in the parser's scratch vector, then move to the arena at their
     * exact size: the arena keeps no outgrown copies. */
    uint32_t count = 0;
    while (!at_punct(p, '}')) {
        if (count == p->scratch_capacity) {
            uint32_t capacity = p->scratch_capacity ? p->scratch_capacity * 2 : 64;
            mof_value *grown = realloc(p->scratch, capacity * sizeof *grown);
            if (!grown) {
                nomem(p, &v->pos);
                return NULL;
            }
            p->scratch = grown;
            p->scratch_capacity = capacity;
        }
        mof_value *item = &p->scratch[count];
        memset(item, 0, sizeof *item);
        if (at_punct(p, '{')) {
            mof_pos pos = pos_of(p, &p->token);
            report(p, &pos, "array values cannot be nested %s", context);
            return NULL;
        }
        if (!parse_scalar(p, item, context))
            return NULL;
        count++;
        if (!accept_punct(p, ',') && !at_punct(p, '}')) {
            expected(p, "',' or '}' in the array value %s", context);
            return NULL;
        }
    }
    if (count) {
        if (!(v->u.array.items = node(p, count * sizeof *v->u.array.items)))
            return NULL;
        memcpy(v->u.array.items, p->scratch, count * sizeof *v->u.array.items);
    }
    v->u.array.count = count;
    advance(p);
    return v;
}

/* ---- qualifiers ---- */

static const struct {
    const char *name;
    uint32_t flag;
} flavors[] = {
    {"EnableOverride", MI_FLAG_ENABLEOVERRIDE}, {"DisableOverride", MI_FLAG_DISABLEOVERRIDE},
    {"ToSubclass", MI_FLAG_TOSUBCLASS},         {"Restricted", MI_FLAG_RESTRICTED},
    {"Translatable", MI_FLAG_TRANSLATABLE},     {"ToInstance", MI_FLAG_TOINSTANCE},
};

static bool flavor_of(const mof_token *t, uint32_t *flag)
{
    for (size_t i = 0; i < sizeof flavors / sizeof flavors[0]; i++) {
        if (mof_token_is(t, flavors[i].name)) {
            *flag = flavors[i].flag;
            return true;
        }
    }
    return false;
}

/* `[` qualifier, ... `]`, when present. */
static bool parse_qualifier_list(parser *p, mof_qualifier **out)
{
    *out = NULL;
    if (!accept_punct(p, '['))
        return true;
    mof_qualifier **tail = out;
    for (;;) {
        if (p->token.kind != MOF_TOKEN_IDENTIFIER)
            return expected(p, "a qualifier name");
        mof_qualifier *q = node(p, sizeof *q);
        if (!q)
            return false;
        q->pos = pos_of(p, &p->token);
        if (!(q->name = take_identifier(p)))
            return false;
        char context[200];
        snprintf(context, sizeof context, "for qualifier '%s'", q->name);
        if (accept_punct(p, '(')) {
            if (!(q->value = node(p, sizeof *q->value)) || !parse_scalar(p, q->value, context))
                return false;
            if (!accept_punct(p, ')'))
                return expected(p, "')' after the value of qualifier '%s'", q->name);
        } else if (at_punct(p, '{')) {
            if (!(q->value = parse_value(p, context)))
                return false;
        }
        if (accept_punct(p, ':')) {
            uint32_t flag;
            if (!flavor_of(&p->token, &flag))
                return expected(p, "a flavor (EnableOverride, DisableOverride, ToSubclass, "
                                   "Restricted, Translatable) after ':'");
            while (flavor_of(&p->token, &flag)) {
                q->flavor |= flag;
                advance(p);
            }
        }
        *tail = q;
        tail = &q->next;
        if (accept_punct(p, ']'))
            return true;
        if (!accept_punct(p, ','))
            return expected(p, "',' or ']' after qualifier '%s'", q->name);
    }
}

/* ---- classes ---- */

/* A data type or `Class REF`; *is_ref tells which. The token after is the member name. */
static bool parse_type(parser *p, mof_type *type, const char *where)
{
    memset(type, 0, sizeof *type);
    type->pos = pos_of(p, &p->token);
    if (p->token.kind != MOF_TOKEN_IDENTIFIER)
        return expected(p, "a data type or a class name %s", where);
    if (data_type_of(&p->token, &type->scalar)) {
        advance(p);
        if (at_word(p, "REF")) {
            mof_pos pos = pos_of(p, &p->token);
            return report(p, &pos, "'REF' must follow a class name, not the data type '%s'",
                          mi_type_name(type->scalar));
        }
    } else {
        mof_token name = p->token;
        const char *class_name = take_identifier(p);
        if (!class_name)
            return false;
        if (!at_word(p, "REF")) {
            mof_pos pos = {p->file, name.line, name.column};
            return report(p, &pos,
                          "unknown data type '%s'; expected a CIM type such as string or uint32, "
                          "or 'ClassName REF' for a reference",
                          class_name);
        }
        advance(p);
        type->scalar = MI_REFERENCE;
        type->ref_class = class_name;
    }
    if (at_punct(p, '[')) { /* MOF 3 style: the brackets follow the type */
        if (!parse_array_suffix(p, type, "type", "(unnamed)"))
            return false;
    }
    return true;
}

static bool parse_parameters(parser *p, mof_feature *method)
{
    mof_parameter **tail = &method->parameters;
    if (accept_punct(p, ')'))
        return true;
    for (;;) {
        mof_parameter *param = node(p, sizeof *param);
        if (!param || !parse_qualifier_list(p, &param->qualifiers))
            return false;
        char where[200];
        snprintf(where, sizeof where, "for a parameter of method '%s'", method->name);
        if (!parse_type(p, &param->type, where))
            return false;
        if (p->token.kind != MOF_TOKEN_IDENTIFIER)
            return expected(p, "a parameter name in method '%s'", method->name);
        param->pos = pos_of(p, &p->token);
        if (!(param->name = take_identifier(p)) ||
            !parse_array_suffix(p, &param->type, "parameter", param->name))
            return false;
        if (accept_punct(p, '=')) {
            snprintf(where, sizeof where, "for parameter '%s'", param->name);
            if (!(param->default_value = parse_value(p, where)))
                return false;
        }
        *tail = param;
        tail = &param->next;
        if (accept_punct(p, ')'))
            return true;
        if (!accept_punct(p, ','))
            return expected(p, "',' or ')' after parameter '%s' of method '%s'", param->name,
                            method->name);
    }
}

static bool parse_feature(parser *p, mof_class *cls, mof_feature **out)
{
    mof_feature *f = node(p, sizeof *f);
    if (!f || !parse_qualifier_list(p, &f->qualifiers))
        return false;
    char where[200];
    snprintf(where, sizeof where, "in class '%s'", cls->name);
    if (!parse_type(p, &f->type, where))
        return false;
    if (p->token.kind != MOF_TOKEN_IDENTIFIER)
        return expected(p, "a property or method name after the type %s", where);
    f->pos = pos_of(p, &p->token);
    if (!(f->name = take_identifier(p)))
        return false;
    if (accept_punct(p, '(')) {
        f->kind = MOF_FEATURE_METHOD;
        if (f->type.is_array) {
            mof_pos pos = f->type.pos;
            return report(p, &pos, "method '%s' cannot return an array", f->name);
        }
        if (!parse_parameters(p, f))
            return false;
        if (!accept_punct(p, ';'))
            return expected(p, "';' after method '%s'", f->name);
        *out = f;
        return true;
    }
    const char *what = f->type.scalar == MI_REFERENCE ? "reference" : "property";
    if (!parse_array_suffix(p, &f->type, what, f->name))
        return false;
    if (accept_punct(p, '=')) {
        snprintf(where, sizeof where, "for %s '%s'", what, f->name);
        if (!(f->default_value = parse_value(p, where)))
            return false;
    }
    if (!accept_punct(p, ';'))
        return expected(p, "';' after %s '%s'", what, f->name);
    *out = f;
    return true;
}

static bool parse_class(parser *p, mof_qualifier *qualifiers)
{
    advance(p); /* class */
    if (p->token.kind != MOF_TOKEN_IDENTIFIER)
        return expected(p, "a class name after 'class'");
    mof_class *cls = node(p, sizeof *cls);
    if (!cls)
        return false;
    cls->pos = pos_of(p, &p->token);
    cls->qualifiers = qualifiers;
    cls->namespace_name = p->state->namespace_name;
    if (!(cls->name = take_identifier(p)))
        return false;
    if (accept_punct(p, ':')) {
        if (p->token.kind != MOF_TOKEN_IDENTIFIER)
            return expected(p, "a superclass name after ':' in class '%s'", cls->name);
        cls->superclass_pos = pos_of(p, &p->token);
        if (!(cls->superclass = take_identifier(p)))
            return false;
    }
    if (!accept_punct(p, '{'))
        return expected(p, "'{' to open the body of class '%s'", cls->name);
    /* The class joins the unit now, so that a broken body still defines the name. */
    *p->state->unit->classes_tail = cls;
    p->state->unit->classes_tail = &cls->next;
    mof_feature **tail = &cls->features;
    uint32_t body = p->nesting;
    while (!at_punct(p, '}') && p->token.kind != MOF_TOKEN_EOF && !p->state->stopped) {
        mof_feature *f = NULL;
        if (parse_feature(p, cls, &f)) {
            *tail = f;
            tail = &f->next;
        } else {
            cls->broken = true;
            recover(p, body, true);
        }
    }
    if (!accept_punct(p, '}')) {
        cls->broken = true;
        return expected(p, "'}' to close the body of class '%s'", cls->name);
    }
    if (!accept_punct(p, ';')) {
        cls->broken = true;
        return expected(p, "';' after the body of class '%s'", cls->name);
    }
    return true;
}

/* ---- instances ---- */

static bool parse_property_value(parser *p, mof_instance *inst, mof_property_value **out)
{
    mof_property_value *pv = node(p, sizeof *pv);
    if (!pv || !parse_qualifier_list(p, &pv->qualifiers))
        return false;
    if (p->token.kind != MOF_TOKEN_IDENTIFIER)
        return expected(p, "a property name or '}' in instance of '%s'", inst->class_name);
    pv->pos = pos_of(p, &p->token);
    if (!(pv->name = take_identifier(p)))
        return false;
    if (!accept_punct(p, '='))
        return expected(p, "'=' after property '%s' in instance of '%s'", pv->name,
                        inst->class_name);
    char where[200];
    snprintf(where, sizeof where, "for property '%s'", pv->name);
    if (!(pv->value = parse_value(p, where)))
        return false;
    if (!accept_punct(p, ';'))
        return expected(p, "';' after the value of property '%s'", pv->name);
    *out = pv;
    return true;
}

static bool parse_instance(parser *p, mof_qualifier *qualifiers)
{
    mof_pos start = pos_of(p, &p->token);
    advance(p); /* instance */
    if (!at_word(p, "of"))
        return expected(p, "'of' after 'instance'");
    advance(p);
    if (p->token.kind != MOF_TOKEN_IDENTIFIER)
        return expected(p, "a class name after 'instance of'");
    mof_instance *inst = node(p, sizeof *inst);
    if (!inst)
        return false;
    inst->pos = start;
    inst->qualifiers = qualifiers;
    inst->namespace_name = p->state->namespace_name;
    if (!(inst->class_name = take_identifier(p)))
        return false;
    if (at_word(p, "as")) {
        advance(p);
        if (p->token.kind != MOF_TOKEN_ALIAS)
            return expected(p, "an alias ($name) after 'as'");
        inst->alias_pos = pos_of(p, &p->token);
        if (!(inst->alias = take_identifier(p)))
            return false;
    }
    if (!accept_punct(p, '{'))
        return expected(p, "'{' to open instance of '%s'", inst->class_name);
    *p->state->unit->instances_tail = inst;
    p->state->unit->instances_tail = &inst->next;
    mof_property_value **tail = &inst->values;
    uint32_t body = p->nesting;
    while (!at_punct(p, '}') && p->token.kind != MOF_TOKEN_EOF && !p->state->stopped) {
        mof_property_value *pv = NULL;
        if (parse_property_value(p, inst, &pv)) {
            *tail = pv;
            tail = &pv->next;
        } else {
            inst->broken = true;
            recover(p, body, true);
        }
    }
    if (!accept_punct(p, '}')) {
        inst->broken = true;
        return expected(p, "'}' to close instance of '%s'", inst->class_name);
    }
    if (!accept_punct(p, ';')) {
        inst->broken = true;
        return expected(p, "';' after instance of '%s'", inst->class_name);
    }
    return true;
}

/* ---- qualifier type declarations ---- */

static const struct {
    const char *name;
    uint32_t flag;
} scopes[] = {
    {"class", MI_FLAG_CLASS},
    {"association", MI_FLAG_ASSOCIATION},
    {"indication", MI_FLAG_INDICATION},
    {"property", MI_FLAG_PROPERTY},
    {"reference", MI_FLAG_REFERENCE},
    {"method", MI_FLAG_METHOD},
    {"parameter", MI_FLAG_PARAMETER},
    {"any", MI_FLAG_ANY},
    {"qualifier", 0}, /* accepted, nothing to record: qualifiers carry no qualifiers here */
};

static bool parse_scope(parser *p, mof_qualifier_type *qt)
{
    if (!accept_punct(p, '('))
        return expected(p, "'(' after 'Scope' of qualifier '%s'", qt->name);
    for (;;) {
        size_t i = 0, n = sizeof scopes / sizeof scopes[0];
        while (i < n && !mof_token_is(&p->token, scopes[i].name))
            i++;
        if (i == n)
            return expected(p,
                            "a scope (class, association, indication, property, reference, "
                            "method, parameter or any) for qualifier '%s'",
                            qt->name);
        qt->scope |= scopes[i].flag;
        advance(p);
        if (accept_punct(p, ')'))
            return true;
        if (!accept_punct(p, ','))
            return expected(p, "',' or ')' in the scope of qualifier '%s'", qt->name);
    }
}

static bool parse_flavor(parser *p, mof_qualifier_type *qt)
{
    if (!accept_punct(p, '('))
        return expected(p, "'(' after 'Flavor' of qualifier '%s'", qt->name);
    for (;;) {
        uint32_t flag;
        if (!flavor_of(&p->token, &flag))
            return expected(p,
                            "a flavor (EnableOverride, DisableOverride, ToSubclass, "
                            "Restricted, Translatable) for qualifier '%s'",
                            qt->name);
        qt->flavor |= flag;
        advance(p);
        if (accept_punct(p, ')'))
            return true;
        if (!accept_punct(p, ','))
            return expected(p, "',' or ')' in the flavor of qualifier '%s'", qt->name);
    }
}

static bool parse_qualifier_type(parser *p)
{
    advance(p); /* qualifier */
    if (p->token.kind != MOF_TOKEN_IDENTIFIER)
        return expected(p, "a qualifier name after 'Qualifier'");
    mof_qualifier_type *qt = node(p, sizeof *qt);
    if (!qt)
        return false;
    qt->pos = pos_of(p, &p->token);
    qt->namespace_name = p->state->namespace_name;
    if (!(qt->name = take_identifier(p)))
        return false;
    if (!accept_punct(p, ':'))
        return expected(p, "':' and a data type after qualifier name '%s'", qt->name);
    qt->type.pos = pos_of(p, &p->token);
    if (!data_type_of(&p->token, &qt->type.scalar))
        return expected(p, "a data type for qualifier '%s'", qt->name);
    advance(p);
    if (!parse_array_suffix(p, &qt->type, "qualifier", qt->name))
        return false;
    if (accept_punct(p, '=')) {
        char where[200];
        snprintf(where, sizeof where, "for the default of qualifier '%s'", qt->name);
        if (!(qt->default_value = parse_value(p, where)))
            return false;
    }
    if (!accept_punct(p, ','))
        return expected(p, "',' and 'Scope(...)' after qualifier '%s'", qt->name);
    if (!at_word(p, "Scope"))
        return expected(p, "'Scope(...)' in the declaration of qualifier '%s'", qt->name);
    advance(p);
    if (!parse_scope(p, qt))
        return false;
    if (accept_punct(p, ',')) {
        if (!at_word(p, "Flavor"))
            return expected(p, "'Flavor(...)' after the scope of qualifier '%s'", qt->name);
        advance(p);
        if (!parse_flavor(p, qt))
            return false;
    }
    if (!accept_punct(p, ';'))
        return expected(p, "';' after the declaration of qualifier '%s'", qt->name);
    *p->state->unit->qualifier_types_tail = qt;
    p->state->unit->qualifier_types_tail = &qt->next;
    return true;
}

bool mof_namespace_valid(const char *name)
{
    if (!name || !*name || name[0] == '/' || name[strlen(name) - 1] == '/' || strstr(name, "//"))
        return false;
    for (const char *c = name; *c; c++) {
        bool ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                  (*c >= '0' && *c <= '9') || *c == '_' || *c == '/';
        if (!ok)
            return false;
    }
    return true;
}

/* WMI writes namespaces as "\\\\.\\root\\cimv2" (a server, then backslashes): the server
 * is dropped and backslashes become '/'. Returns the name, changed in place, or NULL
 * when it is not a namespace name. */
static const char *normalize_namespace(char *name)
{
    if (name[0] == '\\' && name[1] == '\\') {
        char *after_server = strchr(name + 2, '\\');
        if (!after_server)
            return NULL;
        name = after_server + 1;
    }
    for (char *c = name; *c; c++) {
        if (*c == '\\')
            *c = '/';
    }
    return mof_namespace_valid(name) ? name : NULL;
}

/* ---- pragmas ---- */

static bool parse_pragma(parser *p)
{
    mof_pos start = pos_of(p, &p->token);
    advance(p); /* # */
    if (!at_word(p, "pragma"))
        return expected(p, "'pragma' after '#'");
    advance(p);
    if (p->token.kind != MOF_TOKEN_IDENTIFIER)
        return expected(p, "a pragma name after '#pragma'");
    mof_token name = p->token;
    advance(p);
    if (!at_punct(p, '(')) {
        /* a pragma without a value (WMI's autorecover, for one) */
        char message[160];
        snprintf(message, sizeof message, "unknown pragma '%.*s' ignored", (int)name.len,
                 name.text);
        warn(p, &start, message);
        return true;
    }
    advance(p);
    mof_pos value_pos = pos_of(p, &p->token);
    if (p->token.kind != MOF_TOKEN_STRING)
        return expected(p, "a string in '#pragma %.*s(...)'", (int)name.len, name.text);
    mi_strbuf sb = MI_STRBUF_INIT;
    while (p->token.kind == MOF_TOKEN_STRING) {
        if (!append_string(p, &sb)) {
            mi_strbuf_free(&sb);
            return false;
        }
        advance(p);
    }
    const char *value = mi_arena_strndup(p->state->arena, sb.data ? sb.data : "", sb.len);
    bool failed = sb.failed || !value;
    mi_strbuf_free(&sb);
    if (failed)
        return nomem(p, &value_pos);
    if (!accept_punct(p, ')'))
        return expected(p, "')' after the value of '#pragma %.*s'", (int)name.len, name.text);
    if (mof_token_is(&name, "include")) {
        if (!p->state->host.include(p->state->host.context, &value_pos, value))
            p->state->stopped = true;
    } else if (mof_token_is(&name, "namespace")) {
        const char *ns = normalize_namespace((char *)value);
        if (!ns)
            return report(p, &value_pos,
                          "invalid namespace '%s' in '#pragma namespace' (expected names of "
                          "letters, digits and '_' separated by '/', such as root/cimv2)",
                          value);
        p->state->namespace_name = ns;
    } else if (!mof_token_is(&name, "locale") && !mof_token_is(&name, "instancelocale")) {
        char message[160];
        snprintf(message, sizeof message, "unknown pragma '%.*s' ignored", (int)name.len,
                 name.text);
        warn(p, &start, message);
    }
    return true;
}

/* ---- top level ---- */

static bool parse_declaration(parser *p)
{
    if (at_punct(p, '#'))
        return parse_pragma(p);
    if (at_word(p, "qualifier"))
        return parse_qualifier_type(p);
    mof_qualifier *qualifiers = NULL;
    if (!parse_qualifier_list(p, &qualifiers))
        return false;
    if (at_word(p, "class"))
        return parse_class(p, qualifiers);
    if (at_word(p, "instance"))
        return parse_instance(p, qualifiers);
    return expected(p, qualifiers ? "'class' or 'instance of' after the qualifier list"
                                  : "'class', 'instance of', 'Qualifier' or '#pragma'");
}

bool mof_parse(mof_parse_state *state, const char *file, const char *text, size_t len)
{
    parser p = {.state = state, .file = file};
    mof_lexer_init(&p.lexer, text, len);
    advance(&p);
    while (p.token.kind != MOF_TOKEN_EOF && !state->stopped) {
        if (p.token.kind == MOF_TOKEN_ERROR) {
            advance(&p); /* reported already; try the next token */
            continue;
        }
        if (!parse_declaration(&p))
            recover(&p, 0, false);
    }
    free(p.scratch);
    return !state->stopped;
}
