/* lex.c — see lex.h.  One pass over UTF-8 source; string literals are split
 * into text and interpolation pieces here (a nested lexer finds the end of
 * `$( ... )`), so the parser never rescans raw bytes.
 */
#include "lex.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[TK_NUM_KINDS] = {"end of input", "error",          "newline", "integer",
                                                     "number",       "Float32 number", "string",  "symbol",
                                                     "identifier",   "keyword",        "macro",   "operator"};

static const char *const keyword_names[KW_NUM] = {
#define LXX_KW_NAME(E, s) s,
    LXX_KEYWORDS(LXX_KW_NAME)
#undef LXX_KW_NAME
};

static const char *const op_names[OP_NUM] = {
#define LXX_OP_NAME(E, s) s,
    LXX_OPERATORS(LXX_OP_NAME)
#undef LXX_OP_NAME
};

const char *lxX_kind_name(lxX_kind k)
{
    return (unsigned)k < TK_NUM_KINDS ? kind_names[k] : "?";
}
const char *lxX_keyword_name(lxX_keyword k)
{
    return (unsigned)k < KW_NUM ? keyword_names[k] : "?";
}
const char *lxX_op_name(lxX_op op)
{
    return (unsigned)op < OP_NUM ? op_names[op] : "?";
}

void lxX_init(lxX_lexer *ls, const char *src, size_t len, const char *chunk, lxX_alloc alloc, void *ud)
{
    memset(ls, 0, sizeof *ls);
    ls->src = ls->p = src;
    ls->end = src + len;
    ls->chunk = chunk ? chunk : "";
    ls->line = ls->col = 1;
    ls->alloc = alloc;
    ls->ud = ud;
}

void lxX_free(lxX_lexer *ls)
{
    for (size_t i = 0; i < ls->narena; i++)
        ls->alloc(ls->ud, ls->arena[i], 0, 0);
    if (ls->arena) ls->alloc(ls->ud, ls->arena, ls->arena_cap * sizeof *ls->arena, 0);
    ls->arena = NULL;
    ls->narena = ls->arena_cap = 0;
}

/* A block owned by the lexer until lxX_free (NULL when out of memory). */
static void *arena_alloc(lxX_lexer *ls, size_t n)
{
    if (ls->narena == ls->arena_cap) {
        size_t cap = ls->arena_cap ? 2 * ls->arena_cap : 16;
        void **a = ls->alloc(ls->ud, ls->arena, ls->arena_cap * sizeof *a, cap * sizeof *a);
        if (!a) return NULL;
        ls->arena = a;
        ls->arena_cap = cap;
    }
    void *p = ls->alloc(ls->ud, NULL, 0, n ? n : 1);
    if (p) ls->arena[ls->narena++] = p;
    return p;
}

static lxX_kind error_at(lxX_lexer *ls, lxX_token *tok, int line, int col, bool incomplete, const char *fmt,
                         ...) __attribute__((format(printf, 6, 7)));
static lxX_kind error_at(lxX_lexer *ls, lxX_token *tok, int line, int col, bool incomplete, const char *fmt,
                         ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ls->message, sizeof ls->message, fmt, ap);
    va_end(ap);
    ls->err_line = tok->line = line;
    ls->err_col = tok->col = col;
    ls->incomplete = incomplete;
    tok->kind = TK_ERROR;
    return TK_ERROR;
}

/* ---- characters ------------------------------------------------------------------ */

/* Decodes one UTF-8 character; its length, or 0 when the bytes are not UTF-8
 * (overlong forms, surrogates and truncated sequences included). */
static int utf8_decode(const char *s, const char *end, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t left = (size_t)(end - s);
    if (left == 0) return 0;
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    int n = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 ? 2 : 0;
    if (n == 0 || p[0] > 0xf4 || left < (size_t)n) return 0;
    uint32_t c = p[0] & (0x7f >> n);
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80) return 0;
        c = (c << 6) | (p[i] & 0x3f);
    }
    static const uint32_t least[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < least[n] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return 0;
    *cp = c;
    return n;
}

