/* test_linalg.c — det, inv, solve, qr, dot and norm: values against
 * hand-worked results, every backward against finite differences, and every
 * error path (non-square, mismatched sizes, singular matrices).
 */
#include "tap.h"

#include <math.h>
#include <stdio.h>

static nn_ctx *ctx;

static nn_tensor *mat(nn_dtype t, int64_t m, int64_t n, const double *colmajor)
{
    int64_t s[2] = {m, n};
    return tap_tensor(ctx, t, 2, s, colmajor);
}

static nn_tensor *vec(nn_dtype t, int64_t n, const double *d)
{
    return tap_tensor(ctx, t, 1, &n, d);
}

/* Deterministic, uneven data of full rank (sin(f(i) + g(j)) alone would have
 * rank 2; the i j term mixes them), well conditioned with diag added. */
static nn_tensor *data(int64_t m, int64_t n, double seed, double diag)
{
    int64_t s[2] = {m, n};
    nn_tensor *x;
    nn_empty(ctx, &x, NN_F64, 2, s);
    for (int64_t j = 0; j < n; j++)
        for (int64_t i = 0; i < m; i++)
            nn_set(x, i + j * m,
                   sin(seed + 0.7 * (double)(i + j * m) + 0.13 * (double)(i * j)) + (i == j ? diag : 0.0));
    return x;
}

static double scalar_of(nn_tensor *t)
{
    double v = nn_get(t, 0);
    nn_release(t);
    return v;
}

/* ---- values ---------------------------------------------------------------------------------- */

static void test_det(void)
{
    double d2[4] = {1, 2, 3, 4}; /* [1 3; 2 4]: 1*4 - 3*2 = -2 */
    nn_tensor *a = mat(NN_F64, 2, 2, d2), *out;
    tap_okst(ctx, nn_det(ctx, &out, a), "det of a 2x2");
    tap_ok(out->ndim == 0 && out->dtype == NN_F64, "det is a 0-d Float64");
    tap_close(scalar_of(out), -2, 1e-12, "det([1 3; 2 4]) == -2");
    nn_release(a);

    /* [2 -1 0; -1 2 -1; 0 -1 2]: 2(4-1) + 1(-2) = 4 */
    double d3[9] = {2, -1, 0, -1, 2, -1, 0, -1, 2};
    a = mat(NN_F32, 3, 3, d3);
    nn_det(ctx, &out, a);
    tap_ok(out->dtype == NN_F32, "Float32 in, Float32 out");
    tap_close(scalar_of(out), 4, 1e-5, "det of the 3x3 second-difference matrix == 4");
    nn_release(a);

    double swap[4] = {0, 1, 1, 0}; /* a row swap: -1 */
    a = mat(NN_I64, 2, 2, swap);
    nn_det(ctx, &out, a);
    tap_ok(out->dtype == NN_F32, "Int64 computes in Float32");
    tap_close(scalar_of(out), -1, 0, "det([0 1; 1 0]) == -1 (pivoting counted)");
    nn_release(a);

    double sing[4] = {1, 2, 2, 4};
    a = mat(NN_F64, 2, 2, sing);
    tap_okst(ctx, nn_det(ctx, &out, a), "det of a singular matrix is no error");
    tap_close(scalar_of(out), 0, 0, "and it is 0");
    nn_release(a);

    int64_t z[2] = {0, 0};
    nn_zeros(ctx, &a, NN_F64, 2, z);
    nn_det(ctx, &out, a);
    tap_close(scalar_of(out), 1, 0, "det of a 0x0 matrix is 1");
    nn_release(a);

    a = data(2, 3, 0.1, 0);
    tap_error(ctx, nn_det(ctx, &out, a), NN_ERR_DIMENSION, "det of a 2x3 is a DimensionMismatch",
              "matrix is not square", "(2, 3)", NULL);
    nn_release(a);
    a = vec(NN_F64, 2, d2);
    tap_error(ctx, nn_det(ctx, &out, a), NN_ERR_DIMENSION, "det of a vector", "expected a matrix", "(2,)",
              NULL);
    nn_release(a);
}

