/*
 * EnumerateInstances, CreateInstance, ModifyInstance and DeleteInstance through the MI
 * API, with the reference index following every change, and the repository refusing to
 * delete a class that still has subclasses or instances.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mof/mof.h"
#include "repo/repository.h"
#include "support.h"

#include <mi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <threads.h>
#include <unistd.h>

#define NS "root/cimv2"

static const char model[] =
    "class Sys { [Key] string Name; string Owner; };\n"
    "class BigSys : Sys { uint32 Size; };\n"
    "class Dev { [Key] string Id; uint32 Reset([In] uint32 Level, [Out] string Note); };\n"
    "class Lonely { [Key] string Id; };\n"
    "[Association] class SysDev { [Key] Sys REF Group; [Key] Dev REF Part; };\n"
    "[Association] class Watch { [Key] string Id; Sys REF Who; Dev REF What; };\n"
    "instance of Sys as $s1 { Name = \"s1\"; };\n"
    "instance of BigSys as $s2 { Name = \"s2\"; Size = 3; };\n"
    "instance of Dev as $d1 { Id = \"d1\"; };\n"
    "instance of SysDev { Group = $s1; Part = $d1; };\n"
    "instance of Watch { Id = \"w1\"; Who = $s1; What = $d1; };\n";

static char dir[64], file[128];
static MI_Application app = MI_APPLICATION_NULL;
static MI_Session session = MI_SESSION_NULL;

static int setup(void **state)
{
    (void)state;
    if (!mi_test_make_dir(dir, "mi-changes"))
        return -1;
    snprintf(file, sizeof file, "%s/repo.db", dir);
    mi_repository *repo;
    if (mi_repository_open(&repo, file, true, NULL) != MI_RESULT_OK)
        return -1;
    mi_schema_store store = mi_repository_store(repo);
    MI_Result r = mi_mof_compile_string(&store, "m.mof", model, sizeof model - 1, NULL, NULL, NULL);
    mi_repository_close(repo);
    setenv("MI_REPOSITORY", file, 1);
    if (r != MI_RESULT_OK || MI_Application_Initialize(0, NULL, NULL, &app) != MI_RESULT_OK)
        return -1;
    return MI_Application_NewSession(&app, NULL, NULL, NULL, NULL, NULL, &session) == MI_RESULT_OK
               ? 0
               : -1;
}

static int teardown(void **state)
{
    (void)state;
    MI_Session_Close(&session, NULL, NULL);
    MI_Application_Close(&app);
    return mi_test_remove_dir(dir) ? 0 : -1;
}

static MI_Instance *keyed(const char *cls, const char *key, const char *value)
{
    MI_Instance *inst;
    assert_int_equal(MI_Application_NewInstance(&app, cls, NULL, &inst), MI_RESULT_OK);
    MI_Value v = {.string = (MI_Char *)value};
    assert_int_equal(MI_Instance_AddElement(inst, key, &v, MI_STRING, MI_FLAG_KEY), MI_RESULT_OK);
    return inst;
}

/* Runs the started operation to its end; the names of the result classes and their key
 * values, joined; the final result in *result. */
static char *drain(MI_Operation *op, MI_Result *result)
{
    static char text[1024];
    text[0] = '\0';
    MI_Boolean more = MI_TRUE;
    while (more) {
        const MI_Instance *inst = NULL;
        assert_int_equal(MI_Operation_GetInstance(op, &inst, &more, result, NULL, NULL),
                         MI_RESULT_OK);
        if (!inst)
            continue;
        const MI_Char *cls;
        MI_Instance_GetClassName(inst, &cls);
        size_t used = strlen(text);
        snprintf(text + used, sizeof text - used, "%s%s", used ? ";" : "", cls);
        MI_Uint32 count = 0;
        MI_Instance_GetElementCount(inst, &count);
        for (MI_Uint32 i = 0; i < count; i++) {
            const MI_Char *name;
            MI_Value v;
            MI_Type type;
            MI_Uint32 flags;
            MI_Instance_GetElementAt(inst, i, &name, &v, &type, &flags);
            if ((flags & MI_FLAG_KEY) && type == MI_STRING) {
                used = strlen(text);
                snprintf(text + used, sizeof text - used, ".%s", v.string);
            }
        }
    }
    MI_Operation_Close(op);
    return text;
}

static MI_Result change(int what, MI_Instance *inst, char **out)
{
    MI_Operation op = MI_OPERATION_NULL;
    if (what == 0)
        MI_Session_CreateInstance(&session, 0, NULL, NS, inst, NULL, &op);
    else if (what == 1)
        MI_Session_ModifyInstance(&session, 0, NULL, NS, inst, NULL, &op);
    else
        MI_Session_DeleteInstance(&session, 0, NULL, NS, inst, NULL, &op);
    MI_Result result;
    char *text = drain(&op, &result);
    if (out)
        *out = text;
    return result;
}

static char *associators(const char *cls, const char *key, const char *value, const char *assoc)
{
    MI_Instance *source = keyed(cls, key, value);
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_AssociatorInstances(&session, 0, NULL, NS, source, assoc, NULL, NULL, NULL, MI_TRUE,
                                   NULL, &op);
    MI_Result result;
    char *text = drain(&op, &result);
    assert_int_equal(result, MI_RESULT_OK);
    MI_Instance_Delete(source);
    return text;
}

