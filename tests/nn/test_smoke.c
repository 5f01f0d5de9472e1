#include "tap.h"
static nn_status f_tanh(nn_ctx *ctx, nn_tensor *const *in, nn_tensor **out, void *ud) { (void)ud; return nn_unary(ctx, out, NN_TANH, in[0]); }
int main(void) {
    nn_ctx *ctx = nn_ctx_new();
    int64_t sh[2] = {2, 3};
    double d[6] = {1, 2, 3, 4, 5, 6};
    nn_tensor *a = tap_tensor(ctx, NN_F64, 2, sh, d), *y;
    tap_okst(ctx, nn_unary(ctx, &y, NN_TANH, a), "tanh runs");
    nn_release(y);
    tap_gradcheck(ctx, f_tanh, 1, &a, NULL, 1e-6, "tanh");
    nn_release(a);
    nn_ctx_free(ctx);
    return tap_done();
}
