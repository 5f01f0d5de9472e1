/* cpu/cumsum.h — the CPU kernels of cumsum and cumprod (cpu/cumsum.c) for
 * nn/cumsum.c.  Tensors are dense, of one dtype (Float32, Float64, Int32 or
 * Int64), seen as (inner, n, outer) around the dim they run along.  Not in the
 * backend table yet: a CUDA build adds these as slots with its kernels.
 */
#ifndef NN_CPU_CUMSUM_H
#define NN_CPU_CUMSUM_H

#include "../internal.h"

/* out = the running sums (products when prod) of x along ax.n, from the last
 * element backwards when rev; out has x's shape and dtype. */
nn_status nn_cpu_cumulative(nn_ctx *ctx, nn_tensor *out, const nn_tensor *x, bool prod, bool rev, nn_axis ax);
/* cumprod's gx from g, x and y = cumprod(x) (all of one shape and float
 * dtype): per line gx[k] = y[k-1] * s[k] with s[k] = g[k] + x[k+1] * s[k+1]
 * (y[-1] = 1), exact when x holds zeros. */
nn_status nn_cpu_cumprod_grad(nn_ctx *ctx, nn_tensor *gx, const nn_tensor *g, const nn_tensor *x,
                              const nn_tensor *y, nn_axis ax);

#endif
