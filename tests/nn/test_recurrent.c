/* test_recurrent.c — the fused LSTM gates (nn_lstm_gates): values against
 * PyTorch in Float32 and Float64, vectors and extra batch dims, dtype
 * promotion, gradients of h, c_new and both by finite differences, no graph
 * for untracked inputs, empty inputs and the errors.
 */
#include "tap.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static nn_ctx *ctx;

/* g (8, 3): H = 2, batch 3, rows i, f, g, o of 2 each; c (2, 3); column-major.  Expected values from
 * PyTorch 1.13 in Float64:
 *   g = torch.tensor(G, dtype=torch.float64).reshape(3, 8).T
 *   c = torch.tensor(C, dtype=torch.float64).reshape(3, 2).T
 *   i, f, n, o = g[0:2], g[2:4], g[4:6], g[6:8]
 *   cn = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(n)
 *   h = torch.sigmoid(o) * torch.tanh(cn)      # printed column-major: h.T.reshape(-1) */
static const double G[24] = {0.5, -1.25, 2.0, 0.3,  -0.7,  1.5, -2.25, 0.8,   1.1,  0.4,  -0.6, -1.9,
                             2.4, -0.2,  0.9, -1.3, -0.35, 3.0, 0.05,  -0.45, -1.6, 0.65, 1.75, -2.8};
static const double C[6] = {0.25, -1.5, 1.2, 0.6, -0.8, 2.2};
static const double WH[6] = {-0.014754560872214087, -0.39909600332304174, 0.5844630018285097,
                             -0.008583648717472813, -0.5614154913753352,  0.05076630956207326};
static const double WC[6] = {-0.1559950928498305, -0.660087133473291,  1.1632244351335683,
                             -0.040101084011595,  -0.7909994956436799, 1.4011517040858523};
static const int64_t SG[2] = {8, 3}, SC[2] = {2, 3};
static const double Z[24]; /* zeros, for tensors whose values do not matter */

static nn_tensor *mk(nn_dtype t, int ndim, const int64_t *shape, const double *d)
{
    return tap_tensor(ctx, t, ndim, shape, d);
}

static void check_pair(const char *name, nn_status s, nn_tensor **hp, nn_tensor **cp, nn_dtype t, int ndim,
                       const int64_t *shape, const double *wh, const double *wc, int64_t n, double tol)
{
    if (!tap_okst(ctx, s, name)) return;
    nn_tensor *h = *hp, *c = *cp;
    bool shaped = h->dtype == t && c->dtype == t && h->ndim == ndim && c->ndim == ndim &&
                  !memcmp(h->shape, shape, (size_t)ndim * sizeof *shape) && nn_same_shape(h, c);
    tap_ok(shaped, "%s: shape and dtype %s", name, nn_dtype_name(t));
    if (shaped) {
        char what[96];
        snprintf(what, sizeof what, "%s: h", name);
        tap_tensor_close(h, wh, n, tol, tol, what);
        snprintf(what, sizeof what, "%s: c_new", name);
        tap_tensor_close(c, wc, n, tol, tol, what);
    }
    nn_release(h);
    nn_release(c);
}

