/* parse.c — recursive descent over the lexer's tokens, one function per
 * precedence level (spec §2, highest last), statements and definitions on
 * top.  Errors unwind to lxP_parse with longjmp (everything lives in the
 * arena, so there is nothing to release on the way).
 */
#include "parse.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    lxX_lexer lx;
    lxX_token tok;   /* current */
    lxX_token ahead; /* one more, when has_ahead */
    bool has_ahead;
    int nl_ignore;  /* >0 inside brackets: newlines are spaces */
    int in_index;   /* >0 inside a[...]: `end` and `begin` are positions */
    bool space_sep; /* inside [a b] or macro arguments: a space separates items */
    int macro_sep;  /* inside a macro's arguments: `f (x)`, `T [x]` and `a :b` are two items */
    int in_ternary; /* >0 in the middle of c ? a : b, where a spaced : ends it */
    int depth;
    lxA_arena *arena;
    lxP_result *res;
    jmp_buf jb;
} parser;

static void fail(parser *p, int line, int col, bool incomplete, const char *fmt, ...)
    __attribute__((format(printf, 5, 6), noreturn));
static void fail(parser *p, int line, int col, bool incomplete, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->res->message, sizeof p->res->message, fmt, ap);
    va_end(ap);
    p->res->ok = false;
    p->res->incomplete = incomplete;
    p->res->line = line;
    p->res->col = col;
    longjmp(p->jb, 1);
}

static void lex_one(parser *p, lxX_token *t)
{
    if (lxX_next(&p->lx, t) == TK_ERROR)
        fail(p, p->lx.err_line, p->lx.err_col, p->lx.incomplete, "%s", p->lx.message);
}

/* The current token, with newlines skipped where they are spaces. */
static lxX_token *peek(parser *p)
{
    while (p->tok.kind == TK_NEWLINE && p->nl_ignore > 0) {
        if (p->has_ahead) {
            p->tok = p->ahead;
            p->has_ahead = false;
        } else {
            lex_one(p, &p->tok);
        }
    }
    return &p->tok;
}

static void next(parser *p)
{
    if (p->has_ahead) {
        p->tok = p->ahead;
        p->has_ahead = false;
    } else {
        lex_one(p, &p->tok);
    }
}

static lxX_token *peek2(parser *p)
{
    peek(p);
    if (!p->has_ahead) {
        lex_one(p, &p->ahead);
        p->has_ahead = true;
    }
    return &p->ahead;
}

static bool is_op(parser *p, lxX_op op)
{
    return peek(p)->kind == TK_OP && p->tok.v.op == op;
}
static bool is_kw(parser *p, lxX_keyword kw)
{
    return peek(p)->kind == TK_KEYWORD && p->tok.v.kw == kw;
}

static const char *describe(const lxX_token *t, char *buf, size_t n)
{
    switch (t->kind) {
    case TK_EOF: return "end of input";
    case TK_NEWLINE: return "end of line";
    case TK_STRING: return "a string";
    case TK_KEYWORD: snprintf(buf, n, "\"%s\"", lxX_keyword_name(t->v.kw)); return buf;
    default: snprintf(buf, n, "\"%.*s\"", (int)(t->len > 40 ? 40 : t->len), t->text); return buf;
    }
}

static void unexpected(parser *p, const char *wanted) __attribute__((noreturn));
static void unexpected(parser *p, const char *wanted)
{
    char b[64];
    lxX_token *t = peek(p);
    fail(p, t->line, t->col, t->kind == TK_EOF, "expected %s, got %s", wanted, describe(t, b, sizeof b));
}

static void expect_op(parser *p, lxX_op op, const char *ctx)
{
    if (!is_op(p, op)) {
        char w[96];
        snprintf(w, sizeof w, "\"%s\" %s", lxX_op_name(op), ctx);
        unexpected(p, w);
    }
    next(p);
}

static void expect_end(parser *p, const char *what, int line)
{
    if (!is_kw(p, KW_END)) {
        char w[96];
        snprintf(w, sizeof w, "\"end\" to close the %s on line %d", what, line);
        unexpected(p, w);
    }
    next(p);
}

static lxA_node *node(parser *p, lxA_kind k, int line, int col)
{
    lxA_node *n = lxA_new(p->arena, k, line, col, 0);
    if (!n) fail(p, line, col, false, "out of memory while parsing");
    return n;
}

static void push(parser *p, lxA_node *parent, lxA_node *kid)
{
    if (!lxA_push(p->arena, parent, kid))
        fail(p, parent->line, parent->col, false, "out of memory while parsing");
}

static lxA_node *node2(parser *p, lxA_kind k, int line, int col, lxA_node *a, lxA_node *b)
{
    lxA_node *n = node(p, k, line, col);
    push(p, n, a);
    if (b) push(p, n, b);
    return n;
}

static const char *copy_name(parser *p, const char *s, size_t len)
{
    char *c = lxA_alloc(p->arena, len + 1);
    if (!c) fail(p, p->tok.line, p->tok.col, false, "out of memory while parsing");
    memcpy(c, s, len);
    c[len] = '\0';
    return c;
}

static void enter(parser *p)
{
    if (++p->depth > LXP_MAX_DEPTH)
        fail(p, p->tok.line, p->tok.col, false, "expression nested too deeply (more than %d levels)",
             LXP_MAX_DEPTH);
}

static void skip_newlines(parser *p)
{
    while (peek(p)->kind == TK_NEWLINE ||
           (p->tok.kind == TK_OP && p->tok.v.op == OP_SEMI && p->nl_ignore == 0))
        next(p);
}

/* After a binary operator, a line break continues the expression. */
static void skip_nl(parser *p)
{
    while (peek(p)->kind == TK_NEWLINE)
        next(p);
}

static lxA_node *parse_expr(parser *p);
static lxA_node *parse_ternary(parser *p);
static lxA_node *parse_unary(parser *p);
static lxA_node *parse_block(parser *p, int stop_kw1, int stop_kw2, int stop_kw3);
static lxA_node *parse_statement(parser *p);
static lxA_node *parse_if(parser *p);
static lxA_node *parse_let(parser *p);
static lxA_node *parse_try(parser *p);

/* begin ... end: a block, as an expression. */
static lxA_node *parse_begin(parser *p)
{
    int line = p->tok.line;
    next(p);
    int saved = p->nl_ignore;
    p->nl_ignore = 0;
    lxA_node *b = parse_block(p, KW_END, -1, -1);
    expect_end(p, "begin block", line);
    p->nl_ignore = saved;
    return b;
}

/* ---- strings ------------------------------------------------------------------------ */

static lxA_node *parse_interp(parser *p, const lxX_piece *pc)
{
    parser sub;
    memset(&sub, 0, sizeof sub);
    lxX_init(&sub.lx, pc->text, pc->len, p->lx.chunk, p->lx.alloc, p->lx.ud);
    sub.lx.line = pc->line;
    sub.lx.col = pc->col;
    sub.arena = p->arena;
    sub.res = p->res;
    sub.depth = p->depth;
    sub.nl_ignore = 1;
    lxA_node *e = NULL;
    if (setjmp(sub.jb) == 0) {
        next(&sub);
        e = parse_expr(&sub);
        if (peek(&sub)->kind != TK_EOF) unexpected(&sub, "the end of the interpolation");
    }
    lxX_free(&sub.lx);
    if (!e) longjmp(p->jb, 1); /* the sub-parser left its message in res */
    return e;
}

static lxA_node *string_node(parser *p, const lxX_token *t)
{
    lxA_node *s = node(p, AST_STRING, t->line, t->col);
    if (t->str.triple) s->flags |= LXA_F_TRIPLE;
    for (int i = 0; i < t->str.n; i++) {
        const lxX_piece *pc = &t->str.pieces[i];
        if (pc->interp) {
            push(p, s, parse_interp(p, pc));
        } else {
            lxA_node *x = node(p, AST_STRTEXT, pc->line, pc->col);
            x->name = copy_name(p, pc->text, pc->len);
            x->len = pc->len;
            push(p, s, x);
        }
    }
    return s;
}

/* ---- brackets: tuples, vectors, calls ---------------------------------------------------- */

/* `name = value` inside a call or tuple: a keyword / named field. */
static bool at_keyword_item(parser *p)
{
    return peek(p)->kind == TK_IDENT && peek2(p)->kind == TK_OP && p->ahead.v.op == OP_ASSIGN;
}

