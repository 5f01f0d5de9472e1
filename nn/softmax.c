/* softmax.c — softmax and logsoftmax along a 1-based dim, logsumexp over
 * dims (Julia's dims= convention), and the fused logit cross-entropy, each
 * with its backward beside it.  All shift by the maximum, so large inputs
 * don't overflow.  Kernels: cpu/softmax.c.
 */
#include "internal.h"

#include <string.h>

nn_axis nn_axis_of(int ndim, const int64_t *shape, int lo, int hi)
{
    nn_axis a = {1, 1, 1};
    for (int i = 0; i < ndim; i++) {
        if (i < lo)
            a.inner *= shape[i];
        else if (i < hi)
            a.n *= shape[i];
        else
            a.outer *= shape[i];
    }
    return a;
}

/* Integer and Bool inputs compute in Float32, as the elementwise ops do. */
static nn_status as_float(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x)
{
    return nn_as_dtype(ctx, out, x, nn_dtype_is_float(x->dtype) ? x->dtype : NN_F32);
}

/* ---- softmax, logsoftmax: x (any) -> y (same shape) along dim.
 * softmax: gx = y .* (g .- sum(g .* y; dims)); logsoftmax: gx = g .- exp.(y) .* sum(g; dims). */

static nn_status softmax_backward(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin)
{
    const nn_tensor *y = node->saved[0];
    const nn_edge *e = &node->edges[0];
    int dim = node->iparam[1];
    nn_axis ax = nn_axis_of(e->ndim, e->shape, dim - 1, dim);
    NN_TRY(nn_similar(ctx, &gin[0], y));
    return nn_backend_for(nn_tensor_device(y))
        ->softmax_grad(ctx, gin[0], gout, y, (nn_softmax_mode)node->iparam[0], ax);
}

static nn_status softmax_op(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int dim, nn_softmax_mode mode)
{
    *out = NULL;
    const char *name = mode == NN_SOFTMAX ? "softmax" : "logsoftmax";
    if (dim < 1) return nn_error(ctx, NN_ERR_ARGUMENT, "%s: dims = %d: dimensions start at 1", name, dim);
    nn_tensor *xc;
    NN_TRY(as_float(ctx, &xc, x));
    nn_status s = nn_similar(ctx, out, xc);
    if (!s)
        s = nn_backend_for(nn_tensor_device(xc))
                ->softmax(ctx, *out, xc, mode, nn_axis_of(xc->ndim, xc->shape, dim - 1, dim));
    nn_node *node = NULL;
    if (!s) s = nn_node_new(ctx, &node, name, softmax_backward, 1, (const nn_tensor *const *)&xc);
    if (node) {
        node->iparam[0] = mode;
        node->iparam[1] = dim;
        s = nn_node_save(ctx, node, *out);
        nn_node_attach(*out, node);
    }
    nn_release(xc);
    if (s) nn_release_out(out);
    return s;
}

nn_status nn_softmax(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int dim)
{
    return softmax_op(ctx, out, x, dim, NN_SOFTMAX);
}

nn_status nn_logsoftmax(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int dim)
{
    return softmax_op(ctx, out, x, dim, NN_LOGSOFTMAX);
}

/* ---- logsumexp: x (any) -> the reduced shape; gx = g .* exp.(x .- y).
 * The reduced dims fall into runs of neighbours (size-1 dims between them
 * join a run); each run is one kernel pass, and the result of one run is the
 * next one's input, since logsumexp over (1, 3) is logsumexp over 3 of
 * logsumexp over 1. */

static nn_status logsumexp_backward(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin)
{
    const nn_tensor *x = node->saved[0], *y = node->saved[1];
    nn_tensor *d = NULL, *e = NULL;
    nn_status s = nn_binary(ctx, &d, NN_SUB, x, y);
    if (!s) s = nn_unary(ctx, &e, NN_EXP, d);
    if (!s) s = nn_binary(ctx, &gin[0], NN_MUL, e, gout);
    nn_release(d);
    nn_release(e);
    return s;
}

