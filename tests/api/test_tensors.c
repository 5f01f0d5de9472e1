/* test_tensors.c — tensors between a host and lx: copied and borrowed buffers (writes visible both
 * ways, the release callback run exactly once: when the last tensor on the buffer dies, or at
 * lx_close), reading a tensor back without a copy, every dtype, bad descriptions, and a C
 * function inside gradient checked against finite differences.
 */
#include "host.h"

#include <math.h>
#include <stdint.h>

typedef struct {
    int calls;
    void *data;
} releases;

static void on_release(void *ud, void *data)
{
    releases *r = ud;
    r->calls++;
    r->data = data;
}

static void test_copy(lx_State *L)
{
    /* column-major: x[i, j] = data[(j-1)*2 + i] for a (2, 3) tensor */
    float data[6] = {1, 2, 3, 4, 5, 6};
    int64_t shape[2] = {2, 3};
    tap_ok(lx_pushtensor(L, LX_FLOAT32, 2, shape, data) == LX_OK && lx_type(L, -1) == LX_VTENSOR,
           "a (2, 3) Float32 tensor copied from the host");
    data[0] = 100; /* a copy: lx does not see this */
    lx_setglobal(L, "tc");
    tap_ok(host_run(
               L, "@assert size(tc) == (2, 3) && eltype(tc) == Float32 && tc[1, 1] == 1 && tc[2, 1] == 2 && "
                  "tc[1, 2] == 3 && tc[2, 3] == 6") == LX_OK,
           "lx sees the elements in column-major order, and not the host's later write");
    lx_getglobal(L, "tc");
    lx_Tensor t;
    tap_ok(lx_totensor(L, -1, &t) == 1 && t.dtype == LX_FLOAT32 && t.ndim == 2 && t.shape[0] == 2 &&
               t.shape[1] == 3 && t.numel == 6,
           "totensor reads dtype, shape and count");
    tap_ok(((float *)t.data)[5] == 6 && ((float *)t.data)[0] == 1, "its data is the elements");
    tap_ok(host_run(L, "tc[2, 3] = 60") == LX_OK && ((float *)t.data)[5] == 60,
           "the pointer is the tensor's own memory: an lx write shows through it");
    lx_settop(L, 0);
    /* results computed by lx come back without a copy */
    tap_ok(host_run(L, "y = Float64[1 2; 3 4] * Float64[1, 1]") == LX_OK, "a product in lx");
    lx_getglobal(L, "y");
    tap_ok(lx_totensor(L, -1, &t) && t.dtype == LX_FLOAT64 && t.ndim == 1 && t.shape[0] == 2 &&
               ((double *)t.data)[0] == 3 && ((double *)t.data)[1] == 7,
           "[1 2; 3 4] * [1, 1] is [3, 7] (by hand)");
    lx_pushint(L, 3);
    tap_ok(lx_totensor(L, -1, &t) == 0 && lx_totensor(L, 42, &t) == 0,
           "totensor of an int or an empty index is 0");
    lx_settop(L, 0);

    /* every dtype */
    int32_t i32[3] = {-1, 0, INT32_MAX};
    int64_t i64[2] = {INT64_MIN, INT64_MAX};
    uint8_t b[4] = {1, 0, 0, 1};
    double f64[1] = {0.1};
    int64_t s3 = 3, s2 = 2, s4 = 4;
    tap_ok(lx_pushtensor(L, LX_INT32, 1, &s3, i32) == LX_OK &&
               lx_pushtensor(L, LX_INT64, 1, &s2, i64) == LX_OK &&
               lx_pushtensor(L, LX_BOOL, 1, &s4, b) == LX_OK &&
               lx_pushtensor(L, LX_FLOAT64, 0, NULL, f64) == LX_OK,
           "Int32, Int64, Bool and a 0-d Float64");
    lx_setglobal(L, "d0");
    lx_setglobal(L, "db");
    lx_setglobal(L, "d64");
    lx_setglobal(L, "d32");
    tap_ok(host_run(L,
                    "@assert eltype(d32) == Int32 && d32[3] == 2147483647 && d32[1] == -1; "
                    "@assert eltype(d64) == Int64 && d64[1] == typemin(Int64) && d64[2] == typemax(Int64); "
                    "@assert eltype(db) == Bool && db[1] && !db[2] && sum(db) == 2; "
                    "@assert ndims(d0) == 0 && eltype(d0) == Float64 && d0[] == 0.1") == LX_OK,
           "lx reads every dtype exactly");
    lx_getglobal(L, "db");
    tap_ok(lx_totensor(L, -1, &t) && t.dtype == LX_BOOL && ((uint8_t *)t.data)[3] == 1, "Bool reads back");
    lx_settop(L, 0);
    int64_t z[3] = {2, 0, 5};
    tap_ok(lx_pushtensor(L, LX_FLOAT32, 3, z, NULL) == LX_OK && lx_totensor(L, -1, &t) && t.numel == 0,
           "a (2, 0, 5) tensor has no elements");
    int64_t s22[2] = {2, 2};
    tap_ok(lx_pushtensor(L, LX_FLOAT64, 2, s22, NULL) == LX_OK && lx_totensor(L, -1, &t) &&
               ((double *)t.data)[3] == 0.0 && ((double *)t.data)[0] == 0.0,
           "data NULL gives zeros");
    lx_settop(L, 0);
}

