/* test_normalize.c — batch normalisation (training and test mode, with and
 * without scale and bias, (C, N) and (W, H, C, N) inputs, running statistics,
 * fused relu and tanh) and nn_normalize over various dims: values against
 * PyTorch and NumPy, large shapes against the formula, gradients against
 * finite differences, and every error.
 */
#include "tap.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static nn_ctx *ctx;

/* Inputs: X[i] = round(3 sin(0.3 + 0.7 i), 3), column-major.  PyTorch's
 * (N, C) and (N, C, H, W) hold the same memory as lx's (C, N) and (W, H, C, N).
 * BN* values come from PyTorch 1.13 in Float64 (its running_var update uses the
 * unbiased variance, as Lux's):
 *
 *   import torch, math
 *   torch.set_default_dtype(torch.float64)
 *   def X(n): return [round(3*math.sin(0.3+0.7*i),3) for i in range(n)]
 *   F = torch.nn.functional
 *   x = torch.tensor(X(12)).reshape(4, 3)                      # lx (3, 4)
 *   g, b = torch.tensor([0.5, -1.5, 2.0]), torch.tensor([0.1, 0.2, -0.3])
 *   rm, rv = torch.tensor([0.2, -0.1, 0.3]), torch.tensor([1.5, 0.5, 2.0])
 *   m, v = rm.clone(), rv.clone()
 *   BN2_TRAIN = F.batch_norm(x, m, v, g, b, training=True, momentum=0.1, eps=1e-5)  # BN2_RM, BN2_RV = m, v
 *   BN2_TEST = F.batch_norm(x, rm, rv, g, b, training=False, eps=1e-5)
 *   BN2_PLAIN = F.batch_norm(x, None, None, None, None, training=True, eps=1e-5)
 *   x = torch.tensor(X(36)).reshape(3, 2, 3, 2)                # lx (2, 3, 2, 3)
 *   g, b = torch.tensor([1.5, -0.5]), torch.tensor([0.25, -0.75])
 *   rm, rv = torch.tensor([0.1, -0.2]), torch.tensor([0.8, 1.7])
 *   m, v = rm.clone(), rv.clone()
 *   BN4_TRAIN = F.batch_norm(x, m, v, None, None, training=True, momentum=0.1, eps=1e-5)  # BN4_RM, BN4_RV
 *   BN4_TEST_RELU = torch.relu(F.batch_norm(x, rm, rv, g, b, training=False, eps=1e-5))
 *   BN4_TRAIN_TANH = torch.tanh(F.batch_norm(x, None, None, g, b, training=True, eps=1e-3))
 */
static const double BN2_TRAIN[12] = {0.27493480358793393, -1.123313366193433,  1.6903762408076348,
                                     0.5776324736018446,  0.5595007157032252,  -2.6060679967809377,
                                     -0.7402584356158753, 2.506065566584103,   -1.9684331629338703,
                                     0.287691158426097,   -1.1422529160938957, 1.6841249189071732};
static const double BN2_RM[3] = {0.20287500000000003, -0.026249999999999996, 0.344625};
static const double BN2_RV[3] = {1.8219617583333334, 1.0596892333333334, 2.468729091666667};
static const double BN2_TEST[12] = {0.3804656406647631, -5.366288918889625,   3.483011821830297,
                                    0.8454588935281767, -0.27729230440173996, -3.3207526173568276,
                                    -1.17903763057162,  5.609312783219719,    -2.3110066581841804,
                                    0.4000614932876287, -5.423563995417834,   3.4731123516423295};
static const double BN2_PLAIN[12] = {0.3498696071758678,  0.8822089107956219,   0.9951881204038174,
                                     0.955264947203689,   -0.23966714380215015, -1.1530339983904687,
                                     -1.6805168712317509, -1.5373770443894021,  -0.8342165814669351,
                                     0.3753823168521939,  0.8948352773959304,   0.9920624594535866};
static const double BN4_TRAIN[36] = {
    0.41218472587060495, 1.1849425761284942,  1.3978404322471918,   0.9498580254697104,
    0.05247703992282756, -0.873227385462463,  -1.3781141763735156,  -1.2444944418109765,
    -0.5230423060810824, 0.4481795808275513,  1.211181315997387,    1.408069758798019,
    0.9323919042360258,  0.02840211606018104, -0.891637621357428,   -1.3957948504810844,
    -1.2461526766681639, -0.5139917568453257, 0.4703708441647928,   1.2234573340137334,
    1.4042925224852971,  0.9278885925432401,  0.018046795716338243, -0.8969887010405563,
    -1.4000433664568457, -1.2348233007328009, -0.4913330049745996,  0.4796889241521432,
    1.2222351052490643,  1.3869831136424688,  0.9094745655187205,   -0.006033085777264246,
    -0.9154027280650758, -1.3913345034680427, -1.2095550059182985,  -0.45599636153026757};
