/* test_reduce.c — sum, mean, prod, maximum, minimum over all and over dims,
 * sum_to, var and std, argmax and argmin: values, dtypes, empty inputs,
 * NaN, gradients (incl. prod with zeros and maximum with ties) and errors.
 */
#include "tap.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static nn_ctx *ctx;

/* Reference values: plain Python (math.fsum) over the same column-major
 * data, by a generic "group the elements by their kept indices" reducer. */
static const double A[12] = {0.5, -1.25, 2.0, 3.5, 0.75, -2.5, 1.5, -0.25, 4.0, -3.0, 2.25, 1.0};
static const double B[24] = {0.591,  1.683,  1.983, 1.351, 0.083, -1.224, -1.955, -1.767,
                             -0.748, 0.623,  1.701, 1.979, 1.326, 0.05,   -1.25,  -1.962,
                             -1.751, -0.716, 0.655, 1.718, 1.974, 1.301,  0.016,  -1.276};
static const int64_t SA[2] = {3, 4}, SB[3] = {2, 3, 4};

/* A (3, 4) by op: all, dims=1, dims=2 */
static const double A_all[NN_NUM_REDUCE][1] = {{8.5}, {0.7083333333333334}, {83.056640625}, {4.0}, {-3.0}};
static const double A_d1[NN_NUM_REDUCE][4] = {
    {1.25, 1.75, 5.25, 0.25},
    {0.4166666666666667, 0.5833333333333334, 1.75, 0.08333333333333333},
    {-1.25, -6.5625, -1.5, -6.75},
    {2.0, 3.5, 4.0, 2.25},
    {-1.25, -2.5, -0.25, -3.0}};
static const double A_d2[NN_NUM_REDUCE][3] = {{2.5, 1.5, 4.5},
                                              {0.625, 0.375, 1.125},
                                              {-7.875, 0.52734375, -20.0},
                                              {3.5, 2.25, 4.0},
                                              {-3.0, -1.25, -2.5}};
/* B (2, 3, 4): dims=(1,3) -> (1, 3, 1), dims=2 -> (2, 1, 4) */
static const double B_d13[NN_NUM_REDUCE][3] = {{2.301, 3.2720000000000002, -1.1879999999999997},
                                               {0.287625, 0.40900000000000003, -0.14849999999999997},
                                               {0.2563497486706878, -7.863233434728787, 0.008753453790329832},
                                               {1.718, 1.983, 1.979},
                                               {-1.955, -1.962, -1.751}};
static const double B_d2[NN_NUM_REDUCE][8] = {
    {2.657, 1.81, -1.002, 0.8350000000000002, -1.6749999999999998, -2.628, 2.645, 1.7429999999999999},
    {0.8856666666666667, 0.6033333333333334, -0.334, 0.2783333333333334, -0.5583333333333332, -0.876,
     0.8816666666666667, 0.581},
    {0.097272099, -2.783049192, 2.48744034, -2.1785643390000002, 2.9022825, 0.0702396, 0.02068752,
     -2.852010568},
    {1.983, 1.683, 1.701, 1.979, 1.326, 0.05, 1.974, 1.718},
    {0.083, -1.224, -1.955, -1.767, -1.751, -1.962, 0.016, -1.276}};

static const char *const names[NN_NUM_REDUCE] = {"sum", "mean", "prod", "maximum", "minimum"};

static nn_tensor *mk(nn_dtype t, int ndim, const int64_t *shape, const double *d)
{
    return tap_tensor(ctx, t, ndim, shape, d);
}

static bool has_shape(const nn_tensor *t, int ndim, const int64_t *shape)
{
    return t && t->ndim == ndim && (ndim == 0 || !memcmp(t->shape, shape, (size_t)ndim * sizeof *shape));
}

/* One reduction: status, shape, dtype and values. */
static void check(const char *what, nn_reduce_op op, const nn_tensor *x, int ndims, const int *dims,
                  int ondim, const int64_t *oshape, nn_dtype ot, const double *want, int64_t n, double tol)
{
    nn_tensor *y;
    char name[160];
    snprintf(name, sizeof name, "%s %s", names[op], what);
    if (!tap_okst(ctx, nn_reduce(ctx, &y, op, x, ndims, dims), name)) return;
    tap_ok(has_shape(y, ondim, oshape) && y->dtype == ot, "%s: shape and dtype", name);
    tap_tensor_close(y, want, n, tol, tol, name);
    nn_release(y);
}

