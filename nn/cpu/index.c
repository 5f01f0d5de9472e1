/* cpu/index.c — gather (getindex) and scatter (setindex!, getindex's
 * backward) over a selection of precomputed element offsets.  Gathers copy by
 * element size and run on the thread pool; scatters run in order on the
 * calling thread, because repeated positions must accumulate (or the last
 * write win) exactly as written.
 */
#include "kernels.h"

#define GATHER_GRAIN 32768

typedef struct {
    const nn_selection *sel;
    char *o;
    const char *x;
    size_t es;
} gather_job;

/* Offset of the selection's element (0, rest...), unit u numbering the rest. */
static int64_t unit_base(const nn_selection *sel, int64_t u)
{
    int64_t base = 0;
    for (int d = 1; d < sel->n; d++) {
        int64_t c = u % sel->count[d];
        u /= sel->count[d];
        base += sel->pos[d][c];
    }
    return base;
}

#define DEFINE_GATHER(SUF, T)                                                                                \
    static void gather_##SUF(const gather_job *j, int64_t lo, int64_t hi)                                    \
    {                                                                                                        \
        int64_t n = j->sel->count[0];                                                                        \
        const int64_t *p = j->sel->pos[0];                                                                   \
        const T *X = (const T *)j->x;                                                                        \
        for (int64_t u = lo; u < hi; u++) {                                                                  \
            const T *B = X + unit_base(j->sel, u);                                                           \
            T *O = (T *)j->o + u * n;                                                                        \
            for (int64_t i = 0; i < n; i++)                                                                  \
                O[i] = B[p[i]];                                                                              \
        }                                                                                                    \
    }

DEFINE_GATHER(b8, uint8_t)
DEFINE_GATHER(b32, uint32_t)
DEFINE_GATHER(b64, uint64_t)

static void gather_range(void *arg, int64_t lo, int64_t hi)
{
    const gather_job *j = arg;
    switch (j->es) {
    case 1: gather_b8(j, lo, hi); break;
    case 4: gather_b32(j, lo, hi); break;
    default: gather_b64(j, lo, hi); break;
    }
}

nn_status nn_cpu_gather(nn_ctx *ctx, nn_tensor *out, const nn_tensor *x, const nn_selection *sel)
{
    if (out->numel == 0) return NN_OK;
    gather_job j = {sel, nn_data(out), nn_data(x), nn_dtype_size(x->dtype)};
    int64_t units = out->numel / sel->count[0], grain = GATHER_GRAIN / sel->count[0];
    return nn_parallel_for(ctx, units, grain < 1 ? 1 : grain, gather_range, &j);
}

/* X[offsets] = S (or += S); S steps by `ss` (0 broadcasts one element). */
#define SCATTER_LOOP(T, OP)                                                                                  \
    do {                                                                                                     \
        T *X = nn_data(x);                                                                                   \
        const T *S = nn_data(src);                                                                           \
        for (int64_t u = 0, k = 0; u < units; u++) {                                                         \
            T *B = X + unit_base(sel, u);                                                                    \
            for (int64_t i = 0; i < n; i++, k += ss)                                                         \
                OP;                                                                                          \
        }                                                                                                    \
    } while (0)

#define SCATTER_CASE(DT, T)                                                                                  \
    case DT:                                                                                                 \
        if (add)                                                                                             \
            SCATTER_LOOP(T, B[p[i]] += S[k]);                                                                \
        else                                                                                                 \
            SCATTER_LOOP(T, B[p[i]] = S[k]);                                                                 \
        break;

nn_status nn_cpu_scatter(nn_ctx *ctx, nn_tensor *x, const nn_tensor *src, const nn_selection *sel, bool add)
{
    int64_t total = 1;
    for (int d = 0; d < sel->n; d++)
        total *= sel->count[d];
    if (total == 0) return NN_OK;
    int64_t n = sel->count[0], units = total / n, ss = src->numel == 1 ? 0 : 1;
    const int64_t *p = sel->pos[0];
    switch (x->dtype) {
        SCATTER_CASE(NN_F32, float)
        SCATTER_CASE(NN_F64, double)
        SCATTER_CASE(NN_I32, int32_t)
        SCATTER_CASE(NN_I64, int64_t)
    case NN_BOOL:
        if (add)
            SCATTER_LOOP(uint8_t, B[p[i]] |= S[k]);
        else
            SCATTER_LOOP(uint8_t, B[p[i]] = S[k]);
        break;
    default: return nn_error(ctx, NN_ERR_TYPE, "setindex!: bad dtype %d", (int)x->dtype);
    }
    return NN_OK;
}
