/* test_unary.c — every unary op of ops.def: Float64 values against Python's
 * math module, Float32 against Float64 (short and long tensors, so the vector
 * loops run as well as their tails), the parameterised ops, IEEE special
 * values, integer inputs, the conventions at kinks, and gradients.
 */
#include "tap.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static nn_ctx *ctx;

#define NPTS 21

/* Reference values: Python's math module, with NNlib's definitions (gelu the
 * tanh approximation, softplus = log1p(exp(-|x|)) + max(x, 0), selu's λ and α,
 * hardsigmoid = max(0, min(1, (x+3)/6)), leakyrelu slope 0.01, elu and celu
 * α = 1, logsigmoid = -softplus(-x), mish = x tanh(softplus(x))), expm1 for
 * elu/selu/celu; gelu as x sigmoid(2√(2/π)(x + 0.044715x³)), the same function
 * as x/2 (1 + tanh(...)) without its cancellation for negative x. */
static const double X[NPTS] = {0.0, 1e-08, -1e-08, 0.001, -0.001, 0.3,   -0.3, 0.9,   -0.9, 1.5,  -1.5,
                               2.5, -2.5,  4.0,    -4.0,  10.0,   -10.0, 30.0, -30.0, 50.0, -50.0};
static const double XP[NPTS] = {1e-30, 1e-08, 0.001, 0.1,   0.3,    0.5,           0.9,
                                1.0,   1.5,   2.0,   2.5,   3.0,    4.0,           7.5,
                                10.0,  30.0,  50.0,  100.0, 1000.0, 10000000000.0, 1e+30};
static const double XL[NPTS] = {-0.999, -0.9,  -0.5, -0.3, -0.001, -1e-08,        0.0,
                                1e-08,  0.001, 0.3,  0.5,  0.9,    1.5,           2.5,
                                4.0,    10.0,  30.0, 50.0, 1000.0, 10000000000.0, 1e+30};
