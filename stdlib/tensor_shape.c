/* tensor_shape.c — changing a tensor's shape: reshape and vec (views),
 * permutedims, transpose and adjoint, cat/hcat/vcat/stack, dropdims,
 * selectdim and the slices (eachcol, eachrow, eachslice), repeat, reverse,
 * circshift and copyto!.  Everything that makes a new tensor from x
 * goes through a differentiable nn op (reshape, permutedims, cat, getindex).
 */
#include "tensor.h"

#include <string.h>

/* ---- helpers ----------------------------------------------------------------------------------------- */

static bool is_colon(lx_Value v)
{
    return v.tag == LX_TSYMBOL && !strcmp(((lxO_string *)v.v.o)->data, ":");
}

/* A dimension number (>= 1). */
static int dim_value(lx_State *L, lx_Value v, const char *fname)
{
    if (v.tag != LX_TINT)
        lxE_error(L, LXT_TypeError, "%s: dims must be an integer, got a value of type %s", fname,
                  lxT_name(lxT_typeof(L, v)));
    if (v.v.i < 1 || v.v.i > NN_MAX_DIMS)
        lxE_error(L, LXT_ArgumentError, "%s: dims = %lld: dimensions run from 1 to %d", fname,
                  (long long)v.v.i, NN_MAX_DIMS);
    return (int)v.v.i;
}

/* dims as an Int or a tuple of Ints into dims[]; returns their count. */
static int dims_list(lx_State *L, lx_Value v, int *dims, const char *fname)
{
    if (!lxO_is(v, LXO_TUPLE)) {
        dims[0] = dim_value(L, v, fname);
        return 1;
    }
    lxO_tuple *t = lxO_as(lxO_tuple, v);
    if (t->n > NN_MAX_DIMS) lxE_error(L, LXT_ArgumentError, "%s: %d dims given", fname, t->n);
    for (int i = 0; i < t->n; i++)
        dims[i] = dim_value(L, t->items[i], fname);
    return t->n;
}

/* The positional values v[0..n) as tensors (numbers weakly typed next to the
 * first tensor among them, Lists and Ranges as vectors) in a scratch array
 * that an error frees; the caller lxW_frees it when done. */
static nn_tensor **tensor_array(lx_State *L, lx_Value *v, int64_t n, lxW_buf *b, const char *fname)
{
    const nn_tensor *like = NULL;
    for (int64_t i = 0; i < n && !like; i++)
        if (lxL_istensor(v[i])) like = lxL_tval(v[i]);
    lxW_init(L, b);
    for (int64_t i = 0; i < n; i++) {
        lx_Value hold;
        if (!lxL_istensor(v[i]) && !lxO_isnumber(v[i]) && !lxO_is(v[i], LXO_LIST) &&
            !lxO_is(v[i], LXO_TUPLE) && !lxO_is(v[i], LXO_RANGE))
            lxE_error(L, LXT_ArgumentError, "%s: argument %lld is a %s, not a tensor or a number", fname,
                      (long long)i + 1, lxT_name(lxT_typeof(L, v[i])));
        nn_tensor *t = lxL_totensor(L, v[i], like, fname, &hold);
        lxW_add(b, (const char *)&t, sizeof t);
    }
    return n ? (nn_tensor **)(void *)b->s : NULL;
}

static lx_Value copy_of(lx_State *L, const nn_tensor *x)
{
    nn_tensor *out = NULL;
    return lxL_result(L, nn_copy(L->nn, &out, x), &out);
}

static lx_Value gather(lx_State *L, const nn_tensor *x, int nidx, const nn_index *ix)
{
    nn_tensor *out = NULL;
    return lxL_result(L, nn_getindex(L->nn, &out, x, nidx, ix), &out);
}

/* A new Int64 vector of n positions, wrapped (owned by *hold). */
static int64_t *positions(lx_State *L, int64_t n, lx_Value *hold, const nn_tensor **t)
{
    nn_tensor *p = NULL;
    *hold = lxL_result(L, nn_empty(L->nn, &p, NN_I64, 1, &n), &p);
    *t = p;
    return nn_data(p);
}

/* ---- reshape, vec ----------------------------------------------------------------------------------- */

