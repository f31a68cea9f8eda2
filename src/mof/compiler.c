/*
 * compiler — the driver of a MOF compile: reads files and follows includes, reports
 * diagnostics, runs the phases and hands the result to the store. See mof.h.
 */
#include "compile.h"

#include "core/strbuf.h"
#include "core/utf8.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FILE_SIZE ((size_t)1 << 30)

/* ---- diagnostics ---- */

static void emit(mof_compiler *c, mi_mof_severity severity, const mof_pos *pos, const char *message)
{
    char text[MI_ERROR_MESSAGE_MAX + 64];
    const char *file = pos && pos->file ? pos->file : "";
    const char *label = severity == MI_MOF_WARNING ? "warning: " : "";
    if (pos && pos->line)
        snprintf(text, sizeof text, "%s:%u:%u: %s%s", file, pos->line, pos->column, label, message);
    else if (*file)
        snprintf(text, sizeof text, "%s: %s%s", file, label, message);
    else
        snprintf(text, sizeof text, "%s%s", label, message);
    if (severity == MI_MOF_ERROR && c->stats.errors == 1)
        snprintf(c->first_error, sizeof c->first_error, "%s", text);
    if (c->options.on_diagnostic) {
        mi_mof_diagnostic d = {severity, file, pos ? pos->line : 0, pos ? pos->column : 0,
                               message,  text};
        c->options.on_diagnostic(c->options.context, &d);
    }
}

bool mof_error(mof_compiler *c, const mof_pos *pos, const char *format, ...)
{
    if (c->quiet || c->stopped)
        return false;
    char message[MI_ERROR_MESSAGE_MAX];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    c->stats.errors++;
    emit(c, MI_MOF_ERROR, pos, message);
    if (c->stats.errors >= c->options.max_errors)
        c->stopped = true;
    return false;
}

void mof_warning(mof_compiler *c, const mof_pos *pos, const char *format, ...)
{
    if (c->quiet || c->stopped)
        return;
    char message[MI_ERROR_MESSAGE_MAX];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    c->stats.warnings++;
    emit(c, MI_MOF_WARNING, pos, message);
}

bool mof_out_of_memory(mof_compiler *c, const mof_pos *pos)
{
    bool quiet = c->quiet;
    c->quiet = false;
    mof_error(c, pos, "out of memory");
    c->quiet = quiet;
    c->stopped = true;
    c->out_of_memory = true;
    return false;
}

void mof_join(char *out, size_t size, ...)
{
    va_list args;
    va_start(args, size);
    size_t used = 0;
    for (const char *part = va_arg(args, const char *); part; part = va_arg(args, const char *)) {
        size_t n = strlen(part);
        if (n > size - 1 - used)
            n = size - 1 - used;
        memcpy(out + used, part, n);
        used += n;
    }
    va_end(args);
    out[used] = '\0';
}

const char *mof_where(const mof_pos *first, const mof_pos *here, char *out, size_t size)
{
    if (first->file == here->file || strcmp(first->file, here->file) == 0)
        snprintf(out, size, "%u:%u", first->line, first->column);
    else
        snprintf(out, size, "%s:%u:%u", first->file, first->line, first->column);
    return out;
}

bool mof_error_from(mof_compiler *c, const mof_pos *pos, const char *prefix, const mi_error *err)
{
    if (err->code == MI_RESULT_SERVER_LIMITS_EXCEEDED)
        return mof_out_of_memory(c, pos);
    if (prefix)
        return mof_error(c, pos, "%s: %s", prefix, err->message);
    return mof_error(c, pos, "%s", err->message);
}

/* ---- tables ---- */

const char *mof_scoped_key(mof_compiler *c, const char *ns, const char *name)
{
    size_t a = strlen(ns), b = strlen(name);
    char *key = mi_arena_alloc(&c->arena, a + b + 2);
    if (!key)
        return NULL;
    memcpy(key, ns, a);
    key[a] = '\x1F';
    memcpy(key + a + 1, name, b + 1);
    return key;
}

void *mof_table_find(const mof_table *table, const char *key)
{
    uint32_t i;
    return key && mi_nametable_find(&table->index, key, &i) ? table->items[i] : NULL;
}

