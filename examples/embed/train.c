/* train.c — a C host that extends lx and trains with it: a data generator written in C
 * (`spiral_batch(n)`, two interleaved spirals) and a dense layer written in C (`HostDense`, with its
 * own backward pass) next to lx's own Dense, trained with the Training API.
 * Usage: embed_train [steps]  (default 600)
 */
#include "lx.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* spiral_batch(n::Integer) -> (x, y): 2n points of two spirals, x of size (2, 2n), y one-hot (2, 2n) */
static int spiral_batch(lx_State *L, void *ud)
{
    (void)ud;
    int64_t n = lx_toint(L, 1, NULL);
    if (n < 1 || n > 100000)
        return lx_error(L, "ArgumentError", "spiral_batch: n = %lld, want 1 to 100000", (long long)n);
    int64_t shape[2] = {2, 2 * n};
    lx_pushtensor(L, LX_FLOAT32, 2, shape, NULL);
    lx_pushtensor(L, LX_FLOAT32, 2, shape, NULL);
    lx_Tensor x, y;
    lx_totensor(L, -2, &x);
    lx_totensor(L, -1, &y);
    float *xs = x.data, *ys = y.data;
    for (int64_t i = 0; i < 2 * n; i++) {
        int cls = (int)(i % 2);
        double t = 0.25 + 2.5 * (double)(i / 2) / (double)n; /* angle / pi: 1.25 turns */
        double r = t / 2.75, a = M_PI * t + M_PI * cls;
        xs[2 * i] = (float)(r * cos(a));
        xs[2 * i + 1] = (float)(r * sin(a));
        ys[2 * i + cls] = 1.0f;
    }
    lx_maketuple(L, 2);
    return 1;
}

/* ---- HostDense(in_dims::Integer, out_dims::Integer; act = :identity): y = act.(W x .+ b) ---- */

typedef struct {
    const float *w, *b, *x;
    int64_t in, out, batch;
    int tanh_act;
} dense;

/* The parameters (ps at 3), the input (2) and the activation (a field of the layer at 1). */
static int read_dense(lx_State *L, dense *d)
{
    lx_Tensor w, b, x;
    lx_getfield(L, 3, "weight");
    lx_getfield(L, 3, "bias");
    lx_getfield(L, 1, "act");
    if (!lx_totensor(L, -3, &w) || !lx_totensor(L, -2, &b) || w.dtype != LX_FLOAT32)
        return lx_error(L, "ArgumentError", "HostDense: ps must hold Float32 weight and bias");
    d->w = w.data, d->b = b.data, d->out = w.shape[0], d->in = w.shape[1];
    const char *act = lx_tostring(L, -1, NULL);
    d->tanh_act = act && act[0] == 't';
    if (!lx_totensor(L, 2, &x) || x.dtype != LX_FLOAT32 || x.ndim != 2 || x.shape[0] != d->in)
        return lx_error(L, "DimensionMismatch", "HostDense: x must be a Float32 matrix with %lld rows",
                        (long long)d->in);
    d->x = x.data, d->batch = x.shape[1];
    return 0;
}

/* Pushes y = act.(W x .+ b) and returns its data. */
static float *forward(lx_State *L, const dense *d)
{
    int64_t shape[2] = {d->out, d->batch};
    lx_Tensor y;
    lx_pushtensor(L, LX_FLOAT32, 2, shape, NULL);
    lx_totensor(L, -1, &y);
    float *ys = y.data;
    for (int64_t j = 0; j < d->batch; j++)
        for (int64_t i = 0; i < d->out; i++) {
            float s = d->b[i];
            for (int64_t k = 0; k < d->in; k++)
                s += d->w[i + d->out * k] * d->x[k + d->in * j];
            ys[i + d->out * j] = d->tanh_act ? tanhf(s) : s;
        }
    return ys;
}

/* init (1 layer, 2 rng): weight from lx's glorot_uniform, bias zeros */
static int dense_init(lx_State *L, void *ud)
{
    (void)ud;
    lx_getfield(L, 1, "in_dims");
    lx_getfield(L, 1, "out_dims");
    int64_t in = lx_toint(L, -2, NULL), out = lx_toint(L, -1, NULL);
    lx_getglobal(L, "glorot_uniform");
    lx_pushvalue(L, 2);
    lx_pushint(L, out);
    lx_pushint(L, in);
    if (lx_call(L, 3) != LX_OK) return lx_error(L, NULL, "%s", lx_errmsg(L));
    lx_pushtensor(L, LX_FLOAT32, 1, &out, NULL);
    const char *names[] = {"weight", "bias"};
    lx_makenamedtuple(L, 2, names);
    return 0;
}

