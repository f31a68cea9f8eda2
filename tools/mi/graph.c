/*
 * graph — mi graph: the association neighbourhood of an instance as Graphviz DOT or
 * JSON. A breadth-first walk to --depth steps; each instance is one node (labelled with
 * its class and keys) however often it is reached; each association is an edge labelled
 * with its class and the roles of its two ends.
 */
#define _POSIX_C_SOURCE 200809L

#include "commands.h"
#include "output.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char graph_usage[] =
    "usage: mi graph INSTANCE [options]\n"
    "\n"
    "The association neighbourhood of INSTANCE as a Graphviz DOT graph: instances are\n"
    "nodes labelled with their class and keys, associations are edges labelled with their\n"
    "class. Render it with dot: mi graph ... | dot -Tsvg > graph.svg\n"
    "With --format json: {\"nodes\": [{\"id\", \"path\", \"class\", \"depth\"}...],\n"
    "\"edges\": [{\"from\", \"to\", \"association\", \"role\", \"result_role\"}...]}.\n"
    "\n"
    "options:\n"
    "  --depth N             steps from INSTANCE (default 2, at most 100)\n"
    "  -f, --format FORMAT   dot (the default) or json\n"
    "  --assoc-class CLASS   only through associations of this class (or a subclass)\n"
    "  --result-class CLASS  only to instances of this class (or a subclass)\n"
    "  --role NAME           the near end plays this role\n"
    "  --result-role NAME    the far end plays this role\n";

typedef struct node {
    char *id;    /* the path without namespace, lower case: equal for equal objects */
    char *label; /* class and keys */
    MI_Instance *path;
    int depth;
} node;

typedef struct edge {
    char *key; /* "a b assoc": each association between two nodes once */
    long from, to;
    char *assoc, *role, *result_role;
} edge;

typedef struct graph {
    node *nodes;
    size_t count, cap;
    edge *edges;
    size_t edge_count, edge_cap;
} graph;

static char *node_id(const MI_Instance *inst)
{
    MI_Char *text = NULL;
    if (MI_Libmi_FormatObjectPath(inst, &text) != MI_RESULT_OK)
        return NULL;
    const char *start = text;
    const char *colon = strchr(text, ':'), *dot = strchr(text, '.');
    if (colon && (!dot || colon < dot))
        start = colon + 1;
    char *id = strdup(start);
    MI_Libmi_Free(text);
    for (char *p = id; p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return id;
}

static char *node_label(const MI_Instance *inst)
{
    const MI_Char *cls = NULL;
    MI_Instance_GetClassName(inst, &cls);
    size_t cap = 256, len = 0;
    char *label = malloc(cap);
    if (!label)
        return NULL;
    len = (size_t)snprintf(label, cap, "%s", cls ? cls : "?");
    MI_Uint32 count = 0;
    MI_Instance_GetElementCount(inst, &count);
    for (MI_Uint32 i = 0; i < count; i++) {
        const MI_Char *name;
        MI_Value v;
        MI_Type type;
        MI_Uint32 flags;
        if (MI_Instance_GetElementAt(inst, i, &name, &v, &type, &flags) != MI_RESULT_OK ||
            !(flags & MI_FLAG_KEY) || (flags & MI_FLAG_NULL) || type == MI_REFERENCE)
            continue;
        if (type == MI_STRING && !strcmp(name, "CreationClassName"))
            continue; /* says what the class name already says */
        char *value = mi_output_value_text(&v, type);
        size_t need = len + strlen(name) + (value ? strlen(value) : 0) + 8;
        if (need > cap) {
            char *grown = realloc(label, cap = need * 2);
            if (!grown) {
                free(value);
                break;
            }
            label = grown;
        }
        len += (size_t)snprintf(label + len, cap - len, "\n%s=%s", name, value ? value : "");
        free(value);
    }
    return label;
}

static void put_dot_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            printf("\\%c", *s);
        else if (*s == '\n')
            printf("\\n");
        else
            putchar(*s);
    }
    putchar('"');
}

static void put_json_string(const char *s)
{
    char *q = mi_output_quoted(s ? s : "", true);
    fputs(q ? q : "\"\"", stdout);
    free(q);
}

/* The index of the node for inst, added at depth when new (-1 when memory ran out). */
static long find_or_add(graph *g, const MI_Instance *inst, int depth, bool *added)
{
    *added = false;
    char *id = node_id(inst);
    if (!id)
        return -1;
    for (size_t i = 0; i < g->count; i++) {
        if (!strcmp(g->nodes[i].id, id)) {
            free(id);
            return (long)i;
        }
    }
    if (g->count == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 16;
        node *grown = realloc(g->nodes, cap * sizeof *grown);
        if (!grown) {
            free(id);
            return -1;
        }
        g->nodes = grown;
        g->cap = cap;
    }
    node *n = &g->nodes[g->count];
    n->id = id;
    n->label = node_label(inst);
    n->depth = depth;
    n->path = NULL;
    MI_Instance_Clone(inst, &n->path);
    *added = true;
    return (long)g->count++;
}

