/* test_binary.c — the broadcasting binary ops (+ - .* ./ .^ min max) over
 * every dtype pair, the broadcasting edge cases (0-d, size 0, 5-d, a large
 * threaded broadcast), comparisons, ifelse and clamp: result dtypes, values,
 * gradients and error messages.  (Conversions, copyto! and fill!: test_convert.c.)
 */
#include "tap.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static nn_ctx *ctx;

static const nn_dtype DT[NN_NUM_DTYPES] = {NN_F32, NN_F64, NN_I32, NN_I64, NN_BOOL};

static nn_tensor *mk(nn_dtype t, int ndim, const int64_t *shape, const double *d)
{
    return tap_tensor(ctx, t, ndim, shape, d);
}

static bool has_shape(const nn_tensor *t, int ndim, const int64_t *shape)
{
    return t && t->ndim == ndim && (ndim == 0 || !memcmp(t->shape, shape, (size_t)ndim * sizeof *shape));
}

/* The ops on plain doubles.  min and max propagate NaN, as Julia's do. */
static double ref_op(nn_binary_op op, double a, double b)
{
    switch (op) {
    case NN_ADD: return a + b;
    case NN_SUB: return a - b;
    case NN_MUL: return a * b;
    case NN_DIV: return a / b;
    case NN_POW: return pow(a, b);
    case NN_MIN: return isnan(a) || isnan(b) ? NAN : (a < b ? a : b);
    case NN_MAX: return isnan(a) || isnan(b) ? NAN : (a > b ? a : b);
    default: return NAN;
    }
}

static double round_to(nn_dtype t, double v)
{
    return t == NN_F32 ? (double)(float)v : v;
}

/* ---- dtypes --------------------------------------------------------------------- */

/* The promotion rule of nn.h, written out: [a][b] for + - .* min max; ./ and
 * .^ of two integer/Bool operands give Float32 instead.  Integer pairs as
 * Julia's promote_type (Bool with Int32 is Int32; Bool with Bool adds as Int). */
static const nn_dtype PROMOTE[NN_NUM_DTYPES][NN_NUM_DTYPES] = {
    /*            F32     F64     I32     I64     Bool */
    [NN_F32] = {NN_F32, NN_F64, NN_F32, NN_F32, NN_F32},  [NN_F64] = {NN_F64, NN_F64, NN_F64, NN_F64, NN_F64},
    [NN_I32] = {NN_F32, NN_F64, NN_I32, NN_I64, NN_I32},  [NN_I64] = {NN_F32, NN_F64, NN_I64, NN_I64, NN_I64},
    [NN_BOOL] = {NN_F32, NN_F64, NN_I32, NN_I64, NN_I64},
};

/* Operand values by kind: a float, an integer or a Bool tensor of (2, 3). */
static const double VA[3][6] = {{2.5, -1.5, 0.5, 3.0, -2.0, 4.0}, {3, -2, 0, 5, 7, -4}, {1, 0, 1, 1, 0, 1}};
static const double VB[3][6] = {{1.5, 2.0, -0.5, -2.5, 0.25, 3.0}, {2, 3, -1, 4, -3, 1}, {1, 1, 0, 1, 0, 0}};
static int kind(nn_dtype t)
{
    return nn_dtype_is_float(t) ? 0 : (t == NN_BOOL ? 2 : 1);
}

static void test_dtypes(void)
{
    int64_t s[2] = {2, 3};
    int bad_dtype = 0, bad_value = 0;
    char first[160] = "";
    for (int i = 0; i < NN_NUM_DTYPES; i++)
        for (int k = 0; k < NN_NUM_DTYPES; k++) {
            nn_tensor *a = mk(DT[i], 2, s, VA[kind(DT[i])]), *b = mk(DT[k], 2, s, VB[kind(DT[k])]);
            for (int op = 0; op < NN_NUM_BINARY; op++) {
                nn_dtype want = PROMOTE[i][k];
                if ((op == NN_DIV || op == NN_POW) && !nn_dtype_is_float(want)) want = NN_F32;
                nn_tensor *y;
                if (nn_binary(ctx, &y, op, a, b) != NN_OK) {
                    bad_value++;
                    snprintf(first, sizeof first, "%s %s %s: %s", nn_dtype_name(DT[i]), nn_binary_name(op),
                             nn_dtype_name(DT[k]), nn_ctx_message(ctx));
                    continue;
                }
                if (y->dtype != want || !has_shape(y, 2, s)) {
                    if (!bad_dtype++ && !bad_value)
                        snprintf(first, sizeof first, "%s %s %s gave %s, want %s", nn_dtype_name(DT[i]),
                                 nn_binary_name(op), nn_dtype_name(DT[k]), nn_dtype_name(y->dtype),
                                 nn_dtype_name(want));
                }
                double tol = want == NN_F32 ? 1e-6 : (want == NN_F64 ? 1e-15 : 0);
                for (int e = 0; e < 6; e++) {
                    double w = round_to(want, ref_op(op, VA[kind(DT[i])][e], VB[kind(DT[k])][e]));
                    double g = nn_get(y, e);
                    bool same = g == w || (isnan(g) && isnan(w));
                    if (!same && !(fabs(g - w) <= tol * fabs(w))) {
                        if (!bad_value++ && !bad_dtype)
                            snprintf(first, sizeof first, "%s %s %s element %d: got %.9g, want %.9g",
                                     nn_dtype_name(DT[i]), nn_binary_name(op), nn_dtype_name(DT[k]), e + 1, g,
                                     w);
                        break;
                    }
                }
                nn_release(y);
            }
            nn_release(a);
            nn_release(b);
        }
    if (!tap_ok(bad_dtype == 0, "result dtypes follow the promotion rule for all 25 pairs x 7 ops"))
        tap_diag("%d wrong; first: %s", bad_dtype, first);
    if (!tap_ok(bad_value == 0, "values for all 25 dtype pairs x 7 ops"))
        tap_diag("%d wrong; first: %s", bad_value, first);
}

