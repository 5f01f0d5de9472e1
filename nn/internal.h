/* internal.h — what nn/'s own files share: the context, storage, graph nodes,
 * the backend table, the memory pool and the thread pool.  Not for callers
 * outside nn/ (they use nn.h).
 */
#ifndef NN_INTERNAL_H
#define NN_INTERNAL_H

#include "nn.h"

#include <stdatomic.h>

/* ---- memory pool (pool.c) -------------------------------------------------- */

#define NN_POOL_CLASSES 192 /* four classes per power of two, 64 B and up */
typedef struct {
    void *free[NN_POOL_CLASSES]; /* cached blocks per size class, linked through their first word */
    size_t live, cached, limit;
    void *objs[3]; /* free headers per nn_obj_kind */
    int nobjs[3];
} nn_pool;

/* Headers (tensors, storage, graph nodes) come from per-kind free lists too,
 * so an op's result costs no malloc once a training loop is warm.  Zeroed. */
typedef enum { NN_OBJ_TENSOR, NN_OBJ_STORAGE, NN_OBJ_NODE, NN_NUM_OBJ } nn_obj_kind;
void *nn_obj_alloc(nn_ctx *ctx, nn_obj_kind k);
void nn_obj_free(nn_ctx *ctx, nn_obj_kind k, void *p);

void *nn_pool_alloc(nn_ctx *ctx, size_t nbytes, size_t *actual);
void nn_pool_free(nn_ctx *ctx, void *p, size_t actual);
void nn_pool_trim(nn_pool *pool);

/* ---- context --------------------------------------------------------------- */

struct nn_ctx {
    nn_status status;
    char message[512];
    atomic_int interrupt;
    nn_pool pool;
    nn_grad_hook grad_hook;
    void *grad_hook_ud;
};

/* ---- storage --------------------------------------------------------------- */

struct nn_storage {
    int refcount;
    nn_device device;
    nn_ctx *ctx; /* whose pool the bytes return to */
    void *data;
    size_t nbytes;    /* usable bytes as allocated by the pool */
    uint64_t version; /* bumped by in-place writes: saved-tensor check */
    /* borrowed memory (nn_from_external): given back through release, never to the pool */
    bool external;
    nn_release_fn release;
    void *release_ud;
};

/* ---- graph nodes (autodiff.c) ------------------------------------------------ */

#define NN_NODE_MAX_SAVED 4

/* Where a node's input gradient goes: the node that made the input, or the
 * input itself when it is a leaf that requires a gradient. */
typedef struct {
    nn_node *node;   /* reference, or NULL */
    nn_tensor *leaf; /* reference, or NULL */
    nn_dtype dtype;
    int ndim;
    int64_t shape[NN_MAX_DIMS];
} nn_edge;

/* Built-in backward: `gout` has the output's shape; fill gin[i] when
 * node->edges[i] wants a gradient (nn_edge_needs). */
typedef nn_status (*nn_node_backward)(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin);

#define NN_NODE_INLINE_EDGES 4

struct nn_node {
    int refcount;
    nn_ctx *ctx;
    const char *name;
    nn_node_backward backward;
    int ninputs;
    nn_edge *edges;
    nn_tensor *saved[NN_NODE_MAX_SAVED]; /* untracked aliases */
    uint64_t saved_version[NN_NODE_MAX_SAVED];
    int nsaved;
    /* op parameters, as the op needs them */
    int iparam[NN_MAX_DIMS];
    double dparam[4];
    void *ud; /* C-callback nodes, or op-owned data */
    void (*free_ud)(void *);
    nn_backward_fn user_fn;
    bool freed; /* saved tensors released after backward */
    /* backward-pass bookkeeping */
    nn_tensor *grad;
    int pending;
    bool visited;
    nn_node *next;                              /* work lists: release, traversal */
    nn_edge inline_edges[NN_NODE_INLINE_EDGES]; /* edges points here for small ops */
};

/* Make a node for an op with inputs[0..n) when any is tracked; NULL (and
 * NN_OK) when none is, so untracked calls pay nothing more. */
nn_status nn_node_new(nn_ctx *ctx, nn_node **out, const char *name, nn_node_backward fn, int n,
                      const nn_tensor *const *inputs);
/* Save an untracked alias of t for the backward pass (checks its version). */
nn_status nn_node_save(nn_ctx *ctx, nn_node *node, const nn_tensor *t);
/* Give `out` its node (takes the node reference). */
void nn_node_attach(nn_tensor *out, nn_node *node);
void nn_node_release(nn_node *node);
bool nn_edge_needs(const nn_node *node, int i);

