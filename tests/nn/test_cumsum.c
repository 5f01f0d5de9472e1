/* test_cumsum.c — cumsum and cumprod along dims 1, 2 and past the last of a
 * matrix, a 3-d tensor's middle dim, integer and Bool inputs, empty inputs,
 * gradients by finite differences (cumprod with zeros too) and errors.
 */
#include "tap.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static nn_ctx *ctx;

/* A (3, 4) column-major; expected values from plain Python running sums and
 * products over the same data. */
static const double A[12] = {0.5, -1.25, 2.0, 3.5, 0.75, -2.5, 1.5, -0.25, 4.0, -3.0, 2.25, 1.0};
static const int64_t SA[2] = {3, 4};
static const double CS1[12] = {0.5, -0.75, 1.25, 3.5, 4.25, 1.75, 1.5, 1.25, 5.25, -3.0, -0.75, 0.25};
static const double CS2[12] = {0.5, -1.25, 2.0, 4.0, -0.5, -0.5, 5.5, -0.75, 3.5, 2.5, 1.5, 4.5};
static const double CP1[12] = {0.5, -0.625, -1.25, 3.5,  2.625, -6.5625,
                               1.5, -0.375, -1.5,  -3.0, -6.75, -6.75};
static const double CP2[12] = {0.5,   -1.25,    2.0,   1.75,   -0.9375,    -5.0,
                               2.625, 0.234375, -20.0, -7.875, 0.52734375, -20.0};

static nn_tensor *mk(nn_dtype t, int ndim, const int64_t *shape, const double *d)
{
    return tap_tensor(ctx, t, ndim, shape, d);
}

/* yp: read after the call has set it (the order of evaluating arguments is open). */
static void check(const char *name, nn_status s, nn_tensor **yp, const nn_tensor *x, nn_dtype t,
                  const double *want, double tol)
{
    if (!tap_okst(ctx, s, name)) return;
    nn_tensor *y = *yp;
    tap_ok(nn_same_shape(y, x) && y->dtype == t, "%s: x's shape, dtype %s", name, nn_dtype_name(t));
    tap_tensor_close(y, want, y->numel, tol, tol, name);
    nn_release(y);
}

static void test_values(void)
{
    for (int k = 0; k < 2; k++) {
        nn_dtype dt = k ? NN_F64 : NN_F32;
        double tol = k ? 1e-14 : 1e-6;
        nn_tensor *a = mk(dt, 2, SA, A), *y;
        check("cumsum dims=1", nn_cumsum(ctx, &y, a, 1), &y, a, dt, CS1, tol);
        check("cumsum dims=2", nn_cumsum(ctx, &y, a, 2), &y, a, dt, CS2, tol);
        check("cumprod dims=1", nn_cumprod(ctx, &y, a, 1), &y, a, dt, CP1, tol);
        check("cumprod dims=2", nn_cumprod(ctx, &y, a, 2), &y, a, dt, CP2, tol);
        check("cumsum dims=3 is a copy", nn_cumsum(ctx, &y, a, 3), &y, a, dt, A, 0);
        nn_release(a);
    }
    /* (2, 3, 2) along dim 2: inner 2, outer 2 */
    double b[12], want[12];
    int64_t sb[3] = {2, 3, 2};
    for (int i = 0; i < 12; i++)
        b[i] = i + 1;
    for (int o = 0; o < 2; o++)
        for (int i = 0; i < 2; i++)
            for (int k = 0, acc = 0; k < 3; k++) {
                acc += (int)b[o * 6 + k * 2 + i];
                want[o * 6 + k * 2 + i] = acc;
            }
    nn_tensor *t = mk(NN_I64, 3, sb, b), *y;
    check("Int64 cumsum over the middle dim of (2, 3, 2)", nn_cumsum(ctx, &y, t, 2), &y, t, NN_I64, want, 0);
    nn_release(t);
    t = mk(NN_I32, 3, sb, b);
    check("Int32 stays Int32", nn_cumsum(ctx, &y, t, 2), &y, t, NN_I32, want, 0);
    nn_release(t);
    double m[4] = {1, 0, 1, 1}, cm[4] = {1, 1, 2, 3};
    int64_t s4 = 4;
    t = mk(NN_BOOL, 1, &s4, m);
    check("Bool counts as Int64", nn_cumsum(ctx, &y, t, 1), &y, t, NN_I64, cm, 0);
    nn_release(t);
    int64_t s0[2] = {0, 3};
    t = mk(NN_F32, 2, s0, NULL);
    tap_okst(ctx, nn_cumprod(ctx, &y, t, 1), "cumprod of a (0, 3) tensor");
    tap_ok(y && nn_same_shape(y, t), "is (0, 3)");
    nn_release(y);
    nn_release(t);
    /* large enough for the thread pool: 100 columns of 1000 along dim 1 */
    int64_t sl[2] = {1000, 100};
    nn_tensor *l = NULL;
    nn_ones(ctx, &l, NN_F64, 2, sl);
    if (tap_okst(ctx, nn_cumsum(ctx, &y, l, 1), "cumsum of a (1000, 100) tensor")) {
        bool ok = true;
        for (int64_t i = 0; i < l->numel; i++)
            ok = ok && nn_get(y, i) == (double)(i % 1000 + 1);
        tap_ok(ok, "every column counts 1..1000");
        nn_release(y);
    }
    nn_release(l);
}

static nn_status f_cum(nn_ctx *c, nn_tensor *const *in, nn_tensor **out, void *ud)
{
    const int *k = ud; /* {prod, dim} */
    return k[0] ? nn_cumprod(c, out, in[0], k[1]) : nn_cumsum(c, out, in[0], k[1]);
}

static void test_gradients(void)
{
    nn_tensor *a = mk(NN_F64, 2, SA, A);
    double z[12];
    memcpy(z, A, sizeof z);
    z[1] = 0;        /* one zero in column 1 */
    z[6] = z[8] = 0; /* two zeros in row 1 along dim 2 */
    nn_tensor *az = mk(NN_F64, 2, SA, z);
    int cases[4][2] = {{0, 1}, {0, 2}, {1, 1}, {1, 2}};
    for (int i = 0; i < 4; i++) {
        char name[80];
        snprintf(name, sizeof name, "%s dims=%d gradient", cases[i][0] ? "cumprod" : "cumsum", cases[i][1]);
        tap_gradcheck(ctx, f_cum, 1, &a, cases[i], 1e-6, name);
        if (cases[i][0]) {
            snprintf(name, sizeof name, "cumprod dims=%d gradient with zeros", cases[i][1]);
            tap_gradcheck(ctx, f_cum, 1, &az, cases[i], 1e-6, name);
        }
    }
    nn_release(a);
    nn_release(az);
}

static void test_errors(void)
{
    nn_tensor *a = mk(NN_F64, 2, SA, A), *y = NULL;
    tap_error(ctx, nn_cumsum(ctx, &y, a, 0), NN_ERR_ARGUMENT, "cumsum dims=0 is an ArgumentError", "cumsum",
              "dims = 0", NULL);
    tap_ok(y == NULL, "no result on error");
    tap_error(ctx, nn_cumprod(ctx, &y, a, -1), NN_ERR_ARGUMENT, "cumprod dims=-1 too", "cumprod", "dims = -1",
              NULL);
    nn_release(a);
}

int main(void)
{
    ctx = nn_ctx_new();
    test_values();
    test_gradients();
    test_errors();
    tap_ok(nn_ctx_bytes_live(ctx) == 0, "no tensor memory left live (%zu bytes)", nn_ctx_bytes_live(ctx));
    nn_ctx_free(ctx);
    return tap_done();
}