/* Hand-worked: integer ./ and .^ give Float32; division by zero is IEEE. */
static void test_integer_div_pow(void)
{
    int64_t n = 5;
    double a[5] = {7, -7, 1, 0, 5}, b[5] = {2, 2, 3, 0, 0};
    double wdiv[5] = {3.5, -3.5, 1.0 / 3.0, NAN, INFINITY};
    nn_tensor *ai = mk(NN_I32, 1, &n, a), *bi = mk(NN_I64, 1, &n, b), *y;
    tap_okst(ctx, nn_binary(ctx, &y, NN_DIV, ai, bi), "Int32 ./ Int64");
    tap_ok(y->dtype == NN_F32, "Int32 ./ Int64 is Float32");
    tap_tensor_close(y, wdiv, 5, 1e-7, 0, "Int32 ./ Int64 values (0/0 NaN, 5/0 Inf)");
    nn_release(y);
    nn_release(ai);
    nn_release(bi);

    double pa[5] = {2, 3, -3, 5, 2}, pb[5] = {10, 2, 3, 0, -1}, wpow[5] = {1024, 9, -27, 1, 0.5};
    ai = mk(NN_I32, 1, &n, pa);
    bi = mk(NN_I32, 1, &n, pb);
    tap_okst(ctx, nn_binary(ctx, &y, NN_POW, ai, bi), "Int32 .^ Int32");
    tap_ok(y->dtype == NN_F32, "Int32 .^ Int32 is Float32");
    tap_tensor_close(y, wpow, 5, 0, 0, "integer powers, negative base and exponent");
    nn_release(y);
    for (int t = 0; t < 2; t++) {
        nn_tensor *af = mk(DT[t], 1, &n, pa);
        tap_okst(ctx, nn_binary(ctx, &y, NN_POW, af, bi), "float .^ Int32");
        tap_ok(y->dtype == DT[t], "%s .^ Int32 keeps %s", nn_dtype_name(DT[t]), nn_dtype_name(DT[t]));
        tap_tensor_close(y, wpow, 5, 0, 0, "float base, integer exponent: (-3)^3 = -27");
        nn_release(y);
        nn_release(af);
    }
    nn_release(ai);
    nn_release(bi);
}

/* min and max propagate NaN from either side (Julia's min/max). */
static void test_nan(void)
{
    int64_t n = 4;
    double a[4] = {NAN, 1, NAN, 2}, b[4] = {1, NAN, NAN, 3};
    double wmin[4] = {NAN, NAN, NAN, 2}, wmax[4] = {NAN, NAN, NAN, 3};
    for (int t = 0; t < 2; t++) {
        nn_tensor *x = mk(DT[t], 1, &n, a), *y = mk(DT[t], 1, &n, b), *z;
        nn_binary(ctx, &z, NN_MIN, x, y);
        tap_tensor_close(z, wmin, 4, 0, 0,
                         t ? "min propagates NaN (Float64)" : "min propagates NaN (Float32)");
        nn_release(z);
        nn_binary(ctx, &z, NN_MAX, x, y);
        tap_tensor_close(z, wmax, 4, 0, 0,
                         t ? "max propagates NaN (Float64)" : "max propagates NaN (Float32)");
        nn_release(z);
        /* a broadcast NaN on either side, through the scalar-operand loops */
        nn_tensor *s;
        nn_scalar(ctx, &s, DT[t], NAN);
        nn_binary(ctx, &z, NN_MIN, s, y);
        tap_ok(isnan(nn_get(z, 0)) && isnan(nn_get(z, 3)), "min(NaN scalar, x) is NaN");
        nn_release(z);
        nn_binary(ctx, &z, NN_MAX, y, s);
        tap_ok(isnan(nn_get(z, 0)) && isnan(nn_get(z, 3)), "max(x, NaN scalar) is NaN");
        nn_release(z);
        nn_release(s);
        nn_release(x);
        nn_release(y);
    }
}