/* expected f(x) per op, on the op's domain (X, XP or XL) */
static const struct {
    const double *x;
    double y[NPTS];
} REF[NN_NUM_UNARY] = {
    [NN_IDENTITY] = {X, {0.0, 1e-08, -1e-08, 0.001, -0.001, 0.3,   -0.3, 0.9,   -0.9, 1.5,  -1.5,
                         2.5, -2.5,  4.0,    -4.0,  10.0,   -10.0, 30.0, -30.0, 50.0, -50.0}},
    [NN_NEG] = {X, {-0.0, -1e-08, 1e-08, -0.001, 0.001, -0.3, 0.3,   -0.9, 0.9,   -1.5, 1.5,
                    -2.5, 2.5,    -4.0,  4.0,    -10.0, 10.0, -30.0, 30.0, -50.0, 50.0}},
    [NN_ABS] = {X, {0.0, 1e-08, 1e-08, 0.001, 0.001, 0.3,  0.3,  0.9,  0.9,  1.5, 1.5,
                    2.5, 2.5,   4.0,   4.0,   10.0,  10.0, 30.0, 30.0, 50.0, 50.0}},
    [NN_EXP] = {X,
                {1.0,
                 1.00000001,
                 0.9999999900000001,
                 1.0010005001667084,
                 0.999000499833375,
                 1.3498588075760032,
                 0.7408182206817179,
                 2.45960311115695,
                 0.4065696597405991,
                 4.4816890703380645,
                 0.22313016014842982,
                 12.182493960703473,
                 0.0820849986238988,
                 54.598150033144236,
                 0.01831563888873418,
                 22026.465794806718,
                 4.5399929762484854e-05,
                 10686474581524.463,
                 9.357622968840175e-14,
                 5.184705528587072e+21,
                 1.9287498479639178e-22}},
    [NN_LOG] = {XP, {-69.07755278982137,  -18.420680743952367, -6.907755278982137,   -2.3025850929940455,
                     -1.2039728043259361, -0.6931471805599453, -0.10536051565782628, 0.0,
                     0.4054651081081644,  0.6931471805599453,  0.9162907318741551,   1.0986122886681098,
                     1.3862943611198906,  2.0149030205422647,  2.302585092994046,    3.4011973816621555,
                     3.912023005428146,   4.605170185988092,   6.907755278982137,    23.025850929940457,
                     69.07755278982137}},
    [NN_LOG1P] = {XL,
                  {-6.907755278982136,
                   -2.302585092994046,
                   -0.6931471805599453,
                   -0.35667494393873234,
                   -0.0010005003335835335,
                   -1.0000000050000001e-08,
                   0.0,
                   9.999999950000001e-09,
                   0.0009995003330835331,
                   0.26236426446749106,
                   0.4054651081081644,
                   0.6418538861723948,
                   0.9162907318741551,
                   1.252762968495368,
                   1.6094379124341003,
                   2.3978952727983707,
                   3.4339872044851463,
                   3.9318256327243257,
                   6.90875477931522,
                   23.025850930040455,
                   69.07755278982137}},
    [NN_SQRT] = {XP,
                 {1e-15,
                  0.0001,
                  0.03162277660168379,
                  0.31622776601683794,
                  0.5477225575051661,
                  0.7071067811865476,
                  0.9486832980505138,
                  1.0,
                  1.224744871391589,
                  1.4142135623730951,
                  1.5811388300841898,
                  1.7320508075688772,
                  2.0,
                  2.7386127875258306,
                  3.1622776601683795,
                  5.477225575051661,
                  7.0710678118654755,
                  10.0,
                  31.622776601683793,
                  100000.0,
                  1000000000000000.0}},
    [NN_SIN] = {X,
                {0.0,
                 1e-08,
                 -1e-08,
                 0.0009999998333333417,
                 -0.0009999998333333417,
                 0.29552020666133955,
                 -0.29552020666133955,
                 0.7833269096274834,
                 -0.7833269096274834,
                 0.9974949866040544,
                 -0.9974949866040544,
                 0.5984721441039565,
                 -0.5984721441039565,
                 -0.7568024953079282,
                 0.7568024953079282,
                 -0.5440211108893698,
                 0.5440211108893698,
                 -0.9880316240928618,
                 0.9880316240928618,
                 -0.26237485370392877,
                 0.26237485370392877}},
    [NN_COS] = {X,
                {1.0,
                 1.0,
                 1.0,
                 0.9999995000000417,
                 0.9999995000000417,
                 0.955336489125606,
                 0.955336489125606,
                 0.6216099682706644,
                 0.6216099682706644,
                 0.0707372016677029,
                 0.0707372016677029,
                 -0.8011436155469337,
                 -0.8011436155469337,
                 -0.6536436208636119,
                 -0.6536436208636119,
                 -0.8390715290764524,
                 -0.8390715290764524,
                 0.15425144988758405,
                 0.15425144988758405,
                 0.9649660284921133,
                 0.9649660284921133}},
    [NN_TAN] = {X,
                {0.0,
                 1e-08,
                 -1e-08,
                 0.0010000003333334668,
                 -0.0010000003333334668,
                 0.30933624960962325,
                 -0.30933624960962325,
                 1.2601582175503392,
                 -1.2601582175503392,
                 14.101419947171719,
                 -14.101419947171719,
                 -0.7470222972386603,
                 0.7470222972386603,
                 1.1578212823495775,
                 -1.1578212823495775,
                 0.6483608274590866,
                 -0.6483608274590866,
                 -6.405331196646276,
                 6.405331196646276,
                 -0.27190061199763077,
                 0.27190061199763077}},
    [NN_TANH] = {X,
                 {0.0,
                  1e-08,
                  -1e-08,
                  0.0009999996666668,
                  -0.0009999996666668,
                  0.2913126124515909,
                  -0.2913126124515909,
                  0.7162978701990245,
                  -0.7162978701990245,
                  0.9051482536448664,
                  -0.9051482536448664,
                  0.9866142981514303,
                  -0.9866142981514303,
                  0.999329299739067,
                  -0.999329299739067,
                  0.9999999958776927,
                  -0.9999999958776927,
                  1.0,
                  -1.0,
                  1.0,
                  -1.0}},
    [NN_SIGMOID] = {X,
                    {0.5,
                     0.5000000025,
                     0.4999999975,
                     0.5002499999791666,
                     0.49975000002083336,
                     0.574442516811659,
                     0.425557483188341,
                     0.7109495026250039,
                     0.289050497374996,
                     0.8175744761936437,
                     0.18242552380635632,
                     0.9241418199787566,
                     0.07585818002124356,
                     0.9820137900379085,
                     0.017986209962091555,
                     0.9999546021312976,
                     4.5397868702434395e-05,
                     0.9999999999999065,
                     9.3576229688393e-14,
                     1.0,
                     1.9287498479639178e-22}},
    [NN_RELU] = {X, {0.0, 1e-08, 0.0, 0.001, 0.0,  0.3, 0.0,  0.9, 0.0,  1.5, 0.0,
                     2.5, 0.0,   4.0, 0.0,   10.0, 0.0, 30.0, 0.0, 50.0, 0.0}},
    [NN_LEAKYRELU] = {X, {0.0,  1e-08,  -1e-10, 0.001,  -1e-05, 0.3,   -0.003, 0.9,  -0.009000000000000001,
                          1.5,  -0.015, 2.5,    -0.025, 4.0,    -0.04, 10.0,   -0.1, 30.0,
                          -0.3, 50.0,   -0.5}},
    [NN_ELU] = {X,
                {0.0,
                 1e-08,
                 -9.999999950000001e-09,
                 0.001,
                 -0.0009995001666250085,
                 0.3,
                 -0.2591817793182821,
                 0.9,
                 -0.5934303402594009,
                 1.5,
                 -0.7768698398515702,
                 2.5,
                 -0.9179150013761013,
                 4.0,
                 -0.9816843611112658,
                 10.0,
                 -0.9999546000702375,
                 30.0,
                 -0.9999999999999064,
                 50.0,
                 -1.0}},
    [NN_GELU] = {X,
                 {0.0,
                  5.000000039894228e-09,
                  -4.999999960105772e-09,
                  0.000500398942213582,
                  -0.000499601057786418,
                  0.18537092354275927,
                  -0.11462907645724076,
                  0.7342284887097207,
                  -0.16577151129027945,
                  1.3995715769802328,
                  -0.10042842301976704,
                  2.484915733910001,
                  -0.01508426608999857,
                  3.9999297540518075,
                  -7.024594819237266e-05,
                  10.0,
                  -1.2040923482098023e-37,
                  30.0,
                  -0.0,
                  50.0,
                  -0.0}},
    [NN_SWISH] = {X,
                  {0.0,
                   5.000000025e-09,
                   -4.9999999750000005e-09,
                   0.0005002499999791667,
                   -0.0004997500000208334,
                   0.1723327550434977,
                   -0.1276672449565023,
                   0.6398545523625035,
                   -0.2601454476374964,
                   1.2263617142904655,
                   -0.27363828570953447,
                   2.3103545499468914,
                   -0.1896454500531089,
                   3.928055160151634,
                   -0.07194483984836622,
                   9.999546021312977,
                   -0.00045397868702434395,
                   29.999999999997197,
                   -2.80728689065179e-12,
                   50.0,
                   -9.643749239819589e-21}},
    [NN_SOFTPLUS] = {X, {0.6931471805599453,    0.6931471855599454, 0.6931471755599453,    0.6936473055599401,
                         0.6926473055599401,    0.8543552444685272, 0.5543552444685271,    1.2411538747320878,
                         0.3411538747320878,    1.7014132779827524, 0.2014132779827524,    2.5788897342925496,
                         0.07888973429254963,   4.0181499279178094, 0.018149927917809738,  10.000045398899218,
                         4.539889921686465e-05, 30.000000000000092, 9.357622968839737e-14, 50.0,
                         1.9287498479639178e-22}},
    [NN_SELU] = {X,
                 {0.0,
                  1.0507009873554805e-08,
                  -1.7580993320568802e-08,
                  0.0010507009873554805,
                  -0.0017572205841202705,
                  0.31521029620664415,
                  -0.4556673153791221,
                  0.9456308886199324,
                  -1.043309490048887,
                  1.5760514810332207,
                  -1.3658143533672527,
                  2.626752468388701,
                  -1.6137857588732425,
                  4.202803949421922,
                  -1.7258986281898945,
                  10.507009873554804,
                  -1.7580195232607867,
                  31.521029620664414,
                  -1.7580993408472123,
                  52.53504936777402,
                  -1.7580993408473766}},
    [NN_CELU] = {X,
                 {0.0,
                  1e-08,
                  -9.999999950000001e-09,
                  0.001,
                  -0.0009995001666250085,
                  0.3,
                  -0.2591817793182821,
                  0.9,
                  -0.5934303402594009,
                  1.5,
                  -0.7768698398515702,
                  2.5,
                  -0.9179150013761013,
                  4.0,
                  -0.9816843611112658,
                  10.0,
                  -0.9999546000702375,
                  30.0,
                  -0.9999999999999064,
                  50.0,
                  -1.0}},
    [NN_HARDTANH] = {X, {0.0, 1e-08, -1e-08, 0.001, -0.001, 0.3,  -0.3, 0.9,  -0.9, 1.0, -1.0,
                         1.0, -1.0,  1.0,    -1.0,  1.0,    -1.0, 1.0,  -1.0, 1.0,  -1.0}},
    [NN_HARDSIGMOID] = {X,
                        {0.5,
                         0.5000000016666667,
                         0.49999999833333336,
                         0.5001666666666666,
                         0.49983333333333335,
                         0.5499999999999999,
                         0.45,
                         0.65,
                         0.35000000000000003,
                         0.75,
                         0.25,
                         0.9166666666666666,
                         0.08333333333333333,
                         1.0,
                         0.0,
                         1.0,
                         0.0,
                         1.0,
                         0.0,
                         1.0,
                         0.0}},
    [NN_LOGSIGMOID] = {X, {-0.6931471805599453,    -0.6931471755599453,     -0.6931471855599454,
                           -0.6926473055599401,    -0.6936473055599401,     -0.5543552444685271,
                           -0.8543552444685272,    -0.3411538747320878,     -1.2411538747320878,
                           -0.2014132779827524,    -1.7014132779827524,     -0.07888973429254963,
                           -2.5788897342925496,    -0.018149927917809738,   -4.0181499279178094,
                           -4.539889921686465e-05, -10.000045398899218,     -9.357622968839737e-14,
                           -30.000000000000092,    -1.9287498479639178e-22, -50.0}},
    [NN_MISH] = {X,
                 {0.0,
                  6.000000032000001e-09,
                  -5.999999968000001e-09,
                  0.000600319983954133,
                  -0.0005996799840458665,
                  0.20800137234811503,
                  -0.15113317713833455,
                  0.7612059289525154,
                  -0.2956564231062872,
                  1.4033782663958028,
                  -0.29809974216680674,
                  2.471392304557881,
                  -0.19681620390653337,
                  3.9974128069762385,
                  -0.07259174079202535,
                  9.999999958780672,
                  -0.00045398899185674697,
                  30.0,
                  -2.807286890651921e-12,
                  50.0,
                  -9.643749239819589e-21}},
    [NN_SQUARE] = {X,
                   {0.0,
                    1.0000000000000001e-16,
                    1.0000000000000001e-16,
                    1e-06,
                    1e-06,
                    0.09,
                    0.09,
                    0.81,
                    0.81,
                    2.25,
                    2.25,
                    6.25,
                    6.25,
                    16.0,
                    16.0,
                    100.0,
                    100.0,
                    900.0,
                    900.0,
                    2500.0,
                    2500.0}},
};
/* leakyrelu 0.2, elu 0.5, celu 2 on X */
static const double P_LEAKY[NPTS] = {0.0,
                                     1e-08,
                                     -2e-09,
                                     0.001,
                                     -0.0002,
                                     0.3,
                                     -0.06,
                                     0.9,
                                     -0.18000000000000002,
                                     1.5,
                                     -0.30000000000000004,
                                     2.5,
                                     -0.5,
                                     4.0,
                                     -0.8,
                                     10.0,
                                     -2.0,
                                     30.0,
                                     -6.0,
                                     50.0,
                                     -10.0};