static void test_values(void)
{
    for (int t = 0; t < 2; t++) {
        nn_dtype dt = t ? NN_F64 : NN_F32;
        double tol = t ? 1e-13 : 2e-6;
        nn_tensor *a = mk(dt, 2, SA, A), *b = mk(dt, 3, SB, B);
        int d1 = 1, d2 = 2, d12[2] = {1, 2}, d3 = 3, d13[2] = {1, 3}, d31[2] = {3, 1};
        int64_t s0[2] = {1, 4}, s1[2] = {3, 1}, s11[2] = {1, 1}, sb13[3] = {1, 3, 1}, sb2[3] = {2, 1, 4};
        for (int op = 0; op < NN_NUM_REDUCE; op++) {
            check(t ? "(3,4) Float64 over all" : "(3,4) Float32 over all", op, a, 0, NULL, 0, NULL, dt,
                  A_all[op], 1, tol);
            check("over dims=1", op, a, 1, &d1, 2, s0, dt, A_d1[op], 4, tol);
            check("over dims=2", op, a, 1, &d2, 2, s1, dt, A_d2[op], 3, tol);
            check("over dims=(1,2) keeps (1,1)", op, a, 2, d12, 2, s11, dt, A_all[op], 1, tol);
            check("over dims=3 (past the last) is the identity", op, a, 1, &d3, 2, SA, dt, A, 12, 0);
            check("(2,3,4) over dims=(1,3)", op, b, 2, d13, 3, sb13, dt, B_d13[op], 3, tol);
            check("(2,3,4) over dims=(3,1), any order", op, b, 2, d31, 3, sb13, dt, B_d13[op], 3, tol);
            check("(2,3,4) over dims=2", op, b, 1, &d2, 3, sb2, dt, B_d2[op], 8, tol);
        }
        nn_release(a);
        nn_release(b);
    }
    /* a dim listed twice counts once */
    nn_tensor *a = mk(NN_F64, 2, SA, A);
    int dd[2] = {1, 1};
    int64_t s0[2] = {1, 4};
    check("over dims=(1,1)", NN_MEAN, a, 2, dd, 2, s0, NN_F64, A_d1[NN_MEAN], 4, 1e-13);
    nn_release(a);

    /* Bool sums count (Int64); Int32 keeps its type; Int mean is Float32 */
    double bits[6] = {1, 0, 1, 1, 1, 0}, ints[6] = {3, -1, 4, 1, -5, 9};
    int64_t s23[2] = {2, 3}, s13[2] = {1, 3}, s21[2] = {2, 1};
    int d1 = 1, d2 = 2;
    nn_tensor *bo = mk(NN_BOOL, 2, s23, bits), *i32 = mk(NN_I32, 2, s23, ints),
              *i64 = mk(NN_I64, 2, s23, ints);
    double w_bsum[3] = {1, 2, 1}, w_ball[1] = {4};
    check("of Bool over dims=1 counts", NN_SUM, bo, 1, &d1, 2, s13, NN_I64, w_bsum, 3, 0);
    check("of Bool over all", NN_SUM, bo, 0, NULL, 0, NULL, NN_I64, w_ball, 1, 0);
    double w_isum[2] = {2, 9}, w_imax[2] = {4, 9}, w_imin[2] = {-5, -1}, w_iprod[2] = {-60, -9};
    double w_imean[1] = {11.0 / 6.0}, w_imaxall[1] = {9};
    check("of Int32 over dims=2", NN_SUM, i32, 1, &d2, 2, s21, NN_I32, w_isum, 2, 0);
    check("of Int32 over dims=2", NN_MAXIMUM, i32, 1, &d2, 2, s21, NN_I32, w_imax, 2, 0);
    check("of Int64 over dims=2", NN_MINIMUM, i64, 1, &d2, 2, s21, NN_I64, w_imin, 2, 0);
    check("of Int64 over dims=2", NN_PROD, i64, 1, &d2, 2, s21, NN_I64, w_iprod, 2, 0);
    check("of Int64 over all is Float32", NN_MEAN, i64, 0, NULL, 0, NULL, NN_F32, w_imean, 1, 1e-6);
    check("of Int32 over all", NN_MAXIMUM, i32, 0, NULL, 0, NULL, NN_I32, w_imaxall, 1, 0);
    nn_release(bo);
    nn_release(i32);
    nn_release(i64);

    /* NaN wins maximum and minimum, as Julia's */
    double dn[6] = {1, NAN, 3, 2, 5, 4};
    nn_tensor *xn = mk(NN_F64, 2, s23, dn);
    double w_nall[1] = {NAN}, w_nd1[3] = {NAN, 3, 5}, w_nd2[2] = {5, NAN};
    check("with a NaN over all is NaN", NN_MAXIMUM, xn, 0, NULL, 0, NULL, NN_F64, w_nall, 1, 0);
    check("with a NaN over all is NaN", NN_MINIMUM, xn, 0, NULL, 0, NULL, NN_F64, w_nall, 1, 0);
    check("with a NaN over dims=1", NN_MAXIMUM, xn, 1, &d1, 2, s13, NN_F64, w_nd1, 3, 0);
    check("with a NaN over dims=2", NN_MAXIMUM, xn, 1, &d2, 2, s21, NN_F64, w_nd2, 2, 0);
    nn_release(xn);

    /* a long Float32 sum over everything is accumulated in double */
    int64_t big = 1 << 20;
    nn_tensor *ones, *s;
    nn_full(ctx, &ones, NN_F32, 1, &big, 0.1);
    nn_reduce(ctx, &s, NN_SUM, ones, 0, NULL);
    tap_close(nn_get(s, 0), (double)big * (double)0.1f, 1e-3, "sum of 2^20 Float32 0.1s is accurate");
    nn_release(s);
    nn_release(ones);
}

