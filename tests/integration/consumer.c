/*
 * A program written only against documented MI names, built from an installed libmi
 * through pkg-config: new instance, elements of every type (arrays and a reference
 * included), read back, clone, delete. Exits 0 when every value reads back as written.
 */
#include <mi.h>
#include <stdio.h>
#include <string.h>

static int failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "consumer: check failed at line %d: %s\n", __LINE__, #cond);           \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

static void add(MI_Instance *inst, const char *name, MI_Value v, MI_Type type)
{
    CHECK(MI_Instance_AddElement(inst, name, &v, type, 0) == MI_RESULT_OK);
}

static MI_Value get(const MI_Instance *inst, const char *name, MI_Type expected)
{
    MI_Value v;
    MI_Type type = (MI_Type)-1;
    MI_Uint32 flags = 0;
    memset(&v, 0, sizeof v);
    CHECK(MI_Instance_GetElement(inst, name, &v, &type, &flags, NULL) == MI_RESULT_OK);
    CHECK(type == expected);
    CHECK(!(flags & MI_FLAG_NULL));
    return v;
}

static void check_all(const MI_Instance *inst)
{
    CHECK(get(inst, "Boolean", MI_BOOLEAN).boolean == MI_TRUE);
    CHECK(get(inst, "Uint8", MI_UINT8).uint8 == 200);
    CHECK(get(inst, "Sint8", MI_SINT8).sint8 == -100);
    CHECK(get(inst, "Uint16", MI_UINT16).uint16 == 60000);
    CHECK(get(inst, "Sint16", MI_SINT16).sint16 == -30000);
    CHECK(get(inst, "Uint32", MI_UINT32).uint32 == 4000000000u);
    CHECK(get(inst, "Sint32", MI_SINT32).sint32 == -2000000000);
    CHECK(get(inst, "Uint64", MI_UINT64).uint64 == 18000000000000000000ull);
    CHECK(get(inst, "Sint64", MI_SINT64).sint64 == -9000000000000000000ll);
    CHECK(get(inst, "Real32", MI_REAL32).real32 == 0.5f);
    CHECK(get(inst, "Real64", MI_REAL64).real64 == -2.25);
    CHECK(get(inst, "Char16", MI_CHAR16).char16 == 0x4E2D);
    CHECK(get(inst, "Datetime", MI_DATETIME).datetime.u.timestamp.year == 2026);
    CHECK(strcmp(get(inst, "String", MI_STRING).string, "caf\xc3\xa9") == 0);
    MI_Value ref = get(inst, "Ref", MI_REFERENCE);
    const MI_Char *cls = NULL;
    CHECK(MI_Instance_GetClassName(ref.reference, &cls) == MI_RESULT_OK);
    CHECK(cls && strcmp(cls, "CIM_ComputerSystem") == 0);
    MI_Value name;
    MI_Uint32 flags = 0;
    CHECK(MI_Instance_GetElement(ref.reference, "Name", &name, NULL, &flags, NULL) == MI_RESULT_OK);
    CHECK(flags & MI_FLAG_KEY);
    CHECK(strcmp(name.string, "host1") == 0);
    MI_Value ua = get(inst, "Uint32A", MI_UINT32A);
    CHECK(ua.uint32a.size == 3 && ua.uint32a.data[2] == 30);
    MI_Value sa = get(inst, "StringA", MI_STRINGA);
    CHECK(sa.stringa.size == 2 && strcmp(sa.stringa.data[1], "two") == 0);
    MI_Value ra = get(inst, "RefA", MI_REFERENCEA);
    CHECK(ra.referencea.size == 1);
    MI_Value ba = get(inst, "BooleanA", MI_BOOLEANA);
    CHECK(ba.booleana.size == 2 && ba.booleana.data[1] == MI_FALSE);
    MI_Value ia = get(inst, "Embedded", MI_INSTANCE);
    CHECK(MI_Instance_GetClassName(ia.instance, &cls) == MI_RESULT_OK);
    MI_Uint32 count = 0;
    CHECK(MI_Instance_GetElementCount(inst, &count) == MI_RESULT_OK && count == 20);
}

