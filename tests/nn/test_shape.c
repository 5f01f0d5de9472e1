/* test_shape.c — permutedims, transpose, cat (vcat, hcat, any dim, mixed
 * ranks, dtype promotion) and stack: values, views, gradients and errors.
 */
#include "tap.h"

#include <math.h>
#include <stdint.h>

static nn_ctx *ctx;

/* 1, 2, 3, ... in column-major order: easy to check by hand. */
static nn_tensor *iota(nn_dtype t, int ndim, const int64_t *shape)
{
    nn_tensor *x;
    nn_empty(ctx, &x, t, ndim, shape);
    for (int64_t i = 0; i < x->numel; i++)
        nn_set(x, i, (double)(i + 1));
    return x;
}

/* Uneven Float64 data for gradient checks. */
static nn_tensor *data(int ndim, const int64_t *shape, double seed)
{
    nn_tensor *x;
    nn_empty(ctx, &x, NN_F64, ndim, shape);
    for (int64_t i = 0; i < x->numel; i++)
        nn_set(x, i, sin(seed + 0.7 * (double)i) * 1.5);
    return x;
}

static bool has_shape(const nn_tensor *t, int ndim, const int64_t *shape)
{
    if (!t || t->ndim != ndim) return false;
    for (int i = 0; i < ndim; i++)
        if (t->shape[i] != shape[i]) return false;
    return true;
}

static void test_permutedims(void)
{
    int64_t s[3] = {2, 3, 4};
    nn_tensor *x = iota(NN_F32, 3, s), *y;
    int p[3] = {3, 1, 2};
    tap_okst(ctx, nn_permutedims(ctx, &y, x, p), "permutedims (2,3,4) by (3,1,2)");
    /* from plain Python: y[a,b,c] = x[b,c,a] with x[i,j,k] = i + 2(j-1) + 6(k-1) */
    double want[24] = {1, 7, 13, 19, 2, 8, 14, 20, 3, 9, 15, 21, 4, 10, 16, 22, 5, 11, 17, 23, 6, 12, 18, 24};
    int64_t ws[3] = {4, 2, 3};
    tap_ok(has_shape(y, 3, ws) && y->dtype == NN_F32, "gives a (4, 2, 3) Float32 tensor");
    tap_tensor_close(y, want, 24, 0, 0, "its values");
    tap_ok(y->storage != x->storage, "permutedims copies");
    nn_release(y);
    nn_release(x);

    /* Int and Bool permute too (one body per element size) */
    int64_t sb[2] = {2, 3};
    nn_tensor *bi = iota(NN_I64, 2, sb), *bt;
    nn_tensor *bb = iota(NN_BOOL, 2, sb);
    nn_set(bb, 1, 0);
    int p21[2] = {2, 1};
    tap_okst(ctx, nn_permutedims(ctx, &bt, bi, p21), "permutedims of Int64");
    double wi[6] = {1, 3, 5, 2, 4, 6};
    tap_tensor_close(bt, wi, 6, 0, 0, "Int64 values");
    nn_release(bt);
    tap_okst(ctx, nn_permutedims(ctx, &bt, bb, p21), "permutedims of Bool");
    double wb[6] = {1, 1, 1, 0, 1, 1};
    tap_tensor_close(bt, wb, 6, 0, 0, "Bool values");
    nn_release(bt);
    nn_release(bi);
    nn_release(bb);

    /* big enough to go tiled and parallel; against the naive index formula */
    int64_t sl[3] = {300, 7, 211};
    nn_tensor *l = data(3, sl, 0.1), *lt;
    int pl[3] = {3, 2, 1};
    nn_permutedims(ctx, &lt, l, pl);
    bool same = true;
    for (int64_t k = 0; k < 211 && same; k++)
        for (int64_t j = 0; j < 7; j++)
            for (int64_t i = 0; i < 300; i++)
                same = same && nn_get(lt, k + 211 * (j + 7 * i)) == nn_get(l, i + 300 * (j + 7 * k));
    tap_ok(same, "permutedims (300,7,211) by (3,2,1) matches the index formula");
    nn_release(lt);
    int pm[3] = {2, 1, 3};
    nn_permutedims(ctx, &lt, l, pm);
    same = true;
    for (int64_t k = 0; k < 211 && same; k++)
        for (int64_t j = 0; j < 7; j++)
            for (int64_t i = 0; i < 300; i++)
                same = same && nn_get(lt, j + 7 * (i + 300 * k)) == nn_get(l, i + 300 * (j + 7 * k));
    tap_ok(same, "permutedims by (2,1,3): a batch of transposes");
    nn_release(lt);
    nn_release(l);
}

