/* shape.c — reshape and vec (views sharing storage), permutedims, transpose,
 * cat and stack.  Shapes are column-major; dims are 1-based.
 */
#include "internal.h"

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
            if (shape[i] && known > INT64_MAX / shape[i]) known = -1;
            else known *= shape[i];
        }
    }
    if (infer >= 0) {
        if (known <= 0 || x->numel % known)
            return nn_error(ctx, NN_ERR_DIMENSION, "reshape: cannot infer a dimension to reshape "
                            "an array of size %s into %s", nn_tshape(a, x), nn_shape_str(b, sizeof b, ndim, shape));
        sh[infer] = x->numel / known;
        known = x->numel;
    }
    if (known != x->numel)
        return nn_error(ctx, NN_ERR_DIMENSION, "reshape: cannot reshape an array of size %s "
                        "(%lld elements) into size %s", nn_tshape(a, x), (long long)x->numel,
                        nn_shape_str(b, sizeof b, ndim, sh));
    NN_TRY(nn_view(ctx, out, x, ndim, sh, x->offset));
    nn_node *node;
    nn_status s = nn_node_new(ctx, &node, "reshape", reshape_backward, 1, &x);
    if (s) {
        nn_release(*out);
        *out = NULL;
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