static const double P_ELU[NPTS] = {0.0,
                                   1e-08,
                                   -4.9999999750000005e-09,
                                   0.001,
                                   -0.0004997500833125042,
                                   0.3,
                                   -0.12959088965914106,
                                   0.9,
                                   -0.29671517012970045,
                                   1.5,
                                   -0.3884349199257851,
                                   2.5,
                                   -0.45895750068805063,
                                   4.0,
                                   -0.4908421805556329,
                                   10.0,
                                   -0.49997730003511875,
                                   30.0,
                                   -0.4999999999999532,
                                   50.0,
                                   -0.5};
static const double P_CELU[NPTS] = {0.0,
                                    1e-08,
                                    -9.999999975e-09,
                                    0.001,
                                    -0.0009997500416614588,
                                    0.3,
                                    -0.2785840471498844,
                                    0.9,
                                    -0.7247436967564534,
                                    1.5,
                                    -1.0552668945179706,
                                    2.5,
                                    -1.4269904062796197,
                                    4.0,
                                    -1.7293294335267746,
                                    10.0,
                                    -1.986524106001829,
                                    30.0,
                                    -1.999999388195359,
                                    50.0,
                                    -1.9999999999722242};

static const char *const OPNAME[NN_NUM_UNARY] = {
#define NN_UNARY(E, n) n,
#include "ops.def"
};