static lxA_node *parse_item(parser *p, bool allow_kw)
{
    if (allow_kw && at_keyword_item(p)) {
        lxA_node *kw = node(p, AST_KW, p->tok.line, p->tok.col);
        kw->name = copy_name(p, p->tok.text, p->tok.len);
        next(p);
        next(p);
        push(p, kw, parse_expr(p));
        return kw;
    }
    lxA_node *e = parse_expr(p);
    if (is_op(p, OP_DOTS)) {
        lxA_node *s = node(p, AST_SPLAT, e->line, e->col);
        push(p, s, e);
        next(p);
        return s;
    }
    return e;
}

/* `for x in xs, y in ys if cond` after an expression: comprehension parts.  An ITER after a comma
 * is marked LXA_F_COMMA: `for i in a, j in b` is Julia's product (i varies fastest), `for i in a for
 * j in b` nested loops; a comprehension over one product of several iterators and no filter is
 * marked LXA_F_SHAPED: it makes an n-d tensor of size (length(a), length(b), ...). */
static lxA_node *parse_iters(parser *p, lxA_node *into)
{
    int niters = 0;
    bool product = true;
    do {
        bool comma = is_op(p, OP_COMMA);
        next(p); /* for or , */
        lxA_node *it = node(p, AST_ITER, p->tok.line, p->tok.col);
        if (comma) it->flags |= LXA_F_COMMA;
        if (niters++ && !comma) product = false;
        push(p, it, parse_unary(p)); /* the variable (or a tuple of them) */
        if (!(is_kw(p, KW_IN) || is_op(p, OP_ASSIGN) || is_op(p, OP_ELEM))) unexpected(p, "\"in\" in a for");
        next(p);
        push(p, it, parse_ternary(p));
        push(p, into, it);
    } while (is_op(p, OP_COMMA) || is_kw(p, KW_FOR)); /* [f(i, j) for i in a for j in b] */
    if (is_kw(p, KW_IF)) {
        next(p);
        push(p, into, parse_ternary(p));
        product = false; /* a filter makes a vector, in the product's order */
    }
    if (into->kind == AST_COMPREHENSION && product && niters > 1) into->flags |= LXA_F_SHAPED;
    return into;
}

/* Items until `close`; `;` starts keywords (calls) or named fields. */
static void parse_args(parser *p, lxA_node *call, lxX_op close, bool kws)
{
    bool after_semi = false;
    while (!is_op(p, close)) {
        if (is_op(p, OP_SEMI)) {
            next(p);
            after_semi = true;
            continue;
        }
        lxA_node *a = parse_item(p, kws);
        if (after_semi && (a->kind == AST_SPLAT || a->kind == AST_KW))
            a->flags |= LXA_F_KEYWORD; /* f(; kw...) */
        /* a signature's typed keyword, f(; act::Symbol = :identity) or f(; n::Int) */
        if (after_semi && (a->kind == AST_TYPED || (a->kind == AST_ASSIGN && a->kids[0]->kind == AST_TYPED)))
            a->flags |= LXA_F_KEYWORD;
        if (after_semi && a->kind == AST_IDENT) { /* f(; x) is f(; x = x) */
            lxA_node *kw = node(p, AST_KW, a->line, a->col);
            kw->flags |= LXA_F_KEYWORD;
            kw->name = a->name;
            push(p, kw, a);
            a = kw;
        }
        if (is_kw(p, KW_FOR) && call->n == 1 && call->kind == AST_CALL) { /* f(x for x in xs) */
            lxA_node *g = node(p, AST_GENERATOR, a->line, a->col);
            push(p, g, a);
            parse_iters(p, g);
            a = g;
        }
        push(p, call, a);
        if (is_op(p, OP_SEMI)) continue;
        if (!is_op(p, OP_COMMA)) break;
        next(p);
    }
    expect_op(p, close, "to close the argument list");
}

static lxA_node *parse_parens(parser *p)
{
    int line = p->tok.line, col = p->tok.col;
    next(p);
    p->nl_ignore++;
    bool sep = p->space_sep;
    int msep = p->macro_sep;
    p->space_sep = false;
    p->macro_sep = 0;
    lxA_node *r;
    if (is_op(p, OP_RPAREN)) {
        r = node(p, AST_TUPLE, line, col);
    } else if (is_op(p, OP_SEMI)) { /* (; a, b = 2) */
        next(p);
        r = node(p, AST_NAMEDTUPLE, line, col);
        while (!is_op(p, OP_RPAREN)) {
            lxA_node *a = parse_item(p, true);
            if (a->kind == AST_FIELD) { /* (; nt.a) is (a = nt.a,) */
                lxA_node *kw = node(p, AST_KW, a->line, a->col);
                kw->name = a->name;
                push(p, kw, a);
                a = kw;
            } else if (a->kind == AST_IDENT) {
                lxA_node *kw = node(p, AST_KW, a->line, a->col);
                kw->name = a->name;
                push(p, kw, a);
                a = kw;
            }
            push(p, r, a);
            if (!is_op(p, OP_COMMA)) break;
            next(p);
        }
    } else {
        bool named = at_keyword_item(p);
        lxA_node *first = parse_item(p, named);
        if (named && !is_op(p, OP_COMMA)) { /* (a = 1) is an assignment; (a = 1; b) a block */
            lxA_node *as = node2(p, AST_ASSIGN, first->line, first->col, NULL, first->kids[0]);
            lxA_node *id = node(p, AST_IDENT, first->line, first->col);
            id->name = first->name;
            as->kids[0] = id;
            if (is_op(p, OP_SEMI)) {
                r = node(p, AST_BLOCK, line, col);
                push(p, r, as);
                while (is_op(p, OP_SEMI)) {
                    next(p);
                    if (is_op(p, OP_RPAREN)) break;
                    push(p, r, parse_expr(p));
                }
            } else {
                r = node2(p, AST_PARENS, line, col, as, NULL);
            }
        } else if (is_kw(p, KW_FOR)) {
            r = node(p, AST_GENERATOR, line, col);
            push(p, r, first);
            parse_iters(p, r);
        } else if (is_op(p, OP_COMMA)) {
            r = node(p, named ? AST_NAMEDTUPLE : AST_TUPLE, line, col);
            push(p, r, first);
            while (is_op(p, OP_COMMA)) {
                next(p);
                if (is_op(p, OP_RPAREN)) break;
                push(p, r, parse_item(p, named));
            }
        } else if (is_op(p, OP_SEMI)) { /* (a; b) */
            r = node(p, AST_BLOCK, line, col);
            push(p, r, first);
            while (is_op(p, OP_SEMI)) {
                next(p);
                if (is_op(p, OP_RPAREN)) break;
                push(p, r, parse_expr(p));
            }
        } else {
            r = first->kind == AST_SPLAT ? node2(p, AST_TUPLE, line, col, first, NULL)
                                         : node2(p, AST_PARENS, line, col, first, NULL);
        }
    }
    p->nl_ignore--;
    p->space_sep = sep;
    p->macro_sep = msep;
    expect_op(p, OP_RPAREN, "to close the parenthesis");
    return r;
}

/* [a, b], [a b; c d] (rows also by line breaks), [f(x) for x in xs], [];
 * also the inside of T[...] and x[...]. */
static lxA_node *parse_vector(parser *p, int line, int col)
{
    next(p); /* [ */
    int saved_nl = p->nl_ignore;
    bool sep = p->space_sep;
    int msep = p->macro_sep;
    p->macro_sep = 0;
    p->nl_ignore = 0; /* a line break may separate rows: keep them visible */
    skip_nl(p);
    lxA_node *r = node(p, AST_VECT, line, col);
    if (is_op(p, OP_RBRACKET)) goto done;
    p->space_sep = true;
    lxA_node *first = parse_item(p, false);
    if (is_kw(p, KW_FOR)) {
        p->space_sep = false;
        p->nl_ignore = 1;
        r->kind = AST_COMPREHENSION;
        push(p, r, first);
        parse_iters(p, r);
    } else if (is_op(p, OP_COMMA)) {
        p->space_sep = false;
        p->nl_ignore = 1;
        push(p, r, first);
        while (is_op(p, OP_COMMA)) {
            next(p);
            if (is_op(p, OP_RBRACKET)) break;
            push(p, r, parse_item(p, false));
        }
    } else {
        /* rows of space-separated items, separated by ; or line breaks */
        lxA_node *rows = node(p, AST_VCAT, line, col), *row = node(p, AST_ROW, first->line, first->col);
        push(p, row, first);
        for (;;) {
            if (is_op(p, OP_SEMI) || peek(p)->kind == TK_NEWLINE) {
                next(p);
                skip_nl(p);
                if (row->n) push(p, rows, row);
                row = node(p, AST_ROW, p->tok.line, p->tok.col);
                continue;
            }
            if (is_op(p, OP_RBRACKET)) break;
            if (peek(p)->kind == TK_EOF) unexpected(p, "\"]\"");
            push(p, row, parse_item(p, false));
        }
        if (row->n) push(p, rows, row);
        if (rows->n == 1 && rows->kids[0]->n > 1) { /* [a b] */
            r = rows->kids[0];
            r->kind = AST_HCAT;
        } else if (rows->n == 1) { /* [a] */
            push(p, r, rows->kids[0]->kids[0]);
        } else {
            r = rows;
        }
    }
done:
    skip_nl(p);
    p->space_sep = sep;
    p->macro_sep = msep;
    p->nl_ignore = saved_nl;
    expect_op(p, OP_RBRACKET, "to close the bracket");
    return r;
}

