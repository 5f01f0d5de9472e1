/* cpu/reduce.c — reductions over any set of dimensions.  A reduction over
 * everything splits into per-thread partial results (accumulated in double
 * for Float32, so long sums stay accurate); a reduction over some dims walks
 * the input once, with the output broadcast (stride 0) along reduced dims.
 */
#include "../internal.h"
#include "bcast.h"
#include "kernels.h"

#include <math.h>
#include <stdlib.h>

typedef struct {
    nn_reduce_op op;
    char *o;
    const char *x;
    double part[1024];
    int64_t chunk;
} red_job;

#define ACC_INIT(op)                                                                                         \
    ((op) == NN_PROD ? 1.0 : (op) == NN_MAXIMUM ? -INFINITY : (op) == NN_MINIMUM ? INFINITY : 0.0)
#define ACC(op, acc, v)                                                                                      \
    switch (op) {                                                                                            \
    case NN_PROD: acc *= v; break;                                                                           \
    case NN_MAXIMUM: acc = (v > acc || v != v) && acc == acc ? v : acc; break;                               \
    case NN_MINIMUM: acc = (v < acc || v != v) && acc == acc ? v : acc; break;                               \
    default: acc += v; break;                                                                                \
    }

#define DEFINE_REDUCE(SUF, T)                                                                                \
    static void all_##SUF(void *arg, int64_t lo, int64_t hi)                                                 \
    {                                                                                                        \
        red_job *j = arg;                                                                                    \
        const T *X = (const T *)j->x;                                                                        \
        for (int64_t c = lo; c < hi; c++) {                                                                  \
            int64_t s = c * j->chunk, e = s + j->chunk;                                                      \
            double acc = ACC_INIT(j->op);                                                                    \
            if (j->op == NN_SUM || j->op == NN_MEAN)                                                         \
                for (int64_t i = s; i < e; i++)                                                              \
                    acc += (double)X[i];                                                                     \
            else                                                                                             \
                for (int64_t i = s; i < e; i++) {                                                            \
                    double v = (double)X[i];                                                                 \
                    ACC(j->op, acc, v);                                                                      \
                }                                                                                            \
            j->part[c] = acc;                                                                                \
        }                                                                                                    \
    }                                                                                                        \
    static void dims_##SUF(void *arg, const int64_t *off, int64_t n, const int64_t *st)                      \
    {                                                                                                        \
        red_job *j = arg;                                                                                    \
        const T *X = (const T *)j->x + off[0];                                                               \
        T *O = (T *)j->o + off[1];                                                                           \
        if (st[1] == 0) {                                                                                    \
            T acc = O[0];                                                                                    \
            for (int64_t i = 0; i < n; i++) {                                                                \
                T v = X[i];                                                                                  \
                ACC(j->op, acc, v);                                                                          \
            }                                                                                                \
            O[0] = acc;                                                                                      \
        } else                                                                                               \
            for (int64_t i = 0; i < n; i++) {                                                                \
                T v = X[i];                                                                                  \
                ACC(j->op, O[i], v);                                                                         \
            }                                                                                                \
    }

DEFINE_REDUCE(f32, float)
DEFINE_REDUCE(f64, double)
DEFINE_REDUCE(i32, int32_t)
DEFINE_REDUCE(i64, int64_t)

nn_status nn_cpu_reduce(nn_ctx *ctx, nn_tensor *out, nn_reduce_op op, const nn_tensor *x)
{
    static void (*const all_fns[])(void *, int64_t, int64_t) = {all_f32, all_f64, all_i32, all_i64};
    static const nn_bcast_fn dim_fns[] = {dims_f32, dims_f64, dims_i32, dims_i64};
    if (x->dtype == NN_BOOL) return nn_error(ctx, NN_ERR_TYPE, "reduce: convert Bool first");
    red_job job, *j = &job; /* 8 KiB of partial sums: the stack, not malloc, per call */
    j->op = op;
    j->o = nn_data(out);
    j->x = nn_data(x);
    nn_status s = NN_OK;
    if (out->numel == 1 && x->numel > 0) {
        /* a fixed chunking, independent of the thread count: same bits everywhere */
        int64_t chunks = x->numel < 65536 ? 1 : 64;
        while (x->numel % chunks)
            chunks--;
        j->chunk = x->numel / chunks;
        s = nn_parallel_for(ctx, chunks, 1, all_fns[x->dtype], j);
        double acc = ACC_INIT(op);
        for (int64_t c = 0; c < chunks; c++) {
            double v = j->part[c];
            ACC(op, acc, v);
        }
        if (op == NN_MEAN) acc /= (double)x->numel;
        nn_set(out, 0, acc);
    } else {
        double init = ACC_INIT(op == NN_MEAN ? NN_SUM : op);
        if (isinf(init) && x->dtype == NN_I32) init = init < 0 ? -2147483648.0 : 2147483647.0;
        if (isinf(init) && x->dtype == NN_I64)
            init = init < 0 ? -9223372036854775808.0 : 9223372036854774784.0;
        nn_cpu_fill(ctx, out, init);
        nn_bcast it;
        const nn_tensor *ops[2] = {x, out};
        nn_bcast_init(&it, x->ndim, x->shape, 2, ops);
        s = nn_bcast_run_serial(&it, dim_fns[x->dtype], j);
        if (op == NN_MEAN && out->numel && x->numel) {
            nn_tensor *scale;
            s = nn_scalar(ctx, &scale, out->dtype, (double)out->numel / (double)x->numel);
            if (!s) s = nn_cpu_binary(ctx, out, NN_MUL, out, scale);
            nn_release(scale);
        } else if (op == NN_MEAN && !x->numel) {
            s = nn_cpu_fill(ctx, out, NAN); /* 0/0, as Julia's mean of an empty collection */
        }
    }
    return s;
}
