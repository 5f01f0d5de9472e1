/* lux_tools.c — what the model tools written in lx (stdlib/lux/map.lx,
 * debug.lx) need from C: the @layer_map and @debug_mode macros, and the
 * identity op whose backward checks the gradient passing through it for NaNs
 * (DebugLayer's backward check). */
#include "tensor.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- NaN checks --------------------------------------------------------------------------------- */

static bool has_nan(const nn_tensor *t)
{
    if (t->dtype == NN_F32) {
        const float *d = nn_data(t);
        for (int64_t i = 0; i < t->numel; i++)
            if (isnan(d[i])) return true;
    } else if (t->dtype == NN_F64) {
        const double *d = nn_data(t);
        for (int64_t i = 0; i < t->numel; i++)
            if (isnan(d[i])) return true;
    }
    return false;
}

/* __has_nan(x): whether the tensor x holds a NaN (DebugLayer's forward check). */
static lx_Value x_has_nan(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_bool(has_nan(lxL_checktensor(L, a, 0, "__has_nan")));
}

static void free_message(void *ud)
{
    free(ud);
}

/* The guard's backward: the gradient passes through unless it holds a NaN; then the message (the
 * node's user data) is the DomainError the backward pass stops with. */
static nn_status guard_backward(nn_ctx *ctx, void *ud, const nn_tensor *g, int n, const bool *needs,
                                nn_tensor **gin)
{
    (void)n;
    if (has_nan(g)) return nn_error(ctx, NN_ERR_DOMAIN, "%s", (const char *)ud);
    if (needs[0]) gin[0] = nn_retain((nn_tensor *)g);
    return NN_OK;
}

/* __nan_guard(x, message): x itself unless gradient is tracking it (nothing to check, nothing
 * spent); else an alias of x whose backward raises `message` as a DomainError when the gradient
 * arriving at x holds a NaN. */
static lx_Value x_nan_guard(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (!lxL_istensor(a[0])) return a[0];
    nn_tensor *x = lxL_tval(a[0]);
    if (!nn_is_tracked(x) || !nn_dtype_is_float(x->dtype)) return a[0];
    lxO_string *msg = lxL_string(L, a, 1, "__nan_guard");
    nn_tensor *out = NULL;
    lx_Value r = lxL_result(L, nn_detach(L->nn, &out, x), &out);
    char *copy = malloc(msg->len + 1);
    if (!copy) lxD_throw(L, LX_ERRMEM, "OutOfMemoryError: DebugLayer's NaN check");
    memcpy(copy, msg->data, msg->len + 1);
    lxL_nncheck(L, nn_attach_backward(L->nn, out, "DebugLayer", 1, &x, guard_backward, copy, free_message));
    return r;
}

/* ---- the macros --------------------------------------------------------------------------------- */

/* @layer_map f model ps st  ->  layer_map(f, model, ps, st, "model") */
static lxA_node *m_layer_map(lx_State *L, void *arena, lxA_node *m)
{
    if (m->n != 4)
        lxE_error(L, LXT_ParseError,
                  "@layer_map takes f, the model, ps and st: @layer_map f model ps st (got %d "
                  "argument%s, line %d)",
                  m->n, m->n == 1 ? "" : "s", m->line);
    lxA_node *args[5] = {m->kids[0], m->kids[1], m->kids[2], m->kids[3], lxL_text(L, arena, m->kids[1])};
    return lxL_call(L, arena, "layer_map", m, 5, args);
}

/* @debug_mode model k = v ...  ->  __debug_mode(model, "model"; k = v, ...) */
static lxA_node *m_debug_mode(lx_State *L, void *arena, lxA_node *m)
{
    if (m->n < 1)
        lxE_error(L, LXT_ParseError,
                  "@debug_mode takes a model and keywords: @debug_mode model nan_check = :both "
                  "(line %d)",
                  m->line);
    lxA_node *args[2] = {m->kids[0], lxL_text(L, arena, m->kids[0])};
    lxA_node *call = lxL_call(L, arena, "__debug_mode", m, 2, args);
    for (int i = 1; i < m->n; i++) {
        lxA_node *a = m->kids[i];
        if (a->kind == AST_KW) {
            lxL_push(L, arena, call, a);
            continue;
        }
        if (a->kind != AST_ASSIGN || a->kids[0]->kind != AST_IDENT) {
            char buf[256];
            lxA_unparse(a, buf, sizeof buf);
            lxE_error(L, LXT_ParseError,
                      "@debug_mode takes keywords after the model (nan_check = :both), got `%s` (line %d)",
                      buf, a->line);
        }
        lxA_node *k = lxL_node(L, arena, AST_KW, a);
        k->name = a->kids[0]->name;
        k->len = a->kids[0]->len;
        lxL_push(L, arena, k, a->kids[1]);
        lxL_push(L, arena, call, k);
    }
    return call;
}

