/* tensor.c — tensors and their storage: creation, reference counts, views,
 * element access, dtype conversion and the shape helpers every op uses.
 */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const dtype_names[NN_NUM_DTYPES] = {"Float32", "Float64", "Int32", "Int64", "Bool"};
static const size_t dtype_sizes[NN_NUM_DTYPES] = {4, 8, 4, 8, 1};

size_t nn_dtype_size(nn_dtype t)
{
    return dtype_sizes[t];
}
const char *nn_dtype_name(nn_dtype t)
{
    return (unsigned)t < NN_NUM_DTYPES ? dtype_names[t] : "?";
}
bool nn_dtype_is_float(nn_dtype t)
{
    return t == NN_F32 || t == NN_F64;
}

char *nn_shape_str(char *buf, size_t n, int ndim, const int64_t *shape)
{
    size_t k = 0;
    k += (size_t)snprintf(buf + k, n - k, "(");
    for (int i = 0; i < ndim && k < n; i++)
        k += (size_t)snprintf(buf + k, n - k, i ? ", %lld" : "%lld", (long long)shape[i]);
    if (ndim == 1 && k < n) k += (size_t)snprintf(buf + k, n - k, ",");
    if (k < n) snprintf(buf + k, n - k, ")");
    return buf;
}

char *nn_tshape(char *buf, const nn_tensor *t)
{
    return nn_shape_str(buf, NN_SHAPE_BUF, t->ndim, t->shape);
}

bool nn_same_shape(const nn_tensor *a, const nn_tensor *b)
{
    if (a->ndim != b->ndim) return false;
    for (int i = 0; i < a->ndim; i++)
        if (a->shape[i] != b->shape[i]) return false;
    return true;
}

/* ---- creation --------------------------------------------------------------- */

static nn_status check_shape(nn_ctx *ctx, const char *op, int ndim, const int64_t *shape, size_t elsize,
                             int64_t *numel)
{
    if (ndim < 0 || ndim > NN_MAX_DIMS)
        return nn_error(ctx, NN_ERR_ARGUMENT, "%s: %d dimensions (at most %d)", op, ndim, NN_MAX_DIMS);
    int64_t n = 1;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] < 0)
            return nn_error(ctx, NN_ERR_ARGUMENT, "%s: negative size %lld in dimension %d", op,
                            (long long)shape[i], i + 1);
        if (shape[i] && n > (INT64_MAX / (int64_t)elsize) / shape[i]) {
            char b[NN_SHAPE_BUF];
            return nn_error(ctx, NN_ERR_MEMORY, "%s: size %s is too large", op,
                            nn_shape_str(b, sizeof b, ndim, shape));
        }
        n *= shape[i];
    }
    *numel = n;
    return NN_OK;
}

static nn_tensor *tensor_header(nn_ctx *ctx, nn_dtype t, int ndim, const int64_t *shape, int64_t numel)
{
    nn_tensor *x = nn_obj_alloc(ctx, NN_OBJ_TENSOR);
    if (!x) return NULL;
    x->refcount = 1;
    x->dtype = t;
    x->ndim = ndim;
    if (ndim) memcpy(x->shape, shape, (size_t)ndim * sizeof *shape);
    x->numel = numel;
    return x;
}

nn_status nn_empty(nn_ctx *ctx, nn_tensor **out, nn_dtype t, int ndim, const int64_t *shape)
{
    *out = NULL;
    if ((unsigned)t >= NN_NUM_DTYPES) return nn_error(ctx, NN_ERR_ARGUMENT, "tensor: bad dtype %d", (int)t);
    int64_t numel = 0;
    NN_TRY(check_shape(ctx, "tensor", ndim, shape, dtype_sizes[t], &numel));
    size_t nbytes = (size_t)numel * dtype_sizes[t];
    nn_storage *s = nn_obj_alloc(ctx, NN_OBJ_STORAGE);
    nn_tensor *x = tensor_header(ctx, t, ndim, shape, numel);
    void *data = (s && x) ? nn_pool_alloc(ctx, nbytes, &s->nbytes) : NULL;
    if (!data) {
        nn_obj_free(ctx, NN_OBJ_STORAGE, s);
        nn_obj_free(ctx, NN_OBJ_TENSOR, x);
        char b[NN_SHAPE_BUF];
        return nn_error(ctx, NN_ERR_MEMORY, "tensor: cannot allocate %zu bytes for a %s %s tensor", nbytes,
                        nn_shape_str(b, sizeof b, ndim, shape), dtype_names[t]);
    }
    s->refcount = 1;
    s->device = NN_CPU;
    s->ctx = ctx;
    s->data = data;
    x->storage = s;
    *out = x;
    return NN_OK;
}

