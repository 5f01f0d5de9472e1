/* cpu/elementwise.c — fill, dtype conversion, broadcasting binary ops and
 * their partial derivatives, comparisons and ifelse.  Each body is written
 * once and instantiated per dtype by macro; the inner loops are specialised
 * for operand strides 1 and 0 (a scalar or a broadcast row) so they vectorise.
 */
#include "../internal.h"
#include "bcast.h"
#include "kernels.h"

#include <math.h>

#define FLAT_GRAIN 32768

/* ---- fill ------------------------------------------------------------------- */

typedef struct {
    void *o;
    double v;
    nn_dtype t;
    const void *x;
    nn_dtype xt;
} flat_job;

#define FILL_CASE(DT, T)                                                                                     \
    case DT: {                                                                                               \
        T *o = j->o, v = (T)j->v;                                                                            \
        for (int64_t i = lo; i < hi; i++)                                                                    \
            o[i] = v;                                                                                        \
        break;                                                                                               \
    }

static void fill_range(void *arg, int64_t lo, int64_t hi)
{
    const flat_job *j = arg;
    switch (j->t) {
        FILL_CASE(NN_F32, float)
        FILL_CASE(NN_F64, double)
        FILL_CASE(NN_I32, int32_t)
        FILL_CASE(NN_I64, int64_t)
    case NN_BOOL: {
        uint8_t *o = j->o, v = j->v != 0;
        for (int64_t i = lo; i < hi; i++)
            o[i] = v;
        break;
    }
    default: break;
    }
}

nn_status nn_cpu_fill(nn_ctx *ctx, nn_tensor *out, double v)
{
    flat_job j = {nn_data(out), v, out->dtype, NULL, NN_F32};
    return nn_parallel_for(ctx, out->numel, FLAT_GRAIN, fill_range, &j);
}

/* ---- conversion -------------------------------------------------------------- */

#define CONV_TO(TO, SRC)                                                                                     \
    switch (j->t) {                                                                                          \
    case NN_F32: {                                                                                           \
        float *o = j->o;                                                                                     \
        for (int64_t i = lo; i < hi; i++)                                                                    \
            o[i] = (float)SRC[i];                                                                            \
        break;                                                                                               \
    }                                                                                                        \
    case NN_F64: {                                                                                           \
        double *o = j->o;                                                                                    \
        for (int64_t i = lo; i < hi; i++)                                                                    \
            o[i] = (double)SRC[i];                                                                           \
        break;                                                                                               \
    }                                                                                                        \
    case NN_I32: {                                                                                           \
        int32_t *o = j->o;                                                                                   \
        for (int64_t i = lo; i < hi; i++)                                                                    \
            o[i] = (int32_t)SRC[i];                                                                          \
        break;                                                                                               \
    }                                                                                                        \
    case NN_I64: {                                                                                           \
        int64_t *o = j->o;                                                                                   \
        for (int64_t i = lo; i < hi; i++)                                                                    \
            o[i] = (int64_t)SRC[i];                                                                          \
        break;                                                                                               \
    }                                                                                                        \
    case NN_BOOL: {                                                                                          \
        uint8_t *o = j->o;                                                                                   \
        for (int64_t i = lo; i < hi; i++)                                                                    \
            o[i] = SRC[i] != 0;                                                                              \
        break;                                                                                               \
    }                                                                                                        \
    default: break;                                                                                          \
    }

static void convert_range(void *arg, int64_t lo, int64_t hi)
{
    const flat_job *j = arg;
    switch (j->xt) {
    case NN_F32: {
        const float *s = j->x;
        CONV_TO(j->t, s);
        break;
    }
    case NN_F64: {
        const double *s = j->x;
        CONV_TO(j->t, s);
        break;
    }
    case NN_I32: {
        const int32_t *s = j->x;
        CONV_TO(j->t, s);
        break;
    }
    case NN_I64: {
        const int64_t *s = j->x;
        CONV_TO(j->t, s);
        break;
    }
    case NN_BOOL: {
        const uint8_t *s = j->x;
        CONV_TO(j->t, s);
        break;
    }
    default: break;
    }
}