static bool is_op_char(uint32_t c)
{
    return c == 0xf7 || c == 0x221a || c == 0x2218 || c == 0x2248 || c == 0x2264 || c == 0x2265 ||
           c == 0x2260 || c == 0x2208 || c == 0x2209;
}

static bool is_combining(uint32_t c)
{
    return (c >= 0x300 && c <= 0x36f) || (c >= 0x1dc0 && c <= 0x1dff) || (c >= 0x20d0 && c <= 0x20ff);
}

/* Unicode spaces and invisible characters: an error, as in Julia, rather
 * than a silent part of a name. */
static bool is_invisible(uint32_t c)
{
    return c == 0xa0 || c == 0xad || (c >= 0x2000 && c <= 0x200f) || (c >= 0x2028 && c <= 0x202f) ||
           c == 0x205f || c == 0x3000 || c == 0xfeff;
}

static bool ident_start(uint32_t c)
{
    if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    return !is_op_char(c) && !is_combining(c) && !is_invisible(c);
}

static bool ident_cont(uint32_t c)
{
    if (c < 0x80) return ident_start(c) || (c >= '0' && c <= '9') || c == '!';
    return ident_start(c) || is_combining(c);
}

static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* Moves over n bytes of ordinary characters (no newlines), counting columns
 * by characters. */
static void skip(lxX_lexer *ls, size_t n)
{
    const char *stop = ls->p + n;
    while (ls->p < stop) {
        if (((unsigned char)*ls->p & 0xc0) != 0x80) ls->col++;
        ls->p++;
    }
}

static void newline(lxX_lexer *ls)
{
    if (*ls->p == '\r' && ls->p + 1 < ls->end && ls->p[1] == '\n') ls->p++;
    ls->p++;
    ls->line++;
    ls->col = 1;
}

/* ---- whitespace and comments ------------------------------------------------------- */

/* Skips spaces and comments; false on an unterminated block comment. */
static bool skip_space(lxX_lexer *ls, lxX_token *tok, bool *space)
{
    for (;;) {
        if (ls->p >= ls->end) return true;
        char c = *ls->p;
        if (c == ' ' || c == '\t') {
            skip(ls, 1);
            *space = true;
        } else if (c == '#' && ls->p + 1 < ls->end && ls->p[1] == '=') {
            int line = ls->line, col = ls->col, depth = 0;
            do {
                if (ls->p >= ls->end) {
                    error_at(ls, tok, line, col, true, "unterminated block comment #= ... =#");
                    return false;
                }
                if (*ls->p == '#' && ls->p + 1 < ls->end && ls->p[1] == '=') {
                    depth++;
                    skip(ls, 2);
                } else if (*ls->p == '=' && ls->p + 1 < ls->end && ls->p[1] == '#') {
                    depth--;
                    skip(ls, 2);
                } else if (*ls->p == '\n' || *ls->p == '\r') {
                    newline(ls);
                } else {
                    skip(ls, 1);
                }
            } while (depth > 0);
            *space = true;
        } else if (c == '#') {
            while (ls->p < ls->end && *ls->p != '\n' && *ls->p != '\r')
                skip(ls, 1);
            *space = true;
        } else {
            return true;
        }
    }
}

/* ---- numbers ------------------------------------------------------------------------- */

