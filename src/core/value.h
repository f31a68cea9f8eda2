/*
 * value — MI_Value of every MI_Type: deep copy, release, typed equality, type names and
 * the DMTF datetime text form.
 *
 * Ownership: a value that went through mi_value_copy owns all it points to (strings,
 * array storage, referenced and embedded instances) and is freed by mi_value_release.
 */
#ifndef MI_CORE_VALUE_H
#define MI_CORE_VALUE_H

#include "error.h"

#include "strbuf.h"

#include <mi.h>
#include <stdbool.h>
#include <stddef.h>

#define MI_TYPE_SCALAR(t) ((MI_Type)((t) & ~MI_ARRAY))
#define MI_TYPE_IS_ARRAY(t) (((t)&MI_ARRAY) != 0)

bool mi_type_valid(MI_Type type);

/* "uint8", "string", "uint8[]", "reference", ... ("invalid" for an unknown code). */
const char *mi_type_name(MI_Type type);

/* Size in bytes of one element of a scalar type as laid out in MI arrays. */
size_t mi_type_size(MI_Type scalar);

/* Deep copy of src (of `type`) into dst. On failure dst is zeroed and nothing leaks. A
 * string or instance pointer that is NULL stays NULL. */
MI_Result mi_value_copy(MI_Value *dst, const MI_Value *src, MI_Type type);

/* Frees what a copied value owns and zeroes it. */
void mi_value_release(MI_Value *value, MI_Type type);

/* Typed equality: same type required; strings compare case-sensitively, references as
 * object paths (mi_path_equal), embedded instances property by property. */
bool mi_value_equal(const MI_Value *a, const MI_Value *b, MI_Type type);

/* MI_VALUE_TEXT_LOWERCASE: booleans as true/false rather than TRUE/FALSE. */
#define MI_VALUE_TEXT_LOWERCASE 1u

/* Appends a scalar as text: value itself, or item index of an array value. Integers in
 * decimal, reals with the digits that read back the same value (%.9g, %.17g), booleans
 * TRUE/FALSE, datetimes in DMTF form, char16 as UTF-8, strings as they are (unescaped).
 * The one formatter behind CIM-XML, object paths and the mi tool (MI_Libmi_ValueText).
 * false, with nothing appended, for references, instances and unknown types. */
bool mi_value_text(mi_strbuf *out, const MI_Value *value, MI_Type type, MI_Uint32 index,
                   unsigned flags);

/* DMTF datetime text: timestamps "yyyymmddhhmmss.mmmmmmsutc", intervals
 * "ddddddddhhmmss.mmmmmm:000". out needs 26 bytes. */
void mi_datetime_format(const MI_Datetime *dt, char out[26]);
bool mi_datetime_parse(const char *text, MI_Datetime *dt);

/* A scalar of a type other than reference or instance from its text as CIM-XML and MOF
 * write it: integers in decimal (or 0x hex), within the type's range; reals; TRUE/FALSE
 * in any case; one character for char16; DMTF datetime text. A string is copied. false
 * when the text does not fit the type (out is then zeroed). */
bool mi_value_from_text(MI_Type scalar, const char *text, MI_Value *out);

/* An array of scalar from the texts of its items, each read as mi_value_from_text reads
 * it. false when memory runs out or an item does not fit (nothing is then held). */
bool mi_value_array_from_texts(MI_Type scalar, char *const *texts, size_t count, MI_Value *out);

#endif
