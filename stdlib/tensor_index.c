/* tensor_index.c — indexing tensors as Julia indexes arrays: x[i], x[i, j],
 * ranges, `:`, integer vectors and Bool masks (nn_getindex, differentiable;
 * copies, as Julia's, and views through `view`),
 * x[...] = v and x[...] .= v (nn_setindex_, refused on tracked tensors), the
 * size queries (size, length, ndims, axes, lastindex for `end`) and the
 * iterate protocol (the elements as numbers, column-major).
 */
#include "tensor.h"

#include <math.h>
#include <string.h>

/* ---- index arguments ------------------------------------------------------------------------------ */

static void invalid_index(lx_State *L, lx_Value v, const char *fname) __attribute__((noreturn));
static void invalid_index(lx_State *L, lx_Value v, const char *fname)
{
    lxW_buf b;
    lxW_init(L, &b);
    lxW_repr(&b, v);
    char msg[300];
    snprintf(msg, sizeof msg,
             "%s: invalid index: %.120s of type %s (indices are integers, ranges of integers, "
             "`:`, integer vectors and Bool masks)",
             fname, b.s ? b.s : "", lxT_name(lxT_typeof(L, v)));
    lxW_free(&b);
    lxE_throw(L, lxE_new(L, LXT_ArgumentError, msg));
}

/* One index value as an nn_index.  A List of integers (or Bools) becomes a
 * tensor owned by *hold; an Int tensor of one element with no dims (a 0-d
 * tensor) is a scalar index. */
static void to_index(lx_State *L, lx_Value v, nn_index *ix, lx_Value *hold, const char *fname)
{
    memset(ix, 0, sizeof *ix);
    switch (v.tag) {
    case LX_TINT: ix->kind = NN_IDX_SCALAR, ix->i = v.v.i; return;
    case LX_TSYMBOL:
        if (!strcmp(((lxO_string *)v.v.o)->data, ":")) {
            ix->kind = NN_IDX_ALL;
            return;
        }
        invalid_index(L, v, fname);
    default: break;
    }
    if (lxO_is(v, LXO_RANGE)) {
        lxO_range *r = lxO_as(lxO_range, v);
        if (r->isfloat) invalid_index(L, v, fname);
        ix->kind = NN_IDX_RANGE;
        ix->start = r->start.i;
        ix->step = r->step.i;
        ix->stop = r->start.i + (r->len - 1) * r->step.i; /* start - step when empty: no positions */
        return;
    }
    const nn_tensor *t = NULL;
    if (lxL_istensor(v)) {
        t = lxL_tval(v);
    } else if (lxO_is(v, LXO_LIST)) {
        if (lxO_as(lxO_list, v)->n == 0) { /* [] selects nothing */
            int64_t z = 0;
            nn_tensor *e = NULL;
            *hold = lxL_result(L, nn_empty(L->nn, &e, NN_I64, 1, &z), &e);
            t = e;
        } else {
            t = lxL_totensor(L, v, NULL, fname, hold);
        }
    } else {
        invalid_index(L, v, fname);
    }
    if (t->dtype == NN_BOOL) {
        ix->kind = NN_IDX_MASK;
    } else if (t->dtype == NN_I64 || t->dtype == NN_I32) {
        if (t->ndim == 0) {
            ix->kind = NN_IDX_SCALAR;
            ix->i = t->dtype == NN_I64 ? *(const int64_t *)nn_data(t) : *(const int32_t *)nn_data(t);
            return;
        }
        ix->kind = NN_IDX_VECTOR;
    } else {
        invalid_index(L, v, fname);
    }
    ix->t = t;
}

/* The index arguments a[0..n) as nn_indexes; holds keeps the tensors made
 * for Lists (alive while the caller runs plain C). */
static void to_indices(lx_State *L, lx_Value *a, int n, nn_index *ix, lx_Value *holds, const char *fname)
{
    if (n > NN_MAX_DIMS)
        lxE_error(L, LXT_ArgumentError, "%s: %d indices (at most %d)", fname, n, NN_MAX_DIMS);
    for (int i = 0; i < n; i++) {
        holds[i] = lxO_nothing();
        to_index(L, a[i], &ix[i], &holds[i], fname);
    }
}

/* Julia's BoundsError, worded as nn words it: "getindex: attempt to access
 * (2, 3) Float32 tensor at index [3, 1]". */
