/* tensor_new.c — making tensors and turning them back into numbers: the
 * literals the compiler emits ([1, 2], [1 2; 3 4], T[...], comprehensions,
 * by spec §2's rule), the constructors (zeros, ones, fill, similar, trues,
 * Tensor, ...), conversions (Float32(x), item, List, collect), equality and
 * approximate equality, and growing a vector (push!, append!).
 */
#include "tensor.h"

#include <math.h>
#include <string.h>

/* ---- helpers --------------------------------------------------------------------------------------- */

/* Scratch memory the collector owns: gone at the next collection, never leaked by a raise. */
static void *scratch(lx_State *L, size_t bytes)
{
    return lxO_cdata_new(L, L->T[LXT_Any], bytes)->data;
}

static bool is_scalar_tensor(lx_Value v)
{
    return lxL_istensor(v) && lxL_tval(v)->ndim == 0;
}

/* The wider of two element types: Bool < Int32 < Int64 < Float32 < Float64. */
static int dtype_rank(nn_dtype t)
{
    static const int rank[NN_NUM_DTYPES] = {3, 4, 1, 2, 0};
    return rank[t];
}
static nn_dtype dtype_max(nn_dtype a, nn_dtype b)
{
    return dtype_rank(a) >= dtype_rank(b) ? a : b;
}

static const char *shape_text(char *buf, size_t n, const nn_tensor *t)
{
    return nn_shape_str(buf, n, t->ndim, t->shape);
}

static nn_dtype dtype_arg(lx_State *L, lx_Value T, const char *fname)
{
    nn_dtype dt;
    if (!lxL_dtype_of(L, T, &dt))
        lxE_error(L, LXT_TypeError,
                  "%s: the element type must be Float32, Float64, Int64, Int32 or Bool, got %s", fname,
                  lxO_is(T, LXO_TYPE) ? lxT_name(lxO_as(lxO_type, T)) : lxT_name(lxT_typeof(L, T)));
    return dt;
}

/* Raises an InexactError unless the number v is exactly representable in dt
 * (Julia's Int64(1.5), Bool(2)). */
