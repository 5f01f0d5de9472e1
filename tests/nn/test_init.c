/* test_init.c — the weight initialisers against WeightInitializers.jl's
 * formulas: fans, defaults, bounds, empirical standard deviations, orthogonal
 * matrices (QᵀQ = I, R's diagonal positive), truncated normals, erfinv, and
 * the error paths.
 */
#include "tap.h"
#include "internal.h" /* white-box: nn_erfinv */

#include <math.h>
#include <string.h>

static nn_ctx *ctx;

static void test_fans_and_defaults(void)
{
    double fi, fo;
    int64_t v[1] = {5}, m[2] = {3, 4}, c3[3] = {5, 2, 7}, c4[4] = {3, 3, 16, 32};
    nn_nfan(0, NULL, &fi, &fo);
    tap_ok(fi == 1 && fo == 1, "nfan() = (1, 1)");
    nn_nfan(1, v, &fi, &fo);
    tap_ok(fi == 1 && fo == 5, "nfan(5) = (1, 5): a vector is an n x 1 matrix");
    nn_nfan(2, m, &fi, &fo);
    tap_ok(fi == 4 && fo == 3, "nfan(3, 4) = (4, 3): (out, in)");
    nn_nfan(3, c3, &fi, &fo);
    tap_ok(fi == 10 && fo == 35, "nfan(5, 2, 7) = (10, 35)");
    nn_nfan(4, c4, &fi, &fo);
    tap_ok(fi == 144 && fo == 288, "nfan(3, 3, 16, 32) = (144, 288)");

    const char *names[NN_NUM_INIT] = {
        "zeros",           "ones",           "glorot_uniform",   "glorot_normal",
        "kaiming_uniform", "kaiming_normal", "truncated_normal", "orthogonal"};
    bool ok = true;
    for (int k = 0; k < NN_NUM_INIT; k++) {
        nn_init_opts o;
        memset(&o, 0xff, sizeof o);
        nn_init_defaults((nn_init_kind)k, &o);
        double gain = (k == NN_INIT_KAIMING_UNIFORM || k == NN_INIT_KAIMING_NORMAL) ? sqrt(2.0) : 1;
        ok = ok && o.gain == gain && o.mean == 0 && o.std == 1 && o.lo == -2 && o.hi == 2 &&
             !strcmp(nn_init_name((nn_init_kind)k), names[k]);
    }
    tap_ok(ok, "defaults: gain sqrt(2) for kaiming, 1 otherwise; truncated_normal 0, 1, -2, 2; names");
    tap_ok(!strcmp(nn_init_name(NN_NUM_INIT), "?"), "an unknown kind's name is ?");
}

static void moments(const nn_tensor *t, double *mean, double *sd, double *maxabs)
{
    double s = 0, s2 = 0, mx = 0;
    for (int64_t i = 0; i < t->numel; i++) {
        double x = nn_get(t, i);
        s += x;
        mx = fmax(mx, fabs(x));
    }
    double m = s / (double)t->numel;
    for (int64_t i = 0; i < t->numel; i++)
        s2 += (nn_get(t, i) - m) * (nn_get(t, i) - m);
    *mean = m;
    *sd = sqrt(s2 / (double)(t->numel - 1));
    *maxabs = mx;
}

/* A (256, 512) weight: fan_in 512, fan_out 256.  The sample std of 131072
 * draws has a relative standard error under 0.2%; 2% is 10 of them. */