static void bounds_error(lx_State *L, const nn_tensor *x, int n, const nn_index *ix, const char *fname)
    __attribute__((noreturn));
static void bounds_error(lx_State *L, const nn_tensor *x, int n, const nn_index *ix, const char *fname)
{
    char sh[64];
    lxW_buf b;
    lxW_init(L, &b);
    lxW_printf(&b, "%s: attempt to access %s %s tensor at index [", fname,
               nn_shape_str(sh, sizeof sh, x->ndim, x->shape), nn_dtype_name(x->dtype));
    for (int d = 0; d < n; d++) {
        if (d) lxW_puts(&b, ", ");
        switch (ix[d].kind) {
        case NN_IDX_ALL: lxW_puts(&b, ":"); break;
        case NN_IDX_SCALAR: lxW_printf(&b, "%lld", (long long)ix[d].i); break;
        case NN_IDX_RANGE:
            if (ix[d].step == 1)
                lxW_printf(&b, "%lld:%lld", (long long)ix[d].start, (long long)ix[d].stop);
            else
                lxW_printf(&b, "%lld:%lld:%lld", (long long)ix[d].start, (long long)ix[d].step,
                           (long long)ix[d].stop);
            break;
        default:
            lxW_puts(&b, ix[d].kind == NN_IDX_MASK ? "Bool[" : "[");
            for (int64_t i = 0; i < ix[d].t->numel && i < 8; i++)
                lxW_printf(&b, i ? ", %lld" : "%lld", (long long)nn_get(ix[d].t, i));
            lxW_puts(&b, ix[d].t->numel > 8 ? ", ...]" : "]");
        }
    }
    lxW_puts(&b, "]");
    lx_Value e = lxE_new(L, LXT_BoundsError, b.s);
    lxW_free(&b);
    lxE_throw(L, e);
}

/* Positions outside x, found before nn computes offsets from them (an index
 * near typemax(Int) would overflow there).  Dims as Julia reads them: the
 * last index runs over all the remaining dims. */
static void check_bounds(lx_State *L, const nn_tensor *x, int n, const nn_index *ix, const char *fname)
{
    for (int d = 0; d < n; d++) {
        int64_t eff = d < x->ndim ? x->shape[d] : 1;
        if (d == n - 1)
            for (int j = d + 1; j < x->ndim; j++)
                eff *= x->shape[j];
        const nn_index *k = &ix[d];
        bool bad = false;
        if (k->kind == NN_IDX_SCALAR) {
            bad = k->i < 1 || k->i > eff;
        } else if (k->kind == NN_IDX_RANGE && k->step != 0) {
            bool empty = k->step > 0 ? k->stop < k->start : k->stop > k->start;
            bad = !empty && (k->start < 1 || k->start > eff || k->stop < 1 || k->stop > eff);
        } else if (k->kind == NN_IDX_VECTOR) {
            for (int64_t i = 0; i < k->t->numel && !bad; i++) {
                double v = nn_get(k->t, i);
                bad = v < 1 || v > (double)eff;
            }
        }
        if (bad) bounds_error(L, x, n, ix, fname);
    }
}

/* The element offset of integer indices a[0..n) in x, when they are all
 * integers within bounds of a plain layout (one linear index, or one per
 * dim); -1 otherwise (the general path then finds the error, if any). */
static int64_t scalar_offset(const nn_tensor *x, lx_Value *a, int n)
{
    if (n == 1) {
        if (a[0].tag != LX_TINT || a[0].v.i < 1 || a[0].v.i > x->numel) return -1;
        return a[0].v.i - 1;
    }
    if (n != x->ndim) return -1;
    int64_t off = 0, stride = 1;
    for (int d = 0; d < n; d++) {
        if (a[d].tag != LX_TINT || a[d].v.i < 1 || a[d].v.i > x->shape[d]) return -1;
        off += (a[d].v.i - 1) * stride;
        stride *= x->shape[d];
    }
    return off;
}

/* ---- getindex --------------------------------------------------------------------------------------- */

