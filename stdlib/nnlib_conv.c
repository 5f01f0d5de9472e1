/* nnlib_conv.c — NNlib's convolution functions on tensors: conv and
 * conv_transpose (∇conv_data) with NNlib's names and keywords, both
 * differentiable (nn/conv.c), and __conv / __conv_transpose, the forms with
 * every parameter spelled out and the bias fused that the layers call.
 */
#include "tensor.h"

#include <string.h>

/* ---- reading the parameters -----------------------------------------------------------------------------
 */

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

/* v, an Int (the same for all nd) or an nd-tuple of Ints, into out[0..nd); with
 * pairs (pad), a 2nd-tuple (lo, hi per dim) too, and an Int or an nd-tuple
 * counts for both ends. */
static void ints_arg(lx_State *L, lx_Value v, int nd, bool pairs, int64_t *out, const char *fname,
                     const char *what)
{
    int m = pairs ? 2 * nd : nd;
    if (v.tag == LX_TINT) {
        for (int i = 0; i < m; i++)
            out[i] = v.v.i;
        return;
    }
    if (!lxO_is(v, LXO_TUPLE))
        lxE_error(L, LXT_TypeError, "%s: %s must be an Int or a tuple of Ints, got a value of type %s", fname,
                  what, type_name(L, v));
    int len = lxO_as(lxO_tuple, v)->n;
    lx_Value *it = lxO_as(lxO_tuple, v)->items;
    if (len == m) {
        for (int i = 0; i < m; i++)
            out[i] = int_item(L, it[i], fname, what);
    } else if (pairs && len == nd) {
        for (int i = 0; i < nd; i++)
            out[2 * i] = out[2 * i + 1] = int_item(L, it[i], fname, what);
    } else if (pairs) {
        lxE_error(L, LXT_ArgumentError, "%s: %s has %d entries; a %d-d convolution takes an Int, %d or %d",
                  fname, what, len, nd, nd, 2 * nd);
    } else {
        lxE_error(L, LXT_ArgumentError, "%s: %s has %d entries; a %d-d convolution takes an Int or %d", fname,
                  what, len, nd, nd);
    }
}

static bool bool_arg(lx_State *L, lx_Value v, const char *fname, const char *what)
{
    if (v.tag != LX_TBOOL)
        lxE_error(L, LXT_TypeError, "%s: %s must be a Bool, got a value of type %s", fname, what,
                  type_name(L, v));
    return v.v.b;
}

/* The spatial dims, from the kernel's: ndims(w) - 2. */
static int spatial_dims(lx_State *L, const nn_tensor *w, const char *fname)
{
    int nd = w->ndim - 2;
    if (nd < 1 || nd > 3) {
        char b[160];
        lxE_error(L, LXT_DimensionMismatch,
                  "%s: the kernel has size %s; it takes (k..., Cin / groups, Cout) with 1, 2 or 3 spatial "
                  "dimensions",
                  fname, nn_shape_str(b, sizeof b, w->ndim, w->shape));
    }
    return nd;
}

/* The tensor or nothing at args[i] (a bias). */
static nn_tensor *optional_tensor(lx_State *L, lx_Value *a, int i, const char *fname)
{
    return a[i].tag == LX_TNOTHING ? NULL : lxL_checktensor(L, a, i, fname);
}

static lx_Value conv_call(lx_State *L, nn_tensor *x, nn_tensor *w, nn_tensor *b, lx_Value stride,
                          lx_Value pad, lx_Value dilation, lx_Value groups, lx_Value flipped, lx_Value outpad,
                          bool transposed, const char *fname)
{
    lxL_liftcheck(L, fname);
    int nd = spatial_dims(L, w, fname);
    nn_conv_params p = {.nd = nd};
    int64_t op[3] = {0, 0, 0};
    ints_arg(L, stride, nd, false, p.stride, fname, "stride");
    ints_arg(L, pad, nd, true, p.pad, fname, "pad");
    ints_arg(L, dilation, nd, false, p.dilation, fname, "dilation");
    p.groups = int_item(L, groups, fname, "groups");
    p.flipped = bool_arg(L, flipped, fname, "flipped");
    nn_tensor *out = NULL;
    if (!transposed) return lxL_result(L, nn_conv(L->nn, &out, x, w, b, &p), &out);
    ints_arg(L, outpad, nd, false, op, fname, "outpad");
    return lxL_result(L, nn_conv_transpose(L->nn, &out, x, w, b, &p, op), &out);
}

