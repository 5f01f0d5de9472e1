/* gradient.c — reverse-mode differentiation of lx functions (spec §6):
 * gradient, withgradient, pullback and jacobian; ignore_derivatives.
 *
 * The tape lives in nn/.  Here the arguments are walked once: every distinct
 * float tensor gets one tracked alias (keyed by the nn_tensor, so a tensor
 * reached by two paths accumulates once and both places read the same sum),
 * every Float64/Float32 number becomes a 0-d tracked tensor, and tuples,
 * named tuples, Lists and structs are rebuilt around them.  f runs on that
 * copy; the backward pass starts from its scalar result; the gradients are
 * read back in the shape of the copy.  Everything else (integers, strings,
 * layers, nothing) has no gradient: `nothing`.
 */
#include "tensor.h"

#include <string.h>

#define MAXDEPTH 200 /* nesting of the argument structure (a cycle stops here) */

/* The tracked aliases made for one call of f: originals and aliases side by side. */
typedef struct {
    lxO_list *orig, *alias;
} trackmap;

static lx_Value track(lx_State *L, lx_Value v, trackmap *m, int depth);

static void track_items(lx_State *L, lx_Value *items, int n, trackmap *m, int depth, lx_Value *out,
                        bool *changed)
{
    for (int i = 0; i < n; i++) {
        out[i] = track(L, items[i], m, depth + 1);
        if (!lxO_egal(out[i], items[i])) *changed = true;
    }
}

static lx_Value track(lx_State *L, lx_Value v, trackmap *m, int depth)
{
    if (depth > MAXDEPTH)
        lxE_error(L, LXT_ArgumentError,
                  "gradient: the arguments nest deeper than %d levels (a structure that contains itself?)",
                  MAXDEPTH);
    if (v.tag == LX_TFLOAT64 || v.tag == LX_TFLOAT32) {
        nn_tensor *t = NULL;
        lx_Value r = lxL_result(L, nn_scalar(L->nn, &t, lxL_numdtype(v), lxO_tonumber(v)), &t);
        nn_set_requires_grad(t, true);
        return r;
    }
    if (v.tag != LX_TOBJECT) return v;
    switch ((lxO_kind)v.v.o->kind) {
    case LXO_TENSOR: {
        nn_tensor *t = lxL_tval(v);
        if (!nn_dtype_is_float(t->dtype)) return v;
        for (size_t i = 0; i < m->orig->n; i++)
            if (lxL_tval(m->orig->items[i]) == t) return m->alias->items[i];
        nn_tensor *a = NULL;
        lx_Value r = lxL_result(L, nn_tracked_alias(L->nn, &a, t), &a);
        lxO_list_push(L, m->orig, v);
        lxO_list_push(L, m->alias, r);
        return r;
    }
    case LXO_TUPLE: {
        lxO_tuple *t = lxO_as(lxO_tuple, v);
        lxO_tuple *c = lxO_tuple_new(L, t->n);
        bool changed = false;
        track_items(L, t->items, t->n, m, depth, c->items, &changed);
        return changed ? lxO_obj(c) : v;
    }
    case LXO_NTUPLE: {
        lxO_ntuple *t = lxO_as(lxO_ntuple, v);
        lxO_ntuple *c = lxO_ntuple_new(L, t->n);
        memcpy(c->names, t->names, (size_t)t->n * sizeof *t->names);
        bool changed = false;
        track_items(L, t->vals, t->n, m, depth, c->vals, &changed);
        return changed ? lxO_obj(c) : v;
    }
    case LXO_LIST: {
        lxO_list *l = lxO_as(lxO_list, v);
        lxO_list *c = lxO_list_new(L, l->n);
        bool changed = false;
        for (size_t i = 0; i < l->n; i++) {
            lx_Value x = track(L, l->items[i], m, depth + 1);
            if (!lxO_egal(x, l->items[i])) changed = true;
            lxO_list_push(L, c, x);
        }
        return changed ? lxO_obj(c) : v;
    }
    case LXO_STRUCT: {
        lxO_struct *s = lxO_as(lxO_struct, v);
        lxO_struct *c = lxO_struct_new(L, s->hdr.type);
        bool changed = false;
        track_items(L, s->fields, s->n, m, depth, c->fields, &changed);
        return changed ? lxO_obj(c) : v;
    }
    default: return v;
    }
}

