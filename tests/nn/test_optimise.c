/* test_optimise.c — the optimisers' fused steps (nn_optim_step): every rule,
 * in Float32 and Float64, three steps against a plain scalar loop written
 * here from Optimisers.jl's update rules (src/rules.jl, v0.4.8) in double
 * precision; RMSProp centred, AdamW both ways, RAdam on both sides of its
 * rectification threshold, the gradient pre-transforms, the dx output mode,
 * a tensor big enough for the thread pool, gradients of other dtypes or
 * sharing memory, and every error.
 */
#include "../../nn/internal.h" /* nn_view: a gradient overlapping its parameter */
#include "tap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static nn_ctx *ctx;

#define N 37

/* ---- the reference: one element, the formulas as Optimisers.jl writes them ---------------------------- */

static double sgn(double v)
{
    return v > 0 ? 1 : v < 0 ? -1 : v;
}

/* Δ for one element; x is the parameter before the step, s the rule's state (updated). */
static double ref_delta(const nn_optim *o, double x, double g, double *s)
{
    for (int p = 0; p < o->npre; p++) {
        double v = o->pre[p].v;
        if (o->pre[p].kind == NN_OPTIM_WEIGHTDECAY) g = g + v * x;
        if (o->pre[p].kind == NN_OPTIM_SIGNDECAY) g = g + v * sgn(x);
        if (o->pre[p].kind == NN_OPTIM_CLIPGRAD) g = g > v ? v : g < -v ? -v : g;
    }
    double eta = o->eta, rho = o->rho, b1 = o->beta1, b2 = o->beta2, eps = o->epsilon, d;
    double bt1 = o->bt1, bt2 = o->bt2;
    switch (o->rule) {
    case NN_OPTIM_IDENTITY: return g;
    case NN_OPTIM_DESCENT: return g * eta;
    case NN_OPTIM_MOMENTUM: s[0] = rho * s[0] + eta * g; return s[0];
    case NN_OPTIM_NESTEROV:
        d = -(rho * rho) * s[0] + (1 + rho) * eta * g;
        s[0] = rho * s[0] - eta * g;
        return d;
    case NN_OPTIM_RMSPROP:
        s[0] = rho * s[0] + (1 - rho) * g * g;
        if (o->centred) s[1] = rho * s[1] + (1 - rho) * g;
        return g * eta / (sqrt(s[0] - (o->centred ? s[1] * s[1] : 0)) + eps);
    case NN_OPTIM_RPROP: {
        double p = s[0] * g, e = s[1];
        e = p > 0 ? fmin(e * o->ell[1], o->gamma[1]) : p < 0 ? fmax(e * o->ell[0], o->gamma[0]) : e;
        s[0] = p < 0 ? 0 : g;
        s[1] = e;
        return e * sgn(s[0]);
    }
    case NN_OPTIM_ADAM:
    case NN_OPTIM_ADAMW:
    case NN_OPTIM_RADAM:
    case NN_OPTIM_OADAM:
    case NN_OPTIM_AMSGRAD:
    case NN_OPTIM_NADAM:
        s[0] = b1 * s[0] + (1 - b1) * g;
        s[1] = b2 * s[1] + (1 - b2) * g * g;
        break;
    case NN_OPTIM_ADAMAX:
        s[0] = b1 * s[0] + (1 - b1) * g;
        s[1] = fmax(b2 * s[1], fabs(g));
        return eta / (1 - bt1) * s[0] / (s[1] + eps);
    case NN_OPTIM_ADAGRAD: s[0] += g * g; return g * eta / (sqrt(s[0]) + eps);
    case NN_OPTIM_ADADELTA:
        s[0] = rho * s[0] + (1 - rho) * g * g;
        d = g * sqrt(s[1] + eps) / sqrt(s[0] + eps);
        s[1] = rho * s[1] + (1 - rho) * d * d;
        return d;
    case NN_OPTIM_ADABELIEF:
        s[0] = b1 * s[0] + (1 - b1) * g;
        s[1] = b2 * s[1] + (1 - b2) * (g - s[0]) * (g - s[0]) + eps;
        return eta * s[0] / (1 - bt1) / (sqrt(s[1] / (1 - bt2)) + eps);
    case NN_OPTIM_LION: s[0] = b2 * g + (1 - b2) * s[0]; return eta * sgn((b2 - b1) * g + b1 * s[0]);
    default: return NAN;
    }
    double adam = s[0] / (1 - bt1) / (sqrt(s[1] / (1 - bt2)) + eps);
    switch (o->rule) {
    case NN_OPTIM_ADAM: return adam * eta;
    case NN_OPTIM_ADAMW: return o->couple ? eta * (adam + o->lambda * x) : eta * adam + o->lambda * x;
    case NN_OPTIM_RADAM: {
        double rinf = 2 / (1 - b2) - 1, r = rinf - 2 * (double)o->t * bt2 / (1 - bt2);
        if (r <= 4) return s[0] / (1 - bt1) * eta;
        return adam * eta * sqrt((r - 4) * (r - 2) * rinf / ((rinf - 4) * (rinf - 2) * r));
    }
    case NN_OPTIM_OADAM: {
        double prev = s[2];
        s[2] = eta * s[0] / (1 - bt1) / (sqrt(s[1] / (1 - bt2)) + eps);
        return 2 * s[2] - prev;
    }
    case NN_OPTIM_AMSGRAD: s[2] = fmax(s[2], s[1]); return eta * s[0] / (sqrt(s[2]) + eps);
    default: /* NADAM */
        return (b1 * s[0] / (1 - b1 * bt1) + (1 - b1) * g / (1 - bt1)) / (sqrt(s[1] * b2 / (1 - bt2)) + eps) *
               eta;
    }
}