/* x[i...] (a view of x's memory when `view` and the selection is contiguous) */
static lx_Value index_tensor(lx_State *L, lx_Value *a, int n, bool view)
{
    nn_tensor *x = lxL_tval(a[0]);
    int ni = n - 1;
    if (!view && !nn_is_tracked(x) && nn_tensor_device(x) == NN_CPU) { /* x[i], x[i, j]: no tensor made */
        int64_t off = scalar_offset(x, a + 1, ni);
        if (off >= 0) return lxL_elem(L, x, off);
    }
    nn_index ix[NN_MAX_DIMS];
    lx_Value holds[NN_MAX_DIMS];
    to_indices(L, a + 1, ni, ix, holds, view ? "view" : "getindex");
    check_bounds(L, x, ni, ix, view ? "view" : "getindex");
    bool scalar = true;
    for (int i = 0; i < ni; i++)
        scalar = scalar && ix[i].kind == NN_IDX_SCALAR;
    nn_tensor *out = NULL;
    nn_status s = nn_getindex(L->nn, &out, x, ni, ix);
    if (scalar && !view) return lxL_scalar(L, s, &out);
    lx_Value r = lxL_result(L, s, &out);
    if (view || out->storage != x->storage || nn_is_tracked(out)) return r;
    /* Julia's x[...] is a copy: writing into it must not change x (views are
     * view's business); a tracked result cannot be written into anyway */
    nn_tensor *c = NULL;
    return lxL_result(L, nn_copy(L->nn, &c, out), &c);
}

static lx_Value t_getindex(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "indexing");
    return index_tensor(L, a, n, false);
}

static lx_Value t_view(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "view");
    return index_tensor(L, a, n, true);
}

/* A number is a 0-d container of itself (Julia's): x[], x[1], x[1, 1]. */
static lx_Value n_getindex(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    for (int i = 1; i < n; i++)
        if (a[i].tag != LX_TINT || a[i].v.i != 1) {
            if (a[i].tag == LX_TINT) {
                lxO_struct *e = lxO_struct_new(L, L->T[LXT_BoundsError]);
                e->fields[0] = a[0];
                e->fields[1] = a[i];
                lxE_throw(L, lxO_obj(e));
            }
            invalid_index(L, a[i], "getindex");
        }
    return a[0];
}

/* ---- setindex! and .= -------------------------------------------------------------------------------- */

/* Julia's InexactError when a value does not fit x's integer or Bool element type. */
static void check_exact_value(lx_State *L, const nn_tensor *x, double d, const char *fname)
{
    bool ok = x->dtype == NN_BOOL ? d == 0 || d == 1 : d == trunc(d) && fabs(d) < 9.3e18;
    if (ok) return;
    char msg[200];
    snprintf(msg, sizeof msg, "%s: %s(%.17g) is not exact: the tensor holds %s elements", fname,
             nn_dtype_name(x->dtype), d, nn_dtype_name(x->dtype));
    lxE_throw(L, lxE_new(L, LXT_InexactError, msg));
}

static void check_exact(lx_State *L, const nn_tensor *x, const nn_tensor *v, const char *fname)
{
    if (nn_dtype_is_float(x->dtype) || nn_tensor_device(v) != NN_CPU) return;
    if (!nn_dtype_is_float(v->dtype) && (x->dtype != NN_BOOL || v->dtype == NN_BOOL)) return;
    for (int64_t i = 0; i < v->numel; i++)
        check_exact_value(L, x, nn_get(v, i), fname);
}

/* Writing into x (or its storage) while gradient tracks it would corrupt
 * the gradient: Zygote's "Mutating arrays is not supported". */
static void check_mutable(lx_State *L, const nn_tensor *x, const char *fname)
{
    if (nn_is_tracked(x))
        lxE_error(
            L, LXT_ErrorException,
            "%s: mutating a tensor that gradient is tracking (an argument of the function being "
            "differentiated, or computed from one) is not supported; build a new tensor instead (x .* mask, "
            "ifelse.(...), vcat, map or a comprehension)",
            fname);
}

/* v as a tensor to store into x; raises when v is tracked by gradient (its
 * gradient would be lost in x) or does not fit x's element type. */