/* The gradient of one tracked value, in its shape; nothing where none flowed.  `seen` holds the
 * gradient tensors already wrapped: a tensor tied at several places gets one gradient, and the same
 * object (===) at each of them, as its parameters are, so tie-aware code (destructure, Optimisers)
 * finds the tie in the gradient too. */
static lx_Value collect(lx_State *L, lx_Value tv, int depth, lxO_list *seen)
{
    if (depth > MAXDEPTH) return lxO_nothing();
    if (tv.tag != LX_TOBJECT) return lxO_nothing();
    switch ((lxO_kind)tv.v.o->kind) {
    case LXO_TENSOR: {
        nn_tensor *t = lxL_tval(tv);
        nn_tensor *g = t->requires_grad ? nn_grad(t) : NULL;
        if (!g) return lxO_nothing();
        if (t->ndim == 0) return lxL_elem(L, g, 0); /* a number argument: a number back */
        for (size_t i = 0; i < seen->n; i++)
            if (lxL_tval(seen->items[i]) == g) return seen->items[i];
        lx_Value r = lxL_wrap(L, nn_retain(g));
        lxO_list_push(L, seen, r);
        return r;
    }
    case LXO_TUPLE: {
        lxO_tuple *t = lxO_as(lxO_tuple, tv);
        lxO_tuple *c = lxO_tuple_new(L, t->n);
        bool any = false;
        for (int i = 0; i < t->n; i++) {
            c->items[i] = collect(L, t->items[i], depth + 1, seen);
            any |= c->items[i].tag != LX_TNOTHING;
        }
        return any ? lxO_obj(c) : lxO_nothing();
    }
    case LXO_NTUPLE: {
        lxO_ntuple *t = lxO_as(lxO_ntuple, tv);
        lxO_ntuple *c = lxO_ntuple_new(L, t->n);
        memcpy(c->names, t->names, (size_t)t->n * sizeof *t->names);
        bool any = false;
        for (int i = 0; i < t->n; i++) {
            c->vals[i] = collect(L, t->vals[i], depth + 1, seen);
            any |= c->vals[i].tag != LX_TNOTHING;
        }
        return any ? lxO_obj(c) : lxO_nothing();
    }
    case LXO_LIST: {
        lxO_list *l = lxO_as(lxO_list, tv);
        lxO_list *c = lxO_list_new(L, l->n);
        bool any = false;
        for (size_t i = 0; i < l->n; i++) {
            lx_Value g = collect(L, l->items[i], depth + 1, seen);
            any |= g.tag != LX_TNOTHING;
            lxO_list_push(L, c, g);
        }
        return any ? lxO_obj(c) : lxO_nothing();
    }
    case LXO_STRUCT: {
        /* a struct's gradient is a named tuple of its fields' (Zygote's convention) */
        lxO_struct *s = lxO_as(lxO_struct, tv);
        lxO_type *ty = s->hdr.type;
        if (ty->nfields != s->n) return lxO_nothing();
        lxO_ntuple *c = lxO_ntuple_new(L, s->n);
        bool any = false;
        for (int i = 0; i < s->n; i++) {
            c->names[i] = ty->fields[i];
            c->vals[i] = collect(L, s->fields[i], depth + 1, seen);
            any |= c->vals[i].tag != LX_TNOTHING;
        }
        return any ? lxO_obj(c) : lxO_nothing();
    }
    default: return lxO_nothing();
    }
}

/* The aliases' accumulated gradients are dropped once read, so memory goes back at once. */
static void clear_grads(trackmap *m)
{
    for (size_t i = 0; i < m->alias->n; i++)
        nn_zero_grad(lxL_tval(m->alias->items[i]));
}