/* The value a rule's state starts at (init in optimisers.lx): ϵ for AdaGrad and AMSGrad, η for Rprop's
 * step sizes, else 0. */
static double state0(const nn_optim *o, int i)
{
    if (o->rule == NN_OPTIM_ADAGRAD || o->rule == NN_OPTIM_AMSGRAD) return o->epsilon;
    if (o->rule == NN_OPTIM_RPROP && i == 1) return o->eta;
    return 0;
}

/* ---- data --------------------------------------------------------------------------------------------- */

static double xval(int64_t i)
{
    return 1.5 * sin(0.7 + 1.3 * (double)i);
}
/* gradients that change sign between steps (Rprop, Lion) and stay away from 0 */
static double gval(int64_t i, int step)
{
    double v = cos(0.2 + 0.9 * (double)i + 1.7 * step);
    return v + (v >= 0 ? 0.05 : -0.05);
}

static bool close_to(double got, double want, double tol)
{
    return fabs(got - want) <= tol * (1 + fabs(want));
}

/* Runs `steps` steps of o on n elements in dtype t, in place (or into dx), against the reference. */
static void check_rule(const char *name, nn_optim o, nn_dtype t, int64_t n, int steps, bool use_dx)
{
    int ns = nn_optim_nstate(&o);
    double tol = t == NN_F64 ? 1e-12 : 2e-5;
    nn_tensor *x, *g, *dx = NULL, *st[NN_OPTIM_MAX_STATE] = {NULL, NULL, NULL};
    if (nn_empty(ctx, &x, t, 1, &n) || nn_empty(ctx, &g, t, 1, &n)) {
        tap_ok(false, "%s: allocation", name);
        return;
    }
    if (use_dx) nn_empty(ctx, &dx, t, 1, &n);
    double *rx = malloc((size_t)n * sizeof *rx), *rs = malloc((size_t)n * 3 * sizeof *rs);
    for (int64_t i = 0; i < n; i++) {
        double v = xval(i);
        if (t == NN_F32) v = (float)v;
        rx[i] = v;
        nn_set(x, i, v);
    }
    for (int k = 0; k < ns; k++) {
        nn_full(ctx, &st[k], t, 1, &n, state0(&o, k));
        for (int64_t i = 0; i < n; i++)
            rs[3 * i + k] = nn_get(st[k], i);
    }
    bool ok = true;
    double worst = 0;
    nn_optim r = o; /* the reference's hyperparameters in x's precision, as the kernel rounds them */
    if (t == NN_F32) {
        double *h[] = {&r.eta,    &r.rho,    &r.beta1,  &r.beta2,    &r.epsilon,
                       &r.lambda, &r.ell[0], &r.ell[1], &r.gamma[0], &r.gamma[1]};
        for (size_t k = 0; k < sizeof h / sizeof *h; k++)
            *h[k] = (float)*h[k];
    }
    for (int s = 0; s < steps && ok; s++) {
        for (int64_t i = 0; i < n; i++) {
            double v = gval(i, s);
            if (t == NN_F32) v = (float)v;
            nn_set(g, i, v);
        }
        nn_status st_ = nn_optim_step(ctx, &o, x, g, st, ns, dx);
        if (st_ != NN_OK) {
            tap_diag("%s: step %d: %s", name, s + 1, nn_ctx_message(ctx));
            nn_ctx_clear_error(ctx);
            ok = false;
            break;
        }
        r.bt1 = o.bt1;
        r.bt2 = o.bt2;
        r.t = o.t;
        for (int64_t i = 0; i < n && ok; i++) {
            double d = ref_delta(&r, rx[i], nn_get(g, i), rs + 3 * i);
            if (use_dx) {
                ok = close_to(nn_get(dx, i), d, tol) && nn_get(x, i) == rx[i];
                worst = fmax(worst, fabs(nn_get(dx, i) - d));
            } else {
                rx[i] -= d;
                ok = close_to(nn_get(x, i), rx[i], tol);
                worst = fmax(worst, fabs(nn_get(x, i) - rx[i]));
            }
            for (int k = 0; k < ns && ok; k++)
                ok = close_to(nn_get(st[k], i), rs[3 * i + k], tol);
            if (!ok)
                tap_diag("%s: step %d, element %lld: x %.17g (want %.17g)%s", name, s + 1, (long long)i,
                         use_dx ? nn_get(dx, i) : nn_get(x, i), use_dx ? d : rx[i], use_dx ? " in dx" : "");
        }
        /* the caller advances the powers and RAdam's step, as optimisers.lx does */
        o.bt1 *= o.beta1;
        o.bt2 *= o.beta2;
        o.t++;
    }
    tap_ok(ok, "%s %s: %d steps on %lld elements%s (largest difference %.3g)", name, nn_dtype_name(t), steps,
           (long long)n, use_dx ? " into dx" : "", worst);
    free(rx);
    free(rs);
    nn_release(x);
    nn_release(g);
    nn_release(dx);
    for (int k = 0; k < ns; k++)
        nn_release(st[k]);
}