static nn_tensor *mk(nn_dtype t, int64_t n, const double *d)
{
    return tap_tensor(ctx, t, 1, &n, d);
}

/* The op applied to x's values in Float64: the reference a Float32 result is
 * held to, computed from the same (rounded) inputs. */
static nn_tensor *f64_of(nn_unary_op op, double p, const nn_tensor *x32)
{
    nn_tensor *x, *y = NULL;
    if (nn_convert(ctx, &x, x32, NN_F64)) return NULL;
    nn_unary_p(ctx, &y, op, x, p);
    nn_release(x);
    return y;
}

/* |got - want| <= rtol |want| + atol for all elements; the worst one is reported. */
static bool close_to(const nn_tensor *got, const nn_tensor *want, double rtol, double atol, const char *name)
{
    double worst = 0;
    int64_t wi = -1;
    for (int64_t i = 0; i < want->numel; i++) {
        double g = nn_get(got, i), w = nn_get(want, i);
        if (g == w || (isnan(g) && isnan(w))) continue;
        double e = fabs(g - w) / (atol + rtol * fabs(w));
        if (!(e <= worst)) {
            worst = isnan(e) ? INFINITY : e;
            wi = i;
        }
    }
    bool ok = tap_ok(got->numel == want->numel && worst <= 1, "%s", name);
    if (!ok && wi >= 0)
        tap_diag("element %lld: got %.9g, want %.9g", (long long)wi + 1, nn_get(got, wi), nn_get(want, wi));
    return ok;
}

