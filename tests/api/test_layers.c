/* test_layers.c — layer types written in C (lx_registerlayer): registration and its errors (before
 * and after the layers library loaded), the constructor from the signature, setup, apply, display
 * and help; gradient through a layer with a backward callback against finite differences and
 * against the same computation as an lx Dense (alone and inside a Chain); a layer without backward
 * whose lx calls are differentiated; training lowering the loss; the errors each callback can
 * raise or cause, with the state usable after each; every byte back at lx_close.
 */
#include "host.h"

/* ---- HostDense(in_dims::Integer, out_dims::Integer; scale = 1.0): y = scale (W x .+ b) in C ---- */

/* Elements of a Float32 or Float64 tensor as doubles. */
static double at(const lx_Tensor *t, int64_t i)
{
    return t->dtype == LX_FLOAT64 ? ((const double *)t->data)[i] : ((const float *)t->data)[i];
}

static void put(const lx_Tensor *t, int64_t i, double v)
{
    if (t->dtype == LX_FLOAT64)
        ((double *)t->data)[i] = v;
    else
        ((float *)t->data)[i] = (float)v;
}

static int64_t field_int(lx_State *L, const char *name)
{
    lx_getfield(L, 1, name);
    int64_t n = lx_toint(L, -1, NULL);
    lx_pop(L, 1);
    return n;
}

/* init: weight = glorot_uniform(rng, out, in) (drawn by lx), bias = zeros */
static int hd_init(lx_State *L, void *ud)
{
    (void)ud;
    int64_t in = field_int(L, "in_dims"), out = field_int(L, "out_dims");
    lx_getglobal(L, "glorot_uniform");
    lx_pushvalue(L, 2);
    lx_pushint(L, out);
    lx_pushint(L, in);
    if (lx_call(L, 3) != LX_OK) return lx_error(L, NULL, "%s", lx_errmsg(L));
    lx_pushtensor(L, LX_FLOAT32, 1, &out, NULL);
    const char *names[2] = {"weight", "bias"};
    lx_makenamedtuple(L, 2, names);
    return 0;
}

/* W, b, x and scale from the stack (ps at 3, x at 2); a DimensionMismatch for an x that does not fit */
typedef struct {
    lx_Tensor w, b, x;
    double scale;
    int64_t in, out, batch;
} hd_args;

static int hd_read(lx_State *L, hd_args *a)
{
    lx_getfield(L, 3, "weight");
    lx_totensor(L, -1, &a->w);
    lx_getfield(L, 3, "bias");
    lx_totensor(L, -1, &a->b);
    lx_getfield(L, 1, "scale");
    a->scale = lx_tonumber(L, -1, NULL);
    a->out = a->w.shape[0];
    a->in = a->w.shape[1];
    if (!lx_totensor(L, 2, &a->x) || a->x.ndim != 2 || a->x.shape[0] != a->in ||
        (a->x.dtype != LX_FLOAT32 && a->x.dtype != LX_FLOAT64))
        return lx_error(L, "DimensionMismatch", "HostDense wants a float matrix of %lld rows, got a %s",
                        (long long)a->in, lx_typename(L, 2));
    a->batch = a->x.shape[1];
    return 0;
}

static int hd_apply(lx_State *L, void *ud)
{
    (void)ud;
    hd_args a;
    hd_read(L, &a);
    int64_t shape[2] = {a.out, a.batch};
    lx_pushtensor(L, a.w.dtype, 2, shape, NULL);
    lx_Tensor y;
    lx_totensor(L, -1, &y);
    for (int64_t j = 0; j < a.batch; j++)
        for (int64_t i = 0; i < a.out; i++) {
            double s = at(&a.b, i);
            for (int64_t k = 0; k < a.in; k++)
                s += at(&a.w, i + a.out * k) * at(&a.x, k + a.in * j);
            put(&y, i + a.out * j, a.scale * s);
        }
    return 0;
}