static void check_exact(lx_State *L, nn_dtype dt, double d)
{
    bool ok = true;
    switch (dt) {
    case NN_I64: ok = d == floor(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0; break;
    case NN_I32: ok = d == floor(d) && d >= -2147483648.0 && d <= 2147483647.0; break;
    case NN_BOOL: ok = d == 0 || d == 1; break;
    default: break;
    }
    if (!ok) {
        lxW_buf b;
        lxW_init(L, &b);
        lxW_printf(&b, "%s(", nn_dtype_name(dt));
        lxW_floattext(&b, d, false, false);
        lxW_puts(&b, ")");
        char msg[128];
        snprintf(msg, sizeof msg, "%s", b.s);
        lxW_free(&b);
        lxE_error(L, LXT_InexactError, "%s", msg);
    }
}

/* Element i of t set from the number v (already checked). */
static void set_elem(nn_tensor *t, int64_t i, lx_Value v)
{
    void *d = nn_data(t);
    int64_t iv = v.tag == LX_TINT ? v.v.i : v.tag == LX_TBOOL ? v.v.b : (int64_t)lxO_tonumber(v);
    switch (t->dtype) {
    case NN_F32: ((float *)d)[i] = (float)lxO_tonumber(v); break;
    case NN_F64: ((double *)d)[i] = lxO_tonumber(v); break;
    case NN_I32: ((int32_t *)d)[i] = (int32_t)iv; break;
    case NN_I64: ((int64_t *)d)[i] = iv; break;
    case NN_BOOL: ((uint8_t *)d)[i] = lxO_tonumber(v) != 0; break;
    default: break;
    }
}

/* Element i of t as a number value (Int64 exactly, unlike nn_get). */
static lx_Value get_elem(lx_State *L, const nn_tensor *t, int64_t i)
{
    if (t->dtype == NN_I64) return lxO_int(((const int64_t *)nn_data(t))[i]);
    return lxL_elem(L, t, i);
}

/* Element i of x as a number, or, when gradient tracks x, as a tracked 0-d tensor (a scalar that
 * stays differentiable, spec §6). */
static lx_Value elem_value(lx_State *L, nn_tensor *x, int64_t i)
{
    if (!nn_is_tracked(x)) return get_elem(L, x, i);
    nn_index ix = {.kind = NN_IDX_SCALAR, .i = i + 1};
    nn_tensor *e = NULL;
    return lxL_scalar(L, nn_getindex(L->nn, &e, x, 1, &ix), &e);
}

/* Checks that the value v is a number that dt can hold (fname names the caller, pos the element). */
static void check_number(lx_State *L, lx_Value v, nn_dtype dt, const char *fname, int64_t pos)
{
    if (!lxO_isnumber(v))
        lxE_error(L, LXT_TypeError, "%s: element %lld is a %s, not a number", fname, (long long)pos + 1,
                  lxT_name(lxT_typeof(L, v)));
    if (nn_dtype_is_float(dt) || (v.tag == LX_TINT && dt == NN_I64)) return;
    check_exact(L, dt, v.tag == LX_TINT ? (double)v.v.i : lxO_tonumber(v));
}

/* A tensor of dt converted from x; values that do not fit an integer or Bool type are nn_convert's
 * InexactError. */
static nn_tensor *convert_checked(lx_State *L, nn_tensor *x, nn_dtype dt, lx_Value *hold)
{
    if (x->dtype == dt) return x;
    nn_tensor *out = NULL;
    *hold = lxL_result(L, nn_convert(L->nn, &out, x, dt), &out);
    return out;
}

/* ---- the literal rule (spec §2) ----------------------------------------------------------------------- */

/* What a run of values makes: numbers, and 0-d tensors (the scalars of
 * gradient, counted as the numbers they stand for, so that a literal has the
 * same type inside and outside gradient), make a tensor: of Int64 for
 * integers, Bool for Bools, Float32 when one is a float; anything else makes
 * a List (false). */
static bool literal_dtype(lx_Value *items, int64_t n, nn_dtype *dt, bool *scalars)
{
    if (n == 0) return false;
    bool anyfloat = false, anyint = false, anytensor = false;
    for (int64_t i = 0; i < n; i++) {
        lx_Value v = items[i];
        if (v.tag == LX_TBOOL) continue;
        if (v.tag == LX_TINT)
            anyint = true;
        else if (v.tag == LX_TFLOAT32 || v.tag == LX_TFLOAT64)
            anyfloat = true;
        else if (is_scalar_tensor(v)) {
            anytensor = true;
            nn_dtype t = lxL_tval(v)->dtype;
            if (nn_dtype_is_float(t))
                anyfloat = true;
            else if (t != NN_BOOL)
                anyint = true;
        } else
            return false;
    }
    *dt = anyfloat ? NN_F32 : anyint ? NN_I64 : NN_BOOL;
    *scalars = anytensor;
    return true;
}

/* v (a number or a tensor) as a tensor of dt, wrapped into *hold when new. */
static nn_tensor *as_dtype(lx_State *L, lx_Value v, nn_dtype dt, const char *fname, lx_Value *hold)
{
    if (is_scalar_tensor(v)) return convert_checked(L, lxL_tval(v), dt, hold);
    check_number(L, v, dt, fname, 0);
    nn_tensor *t = NULL;
    *hold = lxL_result(L, nn_empty(L->nn, &t, dt, 0, NULL), &t);
    set_elem(t, 0, v);
    return t;
}

/* A vector of the n values (numbers or 0-d tensors) as dt: straight from the
 * numbers, or by concatenating the scalars (differentiable under gradient). */
static lx_Value make_vector(lx_State *L, lx_Value *items, int64_t n, nn_dtype dt, bool scalars,
                            const char *fname)
{
    if (!scalars) {
        for (int64_t i = 0; i < n; i++)
            check_number(L, items[i], dt, fname, i);
        nn_tensor *t = NULL;
        lx_Value r = lxL_result(L, nn_empty(L->nn, &t, dt, 1, &n), &t);
        for (int64_t i = 0; i < n; i++)
            set_elem(t, i, items[i]);
        return r;
    }
    nn_tensor **xs = scratch(L, (size_t)n * sizeof *xs);
    for (int64_t i = 0; i < n; i++) {
        lx_Value hold;
        xs[i] = as_dtype(L, items[i], dt, fname, &hold);
    }
    if (n > INT32_MAX) lxE_error(L, LXT_ArgumentError, "%s: too many elements", fname);
    nn_tensor *out = NULL;
    return lxL_result(L, nn_cat(L->nn, &out, (int)n, xs, 1), &out);
}

static lx_Value new_list(lx_State *L, lx_Value *items, int64_t n)
{
    lxO_list *l = lxO_list_new(L, (size_t)n);
    for (int64_t i = 0; i < n; i++)
        lxO_list_push(L, l, items[i]);
    return lxO_obj(l);
}

/* [a, b, c] */
static lx_Value t_vect(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    nn_dtype dt;
    bool scalars;
    if (!literal_dtype(a, n, &dt, &scalars)) return new_list(L, a, n);
    return make_vector(L, a, n, dt, scalars, "[...]");
}

/* [f(x) for x in xs]: the values arrive as a List. */
static lx_Value t_collect_literal(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (!lxO_is(a[0], LXO_LIST)) return a[0];
    lxO_list *l = lxO_as(lxO_list, a[0]);
    nn_dtype dt;
    bool scalars;
    if (!literal_dtype(l->items, (int64_t)l->n, &dt, &scalars)) return a[0];
    return make_vector(L, l->items, (int64_t)l->n, dt, scalars, "[... for ...]");
}

/* The items of a List, Tuple, Range or tensor as a List of values (for a typed literal or List(x)). */
static lxO_list *flat_list(lx_State *L, lx_Value v)
{
    if (lxO_is(v, LXO_LIST)) return lxO_as(lxO_list, v);
    if (lxL_istensor(v)) {
        nn_tensor *t = lxL_tval(v);
        if (nn_tensor_device(t) != NN_CPU)
            lxE_error(L, LXT_ArgumentError, "the tensor is on the GPU: move it with cpu_device() first");
        lxO_list *l = lxO_list_new(L, (size_t)t->numel);
        for (int64_t i = 0; i < t->numel; i++)
            lxO_list_push(L, l, elem_value(L, t, i));
        return l;
    }
    if (lxO_is(v, LXO_TUPLE)) {
        lxO_tuple *tu = lxO_as(lxO_tuple, v);
        return lxO_as(lxO_list, new_list(L, tu->items, tu->n));
    }
    if (lxO_is(v, LXO_RANGE)) {
        lxO_range *r = lxO_as(lxO_range, v);
        lxO_list *l = lxO_list_new(L, (size_t)r->len);
        for (int64_t i = 0; i < r->len; i++)
            lxO_list_push(L, l, lxO_range_at(r, i));
        return l;
    }
    return NULL;
}

/* T[a, b]: a tensor of T for the element types, else a List (converting to T unless T is Any). */
static lx_Value typed_vector(lx_State *L, lx_Value T, lx_Value *items, int64_t n)
{
    nn_dtype dt;
    if (lxL_dtype_of(L, T, &dt)) {
        bool scalars = false;
        for (int64_t i = 0; i < n; i++)
            scalars |= is_scalar_tensor(items[i]);
        char fname[48];
        snprintf(fname, sizeof fname, "%s[...]", nn_dtype_name(dt));
        return make_vector(L, items, n, dt, scalars, fname);
    }
    lxO_list *l = lxO_list_new(L, (size_t)n);
    int mark = lxV_root(L, lxO_obj(l));
    lxO_type *t = lxO_as(lxO_type, T);
    for (int64_t i = 0; i < n; i++) {
        lx_Value v = items[i];
        if (t->super) v = lxL_callg(L, "convert", (lx_Value[]){T, v}, 2);
        lxO_list_push(L, l, v);
    }
    lxV_unroot(L, mark);
    return lxO_obj(l);
}

/* T[a, b] compiles to getindex(T, a, b). */
static lx_Value t_typed_index(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value *items = a + 1;
    int64_t k = n - 1;
    /* the items are on the VM stack, which converting into a List may call lx over: copy first */
    lx_Value list = new_list(L, items, k);
    int mark = lxV_root(L, list);
    lx_Value r = typed_vector(L, a[0], lxO_as(lxO_list, list)->items, k);
    lxV_unroot(L, mark);
    return r;
}

/* T[a b; c d] and T[f(x) for x in xs] compile to __typedvect(T, the untyped literal). */
static lx_Value t_typedvect(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    nn_dtype dt;
    if (lxL_istensor(a[1]) && lxL_dtype_of(L, a[0], &dt)) {
        lx_Value hold;
        nn_tensor *t = convert_checked(L, lxL_tval(a[1]), dt, &hold);
        return t == lxL_tval(a[1]) ? a[1] : hold;
    }
    lxO_list *l = flat_list(L, a[1]);
    if (!l) return a[1];
    int mark = lxV_root(L, lxO_obj(l));
    lx_Value r = typed_vector(L, a[0], l->items, (int64_t)l->n);
    lxV_unroot(L, mark);
    return r;
}

/* __typed_collect(T, list): T[f(x) for x in xs] built straight in T (for the compiler). */
static lx_Value t_typed_collect(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return t_typedvect(L, a, n, kw);
}

/* The size of a comprehension over the product of its g iterables, (length(a), length(b), ...), into
 * shape; count is how many values its loops gave (they agree unless an iterable's length lies). */
static void product_shape(lx_State *L, const lx_Value *iters, int g, int64_t count, int64_t *shape,
                          const char *fname)
{
    if (g > NN_MAX_DIMS)
        lxE_error(L, LXT_ArgumentError, "%s: %d iterators make a tensor of more than %d dimensions", fname, g,
                  NN_MAX_DIMS);
    lx_Value its[NN_MAX_DIMS];
    memcpy(its, iters, (size_t)g * sizeof *its); /* length() may call lx: no pointers into the stack */
    int64_t total = 1;
    for (int k = 0; k < g; k++) {
        lx_Value v = its[k];
        int64_t len;
        if (lxO_is(v, LXO_LIST))
            len = (int64_t)lxO_as(lxO_list, v)->n;
        else if (lxO_is(v, LXO_RANGE))
            len = lxO_as(lxO_range, v)->len;
        else if (lxO_is(v, LXO_TUPLE))
            len = lxO_as(lxO_tuple, v)->n;
        else if (lxL_istensor(v))
            len = lxL_tval(v)->numel;
        else {
            lx_Value n = lxL_callg(L, "length", &its[k], 1);
            if (n.tag != LX_TINT)
                lxE_error(L, LXT_ArgumentError, "%s: length of iterator %d is not an integer", fname, k + 1);
            len = n.v.i;
        }
        if (len < 0) len = 0;
        shape[k] = len;
        if (len && total > INT64_MAX / len)
            lxE_error(L, LXT_ArgumentError, "%s: the iterators' lengths overflow", fname);
        total *= len;
    }
    if (total != count) {
        char sh[128];
        nn_shape_str(sh, sizeof sh, g, shape);
        lxE_error(L, LXT_DimensionMismatch,
                  "%s: iterators of lengths %s make %lld values, but the loops gave %lld", fname, sh,
                  (long long)total, (long long)count);
    }
}

/* [f(i, j) for i in a, j in b] (T given: T[...]): the values the loops gave, first iterator
 * fastest, as a tensor of size (length(a), length(b), ...).  Its values must be numbers: lx has no
 * n-d List (Julia makes a Matrix{Any}). */
static lx_Value collect_shaped(lx_State *L, lx_Value list, const lx_Value *iters, int g, const lx_Value *T)
{
    char fname[96];
    snprintf(fname, sizeof fname, "%s[... for i in a, j in b]",
             !T                     ? ""
             : lxO_is(*T, LXO_TYPE) ? lxT_name(lxO_as(lxO_type, *T))
                                    : "T");
    if (!lxO_is(list, LXO_LIST)) lxE_typeerror(L, fname, "a List", list);
    lxO_list *l = lxO_as(lxO_list, list);
    int64_t shape[NN_MAX_DIMS], n = (int64_t)l->n;
    int mark = lxV_root(L, list);
    product_shape(L, iters, g, n, shape, fname);
    lxV_unroot(L, mark);
    nn_dtype dt = NN_F32;
    bool scalars = false;
    if (T && !lxL_dtype_of(L, *T, &dt))
        lxE_error(L, LXT_ArgumentError,
                  "%s: a comprehension over %d iterators makes a %d-d tensor, whose element type must be "
                  "Float32, Float64, Int64, Int32 or Bool (lx has no %d-d List)",
                  fname, g, g, g);
    nn_tensor *out = NULL;
    if (n == 0) return lxL_result(L, nn_zeros(L->nn, &out, dt, g, shape), &out);
    lx_Value v;
    if (T) {
        v = typed_vector(L, *T, l->items, n);
    } else {
        if (!literal_dtype(l->items, n, &dt, &scalars)) {
            int64_t i = 0;
            while (i < n && (lxO_isnumber(l->items[i]) || is_scalar_tensor(l->items[i])))
                i++;
            lxE_error(
                L, LXT_ArgumentError,
                "%s: a comprehension over %d iterators makes a %d-d tensor, so its values must be "
                "numbers, got a %s (value %lld); lx has no %d-d List (a nested [... for i in a for j in "
                "b] makes a flat one)",
                fname, g, g, lxT_name(lxT_typeof(L, l->items[i])), (long long)i + 1, g);
        }
        v = make_vector(L, l->items, n, dt, scalars, fname);
    }
    if (g == 1) return v;
    return lxL_result(L, nn_reshape(L->nn, &out, lxL_tval(v), g, shape), &out);
}

/* __collect_shaped(list, iterables...) */
static lx_Value t_collect_shaped(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return collect_shaped(L, a[0], a + 1, n - 1, NULL);
}

/* __typed_collect_shaped(T, list, iterables...) */
static lx_Value t_typed_collect_shaped(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value T = a[0];
    return collect_shaped(L, a[1], a + 2, n - 2, &T);
}

/* [a b; c d]: rows are concatenated along dimension 2, then the rows along 1
 * (Julia's hvcat); numbers count as 1×1.  force: the element type of T[...], or -1. */
static lx_Value hvcat(lx_State *L, const int64_t *rowlen, int nrows, lx_Value *items, int n, int force)
{
    int64_t total = 0;
    for (int r = 0; r < nrows; r++)
        total += rowlen[r];
    if (total != n)
        lxE_error(L, LXT_ArgumentError, "[...]: %d elements for rows of %lld", n, (long long)total);
    bool tensors = false, numbers = true, alllists = true;
    nn_dtype tdt = NN_BOOL;
    for (int i = 0; i < n; i++) {
        if (lxL_istensor(items[i])) {
            tensors = true;
            tdt = dtype_max(tdt, lxL_tval(items[i])->dtype);
        } else if (!lxO_isnumber(items[i])) {
            numbers = false;
        }
        alllists &= lxO_is(items[i], LXO_LIST) || lxO_is(items[i], LXO_RANGE) || lxO_is(items[i], LXO_TUPLE);
    }
    bool vcat = true;
    for (int r = 0; r < nrows; r++)
        vcat &= rowlen[r] == 1;
    if (!numbers && !tensors && alllists && vcat) /* [xs; ys] of Lists: a longer List, as Julia's vcat */
        return lxL_callg(L, "vcat", items, n);
    for (int i = 0; i < n; i++)
        if (!lxO_isnumber(items[i]) && !lxL_istensor(items[i]))
            lxE_error(L, LXT_ArgumentError,
                      "[a b; c d] builds a tensor from numbers and tensors: element %d is a %s", i + 1,
                      lxT_name(lxT_typeof(L, items[i])));
    if (!tensors) {
        nn_dtype dt;
        bool scalars;
        literal_dtype(items, n, &dt, &scalars);
        if (force >= 0) dt = (nn_dtype)force;
        if (vcat) return make_vector(L, items, n, dt, false, "[a; b]");
        for (int r = 1; r < nrows; r++)
            if (rowlen[r] != rowlen[0])
                lxE_error(L, LXT_DimensionMismatch,
                          "[a b; c d]: row %d has %lld element%s, row 1 has %lld: rows must be equally long",
                          r + 1, (long long)rowlen[r], rowlen[r] == 1 ? "" : "s", (long long)rowlen[0]);
        for (int i = 0; i < n; i++)
            check_number(L, items[i], dt, "[a b; c d]", i);
        int64_t shape[2] = {nrows, rowlen[0]};
        nn_tensor *t = NULL;
        lx_Value res = lxL_result(L, nn_empty(L->nn, &t, dt, 2, shape), &t);
        int k = 0;
        for (int r = 0; r < nrows; r++)
            for (int64_t c = 0; c < rowlen[r]; c++)
                set_elem(t, r + c * nrows, items[k++]);
        return res;
    }
    /* tensors: numbers take the tensors' type (weakly), T[...] converts everything; scalars
     * alone (under gradient) follow the literal rule, as the numbers they stand for would */
    nn_dtype sdt;
    bool scalars;
    if (force < 0 && literal_dtype(items, n, &sdt, &scalars)) force = (int)sdt;
    nn_tensor **xs = scratch(L, (size_t)n * sizeof *xs), **rows = scratch(L, (size_t)nrows * sizeof *rows);
    for (int i = 0; i < n; i++) {
        lx_Value hold;
        nn_dtype dt = force >= 0               ? (nn_dtype)force
                      : lxL_istensor(items[i]) ? lxL_tval(items[i])->dtype
                                               : lxL_weakdtype(items[i], tdt);
        xs[i] = lxL_istensor(items[i]) ? convert_checked(L, lxL_tval(items[i]), dt, &hold)
                                       : as_dtype(L, items[i], dt, "[a b; c d]", &hold);
    }
    int k = 0;
    for (int r = 0; r < nrows; r++) {
        if (rowlen[r] == 1) {
            rows[r] = xs[k++];
            continue;
        }
        nn_tensor *out = NULL;
        lxL_result(L, nn_cat(L->nn, &out, (int)rowlen[r], xs + k, 2), &out);
        rows[r] = out;
        k += (int)rowlen[r];
    }
    if (nrows == 1 && rowlen[0] > 1) return lxO_tensor_new(L, nn_retain(rows[0]));
    nn_tensor *out = NULL;
    return lxL_result(L, nn_cat(L->nn, &out, nrows, rows, 1), &out);
}

static int row_lengths(lx_State *L, lx_Value rows, int64_t *len, int max)
{
    if (!lxO_is(rows, LXO_TUPLE)) lxE_typeerror(L, "__hvcat", "a tuple of row lengths", rows);
    lxO_tuple *t = lxO_as(lxO_tuple, rows);
    if (t->n > max) lxE_error(L, LXT_ArgumentError, "[a b; c d]: too many rows (%d)", t->n);
    for (int i = 0; i < t->n; i++) {
        if (t->items[i].tag != LX_TINT || t->items[i].v.i < 0)
            lxE_typeerror(L, "__hvcat", "row lengths", t->items[i]);
        len[i] = t->items[i].v.i;
    }
    return t->n;
}

#define MAX_ROWS 4096

static lx_Value t_hvcat(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    int64_t *len = scratch(L, MAX_ROWS * sizeof *len);
    int nrows = row_lengths(L, a[0], len, MAX_ROWS);
    return hvcat(L, len, nrows, a + 1, n - 1, -1);
}

static lx_Value t_hcat_literal(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    int64_t len = n;
    return hvcat(L, &len, 1, a, n, -1);
}

/* __typed_hvcat(T, rows, items...) and __typed_hcat(T, items...): T[a b; c d] built straight in T. */
static lx_Value t_typed_hvcat(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    nn_dtype dt;
    if (!lxL_dtype_of(L, a[0], &dt)) {
        lx_Value v = t_hvcat(L, a + 1, n - 1, kw);
        return t_typedvect(L, (lx_Value[]){a[0], v}, 2, kw);
    }
    int64_t *len = scratch(L, MAX_ROWS * sizeof *len);
    int nrows = row_lengths(L, a[1], len, MAX_ROWS);
    return hvcat(L, len, nrows, a + 2, n - 2, (int)dt);
}

static lx_Value t_typed_hcat(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    nn_dtype dt;
    int64_t len = n - 1;
    if (!lxL_dtype_of(L, a[0], &dt)) {
        lx_Value v = hvcat(L, &len, 1, a + 1, n - 1, -1);
        return t_typedvect(L, (lx_Value[]){a[0], v}, 2, kw);
    }
    return hvcat(L, &len, 1, a + 1, n - 1, (int)dt);
}

/* ---- constructors ------------------------------------------------------------------------------------ */

static lx_Value filled(lx_State *L, nn_dtype dt, lx_Value *dims, int ndims, double v, const char *fname)
{
    int64_t shape[NN_MAX_DIMS];
    int nd = lxL_shape(L, dims, ndims, shape, fname);
    nn_tensor *t = NULL;
    return lxL_result(L, nn_full(L->nn, &t, dt, nd, shape, v), &t);
}

/* zeros(dims...), zeros(T, dims...): the type, if any, comes first. */
static lx_Value typed_fill(lx_State *L, lx_Value *a, int n, double v, const char *fname)
{
    if (n && lxO_is(a[0], LXO_TYPE)) return filled(L, dtype_arg(L, a[0], fname), a + 1, n - 1, v, fname);
    return filled(L, NN_F32, a, n, v, fname);
}

static lx_Value t_zeros(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return typed_fill(L, a, n, 0, "zeros");
}
static lx_Value t_ones(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return typed_fill(L, a, n, 1, "ones");
}
static lx_Value t_trues(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return filled(L, NN_BOOL, a, n, 1, "trues");
}
static lx_Value t_falses(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return filled(L, NN_BOOL, a, n, 0, "falses");
}

/* fill(v, dims...): the element type by the literal rule (Float32 for any float). */
static lx_Value t_fill(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value v = a[0];
    if (is_scalar_tensor(v)) {
        nn_tensor *s = lxL_tval(v);
        return filled(L, s->dtype, a + 1, n - 1, nn_get(s, 0), "fill");
    }
    if (!lxO_isnumber(v)) {
        int64_t shape[NN_MAX_DIMS];
        int nd = lxL_shape(L, a + 1, n - 1, shape, "fill");
        if (nd != 1)
            lxE_error(
                L, LXT_ArgumentError,
                "fill: a tensor holds numbers; a %s can only fill a List (one dimension), not %d dimensions",
                lxT_name(lxT_typeof(L, v)), nd);
        lxO_list *l = lxO_list_new(L, (size_t)shape[0]);
        for (int64_t i = 0; i < shape[0]; i++)
            lxO_list_push(L, l, v);
        return lxO_obj(l);
    }
    nn_dtype dt = NN_F32;
    bool scalars;
    literal_dtype(&v, 1, &dt, &scalars);
    return filled(L, dt, a + 1, n - 1, lxO_tonumber(v), "fill");
}

/* fill!(x, v): every element set to v (in place); returns x. */
static lx_Value t_fill_(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    nn_tensor *t = lxL_tval(a[0]);
    lxL_liftcheck(L, "fill!");
    lx_Value v = a[1];
    if (is_scalar_tensor(v)) v = get_elem(L, lxL_tval(v), 0);
    check_number(L, v, t->dtype, "fill!", 0);
    lxL_nncheck(L, nn_fill_(L->nn, t, lxO_tonumber(v)));
    return a[0];
}

/* similar(x), similar(x, T), similar(x, dims...), similar(x, T, dims...): zero-filled. */
static lx_Value t_similar(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    nn_tensor *x = lxL_tval(a[0]);
    nn_dtype dt = x->dtype;
    int k = 1;
    if (n > 1 && lxO_is(a[1], LXO_TYPE)) dt = dtype_arg(L, a[k++], "similar");
    if (k == n) {
        nn_tensor *t = NULL;
        return lxL_result(L, nn_zeros(L->nn, &t, dt, x->ndim, x->shape), &t);
    }
    return filled(L, dt, a + k, n - k, 0, "similar");
}

static lx_Value t_copy(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    nn_tensor *t = NULL;
    return lxL_result(L, nn_copy(L->nn, &t, lxL_tval(a[0])), &t);
}

/* zero(x): zeros of x's size and type (the number 0 for a 0-d tensor). */
static lx_Value t_zero(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    nn_tensor *x = lxL_tval(a[0]), *t = NULL;
    if (x->ndim == 0 && L->bcast_mode == 0) return lxL_scalar(L, nn_scalar(L->nn, &t, x->dtype, 0), &t);
    return lxL_result(L, nn_zeros(L->nn, &t, x->dtype, x->ndim, x->shape), &t);
}

/* one(x): 1 for a 0-d tensor, the identity for a square matrix (Julia's multiplicative identity). */
static lx_Value t_one(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    nn_tensor *x = lxL_tval(a[0]), *t = NULL;
    char buf[96];
    if (L->bcast_mode > 0) return lxL_result(L, nn_ones(L->nn, &t, x->dtype, x->ndim, x->shape), &t);
    if (x->ndim == 0) return lxL_scalar(L, nn_scalar(L->nn, &t, x->dtype, 1), &t);
    if (x->ndim != 2 || x->shape[0] != x->shape[1])
        lxE_error(L, LXT_DimensionMismatch,
                  "one: the multiplicative identity needs a square matrix, got size %s",
                  shape_text(buf, sizeof buf, x));
    lx_Value r = lxL_result(L, nn_zeros(L->nn, &t, x->dtype, 2, x->shape), &t);
    for (int64_t i = 0; i < x->shape[0]; i++)
        nn_set(t, i + i * x->shape[0], 1);
    return r;
}

/* A List, Tuple or Range of numbers as a tensor by the literal rule (Ranges: Int64 or Float32). */
static lx_Value to_tensor(lx_State *L, lx_Value v, const char *fname)
{
    if (lxO_is(v, LXO_RANGE)) {
        lxO_range *r = lxO_as(lxO_range, v);
        int64_t len = r->len;
        nn_tensor *t = NULL;
        lx_Value res = lxL_result(L, nn_empty(L->nn, &t, r->isfloat ? NN_F32 : NN_I64, 1, &len), &t);
        for (int64_t i = 0; i < len; i++)
            set_elem(t, i, lxO_range_at(r, i));
        return res;
    }
    lx_Value *items = NULL;
    int64_t n = 0;
    if (lxO_is(v, LXO_LIST)) {
        items = lxO_as(lxO_list, v)->items;
        n = (int64_t)lxO_as(lxO_list, v)->n;
    } else if (lxO_is(v, LXO_TUPLE)) {
        items = lxO_as(lxO_tuple, v)->items;
        n = lxO_as(lxO_tuple, v)->n;
    } else if (lxO_isnumber(v)) {
        items = &v;
        n = 1;
    } else {
        lxE_error(L, LXT_TypeError, "%s: cannot make a tensor from a %s", fname, lxT_name(lxT_typeof(L, v)));
    }
    nn_dtype dt = NN_F32;
    bool scalars = false;
    if (n && !literal_dtype(items, n, &dt, &scalars)) {
        for (int64_t i = 0; i < n; i++)
            if (!lxO_isnumber(items[i]) && !is_scalar_tensor(items[i]))
                lxE_error(L, LXT_ArgumentError, "%s: element %lld is a %s, not a number", fname,
                          (long long)i + 1, lxT_name(lxT_typeof(L, items[i])));
    }
    if (n == 0) {
        nn_tensor *t = NULL;
        return lxL_result(L, nn_empty(L->nn, &t, NN_F32, 1, &n), &t);
    }
    return make_vector(L, items, n, dt, scalars, fname);
}

/* Tensor(xs): a List, Tuple or Range of numbers as a tensor; a tensor is copied. */
static lx_Value t_tensor_ctor(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (lxL_istensor(a[0])) return t_copy(L, a, 1, kw);
    return to_tensor(L, a[0], "Tensor");
}

/* collect(r) for a range: a vector by the literal rule (Int64, or Float32 for a float range). */
static lx_Value t_collect_range(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return to_tensor(L, a[0], "collect");
}

/* collect(T, x) for a range or a tensor: a tensor of T (a List for other types). */
static lx_Value t_collect_typed(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    nn_dtype dt;
    if (lxL_dtype_of(L, a[0], &dt) && lxL_istensor(a[1])) {
        lx_Value hold;
        nn_tensor *t = convert_checked(L, lxL_tval(a[1]), dt, &hold);
        return t == lxL_tval(a[1]) ? t_copy(L, &a[1], 1, kw) : hold;
    }
    lxO_list *l = flat_list(L, a[1]);
    int mark = lxV_root(L, lxO_obj(l));
    lx_Value r = typed_vector(L, a[0], l->items, (int64_t)l->n);
    lxV_unroot(L, mark);
    return r;
}

/* List(x): the elements in column-major order; List(xs) for any iterable; List() empty. */
static lx_Value t_list_ctor(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (n == 0) return lxO_obj(lxO_list_new(L, 0));
    if (lxO_is(a[0], LXO_LIST))
        return new_list(L, lxO_as(lxO_list, a[0])->items, (int64_t)lxO_as(lxO_list, a[0])->n);
    if (lxL_istensor(a[0])) lxL_liftcheck(L, "List");
    lxO_list *l = flat_list(L, a[0]);
    if (l) return lxO_obj(l);
    lx_Value c = lxL_callg(L, "collect", a, 1);
    l = flat_list(L, c);
    if (!l) lxE_typeerror(L, "List", "an iterable", a[0]);
    return lxO_obj(l);
}

/* ---- conversions to numbers ---------------------------------------------------------------------- */

/* The one element of x as a number of dt (InexactError when it does not fit);
 * in broadcast mode, x converted elementwise. */
static lx_Value to_number(lx_State *L, lx_Value xv, nn_dtype dt, const char *fname)
{
    nn_tensor *x = lxL_tval(xv);
    if (L->bcast_mode > 0) {
        lx_Value hold;
        nn_tensor *t = convert_checked(L, x, dt, &hold);
        return t == x ? xv : hold;
    }
    if (x->numel != 1) {
        char buf[96];
        lxE_error(L, LXT_ArgumentError,
                  "%s: cannot convert a tensor of size %s to a number (it needs exactly one element); use "
                  "%s.(x) to convert each element",
                  fname, shape_text(buf, sizeof buf, x), fname);
    }
    if (nn_tensor_device(x) != NN_CPU)
        lxE_error(L, LXT_ArgumentError, "%s: the tensor is on the GPU: move it with cpu_device() first",
                  fname);
    lx_Value v = get_elem(L, x, 0);
    check_number(L, v, dt, fname, 0);
    switch (dt) {
    case NN_F32: return lxO_f32((float)lxO_tonumber(v));
    case NN_F64: return lxO_f64(lxO_tonumber(v));
    case NN_BOOL: return lxO_bool(lxO_tonumber(v) != 0);
    default: return v.tag == LX_TINT ? v : lxO_int((int64_t)lxO_tonumber(v));
    }
}

static lx_Value t_float32(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return to_number(L, a[0], NN_F32, "Float32");
}
static lx_Value t_float64(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return to_number(L, a[0], NN_F64, "Float64");
}
static lx_Value t_int64(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return to_number(L, a[0], NN_I64, "Int64");
}
static lx_Value t_int32(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return to_number(L, a[0], NN_I32, "Int32");
}
static lx_Value t_bool(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return to_number(L, a[0], NN_BOOL, "Bool");
}

/* item(x): the one element as a number (detached from gradient tracking). */
static lx_Value t_item(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    nn_tensor *x = lxL_tval(a[0]);
    lxL_liftcheck(L, "item");
    if (x->numel != 1) {
        char buf[96];
        lxE_error(L, LXT_ArgumentError,
                  "item: the tensor has %lld elements (size %s); item needs exactly one", (long long)x->numel,
                  shape_text(buf, sizeof buf, x));
    }
    return to_number(L, a[0], x->dtype, "item");
}

static lx_Value t_item_number(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return a[0];
}

static lx_Value t_eltype(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (lxL_istensor(a[0])) return lxL_dtype_type(L, lxL_tval(a[0])->dtype);
    if (lxO_is(a[0], LXO_RANGE))
        return lxO_obj(L->T[lxO_as(lxO_range, a[0])->isfloat ? LXT_Float64 : LXT_Int64]);
    if (lxO_is(a[0], LXO_STRING)) return lxO_obj(L->T[LXT_String]);
    return lxO_obj(L->T[LXT_Any]);
}

static lx_Value t_isempty(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "isempty");
    return lxO_bool(lxL_tval(a[0])->numel == 0);
}

