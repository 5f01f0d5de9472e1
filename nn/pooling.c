/* pooling.c — max, mean and LP pooling and nearest / linear upsampling over
 * the 1 to 3 leading (spatial) dims of (I..., C, N) tensors, each with its
 * backward beside it.  Shapes and parameters are checked here, where the
 * messages can name them; the kernels (cpu/pooling.c) trust them.
 */
#include "internal.h"

#include <math.h>
#include <string.h>

/* Parameters past this are nonsense for any tensor that fits in memory, and
 * keeping them under it keeps every product below in int64 range. */
#define BIG ((int64_t)1 << 31)

static const char *pool_name(nn_pool_mode mode)
{
    return mode == NN_POOL_MAX ? "maxpool" : mode == NN_POOL_MEAN ? "meanpool" : "lpnormpool";
}

static const char *layout(int nd)
{
    return nd == 1 ? "(L, C, N)" : nd == 2 ? "(W, H, C, N)" : "(W, H, D, C, N)";
}

static nn_status as_float(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x)
{
    return nn_as_dtype(ctx, out, x, nn_dtype_is_float(x->dtype) ? x->dtype : NN_F32);
}

/* x has nd spatial dims and at least two more (C, N). */
static nn_status check_layout(nn_ctx *ctx, const char *name, const nn_tensor *x, int nd)
{
    char a[NN_SHAPE_BUF];
    if (nd < 1 || nd > 3)
        return nn_error(ctx, NN_ERR_ARGUMENT, "%s: %d spatial dimensions (1, 2 or 3 are supported)", name,
                        nd);
    if (x->ndim < nd + 2)
        return nn_error(
            ctx, NN_ERR_DIMENSION,
            "%s: x has size %s; %d spatial dimensions need %d dimensions %s, channels and batch last", name,
            nn_tshape(a, x), nd, nd + 2, layout(nd));
    return NN_OK;
}

/* The result's shape: `spatial` for the first nd dims, then x's own.  One
 * too large to address is an OutOfMemoryError naming the op (as nn_empty's). */
static nn_status out_shape(nn_ctx *ctx, const char *name, const nn_tensor *x, int nd, const int64_t *spatial,
                           int64_t *shape)
{
    memcpy(shape, x->shape, sizeof x->shape);
    memcpy(shape, spatial, (size_t)nd * sizeof *spatial);
    int64_t n = 8; /* bytes of the widest element */
    for (int i = 0; i < x->ndim; i++)
        if (__builtin_mul_overflow(n, shape[i], &n)) {
            char a[NN_SHAPE_BUF];
            return nn_error(ctx, NN_ERR_MEMORY, "%s: the result of size %s is too large", name,
                            nn_shape_str(a, sizeof a, x->ndim, shape));
        }
    return NN_OK;
}

/* ==== pooling ================================================================================= */

/* The parameters travel in the node's iparam (nd, k, stride, dilation, pad:
 * 16 ints, each < 2^31 once checked) and dparam (p, mode). */
static void pack(nn_node *node, nn_pool_mode mode, const nn_pool_params *p)
{
    int *ip = node->iparam;
    ip[0] = p->nd;
    for (int i = 0; i < 3; i++) {
        ip[1 + i] = (int)p->k[i];
        ip[4 + i] = (int)p->stride[i];
        ip[7 + i] = (int)p->dilation[i];
    }
    for (int i = 0; i < 6; i++)
        ip[10 + i] = (int)p->pad[i];
    node->dparam[0] = p->p;
    node->dparam[1] = mode;
}

static nn_pool_params unpack(const nn_node *node, nn_pool_mode *mode)
{
    const int *ip = node->iparam;
    nn_pool_params p = {.nd = ip[0], .p = node->dparam[0]};
    for (int i = 0; i < 3; i++) {
        p.k[i] = ip[1 + i];
        p.stride[i] = ip[4 + i];
        p.dilation[i] = ip[7 + i];
    }
    for (int i = 0; i < 6; i++)
        p.pad[i] = ip[10 + i];
    *mode = (nn_pool_mode)node->dparam[1];
    return p;
}

