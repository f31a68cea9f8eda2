/*
 * query — see query.h. A hand-written recursive-descent parser over a small lexer (WQL
 * has no grammar library to lean on); the condition is a tree evaluated with SQL's
 * three values, NULL comparing as unknown, and only a true condition keeps an instance.
 */
#include "query.h"

#include "core/instance.h"
#include "core/name.h"
#include "core/path.h"
#include "core/strbuf.h"
#include "core/value.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { MAX_NESTING = 64 };

/* ---- tokens ---- */

typedef enum tok_kind {
    T_END,
    T_IDENT,
    T_STRING,
    T_NUMBER,
    T_OP, /* = <> != < <= > >= */
    T_LPAREN,
    T_RPAREN,
    T_COMMA,
    T_STAR,
    T_BRACED, /* {an object path} */
    T_BAD,
} tok_kind;

typedef struct token {
    tok_kind kind;
    const char *start;
    size_t len;
    size_t column; /* 1-based */
} token;

typedef struct lexer {
    const char *text, *at;
    token tok; /* the current one */
} lexer;

static void advance(lexer *lx)
{
    const char *p = lx->at;
    while (*p && isspace((unsigned char)*p))
        p++;
    token t = {T_END, p, 0, (size_t)(p - lx->text) + 1};
    char c = *p;
    if (!c) {
        t.kind = T_END;
    } else if (isalpha((unsigned char)c) || c == '_') {
        const char *q = p;
        while (isalnum((unsigned char)*q) || *q == '_')
            q++;
        t.kind = T_IDENT, t.len = (size_t)(q - p);
    } else if (isdigit((unsigned char)c) || ((c == '-' || c == '+' || c == '.') &&
                                             (isdigit((unsigned char)p[1]) || p[1] == '.'))) {
        const char *q = p + 1;
        while (isalnum((unsigned char)*q) || *q == '.' ||
               ((*q == '-' || *q == '+') && (q[-1] == 'e' || q[-1] == 'E')))
            q++;
        t.kind = T_NUMBER, t.len = (size_t)(q - p);
    } else if (c == '\'' || c == '"') {
        const char *q = p + 1;
        while (*q && *q != c)
            q += (*q == '\\' && q[1]) ? 2 : 1;
        t.kind = *q ? T_STRING : T_BAD;
        t.len = (size_t)(q - p) + (*q ? 1 : 0);
    } else if (c == '{') {
        const char *q = p + 1;
        char quote = 0;
        for (; *q && (quote || *q != '}'); q++) {
            if (quote && *q == '\\' && q[1])
                q++;
            else if (*q == '"' || *q == '\'')
                quote = quote == *q ? 0 : quote ? quote : *q;
        }
        t.kind = *q ? T_BRACED : T_BAD;
        t.len = (size_t)(q - p) + (*q ? 1 : 0);
    } else if (c == '<' || c == '>' || c == '!' || c == '=') {
        t.kind = T_OP;
        t.len = (p[1] == '=' || (c == '<' && p[1] == '>')) ? 2 : 1;
        if (c == '!' && p[1] != '=')
            t.kind = T_BAD;
    } else {
        t.kind = c == '('   ? T_LPAREN
                 : c == ')' ? T_RPAREN
                 : c == ',' ? T_COMMA
                 : c == '*' ? T_STAR
                            : T_BAD;
        t.len = 1;
    }
    lx->tok = t;
    lx->at = p + t.len;
}

static bool is_word(const token *t, const char *word)
{
    return t->kind == T_IDENT && strlen(word) == t->len && !strncasecmp(t->start, word, t->len);
}

/* ---- the plan ---- */

typedef enum op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE } op;
typedef enum lit_kind { L_STRING, L_NUMBER, L_BOOL, L_NULL } lit_kind;

typedef struct literal {
    lit_kind kind;
    char *text; /* strings: decoded; numbers: as written */
    double number;
    bool integral;
    int64_t integer;
    bool boolean;
} literal;

typedef enum node_kind { X_AND, X_OR, X_NOT, X_CMP, X_IS_NULL, X_LIKE, X_ISA } node_kind;

typedef struct node {
    node_kind kind;
    struct node *a, *b; /* AND, OR: both; NOT: a */
    char *property;
    op cmp;
    literal lit;  /* CMP, LIKE (the pattern), ISA (the class) */
    bool negated; /* IS NOT NULL, NOT LIKE */
} node;

