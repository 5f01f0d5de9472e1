/* test_rng.c — Xoshiro256++ and SplitMix64 against the published algorithms,
 * determinism, the moments of uniform and normal draws, unbiased bounded
 * integers, randperm and bernoulli, and their error paths.
 */
#include "tap.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

static nn_ctx *ctx;

/* Expected values below come from a 20-line Python transcription of Blackman
 * & Vigna's reference C (xoshiro256plusplus.c, splitmix64.c), run with
 * Python's exact integers; the normals apply Box–Muller (cosine branch, u1 =
 * 1 - U) with Python's math.log/cos; below() and randperm are Lemire's
 * multiply-and-reject and Fisher–Yates from the top, written there again. */

static void test_reference_streams(void)
{
    nn_rng r = {{1, 2, 3, 4}};
    const uint64_t want1234[6] = {0x0000000002800001ULL, 0x0000000003800067ULL, 0x000cc00003800067ULL,
                                  0x000cc201994400b2ULL, 0x8012a2019ac433cdULL, 0x8a69978acdee33baULL};
    bool ok = true;
    for (int i = 0; i < 6; i++)
        ok = ok && nn_rng_next(&r) == want1234[i];
    tap_ok(ok, "xoshiro256++ from state (1, 2, 3, 4) matches the reference");

    nn_rng_seed(&r, 0);
    tap_ok(r.s[0] == 0xe220a8397b1dcdafULL && r.s[1] == 0x6e789e6aa1b965f4ULL &&
               r.s[2] == 0x06c45d188009454fULL && r.s[3] == 0xf88bb8a8724c81ecULL,
           "seed 0: state is SplitMix64's first four outputs");
    const uint64_t want0[4] = {0x53175d61490b23dfULL, 0x61da6f3dc380d507ULL, 0x5c0fdf91ec9a7bfcULL,
                               0x02eebf8c3bbe5e1aULL};
    ok = true;
    for (int i = 0; i < 4; i++)
        ok = ok && nn_rng_next(&r) == want0[i];
    tap_ok(ok, "seed 0: first outputs");

    nn_rng_seed(&r, 42);
    tap_ok(r.s[0] == 0xbdd732262feb6e95ULL && r.s[1] == 0x28efe333b266f103ULL &&
               r.s[2] == 0x47526757130f9f52ULL && r.s[3] == 0x581ce1ff0e4ae394ULL,
           "seed 42: SplitMix64 state");
    const double u53[3] = {0.8143051451229099, 0.3188210400616611, 0.9838941681774888};
    ok = true;
    for (int i = 0; i < 3; i++)
        ok = ok && nn_rng_uniform(&r) == u53[i];
    tap_ok(ok, "seed 42: uniform doubles are the top 53 bits");

    int64_t s3 = 3;
    nn_tensor *t;
    nn_rng_seed(&r, 42);
    nn_rand(ctx, &t, &r, NN_F32, 1, &s3);
    const double u24[3] = {0.8143051266670227, 0.3188210129737854, 0.9838941097259521};
    tap_tensor_close(t, u24, 3, 0, 0, "seed 42: Float32 rand uses the top 24 bits");
    nn_release(t);
    nn_rng_seed(&r, 42);
    nn_rand(ctx, &t, &r, NN_F64, 1, &s3);
    tap_tensor_close(t, u53, 3, 0, 0, "seed 42: Float64 rand is nn_rng_uniform in order");
    nn_release(t);

    const double z7[3] = {0.15864398364230053, -1.4267532562805325, -2.515258995020244};
    nn_rng_seed(&r, 7);
    ok = true;
    for (int i = 0; i < 3; i++)
        ok = ok && fabs(nn_rng_normal(&r) - z7[i]) < 1e-14;
    tap_ok(ok, "seed 7: Box-Muller normals");
    nn_rng_seed(&r, 7);
    nn_randn(ctx, &t, &r, NN_F64, 1, &s3);
    tap_tensor_close(t, z7, 3, 0, 1e-14, "seed 7: randn is nn_rng_normal in order");
    nn_release(t);

    const uint64_t b5[12] = {2, 6, 0, 0, 5, 7, 4, 0, 8, 8, 9, 8};
    nn_rng_seed(&r, 5);
    ok = true;
    for (int i = 0; i < 12; i++)
        ok = ok && nn_rng_below(&r, 10) == b5[i];
    tap_ok(ok, "seed 5: below(10) is Lemire's method");

    const double p9[10] = {3, 9, 5, 8, 10, 1, 7, 2, 4, 6};
    nn_rng_seed(&r, 9);
    nn_randperm(ctx, &t, &r, 10);
    tap_ok(t->dtype == NN_I64 && t->ndim == 1 && t->shape[0] == 10, "randperm is an Int64 vector");
    tap_tensor_close(t, p9, 10, 0, 0, "seed 9: randperm(10)");
    nn_release(t);
}

