/* nnlib_pool.c — NNlib's pooling and upsampling functions on tensors:
 * maxpool, meanpool, lpnormpool, upsample_nearest, upsample_linear /
 * bilinear / trilinear and pixel_shuffle, with NNlib's names and keywords,
 * all differentiable (nn/pooling.c, and reshape + permutedims for
 * pixel_shuffle); and __pool, the form the pooling layers call.
 */
#include "tensor.h"

#include <math.h>
#include <string.h>

#define SHAPE_BUF 160

/* ---- reading tuples of integers ----------------------------------------------------------------------- */

static const char *type_name(lx_State *L, lx_Value v)
{
    return lxT_name(lxT_typeof(L, v));
}

static int64_t int_item(lx_State *L, lx_Value v, const char *fname, const char *what)
{
    if (v.tag != LX_TINT)
        lxE_error(L, LXT_TypeError, "%s: %s must hold integers, got a value of type %s", fname, what,
                  type_name(L, v));
    return v.v.i;
}

static int tuple_len(lx_Value v)
{
    return lxO_is(v, LXO_TUPLE) ? lxO_as(lxO_tuple, v)->n : -1;
}

/* v, an Int (the same for all n) or a tuple of n Ints, into out[0..n); with
 * pairs, a tuple of 2n is taken too (lo, hi per dim) and an Int or an n-tuple
 * is doubled (pad). */
static void ints_arg(lx_State *L, lx_Value v, int n, bool pairs, int64_t *out, const char *fname,
                     const char *what)
{
    int m = pairs ? 2 * n : n;
    if (v.tag == LX_TINT) {
        for (int i = 0; i < m; i++)
            out[i] = v.v.i;
        return;
    }
    int len = tuple_len(v);
    if (len < 0)
        lxE_error(L, LXT_TypeError, "%s: %s must be an Int or a tuple of Ints, got a value of type %s", fname,
                  what, type_name(L, v));
    lx_Value *it = lxO_as(lxO_tuple, v)->items;
    if (len == m) {
        for (int i = 0; i < m; i++)
            out[i] = int_item(L, it[i], fname, what);
        return;
    }
    if (pairs && len == n) {
        for (int i = 0; i < n; i++)
            out[2 * i] = out[2 * i + 1] = int_item(L, it[i], fname, what);
        return;
    }
    if (pairs)
        lxE_error(L, LXT_ArgumentError, "%s: %s has %d entries; a %d-d window takes an Int, %d or %d", fname,
                  what, len, n, n, 2 * n);
    lxE_error(L, LXT_ArgumentError, "%s: %s has %d entries; a %d-d window takes an Int or %d", fname, what,
              len, n, n);
}

/* ---- pooling ------------------------------------------------------------------------------------------ */

static lx_Value pool(lx_State *L, nn_tensor *x, nn_pool_mode mode, double p, lx_Value k, lx_Value kw,
                     const char *fname)
{
    lxL_liftcheck(L, fname);
    int nd = tuple_len(k);
    if (nd < 1 || nd > 3)
        lxE_error(L, LXT_ArgumentError, "%s: the window has %d dimensions (1, 2 or 3 are supported)", fname,
                  nd);
    nn_pool_params pp = {.nd = nd, .p = p};
    ints_arg(L, k, nd, false, pp.k, fname, "the window");
    ints_arg(L, lxL_kw(L, kw, "stride", k), nd, false, pp.stride, fname, "stride");
    ints_arg(L, lxL_kw(L, kw, "pad", lxO_int(0)), nd, true, pp.pad, fname, "pad");
    ints_arg(L, lxL_kw(L, kw, "dilation", lxO_int(1)), nd, false, pp.dilation, fname, "dilation");
    nn_tensor *out = NULL;
    return lxL_result(L, nn_pooling(L->nn, &out, x, mode, &pp), &out);
}

static lx_Value n_maxpool(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return pool(L, lxL_tval(a[0]), NN_POOL_MAX, 0, a[1], kw, "maxpool");
}

static lx_Value n_meanpool(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return pool(L, lxL_tval(a[0]), NN_POOL_MEAN, 0, a[1], kw, "meanpool");
}

static lx_Value n_lpnormpool(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return pool(L, lxL_tval(a[0]), NN_POOL_LP, lxL_number(L, a, 1, "lpnormpool"), a[2], kw, "lpnormpool");
}

/* __pool(x, mode, k, stride, pad, dilation, p): every parameter spelled out,
 * for the pooling layers. */