static nn_optim rule(nn_optim_rule r)
{
    nn_optim o;
    memset(&o, 0, sizeof o);
    o.rule = r;
    o.eta = 0.01;
    o.rho = 0.9;
    o.beta1 = 0.9;
    o.beta2 = 0.999;
    o.epsilon = 1e-8;
    o.ell[0] = 0.5;
    o.ell[1] = 1.2;
    o.gamma[0] = 1e-6;
    o.gamma[1] = 50;
    o.bt1 = o.beta1;
    o.bt2 = o.beta2;
    o.t = 1;
    return o;
}

static void test_rules(void)
{
    for (int k = 0; k < 2; k++) {
        nn_dtype t = k ? NN_F64 : NN_F32;
        for (int r = 0; r < NN_OPTIM_NUM_RULES; r++) {
            nn_optim o = rule((nn_optim_rule)r);
            if (r == NN_OPTIM_OADAM) o.beta1 = 0.5, o.beta2 = 0.9, o.bt1 = 0.5, o.bt2 = 0.9;
            if (r == NN_OPTIM_ADABELIEF) o.epsilon = 1e-16;
            if (r == NN_OPTIM_ADAMW) o.lambda = 0.1, o.couple = true;
            check_rule(nn_optim_name((nn_optim_rule)r), o, t, N, 3, false);
        }
        nn_optim o = rule(NN_OPTIM_RMSPROP);
        o.centred = true;
        check_rule("RMSProp centred", o, t, N, 3, false);
        o = rule(NN_OPTIM_ADAMW);
        o.lambda = 0.1;
        check_rule("AdamW decoupled", o, t, N, 3, false);
        /* RAdam rectifies from ρ > 4: with β₂ = 0.8 that is from the fifth step */
        o = rule(NN_OPTIM_RADAM);
        o.beta2 = o.bt2 = 0.8;
        check_rule("RAdam past its threshold", o, t, N, 7, false);
        /* the pre-transforms, in order, before a rule and on their own */
        o = rule(NN_OPTIM_ADAM);
        o.npre = 3;
        o.pre[0].kind = NN_OPTIM_WEIGHTDECAY, o.pre[0].v = 0.3;
        o.pre[1].kind = NN_OPTIM_SIGNDECAY, o.pre[1].v = 0.2;
        o.pre[2].kind = NN_OPTIM_CLIPGRAD, o.pre[2].v = 0.5;
        check_rule("WeightDecay, SignDecay, ClipGrad, Adam", o, t, N, 3, false);
        o.rule = NN_OPTIM_IDENTITY;
        check_rule("WeightDecay, SignDecay, ClipGrad", o, t, N, 3, false);
        /* apply!'s form: Δ into dx, x untouched */
        check_rule("Adam", rule(NN_OPTIM_ADAM), t, N, 3, true);
        check_rule("Rprop", rule(NN_OPTIM_RPROP), t, N, 3, true);
    }
    /* big enough to be split over the thread pool (and blocks of the kernel) */
    check_rule("Adam", rule(NN_OPTIM_ADAM), NN_F32, 300001, 2, false);
    check_rule("Lion", rule(NN_OPTIM_LION), NN_F64, 100003, 2, false);
    nn_optim o = rule(NN_OPTIM_NESTEROV);
    o.npre = 1;
    o.pre[0].kind = NN_OPTIM_CLIPGRAD, o.pre[0].v = 0.3;
    check_rule("ClipGrad, Nesterov", o, NN_F32, 200000, 2, true);
}