nn_status nn_full(nn_ctx *ctx, nn_tensor **out, nn_dtype t, int ndim, const int64_t *shape, double v)
{
    NN_TRY(nn_empty(ctx, out, t, ndim, shape));
    nn_status s = nn_backend_for(NN_CPU)->fill(ctx, *out, v);
    if (s) nn_release_out(out);
    return s;
}

nn_status nn_zeros(nn_ctx *ctx, nn_tensor **out, nn_dtype t, int ndim, const int64_t *shape)
{
    return nn_full(ctx, out, t, ndim, shape, 0.0);
}

nn_status nn_ones(nn_ctx *ctx, nn_tensor **out, nn_dtype t, int ndim, const int64_t *shape)
{
    return nn_full(ctx, out, t, ndim, shape, 1.0);
}

nn_status nn_scalar(nn_ctx *ctx, nn_tensor **out, nn_dtype t, double v)
{
    return nn_full(ctx, out, t, 0, NULL, v);
}

nn_status nn_from_data(nn_ctx *ctx, nn_tensor **out, nn_dtype t, int ndim, const int64_t *shape,
                       const void *data)
{
    NN_TRY(nn_empty(ctx, out, t, ndim, shape));
    if ((*out)->numel) memcpy(nn_data(*out), data, (size_t)(*out)->numel * dtype_sizes[t]);
    return NN_OK;
}

nn_status nn_from_external(nn_ctx *ctx, nn_tensor **out, nn_dtype t, int ndim, const int64_t *shape,
                           void *data, nn_release_fn release, void *ud)
{
    *out = NULL;
    int64_t numel = 0;
    nn_status st = (unsigned)t >= NN_NUM_DTYPES
                       ? nn_error(ctx, NN_ERR_ARGUMENT, "tensor: bad dtype %d", (int)t)
                       : check_shape(ctx, "tensor", ndim, shape, dtype_sizes[t], &numel);
    if (st == NN_OK && !data && numel)
        st = nn_error(ctx, NN_ERR_ARGUMENT, "tensor: no memory given for %lld elements", (long long)numel);
    if (st == NN_OK && (uintptr_t)data % dtype_sizes[t])
        st = nn_error(ctx, NN_ERR_ARGUMENT, "tensor: the memory at %p is not aligned for %s (%zu bytes)",
                      data, dtype_names[t], dtype_sizes[t]);
    nn_storage *s = st == NN_OK ? nn_obj_alloc(ctx, NN_OBJ_STORAGE) : NULL;
    nn_tensor *x = s ? tensor_header(ctx, t, ndim, shape, numel) : NULL;
    if (st == NN_OK && !x) st = nn_error(ctx, NN_ERR_MEMORY, "tensor: out of memory for a borrowed tensor");
    if (st != NN_OK) {
        if (s) nn_obj_free(ctx, NN_OBJ_STORAGE, s);
        if (release) release(ud, data);
        return st;
    }
    s->refcount = 1;
    s->device = NN_CPU;
    s->ctx = ctx;
    s->data = data;
    s->nbytes = (size_t)numel * dtype_sizes[t];
    s->external = true;
    s->release = release;
    s->release_ud = ud;
    x->storage = s;
    *out = x;
    return NN_OK;
}

nn_status nn_similar(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x)
{
    return nn_empty(ctx, out, x->dtype, x->ndim, x->shape);
}

/* ---- references ------------------------------------------------------------- */

nn_tensor *nn_retain(nn_tensor *t)
{
    if (t) t->refcount++;
    return t;
}

