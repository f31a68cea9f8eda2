/*
 * utf8 — validation and encoding of UTF-8, the encoding of every MI_Char string.
 */
#ifndef MI_CORE_UTF8_H
#define MI_CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when it is not valid (overlong
 * forms, surrogates, code points past U+10FFFF and truncated sequences included). */
size_t mi_utf8_sequence_length(const unsigned char *s, size_t available);

/* Whether the first len bytes are valid UTF-8; on failure *bad_offset is the offset of
 * the first byte of the bad sequence. */
bool mi_utf8_valid(const char *s, size_t len, size_t *bad_offset);

/* Writes code point cp as UTF-8 into out (4 bytes room) and returns the byte count, or 0
 * for a surrogate or a value past U+10FFFF. */
size_t mi_utf8_encode(uint32_t cp, char *out);

#endif
