/* linalg.c — LinearAlgebra for tensors (nn/linalg.c, through LAPACK): det,
 * inv, A \ B, right division A / B, qr, dot, norm, tr and diag, all
 * differentiable.  Numbers and 0-d tensors act as scalars, as in Julia
 * (`det(2.0)` is 2.0, `norm(-3)` is 3.0), and inside a broadcast f.(x) the
 * scalar meaning is the elementwise one.  The names are flat, so
 * `LinearAlgebra.det` is `det`.
 */
#include "tensor.h"

#include <math.h>
#include <string.h>

#define SHAPE_BUF 160

static nn_tensor *tensor_arg(lx_State *L, lx_Value *a, int i, const char *fname)
{
    return lxL_checktensor(L, a, i, fname);
}

/* ---- det, inv, \, / ------------------------------------------------------------------------------ */

static lx_Value l_det(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    nn_tensor *x = tensor_arg(L, a, 0, "det");
    if (x->ndim == 0) return a[0]; /* a scalar is its own determinant */
    lxL_liftcheck(L, "det");
    nn_tensor *out;
    nn_status s = nn_det(L->nn, &out, x);
    return lxL_scalar(L, s, &out);
}

static lx_Value l_scalar_self(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return a[0];
}

/* 1 ./ x: inv of a scalar (a 0-d tensor), or elementwise inside a broadcast. */
static lx_Value reciprocal(lx_State *L, lx_Value x)
{
    lx_Value hold;
    nn_tensor *t = lxL_tval(x), *one = lxL_totensor(L, lxO_int(1), t, "inv", &hold), *out;
    nn_status s = nn_binary(L->nn, &out, NN_DIV, one, t);
    return lxL_scalar(L, s, &out); /* a number for a scalar's inverse */
}

static lx_Value l_inv(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    nn_tensor *x = tensor_arg(L, a, 0, "inv");
    if (x->ndim == 0 || L->bcast_mode > 0) return reciprocal(L, a[0]);
    nn_tensor *out;
    nn_status s = nn_inv(L->nn, &out, x);
    return lxL_result(L, s, &out);
}

static lx_Value l_ldiv(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    nn_tensor *A = tensor_arg(L, a, 0, "\\"), *B = tensor_arg(L, a, 1, "\\"), *out;
    nn_status s;
    if (A->ndim == 0 || L->bcast_mode > 0) { /* a scalar: B ./ a */
        s = nn_binary(L->nn, &out, NN_DIV, B, A);
        return lxL_scalar(L, s, &out);
    }
    s = nn_solve(L->nn, &out, A, B);
    return lxL_result(L, s, &out);
}

/* The (Tensor, Tensor) method of `/` that was registered before this one
 * (tensor_arith.c's elementwise division by a scalar): it keeps serving 0-d
 * operands and broadcasts, and is kept in this method's data. */
static lxO_method *find_method(lx_State *L, const char *name, lxO_cfunction fn, lxO_type *t1, lxO_type *t2)
{
    lx_Value g = lxG_get(L, name);
    if (!lxO_is(g, LXO_GENERIC)) return NULL;
    lxO_generic *gf = lxO_as(lxO_generic, g);
    for (int i = 0; i < gf->n; i++) {
        lxO_method *m = &gf->methods[i];
        if (m->cfn && (!fn || m->cfn == fn) && m->nreq == 2 && !m->nopt && !m->vararg && m->types[0] == t1 &&
            m->types[1] == t2)
            return m;
    }
    return NULL;
}