bool mof_table_add(mof_table *table, const char *key, void *item, void **existing, bool *nomem)
{
    uint32_t i;
    *nomem = false;
    if (existing)
        *existing = NULL;
    if (!key) {
        *nomem = true;
        return false;
    }
    if (mi_nametable_find(&table->index, key, &i)) {
        if (existing)
            *existing = table->items[i];
        return false;
    }
    if (table->count == table->capacity) {
        uint32_t capacity = table->capacity ? table->capacity * 2 : 64;
        void **grown = realloc(table->items, capacity * sizeof *grown);
        if (!grown) {
            *nomem = true;
            return false;
        }
        table->items = grown;
        table->capacity = capacity;
    }
    if (mi_nametable_insert(&table->index, key, table->count) != MI_RESULT_OK) {
        *nomem = true;
        return false;
    }
    table->items[table->count++] = item;
    return true;
}

static void table_free(mof_table *table)
{
    mi_nametable_free(&table->index);
    free(table->items);
    memset(table, 0, sizeof *table);
}

/* ---- lookups ---- */

/* The scoped key in buffer when it fits, else in the arena. */
static const char *lookup_key(mof_compiler *c, const char *ns, const char *name, char *buffer,
                              size_t size)
{
    size_t a = strlen(ns), b = strlen(name);
    if (a + b + 2 > size)
        return mof_scoped_key(c, ns, name);
    memcpy(buffer, ns, a);
    buffer[a] = '\x1F';
    memcpy(buffer + a + 1, name, b + 1);
    return buffer;
}

const mi_qualifier_decl *mof_find_qualifier_decl(mof_compiler *c, const char *ns, const char *name)
{
    const mi_qualifier_decl *decl = NULL;
    char buffer[256];
    if (c->qualifier_types.count)
        decl = mof_table_find(&c->qualifier_types, lookup_key(c, ns, name, buffer, sizeof buffer));
    if (!decl && c->store && c->store->find_qualifier)
        decl = c->store->find_qualifier(c->store->context, ns, name);
    if (!decl)
        decl = mof_builtin_qualifier(name);
    return decl;
}

mi_class *mof_find_class(mof_compiler *c, const char *ns, const char *name, bool *known)
{
    char buffer[256];
    mof_class *decl = mof_table_find(&c->classes, lookup_key(c, ns, name, buffer, sizeof buffer));
    if (known)
        *known = decl != NULL;
    if (decl)
        return mof_build_class(c, decl);
    mi_class *cls =
        c->store && c->store->find_class ? c->store->find_class(c->store->context, ns, name) : NULL;
    if (known && cls)
        *known = true;
    return cls;
}

/* ---- files ---- */

/* An open MOF file and what fstat said of it. */
typedef struct source {
    int fd;
    struct stat st;
} source;

static bool reserve_buffer(mof_read_buffer *b, size_t needed)
{
    if (needed <= b->capacity)
        return true;
    size_t capacity = b->capacity ? b->capacity : 65536;
    while (capacity < needed)
        capacity *= 2;
    char *grown = realloc(b->data, capacity);
    if (!grown)
        return false;
    b->data = grown;
    b->capacity = capacity;
    return true;
}

/* Reads an open file whole into b (NUL-terminated); false with errno set on failure. The
 * size comes from reading, not from stat: pipes and /proc files have none. */
