/* init.c — weight initialisers with the formulas and defaults of
 * WeightInitializers.jl (lib/WeightInitializers/src/initializers.jl): each
 * draws with rand/randn from the caller's generator and transforms in place;
 * orthogonal goes through LAPACK's QR.
 */
#include "internal.h"

#include <limits.h>
#include <math.h>

static const char *const init_names[NN_NUM_INIT] = {
    "zeros",           "ones",           "glorot_uniform",   "glorot_normal",
    "kaiming_uniform", "kaiming_normal", "truncated_normal", "orthogonal",
};

const char *nn_init_name(nn_init_kind k)
{
    return (unsigned)k < NN_NUM_INIT ? init_names[k] : "?";
}

void nn_init_defaults(nn_init_kind k, nn_init_opts *o)
{
    o->gain = (k == NN_INIT_KAIMING_UNIFORM || k == NN_INIT_KAIMING_NORMAL) ? sqrt(2.0) : 1.0;
    o->mean = 0;
    o->std = 1;
    o->lo = -2;
    o->hi = 2;
}

/* A vector is an n×1 matrix; a matrix is (out, in); more dims are a conv
 * kernel (k..., cin, cout) whose receptive field multiplies both fans. */
void nn_nfan(int ndim, const int64_t *shape, double *fan_in, double *fan_out)
{
    if (ndim == 0) {
        *fan_in = *fan_out = 1;
    } else if (ndim == 1) {
        *fan_in = 1;
        *fan_out = (double)shape[0];
    } else if (ndim == 2) {
        *fan_in = (double)shape[1];
        *fan_out = (double)shape[0];
    } else {
        double k = 1;
        for (int i = 0; i < ndim - 2; i++)
            k *= (double)shape[i];
        *fan_in = k * (double)shape[ndim - 2];
        *fan_out = k * (double)shape[ndim - 1];
    }
}

/* ---- erfinv -------------------------------------------------------------------
 * Giles' single-precision approximation ("Approximating the erfinv function",
 * GPU Computing Gems, 2011; ~4e-7 relative) refined by Newton steps on erf,
 * to ~1e-15.  Above |y| = 0.5 the steps solve log erfc(x) = log(1 - y)
 * instead: 1 - y is exact there and erfc keeps its relative accuracy in the
 * tail, where erf(x) - y would cancel. */

double nn_erfinv(double y)
{
    if (isnan(y) || y < -1 || y > 1) return NAN;
    if (y == 1) return INFINITY;
    if (y == -1) return -INFINITY;
    double a = fabs(y), w = -log((1 - a) * (1 + a)), p;
    if (w < 5) {
        w -= 2.5;
        p = 2.81022636e-08;
        p = 3.43273939e-07 + p * w;
        p = -3.5233877e-06 + p * w;
        p = -4.39150654e-06 + p * w;
        p = 0.00021858087 + p * w;
        p = -0.00125372503 + p * w;
        p = -0.00417768164 + p * w;
        p = 0.246640727 + p * w;
        p = 1.50140941 + p * w;
    } else {
        w = sqrt(w) - 3;
        p = -0.000200214257;
        p = 0.000100950558 + p * w;
        p = 0.00134934322 + p * w;
        p = -0.00367342844 + p * w;
        p = 0.00573950773 + p * w;
        p = -0.0076224613 + p * w;
        p = 0.00943887047 + p * w;
        p = 1.00167406 + p * w;
        p = 2.83297682 + p * w;
    }
    double x = p * a;
    const double two_over_sqrtpi = 1.1283791670955126;
    if (a <= 0.5) {
        for (int i = 0; i < 2; i++)
            x -= (erf(x) - a) / (two_over_sqrtpi * exp(-x * x));
    } else {
        /* log erfc is nearly quadratic in x, so Newton on it converges even from
         * the polynomial's extrapolation beyond |y| = 1 - 1e-7 (w > 16). */
        double logc = log(1 - a);
        for (int i = 0; i < 8; i++) {
            double e = erfc(x);
            double dx = (log(e) - logc) * e / (two_over_sqrtpi * exp(-x * x));
            x += dx;
            if (fabs(dx) <= 1e-15 * x) break;
        }
    }
    return y < 0 ? -x : x;
}

/* ---- elementwise transforms of a fresh rand/randn tensor ----------------------- */

#define FOR_FLOATS(t, BODY)                                                                                  \
    do {                                                                                                     \
        if ((t)->dtype == NN_F32) {                                                                          \
            float *d_ = nn_data(t);                                                                          \
            for (int64_t i_ = 0; i_ < (t)->numel; i_++) {                                                    \
                double x = d_[i_];                                                                           \
                d_[i_] = (float)(BODY);                                                                      \
            }                                                                                                \
        } else {                                                                                             \
            double *d_ = nn_data(t);                                                                         \
            for (int64_t i_ = 0; i_ < (t)->numel; i_++) {                                                    \
                double x = d_[i_];                                                                           \
                d_[i_] = (BODY);                                                                             \
            }                                                                                                \
        }                                                                                                    \
    } while (0)

