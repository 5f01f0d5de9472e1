/* lux_support.c — what the layer library written in lx (stdlib/lux/) needs
 * from C: abstract types that keep their parameter
 * (`AbstractLuxContainerLayer{(:a, :b)}` names the fields holding layers),
 * and the weight initialisers' draws through nn/init.c.
 */
#include "tensor.h"

#include <math.h>
#include <string.h>

/* __parametric!(T): T{p} makes an abstract subtype of T remembering p (apply_type, base.c). */
static lx_Value x_parametric(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (!lxO_is(a[0], LXO_TYPE) || !lxO_as(lxO_type, a[0])->abstract)
        lxE_typeerror(L, "__parametric!", "an abstract type", a[0]);
    lxO_as(lxO_type, a[0])->extra = lxO_bool(true);
    return a[0];
}

/* __curly!(T, f): T{p...} is f(p...), for a struct whose parameter picks a behaviour
 * (StatefulLuxLayer{false}(model, ps, st)); lx keeps no parameters on concrete types. */
static lx_Value x_curly(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (!lxO_is(a[0], LXO_TYPE) || lxO_as(lxO_type, a[0])->abstract)
        lxE_typeerror(L, "__curly!", "a struct type", a[0]);
    lxO_as(lxO_type, a[0])->curly = a[1];
    return a[0];
}

/* __layer_fields(x): the parameter of x's type's parametric supertype ((:a, :b) or :layer), or nothing. */
static lx_Value x_layer_fields(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_type *t = lxO_is(a[0], LXO_TYPE) ? lxO_as(lxO_type, a[0]) : lxT_typeof(L, a[0]);
    return t->extra.tag == LX_TBOOL ? lxO_nothing() : t->extra;
}

static const struct {
    const char *name;
    nn_init_kind kind;
} init_kinds[] = {
    {"zeros", NN_INIT_ZEROS},
    {"ones", NN_INIT_ONES},
    {"glorot_uniform", NN_INIT_GLOROT_UNIFORM},
    {"glorot_normal", NN_INIT_GLOROT_NORMAL},
    {"kaiming_uniform", NN_INIT_KAIMING_UNIFORM},
    {"kaiming_normal", NN_INIT_KAIMING_NORMAL},
    {"truncated_normal", NN_INIT_TRUNCATED_NORMAL},
    {"orthogonal", NN_INIT_ORTHOGONAL},
};

static double num_arg(lx_State *L, lx_Value v, nn_init_kind k, double def, const char *what)
{
    if (v.tag == LX_TNOTHING) return def;
    if (v.tag == LX_TINT) return (double)v.v.i;
    if (v.tag == LX_TFLOAT64) return v.v.d;
    if (v.tag == LX_TFLOAT32) return v.v.f;
    lxE_error(L, LXT_TypeError, "%s: %s must be a real number, got a value of type %s", nn_init_name(k), what,
              lxT_name(lxT_typeof(L, v)));
}

/* __init(kind::Symbol, rng, T, dims::Tuple, gain, mean, std, lo, hi): one draw of an
 * initialiser (nothing: its default). */
static lx_Value x_init(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (a[0].tag != LX_TSYMBOL) lxE_typeerror(L, "__init", "a Symbol", a[0]);
    const char *name = ((lxO_string *)a[0].v.o)->data;
    int k = -1;
    for (size_t i = 0; i < sizeof init_kinds / sizeof *init_kinds; i++)
        if (!strcmp(init_kinds[i].name, name)) k = (int)i;
    if (k < 0) lxE_error(L, LXT_ArgumentError, "__init: no initialiser named %s", name);
    nn_init_kind kind = init_kinds[k].kind;
    nn_rng *r = lxL_checkrng(L, a[1], nn_init_name(kind));
    nn_dtype dt;
    if (!lxL_dtype_of(L, a[2], &dt) || !nn_dtype_is_float(dt))
        lxE_error(L, LXT_ArgumentError, "%s: the element type must be Float32 or Float64, got %s",
                  nn_init_name(kind), lxT_name(lxT_typeof(L, a[2])));
    int64_t shape[NN_MAX_DIMS];
    int nd = lxL_shape(L, &a[3], 1, shape, nn_init_name(kind));
    nn_init_opts o;
    nn_init_defaults(kind, &o);
    o.gain = num_arg(L, a[4], kind, o.gain, "gain");
    o.mean = num_arg(L, a[5], kind, o.mean, "mean");
    o.std = num_arg(L, a[6], kind, o.std, "std");
    o.lo = num_arg(L, a[7], kind, o.lo, "lo");
    o.hi = num_arg(L, a[8], kind, o.hi, "hi");
    nn_tensor *out;
    nn_status s = nn_init(L->nn, &out, r, kind, &o, dt, nd, shape);
    return lxL_result(L, s, &out);
}

