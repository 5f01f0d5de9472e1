/* macros.c — the built-in macros of spec §8 that are not tests: each one
 * rewrites its call's syntax tree into ordinary code (calls of the
 * functions below), so it can see its arguments' text (`@show x` prints
 * `x = ...`) and names (`@set! ps.a.b = v` rebinds `ps`).
 */
#include "lib.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* ---- building syntax ------------------------------------------------------------------------------ */

lxA_node *lxL_node(lx_State *L, void *arena, lxA_kind k, const lxA_node *at)
{
    lxA_node *n = lxA_new(arena, k, at->line, at->col, 0);
    if (!n) lxD_throw(L, LX_ERRMEM, "OutOfMemoryError: expanding a macro");
    return n;
}

void lxL_push(lx_State *L, void *arena, lxA_node *p, lxA_node *kid)
{
    if (!lxA_push(arena, p, kid)) lxD_throw(L, LX_ERRMEM, "OutOfMemoryError: expanding a macro");
}

lxA_node *lxL_ident(lx_State *L, void *arena, const char *name, const lxA_node *at)
{
    lxA_node *n = lxL_node(L, arena, AST_IDENT, at);
    size_t len = strlen(name);
    char *s = lxA_alloc(arena, len + 1);
    if (!s) lxD_throw(L, LX_ERRMEM, "OutOfMemoryError: expanding a macro");
    memcpy(s, name, len + 1);
    n->name = s;
    n->len = len;
    return n;
}

lxA_node *lxL_strlit(lx_State *L, void *arena, const char *text, const lxA_node *at)
{
    lxA_node *s = lxL_node(L, arena, AST_STRING, at), *t = lxL_node(L, arena, AST_STRTEXT, at);
    size_t len = strlen(text);
    char *c = lxA_alloc(arena, len + 1);
    if (!c) lxD_throw(L, LX_ERRMEM, "OutOfMemoryError: expanding a macro");
    memcpy(c, text, len + 1);
    t->name = c;
    t->len = len;
    lxL_push(L, arena, s, t);
    return s;
}

/* fname(args...) */
lxA_node *lxL_call(lx_State *L, void *arena, const char *fname, const lxA_node *at, int n, lxA_node **args)
{
    lxA_node *c = lxL_node(L, arena, AST_CALL, at);
    lxL_push(L, arena, c, lxL_ident(L, arena, fname, at));
    for (int i = 0; i < n; i++)
        lxL_push(L, arena, c, args[i]);
    return c;
}

/* () -> body */
lxA_node *lxL_thunk(lx_State *L, void *arena, lxA_node *body, const lxA_node *at)
{
    lxA_node *lam = lxL_node(L, arena, AST_LAMBDA, at);
    lxL_push(L, arena, lam, lxL_node(L, arena, AST_TUPLE, at));
    lxL_push(L, arena, lam, body);
    return lam;
}

/* "file:line" of a node, for messages. */
lxA_node *lxL_where(lx_State *L, void *arena, const lxA_node *at)
{
    char buf[300];
    lx_Value f = L->current_file;
    snprintf(buf, sizeof buf, "%s:%d", lxO_is(f, LXO_STRING) ? lxO_as(lxO_string, f)->data : "REPL",
             at->line);
    return lxL_strlit(L, arena, buf, at);
}

lxA_node *lxL_text(lx_State *L, void *arena, const lxA_node *e)
{
    char buf[1024];
    lxA_unparse(e, buf, sizeof buf);
    return lxL_strlit(L, arena, buf, e);
}

static void want_args(lx_State *L, const lxA_node *m, int lo, int hi)
{
    if (m->n < lo || m->n > hi)
        lxE_error(L, LXT_ParseError, "@%s takes %d%s argument%s, got %d (line %d)", m->name, lo,
                  hi > lo ? " or more" : "", lo == 1 && hi == 1 ? "" : "s", m->n, m->line);
}

/* ---- the macros ------------------------------------------------------------------------------------ */

