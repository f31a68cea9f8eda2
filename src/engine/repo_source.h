/*
 * repo_source — the repository as an instance source, with its fast paths:
 * Associators read the edge index a page at a time (every step from the source with the
 * result's record), References the reference index; neither scans instances. Each read
 * is a read scope of the repository's, opened and closed inside the source.
 */
#ifndef MI_ENGINE_REPO_SOURCE_H
#define MI_ENGINE_REPO_SOURCE_H

#include "repo/repository.h"
#include "source.h"

/* The source over repo (borrowed: it must outlive the source's cursors). */
mi_instance_source mi_repo_source(mi_repository *repo);

#endif