/* ---- Dense's forward ---------------------------------------------------------------------------- */

/* x as a float tensor of dtype dt (a new reference, converted when it differs). */
static nn_tensor *as_dtype(lx_State *L, nn_tensor *x, nn_dtype dt, lx_Value *hold)
{
    if (x->dtype == dt) return nn_retain(x);
    nn_tensor *c;
    *hold = lxL_result(L, nn_convert(L->nn, &c, x, dt), &c); /* the wrapper owns c; raises on failure */
    return nn_retain(c);
}

/* __dense_layer(act, W, x, b): Dense's act.(W * x .+ b) for x of size (in, d...) (a vector gives a vector;
 * more dims are flattened into the batch and restored), b a vector or nothing; one fused nn_dense node when
 * act is an nn activation, else act broadcast over the product. Mixed float types promote, integer inputs
 * compute in the weight's type. */
static lx_Value x_dense(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    nn_tensor *w = lxL_checktensor(L, a, 1, "Dense"), *x0 = lxL_checktensor(L, a, 2, "Dense");
    nn_tensor *b = a[3].tag == LX_TNOTHING ? NULL : lxL_checktensor(L, a, 3, "Dense");
    char ws[160], xs[160];
    if (w->ndim != 2)
        lxE_error(L, LXT_DimensionMismatch, "Dense: the weight must be a matrix, got size %s",
                  nn_shape_str(ws, sizeof ws, w->ndim, w->shape));
    if (x0->ndim == 0 || x0->shape[0] != w->shape[1])
        lxE_error(
            L, LXT_DimensionMismatch,
            "Dense(%lld => %lld): expected an input of size (%lld, …) (features first, batch last), got %s",
            (long long)w->shape[1], (long long)w->shape[0], (long long)w->shape[1],
            nn_shape_str(xs, sizeof xs, x0->ndim, x0->shape));
    if (b && (b->ndim != 1 || b->shape[0] != w->shape[0]))
        lxE_error(L, LXT_DimensionMismatch, "Dense: the bias must have size (%lld,), got %s",
                  (long long)w->shape[0], nn_shape_str(ws, sizeof ws, b->ndim, b->shape));
    nn_dtype dt = nn_dtype_is_float(x0->dtype) && nn_dtype_size(x0->dtype) > nn_dtype_size(w->dtype)
                      ? x0->dtype
                      : w->dtype;
    if (!nn_dtype_is_float(dt)) dt = NN_F32;
    lx_Value hold[3] = {lxO_nothing(), lxO_nothing(), lxO_nothing()};
    int mark = lxV_root(L, hold[0]);
    nn_tensor *wc = as_dtype(L, w, dt, &hold[0]);
    lxV_root(L, hold[0]);
    nn_tensor *bc = b ? as_dtype(L, b, dt, &hold[1]) : NULL;
    lxV_root(L, hold[1]);
    nn_tensor *xc = as_dtype(L, x0, dt, &hold[2]);
    lxV_root(L, hold[2]);
    int64_t in = x0->shape[0], batch = in ? x0->numel / in : 0;
    int64_t s2[2] = {in, batch};
    nn_tensor *x2 = NULL, *y = NULL, *yr = NULL;
    nn_unary_op act;
    bool fused = lxL_actop(L, a[0], &act);
    nn_status st = nn_reshape(L->nn, &x2, xc, 2, s2);
    if (!st) st = nn_dense(L->nn, &y, wc, x2, bc, fused ? act : NN_IDENTITY);
    if (!st) {
        int64_t shape[NN_MAX_DIMS];
        shape[0] = w->shape[0];
        for (int i = 1; i < x0->ndim; i++)
            shape[i] = x0->shape[i];
        st = nn_reshape(L->nn, &yr, y, x0->ndim, shape);
    }
    nn_release(x2);
    nn_release(y);
    nn_release(wc);
    nn_release(bc);
    nn_release(xc);
    lx_Value r = lxL_result(L, st, &yr);
    if (!fused) {
        lxV_root(L, r);
        lx_Value app[2] = {a[0], r};
        r = lxL_callg(L, "broadcast", app, 2);
    }
    lxV_unroot(L, mark);
    return r;
}