static void test_std_and_bounds(void)
{
    int64_t s[2] = {256, 512};
    const double fi = 512, fo = 256;
    struct {
        nn_init_kind k;
        double gain, sd, bound; /* bound 0: unbounded */
    } cases[] = {
        {NN_INIT_GLOROT_UNIFORM, 1, sqrt(2.0 / (fi + fo)), sqrt(6.0 / (fi + fo))},
        {NN_INIT_GLOROT_UNIFORM, 3, 3 * sqrt(2.0 / (fi + fo)), 3 * sqrt(6.0 / (fi + fo))},
        {NN_INIT_GLOROT_NORMAL, 1, sqrt(2.0 / (fi + fo)), 0},
        {NN_INIT_GLOROT_NORMAL, 0.5, 0.5 * sqrt(2.0 / (fi + fo)), 0},
        {NN_INIT_KAIMING_UNIFORM, sqrt(2.0), sqrt(2.0) / sqrt(fi), sqrt(2.0) * sqrt(3.0) / sqrt(fi)},
        {NN_INIT_KAIMING_UNIFORM, 2, 2 / sqrt(fi), 2 * sqrt(3.0) / sqrt(fi)},
        {NN_INIT_KAIMING_NORMAL, sqrt(2.0), sqrt(2.0) / sqrt(fi), 0},
        {NN_INIT_KAIMING_NORMAL, 5.0 / 3, 5.0 / 3 / sqrt(fi), 0},
    };
    nn_rng r;
    nn_rng_seed(&r, 77);
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++)
        for (int d = 0; d < 2; d++) {
            nn_dtype dt = d ? NN_F64 : NN_F32;
            nn_init_opts o;
            nn_init_defaults(cases[c].k, &o);
            o.gain = cases[c].gain;
            nn_tensor *t;
            const char *name = nn_init_name(cases[c].k), *dn = nn_dtype_name(dt);
            if (!tap_okst(ctx, nn_init(ctx, &t, &r, cases[c].k, &o, dt, 2, s), name)) continue;
            tap_ok(t->dtype == dt && t->ndim == 2 && t->shape[0] == 256 && t->shape[1] == 512,
                   "%s %s gain %g: (256, 512) of %s", name, dn, o.gain, dn);
            double mean, sd, mx;
            moments(t, &mean, &sd, &mx);
            tap_close(sd / cases[c].sd, 1, 0.02, "std matches the formula");
            tap_close(mean / cases[c].sd, 0, 6 / sqrt(131072.0), "mean 0");
            if (cases[c].bound > 0) {
                /* The bound as the dtype holds it: a draw may round onto it. */
                double b = d ? cases[c].bound : (double)(float)cases[c].bound;
                tap_ok(mx <= b && mx > 0.99 * b, "never beyond the bound %g (max |x| %g)", b, mx);
            }
            nn_release(t);
        }
}

/* glorot_uniform is (rand(T) - 1/2) * scale from the same state, element for
 * element, and a gain scales every value. */
static void test_same_stream(void)
{
    int64_t s[2] = {30, 20};
    nn_rng r1, r2;
    nn_tensor *u, *g, *g2;
    nn_rng_seed(&r1, 5);
    nn_rng_seed(&r2, 5);
    nn_rand(ctx, &u, &r1, NN_F32, 2, s);
    nn_init(ctx, &g, &r2, NN_INIT_GLOROT_UNIFORM, NULL, NN_F32, 2, s);
    double scale = sqrt(24.0 / 50), worst = 0;
    for (int64_t i = 0; i < u->numel; i++)
        worst = fmax(worst, fabs(nn_get(g, i) - (double)(float)((nn_get(u, i) - 0.5) * scale)));
    tap_ok(worst == 0, "glorot_uniform = (rand - 0.5) * gain * sqrt(24 / (fan_in + fan_out))");
    tap_ok(memcmp(&r1, &r2, sizeof r1) == 0, "and consumes the same draws as rand");

    nn_init_opts o;
    nn_init_defaults(NN_INIT_KAIMING_NORMAL, &o);
    nn_rng_seed(&r1, 6);
    nn_init(ctx, &g2, &r1, NN_INIT_KAIMING_NORMAL, NULL, NN_F64, 2, s);
    o.gain = -3 * sqrt(2.0);
    nn_rng_seed(&r1, 6);
    nn_tensor *g3;
    nn_init(ctx, &g3, &r1, NN_INIT_KAIMING_NORMAL, &o, NN_F64, 2, s);
    worst = 0;
    for (int64_t i = 0; i < g2->numel; i++)
        worst = fmax(worst, fabs(nn_get(g3, i) + 3 * nn_get(g2, i)));
    tap_ok(worst < 1e-14, "NULL options are the defaults; gain -3sqrt(2) scales kaiming_normal by -3");
    nn_release(u);
    nn_release(g);
    nn_release(g2);
    nn_release(g3);

    /* A conv kernel (3, 3, 16, 32): fan_in 144. */
    int64_t k4[4] = {3, 3, 16, 32};
    nn_init(ctx, &g, &r1, NN_INIT_KAIMING_UNIFORM, NULL, NN_F64, 4, k4);
    double mean, sd, mx;
    moments(g, &mean, &sd, &mx);
    tap_ok(g->ndim == 4 && g->numel == 4608 && mx <= sqrt(6.0 / 144),
           "kaiming_uniform of a conv kernel uses fan_in = 3*3*16");
    tap_close(sd / sqrt(2.0 / 144), 1, 0.06, "and has std sqrt(2/144)");
    nn_release(g);
}