/* ---- primaries and postfix ------------------------------------------------------------ */

static lxA_node *parse_macrocall(parser *p, const lxX_token *m);

static bool literal_number(const lxA_node *e)
{
    return e->kind == AST_INT || e->kind == AST_FLOAT || e->kind == AST_FLOAT32;
}

/* The function an operator names: `+`, `==`, `in` (≠ ≤ ≥ ∈ by their ASCII names). */
static const char *op_function_name(lxX_op op)
{
    switch (op) {
    case OP_NE_U: return "!=";
    case OP_LE_U: return "<=";
    case OP_GE_U: return ">=";
    case OP_ELEM: return "in";
    case OP_APPROX: return "isapprox";
    default: return lxX_op_name(op);
    }
}

static bool op_is_function(lxX_op op)
{
    switch (op) {
    case OP_ADD:
    case OP_SUB:
    case OP_MUL:
    case OP_DIV:
    case OP_LDIV:
    case OP_REM:
    case OP_POW:
    case OP_INTDIV:
    case OP_COMPOSE:
    case OP_SQRT:
    case OP_NOT:
    case OP_EQ:
    case OP_NE:
    case OP_NE_U:
    case OP_LT:
    case OP_LE:
    case OP_LE_U:
    case OP_GT:
    case OP_GE:
    case OP_GE_U:
    case OP_APPROX:
    case OP_EGAL:
    case OP_NEGAL:
    case OP_ELEM:
    case OP_NOTELEM:
    case OP_SUBTYPE:
    case OP_AMP:
    case OP_BAR:
    case OP_PAIR:
    case OP_PIPE: return true;
    default: return false;
    }
}

/* An operator used as a value or a function name: `+(1, 2)`, `reduce(+, xs)`,
 * `f = *`, `(+)`; not when it starts an expression (-x, !x, √x). */
static bool op_as_name(parser *p)
{
    lxX_token *t = peek(p);
    if (t->kind != TK_OP || !op_is_function(t->v.op)) return false;
    lxX_token *n = peek2(p);
    if (n->kind == TK_NEWLINE || n->kind == TK_EOF) return true;
    if (n->kind != TK_OP) return false;
    if (n->v.op == OP_LPAREN) return !n->space_before;
    return n->v.op == OP_COMMA || n->v.op == OP_RPAREN || n->v.op == OP_SEMI || n->v.op == OP_RBRACKET;
}

/* After `Mod.:`, the operator (`+` or `(==)`): its function name; consumes it. */
static const char *qualified_op(parser *p)
{
    bool paren = is_op(p, OP_LPAREN);
    if (paren) next(p);
    lxX_token *t = peek(p);
    if (t->kind != TK_OP || !op_is_function(t->v.op)) unexpected(p, "an operator after \":\"");
    const char *name = op_function_name(t->v.op);
    next(p);
    if (paren) expect_op(p, OP_RPAREN, "to close the operator");
    return name;
}

static lxA_node *parse_primary(parser *p)
{
    lxX_token *t = peek(p);
    int line = t->line, col = t->col;
    lxA_node *n;
    switch (t->kind) {
    case TK_INT:
        n = node(p, AST_INT, line, col);
        n->v.i = t->v.i;
        next(p);
        return n;
    case TK_FLOAT:
    case TK_FLOAT32:
        n = node(p, t->kind == TK_FLOAT ? AST_FLOAT : AST_FLOAT32, line, col);
        n->v.d = t->v.d;
        next(p);
        return n;
    case TK_STRING: {
        lxX_token s = *t;
        next(p);
        return string_node(p, &s);
    }
    case TK_SYMBOL:
    case TK_IDENT:
        n = node(p, t->kind == TK_IDENT ? AST_IDENT : AST_SYMBOL, line, col);
        n->name = copy_name(p, t->text, t->len);
        n->len = t->len;
        next(p);
        return n;
    case TK_MACRO: {
        lxX_token m = *t;
        next(p);
        return parse_macrocall(p, &m);
    }
    case TK_KEYWORD:
        switch (t->v.kw) {
        case KW_TRUE:
        case KW_FALSE:
            n = node(p, AST_BOOL, line, col);
            n->v.i = t->v.kw == KW_TRUE;
            next(p);
            return n;
        case KW_NOTHING: next(p); return node(p, AST_NOTHING, line, col);
        case KW_ISA: /* isa(x, T) and in(x, xs): the functions */
        case KW_IN:
            n = node(p, AST_IDENT, line, col);
            n->name = t->v.kw == KW_ISA ? "isa" : "in";
            n->len = strlen(n->name);
            next(p);
            return n;
        case KW_END:
        case KW_BEGIN:
            if (p->in_index > 0) {
                lxA_kind k = t->v.kw == KW_END ? AST_END : AST_BEGIN;
                if (!p->has_ahead) p->lx.prev_closes = true; /* x[begin:end]: this `:` is the range's */
                next(p);
                return node(p, k, line, col);
            }
            if (t->v.kw == KW_BEGIN) return parse_begin(p);
            break;
        case KW_IF: return parse_if(p); /* blocks are expressions: if ... end |> f */
        case KW_LET: return parse_let(p);
        case KW_TRY: return parse_try(p);
        case KW_FUNCTION:
        case KW_FOR:
        case KW_WHILE:
        case KW_RETURN:
        case KW_BREAK:
        case KW_CONTINUE:
        case KW_GLOBAL:
        case KW_LOCAL: return parse_statement(p); /* blocks are expressions; c && return x; (global n += 1) */
        default: break;
        }
        break;
    case TK_OP:
        if (op_as_name(p)) {
            n = node(p, AST_IDENT, line, col);
            n->name = op_function_name(t->v.op);
            n->len = strlen(n->name);
            next(p);
            return n;
        }
        if (t->v.op == OP_LPAREN) return parse_parens(p);
        if (t->v.op == OP_LBRACKET) return parse_vector(p, line, col);
        if (t->v.op == OP_COLON && !peek2(p)->space_before &&
            (peek2(p)->kind == TK_IDENT || peek2(p)->kind == TK_KEYWORD)) { /* @show "s" :x: a symbol */
            next(p);
            n = node(p, AST_SYMBOL, line, col);
            n->name = copy_name(p, p->tok.text, p->tok.len);
            n->len = p->tok.len;
            next(p);
            return n;
        }
        if (t->v.op == OP_COLON) { /* a bare : (all of a dim) */
            next(p);
            n = node(p, AST_SYMBOL, line, col);
            n->name = ":";
            n->len = 1;
            return n;
        }
        break;
    default: break;
    }
    unexpected(p, "an expression");
}

/* Turns `f(x) do y ... end` into f(y -> ..., x). */
/* f(args) do x ... end: the closure becomes the first argument (kids[first]). */
static void attach_do_at(parser *p, lxA_node *call, int first)
{
    int line = p->tok.line, col = p->tok.col;
    next(p); /* do */
    lxA_node *lam = node(p, AST_LAMBDA, line, col), *params = node(p, AST_TUPLE, line, col);
    int saved = p->nl_ignore;
    p->nl_ignore = 0;
    while (peek(p)->kind != TK_NEWLINE && !is_op(p, OP_SEMI)) {
        push(p, params, parse_unary(p));
        if (!is_op(p, OP_COMMA)) break;
        next(p);
    }
    push(p, lam, params);
    push(p, lam, parse_block(p, KW_END, -1, -1));
    expect_end(p, "do block", line);
    p->nl_ignore = saved;
    push(p, call, NULL);
    for (int i = call->n - 1; i > first; i--)
        call->kids[i] = call->kids[i - 1];
    call->kids[first] = lam;
}

