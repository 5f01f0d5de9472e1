/* conv.c — convolution (NNlib's conv) and its transpose (∇conv_data, Lux's
 * ConvTranspose), each with its backward beside it.  The two are adjoint, so
 * three kernels serve both, each written in the conv's direction (cpu/conv.c):
 * conv's forward is conv_transpose's gradient in x, conv's gradient in x is
 * conv_transpose's forward, and the gradient in w of either is the same
 * kernel with the roles of its two tensors swapped.
 */
#include "internal.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* Parameters ride in a node's int iparam: [0] nd, [1..3] stride, [4..6]
 * dilation, [7..12] pad, [13] groups, [14] flipped. */
#define PARAM_MAX INT_MAX

static const char *const x_layouts[] = {"", "(L, C, N)", "(W, H, C, N)", "(W, H, D, C, N)"};
static const char *const w_layouts[2][4] = {
    {"", "(k, Cin / groups, Cout)", "(kW, kH, Cin / groups, Cout)", "(kW, kH, kD, Cin / groups, Cout)"},
    {"", "(k, Cout / groups, Cin)", "(kW, kH, Cout / groups, Cin)", "(kW, kH, kD, Cout / groups, Cin)"}};

/* "(1, 2)" */
static char *tuple_str(char *buf, int n, const int64_t *v)
{
    return nn_shape_str(buf, NN_SHAPE_BUF, n, v);
}

static nn_status check_range(nn_ctx *ctx, const char *op, const char *what, int n, const int64_t *v,
                             int64_t lo, const char *need)
{
    char b[NN_SHAPE_BUF];
    for (int i = 0; i < n; i++) {
        if (v[i] < lo)
            return nn_error(ctx, NN_ERR_ARGUMENT, "%s: %s = %s: %s", op, what, tuple_str(b, n, v), need);
        if (v[i] > PARAM_MAX)
            return nn_error(ctx, NN_ERR_ARGUMENT, "%s: %s = %s is out of range", op, what,
                            tuple_str(b, n, v));
    }
    return NN_OK;
}

static nn_status check_params(nn_ctx *ctx, const char *op, const nn_conv_params *p, const int64_t *outpad)
{
    if (!p || p->nd < 1 || p->nd > 3)
        return nn_error(ctx, NN_ERR_ARGUMENT, "%s: %d spatial dimensions; 1, 2 or 3 are supported", op,
                        p ? p->nd : 0);
    int nd = p->nd;
    NN_TRY(check_range(ctx, op, "stride", nd, p->stride, 1, "each must be at least 1"));
    NN_TRY(check_range(ctx, op, "dilation", nd, p->dilation, 1, "each must be at least 1"));
    NN_TRY(check_range(ctx, op, "pad", 2 * nd, p->pad, 0, "padding cannot be negative"));
    if (p->groups < 1 || p->groups > PARAM_MAX)
        return nn_error(ctx, NN_ERR_ARGUMENT, "%s: groups = %lld: must be at least 1 (and fit an Int32)", op,
                        (long long)p->groups);
    if (outpad) NN_TRY(check_range(ctx, op, "outpad", nd, outpad, 0, "output padding cannot be negative"));
    return NN_OK;
}

