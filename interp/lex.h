/* lex.h — the lexer (lxX_): UTF-8 source to tokens, with line and column,
 * the whitespace facts the parser needs (juxtaposition `2x`, `[a -b]`,
 * `f (x)`), string literals split into text and interpolation pieces, and a
 * distinct "incomplete" flag for input that ends inside a construct.
 * It never allocates except through the state's allocator, and never jumps.
 */
#ifndef LX_LEX_H
#define LX_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* realloc-style allocator hook (Lua's lua_Alloc): nsize 0 frees. */
typedef void *(*lxX_alloc)(void *ud, void *ptr, size_t osize, size_t nsize);

typedef enum {
    TK_EOF,
    TK_ERROR,   /* message in the lexer; `incomplete` says whether more input could fix it */
    TK_NEWLINE, /* a line break outside any comment or string */
    TK_INT,     /* v.i */
    TK_FLOAT,   /* Float64, v.d */
    TK_FLOAT32, /* `1f0`, v.d holds the value rounded to Float32 */
    TK_STRING,  /* pieces in str (text and interpolations) */
    TK_SYMBOL,  /* `:name`, the name in text/len without the colon */
    TK_IDENT,
    TK_KEYWORD, /* kw says which */
    TK_MACRO,   /* `@name` or `@.`; the name without @ in text/len */
    TK_OP,      /* op says which; text/len is its spelling */
    TK_NUM_KINDS
} lxX_kind;

#define LXX_KEYWORDS(X)                                                                                      \
    X(FUNCTION, "function")                                                                                  \
    X(END, "end")                                                                                            \
    X(IF, "if")                                                                                              \
    X(ELSEIF, "elseif")                                                                                      \
    X(ELSE, "else")                                                                                          \
    X(FOR, "for")                                                                                            \
    X(IN, "in")                                                                                              \
    X(WHILE, "while")                                                                                        \
    X(BREAK, "break") X(CONTINUE, "continue") X(RETURN, "return") X(LET, "let") X(LOCAL, "local")            \
        X(GLOBAL, "global") X(CONST, "const") X(STRUCT, "struct") X(MUTABLE, "mutable") X(BEGIN, "begin")    \
            X(DO, "do") X(TRY, "try") X(CATCH, "catch") X(FINALLY, "finally") X(TRUE, "true")                \
                X(FALSE, "false") X(NOTHING, "nothing") X(USING, "using") X(IMPORT, "import")                \
                    X(MODULE, "module") X(ABSTRACT, "abstract") X(ISA, "isa")

typedef enum {
#define LXX_KW_ENUM(E, s) KW_##E,
    LXX_KEYWORDS(LXX_KW_ENUM)
#undef LXX_KW_ENUM
        KW_NUM
} lxX_keyword;