static bool same_values(const nn_tensor *a, const nn_tensor *b)
{
    if (!nn_same_shape(a, b) || a->dtype != b->dtype) return false;
    for (int64_t i = 0; i < a->numel; i++)
        if (nn_get(a, i) != nn_get(b, i)) return false;
    return true;
}

static void test_determinism(void)
{
    int64_t s[2] = {300, 700};
    nn_rng r;
    nn_tensor *a, *b, *c;
    int threads = nn_get_num_threads();
    nn_set_num_threads(1);
    nn_rng_seed(&r, 1234);
    nn_randn(ctx, &a, &r, NN_F32, 2, s);
    nn_set_num_threads(4);
    nn_rng_seed(&r, 1234);
    nn_randn(ctx, &b, &r, NN_F32, 2, s);
    nn_rng_seed(&r, 1235);
    nn_randn(ctx, &c, &r, NN_F32, 2, s);
    nn_set_num_threads(threads);
    tap_ok(same_values(a, b), "same seed, same tensor (whatever the thread count)");
    int64_t equal = 0;
    for (int64_t i = 0; i < a->numel; i++)
        equal += nn_get(a, i) == nn_get(c, i);
    tap_ok(equal < 10, "a different seed gives different numbers (%lld equal)", (long long)equal);
    nn_release(a);
    nn_release(b);
    nn_release(c);

    /* The generator moves on: two calls in a row differ, and a copied state
     * replays. */
    nn_rng_seed(&r, 3);
    nn_rng saved = r;
    nn_rand(ctx, &a, &r, NN_F64, 2, s);
    nn_rand(ctx, &b, &r, NN_F64, 2, s);
    r = saved;
    nn_rand(ctx, &c, &r, NN_F64, 2, s);
    tap_ok(!same_values(a, b) && same_values(a, c), "state advances; a saved state replays");
    nn_release(a);
    nn_release(b);
    nn_release(c);
}

/* Tolerances are 6 standard errors of each statistic for n = 10^5 draws. */
static void test_moments(void)
{
    enum { N = 100000 };
    int64_t n = N;
    nn_rng r;
    nn_rng_seed(&r, 2024);
    nn_tensor *t;
    for (int k = 0; k < 2; k++) {
        nn_dtype dt = k ? NN_F64 : NN_F32;
        const char *dn = nn_dtype_name(dt);
        nn_rand(ctx, &t, &r, dt, 1, &n);
        double m = 0, v = 0;
        bool inrange = true, grid = true;
        for (int64_t i = 0; i < n; i++) {
            double x = nn_get(t, i);
            inrange = inrange && x >= 0 && x < 1;
            double scaled = ldexp(x, k ? 53 : 24);
            grid = grid && scaled == floor(scaled);
            m += x;
        }
        m /= N;
        for (int64_t i = 0; i < n; i++)
            v += (nn_get(t, i) - m) * (nn_get(t, i) - m);
        v /= N - 1;
        tap_ok(t->dtype == dt && inrange, "rand %s: every value in [0, 1)", dn);
        tap_ok(grid, "rand %s: values on the 2^-%d grid", dn, k ? 53 : 24);
        tap_close(m, 0.5, 6 * sqrt(1.0 / 12 / N), "rand: mean 1/2");
        tap_close(v, 1.0 / 12, 6 * sqrt((1.0 / 80 - 1.0 / 144) / N), "rand: variance 1/12");
        nn_release(t);

        nn_randn(ctx, &t, &r, dt, 1, &n);
        double s1 = 0, s2 = 0, s3 = 0, s4 = 0, within1 = 0;
        for (int64_t i = 0; i < n; i++) {
            double x = nn_get(t, i);
            s1 += x, s2 += x * x, s3 += x * x * x, s4 += x * x * x * x;
            within1 += fabs(x) < 1;
        }
        tap_close(s1 / N, 0, 6 / sqrt(N), "randn: mean 0");
        tap_close(s2 / N, 1, 6 * sqrt(2.0 / N), "randn: variance 1");
        tap_close(s3 / N, 0, 6 * sqrt(15.0 / N), "randn: third moment 0");
        tap_close(s4 / N, 3, 6 * sqrt(96.0 / N), "randn: fourth moment 3");
        tap_close(within1 / N, 0.6826894921370859, 6 * sqrt(0.2166 / N), "randn: P(|x| < 1)");
        nn_release(t);
    }
}

