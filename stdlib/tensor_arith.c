/* tensor_arith.c — operators and math on tensors, with Julia's semantics and
 * lx's weak typing (spec §5): + - * / ^ (matrix products and powers), the
 * comparisons of 0-d tensors with numbers, elementary functions, max, min,
 * clamp, ifelse and isnan & co.  A 0-d tensor (a scalar under `gradient`)
 * works wherever a number does.  While a broadcast runs a function once on
 * whole tensors (L->bcast_mode > 0, tensor_bcast.c), everything here acts
 * elementwise.  The activation functions are in activations.c.
 */
#include "tensor.h"

#include <math.h>
#include <string.h>

#define SHAPE_BUF 160

/* ---- operands -------------------------------------------------------------------------------- */

static bool is0d(lx_Value v)
{
    return lxL_istensor(v) && lxL_tval(v)->ndim == 0;
}

/* A number or a 0-d tensor: a scalar as far as Julia's rules go. */
static bool scalarish(lx_Value v)
{
    return !lxL_istensor(v) || lxL_tval(v)->ndim == 0;
}

static const char *shape_of(char *buf, const nn_tensor *t)
{
    return nn_shape_str(buf, SHAPE_BUF, t->ndim, t->shape);
}

/* v as a tensor; a number takes the weak dtype of `other` when that is a tensor (spec §5). */
static nn_tensor *operand(lx_State *L, lx_Value v, lx_Value other, const char *fname, lx_Value *hold)
{
    return lxL_totensor(L, v, lxL_istensor(other) ? lxL_tval(other) : NULL, fname, hold);
}

/* The error for a non-scalar tensor given to a scalar function outside a broadcast. */
static void not_scalar(lx_State *L, const char *fname, const nn_tensor *x) __attribute__((noreturn));
static void not_scalar(lx_State *L, const char *fname, const nn_tensor *x)
{
    char s[SHAPE_BUF];
    lxE_error(L, LXT_ArgumentError,
              "%s: the argument is a Tensor of size %s, not a scalar; use %s.(x) to apply %s to each element",
              fname, shape_of(s, x), fname, fname);
}

/* Julia's DomainError for scalar math (math.c's messages): a 0-d tensor outside a broadcast is a scalar. */
static void domain_error(lx_State *L, lx_Value val, const char *msg) __attribute__((noreturn));
static void domain_error(lx_State *L, lx_Value val, const char *msg)
{
    lxO_struct *e = lxO_struct_new(L, L->T[LXT_DomainError]);
    e->fields[0] = val;
    e->fields[1] = lxO_cstr(L, msg);
    lxE_throw(L, lxO_obj(e));
}

/* ---- elementwise cores ----------------------------------------------------------------------- */

/* x .^ k for an integer tensor and a non-negative integer k, by squaring: stays an integer tensor, as
 * Julia's Int ^ Int (nn's POW computes integers in Float32). */
static nn_status int_pow(nn_ctx *c, nn_tensor **out, const nn_tensor *x, uint64_t k)
{
    *out = NULL;
    if (x->dtype == NN_BOOL) return k == 0 ? nn_ones(c, out, NN_BOOL, x->ndim, x->shape) : nn_copy(c, out, x);
    nn_tensor *r = NULL, *b = nn_retain((nn_tensor *)x), *t = NULL;
    nn_status s = nn_ones(c, &r, x->dtype, x->ndim, x->shape);
    while (!s && k) {
        if (k & 1) {
            s = nn_binary(c, &t, NN_MUL, r, b);
            nn_release(r);
            r = t;
        }
        k >>= 1;
        if (!s && k) {
            s = nn_binary(c, &t, NN_MUL, b, b);
            nn_release(b);
            b = t;
        }
    }
    nn_release(b);
    if (s) {
        nn_release(r);
        return s;
    }
    *out = r;
    return NN_OK;
}

/* a op b elementwise with broadcasting; the numbers among them weakly typed. */
static lx_Value ew_binary(lx_State *L, nn_binary_op op, lx_Value a, lx_Value b, const char *fname)
{
    lx_Value ha, hb;
    nn_tensor *ta = operand(L, a, b, fname, &ha), *tb = operand(L, b, a, fname, &hb), *out = NULL;
    nn_status s;
    if (op == NN_POW && !lxL_istensor(b) && nn_dtype_is_float(ta->dtype) && lxO_tonumber(b) == 2)
        s = nn_unary(L->nn, &out, NN_SQUARE, ta); /* x^2: no log(x) in the gradient, exact */
    else if (op == NN_POW && !lxL_istensor(b) && !nn_dtype_is_float(ta->dtype) &&
             (b.tag == LX_TINT || b.tag == LX_TBOOL) && lxO_tonumber(b) >= 0)
        s = int_pow(L->nn, &out, ta, (uint64_t)lxO_tonumber(b));
    else
        s = nn_binary(L->nn, &out, op, ta, tb);
    return lxL_scalar(L, s, &out);
}

static lx_Value ew_compare(lx_State *L, nn_compare_op op, lx_Value a, lx_Value b, const char *fname)
{
    lx_Value ha, hb;
    nn_tensor *ta = operand(L, a, b, fname, &ha), *tb = operand(L, b, a, fname, &hb), *out = NULL;
    return lxL_scalar(L, nn_compare(L->nn, &out, op, ta, tb), &out);
}

/* f(x) elementwise.  Integer and Bool tensors keep their type where Julia's do (-x, abs, abs2, sign,
 * floor, ceil, round, trunc); everything else computes in Float32 for them (nn's rule). */
static nn_status unary_op(lx_State *L, nn_tensor **out, nn_unary_op op, double p, const nn_tensor *x)
{
    nn_ctx *c = L->nn;
    *out = NULL;
    if (!nn_dtype_is_float(x->dtype)) {
        nn_tensor *z = NULL, *m = NULL, *gt = NULL, *lt = NULL, *d = NULL;
        nn_status s = NN_OK;
        switch (op) {
        case NN_IDENTITY:
        case NN_FLOOR:
        case NN_CEIL:
        case NN_ROUND:
        case NN_TRUNC: return nn_copy(c, out, x);
        case NN_NEG:
            s = nn_scalar(c, &z, x->dtype == NN_BOOL ? NN_I64 : x->dtype, 0);
            if (!s) s = nn_binary(c, out, NN_SUB, z, x);
            nn_release(z);
            return s;
        case NN_ABS:
            if (x->dtype == NN_BOOL) return nn_copy(c, out, x);
            s = unary_op(L, &m, NN_NEG, p, x);
            if (!s) s = nn_binary(c, out, NN_MAX, x, m);
            nn_release(m);
            return s;
        case NN_SQUARE: return nn_binary(c, out, NN_MUL, x, x);
        case NN_SIGN:
            if (x->dtype == NN_BOOL) return nn_copy(c, out, x);
            s = nn_scalar(c, &z, x->dtype, 0);
            if (!s) s = nn_compare(c, &gt, NN_GT, x, z);
            if (!s) s = nn_compare(c, &lt, NN_LT, x, z);
            if (!s) s = nn_binary(c, &d, NN_SUB, gt, lt);
            if (!s) s = nn_convert(c, out, d, x->dtype);
            nn_release(z);
            nn_release(gt);
            nn_release(lt);
            nn_release(d);
            return s;
        default: break;
        }
    }
    return nn_unary_p(c, out, op, x, p);
}

