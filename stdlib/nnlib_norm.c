/* nnlib_norm.c — LuxLib's normalisation functions on tensors: batchnorm,
 * groupnorm, instancenorm and layernorm, with LuxLib's names and positional
 * arguments, and the hidden helpers the layers call (__batchnorm,
 * __normalize).  All run on nn_batchnorm and nn_normalize, whose backwards
 * make them differentiable; a known activation (identity, relu, tanh, ...)
 * runs fused in the kernel, any other function is broadcast over the result.
 */
#include "tensor.h"

#include <string.h>

#define EPS_DEFAULT ((double)1e-5f) /* LuxLib's 1f-5 */
#define MOMENTUM_DEFAULT 0.1

/* ---- arguments ----------------------------------------------------------------------------------------- */

/* A tensor argument that may be `nothing` (NULL). */
static nn_tensor *opt_tensor(lx_State *L, lx_Value *a, int i, const char *fname)
{
    if (a[i].tag == LX_TNOTHING) return NULL;
    if (!lxL_istensor(a[i]))
        lxE_error(L, LXT_TypeError, "%s: argument %d must be a Tensor or nothing, got a value of type %s",
                  fname, i + 1, lxT_name(lxT_typeof(L, a[i])));
    return lxL_tval(a[i]);
}

/* The activation as an nn op when it is one: identity, or a function marked
 * with its op (relu, tanh, sigmoid, ...); false for any other function. */
static bool act_op(lx_State *L, lx_Value f, nn_unary_op *op)
{
    if (lxO_egal(f, lxG_get(L, "identity"))) {
        *op = NN_IDENTITY;
        return true;
    }
    if (!lxO_is(f, LXO_GENERIC)) return false;
    int k = lxO_as(lxO_generic, f)->nnop;
    if (k < 1 || k > NN_NUM_UNARY) return false;
    *op = (nn_unary_op)(k - 1);
    return true;
}

/* act.(y) for an activation that did not run fused: calls into lx. */
static lx_Value act_after(lx_State *L, lx_Value f, lx_Value y)
{
    lx_Value r = lxL_tensor_broadcast(L, f, &y, 1);
    if (!lxL_istensor(r))
        lxE_error(L, LXT_ArgumentError, "the activation must map numbers to numbers, got a value of type %s",
                  lxT_name(lxT_typeof(L, r)));
    return r;
}

static bool is_colon(lx_Value v)
{
    return v.tag == LX_TSYMBOL && !strcmp(((lxO_string *)v.v.o)->data, ":");
}

static void add_dim(lx_State *L, lx_Value d, uint32_t *mask, const char *fname)
{
    if (d.tag != LX_TINT)
        lxE_error(L, LXT_TypeError, "%s: dims must be integers, got a value of type %s", fname,
                  lxT_name(lxT_typeof(L, d)));
    if (d.v.i < 1)
        lxE_error(L, LXT_ArgumentError, "%s: dims = %lld: dimensions start at 1", fname, (long long)d.v.i);
    if (d.v.i <= 32) *mask |= 1u << (d.v.i - 1); /* dims past x's last are size 1: nothing to reduce */
}

/* dims as a bit mask: an Int, a tuple, List, range or Int tensor of them, or `:` (all). */
static uint32_t dims_mask(lx_State *L, lx_Value d, const char *fname)
{
    uint32_t mask = 0;
    if (is_colon(d)) return 0xffffffffu;
    if (d.tag == LX_TINT) {
        add_dim(L, d, &mask, fname);
    } else if (lxO_is(d, LXO_TUPLE)) {
        for (int i = 0; i < lxO_as(lxO_tuple, d)->n; i++)
            add_dim(L, lxO_as(lxO_tuple, d)->items[i], &mask, fname);
    } else if (lxO_is(d, LXO_LIST)) {
        for (size_t i = 0; i < lxO_as(lxO_list, d)->n; i++)
            add_dim(L, lxO_as(lxO_list, d)->items[i], &mask, fname);
    } else if (lxL_istensor(d) && (lxL_tval(d)->dtype == NN_I64 || lxL_tval(d)->dtype == NN_I32)) {
        for (int64_t i = 0; i < lxL_tval(d)->numel; i++)
            add_dim(L, lxO_int((int64_t)nn_get(lxL_tval(d), i)), &mask, fname);
    } else if (lxO_is(d, LXO_RANGE) && !lxO_as(lxO_range, d)->isfloat) {
        for (int64_t i = 0; i < lxO_as(lxO_range, d)->len; i++)
            add_dim(L, lxO_range_at(lxO_as(lxO_range, d), i), &mask, fname);
    } else {
        lxE_error(L, LXT_TypeError,
                  "%s: dims must be an integer, a tuple or range of integers or `:`, got a value "
                  "of type %s",
                  fname, lxT_name(lxT_typeof(L, d)));
    }
    return mask;
}