/* Shapes and channels; the result's shape into oshape (nd + 2 dims). */
static nn_status check_shapes(nn_ctx *ctx, const char *op, const nn_tensor *x, const nn_tensor *w,
                              const nn_tensor *b, const nn_conv_params *p, const int64_t *outpad,
                              bool transposed, int64_t *oshape)
{
    char sx[NN_SHAPE_BUF], sw[NN_SHAPE_BUF], sb[NN_SHAPE_BUF], s1[NN_SHAPE_BUF], s2[NN_SHAPE_BUF],
        s3[NN_SHAPE_BUF], s4[NN_SHAPE_BUF];
    int nd = p->nd;
    if (x->ndim != nd + 2)
        return nn_error(ctx, NN_ERR_DIMENSION, "%s: input has size %s; a %d-d convolution takes %s", op,
                        nn_tshape(sx, x), nd, x_layouts[nd]);
    if (w->ndim != nd + 2)
        return nn_error(ctx, NN_ERR_DIMENSION, "%s: weight has size %s; a %d-d convolution takes %s", op,
                        nn_tshape(sw, w), nd, w_layouts[transposed][nd]);
    for (int d = 0; d < nd; d++)
        if (w->shape[d] < 1)
            return nn_error(ctx, NN_ERR_DIMENSION, "%s: weight has size %s: kernel sizes must be at least 1",
                            op, nn_tshape(sw, w));
    int64_t g = p->groups, cin, cout;
    if (!transposed) {
        cin = x->shape[nd];
        cout = w->shape[nd + 1];
        if (cin % g)
            return nn_error(ctx, NN_ERR_DIMENSION,
                            "%s: Input channel dimension must be divisible by groups. (input has size %s, "
                            "groups = %lld)",
                            op, nn_tshape(sx, x), (long long)g);
        if (cout % g)
            return nn_error(ctx, NN_ERR_DIMENSION,
                            "%s: Output channel dimension must be divisible by groups. (weight has size %s, "
                            "groups = %lld)",
                            op, nn_tshape(sw, w), (long long)g);
        int64_t want;
        if (__builtin_mul_overflow(w->shape[nd], g, &want)) want = INT64_MAX;
        if (want != cin)
            return nn_error(ctx, NN_ERR_DIMENSION,
                            "%s: Expected %lld input channels but got %lld channels. (input has size %s, "
                            "weight has size %s, groups = %lld)",
                            op, (long long)want, (long long)cin, nn_tshape(sx, x), nn_tshape(sw, w),
                            (long long)g);
    } else {
        cin = w->shape[nd + 1];
        if (cin % g)
            return nn_error(ctx, NN_ERR_DIMENSION,
                            "%s: Input channel dimension must be divisible by groups. (weight has size %s, "
                            "groups = %lld)",
                            op, nn_tshape(sw, w), (long long)g);
        if (x->shape[nd] != cin)
            return nn_error(ctx, NN_ERR_DIMENSION,
                            "%s: Expected %lld input channels but got %lld channels. (input has size %s, "
                            "weight has size %s, groups = %lld)",
                            op, (long long)cin, (long long)x->shape[nd], nn_tshape(sx, x), nn_tshape(sw, w),
                            (long long)g);
        if (__builtin_mul_overflow(w->shape[nd], g, &cout))
            return nn_error(ctx, NN_ERR_DIMENSION,
                            "%s: weight of size %s with groups = %lld: too many channels", op,
                            nn_tshape(sw, w), (long long)g);
    }
    if (b && (b->ndim != 1 || b->shape[0] != cout))
        return nn_error(ctx, NN_ERR_DIMENSION,
                        "%s: bias has size %s; expected (%lld,) for %lld output channels", op,
                        nn_tshape(sb, b), (long long)cout, (long long)cout);
    int64_t numel = cout, n = x->shape[nd + 1];
    bool big = __builtin_mul_overflow(numel, n, &numel);
    for (int d = 0; d < nd && !big; d++) {
        int64_t I = x->shape[d], k = w->shape[d], s = p->stride[d], dl = p->dilation[d];
        int64_t pads = p->pad[2 * d] + p->pad[2 * d + 1], span, o = 0, t;
        big |= __builtin_mul_overflow(k - 1, dl, &span); /* d (k - 1) */
        if (!transposed) {                               /* num = I + pads - span - 1 */
            big |= __builtin_add_overflow(I, pads - 1, &t) || __builtin_sub_overflow(t, span, &t);
            if (!big) o = t >= 0 ? t / s + 1 : -((-t + s - 1) / s) + 1;
        } else { /* (I - 1) s + 1 + span - pads + outpad */
            big |= __builtin_mul_overflow(I - 1, s, &o) || __builtin_add_overflow(o, span, &o) ||
                   __builtin_add_overflow(o, 1 + outpad[d] - pads, &o);
        }
        if (big) break;
        if (o < 1) {
            int64_t ks[3], pd[6];
            for (int i = 0; i < nd; i++)
                ks[i] = w->shape[i];
            memcpy(pd, p->pad, sizeof pd);
            char extra[64] = "";
            if (transposed) snprintf(extra, sizeof extra, ", outpad %s", tuple_str(s4, nd, outpad));
            return nn_error(
                ctx, NN_ERR_DIMENSION,
                "%s: the output would have size %lld < 1 along spatial dim %d: input size %s, kernel "
                "%s, pad %s, stride %s, dilation %s%s",
                op, (long long)o, d + 1, nn_tshape(sx, x), tuple_str(s1, nd, ks), tuple_str(s2, 2 * nd, pd),
                tuple_str(s3, nd, p->stride), tuple_str(sb, nd, p->dilation), extra);
        }
        oshape[d] = o;
        big |= __builtin_mul_overflow(numel, o, &numel);
    }
    if (big)
        return nn_error(ctx, NN_ERR_DIMENSION,
                        "%s: input of size %s with weight of size %s: the output is too large", op,
                        nn_tshape(sx, x), nn_tshape(sw, w));
    oshape[nd] = cout;
    oshape[nd + 1] = n;
    return NN_OK;
}

