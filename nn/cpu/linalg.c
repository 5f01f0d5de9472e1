/* cpu/linalg.c — LU (getrf, getrs, getri) and QR (geqrf, orgqr) through the
 * LAPACK that OpenBLAS exports, the triangular solve of QR's backward
 * through BLAS, and the vector norms.  Float32 and Float64 bodies come from
 * one source: the LAPACK calls by an s/d pick, the loops by a macro.
 */
#include "linalg.h"

#include <cblas.h>
#include <limits.h>
#include <math.h>

/* LAPACK's Fortran entry points (32-bit integers, as Debian's libopenblas);
 * a character argument's hidden length comes last, as gfortran passes it. */
void sgetrf_(const int *m, const int *n, float *a, const int *lda, int *ipiv, int *info);
void dgetrf_(const int *m, const int *n, double *a, const int *lda, int *ipiv, int *info);
void sgetrs_(const char *trans, const int *n, const int *nrhs, const float *a, const int *lda,
             const int *ipiv, float *b, const int *ldb, int *info, size_t trans_len);
void dgetrs_(const char *trans, const int *n, const int *nrhs, const double *a, const int *lda,
             const int *ipiv, double *b, const int *ldb, int *info, size_t trans_len);
void sgetri_(const int *n, float *a, const int *lda, const int *ipiv, float *work, const int *lwork,
             int *info);
void dgetri_(const int *n, double *a, const int *lda, const int *ipiv, double *work, const int *lwork,
             int *info);
void sgeqrf_(const int *m, const int *n, float *a, const int *lda, float *tau, float *work, const int *lwork,
             int *info);
void dgeqrf_(const int *m, const int *n, double *a, const int *lda, double *tau, double *work,
             const int *lwork, int *info);
void sorgqr_(const int *m, const int *n, const int *k, float *a, const int *lda, const float *tau,
             float *work, const int *lwork, int *info);
void dorgqr_(const int *m, const int *n, const int *k, double *a, const int *lda, const double *tau,
             double *work, const int *lwork, int *info);

/* The s or d routine by dtype; pointers travel as void * to either. */
#define LAPACK(dt, fn, ...)                                                                                  \
    do {                                                                                                     \
        if ((dt) == NN_F32)                                                                                  \
            s##fn##_(__VA_ARGS__);                                                                           \
        else                                                                                                 \
            d##fn##_(__VA_ARGS__);                                                                           \
    } while (0)

static nn_status check_size(nn_ctx *ctx, const char *op, int64_t n)
{
    if (n > INT_MAX / 2)
        return nn_error(ctx, NN_ERR_ARGUMENT, "%s: a dimension of %lld is too large for LAPACK", op,
                        (long long)n);
    return NN_OK;
}

static nn_status lapack_failed(nn_ctx *ctx, const char *routine, int info)
{
    return nn_error(ctx, NN_ERR_LAPACK, "%s failed (info = %d)", routine, info);
}

nn_status nn_cpu_getrf(nn_ctx *ctx, nn_tensor *a, nn_tensor *ipiv, int *singular)
{
    NN_TRY(check_size(ctx, "getrf", a->shape[0]));
    int n = (int)a->shape[0], lda = n > 1 ? n : 1, info = 0;
    *singular = 0;
    if (n == 0) return NN_OK;
    void *A = nn_data(a);
    LAPACK(a->dtype, getrf, &n, &n, A, &lda, nn_data(ipiv), &info);
    if (info < 0) return lapack_failed(ctx, "getrf", info);
    *singular = info;
    return NN_OK;
}

nn_status nn_cpu_getrs(nn_ctx *ctx, const nn_tensor *lu, const nn_tensor *ipiv, bool trans, nn_tensor *b)
{
    int n = (int)lu->shape[0], lda = n > 1 ? n : 1, info = 0;
    NN_TRY(check_size(ctx, "getrs", b->ndim > 1 ? b->shape[1] : 1));
    int nrhs = b->ndim > 1 ? (int)b->shape[1] : 1;
    if (n == 0 || nrhs == 0) return NN_OK;
    char t = trans ? 'T' : 'N';
    const void *A = nn_data(lu);
    void *B = nn_data(b);
    LAPACK(lu->dtype, getrs, &t, &n, &nrhs, A, &lda, nn_data(ipiv), B, &lda, &info, 1);
    return info ? lapack_failed(ctx, "getrs", info) : NN_OK;
}

