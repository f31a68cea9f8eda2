/*
 * interop — the interop namespace as the server describes itself (DMTF DSP1033 Profile
 * Registration; DSP0200's discovery of namespaces): one CIM_ObjectManager on the host's
 * CIM_ComputerSystem, a CIM_Namespace for each namespace of the repository, the
 * CIM_RegisteredProfile instances of the profiles the server implements, and the
 * associations between them. Nothing of it is stored: an instance source computes it on
 * each request, so a namespace made or deleted is seen at once. Creating or deleting a
 * CIM_Namespace instance creates or deletes the namespace.
 */
#ifndef MI_SERVER_INTEROP_H
#define MI_SERVER_INTEROP_H

#include "core/error.h"
#include "engine/source.h"
#include "repo/repository.h"

#define MID_INTEROP_NAMESPACE "root/interop"

typedef struct mid_interop mid_interop;

/* Compiles the classes the interop namespace needs into it when it lacks them (a
 * repository holding the DMTF schema there keeps its own), then makes the source over
 * repo (which must outlive it; calls may come from any thread). host: the name of this
 * machine, for the scoping system. */
MI_Result mid_interop_new(mid_interop **out, mi_repository *repo, const char *host, mi_error *err);
void mid_interop_free(mid_interop *interop);

/* Registers the source for the classes it serves in the interop namespace. */
MI_Result mid_interop_register(mid_interop *interop, mi_source_registry *registry, mi_error *err);

#endif
