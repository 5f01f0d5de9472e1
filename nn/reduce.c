/* reduce.c — sum, mean, prod, maximum, minimum over all or given dims, and
 * sum_to (broadcasting's backward).  Kernel: cpu/reduce.c.
 */
#include "internal.h"

#include <string.h>

static const char *const reduce_names[NN_NUM_REDUCE] = {"sum", "mean", "prod", "maximum", "minimum"};

/* Julia's dims= for every reduction here and in statistics.c and softmax.c
 * (see internal.h). */
nn_status nn_reduce_dims(nn_ctx *ctx, const char *op, const nn_tensor *x, int ndims, const int *dims,
                         bool *reduced, int *ndim, int64_t *shape, int64_t *count)
{
    if (ndims < 0 || ndims > NN_MAX_DIMS)
        return nn_error(ctx, NN_ERR_ARGUMENT, "%s: %d dims given", op, ndims);
    for (int i = 0; i < x->ndim; i++)
        reduced[i] = ndims == 0;
    for (int i = 0; i < ndims; i++) {
        if (dims[i] < 1)
            return nn_error(ctx, NN_ERR_ARGUMENT, "%s: dims = %d: dimensions start at 1", op, dims[i]);
        if (dims[i] <= x->ndim) reduced[dims[i] - 1] = true;
    }
    *ndim = ndims == 0 ? 0 : x->ndim;
    *count = 1;
    for (int i = 0; i < x->ndim; i++) {
        if (reduced[i]) *count *= x->shape[i];
        if (ndims) shape[i] = reduced[i] ? 1 : x->shape[i];
    }
    return NN_OK;
}

/* g (reduced shape) broadcast back to shape: a new tensor. */
static nn_status expand(nn_ctx *ctx, nn_tensor **out, const nn_tensor *g, int ndim, const int64_t *shape)
{
    NN_TRY(nn_empty(ctx, out, g->dtype, ndim, shape));
    nn_status s = nn_copy_(ctx, *out, g);
    if (s) nn_release_out(out);
    return s;
}

static nn_status reduce_backward(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin)
{
    nn_reduce_op op = (nn_reduce_op)node->iparam[0];
    const nn_edge *e = &node->edges[0];
    nn_tensor *x = node->saved[0], *y = node->saved[1];
    nn_tensor *t[6] = {0};
    nn_status s = NN_OK;
    switch (op) {
    case NN_SUM: return expand(ctx, &gin[0], gout, e->ndim, e->shape);
    case NN_MEAN: {
        s = nn_scalar(ctx, &t[0], gout->dtype, 1.0 / node->dparam[0]);
        if (!s) s = nn_binary(ctx, &t[1], NN_MUL, gout, t[0]);
        if (!s) s = expand(ctx, &gin[0], t[1], e->ndim, e->shape);
        break;
    }
    case NN_MAXIMUM:
    case NN_MINIMUM: /* split evenly between tied extremes, as PyTorch's amax */
        s = nn_compare(ctx, &t[0], NN_EQ, x, y);
        if (!s) s = nn_convert(ctx, &t[1], t[0], gout->dtype);
        if (!s) s = nn_reduce(ctx, &t[2], NN_SUM, t[1], node->iparam[3], node->iparam + 4);
        if (!s) s = nn_binary(ctx, &t[3], NN_DIV, gout, t[2]);
        if (!s) s = nn_binary(ctx, &gin[0], NN_MUL, t[1], t[3]);
        break;
    case NN_PROD: {
        /* d/dx_i prod = product of the others: y/x_i without zeros; with one
         * zero in a group only that element gets the others' product. */
        nn_tensor *zero = NULL, *one = NULL, *nz = NULL, *nzf = NULL, *cnt = NULL, *xs = NULL, *pnz = NULL,
                  *a = NULL, *b = NULL, *c1 = NULL, *c0 = NULL, *sel = NULL, *sel2 = NULL;
        s = nn_scalar(ctx, &zero, x->dtype, 0.0);
        if (!s) s = nn_scalar(ctx, &one, x->dtype, 1.0);
        if (!s) s = nn_compare(ctx, &nz, NN_EQ, x, zero);
        if (!s) s = nn_convert(ctx, &nzf, nz, x->dtype);
        if (!s) s = nn_reduce(ctx, &cnt, NN_SUM, nzf, node->iparam[3], node->iparam + 4);
        if (!s) s = nn_ifelse(ctx, &xs, nz, one, x); /* zeros -> 1 */
        if (!s) s = nn_reduce(ctx, &pnz, NN_PROD, xs, node->iparam[3], node->iparam + 4);
        if (!s) s = nn_binary(ctx, &a, NN_DIV, pnz, xs); /* others, if no zero */
        if (!s) s = nn_compare(ctx, &c0, NN_EQ, cnt, zero);
        if (!s) s = nn_compare(ctx, &c1, NN_EQ, cnt, one);
        if (!s) s = nn_ifelse(ctx, &b, nz, pnz, zero); /* one zero: only it */
        if (!s) s = nn_ifelse(ctx, &sel, c1, b, zero);
        if (!s) s = nn_ifelse(ctx, &sel2, c0, a, sel);
        if (!s) s = nn_binary(ctx, &gin[0], NN_MUL, sel2, gout);
        nn_tensor *all[] = {zero, one, nz, nzf, cnt, xs, pnz, a, b, c1, c0, sel, sel2};
        for (size_t i = 0; i < sizeof all / sizeof *all; i++)
            nn_release(all[i]);
        break;
    }
    default: break;
    }
    for (int i = 0; i < 6; i++)
        nn_release(t[i]);
    return s;
}

