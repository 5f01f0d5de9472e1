/* test_alloc.c — a warm training step allocates from the pools, not from the
 * C heap: malloc-family calls per step do not grow with the number of ops,
 * and no tensor memory is requested from the system at all.  (malloc and
 * friends are wrapped at link time for this test only.)
 */
#include "tap.h"

#include <stdlib.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t k);
void *__real_realloc(void *p, size_t n);
int __real_posix_memalign(void **p, size_t a, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t k);
void *__wrap_realloc(void *p, size_t n);
int __wrap_posix_memalign(void **p, size_t a, size_t n);

static int counting, heap_calls, aligned_calls;
void *__wrap_malloc(size_t n)
{
    heap_calls += counting;
    return __real_malloc(n);
}
void *__wrap_calloc(size_t n, size_t k)
{
    heap_calls += counting;
    return __real_calloc(n, k);
}
void *__wrap_realloc(void *p, size_t n)
{
    heap_calls += counting;
    return __real_realloc(p, n);
}
int __wrap_posix_memalign(void **p, size_t a, size_t n)
{
    aligned_calls += counting;
    return __real_posix_memalign(p, a, n);
}

static nn_ctx *ctx;

/* `layers` tanh Dense layers of width 16 on a (16, 32) batch, a cross-entropy,
 * backward, and a plain SGD update: one training step. */
static nn_status step(nn_tensor **w, nn_tensor **b, int layers, nn_tensor *x, nn_tensor *y)
{
    nn_tensor *h = nn_retain(x), *next, *loss;
    for (int l = 0; l < layers; l++) {
        nn_status s = nn_dense(ctx, &next, w[l], h, b[l], NN_TANH);
        nn_release(h);
        NN_TRY(s);
        h = next;
    }
    nn_status s = nn_logitcrossentropy(ctx, &loss, h, y);
    nn_release(h);
    NN_TRY(s);
    s = nn_backward(ctx, loss);
    nn_release(loss);
    for (int l = 0; l < layers && !s; l++) {
        float *W = nn_data(w[l]);
        const float *G = nn_data(nn_grad(w[l]));
        for (int64_t i = 0; i < w[l]->numel; i++)
            W[i] -= 0.01f * G[i];
        nn_bump_version(w[l]);
        nn_zero_grad(w[l]);
        nn_zero_grad(b[l]);
    }
    return s;
}

int main(void)
{
    ctx = nn_ctx_new();
    nn_rng rng;
    nn_rng_seed(&rng, 3);
    enum { L = 20 };
    nn_tensor *w[L], *b[L], *x, *y;
    int64_t sw[2] = {16, 16}, sb = 16, sx[2] = {16, 32};
    for (int l = 0; l < L; l++) {
        nn_init(ctx, &w[l], &rng, NN_INIT_GLOROT_UNIFORM, NULL, NN_F32, 2, sw);
        nn_zeros(ctx, &b[l], NN_F32, 1, &sb);
        nn_set_requires_grad(w[l], true);
        nn_set_requires_grad(b[l], true);
    }
    nn_randn(ctx, &x, &rng, NN_F32, 2, sx);
    nn_rand(ctx, &y, &rng, NN_F32, 2, sx);
    int calls[2];
    for (int k = 0; k < 2; k++) {
        int layers = k ? L : L / 2;
        for (int warm = 0; warm < 3; warm++)
            step(w, b, layers, x, y);
        heap_calls = aligned_calls = 0;
        counting = 1;
        nn_status s = step(w, b, layers, x, y);
        counting = 0;
        tap_okst(ctx, s, layers == L ? "a warm step of 20 layers" : "a warm step of 10 layers");
        tap_ok(aligned_calls == 0, "%d layers: no tensor memory from the system (%d requests)", layers,
               aligned_calls);
        calls[k] = heap_calls;
    }
    tap_ok(calls[1] == calls[0] && calls[0] <= 4,
           "heap calls per step do not grow with the ops (%d for 10 layers, %d for 20)", calls[0], calls[1]);
    for (int l = 0; l < L; l++) {
        nn_release(w[l]);
        nn_release(b[l]);
    }
    nn_release(x);
    nn_release(y);
    nn_ctx_free(ctx);
    return tap_done();
}