/* A workspace of LAPACK's preferred size (a query with lwork = -1 first). */
static nn_status workspace(nn_ctx *ctx, nn_tensor **work, nn_dtype dt, double query, int64_t least,
                           int *lwork)
{
    int64_t n = (int64_t)query > least ? (int64_t)query : least;
    if (n > INT_MAX) n = least;
    *lwork = (int)n;
    return nn_empty(ctx, work, dt, 1, &n);
}

nn_status nn_cpu_getri(nn_ctx *ctx, nn_tensor *lu, const nn_tensor *ipiv)
{
    int n = (int)lu->shape[0], lda = n > 1 ? n : 1, info = 0, lwork = -1;
    if (n == 0) return NN_OK;
    double q[1];
    float qf[1];
    void *A = nn_data(lu), *Q = lu->dtype == NN_F32 ? (void *)qf : (void *)q;
    const int *P = nn_data(ipiv);
    LAPACK(lu->dtype, getri, &n, A, &lda, P, Q, &lwork, &info);
    nn_tensor *work;
    NN_TRY(workspace(ctx, &work, lu->dtype, lu->dtype == NN_F32 ? qf[0] : q[0], n, &lwork));
    void *W = nn_data(work);
    LAPACK(lu->dtype, getri, &n, A, &lda, P, W, &lwork, &info);
    nn_release(work);
    return info ? lapack_failed(ctx, "getri", info) : NN_OK;
}

nn_status nn_cpu_qr(nn_ctx *ctx, nn_tensor *a, nn_tensor *r)
{
    NN_TRY(check_size(ctx, "qr", a->shape[0]));
    NN_TRY(check_size(ctx, "qr", a->shape[1]));
    int m = (int)a->shape[0], n = (int)a->shape[1], k = m < n ? m : n, lda = m > 1 ? m : 1;
    int info = 0, lwork = -1;
    NN_TRY(nn_backend_for(NN_CPU)->fill(ctx, r, 0.0));
    if (k == 0) return NN_OK;
    nn_dtype dt = a->dtype;
    int64_t kk = k;
    nn_tensor *tau, *work;
    NN_TRY(nn_empty(ctx, &tau, dt, 1, &kk));
    double q[1];
    float qf[1];
    void *A = nn_data(a), *T = nn_data(tau), *Q = dt == NN_F32 ? (void *)qf : (void *)q;
    LAPACK(dt, geqrf, &m, &n, A, &lda, T, Q, &lwork, &info);
    nn_status s = workspace(ctx, &work, dt, dt == NN_F32 ? qf[0] : q[0], n, &lwork);
    if (s) {
        nn_release(tau);
        return s;
    }
    LAPACK(dt, geqrf, &m, &n, A, &lda, T, nn_data(work), &lwork, &info);
    if (info) s = lapack_failed(ctx, "geqrf", info);
    /* R: the upper triangle of the first k rows, before orgqr overwrites them */
    for (int64_t j = 0; !s && j < n; j++)
        for (int64_t i = 0; i <= j && i < k; i++)
            nn_set(r, i + j * k, nn_get(a, i + j * m));
    nn_release(work);
    lwork = -1;
    if (!s) LAPACK(dt, orgqr, &m, &k, &k, A, &lda, T, Q, &lwork, &info);
    if (!s) s = workspace(ctx, &work, dt, dt == NN_F32 ? qf[0] : q[0], k, &lwork);
    if (!s) {
        LAPACK(dt, orgqr, &m, &k, &k, A, &lda, T, nn_data(work), &lwork, &info);
        nn_release(work);
        if (info) s = lapack_failed(ctx, "orgqr", info);
    }
    nn_release(tau);
    return s;
}

nn_status nn_cpu_trsm_rut(nn_ctx *ctx, nn_tensor *b, const nn_tensor *u, int64_t k)
{
    int64_t m = b->shape[0];
    int ldu = u->shape[0] > 1 ? (int)u->shape[0] : 1, ldb = m > 1 ? (int)m : 1;
    if (m == 0 || k == 0) return NN_OK;
    if (b->dtype == NN_F32)
        cblas_strsm(CblasColMajor, CblasRight, CblasUpper, CblasTrans, CblasNonUnit, (int)m, (int)k, 1.0f,
                    nn_data(u), ldu, nn_data(b), ldb);
    else
        cblas_dtrsm(CblasColMajor, CblasRight, CblasUpper, CblasTrans, CblasNonUnit, (int)m, (int)k, 1.0,
                    nn_data(u), ldu, nn_data(b), ldb);
    (void)ctx;
    return NN_OK;
}

