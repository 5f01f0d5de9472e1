/* normalize.c — batch normalisation (affine and activation fused, running
 * statistics) and nn_normalize (the core of group, instance and layer norm),
 * sharing one hand-written backward: per channel, with dz the gradient
 * through the activation and x̂ = (x - μ)/σ,
 *   dx = γ/σ (dz - mean(dz) - x̂ mean(dz x̂))   (training; γ/σ dz otherwise)
 *   dγ = Σ dz x̂,  dβ = Σ dz.
 * Two passes over x for the statistics, one for y; two for the backward.
 * Kernels: cpu/normalize.c.
 */
#include "internal.h"

#include <math.h>

/* Per-channel Float64 values are (C, 4) tensors; column k of one. */
static double *col(const nn_tensor *t, int k)
{
    return (double *)nn_data(t) + (int64_t)k * t->shape[0];
}

/* x seen as (r1, k, r2) for the dims set in mask: reduced dims, then kept
 * ones (the channels), then reduced ones again; size-1 dims count as either.
 * False when the kept dims are not one run (nn_normalize permutes then). */
static bool norm_axis(int ndim, const int64_t *shape, uint32_t mask, nn_axis *ax)
{
    *ax = (nn_axis){1, 1, 1};
    int state = 0; /* 0: leading reduced dims, 1: kept, 2: trailing reduced */
    for (int i = 0; i < ndim; i++) {
        if (shape[i] == 1) continue;
        bool red = (mask >> i) & 1;
        if (state == 0 && !red) state = 1;
        if (state == 1 && red) state = 2;
        if (state == 2 && !red) return false;
        if (state == 1)
            ax->n *= shape[i];
        else if (state == 0)
            ax->inner *= shape[i];
        else
            ax->outer *= shape[i];
    }
    return true;
}

/* ---- backward ----------------------------------------------------------------------------------
 * saved: x, P (C, 4: mean, 1/σ, γ, β), y (the output, when there is an activation), z (the
 * pre-activation, when the activation's derivative needs it).  iparam: act, training, mask. */

/* A tensor of edge i's dtype and shape from per-channel values a[c] b[c]. */
static nn_status channel_grad(nn_ctx *ctx, nn_tensor **out, const nn_edge *e, const double *a,
                              const double *b)
{
    NN_TRY(nn_empty(ctx, out, e->dtype, e->ndim, e->shape));
    for (int64_t c = 0; c < (*out)->numel; c++)
        nn_set(*out, c, a ? a[c] * b[c] : b[c]);
    return NN_OK;
}

static nn_status norm_backward(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin)
{
    const nn_tensor *x = node->saved[0], *P = node->saved[1];
    const nn_tensor *y = node->nsaved > 2 ? node->saved[2] : NULL,
                    *z = node->nsaved > 3 ? node->saved[3] : NULL;
    nn_unary_op act = (nn_unary_op)node->iparam[0];
    bool training = node->iparam[1];
    nn_axis ax;
    norm_axis(x->ndim, x->shape, (uint32_t)node->iparam[2], &ax);
    const nn_backend *be = nn_backend_for(nn_tensor_device(x));
    int64_t C = ax.n, two[2] = {C, 2}, four[2] = {C, 4};
    double cnt = (double)(ax.inner * ax.outer);
    nn_tensor *dz = NULL, *S = NULL, *Q = NULL;
    const nn_tensor *g = gout, *mask = NULL;
    nn_status s = NN_OK;
    if (act == NN_RELU) {
        mask = y;
    } else if (act != NN_IDENTITY) {
        s = nn_similar(ctx, &dz, gout);
        if (!s) s = be->unary_grad(ctx, dz, act, gout, z, y, node->dparam[0]);
        g = dz;
    }
    bool sums = training || nn_edge_needs(node, 1) || nn_edge_needs(node, 2);
    if (!s && sums) s = nn_empty(ctx, &S, NN_F64, 2, two);
    if (!s && sums) s = be->norm_grad_sums(ctx, S, g, mask, x, P, ax);
    if (!s && nn_edge_needs(node, 0)) {
        s = nn_empty(ctx, &Q, NN_F64, 2, four);
        if (!s) {
            const double *mean = col(P, 0), *is = col(P, 1), *gam = col(P, 2);
            double *q0 = col(Q, 0), *q1 = col(Q, 1), *q2 = col(Q, 2), *q3 = col(Q, 3);
            for (int64_t c = 0; c < C; c++) {
                double a = gam[c] * is[c];
                q0[c] = mean[c];
                q1[c] = a;
                q2[c] = training ? -a * is[c] * is[c] * col(S, 1)[c] / cnt : 0;
                q3[c] = training ? -a * col(S, 0)[c] / cnt : 0;
            }
            s = nn_similar(ctx, &gin[0], x);
        }
        if (!s) s = be->norm_grad_apply(ctx, gin[0], g, mask, x, Q, ax);
    }
    if (!s && nn_edge_needs(node, 1)) s = channel_grad(ctx, &gin[1], &node->edges[1], col(P, 1), col(S, 1));
    if (!s && nn_edge_needs(node, 2)) s = channel_grad(ctx, &gin[2], &node->edges[2], NULL, col(S, 0));
    nn_release(dz);
    nn_release(S);
    nn_release(Q);
    return s;
}