static lxX_kind lex_number(lxX_lexer *ls, lxX_token *tok)
{
    const char *s = ls->p;
    char buf[128];
    size_t n = 0;
    if (*s == '0' && s + 1 < ls->end && (s[1] == 'x' || s[1] == 'b' || s[1] == 'o')) {
        int base = s[1] == 'x' ? 16 : s[1] == 'b' ? 2 : 8;
        const char *q = s + 2;
        uint64_t v = 0;
        bool any = false, overflow = false;
        for (; q < ls->end; q++) {
            int d = is_digit(*q)               ? *q - '0'
                    : (*q >= 'a' && *q <= 'f') ? *q - 'a' + 10
                    : (*q >= 'A' && *q <= 'F') ? *q - 'A' + 10
                    : *q == '_'                ? -2
                                               : -1;
            if (d == -2) continue;
            if (d < 0 || d >= base) break;
            if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base) overflow = true;
            v = v * (uint64_t)base + (uint64_t)d;
            any = true;
        }
        if (!any)
            return error_at(ls, tok, ls->line, ls->col, false, "malformed number: no digits after 0%c", s[1]);
        if (overflow || v > (uint64_t)INT64_MAX)
            return error_at(ls, tok, ls->line, ls->col, false, "integer literal %.*s is too large for Int64",
                            (int)(q - s), s);
        tok->kind = TK_INT;
        tok->v.i = (int64_t)v;
        skip(ls, (size_t)(q - s));
        return TK_INT;
    }
    const char *q = s;
    bool is_float = false, f32 = false;
    while (q < ls->end && (is_digit(*q) || (*q == '_' && q + 1 < ls->end && is_digit(q[1]) && q > s))) {
        if (*q != '_' && n < sizeof buf - 8) buf[n++] = *q;
        q++;
    }
    if (q < ls->end && *q == '.') {
        char next = q + 1 < ls->end ? q[1] : '\0';
        /* `1.5`, `.5` and `1.` are numbers; `1.+x` is 1 .+ x and `1..` and `1.x` stop at 1 */
        bool dotted_op = strchr("+-*/^%=<>!|&", next) != NULL && next != '\0';
        uint32_t cp = 0;
        bool ident_after = next && utf8_decode(q + 1, ls->end, &cp) && ident_start(cp) && next != 'e' &&
                           next != 'f' && next != 'E';
        if (!dotted_op && next != '.' && !ident_after) {
            is_float = true;
            buf[n++] = '.';
            q++;
            while (q < ls->end && (is_digit(*q) || (*q == '_' && q + 1 < ls->end && is_digit(q[1])))) {
                if (*q != '_' && n < sizeof buf - 8) buf[n++] = *q;
                q++;
            }
        }
    }
    if (q < ls->end && (*q == 'e' || *q == 'E' || *q == 'f')) {
        const char *e = q + 1;
        if (e < ls->end && (*e == '+' || *e == '-')) e++;
        if (e < ls->end && is_digit(*e)) {
            f32 = *q == 'f';
            is_float = true;
            buf[n++] = 'e';
            q++;
            if (*q == '+' || *q == '-') buf[n++] = *q++;
            while (q < ls->end && is_digit(*q)) {
                if (n < sizeof buf - 2) buf[n++] = *q;
                q++;
            }
        }
        /* otherwise `2e` / `2f` is juxtaposition with a name, as in Julia */
    }
    buf[n] = '\0';
    if (n >= sizeof buf - 8) return error_at(ls, tok, ls->line, ls->col, false, "number literal too long");
    if (!is_float) {
        errno = 0;
        long long v = strtoll(buf, NULL, 10);
        if (errno == ERANGE)
            return error_at(ls, tok, ls->line, ls->col, false, "integer literal %.*s is too large for Int64",
                            (int)(q - s), s);
        tok->kind = TK_INT;
        tok->v.i = v;
    } else {
        double d = strtod(buf, NULL);
        tok->kind = f32 ? TK_FLOAT32 : TK_FLOAT;
        tok->v.d = f32 ? (double)(float)d : d;
    }
    skip(ls, (size_t)(q - s));
    return tok->kind;
}

/* ---- strings ------------------------------------------------------------------------- */

typedef struct {
    char *buf;
    size_t n, cap;
    lxX_piece *pieces;
    int npieces, piece_cap;
    bool oom;
} str_builder;

static void sb_putc(lxX_lexer *ls, str_builder *b, char c)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 64;
        char *nb = ls->alloc(ls->ud, b->buf, b->cap, cap);
        if (!nb) {
            b->oom = true;
            return;
        }
        b->buf = nb;
        b->cap = cap;
    }
    b->buf[b->n++] = c;
}