nn_status nn_cpu_convert(nn_ctx *ctx, nn_tensor *out, const nn_tensor *x)
{
    bool narrowing = out->dtype == NN_BOOL || (out->dtype == NN_I32 && x->dtype == NN_I64);
    if (x->dtype != out->dtype && !nn_dtype_is_float(out->dtype) &&
        (nn_dtype_is_float(x->dtype) || narrowing)) {
        /* Julia's InexactError: Int(1.5), Int32(2^40) and Bool(2) fail rather
         * than truncating. */
        for (int64_t i = 0; i < x->numel; i++) {
            double v = nn_get(x, i);
            double lim = out->dtype == NN_I32 ? 2147483648.0 : 9223372036854775808.0;
            bool ok = out->dtype == NN_BOOL ? (v == 0 || v == 1) : (v == floor(v) && v >= -lim && v < lim);
            if (!ok)
                return nn_error(ctx, NN_ERR_DOMAIN,
                                "InexactError: %s(%g): element %lld is not "
                                "exactly representable",
                                nn_dtype_name(out->dtype), v, (long long)i + 1);
        }
    }
    flat_job j = {nn_data(out), 0, out->dtype, nn_data(x), x->dtype};
    return nn_parallel_for(ctx, out->numel, FLAT_GRAIN, convert_range, &j);
}

/* ---- binary ops ---------------------------------------------------------------- */

typedef struct {
    int op;
    char *o;
    const char *a, *b, *c;
} bin_job;

/* o[i] = EXPR(a, b) over n elements, a and b with strides 0 or 1. */
#define LOOP2(T, EXPR)                                                                                       \
    do {                                                                                                     \
        if (sa && sb)                                                                                        \
            for (int64_t i = 0; i < n; i++) {                                                                \
                T a = A[i], b = B[i];                                                                        \
                O[i] = (EXPR);                                                                               \
            }                                                                                                \
        else if (sa) {                                                                                       \
            T b = B[0];                                                                                      \
            for (int64_t i = 0; i < n; i++) {                                                                \
                T a = A[i];                                                                                  \
                O[i] = (EXPR);                                                                               \
            }                                                                                                \
        } else if (sb) {                                                                                     \
            T a = A[0];                                                                                      \
            for (int64_t i = 0; i < n; i++) {                                                                \
                T b = B[i];                                                                                  \
                O[i] = (EXPR);                                                                               \
            }                                                                                                \
        } else {                                                                                             \
            T a = A[0], b = B[0], v = (EXPR);                                                                \
            for (int64_t i = 0; i < n; i++)                                                                  \
                O[i] = v;                                                                                    \
        }                                                                                                    \
    } while (0)

/* Integer + - * wrap around on overflow, as Julia's (through unsigned arithmetic: no UB). */
#define FARITH(T, a, op, b) ((a)op(b))
#define IARITH(T, a, op, b) ((T)((uint64_t)(a)op(uint64_t)(b)))

#define DEFINE_BINARY(SUF, T, POW, ARITH)                                                                    \
    static void binary_##SUF(void *arg, const int64_t *off, int64_t n, const int64_t *st)                    \
    {                                                                                                        \
        const bin_job *j = arg;                                                                              \
        T *O = (T *)j->o + off[0];                                                                           \
        const T *A = (const T *)j->a + off[1], *B = (const T *)j->b + off[2];                                \
        bool sa = st[1] != 0, sb = st[2] != 0;                                                               \
        switch (j->op) {                                                                                     \
        case NN_ADD: LOOP2(T, ARITH(T, a, +, b)); break;                                                     \
        case NN_SUB: LOOP2(T, ARITH(T, a, -, b)); break;                                                     \
        case NN_MUL: LOOP2(T, ARITH(T, a, *, b)); break;                                                     \
        case NN_DIV: LOOP2(T, a / b); break;                                                                 \
        case NN_POW: LOOP2(T, (T)POW(a, b)); break;                                                          \
        /* NaN on either side wins, as Julia's min and max (b != b: b is NaN) */                             \
        case NN_MIN: LOOP2(T, b < a || b != b ? b : a); break;                                               \
        case NN_MAX: LOOP2(T, b > a || b != b ? b : a); break;                                               \
        default: break;                                                                                      \
        }                                                                                                    \
    }

static inline int64_t ipow(int64_t a, int64_t b)
{
    uint64_t r = 1, x = (uint64_t)a;
    for (; b > 0; b >>= 1, x *= x)
        if (b & 1) r *= x;
    return (int64_t)r;
}

DEFINE_BINARY(f32, float, powf, FARITH)
DEFINE_BINARY(f64, double, pow, FARITH)
DEFINE_BINARY(i32, int32_t, ipow, IARITH)
DEFINE_BINARY(i64, int64_t, ipow, IARITH)

