/*
 * schema — see schema.h.
 */
#include "schema.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Room for any MI_<Type>Field (the largest value, a datetime, with exists and flags),
 * aligned for every member. */
enum { FIELD_SLOT = (sizeof(MI_DatetimeField) + 7) / 8 * 8 };

static MI_SchemaDecl *built;

static MI_ClassDecl *find(MI_ClassDecl **decls, MI_Uint32 count, const char *name)
{
    for (MI_Uint32 i = 0; name && i < count; i++)
        if (!strcasecmp(decls[i]->name, name))
            return decls[i];
    return NULL;
}

static MI_ClassDecl *build_class(const linux_class *c, MI_ClassDecl *super)
{
    MI_Uint32 own = 0, inherited = super ? super->numProperties : 0;
    while (c->properties && c->properties[own].name)
        own++;
    MI_ClassDecl *decl = calloc(1, sizeof *decl);
    MI_PropertyDecl **props = calloc(inherited + own + 1, sizeof *props);
    if (!decl || !props) {
        free(decl);
        free(props);
        return NULL;
    }
    MI_Uint32 n = inherited;
    if (inherited)
        memcpy(props, super->properties, inherited * sizeof *props);
    for (MI_Uint32 i = 0; i < own; i++) {
        const linux_property *p = &c->properties[i];
        MI_PropertyDecl *d = calloc(1, sizeof *d);
        if (!d)
            return NULL; /* the process cannot go on without its schema anyway */
        MI_Uint32 at = n;
        for (MI_Uint32 k = 0; k < inherited; k++)
            if (!strcasecmp(props[k]->name, p->name))
                at = k; /* an override keeps its place and offset */
        d->flags = MI_FLAG_PROPERTY | p->flags;
        d->name = p->name;
        d->type = p->type;
        d->className = p->ref_class;
        d->offset = (MI_Uint32)(sizeof(MI_Instance) + at * FIELD_SLOT);
        d->origin = at < inherited ? props[at]->origin : c->name;
        d->propagator = c->name;
        props[at] = d;
        if (at == n)
            n++;
    }
    decl->flags = MI_FLAG_CLASS | c->flags;
    decl->name = c->name;
    decl->properties = (MI_PropertyDecl MI_CONST * MI_CONST *)props;
    decl->numProperties = n;
    decl->size = (MI_Uint32)(sizeof(MI_Instance) + n * FIELD_SLOT);
    decl->superClass = super ? super->name : NULL;
    decl->superClassDecl = super;
    decl->providerFT = c->provider;
    return decl;
}

MI_SchemaDecl *linux_schema_build(const linux_class *classes, MI_Uint32 count)
{
    if (built)
        return built;
    MI_SchemaDecl *schema = calloc(1, sizeof *schema);
    MI_ClassDecl **decls = calloc(count, sizeof *decls);
    if (!schema || !decls) {
        free(schema);
        free(decls);
        return NULL;
    }
    for (MI_Uint32 i = 0; i < count; i++) {
        MI_ClassDecl *super = find(decls, i, classes[i].superclass);
        if (!(decls[i] = build_class(&classes[i], super)))
            return NULL;
        decls[i]->schema = schema;
    }
    schema->classDecls = (MI_ClassDecl MI_CONST * MI_CONST *)decls;
    schema->numClassDecls = count;
    built = schema;
    return schema;
}

const MI_ClassDecl *linux_schema_class(const char *name)
{
    return built ? find((MI_ClassDecl **)built->classDecls, built->numClassDecls, name) : NULL;
}
