/* unparse.c — a syntax tree back to source text, as Julia prints an
 * expression: what @show, @test and @assert print, and the signatures that
 * MethodError and help list.
 */
#include "runtime.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    char *buf;
    size_t n, k;
} out;

static void put(out *o, const char *s, size_t len)
{
    if (o->k < o->n) {
        size_t m = o->n - o->k - 1 < len ? o->n - o->k - 1 : len;
        memcpy(o->buf + o->k, s, m);
        o->buf[o->k + m] = '\0';
    }
    o->k += len;
}

static void puts_(out *o, const char *s)
{
    put(o, s, strlen(s));
}

static void un(out *o, const lxA_node *n);

static void list(out *o, lxA_node *const *kids, int n, const char *sep)
{
    for (int i = 0; i < n; i++) {
        if (i) puts_(o, sep);
        un(o, kids[i]);
    }
}

static void comprehension(out *o, const lxA_node *n, bool parens);

static void args(out *o, const lxA_node *n, int from)
{
    bool semi = false;
    if (n->n == from + 1 && n->kids[from] && n->kids[from]->kind == AST_GENERATOR) {
        comprehension(o, n->kids[from], false); /* sum(x for x in xs) */
        return;
    }
    for (int i = from; i < n->n; i++) {
        const lxA_node *a = n->kids[i];
        bool kw = a->kind == AST_KW || (a->kind == AST_PARAM && (a->flags & LXA_F_KEYWORD));
        if (i > from)
            puts_(o, kw && !semi ? "; " : ", ");
        else if (kw)
            puts_(o, "; ");
        if (kw) semi = true;
        un(o, a);
    }
}

