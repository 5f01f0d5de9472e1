/* linalg.c — LinearAlgebra on matrices: det, inv, solve (A \ B) through LU,
 * the thin QR, dot and the p-norms, each with its backward beside it.
 * Integer and Bool inputs compute in Float32, as the elementwise ops do;
 * kernels: cpu/linalg.c (LAPACK and BLAS).  Matrices are small here: the
 * LAPACK calls are not split for interrupts.
 */
#include "cpu/linalg.h"

#include <math.h>
#include <string.h>

/* x in its float dtype (a new reference), after the checks every op shares. */
static nn_status as_float(nn_ctx *ctx, const char *op, const nn_tensor *x, nn_tensor **out)
{
    *out = NULL;
    if (nn_tensor_device(x) != NN_CPU)
        return nn_error(ctx, NN_ERR_ARGUMENT, "%s: linear algebra runs on CPU tensors only for now", op);
    return nn_as_dtype(ctx, out, x, nn_dtype_is_float(x->dtype) ? x->dtype : NN_F32);
}

/* A square matrix, else Julia's DimensionMismatch("matrix is not square"). */
static nn_status check_square(nn_ctx *ctx, const char *op, const nn_tensor *a)
{
    char s[NN_SHAPE_BUF];
    if (a->ndim != 2)
        return nn_error(ctx, NN_ERR_DIMENSION, "%s: expected a matrix, got an array of size %s", op,
                        nn_tshape(s, a));
    if (a->shape[0] != a->shape[1])
        return nn_error(ctx, NN_ERR_DIMENSION, "%s: matrix is not square: dimensions are %s", op,
                        nn_tshape(s, a));
    return NN_OK;
}

static nn_status singular(nn_ctx *ctx, const char *op, int k)
{
    return nn_error(ctx, NN_ERR_LAPACK,
                    "%s: the matrix is singular: U[%d, %d] is exactly zero in its LU factorization "
                    "(SingularException(%d))",
                    op, k, k, k);
}

/* An untracked copy of x (same dtype), for LAPACK to overwrite. */
static nn_status plain_copy(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x)
{
    NN_TRY(nn_similar(ctx, out, x));
    nn_status s = nn_backend_for(NN_CPU)->convert(ctx, *out, x);
    if (s) nn_release_out(out);
    return s;
}

/* The LU factors of a square float matrix and its pivots. */
static nn_status lu_new(nn_ctx *ctx, const nn_tensor *a, nn_tensor **lu, nn_tensor **ipiv, int *sing)
{
    *ipiv = NULL;
    NN_TRY(plain_copy(ctx, lu, a));
    nn_status s = nn_empty(ctx, ipiv, NN_I32, 1, a->shape);
    if (!s) s = nn_cpu_getrf(ctx, *lu, *ipiv, sing);
    if (s) {
        nn_release_out(lu);
        nn_release_out(ipiv);
    }
    return s;
}

/* c = alpha op(a) op(b) + beta c, c already of the product's shape. */
static nn_status gemm(nn_ctx *ctx, nn_tensor *c, const nn_tensor *a, const nn_tensor *b, bool ta, bool tb,
                      double alpha, double beta)
{
    return nn_backend_for(NN_CPU)->gemm(ctx, c, a, b, ta, tb, alpha, beta);
}

static nn_status gemm_new(nn_ctx *ctx, nn_tensor **c, int64_t m, int64_t n, const nn_tensor *a,
                          const nn_tensor *b, bool ta, bool tb, double alpha)
{
    int64_t shape[2] = {m, n};
    NN_TRY(nn_empty(ctx, c, a->dtype, 2, shape));
    nn_status s = gemm(ctx, *c, a, b, ta, tb, alpha, 0.0);
    if (s) nn_release_out(c);
    return s;
}

/* ---- det: A (n, n) -> 0-d, from the LU factors: the product of U's diagonal,
 * negated per row swap.  A singular matrix has determinant 0 (no error).
 * gA = g det(A) inv(A)', solved from the saved factors (inv(A)' = A' \ I);
 * at a singular matrix that is an error, as ChainRules' inv(A') is. */

static nn_status det_backward(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin)
{
    const nn_tensor *lu = node->saved[0], *ipiv = node->saved[1];
    if (node->iparam[0])
        return nn_error(ctx, NN_ERR_LAPACK,
                        "det: the gradient at a singular matrix needs its inverse (U[%d, %d] is zero in its "
                        "LU factorization)",
                        node->iparam[0], node->iparam[0]);
    int64_t n = lu->shape[0];
    NN_TRY(nn_zeros(ctx, &gin[0], lu->dtype, 2, lu->shape));
    double scale = nn_get(gout, 0) * node->dparam[0];
    for (int64_t i = 0; i < n; i++)
        nn_set(gin[0], i + i * n, scale);
    return nn_cpu_getrs(ctx, lu, ipiv, true, gin[0]); /* scale * (A' \ I) */
}

