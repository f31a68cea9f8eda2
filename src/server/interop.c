/*
 * interop — see interop.h.
 */
#include "interop.h"

#include "core/instance.h"
#include "core/name.h"
#include "core/path.h"
#include "mof/mof.h"

#include <mi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The classes, as far as the instances served here need them; keys and the class tree
 * as the DMTF CIM Schema has them, so that a client reading them finds what it expects. */
static const char schema_mof[] =
    "[Abstract] class CIM_ManagedElement {\n"
    "  string InstanceID; string Caption; string Description; string ElementName; };\n"
    "[Abstract] class CIM_ManagedSystemElement : CIM_ManagedElement {\n"
    "  datetime InstallDate; string Name; uint16 OperationalStatus[];\n"
    "  string StatusDescriptions[]; };\n"
    "[Abstract] class CIM_LogicalElement : CIM_ManagedSystemElement { };\n"
    "[Abstract] class CIM_EnabledLogicalElement : CIM_LogicalElement {\n"
    "  uint16 EnabledState; uint16 RequestedState; };\n"
    "[Abstract] class CIM_System : CIM_EnabledLogicalElement {\n"
    "  [Key] string CreationClassName; [Key, Override(\"Name\")] string Name;\n"
    "  string PrimaryOwnerName; };\n"
    "class CIM_ComputerSystem : CIM_System { uint16 Dedicated[]; };\n"
    "[Abstract] class CIM_Service : CIM_EnabledLogicalElement {\n"
    "  [Key] string SystemCreationClassName; [Key] string SystemName;\n"
    "  [Key] string CreationClassName; [Key, Override(\"Name\")] string Name;\n"
    "  boolean Started; };\n"
    "class CIM_WBEMService : CIM_Service { };\n"
    "class CIM_ObjectManager : CIM_WBEMService { boolean GatherStatisticalData; };\n"
    "class CIM_Namespace : CIM_ManagedElement {\n"
    "  [Key] string SystemCreationClassName; [Key] string SystemName;\n"
    "  [Key] string ObjectManagerCreationClassName; [Key] string ObjectManagerName;\n"
    "  [Key] string CreationClassName; [Key] string Name;\n"
    "  uint16 ClassInfo; string DescriptionOfClassInfo; uint16 ClassType;\n"
    "  string DescriptionOfClassType; };\n"
    "class CIM_RegisteredSpecification : CIM_ManagedElement {\n"
    "  [Key, Override(\"InstanceID\")] string InstanceID;\n"
    "  uint16 RegisteredOrganization; string OtherRegisteredOrganization;\n"
    "  string RegisteredName; string RegisteredVersion; uint16 AdvertiseTypes[];\n"
    "  string AdvertiseTypeDescriptions[]; };\n"
    "class CIM_RegisteredProfile : CIM_RegisteredSpecification { };\n"
    "[Association] class CIM_Dependency {\n"
    "  [Key] CIM_ManagedElement REF Antecedent; [Key] CIM_ManagedElement REF Dependent; };\n"
    "[Association] class CIM_HostedDependency : CIM_Dependency {\n"
    "  [Override(\"Antecedent\")] CIM_ManagedElement REF Antecedent;\n"
    "  [Override(\"Dependent\")] CIM_ManagedElement REF Dependent; };\n"
    "[Association] class CIM_HostedService : CIM_HostedDependency {\n"
    "  [Override(\"Antecedent\"), Min(1), Max(1)] CIM_System REF Antecedent;\n"
    "  [Override(\"Dependent\")] CIM_Service REF Dependent; };\n"
    "[Association] class CIM_NamespaceInManager : CIM_HostedDependency {\n"
    "  [Override(\"Antecedent\"), Min(1), Max(1)] CIM_ObjectManager REF Antecedent;\n"
    "  [Override(\"Dependent\")] CIM_Namespace REF Dependent; };\n"
    "[Association] class CIM_ReferencedSpecification : CIM_Dependency {\n"
    "  [Override(\"Antecedent\")] CIM_RegisteredSpecification REF Antecedent;\n"
    "  [Override(\"Dependent\")] CIM_RegisteredSpecification REF Dependent; };\n"
    "[Association] class CIM_ReferencedProfile : CIM_ReferencedSpecification {\n"
    "  [Override(\"Antecedent\")] CIM_RegisteredProfile REF Antecedent;\n"
    "  [Override(\"Dependent\")] CIM_RegisteredProfile REF Dependent; };\n"
    "[Association] class CIM_ElementConformsToProfile {\n"
    "  [Key] CIM_RegisteredProfile REF ConformantStandard;\n"
    "  [Key] CIM_ManagedElement REF ManagedElement; };\n";

