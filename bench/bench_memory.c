/* bench_memory.c — 10,000 training steps of the demo MLP: resident memory
 * after step 100 and after step 10,000 must differ by less than 1 MiB.  No
 * peer does the same; next to it we print what the pool itself holds, the
 * nearest reference for whether lx or the C heap grew.
 */
#include "mlp.h"
#include "bench_util.h"

#include <string.h>

static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6)) kib = atol(line + 6);
    if (f) fclose(f);
    return kib;
}

int main(void)
{
    nn_ctx *ctx = nn_ctx_new();
    nn_rng rng;
    nn_rng_seed(&rng, 42);
    nn_tensor *x, *y, *labels;
    mlp model;
    if (spirals(ctx, &rng, 256, &x, &y, &labels) || mlp_init(ctx, &model, &rng, 2, 32, 2)) return 1;
    long rss100 = 0;
    size_t pool100 = 0;
    double t0 = bench_now();
    for (int step = 1; step <= 10000; step++) {
        nn_tensor *logits, *loss;
        if (mlp_forward(ctx, &model, x, y, &logits, &loss) || nn_backward(ctx, loss) ||
            mlp_adam_step(ctx, &model, 0.01)) {
            fprintf(stderr, "bench_memory: %s\n", nn_ctx_message(ctx));
            return 1;
        }
        nn_release(logits);
        nn_release(loss);
        if (step == 100) {
            rss100 = rss_kib();
            pool100 = nn_ctx_bytes_live(ctx) + nn_ctx_bytes_cached(ctx);
        }
    }
    double secs = bench_now() - t0;
    long rss10k = rss_kib();
    size_t pool10k = nn_ctx_bytes_live(ctx) + nn_ctx_bytes_cached(ctx);
    long diff = rss10k - rss100;
    printf("training memory, demo MLP, 10,000 steps (%.2f s)\n", secs);
    printf("  resident after step 100: %ld KiB, after step 10,000: %ld KiB, growth %ld KiB "
           "(target < 1024 KiB) %s\n",
           rss100, rss10k, diff, diff < 1024 ? "PASS" : "FAIL");
    printf("  nn pool (live + cached): %zu KiB after step 100, %zu KiB after step 10,000\n", pool100 / 1024,
           pool10k / 1024);
    mlp_free(&model);
    nn_release(x);
    nn_release(y);
    nn_release(labels);
    nn_ctx_free(ctx);
    return diff < 1024 ? 0 : 1;
}