/* ---- + - * / ^ ------------------------------------------------------------------------------- */

/* x ± y: equal shapes, or a 0-d tensor on either side (a scalar); any shapes inside a broadcast. */
static lx_Value addsub(lx_State *L, lx_Value *a, nn_binary_op op, const char *fname)
{
    lx_Value x = a[0], y = a[1];
    char s1[SHAPE_BUF], s2[SHAPE_BUF];
    if (L->bcast_mode == 0 && !is0d(x) && !is0d(y)) {
        if (!lxL_istensor(x) || !lxL_istensor(y)) {
            const nn_tensor *t = lxL_istensor(x) ? lxL_tval(x) : lxL_tval(y);
            lxE_error(
                L, LXT_ArgumentError,
                "%s: a Tensor of size %s and a number do not combine with %s (Julia has no such method); "
                "use .%s to broadcast",
                fname, shape_of(s1, t), fname, fname);
        }
        if (!nn_same_shape(lxL_tval(x), lxL_tval(y)))
            lxE_error(L, LXT_DimensionMismatch,
                      "%s: dimensions must match: a has size %s, b has size %s; use .%s to broadcast", fname,
                      shape_of(s1, lxL_tval(x)), shape_of(s2, lxL_tval(y)), fname);
    }
    return ew_binary(L, op, x, y, fname);
}

static lx_Value t_add(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)kw;
    if (n == 1) return a[0];
    return addsub(L, a, NN_ADD, "+");
}

static lx_Value t_sub(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)kw;
    if (n == 1) {
        nn_tensor *out;
        return lxL_scalar(L, unary_op(L, &out, NN_NEG, 0, lxL_tval(a[0])), &out);
    }
    return addsub(L, a, NN_SUB, "-");
}

/* Julia's integer matrix product stays integer: compute in Float64 (exact to 2^53), convert back. */
static nn_status matmul_any(nn_ctx *c, nn_tensor **out, const nn_tensor *a, const nn_tensor *b)
{
    if (nn_dtype_is_float(a->dtype) || nn_dtype_is_float(b->dtype))
        return nn_matmul(c, out, a, b, false, false);
    nn_dtype t = a->dtype == NN_I64 || b->dtype == NN_I64   ? NN_I64
                 : a->dtype == NN_I32 || b->dtype == NN_I32 ? NN_I32
                                                            : NN_I64;
    nn_tensor *af = NULL, *bf = NULL, *p = NULL;
    nn_status s = nn_convert(c, &af, a, NN_F64);
    if (!s) s = nn_convert(c, &bf, b, NN_F64);
    if (!s) s = nn_matmul(c, &p, af, bf, false, false);
    if (!s) s = nn_convert(c, out, p, t);
    nn_release(af);
    nn_release(bf);
    nn_release(p);
    return s;
}

/* A * B for vectors and matrices (matrix × matrix, matrix × vector, vector × row matrix). */
static lx_Value matprod(lx_State *L, const nn_tensor *A, const nn_tensor *B)
{
    char s1[SHAPE_BUF], s2[SHAPE_BUF];
    if (A->ndim == 1 && B->ndim == 1)
        lxE_error(L, LXT_DimensionMismatch,
                  "*: a vector times a vector is not defined, got sizes %s and %s; use dot(x, y), x' * y or "
                  "x .* y",
                  shape_of(s1, A), shape_of(s2, B));
    if (A->ndim > 2 || B->ndim > 2)
        lxE_error(
            L, LXT_ArgumentError,
            "*: matrix products take vectors and matrices, got sizes %s and %s; use batched_mul for 3-d "
            "tensors, or .* for elementwise products",
            shape_of(s1, A), shape_of(s2, B));
    int64_t ka = A->ndim == 2 ? A->shape[1] : 1;
    if (ka != B->shape[0])
        lxE_error(L, LXT_DimensionMismatch,
                  "*: A has size %s and B has size %s: A's %lld columns do not match B's %lld rows",
                  shape_of(s1, A), shape_of(s2, B), (long long)ka, (long long)B->shape[0]);
    nn_tensor *out;
    nn_status s = matmul_any(L->nn, &out, A, B);
    lxL_nncheck(L, s); /* an integer product past Int64: InexactError */
    return lxL_result(L, s, &out);
}

static lx_Value t_mul(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)kw;
    lx_Value x = a[0], y = a[1];
    lx_Value r;
    if (L->bcast_mode > 0 || scalarish(x) || scalarish(y))
        r = ew_binary(L, NN_MUL, x, y, "*");
    else
        r = matprod(L, lxL_tval(x), lxL_tval(y));
    for (int i = 2; i < n; i++) { /* *(a, b, c...) left to right */
        lx_Value args[2] = {r, a[i]};
        int mark = lxV_root(L, r);
        r = lxL_callg(L, "*", args, 2);
        lxV_unroot(L, mark);
    }
    return r;
}

static lx_Value t_div(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)n;
    (void)kw;
    lx_Value x = a[0], y = a[1];
    char s1[SHAPE_BUF], s2[SHAPE_BUF];
    if (L->bcast_mode == 0 && !scalarish(y)) {
        if (scalarish(x))
            lxE_error(L, LXT_ArgumentError,
                      "/: dividing a number by a Tensor of size %s is not defined; use ./",
                      shape_of(s1, lxL_tval(y)));
        lxE_error(
            L, LXT_ArgumentError,
            "/: right division of a Tensor of size %s by a Tensor of size %s is not supported; use ./ for "
            "elementwise division",
            shape_of(s1, lxL_tval(x)), shape_of(s2, lxL_tval(y)));
    }
    return ew_binary(L, NN_DIV, x, y, "/");
}