/* ---- conv, conv_transpose -------------------------------------------------------------------------------
 */

static lx_Value n_conv(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return conv_call(L, lxL_tval(a[0]), lxL_tval(a[1]), NULL, lxL_kw(L, kw, "stride", lxO_int(1)),
                     lxL_kw(L, kw, "pad", lxO_int(0)), lxL_kw(L, kw, "dilation", lxO_int(1)),
                     lxL_kw(L, kw, "groups", lxO_int(1)), lxL_kw(L, kw, "flipped", lxO_bool(false)),
                     lxO_nothing(), false, "conv");
}

static lx_Value n_conv_transpose(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return conv_call(L, lxL_tval(a[0]), lxL_tval(a[1]), NULL, lxL_kw(L, kw, "stride", lxO_int(1)),
                     lxL_kw(L, kw, "pad", lxO_int(0)), lxL_kw(L, kw, "dilation", lxO_int(1)),
                     lxL_kw(L, kw, "groups", lxO_int(1)), lxL_kw(L, kw, "flipped", lxO_bool(false)),
                     lxL_kw(L, kw, "outpad", lxO_int(0)), true, "conv_transpose");
}

/* __conv(x, w, b, stride, pad, dilation, groups, flipped): b a tensor or nothing. */
static lx_Value n_conv_fused(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const char *fname = "__conv";
    return conv_call(L, lxL_checktensor(L, a, 0, fname), lxL_checktensor(L, a, 1, fname),
                     optional_tensor(L, a, 2, fname), a[3], a[4], a[5], a[6], a[7], lxO_nothing(), false,
                     fname);
}

/* __conv_transpose(x, w, b, stride, pad, dilation, groups, flipped, outpad) */
static lx_Value n_conv_transpose_fused(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const char *fname = "__conv_transpose";
    return conv_call(L, lxL_checktensor(L, a, 0, fname), lxL_checktensor(L, a, 1, fname),
                     optional_tensor(L, a, 2, fname), a[3], a[4], a[5], a[6], a[7], a[8], true, fname);
}

/* ---- the table --------------------------------------------------------------------------------------------
 */

#define EX(body) "\n\n# Examples\n```\n" body "```"