static const double BN4_RM[2] = {0.09138333333333334, -0.18142222222222223};
static const double BN4_RV[2] = {1.1951526147058824, 2.004956983006536};
static const double BN4_TEST_RELU[36] = {1.569830874802061,
                                         4.315146176010415,
                                         5.071491442256576,
                                         3.4799800061864925,
                                         0.2919260125413615,
                                         0.0,
                                         0.2980545747510095,
                                         0.18952934802048058,
                                         0.0,
                                         0.0,
                                         0.0,
                                         0.0,
                                         3.417929507625278,
                                         0.206396946956984,
                                         0.0,
                                         0.0,
                                         0.0,
                                         0.0,
                                         0.0,
                                         0.0,
                                         0.0,
                                         0.0,
                                         0.0,
                                         0.0,
                                         0.0,
                                         0.0,
                                         0.0,
                                         1.8096476665386492,
                                         4.447632375641117,
                                         5.032919510718524,
                                         0.0,
                                         0.0,
                                         0.0,
                                         0.30879205301410073,
                                         0.1611517268965967,
                                         0.0};
static const double BN4_TRAIN_TANH[36] = {
    0.7004629759279437,   0.9659009260398359,   0.9818489808757566,   0.9321611777832517,
    0.31735837164120884,  -0.7855477181156695,  -0.06094331868777783, -0.12712982334198888,
    -0.45303121132307006, -0.7504852171862852,  -0.8753508072033016,  -0.8964725805819695,
    0.9286423630046418,   0.2845246919628539,   -0.7958938344328176,  -0.951126303998614,
    -0.9244823376751172,  -0.4783963452104,     -0.7552907342400126,  -0.8767777916692941,
    -0.8961011877441456,  -0.837843497406907,   -0.6405007753377517,  -0.292735126348836,
    -0.9517302681747163,  -0.9219736544326064,  -0.4517670467299252,  0.7484642673717572,
    0.9694546931853851,   0.9812537322821876,   -0.8350786945368878,  -0.633346075886146,
    -0.2842955204536682,  -0.05435587496942205, -0.1442754807465989,  -0.47926292125898745};

/* NRM_<dims>: NumPy over x = X(24) of lx size (2, 3, 4) (NumPy's (4, 3, 2)), 0-based lx dims reduced;
 * NRM4_*: x = X(24) of size (2, 3, 2, 2), eps 1e-2 (the kept dims are apart: the permuting path):
 *
 *   import numpy as np
 *   def norm(shape, jdims, eps):
 *       x = np.array(X(int(np.prod(shape)))).reshape(shape[::-1])
 *       ax = tuple(len(shape) - 1 - d for d in jdims)
 *       m, v = x.mean(axis=ax, keepdims=True), x.var(axis=ax, keepdims=True)
 *       return ((x - m) / np.sqrt(v + eps)).flatten()
 */
static const double NRM_0[24] = {
    -0.9999925367536893, 0.9999925367536893,  0.9999777933471067, -0.9999777933471057, 0.9999947991848243,
    -0.9999947991848243, -0.9997503713187667, 0.9997503713187698, -0.9999952732967975, 0.9999952732967975,
    -0.9998850039382348, 0.9998850039382348,  0.9999945463296116, -0.9999945463296117, 0.9999824661992138,
    -0.9999824661992147, -0.9999916861729834, 0.9999916861729831, -0.9999921385347409, 0.9999921385347407,
    0.9999803557765297,  -0.9999803557765288, 0.9999946750077346, -0.9999946750077346};
static const double NRM_1[24] = {
    -0.36687863904566,   0.8310317604830513,  1.3662494114686796,  0.5754612684777654,   -0.9993707724230195,
    -1.4064930289608166, -1.0658441187306416, -1.3208294880400253, -0.27204958863282463, 0.22274555747453217,
    1.3378937073634662,  1.098083930565493,   1.397858284242196,   1.116926046397609,    -0.5132129778094064,
    -1.3096936477802015, -0.8846453064327898, 0.1927676013825926,  -0.2781198733038185,  0.8588270081268502,
    1.3398833896225135,  0.5436272580267476,  -1.0617635163186951, -1.4024542661535984};
static const double NRM_2[24] = {
    0.34931952766652885, 0.8814073821800028,  0.9962991139147213,   0.7556851328895372,  0.05814736804081498,
    -0.6829600987389082, -1.6856032259532048, -1.5279978722906535,  -0.8255430952834993, 0.2181448036426032,
    1.3827061930832305,  1.7088316376137178,  0.9363574529254155,   -0.2594976957970184, -1.160384975568161,
    -1.6925622511874703, -1.443856476844463,  -0.30407718629836933, 0.3999262453612604,  0.9060881859076689,
    0.9896289569369393,  0.71873231465533,    0.003002915720417642, -0.7217943525764403};
static const double NRM_01[24] = {
    -0.14067623547771144, 0.8612976476710072,    1.1373454309942035,   0.5564821352653493,
    -0.6070806942188988,  -1.8073682842339491,   -1.2315986371762122,  -1.1110443922966822,
    -0.4601366672934245,  0.41611803842104,      1.1045125957543285,   1.2821490625909506,
    1.8079855490156393,   0.6783632565637798,    -0.47131499303866087, -1.1013080000039799,
    -0.9143156936294422,  0.0005898810926642223, -0.06889399557290812, 0.8894134719165259,
    1.1195274280597567,   0.5133003216667543,    -0.644479295795402,   -1.8088679302747266};