static void test_values(void)
{
    for (int k = 0; k < 2; k++) {
        nn_dtype dt = k ? NN_F64 : NN_F32;
        double tol = k ? 1e-14 : 1e-6;
        nn_tensor *g = mk(dt, 2, SG, G), *c = mk(dt, 2, SC, C), *h, *cn;
        char name[64];
        snprintf(name, sizeof name, "gates %s", nn_dtype_name(dt));
        check_pair(name, nn_lstm_gates(ctx, &h, &cn, g, c), &h, &cn, dt, 2, SC, WH, WC, 6, tol);
        nn_release(g);
        nn_release(c);
    }
    /* one column as vectors, and the batch split over two dims */
    int64_t sg1 = 8, sc1 = 2, sg3[3] = {8, 1, 3}, sc3[3] = {2, 1, 3};
    nn_tensor *g = mk(NN_F64, 1, &sg1, G + 8), *c = mk(NN_F64, 1, &sc1, C + 2), *h, *cn;
    check_pair("vectors", nn_lstm_gates(ctx, &h, &cn, g, c), &h, &cn, NN_F64, 1, &sc1, WH + 2, WC + 2, 2,
               1e-14);
    nn_release(g);
    nn_release(c);
    g = mk(NN_F64, 3, sg3, G);
    c = mk(NN_F64, 3, sc3, C);
    check_pair("(4H, 1, 3)", nn_lstm_gates(ctx, &h, &cn, g, c), &h, &cn, NN_F64, 3, sc3, WH, WC, 6, 1e-14);
    nn_release(g);
    nn_release(c);
    /* Float32 gates with a Float64 memory compute in Float64; integers in Float32 */
    g = mk(NN_F32, 2, SG, G);
    c = mk(NN_F64, 2, SC, C);
    check_pair("Float32 gates, Float64 memory", nn_lstm_gates(ctx, &h, &cn, g, c), &h, &cn, NN_F64, 2, SC, WH,
               WC, 6, 1e-6);
    nn_release(g);
    nn_release(c);
    double gi[8] = {1, 0, -1, 2, 0, 1, -2, 1}, ci[2] = {1, -1};
    double whi[2], wci[2];
    for (int k = 0; k < 2; k++) { /* by hand: σ(i) tanh(g) + σ(f) c, then σ(o) tanh(c_new) */
        double si = 1 / (1 + exp(-gi[k])), sf = 1 / (1 + exp(-gi[2 + k])), so = 1 / (1 + exp(-gi[6 + k]));
        wci[k] = sf * ci[k] + si * tanh(gi[4 + k]);
        whi[k] = so * tanh(wci[k]);
    }
    g = mk(NN_I64, 1, &sg1, gi);
    c = mk(NN_I32, 1, &sc1, ci);
    check_pair("integers compute in Float32", nn_lstm_gates(ctx, &h, &cn, g, c), &h, &cn, NN_F32, 1, &sc1,
               whi, wci, 2, 1e-6);
    nn_release(g);
    nn_release(c);
    /* saturated gates stay finite */
    double gs[8] = {200, -200, 200, -200, 200, -200, 200, -200}, cs[2] = {3, -3};
    g = mk(NN_F32, 1, &sg1, gs);
    c = mk(NN_F32, 1, &sc1, cs);
    double whs[2] = {tanh(4.0), 0}, wcs[2] = {4, 0};
    check_pair("saturated gates", nn_lstm_gates(ctx, &h, &cn, g, c), &h, &cn, NN_F32, 1, &sc1, whs, wcs, 2,
               1e-6);
    nn_release(g);
    nn_release(c);
    /* empty batch and H = 0 */
    int64_t sg0[2] = {8, 0}, sc0[2] = {2, 0}, sgh[2] = {0, 3}, sch[2] = {0, 3};
    g = mk(NN_F32, 2, sg0, NULL);
    c = mk(NN_F32, 2, sc0, NULL);
    check_pair("an empty batch", nn_lstm_gates(ctx, &h, &cn, g, c), &h, &cn, NN_F32, 2, sc0, NULL, NULL, 0,
               0);
    nn_release(g);
    nn_release(c);
    g = mk(NN_F32, 2, sgh, NULL);
    c = mk(NN_F32, 2, sch, NULL);
    check_pair("H = 0", nn_lstm_gates(ctx, &h, &cn, g, c), &h, &cn, NN_F32, 2, sch, NULL, NULL, 0, 0);
    nn_release(g);
    nn_release(c);
}

/* ud: which result — 0 h, 1 c_new, 2 h .* c_new (both paths at once) */
static nn_status f_gates(nn_ctx *cx, nn_tensor *const *in, nn_tensor **out, void *ud)
{
    int which = *(const int *)ud;
    nn_tensor *h, *cn;
    NN_TRY(nn_lstm_gates(cx, &h, &cn, in[0], in[1]));
    nn_status s = NN_OK;
    if (which == 0)
        *out = nn_retain(h);
    else if (which == 1)
        *out = nn_retain(cn);
    else
        s = nn_binary(cx, out, NN_MUL, h, cn);
    nn_release(h);
    nn_release(cn);
    return s;
}