/* ---- forward -------------------------------------------------------------------------------------- */

typedef struct {
    const nn_tensor *scale, *bias, *rmean, *rvar;
    bool training;
    double momentum, eps;
    nn_unary_op act;
    double p;
} norm_opts;

/* (1-m) r + m v k per channel, as a new tensor of r's shape (its float dtype, else t). */
static nn_status running(nn_ctx *ctx, nn_tensor **out, const nn_tensor *r, const double *v, double m,
                         double k, nn_dtype t)
{
    NN_TRY(nn_empty(ctx, out, nn_dtype_is_float(r->dtype) ? r->dtype : t, r->ndim, r->shape));
    for (int64_t c = 0; c < r->numel; c++)
        nn_set(*out, c, (1 - m) * nn_get(r, c) + m * v[c] * k);
    return NN_OK;
}

/* xc of a float dtype; the others already checked against ax.n channels. */
static nn_status norm_forward(nn_ctx *ctx, nn_tensor **out, nn_tensor **new_mean, nn_tensor **new_var,
                              const char *name, const nn_tensor *xc, uint32_t mask, nn_axis ax,
                              const norm_opts *o)
{
    const nn_backend *be = nn_backend_for(nn_tensor_device(xc));
    nn_dtype t = xc->dtype;
    int64_t C = ax.n, four[2] = {C, 4};
    nn_tensor *sc = NULL, *bc = NULL, *P = NULL, *z = NULL;
    nn_status s = o->scale ? nn_as_dtype(ctx, &sc, o->scale, t) : NN_OK;
    if (!s && o->bias) s = nn_as_dtype(ctx, &bc, o->bias, t);
    if (!s) s = nn_empty(ctx, &P, NN_F64, 2, four);
    if (!s && o->training) s = be->norm_stats(ctx, P, xc, ax);
    if (!s && !o->training)
        for (int64_t c = 0; c < C; c++) {
            col(P, 0)[c] = nn_get(o->rmean, c);
            col(P, 1)[c] = nn_get(o->rvar, c);
        }
    if (!s && o->rmean) {
        double n = (double)(ax.inner * ax.outer);
        if (new_mean)
            s = o->training ? running(ctx, new_mean, o->rmean, col(P, 0), o->momentum, 1, t)
                            : (*new_mean = nn_retain((nn_tensor *)o->rmean), NN_OK);
        if (!s && new_var)
            s = o->training ? running(ctx, new_var, o->rvar, col(P, 1), o->momentum, n / (n - 1), t)
                            : (*new_var = nn_retain((nn_tensor *)o->rvar), NN_OK);
    }
    if (!s) {
        double *is = col(P, 1), *gam = col(P, 2), *bet = col(P, 3);
        for (int64_t c = 0; c < C; c++) {
            is[c] = 1 / sqrt(is[c] + o->eps);
            gam[c] = sc ? nn_get(sc, c) : 1;
            bet[c] = bc ? nn_get(bc, c) : 0;
        }
        s = nn_similar(ctx, out, xc);
    }
    if (!s) s = be->norm_apply(ctx, *out, xc, P, ax, o->act == NN_RELU);
    const nn_tensor *in[3] = {xc, sc, bc};
    bool tracked = nn_is_tracked(xc) || (sc && nn_is_tracked(sc)) || (bc && nn_is_tracked(bc));
    if (!s && o->act != NN_IDENTITY && o->act != NN_RELU) {
        if (tracked && !nn_unary_grad_uses_y(o->act)) {
            s = nn_similar(ctx, &z, *out);
            if (!s) s = be->convert(ctx, z, *out);
        }
        if (!s) s = be->unary(ctx, *out, o->act, *out, o->p);
    }
    nn_node *node = NULL;
    if (!s && tracked) s = nn_node_new(ctx, &node, name, norm_backward, 3, in);
    if (node) {
        node->iparam[0] = o->act;
        node->iparam[1] = o->training;
        node->iparam[2] = (int)mask;
        node->dparam[0] = o->p;
        s = nn_node_save(ctx, node, xc);
        if (!s) s = nn_node_save(ctx, node, P);
        if (!s && o->act != NN_IDENTITY) s = nn_node_save(ctx, node, *out);
        if (!s && z) s = nn_node_save(ctx, node, z);
        nn_node_attach(*out, node);
    }
    nn_release(sc);
    nn_release(bc);
    nn_release(P);
    nn_release(z);
    if (s) {
        nn_release_out(out);
        if (new_mean) nn_release_out(new_mean);
        if (new_var) nn_release_out(new_var);
    }
    return s;
}

static nn_status check_eps(nn_ctx *ctx, const char *name, double eps)
{
    if (!(eps >= 0) || isinf(eps))
        return nn_error(ctx, NN_ERR_ARGUMENT, "%s: epsilon = %g must be finite and non-negative", name, eps);
    return NN_OK;
}