struct mi_query {
    bool select, associators;
    char *class_name; /* SELECT's FROM */
    char **properties;
    size_t property_count;
    bool all;
    node *where;
    MI_Instance *source; /* ASSOCIATORS/REFERENCES OF */
    char *assoc_class, *result_class, *role, *result_role;
    bool keys_only;
};

static void free_node(node *n)
{
    if (!n)
        return;
    free_node(n->a);
    free_node(n->b);
    free(n->property);
    free(n->lit.text);
    free(n);
}

void mi_query_free(mi_query *q)
{
    if (!q)
        return;
    free(q->class_name);
    for (size_t i = 0; i < q->property_count; i++)
        free(q->properties[i]);
    free(q->properties);
    free_node(q->where);
    if (q->source)
        mi_instance_delete(q->source);
    free(q->assoc_class);
    free(q->result_class);
    free(q->role);
    free(q->result_role);
    free(q);
}

/* ---- parsing ---- */

typedef struct parser {
    lexer lx;
    mi_error *err;
    MI_Result failed;
    int depth;
} parser;

static void fail_at(parser *p, const token *t, const char *expected)
{
    if (p->failed)
        return;
    if (t->kind == T_END)
        mi_error_set(p->err, MI_RESULT_INVALID_QUERY, "column %zu: expected %s, found the end",
                     t->column, expected);
    else
        mi_error_set(p->err, MI_RESULT_INVALID_QUERY, "column %zu: expected %s, found '%.*s'",
                     t->column, expected, (int)(t->len > 40 ? 40 : t->len), t->start);
    p->failed = MI_RESULT_INVALID_QUERY;
}

static char *token_text(const token *t)
{
    char *s = malloc(t->len + 1);
    if (s) {
        memcpy(s, t->start, t->len);
        s[t->len] = '\0';
    }
    return s;
}

/* A quoted string's text, its backslash escapes undone. */
static char *string_text(const token *t)
{
    char *s = malloc(t->len);
    if (!s)
        return NULL;
    size_t n = 0;
    for (size_t i = 1; i + 1 < t->len; i++) {
        char c = t->start[i];
        if (c == '\\' && i + 2 < t->len) {
            c = t->start[++i];
            c = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c;
        }
        s[n++] = c;
    }
    s[n] = '\0';
    return s;
}

/* An identifier: its text (the caller's), or NULL with the error set. */
static char *take_ident(parser *p, const char *expected)
{
    if (p->lx.tok.kind != T_IDENT) {
        fail_at(p, &p->lx.tok, expected);
        return NULL;
    }
    char *s = token_text(&p->lx.tok);
    if (!s)
        p->failed = mi_error_nomem(p->err);
    advance(&p->lx);
    return s;
}

static bool take_word(parser *p, const char *word)
{
    if (!is_word(&p->lx.tok, word)) {
        fail_at(p, &p->lx.tok, word);
        return false;
    }
    advance(&p->lx);
    return true;
}

static bool parse_literal(parser *p, literal *out)
{
    token t = p->lx.tok;
    memset(out, 0, sizeof *out);
    if (t.kind == T_STRING) {
        out->kind = L_STRING;
        out->text = string_text(&t);
    } else if (t.kind == T_NUMBER) {
        out->kind = L_NUMBER;
        out->text = token_text(&t);
        char *end = NULL;
        bool hex = t.len > 2 && t.start[0] == '0' && (t.start[1] == 'x' || t.start[1] == 'X');
        if (out->text && !hex && !strpbrk(out->text, ".eE")) {
            long long v = strtoll(out->text, &end, 10);
            out->integral = *end == '\0';
            out->integer = v;
            out->number = (double)v;
        } else if (out->text && hex) {
            unsigned long long v = strtoull(out->text, &end, 16);
            out->integral = *end == '\0' && v <= INT64_MAX;
            out->integer = (int64_t)v;
            out->number = (double)v;
        } else if (out->text) {
            out->number = strtod(out->text, &end);
        }
        if (out->text && (!end || *end)) {
            fail_at(p, &t, "a number");
            return false;
        }
    } else if (is_word(&t, "TRUE") || is_word(&t, "FALSE")) {
        out->kind = L_BOOL;
        out->boolean = is_word(&t, "TRUE");
    } else if (is_word(&t, "NULL")) {
        out->kind = L_NULL;
    } else {
        fail_at(p, &t, "a value (a string, a number, TRUE, FALSE or NULL)");
        return false;
    }
    if ((out->kind == L_STRING || out->kind == L_NUMBER) && !out->text) {
        p->failed = mi_error_nomem(p->err);
        return false;
    }
    advance(&p->lx);
    return true;
}

