/* shape.c — reshape and vec (views sharing storage), permutedims, transpose,
 * cat and stack.  Shapes are column-major; dims are 1-based.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reshape: x (any) -> view of `shape` (same numel); backward reshapes back. */

static nn_status reshape_backward(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin)
{
    return nn_view(ctx, &gin[0], gout, node->edges[0].ndim, node->edges[0].shape, gout->offset);
}

nn_status nn_reshape(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int ndim, const int64_t *shape)
{
    *out = NULL;
    char a[NN_SHAPE_BUF], b[NN_SHAPE_BUF];
    if (ndim < 0 || ndim > NN_MAX_DIMS)
        return nn_error(ctx, NN_ERR_ARGUMENT, "reshape: %d dimensions (at most %d)", ndim, NN_MAX_DIMS);
    int64_t sh[NN_MAX_DIMS], known = 1;
    int infer = -1;
    for (int i = 0; i < ndim; i++) {
        sh[i] = shape[i];
        if (shape[i] == -1) {
            if (infer >= 0)
                return nn_error(ctx, NN_ERR_ARGUMENT, "reshape: only one dimension can be inferred (:)");
            infer = i;
        } else if (shape[i] < 0) {
            return nn_error(ctx, NN_ERR_ARGUMENT, "reshape: negative size %lld", (long long)shape[i]);
        } else {
            if (shape[i] && known > INT64_MAX / shape[i])
                known = -1;
            else
                known *= shape[i];
        }
    }
    if (infer >= 0) {
        if (known <= 0 || x->numel % known)
            return nn_error(ctx, NN_ERR_DIMENSION,
                            "reshape: cannot infer a dimension to reshape "
                            "an array of size %s into %s",
                            nn_tshape(a, x), nn_shape_str(b, sizeof b, ndim, shape));
        sh[infer] = x->numel / known;
        known = x->numel;
    }
    if (known != x->numel)
        return nn_error(ctx, NN_ERR_DIMENSION,
                        "reshape: cannot reshape an array of size %s "
                        "(%lld elements) into size %s",
                        nn_tshape(a, x), (long long)x->numel, nn_shape_str(b, sizeof b, ndim, sh));
    NN_TRY(nn_view(ctx, out, x, ndim, sh, x->offset));
    nn_node *node;
    nn_status s = nn_node_new(ctx, &node, "reshape", reshape_backward, 1, &x);
    if (s) {
        nn_release_out(out);
        return s;
    }
    nn_node_attach(*out, node);
    return NN_OK;
}

nn_status nn_vec(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x)
{
    int64_t n = x->numel;
    return nn_reshape(ctx, out, x, 1, &n);
}

/* ---- permutedims: x (s_1, ..., s_n) -> (s_perm[1], ..., s_perm[n]), a copy;
 * backward permutes back with the inverse permutation. */

static nn_status permute_backward(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin)
{
    int inv[NN_MAX_DIMS];
    for (int i = 0; i < gout->ndim; i++)
        inv[node->iparam[i]] = i + 1;
    return nn_permutedims(ctx, &gin[0], gout, inv);
}

nn_status nn_permutedims(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, const int *perm)
{
    *out = NULL;
    int p[NN_MAX_DIMS];
    int64_t shape[NN_MAX_DIMS];
    bool seen[NN_MAX_DIMS] = {false};
    for (int i = 0; i < x->ndim; i++) {
        int v = perm ? perm[i] : 0;
        if (v < 1 || v > x->ndim || seen[v - 1]) {
            char a[NN_SHAPE_BUF], b[NN_SHAPE_BUF];
            size_t k = 0;
            b[0] = '\0';
            for (int j = 0; perm && j < x->ndim && k < sizeof b; j++)
                k += (size_t)snprintf(b + k, sizeof b - k, j ? ", %d" : "%d", perm[j]);
            return nn_error(ctx, NN_ERR_ARGUMENT,
                            "permutedims: (%s) is not a valid permutation of "
                            "1:%d for a %s tensor",
                            b, x->ndim, nn_tshape(a, x));
        }
        seen[v - 1] = true;
        p[i] = v - 1;
        shape[i] = x->shape[v - 1];
    }
    NN_TRY(nn_empty(ctx, out, x->dtype, x->ndim, shape));
    nn_status s = nn_backend_for(nn_tensor_device(x))->permute(ctx, *out, x, p);
    nn_node *node = NULL;
    if (!s) s = nn_node_new(ctx, &node, "permutedims", permute_backward, 1, &x);
    if (node) {
        memcpy(node->iparam, p, (size_t)x->ndim * sizeof *p);
        nn_node_attach(*out, node);
    }
    if (s) nn_release_out(out);
    return s;
}