static void test_bad(lx_State *L)
{
    int64_t s[2] = {2, 2};
    float d[4] = {0};
    host_fails(L, lx_pushtensor(L, (lx_DType)9, 2, s, d), LX_ERRRUN, "an unknown dtype", "ArgumentError",
               "9 is not a dtype", NULL);
    host_fails(L, lx_pushtensor(L, LX_FLOAT32, 17, s, d), LX_ERRRUN, "17 dimensions", "17 dimensions",
               "0 to 16", NULL);
    host_fails(L, lx_pushtensor(L, LX_FLOAT32, -1, s, d), LX_ERRRUN, "-1 dimensions", "-1 dimensions", NULL);
    host_fails(L, lx_pushtensor(L, LX_FLOAT32, 2, NULL, d), LX_ERRRUN, "no shape", "no shape", NULL);
    int64_t neg[2] = {2, -3};
    host_fails(L, lx_pushtensor(L, LX_FLOAT32, 2, neg, d), LX_ERRRUN, "a negative size",
               "size -3 in dimension 2 is negative", NULL);
    int64_t huge[3] = {INT64_C(1) << 31, INT64_C(1) << 31, 4};
    host_fails(L, lx_pushtensor(L, LX_FLOAT32, 3, huge, NULL), LX_ERRRUN, "sizes whose product overflows",
               "multiply past", NULL);
    int64_t big[1] = {INT64_C(1) << 40};
    host_fails(L, lx_pushtensor(L, LX_FLOAT64, 1, big, NULL), LX_ERRMEM, "8 TB of zeros: OutOfMemoryError",
               "OutOfMemoryError", NULL);
    tap_ok(lx_gettop(L) == 0, "nothing pushed by the failures");

    releases r = {0, NULL};
    host_fails(L, lx_pushtensor_borrow(L, LX_FLOAT32, 2, neg, d, on_release, &r), LX_ERRRUN,
               "borrowing with a bad shape fails", "negative", NULL);
    tap_ok(r.calls == 1 && r.data == d, "and releases the buffer at once");
    r.calls = 0;
    char raw[16] = {0};
    host_fails(L, lx_pushtensor_borrow(L, LX_FLOAT64, 1, s, raw + 1, on_release, &r), LX_ERRRUN,
               "borrowing misaligned memory", "not aligned for Float64", NULL);
    tap_ok(r.calls == 1, "releases it at once too");
    r.calls = 0;
    host_fails(L, lx_pushtensor_borrow(L, LX_FLOAT32, 2, s, NULL, on_release, &r), LX_ERRRUN,
               "borrowing NULL for 4 elements", "NULL data", NULL);
    tap_ok(r.calls == 1, "released once");
    host_fails(L, lx_pushtensor_borrow(L, (lx_DType)-1, 2, s, d, NULL, NULL), LX_ERRRUN,
               "a bad dtype with no release callback", "not a dtype", NULL);
}