static void test_empty(void)
{
    int64_t s03[2] = {0, 3}, s13[2] = {1, 3}, s01[2] = {0, 1};
    int d1 = 1, d2 = 2;
    nn_tensor *e, *y;
    nn_zeros(ctx, &e, NN_F64, 2, s03);
    double zeros[3] = {0, 0, 0}, ones[3] = {1, 1, 1}, nans[3] = {NAN, NAN, NAN}, z1[1] = {0}, n1[1] = {NAN};
    check("of (0,3) over dims=1 is zeros", NN_SUM, e, 1, &d1, 2, s13, NN_F64, zeros, 3, 0);
    check("of (0,3) over dims=1 is ones", NN_PROD, e, 1, &d1, 2, s13, NN_F64, ones, 3, 0);
    check("of (0,3) over dims=1 is NaN (0/0)", NN_MEAN, e, 1, &d1, 2, s13, NN_F64, nans, 3, 0);
    check("of (0,3) over all is 0", NN_SUM, e, 0, NULL, 0, NULL, NN_F64, z1, 1, 0);
    check("of (0,3) over all is NaN", NN_MEAN, e, 0, NULL, 0, NULL, NN_F64, n1, 1, 0);
    check("of (0,3) over dims=2 is (0,1)", NN_MAXIMUM, e, 1, &d2, 2, s01, NN_F64, NULL, 0, 0);
    tap_error(ctx, nn_reduce(ctx, &y, NN_MAXIMUM, e, 1, &d1), NN_ERR_ARGUMENT,
              "maximum over an empty dim is an ArgumentError", "maximum", "empty", "(0, 3)", NULL);
    tap_ok(y == NULL, "no result on error");
    tap_error(ctx, nn_reduce(ctx, &y, NN_MINIMUM, e, 0, NULL), NN_ERR_ARGUMENT,
              "minimum of an empty array is an ArgumentError", "minimum", "empty", NULL);
    nn_release(e);
}

static void test_errors(void)
{
    nn_tensor *a = mk(NN_F64, 2, SA, A), *y;
    int d0 = 0, dm = -2;
    tap_error(ctx, nn_reduce(ctx, &y, NN_SUM, a, 1, &d0), NN_ERR_ARGUMENT, "dims=0 is an ArgumentError",
              "sum", "dims = 0", NULL);
    tap_error(ctx, nn_reduce(ctx, &y, NN_MEAN, a, 1, &dm), NN_ERR_ARGUMENT, "negative dims too", "mean",
              "dims = -2", NULL);
    tap_error(ctx, nn_reduce(ctx, &y, (nn_reduce_op)99, a, 0, NULL), NN_ERR_ARGUMENT, "a bad op", "bad op",
              NULL);
    tap_error(ctx, nn_var(ctx, &y, a, 1, &d0, true), NN_ERR_ARGUMENT, "var dims=0", "var: dims = 0", NULL);
    tap_error(ctx, nn_std(ctx, &y, a, 1, &dm, true), NN_ERR_ARGUMENT, "std dims=-2", "std: dims = -2", NULL);
    tap_error(ctx, nn_argmax(ctx, &y, a, -1), NN_ERR_ARGUMENT, "argmax dims=-1", "argmax: dims = -1", NULL);
    tap_error(ctx, nn_argmin(ctx, &y, a, -3), NN_ERR_ARGUMENT, "argmin dims=-3", "argmin: dims = -3", NULL);
    nn_release(a);
}

/* ---- gradients ---------------------------------------------------------------------- */

