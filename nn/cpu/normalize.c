/* cpu/normalize.c — the per-channel loops of batch norm and nn_normalize: x
 * seen as (inner, n, outer), one statistic per index of n over inner × outer.
 * Statistics and gradient sums accumulate in Float64.  A unit of work is a
 * tile of neighbouring channels when inner == 1 (a (C, N) matrix: every
 * inner loop runs along the tile, so it vectorises) or one channel otherwise
 * (an image's channel: runs of `inner` contiguous elements); units split
 * across the pool when the tensor is large enough.
 */
#include "../internal.h"
#include "kernels.h"

#define TILE 64 /* channels per unit when inner == 1 */
/* Elements per thread-pool chunk, at least: a pass here costs about 0.4 ns an element, so
 * waking the pool pays only from about 10^5 elements (BatchNorm(256) at batch 256 stays on the
 * calling thread, where it ran 2-3 times faster than split in two on a busy 2-core machine). */
#define GRAIN 65536
#define LANES 8 /* independent partial sums: the compiler may vectorise them */

typedef enum { K_STATS, K_APPLY, K_GSUMS, K_GAPPLY } norm_kind;

typedef struct {
    norm_kind kind;
    nn_axis ax;
    int64_t tile; /* channels per unit */
    const void *x, *g, *mask;
    void *o;
    const double *c; /* coefficients (ax.n, 4) */
    double *s;       /* results (ax.n, 2) */
    bool relu;
} norm_job;