/* x -> (x + shift) * scale */
static void affine(nn_tensor *t, double shift, double scale)
{
    FOR_FLOATS(t, (x + shift) * scale);
}

static double norm_cdf(double x)
{
    return 0.5 * (1 + erf(x / sqrt(2.0)));
}

/* Inverse-CDF sampling: a uniform over [Φ(lo), Φ(hi)] mapped through Φ⁻¹,
 * clamped because erfinv's rounding may land a hair outside. */
static nn_status truncated_normal(nn_ctx *ctx, nn_tensor **out, nn_rng *r, const nn_init_opts *o, nn_dtype t,
                                  int ndim, const int64_t *shape)
{
    double mean = o->mean, sd = o->std, lo = o->lo, hi = o->hi;
    if (!(sd > 0) || !isfinite(sd) || !isfinite(mean))
        return nn_error(ctx, NN_ERR_ARGUMENT,
                        "truncated_normal: needs a finite mean and std > 0, got mean = %g, std = %g", mean,
                        sd);
    if (!(lo < hi))
        return nn_error(ctx, NN_ERR_ARGUMENT, "truncated_normal: needs lo < hi, got lo = %g, hi = %g", lo,
                        hi);
    double l = norm_cdf((lo - mean) / sd), u = norm_cdf((hi - mean) / sd);
    NN_TRY(nn_rand(ctx, out, r, t, ndim, shape));
    FOR_FLOATS(*out, fmin(fmax(nn_erfinv(x * 2 * (u - l) + (2 * l - 1)) * sd * sqrt(2.0) + mean, lo), hi));
    return NN_OK;
}

/* ---- orthogonal ------------------------------------------------------------------ */

void dgeqrf_(const int *m, const int *n, double *a, const int *lda, double *tau, double *work,
             const int *lwork, int *info);
void dorgqr_(const int *m, const int *n, const int *k, double *a, const int *lda, const double *tau,
             double *work, const int *lwork, int *info);

/* Q of the QR of an (m, n) randn matrix, m >= n >= 1, with each column's sign
 * set so R has a positive diagonal: without that, Q is not Haar-distributed. */
static nn_status orthonormal_columns(nn_ctx *ctx, nn_tensor **q, nn_rng *r, int m, int n)
{
    nn_tensor *a = NULL, *tau = NULL, *work = NULL, *diag = NULL;
    int64_t shape[2] = {m, n}, ntau = n;
    nn_status s;
    if ((s = nn_randn(ctx, &a, r, NN_F64, 2, shape)) || (s = nn_empty(ctx, &tau, NN_F64, 1, &ntau)) ||
        (s = nn_empty(ctx, &diag, NN_F64, 1, &ntau)))
        goto done;
    double *A = nn_data(a), *T = nn_data(tau), *D = nn_data(diag), query = 0;
    int info = 0, lwork = -1;
    dgeqrf_(&m, &n, A, &m, T, &query, &lwork, &info);
    if (info == 0) {
        int lw2 = -1;
        double q2 = 0;
        dorgqr_(&m, &n, &n, A, &m, T, &q2, &lw2, &info);
        lwork = (int)fmax(fmax(query, q2), (double)n);
    }
    if (info != 0) {
        s = nn_error(ctx, NN_ERR_LAPACK, "orthogonal: LAPACK workspace query failed (info = %d)", info);
        goto done;
    }
    int64_t nwork = lwork;
    if ((s = nn_empty(ctx, &work, NN_F64, 1, &nwork))) goto done;
    dgeqrf_(&m, &n, A, &m, T, nn_data(work), &lwork, &info);
    if (info != 0) {
        s = nn_error(ctx, NN_ERR_LAPACK, "orthogonal: dgeqrf failed on a (%d, %d) matrix (info = %d)", m, n,
                     info);
        goto done;
    }
    for (int j = 0; j < n; j++)
        D[j] = A[(size_t)j * m + j] < 0 ? -1.0 : 1.0;
    dorgqr_(&m, &n, &n, A, &m, T, nn_data(work), &lwork, &info);
    if (info != 0) {
        s = nn_error(ctx, NN_ERR_LAPACK, "orthogonal: dorgqr failed on a (%d, %d) matrix (info = %d)", m, n,
                     info);
        goto done;
    }
    for (int j = 0; j < n; j++)
        for (int i = 0; i < m; i++)
            A[(size_t)j * m + i] *= D[j];
    *q = a;
    a = NULL;
done:
    nn_release(a);
    nn_release(tau);
    nn_release(work);
    nn_release(diag);
    return s;
}

