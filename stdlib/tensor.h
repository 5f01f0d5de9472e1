/* tensor.h — what the tensor libraries share (tensor*.c, random.c, linalg.c,
 * devices.c, gradient.c): reading tensor arguments, wrapping nn results as
 * values, the weak typing of numbers next to tensors (spec §5), element
 * types as lx types, and the broadcast mode in which f.(x) runs f once on
 * whole tensors.
 *
 * Ownership rule: every new nn_tensor reference is wrapped into a value at
 * once (lxL_wrap, lxL_result), so the collector owns it and a built-in may
 * raise at any point without leaking.  Such values are unrooted: they stay
 * alive while the built-in runs plain C, and must be rooted (lxV_root) before
 * it calls back into lx.
 */
#ifndef LX_TENSOR_H
#define LX_TENSOR_H

#include "lib.h"
#include "nn.h"

static inline bool lxL_istensor(lx_Value v)
{
    return lxO_is(v, LXO_TENSOR);
}
static inline nn_tensor *lxL_tval(lx_Value v)
{
    return lxO_as(lxO_tensor, v)->t;
}

/* args[i] as a tensor (borrowed); a TypeError naming fname and the position otherwise. */
nn_tensor *lxL_checktensor(lx_State *L, lx_Value *args, int i, const char *fname);
/* Raises the error a failed nn call left in the state's context. */
static inline void lxL_nncheck(lx_State *L, nn_status s)
{
    if (s != NN_OK) lxE_nn(L, s);
}
/* Wraps a new reference as a value (t may be NULL only on failure paths: raises). */
lx_Value lxL_wrap(lx_State *L, nn_tensor *t);
/* The usual ending of a built-in: raise if s failed, else wrap *out.  A
 * pointer, because C leaves the order of evaluating arguments open:
 * `lxL_result(L, nn_copy(L->nn, &t, x), &t)` reads t after nn_copy set it. */
lx_Value lxL_result(lx_State *L, nn_status s, nn_tensor **out);
/* A 0-d result: a plain number when it is not tracked, the tensor itself
 * when gradient is tracking it (spec §6).  Other shapes stay tensors. */
lx_Value lxL_scalar(lx_State *L, nn_status s, nn_tensor **out);
/* Element i (0-based, column-major) as a number value of the tensor's dtype. */
lx_Value lxL_elem(lx_State *L, const nn_tensor *t, int64_t i);

/* The dtype a number takes next to a tensor of dtype `other` (spec §5: a
 * plain number does not widen a Float32 tensor; a float next to an integer or
 * Bool tensor gives Float32). */
nn_dtype lxL_weakdtype(lx_Value num, nn_dtype other);
/* The dtype a number has on its own (Float64 → Float64, Int64 → Int64, ...). */
nn_dtype lxL_numdtype(lx_Value num);
/* v as a tensor: tensors as they are; numbers as 0-d tensors (of `like`'s
 * weak dtype when like is given); Lists, Tuples and Ranges of numbers as
 * vectors.  Borrowed: the new tensor, if one is made, is owned by *hold. */
nn_tensor *lxL_totensor(lx_State *L, lx_Value v, const nn_tensor *like, const char *fname, lx_Value *hold);

/* Element types as lx types: Float32 ↔ NN_F32, ... (false: not one of them). */
bool lxL_dtype_of(lx_State *L, lx_Value type, nn_dtype *out);
lx_Value lxL_dtype_type(lx_State *L, nn_dtype t);
/* A shape from size arguments (3, 4) or one tuple ((3, 4)); returns ndim.
 * Negative sizes and element counts that overflow are ArgumentErrors. */
int lxL_shape(lx_State *L, lx_Value *args, int n, int64_t *shape, const char *fname);

/* Inside broadcast mode, an op with no elementwise meaning (a reduction, a
 * matrix product of two lifted values, indexing, size) raises, so that f.(x)
 * falls back to its per-element loop; `what` names the op. */
void lxL_liftcheck(lx_State *L, const char *what);

/* broadcast(f, xs...) and broadcast!(f, dest, xs...) when a tensor is among
 * the arguments (tensor_bcast.c; collections.c hands these over). */
lx_Value lxL_tensor_broadcast(lx_State *L, lx_Value f, lx_Value *xs, int nx);

/* The libraries (each registers its table). */
/* The nn elementwise op an activation function value stands for (nothing:
 * identity), for fused kernels (tensor_bcast.c); false: none. */
bool lxL_actop(lx_State *L, lx_Value f, nn_unary_op *act);

/* The generator v (random.c), or a TypeError naming fname. */
nn_rng *lxL_checkrng(lx_State *L, lx_Value v, const char *fname);

void lxL_open_tensor(lx_State *L);        /* tensor.c: the Tensor type's docs, shared names */
void lxL_open_tensor_show(lx_State *L);   /* tensor_show.c: display */
void lxL_open_tensor_new(lx_State *L);    /* tensor_new.c: constructors, literals, conversions */
void lxL_open_random(lx_State *L);        /* random.c: Xoshiro, rand, randn, seed! */
void lxL_open_tensor_arith(lx_State *L);  /* tensor_arith.c: operators, math */
void lxL_open_activations(lx_State *L);   /* activations.c: NNlib's activation functions */
void lxL_open_tensor_bcast(lx_State *L);  /* tensor_bcast.c: broadcasting, lifting user functions */
void lxL_open_tensor_index(lx_State *L);  /* tensor_index.c: getindex, setindex!, iteration, size */
void lxL_open_tensor_shape(lx_State *L);  /* tensor_shape.c: reshape, permutedims, cat, ... */
void lxL_open_tensor_reduce(lx_State *L); /* tensor_reduce.c: sum, mean, ..., softmax */
void lxL_open_linalg(lx_State *L);        /* linalg.c: LinearAlgebra through LAPACK */
void lxL_open_devices(lx_State *L);       /* devices.c: cpu_device, gpu_device, threads */
void lxL_open_gradient(lx_State *L);      /* gradient.c: gradient, withgradient, pullback, jacobian */
void lxL_open_nnlib_conv(lx_State *L);    /* nnlib_conv.c: conv, conv_transpose */
void lxL_open_nnlib_pool(lx_State *L);    /* nnlib_pool.c: maxpool, meanpool, lpnormpool, upsample_* */
void lxL_open_nnlib_norm(lx_State *L);    /* nnlib_norm.c: batchnorm, groupnorm, layernorm, instancenorm */
void lxL_open_nnlib_batched(lx_State *L); /* nnlib_batched.c: batched_mul, batched_transpose */
void lxL_open_nnlib_rnn(lx_State *L);     /* nnlib_rnn.c: the fused LSTM gates (__lstm_gates) */
void lxL_open_lux_support(lx_State *L);   /* lux_support.c: what the layers written in lx need from C */
void lxL_open_lux_tools(lx_State *L);     /* lux_tools.c: @layer_map, @debug_mode, the NaN-checking gradient op */
void lxL_open_optimise(lx_State *L);      /* optimise.c: the optimisers' fused in-place steps */
void lxL_open_losses(lx_State *L);        /* losses.c: the fused loss kernels */
void lxL_open_data_io(lx_State *L);       /* data_io.c: read_csv, read_idx, read_npy, write_npy */
void lxL_open_term(lx_State *L);          /* term.c: terminal queries for progress bars and plots */

#endif