/* The parameters of the nd used dims are sane; unused ones become the identity. */
static nn_status check_params(nn_ctx *ctx, const char *name, nn_pool_mode mode, const nn_pool_params *in,
                              nn_pool_params *p)
{
    char a[NN_SHAPE_BUF];
    int nd = in->nd;
    *p = *in;
    for (int i = 0; i < nd; i++) {
        if (in->k[i] < 1 || in->k[i] >= BIG)
            return nn_error(ctx, NN_ERR_ARGUMENT, "%s: window %s: sizes must be at least 1", name,
                            nn_shape_str(a, sizeof a, nd, in->k));
        if (in->stride[i] < 1 || in->stride[i] >= BIG)
            return nn_error(ctx, NN_ERR_ARGUMENT, "%s: stride %s must be at least 1", name,
                            nn_shape_str(a, sizeof a, nd, in->stride));
        if (in->dilation[i] < 1 || in->dilation[i] >= BIG)
            return nn_error(ctx, NN_ERR_ARGUMENT, "%s: dilation %s must be at least 1", name,
                            nn_shape_str(a, sizeof a, nd, in->dilation));
        for (int h = 0; h < 2; h++)
            if (in->pad[2 * i + h] < 0 || in->pad[2 * i + h] >= BIG)
                return nn_error(ctx, NN_ERR_ARGUMENT, "%s: pad %s must not be negative", name,
                                nn_shape_str(a, sizeof a, 2 * nd, in->pad));
    }
    for (int i = nd; i < 3; i++) {
        p->k[i] = p->stride[i] = p->dilation[i] = 1;
        p->pad[2 * i] = p->pad[2 * i + 1] = 0;
    }
    if (mode == NN_POOL_LP && !(in->p > 0 && isfinite(in->p)))
        return nn_error(ctx, NN_ERR_ARGUMENT, "%s: p = %g: the norm's power must be positive and finite",
                        name, in->p);
    if (mode != NN_POOL_LP) p->p = 0;
    return NN_OK;
}

static nn_status pool_backward(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin)
{
    nn_pool_mode mode;
    nn_pool_params p = unpack(node, &mode);
    const nn_edge *e = &node->edges[0];
    nn_tensor *g;
    NN_TRY(nn_as_dtype(ctx, &g, gout, e->dtype));
    nn_status s = nn_empty(ctx, &gin[0], e->dtype, e->ndim, e->shape);
    const nn_tensor *x = NULL, *y = NULL, *idx = NULL;
    if (mode == NN_POOL_MAX)
        idx = node->saved[0];
    else if (mode == NN_POOL_LP) {
        x = node->saved[0];
        y = node->saved[1];
    }
    if (!s) s = nn_backend_for(nn_tensor_device(g))->pool_grad(ctx, gin[0], g, x, y, idx, mode, &p);
    nn_release(g);
    return s;
}

nn_status nn_pooling(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, nn_pool_mode mode,
                     const nn_pool_params *pp)
{
    *out = NULL;
    const char *name = pool_name(mode);
    nn_pool_params p;
    NN_TRY(check_layout(ctx, name, x, pp->nd));
    NN_TRY(check_params(ctx, name, mode, pp, &p));
    int nd = p.nd;
    int64_t osz[3], shape[NN_MAX_DIMS];
    for (int i = 0; i < nd; i++) {
        int64_t span = x->shape[i] + p.pad[2 * i] + p.pad[2 * i + 1] - p.dilation[i] * (p.k[i] - 1) - 1;
        osz[i] = (span >= 0 ? span / p.stride[i] : -((-span + p.stride[i] - 1) / p.stride[i])) + 1;
        if (osz[i] < 1) {
            char a[NN_SHAPE_BUF], b[NN_SHAPE_BUF], c[NN_SHAPE_BUF], d[NN_SHAPE_BUF], f[NN_SHAPE_BUF];
            return nn_error(
                ctx, NN_ERR_DIMENSION,
                "%s: input of size %s is too small for window %s with pad %s, stride %s and dilation "
                "%s (output size < 1 in dimension %d)",
                name, nn_tshape(a, x), nn_shape_str(b, sizeof b, nd, p.k),
                nn_shape_str(c, sizeof c, 2 * nd, p.pad), nn_shape_str(d, sizeof d, nd, p.stride),
                nn_shape_str(f, sizeof f, nd, p.dilation), i + 1);
        }
    }
    NN_TRY(out_shape(ctx, name, x, nd, osz, shape));
    nn_tensor *xc, *idx = NULL;
    NN_TRY(as_float(ctx, &xc, x));
    bool tracked = nn_is_tracked(xc);
    nn_status s = nn_empty(ctx, out, xc->dtype, xc->ndim, shape);
    if (!s && tracked && mode == NN_POOL_MAX) s = nn_empty(ctx, &idx, NN_I64, xc->ndim, shape);
    if (!s) s = nn_backend_for(nn_tensor_device(xc))->pool(ctx, *out, idx, xc, mode, &p);
    nn_node *node = NULL;
    if (!s) s = nn_node_new(ctx, &node, name, pool_backward, 1, (const nn_tensor *const *)&xc);
    if (node) {
        pack(node, mode, &p);
        if (mode == NN_POOL_MAX)
            s = nn_node_save(ctx, node, idx);
        else if (mode == NN_POOL_LP) {
            s = nn_node_save(ctx, node, xc);
            if (!s) s = nn_node_save(ctx, node, *out);
        }
        nn_node_attach(*out, node);
    }
    nn_release(xc);
    nn_release(idx);
    if (s) nn_release_out(out);
    return s;
}

