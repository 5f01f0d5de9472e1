/* test_convert.c — dtype conversion between every pair (Julia's InexactError
 * where a value does not fit), copy and its gradient, copyto! with
 * broadcasting, and fill!, with their version bumps and error messages.
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

static nn_status f_copy(nn_ctx *c, nn_tensor *const *in, nn_tensor **out, void *ud)
{
    return nn_copy(c, out, in[0]);
}

static void test_convert(void)
{
    int64_t n = 4;
    double bits[4] = {0, 1, 1, 0}, ints[4] = {3, -2, 0, 7};
    int bad = 0;
    char first[96] = "";
    for (int i = 0; i < NN_NUM_DTYPES; i++)
        for (int k = 0; k < NN_NUM_DTYPES; k++)
            for (int v = 0; v < 2; v++) {
                const double *d = v ? ints : bits;
                if (v && (DT[i] == NN_BOOL || DT[k] == NN_BOOL)) continue;
                nn_tensor *x = mk(DT[i], 1, &n, d), *y;
                nn_status s = nn_convert(ctx, &y, x, DT[k]);
                bool ok = s == NN_OK && y->dtype == DT[k] && has_shape(y, 1, &n);
                for (int e = 0; ok && e < 4; e++)
                    ok = nn_get(y, e) == d[e];
                if (!ok && !bad++)
                    snprintf(first, sizeof first, "%s -> %s: %s", nn_dtype_name(DT[i]), nn_dtype_name(DT[k]),
                             s ? nn_ctx_message(ctx) : "wrong values");
                if (!s) nn_release(y);
                nn_ctx_clear_error(ctx);
                nn_release(x);
            }
    if (!tap_ok(bad == 0, "convert between all 25 dtype pairs")) tap_diag("%d wrong; first: %s", bad, first);

    /* Julia's InexactError: no silent truncation, wrap-around or nonzero-is-true */
    static const struct {
        nn_dtype from, to;
        double v;
        const char *msg;
    } inexact[] = {
        {NN_F64, NN_I32, 1.5, "Int32(1.5)"},      {NN_F32, NN_I64, -0.25, "Int64(-0.25)"},
        {NN_F64, NN_I32, 3e9, "Int32(3e+09)"},    {NN_F64, NN_I64, NAN, "Int64(nan)"},
        {NN_F32, NN_I32, INFINITY, "Int32(inf)"}, {NN_F64, NN_BOOL, 2, "Bool(2)"},
        {NN_F32, NN_BOOL, 0.5, "Bool(0.5)"},      {NN_I64, NN_I32, 3e9, "Int32(3e+09)"},
        {NN_I32, NN_BOOL, 2, "Bool(2)"},          {NN_I64, NN_BOOL, -1, "Bool(-1)"},
    };
    for (size_t k = 0; k < sizeof inexact / sizeof *inexact; k++) {
        double d[3] = {1, inexact[k].v, 0};
        int64_t three = 3;
        nn_tensor *x = mk(inexact[k].from, 1, &three, d), *y = (nn_tensor *)1;
        char name[96];
        snprintf(name, sizeof name, "convert %s %s -> %s", nn_dtype_name(inexact[k].from), inexact[k].msg,
                 nn_dtype_name(inexact[k].to));
        tap_error(ctx, nn_convert(ctx, &y, x, inexact[k].to), NN_ERR_DOMAIN, name, "InexactError",
                  inexact[k].msg, "element 2", NULL);
        tap_ok(y == NULL, "%s: no result", name);
        nn_release(x);
    }

    /* Float64 -> Float32 rounds; large Int64 -> Float32 rounds (no error) */
    double big[2] = {16777217, 0.1};
    int64_t two = 2;
    nn_tensor *bi = mk(NN_I64, 1, &two, big), *y;
    tap_okst(ctx, nn_convert(ctx, &y, bi, NN_F32), "Int64 2^24+1 -> Float32 rounds");
    tap_ok(nn_get(y, 0) == 16777216.0, "2^24+1 becomes 2^24");
    nn_release(y);
    nn_release(bi);

    /* differentiable: copy (Float64) by finite differences; a Float32 leaf
     * converted to Float64 gets a Float32 gradient */
    int64_t s23[2] = {2, 3};
    double v6[6] = {0.62, -1.02, 1.42, 0.82, -1.22, 1.62};
    nn_tensor *g = mk(NN_F64, 2, s23, v6), *x32, *y64, *l;
    tap_gradcheck(ctx, f_copy, 1, &g, NULL, 1e-6, "copy");
    nn_release(g);
    x32 = mk(NN_F64, 2, s23, v6);
    nn_tensor *leaf;
    nn_convert(ctx, &leaf, x32, NN_F32);
    nn_set_requires_grad(leaf, true);
    nn_convert(ctx, &y64, leaf, NN_F64);
    tap_ok(nn_is_tracked(y64) && y64->dtype == NN_F64, "convert of a tracked Float32 is tracked Float64");
    nn_reduce(ctx, &l, NN_SUM, y64, 0, NULL);
    tap_okst(ctx, nn_backward(ctx, l), "backward through convert");
    nn_tensor *gl = nn_grad(leaf);
    double ones[6] = {1, 1, 1, 1, 1, 1};
    tap_ok(gl && gl->dtype == NN_F32 && has_shape(gl, 2, s23), "the gradient is Float32 (2, 3)");
    if (gl) tap_tensor_close(gl, ones, 6, 0, 0, "the gradient of sum(convert(x)) is 1");
    nn_release(l);
    nn_release(y64);
    nn_release(leaf);
    nn_release(x32);
}