/* dx = scale W' dy, dW = scale dy x', db = scale sum(dy, dims = 2) */
static int hd_backward(lx_State *L, void *ud)
{
    (void)ud;
    hd_args a;
    hd_read(L, &a);
    lx_Tensor dy, dx, dw, db;
    lx_totensor(L, 5, &dy);
    lx_pushtensor(L, a.x.dtype, 2, a.x.shape, NULL);
    lx_totensor(L, -1, &dx);
    lx_pushtensor(L, a.w.dtype, 2, a.w.shape, NULL);
    lx_totensor(L, -1, &dw);
    lx_pushtensor(L, a.b.dtype, 1, a.b.shape, NULL);
    lx_totensor(L, -1, &db);
    for (int64_t j = 0; j < a.batch; j++)
        for (int64_t i = 0; i < a.out; i++) {
            double g = a.scale * at(&dy, i + a.out * j);
            put(&db, i, at(&db, i) + g);
            for (int64_t k = 0; k < a.in; k++) {
                put(&dw, i + a.out * k, at(&dw, i + a.out * k) + g * at(&a.x, k + a.in * j));
                put(&dx, k + a.in * j, at(&dx, k + a.in * j) + g * at(&a.w, i + a.out * k));
            }
        }
    const char *names[2] = {"weight", "bias"};
    lx_makenamedtuple(L, 2, names);
    return 0;
}

static const char hd_doc[] = "    HostDense(in_dims, out_dims; scale = 1.0)\n\nA dense layer computed in C.";

static lx_Layer hostdense(void)
{
    lx_Layer d = {"HostDense", "(in_dims::Integer, out_dims::Integer; scale = 1.0)",
                  hd_doc,      hd_init,
                  NULL,        hd_apply,
                  hd_backward, NULL};
    return d;
}

/* ---- LxLinear(W): y = tanh.(W * x) through lx calls, no backward ---- */

static int lin_init(lx_State *L, void *ud)
{
    (void)ud;
    lx_getfield(L, 1, "w0"); /* the initial weight, a field */
    lx_getglobal(L, "copy");
    lx_pushvalue(L, -2);
    if (lx_call(L, 1) != LX_OK) return lx_error(L, NULL, "%s", lx_errmsg(L));
    const char *names[1] = {"weight"};
    lx_makenamedtuple(L, 1, names);
    return 0;
}

static int call_or_raise(lx_State *L, int nargs)
{
    if (lx_call(L, nargs) != LX_OK) return lx_error(L, NULL, "%s", lx_errmsg(L));
    return 0;
}

static int lin_apply(lx_State *L, void *ud)
{
    (void)ud;
    lx_getglobal(L, "broadcast");
    lx_getglobal(L, "tanh");
    lx_getglobal(L, "*");
    lx_getfield(L, 3, "weight");
    lx_pushvalue(L, 2);
    call_or_raise(L, 2);        /* W * x */
    return call_or_raise(L, 2); /* broadcast(tanh, W * x) */
}

/* ---- Faulty(mode::Integer): callbacks that go wrong in the way `mode` names ---- */

enum {
    F_OK,
    F_INIT_RAISES,
    F_STATES_RAISES,
    F_APPLY_RAISES,
    F_BACKWARD_RAISES,
    F_APPLY_PUSHES_NOTHING,
    F_INIT_NOT_TUPLE,
    F_INIT_NOT_TENSORS,
    F_APPLY_RETURNS_1,
    F_BACKWARD_BAD_SHAPE,
    F_BACKWARD_MISSING,
    F_BACKWARD_EXTRA,
    F_BACKWARD_ONE_VALUE,
    F_BACKWARD_NOTHING,
    F_APPLY_INT,
    F_BACKWARD_KEYERROR
};

static int64_t mode_of(lx_State *L)
{
    return field_int(L, "mode");
}

static int f_init(lx_State *L, void *ud)
{
    (void)ud;
    int64_t m = mode_of(L);
    if (m == F_INIT_RAISES) return lx_error(L, "ArgumentError", "no weights today");
    if (m == F_INIT_NOT_TUPLE) return lx_pushint(L, 3), 0;
    if (m == F_INIT_NOT_TENSORS) {
        lx_pushint(L, 3);
        const char *names[1] = {"w"};
        lx_makenamedtuple(L, 1, names);
        return 0;
    }
    int64_t two = 2;
    double ones[2] = {1, 1};
    lx_pushtensor(L, LX_FLOAT64, 1, &two, ones);
    const char *names[1] = {"w"};
    lx_makenamedtuple(L, 1, names);
    return 0;
}

static int f_states(lx_State *L, void *ud)
{
    (void)ud;
    if (mode_of(L) == F_STATES_RAISES) return lx_error(L, "DomainError", "no states either");
    lx_pushint(L, 7);
    const char *names[1] = {"count"};
    lx_makenamedtuple(L, 1, names);
    return 0;
}

