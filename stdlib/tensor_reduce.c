/* tensor_reduce.c — reductions over a tensor's elements, all of them or
 * along `dims` (kept as size 1, as Julia): sum, mean, prod, maximum,
 * minimum, var, std, logsumexp, with `f` applied first (`sum(abs2, x)`);
 * argmax/argmin, findmax/findmin, extrema; softmax and logsoftmax; cumsum
 * and cumprod; count, any and all of Bool tensors.  Without dims the result
 * is a plain number (a tracked 0-d tensor inside `gradient`).
 */
#include "tensor.h"

#include <string.h>

/* ---- arguments --------------------------------------------------------------------------------------- */

static bool is_colon(lx_Value v)
{
    return v.tag == LX_TSYMBOL && !strcmp(((lxO_string *)v.v.o)->data, ":");
}

static int dim_of(lx_State *L, lx_Value v, const char *fname)
{
    if (v.tag != LX_TINT)
        lxE_error(L, LXT_TypeError, "%s: dims must be integers, got a value of type %s", fname,
                  lxT_name(lxT_typeof(L, v)));
    if (v.v.i < -1000000 || v.v.i > 1000000)
        lxE_error(L, LXT_ArgumentError, "%s: dims = %lld is out of range", fname, (long long)v.v.i);
    return (int)v.v.i;
}

/* The dims keyword: `:` or nothing (all: returns 0), an Int, a tuple, List
 * or Int tensor of them.  An empty tuple reduces nothing: a dim past any
 * tensor's last stands for it. */
static int dims_arg(lx_State *L, lx_Value d, int *dims, const char *fname)
{
    if (d.tag == LX_TNOTHING || is_colon(d)) return 0;
    if (d.tag == LX_TINT) {
        dims[0] = dim_of(L, d, fname);
        return 1;
    }
    lx_Value *items = NULL;
    int64_t n = -1;
    if (lxO_is(d, LXO_TUPLE)) items = lxO_as(lxO_tuple, d)->items, n = lxO_as(lxO_tuple, d)->n;
    if (lxO_is(d, LXO_LIST)) items = lxO_as(lxO_list, d)->items, n = (int64_t)lxO_as(lxO_list, d)->n;
    if (lxL_istensor(d) && (lxL_tval(d)->dtype == NN_I64 || lxL_tval(d)->dtype == NN_I32)) {
        const nn_tensor *t = lxL_tval(d);
        if (t->numel > NN_MAX_DIMS)
            lxE_error(L, LXT_ArgumentError, "%s: %lld dims given", fname, (long long)t->numel);
        for (int64_t i = 0; i < t->numel; i++)
            dims[i] = dim_of(L,
                             lxO_int(t->dtype == NN_I64 ? ((const int64_t *)nn_data(t))[i]
                                                        : ((const int32_t *)nn_data(t))[i]),
                             fname);
        if (t->numel == 0) dims[0] = NN_MAX_DIMS + 1;
        return t->numel ? (int)t->numel : 1;
    }
    if (n < 0)
        lxE_error(L, LXT_TypeError,
                  "%s: dims must be an integer, a tuple of integers or `:`, got a value of type %s", fname,
                  lxT_name(lxT_typeof(L, d)));
    if (n > NN_MAX_DIMS) lxE_error(L, LXT_ArgumentError, "%s: %lld dims given", fname, (long long)n);
    for (int64_t i = 0; i < n; i++)
        dims[i] = dim_of(L, items[i], fname);
    if (n == 0) dims[0] = NN_MAX_DIMS + 1;
    return n ? (int)n : 1;
}

/* The number of elements each result of reducing x over dims combines. */
static int64_t group_size(const nn_tensor *x, int nd, const int *dims)
{
    if (nd == 0) return x->numel;
    bool seen[NN_MAX_DIMS] = {false};
    int64_t c = 1;
    for (int i = 0; i < nd; i++)
        if (dims[i] >= 1 && dims[i] <= x->ndim && !seen[dims[i] - 1]) {
            seen[dims[i] - 1] = true;
            c *= x->shape[dims[i] - 1];
        }
    return c;
}