static lx_Value t_reshape(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "reshape");
    nn_tensor *x = lxL_tval(a[0]);
    lx_Value *d = a + 1;
    int nd = n - 1;
    if (nd == 1 && lxO_is(d[0], LXO_TUPLE)) {
        d = lxO_as(lxO_tuple, d[0])->items;
        nd = lxO_as(lxO_tuple, a[1])->n;
    }
    if (nd > NN_MAX_DIMS)
        lxE_error(L, LXT_ArgumentError, "reshape: %d dimensions (at most %d)", nd, NN_MAX_DIMS);
    int64_t shape[NN_MAX_DIMS];
    for (int i = 0; i < nd; i++) {
        if (is_colon(d[i]))
            shape[i] = -1;
        else if (d[i].tag == LX_TINT && d[i].v.i >= 0)
            shape[i] = d[i].v.i;
        else if (d[i].tag == LX_TINT)
            lxE_error(L, LXT_ArgumentError, "reshape: invalid size %lld in dimension %d", (long long)d[i].v.i,
                      i + 1);
        else
            lxE_error(L, LXT_TypeError, "reshape: size %d must be an integer or `:`, got a value of type %s",
                      i + 1, lxT_name(lxT_typeof(L, d[i])));
    }
    nn_tensor *out = NULL;
    return lxL_result(L, nn_reshape(L->nn, &out, x, nd, shape), &out);
}

static lx_Value t_vec(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "vec");
    nn_tensor *out = NULL;
    return lxL_result(L, nn_vec(L->nn, &out, lxL_tval(a[0])), &out);
}

/* ---- permutedims, transpose, adjoint ------------------------------------------------------------------ */

static lx_Value t_permutedims(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "permutedims");
    nn_tensor *x = lxL_tval(a[0]), *out = NULL;
    if (n == 1) {
        if (x->ndim == 1) {
            int64_t sh[2] = {1, x->shape[0]};
            return lxL_result(L, nn_reshape(L->nn, &out, x, 2, sh), &out);
        }
        if (x->ndim != 2) {
            char b[64];
            lxE_error(L, LXT_ArgumentError,
                      "permutedims: without a permutation, x must be a vector or a matrix, got a %s tensor "
                      "(give one: permutedims(x, (2, 1, 3)))",
                      nn_shape_str(b, sizeof b, x->ndim, x->shape));
        }
        int p[2] = {2, 1};
        return lxL_result(L, nn_permutedims(L->nn, &out, x, p), &out);
    }
    lx_Value hold;
    nn_tensor *pt = lxL_totensor(L, a[1], NULL, "permutedims", &hold);
    if (pt->dtype != NN_I64 && pt->dtype != NN_I32)
        lxE_error(L, LXT_ArgumentError, "permutedims: the permutation must be integers");
    if (pt->numel != x->ndim) {
        char b[64];
        lxE_error(L, LXT_ArgumentError,
                  "permutedims: a permutation of %lld dimensions for a %s tensor (it needs %d)",
                  (long long)pt->numel, nn_shape_str(b, sizeof b, x->ndim, x->shape), x->ndim);
    }
    int p[NN_MAX_DIMS];
    for (int i = 0; i < x->ndim; i++) {
        double v = nn_get(pt, i);
        if (v < 1 || v > x->ndim) {
            char b[64];
            lxE_error(L, LXT_ArgumentError,
                      "permutedims: %.0f in the permutation is not a dimension of a %s tensor (1 to %d)", v,
                      nn_shape_str(b, sizeof b, x->ndim, x->shape), x->ndim);
        }
        p[i] = (int)v;
    }
    return lxL_result(L, nn_permutedims(L->nn, &out, x, p), &out);
}

/* transpose and adjoint (the same for real tensors); a 0-d tensor is its own. */
static lx_Value t_transpose(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "transpose");
    nn_tensor *x = lxL_tval(a[0]), *out = NULL;
    if (x->ndim == 0) return a[0];
    return lxL_result(L, nn_transpose(L->nn, &out, x), &out);
}

static lx_Value n_adjoint(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return a[0];
}

/* ---- cat, hcat, vcat, stack --------------------------------------------------------------------------- */

static lx_Value cat_along(lx_State *L, lx_Value *a, int n, int dim, const char *fname)
{
    lxW_buf b;
    nn_tensor **xs = tensor_array(L, a, n, &b, fname);
    nn_tensor *out = NULL;
    nn_status s = nn_cat(L->nn, &out, n, xs, dim);
    lxW_free(&b);
    return lxL_result(L, s, &out);
}

static lx_Value t_cat(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "cat");
    lx_Value d = lxL_kw(L, kw, "dims", lxO_nothing());
    if (d.tag == LX_TNOTHING)
        lxE_error(L, LXT_ArgumentError, "cat: the keyword dims is required (cat(xs...; dims = 2))");
    if (lxO_is(d, LXO_TUPLE))
        lxE_error(
            L, LXT_ArgumentError,
            "cat: dims must be one dimension; block-diagonal concatenation (dims = (1, 2)) is not supported");
    return cat_along(L, a, n, dim_value(L, d, "cat"), "cat");
}

static lx_Value t_vcat(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "vcat");
    return cat_along(L, a, n, 1, "vcat");
}

static lx_Value t_hcat(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "hcat");
    return cat_along(L, a, n, 2, "hcat");
}

