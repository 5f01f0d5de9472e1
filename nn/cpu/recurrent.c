/* cpu/recurrent.c — the fused gates of an LSTM cell and their gradients.
 * Each column (one sample) is independent: blocks of columns run on the
 * thread pool.  Float32 uses the branch-free sigmoid and tanh of vmath.h so
 * the loops vectorise.  The forward pass keeps the activations when a
 * backward pass will need them, so the gradients are plain arithmetic.
 *
 * Each loop reads one to three runs and writes one: GCC does not vectorise
 * the target clones of a loop that reads the four gates and writes two
 * results at once, so a column goes by chunks of CHUNK rows, through small
 * buffers when the activations are not kept.
 */
#include "recurrent.h"

#include "vmath.h"

#include <math.h>

#define LSTM_GRAIN 16384 /* elements of g per block on the pool */
#define CHUNK 256

typedef struct {
    char *a, *b, *acts, *tc; /* outputs: h and c_new (gradients: of g and of the memory); kept activations */
    const char *g, *c, *d;   /* gates, memory (c or c_new), incoming gradient */
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
        T buf[4 * CHUNK], tbuf[CHUNK];                                                                       \
        for (int64_t b = lo; b < hi; b++)                                                                    \
            for (int64_t k0 = 0; k0 < H; k0 += CHUNK) {                                                      \
                int64_t n = H - k0 < CHUNK ? H - k0 : CHUNK;                                                 \
                const T *G = (const T *)j->g + b * 4 * H + k0, *C = (const T *)j->c + b * H + k0;            \
                T *Ho = (T *)j->a + b * H + k0, *Cn = (T *)j->b + b * H + k0;                                \
                /* the activations of gate q at A + q * stride */                                            \
                T *A = j->acts ? (T *)j->acts + b * 4 * H + k0 : buf;                                        \
                T *TC = j->tc ? (T *)j->tc + b * H + k0 : tbuf;                                              \
                int64_t stride = j->acts ? H : CHUNK;                                                        \
                for (int64_t k = 0; k < n; k++)                                                              \
                    A[k] = SIG(G[k]);                                                                        \
                for (int64_t k = 0; k < n; k++)                                                              \
                    A[stride + k] = SIG(G[H + k]);                                                           \
                for (int64_t k = 0; k < n; k++)                                                              \
                    A[2 * stride + k] = TANH(G[2 * H + k]);                                                  \
                for (int64_t k = 0; k < n; k++)                                                              \
                    A[3 * stride + k] = SIG(G[3 * H + k]);                                                   \
                for (int64_t k = 0; k < n; k++)                                                              \
                    Cn[k] = A[stride + k] * C[k] + A[k] * A[2 * stride + k];                                 \
                for (int64_t k = 0; k < n; k++)                                                              \
                    TC[k] = TANH(Cn[k]);                                                                     \
                for (int64_t k = 0; k < n; k++)                                                              \
                    Ho[k] = A[3 * stride + k] * TC[k];                                                       \
            }                                                                                                \
    }

DEFINE_LSTM(f32, float, nn_sigmoidf, nn_tanhf)
DEFINE_LSTM(f64, double, sigmoid_d, tanh)