nn_status nn_det(nn_ctx *ctx, nn_tensor **out, const nn_tensor *a)
{
    *out = NULL;
    NN_TRY(check_square(ctx, "det", a));
    nn_tensor *ac, *lu = NULL, *ipiv = NULL;
    NN_TRY(as_float(ctx, "det", a, &ac));
    int sing = 0;
    nn_status s = lu_new(ctx, ac, &lu, &ipiv, &sing);
    double det = 1.0;
    if (!s) {
        int64_t n = lu->shape[0];
        const int32_t *p = nn_data(ipiv);
        for (int64_t i = 0; i < n; i++)
            det *= (p[i] != i + 1 ? -1.0 : 1.0) * nn_get(lu, i + i * n);
        if (sing) det = 0.0; /* +0, as Julia's det of a failed LU, not a signed product */
        s = nn_scalar(ctx, out, ac->dtype, det);
    }
    nn_node *node = NULL;
    if (!s) s = nn_node_new(ctx, &node, "det", det_backward, 1, (const nn_tensor *const *)&ac);
    if (node) {
        node->iparam[0] = sing;
        node->dparam[0] = det;
        s = nn_node_save(ctx, node, lu);
        if (!s) s = nn_node_save(ctx, node, ipiv);
        nn_node_attach(*out, node);
    }
    nn_release(ac);
    nn_release(lu);
    nn_release(ipiv);
    if (s) nn_release_out(out);
    return s;
}

/* ---- inv: A (n, n) -> Y (n, n) by getrf and getri; gA = -Y' g Y'. */

static nn_status inv_backward(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin)
{
    const nn_tensor *y = node->saved[0];
    int64_t n = y->shape[0];
    nn_tensor *t;
    NN_TRY(gemm_new(ctx, &t, n, n, y, gout, true, false, 1.0));
    nn_status s = gemm_new(ctx, &gin[0], n, n, t, y, false, true, -1.0);
    nn_release(t);
    return s;
}

nn_status nn_inv(nn_ctx *ctx, nn_tensor **out, const nn_tensor *a)
{
    *out = NULL;
    NN_TRY(check_square(ctx, "inv", a));
    nn_tensor *ac, *ipiv = NULL;
    NN_TRY(as_float(ctx, "inv", a, &ac));
    int sing = 0;
    nn_status s = lu_new(ctx, ac, out, &ipiv, &sing);
    if (!s && sing) s = singular(ctx, "inv", sing);
    if (!s) s = nn_cpu_getri(ctx, *out, ipiv);
    nn_node *node = NULL;
    if (!s) s = nn_node_new(ctx, &node, "inv", inv_backward, 1, (const nn_tensor *const *)&ac);
    if (node) {
        s = nn_node_save(ctx, node, *out);
        nn_node_attach(*out, node);
    }
    nn_release(ac);
    nn_release(ipiv);
    if (s) nn_release_out(out);
    return s;
}

/* ---- solve: A (n, n), B (n,) or (n, k) -> X = A \ B of B's shape, by getrf
 * and getrs.  gB = A' \ g (from the saved factors), gA = -gB X'. */

static nn_status solve_backward(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin)
{
    const nn_tensor *lu = node->saved[0], *ipiv = node->saved[1], *x = node->saved[2];
    nn_tensor *gb;
    NN_TRY(plain_copy(ctx, &gb, gout));
    nn_status s = nn_cpu_getrs(ctx, lu, ipiv, true, gb);
    if (!s && nn_edge_needs(node, 0))
        s = gemm_new(ctx, &gin[0], lu->shape[0], lu->shape[0], gb, x, false, true, -1.0);
    if (!s && nn_edge_needs(node, 1))
        gin[1] = gb;
    else
        nn_release(gb);
    return s;
}