static bool read_all(int fd, const struct stat *st, mof_read_buffer *b, size_t *len)
{
    size_t used = 0;
    size_t expected = S_ISREG(st->st_mode) && st->st_size > 0 ? (size_t)st->st_size : 0;
    if (!reserve_buffer(b, (expected < MAX_FILE_SIZE ? expected : 0) + 1)) {
        errno = ENOMEM;
        return false;
    }
    for (;;) {
        ssize_t n = read(fd, b->data + used, b->capacity - 1 - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return false;
        if (n == 0)
            break;
        used += (size_t)n;
        if (used > MAX_FILE_SIZE) {
            errno = EFBIG;
            return false;
        }
        /* A regular file read to its size is done (no read to see the end). */
        if (expected && used == expected && S_ISREG(st->st_mode))
            break;
        if (used == b->capacity - 1 && !reserve_buffer(b, b->capacity * 2)) {
            errno = ENOMEM;
            return false;
        }
    }
    b->data[used] = '\0';
    *len = used;
    return true;
}

/* The 1-based line and column of byte offset `at`. */
static mof_pos position_at(const char *file, const char *text, size_t at)
{
    mof_pos pos = {file, 1, 1};
    for (size_t i = 0; i < at; i++) {
        if (text[i] == '\n') {
            pos.line++;
            pos.column = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            pos.column++;
        }
    }
    return pos;
}

static void progress(mof_compiler *c, const char *phase)
{
    if (c->options.on_progress)
        c->options.on_progress(c->options.context, phase, &c->stats);
}

static bool parse_text(mof_compiler *c, const char *file, const char *text, size_t len)
{
    size_t bad;
    c->stats.bytes += len;
    if (!mi_utf8_valid(text, len, &bad)) {
        mof_pos pos = position_at(file, text, bad);
        mof_error(c, &pos, "invalid UTF-8 (byte 0x%02X); MOF files must be UTF-8",
                  (unsigned char)text[bad]);
        return !c->stopped;
    }
    return mof_parse(&c->parse, file, text, len);
}

static char *directory_of(mof_compiler *c, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return mi_arena_strndup(&c->arena, ".", 1);
    return mi_arena_strndup(&c->arena, path, slash == path ? 1 : (size_t)(slash - path));
}

static char *join(mof_compiler *c, const char *dir, const char *name)
{
    if (strcmp(dir, ".") == 0)
        return mi_arena_strndup(&c->arena, name, strlen(name));
    size_t a = strlen(dir), b = strlen(name);
    char *path = mi_arena_alloc(&c->arena, a + b + 2);
    if (path) {
        memcpy(path, dir, a);
        path[a] = '/';
        memcpy(path + a + 1, name, b + 1);
    }
    return path;
}

/* Parses the open file (closed here) named path (shown: as the include named it); `from` (NULL
 * for the file the compile started with) is the pragma that included it. */
static bool parse_file(mof_compiler *c, const char *path, const char *shown, source *src,
                       const mof_pos *from)
{
    int fd = src->fd;
    const struct stat st = src->st;
    for (uint32_t i = 0; i < c->open_count; i++) {
        if (c->open_files[i].device == (unsigned long long)st.st_dev &&
            c->open_files[i].inode == (unsigned long long)st.st_ino && st.st_ino) {
            close(fd);
            return mof_error(c, from, "include cycle: '%s' is already being compiled", shown);
        }
    }
    if (c->open_count >= MOF_MAX_INCLUDE_DEPTH) {
        close(fd);
        return mof_error(c, from, "includes nested deeper than %d files", MOF_MAX_INCLUDE_DEPTH);
    }
    size_t len;
    mof_read_buffer *buffer = &c->read_buffers[c->open_count];
    if (!read_all(fd, &st, buffer, &len)) {
        int e = errno;
        close(fd);
        mof_pos pos = {path, 0, 0};
        return mof_error(c, from ? from : &pos, "cannot read '%s': %s", path, strerror(e));
    }
    close(fd);
    const char *file = mi_arena_strndup(&c->arena, path, strlen(path));
    const char *dir = directory_of(c, path);
    if (!file || !dir)
        return mof_out_of_memory(c, from);
    c->open_files[c->open_count].device = (unsigned long long)st.st_dev;
    c->open_files[c->open_count].inode = (unsigned long long)st.st_ino;
    c->open_count++;
    const char *saved_dir = c->current_dir;
    c->current_dir = dir;
    c->stats.files++;
    bool ok = parse_text(c, file, buffer->data, len);
    c->current_dir = saved_dir;
    c->open_count--;
    progress(c, "reading");
    return ok;
}

static bool host_error(void *context, const mof_pos *pos, const char *message)
{
    mof_compiler *c = context;
    mof_error(c, pos, "%s", message);
    return !c->stopped;
}

static bool host_out_of_memory(void *context, const mof_pos *pos)
{
    return mof_out_of_memory(context, pos);
}

static bool host_warning(void *context, const mof_pos *pos, const char *message)
{
    mof_compiler *c = context;
    mof_warning(c, pos, "%s", message);
    return !c->stopped;
}

/* Opens a MOF file: never a directory, and for an include only a regular file (an
 * include of /dev/zero or a FIFO must not hang the compile). False with errno set. */
static bool open_source(const char *path, bool regular_only, source *out)
{
    out->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (out->fd < 0)
        return false;
    if (fstat(out->fd, &out->st) != 0) {
        int e = errno;
        close(out->fd);
        errno = e;
        return false;
    }
    if (S_ISDIR(out->st.st_mode) || (regular_only && !S_ISREG(out->st.st_mode))) {
        close(out->fd);
        errno = S_ISDIR(out->st.st_mode) ? EISDIR : EINVAL;
        return false;
    }
    return true;
}

/* The included file: relative to the including file's directory, then along the
 * include paths. */
static bool host_include(void *context, const mof_pos *pos, const char *name)
{
    mof_compiler *c = context;
    const char *dir = c->current_dir ? c->current_dir : ".";
    const char *path = name[0] == '/' ? name : join(c, dir, name);
    if (!path)
        return mof_out_of_memory(c, pos);
    source src;
    bool found = open_source(path, true, &src);
    int first_errno = errno;
    for (size_t i = 0; !found && name[0] != '/' && i < c->options.include_path_count; i++) {
        const char *candidate = join(c, c->options.include_paths[i], name);
        if (!candidate)
            return mof_out_of_memory(c, pos);
        if ((found = open_source(candidate, true, &src)))
            path = candidate;
    }
    if (!found)
        mof_error(c, pos, "cannot read included file '%s': %s", name, strerror(first_errno));
    else
        parse_file(c, path, name, &src, pos);
    return !c->stopped;
}

/* ---- the compile ---- */

void mof_compiler_init(mof_compiler *c, const mi_schema_store *store, const mi_mof_options *options)
{
    memset(c, 0, sizeof *c);
    c->store = store;
    if (options)
        c->options = *options;
    if (!c->options.namespace_name || !*c->options.namespace_name)
        c->options.namespace_name = MI_MOF_DEFAULT_NAMESPACE;
    if (!c->options.max_errors)
        c->options.max_errors = MI_MOF_DEFAULT_MAX_ERRORS;
    c->unit.qualifier_types_tail = &c->unit.qualifier_types;
    c->unit.classes_tail = &c->unit.classes;
    c->unit.instances_tail = &c->unit.instances;
    c->parse.arena = &c->arena;
    c->parse.unit = &c->unit;
    c->parse.namespace_name = c->options.namespace_name;
    c->parse.host =
        (mof_parser_host){c, host_error, host_warning, host_include, host_out_of_memory};
}

void mof_compiler_release(mof_compiler *c)
{
    for (uint32_t i = 0; i < MOF_MAX_INCLUDE_DEPTH; i++)
        free(c->read_buffers[i].data);
    mof_parse_state_release(&c->parse);
    table_free(&c->qualifier_types);
    table_free(&c->qualifier_sources);
    table_free(&c->classes);
    table_free(&c->aliases);
    free(c->instance_set);
    mi_batch_free(&c->batch);
    mi_arena_free(&c->arena);
}

/* Phases after parsing, then the store; fills err and stats. */
static MI_Result finish(mof_compiler *c, mi_mof_stats *stats, mi_error *err)
{
    if (!c->stopped)
        mof_compile_qualifier_types(c);
    if (!c->stopped)
        progress(c, "compiling");
    if (!c->stopped)
        mof_compile_classes(c);
    if (!c->stopped)
        mof_compile_instances(c);
    MI_Result r = MI_RESULT_OK;
    if (c->out_of_memory) {
        r = mi_error_set(err, MI_RESULT_SERVER_LIMITS_EXCEEDED, "%s (nothing was stored)",
                         c->first_error[0] ? c->first_error : "out of memory");
    } else if (c->stats.errors) {
        r = mi_error_set(err, MI_RESULT_FAILED, "%s (%s%u error%s%s; nothing was stored)",
                         c->first_error, c->stopped ? "stopped after " : "", c->stats.errors,
                         c->stats.errors == 1 ? "" : "s", c->stopped ? "" : " in all");
    } else if (c->store && c->store->apply) {
        c->stats.qualifiers = c->batch.counts[MI_BATCH_QUALIFIER];
        c->stats.classes = c->batch.counts[MI_BATCH_CLASS];
        c->stats.instances = c->batch.counts[MI_BATCH_INSTANCE];
        progress(c, "storing");
        c->batch.replace = c->options.replace_existing;
        c->batch.dry_run = c->options.dry_run;
        r = c->store->apply(c->store->context, &c->batch, err);
        c->stats.unchanged = c->batch.unchanged;
        c->stats.updated = c->batch.updated;
        if (r != MI_RESULT_OK)
            c->stats.qualifiers = c->stats.classes = c->stats.instances = 0;
    }
    if (stats)
        *stats = c->stats;
    return r;
}

/* A new compile, with the options checked and the standard qualifiers ready. */
static MI_Result start(mof_compiler **out, const mi_schema_store *store,
                       const mi_mof_options *options, mi_error *err)
{
    *out = NULL;
    if (options && options->namespace_name && !mof_namespace_valid(options->namespace_name))
        return mi_error_set(err, MI_RESULT_INVALID_NAMESPACE, "invalid namespace name '%s'",
                            options->namespace_name);
    if (!mof_builtins_ready())
        return mi_error_nomem(err);
    mof_compiler *c = malloc(sizeof *c);
    if (!c)
        return mi_error_nomem(err);
    mof_compiler_init(c, store, options);
    *out = c;
    return MI_RESULT_OK;
}

MI_Result mi_mof_compile_files(const mi_schema_store *store, const char *const *paths, size_t count,
                               const mi_mof_options *options, mi_mof_stats *stats, mi_error *err)
{
    if (stats)
        memset(stats, 0, sizeof *stats);
    if (!paths || count == 0)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "no MOF file given");
    mof_compiler *c;
    MI_Result r = start(&c, store, options, err);
    if (r != MI_RESULT_OK)
        return r;
    for (size_t i = 0; i < count && !c->stopped; i++) {
        const char *path = paths[i] ? paths[i] : "";
        source src;
        if (open_source(path, false, &src)) {
            parse_file(c, path, path, &src, NULL);
            continue;
        }
        int e = errno;
        mof_pos pos = {path, 0, 0};
        mof_error(c, &pos, "cannot read MOF file: %s", strerror(e));
        if (r == MI_RESULT_OK)
            r = mi_error_set(err, MI_RESULT_NOT_FOUND, "%s: cannot read MOF file: %s", path,
                             strerror(e));
    }
    if (r == MI_RESULT_OK) {
        r = finish(c, stats, err);
    } else if (stats) {
        *stats = c->stats;
    }
    mof_compiler_release(c);
    free(c);
    return r;
}

MI_Result mi_mof_compile_file(const mi_schema_store *store, const char *path,
                              const mi_mof_options *options, mi_mof_stats *stats, mi_error *err)
{
    if (!path) {
        if (stats)
            memset(stats, 0, sizeof *stats);
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "no MOF file given");
    }
    return mi_mof_compile_files(store, &path, 1, options, stats, err);
}

MI_Result mi_mof_compile_string(const mi_schema_store *store, const char *name, const char *text,
                                size_t len, const mi_mof_options *options, mi_mof_stats *stats,
                                mi_error *err)
{
    if (stats)
        memset(stats, 0, sizeof *stats);
    if (!text)
        return mi_error_set(err, MI_RESULT_INVALID_PARAMETER, "no MOF text given");
    mof_compiler *c;
    MI_Result r = start(&c, store, options, err);
    if (r != MI_RESULT_OK)
        return r;
    const char *file =
        mi_arena_strndup(&c->arena, name ? name : "<string>", strlen(name ? name : "<string>"));
    if (!file) {
        r = mi_error_nomem(err);
    } else {
        c->stats.files = 1;
        parse_text(c, file, text, len);
        r = finish(c, stats, err);
    }
    mof_compiler_release(c);
    free(c);
    return r;
}
