/* nn.h — the public API of lx's C neural-network core.
 *
 * Tensors are column-major, batch last, reference counted views over reference
 * counted storage.  Every fallible call takes an nn_ctx first, the output next,
 * returns an nn_status and leaves a message naming the op and the shapes in the
 * context.  Nothing here exits, aborts or prints.
 */
#ifndef NN_H
#define NN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NN_MAX_DIMS 16

typedef enum { NN_F32, NN_F64, NN_I32, NN_I64, NN_BOOL, NN_NUM_DTYPES } nn_dtype;
typedef enum { NN_CPU, NN_CUDA, NN_NUM_DEVICES } nn_device;

/* The Julia exception each status becomes at the language level. */
typedef enum {
    NN_OK = 0,
    NN_ERR_DIMENSION,   /* DimensionMismatch */
    NN_ERR_ARGUMENT,    /* ArgumentError */
    NN_ERR_TYPE,        /* TypeError (wrong dtype) */
    NN_ERR_BOUNDS,      /* BoundsError */
    NN_ERR_DOMAIN,      /* DomainError */
    NN_ERR_MEMORY,      /* OutOfMemoryError */
    NN_ERR_INTERRUPTED, /* InterruptException */
    NN_ERR_MUTATED,     /* ErrorException: a tensor the graph needs was mutated */
    NN_ERR_STATE,       /* ErrorException: misuse (backward twice, non-scalar root) */
    NN_ERR_LAPACK,      /* ErrorException: LAPACK reported failure */
    NN_NUM_STATUS
} nn_status;

typedef enum {
#define NN_UNARY(E, n) NN_##E,
#include "ops.def"
    NN_NUM_UNARY
} nn_unary_op;

typedef enum {
#define NN_BINARY(E, n) NN_##E,
#include "ops.def"
    NN_NUM_BINARY
} nn_binary_op;

typedef enum {
#define NN_COMPARE(E, n) NN_##E,
#include "ops.def"
    NN_NUM_COMPARE
} nn_compare_op;

typedef enum { NN_SUM, NN_MEAN, NN_PROD, NN_MAXIMUM, NN_MINIMUM, NN_NUM_REDUCE } nn_reduce_op;

typedef struct nn_ctx nn_ctx;
typedef struct nn_node nn_node;
typedef struct nn_storage nn_storage;

/* A tensor: always dense column-major over its storage, starting at `offset`
 * elements in.  Views (reshape, contiguous slices) share the storage. */
typedef struct nn_tensor {
    int refcount;
    nn_dtype dtype;
    int ndim;
    int64_t shape[NN_MAX_DIMS];
    int64_t numel;
    int64_t offset; /* in elements */
    nn_storage *storage;
    /* autodiff */
    bool requires_grad;     /* a leaf whose gradient is wanted */
    nn_node *node;          /* the op that made this tensor, NULL for leaves */
    struct nn_tensor *grad; /* accumulated gradient of a leaf */
} nn_tensor;

/* Return from the calling function when an nn call fails. */
#define NN_TRY(expr)                                                                                         \
    do {                                                                                                     \
        nn_status nn_try_s_ = (expr);                                                                        \
        if (nn_try_s_ != NN_OK) return nn_try_s_;                                                            \
    } while (0)

/* ---- context ------------------------------------------------------------ */