static const double NRM_02[24] = {
    0.2248683325974311,  1.032568739535434,   1.100761417558389,    0.6584293007900996,  0.1795781001069084,
    -0.8327184268342269, -1.6599304178626606, -1.5202974214280516,  -0.8088641697963856, 0.1499105026929411,
    1.4319143440432647,  1.6471757676712366,  0.7685982339081696,   -0.1762681553931591, -1.1598400221952496,
    -1.65763844233069,   -1.2405278385035265, -0.43987923407430646, 0.2717415999518051,  1.058719088691032,
    1.09376986671379,    0.6234715465671054,  0.12744044114665615,  -0.8729831535560058};
static const double NRM_12[24] = {
    0.2770884770552942,  1.087184439012635,   1.3122351717172074,  0.8522195477776159,   -0.1006805753069557,
    -0.9699379019204619, -1.6167143838683207, -1.353996981168063,  -0.7188931846189316,  0.3374671454936692,
    1.102032969352911,   1.2966712095113264,  0.8234158992379706,  -0.06876733513555022, -1.0922003977800525,
    -1.4922393770151725, -1.4645160911187003, -0.6108851263585154, 0.3241856686227663,   1.1121907426982895,
    1.304798773048659,   0.8168332689771615,  -0.1507523263418471, -1.0067396318729347};
static const double NRM_012[24] = {
    0.29622881855329364,  1.0871923786540003,   1.305105980123407,    0.8465693774749214,
    -0.07195336397373053, -1.0194668284560067,  -1.5495138812540976,  -1.4127743042788379,
    -0.6744772243558815,  0.3194213969801928,   1.1002382040191312,   1.3017237291028174,
    0.8286917649375202,   -0.09659547855231088, -1.0383107984278621,  -1.5543456684263683,
    -1.4011780150653883,  -0.6517678246462094,  0.34213079668986485,  1.1128008506670348,
    1.297858299365001,    0.8103309736828916,   -0.12075441441366418, -1.0571547683997178};
static const double NRM4_02[24] = {
    0.6147632890635838,  1.3185167885021059,  1.159630290041057,  0.5384114668691896,  -0.42539202148891303,
    -1.434090635926348,  -1.027471511092283,  -0.905808566473406, -1.522280688394286,  -0.17576106851596018,
    0.8224931588401113,  1.0369894985751495,  0.6062743426732684, -1.3834692155431991, -0.762621390804776,
    -1.1916900832212125, -1.2374643185354681, 0.3251712670932808, -0.4400294500807697, 1.2172243229507007,
    1.1798384667172004,  0.774473007308788,   1.4324159534930199, -0.5201229020508329};
static const double NRM4_13[24] = {
    0.322483271922494,   1.379634009134309,   1.3726705426906265,   1.1278722881563366,  -0.06077472631760026,
    -0.8245449134840812, -1.633155239353929,  -1.5147008100200794,  -0.7485159157836504, 0.13356217493119832,
    1.0456752689063742,  1.0682675161880875,  0.8767487759390084,   0.14104722922259885, -1.066701230884777,
    -1.3841839197543926, -1.4444266333497515, -0.4398246932747704,  0.2792483784139569,  0.8884988056954933,
    1.2454640504305288,  0.6006849622981434,  -0.18871654261328058, -1.1763126490928435};

static double X[64];
static const double G2[3] = {0.5, -1.5, 2.0}, B2[3] = {0.1, 0.2, -0.3}, RM2[3] = {0.2, -0.1, 0.3},
                    RV2[3] = {1.5, 0.5, 2.0};
static const double G4[2] = {1.5, -0.5}, B4[2] = {0.25, -0.75}, RM4[2] = {0.1, -0.2}, RV4[2] = {0.8, 1.7};
static const int64_t S2[2] = {3, 4}, S4[4] = {2, 3, 2, 3}, S3[1] = {3}, SC2[1] = {2};

static nn_tensor *mk(nn_dtype t, int ndim, const int64_t *shape, const double *d)
{
    return tap_tensor(ctx, t, ndim, shape, d);
}

static bool has_shape(const nn_tensor *t, int ndim, const int64_t *shape)
{
    return t && t->ndim == ndim && (ndim == 0 || !memcmp(t->shape, shape, (size_t)ndim * sizeof *shape));
}