static void test_zeros_ones(void)
{
    int64_t s[3] = {2, 3, 4};
    nn_rng r;
    nn_rng_seed(&r, 1);
    nn_rng before = r;
    nn_tensor *z, *o;
    nn_init(ctx, &z, &r, NN_INIT_ZEROS, NULL, NN_F32, 3, s);
    nn_init(ctx, &o, &r, NN_INIT_ONES, NULL, NN_F64, 3, s);
    bool ok = z->dtype == NN_F32 && o->dtype == NN_F64 && z->numel == 24 && o->numel == 24;
    for (int64_t i = 0; i < 24; i++)
        ok = ok && nn_get(z, i) == 0 && nn_get(o, i) == 1;
    tap_ok(ok, "zeros and ones");
    tap_ok(memcmp(&r, &before, sizeof r) == 0, "draw nothing from the generator");
    nn_release(z);
    nn_release(o);
}

/* Standard normal density and distribution, for the truncated moments. */
static double phi(double x)
{
    return exp(-x * x / 2) / sqrt(2 * M_PI);
}
static double Phi(double x)
{
    return 0.5 * erfc(-x / sqrt(2.0));
}

static void check_truncated(nn_rng *r, double mean, double sd, double lo, double hi, nn_dtype dt)
{
    nn_init_opts o;
    nn_init_defaults(NN_INIT_TRUNCATED_NORMAL, &o);
    o.mean = mean, o.std = sd, o.lo = lo, o.hi = hi;
    int64_t s[2] = {256, 512};
    nn_tensor *t;
    if (!tap_okst(ctx, nn_init(ctx, &t, r, NN_INIT_TRUNCATED_NORMAL, &o, dt, 2, s), "truncated_normal"))
        return;
    double a = (lo - mean) / sd, b = (hi - mean) / sd, z = Phi(b) - Phi(a);
    double tmean = mean + sd * (phi(a) - phi(b)) / z;
    double tvar = sd * sd * (1 + (a * phi(a) - b * phi(b)) / z - pow((phi(a) - phi(b)) / z, 2));
    double lo_t = dt == NN_F32 ? (double)(float)lo : lo, hi_t = dt == NN_F32 ? (double)(float)hi : hi;
    bool inside = true;
    double m, s_, mx;
    for (int64_t i = 0; i < t->numel; i++)
        inside = inside && nn_get(t, i) >= lo_t && nn_get(t, i) <= hi_t;
    moments(t, &m, &s_, &mx);
    tap_ok(inside && t->dtype == dt, "N(%g, %g) truncated to [%g, %g], %s: all inside", mean, sd, lo, hi,
           nn_dtype_name(dt));
    tap_close(m, tmean, 6 * sqrt(tvar / 131072), "mean is the truncated normal's");
    tap_close(s_ / sqrt(tvar), 1, 0.02, "std is the truncated normal's");
    nn_release(t);
}

static void test_truncated_normal(void)
{
    /* The default's std in closed form: sqrt(1 - 4 phi(2) / (2 Phi(2) - 1)). */
    double want = sqrt(1 - 4 * phi(2) / (2 * Phi(2) - 1));
    tap_close(want, 0.8796, 1e-4, "theoretical std of N(0,1) on [-2, 2] is about 0.8796");
    nn_rng r;
    nn_rng_seed(&r, 31);
    check_truncated(&r, 0, 1, -2, 2, NN_F32);
    check_truncated(&r, 0, 1, -2, 2, NN_F64);
    check_truncated(&r, 1, 0.5, 0, 3, NN_F64);
    check_truncated(&r, 0, 1, 1, 4, NN_F32); /* one-sided: all mass in the tail */
}

static void test_erfinv(void)
{
    /* erfinv(0.5) = 0.476936276204469873381..., erfinv(0.9) = 1.163087153676674086726...:
     * bisection on erf's Taylor series in Python's decimal at 50 digits. */
    tap_close(nn_erfinv(0.5), 0.47693627620446987, 1e-15, "erfinv(0.5)");
    tap_close(nn_erfinv(-0.9), -1.1630871536766741, 1e-15, "erfinv(-0.9)");
    tap_ok(nn_erfinv(0) == 0 && nn_erfinv(1) == INFINITY && nn_erfinv(-1) == -INFINITY &&
               isnan(nn_erfinv(1.5)) && isnan(nn_erfinv(NAN)),
           "erfinv at 0, +-1, outside [-1, 1] and NaN");
    double worst = 0;
    for (int k = 1; k < 20000; k++) {
        double y = -1 + k / 10000.0, x = nn_erfinv(y);
        worst = fmax(worst, fabs(erf(x) - y) / fmax(fabs(y), 1e-300));
    }
    tap_ok(worst < 1e-13, "erf(erfinv(y)) = y over (-1, 1) (worst relative %g)", worst);
    worst = 0;
    for (int k = 1; k <= 53; k++) {
        double c = ldexp(1, -k), x = nn_erfinv(1 - c);
        worst = fmax(worst, fabs(erfc(x) - c) / c);
    }
    tap_ok(worst < 1e-12, "erfc(erfinv(1 - 2^-k)) = 2^-k in the far tail (worst relative %g)", worst);
}