/* Operators and punctuation, longest spellings matched first by the lexer. */
#define LXX_OPERATORS(X)                                                                                     \
    X(LPAREN, "(")                                                                                           \
    X(RPAREN, ")")                                                                                           \
    X(LBRACKET, "[")                                                                                         \
    X(RBRACKET, "]")                                                                                         \
    X(LBRACE, "{")                                                                                           \
    X(RBRACE, "}")                                                                                           \
    X(COMMA, ",")                                                                                            \
    X(SEMI, ";")                                                                                             \
    X(DOTS, "...") X(DOT, ".") X(QUESTION, "?") X(COLON, ":") X(DCOLON, "::") X(ASSIGN, "=") X(ARROW, "->")  \
        X(PAIR, "=>") X(PIPE, "|>") X(DOTPIPE, ".|>") X(ANDAND, "&&") X(OROR, "||") X(ADD_ASSIGN, "+=")      \
            X(SUB_ASSIGN, "-=") X(MUL_ASSIGN, "*=") X(DIV_ASSIGN, "/=") X(POW_ASSIGN, "^=")                  \
                X(DOT_ASSIGN, ".=") X(DADD_ASSIGN, ".+=") X(DSUB_ASSIGN, ".-=") X(DMUL_ASSIGN, ".*=")        \
                    X(DDIV_ASSIGN, "./=") X(DPOW_ASSIGN, ".^=") X(ADD, "+") X(SUB, "-") X(MUL, "*")          \
                        X(DIV, "/") X(REM, "%") X(POW, "^") X(INTDIV, "\xc3\xb7") X(LDIV, "\\")              \
                            X(COMPOSE, "\xe2\x88\x98") X(SQRT, "\xe2\x88\x9a") X(NOT, "!") X(EQ, "==")       \
                                X(NE, "!=") X(NE_U, "\xe2\x89\xa0") X(LT, "<") X(LE, "<=")                   \
                                    X(LE_U, "\xe2\x89\xa4") X(GT, ">") X(GE, ">=") X(GE_U, "\xe2\x89\xa5")   \
                                        X(APPROX, "\xe2\x89\x88") X(EGAL, "===") X(NEGAL, "!==")             \
                                            X(ELEM, "\xe2\x88\x88") X(NOTELEM, "\xe2\x88\x89")               \
                                                X(SUBTYPE, "<:") X(DADD, ".+") X(DSUB, ".-") X(DMUL, ".*")   \
                                                    X(DDIV, "./") X(DREM, ".%") X(DPOW, ".^") X(DEQ, ".==")  \
                                                        X(DNE, ".!=") X(DLT, ".<") X(DLE, ".<=")             \
                                                            X(DGT, ".>") X(DGE, ".>=") X(ADJOINT, "'")       \
                                                                X(DOLLAR, "$") X(AMP, "&") X(BAR, "|")       \
    /* dotted Unicode comparisons and ÷, after the others: compile.c tests DEQ..DGE, DNE_U..DAPPROX */       \
    X(DNE_U, ".\xe2\x89\xa0") X(DLE_U, ".\xe2\x89\xa4") X(DGE_U, ".\xe2\x89\xa5") X(DAPPROX, ".\xe2\x89\x88") \
    X(DINTDIV, ".\xc3\xb7")

typedef enum {
#define LXX_OP_ENUM(E, s) OP_##E,
    LXX_OPERATORS(LXX_OP_ENUM)
#undef LXX_OP_ENUM
        OP_NUM
} lxX_op;

/* A piece of a string literal: text (escapes processed), or the source range
 * of an interpolation (`$name` or the inside of `$( ... )`), which the parser
 * parses as an expression starting at line/col. */
typedef struct {
    bool interp;
    const char *text; /* text: in the lexer's arena; interp: into the source */
    size_t len;
    int line, col;
} lxX_piece;

typedef struct {
    lxX_kind kind;
    int line, col;    /* 1-based; col counts characters, not bytes */
    const char *text; /* the token's source (for TK_IDENT, TK_OP, ...) */
    size_t len;
    bool space_before; /* whitespace (or a comment) right before it */
    union {
        int64_t i;
        double d;
        lxX_keyword kw;
        lxX_op op;
    } v;
    struct {
        lxX_piece *pieces; /* lexer arena, valid until lxX_free */
        int n;
        bool triple; /* """...""" (dedented) */
    } str;
} lxX_token;

typedef struct {
    const char *src, *p, *end;
    const char *chunk; /* file name for messages */
    int line, col;
    bool prev_closes; /* the last token ends an operand: ident, number, ), ], }, end, ' */
    lxX_alloc alloc;
    void *ud;
    void **arena; /* blocks allocated for string pieces */
    size_t narena, arena_cap;
    char message[256];
    int err_line, err_col;
    bool incomplete; /* the error is input ending too soon */
} lxX_lexer;

void lxX_init(lxX_lexer *ls, const char *src, size_t len, const char *chunk, lxX_alloc alloc, void *ud);
/* Frees the arena (string pieces of every token returned so far). */
void lxX_free(lxX_lexer *ls);
lxX_kind lxX_next(lxX_lexer *ls, lxX_token *tok);

const char *lxX_kind_name(lxX_kind k);
const char *lxX_keyword_name(lxX_keyword k);
const char *lxX_op_name(lxX_op op);

#endif
