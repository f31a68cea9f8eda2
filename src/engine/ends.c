/*
 * ends — see ends.h.
 */
#include "ends.h"

#include "core/instance.h"
#include "core/name.h"
#include "core/path.h"

typedef struct lookup {
    mi_repository *repo;
    const char *ns;
} lookup;

static const mi_class *lookup_class(void *context, const char *name)
{
    const lookup *l = context;
    return mi_repository_find_class(l->repo, l->ns, name);
}

MI_Uint32 mi_end_references(const MI_Value *value, MI_Type type, MI_Instance *const **items)
{
    if (type == MI_REFERENCEA) {
        *items = value->referencea.data;
        return value->referencea.size;
    }
    *items = &value->reference;
    return 1;
}

const char *mi_end_namespace(const MI_Instance *ref, const char *ns)
{
    const char *named = mi_instance_namespace(ref);
    return named ? named : ns;
}

bool mi_end_points_at(const MI_Instance *a, const char *role, const char *ns,
                      const MI_Instance *source)
{
    MI_Value value;
    MI_Type type;
    MI_Uint32 flags;
    if (MI_Instance_GetElement(a, role, &value, &type, &flags, NULL) != MI_RESULT_OK ||
        (flags & MI_FLAG_NULL) || (type != MI_REFERENCE && type != MI_REFERENCEA))
        return false;
    MI_Instance *const *refs;
    MI_Uint32 n = mi_end_references(&value, type, &refs);
    for (MI_Uint32 i = 0; i < n; i++) {
        if (refs[i] && mi_name_equal(mi_end_namespace(refs[i], ns), ns) &&
            mi_path_equal(refs[i], source))
            return true;
    }
    return false;
}

MI_Result mi_end_resolve(mi_repository *repo, const char *ns, MI_Instance *path,
                         const mi_class *cls, mi_error *err)
{
    lookup l = {repo, ns};
    return mi_path_resolve(path, cls, lookup_class, &l, err);
}

MI_Result mi_end_path(const MI_Instance *ref, const char *ns, MI_Instance **out, mi_error *err)
{
    MI_Result r = mi_path_of_instance(out, ref, err);
    if (r == MI_RESULT_OK && MI_Instance_SetNameSpace(*out, mi_end_namespace(ref, ns))) {
        mi_instance_delete(*out);
        *out = NULL;
        r = mi_error_nomem(err);
    }
    return r;
}

MI_Result mi_end_add_association(mi_result_set *set, const MI_Instance *a, const char *ns,
                                 const mi_request *q, mi_error *err)
{
    MI_Instance *path = NULL, *full = NULL;
    MI_Result r = mi_end_path(a, ns, &path, err);
    if (r == MI_RESULT_OK && q->operation == MI_OP_REFERENCES && !q->keys_only &&
        mi_instance_clone(a, &full) != MI_RESULT_OK) {
        mi_instance_delete(path);
        return mi_error_nomem(err);
    }
    return r == MI_RESULT_OK ? mi_result_set_add(set, path, full, err) : r;
}