static bool parse_op(parser *p, op *out)
{
    const token *t = &p->lx.tok;
    if (t->kind != T_OP) {
        fail_at(p, t, "a comparison (=, <>, <, <=, >, >=), IS, LIKE or ISA");
        return false;
    }
    char a = t->start[0], b = t->len > 1 ? t->start[1] : 0;
    *out = a == '='                             ? OP_EQ
           : (a == '<' && b == '>') || a == '!' ? OP_NE
           : a == '<'                           ? (b ? OP_LE : OP_LT)
                                                : (b ? OP_GE : OP_GT);
    if (a == '=' && b) {
        fail_at(p, t, "a comparison");
        return false;
    }
    advance(&p->lx);
    return true;
}

static op flipped(op o)
{
    return o == OP_LT ? OP_GT : o == OP_GT ? OP_LT : o == OP_LE ? OP_GE : o == OP_GE ? OP_LE : o;
}

static node *new_node(parser *p, node_kind kind)
{
    node *n = calloc(1, sizeof *n);
    if (!n)
        p->failed = mi_error_nomem(p->err);
    else
        n->kind = kind;
    return n;
}

static node *parse_or(parser *p);

/* A comparison, IS [NOT] NULL, [NOT] LIKE, ISA, NOT, or a condition in parentheses. */
static node *parse_primary(parser *p)
{
    if (++p->depth > MAX_NESTING) {
        fail_at(p, &p->lx.tok, "a shallower condition");
        return NULL;
    }
    node *n = NULL;
    token t = p->lx.tok;
    if (is_word(&t, "NOT")) {
        advance(&p->lx);
        node *inner = parse_primary(p);
        n = inner ? new_node(p, X_NOT) : NULL;
        if (n)
            n->a = inner;
        else
            free_node(inner);
    } else if (t.kind == T_LPAREN) {
        advance(&p->lx);
        n = parse_or(p);
        if (n && p->lx.tok.kind != T_RPAREN) {
            fail_at(p, &p->lx.tok, "')'");
            free_node(n);
            n = NULL;
        } else if (n) {
            advance(&p->lx);
        }
    } else if (t.kind == T_IDENT && !is_word(&t, "TRUE") && !is_word(&t, "FALSE") &&
               !is_word(&t, "NULL")) {
        char *property = take_ident(p, "a property");
        token at = p->lx.tok;
        if (is_word(&at, "IS")) {
            advance(&p->lx);
            bool negated = is_word(&p->lx.tok, "NOT");
            if (negated)
                advance(&p->lx);
            if (take_word(p, "NULL") && (n = new_node(p, X_IS_NULL)))
                n->negated = negated;
        } else if (is_word(&at, "LIKE") || (is_word(&at, "NOT"))) {
            bool negated = is_word(&at, "NOT");
            advance(&p->lx);
            if ((!negated || take_word(p, "LIKE")) && (n = new_node(p, X_LIKE)) &&
                (!parse_literal(p, &n->lit) || n->lit.kind != L_STRING)) {
                if (!p->failed)
                    fail_at(p, &at, "a string pattern after LIKE");
                free_node(n);
                n = NULL;
            }
            if (n)
                n->negated = negated;
        } else if (is_word(&at, "ISA")) {
            advance(&p->lx);
            if ((n = new_node(p, X_ISA))) {
                if (p->lx.tok.kind == T_IDENT) {
                    n->lit.kind = L_STRING;
                    n->lit.text = take_ident(p, "a class name");
                } else if (!parse_literal(p, &n->lit) || n->lit.kind != L_STRING) {
                    if (!p->failed)
                        fail_at(p, &at, "a class name after ISA");
                }
                if (p->failed) {
                    free_node(n);
                    n = NULL;
                }
            }
        } else if ((n = new_node(p, X_CMP)) &&
                   (!parse_op(p, &n->cmp) || !parse_literal(p, &n->lit))) {
            free_node(n);
            n = NULL;
        }
        if (n)
            n->property = property;
        else
            free(property);
    } else if (t.kind == T_STRING || t.kind == T_NUMBER || t.kind == T_IDENT) {
        /* a value first: value op property */
        n = new_node(p, X_CMP);
        if (n && parse_literal(p, &n->lit) && parse_op(p, &n->cmp) &&
            (n->property = take_ident(p, "a property"))) {
            n->cmp = flipped(n->cmp);
        } else {
            free_node(n);
            n = NULL;
        }
    } else {
        fail_at(p, &t, "a condition");
    }
    p->depth--;
    return n;
}