/* A copy of v with every tracked tensor detached (the value gradient returns). */
static lx_Value detach(lx_State *L, lx_Value v, int depth)
{
    if (v.tag != LX_TOBJECT || depth > MAXDEPTH) return v;
    switch ((lxO_kind)v.v.o->kind) {
    case LXO_TENSOR: {
        nn_tensor *t = lxL_tval(v), *d = NULL;
        if (!nn_is_tracked(t)) return v;
        return lxL_scalar(L, nn_detach(L->nn, &d, t), &d);
    }
    case LXO_TUPLE: {
        lxO_tuple *t = lxO_as(lxO_tuple, v);
        lxO_tuple *c = lxO_tuple_new(L, t->n);
        for (int i = 0; i < t->n; i++)
            c->items[i] = detach(L, t->items[i], depth + 1);
        return lxO_obj(c);
    }
    case LXO_NTUPLE: {
        lxO_ntuple *t = lxO_as(lxO_ntuple, v);
        lxO_ntuple *c = lxO_ntuple_new(L, t->n);
        memcpy(c->names, t->names, (size_t)t->n * sizeof *t->names);
        for (int i = 0; i < t->n; i++)
            c->vals[i] = detach(L, t->vals[i], depth + 1);
        return lxO_obj(c);
    }
    default: return v;
    }
}

/* ---- one forward pass ------------------------------------------------------------------------ */

typedef struct {
    trackmap map;
    lx_Value targs; /* a tuple: the tracked copy of the arguments */
    lx_Value out;   /* what f returned */
} fpass;

/* Tracks args, calls f on the copy; everything it makes is rooted until the caller unroots `mark`. */
static void forward(lx_State *L, lx_Value f, lx_Value *args, int nargs, fpass *p)
{
    p->map.orig = lxO_list_new(L, 4);
    lxV_root(L, lxO_obj(p->map.orig));
    p->map.alias = lxO_list_new(L, 4);
    lxV_root(L, lxO_obj(p->map.alias));
    lxO_tuple *t = lxO_tuple_new(L, nargs);
    p->targs = lxO_obj(t);
    lxV_root(L, p->targs);
    for (int i = 0; i < nargs; i++)
        t->items[i] = track(L, args[i], &p->map, 0);
    p->out = lxV_call(L, f, t->items, nargs, lxO_nothing());
    lxV_root(L, p->out);
}

/* The scalar to differentiate: f's result, or the first element of a tuple
 * (a loss with auxiliary values, as Zygote's withgradient allows). */
static lx_Value loss_of(lx_State *L, lx_Value out, const char *fname, bool aux)
{
    lx_Value y = out;
    if (aux && lxO_is(out, LXO_TUPLE) && lxO_as(lxO_tuple, out)->n > 0) y = lxO_as(lxO_tuple, out)->items[0];
    if (lxO_isnumber(y)) return y;
    if (lxL_istensor(y)) {
        nn_tensor *t = lxL_tval(y);
        if (t->numel == 1) return y;
        char sh[64];
        lxE_error(L, LXT_ArgumentError,
                  "%s: the function must return a scalar, it returned a tensor of size %s; reduce it (sum, "
                  "mean) or use jacobian or pullback",
                  fname, nn_shape_str(sh, sizeof sh, t->ndim, t->shape));
    }
    lxE_error(L, LXT_ArgumentError, "%s: the function must return a number, it returned a value of type %s%s",
              fname, lxT_name(lxT_typeof(L, y)),
              aux ? "" : " (withgradient accepts a tuple whose first element is the loss)");
}

/* Runs backward from y (seed: NULL for 1) when it depends on the arguments. */
static void backward(lx_State *L, lx_Value y, nn_tensor *seed)
{
    if (!lxL_istensor(y)) return;
    nn_tensor *t = lxL_tval(y);
    if (!nn_is_tracked(t)) return;
    lxL_nncheck(L, seed ? nn_backward_seed(L->nn, t, seed) : nn_backward(L->nn, t));
}