static void test_names(void)
{
    tap_ok(!strcmp(nn_unary_name(NN_GELU), "gelu") && !strcmp(nn_unary_name(NN_SQUARE), "square") &&
               !strcmp(nn_unary_name((nn_unary_op)NN_NUM_UNARY), "?"),
           "unary names");
    tap_ok(nn_unary_default_param(NN_LEAKYRELU) == 0.01 && nn_unary_default_param(NN_ELU) == 1 &&
               nn_unary_default_param(NN_CELU) == 1,
           "default parameters: leakyrelu 0.01, elu and celu 1");
    nn_tensor *x = mk(NN_F64, 3, X), *y = (nn_tensor *)1;
    tap_error(ctx, nn_unary(ctx, &y, (nn_unary_op)NN_NUM_UNARY, x), NN_ERR_ARGUMENT, "bad unary op", "unary",
              NULL);
    tap_ok(y == NULL, "a failed call leaves *out NULL");
    nn_release(x);
}

static void test_values(void)
{
    char name[96];
    for (int op = 0; op < NN_NUM_UNARY; op++) {
        nn_tensor *x = mk(NN_F64, NPTS, REF[op].x), *y = NULL, *x32 = mk(NN_F32, NPTS, REF[op].x);
        nn_tensor *y32 = NULL, *want = NULL;
        snprintf(name, sizeof name, "%s: Float64 values", OPNAME[op]);
        if (tap_okst(ctx, nn_unary(ctx, &y, (nn_unary_op)op, x), name)) {
            tap_tensor_close(y, REF[op].y, NPTS, 1e-12, 1e-15, name);
            tap_ok(y->dtype == NN_F64 && y->ndim == 1 && y->shape[0] == NPTS, "%s: Float64 in, Float64 out",
                   OPNAME[op]);
        }
        snprintf(name, sizeof name, "%s: Float32 against Float64", OPNAME[op]);
        if (tap_okst(ctx, nn_unary(ctx, &y32, (nn_unary_op)op, x32), name) && (want = f64_of(op, 1, x32))) {
            double p = nn_unary_default_param((nn_unary_op)op);
            nn_release(want);
            want = f64_of(op, p, x32);
            tap_ok(y32->dtype == NN_F32, "%s: Float32 in, Float32 out", OPNAME[op]);
            close_to(y32, want, 2e-6, 1e-7, name);
        }
        nn_release(x);
        nn_release(y);
        nn_release(x32);
        nn_release(y32);
        nn_release(want);
    }
}

/* 40001 points (several threads' worth, vector loops and a tail) across each
 * op's domain, Float32 against Float64 of the same inputs. */
static void test_long(void)
{
    const int64_t n = 40001;
    char name[96];
    for (int op = 0; op < NN_NUM_UNARY; op++) {
        nn_tensor *x32;
        if (nn_empty(ctx, &x32, NN_F32, 1, &n)) return;
        for (int64_t i = 0; i < n; i++) {
            double t = (double)i / (double)(n - 1);
            double v = REF[op].x == XP   ? exp(-60 + 120 * t)
                       : REF[op].x == XL ? -0.999 + 20 * t
                                         : -12 + 24 * t;
            nn_set(x32, i, v);
        }
        nn_tensor *y32 = NULL, *want = f64_of(op, nn_unary_default_param((nn_unary_op)op), x32);
        snprintf(name, sizeof name, "%s: %lld Float32 values against Float64", OPNAME[op], (long long)n);
        if (tap_okst(ctx, nn_unary(ctx, &y32, (nn_unary_op)op, x32), name) && want)
            close_to(y32, want, 2e-6, 1e-7, name);
        nn_release(x32);
        nn_release(y32);
        nn_release(want);
    }
}