static void test_borrow(lx_State *L)
{
    double buf[6] = {1, 2, 3, 4, 5, 6};
    int64_t shape[2] = {3, 2};
    releases r = {0, NULL};
    tap_ok(lx_pushtensor_borrow(L, LX_FLOAT64, 2, shape, buf, on_release, &r) == LX_OK,
           "borrow a (3, 2) buffer");
    lx_Tensor t;
    tap_ok(lx_totensor(L, -1, &t) && t.data == buf, "totensor gives back the host's own pointer");
    lx_setglobal(L, "bw");
    buf[4] = 50;
    tap_ok(host_run(L, "@assert bw[2, 2] == 50") == LX_OK, "a host write shows in lx (bw[2, 2] is buf[4])");
    tap_ok(host_run(L, "bw[3, 1] = -3; bw .*= 2") == LX_OK && buf[2] == -6 && buf[0] == 2 && buf[4] == 100,
           "lx's writes (setindex! and .*=) show in the host's buffer");
    tap_ok(host_run(L, "bv = vec(bw); bs = bw[:, 2]") == LX_OK, "a view (vec) and a copy (a slice)");
    buf[5] = 7;
    tap_ok(host_run(L, "@assert bv[6] == 7 && bs[3] == 12") == LX_OK,
           "the view shares the buffer, the slice does not");
    tap_ok(r.calls == 0, "no release while lx uses it");
    tap_ok(host_run(L, "bw = nothing; for i in 1:300000; s = string(i) * \"x\"; end") == LX_OK,
           "the global dropped, collections run");
    tap_ok(r.calls == 0, "the view still holds it: no release");
    tap_ok(host_run(L, "bv = nothing; for i in 1:300000; s = string(i) * \"y\"; end") == LX_OK,
           "the view dropped, collections run");
    tap_ok(r.calls == 1 && r.data == buf, "release ran once, with the buffer (%d calls)", r.calls);
    tap_ok(host_run(L, "for i in 1:300000; s = string(i) * \"z\"; end") == LX_OK && r.calls == 1,
           "and never again");

    /* a borrowed tensor referenced by the host: released at lx_close */
    lx_State *L2 = host_open(0);
    float f[3] = {1, 2, 3};
    int64_t n = 3;
    releases r2 = {0, NULL}, r3 = {0, NULL};
    lx_pushtensor_borrow(L2, LX_FLOAT32, 1, &n, f, on_release, &r2);
    int ref = lx_ref(L2);
    lx_pushtensor_borrow(L2, LX_FLOAT32, 1, &n, f, on_release, &r3); /* left on the stack */
    lx_getglobal(L2, "sum");
    lx_getref(L2, ref);
    tap_ok(lx_call(L2, 1) == LX_OK && lx_tonumber(L2, -1, NULL) == 6,
           "sum of the referenced borrowed tensor is 6");
    tap_ok(host_run(L2, "for i in 1:300000; s = string(i) * \"z\"; end") == LX_OK && r2.calls == 0 &&
               r3.calls == 0,
           "referenced and stacked: not released by collections");
    lx_unref(L2, ref);
    tap_ok(host_run(L2, "for i in 1:300000; s = string(i) * \"w\"; end") == LX_OK && r2.calls == 1 &&
               r3.calls == 0,
           "unref'd: released by the next collections; the stacked one is not");
    host_close(L2, "borrow");
    tap_ok(r3.calls == 1, "the one still on the stack is released at lx_close");
    tap_ok(r2.calls == 1, "the other is not released twice");
}

/* csq(x::Tensor) = sum(x .^ 2) written in C with lx calls: differentiable like lx code. */
static int c_csq(lx_State *L, void *ud)
{
    (void)ud;
    lx_getglobal(L, "sum");
    lx_getglobal(L, "abs2");
    lx_pushvalue(L, 1);
    if (lx_call(L, 2) != LX_OK) return lx_error(L, NULL, "%s", lx_errmsg(L)); /* sum(abs2, x) */
    return 1;
}