/* The inputs in their common float type (integers compute in Float32). */
static nn_status float_inputs(nn_ctx *ctx, const nn_tensor *x, const nn_tensor *w, const nn_tensor *b,
                              nn_tensor **xc, nn_tensor **wc, nn_tensor **bc)
{
    nn_dtype t = nn_promote(x->dtype, w->dtype);
    if (b) t = nn_promote(t, b->dtype);
    if (!nn_dtype_is_float(t)) t = NN_F32;
    *xc = *wc = *bc = NULL;
    nn_status s = nn_as_dtype(ctx, xc, x, t);
    if (!s) s = nn_as_dtype(ctx, wc, w, t);
    if (!s && b) s = nn_as_dtype(ctx, bc, b, t);
    if (s) {
        nn_release_out(xc);
        nn_release_out(wc);
    }
    return s;
}

static void params_to_node(nn_node *node, const nn_conv_params *p)
{
    node->iparam[0] = p->nd;
    for (int d = 0; d < 3; d++) {
        node->iparam[1 + d] = d < p->nd ? (int)p->stride[d] : 1;
        node->iparam[4 + d] = d < p->nd ? (int)p->dilation[d] : 1;
        node->iparam[7 + 2 * d] = d < p->nd ? (int)p->pad[2 * d] : 0;
        node->iparam[8 + 2 * d] = d < p->nd ? (int)p->pad[2 * d + 1] : 0;
    }
    node->iparam[13] = (int)p->groups;
    node->iparam[14] = p->flipped;
}

static nn_conv_params params_of_node(const nn_node *node)
{
    nn_conv_params p = {.nd = node->iparam[0], .groups = node->iparam[13], .flipped = node->iparam[14]};
    for (int d = 0; d < 3; d++) {
        p.stride[d] = node->iparam[1 + d];
        p.dilation[d] = node->iparam[4 + d];
        p.pad[2 * d] = node->iparam[7 + 2 * d];
        p.pad[2 * d + 1] = node->iparam[8 + 2 * d];
    }
    return p;
}

/* g (S..., C, N) summed to the bias's (C,). */
static nn_status bias_grad(nn_ctx *ctx, nn_tensor **out, const nn_tensor *g)
{
    int64_t shape[NN_MAX_DIMS];
    for (int i = 0; i < g->ndim; i++)
        shape[i] = i == g->ndim - 2 ? g->shape[i] : 1;
    nn_tensor *r;
    NN_TRY(nn_sum_to(ctx, &r, g, g->ndim, shape));
    nn_status s = nn_reshape(ctx, out, r, 1, &g->shape[g->ndim - 2]);
    nn_release(r);
    return s;
}

/* ---- conv: x (I..., Cin, N), w (k..., Cin/g, Cout), b (Cout,) -> y (O..., Cout, N).
 * gx = conv_data(gy, w), gw and gb = conv_filter(x, gy). */

