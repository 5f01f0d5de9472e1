/* tensor_bcast.c — broadcasting with tensors among the arguments: f.(xs...),
 * dotted operators and x .= y (broadcast!).  Julia's shape rule; the numbers
 * among the arguments weakly typed (spec §5).  Known functions (operators,
 * math, activations, comparisons, ifelse, type constructors) run as nn ops.
 * Any other callable runs ONCE on the whole tensors in broadcast mode
 * (L->bcast_mode > 0: * / ^ and scalar math act elementwise, tensor_arith.c),
 * which is fast and differentiable; when it does something with no
 * elementwise meaning, broadcast falls back to calling f per element — and
 * under `gradient` says why it cannot (ARCHITECTURE.md, "Broadcasting user
 * functions").
 */
#include "tensor.h"

#include <string.h>

#define MAXARGS 32
#define SHAPE_BUF 160

typedef struct {
    int ndim;
    int64_t shape[NN_MAX_DIMS];
} bshape;

static bool is_seq(lx_Value v)
{
    return lxO_is(v, LXO_LIST) || lxO_is(v, LXO_TUPLE) || lxO_is(v, LXO_RANGE);
}

static int64_t numel(const bshape *s)
{
    int64_t n = 1;
    for (int d = 0; d < s->ndim; d++)
        n *= s->shape[d];
    return n;
}

/* The name of a callable, for messages. */
static const char *fname_of(lx_State *L, lx_Value f)
{
    if (lxO_is(f, LXO_GENERIC)) return lxO_as(lxO_generic, f)->name->data;
    if (lxO_is(f, LXO_TYPE)) return lxT_name(lxO_as(lxO_type, f));
    if (lxO_is(f, LXO_CLOSURE)) {
        lxO_string *nm = lxO_as(lxO_closure, f)->p->name;
        return nm ? nm->data : "#anonymous";
    }
    return lxT_name(lxT_typeof(L, f));
}

/* Functions whose Tensor methods (tensor_arith.c, activations.c) act elementwise in broadcast mode: their
 * errors are real errors, not a reason to fall back to a loop.  Marked on their generic functions at
 * start-up, so the check per broadcast is one load. */
static const char *const known_names[] = {
    "+",         "-",           "*",          "/",     "^",        "<",        "<=",
    ">",         ">=",          "!",          "abs",   "abs2",     "sign",     "exp",
    "exp2",      "expm1",       "log",        "log2",  "log10",    "log1p",    "sqrt",
    "cbrt",      "sin",         "cos",        "tan",   "asin",     "acos",     "atan",
    "sinh",      "cosh",        "tanh",       "floor", "ceil",     "round",    "trunc",
    "float",     "inv",         "isnan",      "isinf", "isfinite", "max",      "min",
    "clamp",     "ifelse",      "relu",       "relu6", "hardtanh", "sigmoid",  "sigmoid_fast",
    "tanh_fast", "leakyrelu",   "elu",        "gelu",  "swish",    "softplus", "selu",
    "celu",      "hardsigmoid", "logsigmoid", "mish",  "softsign", NULL};

static bool known(lx_Value f)
{
    return lxO_is(f, LXO_GENERIC) && lxO_as(lxO_generic, f)->elementwise;
}

static bool is_named(lx_Value f, const char *name)
{
    return lxO_is(f, LXO_GENERIC) && !strcmp(lxO_as(lxO_generic, f)->name->data, name);
}