/* batchnorm on dtype dt, checking y (and the new running statistics when want_rm). */
static void check_bn(const char *name, nn_dtype dt, int ndim, const int64_t *shape, const double *gam,
                     const double *bet, const double *rm, const double *rv, bool training, double eps,
                     nn_unary_op act, const double *want, const double *want_rm, const double *want_rv)
{
    double tol = dt == NN_F64 ? 1e-12 : 3e-5;
    int64_t C = shape[ndim - 2], cs[1] = {C};
    nn_tensor *x = mk(dt, ndim, shape, X), *g = gam ? mk(dt, 1, cs, gam) : NULL,
              *b = bet ? mk(dt, 1, cs, bet) : NULL;
    nn_tensor *m = rm ? mk(dt, 1, cs, rm) : NULL, *v = rv ? mk(dt, 1, cs, rv) : NULL, *y, *nm, *nv;
    char nb[160];
    snprintf(nb, sizeof nb, "%s %s", nn_dtype_name(dt), name);
    if (tap_okst(ctx, nn_batchnorm(ctx, &y, &nm, &nv, x, g, b, m, v, training, 0.1, eps, act, 0), nb)) {
        tap_ok(has_shape(y, ndim, shape) && y->dtype == dt, "%s: shape and dtype", nb);
        tap_tensor_close(y, want, x->numel, tol, tol, nb);
        if (want_rm) {
            tap_ok(has_shape(nm, 1, cs) && has_shape(nv, 1, cs) && nm->dtype == dt && !nn_is_tracked(nm),
                   "%s: running statistics of size (C,), untracked", nb);
            tap_tensor_close(nm, want_rm, C, tol, tol, "running_mean");
            tap_tensor_close(nv, want_rv, C, tol, tol, "running_var");
        } else if (rm) {
            tap_ok(nm == m && nv == v, "%s: the running statistics come back as they were", nb);
        } else {
            tap_ok(!nm && !nv, "%s: no running statistics without them", nb);
        }
        nn_release(y);
        nn_release(nm);
        nn_release(nv);
    }
    nn_release(x);
    nn_release(g);
    nn_release(b);
    nn_release(m);
    nn_release(v);
}

static void test_batchnorm_values(void)
{
    for (int t = 0; t < 2; t++) {
        nn_dtype dt = t ? NN_F64 : NN_F32;
        check_bn("(3, 4) training, affine, running stats", dt, 2, S2, G2, B2, RM2, RV2, true, 1e-5,
                 NN_IDENTITY, BN2_TRAIN, BN2_RM, BN2_RV);
        check_bn("(3, 4) test mode, affine", dt, 2, S2, G2, B2, RM2, RV2, false, 1e-5, NN_IDENTITY, BN2_TEST,
                 NULL, NULL);
        check_bn("(3, 4) training, no affine, no stats", dt, 2, S2, NULL, NULL, NULL, NULL, true, 1e-5,
                 NN_IDENTITY, BN2_PLAIN, NULL, NULL);
        check_bn("(2, 3, 2, 3) training, no affine, running stats", dt, 4, S4, NULL, NULL, RM4, RV4, true,
                 1e-5, NN_IDENTITY, BN4_TRAIN, BN4_RM, BN4_RV);
        check_bn("(2, 3, 2, 3) test mode, affine, relu", dt, 4, S4, G4, B4, RM4, RV4, false, 1e-5, NN_RELU,
                 BN4_TEST_RELU, NULL, NULL);
        check_bn("(2, 3, 2, 3) training, affine, tanh, eps 1e-3", dt, 4, S4, G4, B4, NULL, NULL, true, 1e-3,
                 NN_TANH, BN4_TRAIN_TANH, NULL, NULL);
    }
    /* a 3-d (L, C, N) signal: channels in dim 2, i.e. the (2*3, 2, 3) view of the 4-d case */
    int64_t s3[3] = {6, 2, 3};
    check_bn("(6, 2, 3) training", NN_F64, 3, s3, NULL, NULL, RM4, RV4, true, 1e-5, NN_IDENTITY, BN4_TRAIN,
             BN4_RM, BN4_RV);
    /* integers compute in Float32; the stats may be of another dtype (their own is kept) */
    nn_tensor *xi = mk(NN_I64, 2, S2, (double[]){1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}), *y, *nm, *nv;
    nn_tensor *rm = mk(NN_F64, 1, S3, RM2), *rv = mk(NN_F64, 1, S3, RV2);
    tap_okst(ctx, nn_batchnorm(ctx, &y, &nm, &nv, xi, NULL, NULL, rm, rv, true, 0.1, 0, NN_IDENTITY, 0),
             "Int64 input");
    /* each channel is c, c+3, c+6, c+9: mean c+4.5, biased var 11.25, unbiased 15 */
    double w[12];
    for (int i = 0; i < 12; i++)
        w[i] = ((double)(i / 3) * 3 - 4.5) / sqrt(11.25);
    tap_ok(y->dtype == NN_F32 && nm->dtype == NN_F64, "Int64 x gives Float32, Float64 running stats stay");
    tap_tensor_close(y, w, 12, 1e-6, 1e-6, "Int64 input: values");
    double wm[3] = {0.9 * 0.2 + 0.1 * 5.5, 0.9 * -0.1 + 0.1 * 6.5, 0.9 * 0.3 + 0.1 * 7.5},
           wv[3] = {0.9 * 1.5 + 1.5, 0.9 * 0.5 + 1.5, 0.9 * 2.0 + 1.5};
    tap_tensor_close(nm, wm, 3, 1e-12, 1e-12, "momentum update of the mean (hand-worked)");
    tap_tensor_close(nv, wv, 3, 1e-12, 1e-12, "momentum update of the variance, n/(n-1) (hand-worked)");
    nn_release(y);
    nn_release(nm);
    nn_release(nv);
    /* batch of 1 is fine in test mode; new_mean/new_var may be NULL */
    int64_t s31[2] = {3, 1};
    nn_tensor *x1 = mk(NN_F64, 2, s31, (double[]){1, 2, 3});
    tap_okst(ctx, nn_batchnorm(ctx, &y, NULL, NULL, x1, NULL, NULL, rm, rv, false, 0.1, 0, NN_IDENTITY, 0),
             "test mode with a batch of 1");
    double w1[3] = {0.8 / sqrt(1.5), 2.1 / sqrt(0.5), 2.7 / sqrt(2.0)};
    tap_tensor_close(y, w1, 3, 1e-12, 1e-12, "test mode uses the running statistics");
    nn_release(y);
    /* scale of shape (1, 3) (a layer's) is fine: C elements */
    int64_t s13[2] = {1, 3};
    nn_tensor *g13 = mk(NN_F64, 2, s13, G2), *x2 = mk(NN_F64, 2, S2, X);
    tap_okst(ctx, nn_batchnorm(ctx, &y, NULL, NULL, x2, g13, NULL, rm, rv, false, 0.1, 1e-5, NN_IDENTITY, 0),
             "scale of size (1, 3)");
    nn_release(y);
    nn_release(g13);
    nn_release(x2);
    nn_release(x1);
    nn_release(xi);
    nn_release(rm);
    nn_release(rv);
}