static void attach_do(parser *p, lxA_node *call)
{
    attach_do_at(p, call, 1); /* after the function */
}

static lxA_node *parse_postfix(parser *p)
{
    lxA_node *e = parse_primary(p);
    for (;;) {
        lxX_token *t = peek(p);
        if (t->kind != TK_OP) {
            if (t->kind == TK_KEYWORD && t->v.kw == KW_DO && e->kind == AST_CALL) {
                attach_do(p, e);
                continue;
            }
            break;
        }
        if ((p->space_sep || p->macro_sep) && t->space_before &&
            (t->v.op == OP_LPAREN || t->v.op == OP_LBRACKET || t->v.op == OP_ADJOINT))
            break;                                        /* [f (x)] is two items */
        if (t->v.op == OP_LPAREN && !literal_number(e)) { /* 3(a + b) multiplies: parse_power */
            lxA_node *c = node2(p, AST_CALL, t->line, t->col, e, NULL);
            next(p);
            p->nl_ignore++;
            bool sep = p->space_sep;
            p->space_sep = false;
            parse_args(p, c, OP_RPAREN, true);
            p->space_sep = sep;
            p->nl_ignore--;
            e = c;
        } else if (t->v.op == OP_LBRACKET) {
            int line = t->line, col = t->col;
            p->in_index++;
            lxA_node *v = parse_vector(p, line, col);
            p->in_index--;
            if (v->kind == AST_VECT) {
                lxA_node *ix = node2(p, AST_INDEX, line, col, e, NULL);
                for (int i = 0; i < v->n; i++)
                    push(p, ix, v->kids[i]);
                e = ix;
            } else { /* Float64[1 2; 3 4], T[x for x in xs] */
                e = node2(p, AST_TYPEDVECT, line, col, e, v);
            }
        } else if (t->v.op == OP_DOT) {
            int line = t->line, col = t->col;
            next(p);
            lxX_token *f = peek(p);
            if (f->kind == TK_OP && f->v.op == OP_LPAREN) { /* f.(x) */
                lxA_node *c = node2(p, AST_DOTCALL, line, col, e, NULL);
                next(p);
                p->nl_ignore++;
                parse_args(p, c, OP_RPAREN, true);
                p->nl_ignore--;
                e = c;
            } else if (f->kind == TK_MACRO) { /* Lux.@compact: macros are built in, the module is moot */
                lxX_token m = *f;
                next(p);
                e = parse_macrocall(p, &m);
            } else if (f->kind == TK_OP && f->v.op == OP_COLON && peek2(p)->kind == TK_OP &&
                       (op_is_function(peek2(p)->v.op) ||
                        peek2(p)->v.op == OP_LPAREN)) { /* Base.:+, Base.:(==) */
                next(p);
                lxA_node *fl = node2(p, AST_FIELD, line, col, e, NULL);
                fl->name = qualified_op(p);
                fl->len = strlen(fl->name);
                e = fl;
            } else if (f->kind == TK_IDENT || f->kind == TK_KEYWORD) {
                lxA_node *fl = node2(p, AST_FIELD, line, col, e, NULL);
                fl->name = copy_name(p, f->text, f->len);
                fl->len = f->len;
                next(p);
                e = fl;
            } else {
                unexpected(p, "a field name after \".\"");
            }
        } else if (t->v.op == OP_ADJOINT) {
            e = node2(p, AST_ADJOINT, t->line, t->col, e, NULL);
            next(p);
        } else if (t->v.op == OP_LBRACE && !t->space_before) { /* type parameters: kept, then ignored */
            lxA_node *c = node2(p, AST_CURLY, t->line, t->col, e, NULL);
            next(p);
            p->nl_ignore++;
            parse_args(p, c, OP_RBRACE, false);
            p->nl_ignore--;
            e = c;
        } else if (t->v.op == OP_DCOLON) {
            next(p);
            e = node2(p, AST_TYPED, e->line, e->col, e, parse_postfix(p));
        } else {
            break;
        }
    }
    return e;
}

/* ---- operators ------------------------------------------------------------------------- */

static lxA_node *parse_power(parser *p)
{
    lxA_node *base = parse_postfix(p);
    lxX_token *t = peek(p);
    /* 2x, 3(a + b): a number literal followed directly by a name or ( multiplies */
    if (literal_number(base) && !t->space_before &&
        (t->kind == TK_IDENT || (t->kind == TK_OP && t->v.op == OP_LPAREN))) {
        lxA_node *m = node2(p, AST_BINOP, base->line, base->col, base, parse_power(p));
        m->op = OP_MUL;
        return m;
    }
    if (t->kind == TK_OP && (t->v.op == OP_POW || t->v.op == OP_DPOW)) {
        lxX_op op = t->v.op;
        int line = t->line, col = t->col;
        next(p);
        skip_nl(p);
        lxA_node *b =
            node2(p, op == OP_POW ? AST_BINOP : AST_DOTOP, line, col, base, parse_unary(p)); /* right assoc */
        b->op = op;
        return b;
    }
    return base;
}

static lxA_node *parse_unary(parser *p)
{
    lxX_token *t = peek(p);
    if (op_as_name(p)) return parse_power(p);       /* -(a, b), !(x) as calls */
    if (t->kind == TK_OP && t->v.op == OP_DCOLON) { /* f(::T): an unnamed typed parameter */
        lxA_node *anon = node(p, AST_IDENT, t->line, t->col);
        anon->name = copy_name(p, "_", 1);
        next(p);
        return node2(p, AST_TYPED, anon->line, anon->col, anon, parse_postfix(p));
    }
    if (t->kind == TK_OP && (t->v.op == OP_SUB || t->v.op == OP_ADD || t->v.op == OP_NOT ||
                             t->v.op == OP_SQRT || t->v.op == OP_DSUB || t->v.op == OP_DADD)) {
        lxX_op op = t->v.op;
        int line = t->line, col = t->col;
        next(p);
        enter(p);
        lxA_node *x = parse_unary(p);
        p->depth--;
        if (op == OP_SUB && (x->kind == AST_INT || x->kind == AST_FLOAT || x->kind == AST_FLOAT32) &&
            x->line == line && x->col == col + 1) { /* -1 is a literal (so -2^2 is -(2^2) still: see below) */
            x->v.i = x->kind == AST_INT ? -x->v.i : x->v.i;
            if (x->kind != AST_INT) x->v.d = -x->v.d;
            x->col = col;
            return x;
        }
        lxA_node *u = node2(p, op == OP_DSUB || op == OP_DADD ? AST_DOTUNOP : AST_UNOP, line, col, x, NULL);
        u->op = op;
        return u;
    }
    return parse_power(p);
}

typedef struct {
    lxX_op op;
    int prec;
} binop;

/* Binary levels above comparison (spec §2). */
static int binary_prec(lxX_op op)
{
    switch (op) {
    case OP_MUL:
    case OP_DIV:
    case OP_LDIV:
    case OP_REM:
    case OP_INTDIV:
    case OP_COMPOSE:
    case OP_DMUL:
    case OP_DDIV:
    case OP_DREM:
    case OP_DINTDIV:
    case OP_AMP: return 5;
    case OP_ADD:
    case OP_SUB:
    case OP_DADD:
    case OP_DSUB:
    case OP_BAR: return 4;
    case OP_COLON: return 3;
    case OP_PIPE:
    case OP_DOTPIPE: return 2;
    default: return 0;
    }
}

static bool dotted(lxX_op op)
{
    return op == OP_DADD || op == OP_DSUB || op == OP_DMUL || op == OP_DDIV || op == OP_DREM ||
           op == OP_DPOW || op == OP_DOTPIPE || op == OP_DEQ || op == OP_DNE || op == OP_DLT ||
           op == OP_DLE || op == OP_DGT || op == OP_DGE || op == OP_DINTDIV;
}

