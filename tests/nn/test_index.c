/* test_index.c — getindex and setindex! with every index kind, linear and
 * merged-trailing indexing, views that share storage, broadcasting and dtype
 * conversion in setindex!, the version counter, gradients and every error.
 * Expected values are hand-worked on x = reshape(1:12, 3, 4), i.e.
 * [1 4 7 10; 2 5 8 11; 3 6 9 12].
 */
#include "tap.h"

#include <math.h>
#include <stdint.h>

static nn_ctx *ctx;

#define ALL ((nn_index){.kind = NN_IDX_ALL})
#define SC(k) ((nn_index){.kind = NN_IDX_SCALAR, .i = (k)})
#define RG(a, s, b) ((nn_index){.kind = NN_IDX_RANGE, .start = (a), .step = (s), .stop = (b)})
#define VEC(v) ((nn_index){.kind = NN_IDX_VECTOR, .t = (v)})
#define MASK(m) ((nn_index){.kind = NN_IDX_MASK, .t = (m)})

static nn_tensor *iota(nn_dtype t, int ndim, const int64_t *shape)
{
    nn_tensor *x;
    nn_empty(ctx, &x, t, ndim, shape);
    for (int64_t i = 0; i < x->numel; i++)
        nn_set(x, i, (double)(i + 1));
    return x;
}

static nn_tensor *ivec(nn_dtype t, int64_t n, const double *v)
{
    return tap_tensor(ctx, t, 1, &n, v);
}

static bool has_shape(const nn_tensor *t, int ndim, const int64_t *shape)
{
    if (!t || t->ndim != ndim) return false;
    for (int i = 0; i < ndim; i++)
        if (t->shape[i] != shape[i]) return false;
    return true;
}

/* x[idx...] has `ndim`/`shape` and the values `want`; reports whether it is a view. */
static void check(const nn_tensor *x, int nidx, const nn_index *idx, int ndim, const int64_t *shape,
                  const double *want, int view, const char *name)
{
    nn_tensor *y;
    if (!tap_okst(ctx, nn_getindex(ctx, &y, x, nidx, idx), name)) return;
    tap_ok(has_shape(y, ndim, shape) && y->dtype == x->dtype, "%s: shape and dtype", name);
    tap_tensor_close(y, want, y->numel, 0, 0, name);
    if (view >= 0)
        tap_ok((y->storage == x->storage) == (view == 1), "%s: %s", name, view ? "a view" : "a copy");
    nn_release(y);
}