/* A per-channel argument (scale, bias, running statistics) has C elements. */
static void check_channels(lx_State *L, const nn_tensor *v, const char *what, const nn_tensor *x, int64_t C,
                           const char *fname)
{
    char a[160], b[160];
    if (v && v->numel != C)
        lxE_error(L, LXT_DimensionMismatch, "%s: %s has size %s, but x of size %s has %lld channels (dim %d)",
                  fname, what, nn_shape_str(a, sizeof a, v->ndim, v->shape),
                  nn_shape_str(b, sizeof b, x->ndim, x->shape), (long long)C, x->ndim - 1);
}

static lx_Value tuple2(lx_State *L, lx_Value a, lx_Value b)
{
    lxO_tuple *t = lxO_tuple_new(L, 2);
    t->items[0] = a;
    t->items[1] = b;
    return lxO_obj(t);
}

/* (y, (running_mean = m, running_var = v)), LuxLib's result. */
static lx_Value with_stats(lx_State *L, lx_Value y, lx_Value m, lx_Value v)
{
    lxO_ntuple *nt = lxO_ntuple_new(L, 2);
    nt->names[0] = lxS_cstr(L, "running_mean");
    nt->names[1] = lxS_cstr(L, "running_var");
    nt->vals[0] = m;
    nt->vals[1] = v;
    return tuple2(L, y, lxO_obj(nt));
}

/* ---- the pieces ---------------------------------------------------------------------------------------- */

/* act.(scale .* xh .+ bias) with per-channel scale and bias (dim ndims - 1), fused: batch
 * normalisation in test mode with mean 0 and variance 1 is exactly that, with its backward. */
static lx_Value channel_affine(lx_State *L, lx_Value xh, const nn_tensor *scale, const nn_tensor *bias,
                               nn_unary_op op)
{
    if (!scale && !bias && op == NN_IDENTITY) return xh;
    nn_tensor *x = lxL_tval(xh), *z = NULL, *o = NULL, *y = NULL;
    int64_t C = x->shape[x->ndim - 2];
    nn_status s = nn_zeros(L->nn, &z, NN_F64, 1, &C);
    lx_Value zv = lxL_result(L, s, &z);
    s = nn_ones(L->nn, &o, NN_F64, 1, &C);
    lx_Value ov = lxL_result(L, s, &o);
    s = nn_batchnorm(L->nn, &y, NULL, NULL, x, scale, bias, lxL_tval(zv), lxL_tval(ov), false, 0, 0, op,
                     nn_unary_default_param(op));
    return lxL_result(L, s, &y);
}

/* Batch normalisation as LuxLib: without running statistics the batch's own
 * normalise whatever `training` says; the running statistics come back
 * updated in training, as given otherwise (nothing when nothing).  Updating
 * them from a batch of 1 is nn_batchnorm's ArgumentError. */