/* y = w .* x (elementwise, 2 elements) */
static int f_apply(lx_State *L, void *ud)
{
    (void)ud;
    int64_t m = mode_of(L);
    if (m == F_APPLY_RAISES) return lx_error(L, "DimensionMismatch", "x has the wrong size");
    if (m == F_APPLY_PUSHES_NOTHING) return 0;
    if (m == F_APPLY_INT) return lx_pushint(L, 1), 0;
    lx_Tensor w, x, y;
    lx_getfield(L, 3, "w");
    lx_totensor(L, -1, &w);
    lx_totensor(L, 2, &x);
    lx_pushtensor(L, LX_FLOAT64, 1, x.shape, NULL);
    lx_totensor(L, -1, &y);
    for (int i = 0; i < 2; i++)
        ((double *)y.data)[i] = ((double *)w.data)[i] * ((double *)x.data)[i];
    return m == F_APPLY_RETURNS_1 ? 1 : 0;
}

static int f_backward(lx_State *L, void *ud)
{
    (void)ud;
    int64_t m = mode_of(L);
    if (m == F_BACKWARD_RAISES) return lx_error(L, "ArgumentError", "cannot go back");
    if (m == F_BACKWARD_KEYERROR) return lx_error(L, "KeyError", "missing");
    lx_Tensor w, x, dy, dx, dw;
    lx_getfield(L, 3, "w");
    lx_totensor(L, -1, &w);
    lx_totensor(L, 2, &x);
    lx_totensor(L, 5, &dy);
    int64_t n = m == F_BACKWARD_BAD_SHAPE ? 3 : 2;
    lx_pushtensor(L, LX_FLOAT64, 1, &n, NULL);
    lx_totensor(L, -1, &dx);
    if (m == F_BACKWARD_ONE_VALUE) return 0;
    lx_pushtensor(L, LX_FLOAT64, 1, x.shape, NULL);
    lx_totensor(L, -1, &dw);
    for (int i = 0; i < 2; i++) {
        ((double *)dw.data)[i] = ((double *)dy.data)[i] * ((double *)x.data)[i];
        if (i < n) ((double *)dx.data)[i] = ((double *)dy.data)[i] * ((double *)w.data)[i];
    }
    if (m == F_BACKWARD_NOTHING) {
        lx_pop(L, 1);
        lx_pushnothing(L);
        return 0;
    }
    const char *names[2] = {m == F_BACKWARD_MISSING ? "v" : "w", "extra"};
    if (m == F_BACKWARD_EXTRA) lx_pushint(L, 0);
    lx_makenamedtuple(L, m == F_BACKWARD_EXTRA ? 2 : 1, names);
    return 0;
}

static lx_Layer faulty(void)
{
    lx_Layer d = {"Faulty", "(mode::Integer)", NULL, f_init, f_states, f_apply, f_backward, NULL};
    return d;
}

/* ---- the tests ---- */

static lx_Status reg(lx_State *L, const char *name, const char *sig, int with_apply)
{
    lx_Layer d = hostdense();
    d.name = name;
    d.sig = sig;
    if (!with_apply) d.apply = NULL;
    return lx_registerlayer(L, &d);
}

