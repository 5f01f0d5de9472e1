/* cpu/softmax.c — softmax, logsoftmax and logsumexp along one run of dims
 * (x seen as (inner, n, outer)), their gradients, and the fused logit
 * cross-entropy.  Every column is shifted by its maximum, so large inputs
 * cannot overflow.  Contiguous columns (inner == 1) keep reductions out of
 * the exp loops so those vectorise; strided ones (inner > 1) work on tiles of
 * neighbouring columns, where every inner loop runs along the tile.
 */
#include "../internal.h"
#include "kernels.h"
#include "vmath.h"

#include <math.h>
#include <stdlib.h>

#define TILE 64     /* strided columns handled together */
#define SCRATCH 256 /* exp values buffered per block when there is no output row */
#define GRAIN 16384 /* elements per thread-pool chunk, at least */

typedef struct {
    nn_softmax_mode mode;
    nn_axis ax;
    int64_t ntiles;
    char *o;
    const char *x, *g, *y;
    double *part; /* xent: per-column losses */
} sm_job;

static inline double exp_d(double v)
{
    return exp(v);
}

/* x - m, except that a column whose maximum is +Inf puts all its weight on
 * its Inf entries, as NNlib's softmax does. */
#define SHIFT(T, v, m) ((m) == (T)INFINITY ? ((v) == (T)INFINITY ? (T)0 : -(T)INFINITY) : (v) - (m))
/* for (K < N) { T z = SHIFT(XK, M); BODY }, as two loops: the usual one (no
 * +Inf maximum) a plain subtraction, so that it vectorises. */
#define SHIFTED(T, pinf, K, N, XK, M, BODY)                                                                  \
    do {                                                                                                     \
        if (!(pinf))                                                                                         \
            for (int64_t K = 0; K < (N); K++) {                                                              \
                T z = (XK) - (M);                                                                            \
                BODY;                                                                                        \
            }                                                                                                \
        else                                                                                                 \
            for (int64_t K = 0; K < (N); K++) {                                                              \
                T z = SHIFT(T, XK, M);                                                                       \
                BODY;                                                                                        \
            }                                                                                                \
    } while (0)

