/*
 * associations — the generic path of the association operations, for association
 * classes whose source has no fast path: the candidate association classes come from the
 * schema, their instances are enumerated from whichever source serves them, each
 * reference is matched to the source path, and the other ends are fetched from the
 * sources serving their classes. Filters, keysOnly and de-duplication are the engine's
 * (SEMANTICS.md §1), so every source gives the answers a fast path gives.
 */
#ifndef MI_ENGINE_ASSOCIATIONS_H
#define MI_ENGINE_ASSOCIATIONS_H

#include "engine.h"
#include "results.h"

/* Adds to set the results of q (an association operation) for source (resolved) through
 * the association classes of q's namespace that a source without a fast path for q
 * serves. Associators' entries lack the object (full NULL) where no source holds it. */
MI_Result mi_associations_generic(const mi_engine *engine, const mi_request *q,
                                  const MI_Instance *source, mi_result_set *set, mi_error *err);

#endif
