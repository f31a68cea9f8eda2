/*
 * Fuzz target: a message through mid's WS-Management binding as the network hands it
 * over — the SOAP reader (wsman/soap.h), then the request answered on an in-memory
 * repository holding a small model with an association (server/wsman_calls.h), the
 * reply written to its end — and the client's readers (instances, endpoint references,
 * faults) over every element of the tree. Built with libFuzzer by scripts/fuzz.sh wsman;
 * the standalone driver replays the seeds in the normal test suite.
 */
#include "core/instance.h"
#include "mof/mof.h"
#include "repo/repository.h"
#include "server/wsman_calls.h"
#include "wsman/wsman.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char model[] =
    "Qualifier Key : boolean = false, Scope(property, reference), Flavor(DisableOverride);\n"
    "Qualifier Association : boolean = false, Scope(association), Flavor(DisableOverride);\n"
    "class Fz_System { [Key] string Name; uint32 Count; datetime Since; string Tags[]; };\n"
    "class Fz_Disk { [Key] string SystemName; [Key] uint32 Number; uint64 Size; };\n"
    "[Association] class Fz_Has { [Key] Fz_System REF Owner; [Key] Fz_Disk REF Part; };\n"
    "instance of Fz_System as $s { Name = \"s1\"; Count = 3; Since = \"20261203153541.000000+000\";"
    " Tags = {\"a\", \"b\"}; };\n"
    "instance of Fz_Disk as $d1 { SystemName = \"s1\"; Number = 1; Size = 10; };\n"
    "instance of Fz_Disk as $d2 { SystemName = \"s1\"; Number = 2; Size = 20; };\n"
    "instance of Fz_Has { Owner = $s; Part = $d1; };\n"
    "instance of Fz_Has { Owner = $s; Part = $d2; };\n";

static mid_env env;

static bool start(void)
{
    static bool ready, tried;
    if (tried)
        return ready;
    tried = true;
    mi_repository *repo = NULL;
    if (mi_repository_open(&repo, ":memory:", true, NULL) != MI_RESULT_OK)
        return false;
    mi_schema_store store = mi_repository_store(repo);
    if (mi_mof_compile_string(&store, "fuzz.mof", model, sizeof model - 1, NULL, NULL, NULL) !=
        MI_RESULT_OK)
        return false;
    env = (mid_env){repo, NULL, mid_contexts_new(), "localhost", NULL, -1};
    ready = env.contexts != NULL;
    return ready;
}

/* The client's readers over the first elements of the tree, whatever they are. */
static void read_back(const soap_node *root)
{
    const soap_node *n = root;
    for (int seen = 0; n && seen < 64; seen++) {
        MI_Instance *inst = NULL;
        mi_error err = {0};
        if (wsman_read_instance(n, NULL, "root/cimv2", &inst, &err) == MI_RESULT_OK)
            mi_instance_delete(inst);
        if (wsman_read_epr(n, NULL, &inst, &err) == MI_RESULT_OK)
            mi_instance_delete(inst);
        char message[256];
        wsman_result_of_fault(n, message, sizeof message);
        /* preorder: first child, else the next sibling of the nearest ancestor */
        if (n->first) {
            n = n->first;
            continue;
        }
        while (n && !n->next)
            n = n->parent;
        n = n ? n->next : NULL;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!start())
        return 0;
    soap_reader *reader = soap_reader_new();
    if (!reader)
        return 0;
    /* as it arrives: in two pieces */
    size_t half = size / 2;
    soap_reader_feed(reader, (const char *)data, half);
    soap_reader_feed(reader, (const char *)data + half, size - half);
    soap_fault fault;
    mi_error err = {0};
    soap_node *root = soap_reader_end(reader, &fault, &err);
    mid_log_fields log = {"", ""};
    mid_reply *reply =
        root ? mid_wsman_call(&env, root, &log) : mid_wsman_unreadable(fault, err.message);
    if (root)
        read_back(root);
    soap_reader_free(reader);
    if (reply) {
        mi_strbuf out = MI_STRBUF_INIT;
        while (mid_reply_next(reply, &out))
            mi_strbuf_clear(&out);
        mi_strbuf_free(&out);
        mid_reply_free(reply);
    }
    return 0;
}