static lx_Value t_stack(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "stack");
    if (lxL_istensor(a[0])) { /* a tensor of numbers: its elements are 0-d, stacked it is itself */
        lx_Value d = lxL_kw(L, kw, "dims", lxO_nothing());
        if (d.tag != LX_TNOTHING && dim_value(L, d, "stack") > 1 && lxL_tval(a[0])->ndim > 0)
            lxE_error(L, LXT_ArgumentError,
                      "stack: the elements of a tensor are numbers; only dims = 1 stacks them");
        return copy_of(L, lxL_tval(a[0]));
    }
    lx_Value *items = lxO_is(a[0], LXO_LIST) ? lxO_as(lxO_list, a[0])->items : lxO_as(lxO_tuple, a[0])->items;
    int64_t k = lxO_is(a[0], LXO_LIST) ? (int64_t)lxO_as(lxO_list, a[0])->n : lxO_as(lxO_tuple, a[0])->n;
    if (k == 0) lxE_error(L, LXT_ArgumentError, "stack: the collection is empty (there is nothing to stack)");
    if (k > INT32_MAX) lxE_error(L, LXT_ArgumentError, "stack: too many tensors (%lld)", (long long)k);
    lxW_buf b;
    nn_tensor **xs = tensor_array(L, items, k, &b, "stack");
    lx_Value d = lxL_kw(L, kw, "dims", lxO_nothing());
    int dim = d.tag == LX_TNOTHING ? xs[0]->ndim + 1 : dim_value(L, d, "stack");
    nn_tensor *out = NULL;
    nn_status s = nn_stack(L->nn, &out, (int)k, xs, dim);
    lxW_free(&b);
    return lxL_result(L, s, &out);
}

/* ---- dropdims, selectdim, slices --------------------------------------------------------------------------
 */

static lx_Value t_dropdims(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "dropdims");
    nn_tensor *x = lxL_tval(a[0]), *out = NULL;
    lx_Value d = lxL_kw(L, kw, "dims", lxO_nothing());
    if (d.tag == LX_TNOTHING)
        lxE_error(L, LXT_ArgumentError, "dropdims: the keyword dims is required (dropdims(x; dims = 1))");
    int dims[NN_MAX_DIMS], nd = dims_list(L, d, dims, "dropdims");
    bool drop[NN_MAX_DIMS] = {false};
    char b[64];
    for (int i = 0; i < nd; i++) {
        if (dims[i] > x->ndim)
            lxE_error(L, LXT_ArgumentError, "dropdims: dimension %d is out of range for a %s tensor", dims[i],
                      nn_shape_str(b, sizeof b, x->ndim, x->shape));
        if (x->shape[dims[i] - 1] != 1)
            lxE_error(L, LXT_ArgumentError,
                      "dropdims: dropped dims must all be size 1: dimension %d of a %s tensor has size %lld",
                      dims[i], nn_shape_str(b, sizeof b, x->ndim, x->shape),
                      (long long)x->shape[dims[i] - 1]);
        if (drop[dims[i] - 1]) lxE_error(L, LXT_ArgumentError, "dropdims: dimension %d given twice", dims[i]);
        drop[dims[i] - 1] = true;
    }
    int64_t shape[NN_MAX_DIMS];
    int k = 0;
    for (int i = 0; i < x->ndim; i++)
        if (!drop[i]) shape[k++] = x->shape[i];
    return lxL_result(L, nn_reshape(L->nn, &out, x, k, shape), &out);
}

/* x's indices, all `:` except index i (0-based) at dimension d (0-based). */
static int slice_index(const nn_tensor *x, int d, nn_index *ix)
{
    int nidx = x->ndim > d + 1 ? x->ndim : d + 1;
    for (int j = 0; j < nidx; j++) {
        memset(&ix[j], 0, sizeof ix[j]);
        ix[j].kind = NN_IDX_ALL;
    }
    return nidx;
}