/* @show a b: prints `a = <repr>` for each, returns the last value. */
static lxA_node *m_show(lx_State *L, void *arena, lxA_node *m)
{
    want_args(L, m, 1, 64);
    lxA_node *b = lxL_node(L, arena, AST_BLOCK, m);
    for (int i = 0; i < m->n; i++) {
        lxA_node *args[2] = {lxL_text(L, arena, m->kids[i]), m->kids[i]};
        lxL_push(L, arena, b, lxL_call(L, arena, "__show_expr", m, 2, args));
    }
    return b;
}

static lxA_node *m_assert(lx_State *L, void *arena, lxA_node *m)
{
    want_args(L, m, 1, 2);
    /* if !(cond) __assert_failed("text" or msg) end: the value is nothing */
    lxA_node *msg = m->n > 1 ? m->kids[1] : lxL_text(L, arena, m->kids[0]);
    lxA_node *iff = lxL_node(L, arena, AST_IF, m), *neg = lxL_node(L, arena, AST_UNOP, m),
             *then = lxL_node(L, arena, AST_BLOCK, m);
    neg->op = OP_NOT;
    lxL_push(L, arena, neg, m->kids[0]);
    lxL_push(L, arena, then, lxL_call(L, arena, "__assert_failed", m, 1, &msg));
    lxL_push(L, arena, iff, neg);
    lxL_push(L, arena, iff, then);
    return iff;
}

static lxA_node *m_time(lx_State *L, void *arena, lxA_node *m)
{
    want_args(L, m, 1, 1);
    lxA_node *args[1] = {lxL_thunk(L, arena, m->kids[0], m)};
    return lxL_call(L, arena, "__time", m, 1, args);
}

static lxA_node *m_elapsed(lx_State *L, void *arena, lxA_node *m)
{
    want_args(L, m, 1, 1);
    lxA_node *args[1] = {lxL_thunk(L, arena, m->kids[0], m)};
    return lxL_call(L, arena, "__elapsed", m, 1, args);
}

static lxA_node *m_passthrough(lx_State *L, void *arena, lxA_node *m)
{
    want_args(L, m, 1, 1);
    return m->kids[0];
}

/* @view x[i, j]: view(x, i, j), `end` meaning x's last position (the compiler reads the flag). */
static lxA_node *m_view(lx_State *L, void *arena, lxA_node *m)
{
    want_args(L, m, 1, 1);
    lxA_node *e = m->kids[0];
    while (e->kind == AST_PARENS)
        e = e->kids[0];
    if (e->kind != AST_INDEX)
        lxE_error(L, LXT_ArgumentError,
                  "Invalid use of @view macro: argument must be a reference expression A[...] (line %d)",
                  m->line);
    e->flags |= LXA_F_VIEW;
    return e;
}

/* @views: every x[...] read inside e becomes __maybeview(x, ...), as Julia's @views; the target of an
 * assignment (x[i] = v, x[i] += v, x[i] .= v) stays an assignment, though its indices are read. */
static void views_all(lx_State *L, lxA_node *e, int depth)
{
    if (!e) return;
    if (depth > 400) lxE_error(L, LXT_ParseError, "@views: the expression is nested too deeply");
    if (e->kind == AST_INDEX) e->flags |= LXA_F_MAYBEVIEW;
    if ((e->kind == AST_ASSIGN || e->kind == AST_OPASSIGN || e->kind == AST_DOTASSIGN) && e->n == 2 &&
        e->kids[0] && e->kids[0]->kind == AST_INDEX) {
        lxA_node *t = e->kids[0];
        for (int i = 0; i < t->n; i++)
            views_all(L, t->kids[i], depth + 1);
        views_all(L, e->kids[1], depth + 1);
        return;
    }
    for (int i = 0; i < e->n; i++)
        views_all(L, e->kids[i], depth + 1);
}

static lxA_node *m_views(lx_State *L, void *arena, lxA_node *m)
{
    want_args(L, m, 1, 1);
    views_all(L, m->kids[0], 0);
    return m->kids[0];
}