/* ---- @compact ----------------------------------------------------------------------------------- */

/* The body's statements as source text, one per line, loops and ifs with their bodies indented
 * (the display prints it). */
static void source_lines(lxW_buf *b, const lxA_node *n, int indent)
{
    char line[2048];
    if (n->kind == AST_BLOCK) {
        for (int i = 0; i < n->n; i++)
            source_lines(b, n->kids[i], indent);
        return;
    }
    if (b->len) lxW_puts(b, "\n");
    lxW_printf(b, "%*s", indent, "");
    if (n->kind == AST_FOR || n->kind == AST_WHILE) {
        lxW_puts(b, n->kind == AST_FOR ? "for " : "while ");
        const lxA_node *h = n->kids[0];
        for (int i = 0; n->kind == AST_FOR && i < h->n; i++) {
            const lxA_node *it = h->kids[i];
            if (it->kind == AST_ITER && it->n == 2) {
                char coll[1024];
                lxA_unparse(it->kids[0], line, sizeof line);
                lxA_unparse(it->kids[1], coll, sizeof coll);
                lxW_printf(b, "%s%s in %s", i ? ", " : "", line, coll);
            } else {
                lxA_unparse(it, line, sizeof line);
                lxW_printf(b, "%s%s", i ? ", " : "", line);
            }
        }
        if (n->kind == AST_WHILE) {
            lxA_unparse(h, line, sizeof line);
            lxW_puts(b, line);
        }
        source_lines(b, n->kids[1], indent + 4);
        lxW_printf(b, "\n%*send", indent, "");
        return;
    }
    if (n->kind == AST_IF) {
        lxA_unparse(n->kids[0], line, sizeof line);
        lxW_printf(b, "if %s", line);
        source_lines(b, n->kids[1], indent + 4);
        if (n->n > 2 && n->kids[2]) {
            lxW_printf(b, "\n%*selse", indent, "");
            source_lines(b, n->kids[2], indent + 4);
        }
        lxW_printf(b, "\n%*send", indent, "");
        return;
    }
    lxA_unparse(n, line, sizeof line);
    lxW_puts(b, line);
}

static lxA_node *body_text(lx_State *L, void *arena, const lxA_node *body)
{
    lxW_buf b;
    lxW_init(L, &b);
    source_lines(&b, body, 0);
    lxA_node *s = lxL_strlit(L, arena, b.s ? b.s : "", body);
    lxW_free(&b);
    return s;
}

/* @compact(k1 = v1, ...; name = ...) do x [, p] ... end  ->
 * __compact((x [, p], k1, ...) -> body, (:k1, ...), (v1, ...), "body", nparams, name):
 * the keywords become the closure's parameters, bound at each call to the sub-layer (as a
 * StatefulLuxLayer), the parameter array or the constant of that name (stdlib/lux/compact.lx). */
static lxA_node *m_compact(lx_State *L, void *arena, lxA_node *m)
{
    if (m->n < 1 || m->kids[0]->kind != AST_LAMBDA)
        lxE_error(L, LXT_ParseError,
                  "@compact needs a do block: @compact(w = Dense(2 => 3)) do x ... end (line %d)", m->line);
    lxA_node *lam = m->kids[0], *params = lam->kids[0];
    if (params->n < 1 || params->n > 2)
        lxE_error(L, LXT_ParseError, "@compact's do block takes x or (x, ps), got %d arguments (line %d)",
                  params->n, m->line);
    lxA_node *nl = lxL_node(L, arena, AST_LAMBDA, lam), *np = lxL_node(L, arena, AST_TUPLE, params);
    lxA_node *names = lxL_node(L, arena, AST_TUPLE, m), *vals = lxL_node(L, arena, AST_TUPLE, m);
    lxA_node *name = lxL_node(L, arena, AST_NOTHING, m);
    for (int i = 0; i < params->n; i++)
        lxL_push(L, arena, np, params->kids[i]);
    for (int i = 1; i < m->n; i++) {
        lxA_node *a = m->kids[i];
        if (a->kind != AST_KW)
            lxE_error(L, LXT_ParseError,
                      "@compact takes keyword arguments (w = Dense(2 => 3)), got `%s` (line %d)",
                      a->name ? a->name : "an expression", a->line);
        if (!strcmp(a->name, "name")) {
            name = a->kids[0];
            continue;
        }
        if (!strcmp(a->name, "dispatch")) continue; /* CompactLuxLayer{dispatch}: one type in lx */
        lxA_node *sym = lxL_node(L, arena, AST_SYMBOL, a);
        sym->name = a->name;
        sym->len = strlen(a->name);
        lxL_push(L, arena, names, sym);
        lxL_push(L, arena, vals, a->kids[0]);
        lxL_push(L, arena, np, lxL_ident(L, arena, a->name, a));
    }
    lxL_push(L, arena, nl, np);
    lxL_push(L, arena, nl, lam->kids[1]);
    lxA_node *nparams = lxL_node(L, arena, AST_INT, m);
    nparams->v.i = params->n;
    lxA_node *args[6] = {nl, names, vals, body_text(L, arena, lam->kids[1]), nparams, name};
    return lxL_call(L, arena, "__compact", m, 6, args);
}