/* ---- broadcasting ---------------------------------------------------------------- */

/* x's element for the broadcast result's linear index `lin`, by explicit
 * multi-indices: a size-1 or missing dim always reads index 1. */
static int64_t source_index(const nn_tensor *x, int ndim, const int64_t *shape, int64_t lin)
{
    int64_t off = 0, stride = 1;
    for (int d = 0; d < ndim; d++) {
        int64_t c = lin % shape[d], n = d < x->ndim ? x->shape[d] : 1;
        lin /= shape[d];
        off += (n == 1 ? 0 : c) * stride;
        stride *= n;
    }
    return off;
}

static double gen_a(int64_t i)
{
    return 0.25 * (double)((i * 7) % 13) - 1.5;
}
static double gen_b(int64_t i)
{
    return 0.5 * (double)((i * 5) % 11) - 2.25;
} /* never 0 */

static nn_tensor *filled(nn_dtype t, int ndim, const int64_t *shape, double (*gen)(int64_t))
{
    nn_tensor *x;
    nn_empty(ctx, &x, t, ndim, shape);
    for (int64_t i = 0; i < x->numel; i++)
        nn_set(x, i, gen(i));
    return x;
}

/* a op b against a simple loop over the expected shape `os`. */
static void check_bcast(nn_binary_op op, nn_dtype t, int na, const int64_t *sa, int nb, const int64_t *sb,
                        int no, const int64_t *os, const char *what)
{
    nn_tensor *a = filled(t, na, sa, gen_a), *b = filled(t, nb, sb, gen_b), *y;
    char name[160];
    snprintf(name, sizeof name, "%s %s %s", nn_dtype_name(t), nn_binary_name(op), what);
    if (tap_okst(ctx, nn_binary(ctx, &y, op, a, b), name)) {
        tap_ok(has_shape(y, no, os), "%s: result shape", name);
        int64_t numel = 1, bad = -1;
        for (int d = 0; d < no; d++)
            numel *= os[d];
        double tol = t == NN_F32 ? 1e-6 : 0;
        for (int64_t i = 0; i < numel && bad < 0 && y->numel == numel; i++) {
            double w = round_to(
                t, ref_op(op, nn_get(a, source_index(a, no, os, i)), nn_get(b, source_index(b, no, os, i))));
            double g = nn_get(y, i);
            if (!(fabs(g - w) <= tol * fabs(w)) && !(isnan(g) && isnan(w))) bad = i;
        }
        if (!tap_ok(y->numel == numel && bad < 0, "%s: values against a simple loop", name) && bad >= 0)
            tap_diag("element %lld: got %.9g", (long long)bad + 1, nn_get(y, bad));
        nn_release(y);
    }
    nn_release(a);
    nn_release(b);
}