static void test_registration_errors(void)
{
    lx_State *L = host_open(0);
    lx_Layer d = hostdense();
    host_fails(L, lx_registerlayer(L, NULL), LX_ERRRUN, "a NULL layer", "ArgumentError", "no layer given",
               NULL);
    host_fails(L, reg(L, NULL, "()", 1), LX_ERRRUN, "a NULL name", "(NULL)", "not a name", NULL);
    host_fails(L, reg(L, "3D", "()", 1), LX_ERRRUN, "a name starting with a digit", "\"3D\" is not a name",
               NULL);
    host_fails(L, reg(L, "Host Dense", "()", 1), LX_ERRRUN, "a name with a blank", "\"Host Dense\"", NULL);
    host_fails(L, reg(L, "X; rm()", "()", 1), LX_ERRRUN, "a name with code in it", "not a name", NULL);
    host_fails(L, reg(L, "", "()", 1), LX_ERRRUN, "an empty name", "\"\" is not a name", NULL);
    host_fails(L, reg(L, "Dense", "()", 1), LX_ERRRUN, "a built-in layer type's name",
               "`Dense` is already defined (a type)", NULL);
    host_fails(L, reg(L, "Float32", "()", 1), LX_ERRRUN, "a built-in type's name",
               "`Float32` is already defined", NULL);
    host_fails(L, reg(L, "sum", "()", 1), LX_ERRRUN, "a function's name", "`sum` is already defined", NULL);
    host_fails(L, reg(L, "NoApply", "()", 0), LX_ERRRUN, "no apply callback", "NoApply has no apply callback",
               NULL);
    host_fails(L, reg(L, "Bad1", "(in_dims::Integer", 1), LX_ERRRUN, "a signature that does not parse",
               "Bad1's signature does not parse", NULL);
    host_fails(L, reg(L, "Bad2", "in, out", 1), LX_ERRRUN, "a signature without parentheses",
               "Bad2's signature \"in, out\" is not one parameter list", NULL);
    host_fails(L, reg(L, "Bad3", "(x) = 1; evil(y)", 1), LX_ERRRUN, "a signature with code after it",
               "is not one parameter list", NULL);
    host_fails(L, reg(L, "Bad4", "(a, b; a = 1)", 1), LX_ERRRUN, "a name given twice", "names `a` twice",
               NULL);
    host_fails(L, reg(L, "Bad5", "(xs...)", 1), LX_ERRRUN, "a splat", "has a splat (xs...)", NULL);
    host_fails(L, reg(L, "Bad6", "((a, b),)", 1), LX_ERRRUN, "a destructured parameter", "destructures",
               NULL);
    host_fails(L, reg(L, "Bad7", "(x::NoSuchType)", 1), LX_ERRRUN, "an unknown type",
               "parameter x is declared ::NoSuchType, which is not a type", NULL);
    host_fails(L, reg(L, "Bad8", "(x::sum)", 1), LX_ERRRUN, "a function as a type",
               "::sum, which is not a type", NULL);
    host_fails(L, reg(L, "Bad9", "(new)", 1), LX_ERRRUN, "a parameter named new", "`new`", NULL);
    char longsig[2100];
    memset(longsig, 'a', sizeof longsig - 1);
    longsig[sizeof longsig - 1] = '\0';
    host_fails(L, reg(L, "Bad10", longsig, 1), LX_ERRRUN, "a signature too long", "2099 bytes long", NULL);
    tap_ok(lx_gettop(L) == 0, "the stack is empty after the failed registrations");
    tap_ok(host_run(L, "x = 1 + 1; @assert x == 2") == LX_OK, "the state runs code after them");
    tap_ok(lx_registerlayer(L, &d) == LX_OK, "then HostDense registers");
    host_fails(L, lx_registerlayer(L, &d), LX_ERRRUN, "registering the same name twice",
               "`HostDense` is already defined (a type)", NULL);
    host_close(L, "registration errors");
}

/* Registering before anything loaded the layers library, and after. */
static void test_deferred(void)
{
    lx_State *L = host_open(0);
    lx_Layer d = hostdense();
    tap_ok(lx_registerlayer(L, &d) == LX_OK, "registering before the layers library loaded");
    tap_ok(host_run(L, "@assert HostDense(2, 3) isa AbstractLuxLayer; @assert supertype(HostDense) === "
                       "AbstractLuxLayer") == LX_OK,
           "the type is an AbstractLuxLayer");
    host_close(L, "registered before the library");

    L = host_open(0);
    tap_ok(host_run(L, "m = Dense(2 => 3)") == LX_OK, "a state that used the layers library");
    tap_ok(lx_registerlayer(L, &d) == LX_OK, "registering after it loaded");
    tap_ok(host_run(L, "@assert HostDense(2, 3) isa AbstractLuxLayer") == LX_OK, "the same type");
    host_close(L, "registered after the library");
}

