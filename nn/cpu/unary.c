/* cpu/unary.c — elementwise math and activations, forward and gradient side
 * by side.  One body per op, instantiated for Float32 (the vectorisable
 * vmath.h functions) and Float64 (libm).  Gradients take x and y = f(x); ops
 * whose gradient needs only y (nn_unary_grad_uses_y) accept x == NULL.
 */
#include "../internal.h"
#include "kernels.h"
#include "vmath.h"

#include <math.h>

#define SELU_LAMBDA 1.0507009873554804934193349852946
#define SELU_ALPHA 1.6732632423543772848170429916717
/* gelu = x/2 (1 + tanh(C (x + K x^3))) = x sigmoid(2C (x + K x^3)), the form
 * NNlib computes: no cancellation in 1 + tanh for negative x. */
#define GELU_C 0.7978845608028654 /* sqrt(2/pi) */
#define GELU_K 0.044715

/* log1p(exp(-|x|)), the tail of softplus, logsigmoid and mish.  Past |x| = 87
 * (Float32) or 700 (Float64) exp(-|x|) is below the smallest normal number:
 * the tail is taken as 0 there, and exp's argument is capped so the vector
 * loop never computes a subnormal (x86 is a hundred times slower on them). */
#define SOFTPLUS_TAIL(T, x, EXP, LOG1P)                                                                      \
    ({                                                                                                       \
        T a_ = (x) < 0 ? -(x) : (x), c_ = (T)(sizeof(T) == 4 ? 87 : 700);                                    \
        T e_ = LOG1P(EXP(-(a_ > c_ ? c_ : a_)));                                                             \
        a_ > c_ ? (T)0 : e_;                                                                                 \
    })

// clang-format off
/* Forward: `x` in, value out.  EXP ... SQRT are the dtype's math functions. */
#define UNARY_FORWARD(T, EXP, LOG, LOG1P, TANH, SIGM, SQRT)                                                  \
    switch (op) {                                                                                            \
    case NN_IDENTITY: LOOP(x);                                                                               \
    case NN_NEG: LOOP(-x);                                                                                   \
    case NN_ABS: LOOP(x < 0 ? -x : x);                                                                       \
    case NN_EXP: LOOP(EXP(x));                                                                               \
    case NN_LOG: LOOP(LOG(x));                                                                               \
    case NN_LOG1P: LOOP(LOG1P(x));                                                                           \
    case NN_SQRT: LOOP(SQRT(x));                                                                             \
    case NN_SIN: LOOP((T)sin(x));                                                                            \
    case NN_COS: LOOP((T)cos(x));                                                                            \
    case NN_TAN: LOOP((T)tan(x));                                                                            \
    case NN_TANH: LOOP(TANH(x));                                                                             \
    case NN_SIGMOID: LOOP(SIGM(x));                                                                          \
    case NN_RELU: LOOP(!(x <= 0) ? x : (T)0); /* a NaN passes, as Julia's max(x, 0) */                       \
    case NN_LEAKYRELU: LOOP(x > 0 ? x : pp * x);                                                             \
    case NN_ELU: LOOP(x > 0 ? x : pp * (EXP(x) - 1));                                                        \
    case NN_GELU: LOOP(x * SIGM((T)(2 * GELU_C) * x * (1 + (T)GELU_K * x * x)));                              \
    case NN_SWISH: LOOP(x * SIGM(x));                                                                         \
    case NN_SOFTPLUS: LOOP((x > 0 ? x : 0) + SOFTPLUS_TAIL(T, x, EXP, LOG1P));                               \
    case NN_SELU: LOOP((T)SELU_LAMBDA * (x > 0 ? x : (T)SELU_ALPHA * (EXP(x) - 1)));                          \
    case NN_CELU: LOOP(x > 0 ? x : pp * (EXP(x / pp) - 1));                                                  \
    case NN_HARDTANH: LOOP(x < -1 ? (T)-1 : (x > 1 ? (T)1 : x));                                             \
    case NN_HARDSIGMOID: LOOP(x < -3 ? (T)0 : (x > 3 ? (T)1 : (x + 3) / 6));                                 \
    case NN_LOGSIGMOID: LOOP(-((-x > 0 ? -x : 0) + SOFTPLUS_TAIL(T, x, EXP, LOG1P)));                        \
    case NN_MISH: LOOP(x * TANH((x > 0 ? x : 0) + SOFTPLUS_TAIL(T, x, EXP, LOG1P)));                          \
    case NN_SQUARE: LOOP(x * x);                                                                              \
    case NN_SIGN: LOOP(x > 0 ? (T)1 : (x < 0 ? (T)-1 : x));                                                  \
    case NN_FLOOR: LOOP((T)floor(x));                                                                        \
    case NN_CEIL: LOOP((T)ceil(x));                                                                          \
    case NN_ROUND: LOOP((T)nearbyint(x));                                                                    \
    case NN_TRUNC: LOOP((T)trunc(x));                                                                        \
    case NN_EXP2: LOOP((T)exp2(x));                                                                          \
    case NN_EXPM1: LOOP((T)expm1(x));                                                                        \
    case NN_LOG2: LOOP((T)log2(x));                                                                          \
    case NN_LOG10: LOOP((T)log10(x));                                                                        \
    case NN_SINH: LOOP((T)sinh(x));                                                                          \
    case NN_COSH: LOOP((T)cosh(x));                                                                          \
    case NN_ASIN: LOOP((T)asin(x));                                                                          \
    case NN_ACOS: LOOP((T)acos(x));                                                                          \
    case NN_ATAN: LOOP((T)atan(x));                                                                          \
    case NN_CBRT: LOOP((T)nn_cbrt(x));                                                                       \
    case NN_RELU6: LOOP(x < 0 ? (T)0 : (x > 6 ? (T)6 : x));                                                  \
    case NN_SOFTSIGN: LOOP(x / (1 + (x < 0 ? -x : x)));                                                      \
    default: break;                                                                                          \
    }