/* What the source serves (and its subclasses). */
static const char *const served[] = {
    "CIM_ComputerSystem",    "CIM_ObjectManager",
    "CIM_Namespace",         "CIM_RegisteredProfile",
    "CIM_HostedService",     "CIM_NamespaceInManager",
    "CIM_ReferencedProfile", "CIM_ElementConformsToProfile",
};

/* The profiles implemented: (organization per the RegisteredOrganization value map,
 * name, version). The server profile references Profile Registration. */
static const struct {
    unsigned organization; /* 2 DMTF, 11 SNIA */
    const char *name, *version, *id;
} profiles[] = {
    {11, "Server", "1.1.0", "libmi:profile:SNIA:Server:1.1.0"},
    {2, "Profile Registration", "1.0.0", "libmi:profile:DMTF:Profile Registration:1.0.0"},
};

#define OBJECT_MANAGER_NAME "libmi:mid"

struct mid_interop {
    mi_repository *repo;
    char host[256];
    mi_instance_source source;
};

/* ---- building the instances ---- */

typedef struct built {
    MI_Instance **items;
    size_t count, capacity;
    MI_Result failed; /* MI_RESULT_OK while every step worked */
    mi_error *err;
} built;

static void built_free(built *b)
{
    for (size_t i = 0; i < b->count; i++)
        mi_instance_delete(b->items[i]);
    free(b->items);
    memset(b, 0, sizeof *b);
}

/* A new instance of cls in the interop namespace, kept in b; NULL when a step failed. */
static MI_Instance *add_instance(built *b, mid_interop *x, const char *cls_name)
{
    if (b->failed)
        return NULL;
    mi_class *cls = mi_repository_find_class(x->repo, MID_INTEROP_NAMESPACE, cls_name);
    MI_Instance *inst = NULL;
    if (!cls) {
        b->failed = mi_error_set(b->err, MI_RESULT_INVALID_CLASS, "class %s is not in namespace %s",
                                 cls_name, MID_INTEROP_NAMESPACE);
        return NULL;
    }
    if ((b->failed = mi_instance_new(&inst, cls->name, cls, b->err)) != MI_RESULT_OK)
        return NULL;
    if (MI_Instance_SetNameSpace(inst, MID_INTEROP_NAMESPACE) != MI_RESULT_OK) {
        mi_instance_delete(inst);
        b->failed = mi_error_nomem(b->err);
        return NULL;
    }
    if (b->count == b->capacity) {
        size_t capacity = b->capacity ? b->capacity * 2 : 16;
        MI_Instance **grown = realloc(b->items, capacity * sizeof *grown);
        if (!grown) {
            mi_instance_delete(inst);
            b->failed = mi_error_nomem(b->err);
            return NULL;
        }
        b->items = grown;
        b->capacity = capacity;
    }
    b->items[b->count++] = inst;
    return inst;
}

static void set(built *b, MI_Instance *inst, const char *name, const MI_Value *v, MI_Type type)
{
    if (!b->failed && inst)
        b->failed = mi_instance_set_element(inst, name, v, type, 0, b->err);
}

static void set_text(built *b, MI_Instance *inst, const char *name, const char *text)
{
    MI_Value v = {.string = (MI_Char *)text};
    set(b, inst, name, &v, MI_STRING);
}

static void set_number(built *b, MI_Instance *inst, const char *name, MI_Uint16 n)
{
    MI_Value v = {.uint16 = n};
    set(b, inst, name, &v, MI_UINT16);
}

