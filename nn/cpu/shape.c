/* cpu/shape.c — moving elements without arithmetic: strided box copies (cat,
 * stack and their backward) and permutedims.  Only the element size matters,
 * so one body serves every dtype; a transpose-like copy goes in square tiles
 * so that the rows it reads and the rows it writes both stay in cache.
 */
#include "kernels.h"

#include <string.h>

#define TILE 32
#define COPY_GRAIN 32768 /* elements per thread-pool chunk, at least */

typedef struct {
    int nd, k; /* k > 0: tiled over dims 0 and k (src contiguous along k) */
    int64_t shape[NN_MAX_DIMS], ds[NN_MAX_DIMS], ss[NN_MAX_DIMS];
    int64_t ntile, row; /* tiles along k; elements per work unit */
    char *d;
    const char *s;
    size_t es;
} box_job;

/* Offsets of unit u's first element, u running over every dim but 0 (and k,
 * which counts tiles instead of elements when tiled). */
static void unit_offsets(const box_job *j, int64_t u, int64_t *doff, int64_t *soff, int64_t *j0)
{
    int64_t od = 0, os = 0;
    if (j->k) {
        *j0 = (u % j->ntile) * TILE;
        u /= j->ntile;
        od = *j0 * j->ds[j->k];
        os = *j0 * j->ss[j->k];
    }
    for (int d = 1; d < j->nd; d++) {
        if (d == j->k) continue;
        int64_t c = u % j->shape[d];
        u /= j->shape[d];
        od += c * j->ds[d];
        os += c * j->ss[d];
    }
    *doff = od;
    *soff = os;
}

#define DEFINE_BOX(SUF, T)                                                                                   \
    static void box_##SUF(const box_job *j, int64_t lo, int64_t hi)                                          \
    {                                                                                                        \
        int64_t n = j->shape[0], ds0 = j->ds[0], ss0 = j->ss[0];                                             \
        for (int64_t u = lo; u < hi; u++) {                                                                  \
            int64_t od, os, j0 = 0;                                                                          \
            unit_offsets(j, u, &od, &os, &j0);                                                               \
            T *D = (T *)j->d + od;                                                                           \
            const T *S = (const T *)j->s + os;                                                               \
            if (!j->k) {                                                                                     \
                for (int64_t i = 0; i < n; i++)                                                              \
                    D[i * ds0] = S[i * ss0];                                                                 \
                continue;                                                                                    \
            }                                                                                                \
            int64_t j1 = j->shape[j->k] - j0 < TILE ? j->shape[j->k] - j0 : TILE;                            \
            int64_t dsk = j->ds[j->k];                                                                       \
            for (int64_t i0 = 0; i0 < n; i0 += TILE) {                                                       \
                int64_t i1 = n - i0 < TILE ? n : i0 + TILE;                                                  \
                for (int64_t jj = 0; jj < j1; jj++)                                                          \
                    for (int64_t i = i0; i < i1; i++)                                                        \
                        D[i + jj * dsk] = S[i * ss0 + jj];                                                   \
            }                                                                                                \
        }                                                                                                    \
    }

DEFINE_BOX(b8, uint8_t)
DEFINE_BOX(b32, uint32_t)
DEFINE_BOX(b64, uint64_t)

static void box_range(void *arg, int64_t lo, int64_t hi)
{
    const box_job *j = arg;
    if (!j->k && j->ds[0] == 1 && j->ss[0] == 1) { /* contiguous rows */
        for (int64_t u = lo; u < hi; u++) {
            int64_t od, os, j0;
            unit_offsets(j, u, &od, &os, &j0);
            memcpy(j->d + od * (int64_t)j->es, j->s + os * (int64_t)j->es, (size_t)j->shape[0] * j->es);
        }
        return;
    }
    switch (j->es) {
    case 1: box_b8(j, lo, hi); break;
    case 4: box_b32(j, lo, hi); break;
    default: box_b64(j, lo, hi); break;
    }
}

/* Size-1 dims go; a dim that continues the previous one on both sides merges
 * into it, so a slab copy becomes a few long rows. */
static void box_setup(box_job *j, int ndim, const int64_t *shape, const int64_t *ds, const int64_t *ss)
{
    j->nd = 0;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] == 1) continue;
        int d = j->nd;
        if (d > 0 && ds[i] == j->ds[d - 1] * j->shape[d - 1] && ss[i] == j->ss[d - 1] * j->shape[d - 1]) {
            j->shape[d - 1] *= shape[i];
            continue;
        }
        j->shape[d] = shape[i];
        j->ds[d] = ds[i];
        j->ss[d] = ss[i];
        j->nd++;
    }
    if (j->nd == 0) {
        j->shape[0] = 1;
        j->ds[0] = j->ss[0] = 0;
        j->nd = 1;
    }
    j->k = 0;
    if (j->ds[0] == 1 && j->ss[0] != 1)
        for (int d = 1; d < j->nd; d++)
            if (j->ss[d] == 1) j->k = d;
}

static nn_status box_run(nn_ctx *ctx, box_job *j)
{
    int64_t units = 1;
    for (int d = 1; d < j->nd; d++)
        if (d != j->k) units *= j->shape[d];
    j->row = j->shape[0];
    if (j->k) {
        j->ntile = (j->shape[j->k] + TILE - 1) / TILE;
        units *= j->ntile;
        j->row *= TILE;
    }
    if (units == 0 || j->shape[0] == 0) return NN_OK;
    int64_t grain = COPY_GRAIN / j->row;
    return nn_parallel_for(ctx, units, grain < 1 ? 1 : grain, box_range, j);
}

nn_status nn_cpu_copy_strided(nn_ctx *ctx, nn_tensor *dst, int64_t doff, const int64_t *dstride,
                              const nn_tensor *src, int64_t soff, const int64_t *sstride, int ndim,
                              const int64_t *shape)
{
    box_job j;
    j.es = nn_dtype_size(dst->dtype);
    j.d = (char *)nn_data(dst) + doff * (int64_t)j.es;
    j.s = (const char *)nn_data(src) + soff * (int64_t)j.es;
    box_setup(&j, ndim, shape, dstride, sstride);
    return box_run(ctx, &j);
}

/* out dim i walks x's dim perm[i]: a box copy with x's strides permuted. */
nn_status nn_cpu_permute(nn_ctx *ctx, nn_tensor *out, const nn_tensor *x, const int *perm)
{
    int64_t xs[NN_MAX_DIMS], ds[NN_MAX_DIMS], ss[NN_MAX_DIMS], s = 1;
    for (int i = 0; i < x->ndim; i++) {
        xs[i] = s;
        s *= x->shape[i];
    }
    s = 1;
    for (int i = 0; i < out->ndim; i++) {
        ds[i] = s;
        s *= out->shape[i];
        ss[i] = xs[perm[i]];
    }
    return nn_cpu_copy_strided(ctx, out, 0, ds, x, 0, ss, out->ndim, out->shape);
}
