/*
 * lexer — splits MOF text (DSP0221) into tokens: identifiers (keywords are identifiers
 * the parser recognises without regard to case), $aliases, string, char, integer and
 * real literals, and punctuation. Comments and white space are skipped.
 *
 * Positions are 1-based lines and columns; a column counts characters, not bytes. A
 * malformed token comes back as MOF_TOKEN_ERROR with the reason in lexer->error.
 */
#ifndef MI_MOF_LEXER_H
#define MI_MOF_LEXER_H

#include "core/strbuf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum mof_token_kind {
    MOF_TOKEN_EOF,
    MOF_TOKEN_ERROR,
    MOF_TOKEN_IDENTIFIER,
    MOF_TOKEN_ALIAS,  /* $name; text excludes the '$' */
    MOF_TOKEN_STRING, /* text is the raw literal between the quotes */
    MOF_TOKEN_CHAR,   /* text is the raw literal between the quotes */
    MOF_TOKEN_INTEGER,
    MOF_TOKEN_REAL,
    MOF_TOKEN_PUNCT, /* one of { } ( ) [ ] ; , : = # */
} mof_token_kind;

typedef struct mof_token {
    mof_token_kind kind;
    const char *text;
    size_t len;
    uint32_t line;
    uint32_t column;
    /* integers: magnitude and sign (overflow when the magnitude exceeds 64 bits) */
    uint64_t magnitude;
    bool negative;
    bool overflow;
    double real;
} mof_token;

typedef struct mof_lexer {
    const char *pos;
    const char *end;
    const char *line_start;
    uint32_t line;
    const char *column_at; /* the last column computed, to count on from it */
    uint32_t column;
    char error[160];
} mof_lexer;

/* text must stay alive while tokens are in use; a UTF-8 byte order mark is skipped. */
void mof_lexer_init(mof_lexer *lexer, const char *text, size_t len);

void mof_lexer_next(mof_lexer *lexer, mof_token *token);

/* Whether an identifier token is the keyword `word` (any case). */
bool mof_token_is(const mof_token *token, const char *word);

/* Whether a punctuation token is `c`. */
bool mof_token_is_punct(const mof_token *token, char c);

/* Decodes the escapes of a string or char literal, appending UTF-8 to out. On a bad
 * escape returns false with the reason in error and the 0-based character offset of the
 * escape within the literal in *at. */
bool mof_decode_literal(const mof_token *token, mi_strbuf *out, char *error, size_t error_size,
                        uint32_t *at);

#endif