static void test_type(void)
{
    lx_State *L = host_open(0);
    lx_Layer d = hostdense();
    lx_registerlayer(L, &d);
    tap_ok(host_run(L, "l = HostDense(2, 3); @assert l.in_dims == 2 && l.out_dims == 3 && l.scale == 1.0; "
                       "@assert fieldnames(HostDense) == (:in_dims, :out_dims, :scale)") == LX_OK,
           "the constructor's parameters are the fields, with the keyword's default");
    tap_ok(host_run(L, "@assert HostDense(2, 3; scale = 0.5).scale == 0.5") == LX_OK, "a keyword");
    tap_ok(host_run(L, "@assert sprint(show, HostDense(2, 3; scale = 2)) == \"HostDense(2, 3, 2)\"") == LX_OK,
           "shown with its field values");
    host_fails(L, lx_dostring(L, "HostDense(2.5, 3)", 17, "test"), LX_ERRRUN,
               "a Float where the sig says Integer", "MethodError", NULL);
    host_fails(L, lx_dostring(L, "HostDense(2)", 12, "test"), LX_ERRRUN, "too few arguments", "MethodError",
               NULL);
    host_fails(L, lx_dostring(L, "HostDense(2, 3; bias = false)", 29, "test"), LX_ERRRUN,
               "an unknown keyword", "bias", NULL);
    tap_ok(lx_getglobal(L, "l") == LX_OK && lx_type(L, -1) == LX_VFUNCTION &&
               !strcmp(lx_typename(L, -1), "HostDense"),
           "lx_type of a layer is LX_VFUNCTION, its type name HostDense");
    lx_settop(L, 0);
    host_out_clear();
    tap_ok(lx_help(L, "HostDense", 9) == LX_OK && strstr(host_out.s, "A dense layer computed in C"),
           "?HostDense shows the docstring");
    tap_ok(host_run(L,
                    "ps, st = setup(Xoshiro(0), l); @assert keys(ps) == (:weight, :bias); "
                    "@assert size(ps.weight) == (3, 2) && size(ps.bias) == (3,); @assert st == NamedTuple(); "
                    "@assert parameterlength(l) == 9 && statelength(l) == 0") == LX_OK,
           "setup: the init callback's parameters, no states, the counts");
    /* glorot_uniform drawn through lx from the same generator: the same numbers as lx's own call */
    tap_ok(host_run(L, "@assert ps.weight == glorot_uniform(Xoshiro(0), 3, 2)") == LX_OK,
           "the weight drawn from the rng setup passed");
    host_out_clear();
    tap_ok(host_run(L, "display(Chain(HostDense(2, 3), Dense(3 => 1)))") == LX_OK &&
               !strcmp(host_out.s, "Chain(\n"
                                   "    layer_1 = HostDense(2, 3, 1.0),               # 9 parameters\n"
                                   "    layer_2 = Dense(3 => 1),                      # 4 parameters\n"
                                   ")         # Total: 13 parameters,\n"
                                   "          #        plus 0 states.\n"),
           "a Chain's display counts its parameters");
    if (!strstr(host_out.s, "HostDense(2, 3, 1.0),")) tap_diag("got:\n%s", host_out.s);
    host_close(L, "the type");
}

/* lx code: the finite differences of f at every element of the tensors in the named tuple p (Float64,
 * central, step 1e-6), as a named tuple like p. */
static const char fd_src[] =
    "function fdgrad(f, p)\n"
    "    map(p) do t\n"
    "        g = zeros(size(t))\n"
    "        for i in 1:length(t)\n"
    "            v = t[i]\n"
    "            t[i] = v + 1e-6; a = f(p)\n"
    "            t[i] = v - 1e-6; b = f(p)\n"
    "            t[i] = v\n"
    "            g[i] = (a - b) / 2e-6\n"
    "        end\n"
    "        g\n"
    "    end\n"
    "end\n"
    "close(a, b) = all(k -> isapprox(a[k], b[k]; rtol = 1e-5, atol = 1e-7), keys(a))\n";