/* The n×n identity matrix of a dtype. */
static lx_Value eye(lx_State *L, nn_dtype t, int64_t n)
{
    int64_t shape[2] = {n, n};
    nn_tensor *e;
    lx_Value v = lxL_result(L, nn_zeros(L->nn, &e, t, 2, shape), &e);
    for (int64_t i = 0; i < n; i++)
        nn_set(e, i * n + i, 1);
    return v;
}

/* A ^ p for a square matrix and an integer p, by repeated products (differentiable); p < 0 uses inv(A). */
static lx_Value matpow(lx_State *L, lx_Value av, lx_Value pv)
{
    const nn_tensor *A = lxL_tval(av);
    char s1[SHAPE_BUF];
    if (A->ndim != 2)
        lxE_error(L, LXT_ArgumentError,
                  "^: A ^ p needs a square matrix, got a Tensor of size %s; use .^ for elementwise powers",
                  shape_of(s1, A));
    if (A->shape[0] != A->shape[1])
        lxE_error(L, LXT_DimensionMismatch, "^: A ^ p needs a square matrix, got size %s", shape_of(s1, A));
    int64_t k;
    if (pv.tag == LX_TINT || pv.tag == LX_TBOOL) {
        k = pv.tag == LX_TINT ? pv.v.i : pv.v.b;
    } else {
        double pd = lxL_istensor(pv) ? nn_get(lxL_tval(pv), 0) : lxO_tonumber(pv);
        if (pd != floor(pd) || fabs(pd) > 0x1p62)
            lxE_error(
                L, LXT_ArgumentError,
                "^: only integer powers of a matrix are supported, got %g; use .^ for elementwise powers",
                pd);
        k = (int64_t)pd;
    }
    if (k == INT64_MIN) lxE_error(L, LXT_ArgumentError, "^: the power %lld is out of range", (long long)k);
    int mark = lxV_root(L, av);
    lx_Value base = av;
    if (k < 0) {
        base = lxL_callg(L, "inv", &av, 1);
        lxV_root(L, base);
        k = -k;
    }
    if (!lxL_istensor(base)) lxE_error(L, LXT_ArgumentError, "^: inv(A) did not give a Tensor");
    lx_Value r = k == 0 ? eye(L, A->dtype, A->shape[0]) : lxO_nothing();
    if (k > 0) {
        nn_tensor *acc = NULL, *b = nn_retain(lxL_tval(base)), *t;
        nn_status s = NN_OK;
        while (!s && k) {
            if (k & 1) {
                if (!acc) {
                    acc = nn_retain(b);
                } else {
                    s = matmul_any(L->nn, &t, acc, b);
                    nn_release(acc);
                    acc = t;
                }
            }
            k >>= 1;
            if (!s && k) {
                s = matmul_any(L->nn, &t, b, b);
                nn_release(b);
                b = t;
            }
        }
        nn_release(b);
        if (!s && acc == lxL_tval(base)) { /* A ^ 1: a new tensor, as Julia's */
            s = nn_copy(L->nn, &t, acc);
            nn_release(acc);
            acc = t;
        }
        if (s) {
            nn_release(acc);
            acc = NULL;
            lxL_nncheck(L, s);
        }
        r = lxL_result(L, s, &acc);
    }
    lxV_unroot(L, mark);
    return r;
}

static lx_Value t_pow(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)n;
    (void)kw;
    lx_Value x = a[0], y = a[1];
    if (L->bcast_mode > 0 || (scalarish(x) && scalarish(y))) return ew_binary(L, NN_POW, x, y, "^");
    if (!scalarish(x) && scalarish(y)) return matpow(L, x, y);
    char s1[SHAPE_BUF];
    lxE_error(L, LXT_ArgumentError, "^: a power with a Tensor of size %s as exponent is not defined; use .^",
              shape_of(s1, lxL_tval(y)));
}

/* ---- comparisons ----------------------------------------------------------------------------- */

/* Comparing a number with a 0-d tensor: weak typing rounds both to Float32 when the number would be Float32
 * next to the tensor (0.1 equals a Float32 tensor holding 0.1f0, as `x .== 0.1` finds). */
static bool compare_f32(lx_Value x, lx_Value y)
{
    if (lxL_istensor(x) && lxL_istensor(y)) return false;
    lx_Value t = lxL_istensor(x) ? x : y, num = lxL_istensor(x) ? y : x;
    return lxL_weakdtype(num, lxL_tval(t)->dtype) == NN_F32;
}

static double scalar_value(lx_Value v, bool f32)
{
    double d = lxL_istensor(v) ? nn_get(lxL_tval(v), 0) : lxO_tonumber(v);
    return f32 ? (double)(float)d : d;
}

static lx_Value compare(lx_State *L, lx_Value *a, nn_compare_op op, const char *fname, const char *dotted)
{
    lx_Value x = a[0], y = a[1];
    if (L->bcast_mode > 0) return ew_compare(L, op, x, y, fname);
    if (scalarish(x) && scalarish(y)) {
        bool f32 = compare_f32(x, y);
        double u = scalar_value(x, f32), v = scalar_value(y, f32);
        bool r = false;
        switch (op) {
        case NN_EQ: r = u == v; break;
        case NN_NE: r = u != v; break;
        case NN_LT: r = u < v; break;
        case NN_LE: r = u <= v; break;
        case NN_GT: r = u > v; break;
        case NN_GE: r = u >= v; break;
        default: break;
        }
        return lxO_bool(r);
    }
    if (op == NN_EQ || op == NN_NE) return lxO_bool(op == NN_NE); /* an array never equals a number */
    char s1[SHAPE_BUF];
    const nn_tensor *t = !scalarish(x) ? lxL_tval(x) : lxL_tval(y);
    lxE_error(
        L, LXT_ArgumentError,
        "%s: comparing a Tensor of size %s is not defined (only 0-d tensors compare as scalars); use %s for "
        "elementwise comparison",
        fname, shape_of(s1, t), dotted);
}

#define COMPARE_FN(cname, op, name, dotted)                                                                  \
    static lx_Value cname(lx_State *L, lx_Value *a, int n, lx_Value kw)                                      \
    {                                                                                                        \
        (void)n;                                                                                             \
        (void)kw;                                                                                            \
        return compare(L, a, op, name, dotted);                                                              \
    }
COMPARE_FN(t_lt, NN_LT, "<", ".<")
COMPARE_FN(t_le, NN_LE, "<=", ".<=")
COMPARE_FN(t_gt, NN_GT, ">", ".>")
COMPARE_FN(t_ge, NN_GE, ">=", ".>=")
COMPARE_FN(t_eq, NN_EQ, "==", ".==")
COMPARE_FN(t_ne, NN_NE, "!=", ".!=")