static nn_tensor *value_tensor(lx_State *L, const nn_tensor *x, lx_Value v, lx_Value *hold, const char *fname)
{
    if (!lxL_istensor(v) && !lxO_isnumber(v) && !lxO_is(v, LXO_LIST) && !lxO_is(v, LXO_TUPLE) &&
        !lxO_is(v, LXO_RANGE))
        lxE_error(L, LXT_ArgumentError, "%s: cannot store a value of type %s in a %s tensor", fname,
                  lxT_name(lxT_typeof(L, v)), nn_dtype_name(x->dtype));
    check_mutable(L, x, fname);
    nn_tensor *t = lxL_totensor(L, v, x, fname, hold);
    if (nn_is_tracked(t))
        lxE_error(L, LXT_ErrorException,
                  "%s: the value depends on a tensor that gradient is tracking, and writing it into another "
                  "tensor would lose its gradient; build the result without mutation (vcat, hcat, stack, map "
                  "or a comprehension) instead",
                  fname);
    check_exact(L, x, t, fname);
    return t;
}

/* The selection's shape for indices ix on x (as nn_getindex would make it). */
static int selection_shape(const nn_tensor *x, int ni, const nn_index *ix, int64_t *shape, int64_t *count)
{
    int nd = 0;
    *count = 1;
    for (int d = 0; d < ni; d++) {
        int64_t eff = d < x->ndim ? x->shape[d] : 1;
        if (d == ni - 1)
            for (int j = d + 1; j < x->ndim; j++)
                eff *= x->shape[j];
        int64_t c = 1;
        switch (ix[d].kind) {
        case NN_IDX_ALL: c = eff; break;
        case NN_IDX_SCALAR: continue;
        case NN_IDX_RANGE:
            c = ix[d].step > 0 ? (ix[d].stop < ix[d].start ? 0 : (ix[d].stop - ix[d].start) / ix[d].step + 1)
                : ix[d].step < 0
                    ? (ix[d].start < ix[d].stop ? 0 : (ix[d].start - ix[d].stop) / -ix[d].step + 1)
                    : 0;
            break;
        case NN_IDX_MASK:
            c = 0;
            for (int64_t i = 0; i < ix[d].t->numel; i++)
                c += nn_get(ix[d].t, i) != 0;
            break;
        case NN_IDX_VECTOR:
            for (int j = 0; j < ix[d].t->ndim && nd < NN_MAX_DIMS; j++)
                shape[nd++] = ix[d].t->shape[j];
            *count *= ix[d].t->numel;
            continue;
        }
        if (nd < NN_MAX_DIMS) shape[nd++] = c;
        *count *= c;
    }
    return nd;
}

/* x[idx...] = v: a number into one element, or as many values as the
 * selection has positions (Julia's rule: `.=` broadcasts, `=` does not). */
static lx_Value t_setindex(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "indexed assignment");
    nn_tensor *x = lxL_tval(a[0]);
    lx_Value v = a[1];
    int ni = n - 2;
    if (lxO_isnumber(v) && !nn_is_tracked(x) && nn_tensor_device(x) == NN_CPU) { /* x[i] = number */
        int64_t off = scalar_offset(x, a + 2, ni);
        if (off >= 0) {
            if (!nn_dtype_is_float(x->dtype)) check_exact_value(L, x, lxO_tonumber(v), "setindex!");
            if (x->dtype == NN_I64 && v.tag == LX_TINT)
                ((int64_t *)nn_data(x))[off] = v.v.i;
            else
                nn_set(x, off, lxO_tonumber(v));
            nn_bump_version(x);
            return a[0];
        }
    }
    nn_index ix[NN_MAX_DIMS];
    lx_Value holds[NN_MAX_DIMS], hold;
    to_indices(L, a + 2, ni, ix, holds, "setindex!");
    check_bounds(L, x, ni, ix, "setindex!");
    nn_tensor *t = value_tensor(L, x, v, &hold, "setindex!");
    bool scalar = true;
    for (int i = 0; i < ni; i++)
        scalar = scalar && ix[i].kind == NN_IDX_SCALAR;
    if (!scalar) {
        int64_t shape[NN_MAX_DIMS], count;
        int nd = selection_shape(x, ni, ix, shape, &count);
        if (lxO_isnumber(v) || (lxL_istensor(v) && t->ndim == 0))
            lxE_error(L, LXT_ArgumentError,
                      "setindex!: indexed assignment with a single value to possibly many locations is not "
                      "supported; perhaps use broadcasting `.=` instead?");
        if (t->numel != count) {
            char b[64];
            lxE_error(
                L, LXT_DimensionMismatch,
                "setindex!: tried to assign %lld elements to %lld destinations (a selection of size %s)",
                (long long)t->numel, (long long)count, nn_shape_str(b, sizeof b, nd, shape));
        }
        nn_tensor *r = NULL;
        if (t->ndim != nd ||
            memcmp(t->shape, shape, (size_t)nd * sizeof *shape)) { /* same count, laid out as the selection */
            nn_tensor *plain = NULL;
            nn_status s = nn_detach(L->nn, &plain, t);
            lx_Value hp = lxL_result(L, s, &plain);
            (void)hp;
            s = nn_reshape(L->nn, &r, plain, nd, shape);
            hold = lxL_result(L, s, &r);
            t = r;
        }
    } else if (t->numel != 1) {
        char b[64];
        lxE_error(L, LXT_DimensionMismatch,
                  "setindex!: tried to assign %lld elements to 1 destination (a value of size %s into one "
                  "element; perhaps use `.=`?)",
                  (long long)t->numel, nn_shape_str(b, sizeof b, t->ndim, t->shape));
    }
    lxL_nncheck(L, nn_setindex_(L->nn, x, ni, ix, t));
    return a[0];
}