typedef struct {
    int op; /* nn_reduce_op, or VAR/STD below */
    int ndims, dims[3];
    bool corrected;
} red_case;
enum { VAR = 100, STD };

static nn_status f_reduce(nn_ctx *c, nn_tensor *const *in, nn_tensor **out, void *ud)
{
    const red_case *k = ud;
    if (k->op == VAR) return nn_var(c, out, in[0], k->ndims, k->dims, k->corrected);
    if (k->op == STD) return nn_std(c, out, in[0], k->ndims, k->dims, k->corrected);
    return nn_reduce(c, out, (nn_reduce_op)k->op, in[0], k->ndims, k->dims);
}

static void test_gradients(void)
{
    nn_tensor *a = mk(NN_F64, 2, SA, A), *b = mk(NN_F64, 3, SB, B);
    static const red_case dimsets[] = {
        {0, 0, {0}, 0}, {0, 1, {1}, 0}, {0, 1, {2}, 0}, {0, 2, {1, 2}, 0}, {0, 1, {3}, 0}};
    static const char *const dn[] = {"over all", "over dims=1", "over dims=2", "over dims=(1,2)",
                                     "over dims=3"};
    char name[128];
    for (int op = 0; op < NN_NUM_REDUCE + 2; op++) {
        for (size_t d = 0; d < sizeof dimsets / sizeof *dimsets; d++) {
            red_case k = dimsets[d];
            k.op = op < NN_NUM_REDUCE ? op : op == NN_NUM_REDUCE ? VAR : STD;
            k.corrected = true;
            snprintf(name, sizeof name, "%s %s",
                     op < NN_NUM_REDUCE    ? names[op]
                     : op == NN_NUM_REDUCE ? "var"
                                           : "std",
                     dn[d]);
            if (k.op == VAR || k.op == STD) {
                if (d == 4) continue; /* a group of one has no corrected variance */
            }
            tap_gradcheck(ctx, f_reduce, 1, &a, &k, 1e-6, name);
        }
        red_case k3 = {op < NN_NUM_REDUCE ? op : op == NN_NUM_REDUCE ? VAR : STD, 2, {1, 3}, true};
        snprintf(name, sizeof name, "%s of (2,3,4) over dims=(1,3)",
                 op < NN_NUM_REDUCE    ? names[op]
                 : op == NN_NUM_REDUCE ? "var"
                                       : "std");
        tap_gradcheck(ctx, f_reduce, 1, &b, &k3, 1e-6, name);
    }
    red_case vu = {VAR, 1, {2}, false}, su = {STD, 0, {0}, false};
    tap_gradcheck(ctx, f_reduce, 1, &a, &vu, 1e-6, "var(corrected=false) over dims=2");
    tap_gradcheck(ctx, f_reduce, 1, &a, &su, 1e-6, "std(corrected=false) over all");

    /* prod: a group with one zero, one with two, one without */
    double dz[12] = {1.5, 0, -2, 0, 3, 0, 0.5, -1, 2, 1.25, 0.75, -0.5};
    nn_tensor *z = mk(NN_F64, 2, SA, dz);
    red_case p1 = {NN_PROD, 1, {1}, 0}, pall = {NN_PROD, 0, {0}, 0}, p2 = {NN_PROD, 1, {2}, 0};
    tap_gradcheck(ctx, f_reduce, 1, &z, &p1, 1e-6,
                  "prod over dims=1 with one zero and with two zeros in a column");
    tap_gradcheck(ctx, f_reduce, 1, &z, &p2, 1e-6, "prod over dims=2 with zeros");
    tap_gradcheck(ctx, f_reduce, 1, &z, &pall, 1e-6, "prod over all with several zeros");
    /* by hand: prod(dims=1) of columns (1.5, 0, -2), (0, 3, 0): the lone zero
     * gets the others' product, everything in the two-zero column gets 0 */
    nn_tensor *zt, *y, *l;
    nn_tracked_alias(ctx, &zt, z);
    int d1 = 1;
    nn_reduce(ctx, &y, NN_PROD, zt, 1, &d1);
    nn_reduce(ctx, &l, NN_SUM, y, 0, NULL);
    nn_backward(ctx, l);
    double wz[12] = {0, -3, 0, 0, 0, 0, -2, 1, -0.5, -0.375, -0.625, 0.9375};
    tap_tensor_close(nn_grad(zt), wz, 12, 0, 0, "prod gradient with one and two zeros, by hand");
    nn_release(l);
    nn_release(y);
    nn_release(zt);
    nn_release(z);

    /* maximum/minimum with ties split the gradient evenly (finite differences
     * can't see a tie, so by hand): columns (1, 3, 3), (2, 2, 2), (5, -1, 5) */
    double dt[9] = {1, 3, 3, 2, 2, 2, 5, -1, 5};
    int64_t s33[2] = {3, 3};
    nn_tensor *t = mk(NN_F64, 2, s33, dt), *tt;
    nn_tracked_alias(ctx, &tt, t);
    nn_reduce(ctx, &y, NN_MAXIMUM, tt, 1, &d1);
    nn_reduce(ctx, &l, NN_SUM, y, 0, NULL);
    nn_backward(ctx, l);
    double wt[9] = {0, 0.5, 0.5, 1.0 / 3, 1.0 / 3, 1.0 / 3, 0.5, 0, 0.5};
    tap_tensor_close(nn_grad(tt), wt, 9, 1e-15, 0, "maximum over dims=1 splits ties evenly");
    nn_release(l);
    nn_release(y);
    nn_zero_grad(tt);
    nn_reduce(ctx, &y, NN_MINIMUM, tt, 0, NULL); /* -1 is the single minimum */
    nn_backward(ctx, y);
    double wm[9] = {0, 0, 0, 0, 0, 0, 0, 1, 0};
    tap_tensor_close(nn_grad(tt), wm, 9, 0, 0, "minimum over all: the whole gradient to the minimum");
    nn_release(y);
    nn_zero_grad(tt);
    nn_reduce(ctx, &y, NN_MAXIMUM, tt, 0, NULL); /* two 5s */
    nn_backward(ctx, y);
    double wm2[9] = {0, 0, 0, 0, 0, 0, 0.5, 0, 0.5};
    tap_tensor_close(nn_grad(tt), wm2, 9, 0, 0, "maximum over all with a tie: half each");
    nn_release(y);
    nn_release(tt);
    nn_release(t);
    nn_release(a);
    nn_release(b);
}

