/*
 * compile — state shared by the phases of one MOF compile (internal to src/mof).
 *
 * The driver (compiler.c) reads and parses the files, then runs the phases in order:
 * qualifier declarations (qualifier_types.c), classes (classes.c), instances
 * (instances.c); values.c converts literals to typed values for all of them. Each phase
 * adds what it built to the batch, which reaches the store only after an error-free
 * compile.
 */
#ifndef MI_MOF_COMPILE_H
#define MI_MOF_COMPILE_H

#include "ast.h"
#include "core/arena.h"
#include "core/class.h"
#include "core/name.h"
#include "core/schema_batch.h"
#include "mof.h"
#include "parser.h"

#include <stdbool.h>

#define MOF_MAX_INCLUDE_DEPTH 64
/* Flattened classes copy what they inherit: a bound on depth bounds that cost. */
#define MOF_MAX_CLASS_DEPTH 256
/* Reference keys naming instances whose keys are references, and so on. */
#define MOF_MAX_KEY_NESTING 32

/* Names to arena-owned items, in insertion order. Keys are arena strings. */
typedef struct mof_table {
    mi_nametable index;
    void **items;
    uint32_t count;
    uint32_t capacity;
} mof_table;

/* The text of the files being read, one buffer per include depth, reused by the files
 * read at that depth. */
typedef struct mof_read_buffer {
    char *data;
    size_t capacity;
} mof_read_buffer;

typedef struct mof_instance_set_slot {
    uint64_t hash;
    mof_instance *instance;
} mof_instance_set_slot;

typedef struct mof_compiler {
    const mi_schema_store *store;
    mi_mof_options options;
    mi_mof_stats stats;
    mi_arena arena;
    mof_unit unit;
    mof_parse_state parse;
    bool stopped;
    bool out_of_memory;
    bool quiet;           /* while building a declaration that had a syntax error */
    uint32_t key_nesting; /* instances being built inside one another */
    char first_error[MI_ERROR_MESSAGE_MAX + 64];
    /* include handling */
    struct {
        unsigned long long device, inode;
    } open_files[MOF_MAX_INCLUDE_DEPTH]; /* the files being parsed, outermost first */
    uint32_t open_count;
    mof_read_buffer read_buffers[MOF_MAX_INCLUDE_DEPTH];
    const char *current_dir; /* directory of the file being parsed */
    /* lookups */
    mof_table qualifier_types;   /* ns+name -> mi_qualifier_decl* (owned by the batch) */
    mof_table qualifier_sources; /* ns+name -> mof_qualifier_type* */
    mof_table classes;           /* ns+name -> mof_class* */
    mof_table aliases;           /* alias -> mof_instance* */
    mof_instance_set_slot *instance_set;
    uint32_t instance_set_capacity;
    uint32_t instance_set_count;
    mi_schema_batch batch;
} mof_compiler;

/* ---- the compile's life (compiler.c) ---- */

void mof_compiler_init(mof_compiler *c, const mi_schema_store *store,
                       const mi_mof_options *options);
void mof_compiler_release(mof_compiler *c);

/* ---- diagnostics (compiler.c) ---- */

/* Reports an error at pos (unless quiet) and returns false; sets stopped at the limit. */
bool mof_error(mof_compiler *c, const mof_pos *pos, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
void mof_warning(mof_compiler *c, const mof_pos *pos, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
bool mof_out_of_memory(mof_compiler *c, const mof_pos *pos);
/* Reports what a core function put in err, "prefix: message" (prefix may be NULL); a
 * failed allocation becomes mof_out_of_memory. Returns false. */
bool mof_error_from(mof_compiler *c, const mof_pos *pos, const char *prefix, const mi_error *err);

/* Concatenates the strings (NULL-terminated list) into out, truncating to size; a fast
 * stand-in for snprintf when naming things in messages that are usually not shown. */
void mof_join(char *out, size_t size, ...);

/* Where `first` is, as seen from `here`: "line:column" in the same file, else
 * "file:line:column". Returns out. */
const char *mof_where(const mof_pos *first, const mof_pos *here, char *out, size_t size);

/* ---- tables (compiler.c) ---- */

/* "ns\x1Fname" in the arena: one key for names that are unique per namespace. */
const char *mof_scoped_key(mof_compiler *c, const char *ns, const char *name);
void *mof_table_find(const mof_table *table, const char *key);
/* false when the key is there already (*existing receives its item) or memory ran out. */
bool mof_table_add(mof_table *table, const char *key, void *item, void **existing, bool *nomem);

/* ---- lookups across the compile and the store ---- */

const mi_qualifier_decl *mof_find_qualifier_decl(mof_compiler *c, const char *ns, const char *name);
/* A class of this compile (built on demand; NULL if it failed) or of the store. */
mi_class *mof_find_class(mof_compiler *c, const char *ns, const char *name, bool *known);

/* ---- phases ---- */

/* The standard qualifier of that name (DSP0004), known to every compile; the table is
 * built once per process, by the first mof_builtins_ready (false: out of memory). */
bool mof_builtins_ready(void);
const mi_qualifier_decl *mof_builtin_qualifier(const char *name);
void mof_compile_qualifier_types(mof_compiler *c);
void mof_compile_classes(mof_compiler *c);
mi_class *mof_build_class(mof_compiler *c, mof_class *decl);
void mof_compile_instances(mof_compiler *c);

/* ---- values (values.c) ---- */

/* What a value is for, named in messages ("property 'A.Size'"): parts joined only when a
 * message needs them, NULL after the last. */
typedef struct mof_subject {
    const char *parts[8];
} mof_subject;

/* Converts a literal to a value of `type` (scalar or array) whose storage lives in the
 * compile's arena (copy it to keep it). References and embedded instances are not
 * handled here. *is_null tells a NULL literal. */
bool mof_convert_value(mof_compiler *c, const mof_value *v, MI_Type type, MI_Uint32 array_max,
                       const mof_subject *subject, MI_Value *out, bool *is_null);

#endif