static void add_edge(graph *g, long a, long b, const char *assoc, const char *role_a,
                     const char *role_b)
{
    char ends[64];
    snprintf(ends, sizeof ends, "%ld %ld ", a < b ? a : b, a < b ? b : a);
    size_t len = strlen(ends) + strlen(assoc) + 1;
    char *key = malloc(len);
    if (!key)
        return;
    snprintf(key, len, "%s%s", ends, assoc);
    for (size_t i = 0; i < g->edge_count; i++) {
        if (!strcmp(g->edges[i].key, key)) {
            free(key);
            return;
        }
    }
    if (g->edge_count == g->edge_cap) {
        size_t cap = g->edge_cap ? g->edge_cap * 2 : 16;
        edge *grown = realloc(g->edges, cap * sizeof *grown);
        if (!grown) {
            free(key);
            return;
        }
        g->edges = grown;
        g->edge_cap = cap;
    }
    g->edges[g->edge_count++] = (edge){key, a, b, strdup(assoc), strdup(role_a), strdup(role_b)};
}

static void print_dot(const graph *g)
{
    printf("digraph associations {\n  rankdir=LR;\n  node [shape=box, fontsize=10];\n"
           "  edge [fontsize=9];\n");
    for (size_t i = 0; i < g->count; i++) {
        printf("  n%zu [label=", i);
        put_dot_string(g->nodes[i].label ? g->nodes[i].label : "?");
        printf(i == 0 ? ", style=bold];\n" : "];\n");
    }
    for (size_t i = 0; i < g->edge_count; i++) {
        const edge *e = &g->edges[i];
        printf("  n%ld -> n%ld [label=", e->from, e->to);
        char text[512];
        snprintf(text, sizeof text, "%s\n%s / %s", e->assoc ? e->assoc : "?",
                 e->role ? e->role : "", e->result_role ? e->result_role : "");
        put_dot_string(text);
        printf("];\n");
    }
    printf("}\n");
}

static void print_json(const graph *g)
{
    printf("{\"nodes\": [");
    for (size_t i = 0; i < g->count; i++) {
        const node *n = &g->nodes[i];
        MI_Char *path = NULL;
        const MI_Char *cls = NULL;
        if (n->path) {
            MI_Libmi_FormatObjectPath(n->path, &path);
            MI_Instance_GetClassName(n->path, &cls);
        }
        printf("%s\n  {\"id\": \"n%zu\", \"path\": ", i ? "," : "", i);
        put_json_string(path ? path : n->id);
        printf(", \"class\": ");
        put_json_string(cls);
        printf(", \"depth\": %d}", n->depth);
        MI_Libmi_Free(path);
    }
    printf("%s], \"edges\": [", g->count ? "\n" : "");
    for (size_t i = 0; i < g->edge_count; i++) {
        const edge *e = &g->edges[i];
        printf("%s\n  {\"from\": \"n%ld\", \"to\": \"n%ld\", \"association\": ", i ? "," : "",
               e->from, e->to);
        put_json_string(e->assoc);
        printf(", \"role\": ");
        put_json_string(e->role);
        printf(", \"result_role\": ");
        put_json_string(e->result_role);
        printf("}");
    }
    printf("%s]}\n", g->edge_count ? "\n" : "");
}

