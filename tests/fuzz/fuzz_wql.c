/*
 * Fuzz target: query text through the WQL parser (engine/query.h) and, for what parses,
 * the plan and the WHERE evaluation over an instance with a value of several types, a
 * NULL and an array. Built with libFuzzer by scripts/fuzz.sh wql; the standalone driver
 * runs it over the seeds in the normal test suite.
 */
#include "core/instance.h"
#include "engine/query.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static MI_Instance *sample(void)
{
    MI_Instance *inst = NULL;
    if (mi_instance_new(&inst, "Fuzz_Thing", NULL, NULL) != MI_RESULT_OK)
        return NULL;
    MI_Value v;
    v.string = (MI_Char *)"alpha";
    mi_instance_add_element(inst, "Name", &v, MI_STRING, MI_FLAG_KEY, NULL);
    v.uint32 = 42;
    mi_instance_add_element(inst, "Count", &v, MI_UINT32, 0, NULL);
    v.real64 = -1.5;
    mi_instance_add_element(inst, "Ratio", &v, MI_REAL64, 0, NULL);
    v.boolean = MI_TRUE;
    mi_instance_add_element(inst, "On", &v, MI_BOOLEAN, 0, NULL);
    mi_instance_add_element(inst, "Nothing", NULL, MI_STRING, MI_FLAG_NULL, NULL);
    static MI_Char *tags[] = {(MI_Char *)"red", (MI_Char *)"green"};
    v.stringa.data = tags;
    v.stringa.size = 2;
    mi_instance_add_element(inst, "Tags", &v, MI_STRINGA, 0, NULL);
    MI_Instance_SetNameSpace(inst, "root/fuzz");
    return inst;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0'; /* a query is text: what follows a NUL is not seen */
    mi_query *q = NULL;
    mi_error err = {0};
    if (mi_query_parse("WQL", text, &q, &err) == MI_RESULT_OK) {
        mi_request r;
        mi_query_request(q, "root/fuzz", &r);
        MI_Instance *inst = sample();
        bool matches;
        if (inst) {
            mi_query_matches(q, inst, &matches, &err);
            mi_query_selects(q, "Name");
            mi_instance_delete(inst);
        }
        mi_query_free(q);
    }
    mi_error_clear(&err);
    free(text);
    return 0;
}
