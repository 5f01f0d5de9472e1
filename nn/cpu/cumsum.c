/* cpu/cumsum.c — running sums and products along one dim, and cumprod's
 * gradient.  The outer blocks run on the thread pool; inside a block the
 * loop walks the dim in order with the inner (contiguous) index fastest, so
 * every pass reads memory in order.  Accumulation is in the element type, in
 * order, as Julia's cumsum does.
 */
#include "cumsum.h"

#define CUM_GRAIN 32768

typedef struct {
    char *o;
    const char *x, *g, *y;
    bool prod, rev;
    nn_axis ax;
} cum_job;

#define DEFINE_CUM(SUF, T)                                                                                   \
    static void cum_##SUF(void *arg, int64_t lo, int64_t hi)                                                 \
    {                                                                                                        \
        const cum_job *j = arg;                                                                              \
        int64_t in = j->ax.inner, n = j->ax.n;                                                               \
        for (int64_t b = lo; b < hi; b++) {                                                                  \
            const T *X = (const T *)j->x + b * in * n;                                                       \
            T *O = (T *)j->o + b * in * n;                                                                   \
            for (int64_t s = 0; s < n; s++) {                                                                \
                int64_t k = j->rev ? n - 1 - s : s, prev = j->rev ? k + 1 : k - 1;                           \
                for (int64_t i = 0; i < in; i++) {                                                           \
                    T v = X[k * in + i];                                                                     \
                    if (s > 0) v = j->prod ? (T)(O[prev * in + i] * v) : (T)(O[prev * in + i] + v);          \
                    O[k * in + i] = v;                                                                       \
                }                                                                                            \
            }                                                                                                \
        }                                                                                                    \
    }

DEFINE_CUM(f32, float)
DEFINE_CUM(f64, double)
DEFINE_CUM(i32, int32_t)
DEFINE_CUM(i64, int64_t)

static int64_t grain_of(nn_axis ax)
{
    int64_t per = ax.inner * ax.n;
    return per >= CUM_GRAIN ? 1 : CUM_GRAIN / (per ? per : 1);
}

nn_status nn_cpu_cumulative(nn_ctx *ctx, nn_tensor *out, const nn_tensor *x, bool prod, bool rev, nn_axis ax)
{
    if (out->numel == 0) return NN_OK;
    cum_job j = {.o = nn_data(out), .x = nn_data(x), .prod = prod, .rev = rev, .ax = ax};
    nn_range_fn fn;
    switch (x->dtype) {
    case NN_F32: fn = cum_f32; break;
    case NN_F64: fn = cum_f64; break;
    case NN_I32: fn = cum_i32; break;
    case NN_I64: fn = cum_i64; break;
    default: return nn_error(ctx, NN_ERR_TYPE, "cumulative: a %s tensor", nn_dtype_name(x->dtype));
    }
    return nn_parallel_for(ctx, ax.outer, grain_of(ax), fn, &j);
}

/* s runs backwards in O (gx's storage) first, then is multiplied by y[k-1]
 * going forwards; the two passes per line keep it O(n). */
#define DEFINE_CUMPROD_GRAD(SUF, T)                                                                          \
    static void cpg_##SUF(void *arg, int64_t lo, int64_t hi)                                                 \
    {                                                                                                        \
        const cum_job *j = arg;                                                                              \
        int64_t in = j->ax.inner, n = j->ax.n;                                                               \
        for (int64_t b = lo; b < hi; b++) {                                                                  \
            int64_t base = b * in * n;                                                                       \
            const T *X = (const T *)j->x + base, *G = (const T *)j->g + base, *Y = (const T *)j->y + base;   \
            T *O = (T *)j->o + base;                                                                         \
            for (int64_t k = n - 1; k >= 0; k--)                                                             \
                for (int64_t i = 0; i < in; i++)                                                             \
                    O[k * in + i] =                                                                          \
                        G[k * in + i] + (k + 1 < n ? X[(k + 1) * in + i] * O[(k + 1) * in + i] : 0);         \
            for (int64_t k = 1; k < n; k++)                                                                  \
                for (int64_t i = 0; i < in; i++)                                                             \
                    O[k * in + i] *= Y[(k - 1) * in + i];                                                    \
        }                                                                                                    \
    }

DEFINE_CUMPROD_GRAD(f32, float)
DEFINE_CUMPROD_GRAD(f64, double)

nn_status nn_cpu_cumprod_grad(nn_ctx *ctx, nn_tensor *gx, const nn_tensor *g, const nn_tensor *x,
                              const nn_tensor *y, nn_axis ax)
{
    if (gx->numel == 0) return NN_OK;
    cum_job j = {.o = nn_data(gx), .x = nn_data(x), .g = nn_data(g), .y = nn_data(y), .ax = ax};
    switch (x->dtype) {
    case NN_F32: return nn_parallel_for(ctx, ax.outer, grain_of(ax), cpg_f32, &j);
    case NN_F64: return nn_parallel_for(ctx, ax.outer, grain_of(ax), cpg_f64, &j);
    default:
        return nn_error(ctx, NN_ERR_TYPE, "cumprod: no gradient for a %s tensor", nn_dtype_name(x->dtype));
    }
}