/* G = op(W)ᵀ op(W) for the short side: QᵀQ when tall, QQᵀ when wide. */
static double gram_error(const nn_tensor *w, int64_t rows, int64_t cols, double gain)
{
    bool wide = rows < cols;
    int64_t k = wide ? rows : cols, len = wide ? cols : rows;
    double worst = 0;
    for (int64_t a = 0; a < k; a++)
        for (int64_t b = 0; b < k; b++) {
            double s = 0;
            for (int64_t i = 0; i < len; i++)
                s += wide ? nn_get(w, i * rows + a) * nn_get(w, i * rows + b)
                          : nn_get(w, a * rows + i) * nn_get(w, b * rows + i);
            worst = fmax(worst, fabs(s - (a == b ? gain * gain : 0)));
        }
    return worst;
}

static void check_orthogonal(int ndim, const int64_t *shape, double gain, nn_dtype dt, uint64_t seed)
{
    char b[NN_SHAPE_BUF];
    nn_shape_str(b, sizeof b, ndim, shape);
    nn_init_opts o;
    nn_init_defaults(NN_INIT_ORTHOGONAL, &o);
    o.gain = gain;
    nn_rng r;
    nn_rng_seed(&r, seed);
    nn_tensor *w;
    if (!tap_okst(ctx, nn_init(ctx, &w, &r, NN_INIT_ORTHOGONAL, &o, dt, ndim, shape), "orthogonal")) return;
    int64_t cols = shape[ndim - 1], rows = w->numel / cols;
    bool shaped = w->dtype == dt && w->ndim == ndim && !memcmp(w->shape, shape, (size_t)ndim * 8);
    double err = gram_error(w, rows, cols, gain);
    tap_ok(shaped && err < (dt == NN_F32 ? 1e-5 : 1e-12) * gain * gain,
           "orthogonal %s %s gain %g: %s = gain^2 I (err %g)", b, nn_dtype_name(dt), gain,
           rows < cols ? "QQ'" : "Q'Q", err);

    /* It is the Q of the randn matrix drawn first, signs fixed: Qᵀ A = R is
     * upper triangular with a positive diagonal (A is (max, min), and a wide
     * result is Qᵀ). */
    if (dt == NN_F64) {
        bool wide = rows < cols;
        int64_t m = wide ? cols : rows, n = wide ? rows : cols, ms[2] = {m, n};
        nn_rng_seed(&r, seed);
        nn_tensor *a;
        nn_randn(ctx, &a, &r, NN_F64, 2, ms);
        bool upper = true, positive = true;
        for (int64_t i = 0; i < n; i++)
            for (int64_t j = 0; j < n; j++) {
                double s = 0;
                for (int64_t p = 0; p < m; p++) {
                    double q = wide ? nn_get(w, p * rows + i) : nn_get(w, i * rows + p);
                    s += q / gain * nn_get(a, j * m + p);
                }
                if (i > j) upper = upper && fabs(s) < 1e-10;
                if (i == j) positive = positive && s > 0;
            }
        tap_ok(upper && positive, "  Q'A is upper triangular with a positive diagonal");
        nn_release(a);
    }
    nn_release(w);
}

static void test_orthogonal(void)
{
    int64_t tall[2] = {40, 12}, wide[2] = {7, 30}, sq[2] = {16, 16}, k3[3] = {4, 3, 5}, k3w[3] = {2, 2, 9};
    check_orthogonal(2, tall, 1, NN_F64, 1);
    check_orthogonal(2, tall, 1, NN_F32, 2);
    check_orthogonal(2, wide, 1, NN_F64, 3);
    check_orthogonal(2, wide, 1, NN_F32, 4);
    check_orthogonal(2, sq, 1, NN_F64, 5);
    check_orthogonal(2, tall, 2.5, NN_F64, 6);
    check_orthogonal(2, wide, 0.5, NN_F32, 7);
    check_orthogonal(3, k3, 1, NN_F64, 8);
    check_orthogonal(3, k3w, 1, NN_F64, 9);

    int64_t empty[2] = {0, 4};
    nn_rng r;
    nn_rng_seed(&r, 1);
    nn_tensor *w;
    tap_okst(ctx, nn_init(ctx, &w, &r, NN_INIT_ORTHOGONAL, NULL, NN_F32, 2, empty), "orthogonal (0, 4)");
    tap_ok(w->numel == 0 && w->shape[1] == 4, "is empty");
    nn_release(w);
}