/* ---- equality --------------------------------------------------------------------------------------- */

/* Julia's == (NaN unequal) or isequal (NaN equal to NaN, -0.0 not equal to 0.0) of two numbers. */
static bool num_eq(lx_State *L, lx_Value x, lx_Value y, bool strict)
{
    return strict ? lxO_isequal(L, x, y) : lxO_equal(L, x, y);
}

/* x (a tensor) against y (a tensor, List or Range), element by element. */
static bool tensor_equal(lx_State *L, lx_Value xv, lx_Value yv, bool strict)
{
    nn_tensor *x = lxL_tval(xv);
    if (nn_tensor_device(x) != NN_CPU)
        lxE_error(L, LXT_ArgumentError, "==: the tensor is on the GPU: move it with cpu_device() first");
    if (lxL_istensor(yv)) {
        nn_tensor *y = lxL_tval(yv);
        if (nn_tensor_device(y) != NN_CPU)
            lxE_error(L, LXT_ArgumentError, "==: the tensor is on the GPU: move it with cpu_device() first");
        if (x->ndim != y->ndim || !nn_same_shape(x, y)) return false;
        for (int64_t i = 0; i < x->numel; i++)
            if (!num_eq(L, get_elem(L, x, i), get_elem(L, y, i), strict)) return false;
        return true;
    }
    if (x->ndim != 1) return false;
    if (lxO_is(yv, LXO_LIST)) {
        lxO_list *l = lxO_as(lxO_list, yv);
        if ((int64_t)l->n != x->numel) return false;
        for (int64_t i = 0; i < x->numel; i++)
            if (!lxO_isnumber(l->items[i]) || !num_eq(L, get_elem(L, x, i), l->items[i], strict))
                return false;
        return true;
    }
    if (lxO_is(yv, LXO_RANGE)) {
        lxO_range *r = lxO_as(lxO_range, yv);
        if (r->len != x->numel) return false;
        for (int64_t i = 0; i < x->numel; i++)
            if (!num_eq(L, get_elem(L, x, i), lxO_range_at(r, i), strict)) return false;
        return true;
    }
    return false;
}