nn_status nn_solve(nn_ctx *ctx, nn_tensor **out, const nn_tensor *a, const nn_tensor *b)
{
    *out = NULL;
    char sa[NN_SHAPE_BUF], sb[NN_SHAPE_BUF];
    if (a->ndim != 2 || a->shape[0] != a->shape[1])
        return nn_error(ctx, NN_ERR_DIMENSION,
                        "\\: A has size %s: the matrix must be square (least squares is not supported)",
                        nn_tshape(sa, a));
    if (b->ndim < 1 || b->ndim > 2 || b->shape[0] != a->shape[0])
        return nn_error(ctx, NN_ERR_DIMENSION,
                        "\\: A has size %s, B has size %s: B must be a vector or matrix with %lld rows",
                        nn_tshape(sa, a), nn_tshape(sb, b), (long long)a->shape[0]);
    if (nn_tensor_device(a) != NN_CPU || nn_tensor_device(b) != NN_CPU)
        return nn_error(ctx, NN_ERR_ARGUMENT, "\\: linear algebra runs on CPU tensors only for now");
    nn_dtype t = nn_promote(a->dtype, b->dtype);
    if (!nn_dtype_is_float(t)) t = NN_F32;
    nn_tensor *ac, *bc = NULL, *lu = NULL, *ipiv = NULL;
    NN_TRY(nn_as_dtype(ctx, &ac, a, t));
    nn_status s = nn_as_dtype(ctx, &bc, b, t);
    int sing = 0;
    if (!s) s = lu_new(ctx, ac, &lu, &ipiv, &sing);
    if (!s && sing) s = singular(ctx, "\\", sing);
    if (!s) s = plain_copy(ctx, out, bc);
    if (!s) s = nn_cpu_getrs(ctx, lu, ipiv, false, *out);
    nn_node *node = NULL;
    const nn_tensor *in[2] = {ac, bc};
    if (!s) s = nn_node_new(ctx, &node, "solve", solve_backward, 2, in);
    if (node) {
        s = nn_node_save(ctx, node, lu);
        if (!s) s = nn_node_save(ctx, node, ipiv);
        if (!s) s = nn_node_save(ctx, node, *out);
        nn_node_attach(*out, node);
    }
    nn_release(ac);
    nn_release(bc);
    nn_release(lu);
    nn_release(ipiv);
    if (s) nn_release_out(out);
    return s;
}

/* ---- qr: A (m, n) -> Q (m, k), R (k, n), k = min(m, n), by geqrf and orgqr.
 * The backward (ChainRules' qr_rev) is linear in (gQ, gR), so Q and R each
 * get a node computing its own part with the other's gradient zero.  With
 * U = R[:, 1:k], V = R[:, k+1:end] (empty unless m < n) and Y = Q V:
 *   gQ' = gQ + Y gV',  M = U gU' - gQ'' Q,  b = gQ' + Q copyltu(M),
 *   gA[:, 1:k] = b inv(U)',  gA[:, k+1:end] = Q gV.
 * It needs U invertible (A of full rank). */

static nn_status qr_grad(nn_ctx *ctx, const nn_tensor *q, const nn_tensor *r, const nn_tensor *gq,
                         const nn_tensor *gr, nn_tensor **ga)
{
    int64_t m = q->shape[0], k = q->shape[1], n = r->shape[1];
    for (int64_t i = 0; i < k; i++)
        if (nn_get(r, i + i * k) == 0)
            return nn_error(ctx, NN_ERR_LAPACK,
                            "qr: the gradient needs R to be invertible; R[%lld, %lld] is zero (A is rank "
                            "deficient)",
                            (long long)i + 1, (long long)i + 1);
    int64_t sa[2] = {m, n}, sx[2] = {m, k}, sk[2] = {k, k}, sv[2] = {k, n - k}, sy[2] = {m, n - k};
    nn_tensor *x = NULL, *u = NULL, *v = NULL, *gu = NULL, *gv = NULL, *y = NULL, *mm = NULL, *gy = NULL;
    nn_status s = nn_zeros(ctx, ga, q->dtype, 2, sa);
    if (!s) s = nn_view(ctx, &x, *ga, 2, sx, (*ga)->offset); /* gA[:, 1:k], the b above */
    if (!s && gq) s = nn_backend_for(NN_CPU)->convert(ctx, x, gq);
    if (!s) s = nn_view(ctx, &u, r, 2, sk, r->offset);
    if (!s && gr) s = nn_view(ctx, &gu, gr, 2, sk, gr->offset);
    if (!s && gr && n > k) {
        s = nn_view(ctx, &v, r, 2, sv, r->offset + k * k);
        if (!s) s = nn_view(ctx, &gv, gr, 2, sv, gr->offset + k * k);
        if (!s) s = gemm_new(ctx, &y, m, n - k, q, v, false, false, 1.0);
        if (!s) s = gemm(ctx, x, y, gv, false, true, 1.0, 1.0); /* gQ' */
        if (!s) s = nn_view(ctx, &gy, *ga, 2, sy, (*ga)->offset + m * k);
        if (!s) s = gemm(ctx, gy, q, gv, false, false, 1.0, 0.0);
    }
    if (!s) s = nn_zeros(ctx, &mm, q->dtype, 2, sk);
    if (!s && gr) s = gemm(ctx, mm, u, gu, false, true, 1.0, 0.0);
    if (!s) s = gemm(ctx, mm, x, q, true, false, -1.0, 1.0);
    if (!s) {
        nn_cpu_copyltu(mm);
        s = gemm(ctx, x, q, mm, false, false, 1.0, 1.0);
    }
    if (!s) s = nn_cpu_trsm_rut(ctx, x, u, k);
    nn_release(x);
    nn_release(u);
    nn_release(v);
    nn_release(gu);
    nn_release(gv);
    nn_release(y);
    nn_release(mm);
    nn_release(gy);
    if (s) nn_release_out(ga);
    return s;
}