static void test_inv(void)
{
    /* inv([4 7; 2 6]) = [0.6 -0.7; -0.2 0.4] */
    double d[4] = {4, 2, 7, 6}, want[4] = {0.6, -0.2, -0.7, 0.4};
    for (int t = 0; t < 2; t++) {
        nn_dtype dt = t ? NN_F64 : NN_F32;
        nn_tensor *a = mat(dt, 2, 2, d), *y;
        tap_okst(ctx, nn_inv(ctx, &y, a), dt == NN_F64 ? "inv Float64" : "inv Float32");
        tap_ok(y->ndim == 2 && y->shape[0] == 2 && y->shape[1] == 2 && y->dtype == dt, "a 2x2 %s",
               nn_dtype_name(dt));
        tap_tensor_close(y, want, 4, 0, t ? 1e-14 : 1e-6, "inv([4 7; 2 6]) == [0.6 -0.7; -0.2 0.4]");
        nn_release(y);
        nn_release(a);
    }
    /* A * inv(A) == I for a 5x5 */
    nn_tensor *a = data(5, 5, 0.4, 3), *y, *p;
    nn_inv(ctx, &y, a);
    nn_matmul(ctx, &p, a, y, false, false);
    double eye[25] = {0};
    for (int i = 0; i < 5; i++)
        eye[i * 6] = 1;
    tap_tensor_close(p, eye, 25, 0, 1e-12, "A * inv(A) == I (5x5)");
    nn_release(p);
    nn_release(y);
    nn_release(a);

    double sing[4] = {1, 2, 2, 4};
    a = mat(NN_F64, 2, 2, sing);
    tap_error(ctx, nn_inv(ctx, &y, a), NN_ERR_LAPACK, "inv of a singular matrix", "inv", "singular",
              "SingularException(2)", NULL);
    tap_ok(y == NULL, "no result left behind");
    nn_release(a);
    a = data(3, 2, 0.1, 0);
    tap_error(ctx, nn_inv(ctx, &y, a), NN_ERR_DIMENSION, "inv of a 3x2", "inv", "not square", "(3, 2)", NULL);
    nn_release(a);
}

static void test_solve(void)
{
    /* [2 1; 1 3] x = [3, 5]: x = [0.8, 1.4]; with B = [3 1; 5 0] the 2nd column is [0.6, -0.2] */
    double da[4] = {2, 1, 1, 3}, db[2] = {3, 5}, dbm[4] = {3, 5, 1, 0};
    nn_tensor *a = mat(NN_F64, 2, 2, da), *b = vec(NN_F64, 2, db), *x;
    tap_okst(ctx, nn_solve(ctx, &x, a, b), "A \\ b");
    tap_ok(x->ndim == 1 && x->shape[0] == 2, "a vector for a vector");
    double w1[2] = {0.8, 1.4};
    tap_tensor_close(x, w1, 2, 0, 1e-14, "[2 1; 1 3] \\ [3, 5] == [0.8, 1.4]");
    nn_release(x);
    nn_release(b);
    b = mat(NN_F64, 2, 2, dbm);
    nn_solve(ctx, &x, a, b);
    double w2[4] = {0.8, 1.4, 0.6, -0.2};
    tap_ok(x->ndim == 2 && x->shape[1] == 2, "a matrix for a matrix");
    tap_tensor_close(x, w2, 4, 0, 1e-14, "[2 1; 1 3] \\ [3 1; 5 0]");
    nn_release(x);
    nn_release(b);
    nn_release(a);

    /* dtypes promote: Int A, Float32 b -> Float32; Int with Int -> Float32 */
    a = mat(NN_I64, 2, 2, da);
    b = vec(NN_I64, 2, db);
    nn_solve(ctx, &x, a, b);
    tap_ok(x->dtype == NN_F32, "Int \\ Int computes in Float32");
    tap_tensor_close(x, w1, 2, 0, 1e-6, "its values");
    nn_release(x);
    nn_release(b);
    b = vec(NN_F64, 2, db);
    nn_solve(ctx, &x, a, b);
    tap_ok(x->dtype == NN_F64, "Int \\ Float64 gives Float64");
    nn_release(x);

    double sing[4] = {1, 2, 2, 4};
    nn_tensor *s = mat(NN_F64, 2, 2, sing);
    tap_error(ctx, nn_solve(ctx, &x, s, b), NN_ERR_LAPACK, "singular A", "singular", NULL);
    nn_release(s);
    s = data(2, 3, 0.1, 0);
    tap_error(ctx, nn_solve(ctx, &x, s, b), NN_ERR_DIMENSION, "non-square A", "(2, 3)", "square", NULL);
    nn_release(s);
    nn_release(b);
    b = vec(NN_F64, 3, w2);
    tap_error(ctx, nn_solve(ctx, &x, a, b), NN_ERR_DIMENSION, "B of the wrong length", "(2, 2)", "(3,)",
              NULL);
    nn_release(b);
    int64_t s3[3] = {2, 1, 1};
    nn_zeros(ctx, &b, NN_F64, 3, s3);
    tap_error(ctx, nn_solve(ctx, &x, a, b), NN_ERR_DIMENSION, "a 3-d B", "(2, 1, 1)", NULL);
    nn_release(b);
    nn_release(a);
}