int main(void)
{
    MI_Application app = MI_APPLICATION_NULL;
    MI_Instance *inst = NULL, *target = NULL, *clone = NULL;
    CHECK(MI_Application_Initialize(0, MI_T("consumer"), NULL, &app) == MI_RESULT_OK);
    CHECK(MI_Application_NewInstance(&app, MI_T("Test_AllTypes"), NULL, &inst) == MI_RESULT_OK);
    CHECK(MI_Application_NewInstance(&app, MI_T("CIM_ComputerSystem"), NULL, &target) ==
          MI_RESULT_OK);
    MI_Value v;
    v.string = MI_T("host1");
    CHECK(MI_Instance_AddElement(target, MI_T("Name"), &v, MI_STRING, MI_FLAG_KEY) == MI_RESULT_OK);

    v.boolean = MI_TRUE, add(inst, "Boolean", v, MI_BOOLEAN);
    v.uint8 = 200, add(inst, "Uint8", v, MI_UINT8);
    v.sint8 = -100, add(inst, "Sint8", v, MI_SINT8);
    v.uint16 = 60000, add(inst, "Uint16", v, MI_UINT16);
    v.sint16 = -30000, add(inst, "Sint16", v, MI_SINT16);
    v.uint32 = 4000000000u, add(inst, "Uint32", v, MI_UINT32);
    v.sint32 = -2000000000, add(inst, "Sint32", v, MI_SINT32);
    v.uint64 = 18000000000000000000ull, add(inst, "Uint64", v, MI_UINT64);
    v.sint64 = -9000000000000000000ll, add(inst, "Sint64", v, MI_SINT64);
    v.real32 = 0.5f, add(inst, "Real32", v, MI_REAL32);
    v.real64 = -2.25, add(inst, "Real64", v, MI_REAL64);
    v.char16 = 0x4E2D, add(inst, "Char16", v, MI_CHAR16);
    memset(&v, 0, sizeof v);
    v.datetime.isTimestamp = MI_TRUE;
    v.datetime.u.timestamp.year = 2026;
    v.datetime.u.timestamp.month = 11;
    v.datetime.u.timestamp.day = 26;
    add(inst, "Datetime", v, MI_DATETIME);
    v.string = MI_T("caf\xc3\xa9"), add(inst, "String", v, MI_STRING);
    v.reference = target, add(inst, "Ref", v, MI_REFERENCE);
    MI_Uint32 numbers[] = {10, 20, 30};
    v.uint32a.data = numbers, v.uint32a.size = 3, add(inst, "Uint32A", v, MI_UINT32A);
    MI_Char *words[] = {MI_T("one"), MI_T("two")};
    v.stringa.data = words, v.stringa.size = 2, add(inst, "StringA", v, MI_STRINGA);
    MI_Instance *refs[] = {target};
    v.referencea.data = refs, v.referencea.size = 1, add(inst, "RefA", v, MI_REFERENCEA);
    MI_Boolean flags[] = {MI_TRUE, MI_FALSE};
    v.booleana.data = flags, v.booleana.size = 2, add(inst, "BooleanA", v, MI_BOOLEANA);
    v.instance = target, add(inst, "Embedded", v, MI_INSTANCE);

    check_all(inst);
    CHECK(MI_Instance_Clone(inst, &clone) == MI_RESULT_OK);
    CHECK(MI_Instance_Delete(inst) == MI_RESULT_OK);
    CHECK(MI_Instance_Delete(target) == MI_RESULT_OK);
    check_all(clone); /* the clone owns copies of everything */
    CHECK(MI_Instance_Delete(clone) == MI_RESULT_OK);
    CHECK(MI_Application_Close(&app) == MI_RESULT_OK);
    if (failures == 0)
        printf("consumer: all values read back as written\n");
    return failures ? 1 : 0;
}