static void test_errors(void)
{
    nn_rng r;
    nn_rng_seed(&r, 1);
    int64_t s[2] = {3, 4}, v[1] = {5}, neg[2] = {3, -4};
    nn_tensor sentinel, *t = &sentinel;
    tap_error(ctx, nn_init(ctx, &t, &r, NN_NUM_INIT, NULL, NN_F32, 2, s), NN_ERR_ARGUMENT, "unknown kind",
              "init", "unknown", NULL);
    tap_ok(t == NULL, "leaves *out NULL");
    tap_error(ctx, nn_init(ctx, &t, &r, NN_INIT_KAIMING_NORMAL, NULL, NN_I64, 2, s), NN_ERR_TYPE,
              "Int64 weights are a TypeError", "kaiming_normal", "Int64", NULL);
    tap_error(ctx, nn_init(ctx, &t, &r, NN_INIT_ZEROS, NULL, NN_BOOL, 2, s), NN_ERR_TYPE,
              "Bool zeros are a TypeError", "zeros", "Bool", NULL);
    tap_error(ctx, nn_init(ctx, &t, &r, NN_INIT_ORTHOGONAL, NULL, NN_F32, 1, v), NN_ERR_ARGUMENT,
              "orthogonal of a vector", "orthogonal", "at least 2 dimensions", "(5,)", NULL);
    tap_error(ctx, nn_init(ctx, &t, &r, NN_INIT_GLOROT_UNIFORM, NULL, NN_F32, 2, neg), NN_ERR_ARGUMENT,
              "negative size", "negative", NULL);
    nn_init_opts o;
    nn_init_defaults(NN_INIT_TRUNCATED_NORMAL, &o);
    o.std = 0;
    tap_error(ctx, nn_init(ctx, &t, &r, NN_INIT_TRUNCATED_NORMAL, &o, NN_F32, 2, s), NN_ERR_ARGUMENT,
              "truncated_normal with std 0", "truncated_normal", "std", NULL);
    nn_init_defaults(NN_INIT_TRUNCATED_NORMAL, &o);
    o.lo = 1, o.hi = 1;
    tap_error(ctx, nn_init(ctx, &t, &r, NN_INIT_TRUNCATED_NORMAL, &o, NN_F32, 2, s), NN_ERR_ARGUMENT,
              "truncated_normal with lo = hi", "lo < hi", NULL);
    tap_ok(t == NULL && nn_ctx_bytes_live(ctx) == 0, "failed calls leave nothing allocated");

    /* Under a memory limit every allocation inside orthogonal may fail in
     * turn; each failure must be clean. */
    int64_t big[2] = {64, 48};
    bool clean = true;
    int failures = 0, successes = 0;
    for (size_t limit = 4096; limit < (1u << 20); limit += 4096) {
        nn_ctx_trim(ctx);
        nn_ctx_set_memory_limit(ctx, limit);
        nn_status st = nn_init(ctx, &t, &r, NN_INIT_ORTHOGONAL, NULL, NN_F32, 2, big);
        if (st == NN_OK) {
            successes++;
            nn_release(t);
        } else {
            failures++;
            clean = clean && st == NN_ERR_MEMORY && t == NULL;
            nn_ctx_clear_error(ctx);
        }
        clean = clean && nn_ctx_bytes_live(ctx) == 0;
    }
    nn_ctx_set_memory_limit(ctx, 0);
    tap_ok(clean && failures > 1 && successes > 0,
           "orthogonal under a memory limit fails cleanly (%d failures, %d successes)", failures, successes);
}

int main(void)
{
    ctx = nn_ctx_new();
    test_fans_and_defaults();
    test_std_and_bounds();
    test_same_stream();
    test_zeros_ones();
    test_truncated_normal();
    test_erfinv();
    test_orthogonal();
    test_errors();
    tap_ok(nn_ctx_bytes_live(ctx) == 0, "no live tensors left");
    nn_ctx_free(ctx);
    return tap_done();
}