/* The broadcast shape of the tensors among xs (Julia's rule: sizes equal or 1, missing dims count as 1). */
static void common_shape(lx_State *L, lx_Value *xs, int n, bshape *cs)
{
    cs->ndim = 0;
    const nn_tensor *first = NULL;
    for (int i = 0; i < n; i++) {
        if (!lxL_istensor(xs[i])) continue;
        const nn_tensor *t = lxL_tval(xs[i]);
        int nd = t->ndim > cs->ndim ? t->ndim : cs->ndim;
        for (int d = 0; d < nd; d++) {
            int64_t a = d < cs->ndim ? cs->shape[d] : 1, b = d < t->ndim ? t->shape[d] : 1;
            if (a != b && a != 1 && b != 1) {
                char s1[SHAPE_BUF], s2[SHAPE_BUF];
                lxE_error(
                    L, LXT_DimensionMismatch,
                    "broadcast: arrays could not be broadcast to a common size: a Tensor of size %s and "
                    "one of size %s (dimension %d: %lld vs %lld)",
                    nn_shape_str(s1, sizeof s1, first->ndim, first->shape),
                    nn_shape_str(s2, sizeof s2, t->ndim, t->shape), d + 1, (long long)a, (long long)b);
            }
            cs->shape[d] = a == 1 ? b : a;
        }
        cs->ndim = nd;
        if (!first) first = t;
    }
}

/* ---- results --------------------------------------------------------------------------------- */

/* The element type per-element results take (the literal rule: all Bool → Bool, all integers → Int64, any
 * float → Float32, or Float64 when a Float64 tensor was among the arguments). */
static nn_dtype literal_dtype(bool allbool, bool anyfloat, bool anyf64)
{
    return allbool ? NN_BOOL : anyfloat ? (anyf64 ? NN_F64 : NN_F32) : NN_I64;
}

static bool any_f64(lx_Value *xs, int n)
{
    for (int i = 0; i < n; i++)
        if (lxL_istensor(xs[i]) && lxL_tval(xs[i])->dtype == NN_F64) return true;
    return false;
}

/* Whether t's shape broadcasts into cs without adding dims (each of its dims equal or 1). */
static bool fits_into(const nn_tensor *t, const bshape *cs)
{
    if (t->ndim > cs->ndim) return false;
    for (int d = 0; d < t->ndim; d++)
        if (t->shape[d] != cs->shape[d] && t->shape[d] != 1) return false;
    return true;
}

/* What a whole-tensor run of f gave, made the broadcast's result: a tensor of the common shape (a new one,
 * never an argument itself), or false when it cannot be. */
static bool fit(lx_State *L, lx_Value r, const bshape *cs, lx_Value *xs, int nx, lx_Value *out)
{
    nn_tensor *t = NULL;
    if (cs->ndim == 0 && !lxL_istensor(r)) { /* f.(0-d tensors) is a scalar, as in Julia */
        *out = r;
        return true;
    }
    if (lxO_isnumber(r)) {
        nn_dtype dt =
            literal_dtype(r.tag == LX_TBOOL, r.tag == LX_TFLOAT32 || r.tag == LX_TFLOAT64, any_f64(xs, nx));
        *out = lxL_result(L, nn_full(L->nn, &t, dt, cs->ndim, cs->shape, lxO_tonumber(r)), &t);
        return true;
    }
    if (!lxL_istensor(r) || !fits_into(lxL_tval(r), cs)) return false;
    nn_tensor *rt = lxL_tval(r);
    if (rt->ndim == cs->ndim && !memcmp(rt->shape, cs->shape, (size_t)cs->ndim * sizeof *cs->shape)) {
        for (int i = 0; i < nx; i++)
            if (lxL_istensor(xs[i]) && lxL_tval(xs[i])->storage == rt->storage) { /* f(x) = x */
                *out = lxL_scalar(L, nn_copy(L->nn, &t, rt), &t);
                return true;
            }
        if (cs->ndim == 0) { /* a number unless tracked */
            t = nn_retain(rt);
            r = lxL_scalar(L, NN_OK, &t);
        }
        *out = r;
        return true;
    }
    /* a smaller result (f(x, y) = 2y): spread over the common shape, differentiably (ifelse's backward sums
     * the gradient back) */
    nn_tensor *z = NULL, *yes = NULL;
    nn_status s = nn_zeros(L->nn, &z, rt->dtype, cs->ndim, cs->shape);
    if (!s) s = nn_scalar(L->nn, &yes, NN_BOOL, 1);
    if (!s) s = nn_ifelse(L->nn, &t, yes, rt, z);
    nn_release(z);
    nn_release(yes);
    *out = lxL_scalar(L, s, &t);
    return true;
}