/* ---- sum_to ---------------------------------------------------------------------------- */

static void test_sum_to(void)
{
    nn_tensor *a = mk(NN_F64, 2, SA, A), *y;
    int64_t s14[2] = {1, 4}, s31[2] = {3, 1}, s3 = 3, s24[2] = {2, 4}, s34[2] = {3, 4}, s341[3] = {3, 4, 1};
    tap_okst(ctx, nn_sum_to(ctx, &y, a, 2, s14), "sum_to (3,4) -> (1,4)");
    tap_ok(has_shape(y, 2, s14), "shape (1,4)");
    tap_tensor_close(y, A_d1[NN_SUM], 4, 1e-14, 0, "sums the columns");
    nn_release(y);
    tap_okst(ctx, nn_sum_to(ctx, &y, a, 1, &s3), "sum_to (3,4) -> (3,)");
    tap_ok(has_shape(y, 1, &s3), "shape (3,): a missing trailing dim is summed");
    tap_tensor_close(y, A_d2[NN_SUM], 3, 1e-14, 0, "sums the rows");
    nn_release(y);
    tap_okst(ctx, nn_sum_to(ctx, &y, a, 2, s31), "sum_to (3,4) -> (3,1)");
    tap_tensor_close(y, A_d2[NN_SUM], 3, 1e-14, 0, "sums the rows");
    nn_release(y);
    tap_okst(ctx, nn_sum_to(ctx, &y, a, 0, NULL), "sum_to (3,4) -> ()");
    tap_ok(y->ndim == 0, "0-d");
    tap_tensor_close(y, A_all[NN_SUM], 1, 1e-14, 0, "sums everything");
    nn_release(y);
    tap_okst(ctx, nn_sum_to(ctx, &y, a, 2, s34), "sum_to to its own shape");
    tap_tensor_close(y, A, 12, 0, 0, "is the identity");
    nn_release(y);
    tap_okst(ctx, nn_sum_to(ctx, &y, a, 3, s341), "sum_to (3,4) -> (3,4,1)");
    tap_ok(has_shape(y, 3, s341), "adds a trailing 1");
    nn_release(y);
    tap_error(ctx, nn_sum_to(ctx, &y, a, 2, s24), NN_ERR_DIMENSION,
              "sum_to (3,4) -> (2,4) is a DimensionMismatch", "sum_to", "(3, 4)", "(2, 4)", NULL);
    tap_error(ctx, nn_sum_to(ctx, &y, a, 3, (int64_t[3]){3, 4, 2}), NN_ERR_DIMENSION,
              "sum_to to a larger shape is a DimensionMismatch", "sum_to", "(3, 4, 2)", NULL);
    nn_release(a);
}

/* ---- var, std ------------------------------------------------------------------------------ */