static const lxL_Reg lux_tools_lib[] = {{"__has_nan", "(x)", x_has_nan, ""},
                                        {"__nan_guard", "(x, message)", x_nan_guard, ""},
                                        {NULL, NULL, NULL, NULL}};

static const char layer_map_doc[] =
    "    @layer_map f model ps st\n\n`layer_map(f, model, ps, st, \"model\")` with the paths starting from "
    "the model's variable name as written (Lux 0.5's macro).\n\n## Arguments\n\n  - `f`: called as `f(layer, "
    "ps, st, path)` on every leaf layer, returning `(layer, ps, st)`.\n  - `model`, `ps`, `st`: a layer and "
    "its parameters and states.\n\n## Returns\n\n`(model, ps, st)` rebuilt from what `f` returned (see "
    "`layer_map`).\n\n# Examples\n```\nlx> using Lux, Random, Setfield\n\nlx> c = Parallel(+; "
    "chain=Chain(; dense_1=Dense(2 => 3), bn=BatchNorm(3),\n                                  "
    "dense_2=Dense(3 "
    "=> 5)),\n                 dense_3=Dense(5 => 1));\n\nlx> rng = Random.default_rng();\n\nlx> ps, st = "
    "Lux.setup(rng, c);\n\nlx> function zero_dense_params(l, ps, st, name)\n           if l isa Dense\n      "
    "         println(\"zeroing params of $name\")\n               @set! ps.weight = zero.(ps.weight)\n     "
    "          @set! ps.bias = zero.(ps.bias)\n           end\n           return l, ps, st\n       "
    "end\nzero_dense_params (generic function with 1 method)\n\nlx> Lux.@layer_map zero_dense_params c ps "
    "st;\nzeroing params of c.chain.dense_1\nzeroing params of c.chain.dense_2\nzeroing params of "
    "c.dense_3\n```";

static const char debug_mode_doc[] =
    "    @debug_mode model kw...\n\nThe model with every leaf layer wrapped in a `DebugLayer(layer; location "
    "= "
    "path, kw...)`, the paths those of `layer_map` starting from the model's expression as written "
    "(`model.layer_2.layer_1`). The original model's ps and st work unchanged.\n\n## Arguments\n\n  - "
    "`model`: a layer.\n\n## Keyword arguments\n\n  - `nan_check = :both`, `error_check = true`: passed to "
    "each `DebugLayer`.\n\n## Returns\n\nThe wrapped model: outputs, states and gradients as the model's, "
    "with "
    "each leaf's call logged and checked.\n\n# Examples\n```\nlx> model = Chain(Dense(1 => 2, relu), "
    "Dense(2 => 1));\n\nlx> ps, st = setup(Xoshiro(0), model);\n\nlx> dbg = @debug_mode model nan_check = "
    ":forward;\n\nlx> dbg.layer_2\nDebugLayer(Dense(2 => 1), nan_check=:forward, error_check=true, "
    "location=\"model.layer_2\")  # 3 parameters\n\nlx> try\n           dbg(ones(Float32, 3, 2), ps, "
    "st)\n       catch e\n           e isa DimensionMismatch\n       end\n[ Info: Input Type: "
    "Tensor{Float32, "
    "2} | Input Structure: (3, 2).\n[ Info: Running Layer: Dense(1 => 2, relu) at location model.layer_1!\n"
    "[ Error: Layer Dense(1 => 2, relu) failed!! This layer is present at location model.layer_1.\ntrue\n```";

void lxL_open_lux_tools(lx_State *L)
{
    lxL_register(L, lux_tools_lib);
    lxK_macro_register(L, "layer_map", m_layer_map, layer_map_doc);
    lxK_macro_register(L, "debug_mode", m_debug_mode, debug_mode_doc);
}