static void test_broadcast(void)
{
    int64_t s34[2] = {3, 4}, s31[2] = {3, 1}, s14[2] = {1, 4}, s3[1] = {3};
    int64_t s231[3] = {2, 3, 1}, s23[2] = {2, 3};
    for (int t = 0; t < 4; t++)
        for (int op = 0; op < NN_NUM_BINARY; op++) {
            if (!nn_dtype_is_float(DT[t]) && (op == NN_DIV || op == NN_POW)) continue;
            check_bcast(op, DT[t], 0, NULL, 2, s34, 2, s34, "0-d with (3, 4)");
            check_bcast(op, DT[t], 2, s34, 0, NULL, 2, s34, "(3, 4) with 0-d");
            check_bcast(op, DT[t], 2, s31, 2, s14, 2, s34, "(3, 1) with (1, 4)");
            check_bcast(op, DT[t], 1, s3, 2, s34, 2, s34, "(3,) with (3, 4)");
            check_bcast(op, DT[t], 2, s34, 1, s3, 2, s34, "(3, 4) with (3,)");
            check_bcast(op, DT[t], 3, s231, 2, s23, 3, s231, "(2, 3, 1) with (2, 3)");
        }
    check_bcast(NN_ADD, NN_F64, 0, NULL, 0, NULL, 0, NULL, "0-d with 0-d");
    int64_t s5a[5] = {2, 1, 3, 1, 2}, s5b[5] = {1, 4, 1, 2, 1}, s5[5] = {2, 4, 3, 2, 2};
    int64_t s4b[4] = {1, 4, 3, 2};
    check_bcast(NN_SUB, NN_F64, 5, s5a, 5, s5b, 5, s5, "5-d (2,1,3,1,2) with (1,4,1,2,1)");
    check_bcast(NN_DIV, NN_F32, 5, s5b, 5, s5a, 5, s5, "5-d (1,4,1,2,1) with (2,1,3,1,2)");
    int64_t s4o[5] = {2, 4, 3, 2, 2};
    check_bcast(NN_MAX, NN_I64, 5, s5a, 4, s4b, 5, s4o, "5-d with 4-d (1,4,3,2)");

    /* size-0 dims: empty results of the broadcast shape */
    int64_t s03[2] = {0, 3}, s13[2] = {1, 3}, s30[2] = {3, 0}, s0[1] = {0};
    check_bcast(NN_ADD, NN_F32, 2, s03, 2, s13, 2, s03, "(0, 3) with (1, 3)");
    check_bcast(NN_MUL, NN_F64, 2, s30, 2, s31, 2, s30, "(3, 0) with (3, 1)");
    check_bcast(NN_SUB, NN_I32, 1, s0, 0, NULL, 1, s0, "(0,) with 0-d");
    check_bcast(NN_MIN, NN_F64, 0, NULL, 2, s30, 2, s30, "0-d with (3, 0)");

    /* large enough for the thread pool (ctest runs with 2 threads) */
    int64_t big[2] = {1000, 1000}, col[2] = {1000, 1}, row[2] = {1, 1000};
    check_bcast(NN_ADD, NN_F32, 2, big, 2, col, 2, big, "(1000, 1000) with (1000, 1)");
    check_bcast(NN_MUL, NN_F64, 2, row, 2, big, 2, big, "(1, 1000) with (1000, 1000)");
    check_bcast(NN_SUB, NN_F64, 2, col, 2, row, 2, big, "(1000, 1) with (1, 1000)");
    check_bcast(NN_MAX, NN_I32, 2, big, 2, big, 2, big, "(1000, 1000) with (1000, 1000)");
}

static void test_broadcast_errors(void)
{
    int64_t s34[2] = {3, 4}, s24[2] = {2, 4}, s23[2] = {2, 3}, s03[2] = {0, 3};
    nn_tensor *a = filled(NN_F32, 2, s34, gen_a), *b = filled(NN_F32, 2, s24, gen_b), *y = (nn_tensor *)1;
    tap_ok(!strcmp(nn_status_name(NN_ERR_DIMENSION), "DimensionMismatch"),
           "NN_ERR_DIMENSION is DimensionMismatch");
    tap_error(ctx, nn_binary(ctx, &y, NN_ADD, a, b), NN_ERR_DIMENSION, "(3, 4) .+ (2, 4)", "+", "(3, 4)",
              "(2, 4)", "dimension 1", NULL);
    tap_ok(y == NULL, "no result on error");
    nn_tensor *c = filled(NN_F64, 2, s23, gen_b), *d = filled(NN_F64, 1, s34, gen_a);
    tap_error(ctx, nn_binary(ctx, &y, NN_MUL, c, d), NN_ERR_DIMENSION, "(2, 3) .* (3,)", ".*", "(2, 3)",
              "(3,)", "dimension 1: 2 vs 3", NULL);
    nn_tensor *e = filled(NN_F64, 2, s24, gen_b);
    tap_error(ctx, nn_binary(ctx, &y, NN_POW, c, e), NN_ERR_DIMENSION, "(2, 3) .^ (2, 4)", "dimension 2",
              "3 vs 4", NULL);
    nn_tensor *z = filled(NN_F64, 2, s03, gen_a);
    tap_error(ctx, nn_binary(ctx, &y, NN_SUB, z, c), NN_ERR_DIMENSION, "(0, 3) .- (2, 3): 0 is not 1",
              "(0, 3)", "(2, 3)", NULL);
    tap_error(ctx, nn_binary(ctx, &y, NN_NUM_BINARY, a, a), NN_ERR_ARGUMENT, "a bad op code", "bad op", NULL);
    tap_error(ctx, nn_compare(ctx, &y, NN_LT, a, b), NN_ERR_DIMENSION, "(3, 4) .< (2, 4)", ".<", "(3, 4)",
              "(2, 4)", NULL);
    nn_release(a);
    nn_release(b);
    nn_release(c);
    nn_release(d);
    nn_release(e);
    nn_release(z);
}

/* ---- gradients ------------------------------------------------------------------- */

static nn_status f_bin(nn_ctx *c, nn_tensor *const *in, nn_tensor **out, void *ud)
{
    return nn_binary(c, out, *(const nn_binary_op *)ud, in[0], in[1]);
}

/* Values away from ties (a ends in 1, b in 55 hundredths) and from zero;
 * positive a for .^, whose derivative in b is a^b log a. */