#define DEFINE_SOFTMAX(SUF, T, EXP)                                                                          \
    /* One contiguous column of n: out (n, or 1 for logsumexp). */                                           \
    static void column_##SUF(nn_softmax_mode mode, const T *X, T *O, int64_t n)                              \
    {                                                                                                        \
        T m = -(T)INFINITY;                                                                                  \
        for (int64_t k = 0; k < n; k++)                                                                      \
            m = X[k] > m ? X[k] : m;                                                                         \
        double s = 0;                                                                                        \
        if (mode == NN_LOGSUMEXP) {                                                                          \
            /* a non-finite maximum shifts by 0: -Inf stays -Inf, NaN and Inf pass */                        \
            T sh = isfinite(m) ? m : 0, buf[SCRATCH];                                                        \
            for (int64_t b = 0; b < n; b += SCRATCH) {                                                       \
                int64_t w = n - b < SCRATCH ? n - b : SCRATCH;                                               \
                for (int64_t k = 0; k < w; k++)                                                              \
                    buf[k] = EXP(X[b + k] - sh);                                                             \
                for (int64_t k = 0; k < w; k++)                                                              \
                    s += buf[k];                                                                             \
            }                                                                                                \
            O[0] = (T)((double)sh + log(s));                                                                 \
            return;                                                                                          \
        }                                                                                                    \
        bool pinf = m == (T)INFINITY;                                                                        \
        SHIFTED(T, pinf, k, n, X[k], m, O[k] = EXP(z));                                                      \
        for (int64_t k = 0; k < n; k++)                                                                      \
            s += O[k];                                                                                       \
        if (mode == NN_SOFTMAX) {                                                                            \
            T r = (T)(1.0 / s);                                                                              \
            for (int64_t k = 0; k < n; k++)                                                                  \
                O[k] *= r;                                                                                   \
        } else {                                                                                             \
            T ls = (T)log(s);                                                                                \
            SHIFTED(T, pinf, k, n, X[k], m, O[k] = z - ls);                                                  \
        }                                                                                                    \
    }                                                                                                        \
    /* w <= TILE neighbouring columns, element (i, k) at X[k * inner + i]. */                                \
    static void tile_##SUF(nn_softmax_mode mode, const T *X, T *O, int64_t n, int64_t inner, int64_t w)      \
    {                                                                                                        \
        T m[TILE];                                                                                           \
        double s[TILE];                                                                                      \
        for (int64_t i = 0; i < w; i++) {                                                                    \
            m[i] = -(T)INFINITY;                                                                             \
            s[i] = 0;                                                                                        \
        }                                                                                                    \
        for (int64_t k = 0; k < n; k++) {                                                                    \
            const T *xr = X + k * inner;                                                                     \
            for (int64_t i = 0; i < w; i++)                                                                  \
                m[i] = xr[i] > m[i] ? xr[i] : m[i];                                                          \
        }                                                                                                    \
        if (mode == NN_LOGSUMEXP) {                                                                          \
            for (int64_t i = 0; i < w; i++)                                                                  \
                m[i] = isfinite(m[i]) ? m[i] : 0;                                                            \
            for (int64_t k = 0; k < n; k++) {                                                                \
                const T *xr = X + k * inner;                                                                 \
                for (int64_t i = 0; i < w; i++)                                                              \
                    s[i] += EXP(xr[i] - m[i]);                                                               \
            }                                                                                                \
            for (int64_t i = 0; i < w; i++)                                                                  \
                O[i] = (T)((double)m[i] + log(s[i]));                                                        \
            return;                                                                                          \
        }                                                                                                    \
        bool pinf = false;                                                                                   \
        for (int64_t i = 0; i < w; i++)                                                                      \
            pinf |= m[i] == (T)INFINITY;                                                                     \
        for (int64_t k = 0; k < n; k++) {                                                                    \
            const T *xr = X + k * inner;                                                                     \
            T *orow = O + k * inner;                                                                         \
            SHIFTED(T, pinf, i, w, xr[i], m[i], orow[i] = EXP(z); s[i] += orow[i]);                          \
        }                                                                                                    \
        T f[TILE];                                                                                           \
        for (int64_t i = 0; i < w; i++)                                                                      \
            f[i] = (T)(mode == NN_SOFTMAX ? 1.0 / s[i] : log(s[i]));                                         \
        for (int64_t k = 0; k < n; k++) {                                                                    \
            const T *xr = X + k * inner;                                                                     \
            T *orow = O + k * inner;                                                                         \
            if (mode == NN_SOFTMAX)                                                                          \
                for (int64_t i = 0; i < w; i++)                                                              \
                    orow[i] *= f[i];                                                                         \
            else                                                                                             \
                SHIFTED(T, pinf, i, w, xr[i], m[i], orow[i] = z - f[i]);                                     \
        }                                                                                                    \
    }                                                                                                        \
    /* softmax: gx = y .* (g .- sum(g .* y)); logsoftmax: gx = g .- exp(y) .* sum(g). */                     \
    static void grad_##SUF(nn_softmax_mode mode, const T *G, const T *Y, T *GX, int64_t n, int64_t inner,    \
                           int64_t w)                                                                        \
    {                                                                                                        \
        if (inner == 1) { /* one contiguous column: loops along it */                                        \
            double d = 0;                                                                                    \
            if (mode == NN_SOFTMAX)                                                                          \
                for (int64_t k = 0; k < n; k++)                                                              \
                    d += (double)G[k] * Y[k];                                                                \
            else                                                                                             \
                for (int64_t k = 0; k < n; k++)                                                              \
                    d += G[k];                                                                               \
            T dt = (T)d;                                                                                     \
            if (mode == NN_SOFTMAX)                                                                          \
                for (int64_t k = 0; k < n; k++)                                                              \
                    GX[k] = Y[k] * (G[k] - dt);                                                              \
            else                                                                                             \
                for (int64_t k = 0; k < n; k++)                                                              \
                    GX[k] = G[k] - EXP(Y[k]) * dt;                                                           \
            return;                                                                                          \
        }                                                                                                    \
        double d[TILE] = {0};                                                                                \
        for (int64_t k = 0; k < n; k++) {                                                                    \
            const T *gr = G + k * inner, *yr = Y + k * inner;                                                \
            if (mode == NN_SOFTMAX)                                                                          \
                for (int64_t i = 0; i < w; i++)                                                              \
                    d[i] += (double)gr[i] * yr[i];                                                           \
            else                                                                                             \
                for (int64_t i = 0; i < w; i++)                                                              \
                    d[i] += gr[i];                                                                           \
        }                                                                                                    \
        T dt[TILE];                                                                                          \
        for (int64_t i = 0; i < w; i++)                                                                      \
            dt[i] = (T)d[i];                                                                                 \
        for (int64_t k = 0; k < n; k++) {                                                                    \
            const T *gr = G + k * inner, *yr = Y + k * inner;                                                \
            T *o = GX + k * inner;                                                                           \
            if (mode == NN_SOFTMAX)                                                                          \
                for (int64_t i = 0; i < w; i++)                                                              \
                    o[i] = yr[i] * (gr[i] - dt[i]);                                                          \
            else                                                                                             \
                for (int64_t i = 0; i < w; i++)                                                              \
                    o[i] = gr[i] - EXP(yr[i]) * dt[i];                                                       \
        }                                                                                                    \
    }                                                                                                        \
    NN_VECTOR_CLONES static void units_##SUF(void *arg, int64_t lo, int64_t hi)                              \
    {                                                                                                        \
        const sm_job *j = arg;                                                                               \
        int64_t inner = j->ax.inner, n = j->ax.n;                                                            \
        bool lse = j->mode == NN_LOGSUMEXP;                                                                  \
        for (int64_t u = lo; u < hi; u++) {                                                                  \
            int64_t o = u / j->ntiles, c0 = (u % j->ntiles) * TILE;                                          \
            int64_t w = inner - c0 < TILE ? inner - c0 : TILE;                                               \
            int64_t xoff = o * n * inner + c0, ooff = lse ? o * inner + c0 : xoff;                           \
            T *O = (T *)j->o + ooff;                                                                         \
            if (j->g)                                                                                        \
                grad_##SUF(j->mode, (const T *)j->g + xoff, (const T *)j->y + xoff, O, n, inner, w);         \
            else if (inner == 1)                                                                             \
                column_##SUF(j->mode, (const T *)j->x + xoff, O, n);                                         \
            else                                                                                             \
                tile_##SUF(j->mode, (const T *)j->x + xoff, O, n, inner, w);                                 \
        }                                                                                                    \
    }