/* The one dim of softmax-like ops (dims = 2 or dims = (2,)); 0 for `:`. */
static int one_dim(lx_State *L, lx_Value d, int def, const char *fname)
{
    if (d.tag == LX_TNOTHING) return def;
    if (is_colon(d)) return 0;
    if (lxO_is(d, LXO_TUPLE) && lxO_as(lxO_tuple, d)->n == 1) d = lxO_as(lxO_tuple, d)->items[0];
    if (d.tag != LX_TINT)
        lxE_error(L, LXT_ArgumentError,
                  "%s: dims must be one dimension (an integer) or `:`, got a value of type %s", fname,
                  lxT_name(lxT_typeof(L, d)));
    if (d.v.i < 1 || d.v.i > 1000000)
        lxE_error(L, LXT_ArgumentError, "%s: dims = %lld: dimensions start at 1", fname, (long long)d.v.i);
    return (int)d.v.i;
}

static bool is_global(lx_State *L, lx_Value f, const char *name)
{
    return lxO_egal(f, lxG_get(L, name));
}

/* f.(x) for the `f` forms: abs2, abs and identity directly, anything else
 * through broadcasting (one pass on the whole tensor when f lifts). */
static lx_Value map_tensor(lx_State *L, lx_Value f, lx_Value *x, const char *fname)
{
    nn_tensor *t = lxL_tval(*x), *out = NULL;
    if (is_global(L, f, "identity")) return *x;
    if (is_global(L, f, "abs2")) {
        if (nn_dtype_is_float(t->dtype)) return lxL_result(L, nn_unary(L->nn, &out, NN_SQUARE, t), &out);
        return lxL_result(L, nn_binary(L->nn, &out, NN_MUL, t, t), &out);
    }
    if (is_global(L, f, "abs") && t->dtype != NN_BOOL)
        return lxL_result(L, nn_unary(L->nn, &out, NN_ABS, t), &out);
    lx_Value r = lxL_tensor_broadcast(L, f, x, 1);
    if (!lxL_istensor(r))
        lxE_error(L, LXT_ArgumentError, "%s: f must map the elements to numbers, got a value of type %s",
                  fname, lxT_name(lxT_typeof(L, r)));
    return r;
}

/* ---- sum, mean, prod, maximum, minimum, var, std, logsumexp --------------------------------------- */

typedef enum { K_SUM, K_MEAN, K_PROD, K_MAX, K_MIN, K_VAR, K_STD, K_LSE } rkind;
static const char *const knames[] = {"sum", "mean", "prod", "maximum", "minimum", "var", "std", "logsumexp"};

/* init's part: sum adds it, prod multiplies, maximum and minimum compare
 * (and give it for an empty group, which otherwise is an error). */
static lx_Value with_init(lx_State *L, const nn_tensor *x, rkind k, int nd, const int *dims, lx_Value init)
{
    const char *name = knames[k];
    if (!lxO_isnumber(init))
        lxE_error(L, LXT_ArgumentError, "%s: init must be a number, got a value of type %s", name,
                  lxT_name(lxT_typeof(L, init)));
    lx_Value hold;
    nn_tensor *out = NULL, *iv = lxL_totensor(L, init, x, name, &hold);
    nn_status s;
    if ((k == K_MAX || k == K_MIN) && x->numel == 0) {
        int64_t shape[NN_MAX_DIMS];
        for (int i = 0; i < x->ndim; i++)
            shape[i] = x->shape[i];
        for (int i = 0; i < nd; i++)
            if (dims[i] >= 1 && dims[i] <= x->ndim) shape[dims[i] - 1] = 1;
        s = nn_full(L->nn, &out, iv->dtype, nd ? x->ndim : 0, shape, lxO_tonumber(init));
    } else {
        nn_reduce_op op = k == K_SUM ? NN_SUM : k == K_PROD ? NN_PROD : k == K_MAX ? NN_MAXIMUM : NN_MINIMUM;
        nn_binary_op bop = k == K_SUM ? NN_ADD : k == K_PROD ? NN_MUL : k == K_MAX ? NN_MAX : NN_MIN;
        nn_tensor *r = NULL;
        s = nn_reduce(L->nn, &r, op, x, nd, dims);
        lxL_result(L, s, &r);
        s = nn_binary(L->nn, &out, bop, r, iv);
    }
    return nd ? lxL_result(L, s, &out) : lxL_scalar(L, s, &out);
}