static lx_Value t_eq(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    bool swap = !lxL_istensor(a[0]);
    lx_Value x = swap ? a[1] : a[0], y = swap ? a[0] : a[1];
    if (L->bcast_mode > 0 && lxL_istensor(y)) { /* elementwise inside a broadcast f.(x) */
        nn_tensor *t = NULL;
        return lxL_result(L, nn_compare(L->nn, &t, NN_EQ, lxL_tval(a[0]), lxL_tval(a[1])), &t);
    }
    lxL_liftcheck(L, "==");
    return lxO_bool(tensor_equal(L, x, y, false));
}

static lx_Value t_isequal(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "isequal");
    bool swap = !lxL_istensor(a[0]);
    return lxO_bool(tensor_equal(L, swap ? a[1] : a[0], swap ? a[0] : a[1], true));
}

/* hash(x): from the shape and the elements, so isequal tensors hash alike. */
static lx_Value t_hash(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    nn_tensor *x = lxL_tval(a[0]);
    lxL_liftcheck(L, "hash");
    uint32_t h = 0x7e450u + (uint32_t)x->ndim;
    for (int d = 0; d < x->ndim; d++)
        h = h * 31u + (uint32_t)x->shape[d];
    for (int64_t i = 0; i < x->numel && nn_tensor_device(x) == NN_CPU; i++)
        h ^= lxO_hash(L, get_elem(L, x, i)) + 0x9e3779b9u + (h << 6) + (h >> 2);
    return lxO_int(h);
}