static lxA_node *log_macro(lx_State *L, void *arena, lxA_node *m, const char *level)
{
    want_args(L, m, 1, 64);
    lxA_node *args[66];
    int n = 0;
    args[n++] = lxL_strlit(L, arena, level, m);
    for (int i = 0; i < m->n; i++) {
        lxA_node *a = m->kids[i];
        if (a->kind == AST_ASSIGN && a->kids[0]->kind == AST_IDENT) { /* key = value */
            lxA_node *pair = lxL_node(L, arena, AST_PAIR, a);
            lxL_push(L, arena, pair, lxL_strlit(L, arena, a->kids[0]->name, a));
            lxL_push(L, arena, pair, a->kids[1]);
            args[n++] = pair;
        } else if (i > 0 && a->kind == AST_IDENT) { /* @info "msg" x: x = value */
            lxA_node *pair = lxL_node(L, arena, AST_PAIR, a);
            lxL_push(L, arena, pair, lxL_strlit(L, arena, a->name, a));
            lxL_push(L, arena, pair, a);
            args[n++] = pair;
        } else {
            args[n++] = a;
        }
    }
    return lxL_call(L, arena, "__log", m, n, args);
}

static lxA_node *m_info(lx_State *L, void *arena, lxA_node *m)
{
    return log_macro(L, arena, m, "Info");
}
static lxA_node *m_warn(lx_State *L, void *arena, lxA_node *m)
{
    return log_macro(L, arena, m, "Warning");
}
static lxA_node *m_error(lx_State *L, void *arena, lxA_node *m)
{
    return log_macro(L, arena, m, "Error");
}

/* @. x .+ f(y): every call and operator dotted. */
static lxA_node *dot_all(lx_State *L, void *arena, lxA_node *e)
{
    if (!e) return e;
    switch (e->kind) {
    case AST_CALL:
        e->kind = AST_DOTCALL;
        for (int i = 1; i < e->n; i++)
            e->kids[i] = dot_all(L, arena, e->kids[i]);
        return e;
    case AST_BINOP:
        switch (e->op) {
        case OP_ADD: e->op = OP_DADD; break;
        case OP_SUB: e->op = OP_DSUB; break;
        case OP_MUL: e->op = OP_DMUL; break;
        case OP_DIV: e->op = OP_DDIV; break;
        case OP_POW: e->op = OP_DPOW; break;
        case OP_REM: e->op = OP_DREM; break;
        case OP_INTDIV: e->op = OP_DINTDIV; break;
        default: break;
        }
        e->kind = AST_DOTOP;
        break;
    case AST_UNOP:
        if (e->op == OP_SUB) {
            e->kind = AST_DOTUNOP;
            e->op = OP_DSUB;
        }
        break;
    case AST_ASSIGN: e->kind = AST_DOTASSIGN; break;
    case AST_COMPARE:
        for (int i = 1; i < e->n; i += 2) {
            lxX_op op = (lxX_op)e->kids[i]->v.i;
            lxX_op d = op == OP_EQ       ? OP_DEQ
                       : op == OP_NE     ? OP_DNE
                       : op == OP_LT     ? OP_DLT
                       : op == OP_LE     ? OP_DLE
                       : op == OP_GT     ? OP_DGT
                       : op == OP_GE     ? OP_DGE
                       : op == OP_NE_U   ? OP_DNE_U
                       : op == OP_LE_U   ? OP_DLE_U
                       : op == OP_GE_U   ? OP_DGE_U
                       : op == OP_APPROX ? OP_DAPPROX
                                         : op;
            e->kids[i]->v.i = d;
        }
        break;
    default: break;
    }
    int from = e->kind == AST_DOTASSIGN ? 1 : 0;
    for (int i = from; i < e->n; i++)
        if (e->kind != AST_COMPARE || i % 2 == 0) e->kids[i] = dot_all(L, arena, e->kids[i]);
    return e;
}

static lxA_node *m_dot(lx_State *L, void *arena, lxA_node *m)
{
    want_args(L, m, 1, 1);
    return dot_all(L, arena, m->kids[0]);
}