static lx_Value n_pool(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    static const char *const modes[3] = {"max", "mean", "lp"};
    const char *fname = "__pool";
    lxL_liftcheck(L, fname);
    nn_tensor *x = lxL_tval(a[0]);
    const char *m = ((lxO_string *)a[1].v.o)->data;
    int mode = 0;
    while (mode < 3 && strcmp(m, modes[mode]))
        mode++;
    if (mode == 3) lxE_error(L, LXT_ArgumentError, "%s: mode :%s (:max, :mean or :lp)", fname, m);
    int nd = tuple_len(a[2]);
    if (nd < 1 || nd > 3)
        lxE_error(L, LXT_ArgumentError, "%s: the window has %d dimensions (1, 2 or 3 are supported)", fname,
                  nd);
    nn_pool_params pp = {.nd = nd, .p = lxL_number(L, a, 6, fname)};
    ints_arg(L, a[2], nd, false, pp.k, fname, "the window");
    ints_arg(L, a[3], nd, false, pp.stride, fname, "stride");
    ints_arg(L, a[4], nd, true, pp.pad, fname, "pad");
    ints_arg(L, a[5], nd, false, pp.dilation, fname, "dilation");
    nn_tensor *out = NULL;
    return lxL_result(L, nn_pooling(L->nn, &out, x, (nn_pool_mode)mode, &pp), &out);
}

/* ---- upsampling ---------------------------------------------------------------------------------------- */

/* Exactly one of scale (a positional argument, nothing when absent) and the
 * keyword size. */
static lx_Value scale_or_size(lx_State *L, lx_Value *a, int n, lx_Value kw, bool *is_size, const char *fname)
{
    lx_Value scale = n > 1 ? a[1] : lxO_nothing(), size = lxL_kw(L, kw, "size", lxO_nothing());
    bool has_scale = scale.tag != LX_TNOTHING, has_size = size.tag != LX_TNOTHING;
    if (has_scale == has_size)
        lxE_error(L, LXT_ArgumentError, "%s: give either a scale or the keyword size (but not both)", fname);
    *is_size = has_size;
    return has_size ? size : scale;
}

/* x with trailing size-1 dims up to ndim (a view), wrapped. */
static nn_tensor *padded_dims(lx_State *L, nn_tensor *x, int ndim)
{
    int64_t shape[NN_MAX_DIMS];
    for (int i = 0; i < ndim; i++)
        shape[i] = i < x->ndim ? x->shape[i] : 1;
    nn_tensor *v = NULL;
    lxL_result(L, nn_reshape(L->nn, &v, x, ndim, shape), &v);
    return v;
}

static lx_Value n_upsample_nearest(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const char *fname = "upsample_nearest";
    lxL_liftcheck(L, fname);
    nn_tensor *x = lxL_tval(a[0]);
    bool is_size;
    lx_Value v = scale_or_size(L, a, n, kw, &is_size, fname);
    const char *what = is_size ? "size" : "scale";
    int nd = tuple_len(v);
    if (nd < 0)
        lxE_error(L, LXT_TypeError, "%s: %s must be a tuple of Ints, got a value of type %s", fname, what,
                  type_name(L, v));
    if (nd < 1 || nd > 3 || nd > x->ndim) {
        char b[SHAPE_BUF];
        lxE_error(L, LXT_ArgumentError, "%s: can't upsample x of size %s with a %s of %d entries (1 to %d)",
                  fname, nn_shape_str(b, sizeof b, x->ndim, x->shape), what, nd, x->ndim < 3 ? x->ndim : 3);
    }
    int64_t size[3];
    ints_arg(L, v, nd, false, size, fname, what);
    for (int i = 0; !is_size && i < nd; i++) {
        if (size[i] < 1)
            lxE_error(L, LXT_ArgumentError, "%s: scale factors must be at least 1, got %lld", fname,
                      (long long)size[i]);
        if (__builtin_mul_overflow(size[i], x->shape[i], &size[i]))
            lxE_error(L, LXT_ArgumentError, "%s: the result is too large", fname);
    }
    /* NNlib scales the first dims of any array: a matrix gets (C, N) of size 1 for the kernel */
    nn_tensor *xin = x->ndim < nd + 2 ? padded_dims(L, x, nd + 2) : x, *out = NULL;
    lx_Value r = lxL_result(L, nn_upsample_nearest(L->nn, &out, xin, nd, size), &out);
    if (xin == x) return r;
    int64_t shape[NN_MAX_DIMS];
    memcpy(shape, out->shape, sizeof shape);
    nn_tensor *back = NULL;
    return lxL_result(L, nn_reshape(L->nn, &back, out, x->ndim, shape), &back);
}

