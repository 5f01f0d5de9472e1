/* index.c — getindex and setindex!: Julia's indexing rules turned into a
 * selection (for each index, the element offsets it picks), bounds checked
 * with Julia's messages.  Contiguous selections come back as views; the rest
 * are gathered.  Kernels: cpu/index.c (gather, scatter).
 */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A parsed index list: the selection, the result's shape, and whether the
 * selection is one contiguous run starting `base` elements into x. */
typedef struct {
    nn_selection sel;
    int64_t *buf; /* every slot's offsets */
    int ndim;
    int64_t shape[NN_MAX_DIMS];
    bool view;
    int64_t base;
} plan;

static void plan_free(void *p)
{
    if (!p) return;
    free(((plan *)p)->buf);
    free(p);
}

static int64_t pos_at(const nn_tensor *t, int64_t i)
{
    const void *d = nn_data(t);
    switch (t->dtype) {
    case NN_I32: return ((const int32_t *)d)[i];
    case NN_I64: return ((const int64_t *)d)[i];
    case NN_BOOL: return ((const uint8_t *)d)[i];
    default: return 0;
    }
}

static bool is_mask(const nn_index *ix)
{
    return ix->kind == NN_IDX_MASK || (ix->kind == NN_IDX_VECTOR && ix->t->dtype == NN_BOOL);
}