static void set_numbers(built *b, MI_Instance *inst, const char *name, MI_Uint16 *n,
                        MI_Uint32 count)
{
    MI_Value v = {.uint16a = {n, count}};
    set(b, inst, name, &v, MI_UINT16A);
}

/* An association of cls between the two (their paths). */
static void associate(built *b, mid_interop *x, const char *cls, const char *role_a,
                      const MI_Instance *a, const char *role_b, const MI_Instance *b_end)
{
    MI_Instance *assoc = add_instance(b, x, cls);
    MI_Instance *pa = NULL, *pb = NULL;
    if (assoc && !(b->failed = mi_path_of_instance(&pa, a, b->err)) &&
        !(b->failed = mi_path_of_instance(&pb, b_end, b->err))) {
        MI_Value v = {.reference = pa};
        set(b, assoc, role_a, &v, MI_REFERENCE);
        v.reference = pb;
        set(b, assoc, role_b, &v, MI_REFERENCE);
    }
    if (pa)
        mi_instance_delete(pa);
    if (pb)
        mi_instance_delete(pb);
}

/* Everything the interop namespace holds now. */
static MI_Result build(mid_interop *x, built *b, mi_error *err)
{
    memset(b, 0, sizeof *b);
    b->err = err;
    MI_Instance *system = add_instance(b, x, "CIM_ComputerSystem");
    set_text(b, system, "CreationClassName", "CIM_ComputerSystem");
    set_text(b, system, "Name", x->host);
    set_text(b, system, "ElementName", x->host);
    MI_Instance *om = add_instance(b, x, "CIM_ObjectManager");
    set_text(b, om, "SystemCreationClassName", "CIM_ComputerSystem");
    set_text(b, om, "SystemName", x->host);
    set_text(b, om, "CreationClassName", "CIM_ObjectManager");
    set_text(b, om, "Name", OBJECT_MANAGER_NAME);
    set_text(b, om, "ElementName", "libmi");
    char description[128];
    snprintf(description, sizeof description, "libmi CIM server (mid) version %s",
             MI_Libmi_Version());
    set_text(b, om, "Description", description);
    MI_Value started = {.boolean = MI_TRUE};
    set(b, om, "Started", &started, MI_BOOLEAN);
    set_number(b, om, "EnabledState", 2); /* Enabled */
    MI_Uint16 ok = 2;
    set_numbers(b, om, "OperationalStatus", &ok, 1);
    associate(b, x, "CIM_HostedService", "Antecedent", system, "Dependent", om);

    char **names = NULL;
    size_t count = 0;
    if (!b->failed)
        b->failed = mi_repository_namespaces(x->repo, &names, &count, err);
    for (size_t i = 0; i < count; i++) {
        MI_Instance *ns = add_instance(b, x, "CIM_Namespace");
        set_text(b, ns, "SystemCreationClassName", "CIM_ComputerSystem");
        set_text(b, ns, "SystemName", x->host);
        set_text(b, ns, "ObjectManagerCreationClassName", "CIM_ObjectManager");
        set_text(b, ns, "ObjectManagerName", OBJECT_MANAGER_NAME);
        set_text(b, ns, "CreationClassName", "CIM_Namespace");
        set_text(b, ns, "Name", names[i]);
        set_number(b, ns, "ClassInfo", 0);
        set_number(b, ns, "ClassType", 2); /* CIM */
        if (ns)
            associate(b, x, "CIM_NamespaceInManager", "Antecedent", om, "Dependent", ns);
        free(names[i]);
    }
    free(names);

    MI_Instance *registered[sizeof profiles / sizeof *profiles] = {0};
    for (size_t i = 0; i < sizeof profiles / sizeof *profiles; i++) {
        MI_Instance *p = registered[i] = add_instance(b, x, "CIM_RegisteredProfile");
        set_text(b, p, "InstanceID", profiles[i].id);
        set_number(b, p, "RegisteredOrganization", (MI_Uint16)profiles[i].organization);
        set_text(b, p, "RegisteredName", profiles[i].name);
        set_text(b, p, "RegisteredVersion", profiles[i].version);
        MI_Uint16 not_advertised = 2;
        set_numbers(b, p, "AdvertiseTypes", &not_advertised, 1);
        if (p)
            associate(b, x, "CIM_ElementConformsToProfile", "ConformantStandard", p,
                      "ManagedElement", om);
    }
    if (registered[0] && registered[1])
        associate(b, x, "CIM_ReferencedProfile", "Antecedent", registered[1], "Dependent",
                  registered[0]);
    if (b->failed) {
        MI_Result r = b->failed;
        built_free(b);
        return r;
    }
    return MI_RESULT_OK;
}