static void test_gradient(void)
{
    lx_State *L = host_open(0);
    lx_Layer d = hostdense();
    lx_registerlayer(L, &d);
    tap_ok(host_run(L, fd_src) == LX_OK, "the finite-difference helper");
    tap_ok(host_run(L, "h = HostDense(3, 2); ps, st = setup(Xoshiro(1), h); ps = f64(ps); "
                       "ps = (weight = ps.weight, bias = Float64[0.1, -0.2]); "
                       "x = Float64[0.5 -1.0 2.0 0.25; 1.5 0.3 -0.7 1.0; -0.4 0.8 0.6 -1.2]; "
                       "d = Dense(3 => 2); y = first(h(x, ps, st))") == LX_OK,
           "a HostDense in Float64");
    tap_ok(host_run(L, "@assert y ≈ first(d(x, ps, NamedTuple()))") == LX_OK,
           "its output equals an lx Dense's with the same parameters");
    tap_ok(host_run(L, "loss(p) = sum(abs2, first(h(x, p, st))); g = gradient(loss, ps)[1]; "
                       "@assert keys(g) == (:weight, :bias) && close(g, fdgrad(loss, ps))") == LX_OK,
           "gradient(ps -> sum(abs2, first(model(x, ps, st))), ps) matches finite differences");
    tap_ok(host_run(L, "gd = gradient(p -> sum(abs2, first(d(x, p, NamedTuple()))), ps)[1]; "
                       "@assert g.weight ≈ gd.weight && g.bias ≈ gd.bias") == LX_OK,
           "and the gradient of the same lx Dense");
    tap_ok(
        host_run(L,
                 "gx = gradient(z -> sum(abs2, first(h(z, ps, st))), x)[1]; "
                 "@assert close((x = gx,), fdgrad(p -> sum(abs2, first(h(p.x, ps, st))), (x = copy(x),)))") ==
            LX_OK,
        "the gradient with respect to x matches finite differences");
    tap_ok(host_run(L, "hs = HostDense(3, 2; scale = 0.5); "
                       "gs = gradient(p -> sum(abs2, first(hs(x, p, st))), ps)[1]; "
                       "gds = gradient(p -> sum(abs2, 0.5 .* first(d(x, p, NamedTuple()))), ps)[1]; "
                       "@assert gs.weight ≈ gds.weight && gs.bias ≈ gds.bias") == LX_OK,
           "the scale keyword reaches apply and backward");
    /* inside a Chain with lx layers on both sides, against the all-lx Chain */
    tap_ok(
        host_run(L,
                 "c1 = Chain(Dense(3 => 4, tanh), HostDense(4, 2), Dense(2 => 1)); "
                 "c2 = Chain(Dense(3 => 4, tanh), Dense(4 => 2), Dense(2 => 1)); "
                 "pc, sc = setup(Xoshiro(3), c1); pc = f64(pc); "
                 "l1(p) = sum(abs2, first(c1(x, p, sc))); l2(p) = sum(abs2, first(c2(x, p, sc))); "
                 "@assert l1(pc) ≈ l2(pc); gc1 = gradient(l1, pc)[1]; gc2 = gradient(l2, pc)[1]; "
                 "@assert all(k -> gc1[k].weight ≈ gc2[k].weight && gc1[k].bias ≈ gc2[k].bias, keys(gc1))") ==
            LX_OK,
        "inside a Chain: the same loss and gradients as the all-lx Chain");
    tap_ok(host_run(L,
                    "@assert close(gc1.layer_2, fdgrad(p -> l1((layer_1 = pc.layer_1, layer_2 = p, layer_3 = "
                    "pc.layer_3)), pc.layer_2))") == LX_OK,
           "the HostDense's gradient inside the Chain matches finite differences");
    /* a tensor used twice: its gradients add up */
    tap_ok(host_run(
               L,
               "h2 = HostDense(3, 3); p2 = (weight = Float64[1 0.5 0; 0 1 -0.5; 0.2 0 1], bias = zeros(3)); "
               "l3(p) = sum(first(h2(first(h2(x, p, st)), p, st))); "
               "@assert close(gradient(l3, p2)[1], fdgrad(l3, p2))") == LX_OK,
           "the layer applied twice with the same parameters");
    /* many graphs made and dropped: the references free with their nodes */
    /* garbage between the forward and the backward pass: collections run while graphs are alive */
    tap_ok(host_run(L, "junkloss(p) = (y = first(h(x, p, st)); junk = [(i, [i]) for i in 1:20000]; "
                       "sum(abs2, y)); for i in 1:60; @assert gradient(junkloss, ps)[1].weight == g.weight; "
                       "first(h(x, ps, st)); end") == LX_OK,
           "60 gradients with collections between forward and backward");
    tap_ok(host_run(L, "y2 = first(pullback(p -> first(h(x, p, st)), ps)); @assert y2 == y") == LX_OK,
           "a pullback never run");
    host_close(L, "gradient");
}

/* NoFields(): no signature, no init, no states; y = 2x */
static int twice_apply(lx_State *L, void *ud)
{
    (void)ud;
    lx_getglobal(L, "*");
    lx_pushint(L, 2);
    lx_pushvalue(L, 2);
    return call_or_raise(L, 2);
}

static void test_minimal(void)
{
    lx_State *L = host_open(0);
    lx_Layer d = {"NoFields", NULL, NULL, NULL, NULL, twice_apply, NULL, NULL};
    tap_ok(lx_registerlayer(L, &d) == LX_OK, "a layer with only apply (sig, init, states NULL)");
    tap_ok(host_run(L, "m = NoFields(); ps, st = setup(Xoshiro(0), m); @assert ps == NamedTuple() && st == "
                       "NamedTuple(); @assert first(m([1.0, 2.0], ps, st)) == [2.0, 4.0]; "
                       "@assert sprint(show, m) == \"NoFields()\"; @assert parameterlength(m) == 0") == LX_OK,
           "its parameters and states are empty; apply runs");
    lx_Layer w = {"WithWhere", "(n::T, m::T = n) where T", NULL, NULL, NULL, twice_apply, NULL, NULL};
    tap_ok(lx_registerlayer(L, &w) == LX_OK && host_run(L, "@assert WithWhere(3).m == 3") == LX_OK,
           "a signature with `where` and a default that uses an earlier parameter");
    host_close(L, "minimal layer");
}

