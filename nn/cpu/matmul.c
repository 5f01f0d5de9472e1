/* cpu/matmul.c — C = alpha op(A) op(B) + beta C through OpenBLAS, column-major,
 * transposes passed to BLAS rather than copied.  A 3rd dimension is a batch
 * (a size-1 batch broadcasts).  Large products are split into column blocks
 * so an interrupt is seen between them; small ones go in one call.
 */
#include "kernels.h"

#include <cblas.h>

#define BLOCK_FLOPS (64.0 * 1024 * 1024) /* per block between interrupt checks */

nn_status nn_cpu_gemm(nn_ctx *ctx, nn_tensor *c, const nn_tensor *a, const nn_tensor *b, bool ta, bool tb,
                      double alpha, double beta)
{
    int64_t m = c->shape[0], n = c->ndim > 1 ? c->shape[1] : 1;
    int64_t ar = a->shape[0], ac = a->ndim > 1 ? a->shape[1] : 1;
    int64_t br = b->shape[0], bc = b->ndim > 1 ? b->shape[1] : 1;
    int64_t k = ta ? ar : ac;
    int64_t batch = c->ndim > 2 ? c->shape[2] : 1;
    int64_t abatch = a->ndim > 2 ? a->shape[2] : 1, bbatch = b->ndim > 2 ? b->shape[2] : 1;
    (void)bc;
    int64_t cols = n;
    double flops = 2.0 * (double)m * (double)n * (double)k;
    if (flops > BLOCK_FLOPS) {
        cols = (int64_t)(BLOCK_FLOPS / (2.0 * (double)m * (double)(k ? k : 1)));
        if (cols < 1) cols = 1;
    }
    size_t es = nn_dtype_size(c->dtype);
    for (int64_t p = 0; p < batch; p++) {
        const char *A = (const char *)nn_data(a) + (size_t)((abatch > 1 ? p : 0) * ar * ac) * es;
        const char *B = (const char *)nn_data(b) + (size_t)((bbatch > 1 ? p : 0) * br * bc) * es;
        char *C = (char *)nn_data(c) + (size_t)(p * m * n) * es;
        for (int64_t j0 = 0; j0 < n; j0 += cols) {
            if (nn_check_interrupt(ctx)) return nn_error(ctx, NN_ERR_INTERRUPTED, "matmul: interrupted");
            int64_t nc = j0 + cols < n ? cols : n - j0;
            /* columns j0.. of op(B): column j0 of B, or row j0 of B when transposed */
            size_t boff = (size_t)(tb ? j0 : j0 * br) * es;
            if (m == 0 || nc == 0) continue;
            if (c->dtype == NN_F32)
                cblas_sgemm(CblasColMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                            (int)m, (int)nc, (int)k, (float)alpha, (const float *)A, (int)(ar ? ar : 1),
                            (const float *)(B + boff), (int)(br ? br : 1), (float)beta,
                            (float *)(C + (size_t)(j0 * m) * es), (int)m);
            else
                cblas_dgemm(CblasColMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                            (int)m, (int)nc, (int)k, alpha, (const double *)A, (int)(ar ? ar : 1),
                            (const double *)(B + boff), (int)(br ? br : 1), beta,
                            (double *)(C + (size_t)(j0 * m) * es), (int)m);
        }
    }
    return NN_OK;
}