/* ---- the per-element loop -------------------------------------------------------------------- */

static lx_Value per_element(lx_State *L, lx_Value f, lx_Value *xs, int nx, const bshape *cs)
{
    lx_Value cur[MAXARGS];
    if (cs->ndim == 0) { /* 0-d tensors: one call on their values, whatever it returns */
        for (int k = 0; k < nx; k++)
            cur[k] = lxL_istensor(xs[k]) ? lxL_elem(L, lxL_tval(xs[k]), 0) : xs[k];
        return lxV_call(L, f, cur, nx, lxO_nothing());
    }
    int64_t n = numel(cs);
    nn_tensor *buf;
    lx_Value hold = lxL_result(L, nn_empty(L->nn, &buf, NN_F64, cs->ndim, cs->shape), &buf);
    int mark = lxV_root(L, hold);
    /* each tensor's element strides over the common shape (0 along its size-1 dims) */
    int64_t stride[MAXARGS][NN_MAX_DIMS], off[MAXARGS], idx[NN_MAX_DIMS];
    for (int k = 0; k < nx; k++) {
        off[k] = 0;
        const nn_tensor *t = lxL_istensor(xs[k]) ? lxL_tval(xs[k]) : NULL;
        int64_t st = 1;
        for (int d = 0; d < cs->ndim; d++) {
            int64_t len = t && d < t->ndim ? t->shape[d] : 1;
            stride[k][d] = len == 1 ? 0 : st;
            st *= len;
        }
    }
    memset(idx, 0, sizeof idx);
    bool allbool = true, anyfloat = false;
    for (int64_t i = 0; i < n; i++) {
        for (int k = 0; k < nx; k++)
            cur[k] = lxL_istensor(xs[k]) ? lxL_elem(L, lxL_tval(xs[k]), off[k]) : xs[k];
        lx_Value y = lxV_call(L, f, cur, nx, lxO_nothing());
        if (!lxO_isnumber(y))
            lxE_error(
                L, LXT_ArgumentError,
                "broadcast: %s returned a value of type %s for element %lld; a Tensor holds numbers only",
                fname_of(L, f), lxT_name(lxT_typeof(L, y)), (long long)i + 1);
        allbool &= y.tag == LX_TBOOL;
        anyfloat |= y.tag == LX_TFLOAT32 || y.tag == LX_TFLOAT64;
        nn_set(buf, i, lxO_tonumber(y));
        for (int d = 0; d < cs->ndim; d++) { /* next position, column-major */
            for (int k = 0; k < nx; k++)
                off[k] += stride[k][d];
            if (++idx[d] < cs->shape[d]) break;
            for (int k = 0; k < nx; k++)
                off[k] -= stride[k][d] * cs->shape[d];
            idx[d] = 0;
        }
    }
    nn_dtype dt = literal_dtype(allbool && n > 0, anyfloat || n == 0, any_f64(xs, nx));
    lx_Value r = hold;
    if (dt != NN_F64) {
        nn_tensor *out;
        r = lxL_result(L, nn_convert(L->nn, &out, buf, dt), &out);
    }
    lxV_unroot(L, mark);
    return r;
}

/* ---- running f on whole tensors -------------------------------------------------------------- */

static bool fatal(lx_State *L, lx_Value exc)
{
    lxO_type *t = lxT_typeof(L, exc);
    return t == L->T[LXT_InterruptException] || t == L->T[LXT_OutOfMemoryError] ||
           t == L->T[LXT_StackOverflowError];
}