#define DEFINE_NORM(SUF, T)                                                                                  \
    /* sum(p[0..len)) and sum((p - m)^2) in Float64, LANES partial sums each */                              \
    static inline double sum_##SUF(const T *p, int64_t len)                                                  \
    {                                                                                                        \
        double acc[LANES] = {0};                                                                             \
        int64_t i = 0;                                                                                       \
        for (; i + LANES <= len; i += LANES)                                                                 \
            for (int l = 0; l < LANES; l++)                                                                  \
                acc[l] += (double)p[i + l];                                                                  \
        double s = 0;                                                                                        \
        for (; i < len; i++)                                                                                 \
            s += (double)p[i];                                                                               \
        for (int l = 0; l < LANES; l++)                                                                      \
            s += acc[l];                                                                                     \
        return s;                                                                                            \
    }                                                                                                        \
    static inline double sqdev_##SUF(const T *p, int64_t len, double m)                                      \
    {                                                                                                        \
        double acc[LANES] = {0};                                                                             \
        int64_t i = 0;                                                                                       \
        for (; i + LANES <= len; i += LANES)                                                                 \
            for (int l = 0; l < LANES; l++) {                                                                \
                double d = (double)p[i + l] - m;                                                             \
                acc[l] += d * d;                                                                             \
            }                                                                                                \
        double s = 0;                                                                                        \
        for (; i < len; i++) {                                                                               \
            double d = (double)p[i] - m;                                                                     \
            s += d * d;                                                                                      \
        }                                                                                                    \
        for (int l = 0; l < LANES; l++)                                                                      \
            s += acc[l];                                                                                     \
        return s;                                                                                            \
    }                                                                                                        \
    /* dz = g, or g where the relu output y > 0 and 0 elsewhere; sums of dz and dz (x - m) */                \
    static inline void gsums_##SUF(const T *g, const T *y, const T *x, int64_t len, T m, double *s0,         \
                                   double *s1)                                                               \
    {                                                                                                        \
        double a0[LANES] = {0}, a1[LANES] = {0};                                                             \
        int64_t i = 0;                                                                                       \
        for (; i + LANES <= len; i += LANES)                                                                 \
            for (int l = 0; l < LANES; l++) {                                                                \
                T dz = y && !(y[i + l] > 0) ? (T)0 : g[i + l];                                               \
                a0[l] += (double)dz;                                                                         \
                a1[l] += (double)(dz * (x[i + l] - m));                                                      \
            }                                                                                                \
        for (; i < len; i++) {                                                                               \
            T dz = y && !(y[i] > 0) ? (T)0 : g[i];                                                           \
            *s0 += (double)dz;                                                                               \
            *s1 += (double)(dz * (x[i] - m));                                                                \
        }                                                                                                    \
        for (int l = 0; l < LANES; l++) {                                                                    \
            *s0 += a0[l];                                                                                    \
            *s1 += a1[l];                                                                                    \
        }                                                                                                    \
    }                                                                                                        \
    /* channels [c0, c0 + w) of an (n, outer) matrix: every loop runs along the tile */                      \
    static void tile_##SUF(const norm_job *j, int64_t c0, int64_t w)                                         \
    {                                                                                                        \
        int64_t n = j->ax.n, outer = j->ax.outer;                                                            \
        const T *X = (const T *)j->x + c0, *G = j->g ? (const T *)j->g + c0 : NULL;                          \
        const T *Y = j->mask ? (const T *)j->mask + c0 : NULL;                                               \
        const double *C0 = j->c ? j->c + c0 : NULL, *C1 = C0 ? C0 + n : NULL, *C2 = C1 ? C1 + n : NULL;      \
        const double *C3 = C2 ? C2 + n : NULL;                                                               \
        double acc[TILE], acc2[TILE];                                                                        \
        T m[TILE], a[TILE], b[TILE], d[TILE];                                                                \
        for (int64_t i = 0; i < w; i++)                                                                      \
            acc[i] = acc2[i] = 0;                                                                            \
        switch (j->kind) {                                                                                   \
        case K_STATS: {                                                                                      \
            double *M = j->s + c0, *V = M + n;                                                               \
            for (int64_t o = 0; o < outer; o++)                                                              \
                for (int64_t i = 0; i < w; i++)                                                              \
                    acc[i] += (double)X[o * n + i];                                                          \
            for (int64_t i = 0; i < w; i++)                                                                  \
                M[i] = acc[i] / (double)outer;                                                               \
            for (int64_t o = 0; o < outer; o++)                                                              \
                for (int64_t i = 0; i < w; i++) {                                                            \
                    double e = (double)X[o * n + i] - M[i];                                                  \
                    acc2[i] += e * e;                                                                        \
                }                                                                                            \
            for (int64_t i = 0; i < w; i++)                                                                  \
                V[i] = acc2[i] / (double)outer;                                                              \
            return;                                                                                          \
        }                                                                                                    \
        case K_APPLY: {                                                                                      \
            T *O = (T *)j->o + c0;                                                                           \
            for (int64_t i = 0; i < w; i++) {                                                                \
                m[i] = (T)C0[i];                                                                             \
                a[i] = (T)(C1[i] * C2[i]);                                                                   \
                b[i] = (T)C3[i];                                                                             \
            }                                                                                                \
            for (int64_t o = 0; o < outer; o++) {                                                            \
                const T *xr = X + o * n;                                                                     \
                T *yr = O + o * n;                                                                           \
                if (j->relu)                                                                                 \
                    for (int64_t i = 0; i < w; i++) {                                                        \
                        T v = (xr[i] - m[i]) * a[i] + b[i];                                                  \
                        yr[i] = !(v <= 0) ? v : (T)0;                                                        \
                    }                                                                                        \
                else                                                                                         \
                    for (int64_t i = 0; i < w; i++)                                                          \
                        yr[i] = (xr[i] - m[i]) * a[i] + b[i];                                                \
            }                                                                                                \
            return;                                                                                          \
        }                                                                                                    \
        case K_GSUMS: {                                                                                      \
            double *S0 = j->s + c0, *S1 = S0 + n;                                                            \
            for (int64_t i = 0; i < w; i++)                                                                  \
                m[i] = (T)C0[i];                                                                             \
            for (int64_t o = 0; o < outer; o++) {                                                            \
                const T *xr = X + o * n, *gr = G + o * n, *yr = Y ? Y + o * n : NULL;                        \
                for (int64_t i = 0; i < w; i++) {                                                            \
                    T dz = yr && !(yr[i] > 0) ? (T)0 : gr[i];                                                \
                    acc[i] += (double)dz;                                                                    \
                    acc2[i] += (double)(dz * (xr[i] - m[i]));                                                \
                }                                                                                            \
            }                                                                                                \
            for (int64_t i = 0; i < w; i++) {                                                                \
                S0[i] = acc[i];                                                                              \
                S1[i] = acc2[i];                                                                             \
            }                                                                                                \
            return;                                                                                          \
        }                                                                                                    \
        case K_GAPPLY: {                                                                                     \
            T *O = (T *)j->o + c0;                                                                           \
            for (int64_t i = 0; i < w; i++) {                                                                \
                m[i] = (T)C0[i];                                                                             \
                a[i] = (T)C1[i];                                                                             \
                b[i] = (T)C2[i];                                                                             \
                d[i] = (T)C3[i];                                                                             \
            }                                                                                                \
            for (int64_t o = 0; o < outer; o++) {                                                            \
                const T *xr = X + o * n, *gr = G + o * n, *yr = Y ? Y + o * n : NULL;                        \
                T *r = O + o * n;                                                                            \
                for (int64_t i = 0; i < w; i++) {                                                            \
                    T dz = yr && !(yr[i] > 0) ? (T)0 : gr[i];                                                \
                    r[i] = a[i] * dz + b[i] * (xr[i] - m[i]) + d[i];                                         \
                }                                                                                            \
            }                                                                                                \
            return;                                                                                          \
        }                                                                                                    \
        }                                                                                                    \
    }                                                                                                        \
    /* one channel c: outer runs of inner contiguous elements */                                             \
    static void channel_##SUF(const norm_job *j, int64_t c)                                                  \
    {                                                                                                        \
        int64_t inner = j->ax.inner, n = j->ax.n, outer = j->ax.outer, cnt = inner * outer;                  \
        const double *cf = j->c;                                                                             \
        T m = cf ? (T)cf[c] : 0;                                                                             \
        double s0 = 0, s1 = 0;                                                                               \
        switch (j->kind) {                                                                                   \
        case K_STATS: {                                                                                      \
            for (int64_t o = 0; o < outer; o++)                                                              \
                s0 += sum_##SUF((const T *)j->x + (o * n + c) * inner, inner);                               \
            double mean = s0 / (double)cnt;                                                                  \
            for (int64_t o = 0; o < outer; o++)                                                              \
                s1 += sqdev_##SUF((const T *)j->x + (o * n + c) * inner, inner, mean);                       \
            j->s[c] = mean;                                                                                  \
            j->s[n + c] = s1 / (double)cnt;                                                                  \
            return;                                                                                          \
        }                                                                                                    \
        case K_APPLY: {                                                                                      \
            T a = (T)(cf[n + c] * cf[2 * n + c]), b = (T)cf[3 * n + c];                                      \
            for (int64_t o = 0; o < outer; o++) {                                                            \
                const T *x = (const T *)j->x + (o * n + c) * inner;                                          \
                T *y = (T *)j->o + (o * n + c) * inner;                                                      \
                if (j->relu)                                                                                 \
                    for (int64_t i = 0; i < inner; i++) {                                                    \
                        T v = (x[i] - m) * a + b;                                                            \
                        y[i] = !(v <= 0) ? v : (T)0;                                                         \
                    }                                                                                        \
                else                                                                                         \
                    for (int64_t i = 0; i < inner; i++)                                                      \
                        y[i] = (x[i] - m) * a + b;                                                           \
            }                                                                                                \
            return;                                                                                          \
        }                                                                                                    \
        case K_GSUMS: {                                                                                      \
            for (int64_t o = 0; o < outer; o++) {                                                            \
                int64_t off = (o * n + c) * inner;                                                           \
                gsums_##SUF((const T *)j->g + off, j->mask ? (const T *)j->mask + off : NULL,                \
                            (const T *)j->x + off, inner, m, &s0, &s1);                                      \
            }                                                                                                \
            j->s[c] = s0;                                                                                    \
            j->s[n + c] = s1;                                                                                \
            return;                                                                                          \
        }                                                                                                    \
        case K_GAPPLY: {                                                                                     \
            T a = (T)cf[n + c], b = (T)cf[2 * n + c], d = (T)cf[3 * n + c];                                  \
            for (int64_t o = 0; o < outer; o++) {                                                            \
                int64_t off = (o * n + c) * inner;                                                           \
                const T *x = (const T *)j->x + off, *g = (const T *)j->g + off;                              \
                const T *y = j->mask ? (const T *)j->mask + off : NULL;                                      \
                T *r = (T *)j->o + off;                                                                      \
                if (y)                                                                                       \
                    for (int64_t i = 0; i < inner; i++)                                                      \
                        r[i] = a * (y[i] > 0 ? g[i] : (T)0) + b * (x[i] - m) + d;                            \
                else                                                                                         \
                    for (int64_t i = 0; i < inner; i++)                                                      \
                        r[i] = a * g[i] + b * (x[i] - m) + d;                                                \
            }                                                                                                \
            return;                                                                                          \
        }                                                                                                    \
        }                                                                                                    \
    }                                                                                                        \
    NN_VECTOR_CLONES static void units_##SUF(void *arg, int64_t lo, int64_t hi)                              \
    {                                                                                                        \
        const norm_job *j = arg;                                                                             \
        for (int64_t u = lo; u < hi; u++) {                                                                  \
            if (j->ax.inner == 1) {                                                                          \
                int64_t c0 = u * TILE, w = j->ax.n - c0 < TILE ? j->ax.n - c0 : TILE;                        \
                tile_##SUF(j, c0, w);                                                                        \
            } else {                                                                                         \
                channel_##SUF(j, u);                                                                         \
            }                                                                                                \
        }                                                                                                    \
    }