/* !x for a Bool tensor: 0-d, or elementwise in a broadcast (.!mask). */
static lx_Value t_not(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)n;
    (void)kw;
    nn_tensor *x = lxL_tval(a[0]);
    if (x->dtype != NN_BOOL)
        lxE_error(L, LXT_TypeError, "!: expected a Bool tensor, got a Tensor of %s", nn_dtype_name(x->dtype));
    if (x->ndim != 0 && L->bcast_mode == 0) not_scalar(L, "!", x);
    lx_Value f = lxO_bool(false);
    return ew_compare(L, NN_EQ, a[0], f, "!");
}

/* ---- elementary functions -------------------------------------------------------------------- */

typedef enum { DOM_ALL, DOM_NONNEG, DOM_GE_M1, DOM_UNIT } domain;

/* A scalar outside a broadcast follows Julia's scalar math: DomainError rather than NaN (spec §5). */
static void check_domain(lx_State *L, const char *fname, const nn_tensor *x, domain dom)
{
    double d = nn_get(x, 0);
    char msg[300];
    switch (dom) {
    case DOM_ALL: return;
    case DOM_NONNEG:
        if (!(d < 0)) return;
        snprintf(
            msg, sizeof msg,
            "%s was called with a negative real argument but will only return a complex result if called "
            "with a complex argument. Try %s(Complex(x)).",
            fname, fname);
        break;
    case DOM_GE_M1:
        if (!(d < -1)) return;
        snprintf(
            msg, sizeof msg,
            "%s was called with a real argument < -1 but will only return a complex result if called with "
            "a complex argument. Try %s(Complex(x)).",
            fname, fname);
        break;
    case DOM_UNIT:
        if (!(fabs(d) > 1)) return;
        snprintf(msg, sizeof msg, "%s(x) is not defined for |x| > 1.", fname);
        break;
    }
    domain_error(L, lxL_elem(L, x, 0), msg);
}

static lx_Value math1(lx_State *L, lx_Value *a, nn_unary_op op, domain dom, const char *fname)
{
    nn_tensor *x = lxL_tval(a[0]), *out;
    if (L->bcast_mode == 0) {
        if (x->ndim != 0) not_scalar(L, fname, x);
        check_domain(L, fname, x, dom);
    }
    return lxL_scalar(L, unary_op(L, &out, op, nn_unary_default_param(op), x), &out);
}

#define MATH_FN(cname, op, dom, name)                                                                        \
    static lx_Value cname(lx_State *L, lx_Value *a, int n, lx_Value kw)                                      \
    {                                                                                                        \
        (void)n;                                                                                             \
        (void)kw;                                                                                            \
        return math1(L, a, op, dom, name);                                                                   \
    }
MATH_FN(t_abs, NN_ABS, DOM_ALL, "abs")
MATH_FN(t_abs2, NN_SQUARE, DOM_ALL, "abs2")
MATH_FN(t_sign, NN_SIGN, DOM_ALL, "sign")
MATH_FN(t_exp, NN_EXP, DOM_ALL, "exp")
MATH_FN(t_exp2, NN_EXP2, DOM_ALL, "exp2")
MATH_FN(t_expm1, NN_EXPM1, DOM_ALL, "expm1")
MATH_FN(t_log, NN_LOG, DOM_NONNEG, "log")
MATH_FN(t_log2, NN_LOG2, DOM_NONNEG, "log2")
MATH_FN(t_log10, NN_LOG10, DOM_NONNEG, "log10")
MATH_FN(t_log1p, NN_LOG1P, DOM_GE_M1, "log1p")
MATH_FN(t_sqrt, NN_SQRT, DOM_NONNEG, "sqrt")
MATH_FN(t_cbrt, NN_CBRT, DOM_ALL, "cbrt")
MATH_FN(t_sin, NN_SIN, DOM_ALL, "sin")
MATH_FN(t_cos, NN_COS, DOM_ALL, "cos")
MATH_FN(t_tan, NN_TAN, DOM_ALL, "tan")
MATH_FN(t_asin, NN_ASIN, DOM_UNIT, "asin")
MATH_FN(t_acos, NN_ACOS, DOM_UNIT, "acos")
MATH_FN(t_atan, NN_ATAN, DOM_ALL, "atan")
MATH_FN(t_sinh, NN_SINH, DOM_ALL, "sinh")
MATH_FN(t_cosh, NN_COSH, DOM_ALL, "cosh")
MATH_FN(t_tanh, NN_TANH, DOM_ALL, "tanh")
MATH_FN(t_floor, NN_FLOOR, DOM_ALL, "floor")
MATH_FN(t_ceil, NN_CEIL, DOM_ALL, "ceil")
MATH_FN(t_round, NN_ROUND, DOM_ALL, "round")
MATH_FN(t_trunc, NN_TRUNC, DOM_ALL, "trunc")

/* round(T, x) and friends: the rounded values as element type T (an InexactError when they do not fit). */
static lx_Value round_to(lx_State *L, lx_Value *a, nn_unary_op op, const char *fname)
{
    nn_dtype t;
    if (!lxL_dtype_of(L, a[0], &t))
        lxE_error(L, LXT_TypeError,
                  "%s: the target type must be an element type of tensors (Float32, Float64, Int32, Int64 or "
                  "Bool), got %s",
                  fname,
                  lxO_is(a[0], LXO_TYPE) ? lxT_name(lxO_as(lxO_type, a[0])) : lxT_name(lxT_typeof(L, a[0])));
    nn_tensor *x = lxL_tval(a[1]), *r, *out;
    if (x->ndim != 0 && L->bcast_mode == 0) not_scalar(L, fname, x);
    lx_Value hold = lxL_result(L, unary_op(L, &r, op, 0, x), &r);
    (void)hold;
    nn_status s = nn_convert(L->nn, &out, r, t);
    lxL_nncheck(L, s);
    return lxL_scalar(L, s, &out);
}

#define ROUND_FN(cname, op, name)                                                                            \
    static lx_Value cname(lx_State *L, lx_Value *a, int n, lx_Value kw)                                      \
    {                                                                                                        \
        (void)n;                                                                                             \
        (void)kw;                                                                                            \
        return round_to(L, a, op, name);                                                                     \
    }
ROUND_FN(t_floor_t, NN_FLOOR, "floor")
ROUND_FN(t_ceil_t, NN_CEIL, "ceil")
ROUND_FN(t_round_t, NN_ROUND, "round")
ROUND_FN(t_trunc_t, NN_TRUNC, "trunc")

