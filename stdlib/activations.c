/* activations.c — NNlib's activation functions by their NNlib names, for
 * numbers (a Float32 stays Float32, integers give Float64 except where NNlib
 * keeps them: relu, relu6, hardtanh) and for tensors: a 0-d tensor (a scalar
 * inside `gradient`), or any tensor in a broadcast `relu.(x)`, through nn's
 * unary ops, forward and gradient.
 */
#include "tensor.h"

#include <math.h>

#define SELU_LAMBDA 1.0507009873554804934193349852946
#define SELU_ALPHA 1.6732632423543772848170429916717
#define GELU_2C 1.5957691216057308 /* sqrt(8/pi) */
#define GELU_K 0.044715

/* ---- numbers --------------------------------------------------------------------------------- */

/* NNlib's σ, stable at both ends: exp(-|x|) never overflows. */
static double sigm(double x)
{
    double t = exp(-fabs(x));
    return x >= 0 ? 1 / (1 + t) : t / (1 + t);
}

static double softplus(double x)
{
    return log1p(exp(-fabs(x))) + (x > 0 ? x : 0);
}

/* NNlib's definitions (expm1 where they write exp(x) - 1: the same function, without the cancellation). */
static double act(nn_unary_op op, double x, double p)
{
    switch (op) {
    case NN_RELU: return x < 0 ? 0 : x;
    case NN_RELU6: return x < 0 ? 0 : (x > 6 ? 6 : x);
    case NN_HARDTANH: return x < -1 ? -1 : (x > 1 ? 1 : x);
    case NN_SIGMOID: return sigm(x);
    case NN_TANH: return tanh(x);
    case NN_LEAKYRELU: return x > 0 ? x : p * x;
    case NN_ELU: return x >= 0 ? x : p * expm1(x);
    case NN_GELU: return x * sigm(GELU_2C * x * (1 + GELU_K * x * x));
    case NN_SWISH: return x * sigm(x);
    case NN_SOFTPLUS: return softplus(x);
    case NN_SELU: return SELU_LAMBDA * (x > 0 ? x : SELU_ALPHA * expm1(x));
    case NN_CELU: return x >= 0 ? x : p * expm1(x / p);
    case NN_HARDSIGMOID: {
        double h = (x + 3) / 6;
        return h < 0 ? 0 : (h > 1 ? 1 : h);
    }
    case NN_LOGSIGMOID: return -softplus(-x);
    case NN_MISH: return x * tanh(softplus(x));
    case NN_SOFTSIGN: return x / (1 + fabs(x));
    default: return NAN;
    }
}

/* relu, relu6 and hardtanh keep an integer an integer (NNlib's ifelse and clamp do). */
static bool keeps_int(nn_unary_op op)
{
    return op == NN_RELU || op == NN_RELU6 || op == NN_HARDTANH;
}

static lx_Value act_number(lx_Value x, nn_unary_op op, double p)
{
    if (keeps_int(op) && x.tag == LX_TINT) return lxO_int((int64_t)act(op, (double)x.v.i, p));
    if (keeps_int(op) && x.tag == LX_TBOOL) return op == NN_RELU ? x : lxO_int(x.v.b);
    double y = act(op, lxO_tonumber(x), p);
    return x.tag == LX_TFLOAT32 ? lxO_f32((float)y) : lxO_f64(y);
}

/* ---- tensors --------------------------------------------------------------------------------- */

static lx_Value act_tensor(lx_State *L, lx_Value xv, nn_unary_op op, double p, const char *fname)
{
    nn_tensor *x = lxL_tval(xv), *out;
    if (x->ndim != 0 && L->bcast_mode == 0)
        lxE_error(L, LXT_ArgumentError,
                  "%s: use broadcasting (`%s.(x)`) to apply activation functions to arrays (the argument is "
                  "not a 0-d tensor)",
                  fname, fname);
    if (keeps_int(op) && !nn_dtype_is_float(x->dtype)) {
        double hi = op == NN_RELU6 ? 6 : op == NN_HARDTANH ? 1 : x->dtype == NN_I32 ? 2147483647.0 : 0x1p62;
        return lxL_scalar(L, nn_clamp(L->nn, &out, x, op == NN_HARDTANH ? -1 : 0, hi), &out);
    }
    return lxL_scalar(L, nn_unary_p(L->nn, &out, op, x, p), &out);
}

