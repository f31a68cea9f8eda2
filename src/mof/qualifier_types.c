/*
 * qualifier_types — qualifier type declarations: those a compile declares, and the
 * standard qualifiers of DSP0004 that every compile knows without a declaration.
 */
#include "compile.h"

#include "core/value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

/* The standard qualifiers (DSP0004) and the common optional ones, used when neither the
 * compile nor the store declares a qualifier of that name. */
static const char builtin_mof[] =
    "Qualifier Abstract : boolean = false, Scope(class, association, indication),"
    " Flavor(EnableOverride, Restricted);\n"
    "Qualifier Aggregate : boolean = false, Scope(reference), Flavor(DisableOverride, "
    "ToSubclass);\n"
    "Qualifier Aggregation : boolean = false, Scope(association),"
    " Flavor(DisableOverride, ToSubclass);\n"
    "Qualifier Alias : string = null, Scope(property, reference, method),"
    " Flavor(EnableOverride, ToSubclass, Translatable);\n"
    "Qualifier ArrayType : string = \"Bag\", Scope(property, parameter),"
    " Flavor(DisableOverride, ToSubclass);\n"
    "Qualifier Association : boolean = false, Scope(association),"
    " Flavor(DisableOverride, ToSubclass);\n"
    "Qualifier BitMap : string[], Scope(property, method, parameter);\n"
    "Qualifier BitValues : string[], Scope(property, method, parameter),"
    " Flavor(EnableOverride, ToSubclass, Translatable);\n"
    "Qualifier ClassConstraint : string[], Scope(class, association, indication);\n"
    "Qualifier Composition : boolean = false, Scope(association),"
    " Flavor(DisableOverride, ToSubclass);\n"
    "Qualifier Correlatable : string[], Scope(property);\n"
    "Qualifier Counter : boolean = false, Scope(property, method, parameter);\n"
    "Qualifier Delete : boolean = false, Scope(association, reference);\n"
    "Qualifier Deprecated : string[], Scope(any), Flavor(EnableOverride, Restricted);\n"
    "Qualifier Description : string = null, Scope(any),"
    " Flavor(EnableOverride, ToSubclass, Translatable);\n"
    "Qualifier DisplayDescription : string = null, Scope(any),"
    " Flavor(EnableOverride, ToSubclass, Translatable);\n"
    "Qualifier DisplayName : string = null, Scope(any),"
    " Flavor(EnableOverride, ToSubclass, Translatable);\n"
    "Qualifier DN : boolean = false, Scope(property, method, parameter),"
    " Flavor(DisableOverride, ToSubclass);\n"
    "Qualifier EmbeddedInstance : string = null, Scope(property, method, parameter);\n"
    "Qualifier EmbeddedObject : boolean = false, Scope(property, method, parameter),"
    " Flavor(DisableOverride, ToSubclass);\n"
    "Qualifier Exception : boolean = false, Scope(class, indication),"
    " Flavor(DisableOverride, ToSubclass);\n"
    "Qualifier Expensive : boolean = false, Scope(any);\n"
    "Qualifier Experimental : boolean = false, Scope(any), Flavor(EnableOverride, "
    "Restricted);\n"
    "Qualifier Gauge : boolean = false, Scope(property, method, parameter);\n"
    "Qualifier Ifdeleted : boolean = false, Scope(association, reference);\n"
    "Qualifier In : boolean = true, Scope(parameter), Flavor(DisableOverride, ToSubclass);\n"
    "Qualifier Indication : boolean = false, Scope(class, indication),"
    " Flavor(DisableOverride, ToSubclass);\n"
    "Qualifier Invisible : boolean = false,"
    " Scope(class, association, property, reference, method);\n"
    "Qualifier IsPUnit : boolean = false, Scope(property, method, parameter);\n"
    "Qualifier Key : boolean = false, Scope(property, reference),"
    " Flavor(DisableOverride, ToSubclass);\n"
    "Qualifier Large : boolean = false, Scope(class, property);\n"
    "Qualifier MappingStrings : string[], Scope(any);\n"
    "Qualifier Max : uint32 = null, Scope(reference);\n"
    "Qualifier MaxLen : uint32 = null, Scope(property, method, parameter);\n"
    "Qualifier MaxValue : sint64 = null, Scope(property, method, parameter);\n"
    "Qualifier MethodConstraint : string[], Scope(method);\n"
    "Qualifier Min : uint32 = 0, Scope(reference);\n"
    "Qualifier MinLen : uint32 = 0, Scope(property, method, parameter);\n"
    "Qualifier MinValue : sint64 = null, Scope(property, method, parameter);\n"
    "Qualifier ModelCorrespondence : string[], Scope(any);\n"
    "Qualifier NullValue : string = null, Scope(property), Flavor(DisableOverride, "
    "ToSubclass);\n"
    "Qualifier OctetString : boolean = false, Scope(property, method, parameter),"
    " Flavor(DisableOverride, ToSubclass);\n"
    "Qualifier Out : boolean = false, Scope(parameter), Flavor(DisableOverride, ToSubclass);\n"
    "Qualifier Override : string = null, Scope(property, reference, method),"
    " Flavor(EnableOverride, Restricted);\n"
    "Qualifier OverrideValue : boolean = false, Scope(property, reference);\n"
    "Qualifier Propagated : string = null, Scope(property), Flavor(DisableOverride, "
    "ToSubclass);\n"
    "Qualifier PropertyConstraint : string[], Scope(property, reference);\n"
    "Qualifier PropertyUsage : string = \"CurrentContext\", Scope(property);\n"
    "Qualifier Provider : string = null, Scope(any);\n"
    "Qualifier PUnit : string = null, Scope(property, method, parameter);\n"
    "Qualifier Read : boolean = true, Scope(property);\n"
    "Qualifier Reference : string = null, Scope(property);\n"
    "Qualifier Required : boolean = false, Scope(property, reference, method, parameter),"
    " Flavor(DisableOverride, ToSubclass);\n"
    "Qualifier Static : boolean = false, Scope(property, method),"
    " Flavor(DisableOverride, ToSubclass);\n"
    "Qualifier Syntax : string = null, Scope(property, reference, method, parameter);\n"
    "Qualifier SyntaxType : string = null, Scope(property, reference, method, parameter);\n"
    "Qualifier Terminal : boolean = false, Scope(class, association, indication);\n"
    "Qualifier TriggerType : string = null,"
    " Scope(class, association, indication, property, reference, method);\n"
    "Qualifier UMLPackagePath : string = null, Scope(class, association, indication);\n"
    "Qualifier Units : string = null, Scope(property, method, parameter),"
    " Flavor(EnableOverride, ToSubclass, Translatable);\n"
    "Qualifier UnknownValues : string[], Scope(property), Flavor(DisableOverride, "
    "ToSubclass);\n"
    "Qualifier UnsupportedValues : string[], Scope(property),"
    " Flavor(DisableOverride, ToSubclass);\n"
    "Qualifier ValueMap : string[], Scope(property, method, parameter);\n"
    "Qualifier Values : string[], Scope(property, method, parameter),"
    " Flavor(EnableOverride, ToSubclass, Translatable);\n"
    "Qualifier Version : string = null, Scope(class, association, indication),"
    " Flavor(EnableOverride, Restricted, Translatable);\n"
    "Qualifier Weak : boolean = false, Scope(reference), Flavor(DisableOverride, "
    "ToSubclass);\n"
    "Qualifier Write : boolean = false, Scope(property);\n";

