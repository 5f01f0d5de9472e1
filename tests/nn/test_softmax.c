/* test_softmax.c — softmax, logsoftmax and logsumexp along dims 1, 2, 3 of a
 * 3-d tensor and over several dims, large and infinite inputs, the logit
 * cross-entropy, gradients and errors.
 */
#include "tap.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static nn_ctx *ctx;

/* Reference values: plain Python (math.fsum, math.exp/log) over the same
 * column-major data; X[i] = round(3 sin(0.3 + 0.7 i), 3), shape (3, 4, 2). */
static const double X[24] = {0.887,  2.524,  2.975, 2.026, 0.125, -1.836, -2.933, -2.65,
                             -1.122, 0.935,  2.551, 2.968, 1.989, 0.074,  -1.875, -2.943,
                             -2.626, -1.075, 0.982, 2.577, 2.96,  1.951,  0.024,  -1.914};
static const int64_t SX[3] = {3, 4, 2};
static const double SM[3][24] = {
    {0.07038046220805111, 0.36173637446581247,  0.5678831633261364,   0.8543758771397723,
     0.1276600962933,     0.017964026566927818, 0.11843196881858506,  0.15717167714331282,
     0.7243963540381022,  0.0731535250612773,   0.36817571690515866,  0.558670758033564,
     0.8559256855049183,  0.12611365905986158,  0.017960655435220112, 0.1130156081179061,
     0.15517072061360485, 0.7318136712684891,   0.07600747308645542,  0.37458983931029016,
     0.5494026876032544,  0.8572306233506957,   0.12479931758133814,  0.017970059067966112},
    {0.19250235602453392,  0.4708456171590276,   0.49559254019079607,  0.601308667619119,
     0.04275688621885738,  0.004033982484543152, 0.004221153334582244, 0.002665869480625666,
     0.008237971179828637, 0.2019678230217648,   0.4837316271414894,   0.49213550614483215,
     0.4282218253224351,   0.07023689585122514,  0.007690776941095962, 0.003088363517966746,
     0.004720306598929991, 0.017116138854315163, 0.1564351183496391,   0.8582313955305675,
     0.9677964740276033,   0.412254692809959,    0.06681140201927747,  0.007396610176985569},
    {0.24936534224156592,  0.9205614508160216,  0.9922324299219849,   0.993097875761271,
     0.9399698012322056,   0.3184291947725388,  0.0195506970206531,   0.005340931275588473,
     0.016593687859930234, 0.26580728400862635, 0.9260130773285261,   0.9924752164849756,
     0.7506346577584341,   0.07943854918397836, 0.007767570078015002, 0.006902124238729088,
     0.060030198767794245, 0.6815708052274613,  0.9804493029793468,   0.9946590687244115,
     0.9834063121400698,   0.7341927159913736,  0.0739869226714739,   0.007524783515024303}};
static const double LSM[3][24] = {
    {-2.653839579789275,   -1.0168395797892749,  -0.5658395797892748, -0.15738404485950808,
     -2.058384044859508,   -4.019384044859508,   -2.133416586063813,  -1.850416586063813,
     -0.3224165860638133,  -2.6151949631859344,  -0.9991949631859343, -0.5821949631859344,
     -0.15557172260804886, -2.070571722608049,   -4.019571722608049,  -2.1802293448709453,
     -1.8632293448709452,  -0.3122293448709452,  -2.5769236134449525, -0.9819236134449523,
     -0.5989236134449523,  -0.15404829116001162, -2.0810482911600117, -4.019048291160011},
    {-1.647646886240707,    -0.7532250154286793, -0.7020011814171161, -0.5086468862407072,
     -3.1522250154286793,   -5.513001181417116,  -5.467646886240707,  -5.927225015428679,
     -4.7990011814171165,   -1.599646886240707,  -0.7262250154286791, -0.7090011814171162,
     -0.8481139341991926,   -2.655881524093892,  -4.867733467915768,  -5.780113934199193,
     -5.355881524093892,    -4.067733467915768,  -1.8551139341991927, -0.1528815240938921,
     -0.032733467915768255, -0.8861139341991926, -2.705881524093892,  -4.906733467915768},
    {-1.3888362199413216,   -0.08277152245355257, -0.007797894785403603, -0.00692605407292568,
     -0.06190753058286702,  -1.1443551370905674,  -3.934744339955986,    -5.232355245037661,
     -4.098732905334568,    -1.3249837289828177,  -0.07686692205066015,  -0.007553237528561407,
     -0.28683621994132147,  -2.5327715224535527,  -4.857797894785404,    -4.975926054072925,
     -2.812907530582867,    -0.3833551370905671,  -0.019744339955986012, -0.005355245037661938,
     -0.016732905334568393, -0.3089837289828177,  -2.6038669220506603,   -4.8895532375285615}};
