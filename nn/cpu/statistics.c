/* cpu/statistics.c — the second pass of var/std (sum of squared deviations
 * from a mean the reduce kernel computed) and argmax/argmin.  The squared
 * deviations over everything are summed in fixed chunks in double, as the
 * reduce kernel does, so Float32 variances of long vectors stay accurate.
 */
#include "../internal.h"
#include "bcast.h"
#include "kernels.h"

#include <math.h>

#define CHUNKS 64
#define TILE 64 /* argext: strided columns handled together */
#define GRAIN 16384

/* ---- sum of squared deviations ----------------------------------------------------- */

typedef struct {
    char *o;
    const char *x, *m;
    double mu, scale;
    int64_t chunk;
    double part[CHUNKS];
} sq_job;

#define DEFINE_SQDEV(SUF, T)                                                                                 \
    static void sq_all_##SUF(void *arg, int64_t lo, int64_t hi)                                              \
    {                                                                                                        \
        sq_job *j = arg;                                                                                     \
        const T *X = (const T *)j->x;                                                                        \
        for (int64_t c = lo; c < hi; c++) {                                                                  \
            double acc = 0, mu = j->mu;                                                                      \
            for (int64_t i = c * j->chunk, e = i + j->chunk; i < e; i++) {                                   \
                double d = (double)X[i] - mu;                                                                \
                acc += d * d;                                                                                \
            }                                                                                                \
            j->part[c] = acc;                                                                                \
        }                                                                                                    \
    }                                                                                                        \
    /* operands: x, mean, out (mean and out share a shape, stride 0 on reduced dims) */                      \
    static void sq_dims_##SUF(void *arg, const int64_t *off, int64_t n, const int64_t *st)                   \
    {                                                                                                        \
        sq_job *j = arg;                                                                                     \
        const T *X = (const T *)j->x + off[0], *M = (const T *)j->m + off[1];                                \
        T *O = (T *)j->o + off[2];                                                                           \
        if (st[2] == 0) {                                                                                    \
            double acc = O[0], mu = M[0];                                                                    \
            for (int64_t i = 0; i < n; i++) {                                                                \
                double d = (double)X[i] - mu;                                                                \
                acc += d * d;                                                                                \
            }                                                                                                \
            O[0] = (T)acc;                                                                                   \
        } else {                                                                                             \
            for (int64_t i = 0; i < n; i++) {                                                                \
                T d = X[i] - M[i];                                                                           \
                O[i] += d * d;                                                                               \
            }                                                                                                \
        }                                                                                                    \
    }                                                                                                        \
    static void sq_scale_##SUF(T *O, int64_t n, double scale)                                                \
    {                                                                                                        \
        for (int64_t i = 0; i < n; i++)                                                                      \
            O[i] = (T)(O[i] * scale);                                                                        \
    }

DEFINE_SQDEV(f32, float)
DEFINE_SQDEV(f64, double)

nn_status nn_cpu_sqdev(nn_ctx *ctx, nn_tensor *out, const nn_tensor *x, const nn_tensor *mean, double scale)
{
    bool f32 = x->dtype == NN_F32;
    if (!nn_dtype_is_float(x->dtype))
        return nn_error(ctx, NN_ERR_TYPE, "var: no kernel for %s", nn_dtype_name(x->dtype));
    sq_job j = {.o = nn_data(out), .x = nn_data(x), .m = nn_data(mean), .scale = scale};
    nn_status s = NN_OK;
    if (out->numel == 1 && x->numel > 0) {
        /* a fixed chunking, independent of the thread count: same bits everywhere */
        int64_t chunks = x->numel < 65536 ? 1 : CHUNKS;
        while (x->numel % chunks)
            chunks--;
        j.chunk = x->numel / chunks;
        j.mu = nn_get(mean, 0);
        s = nn_parallel_for(ctx, chunks, 1, f32 ? sq_all_f32 : sq_all_f64, &j);
        double acc = 0;
        for (int64_t c = 0; c < chunks; c++)
            acc += j.part[c];
        nn_set(out, 0, acc * scale);
        return s;
    }
    NN_TRY(nn_cpu_fill(ctx, out, 0.0));
    nn_bcast it;
    const nn_tensor *ops[3] = {x, mean, out};
    nn_bcast_init(&it, x->ndim, x->shape, 3, ops);
    s = nn_bcast_run_serial(&it, f32 ? sq_dims_f32 : sq_dims_f64, &j);
    if (f32)
        sq_scale_f32(nn_data(out), out->numel, scale);
    else
        sq_scale_f64(nn_data(out), out->numel, scale);
    return s;
}

/* ---- argmax, argmin ---------------------------------------------------------------------
 * x as (inner, n, outer); out (inner, outer) of 1-based positions along n.  The
 * first extreme wins; a NaN beats everything (as Julia's findmax/findmin). */

typedef struct {
    bool min;
    nn_axis ax;
    int64_t ntiles;
    int64_t *o;
    const char *x;
} arg_job;

#define BETTER(v, b) ((min ? (v) < (b) : (v) > (b)) || (v) != (v)) && (b) == (b)

#define DEFINE_ARGEXT(SUF, T)                                                                                \
    static void argext_##SUF(void *arg, int64_t lo, int64_t hi)                                              \
    {                                                                                                        \
        const arg_job *j = arg;                                                                              \
        bool min = j->min;                                                                                   \
        int64_t inner = j->ax.inner, n = j->ax.n;                                                            \
        for (int64_t u = lo; u < hi; u++) {                                                                  \
            int64_t o = u / j->ntiles, c0 = (u % j->ntiles) * TILE;                                          \
            int64_t w = inner - c0 < TILE ? inner - c0 : TILE;                                               \
            const T *X = (const T *)j->x + o * n * inner + c0;                                               \
            int64_t *O = j->o + o * inner + c0;                                                              \
            T best[TILE];                                                                                    \
            for (int64_t i = 0; i < w; i++) {                                                                \
                best[i] = X[i];                                                                              \
                O[i] = 1;                                                                                    \
            }                                                                                                \
            for (int64_t k = 1; k < n; k++) {                                                                \
                const T *row = X + k * inner;                                                                \
                for (int64_t i = 0; i < w; i++)                                                              \
                    if (BETTER(row[i], best[i])) {                                                           \
                        best[i] = row[i];                                                                    \
                        O[i] = k + 1;                                                                        \
                    }                                                                                        \
            }                                                                                                \
        }                                                                                                    \
    }

DEFINE_ARGEXT(f32, float)
DEFINE_ARGEXT(f64, double)
DEFINE_ARGEXT(i32, int32_t)
DEFINE_ARGEXT(i64, int64_t)
DEFINE_ARGEXT(b8, uint8_t)

nn_status nn_cpu_argext(nn_ctx *ctx, nn_tensor *out, const nn_tensor *x, bool min, nn_axis ax)
{
    static void (*const fns[NN_NUM_DTYPES])(void *, int64_t, int64_t) = {argext_f32, argext_f64, argext_i32,
                                                                         argext_i64, argext_b8};
    if (ax.n == 0) return NN_OK; /* the front end lets this through only for empty outputs */
    arg_job j = {min, ax, (ax.inner + TILE - 1) / TILE, nn_data(out), nn_data(x)};
    int64_t per = ax.n * (ax.inner < TILE ? ax.inner : TILE), grain = GRAIN / (per > 0 ? per : 1);
    return nn_parallel_for(ctx, ax.outer * j.ntiles, grain > 0 ? grain : 1, fns[x->dtype], &j);
}