static lx_Value t_selectdim(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "selectdim");
    nn_tensor *x = lxL_tval(a[0]);
    int d = dim_value(L, a[1], "selectdim");
    nn_index ix[NN_MAX_DIMS];
    int nidx = slice_index(x, d - 1, ix);
    lx_Value hold = lxO_nothing();
    nn_index *s = &ix[d - 1];
    if (a[2].tag == LX_TINT) {
        s->kind = NN_IDX_SCALAR;
        s->i = a[2].v.i;
    } else if (lxO_is(a[2], LXO_RANGE) && !lxO_as(lxO_range, a[2])->isfloat) {
        lxO_range *r = lxO_as(lxO_range, a[2]);
        s->kind = NN_IDX_RANGE;
        s->start = r->start.i;
        s->step = r->step.i;
        s->stop = r->start.i + (r->len - 1) * r->step.i;
    } else if (lxL_istensor(a[2]) || lxO_is(a[2], LXO_LIST)) {
        s->t = lxL_totensor(L, a[2], NULL, "selectdim", &hold);
        s->kind = s->t->dtype == NN_BOOL ? NN_IDX_MASK : NN_IDX_VECTOR;
    } else {
        lxE_error(L, LXT_ArgumentError,
                  "selectdim: invalid index of type %s (an integer, a range or a vector)",
                  lxT_name(lxT_typeof(L, a[2])));
    }
    /* positions out of range, before nn computes offsets from them */
    int64_t len = d <= x->ndim ? x->shape[d - 1] : 1;
    bool bad = false;
    if (s->kind == NN_IDX_SCALAR) bad = s->i < 1 || s->i > len;
    if (s->kind == NN_IDX_RANGE && (s->step > 0 ? s->stop >= s->start : s->stop <= s->start))
        bad = s->start < 1 || s->start > len || s->stop < 1 || s->stop > len;
    for (int64_t i = 0; s->kind == NN_IDX_VECTOR && i < s->t->numel && !bad; i++)
        bad = nn_get(s->t, i) < 1 || nn_get(s->t, i) > (double)len;
    if (bad) {
        char b[64];
        lxW_buf w;
        lxW_init(L, &w);
        lxW_repr(&w, a[2]);
        char msg[300];
        snprintf(msg, sizeof msg,
                 "selectdim: index %.100s is out of range 1:%lld of dimension %d of a %s tensor",
                 w.s ? w.s : "", (long long)len, d, nn_shape_str(b, sizeof b, x->ndim, x->shape));
        lxW_free(&w);
        lxE_throw(L, lxE_new(L, LXT_BoundsError, msg));
    }
    return gather(L, x, nidx, ix);
}

/* The slices of x along dim d (1-based) as a List of tensors. */
static lx_Value slices(lx_State *L, const nn_tensor *x, int d)
{
    nn_index ix[NN_MAX_DIMS];
    int nidx = slice_index(x, d - 1, ix);
    ix[d - 1].kind = NN_IDX_SCALAR;
    int64_t k = d <= x->ndim ? x->shape[d - 1] : 1;
    lxO_list *l = lxO_list_new(L, (size_t)k);
    int mark = lxV_root(L, lxO_obj(l));
    for (int64_t i = 1; i <= k; i++) {
        ix[d - 1].i = i;
        lxO_list_push(L, l, gather(L, x, nidx, ix));
    }
    lxV_unroot(L, mark);
    return lxO_obj(l);
}

static void vecmat(lx_State *L, const nn_tensor *x, const char *fname)
{
    char b[64];
    if (x->ndim != 1 && x->ndim != 2)
        lxE_error(L, LXT_ArgumentError, "%s: x must be a vector or a matrix, got a %s tensor (use eachslice)",
                  fname, nn_shape_str(b, sizeof b, x->ndim, x->shape));
}

static lx_Value t_eachcol(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "eachcol");
    vecmat(L, lxL_tval(a[0]), "eachcol");
    return slices(L, lxL_tval(a[0]), 2);
}

static lx_Value t_eachrow(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "eachrow");
    vecmat(L, lxL_tval(a[0]), "eachrow");
    return slices(L, lxL_tval(a[0]), 1);
}

static lx_Value t_eachslice(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "eachslice");
    lx_Value d = lxL_kw(L, kw, "dims", lxO_nothing());
    if (d.tag == LX_TNOTHING)
        lxE_error(L, LXT_ArgumentError, "eachslice: the keyword dims is required (eachslice(x; dims = 3))");
    if (lxO_is(d, LXO_TUPLE) && lxO_as(lxO_tuple, d)->n == 1) d = lxO_as(lxO_tuple, d)->items[0];
    if (lxO_is(d, LXO_TUPLE))
        lxE_error(L, LXT_ArgumentError,
                  "eachslice: slicing along several dims is not supported; give one (dims = 3)");
    return slices(L, lxL_tval(a[0]), dim_value(L, d, "eachslice"));
}

/* ---- repeat, reverse, circshift ---------------------------------------------------------------------------
 */

/* A count per dim from an Int or a tuple of Ints (1 where not given). */
static int counts_of(lx_State *L, lx_Value v, int64_t *c, const char *what)
{
    for (int i = 0; i < NN_MAX_DIMS; i++)
        c[i] = 1;
    if (v.tag == LX_TNOTHING) return 0;
    lx_Value *items = &v;
    int k = 1;
    if (lxO_is(v, LXO_TUPLE)) {
        items = lxO_as(lxO_tuple, v)->items;
        k = lxO_as(lxO_tuple, v)->n;
    }
    if (k > NN_MAX_DIMS)
        lxE_error(L, LXT_ArgumentError, "repeat: %d %s counts (at most %d)", k, what, NN_MAX_DIMS);
    for (int i = 0; i < k; i++) {
        if (items[i].tag != LX_TINT)
            lxE_error(L, LXT_TypeError, "repeat: %s counts must be integers, got a value of type %s", what,
                      lxT_name(lxT_typeof(L, items[i])));
        if (items[i].v.i < 0)
            lxE_error(L, LXT_ArgumentError, "repeat: %s count %lld is negative", what,
                      (long long)items[i].v.i);
        c[i] = items[i].v.i;
    }
    return k;
}