/* Q'Q == I, R upper triangular, Q R == A. */
static void check_qr(int64_t m, int64_t n, nn_dtype dt)
{
    nn_tensor *a0 = data(m, n, 0.3 * (double)m + (double)n, 0), *a, *q, *r, *qtq, *qr;
    nn_convert(ctx, &a, a0, dt);
    nn_release(a0);
    int64_t k = m < n ? m : n;
    double tol = dt == NN_F32 ? 1e-5 : 1e-13;
    char name[64];
    snprintf(name, sizeof name, "qr of a %lldx%lld %s", (long long)m, (long long)n, nn_dtype_name(dt));
    if (!tap_okst(ctx, nn_qr(ctx, &q, &r, a), name)) return;
    tap_ok(q->shape[0] == m && q->shape[1] == k && r->shape[0] == k && r->shape[1] == n && q->dtype == dt &&
               r->dtype == dt,
           "Q is (%lld, %lld), R is (%lld, %lld)", (long long)m, (long long)k, (long long)k, (long long)n);
    nn_matmul(ctx, &qtq, q, q, true, false);
    double worst = 0, below = 0;
    for (int64_t j = 0; j < k; j++)
        for (int64_t i = 0; i < k; i++)
            worst = fmax(worst, fabs(nn_get(qtq, i + j * k) - (i == j)));
    for (int64_t j = 0; j < n; j++)
        for (int64_t i = j + 1; i < k; i++)
            below = fmax(below, fabs(nn_get(r, i + j * k)));
    nn_matmul(ctx, &qr, q, r, false, false);
    double rec = 0;
    for (int64_t i = 0; i < m * n; i++)
        rec = fmax(rec, fabs(nn_get(qr, i) - nn_get(a, i)));
    tap_ok(worst < tol && below == 0 && rec < tol * 4,
           "Q'Q == I (err %.2g), R upper triangular, Q R == A (err %.2g)", worst, rec);
    nn_release(qtq);
    nn_release(qr);
    nn_release(q);
    nn_release(r);
    nn_release(a);
}

static void test_qr(void)
{
    /* hand-worked: qr([3; 4]) = ([-0.6; -0.8], [-5]) with LAPACK's signs */
    double d[2] = {3, 4};
    nn_tensor *a = mat(NN_F64, 2, 1, d), *q, *r;
    tap_okst(ctx, nn_qr(ctx, &q, &r, a), "qr of a column");
    double wq[2] = {-0.6, -0.8}, wr[1] = {-5};
    tap_tensor_close(q, wq, 2, 0, 1e-15, "Q == [-0.6, -0.8]");
    tap_tensor_close(r, wr, 1, 0, 1e-15, "R == [-5]");
    nn_release(q);
    nn_release(r);
    nn_release(a);
    check_qr(4, 4, NN_F64);
    check_qr(5, 3, NN_F64);
    check_qr(3, 5, NN_F64);
    check_qr(6, 4, NN_F32);
    double di[4] = {1, 0, 0, 1};
    a = mat(NN_I64, 2, 2, di);
    nn_qr(ctx, &q, &r, a);
    tap_ok(q->dtype == NN_F32 && r->dtype == NN_F32, "qr of Int64 computes in Float32");
    nn_release(q);
    nn_release(r);
    nn_release(a);
    a = vec(NN_F64, 2, d);
    tap_error(ctx, nn_qr(ctx, &q, &r, a), NN_ERR_DIMENSION, "qr of a vector", "expected a matrix", NULL);
    tap_ok(q == NULL && r == NULL, "no results left behind");
    nn_release(a);
}