static void sb_put_utf8(lxX_lexer *ls, str_builder *b, uint32_t c)
{
    if (c < 0x80) {
        sb_putc(ls, b, (char)c);
    } else if (c < 0x800) {
        sb_putc(ls, b, (char)(0xc0 | (c >> 6)));
        sb_putc(ls, b, (char)(0x80 | (c & 0x3f)));
    } else if (c < 0x10000) {
        sb_putc(ls, b, (char)(0xe0 | (c >> 12)));
        sb_putc(ls, b, (char)(0x80 | ((c >> 6) & 0x3f)));
        sb_putc(ls, b, (char)(0x80 | (c & 0x3f)));
    } else {
        sb_putc(ls, b, (char)(0xf0 | (c >> 18)));
        sb_putc(ls, b, (char)(0x80 | ((c >> 12) & 0x3f)));
        sb_putc(ls, b, (char)(0x80 | ((c >> 6) & 0x3f)));
        sb_putc(ls, b, (char)(0x80 | (c & 0x3f)));
    }
}

static void sb_piece(lxX_lexer *ls, str_builder *b, bool interp, const char *text, size_t len, int line,
                     int col)
{
    if (b->npieces == b->piece_cap) {
        int cap = b->piece_cap ? 2 * b->piece_cap : 4;
        lxX_piece *np =
            ls->alloc(ls->ud, b->pieces, (size_t)b->piece_cap * sizeof *np, (size_t)cap * sizeof *np);
        if (!np) {
            b->oom = true;
            return;
        }
        b->pieces = np;
        b->piece_cap = cap;
    }
    b->pieces[b->npieces++] = (lxX_piece){interp, text, len, line, col};
}

/* The text gathered so far becomes a piece (copied into the arena). */
static void sb_flush(lxX_lexer *ls, str_builder *b, int line, int col)
{
    if (b->n == 0) return;
    char *t = arena_alloc(ls, b->n);
    if (!t) {
        b->oom = true;
        return;
    }
    memcpy(t, b->buf, b->n);
    sb_piece(ls, b, false, t, b->n, line, col);
    b->n = 0;
}

/* Julia's rule for triple-quoted strings: the indentation common to every
 * line after the first (blank lines aside, the closing line included) is
 * removed.  Scans raw source up to the closing quotes. */
static int triple_indent(const char *p, const char *end)
{
    int best = -1;
    while (p < end) {
        if (p + 2 < end && p[0] == '"' && p[1] == '"' && p[2] == '"') break;
        if (*p == '\\' && p + 1 < end) {
            p += 2;
            continue;
        }
        if (*p != '\n') {
            p++;
            continue;
        }
        p++;
        int ind = 0;
        while (p < end && (*p == ' ' || *p == '\t'))
            p++, ind++;
        bool closing = p + 2 < end && p[0] == '"' && p[1] == '"' && p[2] == '"';
        bool blank = p >= end || *p == '\n' || *p == '\r';
        if (!blank || closing)
            if (best < 0 || ind < best) best = ind;
    }
    return best < 0 ? 0 : best;
}

/* The source range of `$( ... )`: a nested lexer finds the matching `)`. */
static bool interp_range(lxX_lexer *ls, lxX_token *tok, str_builder *b)
{
    int line = ls->line, col = ls->col; /* at `(` */
    lxX_lexer sub;
    lxX_init(&sub, ls->p + 1, (size_t)(ls->end - ls->p - 1), ls->chunk, ls->alloc, ls->ud);
    sub.line = line;
    sub.col = col + 1;
    int depth = 0;
    lxX_token t;
    const char *stop = NULL;
    for (;;) {
        lxX_kind k = lxX_next(&sub, &t);
        if (k == TK_ERROR) {
            error_at(ls, tok, sub.err_line, sub.err_col, sub.incomplete, "%s", sub.message);
            lxX_free(&sub);
            return false;
        }
        if (k == TK_EOF) {
            lxX_free(&sub);
            error_at(ls, tok, line, col, true, "unterminated interpolation $( ... ) in a string");
            return false;
        }
        if (k != TK_OP) continue;
        if (t.v.op == OP_LPAREN || t.v.op == OP_LBRACKET || t.v.op == OP_LBRACE) depth++;
        if (t.v.op == OP_RPAREN || t.v.op == OP_RBRACKET || t.v.op == OP_RBRACE) {
            if (depth-- == 0) {
                stop = t.text;
                break;
            }
        }
    }
    sb_piece(ls, b, true, ls->p + 1, (size_t)(stop - (ls->p + 1)), line, col + 1);
    /* carry the position over the expression and its `)` */
    ls->p = stop + 1;
    ls->line = sub.line;
    ls->col = sub.col;
    lxX_free(&sub);
    return true;
}