static lx_Value lifted(lx_State *L, lx_Value f, lx_Value *xs, int nx, const bshape *cs, bool tracked)
{
    lx_Value res;
    if (known(f)) { /* no fallback to prepare for: a plain call (an error unwinding restores the mode) */
        L->bcast_mode++;
        res = lxV_call(L, f, xs, nx, lxO_nothing());
        L->bcast_mode--;
        lx_Value out;
        int mark = lxV_root(L, res);
        if (fit(L, res, cs, xs, nx, &out)) {
            lxV_unroot(L, mark);
            return out;
        }
        lxV_unroot(L, mark);
    }
    L->bcast_mode++;
    lx_Status st = lxV_pcall(L, f, xs, nx, lxO_nothing(), &res);
    L->bcast_mode--;
    if (st == LX_ERRMEM) lxE_throw(L, L->oom);
    lx_Value out;
    lxW_buf why;
    if (st == LX_OK) {
        int mark = lxV_root(L, res);
        bool ok = fit(L, res, cs, xs, nx, &out);
        lxV_unroot(L, mark);
        if (ok) return out;
        lxW_init(L, &why);
        if (lxL_istensor(res)) {
            char s[SHAPE_BUF];
            lxW_printf(&why, "it returned a Tensor of size %s",
                       nn_shape_str(s, sizeof s, lxL_tval(res)->ndim, lxL_tval(res)->shape));
        } else {
            lxW_printf(&why, "it returned a value of type %s", lxT_name(lxT_typeof(L, res)));
        }
    } else {
        if (fatal(L, res) || (lxT_typeof(L, res) != L->T[LXT_MethodError] && known(f))) lxE_throw(L, res);
        int mark = lxV_root(L, res);
        lxW_init(L, &why);
        lxW_showerror(&why, res);
        lxV_unroot(L, mark);
    }
    if (tracked) {
        const char *nm = fname_of(L, f);
        lxE_error(
            L, LXT_ArgumentError,
            "broadcast: %s.(x) could not run on whole tensors (%s), and a per-element loop cannot be "
            "differentiated; write %s with operations that act on whole tensors — ifelse(c, a, b) instead "
            "of if or ?:, no indexing, reductions or loops over elements",
            nm, why.s ? why.s : "", nm);
    }
    lxW_free(&why);
    return per_element(L, f, xs, nx, cs);
}

/* The weak typing of a List or Range among tensors: like a literal, it does not widen a Float32 tensor. */
static void weak_seq(lx_State *L, lx_Value *xs, int nx, const bool *fromseq)
{
    nn_dtype widest = NN_NUM_DTYPES;
    for (int i = 0; i < nx; i++)
        if (!fromseq[i] && lxL_istensor(xs[i]) && nn_dtype_is_float(lxL_tval(xs[i])->dtype))
            widest = widest == NN_F64 ? NN_F64 : lxL_tval(xs[i])->dtype;
    for (int i = 0; i < nx; i++) {
        if (!fromseq[i]) continue;
        nn_tensor *t = lxL_tval(xs[i]), *c;
        nn_dtype want = t->dtype == NN_F64 && widest != NN_NUM_DTYPES ? widest : t->dtype;
        if (want != t->dtype) xs[i] = lxL_result(L, nn_convert(L->nn, &c, t, want), &c);
    }
}

/* The generic functions that are one nn op on float tensors, marked in their nnop field: a unary op u as
 * u + 1, a binary op b as NNOP_BINARY + b. */
#define NNOP_BINARY 1000
static const struct {
    const char *name;
    int op;
} direct_ops[] = {{"+", NNOP_BINARY + NN_ADD},
                  {"-", NNOP_BINARY + NN_SUB},
                  {"*", NNOP_BINARY + NN_MUL},
                  {"/", NNOP_BINARY + NN_DIV},
                  {"max", NNOP_BINARY + NN_MAX},
                  {"min", NNOP_BINARY + NN_MIN},
                  {NULL, 0}};

static void mark_direct_ops(lx_State *L)
{
    for (int i = 0; direct_ops[i].name; i++) {
        lx_Value g = lxG_get(L, direct_ops[i].name);
        if (lxO_is(g, LXO_GENERIC)) lxO_as(lxO_generic, g)->nnop = (int16_t)direct_ops[i].op;
    }
    for (int op = 0; op < NN_NUM_UNARY; op++) {
        lx_Value g = lxG_get(L, nn_unary_name((nn_unary_op)op));
        /* only functions whose tensor methods are the elementwise op itself */
        if (lxO_is(g, LXO_GENERIC) && lxO_as(lxO_generic, g)->elementwise)
            lxO_as(lxO_generic, g)->nnop = (int16_t)(op + 1);
    }
}