static void test_no_backward(void)
{
    lx_State *L = host_open(0);
    lx_Layer d = {"LxLinear", "(w0)", NULL, lin_init, NULL, lin_apply, NULL, NULL};
    tap_ok(lx_registerlayer(L, &d) == LX_OK, "a layer without backward");
    tap_ok(host_run(L, fd_src) == LX_OK, "the finite-difference helper");
    tap_ok(host_run(L, "m = LxLinear(Float64[0.5 -0.3 0.8; 0.1 0.9 -0.6]); ps, st = setup(Xoshiro(0), m); "
                       "x = Float64[1.0 -0.5; 0.2 0.7; -1.1 0.4]; "
                       "@assert first(m(x, ps, st)) ≈ tanh.(ps.weight * x)") == LX_OK,
           "apply through lx calls");
    tap_ok(host_run(L, "loss(p) = sum(abs2, first(m(x, p, st))); g = gradient(loss, ps)[1]; "
                       "@assert g.weight ≈ gradient(p -> sum(abs2, tanh.(p.weight * x)), ps)[1].weight; "
                       "@assert close(g, fdgrad(loss, ps))") == LX_OK,
           "its lx calls are differentiated: equal to lx's own and to finite differences");
    tap_ok(host_run(
               L, "c = Chain(LxLinear(Float64[1 0 0; 0 1 0]), Dense(2 => 1)); pc, sc = setup(Xoshiro(0), c); "
                  "pc = f64(pc); @assert keys(gradient(p -> sum(first(c(x, p, sc))), pc)[1]) == "
                  "(:layer_1, :layer_2)") == LX_OK,
           "inside a Chain");
    host_close(L, "no backward");
}

static void test_training(void)
{
    lx_State *L = host_open(0);
    lx_Layer d = hostdense();
    lx_registerlayer(L, &d);
    tap_ok(
        host_run(
            L,
            "rng = Xoshiro(7); x = randn(rng, Float32, 2, 64); y = reshape(sin.(x[1, :]) .+ 0.5f0 .* "
            "x[2, :], 1, 64); "
            "model = Chain(HostDense(2, 16), x -> tanh.(x), HostDense(16, 1)); ps, st = setup(rng, model); "
            "ts = Training.TrainState(model, ps, st, Adam(0.01f0)); "
            "l0 = MSELoss()(first(model(x, ps, st)), y); "
            "for i in 1:60; _, loss, _, ts = Training.single_train_step!(AutoZygote(), MSELoss(), (x, "
            "y), ts); end; "
            "l1 = MSELoss()(first(model(x, ts.parameters, ts.states)), y); "
            "@assert l1 < l0 / 4 \"loss from $l0 to $l1\"") == LX_OK,
        "60 Adam steps with single_train_step! cut the loss by more than 4x");
    tap_ok(host_run(L, "fz = freeze(HostDense(2, 2)); pf, sf = setup(Xoshiro(0), fz); "
                       "@assert pf == NamedTuple() && size(first(fz(x, pf, sf))) == (2, 64)") == LX_OK,
           "freeze moves its parameters into the states");
    tap_ok(host_run(
               L, "par = Parallel(+, HostDense(2, 3), Dense(2 => 3)); pp, sp = setup(Xoshiro(0), par); "
                  "@assert size(first(par(x, pp, sp))) == (3, 64); "
                  "@assert size(gradient(p -> sum(first(par(x, p, sp))), pp)[1].layer_1.weight) == (3, 2)") ==
               LX_OK,
           "inside Parallel, with its gradient");
    host_close(L, "training");
}

/* One Faulty(mode) through setup, apply and gradient; the call that is wrong fails with the words. */
static void faulty_case(lx_State *L, int mode, const char *code, const char *what, const char *w1,
                        const char *w2)
{
    char src[400];
    snprintf(src, sizeof src, "f = Faulty(%d); %s", mode, code);
    host_fails(L, lx_dostring(L, src, strlen(src), "test"), LX_ERRRUN, what, w1, w2, NULL);
    tap_ok(lx_gettop(L) == 0 && host_run(L, "@assert first(Faulty(0)(Float64[1, 2], (w = Float64[3, 4],), "
                                            "NamedTuple())) == [3.0, 8.0]") == LX_OK,
           "the state works after: %s", what);
}