static void bn(lx_State *L, lx_Value *a, bool training, double momentum, double eps, nn_unary_op op,
               lx_Value *y, lx_Value *m, lx_Value *v, const char *fname)
{
    nn_tensor *x = lxL_tval(a[0]), *scale = opt_tensor(L, a, 1, fname), *bias = opt_tensor(L, a, 2, fname);
    nn_tensor *rm = opt_tensor(L, a, 3, fname), *rv = opt_tensor(L, a, 4, fname);
    if (x->ndim >= 2) {
        int64_t C = x->shape[x->ndim - 2];
        check_channels(L, scale, "scale", x, C, fname);
        check_channels(L, bias, "bias", x, C, fname);
        check_channels(L, rm, "running_mean", x, C, fname);
        check_channels(L, rv, "running_var", x, C, fname);
    }
    if (!rm != !rv)
        lxE_error(L, LXT_ArgumentError,
                  "%s: running_mean and running_var go together: both tensors or both nothing", fname);
    nn_tensor *out = NULL, *nm = NULL, *nv = NULL;
    *m = a[3];
    *v = a[4];
    if (!rm && x->ndim >= 2 && x->shape[x->ndim - 1] == 1) {
        /* a batch of 1 without running statistics: LuxLib normalises it as it is (only a layer that
         * tracks statistics, or the BatchNorm layer in training, refuses it) */
        uint32_t mask = ((1u << x->ndim) - 1) & ~(1u << (x->ndim - 2));
        lx_Value xh = lxL_result(L, nn_normalize(L->nn, &out, x, mask, eps), &out);
        *y = channel_affine(L, xh, scale, bias, op);
        return;
    }
    bool update = training && rm;
    double p = nn_unary_default_param(op);
    nn_status s =
        rm && !training
            ? nn_batchnorm(L->nn, &out, NULL, NULL, x, scale, bias, rm, rv, false, momentum, eps, op, p)
            : nn_batchnorm(L->nn, &out, update ? &nm : NULL, update ? &nv : NULL, x, scale, bias,
                           update ? rm : NULL, update ? rv : NULL, true, momentum, eps, op, p);
    *y = lxL_result(L, s, &out);
    if (nm) {
        *m = lxL_wrap(L, nm);
        *v = lxL_wrap(L, nv);
    }
}

/* act.(y) unless it ran fused; m and v stay rooted while act runs in lx. */
static lx_Value finish_act(lx_State *L, lx_Value act, bool fused, lx_Value y, lx_Value m, lx_Value v)
{
    if (fused) return y;
    int mark = lxV_root(L, m);
    lxV_root(L, v);
    y = act_after(L, act, y);
    lxV_unroot(L, mark);
    return y;
}

static nn_tensor *check_x(lx_State *L, lx_Value *a, int min_ndim, const char *fname)
{
    nn_tensor *x = lxL_checktensor(L, a, 0, fname);
    char b[160];
    if (x->ndim < min_ndim)
        lxE_error(
            L, LXT_DimensionMismatch,
            "%s: x has size %s; it needs at least %d dims (channels in dim ndims(x) - 1, the batch last)",
            fname, nn_shape_str(b, sizeof b, x->ndim, x->shape), min_ndim);
    return x;
}

/* ---- batchnorm ----------------------------------------------------------------------------------------- */

/* batchnorm(x, scale, bias, running_mean, running_var, training, act = identity, momentum = 0.1,
 * epsilon = 1f-5) -> (y, (running_mean = ..., running_var = ...)) */
static lx_Value n_batchnorm(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)kw;
    const char *f = "batchnorm";
    lxL_liftcheck(L, f);
    lx_Value act = n > 6 ? a[6] : lxG_get(L, "identity"), y, m, v;
    double mom = n > 7 ? lxL_number(L, a, 7, f) : MOMENTUM_DEFAULT,
           eps = n > 8 ? lxL_number(L, a, 8, f) : EPS_DEFAULT;
    nn_unary_op op = NN_IDENTITY;
    bool fused = act_op(L, act, &op);
    bn(L, a, a[5].v.b, mom, eps, op, &y, &m, &v, f);
    y = finish_act(L, act, fused, y, m, v);
    return with_stats(L, y, m, v);
}

/* __batchnorm(x, scale, bias, running_mean, running_var, training, momentum, epsilon, act) -> (y, m, v):
 * the BatchNorm layer's call */