static lx_Value reduce_tensor(lx_State *L, const nn_tensor *x, rkind k, lx_Value kw)
{
    const char *name = knames[k];
    int dims[NN_MAX_DIMS];
    int nd = dims_arg(L, lxL_kw(L, kw, "dims", lxO_nothing()), dims, name);
    nn_tensor *out = NULL;
    nn_status s;
    bool hasinit = lxL_kw(L, kw, "init", (lx_Value){.tag = LX_TUNDEF}).tag != LX_TUNDEF;
    if ((k == K_MAX || k == K_MIN) && !hasinit && group_size(x, nd, dims) == 0) {
        char b[64];
        lxE_error(
            L, LXT_ArgumentError,
            "%s: reducing over an empty collection is not allowed; consider supplying `init` (x has size %s)",
            name, nn_shape_str(b, sizeof b, x->ndim, x->shape));
    }
    if (k != K_MEAN && k <= K_MIN && hasinit)
        return with_init(L, x, k, nd, dims, lxL_kw(L, kw, "init", lxO_nothing()));
    switch (k) {
    case K_VAR:
    case K_STD: {
        lx_Value c = lxL_kw(L, kw, "corrected", lxO_bool(true));
        if (c.tag != LX_TBOOL)
            lxE_error(L, LXT_TypeError, "%s: corrected must be a Bool, got a value of type %s", name,
                      lxT_name(lxT_typeof(L, c)));
        s = k == K_VAR ? nn_var(L->nn, &out, x, nd, dims, c.v.b) : nn_std(L->nn, &out, x, nd, dims, c.v.b);
        break;
    }
    case K_LSE: s = nn_logsumexp(L->nn, &out, x, nd, dims); break;
    default: {
        static const nn_reduce_op ops[] = {NN_SUM, NN_MEAN, NN_PROD, NN_MAXIMUM, NN_MINIMUM};
        s = nn_reduce(L->nn, &out, ops[k], x, nd, dims);
    }
    }
    return nd ? lxL_result(L, s, &out) : lxL_scalar(L, s, &out);
}

/* name(x::Tensor; kw...) and name(f, x::Tensor; kw...) */
static lx_Value reduce_call(lx_State *L, lx_Value *a, int n, lx_Value kw, rkind k)
{
    lxL_liftcheck(L, knames[k]);
    if (n == 1) return reduce_tensor(L, lxL_tval(a[0]), k, kw);
    lx_Value y = map_tensor(L, a[0], &a[1], knames[k]);
    return reduce_tensor(L, lxL_tval(y), k, kw);
}

static lx_Value t_sum(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return reduce_call(L, a, n, kw, K_SUM);
}
static lx_Value t_mean(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return reduce_call(L, a, n, kw, K_MEAN);
}
static lx_Value t_prod(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return reduce_call(L, a, n, kw, K_PROD);
}
static lx_Value t_maximum(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return reduce_call(L, a, n, kw, K_MAX);
}
static lx_Value t_minimum(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return reduce_call(L, a, n, kw, K_MIN);
}
static lx_Value t_var(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return reduce_call(L, a, n, kw, K_VAR);
}
static lx_Value t_std(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return reduce_call(L, a, n, kw, K_STD);
}
static lx_Value t_logsumexp(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return reduce_call(L, a, n, kw, K_LSE);
}

/* mean of any other collection: sum(xs) / length(xs) (sum(f, xs) for mean(f, xs)). */
static lx_Value c_mean(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value s = lxL_callg(L, "sum", a, n);
    int mark = lxV_root(L, s);
    lx_Value len = lxL_callg(L, "length", a + n - 1, 1);
    lx_Value args[2] = {s, len};
    lx_Value r = lxL_callg(L, "/", args, 2);
    lxV_unroot(L, mark);
    return r;
}