static void storage_release(nn_storage *s)
{
    if (!s || --s->refcount > 0) return;
    if (s->external) {
        if (s->release) s->release(s->release_ud, s->data);
    } else {
        nn_pool_free(s->ctx, s->data, s->nbytes);
    }
    nn_obj_free(s->ctx, NN_OBJ_STORAGE, s);
}

void nn_release(nn_tensor *t)
{
    if (!t || --t->refcount > 0) return;
    nn_ctx *ctx = t->storage->ctx;
    storage_release(t->storage);
    nn_node_release(t->node);
    nn_release(t->grad);
    nn_obj_free(ctx, NN_OBJ_TENSOR, t);
}

void nn_release_out(nn_tensor **out)
{
    nn_release(*out);
    *out = NULL;
}

/* A new header over x's storage with its own shape (views, saved aliases). */
nn_status nn_view(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, int ndim, const int64_t *shape,
                  int64_t offset)
{
    int64_t numel = 1;
    for (int i = 0; i < ndim; i++)
        numel *= shape[i];
    nn_tensor *v = tensor_header(ctx, x->dtype, ndim, shape, numel);
    if (!v) return nn_error(ctx, NN_ERR_MEMORY, "view: out of memory");
    v->storage = x->storage;
    v->storage->refcount++;
    v->offset = offset;
    *out = v;
    return NN_OK;
}

void *nn_data(const nn_tensor *t)
{
    return (char *)t->storage->data + (size_t)t->offset * dtype_sizes[t->dtype];
}

double nn_get(const nn_tensor *t, int64_t i)
{
    const void *d = nn_data(t);
    switch (t->dtype) {
    case NN_F32: return ((const float *)d)[i];
    case NN_F64: return ((const double *)d)[i];
    case NN_I32: return ((const int32_t *)d)[i];
    case NN_I64: return (double)((const int64_t *)d)[i];
    case NN_BOOL: return ((const uint8_t *)d)[i];
    default: return NAN;
    }
}

void nn_set(nn_tensor *t, int64_t i, double v)
{
    void *d = nn_data(t);
    switch (t->dtype) {
    case NN_F32: ((float *)d)[i] = (float)v; break;
    case NN_F64: ((double *)d)[i] = v; break;
    case NN_I32: ((int32_t *)d)[i] = (int32_t)v; break;
    case NN_I64: ((int64_t *)d)[i] = (int64_t)v; break;
    case NN_BOOL: ((uint8_t *)d)[i] = v != 0; break;
    default: break;
    }
}

nn_device nn_tensor_device(const nn_tensor *t)
{
    return t->storage->device;
}
uint64_t nn_tensor_version(const nn_tensor *t)
{
    return t->storage->version;
}
void nn_bump_version(nn_tensor *t)
{
    t->storage->version++;
}

/* ---- dtypes ----------------------------------------------------------------- */

nn_dtype nn_promote(nn_dtype a, nn_dtype b)
{
    if (a == b) return a == NN_BOOL ? NN_I64 : a;
    if (a == NN_F64 || b == NN_F64) return NN_F64;
    if (a == NN_F32 || b == NN_F32) return NN_F32;
    if ((a == NN_I32 && b == NN_BOOL) || (a == NN_BOOL && b == NN_I32)) return NN_I32;
    return NN_I64; /* Int32 with Int64, Int64 with Bool (Julia's promote_type) */
}

static nn_status convert_backward(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin)
{
    return nn_as_dtype(ctx, &gin[0], gout, node->edges[0].dtype);
}

nn_status nn_convert(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, nn_dtype t)
{
    NN_TRY(nn_empty(ctx, out, t, x->ndim, x->shape));
    nn_status s = nn_backend_for(nn_tensor_device(x))->convert(ctx, *out, x);
    nn_node *node = NULL;
    if (!s && nn_dtype_is_float(t))
        s = nn_node_new(ctx, &node, t == x->dtype ? "copy" : "convert", convert_backward, 1, &x);
    if (s) {
        nn_release_out(out);
        return s;
    }
    nn_node_attach(*out, node);
    return NN_OK;
}

nn_status nn_copy(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x)
{
    return nn_convert(ctx, out, x, x->dtype);
}

nn_status nn_as_dtype(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, nn_dtype t)
{
    if (x->dtype == t) {
        *out = nn_retain((nn_tensor *)x);
        return NN_OK;
    }
    return nn_convert(ctx, out, x, t);
}

