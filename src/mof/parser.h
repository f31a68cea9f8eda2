/*
 * parser — recursive-descent parser for MOF (DSP0221): pragmas, qualifier type
 * declarations, class and instance declarations, into the mof_unit of a compile.
 *
 * A syntax error is reported through the host and the parser resumes at the next
 * member of the class being parsed, or at the next top-level declaration, so one run
 * reports many errors. `#pragma include` is handed to the host, which parses the named
 * file into the same unit (the namespace set by `#pragma namespace` carries across).
 */
#ifndef MI_MOF_PARSER_H
#define MI_MOF_PARSER_H

#include "ast.h"
#include "core/arena.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct mof_parser_host {
    void *context;
    /* Each returns false when the compile must stop (too many errors, out of memory). */
    bool (*error)(void *context, const mof_pos *pos, const char *message);
    bool (*warning)(void *context, const mof_pos *pos, const char *message);
    bool (*include)(void *context, const mof_pos *pos, const char *name);
    bool (*out_of_memory)(void *context, const mof_pos *pos);
} mof_parser_host;

/* Identifiers repeat (qualifier names, types, property names): one arena copy of each
 * spelling serves them all. */
typedef struct mof_interned {
    uint64_t hash;
    const char *text;
} mof_interned;

typedef struct mof_parse_state {
    mi_arena *arena;
    mof_interned *interned; /* open addressing, at most half full */
    uint32_t interned_capacity;
    uint32_t interned_count;
    mof_unit *unit;
    const char *namespace_name; /* where declarations go; #pragma namespace changes it */
    mof_parser_host host;
    bool stopped; /* set once a host callback asked to stop */
} mof_parse_state;

/* Frees what parsing kept besides the arena (the interned identifiers' table). */
void mof_parse_state_release(mof_parse_state *state);

/* Whether name is a namespace name: identifiers separated by single '/'. */
bool mof_namespace_valid(const char *name);

/* Parses one file's text (file is the name used in positions; it must outlive the
 * unit). Returns false when the compile was stopped. */
bool mof_parse(mof_parse_state *state, const char *file, const char *text, size_t len);

#endif