/* ---- argmax, argmin, findmax, findmin, extrema ------------------------------------------------------ */

/* A 1-based linear index of x as Julia reports a position: the Int for a
 * vector, a tuple of indices for more dims (lx has no CartesianIndex). */
static lx_Value position_value(lx_State *L, const nn_tensor *x, int64_t lin)
{
    if (x->ndim <= 1) return lxO_int(lin);
    lxO_tuple *t = lxO_tuple_new(L, x->ndim);
    int64_t r = lin - 1;
    for (int d = 0; d < x->ndim; d++) {
        t->items[d] = lxO_int(r % x->shape[d] + 1);
        r /= x->shape[d];
    }
    return lxO_obj(t);
}

/* The position of the extreme: without dims the linear index (as a
 * position_value); with dims (one of them) an Int64 tensor of positions
 * along it. */
static lx_Value argext(lx_State *L, const nn_tensor *x, lx_Value kw, bool min, int64_t *lin, int *dimp)
{
    const char *name = min ? "argmin" : "argmax";
    int d = one_dim(L, lxL_kw(L, kw, "dims", lxO_nothing()), 0, name);
    nn_tensor *out = NULL;
    nn_status s = min ? nn_argmin(L->nn, &out, x, d) : nn_argmax(L->nn, &out, x, d);
    *dimp = d;
    if (d) return lxL_result(L, s, &out);
    lxL_nncheck(L, s);
    *lin = *(const int64_t *)nn_data(out); /* argmax's Int64 */
    nn_release(out);
    return position_value(L, x, *lin);
}

static lx_Value t_argmax(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "argmax");
    int64_t lin;
    int d;
    return argext(L, lxL_tval(a[0]), kw, false, &lin, &d);
}

static lx_Value t_argmin(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "argmin");
    int64_t lin;
    int d;
    return argext(L, lxL_tval(a[0]), kw, true, &lin, &d);
}

static lx_Value pair_of(lx_State *L, lx_Value a, lx_Value b)
{
    int mark = lxV_root(L, a);
    lxV_root(L, b);
    lxO_tuple *t = lxO_tuple_new(L, 2);
    t->items[0] = a;
    t->items[1] = b;
    lxV_unroot(L, mark);
    return lxO_obj(t);
}

/* findmax(x): (the value, its position); with dims, (the maxima, their
 * positions along dims). */
static lx_Value findext(lx_State *L, lx_Value *a, int n, lx_Value kw, bool min)
{
    const char *name = min ? "findmin" : "findmax";
    lxL_liftcheck(L, name);
    const nn_tensor *x = lxL_tval(a[0]);
    int64_t lin = 0;
    int d;
    lx_Value pos = argext(L, x, kw, min, &lin, &d);
    nn_tensor *out = NULL;
    int mark = lxV_root(L, pos);
    if (d) {
        nn_status s = nn_reduce(L->nn, &out, min ? NN_MINIMUM : NN_MAXIMUM, x, 1, &d);
        lx_Value r = pair_of(L, lxL_result(L, s, &out), pos);
        lxV_unroot(L, mark);
        return r;
    }
    nn_index ix = {.kind = NN_IDX_SCALAR, .i = lin};
    lx_Value v = lxL_scalar(L, nn_getindex(L->nn, &out, x, 1, &ix), &out);
    lx_Value r = pair_of(L, v, pos);
    lxV_unroot(L, mark);
    return r;
}

static lx_Value t_findmax(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return findext(L, a, n, kw, false);
}

static lx_Value t_findmin(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return findext(L, a, n, kw, true);
}

static lx_Value t_extrema(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "extrema");
    lx_Value lo = reduce_call(L, a, n, kw, K_MIN);
    int mark = lxV_root(L, lo);
    lx_Value hi = reduce_call(L, a, n, kw, K_MAX);
    lx_Value r = pair_of(L, lo, hi);
    lxV_unroot(L, mark);
    return r;
}

/* ---- softmax, logsoftmax ------------------------------------------------------------------------------- */

