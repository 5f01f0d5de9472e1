/* cpu/pooling.c — max, mean and LP pooling and nearest / linear upsampling
 * over the leading 1 to 3 dims of (spatial..., slices...) tensors, with their
 * gradients.  One slice (a channel of one sample) is one unit of work, so the
 * backward scatters need no atomics.  Window bounds and interpolation taps are
 * tabulated once per call, so the inner loops test no padding; pooling runs
 * them over a row of outputs per window tap (vectorised, no dependency from
 * tap to tap), and non-overlapping 2×2 max windows, the common case, have a
 * loop of their own.
 */
#include "../internal.h"
#include "kernels.h"

#include <math.h>
#include <string.h>

#define GRAIN 16384 /* elements touched per thread-pool chunk, at least */

/* Units of `per` elements each, grouped so that a chunk is worth a thread. */
static nn_status run_slices(nn_ctx *ctx, int64_t nslices, int64_t per, nn_range_fn fn, void *job)
{
    if (nslices == 0) return NN_OK;
    int64_t grain = GRAIN / (per > 0 ? per : 1);
    return nn_parallel_for(ctx, nslices, grain > 0 ? grain : 1, fn, job);
}

/* x (or gx) seen as nd spatial dims padded to 3 with size-1 dims, then slices. */
typedef struct {
    int64_t in[3], out[3], insz, outsz, nslices;
} geom;

static geom geometry(const nn_tensor *x, const nn_tensor *y, int nd)
{
    geom g = {{1, 1, 1}, {1, 1, 1}, 1, 1, 1};
    for (int i = 0; i < nd; i++) {
        g.in[i] = x->shape[i];
        g.out[i] = y->shape[i];
        g.insz *= g.in[i];
        g.outsz *= g.out[i];
    }
    for (int i = nd; i < x->ndim; i++)
        g.nslices *= x->shape[i];
    return g;
}

/* ==== pooling ================================================================================= */

/* Along dims 2 and 3, per output position o: the first input cell of its
 * window (o s - lo, negative inside the padding) and the taps [a, b) of the
 * window that land inside the input.  Along dim 1 the loops run the other way
 * round, over a row of outputs for one tap at a time, so that they carry no
 * chain from tap to tap and vectorise: per tap k, its offset (input cell
 * o s + start) and the outputs [a, b) for which it lands inside the input. */
typedef struct {
    int64_t start, a, b;
} pool_tap;

typedef struct {
    geom g;
    int64_t k0, s0, d[3];
    const pool_tap *tap[3]; /* [0]: per tap along dim 1; [1], [2]: per output */
    double p, scale;        /* lp's power; mean's 1 / window size */
    char *y, *gx;
    const char *x, *gy, *yv;
    int64_t *idx;
    const int64_t *cidx;
} pool_job;

