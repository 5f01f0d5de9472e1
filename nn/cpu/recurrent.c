/* cpu/recurrent.c — the fused gates of an LSTM cell and their gradients.
 * Each column (one sample) is independent: blocks of columns run on the
 * thread pool, and inside a column every gate's row k is read at k, H + k,
 * 2H + k and 3H + k, so the loop walks four contiguous runs at once.  Float32
 * uses the branch-free sigmoid and tanh of vmath.h so the loop vectorises;
 * the backward passes recompute the activations from g rather than saving
 * them.
 */
#include "recurrent.h"

#include "vmath.h"

#include <math.h>

#define LSTM_GRAIN 16384 /* elements of g per block on the pool */

typedef struct {
    char *a, *b;           /* outputs: h and c_new, or the gradients of g and of the memory */
    const char *g, *c, *d; /* gates, memory (c or c_new), incoming gradient */
    int64_t H;
} lstm_job;

static inline double sigmoid_d(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

#define DEFINE_LSTM(SUF, T, SIG, TANH)                                                                       \
    NN_VECTOR_CLONES static void fwd_##SUF(void *arg, int64_t lo, int64_t hi)                                \
    {                                                                                                        \
        const lstm_job *j = arg;                                                                             \
        int64_t H = j->H;                                                                                    \
        for (int64_t b = lo; b < hi; b++) {                                                                  \
            const T *G = (const T *)j->g + b * 4 * H, *C = (const T *)j->c + b * H;                          \
            T *Ho = (T *)j->a + b * H, *Cn = (T *)j->b + b * H;                                              \
            for (int64_t k = 0; k < H; k++) {                                                                \
                T i = SIG(G[k]), f = SIG(G[H + k]), n = TANH(G[2 * H + k]), o = SIG(G[3 * H + k]);           \
                T cn = f * C[k] + i * n;                                                                     \
                Cn[k] = cn;                                                                                  \
                Ho[k] = o * TANH(cn);                                                                        \
            }                                                                                                \
        }                                                                                                    \
    }                                                                                                        \
    /* d = the gradient of c_new; a = gg (rows i, f, g; o rows 0), b = gc */                                 \
    NN_VECTOR_CLONES static void mgrad_##SUF(void *arg, int64_t lo, int64_t hi)                              \
    {                                                                                                        \
        const lstm_job *j = arg;                                                                             \
        int64_t H = j->H;                                                                                    \
        for (int64_t b = lo; b < hi; b++) {                                                                  \
            const T *G = (const T *)j->g + b * 4 * H, *C = (const T *)j->c + b * H;                          \
            const T *D = (const T *)j->d + b * H;                                                            \
            T *GG = j->a ? (T *)j->a + b * 4 * H : NULL, *GC = j->b ? (T *)j->b + b * H : NULL;              \
            if (GG)                                                                                          \
                for (int64_t k = 0; k < H; k++) {                                                            \
                    T i = SIG(G[k]), f = SIG(G[H + k]), n = TANH(G[2 * H + k]), d = D[k];                    \
                    GG[k] = d * n * i * (1 - i);                                                             \
                    GG[H + k] = d * C[k] * f * (1 - f);                                                      \
                    GG[2 * H + k] = d * i * (1 - n * n);                                                     \
                    GG[3 * H + k] = 0;                                                                       \
                }                                                                                            \
            if (GC)                                                                                          \
                for (int64_t k = 0; k < H; k++)                                                              \
                    GC[k] = D[k] * SIG(G[H + k]);                                                            \
        }                                                                                                    \
    }                                                                                                        \
    /* d = the gradient of h; a = gg (o rows; the others 0), b = the gradient of c_new */                    \
    NN_VECTOR_CLONES static void ograd_##SUF(void *arg, int64_t lo, int64_t hi)                              \
    {                                                                                                        \
        const lstm_job *j = arg;                                                                             \
        int64_t H = j->H;                                                                                    \
        for (int64_t b = lo; b < hi; b++) {                                                                  \
            const T *G = (const T *)j->g + b * 4 * H, *CN = (const T *)j->c + b * H;                         \
            const T *D = (const T *)j->d + b * H;                                                            \
            T *GG = j->a ? (T *)j->a + b * 4 * H : NULL, *GCN = j->b ? (T *)j->b + b * H : NULL;             \
            if (GG)                                                                                          \
                for (int64_t k = 0; k < H; k++) {                                                            \
                    T o = SIG(G[3 * H + k]);                                                                 \
                    GG[k] = GG[H + k] = GG[2 * H + k] = 0;                                                   \
                    GG[3 * H + k] = D[k] * TANH(CN[k]) * o * (1 - o);                                        \
                }                                                                                            \
            if (GCN)                                                                                         \
                for (int64_t k = 0; k < H; k++) {                                                            \
                    T o = SIG(G[3 * H + k]), tc = TANH(CN[k]);                                               \
                    GCN[k] = D[k] * o * (1 - tc * tc);                                                       \
                }                                                                                            \
        }                                                                                                    \
    }

DEFINE_LSTM(f32, float, nn_sigmoidf, nn_tanhf)
DEFINE_LSTM(f64, double, sigmoid_d, tanh)

static nn_status run(nn_ctx *ctx, const char *name, nn_range_fn f32, nn_range_fn f64, lstm_job *j,
                     const nn_tensor *c)
{
    int64_t H = j->H, cols = H ? c->numel / H : 0;
    if (cols == 0 || H == 0) return NN_OK;
    if (c->dtype != NN_F32 && c->dtype != NN_F64)
        return nn_error(ctx, NN_ERR_TYPE, "%s: a %s tensor", name, nn_dtype_name(c->dtype));
    int64_t grain = LSTM_GRAIN / (4 * H);
    return nn_parallel_for(ctx, cols, grain > 1 ? grain : 1, c->dtype == NN_F32 ? f32 : f64, j);
}

nn_status nn_cpu_lstm_gates(nn_ctx *ctx, nn_tensor *h, nn_tensor *c_new, const nn_tensor *g,
                            const nn_tensor *c)
{
    lstm_job j = {
        .a = nn_data(h), .b = nn_data(c_new), .g = nn_data(g), .c = nn_data(c), .H = g->shape[0] / 4};
    return run(ctx, "lstm_gates", fwd_f32, fwd_f64, &j, c);
}

nn_status nn_cpu_lstm_memory_grad(nn_ctx *ctx, nn_tensor *gg, nn_tensor *gc, const nn_tensor *gcn,
                                  const nn_tensor *g, const nn_tensor *c)
{
    lstm_job j = {.a = gg ? nn_data(gg) : NULL,
                  .b = gc ? nn_data(gc) : NULL,
                  .g = nn_data(g),
                  .c = nn_data(c),
                  .d = nn_data(gcn),
                  .H = g->shape[0] / 4};
    return run(ctx, "lstm_gates", mgrad_f32, mgrad_f64, &j, c);
}

nn_status nn_cpu_lstm_output_grad(nn_ctx *ctx, nn_tensor *gg, nn_tensor *gcn, const nn_tensor *gh,
                                  const nn_tensor *g, const nn_tensor *cn)
{
    lstm_job j = {.a = gg ? nn_data(gg) : NULL,
                  .b = gcn ? nn_data(gcn) : NULL,
                  .g = nn_data(g),
                  .c = nn_data(cn),
                  .d = nn_data(gh),
                  .H = g->shape[0] / 4};
    return run(ctx, "lstm_gates", ograd_f32, ograd_f64, &j, cn);
}
