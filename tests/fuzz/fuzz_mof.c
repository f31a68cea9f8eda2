/*
 * Fuzz target: MOF text through the whole compiler (lexer, parser, class and instance
 * compile) into an in-memory catalogue. Built with libFuzzer by scripts/fuzz.sh; the
 * standalone driver runs it over saved inputs in the normal test suite.
 */
#include "catalog/catalog.h"
#include "mof/mof.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mi_catalog *catalog;
    if (mi_catalog_new(&catalog) != MI_RESULT_OK)
        return 0;
    mi_schema_store store = mi_catalog_store(catalog);
    /* Twice: the second compile meets what the first one stored (duplicates, lookups). */
    for (int round = 0; round < 2; round++)
        mi_mof_compile_string(&store, "fuzz.mof", (const char *)data, size, NULL, NULL, NULL);
    mi_catalog_free(catalog);
    return 0;
}