static lx_Value activation(lx_State *L, lx_Value *a, int n, nn_unary_op op, const char *fname)
{
    double p = nn_unary_default_param(op);
    if (n > 1) p = lxL_number(L, a, 1, fname);
    if (lxL_istensor(a[0])) return act_tensor(L, a[0], op, p, fname);
    return act_number(a[0], op, p);
}

#define ACT_FN(cname, op, name)                                                                              \
    static lx_Value cname(lx_State *L, lx_Value *a, int n, lx_Value kw)                                      \
    {                                                                                                        \
        (void)kw;                                                                                            \
        return activation(L, a, n, op, name);                                                                \
    }
ACT_FN(a_relu, NN_RELU, "relu")
ACT_FN(a_relu6, NN_RELU6, "relu6")
ACT_FN(a_hardtanh, NN_HARDTANH, "hardtanh")
ACT_FN(a_sigmoid, NN_SIGMOID, "sigmoid")
ACT_FN(a_sigmoid_fast, NN_SIGMOID, "sigmoid_fast")
ACT_FN(a_tanh_fast, NN_TANH, "tanh_fast")
ACT_FN(a_leakyrelu, NN_LEAKYRELU, "leakyrelu")
ACT_FN(a_elu, NN_ELU, "elu")
ACT_FN(a_gelu, NN_GELU, "gelu")
ACT_FN(a_swish, NN_SWISH, "swish")
ACT_FN(a_softplus, NN_SOFTPLUS, "softplus")
ACT_FN(a_selu, NN_SELU, "selu")
ACT_FN(a_celu, NN_CELU, "celu")
ACT_FN(a_hardsigmoid, NN_HARDSIGMOID, "hardsigmoid")
ACT_FN(a_logsigmoid, NN_LOGSIGMOID, "logsigmoid")
ACT_FN(a_mish, NN_MISH, "mish")
ACT_FN(a_softsign, NN_SOFTSIGN, "softsign")

/* ---- the library ----------------------------------------------------------------------------- */

#define EX(body) "\n\n# Examples\n```\n" body "```"
#define TDOC(name, args, argdoc)                                                                             \
    "    " name "(x::Tensor" args ")\n\nOn a 0-d tensor (a scalar inside `gradient`); `" name                \
    ".(x)` applies it to each element of any tensor, differentiably.\n\n# Arguments\n- `x`: a 0-d tensor, "  \
    "or any tensor in a broadcast `" name ".(x)`." argdoc                                                    \
    "\n\n# Returns\nA tensor of x's size and element type (an integer tensor gives Float32, except through " \
    "relu, relu6 and hardtanh), tracked by `gradient`."

