/* mlp.h — the demo's model on the nn API alone: the two-spirals data set, a
 * 2-layer tanh MLP initialised as Lux's Dense, logit cross-entropy, Adam.
 * Shared by examples/spirals_mlp.c and bench/bench_memory.c.
 */
#ifndef LX_EXAMPLE_MLP_H
#define LX_EXAMPLE_MLP_H

#include "nn.h"

#define MLP_LAYERS 3

typedef struct {
    nn_tensor *w[MLP_LAYERS], *b[MLP_LAYERS];         /* leaves with requires_grad */
    nn_tensor *m[2 * MLP_LAYERS], *v[2 * MLP_LAYERS]; /* Adam moments */
    int t;
} mlp;

/* x (2, 2n) points of two interleaved spirals with noise; y (2, 2n) one-hot;
 * labels (2n,) Int64 class numbers 1 or 2. */
nn_status spirals(nn_ctx *ctx, nn_rng *rng, int n_per_class, nn_tensor **x, nn_tensor **y,
                  nn_tensor **labels);
/* in -> hidden -> hidden -> out; tanh hidden layers, as Lux's Dense(in => out, tanh). */
nn_status mlp_init(nn_ctx *ctx, mlp *m, nn_rng *rng, int in, int hidden, int out);
/* logits (out, batch) and the mean logit cross-entropy against one-hot y. */
nn_status mlp_forward(nn_ctx *ctx, const mlp *m, const nn_tensor *x, const nn_tensor *y, nn_tensor **logits,
                      nn_tensor **loss);
/* One Adam step (Optimisers.jl's defaults but lr) from the leaves' gradients,
 * which it then clears. */
nn_status mlp_adam_step(nn_ctx *ctx, mlp *m, double lr);
/* Fraction of columns whose largest logit is the label. */
nn_status mlp_accuracy(nn_ctx *ctx, const nn_tensor *logits, const nn_tensor *labels, double *acc);
void mlp_free(mlp *m);

#endif