/* The declaration a parsed qualifier type stands for; NULL after reporting why not. */
static mi_qualifier_decl *build_decl(mof_compiler *c, const mof_qualifier_type *qt)
{
    uint32_t flavor = qt->flavor;
    if ((flavor & MI_FLAG_ENABLEOVERRIDE) && (flavor & MI_FLAG_DISABLEOVERRIDE)) {
        mof_error(c, &qt->pos,
                  "qualifier '%s': flavors EnableOverride and DisableOverride contradict",
                  qt->name);
        return NULL;
    }
    if ((flavor & MI_FLAG_TOSUBCLASS) && (flavor & MI_FLAG_RESTRICTED)) {
        mof_error(c, &qt->pos, "qualifier '%s': flavors ToSubclass and Restricted contradict",
                  qt->name);
        return NULL;
    }
    if (!(flavor & (MI_FLAG_ENABLEOVERRIDE | MI_FLAG_DISABLEOVERRIDE)))
        flavor |= MI_FLAG_ENABLEOVERRIDE;
    if (!(flavor & (MI_FLAG_TOSUBCLASS | MI_FLAG_RESTRICTED)))
        flavor |= MI_FLAG_TOSUBCLASS;
    MI_Type type = qt->type.scalar | (qt->type.is_array ? MI_ARRAY : 0);
    MI_Value value;
    bool is_null = true;
    if (qt->default_value) {
        mof_subject subject = {{"default of qualifier '", qt->name, "'", NULL}};
        if (!mof_convert_value(c, qt->default_value, type, qt->type.array_size, &subject, &value,
                               &is_null))
            return NULL;
    }
    mi_qualifier_decl *decl;
    mi_error err;
    if (mi_qualifier_decl_new(&decl, qt->name, type, qt->type.array_size, qt->scope, flavor,
                              is_null ? NULL : &value, &err) != MI_RESULT_OK) {
        mof_error_from(c, &qt->pos, NULL, &err);
        return NULL;
    }
    return decl;
}