/* ---- gradients of another dtype, sharing memory; empty tensors ---------------------------------------- */

static void test_gradients(void)
{
    int64_t n = 4, two = 2;
    const double xs[4] = {1, 2, 3, 4}, gs[4] = {1, -2, 3, 5};
    nn_optim o = rule(NN_OPTIM_DESCENT);
    o.eta = 0.5;
    /* an Int64 gradient for a Float32 parameter is converted */
    nn_tensor *x = tap_tensor(ctx, NN_F32, 1, &n, xs), *g = tap_tensor(ctx, NN_I64, 1, &n, gs);
    tap_okst(ctx, nn_optim_step(ctx, &o, x, g, NULL, 0, NULL), "Int64 gradient");
    const double w1[4] = {0.5, 3, 1.5, 1.5};
    tap_tensor_close(x, w1, 4, 0, 0, "Int64 gradient: x .-= 0.5 g");
    uint64_t v = nn_tensor_version(x);
    nn_release(g);
    /* a gradient that is x itself */
    tap_okst(ctx, nn_optim_step(ctx, &o, x, x, NULL, 0, NULL), "x as its own gradient");
    const double w2[4] = {0.25, 1.5, 0.75, 0.75};
    tap_tensor_close(x, w2, 4, 0, 0, "x as its own gradient: halves x");
    tap_ok(nn_tensor_version(x) > v, "the step bumps x's version");
    nn_release(x);
    /* the gradient a view into the parameter's storage at another offset */
    const double b[6] = {1, 2, 3, 4, 5, 6};
    int64_t six = 6;
    nn_tensor *base = tap_tensor(ctx, NN_F64, 1, &six, b), *xv = NULL, *gv = NULL;
    nn_view(ctx, &xv, base, 1, &two, 0);
    nn_view(ctx, &gv, base, 1, &two, 1);
    o.eta = 1;
    tap_okst(ctx, nn_optim_step(ctx, &o, xv, gv, NULL, 0, NULL), "overlapping gradient");
    const double w3[2] = {-1, -1};
    tap_tensor_close(xv, w3, 2, 0, 0, "overlapping gradient: read before written");
    nn_release(xv);
    nn_release(gv);
    nn_release(base);
    /* a step allocates nothing when the gradient has the parameter's dtype (the tiny-model case) */
    int64_t n16 = 16;
    nn_tensor *px = NULL, *pg = NULL, *pm = NULL, *pv = NULL;
    nn_ones(ctx, &px, NN_F32, 1, &n16);
    nn_ones(ctx, &pg, NN_F32, 1, &n16);
    nn_zeros(ctx, &pm, NN_F32, 1, &n16);
    nn_zeros(ctx, &pv, NN_F32, 1, &n16);
    nn_tensor *pst[2] = {pm, pv};
    nn_optim a = rule(NN_OPTIM_ADAM);
    size_t live = nn_ctx_bytes_live(ctx), cached = nn_ctx_bytes_cached(ctx);
    nn_status ps = nn_optim_step(ctx, &a, px, pg, pst, 2, NULL);
    tap_ok(!ps && nn_ctx_bytes_live(ctx) == live && nn_ctx_bytes_cached(ctx) == cached,
           "an Adam step allocates nothing");
    nn_release(px);
    nn_release(pg);
    nn_release(pm);
    nn_release(pv);
    /* empty */
    int64_t zero = 0;
    nn_tensor *e = NULL, *eg = NULL, *es = NULL;
    nn_empty(ctx, &e, NN_F32, 1, &zero);
    nn_empty(ctx, &eg, NN_F32, 1, &zero);
    nn_empty(ctx, &es, NN_F32, 1, &zero);
    nn_optim m = rule(NN_OPTIM_MOMENTUM);
    tap_okst(ctx, nn_optim_step(ctx, &m, e, eg, &es, 1, NULL), "empty tensors");
    nn_release(e);
    nn_release(eg);
    nn_release(es);
}