static void test_param(void)
{
    static const struct {
        nn_unary_op op;
        double p;
        const double *want;
    } P[] = {{NN_LEAKYRELU, 0.2, P_LEAKY}, {NN_ELU, 0.5, P_ELU}, {NN_CELU, 2.0, P_CELU}};
    char name[96];
    for (size_t k = 0; k < sizeof P / sizeof *P; k++) {
        nn_tensor *x = mk(NN_F64, NPTS, X), *x32 = mk(NN_F32, NPTS, X), *y = NULL, *y32 = NULL;
        snprintf(name, sizeof name, "%s(x, %g): Float64 values", OPNAME[P[k].op], P[k].p);
        if (tap_okst(ctx, nn_unary_p(ctx, &y, P[k].op, x, P[k].p), name))
            tap_tensor_close(y, P[k].want, NPTS, 1e-12, 1e-15, name);
        snprintf(name, sizeof name, "%s(x, %g): Float32 against Float64", OPNAME[P[k].op], P[k].p);
        nn_tensor *want = f64_of(P[k].op, P[k].p, x32);
        if (tap_okst(ctx, nn_unary_p(ctx, &y32, P[k].op, x32, P[k].p), name) && want)
            close_to(y32, want, 2e-6, 1e-7, name);
        nn_release(x);
        nn_release(x32);
        nn_release(y);
        nn_release(y32);
        nn_release(want);
    }
}

/* IEEE behaviour, in both float dtypes. */
static void test_special(void)
{
    static const struct {
        nn_unary_op op;
        double x, want;
    } S[] = {
        {NN_SQRT, -1, NAN},
        {NN_SQRT, 0, 0},
        {NN_SQRT, INFINITY, INFINITY},
        {NN_LOG, 0, -INFINITY},
        {NN_LOG, -1, NAN},
        {NN_LOG, INFINITY, INFINITY},
        {NN_LOG, NAN, NAN},
        {NN_LOG1P, -1, -INFINITY},
        {NN_LOG1P, -2, NAN},
        {NN_LOG1P, INFINITY, INFINITY},
        {NN_EXP, 1000, INFINITY},
        {NN_EXP, -1000, 0},
        {NN_EXP, INFINITY, INFINITY},
        {NN_EXP, -INFINITY, 0},
        {NN_EXP, NAN, NAN},
        {NN_TANH, INFINITY, 1},
        {NN_TANH, -INFINITY, -1},
        {NN_TANH, 1000, 1},
        {NN_TANH, -30, -1},
        {NN_TANH, NAN, NAN},
        {NN_SIGMOID, -INFINITY, 0},
        {NN_SIGMOID, INFINITY, 1},
        {NN_SIGMOID, NAN, NAN},
        {NN_SIGMOID, -1000, 0},
        {NN_RELU, INFINITY, INFINITY},
        {NN_RELU, -INFINITY, 0},
        {NN_SOFTPLUS, INFINITY, INFINITY},
        {NN_LOGSIGMOID, -INFINITY, -INFINITY},
        {NN_GELU, INFINITY, INFINITY},
        {NN_ABS, -INFINITY, INFINITY},
    };
    char name[96];
    for (int t = 0; t < 2; t++) {
        nn_dtype dt = t ? NN_F32 : NN_F64;
        for (size_t k = 0; k < sizeof S / sizeof *S; k++) {
            nn_tensor *x = mk(dt, 1, &S[k].x), *y = NULL;
            snprintf(name, sizeof name, "%s: %s(%g) = %g", nn_dtype_name(dt), OPNAME[S[k].op], S[k].x,
                     S[k].want);
            nn_status st = nn_unary(ctx, &y, S[k].op, x);
            double g = st ? NAN : nn_get(y, 0);
            if (!tap_ok(st == NN_OK && (g == S[k].want || (isnan(g) && isnan(S[k].want))), "%s", name))
                tap_diag("got %.9g (%s)", g, nn_ctx_message(ctx));
            nn_release(x);
            nn_release(y);
        }
    }
    /* Float32 limits: overflow to Inf rather than to a huge finite value, and
     * gelu far out on the left is 0 to within Float32's resolution. */
    double big[3] = {88.8, 89, 100}, neg[3] = {-10, -30, -100};
    nn_tensor *x = mk(NN_F32, 3, big), *y = NULL, *z = NULL, *xn = mk(NN_F32, 3, neg);
    nn_unary(ctx, &y, NN_EXP, x);
    tap_ok(y && isinf(nn_get(y, 0)) && isinf(nn_get(y, 1)) && isinf(nn_get(y, 2)), "Float32 exp(88.8) = Inf");
    nn_unary(ctx, &z, NN_GELU, xn);
    tap_ok(z && fabs(nn_get(z, 0)) < 1e-20 && fabs(nn_get(z, 1)) < 1e-20 && fabs(nn_get(z, 2)) < 1e-20,
           "Float32 gelu(-10), gelu(-30), gelu(-100) are 0");
    nn_release(x);
    nn_release(y);
    nn_release(z);
    nn_release(xn);
}