/* upsample_linear (nd = 0: as many spatial dims as the scale or size has,
 * ndims(x) - 2 for a number), bilinear (2), trilinear (3). */
static lx_Value up_linear(lx_State *L, lx_Value *a, int n, lx_Value kw, int fixed, const char *fname)
{
    lxL_liftcheck(L, fname);
    nn_tensor *x = lxL_tval(a[0]);
    bool is_size;
    lx_Value v = scale_or_size(L, a, n, kw, &is_size, fname);
    lx_Value ac = lxL_kw(L, kw, "align_corners", lxO_bool(true));
    if (ac.tag != LX_TBOOL)
        lxE_error(L, LXT_TypeError, "%s: align_corners must be a Bool, got a value of type %s", fname,
                  type_name(L, ac));
    int len = tuple_len(v);
    int nd = fixed ? fixed : len > 0 ? len : x->ndim - 2 > 1 ? x->ndim - 2 : 1;
    if (len >= 0 && len != nd)
        lxE_error(L, LXT_ArgumentError, "%s: %s has %d entries, for %d spatial dimensions", fname,
                  is_size ? "size" : "scale", len, nd);
    if (nd > 3)
        lxE_error(L, LXT_ArgumentError, "%s: %d spatial dimensions (1, 2 or 3 are supported)", fname, nd);
    int64_t size[3];
    if (is_size)
        ints_arg(L, v, nd, false, size, fname, "size");
    else
        for (int i = 0; i < nd; i++) {
            lx_Value s = len >= 0 ? lxO_as(lxO_tuple, v)->items[i] : v;
            if (!lxO_isnumber(s))
                lxE_error(L, LXT_TypeError, "%s: scale must be a real number or a tuple of them, got a %s",
                          fname, type_name(L, s));
            double f = lxO_tonumber(s) * (double)(i < x->ndim ? x->shape[i] : 1);
            if (!(f >= 0 && f < 9.0e18))
                lxE_error(L, LXT_ArgumentError, "%s: scale %g gives no valid size", fname, lxO_tonumber(s));
            size[i] = (int64_t)floor(f);
        }
    nn_tensor *out = NULL;
    return lxL_result(L, nn_upsample_linear(L->nn, &out, x, nd, size, ac.v.b), &out);
}

static lx_Value n_upsample_linear(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return up_linear(L, a, n, kw, 0, "upsample_linear");
}

static lx_Value n_upsample_bilinear(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return up_linear(L, a, n, kw, 2, "upsample_bilinear");
}

static lx_Value n_upsample_trilinear(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return up_linear(L, a, n, kw, 3, "upsample_trilinear");
}

/* ---- pixel_shuffle: (I..., r^d C, N) -> (r I..., C, N), NNlib's reshape and permutedims ---------------- */

static lx_Value n_pixel_shuffle(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const char *fname = "pixel_shuffle";
    lxL_liftcheck(L, fname);
    nn_tensor *x = lxL_tval(a[0]);
    int64_t r = lxL_int(L, a, 1, fname);
    char b[SHAPE_BUF];
    nn_shape_str(b, sizeof b, x->ndim, x->shape);
    int d = x->ndim - 2;
    if (d < 1)
        lxE_error(L, LXT_ArgumentError, "%s: expected x with at least 3 dimensions, got size %s", fname, b);
    if (2 * d + 2 > NN_MAX_DIMS)
        lxE_error(L, LXT_ArgumentError, "%s: x of size %s has too many dimensions (at most %d)", fname, b,
                  NN_MAX_DIMS / 2 + 1);
    if (r < 1)
        lxE_error(L, LXT_ArgumentError, "%s: the factor r = %lld must be at least 1", fname, (long long)r);
    int64_t rd = 1, cin = x->shape[d];
    for (int i = 0; i < d; i++)
        if (__builtin_mul_overflow(rd, r, &rd) || rd > cin) {
            rd = -1;
            break;
        }
    if (rd < 0 || cin % rd)
        lxE_error(
            L, LXT_ArgumentError,
            "%s: expected channel dimension to be divisible by r^d, where d = %d is the number of spatial "
            "dimensions. Given r = %lld, input size(x) = %s",
            fname, d, (long long)r, b);
    int64_t s1[NN_MAX_DIMS], s2[NN_MAX_DIMS];
    int perm[NN_MAX_DIMS];
    for (int i = 0; i < d; i++) {
        s1[i] = x->shape[i];
        s1[d + i] = r;
        s2[i] = r * x->shape[i];
        perm[2 * i] = d + i + 1; /* NNlib's (d+1, 1, d+2, 2, ..., 2d, d, 2d+1, 2d+2) */
        perm[2 * i + 1] = i + 1;
    }
    s1[2 * d] = s2[d] = cin / rd;
    s1[2 * d + 1] = s2[d + 1] = x->shape[d + 1];
    perm[2 * d] = 2 * d + 1;
    perm[2 * d + 1] = 2 * d + 2;
    nn_tensor *t1 = NULL, *t2 = NULL, *out = NULL;
    lxL_result(L, nn_reshape(L->nn, &t1, x, 2 * d + 2, s1), &t1);
    lxL_result(L, nn_permutedims(L->nn, &t2, t1, perm), &t2);
    return lxL_result(L, nn_reshape(L->nn, &out, t2, d + 2, s2), &out);
}

