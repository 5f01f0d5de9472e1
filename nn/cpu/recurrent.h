/* cpu/recurrent.h — the CPU kernels of the fused LSTM gates (cpu/recurrent.c)
 * for nn/recurrent.c.  Tensors are dense and of one float dtype: g (4H, n)
 * holds the gates' pre-activations stacked i, f, g, o per column, the others
 * are (H, n).  Not in the backend table yet: a CUDA build adds these as slots
 * with its kernels.
 */
#ifndef NN_CPU_RECURRENT_H
#define NN_CPU_RECURRENT_H

#include "../internal.h"

/* c_new = σ(f) .* c .+ σ(i) .* tanh(g) and h = σ(o) .* tanh(c_new).  acts (g's shape) receives σ(i),
 * σ(f), tanh(g), σ(o) by rows and tc (c's shape) tanh(c_new), for the backward pass; both may be NULL. */
nn_status nn_cpu_lstm_gates(nn_ctx *ctx, nn_tensor *h, nn_tensor *c_new, nn_tensor *acts, nn_tensor *tc,
                            const nn_tensor *g, const nn_tensor *c);
/* Through c_new: gg (g's shape, every row written, the o rows 0) and gc from gcn, the gradient of c_new,
 * with the forward's acts.  Either output may be NULL. */
nn_status nn_cpu_lstm_memory_grad(nn_ctx *ctx, nn_tensor *gg, nn_tensor *gc, const nn_tensor *gcn,
                                  const nn_tensor *acts, const nn_tensor *c);
/* Through h = σ(o) .* tanh(c_new): gg (g's shape, the o rows; the others 0) and gcn from gh, with the
 * forward's acts and tc.  Either output may be NULL. */
nn_status nn_cpu_lstm_output_grad(nn_ctx *ctx, nn_tensor *gg, nn_tensor *gcn, const nn_tensor *gh,
                                  const nn_tensor *acts, const nn_tensor *tc);

#endif
