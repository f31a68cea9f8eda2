/*
 * codec — the repository's binary form of classes, qualifier declarations and instances.
 *
 * Compact and quick to decode: integers are varints (signed ones zigzag-coded), strings
 * carry their length, and a class stores only what it declares itself (its inherited
 * members come back from its superclass when it is decoded). Decoding checks every
 * length against the input and fails with MI_RESULT_FAILED on a damaged record; it never
 * reads past the end.
 */
#ifndef MI_REPO_CODEC_H
#define MI_REPO_CODEC_H

#include "core/class.h"
#include "core/error.h"

#include <mi.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct mi_bytes {
    unsigned char *data;
    size_t len;
    size_t cap;
    bool failed; /* an allocation failed; later writes are ignored */
} mi_bytes;

void mi_bytes_free(mi_bytes *b);
/* Appends len bytes (an allocation failure sets failed). */
void mi_bytes_append(mi_bytes *b, const void *data, size_t len);

/* Instances: class name and every element (name, type, flags, value). */
MI_Result mi_codec_encode_instance(mi_bytes *out, const MI_Instance *inst);

/* A new instance from an encoding. With cls, the instance is bound to the class and the
 * encoded elements set its properties; without, it is a dynamic instance. */
MI_Result mi_codec_decode_instance(const unsigned char *data, size_t len, mi_class *cls,
                                   MI_Instance **out, mi_error *err);

/* The same, bound to cls, in namespace ns, with its strings and namespace in the
 * instance's own allocation: one allocation for the instance and its string values. */
MI_Result mi_codec_decode_instance_in(const unsigned char *data, size_t len, mi_class *cls,
                                      const char *ns, MI_Instance **out, mi_error *err);

/* The class name an instance encoding starts with (borrowed from data, length in *len). */
const char *mi_codec_instance_class_name(const unsigned char *data, size_t size, size_t *len);

/* Classes: what the class itself declares (qualifiers, its own and overriding members). */
MI_Result mi_codec_encode_class(mi_bytes *out, const mi_class *cls);

/* Rebuilds the class on its superclass (NULL for a root class), which must be the one
 * it was encoded with. */
MI_Result mi_codec_decode_class(const unsigned char *data, size_t len, mi_class *superclass,
                                mi_class **out, mi_error *err);

MI_Result mi_codec_encode_qualifier_decl(mi_bytes *out, const mi_qualifier_decl *decl);
MI_Result mi_codec_decode_qualifier_decl(const unsigned char *data, size_t len,
                                         mi_qualifier_decl **out, mi_error *err);

#endif