/* x[idx...] .= v: v broadcast over the selection. */
static lx_Value t_dotsetindex(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "indexed assignment");
    nn_tensor *x = lxL_tval(a[0]);
    nn_index ix[NN_MAX_DIMS];
    lx_Value holds[NN_MAX_DIMS], hold;
    to_indices(L, a + 2, n - 2, ix, holds, "setindex!");
    check_bounds(L, x, n - 2, ix, "setindex!");
    nn_tensor *t = value_tensor(L, x, a[1], &hold, "setindex!");
    lxL_nncheck(L, nn_setindex_(L->nn, x, n - 2, ix, t));
    return a[0];
}

/* ---- sizes ------------------------------------------------------------------------------------------- */

static int64_t dim_arg(lx_State *L, lx_Value *a, int i, const char *fname)
{
    int64_t d = lxL_int(L, a, i, fname);
    if (d < 1)
        lxE_error(L, LXT_ArgumentError, "%s: dimension out of range: %lld (dimensions start at 1)", fname,
                  (long long)d);
    return d;
}

static int64_t size_at(const nn_tensor *x, int64_t d)
{
    return d <= x->ndim ? x->shape[d - 1] : 1;
}

static lx_Value t_size(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "size");
    nn_tensor *x = lxL_tval(a[0]);
    if (n == 2) return lxO_int(size_at(x, dim_arg(L, a, 1, "size")));
    if (n > 2) { /* size(x, d1, d2, ...) */
        lxO_tuple *t = lxO_tuple_new(L, n - 1);
        for (int i = 1; i < n; i++)
            t->items[i - 1] = lxO_int(size_at(x, dim_arg(L, a, i, "size")));
        return lxO_obj(t);
    }
    lxO_tuple *t = lxO_tuple_new(L, x->ndim);
    for (int i = 0; i < x->ndim; i++)
        t->items[i] = lxO_int(x->shape[i]);
    return lxO_obj(t);
}

static lx_Value t_length(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "length");
    return lxO_int(lxL_tval(a[0])->numel);
}

static lx_Value t_ndims(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "ndims");
    return lxO_int(lxL_tval(a[0])->ndim);
}

static lx_Value t_axes(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "axes");
    nn_tensor *x = lxL_tval(a[0]);
    if (n == 2) return lxO_obj(lxO_range_int(L, 1, 1, size_at(x, dim_arg(L, a, 1, "axes"))));
    lxO_tuple *t = lxO_tuple_new(L, x->ndim);
    int mark = lxV_root(L, lxO_obj(t));
    for (int i = 0; i < x->ndim; i++)
        t->items[i] = lxO_obj(lxO_range_int(L, 1, 1, x->shape[i]));
    lxV_unroot(L, mark);
    return lxO_obj(t);
}

static lx_Value t_lastindex(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "lastindex");
    nn_tensor *x = lxL_tval(a[0]);
    return lxO_int(n == 2 ? size_at(x, dim_arg(L, a, 1, "lastindex")) : x->numel);
}

static lx_Value t_firstindex(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "firstindex");
    if (n == 2) dim_arg(L, a, 1, "firstindex");
    return lxO_int(1);
}

