/* cpu/optimise.c — the optimisers' fused steps: per element, the gradient's
 * pre-transforms, the rule's state updates and Δ, then x .-= Δ (or dx = Δ),
 * in one pass over memory (nn.h has the formulas).  Elements go by blocks
 * of BLOCK that stay in L1: the pre-transformed gradient and Δ live in
 * small buffers, so each rule is one simple loop over restrict pointers
 * that vectorises.  Scalar divisions (the bias corrections) become
 * multiplications by their reciprocal, which may move the last bit
 * relative to Optimisers.jl's order of operations.
 */
#include "kernels.h"

#include <math.h>

#define GRAIN 32768 /* elements per thread-pool chunk, at least */
#define BLOCK 512

typedef struct {
    const nn_optim *o;
    char *x, *dx;
    const char *g;
    char *s[NN_OPTIM_MAX_STATE];
} optim_job;

/* Julia's max and min for floats: NaN wins. */
#define MAXN(a, b) ((a) > (b) || (a) != (a) ? (a) : (b))
#define MINN(a, b) ((a) < (b) || (a) != (a) ? (a) : (b))
/* Julia's sign: ±1, and 0, -0 and NaN as they are. */
#define SIGN(v) ((v) > 0 ? 1 : (v) < 0 ? -1 : (v))

/* for k in [0, n): BODY, with D[k] = Δ written by BODY */
#define EACH(...)                                                                                            \
    for (int64_t k = 0; k < n; k++) {                                                                        \
        __VA_ARGS__;                                                                                         \
    }

