/* bcast.h — iterating over broadcast operands.  Dimensions that every operand
 * walks the same way are merged, so most broadcasts become "a row of
 * contiguous elements with strides 0 or 1, repeated", and the inner loops can
 * be specialised for those strides and vectorised.
 */
#ifndef NN_CPU_BCAST_H
#define NN_CPU_BCAST_H

#include "../internal.h"

#define NN_BCAST_MAX_OPS 4

typedef struct {
    int nops, nd;
    int64_t shape[NN_MAX_DIMS];
    int64_t stride[NN_BCAST_MAX_OPS][NN_MAX_DIMS]; /* elements; 0 where broadcast */
    int64_t rows, row_len;                         /* the work units */
} nn_bcast;

/* Called per unit: element offsets of each operand, count, inner strides. */
typedef void (*nn_bcast_fn)(void *arg, const int64_t *off, int64_t n, const int64_t *inner);

/* ops[0] has the full (broadcast) shape of `ndim`/`shape`; the others
 * broadcast to it. */
void nn_bcast_init(nn_bcast *it, int ndim, const int64_t *shape, int nops, const nn_tensor *const *ops);
nn_status nn_bcast_run(nn_ctx *ctx, const nn_bcast *it, nn_bcast_fn fn, void *arg);
/* In order on the calling thread: for reductions, where units may write the
 * same output element. */
nn_status nn_bcast_run_serial(const nn_bcast *it, nn_bcast_fn fn, void *arg);

#endif
