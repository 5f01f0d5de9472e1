/* cpu/bcast.c — see bcast.h. */
#include "bcast.h"

#define FLAT_CHUNK 16384 /* elements per unit when everything is one row */
#define UNIT_GRAIN 32768 /* elements per thread-pool chunk, at least */

void nn_bcast_init(nn_bcast *it, int ndim, const int64_t *shape, int nops, const nn_tensor *const *ops)
{
    int64_t full[NN_BCAST_MAX_OPS][NN_MAX_DIMS];
    for (int k = 0; k < nops; k++) {
        int64_t s = 1;
        for (int i = 0; i < ndim; i++) {
            int64_t d = i < ops[k]->ndim ? ops[k]->shape[i] : 1;
            full[k][i] = d == 1 ? 0 : s;
            s *= d;
        }
    }
    it->nops = nops;
    it->nd = 0;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] == 1) continue;
        int d = it->nd;
        bool merge = d > 0;
        for (int k = 0; k < nops && merge; k++)
            merge = full[k][i] == it->stride[k][d - 1] * it->shape[d - 1];
        if (merge) {
            it->shape[d - 1] *= shape[i];
            continue;
        }
        it->shape[d] = shape[i];
        for (int k = 0; k < nops; k++)
            it->stride[k][d] = full[k][i];
        it->nd++;
    }
    if (it->nd == 0) { /* a single element */
        it->shape[0] = 1;
        for (int k = 0; k < nops; k++)
            it->stride[k][0] = 0;
        it->nd = 1;
    }
    it->row_len = it->shape[0];
    it->rows = 1;
    for (int i = 1; i < it->nd; i++)
        it->rows *= it->shape[i];
}

typedef struct {
    const nn_bcast *it;
    nn_bcast_fn fn;
    void *arg;
    bool flat;
} run_job;

static void run_units(void *arg, int64_t lo, int64_t hi)
{
    const run_job *j = arg;
    const nn_bcast *it = j->it;
    int64_t off[NN_BCAST_MAX_OPS], inner[NN_BCAST_MAX_OPS];
    for (int k = 0; k < it->nops; k++)
        inner[k] = it->stride[k][0];
    if (j->flat) {
        int64_t start = lo * FLAT_CHUNK, end = hi * FLAT_CHUNK;
        if (end > it->row_len) end = it->row_len;
        for (int k = 0; k < it->nops; k++)
            off[k] = start * inner[k];
        j->fn(j->arg, off, end - start, inner);
        return;
    }
    for (int64_t r = lo; r < hi; r++) {
        int64_t rem = r;
        for (int k = 0; k < it->nops; k++)
            off[k] = 0;
        for (int d = 1; d < it->nd; d++) {
            int64_t c = rem % it->shape[d];
            rem /= it->shape[d];
            for (int k = 0; k < it->nops; k++)
                off[k] += c * it->stride[k][d];
        }
        j->fn(j->arg, off, it->row_len, inner);
    }
}

nn_status nn_bcast_run(nn_ctx *ctx, const nn_bcast *it, nn_bcast_fn fn, void *arg)
{
    run_job j = {it, fn, arg, it->rows == 1};
    if (j.flat) {
        int64_t units = (it->row_len + FLAT_CHUNK - 1) / FLAT_CHUNK;
        return nn_parallel_for(ctx, units, UNIT_GRAIN / FLAT_CHUNK, run_units, &j);
    }
    int64_t grain = UNIT_GRAIN / (it->row_len ? it->row_len : 1);
    return nn_parallel_for(ctx, it->rows, grain < 1 ? 1 : grain, run_units, &j);
}

nn_status nn_bcast_run_serial(const nn_bcast *it, nn_bcast_fn fn, void *arg)
{
    run_job j = {it, fn, arg, false};
    run_units(&j, 0, it->rows);
    return NN_OK;
}