/* ---- registration ---------------------------------------------------------------------------------------
 */

#define EX(body) "\n\n# Examples\n```\n" body "```"
#define POOL_KW                                                                                              \
    "\n\n## Keyword Arguments\n\n- `pad = 0`: zeros (for max, cells that never win) around the input: an "   \
    "Int for all sides, a tuple of N (the same before and after along each dim) or of 2N (before and after " \
    "per dim: `(w_lo, w_hi, h_lo, h_hi)`).\n- `stride = k`: the step between windows, an Int or an "         \
    "N-tuple.\n- `dilation = 1`: the spacing of the window's cells, an Int or an N-tuple.\n\nThe output's "  \
    "spatial size is `(I + lo + hi - dilation (k - 1) - 1) ÷ stride + 1` per dim; one below 1 is a "        \
    "DimensionMismatch, as is x with fewer than N + 2 dims. Float32 stays Float32; integers compute in "     \
    "Float32. Differentiable."

static const lxL_Reg nnlib_pool_lib[] = {
    {"maxpool", "(x::Tensor, k::Tuple; pad = 0, stride = k, dilation = 1)", n_maxpool,
     "    maxpool(x::Tensor, k::Tuple; pad = 0, stride = k, dilation = 1)\n\nThe maximum over each window "
     "of size `k` in the first N = length(k) dims of x (N = 1, 2 or 3), as NNlib's maxpool.\n\n## "
     "Arguments\n\n- `x`: (I..., C, N): `(L, C, N)`, `(W, H, C, N)` or `(W, H, D, C, N)`.\n- `k`: the "
     "window, "
     "an N-tuple." POOL_KW " The gradient goes to the first maximum of each window; a NaN wins its window."
     "\n\n## Returns\n\nA tensor (O..., C, N) of x's float type (Float32 for integers)." EX(
         "lx> x = reshape(Float32[1 5 2 0; 3 4 8 1; 0 2 7 6; 9 1 3 5], 4, 4, 1, 1);\n\nlx> maxpool(x, (2, "
         "2))\n2×2×1×1 Tensor{Float32, 4}:\n[:, :, 1, 1] =\n 5.0  8.0\n 9.0  7.0\n\nlx> size(maxpool(x, (3, "
         "3); "
         "pad = 1, stride = 2))\n(2, 2, 1, 1)\n")},
    {"meanpool", "(x::Tensor, k::Tuple; pad = 0, stride = k, dilation = 1)", n_meanpool,
     "    meanpool(x::Tensor, k::Tuple; pad = 0, stride = k, dilation = 1)\n\nThe mean over each window of "
     "size `k` in the first N = length(k) dims of x, as NNlib's meanpool: the sum over the window divided by "
     "its full size `prod(k)`, so padding counts as zeros.\n\n## Arguments\n\n- `x`: (I..., C, N).\n- `k`: "
     "the window, an N-tuple." POOL_KW
     "\n\n## Returns\n\nA tensor (O..., C, N) of x's float type (Float32 for integers)." EX(
         "lx> meanpool(reshape(Float32[1, 2, 3, 4, 5, 6], 6, 1, 1), (2,))\n3×1×1 Tensor{Float32, 3}:\n[:, :, "
         "1] =\n 1.5\n 3.5\n 5.5\n\nlx> meanpool(reshape(Float32[4, 8], 2, 1, 1), (2,); pad = 1)\n2×1×1 "
         "Tensor{Float32, 3}:\n[:, :, 1] =\n 2.0\n 4.0\n")},
    {"lpnormpool", "(x::Tensor, p::Real, k::Tuple; pad = 0, stride = k, dilation = 1)", n_lpnormpool,
     "    lpnormpool(x::Tensor, p::Real, k::Tuple; pad = 0, stride = k, dilation = 1)\n\nThe p-norm "
     "`(sum |x|^p)^(1/p)` of each window of size `k` in the first N = length(k) dims of x, as NNlib's "
     "lpnormpool (PyTorch's LPPool). `lpnormpool(x, 1, k) ./ prod(k)` is `meanpool` of |x|.\n\n## "
     "Arguments\n\n- `x`: (I..., C, N).\n- `p`: the power, 0 < p < Inf (an ArgumentError otherwise).\n- `k`: "
     "the window, an N-tuple." POOL_KW
     "\n\n## Returns\n\nA tensor (O..., C, N) of x's float type (Float32 for integers)." EX(
         "lx> lpnormpool(reshape(Float32[3, -4, 1, 0], 4, 1, 1), 2, (2,))\n2×1×1 Tensor{Float32, 3}:\n[:, :, "
         "1] =\n 5.0\n 1.0\n")},
    {"__pool", "(x::Tensor, mode::Symbol, k::Tuple, stride::Tuple, pad::Tuple, dilation::Tuple, p::Real)",
     n_pool, ""},
    {"upsample_nearest", "(x::Tensor, scale = nothing; size = nothing)", n_upsample_nearest,
     "    upsample_nearest(x::Tensor, scale::Tuple)\n    upsample_nearest(x::Tensor; size::Tuple)\n\nx "
     "upsampled by integer factors along its first S = length(scale) dims (S = 1, 2 or 3), each cell "
     "repeated, as NNlib's upsample_nearest. Give either `scale` or the output `size` (each a multiple of "
     "x's, an ArgumentError otherwise), not both. Keeps x's element type. Differentiable: the gradient sums "
     "each block.\n\n## Arguments\n\n- `x`: any array; usually (W, H, C, N).\n- `scale`: a tuple of positive "
     "Ints.\n\n## Keyword Arguments\n\n- `size`: the output's first S sizes.\n\n## Returns\n\nA tensor of "
     "x's element type, its first S sizes multiplied by `scale` (or equal to `size`)." EX(
         "lx> upsample_nearest([1 2 3; 4 5 6], (2, 3))\n4×9 Tensor{Int64, 2}:\n 1  1  1  2  2  "
         "2  3  3  3\n 1  1  1  2  2  2  3  3  3\n 4  4  4  5  5  5  6  6  6\n 4  4  4  5  5  5  "
         "6  6  6\n\nlx> size(upsample_nearest(zeros(Float32, 2, 2, 3, 1); size = (4, 6)))\n(4, "
         "6, 3, 1)\n")},
    {"upsample_linear", "(x::Tensor, scale = nothing; size = nothing, align_corners = true)",
     n_upsample_linear,
     "    upsample_linear(x::Tensor, scale; align_corners = true)\n    upsample_linear(x::Tensor; size, "
     "align_corners = true)\n\nx resized by linear interpolation along its spatial dims (x is (I..., C, N) "
     "with 1 to 3 of them: linear, bilinear or trilinear), as NNlib's upsample_linear and PyTorch's "
     "interpolate. The output size is `floor(scale * I)` per dim, or `size`; give one of them, not both (an "
     "ArgumentError). Integers compute in Float32. Differentiable.\n\n## Arguments\n\n- `x`: (W, C, N), (W, "
     "H, C, N) or (W, H, D, C, N).\n- `scale`: a real number for every spatial dim, or a tuple of "
     "them.\n\n## "
     "Keyword Arguments\n\n- `size`: the output's spatial sizes, a tuple.\n- `align_corners = true`: the "
     "corner cells of input and output coincide (output o reads input position o (I - 1)/(O - 1)); with "
     "false, cell centres are scaled (o + 1/2) I/O - 1/2, as PyTorch's default."
     "\n\n## Returns\n\nA new tensor of x's float type (Float32 for integers): the spatial sizes "
     "`floor(scale * I)` (or `size`), C and N unchanged." EX(
         "lx> upsample_linear(reshape(Float32[1, 3], 2, 1, 1), 2)\n4×1×1 Tensor{Float32, 3}:\n[:, :, 1] =\n "
         "1.0\n 1.6666666\n 2.3333333\n 3.0\n\nlx> upsample_linear(reshape(Float32[1, 3], 2, 1, 1); size = "
         "(4,), align_corners = false)\n4×1×1 Tensor{Float32, 3}:\n[:, :, 1] =\n 1.0\n 1.5\n 2.5\n 3.0\n")},
    {"upsample_bilinear", "(x::Tensor, scale = nothing; size = nothing, align_corners = true)",
     n_upsample_bilinear,
     "    upsample_bilinear(x::Tensor, scale; align_corners = true)\n    upsample_bilinear(x::Tensor; size, "
     "align_corners = true)\n\nx (W, H, C, N) resized by bilinear interpolation in W and H: "
     "`upsample_linear` with two spatial dims, as NNlib's upsample_bilinear.\n\n## Arguments\n\n- `x`: (W, "
     "H, "
     "C, N).\n- `scale`: a real number or a 2-tuple.\n\n## Keyword Arguments\n\n- `size`: the output's (W, "
     "H).\n- `align_corners = true`: see `upsample_linear`."
     "\n\n## Returns\n\nA new tensor of x's float type (Float32 for integers): the spatial sizes "
     "`floor(scale * I)` (or `size`), C and N unchanged." EX(
         "lx> upsample_bilinear(reshape(Float32[1 2 3; 4 5 6], 2, 3, 1, 1), (2, 3))\n4×9×1×1 Tensor{Float32, "
         "4}:\n[:, :, 1, 1] =\n 1.0  1.25  1.5  1.75  2.0  2.25  2.5  2.75  3.0\n 2.0  2.25  2.5  2.75  3.0  "
         "3.25  3.5  3.75  4.0\n 3.0  3.25  3.5  3.75  4.0  4.25  4.5  4.75  5.0\n 4.0  4.25  4.5  4.75  5.0 "
         " "
         "5.25  5.5  5.75  6.0\n")},
    {"upsample_trilinear", "(x::Tensor, scale = nothing; size = nothing, align_corners = true)",
     n_upsample_trilinear,
     "    upsample_trilinear(x::Tensor, scale; align_corners = true)\n    upsample_trilinear(x::Tensor; "
     "size, "
     "align_corners = true)\n\nx (W, H, D, C, N) resized by trilinear interpolation in W, H and D: "
     "`upsample_linear` with three spatial dims, as NNlib's upsample_trilinear.\n\n## Arguments\n\n- `x`: "
     "(W, "
     "H, D, C, N).\n- `scale`: a real number or a 3-tuple.\n\n## Keyword Arguments\n\n- `size`: the output's "
     "(W, H, D).\n- `align_corners = true`: see `upsample_linear`."
     "\n\n## Returns\n\nA new tensor of x's float type (Float32 for integers): the spatial sizes "
     "`floor(scale * I)` (or `size`), C and N unchanged." EX(
         "lx> size(upsample_trilinear(ones(Float32, 2, 2, 2, 1, 1), (2, 3, 1.5)))\n(4, 6, 3, 1, 1)\n")},
    {"pixel_shuffle", "(x::Tensor, r::Integer)", n_pixel_shuffle,
     "    pixel_shuffle(x::Tensor, r::Integer)\n\nPixel shuffling, upscaling by a factor `r`: x of size (W, "
     "H, "
     "r²C, N) becomes (rW, rH, C, N), the channels of each group of r² filling an r×r block (for D spatial "
     "dims, r^D channels make an r×…×r block), as NNlib's pixel_shuffle. A reshape and a permutedims, so "
     "differentiable.\n\n## Arguments\n\n- `x`: (I..., r^D C, N), at least 3 dims.\n- `r`: the factor, "
     "at least 1; the channel count must be divisible by r^D (an ArgumentError otherwise).\n\n## "
     "Returns\n\nA tensor (r I..., C, N) of x's element type." EX(
         "lx> pixel_shuffle(reshape(Float32[1, 2, 3, 4], 1, 1, 4, 1), 2)\n2×2×1×1 "
         "Tensor{Float32, 4}:\n[:, :, 1, 1] =\n 1.0  3.0\n 2.0  4.0\n")},
    {NULL, NULL, NULL, NULL}};

void lxL_open_nnlib_pool(lx_State *L)
{
    lxL_register(L, nnlib_pool_lib);
}