static nn_tensor *grad_operand(int ndim, const int64_t *shape, bool is_a, bool positive)
{
    nn_tensor *x;
    nn_empty(ctx, &x, NN_F64, ndim, shape);
    for (int64_t i = 0; i < x->numel; i++) {
        double v = is_a ? 0.31 + 0.1 * (double)((i * 3) % 7) : 0.255 + 0.1 * (double)((i * 5) % 9);
        double sign = positive || (i * (is_a ? 1 : 2)) % 3 != 1 ? 1.0 : -1.0;
        nn_set(x, i, sign * v * (is_a ? 2.0 : 1.5));
    }
    return x;
}

static void test_gradients(void)
{
    static const struct {
        int na;
        int64_t sa[3];
        int nb;
        int64_t sb[3];
        const char *what;
    } cases[] = {
        {2, {3, 4}, 2, {3, 4}, "(3, 4) with (3, 4)"},
        {2, {3, 1}, 2, {1, 4}, "(3, 1) with (1, 4)"},
        {2, {3, 4}, 0, {0}, "(3, 4) with 0-d"},
        {0, {0}, 2, {3, 4}, "0-d with (3, 4)"},
        {1, {3}, 2, {3, 4}, "(3,) with (3, 4)"},
        {3, {2, 3, 1}, 2, {2, 3}, "(2, 3, 1) with (2, 3)"},
        {2, {1, 4}, 3, {3, 1, 2}, "(1, 4) with (3, 1, 2)"},
    };
    for (int op = 0; op < NN_NUM_BINARY; op++)
        for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
            nn_tensor *in[2] = {grad_operand(cases[k].na, cases[k].sa, true, op == NN_POW),
                                grad_operand(cases[k].nb, cases[k].sb, false, false)};
            char name[96];
            snprintf(name, sizeof name, "%s %s", nn_binary_name(op), cases[k].what);
            nn_binary_op o = op;
            tap_gradcheck(ctx, f_bin, 2, in, &o, 1e-6, name);
            nn_release(in[0]);
            nn_release(in[1]);
        }
}

/* Mixed dtypes: each leaf's gradient comes back in its own dtype and shape;
 * and a large broadcast, whose backward sums (1000, 1000) back on threads. */
static void test_gradient_dtypes(void)
{
    int64_t s31[2] = {3, 1}, s14[2] = {1, 4};
    double a3[3] = {1, 2, 4}, b4[4] = {0.5, -1, 3, 0.25};
    nn_tensor *a = mk(NN_F32, 2, s31, a3), *b = mk(NN_F64, 2, s14, b4), *y, *l;
    nn_set_requires_grad(a, true);
    nn_set_requires_grad(b, true);
    nn_binary(ctx, &y, NN_MUL, a, b);
    tap_ok(y->dtype == NN_F64 && nn_is_tracked(y), "Float32 (3, 1) .* Float64 (1, 4) is tracked Float64");
    nn_reduce(ctx, &l, NN_SUM, y, 0, NULL);
    tap_okst(ctx, nn_backward(ctx, l), "backward of sum(a .* b)");
    double ga[3] = {2.75, 2.75, 2.75}, gb[4] = {7, 7, 7, 7};
    nn_tensor *da = nn_grad(a), *db = nn_grad(b);
    tap_ok(da && da->dtype == NN_F32 && has_shape(da, 2, s31),
           "the Float32 leaf's gradient is Float32 (3, 1)");
    tap_ok(db && db->dtype == NN_F64 && has_shape(db, 2, s14),
           "the Float64 leaf's gradient is Float64 (1, 4)");
    if (da) tap_tensor_close(da, ga, 3, 0, 0, "d/da sum(a .* b) = sum(b)");
    if (db) tap_tensor_close(db, gb, 4, 0, 0, "d/db sum(a .* b) = sum(a)");
    nn_release(l);
    nn_release(y);
    nn_release(a);
    nn_release(b);

    /* an Int32 operand is a constant: only the float side gets a gradient */
    nn_tensor *ai = mk(NN_I32, 2, s31, a3), *g;
    b = mk(NN_F64, 2, s14, b4);
    nn_set_requires_grad(b, true);
    nn_binary(ctx, &y, NN_SUB, ai, b);
    nn_reduce(ctx, &l, NN_SUM, y, 0, NULL);
    tap_okst(ctx, nn_backward(ctx, l), "backward of sum(Int32 .- b)");
    double gm[4] = {-3, -3, -3, -3};
    g = nn_grad(b);
    if (tap_ok(g != NULL, "the float operand has a gradient")) tap_tensor_close(g, gm, 4, 0, 0, "d/db = -3");
    nn_release(l);
    nn_release(y);
    nn_release(ai);
    nn_release(b);

    int64_t col[2] = {1000, 1}, row[2] = {1, 1000};
    nn_tensor *c = filled(NN_F64, 2, col, gen_a), *r = filled(NN_F64, 2, row, gen_b);
    nn_set_requires_grad(c, true);
    nn_set_requires_grad(r, true);
    nn_binary(ctx, &y, NN_MUL, c, r);
    nn_reduce(ctx, &l, NN_SUM, y, 0, NULL);
    tap_okst(ctx, nn_backward(ctx, l), "backward of sum((1000, 1) .* (1, 1000))");
    double sc = 0, sr = 0;
    for (int64_t i = 0; i < 1000; i++) {
        sc += gen_a(i);
        sr += gen_b(i);
    }
    bool ok = nn_grad(c) && nn_grad(r) && has_shape(nn_grad(c), 2, col) && has_shape(nn_grad(r), 2, row);
    for (int64_t i = 0; ok && i < 1000; i++)
        ok = fabs(nn_get(nn_grad(c), i) - sr) <= 1e-12 * fabs(sr) &&
             fabs(nn_get(nn_grad(r), i) - sc) <= 1e-12 * fabs(sc);
    tap_ok(ok, "large broadcast: gradients are the other operand's sums, in the operands' shapes");
    nn_release(l);
    nn_release(y);
    nn_release(c);
    nn_release(r);
}