static lx_Value n_batchnorm_layer(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)n, (void)kw;
    const char *f = "BatchNorm";
    lxL_liftcheck(L, f);
    lx_Value act = a[8], y, m, v;
    nn_unary_op op = NN_IDENTITY;
    bool fused = act_op(L, act, &op);
    bn(L, a, a[5].v.b, lxL_number(L, a, 6, f), lxL_number(L, a, 7, f), op, &y, &m, &v, f);
    y = finish_act(L, act, fused, y, m, v);
    lxO_tuple *t = lxO_tuple_new(L, 3);
    t->items[0] = y;
    t->items[1] = m;
    t->items[2] = v;
    return lxO_obj(t);
}

/* ---- groupnorm ----------------------------------------------------------------------------------------- */

static lx_Value n_groupnorm(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)kw;
    const char *f = "groupnorm";
    lxL_liftcheck(L, f);
    nn_tensor *x = check_x(L, a, 2, f), *scale = opt_tensor(L, a, 1, f), *bias = opt_tensor(L, a, 2, f);
    int64_t G = lxL_int(L, a, 3, f);
    lx_Value act = n > 4 ? a[4] : lxG_get(L, "identity");
    double eps = n > 5 ? lxL_number(L, a, 5, f) : EPS_DEFAULT;
    int nd = x->ndim;
    int64_t C = x->shape[nd - 2], shape[NN_MAX_DIMS + 1];
    if (G < 1 || C % G != 0)
        lxE_error(L, LXT_ArgumentError,
                  "The number of groups (%lld) must divide the number of channels (%lld)", (long long)G,
                  (long long)C);
    check_channels(L, scale, "scale", x, C, f);
    check_channels(L, bias, "bias", x, C, f);
    if (nd == NN_MAX_DIMS)
        lxE_error(L, LXT_ArgumentError, "groupnorm: x has %d dims, splitting the channels needs one more",
                  nd);
    /* (..., C, N) as (..., C/G, G, N): the statistics over all but the last two */
    memcpy(shape, x->shape, (size_t)nd * sizeof *shape);
    shape[nd - 2] = C / G;
    shape[nd - 1] = G;
    shape[nd] = x->shape[nd - 1];
    nn_tensor *t = NULL;
    lx_Value xr = lxL_result(L, nn_reshape(L->nn, &t, x, nd + 1, shape), &t);
    lx_Value xh = lxL_result(L, nn_normalize(L->nn, &t, lxL_tval(xr), (1u << (nd - 1)) - 1, eps), &t);
    xh = lxL_result(L, nn_reshape(L->nn, &t, lxL_tval(xh), nd, x->shape), &t);
    nn_unary_op op = NN_IDENTITY;
    bool fused = act_op(L, act, &op);
    lx_Value y = channel_affine(L, xh, scale, bias, op);
    return finish_act(L, act, fused, y, lxO_nothing(), lxO_nothing());
}

/* ---- instancenorm -------------------------------------------------------------------------------------- */

/* LuxLib's running statistics of instance norm: the batch's mean of the
 * per-instance means and (times n/(n-1), n the elements of an instance)
 * variances. */
static void instance_stats(lx_State *L, const nn_tensor *x, const nn_tensor *rm, const nn_tensor *rv,
                           double mom, lx_Value *m, lx_Value *v)
{
    int nd = x->ndim, dims[NN_MAX_DIMS];
    int64_t C = x->shape[nd - 2], N = x->shape[nd - 1], n = 1;
    for (int i = 0; i < nd - 2; i++) {
        dims[i] = i + 1;
        n *= x->shape[i];
    }
    nn_tensor *t = NULL;
    lx_Value xd = lxL_result(L, nn_detach(L->nn, &t, x), &t);
    lx_Value mu = lxL_result(L, nn_reduce(L->nn, &t, NN_MEAN, lxL_tval(xd), nd - 2, dims), &t);
    lx_Value var = lxL_result(L, nn_var(L->nn, &t, lxL_tval(xd), nd - 2, dims, false), &t);
    nn_dtype dt = nn_dtype_is_float(x->dtype) ? x->dtype : NN_F32;
    *m = lxL_result(
        L, nn_empty(L->nn, &t, nn_dtype_is_float(rm->dtype) ? rm->dtype : dt, rm->ndim, rm->shape), &t);
    *v = lxL_result(
        L, nn_empty(L->nn, &t, nn_dtype_is_float(rv->dtype) ? rv->dtype : dt, rv->ndim, rv->shape), &t);
    for (int64_t c = 0; c < C; c++) {
        double sm = 0, sv = 0;
        for (int64_t k = 0; k < N; k++) {
            sm += nn_get(lxL_tval(mu), c + C * k);
            sv += nn_get(lxL_tval(var), c + C * k);
        }
        nn_set(lxL_tval(*m), c, (1 - mom) * nn_get(rm, c) + mom * sm / (double)N);
        nn_set(lxL_tval(*v), c,
               (1 - mom) * nn_get(rv, c) + mom * sv / (double)N * (double)n / (double)(n - 1));
    }
}