/* ---- errors ----------------------------------------------------------------------------------------- */

static void test_errors(void)
{
    int64_t s23[2] = {2, 3}, s3 = 3, s6 = 6;
    nn_tensor *x, *g3, *g6, *xi, *m, *v, *m64;
    nn_zeros(ctx, &x, NN_F32, 2, s23);
    nn_zeros(ctx, &g3, NN_F32, 1, &s3);
    nn_zeros(ctx, &g6, NN_F32, 1, &s6);
    nn_zeros(ctx, &xi, NN_I64, 2, s23);
    nn_zeros(ctx, &m, NN_F32, 2, s23);
    nn_zeros(ctx, &v, NN_F32, 2, s23);
    nn_zeros(ctx, &m64, NN_F64, 2, s23);
    nn_optim o = rule(NN_OPTIM_ADAM);
    nn_tensor *st[3] = {m, v, NULL};
    tap_error(ctx, nn_optim_step(ctx, &o, x, g3, st, 2, NULL), NN_ERR_DIMENSION, "gradient of another size",
              "Adam", "(3,)", "(2, 3)", NULL);
    tap_error(ctx, nn_optim_step(ctx, &o, x, g6, st, 2, NULL), NN_ERR_DIMENSION,
              "gradient of the same length, another shape", "(6,)", NULL);
    tap_error(ctx, nn_optim_step(ctx, &o, xi, m, st, 2, NULL), NN_ERR_TYPE, "integer parameter", "Int64",
              NULL);
    tap_error(ctx, nn_optim_step(ctx, &o, x, m, st, 1, NULL), NN_ERR_ARGUMENT, "too few states", "keeps 2",
              NULL);
    nn_tensor *st2[2] = {m, g3};
    tap_error(ctx, nn_optim_step(ctx, &o, x, m, st2, 2, NULL), NN_ERR_DIMENSION, "state of another size",
              "state", NULL);
    nn_tensor *st3[2] = {m, m64};
    tap_error(ctx, nn_optim_step(ctx, &o, x, m, st3, 2, NULL), NN_ERR_TYPE, "state of another dtype",
              "Float64", NULL);
    nn_tensor *st4[2] = {m, m};
    tap_error(ctx, nn_optim_step(ctx, &o, x, v, st4, 2, NULL), NN_ERR_ARGUMENT, "one tensor as two states",
              "shares memory", NULL);
    nn_tensor *st5[2] = {m, x};
    tap_error(ctx, nn_optim_step(ctx, &o, x, v, st5, 2, NULL), NN_ERR_ARGUMENT, "x as a state",
              "shares memory", NULL);
    tap_error(ctx, nn_optim_step(ctx, &o, x, v, st, 2, x), NN_ERR_ARGUMENT, "x as dx", "output", NULL);
    tap_error(ctx, nn_optim_step(ctx, &o, x, v, st, 2, g3), NN_ERR_DIMENSION, "dx of another size", "output",
              NULL);
    o.rule = (nn_optim_rule)99;
    tap_error(ctx, nn_optim_step(ctx, &o, x, v, st, 2, NULL), NN_ERR_ARGUMENT, "unknown rule", "unknown rule",
              NULL);
    o = rule(NN_OPTIM_DESCENT);
    o.npre = NN_OPTIM_MAX_PRE + 1;
    tap_error(ctx, nn_optim_step(ctx, &o, x, v, NULL, 0, NULL), NN_ERR_ARGUMENT, "too many pre-transforms",
              "pre-transforms", NULL);
    tap_ok(nn_get(x, 0) == 0 && nn_get(m, 0) == 0, "failed steps write nothing");
    tap_ok(!strcmp(nn_optim_name(NN_OPTIM_ADABELIEF), "AdaBelief") && nn_optim_nstate(&o) == 0,
           "names and state counts");
    nn_release(x);
    nn_release(g3);
    nn_release(g6);
    nn_release(xi);
    nn_release(m);
    nn_release(v);
    nn_release(m64);
}

int main(void)
{
    ctx = nn_ctx_new();
    test_rules();
    test_gradients();
    test_errors();
    nn_ctx_free(ctx);
    return tap_done();
}