/* .^ of a negative base by a constant integer exponent: only the base is
 * differentiated (the exponent's derivative needs log of the base). */
static nn_status f_pow_const(nn_ctx *c, nn_tensor *const *in, nn_tensor **out, void *ud)
{
    return nn_binary(c, out, NN_POW, in[0], ud);
}

static void test_pow_negative_base(void)
{
    int64_t s41[2] = {4, 1}, s13[2] = {1, 3};
    double a[4] = {-1.3, -0.7, 2.1, -2.4}, p[3] = {2, 3, -1};
    nn_tensor *x = mk(NN_F64, 2, s41, a), *e = mk(NN_F64, 2, s13, p), *three, *y;
    tap_gradcheck(ctx, f_pow_const, 1, &x, e, 1e-6, "(4, 1) negative base .^ (1, 3) integer exponents");
    nn_scalar(ctx, &three, NN_F64, 3.0);
    tap_gradcheck(ctx, f_pow_const, 1, &x, three, 1e-6, "negative base .^ 3");
    nn_binary(ctx, &y, NN_POW, x, e);
    double want[12] = {1.69,  0.49,    4.41,     5.76,     -2.197,  -0.343,
                       9.261, -13.824, -1 / 1.3, -1 / 0.7, 1 / 2.1, -1 / 2.4};
    tap_tensor_close(y, want, 12, 1e-14, 0, "negative base .^ integer exponents: values");
    nn_release(y);
    nn_release(three);
    nn_release(x);
    nn_release(e);
}

/* ---- comparisons, ifelse, clamp -------------------------------------------------- */

static bool ref_cmp(nn_compare_op op, double a, double b)
{
    switch (op) {
    case NN_EQ: return a == b;
    case NN_NE: return a != b;
    case NN_LT: return a < b;
    case NN_LE: return a <= b;
    case NN_GT: return a > b;
    case NN_GE: return a >= b;
    default: return false;
    }
}

static void test_compare(void)
{
    int64_t s31[2] = {3, 1}, s14[2] = {1, 4}, s34[2] = {3, 4};
    double a[3] = {1, 0, 3}, b[4] = {0, 1, 3, 2};
    int bad = 0;
    char first[128] = "";
    for (int i = 0; i < NN_NUM_DTYPES; i++)
        for (int k = 0; k < NN_NUM_DTYPES; k++) {
            nn_tensor *x = mk(DT[i], 2, s31, a), *w = mk(DT[k], 2, s14, b);
            for (int op = 0; op < NN_NUM_COMPARE; op++) {
                nn_tensor *y;
                nn_status s = nn_compare(ctx, &y, op, x, w);
                bool ok = s == NN_OK && y->dtype == NN_BOOL && has_shape(y, 2, s34);
                for (int e = 0; ok && e < 12; e++)
                    ok = (nn_get(y, e) != 0) == ref_cmp(op, nn_get(x, e % 3), nn_get(w, e / 3));
                if (!ok && !bad++)
                    snprintf(first, sizeof first, "%s %s %s", nn_dtype_name(DT[i]), nn_compare_name(op),
                             nn_dtype_name(DT[k]));
                if (!s)
                    nn_release(y);
                else
                    nn_ctx_clear_error(ctx);
            }
            nn_release(x);
            nn_release(w);
        }
    if (!tap_ok(bad == 0, "comparisons: all dtype pairs, (3, 1) with (1, 4), Bool (3, 4) results"))
        tap_diag("%d wrong; first: %s", bad, first);

    /* NaN compares unequal to everything, itself included */
    int64_t n = 2;
    double u[2] = {NAN, 1}, v[2] = {NAN, NAN};
    nn_tensor *x = mk(NN_F64, 1, &n, u), *w = mk(NN_F64, 1, &n, v), *y;
    double f2[2] = {0, 0}, t2[2] = {1, 1};
    nn_compare(ctx, &y, NN_EQ, x, w);
    tap_tensor_close(y, f2, 2, 0, 0, "NaN .== NaN is false");
    nn_release(y);
    nn_compare(ctx, &y, NN_NE, x, w);
    tap_tensor_close(y, t2, 2, 0, 0, "NaN .!= NaN is true");
    nn_release(y);
    nn_compare(ctx, &y, NN_GE, x, w);
    tap_tensor_close(y, f2, 2, 0, 0, "NaN .>= NaN is false");
    nn_release(y);
    nn_release(x);
    nn_release(w);
    tap_error(ctx, nn_compare(ctx, &y, NN_NUM_COMPARE, x, x), NN_ERR_ARGUMENT, "compare: a bad op code",
              "bad op", NULL);
}