/* logsumexp over dims=1 -> (1,4,2), 2 -> (3,1,2), 3 -> (3,4,1), (1,3) -> (1,4,1), all */
static const double LSE1[8] = {3.540839579789275,  2.183384044859508, -0.7995834139361868,
                               3.5501949631859344, 2.144571722608049, -0.7627706551290547,
                               3.5589236134449522, 2.1050482911600117};
static const double LSE2[6] = {2.534646886240707,  3.2772250154286793, 3.677001181417116,
                               2.8371139341991927, 2.729881524093892,  2.992733467915768};
static const double LSE3[12] = {2.2758362199413216, 2.6067715224535526,  2.9827978947854037,
                                2.0329260540729255, 0.18690753058286702, -0.6916448629094328,
                                1.001744339955986,  2.582355245037662,   2.9767329053345684,
                                2.2599837289828177, 2.6278669220506603,  2.9755532375285614};
static const double LSE13[4] = {3.761996373670706, 2.234591623082806, 3.571639897382809, 3.761841882142157};
static const double LSEALL[1] = {4.8750401183956775};

static nn_tensor *mk(nn_dtype t, int ndim, const int64_t *shape, const double *d)
{
    return tap_tensor(ctx, t, ndim, shape, d);
}

static bool has_shape(const nn_tensor *t, int ndim, const int64_t *shape)
{
    return t && t->ndim == ndim && (ndim == 0 || !memcmp(t->shape, shape, (size_t)ndim * sizeof *shape));
}

typedef nn_status (*along_fn)(nn_ctx *, nn_tensor **, const nn_tensor *, int);

static void check_along(const char *name, along_fn f, const nn_tensor *x, int dim, const double *want,
                        double tol)
{
    nn_tensor *y;
    if (!tap_okst(ctx, f(ctx, &y, x, dim), name)) return;
    tap_ok(has_shape(y, x->ndim, x->shape) && y->dtype == (nn_dtype_is_float(x->dtype) ? x->dtype : NN_F32),
           "%s: shape and dtype", name);
    tap_tensor_close(y, want, x->numel, tol, tol, name);
    nn_release(y);
}

static void check_lse(const char *name, const nn_tensor *x, int ndims, const int *dims, int ondim,
                      const int64_t *oshape, const double *want, int64_t n, double tol)
{
    nn_tensor *y;
    if (!tap_okst(ctx, nn_logsumexp(ctx, &y, x, ndims, dims), name)) return;
    tap_ok(has_shape(y, ondim, oshape), "%s: shape", name);
    tap_tensor_close(y, want, n, tol, tol, name);
    nn_release(y);
}