static void test_getindex(void)
{
    int64_t s[2] = {3, 4};
    nn_tensor *x = iota(NN_F32, 2, s);
    check(x, 2, (nn_index[]){SC(2), SC(3)}, 0, NULL, (double[]){8}, -1, "x[2, 3]");
    check(x, 2, (nn_index[]){ALL, RG(2, 1, 3)}, 2, (int64_t[]){3, 2}, (double[]){4, 5, 6, 7, 8, 9}, 1,
          "x[:, 2:3]");
    check(x, 2, (nn_index[]){SC(2), ALL}, 1, (int64_t[]){4}, (double[]){2, 5, 8, 11}, 0, "x[2, :]");
    check(x, 2, (nn_index[]){ALL, SC(4)}, 1, (int64_t[]){3}, (double[]){10, 11, 12}, 1, "x[:, 4]");
    check(x, 2, (nn_index[]){RG(2, 1, 3), SC(2)}, 1, (int64_t[]){2}, (double[]){5, 6}, 1, "x[2:3, 2]");
    check(x, 2, (nn_index[]){RG(2, 1, 3), RG(2, 1, 3)}, 2, (int64_t[]){2, 2}, (double[]){5, 6, 8, 9}, 0,
          "x[2:3, 2:3]");
    check(x, 2, (nn_index[]){RG(3, -1, 1), SC(1)}, 1, (int64_t[]){3}, (double[]){3, 2, 1}, 0, "x[3:-1:1, 1]");
    check(x, 2, (nn_index[]){ALL, RG(4, -2, 1)}, 2, (int64_t[]){3, 2}, (double[]){10, 11, 12, 4, 5, 6}, 0,
          "x[:, 4:-2:1]");
    check(x, 2, (nn_index[]){ALL, RG(3, 1, 2)}, 2, (int64_t[]){3, 0}, NULL, -1, "x[:, 3:2] is empty");
    check(x, 2, (nn_index[]){RG(9, 1, 2), ALL}, 2, (int64_t[]){0, 4}, NULL, -1,
          "x[9:2, :] is empty, no bounds check");
    check(x, 2, (nn_index[]){ALL, ALL}, 2, s, (double[]){1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 1,
          "x[:, :]");

    nn_tensor *v64 = ivec(NN_I64, 2, (double[]){4, 1}), *v32 = ivec(NN_I32, 3, (double[]){2, 2, 1});
    check(x, 2, (nn_index[]){RG(1, 2, 3), VEC(v64)}, 2, (int64_t[]){2, 2}, (double[]){10, 12, 1, 3}, 0,
          "x[1:2:3, [4, 1]]");
    check(x, 2, (nn_index[]){VEC(v32), SC(1)}, 1, (int64_t[]){3}, (double[]){2, 2, 1}, 0,
          "x[Int32[2, 2, 1], 1]: repeats");
    check(x, 2, (nn_index[]){VEC(v32), VEC(v64)}, 2, (int64_t[]){3, 2}, (double[]){11, 11, 10, 2, 2, 1}, 0,
          "x[[2, 2, 1], [4, 1]]");

    /* one index: linear over all elements */
    nn_tensor *lv = ivec(NN_I64, 2, (double[]){12, 1});
    check(x, 1, (nn_index[]){VEC(lv)}, 1, (int64_t[]){2}, (double[]){12, 1}, 0, "x[[12, 1]]");
    check(x, 1, (nn_index[]){SC(5)}, 0, NULL, (double[]){5}, -1, "x[5]");
    check(x, 1, (nn_index[]){RG(2, 1, 4)}, 1, (int64_t[]){3}, (double[]){2, 3, 4}, 1, "x[2:4]");
    check(x, 1, (nn_index[]){RG(12, -5, 1)}, 1, (int64_t[]){3}, (double[]){12, 7, 2}, 0, "x[12:-5:1]");
    check(x, 1, (nn_index[]){ALL}, 1, (int64_t[]){12}, (double[]){1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 1,
          "x[:]");
    /* an index matrix gives its own shape */
    nn_tensor *im = tap_tensor(ctx, NN_I64, 2, (int64_t[]){2, 2}, (double[]){1, 2, 11, 12});
    check(x, 1, (nn_index[]){VEC(im)}, 2, (int64_t[]){2, 2}, (double[]){1, 2, 11, 12}, 0, "x[[1 11; 2 12]]");
    nn_tensor *im2 = tap_tensor(ctx, NN_I64, 2, (int64_t[]){2, 2}, (double[]){1, 2, 1, 2});
    check(x, 2, (nn_index[]){SC(1), VEC(im2)}, 2, (int64_t[]){2, 2}, (double[]){1, 4, 1, 4}, -1,
          "x[1, [1 1; 2 2]]");

    /* masks: full shape (linear) and along a dim */
    nn_tensor *six, *mask;
    nn_scalar(ctx, &six, NN_F32, 6);
    nn_compare(ctx, &mask, NN_GT, x, six);
    check(x, 1, (nn_index[]){MASK(mask)}, 1, (int64_t[]){6}, (double[]){7, 8, 9, 10, 11, 12}, 0, "x[x .> 6]");
    nn_tensor *rm = ivec(NN_BOOL, 3, (double[]){1, 0, 1}), *cm = ivec(NN_BOOL, 4, (double[]){0, 0, 0, 0});
    check(x, 2, (nn_index[]){MASK(rm), ALL}, 2, (int64_t[]){2, 4}, (double[]){1, 3, 4, 6, 7, 9, 10, 12}, 0,
          "x[[true, false, true], :]");
    check(x, 2, (nn_index[]){SC(2), MASK(cm)}, 1, (int64_t[]){0}, NULL, -1, "x[2, falses(4)]");
    check(x, 2, (nn_index[]){VEC(rm), SC(4)}, 1, (int64_t[]){2}, (double[]){10, 12}, 0,
          "a Bool tensor as VECTOR is a mask");

    /* extra trailing indices of 1, and fewer indices than dims */
    check(x, 3, (nn_index[]){SC(2), SC(3), SC(1)}, 0, NULL, (double[]){8}, 0,
          "x[2, 3, 1] (an element is a copy)");
    check(x, 3, (nn_index[]){ALL, SC(2), ALL}, 2, (int64_t[]){3, 1}, (double[]){4, 5, 6}, 1, "x[:, 2, :]");
    int64_t s3[3] = {2, 3, 2};
    nn_tensor *z = iota(NN_F64, 3, s3), *z1 = iota(NN_F64, 3, (int64_t[]){2, 3, 1});
    nn_tensor *bad = NULL;
    tap_error(ctx, nn_getindex(ctx, &bad, z, 2, (nn_index[]){SC(2), SC(3)}), NN_ERR_BOUNDS,
              "z[2, 3] of a (2, 3, 2) tensor: omitted trailing dims must have size 1 (Julia 1)", "[2, 3]",
              "fewer indices than dimensions", NULL);
    check(z, 3, (nn_index[]){ALL, ALL, SC(2)}, 2, (int64_t[]){2, 3}, (double[]){7, 8, 9, 10, 11, 12}, 1,
          "z[:, :, 2]");
    check(z, 3, (nn_index[]){ALL, RG(2, 1, 3), SC(1)}, 2, (int64_t[]){2, 2}, (double[]){3, 4, 5, 6}, 1,
          "z[:, 2:3, 1]");
    check(z1, 2, (nn_index[]){SC(1), ALL}, 1, (int64_t[]){3}, (double[]){1, 3, 5}, 0, "(2,3,1)[1, :]");

    /* one-element tensors with no index, and other dtypes */
    nn_tensor *one;
    nn_scalar(ctx, &one, NN_I32, 7);
    check(one, 0, NULL, 0, NULL, (double[]){7}, 0, "x[] of a 0-d Int32");
    nn_tensor *xi = iota(NN_I64, 2, s), *xb = iota(NN_BOOL, 2, s);
    nn_set(xb, 4, 0);
    check(xi, 2, (nn_index[]){SC(2), VEC(v64)}, 1, (int64_t[]){2}, (double[]){11, 2}, -1,
          "Int64 x[2, [4, 1]]");
    check(xb, 2, (nn_index[]){SC(2), ALL}, 1, (int64_t[]){4}, (double[]){1, 0, 1, 1}, -1, "Bool x[2, :]");

    /* views really share storage, both ways */
    nn_tensor *w;
    nn_getindex(ctx, &w, x, 2, (nn_index[]){ALL, RG(2, 1, 3)});
    nn_set(w, 0, -4);
    tap_ok(nn_get(x, 3) == -4, "a write through x[:, 2:3] shows in x");
    nn_set(x, 8, -9);
    tap_ok(nn_get(w, 5) == -9, "a write into x shows in the view");
    nn_release(w);
    nn_set(x, 3, 4);
    nn_set(x, 8, 9);

    /* a big gather through the thread pool */
    int64_t sb[2] = {600, 300};
    nn_tensor *big = iota(NN_F64, 2, sb), *bg;
    nn_getindex(ctx, &bg, big, 2, (nn_index[]){RG(600, -1, 1), RG(1, 2, 300)});
    bool same = bg->shape[0] == 600 && bg->shape[1] == 150;
    for (int64_t j = 0; j < 150 && same; j++)
        for (int64_t i = 0; i < 600; i++)
            same = same && nn_get(bg, i + 600 * j) == (double)(600 - i + 600 * (2 * j));
    tap_ok(same, "big[600:-1:1, 1:2:300] matches the formula");
    nn_release(bg);
    nn_release(big);

    nn_tensor *all[] = {x, v64, v32, lv, im, im2, six, mask, rm, cm, z, z1, one, xi, xb};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        nn_release(all[i]);
}

static void test_setindex(void)
{
    int64_t s[2] = {3, 4};
    nn_tensor *x = iota(NN_F32, 2, s);
    uint64_t v0 = nn_tensor_version(x);
    nn_tensor *col = ivec(NN_F64, 3, (double[]){10, 20, 30});
    tap_okst(ctx, nn_setindex_(ctx, x, 2, (nn_index[]){ALL, SC(2)}, col),
             "x[:, 2] .= [10, 20, 30] (Float64 into Float32)");
    tap_tensor_close(x, (double[]){1, 2, 3, 10, 20, 30, 7, 8, 9, 10, 11, 12}, 12, 0, 0, "column 2 written");
    tap_ok(nn_tensor_version(x) == v0 + 1, "the version counter went up");

    nn_tensor *zero;
    nn_scalar(ctx, &zero, NN_I64, 0);
    tap_okst(ctx, nn_setindex_(ctx, x, 2, (nn_index[]){SC(1), ALL}, zero), "x[1, :] .= 0");
    tap_tensor_close(x, (double[]){0, 2, 3, 0, 20, 30, 0, 8, 9, 0, 11, 12}, 12, 0, 0, "row 1 zeroed");

    /* broadcast a row across the selected columns */
    nn_tensor *row = tap_tensor(ctx, NN_F32, 2, (int64_t[]){1, 2}, (double[]){-1, -2});
    tap_okst(ctx, nn_setindex_(ctx, x, 2, (nn_index[]){RG(2, 1, 3), RG(3, 1, 4)}, row),
             "x[2:3, 3:4] .= [-1 -2]");
    tap_tensor_close(x, (double[]){0, 2, 3, 0, 20, 30, 0, -1, -1, 0, -2, -2}, 12, 0, 0,
                     "broadcast down the rows");

    /* x[mask] .= 0, the common case */
    nn_tensor *mask;
    nn_compare(ctx, &mask, NN_LT, x, zero);
    v0 = nn_tensor_version(x);
    tap_okst(ctx, nn_setindex_(ctx, x, 1, (nn_index[]){MASK(mask)}, zero), "x[x .< 0] .= 0");
    tap_tensor_close(x, (double[]){0, 2, 3, 0, 20, 30, 0, 0, 0, 0, 0, 0}, 12, 0, 0, "negatives zeroed");
    tap_ok(nn_tensor_version(x) == v0 + 1, "bumped again");

    /* repeated positions: the last write wins; negative steps; linear */
    nn_tensor *rep = ivec(NN_I64, 3, (double[]){2, 1, 2}), *vals = ivec(NN_F32, 3, (double[]){7, 8, 9});
    tap_okst(ctx, nn_setindex_(ctx, x, 1, (nn_index[]){VEC(rep)}, vals), "x[[2, 1, 2]] .= [7, 8, 9]");
    tap_ok(nn_get(x, 0) == 8 && nn_get(x, 1) == 9, "the last write wins");
    nn_tensor *desc = ivec(NN_F32, 4, (double[]){1, 2, 3, 4});
    tap_okst(ctx, nn_setindex_(ctx, x, 1, (nn_index[]){RG(12, -1, 9)}, desc), "x[12:-1:9] .= 1:4");
    tap_tensor_close(x, (double[]){8, 9, 3, 0, 20, 30, 0, 0, 4, 3, 2, 1}, 12, 0, 0, "written backwards");

    /* overlapping source and destination: the source is read first, as Julia */
    nn_tensor *v = iota(NN_F64, 1, (int64_t[]){5}), *src;
    nn_getindex(ctx, &src, v, 1, (nn_index[]){RG(1, 1, 4)});
    tap_ok(src->storage == v->storage, "v[1:4] is a view of v");
    tap_okst(ctx, nn_setindex_(ctx, v, 1, (nn_index[]){RG(2, 1, 5)}, src), "v[2:5] .= v[1:4]");
    tap_tensor_close(v, (double[]){1, 1, 2, 3, 4}, 5, 0, 0, "shifted, not smeared");
    nn_release(src);

    /* into an Int tensor: whole floats convert, fractions are an InexactError */
    nn_tensor *xi = iota(NN_I32, 1, (int64_t[]){3}), *f, *h;
    nn_scalar(ctx, &f, NN_F64, 5);
    nn_scalar(ctx, &h, NN_F64, 2.5);
    tap_okst(ctx, nn_setindex_(ctx, xi, 1, (nn_index[]){SC(2)}, f), "Int32 x[2] = 5.0");
    tap_tensor_close(xi, (double[]){1, 5, 3}, 3, 0, 0, "converted");
    tap_error(ctx, nn_setindex_(ctx, xi, 1, (nn_index[]){SC(2)}, h), NN_ERR_DOMAIN, "Int32 x[2] = 2.5",
              "InexactError", NULL);
    tap_tensor_close(xi, (double[]){1, 5, 3}, 3, 0, 0, "and x is untouched");

    /* a view of x written through setindex! shows in x */
    nn_tensor *cv;
    nn_getindex(ctx, &cv, x, 2, (nn_index[]){ALL, SC(1)});
    nn_release(f);
    nn_scalar(ctx, &f, NN_F32, 42);
    tap_okst(ctx, nn_setindex_(ctx, cv, 1, (nn_index[]){SC(3)}, f), "view[3] = 42");
    tap_ok(nn_get(x, 2) == 42, "shows in x[3, 1]");
    nn_release(cv);

    /* an empty selection is fine */
    tap_okst(ctx, nn_setindex_(ctx, x, 2, (nn_index[]){ALL, RG(2, 1, 1)}, f), "x[:, 2:1] .= 42 does nothing");

    nn_tensor *all[] = {x, col, zero, row, mask, rep, vals, desc, v, xi, f, h};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        nn_release(all[i]);
}

static void test_errors(void)
{
    int64_t s[2] = {3, 4};
    nn_tensor *x = iota(NN_F32, 2, s), *y = NULL;
    nn_status st = nn_getindex(ctx, &y, x, 2, (nn_index[]){SC(4), SC(1)});
    tap_error(ctx, st, NN_ERR_BOUNDS, "x[4, 1]",
              "getindex: attempt to access (3, 4) Float32 tensor at index [4, 1]", NULL);
    tap_ok(y == NULL, "and no result");
    st = nn_getindex(ctx, &y, x, 2, (nn_index[]){SC(0), ALL});
    tap_error(ctx, st, NN_ERR_BOUNDS, "x[0, :]", "at index [0, :]", NULL);
    st = nn_getindex(ctx, &y, x, 2, (nn_index[]){ALL, RG(2, 1, 5)});
    tap_error(ctx, st, NN_ERR_BOUNDS, "x[:, 2:5]", "at index [:, 2:5]", NULL);
    st = nn_getindex(ctx, &y, x, 2, (nn_index[]){RG(5, -2, 1), SC(1)});
    tap_error(ctx, st, NN_ERR_BOUNDS, "x[5:-2:1, 1]", "[5:-2:1, 1]", NULL);
    nn_tensor *bad = ivec(NN_I64, 2, (double[]){1, 13});
    st = nn_getindex(ctx, &y, x, 1, (nn_index[]){VEC(bad)});
    tap_error(ctx, st, NN_ERR_BOUNDS, "x[[1, 13]]", "(3, 4) Float32", "[[1, 13]]", NULL);
    st = nn_getindex(ctx, &y, x, 1, (nn_index[]){SC(13)});
    tap_error(ctx, st, NN_ERR_BOUNDS, "x[13]", "[13]", NULL);
    st = nn_getindex(ctx, &y, x, 3, (nn_index[]){SC(1), SC(1), SC(2)});
    tap_error(ctx, st, NN_ERR_BOUNDS, "x[1, 1, 2]: an extra index must be 1", "[1, 1, 2]", NULL);
    nn_tensor *m2 = ivec(NN_BOOL, 2, (double[]){1, 0});
    st = nn_getindex(ctx, &y, x, 2, (nn_index[]){MASK(m2), ALL});
    tap_error(ctx, st, NN_ERR_BOUNDS, "a mask of the wrong length", "Bool[1, 0]", "2 elements", "3 positions",
              NULL);
    st = nn_getindex(ctx, &y, x, 1, (nn_index[]){MASK(m2)});
    tap_error(ctx, st, NN_ERR_BOUNDS, "a linear mask of the wrong length", "12 positions", NULL);
    st = nn_getindex(ctx, &y, x, 0, NULL);
    tap_error(ctx, st, NN_ERR_BOUNDS, "x[] of 12 elements", "at index []", NULL);
    st = nn_getindex(ctx, &y, x, 2, (nn_index[]){RG(1, 0, 3), SC(1)});
    tap_error(ctx, st, NN_ERR_ARGUMENT, "a zero step", "step", "zero", NULL);
    st = nn_getindex(ctx, &y, x, 2, (nn_index[]){VEC(x), SC(1)});
    tap_error(ctx, st, NN_ERR_ARGUMENT, "a Float32 index tensor", "invalid index", "Float32", NULL);
    nn_tensor *iv = ivec(NN_I64, 2, (double[]){1, 0});
    st = nn_getindex(ctx, &y, x, 2, (nn_index[]){MASK(iv), SC(1)});
    tap_error(ctx, st, NN_ERR_ARGUMENT, "an Int64 mask", "invalid index", "Int64", NULL);
    st = nn_getindex(ctx, &y, x, 1, (nn_index[]){VEC(NULL)});
    tap_error(ctx, st, NN_ERR_ARGUMENT, "a VECTOR without a tensor", "no tensor", NULL);
    st = nn_getindex(ctx, &y, x, 1, (nn_index[]){{.kind = (nn_index_kind)9}});
    tap_error(ctx, st, NN_ERR_ARGUMENT, "a bad index kind", "bad kind", NULL);
    nn_index many[17];
    for (int i = 0; i < 17; i++)
        many[i] = SC(1);
    st = nn_getindex(ctx, &y, x, 17, many);
    tap_error(ctx, st, NN_ERR_ARGUMENT, "17 indices", "17 indices", NULL);
    nn_tensor *deep = ivec(NN_I64, 1, (double[]){1});
    nn_tensor *deep16;
    int64_t ones[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    nn_reshape(ctx, &deep16, deep, 16, ones);
    st = nn_getindex(ctx, &y, x, 2, (nn_index[]){VEC(deep16), VEC(deep16)});
    tap_error(ctx, st, NN_ERR_ARGUMENT, "a result of 32 dims", "more than 16 dimensions", NULL);
    tap_ok(y == NULL, "and no result");

    /* setindex! */
    nn_tensor *v3 = ivec(NN_F32, 3, (double[]){1, 2, 3}), *one;
    nn_scalar(ctx, &one, NN_F32, 1);
    uint64_t v0 = nn_tensor_version(x);
    st = nn_setindex_(ctx, x, 2, (nn_index[]){SC(1), ALL}, v3);
    tap_error(ctx, st, NN_ERR_DIMENSION, "x[1, :] .= 3 values", "setindex!", "(3,)", "(4,)", NULL);
    st = nn_setindex_(ctx, x, 2, (nn_index[]){SC(4), SC(1)}, one);
    tap_error(ctx, st, NN_ERR_BOUNDS, "x[4, 1] = 1",
              "setindex!: attempt to access (3, 4) Float32 tensor at index [4, 1]", NULL);
    tap_ok(nn_tensor_version(x) == v0, "failed writes leave the version alone");
    nn_tensor *t;
    nn_tracked_alias(ctx, &t, x);
    st = nn_setindex_(ctx, t, 2, (nn_index[]){SC(1), SC(1)}, one);
    tap_error(ctx, st, NN_ERR_MUTATED, "into a tensor that requires a gradient", "setindex!",
              "gradient is tracking", NULL);
    nn_tensor *tv;
    nn_getindex(ctx, &tv, t, 2, (nn_index[]){ALL, SC(1)});
    st = nn_setindex_(ctx, tv, 1, (nn_index[]){SC(1)}, one);
    tap_error(ctx, st, NN_ERR_MUTATED, "into a tracked view", "setindex!", NULL);
    tap_ok(nn_get(x, 0) == 1, "x untouched");
    nn_release(tv);
    nn_release(t);

    nn_tensor *all[] = {x, bad, m2, iv, deep, deep16, v3, one};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        nn_release(all[i]);
}

/* ---- gradients ---------------------------------------------------------------- */

typedef struct {
    int n;
    nn_index idx[3];
} idxp;

static nn_status f_get(nn_ctx *c, nn_tensor *const *in, nn_tensor **out, void *ud)
{
    const idxp *p = ud;
    return nn_getindex(c, out, in[0], p->n, p->idx);
}

/* x[:, 1:2] .* x[:, 2:3]: column 2 is used twice, so gradients from two
 * getindex nodes meet in x. */
static nn_status f_get_twice(nn_ctx *c, nn_tensor *const *in, nn_tensor **out, void *ud)
{
    nn_tensor *a, *b;
    NN_TRY(nn_getindex(c, &a, in[0], 2, (nn_index[]){ALL, RG(1, 1, 2)}));
    nn_status s = nn_getindex(c, &b, in[0], 2, (nn_index[]){ALL, RG(2, 1, 3)});
    if (!s) s = nn_binary(c, out, NN_MUL, a, b);
    nn_release(a);
    nn_release(b);
    return s;
}

static void test_gradients(void)
{
    int64_t s[2] = {3, 4};
    nn_tensor *x;
    nn_empty(ctx, &x, NN_F64, 2, s);
    for (int64_t i = 0; i < 12; i++)
        nn_set(x, i, sin(0.3 + 0.7 * (double)i));
    nn_tensor *rep = ivec(NN_I64, 4, (double[]){2, 2, 1, 2}), *cols = ivec(NN_I32, 2, (double[]){4, 1});
    nn_tensor *rm = ivec(NN_BOOL, 3, (double[]){1, 0, 1}),
              *fm = ivec(NN_BOOL, 12, (double[]){1, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 1});
    nn_tensor *lin = ivec(NN_I64, 3, (double[]){12, 5, 12});
    idxp cases[] = {
        {2, {SC(2), SC(3)}},
        {2, {ALL, RG(2, 1, 3)}},
        {2, {SC(2), ALL}},
        {2, {RG(3, -1, 1), RG(1, 2, 4)}},
        {2, {VEC(rep), VEC(cols)}},
        {2, {MASK(rm), ALL}},
        {1, {MASK(fm)}},
        {1, {VEC(lin)}},
        {1, {ALL}},
        {1, {RG(2, 1, 7)}},
        {3, {ALL, SC(4), SC(1)}},
    };
    const char *names[] = {"x[2, 3]",
                           "x[:, 2:3] (a view)",
                           "x[2, :]",
                           "x[3:-1:1, 1:2:4]",
                           "x[[2, 2, 1, 2], [4, 1]]",
                           "x[mask, :]",
                           "x[mask of x's shape]",
                           "x[[12, 5, 12]]",
                           "x[:]",
                           "x[2:7] (a view)",
                           "x[:, 4, 1]"};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        tap_gradcheck(ctx, f_get, 1, &x, &cases[i], 1e-6, names[i]);
    tap_gradcheck(ctx, f_get_twice, 1, &x, NULL, 1e-6, "x[:, 1:2] .* x[:, 2:3]");

    /* a 3-d view through a batch slice */
    int64_t s3[3] = {2, 3, 2};
    nn_tensor *z;
    nn_empty(ctx, &z, NN_F64, 3, s3);
    for (int64_t i = 0; i < 12; i++)
        nn_set(z, i, cos(0.1 + 0.9 * (double)i));
    idxp zc = {3, {ALL, ALL, SC(2)}};
    tap_gradcheck(ctx, f_get, 1, &z, &zc, 1e-6, "z[:, :, 2] (a view)");

    nn_tensor *all[] = {x, rep, cols, rm, fm, lin, z};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        nn_release(all[i]);
}

int main(void)
{
    ctx = nn_ctx_new();
    test_getindex();
    test_setindex();
    test_errors();
    test_gradients();
    tap_ok(nn_ctx_bytes_live(ctx) == 0, "no tensor bytes left live");
    nn_ctx_free(ctx);
    return tap_done();
}