static void check_stat(const char *name, bool sd, const nn_tensor *x, int ndims, const int *dims, bool corr,
                       int ondim, const int64_t *oshape, nn_dtype ot, const double *want, int64_t n,
                       double tol)
{
    nn_tensor *y;
    if (!tap_okst(ctx, (sd ? nn_std : nn_var)(ctx, &y, x, ndims, dims, corr), name)) return;
    tap_ok(has_shape(y, ondim, oshape) && y->dtype == ot, "%s: shape and dtype", name);
    tap_tensor_close(y, want, n, tol, tol, name);
    nn_release(y);
}

static void test_var_std(void)
{
    /* Python reference values, corrected (n-1) and not */
    static const double v1_all[1] = {4.7481060606060606}, v0_all[1] = {4.352430555555555};
    static const double v1_d1[4] = {2.6458333333333335, 9.020833333333332, 4.5625, 7.520833333333333};
    static const double v0_d1[4] = {1.763888888888889, 6.013888888888888, 3.0416666666666665,
                                    5.013888888888888};
    static const double v1_d2[3] = {7.395833333333333, 2.2291666666666665, 7.395833333333333};
    static const double v0_d2[3] = {5.546875, 1.671875, 5.546875};
    static const double s1_all[1] = {2.1790149289543796}, s0_all[1] = {2.0862479611866744};
    static const double s1_d2[3] = {2.7195281453467866, 1.4930394055974097, 2.7195281453467866};
    static const double s0_d2[3] = {2.3551804601770967, 1.2930100540985752, 2.3551804601770967};
    static const double bv1_d13[3] = {2.086511982142857, 2.3382994285714287, 1.9065111428571428};
    static const double bv0_d13[3] = {1.825697984375, 2.046012, 1.66819725};
    static const double bs1_d13[3] = {1.4444763695342535, 1.5291499038915146, 1.3807646949633174};
    static const double bs0_d13[3] = {1.3511839195220612, 1.4303887583450872, 1.291587105076541};
    int d1 = 1, d2 = 2, d3 = 3, d13[2] = {1, 3};
    int64_t s14[2] = {1, 4}, s31[2] = {3, 1}, sb[3] = {1, 3, 1};
    for (int t = 0; t < 2; t++) {
        nn_dtype dt = t ? NN_F64 : NN_F32;
        double tol = t ? 1e-13 : 3e-6;
        nn_tensor *a = mk(dt, 2, SA, A), *b = mk(dt, 3, SB, B);
        check_stat(t ? "var Float64 over all" : "var Float32 over all", false, a, 0, NULL, true, 0, NULL, dt,
                   v1_all, 1, tol);
        check_stat("var(corrected=false) over all", false, a, 0, NULL, false, 0, NULL, dt, v0_all, 1, tol);
        check_stat("var over dims=1", false, a, 1, &d1, true, 2, s14, dt, v1_d1, 4, tol);
        check_stat("var(corrected=false) over dims=1", false, a, 1, &d1, false, 2, s14, dt, v0_d1, 4, tol);
        check_stat("var over dims=2", false, a, 1, &d2, true, 2, s31, dt, v1_d2, 3, tol);
        check_stat("var(corrected=false) over dims=2", false, a, 1, &d2, false, 2, s31, dt, v0_d2, 3, tol);
        check_stat("std over all", true, a, 0, NULL, true, 0, NULL, dt, s1_all, 1, tol);
        check_stat("std(corrected=false) over all", true, a, 0, NULL, false, 0, NULL, dt, s0_all, 1, tol);
        check_stat("std over dims=2", true, a, 1, &d2, true, 2, s31, dt, s1_d2, 3, tol);
        check_stat("std(corrected=false) over dims=2", true, a, 1, &d2, false, 2, s31, dt, s0_d2, 3, tol);
        check_stat("var of (2,3,4) over dims=(1,3)", false, b, 2, d13, true, 3, sb, dt, bv1_d13, 3, tol);
        check_stat("var(corrected=false) over dims=(1,3)", false, b, 2, d13, false, 3, sb, dt, bv0_d13, 3,
                   tol);
        check_stat("std of (2,3,4) over dims=(1,3)", true, b, 2, d13, true, 3, sb, dt, bs1_d13, 3, tol);
        check_stat("std(corrected=false) over dims=(1,3)", true, b, 2, d13, false, 3, sb, dt, bs0_d13, 3,
                   tol);
        nn_release(a);
        nn_release(b);
    }
    /* groups of one: 0/0 corrected, 0 uncorrected; empty: NaN; Int -> Float32 */
    nn_tensor *a = mk(NN_F64, 2, SA, A);
    double nan12[12], zero12[12] = {0};
    for (int i = 0; i < 12; i++)
        nan12[i] = NAN;
    check_stat("var over dims=3 (groups of one) is NaN", false, a, 1, &d3, true, 2, SA, NN_F64, nan12, 12, 0);
    check_stat("var(corrected=false) over dims=3 is 0", false, a, 1, &d3, false, 2, SA, NN_F64, zero12, 12,
               0);
    nn_release(a);
    int64_t s03[2] = {0, 3}, s13[2] = {1, 3};
    nn_tensor *e;
    nn_zeros(ctx, &e, NN_F64, 2, s03);
    double n3[3] = {NAN, NAN, NAN}, n1[1] = {NAN};
    check_stat("var of (0,3) over dims=1 is NaN", false, e, 1, &d1, true, 2, s13, NN_F64, n3, 3, 0);
    check_stat("var(corrected=false) of (0,3) over dims=1 is NaN", false, e, 1, &d1, false, 2, s13, NN_F64,
               n3, 3, 0);
    check_stat("std of an empty array is NaN", true, e, 0, NULL, true, 0, NULL, NN_F64, n1, 1, 0);
    nn_release(e);
    double ints[4] = {1, 2, 3, 4}, w_i[1] = {5.0 / 3.0};
    int64_t s4 = 4;
    nn_tensor *xi = mk(NN_I64, 1, &s4, ints);
    check_stat("var of Int64 is Float32", false, xi, 0, NULL, true, 0, NULL, NN_F32, w_i, 1, 1e-6);
    nn_release(xi);

    /* Float32: two passes keep a large offset from cancelling (1000 + sin i) */
    int64_t n = 200000;
    nn_tensor *big, *y;
    nn_empty(ctx, &big, NN_F32, 1, &n);
    double m = 0, ss = 0;
    for (int64_t i = 0; i < n; i++)
        nn_set(big, i, 1000.0 + sin((double)i));
    for (int64_t i = 0; i < n; i++)
        m += nn_get(big, i);
    m /= (double)n;
    for (int64_t i = 0; i < n; i++)
        ss += (nn_get(big, i) - m) * (nn_get(big, i) - m);
    nn_var(ctx, &y, big, 0, NULL, true);
    tap_close(nn_get(y, 0), ss / (double)(n - 1), 1e-4 * ss / (double)n,
              "Float32 var of 200000 values near 1000");
    nn_release(y);
    int one = 1;
    nn_std(ctx, &y, big, 1, &one, false);
    tap_close(nn_get(y, 0), sqrt(ss / (double)n), 1e-4, "Float32 std over dims=1 of the same");
    nn_release(y);
    nn_release(big);
}