/* rows = prod(dims[1:end-1]), cols = dims[end]; a wide matrix is the
 * transpose of a tall one, so its rows come out orthonormal instead.  The
 * draws are fixed by the seed, but OpenBLAS's threaded blocked QR may change
 * Q's last bit (~1e-16) with the thread count. */
static nn_status orthogonal(nn_ctx *ctx, nn_tensor **out, nn_rng *r, double gain, nn_dtype t, int ndim,
                            const int64_t *shape)
{
    char b[NN_SHAPE_BUF];
    if (ndim < 2)
        return nn_error(ctx, NN_ERR_ARGUMENT, "orthogonal: needs at least 2 dimensions, got size %s",
                        nn_shape_str(b, sizeof b, ndim, shape));
    NN_TRY(nn_empty(ctx, out, t, ndim, shape));
    if ((*out)->numel == 0) return NN_OK;
    int64_t rows = (*out)->numel / shape[ndim - 1], cols = shape[ndim - 1];
    bool wide = rows < cols;
    int64_t m = wide ? cols : rows, n = wide ? rows : cols;
    if (m > INT_MAX) {
        nn_release(*out);
        *out = NULL;
        return nn_error(ctx, NN_ERR_ARGUMENT, "orthogonal: size %s is too large for LAPACK",
                        nn_shape_str(b, sizeof b, ndim, shape));
    }
    nn_tensor *q = NULL;
    nn_status s = orthonormal_columns(ctx, &q, r, (int)m, (int)n);
    if (s) {
        nn_release_out(out);
        return s;
    }
    const double *Q = nn_data(q);
    for (int64_t j = 0; j < cols; j++)
        for (int64_t i = 0; i < rows; i++) {
            double v = gain * (wide ? Q[i * m + j] : Q[j * m + i]);
            if (t == NN_F32)
                ((float *)nn_data(*out))[j * rows + i] = (float)v;
            else
                ((double *)nn_data(*out))[j * rows + i] = v;
        }
    nn_release(q);
    return NN_OK;
}

/* ---- the front end ------------------------------------------------------------------- */

nn_status nn_init(nn_ctx *ctx, nn_tensor **out, nn_rng *r, nn_init_kind k, const nn_init_opts *o, nn_dtype t,
                  int ndim, const int64_t *shape)
{
    *out = NULL;
    if ((unsigned)k >= NN_NUM_INIT)
        return nn_error(ctx, NN_ERR_ARGUMENT, "init: unknown initialiser kind %d", (int)k);
    if (!nn_dtype_is_float(t))
        return nn_error(ctx, NN_ERR_TYPE, "%s: the element type must be Float32 or Float64, got %s",
                        init_names[k], nn_dtype_name(t));
    nn_init_opts defaults;
    if (!o) {
        nn_init_defaults(k, &defaults);
        o = &defaults;
    }
    double fan_in, fan_out;
    nn_nfan(ndim, shape, &fan_in, &fan_out);
    switch (k) {
    case NN_INIT_ZEROS: return nn_zeros(ctx, out, t, ndim, shape);
    case NN_INIT_ONES: return nn_ones(ctx, out, t, ndim, shape);
    case NN_INIT_GLOROT_UNIFORM:
        NN_TRY(nn_rand(ctx, out, r, t, ndim, shape));
        affine(*out, -0.5, o->gain * sqrt(24.0 / (fan_in + fan_out)));
        return NN_OK;
    case NN_INIT_GLOROT_NORMAL:
        NN_TRY(nn_randn(ctx, out, r, t, ndim, shape));
        affine(*out, 0, o->gain * sqrt(2.0 / (fan_in + fan_out)));
        return NN_OK;
    case NN_INIT_KAIMING_UNIFORM:
        NN_TRY(nn_rand(ctx, out, r, t, ndim, shape));
        affine(*out, -0.5, 2 * sqrt(3.0) * o->gain / sqrt(fan_in));
        return NN_OK;
    case NN_INIT_KAIMING_NORMAL:
        NN_TRY(nn_randn(ctx, out, r, t, ndim, shape));
        affine(*out, 0, o->gain / sqrt(fan_in));
        return NN_OK;
    case NN_INIT_TRUNCATED_NORMAL: return truncated_normal(ctx, out, r, o, t, ndim, shape);
    case NN_INIT_ORTHOGONAL: return orthogonal(ctx, out, r, o->gain, t, ndim, shape);
    default: return nn_error(ctx, NN_ERR_ARGUMENT, "init: unknown initialiser kind %d", (int)k);
    }
}