/* The gradients need no exp: A holds σ(i), σ(f), tanh(g), σ(o) by rows. */
#define DEFINE_LSTM_GRAD(SUF, T)                                                                             \
    /* d = the gradient of c_new; a = gg (rows i, f, g; o rows 0), b = gc; c = the memory c */               \
    NN_VECTOR_CLONES static void mgrad_##SUF(void *arg, int64_t lo, int64_t hi)                              \
    {                                                                                                        \
        const lstm_job *j = arg;                                                                             \
        int64_t H = j->H;                                                                                    \
        for (int64_t b = lo; b < hi; b++) {                                                                  \
            const T *A = (const T *)j->g + b * 4 * H, *C = (const T *)j->c + b * H;                          \
            const T *D = (const T *)j->d + b * H;                                                            \
            if (j->b) {                                                                                      \
                T *GC = (T *)j->b + b * H;                                                                   \
                for (int64_t k = 0; k < H; k++)                                                              \
                    GC[k] = D[k] * A[H + k];                                                                 \
            }                                                                                                \
            if (!j->a) continue;                                                                             \
            T *GG = (T *)j->a + b * 4 * H;                                                                   \
            for (int64_t k = 0; k < H; k++)                                                                  \
                GG[k] = D[k] * A[2 * H + k] * A[k] * (1 - A[k]);                                             \
            for (int64_t k = 0; k < H; k++)                                                                  \
                GG[H + k] = D[k] * C[k] * A[H + k] * (1 - A[H + k]);                                         \
            for (int64_t k = 0; k < H; k++)                                                                  \
                GG[2 * H + k] = D[k] * A[k] * (1 - A[2 * H + k] * A[2 * H + k]);                             \
            for (int64_t k = 0; k < H; k++)                                                                  \
                GG[3 * H + k] = 0;                                                                           \
        }                                                                                                    \
    }                                                                                                        \
    /* d = the gradient of h; a = gg (o rows; the others 0), b = the gradient of c_new; c = tanh(c_new) */   \
    NN_VECTOR_CLONES static void ograd_##SUF(void *arg, int64_t lo, int64_t hi)                              \
    {                                                                                                        \
        const lstm_job *j = arg;                                                                             \
        int64_t H = j->H;                                                                                    \
        for (int64_t b = lo; b < hi; b++) {                                                                  \
            const T *A = (const T *)j->g + b * 4 * H, *TC = (const T *)j->c + b * H;                         \
            const T *D = (const T *)j->d + b * H;                                                            \
            if (j->b) {                                                                                      \
                T *GCN = (T *)j->b + b * H;                                                                  \
                for (int64_t k = 0; k < H; k++)                                                              \
                    GCN[k] = D[k] * A[3 * H + k] * (1 - TC[k] * TC[k]);                                      \
            }                                                                                                \
            if (!j->a) continue;                                                                             \
            T *GG = (T *)j->a + b * 4 * H;                                                                   \
            for (int64_t k = 0; k < 3 * H; k++)                                                              \
                GG[k] = 0;                                                                                   \
            for (int64_t k = 0; k < H; k++)                                                                  \
                GG[3 * H + k] = D[k] * TC[k] * A[3 * H + k] * (1 - A[3 * H + k]);                            \
        }                                                                                                    \
    }

DEFINE_LSTM_GRAD(f32, float)
DEFINE_LSTM_GRAD(f64, double)

static nn_status run(nn_ctx *ctx, nn_range_fn f32, nn_range_fn f64, lstm_job *j, const nn_tensor *c)
{
    int64_t H = j->H, cols = H ? c->numel / H : 0;
    if (cols == 0 || H == 0) return NN_OK;
    if (c->dtype != NN_F32 && c->dtype != NN_F64)
        return nn_error(ctx, NN_ERR_TYPE, "lstm_gates: a %s tensor", nn_dtype_name(c->dtype));
    int64_t grain = LSTM_GRAIN / (4 * H);
    return nn_parallel_for(ctx, cols, grain > 1 ? grain : 1, c->dtype == NN_F32 ? f32 : f64, j);
}

static char *data_or_null(nn_tensor *t)
{
    return t ? nn_data(t) : NULL;
}

nn_status nn_cpu_lstm_gates(nn_ctx *ctx, nn_tensor *h, nn_tensor *c_new, nn_tensor *acts, nn_tensor *tc,
                            const nn_tensor *g, const nn_tensor *c)
{
    lstm_job j = {.a = nn_data(h),
                  .b = nn_data(c_new),
                  .acts = data_or_null(acts),
                  .tc = data_or_null(tc),
                  .g = nn_data(g),
                  .c = nn_data(c),
                  .H = g->shape[0] / 4};
    return run(ctx, fwd_f32, fwd_f64, &j, c);
}

nn_status nn_cpu_lstm_memory_grad(nn_ctx *ctx, nn_tensor *gg, nn_tensor *gc, const nn_tensor *gcn,
                                  const nn_tensor *acts, const nn_tensor *c)
{
    lstm_job j = {.a = data_or_null(gg),
                  .b = data_or_null(gc),
                  .g = nn_data(acts),
                  .c = nn_data(c),
                  .d = nn_data(gcn),
                  .H = acts->shape[0] / 4};
    return run(ctx, mgrad_f32, mgrad_f64, &j, c);
}

nn_status nn_cpu_lstm_output_grad(nn_ctx *ctx, nn_tensor *gg, nn_tensor *gcn, const nn_tensor *gh,
                                  const nn_tensor *acts, const nn_tensor *tc)
{
    lstm_job j = {.a = data_or_null(gg),
                  .b = data_or_null(gcn),
                  .g = nn_data(acts),
                  .c = nn_data(tc),
                  .d = nn_data(gh),
                  .H = acts->shape[0] / 4};
    return run(ctx, ograd_f32, ograd_f64, &j, tc);
}