/* isapprox(x, y; atol, rtol): Julia's rule for arrays, on the norm of the difference:
 * norm(x - y) <= max(atol, rtol * max(norm(x), norm(y))); rtol defaults to sqrt(eps)
 * of the element type when atol is 0. */
static lx_Value t_isapprox(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "isapprox");
    lx_Value hx, hy;
    nn_tensor *x = lxL_totensor(L, a[0], NULL, "isapprox", &hx);
    nn_tensor *y = lxL_totensor(L, a[1], NULL, "isapprox", &hy);
    char b1[96], b2[96];
    bool scalar = x->ndim == 0 || y->ndim == 0;
    if (scalar ? (x->numel != 1 || y->numel != 1) : (x->ndim != y->ndim || !nn_same_shape(x, y)))
        lxE_error(L, LXT_DimensionMismatch, "isapprox: sizes %s and %s differ", shape_text(b1, sizeof b1, x),
                  shape_text(b2, sizeof b2, y));
    if (nn_tensor_device(x) != NN_CPU || nn_tensor_device(y) != NN_CPU)
        lxE_error(L, LXT_ArgumentError, "isapprox: the tensors must be on the CPU");
    lx_Value atv = lxL_kw(L, kw, "atol", lxO_f64(0)), rtv = lxL_kw(L, kw, "rtol", lxO_nothing());
    if (!lxO_isnumber(atv)) lxE_typeerror(L, "isapprox's atol", "a number", atv);
    double atol = lxO_tonumber(atv);
    double rtol;
    if (rtv.tag != LX_TNOTHING) {
        if (!lxO_isnumber(rtv)) lxE_typeerror(L, "isapprox's rtol", "a number", rtv);
        rtol = lxO_tonumber(rtv);
    } else if (atol > 0) {
        rtol = 0;
    } else {
        /* sqrt(eps) of the wider float type; integers compare exactly */
        bool f64 = x->dtype == NN_F64 || y->dtype == NN_F64,
             fl = nn_dtype_is_float(x->dtype) || nn_dtype_is_float(y->dtype);
        rtol = !fl ? 0 : f64 ? 1.4901161193847656e-8 : 3.4526698e-4;
    }
    double d2 = 0, x2 = 0, y2 = 0;
    for (int64_t i = 0; i < x->numel; i++) {
        double u = nn_get(x, i), v = nn_get(y, i);
        if (u == v) { /* equal infinities too */
            x2 += isinf(u) ? 0 : u * u;
            y2 += isinf(v) ? 0 : v * v;
            continue;
        }
        d2 += (u - v) * (u - v);
        x2 += u * u;
        y2 += v * v;
    }
    double d = sqrt(d2), m = sqrt(x2 > y2 ? x2 : y2);
    if (isnan(d)) return lxO_bool(false);
    return lxO_bool(d <= (atol > rtol * m ? atol : rtol * m));
}

/* ---- growing a vector ---------------------------------------------------------------------------- */

/* The vector in the value a[0] replaced by a copy with the values appended (no
 * amortised capacity: nn tensors have no spare room, so each call copies). */
static void grow(lx_State *L, lx_Value xv, lx_Value *vals, int64_t nv, const char *fname)
{
    nn_tensor *x = lxL_tval(xv);
    lxL_liftcheck(L, fname);
    char buf[96];
    if (x->ndim != 1)
        lxE_error(L, LXT_ArgumentError, "%s: only a vector (1-d tensor) can grow, got size %s", fname,
                  shape_text(buf, sizeof buf, x));
    if (nn_is_tracked(x))
        lxE_error(L, LXT_ErrorException, "%s: cannot grow a tensor that gradient is tracking", fname);
    if (nn_tensor_device(x) != NN_CPU)
        lxE_error(L, LXT_ArgumentError, "%s: the tensor is on the GPU: move it with cpu_device() first",
                  fname);
    lx_Value *v = scratch(L, (size_t)(nv ? nv : 1) * sizeof *v);
    for (int64_t i = 0; i < nv; i++) {
        v[i] = is_scalar_tensor(vals[i]) ? get_elem(L, lxL_tval(vals[i]), 0) : vals[i];
        check_number(L, v[i], x->dtype, fname, i);
    }
    int64_t n = x->numel + nv;
    nn_tensor *t = NULL;
    lxL_nncheck(L, nn_empty(L->nn, &t, x->dtype, 1, &n));
    memcpy(nn_data(t), nn_data(x), (size_t)x->numel * nn_dtype_size(x->dtype));
    for (int64_t i = 0; i < nv; i++)
        set_elem(t, x->numel + i, v[i]);
    lxO_tensor *o = lxO_as(lxO_tensor, xv);
    o->t = t;
    L->gcdebt += (size_t)n * nn_dtype_size(t->dtype);
    nn_release(x);
}

static lx_Value t_push(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    grow(L, a[0], a + 1, n - 1, "push!");
    return a[0];
}

/* append!(x, collections...): the numbers of each (tensor, List, Tuple, Range) at the end. */
static lx_Value t_append(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    for (int i = 1; i < n; i++) {
        if (lxO_isnumber(a[i])) { /* a number iterates once, as in Julia */
            grow(L, a[0], &a[i], 1, "append!");
            continue;
        }
        lxO_list *l = flat_list(L, a[i]); /* a snapshot: append!(x, x) doubles x */
        if (!l) lxE_typeerror(L, "append!", "a tensor, List, Tuple or Range of numbers", a[i]);
        grow(L, a[0], l->items, (int64_t)l->n, "append!");
    }
    return a[0];
}

/* ---- Julia's vector functions on 1-d tensors (through a List) --------------------------------------- */