/* Gradient: g = incoming gradient, x input, y output; value is g * f'(x). */
#define UNARY_BACKWARD(T, EXP, LOG, LOG1P, TANH, SIGM)                                                       \
    switch (op) {                                                                                            \
    case NN_IDENTITY: GLOOP(g);                                                                              \
    case NN_NEG: GLOOP(-g);                                                                                  \
    case NN_ABS: GLOOP(x > 0 ? g : (x < 0 ? -g : (T)0));                                                     \
    case NN_EXP: GLOOP(g *y);                                                                                \
    case NN_LOG: GLOOP(g / x);                                                                               \
    case NN_LOG1P: GLOOP(g / (1 + x));                                                                       \
    case NN_SQRT: GLOOP(g / (2 * y));                                                                        \
    case NN_SIN: GLOOP(g *(T)cos(x));                                                                        \
    case NN_COS: GLOOP(-g *(T)sin(x));                                                                       \
    case NN_TAN: GLOOP(g *(1 + y * y));                                                                      \
    case NN_TANH: GLOOP(g *(1 - y * y));                                                                     \
    case NN_SIGMOID: GLOOP(g *y *(1 - y));                                                                   \
    case NN_RELU: GLOOP(y > 0 ? g : (T)0);                                                                   \
    case NN_LEAKYRELU: GLOOP(x > 0 ? g : pp * g);                                                            \
    case NN_ELU: GLOOP(x > 0 ? g : g * (y + pp));                                                            \
    case NN_GELU:                                                                                            \
        GLOOP(({                                                                                             \
            T s_ = SIGM((T)(2 * GELU_C) * x * (1 + (T)GELU_K * x * x));                                      \
            g *(s_ + x * s_ * (1 - s_) * (T)(2 * GELU_C) * (1 + 3 * (T)GELU_K * x * x));                     \
        }));                                                                                                 \
    case NN_SWISH:                                                                                           \
        GLOOP(({                                                                                             \
            T s_ = SIGM(x);                                                                                  \
            g *s_ *(1 + x * (1 - s_));                                                                       \
        }));                                                                                                 \
    case NN_SOFTPLUS: GLOOP(g * SIGM(x));                                                                    \
    case NN_SELU: GLOOP(x > 0 ? g * (T)SELU_LAMBDA : g * (y + (T)(SELU_LAMBDA * SELU_ALPHA)));               \
    case NN_CELU: GLOOP(x > 0 ? g : g * EXP(x / pp));                                                        \
    case NN_HARDTANH: GLOOP(x > -1 && x < 1 ? g : (T)0);                                                     \
    case NN_HARDSIGMOID: GLOOP(x > -3 && x < 3 ? g / 6 : (T)0);                                              \
    case NN_LOGSIGMOID: GLOOP(g *(1 - SIGM(x)));                                                             \
    case NN_MISH:                                                                                            \
        GLOOP(({                                                                                             \
            T sp_ = (x > 0 ? x : 0) + SOFTPLUS_TAIL(T, x, EXP, LOG1P);                                       \
            T t_ = TANH(sp_);                                                                                \
            g *(t_ + x * (1 - t_ * t_) * SIGM(x));                                                           \
        }));                                                                                                 \
    case NN_SQUARE: GLOOP(2 * x * g);                                                                        \
    case NN_SIGN:                                                                                            \
    case NN_FLOOR:                                                                                           \
    case NN_CEIL:                                                                                            \
    case NN_ROUND:                                                                                           \
    case NN_TRUNC: GLOOP((T)0);                                                                              \
    case NN_EXP2: GLOOP(g * y * (T)M_LN2);                                                                   \
    case NN_EXPM1: GLOOP(g * (y + 1));                                                                       \
    case NN_LOG2: GLOOP(g / (x * (T)M_LN2));                                                                 \
    case NN_LOG10: GLOOP(g / (x * (T)M_LN10));                                                               \
    case NN_SINH: GLOOP(g * (T)cosh(x));                                                                     \
    case NN_COSH: GLOOP(g * (T)sinh(x));                                                                     \
    case NN_ASIN: GLOOP(g / (T)sqrt(1 - x * x));                                                             \
    case NN_ACOS: GLOOP(-g / (T)sqrt(1 - x * x));                                                            \
    case NN_ATAN: GLOOP(g / (1 + x * x));                                                                    \
    case NN_CBRT: GLOOP(g / (3 * y * y));                                                                    \
    case NN_RELU6: GLOOP(x > 0 && x < 6 ? g : (T)0);                                                         \
    case NN_SOFTSIGN:                                                                                        \
        GLOOP(({                                                                                             \
            T d_ = 1 + (x < 0 ? -x : x);                                                                     \
            g / (d_ * d_);                                                                                   \
        }));                                                                                                 \
    default: break;                                                                                          \
    }