static nn_status f_ifelse(nn_ctx *c, nn_tensor *const *in, nn_tensor **out, void *ud)
{
    return nn_ifelse(c, out, ud, in[0], in[1]);
}

static void test_ifelse(void)
{
    int64_t s31[2] = {3, 1}, s14[2] = {1, 4}, s34[2] = {3, 4};
    double c3[3] = {1, 0, 1}, c4[4] = {0, 1, 1, 0}, a12[12], b4[4] = {-1, -2, -3, -4};
    for (int i = 0; i < 12; i++)
        a12[i] = i + 1;
    nn_tensor *c = mk(NN_BOOL, 2, s31, c3), *a = mk(NN_F64, 2, s34, a12), *b = mk(NN_F32, 2, s14, b4), *y;
    tap_okst(ctx, nn_ifelse(ctx, &y, c, a, b), "ifelse (3, 1) Bool, (3, 4) Float64, (1, 4) Float32");
    tap_ok(has_shape(y, 2, s34) && y->dtype == NN_F64, "ifelse: (3, 4) Float64");
    double want[12] = {1, -1, 3, 4, -2, 6, 7, -3, 9, 10, -4, 12};
    tap_tensor_close(y, want, 12, 0, 0, "ifelse values");
    nn_release(y);

    /* the condition broadcasts to the others' shape too */
    nn_tensor *c2 = mk(NN_BOOL, 2, s14, c4), *sa, *sb;
    nn_scalar(ctx, &sa, NN_I32, 7);
    nn_binary(ctx, &sb, NN_ADD, c, c); /* Int64 (3, 1): 2, 0, 2 */
    tap_okst(ctx, nn_ifelse(ctx, &y, c2, sa, sb), "ifelse (1, 4) cond, 0-d Int32, (3, 1) Int64");
    double want2[12] = {2, 0, 2, 7, 7, 7, 7, 7, 7, 2, 0, 2};
    tap_ok(has_shape(y, 2, s34) && y->dtype == NN_I64, "ifelse: (3, 4) Int64");
    tap_tensor_close(y, want2, 12, 0, 0, "ifelse values, condition broadcast");
    nn_release(y);
    nn_tensor *bt, *bf;
    nn_scalar(ctx, &bt, NN_BOOL, 1);
    nn_scalar(ctx, &bf, NN_BOOL, 0);
    nn_ifelse(ctx, &y, c, bt, bf);
    tap_ok(y->dtype == NN_BOOL && nn_get(y, 0) == 1 && nn_get(y, 1) == 0, "ifelse of two Bools is Bool");
    nn_release(y);

    tap_error(ctx, nn_ifelse(ctx, &y, a, a, b), NN_ERR_TYPE, "ifelse: a Float64 condition", "ifelse", "Bool",
              "Float64", NULL);
    nn_tensor *c5;
    int64_t s5[1] = {5};
    double d5[5] = {1, 0, 1, 0, 1};
    c5 = mk(NN_BOOL, 1, s5, d5);
    tap_error(ctx, nn_ifelse(ctx, &y, c5, a, b), NN_ERR_DIMENSION, "ifelse: (5,) condition with (3, 4)",
              "ifelse", "(5,)", "(3, 4)", NULL);
    tap_error(ctx, nn_ifelse(ctx, &y, c, a, c5), NN_ERR_DIMENSION, "ifelse: (3, 4) with (5,)", "ifelse",
              NULL);

    /* gradients: each branch gets the gradient where the condition picks it */
    nn_tensor *in[2] = {grad_operand(2, s34, true, false), grad_operand(2, s14, false, false)};
    tap_gradcheck(ctx, f_ifelse, 2, in, c, 1e-6, "ifelse (3, 1) cond, (3, 4) and (1, 4) branches");
    nn_release(in[0]);
    nn_release(in[1]);
    in[0] = grad_operand(0, NULL, true, false);
    in[1] = grad_operand(2, s31, false, false);
    tap_gradcheck(ctx, f_ifelse, 2, in, c2, 1e-6, "ifelse (1, 4) cond, 0-d and (3, 1) branches");
    nn_release(in[0]);
    nn_release(in[1]);

    nn_release(c);
    nn_release(c2);
    nn_release(c5);
    nn_release(a);
    nn_release(b);
    nn_release(sa);
    nn_release(sb);
    nn_release(bt);
    nn_release(bf);
}