/* The common case first: an operator or activation on float tensors of one element type, outside broadcast
 * mode, is the nn op itself (what its tensor method would compute, without two dispatches on the way). */
static bool direct(lx_State *L, lx_Value f, lx_Value *xs, int nx, lx_Value *out)
{
    if (!lxO_is(f, LXO_GENERIC) || L->bcast_mode) return false;
    int op = lxO_as(lxO_generic, f)->nnop;
    if (!op) return false;
    for (int i = 0; i < nx; i++)
        if (!lxL_istensor(xs[i]) || !nn_dtype_is_float(lxL_tval(xs[i])->dtype) ||
            lxL_tval(xs[i])->dtype != lxL_tval(xs[0])->dtype)
            return false;
    nn_tensor *t = NULL;
    if (op < NNOP_BINARY && nx == 1) {
        *out = lxL_scalar(L, nn_unary(L->nn, &t, (nn_unary_op)(op - 1), lxL_tval(xs[0])), &t);
        return true;
    }
    if (op >= NNOP_BINARY && nx == 2) {
        *out = lxL_scalar(
            L, nn_binary(L->nn, &t, (nn_binary_op)(op - NNOP_BINARY), lxL_tval(xs[0]), lxL_tval(xs[1])), &t);
        return true;
    }
    return false;
}

lx_Value lxL_tensor_broadcast(lx_State *L, lx_Value f, lx_Value *args, int nx)
{
    lx_Value quick;
    if (direct(L, f, args, nx, &quick)) return quick;
    if (nx > MAXARGS) lxE_error(L, LXT_ArgumentError, "broadcast: at most %d arguments", MAXARGS);
    lx_Value xs[MAXARGS];
    bool fromseq[MAXARGS];
    int mark = lxV_root(L, f);
    for (int i = 0; i < nx; i++) {
        xs[i] = args[i];
        fromseq[i] = false;
        if (lxO_is(xs[i], LXO_DICT) || lxO_is(xs[i], LXO_NTUPLE))
            lxE_error(L, LXT_ArgumentError, "broadcasting over dictionaries and `NamedTuple`s is reserved");
        if (is_seq(xs[i])) {
            lx_Value hold;
            lxL_totensor(L, xs[i], NULL, "broadcast", &hold);
            xs[i] = hold;
            fromseq[i] = true;
        }
    }
    weak_seq(L, xs, nx, fromseq);
    for (int i = 0; i < nx; i++)
        lxV_root(L, xs[i]);
    bshape cs;
    common_shape(L, xs, nx, &cs);
    bool tracked = false;
    for (int i = 0; i < nx; i++)
        tracked |= lxL_istensor(xs[i]) && nn_is_tracked(lxL_tval(xs[i]));
    nn_dtype dt;
    nn_tensor *out;
    lx_Value r;
    if (lxL_dtype_of(L, f, &dt) && nx == 1 && lxL_istensor(xs[0])) { /* Float64.(x), Int.(x), ... */
        nn_status s = nn_convert(L->nn, &out, lxL_tval(xs[0]), dt);
        r = lxL_scalar(L, s, &out);
    } else if (is_named(f, "identity") && nx == 1 && lxL_istensor(xs[0])) { /* identity.(x) copies */
        r = lxL_scalar(L, nn_copy(L->nn, &out, lxL_tval(xs[0])), &out);
    } else if ((is_named(f, "==") || is_named(f, "!=")) &&
               nx == 2) { /* .== elementwise (== is whole-array) */
        lx_Value ha, hb;
        const nn_tensor *like = lxL_istensor(xs[0]) ? lxL_tval(xs[0]) : lxL_tval(xs[1]);
        nn_tensor *a = lxL_totensor(L, xs[0], like, "broadcast", &ha),
                  *b = lxL_totensor(L, xs[1], like, "broadcast", &hb);
        r = lxL_scalar(L, nn_compare(L->nn, &out, is_named(f, "==") ? NN_EQ : NN_NE, a, b), &out);
    } else {
        r = lifted(L, f, xs, nx, &cs, tracked);
    }
    lxV_unroot(L, mark);
    return r;
}