static node *parse_binary(parser *p, node_kind kind, const char *word, node *(*operand)(parser *))
{
    node *left = operand(p);
    while (left && is_word(&p->lx.tok, word)) {
        advance(&p->lx);
        node *right = operand(p);
        node *n = right ? new_node(p, kind) : NULL;
        if (!n) {
            free_node(left);
            free_node(right);
            return NULL;
        }
        n->a = left, n->b = right;
        left = n;
    }
    return left;
}

static node *parse_and(parser *p)
{
    return parse_binary(p, X_AND, "AND", parse_primary);
}

static node *parse_or(parser *p)
{
    return parse_binary(p, X_OR, "OR", parse_and);
}

static bool push_property(parser *p, mi_query *q, char *name)
{
    char **grown = name ? realloc(q->properties, (q->property_count + 1) * sizeof *grown) : NULL;
    if (!grown) {
        free(name);
        if (!p->failed)
            p->failed = mi_error_nomem(p->err);
        return false;
    }
    q->properties = grown;
    q->properties[q->property_count++] = name;
    return true;
}

static void parse_select(parser *p, mi_query *q)
{
    q->select = true;
    if (p->lx.tok.kind == T_STAR) {
        q->all = true;
        advance(&p->lx);
    } else {
        do {
            if (p->lx.tok.kind == T_COMMA)
                advance(&p->lx);
            if (!push_property(p, q, take_ident(p, "a property or *")))
                return;
        } while (p->lx.tok.kind == T_COMMA);
    }
    if (!take_word(p, "FROM") || !(q->class_name = take_ident(p, "a class name")))
        return;
    if (is_word(&p->lx.tok, "WHERE")) {
        advance(&p->lx);
        q->where = parse_or(p);
    }
}

/* Clause = Value of ASSOCIATORS OF / REFERENCES OF, into *field. */
static bool clause_value(parser *p, char **field)
{
    const token at = p->lx.tok;
    advance(&p->lx);
    if (p->lx.tok.kind != T_OP || p->lx.tok.len != 1 || p->lx.tok.start[0] != '=') {
        fail_at(p, &p->lx.tok, "'='");
        return false;
    }
    advance(&p->lx);
    free(*field);
    if (p->lx.tok.kind == T_STRING) {
        *field = string_text(&p->lx.tok);
        advance(&p->lx);
    } else {
        *field = take_ident(p, "a name");
    }
    (void)at;
    return *field != NULL;
}

