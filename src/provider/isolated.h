/*
 * isolated — providers in host processes of their own (mi-host, host_process.h), as
 * instance sources (engine/source.h) of mid.
 *
 * One host process per module, started when an operation first needs it and again on
 * the first operation after it ended. Each operation has a socket of its own to the
 * host, so operations run at once, and closing one (a cancel, a client gone) reaches the
 * provider. A host that crashes or exits fails the operations it was running with an
 * error naming the module and how the process ended; one that does not answer by the
 * operation's deadline (and a grace period) is killed. Nothing else is touched.
 */
#ifndef MI_PROVIDER_ISOLATED_H
#define MI_PROVIDER_ISOLATED_H

#include "core/error.h"
#include "engine/source.h"

#include <mi.h>

typedef struct mi_isolated_host mi_isolated_host;

/* program: the host program (NULL: LIBMI_HOST_PROGRAM, else the installed mi-host).
 * idle_seconds: a host with no operation for that long ends (0: never); the next
 * operation starts a new one. */
MI_Result mi_isolated_host_new(mi_isolated_host **out, const char *program, unsigned idle_seconds,
                               mi_error *err);
/* The repository the hosts' providers reach through MI_Context_GetLocalSession (each
 * host runs the engine over it, with the modules it needs in the host process); none
 * set: they are told MI_RESULT_NOT_SUPPORTED. Set before the first operation. */
MI_Result mi_isolated_host_repository(mi_isolated_host *host, const char *path, mi_error *err);
/* Ends every host process. */
void mi_isolated_host_free(mi_isolated_host *host);

/* The module at module_path serves class_name (and its subclasses) in ns, through a host
 * process: its source is added to registry. */
MI_Result mi_isolated_host_serve(mi_isolated_host *host, mi_source_registry *registry,
                                 const char *ns, const char *class_name, const char *module_path,
                                 mi_error *err);

#endif