DEFINE_NORM(f32, float)
DEFINE_NORM(f64, double)

static nn_status run(nn_ctx *ctx, norm_job *j, nn_dtype t)
{
    nn_axis ax = j->ax;
    int64_t tile = ax.inner == 1 ? TILE : 1;
    int64_t units = (ax.n + tile - 1) / tile;
    int64_t per = tile * ax.inner * ax.outer; /* elements a unit touches */
    int64_t grain = GRAIN / (per > 0 ? per : 1);
    if (units == 0) return NN_OK;
    return nn_parallel_for(ctx, units, grain > 0 ? grain : 1, t == NN_F32 ? units_f32 : units_f64, j);
}

nn_status nn_cpu_norm_stats(nn_ctx *ctx, nn_tensor *stats, const nn_tensor *x, nn_axis ax)
{
    norm_job j = {.kind = K_STATS, .ax = ax, .x = nn_data(x), .s = nn_data(stats)};
    return run(ctx, &j, x->dtype);
}

nn_status nn_cpu_norm_apply(nn_ctx *ctx, nn_tensor *y, const nn_tensor *x, const nn_tensor *coef, nn_axis ax,
                            bool relu)
{
    norm_job j = {
        .kind = K_APPLY, .ax = ax, .x = nn_data(x), .o = nn_data(y), .c = nn_data(coef), .relu = relu};
    return run(ctx, &j, x->dtype);
}

nn_status nn_cpu_norm_grad_sums(nn_ctx *ctx, nn_tensor *sums, const nn_tensor *gy, const nn_tensor *mask,
                                const nn_tensor *x, const nn_tensor *coef, nn_axis ax)
{
    norm_job j = {.kind = K_GSUMS,
                  .ax = ax,
                  .x = nn_data(x),
                  .g = nn_data(gy),
                  .mask = mask ? nn_data(mask) : NULL,
                  .c = nn_data(coef),
                  .s = nn_data(sums)};
    return run(ctx, &j, x->dtype);
}

nn_status nn_cpu_norm_grad_apply(nn_ctx *ctx, nn_tensor *gx, const nn_tensor *gy, const nn_tensor *mask,
                                 const nn_tensor *x, const nn_tensor *coef, nn_axis ax)
{
    norm_job j = {.kind = K_GAPPLY,
                  .ax = ax,
                  .x = nn_data(x),
                  .g = nn_data(gy),
                  .mask = mask ? nn_data(mask) : NULL,
                  .c = nn_data(coef),
                  .o = nn_data(gx)};
    return run(ctx, &j, x->dtype);
}