static void test_dot_norm(void)
{
    double dx[3] = {1, 2, 3}, dy[3] = {4, 5, 6};
    nn_tensor *x = vec(NN_F32, 3, dx), *y = vec(NN_F32, 3, dy), *out;
    tap_okst(ctx, nn_dot(ctx, &out, x, y), "dot");
    tap_ok(out->ndim == 0 && out->dtype == NN_F32, "dot is a 0-d Float32");
    tap_close(scalar_of(out), 32, 0, "dot([1, 2, 3], [4, 5, 6]) == 32");
    nn_release(y);
    y = mat(NN_F32, 1, 3, dy);
    tap_okst(ctx, nn_dot(ctx, &out, x, y), "dot of a vector and a 1x3 matrix (equal lengths)");
    nn_release(out);
    nn_release(y);
    y = vec(NN_F32, 2, dy);
    tap_error(ctx, nn_dot(ctx, &out, x, y), NN_ERR_DIMENSION, "dot of lengths 3 and 2", "length 3",
              "second, 2", NULL);
    nn_release(y);
    nn_release(x);
    x = vec(NN_I64, 3, dx);
    y = vec(NN_I64, 3, dy);
    nn_dot(ctx, &out, x, y);
    tap_ok(out->dtype == NN_I64, "dot of Int vectors is an Int (Julia's)");
    tap_close(scalar_of(out), 32, 0, "and it is 32");
    nn_release(x);
    nn_release(y);

    double d34[2] = {3, -4};
    x = vec(NN_F64, 2, d34);
    struct {
        double p, want;
    } cases[] = {{2, 5},         {1, 7}, {INFINITY, 4},
                 {-INFINITY, 3}, {0, 2}, {3, 4.497941445275415} /* 91^(1/3) */};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tap_okst(ctx, nn_norm(ctx, &out, x, cases[i].p), "norm");
        tap_close(scalar_of(out), cases[i].want, 1e-14, "norm([3, -4], p) == want");
    }
    nn_release(x);
    double big[2] = {1e200, 1e200};
    x = vec(NN_F64, 2, big);
    nn_norm(ctx, &out, x, 2);
    tap_close(scalar_of(out) / 1e200, sqrt(2.0), 1e-15, "norm([1e200, 1e200]) does not overflow");
    nn_release(x);
    int64_t zero = 0;
    nn_zeros(ctx, &x, NN_F32, 1, &zero);
    nn_norm(ctx, &out, x, 2);
    tap_close(scalar_of(out), 0, 0, "norm of an empty vector is 0");
    nn_release(x);
    double dm[4] = {1, 2, 2, 4};
    x = mat(NN_I64, 2, 2, dm);
    nn_norm(ctx, &out, x, 2);
    tap_ok(out->dtype == NN_F32, "norm of Int64 is Float32");
    tap_close(scalar_of(out), 5, 1e-6, "norm of a matrix is over all elements (Frobenius)");
    nn_release(x);
}

/* ---- gradients ------------------------------------------------------------------------------- */

static nn_status f_det(nn_ctx *c, nn_tensor *const *in, nn_tensor **out, void *ud)
{
    return nn_det(c, out, in[0]);
}
static nn_status f_inv(nn_ctx *c, nn_tensor *const *in, nn_tensor **out, void *ud)
{
    return nn_inv(c, out, in[0]);
}
static nn_status f_solve(nn_ctx *c, nn_tensor *const *in, nn_tensor **out, void *ud)
{
    return nn_solve(c, out, in[0], in[1]);
}
static nn_status f_dot(nn_ctx *c, nn_tensor *const *in, nn_tensor **out, void *ud)
{
    return nn_dot(c, out, in[0], in[1]);
}
static nn_status f_norm(nn_ctx *c, nn_tensor *const *in, nn_tensor **out, void *ud)
{
    return nn_norm(c, out, in[0], *(const double *)ud);
}
/* which: 0 Q, 1 R, 2 Q + R (square only: both nodes at once) */
static nn_status f_qr(nn_ctx *c, nn_tensor *const *in, nn_tensor **out, void *ud)
{
    int which = *(const int *)ud;
    nn_tensor *q, *r;
    NN_TRY(nn_qr(c, &q, &r, in[0]));
    nn_status s = NN_OK;
    if (which == 0)
        *out = nn_retain(q);
    else if (which == 1)
        *out = nn_retain(r);
    else
        s = nn_binary(c, out, NN_ADD, q, r);
    nn_release(q);
    nn_release(r);
    return s;
}

