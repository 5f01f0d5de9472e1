/* mlp.c — see mlp.h. */
#include "mlp.h"

#include <math.h>
#include <string.h>

#define PI 3.14159265358979323846

nn_status spirals(nn_ctx *ctx, nn_rng *rng, int n, nn_tensor **x, nn_tensor **y, nn_tensor **labels)
{
    int64_t sx[2] = {2, 2 * (int64_t)n}, sl = 2 * (int64_t)n;
    *x = *y = *labels = NULL;
    nn_status s = nn_empty(ctx, x, NN_F32, 2, sx);
    if (!s) s = nn_zeros(ctx, y, NN_F32, 2, sx);
    if (!s) s = nn_empty(ctx, labels, NN_I64, 1, &sl);
    if (s) return s;
    float *X = nn_data(*x), *Y = nn_data(*y);
    int64_t *L = nn_data(*labels);
    for (int c = 0; c < 2; c++)
        for (int i = 0; i < n; i++) {
            int64_t j = (int64_t)c * n + i;
            double r = 0.05 + 0.95 * i / n, theta = 5.0 * PI * r + c * PI; /* 2.5 turns each */
            X[2 * j] = (float)(2 * r * cos(theta) + 0.05 * nn_rng_normal(rng));
            X[2 * j + 1] = (float)(2 * r * sin(theta) + 0.05 * nn_rng_normal(rng));
            Y[2 * j + c] = 1.0f;
            L[j] = c + 1;
        }
    return NN_OK;
}

/* Lux's Dense default: kaiming_uniform with gain = calculate_gain(act, √5)
 * (5/3 for tanh, 1 for identity), bias U(±1/√in). */
static nn_status dense_params(nn_ctx *ctx, nn_rng *rng, int in, int out, double gain, nn_tensor **w,
                              nn_tensor **b)
{
    int64_t sw[2] = {out, in}, sb = out;
    nn_init_opts o;
    nn_init_defaults(NN_INIT_KAIMING_UNIFORM, &o);
    o.gain = gain;
    NN_TRY(nn_init(ctx, w, rng, NN_INIT_KAIMING_UNIFORM, &o, NN_F32, 2, sw));
    NN_TRY(nn_rand(ctx, b, rng, NN_F32, 1, &sb));
    float *B = nn_data(*b), bound = (float)(1.0 / sqrt(in));
    for (int i = 0; i < out; i++)
        B[i] = (B[i] - 0.5f) * 2 * bound;
    nn_set_requires_grad(*w, true);
    nn_set_requires_grad(*b, true);
    return NN_OK;
}

nn_status mlp_init(nn_ctx *ctx, mlp *m, nn_rng *rng, int in, int hidden, int out)
{
    memset(m, 0, sizeof *m);
    int dims[MLP_LAYERS + 1] = {in, hidden, hidden, out};
    for (int l = 0; l < MLP_LAYERS; l++) {
        double gain = l < MLP_LAYERS - 1 ? 5.0 / 3.0 : 1.0;
        NN_TRY(dense_params(ctx, rng, dims[l], dims[l + 1], gain, &m->w[l], &m->b[l]));
        nn_tensor *p[2] = {m->w[l], m->b[l]};
        for (int k = 0; k < 2; k++) {
            NN_TRY(nn_zeros(ctx, &m->m[2 * l + k], NN_F32, p[k]->ndim, p[k]->shape));
            NN_TRY(nn_zeros(ctx, &m->v[2 * l + k], NN_F32, p[k]->ndim, p[k]->shape));
        }
    }
    return NN_OK;
}

nn_status mlp_forward(nn_ctx *ctx, const mlp *m, const nn_tensor *x, const nn_tensor *y, nn_tensor **logits,
                      nn_tensor **loss)
{
    nn_tensor *h = nn_retain((nn_tensor *)x), *next;
    *logits = *loss = NULL;
    for (int l = 0; l < MLP_LAYERS; l++) {
        nn_status s = nn_dense(ctx, &next, m->w[l], h, m->b[l], l < MLP_LAYERS - 1 ? NN_TANH : NN_IDENTITY);
        nn_release(h);
        if (s) return s;
        h = next;
    }
    *logits = h;
    return nn_logitcrossentropy(ctx, loss, h, y);
}

nn_status mlp_adam_step(nn_ctx *ctx, mlp *m, double lr)
{
    const double b1 = 0.9, b2 = 0.999, eps = 1e-8; /* Optimisers.Adam defaults */
    m->t++;
    double c1 = 1 - pow(b1, m->t), c2 = 1 - pow(b2, m->t);
    for (int l = 0; l < MLP_LAYERS; l++) {
        nn_tensor *p[2] = {m->w[l], m->b[l]};
        for (int k = 0; k < 2; k++) {
            nn_tensor *g = nn_grad(p[k]);
            if (!g) return nn_error(ctx, NN_ERR_STATE, "adam: layer %d has no gradient", l + 1);
            float *P = nn_data(p[k]), *M = nn_data(m->m[2 * l + k]), *V = nn_data(m->v[2 * l + k]);
            const float *G = nn_data(g);
            for (int64_t i = 0; i < p[k]->numel; i++) {
                M[i] = (float)(b1 * M[i] + (1 - b1) * G[i]);
                V[i] = (float)(b2 * V[i] + (1 - b2) * G[i] * G[i]);
                P[i] -= (float)(lr * (M[i] / c1) / (sqrt(V[i] / c2) + eps));
            }
            nn_bump_version(p[k]);
            nn_zero_grad(p[k]);
        }
    }
    return NN_OK;
}

nn_status mlp_accuracy(nn_ctx *ctx, const nn_tensor *logits, const nn_tensor *labels, double *acc)
{
    nn_tensor *pred;
    NN_TRY(nn_argmax(ctx, &pred, logits, 1)); /* (1, batch) */
    int64_t hits = 0;
    for (int64_t j = 0; j < labels->numel; j++)
        hits += nn_get(pred, j) == nn_get(labels, j);
    *acc = (double)hits / (double)labels->numel;
    nn_release(pred);
    return NN_OK;
}

void mlp_free(mlp *m)
{
    for (int l = 0; l < MLP_LAYERS; l++) {
        nn_release(m->w[l]);
        nn_release(m->b[l]);
    }
    for (int k = 0; k < 2 * MLP_LAYERS; k++) {
        nn_release(m->m[k]);
        nn_release(m->v[k]);
    }
    memset(m, 0, sizeof *m);
}