// clang-format on

/* The C library's cbrt can be an ulp off (cbrt(-27) is not -3): one Newton
 * step makes exact cubes exact, as Julia's cbrt is. */
static inline double nn_cbrt(double x)
{
    double y = cbrt(x);
    if (y == 0 || !isfinite(y)) return y;
    return y - (y * y * y - x) / (3 * y * y);
}

static inline double nn_sigmoid(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

typedef struct {
    nn_unary_op op;
    void *o;
    const void *x, *y, *g;
    double p;
} unary_job;

#define LOOP(EXPR)                                                                                           \
    for (int64_t i = lo; i < hi; i++) {                                                                      \
        nn_T x = X[i];                                                                                       \
        O[i] = (EXPR);                                                                                       \
    }                                                                                                        \
    return
#define GLOOP(EXPR)                                                                                          \
    for (int64_t i = lo; i < hi; i++) {                                                                      \
        nn_T g = G[i], x = X ? X[i] : 0, y = Y ? Y[i] : 0;                                                   \
        (void)g;                                                                                             \
        (void)x;                                                                                             \
        (void)y;                                                                                             \
        O[i] = (EXPR);                                                                                       \
    }                                                                                                        \
    return

#define DEFINE_UNARY(SUF, T, EXP, LOG, LOG1P, TANH, SIGM)                                                    \
    NN_VECTOR_CLONES static void unary_##SUF(void *arg, int64_t lo, int64_t hi)                              \
    {                                                                                                        \
        const unary_job *j = arg;                                                                            \
        typedef T nn_T;                                                                                      \
        nn_unary_op op = j->op;                                                                              \
        T *O = j->o, pp = (T)j->p;                                                                           \
        const T *X = j->x;                                                                                   \
        UNARY_FORWARD(T, EXP, LOG, LOG1P, TANH, SIGM, SQRT_##SUF)                                            \
    }                                                                                                        \
    NN_VECTOR_CLONES static void unary_grad_##SUF(void *arg, int64_t lo, int64_t hi)                         \
    {                                                                                                        \
        const unary_job *j = arg;                                                                            \
        typedef T nn_T;                                                                                      \
        nn_unary_op op = j->op;                                                                              \
        T *O = j->o, pp = (T)j->p;                                                                           \
        const T *X = j->x, *Y = j->y, *G = j->g;                                                             \
        UNARY_BACKWARD(T, EXP, LOG, LOG1P, TANH, SIGM)                                                       \
    }

#define SQRT_f32 __builtin_sqrtf /* IEEE: NaN for negative x */
#define SQRT_f64 __builtin_sqrt
DEFINE_UNARY(f32, float, nn_expf, nn_logf, nn_log1pf, nn_tanhf, nn_sigmoidf)
DEFINE_UNARY(f64, double, exp, log, log1p, tanh, nn_sigmoid)

#define UNARY_GRAIN 16384

nn_status nn_cpu_unary(nn_ctx *ctx, nn_tensor *out, nn_unary_op op, const nn_tensor *x, double p)
{
    unary_job j = {op, nn_data(out), nn_data(x), NULL, NULL, p};
    return nn_parallel_for(ctx, x->numel, UNARY_GRAIN, x->dtype == NN_F32 ? unary_f32 : unary_f64, &j);
}

nn_status nn_cpu_unary_grad(nn_ctx *ctx, nn_tensor *gx, nn_unary_op op, const nn_tensor *gy,
                            const nn_tensor *x, const nn_tensor *y, double p)
{
    unary_job j = {op, nn_data(gx), x ? nn_data(x) : NULL, y ? nn_data(y) : NULL, nn_data(gy), p};
    return nn_parallel_for(ctx, gy->numel, UNARY_GRAIN, gy->dtype == NN_F32 ? unary_grad_f32 : unary_grad_f64,
                           &j);
}

/* Dense's epilogue, a column at a time: the bias add and the activation run
 * while the column is in L1, and columns split across threads. */
typedef struct {
    nn_unary_op op;
    double p;
    void *y;
    const void *b;
    int64_t m;
    bool f32;
} bias_act_job;

#define BIAS_ADD(T)                                                                                          \
    do {                                                                                                     \
        T *col = (T *)j->y + c * j->m;                                                                       \
        const T *B = j->b;                                                                                   \
        if (B)                                                                                               \
            for (int64_t i = 0; i < j->m; i++)                                                               \
                col[i] += B[i];                                                                              \
        u.o = col;                                                                                           \
        u.x = col;                                                                                           \
    } while (0)

static void bias_act_cols(void *arg, int64_t lo, int64_t hi)
{
    const bias_act_job *j = arg;
    unary_job u = {j->op, NULL, NULL, NULL, NULL, j->p};
    for (int64_t c = lo; c < hi; c++) {
        if (j->f32)
            BIAS_ADD(float);
        else
            BIAS_ADD(double);
        if (j->op != NN_IDENTITY) (j->f32 ? unary_f32 : unary_f64)(&u, 0, j->m);
    }
}

nn_status nn_cpu_bias_act(nn_ctx *ctx, nn_tensor *y, const nn_tensor *b, nn_unary_op act, double p)
{
    int64_t m = y->shape[0] ? y->shape[0] : 1;
    bias_act_job j = {act, p, nn_data(y), b ? nn_data(b) : NULL, m, y->dtype == NN_F32};
    int64_t grain = UNARY_GRAIN / m;
    return nn_parallel_for(ctx, y->numel / m, grain < 1 ? 1 : grain, bias_act_cols, &j);
}