static void test_gradients(void)
{
    nn_tensor *a = data(3, 3, 0.2, 1.5), *b = data(3, 1, 1.3, 0), *bm = data(3, 2, 2.1, 0), *bv;
    nn_vec(ctx, &bv, b);
    tap_gradcheck(ctx, f_det, 1, &a, NULL, 1e-6, "det");
    tap_gradcheck(ctx, f_inv, 1, &a, NULL, 1e-6, "inv");
    nn_tensor *ab[2] = {a, bv};
    tap_gradcheck(ctx, f_solve, 2, ab, NULL, 1e-6, "solve, B a vector");
    ab[1] = bm;
    tap_gradcheck(ctx, f_solve, 2, ab, NULL, 1e-6, "solve, B a matrix");
    nn_tensor *xy[2] = {bm, data(2, 3, 0.5, 0)};
    tap_gradcheck(ctx, f_dot, 2, xy, NULL, 1e-6, "dot of a (3, 2) and a (2, 3)");
    nn_release(xy[1]);
    double ps[] = {2, 1, 3, 0.5, INFINITY, -INFINITY, 0};
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
        char name[64];
        snprintf(name, sizeof name, "norm p = %g", ps[i]);
        tap_gradcheck(ctx, f_norm, 1, &bm, &ps[i], 1e-6, name);
    }
    int shapes[4][2] = {{4, 4}, {5, 3}, {3, 5}, {2, 2}};
    for (int s = 0; s < 4; s++) {
        nn_tensor *q = data(shapes[s][0], shapes[s][1], 0.9 + s, 0);
        for (int which = 0; which < (shapes[s][0] == shapes[s][1] ? 3 : 2); which++) {
            char name[64];
            snprintf(name, sizeof name, "qr %dx%d, %s", shapes[s][0], shapes[s][1],
                     which == 0   ? "Q"
                     : which == 1 ? "R"
                                  : "Q + R");
            tap_gradcheck(ctx, f_qr, 1, &q, &which, 1e-5, name);
        }
        nn_release(q);
    }
    nn_release(a);
    nn_release(b);
    nn_release(bv);
    nn_release(bm);

    /* the norm at zero: the 2-norm's gradient is 0 there, not NaN (ChainRules' choice) */
    int64_t two = 2;
    nn_tensor *z, *tz, *n;
    nn_zeros(ctx, &z, NN_F64, 1, &two);
    nn_tracked_alias(ctx, &tz, z);
    nn_norm(ctx, &n, tz, 2);
    tap_okst(ctx, nn_backward(ctx, n), "backward of norm at zero");
    double zz[2] = {0, 0};
    tap_tensor_close(nn_grad(tz), zz, 2, 0, 0, "gives a zero gradient");
    nn_release(n);
    nn_release(tz);
    nn_release(z);
    /* ties of the Inf norm share the gradient */
    double tie[3] = {2, -2, 1};
    z = vec(NN_F64, 3, tie);
    nn_tracked_alias(ctx, &tz, z);
    nn_norm(ctx, &n, tz, INFINITY);
    nn_backward(ctx, n);
    double wtie[3] = {0.5, -0.5, 0};
    tap_tensor_close(nn_grad(tz), wtie, 3, 0, 0, "norm(x, Inf)'s ties share the gradient");
    nn_release(n);
    nn_release(tz);
    nn_release(z);

    /* det's gradient at a singular matrix needs inv: an error naming it */
    double sing[4] = {1, 2, 2, 4};
    z = mat(NN_F64, 2, 2, sing);
    nn_tracked_alias(ctx, &tz, z);
    nn_det(ctx, &n, tz);
    tap_error(ctx, nn_backward(ctx, n), NN_ERR_LAPACK, "det's backward at a singular matrix", "det",
              "singular", NULL);
    nn_release(n);
    nn_release(tz);
    nn_release(z);
    /* qr's gradient of a rank-deficient matrix: [1 1; 0 0] has R[2, 2] exactly 0 */
    double dup[4] = {1, 0, 1, 0};
    z = mat(NN_F64, 2, 2, dup);
    nn_tracked_alias(ctx, &tz, z);
    nn_tensor *q, *r;
    nn_qr(ctx, &q, &r, tz);
    tap_error(ctx, nn_backward_seed(ctx, r, r), NN_ERR_LAPACK, "qr's backward, rank deficient", "qr",
              "rank deficient", NULL);
    nn_release(q);
    nn_release(r);
    nn_release(tz);
    nn_release(z);

    /* Float32 gradients come back as Float32 */
    double d[4] = {4, 2, 7, 6};
    z = mat(NN_F32, 2, 2, d);
    nn_tracked_alias(ctx, &tz, z);
    nn_det(ctx, &n, tz);
    tap_okst(ctx, nn_backward(ctx, n), "Float32 det backward");
    /* d det / dA = det * inv(A)' = 10 * [0.6 -0.2; -0.7 0.4] */
    double wd[4] = {6, -7, -2, 4};
    tap_ok(nn_grad(tz)->dtype == NN_F32, "a Float32 gradient");
    tap_tensor_close(nn_grad(tz), wd, 4, 0, 1e-5, "det's gradient of [4 7; 2 6] is [6 -2; -7 4]");
    nn_release(n);
    nn_release(tz);
    nn_release(z);
}

int main(void)
{
    ctx = nn_ctx_new();
    test_det();
    test_inv();
    test_solve();
    test_qr();
    test_dot_norm();
    test_gradients();
    tap_ok(nn_ctx_bytes_live(ctx) == 0, "no tensor bytes left live (%zu)", nn_ctx_bytes_live(ctx));
    nn_ctx_free(ctx);
    return tap_done();
}