static void test_values(void)
{
    char name[128];
    for (int t = 0; t < 2; t++) {
        nn_dtype dt = t ? NN_F64 : NN_F32;
        double tol = t ? 1e-14 : 2e-6;
        nn_tensor *x = mk(dt, 3, SX, X);
        for (int d = 1; d <= 3; d++) {
            snprintf(name, sizeof name, "%s softmax dims=%d", nn_dtype_name(dt), d);
            check_along(name, nn_softmax, x, d, SM[d - 1], tol);
            snprintf(name, sizeof name, "%s logsoftmax dims=%d", nn_dtype_name(dt), d);
            check_along(name, nn_logsoftmax, x, d, LSM[d - 1], tol);
        }
        int d1 = 1, d2 = 2, d3 = 3, d13[2] = {1, 3}, d31[2] = {3, 1}, d123[3] = {1, 2, 3};
        int64_t s1[3] = {1, 4, 2}, s2[3] = {3, 1, 2}, s3[3] = {3, 4, 1}, s13[3] = {1, 4, 1},
                s111[3] = {1, 1, 1};
        check_lse(t ? "Float64 logsumexp dims=1" : "Float32 logsumexp dims=1", x, 1, &d1, 3, s1, LSE1, 8,
                  tol);
        check_lse("logsumexp dims=2", x, 1, &d2, 3, s2, LSE2, 6, tol);
        check_lse("logsumexp dims=3", x, 1, &d3, 3, s3, LSE3, 12, tol);
        check_lse("logsumexp dims=(1,3): two runs", x, 2, d13, 3, s13, LSE13, 4, tol);
        check_lse("logsumexp dims=(3,1)", x, 2, d31, 3, s13, LSE13, 4, tol);
        check_lse("logsumexp dims=(1,2,3)", x, 3, d123, 3, s111, LSEALL, 1, tol);
        check_lse("logsumexp over all is 0-d", x, 0, NULL, 0, NULL, LSEALL, 1, tol);
        /* dims past the last are size 1: softmax 1, logsoftmax 0, logsumexp x */
        double ones[24], zeros[24] = {0};
        for (int i = 0; i < 24; i++)
            ones[i] = 1;
        int d4 = 4;
        check_along("softmax dims=4 is all ones", nn_softmax, x, 4, ones, 0);
        check_along("logsoftmax dims=4 is all zeros", nn_logsoftmax, x, 4, zeros, 0);
        check_lse("logsumexp dims=4 is x", x, 1, &d4, 3, SX, X, 24, tol);
        nn_release(x);
    }
    /* Int input computes in Float32 */
    double di[3] = {1, 2, 3};
    int64_t s3 = 3;
    nn_tensor *xi = mk(NN_I64, 1, &s3, di);
    double w[3] = {0.09003057317038046, 0.24472847105479764, 0.6652409557748218};
    check_along("softmax of Int64 is Float32", nn_softmax, xi, 1, w, 1e-6);
    nn_release(xi);
}

/* Wider than a tile of strided columns and longer than a scratch block,
 * against the textbook formula in double. */
static void test_large_shapes(void)
{
    int64_t sh[3] = {70, 300, 3};
    for (int t = 0; t < 2; t++) {
        nn_dtype dt = t ? NN_F64 : NN_F32;
        nn_tensor *x;
        nn_empty(ctx, &x, dt, 3, sh);
        for (int64_t i = 0; i < x->numel; i++)
            nn_set(x, i, 4 * sin(0.013 * (double)i * (double)(i % 7)));
        for (int dim = 1; dim <= 3; dim++) {
            int64_t inner = 1, n = sh[dim - 1], outer = 1;
            for (int i = 0; i < dim - 1; i++)
                inner *= sh[i];
            for (int i = dim; i < 3; i++)
                outer *= sh[i];
            double worst[3] = {0, 0, 0};
            nn_tensor *sm, *lsm, *lse;
            nn_softmax(ctx, &sm, x, dim);
            nn_logsoftmax(ctx, &lsm, x, dim);
            nn_logsumexp(ctx, &lse, x, 1, &dim);
            for (int64_t o = 0; o < outer; o++)
                for (int64_t i = 0; i < inner; i++) {
                    double s = 0;
                    for (int64_t k = 0; k < n; k++)
                        s += exp(nn_get(x, i + inner * (k + n * o)));
                    double l = log(s);
                    worst[2] = fmax(worst[2], fabs(nn_get(lse, i + inner * o) - l));
                    for (int64_t k = 0; k < n; k++) {
                        int64_t p = i + inner * (k + n * o);
                        worst[0] = fmax(worst[0], fabs(nn_get(sm, p) - exp(nn_get(x, p)) / s));
                        worst[1] = fmax(worst[1], fabs(nn_get(lsm, p) - (nn_get(x, p) - l)));
                    }
                }
            double tol = t ? 1e-12 : 2e-5;
            tap_ok(worst[0] < tol && worst[1] < tol && worst[2] < tol,
                   "%s (70,300,3) dims=%d: softmax, logsoftmax, logsumexp match the formula (errors %.2g "
                   "%.2g %.2g)",
                   nn_dtype_name(dt), dim, worst[0], worst[1], worst[2]);
            nn_release(sm);
            nn_release(lsm);
            nn_release(lse);
        }
        nn_release(x);
    }
}