static lx_Value t_eachindex(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "eachindex");
    int64_t len = lxL_tval(a[0])->numel;
    for (int i = 1; i < n; i++) {
        lx_Value l = lxL_callg(L, "length", a + i, 1);
        if (l.tag != LX_TINT || l.v.i != len)
            lxE_error(L, LXT_DimensionMismatch,
                      "all inputs to eachindex must have the same indices, got lengths %lld and %lld",
                      (long long)len, l.tag == LX_TINT ? (long long)l.v.i : -1LL);
    }
    return lxO_obj(lxO_range_int(L, 1, 1, len));
}

/* ---- iteration: the elements in column-major order, numbers (tracked 0-d
 * tensors under gradient, so loops over a tracked tensor differentiate). */

static lx_Value t_iterate(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "iteration");
    nn_tensor *x = lxL_tval(a[0]);
    int64_t i = n == 2 ? lxL_int(L, a, 1, "iterate") : 1;
    if (i < 1 || i > x->numel) return lxO_nothing();
    lx_Value item;
    if (!nn_is_tracked(x) && nn_tensor_device(x) == NN_CPU) {
        item = lxL_elem(L, x, i - 1);
    } else {
        nn_index ix = {.kind = NN_IDX_SCALAR, .i = i};
        nn_tensor *e = NULL;
        item = lxL_scalar(L, nn_getindex(L->nn, &e, x, 1, &ix), &e);
    }
    int mark = lxV_root(L, item);
    lxO_tuple *t = lxO_tuple_new(L, 2);
    t->items[0] = item;
    t->items[1] = lxO_int(i + 1);
    lxV_unroot(L, mark);
    return lxO_obj(t);
}

/* ---- the table ------------------------------------------------------------------------------------------
 */

#define EX(body) "\n\n# Examples\n```\n" body "```"