static void parse_association(parser *p, mi_query *q, bool associators)
{
    q->associators = associators;
    if (!take_word(p, "OF"))
        return;
    token braced = p->lx.tok;
    if (braced.kind != T_BRACED) {
        fail_at(p, &braced, "{an object path}");
        return;
    }
    char *path = token_text(&braced);
    if (!path) {
        p->failed = mi_error_nomem(p->err);
        return;
    }
    path[braced.len - 1] = '\0'; /* the closing brace */
    mi_error why = {0};
    if (mi_path_parse(&q->source, path + 1, &why) != MI_RESULT_OK) {
        mi_error_set(p->err, MI_RESULT_INVALID_QUERY, "column %zu: not an object path: %s",
                     braced.column, why.message);
        p->failed = MI_RESULT_INVALID_QUERY;
    }
    free(path);
    advance(&p->lx);
    if (p->failed || !is_word(&p->lx.tok, "WHERE"))
        return;
    advance(&p->lx);
    bool class_defs = false, schema = false;
    while (!p->failed && p->lx.tok.kind != T_END) {
        token t = p->lx.tok;
        if (associators && is_word(&t, "AssocClass"))
            clause_value(p, &q->assoc_class);
        else if (is_word(&t, "ResultClass"))
            clause_value(p, &q->result_class);
        else if (is_word(&t, "Role"))
            clause_value(p, &q->role);
        else if (associators && is_word(&t, "ResultRole"))
            clause_value(p, &q->result_role);
        else if (is_word(&t, "KeysOnly"))
            q->keys_only = true, advance(&p->lx);
        else if (is_word(&t, "ClassDefsOnly"))
            class_defs = true, advance(&p->lx);
        else if (is_word(&t, "SchemaOnly"))
            schema = true, advance(&p->lx);
        else if (is_word(&t, "RequiredQualifier") ||
                 (associators && is_word(&t, "RequiredAssocQualifier"))) {
            char *ignored = NULL;
            if (clause_value(p, &ignored)) {
                mi_error_set(p->err, MI_RESULT_NOT_SUPPORTED,
                             "column %zu: %.*s is not supported: a query gives instances, "
                             "filtered by class and role",
                             t.column, (int)t.len, t.start);
                p->failed = MI_RESULT_NOT_SUPPORTED;
            }
            free(ignored);
        } else
            fail_at(p, &t,
                    associators ? "AssocClass, ResultClass, Role, ResultRole, KeysOnly, "
                                  "ClassDefsOnly, SchemaOnly, RequiredQualifier or "
                                  "RequiredAssocQualifier"
                                : "ResultClass, Role, KeysOnly, ClassDefsOnly, SchemaOnly or "
                                  "RequiredQualifier");
    }
    if (p->failed)
        return;
    if (class_defs && q->result_class) {
        mi_error_set(p->err, MI_RESULT_INVALID_QUERY,
                     "ClassDefsOnly and ResultClass exclude each other");
        p->failed = MI_RESULT_INVALID_QUERY;
    } else if (class_defs && schema) {
        mi_error_set(p->err, MI_RESULT_INVALID_QUERY,
                     "ClassDefsOnly and SchemaOnly exclude each other");
        p->failed = MI_RESULT_INVALID_QUERY;
    } else if (class_defs || schema) {
        mi_error_set(p->err, MI_RESULT_NOT_SUPPORTED,
                     "%s gives classes; MI_Session_QueryInstances gives instances (ask "
                     "MI_Session_EnumerateClasses for classes)",
                     class_defs ? "ClassDefsOnly" : "SchemaOnly");
        p->failed = MI_RESULT_NOT_SUPPORTED;
    }
}

MI_Result mi_query_parse(const char *language, const char *text, mi_query **out, mi_error *err)
{
    *out = NULL;
    if (!language || (strcasecmp(language, "WQL") && strcasecmp(language, "CQL") &&
                      strcasecmp(language, "DMTF:CQL")))
        return mi_error_set(err, MI_RESULT_QUERY_LANGUAGE_NOT_SUPPORTED,
                            "query language %s is not supported: WQL or CQL, please",
                            language ? language : "(none)");
    if (!text)
        return mi_error_set(err, MI_RESULT_INVALID_QUERY, "no query given");
    mi_query *q = calloc(1, sizeof *q);
    if (!q)
        return mi_error_nomem(err);
    parser p = {{text, text, {0}}, err, MI_RESULT_OK, 0};
    advance(&p.lx);
    if (is_word(&p.lx.tok, "SELECT")) {
        advance(&p.lx);
        parse_select(&p, q);
    } else if (is_word(&p.lx.tok, "ASSOCIATORS") || is_word(&p.lx.tok, "REFERENCES")) {
        bool associators = is_word(&p.lx.tok, "ASSOCIATORS");
        advance(&p.lx);
        parse_association(&p, q, associators);
    } else {
        fail_at(&p, &p.lx.tok, "SELECT, ASSOCIATORS OF or REFERENCES OF");
    }
    if (!p.failed && p.lx.tok.kind != T_END)
        fail_at(&p, &p.lx.tok,
                q->select && q->where ? "AND, OR or the end"
                : q->select           ? "WHERE or the end"
                                      : "the end");
    if (!p.failed && p.lx.tok.kind == T_BAD)
        fail_at(&p, &p.lx.tok, "a token");
    if (p.failed) {
        mi_query_free(q);
        return p.failed;
    }
    *out = q;
    return MI_RESULT_OK;
}

/* ---- the plan as a request ---- */

bool mi_query_is_select(const mi_query *q)
{
    return q->select;
}

void mi_query_request(const mi_query *q, const char *ns, mi_request *out)
{
    memset(out, 0, sizeof *out);
    out->namespace_name = ns;
    if (q->select) {
        out->operation = MI_OP_ENUMERATE_INSTANCES;
        out->class_name = q->class_name;
        return;
    }
    out->operation = q->associators ? (q->keys_only ? MI_OP_ASSOCIATOR_NAMES : MI_OP_ASSOCIATORS)
                                    : (q->keys_only ? MI_OP_REFERENCE_NAMES : MI_OP_REFERENCES);
    out->keys_only = q->keys_only;
    out->source = q->source;
    out->assoc_class = q->assoc_class;
    out->result_class = q->result_class;
    out->role = q->role;
    out->result_role = q->result_role;
}