static lxA_node *parse_binary(parser *p, int min_prec)
{
    lxA_node *lhs = parse_unary(p);
    for (;;) {
        lxX_token *t = peek(p);
        if (t->kind != TK_OP) break;
        int prec = binary_prec(t->v.op);
        if (prec < min_prec || prec == 0) break;
        /* [a -b] is two items; [a - b] and [a-b] are one */
        if (t->v.op == OP_COLON && t->space_before && p->in_ternary > 0) break; /* c ? a : b */
        if (t->v.op == OP_COLON && t->space_before && (p->space_sep || p->macro_sep) &&
            !peek2(p)->space_before)
            break; /* @show "s" :x is two items */
        if (p->space_sep && t->space_before && (t->v.op == OP_SUB || t->v.op == OP_ADD)) {
            lxX_token *n2 = peek2(p);
            if (!n2->space_before) break;
        }
        lxX_op op = t->v.op;
        int line = t->line, col = t->col;
        next(p);
        skip_nl(p);
        enter(p);
        lxA_node *rhs = parse_binary(p, prec + 1);
        if ((op == OP_PIPE || op == OP_DOTPIPE) && is_op(p, OP_ARROW)) { /* x |> y -> y + 1 */
            int aline = p->tok.line, acol = p->tok.col;
            next(p);
            lxA_node *params = rhs->kind == AST_TUPLE ? rhs : rhs->kind == AST_PARENS ? rhs->kids[0] : rhs;
            if (params->kind != AST_TUPLE) params = node2(p, AST_TUPLE, rhs->line, rhs->col, params, NULL);
            rhs = node2(p, AST_LAMBDA, aline, acol, params, parse_expr(p));
        }
        p->depth--;
        if (op == OP_COLON) {                            /* a:b and a:s:b */
            if (lhs->kind == AST_RANGE && lhs->n == 2) { /* start:step:stop */
                push(p, lhs, rhs);
                continue;
            }
            lhs = node2(p, AST_RANGE, line, col, lhs, rhs);
            continue;
        }
        lxA_node *b = node2(p, dotted(op) ? AST_DOTOP : AST_BINOP, line, col, lhs, rhs);
        b->op = op;
        lhs = b;
    }
    return lhs;
}

static bool comparison_op(parser *p, lxX_op *op, bool *word)
{
    lxX_token *t = peek(p);
    *word = false;
    if (t->kind == TK_KEYWORD && (t->v.kw == KW_IN || t->v.kw == KW_ISA)) {
        if (p->space_sep) return false;
        *word = true;
        *op = t->v.kw == KW_IN ? OP_ELEM : OP_SUBTYPE; /* isa marked by the name below */
        return true;
    }
    if (t->kind != TK_OP) return false;
    switch (t->v.op) {
    case OP_EQ:
    case OP_NE:
    case OP_NE_U:
    case OP_LT:
    case OP_LE:
    case OP_LE_U:
    case OP_GT:
    case OP_GE:
    case OP_GE_U:
    case OP_APPROX:
    case OP_EGAL:
    case OP_NEGAL:
    case OP_ELEM:
    case OP_NOTELEM:
    case OP_SUBTYPE:
    case OP_DEQ:
    case OP_DNE:
    case OP_DLT:
    case OP_DLE:
    case OP_DGT:
    case OP_DGE:
    case OP_DNE_U:
    case OP_DLE_U:
    case OP_DGE_U:
    case OP_DAPPROX: *op = t->v.op; return true;
    default: return false;
    }
}

/* a < b <= c: operands and ops alternate in one COMPARE node. */
static lxA_node *parse_comparison(parser *p)
{
    lxA_node *lhs = parse_binary(p, 1);
    lxX_op op;
    bool word;
    if (!comparison_op(p, &op, &word)) return lhs;
    lxA_node *c = node2(p, AST_COMPARE, lhs->line, lhs->col, lhs, NULL);
    while (comparison_op(p, &op, &word)) {
        lxA_node *o = node(p, AST_INT, p->tok.line, p->tok.col);
        bool isa = word && p->tok.v.kw == KW_ISA;
        o->v.i = op;
        if (isa) o->name = "isa";
        if (!c->op) c->op = op;
        next(p);
        skip_nl(p);
        push(p, c, o);
        push(p, c, parse_binary(p, 1));
    }
    return c;
}

/* a && b, a || b: left associative, a line break may follow the operator. */
static lxA_node *parse_lazy(parser *p, lxX_op op, lxA_kind kind, lxA_node *(*operand)(parser *))
{
    lxA_node *l = operand(p);
    while (is_op(p, op)) {
        int line = p->tok.line, col = p->tok.col;
        next(p);
        skip_nl(p);
        l = node2(p, kind, line, col, l, operand(p));
    }
    return l;
}

static lxA_node *parse_and(parser *p)
{
    return parse_lazy(p, OP_ANDAND, AST_AND, parse_comparison);
}
static lxA_node *parse_or(parser *p)
{
    return parse_lazy(p, OP_OROR, AST_OR, parse_and);
}

static lxA_node *parse_ternary(parser *p)
{
    lxA_node *c = parse_or(p);
    if (!is_op(p, OP_QUESTION)) return c;
    int line = p->tok.line, col = p->tok.col;
    next(p);
    skip_nl(p);
    enter(p);
    p->in_ternary++;
    lxA_node *a = parse_ternary(p);
    p->in_ternary--;
    expect_op(p, OP_COLON, "in a ? b : c");
    skip_nl(p);
    lxA_node *b = parse_ternary(p);
    p->depth--;
    lxA_node *t = node2(p, AST_TERNARY, line, col, c, a);
    push(p, t, b);
    return t;
}

/* x -> body, (x, y) -> body, () -> body. */
static lxA_node *param_from(parser *p, lxA_node *a, bool keyword);

static lxA_node *parse_arrow(parser *p)
{
    lxA_node *l = parse_ternary(p);
    if (is_op(p, OP_ARROW)) {
        int line = p->tok.line, col = p->tok.col;
        next(p);
        enter(p);
        lxA_node *params = l->kind == AST_TUPLE ? l : l->kind == AST_PARENS ? l->kids[0] : l;
        if (l->kind == AST_BLOCK || l->kind == AST_NAMEDTUPLE) { /* (x; k = 2) -> ..., (; k) -> ... */
            params = node(p, AST_TUPLE, l->line, l->col);
            int first = l->kind == AST_BLOCK ? 1 : 0;
            if (first) push(p, params, l->kids[0]);
            for (int i = first; i < l->n; i++)
                push(p, params, param_from(p, l->kids[i], true));
        } else if (params->kind != AST_TUPLE) {
            params = node2(p, AST_TUPLE, l->line, l->col, params, NULL);
        }
        l = node2(p, AST_LAMBDA, line, col, params, parse_expr(p));
        p->depth--;
        return l;
    }
    if (is_op(p, OP_PAIR)) { /* right associative */
        int line = p->tok.line, col = p->tok.col;
        next(p);
        enter(p);
        l = node2(p, AST_PAIR, line, col, l, parse_arrow(p));
        p->depth--;
    }
    return l;
}

static bool is_assign_op(lxX_op op)
{
    return op == OP_ASSIGN || op == OP_ADD_ASSIGN || op == OP_SUB_ASSIGN || op == OP_MUL_ASSIGN ||
           op == OP_DIV_ASSIGN || op == OP_POW_ASSIGN || op == OP_DOT_ASSIGN || op == OP_DADD_ASSIGN ||
           op == OP_DSUB_ASSIGN || op == OP_DMUL_ASSIGN || op == OP_DDIV_ASSIGN || op == OP_DPOW_ASSIGN;
}

/* x .+= y is x .= x .+ y (Julia's dotted update); 0 for other operators. */
static lxX_op dotted_update(lxX_op op)
{
    switch (op) {
    case OP_DADD_ASSIGN: return OP_DADD;
    case OP_DSUB_ASSIGN: return OP_DSUB;
    case OP_DMUL_ASSIGN: return OP_DMUL;
    case OP_DDIV_ASSIGN: return OP_DDIV;
    case OP_DPOW_ASSIGN: return OP_DPOW;
    default: return (lxX_op)0;
    }
}

static lxA_node *function_from(parser *p, lxA_node *sig, lxA_node *body, int line, int col, bool shortform);