DEFINE_SOFTMAX(f32, float, nn_expf)
DEFINE_SOFTMAX(f64, double, exp_d)

static nn_status run(nn_ctx *ctx, sm_job *j, nn_dtype t)
{
    j->ntiles = (j->ax.inner + TILE - 1) / TILE;
    int64_t units = j->ax.outer * j->ntiles;
    int64_t per = j->ax.n * (j->ax.inner < TILE ? j->ax.inner : TILE);
    int64_t grain = GRAIN / (per > 0 ? per : 1);
    if (units == 0) return NN_OK;
    return nn_parallel_for(ctx, units, grain > 0 ? grain : 1, t == NN_F32 ? units_f32 : units_f64, j);
}

nn_status nn_cpu_softmax(nn_ctx *ctx, nn_tensor *out, const nn_tensor *x, nn_softmax_mode mode, nn_axis ax)
{
    sm_job j = {.mode = mode, .ax = ax, .o = nn_data(out), .x = nn_data(x)};
    return run(ctx, &j, x->dtype);
}

nn_status nn_cpu_softmax_grad(nn_ctx *ctx, nn_tensor *gx, const nn_tensor *gy, const nn_tensor *y,
                              nn_softmax_mode mode, nn_axis ax)
{
    sm_job j = {.mode = mode, .ax = ax, .o = nn_data(gx), .g = nn_data(gy), .y = nn_data(y)};
    return run(ctx, &j, gy->dtype);
}

/* ---- logit cross-entropy: columns of (n, ncols) ----------------------------------------- */