static nn_status conv_backward(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin)
{
    nn_conv_params p = params_of_node(node);
    const nn_tensor *x = node->saved[0], *w = node->saved[1];
    const nn_backend *be = nn_backend_for(nn_tensor_device(x));
    if (nn_edge_needs(node, 0)) {
        NN_TRY(nn_similar(ctx, &gin[0], x));
        NN_TRY(be->conv_data(ctx, gin[0], gout, w, NULL, &p));
    }
    bool needw = nn_edge_needs(node, 1), needb = node->ninputs > 2 && nn_edge_needs(node, 2);
    if (needw) NN_TRY(nn_similar(ctx, &gin[1], w));
    if (needb) NN_TRY(nn_empty(ctx, &gin[2], gout->dtype, 1, &w->shape[p.nd + 1]));
    if (needw || needb) NN_TRY(be->conv_filter(ctx, gin[1], gin[2], x, gout, &p));
    return NN_OK;
}

/* ---- conv_transpose: x (I..., Cin, N), w (k..., Cout/g, Cin), b (Cout,) -> y (O..., Cout, N),
 * which is conv_data with y in conv's input role and x in its output role.
 * gx = conv(gy, w), gw = conv_filter(gy, x), gb = gy summed to (Cout,). */

static nn_status conv_transpose_backward(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin)
{
    nn_conv_params p = params_of_node(node);
    const nn_tensor *x = node->saved[0], *w = node->saved[1];
    const nn_backend *be = nn_backend_for(nn_tensor_device(x));
    if (nn_edge_needs(node, 0)) {
        NN_TRY(nn_similar(ctx, &gin[0], x));
        NN_TRY(be->conv(ctx, gin[0], gout, w, NULL, &p));
    }
    if (nn_edge_needs(node, 1)) {
        NN_TRY(nn_similar(ctx, &gin[1], w));
        NN_TRY(be->conv_filter(ctx, gin[1], NULL, gout, x, &p));
    }
    if (node->ninputs > 2 && nn_edge_needs(node, 2)) NN_TRY(bias_grad(ctx, &gin[2], gout));
    return NN_OK;
}

/* The forward of conv (transposed: conv_transpose, conv_data's kernel) and its graph node. */
static nn_status conv_forward(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, const nn_tensor *w,
                              const nn_tensor *b, const nn_conv_params *p, const int64_t *outpad,
                              bool transposed)
{
    static const int64_t zeros[3] = {0, 0, 0};
    const char *op = transposed ? "conv_transpose" : "conv";
    *out = NULL;
    int64_t shape[5];
    NN_TRY(check_params(ctx, op, p, transposed ? outpad : NULL));
    NN_TRY(
        check_shapes(ctx, op, x, w, b, p, transposed ? (outpad ? outpad : zeros) : NULL, transposed, shape));
    nn_tensor *xc, *wc, *bc;
    NN_TRY(float_inputs(ctx, x, w, b, &xc, &wc, &bc));
    const nn_backend *be = nn_backend_for(nn_tensor_device(xc));
    nn_status s = nn_empty(ctx, out, xc->dtype, p->nd + 2, shape);
    if (!s) s = transposed ? be->conv_data(ctx, *out, xc, wc, bc, p) : be->conv(ctx, *out, xc, wc, bc, p);
    nn_node *node = NULL;
    const nn_tensor *in[3] = {xc, wc, bc};
    if (!s)
        s = nn_node_new(ctx, &node, op, transposed ? conv_transpose_backward : conv_backward, bc ? 3 : 2, in);
    if (node) {
        params_to_node(node, p);
        s = nn_node_save(ctx, node, xc);
        if (!s) s = nn_node_save(ctx, node, wc);
        nn_node_attach(*out, node);
    }
    nn_release(xc);
    nn_release(wc);
    nn_release(bc);
    if (s) nn_release_out(out);
    return s;
}

nn_status nn_conv(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, const nn_tensor *w, const nn_tensor *b,
                  const nn_conv_params *p)
{
    return conv_forward(ctx, out, x, w, b, p, NULL, false);
}

nn_status nn_conv_transpose(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, const nn_tensor *w,
                            const nn_tensor *b, const nn_conv_params *p, const int64_t *outpad)
{
    return conv_forward(ctx, out, x, w, b, p, outpad, true);
}
