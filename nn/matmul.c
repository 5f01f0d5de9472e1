/* matmul.c — matrix products: matmul (with transposes), batched_mul and the
 * fused dense layer act.(W*x .+ b), each with its backward.  All go through
 * the backend's gemm (cpu/matmul.c: OpenBLAS sgemm/dgemm, no copies).
 */
#include "internal.h"

#include <string.h>

/* x as (rows, cols, batch): a vector is a column. */
static void dims3(const nn_tensor *x, int64_t d[3])
{
    d[0] = x->ndim > 0 ? x->shape[0] : 1;
    d[1] = x->ndim > 1 ? x->shape[1] : 1;
    d[2] = x->ndim > 2 ? x->shape[2] : 1;
}

/* out = op(a) op(b) into a new (rows, cols[, batch]) tensor of a's dtype. */
static nn_status gemm_new(nn_ctx *ctx, nn_tensor **out, int64_t rows, int64_t cols, int64_t batch,
                          const nn_tensor *a, const nn_tensor *b, bool ta, bool tb)
{
    int64_t shape[3] = {rows, cols, batch};
    NN_TRY(nn_empty(ctx, out, a->dtype, batch > 1 ? 3 : 2, shape));
    nn_status s = nn_backend_for(nn_tensor_device(a))->gemm(ctx, *out, a, b, ta, tb, 1.0, 0.0);
    if (s) nn_release_out(out);
    return s;
}

/* Gradients of C = op(A) op(B) for whichever of A, B the node needs, as
 * tensors of the edges' shapes (a batch of 1 that broadcast is summed). */
static nn_status product_grads(nn_ctx *ctx, nn_node *node, const nn_tensor *A, const nn_tensor *B,
                               const nn_tensor *G, bool ta, bool tb, int ia, int ib, nn_tensor **gin)
{
    int64_t da[3], db[3], dg[3];
    dims3(A, da);
    dims3(B, db);
    dims3(G, dg);
    nn_tensor *g3;
    NN_TRY(nn_view(ctx, &g3, G, 3, dg, G->offset));
    nn_status s = NN_OK;
    for (int w = 0; w < 2 && !s; w++) {
        int idx = w == 0 ? ia : ib;
        if (idx < 0 || !nn_edge_needs(node, idx)) continue;
        const nn_edge *e = &node->edges[idx];
        const int64_t *dx = w == 0 ? da : db;
        nn_tensor *full = NULL;
        if (w == 0) { /* dA, shape of A (before its transpose) */
            if (!ta && !tb)
                s = gemm_new(ctx, &full, dx[0], dx[1], dg[2], g3, B, false, true);
            else if (ta && !tb)
                s = gemm_new(ctx, &full, dx[0], dx[1], dg[2], B, g3, false, true);
            else if (!ta && tb)
                s = gemm_new(ctx, &full, dx[0], dx[1], dg[2], g3, B, false, false);
            else
                s = gemm_new(ctx, &full, dx[0], dx[1], dg[2], B, g3, true, true);
        } else {
            if (!ta && !tb)
                s = gemm_new(ctx, &full, dx[0], dx[1], dg[2], A, g3, true, false);
            else if (ta && !tb)
                s = gemm_new(ctx, &full, dx[0], dx[1], dg[2], A, g3, false, false);
            else if (!ta && tb)
                s = gemm_new(ctx, &full, dx[0], dx[1], dg[2], g3, A, true, false);
            else
                s = gemm_new(ctx, &full, dx[0], dx[1], dg[2], g3, A, true, true);
        }
        if (s) break;
        if (dx[2] == 1 && dg[2] > 1) { /* broadcast batch: sum it */
            int64_t two[2] = {dx[0], dx[1]};
            nn_tensor *r;
            s = nn_sum_to(ctx, &r, full, 2, two);
            nn_release(full);
            full = r;
            if (s) break;
        }
        s = nn_view(ctx, &gin[idx], full, e->ndim, e->shape, full->offset);
        nn_release(full);
    }
    nn_release(g3);
    return s;
}