/* @return y inside @compact's block: return y. */
static lxA_node *m_return(lx_State *L, void *arena, lxA_node *m)
{
    lxA_node *r = lxL_node(L, arena, AST_RETURN, m);
    if (m->n > 1) lxE_error(L, LXT_ParseError, "@return takes one value (line %d)", m->line);
    if (m->n) lxL_push(L, arena, r, m->kids[0]);
    return r;
}

static const lxL_Reg lux_support_lib[] = {
    {"__parametric!", "(T)", x_parametric, ""},
    {"__curly!", "(T, f)", x_curly, ""},
    {"__layer_fields", "(x)", x_layer_fields, ""},
    {"__init", "(kind, rng, T, dims, gain, mean, std, lo, hi)", x_init, ""},
    {"__dense_layer", "(act, W, x, b)", x_dense, ""},
    {NULL, NULL, NULL, NULL}};

void lxL_open_lux_support(lx_State *L)
{
    lxL_register(L, lux_support_lib);
    lxK_macro_register(
        L, "compact", m_compact,
        "    @compact(kw...) do x\n        ...\n        @return y\n    end\n\nLux's quick way to write a "
        "model: "
        "keyword arguments that are layers become sub-layers (their parameters and states under their "
        "names), tensors become trainable parameters (`ps.w`), anything else a constant kept in the state. "
        "Inside the block each sub-layer is called like a function (`w1(x)`), a parameter is its array, and "
        "`@return y` gives the output; `do x, p` also passes the parameters. `name = \"…\"` names the model "
        "in its display.\n\n"
        "# Arguments\n"
        "- `kw...`: `key = value` pairs. A layer, or a named tuple or List of layers, becomes a sub-layer "
        "(its parameters and states under `key`); a Float32 or Float64 tensor a trainable parameter (copied "
        "into `ps.key` by `setup`); any other value a constant kept in `st.key`.\n"
        "- the do block: the forward pass, taking the input `x` (and, with `do x, p`, the parameters `p`); "
        "the keys are bound in it.\n\n"
        "# Keyword Arguments\n"
        "- `name = nothing`: the text the model is displayed as.\n\n"
        "# Returns\n"
        "A `CompactLuxLayer`. Applying it, `model(x, ps, st)`, gives `(y, st_new)`: `y` the value of "
        "`@return` (or of the block's last expression), `st_new` the sub-layers' new states and the "
        "constants.\n\n# Examples\n```\nlx> model = @compact(w1 = Dense(2 => 3, relu), w2 = Dense(3 "
        "=> 1)) do x\n           @return w2(w1(x))\n       end;\n\nlx> ps, st = setup(Xoshiro(0), "
        "model);\n\nlx> size(first(model(ones(Float32, 2, 4), ps, st)))\n(1, 4)\n```");
    lxK_macro_register(
        L, "return", m_return,
        "    @return y\n\nReturns y from the block of `@compact`.\n\n"
        "# Arguments\n- `y`: one expression, the block's result (more than one is a "
        "ParseError; none returns `nothing`).\n\n"
        "# Returns\nNothing to its own caller: the expansion is `return y`, which ends the block "
        "with `y` as the layer's output.\n\n# Examples\n```\nlx> m = "
        "@compact(a = 2) do x\n           @return a * x\n       end;\n\nlx> first(m(3, "
        "setup(Xoshiro(0), m)...))\n6\n```");
}