/* ==== upsampling ============================================================================== */

static nn_status upsample_backward(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin)
{
    const nn_edge *e = &node->edges[0];
    nn_tensor *g;
    NN_TRY(nn_as_dtype(ctx, &g, gout, e->dtype));
    nn_status s = nn_empty(ctx, &gin[0], e->dtype, e->ndim, e->shape);
    if (!s)
        s = nn_backend_for(nn_tensor_device(g))
                ->upsample_grad(ctx, gin[0], g, node->iparam[0], node->iparam[1], node->iparam[2]);
    nn_release(g);
    return s;
}

static nn_status upsample(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int nd, const int64_t *size,
                          bool linear, bool align)
{
    *out = NULL;
    static const char *const lin_names[4] = {"", "upsample_linear", "upsample_bilinear",
                                             "upsample_trilinear"};
    const char *name = linear ? lin_names[nd >= 1 && nd <= 3 ? nd : 1] : "upsample_nearest";
    char a[NN_SHAPE_BUF], b[NN_SHAPE_BUF], c[NN_SHAPE_BUF];
    NN_TRY(check_layout(ctx, name, x, nd));
    for (int i = 0; i < nd; i++) {
        if (size[i] < 1)
            return nn_error(ctx, NN_ERR_ARGUMENT, "%s: size %s: sizes must be at least 1", name,
                            nn_shape_str(a, sizeof a, nd, size));
        if (linear && x->shape[i] == 0)
            return nn_error(ctx, NN_ERR_DIMENSION, "%s: x has size %s: nothing to interpolate from", name,
                            nn_tshape(a, x));
        if (!linear && (x->shape[i] == 0 || size[i] % x->shape[i]))
            return nn_error(ctx, NN_ERR_ARGUMENT,
                            "%s: size %s is not a multiple of x's spatial size %s (x has size %s)", name,
                            nn_shape_str(a, sizeof a, nd, size), nn_shape_str(b, sizeof b, nd, x->shape),
                            nn_tshape(c, x));
    }
    int64_t shape[NN_MAX_DIMS];
    NN_TRY(out_shape(ctx, name, x, nd, size, shape));
    nn_tensor *xc;
    if (linear)
        NN_TRY(as_float(ctx, &xc, x));
    else
        xc = nn_retain((nn_tensor *)x);
    nn_status s = nn_empty(ctx, out, xc->dtype, xc->ndim, shape);
    if (!s) s = nn_backend_for(nn_tensor_device(xc))->upsample(ctx, *out, xc, nd, linear, align);
    nn_node *node = NULL;
    if (!s) s = nn_node_new(ctx, &node, name, upsample_backward, 1, (const nn_tensor *const *)&xc);
    if (node) {
        node->iparam[0] = nd;
        node->iparam[1] = linear;
        node->iparam[2] = align;
        nn_node_attach(*out, node);
    }
    nn_release(xc);
    if (s) nn_release_out(out);
    return s;
}

nn_status nn_upsample_nearest(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int nd, const int64_t *size)
{
    return upsample(ctx, out, x, nd, size, false, false);
}

nn_status nn_upsample_linear(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int nd, const int64_t *size,
                             bool align_corners)
{
    return upsample(ctx, out, x, nd, size, true, align_corners);
}