static const lxL_Reg act_lib[] = {
    {"relu", "(x::Real)", a_relu,
     "    relu(x) = max(0, x)\n\nThe rectified linear unit (NNlib's); an integer stays an integer."
     "\n\n# Arguments\n- `x`: a real number; for a tensor, broadcast: `relu.(x)`.\n\n# Returns\nA value of "
     "x's type (an Int stays an Int, a Bool a Bool)." EX("lx> relu(-2.0)\n0.0\n\nlx> relu(3)\n3\n")},
    {"relu", "(x::Tensor)", a_relu,
     TDOC("relu", "", "") EX("lx> relu.([-1.0, 2.0])\n2-element Tensor{Float32, 1}:\n 0.0\n 2.0\n")},
    {"relu6", "(x::Real)", a_relu6,
     "    relu6(x) = min(max(0, x), 6)\n\nrelu capped at 6."
     "\n\n# Arguments\n- `x`: a real number; for a tensor, broadcast: `relu6.(x)`.\n\n# Returns\nA value of "
     "x's type (an Int stays an Int); a Bool gives an Int." EX("lx> relu6(7.5)\n6.0\n")},
    {"relu6", "(x::Tensor)", a_relu6,
     TDOC("relu6", "", "") EX("lx> relu6.([-1.0, 8.0])\n2-element Tensor{Float32, 1}:\n 0.0\n 6.0\n")},
    {"hardtanh", "(x::Real)", a_hardtanh,
     "    hardtanh(x) = max(-1, min(1, x))\n\nA piecewise linear tanh."
     "\n\n# Arguments\n- `x`: a real number; for a tensor, broadcast: `hardtanh.(x)`.\n\n# Returns\nA value "
     "of x's type (an Int stays an Int); a Bool gives an Int." EX("lx> hardtanh(0.5)\n0.5\n\nlx> "
                                                                  "hardtanh(-3.0)\n-1.0\n")},
    {"hardtanh", "(x::Tensor)", a_hardtanh,
     TDOC("hardtanh", "", "")
         EX("lx> hardtanh.([-3.0, 0.5])\n2-element Tensor{Float32, 1}:\n -1.0\n  0.5\n")},
    {"sigmoid", "(x::Real)", a_sigmoid,
     "    sigmoid(x) = 1 / (1 + exp(-x))\n    σ(x)\n\nThe logistic sigmoid, computed without overflow for "
     "large "
     "|x|; `σ` is the same function."
     "\n\n# Arguments\n- `x`: a real number; for a tensor, broadcast: `sigmoid.(x)`.\n\n# Returns\nA "
     "Float64, or a Float32 when x is a Float32 (integers give Float64). In (0, 1)." EX(
         "lx> sigmoid(0.0)\n0.5\n\nlx> σ(2f0)\n0.8807971f0\n")},
    {"sigmoid", "(x::Tensor)", a_sigmoid,
     TDOC("sigmoid", "", "")
         EX("lx> sigmoid.([0.0, 2.0])\n2-element Tensor{Float32, 1}:\n 0.5\n 0.880797\n")},
    {"sigmoid_fast", "(x::Real)", a_sigmoid_fast,
     "    sigmoid_fast(x)\n\nNNlib's faster sigmoid; in lx the same as `sigmoid` (whose tensor kernel is "
     "already vectorised)."
     "\n\n# Arguments\n- `x`: a real number; for a tensor, broadcast: `sigmoid_fast.(x)`.\n\n# Returns\nA "
     "Float64, or a Float32 when x is a Float32 (integers give Float64)." EX("lx> sigmoid_fast(0.0)\n0.5\n")},
    {"sigmoid_fast", "(x::Tensor)", a_sigmoid_fast, TDOC("sigmoid_fast", "", "")},
    {"tanh_fast", "(x::Real)", a_tanh_fast,
     "    tanh_fast(x)\n\nNNlib's faster tanh; in lx the same as `tanh`."
     "\n\n# Arguments\n- `x`: a real number; for a tensor, broadcast: `tanh_fast.(x)`.\n\n# Returns\nA "
     "Float64, or a Float32 when x is a Float32 (integers give Float64)." EX("lx> tanh_fast(0.0)\n0.0\n")},
    {"tanh_fast", "(x::Tensor)", a_tanh_fast, TDOC("tanh_fast", "", "")},
    {"leakyrelu", "(x::Real, a::Real = 0.01)", a_leakyrelu,
     "    leakyrelu(x, a = 0.01) = x > 0 ? x : a * x\n\nThe leaky rectified linear unit: slope a below 0."
     "\n\n# Arguments\n- `x`: a real number; for a tensor, broadcast: `leakyrelu.(x)`.\n- `a = 0.01`: a real "
     "number, the slope below 0.\n\n# Returns\nA Float64, or a Float32 when x is a Float32 (integers give "
     "Float64)." EX("lx> leakyrelu(-10.0)\n-0.1\n\nlx> leakyrelu(-10.0, 0.2)\n-2.0\n")},
    {"leakyrelu", "(x::Tensor, a::Real = 0.01)", a_leakyrelu,
     TDOC("leakyrelu", ", a = 0.01", "\n- `a = 0.01`: a real number, the slope below 0.")
         EX("lx> leakyrelu.([-10.0, 1.0], 0.2)\n2-element Tensor{Float32, 1}:\n "
            "-2.0\n  1.0\n")},
    {"elu", "(x::Real, α::Real = 1)", a_elu,
     "    elu(x, α = 1) = x > 0 ? x : α * (exp(x) - 1)\n\nThe exponential linear unit."
     "\n\n# Arguments\n- `x`: a real number; for a tensor, broadcast: `elu.(x)`.\n- `α = 1`: a real number, "
     "the scale of the negative part (its limit is -α).\n\n# Returns\nA Float64, or a Float32 when x is a "
     "Float32 (integers give Float64)." EX("lx> elu(-1.0)\n-0."
                                           "6321205588285577\n")},
    {"elu", "(x::Tensor, α::Real = 1)", a_elu,
     TDOC("elu", ", α = 1", "\n- `α = 1`: a real number, the scale of the negative part.")
         EX("lx> elu.([-1.0, 1.0])\n2-element Tensor{Float32, 1}:\n -0.63212055\n  1.0\n")},
    {"gelu", "(x::Real)", a_gelu,
     "    gelu(x) = 0.5x * (1 + tanh(√(2/π) * (x + 0.044715x^3)))\n\nThe Gaussian error linear unit in "
     "NNlib's "
     "tanh approximation (computed as x σ(√(8/π) (x + 0.044715x³)), without cancellation)."
     "\n\n# Arguments\n- `x`: a real number; for a tensor, broadcast: `gelu.(x)`.\n\n# Returns\nA Float64, "
     "or a Float32 when x is a Float32 (integers give Float64)." EX("lx> gelu(1.0)\n0.8411919906082768\n")},
    {"gelu", "(x::Tensor)", a_gelu,
     TDOC("gelu", "", "") EX("lx> gelu.([0.0, 1.0])\n2-element Tensor{Float32, 1}:\n 0.0\n 0.841192\n")},
    {"swish", "(x::Real)", a_swish,
     "    swish(x) = x * σ(x)\n\nThe self-gated activation."
     "\n\n# Arguments\n- `x`: a real number; for a tensor, broadcast: `swish.(x)`.\n\n# Returns\nA Float64, "
     "or a Float32 when x is a Float32 (integers give Float64)." EX("lx> swish(1.0)\n0.7310585786300049\n")},
    {"swish", "(x::Tensor)", a_swish,
     TDOC("swish", "", "") EX("lx> swish.([0.0, 1.0])\n2-element Tensor{Float32, 1}:\n 0.0\n 0.7310586\n")},
    {"softplus", "(x::Real)", a_softplus,
     "    softplus(x) = log(exp(x) + 1)\n\nA smooth relu, computed as `log1p(exp(-|x|)) + max(x, 0)` so it "
     "neither overflows nor loses digits."
     "\n\n# Arguments\n- `x`: a real number; for a tensor, broadcast: `softplus.(x)`.\n\n# Returns\nA "
     "Float64, or a Float32 when x is a Float32 (integers give Float64). Positive." EX(
         "lx> softplus(0.0)\n0.6931471805599453\n\nlx> "
         "softplus(100.0)\n100.0\n")},
    {"softplus", "(x::Tensor)", a_softplus,
     TDOC("softplus", "", "") EX("lx> softplus.([0.0, 100.0])\n2-element Tensor{Float32, 1}:\n   0.6931472\n "
                                 "100.0\n")},
    {"selu", "(x::Real)", a_selu,
     "    selu(x) = λ * (x > 0 ? x : α * (exp(x) - 1))\n\nThe scaled exponential linear unit, λ ≈ 1.0507 and "
     "α ≈ 1.6733."
     "\n\n# Arguments\n- `x`: a real number; for a tensor, broadcast: `selu.(x)`.\n\n# Returns\nA Float64, "
     "or a Float32 when x is a Float32 (integers give Float64)." EX("lx> selu(1.0)\n1.0507009873554805\n")},
    {"selu", "(x::Tensor)", a_selu,
     TDOC("selu", "", "") EX("lx> selu.([0.0, 1.0])\n2-element Tensor{Float32, 1}:\n 0.0\n 1.050701\n")},
    {"celu", "(x::Real, α::Real = 1)", a_celu,
     "    celu(x, α = 1) = x ≥ 0 ? x : α * (exp(x/α) - 1)\n\nThe continuously differentiable exponential "
     "linear unit."
     "\n\n# Arguments\n- `x`: a real number; for a tensor, broadcast: `celu.(x)`.\n- `α = 1`: a real number "
     "(not 0), the scale of the negative part.\n\n# Returns\nA Float64, or a Float32 when x is a Float32 "
     "(integers give Float64)." EX("lx> celu(-1.0, 2.0)\n-0.7869386805747332\n")},
    {"celu", "(x::Tensor, α::Real = 1)", a_celu,
     TDOC("celu", ", α = 1", "\n- `α = 1`: a real number (not 0), the scale of the negative part.")
         EX("lx> celu.([-1.0, 1.0], 2.0)\n2-element Tensor{Float32, 1}:\n -0.78693867\n  "
            "1.0\n")},
    {"hardsigmoid", "(x::Real)", a_hardsigmoid,
     "    hardsigmoid(x) = max(0, min(1, (x + 3) / 6))\n    hardσ(x)\n\nA piecewise linear sigmoid."
     "\n\n# Arguments\n- `x`: a real number; for a tensor, broadcast: `hardsigmoid.(x)`.\n\n# Returns\nA "
     "Float64, or a Float32 when x is a Float32 (integers give Float64). In [0, 1]." EX(
         "lx> hardsigmoid(0.0)\n0.5\n\nlx> hardσ(4.0)\n1.0\n")},
    {"hardsigmoid", "(x::Tensor)", a_hardsigmoid,
     TDOC("hardsigmoid", "", "")
         EX("lx> hardsigmoid.([-4.0, 0.0])\n2-element Tensor{Float32, 1}:\n 0.0\n 0.5\n")},
    {"logsigmoid", "(x::Real)", a_logsigmoid,
     "    logsigmoid(x) = -softplus(-x)\n    logσ(x)\n\n`log(σ(x))`, computed stably."
     "\n\n# Arguments\n- `x`: a real number; for a tensor, broadcast: `logsigmoid.(x)`.\n\n# Returns\nA "
     "Float64, or a Float32 when x is a Float32 (integers give Float64). Not positive." EX(
         "lx> logsigmoid(0.0)\n-0.6931471805599453\n\nlx> logσ(-100.0)\n-100.0\n")},
    {"logsigmoid", "(x::Tensor)", a_logsigmoid,
     TDOC("logsigmoid", "", "") EX("lx> logsigmoid.([0.0])\n1-element Tensor{Float32, 1}:\n -0.6931472\n")},
    {"mish", "(x::Real)", a_mish,
     "    mish(x) = x * tanh(softplus(x))\n\nThe self-regularised non-monotonic activation."
     "\n\n# Arguments\n- `x`: a real number; for a tensor, broadcast: `mish.(x)`.\n\n# Returns\nA Float64, "
     "or a Float32 when x is a Float32 (integers give Float64)." EX("lx> mish(1.0)\n0.8650983882673103\n")},
    {"mish", "(x::Tensor)", a_mish,
     TDOC("mish", "", "") EX("lx> mish.([0.0, 1.0])\n2-element Tensor{Float32, 1}:\n 0.0\n 0.86509836\n")},
    {"softsign", "(x::Real)", a_softsign,
     "    softsign(x) = x / (1 + |x|)\n\nA rational sigmoid-like activation."
     "\n\n# Arguments\n- `x`: a real number; for a tensor, broadcast: `softsign.(x)`.\n\n# Returns\nA "
     "Float64, or a Float32 when x is a Float32 (integers give Float64). In (-1, 1)." EX(
         "lx> softsign(1f0)\n0.5f0\n")},
    {"softsign", "(x::Tensor)", a_softsign,
     TDOC("softsign", "", "")
         EX("lx> softsign.([1.0, -3.0])\n2-element Tensor{Float32, 1}:\n  0.5\n -0.75\n")},
    {NULL, NULL, NULL, NULL}};

void lxL_open_activations(lx_State *L)
{
    lxL_register(L, act_lib);
    /* NNlib's Unicode names are the same functions */
    lxG_set(L, "σ", lxG_get(L, "sigmoid"));
    lxG_set(L, "hardσ", lxG_get(L, "hardsigmoid"));
    lxG_set(L, "logσ", lxG_get(L, "logsigmoid"));
}