/* A per-channel argument has C elements (any shape: (C,), or (1, 1, C, 1) from a layer). */
static nn_status check_channels(nn_ctx *ctx, const nn_tensor *v, const char *what, const nn_tensor *x,
                                int64_t C)
{
    char a[NN_SHAPE_BUF], b[NN_SHAPE_BUF];
    if (!v || v->numel == C) return NN_OK;
    return nn_error(ctx, NN_ERR_DIMENSION,
                    "batchnorm: %s has size %s, but x of size %s has %lld channels (dim %d): it needs %lld "
                    "elements",
                    what, nn_tshape(a, v), nn_tshape(b, x), (long long)C, x->ndim - 1, (long long)C);
}

nn_status nn_batchnorm(nn_ctx *ctx, nn_tensor **out, nn_tensor **new_mean, nn_tensor **new_var,
                       const nn_tensor *x, const nn_tensor *scale, const nn_tensor *bias,
                       const nn_tensor *running_mean, const nn_tensor *running_var, bool training,
                       double momentum, double eps, nn_unary_op act, double act_p)
{
    *out = NULL;
    if (new_mean) *new_mean = NULL;
    if (new_var) *new_var = NULL;
    char a[NN_SHAPE_BUF];
    if ((unsigned)act >= NN_NUM_UNARY)
        return nn_error(ctx, NN_ERR_ARGUMENT, "batchnorm: bad activation %d", (int)act);
    NN_TRY(check_eps(ctx, "batchnorm", eps));
    if (x->ndim < 2)
        return nn_error(
            ctx, NN_ERR_DIMENSION,
            "batchnorm: x has size %s; it needs at least 2 dims (channels in dim ndims(x) - 1, the "
            "batch last)",
            nn_tshape(a, x));
    int64_t C = x->shape[x->ndim - 2];
    NN_TRY(check_channels(ctx, scale, "scale", x, C));
    NN_TRY(check_channels(ctx, bias, "bias", x, C));
    NN_TRY(check_channels(ctx, running_mean, "running_mean", x, C));
    NN_TRY(check_channels(ctx, running_var, "running_var", x, C));
    if (!running_mean != !running_var)
        return nn_error(ctx, NN_ERR_ARGUMENT,
                        "batchnorm: running_mean and running_var go together (one is missing)");
    if (!training && !running_mean)
        return nn_error(ctx, NN_ERR_ARGUMENT,
                        "batchnorm: not training, the running statistics normalise: running_mean and "
                        "running_var are needed");
    if (training && x->shape[x->ndim - 1] == 1)
        return nn_error(ctx, NN_ERR_ARGUMENT,
                        "batchnorm: Batch size for BatchNorm cannot be 1 during training (x has size %s)",
                        nn_tshape(a, x));
    nn_tensor *xc;
    NN_TRY(nn_as_dtype(ctx, &xc, x, nn_dtype_is_float(x->dtype) ? x->dtype : NN_F32));
    uint32_t mask = ((1u << x->ndim) - 1) & ~(1u << (x->ndim - 2));
    norm_opts o = {scale, bias, running_mean, running_var, training, momentum, eps, act, act_p};
    nn_status s = norm_forward(ctx, out, new_mean, new_var, "batchnorm", xc, mask,
                               nn_axis_of(x->ndim, x->shape, x->ndim - 2, x->ndim - 1), &o);
    nn_release(xc);
    return s;
}

nn_status nn_normalize(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, uint32_t dims, double eps)
{
    *out = NULL;
    NN_TRY(check_eps(ctx, "normalize", eps));
    int nd = x->ndim;
    uint32_t mask = dims & ((1u << nd) - 1);
    nn_axis ax;
    if (norm_axis(nd, x->shape, mask, &ax)) {
        nn_tensor *xc;
        NN_TRY(nn_as_dtype(ctx, &xc, x, nn_dtype_is_float(x->dtype) ? x->dtype : NN_F32));
        norm_opts o = {.training = true, .eps = eps, .act = NN_IDENTITY};
        nn_status s = norm_forward(ctx, out, NULL, NULL, "normalize", xc, mask, ax, &o);
        nn_release(xc);
        return s;
    }
    /* the kept dims are apart: the reduced ones first, normalise, and back */
    int perm[NN_MAX_DIMS], inv[NN_MAX_DIMS], k = 0;
    for (int i = 0; i < nd; i++)
        if ((mask >> i) & 1) perm[k++] = i + 1;
    int nred = k;
    for (int i = 0; i < nd; i++)
        if (!((mask >> i) & 1)) perm[k++] = i + 1;
    for (int i = 0; i < nd; i++)
        inv[perm[i] - 1] = i + 1;
    nn_tensor *xp, *yp = NULL;
    NN_TRY(nn_permutedims(ctx, &xp, x, perm));
    nn_status s = nn_normalize(ctx, &yp, xp, (1u << nred) - 1, eps);
    if (!s) s = nn_permutedims(ctx, out, yp, inv);
    nn_release(xp);
    nn_release(yp);
    return s;
}