/* A matrix swaps its dims; a vector (n,) becomes a (1, n) row, as Julia's
 * adjoint of a vector (a view, its gradient through reshape). */
nn_status nn_transpose(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x)
{
    *out = NULL;
    if (x->ndim == 2) {
        int p[2] = {2, 1};
        return nn_permutedims(ctx, out, x, p);
    }
    if (x->ndim == 1) {
        int64_t sh[2] = {1, x->shape[0]};
        return nn_reshape(ctx, out, x, 2, sh);
    }
    char a[NN_SHAPE_BUF];
    return nn_error(ctx, NN_ERR_ARGUMENT,
                    "transpose: expects a vector or a matrix, got a %s "
                    "tensor (use permutedims)",
                    nn_tshape(a, x));
}

/* ---- cat: xs[i] (..., k_i, ...) -> (..., sum k_i, ...) along dim d; each
 * input is an (inner, k_i, outer) slab of the output, and backward copies
 * the gradient's slabs back out. */

static int64_t size_at(int ndim, const int64_t *shape, int d)
{
    return d < ndim ? shape[d] : 1;
}

static nn_status cat_backward(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin)
{
    int d = node->iparam[0];
    nn_axis g = nn_axis_of(gout->ndim, gout->shape, d, d + 1);
    const nn_backend *be = nn_backend_for(nn_tensor_device(gout));
    int64_t at = 0;
    for (int i = 0; i < node->ninputs; i++) {
        const nn_edge *e = &node->edges[i];
        int64_t k = size_at(e->ndim, e->shape, d);
        if (nn_edge_needs(node, i)) {
            int64_t box[2] = {g.inner * k, g.outer}, ds[2] = {1, g.inner * k}, ss[2] = {1, g.inner * g.n};
            NN_TRY(nn_empty(ctx, &gin[i], gout->dtype, e->ndim, e->shape));
            NN_TRY(be->copy_strided(ctx, gin[i], 0, ds, gout, at * g.inner, ss, 2, box));
        }
        at += k;
    }
    return NN_OK;
}