/* ---- the source ---- */

typedef struct interop_cursor {
    built all;
    const char *class_name;
    bool deep, keys_only;
    size_t next;
    MI_Instance *current;
} interop_cursor;

static MI_Result interop_enumerate(void *self, const mi_request *q, const char *class_name,
                                   bool deep, void **out, mi_error *err)
{
    interop_cursor *c = calloc(1, sizeof *c);
    if (!c)
        return mi_error_nomem(err);
    MI_Result r = build(self, &c->all, err);
    if (r != MI_RESULT_OK) {
        free(c);
        return r;
    }
    c->class_name = class_name;
    c->deep = deep;
    c->keys_only = q->keys_only;
    *out = c;
    return MI_RESULT_OK;
}

static MI_Result interop_next(void *cursor, mi_source_item *item, mi_error *err)
{
    interop_cursor *c = cursor;
    *item = (mi_source_item){NULL, false};
    if (c->current) {
        mi_instance_delete(c->current);
        c->current = NULL;
    }
    while (c->next < c->all.count) {
        const MI_Instance *inst = c->all.items[c->next++];
        const mi_class *cls = mi_instance_class((MI_Instance *)inst);
        bool wanted =
            c->deep ? mi_class_is_a(cls, c->class_name) : mi_name_equal(cls->name, c->class_name);
        if (!wanted)
            continue;
        if (!c->keys_only) {
            item->instance = inst;
            return MI_RESULT_OK;
        }
        MI_Result r = mi_path_of_instance(&c->current, inst, err);
        if (r != MI_RESULT_OK)
            return r;
        item->instance = c->current;
        return MI_RESULT_OK;
    }
    return MI_RESULT_OK;
}

static void interop_close(void *cursor)
{
    interop_cursor *c = cursor;
    if (!c)
        return;
    if (c->current)
        mi_instance_delete(c->current);
    built_free(&c->all);
    free(c);
}

static MI_Result interop_get(void *self, const char *ns, const MI_Instance *path, MI_Instance **out,
                             mi_error *err)
{
    (void)ns;
    *out = NULL;
    built all;
    MI_Result r = build(self, &all, err);
    for (size_t i = 0; r == MI_RESULT_OK && i < all.count; i++) {
        if (mi_path_equal(all.items[i], path)) {
            *out = all.items[i];
            all.items[i] = all.items[--all.count];
            break;
        }
    }
    if (r == MI_RESULT_OK && !*out) {
        char *text = NULL;
        mi_path_format(&text, path, NULL);
        r = mi_error_set(err, MI_RESULT_NOT_FOUND, "no instance %s in namespace %s",
                         text ? text : "(unnamed)", MID_INTEROP_NAMESPACE);
        free(text);
    }
    if (r == MI_RESULT_OK || all.items)
        built_free(&all);
    return r;
}

/* The Name a CIM_Namespace instance (or path) gives, or NULL for another class. */
static const char *namespace_named(const MI_Instance *inst)
{
    const mi_class *cls = mi_instance_class((MI_Instance *)inst);
    bool is_namespace = cls ? mi_class_is_a(cls, "CIM_Namespace")
                            : mi_name_equal(mi_instance_class_name(inst), "CIM_Namespace");
    MI_Value v;
    MI_Type type;
    MI_Uint32 flags = 0;
    if (!is_namespace || MI_Instance_GetElement(inst, "Name", &v, &type, &flags, NULL) != 0 ||
        type != MI_STRING || (flags & MI_FLAG_NULL))
        return NULL;
    return v.string;
}

