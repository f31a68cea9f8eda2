/*
 * lexer — see lexer.h.
 */
#include "lexer.h"

#include "core/utf8.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mof_lexer_init(mof_lexer *lexer, const char *text, size_t len)
{
    memset(lexer, 0, sizeof *lexer);
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    lexer->pos = text;
    lexer->end = text + len;
    lexer->line_start = text;
    lexer->line = 1;
}

static bool is_ident_start(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c >= 0x80;
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static bool is_ident_char(unsigned char c)
{
    return is_ident_start(c) || is_digit(c);
}

static int hex_value(unsigned char c)
{
    if (is_digit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Columns count characters: continuation bytes of UTF-8 do not count. Counting goes on
 * from the last token of the same line, so a line is scanned once however many tokens
 * it holds. */
static uint32_t column_of(mof_lexer *lexer, const char *at)
{
    if (!lexer->column_at || lexer->column_at < lexer->line_start || lexer->column_at > at) {
        lexer->column_at = lexer->line_start;
        lexer->column = 1;
    }
    uint32_t column = lexer->column;
    for (const char *c = lexer->column_at; c < at; c++)
        column += ((unsigned char)*c & 0xC0) != 0x80;
    lexer->column_at = at;
    lexer->column = column;
    return column;
}

static void fail(mof_lexer *lexer, mof_token *token, const char *at, const char *format,
                 const char *detail)
{
    token->kind = MOF_TOKEN_ERROR;
    token->line = lexer->line;
    token->column = column_of(lexer, at);
    snprintf(lexer->error, sizeof lexer->error, format, detail);
}

/* Skips white space and comments; false (with an error token) for an unterminated
 * block comment. */
static bool skip_space(mof_lexer *lexer, mof_token *token)
{
    const char *p = lexer->pos, *end = lexer->end;
    while (p < end) {
        char c = *p;
        if (c == '\n') {
            lexer->line++;
            lexer->line_start = ++p;
        } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            p++;
        } else if (c == '/' && p + 1 < end && p[1] == '/') {
            const char *newline = memchr(p, '\n', (size_t)(end - p));
            p = newline ? newline : end;
        } else if (c == '/' && p + 1 < end && p[1] == '*') {
            const char *open = p;
            uint32_t open_line = lexer->line;
            const char *open_line_start = lexer->line_start;
            const char *close = NULL;
            for (const char *star = p + 2; star < end;) {
                star = memchr(star, '*', (size_t)(end - star));
                if (!star || star + 1 >= end)
                    break;
                if (star[1] == '/') {
                    close = star;
                    break;
                }
                star++;
            }
            const char *stop = close ? close : end;
            for (const char *nl = p + 2; (nl = memchr(nl, '\n', (size_t)(stop - nl))) != NULL;
                 nl++) {
                lexer->line++;
                lexer->line_start = nl + 1;
            }
            p = stop;
            if (!close) {
                lexer->line = open_line;
                lexer->line_start = open_line_start;
                lexer->pos = end;
                fail(lexer, token, open, "unterminated comment (no closing '*/')%s", "");
                lexer->line_start = end; /* later tokens report end of input */
                return false;
            }
            p += 2;
        } else {
            break;
        }
    }
    lexer->pos = p;
    return true;
}

static void scan_quoted(mof_lexer *lexer, mof_token *token, char quote)
{
    const char *open = lexer->pos, *p = open + 1, *end = lexer->end;
    /* Most literals have no escape: find the quote and check the run for the rare bytes. */
    const char *close = memchr(p, quote, (size_t)(end - p));
    if (close && !memchr(p, '\\', (size_t)(close - p)) && !memchr(p, '\n', (size_t)(close - p))) {
        p = close;
    } else {
        while (p < end && *p != quote && *p != '\n') {
            if (*p == '\\' && p + 1 < end && p[1] != '\n')
                p++;
            p++;
        }
    }
    if (p >= lexer->end || *p != quote) {
        fail(lexer, token, open,
             quote == '"' ? "unterminated string (no closing '\"' on this line)%s"
                          : "unterminated char literal (no closing \"'\" on this line)%s",
             "");
        lexer->pos = p;
        return;
    }
    token->kind = quote == '"' ? MOF_TOKEN_STRING : MOF_TOKEN_CHAR;
    token->text = open + 1;
    token->len = (size_t)(p - open - 1);
    lexer->pos = p + 1;
}

/* Accumulates digits of `base`; false when the value passes 64 bits. */
static bool accumulate(uint64_t *value, unsigned digit, unsigned base)
{
    if (*value > (UINT64_MAX - digit) / base)
        return false;
    *value = *value * base + digit;
    return true;
}

static void scan_number(mof_lexer *lexer, mof_token *token)
{
    const char *start = lexer->pos, *p = start, *end = lexer->end;
    bool negative = false;
    if (*p == '+' || *p == '-')
        negative = *p++ == '-';
    const char *digits = p;
    while (p < end && is_digit((unsigned char)*p))
        p++;
    bool real = p < end && (*p == '.' || *p == 'e' || *p == 'E');
    bool hex = p == digits + 1 && *digits == '0' && p < end && (*p == 'x' || *p == 'X');
    uint64_t value = 0;
    bool overflow = false;
    if (hex) {
        const char *h = ++p;
        while (p < end && hex_value((unsigned char)*p) >= 0) {
            overflow |= !accumulate(&value, (unsigned)hex_value((unsigned char)*p), 16);
            p++;
        }
        if (p == h) {
            lexer->pos = p;
            fail(lexer, token, start, "invalid hexadecimal number: no digits after '0x'%s", "");
            return;
        }
    } else if (real) {
        if (p < end && *p == '.') {
            p++;
            const char *fraction = p;
            while (p < end && is_digit((unsigned char)*p))
                p++;
            if (p == fraction) {
                lexer->pos = p;
                fail(lexer, token, start, "invalid real number: no digits after '.'%s", "");
                return;
            }
        }
        if (p < end && (*p == 'e' || *p == 'E')) {
            p++;
            if (p < end && (*p == '+' || *p == '-'))
                p++;
            const char *exponent = p;
            while (p < end && is_digit((unsigned char)*p))
                p++;
            if (p == exponent) {
                lexer->pos = p;
                fail(lexer, token, start, "invalid real number: no digits in the exponent%s", "");
                return;
            }
        }
    } else if (p < end && (*p == 'b' || *p == 'B') && !(p + 1 < end && is_ident_char(p[1]))) {
        for (const char *d = digits; d < p; d++) {
            if (*d != '0' && *d != '1') {
                lexer->pos = p + 1;
                fail(lexer, token, start, "invalid binary number: digit '%s' is not 0 or 1",
                     (char[]){*d, 0});
                return;
            }
            overflow |= !accumulate(&value, (unsigned)(*d - '0'), 2);
        }
        p++;
    } else if (*digits == '0' && p - digits > 1) {
        for (const char *d = digits + 1; d < p; d++) {
            if (*d > '7') {
                lexer->pos = p;
                fail(lexer, token, start, "invalid octal number: digit '%s' is not 0 to 7",
                     (char[]){*d, 0});
                return;
            }
            overflow |= !accumulate(&value, (unsigned)(*d - '0'), 8);
        }
    } else {
        for (const char *d = digits; d < p; d++)
            overflow |= !accumulate(&value, (unsigned)(*d - '0'), 10);
    }
    if (p < end && (is_ident_char((unsigned char)*p) || *p == '.')) {
        while (p < end && (is_ident_char((unsigned char)*p) || *p == '.'))
            p++;
        lexer->pos = p;
        fail(lexer, token, start, "invalid number '%s'", "");
        snprintf(lexer->error, sizeof lexer->error, "invalid number '%.*s'",
                 (int)(p - start > 40 ? 40 : p - start), start);
        return;
    }
    token->text = start;
    token->len = (size_t)(p - start);
    token->negative = negative;
    if (real) {
        char buffer[128];
        size_t n = token->len < sizeof buffer - 1 ? token->len : sizeof buffer - 1;
        memcpy(buffer, start, n);
        buffer[n] = '\0';
        token->kind = MOF_TOKEN_REAL;
        token->real = strtod(buffer, NULL);
    } else {
        token->kind = MOF_TOKEN_INTEGER;
        token->magnitude = value;
        token->overflow = overflow;
    }
    lexer->pos = p;
}

void mof_lexer_next(mof_lexer *lexer, mof_token *token)
{
    memset(token, 0, sizeof *token);
    if (!skip_space(lexer, token))
        return;
    const char *p = lexer->pos, *end = lexer->end;
    token->line = lexer->line;
    token->column = column_of(lexer, p);
    token->text = p;
    if (p >= end) {
        token->kind = MOF_TOKEN_EOF;
        return;
    }
    unsigned char c = (unsigned char)*p;
    if (is_ident_start(c)) {
        while (p < end && is_ident_char((unsigned char)*p))
            p++;
        token->kind = MOF_TOKEN_IDENTIFIER;
        token->len = (size_t)(p - token->text);
        lexer->pos = p;
    } else if (is_digit(c) ||
               ((c == '-' || c == '+') && p + 1 < end &&
                (is_digit((unsigned char)p[1]) || p[1] == '.')) ||
               (c == '.' && p + 1 < end && is_digit((unsigned char)p[1]))) {
        scan_number(lexer, token);
    } else if (c == '"' || c == '\'') {
        scan_quoted(lexer, token, (char)c);
    } else if (c == '$') {
        const char *name = ++p;
        while (p < end && is_ident_char((unsigned char)*p))
            p++;
        if (p == name || is_digit((unsigned char)*name)) {
            lexer->pos = p;
            fail(lexer, token, name - 1, "expected an alias name after '$'%s", "");
            return;
        }
        token->kind = MOF_TOKEN_ALIAS;
        token->text = name;
        token->len = (size_t)(p - name);
        lexer->pos = p;
    } else if (strchr("{}()[];,:=#", (int)c) && c) {
        token->kind = MOF_TOKEN_PUNCT;
        token->len = 1;
        lexer->pos = p + 1;
    } else {
        size_t n = mi_utf8_sequence_length((const unsigned char *)p, (size_t)(end - p));
        char shown[8] = {0};
        if (c < 0x20 || c == 0x7F)
            snprintf(shown, sizeof shown, "\\x%02X", c);
        else
            memcpy(shown, p, n ? n : 1);
        lexer->pos = p + (n ? n : 1);
        fail(lexer, token, p, "unexpected character '%s'", shown);
    }
}

bool mof_token_is(const mof_token *token, const char *word)
{
    if (token->kind != MOF_TOKEN_IDENTIFIER || strlen(word) != token->len)
        return false;
    for (size_t i = 0; i < token->len; i++) {
        unsigned char a = (unsigned char)token->text[i], b = (unsigned char)word[i];
        if (a >= 'A' && a <= 'Z')
            a = (unsigned char)(a + 32);
        if (b >= 'A' && b <= 'Z')
            b = (unsigned char)(b + 32);
        if (a != b)
            return false;
    }
    return true;
}

bool mof_token_is_punct(const mof_token *token, char c)
{
    return token->kind == MOF_TOKEN_PUNCT && token->text[0] == c;
}

static uint32_t characters_before(const char *start, const char *at)
{
    uint32_t n = 0;
    for (const char *c = start; c < at; c++) {
        if (((unsigned char)*c & 0xC0) != 0x80)
            n++;
    }
    return n;
}

bool mof_decode_literal(const mof_token *token, mi_strbuf *out, char *error, size_t error_size,
                        uint32_t *at)
{
    const char *p = token->text, *end = token->text + token->len;
    while (p < end) {
        const char *run = p;
        const char *backslash = memchr(p, '\\', (size_t)(end - p));
        p = backslash ? backslash : end;
        mi_strbuf_append(out, run, (size_t)(p - run));
        if (p >= end)
            break;
        const char *escape = p++;
        char c = *p++;
        switch (c) {
        case 'b':
            mi_strbuf_putc(out, '\b');
            break;
        case 't':
            mi_strbuf_putc(out, '\t');
            break;
        case 'n':
            mi_strbuf_putc(out, '\n');
            break;
        case 'f':
            mi_strbuf_putc(out, '\f');
            break;
        case 'r':
            mi_strbuf_putc(out, '\r');
            break;
        case '"':
        case '\'':
        case '\\':
            mi_strbuf_putc(out, c);
            break;
        case 'x':
        case 'X': {
            uint32_t cp = 0;
            int digits = 0;
            while (digits < 6 && p < end && hex_value((unsigned char)*p) >= 0) {
                cp = cp * 16 + (uint32_t)hex_value((unsigned char)*p++);
                digits++;
            }
            char utf8[4];
            size_t n = digits ? mi_utf8_encode(cp, utf8) : 0;
            if (!digits || !n || cp == 0) {
                snprintf(error, error_size,
                         digits ? "escape '\\%c%.*s' is not a valid character"
                                : "escape '\\%c' needs hexadecimal digits",
                         c, (int)(p - escape - 2), escape + 2);
                *at = characters_before(token->text, escape);
                return false;
            }
            mi_strbuf_append(out, utf8, n);
            break;
        }
        default:
            snprintf(
                error, error_size, "unknown escape '\\%.*s' (use \\\\ for a backslash)",
                (int)mi_utf8_sequence_length((const unsigned char *)p - 1, (size_t)(end - p + 1)),
                p - 1);
            *at = characters_before(token->text, escape);
            return false;
        }
    }
    return true;
}