nn_status nn_cat(nn_ctx *ctx, nn_tensor **out, int n, nn_tensor *const *xs, int dim)
{
    *out = NULL;
    if (n < 1) return nn_error(ctx, NN_ERR_ARGUMENT, "cat: no tensors to concatenate");
    if (dim < 1 || dim > NN_MAX_DIMS)
        return nn_error(ctx, NN_ERR_ARGUMENT, "cat: dims = %d: dimensions run from 1 to %d", dim,
                        NN_MAX_DIMS);
    int d = dim - 1, nd = dim;
    nn_dtype t = xs[0]->dtype;
    for (int i = 0; i < n; i++) {
        if (xs[i]->ndim > nd) nd = xs[i]->ndim;
        if (xs[i]->dtype != t) t = nn_promote(t, xs[i]->dtype);
    }
    int64_t shape[NN_MAX_DIMS];
    for (int j = 0; j < nd; j++)
        shape[j] = size_at(xs[0]->ndim, xs[0]->shape, j);
    shape[d] = 0;
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < nd; j++) {
            int64_t k = size_at(xs[i]->ndim, xs[i]->shape, j);
            if (j != d && k != shape[j]) {
                char a[NN_SHAPE_BUF], b[NN_SHAPE_BUF];
                return nn_error(ctx, NN_ERR_DIMENSION,
                                "cat: mismatch in dimension %d (expected %lld "
                                "got %lld): tensor 1 has size %s, tensor %d has size %s",
                                j + 1, (long long)shape[j], (long long)k, nn_tshape(a, xs[0]), i + 1,
                                nn_tshape(b, xs[i]));
            }
        }
        shape[d] += size_at(xs[i]->ndim, xs[i]->shape, d);
    }
    nn_tensor **xc = calloc((size_t)n, sizeof *xc);
    if (!xc) return nn_error(ctx, NN_ERR_MEMORY, "cat: out of memory");
    nn_status s = NN_OK;
    for (int i = 0; i < n && !s; i++)
        s = nn_as_dtype(ctx, &xc[i], xs[i], t);
    if (!s) s = nn_empty(ctx, out, t, nd, shape);
    nn_axis o = nn_axis_of(nd, shape, d, d + 1);
    int64_t at = 0;
    for (int i = 0; i < n && !s; i++) {
        int64_t k = size_at(xc[i]->ndim, xc[i]->shape, d);
        int64_t box[2] = {o.inner * k, o.outer}, ds[2] = {1, o.inner * o.n}, ss[2] = {1, o.inner * k};
        s = nn_backend_for(nn_tensor_device(xc[i]))
                ->copy_strided(ctx, *out, at * o.inner, ds, xc[i], 0, ss, 2, box);
        at += k;
    }
    nn_node *node = NULL;
    if (!s) s = nn_node_new(ctx, &node, "cat", cat_backward, n, (const nn_tensor *const *)xc);
    if (node) {
        node->iparam[0] = d;
        nn_node_attach(*out, node);
    }
    for (int i = 0; i < n; i++)
        nn_release(xc[i]);
    free(xc);
    if (s) nn_release_out(out);
    return s;
}

/* ---- stack: n tensors of equal size s -> s with n inserted at dim: each
 * input viewed with a 1 there, then cat (whose backward slices). */

nn_status nn_stack(nn_ctx *ctx, nn_tensor **out, int n, nn_tensor *const *xs, int dim)
{
    *out = NULL;
    if (n < 1) return nn_error(ctx, NN_ERR_ARGUMENT, "stack: no tensors to stack");
    char a[NN_SHAPE_BUF], b[NN_SHAPE_BUF];
    int nd = xs[0]->ndim;
    if (dim < 1 || dim > nd + 1 || nd + 1 > NN_MAX_DIMS)
        return nn_error(ctx, NN_ERR_ARGUMENT,
                        "stack: dims = %d is out of range for %s tensors "
                        "(1 to %d)",
                        dim, nn_tshape(a, xs[0]), nd + 1);
    for (int i = 1; i < n; i++)
        if (!nn_same_shape(xs[i], xs[0]))
            return nn_error(ctx, NN_ERR_DIMENSION,
                            "stack: all tensors must have the same size: "
                            "tensor 1 has size %s, tensor %d has size %s",
                            nn_tshape(a, xs[0]), i + 1, nn_tshape(b, xs[i]));
    int64_t shape[NN_MAX_DIMS];
    for (int j = 0, k = 0; j <= nd; j++)
        shape[j] = j == dim - 1 ? 1 : xs[0]->shape[k++];
    nn_tensor **vs = calloc((size_t)n, sizeof *vs);
    if (!vs) return nn_error(ctx, NN_ERR_MEMORY, "stack: out of memory");
    nn_status s = NN_OK;
    for (int i = 0; i < n && !s; i++)
        s = nn_reshape(ctx, &vs[i], xs[i], nd + 1, shape);
    if (!s) s = nn_cat(ctx, out, n, vs, dim);
    for (int i = 0; i < n; i++)
        nn_release(vs[i]);
    free(vs);
    return s;
}