static int64_t floor_div(int64_t a, int64_t b) /* b > 0 */
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static int64_t clamp(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static void pool_taps(pool_tap *t, int64_t in, int64_t out, int64_t k, int64_t s, int64_t d, int64_t lo)
{
    for (int64_t o = 0; o < out; o++) {
        int64_t st = o * s - lo;
        int64_t a = clamp(st >= 0 ? 0 : floor_div(-st + d - 1, d), 0, k);
        int64_t b = clamp(floor_div(in - 1 - st, d) + 1, a, k);
        t[o] = (pool_tap){st, a, b};
    }
}

static void pool_rows(pool_tap *t, int64_t in, int64_t out, int64_t k, int64_t s, int64_t d, int64_t lo)
{
    for (int64_t kk = 0; kk < k; kk++) {
        int64_t off = kk * d - lo;
        int64_t a = clamp(off >= 0 ? 0 : floor_div(-off + s - 1, s), 0, out);
        int64_t b = clamp(floor_div(in - 1 - off, s) + 1, a, out);
        t[kk] = (pool_tap){off, a, b};
    }
}

#define CHUNK 128 /* outputs along dim 1 handled together */

/* Runs the body for each chunk of up to CHUNK outputs along dim 1 of every
 * row of a slice: the chunk's outputs are [c0, c0 + n) of the row, the first
 * of them at position `o` in the slice; (s1, a1, b1) and (s2, a2, b2) are the
 * row's taps.  Bounds are copied into locals, which the stores of the body
 * cannot alias. */
#define ROWS(j, ...)                                                                                         \
    const int64_t in0_ = (j)->g.in[0], in1_ = (j)->g.in[1], d1_ = (j)->d[1], d2_ = (j)->d[2];                \
    const int64_t s0_ = (j)->s0, K0_ = (j)->k0, O0_ = (j)->g.out[0], O1_ = (j)->g.out[1];                    \
    const int64_t O2_ = (j)->g.out[2];                                                                       \
    const pool_tap *R0_ = (j)->tap[0], *T1_ = (j)->tap[1], *T2_ = (j)->tap[2];                               \
    for (int64_t o2 = 0; o2 < O2_; o2++) {                                                                   \
        const int64_t s2 = T2_[o2].start, a2 = T2_[o2].a, b2 = T2_[o2].b;                                    \
        for (int64_t o1 = 0; o1 < O1_; o1++) {                                                               \
            const int64_t s1 = T1_[o1].start, a1 = T1_[o1].a, b1 = T1_[o1].b;                                \
            for (int64_t c0 = 0; c0 < O0_; c0 += CHUNK) {                                                    \
                const int64_t n = O0_ - c0 < CHUNK ? O0_ - c0 : CHUNK;                                       \
                const int64_t o = (o2 * O1_ + o1) * O0_ + c0;                                                \
                __VA_ARGS__;                                                                                 \
            }                                                                                                \
        }                                                                                                    \
    }

/* Inside ROWS: runs the body for each tap of the chunk's windows in window
 * order (dim 3 slowest, dim 1 fastest) and each output q (0-based in the
 * chunk) it lands inside the input for, with `i` (of type I) the input cell. */
#define TAPS_I(I, ...)                                                                                       \
    for (int64_t k2 = a2; k2 < b2; k2++)                                                                     \
        for (int64_t k1 = a1; k1 < b1; k1++) {                                                               \
            const int64_t rb = ((s2 + k2 * d2_) * in1_ + s1 + k1 * d1_) * in0_ + c0 * s0_;                   \
            for (int64_t kk = 0; kk < K0_; kk++) {                                                           \
                const int64_t qa = R0_[kk].a > c0 ? R0_[kk].a - c0 : 0;                                      \
                const int64_t qb = R0_[kk].b - c0 < n ? R0_[kk].b - c0 : n;                                  \
                if (qa >= qb) continue;                                                                      \
                const I base = (I)(rb + R0_[kk].start), st = (I)s0_;                                         \
                for (I q = (I)qa; q < (I)qb; q++) {                                                          \
                    const I i = base + q * st;                                                               \
                    __VA_ARGS__;                                                                             \
                }                                                                                            \
            }                                                                                                \
        }
#define TAPS(...) TAPS_I(int64_t, __VA_ARGS__)

/* Non-overlapping 2×2 windows inside the input (the usual MaxPool((2, 2))):
 * two rows at a time, no tables. */
static bool is_2x2(const pool_job *j, const nn_pool_params *p)
{
    return p->nd >= 2 && p->k[0] == 2 && p->k[1] == 2 && p->stride[0] == 2 && p->stride[1] == 2 &&
           p->dilation[0] == 1 && p->dilation[1] == 1 && p->k[2] == 1 && p->stride[2] == 1 && !p->pad[0] &&
           !p->pad[1] && !p->pad[2] && !p->pad[3] && !p->pad[4] && !p->pad[5] &&
           j->g.out[0] * 2 <= j->g.in[0] && j->g.out[1] * 2 <= j->g.in[1];
}

/* v takes over from the running maximum m: v > m, or v is NaN and m is not
 * (NaN wins its window and the first NaN stays, as PyTorch); bitwise, so
 * that the loops stay branch-free. */
#define BEATS(v, m) (!((v) <= (m)) & ((m) == (m)))

#define MAXPOOL(SUF, T, I)                                                                                   \
    NN_VECTOR_CLONES static void max_##SUF(void *arg, int64_t lo, int64_t hi)                                \
    {                                                                                                        \
        const pool_job *j = arg;                                                                             \
        T m[CHUNK];                                                                                          \
        I w[CHUNK];                                                                                          \
        for (int64_t sl = lo; sl < hi; sl++) {                                                               \
            const T *X = (const T *)j->x + sl * j->g.insz;                                                   \
            T *Y = (T *)j->y + sl * j->g.outsz;                                                              \
            int64_t *IX = j->idx ? j->idx + sl * j->g.outsz : NULL;                                          \
            ROWS(j, {                                                                                        \
                for (int64_t q = 0; q < n; q++) {                                                            \
                    m[q] = -(T)INFINITY;                                                                     \
                    w[q] = -1;                                                                               \
                }                                                                                            \
                TAPS_I(I, {                                                                                  \
                    T v = X[i];                                                                              \
                    bool u = (w[q] < 0) | BEATS(v, m[q]);                                                    \
                    m[q] = u ? v : m[q];                                                                     \
                    w[q] = u ? i : w[q];                                                                     \
                })                                                                                           \
                memcpy(Y + o, m, (size_t)n * sizeof(T));                                                     \
                if (IX)                                                                                      \
                    for (int64_t q = 0; q < n; q++)                                                          \
                        IX[o + q] = w[q];                                                                    \
            })                                                                                               \
        }                                                                                                    \
    }

/* One output row of a 2×2 max pool: y[q] the maximum of r0[2q], r0[2q+1], r1[2q], r1[2q+1] and
 * w[q] (when w) its place 0-3, the first maximum in that order.  Written with vector types,
 * even and odd columns split by shuffles, since the compiler left the strided loop scalar and
 * branchy (random data mispredicts every window). */
typedef float v8f __attribute__((vector_size(32)));
typedef int32_t v8i __attribute__((vector_size(32)));

/* macros, not functions: a vector return type would change the ABI of the baseline clone */
#define BEATS8(v, m) (~((v) <= (m)) & ((m) == (m)))
#define SEL8(k, x, y) ((v8f)(((k) & (v8i)(x)) | (~(k) & (v8i)(y))))

#if defined(__clang__)
#define EVEN8(a, b) __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14)
#define ODD8(a, b) __builtin_shufflevector(a, b, 1, 3, 5, 7, 9, 11, 13, 15)
#else
#define EVEN8(a, b) __builtin_shuffle(a, b, (v8i){0, 2, 4, 6, 8, 10, 12, 14})
#define ODD8(a, b) __builtin_shuffle(a, b, (v8i){1, 3, 5, 7, 9, 11, 13, 15})
#endif

/* windows q.. n - 1 one at a time */
#define ROW2X2_SCALAR(T)                                                                                     \
    for (; q < n; q++) {                                                                                     \
        T a = r0[2 * q], b = r0[2 * q + 1], c = r1[2 * q], d = r1[2 * q + 1], m = a;                         \
        int32_t k = 0;                                                                                       \
        if (BEATS(b, m)) m = b, k = 1;                                                                       \
        if (BEATS(c, m)) m = c, k = 2;                                                                       \
        if (BEATS(d, m)) m = d, k = 3;                                                                       \
        y[q] = m;                                                                                            \
        if (w) w[q] = k;                                                                                     \
    }

NN_VECTOR_CLONES static void row2x2_f32(const float *r0, const float *r1, float *y, int32_t *w, int64_t n)
{
    int64_t q = 0;
    for (; q + 8 <= n; q += 8) {
        v8f l0, h0, l1, h1;
        memcpy(&l0, r0 + 2 * q, sizeof l0);
        memcpy(&h0, r0 + 2 * q + 8, sizeof h0);
        memcpy(&l1, r1 + 2 * q, sizeof l1);
        memcpy(&h1, r1 + 2 * q + 8, sizeof h1);
        v8f a = EVEN8(l0, h0), b = ODD8(l0, h0), c = EVEN8(l1, h1), d = ODD8(l1, h1);
        v8i u = BEATS8(b, a), k = u & 1;
        v8f m = SEL8(u, b, a);
        u = BEATS8(c, m);
        m = SEL8(u, c, m);
        k = (u & 2) | (~u & k);
        u = BEATS8(d, m);
        m = SEL8(u, d, m);
        k = (u & 3) | (~u & k);
        memcpy(y + q, &m, sizeof m);
        if (w) memcpy(w + q, &k, sizeof k);
    }
    ROW2X2_SCALAR(float);
}

static void row2x2_f64(const double *r0, const double *r1, double *y, int32_t *w, int64_t n)
{
    int64_t q = 0;
    ROW2X2_SCALAR(double);
}

#define DEFINE_POOL(SUF, T, ABS, POW)                                                                        \
    /* the first maximum of each window and its cell (-1 for a window of padding alone), positions           \
     * kept as I (int32 while a slice has fewer than 2^31 cells: it matches float's lanes) */                \
    MAXPOOL(SUF##_i32, T, int32_t)                                                                           \
    MAXPOOL(SUF##_i64, T, int64_t)                                                                           \
    /* 2×2 tiles: rows r and r + 1 of each plane; the first maximum in the window's order */                \
    NN_VECTOR_CLONES static void max2x2_##SUF(void *arg, int64_t lo, int64_t hi)                             \
    {                                                                                                        \
        const pool_job *j = arg;                                                                             \
        const int64_t W = j->g.in[0], H = j->g.in[1], OW = j->g.out[0], OH = j->g.out[1];                    \
        for (int64_t pl = lo * j->g.out[2]; pl < hi * j->g.out[2]; pl++) {                                   \
            const T *X = (const T *)j->x + pl * W * H;                                                       \
            T *Y = (T *)j->y + pl * OW * OH;                                                                 \
            int64_t *IX = j->idx ? j->idx + pl * OW * OH : NULL;                                             \
            const int64_t base = (pl % j->g.out[2]) * W * H;                                                 \
            for (int64_t oh = 0; oh < OH; oh++) {                                                            \
                const T *r0 = X + 2 * oh * W, *r1 = r0 + W;                                                  \
                T *yr = Y + oh * OW;                                                                         \
                if (!IX) {                                                                                   \
                    row2x2_##SUF(r0, r1, yr, NULL, OW);                                                      \
                    continue;                                                                                \
                }                                                                                            \
                int64_t *ir = IX + oh * OW, p0 = base + 2 * oh * W;                                          \
                for (int64_t o0 = 0; o0 < OW; o0 += CHUNK) {                                                 \
                    int32_t wt[CHUNK];                                                                       \
                    const int64_t on = OW - o0 < CHUNK ? OW - o0 : CHUNK;                                    \
                    row2x2_##SUF(r0 + 2 * o0, r1 + 2 * o0, yr + o0, wt, on);                                 \
                    for (int64_t q = 0; q < on; q++)                                                         \
                        ir[o0 + q] = p0 + 2 * (o0 + q) + (wt[q] & 1) + (wt[q] >> 1) * W;                     \
                }                                                                                            \
            }                                                                                                \
        }                                                                                                    \
    }                                                                                                        \
    /* mean: the window's sum over its full size; lp: (sum |x|^p)^(1/p) */                                   \
    NN_VECTOR_CLONES static void sum_##SUF(void *arg, int64_t lo, int64_t hi)                                \
    {                                                                                                        \
        const pool_job *j = arg;                                                                             \
        const int kind = j->scale > 0 ? 0 : j->p == 1 ? 1 : j->p == 2 ? 2 : 3;                               \
        const T p = (T)j->p;                                                                                 \
        double acc[CHUNK];                                                                                   \
        for (int64_t sl = lo; sl < hi; sl++) {                                                               \
            const T *X = (const T *)j->x + sl * j->g.insz;                                                   \
            T *Y = (T *)j->y + sl * j->g.outsz;                                                              \
            ROWS(j, {                                                                                        \
                for (int64_t q = 0; q < n; q++)                                                              \
                    acc[q] = 0;                                                                              \
                if (kind == 0)                                                                               \
                    TAPS(acc[q] += X[i])                                                                     \
                else if (kind == 1)                                                                          \
                    TAPS(acc[q] += ABS(X[i]))                                                                \
                else if (kind == 2)                                                                          \
                    TAPS(acc[q] += (double)X[i] * X[i])                                                      \
                else                                                                                         \
                    TAPS(acc[q] += POW(ABS(X[i]), p))                                                        \
                for (int64_t q = 0; q < n; q++)                                                              \
                    Y[o + q] = (T)(kind == 0   ? acc[q] * j->scale                                           \
                                   : kind == 1 ? acc[q]                                                      \
                                   : kind == 2 ? sqrt(acc[q])                                                \
                                               : pow(acc[q], 1 / j->p));                                     \
            })                                                                                               \
        }                                                                                                    \
    }                                                                                                        \
    /* gx: each output's gradient to the cell that won its window */                                         \
    static void max_grad_##SUF(void *arg, int64_t lo, int64_t hi)                                            \
    {                                                                                                        \
        const pool_job *j = arg;                                                                             \
        for (int64_t sl = lo; sl < hi; sl++) {                                                               \
            T *GX = (T *)j->gx + sl * j->g.insz;                                                             \
            const T *G = (const T *)j->gy + sl * j->g.outsz;                                                 \
            const int64_t *IX = j->cidx + sl * j->g.outsz;                                                   \
            memset(GX, 0, (size_t)j->g.insz * sizeof(T));                                                    \
            for (int64_t o = 0; o < j->g.outsz; o++)                                                         \
                if (IX[o] >= 0) GX[IX[o]] += G[o];                                                           \
        }                                                                                                    \
    }                                                                                                        \
    /* mean: g / window size to every cell of the window; lp: g sign(x) (|x| / y)^(p - 1), 0 where x         \
     * or the window's y is 0 */                                                                             \
    NN_VECTOR_CLONES static void sum_grad_##SUF(void *arg, int64_t lo, int64_t hi)                           \
    {                                                                                                        \
        const pool_job *j = arg;                                                                             \
        const int kind = j->scale > 0 ? 0 : j->p == 1 ? 1 : j->p == 2 ? 2 : 3;                               \
        const T pm1 = (T)(j->p - 1);                                                                         \
        T gq[CHUNK], ry[CHUNK];                                                                              \
        for (int64_t sl = lo; sl < hi; sl++) {                                                               \
            T *GX = (T *)j->gx + sl * j->g.insz;                                                             \
            const T *G = (const T *)j->gy + sl * j->g.outsz;                                                 \
            const T *X = kind ? (const T *)j->x + sl * j->g.insz : NULL;                                     \
            const T *Y = kind ? (const T *)j->yv + sl * j->g.outsz : NULL;                                   \
            memset(GX, 0, (size_t)j->g.insz * sizeof(T));                                                    \
            ROWS(j, {                                                                                        \
                for (int64_t q = 0; q < n; q++) {                                                            \
                    gq[q] = kind == 0 ? (T)(G[o + q] * j->scale) : Y[o + q] == 0 ? 0 : G[o + q];             \
                    ry[q] = kind == 0 || Y[o + q] == 0 ? 0 : 1 / Y[o + q];                                   \
                }                                                                                            \
                if (kind == 0)                                                                               \
                    TAPS(GX[i] += gq[q])                                                                     \
                else if (kind == 1)                                                                          \
                    TAPS({                                                                                   \
                        T v = X[i];                                                                          \
                        GX[i] += gq[q] * (v > 0 ? (T)1 : v < 0 ? (T)-1 : v == 0 ? (T)0 : v);                 \
                    })                                                                                       \
                else if (kind == 2)                                                                          \
                    TAPS(GX[i] += gq[q] * (X[i] * ry[q]))                                                    \
                else                                                                                         \
                    TAPS({                                                                                   \
                        T v = X[i];                                                                          \
                        T sg = v > 0 ? (T)1 : v < 0 ? (T)-1 : v == 0 ? (T)0 : v;                             \
                        if (v != 0) GX[i] += gq[q] * sg * POW(ABS(v) * ry[q], pm1);                          \
                    })                                                                                       \
            })                                                                                               \
        }                                                                                                    \
    }

DEFINE_POOL(f32, float, fabsf, powf)
DEFINE_POOL(f64, double, fabs, pow)

/* The tap tables in one scratch tensor from the pool: dim 1's per tap, dims
 * 2 and 3's per output. */
static nn_status pool_setup(nn_ctx *ctx, pool_job *j, nn_tensor **scratch, nn_pool_mode mode,
                            const nn_pool_params *p)
{
    int64_t words = 3 * (p->k[0] + j->g.out[1] + j->g.out[2]);
    NN_TRY(nn_empty(ctx, scratch, NN_I64, 1, &words));
    pool_tap *t = nn_data(*scratch);
    pool_rows(t, j->g.in[0], j->g.out[0], p->k[0], p->stride[0], p->dilation[0], p->pad[0]);
    j->tap[0] = t;
    t += p->k[0];
    for (int i = 1; i < 3; i++) {
        pool_taps(t, j->g.in[i], j->g.out[i], p->k[i], p->stride[i], p->dilation[i], p->pad[2 * i]);
        j->tap[i] = t;
        t += j->g.out[i];
    }
    j->k0 = p->k[0];
    j->s0 = p->stride[0];
    for (int i = 0; i < 3; i++)
        j->d[i] = p->dilation[i];
    j->scale = mode == NN_POOL_MEAN ? 1.0 / (double)(p->k[0] * p->k[1] * p->k[2]) : 0;
    j->p = p->p;
    return NN_OK;
}

/* p's unused dims are the identity (k = stride = dilation = 1, no pad): the front end sees to it. */
nn_status nn_cpu_pool(nn_ctx *ctx, nn_tensor *y, nn_tensor *idx, const nn_tensor *x, nn_pool_mode mode,
                      const nn_pool_params *p)
{
    pool_job j = {
        .g = geometry(x, y, p->nd), .y = nn_data(y), .x = nn_data(x), .idx = idx ? nn_data(idx) : NULL};
    bool f32 = x->dtype == NN_F32;
    if (mode == NN_POOL_MAX && is_2x2(&j, p))
        return run_slices(ctx, j.g.nslices, j.g.insz + j.g.outsz, f32 ? max2x2_f32 : max2x2_f64, &j);
    nn_tensor *scratch;
    NN_TRY(pool_setup(ctx, &j, &scratch, mode, p));
    bool i32 = j.g.insz <= INT32_MAX;
    nn_range_fn fn = mode != NN_POOL_MAX ? (f32 ? sum_f32 : sum_f64)
                     : i32               ? (f32 ? max_f32_i32 : max_f64_i32)
                                         : (f32 ? max_f32_i64 : max_f64_i64);
    nn_status s = run_slices(ctx, j.g.nslices, j.g.insz + j.g.outsz, fn, &j);
    nn_release(scratch);
    return s;
}

nn_status nn_cpu_pool_grad(nn_ctx *ctx, nn_tensor *gx, const nn_tensor *gy, const nn_tensor *x,
                           const nn_tensor *y, const nn_tensor *idx, nn_pool_mode mode,
                           const nn_pool_params *p)
{
    pool_job j = {.g = geometry(gx, gy, p->nd), .gx = nn_data(gx), .gy = nn_data(gy)};
    bool f32 = gx->dtype == NN_F32;
    if (mode == NN_POOL_MAX) {
        j.cidx = nn_data(idx);
        return run_slices(ctx, j.g.nslices, j.g.insz + j.g.outsz, f32 ? max_grad_f32 : max_grad_f64, &j);
    }
    if (mode == NN_POOL_LP) {
        j.x = nn_data(x);
        j.yv = nn_data(y);
    }
    nn_tensor *scratch;
    NN_TRY(pool_setup(ctx, &j, &scratch, mode, p));
    nn_status s =
        run_slices(ctx, j.g.nslices, 2 * j.g.insz + j.g.outsz, f32 ? sum_grad_f32 : sum_grad_f64, &j);
    nn_release(scratch);
    return s;
}

/* ==== upsampling ============================================================================== */

/* Linear interpolation along one dim: output position o reads cells i0 and
 * i1 with weights 1 - l and l. */
typedef struct {
    int64_t i0, i1;
    double l;
} lin_tap;

typedef struct {
    geom g;
    int nd;
    int64_t r[3];          /* nearest: the scale per dim */
    const lin_tap *tap[3]; /* linear */
    char *y;
    const char *x;
} up_job;

/* NNlib's source_idx_and_λ (PyTorch's area_pixel_compute_source_index). */
static void lin_taps(lin_tap *t, int64_t in, int64_t out, bool align)
{
    double ratio = align ? (out > 1 ? (double)(in - 1) / (double)(out - 1) : 0) : (double)in / (double)out;
    for (int64_t o = 0; o < out; o++) {
        double src = align ? ratio * (double)o : ratio * ((double)o + 0.5) - 0.5;
        if (src < 0) src = 0;
        int64_t i0 = (int64_t)src;
        if (i0 > in - 1) i0 = in - 1;
        t[o] = (lin_tap){i0, i0 < in - 1 ? i0 + 1 : i0, src - (double)i0};
    }
}

/* Nearest: copies of any element size, rows built once and repeated. */
#define DEFINE_NEAREST(SUF, E)                                                                               \
    static void nearest_##SUF(void *arg, int64_t lo, int64_t hi)                                             \
    {                                                                                                        \
        const up_job *j = arg;                                                                               \
        int64_t I0 = j->g.in[0], O0 = j->g.out[0], r0 = j->r[0];                                             \
        for (int64_t sl = lo; sl < hi; sl++) {                                                               \
            const E *X = (const E *)j->x + sl * j->g.insz;                                                   \
            E *Y = (E *)j->y + sl * j->g.outsz;                                                              \
            for (int64_t o2 = 0; o2 < j->g.out[2]; o2++)                                                     \
                for (int64_t o1 = 0; o1 < j->g.out[1]; o1++) {                                               \
                    E *yr = Y + (o2 * j->g.out[1] + o1) * O0;                                                \
                    if (o1 % j->r[1]) {                                                                      \
                        memcpy(yr, yr - O0, (size_t)O0 * sizeof(E));                                         \
                        continue;                                                                            \
                    }                                                                                        \
                    const E *xr = X + ((o2 / j->r[2]) * j->g.in[1] + o1 / j->r[1]) * I0;                     \
                    for (int64_t i0 = 0; i0 < I0; i0++)                                                      \
                        for (int64_t k = 0; k < r0; k++)                                                     \
                            yr[i0 * r0 + k] = xr[i0];                                                        \
                }                                                                                            \
        }                                                                                                    \
    }

DEFINE_NEAREST(e1, uint8_t)
DEFINE_NEAREST(e4, uint32_t)
DEFINE_NEAREST(e8, uint64_t)

#define DEFINE_UPSAMPLE(SUF, T)                                                                              \
    /* gx: each input cell sums the outputs that copied it */                                                \
    static void nearest_grad_##SUF(void *arg, int64_t lo, int64_t hi)                                        \
    {                                                                                                        \
        const up_job *j = arg;                                                                               \
        int64_t I0 = j->g.in[0], O0 = j->g.out[0], r0 = j->r[0];                                             \
        for (int64_t sl = lo; sl < hi; sl++) {                                                               \
            T *GX = (T *)j->y + sl * j->g.insz;                                                              \
            const T *G = (const T *)j->x + sl * j->g.outsz;                                                  \
            memset(GX, 0, (size_t)j->g.insz * sizeof(T));                                                    \
            for (int64_t o2 = 0; o2 < j->g.out[2]; o2++)                                                     \
                for (int64_t o1 = 0; o1 < j->g.out[1]; o1++) {                                               \
                    const T *gr = G + (o2 * j->g.out[1] + o1) * O0;                                          \
                    T *xr = GX + ((o2 / j->r[2]) * j->g.in[1] + o1 / j->r[1]) * I0;                          \
                    for (int64_t i0 = 0; i0 < I0; i0++) {                                                    \
                        T s = 0;                                                                             \
                        for (int64_t k = 0; k < r0; k++)                                                     \
                            s += gr[i0 * r0 + k];                                                            \
                        xr[i0] += s;                                                                         \
                    }                                                                                        \
                }                                                                                            \
        }                                                                                                    \
    }                                                                                                        \
    /* NNlib's order of operations: w0 x0 + w1 x1 innermost, then along dim 2, then dim 3 */                 \
    static void linear_##SUF(void *arg, int64_t lo, int64_t hi)                                              \
    {                                                                                                        \
        const up_job *j = arg;                                                                               \
        int64_t I0 = j->g.in[0], I01 = I0 * j->g.in[1];                                                      \
        for (int64_t sl = lo; sl < hi; sl++) {                                                               \
            const T *X = (const T *)j->x + sl * j->g.insz;                                                   \
            T *Y = (T *)j->y + sl * j->g.outsz;                                                              \
            int64_t o = 0;                                                                                   \
            for (int64_t o2 = 0; o2 < j->g.out[2]; o2++) {                                                   \
                const lin_tap *c = j->tap[2] + o2;                                                           \
                T c1 = (T)c->l, c0 = 1 - c1;                                                                 \
                for (int64_t o1 = 0; o1 < j->g.out[1]; o1++) {                                               \
                    const lin_tap *b = j->tap[1] + o1;                                                       \
                    T b1 = (T)b->l, b0 = 1 - b1;                                                             \
                    const T *x00 = X + c->i0 * I01 + b->i0 * I0, *x01 = X + c->i0 * I01 + b->i1 * I0;        \
                    const T *x10 = X + c->i1 * I01 + b->i0 * I0, *x11 = X + c->i1 * I01 + b->i1 * I0;        \
                    for (int64_t o0 = 0; o0 < j->g.out[0]; o0++, o++) {                                      \
                        const lin_tap *a = j->tap[0] + o0;                                                   \
                        T a1 = (T)a->l, a0 = 1 - a1;                                                         \
                        T v = a0 * x00[a->i0] + a1 * x00[a->i1];                                             \
                        if (j->nd >= 2) v = b0 * v + b1 * (a0 * x01[a->i0] + a1 * x01[a->i1]);               \
                        if (j->nd == 3)                                                                      \
                            v = c0 * v + c1 * (b0 * (a0 * x10[a->i0] + a1 * x10[a->i1]) +                    \
                                               b1 * (a0 * x11[a->i0] + a1 * x11[a->i1]));                    \
                        Y[o] = v;                                                                            \
                    }                                                                                        \
                }                                                                                            \
            }                                                                                                \
        }                                                                                                    \
    }                                                                                                        \
    static void linear_grad_##SUF(void *arg, int64_t lo, int64_t hi)                                         \
    {                                                                                                        \
        const up_job *j = arg;                                                                               \
        int64_t I0 = j->g.in[0], I01 = I0 * j->g.in[1];                                                      \
        for (int64_t sl = lo; sl < hi; sl++) {                                                               \
            T *GX = (T *)j->y + sl * j->g.insz;                                                              \
            const T *G = (const T *)j->x + sl * j->g.outsz;                                                  \
            memset(GX, 0, (size_t)j->g.insz * sizeof(T));                                                    \
            int64_t o = 0;                                                                                   \
            for (int64_t o2 = 0; o2 < j->g.out[2]; o2++) {                                                   \
                const lin_tap *c = j->tap[2] + o2;                                                           \
                T c1 = (T)c->l, c0 = 1 - c1;                                                                 \
                if (j->nd < 3) c0 = 1, c1 = 0;                                                               \
                for (int64_t o1 = 0; o1 < j->g.out[1]; o1++) {                                               \
                    const lin_tap *b = j->tap[1] + o1;                                                       \
                    T b1 = (T)b->l, b0 = 1 - b1;                                                             \
                    if (j->nd < 2) b0 = 1, b1 = 0;                                                           \
                    T *x00 = GX + c->i0 * I01 + b->i0 * I0, *x01 = GX + c->i0 * I01 + b->i1 * I0;            \
                    T *x10 = GX + c->i1 * I01 + b->i0 * I0, *x11 = GX + c->i1 * I01 + b->i1 * I0;            \
                    T w00 = c0 * b0, w01 = c0 * b1, w10 = c1 * b0, w11 = c1 * b1;                            \
                    for (int64_t o0 = 0; o0 < j->g.out[0]; o0++, o++) {                                      \
                        const lin_tap *a = j->tap[0] + o0;                                                   \
                        T a1 = (T)a->l, a0 = 1 - a1, g = G[o];                                               \
                        x00[a->i0] += w00 * a0 * g;                                                          \
                        x00[a->i1] += w00 * a1 * g;                                                          \
                        if (j->nd < 2) continue;                                                             \
                        x01[a->i0] += w01 * a0 * g;                                                          \
                        x01[a->i1] += w01 * a1 * g;                                                          \
                        if (j->nd < 3) continue;                                                             \
                        x10[a->i0] += w10 * a0 * g;                                                          \
                        x10[a->i1] += w10 * a1 * g;                                                          \
                        x11[a->i0] += w11 * a0 * g;                                                          \
                        x11[a->i1] += w11 * a1 * g;                                                          \
                    }                                                                                        \
                }                                                                                            \
            }                                                                                                \
        }                                                                                                    \
    }

DEFINE_UPSAMPLE(f32, float)
DEFINE_UPSAMPLE(f64, double)

/* x (in) and y (out) per dim; taps for linear in a scratch tensor from the pool. */
static nn_status up_setup(nn_ctx *ctx, up_job *j, nn_tensor **scratch, bool linear, bool align)
{
    *scratch = NULL;
    for (int i = 0; i < 3; i++)
        j->r[i] = j->g.out[i] / (j->g.in[i] > 0 ? j->g.in[i] : 1);
    if (!linear) return NN_OK;
    int64_t words = 3 * (j->g.out[0] + j->g.out[1] + j->g.out[2]);
    NN_TRY(nn_empty(ctx, scratch, NN_I64, 1, &words));
    lin_tap *t = nn_data(*scratch);
    for (int i = 0; i < 3; i++) {
        lin_taps(t, j->g.in[i], j->g.out[i], align);
        j->tap[i] = t;
        t += j->g.out[i];
    }
    return NN_OK;
}

nn_status nn_cpu_upsample(nn_ctx *ctx, nn_tensor *y, const nn_tensor *x, int nd, bool linear,
                          bool align_corners)
{
    up_job j = {.g = geometry(x, y, nd), .nd = nd, .y = nn_data(y), .x = nn_data(x)};
    nn_tensor *scratch;
    NN_TRY(up_setup(ctx, &j, &scratch, linear, align_corners));
    nn_range_fn fn;
    if (linear)
        fn = x->dtype == NN_F32 ? linear_f32 : linear_f64;
    else {
        size_t es = nn_dtype_size(x->dtype);
        fn = es == 1 ? nearest_e1 : es == 4 ? nearest_e4 : nearest_e8;
    }
    nn_status s = run_slices(ctx, j.g.nslices, j.g.insz + j.g.outsz, fn, &j);
    nn_release(scratch);
    return s;
}

nn_status nn_cpu_upsample_grad(nn_ctx *ctx, nn_tensor *gx, const nn_tensor *gy, int nd, bool linear,
                               bool align_corners)
{
    up_job j = {.g = geometry(gx, gy, nd), .nd = nd, .y = nn_data(gx), .x = nn_data(gy)};
    nn_tensor *scratch;
    NN_TRY(up_setup(ctx, &j, &scratch, linear, align_corners));
    bool f32 = gx->dtype == NN_F32;
    nn_range_fn fn =
        linear ? (f32 ? linear_grad_f32 : linear_grad_f64) : (f32 ? nearest_grad_f32 : nearest_grad_f64);
    nn_status s = run_slices(ctx, j.g.nslices, j.g.insz + j.g.outsz, fn, &j);
    nn_release(scratch);
    return s;
}