/* Assignment (right associative), and f(x) = body as a definition. */
static lxA_node *parse_expr(parser *p)
{
    enter(p);
    lxA_node *l = parse_arrow(p);
    if (peek(p)->kind == TK_IDENT && p->tok.len == 5 && !memcmp(p->tok.text, "where", 5)) {
        next(p); /* f(x::T) where T = ...: type parameters are accepted and ignored */
        lxA_node *w = node2(p, AST_WHERE, l->line, l->col, l, NULL);
        if (is_op(p, OP_LBRACE)) {
            next(p);
            parse_args(p, w, OP_RBRACE, false);
        } else {
            push(p, w, parse_postfix(p));
        }
        l = w;
    }
    lxX_token *t = peek(p);
    if (t->kind == TK_OP && is_assign_op(t->v.op)) {
        lxX_op op = t->v.op;
        int line = t->line, col = t->col;
        next(p);
        skip_nl(p);
        lxA_node *r = parse_expr(p);
        lxA_node *sig = l;
        while (sig->kind == AST_TYPED || sig->kind == AST_WHERE)
            sig = sig->kids[0];
        if (op == OP_ASSIGN && sig->kind == AST_CALL) {
            l = function_from(p, l, r, l->line, l->col, true);
        } else if (op == OP_ASSIGN) {
            l = node2(p, AST_ASSIGN, line, col, l, r);
        } else if (op == OP_DOT_ASSIGN) {
            l = node2(p, AST_DOTASSIGN, line, col, l, r);
        } else if (dotted_update(op)) {
            lxA_node *rhs = node2(p, AST_DOTOP, line, col, l, r);
            rhs->op = dotted_update(op);
            l = node2(p, AST_DOTASSIGN, line, col, l, rhs);
        } else {
            l = node2(p, AST_OPASSIGN, line, col, l, r);
            l->op = op;
        }
    }
    p->depth--;
    return l;
}

/* ---- definitions ------------------------------------------------------------------------- */

/* A parameter from the expression written in a signature. */
static lxA_node *param_from(parser *p, lxA_node *a, bool keyword)
{
    lxA_node *pr = node(p, AST_PARAM, a->line, a->col);
    if (keyword) pr->flags |= LXA_F_KEYWORD;
    lxA_node *def = NULL, *type = NULL;
    if (a->kind == AST_KW) {
        def = a->kids[0];
        /* f(; lr) = ... : a required keyword (a call's f(; lr) would pass lr = lr) */
        if (keyword && def && def->kind == AST_IDENT && !strcmp(def->name, a->name)) def = NULL;
        lxA_node *id = node(p, AST_IDENT, a->line, a->col);
        id->name = a->name;
        a = id;
    } else if (a->kind == AST_ASSIGN) {
        def = a->kids[1];
        a = a->kids[0];
    }
    if (a->kind == AST_SPLAT) {
        pr->flags |= LXA_F_SPLAT;
        a = a->kids[0];
    }
    if (a->kind == AST_TYPED) {
        type = a->kids[1];
        a = a->kids[0];
    }
    if (a->kind == AST_PARENS) a = a->kids[0];
    if (a->kind != AST_IDENT && a->kind != AST_TUPLE)
        fail(p, a->line, a->col, false,
             "a parameter must be a name (optionally name::Type, name = default or name...)");
    push(p, pr, a);
    push(p, pr, type);
    push(p, pr, def);
    return pr;
}

/* sig is f(args...) or f(args)::T or (l::T)(args) or Mod.f(args), or
 * anonymous (args) for `function (x) ... end`. */
static lxA_node *function_from(parser *p, lxA_node *sig, lxA_node *body, int line, int col, bool shortform)
{
    while (sig->kind == AST_TYPED || sig->kind == AST_WHERE)
        sig = sig->kids[0]; /* return types, where: ignored */
    lxA_node *fn = node(p, AST_FUNCTION, line, col);
    if (shortform) fn->flags |= LXA_F_SHORT;
    lxA_node *name = NULL;
    int first = 1;
    if (sig->kind == AST_CALL) {
        name = sig->kids[0];
        if (name->kind == AST_CURLY) name = name->kids[0];  /* f{T}(x): parameters ignored */
        if (name->kind == AST_PARENS) name = name->kids[0]; /* (l::Linear)(x, ps, st) */
    } else if (sig->kind == AST_TUPLE || sig->kind == AST_PARENS) {
        fn->flags |= LXA_F_ANON;
        first = 0;
    } else if (sig->kind == AST_IDENT || sig->kind == AST_FIELD) { /* function f end */
        name = sig;
        first = sig->n; /* no parameters */
    } else {
        fail(p, sig->line, sig->col, false, "expected a function signature like f(x, y)");
    }
    push(p, fn, name);
    lxA_node *params = node(p, AST_TUPLE, sig->line, sig->col);
    if (sig->kind == AST_CALL || sig->kind == AST_TUPLE || sig->kind == AST_PARENS) {
        for (int i = first; i < sig->n; i++) {
            lxA_node *a = sig->kids[i];
            if (a->kind == AST_PARAM) { /* a keyword, converted by parse_signature */
                push(p, params, a);
            } else if (a->kind == AST_NAMEDTUPLE) { /* (; k = 1) in an anonymous signature */
                for (int j = 0; j < a->n; j++)
                    push(p, params, param_from(p, a->kids[j], true));
            } else {
                /* after ; a keyword; before it, x = 1 is a default, not a keyword */
                push(p, params, param_from(p, a, (a->flags & LXA_F_KEYWORD) != 0));
            }
        }
    }
    push(p, fn, params);
    push(p, fn, body);
    return fn;
}

/* The signature of a long-form definition: parameters after `;` become
 * keyword PARAMs here, since a call's tree does not keep the `;`. */
static lxA_node *parse_signature(parser *p)
{
    int line = peek(p)->line, col = p->tok.col;
    lxA_node *name = NULL;
    if (is_op(p, OP_LPAREN)) { /* anonymous, or a callable struct (l::T)(...) */
        lxA_node *par = parse_parens(p);
        if (!is_op(p, OP_LPAREN)) {
            lxA_node *sig = node(p, AST_TUPLE, line, col);
            if (par->kind == AST_PARENS || par->kind == AST_NAMEDTUPLE)
                push(p, sig, par->kind == AST_PARENS ? par->kids[0] : par);
            else
                for (int i = 0; i < par->n; i++)
                    push(p, sig, par->kids[i]);
            return sig;
        }
        name = par;
    } else {
        name = parse_primary(p);
        while (is_op(p, OP_DOT) || (is_op(p, OP_LBRACE) && !p->tok.space_before)) {
            if (is_op(p, OP_DOT)) {
                next(p);
                lxX_token *f = peek(p);
                lxA_node *fl = node2(p, AST_FIELD, f->line, f->col, name, NULL);
                if (f->kind == TK_OP && f->v.op == OP_COLON && peek2(p)->kind == TK_OP &&
                    (op_is_function(peek2(p)->v.op) ||
                     peek2(p)->v.op == OP_LPAREN)) { /* function Base.:+(a, b) */
                    next(p);
                    fl->name = qualified_op(p);
                } else {
                    if (f->kind != TK_IDENT) unexpected(p, "a name after \".\"");
                    fl->name = copy_name(p, f->text, f->len);
                    next(p);
                }
                name = fl;
            } else {
                lxA_node *c = node2(p, AST_CURLY, p->tok.line, p->tok.col, name, NULL);
                next(p);
                p->nl_ignore++;
                parse_args(p, c, OP_RBRACE, false);
                p->nl_ignore--;
                name = c;
            }
        }
    }
    if (!is_op(p, OP_LPAREN)) return name; /* function f end */
    lxA_node *call = node2(p, AST_CALL, line, col, name, NULL);
    next(p);
    p->nl_ignore++;
    bool kw = false;
    while (!is_op(p, OP_RPAREN)) {
        if (is_op(p, OP_SEMI)) {
            next(p);
            kw = true;
            continue;
        }
        lxA_node *a = parse_item(p, true);
        if (kw) a = param_from(p, a, true); /* after ;: a keyword parameter */
        push(p, call, a);
        if (is_op(p, OP_SEMI)) continue;
        if (!is_op(p, OP_COMMA)) break;
        next(p);
    }
    p->nl_ignore--;
    expect_op(p, OP_RPAREN, "to close the parameter list");
    while (is_op(p, OP_DCOLON)) { /* return type: ignored */
        next(p);
        parse_postfix(p);
    }
    return call;
}

static lxA_node *parse_function(parser *p)
{
    int line = p->tok.line, col = p->tok.col;
    next(p);
    lxA_node *sig = parse_signature(p);
    if (peek(p)->kind == TK_IDENT && p->tok.len == 5 && !memcmp(p->tok.text, "where", 5)) {
        next(p);
        parse_postfix(p); /* where T: type parameters are accepted and ignored */
    }
    lxA_node *body = parse_block(p, KW_END, -1, -1);
    expect_end(p, "function", line);
    /* parameters already converted (after ;) stay PARAMs */
    lxA_node *fn = function_from(p, sig, body, line, col, false);
    return fn;
}