static lx_Value n_instancenorm(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)kw;
    const char *f = "instancenorm";
    lxL_liftcheck(L, f);
    nn_tensor *x = lxL_tval(a[0]), *scale = opt_tensor(L, a, 1, f), *bias = opt_tensor(L, a, 2, f);
    nn_tensor *rm = opt_tensor(L, a, 3, f), *rv = opt_tensor(L, a, 4, f);
    bool training = a[5].v.b;
    lx_Value act = n > 6 ? a[6] : lxG_get(L, "identity"), y, m = a[3], v = a[4];
    double mom = n > 7 ? lxL_number(L, a, 7, f) : MOMENTUM_DEFAULT,
           eps = n > 8 ? lxL_number(L, a, 8, f) : EPS_DEFAULT;
    int nd = x->ndim;
    if (nd <= 2) lxE_error(L, LXT_ArgumentError, "instancenorm: `ndims(x) = %d` must be at least > 2.", nd);
    int64_t C = x->shape[nd - 2];
    check_channels(L, scale, "scale", x, C, f);
    check_channels(L, bias, "bias", x, C, f);
    check_channels(L, rm, "running_mean", x, C, f);
    check_channels(L, rv, "running_var", x, C, f);
    if (!rm != !rv)
        lxE_error(L, LXT_ArgumentError,
                  "%s: running_mean and running_var go together: both tensors or both nothing", f);
    nn_unary_op op = NN_IDENTITY;
    bool fused = act_op(L, act, &op);
    nn_tensor *t = NULL;
    if (rm && !training) { /* test mode: the running statistics normalise, per channel */
        y = lxL_result(L,
                       nn_batchnorm(L->nn, &t, NULL, NULL, x, scale, bias, rm, rv, false, mom, eps, op,
                                    nn_unary_default_param(op)),
                       &t);
    } else {
        lx_Value xh = lxL_result(L, nn_normalize(L->nn, &t, x, (1u << (nd - 2)) - 1, eps), &t);
        y = channel_affine(L, xh, scale, bias, op);
        if (rm) instance_stats(L, x, rm, rv, mom, &m, &v);
    }
    y = finish_act(L, act, fused, y, m, v);
    return with_stats(L, y, m, v);
}

/* ---- layernorm, __normalize ------------------------------------------------------------------------------
 */

static lx_Value n_layernorm(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)kw;
    const char *f = "layernorm";
    lxL_liftcheck(L, f);
    nn_tensor *x = lxL_tval(a[0]), *scale = opt_tensor(L, a, 1, f), *bias = opt_tensor(L, a, 2, f), *t = NULL;
    lx_Value act = n > 3 ? a[3] : lxG_get(L, "identity");
    uint32_t mask =
        n > 4 && a[4].tag != LX_TNOTHING ? dims_mask(L, a[4], f) : (x->ndim ? (1u << (x->ndim - 1)) - 1 : 0);
    double eps = n > 5 ? lxL_number(L, a, 5, f) : EPS_DEFAULT;
    lx_Value y = lxL_result(L, nn_normalize(L->nn, &t, x, mask, eps), &t);
    if (scale) y = lxL_result(L, nn_binary(L->nn, &t, NN_MUL, lxL_tval(y), scale), &t);
    if (bias) y = lxL_result(L, nn_binary(L->nn, &t, NN_ADD, lxL_tval(y), bias), &t);
    nn_unary_op op = NN_IDENTITY;
    bool fused = act_op(L, act, &op);
    if (fused && op != NN_IDENTITY)
        y = lxL_result(L, nn_unary_p(L->nn, &t, op, lxL_tval(y), nn_unary_default_param(op)), &t);
    return finish_act(L, act, fused, y, lxO_nothing(), lxO_nothing());
}