static void test_copy_fill(void)
{
    int64_t s34[2] = {3, 4}, s31[2] = {3, 1}, s14[2] = {1, 4}, s24[2] = {2, 4};
    double c3[3] = {1, 2, 3}, r4[4] = {10, 20, 30, 40};
    nn_tensor *dst, *src;
    nn_zeros(ctx, &dst, NN_F64, 2, s34);
    uint64_t v0 = nn_tensor_version(dst);
    src = mk(NN_F32, 2, s31, c3);
    tap_okst(ctx, nn_copy_(ctx, dst, src), "copyto! (3, 4) Float64 from (3, 1) Float32");
    double w1[12] = {1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3};
    tap_tensor_close(dst, w1, 12, 0, 0, "copyto! broadcasts a column");
    tap_ok(nn_tensor_version(dst) == v0 + 1, "copyto! bumps the version once");
    nn_release(src);
    src = mk(NN_I32, 2, s14, r4);
    nn_copy_(ctx, dst, src);
    double w2[12] = {10, 10, 10, 20, 20, 20, 30, 30, 30, 40, 40, 40};
    tap_tensor_close(dst, w2, 12, 0, 0, "copyto! broadcasts a row (Int32 into Float64)");
    nn_release(src);
    nn_scalar(ctx, &src, NN_F64, -0.0);
    nn_copy_(ctx, dst, src);
    tap_ok(nn_get(dst, 5) == 0 && signbit(nn_get(dst, 5)), "copyto! of -0.0 keeps the sign");
    nn_release(src);

    /* errors leave dst alone */
    uint64_t v1 = nn_tensor_version(dst);
    nn_tensor *small;
    nn_zeros(ctx, &small, NN_F64, 2, s31);
    tap_error(ctx, nn_copy_(ctx, small, dst), NN_ERR_DIMENSION, "copyto! (3, 1) from (3, 4)", "copyto!",
              "(3, 4)", "(3, 1)", NULL);
    nn_zeros(ctx, &src, NN_F64, 2, s24);
    tap_error(ctx, nn_copy_(ctx, dst, src), NN_ERR_DIMENSION, "copyto! (3, 4) from (2, 4)", "copyto!",
              "(2, 4)", "(3, 4)", NULL);
    nn_release(src);
    nn_tensor *di;
    nn_zeros(ctx, &di, NN_I32, 2, s31);
    double fr[3] = {1, 2.5, 3};
    src = mk(NN_F64, 2, s31, fr);
    tap_error(ctx, nn_copy_(ctx, di, src), NN_ERR_DOMAIN, "copyto! Int32 from 2.5", "InexactError", NULL);
    tap_ok(nn_tensor_version(dst) == v1 && nn_tensor_version(di) == 0 && nn_get(di, 0) == 0,
           "failed copies change nothing");
    nn_release(src);
    nn_release(di);
    nn_release(small);

    /* Bool destinations */
    nn_tensor *db;
    nn_zeros(ctx, &db, NN_BOOL, 2, s34);
    double b3[3] = {1, 0, 1};
    src = mk(NN_BOOL, 2, s31, b3);
    tap_okst(ctx, nn_copy_(ctx, db, src), "copyto! Bool (3, 4) from Bool (3, 1)");
    tap_ok(nn_get(db, 0) == 1 && nn_get(db, 1) == 0 && nn_get(db, 11) == 1, "Bool copy values");
    nn_release(src);

    /* fill! */
    uint64_t vf = nn_tensor_version(dst);
    tap_okst(ctx, nn_fill_(ctx, dst, 2.5), "fill! Float64");
    double w25[12] = {2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5};
    tap_tensor_close(dst, w25, 12, 0, 0, "fill! values");
    tap_ok(nn_tensor_version(dst) == vf + 1, "fill! bumps the version once");
    for (int t = 0; t < NN_NUM_DTYPES; t++) {
        nn_tensor *x;
        nn_empty(ctx, &x, DT[t], 2, s31);
        double v = DT[t] == NN_BOOL ? 1 : -3;
        nn_fill_(ctx, x, v);
        tap_ok(nn_get(x, 0) == v && nn_get(x, 2) == v, "fill! %s with %g", nn_dtype_name(DT[t]), v);
        nn_release(x);
    }
    nn_tensor *xi;
    nn_zeros(ctx, &xi, NN_I64, 2, s31);
    tap_error(ctx, nn_fill_(ctx, xi, 1.5), NN_ERR_DOMAIN, "fill! Int64 with 1.5", "InexactError",
              "Int64(1.5)", NULL);
    tap_error(ctx, nn_fill_(ctx, db, 2), NN_ERR_DOMAIN, "fill! Bool with 2", "InexactError", "Bool(2)", NULL);
    tap_ok(nn_tensor_version(xi) == 0 && nn_get(xi, 0) == 0, "a failed fill! changes nothing");
    nn_release(xi);
    nn_release(db);
    nn_release(dst);
}

int main(void)
{
    ctx = nn_ctx_new();
    test_convert();
    test_copy_fill();
    nn_ctx_free(ctx);
    return tap_done();
}
