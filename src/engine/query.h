/*
 * query — WQL (and the CQL subset clients send) parsed into a plan the engine runs:
 *
 *   SELECT * | prop [, prop...] FROM Class [WHERE condition]
 *   ASSOCIATORS OF {path} [WHERE AssocClass = C ResultClass = C Role = P ResultRole = P
 *                                KeysOnly ClassDefsOnly SchemaOnly RequiredQualifier = Q
 *                                RequiredAssocQualifier = Q]
 *   REFERENCES OF {path} [WHERE ResultClass = C Role = P KeysOnly ClassDefsOnly ...]
 *
 * A condition combines comparisons (= <> != < <= > >=) of a property with a literal
 * (string, number, TRUE, FALSE, NULL), IS [NOT] NULL, LIKE (WQL's %, _, [set], [^set]),
 * ISA, AND, OR, NOT and parentheses. An association query becomes the engine's
 * associators or references request (its cost is theirs); a SELECT becomes an
 * enumeration of the class, each instance kept when the condition holds, with only the
 * properties selected (and the keys) holding values.
 *
 * Errors are MI_RESULT_INVALID_QUERY naming the column and the token at fault.
 */
#ifndef MI_ENGINE_QUERY_H
#define MI_ENGINE_QUERY_H

#include "core/class.h"
#include "core/error.h"
#include "request.h"

#include <mi.h>
#include <stdbool.h>

typedef struct mi_query mi_query;

/* Parses text in dialect language ("WQL", "CQL" or "DMTF:CQL", any case; others are
 * MI_RESULT_QUERY_LANGUAGE_NOT_SUPPORTED). */
MI_Result mi_query_parse(const char *language, const char *text, mi_query **out, mi_error *err);
void mi_query_free(mi_query *query);

/* The request that finds the query's candidates in namespace ns (borrowing the query's
 * strings and source; valid while the query lives): an enumeration of the FROM class, or
 * the associators or references the query names. */
void mi_query_request(const mi_query *query, const char *ns, mi_request *out);

/* Whether the query selects instances (SELECT) rather than naming associations. */
bool mi_query_is_select(const mi_query *query);

/* Checks a SELECT's property names against the FROM class cls (system properties such
 * as __CLASS and __PATH aside). */
MI_Result mi_query_check(const mi_query *query, const mi_class *cls, mi_error *err);

/* Whether instance inst satisfies the WHERE condition (a SELECT without one: always). */
MI_Result mi_query_matches(const mi_query *query, const MI_Instance *inst, bool *matches,
                           mi_error *err);

/* Whether property name of a result keeps its value: selected, or every one for *. */
bool mi_query_selects(const mi_query *query, const char *name);

#endif