/* A / B for matrices: A * inv(B), computed as (B' \ A')' (Julia's way). */
static lx_Value l_rdiv(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    nn_tensor *A = tensor_arg(L, a, 0, "/"), *B = tensor_arg(L, a, 1, "/"), *out;
    nn_status s;
    if (A->ndim == 0 || B->ndim == 0 || L->bcast_mode > 0) {
        if (lxO_is(L->cself, LXO_CDATA)) {
            lxO_cfunction prev;
            memcpy(&prev, lxO_as(lxO_cdata, L->cself)->data, sizeof prev);
            return prev(L, a, n, kw);
        }
        s = nn_binary(L->nn, &out, NN_DIV, A, B);
        return lxL_scalar(L, s, &out);
    }
    char sa[SHAPE_BUF], sb[SHAPE_BUF];
    nn_shape_str(sa, sizeof sa, A->ndim, A->shape);
    nn_shape_str(sb, sizeof sb, B->ndim, B->shape);
    if (B->ndim != 2 || B->shape[0] != B->shape[1])
        lxE_error(L, LXT_DimensionMismatch,
                  "/: B has size %s: right division needs a square matrix (least squares is not supported)",
                  sb);
    int64_t cols = A->ndim > 1 ? A->shape[1] : 1;
    if (A->ndim > 2 || cols != B->shape[0])
        lxE_error(L, LXT_DimensionMismatch, "/: A has size %s, B has size %s: A needs %lld columns", sa, sb,
                  (long long)B->shape[0]);
    nn_tensor *A2 = A, *At = NULL, *Bt = NULL, *Xt = NULL;
    lx_Value hold[4];
    int64_t shape[2] = {A->shape[0], 1};
    if (A->ndim == 1) { /* a vector is a one-column matrix */
        s = nn_reshape(L->nn, &A2, A, 2, shape);
        hold[0] = lxL_result(L, s, &A2);
    }
    s = nn_transpose(L->nn, &At, A2);
    hold[1] = lxL_result(L, s, &At);
    s = nn_transpose(L->nn, &Bt, B);
    hold[2] = lxL_result(L, s, &Bt);
    s = nn_solve(L->nn, &Xt, Bt, At);
    hold[3] = lxL_result(L, s, &Xt);
    (void)hold;
    s = nn_transpose(L->nn, &out, Xt);
    return lxL_result(L, s, &out);
}

/* ---- qr ------------------------------------------------------------------------------------------- */

static lx_Value l_qr(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    nn_tensor *x = tensor_arg(L, a, 0, "qr"), *q, *r;
    lxL_liftcheck(L, "qr");
    nn_status s = nn_qr(L->nn, &q, &r, x);
    lxL_nncheck(L, s);
    lx_Value qv = lxL_wrap(L, q), rv = lxL_wrap(L, r);
    lxO_ntuple *nt = lxO_ntuple_new(L, 2);
    nt->names[0] = lxS_cstr(L, "Q");
    nt->names[1] = lxS_cstr(L, "R");
    nt->vals[0] = qv;
    nt->vals[1] = rv;
    return lxO_obj(nt);
}

/* ---- dot, norm ------------------------------------------------------------------------------------ */

static lx_Value l_dot(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "dot");
    lx_Value hx, hy;
    nn_tensor *x = lxL_istensor(a[0]) ? lxL_tval(a[0]) : NULL,
              *y = lxL_istensor(a[1]) ? lxL_tval(a[1]) : NULL;
    if (!x) x = lxL_totensor(L, a[0], y, "dot", &hx);
    if (!y) y = lxL_totensor(L, a[1], x, "dot", &hy);
    nn_tensor *out;
    nn_status s = nn_dot(L->nn, &out, x, y);
    return lxL_scalar(L, s, &out);
}

static lx_Value l_dot_num(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxL_callg(L, "*", a, 2);
}

static double norm_p(lx_State *L, lx_Value *a, int n, const char *fname)
{
    return n > 1 ? lxL_number(L, a, 1, fname) : 2.0;
}

static lx_Value l_norm(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    nn_tensor *x = tensor_arg(L, a, 0, "norm"), *out;
    double p = norm_p(L, a, n, "norm");
    if (x->ndim > 0) lxL_liftcheck(L, "norm");
    nn_status s = nn_norm(L->nn, &out, x, p);
    return lxL_scalar(L, s, &out);
}

/* Julia's norm(x::Number, p): abs(float(x)), or for p = 0 whether x is non-zero. */
static lx_Value l_norm_num(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    double p = norm_p(L, a, n, "norm"), x = lxO_tonumber(a[0]);
    double v = p == 0 ? (x != 0) : fabs(x);
    return a[0].tag == LX_TFLOAT32 ? lxO_f32((float)v) : lxO_f64(v);
}

/* ---- tr, diag --------------------------------------------------------------------------------------- */

/* The k-th diagonal of a matrix as a vector (a differentiable linear-index range). */
static lx_Value diagonal(lx_State *L, nn_tensor *x, int64_t k, const char *fname)
{
    char sx[SHAPE_BUF];
    if (x->ndim != 2)
        lxE_error(L, LXT_ArgumentError, "%s: expected a matrix, got a tensor of size %s", fname,
                  nn_shape_str(sx, sizeof sx, x->ndim, x->shape));
    int64_t m = x->shape[0], c = x->shape[1];
    if (k < -m || k > c)
        lxE_error(L, LXT_ArgumentError,
                  "%s: requested diagonal, %lld, must be at least %lld and at most %lld", fname, (long long)k,
                  (long long)-m, (long long)c);
    int64_t start = k >= 0 ? 1 + k * m : 1 - k;
    int64_t len = k >= 0 ? (m < c - k ? m : c - k) : (m + k < c ? m + k : c);
    nn_index ix = {.kind = NN_IDX_RANGE, .start = start, .step = m + 1, .stop = start + (len - 1) * (m + 1)};
    nn_tensor *out;
    nn_status s = nn_getindex(L->nn, &out, x, 1, &ix);
    return lxL_result(L, s, &out);
}