static void check_vector(lx_State *L, const nn_tensor *t, const char *fname, bool mutate)
{
    char buf[96];
    lxL_liftcheck(L, fname);
    if (t->ndim != 1)
        lxE_error(L, LXT_ArgumentError, "%s: needs a vector (1-d tensor), got size %s", fname,
                  shape_text(buf, sizeof buf, t));
    if (mutate && nn_is_tracked(t))
        lxE_error(L, LXT_ErrorException, "%s: cannot change a tensor that gradient is tracking", fname);
    if (nn_tensor_device(t) != NN_CPU)
        lxE_error(L, LXT_ArgumentError, "%s: the tensor is on the GPU: move it with cpu_device() first",
                  fname);
}

/* A vector of dt from the List's numbers (`nothing`, which resize! adds, as 0): into `into` when
 * the length is the same (views see it), else a new tensor swapped into the value. */
static lx_Value from_list(lx_State *L, lxO_list *l, nn_dtype dt, lx_Value into, const char *fname)
{
    int64_t n = (int64_t)l->n;
    for (int64_t i = 0; i < n; i++)
        if (l->items[i].tag != LX_TNOTHING) check_number(L, l->items[i], dt, fname, i);
    nn_tensor *t = NULL;
    lx_Value r = into;
    if (lxL_istensor(into) && lxL_tval(into)->numel == n) {
        t = lxL_tval(into);
    } else {
        r = lxL_result(L, nn_empty(L->nn, &t, dt, 1, &n), &t);
        if (lxL_istensor(into)) { /* the value now holds the new tensor */
            lxO_tensor *o = lxO_as(lxO_tensor, into);
            nn_tensor *old = o->t;
            o->t = nn_retain(t);
            L->gcdebt += (size_t)n * nn_dtype_size(dt);
            nn_release(old);
            r = into;
        }
    }
    for (int64_t i = 0; i < n; i++)
        set_elem(t, i, l->items[i].tag == LX_TNOTHING ? lxO_int(0) : l->items[i]);
    nn_bump_version(t);
    return r;
}

/* Calls the List method of fname with the vector a[xpos] as a List.  inplace: the List's
 * contents go back into the vector, and the result is the vector when the List was
 * returned; else the returned List becomes a new vector of the same element type. */
static lx_Value via_list(lx_State *L, const char *fname, lx_Value *a, int n, lx_Value kw, int xpos,
                         bool inplace)
{
    lx_Value x = a[xpos];
    nn_tensor *t = lxL_tval(x);
    check_vector(L, t, fname, inplace);
    lx_Value args[16];
    if (n > 16) lxE_error(L, LXT_ArgumentError, "%s: too many arguments", fname);
    memcpy(args, a, (size_t)n * sizeof *a);
    lxO_list *l = flat_list(L, x);
    args[xpos] = lxO_obj(l);
    int mark = lxV_root(L, x);
    lxV_root(L, args[xpos]);
    nn_dtype dt = t->dtype;
    lx_Value r = lxV_call(L, lxG_get(L, fname), args, n, kw);
    if (inplace) {
        from_list(L, l, lxL_tval(x)->dtype, x, fname);
        if (lxO_is(r, LXO_LIST) && lxO_as(lxO_list, r) == l) r = x;
    } else if (lxO_is(r, LXO_LIST)) {
        r = from_list(L, lxO_as(lxO_list, r), dt, lxO_nothing(), fname);
    }
    lxV_unroot(L, mark);
    return r;
}

#define VIA_LIST(cname, fname, xpos, inplace)                                                                \
    static lx_Value cname(lx_State *L, lx_Value *a, int n, lx_Value kw)                                      \
    {                                                                                                        \
        return via_list(L, fname, a, n, kw, xpos, inplace);                                                  \
    }

VIA_LIST(t_pop, "pop!", 0, true)
VIA_LIST(t_popfirst, "popfirst!", 0, true)
VIA_LIST(t_pushfirst, "pushfirst!", 0, true)
VIA_LIST(t_insert, "insert!", 0, true)
VIA_LIST(t_deleteat, "deleteat!", 0, true)
VIA_LIST(t_empty, "empty!", 0, true)
VIA_LIST(t_prepend, "prepend!", 0, true)
VIA_LIST(t_resize, "resize!", 0, true)
VIA_LIST(t_reverse_, "reverse!", 0, true)
VIA_LIST(t_sort_, "sort!", 0, true)
VIA_LIST(t_filter_, "filter!", 1, true)

/* x[pos] for 1-based linear positions: a gather, so gradient flows through sort, filter, unique. */
static lx_Value gather(lx_State *L, nn_tensor *x, lxO_list *pos)
{
    int64_t k = (int64_t)pos->n;
    nn_tensor *it = NULL, *out = NULL;
    lxL_result(L, nn_empty(L->nn, &it, NN_I64, 1, &k), &it);
    for (int64_t i = 0; i < k; i++)
        ((int64_t *)nn_data(it))[i] = pos->items[i].v.i;
    nn_index ix = {.kind = NN_IDX_VECTOR, .t = it};
    return lxL_result(L, nn_getindex(L->nn, &out, x, 1, &ix), &out);
}

/* The elements of x as plain numbers (a List), for predicates and comparisons. */
static lxO_list *plain_list(lx_State *L, nn_tensor *x, const char *fname)
{
    lxL_liftcheck(L, fname);
    if (nn_tensor_device(x) != NN_CPU)
        lxE_error(L, LXT_ArgumentError, "%s: the tensor is on the GPU: move it with cpu_device() first",
                  fname);
    lxO_list *l = lxO_list_new(L, (size_t)x->numel);
    for (int64_t i = 0; i < x->numel; i++)
        lxO_list_push(L, l, get_elem(L, x, i));
    return l;
}

/* sort(x; by, lt, rev): x[sortperm(x)], a vector. */
static lx_Value t_sort(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    nn_tensor *x = lxL_tval(a[0]);
    check_vector(L, x, "sort", false);
    lxO_list *l = plain_list(L, x, "sort");
    int mark = lxV_root(L, lxO_obj(l));
    lx_Value p = lxV_call(L, lxG_get(L, "sortperm"), (lx_Value[]){lxO_obj(l)}, 1, kw);
    lxV_root(L, p);
    lxO_list *pos = flat_list(L, p);
    if (!pos) lxE_typeerror(L, "sort", "a permutation from sortperm", p);
    lx_Value r = gather(L, x, pos);
    lxV_unroot(L, mark);
    return r;
}

/* unique(x): the first occurrence of each value (isequal), in order. */
static lx_Value t_unique(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    nn_tensor *x = lxL_tval(a[0]);
    lxO_list *l = plain_list(L, x, "unique");
    lxO_dict *seen = lxO_dict_new(L);
    lxO_list *pos = lxO_list_new(L, 0);
    for (size_t i = 0; i < l->n; i++)
        if (!lxO_dict_get(L, seen, l->items[i])) {
            lxO_dict_set(L, seen, l->items[i], lxO_bool(true));
            lxO_list_push(L, pos, lxO_int((int64_t)i + 1));
        }
    return gather(L, x, pos);
}

/* filter(f, x): the elements for which f is true, as a vector. */
static lx_Value t_filter(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    nn_tensor *x = lxL_tval(a[1]);
    lxO_list *l = plain_list(L, x, "filter");
    lxO_list *pos = lxO_list_new(L, 0);
    int mark = lxV_root(L, lxO_obj(l));
    lxV_root(L, lxO_obj(pos));
    for (size_t i = 0; i < l->n; i++) {
        lx_Value keep = lxV_call(L, a[0], &l->items[i], 1, lxO_nothing());
        if (keep.tag != LX_TBOOL)
            lxE_error(L, LXT_TypeError, "filter: the predicate gave a %s, not a Bool",
                      lxT_name(lxT_typeof(L, keep)));
        if (keep.v.b) lxO_list_push(L, pos, lxO_int((int64_t)i + 1));
    }
    lx_Value r = gather(L, lxL_tval(a[1]), pos);
    lxV_unroot(L, mark);
    return r;
}

/* keys(x): its linear indices 1:length(x); pairs(x): `i => x[i]` for each (linear) index. */
static lx_Value t_keys(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "keys");
    return lxO_obj(lxO_range_int(L, 1, 1, lxL_tval(a[0])->numel));
}

static lx_Value t_pairs(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_liftcheck(L, "pairs");
    lxO_list *l = flat_list(L, a[0]);
    for (size_t i = 0; i < l->n; i++)
        l->items[i] = lxO_pair(L, lxO_int((int64_t)i + 1), l->items[i]);
    return lxO_obj(l);
}

/* first(x), last(x): an element; first(x, n), last(x, n): a vector of the first or last n (linear order). */
static lx_Value end_of(lx_State *L, lx_Value *a, int n, bool last)
{
    nn_tensor *x = lxL_tval(a[0]);
    const char *fname = last ? "last" : "first";
    lxL_liftcheck(L, fname);
    if (nn_tensor_device(x) != NN_CPU)
        lxE_error(L, LXT_ArgumentError, "%s: the tensor is on the GPU: move it with cpu_device() first",
                  fname);
    if (n == 1) {
        if (x->numel == 0) lxE_error(L, LXT_BoundsError, "%s: the tensor is empty", fname);
        return elem_value(L, x, last ? x->numel - 1 : 0);
    }
    int64_t k = lxL_int(L, a, 1, fname);
    if (k < 0)
        lxE_error(L, LXT_ArgumentError, "%s: the number of elements %lld is negative", fname, (long long)k);
    if (k > x->numel) k = x->numel;
    if (k == 0) {
        nn_tensor *t = NULL;
        return lxL_result(L, nn_empty(L->nn, &t, x->dtype, 1, &k), &t);
    }
    int64_t from = last ? x->numel - k + 1 : 1;
    nn_index ix = {.kind = NN_IDX_RANGE, .start = from, .step = 1, .stop = from + k - 1};
    nn_tensor *t = NULL, *c = NULL;
    lxL_result(L, nn_getindex(L->nn, &t, x, 1, &ix), &t);
    return lxL_result(L, nn_copy(L->nn, &c, t), &c); /* a copy, not a view, as Julia's first(x, n) */
}

