/* bench_tensor.c — tensors as lx values against the same work through the
 * C API, in one process, interleaved, medians:
 *   - the Dense benchmark written in lx, tanh.(W * x .+ b) (W 100x1000, x
 *     1000x128, Float32), forward and with the gradient for W, x and b,
 *     against nn_dense (target: within 1.1x);
 *   - gradient of a function of 200 small ops (16 elements each) against the
 *     same ops and backward pass driven from C (target: at most 1 us more
 *     per op);
 * and, with no peer doing the same work, the whole `lx` process running a
 * script that builds a two-layer network, takes one gradient and prints it
 * (target: under 50 ms), next to lx's bare start-up.
 */
#include "bench_util.h"
#include "lx.h"
#include "nn.h"

#include <spawn.h>
#include <string.h>
#include <sys/wait.h>

extern char **environ;

#define REPS 101
#define SMALL_REPS 301

static void die_nn(nn_ctx *ctx)
{
    fprintf(stderr, "bench_tensor: %s: %s\n", nn_status_name(nn_ctx_status(ctx)), nn_ctx_message(ctx));
    exit(1);
}

static void run_lx(lx_State *L, const char *src)
{
    if (lx_dostring(L, src, strlen(src), "bench") != LX_OK) {
        fprintf(stderr, "bench_tensor: %s\n", lx_errmsg(L));
        exit(1);
    }
}

static double time_lx(lx_State *L, const char *src)
{
    double t0 = bench_now();
    run_lx(L, src);
    return bench_now() - t0;
}

/* The C side of the Dense benchmark: forward (and the gradient) as one fused nn_dense. */
static double dense_c(nn_ctx *ctx, nn_tensor *w, nn_tensor *x, nn_tensor *b, bool grad)
{
    double t0 = bench_now();
    nn_tensor *y, *s, *wt = NULL, *xt = NULL, *bt = NULL;
    if (grad) {
        if (nn_tracked_alias(ctx, &wt, w) || nn_tracked_alias(ctx, &xt, x) || nn_tracked_alias(ctx, &bt, b))
            die_nn(ctx);
        if (nn_dense(ctx, &y, wt, xt, bt, NN_TANH) || nn_reduce(ctx, &s, NN_SUM, y, 0, NULL) ||
            nn_backward(ctx, s))
            die_nn(ctx);
        nn_release(s);
        nn_release(wt);
        nn_release(xt);
        nn_release(bt);
    } else if (nn_dense(ctx, &y, w, x, b, NN_TANH)) {
        die_nn(ctx);
    }
    nn_release(y);
    return bench_now() - t0;
}

/* The C side of the small-ops benchmark: 100 rounds of y = tanh.(y .* w), then sum, then backward. */
static double small_c(nn_ctx *ctx, nn_tensor *v, nn_tensor *w)
{
    double t0 = bench_now();
    nn_tensor *vt, *wt, *y, *m, *s;
    if (nn_tracked_alias(ctx, &vt, v) || nn_tracked_alias(ctx, &wt, w)) die_nn(ctx);
    y = nn_retain(vt);
    for (int i = 0; i < 100; i++) {
        if (nn_binary(ctx, &m, NN_MUL, y, wt)) die_nn(ctx);
        nn_release(y);
        if (nn_unary(ctx, &y, NN_TANH, m)) die_nn(ctx);
        nn_release(m);
    }
    if (nn_reduce(ctx, &s, NN_SUM, y, 0, NULL) || nn_backward(ctx, s)) die_nn(ctx);
    nn_release(y);
    nn_release(s);
    nn_release(vt);
    nn_release(wt);
    return bench_now() - t0;
}

static double spawn_time(char *const argv[])
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 1 /* O_WRONLY */, 0);
    pid_t pid;
    double t0 = bench_now();
    int ok = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) == 0;
    posix_spawn_file_actions_destroy(&fa);
    if (!ok) return -1;
    int st;
    waitpid(pid, &st, 0);
    double t = bench_now() - t0;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? t : -1;
}