static void test_transpose(void)
{
    int64_t s[2] = {2, 3};
    nn_tensor *a = iota(NN_F64, 2, s), *t;
    tap_okst(ctx, nn_transpose(ctx, &t, a), "transpose (2,3)");
    int64_t ws[2] = {3, 2};
    double want[6] = {1, 3, 5, 2, 4, 6}; /* [1 3 5; 2 4 6]' = [1 2; 3 4; 5 6] */
    tap_ok(has_shape(t, 2, ws), "is (3, 2)");
    tap_tensor_close(t, want, 6, 0, 0, "hand-worked values");
    nn_release(t);

    /* big: the tiled path against the formula */
    int64_t sb[2] = {517, 263};
    nn_tensor *b = data(2, sb, 0.5), *bt;
    nn_transpose(ctx, &bt, b);
    bool same = bt->shape[0] == 263 && bt->shape[1] == 517;
    for (int64_t j = 0; j < 263 && same; j++)
        for (int64_t i = 0; i < 517; i++)
            same = same && nn_get(bt, j + 263 * i) == nn_get(b, i + 517 * j);
    tap_ok(same, "transpose (517,263) matches the formula");
    nn_release(bt);
    nn_release(b);

    /* a vector becomes a (1, n) row sharing storage, as Julia's adjoint */
    int64_t n = 3;
    nn_tensor *v = iota(NN_F32, 1, &n), *vt;
    tap_okst(ctx, nn_transpose(ctx, &vt, v), "transpose (3,)");
    int64_t wv[2] = {1, 3};
    tap_ok(has_shape(vt, 2, wv), "is (1, 3)");
    nn_set(vt, 2, 30);
    tap_ok(nn_get(v, 2) == 30, "and shares storage with the vector");
    nn_release(vt);
    nn_release(v);
    nn_release(a);
}

static void check_cat(int n, nn_tensor *const *xs, int dim, int ndim, const int64_t *shape,
                      const double *want, const char *name)
{
    nn_tensor *y;
    if (!tap_okst(ctx, nn_cat(ctx, &y, n, xs, dim), name)) return;
    tap_ok(has_shape(y, ndim, shape), "%s: shape", name);
    tap_tensor_close(y, want, y->numel, 0, 0, name);
    nn_release(y);
}