static void un(out *o, const lxA_node *n)
{
    char num[64];
    if (!n) return;
    switch (n->kind) {
    case AST_INT:
        snprintf(num, sizeof num, "%lld", (long long)n->v.i);
        puts_(o, num);
        return;
    case AST_FLOAT:
    case AST_FLOAT32: {
        char tmp[64];
        /* the shortest text that reads back to the same number */
        for (int prec = 1; prec <= 17; prec++) {
            snprintf(tmp, sizeof tmp, "%.*g", prec, n->v.d);
            double back = 0;
            sscanf(tmp, "%lf", &back);
            if (n->kind == AST_FLOAT32 ? (float)back == (float)n->v.d : back == n->v.d) break;
        }
        puts_(o, tmp);
        if (!strpbrk(tmp, ".eni"))
            puts_(o, n->kind == AST_FLOAT32 ? "f0" : ".0");
        else if (n->kind == AST_FLOAT32)
            puts_(o, "f0");
        return;
    }
    case AST_IDENT: puts_(o, n->name); return;
    case AST_SYMBOL:
        if (!strcmp(n->name, ":")) {
            puts_(o, ":");
            return;
        }
        puts_(o, ":");
        puts_(o, n->name);
        return;
    case AST_BOOL: puts_(o, n->v.i ? "true" : "false"); return;
    case AST_NOTHING: puts_(o, "nothing"); return;
    case AST_END: puts_(o, "end"); return;
    case AST_BEGIN: puts_(o, "begin"); return;
    case AST_STRTEXT: put(o, n->name, n->len); return;
    case AST_STRING:
        puts_(o, "\"");
        for (int i = 0; i < n->n; i++) {
            const lxA_node *k = n->kids[i];
            if (k->kind == AST_STRTEXT) {
                for (size_t j = 0; j < k->len; j++) {
                    char c = k->name[j];
                    if (c == '"' || c == '\\' || c == '$') put(o, "\\", 1);
                    if (c == '\n')
                        puts_(o, "\\n");
                    else
                        put(o, &c, 1);
                }
            } else {
                puts_(o, "$(");
                un(o, k);
                puts_(o, ")");
            }
        }
        puts_(o, "\"");
        return;
    case AST_CALL:
        un(o, n->kids[0]);
        puts_(o, "(");
        args(o, n, 1);
        puts_(o, ")");
        return;
    case AST_DOTCALL:
        un(o, n->kids[0]);
        puts_(o, ".(");
        args(o, n, 1);
        puts_(o, ")");
        return;
    case AST_MACROCALL:
        puts_(o, "@");
        puts_(o, n->name);
        for (int i = 0; i < n->n; i++) {
            puts_(o, " ");
            un(o, n->kids[i]);
        }
        return;
    case AST_KW:
        puts_(o, n->name);
        puts_(o, " = ");
        un(o, n->kids[0]);
        return;
    case AST_SPLAT:
        un(o, n->kids[0]);
        puts_(o, "...");
        return;
    case AST_BINOP:
    case AST_DOTOP: {
        bool tight = n->op == OP_POW || n->op == OP_DPOW || n->op == OP_COLON;
        un(o, n->kids[0]);
        puts_(o, tight ? "" : " ");
        puts_(o, lxX_op_name(n->op));
        puts_(o, tight ? "" : " ");
        un(o, n->kids[1]);
        return;
    }
    case AST_UNOP:
    case AST_DOTUNOP:
        puts_(o, lxX_op_name(n->op));
        un(o, n->kids[0]);
        return;
    case AST_COMPARE:
        un(o, n->kids[0]);
        for (int i = 1; i + 1 < n->n; i += 2) {
            puts_(o, " ");
            puts_(o, n->kids[i]->name ? n->kids[i]->name : lxX_op_name((lxX_op)n->kids[i]->v.i));
            puts_(o, " ");
            un(o, n->kids[i + 1]);
        }
        return;
    case AST_AND:
    case AST_OR:
        un(o, n->kids[0]);
        puts_(o, n->kind == AST_AND ? " && " : " || ");
        un(o, n->kids[1]);
        return;
    case AST_TERNARY:
        un(o, n->kids[0]);
        puts_(o, " ? ");
        un(o, n->kids[1]);
        puts_(o, " : ");
        un(o, n->kids[2]);
        return;
    case AST_RANGE: list(o, n->kids, n->n, ":"); return;
    case AST_PAIR:
        un(o, n->kids[0]);
        puts_(o, " => ");
        un(o, n->kids[1]);
        return;
    case AST_INDEX:
        un(o, n->kids[0]);
        puts_(o, "[");
        list(o, n->kids + 1, n->n - 1, ", ");
        puts_(o, "]");
        return;
    case AST_FIELD:
        un(o, n->kids[0]);
        puts_(o, ".");
        puts_(o, n->name);
        return;
    case AST_ADJOINT:
        un(o, n->kids[0]);
        puts_(o, "'");
        return;
    case AST_TUPLE:
        puts_(o, "(");
        list(o, n->kids, n->n, ", ");
        if (n->n == 1) puts_(o, ",");
        puts_(o, ")");
        return;
    case AST_NAMEDTUPLE:
        puts_(o, "(");
        list(o, n->kids, n->n, ", ");
        if (n->n == 1) puts_(o, ",");
        puts_(o, ")");
        return;
    case AST_PARENS:
        puts_(o, "(");
        un(o, n->kids[0]);
        puts_(o, ")");
        return;
    case AST_VECT:
        puts_(o, "[");
        list(o, n->kids, n->n, ", ");
        puts_(o, "]");
        return;
    case AST_ROW: list(o, n->kids, n->n, " "); return; /* a row of a VCAT */
    case AST_HCAT:                                     /* [a b] */
        puts_(o, "[");
        list(o, n->kids, n->n, " ");
        puts_(o, "]");
        return;
    case AST_VCAT: /* [a b; c d] */
        puts_(o, "[");
        list(o, n->kids, n->n, "; ");
        puts_(o, "]");
        return;
    case AST_TYPEDVECT: /* T[a b], T[a b; c d], T[f(x) for x in xs]: the literal brings its brackets */
        un(o, n->kids[0]);
        un(o, n->kids[1]);
        return;
    case AST_COMPREHENSION:
    case AST_GENERATOR: comprehension(o, n, true); return;
    case AST_LAMBDA:
        if (n->kids[0]->n == 1)
            un(o, n->kids[0]->kids[0]);
        else
            un(o, n->kids[0]);
        puts_(o, " -> ");
        un(o, n->kids[1]);
        return;
    case AST_ASSIGN:
    case AST_OPASSIGN:
    case AST_DOTASSIGN:
        un(o, n->kids[0]);
        puts_(o, n->kind == AST_ASSIGN ? " = " : n->kind == AST_DOTASSIGN ? " .= " : " ");
        if (n->kind == AST_OPASSIGN) {
            puts_(o, lxX_op_name(n->op));
            puts_(o, " ");
        }
        un(o, n->kids[1]);
        return;
    case AST_TYPED:
        un(o, n->kids[0]);
        puts_(o, "::");
        un(o, n->kids[1]);
        return;
    case AST_CURLY:
        un(o, n->kids[0]);
        puts_(o, "{");
        list(o, n->kids + 1, n->n - 1, ", ");
        puts_(o, "}");
        return;
    case AST_PARAM:
        un(o, n->kids[0]);
        if (n->kids[1]) {
            puts_(o, "::");
            un(o, n->kids[1]);
        }
        if (n->flags & LXA_F_SPLAT) puts_(o, "...");
        if (n->kids[2]) {
            puts_(o, " = ");
            un(o, n->kids[2]);
        }
        return;
    case AST_BLOCK:
        if (n->n == 1) {
            un(o, n->kids[0]);
            return;
        }
        puts_(o, "begin ");
        list(o, n->kids, n->n, "; ");
        puts_(o, " end");
        return;
    case AST_IF:
        puts_(o, "if ");
        un(o, n->kids[0]);
        puts_(o, " … end");
        return;
    case AST_FUNCTION: puts_(o, "function … end"); return;
    default: puts_(o, lxA_kind_name(n->kind)); return;
    }
}

/* [f(x) for x in xs, y in ys if c], (f(x) for x in xs for y in ys): brackets for a comprehension,
 * parentheses for a generator unless it is a call's only argument (parens false). */
static void comprehension(out *o, const lxA_node *n, bool parens)
{
    bool comp = n->kind == AST_COMPREHENSION;
    if (comp || parens) puts_(o, comp ? "[" : "(");
    un(o, n->kids[0]);
    for (int i = 1; i < n->n; i++) {
        const lxA_node *k = n->kids[i];
        if (k && k->kind == AST_ITER) {
            puts_(o, k->flags & LXA_F_COMMA ? ", " : " for ");
            un(o, k->kids[0]);
            puts_(o, " in ");
            un(o, k->kids[1]);
        } else {
            puts_(o, " if ");
            un(o, k);
        }
    }
    if (comp || parens) puts_(o, comp ? "]" : ")");
}

size_t lxA_unparse(const lxA_node *n, char *buf, size_t size)
{
    out o = {buf, size, 0};
    if (size) buf[0] = '\0';
    un(&o, n);
    return o.k;
}
