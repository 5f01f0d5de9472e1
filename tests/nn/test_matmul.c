/* test_matmul.c — matmul with every transpose, matrix-vector, batched_mul,
 * the fused dense layer, their gradients, errors and interrupts.
 */
#include "tap.h"

#include <math.h>
#include <stdio.h>

static nn_ctx *ctx;

/* Deterministic, uneven test data. */
static nn_tensor *data(nn_dtype t, int ndim, const int64_t *shape, double seed)
{
    nn_tensor *x;
    nn_empty(ctx, &x, t, ndim, shape);
    for (int64_t i = 0; i < x->numel; i++)
        nn_set(x, i, sin(seed + 0.7 * (double)i) * 1.5);
    return x;
}

/* Naive column-major op(A) op(B) for checking. */
static double naive(const nn_tensor *a, const nn_tensor *b, bool ta, bool tb, int64_t i, int64_t j, int64_t k,
                    int64_t p)
{
    int64_t ar = a->shape[0], ac = a->ndim > 1 ? a->shape[1] : 1, br = b->shape[0],
            bc = b->ndim > 1 ? b->shape[1] : 1;
    int64_t ab = a->ndim > 2 && a->shape[2] > 1 ? p * ar * ac : 0,
            bb = b->ndim > 2 && b->shape[2] > 1 ? p * br * bc : 0;
    double s = 0;
    for (int64_t l = 0; l < k; l++)
        s += nn_get(a, ab + (ta ? l + i * ar : i + l * ar)) * nn_get(b, bb + (tb ? j + l * br : l + j * br));
    return s;
}

static void test_values(void)
{
    /* hand-worked: [1 3 5; 2 4 6] * [1 4; 2 5; 3 6] = [22 49; 28 64] */
    int64_t sa[2] = {2, 3}, sb[2] = {3, 2};
    double da[6] = {1, 2, 3, 4, 5, 6}, db[6] = {1, 2, 3, 4, 5, 6};
    nn_tensor *a = tap_tensor(ctx, NN_F32, 2, sa, da), *b = tap_tensor(ctx, NN_F32, 2, sb, db), *c;
    tap_okst(ctx, nn_matmul(ctx, &c, a, b, false, false), "matmul (2,3) x (3,2)");
    double want[4] = {22, 28, 49, 64};
    tap_ok(c->ndim == 2 && c->shape[0] == 2 && c->shape[1] == 2 && c->dtype == NN_F32,
           "result is a 2x2 Float32");
    tap_tensor_close(c, want, 4, 0, 0, "hand-worked product");
    nn_release(c);

    /* every transpose combination against the naive loop, both float types */
    for (int t = 0; t < 2; t++) {
        nn_dtype dt = t ? NN_F64 : NN_F32;
        for (int f = 0; f < 4; f++) {
            bool ta = f & 1, tb = f & 2;
            int64_t m = 5, k = 7, n = 3;
            int64_t sha[2] = {ta ? k : m, ta ? m : k}, shb[2] = {tb ? n : k, tb ? k : n};
            nn_tensor *A = data(dt, 2, sha, 0.3), *B = data(dt, 2, shb, 1.1), *C;
            nn_matmul(ctx, &C, A, B, ta, tb);
            double worst = 0;
            for (int64_t j = 0; j < n; j++)
                for (int64_t i = 0; i < m; i++)
                    worst = fmax(worst, fabs(nn_get(C, i + j * m) - naive(A, B, ta, tb, i, j, k, 0)));
            tap_ok(C->shape[0] == m && C->shape[1] == n && worst < (t ? 1e-12 : 1e-5),
                   "%s matmul ta=%d tb=%d matches the naive loop (max err %.2g)", nn_dtype_name(dt), ta, tb,
                   worst);
            nn_release(A);
            nn_release(B);
            nn_release(C);
        }
    }

    /* matrix * vector is a vector; Int inputs compute in Float32 */
    int64_t sv = 3;
    double dv[3] = {1, 0, -1};
    nn_tensor *v = tap_tensor(ctx, NN_I64, 1, &sv, dv), *mv;
    tap_okst(ctx, nn_matmul(ctx, &mv, a, v, false, false), "matrix * Int vector");
    double wmv[2] = {-4, -4};
    tap_ok(mv->ndim == 1 && mv->shape[0] == 2 && mv->dtype == NN_F32, "gives a (2,) Float32 vector");
    tap_tensor_close(mv, wmv, 2, 0, 0, "its values");
    nn_release(mv);
    nn_release(v);
    nn_release(a);
    nn_release(b);
}

