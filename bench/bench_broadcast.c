/* bench_broadcast.c — z = x .* y .+ 1f0 on 10^7 Float32 as two nn ops
 * against a plain C loop doing the same arithmetic into a preallocated
 * output, compiled -O3 (this file's loop).  Interleaved runs; medians.
 */
#include "bench_util.h"
#include "nn.h"

#define N 10000000
#define REPS 41

__attribute__((noinline)) static void plain_loop(float *restrict z, const float *restrict x,
                                                 const float *restrict y, long n)
{
    for (long i = 0; i < n; i++)
        z[i] = x[i] * y[i] + 1.0f;
}

static void die(nn_ctx *ctx)
{
    fprintf(stderr, "bench_broadcast: %s: %s\n", nn_status_name(nn_ctx_status(ctx)), nn_ctx_message(ctx));
    exit(1);
}

int main(void)
{
    nn_ctx *ctx = nn_ctx_new();
    nn_rng rng;
    nn_rng_seed(&rng, 2);
    int64_t n = N;
    nn_tensor *x, *y, *one, *zc;
    if (nn_rand(ctx, &x, &rng, NN_F32, 1, &n) || nn_rand(ctx, &y, &rng, NN_F32, 1, &n) ||
        nn_scalar(ctx, &one, NN_F32, 1.0) || nn_zeros(ctx, &zc, NN_F32, 1, &n))
        die(ctx);
    printf("threads: %d (the C loop runs on one)\n", nn_get_num_threads());
    static double peer[REPS], lx[REPS];
    double check = 0;
    for (int r = -3; r < REPS; r++) {
        double t0 = bench_now();
        plain_loop(nn_data(zc), nn_data(x), nn_data(y), N);
        double t1 = bench_now();
        nn_tensor *t, *z;
        if (nn_binary(ctx, &t, NN_MUL, x, y) || nn_binary(ctx, &z, NN_ADD, t, one)) die(ctx);
        double t2 = bench_now();
        check = nn_get(z, N - 1) - ((float *)nn_data(zc))[N - 1];
        nn_release(t);
        nn_release(z);
        if (r >= 0) {
            peer[r] = t1 - t0;
            lx[r] = t2 - t1;
        }
    }
    if (check != 0) {
        fprintf(stderr, "bench_broadcast: results differ\n");
        return 1;
    }
    int fail = bench_report("z = x .* y .+ 1f0, 10^7 Float32", "C loop -O3", bench_median(peer, REPS),
                            bench_median(lx, REPS), 2.0);
    nn_release(x);
    nn_release(y);
    nn_release(one);
    nn_release(zc);
    nn_ctx_free(ctx);
    return fail;
}
