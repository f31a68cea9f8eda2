/*
 * hosted — the providers this process hosts (MI_Application_NewHostedProvider): each a
 * namespace, a name and the MI_Main the program gives. Local sessions opened while one
 * is hosted serve its classes from it, in-process, beside the registered providers.
 */
#ifndef MI_CLIENT_HOSTED_H
#define MI_CLIENT_HOSTED_H

#include <mi.h>
#include <stdint.h>

/* Hosts main's provider as name in ns: its handle's id in *id. MI_RESULT_ALREADY_EXISTS
 * when a provider of that name is hosted for ns already. */
MI_Result mi_hosted_add(const char *ns, const char *name, MI_MainFunction main, uint64_t *id);
/* Ends hosting (sessions open already keep serving it until they close). */
MI_Result mi_hosted_remove(uint64_t id);

/* Calls each(arg, ns, name, main) for every hosted provider, stopping at the first
 * result other than MI_RESULT_OK, which it returns. */
MI_Result mi_hosted_each(MI_Result (*each)(void *arg, const char *ns, const char *name,
                                           MI_MainFunction main),
                         void *arg);

#endif