/* Built on first use. A failed attempt (out of memory) leaves nothing behind and the
 * next compile tries again. */
static mof_table builtins;
static bool builtins_loaded; /* read with acquire, set with release under the lock */
static mtx_t builtins_lock;
static once_flag builtins_lock_once = ONCE_FLAG_INIT;
static bool builtins_lock_ok;

static void init_builtins_lock(void)
{
    builtins_lock_ok = mtx_init(&builtins_lock, mtx_plain) == thrd_success;
}

static void free_table(mof_table *table)
{
    for (uint32_t i = 0; i < table->count; i++)
        mi_qualifier_decl_free(table->items[i]);
    mi_nametable_free(&table->index);
    free(table->items);
    memset(table, 0, sizeof *table);
}

static bool load_builtins(void)
{
    mof_compiler *c = malloc(sizeof *c);
    if (!c)
        return false;
    mof_compiler_init(c, NULL, NULL);
    bool ok = mof_parse(&c->parse, "<standard qualifiers>", builtin_mof, sizeof builtin_mof - 1) &&
              c->stats.errors == 0;
    for (mof_qualifier_type *qt = c->unit.qualifier_types; ok && qt; qt = qt->next) {
        mi_qualifier_decl *decl = build_decl(c, qt);
        bool nomem;
        if (!decl || !mof_table_add(&builtins, decl->name, decl, NULL, &nomem)) {
            mi_qualifier_decl_free(decl);
            ok = false;
        }
    }
    mof_compiler_release(c);
    free(c);
    if (!ok)
        free_table(&builtins);
    return ok;
}

bool mof_builtins_ready(void)
{
    if (__atomic_load_n(&builtins_loaded, __ATOMIC_ACQUIRE))
        return true;
    call_once(&builtins_lock_once, init_builtins_lock);
    if (!builtins_lock_ok || mtx_lock(&builtins_lock) != thrd_success)
        return false;
    bool ok = builtins_loaded || load_builtins();
    if (ok)
        __atomic_store_n(&builtins_loaded, true, __ATOMIC_RELEASE);
    mtx_unlock(&builtins_lock);
    return ok;
}

const mi_qualifier_decl *mof_builtin_qualifier(const char *name)
{
    return mof_builtins_ready() ? mof_table_find(&builtins, name) : NULL;
}

void mof_compile_qualifier_types(mof_compiler *c)
{
    for (mof_qualifier_type *qt = c->unit.qualifier_types; qt && !c->stopped; qt = qt->next) {
        if (qt->broken)
            continue;
        const char *key = mof_scoped_key(c, qt->namespace_name, qt->name);
        void *existing;
        bool nomem;
        if (!mof_table_add(&c->qualifier_sources, key, (void *)qt, &existing, &nomem)) {
            if (nomem) {
                mof_out_of_memory(c, &qt->pos);
                return;
            }
            const mof_qualifier_type *first = existing;
            char where[300];
            mof_error(c, &qt->pos, "qualifier '%s' is declared twice (first at %s)", qt->name,
                      mof_where(&first->pos, &qt->pos, where, sizeof where));
            continue;
        }
        mi_qualifier_decl *decl = build_decl(c, qt);
        if (!decl)
            continue;
        const mi_qualifier_decl *stored =
            c->store && c->store->find_qualifier
                ? c->store->find_qualifier(c->store->context, qt->namespace_name, qt->name)
                : NULL;
        if (stored && stored->type != decl->type) {
            mof_error(c, &qt->pos,
                      "qualifier '%s' is already declared in namespace %s with type %s; it "
                      "cannot change to %s",
                      qt->name, qt->namespace_name, mi_type_name(stored->type),
                      mi_type_name(decl->type));
            mi_qualifier_decl_free(decl);
            continue;
        }
        /* The batch owns the declaration from here on, also when adding fails. */
        if (mi_batch_add_qualifier(&c->batch, qt->namespace_name, decl) != MI_RESULT_OK ||
            !mof_table_add(&c->qualifier_types, key, decl, NULL, &nomem)) {
            mof_out_of_memory(c, &qt->pos);
            return;
        }
    }
}