/* float(x): float tensors as they are (as Julia's float(A)); integer and Bool tensors as Float32. */
static lx_Value t_float(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)n;
    (void)kw;
    nn_tensor *x = lxL_tval(a[0]), *out;
    if (nn_dtype_is_float(x->dtype) && x->ndim == 0) {
        out = nn_retain(x);
        return lxL_scalar(L, NN_OK, &out);
    }
    if (nn_dtype_is_float(x->dtype)) return a[0];
    return lxL_scalar(L, nn_convert(L->nn, &out, x, NN_F32), &out);
}

/* isnan, isinf, isfinite: Bool, elementwise in a broadcast.  Integer tensors are always finite. */
static lx_Value classify(lx_State *L, lx_Value *a, int which, const char *fname)
{
    nn_tensor *x = lxL_tval(a[0]), *out = NULL;
    if (x->ndim != 0 && L->bcast_mode == 0) not_scalar(L, fname, x);
    if (!nn_dtype_is_float(x->dtype))
        return lxL_scalar(L, nn_full(L->nn, &out, NN_BOOL, x->ndim, x->shape, which == 2 ? 1 : 0), &out);
    if (which == 0) return lxL_scalar(L, nn_compare(L->nn, &out, NN_NE, x, x), &out);
    nn_tensor *ab, *inf;
    lx_Value h1 = lxL_result(L, nn_unary(L->nn, &ab, NN_ABS, x), &ab);
    lx_Value h2 = lxL_result(L, nn_scalar(L->nn, &inf, x->dtype, INFINITY), &inf);
    (void)h1;
    (void)h2;
    return lxL_scalar(L, nn_compare(L->nn, &out, which == 1 ? NN_EQ : NN_LT, ab, inf), &out);
}

static lx_Value t_isnan(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)n;
    (void)kw;
    return classify(L, a, 0, "isnan");
}
static lx_Value t_isinf(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)n;
    (void)kw;
    return classify(L, a, 1, "isinf");
}
static lx_Value t_isfinite(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)n;
    (void)kw;
    return classify(L, a, 2, "isfinite");
}

/* ---- max, min, clamp, ifelse ----------------------------------------------------------------- */

static lx_Value minmax(lx_State *L, lx_Value *a, int n, nn_binary_op op, const char *fname)
{
    lx_Value r = a[0];
    for (int i = 1; i < n; i++) {
        if (L->bcast_mode == 0 && (!scalarish(r) || !scalarish(a[i]))) {
            char s[SHAPE_BUF];
            lxE_error(L, LXT_ArgumentError,
                      "%s: a Tensor of size %s is not a scalar; use %s.(x, y) for the elementwise %s", fname,
                      shape_of(s, lxL_tval(!scalarish(r) ? r : a[i])), fname, fname);
        }
        r = ew_binary(L, op, r, a[i], fname);
    }
    return r;
}

static lx_Value t_max(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)kw;
    return minmax(L, a, n, NN_MAX, "max");
}
static lx_Value t_min(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)kw;
    return minmax(L, a, n, NN_MIN, "min");
}

/* clamp(x, lo, hi): any tensor (Julia's clamp works on arrays); numbers or 0-d tensors as bounds, or
 * tensors inside a broadcast. */
static lx_Value t_clamp(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)n;
    (void)kw;
    nn_tensor *x = lxL_tval(a[0]), *out;
    if (scalarish(a[1]) && scalarish(a[2])) {
        double lo = lxL_istensor(a[1]) ? nn_get(lxL_tval(a[1]), 0) : lxO_tonumber(a[1]);
        double hi = lxL_istensor(a[2]) ? nn_get(lxL_tval(a[2]), 0) : lxO_tonumber(a[2]);
        if (!lxL_istensor(a[1]) && !lxL_istensor(a[2]) && nn_dtype_is_float(x->dtype) && x->dtype == NN_F32) {
            lo = (float)lo; /* weak typing: the bounds of a Float32 tensor are Float32 */
            hi = (float)hi;
        }
        return lxL_scalar(L, nn_clamp(L->nn, &out, x, lo, hi), &out);
    }
    if (L->bcast_mode == 0) {
        char s[SHAPE_BUF];
        lxE_error(L, LXT_ArgumentError,
                  "clamp: the bounds must be numbers, got a Tensor of size %s; use clamp.(x, lo, hi)",
                  shape_of(s, lxL_tval(scalarish(a[1]) ? a[2] : a[1])));
    }
    lx_Value m = ew_binary(L, NN_MAX, a[0], a[1], "clamp");
    return ew_binary(L, NN_MIN, m, a[2], "clamp");
}

static lx_Value t_ifelse_bool(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)L;
    (void)n;
    (void)kw;
    return a[0].v.b ? a[1] : a[2];
}

/* ifelse(c, a, b) with a Bool tensor c: 0-d picks a side; in a broadcast, nn_ifelse (differentiable in a
 * and b, which broadcast with c). */
static lx_Value t_ifelse(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)n;
    (void)kw;
    if (!lxL_istensor(a[0]))
        lxE_error(L, LXT_TypeError, "ifelse: non-boolean (%s) used as the condition",
                  lxT_name(lxT_typeof(L, a[0])));
    nn_tensor *c = lxL_tval(a[0]), *out;
    if (c->dtype != NN_BOOL)
        lxE_error(L, LXT_TypeError, "ifelse: the condition must be Bool, got a Tensor of %s",
                  nn_dtype_name(c->dtype));
    if (L->bcast_mode == 0) {
        if (c->ndim != 0) not_scalar(L, "ifelse", c);
        return nn_get(c, 0) != 0 ? a[1] : a[2];
    }
    lx_Value h1, h2;
    lx_Value like1 = lxL_istensor(a[2]) ? a[2] : a[0], like2 = lxL_istensor(a[1]) ? a[1] : a[0];
    nn_tensor *ta = operand(L, a[1], like1, "ifelse", &h1), *tb = operand(L, a[2], like2, "ifelse", &h2);
    return lxL_scalar(L, nn_ifelse(L->nn, &out, c, ta, tb), &out);
}

/* ---- the library ----------------------------------------------------------------------------- */

#define EX(body) "\n\n# Examples\n```\n" body "```"
#define MATHDOC(name, what)                                                                                  \
    "    " name "(x::Tensor)\n\n" what " of a 0-d tensor (a scalar inside `gradient`); `" name               \
    ".(x)` applies "                                                                                         \
    "it to each element of any tensor.\n\n# Arguments\n- `x`: a 0-d tensor (use `" name ".(x)` for "         \
    "larger ones).\n\n# Returns\nA 0-d tensor of the result, tracked when x is."