static nn_status f_clamp(nn_ctx *c, nn_tensor *const *in, nn_tensor **out, void *ud)
{
    const double *lh = ud;
    return nn_clamp(c, out, in[0], lh[0], lh[1]);
}

static void test_clamp(void)
{
    int64_t s23[2] = {2, 3};
    double x[6] = {-2.3, -0.4, 0.2, 0.9, 1.7, -0.95}, want[6] = {-1, -0.4, 0.2, 0.9, 1, -0.95};
    double lh[2] = {-1, 1};
    for (int t = 0; t < 2; t++) {
        nn_tensor *a = mk(DT[t], 2, s23, x), *y;
        tap_okst(ctx, nn_clamp(ctx, &y, a, -1, 1), "clamp");
        tap_ok(y->dtype == DT[t] && has_shape(y, 2, s23), "clamp keeps %s (2, 3)", nn_dtype_name(DT[t]));
        tap_tensor_close(y, want, 6, t ? 0 : 1e-7, 0, "clamp(x, -1, 1) values");
        nn_release(y);
        nn_release(a);
    }
    double xi[6] = {-5, -1, 0, 1, 2, 9}, wi[6] = {-1, -1, 0, 1, 2, 2};
    nn_tensor *ai = mk(NN_I32, 2, s23, xi), *y;
    tap_okst(ctx, nn_clamp(ctx, &y, ai, -1, 2), "clamp Int32");
    tap_ok(y->dtype == NN_I32, "clamp of Int32 with integer bounds is Int32");
    tap_tensor_close(y, wi, 6, 0, 0, "clamp(Int32, -1, 2) values");
    nn_release(y);
    /* bounds an integer cannot hold: the result is Float32, as integer with float is */
    double wf[6] = {-0.5, -0.5, 0, 1, 2, 2.5};
    tap_okst(ctx, nn_clamp(ctx, &y, ai, -0.5, 2.5), "clamp Int32 with fractional bounds");
    tap_ok(y->dtype == NN_F32, "clamp(Int32, -0.5, 2.5) is Float32");
    tap_tensor_close(y, wf, 6, 0, 0, "clamp(Int32, -0.5, 2.5) values");
    nn_release(y);
    double wi2[6] = {-5, -1, 0, 1, 2, 9};
    tap_okst(ctx, nn_clamp(ctx, &y, ai, -INFINITY, INFINITY), "clamp Int32 to (-Inf, Inf)");
    tap_tensor_close(y, wi2, 6, 0, 0, "clamp(Int32, -Inf, Inf) is the identity");
    nn_release(y);
    tap_error(ctx, nn_clamp(ctx, &y, ai, 2, 1), NN_ERR_ARGUMENT, "clamp with lo > hi", "clamp", "lo = 2",
              "hi = 1", NULL);
    tap_ok(y == NULL, "no result on error");
    tap_okst(ctx, nn_clamp(ctx, &y, ai, 1, 1), "clamp with lo == hi");
    double w1[6] = {1, 1, 1, 1, 1, 1};
    tap_tensor_close(y, w1, 6, 0, 0, "clamp(x, 1, 1) is all 1");
    nn_release(y);
    nn_release(ai);

    double xn[2] = {NAN, 3};
    int64_t n2 = 2;
    nn_tensor *an = mk(NN_F64, 1, &n2, xn);
    nn_clamp(ctx, &y, an, 0, 1);
    double wn[2] = {NAN, 1};
    tap_tensor_close(y, wn, 2, 0, 0, "clamp(NaN, 0, 1) is NaN");
    nn_release(y);
    nn_release(an);

    nn_tensor *g = mk(NN_F64, 2, s23, x);
    tap_gradcheck(ctx, f_clamp, 1, &g, lh, 1e-6, "clamp(x, -1, 1), x inside and outside");
    nn_release(g);
}

int main(void)
{
    ctx = nn_ctx_new();
    test_dtypes();
    test_integer_div_pow();
    test_nan();
    test_broadcast();
    test_broadcast_errors();
    test_gradients();
    test_gradient_dtypes();
    test_pow_negative_base();
    test_compare();
    test_ifelse();
    test_clamp();
    nn_ctx_free(ctx);
    return tap_done();
}