static const lxL_Reg nnlib_conv_lib[] = {
    {"conv", "(x::Tensor, w::Tensor; stride = 1, pad = 0, dilation = 1, groups = 1, flipped = false)", n_conv,
     "    conv(x, w; stride = 1, pad = 0, dilation = 1, groups = 1, flipped = false)\n\n"
     "The convolution of x with the kernel w (NNlib's `conv`), over N = `ndims(w) - 2` spatial "
     "dimensions (1, 2 or 3).\n\n"
     "## Arguments\n\n"
     "  - `x`: the input, `(I..., Cin, batch)`: `(L, C, N)` signals, `(W, H, C, N)` images, `(W, H, D, C, "
     "N)` "
     "volumes.\n"
     "  - `w`: the kernel, `(k..., Cin ÷ groups, Cout)`.\n\n"
     "## Keyword Arguments\n\n"
     "  - `stride = 1`: an Int or an N-tuple.\n"
     "  - `pad = 0`: an Int (every side), an N-tuple (both ends of each dimension) or a 2N-tuple "
     "`(w_lo, w_hi, h_lo, h_hi, ...)`.\n"
     "  - `dilation = 1`: an Int or an N-tuple: the spacing between the kernel's taps.\n"
     "  - `groups = 1`: the channels split into that many groups, each convolved with its own part of w "
     "(`groups = Cin` is a depthwise convolution).\n"
     "  - `flipped = false`: `false` flips the kernel (a true convolution, NNlib's default and Lux's "
     "`cross_correlation = false`); `true` does not (a cross-correlation, PyTorch's `conv`).\n\n"
     "## Returns\n\n"
     "The output `(O..., Cout, batch)`, `O = fld(I + lo + hi - dilation * (k - 1) - 1, stride) + 1`, of x's "
     "and w's float type (integers compute in Float32). Differentiable in x and w; a channel count that "
     "does not match w, or an output smaller than 1, is a DimensionMismatch naming the shapes." EX(
         "lx> size(conv(ones(Float32, 5, 5, 1, 1), ones(Float32, 3, 3, 1, 2)))\n(3, 3, 2, 1)\n\n"
         "lx> x = reshape(Float32[1, 2, 4, 8], 4, 1, 1);\n\n"
         "lx> vec(conv(x, reshape(Float32[1, 0, -1], 3, 1, 1)))\n"
         "2-element Tensor{Float32, 1}:\n 3.0\n 6.0\n\n"
         "lx> vec(conv(x, reshape(Float32[1, 0, -1], 3, 1, 1); flipped = true))\n"
         "2-element Tensor{Float32, 1}:\n -3.0\n -6.0\n\n"
         "lx> size(conv(ones(Float32, 7, 7, 4, 2), ones(Float32, 3, 3, 2, 6); stride = 2, pad = 1, groups = "
         "2))\n(4, 4, 6, 2)\n")},
    {"conv_transpose",
     "(x::Tensor, w::Tensor; stride = 1, pad = 0, outpad = 0, dilation = 1, groups = 1, flipped = false)",
     n_conv_transpose,
     "    conv_transpose(x, w; stride = 1, pad = 0, outpad = 0, dilation = 1, groups = 1, flipped = "
     "false)\n\n"
     "The transposed convolution (NNlib's `∇conv_data`, what Lux's `ConvTranspose` computes): the gradient "
     "in its input of `conv` with the same kernel and keywords, so it maps a conv's output size back to its "
     "input size.\n\n"
     "## Arguments\n\n"
     "  - `x`: the input, `(I..., Cin, batch)`.\n"
     "  - `w`: the kernel, `(k..., Cout ÷ groups, Cin)`: the layout of the conv it transposes, whose output "
     "channels are these input channels.\n\n"
     "## Keyword Arguments\n\n"
     "  - `stride`, `pad`, `dilation`, `groups`, `flipped`: as for `conv`, read as the conv being "
     "transposed.\n"
     "  - `outpad = 0`: an Int or an N-tuple added to the output's size at the high end (a conv with stride "
     "s maps s sizes onto one; outpad picks which).\n\n"
     "## Returns\n\n"
     "The output `(O..., Cout, batch)`, `O = (I - 1) * stride + 1 + (k - 1) * dilation - (lo + hi) + "
     "outpad`. Differentiable in x and w." EX(
         "lx> size(conv_transpose(ones(Float32, 3, 3, 2, 1), ones(Float32, 3, 3, 4, 2); stride = 2, pad = "
         "1))\n(5, 5, 4, 1)\n\n"
         "lx> vec(conv_transpose(reshape(Float32[1, 2], 2, 1, 1), reshape(Float32[1, 10, 100], 3, 1, 1)))\n"
         "4-element Tensor{Float32, 1}:\n 100.0\n 210.0\n  21.0\n   2.0\n")},
    {"__conv", "(x, w, b, stride, pad, dilation, groups, flipped)", n_conv_fused, ""},
    {"__conv_transpose", "(x, w, b, stride, pad, dilation, groups, flipped, outpad)", n_conv_transpose_fused,
     ""},
    {NULL, NULL, NULL, NULL}};

void lxL_open_nnlib_conv(lx_State *L)
{
    lxL_register(L, nnlib_conv_lib);
}