static void test_gradient(lx_State *L)
{
    tap_ok(lx_register(L, "csq", "(x::Tensor)", c_csq, NULL, NULL) == LX_OK, "register csq");
    double x0[3] = {0.5, -1.25, 2.0};
    int64_t n = 3;
    lx_pushtensor(L, LX_FLOAT64, 1, &n, x0);
    lx_setglobal(L, "gx");
    tap_ok(host_run(L, "gcsq = gradient(x -> 3 * csq(x), gx)[1]") == LX_OK,
           "gradient through the C function");
    lx_getglobal(L, "gcsq");
    lx_Tensor g;
    bool have = lx_totensor(L, -1, &g) && g.numel == 3 && g.dtype == LX_FLOAT64;
    tap_ok(have, "a Float64 gradient of 3 elements");
    /* central differences of 3 * csq, each through lx_call of csq */
    double worst = 0;
    for (int i = 0; have && i < 3; i++) {
        double h = 1e-6, xs[3], fp, fm;
        for (int s = 0; s < 2; s++) {
            memcpy(xs, x0, sizeof xs);
            xs[i] += s ? -h : h;
            lx_getglobal(L, "csq");
            lx_pushtensor(L, LX_FLOAT64, 1, &n, xs);
            lx_call(L, 1);
            *(s ? &fm : &fp) = 3 * lx_tonumber(L, -1, NULL);
            lx_pop(L, 1);
        }
        double fd = (fp - fm) / (2 * h), an = ((double *)g.data)[i];
        double err = fabs(fd - an) / (fabs(fd) + 1e-12);
        worst = err > worst ? err : worst;
    }
    tap_ok(have && worst < 1e-6, "it matches central differences (largest relative error %.2g)", worst);
    tap_ok(have && ((double *)g.data)[1] == -7.5, "and the hand value 6x: 6 * -1.25 = -7.5");
    lx_settop(L, 0);
}

/* The tensor at idx's field path (ps.layer_1.weight) as a float pointer, its shape in *t. */
static const float *field_data(lx_State *L, const char *a, const char *b, lx_Tensor *t)
{
    lx_getglobal(L, "ps");
    lx_getfield(L, -1, a);
    lx_getfield(L, -1, b);
    int ok = lx_totensor(L, -1, t) && t->dtype == LX_FLOAT32;
    lx_pop(L, 3); /* ps is a global: the data stays alive */
    return ok ? t->data : NULL;
}

/* A model run from C as a host would: model(x, ps, st), checked against the same network computed
 * in C from the parameters it reads back. */
static void test_model(lx_State *L)
{
    tap_ok(
        host_run(L, "model = Chain(Dense(2 => 3, relu), Dense(3 => 1)); ps, st = setup(Xoshiro(1), model)") ==
            LX_OK,
        "a Chain of two Dense layers and its parameters");
    lx_getglobal(L, "model");
    tap_ok(lx_type(L, -1) == LX_VFUNCTION && !strcmp(lx_typename(L, -1), "Chain"),
           "a layer is LX_VFUNCTION (callable) named Chain");
    float x[4] = {0.5f, -1.0f, 2.0f, 0.25f}; /* two samples of 2 features, column-major */
    int64_t shape[2] = {2, 2};
    lx_pushtensor(L, LX_FLOAT32, 2, shape, x);
    lx_getglobal(L, "ps");
    lx_getglobal(L, "st");
    bool ok = lx_call(L, 3) == LX_OK && lx_type(L, -1) == LX_VTUPLE && lx_getindex(L, -1, 1) == LX_OK;
    lx_Tensor y;
    ok = ok && lx_totensor(L, -1, &y) && y.ndim == 2 && y.shape[0] == 1 && y.shape[1] == 2;
    tap_ok(ok, "model(x, ps, st) from C gives (y, st) with y of size (1, 2)");
    lx_Tensor w1, b1, w2, b2;
    const float *W1 = field_data(L, "layer_1", "weight", &w1), *B1 = field_data(L, "layer_1", "bias", &b1);
    const float *W2 = field_data(L, "layer_2", "weight", &w2), *B2 = field_data(L, "layer_2", "bias", &b2);
    double worst = 0;
    for (int j = 0; ok && W1 && B1 && W2 && B2 && j < 2; j++) {
        double out = B2[0];
        for (int i = 0; i < 3; i++) { /* W1 is (3, 2) column-major: W1[i, k] = W1[i + 3k] */
            double h = B1[i] + W1[i] * x[2 * j] + W1[i + 3] * x[2 * j + 1];
            out += W2[i] * (h > 0 ? h : 0); /* W2 is (1, 3) */
        }
        double d = fabs(out - ((const float *)y.data)[j]);
        worst = d > worst ? d : worst;
    }
    tap_ok(ok && W1 && worst < 1e-5,
           "y equals W2 relu(W1 x + b1) + b2 computed in C (largest difference %.2g)", worst);
    lx_settop(L, 0);
}

int main(void)
{
    lx_State *L = host_open(0);
    if (!L) {
        tap_ok(false, "lx_open");
        return tap_done();
    }
    test_copy(L);
    test_bad(L);
    test_borrow(L);
    test_gradient(L);
    test_model(L);
    host_close(L, "tensors");
    free(host_out.s);
    return tap_done();
}
