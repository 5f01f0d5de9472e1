/* test_autodiff.c — the tape: accumulation, graph lifetime, the version
 * counter, C-callback nodes, the gradient hook, deep graphs, seeds, dtypes.
 */
#include "tap.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static nn_ctx *ctx;

static nn_tensor *vec(nn_dtype t, int64_t n, const double *d)
{
    return tap_tensor(ctx, t, 1, &n, d);
}

static nn_tensor *sum_all(nn_tensor *x)
{
    nn_tensor *s;
    return nn_reduce(ctx, &s, NN_SUM, x, 0, NULL) ? NULL : s;
}

static void test_reuse_accumulates(void)
{
    double d[3] = {1, -2, 3};
    nn_tensor *x = vec(NN_F64, 3, d), *y, *z, *l;
    nn_set_requires_grad(x, true);
    nn_binary(ctx, &y, NN_MUL, x, x); /* x .* x: both edges reach x */
    nn_binary(ctx, &z, NN_ADD, y, x); /* and once more */
    l = sum_all(z);
    tap_okst(ctx, nn_backward(ctx, l), "backward of sum(x .* x .+ x)");
    double want[3] = {3, -3, 7}; /* 2x + 1 */
    tap_tensor_close(nn_grad(x), want, 3, 0, 1e-12, "a tensor used three times accumulates 2x + 1");
    nn_release(l);
    nn_release(z);
    nn_release(y);

    /* gradients accumulate over backward calls until zeroed, as in PyTorch */
    nn_binary(ctx, &y, NN_MUL, x, x);
    l = sum_all(y);
    nn_backward(ctx, l);
    double want2[3] = {5, -7, 13};
    tap_tensor_close(nn_grad(x), want2, 3, 0, 1e-12, "a second backward adds to the leaf's gradient");
    nn_zero_grad(x);
    tap_ok(nn_grad(x) == NULL, "nn_zero_grad drops the gradient");

    tap_error(ctx, nn_backward(ctx, l), NN_ERR_STATE, "a second backward through a freed graph is an error",
              "already freed", NULL);
    nn_release(l);
    nn_release(y);
    nn_release(x);
}

static void test_version_counter(void)
{
    double d[2] = {0.5, -1.0};
    nn_tensor *x = vec(NN_F64, 2, d), *y, *l;
    nn_set_requires_grad(x, true);
    nn_unary(ctx, &y, NN_TANH, x);
    l = sum_all(y);
    nn_fill_(ctx, x, 2.0); /* tanh saved x (and y): the graph now sees wrong data */
    tap_error(ctx, nn_backward(ctx, l), NN_ERR_MUTATED, "mutating a saved tensor is detected", "tanh",
              "modified in place", NULL);
    nn_release(l);
    nn_release(y);

    /* a mutation of something the graph did not save is fine */
    nn_tensor *c = vec(NN_F64, 2, d), *z;
    nn_binary(ctx, &z, NN_ADD, x, c);
    l = sum_all(z);
    nn_fill_(ctx, c, 7.0);
    tap_okst(ctx, nn_backward(ctx, l), "mutating an input that + did not save is allowed");
    nn_release(l);
    nn_release(z);
    nn_release(c);
    nn_release(x);
}

/* A C-callback op: out = 3 x, backward 3 g. */
static int freed_count;
static void free_counter(void *ud)
{
    (void)ud;
    freed_count++;
}
static nn_status triple_backward(nn_ctx *c, void *ud, const nn_tensor *g, int n, const bool *needs,
                                 nn_tensor **gin)
{
    (void)ud;
    if (n != 1 || !needs[0]) return nn_error(c, NN_ERR_STATE, "triple: bad call");
    nn_tensor *three;
    nn_status s = nn_scalar(c, &three, g->dtype, 3.0);
    if (s) return s;
    s = nn_binary(c, &gin[0], NN_MUL, g, three);
    nn_release(three);
    return s;
}

