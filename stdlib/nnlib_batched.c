/* nnlib_batched.c — NNlib's batched matrix functions on tensors:
 * batched_mul (also ⊠), batched_vec, batched_transpose/batched_adjoint, and
 * the hidden __batched_mul with transpose flags that attention uses.  Every
 * product is one nn_batched_mul (differentiable) between reshapes, which are
 * views: batch dimensions past the third are flattened into one and restored.
 */
#include "tensor.h"

#define SHAPE_BUF 160

/* The tensor argument i, of at least 2 dimensions. */
static nn_tensor *matrix_batch(lx_State *L, lx_Value *a, int i, const char *fname)
{
    nn_tensor *t = lxL_checktensor(L, a, i, fname);
    if (t->ndim < 2) {
        char s[SHAPE_BUF];
        lxE_error(L, LXT_DimensionMismatch,
                  "%s: argument %d has size %s; it needs at least 2 dimensions (m, k, batch...)", fname,
                  i + 1, nn_shape_str(s, sizeof s, t->ndim, t->shape));
    }
    return t;
}

static lx_Value reshaped(lx_State *L, const nn_tensor *x, int ndim, const int64_t *shape)
{
    nn_tensor *out = NULL;
    return lxL_result(L, nn_reshape(L->nn, &out, x, ndim, shape), &out);
}

/* x as (d1, d2, prod(rest)): nn's products take one batch dimension. */
static lx_Value as3(lx_State *L, lx_Value xv)
{
    nn_tensor *x = lxL_tval(xv);
    if (x->ndim <= 3) return xv;
    int64_t sh[3] = {x->shape[0], x->shape[1], 1};
    for (int i = 2; i < x->ndim; i++)
        sh[2] *= x->shape[i];
    return reshaped(L, x, 3, sh);
}

/* op(A) * op(B) for each batch: A (m, k, batch...) or a matrix, B (k, n, batch...)
 * or a matrix; with both 3-d a batch of 1 broadcasts, beyond that the batch
 * dimensions must agree.  The result is (m, n, batch...). */
static lx_Value product(lx_State *L, lx_Value av, lx_Value bv, bool ta, bool tb, const char *fname)
{
    lxL_liftcheck(L, fname);
    nn_tensor *A = lxL_tval(av), *B = lxL_tval(bv);
    char sa[SHAPE_BUF], sb[SHAPE_BUF];
    nn_shape_str(sa, sizeof sa, A->ndim, A->shape);
    nn_shape_str(sb, sizeof sb, B->ndim, B->shape);
    int64_t m = A->shape[ta ? 1 : 0], ka = A->shape[ta ? 0 : 1];
    int64_t kb = B->shape[tb ? 1 : 0], n = B->shape[tb ? 0 : 1];
    if (ka != kb)
        lxE_error(L, LXT_DimensionMismatch,
                  "%s: A has size %s, B has size %s: %s%lld columns of A against %lld rows of B", fname, sa,
                  sb, ta || tb ? "after the transposes, " : "", (long long)ka, (long long)kb);
    /* The batch dimensions of the result: the longer list, when the two agree. */
    const nn_tensor *big = A->ndim >= B->ndim ? A : B;
    if (A->ndim >= 3 && B->ndim >= 3) {
        bool same = A->ndim == B->ndim;
        for (int i = 2; same && i < A->ndim; i++)
            same = A->shape[i] == B->shape[i];
        bool bcast = A->ndim == 3 && B->ndim == 3 && (A->shape[2] == 1 || B->shape[2] == 1);
        if (!same && !bcast)
            lxE_error(
                L, LXT_DimensionMismatch,
                "%s: A has size %s, B has size %s: the batch dimensions (past the second) must be equal, or "
                "one batch of 1 for 3-d arrays",
                fname, sa, sb);
        if (bcast && B->shape[2] > A->shape[2]) big = B;
    }
    int nd = big->ndim < 3 ? 3 : big->ndim;
    int64_t shape[NN_MAX_DIMS];
    shape[0] = m;
    shape[1] = n;
    for (int i = 2; i < nd; i++)
        shape[i] = i < big->ndim ? big->shape[i] : 1;
    if (A->ndim == 2 && B->ndim == 2) { /* a batch of one, as NNlib's N-d method reshapes */
        int64_t sh[3] = {A->shape[0], A->shape[1], 1};
        av = reshaped(L, A, 3, sh);
    }
    av = as3(L, av);
    bv = as3(L, bv);
    nn_tensor *out = NULL;
    lx_Value r = lxL_result(L, nn_batched_mul(L->nn, &out, lxL_tval(av), lxL_tval(bv), ta, tb), &out);
    if (big->ndim == 3) return r;
    return reshaped(L, lxL_tval(r), big->ndim < 3 ? 2 : big->ndim, shape);
}