static lx_Value softmax_call(lx_State *L, lx_Value *a, lx_Value kw, bool log)
{
    const char *name = log ? "logsoftmax" : "softmax";
    lxL_liftcheck(L, name);
    nn_tensor *x = lxL_tval(a[0]), *out = NULL;
    int d = one_dim(L, lxL_kw(L, kw, "dims", lxO_nothing()), 1, name);
    if (d) return lxL_result(L, log ? nn_logsoftmax(L->nn, &out, x, d) : nn_softmax(L->nn, &out, x, d), &out);
    /* over all the elements: as a vector, then back to x's shape */
    nn_tensor *v = NULL, *y = NULL;
    lxL_result(L, nn_vec(L->nn, &v, x), &v);
    lxL_result(L, log ? nn_logsoftmax(L->nn, &y, v, 1) : nn_softmax(L->nn, &y, v, 1), &y);
    return lxL_result(L, nn_reshape(L->nn, &out, y, x->ndim, x->shape), &out);
}

static lx_Value t_softmax(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return softmax_call(L, a, kw, false);
}

static lx_Value t_logsoftmax(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return softmax_call(L, a, kw, true);
}

/* ---- cumsum, cumprod ------------------------------------------------------------------------------------
 */

static lx_Value cumulative(lx_State *L, lx_Value *a, lx_Value kw, bool prod)
{
    const char *name = prod ? "cumprod" : "cumsum";
    lxL_liftcheck(L, name);
    nn_tensor *x = lxL_tval(a[0]), *out = NULL;
    lx_Value dv = lxL_kw(L, kw, "dims", lxO_nothing());
    if (dv.tag == LX_TNOTHING && x->ndim > 1) {
        char b[64];
        lxE_error(L, LXT_ArgumentError, "%s: dims is required for a %s tensor (%s(x; dims = 1))", name,
                  nn_shape_str(b, sizeof b, x->ndim, x->shape), name);
    }
    int d = one_dim(L, dv, 1, name);
    if (d == 0) lxE_error(L, LXT_ArgumentError, "%s: dims = : is not supported; give one dimension", name);
    return lxL_result(L, prod ? nn_cumprod(L->nn, &out, x, d) : nn_cumsum(L->nn, &out, x, d), &out);
}

static lx_Value t_cumsum(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return cumulative(L, a, kw, false);
}

static lx_Value t_cumprod(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return cumulative(L, a, kw, true);
}

/* ---- count, any, all ------------------------------------------------------------------------------------
 */

typedef enum { B_COUNT, B_ANY, B_ALL } bkind;
static const char *const bnames[] = {"count", "any", "all"};

static lx_Value bool_reduce(lx_State *L, lx_Value *a, int n, lx_Value kw, bkind k)
{
    const char *name = bnames[k];
    lxL_liftcheck(L, name);
    lx_Value xv = n == 1 ? a[0] : map_tensor(L, a[0], &a[1], name);
    const nn_tensor *x = lxL_tval(xv);
    if (x->dtype != NN_BOOL)
        lxE_error(
            L, LXT_TypeError,
            "%s: non-boolean (%s) used in boolean context: the elements must be Bool (compare them, as in "
            "%s(x .> 0), or give a predicate, %s(f, x))",
            name, nn_dtype_name(x->dtype), name, name);
    int dims[NN_MAX_DIMS];
    int nd = dims_arg(L, lxL_kw(L, kw, "dims", lxO_nothing()), dims, name);
    nn_tensor *cnt = NULL, *out = NULL, *ref = NULL;
    nn_status s = nn_reduce(L->nn, &cnt, NN_SUM, x, nd, dims);
    if (k == B_COUNT) return nd ? lxL_result(L, s, &cnt) : lxL_scalar(L, s, &cnt);
    lxL_result(L, s, &cnt);
    s = nn_scalar(L->nn, &ref, NN_I64, k == B_ANY ? 0.0 : (double)group_size(x, nd, dims));
    lxL_result(L, s, &ref);
    s = nn_compare(L->nn, &out, k == B_ANY ? NN_GT : NN_EQ, cnt, ref);
    return nd ? lxL_result(L, s, &out) : lxL_scalar(L, s, &out);
}