/* Int32, Int64 and Bool inputs give Float32 results. */
static void test_int_inputs(void)
{
    static const double xi[5] = {0, 1, 2, 4, 9}, xb[5] = {1, 0, 1, 1, 0};
    static const struct {
        nn_dtype t;
        nn_unary_op op;
        const double *x;
        double want[5];
    } C[] = {
        {NN_I32, NN_EXP, xi, {1, 2.718281828459045, 7.38905609893065, 54.598150033144236, 8103.083927575384}},
        {NN_I64, NN_SQRT, xi, {0, 1, 1.4142135623730951, 2, 3}},
        {NN_I64, NN_NEG, xi, {0, -1, -2, -4, -9}},
        {NN_BOOL, NN_SIGMOID, xb, {0.7310585786300049, 0.5, 0.7310585786300049, 0.7310585786300049, 0.5}},
        {NN_BOOL, NN_RELU, xb, {1, 0, 1, 1, 0}},
    };
    char name[96];
    for (size_t k = 0; k < sizeof C / sizeof *C; k++) {
        nn_tensor *x = mk(C[k].t, 5, C[k].x), *y = NULL;
        snprintf(name, sizeof name, "%s on %s: Float32", OPNAME[C[k].op], nn_dtype_name(C[k].t));
        if (tap_okst(ctx, nn_unary(ctx, &y, C[k].op, x), name)) {
            tap_ok(y->dtype == NN_F32, "%s: result dtype %s", name, nn_dtype_name(y->dtype));
            tap_tensor_close(y, C[k].want, 5, 2e-7, 0, name);
        }
        nn_release(x);
        nn_release(y);
    }
}

/* d/dx sum(f(x)) at x. */
static double grad_at(nn_unary_op op, double p, double x0)
{
    nn_tensor *x = mk(NN_F64, 1, &x0), *y = NULL, *l = NULL;
    nn_set_requires_grad(x, true);
    double g = NAN;
    if (!nn_unary_p(ctx, &y, op, x, p) && !nn_reduce(ctx, &l, NN_SUM, y, 0, NULL) && !nn_backward(ctx, l))
        g = nn_grad(x) ? nn_get(nn_grad(x), 0) : NAN;
    nn_release(x);
    nn_release(y);
    nn_release(l);
    return g;
}

static void test_kinks(void)
{
    tap_ok(grad_at(NN_RELU, 0, 0) == 0, "relu'(0) = 0");
    tap_ok(grad_at(NN_ABS, 0, 0) == 0, "abs'(0) = 0");
    tap_ok(grad_at(NN_LEAKYRELU, 0.2, 0) == 0.2, "leakyrelu'(0) = slope (NNlib: Ω > 0 ? 1 : a)");
    tap_ok(grad_at(NN_HARDTANH, 0, 1) == 0 && grad_at(NN_HARDTANH, 0, -1) == 0, "hardtanh' at ±1 is 0");
    tap_ok(grad_at(NN_RELU, 0, 2) == 1 && grad_at(NN_ABS, 0, -2) == -1, "relu'(2) = 1, abs'(-2) = -1");
}

typedef struct {
    nn_unary_op op;
    double p;
} uarg;

static nn_status apply(nn_ctx *c, nn_tensor *const *in, nn_tensor **out, void *ud)
{
    const uarg *u = ud;
    return nn_unary_p(c, out, u->op, in[0], u->p);
}