/* Float inputs of a common dtype (integers compute in Float32). */
static nn_status float_pair(nn_ctx *ctx, const nn_tensor *a, const nn_tensor *b, nn_tensor **ac,
                            nn_tensor **bc)
{
    nn_dtype t = nn_promote(a->dtype, b->dtype);
    if (!nn_dtype_is_float(t)) t = NN_F32;
    *bc = NULL;
    NN_TRY(nn_as_dtype(ctx, ac, a, t));
    nn_status s = nn_as_dtype(ctx, bc, b, t);
    if (s) {
        nn_release(*ac);
        *ac = NULL;
    }
    return s;
}

/* ---- matmul: A (m, k) [or (k, m) with ta], B (k, n) [or (n, k)] -> (m, n);
 * B a vector (k,) gives (m,). */

static nn_status matmul_backward(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin)
{
    return product_grads(ctx, node, node->saved[0], node->saved[1], gout, node->iparam[0], node->iparam[1], 0,
                         1, gin);
}

static nn_status product(nn_ctx *ctx, nn_tensor **out, const nn_tensor *a, const nn_tensor *b, bool ta,
                         bool tb, bool batched)
{
    *out = NULL;
    const char *op = batched ? "batched_mul" : "matmul";
    char sa[NN_SHAPE_BUF], sb[NN_SHAPE_BUF];
    int maxd = batched ? 3 : 2;
    if (a->ndim > maxd || b->ndim > maxd || (batched && (a->ndim < 3 && b->ndim < 3)))
        return nn_error(ctx, NN_ERR_DIMENSION, "%s: A has size %s, B has size %s (%s)", op, nn_tshape(sa, a),
                        nn_tshape(sb, b),
                        batched ? "batched_mul needs 3-d arrays (m, k, batch)"
                                : "use batched_mul for 3-d arrays");
    int64_t da[3], db[3];
    dims3(a, da);
    dims3(b, db);
    int64_t m = ta ? da[1] : da[0], ka = ta ? da[0] : da[1];
    int64_t kb = tb ? db[1] : db[0], n = tb ? db[0] : db[1];
    if (ka != kb || (da[2] != db[2] && da[2] != 1 && db[2] != 1))
        return nn_error(ctx, NN_ERR_DIMENSION, "%s: A has size %s, B has size %s%s", op, nn_tshape(sa, a),
                        nn_tshape(sb, b), ta || tb ? " (after transposes)" : "");
    nn_tensor *ac, *bc;
    NN_TRY(float_pair(ctx, a, b, &ac, &bc));
    int64_t batch = da[2] > db[2] ? da[2] : db[2];
    nn_tensor *c = NULL;
    nn_status s = gemm_new(ctx, &c, m, n, batch, ac, bc, ta, tb);
    if (!s && !batched && b->ndim == 1 && !tb) { /* matrix * vector -> vector */
        s = nn_view(ctx, out, c, 1, &m, c->offset);
        nn_release(c);
    } else {
        *out = c;
    }
    nn_node *node = NULL;
    const nn_tensor *in[2] = {ac, bc};
    if (!s) s = nn_node_new(ctx, &node, op, matmul_backward, 2, in);
    if (node) {
        node->iparam[0] = ta;
        node->iparam[1] = tb;
        s = nn_node_save(ctx, node, ac);
        if (!s) s = nn_node_save(ctx, node, bc);
        nn_node_attach(*out, node);
    }
    nn_release(ac);
    nn_release(bc);
    if (s) nn_release_out(out);
    return s;
}

nn_status nn_matmul(nn_ctx *ctx, nn_tensor **out, const nn_tensor *a, const nn_tensor *b, bool ta, bool tb)
{
    return product(ctx, out, a, b, ta, tb, false);
}

nn_status nn_batched_mul(nn_ctx *ctx, nn_tensor **out, const nn_tensor *a, const nn_tensor *b, bool ta,
                         bool tb)
{
    return product(ctx, out, a, b, ta, tb, true);
}

/* ---- dense: W (out, in), x (in, batch) or (in,), b (out,) -> act.(W x .+ b).
 * One node: the GEMM writes y, then the bias and the activation run in place
 * on it in one pass over its columns (cpu/unary.c). */