static lx_Value b_batched_mul(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    matrix_batch(L, a, 0, "batched_mul");
    matrix_batch(L, a, 1, "batched_mul");
    return product(L, a[0], a[1], false, false, "batched_mul");
}

static bool flag(lx_State *L, lx_Value v, const char *fname)
{
    if (v.tag != LX_TBOOL) lxE_typeerror(L, fname, "a Bool", v);
    return v.v.b;
}

/* __batched_mul(A, B, ta, tb): batched_mul with each matrix of A (B) transposed when ta (tb). */
static lx_Value b_batched_mul_t(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    matrix_batch(L, a, 0, "batched_mul");
    matrix_batch(L, a, 1, "batched_mul");
    return product(L, a[0], a[1], flag(L, a[2], "__batched_mul"), flag(L, a[3], "__batched_mul"),
                   "batched_mul");
}

/* batched_vec(A, B): B (k, batch) as a batch of vectors (k, 1, batch), or b (k,) for every batch. */
static lx_Value b_batched_vec(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    nn_tensor *A = lxL_checktensor(L, a, 0, "batched_vec"), *B = lxL_checktensor(L, a, 1, "batched_vec");
    char sa[SHAPE_BUF], sb[SHAPE_BUF];
    if (A->ndim != 3 || B->ndim < 1 || B->ndim > 2)
        lxE_error(L, LXT_DimensionMismatch,
                  "batched_vec: A has size %s, B has size %s: A must be 3-d (m, k, batch), B a matrix (k, "
                  "batch) or "
                  "a vector (k,)",
                  nn_shape_str(sa, sizeof sa, A->ndim, A->shape),
                  nn_shape_str(sb, sizeof sb, B->ndim, B->shape));
    int64_t sh[3] = {B->shape[0], 1, B->ndim == 2 ? B->shape[1] : 1};
    lx_Value bv = reshaped(L, B, 3, sh);
    lx_Value r = product(L, a[0], bv, false, false, "batched_vec");
    nn_tensor *R = lxL_tval(r);
    int64_t rs[2] = {R->shape[0], R->shape[2]};
    return reshaped(L, R, 2, rs);
}

/* batched_transpose(A): permutedims(A, (2, 1, 3, ...)), a copy (lx has no lazy transposes). */
static lx_Value b_batched_transpose(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "batched_transpose");
    nn_tensor *A = matrix_batch(L, a, 0, "batched_transpose"), *out = NULL;
    int perm[NN_MAX_DIMS];
    for (int i = 0; i < A->ndim; i++)
        perm[i] = i + 1;
    perm[0] = 2;
    perm[1] = 1;
    return lxL_result(L, nn_permutedims(L->nn, &out, A, perm), &out);
}

#define EX(body) "\n\n# Examples\n```\n" body "```"

#define MUL_DOC                                                                                              \
    "## Arguments\n\n"                                                                                       \
    "  - `A`: `(m, k, batch...)`, or a matrix `(m, k)` used for every batch.\n"                              \
    "  - `B`: `(k, n, batch...)`, or a matrix `(k, n)` used for every batch.\n\n"                            \
    "With both 3-d, a batch of 1 broadcasts against the other (`size(A, 3) == 1` uses `A[:, :, 1]` "         \
    "for every k); with more dimensions the batch dimensions must be equal. Differentiable in both "         \
    "arguments. Transposed batches: `batched_transpose`.\n\n"                                                \
    "## Returns\n\n"                                                                                         \
    "`C` of size `(m, n, batch...)` with `C[:, :, k...] == A[:, :, k...] * B[:, :, k...]`."

