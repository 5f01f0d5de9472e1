/* cumsum.c — cumsum and cumprod along a 1-based dim (x's shape; Bool counts
 * as Int64, as Julia's cumsum of Bools), each with its backward beside it.
 * Kernels: cpu/cumsum.c.
 */
#include "cpu/cumsum.h"

/* ---- cumsum: x (any) -> y (same shape), y[k] = x[1] + ... + x[k] along dim;
 * gx = the running sums of g taken from the end (gx[k] = g[k] + ... + g[n]).
 * cumprod: y[k] = x[1] * ... * x[k]; gx[k] = sum over j >= k of g[j] times the
 * product of x[1..j] without x[k] (cpu/cumsum.c, exact with zeros). */

static nn_status cumulative_backward(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin)
{
    bool prod = node->iparam[0];
    int dim = node->iparam[1];
    const nn_edge *e = &node->edges[0];
    nn_axis ax = nn_axis_of(e->ndim, e->shape, dim - 1, dim);
    nn_tensor *g = NULL;
    NN_TRY(nn_as_dtype(ctx, &g, gout, e->dtype));
    nn_status s = nn_empty(ctx, &gin[0], e->dtype, e->ndim, e->shape);
    if (!s && prod)
        s = nn_cpu_cumprod_grad(ctx, gin[0], g, node->saved[0], node->saved[1], ax);
    else if (!s)
        s = nn_cpu_cumulative(ctx, gin[0], g, false, true, ax);
    nn_release(g);
    if (s) nn_release_out(&gin[0]);
    return s;
}

static nn_status cumulative(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int dim, bool prod)
{
    *out = NULL;
    const char *name = prod ? "cumprod" : "cumsum";
    if (dim < 1) return nn_error(ctx, NN_ERR_ARGUMENT, "%s: dims = %d: dimensions start at 1", name, dim);
    if (nn_tensor_device(x) != NN_CPU)
        return nn_error(ctx, NN_ERR_ARGUMENT, "%s: runs on CPU tensors only for now", name);
    nn_tensor *xc;
    NN_TRY(nn_as_dtype(ctx, &xc, x, x->dtype == NN_BOOL ? NN_I64 : x->dtype));
    nn_axis ax = nn_axis_of(xc->ndim, xc->shape, dim - 1, dim);
    nn_status s = nn_similar(ctx, out, xc);
    if (!s) s = nn_cpu_cumulative(ctx, *out, xc, prod, false, ax);
    nn_node *node = NULL;
    if (!s) s = nn_node_new(ctx, &node, name, cumulative_backward, 1, (const nn_tensor *const *)&xc);
    if (node) {
        node->iparam[0] = prod;
        node->iparam[1] = dim;
        if (prod) {
            s = nn_node_save(ctx, node, xc);
            if (!s) s = nn_node_save(ctx, node, *out);
        }
        nn_node_attach(*out, node);
    }
    nn_release(xc);
    if (s) nn_release_out(out);
    return s;
}

nn_status nn_cumsum(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int dim)
{
    return cumulative(ctx, out, x, dim, false);
}

nn_status nn_cumprod(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int dim)
{
    return cumulative(ctx, out, x, dim, true);
}