static void test_below(void)
{
    nn_rng r;
    nn_rng_seed(&r, 11);
    enum { K = 7, DRAWS = 70000 };
    int64_t count[K] = {0};
    bool inrange = true;
    for (int i = 0; i < DRAWS; i++) {
        uint64_t v = nn_rng_below(&r, K);
        inrange = inrange && v < K;
        if (v < K) count[v]++;
    }
    tap_ok(inrange, "below(7) never reaches 7");
    bool even = true;
    double sd = sqrt(DRAWS * (1.0 / K) * (1 - 1.0 / K));
    for (int k = 0; k < K; k++)
        even = even && fabs((double)count[k] - DRAWS / K) < 6 * sd;
    tap_ok(even, "below(7) hits each value about 10000 times (%lld, %lld, ... %lld)", (long long)count[0],
           (long long)count[1], (long long)count[K - 1]);

    bool ones = true;
    for (int i = 0; i < 100; i++)
        ones = ones && nn_rng_below(&r, 1) == 0;
    tap_ok(ones, "below(1) is always 0");
    tap_ok(nn_rng_below(&r, 0) == 0, "below(0) gives 0 rather than dividing by zero");
    /* 2^63 + 1 rejects almost half the draws: the slow path runs constantly. */
    const uint64_t big = (1ULL << 63) + 1;
    int upper = 0;
    inrange = true;
    for (int i = 0; i < 10000; i++) {
        uint64_t v = nn_rng_below(&r, big);
        inrange = inrange && v < big;
        upper += v >= big / 2;
    }
    tap_ok(inrange, "below(2^63 + 1) stays below");
    tap_close(upper / 10000.0, 0.5, 6 * sqrt(0.25 / 10000), "below(2^63 + 1): upper half half the time");
    inrange = true;
    for (int i = 0; i < 1000; i++)
        inrange = inrange && nn_rng_below(&r, UINT64_MAX) < UINT64_MAX;
    tap_ok(inrange, "below(2^64 - 1) stays below");
}

static void test_randperm(void)
{
    nn_rng r;
    nn_rng_seed(&r, 99);
    nn_tensor *t;
    tap_okst(ctx, nn_randperm(ctx, &t, &r, 1000), "randperm(1000)");
    bool *seen = calloc(1001, 1);
    bool perm = true;
    int64_t fixed = 0;
    for (int64_t i = 0; i < 1000; i++) {
        int64_t v = ((const int64_t *)nn_data(t))[i];
        perm = perm && v >= 1 && v <= 1000 && !seen[v];
        if (v >= 1 && v <= 1000) seen[v] = true;
        fixed += v == i + 1;
    }
    tap_ok(perm, "randperm(1000) is a permutation of 1..1000");
    tap_ok(fixed < 10, "and not close to the identity (%lld fixed points)", (long long)fixed);
    free(seen);
    nn_release(t);

    tap_okst(ctx, nn_randperm(ctx, &t, &r, 0), "randperm(0)");
    tap_ok(t->ndim == 1 && t->shape[0] == 0, "is an empty vector");
    nn_release(t);
    nn_randperm(ctx, &t, &r, 1);
    tap_ok(t->numel == 1 && nn_get(t, 0) == 1, "randperm(1) is [1]");
    nn_release(t);

    /* Every one of the 6 permutations of 3 shows up about equally often. */
    int count[6] = {0};
    for (int k = 0; k < 6000; k++) {
        nn_randperm(ctx, &t, &r, 3);
        const int64_t *d = nn_data(t);
        int code = (int)((d[0] - 1) * 2 + (d[1] > d[2]));
        count[code]++;
        nn_release(t);
    }
    bool even = true;
    for (int k = 0; k < 6; k++)
        even = even && abs(count[k] - 1000) < 6 * 29;
    tap_ok(even, "randperm(3): all six orders about 1000 times each");
}