static lx_Value grads_of(lx_State *L, fpass *p)
{
    lx_Value g = collect(L, p->targs, 0, lxO_list_new(L, 4));
    int n = lxO_as(lxO_tuple, p->targs)->n;
    if (g.tag == LX_TNOTHING) { /* every argument without a gradient: (nothing, ...) */
        lxO_tuple *t = lxO_tuple_new(L, n);
        g = lxO_obj(t);
    }
    clear_grads(&p->map);
    return g;
}

static lx_Value g_gradient(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    int mark = L->nroots;
    fpass p;
    forward(L, a[0], a + 1, n - 1, &p);
    backward(L, loss_of(L, p.out, "gradient", false), NULL);
    lx_Value g = grads_of(L, &p);
    lxV_unroot(L, mark);
    return g;
}

static lx_Value ntuple2(lx_State *L, const char *n1, lx_Value v1, const char *n2, lx_Value v2)
{
    lxO_ntuple *r = lxO_ntuple_new(L, 2);
    r->names[0] = lxS_cstr(L, n1);
    r->names[1] = lxS_cstr(L, n2);
    r->vals[0] = v1;
    r->vals[1] = v2;
    return lxO_obj(r);
}

static lx_Value g_withgradient(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    int mark = L->nroots;
    fpass p;
    forward(L, a[0], a + 1, n - 1, &p);
    backward(L, loss_of(L, p.out, "withgradient", true), NULL);
    lx_Value g = grads_of(L, &p);
    lxV_root(L, g);
    lx_Value val = detach(L, p.out, 0);
    lxV_root(L, val);
    lx_Value r = ntuple2(L, "val", val, "grad", g);
    lxV_unroot(L, mark);
    return r;
}

/* ---- pullback: the value and a function from the output's cotangent to the arguments' ---------------- */

/* Pullback's fields: y (tracked result), targs, map's orig and alias, used. */
enum { PB_Y, PB_TARGS, PB_ORIG, PB_ALIAS, PB_USED, PB_NFIELDS };

static lx_Value g_pullback(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    int mark = L->nroots;
    fpass p;
    forward(L, a[0], a + 1, n - 1, &p);
    lx_Value ty = lxG_get(L, "Pullback");
    if (!lxO_is(ty, LXO_TYPE) || lxO_as(lxO_type, ty)->nfields != PB_NFIELDS)
        lxE_error(L, LXT_ErrorException,
                  "pullback: the global `Pullback` was redefined; it must be the built-in type");
    lxO_struct *b = lxO_struct_new(L, lxO_as(lxO_type, ty));
    b->fields[PB_Y] = p.out;
    b->fields[PB_TARGS] = p.targs;
    b->fields[PB_ORIG] = lxO_obj(p.map.orig);
    b->fields[PB_ALIAS] = lxO_obj(p.map.alias);
    b->fields[PB_USED] = lxO_bool(false);
    lxV_root(L, lxO_obj(b));
    lx_Value val = detach(L, p.out, 0);
    lxV_root(L, val);
    lxO_tuple *r = lxO_tuple_new(L, 2);
    r->items[0] = val;
    r->items[1] = lxO_obj(b);
    lxV_unroot(L, mark);
    return lxO_obj(r);
}