static void test_extremes(void)
{
    int64_t s3 = 3, s2 = 2;
    for (int t = 0; t < 2; t++) {
        nn_dtype dt = t ? NN_F64 : NN_F32;
        double tol = t ? 1e-13 : 1e-6;
        /* 1000, 1001, 1002: exp overflows without the shift (Python reference) */
        double big[3] = {1000, 1001, 1002};
        nn_tensor *x = mk(dt, 1, &s3, big);
        double wsm[3] = {0.09003057317038046, 0.24472847105479764, 0.6652409557748218};
        double wlsm[3] = {-2.4076059644444285, -1.4076059644444285, -0.40760596444442854};
        double wlse[1] = {1002.4076059644444};
        check_along(t ? "Float64 softmax of (1000, 1001, 1002)" : "Float32 softmax of (1000, 1001, 1002)",
                    nn_softmax, x, 1, wsm, tol);
        check_along("logsoftmax of (1000, 1001, 1002)", nn_logsoftmax, x, 1, wlsm, tol);
        check_lse("logsumexp of (1000, 1001, 1002)", x, 0, NULL, 0, NULL, wlse, 1, tol);
        nn_release(x);
        double neg[2] = {-1000, -1001}, wn[2] = {0.7310585786300049, 0.2689414213699951},
               wnl[1] = {-999.6867383124818};
        x = mk(dt, 1, &s2, neg);
        check_along("softmax of (-1000, -1001) does not underflow to 0/0", nn_softmax, x, 1, wn, tol);
        check_lse("logsumexp of (-1000, -1001)", x, 0, NULL, 0, NULL, wnl, 1, t ? 1e-13 : 1e-4);
        nn_release(x);

        /* -Inf entries get weight 0; a column of -Inf has logsumexp -Inf */
        double mi[6] = {-INFINITY, 0, log(3.0), -INFINITY, -INFINITY, -INFINITY};
        int64_t s32[2] = {3, 2}, s12[2] = {1, 2};
        x = mk(dt, 2, s32, mi);
        double wmi[6] = {0, 0.25, 0.75, NAN, NAN, NAN},
               wml[6] = {-INFINITY, -log(4.0), log(0.75), NAN, NAN, NAN};
        double wmse[2] = {log(4.0), -INFINITY};
        check_along("softmax with -Inf: 0 there; an all -Inf column is NaN (as NNlib)", nn_softmax, x, 1, wmi,
                    tol);
        check_along("logsoftmax with -Inf", nn_logsoftmax, x, 1, wml, tol);
        int d1 = 1;
        check_lse("logsumexp of an all -Inf column is -Inf, not NaN", x, 1, &d1, 2, s12, wmse, 2, tol);
        nn_release(x);

        /* +Inf: the weight is shared by the Inf entries (NNlib), logsumexp is Inf */
        double pi[3] = {INFINITY, 1, INFINITY}, wpi[3] = {0.5, 0, 0.5},
               wpl[3] = {-log(2.0), -INFINITY, -log(2.0)};
        double wpe[1] = {INFINITY};
        x = mk(dt, 1, &s3, pi);
        check_along("softmax with +Inf", nn_softmax, x, 1, wpi, tol);
        check_along("logsoftmax with +Inf", nn_logsoftmax, x, 1, wpl, tol);
        check_lse("logsumexp with +Inf", x, 0, NULL, 0, NULL, wpe, 1, 0);
        nn_release(x);
        /* NaN spreads through its column */
        double na[3] = {1, NAN, 2}, wna[3] = {NAN, NAN, NAN}, wne[1] = {NAN};
        x = mk(dt, 1, &s3, na);
        check_along("softmax with a NaN is NaN", nn_softmax, x, 1, wna, 0);
        check_lse("logsumexp with a NaN is NaN", x, 0, NULL, 0, NULL, wne, 1, 0);
        nn_release(x);
    }
    /* empty: nothing to normalise; logsumexp of nothing is -Inf */
    int64_t s03[2] = {0, 3}, s13[2] = {1, 3};
    nn_tensor *e;
    nn_zeros(ctx, &e, NN_F32, 2, s03);
    int d1 = 1;
    double mi3[3] = {-INFINITY, -INFINITY, -INFINITY};
    check_along("softmax of (0,3)", nn_softmax, e, 1, NULL, 0);
    check_lse("logsumexp of (0,3) over dims=1 is -Inf", e, 1, &d1, 2, s13, mi3, 3, 0);
    nn_release(e);
}