static MI_Result served_here(const MI_Instance *inst, mi_error *err)
{
    return mi_error_set(err, MI_RESULT_NOT_SUPPORTED,
                        "%s instances of %s describe the server itself: only CIM_Namespace "
                        "instances are created and deleted (they make and delete namespaces)",
                        mi_instance_class_name(inst), MID_INTEROP_NAMESPACE);
}

static MI_Result interop_create(void *self, const char *ns, const MI_Instance *inst, mi_error *err)
{
    (void)ns;
    mid_interop *x = self;
    const char *name = namespace_named(inst);
    if (!name)
        return served_here(inst, err);
    return mi_repository_create_namespace(x->repo, name, err);
}

static MI_Result interop_modify(void *self, const char *ns, const MI_Instance *inst, mi_error *err)
{
    (void)self, (void)ns;
    return served_here(inst, err);
}

static MI_Result interop_remove(void *self, const char *ns, const MI_Instance *path, mi_error *err)
{
    (void)ns;
    mid_interop *x = self;
    const char *name = namespace_named(path);
    if (!name)
        return served_here(path, err);
    if (mi_name_equal(name, MID_INTEROP_NAMESPACE))
        return mi_error_set(err, MI_RESULT_ACCESS_DENIED,
                            "the interop namespace describes the server: it is not deleted");
    return mi_repository_delete_namespace(x->repo, name, err);
}

static const mi_source_ops interop_ops = {
    .enumerate = interop_enumerate,
    .get = interop_get,
    .create = interop_create,
    .modify = interop_modify,
    .remove = interop_remove,
    .next = interop_next,
    .close = interop_close,
};

/* ---- life ---- */

static MI_Result install_schema(mi_repository *repo, mi_error *err)
{
    if (mi_repository_find_class(repo, MID_INTEROP_NAMESPACE, "CIM_ObjectManager"))
        return MI_RESULT_OK; /* a schema is there already: the repository's own */
    if (!mi_repository_has_namespace(repo, MID_INTEROP_NAMESPACE)) {
        MI_Result r = mi_repository_create_namespace(repo, MID_INTEROP_NAMESPACE, err);
        if (r != MI_RESULT_OK && r != MI_RESULT_ALREADY_EXISTS)
            return r;
    }
    mi_schema_store store = mi_repository_store(repo);
    mi_mof_options options = {.namespace_name = MID_INTEROP_NAMESPACE};
    mi_mof_stats stats;
    MI_Result r = mi_mof_compile_string(&store, "interop.mof", schema_mof, sizeof schema_mof - 1,
                                        &options, &stats, err);
    if (r == MI_RESULT_ACCESS_DENIED)
        return MI_RESULT_OK; /* a read-only repository: what it has is served */
    return r;
}

MI_Result mid_interop_new(mid_interop **out, mi_repository *repo, const char *host, mi_error *err)
{
    *out = NULL;
    MI_Result r = install_schema(repo, err);
    if (r != MI_RESULT_OK)
        return r;
    mid_interop *x = calloc(1, sizeof *x);
    if (!x)
        return mi_error_nomem(err);
    x->repo = repo;
    snprintf(x->host, sizeof x->host, "%s", host && *host ? host : "localhost");
    x->source = (mi_instance_source){&interop_ops, x};
    *out = x;
    return MI_RESULT_OK;
}

void mid_interop_free(mid_interop *interop)
{
    free(interop);
}

MI_Result mid_interop_register(mid_interop *interop, mi_source_registry *registry, mi_error *err)
{
    for (size_t i = 0; i < sizeof served / sizeof *served; i++) {
        if (!mi_repository_find_class(interop->repo, MID_INTEROP_NAMESPACE, served[i]))
            continue; /* a class this schema lacks: nothing of it is served */
        MI_Result r = mi_source_registry_add(registry, MID_INTEROP_NAMESPACE, served[i],
                                             &interop->source, err);
        if (r != MI_RESULT_OK)
            return r;
    }
    return MI_RESULT_OK;
}