static lx_Value t_count(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return bool_reduce(L, a, n, kw, B_COUNT);
}

static lx_Value t_any(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return bool_reduce(L, a, n, kw, B_ANY);
}

static lx_Value t_all(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return bool_reduce(L, a, n, kw, B_ALL);
}

/* ---- the table ------------------------------------------------------------------------------------------
 */

#define EX(body) "\n\n# Examples\n```\n" body "```"
#define DIMS_DOC                                                                                             \
    " Without `dims` the result is a number (a tracked 0-d tensor inside `gradient`); with `dims` (an Int, " \
    "a tuple of them, or `:` for all) a tensor with the reduced dimensions kept as size 1, as Julia's."

static const lxL_Reg reduce_lib[] = {
    {"sum", "(x::Tensor; dims = :, init)", t_sum,
     "    sum(x::Tensor; dims = :, init)\n    sum(f, x::Tensor; dims = :)\n\nThe sum of the elements (of `f` "
     "applied to each, by broadcasting: `sum(abs2, x)` runs as one fused op). Bool elements count as "
     "Int64; an empty tensor sums to 0." DIMS_DOC " `init` is added to the result. Differentiable." EX(
         "lx> sum([1.0 2.0; 3.0 4.0])\n10.0f0\n\nlx> sum([1 2; 3 4]; dims = 1)\n1×2 Tensor{Int64, 2}:\n 4  "
         "6\n\nlx> sum(abs2, [1, 2, 3])\n14\n")},
    {"sum", "(f, x::Tensor; dims = :, init)", t_sum, ""},
    {"mean", "(x::Tensor; dims = :)", t_mean,
     "    mean(x::Tensor; dims = :)\n    mean(f, x::Tensor; dims = :)\n    mean(xs)\n\nThe arithmetic mean "
     "of "
     "the elements (of `f` applied to each); integer and Bool tensors give Float32, an empty one "
     "NaN." DIMS_DOC " For other collections, `sum(xs) / length(xs)`. Differentiable." EX(
         "lx> mean([1.0, 2.0, 6.0])\n3.0f0\n\nlx> mean([1.0 2.0; 3.0 4.0]; dims = 2)\n2×1 Tensor{Float32, "
         "2}:\n 1.5\n 3.5\n\nlx> mean(1:4)\n2.5\n")},
    {"mean", "(f, x::Tensor; dims = :)", t_mean, ""},
    {"mean", "(xs)", c_mean, ""},
    {"mean", "(f, xs)", c_mean, ""},
    {"prod", "(x::Tensor; dims = :, init)", t_prod,
     "    prod(x::Tensor; dims = :, init)\n    prod(f, x::Tensor; dims = :)\n\nThe product of the elements "
     "(of "
     "`f` applied to each); 1 for an empty tensor." DIMS_DOC
     " Differentiable (also through zeros)." EX("lx> prod([1.0, 2.0, 3.0])\n6.0f0\n")},
    {"prod", "(f, x::Tensor; dims = :, init)", t_prod, ""},
    {"maximum", "(x::Tensor; dims = :, init)", t_maximum,
     "    maximum(x::Tensor; dims = :, init)\n    maximum(f, x::Tensor; dims = :)\n\nThe largest element "
     "(NaN "
     "if any is NaN)." DIMS_DOC " An empty tensor (or an empty group along dims) is an ArgumentError unless "
     "`init` is given. Differentiable: tied maxima share the gradient evenly." EX(
         "lx> maximum([3, 7, 5])\n7\n\nlx> maximum([1 5; 4 2]; dims = 2)\n2×1 Tensor{Int64, 2}:\n 5\n "
         "4\n\nlx> maximum(abs, [-3.0, 2.0])\n3.0f0\n")},
    {"maximum", "(f, x::Tensor; dims = :, init)", t_maximum, ""},
    {"minimum", "(x::Tensor; dims = :, init)", t_minimum,
     "    minimum(x::Tensor; dims = :, init)\n    minimum(f, x::Tensor; dims = :)\n\nThe smallest element "
     "(NaN if any is NaN)." DIMS_DOC " An empty tensor is an ArgumentError unless `init` is given. "
     "Differentiable." EX("lx> minimum([3, 7, 5])\n3\n\nlx> minimum(Float32[]; init = 0)\n0.0f0\n")},
    {"minimum", "(f, x::Tensor; dims = :, init)", t_minimum, ""},
    {"var", "(x::Tensor; dims = :, corrected = true)", t_var,
     "    var(x::Tensor; dims = :, corrected = true)\n\nThe variance of the elements: the mean squared "
     "deviation from their mean, divided by n - 1 (Bessel's correction) or by n when `corrected = false`. "
     "Integer tensors give Float32; fewer than two elements give NaN when corrected." DIMS_DOC
     " Differentiable." EX(
         "lx> var([1.0, 2.0, 3.0, 4.0])\n1.6666666f0\n\nlx> var([1.0, 2.0, 3.0, 4.0]; corrected = "
         "false)\n1.25f0\n")},
    {"std", "(x::Tensor; dims = :, corrected = true)", t_std,
     "    std(x::Tensor; dims = :, corrected = true)\n\nThe standard deviation: `sqrt(var(x; dims, "
     "corrected))`." DIMS_DOC
     " Differentiable." EX("lx> std(Float64[2, 4, 4, 4, 5, 5, 7, 9]; corrected = false)\n2.0\n")},
    {"logsumexp", "(x::Tensor; dims = :)", t_logsumexp,
     "    logsumexp(x::Tensor; dims = :)\n\n`log(sum(exp.(x); dims))` computed without overflow (shifted by "
     "the maximum), as NNlib's." DIMS_DOC
     " Differentiable." EX("lx> logsumexp([1000.0, 1000.0])\n1000.6932f0\n")},
    {"argmax", "(x::Tensor; dims)", t_argmax,
     "    argmax(x::Tensor; dims)\n\nThe position of the largest element (the first of ties; a NaN counts as "
     "the largest). For a vector, its index; for more dimensions, a tuple of indices (lx has no "
     "CartesianIndex: `x[argmax(x)...]` reads it back). With `dims` (one dimension), an Int64 tensor of the "
     "positions along it, size 1 there: `argmax(scores; dims = 1)` gives each column's class. An empty "
     "tensor is an ArgumentError." EX(
         "lx> argmax([3, 7, 5])\n2\n\nlx> argmax([1 5; 4 2])\n(1, 2)\n\nlx> argmax([1 5; 4 2]; dims = "
         "1)\n1×2 Tensor{Int64, 2}:\n 2  1\n")},
    {"argmin", "(x::Tensor; dims)", t_argmin,
     "    argmin(x::Tensor; dims)\n\nThe position of the smallest element, as `argmax` gives positions." EX(
         "lx> argmin([3, 7, 1])\n3\n")},
    {"findmax", "(x::Tensor; dims)", t_findmax,
     "    findmax(x::Tensor; dims)\n\n`(maximum, position)`: the largest element and where it is, its "
     "position as `argmax` gives it. With `dims`, a tensor of maxima and an Int64 tensor of their positions "
     "along dims. The value is differentiable." EX(
         "lx> findmax([3, 7, 5])\n(7, 2)\n\nlx> findmax([1.0 5.0; 4.0 2.0])\n(5.0f0, (1, 2))\n")},
    {"findmin", "(x::Tensor; dims)", t_findmin,
     "    findmin(x::Tensor; dims)\n\n`(minimum, position)`, as `findmax`." EX(
         "lx> findmin([3, 7, 1])\n(1, 3)\n")},
    {"extrema", "(x::Tensor; dims)", t_extrema,
     "    extrema(x::Tensor; dims)\n\n`(minimum(x), maximum(x))`; with `dims`, a tuple of the two reduced "
     "tensors (Julia gives a tensor of tuples)." EX("lx> extrema([3, 7, 1])\n(1, 7)\n")},
    {"extrema", "(f, x::Tensor; dims)", t_extrema, ""},
    {"softmax", "(x::Tensor; dims = 1)", t_softmax,
     "    softmax(x::Tensor; dims = 1)\n\n`exp.(x) ./ sum(exp.(x); dims)`, computed without overflow: each "
     "column (by default) becomes positive weights summing to 1. `dims` is one dimension or `:` (all "
     "elements). Differentiable." EX(
         "lx> softmax([1.0 2.0; 1.0 0.0])\n2×2 Tensor{Float32, 2}:\n 0.5  0.880797\n 0.5  0.119203\n")},
    {"logsoftmax", "(x::Tensor; dims = 1)", t_logsoftmax,
     "    logsoftmax(x::Tensor; dims = 1)\n\n`log.(softmax(x; dims))`, computed directly (accurate for very "
     "negative results). Differentiable." EX(
         "lx> logsoftmax([0.0, 0.0])\n2-element Tensor{Float32, 1}:\n -0.6931472\n -0.6931472\n")},
    {"cumsum", "(x::Tensor; dims)", t_cumsum,
     "    cumsum(x::Tensor; dims)\n\nThe running sums along dimension `dims` (required past one dimension, "
     "as in Julia), of x's shape; Bool elements count as Int64. Differentiable." EX(
         "lx> cumsum([1, 2, 3])\n3-element Tensor{Int64, 1}:\n 1\n 3\n 6\n\nlx> cumsum([1 2; 3 4]; dims = "
         "2)\n2×2 Tensor{Int64, 2}:\n 1  3\n 3  7\n")},
    {"cumprod", "(x::Tensor; dims)", t_cumprod,
     "    cumprod(x::Tensor; dims)\n\nThe running products along dimension `dims` (required past one "
     "dimension). Differentiable (also through zeros)." EX(
         "lx> cumprod([1.0, 2.0, 3.0])\n3-element Tensor{Float32, 1}:\n 1.0\n 2.0\n 6.0\n")},
    {"count", "(x::Tensor; dims = :)", t_count,
     "    count(x::Tensor; dims = :)\n    count(f, x::Tensor; dims = :)\n\nThe number of true elements of a "
     "Bool tensor (of `f` applied to each); other element types are a TypeError. With `dims`, an Int64 "
     "tensor of counts.\n\n# Arguments\n- `x`: a Bool tensor (or, with f, any tensor).\n- `f`: a function of "
     "an element returning a Bool.\n\n# Keyword Arguments\n- `dims = :`: the dimension(s) to count along (an "
     "Int or a tuple); `:` counts all.\n\n# Returns\nAn Int64 for `dims = :`, else an Int64 Tensor with size "
     "1 along dims." EX("lx> count([1, 5, 7] .> 2)\n2\n\nlx> count(iseven, [1, 2, 4])\n2\n")},
    {"count", "(f, x::Tensor; dims = :)", t_count, ""},
    {"any", "(x::Tensor; dims = :)", t_any,
     "    any(x::Tensor; dims = :)\n    any(f, x::Tensor; dims = :)\n\nWhether any element of a Bool tensor "
     "(of `f` applied to each) is true; false when empty. With `dims`, a Bool tensor." EX(
         "lx> any([1, 2, 3] .> 2)\ntrue\n\nlx> any(isnan, [1.0, 2.0])\nfalse\n")},
    {"any", "(f, x::Tensor; dims = :)", t_any, ""},
    {"all", "(x::Tensor; dims = :)", t_all,
     "    all(x::Tensor; dims = :)\n    all(f, x::Tensor; dims = :)\n\nWhether every element of a Bool "
     "tensor "
     "(of `f` applied to each) is true; true when empty. With `dims`, a Bool tensor." EX(
         "lx> all([1, 2, 3] .> 0)\ntrue\n\nlx> all([true false; true true]; dims = 1)\n1×2 Tensor{Bool, "
         "2}:\n 1  0\n")},
    {"all", "(f, x::Tensor; dims = :)", t_all, ""},
    {NULL, NULL, NULL, NULL}};

void lxL_open_tensor_reduce(lx_State *L)
{
    lxL_register(L, reduce_lib);
}