static void test_errors(void)
{
    int64_t sa[2] = {3, 4}, sb[2] = {5, 2}, s3[3] = {2, 2, 2};
    nn_tensor *a, *b, *c, *t3;
    nn_zeros(ctx, &a, NN_F32, 2, sa);
    nn_zeros(ctx, &b, NN_F32, 2, sb);
    nn_zeros(ctx, &t3, NN_F32, 3, s3);
    tap_error(ctx, nn_matmul(ctx, &c, a, b, false, false), NN_ERR_DIMENSION, "inner dimensions must agree",
              "matmul: A has size (3, 4), B has size (5, 2)", NULL);
    tap_ok(c == NULL, "no result on error");
    tap_error(ctx, nn_matmul(ctx, &c, a, b, true, false), NN_ERR_DIMENSION, "after transposes too",
              "after transposes", NULL);
    tap_error(ctx, nn_matmul(ctx, &c, t3, t3, false, false), NN_ERR_DIMENSION,
              "3-d matmul points to batched_mul", "batched_mul", NULL);
    tap_error(ctx, nn_batched_mul(ctx, &c, a, a, false, false), NN_ERR_DIMENSION, "batched_mul needs 3-d",
              "batched_mul", "(3, 4)", NULL);
    int64_t sw[2] = {3, 4}, sx[2] = {5, 2}, sbias = 2;
    nn_tensor *w, *x, *bias;
    nn_zeros(ctx, &w, NN_F32, 2, sw);
    nn_zeros(ctx, &x, NN_F32, 2, sx);
    nn_zeros(ctx, &bias, NN_F32, 1, &sbias);
    tap_error(ctx, nn_dense(ctx, &c, w, x, NULL, NN_TANH), NN_ERR_DIMENSION, "dense checks the input size",
              "dense: weight has size (3, 4), input has size (5, 2)", NULL);
    tap_error(ctx, nn_dense(ctx, &c, w, a, bias, NN_TANH), NN_ERR_DIMENSION, "dense checks the bias size",
              "bias has size (2,)", NULL);
    nn_release(w);
    nn_release(x);
    nn_release(bias);
    nn_release(a);
    nn_release(b);
    nn_release(t3);
}

static void test_batched(void)
{
    int64_t sa[3] = {3, 4, 5}, sb[3] = {4, 2, 5}, sb1[3] = {4, 2, 1};
    nn_tensor *a = data(NN_F64, 3, sa, 0.1), *b = data(NN_F64, 3, sb, 0.9), *b1 = data(NN_F64, 3, sb1, 2.0),
              *c;
    tap_okst(ctx, nn_batched_mul(ctx, &c, a, b, false, false), "batched_mul (3,4,5) x (4,2,5)");
    double worst = 0;
    for (int64_t p = 0; p < 5; p++)
        for (int64_t j = 0; j < 2; j++)
            for (int64_t i = 0; i < 3; i++)
                worst =
                    fmax(worst, fabs(nn_get(c, i + 3 * j + 6 * p) - naive(a, b, false, false, i, j, 4, p)));
    tap_ok(c->ndim == 3 && c->shape[2] == 5 && worst < 1e-12, "every batch matches the naive loop");
    nn_release(c);
    nn_batched_mul(ctx, &c, a, b1, false, false);
    worst = 0;
    for (int64_t p = 0; p < 5; p++)
        for (int64_t j = 0; j < 2; j++)
            for (int64_t i = 0; i < 3; i++)
                worst =
                    fmax(worst, fabs(nn_get(c, i + 3 * j + 6 * p) - naive(a, b1, false, false, i, j, 4, p)));
    tap_ok(c->shape[2] == 5 && worst < 1e-12, "a batch of 1 broadcasts");
    nn_release(c);
    nn_release(a);
    nn_release(b);
    nn_release(b1);
}

typedef struct {
    bool ta, tb, batched;
    nn_unary_op act;
    int bias;
} mm_case;

static nn_status f_mm(nn_ctx *c, nn_tensor *const *in, nn_tensor **out, void *ud)
{
    const mm_case *k = ud;
    return k->batched ? nn_batched_mul(c, out, in[0], in[1], k->ta, k->tb)
                      : nn_matmul(c, out, in[0], in[1], k->ta, k->tb);
}

static nn_status f_dense(nn_ctx *c, nn_tensor *const *in, nn_tensor **out, void *ud)
{
    const mm_case *k = ud;
    return nn_dense(c, out, in[0], in[1], k->bias ? in[2] : NULL, k->act);
}