nn_status nn_reduce(nn_ctx *ctx, nn_tensor **out, nn_reduce_op op, const nn_tensor *x, int ndims,
                    const int *dims)
{
    *out = NULL;
    if ((unsigned)op >= NN_NUM_REDUCE) return nn_error(ctx, NN_ERR_ARGUMENT, "reduce: bad op %d", (int)op);
    const char *name = reduce_names[op];
    int ndim;
    int64_t shape[NN_MAX_DIMS], count;
    bool reduced[NN_MAX_DIMS];
    NN_TRY(nn_reduce_dims(ctx, name, x, ndims, dims, reduced, &ndim, shape, &count));
    if (count == 0 && (op == NN_MAXIMUM || op == NN_MINIMUM)) {
        char b[NN_SHAPE_BUF];
        return nn_error(ctx, NN_ERR_ARGUMENT,
                        "%s: reducing over an empty collection is not "
                        "allowed (size %s)",
                        name, nn_tshape(b, x));
    }
    nn_dtype t = x->dtype == NN_BOOL ? NN_I64 : x->dtype;
    if (op == NN_MEAN && !nn_dtype_is_float(t)) t = NN_F32;
    nn_tensor *xc;
    NN_TRY(nn_as_dtype(ctx, &xc, x, t));
    nn_status s = nn_empty(ctx, out, t, ndim, shape);
    if (!s) s = nn_backend_for(nn_tensor_device(xc))->reduce(ctx, *out, op, xc);
    nn_node *node = NULL;
    if (!s) s = nn_node_new(ctx, &node, name, reduce_backward, 1, (const nn_tensor *const *)&xc);
    if (node) {
        node->iparam[0] = op;
        node->dparam[0] = (double)count;
        node->iparam[3] = ndims;
        for (int i = 0; i < ndims && i < NN_MAX_DIMS - 4; i++)
            node->iparam[4 + i] = dims[i];
        if (op != NN_SUM && op != NN_MEAN) {
            s = nn_node_save(ctx, node, xc);
            if (!s) s = nn_node_save(ctx, node, *out);
        }
        nn_node_attach(*out, node);
    }
    nn_release(xc);
    if (s) nn_release_out(out);
    return s;
}

/* ---- sum_to ------------------------------------------------------------------------- */

nn_status nn_sum_to(nn_ctx *ctx, nn_tensor **out, const nn_tensor *g, int ndim, const int64_t *shape)
{
    *out = NULL;
    int dims[NN_MAX_DIMS], nd = 0;
    for (int i = 0; i < (g->ndim > ndim ? g->ndim : ndim); i++) {
        int64_t want = i < ndim ? shape[i] : 1, have = i < g->ndim ? g->shape[i] : 1;
        if (want == have) continue;
        if (want != 1) {
            char a[NN_SHAPE_BUF], b[NN_SHAPE_BUF];
            return nn_error(ctx, NN_ERR_DIMENSION, "sum_to: cannot reduce size %s to %s", nn_tshape(a, g),
                            nn_shape_str(b, sizeof b, ndim, shape));
        }
        dims[nd++] = i + 1;
    }
    nn_tensor *r;
    if (nd == 0)
        r = nn_retain((nn_tensor *)g);
    else
        NN_TRY(nn_reduce(ctx, &r, NN_SUM, g, nd, dims));
    if (r->ndim == ndim && !memcmp(r->shape, shape, (size_t)ndim * sizeof *shape)) {
        *out = r;
        return NN_OK;
    }
    nn_status s = nn_reshape(ctx, out, r, ndim, shape);
    nn_release(r);
    return s;
}