static lx_Value t_first(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return end_of(L, a, n, false);
}
static lx_Value t_last(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return end_of(L, a, n, true);
}

/* map(f, x): f on each element; numbers make a tensor of x's shape (by the literal rule), anything else a
 * List (the prelude's loop gives the values). */
static lx_Value t_map_result(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    nn_tensor *x = lxL_tval(a[1]);
    lxO_list *l = lxO_as(lxO_list, a[0]);
    if (l->n == 0) {
        nn_tensor *t = NULL;
        return lxL_result(L, nn_empty(L->nn, &t, x->dtype, x->ndim, x->shape), &t);
    }
    lx_Value r = t_collect_literal(L, a, 1, kw);
    if (!lxL_istensor(r) || x->ndim == 1 || (int64_t)l->n != x->numel) return r;
    nn_tensor *t = NULL;
    return lxL_result(L, nn_reshape(L->nn, &t, lxL_tval(r), x->ndim, x->shape), &t);
}

/* l[i], l[i] = v, deleteat!(l, i) with a tensor of indices or a Bool mask: as with a List of them. */
static lx_Value index_as_list(lx_State *L, const char *fname, lx_Value *a, int n, lx_Value kw, int ipos)
{
    lx_Value args[16];
    if (n > 16) lxE_error(L, LXT_ArgumentError, "%s: too many indices", fname);
    memcpy(args, a, (size_t)n * sizeof *a);
    lxO_list *l = flat_list(L, a[ipos]);
    args[ipos] = lxO_obj(l);
    int mark = lxV_root(L, args[ipos]);
    lx_Value r = lxV_call(L, lxG_get(L, fname), args, n, kw);
    lxV_unroot(L, mark);
    return r;
}

static lx_Value t_list_getindex(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return index_as_list(L, "getindex", a, n, kw, 1);
}
static lx_Value t_list_setindex(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return index_as_list(L, "setindex!", a, n, kw, 2);
}
static lx_Value t_list_deleteat(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return index_as_list(L, "deleteat!", a, n, kw, 1);
}

/* ---- registration --------------------------------------------------------------------------------- */

#define EX(body) "\n\n# Examples\n```\n" body "```"