static void check_norm(const char *name, int ndim, const int64_t *shape, uint32_t dims, double eps,
                       const double *want)
{
    for (int t = 0; t < 2; t++) {
        nn_dtype dt = t ? NN_F64 : NN_F32;
        double tol = t ? 1e-12 : 2e-5;
        nn_tensor *x = mk(dt, ndim, shape, X), *y;
        char nb[128];
        snprintf(nb, sizeof nb, "%s normalize %s", nn_dtype_name(dt), name);
        if (tap_okst(ctx, nn_normalize(ctx, &y, x, dims, eps), nb)) {
            tap_ok(has_shape(y, ndim, shape) && y->dtype == dt, "%s: shape and dtype", nb);
            tap_tensor_close(y, want, x->numel, tol, tol, nb);
            nn_release(y);
        }
        nn_release(x);
    }
}

static void test_normalize_values(void)
{
    int64_t s3[3] = {2, 3, 4}, s4[4] = {2, 3, 2, 2};
    check_norm("dims (1,)", 3, s3, 1u << 0, 1e-5, NRM_0);
    check_norm("dims (2,): the kept dims apart", 3, s3, 1u << 1, 1e-5, NRM_1);
    check_norm("dims (3,)", 3, s3, 1u << 2, 1e-5, NRM_2);
    check_norm("dims (1, 2)", 3, s3, 3u, 1e-5, NRM_01);
    check_norm("dims (1, 3)", 3, s3, 5u, 1e-5, NRM_02);
    check_norm("dims (2, 3)", 3, s3, 6u, 1e-5, NRM_12);
    check_norm("dims (1, 2, 3)", 3, s3, 7u, 1e-5, NRM_012);
    check_norm("all dims and past the last", 3, s3, 0xffffffffu, 1e-5, NRM_012);
    check_norm("(2, 3, 2, 2) dims (1, 3)", 4, s4, 5u, 1e-2, NRM4_02);
    check_norm("(2, 3, 2, 2) dims (2, 4)", 4, s4, 10u, 1e-2, NRM4_13);
    double z[24] = {0};
    check_norm("no dims: every element its own statistic, 0", 3, s3, 0, 1e-5, z);
    /* (1, 3) over dim 2 of a (1, 3, 1) tensor: size-1 dims count as either */
    int64_t s131[3] = {1, 3, 1};
    nn_tensor *x = mk(NN_F64, 3, s131, (double[]){1, 2, 3}), *y;
    nn_normalize(ctx, &y, x, 2u, 0);
    double w[3] = {-sqrt(1.5), 0, sqrt(1.5)};
    tap_tensor_close(y, w, 3, 1e-12, 1e-12, "(1, 3, 1) over dim 2 (hand-worked: mean 2, var 2/3)");
    nn_release(y);
    nn_release(x);
    /* Int input computes in Float32; an empty tensor gives an empty result */
    int64_t s2 = 2, s03[2] = {0, 3};
    x = mk(NN_I32, 1, &s2, (double[]){1, 3});
    nn_normalize(ctx, &y, x, 1u, 0);
    tap_ok(y->dtype == NN_F32 && nn_get(y, 0) == -1 && nn_get(y, 1) == 1, "Int32 input: Float32 (-1, 1)");
    nn_release(y);
    nn_release(x);
    nn_zeros(ctx, &x, NN_F32, 2, s03);
    tap_okst(ctx, nn_normalize(ctx, &y, x, 1u, 1e-5), "empty input");
    tap_ok(has_shape(y, 2, s03), "empty result of size (0, 3)");
    nn_release(y);
    nn_release(x);
}

/* ---- large shapes: the tiled and per-channel kernels, split over threads, against the formula -------- */