static nn_status qr_backward(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin)
{
    const nn_tensor *q = node->saved[0], *r = node->saved[1];
    bool of_r = node->iparam[0];
    return qr_grad(ctx, q, r, of_r ? NULL : gout, of_r ? gout : NULL, &gin[0]);
}

nn_status nn_qr(nn_ctx *ctx, nn_tensor **q, nn_tensor **r, const nn_tensor *a)
{
    *q = *r = NULL;
    char sa[NN_SHAPE_BUF];
    if (a->ndim != 2)
        return nn_error(ctx, NN_ERR_DIMENSION, "qr: expected a matrix, got an array of size %s",
                        nn_tshape(sa, a));
    nn_tensor *ac, *work = NULL;
    NN_TRY(as_float(ctx, "qr", a, &ac));
    int64_t m = a->shape[0], n = a->shape[1], k = m < n ? m : n;
    int64_t sq[2] = {m, k}, sr[2] = {k, n};
    nn_status s = plain_copy(ctx, &work, ac);
    if (!s) s = nn_empty(ctx, r, ac->dtype, 2, sr);
    if (!s) s = nn_cpu_qr(ctx, work, *r);
    if (!s) s = nn_view(ctx, q, work, 2, sq, work->offset); /* Q is work's first k columns */
    for (int w = 0; w < 2 && !s; w++) {
        nn_node *node = NULL;
        s = nn_node_new(ctx, &node, "qr", qr_backward, 1, (const nn_tensor *const *)&ac);
        if (!node) break;
        node->iparam[0] = w;
        s = nn_node_save(ctx, node, *q);
        if (!s) s = nn_node_save(ctx, node, *r);
        nn_node_attach(w ? *r : *q, node);
    }
    nn_release(ac);
    nn_release(work);
    if (s) {
        nn_release_out(q);
        nn_release_out(r);
    }
    return s;
}

/* ---- dot: sum(vec(x) .* vec(y)) through the elementwise ops (their
 * backward and their dtype rules: two Int vectors give an Int). */

nn_status nn_dot(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, const nn_tensor *y)
{
    *out = NULL;
    if (x->numel != y->numel) {
        char sx[NN_SHAPE_BUF], sy[NN_SHAPE_BUF];
        return nn_error(ctx, NN_ERR_DIMENSION,
                        "dot: first array has length %lld which does not match the length of the second, "
                        "%lld (sizes %s and %s)",
                        (long long)x->numel, (long long)y->numel, nn_tshape(sx, x), nn_tshape(sy, y));
    }
    nn_tensor *xv, *yv = NULL, *p = NULL;
    NN_TRY(nn_vec(ctx, &xv, x));
    nn_status s = nn_vec(ctx, &yv, y);
    if (!s) s = nn_binary(ctx, &p, NN_MUL, xv, yv);
    if (!s) s = nn_reduce(ctx, out, NN_SUM, p, 0, NULL);
    nn_release(xv);
    nn_release(yv);
    nn_release(p);
    return s;
}

/* ---- norm: x (any) -> 0-d, the p-norm of all its elements. */

static nn_status norm_backward(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin)
{
    const nn_tensor *x = node->saved[0];
    NN_TRY(nn_similar(ctx, &gin[0], x));
    nn_cpu_norm_grad(gin[0], x, node->dparam[0], node->dparam[1], nn_get(gout, 0));
    return NN_OK;
}

nn_status nn_norm(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, double p)
{
    *out = NULL;
    nn_tensor *xc;
    NN_TRY(as_float(ctx, "norm", x, &xc));
    double y = nn_cpu_norm(xc, p);
    nn_status s = nn_scalar(ctx, out, xc->dtype, y);
    nn_node *node = NULL;
    if (!s) s = nn_node_new(ctx, &node, "norm", norm_backward, 1, (const nn_tensor *const *)&xc);
    if (node) {
        node->dparam[0] = p;
        node->dparam[1] = (double)nn_get(*out, 0); /* as rounded to x's dtype */
        s = nn_node_save(ctx, node, xc);
        nn_node_attach(*out, node);
    }
    nn_release(xc);
    if (s) nn_release_out(out);
    return s;
}