#define DEFINE_OPTIM(SUF, T, SQRT)                                                                           \
    /* The gradient after the pre-transforms, in buf. */                                                     \
    NN_VECTOR_CLONES static void pre_##SUF(const nn_optim *o, T *restrict buf, const T *restrict g,          \
                                           const T *restrict x, int64_t n)                                   \
    {                                                                                                        \
        for (int64_t k = 0; k < n; k++)                                                                      \
            buf[k] = g[k];                                                                                   \
        for (int p = 0; p < o->npre; p++) {                                                                  \
            T v = (T)o->pre[p].v;                                                                            \
            switch (o->pre[p].kind) {                                                                        \
            case NN_OPTIM_WEIGHTDECAY:                                                                       \
                for (int64_t k = 0; k < n; k++)                                                              \
                    buf[k] = buf[k] + v * x[k];                                                              \
                break;                                                                                       \
            case NN_OPTIM_SIGNDECAY:                                                                         \
                for (int64_t k = 0; k < n; k++)                                                              \
                    buf[k] = buf[k] + v * (T)SIGN(x[k]);                                                     \
                break;                                                                                       \
            case NN_OPTIM_CLIPGRAD:                                                                          \
                for (int64_t k = 0; k < n; k++)                                                              \
                    buf[k] = buf[k] > v ? v : buf[k] < -v ? -v : buf[k];                                     \
                break;                                                                                       \
            default: break;                                                                                  \
            }                                                                                                \
        }                                                                                                    \
    }                                                                                                        \
                                                                                                             \
    /* Δ of one block into D, the state updated. */                                                         \
    NN_VECTOR_CLONES static void delta_##SUF(const nn_optim *o, const T *restrict g, const T *restrict x,    \
                                             T *restrict s0, T *restrict s1, T *restrict s2, T *restrict D,  \
                                             int64_t n)                                                      \
    {                                                                                                        \
        const T eta = (T)o->eta, rho = (T)o->rho, b1 = (T)o->beta1, b2 = (T)o->beta2, eps = (T)o->epsilon;   \
        const T omr = 1 - rho, omb1 = 1 - b1, omb2 = 1 - b2;                                                 \
        const T c1 = 1 / (1 - (T)o->bt1), c2 = 1 / (1 - (T)o->bt2);                                          \
        switch (o->rule) {                                                                                   \
        case NN_OPTIM_IDENTITY: EACH(D[k] = g[k]) break;                                                     \
        case NN_OPTIM_DESCENT: EACH(D[k] = g[k] * eta) break;                                                \
        case NN_OPTIM_MOMENTUM: EACH(s0[k] = rho * s0[k] + eta * g[k]; D[k] = s0[k]) break;                  \
        case NN_OPTIM_NESTEROV: {                                                                            \
            const T a = -(rho * rho), c = (1 + rho) * eta;                                                   \
            EACH(D[k] = a * s0[k] + c * g[k]; s0[k] = rho * s0[k] - eta * g[k])                              \
            break;                                                                                           \
        }                                                                                                    \
        case NN_OPTIM_RMSPROP:                                                                               \
            if (s1)                                                                                          \
                EACH(s0[k] = rho * s0[k] + omr * (g[k] * g[k]); s1[k] = rho * s1[k] + omr * g[k];            \
                     D[k] = g[k] * eta / (SQRT(s0[k] - s1[k] * s1[k]) + eps))                                \
            else                                                                                             \
                EACH(s0[k] = rho * s0[k] + omr * (g[k] * g[k]); D[k] = g[k] * eta / (SQRT(s0[k]) + eps))     \
            break;                                                                                           \
        case NN_OPTIM_RPROP: {                                                                               \
            const T l1 = (T)o->ell[0], l2 = (T)o->ell[1], G1 = (T)o->gamma[0], G2 = (T)o->gamma[1];          \
            EACH(T p = s0[k] * g[k]; T e = s1[k]; T up = e * l2, dn = e * l1; e = p > 0   ? MINN(up, G2)     \
                                                                                  : p < 0 ? MAXN(dn, G1)     \
                                                                                          : e;               \
                 T go = p < 0 ? 0 : g[k]; s1[k] = e; s0[k] = go; D[k] = e * (T)SIGN(go))                     \
            break;                                                                                           \
        }                                                                                                    \
        case NN_OPTIM_ADAM:                                                                                  \
            EACH(s0[k] = b1 * s0[k] + omb1 * g[k]; s1[k] = b2 * s1[k] + omb2 * (g[k] * g[k]);                \
                 D[k] = s0[k] * c1 / (SQRT(s1[k] * c2) + eps) * eta)                                         \
            break;                                                                                           \
        case NN_OPTIM_ADAMW: {                                                                               \
            const T lam = (T)o->lambda;                                                                      \
            if (o->couple)                                                                                   \
                EACH(s0[k] = b1 * s0[k] + omb1 * g[k]; s1[k] = b2 * s1[k] + omb2 * (g[k] * g[k]);            \
                     D[k] = eta * (s0[k] * c1 / (SQRT(s1[k] * c2) + eps) + lam * x[k]))                      \
            else                                                                                             \
                EACH(s0[k] = b1 * s0[k] + omb1 * g[k]; s1[k] = b2 * s1[k] + omb2 * (g[k] * g[k]);            \
                     D[k] = eta * (s0[k] * c1 / (SQRT(s1[k] * c2) + eps)) + lam * x[k])                      \
            break;                                                                                           \
        }                                                                                                    \
        case NN_OPTIM_RADAM: {                                                                               \
            const T rinf = 2 / omb2 - 1, bt2 = (T)o->bt2;                                                    \
            const T r = rinf - (T)(2 * o->t) * bt2 / (1 - bt2);                                              \
            if (r > 4) {                                                                                     \
                const T f = SQRT((r - 4) * (r - 2) * rinf / ((rinf - 4) * (rinf - 2) * r)) * eta;            \
                EACH(s0[k] = b1 * s0[k] + omb1 * g[k]; s1[k] = b2 * s1[k] + omb2 * (g[k] * g[k]);            \
                     D[k] = s0[k] * c1 / (SQRT(s1[k] * c2) + eps) * f)                                       \
            } else {                                                                                         \
                const T f = c1 * eta;                                                                        \
                EACH(s0[k] = b1 * s0[k] + omb1 * g[k]; s1[k] = b2 * s1[k] + omb2 * (g[k] * g[k]);            \
                     D[k] = s0[k] * f)                                                                       \
            }                                                                                                \
            break;                                                                                           \
        }                                                                                                    \
        case NN_OPTIM_ADAMAX: {                                                                              \
            const T f = eta * c1;                                                                            \
            EACH(s0[k] = b1 * s0[k] + omb1 * g[k]; T u = b2 * s1[k], a = g[k] < 0 ? -g[k] : g[k];            \
                 s1[k] = MAXN(u, a); D[k] = f * s0[k] / (s1[k] + eps))                                       \
            break;                                                                                           \
        }                                                                                                    \
        case NN_OPTIM_OADAM:                                                                                 \
            EACH(s0[k] = b1 * s0[k] + omb1 * g[k]; s1[k] = b2 * s1[k] + omb2 * (g[k] * g[k]);                \
                 T prev = s2[k]; s2[k] = eta * s0[k] * c1 / (SQRT(s1[k] * c2) + eps);                        \
                 D[k] = 2 * s2[k] - prev)                                                                    \
            break;                                                                                           \
        case NN_OPTIM_ADAGRAD:                                                                               \
            EACH(s0[k] = s0[k] + g[k] * g[k]; D[k] = g[k] * eta / (SQRT(s0[k]) + eps)) break;                \
        case NN_OPTIM_ADADELTA:                                                                              \
            EACH(s0[k] = rho * s0[k] + omr * (g[k] * g[k]);                                                  \
                 D[k] = g[k] * SQRT(s1[k] + eps) / SQRT(s0[k] + eps);                                        \
                 s1[k] = rho * s1[k] + omr * (D[k] * D[k]))                                                  \
            break;                                                                                           \
        case NN_OPTIM_AMSGRAD:                                                                               \
            EACH(s0[k] = b1 * s0[k] + omb1 * g[k]; s1[k] = b2 * s1[k] + omb2 * (g[k] * g[k]);                \
                 s2[k] = MAXN(s2[k], s1[k]); D[k] = eta * s0[k] / (SQRT(s2[k]) + eps))                       \
            break;                                                                                           \
        case NN_OPTIM_NADAM: {                                                                               \
            const T cm = b1 / (1 - b1 * (T)o->bt1), cg = omb1 * c1, cv = b2 * c2;                            \
            EACH(s0[k] = b1 * s0[k] + omb1 * g[k]; s1[k] = b2 * s1[k] + omb2 * (g[k] * g[k]);                \
                 D[k] = (cm * s0[k] + cg * g[k]) / (SQRT(s1[k] * cv) + eps) * eta)                           \
            break;                                                                                           \
        }                                                                                                    \
        case NN_OPTIM_ADABELIEF:                                                                             \
            EACH(s0[k] = b1 * s0[k] + omb1 * g[k]; T e = g[k] - s0[k];                                       \
                 s1[k] = b2 * s1[k] + omb2 * (e * e) + eps;                                                  \
                 D[k] = eta * s0[k] * c1 / (SQRT(s1[k] * c2) + eps))                                         \
            break;                                                                                           \
        case NN_OPTIM_LION: {                                                                                \
            const T d21 = b2 - b1;                                                                           \
            EACH(s0[k] = b2 * g[k] + omb2 * s0[k]; T u = d21 * g[k] + b1 * s0[k]; D[k] = eta * (T)SIGN(u))   \
            break;                                                                                           \
        }                                                                                                    \
        default: break;                                                                                      \
        }                                                                                                    \
    }                                                                                                        \
                                                                                                             \
    NN_VECTOR_CLONES static void step_##SUF(void *arg, int64_t lo, int64_t hi)                               \
    {                                                                                                        \
        const optim_job *j = arg;                                                                            \
        const nn_optim *o = j->o;                                                                            \
        T gbuf[BLOCK], dbuf[BLOCK];                                                                          \
        for (int64_t b = lo; b < hi; b += BLOCK) {                                                           \
            int64_t n = hi - b < BLOCK ? hi - b : BLOCK;                                                     \
            T *x = (T *)j->x + b;                                                                            \
            const T *g = (const T *)j->g + b;                                                                \
            if (o->npre) {                                                                                   \
                pre_##SUF(o, gbuf, g, x, n);                                                                 \
                g = gbuf;                                                                                    \
            }                                                                                                \
            T *s[NN_OPTIM_MAX_STATE];                                                                        \
            for (int i = 0; i < NN_OPTIM_MAX_STATE; i++)                                                     \
                s[i] = j->s[i] ? (T *)j->s[i] + b : NULL;                                                    \
            T *D = j->dx ? (T *)j->dx + b : dbuf;                                                            \
            delta_##SUF(o, g, x, s[0], s[1], s[2], D, n);                                                    \
            if (!j->dx)                                                                                      \
                for (int64_t k = 0; k < n; k++)                                                              \
                    x[k] = x[k] - D[k];                                                                      \
        }                                                                                                    \
    }

DEFINE_OPTIM(f32, float, sqrtf)
DEFINE_OPTIM(f64, double, sqrt)

nn_status nn_cpu_optim_step(nn_ctx *ctx, const nn_optim *o, nn_tensor *x, const nn_tensor *g,
                            nn_tensor *const *state, nn_tensor *dx)
{
    optim_job j = {o, nn_data(x), dx ? nn_data(dx) : NULL, nn_data(g), {NULL, NULL, NULL}};
    int ns = nn_optim_nstate(o);
    for (int i = 0; i < ns; i++)
        j.s[i] = nn_data(state[i]);
    return nn_parallel_for(ctx, x->numel, GRAIN, x->dtype == NN_F64 ? step_f64 : step_f32, &j);
}