static const lxL_Reg arith_lib[] = {
    {"+", "(x::Tensor, y::Tensor)", t_add,
     "    x::Tensor + y::Tensor\n\nElementwise sum of tensors of the same size (a DimensionMismatch "
     "otherwise; "
     "`.+` broadcasts). A 0-d tensor combines with anything, as a number does; a number and a larger tensor "
     "need `.+`."
     "\n\n# Arguments\n- `x`, `y`: tensors of the same size, or a 0-d tensor and anything.\n\n# Returns\nA "
     "new tensor of that size, in the promoted element type." EX(
         "lx> [1, 2] + [10, 20]\n2-element Tensor{Int64, 1}:\n 11\n 22\n")},
    {"+", "(x::Tensor, y::Number)", t_add, ""},
    {"+", "(x::Number, y::Tensor)", t_add, ""},
    {"+", "(x::Tensor)", t_add, ""},
    {"-", "(x::Tensor, y::Tensor)", t_sub,
     "    x::Tensor - y::Tensor\n    -x::Tensor\n\nElementwise difference of tensors of the same size, and "
     "negation (integer tensors stay integer)."
     "\n\n# Arguments\n- `x`, `y`: tensors of the same size (or a 0-d tensor and anything); `-x` takes "
     "one.\n\n# Returns\nA new tensor of that size, in the promoted element type." EX(
         "lx> -[1, 2]\n2-element Tensor{Int64, 1}:\n -1\n -2\n")},
    {"-", "(x::Tensor, y::Number)", t_sub, ""},
    {"-", "(x::Number, y::Tensor)", t_sub, ""},
    {"-", "(x::Tensor)", t_sub, ""},
    {"*", "(x::Tensor, y::Tensor, zs...)", t_mul,
     "    A::Tensor * B::Tensor\n    a::Number * x::Tensor\n\nThe matrix product (matrix × matrix, matrix × "
     "vector, vector × 1-row matrix); with a number or a 0-d tensor on either side, the elementwise scaling. "
     "A vector times a vector is a DimensionMismatch, as in Julia; `.*` multiplies elementwise."
     "\n\n# Arguments\n- `A`, `B`: a matrix and a matrix or vector (or a vector and a 1-row matrix); or a "
     "number (or 0-d tensor) and a tensor `x`.\n\n# Returns\nA new tensor: the matrix product, or x scaled "
     "elementwise." EX(
         "lx> [1 2; 3 4] * [1, 1]\n2-element Tensor{Int64, 1}:\n 3\n 7\n\nlx> 2 * [1.0, 2.0]\n2-element "
         "Tensor{Float32, 1}:\n 2.0\n 4.0\n")},
    {"*", "(x::Tensor, y::Number, zs...)", t_mul, ""},
    {"*", "(x::Number, y::Tensor, zs...)", t_mul, ""},
    {"/", "(x::Tensor, y::Tensor)", t_div,
     "    x::Tensor / y\n\nElementwise division by a number or a 0-d tensor (integer tensors give Float32); "
     "`./` "
     "divides elementwise by a tensor."
     "\n\n# Arguments\n- `x`: a tensor.\n- `y`: a number or a 0-d tensor.\n\n# Returns\nA new tensor of x's "
     "size (Float32 for integer x)." EX("lx> [1, 2] / 4\n2-element Tensor{Float32, 1}:\n 0.25\n 0.5\n")},
    {"/", "(x::Tensor, y::Number)", t_div, ""},
    {"/", "(x::Number, y::Tensor)", t_div, ""},
    {"^", "(x::Tensor, y::Tensor)", t_pow,
     "    A::Tensor ^ p\n\nThe matrix power of a square matrix by repeated products (p an integer; a "
     "negative p uses `inv(A)`); a 0-d tensor to a power is the scalar power. `.^` is elementwise."
     "\n\n# Arguments\n- `A`: a square matrix, or a 0-d tensor.\n- `p`: an integer power (a number for a 0-d "
     "tensor).\n\n# Returns\nA new matrix of A's size (a scalar power for a 0-d tensor)." EX(
         "lx> [1 1; 0 1] ^ 3\n2×2 Tensor{Int64, 2}:\n 1  3\n 0  1\n")},
    {"^", "(x::Tensor, y::Number)", t_pow, ""},
    {"^", "(x::Number, y::Tensor)", t_pow, ""},
    {"<", "(x::Tensor, y::Tensor)", t_lt,
     "    x::Tensor < y\n\nFor 0-d tensors (scalars inside `gradient`) and numbers, a plain Bool; `.<` "
     "compares "
     "elementwise (a larger tensor with `<` is an error)."
     "\n\n# Arguments\n- `x`, `y`: 0-d tensors or numbers.\n\n# Returns\nA Bool." EX(
         "lx> gradient(x -> x < 1 ? 2x : x, 0.5)\n(2.0,)\n")},
    {"<", "(x::Tensor, y::Number)", t_lt, ""},
    {"<", "(x::Number, y::Tensor)", t_lt, ""},
    {"<=", "(x::Tensor, y::Tensor)", t_le,
     "    x::Tensor <= y\n\nAs `<`: a Bool for 0-d tensors and numbers, `.<=` elementwise."
     "\n\n# Arguments\n- `x`, `y`: 0-d tensors or numbers.\n\n# Returns\nA Bool." EX(
         "lx> [1, 5] .<= 2\n2-element Tensor{Bool, 1}:\n 1\n 0\n")},
    {"<=", "(x::Tensor, y::Number)", t_le, ""},
    {"<=", "(x::Number, y::Tensor)", t_le, ""},
    {">", "(x::Tensor, y::Tensor)", t_gt,
     "    x::Tensor > y\n\nAs `<`: a Bool for 0-d tensors and numbers, `.>` elementwise."
     "\n\n# Arguments\n- `x`, `y`: 0-d tensors or numbers.\n\n# Returns\nA Bool." EX(
         "lx> [1, 5] .> 2\n2-element Tensor{Bool, 1}:\n 0\n 1\n")},
    {">", "(x::Tensor, y::Number)", t_gt, ""},
    {">", "(x::Number, y::Tensor)", t_gt, ""},
    {">=", "(x::Tensor, y::Tensor)", t_ge,
     "    x::Tensor >= y\n\nAs `<`: a Bool for 0-d tensors and numbers, `.>=` elementwise."
     "\n\n# Arguments\n- `x`, `y`: 0-d tensors or numbers.\n\n# Returns\nA Bool." EX(
         "lx> [1, 5] .>= 5\n2-element Tensor{Bool, 1}:\n 0\n 1\n")},
    {">=", "(x::Tensor, y::Number)", t_ge, ""},
    {">=", "(x::Number, y::Tensor)", t_ge, ""},
    {"==", "(x::Tensor, y::Number)", t_eq,
     "    x::Tensor == y::Number\n\nA 0-d tensor equals a number of the same value; a larger tensor never "
     "does (as a Julia array); `.==` compares elementwise."
     "\n\n# Arguments\n- `x`: a tensor.\n- `y`: a number.\n\n# Returns\nA Bool." EX(
         "lx> [1, 2] == 1\nfalse\n")},
    {"==", "(x::Number, y::Tensor)", t_eq, ""},
    {"!=", "(x::Tensor, y::Number)", t_ne,
     "    x::Tensor != y::Number\n\n`!(x == y)`; `.!=` compares elementwise."
     "\n\n# Arguments\n- `x`: a tensor.\n- `y`: a number.\n\n# Returns\nA Bool." EX(
         "lx> [1, 2] .!= 1\n2-element "
         "Tensor{Bool, 1}:\n 0\n 1\n")},
    {"!=", "(x::Number, y::Tensor)", t_ne, ""},
    {"!", "(x::Tensor)", t_not,
     "    !x::Tensor\n\nNot, for a 0-d Bool tensor; `.!x` (`broadcast(!, x)`) negates a Bool mask "
     "elementwise."
     "\n\n# Arguments\n- `x`: a 0-d Bool tensor.\n\n# Returns\nA Bool." EX(
         "lx> broadcast(!, [true, false])\n2-element Tensor{Bool, 1}:\n 0\n 1\n")},
    {"abs", "(x::Tensor)", t_abs,
     MATHDOC("abs", "The absolute value") EX("lx> abs.([-1, 2])\n2-element Tensor{Int64, 1}:\n 1\n 2\n")},
    {"abs2", "(x::Tensor)", t_abs2,
     MATHDOC("abs2", "The square")
         EX("lx> abs2.([-1.5, 2.0])\n2-element Tensor{Float32, 1}:\n 2.25\n 4.0\n")},
    {"sign", "(x::Tensor)", t_sign,
     MATHDOC("sign", "The sign (-1, 0 or 1)")
         EX("lx> sign.([-3, 0, 2])\n3-element Tensor{Int64, 1}:\n -1\n  0\n  1\n")},
    {"exp", "(x::Tensor)", t_exp,
     MATHDOC("exp", "The exponential")
         EX("lx> exp.([0.0, 1.0])\n2-element Tensor{Float32, 1}:\n 1.0\n 2.7182817\n")},
    {"exp2", "(x::Tensor)", t_exp2,
     MATHDOC("exp2", "2^x") EX("lx> exp2.([3, -1])\n2-element Tensor{Float32, 1}:\n 8.0\n 0.5\n")},
    {"expm1", "(x::Tensor)", t_expm1,
     MATHDOC("expm1", "`exp(x) - 1`, accurate near 0,")
         EX("lx> expm1.(Float64[1e-10])\n1-element Tensor{Float64, 1}:\n 1.00000000005e-10\n")},
    {"log", "(x::Tensor)", t_log,
     MATHDOC("log", "The natural logarithm") " Elementwise, a negative element gives NaN (IEEE); a negative "
                                             "0-d tensor is a DomainError, as a negative number is." EX(
                                                 "lx> log.([1.0, 0.0])\n2-element Tensor{Float32, 1}:\n   "
                                                 "0.0\n -Inf\n")},
    {"log2", "(x::Tensor)", t_log2,
     MATHDOC("log2", "The base-2 logarithm")
         EX("lx> log2.([8, 1])\n2-element Tensor{Float32, 1}:\n 3.0\n 0.0\n")},
    {"log10", "(x::Tensor)", t_log10,
     MATHDOC("log10", "The base-10 logarithm")
         EX("lx> log10.([100, 1000])\n2-element Tensor{Float32, 1}:\n 2.0\n 3.0\n")},
    {"log1p", "(x::Tensor)", t_log1p,
     MATHDOC("log1p", "`log(1 + x)`, accurate near 0,")
         EX("lx> log1p.(Float64[1e-10])\n1-element Tensor{Float64, 1}:\n 9.999999999500001e-11\n")},
    {"sqrt", "(x::Tensor)", t_sqrt,
     MATHDOC("sqrt",
             "The square root") " Elementwise, a negative element gives NaN (IEEE); a negative 0-d tensor is "
                                "a DomainError." EX("lx> sqrt.([4.0, 2.0])\n2-element Tensor{Float32, 1}:\n "
                                                    "2.0\n 1.4142135\n")},
    {"cbrt", "(x::Tensor)", t_cbrt,
     MATHDOC("cbrt", "The cube root")
         EX("lx> cbrt.([-27.0, 8.0])\n2-element Tensor{Float32, 1}:\n -3.0\n  2.0\n")},
    {"sin", "(x::Tensor)", t_sin,
     MATHDOC("sin", "The sine")
         EX("lx> sin.([0.0, 1.0])\n2-element Tensor{Float32, 1}:\n 0.0\n 0.84147096\n")},
    {"cos", "(x::Tensor)", t_cos,
     MATHDOC("cos", "The cosine")
         EX("lx> cos.([0.0, 1.0])\n2-element Tensor{Float32, 1}:\n 1.0\n 0.5403023\n")},
    {"tan", "(x::Tensor)", t_tan,
     MATHDOC("tan", "The tangent")
         EX("lx> tan.([0.0, 1.0])\n2-element Tensor{Float32, 1}:\n 0.0\n 1.5574077\n")},
    {"asin", "(x::Tensor)", t_asin,
     MATHDOC("asin", "The inverse sine")
         EX("lx> asin.([0.0, 1.0])\n2-element Tensor{Float32, 1}:\n 0.0\n 1.5707964\n")},
    {"acos", "(x::Tensor)", t_acos,
     MATHDOC("acos", "The inverse cosine")
         EX("lx> acos.([1.0, 0.0])\n2-element Tensor{Float32, 1}:\n 0.0\n 1.5707964\n")},
    {"atan", "(x::Tensor)", t_atan,
     MATHDOC("atan", "The inverse tangent")
         EX("lx> atan.([0.0, 1.0])\n2-element Tensor{Float32, 1}:\n 0.0\n 0.7853982\n")},
    {"sinh", "(x::Tensor)", t_sinh,
     MATHDOC("sinh", "The hyperbolic sine")
         EX("lx> sinh.([0.0, 1.0])\n2-element Tensor{Float32, 1}:\n 0.0\n 1.1752012\n")},
    {"cosh", "(x::Tensor)", t_cosh,
     MATHDOC("cosh", "The hyperbolic cosine")
         EX("lx> cosh.([0.0, 1.0])\n2-element Tensor{Float32, 1}:\n 1.0\n 1.5430807\n")},
    {"tanh", "(x::Tensor)", t_tanh,
     MATHDOC("tanh", "The hyperbolic tangent")
         EX("lx> tanh.([0.0, 1.0])\n2-element Tensor{Float32, 1}:\n 0.0\n 0.76159424\n")},
    {"floor", "(x::Tensor)", t_floor,
     MATHDOC("floor", "The largest integer not above x,") " Integer tensors stay as they are." EX(
         "lx> floor.([1.5, -1.5])\n2-element Tensor{Float32, 1}:\n  1.0\n -2.0\n")},
    {"floor", "(T::Type, x::Tensor)", t_floor_t, ""},
    {"ceil", "(x::Tensor)", t_ceil,
     MATHDOC("ceil", "The smallest integer not below x,")
         EX("lx> ceil.([1.5, -1.5])\n2-element Tensor{Float32, 1}:\n  2.0\n -1.0\n")},
    {"ceil", "(T::Type, x::Tensor)", t_ceil_t, ""},
    {"round", "(x::Tensor)", t_round,
     MATHDOC("round", "The nearest integer (halves to even)") " `round.(Int, x)` gives an Int64 tensor." EX(
         "lx> round.([0.5, 1.5, 2.6])\n3-element Tensor{Float32, 1}:\n 0.0\n 2.0\n 3.0\n\nlx> round.(Int, "
         "[0.5, 1.5, 2.6])\n3-element Tensor{Int64, 1}:\n 0\n 2\n 3\n")},
    {"round", "(T::Type, x::Tensor)", t_round_t, ""},
    {"trunc", "(x::Tensor)", t_trunc,
     MATHDOC("trunc", "The integer part")
         EX("lx> trunc.([1.5, -1.5])\n2-element Tensor{Float32, 1}:\n  1.0\n -1.0\n")},
    {"trunc", "(T::Type, x::Tensor)", t_trunc_t, ""},
    {"float", "(x::Tensor)", t_float,
     "    float(x::Tensor)\n\nA float tensor: x itself when it already is one, integer and Bool tensors as "
     "Float32 (lx's default float)."
     "\n\n# Arguments\n- `x`: a tensor.\n\n# Returns\n`x` itself for a float tensor, otherwise a new Float32 "
     "tensor of x's size." EX("lx> float([1, 2])\n2-element Tensor{Float32, 1}:\n 1.0\n 2.0\n")},
    {"isnan", "(x::Tensor)", t_isnan,
     MATHDOC("isnan", "Whether it is NaN, as a Bool,")
         EX("lx> isnan.([1.0, NaN])\n2-element Tensor{Bool, 1}:\n 0\n 1\n")},
    {"isinf", "(x::Tensor)", t_isinf,
     MATHDOC("isinf", "Whether it is ±Inf, as a Bool,")
         EX("lx> isinf.([1.0, -Inf])\n2-element Tensor{Bool, 1}:\n 0\n 1\n")},
    {"isfinite", "(x::Tensor)", t_isfinite,
     MATHDOC("isfinite", "Whether it is neither NaN nor ±Inf, as a Bool,")
         EX("lx> isfinite.([1.0, NaN, Inf])\n3-element Tensor{Bool, 1}:\n 1\n 0\n 0\n")},
    {"max", "(x::Tensor, y::Tensor, zs...)", t_max,
     "    max(x::Tensor, y)\n\nThe larger of 0-d tensors and numbers; `max.(x, y)` is elementwise (a larger "
     "tensor without the dot is an error)."
     "\n\n# Arguments\n- `x`, `y`: 0-d tensors or numbers.\n\n# Returns\nThe larger, a number (a tracked "
     "scalar inside `gradient`)." EX("lx> max.([1, 5], 3)\n2-element Tensor{Int64, 1}:\n 3\n 5\n")},
    {"max", "(x::Tensor, y::Number, zs...)", t_max, ""},
    {"max", "(x::Number, y::Tensor, zs...)", t_max, ""},
    {"min", "(x::Tensor, y::Tensor, zs...)", t_min,
     "    min(x::Tensor, y)\n\nThe smaller of 0-d tensors and numbers; `min.(x, y)` is elementwise."
     "\n\n# Arguments\n- `x`, `y`: 0-d tensors or numbers.\n\n# Returns\nThe smaller, a number (a tracked "
     "scalar inside `gradient`)." EX("lx> min.([1, 5], 3)\n2-element Tensor{Int64, 1}:\n 1\n 3\n")},
    {"min", "(x::Tensor, y::Number, zs...)", t_min, ""},
    {"min", "(x::Number, y::Tensor, zs...)", t_min, ""},
    {"clamp", "(x::Tensor, lo, hi)", t_clamp,
     "    clamp(x::Tensor, lo, hi)\n\nEach element limited to [lo, hi] (numbers; Julia's clamp works on "
     "arrays). Differentiable: the gradient passes where lo <= x <= hi."
     "\n\n# Arguments\n- `x`: a tensor.\n- `lo`, `hi`: the bounds, numbers.\n\n# Returns\nA new tensor of "
     "x's size and element type." EX(
         "lx> clamp([-2.0, 0.5, 3.0], -1, 1)\n3-element Tensor{Float32, 1}:\n -1.0\n  0.5\n  1.0\n")},
    {"ifelse", "(c::Bool, a, b)", t_ifelse_bool,
     "    ifelse(c, a, b)\n\n`a` when c is true, else `b`; both are evaluated. Broadcast, `ifelse.(x .> 0, "
     "x, "
     "0.0)` chooses elementwise and is differentiable in both branches: use it instead of `if` or `?:` in "
     "functions broadcast over tensors."
     "\n\n# Arguments\n- `c`: a Bool (elementwise, in a broadcast, a Bool tensor).\n- `a`, `b`: the two "
     "values, both evaluated.\n\n# Returns\n`a` if `c` is true, else `b`; broadcast, a tensor choosing per "
     "element." EX("lx> ifelse(1 > 2, :a, :b)\n:b\n\nlx> ifelse.([true, false], [1.0, "
                   "2.0], 0.0)\n2-element Tensor{Float32, 1}:\n 1.0\n 0.0\n")},
    {"ifelse", "(c, a, b)", t_ifelse, ""},
    {NULL, NULL, NULL, NULL}};

void lxL_open_tensor_arith(lx_State *L)
{
    lxL_register(L, arith_lib);
}