static void test_gradients(void)
{
    char name[96];
    for (int f = 0; f < 4; f++) {
        mm_case k = {f & 1, f & 2, false, NN_IDENTITY, 0};
        int64_t sha[2] = {k.ta ? 4 : 3, k.ta ? 3 : 4}, shb[2] = {k.tb ? 2 : 4, k.tb ? 4 : 2};
        nn_tensor *in[2] = {data(NN_F64, 2, sha, 0.2), data(NN_F64, 2, shb, 1.3)};
        snprintf(name, sizeof name, "matmul ta=%d tb=%d", k.ta, k.tb);
        tap_gradcheck(ctx, f_mm, 2, in, &k, 1e-6, name);
        nn_release(in[0]);
        nn_release(in[1]);
    }
    {
        mm_case k = {false, false, false, NN_IDENTITY, 0};
        int64_t sa[2] = {3, 4}, sv = 4;
        nn_tensor *in[2] = {data(NN_F64, 2, sa, 0.4), data(NN_F64, 1, &sv, 0.8)};
        tap_gradcheck(ctx, f_mm, 2, in, &k, 1e-6, "matrix * vector");
        nn_release(in[0]);
        nn_release(in[1]);
    }
    for (int f = 0; f < 3; f++) {
        mm_case k = {f == 1, f == 1, true, NN_IDENTITY, 0};
        int64_t sa[3] = {3, 4, 2}, sb[3] = {4, 2, f == 2 ? 1 : 2};
        if (k.ta) {
            sa[0] = 4;
            sa[1] = 3;
        }
        if (k.tb) {
            sb[0] = 2;
            sb[1] = 4;
        }
        nn_tensor *in[2] = {data(NN_F64, 3, sa, 0.5), data(NN_F64, 3, sb, 1.7)};
        snprintf(name, sizeof name, "batched_mul%s",
                 f == 1   ? " with transposes"
                 : f == 2 ? " with a broadcast batch"
                          : "");
        tap_gradcheck(ctx, f_mm, 2, in, &k, 1e-6, name);
        nn_release(in[0]);
        nn_release(in[1]);
    }
    nn_unary_op acts[] = {NN_IDENTITY, NN_TANH, NN_SIGMOID, NN_RELU, NN_GELU, NN_SWISH, NN_SOFTPLUS, NN_ELU};
    for (size_t a = 0; a < sizeof acts / sizeof *acts; a++)
        for (int bias = 0; bias < 2; bias++) {
            mm_case k = {false, false, false, acts[a], bias};
            int64_t sw[2] = {3, 4}, sx[2] = {4, 5}, sb = 3;
            nn_tensor *in[3] = {data(NN_F64, 2, sw, 0.6), data(NN_F64, 2, sx, 1.9),
                                data(NN_F64, 1, &sb, 0.05)};
            snprintf(name, sizeof name, "dense %s %s bias", nn_unary_name(acts[a]),
                     bias ? "with" : "without");
            tap_gradcheck(ctx, f_dense, bias ? 3 : 2, in, &k, 1e-6, name);
            for (int i = 0; i < 3; i++)
                nn_release(in[i]);
        }
    {
        mm_case k = {false, false, false, NN_TANH, 1};
        int64_t sw[2] = {3, 4}, sx = 4, sb = 3;
        nn_tensor *in[3] = {data(NN_F64, 2, sw, 0.6), data(NN_F64, 1, &sx, 1.9), data(NN_F64, 1, &sb, 0.05)};
        tap_gradcheck(ctx, f_dense, 3, in, &k, 1e-6, "dense on a single (in,) sample");
        for (int i = 0; i < 3; i++)
            nn_release(in[i]);
    }
}

static void test_dense_matches_composition(void)
{
    int64_t sw[2] = {16, 9}, sx[2] = {9, 7}, sb = 16;
    nn_tensor *w = data(NN_F32, 2, sw, 0.1), *x = data(NN_F32, 2, sx, 0.2), *b = data(NN_F32, 1, &sb, 0.3);
    nn_tensor *y, *wx, *z, *t;
    tap_okst(ctx, nn_dense(ctx, &y, w, x, b, NN_TANH), "dense tanh");
    nn_matmul(ctx, &wx, w, x, false, false);
    nn_binary(ctx, &z, NN_ADD, wx, b);
    nn_unary(ctx, &t, NN_TANH, z);
    double worst = 0;
    for (int64_t i = 0; i < y->numel; i++)
        worst = fmax(worst, fabs(nn_get(y, i) - nn_get(t, i)));
    tap_ok(y->shape[0] == 16 && y->shape[1] == 7 && worst < 1e-6,
           "dense equals tanh.(W*x .+ b) (max err %.2g)", worst);
    nn_release(y);
    nn_release(wx);
    nn_release(z);
    nn_release(t);
    nn_release(w);
    nn_release(x);
    nn_release(b);
}

static void test_interrupt(void)
{
    int64_t s[2] = {512, 512};
    nn_tensor *a, *c;
    nn_ones(ctx, &a, NN_F32, 2, s);
    nn_ctx_interrupt(ctx);
    tap_error(ctx, nn_matmul(ctx, &c, a, a, false, false), NN_ERR_INTERRUPTED,
              "a large product sees the interrupt flag between blocks", "interrupted", NULL);
    tap_ok(c == NULL, "and returns no result");
    nn_ctx_clear_interrupt(ctx);
    tap_okst(ctx, nn_matmul(ctx, &c, a, a, false, false), "after clearing the flag it runs");
    tap_close(nn_get(c, 12345), 512.0, 0, "and gives the right value");
    nn_release(c);
    nn_release(a);
}

int main(void)
{
    ctx = nn_ctx_new();
    test_values();
    test_errors();
    test_batched();
    test_gradients();
    test_dense_matches_composition();
    test_interrupt();
    nn_ctx_free(ctx);
    return tap_done();
}