/* repeat(x, counts...; inner, outer): each dim's positions 1..n, each
 * repeated `inner` times, the whole run `outer` times: one gather. */
static lx_Value t_repeat(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "repeat");
    nn_tensor *x = lxL_tval(a[0]);
    int64_t inner[NN_MAX_DIMS], outer[NN_MAX_DIMS];
    lx_Value ov = lxL_kw(L, kw, "outer", lxO_nothing());
    if (n > 1) {
        if (ov.tag != LX_TNOTHING)
            lxE_error(L, LXT_ArgumentError, "repeat: give the counts or outer, not both");
        lxO_tuple *t = lxO_tuple_new(L, n - 1);
        memcpy(t->items, a + 1, (size_t)(n - 1) * sizeof *a);
        ov = lxO_obj(t);
    }
    int no = counts_of(L, ov, outer, "outer");
    int ni = counts_of(L, lxL_kw(L, kw, "inner", lxO_nothing()), inner, "inner");
    int nd = x->ndim;
    if (no > nd) nd = no;
    if (ni > nd) nd = ni;
    if (nd == 0) return copy_of(L, x);
    double total = 1;
    for (int d = 0; d < nd; d++)
        total *= (double)(d < x->ndim ? x->shape[d] : 1) * (double)inner[d] * (double)outer[d];
    if (total > 1e15)
        lxE_error(L, LXT_ArgumentError, "repeat: the result would have too many elements (%.3g)", total);
    nn_index ix[NN_MAX_DIMS];
    lx_Value holds[NN_MAX_DIMS];
    for (int d = 0; d < nd; d++) {
        int64_t len = d < x->ndim ? x->shape[d] : 1;
        memset(&ix[d], 0, sizeof ix[d]);
        holds[d] = lxO_nothing();
        if (inner[d] == 1 && outer[d] == 1 && d < x->ndim) {
            ix[d].kind = NN_IDX_ALL;
            continue;
        }
        ix[d].kind = NN_IDX_VECTOR;
        int64_t *p = positions(L, len * inner[d] * outer[d], &holds[d], &ix[d].t), k = 0;
        for (int64_t o = 0; o < outer[d]; o++)
            for (int64_t i = 1; i <= len; i++)
                for (int64_t r = 0; r < inner[d]; r++)
                    p[k++] = i;
    }
    return gather(L, x, nd, ix);
}

/* reverse(x; dims = :): x read backwards along the given dims (all of them by default). */
static lx_Value t_reverse(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "reverse");
    nn_tensor *x = lxL_tval(a[0]);
    lx_Value dv = lxL_kw(L, kw, "dims", lxO_sym(lxS_cstr(L, ":")));
    bool rev[NN_MAX_DIMS] = {false};
    if (is_colon(dv)) {
        for (int i = 0; i < x->ndim; i++)
            rev[i] = true;
    } else {
        int dims[NN_MAX_DIMS], nd = dims_list(L, dv, dims, "reverse");
        for (int i = 0; i < nd; i++) {
            if (dims[i] > x->ndim) {
                char b[64];
                lxE_error(L, LXT_ArgumentError, "reverse: dims = %d is out of range for a %s tensor", dims[i],
                          nn_shape_str(b, sizeof b, x->ndim, x->shape));
            }
            rev[dims[i] - 1] = true;
        }
    }
    if (x->ndim == 0) return copy_of(L, x);
    nn_index ix[NN_MAX_DIMS];
    for (int d = 0; d < x->ndim; d++) {
        memset(&ix[d], 0, sizeof ix[d]);
        ix[d].kind = rev[d] ? NN_IDX_RANGE : NN_IDX_ALL;
        ix[d].start = x->shape[d];
        ix[d].step = -1;
        ix[d].stop = 1;
    }
    return gather(L, x, x->ndim, ix);
}