static nn_bcast_fn binary_fn(nn_dtype t)
{
    switch (t) {
    case NN_F32: return binary_f32;
    case NN_F64: return binary_f64;
    case NN_I32: return binary_i32;
    case NN_I64: return binary_i64;
    default: return NULL;
    }
}

nn_status nn_cpu_binary(nn_ctx *ctx, nn_tensor *out, nn_binary_op op, const nn_tensor *a, const nn_tensor *b)
{
    nn_bcast it;
    const nn_tensor *ops[3] = {out, a, b};
    nn_bcast_init(&it, out->ndim, out->shape, 3, ops);
    bin_job j = {op, nn_data(out), nn_data(a), nn_data(b), NULL};
    nn_bcast_fn fn = binary_fn(out->dtype);
    if (!fn)
        return nn_error(ctx, NN_ERR_TYPE, "%s: no kernel for %s", nn_binary_name(op),
                        nn_dtype_name(out->dtype));
    return nn_bcast_run(ctx, &it, fn, &j);
}

/* ---- partial derivatives of binary ops ----------------------------------------------
 * Operands: ga (or gb) and gout have the full shape, a and b broadcast.  The
 * fronts sum the results back to a's and b's shapes. */

typedef struct {
    int op;
    char *ga, *gb;
    const char *g, *a, *b;
} bgrad_job;

#define DEFINE_BINARY_GRAD(SUF, T, POW, LOG)                                                                 \
    static void bgrad_##SUF(void *arg, const int64_t *off, int64_t n, const int64_t *st)                     \
    {                                                                                                        \
        const bgrad_job *j = arg;                                                                            \
        T *GA = j->ga ? (T *)j->ga + off[0] : NULL, *GB = j->gb ? (T *)j->gb + off[0] : NULL;                \
        const T *G = (const T *)j->g + off[0];                                                               \
        const T *A = (const T *)j->a + off[1], *B = (const T *)j->b + off[2];                                \
        int64_t sa = st[1], sb = st[2];                                                                      \
        for (int64_t i = 0; i < n; i++) {                                                                    \
            T g = G[i], a = A[i * sa], b = B[i * sb], da = 0, db = 0;                                        \
            switch (j->op) {                                                                                 \
            case NN_ADD:                                                                                     \
                da = g;                                                                                      \
                db = g;                                                                                      \
                break;                                                                                       \
            case NN_SUB:                                                                                     \
                da = g;                                                                                      \
                db = -g;                                                                                     \
                break;                                                                                       \
            case NN_MUL:                                                                                     \
                da = g * b;                                                                                  \
                db = g * a;                                                                                  \
                break;                                                                                       \
            case NN_DIV:                                                                                     \
                da = g / b;                                                                                  \
                db = -g * a / (b * b);                                                                       \
                break;                                                                                       \
            case NN_POW:                                                                                     \
                da = b == 0 ? 0 : g * b * (T)POW(a, b - 1);                                                  \
                db = a == 0 ? 0 : g * (T)POW(a, b) * (T)LOG(a);                                              \
                break;                                                                                       \
            case NN_MIN:                                                                                     \
                da = a <= b ? g : 0;                                                                         \
                db = a <= b ? 0 : g;                                                                         \
                break;                                                                                       \
            case NN_MAX:                                                                                     \
                da = a >= b ? g : 0;                                                                         \
                db = a >= b ? 0 : g;                                                                         \
                break;                                                                                       \
            default: break;                                                                                  \
            }                                                                                                \
            if (GA) GA[i] = da;                                                                              \
            if (GB) GB[i] = db;                                                                              \
        }                                                                                                    \
    }

DEFINE_BINARY_GRAD(f32, float, powf, logf)
DEFINE_BINARY_GRAD(f64, double, pow, log)

nn_status nn_cpu_binary_grad(nn_ctx *ctx, nn_tensor *ga, nn_tensor *gb, nn_binary_op op,
                             const nn_tensor *gout, const nn_tensor *a, const nn_tensor *b)
{
    nn_bcast it;
    const nn_tensor *ops[3] = {gout, a, b};
    nn_bcast_init(&it, gout->ndim, gout->shape, 3, ops);
    bgrad_job j = {op,        ga ? nn_data(ga) : NULL, gb ? nn_data(gb) : NULL, nn_data(gout), nn_data(a),
                   nn_data(b)};
    if (!nn_dtype_is_float(gout->dtype))
        return nn_error(ctx, NN_ERR_TYPE, "%s: gradient of %s", nn_binary_name(op),
                        nn_dtype_name(gout->dtype));
    return nn_bcast_run(ctx, &it, gout->dtype == NN_F32 ? bgrad_f32 : bgrad_f64, &j);
}