static lx_Value g_pullback_apply(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_struct *b = lxO_as(lxO_struct, a[0]);
    if (n != 2) lxE_error(L, LXT_ArgumentError, "a pullback takes one argument, the cotangent of the result");
    if (b->fields[PB_USED].v.b)
        lxE_error(L, LXT_ErrorException,
                  "this pullback was already called: its graph is freed after one backward pass; call "
                  "pullback again");
    lx_Value y = b->fields[PB_Y], dy = a[1];
    fpass p = {.map = {lxO_as(lxO_list, b->fields[PB_ORIG]), lxO_as(lxO_list, b->fields[PB_ALIAS])},
               .targs = b->fields[PB_TARGS],
               .out = y};
    if (lxL_istensor(y)) {
        nn_tensor *t = lxL_tval(y);
        lx_Value hold = lxO_nothing();
        nn_tensor *seed = lxL_totensor(L, dy, t, "pullback", &hold);
        if (seed->numel != t->numel) {
            char s1[64], s2[64];
            lxE_error(L, LXT_DimensionMismatch, "pullback: a cotangent of size %s for a result of size %s",
                      nn_shape_str(s1, sizeof s1, seed->ndim, seed->shape),
                      nn_shape_str(s2, sizeof s2, t->ndim, t->shape));
        }
        b->fields[PB_USED] = lxO_bool(true);
        backward(L, y, seed);
    } else if (!lxO_isnumber(y)) {
        lxE_error(L, LXT_ArgumentError, "pullback: the function returned a %s, which has no cotangent",
                  lxT_name(lxT_typeof(L, y)));
    }
    return grads_of(L, &p);
}

/* ---- jacobian ------------------------------------------------------------------------------- */

static lx_Value g_jacobian(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    int mark = L->nroots, nargs = n - 1;
    /* one forward and backward pass per element of the result (reverse mode, row by row) */
    lxO_tuple *jac = lxO_tuple_new(L, nargs);
    lxV_root(L, lxO_obj(jac));
    int64_t m = -1;
    for (int64_t row = 0; m < 0 || row < m; row++) {
        int pmark = L->nroots;
        fpass p;
        forward(L, a[0], a + 1, nargs, &p);
        nn_tensor *yt;
        lx_Value hold = lxO_nothing();
        if (lxO_isnumber(p.out))
            yt = NULL;
        else if (lxL_istensor(p.out))
            yt = lxL_tval(p.out);
        else
            lxE_error(L, LXT_ArgumentError,
                      "jacobian: the function must return a tensor or a number, not a %s",
                      lxT_name(lxT_typeof(L, p.out)));
        int64_t ym = yt ? yt->numel : 1;
        if (m < 0) {
            m = ym;
            if (m == 0) break;
        } else if (ym != m) {
            lxE_error(L, LXT_DimensionMismatch, "jacobian: the function's result changed size between calls");
        }
        if (yt && nn_is_tracked(yt)) {
            nn_tensor *seed = NULL;
            hold = lxL_result(L, nn_zeros(L->nn, &seed, yt->dtype, yt->ndim, yt->shape), &seed);
            lxV_root(L, hold);
            nn_set(seed, row, 1.0);
            backward(L, p.out, seed);
        }
        lx_Value g = collect(L, p.targs, 0, lxO_list_new(L, 4));
        lxV_root(L, g);
        for (int k = 0; k < nargs; k++) {
            lx_Value tk = lxO_as(lxO_tuple, p.targs)->items[k];
            if (!lxL_istensor(tk) || !lxL_tval(tk)->requires_grad) continue; /* nothing for it */
            nn_tensor *x = lxL_tval(tk);
            if (jac->items[k].tag == LX_TNOTHING) {
                nn_tensor *J = NULL;
                int64_t shape[2] = {m, x->numel};
                jac->items[k] = x->ndim == 0 ? lxL_result(L, nn_zeros(L->nn, &J, x->dtype, 1, shape), &J)
                                             : lxL_result(L, nn_zeros(L->nn, &J, x->dtype, 2, shape), &J);
            }
            nn_tensor *J = lxL_tval(jac->items[k]);
            nn_tensor *gk = x->grad;
            for (int64_t j = 0; gk && j < x->numel; j++)
                nn_set(J, row + j * m, nn_get(gk, j));
        }
        clear_grads(&p.map);
        lxV_unroot(L, pmark);
    }
    lxV_unroot(L, mark);
    return lxO_obj(jac);
}

/* ---- ignore_derivatives: a value cut from the tape ------------------------------------------------ */

