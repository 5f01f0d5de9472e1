/* vmath.h — Float32 exp, log, log1p and tanh written without calls or
 * branches, so that loops over them vectorise.  A scalar tanhf per element
 * costs as much as the matrix product it follows; these cost a few cycles.
 * Accuracy: within a few ulp of the correctly rounded result (tests/nn).
 */
#ifndef NN_VMATH_H
#define NN_VMATH_H

#include <math.h>
#include <stdint.h>
#include <string.h>

static inline float nn_bits_f(uint32_t u)
{
    float f;
    memcpy(&f, &u, 4);
    return f;
}
static inline uint32_t nn_f_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

/* e^x: x = n ln2 + r with |r| <= ln2/2, e^r by its Taylor series to r^7
 * (truncation < 6e-9 relative), then 2^n through the exponent bits. */
static inline float nn_expf(float x)
{
    float xc = x < -104.0f ? -104.0f : (x > 88.75f ? 88.75f : x);
    /* round to nearest by the 1.5*2^23 trick: roundf has no SSE2 vector form */
    float n = (xc * 1.44269504f + 0x1.8p23f) - 0x1.8p23f;
    float r = xc - n * 0.693145752f; /* ln2, high part (exact product) */
    r = r - n * 1.42860677e-6f;      /* ln2, low part */
    float p = 1.0f / 5040.0f;
    p = p * r + 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    /* 2^n in two halves, so subnormal and near-overflow results stay exact */
    int32_t ni = (int32_t)n, n1 = ni / 2, n2 = ni - n1;
    float y = p * nn_bits_f((uint32_t)(n1 + 127) << 23) * nn_bits_f((uint32_t)(n2 + 127) << 23);
    y = x < -104.0f ? 0.0f : y;
    y = x > 88.7228394f ? INFINITY : y;
    return x != x ? x : y;
}

/* log x: x = m 2^e with m in [sqrt(1/2), sqrt(2)), log m = 2 atanh(f),
 * f = (m-1)/(m+1), |f| <= 0.172, series to f^11. */
static inline float nn_logf(float x)
{
    int sub = x < 1.17549435e-38f; /* subnormal: scale up first */
    float xs = sub ? x * 8388608.0f : x;
    uint32_t u = nn_f_bits(xs);
    int32_t e = (int32_t)((u >> 23) & 0xff) - 127 - (sub ? 23 : 0);
    float m = nn_bits_f((u & 0x007fffffu) | 0x3f800000u); /* [1, 2) */
    int big = m > 1.41421356f;
    m = big ? m * 0.5f : m;
    e += big;
    float f = (m - 1.0f) / (m + 1.0f), f2 = f * f;
    float p = 2.0f / 11.0f;
    p = p * f2 + 2.0f / 9.0f;
    p = p * f2 + 2.0f / 7.0f;
    p = p * f2 + 2.0f / 5.0f;
    p = p * f2 + 2.0f / 3.0f;
    p = p * f2 + 2.0f;
    float y = p * f + (float)e * 0.693147181f;
    y = x == INFINITY ? INFINITY : y;
    y = x == 0.0f ? -INFINITY : y;
    return (x < 0.0f || x != x) ? NAN : y;
}

/* log(1+x) = log(u) - ((u-1)-x)/u with u = 1+x corrects u's rounding; at
 * u = 0 the correction is 0/0, and log1p(-1) is -Inf. */
static inline float nn_log1pf(float x)
{
    float u = 1.0f + x;
    float y = nn_logf(u) - ((u - 1.0f) - x) / u;
    y = u == 0.0f ? -INFINITY : y;
    return u == 1.0f ? x : (x == INFINITY ? x : y);
}

/* e^y - 1 for y <= 0: Taylor near 0 (no cancellation), exp(y) - 1 beyond. */
static inline float nn_expm1f_neg(float y)
{
    float p = 1.0f / 40320.0f;
    p = p * y + 1.0f / 5040.0f;
    p = p * y + 1.0f / 720.0f;
    p = p * y + 1.0f / 120.0f;
    p = p * y + 1.0f / 24.0f;
    p = p * y + 1.0f / 6.0f;
    p = p * y + 0.5f;
    p = p * y + 1.0f;
    float small = p * y;
    return y > -0.35f ? small : nn_expf(y) - 1.0f;
}

/* tanh|x| = -m/(m+2), m = expm1(-2|x|): accurate near 0 and saturating. */
static inline float nn_tanhf(float x)
{
    /* tanh(9) is within an ulp of 1 in Float32; clamping keeps exp away from
     * the subnormal range, where x86 arithmetic is a hundred times slower */
    float a = fabsf(x);
    a = a > 9.0f ? 9.0f : a;
    float m = nn_expm1f_neg(-2.0f * a);
    float t = -m / (m + 2.0f);
    return copysignf(t, x); /* tanh(-0) is -0; NaN stays NaN */
}

/* Clamped so neither exp nor the quotient is subnormal (see nn_tanhf):
 * sigmoid(20) rounds to 1, and below -87 the result is below 2e-38, flushed
 * to 0 so that sigmoid(-Inf) is 0. */
static inline float nn_sigmoidf(float x)
{
    float xc = x < -87.0f ? -87.0f : (x > 20.0f ? 20.0f : x);
    float y = 1.0f / (1.0f + nn_expf(-xc));
    return x < -87.0f ? 0.0f : y;
}

#endif