/* 37 points away from every op's kinks (0, ±1, ±3) and poles. */
static void test_gradients(void)
{
    const int64_t n = 37;
    double xs[37], xp[37], xl[37];
    for (int i = 0; i < n; i++) {
        xs[i] = -2.85 + 0.155 * i + 0.01 * sin(i); /* [-2.85, 2.74], off 0, ±1 */
        xp[i] = 0.15 + 0.11 * i;                   /* positive */
        xl[i] = -0.9 + 0.1 * i + 0.013;            /* above -1 */
    }
    for (int i = 0; i < n; i++)
        if (fabs(xs[i]) < 0.02 || fabs(fabs(xs[i]) - 1) < 0.02) xs[i] += 0.05;
    char name[96];
    for (int op = 0; op < NN_NUM_UNARY; op++) {
        const double *d = REF[op].x == XP ? xp : REF[op].x == XL ? xl : xs;
        nn_tensor *x = mk(NN_F64, n, d);
        uarg u = {(nn_unary_op)op, nn_unary_default_param((nn_unary_op)op)};
        snprintf(name, sizeof name, "%s", OPNAME[op]);
        tap_gradcheck(ctx, apply, 1, &x, &u, 1e-6, name);
        nn_release(x);
    }
    static const uarg P[] = {{NN_LEAKYRELU, 0.2}, {NN_ELU, 0.5}, {NN_CELU, 2.0}};
    for (size_t k = 0; k < sizeof P / sizeof *P; k++) {
        nn_tensor *x = mk(NN_F64, n, xs);
        uarg u = P[k];
        snprintf(name, sizeof name, "%s(x, %g)", OPNAME[u.op], u.p);
        tap_gradcheck(ctx, apply, 1, &x, &u, 1e-6, name);
        nn_release(x);
    }
}

/* The Float32 backward (vectorised like the forward) against Float64's. */
static void test_grad_f32(void)
{
    const int64_t n = 37;
    double xs[37];
    for (int i = 0; i < n; i++)
        xs[i] = 0.3 + 0.1 * i; /* in every op's domain, off kinks */
    char name[96];
    for (int op = 0; op < NN_NUM_UNARY; op++) {
        double g[2][37];
        for (int t = 0; t < 2; t++) {
            nn_tensor *x = mk(t ? NN_F32 : NN_F64, n, xs), *y = NULL, *l = NULL;
            nn_set_requires_grad(x, true);
            if (!nn_unary(ctx, &y, (nn_unary_op)op, x) && !nn_reduce(ctx, &l, NN_SUM, y, 0, NULL) &&
                !nn_backward(ctx, l) && nn_grad(x))
                for (int i = 0; i < n; i++)
                    g[t][i] = nn_get(nn_grad(x), i);
            else
                for (int i = 0; i < n; i++)
                    g[t][i] = NAN;
            nn_release(x);
            nn_release(y);
            nn_release(l);
        }
        nn_tensor *g32 = mk(NN_F64, n, g[1]);
        snprintf(name, sizeof name, "%s: Float32 gradient against Float64", OPNAME[op]);
        /* atol 1e-6: gradients such as tanh's 1 - y^2 cancel, and carry the
         * Float32 rounding of y (6e-8) doubled, whatever the kernel does */
        tap_tensor_close(g32, g[0], n, 1e-5, 1e-6, name);
        nn_release(g32);
    }
}

/* Shape is kept, and a tracked input makes a tracked output. */
static void test_shape(void)
{
    const int64_t s[3] = {2, 3, 4};
    nn_tensor *x, *y = NULL;
    if (nn_full(ctx, &x, NN_F32, 3, s, 0.5)) return;
    nn_unary(ctx, &y, NN_TANH, x);
    tap_ok(y && y->ndim == 3 && y->shape[0] == 2 && y->shape[1] == 3 && y->shape[2] == 4 && !nn_is_tracked(y),
           "tanh keeps the shape (2, 3, 4); untracked in, untracked out");
    nn_release(y);
    nn_set_requires_grad(x, true);
    nn_unary(ctx, &y, NN_TANH, x);
    tap_ok(y && nn_is_tracked(y), "tracked in, tracked out");
    nn_release(y);
    nn_release(x);
}

int main(void)
{
    ctx = nn_ctx_new();
    test_names();
    test_values();
    test_long();
    test_param();
    test_special();
    test_int_inputs();
    test_kinks();
    test_gradients();
    test_grad_f32();
    test_shape();
    tap_ok(nn_ctx_bytes_live(ctx) == 0, "no tensor memory left live (%zu bytes)", nn_ctx_bytes_live(ctx));
    nn_ctx_free(ctx);
    return tap_done();
}