/* The character a one-letter escape stands for, or -1. */
static int simple_escape(char e)
{
    switch (e) {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    case '\\': return '\\';
    case '"': return '"';
    case '$': return '$';
    case '\'': return '\'';
    case '0': return '\0';
    case 'a': return '\a';
    case 'b': return '\b';
    case 'e': return 033;
    case 'f': return '\f';
    case 'v': return '\v';
    default: return -1;
    }
}

static lxX_kind lex_string(lxX_lexer *ls, lxX_token *tok)
{
    int line = ls->line, col = ls->col;
    bool triple = ls->p + 2 < ls->end && ls->p[1] == '"' && ls->p[2] == '"';
    skip(ls, triple ? 3 : 1);
    int indent = 0;
    if (triple) {
        indent = triple_indent(ls->p, ls->end);
        if (ls->p < ls->end && (*ls->p == '\n' || *ls->p == '\r')) newline(ls); /* the first newline goes */
    }
    str_builder b = {0};
    int pline = ls->line, pcol = ls->col;
    int strip = triple && ls->col == 1 ? indent : 0; /* characters of indentation still to drop */
    lxX_kind result = TK_STRING;
    for (;;) {
        if (b.oom) {
            result = error_at(ls, tok, line, col, false, "out of memory reading a string");
            break;
        }
        if (ls->p >= ls->end) {
            result = error_at(ls, tok, line, col, true, "unterminated string literal");
            break;
        }
        char c = *ls->p;
        if (strip > 0 && (c == ' ' || c == '\t')) {
            strip--;
            skip(ls, 1);
            continue;
        }
        strip = 0;
        if (c == '"' && (!triple || (ls->p + 2 < ls->end && ls->p[1] == '"' && ls->p[2] == '"'))) {
            sb_flush(ls, &b, pline, pcol);
            skip(ls, triple ? 3 : 1);
            break;
        }
        if (c == '\n' || c == '\r') {
            sb_putc(ls, &b, '\n');
            newline(ls);
            if (triple) strip = indent;
            continue;
        }
        if (c == '\0') {
            result = error_at(ls, tok, ls->line, ls->col, false, "NUL byte in a string literal");
            break;
        }
        if (c == '$') {
            sb_flush(ls, &b, pline, pcol);
            if (ls->p + 1 < ls->end && ls->p[1] == '(') {
                skip(ls, 1);
                if (!interp_range(ls, tok, &b)) {
                    result = TK_ERROR;
                    break;
                }
            } else {
                uint32_t cp;
                int n = utf8_decode(ls->p + 1, ls->end, &cp);
                if (!n || !ident_start(cp)) {
                    result = error_at(ls, tok, ls->line, ls->col, false,
                                      "a $ in a string must start an interpolation ($name or $(expr)); "
                                      "write \\$ for a dollar sign");
                    break;
                }
                int iline = ls->line, icol = ls->col + 1;
                skip(ls, 1);
                const char *s = ls->p;
                while (ls->p < ls->end && (n = utf8_decode(ls->p, ls->end, &cp)) && ident_cont(cp) &&
                       cp != '!')
                    skip(ls, (size_t)n);
                sb_piece(ls, &b, true, s, (size_t)(ls->p - s), iline, icol);
            }
            pline = ls->line;
            pcol = ls->col;
            continue;
        }
        if (c == '\\') {
            if (ls->p + 1 >= ls->end) continue; /* unterminated: reported above */
            char e = ls->p[1];
            int simple = simple_escape(e);
            if (simple >= 0) {
                sb_putc(ls, &b, (char)simple);
                skip(ls, 2);
                continue;
            }
            if (e == 'x' || e == 'u' || e == 'U') {
                int maxd = e == 'x' ? 2 : e == 'u' ? 4 : 8, d = 0;
                uint32_t v = 0;
                const char *q = ls->p + 2;
                for (; d < maxd && q < ls->end; d++, q++) {
                    int h = is_digit(*q)               ? *q - '0'
                            : (*q >= 'a' && *q <= 'f') ? *q - 'a' + 10
                            : (*q >= 'A' && *q <= 'F') ? *q - 'A' + 10
                                                       : -1;
                    if (h < 0) break;
                    v = v * 16 + (uint32_t)h;
                }
                if (d == 0 || (e != 'x' && (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)))) {
                    result =
                        error_at(ls, tok, ls->line, ls->col, false, "invalid escape \\%c in a string", e);
                    break;
                }
                if (e == 'x')
                    sb_putc(ls, &b, (char)v);
                else
                    sb_put_utf8(ls, &b, v);
                skip(ls, (size_t)(q - ls->p));
                continue;
            }
            if (e == '\n' || e == '\r') { /* a backslash-newline joins lines */
                skip(ls, 1);
                newline(ls);
                while (ls->p < ls->end && (*ls->p == ' ' || *ls->p == '\t'))
                    skip(ls, 1);
                continue;
            }
            result = error_at(ls, tok, ls->line, ls->col, false, "invalid escape \\%c in a string", e);
            break;
        }
        uint32_t cp;
        int n = utf8_decode(ls->p, ls->end, &cp);
        if (!n) {
            result = error_at(ls, tok, ls->line, ls->col, false, "invalid UTF-8 byte 0x%02x in a string",
                              (unsigned char)c);
            break;
        }
        for (int i = 0; i < n; i++)
            sb_putc(ls, &b, ls->p[i]);
        skip(ls, (size_t)n);
    }
    if (result == TK_STRING) {
        lxX_piece *pieces = NULL;
        if (b.npieces) {
            pieces = arena_alloc(ls, (size_t)b.npieces * sizeof *pieces);
            if (pieces)
                memcpy(pieces, b.pieces, (size_t)b.npieces * sizeof *pieces);
            else
                result = error_at(ls, tok, line, col, false, "out of memory reading a string");
        }
        tok->kind = result;
        tok->str.pieces = pieces;
        tok->str.n = b.npieces;
        tok->str.triple = triple;
    }
    if (b.buf) ls->alloc(ls->ud, b.buf, b.cap, 0);
    if (b.pieces) ls->alloc(ls->ud, b.pieces, (size_t)b.piece_cap * sizeof *b.pieces, 0);
    return result;
}