static char *class_names(MI_Uint32 flags, const char *parent)
{
    static char text[512];
    text[0] = '\0';
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_EnumerateClasses(&session, flags, NULL, NS, parent, MI_FALSE, NULL, &op);
    MI_Boolean more = MI_TRUE;
    MI_Result result = MI_RESULT_FAILED;
    while (more) {
        const MI_Class *cls = NULL;
        assert_int_equal(MI_Operation_GetClass(&op, &cls, &more, &result, NULL, NULL),
                         MI_RESULT_OK);
        const MI_Char *name;
        if (cls && MI_Class_GetClassName(cls, &name) == MI_RESULT_OK) {
            size_t used = strlen(text);
            snprintf(text + used, sizeof text - used, "%s%s", used ? " " : "", name);
        }
    }
    assert_int_equal(result, MI_RESULT_OK);
    MI_Operation_Close(&op);
    return text;
}

static void test_classes(void **state)
{
    (void)state;
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_GetClass(&session, 0, NULL, NS, "bigsys", NULL, &op);
    const MI_Class *cls = NULL;
    MI_Boolean more = MI_FALSE;
    MI_Result result = MI_RESULT_FAILED;
    assert_int_equal(MI_Operation_GetClass(&op, &cls, &more, &result, NULL, NULL), MI_RESULT_OK);
    assert_non_null(cls);
    const MI_Char *name = NULL;
    assert_int_equal(MI_Class_GetClassName(cls, &name), MI_RESULT_OK);
    assert_string_equal(name, "BigSys");
    assert_int_equal(MI_Class_GetParentClassName(cls, &name), MI_RESULT_OK);
    assert_string_equal(name, "Sys");
    MI_Uint32 count = 0;
    assert_int_equal(MI_Class_GetElementCount(cls, &count), MI_RESULT_OK);
    assert_int_equal(count, 3);
    MI_Type type;
    MI_Uint32 flags = 0;
    assert_int_equal(MI_Class_GetElement(cls, "name", NULL, NULL, &type, NULL, NULL, &flags, NULL),
                     MI_RESULT_OK);
    assert_int_equal(type, MI_STRING);
    assert_true(flags & MI_FLAG_KEY);
    assert_int_equal(MI_Class_GetElement(cls, "Colour", NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                     MI_RESULT_NO_SUCH_PROPERTY);
    assert_int_equal(MI_Operation_GetClass(&op, &cls, &more, &result, NULL, NULL), MI_RESULT_OK);
    assert_null(cls);
    assert_false(more);
    assert_int_equal(result, MI_RESULT_OK);
    MI_Operation_Close(&op);

    /* references, qualifiers, methods and parameters */
    MI_Session_GetClass(&session, 0, NULL, NS, "SysDev", NULL, &op);
    assert_int_equal(MI_Operation_GetClass(&op, &cls, &more, &result, NULL, NULL), MI_RESULT_OK);
    MI_Char *ref_class = NULL;
    assert_int_equal(
        MI_Class_GetElement(cls, "Group", NULL, NULL, &type, &ref_class, NULL, NULL, NULL),
        MI_RESULT_OK);
    assert_int_equal(type, MI_REFERENCE);
    assert_string_equal(ref_class, "Sys");
    MI_QualifierSet qualifiers;
    assert_int_equal(MI_Class_GetClassQualifierSet(cls, &qualifiers), MI_RESULT_OK);
    MI_Value value;
    assert_int_equal(
        MI_QualifierSet_GetQualifier(&qualifiers, "association", &type, NULL, &value, NULL),
        MI_RESULT_OK);
    assert_int_equal(type, MI_BOOLEAN);
    assert_true(value.boolean);
    MI_Operation_Close(&op);
    MI_Session_GetClass(&session, 0, NULL, NS, "Dev", NULL, &op);
    assert_int_equal(MI_Operation_GetClass(&op, &cls, &more, &result, NULL, NULL), MI_RESULT_OK);
    MI_ParameterSet parameters;
    assert_int_equal(MI_Class_GetMethod(cls, "reset", NULL, &parameters, NULL), MI_RESULT_OK);
    assert_int_equal(MI_ParameterSet_GetParameterCount(&parameters, &count), MI_RESULT_OK);
    assert_int_equal(count, 2);
    assert_int_equal(
        MI_ParameterSet_GetParameter(&parameters, "Note", &type, NULL, &qualifiers, NULL),
        MI_RESULT_OK);
    assert_int_equal(type, MI_STRING);
    assert_int_equal(MI_QualifierSet_GetQualifier(&qualifiers, "Out", NULL, NULL, &value, NULL),
                     MI_RESULT_OK);
    assert_true(value.boolean);
    MI_Operation_Close(&op);

    MI_Session_GetClass(&session, 0, NULL, NS, "Nothing", NULL, &op);
    assert_int_equal(MI_Operation_GetClass(&op, &cls, &more, &result, NULL, NULL), MI_RESULT_OK);
    assert_null(cls);
    assert_int_equal(result, MI_RESULT_NOT_FOUND);
    MI_Operation_Close(&op);

    assert_string_equal(class_names(0, NULL), "Sys BigSys Dev Lonely SysDev Watch");
    assert_string_equal(class_names(MI_OPERATIONFLAGS_POLYMORPHISM_SHALLOW, NULL),
                        "Sys Dev Lonely SysDev Watch");
    assert_string_equal(class_names(0, "sys"), "BigSys");

    /* the class of a returned instance (paths name the creation class) */
    MI_Instance *key = keyed("BigSys", "Name", "s2");
    MI_Session_GetInstance(&session, 0, NULL, NS, key, NULL, &op);
    const MI_Instance *inst = NULL;
    assert_int_equal(MI_Operation_GetInstance(&op, &inst, &more, &result, NULL, NULL),
                     MI_RESULT_OK);
    MI_Class *of = NULL;
    assert_int_equal(MI_Instance_GetClass(inst, &of), MI_RESULT_OK);
    assert_int_equal(MI_Class_GetClassName(of, &name), MI_RESULT_OK);
    assert_string_equal(name, "BigSys");
    MI_Class_Delete(of);
    MI_Operation_Close(&op);
    MI_Instance_Delete(key);
}

static void test_enumerate(void **state)
{
    (void)state;
    MI_Operation op = MI_OPERATION_NULL;
    MI_Result result;
    MI_Session_EnumerateInstances(&session, 0, NULL, NS, "sys", MI_FALSE, NULL, &op);
    assert_string_equal(drain(&op, &result), "Sys.s1;BigSys.s2");
    assert_int_equal(result, MI_RESULT_OK);
    MI_Session_EnumerateInstances(&session, MI_OPERATIONFLAGS_POLYMORPHISM_SHALLOW, NULL, NS, "Sys",
                                  MI_TRUE, NULL, &op);
    assert_string_equal(drain(&op, &result), "Sys.s1");
    MI_Session_EnumerateInstances(&session, 0, NULL, NS, "Nothing", MI_FALSE, NULL, &op);
    drain(&op, &result);
    assert_int_equal(result, MI_RESULT_INVALID_CLASS);
    MI_Session_EnumerateInstances(&session, 0, NULL, "root/none", "Sys", MI_FALSE, NULL, &op);
    drain(&op, &result);
    assert_int_equal(result, MI_RESULT_INVALID_NAMESPACE);
}

static void test_create(void **state)
{
    (void)state;
    MI_Instance *d2 = keyed("Dev", "Id", "d2");
    char *text;
    assert_int_equal(change(0, d2, &text), MI_RESULT_OK);
    assert_string_equal(text, "Dev.d2"); /* the new instance's path */
    assert_int_equal(change(0, d2, NULL), MI_RESULT_ALREADY_EXISTS);
    MI_Instance_Delete(d2);

    /* an association whose references are key instances built by the caller */
    MI_Instance *link, *group = keyed("Sys", "Name", "s2"), *part = keyed("Dev", "Id", "d2");
    assert_int_equal(MI_Application_NewInstance(&app, "SysDev", NULL, &link), MI_RESULT_OK);
    MI_Value v = {.reference = group};
    assert_int_equal(MI_Instance_AddElement(link, "Group", &v, MI_REFERENCE, MI_FLAG_KEY),
                     MI_RESULT_OK);
    v.reference = part;
    assert_int_equal(MI_Instance_AddElement(link, "Part", &v, MI_REFERENCE, MI_FLAG_KEY),
                     MI_RESULT_OK);
    assert_int_equal(change(0, link, NULL), MI_RESULT_OK);
    assert_string_equal(associators("Sys", "Name", "s2", NULL), "Dev.d2");
    assert_string_equal(associators("Dev", "Id", "d2", NULL), "Sys.s2");
    MI_Instance_Delete(link);
    MI_Instance_Delete(group);
    MI_Instance_Delete(part);

    /* what a class does not allow */
    MI_Instance *bad = keyed("Dev", "Id", "d3");
    MI_Value colour = {.string = "red"};
    assert_int_equal(MI_Instance_AddElement(bad, "Colour", &colour, MI_STRING, 0), MI_RESULT_OK);
    assert_int_equal(change(0, bad, NULL), MI_RESULT_NO_SUCH_PROPERTY);
    MI_Instance_Delete(bad);
    MI_Instance *typed;
    assert_int_equal(MI_Application_NewInstance(&app, "Dev", NULL, &typed), MI_RESULT_OK);
    MI_Value number = {.uint32 = 7};
    assert_int_equal(MI_Instance_AddElement(typed, "Id", &number, MI_UINT32, MI_FLAG_KEY),
                     MI_RESULT_OK);
    assert_int_equal(change(0, typed, NULL), MI_RESULT_TYPE_MISMATCH);
    MI_Instance_Delete(typed);
    MI_Instance *keyless;
    assert_int_equal(MI_Application_NewInstance(&app, "Dev", NULL, &keyless), MI_RESULT_OK);
    assert_int_equal(change(0, keyless, NULL), MI_RESULT_INVALID_PARAMETER);
    MI_Instance_Delete(keyless);
    MI_Instance *stranger = keyed("Stranger", "Id", "x");
    assert_int_equal(change(0, stranger, NULL), MI_RESULT_INVALID_CLASS);
    MI_Instance_Delete(stranger);
}

/* The string property `name` of the one associator of cls.key=value through assoc. */
static const char *associated_string(const char *cls, const char *key, const char *value,
                                     const char *assoc, const char *name)
{
    static char text[256];
    MI_Instance *source = keyed(cls, key, value);
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_AssociatorInstances(&session, 0, NULL, NS, source, assoc, NULL, NULL, NULL, MI_FALSE,
                                   NULL, &op);
    const MI_Instance *got = NULL;
    MI_Boolean more;
    MI_Result result;
    assert_int_equal(MI_Operation_GetInstance(&op, &got, &more, &result, NULL, NULL), MI_RESULT_OK);
    assert_non_null(got);
    MI_Value v;
    MI_Type type;
    MI_Uint32 flags;
    assert_int_equal(MI_Instance_GetElement(got, name, &v, &type, &flags, NULL), MI_RESULT_OK);
    snprintf(text, sizeof text, "%s", (flags & MI_FLAG_NULL) ? "(null)" : v.string);
    while (more)
        MI_Operation_GetInstance(&op, &got, &more, &result, NULL, NULL);
    assert_int_equal(result, MI_RESULT_OK);
    MI_Operation_Close(&op);
    MI_Instance_Delete(source);
    return text;
}

static void test_modify_moves_references(void **state)
{
    (void)state;
    assert_string_equal(associators("Sys", "Name", "s1", "Watch"), "Dev.d1");
    MI_Instance *watch = keyed("Watch", "Id", "w1"), *who = keyed("Sys", "Name", "s2");
    MI_Value v = {.reference = who};
    assert_int_equal(MI_Instance_AddElement(watch, "Who", &v, MI_REFERENCE, 0), MI_RESULT_OK);
    assert_int_equal(change(1, watch, NULL), MI_RESULT_OK);
    assert_string_equal(associators("Sys", "Name", "s1", "Watch"), "");
    assert_string_equal(associators("Sys", "Name", "s2", "Watch"), "Dev.d1");
    MI_Instance_Delete(watch);
    MI_Instance_Delete(who);

    MI_Instance *owner = keyed("Sys", "Name", "s1");
    MI_Value ops = {.string = "ops"};
    assert_int_equal(MI_Instance_AddElement(owner, "Owner", &ops, MI_STRING, 0), MI_RESULT_OK);
    assert_int_equal(change(1, owner, NULL), MI_RESULT_OK);
    MI_Instance_Delete(owner);
    MI_Instance *key = keyed("Sys", "Name", "s1");
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_GetInstance(&session, 0, NULL, NS, key, NULL, &op);
    const MI_Instance *got = NULL;
    MI_Boolean more;
    MI_Result result;
    assert_int_equal(MI_Operation_GetInstance(&op, &got, &more, &result, NULL, NULL), MI_RESULT_OK);
    MI_Value value;
    MI_Type type;
    assert_int_equal(MI_Instance_GetElement(got, "Owner", &value, &type, NULL, NULL), MI_RESULT_OK);
    assert_string_equal(value.string, "ops");
    MI_Operation_Close(&op);
    MI_Instance_Delete(key);
    /* the associators of d1 show the new value too */
    assert_string_equal(associated_string("Dev", "Id", "d1", "SysDev", "Owner"), "ops");
    owner = keyed("Sys", "Name", "s1");
    ops.string = "dev";
    assert_int_equal(MI_Instance_AddElement(owner, "Owner", &ops, MI_STRING, 0), MI_RESULT_OK);
    assert_int_equal(change(1, owner, NULL), MI_RESULT_OK);
    MI_Instance_Delete(owner);
    assert_string_equal(associated_string("Dev", "Id", "d1", "SysDev", "Owner"), "dev");

    MI_Instance *ghost = keyed("Sys", "Name", "ghost");
    assert_int_equal(change(1, ghost, NULL), MI_RESULT_NOT_FOUND);
    MI_Instance_Delete(ghost);
}

static void test_delete_and_classes(void **state)
{
    (void)state;
    assert_string_equal(associators("Sys", "Name", "s1", "SysDev"), "Dev.d1");
    MI_Instance *link, *group = keyed("Sys", "Name", "s1"), *part = keyed("Dev", "Id", "d1");
    assert_int_equal(MI_Application_NewInstance(&app, "SysDev", NULL, &link), MI_RESULT_OK);
    MI_Value v = {.reference = group};
    MI_Instance_AddElement(link, "Group", &v, MI_REFERENCE, MI_FLAG_KEY);
    v.reference = part;
    MI_Instance_AddElement(link, "Part", &v, MI_REFERENCE, MI_FLAG_KEY);
    assert_int_equal(change(2, link, NULL), MI_RESULT_OK);
    assert_string_equal(associators("Sys", "Name", "s1", "SysDev"), "");
    assert_int_equal(change(2, link, NULL), MI_RESULT_NOT_FOUND);
    MI_Instance_Delete(link);
    MI_Instance_Delete(group);
    MI_Instance_Delete(part);

    mi_repository *repo;
    assert_int_equal(mi_repository_open(&repo, file, false, NULL), MI_RESULT_OK);
    assert_int_equal(mi_repository_count_references(repo, NS), 4); /* Watch 2, SysDev(s2,d2) 2 */
    mi_error err;
    assert_int_equal(mi_repository_delete_class(repo, NS, "Sys", &err),
                     MI_RESULT_CLASS_HAS_CHILDREN);
    assert_int_equal(mi_repository_delete_class(repo, NS, "BigSys", &err),
                     MI_RESULT_CLASS_HAS_INSTANCES);
    assert_int_equal(mi_repository_delete_class(repo, NS, "Lonely", &err), MI_RESULT_OK);
    assert_null(mi_repository_find_class(repo, NS, "Lonely"));
    assert_int_equal(mi_repository_delete_class(repo, NS, "Lonely", &err), MI_RESULT_NOT_FOUND);
    mi_repository_close(repo);
}

typedef struct copier {
    int seen, created, done;
    MI_Result result;
} copier;

/* Each Dev seen makes another one, through the same session, from the callback. */
static void MI_CALL copy_each(MI_Operation *op, void *context, const MI_Instance *instance,
                              MI_Boolean more, MI_Result result, const MI_Char *message,
                              const MI_Instance *details, MI_Result(MI_CALL *ack)(MI_Operation *))
{
    (void)op, (void)message, (void)details, (void)ack;
    copier *c = context;
    if (instance) {
        MI_Value id;
        MI_Instance_GetElement(instance, "Id", &id, NULL, NULL, NULL);
        char name[64];
        snprintf(name, sizeof name, "copy-of-%s", id.string);
        MI_Instance *copy = keyed("Dev", "Id", name);
        c->created += change(0, copy, NULL) == MI_RESULT_OK;
        MI_Instance_Delete(copy);
        c->seen++;
    }
    if (!more) {
        c->result = result;
        __atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
    }
}

static void test_write_from_a_callback(void **state)
{
    (void)state;
    copier c = {0};
    MI_OperationCallbacks cb = MI_OPERATIONCALLBACKS_NULL;
    cb.callbackContext = &c;
    cb.instanceResult = copy_each;
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_EnumerateInstances(&session, 0, NULL, NS, "Dev", MI_FALSE, &cb, &op);
    while (!__atomic_load_n(&c.done, __ATOMIC_ACQUIRE))
        thrd_yield();
    assert_int_equal(MI_Operation_Close(&op), MI_RESULT_OK);
    assert_int_equal(c.result, MI_RESULT_OK);
    assert_true(c.seen >= 2);
    assert_int_equal(c.created, c.seen);
}

/* Invoke without a provider: the class's declaration tells the two answers apart. */
static void test_invoke_and_instances_from_classes(void **state)
{
    (void)state;
    MI_Instance *dev = keyed("Dev", "Id", "d1");
    const MI_Result want[] = {MI_RESULT_METHOD_NOT_AVAILABLE, MI_RESULT_METHOD_NOT_FOUND};
    const char *const methods[] = {"Reset", "Explode"};
    for (int i = 0; i < 2; i++) {
        MI_Operation op = MI_OPERATION_NULL;
        MI_Session_Invoke(&session, 0, NULL, NS, "Dev", methods[i], dev, NULL, NULL, &op);
        const MI_Instance *out;
        MI_Boolean more;
        MI_Result result;
        const MI_Char *message = NULL;
        MI_Operation_GetInstance(&op, &out, &more, &result, &message, NULL);
        assert_int_equal(result, want[i]);
        assert_non_null(strstr(message, methods[i]));
        MI_Operation_Close(&op);
    }
    /* GetClass, then an instance of it: typed and keyed as the class declares */
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_GetClass(&session, 0, NULL, NS, "Dev", NULL, &op);
    const MI_Class *cls = NULL;
    MI_Boolean more;
    MI_Result result;
    MI_Operation_GetClass(&op, &cls, &more, &result, NULL, NULL);
    assert_int_equal(result, MI_RESULT_OK);
    MI_Instance *made = NULL;
    assert_int_equal(MI_Application_NewInstanceFromClass(&app, "Dev", cls, &made), MI_RESULT_OK);
    MI_Instance *none = NULL;
    assert_int_equal(MI_Application_NewInstanceFromClass(&app, "Sys", cls, &none),
                     MI_RESULT_INVALID_PARAMETER); /* a name that is not the class's */
    assert_null(none);
    assert_int_equal(MI_Application_NewInstanceFromClass(&app, "Dev", NULL, &none),
                     MI_RESULT_INVALID_PARAMETER);
    MI_Operation_Close(&op);
    MI_Value v;
    MI_Type type;
    MI_Uint32 flags;
    assert_int_equal(MI_Instance_GetElement(made, "Id", &v, &type, &flags, NULL), MI_RESULT_OK);
    assert_int_equal(type, MI_STRING);
    assert_true(flags & MI_FLAG_KEY);
    assert_true(flags & MI_FLAG_NULL);
    assert_true(flags & MI_FLAG_NOT_MODIFIED); /* as the class made it */
    const MI_Char *ns = NULL;
    MI_Instance_GetNameSpace(made, &ns);
    assert_string_equal(ns, NS);
    v.string = (MI_Char *)"d1";
    assert_int_equal(MI_Instance_SetElement(made, "Id", &v, MI_STRING, 0), MI_RESULT_OK);
    MI_Instance_GetElement(made, "Id", &v, &type, &flags, NULL);
    assert_false(flags & MI_FLAG_NOT_MODIFIED); /* set by the program */
    MI_Instance *copy = NULL;
    assert_int_equal(MI_Instance_Clone(made, &copy), MI_RESULT_OK);
    MI_Instance_GetElement(copy, "Id", &v, &type, &flags, NULL);
    assert_false(flags & MI_FLAG_NOT_MODIFIED); /* a clone keeps what was changed */
    MI_Instance_Delete(copy);
    char expected[1024];
    snprintf(expected, sizeof expected, "%s", associators("Dev", "Id", "d1", NULL));
    assert_true(expected[0] != '\0');
    MI_Session_AssociatorInstances(&session, 0, NULL, NS, made, NULL, NULL, NULL, NULL, MI_TRUE,
                                   NULL, &op);
    assert_string_equal(drain(&op, &result), expected); /* the same as a keyed source */
    assert_int_equal(result, MI_RESULT_OK);
    /* what an operation gives is unmodified, element by element, until the program sets
     * or clears one */
    MI_Session_GetInstance(&session, 0, NULL, NS, made, NULL, &op);
    const MI_Instance *got = NULL;
    MI_Operation_GetInstance(&op, &got, &more, &result, NULL, NULL);
    assert_int_equal(result, MI_RESULT_OK);
    MI_Uint32 elements = 0;
    MI_Instance_GetElementCount(got, &elements);
    assert_true(elements > 0);
    for (MI_Uint32 i = 0; i < elements; i++) {
        MI_Instance_GetElementAt(got, i, NULL, NULL, NULL, &flags);
        assert_true(flags & MI_FLAG_NOT_MODIFIED);
    }
    assert_int_equal(MI_Instance_Clone(got, &copy), MI_RESULT_OK);
    MI_Operation_Close(&op);
    assert_int_equal(MI_Instance_ClearElementAt(copy, 0), MI_RESULT_OK);
    MI_Instance_GetElementAt(copy, 0, NULL, NULL, NULL, &flags);
    assert_false(flags & MI_FLAG_NOT_MODIFIED);
    assert_true(flags & MI_FLAG_NULL);
    MI_Instance_Delete(copy);
    MI_Instance_Delete(made);
    /* a dynamic instance describes its class by its elements */
    MI_Class *described = NULL;
    assert_int_equal(MI_Instance_GetClass(dev, &described), MI_RESULT_OK);
    const MI_Char *name = NULL;
    MI_Class_GetClassName(described, &name);
    assert_string_equal(name, "Dev");
    MI_Uint32 count = 0;
    MI_Class_GetElementCount(described, &count);
    assert_int_equal(count, 1);
    assert_int_equal(
        MI_Class_GetElement(described, "Id", NULL, NULL, &type, NULL, NULL, &flags, NULL),
        MI_RESULT_OK);
    assert_true(flags & MI_FLAG_KEY);
    MI_Class_Delete(described);
    MI_Instance_Delete(dev);
}

static int started_calls, result_calls;
static void MI_CALL count_results(MI_Operation *op, void *context, const MI_Instance *inst,
                                  MI_Boolean more, MI_Result result, const MI_Char *message,
                                  const MI_Instance *details,
                                  MI_Result(MI_CALL *ack)(MI_Operation *))
{
    (void)op, (void)context, (void)result, (void)message, (void)details, (void)ack;
    if (!inst && more)
        started_calls += result_calls == 0; /* a start said before any result */
    else if (inst)
        result_calls++;
    if (!more)
        __atomic_store_n((int *)context, 1, __ATOMIC_RELEASE);
}

/* MI_OPERATIONFLAGS_NO_RTTI: every value as text, references and embedded instances
 * converted the same way; MI_OPERATIONFLAGS_REPORT_OPERATION_STARTED: a first answer
 * without a result, synchronously and through callbacks. */
static void test_operation_flags(void **state)
{
    (void)state;
    MI_Instance *s2 = keyed("BigSys", "Name", "s2");
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_GetInstance(&session, MI_OPERATIONFLAGS_NO_RTTI, NULL, NS, s2, NULL, &op);
    const MI_Instance *got = NULL;
    MI_Boolean more;
    MI_Result result;
    MI_Operation_GetInstance(&op, &got, &more, &result, NULL, NULL);
    assert_int_equal(result, MI_RESULT_OK);
    MI_Value v;
    MI_Type type;
    MI_Uint32 flags;
    assert_int_equal(MI_Instance_GetElement(got, "Size", &v, &type, &flags, NULL), MI_RESULT_OK);
    assert_int_equal(type, MI_STRING);
    assert_string_equal(v.string, "3");
    assert_int_equal(MI_Instance_GetElement(got, "Name", &v, &type, &flags, NULL), MI_RESULT_OK);
    assert_true(flags & MI_FLAG_KEY);
    assert_int_equal(MI_Instance_GetElement(got, "Owner", &v, &type, &flags, NULL), MI_RESULT_OK);
    assert_int_equal(type, MI_STRING);
    assert_true(flags & MI_FLAG_NULL);
    MI_Operation_Close(&op);
    /* a property list through the operation options: the others come NULL, keys stay */
    MI_OperationOptions options = MI_OPERATIONOPTIONS_NULL;
    assert_int_equal(MI_Application_NewOperationOptions(&app, MI_FALSE, &options), MI_RESULT_OK);
    MI_Char *only[] = {(MI_Char *)"Owner"};
    MI_Value list;
    list.stringa.data = only;
    list.stringa.size = 1;
    assert_int_equal(MI_OperationOptions_SetCustomOption(&options, MI_T("LIBMI_PROPERTY_LIST"),
                                                         MI_STRINGA, &list, MI_FALSE, 0),
                     MI_RESULT_OK);
    MI_Session_GetInstance(&session, 0, &options, NS, s2, NULL, &op);
    MI_Operation_GetInstance(&op, &got, &more, &result, NULL, NULL);
    assert_int_equal(result, MI_RESULT_OK);
    assert_int_equal(MI_Instance_GetElement(got, "Size", &v, &type, &flags, NULL), MI_RESULT_OK);
    assert_true(flags & MI_FLAG_NULL); /* 3 when asked for */
    assert_int_equal(MI_Instance_GetElement(got, "Name", &v, &type, &flags, NULL), MI_RESULT_OK);
    assert_string_equal(v.string, "s2");
    MI_Operation_Close(&op);
    MI_OperationOptions_Delete(&options);
    MI_Instance_Delete(s2);
    MI_Instance *w1 = keyed("Watch", "Id", "w1");
    MI_Session_GetInstance(&session, MI_OPERATIONFLAGS_NO_RTTI, NULL, NS, w1, NULL, &op);
    MI_Operation_GetInstance(&op, &got, &more, &result, NULL, NULL);
    assert_int_equal(result, MI_RESULT_OK);
    assert_int_equal(MI_Instance_GetElement(got, "Who", &v, &type, &flags, NULL), MI_RESULT_OK);
    assert_int_equal(type, MI_REFERENCE);
    assert_int_equal(MI_Instance_GetElement(v.reference, "Name", &v, &type, NULL, NULL),
                     MI_RESULT_OK);
    assert_int_equal(type, MI_STRING);
    assert_true(v.string[0] == 's'); /* s1, or s2 where an earlier case moved it */
    MI_Operation_Close(&op);
    MI_Instance_Delete(w1);
    /* classNamesOnly: each class by its name and parent, without its properties */
    MI_Session_EnumerateClasses(&session, 0, NULL, NS, "Sys", MI_TRUE, NULL, &op);
    const MI_Class *named = NULL;
    int classes = 0;
    for (more = MI_TRUE; more;) {
        MI_Operation_GetClass(&op, &named, &more, &result, NULL, NULL);
        if (!named)
            continue;
        classes++;
        const MI_Char *name = NULL, *parent = NULL;
        MI_Class_GetClassName(named, &name);
        assert_string_equal(name, "BigSys");
        assert_int_equal(MI_Class_GetParentClassName(named, &parent), MI_RESULT_OK);
        assert_string_equal(parent, "Sys");
        MI_Uint32 features = 99;
        MI_Class_GetElementCount(named, &features);
        assert_int_equal(features, 0);
    }
    assert_int_equal(result, MI_RESULT_OK);
    assert_int_equal(classes, 1);
    MI_Operation_Close(&op);
    /* polymorphism with the base class's properties only: BigSys s2 without its Size */
    MI_Session_EnumerateInstances(&session, MI_OPERATIONFLAGS_POLYMORPHISM_DEEP_BASE_PROPS_ONLY,
                                  NULL, NS, "Sys", MI_FALSE, NULL, &op);
    int bigs = 0;
    for (more = MI_TRUE; more;) {
        MI_Operation_GetInstance(&op, &got, &more, &result, NULL, NULL);
        const MI_Char *cls = NULL;
        if (got && MI_Instance_GetClassName(got, &cls) == MI_RESULT_OK && !strcmp(cls, "BigSys")) {
            bigs++;
            assert_int_equal(MI_Instance_GetElement(got, "Size", &v, &type, &flags, NULL),
                             MI_RESULT_OK);
            assert_true(flags & MI_FLAG_NULL);
        }
    }
    assert_int_equal(result, MI_RESULT_OK);
    assert_int_equal(bigs, 1);
    MI_Operation_Close(&op);
    /* the start, then the two systems */
    MI_Session_EnumerateInstances(&session, MI_OPERATIONFLAGS_REPORT_OPERATION_STARTED, NULL, NS,
                                  "Sys", MI_TRUE, NULL, &op);
    MI_Operation_GetInstance(&op, &got, &more, &result, NULL, NULL);
    assert_null(got);
    assert_true(more);
    assert_int_equal(result, MI_RESULT_OK);
    int results = 0;
    while (more) {
        MI_Operation_GetInstance(&op, &got, &more, &result, NULL, NULL);
        results += got != NULL;
    }
    assert_int_equal(result, MI_RESULT_OK);
    assert_int_equal(results, 2);
    MI_Operation_Close(&op);
    int done = 0;
    MI_OperationCallbacks callbacks = MI_OPERATIONCALLBACKS_NULL;
    callbacks.callbackContext = &done;
    callbacks.instanceResult = count_results;
    MI_Session_EnumerateInstances(&session, MI_OPERATIONFLAGS_REPORT_OPERATION_STARTED, NULL, NS,
                                  "Sys", MI_TRUE, &callbacks, &op);
    for (int waited = 0; !__atomic_load_n(&done, __ATOMIC_ACQUIRE) && waited < 500; waited++)
        nanosleep(&(struct timespec){0, 10000000L}, NULL);
    MI_Operation_Close(&op);
    assert_int_equal(done, 1);
    assert_int_equal(started_calls, 1);
    assert_int_equal(result_calls, 2);
}

/* Every failure carries its CIM_Error; the utilities map and build them. */
static void test_error_details(void **state)
{
    (void)state;
    MI_Instance *missing = keyed("Dev", "Id", "nowhere");
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_GetInstance(&session, 0, NULL, NS, missing, NULL, &op);
    const MI_Instance *got, *details = NULL;
    MI_Boolean more;
    MI_Result result;
    const MI_Char *message = NULL;
    MI_Operation_GetInstance(&op, &got, &more, &result, &message, &details);
    assert_int_equal(result, MI_RESULT_NOT_FOUND);
    assert_non_null(details);
    MI_Value v;
    MI_Type type;
    MI_Uint32 flags;
    assert_int_equal(MI_Instance_GetElement(details, "CIMStatusCode", &v, &type, &flags, NULL),
                     MI_RESULT_OK);
    assert_int_equal(v.uint32, MI_RESULT_NOT_FOUND);
    assert_int_equal(MI_Instance_GetElement(details, "Message", &v, &type, &flags, NULL),
                     MI_RESULT_OK);
    assert_string_equal(v.string, message);
    assert_int_equal(MI_Instance_GetElement(details, "OwningEntity", &v, &type, &flags, NULL),
                     MI_RESULT_OK);
    assert_int_equal(MI_Instance_GetElement(details, "error_Category", &v, &type, &flags, NULL),
                     MI_RESULT_OK);
    assert_int_equal(v.uint16, MI_ERRORCATEGORY_OBJECT_NOT_FOUND);
    const MI_Char *cls;
    MI_Instance_GetClassName(details, &cls);
    assert_string_equal(cls, "CIM_Error");
    MI_Operation_Close(&op);
    /* a success has none */
    MI_Instance *dev = keyed("Dev", "Id", "d1");
    MI_Session_GetInstance(&session, 0, NULL, NS, dev, NULL, &op);
    MI_Operation_GetInstance(&op, &got, &more, &result, NULL, &details);
    while (more)
        MI_Operation_GetInstance(&op, &got, &more, &result, NULL, &details);
    assert_int_equal(result, MI_RESULT_OK);
    assert_null(details);
    MI_Operation_Close(&op);
    MI_Instance_Delete(dev);
    MI_Instance_Delete(missing);

    assert_int_equal(
        MI_Utilities_MapErrorToMiErrorCategory(MI_RESULT_TYPE_MI, MI_RESULT_ACCESS_DENIED),
        MI_ERRORCATEGORY_ACCESS_DENIED);
    assert_int_equal(
        MI_Utilities_MapErrorToMiErrorCategory(MI_RESULT_TYPE_MI, MI_RESULT_NOT_SUPPORTED),
        MI_ERRORCATEGORY_NOT_IMPLEMENTED);
    assert_int_equal(
        MI_Utilities_MapErrorToMiErrorCategory(MI_RESULT_TYPE_ERRNO, 110 /* ETIMEDOUT */),
        MI_ERRORCATEGORY_OPERATION_TIMEOUT);
    assert_int_equal(MI_Utilities_MapErrorToMiErrorCategory("Elsewhere", 5),
                     MI_ERRORCATEGORY_NOT_SPECIFIED);
    MI_Instance *made = NULL;
    assert_int_equal(
        MI_Utilities_CimErrorFromErrorCode(2 /* ENOENT */, MI_RESULT_TYPE_ERRNO, NULL, &made),
        MI_RESULT_OK);
    assert_int_equal(MI_Instance_GetElement(made, "error_Code", &v, &type, &flags, NULL),
                     MI_RESULT_OK);
    assert_int_equal(v.uint32, 2);
    assert_int_equal(MI_Instance_GetElement(made, "error_Category", &v, &type, &flags, NULL),
                     MI_RESULT_OK);
    assert_int_equal(v.uint16, MI_ERRORCATEGORY_OBJECT_NOT_FOUND);
    assert_int_equal(MI_Instance_GetElement(made, "Message", &v, &type, &flags, NULL),
                     MI_RESULT_OK);
    assert_true(strlen(v.string) > 0);
    MI_Instance_Delete(made);
    assert_int_equal(MI_Utilities_CimErrorFromErrorCode(1, NULL, NULL, &made),
                     MI_RESULT_INVALID_PARAMETER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classes),
        cmocka_unit_test(test_enumerate),
        cmocka_unit_test(test_create),
        cmocka_unit_test(test_modify_moves_references),
        cmocka_unit_test(test_delete_and_classes),
        cmocka_unit_test(test_write_from_a_callback),
        cmocka_unit_test(test_invoke_and_instances_from_classes),
        cmocka_unit_test(test_error_details),
        cmocka_unit_test(test_operation_flags),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