/* circshift(x, shifts): element i moves to i + shift (circularly) along each dim. */
static lx_Value t_circshift(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "circshift");
    nn_tensor *x = lxL_tval(a[0]);
    lx_Value *items = &a[1];
    int k = 1;
    if (lxO_is(a[1], LXO_TUPLE)) {
        items = lxO_as(lxO_tuple, a[1])->items;
        k = lxO_as(lxO_tuple, a[1])->n;
    }
    if (k > NN_MAX_DIMS) lxE_error(L, LXT_ArgumentError, "circshift: %d shifts (at most %d)", k, NN_MAX_DIMS);
    int nd = x->ndim > k ? x->ndim : k;
    if (nd == 0) return copy_of(L, x);
    nn_index ix[NN_MAX_DIMS];
    lx_Value holds[NN_MAX_DIMS];
    for (int d = 0; d < nd; d++) {
        memset(&ix[d], 0, sizeof ix[d]);
        holds[d] = lxO_nothing();
        int64_t len = d < x->ndim ? x->shape[d] : 1, s = 0;
        if (d < k) {
            if (items[d].tag != LX_TINT)
                lxE_error(L, LXT_TypeError, "circshift: shifts must be integers, got a value of type %s",
                          lxT_name(lxT_typeof(L, items[d])));
            s = len ? items[d].v.i % len : 0;
            if (s < 0) s += len;
        }
        if (s == 0) {
            ix[d].kind = NN_IDX_ALL;
            continue;
        }
        ix[d].kind = NN_IDX_VECTOR;
        int64_t *p = positions(L, len, &holds[d], &ix[d].t);
        for (int64_t i = 0; i < len; i++)
            p[i] = (i - s + len) % len + 1;
    }
    return gather(L, x, nd, ix);
}

/* ---- copyto! ----------------------------------------------------------------------------------------- */

static lx_Value t_copyto(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "copyto!");
    nn_tensor *dst = lxL_tval(a[0]);
    lx_Value hold;
    if (!lxL_istensor(a[1]) && !lxO_is(a[1], LXO_LIST) && !lxO_is(a[1], LXO_TUPLE) &&
        !lxO_is(a[1], LXO_RANGE))
        lxE_error(L, LXT_ArgumentError, "copyto!: cannot copy from a value of type %s",
                  lxT_name(lxT_typeof(L, a[1])));
    nn_tensor *src = lxL_totensor(L, a[1], dst, "copyto!", &hold);
    char b1[64], b2[64];
    if (src->numel > dst->numel)
        lxE_error(L, LXT_BoundsError,
                  "copyto!: the destination (size %s) has fewer elements than the source (size %s)",
                  nn_shape_str(b1, sizeof b1, dst->ndim, dst->shape),
                  nn_shape_str(b2, sizeof b2, src->ndim, src->shape));
    if (nn_is_tracked(dst))
        lxE_error(L, LXT_ErrorException,
                  "copyto!: mutating a tensor that gradient is tracking is not supported; build a new tensor "
                  "instead");
    if (nn_is_tracked(src))
        lxE_error(
            L, LXT_ErrorException,
            "copyto!: the source depends on a tensor that gradient is tracking, and copying it into another "
            "tensor would lose its gradient");
    if (!nn_dtype_is_float(dst->dtype) && (nn_dtype_is_float(src->dtype) || dst->dtype == NN_BOOL))
        for (int64_t i = 0; i < src->numel; i++) {
            double v = nn_get(src, i);
            if (dst->dtype == NN_BOOL ? v != 0 && v != 1 : v != (double)(int64_t)v)
                lxE_error(L, LXT_InexactError,
                          "copyto!: %s(%.17g) is not exact: the tensor holds %s elements",
                          nn_dtype_name(dst->dtype), v, nn_dtype_name(dst->dtype));
        }
    nn_tensor *plain = NULL, *flat = NULL;
    nn_status s = nn_detach(L->nn, &plain, src);
    lxL_result(L, s, &plain);
    int64_t cnt = src->numel;
    s = nn_reshape(L->nn, &flat, plain, 1, &cnt);
    lxL_result(L, s, &flat);
    nn_index ix = {.kind = NN_IDX_RANGE, .start = 1, .step = 1, .stop = cnt};
    if (cnt) lxL_nncheck(L, nn_setindex_(L->nn, dst, 1, &ix, flat));
    return a[0];
}

/* ---- the table ------------------------------------------------------------------------------------------
 */

#define EX(body) "\n\n# Examples\n```\n" body "```"