#define DEFINE_COPYLTU(SUF, T)                                                                               \
    static void copyltu_##SUF(T *M, int64_t k)                                                               \
    {                                                                                                        \
        for (int64_t j = 1; j < k; j++)                                                                      \
            for (int64_t i = 0; i < j; i++)                                                                  \
                M[i + j * k] = M[j + i * k];                                                                 \
    }
DEFINE_COPYLTU(f32, float)
DEFINE_COPYLTU(f64, double)

void nn_cpu_copyltu(nn_tensor *m)
{
    if (m->dtype == NN_F32)
        copyltu_f32(nn_data(m), m->shape[0]);
    else
        copyltu_f64(nn_data(m), m->shape[0]);
}

/* ---- norms: accumulated in double; p = 2 and p > 1 scale by the largest
 * magnitude first, so norm([1e200, 1e200]) does not overflow (Julia's
 * generic_norm2 and generic_normp do the same). */

#define DEFINE_NORM(SUF, T)                                                                                  \
    static double norm_##SUF(const T *x, int64_t n, double p)                                                \
    {                                                                                                        \
        if (n == 0) return 0.0;                                                                              \
        double big = 0.0, small = INFINITY, acc = 0.0;                                                       \
        for (int64_t i = 0; i < n; i++) {                                                                    \
            double v = fabs((double)x[i]);                                                                   \
            if (v != v) return NAN;                                                                          \
            big = v > big ? v : big;                                                                         \
            small = v < small ? v : small;                                                                   \
        }                                                                                                    \
        if (p == INFINITY) return big;                                                                       \
        if (p == -INFINITY) return small;                                                                    \
        if (p == 0) {                                                                                        \
            for (int64_t i = 0; i < n; i++)                                                                  \
                acc += x[i] != 0;                                                                            \
            return acc;                                                                                      \
        }                                                                                                    \
        if (p == 1) {                                                                                        \
            for (int64_t i = 0; i < n; i++)                                                                  \
                acc += fabs((double)x[i]);                                                                   \
            return acc;                                                                                      \
        }                                                                                                    \
        bool scale = p > 1 && big != 0 && isfinite(big);                                                     \
        if (p > 1 && !scale) return big; /* all zero, or an infinity */                                      \
        double s = scale ? big : 1.0;                                                                        \
        for (int64_t i = 0; i < n; i++) {                                                                    \
            double v = fabs((double)x[i]) / s;                                                               \
            acc += p == 2 ? v * v : pow(v, p);                                                               \
        }                                                                                                    \
        return s * (p == 2 ? sqrt(acc) : pow(acc, 1.0 / p));                                                 \
    }                                                                                                        \
    static void norm_grad_##SUF(T *gx, const T *x, int64_t n, double p, double y, double g)                  \
    {                                                                                                        \
        if (p == INFINITY || p == -INFINITY) {                                                               \
            int64_t ties = 0;                                                                                \
            for (int64_t i = 0; i < n; i++)                                                                  \
                ties += fabs((double)x[i]) == y;                                                             \
            for (int64_t i = 0; i < n; i++) {                                                                \
                double v = (double)x[i];                                                                     \
                gx[i] = (T)(fabs(v) == y ? g * ((v > 0) - (v < 0)) / (double)ties : 0.0);                    \
            }                                                                                                \
            return;                                                                                          \
        }                                                                                                    \
        for (int64_t i = 0; i < n; i++) {                                                                    \
            double v = (double)x[i], sg = (v > 0) - (v < 0), d;                                              \
            if (p == 0 || (y == 0 && p != 1))                                                                \
                d = 0.0;                                                                                     \
            else if (p == 1)                                                                                 \
                d = sg;                                                                                      \
            else if (p == 2)                                                                                 \
                d = v / y;                                                                                   \
            else                                                                                             \
                d = sg * pow(fabs(v) / y, p - 1);                                                            \
            gx[i] = (T)(g * d);                                                                              \
        }                                                                                                    \
    }
DEFINE_NORM(f32, float)
DEFINE_NORM(f64, double)

double nn_cpu_norm(const nn_tensor *x, double p)
{
    return x->dtype == NN_F32 ? norm_f32(nn_data(x), x->numel, p) : norm_f64(nn_data(x), x->numel, p);
}

void nn_cpu_norm_grad(nn_tensor *gx, const nn_tensor *x, double p, double y, double g)
{
    if (x->dtype == NN_F32)
        norm_grad_f32(nn_data(gx), nn_data(x), x->numel, p, y, g);
    else
        norm_grad_f64(nn_data(gx), nn_data(x), x->numel, p, y, g);
}