static void append(char *b, size_t n, size_t *k, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void append(char *b, size_t n, size_t *k, const char *fmt, ...)
{
    if (*k >= n) return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(b + *k, n - *k, fmt, ap);
    va_end(ap);
    if (w > 0) *k += (size_t)w;
}

/* Julia's BoundsError: "attempt to access (3, 4) Float32 tensor at index [4, 1]". */
static nn_status bounds_error(nn_ctx *ctx, const char *op, const nn_tensor *x, int nidx, const nn_index *idx,
                              const char *why)
{
    char b[256], sh[NN_SHAPE_BUF];
    size_t k = 0;
    b[0] = '\0';
    for (int d = 0; d < nidx; d++) {
        const nn_index *ix = &idx[d];
        if (d) append(b, sizeof b, &k, ", ");
        switch (ix->kind) {
        case NN_IDX_ALL: append(b, sizeof b, &k, ":"); break;
        case NN_IDX_SCALAR: append(b, sizeof b, &k, "%lld", (long long)ix->i); break;
        case NN_IDX_RANGE:
            if (ix->step == 1)
                append(b, sizeof b, &k, "%lld:%lld", (long long)ix->start, (long long)ix->stop);
            else
                append(b, sizeof b, &k, "%lld:%lld:%lld", (long long)ix->start, (long long)ix->step,
                       (long long)ix->stop);
            break;
        default: {
            bool m = is_mask(ix);
            append(b, sizeof b, &k, m ? "Bool[" : "[");
            for (int64_t i = 0; i < ix->t->numel && i < 8; i++)
                append(b, sizeof b, &k, i ? ", %lld" : "%lld", (long long)pos_at(ix->t, i));
            append(b, sizeof b, &k, ix->t->numel > 8 ? ", ...]" : "]");
        }
        }
    }
    if (k >= sizeof b) strcpy(b + sizeof b - 4, "...");
    return nn_error(ctx, NN_ERR_BOUNDS, "%s: attempt to access %s %s tensor at index [%s]%s", op,
                    nn_tshape(sh, x), nn_dtype_name(x->dtype), b, why);
}

static int64_t range_count(const nn_index *ix)
{
    if (ix->step > 0) return ix->stop < ix->start ? 0 : (ix->stop - ix->start) / ix->step + 1;
    return ix->start < ix->stop ? 0 : (ix->start - ix->stop) / -ix->step + 1;
}

/* x[idx...] as Julia reads it: index d runs along x's dim d, except that a
 * single index runs over all dims merged (linear indexing), omitted trailing
 * dims must have size 1, and indices past x's dims run over a dim of size 1. */
static nn_status make_plan(nn_ctx *ctx, const char *op, const nn_tensor *x, int nidx, const nn_index *idx,
                           plan **out)
{
    *out = NULL;
    if (nidx < 0 || nidx > NN_MAX_DIMS)
        return nn_error(ctx, NN_ERR_ARGUMENT, "%s: %d indices (at most %d)", op, nidx, NN_MAX_DIMS);
    if (nidx == 0 && x->numel != 1) return bounds_error(ctx, op, x, 0, idx, "");
    int64_t eff[NN_MAX_DIMS], stride[NN_MAX_DIMS], total = 0, s = 1;
    for (int d = 0; d < nidx; d++) {
        eff[d] = d < x->ndim ? x->shape[d] : 1;
        if (d == nidx - 1)
            for (int j = d + 1; j < x->ndim; j++)
                eff[d] *= x->shape[j];
        stride[d] = s;
        s *= eff[d];
    }
    plan *p = calloc(1, sizeof *p);
    if (!p) return nn_error(ctx, NN_ERR_MEMORY, "%s: out of memory", op);
    int64_t count[NN_MAX_DIMS];
    for (int d = 0; d < nidx; d++) { /* kinds, dtypes, counts */
        const nn_index *ix = &idx[d];
        switch (ix->kind) {
        case NN_IDX_ALL: count[d] = eff[d]; break;
        case NN_IDX_SCALAR: count[d] = 1; break;
        case NN_IDX_RANGE:
            if (ix->step == 0) {
                plan_free(p);
                return nn_error(ctx, NN_ERR_ARGUMENT, "%s: index %d: the step of a range cannot be zero", op,
                                d + 1);
            }
            count[d] = range_count(ix);
            break;
        case NN_IDX_VECTOR:
        case NN_IDX_MASK:
            if (!ix->t || (ix->kind == NN_IDX_MASK ? ix->t->dtype != NN_BOOL
                                                   : ix->t->dtype != NN_I32 && ix->t->dtype != NN_I64 &&
                                                         ix->t->dtype != NN_BOOL)) {
                plan_free(p);
                if (!ix->t) return nn_error(ctx, NN_ERR_ARGUMENT, "%s: index %d has no tensor", op, d + 1);
                return nn_error(ctx, NN_ERR_ARGUMENT,
                                "%s: invalid index %d: a %s tensor (positions are "
                                "Int32 or Int64, masks Bool)",
                                op, d + 1, nn_dtype_name(ix->t->dtype));
            }
            if (is_mask(ix)) {
                if (ix->t->numel != eff[d]) {
                    char why[96];
                    snprintf(why, sizeof why, " (a mask of %lld elements for %lld positions)",
                             (long long)ix->t->numel, (long long)eff[d]);
                    plan_free(p);
                    return bounds_error(ctx, op, x, nidx, idx, why);
                }
                count[d] = 0;
                for (int64_t i = 0; i < ix->t->numel; i++)
                    count[d] += pos_at(ix->t, i) != 0;
            } else {
                count[d] = ix->t->numel;
            }
            break;
        default:
            plan_free(p);
            return nn_error(ctx, NN_ERR_ARGUMENT, "%s: index %d: bad kind %d", op, d + 1, (int)ix->kind);
        }
        total += count[d];
    }
    /* Julia 1: omitted trailing indices are allowed only over dims of size 1
     * (a single index is linear indexing: the merge above) */
    for (int j = nidx; nidx > 1 && j < x->ndim; j++)
        if (x->shape[j] != 1) {
            plan_free(p);
            return bounds_error(ctx, op, x, nidx, idx,
                                " (fewer indices than dimensions, and the omitted "
                                "ones are not of size 1)");
        }
    p->buf = malloc((size_t)(total + 1) * sizeof *p->buf);
    if (!p->buf) {
        plan_free(p);
        return nn_error(ctx, NN_ERR_MEMORY, "%s: out of memory", op);
    }
    if (nidx == 0) { /* x[] of a one-element tensor */
        p->sel.n = 1;
        p->sel.count[0] = 1;
        p->sel.pos[0] = p->buf;
        p->buf[0] = 0;
        p->view = false; /* an element is a value */
        *out = p;
        return NN_OK;
    }
    int64_t *w = p->buf, run = 1;
    p->sel.n = nidx;
    p->view = true;
    for (int d = 0; d < nidx; d++) { /* offsets, bounds, result shape */
        const nn_index *ix = &idx[d];
        p->sel.pos[d] = w;
        p->sel.count[d] = count[d];
        int64_t c = count[d];
        bool bad = false;
        switch (ix->kind) {
        case NN_IDX_ALL:
            for (int64_t i = 0; i < c; i++)
                w[i] = i * stride[d];
            break;
        case NN_IDX_SCALAR:
            bad = ix->i < 1 || ix->i > eff[d];
            w[0] = (ix->i - 1) * stride[d];
            break;
        case NN_IDX_RANGE:
            bad = c > 0 && (ix->start < 1 || ix->start > eff[d] || ix->start + (c - 1) * ix->step < 1 ||
                            ix->start + (c - 1) * ix->step > eff[d]);
            for (int64_t i = 0; i < c; i++)
                w[i] = (ix->start - 1 + i * ix->step) * stride[d];
            break;
        default:
            if (is_mask(ix)) {
                for (int64_t i = 0, k = 0; i < ix->t->numel; i++)
                    if (pos_at(ix->t, i)) w[k++] = i * stride[d];
            } else {
                for (int64_t i = 0; i < c && !bad; i++) {
                    int64_t v = pos_at(ix->t, i);
                    bad = v < 1 || v > eff[d];
                    w[i] = (v - 1) * stride[d];
                }
            }
        }
        if (bad) {
            plan_free(p);
            return bounds_error(ctx, op, x, nidx, idx, "");
        }
        int add = ix->kind == NN_IDX_SCALAR ? 0 : ix->kind == NN_IDX_VECTOR && !is_mask(ix) ? ix->t->ndim : 1;
        if (p->ndim + add > NN_MAX_DIMS) {
            plan_free(p);
            return nn_error(ctx, NN_ERR_ARGUMENT, "%s: the result would have more than %d dimensions", op,
                            NN_MAX_DIMS);
        }
        if (add == 1 && !(ix->kind == NN_IDX_VECTOR && !is_mask(ix)))
            p->shape[p->ndim++] = c;
        else
            for (int j = 0; j < add; j++)
                p->shape[p->ndim++] = ix->t->shape[j];
        /* contiguous: every index with more than one position is a unit-step
         * run, and everything before it covers whole dims */
        if (ix->kind == NN_IDX_VECTOR || ix->kind == NN_IDX_MASK) p->view = false;
        if (c > 1 && (stride[d] != run || (ix->kind == NN_IDX_RANGE && ix->step != 1))) p->view = false;
        run *= c;
        p->base += c ? w[0] : 0;
        w += c;
    }
    if (run == 0 || p->ndim == 0) p->view = false; /* a single element is a value, not a view */
    *out = p;
    return NN_OK;
}

/* ---- getindex: x -> x[idx...]; backward adds the gradient into zeros of x's
 * shape at the selected positions (repeats accumulate). */

static nn_status getindex_backward(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin)
{
    const nn_edge *e = &node->edges[0];
    const plan *p = node->ud;
    NN_TRY(nn_zeros(ctx, &gin[0], gout->dtype, e->ndim, e->shape));
    return nn_backend_for(nn_tensor_device(gout))->scatter(ctx, gin[0], gout, &p->sel, true);
}

nn_status nn_getindex(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int nidx, const nn_index *idx)
{
    *out = NULL;
    plan *p;
    NN_TRY(make_plan(ctx, "getindex", x, nidx, idx, &p));
    nn_status s;
    if (p->view) {
        s = nn_view(ctx, out, x, p->ndim, p->shape, x->offset + p->base);
    } else {
        s = nn_empty(ctx, out, x->dtype, p->ndim, p->shape);
        if (!s) s = nn_backend_for(nn_tensor_device(x))->gather(ctx, *out, x, &p->sel);
    }
    nn_node *node = NULL;
    if (!s) s = nn_node_new(ctx, &node, "getindex", getindex_backward, 1, &x);
    if (node) {
        node->ud = p;
        node->free_ud = plan_free;
        p = NULL;
        nn_node_attach(*out, node);
    }
    plan_free(p);
    if (s) nn_release_out(out);
    return s;
}

/* ---- setindex!: x[idx...] .= v, v broadcast to the selection's shape and
 * converted to x's dtype.  Not recorded, so x must not be tracked. */

nn_status nn_setindex_(nn_ctx *ctx, nn_tensor *x, int nidx, const nn_index *idx, const nn_tensor *v)
{
    char a[NN_SHAPE_BUF], b[NN_SHAPE_BUF];
    if (nn_is_tracked(x))
        return nn_error(ctx, NN_ERR_MUTATED,
                        "setindex!: cannot mutate a tensor that gradient is tracking (an argument of the "
                        "differentiated function, or computed from one): the gradient would be wrong; "
                        "copy it first");
    plan *p;
    NN_TRY(make_plan(ctx, "setindex!", x, nidx, idx, &p));
    int nd = v->ndim > p->ndim ? v->ndim : p->ndim;
    int64_t vn = 1;
    for (int j = 0; j < nd; j++) {
        int64_t vj = j < v->ndim ? v->shape[j] : 1, sj = j < p->ndim ? p->shape[j] : 1;
        if (vj != sj && vj != 1) {
            nn_status s = nn_error(ctx, NN_ERR_DIMENSION,
                                   "setindex!: cannot broadcast a value of size "
                                   "%s into a selection of size %s",
                                   nn_tshape(a, v), nn_shape_str(b, sizeof b, p->ndim, p->shape));
            plan_free(p);
            return s;
        }
        vn *= vj;
    }
    nn_tensor *src = NULL;
    nn_status s;
    int64_t want = 1;
    for (int j = 0; j < p->ndim; j++)
        want *= p->shape[j];
    if (v->numel == 1 || (vn == want && v->storage != x->storage)) {
        /* already laid out as the selection (or one value): no copy */
        s = nn_as_dtype(ctx, &src, v, x->dtype);
    } else {
        /* broadcast, or v overlaps x: materialise before writing */
        s = nn_empty(ctx, &src, x->dtype, p->ndim, p->shape);
        if (!s) s = nn_copy_(ctx, src, v);
    }
    if (!s) s = nn_backend_for(nn_tensor_device(x))->scatter(ctx, x, src, &p->sel, false);
    if (!s) nn_bump_version(x);
    nn_release(src);
    plan_free(p);
    return s;
}