/* ---- backend table (backend.c; cpu/ kernels) -------------------------------------
 * Every op goes through the table of the tensor's device; a CUDA build adds a
 * second table and changes no caller.  Kernels write into outputs the front
 * end allocated with the right shape and dtype; inputs are already of the
 * compute dtype unless a slot says otherwise. */

/* A tensor seen as (inner, n, outer) for an op along one run of dims. */
typedef struct {
    int64_t inner, n, outer;
} nn_axis;
typedef enum { NN_SOFTMAX, NN_LOGSOFTMAX, NN_LOGSUMEXP } nn_softmax_mode;
/* An indexing selection (index.c): slot d runs over count[d] element offsets
 * pos[d][0..count[d]) from a tensor's first element; element (i_0, i_1, ...)
 * of the selection, i_0 fastest, sits at the sum of pos[d][i_d]. */
typedef struct {
    int n;
    int64_t count[NN_MAX_DIMS];
    const int64_t *pos[NN_MAX_DIMS];
} nn_selection;
/* x's shape seen around its 0-based dims [lo, hi) (softmax.c). */
nn_axis nn_axis_of(int ndim, const int64_t *shape, int lo, int hi);
/* Julia's dims= (reduce.c): which of x's dims are reduced (dims past
 * x's last are ignored), the result's shape (0-d for ndims == 0) and the
 * number of elements per result; an ArgumentError names `op`. */
nn_status nn_reduce_dims(nn_ctx *ctx, const char *op, const nn_tensor *x, int ndims, const int *dims,
                         bool *reduced, int *ndim, int64_t *shape, int64_t *count);