static lxA_node *m_printf(lx_State *L, void *arena, lxA_node *m)
{
    want_args(L, m, 1, 64);
    return lxL_call(L, arena, "__printf", m, m->n, m->kids);
}

static lxA_node *m_sprintf(lx_State *L, void *arena, lxA_node *m)
{
    want_args(L, m, 1, 64);
    return lxL_call(L, arena, "__sprintf", m, m->n, m->kids);
}

/* @set! a.b.c = v  →  a = __setpath(a, (:b, :c), v) */
static lxA_node *m_set(lx_State *L, void *arena, lxA_node *m)
{
    want_args(L, m, 1, 1);
    lxA_node *as = m->kids[0];
    if (as->kind != AST_ASSIGN || as->kids[0]->kind != AST_FIELD)
        lxE_error(L, LXT_ParseError, "@set! expects `x.field = value` (line %d)", m->line);
    lxA_node *path = lxL_node(L, arena, AST_TUPLE, m), *t = as->kids[0];
    lxA_node *fields[64];
    int nf = 0;
    while (t->kind == AST_FIELD && nf < 64) {
        lxA_node *sym = lxL_node(L, arena, AST_SYMBOL, t);
        sym->name = t->name;
        sym->len = strlen(t->name);
        fields[nf++] = sym;
        t = t->kids[0];
    }
    if (t->kind != AST_IDENT)
        lxE_error(L, LXT_ParseError, "@set! needs a variable at the root of the path (line %d)", m->line);
    for (int i = nf - 1; i >= 0; i--)
        lxL_push(L, arena, path, fields[i]);
    lxA_node *args[3] = {t, path, as->kids[1]};
    lxA_node *r = lxL_node(L, arena, AST_ASSIGN, m);
    lxL_push(L, arena, r, lxL_ident(L, arena, t->name, t));
    lxL_push(L, arena, r, lxL_call(L, arena, "__setpath", m, 3, args));
    return r;
}

/* ---- what they call --------------------------------------------------------------------------------- */

static lx_Value f_show_expr(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxW_buf b;
    lxW_init(L, &b);
    lxW_add(&b, lxO_as(lxO_string, a[0])->data, lxO_as(lxO_string, a[0])->len);
    lxW_puts(&b, " = ");
    lxL_printvalue(L, &b, a[1], true);
    lxW_puts(&b, "\n");
    lxL_iowrite(L, lxG_get(L, "stdout"), b.s, b.len);
    lxW_free(&b);
    return a[1];
}

/* __maybeview(x, i...): what @views makes of x[i...]: a view of a tensor, unless every index is a
 * number (then the element, as Julia's maybeview); getindex for anything else (a List's slice is a copy). */
static lx_Value f_maybeview(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value args[128];
    if (n > 128) lxE_error(L, LXT_ArgumentError, "@views: too many indices");
    bool numbers = true;
    for (int i = 0; i < n; i++) {
        args[i] = a[i];
        if (i) numbers &= lxO_isnumber(a[i]);
    }
    bool view = lxO_is(a[0], LXO_TENSOR) && !numbers;
    return lxL_callg(L, view ? "view" : "getindex", args, n);
}