/* ---- the token loop ------------------------------------------------------------------ */

static bool closes_operand(const lxX_token *t)
{
    switch (t->kind) {
    case TK_INT:
    case TK_FLOAT:
    case TK_FLOAT32:
    case TK_STRING:
    case TK_SYMBOL:
    case TK_IDENT: return true;
    case TK_KEYWORD:
        return t->v.kw == KW_END || t->v.kw == KW_TRUE || t->v.kw == KW_FALSE || t->v.kw == KW_NOTHING;
    case TK_OP:
        return t->v.op == OP_RPAREN || t->v.op == OP_RBRACKET || t->v.op == OP_RBRACE ||
               t->v.op == OP_ADJOINT;
    default: return false;
    }
}

static lxX_kind lex_token(lxX_lexer *ls, lxX_token *tok)
{
    const char *p = ls->p;
    char c = *p;
    if (c == '\n' || c == '\r') {
        tok->kind = TK_NEWLINE;
        newline(ls);
        return TK_NEWLINE;
    }
    if (c == '\0') return error_at(ls, tok, ls->line, ls->col, false, "NUL byte in the source");
    if (is_digit(c) || (c == '.' && p + 1 < ls->end && is_digit(p[1]) && !ls->prev_closes))
        return lex_number(ls, tok);
    if (c == '"') return lex_string(ls, tok);
    uint32_t cp;
    int n = utf8_decode(p, ls->end, &cp);
    if (!n) return error_at(ls, tok, ls->line, ls->col, false, "invalid UTF-8 byte 0x%02x", (unsigned char)c);
    if (is_invisible(cp))
        return error_at(ls, tok, ls->line, ls->col, false, "invisible character U+%04X in the source",
                        (unsigned)cp);
    if (ident_start(cp)) {
        while (ls->p < ls->end && (n = utf8_decode(ls->p, ls->end, &cp)) && ident_cont(cp)) {
            if (cp == '!' && ls->p + 1 < ls->end && ls->p[1] == '=') break; /* a!=b is a != b */
            skip(ls, (size_t)n);
        }
        tok->len = (size_t)(ls->p - p);
        for (int k = 0; k < KW_NUM; k++)
            if (keyword_names[k][0] == c && !strncmp(keyword_names[k], p, tok->len) &&
                !keyword_names[k][tok->len]) {
                tok->kind = TK_KEYWORD;
                tok->v.kw = (lxX_keyword)k;
                return TK_KEYWORD;
            }
        tok->kind = TK_IDENT;
        return TK_IDENT;
    }
    if (c == '@') {
        skip(ls, 1);
        const char *s = ls->p;
        if (s < ls->end && *s == '.') {
            skip(ls, 1);
        } else {
            while (ls->p < ls->end && (n = utf8_decode(ls->p, ls->end, &cp)) && ident_cont(cp))
                skip(ls, (size_t)n);
            if (ls->p == s)
                return error_at(ls, tok, tok->line, tok->col, false, "a macro name must follow @");
        }
        tok->kind = TK_MACRO;
        tok->text = s;
        tok->len = (size_t)(ls->p - s);
        return TK_MACRO;
    }
    if (c == ':' && !ls->prev_closes && p + 1 < ls->end && (n = utf8_decode(p + 1, ls->end, &cp)) &&
        ident_start(cp)) {
        skip(ls, 1);
        const char *s = ls->p;
        while (ls->p < ls->end && (n = utf8_decode(ls->p, ls->end, &cp)) && ident_cont(cp))
            skip(ls, (size_t)n);
        tok->kind = TK_SYMBOL;
        tok->text = s;
        tok->len = (size_t)(ls->p - s);
        return TK_SYMBOL;
    }
    if (c == '\'') {
        if (ls->prev_closes && !tok->space_before) {
            skip(ls, 1);
            tok->kind = TK_OP;
            tok->v.op = OP_ADJOINT;
            tok->len = 1;
            return TK_OP;
        }
        return error_at(ls, tok, ls->line, ls->col, false,
                        "unexpected ' (character literals are not part of lx; write \"c\" for a string)");
    }
    size_t best = 0;
    int which = -1;
    for (int k = 0; k < OP_NUM; k++) {
        if (op_names[k][0] != c) continue; /* most operators are ruled out by their first byte */
        size_t len = strlen(op_names[k]);
        if (len > best && (size_t)(ls->end - p) >= len && !memcmp(op_names[k], p, len)) {
            best = len;
            which = k;
        }
    }
    if (which < 0) {
        if (cp < 0x20 || cp == 0x7f)
            return error_at(ls, tok, ls->line, ls->col, false, "unexpected control character U+%04X",
                            (unsigned)cp);
        return error_at(ls, tok, ls->line, ls->col, false, "unexpected character %.*s", n, p);
    }
    skip(ls, best);
    tok->kind = TK_OP;
    tok->v.op = (lxX_op)which;
    tok->len = best;
    return TK_OP;
}

lxX_kind lxX_next(lxX_lexer *ls, lxX_token *tok)
{
    memset(tok, 0, sizeof *tok);
    bool space = false;
    if (!skip_space(ls, tok, &space)) return TK_ERROR;
    tok->space_before = space;
    tok->line = ls->line;
    tok->col = ls->col;
    tok->text = ls->p;
    if (ls->p >= ls->end) {
        tok->kind = TK_EOF;
        return TK_EOF;
    }
    lxX_kind k = lex_token(ls, tok);
    if (k != TK_MACRO && k != TK_SYMBOL && k != TK_ERROR) tok->len = (size_t)(ls->p - tok->text);
    if (k == TK_ERROR) return k;
    ls->prev_closes = closes_operand(tok);
    return k;
}