typedef struct {
    const char *name;
    nn_status (*fill)(nn_ctx *ctx, nn_tensor *out, double v);
    /* dtype conversion or plain copy (same numel) */
    nn_status (*convert)(nn_ctx *ctx, nn_tensor *out, const nn_tensor *x);
    nn_status (*unary)(nn_ctx *ctx, nn_tensor *out, nn_unary_op op, const nn_tensor *x, double p);
    /* gx = gy .* f'(x), given y = f(x) as well */
    nn_status (*unary_grad)(nn_ctx *ctx, nn_tensor *gx, nn_unary_op op, const nn_tensor *gy,
                            const nn_tensor *x, const nn_tensor *y, double p);
    /* broadcasting; out has the broadcast shape */
    nn_status (*binary)(nn_ctx *ctx, nn_tensor *out, nn_binary_op op, const nn_tensor *a, const nn_tensor *b);
    /* full broadcast-shape partials: ga = gout .* d(op)/da (NULL to skip), gb likewise */
    nn_status (*binary_grad)(nn_ctx *ctx, nn_tensor *ga, nn_tensor *gb, nn_binary_op op,
                             const nn_tensor *gout, const nn_tensor *a, const nn_tensor *b);
    nn_status (*compare)(nn_ctx *ctx, nn_tensor *out, nn_compare_op op, const nn_tensor *a,
                         const nn_tensor *b);
    nn_status (*ifelse)(nn_ctx *ctx, nn_tensor *out, const nn_tensor *c, const nn_tensor *a,
                        const nn_tensor *b);
    /* out has x's shape with 1 on reduced dims (or is 0-d for all) */
    nn_status (*reduce)(nn_ctx *ctx, nn_tensor *out, nn_reduce_op op, const nn_tensor *x);
    /* out = scale * sum((x .- mean).^2) over the reduced dims; mean has out's shape */
    nn_status (*sqdev)(nn_ctx *ctx, nn_tensor *out, const nn_tensor *x, const nn_tensor *mean, double scale);
    /* 1-based Int64 position of the first extreme (NaN counts as one) along ax.n */
    nn_status (*argext)(nn_ctx *ctx, nn_tensor *out, const nn_tensor *x, bool min, nn_axis ax);
    /* along ax.n; out has x's shape, or (inner, 1, outer) for logsumexp */
    nn_status (*softmax)(nn_ctx *ctx, nn_tensor *out, const nn_tensor *x, nn_softmax_mode mode, nn_axis ax);
    /* gx from gy and the forward's output y (softmax or logsoftmax) */
    nn_status (*softmax_grad)(nn_ctx *ctx, nn_tensor *gx, const nn_tensor *gy, const nn_tensor *y,
                              nn_softmax_mode mode, nn_axis ax);
    /* columns of x, y (n, ncols): loss (0-d) = mean of -sum(y .* logsoftmax(x)); lsm
     * (x's shape, or NULL) receives logsoftmax(x) */
    nn_status (*xent)(nn_ctx *ctx, nn_tensor *loss, nn_tensor *lsm, const nn_tensor *x, const nn_tensor *y);
    /* gx = (exp(lsm) .* sum(y; dims=1) .- y) .* (g * scale), g 0-d */
    nn_status (*xent_grad)(nn_ctx *ctx, nn_tensor *gx, const nn_tensor *lsm, const nn_tensor *y,
                           const nn_tensor *g, double scale);
    /* C = alpha op(A) op(B) + beta C over a batch (3rd dim; size-1 batch broadcasts) */
    /* y = act.(y .+ b) in place, y (m, n), b (m,) or NULL: dense's epilogue */
    nn_status (*bias_act)(nn_ctx *ctx, nn_tensor *y, const nn_tensor *b, nn_unary_op act, double p);
    nn_status (*gemm)(nn_ctx *ctx, nn_tensor *c, const nn_tensor *a, const nn_tensor *b, bool ta, bool tb,
                      double alpha, double beta);
    /* dst = src over an ndim box of `shape`, each side at an element offset from
     * its first element with its own element strides; same dtype (cpu/shape.c) */
    nn_status (*copy_strided)(nn_ctx *ctx, nn_tensor *dst, int64_t doff, const int64_t *dstride,
                              const nn_tensor *src, int64_t soff, const int64_t *sstride, int ndim,
                              const int64_t *shape);
    /* out = permutedims(x, perm), perm 0-based; out dense of the permuted shape */
    nn_status (*permute)(nn_ctx *ctx, nn_tensor *out, const nn_tensor *x, const int *perm);
    /* out (dense, the selection's elements in order) = x at the selection (cpu/index.c) */
    nn_status (*gather)(nn_ctx *ctx, nn_tensor *out, const nn_tensor *x, const nn_selection *sel);
    /* x at the selection = src (+= when add), in order: repeats accumulate, the
     * last write wins; a one-element src broadcasts */
    nn_status (*scatter)(nn_ctx *ctx, nn_tensor *x, const nn_tensor *src, const nn_selection *sel, bool add);
    /* convolution (cpu/conv.c).  Sizes come from the tensors, in the conv's direction: x and dx
     * (I..., Cin, N), y and dy (O..., Cout, N), w and dw (k..., Cin / groups, Cout); only p's
     * stride, dilation, low pads, groups and flipped are read.  y = conv(x, w) .+ b (b NULL: none) */
    nn_status (*conv)(nn_ctx *ctx, nn_tensor *y, const nn_tensor *x, const nn_tensor *w, const nn_tensor *b,
                      const nn_conv_params *p);
    /* dx = conv's adjoint in x applied to dy, .+ b (conv_transpose's forward; b NULL: none) */
    nn_status (*conv_data)(nn_ctx *ctx, nn_tensor *dx, const nn_tensor *dy, const nn_tensor *w,
                           const nn_tensor *b, const nn_conv_params *p);
    /* dw = conv's adjoint in w applied to dy, db (Cout,) = dy summed over all but channels;
     * either may be NULL */
    nn_status (*conv_filter)(nn_ctx *ctx, nn_tensor *dw, nn_tensor *db, const nn_tensor *x,
                             const nn_tensor *dy, const nn_conv_params *p);
    /* pooling and upsampling (cpu/pooling.c).  Tensors are (spatial..., slices...)
     * with p->nd spatial dims (p's entries past nd: k, stride, dilation 1, no pad);
     * x, y and gx of one float dtype.  pool: y over x;
     * idx (y's shape, Int64, or NULL when no gradient is wanted) receives each max
     * window's winner as a position inside its slice (-1: none). */
    nn_status (*pool)(nn_ctx *ctx, nn_tensor *y, nn_tensor *idx, const nn_tensor *x, nn_pool_mode mode,
                      const nn_pool_params *p);
    /* gx (x's shape, overwritten) from gy: max through idx (x, y unused), mean
     * spread over each window, lp from x and y */
    nn_status (*pool_grad)(nn_ctx *ctx, nn_tensor *gx, const nn_tensor *gy, const nn_tensor *x,
                           const nn_tensor *y, const nn_tensor *idx, nn_pool_mode mode,
                           const nn_pool_params *p);
    /* y (size..., slices...) from x over nd spatial dims: nearest (y's sizes
     * multiples of x's, any dtype) or linear (floats) interpolation */
    nn_status (*upsample)(nn_ctx *ctx, nn_tensor *y, const nn_tensor *x, int nd, bool linear,
                          bool align_corners);
    /* gx (x's shape, overwritten) from gy (y's shape): the adjoint of upsample */
    nn_status (*upsample_grad)(nn_ctx *ctx, nn_tensor *gx, const nn_tensor *gy, int nd, bool linear,
                               bool align_corners);
    /* normalisation (cpu/normalize.c): x seen as (ax.inner, ax.n, ax.outer), one statistic per
     * channel (index of ax.n) over the other two; coef and stats are Float64 (ax.n, 4) and (ax.n, 2),
     * coef's column 1 the channel means.  stats = mean, biased variance */
    nn_status (*norm_stats)(nn_ctx *ctx, nn_tensor *stats, const nn_tensor *x, nn_axis ax);
    /* y = (x - c1) c2 c3 + c4 per channel (columns c1..c4 of coef), then max(0, y) when relu */
    nn_status (*norm_apply)(nn_ctx *ctx, nn_tensor *y, const nn_tensor *x, const nn_tensor *coef, nn_axis ax,
                            bool relu);
    /* dz = gy, or gy where mask (a relu output) > 0, 0 elsewhere: sums = sum(dz), sum(dz (x - c1)) */
    nn_status (*norm_grad_sums)(nn_ctx *ctx, nn_tensor *sums, const nn_tensor *gy, const nn_tensor *mask,
                                const nn_tensor *x, const nn_tensor *coef, nn_axis ax);
    /* gx = c2 dz + c3 (x - c1) + c4, dz as for norm_grad_sums */
    nn_status (*norm_grad_apply)(nn_ctx *ctx, nn_tensor *gx, const nn_tensor *gy, const nn_tensor *mask,
                                 const nn_tensor *x, const nn_tensor *coef, nn_axis ax);
    /* optimiser steps (cpu/optimise.c): one step of o over x (see nn_optim_step); g has x's dtype, state
     * holds nn_optim_nstate(o) tensors, dx NULL (x .-= Δ) or x-shaped (dx = Δ) */
    nn_status (*optim_step)(nn_ctx *ctx, const nn_optim *o, nn_tensor *x, const nn_tensor *g,
                            nn_tensor *const *state, nn_tensor *dx);
} nn_backend;