static const lxL_Reg shape_lib[] = {
    {"reshape", "(x::Tensor, dims...)", t_reshape,
     "    reshape(x::Tensor, dims...)\n    reshape(x::Tensor, (d1, d2, ...))\n\nx's elements, in "
     "column-major "
     "order, as a tensor of the given size (the same element count, a DimensionMismatch otherwise); one "
     "size may be `:`, inferred from the others. The result shares x's memory (writes into one show in the "
     "other, as in Julia). Differentiable." EX(
         "lx> reshape([1, 2, 3, 4, 5, 6], 2, 3)\n2×3 Tensor{Int64, 2}:\n 1  3  5\n 2  4  6\n\nlx> "
         "size(reshape(zeros(6), :, 2))\n(3, 2)\n")},
    {"vec", "(x::Tensor)", t_vec,
     "    vec(x::Tensor)\n\nx's elements as a vector, in column-major order (sharing x's memory). "
     "Differentiable." EX("lx> vec([1 2; 3 4])\n4-element Tensor{Int64, 1}:\n 1\n 3\n 2\n 4\n")},
    {"permutedims", "(x::Tensor, perm = (2, 1))", t_permutedims,
     "    permutedims(x::Tensor, perm)\n    permutedims(x::Tensor)\n\nx with its dimensions reordered: "
     "dimension i of the result is dimension `perm[i]` of x (a copy). Without perm, a matrix is transposed "
     "and a vector becomes a 1×n row. Differentiable." EX(
         "lx> size(permutedims(zeros(2, 3, 4), (3, 1, 2)))\n(4, 2, 3)\n\nlx> permutedims([1, 2])\n1×2 "
         "Tensor{Int64, 2}:\n 1  2\n")},
    {"transpose", "(x::Tensor)", t_transpose,
     "    transpose(x::Tensor)\n\nThe transpose of a matrix (a copy, not Julia's lazy wrapper), or a vector "
     "as "
     "a 1×n row; a 0-d tensor is its own. Other shapes are an ArgumentError (use permutedims). "
     "Differentiable." EX("lx> transpose([1 2; 3 4])\n2×2 Tensor{Int64, 2}:\n 1  3\n 2  4\n")},
    {"adjoint", "(x::Tensor)", t_transpose,
     "    adjoint(x)\n    x'\n\nThe adjoint: for real tensors the same as `transpose` (a matrix transposed, "
     "a "
     "vector as a 1×n row); a number is its own adjoint. Differentiable." EX(
         "lx> [1, 2, 3]'\n1×3 Tensor{Int64, 2}:\n 1  2  3\n\nlx> 2.5'\n2.5\n")},
    {"adjoint", "(x::Number)", n_adjoint, ""},
    {"transpose", "(x::Number)", n_adjoint, ""},
    {"cat", "(xs...; dims)", t_cat,
     "    cat(xs...; dims)\n\nThe tensors joined along dimension `dims` (a number counts as a one-element "
     "tensor; missing trailing dimensions count as 1, so vectors join as columns with dims = 2). The other "
     "dimensions must agree (a DimensionMismatch naming the sizes). Element types promote as arithmetic "
     "does. Differentiable." EX("lx> cat([1, 2], [3, 4]; dims = 2)\n2×2 Tensor{Int64, 2}:\n 1  3\n 2  "
                                "4\n\nlx> size(cat(zeros(2, 2), "
                                "ones(2, 2); dims = 3))\n(2, 2, 2)\n")},
    {"vcat", "(x::Tensor, xs...)", t_vcat,
     "    vcat(x::Tensor, xs...)\n\nTensors (and numbers) joined along dimension 1: `cat(xs...; dims = 1)`. "
     "Differentiable." EX(
         "lx> vcat([1, 2], 3)\n3-element Tensor{Int64, 1}:\n 1\n 2\n 3\n\nlx> size(vcat(zeros(2, 3), ones(1, "
         "3)))\n(3, 3)\n")},
    {"vcat", "(a::Number, x::Tensor, xs...)", t_vcat, ""},
    {"hcat", "(x::Tensor, xs...)", t_hcat,
     "    hcat(x::Tensor, xs...)\n\nTensors joined along dimension 2: `cat(xs...; dims = 2)`; vectors "
     "become columns. Differentiable." EX("lx> hcat([1, 2], [3, 4])\n2×2 Tensor{Int64, 2}:\n 1  3\n 2  4\n")},
    {"hcat", "(a::Number, x::Tensor, xs...)", t_hcat, ""},
    {"stack", "(xs::List; dims = ndims + 1)", t_stack,
     "    stack(xs; dims)\n\nTensors of one size (a List or a tuple of them; numbers count as 0-d) joined "
     "along a new dimension `dims`, by default after their last: a List of n vectors of length k becomes a "
     "k×n matrix. A DimensionMismatch when the sizes differ. Differentiable." EX(
         "lx> stack([[1, 2], [3, 4], [5, 6]])\n2×3 Tensor{Int64, 2}:\n 1  3  5\n 2  4  6\n\nlx> "
         "size(stack(([1, 2], [3, 4]); dims = 1))\n(2, 2)\n")},
    {"stack", "(xs::Tuple; dims = ndims + 1)", t_stack, ""},
    {"stack", "(x::Tensor; dims = 1)", t_stack, ""},
    {"dropdims", "(x::Tensor; dims)", t_dropdims,
     "    dropdims(x::Tensor; dims)\n\nx without the given dimensions (an Int or a tuple), which must have "
     "size "
     "1 (an ArgumentError otherwise). Shares x's memory; differentiable." EX(
         "lx> size(dropdims(zeros(2, 1, 3); dims = 2))\n(2, 3)\n")},
    {"selectdim", "(x::Tensor, d::Integer, i)", t_selectdim,
     "    selectdim(x::Tensor, d, i)\n\nx indexed with i along dimension d and `:` along the others: "
     "`selectdim(x, 2, 3)` is `x[:, 3, :, ...]`; an integer i drops the dimension, a range or a vector keeps "
     "it. A view of x's memory when the selection is contiguous, a copy otherwise, as `view` makes it. "
     "Differentiable." EX("lx> selectdim([1 2; 3 4], 2, 1)\n2-element Tensor{Int64, 1}:\n 1\n 3\n")},
    {"eachcol", "(x::Tensor)", t_eachcol,
     "    eachcol(x::Tensor)\n\nThe columns of a matrix as a List of vectors (views of x; Julia returns a "
     "lazy generator)." EX("lx> eachcol([1 2; 3 4])[2]\n2-element Tensor{Int64, 1}:\n 2\n 4\n")},
    {"eachrow", "(x::Tensor)", t_eachrow,
     "    eachrow(x::Tensor)\n\nThe rows of a matrix as a List of vectors (copies)." EX(
         "lx> length(eachrow(zeros(3, 2)))\n3\n")},
    {"eachslice", "(x::Tensor; dims)", t_eachslice,
     "    eachslice(x::Tensor; dims)\n\nThe slices of x along dimension `dims` (one dimension) as a List of "
     "tensors: slice i is x with index i along `dims` and `:` along the others. `eachslice(x; dims = 3)` "
     "of a W×H×N batch gives the N images." EX("lx> size(eachslice(zeros(2, 3, 4); dims = 3)[1])\n(2, 3)\n")},
    {"repeat", "(x::Tensor, counts...; inner = 1, outer = 1)", t_repeat,
     "    repeat(x::Tensor, counts...)\n    repeat(x::Tensor; inner, outer)\n\nx tiled: `repeat(x, m, n)` "
     "repeats it m times along dimension 1 and n times along dimension 2 (counts past x's dimensions add "
     "dimensions). With keywords, `inner` repeats each element and `outer` the whole tensor, per dimension "
     "(an Int or a tuple). Differentiable (repeats accumulate their gradients).\n\n# Arguments\n- `x`: a "
     "tensor.\n- `counts`: the number of copies along each dimension, integers.\n\n# Keyword Arguments\n- "
     "`inner`: the copies of each element per dimension, an Int or a tuple (1 when left out).\n- `outer`: "
     "the copies of the whole tensor per dimension, an Int or a tuple (1 when left out).\n\n# Returns\nA new "
     "Tensor." EX(
         "lx> repeat([1, 2], 2)\n4-element Tensor{Int64, 1}:\n 1\n 2\n 1\n 2\n\nlx> repeat([1, 2]; inner = "
         "2)\n4-element Tensor{Int64, 1}:\n 1\n 1\n 2\n 2\n\nlx> repeat([1 2], 2, 1)\n2×2 Tensor{Int64, "
         "2}:\n "
         "1  2\n 1  2\n")},
    {"reverse", "(x::Tensor; dims = :)", t_reverse,
     "    reverse(x::Tensor; dims = :)\n\nx read backwards along dimension `dims` (an Int or a tuple), or "
     "along all of them by default. Differentiable.\n\n# Arguments\n- `x`: a tensor.\n\n# Keyword "
     "Arguments\n- `dims = :`: the dimension (an Int) or dimensions (a tuple) to reverse; `:` reverses "
     "all.\n\n# Returns\nA new Tensor of x's size." EX(
         "lx> reverse([1, 2, 3])\n3-element Tensor{Int64, 1}:\n 3\n 2\n 1\n\nlx> reverse([1 2; 3 4]; dims = "
         "2)\n2×2 Tensor{Int64, 2}:\n 2  1\n 4  3\n")},
    {"circshift", "(x::Tensor, shifts)", t_circshift,
     "    circshift(x::Tensor, shifts)\n\nx shifted circularly: element i moves to i + shift along each "
     "dimension (an Int shifts dimension 1; a tuple gives one shift per dimension). Differentiable." EX(
         "lx> circshift([1, 2, 3, 4], 1)\n4-element Tensor{Int64, 1}:\n 4\n 1\n 2\n 3\n")},
    {"copyto!", "(dst::Tensor, src)", t_copyto,
     "    copyto!(dst::Tensor, src)\n\nCopies src's elements (a tensor, a List or a range), in column-major "
     "order, into the first `length(src)` elements of dst, whatever the shapes; returns dst. A BoundsError "
     "when dst has fewer elements." EX(
         "lx> x = zeros(2, 2);\n\nlx> copyto!(x, [1, 2, 3]);\n\nlx> x\n2×2 Tensor{Float32, 2}:\n 1.0  3.0\n "
         "2.0  0.0\n")},
    {NULL, NULL, NULL, NULL}};

void lxL_open_tensor_shape(lx_State *L)
{
    lxL_register(L, shape_lib);
}