static void test_custom_node(void)
{
    double d[3] = {1, 2, 3};
    nn_tensor *x = vec(NN_F64, 3, d), *y, *l;
    nn_set_requires_grad(x, true);
    nn_empty(ctx, &y, NN_F64, 1, x->shape);
    for (int i = 0; i < 3; i++)
        nn_set(y, i, 3 * d[i]);
    tap_okst(ctx, nn_attach_backward(ctx, y, "triple", 1, &x, triple_backward, NULL, free_counter),
             "attach a C backward");
    tap_ok(nn_is_tracked(y), "the result of a C-callback op is tracked");
    l = sum_all(y);
    nn_backward(ctx, l);
    double want[3] = {3, 3, 3};
    tap_tensor_close(nn_grad(x), want, 3, 0, 0, "the C backward's gradient reaches the leaf");
    tap_ok(freed_count == 1, "the node frees its user data after backward");
    nn_release(l);
    nn_release(y);

    /* untracked inputs: no node, user data freed at once */
    nn_tensor *u = vec(NN_F64, 3, d);
    nn_empty(ctx, &y, NN_F64, 1, u->shape);
    nn_attach_backward(ctx, y, "triple", 1, &u, triple_backward, NULL, free_counter);
    tap_ok(!nn_is_tracked(y) && freed_count == 2, "no node for untracked inputs; user data freed");
    nn_release(y);
    nn_release(u);
    nn_release(x);
}

static int hook_calls;
static char hook_last[32];
static nn_status nan_hook(nn_ctx *c, const char *name, int input, const nn_tensor *g, void *ud)
{
    (void)ud;
    hook_calls++;
    snprintf(hook_last, sizeof hook_last, "%s", name);
    for (int64_t i = 0; i < g->numel; i++)
        if (!isfinite(nn_get(g, i)))
            return nn_error(c, NN_ERR_DOMAIN, "non-finite gradient from %s (input %d)", name, input + 1);
    return NN_OK;
}

static void test_grad_hook(void)
{
    double d[2] = {0.0, 1.0};
    nn_tensor *x = vec(NN_F64, 2, d), *y, *l;
    nn_set_requires_grad(x, true);
    nn_ctx_set_grad_hook(ctx, nan_hook, NULL);
    nn_unary(ctx, &y, NN_LOG, x); /* d/dx log at 0 is Inf */
    l = sum_all(y);
    tap_error(ctx, nn_backward(ctx, l), NN_ERR_DOMAIN, "the hook stops backward at a non-finite gradient",
              "non-finite gradient from log", NULL);
    tap_ok(hook_calls == 2 && strcmp(hook_last, "log") == 0, "the hook saw sum's gradient, then log's");
    tap_ok(nn_grad(x) == NULL, "nothing reached the leaf after the hook failed");
    nn_ctx_set_grad_hook(ctx, NULL, NULL);
    nn_release(l);
    nn_release(y);
    nn_release(x);
}

static void test_deep_graph(void)
{
    /* 200,000 nodes deep: backward and release are iterative, not recursive */
    size_t live0 = nn_ctx_bytes_live(ctx);
    nn_tensor *x, *one, *y;
    nn_scalar(ctx, &x, NN_F64, 0.0);
    nn_scalar(ctx, &one, NN_F64, 1.0);
    nn_set_requires_grad(x, true);
    y = nn_retain(x);
    nn_status s = NN_OK;
    for (int i = 0; i < 200000 && !s; i++) {
        nn_tensor *t;
        s = nn_binary(ctx, &t, i % 2 ? NN_ADD : NN_MUL, y, one);
        nn_release(y);
        y = t;
    }
    tap_okst(ctx, s, "build a 200,000-node chain");
    tap_okst(ctx, nn_backward(ctx, y), "backward through it");
    tap_close(nn_get(nn_grad(x), 0), 1.0, 0, "its gradient");
    nn_release(y);
    nn_release(one);
    nn_release(x);

    /* and an unreachable chain frees itself without backward */
    nn_scalar(ctx, &x, NN_F64, 0.0);
    nn_set_requires_grad(x, true);
    y = nn_retain(x);
    for (int i = 0; i < 200000; i++) {
        nn_tensor *t;
        nn_unary(ctx, &t, NN_NEG, y);
        nn_release(y);
        y = t;
    }
    nn_release(y);
    nn_release(x);
    tap_ok(nn_ctx_bytes_live(ctx) == live0, "every tensor and saved alias returned to the pool (%zu live)",
           nn_ctx_bytes_live(ctx));
}