/* ---- in place ------------------------------------------------------------------ */

nn_status nn_fill_(nn_ctx *ctx, nn_tensor *t, double v)
{
    if (!nn_dtype_is_float(t->dtype)) { /* fill!(ints, 1.5): convert's InexactError */
        nn_tensor *s, *c = NULL;
        NN_TRY(nn_scalar(ctx, &s, NN_F64, v));
        nn_status st = nn_convert(ctx, &c, s, t->dtype);
        nn_release(s);
        nn_release(c);
        NN_TRY(st);
    }
    NN_TRY(nn_backend_for(nn_tensor_device(t))->fill(ctx, t, v));
    nn_bump_version(t);
    return NN_OK;
}

nn_status nn_copy_(nn_ctx *ctx, nn_tensor *dst, const nn_tensor *src)
{
    char a[NN_SHAPE_BUF], b[NN_SHAPE_BUF];
    int ndim;
    int64_t shape[NN_MAX_DIMS];
    NN_TRY(nn_broadcast_shape(ctx, "copyto!", dst, src, &ndim, shape));
    if (ndim != dst->ndim || memcmp(shape, dst->shape, (size_t)ndim * sizeof *shape) != 0)
        return nn_error(ctx, NN_ERR_DIMENSION, "copyto!: cannot broadcast %s into %s", nn_tshape(a, src),
                        nn_tshape(b, dst));
    nn_tensor *s;
    NN_TRY(nn_as_dtype(ctx, &s, src, dst->dtype));
    /* dst .= ifelse.(true, src, src): the ifelse kernel broadcasts, has every
     * dtype (Bool too) and moves bits unchanged (0 .+ src would turn -0.0 into 0.0). */
    nn_tensor *yes = NULL;
    nn_status st = nn_scalar(ctx, &yes, NN_BOOL, 1.0);
    if (!st) st = nn_backend_for(nn_tensor_device(dst))->ifelse(ctx, dst, yes, s, s);
    nn_release(yes);
    nn_release(s);
    if (!st) nn_bump_version(dst);
    return st;
}

/* ---- broadcasting ----------------------------------------------------------------- */

nn_status nn_broadcast_shape(nn_ctx *ctx, const char *op, const nn_tensor *a, const nn_tensor *b, int *ndim,
                             int64_t *shape)
{
    int n = a->ndim > b->ndim ? a->ndim : b->ndim;
    for (int i = 0; i < n; i++) {
        int64_t da = i < a->ndim ? a->shape[i] : 1, db = i < b->ndim ? b->shape[i] : 1;
        if (da != db && da != 1 && db != 1) {
            char sa[NN_SHAPE_BUF], sb[NN_SHAPE_BUF];
            return nn_error(ctx, NN_ERR_DIMENSION,
                            "%s: arrays could not be broadcast to a common size: a has size %s, "
                            "b has size %s (dimension %d: %lld vs %lld)",
                            op, nn_tshape(sa, a), nn_tshape(sb, b), i + 1, (long long)da, (long long)db);
        }
        shape[i] = da == 1 ? db : da;
    }
    *ndim = n;
    return NN_OK;
}

nn_status nn_accumulate(nn_ctx *ctx, nn_tensor **acc, nn_tensor *g)
{
    if (!*acc) {
        *acc = nn_retain(g);
        return NN_OK;
    }
    const nn_backend *be = nn_backend_for(nn_tensor_device(g));
    nn_tensor *a = *acc;
    if (a->refcount == 1 && a->storage->refcount == 1 && a->dtype == g->dtype)
        return be->binary(ctx, a, NN_ADD, a, g); /* sole owner: add in place */
    nn_tensor *sum;
    NN_TRY(nn_empty(ctx, &sum, a->dtype, a->ndim, a->shape));
    nn_tensor *gc;
    nn_status s = nn_as_dtype(ctx, &gc, g, a->dtype);
    if (!s) {
        s = be->binary(ctx, sum, NN_ADD, a, gc);
        nn_release(gc);
    }
    if (s) {
        nn_release(sum);
        return s;
    }
    nn_release(a);
    *acc = sum;
    return NN_OK;
}