static lx_Value f_assert_failed(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxW_buf b;
    lxW_init(L, &b);
    lxL_printvalue(L, &b, a[0], false);
    lx_Value e = lxE_new(L, LXT_AssertionError, b.s ? b.s : "");
    lxW_free(&b);
    lxE_throw(L, e);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static lx_Value f_time(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    size_t mem0 = L->total;
    double t0 = now_seconds();
    lx_Value r = lxV_call(L, a[0], NULL, 0, lxO_nothing());
    double dt = now_seconds() - t0;
    int mark = lxV_root(L, r);
    lxW_buf b;
    lxW_init(L, &b);
    double grown = L->total > mem0 ? (double)(L->total - mem0) : 0;
    lxW_printf(&b, "  %.6f seconds (%.3f MiB held now vs before)\n", dt, grown / 1048576.0);
    lxL_iowrite(L, lxG_get(L, "stdout"), b.s, b.len);
    lxW_free(&b);
    lxV_unroot(L, mark);
    return r;
}

static lx_Value f_elapsed(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    double t0 = now_seconds();
    lxV_call(L, a[0], NULL, 0, lxO_nothing());
    return lxO_f64(now_seconds() - t0);
}

static lx_Value f_log(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxW_buf b;
    lxW_init(L, &b);
    lxW_printf(&b, "[ %s: ", lxO_as(lxO_string, a[0])->data);
    for (int i = 1; i < n; i++) {
        if (lxO_is(a[i], LXO_STRUCT) && a[i].v.o->type == L->T[LXT_Pair] && i > 1) {
            lxO_struct *p = lxO_as(lxO_struct, a[i]);
            lxW_puts(&b, "\n│   ");
            lxL_printvalue(L, &b, p->fields[0], false);
            lxW_puts(&b, " = ");
            lxL_printvalue(L, &b, p->fields[1], true);
        } else {
            lxL_printvalue(L, &b, a[i], false);
        }
    }
    lxW_puts(&b, "\n");
    lxE_write(L, 2, b.s, b.len);
    lxW_free(&b);
    return lxO_nothing();
}

/* Printf: %[flags][width][.prec](d i u f F e E g G s c x X o %) over the arguments. */
static lx_Value format(lx_State *L, lx_Value *a, int n)
{
    lxO_string *fmt = lxL_string(L, a, 0, "@printf");
    lxW_buf b;
    lxW_init(L, &b);
    int ai = 1;
    for (size_t i = 0; i < fmt->len; i++) {
        char c = fmt->data[i];
        if (c != '%') {
            lxW_add(&b, &c, 1);
            continue;
        }
        if (i + 1 < fmt->len && fmt->data[i + 1] == '%') {
            lxW_puts(&b, "%");
            i++;
            continue;
        }
        char spec[32];
        size_t k = 0;
        spec[k++] = '%';
        i++;
        while (i < fmt->len && k < 20 && strchr("-+ #0123456789.*", fmt->data[i]))
            spec[k++] = fmt->data[i++];
        if (i >= fmt->len) {
            lxW_free(&b);
            lxE_error(L, LXT_ArgumentError, "@printf: the format ends inside a conversion");
        }
        char conv = fmt->data[i];
        if (ai >= n) {
            lxW_free(&b);
            lxE_error(L, LXT_ArgumentError, "@printf: not enough arguments for the format \"%s\"", fmt->data);
        }
        lx_Value v = a[ai++];
        char out[512];
        switch (conv) {
        case 'd':
        case 'i':
        case 'u':
        case 'x':
        case 'X':
        case 'o':
        case 'c': {
            if (!lxO_isnumber(v)) {
                lxW_free(&b);
                lxE_typeerror(L, "@printf %d", "a number", v);
            }
            long long x = v.tag == LX_TINT ? v.v.i : (long long)llround(lxO_tonumber(v));
            spec[k++] = 'l';
            spec[k++] = 'l';
            spec[k++] = conv == 'i' ? 'd' : conv == 'c' ? 'd' : conv;
            spec[k] = '\0';
            if (conv == 'c')
                snprintf(out, sizeof out, "%c", (int)x);
            else
                snprintf(out, sizeof out, spec, x);
            break;
        }
        case 'f':
        case 'F':
        case 'e':
        case 'E':
        case 'g':
        case 'G':
        case 'a':
            if (!lxO_isnumber(v)) {
                lxW_free(&b);
                lxE_typeerror(L, "@printf %f", "a number", v);
            }
            spec[k++] = conv;
            spec[k] = '\0';
            snprintf(out, sizeof out, spec, lxO_tonumber(v));
            break;
        case 's': {
            lxW_buf t;
            lxW_init(L, &t);
            lxL_printvalue(L, &t, v, false);
            spec[k++] = 's';
            spec[k] = '\0';
            snprintf(out, sizeof out, spec, t.s ? t.s : "");
            if (t.len >= sizeof out) { /* long strings unpadded */
                lxW_add(&b, t.s, t.len);
                lxW_free(&t);
                continue;
            }
            lxW_free(&t);
            break;
        }
        default: lxW_free(&b); lxE_error(L, LXT_ArgumentError, "@printf: unknown conversion %%%c", conv);
        }
        lxW_puts(&b, out);
    }
    if (ai < n) {
        lxW_free(&b);
        lxE_error(L, LXT_ArgumentError, "@printf: %d argument%s left over for the format \"%s\"", n - ai,
                  n - ai == 1 ? "" : "s", fmt->data);
    }
    lx_Value r = lxO_str(L, b.s ? b.s : "", b.len);
    lxW_free(&b);
    return r;
}

static lx_Value f_sprintf(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return format(L, a, n);
}

static lx_Value f_printf(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value io = lxG_get(L, "stdout");
    if (n && lxO_is(a[0], LXO_IO)) {
        io = a[0];
        a++;
        n--;
    }
    lx_Value s = format(L, a, n);
    lxL_iowrite(L, io, lxO_as(lxO_string, s)->data, lxO_as(lxO_string, s)->len);
    return lxO_nothing();
}

/* A copy of x with the field at path replaced (named tuples and structs, nested). */
static lx_Value setpath(lx_State *L, lx_Value x, lxO_tuple *path, int i, lx_Value v)
{
    if (i == path->n) return v;
    lxO_string *name = (lxO_string *)path->items[i].v.o;
    int mark = lxV_root(L, x);
    if (lxO_is(x, LXO_NTUPLE)) {
        lxO_ntuple *t = lxO_as(lxO_ntuple, x);
        int k = lxO_ntuple_find(t, name);
        if (k < 0 && i + 1 < path->n)
            lxE_error(L, LXT_FieldError, "@set!: the named tuple has no field `%s`", name->data);
        lx_Value inner = setpath(L, k >= 0 ? t->vals[k] : lxO_nothing(), path, i + 1, v);
        lxV_root(L, inner);
        lxO_ntuple *r = lxO_ntuple_new(L, t->n + (k < 0));
        for (int j = 0; j < t->n; j++) {
            r->names[j] = t->names[j];
            r->vals[j] = j == k ? inner : t->vals[j];
        }
        if (k < 0) {
            r->names[t->n] = name;
            r->vals[t->n] = inner;
        }
        lxV_unroot(L, mark);
        return lxO_obj(r);
    }
    if (lxO_is(x, LXO_STRUCT)) {
        lxO_type *ty = x.v.o->type;
        int k = -1;
        for (int j = 0; j < ty->nfields; j++)
            if (ty->fields[j] == name) k = j;
        if (k < 0) lxE_error(L, LXT_FieldError, "@set!: type %s has no field `%s`", lxT_name(ty), name->data);
        lx_Value inner = setpath(L, lxO_as(lxO_struct, x)->fields[k], path, i + 1, v);
        lxV_root(L, inner);
        lxO_struct *r = lxO_struct_new(L, ty);
        memcpy(r->fields, lxO_as(lxO_struct, x)->fields, (size_t)r->n * sizeof(lx_Value));
        r->fields[k] = inner;
        lxV_unroot(L, mark);
        return lxO_obj(r);
    }
    lxE_error(L, LXT_ArgumentError, "@set!: cannot set field `%s` of a %s", name->data,
              lxT_name(lxT_typeof(L, x)));
}

static lx_Value f_setpath(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return setpath(L, a[0], lxO_as(lxO_tuple, a[1]), 0, a[2]);
}

static const lxL_Reg macro_lib[] = {{"__show_expr", "(text, x)", f_show_expr, ""},
                                    {"__assert_failed", "(msg)", f_assert_failed, ""},
                                    {"__maybeview", "(x, i...)", f_maybeview, ""},
                                    {"__time", "(f)", f_time, ""},
                                    {"__elapsed", "(f)", f_elapsed, ""},
                                    {"__log", "(level, xs...)", f_log, ""},
                                    {"__printf", "(xs...)", f_printf, ""},
                                    {"__sprintf", "(xs...)", f_sprintf, ""},
                                    {"__setpath", "(x, path::Tuple, v)", f_setpath, ""},
                                    {NULL, NULL, NULL, NULL}};

static const struct {
    const char *name;
    lxK_macro fn;
    const char *doc;
} macros[] = {
    {"show", m_show,
     "    @show x y ...\n\nPrints `x = <value>` for each expression (the value as `repr` writes it) and "
     "returns the last value.\n\n# Arguments\n- `x y ...`: one or more expressions, each printed with its "
     "source text.\n\n# Returns\nThe value of the last expression.\n\n# Examples\n```\nlx> x = 3; @show x + "
     "1\nx + 1 = 4\n4\n```"},
    {"assert", m_assert,
     "    @assert cond [msg]\n\nThrows an AssertionError (with msg, or the condition's text) when cond is "
     "false.\n\n# Arguments\n- `cond`: an expression that should be `true`.\n- `msg`: the message of the "
     "AssertionError (any expression, evaluated only on failure); cond's text when left out.\n\n# "
     "Returns\n`nothing` when cond holds; otherwise it throws.\n\n# Examples\n```\nlx> try @assert 1 > 2 "
     "catch e; e.msg end\n\"1 > 2\"\n```"},
    {"time", m_time,
     "    @time expr\n\nRuns expr, prints the seconds it took and the memory lx holds afterwards compared "
     "with before, and returns its value.\n\n# Arguments\n- `expr`: the expression to run and time.\n\n# "
     "Returns\nThe value of expr.\n\n# Examples\n```\nlx> (@elapsed sum(1:10)) >= 0\ntrue\n```"},
    {"elapsed", m_elapsed,
     "    @elapsed expr\n\nRuns expr and returns the seconds it took, as a Float64.\n\n# Arguments\n- "
     "`expr`: the expression to run and time.\n\n# Returns\nA Float64, the seconds (expr's own value is "
     "dropped).\n\n# Examples\n```\nlx> @elapsed(1 + 1) < 1\ntrue\n```"},
    {"view", m_view,
     "    @view x[i, j, ...]\n\n`view(x, i, j, ...)`, written as an index: `end` and `begin` inside the "
     "brackets are x's last and first positions along that dimension, as in `x[...]`. The tensor it returns "
     "shares x's memory where the selection is contiguous (see `view`), so writing into it changes x.\n\n# "
     "Arguments\n- `x[i, j, ...]`: an index expression on a tensor: numbers, ranges, `:` and `end`/`begin` "
     "arithmetic.\n\n# Returns\nWhat `view(x, i, j, ...)` returns: a Tensor.\n\n# Examples\n```\nlx> x = [1 "
     "2; 3 4];\n\nlx> v = @view x[:, end];\n\nlx> v .= 0;\n\nlx> x\n2×2 Tensor{Int64, 2}:\n 1  0\n 3  "
     "0\n```"},
    {"views", m_views,
     "    @views expr\n\nTurns every index read `x[...]` inside expr (function bodies included) into a view "
     "of x, as Julia's `@views`: `view(x, ...)` for a tensor, unless all indices are numbers (then the "
     "element itself); for other values (Lists, strings) the index stays `getindex` (a List's slice is a "
     "copy). The target of an assignment (`x[i] = v`, `x[i] .= v`, `x[i] += v`) is left an assignment. "
     "Returns expr's value.\n\n# Arguments\n- `expr`: any expression or block.\n\n# Returns\nThe value of "
     "expr.\n\n# Examples\n```\nlx> x = zeros(4);\n\nlx> @views fill!(x[3:end], 1);\n\nlx> x\n4-element "
     "Tensor{Float32, 1}:\n 0.0\n 0.0\n 1.0\n 1.0\n\nlx> @views sum(x[2:3])\n1.0f0\n```"},
    {"inbounds", m_passthrough,
     "    @inbounds expr\n\nAccepted for compatibility (bounds are always checked). Returns expr's "
     "value.\n\n# Arguments\n- `expr`: any expression or block.\n\n# Returns\nThe value of expr.\n\n# "
     "Examples\n```\nlx> @inbounds 2 * 3\n6\n```"},
    {"info", m_info,
     "    @info msg [key = value ...]\n\nLogs an informational message to stderr as `[ Info: msg`, with `key "
     "= value` lines.\n\n# Arguments\n- `msg`: the message, any expression (printed as `print` writes "
     "it).\n- `key = value`: values to show under the message, one line each.\n\n# Returns\n`nothing`.\n\n# "
     "Examples\n```\nlx> @info \"starting\"\n[ Info: starting\n```"},
    {"warn", m_warn,
     "    @warn msg [key = value ...]\n\nLogs a warning to stderr as `[ Warning: msg`.\n\n# Arguments\n- "
     "`msg`: the message, any expression (printed as `print` writes it).\n- `key = value`: values to show "
     "under the message, one line each.\n\n# Returns\n`nothing`.\n\n# Examples\n```\nlx> @warn \"careful\" n "
     "= 3\n[ Warning: careful\n│   n = 3\n```"},
    {"error", m_error,
     "    @error msg [key = value ...]\n\nLogs an error message to stderr as `[ Error: msg` (it does not "
     "throw).\n\n# Arguments\n- `msg`: the message, any expression (printed as `print` writes it).\n- `key = "
     "value`: values to show under the message, one line each.\n\n# Returns\n`nothing`.\n\n# "
     "Examples\n```\nlx> @error \"failed\"\n[ Error: failed\n```"},
    {".", m_dot,
     "    @. expr\n\nDots every call, operator and assignment in expr: `@. y = a * x + b` is `y .= a .* x .+ "
     "b`.\n\n# Arguments\n- `expr`: an expression or assignment to broadcast.\n\n# Returns\nThe value of the "
     "dotted expression (for an assignment `y .= ...`, y).\n\n# Examples\n```\nlx> @. [1, 2] + 1\n2-element "
     "Tensor{Int64, 1}:\n 2\n 3\n```"},
    {"printf", m_printf,
     "    @printf([io,] fmt, args...)\n\nFormatted output with C's conversions (%d %i %f %e %g %s %x %o %c "
     "%%, flags, width, precision).\n\n# Arguments\n- `io`: the stream to write to (stdout when left "
     "out).\n- `fmt`: the format, a String.\n- `args`: one value for each conversion.\n\n# "
     "Returns\n`nothing`.\n\n# Examples\n```\nlx> @printf(\"%5.2f|%-3d|%s\\n\", pi, 7, \"ok\")\n 3.14|7  "
     "|ok\n```"},
    {"sprintf", m_sprintf,
     "    @sprintf(fmt, args...)\n\nThe text @printf would write, as a String.\n\n# Arguments\n- `fmt`: the "
     "format, a String.\n- `args`: one value for each conversion.\n\n# Returns\nA String.\n\n# "
     "Examples\n```\nlx> @sprintf(\"%03d\", 7)\n\"007\"\n```"},
    {"set!", m_set,
     "    @set! x.a.b = v\n\nRebinds x to a copy of itself with the field at the path replaced (named tuples "
     "are immutable; Setfield.jl's macro).\n\n# Arguments\n- `x.a.b = v`: an assignment to a field path of a "
     "variable (a named tuple or struct at each step).\n\n# Returns\nThe new value of x (which x is now "
     "bound to).\n\n# Examples\n```\nlx> ps = (layer_1 = (weight = 1, bias = 2),); @set! ps.layer_1.bias = "
     "0; ps\n(layer_1 = (weight = 1, bias = 0),)\n```"},
};

void lxL_open_macros(lx_State *L)
{
    lxL_register(L, macro_lib);
    for (size_t i = 0; i < sizeof macros / sizeof macros[0]; i++)
        lxK_macro_register(L, macros[i].name, macros[i].fn, macros[i].doc);
}