static nn_status dense_backward(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin)
{
    nn_unary_op act = (nn_unary_op)node->iparam[0];
    const nn_tensor *w = node->saved[0], *x = node->saved[1], *y = node->saved[2];
    const nn_tensor *z = node->nsaved > 3 ? node->saved[3] : NULL;
    nn_tensor *dz;
    NN_TRY(nn_similar(ctx, &dz, gout));
    nn_status s =
        nn_backend_for(nn_tensor_device(gout))->unary_grad(ctx, dz, act, gout, z, y, node->dparam[0]);
    if (!s && node->ninputs > 2 && nn_edge_needs(node, 2))
        s = nn_sum_to(ctx, &gin[2], dz, node->edges[2].ndim, node->edges[2].shape);
    if (!s) s = product_grads(ctx, node, w, x, dz, false, false, 0, 1, gin);
    nn_release(dz);
    return s;
}

nn_status nn_dense(nn_ctx *ctx, nn_tensor **out, const nn_tensor *w, const nn_tensor *x, const nn_tensor *b,
                   nn_unary_op act)
{
    *out = NULL;
    char s1[NN_SHAPE_BUF], s2[NN_SHAPE_BUF], s3[NN_SHAPE_BUF];
    if ((unsigned)act >= NN_NUM_UNARY)
        return nn_error(ctx, NN_ERR_ARGUMENT, "dense: bad activation %d", (int)act);
    if (w->ndim != 2 || x->ndim < 1 || x->ndim > 2 || w->shape[1] != x->shape[0] ||
        (b && (b->ndim != 1 || b->shape[0] != w->shape[0])))
        return nn_error(ctx, NN_ERR_DIMENSION,
                        "dense: weight has size %s, input has size %s, bias has size %s", nn_tshape(s1, w),
                        nn_tshape(s2, x), b ? nn_tshape(s3, b) : "(none)");
    nn_tensor *wc, *xc, *bc = NULL, *y = NULL, *z = NULL;
    NN_TRY(float_pair(ctx, w, x, &wc, &xc));
    nn_status s = b ? nn_as_dtype(ctx, &bc, b, wc->dtype) : NN_OK;
    const nn_backend *be = nn_backend_for(nn_tensor_device(wc));
    int64_t n = x->ndim > 1 ? x->shape[1] : 1;
    if (!s) s = gemm_new(ctx, &y, w->shape[0], n, 1, wc, xc, false, false);
    const nn_tensor *in[3] = {wc, xc, bc};
    bool tracked = !s && (nn_is_tracked(wc) || nn_is_tracked(xc) || (bc && nn_is_tracked(bc)));
    double p = nn_unary_default_param(act);
    if (tracked && act != NN_IDENTITY && !nn_unary_grad_uses_y(act)) {
        /* the backward needs the pre-activation: bias first, keep a copy, then act */
        if (bc) s = be->bias_act(ctx, y, bc, NN_IDENTITY, p);
        if (!s) s = nn_similar(ctx, &z, y);
        if (!s) s = be->convert(ctx, z, y);
        if (!s) s = be->bias_act(ctx, y, NULL, act, p);
    } else if (!s && (bc || act != NN_IDENTITY)) {
        s = be->bias_act(ctx, y, bc, act, p);
    }
    if (!s && x->ndim == 1) {
        nn_tensor *v;
        s = nn_view(ctx, &v, y, 1, y->shape, y->offset);
        nn_release(y);
        y = v;
    }
    nn_node *node = NULL;
    if (!s && tracked) s = nn_node_new(ctx, &node, "dense", dense_backward, bc ? 3 : 2, in);
    if (node) {
        node->iparam[0] = act;
        node->dparam[0] = p;
        s = nn_node_save(ctx, node, wc);
        if (!s) s = nn_node_save(ctx, node, xc);
        if (!s) s = nn_node_save(ctx, node, y);
        if (!s && z) s = nn_node_save(ctx, node, z);
        nn_node_attach(y, node);
    }
    nn_release(wc);
    nn_release(xc);
    nn_release(bc);
    nn_release(z);
    if (s) {
        nn_release(y);
        return s;
    }
    *out = y;
    return NN_OK;
}