static void test_roots_and_seeds(void)
{
    double d[3] = {1, 2, 3};
    nn_tensor *x = vec(NN_F64, 3, d), *y, *seed;
    tap_error(ctx, nn_backward(ctx, x), NN_ERR_DIMENSION, "backward needs one element", "one element", "(3,)",
              NULL);
    nn_tensor *s1;
    nn_scalar(ctx, &s1, NN_F64, 1.0);
    tap_error(ctx, nn_backward(ctx, s1), NN_ERR_STATE, "backward from an untracked result", "does not depend",
              NULL);
    nn_release(s1);
    nn_set_requires_grad(x, true);
    nn_unary(ctx, &y, NN_SQUARE, x);
    double sd[3] = {1, 10, 100};
    seed = vec(NN_F64, 3, sd);
    tap_okst(ctx, nn_backward_seed(ctx, y, seed), "backward with a seed gradient");
    double want[3] = {2, 40, 600};
    tap_tensor_close(nn_grad(x), want, 3, 0, 1e-12, "seeded gradient is seed .* 2x");
    nn_release(seed);
    nn_release(y);

    /* a leaf as root gets the seed itself */
    nn_zero_grad(x);
    nn_tensor *sc;
    nn_scalar(ctx, &sc, NN_F64, 5.0);
    nn_set_requires_grad(sc, true);
    nn_backward(ctx, sc);
    tap_close(nn_get(nn_grad(sc), 0), 1.0, 0, "d root / d root = 1");
    nn_release(sc);
    nn_release(x);
}

static void test_aliases_detach_dtypes(void)
{
    double d[2] = {1.5, -0.5};
    nn_tensor *x = vec(NN_F32, 2, d), *a, *b, *y, *l;
    nn_tracked_alias(ctx, &a, x);
    nn_tracked_alias(ctx, &b, x);
    tap_ok(nn_data(a) == nn_data(x) && !nn_is_tracked(x),
           "a tracked alias shares storage; x stays untracked");
    nn_binary(ctx, &y, NN_MUL, a, b);
    l = sum_all(y);
    nn_backward(ctx, l);
    tap_tensor_close(nn_grad(a), d, 2, 0, 0, "alias a gets b's values");
    tap_tensor_close(nn_grad(b), d, 2, 0, 0, "alias b gets a's values");
    tap_ok(nn_grad(x) == NULL, "the original tensor gets nothing");
    nn_release(l);
    nn_release(y);
    nn_release(b);

    /* detach stops the gradient */
    nn_tensor *dt, *z;
    nn_zero_grad(a);
    nn_detach(ctx, &dt, a);
    nn_binary(ctx, &z, NN_MUL, a, dt);
    l = sum_all(z);
    nn_backward(ctx, l);
    tap_tensor_close(nn_grad(a), d, 2, 0, 0, "through a detached copy only one factor counts");
    nn_release(l);
    nn_release(z);
    nn_release(dt);

    /* Float32 leaf in a Float64 computation: the gradient comes back Float32 */
    double e[2] = {2, 3};
    nn_tensor *w = vec(NN_F64, 2, e);
    nn_zero_grad(a);
    nn_binary(ctx, &z, NN_MUL, a, w);
    tap_ok(z->dtype == NN_F64, "Float32 .* Float64 is Float64");
    l = sum_all(z);
    nn_backward(ctx, l);
    tap_ok(nn_grad(a) && nn_grad(a)->dtype == NN_F32, "the leaf's gradient keeps the leaf's Float32");
    tap_tensor_close(nn_grad(a), e, 2, 0, 0, "and its values");
    nn_release(l);
    nn_release(z);
    nn_release(w);

    /* a non-differentiable branch (comparison) contributes nothing */
    nn_tensor *c, *cf, *m;
    nn_zero_grad(a);
    nn_compare(ctx, &c, NN_GT, a, x);
    nn_convert(ctx, &cf, c, NN_F32);
    nn_binary(ctx, &m, NN_ADD, cf, a);
    l = sum_all(m);
    tap_okst(ctx, nn_backward(ctx, l), "backward past a comparison");
    double ones[2] = {1, 1};
    tap_tensor_close(nn_grad(a), ones, 2, 0, 0, "only the differentiable path counts");
    nn_release(l);
    nn_release(m);
    nn_release(cf);
    nn_release(c);
    nn_release(a);
    nn_release(x);
}

int main(void)
{
    ctx = nn_ctx_new();
    test_reuse_accumulates();
    test_version_counter();
    test_custom_node();
    test_grad_hook();
    test_deep_graph();
    test_roots_and_seeds();
    test_aliases_detach_dtypes();
    nn_ctx_free(ctx);
    return tap_done();
}