/* ---- logit cross-entropy --------------------------------------------------------------------
 * logits L (4, 3) = round(2 cos(0.2 + 0.9 i), 3); Python reference losses. */

static const double L[12] = {1.96,  0.907, -0.832, -1.942, -1.582, -0.025,
                             1.551, 1.953, 0.877,  -0.863, -1.95,  -1.561};
static const double Y1[12] = {0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1};
static const double Y2[12] = {0.1, 0.6, 0.2, 0.1, 0.25, 0.25, 0.25, 0.25, 0.0, 0.3, 0.0, 0.7};
static const int64_t SL[2] = {4, 3};

static void test_xent(void)
{
    for (int t = 0; t < 2; t++) {
        nn_dtype dt = t ? NN_F64 : NN_F32;
        double tol = t ? 1e-14 : 1e-6;
        nn_tensor *l = mk(dt, 2, SL, L), *y1 = mk(dt, 2, SL, Y1), *y2 = mk(dt, 2, SL, Y2), *loss;
        double w1 = 2.75699357776007, w2 = 2.177576911093403;
        tap_okst(ctx, nn_logitcrossentropy(ctx, &loss, l, y1), "logitcrossentropy, one-hot labels");
        tap_ok(loss->ndim == 0 && loss->dtype == dt, "a 0-d %s", nn_dtype_name(dt));
        tap_close(nn_get(loss, 0), w1, tol * 3, "mean over the 3 columns (one-hot)");
        nn_release(loss);
        nn_logitcrossentropy(ctx, &loss, l, y2);
        tap_close(nn_get(loss, 0), w2, tol * 3, "soft labels");
        nn_release(loss);
        nn_release(l);
        nn_release(y1);
        nn_release(y2);
    }
    /* Bool one-hot labels convert; a (classes,) vector is one column;
     * (4, 1, 3) averages over all trailing dims */
    nn_tensor *l = mk(NN_F64, 2, SL, L), *yb = mk(NN_BOOL, 2, SL, Y1), *loss;
    tap_okst(ctx, nn_logitcrossentropy(ctx, &loss, l, yb), "Bool one-hot labels");
    tap_close(nn_get(loss, 0), 2.75699357776007, 1e-14, "same loss");
    nn_release(loss);
    int64_t s413[3] = {4, 1, 3}, s4 = 4;
    nn_tensor *l3 = mk(NN_F64, 3, s413, L), *y3 = mk(NN_F64, 3, s413, Y2), *lv = mk(NN_F64, 1, &s4, L),
              *yv = mk(NN_F64, 1, &s4, Y1);
    nn_logitcrossentropy(ctx, &loss, l3, y3);
    tap_close(nn_get(loss, 0), 2.177576911093403, 1e-14, "(4,1,3) averages over the 3 columns");
    nn_release(loss);
    nn_logitcrossentropy(ctx, &loss, lv, yv);
    double wv = log(exp(1.96) + exp(0.907) + exp(-0.832) + exp(-1.942)) - 0.907; /* -logsoftmax at class 2 */
    tap_close(nn_get(loss, 0), wv, 1e-14, "a vector is one column");
    nn_release(loss);
    /* large logits don't overflow */
    double bigl[2] = {1000, 1001}, by[2] = {0, 1};
    int64_t s2 = 2;
    nn_tensor *bl = mk(NN_F32, 1, &s2, bigl), *byt = mk(NN_F32, 1, &s2, by);
    nn_logitcrossentropy(ctx, &loss, bl, byt);
    tap_close(nn_get(loss, 0), log1p(exp(-1.0)), 1e-6, "logits (1000, 1001) in Float32");
    nn_release(loss);
    nn_release(bl);
    nn_release(byt);

    int64_t s43[2] = {4, 3}, s34[2] = {3, 4};
    nn_tensor *a, *b;
    nn_zeros(ctx, &a, NN_F32, 2, s43);
    nn_zeros(ctx, &b, NN_F32, 2, s34);
    tap_error(ctx, nn_logitcrossentropy(ctx, &loss, a, b), NN_ERR_DIMENSION, "shape mismatch",
              "logitcrossentropy", "(4, 3)", "(3, 4)", NULL);
    tap_ok(loss == NULL, "no result on error");
    nn_release(a);
    nn_release(b);
    nn_release(l);
    nn_release(yb);
    nn_release(l3);
    nn_release(y3);
    nn_release(lv);
    nn_release(yv);
}