static void test_gradients(void)
{
    nn_tensor *in[2] = {mk(NN_F64, 2, SG, G), mk(NN_F64, 2, SC, C)};
    static const int which[3] = {0, 1, 2};
    tap_gradcheck(ctx, f_gates, 2, in, (void *)&which[0], 1e-6, "gradient of h in g and c");
    tap_gradcheck(ctx, f_gates, 2, in, (void *)&which[1], 1e-6, "gradient of c_new in g and c");
    tap_gradcheck(ctx, f_gates, 2, in, (void *)&which[2], 1e-6, "gradient of h .* c_new in g and c");

    /* only c tracked: g gets no gradient and c the right one */
    nn_set_requires_grad(in[1], true);
    nn_tensor *h, *cn, *loss;
    nn_status s = nn_lstm_gates(ctx, &h, &cn, in[0], in[1]);
    if (tap_okst(ctx, s, "gates with only c tracked")) {
        tap_ok(nn_is_tracked(h) && nn_is_tracked(cn), "both results are tracked");
        s = nn_reduce(ctx, &loss, NN_SUM, cn, 0, NULL);
        if (!s) s = nn_backward(ctx, loss);
        /* d sum(c_new) / dc = σ(f) */
        double want[6];
        for (int k = 0; k < 6; k++)
            want[k] = 1 / (1 + exp(-G[(k / 2) * 8 + 2 + k % 2]));
        if (tap_okst(ctx, s, "backward from sum(c_new)"))
            tap_tensor_close(nn_grad(in[1]), want, 6, 1e-14, 1e-14, "dc = σ(f)");
        tap_ok(nn_grad(in[0]) == NULL, "g, untracked, has no gradient");
        nn_release(loss);
        nn_release(h);
        nn_release(cn);
    }
    nn_set_requires_grad(in[1], false);
    s = nn_lstm_gates(ctx, &h, &cn, in[0], in[1]);
    if (tap_okst(ctx, s, "untracked gates")) {
        tap_ok(!nn_is_tracked(h) && !nn_is_tracked(cn), "untracked inputs record nothing");
        nn_release(h);
        nn_release(cn);
    }
    nn_release(in[0]);
    nn_release(in[1]);
}

static void test_errors(void)
{
    int64_t s7[2] = {7, 3}, s24[2] = {2, 4}, s1 = 8, s83[3] = {8, 3, 1};
    nn_tensor *g = mk(NN_F32, 2, SG, G), *c = mk(NN_F32, 2, SC, C), *g7 = mk(NN_F32, 2, s7, Z),
              *c24 = mk(NN_F32, 2, s24, Z), *gv = mk(NN_F32, 1, &s1, Z), *g3 = mk(NN_F32, 3, s83, Z);
    nn_tensor *h = NULL, *cn = NULL;
    tap_error(ctx, nn_lstm_gates(ctx, &h, &cn, g7, c), NN_ERR_DIMENSION, "gates of 7 rows for H = 2",
              "lstm_gates", "(4H, batch...)", "gates (7, 3), memory (2, 3)", NULL);
    tap_ok(h == NULL && cn == NULL, "no results on error");
    tap_error(ctx, nn_lstm_gates(ctx, &h, &cn, g, c24), NN_ERR_DIMENSION, "batch 3 against 4", "gates (8, 3)",
              "memory (2, 4)", NULL);
    tap_error(ctx, nn_lstm_gates(ctx, &h, &cn, gv, c), NN_ERR_DIMENSION, "a vector against a matrix",
              "gates (8,)", NULL);
    tap_error(ctx, nn_lstm_gates(ctx, &h, &cn, g3, c), NN_ERR_DIMENSION, "3 dims against 2",
              "gates (8, 3, 1)", NULL);
    nn_release(g);
    nn_release(c);
    nn_release(g7);
    nn_release(c24);
    nn_release(gv);
    nn_release(g3);
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