#define DEFINE_XENT(SUF, T, EXP)                                                                             \
    NN_VECTOR_CLONES static void xent_##SUF(void *arg, int64_t lo, int64_t hi)                               \
    {                                                                                                        \
        const sm_job *j = arg;                                                                               \
        int64_t n = j->ax.n;                                                                                 \
        for (int64_t c = lo; c < hi; c++) {                                                                  \
            const T *X = (const T *)j->x + c * n, *Y = (const T *)j->y + c * n;                              \
            T *L = j->o ? (T *)j->o + c * n : NULL, buf[SCRATCH];                                            \
            T m = -(T)INFINITY;                                                                              \
            for (int64_t k = 0; k < n; k++)                                                                  \
                m = X[k] > m ? X[k] : m;                                                                     \
            bool pinf = m == (T)INFINITY;                                                                    \
            double s = 0;                                                                                    \
            for (int64_t b = 0; b < n; b += SCRATCH) {                                                       \
                int64_t w = n - b < SCRATCH ? n - b : SCRATCH;                                               \
                T *e = L ? L + b : buf;                                                                      \
                SHIFTED(T, pinf, k, w, X[b + k], m, e[k] = EXP(z));                                          \
                for (int64_t k = 0; k < w; k++)                                                              \
                    s += e[k];                                                                               \
            }                                                                                                \
            T ls = (T)log(s);                                                                                \
            double acc = 0;                                                                                  \
            if (L)                                                                                           \
                SHIFTED(T, pinf, k, n, X[k], m, L[k] = z - ls; acc -= (double)Y[k] * L[k]);                  \
            else                                                                                             \
                SHIFTED(T, pinf, k, n, X[k], m, acc -= (double)Y[k] * (z - ls));                             \
            j->part[c] = acc;                                                                                \
        }                                                                                                    \
    }                                                                                                        \
    /* gx = (exp(lsm) .* sum(y) .- y) .* scale, per column */                                                \
    static void xent_grad_##SUF(void *arg, int64_t lo, int64_t hi)                                           \
    {                                                                                                        \
        const sm_job *j = arg;                                                                               \
        int64_t n = j->ax.n;                                                                                 \
        T scale = (T)j->part[0];                                                                             \
        for (int64_t c = lo; c < hi; c++) {                                                                  \
            const T *L = (const T *)j->x + c * n, *Y = (const T *)j->y + c * n;                              \
            T *GX = (T *)j->o + c * n;                                                                       \
            double sy = 0;                                                                                   \
            for (int64_t k = 0; k < n; k++)                                                                  \
                sy += Y[k];                                                                                  \
            T syt = (T)sy;                                                                                   \
            for (int64_t k = 0; k < n; k++)                                                                  \
                GX[k] = (EXP(L[k]) * syt - Y[k]) * scale;                                                    \
        }                                                                                                    \
    }

DEFINE_XENT(f32, float, nn_expf)
DEFINE_XENT(f64, double, exp_d)

/* x as (n, ncols): classes down the first dim, everything else columns. */
static nn_axis columns(const nn_tensor *x)
{
    nn_axis a = {1, x->ndim ? x->shape[0] : 1, 1};
    for (int i = 1; i < x->ndim; i++)
        a.outer *= x->shape[i];
    return a;
}

nn_status nn_cpu_xent(nn_ctx *ctx, nn_tensor *loss, nn_tensor *lsm, const nn_tensor *x, const nn_tensor *y)
{
    nn_axis ax = columns(x);
    int64_t n = ax.n, ncols = ax.outer;
    double *part = malloc((size_t)(ncols > 0 ? ncols : 1) * sizeof *part);
    if (!part) return nn_error(ctx, NN_ERR_MEMORY, "logitcrossentropy: out of memory");
    sm_job j = {.ax = ax, .o = lsm ? nn_data(lsm) : NULL, .x = nn_data(x), .y = nn_data(y), .part = part};
    int64_t grain = GRAIN / (n > 0 ? n : 1);
    nn_status s =
        nn_parallel_for(ctx, ncols, grain > 0 ? grain : 1, x->dtype == NN_F32 ? xent_f32 : xent_f64, &j);
    double acc = 0; /* in column order: the same bits for any thread count */
    for (int64_t c = 0; c < ncols; c++)
        acc += part[c];
    free(part);
    if (!s) nn_set(loss, 0, acc / (double)ncols);
    return s;
}

nn_status nn_cpu_xent_grad(nn_ctx *ctx, nn_tensor *gx, const nn_tensor *lsm, const nn_tensor *y,
                           const nn_tensor *g, double scale)
{
    scale *= nn_get(g, 0);
    nn_axis ax = columns(lsm);
    int64_t n = ax.n, ncols = ax.outer;
    sm_job j = {.ax = ax, .o = nn_data(gx), .x = nn_data(lsm), .y = nn_data(y), .part = &scale};
    int64_t grain = GRAIN / (n > 0 ? n : 1);
    return nn_parallel_for(ctx, ncols, grain > 0 ? grain : 1,
                           gx->dtype == NN_F32 ? xent_grad_f32 : xent_grad_f64, &j);
}
