/* statistics.c — var and std (Julia's, with `corrected`) over all or given
 * dims, in two passes (the mean, then the squared deviations), with their
 * backward; argmax and argmin (not differentiable).  Kernels: cpu/reduce.c
 * for the mean, cpu/statistics.c for the rest.
 */
#include "internal.h"

#include <math.h>
#include <string.h>

/* ---- var, std: x (any) -> the reduced shape, Float.
 * gx = (x .- mean) .* k with k = 2g/den for var and g/(den y) for std. */

static nn_status moments_backward(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin)
{
    const nn_tensor *x = node->saved[0], *m = node->saved[1];
    bool sd = node->iparam[0];
    double den = node->dparam[0];
    nn_tensor *c = NULL, *k = NULL, *t = NULL, *d = NULL;
    nn_status s = nn_scalar(ctx, &c, x->dtype, sd ? 1.0 / den : 2.0 / den);
    if (!s) s = nn_binary(ctx, &t, NN_MUL, gout, c);
    if (!s && sd)
        s = nn_binary(ctx, &k, NN_DIV, t, node->saved[2]);
    else if (!s)
        k = nn_retain(t);
    if (!s) s = nn_binary(ctx, &d, NN_SUB, x, m);
    if (!s) s = nn_binary(ctx, &gin[0], NN_MUL, d, k);
    nn_release(c);
    nn_release(k);
    nn_release(t);
    nn_release(d);
    return s;
}

static nn_status moments(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int ndims, const int *dims,
                         bool corrected, bool sd)
{
    *out = NULL;
    const char *name = sd ? "std" : "var";
    bool reduced[NN_MAX_DIMS];
    int ndim;
    int64_t shape[NN_MAX_DIMS], count;
    NN_TRY(nn_reduce_dims(ctx, name, x, ndims, dims, reduced, &ndim, shape, &count));
    nn_tensor *xc, *m = NULL;
    NN_TRY(nn_as_dtype(ctx, &xc, x, nn_dtype_is_float(x->dtype) ? x->dtype : NN_F32));
    const nn_backend *be = nn_backend_for(nn_tensor_device(xc));
    /* an empty group has no variance (NaN), as Julia's; one with n <= corrected gives 0/0 */
    double den = (double)count - (corrected ? 1.0 : 0.0);
    nn_status s = nn_empty(ctx, &m, xc->dtype, ndim, shape);
    if (!s) s = be->reduce(ctx, m, NN_MEAN, xc);
    if (!s) s = nn_empty(ctx, out, xc->dtype, ndim, shape);
    if (!s) s = be->sqdev(ctx, *out, xc, m, count ? 1.0 / den : NAN);
    if (!s && sd) s = be->unary(ctx, *out, NN_SQRT, *out, 0.0);
    nn_node *node = NULL;
    if (!s) s = nn_node_new(ctx, &node, name, moments_backward, 1, (const nn_tensor *const *)&xc);
    if (node) {
        node->iparam[0] = sd;
        node->dparam[0] = den;
        s = nn_node_save(ctx, node, xc);
        if (!s) s = nn_node_save(ctx, node, m);
        if (!s && sd) s = nn_node_save(ctx, node, *out);
        nn_node_attach(*out, node);
    }
    nn_release(xc);
    nn_release(m);
    if (s) nn_release_out(out);
    return s;
}

nn_status nn_var(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int ndims, const int *dims, bool corrected)
{
    return moments(ctx, out, x, ndims, dims, corrected, false);
}

nn_status nn_std(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int ndims, const int *dims, bool corrected)
{
    return moments(ctx, out, x, ndims, dims, corrected, true);
}

/* ---- argmax, argmin: x (any dtype) -> Int64, size 1 along dim (0-d for dim 0) */

static nn_status argext(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int dim, bool min)
{
    *out = NULL;
    const char *name = min ? "argmin" : "argmax";
    char b[NN_SHAPE_BUF];
    if (dim < 0) return nn_error(ctx, NN_ERR_ARGUMENT, "%s: dims = %d: dimensions start at 1", name, dim);
    int ndim = dim == 0 ? 0 : x->ndim;
    int64_t shape[NN_MAX_DIMS];
    memcpy(shape, x->shape, sizeof shape);
    nn_axis ax = {1, x->numel, 1};
    if (dim > 0) {
        ax = nn_axis_of(x->ndim, x->shape, dim - 1, dim);
        if (dim <= x->ndim) shape[dim - 1] = 1;
    }
    /* Julia: an empty slice is an error unless there are no slices at all */
    if (ax.n == 0 && ax.inner * ax.outer > 0)
        return nn_error(ctx, NN_ERR_ARGUMENT, "%s: collection%s must be non-empty (size %s)", name,
                        dim ? " slices" : "", nn_tshape(b, x));
    NN_TRY(nn_empty(ctx, out, NN_I64, ndim, shape));
    nn_status s = nn_backend_for(nn_tensor_device(x))->argext(ctx, *out, x, min, ax);
    if (s) nn_release_out(out);
    return s;
}

nn_status nn_argmax(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int dim)
{
    return argext(ctx, out, x, dim, false);
}

nn_status nn_argmin(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int dim)
{
    return argext(ctx, out, x, dim, true);
}
