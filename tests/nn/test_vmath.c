/* test_vmath.c — the branch-free Float32 exp, log, log1p, tanh and sigmoid of
 * nn/cpu/vmath.h swept over their ranges against double-precision libm, with
 * the worst error in ulps reported, and their special values: called directly
 * (compiled here without the AVX2 clone) and through nn_unary's kernels.
 */
#include "tap.h"

#include "cpu/vmath.h"

#include <math.h>
#include <stdio.h>

#define MAX_ULP 4.0

/* The error of got against the exact value in units of the last place of the
 * Float32 binade the exact value lies in (2^-149 among the subnormals). */
static double ulp_err(float got, double exact)
{
    if (isinf(exact)) return got == (float)exact ? 0 : INFINITY;
    if (isnan(got)) return INFINITY;
    double a = fabs(exact);
    int e;
    frexp(a, &e); /* a = m 2^e, m in [0.5, 1) */
    double ulp = a < 0x1p-126 ? 0x1p-149 : ldexp(1.0, e - 24);
    return fabs((double)got - exact) / ulp;
}

typedef struct {
    const char *name;
    float (*f)(float);
    double (*ref)(double);
} fn;

static double sigmoid(double x)
{
    return 1 / (1 + exp(-x));
}

static const fn EXP = {"nn_expf", nn_expf, exp}, LOG = {"nn_logf", nn_logf, log},
                LOG1P = {"nn_log1pf", nn_log1pf, log1p}, TANH = {"nn_tanhf", nn_tanhf, tanh},
                SIGM = {"nn_sigmoidf", nn_sigmoidf, sigmoid};

/* n points from lo to hi, evenly (or log-evenly when geometric) spaced, each
 * rounded to Float32 before both evaluations. */
static void sweep(const fn *f, double lo, double hi, int n, bool geometric, const char *what)
{
    double worst = 0, wx = 0;
    float wgot = 0;
    for (int i = 0; i < n; i++) {
        double t = (double)i / (n - 1);
        float x = (float)(geometric ? lo * pow(hi / lo, t) : lo + (hi - lo) * t);
        float got = f->f(x);
        double e = ulp_err(got, f->ref((double)x));
        if (!(e <= worst)) {
            worst = isnan(e) ? INFINITY : e;
            wx = x;
            wgot = got;
        }
    }
    tap_diag("%s over %s: max error %.2f ulp (at x = %.9g: %.9g, exact %.17g)", f->name, what, worst, wx,
             wgot, f->ref(wx));
    tap_ok(worst <= MAX_ULP, "%s over %s: within %g ulp", f->name, what, MAX_ULP);
}

static void test_sweeps(void)
{
    const int n = 1 << 20;
    sweep(&EXP, -103, 88.7, n, false, "[-103, 88.7]");
    sweep(&EXP, -1e-3, 1e-3, n / 8, false, "[-1e-3, 1e-3]");
    sweep(&EXP, 88.7, 88.72283, 1000, false, "[88.7, 88.72283] (near overflow)");
    sweep(&LOG, 1e-38, 1e38, n, true, "[1e-38, 1e38] (log-spaced)");
    sweep(&LOG, 1.4e-45, 1.17e-38, n / 8, true, "the subnormals");
    sweep(&LOG, 0.5, 2, n / 8, false, "[0.5, 2]");
    sweep(&LOG1P, -0.999, 1, n, false, "[-0.999, 1]");
    sweep(&LOG1P, 1, 1e6, n / 8, true, "[1, 1e6] (log-spaced)");
    sweep(&LOG1P, 1e-30, 1e-3, n / 8, true, "[1e-30, 1e-3] (log-spaced)");
    sweep(&LOG1P, -1e-3, -1e-30, n / 8, true, "[-1e-3, -1e-30] (log-spaced)");
    sweep(&TANH, -20, 20, n, false, "[-20, 20]");
    sweep(&TANH, 1e-30, 1, n / 8, true, "[1e-30, 1] (log-spaced)");
    sweep(&TANH, -1, -1e-30, n / 8, true, "[-1, -1e-30] (log-spaced)");
    sweep(&SIGM, -87, 30, n, false, "[-87, 30]");
}

static bool same(float got, float want)
{
    return (isnan(got) && isnan(want)) || (got == want && signbit(got) == signbit(want));
}

static void test_special(void)
{
    static const struct {
        const fn *f;
        float x, want;
    } S[] = {
        {&EXP, NAN, NAN},
        {&EXP, INFINITY, INFINITY},
        {&EXP, -INFINITY, 0},
        {&EXP, 0.0f, 1},
        {&EXP, -0.0f, 1},
        {&EXP, 89, INFINITY},
        {&EXP, 1000, INFINITY},
        {&EXP, -104, 0},
        {&EXP, -1000, 0},
        {&LOG, NAN, NAN},
        {&LOG, INFINITY, INFINITY},
        {&LOG, -INFINITY, NAN},
        {&LOG, 0.0f, -INFINITY},
        {&LOG, -0.0f, -INFINITY},
        {&LOG, -1, NAN},
        {&LOG, 1, 0},
        {&LOG, 1.4e-45f, -103.27893f},
        {&LOG1P, NAN, NAN},
        {&LOG1P, INFINITY, INFINITY},
        {&LOG1P, -INFINITY, NAN},
        {&LOG1P, 0.0f, 0.0f},
        {&LOG1P, -0.0f, -0.0f},
        {&LOG1P, -1, -INFINITY},
        {&LOG1P, -2, NAN},
        {&LOG1P, 1e-30f, 1e-30f},
        {&TANH, NAN, NAN},
        {&TANH, INFINITY, 1},
        {&TANH, -INFINITY, -1},
        {&TANH, 0.0f, 0.0f},
        {&TANH, -0.0f, -0.0f},
        {&TANH, 1e-30f, 1e-30f},
        {&TANH, -1e-30f, -1e-30f},
        {&TANH, 1e-8f, 1e-8f},
        {&TANH, 20, 1},
        {&TANH, 1e30f, 1},
        {&TANH, -1e30f, -1},
        {&SIGM, NAN, NAN},
        {&SIGM, INFINITY, 1},
        {&SIGM, -INFINITY, 0},
        {&SIGM, 0.0f, 0.5f},
        {&SIGM, 100, 1},
        {&SIGM, -200, 0},
    };
    for (size_t k = 0; k < sizeof S / sizeof *S; k++) {
        float got = S[k].f->f(S[k].x);
        if (!tap_ok(same(got, S[k].want), "%s(%g) = %g", S[k].f->name, S[k].x, S[k].want))
            tap_diag("got %.9g", got);
    }
}