nn_ctx *nn_ctx_new(void);
void nn_ctx_free(nn_ctx *ctx);
const char *nn_ctx_message(const nn_ctx *ctx); /* last error message */
nn_status nn_ctx_status(const nn_ctx *ctx);    /* last error status  */
void nn_ctx_clear_error(nn_ctx *ctx);
const char *nn_status_name(nn_status s); /* "DimensionMismatch" */
/* Record an error (printf-style message) and return `s`. */
nn_status nn_error(nn_ctx *ctx, nn_status s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Async-signal-safe: long kernels poll this and return NN_ERR_INTERRUPTED. */
void nn_ctx_interrupt(nn_ctx *ctx);
void nn_ctx_clear_interrupt(nn_ctx *ctx);
bool nn_ctx_interrupted(const nn_ctx *ctx);
/* Memory: bytes held by live tensors, bytes cached by the pool, a limit on
 * live+cached (0 = none), and giving the cache back to the system. */
size_t nn_ctx_bytes_live(const nn_ctx *ctx);
size_t nn_ctx_bytes_cached(const nn_ctx *ctx);
void nn_ctx_set_memory_limit(nn_ctx *ctx, size_t bytes);
void nn_ctx_trim(nn_ctx *ctx);

/* A hook run on every gradient as the backward pass computes it: `node_name`
 * is the op, `input` the argument index, `grad` the gradient for it.  Return
 * NN_OK to go on; any error stops the backward pass (debug mode's NaN catch). */
typedef nn_status (*nn_grad_hook)(nn_ctx *ctx, const char *node_name, int input, const nn_tensor *grad,
                                  void *ud);
void nn_ctx_set_grad_hook(nn_ctx *ctx, nn_grad_hook hook, void *ud);

/* ---- threads (process-wide, shared with OpenBLAS) ------------------------ */

void nn_set_num_threads(int n); /* <= 0: the cores available */
int nn_get_num_threads(void);

/* ---- dtypes and shapes ---------------------------------------------------- */

size_t nn_dtype_size(nn_dtype t);
const char *nn_dtype_name(nn_dtype t); /* "Float32" */
bool nn_dtype_is_float(nn_dtype t);
/* "(3, 4)" into buf; returns buf.  A 0-d tensor is "()". */
char *nn_shape_str(char *buf, size_t n, int ndim, const int64_t *shape);
bool nn_same_shape(const nn_tensor *a, const nn_tensor *b);

/* ---- tensors --------------------------------------------------------------- */

nn_status nn_empty(nn_ctx *ctx, nn_tensor **out, nn_dtype t, int ndim, const int64_t *shape);
nn_status nn_zeros(nn_ctx *ctx, nn_tensor **out, nn_dtype t, int ndim, const int64_t *shape);
nn_status nn_ones(nn_ctx *ctx, nn_tensor **out, nn_dtype t, int ndim, const int64_t *shape);
nn_status nn_full(nn_ctx *ctx, nn_tensor **out, nn_dtype t, int ndim, const int64_t *shape, double v);
nn_status nn_scalar(nn_ctx *ctx, nn_tensor **out, nn_dtype t, double v); /* 0-d */
/* Copies `data` (column-major, of dtype t). */
nn_status nn_from_data(nn_ctx *ctx, nn_tensor **out, nn_dtype t, int ndim, const int64_t *shape,
                       const void *data);
/* Called once nn no longer uses memory it borrowed (nn_from_external). */
typedef void (*nn_release_fn)(void *ud, void *data);
/* A CPU tensor over the caller's memory, used in place (no copy; writes show in `data`): release(ud,
 * data) runs once the last tensor or view on it dies (release may be NULL).  data must hold the
 * elements, aligned for t; the pool never takes it.  On failure (a bad dtype or shape, no memory
 * for the header) release runs at once. */
nn_status nn_from_external(nn_ctx *ctx, nn_tensor **out, nn_dtype t, int ndim, const int64_t *shape,
                           void *data, nn_release_fn release, void *ud);
nn_status nn_similar(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x); /* uninitialised */
nn_tensor *nn_retain(nn_tensor *t);
void nn_release(nn_tensor *t);                  /* NULL is fine */
void *nn_data(const nn_tensor *t);              /* first element (CPU tensors) */
double nn_get(const nn_tensor *t, int64_t i);   /* 0-based linear index */
void nn_set(nn_tensor *t, int64_t i, double v); /* no version bump */
nn_device nn_tensor_device(const nn_tensor *t);
uint64_t nn_tensor_version(const nn_tensor *t);
void nn_bump_version(nn_tensor *t); /* call after writing into t in place */

/* Differentiable copies. */
nn_status nn_copy(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x);
nn_status nn_convert(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, nn_dtype t);
/* In place (bump the version counter). */
nn_status nn_fill_(nn_ctx *ctx, nn_tensor *t, double v);
nn_status nn_copy_(nn_ctx *ctx, nn_tensor *dst, const nn_tensor *src); /* broadcasts src */

/* ---- autodiff ------------------------------------------------------------- */

void nn_set_requires_grad(nn_tensor *t, bool on);
bool nn_is_tracked(const nn_tensor *t); /* requires_grad leaf or made by a tracked op */
nn_tensor *nn_grad(const nn_tensor *t); /* borrowed; NULL if none */
void nn_zero_grad(nn_tensor *t);        /* drops the accumulated gradient */
/* Backward from a tensor with one element (seed 1), or with an explicit seed of
 * the root's shape.  Frees the graph's saved tensors as it goes. */
nn_status nn_backward(nn_ctx *ctx, nn_tensor *root);
nn_status nn_backward_seed(nn_ctx *ctx, nn_tensor *root, const nn_tensor *seed);
/* An untracked alias sharing storage (a "detach"). */
nn_status nn_detach(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x);
/* A new leaf aliasing x's storage with requires_grad set: one per argument
 * object in `gradient`, so a tensor reached twice accumulates once. */
nn_status nn_tracked_alias(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x);

/* Backward supplied as a C callback, for ops defined outside nn/ (custom
 * layers).  `grad_out` has the output's shape; fill grad_in[i] (new
 * references, same shape as input i) for each i with needs[i]; leave the rest
 * NULL.  Saved tensors are the callback's own business (keep them in ud). */
typedef nn_status (*nn_backward_fn)(nn_ctx *ctx, void *ud, const nn_tensor *grad_out, int ninputs,
                                    const bool *needs, nn_tensor **grad_in);
/* Attach a node to `out` (already computed from `inputs`) when any input is
 * tracked.  The node owns `ud` and calls free_ud on it when it dies. */
nn_status nn_attach_backward(nn_ctx *ctx, nn_tensor *out, const char *name, int ninputs,
                             nn_tensor *const *inputs, nn_backward_fn fn, void *ud, void (*free_ud)(void *));

/* ---- elementwise ---------------------------------------------------------- */

const char *nn_unary_name(nn_unary_op op);
const char *nn_binary_name(nn_binary_op op);
const char *nn_compare_name(nn_compare_op op);
double nn_unary_default_param(nn_unary_op op); /* 0.01 for leakyrelu, 1 for elu/celu */

/* Float ops on integer/Bool tensors compute in Float32 (lx's promotion rule). */
nn_status nn_unary(nn_ctx *ctx, nn_tensor **out, nn_unary_op op, const nn_tensor *x);
nn_status nn_unary_p(nn_ctx *ctx, nn_tensor **out, nn_unary_op op, const nn_tensor *x, double p);
/* Julia broadcasting: dims match or one side is 1 (or missing). Result dtype:
 * the wider float; int with float -> Float32; Int32 with Int64 -> Int64,
 * with Bool -> Int32; DIV and POW of integers -> Float32; Bool with Bool ->
 * Int64 (true + true == 2, as Julia). */
nn_status nn_binary(nn_ctx *ctx, nn_tensor **out, nn_binary_op op, const nn_tensor *a, const nn_tensor *b);
nn_status nn_compare(nn_ctx *ctx, nn_tensor **out, nn_compare_op op, const nn_tensor *a, const nn_tensor *b);
nn_status nn_clamp(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, double lo, double hi);
/* cond is Bool; broadcasts all three. */
nn_status nn_ifelse(nn_ctx *ctx, nn_tensor **out, const nn_tensor *cond, const nn_tensor *a,
                    const nn_tensor *b);

/* ---- matrix products (nn/cpu/matmul.c) ------------------------------------ */

/* op(A) * op(B), op = transpose when ta/tb.  A matrix times a vector gives a
 * vector.  Float32/Float64 through OpenBLAS, no copies for transposes. */
nn_status nn_matmul(nn_ctx *ctx, nn_tensor **out, const nn_tensor *a, const nn_tensor *b, bool ta, bool tb);
/* (m, k, B) x (k, n, B) -> (m, n, B); a batch of 1 broadcasts. */
nn_status nn_batched_mul(nn_ctx *ctx, nn_tensor **out, const nn_tensor *a, const nn_tensor *b, bool ta,
                         bool tb);
/* Fused act.(W * x .+ b): one node, bias and activation in one pass after the
 * GEMM.  b may be NULL; act one of IDENTITY RELU TANH SIGMOID ... */
nn_status nn_dense(nn_ctx *ctx, nn_tensor **out, const nn_tensor *w, const nn_tensor *x, const nn_tensor *b,
                   nn_unary_op act);

/* ---- reductions (nn/cpu/reduce.c) ----------------------------------------- */

/* dims are 1-based (Julia's); ndims == 0 reduces everything to a 0-d tensor,
 * otherwise the reduced dims are kept with size 1, as Julia's `dims=`. */
nn_status nn_reduce(nn_ctx *ctx, nn_tensor **out, nn_reduce_op op, const nn_tensor *x, int ndims,
                    const int *dims);
nn_status nn_var(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int ndims, const int *dims,
                 bool corrected);
nn_status nn_std(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int ndims, const int *dims,
                 bool corrected);
/* 1-based Int64 positions along `dim` (size 1 there); dim == 0: the 1-based
 * linear index of the extreme element, as a 0-d tensor.  Not differentiable. */
nn_status nn_argmax(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int dim);
nn_status nn_argmin(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int dim);
/* Reduce g (broadcast result) back to `shape` by summing: broadcasting's backward. */
nn_status nn_sum_to(nn_ctx *ctx, nn_tensor **out, const nn_tensor *g, int ndim, const int64_t *shape);

/* ---- softmax family (nn/cpu/softmax.c), dims 1-based ------------------------ */

nn_status nn_softmax(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int dim);
nn_status nn_logsoftmax(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int dim);
nn_status nn_logsumexp(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int ndims, const int *dims);
/* mean over the batch of -sum(y .* logsoftmax(logits; dims=1); dims=1), fused. */
nn_status nn_logitcrossentropy(nn_ctx *ctx, nn_tensor **out, const nn_tensor *logits, const nn_tensor *y);

/* ---- shapes (nn/cpu/shape.c) ---------------------------------------------- */

/* A view when possible (always, since tensors are dense). One entry may be -1. */
nn_status nn_reshape(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int ndim, const int64_t *shape);
nn_status nn_vec(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x);
/* perm is 1-based, a permutation of 1..ndim. */
nn_status nn_permutedims(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, const int *perm);
nn_status nn_transpose(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x); /* 1-d or 2-d */
/* Concatenate along 1-based dim (vcat = 1, hcat = 2); missing dims count as 1. */
nn_status nn_cat(nn_ctx *ctx, nn_tensor **out, int n, nn_tensor *const *xs, int dim);
/* Stack equal shapes along a new 1-based dim (ndim+1 for the last). */
nn_status nn_stack(nn_ctx *ctx, nn_tensor **out, int n, nn_tensor *const *xs, int dim);

/* ---- indexing (nn/cpu/index.c) -------------------------------------------- */

typedef enum { NN_IDX_ALL, NN_IDX_SCALAR, NN_IDX_RANGE, NN_IDX_VECTOR, NN_IDX_MASK } nn_index_kind;

/* One index per dimension (or a single one: linear indexing over all elements).
 * Positions are 1-based, as the language writes them. */
typedef struct {
    nn_index_kind kind;
    int64_t i;                 /* SCALAR */
    int64_t start, step, stop; /* RANGE: start:step:stop, inclusive */
    const nn_tensor *t;        /* VECTOR: Int32/Int64 positions; MASK: Bool */
} nn_index;

/* x[idx...]: scalar indices drop their dim (as Julia); contiguous selections
 * are views.  Out-of-range positions are a BoundsError naming them. */
nn_status nn_getindex(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int nidx, const nn_index *idx);
/* x[idx...] .= v (v broadcast to the selection); bumps x's version.  Not
 * recorded: x must not be tracked. */
nn_status nn_setindex_(nn_ctx *ctx, nn_tensor *x, int nidx, const nn_index *idx, const nn_tensor *v);

/* ---- random numbers (nn/rng.c) -------------------------------------------- */

/* Xoshiro256++; the state is the caller's (no hidden global generator). */
typedef struct {
    uint64_t s[4];
} nn_rng;

void nn_rng_seed(nn_rng *r, uint64_t seed); /* SplitMix64 expansion */
uint64_t nn_rng_next(nn_rng *r);
double nn_rng_uniform(nn_rng *r);             /* [0, 1) */
double nn_rng_normal(nn_rng *r);              /* N(0, 1) */
uint64_t nn_rng_below(nn_rng *r, uint64_t n); /* uniform in [0, n), unbiased */

nn_status nn_rand(nn_ctx *ctx, nn_tensor **out, nn_rng *r, nn_dtype t, int ndim,
                  const int64_t *shape); /* U[0, 1) */
nn_status nn_randn(nn_ctx *ctx, nn_tensor **out, nn_rng *r, nn_dtype t, int ndim,
                   const int64_t *shape);                                  /* N(0, 1) */
nn_status nn_randperm(nn_ctx *ctx, nn_tensor **out, nn_rng *r, int64_t n); /* Int64, 1..n */
nn_status nn_bernoulli(nn_ctx *ctx, nn_tensor **out, nn_rng *r, double p, int ndim,
                       const int64_t *shape); /* Bool */

/* ---- initialisers (nn/init.c), as WeightInitializers.jl ---------------------- */

typedef enum {
    NN_INIT_ZEROS,
    NN_INIT_ONES,
    NN_INIT_GLOROT_UNIFORM,
    NN_INIT_GLOROT_NORMAL,
    NN_INIT_KAIMING_UNIFORM,
    NN_INIT_KAIMING_NORMAL,
    NN_INIT_TRUNCATED_NORMAL,
    NN_INIT_ORTHOGONAL,
    NN_NUM_INIT
} nn_init_kind;

/* Keyword arguments; nn_init_defaults fills Lux's defaults for a kind. */
typedef struct {
    double gain;              /* glorot 1, kaiming sqrt(2), orthogonal 1 */
    double mean, std, lo, hi; /* truncated_normal: 0, 1, -2, 2 */
} nn_init_opts;

void nn_init_defaults(nn_init_kind k, nn_init_opts *o);
const char *nn_init_name(nn_init_kind k);
/* fan_in, fan_out as WeightInitializers' nfan. */
void nn_nfan(int ndim, const int64_t *shape, double *fan_in, double *fan_out);
nn_status nn_init(nn_ctx *ctx, nn_tensor **out, nn_rng *r, nn_init_kind k, const nn_init_opts *o, nn_dtype t,
                  int ndim, const int64_t *shape);

/* ---- linear algebra (nn/linalg.c; LAPACK kernels in nn/cpu/linalg.c) ---------- */

/* Float32/Float64 (integer and Bool tensors compute in Float32), CPU tensors.
 * A non-square matrix where a square one is needed is a DimensionMismatch; a
 * singular one where an inverse is needed is NN_ERR_LAPACK naming it
 * (Julia's SingularException).  All are differentiable. */
nn_status nn_det(nn_ctx *ctx, nn_tensor **out, const nn_tensor *a); /* 0-d; 0 when singular */
nn_status nn_inv(nn_ctx *ctx, nn_tensor **out, const nn_tensor *a);
/* A \ B for square A (n, n), B (n,) or (n, k): X of B's shape (dtypes promote). */
nn_status nn_solve(nn_ctx *ctx, nn_tensor **out, const nn_tensor *a, const nn_tensor *b);
/* The thin QR of A (m, n): Q (m, k) with orthonormal columns, R (k, n) upper
 * triangular, k = min(m, n); signs as LAPACK's (R's diagonal may be negative).
 * The gradient needs A of full rank. */
nn_status nn_qr(nn_ctx *ctx, nn_tensor **q, nn_tensor **r, const nn_tensor *a);
/* sum(vec(x) .* vec(y)) as a 0-d tensor; equal lengths, any shapes. */
nn_status nn_dot(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, const nn_tensor *y);
/* The p-norm of all elements as a 0-d tensor: p = 2, 1, INFINITY (largest
 * magnitude), -INFINITY (smallest), 0 (count of non-zeros), or any other p. */
nn_status nn_norm(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, double p);

/* ---- cumulative sums and products (nn/cumsum.c; kernels in nn/cpu/cumsum.c) ---
 * (tensor reductions area) */

/* The running sums (products) along 1-based dim, of x's shape: y[k] = x[1] +
 * ... + x[k] along dim (a dim past x's last gives a copy).  Bool counts as
 * Int64, other dtypes keep theirs (accumulated in the element type, in order,
 * as Julia).  Differentiable; CPU tensors. */
nn_status nn_cumsum(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int dim);
nn_status nn_cumprod(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int dim);

/* ---- convolution (nn/conv.c; kernels nn/cpu/conv.c) ------------------------ */

/* NNlib's convolution settings; entries past nd are ignored. */
typedef struct {
    int nd; /* spatial dims: 1, 2 or 3 */
    int64_t stride[3], dilation[3];
    int64_t pad[6]; /* (lo, hi) per spatial dim: w_lo, w_hi, h_lo, h_hi, d_lo, d_hi */
    int64_t groups;
    bool flipped; /* true: cross-correlation (PyTorch's conv); false: true convolution (kernel
                   * flipped), NNlib's default */
} nn_conv_params;

/* x (I..., Cin, N), w (k..., Cin / groups, Cout), b (Cout,) or NULL -> (O..., Cout, N),
 * O = floor((I + lo + hi - d (k - 1) - 1) / s) + 1.  Differentiable in x, w and b.  Float32 or
 * Float64 (the promoted type of the inputs; integers compute in Float32).  Shape and channel
 * mismatches are DimensionMismatch (Lux's texts, with the shapes); stride, dilation or groups below
 * 1 and negative padding are ArgumentError. */
nn_status nn_conv(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, const nn_tensor *w, const nn_tensor *b,
                  const nn_conv_params *p);
/* The transpose (NNlib's ∇conv_data, Lux's ConvTranspose): x (I..., Cin, N), w (k..., Cout / groups,
 * Cin), b (Cout,) or NULL -> (O..., Cout, N), O = (I - 1) s + 1 + (k - 1) d - (lo + hi) + outpad:
 * exactly the gradient in the input of nn_conv with the same w and params, for an input of size O.
 * Differentiable in x, w and b. */
nn_status nn_conv_transpose(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, const nn_tensor *w,
                            const nn_tensor *b, const nn_conv_params *p,
                            const int64_t *outpad /* nd entries or NULL */);

/* ---- pooling and upsampling (nn/pooling.c; kernels nn/cpu/pooling.c) -------- */

/* x is (I..., C, N): nd = 1, 2 or 3 spatial dims first, then the slices
 * (channels, batch; any further trailing dims count as more slices).  Float32
 * and Float64; integer and Bool inputs compute in Float32.  All differentiable;
 * work is split over the (C, N) slices. */
typedef enum { NN_POOL_MAX, NN_POOL_MEAN, NN_POOL_LP } nn_pool_mode;
typedef struct {
    int nd;
    int64_t k[3], stride[3], dilation[3];
    int64_t pad[6]; /* (lo, hi) per spatial dim */
    double p;       /* NN_POOL_LP's norm power, 0 < p < Inf */
} nn_pool_params;
/* y (O..., C, N), O = floor((I + lo + hi - d (k - 1) - 1) / s) + 1.  Max ignores
 * padding (padded cells never win; a window of padding alone gives -Inf), NaN
 * wins (PyTorch); its gradient goes to the first maximum of each window (as
 * NNlib and PyTorch).  Mean divides by the full window size, padding counted
 * as zeros (NNlib's meanpool, PyTorch's count_include_pad).  LP:
 * (sum |x|^p)^(1/p) over the window (NNlib's lpnormpool).  Errors: fewer than
 * nd + 2 dims or an output size < 1 are DimensionMismatch; k, stride,
 * dilation < 1, pad < 0, nd outside 1..3 or p outside (0, Inf) ArgumentError. */
nn_status nn_pooling(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, nn_pool_mode mode,
                     const nn_pool_params *p);
/* Nearest-neighbour upsampling of the nd spatial dims to `size` (nd entries),
 * each an integer multiple of the input's (an ArgumentError otherwise; NNlib's
 * upsample_nearest).  Keeps integer and Bool dtypes. */
nn_status nn_upsample_nearest(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int nd, const int64_t *size);
/* Linear (nd = 1), bilinear (2) and trilinear (3) interpolation to any size
 * >= 1, as NNlib's upsample_linear/bilinear/trilinear and PyTorch's
 * interpolate(size = ...): with align_corners the corner cells of input and
 * output coincide (source position o (I - 1)/(O - 1), 0 when O = 1); without,
 * cell centres scale (max(0, (o + 1/2) I/O - 1/2)). */
nn_status nn_upsample_linear(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int nd, const int64_t *size,
                             bool align_corners);

/* ---- normalisation (nn/normalize.c; kernels nn/cpu/normalize.c) ------------- */

/* Batch normalisation, fused: y = act.(scale .* (x .- mean) ./ sqrt.(var .+ eps) .+ bias), statistics per
 * channel (dim ndim-1, 1-based: dim 1 of a matrix (C, N), dim 3 of (W, H, C, N)) over every other dim.
 * training: the batch mean and biased batch variance normalise; when running_mean/var are given,
 * *new_mean / *new_var (NULL to skip) receive (1-m) r + m mean and (1-m) r + m (n/(n-1)) var (n elements
 * per channel), untracked, of the running statistics' shape.  Not training: the running statistics
 * normalise (they must be given) and *new_mean / *new_var receive new references to them.  A batch of 1
 * (size(x, ndim) == 1) in training is an ArgumentError, as Lux's layer.  scale, bias and the running
 * statistics have C elements each, or are NULL.  act is an elementwise op (NN_IDENTITY, NN_RELU, NN_TANH,
 * ... with its parameter act_p; identity and relu run inside the kernel).  x's float dtype (integers:
 * Float32) is the result's.  Differentiable in x, scale and bias (in training through the statistics). */
nn_status nn_batchnorm(nn_ctx *ctx, nn_tensor **out, nn_tensor **new_mean, nn_tensor **new_var,
                       const nn_tensor *x, const nn_tensor *scale, const nn_tensor *bias,
                       const nn_tensor *running_mean, const nn_tensor *running_var, bool training,
                       double momentum, double eps, nn_unary_op act, double act_p);
/* (x .- mean) ./ sqrt.(var .+ eps) with mean and biased var over the dims set in `dims` (bit i: 0-based
 * dim i; bits past x's dims are ignored), one statistic per index of the other dims: the building block of
 * group, instance and layer norm.  Differentiable. */
nn_status nn_normalize(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, uint32_t dims, double eps);

/* ---- recurrent (nn/recurrent.c; kernels nn/cpu/recurrent.c) ----------------- */

/* An LSTM cell's gates in one pass (Lux's LSTMCell after its two products): g (4H, batch...) holds the
 * pre-activations stacked in the order i, f, g, o (Lux's and PyTorch's), c (H, batch...) the memory;
 * *c_new = σ(f) .* c .+ σ(i) .* tanh(g) and *h = σ(o) .* tanh(*c_new), both of c's shape.  Mixed float
 * dtypes promote; integers compute in Float32.  Differentiable in g and c (h through c_new). */
nn_status nn_lstm_gates(nn_ctx *ctx, nn_tensor **h, nn_tensor **c_new, const nn_tensor *g, const nn_tensor *c);

/* ---- optimiser steps (nn/optimise.c; kernels nn/cpu/optimise.c) ------------- */

/* Optimisers.jl's (v0.4) elementwise rules, each one fused pass over a parameter x, its gradient g and the
 * rule's state tensors (all of x's shape and dtype).  g is first put through the pre-transforms in order
 * (WeightDecay g + λx, SignDecay g + λ sign(x), ClipGrad clamp(g, -δ, δ)), then the rule gives Δ, the amount
 * subtracted from x.  Per element, with the state the rule keeps (in this order):
 *   IDENTITY   Δ = g                                                   (none)
 *   DESCENT    Δ = g η                                                 (none)
 *   MOMENTUM   v = ρv + ηg; Δ = v                                      v
 *   NESTEROV   Δ = -ρ²v + (1+ρ)ηg; v = ρv - ηg                         v
 *   RMSPROP    s = ρs + (1-ρ)g²; centred: c = ρc + (1-ρ)g;             s[, c]
 *              Δ = gη / (√(s - c²) + ϵ)
 *   RPROP      p = gₒ g: η' = p > 0 ? min(η'ℓ₂, Γ₂) : p < 0 ? max(η'ℓ₁, Γ₁) : η';  gₒ, η'
 *              gₒ = p < 0 ? 0 : g; Δ = η' sign(gₒ)
 *   ADAM       m = β₁m + (1-β₁)g; v = β₂v + (1-β₂)g²;                  m, v
 *              Δ = m/(1-β₁ᵗ) / (√(v/(1-β₂ᵗ)) + ϵ) η
 *   ADAMW      d = Adam's Δ with η = 1; Δ = η(d + λx) (couple) or ηd + λx      m, v
 *   RADAM      ρ∞ = 2/(1-β₂) - 1, ρ = ρ∞ - 2tβ₂ᵗ/(1-β₂ᵗ); ρ > 4: Adam's Δ times    m, v
 *              r = √((ρ-4)(ρ-2)ρ∞ / ((ρ∞-4)(ρ∞-2)ρ)), else Δ = m/(1-β₁ᵗ) η
 *   ADAMAX     m as Adam; u = max(β₂u, |g|); Δ = η/(1-β₁ᵗ) m/(u + ϵ)   m, u
 *   OADAM      m, v as Adam; τ' = Adam's Δ; Δ = 2τ' - τ; τ = τ'        m, v, τ
 *   ADAGRAD    a = a + g²; Δ = gη / (√a + ϵ)                           a
 *   ADADELTA   a = ρa + (1-ρ)g²; Δ = g √(d + ϵ) / √(a + ϵ);            a, d
 *              d = ρd + (1-ρ)Δ²
 *   AMSGRAD    m, v as Adam; v̂ = max(v̂, v); Δ = ηm / (√v̂ + ϵ)          m, v, v̂
 *   NADAM      m, v as Adam; Δ = (β₁m/(1-β₁β₁ᵗ) + (1-β₁)g/(1-β₁ᵗ)) / (√(vβ₂/(1-β₂ᵗ)) + ϵ) η   m, v
 *   ADABELIEF  m as Adam; s = β₂s + (1-β₂)(g-m)² + ϵ;                   m, s
 *              Δ = ηm/(1-β₁ᵗ) / (√(s/(1-β₂ᵗ)) + ϵ)
 *   LION       s = β₂g + (1-β₂)s; Δ = η sign((β₂-β₁)g + β₁s)            s
 * Hyperparameters are rounded to x's dtype first, as Optimisers.jl does; β₁ᵗ, β₂ᵗ (and RAdam's t) are
 * this step's powers, which the caller keeps and advances. */
typedef enum {
    NN_OPTIM_IDENTITY,
    NN_OPTIM_DESCENT,
    NN_OPTIM_MOMENTUM,
    NN_OPTIM_NESTEROV,
    NN_OPTIM_RMSPROP,
    NN_OPTIM_RPROP,
    NN_OPTIM_ADAM,
    NN_OPTIM_ADAMW,
    NN_OPTIM_RADAM,
    NN_OPTIM_ADAMAX,
    NN_OPTIM_OADAM,
    NN_OPTIM_ADAGRAD,
    NN_OPTIM_ADADELTA,
    NN_OPTIM_AMSGRAD,
    NN_OPTIM_NADAM,
    NN_OPTIM_ADABELIEF,
    NN_OPTIM_LION,
    NN_OPTIM_NUM_RULES
} nn_optim_rule;
typedef enum { NN_OPTIM_WEIGHTDECAY, NN_OPTIM_SIGNDECAY, NN_OPTIM_CLIPGRAD, NN_OPTIM_NUM_PRE } nn_optim_pre;
#define NN_OPTIM_MAX_PRE 8
#define NN_OPTIM_MAX_STATE 3
typedef struct {
    nn_optim_rule rule;
    double eta, rho, beta1, beta2, epsilon, lambda; /* those the rule reads */
    double ell[2], gamma[2];                        /* Rprop's factors and step bounds */
    bool centred, couple;                           /* RMSProp, AdamW */
    double bt1, bt2;                                /* β₁ᵗ, β₂ᵗ for this step (β on the first) */
    int64_t t;                                      /* RAdam's step, 1 first */
    int npre;
    struct {
        nn_optim_pre kind;
        double v; /* λ or δ */
    } pre[NN_OPTIM_MAX_PRE];
} nn_optim;
const char *nn_optim_name(nn_optim_rule r); /* "Adam" */
/* How many state tensors the rule keeps (RMSProp: 2 when centred). */
int nn_optim_nstate(const nn_optim *o);
/* One step: the state tensors are updated in place and x .-= Δ, or, when dx is given (x's shape and dtype),
 * dx = Δ and x is left alone (Optimisers.apply!).  x is Float32 or Float64; g has x's shape and any dtype
 * (converted); state[0..nstate) must be as nn_optim_nstate says, distinct tensors of x's shape and dtype.
 * A wrong shape is a DimensionMismatch, a wrong dtype or count a TypeError/ArgumentError, named after the
 * rule.  Not differentiable; bumps the version of what it writes.  Big tensors go through the thread pool. */
nn_status nn_optim_step(nn_ctx *ctx, const nn_optim *o, nn_tensor *x, const nn_tensor *g,
                        nn_tensor *const *state, int nstate, nn_tensor *dx);

#ifdef __cplusplus
}
#endif
#endif