const nn_backend *nn_backend_for(nn_device d);
extern const nn_backend nn_cpu_backend;

/* ---- thread pool (threads.c) --------------------------------------------------- */

/* Run fn(arg, lo, hi) over [0, n) in chunks, on the pool when n >= grain*2,
 * else inline.  Polls ctx's interrupt flag between chunks. */
typedef void (*nn_range_fn)(void *arg, int64_t lo, int64_t hi);
nn_status nn_parallel_for(nn_ctx *ctx, int64_t n, int64_t grain, nn_range_fn fn, void *arg);

/* ---- shared helpers (tensor.c) ----------------------------------------------------- */

/* Shapes as text for messages, rotating static-free buffers on the caller's stack. */
#define NN_SHAPE_BUF 160
char *nn_tshape(char *buf, const nn_tensor *t);
/* out's shape = broadcast of a and b, or a DimensionMismatch naming `op`. */
nn_status nn_broadcast_shape(nn_ctx *ctx, const char *op, const nn_tensor *a, const nn_tensor *b, int *ndim,
                             int64_t *shape);
nn_dtype nn_promote(nn_dtype a, nn_dtype b);
/* x itself (new reference) when already of dtype t, else a converted copy. */
nn_status nn_as_dtype(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, nn_dtype t);
/* Accumulate g into *acc (allocates on first use); used by backward passes. */
nn_status nn_accumulate(nn_ctx *ctx, nn_tensor **acc, nn_tensor *g);
bool nn_check_interrupt(nn_ctx *ctx);
/* Unary ops whose derivative needs only their output (elementwise.c). */
bool nn_unary_grad_uses_y(nn_unary_op op);
/* Releases *out and clears it: the failure path of an op's result. */
void nn_release_out(nn_tensor **out);
/* A new header over x's storage (views, saved aliases); untracked. */
nn_status nn_view(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int ndim, const int64_t *shape,
                  int64_t offset);

/* The inverse error function (init.c: truncated_normal); ±Inf at ±1, NaN outside. */
double nn_erfinv(double y);

/* Hot float kernels get an AVX2+FMA clone picked at load time (the default
 * build targets baseline x86-64, where they run 4-wide at most). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__) && \
    !defined(__SANITIZE_THREAD__) /* ifunc resolvers run before either sanitizer starts */
#define NN_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define NN_VECTOR_CLONES
#endif

#endif