static lx_Value l_diag(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    nn_tensor *x = tensor_arg(L, a, 0, "diag");
    lxL_liftcheck(L, "diag");
    return diagonal(L, x, n > 1 ? lxL_int(L, a, 1, "diag") : 0, "diag");
}

static lx_Value l_tr(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    nn_tensor *x = tensor_arg(L, a, 0, "tr"), *out;
    if (x->ndim == 0) return a[0];
    lxL_liftcheck(L, "tr");
    char sx[SHAPE_BUF];
    if (x->ndim != 2 || x->shape[0] != x->shape[1])
        lxE_error(L, LXT_DimensionMismatch, "tr: matrix is not square: dimensions are %s",
                  nn_shape_str(sx, sizeof sx, x->ndim, x->shape));
    lx_Value d = diagonal(L, x, 0, "tr");
    nn_status s = nn_reduce(L->nn, &out, NN_SUM, lxL_tval(d), 0, NULL);
    return lxL_scalar(L, s, &out);
}

/* ---- the table -------------------------------------------------------------------------------------- */

#define EX(body) "\n\n# Examples\n```\n" body "```"

static const lxL_Reg linalg_lib[] = {
    {"det", "(A::Tensor)", l_det,
     "    det(A)\n\nThe determinant of a square matrix, by LU factorization (LAPACK's getrf). A singular "
     "matrix "
     "has determinant 0; a non-square one is a DimensionMismatch. Integer tensors compute in Float32; the "
     "result is a number of the tensor's float type (a tracked scalar inside `gradient`, whose gradient is "
     "`det(A) * inv(A)'`). A number is its own determinant." EX(
         "lx> det(Float64[1 3; 2 4])\n-2.0\n\nlx> det([2 0; 0 3])\n6.0f0\n\nlx> det(Float64[1 2; 2 "
         "4])\n0.0\n")},
    {"det", "(x::Number)", l_scalar_self, ""},
    {"inv", "(A::Tensor)", l_inv,
     "    inv(A::Tensor)\n\nThe inverse of a square matrix (LAPACK's getrf and getri). A singular matrix is "
     "an "
     "error saying so (Julia's SingularException), a non-square one a DimensionMismatch. Integer tensors "
     "compute in Float32. A 0-d tensor, or `inv.(x)` in a broadcast, is the reciprocal." EX(
         "lx> inv(Float64[4 7; 2 6])\n2×2 Tensor{Float64, 2}:\n  0.6  -0.7\n -0.2   0.4\n\nlx> try "
         "inv(Float64[1 2; 2 4]) catch e; occursin(\"singular\", sprint(showerror, e)) end\ntrue\n")},
    {"\\", "(A::Tensor, B::Tensor)", l_ldiv,
     "    A \\ B\n\nThe solution X of `A * X == B` for a square matrix A and a vector or matrix B, by LU "
     "factorization with partial pivoting (LAPACK's getrf and getrs); X has B's shape. A singular A is an "
     "error saying so; a non-square A (least squares) is a DimensionMismatch, as is a B whose row count is "
     "not A's. Element types promote (integers compute in Float32). Differentiable in both A and B. A 0-d A "
     "divides B elementwise." EX(
         "lx> Float64[2 1; 1 3] \\ Float64[3, 5]\n2-element Tensor{Float64, 1}:\n 0.8\n 1.4\n")},
    {"/", "(A::Tensor, B::Tensor)", l_rdiv,
     "    A / B\n\nRight division of matrices: X with `X * B == A`, that is `A * inv(B)`, computed as `(B' "
     "\\ A')'`, for a square B and an A with as many columns (a vector A is one column). When either side is "
     "a 0-d tensor (a scalar) it divides elementwise, as `x / 2` does.\n\n# Arguments\n- `A`: a matrix or "
     "vector with as many columns as B.\n- `B`: a square matrix (or a 0-d tensor, dividing "
     "elementwise).\n\n# Returns\nA new Tensor of A's size." EX(
         "lx> Float64[2 4; 6 8] / Float64[2 0; 0 4]\n2×2 Tensor{Float64, 2}:\n 1.0  1.0\n 3.0  2.0\n")},
    {"qr", "(A::Tensor)", l_qr,
     "    qr(A)\n\nThe thin QR factorization of a matrix A of size (m, n) (LAPACK's geqrf and orgqr): a "
     "named "
     "tuple `(Q = Q, R = R)` with Q of size (m, k), orthonormal columns, and R of size (k, n), upper "
     "triangular, k = min(m, n), such that `Q * R ≈ A`. Signs are LAPACK's: R's diagonal may be negative. "
     "Julia returns a factorization object; like it, the result destructures as `Q, R = qr(A)` (a named "
     "tuple destructures by position) and has fields `.Q` and `.R`, but Q here is the thin (m, k) matrix, "
     "not the square one Julia's `F.Q` multiplies as. Differentiable (ChainRules' rule) when A has full "
     "rank." EX("lx> Q, R = qr(Float64[3 1; 4 2]);\n\nlx> R\n2×2 Tensor{Float64, 2}:\n -5.0  -2.2\n  0.0   "
                "0.4\n\nlx> Q * R ≈ Float64[3 1; 4 2]\ntrue\n")},
    {"dot", "(x::Tensor, y::Tensor)", l_dot,
     "    dot(x, y)\n\nThe inner product `sum(x .* y)` of two tensors with the same number of elements "
     "(their "
     "shapes may differ, as in Julia); a DimensionMismatch otherwise. Element types promote as for `.*`: two "
     "integer tensors give an integer. A number times a number for two numbers." EX(
         "lx> dot([1, 2, 3], [4, 5, 6])\n32\n\nlx> dot([1.0, 2.0], [0.5, 0.25])\n1.0f0\n\nlx> dot(2, "
         "3)\n6\n")},
    {"dot", "(x::Tensor, y::Number)", l_dot, ""},
    {"dot", "(x::Number, y::Tensor)", l_dot, ""},
    {"dot", "(x::Number, y::Number)", l_dot_num, ""},
    {"norm", "(x::Tensor, p::Real = 2)", l_norm,
     "    norm(x, p = 2)\n\nThe p-norm of all the elements of x, as a vector: `p = 2` the Euclidean (for a "
     "matrix, Frobenius) norm, `p = 1` the sum of magnitudes, `p = Inf` the largest magnitude, `p = -Inf` "
     "the smallest, `p = 0` the number of non-zero elements, any other p `sum(abs.(x) .^ p) ^ (1 / p)`. "
     "Scaled so that large elements do not overflow. The result has x's float type (integers give "
     "Float32). For a number, `abs(float(x))`. Differentiable: the gradient of the 2-norm at zero is zero, "
     "and ties of `Inf` share it." EX(
         "lx> norm([3.0, -4.0])\n5.0f0\n\nlx> norm(Float64[3, -4], 1)\n7.0\n\nlx> norm(Float64[3, -4], "
         "Inf)\n4.0\n\nlx> norm(-2)\n2.0\n")},
    {"norm", "(x::Number, p::Real = 2)", l_norm_num, ""},
    {"tr", "(A::Tensor)", l_tr,
     "    tr(A)\n\nThe trace of a square matrix: the sum of its diagonal; a non-square one is a "
     "DimensionMismatch. A number is its own trace." EX("lx> tr([1 2; 3 4])\n5\n\nlx> tr(Float64[1.5 0; 0 "
                                                        "2])\n3.5\n")},
    {"tr", "(x::Number)", l_scalar_self, ""},
    {"diag", "(A::Tensor, k::Integer = 0)", l_diag,
     "    diag(A, k = 0)\n\nThe k-th diagonal of a matrix as a vector: k = 0 the main one, k > 0 above it, "
     "k < 0 below it (from -m to n for an (m, n) matrix, an ArgumentError outside)." EX(
         "lx> diag([1 2 3; 4 5 6])\n2-element Tensor{Int64, 1}:\n 1\n 5\n\nlx> diag([1 2 3; 4 5 6], "
         "1)\n2-element Tensor{Int64, 1}:\n 2\n 6\n")},
    {NULL, NULL, NULL, NULL}};

void lxL_open_linalg(lx_State *L)
{
    lxO_type *T = L->T[LXT_Tensor];
    lxO_method *prev = find_method(L, "/", NULL, T, T);
    lxO_cfunction prevfn = prev ? prev->cfn : NULL;
    lxL_register(L, linalg_lib);
    lxO_method *mine = find_method(L, "/", l_rdiv, T, T);
    if (mine && prevfn && prevfn != l_rdiv) {
        lxO_cdata *c = lxO_cdata_new(L, L->T[LXT_Any], sizeof prevfn);
        memcpy(c->data, &prevfn, sizeof prevfn);
        mine->data = lxO_obj(c);
    }
}
