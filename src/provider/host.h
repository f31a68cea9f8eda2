/*
 * host — providers as instance sources (engine/source.h). A host holds the provider
 * modules of one engine, each opened on first use; each module is one source, added to
 * the registry for the classes it is registered for.
 *
 * The engine's rules hold whatever a provider posts: an instance of a class other than
 * the one asked (or a subclass), with an unknown property, a value of the wrong type or
 * a missing key fails the operation with an error naming the provider and the fault;
 * keys-only requests get paths; results carry the request's namespace. An association
 * class a provider serves is traversed through the engine's generic path, so the
 * association filters are the engine's own.
 */
#ifndef MI_PROVIDER_HOST_H
#define MI_PROVIDER_HOST_H

#include "call.h"
#include "core/error.h"
#include "engine/source.h"

#include <mi.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct mi_provider_host mi_provider_host;

MI_Result mi_provider_host_new(mi_provider_host **out, mi_error *err);
/* Closes every module (each provider unloaded) once no provider is answering, waiting
 * up to 3 s for those still running; a host with one running after that is left in
 * place for it (its memory kept: the process is ending). The registry the host's
 * sources were added to must not be used after. */
void mi_provider_host_free(mi_provider_host *host);

/* Where the host's providers get their local session (MI_Context_GetLocalSession);
 * without it they are told MI_RESULT_NOT_SUPPORTED. Set before the first operation. */
void mi_provider_host_local_sessions(mi_provider_host *host, mi_local_sessions sessions);

/* Unloads a module (each class's Unload, then the module's) once idle_seconds have
 * passed with no call on it, unless a provider of it called MI_Context_RefuseUnload; a
 * provider's RequestUnload unloads it as soon as its calls are over. The next operation
 * loads it again. 0 (the default): modules stay loaded while the host lives. */
MI_Result mi_provider_host_idle_unload(mi_provider_host *host, unsigned idle_seconds,
                                       mi_error *err);

/* Whether a provider of the host called MI_Context_RefuseUnload. */
bool mi_provider_host_refused_unload(mi_provider_host *host);

/* The module at module_path serves class_name (and its subclasses) in namespace ns: its
 * source is added to registry. The module is opened when an operation first needs it. */
MI_Result mi_provider_host_serve(mi_provider_host *host, mi_source_registry *registry,
                                 const char *ns, const char *class_name, const char *module_path,
                                 mi_error *err);

/* The same for a provider whose MI_Main a program gives (MI_Application_NewHostedProvider),
 * known by name. */
MI_Result mi_provider_host_serve_main(mi_provider_host *host, mi_source_registry *registry,
                                      const char *ns, const char *class_name, const char *name,
                                      MI_MainFunction main, mi_error *err);

/* The module at module_path, opened now if it is not yet (borrowed; lives as long as
 * the host). */
struct mi_provider_module;
MI_Result mi_provider_host_module(mi_provider_host *host, const char *module_path,
                                  struct mi_provider_module **out, mi_error *err);

/* Whether next on a cursor of a host's source answers without waiting for its provider. */
bool mi_provider_host_cursor_ready(void *cursor);

/* A file of this installation: `relative` (say "libmi/mi-host") looked up beside the
 * library or program this code is linked into, one folder up, and in the installed
 * library folder. */
bool mi_provider_find_installed(const char *relative, char *out, size_t size);

#endif