static lx_Value g_ignore_derivatives(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return detach(L, a[0], 0);
}

/* ChainRulesCore's form for a block: f() runs as usual, only its result is cut. */
static lx_Value g_ignore_derivatives_f(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    int mark = L->nroots;
    lx_Value r = lxV_call(L, a[0], NULL, 0, lxO_nothing());
    lxV_root(L, r);
    lx_Value d = detach(L, r, 0);
    lxV_unroot(L, mark);
    return d;
}

/* ---- the table --------------------------------------------------------------------------------------- */

#define EX(body) "\n\n# Examples\n```\n" body "```"

static const lxL_Reg gradient_lib[] = {
    {"gradient", "(f, args...)", g_gradient,
     "    gradient(f, args...)\n\nThe gradient of the scalar `f(args...)` with respect to each argument, as "
     "a "
     "tuple with one entry per argument, each shaped like it: a tensor for a tensor, a number for a number, "
     "a "
     "named tuple for a named tuple of parameters, `nothing` for an argument with nothing differentiable "
     "(integers, strings, layers) or that the result does not depend on.\n\nf may use anything the language "
     "offers: control flow, closures, tuples, indexing, broadcasting, user functions. A tensor reached "
     "through "
     "two paths of the arguments gets one gradient, the sum, at both. Mutating a tensor the result depends "
     "on "
     "is an error. f must return a number (or a one-element tensor)."
     "\n\n# Arguments\n- `f`: a function of `args` returning a number (or a one-element tensor).\n- "
     "`args...`: the arguments to differentiate with respect to: numbers, tensors, and tuples, named tuples "
     "and structs holding them (anything else gets `nothing`).\n\n# Returns\nA tuple with one gradient per "
     "argument, each shaped like its argument, or `nothing`." EX(
         "lx> gradient(x -> x^2 + sin(x), 1.0)\n(2.5403023058681398,)\n\nlx> gradient((a, b) -> a * b, 2.0, "
         "3.0)\n(3.0, 2.0)\n\nlx> gradient(x -> 3x, 2)\n(nothing,)\n")},
    {"withgradient", "(f, args...)", g_withgradient,
     "    withgradient(f, args...)\n\nThe value of `f(args...)` and its gradient, as `(val = …, grad = …)`. "
     "f may return a tuple whose first element is the loss (the rest rides along in `val`), as Zygote "
     "allows."
     "\n\n# Arguments\n- `f`: a function of `args` returning a number, or a tuple whose first element is "
     "one.\n- `args...`: the arguments to differentiate with respect to: numbers, tensors, and tuples, named "
     "tuples and structs holding them (anything else gets `nothing`).\n\n# Returns\nA named tuple `(val = "
     "f(args...), grad = gradient tuple)`." EX(
         "lx> withgradient(x -> x^2, 3.0)\n(val = 9.0, grad = (6.0,))\n\nlx> r = withgradient(x -> "
         "(x^2, \"aux\"), 2.0);\n\nlx> r.val\n(4.0, \"aux\")\n")},
    {"pullback", "(f, args...)", g_pullback,
     "    pullback(f, args...)\n\nThe value `y = f(args...)` and a function `back` from a cotangent of y (a "
     "number, or a tensor of y's size) to the tuple of the arguments' cotangents, for results that are not "
     "scalars. `back` can be called once: the graph is freed by its backward pass."
     "\n\n# Arguments\n- `f`: a function of `args` returning a number or a tensor.\n- `args...`: the "
     "arguments to differentiate with respect to: numbers, tensors, and tuples, named tuples and structs "
     "holding them (anything else gets `nothing`).\n\n# Returns\nA tuple `(y, back)`: the value (not "
     "tracked) and a `Pullback`; `back(dy)` returns the tuple of the arguments' cotangents." EX(
         "lx> y, back = pullback(x -> 2x, 3.0);\n\nlx> y\n6.0\n\nlx> back(1.0)\n(2.0,)\n")},
    {"jacobian", "(f, args...)", g_jacobian,
     "    jacobian(f, args...)\n\nThe Jacobian of `f(args...)` with respect to each argument: for an "
     "argument "
     "x, a matrix of size `(length(y), length(x))` whose row i is the gradient of `y[i]` (a vector for a "
     "number argument); `nothing` for arguments without a gradient. Runs f once per element of y."
     "\n\n# Arguments\n- `f`: a function of `args` returning a number or a tensor.\n- `args...`: the "
     "arguments to differentiate with respect to: numbers, tensors, and tuples, named tuples and structs "
     "holding them (anything else gets `nothing`).\n\n# Returns\nA tuple with one Jacobian per argument: a "
     "`(length(y), length(x))` matrix, a vector for a number argument, or `nothing`." EX(
         "lx> jacobian(x -> 2x, 3.0)\n(Float64[2.0],)\n")},
    {"ignore_derivatives", "(x)", g_ignore_derivatives,
     "    ignore_derivatives(x)\n    ignore_derivatives(f::Function)\n\nx as a constant for `gradient`: "
     "the same values, with no gradient flowing back through them (ChainRulesCore's `ignore_derivatives`, "
     "PyTorch's `detach`). Tensors and numbers are cut from the tape, also inside tuples and named tuples; "
     "anything else is returned as it is. With a function of no arguments, calls it and returns its "
     "result cut the same way: for a block of code whose result is not differentiated (a power iteration, "
     "running statistics)."
     "\n\n# Arguments\n- `x`: any value; tensors and numbers (also inside tuples and named tuples) are cut "
     "from the tape.\n- `f`: a function of no arguments, called once.\n\n# Returns\n`x` (or `f()`) with the "
     "same values and no gradient flowing back." EX(
         "lx> gradient(x -> x * ignore_derivatives(x), 3.0)\n(3.0,)\n\nlx> "
         "gradient(x -> ignore_derivatives(() -> x^2) + x, 3.0)\n(1.0,)\n")},
    {"ignore_derivatives", "(f::Function)", g_ignore_derivatives_f, ""},
    {NULL, NULL, NULL, NULL}};