/* The same functions as nn_unary runs them: vectorised, and on x86-64 cloned
 * for AVX2+FMA, so contraction may round differently from the calls above.
 * A sweep of whole vectors with a tail, then the special values, which every
 * lane must treat as the scalar code does. */
static void kernel_sweep(nn_ctx *ctx, nn_unary_op op, const fn *f, double lo, double hi, bool geometric,
                         const char *what)
{
    int64_t n = 100003;
    nn_tensor *x, *y;
    nn_empty(ctx, &x, NN_F32, 1, &n);
    float *xs = nn_data(x);
    for (int64_t i = 0; i < n; i++) {
        double t = (double)i / (double)(n - 1);
        xs[i] = (float)(geometric ? lo * pow(hi / lo, t) : lo + (hi - lo) * t);
    }
    if (tap_okst(ctx, nn_unary(ctx, &y, op, x), "nn_unary")) {
        const float *ys = nn_data(y);
        double worst = 0, wx = 0;
        for (int64_t i = 0; i < n; i++) {
            double e = ulp_err(ys[i], f->ref((double)xs[i]));
            if (!(e <= worst)) {
                worst = isnan(e) ? INFINITY : e;
                wx = xs[i];
            }
        }
        tap_diag("nn_unary %s Float32 over %s: max error %.2f ulp (at x = %.9g)", nn_unary_name(op), what,
                 worst, wx);
        tap_ok(worst <= MAX_ULP, "nn_unary %s Float32 over %s: within %g ulp", nn_unary_name(op), what,
               MAX_ULP);
        nn_release(y);
    }
    nn_release(x);
}

static void test_kernels(void)
{
    nn_ctx *ctx = nn_ctx_new();
    kernel_sweep(ctx, NN_EXP, &EXP, -103, 88.7, false, "[-103, 88.7]");
    kernel_sweep(ctx, NN_LOG, &LOG, 1e-38, 1e38, true, "[1e-38, 1e38]");
    kernel_sweep(ctx, NN_LOG, &LOG, 1.4e-45, 1.17e-38, true, "the subnormals");
    kernel_sweep(ctx, NN_LOG1P, &LOG1P, -0.999, 1e6, false, "[-0.999, 1e6]");
    kernel_sweep(ctx, NN_LOG1P, &LOG1P, 1e-30, 1, true, "[1e-30, 1]");
    kernel_sweep(ctx, NN_TANH, &TANH, -20, 20, false, "[-20, 20]");
    kernel_sweep(ctx, NN_TANH, &TANH, 1e-30, 1, true, "[1e-30, 1]");
    kernel_sweep(ctx, NN_SIGMOID, &SIGM, -87, 30, false, "[-87, 30]");

    static const struct {
        nn_unary_op op;
        const fn *f;
    } K[] = {{NN_EXP, &EXP}, {NN_LOG, &LOG}, {NN_LOG1P, &LOG1P}, {NN_TANH, &TANH}, {NN_SIGMOID, &SIGM}};
    const float xs[16] = {NAN,   INFINITY, -INFINITY, 0.0f,    -0.0f, 1.0f,   -1.0f,  -2.0f,
                          89.0f, -104.0f,  1e-40f,    -1e-40f, 20.0f, -88.0f, 1e-30f, 0.5f};
    int64_t n = 3 * 16 + 5;
    nn_tensor *x, *y;
    nn_empty(ctx, &x, NN_F32, 1, &n);
    float *xd = nn_data(x);
    for (int64_t i = 0; i < n; i++)
        xd[i] = xs[(i * 7) % 16];
    for (size_t k = 0; k < sizeof K / sizeof *K; k++) {
        if (!tap_okst(ctx, nn_unary(ctx, &y, K[k].op, x), "nn_unary")) continue;
        const float *yd = nn_data(y);
        int64_t bad = -1;
        for (int64_t i = 0; i < n && bad < 0; i++) {
            float want = K[k].f->f(xd[i]);
            if (!same(yd[i], want) && !(yd[i] != 0 && ulp_err(yd[i], want) <= 2)) bad = i;
        }
        if (!tap_ok(bad < 0, "nn_unary %s Float32 at special values matches the scalar code",
                    nn_unary_name(K[k].op)))
            tap_diag("x = %g: got %.9g, scalar %.9g", xd[bad], yd[bad], K[k].f->f(xd[bad]));
        nn_release(y);
    }
    nn_release(x);
    nn_ctx_free(ctx);
}

int main(void)
{
    test_sweeps();
    test_special();
    test_kernels();
    return tap_done();
}