int main(void)
{
    nn_ctx *ctx = nn_ctx_new();
    nn_rng rng;
    nn_rng_seed(&rng, 1);
    int64_t sw[2] = {100, 1000}, sx[2] = {1000, 128}, sb = 100, s16 = 16;
    nn_tensor *w, *x, *b, *v16, *w16;
    if (nn_randn(ctx, &w, &rng, NN_F32, 2, sw) || nn_randn(ctx, &x, &rng, NN_F32, 2, sx) ||
        nn_randn(ctx, &b, &rng, NN_F32, 1, &sb) || nn_randn(ctx, &v16, &rng, NN_F32, 1, &s16) ||
        nn_randn(ctx, &w16, &rng, NN_F32, 1, &s16))
        die_nn(ctx);

    lx_State *L = lx_open(NULL);
    if (!L || lx_openlibs(L) != LX_OK) {
        fprintf(stderr, "bench_tensor: cannot open an lx state\n");
        return 1;
    }
    run_lx(L, "rng = Xoshiro(1)\n"
              "W = randn(rng, Float32, 100, 1000); x = randn(rng, Float32, 1000, 128)\n"
              "b = randn(rng, Float32, 100)\n"
              "fwd() = (tanh.(W * x .+ b); nothing)\n"
              "grd() = (gradient((W, x, b) -> sum(tanh.(W * x .+ b)), W, x, b); nothing)\n"
              "v = randn(rng, Float32, 16); w = randn(rng, Float32, 16)\n"
              "function chain(v, w)\n"
              "    y = v\n"
              "    for i in 1:100\n"
              "        y = tanh.(y .* w)\n"
              "    end\n"
              "    sum(y)\n"
              "end\n"
              "small() = (gradient(chain, v, w); nothing)\n");
    printf("threads: %d (lx pool and OpenBLAS)\n", nn_get_num_threads());

    static double cf[REPS], lf[REPS], cg[REPS], lg[REPS], cs[SMALL_REPS], ls[SMALL_REPS];
    for (int r = -5; r < REPS; r++) {
        double a = dense_c(ctx, w, x, b, false), c = time_lx(L, "fwd()");
        double d = dense_c(ctx, w, x, b, true), e = time_lx(L, "grd()");
        if (r >= 0) {
            cf[r] = a;
            lf[r] = c;
            cg[r] = d;
            lg[r] = e;
        }
    }
    for (int r = -20; r < SMALL_REPS; r++) {
        double a = small_c(ctx, v16, w16), c = time_lx(L, "small()");
        if (r >= 0) {
            cs[r] = a;
            ls[r] = c;
        }
    }
    int fails = 0;
    fails += bench_report("lx tanh.(W * x .+ b), forward", "C API nn_dense", bench_median(cf, REPS),
                          bench_median(lf, REPS), 1.1);
    fails += bench_report("lx gradient of sum(tanh.(W * x .+ b))", "C API nn_dense+backward",
                          bench_median(cg, REPS), bench_median(lg, REPS), 1.1);
    double c200 = bench_median(cs, SMALL_REPS), l200 = bench_median(ls, SMALL_REPS);
    double per_op = (l200 - c200) / 201 * 1e6;
    printf("%-44s %-24s peer %9.1f us  lx %9.1f us  overhead %.3f us/op  (target <= 1.00) %s\n",
           "gradient of 200 small ops (16 elements)", "C API ops+backward", c200 * 1e6, l200 * 1e6, per_op,
           per_op <= 1.0 ? "PASS" : "FAIL");
    fails += per_op > 1.0;
    lx_close(L);

    /* whole processes: the two-layer script, next to lx's bare start-up */
    char script[1024];
    snprintf(script, sizeof script, "%s/tensor/twolayer.lx", BENCH_DIR);
    char *two[] = {LX_BIN, script, NULL}, *bare[] = {LX_BIN, "-e", "nothing", NULL};
    double tw[31], tb[31];
    for (int i = 0; i < 31; i++) {
        tb[i] = spawn_time(bare);
        tw[i] = spawn_time(two);
        if (tb[i] < 0 || tw[i] < 0) {
            printf("bench_tensor: could not run %s\n", tw[i] < 0 ? script : "lx -e nothing");
            return 1;
        }
    }
    double ms = bench_median(tw, 31) * 1e3, bms = bench_median(tb, 31) * 1e3;
    printf("%-44s lx %6.2f ms  (lx -e nothing %6.2f ms; PyTorch's import torch alone: 1.3-1.8 s)  (target < "
           "50 ms) %s\n",
           "two-layer network, one gradient, printed", ms, bms, ms < 50 ? "PASS" : "FAIL");
    fails += ms >= 50;
    nn_tensor *all[] = {w, x, b, v16, w16};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        nn_release(all[i]);
    nn_ctx_free(ctx);
    return fails ? 1 : 0;
}