static void test_large(void)
{
    int64_t s2[2] = {200, 300}, s4[4] = {9, 9, 64, 32};
    const int64_t *shapes[2] = {s2, s4};
    int nds[2] = {2, 4};
    for (int k = 0; k < 2; k++)
        for (int t = 0; t < 2; t++) {
            nn_dtype dt = t ? NN_F64 : NN_F32;
            int nd = nds[k];
            const int64_t *sh = shapes[k];
            int64_t C = sh[nd - 2], inner = 1, outer = sh[nd - 1], cs[1] = {C};
            for (int i = 0; i < nd - 2; i++)
                inner *= sh[i];
            nn_tensor *x, *gam, *bet, *xt, *gt, *bt, *y, *w, *p, *l;
            nn_empty(ctx, &x, dt, nd, sh);
            nn_empty(ctx, &gam, dt, 1, cs);
            nn_empty(ctx, &bet, dt, 1, cs);
            for (int64_t i = 0; i < x->numel; i++)
                nn_set(x, i, 3 + 2 * sin(0.013 * (double)i * (double)(i % 7)));
            for (int64_t c = 0; c < C; c++) {
                nn_set(gam, c, 1 + 0.5 * cos((double)c));
                nn_set(bet, c, 0.1 * (double)(c % 5));
            }
            nn_tracked_alias(ctx, &xt, x);
            nn_tracked_alias(ctx, &gt, gam);
            nn_tracked_alias(ctx, &bt, bet);
            nn_status s =
                nn_batchnorm(ctx, &y, NULL, NULL, xt, gt, bt, NULL, NULL, true, 0.1, 1e-5, NN_RELU, 0);
            nn_empty(ctx, &w, dt, nd, sh);
            for (int64_t i = 0; i < x->numel; i++)
                nn_set(w, i, cos(0.37 * (double)i));
            if (!s) s = nn_binary(ctx, &p, NN_MUL, y, w);
            if (!s) s = nn_reduce(ctx, &l, NN_SUM, p, 0, NULL);
            if (!s) s = nn_backward(ctx, l);
            double worst[4] = {0};
            for (int64_t c = 0; !s && c < C; c++) {
                double n = (double)(inner * outer), m = 0, v = 0, sdz = 0, sdzx = 0;
                for (int64_t o = 0; o < outer; o++)
                    for (int64_t i = 0; i < inner; i++)
                        m += nn_get(x, i + inner * (c + C * o));
                m /= n;
                for (int64_t o = 0; o < outer; o++)
                    for (int64_t i = 0; i < inner; i++) {
                        double d = nn_get(x, i + inner * (c + C * o)) - m;
                        v += d * d;
                    }
                v /= n;
                double is = 1 / sqrt(v + 1e-5), g = nn_get(gam, c), b = nn_get(bet, c);
                for (int64_t o = 0; o < outer; o++)
                    for (int64_t i = 0; i < inner; i++) {
                        int64_t q = i + inner * (c + C * o);
                        double z = (nn_get(x, q) - m) * is * g + b, dz = z > 0 ? nn_get(w, q) : 0;
                        worst[0] = fmax(worst[0], fabs(nn_get(y, q) - (z > 0 ? z : 0)));
                        sdz += dz;
                        sdzx += dz * (nn_get(x, q) - m) * is;
                    }
                worst[1] = fmax(worst[1], fabs(nn_get(nn_grad(gt), c) - sdzx) / fmax(1, fabs(sdzx)));
                worst[2] = fmax(worst[2], fabs(nn_get(nn_grad(bt), c) - sdz) / fmax(1, fabs(sdz)));
                for (int64_t o = 0; o < outer; o++)
                    for (int64_t i = 0; i < inner; i++) {
                        int64_t q = i + inner * (c + C * o);
                        double xh = (nn_get(x, q) - m) * is, z = xh * g + b, dz = z > 0 ? nn_get(w, q) : 0;
                        double gx = g * is * (dz - sdz / n - xh * sdzx / n);
                        worst[3] = fmax(worst[3], fabs(nn_get(nn_grad(xt), q) - gx));
                    }
            }
            double tol = t ? 1e-10 : 2e-4;
            tap_okst(ctx, s, "large batchnorm runs");
            tap_ok(
                worst[0] < tol && worst[1] < tol && worst[2] < tol && worst[3] < tol,
                "%s %s training + relu: y, dscale, dbias, dx match the formula (errors %.2g %.2g %.2g %.2g)",
                nn_dtype_name(dt), k ? "(9, 9, 64, 32)" : "(200, 300)", worst[0], worst[1], worst[2],
                worst[3]);
            nn_release(y);
            nn_release(w);
            nn_release(p);
            nn_release(l);
            nn_release(x);
            nn_release(gam);
            nn_release(bet);
            nn_release(xt);
            nn_release(gt);
            nn_release(bt);
        }
}

/* ---- gradients ------------------------------------------------------------------------------------- */

typedef struct {
    bool training, affine;
    nn_unary_op act;
    nn_tensor *rm, *rv;
    uint32_t dims; /* normalize when nonzero */
    double eps;
} bn_case;