/* ---- gradients and errors ---------------------------------------------------------------------- */

typedef struct {
    int kind; /* 0 softmax, 1 logsoftmax, 2 logsumexp, 3 xent */
    int ndims, dims[3];
} sm_case;

static nn_status f_sm(nn_ctx *c, nn_tensor *const *in, nn_tensor **out, void *ud)
{
    const sm_case *k = ud;
    switch (k->kind) {
    case 0: return nn_softmax(c, out, in[0], k->dims[0]);
    case 1: return nn_logsoftmax(c, out, in[0], k->dims[0]);
    case 2: return nn_logsumexp(c, out, in[0], k->ndims, k->dims);
    default: return nn_logitcrossentropy(c, out, in[0], in[1]);
    }
}

static void test_gradients(void)
{
    nn_tensor *x = mk(NN_F64, 3, SX, X);
    char name[96];
    for (int d = 1; d <= 4; d++) {
        sm_case s = {0, 1, {d}}, l = {1, 1, {d}}, e = {2, 1, {d}};
        snprintf(name, sizeof name, "softmax dims=%d", d);
        tap_gradcheck(ctx, f_sm, 1, &x, &s, 1e-6, name);
        snprintf(name, sizeof name, "logsoftmax dims=%d", d);
        tap_gradcheck(ctx, f_sm, 1, &x, &l, 1e-6, name);
        snprintf(name, sizeof name, "logsumexp dims=%d", d);
        tap_gradcheck(ctx, f_sm, 1, &x, &e, 1e-6, name);
    }
    sm_case e13 = {2, 2, {1, 3}}, eall = {2, 0, {0}};
    tap_gradcheck(ctx, f_sm, 1, &x, &e13, 1e-6, "logsumexp dims=(1,3)");
    tap_gradcheck(ctx, f_sm, 1, &x, &eall, 1e-6, "logsumexp over all");
    /* large inputs: the gradient is as stable as the value */
    double big[3] = {1000, 1001, 1002};
    int64_t s3 = 3;
    nn_tensor *b = mk(NN_F64, 1, &s3, big);
    sm_case s1 = {0, 1, {1}}, l1 = {1, 1, {1}}, e1 = {2, 1, {1}};
    tap_gradcheck(ctx, f_sm, 1, &b, &s1, 1e-6, "softmax of (1000, 1001, 1002)");
    tap_gradcheck(ctx, f_sm, 1, &b, &l1, 1e-6, "logsoftmax of (1000, 1001, 1002)");
    tap_gradcheck(ctx, f_sm, 1, &b, &e1, 1e-6, "logsumexp of (1000, 1001, 1002)");
    nn_release(b);
    /* cross-entropy in the logits and the (soft) labels together */
    nn_tensor *in[2] = {mk(NN_F64, 2, SL, L), mk(NN_F64, 2, SL, Y2)};
    sm_case xe = {3, 0, {0}};
    tap_gradcheck(ctx, f_sm, 2, in, &xe, 1e-6, "logitcrossentropy in logits and labels");
    /* by hand: only the logits tracked, one-hot labels: (softmax - y) / ncols */
    nn_tensor *lt, *y1 = mk(NN_F64, 2, SL, Y1), *loss, *sm;
    nn_tracked_alias(ctx, &lt, in[0]);
    nn_logitcrossentropy(ctx, &loss, lt, y1);
    nn_backward(ctx, loss);
    nn_softmax(ctx, &sm, in[0], 1);
    double want[12];
    for (int i = 0; i < 12; i++)
        want[i] = (nn_get(sm, i) - Y1[i]) / 3;
    tap_tensor_close(nn_grad(lt), want, 12, 1e-14, 1e-16, "logits gradient is (softmax - y)/ncols");
    nn_release(sm);
    nn_release(loss);
    nn_release(lt);
    nn_release(y1);
    nn_release(in[0]);
    nn_release(in[1]);
    nn_release(x);
}

