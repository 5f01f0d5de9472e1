/* ast.h — the syntax tree the parser builds (lxA_) and the compiler and the
 * built-in macros read.  Nodes live in one arena per parse and are freed
 * together.  lxA_dump prints a tree as an S-expression, for tests and for
 * debugging.
 */
#ifndef LX_AST_H
#define LX_AST_H

#include "lex.h"

#define LXA_KINDS(X)                                                                                         \
    X(INT)                                                                                                   \
    X(FLOAT)                                                                                                 \
    X(FLOAT32)                                                                                               \
    X(STRING)                                                                                                \
    X(STRTEXT)                                                                                               \
    X(SYMBOL) X(IDENT) X(BOOL) X(NOTHING) X(END) X(BEGIN) X(CALL) X(DOTCALL) X(KW) X(SPLAT) X(BINOP)         \
        X(DOTOP) X(UNOP) X(DOTUNOP) X(COMPARE) X(AND) X(OR) X(TERNARY) X(RANGE) X(PAIR) X(INDEX) X(FIELD)    \
            X(ADJOINT) X(TUPLE) X(NAMEDTUPLE) X(PARENS) X(VECT) X(HCAT) X(VCAT) X(ROW) X(TYPEDVECT)          \
                X(COMPREHENSION) X(GENERATOR) X(ITER) X(LAMBDA) X(ASSIGN) X(OPASSIGN) X(DOTASSIGN) X(BLOCK)  \
                    X(IF) X(WHILE) X(FOR) X(LET) X(TRY) X(FUNCTION) X(PARAM) X(RETURN) X(BREAK) X(CONTINUE)  \
                        X(LOCAL) X(GLOBAL) X(CONST) X(STRUCT) X(ABSTRACT) X(MACROCALL) X(USING) X(IMPORT)    \
                            X(DOC) X(TYPED) X(CURLY) X(WHERE)

typedef enum {
#define LXA_KIND_ENUM(E) AST_##E,
    LXA_KINDS(LXA_KIND_ENUM)
#undef LXA_KIND_ENUM
        AST_NUM_KINDS
} lxA_kind;

typedef struct lxA_node lxA_node;
struct lxA_node {
    lxA_kind kind;
    int line, col;
    int flags; /* per kind: see LXA_F_* */
    lxX_op op; /* BINOP, DOTOP, UNOP, OPASSIGN, COMPARE (first op) */
    union {
        int64_t i;
        double d;
    } v;
    const char *name; /* IDENT, SYMBOL, KW, STRTEXT, MACROCALL, FIELD: NUL-terminated, arena */
    size_t len;
    int n; /* children; COMPARE alternates operands and INT nodes holding the op */
    lxA_node **kids;
};

/* flags */
#define LXA_F_MUTABLE 1     /* STRUCT */
#define LXA_F_SHORT 2       /* FUNCTION written f(x) = ... */
#define LXA_F_KEYWORD 4     /* PARAM after ; */
#define LXA_F_SPLAT 8       /* PARAM x... */
#define LXA_F_ANON 16       /* FUNCTION without a name */
#define LXA_F_TRIPLE 32     /* STRING """...""" */
#define LXA_F_VIEW 64       /* INDEX read as view(x, i...) (@view) */
#define LXA_F_MAYBEVIEW 128 /* INDEX read as __maybeview(x, i...) (@views) */
#define LXA_F_COMMA 64      /* ITER joined to the one before by a comma: Julia's product */
#define LXA_F_SHAPED 256    /* COMPREHENSION over one product of 2+ iterators, no filter: an n-d tensor */

typedef struct {
    lxX_alloc alloc;
    void *ud;
    void **blocks;
    size_t nblocks, cap;
    char *cur; /* bump allocation inside the last block */
    size_t left;
} lxA_arena;

void lxA_arena_init(lxA_arena *a, lxX_alloc alloc, void *ud);
void lxA_arena_free(lxA_arena *a);
void *lxA_alloc(lxA_arena *a, size_t n); /* zeroed; NULL when out of memory */
/* A node with n children slots (filled later); NULL when out of memory. */
lxA_node *lxA_new(lxA_arena *a, lxA_kind k, int line, int col, int n);
/* Appends a child, growing the array in the arena; false when out of memory. */
bool lxA_push(lxA_arena *a, lxA_node *parent, lxA_node *child);
const char *lxA_kind_name(lxA_kind k);
/* S-expression text into buf (truncated to n); returns the length needed. */
size_t lxA_dump(const lxA_node *node, char *buf, size_t n);

#endif