/* ---- broadcast! ------------------------------------------------------------------------------ */

static lx_Value b_broadcast_bang(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)kw;
    lx_Value f = a[0], dest = a[1], *xs = a + 2;
    int nx = n - 2;
    nn_tensor *d = lxL_tval(dest);
    char s1[SHAPE_BUF];
    if (nn_is_tracked(d))
        lxE_error(
            L, LXT_ErrorException,
            "broadcast!: mutating a tensor that gradient is tracking (a Tensor of size %s) would break the "
            "gradient; compute a new tensor instead (y = f.(x) rather than x .= f.(x))",
            nn_shape_str(s1, sizeof s1, d->ndim, d->shape));
    bool anytensor = false, anyseq = false;
    for (int i = 0; i < nx; i++) {
        anytensor |= lxL_istensor(xs[i]);
        anyseq |= is_seq(xs[i]);
    }
    lx_Value src;
    if (is_named(f, "identity") && nx == 1)
        src = xs[0];
    else if (anytensor)
        src = lxL_tensor_broadcast(L, f, xs, nx);
    else if (anyseq) {
        lx_Value args[MAXARGS + 1];
        if (nx > MAXARGS) lxE_error(L, LXT_ArgumentError, "broadcast!: at most %d arguments", MAXARGS);
        args[0] = f;
        memcpy(args + 1, xs, (size_t)nx * sizeof *xs);
        src = lxL_callg(L, "broadcast", args, nx + 1);
    } else {
        src = lxV_call(L, f, xs, nx, lxO_nothing());
    }
    int mark = lxV_root(L, src);
    nn_status s;
    if (lxO_isnumber(src)) {
        s = nn_fill_(L->nn, d, lxO_tonumber(src));
    } else {
        lx_Value hold;
        if (!lxL_istensor(src) && !is_seq(src))
            lxE_error(L, LXT_ArgumentError, "broadcast!: cannot write a value of type %s into a Tensor",
                      lxT_name(lxT_typeof(L, src)));
        nn_tensor *t = lxL_totensor(L, src, d, "broadcast!", &hold);
        s = t == d ? NN_OK : nn_copy_(L->nn, d, t);
    }
    lxL_nncheck(L, s); /* an inexact conversion raises InexactError (lxE_nn) */
    lxV_unroot(L, mark);
    return dest;
}

/* ---- __dense: f.(A * B .+ c) as one op --------------------------------------------------------- */

bool lxL_actop(lx_State *L, lx_Value f, nn_unary_op *act)
{
    if (f.tag == LX_TNOTHING) {
        *act = NN_IDENTITY;
        return true;
    }
    if (!known(f)) return false;
    const char *nm = lxO_as(lxO_generic, f)->name->data;
    for (int op = 0; op < NN_NUM_UNARY; op++)
        if (!strcmp(nn_unary_name((nn_unary_op)op), nm)) {
            *act = (nn_unary_op)op;
            return true;
        }
    return false;
}

/* The compiler's form of f.(A * B .+ c) (f nothing: A * B .+ c): float matrices of one element type and a
 * bias vector run as nn_dense (the product, bias and activation in one pass after the GEMM, one node under
 * gradient); anything else runs as the calls it is written as. */