/* apply (1 layer, 2 x, 3 ps, 4 st): pushes y */
static int dense_apply(lx_State *L, void *ud)
{
    (void)ud;
    dense d;
    read_dense(L, &d);
    forward(L, &d);
    return 0;
}

/* backward (... 5 dy): with dz = dy .* act'(z): dx = W' dz, dW = dz x', db = sum(dz, dims = 2) */
static int dense_backward(lx_State *L, void *ud)
{
    (void)ud;
    dense d;
    read_dense(L, &d);
    const float *y = forward(L, &d);
    lx_Tensor dy, dx, dw, db;
    int64_t xshape[2] = {d.in, d.batch}, wshape[2] = {d.out, d.in};
    lx_totensor(L, 5, &dy);
    lx_pushtensor(L, LX_FLOAT32, 2, xshape, NULL);
    lx_pushtensor(L, LX_FLOAT32, 2, wshape, NULL);
    lx_pushtensor(L, LX_FLOAT32, 1, &d.out, NULL);
    lx_totensor(L, -3, &dx);
    lx_totensor(L, -2, &dw);
    lx_totensor(L, -1, &db);
    float *gx = dx.data, *gw = dw.data, *gb = db.data;
    for (int64_t j = 0; j < d.batch; j++)
        for (int64_t i = 0; i < d.out; i++) {
            float yij = y[i + d.out * j], g = ((const float *)dy.data)[i + d.out * j];
            if (d.tanh_act) g *= 1 - yij * yij;
            gb[i] += g;
            for (int64_t k = 0; k < d.in; k++) {
                gw[i + d.out * k] += g * d.x[k + d.in * j];
                gx[k + d.in * j] += g * d.w[i + d.out * k];
            }
        }
    const char *names[] = {"weight", "bias"}; /* dx stays below: the results are dx, then dps */
    lx_makenamedtuple(L, 2, names);
    return 0;
}

static const char script[] =
    "x, y = spiral_batch(200)\n"
    "model = Chain(HostDense(2, 32; act = :tanh), HostDense(32, 32; act = :tanh), Dense(32 => 2))\n"
    "display(model); println()\n"
    "ts = Training.TrainState(model, setup(Xoshiro(0), model)..., Adam(0.01f0))\n"
    "lossfn = CrossEntropyLoss(; logits = true)\n"
    "for step in 1:STEPS\n"
    "    _, loss, _, ts = Training.single_train_step!(AutoZygote(), lossfn, (x, y), ts)\n"
    "    (step == 1 || step % 100 == 0) && println(\"step $step: loss $(round(loss; digits = 4))\")\n"
    "end\n"
    "acc = mean(onecold(first(model(x, ts.parameters, ts.states))) .== onecold(y))\n"
    "println(\"training accuracy: $(round(100 * acc; digits = 1))%\")\n";

int main(int argc, char **argv)
{
    lx_State *L = lx_open(NULL);
    if (!L || lx_openlibs(L) != LX_OK) return 1;
    lx_Layer layer = {
        "HostDense",
        "(in_dims::Integer, out_dims::Integer; act::Symbol = :identity)",
        "    HostDense(in_dims, out_dims; act = :identity)\n\nA dense layer in C (act: :identity or :tanh).",
        dense_init,
        NULL,
        dense_apply,
        dense_backward,
        NULL};
    lx_pushint(L, argc > 1 ? atoi(argv[1]) : 600);
    if (lx_register(L, "spiral_batch", "(n::Integer)", spiral_batch, NULL, "Two spirals: (x, y).") != LX_OK ||
        lx_registerlayer(L, &layer) != LX_OK || lx_setglobal(L, "STEPS") != LX_OK ||
        lx_dostring(L, script, sizeof script - 1, "train") != LX_OK) {
        fprintf(stderr, "embed_train: %s\n%s", lx_errmsg(L), lx_traceback(L));
        lx_close(L);
        return 1;
    }
    lx_close(L);
    return 0;
}