static nn_status f_bn(nn_ctx *c, nn_tensor *const *in, nn_tensor **out, void *ud)
{
    const bn_case *k = ud;
    if (k->dims) return nn_normalize(c, out, in[0], k->dims, k->eps);
    return nn_batchnorm(c, out, NULL, NULL, in[0], k->affine ? in[1] : NULL, k->affine ? in[2] : NULL, k->rm,
                        k->rv, k->training, 0.1, k->eps, k->act, nn_unary_default_param(k->act));
}

static void test_gradients(void)
{
    char name[160];
    const nn_unary_op acts[] = {NN_IDENTITY, NN_RELU, NN_TANH, NN_GELU, NN_ELU};
    for (int k = 0; k < 2; k++) {
        int nd = k ? 4 : 2;
        const int64_t *sh = k ? S4 : S2, *cs = k ? SC2 : S3;
        const double *g = k ? G4 : G2, *b = k ? B4 : B2;
        nn_tensor *in[3] = {mk(NN_F64, nd, sh, X), mk(NN_F64, 1, cs, g), mk(NN_F64, 1, cs, b)};
        nn_tensor *rm = mk(NN_F64, 1, cs, k ? RM4 : RM2), *rv = mk(NN_F64, 1, cs, k ? RV4 : RV2);
        for (int tr = 0; tr < 2; tr++)
            for (size_t a = 0; a < sizeof acts / sizeof *acts; a++) {
                bn_case c = {tr, true, acts[a], rm, rv, 0, 1e-5};
                snprintf(name, sizeof name, "batchnorm %s %s, %s: x, scale, bias",
                         k ? "(2, 3, 2, 3)" : "(3, 4)", tr ? "training" : "test mode",
                         nn_unary_name(acts[a]));
                tap_gradcheck(ctx, f_bn, 3, in, &c, 1e-6, name);
            }
        bn_case c = {true, false, NN_TANH, NULL, NULL, 0, 1e-5};
        snprintf(name, sizeof name, "batchnorm %s training without affine, tanh: x",
                 k ? "(2, 3, 2, 3)" : "(3, 4)");
        tap_gradcheck(ctx, f_bn, 1, in, &c, 1e-6, name);
        for (int i = 0; i < 3; i++)
            nn_release(in[i]);
        nn_release(rm);
        nn_release(rv);
    }
    /* only scale tracked: the sums without dx */
    nn_tensor *x = mk(NN_F64, 2, S2, X), *g = mk(NN_F64, 1, S3, G2), *gt, *y, *l;
    nn_tracked_alias(ctx, &gt, g);
    nn_batchnorm(ctx, &y, NULL, NULL, x, gt, NULL, NULL, NULL, true, 0.1, 1e-5, NN_IDENTITY, 0);
    nn_reduce(ctx, &l, NN_SUM, y, 0, NULL);
    tap_okst(ctx, nn_backward(ctx, l), "backward with only scale tracked");
    /* sum over a channel of x̂ is 0: d sum(y) / d scale = 0 */
    double z3[3] = {0, 0, 0};
    tap_tensor_close(nn_grad(gt), z3, 3, 1e-12, 1e-12, "d sum(y) / d scale = sum(x̂) = 0");
    nn_release(y);
    nn_release(l);
    nn_release(gt);
    nn_release(g);
    nn_release(x);
    /* Float32 x with a Float64 scale: the scale converts, its gradient comes back in Float64 */
    nn_tensor *x32 = mk(NN_F32, 2, S2, X), *g64 = mk(NN_F64, 1, S3, G2), *g64t;
    nn_tracked_alias(ctx, &g64t, g64);
    nn_batchnorm(ctx, &y, NULL, NULL, x32, g64t, NULL, NULL, NULL, true, 0.1, 1e-5, NN_TANH, 0);
    tap_ok(y->dtype == NN_F32, "Float32 x, Float64 scale: Float32 result");
    nn_reduce(ctx, &l, NN_SUM, y, 0, NULL);
    nn_backward(ctx, l);
    tap_ok(nn_grad(g64t) && nn_grad(g64t)->dtype == NN_F64, "the scale's gradient is Float64");
    nn_release(y);
    nn_release(l);
    nn_release(g64t);
    nn_release(g64);
    nn_release(x32);
    /* normalize */
    int64_t s3[3] = {2, 3, 4};
    nn_tensor *xn = mk(NN_F64, 3, s3, X);
    const uint32_t dsets[] = {1u, 2u, 4u, 3u, 5u, 6u, 7u};
    for (size_t i = 0; i < sizeof dsets / sizeof *dsets; i++) {
        bn_case c = {.dims = dsets[i], .eps = 1e-5};
        snprintf(name, sizeof name, "normalize (2, 3, 4) dims mask %u", dsets[i]);
        tap_gradcheck(ctx, f_bn, 1, &xn, &c, 1e-6, name);
    }
    nn_release(xn);
}

/* ---- errors ----------------------------------------------------------------------------------------- */