static const lxL_Reg new_lib[] = {
    /* what the compiler emits for literals */
    {"__vect", "(xs...)", t_vect, ""},
    {"__collect", "(xs)", t_collect_literal, ""},
    {"__hcat", "(xs...)", t_hcat_literal, ""},
    {"__hvcat", "(rows, xs...)", t_hvcat, ""},
    {"__typedvect", "(T::Type, xs)", t_typedvect, ""},
    {"__typed_hvcat", "(T::Type, rows, xs...)", t_typed_hvcat, ""},
    {"__typed_hcat", "(T::Type, xs...)", t_typed_hcat, ""},
    {"__typed_collect", "(T::Type, xs)", t_typed_collect, ""},
    {"__collect_shaped", "(xs, iters...)", t_collect_shaped, ""},
    {"__typed_collect_shaped", "(T::Type, xs, iters...)", t_typed_collect_shaped, ""},
    {"getindex", "(T::Type, xs...)", t_typed_index, ""},
    /* constructors */
    {"zeros", "(dims...)", t_zeros,
     "    zeros(dims...)\n    zeros(T, dims...)\n\nA tensor of zeros of the given size (integers, or one "
     "tuple "
     "of them), of element type T (Float32 when not given: Float64, Int64, Int32 and Bool are the others). "
     "Negative sizes are an ArgumentError, sizes too big to allocate an ArgumentError or "
     "OutOfMemoryError." EX(
         "lx> zeros(2, 3)\n2×3 Tensor{Float32, 2}:\n 0.0  0.0  0.0\n 0.0  0.0  0.0\n\nlx> zeros(Int, "
         "(2,))\n2-element Tensor{Int64, 1}:\n 0\n 0\n")},
    {"zeros", "(T::Type, dims...)", t_zeros, ""},
    {"ones", "(dims...)", t_ones,
     "    ones(dims...)\n    ones(T, dims...)\n\nA tensor of ones, as `zeros`." EX(
         "lx> ones(Float64, 2)\n2-element Tensor{Float64, 1}:\n 1.0\n 1.0\n")},
    {"ones", "(T::Type, dims...)", t_ones, ""},
    {"trues", "(dims...)", t_trues,
     "    trues(dims...)\n\nA Bool tensor of `true`s (shown as 1, as Julia shows Bool arrays)." EX(
         "lx> trues(2, 2)\n2×2 Tensor{Bool, 2}:\n 1  1\n 1  1\n")},
    {"falses", "(dims...)", t_falses,
     "    falses(dims...)\n\nA Bool tensor of `false`s." EX(
         "lx> falses(3)\n3-element Tensor{Bool, 1}:\n 0\n 0\n 0\n")},
    {"fill", "(v, dims...)", t_fill,
     "    fill(v, dims...)\n\nA tensor of the given size with every element v; its element type comes from v "
     "by the literal rule (Int64 for an integer, Bool for a Bool, Float32 for any float). A value that is "
     "not "
     "a number fills a List (one dimension only)." EX(
         "lx> fill(1.5, 2, 2)\n2×2 Tensor{Float32, 2}:\n 1.5  1.5\n 1.5  1.5\n\nlx> fill(7, 3)\n3-element "
         "Tensor{Int64, 1}:\n 7\n 7\n 7\n")},
    {"fill!", "(x::Tensor, v)", t_fill_,
     "    fill!(x, v)\n\nSets every element of the tensor x to v, in place; returns x." EX(
         "lx> x = zeros(3); fill!(x, 2); x\n3-element Tensor{Float32, 1}:\n 2.0\n 2.0\n 2.0\n")},
    {"similar", "(x::Tensor, dims...)", t_similar,
     "    similar(x)\n    similar(x, T)\n    similar(x, dims...)\n    similar(x, T, dims...)\n\nA new tensor "
     "like x: x's element type unless T is given, x's size unless dims are. Its elements are zero (Julia "
     "leaves them undefined)." EX("lx> similar([1, 2, 3], Float64, 2)\n2-element Tensor{Float64, 1}:\n 0.0\n "
                                  "0.0\n")},
    {"copy", "(x::Tensor)", t_copy,
     "    copy(x::Tensor)\n\nA new tensor with x's elements (differentiable under `gradient`)." EX(
         "lx> x = [1, 2]; y = copy(x); y === x\nfalse\n")},
    {"deepcopy", "(x::Tensor)", t_copy, ""},
    {"collect", "(x::Tensor)", t_copy,
     "    collect(x::Tensor)\n    collect(r::Range)\n\nA tensor's copy; a range's numbers as a vector by the "
     "literal rule: Int64 for an integer range, Float32 for a float range (`collect(0.0:0.5:1.0)` is "
     "Float32, "
     "as `[0.0, 0.5, 1.0]` is). `collect(T, x)` gives element type T." EX(
         "lx> collect(1:3)\n3-element Tensor{Int64, 1}:\n 1\n 2\n 3\n\nlx> collect(Float64, 0:0.5:1)\n"
         "3-element Tensor{Float64, 1}:\n 0.0\n 0.5\n 1.0\n")},
    {"collect", "(r::Range)", t_collect_range, ""},
    {"collect", "(T::Type, x::Range)", t_collect_typed, ""},
    {"collect", "(T::Type, x::Tensor)", t_collect_typed, ""},
    {"zero", "(x::Tensor)", t_zero,
     "    zero(x::Tensor)\n\nZeros of x's size and element type (the number 0 for a 0-d tensor)." EX(
         "lx> zero([1.5, 2.5])\n2-element Tensor{Float32, 1}:\n 0.0\n 0.0\n")},
    {"one", "(x::Tensor)", t_one,
     "    one(x::Tensor)\n\nThe multiplicative identity: 1 for a 0-d tensor, the identity matrix for a "
     "square "
     "matrix (a DimensionMismatch otherwise), as Julia's `one`." EX(
         "lx> one(zeros(2, 2))\n2×2 Tensor{Float32, 2}:\n 1.0  0.0\n 0.0  1.0\n")},
    {"Tensor", "(xs)", t_tensor_ctor,
     "    Tensor(xs)\n    convert(Tensor, xs)\n\nA List, Tuple or Range of numbers as a vector, by the "
     "literal rule (Int64, Bool, or Float32 when a float is among them); a tensor is copied.\n\n# "
     "Arguments\n- `xs`: a List, Tuple or Range of numbers, or a tensor.\n\n# Returns\nA new vector (a copy "
     "of xs when it is a tensor)." EX(
         "lx> Tensor((1, 2.5))\n2-element Tensor{Float32, 1}:\n 1.0\n 2.5\n\nlx> convert(Tensor, Any[1, "
         "2])\n2-element Tensor{Int64, 1}:\n 1\n 2\n")},
    {"List", "(xs = ())", t_list_ctor,
     "    List(xs)\n    List()\n\nA new List of the elements of xs: a tensor's in column-major order (as "
     "`vec`), a tuple's, a range's, any iterable's.\n\n# Arguments\n- `xs`: a tensor, tuple, range or any "
     "iterable (an empty List when left out).\n\n# Returns\nA new List." EX(
         "lx> List([1 2; 3 4])\n4-element List:\n 1\n 3\n 2\n 4\n\nlx> List()\n0-element List\n")},
    /* conversions to numbers */
    {"Float32", "(x::Tensor)", t_float32,
     "    Float32(x::Tensor)\n    Float64(x::Tensor)\n    Int(x::Tensor)\n    Bool(x::Tensor)\n\nThe number "
     "held by a tensor of one element (or a 0-d tensor, detaching it from `gradient`); an ArgumentError "
     "naming the size otherwise (convert each element with `Float32.(x)`).\n\n# Arguments\n- `x`: a tensor "
     "of one element.\n\n# Returns\nA number of the type named (Float32, Float64, Int64 or Bool)." EX(
         "lx> Float64([2.5])\n2.5\n\nlx> Int(ones(1, 1))\n1\n")},
    {"Float64", "(x::Tensor)", t_float64, ""},
    {"Int64", "(x::Tensor)", t_int64, ""},
    {"Int32", "(x::Tensor)", t_int32, ""},
    {"Bool", "(x::Tensor)", t_bool, ""},
    {"item", "(x::Tensor)", t_item,
     "    item(x)\n\nThe one element of a tensor as a number (PyTorch's `x.item()`); an ArgumentError naming "
     "the size when x has more or fewer elements." EX("lx> item([42])\n42\n")},
    {"item", "(x::Number)", t_item_number, ""},
    {"eltype", "(x)", t_eltype,
     "    eltype(x)\n\nThe type of x's elements: a tensor's element type, Int64 or Float64 for a range, Any "
     "for a "
     "List." EX("lx> eltype([1.0, 2.0])\nFloat32\n\nlx> eltype(Float64[1, 2])\nFloat64\n\nlx> eltype(Any[1, "
                "2])\nAny\n")},
    {"isempty", "(x::Tensor)", t_isempty,
     "    isempty(x::Tensor)\n\nWhether the tensor has no elements.\n\n# Arguments\n- `x`: a tensor.\n\n# "
     "Returns\nA Bool." EX("lx> isempty(zeros(0, 3))\ntrue\n")},
    /* equality */
    {"==", "(x::Tensor, y::Tensor)", t_eq,
     "    x == y (tensors)\n\nWhether two tensors have the same size and equal elements (of any element "
     "types: `[1, 2] == [1.0, 2.0]`); a vector also equals a List or Range of the same numbers. Different "
     "sizes are unequal (a 2-element vector is not a 1×2 matrix).\n\n# Arguments\n- `x`, `y`: tensors, or a "
     "tensor and a List or Range.\n\n# Returns\nA Bool." EX(
         "lx> [1, 2] == [1.0, 2.0]\ntrue\n\nlx> [1, 2] == [1 2]\nfalse\n\nlx> [1, 2] == Any[1, 2]\ntrue\n")},
    {"==", "(x::Tensor, y::List)", t_eq, ""},
    {"==", "(x::List, y::Tensor)", t_eq, ""},
    {"==", "(x::Tensor, y::Range)", t_eq, ""},
    {"==", "(x::Range, y::Tensor)", t_eq, ""},
    {"isequal", "(x::Tensor, y::Tensor)", t_isequal,
     "    isequal(x::Tensor, y::Tensor)\n\nAs `==`, but NaN equals NaN and -0.0 differs from 0.0 (Dict keys "
     "compare this way).\n\n# Arguments\n- `x`, `y`: tensors.\n\n# Returns\nA Bool." EX(
         "lx> isequal([NaN], [NaN])\ntrue\n")},
    {"isequal", "(x::Tensor, y::List)", t_isequal, ""},
    {"isequal", "(x::List, y::Tensor)", t_isequal, ""},
    {"hash", "(x::Tensor)", t_hash,
     "    hash(x::Tensor)\n\nA hash of the size and the elements: isequal tensors hash alike.\n\n# "
     "Arguments\n- `x`: a tensor.\n\n# Returns\nAn Int64." EX(
         "lx> hash([1, 2]) == hash([1.0, 2.0])\ntrue\n")},
    {"isapprox", "(x::Tensor, y::Tensor; atol = 0, rtol = √eps)", t_isapprox,
     "    isapprox(x::Tensor, y; atol = 0, rtol = √eps)\n\nJulia's rule for arrays: `norm(x - y) <= "
     "max(atol, rtol * max(norm(x), norm(y)))`, with rtol `sqrt(eps)` of the element type (Float32's when "
     "neither is Float64, 0 for integers) unless atol is given. y may be a List of numbers; different sizes "
     "are a DimensionMismatch.\n\n# Arguments\n- `x`: a tensor.\n- `y`: a tensor of x's size, or a List of "
     "numbers.\n\n# Keyword Arguments\n- `atol = 0`: the absolute tolerance on the norm of the "
     "difference.\n- `rtol = √eps`: the relative tolerance; `sqrt(eps)` of the element type by default, 0 "
     "when `atol` is given.\n\n# Returns\nA Bool." EX(
         "lx> [1.0, 2.0] ≈ [1.0, 2.00001]\ntrue\n\nlx> isapprox([1.0], [1.1]; atol = "
         "0.2)\ntrue\n")},
    {"isapprox", "(x::Tensor, y; atol = 0, rtol = √eps)", t_isapprox, ""},
    {"isapprox", "(x, y::Tensor; atol = 0, rtol = √eps)", t_isapprox, ""},
    /* growing */
    {"push!", "(x::Tensor, vs...)", t_push,
     "    push!(x::Tensor, vs...)\n\nAppends the numbers to the vector x (in place: every name for x sees "
     "the "
     "longer vector); returns x. Each call copies the elements (lx tensors keep no spare room)." EX(
         "lx> x = [1, 2]; push!(x, 3); x == [1, 2, 3]\ntrue\n")},
    {"append!", "(x::Tensor, collections...)", t_append,
     "    append!(x::Tensor, collections...)\n\nAppends the numbers of each tensor, List, Tuple or Range to "
     "the "
     "vector x, in place; returns x." EX(
         "lx> x = [1.0]; append!(x, [2.0, 3.0], (4,)); x == [1, 2, 3, 4]\ntrue\n")},
    /* Julia's vector functions, through a List */
    {"pop!", "(x::Tensor)", t_pop, ""},
    {"popfirst!", "(x::Tensor)", t_popfirst, ""},
    {"pushfirst!", "(x::Tensor, vs...)", t_pushfirst, ""},
    {"insert!", "(x::Tensor, i, v)", t_insert, ""},
    {"deleteat!", "(x::Tensor, i)", t_deleteat, ""},
    {"empty!", "(x::Tensor)", t_empty, ""},
    {"prepend!", "(x::Tensor, collections...)", t_prepend, ""},
    {"resize!", "(x::Tensor, n)", t_resize, ""},
    {"reverse!", "(x::Tensor)", t_reverse_, ""},
    {"sort!", "(x::Tensor; by = identity, lt = isless, rev = false)", t_sort_, ""},
    {"filter!", "(f, x::Tensor)", t_filter_, ""},
    {"sort", "(x::Tensor; by = identity, lt = isless, rev = false)", t_sort, ""},
    {"unique", "(x::Tensor)", t_unique, ""},
    {"filter", "(f, x::Tensor)", t_filter, ""},
    {"keys", "(x::Tensor)", t_keys, ""},
    {"pairs", "(x::Tensor)", t_pairs, ""},
    {"first", "(x::Tensor, n = 1)", t_first, ""},
    {"last", "(x::Tensor, n = 1)", t_last, ""},
    {"__map_result", "(results::List, x::Tensor)", t_map_result, ""},
    {"getindex", "(l::List, i::Tensor)", t_list_getindex, ""},
    {"getindex", "(t::Tuple, i::Tensor)", t_list_getindex, ""},
    {"setindex!", "(l::List, v, i::Tensor)", t_list_setindex, ""},
    {"deleteat!", "(l::List, i::Tensor)", t_list_deleteat, ""},
    {NULL, NULL, NULL, NULL}};

void lxL_open_tensor_new(lx_State *L)
{
    lxL_register(L, new_lib);
    lx_Value i32 = lxG_get(L, "Int32");
    if (lxO_is(i32, LXO_TYPE) && !lxO_as(lxO_type, i32)->doc)
        lxL_setdoc(
            L, "Int32",
            "    Int32\n\nThe element type of 32-bit integer tensors (`Int32[...]`, `zeros(Int32, n)`); "
            "a tensor's Int32 elements read back as Int64 numbers, lx's only integer number type." EX(
                "lx> Int32[1, 2]\n2-element Tensor{Int32, 1}:\n 1\n 2\n\nlx> eltype(Int32[1, 2])\nInt32\n"));
}