/* __normalize(x, dims::Tuple, epsilon): (x .- mean) ./ sqrt.(var .+ epsilon) over dims (1-based) */
static lx_Value n_normalize(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)n, (void)kw;
    lxL_liftcheck(L, "normalize");
    nn_tensor *t = NULL;
    uint32_t mask = dims_mask(L, a[1], "normalize");
    return lxL_result(L, nn_normalize(L->nn, &t, lxL_tval(a[0]), mask, lxL_number(L, a, 2, "normalize")), &t);
}

/* ---- the table ----------------------------------------------------------------------------------------- */

#define EX(body) "\n\n# Examples\n```\n" body "```"
#define ACT_DOC                                                                                              \
    "`act` is applied to the result: identity, relu, tanh, sigmoid and NNlib's other activations run fused " \
    "in "                                                                                                    \
    "the kernel; any other function is broadcast over the result afterwards."

static const lxL_Reg nnlib_norm_lib[] = {
    {"batchnorm",
     "(x::Tensor, scale, bias, running_mean, running_var, training::Bool, act = identity, momentum = 0.1, "
     "epsilon = 1f-5)",
     n_batchnorm,
     "    batchnorm(x, scale, bias, running_mean, running_var, training::Bool, act = identity,\n"
     "              momentum = 0.1, epsilon = 1f-5)\n\n"
     "Batch normalisation (LuxLib's): `act.(scale .* (x .- μ) ./ sqrt.(σ² .+ epsilon) .+ bias)` with one μ "
     "and "
     "σ² per channel (dim `ndims(x) - 1`: rows of a `(C, N)` matrix, dim 3 of `(W, H, C, N)` images) over "
     "every other dim.\n\n## Arguments\n\n- `x`: at least 2 dims, the batch last.\n- `scale`, `bias`: `(C,)` "
     "or `nothing`.\n- `running_mean`, `running_var`: `(C,)` or both `nothing`.\n- `training`: `true` "
     "normalises with the batch's mean and biased variance and updates the running statistics, "
     "`(1 - momentum) .* r .+ momentum .* μ` and `(1 - momentum) .* r .+ momentum .* σ² .* n / (n - 1)` (n "
     "elements per channel); `false` normalises with the running statistics. Without running statistics "
     "the batch's own always normalise.\n- " ACT_DOC
     "\n\n## Returns\n\n`(y, (running_mean = …, running_var = "
     "…))`: the updated statistics in training, the given ones otherwise. Differentiable in x, scale and "
     "bias "
     "(in training through the batch statistics). Updating running statistics from a batch of 1 "
     "is an ArgumentError (\"Batch size for BatchNorm cannot be 1 during training\")." EX(
         "lx> x = Float32[1 3; 2 6];\n\nlx> y, st = batchnorm(x, nothing, nothing, zeros(Float32, 2), "
         "ones(Float32, 2), true, identity, 0.1, 0);\n\nlx> y\n2×2 Tensor{Float32, 2}:\n "
         "-1.0  1.0\n -1.0  1.0\n\nlx> println(st)\n(running_mean = [0.2, 0.4], running_var = [1.1, "
         "1.7])\n")},
    {"groupnorm", "(x::Tensor, scale, bias, groups::Int, act = identity, epsilon = 1f-5)", n_groupnorm,
     "    groupnorm(x, scale, bias, groups::Int, act = identity, epsilon = 1f-5)\n\nGroup normalisation "
     "(LuxLib's): the channels (dim `ndims(x) - 1`) split into `groups` groups of neighbours; each group of "
     "each "
     "sample is normalised by its own mean and biased variance, then `act.(scale .* x̂ .+ bias)` per "
     "channel.\n\n"
     "## Arguments\n\n- `x`: at least 2 dims, the batch last; `groups` must divide its channel count.\n- "
     "`scale`, `bias`: `(C,)` or `nothing`.\n- " ACT_DOC "\n\nDifferentiable in x, scale and bias."
     "\n\n## Returns\n\n`y`, a tensor of x's size: the normalised, scaled and shifted x with `act` "
     "applied." EX("lx> groupnorm(Float32[1 5; 3 7; 2 0; 4 2], nothing, nothing, 2, relu, 0)\n4×2 "
                   "Tensor{Float32, 2}:\n 0.0  0.0\n 1.0  1.0\n 0.0  0.0\n 1.0  1.0\n")},
    {"instancenorm",
     "(x::Tensor, scale, bias, running_mean, running_var, training::Bool, act = identity, momentum = 0.1, "
     "epsilon = 1f-5)",
     n_instancenorm,
     "    instancenorm(x, scale, bias, running_mean, running_var, training::Bool, act = identity,\n"
     "                 momentum = 0.1, epsilon = 1f-5)\n\nInstance normalisation (LuxLib's): each channel of "
     "each sample normalised over the spatial dims (all but the last two; `ndims(x) > 2`), then "
     "`act.(scale .* x̂ .+ bias)` per channel.\n\n## Arguments\n\n- `scale`, `bias`: `(C,)` or `nothing`.\n- "
     "`running_mean`, `running_var`: `(C,)` or both `nothing`. In training they are updated from the batch's "
     "mean of the per-instance statistics (the variance times n / (n - 1), n the elements of an instance); "
     "with `training = false` they normalise instead.\n- " ACT_DOC
     "\n\n## Returns\n\n`(y, (running_mean = …, "
     "running_var = …))`. Differentiable in x, scale and bias." EX(
         "lx> x = reshape(Float32[1, 3, 2, 6], 2, 1, 2);\n\nlx> y, st = instancenorm(x, Float32[2], "
         "nothing, Float32[0], Float32[1], true, identity, 0.1, 0);\n\nlx> vec(y)\n"
         "4-element Tensor{Float32, 1}:\n -2.0\n  2.0\n -2.0\n  2.0\n\nlx> "
         "println(st)\n(running_mean = [0.3], running_var = [1.4])\n")},
    {"layernorm", "(x::Tensor, scale, bias, act = identity, dims = 1:ndims(x)-1, epsilon = 1f-5)",
     n_layernorm,
     "    layernorm(x, scale, bias, act = identity, dims = 1:ndims(x)-1, epsilon = 1f-5)\n\nLayer "
     "normalisation (LuxLib's): x normalised by the mean and biased variance over `dims` (by default every "
     "dim "
     "but the batch: each sample on its own), then `act.(x̂ .* scale .+ bias)` with Julia's broadcasting.\n\n"
     "## Arguments\n\n- `scale`, `bias`: tensors that broadcast against x, or `nothing`.\n- `dims`: an Int, "
     "a "
     "tuple or range of them, or `:` for all.\n- " ACT_DOC "\n\nDifferentiable in x, scale and bias."
     "\n\n## Returns\n\n`y`, a tensor of the broadcast size of x, scale and bias (x's size for per-feature "
     "ones): the normalised x with `act` applied." EX(
         "lx> layernorm(Float32[1 10; 3 30], nothing, nothing, identity, 1, 0)\n2×2 "
         "Tensor{Float32, 2}:\n -1.0  -1.0\n  1.0   1.0\n\nlx> layernorm(Float32[1 10; 3 "
         "30], nothing, nothing, identity, :)\n2×2 Tensor{Float32, 2}:\n -0.872041  "
         "-0.0872041\n -0.697633   1.65688\n")},
    {"__batchnorm",
     "(x::Tensor, scale, bias, running_mean, running_var, training::Bool, momentum, epsilon, act)",
     n_batchnorm_layer, NULL},
    {"__normalize", "(x::Tensor, dims, epsilon)", n_normalize, NULL},
    {NULL, NULL, NULL, NULL}};

void lxL_open_nnlib_norm(lx_State *L)
{
    lxL_register(L, nnlib_norm_lib);
}