static void test_errors(void)
{
    nn_tensor *x = mk(NN_F64, 2, S2, X), *g3 = mk(NN_F64, 1, S3, G2), *g2 = mk(NN_F64, 1, SC2, G4), *y = NULL,
              *nm = NULL, *nv = NULL;
    int64_t s1 = 3, s31[2] = {3, 1};
    nn_tensor *v = mk(NN_F64, 1, &s1, X), *x1 = mk(NN_F64, 2, s31, X);
    tap_error(ctx,
              nn_batchnorm(ctx, &y, &nm, &nv, v, NULL, NULL, NULL, NULL, true, 0.1, 1e-5, NN_IDENTITY, 0),
              NN_ERR_DIMENSION, "a vector", "batchnorm", "(3,)", "at least 2 dims", NULL);
    tap_ok(!y && !nm && !nv, "no results on error");
    tap_error(ctx,
              nn_batchnorm(ctx, &y, NULL, NULL, x, g2, NULL, NULL, NULL, true, 0.1, 1e-5, NN_IDENTITY, 0),
              NN_ERR_DIMENSION, "scale of the wrong size", "batchnorm: scale has size (2,)", "(3, 4)",
              "3 channels", NULL);
    tap_error(ctx, nn_batchnorm(ctx, &y, NULL, NULL, x, g3, g2, NULL, NULL, true, 0.1, 1e-5, NN_IDENTITY, 0),
              NN_ERR_DIMENSION, "bias of the wrong size", "bias has size (2,)", NULL);
    tap_error(ctx, nn_batchnorm(ctx, &y, NULL, NULL, x, NULL, NULL, g2, g3, true, 0.1, 1e-5, NN_IDENTITY, 0),
              NN_ERR_DIMENSION, "running_mean of the wrong size", "running_mean has size (2,)", NULL);
    tap_error(ctx, nn_batchnorm(ctx, &y, NULL, NULL, x, NULL, NULL, g3, g2, true, 0.1, 1e-5, NN_IDENTITY, 0),
              NN_ERR_DIMENSION, "running_var of the wrong size", "running_var has size (2,)", NULL);
    tap_error(ctx,
              nn_batchnorm(ctx, &y, NULL, NULL, x, NULL, NULL, g3, NULL, true, 0.1, 1e-5, NN_IDENTITY, 0),
              NN_ERR_ARGUMENT, "running_mean without running_var", "go together", NULL);
    tap_error(ctx,
              nn_batchnorm(ctx, &y, NULL, NULL, x, NULL, NULL, NULL, NULL, false, 0.1, 1e-5, NN_IDENTITY, 0),
              NN_ERR_ARGUMENT, "test mode without running statistics",
              "running_mean and running_var are needed", NULL);
    tap_error(ctx,
              nn_batchnorm(ctx, &y, NULL, NULL, x1, NULL, NULL, NULL, NULL, true, 0.1, 1e-5, NN_IDENTITY, 0),
              NN_ERR_ARGUMENT, "batch of 1 in training",
              "Batch size for BatchNorm cannot be 1 during training", "(3, 1)", NULL);
    tap_error(ctx,
              nn_batchnorm(ctx, &y, NULL, NULL, x, NULL, NULL, NULL, NULL, true, 0.1, 1e-5,
                           (nn_unary_op)NN_NUM_UNARY, 0),
              NN_ERR_ARGUMENT, "bad activation", "batchnorm: bad activation", NULL);
    tap_error(ctx,
              nn_batchnorm(ctx, &y, NULL, NULL, x, NULL, NULL, NULL, NULL, true, 0.1, -1, NN_IDENTITY, 0),
              NN_ERR_ARGUMENT, "negative epsilon", "batchnorm: epsilon = -1", NULL);
    tap_error(ctx, nn_normalize(ctx, &y, x, 1u, NAN), NN_ERR_ARGUMENT, "NaN epsilon", "normalize: epsilon",
              NULL);
    tap_error(ctx, nn_normalize(ctx, &y, x, 1u, INFINITY), NN_ERR_ARGUMENT, "infinite epsilon",
              "normalize: epsilon", NULL);
    tap_ok(y == NULL, "no result on error");
    /* a saved input mutated in place before backward */
    nn_tensor *xt, *l;
    nn_tracked_alias(ctx, &xt, x);
    nn_batchnorm(ctx, &y, NULL, NULL, xt, NULL, NULL, NULL, NULL, true, 0.1, 1e-5, NN_TANH, 0);
    nn_reduce(ctx, &l, NN_SUM, y, 0, NULL);
    nn_fill_(ctx, x, 1);
    tap_error(ctx, nn_backward(ctx, l), NN_ERR_MUTATED, "x modified in place before backward",
              "modified in place", NULL);
    nn_release(l);
    nn_release(y);
    nn_release(xt);
    nn_release(x);
    nn_release(x1);
    nn_release(v);
    nn_release(g2);
    nn_release(g3);
}

int main(void)
{
    ctx = nn_ctx_new();
    for (int i = 0; i < 64; i++)
        X[i] = round(3000 * sin(0.3 + 0.7 * i)) / 1000;
    test_batchnorm_values();
    test_normalize_values();
    test_large();
    test_gradients();
    test_errors();
    tap_ok(nn_ctx_bytes_live(ctx) == 0, "no tensor memory left live (%zu bytes)", nn_ctx_bytes_live(ctx));
    nn_ctx_free(ctx);
    return tap_done();
}