static void test_errors(void)
{
    nn_tensor *x = mk(NN_F32, 3, SX, X), *y;
    int d0 = 0, dm = -1;
    tap_error(ctx, nn_softmax(ctx, &y, x, 0), NN_ERR_ARGUMENT, "softmax dims=0", "softmax: dims = 0", NULL);
    tap_ok(y == NULL, "no result on error");
    tap_error(ctx, nn_logsoftmax(ctx, &y, x, -2), NN_ERR_ARGUMENT, "logsoftmax dims=-2",
              "logsoftmax: dims = -2", NULL);
    tap_error(ctx, nn_logsumexp(ctx, &y, x, 1, &d0), NN_ERR_ARGUMENT, "logsumexp dims=0",
              "logsumexp: dims = 0", NULL);
    tap_error(ctx, nn_logsumexp(ctx, &y, x, 1, &dm), NN_ERR_ARGUMENT, "logsumexp dims=-1",
              "logsumexp: dims = -1", NULL);
    tap_error(ctx, nn_logsumexp(ctx, &y, x, -1, &d0), NN_ERR_ARGUMENT, "logsumexp with -1 dims", "logsumexp",
              NULL);
    nn_release(x);
}

int main(void)
{
    ctx = nn_ctx_new();
    test_values();
    test_large_shapes();
    test_extremes();
    test_xent();
    test_gradients();
    test_errors();
    tap_ok(nn_ctx_bytes_live(ctx) == 0, "no tensor memory left live (%zu bytes)", nn_ctx_bytes_live(ctx));
    nn_ctx_free(ctx);
    return tap_done();
}