static const lxL_Reg nnlib_batched_lib[] = {
    {"batched_mul", "(A::Tensor, B::Tensor)", b_batched_mul,
     "    batched_mul(A, B)\n\n"
     "Batched matrix multiplication (NNlib's): each matrix of A times the matching matrix of B, one "
     "BLAS call per batch. NNlib's infix form `A ⊠ B` is the function `⊠(A, B)` in lx, whose lexer "
     "reads ⊠ as a name.\n\n" MUL_DOC EX(
         "lx> A = reshape(collect(Float32, 1:8), 2, 2, 2); B = ones(Float32, 2, 1, 2);\n\n"
         "lx> batched_mul(A, B)[:, :, 2]\n"
         "2×1 Tensor{Float32, 2}:\n 12.0\n 14.0\n\n"
         "lx> size(batched_mul(ones(3, 4, 5), ones(4, 2)))\n(3, 2, 5)\n")},
    {"⊠", "(A::Tensor, B::Tensor)", b_batched_mul,
     "    ⊠(A, B)\n\n"
     "`batched_mul(A, B)`: NNlib's `A ⊠ B` (`\\boxtimes`). lx's lexer reads ⊠ as part of a name, so "
     "write it as a call.\n\n" MUL_DOC EX("lx> size(⊠(ones(2, 3, 4), ones(3, 5, 4)))\n(2, 5, 4)\n")},
    {"batched_vec", "(A::Tensor, B::Tensor)", b_batched_vec,
     "    batched_vec(A, B)\n    batched_vec(A, b)\n\n"
     "Batched matrix-vector multiplication: for `A` of size `(m, k, batch)` and `B` of size `(k, "
     "batch)` the result `C` of size `(m, batch)` has `C[:, j] == A[:, :, j] * B[:, j]`; for a vector "
     "`b` of size `(k,)`, `C[:, j] == A[:, :, j] * b`. (`batched_mul(A, B)` would use a matrix B as "
     "the same matrix for every batch.) Differentiable."
     "\n\n## Arguments\n\n  - `A`: `(m, k, batch)`.\n  - `B`: `(k, batch)`, one vector per batch; or `b`, a "
     "vector `(k,)` used for every batch.\n\n## Returns\n\n`C` of size `(m, batch)`, in the promoted element "
     "type." EX("lx> A = reshape(collect(Float32, 1:8), 2, 2, 2);\n\n"
                "lx> batched_vec(A, Float32[1 0; 0 1])\n"
                "2×2 Tensor{Float32, 2}:\n 1.0  7.0\n 2.0  8.0\n")},
    {"batched_transpose", "(A::Tensor)", b_batched_transpose,
     "    batched_transpose(A)\n\n"
     "Each matrix of the batch transposed: `permutedims(A, (2, 1, 3, ...))`, of size `(k, m, "
     "batch...)` for A of size `(m, k, batch...)`. A copy (NNlib returns a lazy wrapper). "
     "Differentiable."
     "\n\n## Arguments\n\n  - `A`: `(m, k, batch...)`, at least 2 dims.\n\n## Returns\n\nA new tensor of "
     "size `(k, m, batch...)` and A's element type." EX(
         "lx> A = reshape(collect(1:8), 2, 2, 2);\n\n"
         "lx> batched_transpose(A)[:, :, 2]\n"
         "2×2 Tensor{Int64, 2}:\n 5  6\n 7  8\n\n"
         "lx> size(batched_transpose(ones(3, 4, 5)))\n(4, 3, 5)\n")},
    {"batched_adjoint", "(A::Tensor)", b_batched_transpose,
     "    batched_adjoint(A)\n\n"
     "Each matrix of the batch conjugate-transposed; lx's tensors are real, so this is "
     "`batched_transpose(A)`: `permutedims(A, (2, 1, 3, ...))`. Differentiable."
     "\n\n## Arguments\n\n  - `A`: `(m, k, batch...)`, at least 2 dims.\n\n## Returns\n\nA new tensor of "
     "size `(k, m, batch...)` and A's element type, as `batched_transpose`." EX(
         "lx> size(batched_adjoint(ones(3, 4, 5)))\n(4, 3, 5)\n")},
    {"__batched_mul", "(A::Tensor, B::Tensor, ta, tb)", b_batched_mul_t, NULL},
    {NULL, NULL, NULL, NULL}};

void lxL_open_nnlib_batched(lx_State *L)
{
    lxL_register(L, nnlib_batched_lib);
}
