/*
 * Installed software of the Linux provider: the packages the dpkg database
 * (/var/lib/dpkg/status) records as installed, as Libmi_SoftwareIdentity, and
 * Libmi_InstalledSoftwareIdentity joining each to the computer system.
 *
 * The database is parsed once and kept while the file is unchanged (same inode, size
 * and modification time): an association traversal gets each package by its key, and a
 * sorted table makes that a binary search rather than a parse. Readers hold a
 * reference to the table they use, so a reload does not pull it from under them.
 */
#include "machine.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DPKG_STATUS "/var/lib/dpkg/status"

typedef struct package {
    char *id; /* Libmi:dpkg:NAME:ARCH */
    char *name, *version, *maintainer;
} package;

typedef struct table {
    int refs;
    package *items;
    size_t count;
    struct stat seen;
} table;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static table *current;

static void free_table(table *t)
{
    for (size_t i = 0; i < t->count; i++) {
        free(t->items[i].id);
        free(t->items[i].name);
        free(t->items[i].version);
        free(t->items[i].maintainer);
    }
    free(t->items);
    free(t);
}

static void release(table *t)
{
    if (!t)
        return;
    pthread_mutex_lock(&lock);
    int left = --t->refs;
    pthread_mutex_unlock(&lock);
    if (!left)
        free_table(t);
}

static int by_id(const void *a, const void *b)
{
    return strcmp(((const package *)a)->id, ((const package *)b)->id);
}

/* One record's fields, as the parser gathers them. */
typedef struct record {
    char name[256], arch[64], version[256], maintainer[512];
    int installed;
} record;

static int add(table *t, size_t *cap, const record *r)
{
    if (!r->installed || !r->name[0])
        return 1;
    if (t->count == *cap) {
        size_t grown = *cap ? *cap * 2 : 512;
        package *items = realloc(t->items, grown * sizeof *items);
        if (!items)
            return 0;
        t->items = items, *cap = grown;
    }
    char id[400];
    snprintf(id, sizeof id, "Libmi:dpkg:%s:%s", r->name, r->arch[0] ? r->arch : "all");
    package *p = &t->items[t->count];
    p->id = strdup(id);
    p->name = strdup(r->name);
    p->version = strdup(r->version);
    p->maintainer = strdup(r->maintainer);
    if (!p->id || !p->name || !p->version || !p->maintainer) {
        free(p->id), free(p->name), free(p->version), free(p->maintainer);
        return 0;
    }
    t->count++;
    return 1;
}

/* The value of a field line, cut to size (truncation is fine: names stay unique long
 * before 255 bytes). */
static void field(char *out, size_t size, const char *value)
{
    size_t n = strcspn(value, "\n");
    if (n >= size)
        n = size - 1;
    memcpy(out, value, n);
    out[n] = '\0';
}

static table *parse(const struct stat *seen)
{
    FILE *f = fopen(DPKG_STATUS, "r");
    table *t = calloc(1, sizeof *t);
    if (!f || !t) {
        if (f)
            fclose(f);
        free(t);
        return NULL;
    }
    t->refs = 1;
    t->seen = *seen;
    size_t cap = 0;
    record r;
    memset(&r, 0, sizeof r);
    char line[4096];
    int ok = 1;
    while (ok && fgets(line, sizeof line, f)) {
        if (line[0] == '\n') {
            ok = add(t, &cap, &r);
            memset(&r, 0, sizeof r);
        } else if (!strncmp(line, "Package: ", 9)) {
            field(r.name, sizeof r.name, line + 9);
        } else if (!strncmp(line, "Architecture: ", 14)) {
            field(r.arch, sizeof r.arch, line + 14);
        } else if (!strncmp(line, "Version: ", 9)) {
            field(r.version, sizeof r.version, line + 9);
        } else if (!strncmp(line, "Maintainer: ", 12)) {
            field(r.maintainer, sizeof r.maintainer, line + 12);
        } else if (!strncmp(line, "Status: ", 8)) {
            size_t n = strcspn(line, "\n");
            r.installed = n >= 18 && !strncmp(line + n - 10, " installed", 10);
        }
    }
    if (ok)
        ok = add(t, &cap, &r);
    fclose(f);
    if (!ok) {
        free_table(t);
        return NULL;
    }
    qsort(t->items, t->count, sizeof *t->items, by_id);
    return t;
}

static int same_file(const struct stat *a, const struct stat *b)
{
    return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* The table of the database as it is now (a reference, for release), or NULL. */
static table *acquire(void)
{
    struct stat now;
    if (stat(DPKG_STATUS, &now) != 0)
        return NULL;
    table *retired = NULL;
    pthread_mutex_lock(&lock);
    if (!current || !same_file(&current->seen, &now)) {
        table *fresh = parse(&now); /* under the lock: one parse however many ask */
        if (fresh) {
            if (current && --current->refs == 0)
                retired = current;
            current = fresh;
        }
    }
    table *t = current;
    if (t)
        t->refs++;
    pthread_mutex_unlock(&lock);
    if (retired)
        free_table(retired);
    return t;
}

static MI_Instance *software_keys(post *p, const char *id)
{
    MI_Instance *sw = new_instance(p, "Libmi_SoftwareIdentity");
    set_string(sw, "InstanceID", id);
    return sw;
}

static void post_package(post *p, const package *pkg)
{
    MI_Instance *sw = software_keys(p, pkg->id);
    if (sw && !p->keys_only) {
        set_string(sw, "Name", pkg->name);
        set_string(sw, "ElementName", pkg->name);
        set_string(sw, "VersionString", pkg->version);
        if (pkg->maintainer[0])
            set_string(sw, "Manufacturer", pkg->maintainer);
    }
    post_instance(p, sw);
}

/* The packages p asks for: every one, or the one its key names. */
static void each_package(post *p, void (*each)(post *, const package *))
{
    table *t = acquire();
    if (!t)
        return;
    MI_Value v;
    MI_Type type;
    MI_Uint32 flags;
    if (p->want) {
        if (MI_Instance_GetElement(p->want, "InstanceID", &v, &type, &flags, NULL) ==
                MI_RESULT_OK &&
            type == MI_STRING && !(flags & MI_FLAG_NULL) && v.string) {
            package key = {(char *)v.string, NULL, NULL, NULL};
            const package *hit = bsearch(&key, t->items, t->count, sizeof *t->items, by_id);
            if (hit)
                each(p, hit);
        }
    } else {
        for (size_t i = 0; i < t->count && p->result == MI_RESULT_OK; i++)
            each(p, &t->items[i]);
    }
    release(t);
}

void software(post *p)
{
    each_package(p, post_package);
}

static void one_installed(post *p, const package *pkg)
{
    send_association(p, "Libmi_InstalledSoftwareIdentity", "System", system_keys(p),
                     "InstalledSoftware", software_keys(p, pkg->id));
}

void installed_software(post *p)
{
    if (p->want) /* associations are found by enumeration */
        return;
    /* from the system: one look at the database, not one per package */
    if (p->via && from_system(p, "System", "InstalledSoftware", "Libmi_SoftwareIdentity", software))
        return;
    each_package(p, one_installed); /* under a traversal from a package: followed */
}
