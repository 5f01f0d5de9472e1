/* losses.c — what the losses written in lx (stdlib/train/losses.lx) take
 * from C: the size check every loss call makes, and the fused logit
 * cross-entropy of CrossEntropyLoss(logits = true) and logitcrossentropy
 * with dims = 1 and a mean or sum, one nn node forward and backward
 * (nn_logitcrossentropy) instead of a logsoftmax, a product, two sums and
 * their backwards.
 */
#include "tensor.h"

#define SHAPE_BUF 160

/* __logitcrossentropy(ŷ, y): the mean over columns of -sum(y .* logsoftmax(ŷ; dims = 1); dims = 1),
 * a number (a tracked 0-d tensor under gradient); ŷ and y of one size. */
static lx_Value l_logitcrossentropy(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)n;
    (void)kw;
    lxL_liftcheck(L, "logitcrossentropy");
    nn_tensor *x = lxL_checktensor(L, a, 0, "logitcrossentropy");
    nn_tensor *y = lxL_checktensor(L, a, 1, "logitcrossentropy");
    nn_tensor *out = NULL;
    return lxL_scalar(L, nn_logitcrossentropy(L->nn, &out, x, y), &out);
}

/* __loss_check(ŷ, y): nothing when the sizes match as Julia's size(x, d) sees them (sizes past
 * ndims are 1, so (3,) matches (3, 1)), Lux's DimensionMismatch otherwise.  In C because every
 * loss call makes it, and a training step on a small model feels an interpreted loop here. */
static lx_Value l_check(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)n;
    (void)kw;
    const nn_tensor *x = lxL_checktensor(L, a, 0, "loss"), *y = lxL_checktensor(L, a, 1, "loss");
    int nd = x->ndim > y->ndim ? x->ndim : y->ndim;
    for (int d = 0; d < nd; d++) {
        int64_t sx = d < x->ndim ? x->shape[d] : 1, sy = d < y->ndim ? y->shape[d] : 1;
        if (sx != sy) {
            char bx[SHAPE_BUF], by[SHAPE_BUF];
            lxE_error(L, LXT_DimensionMismatch, "loss function expects size(ŷ) = %s to match size(y) = %s",
                      nn_shape_str(bx, sizeof bx, x->ndim, x->shape),
                      nn_shape_str(by, sizeof by, y->ndim, y->shape));
        }
    }
    return lxO_nothing();
}

static const lxL_Reg losses_lib[] = {
    {"__loss_check", "(x::Tensor, y::Tensor)", l_check, ""},
    {"__logitcrossentropy", "(x::Tensor, y::Tensor)", l_logitcrossentropy, ""},
    {NULL, NULL, NULL, NULL},
};

void lxL_open_losses(lx_State *L)
{
    lxL_register(L, losses_lib);
}