/* The neighbours of node i through the associations that refer to it. */
static int expand(mi_cli *cli, graph *g, size_t i)
{
    /* the instances the filters allow: the associators of the node */
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_AssociatorInstances(&cli->session, 0, NULL, cli->name_space, g->nodes[i].path,
                                   cli->assoc_class, cli->result_class, cli->role, cli->result_role,
                                   MI_TRUE, NULL, &op);
    char **allowed = NULL;
    size_t allowed_count = 0;
    MI_Boolean more = MI_TRUE;
    MI_Result result = MI_RESULT_OK;
    const MI_Char *message = NULL;
    while (more) {
        const MI_Instance *inst = NULL;
        if (MI_Operation_GetInstance(&op, &inst, &more, &result, &message, NULL) != MI_RESULT_OK)
            break;
        if (!inst)
            continue;
        char **grown = realloc(allowed, (allowed_count + 1) * sizeof *grown);
        if (!grown)
            break;
        allowed = grown;
        if ((allowed[allowed_count] = node_id(inst)) != NULL)
            allowed_count++;
    }
    int code = result == MI_RESULT_OK ? MI_EXIT_OK : mi_cli_fail(result, message);
    MI_Operation_Close(&op);
    /* the associations, for the edges */
    if (code == MI_EXIT_OK) {
        op = (MI_Operation)MI_OPERATION_NULL;
        MI_Session_ReferenceInstances(&cli->session, 0, NULL, cli->name_space, g->nodes[i].path,
                                      cli->assoc_class, cli->role, MI_FALSE, NULL, &op);
        more = MI_TRUE;
        while (more) {
            const MI_Instance *assoc = NULL;
            if (MI_Operation_GetInstance(&op, &assoc, &more, &result, &message, NULL) !=
                MI_RESULT_OK)
                break;
            if (!assoc)
                continue;
            const MI_Char *assoc_class = NULL;
            MI_Instance_GetClassName(assoc, &assoc_class);
            MI_Uint32 count = 0;
            MI_Instance_GetElementCount(assoc, &count);
            const MI_Char *near_role = "";
            for (MI_Uint32 k = 0; k < count; k++) { /* the role that names the node */
                const MI_Char *name;
                MI_Value v;
                MI_Type type;
                MI_Uint32 flags;
                if (MI_Instance_GetElementAt(assoc, k, &name, &v, &type, &flags) == MI_RESULT_OK &&
                    type == MI_REFERENCE && !(flags & MI_FLAG_NULL) && v.reference) {
                    char *id = node_id(v.reference);
                    if (id && !strcmp(id, g->nodes[i].id))
                        near_role = name;
                    free(id);
                }
            }
            for (MI_Uint32 k = 0; k < count; k++) {
                const MI_Char *name;
                MI_Value v;
                MI_Type type;
                MI_Uint32 flags;
                if (MI_Instance_GetElementAt(assoc, k, &name, &v, &type, &flags) != MI_RESULT_OK ||
                    type != MI_REFERENCE || (flags & MI_FLAG_NULL) || !v.reference ||
                    !strcmp(name, near_role))
                    continue;
                char *id = node_id(v.reference);
                bool wanted = false;
                for (size_t a = 0; id && a < allowed_count && !wanted; a++)
                    wanted = !strcmp(allowed[a], id);
                free(id);
                if (!wanted)
                    continue;
                bool added;
                long j = find_or_add(g, v.reference, g->nodes[i].depth + 1, &added);
                if (j < 0)
                    continue;
                add_edge(g, (long)i, j, assoc_class ? assoc_class : "?", near_role, name);
            }
        }
        if (result != MI_RESULT_OK)
            code = mi_cli_fail(result, message);
        MI_Operation_Close(&op);
    }
    for (size_t a = 0; a < allowed_count; a++)
        free(allowed[a]);
    free(allowed);
    return code;
}

int mi_command_graph(int argc, char **argv)
{
    mi_cli cli;
    bool done;
    int code = mi_cli_parse(&cli, argc, argv, MI_OPT_FILTERS | MI_OPT_DEPTH | MI_OPT_FORMAT,
                            graph_usage, &done);
    if (code != MI_EXIT_OK || done || (code = mi_cli_open(&cli, false)) != MI_EXIT_OK) {
        mi_cli_close(&cli);
        return code;
    }
    MI_Instance *source = mi_cli_source(&cli, 0, &code);
    if (!source) {
        mi_cli_close(&cli);
        return code;
    }
    /* the source as stored: its label shows its keys typed, and it must exist */
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_GetInstance(&cli.session, 0, NULL, cli.name_space, source, NULL, &op);
    const MI_Instance *stored = NULL;
    MI_Boolean more = MI_TRUE;
    MI_Result result = MI_RESULT_OK;
    const MI_Char *message = NULL;
    MI_Operation_GetInstance(&op, &stored, &more, &result, &message, NULL);
    graph g = {0};
    if (result != MI_RESULT_OK || !stored) {
        code = mi_cli_fail(result, message);
    } else {
        bool added;
        find_or_add(&g, stored, 0, &added);
        for (size_t i = 0; code == MI_EXIT_OK && i < g.count; i++) {
            if (g.nodes[i].depth < cli.depth && g.nodes[i].path)
                code = expand(&cli, &g, i);
        }
        if (code == MI_EXIT_OK && cli.format == MI_FORMAT_JSON)
            print_json(&g);
        else if (code == MI_EXIT_OK)
            print_dot(&g);
    }
    MI_Operation_Close(&op);
    for (size_t i = 0; i < g.count; i++) {
        free(g.nodes[i].id);
        free(g.nodes[i].label);
        if (g.nodes[i].path)
            MI_Instance_Delete(g.nodes[i].path);
    }
    for (size_t i = 0; i < g.edge_count; i++) {
        free(g.edges[i].key);
        free(g.edges[i].assoc);
        free(g.edges[i].role);
        free(g.edges[i].result_role);
    }
    free(g.nodes);
    free(g.edges);
    MI_Instance_Delete(source);
    mi_cli_close(&cli);
    return code;
}