/* ---- argmax, argmin ------------------------------------------------------------------------- */

static void check_arg(const char *name, bool min, const nn_tensor *x, int dim, int ondim,
                      const int64_t *oshape, const double *want, int64_t n)
{
    nn_tensor *y;
    if (!tap_okst(ctx, (min ? nn_argmin : nn_argmax)(ctx, &y, x, dim), name)) return;
    tap_ok(has_shape(y, ondim, oshape) && y->dtype == NN_I64, "%s: shape and Int64", name);
    tap_tensor_close(y, want, n, 0, 0, name);
    nn_release(y);
}

static void test_argext(void)
{
    /* columns (1, 7, 7), (NaN, 2, NaN), (-4, -4, 0), (3, -1, 5): first of ties,
     * NaN wins both (the first NaN), hand-worked */
    double d[12] = {1, 7, 7, NAN, 2, NAN, -4, -4, 0, 3, -1, 5};
    int64_t s34[2] = {3, 4}, s14[2] = {1, 4}, s31[2] = {3, 1};
    nn_tensor *x = mk(NN_F64, 2, s34, d), *xf = mk(NN_F32, 2, s34, d);
    double amax1[4] = {2, 1, 3, 3}, amin1[4] = {1, 1, 1, 2};
    double amax2[3] = {2, 1, 2}, amin2[3] = {2, 3, 2}; /* rows (1,NaN,-4,3), (7,2,-4,-1), (7,NaN,0,5) */
    check_arg("argmax dims=1", false, x, 1, 2, s14, amax1, 4);
    check_arg("argmin dims=1", true, x, 1, 2, s14, amin1, 4);
    check_arg("argmax dims=1 Float32", false, xf, 1, 2, s14, amax1, 4);
    check_arg("argmax dims=2 (strided)", false, x, 2, 2, s31, amax2, 3);
    check_arg("argmin dims=2 (strided)", true, x, 2, 2, s31, amin2, 3);
    double lin_nan[1] = {4};
    check_arg("argmax over all: the linear index of the first NaN", false, x, 0, 0, NULL, lin_nan, 1);
    check_arg("argmin over all likewise", true, x, 0, 0, NULL, lin_nan, 1);
    double ones12[12];
    for (int i = 0; i < 12; i++)
        ones12[i] = 1;
    check_arg("argmax dims=3 (past the last) is all ones", false, x, 3, 2, s34, ones12, 12);
    nn_release(x);
    nn_release(xf);

    double e[6] = {2, -3, 9, 9, -3, 0}; /* (2, 3): columns (2,-3), (9,9), (-3,0) */
    int64_t s23[2] = {2, 3}, s13[2] = {1, 3};
    nn_tensor *xi = mk(NN_I32, 2, s23, e), *xl = mk(NN_I64, 2, s23, e);
    double mx[3] = {1, 1, 2}, mn[3] = {2, 1, 1}, lmax[1] = {3}, lmin[1] = {2};
    check_arg("argmax Int32 dims=1", false, xi, 1, 2, s13, mx, 3);
    check_arg("argmin Int64 dims=1", true, xl, 1, 2, s13, mn, 3);
    check_arg("argmax Int64 over all (first of the two 9s)", false, xl, 0, 0, NULL, lmax, 1);
    check_arg("argmin Int32 over all (first of the two -3s)", true, xi, 0, 0, NULL, lmin, 1);
    double bb[6] = {0, 1, 0, 0, 1, 1};
    nn_tensor *xb = mk(NN_BOOL, 2, s23, bb);
    double bmax[3] = {2, 1, 1}, bmin[3] = {1, 1, 1};
    check_arg("argmax Bool dims=1", false, xb, 1, 2, s13, bmax, 3);
    check_arg("argmin Bool dims=1", true, xb, 1, 2, s13, bmin, 3);
    nn_release(xi);
    nn_release(xl);
    nn_release(xb);

    /* wider than a tile of strided columns, against a naive loop: (100, 5, 3) along 2 */
    int64_t sw[3] = {100, 5, 3};
    nn_tensor *w, *y;
    nn_empty(ctx, &w, NN_F64, 3, sw);
    for (int64_t i = 0; i < w->numel; i++)
        nn_set(w, i, floor(sin(0.37 * (double)i + 0.1) * 4));
    bool ok_max = true, ok_min = true;
    for (int mn_ = 0; mn_ < 2; mn_++) {
        (mn_ ? nn_argmin : nn_argmax)(ctx, &y, w, 2);
        for (int64_t o = 0; o < 3; o++)
            for (int64_t i = 0; i < 100; i++) {
                int64_t best = 0;
                for (int64_t k = 1; k < 5; k++) {
                    double v = nn_get(w, i + 100 * (k + 5 * o)), bv = nn_get(w, i + 100 * (best + 5 * o));
                    if (mn_ ? v < bv : v > bv) best = k;
                }
                if (nn_get(y, i + 100 * o) != (double)(best + 1)) *(mn_ ? &ok_min : &ok_max) = false;
            }
        nn_release(y);
    }
    tap_ok(ok_max && ok_min, "argmax/argmin of (100,5,3) along dims=2 match a naive loop");
    nn_release(w);

    /* empty slices are an ArgumentError unless there are no slices */
    int64_t s03[2] = {0, 3}, s30[2] = {3, 0}, s10[2] = {1, 0};
    nn_tensor *e03, *e30;
    nn_zeros(ctx, &e03, NN_F32, 2, s03);
    nn_zeros(ctx, &e30, NN_F32, 2, s30);
    tap_error(ctx, nn_argmax(ctx, &y, e03, 1), NN_ERR_ARGUMENT, "argmax over an empty dim", "argmax",
              "must be non-empty", "(0, 3)", NULL);
    tap_ok(y == NULL, "no result on error");
    tap_error(ctx, nn_argmin(ctx, &y, e30, 0), NN_ERR_ARGUMENT, "argmin of an empty array", "argmin",
              "must be non-empty", "(3, 0)", NULL);
    check_arg("argmax of (3,0) along dims=1 is (1,0)", false, e30, 1, 2, s10, NULL, 0);
    nn_release(e03);
    nn_release(e30);
}

int main(void)
{
    ctx = nn_ctx_new();
    test_values();
    test_empty();
    test_errors();
    test_gradients();
    test_sum_to();
    test_var_std();
    test_argext();
    tap_ok(nn_ctx_bytes_live(ctx) == 0, "no tensor memory left live (%zu bytes)", nn_ctx_bytes_live(ctx));
    nn_ctx_free(ctx);
    return tap_done();
}
