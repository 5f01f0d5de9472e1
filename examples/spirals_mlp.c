/* spirals_mlp.c — `make demo`: a 2-layer MLP learns the two-spirals problem
 * with the nn API alone (until the language lands, then examples/quickstart.lx
 * takes over).  Prints the loss falling and the final accuracy.
 */
#include "mlp.h"

#include <stdio.h>

#define STEPS 2000

static int fail(nn_ctx *ctx, const char *what)
{
    fprintf(stderr, "spirals_mlp: %s: %s: %s\n", what, nn_status_name(nn_ctx_status(ctx)),
            nn_ctx_message(ctx));
    return 1;
}

/* The accuracy the trained parameters reach, after the last update. */
static int report_final(nn_ctx *ctx, const mlp *model, const nn_tensor *x, const nn_tensor *y,
                        const nn_tensor *labels)
{
    nn_tensor *logits, *loss;
    double acc;
    nn_status s = mlp_forward(ctx, model, x, y, &logits, &loss); /* logits may be set when the loss fails */
    if (!s) s = mlp_accuracy(ctx, logits, labels, &acc);
    if (!s)
        printf("final: loss %.5f, training accuracy %.1f%% (%lld points)\n", nn_get(loss, 0), 100 * acc,
               (long long)labels->numel);
    nn_release(logits);
    nn_release(loss);
    return s ? fail(ctx, "final evaluation") : 0;
}

int main(void)
{
    nn_ctx *ctx = nn_ctx_new();
    if (!ctx) return 1;
    nn_rng rng;
    nn_rng_seed(&rng, 42);
    nn_tensor *x, *y, *labels;
    mlp model;
    int rc = 0;
    if (spirals(ctx, &rng, 256, &x, &y, &labels) || mlp_init(ctx, &model, &rng, 2, 32, 2))
        return fail(ctx, "setup");
    printf("two spirals: 512 points; MLP 2 => 32 => 32 => 2 (tanh), Adam(0.01), %d full-batch steps\n",
           STEPS);
    for (int step = 1; step <= STEPS && !rc; step++) {
        nn_tensor *logits, *loss;
        if (mlp_forward(ctx, &model, x, y, &logits, &loss) || nn_backward(ctx, loss) ||
            mlp_adam_step(ctx, &model, 0.01)) {
            rc = fail(ctx, "training");
        } else if (step == 1 || step % 200 == 0) {
            double acc;
            if (mlp_accuracy(ctx, logits, labels, &acc))
                rc = fail(ctx, "accuracy");
            else
                printf("step %5d  loss %.5f  accuracy %5.1f%%\n", step, nn_get(loss, 0), 100 * acc);
        }
        nn_release(logits);
        nn_release(loss);
    }
    if (!rc) rc = report_final(ctx, &model, x, y, labels);
    mlp_free(&model);
    nn_release(x);
    nn_release(y);
    nn_release(labels);
    nn_ctx_free(ctx);
    return rc;
}
