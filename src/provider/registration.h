/*
 * registration — putting a provider module into a repository, and the providers of a
 * repository into an engine.
 *
 * Registering reads the module's schema: the classes the namespace lacks are stored
 * (superclasses first), those it has must agree with the module's declarations (same
 * superclass, each declared property present with the same type and keyness), and each
 * class with provider functions is recorded as served by the module. A conflict stores
 * nothing and names the class and property.
 */
#ifndef MI_PROVIDER_REGISTRATION_H
#define MI_PROVIDER_REGISTRATION_H

#include "core/error.h"
#include "engine/source.h"
#include "host.h"
#include "isolated.h"
#include "repo/repository.h"

#include <mi.h>
#include <stdbool.h>

typedef struct mi_provider_report {
    unsigned classes_stored;  /* new to the namespace */
    unsigned classes_present; /* there already, and in agreement */
    unsigned classes_served;  /* registered as served by the module */
} mi_provider_report;

MI_Result mi_provider_register(mi_repository *repo, const char *module_path, const char *ns,
                               bool isolated, mi_provider_report *report, mi_error *err);

/* A provider a program hosts (MI_Application_NewHostedProvider, its MI_Main given)
 * served through registry by host for ns: its classes checked and stored as a
 * registration stores them, nothing recorded (it serves while the program hosts it). */
MI_Result mi_provider_serve_hosted(mi_repository *repo, mi_provider_host *host,
                                   mi_source_registry *registry, const char *ns, const char *name,
                                   MI_MainFunction main, mi_error *err);

/* Removes the module's registrations (in ns; NULL: every namespace); *removed counts
 * them. The classes stay. No registration of the module is MI_RESULT_NOT_FOUND. */
MI_Result mi_provider_unregister(mi_repository *repo, const char *module_path, const char *ns,
                                 size_t *removed, mi_error *err);

/* Every registration of repo served through registry: by host in this process, or by
 * isolated in host processes for the registrations made isolated (isolated NULL: all in
 * this process). */
MI_Result mi_provider_serve_registered(mi_repository *repo, mi_provider_host *host,
                                       mi_isolated_host *isolated, mi_source_registry *registry,
                                       mi_error *err);

#endif