static void test_callback_errors(void)
{
    lx_State *L = host_open(0);
    lx_Layer d = faulty();
    lx_registerlayer(L, &d);
    const char *grad =
        "ps, st = setup(Xoshiro(0), Faulty(0)); gradient(p -> sum(first(f(Float64[1, 2], p, st))), "
        "ps)";
    tap_ok(host_run(L, "ps, st = setup(Xoshiro(0), Faulty(0)); @assert st == (count = 7,); "
                       "g = gradient(p -> sum(first(Faulty(0)(Float64[1, 2], p, st))), ps)[1]; "
                       "@assert g.w == [1.0, 2.0]") == LX_OK,
           "Faulty(0) works: states from the callback, the gradient w.r.t. w is x");
    faulty_case(L, F_INIT_RAISES, "setup(Xoshiro(0), f)", "init raises",
                "ArgumentError: Faulty's init callback: no weights today", NULL);
    faulty_case(L, F_STATES_RAISES, "setup(Xoshiro(0), f)", "states raises", "DomainError",
                "Faulty's states callback: no states either");
    faulty_case(L, F_APPLY_RAISES, "f(Float64[1, 2], (w = Float64[1, 1],), NamedTuple())", "apply raises",
                "DimensionMismatch: Faulty's apply callback: x has the wrong size", NULL);
    faulty_case(L, F_APPLY_PUSHES_NOTHING, "f(Float64[1, 2], (w = Float64[1, 1],), NamedTuple())",
                "apply pushes nothing", "Faulty's apply callback pushed no result: it pushes the output y",
                NULL);
    faulty_case(L, F_INIT_NOT_TUPLE, "setup(Xoshiro(0), f)", "init pushes an Int",
                "TypeError: Faulty's init callback pushed a value of type Int64: it pushes the parameters",
                NULL);
    faulty_case(L, F_INIT_NOT_TENSORS, "setup(Xoshiro(0), f)", "init pushes a named tuple of an Int",
                "parameters whose `w` is of type Int64: each parameter is a tensor", NULL);
    faulty_case(L, F_APPLY_RETURNS_1, "f(Float64[1, 2], (w = Float64[1, 1],), NamedTuple())",
                "apply returns 1", "Faulty's apply callback returned 1", "returns 0");
    faulty_case(L, F_APPLY_INT, grad, "apply pushes an Int under gradient",
                "Faulty's apply callback pushed y of type Int64: a layer with a backward callback outputs a "
                "float tensor",
                NULL);
    faulty_case(L, F_BACKWARD_RAISES, grad, "backward raises during gradient",
                "ArgumentError: Faulty's backward callback: cannot go back", NULL);
    faulty_case(L, F_BACKWARD_KEYERROR, grad, "backward raises a KeyError during gradient",
                "Faulty's backward callback: KeyError: key \"missing\" not found", NULL);
    faulty_case(L, F_BACKWARD_BAD_SHAPE, grad, "backward gives dx of the wrong size",
                "DimensionMismatch: Faulty's backward callback gave a gradient of size (3,) for x, which has "
                "size (2,)",
                NULL);
    faulty_case(L, F_BACKWARD_MISSING, grad, "backward's dps lacks a name",
                "Faulty's backward callback gave a gradient for `v`, which is not a parameter: ps has (:w,)",
                NULL);
    faulty_case(L, F_BACKWARD_EXTRA, grad, "backward's dps has a name too many",
                "gradient for `extra`, which is not a parameter", NULL);
    faulty_case(L, F_BACKWARD_ONE_VALUE, grad, "backward pushes one value (the one below it is taken as dx)",
                "TypeError: Faulty's backward callback gave a value of type Tensor as dps: a NamedTuple with "
                "the names of "
                "ps (:w,), or nothing",
                NULL);
    char src[300];
    snprintf(src, sizeof src,
             "ps, st = setup(Xoshiro(0), Faulty(0)); "
             "g = gradient((x, p) -> sum(first(Faulty(%d)(x, p, st))), Float64[1, 2], ps); "
             "@assert g[1] == [1.0, 1.0] && g[2] === nothing",
             F_BACKWARD_NOTHING);
    tap_ok(host_run(L, src) == LX_OK, "dps = nothing: no gradient for the parameters");
    host_close(L, "callback errors");
}

int main(void)
{
    test_registration_errors();
    test_deferred();
    test_type();
    test_minimal();
    test_gradient();
    test_no_backward();
    test_training();
    test_callback_errors();
    return tap_done();
}
