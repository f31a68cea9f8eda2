/*
 * path — CIM instance paths in the WBEM URI form of DSP0207 and in libmi's canonical form.
 *
 *   //host/root/cimv2:Class.Key1="v",Key2=7,Ref="Other.K=\"x\""
 *
 * A parsed path is a dynamic MI_Instance (see instance.h) whose elements are the keys,
 * flagged MI_FLAG_KEY, with the host as server name and the namespace as namespace: the
 * same shape as the key instances MI callers build, so one set of functions serves both.
 *
 * Keys parse untyped: strings (and references written as quoted paths) as MI_STRING,
 * integers as MI_SINT64 (MI_UINT64 past its range), reals as MI_REAL64, TRUE/FALSE as
 * MI_BOOLEAN. mi_path_resolve converts them to the types the class declares.
 *
 * Canonical form: `class.key=value,...` with class and key names lower-cased, keys sorted
 * by name, no host or namespace; strings quoted with `\` and `"` escaped, integers in
 * decimal, booleans TRUE/FALSE, a reference as the quoted canonical path of its target.
 * Two paths naming the same object have the same canonical form and hash.
 */
#ifndef MI_CORE_PATH_H
#define MI_CORE_PATH_H

#include "class.h"
#include "error.h"

#include <mi.h>
#include <stdbool.h>
#include <stdint.h>

/* Parses text into a new key instance. Malformed text is MI_RESULT_INVALID_PARAMETER
 * with a message giving the 1-based column of the fault. A path without keys (`Class`
 * or `Class=@`) parses to an instance with no elements. */
MI_Result mi_path_parse(MI_Instance **out, const char *text, mi_error *err);

/* Finds the class of a nested reference's target; may return NULL (left unresolved). */
typedef const mi_class *(*mi_class_lookup)(void *context, const char *class_name);

/* Converts every key of `path` to the type `cls` declares for it (range-checked; a string
 * of digits for an integer key and a quoted path for a reference key are accepted),
 * resolves nested references through lookup (may be NULL), takes the declared spelling
 * of each key name, and checks that the keys are exactly the class's keys.
 * MI_RESULT_INVALID_PARAMETER, naming class and key, when they are not. */
MI_Result mi_path_resolve(MI_Instance *path, const mi_class *cls, mi_class_lookup lookup,
                          void *context, mi_error *err);

/* WBEM URI text of the key elements of inst (any MI_Instance of this library), with host
 * and namespace when it has them. The string is the caller's (free). */
MI_Result mi_path_format(char **out, const MI_Instance *inst, mi_error *err);

/* The canonical form; the string is the caller's (free). */
MI_Result mi_path_canonical(char **out, const MI_Instance *inst, mi_error *err);

/* A new key instance naming inst: its class name, its key elements (copied, flagged
 * MI_FLAG_KEY), its namespace and host. */
MI_Result mi_path_of_instance(MI_Instance **out, const MI_Instance *inst, mi_error *err);

/* 64-bit FNV-1a hash of the canonical form. */
MI_Result mi_path_hash(uint64_t *out, const MI_Instance *inst, mi_error *err);

/* Whether a and b name the same object: class names equal ignoring case, the same key
 * names, key values equal as typed values (integers by numeric value whatever their
 * width, strings case-sensitively, references recursively); hosts are ignored and
 * namespaces compared only when both are given. */
bool mi_path_equal(const MI_Instance *a, const MI_Instance *b);

#endif