static bool system_property(const char *name)
{
    static const char *const names[] = {"__CLASS", "__PATH", "__RELPATH", "__NAMESPACE", "__THIS"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (mi_name_equal(name, names[i]))
            return true;
    return false;
}

static MI_Result check_node(const node *n, const mi_class *cls, mi_error *err)
{
    if (!n)
        return MI_RESULT_OK;
    if (n->property && !system_property(n->property) &&
        !mi_class_find_property(cls, n->property, NULL))
        return mi_error_set(err, MI_RESULT_INVALID_QUERY, "class %s has no property %s", cls->name,
                            n->property);
    MI_Result r = check_node(n->a, cls, err);
    return r == MI_RESULT_OK ? check_node(n->b, cls, err) : r;
}

MI_Result mi_query_check(const mi_query *q, const mi_class *cls, mi_error *err)
{
    for (size_t i = 0; i < q->property_count; i++)
        if (!system_property(q->properties[i]) &&
            !mi_class_find_property(cls, q->properties[i], NULL))
            return mi_error_set(err, MI_RESULT_INVALID_QUERY, "class %s has no property %s",
                                cls->name, q->properties[i]);
    return check_node(q->where, cls, err);
}

bool mi_query_selects(const mi_query *q, const char *name)
{
    if (!q->select || q->all)
        return true;
    for (size_t i = 0; i < q->property_count; i++)
        if (mi_name_equal(q->properties[i], name))
            return true;
    return false;
}

/* ---- evaluation: true, false, or unknown (a NULL took part) ---- */

typedef enum truth { FALSE_, TRUE_, UNKNOWN } truth;

static truth not_(truth t)
{
    return t == UNKNOWN ? UNKNOWN : t == TRUE_ ? FALSE_ : TRUE_;
}

static truth from_order(int order, op o)
{
    switch (o) {
    case OP_EQ:
        return order == 0 ? TRUE_ : FALSE_;
    case OP_NE:
        return order != 0 ? TRUE_ : FALSE_;
    case OP_LT:
        return order < 0 ? TRUE_ : FALSE_;
    case OP_LE:
        return order <= 0 ? TRUE_ : FALSE_;
    case OP_GT:
        return order > 0 ? TRUE_ : FALSE_;
    case OP_GE:
        return order >= 0 ? TRUE_ : FALSE_;
    }
    return FALSE_;
}

/* WQL's LIKE: % any run, _ one character, [abc] [a-z] one of, [^...] none of; letters
 * in any case. */
static bool like(const char *s, const char *pat, int depth)
{
    if (depth > 256)
        return false;
    for (; *pat; pat++, s++) {
        if (*pat == '%') {
            while (pat[1] == '%')
                pat++;
            for (const char *t = s;; t++) {
                if (like(t, pat + 1, depth + 1))
                    return true;
                if (!*t)
                    return false;
            }
        }
        if (!*s)
            return false;
        if (*pat == '_')
            continue;
        if (*pat == '[') {
            const char *q = pat + 1;
            bool negate = *q == '^';
            q += negate;
            bool in = false;
            for (; *q && *q != ']'; q++) {
                if (q[1] == '-' && q[2] && q[2] != ']') {
                    int c = tolower((unsigned char)*s);
                    in = in ||
                         (c >= tolower((unsigned char)q[0]) && c <= tolower((unsigned char)q[2]));
                    q += 2;
                } else {
                    in = in || tolower((unsigned char)*q) == tolower((unsigned char)*s);
                }
            }
            if (!*q || in == negate)
                return false;
            pat = q;
            continue;
        }
        if (tolower((unsigned char)*pat) != tolower((unsigned char)*s))
            return false;
    }
    return *s == '\0';
}

/* A datetime as one number to order by: microseconds (timestamps in UTC). */
static long double datetime_key(const MI_Datetime *d)
{
    if (!d->isTimestamp) {
        const MI_Interval *i = &d->u.interval;
        return ((((long double)i->days * 24 + i->hours) * 60 + i->minutes) * 60 + i->seconds) *
                   1e6L +
               i->microseconds;
    }
    const MI_Timestamp *t = &d->u.timestamp;
    /* days from a civil date (proleptic Gregorian) */
    long y = (long)t->year - (t->month <= 2), m = (long)t->month;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + (long)t->day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long days = era * 146097 + doe;
    long double seconds =
        (((long double)days * 24 + t->hour) * 60 + t->minute - t->utc) * 60 + t->second;
    return seconds * 1e6L + t->microseconds;
}

/* One scalar of a property against the literal. */
static truth compare_scalar(const MI_Value *v, MI_Type scalar, const node *n, MI_Uint32 index,
                            bool array)
{
    const literal *l = &n->lit;
    MI_Value one = *v;
    if (array) { /* the item as a scalar value */
        size_t size = mi_type_size(scalar);
        memcpy(&one, (const char *)v->array.data + (size_t)index * size, size);
    }
    switch (scalar) {
    case MI_BOOLEAN: {
        bool b = one.boolean != 0;
        if (l->kind == L_BOOL)
            return from_order((int)b - (int)l->boolean, n->cmp);
        if (l->kind == L_NUMBER && l->integral)
            return from_order((int)b - (int)(l->integer != 0), n->cmp);
        return FALSE_;
    }
    case MI_STRING:
        if (l->kind != L_STRING)
            return FALSE_;
        return from_order(strcasecmp(one.string ? one.string : "", l->text), n->cmp);
    case MI_CHAR16: {
        char text[8] = {(char)(one.char16 < 0x80 ? one.char16 : '?'), 0};
        return l->kind == L_STRING ? from_order(strcasecmp(text, l->text), n->cmp) : FALSE_;
    }
    case MI_DATETIME: {
        MI_Datetime d;
        if (l->kind != L_STRING || !mi_datetime_parse(l->text, &d) ||
            d.isTimestamp != one.datetime.isTimestamp)
            return FALSE_;
        long double a = datetime_key(&one.datetime), b = datetime_key(&d);
        return from_order(a < b ? -1 : a > b, n->cmp);
    }
    case MI_REAL32:
    case MI_REAL64: {
        double a = scalar == MI_REAL32 ? one.real32 : one.real64;
        double b = l->kind == L_NUMBER   ? l->number
                   : l->kind == L_STRING ? strtod(l->text, NULL)
                                         : NAN;
        if (isnan(a) || isnan(b))
            return FALSE_;
        return from_order(a < b ? -1 : a > b, n->cmp);
    }
    default: { /* the integers, compared exactly where the literal is whole */
        long double a = 0;
        switch (scalar) {
        case MI_UINT8:
            a = one.uint8;
            break;
        case MI_SINT8:
            a = one.sint8;
            break;
        case MI_UINT16:
            a = one.uint16;
            break;
        case MI_SINT16:
            a = one.sint16;
            break;
        case MI_UINT32:
            a = one.uint32;
            break;
        case MI_SINT32:
            a = one.sint32;
            break;
        case MI_UINT64:
            a = (long double)one.uint64;
            break;
        case MI_SINT64:
            a = (long double)one.sint64;
            break;
        default:
            return FALSE_;
        }
        long double b;
        if (l->kind == L_NUMBER)
            b = l->integral ? (long double)l->integer : (long double)l->number;
        else if (l->kind == L_STRING) {
            char *end;
            b = strtold(l->text, &end);
            if (*end || end == l->text)
                return FALSE_;
        } else if (l->kind == L_BOOL) {
            b = l->boolean;
        } else {
            return FALSE_;
        }
        return from_order(a < b ? -1 : a > b, n->cmp);
    }
    }
}

/* The text of a system property of inst (the caller frees it), or NULL. */
static char *system_text(const MI_Instance *inst, const char *name)
{
    if (mi_name_equal(name, "__CLASS") || mi_name_equal(name, "__THIS")) {
        const char *c = mi_instance_class_name(inst);
        return c ? strdup(c) : NULL;
    }
    if (mi_name_equal(name, "__NAMESPACE")) {
        const char *ns = mi_instance_namespace(inst);
        return ns ? strdup(ns) : NULL;
    }
    char *text = NULL;
    MI_Instance *path = NULL;
    if (mi_path_of_instance(&path, inst, NULL) == MI_RESULT_OK) {
        if (mi_name_equal(name, "__RELPATH"))
            MI_Instance_SetNameSpace(path, NULL);
        mi_path_format(&text, path, NULL);
        mi_instance_delete(path);
    }
    return text;
}

static truth eval(const node *n, const MI_Instance *inst, mi_error *err, MI_Result *r)
{
    if (*r != MI_RESULT_OK)
        return FALSE_;
    switch (n->kind) {
    case X_AND: {
        truth a = eval(n->a, inst, err, r);
        if (a == FALSE_)
            return FALSE_;
        truth b = eval(n->b, inst, err, r);
        return b == FALSE_ ? FALSE_ : a == TRUE_ && b == TRUE_ ? TRUE_ : UNKNOWN;
    }
    case X_OR: {
        truth a = eval(n->a, inst, err, r);
        if (a == TRUE_)
            return TRUE_;
        truth b = eval(n->b, inst, err, r);
        return b == TRUE_ ? TRUE_ : a == FALSE_ && b == FALSE_ ? FALSE_ : UNKNOWN;
    }
    case X_NOT:
        return not_(eval(n->a, inst, err, r));
    default:
        break;
    }
    if (system_property(n->property)) {
        char *text = system_text(inst, n->property);
        truth t;
        if (n->kind == X_IS_NULL)
            t = (text == NULL) != n->negated ? TRUE_ : FALSE_;
        else if (!text)
            t = UNKNOWN;
        else if (n->kind == X_ISA)
            t = mi_instance_class((MI_Instance *)inst) &&
                        mi_class_is_a(mi_instance_class((MI_Instance *)inst), n->lit.text)
                    ? TRUE_
                    : FALSE_;
        else if (n->kind == X_LIKE)
            t = like(text, n->lit.text, 0) != n->negated ? TRUE_ : FALSE_;
        else if (n->lit.kind == L_NULL)
            t = UNKNOWN;
        else
            t = n->lit.kind == L_STRING ? from_order(strcasecmp(text, n->lit.text), n->cmp)
                                        : FALSE_;
        free(text);
        return t;
    }
    MI_Value v;
    MI_Type type;
    MI_Uint32 flags;
    if (MI_Instance_GetElement(inst, n->property, &v, &type, &flags, NULL) != MI_RESULT_OK)
        return n->kind == X_IS_NULL && !n->negated ? TRUE_ : UNKNOWN; /* a class without it */
    bool null = (flags & MI_FLAG_NULL) != 0;
    if (n->kind == X_IS_NULL)
        return null != n->negated ? TRUE_ : FALSE_;
    if (null || (n->kind == X_CMP && n->lit.kind == L_NULL))
        return UNKNOWN;
    MI_Type scalar = MI_TYPE_SCALAR(type);
    bool array = MI_TYPE_IS_ARRAY(type);
    if (n->kind == X_ISA) { /* an embedded instance (or a reference) of the class */
        if (array || (scalar != MI_INSTANCE && scalar != MI_REFERENCE) || !v.instance)
            return FALSE_;
        const mi_class *c = mi_instance_class((MI_Instance *)v.instance);
        return c ? (mi_class_is_a(c, n->lit.text) ? TRUE_ : FALSE_)
               : mi_name_equal(mi_instance_class_name(v.instance), n->lit.text) ? TRUE_
                                                                                : FALSE_;
    }
    if (scalar == MI_REFERENCE || scalar == MI_INSTANCE) {
        if (array || !v.reference)
            return FALSE_;
        char *text = NULL;
        mi_path_format(&text, v.reference, NULL);
        truth t = !text               ? UNKNOWN
                  : n->kind == X_LIKE ? (like(text, n->lit.text, 0) != n->negated ? TRUE_ : FALSE_)
                  : n->lit.kind == L_STRING ? from_order(strcasecmp(text, n->lit.text), n->cmp)
                                            : FALSE_;
        free(text);
        return t;
    }
    MI_Uint32 count = array ? v.array.size : 1;
    truth any = FALSE_; /* an array holds when one of its items does */
    for (MI_Uint32 i = 0; i < count && any != TRUE_; i++) {
        truth t;
        if (n->kind == X_LIKE) {
            const char *s = scalar == MI_STRING ? (array ? v.stringa.data[i] : v.string) : NULL;
            t = s ? (like(s, n->lit.text, 0) != n->negated ? TRUE_ : FALSE_) : FALSE_;
        } else {
            t = compare_scalar(&v, scalar, n, i, array);
        }
        any = t == TRUE_ ? TRUE_ : any;
    }
    return any;
}

MI_Result mi_query_matches(const mi_query *q, const MI_Instance *inst, bool *matches, mi_error *err)
{
    *matches = true;
    if (!q->select || !q->where)
        return MI_RESULT_OK;
    MI_Result r = MI_RESULT_OK;
    *matches = eval(q->where, inst, err, &r) == TRUE_;
    return r;
}