static const lxL_Reg index_lib[] = {
    {"getindex", "(x::Tensor, i...)", t_getindex,
     "    getindex(x::Tensor, i...)\n    x[i]\n    x[i, j, ...]\n\nIndexing a tensor, as Julia indexes "
     "arrays: one index per dimension, or a single index running over all the elements in column-major order "
     "(linear indexing). An index is an integer (its dimension is dropped), a range (`2:end`, `1:2:5`, "
     "`end:-1:1`), `:` (all of the dimension), an integer vector (an Int64 tensor or a List of integers: "
     "those positions, repeats allowed) or a Bool mask of the dimension's length (or of x's shape, with one "
     "index: `x[x .> 0]`). All integer indices give the element as a number (a tracked 0-d tensor inside "
     "`gradient`); anything else gives a new tensor (a copy, as in Julia: writing into it leaves x as it "
     "was; `view` shares x's memory instead). Out-of-range positions are a BoundsError naming the index and "
     "x's size. Differentiable.\n\n# Arguments\n- `x`: a tensor.\n- `i`: the indices: one per dimension, or "
     "a single linear index.\n\n# Returns\nA number when every index is an integer, else a new Tensor." EX(
         "lx> x = [1.0 3.0 5.0; 2.0 4.0 6.0];\n\nlx> x[2, 3]\n6.0f0\n\nlx> x[end]\n6.0f0\n\nlx> x[:, "
         "2]\n2-element Tensor{Float32, 1}:\n 3.0\n 4.0\n\nlx> x[x .> 3.5]\n3-element Tensor{Float32, 1}:\n "
         "4.0\n 5.0\n 6.0\n\nlx> try x[3, 1] catch e; sprint(showerror, e) end\n\"BoundsError: getindex: "
         "attempt to access (2, 3) Float32 tensor at index [3, 1]\"\n")},
    {"setindex!", "(x::Tensor, v, i...)", t_setindex,
     "    setindex!(x::Tensor, v, i...)\n    x[i] = v\n\nWrites into a tensor: a number into one element, "
     "or a tensor (or List) with as many elements as the selection has positions (a DimensionMismatch "
     "otherwise; a single value for many positions is an ArgumentError, as in Julia: use `x[i] .= v`). "
     "Values are converted to x's element type; a float with a fraction into an integer tensor is an "
     "InexactError. A tensor that `gradient` is tracking cannot be written into (an error saying so), and "
     "neither can a tracked value be written into an untracked tensor, whose gradient would be lost." EX(
         "lx> x = zeros(2, 2);\n\nlx> x[1, 2] = 5;\n\nlx> x[:, 1] = [1.0, 2.0];\n\nlx> x\n2×2 "
         "Tensor{Float32, 2}:\n 1.0  5.0\n 2.0  0.0\n")},
    {"__dotsetindex!", "(x::Tensor, v, i...)", t_dotsetindex, ""},
    {"getindex", "(x::Number, i::Integer...)", n_getindex, ""},
    {"view", "(x::Tensor, i...)", t_view,
     "    view(x::Tensor, i...)\n\n`x[i...]` sharing x's memory where it can: a contiguous selection (whole "
     "columns of a matrix, a unit range of a vector, `x[:, :, k]` of a batch) is a view, so writes into it "
     "change x, as Julia's views do; other selections (rows, steps, vectors of positions, masks) are copies, "
     "unlike Julia's, and all-integer indices give a 0-d tensor (a copy). Differentiable. `@view x[i...]` "
     "is `view(x, i...)`." EX("lx> x = zeros(2, 2);\n\nlx> view(x, :, 2) .= 1;\n\nlx> x[1, 2]\n1.0f0\n")},
    {"size", "(x::Tensor)", t_size,
     "    size(x::Tensor)\n    size(x::Tensor, d)\n\nThe dimensions of x as a tuple, or the size along "
     "dimension d (1 past the last dimension, as Julia)." EX(
         "lx> size(zeros(2, 3))\n(2, 3)\n\nlx> size(zeros(2, 3), 2)\n3\n\nlx> size(zeros(2, 3), 3)\n1\n")},
    {"size", "(x::Tensor, d)", t_size, ""},
    {"size", "(x::Tensor, d1, d2, ds...)", t_size, ""},
    {"length", "(x::Tensor)", t_length,
     "    length(x::Tensor)\n\nThe number of elements.\n\n# Arguments\n- `x`: a tensor.\n\n# Returns\nAn "
     "Int." EX("lx> length(zeros(2, 3))\n6\n")},
    {"ndims", "(x::Tensor)", t_ndims,
     "    ndims(x::Tensor)\n\nThe number of dimensions (0 for a 0-d tensor)." EX(
         "lx> ndims(zeros(2, 3))\n2\n")},
    {"axes", "(x::Tensor, d = all)", t_axes,
     "    axes(x::Tensor)\n    axes(x::Tensor, d)\n\nThe valid indices of each dimension as ranges `1:n` "
     "(a tuple of them), or of dimension d." EX(
         "lx> axes(zeros(2, 3))\n(1:2, 1:3)\n\nlx> axes(zeros(2, 3), 2)\n1:3\n")},
    {"lastindex", "(x::Tensor, d = all)", t_lastindex,
     "    lastindex(x::Tensor)\n    lastindex(x::Tensor, d)\n\nThe last linear index (the element count), or "
     "the last index of dimension d: what `end` means inside `x[...]`.\n\n# Arguments\n- `x`: a tensor.\n- "
     "`d`: a dimension.\n\n# Returns\nAn Int." EX(
         "lx> lastindex(zeros(2, 3))\n6\n\nlx> lastindex(zeros(2, 3), 1)\n2\n")},
    {"firstindex", "(x::Tensor, d = all)", t_firstindex,
     "    firstindex(x::Tensor)\n    firstindex(x::Tensor, d)\n\n1: tensors are 1-based (what `begin` means "
     "inside `x[...]`).\n\n# Arguments\n- `x`: a tensor.\n- `d`: a dimension.\n\n# Returns\nThe Int 1." EX(
         "lx> firstindex(zeros(3))\n1\n")},
    {"eachindex", "(x::Tensor, ys...)", t_eachindex,
     "    eachindex(x::Tensor, ys...)\n\nThe linear indices of x, `1:length(x)`; with more arguments, they "
     "must all have x's length (a DimensionMismatch otherwise)." EX("lx> eachindex(zeros(2, 2))\n1:4\n")},
    {"iterate", "(x::Tensor, state = 1)", t_iterate,
     "    iterate(x::Tensor, state = 1)\n\nThe iterate protocol on a tensor: its elements one by one as "
     "numbers, in column-major order (`for v in x`); inside `gradient`, the elements of a tracked tensor "
     "come as tracked scalars, so a loop over them differentiates." EX(
         "lx> for v in [1 2; 3 4] print(v, \" \") end\n1 3 2 4 \n")},
    {NULL, NULL, NULL, NULL}};

void lxL_open_tensor_index(lx_State *L)
{
    lxL_register(L, index_lib);
}