static void test_bernoulli(void)
{
    nn_rng r;
    nn_rng_seed(&r, 5);
    int64_t s[2] = {1000, 100};
    nn_tensor *t;
    tap_okst(ctx, nn_bernoulli(ctx, &t, &r, 0.3, 2, s), "bernoulli(0.3) of (1000, 100)");
    tap_ok(t->dtype == NN_BOOL && t->ndim == 2 && t->shape[1] == 100, "is a Bool (1000, 100)");
    double hits = 0;
    bool binary = true;
    for (int64_t i = 0; i < t->numel; i++) {
        double v = nn_get(t, i);
        binary = binary && (v == 0 || v == 1);
        hits += v;
    }
    tap_ok(binary, "values are 0 or 1");
    tap_close(hits / 1e5, 0.3, 6 * sqrt(0.21 / 1e5), "frequency 0.3");
    nn_release(t);

    double all0 = 0, all1 = 0;
    nn_bernoulli(ctx, &t, &r, 0, 2, s);
    for (int64_t i = 0; i < t->numel; i++)
        all0 += nn_get(t, i);
    nn_release(t);
    nn_bernoulli(ctx, &t, &r, 1, 2, s);
    for (int64_t i = 0; i < t->numel; i++)
        all1 += nn_get(t, i);
    nn_release(t);
    tap_ok(all0 == 0 && all1 == 1e5, "p = 0 never, p = 1 always");
}

static void test_errors(void)
{
    nn_rng r;
    nn_rng_seed(&r, 1);
    int64_t s[2] = {2, 3}, neg[2] = {2, -1};
    nn_tensor sentinel, *t = &sentinel; /* must come back NULL */
    tap_error(ctx, nn_rand(ctx, &t, &r, NN_I32, 2, s), NN_ERR_TYPE, "rand of Int32 is a TypeError", "rand",
              "Int32", NULL);
    tap_ok(t == NULL, "and leaves *out NULL");
    tap_error(ctx, nn_randn(ctx, &t, &r, NN_BOOL, 2, s), NN_ERR_TYPE, "randn of Bool is a TypeError", "randn",
              "Bool", NULL);
    tap_error(ctx, nn_rand(ctx, &t, &r, NN_F32, 2, neg), NN_ERR_ARGUMENT, "rand with a negative size",
              "negative", NULL);
    tap_error(ctx, nn_randperm(ctx, &t, &r, -3), NN_ERR_ARGUMENT, "randperm(-3)", "randperm", "-3", NULL);
    tap_error(ctx, nn_bernoulli(ctx, &t, &r, 1.5, 2, s), NN_ERR_ARGUMENT, "bernoulli(1.5)", "bernoulli",
              "1.5", "[0, 1]", NULL);
    tap_error(ctx, nn_bernoulli(ctx, &t, &r, -0.1, 2, s), NN_ERR_ARGUMENT, "bernoulli(-0.1)", "-0.1", NULL);
    tap_error(ctx, nn_bernoulli(ctx, &t, &r, NAN, 2, s), NN_ERR_ARGUMENT, "bernoulli(NaN)", "nan", NULL);
    tap_ok(t == NULL && nn_ctx_bytes_live(ctx) == 0, "nothing allocated by failed calls");
}

int main(void)
{
    ctx = nn_ctx_new();
    test_reference_streams();
    test_determinism();
    test_moments();
    test_below();
    test_randperm();
    test_bernoulli();
    test_errors();
    tap_ok(nn_ctx_bytes_live(ctx) == 0, "no live tensors left");
    nn_ctx_free(ctx);
    return tap_done();
}