static lxA_node *parse_struct(parser *p, bool mutable_)
{
    int line = p->tok.line, col = p->tok.col;
    next(p); /* struct */
    lxA_node *st = node(p, AST_STRUCT, line, col);
    if (mutable_) st->flags |= LXA_F_MUTABLE;
    lxA_node *name = parse_postfix(p); /* Name or Name{T} */
    lxA_node *super = NULL;
    if (name->kind == AST_CURLY) name = name->kids[0];
    if (is_op(p, OP_SUBTYPE)) {
        next(p);
        super = parse_postfix(p);
    }
    if (name->kind != AST_IDENT) fail(p, name->line, name->col, false, "expected a struct name");
    push(p, st, name);
    push(p, st, super);
    int saved = p->nl_ignore;
    p->nl_ignore = 0;
    for (;;) {
        skip_newlines(p);
        if (is_kw(p, KW_END)) break;
        if (peek(p)->kind == TK_EOF) break;
        if (is_kw(p, KW_CONST)) next(p); /* const fields: accepted */
        push(p, st, parse_statement(p));
    }
    p->nl_ignore = saved;
    expect_end(p, "struct", line);
    return st;
}

/* ---- statements ---------------------------------------------------------------------------- */

static lxA_node *parse_if(parser *p)
{
    int line = p->tok.line, col = p->tok.col;
    next(p); /* if or elseif */
    lxA_node *n = node(p, AST_IF, line, col);
    int saved = p->nl_ignore;
    p->nl_ignore = 0;
    push(p, n, parse_expr(p));
    push(p, n, parse_block(p, KW_ELSEIF, KW_ELSE, KW_END));
    if (is_kw(p, KW_ELSEIF)) {
        push(p, n, parse_if(p)); /* consumes the shared end */
        p->nl_ignore = saved;
        return n;
    }
    if (is_kw(p, KW_ELSE)) {
        next(p);
        push(p, n, parse_block(p, KW_END, -1, -1));
    }
    expect_end(p, "if", line);
    p->nl_ignore = saved;
    return n;
}

static lxA_node *parse_loop(parser *p, bool is_for)
{
    int line = p->tok.line, col = p->tok.col;
    next(p);
    int saved = p->nl_ignore;
    p->nl_ignore = 0;
    lxA_node *n = node(p, is_for ? AST_FOR : AST_WHILE, line, col);
    if (is_for) {
        lxA_node *iters = node(p, AST_BLOCK, line, col);
        for (;;) {
            lxA_node *it = node(p, AST_ITER, p->tok.line, p->tok.col);
            push(p, it, parse_unary(p));
            if (!(is_kw(p, KW_IN) || is_op(p, OP_ASSIGN) || is_op(p, OP_ELEM)))
                unexpected(p, "\"in\" in a for loop");
            next(p);
            push(p, it, parse_ternary(p));
            push(p, iters, it);
            if (!is_op(p, OP_COMMA)) break;
            next(p);
        }
        push(p, n, iters);
    } else {
        push(p, n, parse_expr(p));
    }
    push(p, n, parse_block(p, KW_END, -1, -1));
    expect_end(p, is_for ? "for loop" : "while loop", line);
    p->nl_ignore = saved;
    return n;
}

static lxA_node *parse_try(parser *p)
{
    int line = p->tok.line, col = p->tok.col;
    next(p);
    int saved = p->nl_ignore;
    p->nl_ignore = 0;
    lxA_node *n = node(p, AST_TRY, line, col);
    push(p, n, parse_block(p, KW_CATCH, KW_FINALLY, KW_END));
    lxA_node *var = NULL, *handler = NULL, *fin = NULL;
    if (is_kw(p, KW_CATCH)) {
        next(p);
        if (peek(p)->kind == TK_IDENT) { /* catch err (on the same line) */
            var = parse_primary(p);
        }
        handler = parse_block(p, KW_FINALLY, KW_END, -1);
    }
    if (is_kw(p, KW_FINALLY)) {
        next(p);
        fin = parse_block(p, KW_END, -1, -1);
    }
    expect_end(p, "try", line);
    p->nl_ignore = saved;
    push(p, n, var);
    push(p, n, handler);
    push(p, n, fin);
    return n;
}

static lxA_node *parse_let(parser *p)
{
    int line = p->tok.line, col = p->tok.col;
    next(p);
    int saved = p->nl_ignore;
    p->nl_ignore = 0;
    lxA_node *n = node(p, AST_LET, line, col), *binds = node(p, AST_BLOCK, line, col);
    while (peek(p)->kind != TK_NEWLINE && !is_op(p, OP_SEMI)) {
        push(p, binds, parse_expr(p));
        if (!is_op(p, OP_COMMA)) break;
        next(p);
    }
    push(p, n, binds);
    push(p, n, parse_block(p, KW_END, -1, -1));
    expect_end(p, "let", line);
    p->nl_ignore = saved;
    return n;
}

/* @name args... (space separated, to the end of the line) or @name(args). */
static lxA_node *parse_macrocall(parser *p, const lxX_token *m)
{
    lxA_node *n = node(p, AST_MACROCALL, m->line, m->col);
    n->name = copy_name(p, m->text, m->len);
    n->len = m->len;
    lxX_token *t = peek(p);
    if (t->kind == TK_OP && t->v.op == OP_LPAREN && !t->space_before) {
        next(p);
        p->nl_ignore++;
        bool sep = p->space_sep;
        p->space_sep = false;
        parse_args(p, n, OP_RPAREN, true);
        p->space_sep = sep;
        p->nl_ignore--;
        if (is_kw(p, KW_DO)) attach_do_at(p, n, 0); /* @compact(...) do x ... end */
        return n;
    }
    int saved = p->nl_ignore;
    bool sep = p->space_sep;
    p->nl_ignore = 0;
    p->space_sep = true;
    for (;;) {
        t = peek(p);
        if (t->kind == TK_NEWLINE || t->kind == TK_EOF) break;
        if (t->kind == TK_OP && (t->v.op == OP_SEMI || t->v.op == OP_RPAREN || t->v.op == OP_RBRACKET ||
                                 t->v.op == OP_COMMA || t->v.op == OP_RBRACE))
            break;
        if (t->kind == TK_KEYWORD && (t->v.kw == KW_END || t->v.kw == KW_ELSE || t->v.kw == KW_ELSEIF ||
                                      t->v.kw == KW_CATCH || t->v.kw == KW_FINALLY))
            break;
        /* inside a macro's arguments `name = value` is an argument (@test x ≈ y atol = 1e-3) */
        p->space_sep = false;
        p->macro_sep++;
        lxA_node *a = (t->kind == TK_KEYWORD) ? parse_statement(p) : parse_expr(p);
        p->macro_sep--;
        p->space_sep = true;
        push(p, n, a);
    }
    p->space_sep = sep;
    p->nl_ignore = saved;
    return n;
}

static bool is_definition(const lxA_node *x)
{
    return x->kind == AST_FUNCTION || x->kind == AST_STRUCT || x->kind == AST_CONST ||
           x->kind == AST_ABSTRACT || (x->kind == AST_ASSIGN && x->kids[0]->kind == AST_IDENT) ||
           x->kind == AST_MACROCALL;
}

/* first, then `, item` while commas follow: a TUPLE (`a, b = ...`, `return a, b`). */
static lxA_node *comma_tuple(parser *p, lxA_node *first, lxA_node *(*item)(parser *))
{
    lxA_node *tup = node2(p, AST_TUPLE, first->line, first->col, first, NULL);
    while (is_op(p, OP_COMMA)) {
        next(p);
        push(p, tup, item(p));
    }
    return tup;
}

static lxA_node *parse_names(parser *p, lxA_kind k)
{
    int line = p->tok.line, col = p->tok.col;
    next(p);
    lxA_node *n = node(p, k, line, col);
    for (;;) {
        lxA_node *m = parse_postfix(p);
        push(p, n, m);
        if (is_op(p, OP_COLON)) { /* using Lux: Dense, Chain: the names after : come from that module */
            next(p);
            for (;;) {
                parse_postfix(p);
                if (!is_op(p, OP_COMMA)) break;
                next(p);
            }
            break;
        }
        if (!is_op(p, OP_COMMA)) break;
        next(p);
    }
    return n;
}