static lx_Value b_dense(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)n;
    (void)kw;
    lx_Value f = a[0], A = a[1], B = a[2], c = a[3];
    nn_unary_op act;
    if (L->bcast_mode == 0 && lxL_istensor(A) && lxL_istensor(B) && lxL_istensor(c) &&
        lxL_actop(L, f, &act)) {
        nn_tensor *w = lxL_tval(A), *x = lxL_tval(B), *b = lxL_tval(c), *y = NULL;
        if (nn_dtype_is_float(w->dtype) && x->dtype == w->dtype && b->dtype == w->dtype && w->ndim == 2 &&
            x->ndim == 2 && w->shape[1] == x->shape[0] && b->ndim == 1 && b->shape[0] == w->shape[0])
            return lxL_result(L, nn_dense(L->nn, &y, w, x, b, act), &y);
    }
    int mark = lxV_root(L, f);
    lxV_root(L, c);
    lx_Value prod = lxL_callg(L, "*", a + 1, 2);
    lxV_root(L, prod);
    lx_Value sum[3] = {lxG_get(L, "+"), prod, c};
    lx_Value r = lxL_callg(L, "broadcast", sum, 3);
    if (f.tag != LX_TNOTHING) {
        lx_Value app[2] = {f, r};
        lxV_root(L, r);
        r = lxL_callg(L, "broadcast", app, 2);
    }
    lxV_unroot(L, mark);
    return r;
}

#define EX(body) "\n\n# Examples\n```\n" body "```"

static lx_Value b_broadcast(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)kw;
    return lxL_tensor_broadcast(L, a[0], a + 1, n - 1);
}

static const lxL_Reg bcast_lib[] = {
    {"__dense", "(f, A, B, c)", b_dense, ""},
    {"broadcast", "(f, x::Tensor, xs...)", b_broadcast,
     "    broadcast(f, xs...)\n    f.(xs...)\n\nWith tensors among the arguments: a tensor of the arguments' "
     "common size (Julia's rule: sizes equal or 1); numbers next to a tensor are weakly typed (`x .* 2.0` "
     "stays "
     "Float32), Lists and Ranges act as vectors. Operators, math and activation functions, comparisons, "
     "`ifelse` and conversions such as `Float64.(x)` run as tensor ops. Any other function runs once on the "
     "whole tensors, its `*`, `/`, `^` and scalar math acting elementwise, so it is fast and differentiable; "
     "when it does something with no elementwise meaning (an `if` on a value, indexing, a reduction) "
     "broadcast calls it per element instead, which `gradient` cannot differentiate: use `ifelse` there."
     "\n\n# Arguments\n- `f`: the function applied elementwise.\n- `xs`: tensors, numbers, Lists or Ranges "
     "(at least one tensor for this method).\n\n# Returns\nA new tensor of the arguments' common size, in "
     "the element type f gives." EX(
         "lx> f(x) = 2x^2 + 1;\n\nlx> f.([1.0, 2.0])\n2-element Tensor{Float32, 1}:\n 3.0\n 9.0\n\nlx> [1, "
         "2, "
         "3] .+ [10 20]\n3×2 Tensor{Int64, 2}:\n 11  21\n 12  22\n 13  23\n")},
    {"broadcast!", "(f, dest::Tensor, xs...)", b_broadcast_bang,
     "    broadcast!(f, dest::Tensor, xs...)\n    dest .= expr\n\n`broadcast(f, xs...)` written into the "
     "tensor "
     "dest (converted to its element type, broadcast to its size); returns dest. A tensor that `gradient` "
     "tracks cannot be written into.\n\n# Arguments\n- `f`: the function applied elementwise.\n- `dest`: "
     "the tensor written into.\n- `xs`: tensors, numbers, Lists or Ranges broadcast to dest's size.\n\n"
     "# Returns\ndest, overwritten." EX("lx> x = zeros(3); x .= [1, 2, 3] .* 2; x\n3-element Tensor{Float32, "
                                        "1}:\n 2.0\n 4.0\n 6.0\n")},
    {NULL, NULL, NULL, NULL}};

void lxL_open_tensor_bcast(lx_State *L)
{
    lxL_register(L, bcast_lib);
    for (int i = 0; known_names[i]; i++) {
        lx_Value g = lxG_get(L, known_names[i]);
        if (lxO_is(g, LXO_GENERIC)) lxO_as(lxO_generic, g)->elementwise = true;
    }
    mark_direct_ops(L);
    /* their aliases are the same generic functions (σ is sigmoid) */
}