nn_status nn_logsumexp(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int ndims, const int *dims)
{
    *out = NULL;
    bool reduced[NN_MAX_DIMS];
    int ndim;
    int64_t shape[NN_MAX_DIMS], count;
    NN_TRY(nn_reduce_dims(ctx, "logsumexp", x, ndims, dims, reduced, &ndim, shape, &count));
    nn_tensor *xc, *cur;
    NN_TRY(as_float(ctx, &xc, x));
    const nn_backend *be = nn_backend_for(nn_tensor_device(xc));
    int64_t cs[NN_MAX_DIMS];
    memcpy(cs, xc->shape, sizeof cs);
    cur = nn_retain(xc);
    nn_status s = NN_OK;
    bool ran = false;
    for (int lo = 0; !s;) {
        /* a run [lo, hi) starts at a reduced dim of size > 1; when there is
         * none, one pass with n = 1 (past the last dim) copies x */
        while (lo < xc->ndim && !(reduced[lo] && cs[lo] != 1))
            lo++;
        if (lo >= xc->ndim && ran) break;
        int hi = lo + 1;
        while (hi < xc->ndim && (reduced[hi] || cs[hi] == 1))
            hi++;
        nn_axis ax = nn_axis_of(xc->ndim, cs, lo, hi);
        for (int i = lo; i < hi && i < xc->ndim; i++)
            cs[i] = 1;
        nn_tensor *next = NULL;
        s = nn_empty(ctx, &next, xc->dtype, xc->ndim, cs);
        if (!s) s = be->softmax(ctx, next, cur, NN_LOGSUMEXP, ax);
        nn_release(cur);
        cur = next;
        ran = true;
        lo = hi;
    }
    if (!s) s = nn_view(ctx, out, cur, ndim, shape, cur->offset);
    nn_release(cur);
    nn_node *node = NULL;
    if (!s) s = nn_node_new(ctx, &node, "logsumexp", logsumexp_backward, 1, (const nn_tensor *const *)&xc);
    if (node) {
        s = nn_node_save(ctx, node, xc);
        if (!s) s = nn_node_save(ctx, node, *out);
        nn_node_attach(*out, node);
    }
    nn_release(xc);
    if (s) nn_release_out(out);
    return s;
}

/* ---- logit cross-entropy: logits, y (classes, batch...) -> 0-d, the mean
 * over columns of -sum(y .* logsoftmax(logits; dims=1)).  One node: the
 * forward keeps logsoftmax(logits) for the backward,
 * g_logits = (softmax .* sum(y; dims=1) .- y) .* g/ncols, g_y = -logsoftmax .* g/ncols. */

static nn_status xent_backward(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin)
{
    const nn_tensor *lsm = node->saved[0], *y = node->saved[1];
    double ncols = node->dparam[0];
    nn_status s = NN_OK;
    if (nn_edge_needs(node, 0)) {
        s = nn_similar(ctx, &gin[0], lsm);
        if (!s) s = nn_backend_for(nn_tensor_device(lsm))->xent_grad(ctx, gin[0], lsm, y, gout, 1.0 / ncols);
    }
    if (!s && nn_edge_needs(node, 1)) {
        nn_tensor *k = NULL, *gk = NULL;
        s = nn_scalar(ctx, &k, lsm->dtype, -1.0 / ncols);
        if (!s) s = nn_binary(ctx, &gk, NN_MUL, gout, k);
        if (!s) s = nn_binary(ctx, &gin[1], NN_MUL, lsm, gk);
        nn_release(k);
        nn_release(gk);
    }
    return s;
}

nn_status nn_logitcrossentropy(nn_ctx *ctx, nn_tensor **out, const nn_tensor *logits, const nn_tensor *y)
{
    *out = NULL;
    char a[NN_SHAPE_BUF], b[NN_SHAPE_BUF];
    if (!nn_same_shape(logits, y))
        return nn_error(ctx, NN_ERR_DIMENSION, "logitcrossentropy: logits have size %s, labels have size %s",
                        nn_tshape(a, logits), nn_tshape(b, y));
    nn_dtype t = nn_promote(logits->dtype, y->dtype);
    if (!nn_dtype_is_float(t)) t = NN_F32;
    nn_tensor *lc = NULL, *yc = NULL, *lsm = NULL;
    nn_status s = nn_as_dtype(ctx, &lc, logits, t);
    if (!s) s = nn_as_dtype(ctx, &yc, y, t);
    bool tracked = !s && (nn_is_tracked(lc) || nn_is_tracked(yc));
    if (tracked) s = nn_similar(ctx, &lsm, lc);
    if (!s) s = nn_empty(ctx, out, t, 0, NULL);
    if (!s) s = nn_backend_for(nn_tensor_device(lc))->xent(ctx, *out, lsm, lc, yc);
    nn_node *node = NULL;
    const nn_tensor *in[2] = {lc, yc};
    if (!s && tracked) s = nn_node_new(ctx, &node, "logitcrossentropy", xent_backward, 2, in);
    if (node) {
        node->dparam[0] = (double)nn_axis_of(lc->ndim, lc->shape, 0, 1).outer;
        s = nn_node_save(ctx, node, lsm);
        if (!s) s = nn_node_save(ctx, node, yc);
        nn_node_attach(*out, node);
    }
    nn_release(lc);
    nn_release(yc);
    nn_release(lsm);
    if (s) nn_release_out(out);
    return s;
}