static const char pullback_src[] = "struct Pullback\n y\n targs\n orig\n alias\n used\nend\n";

void lxL_open_gradient(lx_State *L)
{
    lxK_dosource(L, pullback_src, sizeof pullback_src - 1, "gradient.c");
    lxL_register(L, gradient_lib);
    static const lxL_Reg apply_lib[] = {
        {"apply", "(b::Pullback, dy)", g_pullback_apply,
         "    (back::Pullback)(dy)\n\nRuns the backward pass of a `pullback` from the cotangent dy and "
         "returns "
         "the arguments' cotangents."
         "\n\n# Arguments\n- `back`: the `Pullback` from `pullback`; it can be called only once.\n- `dy`: "
         "the cotangent of the result: a number, or a tensor with as many elements as the result (a "
         "`DimensionMismatch` otherwise).\n\n# Returns\nA tuple of the arguments' cotangents, one per "
         "argument, each shaped like it (or `nothing`)." EX(
             "lx> _, back = pullback((a, b) -> a * b, 2.0, 5.0);\n\nlx> "
             "back(1.0)\n(5.0, 2.0)\n")},
        {NULL, NULL, NULL, NULL}};
    lxL_register(L, apply_lib);
    lxL_setdoc(L, "Pullback",
               "    Pullback\n\nThe function `pullback` returns next to the value: call it with the result's "
               "cotangent to get the arguments'.\n\n# Arguments\nNone: `pullback` makes it; it is not built "
               "by calling `Pullback`.\n\n# Returns\nNothing is built by calling `Pullback` yourself; "
               "`pullback` returns one. Called as `back(dy)`, it returns the arguments' cotangents.\n\n# "
               "Examples\n```\nlx> _, back = pullback(x -> x^2, "
               "3.0);\n\nlx> back isa Pullback\ntrue\n```");
}
