/* tap.c — see tap.h. */
#include "tap.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_count, tap_failed;

bool tap_ok(bool cond, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("%sok %d - ", cond ? "" : "not ", ++tap_count);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    if (!cond) tap_failed++;
    fflush(stdout);
    return cond;
}

void tap_diag(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("# ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
}

int tap_done(void)
{
    printf("1..%d\n", tap_count);
    return tap_failed ? 1 : 0;
}

bool tap_close(double got, double want, double tol, const char *name)
{
    bool ok = fabs(got - want) <= tol || (isnan(got) && isnan(want)) || (got == want);
    if (!tap_ok(ok, "%s", name)) tap_diag("got %.17g, want %.17g (tol %g)", got, want, tol);
    return ok;
}

bool tap_tensor_close(const nn_tensor *t, const double *want, int64_t n, double rtol, double atol,
                      const char *name)
{
    if (t->numel != n) {
        tap_ok(false, "%s", name);
        tap_diag("got %lld elements, want %lld", (long long)t->numel, (long long)n);
        return false;
    }
    for (int64_t i = 0; i < n; i++) {
        double g = nn_get(t, i), w = want[i];
        bool same = g == w || (isnan(g) && isnan(w));
        if (!same && !(fabs(g - w) <= atol + rtol * fabs(w))) {
            tap_ok(false, "%s", name);
            tap_diag("element %lld: got %.10g, want %.10g", (long long)i + 1, g, w);
            return false;
        }
    }
    return tap_ok(true, "%s", name);
}

bool tap_okst(nn_ctx *ctx, nn_status s, const char *name)
{
    if (!tap_ok(s == NN_OK, "%s", name)) tap_diag("%s: %s", nn_status_name(s), nn_ctx_message(ctx));
    return s == NN_OK;
}

bool tap_error(nn_ctx *ctx, nn_status got, nn_status want, const char *name, ...)
{
    bool ok = got == want;
    const char *msg = nn_ctx_message(ctx);
    va_list ap;
    va_start(ap, name);
    for (const char *sub; ok && (sub = va_arg(ap, const char *));)
        if (!strstr(msg, sub)) {
            ok = false;
            tap_ok(false, "%s", name);
            tap_diag("message \"%s\" lacks \"%s\"", msg, sub);
            va_end(ap);
            return false;
        }
    va_end(ap);
    if (!tap_ok(ok, "%s", name))
        tap_diag("status %s (want %s): %s", nn_status_name(got), nn_status_name(want), msg);
    nn_ctx_clear_error(ctx);
    return ok;
}

nn_tensor *tap_tensor(nn_ctx *ctx, nn_dtype t, int ndim, const int64_t *shape, const double *data)
{
    nn_tensor *x;
    if (nn_empty(ctx, &x, t, ndim, shape) != NN_OK) return NULL;
    for (int64_t i = 0; i < x->numel; i++)
        nn_set(x, i, data[i]);
    return x;
}

/* sum(w .* f(in)) as a plain double, untracked. */
static nn_status weighted(nn_ctx *ctx, tap_fn f, nn_tensor *const *in, void *ud, double *v,
                          nn_tensor **keep_out)
{
    nn_tensor *y;
    nn_status s = f(ctx, in, &y, ud);
    if (s) return s;
    double acc = 0;
    for (int64_t i = 0; i < y->numel; i++)
        acc += nn_get(y, i) * (1.0 + 0.5 * sin(1.0 + 1.7 * (double)i));
    *v = acc;
    if (keep_out)
        *keep_out = y;
    else
        nn_release(y);
    return NN_OK;
}

bool tap_gradcheck(nn_ctx *ctx, tap_fn f, int n, nn_tensor *const *in, void *ud, double tol, const char *name)
{
    nn_tensor *tracked[16];
    if (n > 16) return tap_ok(false, "%s: too many inputs", name);
    for (int i = 0; i < n; i++) {
        nn_tracked_alias(ctx, &tracked[i], in[i]);
    }
    nn_tensor *y = NULL, *w = NULL, *prod = NULL, *loss = NULL;
    double v;
    nn_status s = weighted(ctx, f, tracked, ud, &v, &y);
    if (!s) {
        s = nn_empty(ctx, &w, NN_F64, y->ndim, y->shape);
        for (int64_t i = 0; !s && i < y->numel; i++)
            nn_set(w, i, 1.0 + 0.5 * sin(1.0 + 1.7 * (double)i));
    }
    if (!s) s = nn_binary(ctx, &prod, NN_MUL, y, w);
    if (!s) s = nn_reduce(ctx, &loss, NN_SUM, prod, 0, NULL);
    if (!s) s = nn_backward(ctx, loss);
    nn_release(y);
    nn_release(w);
    nn_release(prod);
    nn_release(loss);
    double worst = 0;
    int64_t worst_i = -1;
    int worst_in = -1;
    double worst_a = 0, worst_n = 0;
    for (int k = 0; !s && k < n; k++) {
        nn_tensor *g = nn_grad(tracked[k]);
        for (int64_t i = 0; !s && i < in[k]->numel; i++) {
            double x0 = nn_get(in[k], i), h = 1e-6 * (fabs(x0) > 1 ? fabs(x0) : 1.0);
            double fp, fm;
            nn_set(in[k], i, x0 + h);
            s = weighted(ctx, f, in, ud, &fp, NULL);
            nn_set(in[k], i, x0 - h);
            if (!s) s = weighted(ctx, f, in, ud, &fm, NULL);
            nn_set(in[k], i, x0);
            double num = (fp - fm) / (2 * h), ana = g ? nn_get(g, i) : 0.0;
            double scale = fabs(num) > fabs(ana) ? fabs(num) : fabs(ana);
            double err = fabs(num - ana) / (scale > 1 ? scale : 1);
            if (err > worst || isnan(err)) {
                worst = isnan(err) ? INFINITY : err;
                worst_i = i;
                worst_in = k;
                worst_a = ana;
                worst_n = num;
            }
        }
    }
    for (int i = 0; i < n; i++)
        nn_release(tracked[i]);
    if (s) {
        tap_ok(false, "%s", name);
        tap_diag("%s: %s", nn_status_name(s), nn_ctx_message(ctx));
        nn_ctx_clear_error(ctx);
        return false;
    }
    bool ok = tap_ok(worst < tol, "%s (gradient vs finite differences)", name);
    if (!ok)
        tap_diag("input %d element %lld: backward %.12g, finite differences %.12g (rel err %.3g)",
                 worst_in + 1, (long long)worst_i + 1, worst_a, worst_n, worst);
    return ok;
}

void *tap_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    (void)ud;
    (void)osize;
    if (nsize == 0) {
        free(ptr);
        return NULL;
    }
    return realloc(ptr, nsize);
}

void tap_text_add(tap_text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->s = realloc(t->s, t->cap);
        if (!t->s) abort();
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

void tap_text_clear(tap_text *t)
{
    t->len = 0;
    if (t->s) t->s[0] = '\0';
}