static void test_cat(void)
{
    int64_t s22[2] = {2, 2}, s12[2] = {1, 2}, s21[2] = {2, 1}, s2 = 2, s3 = 3;
    double d4[4] = {1, 2, 3, 4}, d56[2] = {5, 6}, d5678[4] = {5, 6, 7, 8}, d345[3] = {3, 4, 5};
    nn_tensor *a = tap_tensor(ctx, NN_F32, 2, s22, d4);    /* [1 3; 2 4] */
    nn_tensor *r = tap_tensor(ctx, NN_F32, 2, s12, d56);   /* [5 6] */
    nn_tensor *c = tap_tensor(ctx, NN_F32, 2, s21, d56);   /* [5; 6] */
    nn_tensor *b = tap_tensor(ctx, NN_F32, 2, s22, d5678); /* [5 7; 6 8] */
    nn_tensor *v = tap_tensor(ctx, NN_F32, 1, &s2, d56);   /* [5, 6] */
    nn_tensor *w = tap_tensor(ctx, NN_F32, 1, &s3, d345);  /* [3, 4, 5] */

    int64_t o1[2] = {3, 2};
    double w1[6] = {1, 2, 5, 3, 4, 6}; /* vcat: [1 3; 2 4; 5 6] */
    check_cat(2, (nn_tensor *[]){a, r}, 1, 2, o1, w1, "vcat (2,2) (1,2)");
    int64_t o2[2] = {2, 3};
    double w2[6] = {1, 2, 3, 4, 5, 6}; /* hcat: [1 3 5; 2 4 6] */
    check_cat(2, (nn_tensor *[]){a, c}, 2, 2, o2, w2, "hcat (2,2) (2,1)");
    int64_t o3[3] = {2, 2, 2};
    double w3[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    check_cat(2, (nn_tensor *[]){a, b}, 3, 3, o3, w3, "cat dims=3 (2,2) (2,2)");
    check_cat(2, (nn_tensor *[]){v, a}, 2, 2, o2, (double[]){5, 6, 1, 2, 3, 4},
              "hcat vector (2,) with (2,2)");
    int64_t o5 = 5;
    check_cat(2, (nn_tensor *[]){v, w}, 1, 1, &o5, (double[]){5, 6, 3, 4, 5}, "vcat (2,) (3,)");
    int64_t o212[3] = {2, 1, 2};
    check_cat(2, (nn_tensor *[]){c, v}, 3, 3, o212, (double[]){5, 6, 5, 6}, "cat dims=3 (2,1) with (2,)");
    check_cat(3, (nn_tensor *[]){a, c, c}, 2, 2, (int64_t[]){2, 4}, (double[]){1, 2, 3, 4, 5, 6, 5, 6},
              "hcat of three");
    check_cat(1, (nn_tensor *[]){a}, 1, 2, s22, d4, "cat of one is a copy");

    /* dtype promotion, as Julia's cat */
    nn_tensor *i32 = tap_tensor(ctx, NN_I32, 1, &s2, d56), *i64 = tap_tensor(ctx, NN_I64, 1, &s3, d345);
    nn_tensor *bo = tap_tensor(ctx, NN_BOOL, 1, &s2, (double[]){1, 0}), *y;
    nn_cat(ctx, &y, 2, (nn_tensor *[]){i32, v}, 1);
    tap_ok(y->dtype == NN_F32, "Int32 with Float32 gives Float32");
    nn_release(y);
    nn_cat(ctx, &y, 2, (nn_tensor *[]){i32, i64}, 1);
    tap_ok(y->dtype == NN_I64, "Int32 with Int64 gives Int64");
    tap_tensor_close(y, (double[]){5, 6, 3, 4, 5}, 5, 0, 0, "its values");
    nn_release(y);
    nn_cat(ctx, &y, 2, (nn_tensor *[]){bo, bo}, 1);
    tap_ok(y->dtype == NN_BOOL, "Bool with Bool stays Bool");
    tap_tensor_close(y, (double[]){1, 0, 1, 0}, 4, 0, 0, "its values");
    nn_release(y);

    /* larger: slabs through the parallel copy */
    int64_t sb1[3] = {40, 30, 50}, sb2[3] = {40, 20, 50};
    nn_tensor *p = data(3, sb1, 0.2), *q = data(3, sb2, 0.9);
    nn_cat(ctx, &y, 2, (nn_tensor *[]){p, q}, 2);
    bool same = y->shape[1] == 50;
    for (int64_t k = 0; k < 50 && same; k++)
        for (int64_t j = 0; j < 50; j++)
            for (int64_t i = 0; i < 40; i++)
                same = same &&
                       nn_get(y, i + 40 * (j + 50 * k)) == (j < 30 ? nn_get(p, i + 40 * (j + 30 * k))
                                                                   : nn_get(q, i + 40 * (j - 30 + 20 * k)));
    tap_ok(same, "cat dims=2 of (40,30,50) and (40,20,50) matches the formula");
    nn_release(y);
    nn_release(p);
    nn_release(q);
    nn_release(i32);
    nn_release(i64);
    nn_release(bo);
    nn_release(a);
    nn_release(r);
    nn_release(c);
    nn_release(b);
    nn_release(v);
    nn_release(w);
}

static void test_stack(void)
{
    int64_t s[2] = {2, 2}, o[3] = {2, 2, 2};
    double d4[4] = {1, 2, 3, 4}, d5678[4] = {5, 6, 7, 8};
    nn_tensor *a = tap_tensor(ctx, NN_F64, 2, s, d4), *b = tap_tensor(ctx, NN_F64, 2, s, d5678), *y;
    nn_tensor *ab[2] = {a, b};
    /* hand-worked: out[k,i,j] = xs[k][i,j] and so on */
    double w1[8] = {1, 5, 2, 6, 3, 7, 4, 8}, w2[8] = {1, 2, 5, 6, 3, 4, 7, 8},
           w3[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    const double *want[3] = {w1, w2, w3};
    for (int d = 1; d <= 3; d++) {
        tap_okst(ctx, nn_stack(ctx, &y, 2, ab, d), "stack two (2,2) along a new dim");
        tap_ok(has_shape(y, 3, o), "dims=%d: (2, 2, 2)", d);
        tap_tensor_close(y, want[d - 1], 8, 0, 0, "stack values");
        nn_release(y);
    }
    int64_t n = 3;
    nn_tensor *u = iota(NN_I32, 1, &n), *v = iota(NN_I32, 1, &n);
    nn_stack(ctx, &y, 2, (nn_tensor *[]){u, v}, 1);
    int64_t o23[2] = {2, 3};
    tap_ok(has_shape(y, 2, o23) && y->dtype == NN_I32, "stack of two Int32 vectors along 1 is (2, 3) Int32");
    tap_tensor_close(y, (double[]){1, 1, 2, 2, 3, 3}, 6, 0, 0, "its values");
    nn_release(y);
    nn_release(u);
    nn_release(v);
    nn_release(a);
    nn_release(b);
}

static void test_errors(void)
{
    int64_t s[3] = {2, 3, 4}, s22[2] = {2, 2}, s23[2] = {2, 3};
    nn_tensor *x = iota(NN_F32, 3, s), *a = iota(NN_F32, 2, s22), *b = iota(NN_F32, 2, s23), *y = NULL;
    nn_status st = nn_permutedims(ctx, &y, x, (int[]){1, 1, 2});
    tap_error(ctx, st, NN_ERR_ARGUMENT, "permutedims: a repeated dim", "permutedims", "(1, 1, 2)",
              "(2, 3, 4)", NULL);
    tap_ok(y == NULL, "and no result");
    st = nn_permutedims(ctx, &y, x, (int[]){1, 4, 2});
    tap_error(ctx, st, NN_ERR_ARGUMENT, "permutedims: dim 4 of a 3-d tensor", "not a valid permutation",
              "1:3", NULL);
    st = nn_permutedims(ctx, &y, x, (int[]){0, 1, 2});
    tap_error(ctx, st, NN_ERR_ARGUMENT, "permutedims: dim 0", "(0, 1, 2)", NULL);
    st = nn_permutedims(ctx, &y, x, NULL);
    tap_error(ctx, st, NN_ERR_ARGUMENT, "permutedims: no permutation", "permutedims", NULL);
    st = nn_transpose(ctx, &y, x);
    tap_error(ctx, st, NN_ERR_ARGUMENT, "transpose of a 3-d tensor", "transpose", "(2, 3, 4)", "permutedims",
              NULL);
    nn_tensor *z;
    nn_scalar(ctx, &z, NN_F32, 1);
    st = nn_transpose(ctx, &y, z);
    tap_error(ctx, st, NN_ERR_ARGUMENT, "transpose of a 0-d tensor", "transpose", "()", NULL);
    nn_release(z);

    st = nn_cat(ctx, &y, 0, NULL, 1);
    tap_error(ctx, st, NN_ERR_ARGUMENT, "cat of nothing", "cat", "no tensors", NULL);
    st = nn_cat(ctx, &y, 2, (nn_tensor *[]){a, b}, 0);
    tap_error(ctx, st, NN_ERR_ARGUMENT, "cat dims=0", "cat", "dims = 0", NULL);
    st = nn_cat(ctx, &y, 2, (nn_tensor *[]){a, b}, 1);
    tap_error(ctx, st, NN_ERR_DIMENSION, "vcat (2,2) (2,3)", "cat", "dimension 2", "(2, 2)", "(2, 3)", NULL);
    tap_ok(y == NULL, "and no result");
    st = nn_cat(ctx, &y, 2, (nn_tensor *[]){a, x}, 3);
    tap_error(ctx, st, NN_ERR_DIMENSION, "cat dims=3 (2,2) (2,3,4)", "cat", "(2, 2)", "(2, 3, 4)", NULL);

    st = nn_stack(ctx, &y, 0, NULL, 1);
    tap_error(ctx, st, NN_ERR_ARGUMENT, "stack of nothing", "stack", "no tensors", NULL);
    st = nn_stack(ctx, &y, 2, (nn_tensor *[]){a, a}, 4);
    tap_error(ctx, st, NN_ERR_ARGUMENT, "stack dims=4 of matrices", "stack", "dims = 4", "(2, 2)", NULL);
    st = nn_stack(ctx, &y, 2, (nn_tensor *[]){a, a}, 0);
    tap_error(ctx, st, NN_ERR_ARGUMENT, "stack dims=0", "stack", "dims = 0", NULL);
    st = nn_stack(ctx, &y, 2, (nn_tensor *[]){a, b}, 1);
    tap_error(ctx, st, NN_ERR_DIMENSION, "stack (2,2) (2,3)", "stack", "same size", "(2, 2)", "(2, 3)", NULL);
    tap_ok(y == NULL, "and no result");
    nn_release(x);
    nn_release(a);
    nn_release(b);
}

/* ---- gradients ---------------------------------------------------------------- */

static nn_status f_permute(nn_ctx *c, nn_tensor *const *in, nn_tensor **out, void *ud)
{
    return nn_permutedims(c, out, in[0], ud);
}

static nn_status f_transpose(nn_ctx *c, nn_tensor *const *in, nn_tensor **out, void *ud)
{
    return nn_transpose(c, out, in[0]);
}

typedef struct {
    int n, dim;
} catp;

static nn_status f_cat(nn_ctx *c, nn_tensor *const *in, nn_tensor **out, void *ud)
{
    const catp *p = ud;
    return nn_cat(c, out, p->n, in, p->dim);
}

static nn_status f_stack(nn_ctx *c, nn_tensor *const *in, nn_tensor **out, void *ud)
{
    const catp *p = ud;
    return nn_stack(c, out, p->n, in, p->dim);
}

/* The result goes through one more op, so gradients reach cat through a
 * node as well as straight from the loss. */
static nn_status f_cat_tanh(nn_ctx *c, nn_tensor *const *in, nn_tensor **out, void *ud)
{
    nn_tensor *y;
    NN_TRY(f_cat(c, in, &y, ud));
    nn_status s = nn_unary(c, out, NN_TANH, y);
    nn_release(y);
    return s;
}

static void test_gradients(void)
{
    int64_t s3[3] = {2, 3, 4}, s4[4] = {2, 3, 2, 3};
    nn_tensor *x3 = data(3, s3, 0.1), *x4 = data(4, s4, 0.4);
    int p3[3] = {3, 1, 2}, p4[4] = {2, 4, 1, 3};
    tap_gradcheck(ctx, f_permute, 1, &x3, p3, 1e-6, "permutedims 3-d (3,1,2)");
    tap_gradcheck(ctx, f_permute, 1, &x4, p4, 1e-6, "permutedims 4-d (2,4,1,3)");
    int64_t s23[2] = {2, 3}, n4 = 4;
    nn_tensor *m = data(2, s23, 0.3), *v = data(1, &n4, 0.6);
    tap_gradcheck(ctx, f_transpose, 1, &m, NULL, 1e-6, "transpose (2,3)");
    tap_gradcheck(ctx, f_transpose, 1, &v, NULL, 1e-6, "transpose (4,)");

    int64_t s22[2] = {2, 2}, s12[2] = {1, 2}, s21[2] = {2, 1}, n2 = 2;
    nn_tensor *a = data(2, s22, 1.0), *r = data(2, s12, 2.0), *c = data(2, s21, 3.0), *w = data(1, &n2, 4.0);
    nn_tensor *b3 = data(3, (int64_t[]){2, 2, 3}, 5.0);
    tap_gradcheck(ctx, f_cat, 2, (nn_tensor *[]){a, r}, &(catp){2, 1}, 1e-6, "cat dims=1");
    nn_tensor *a2 = data(2, s22, 8.0);
    tap_gradcheck(ctx, f_cat, 3, (nn_tensor *[]){a, c, a2}, &(catp){3, 2}, 1e-6, "cat dims=2 of three");
    tap_gradcheck(ctx, f_cat, 2, (nn_tensor *[]){a, b3}, &(catp){2, 3}, 1e-6, "cat dims=3 (2,2) (2,2,3)");
    tap_gradcheck(ctx, f_cat, 2, (nn_tensor *[]){w, a}, &(catp){2, 2}, 1e-6, "cat mixed ranks (2,) (2,2)");
    tap_gradcheck(ctx, f_cat, 2, (nn_tensor *[]){c, w}, &(catp){2, 3}, 1e-6, "cat dims=3 (2,1) (2,)");
    tap_gradcheck(ctx, f_cat_tanh, 2, (nn_tensor *[]){a, r}, &(catp){2, 1}, 1e-6, "tanh of cat dims=1");
    for (int d = 1; d <= 3; d++)
        tap_gradcheck(ctx, f_stack, 2, (nn_tensor *[]){a, a2}, &(catp){2, d}, 1e-6, "stack along a new dim");
    nn_tensor *b2 = data(2, s22, 7.0);
    tap_gradcheck(ctx, f_stack, 3, (nn_tensor *[]){a, b2, a2}, &(catp){3, 2}, 1e-6, "stack of three, dims=2");

    /* an integer input has no gradient but does not stop the float one's:
     * d sum(cat(a, iv)) / da = ones */
    nn_tensor *iv = iota(NN_I64, 2, s12), *ta, *y, *l;
    nn_tracked_alias(ctx, &ta, a);
    nn_cat(ctx, &y, 2, (nn_tensor *[]){ta, iv}, 1);
    nn_reduce(ctx, &l, NN_SUM, y, 0, NULL);
    tap_okst(ctx, nn_backward(ctx, l), "backward through cat with an Int64 input");
    tap_ok(y->dtype == NN_F64 && nn_grad(ta), "the Float64 input gets a gradient");
    tap_tensor_close(nn_grad(ta), (double[]){1, 1, 1, 1}, 4, 0, 0, "of ones");
    nn_release(l);
    nn_release(y);
    nn_release(ta);

    nn_tensor *all[] = {x3, x4, m, v, a, a2, r, c, w, b3, b2, iv};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        nn_release(all[i]);
}

int main(void)
{
    ctx = nn_ctx_new();
    test_permutedims();
    test_transpose();
    test_cat();
    test_stack();
    test_errors();
    test_gradients();
    tap_ok(nn_ctx_bytes_live(ctx) == 0, "no tensor bytes left live");
    nn_ctx_free(ctx);
    return tap_done();
}