/* An item of a bare tuple, where `rest...` may end a destructuring: a, rest... = x */
static lxA_node *parse_arrow_splat(parser *p)
{
    lxA_node *e = parse_arrow(p);
    if (is_op(p, OP_DOTS)) {
        lxA_node *sp = node(p, AST_SPLAT, e->line, e->col);
        push(p, sp, e);
        next(p);
        return sp;
    }
    return e;
}

static lxA_node *parse_statement(parser *p)
{
    lxX_token *t = peek(p);
    int line = t->line, col = t->col;
    if (t->kind == TK_KEYWORD) {
        switch (t->v.kw) {
        case KW_FUNCTION: return parse_function(p);
        case KW_FOR: return parse_loop(p, true);
        case KW_WHILE: return parse_loop(p, false);
        case KW_STRUCT: return parse_struct(p, false);
        case KW_MUTABLE:
            next(p);
            if (!is_kw(p, KW_STRUCT)) unexpected(p, "\"struct\" after \"mutable\"");
            return parse_struct(p, true);
        case KW_ABSTRACT: {
            next(p);
            if (!(peek(p)->kind == TK_IDENT && p->tok.len == 4 && !memcmp(p->tok.text, "type", 4)))
                unexpected(p, "\"type\" after \"abstract\"");
            next(p);
            lxA_node *n = node(p, AST_ABSTRACT, line, col), *name = parse_postfix(p), *super = NULL;
            if (name->kind == AST_CURLY) name = name->kids[0];
            if (is_op(p, OP_SUBTYPE)) {
                next(p);
                super = parse_postfix(p);
            }
            push(p, n, name);
            push(p, n, super);
            expect_end(p, "abstract type", line);
            return n;
        }
        case KW_RETURN: {
            next(p);
            lxA_node *n = node(p, AST_RETURN, line, col);
            lxX_token *u = peek(p);
            if (!(u->kind == TK_NEWLINE || u->kind == TK_EOF ||
                  (u->kind == TK_KEYWORD && u->v.kw == KW_END) || (u->kind == TK_OP && u->v.op == OP_SEMI))) {
                lxA_node *e = parse_expr(p);
                push(p, n, is_op(p, OP_COMMA) ? comma_tuple(p, e, parse_expr) : e); /* return a, b */
            }
            return n;
        }
        case KW_BREAK: next(p); return node(p, AST_BREAK, line, col);
        case KW_CONTINUE: next(p); return node(p, AST_CONTINUE, line, col);
        case KW_LOCAL:
        case KW_GLOBAL:
        case KW_CONST: {
            lxA_kind k = t->v.kw == KW_LOCAL ? AST_LOCAL : t->v.kw == KW_GLOBAL ? AST_GLOBAL : AST_CONST;
            next(p);
            lxA_node *n = node(p, k, line, col);
            for (;;) {
                push(p, n, parse_expr(p));
                if (!is_op(p, OP_COMMA)) break;
                next(p);
            }
            return n;
        }
        case KW_USING: return parse_names(p, AST_USING);
        case KW_IMPORT: return parse_names(p, AST_IMPORT);
        case KW_MODULE:
            fail(p, line, col, false, "module definitions are not supported; use include(\"file.lx\")");
        default: break;
        }
    }
    if (t->kind == TK_IDENT && t->len == 5 && !memcmp(t->text, "macro", 5) && peek2(p)->kind == TK_IDENT)
        fail(p, line, col, false, "macros cannot be defined in lx: the macros are built in (spec §8)");
    /* expression statement; `a, b = rhs` destructures and `x = 1, 2` makes a tuple */
    lxA_node *e = parse_expr(p);
    if (e->kind == AST_STRING && peek(p)->kind == TK_NEWLINE && p->nl_ignore == 0) {
        /* a docstring: the string directly before a definition */
        lxX_token *n2 = peek2(p);
        bool def = n2->kind == TK_KEYWORD &&
                   (n2->v.kw == KW_FUNCTION || n2->v.kw == KW_STRUCT || n2->v.kw == KW_MUTABLE ||
                    n2->v.kw == KW_CONST || n2->v.kw == KW_ABSTRACT);
        if (def || n2->kind == TK_IDENT || n2->kind == TK_MACRO ||
            (n2->kind == TK_OP && op_is_function(n2->v.op))) {
            next(p); /* the newline */
            lxA_node *d = parse_statement(p);
            if (def || is_definition(d)) return node2(p, AST_DOC, line, col, e, d);
            return node2(p, AST_BLOCK, line, col, e, d); /* a string, then an ordinary statement */
        }
    }
    if (!is_op(p, OP_COMMA) || p->nl_ignore > 0) return e;
    if (e->kind == AST_ASSIGN) {
        e->kids[1] = comma_tuple(p, e->kids[1], parse_expr);
        return e;
    }
    if (e->kind == AST_FUNCTION && (e->flags & LXA_F_SHORT)) { /* f(x) = a, b returns the tuple, as Julia */
        e->kids[2] = comma_tuple(p, e->kids[2], parse_expr);
        return e;
    }
    lxA_node *tup = comma_tuple(p, e, parse_arrow_splat);
    if (!is_op(p, OP_ASSIGN)) return tup;
    int aline = p->tok.line, acol = p->tok.col;
    next(p);
    lxA_node *r = parse_expr(p);
    if (is_op(p, OP_COMMA)) r = comma_tuple(p, r, parse_expr);
    return node2(p, AST_ASSIGN, aline, acol, tup, r);
}

/* Statements until one of the stop keywords (or EOF at top level). */
static lxA_node *parse_block(parser *p, int stop1, int stop2, int stop3)
{
    int saved = p->nl_ignore;
    p->nl_ignore = 0;
    lxA_node *b = node(p, AST_BLOCK, peek(p)->line, p->tok.col);
    enter(p);
    for (;;) {
        skip_newlines(p);
        lxX_token *t = peek(p);
        if (t->kind == TK_EOF) {
            if (stop1 >= 0) unexpected(p, "\"end\"");
            break;
        }
        if (t->kind == TK_KEYWORD &&
            ((int)t->v.kw == stop1 || (int)t->v.kw == stop2 || (int)t->v.kw == stop3))
            break;
        push(p, b, parse_statement(p));
        t = peek(p);
        if (!(t->kind == TK_NEWLINE || t->kind == TK_EOF || (t->kind == TK_OP && t->v.op == OP_SEMI) ||
              (t->kind == TK_KEYWORD &&
               ((int)t->v.kw == stop1 || (int)t->v.kw == stop2 || (int)t->v.kw == stop3))))
            unexpected(p, "the end of the statement");
    }
    p->depth--;
    p->nl_ignore = saved;
    return b;
}

lxA_node *lxP_parse(const char *src, size_t len, const char *chunk, lxA_arena *arena, lxP_result *res)
{
    parser *p = lxA_alloc(arena, sizeof *p);
    memset(res, 0, sizeof *res);
    res->ok = true;
    if (!p) {
        res->ok = false;
        snprintf(res->message, sizeof res->message, "out of memory while parsing");
        return NULL;
    }
    lxX_init(&p->lx, src, len, chunk, arena->alloc, arena->ud);
    p->arena = arena;
    p->res = res;
    lxA_node *top = NULL;
    if (setjmp(p->jb) == 0) {
        next(p);
        top = parse_block(p, -1, -1, -1);
    }
    lxX_free(&p->lx);
    return res->ok ? top : NULL;
}

size_t lxP_format_error(const char *src, size_t len, const char *chunk, const lxP_result *res, char *buf,
                        size_t n)
{
    const char *line = src, *end = src + len;
    for (int l = 1; l < res->line && line < end; line++)
        if (*line == '\n') l++;
    const char *eol = line;
    while (eol < end && *eol != '\n' && *eol != '\r')
        eol++;
    /* the caret sits under the column'th character; tabs keep their width */
    char pad[256];
    size_t k = 0;
    const char *q = line;
    for (int c = 1; c < res->col && q < eol && k < sizeof pad - 1; q++) {
        if (((unsigned char)*q & 0xc0) == 0x80) continue;
        pad[k++] = *q == '\t' ? '\t' : ' ';
        c++;
    }
    pad[k] = '\0';
    int shown = (int)(eol - line > 200 ? 200 : eol - line);
    return (size_t)snprintf(buf, n, "%s:%d:%d: %s\n%.*s\n%s^", chunk, res->line, res->col, res->message,
                            shown, line, pad);
}
