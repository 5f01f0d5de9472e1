/* rng.c — Xoshiro256++ (Blackman & Vigna) seeded by SplitMix64, and the random
 * tensors built on it.  The generator state belongs to the caller and tensors
 * are filled sequentially in column-major order, so a seed gives the same
 * numbers on every run, machine and thread count.
 */
#include "internal.h"

#include <math.h>

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* SplitMix64 spreads a small or patterned seed over all 256 bits, and never
 * yields the all-zero state Xoshiro cannot leave. */
static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void nn_rng_seed(nn_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

uint64_t nn_rng_next(nn_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[0] + s[3], 23) + s[0];
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double nn_rng_uniform(nn_rng *r)
{
    return (double)(nn_rng_next(r) >> 11) * 0x1.0p-53;
}

/* 24 bits: every value is a Float32 exactly, so rounding can never give 1. */
static float uniform_f32(nn_rng *r)
{
    return (float)(nn_rng_next(r) >> 40) * 0x1.0p-24f;
}

/* Box–Muller in double, keeping only the cosine branch: two draws per value,
 * no cached spare, so the output depends on the state alone. */
double nn_rng_normal(nn_rng *r)
{
    double u1 = 1.0 - nn_rng_uniform(r); /* (0, 1]: log stays finite */
    double u2 = nn_rng_uniform(r);
    return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

/* Lemire's multiply-and-reject: the high word of x*n is uniform in [0, n)
 * once the low words below 2^64 mod n are thrown away. */
uint64_t nn_rng_below(nn_rng *r, uint64_t n)
{
    if (n == 0) return 0;
    unsigned __int128 m = (unsigned __int128)nn_rng_next(r) * n;
    uint64_t lo = (uint64_t)m;
    if (lo < n) {
        uint64_t threshold = -n % n;
        while (lo < threshold) {
            m = (unsigned __int128)nn_rng_next(r) * n;
            lo = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

/* ---- random tensors ---------------------------------------------------------- */

static nn_status float_only(nn_ctx *ctx, const char *op, nn_dtype t)
{
    if (nn_dtype_is_float(t)) return NN_OK;
    return nn_error(ctx, NN_ERR_TYPE, "%s: the element type must be Float32 or Float64, got %s", op,
                    nn_dtype_name(t));
}

nn_status nn_rand(nn_ctx *ctx, nn_tensor **out, nn_rng *r, nn_dtype t, int ndim, const int64_t *shape)
{
    *out = NULL;
    NN_TRY(float_only(ctx, "rand", t));
    NN_TRY(nn_empty(ctx, out, t, ndim, shape));
    int64_t n = (*out)->numel;
    if (t == NN_F32) {
        float *d = nn_data(*out);
        for (int64_t i = 0; i < n; i++)
            d[i] = uniform_f32(r);
    } else {
        double *d = nn_data(*out);
        for (int64_t i = 0; i < n; i++)
            d[i] = nn_rng_uniform(r);
    }
    return NN_OK;
}

nn_status nn_randn(nn_ctx *ctx, nn_tensor **out, nn_rng *r, nn_dtype t, int ndim, const int64_t *shape)
{
    *out = NULL;
    NN_TRY(float_only(ctx, "randn", t));
    NN_TRY(nn_empty(ctx, out, t, ndim, shape));
    int64_t n = (*out)->numel;
    if (t == NN_F32) {
        float *d = nn_data(*out);
        for (int64_t i = 0; i < n; i++)
            d[i] = (float)nn_rng_normal(r);
    } else {
        double *d = nn_data(*out);
        for (int64_t i = 0; i < n; i++)
            d[i] = nn_rng_normal(r);
    }
    return NN_OK;
}

/* Fisher–Yates from the top, as Julia's randperm. */
nn_status nn_randperm(nn_ctx *ctx, nn_tensor **out, nn_rng *r, int64_t n)
{
    *out = NULL;
    if (n < 0) return nn_error(ctx, NN_ERR_ARGUMENT, "randperm: length %lld is negative", (long long)n);
    NN_TRY(nn_empty(ctx, out, NN_I64, 1, &n));
    int64_t *d = nn_data(*out);
    for (int64_t i = 0; i < n; i++)
        d[i] = i + 1;
    for (int64_t i = n - 1; i > 0; i--) {
        int64_t j = (int64_t)nn_rng_below(r, (uint64_t)i + 1);
        int64_t tmp = d[i];
        d[i] = d[j];
        d[j] = tmp;
    }
    return NN_OK;
}

nn_status nn_bernoulli(nn_ctx *ctx, nn_tensor **out, nn_rng *r, double p, int ndim, const int64_t *shape)
{
    *out = NULL;
    if (!(p >= 0 && p <= 1)) /* NaN too */
        return nn_error(ctx, NN_ERR_ARGUMENT, "bernoulli: probability %g is not in [0, 1]", p);
    NN_TRY(nn_empty(ctx, out, NN_BOOL, ndim, shape));
    uint8_t *d = nn_data(*out);
    for (int64_t i = 0; i < (*out)->numel; i++)
        d[i] = nn_rng_uniform(r) < p;
    return NN_OK;
}