/* ---- comparisons and ifelse -------------------------------------------------------------- */

#define DEFINE_COMPARE(SUF, T)                                                                               \
    static void compare_##SUF(void *arg, const int64_t *off, int64_t n, const int64_t *st)                   \
    {                                                                                                        \
        const bin_job *j = arg;                                                                              \
        uint8_t *O = (uint8_t *)j->o + off[0];                                                               \
        const T *A = (const T *)j->a + off[1], *B = (const T *)j->b + off[2];                                \
        int64_t sa = st[1], sb = st[2];                                                                      \
        switch (j->op) {                                                                                     \
        case NN_EQ:                                                                                          \
            for (int64_t i = 0; i < n; i++)                                                                  \
                O[i] = A[i * sa] == B[i * sb];                                                               \
            break;                                                                                           \
        case NN_NE:                                                                                          \
            for (int64_t i = 0; i < n; i++)                                                                  \
                O[i] = A[i * sa] != B[i * sb];                                                               \
            break;                                                                                           \
        case NN_LT:                                                                                          \
            for (int64_t i = 0; i < n; i++)                                                                  \
                O[i] = A[i * sa] < B[i * sb];                                                                \
            break;                                                                                           \
        case NN_LE:                                                                                          \
            for (int64_t i = 0; i < n; i++)                                                                  \
                O[i] = A[i * sa] <= B[i * sb];                                                               \
            break;                                                                                           \
        case NN_GT:                                                                                          \
            for (int64_t i = 0; i < n; i++)                                                                  \
                O[i] = A[i * sa] > B[i * sb];                                                                \
            break;                                                                                           \
        case NN_GE:                                                                                          \
            for (int64_t i = 0; i < n; i++)                                                                  \
                O[i] = A[i * sa] >= B[i * sb];                                                               \
            break;                                                                                           \
        default: break;                                                                                      \
        }                                                                                                    \
    }                                                                                                        \
    static void ifelse_##SUF(void *arg, const int64_t *off, int64_t n, const int64_t *st)                    \
    {                                                                                                        \
        const bin_job *j = arg;                                                                              \
        T *O = (T *)j->o + off[0];                                                                           \
        const uint8_t *C = (const uint8_t *)j->c + off[1];                                                   \
        const T *A = (const T *)j->a + off[2], *B = (const T *)j->b + off[3];                                \
        for (int64_t i = 0; i < n; i++)                                                                      \
            O[i] = C[i * st[1]] ? A[i * st[2]] : B[i * st[3]];                                               \
    }

DEFINE_COMPARE(f32, float)
DEFINE_COMPARE(f64, double)
DEFINE_COMPARE(i32, int32_t)
DEFINE_COMPARE(i64, int64_t)
DEFINE_COMPARE(b8, uint8_t)

nn_status nn_cpu_compare(nn_ctx *ctx, nn_tensor *out, nn_compare_op op, const nn_tensor *a,
                         const nn_tensor *b)
{
    static const nn_bcast_fn fns[NN_NUM_DTYPES] = {compare_f32, compare_f64, compare_i32, compare_i64,
                                                   compare_b8};
    nn_bcast it;
    const nn_tensor *ops[3] = {out, a, b};
    nn_bcast_init(&it, out->ndim, out->shape, 3, ops);
    bin_job j = {op, nn_data(out), nn_data(a), nn_data(b), NULL};
    return nn_bcast_run(ctx, &it, fns[a->dtype], &j);
}

nn_status nn_cpu_ifelse(nn_ctx *ctx, nn_tensor *out, const nn_tensor *c, const nn_tensor *a,
                        const nn_tensor *b)
{
    static const nn_bcast_fn fns[NN_NUM_DTYPES] = {ifelse_f32, ifelse_f64, ifelse_i32, ifelse_i64, ifelse_b8};
    nn_bcast it;
    const nn_tensor *ops[4] = {out, c, a, b};
    nn_bcast_init(&it, out->ndim, out->shape, 4, ops);
    bin_job j = {0, nn_data(out), nn_data(a), nn_data(b), nn_data(c)};
    return nn_bcast_run(ctx, &it, fns[out->dtype], &j);
}
