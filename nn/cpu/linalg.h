/* cpu/linalg.h — the CPU's dense linear-algebra kernels (cpu/linalg.c) for
 * nn/linalg.c: LAPACK's LU and QR, BLAS's triangular solve, and the norms.
 * Matrices are dense column-major Float32 or Float64 tensors of one dtype;
 * pivots are Int32 tensors (LAPACK's integers).  Not in the backend table
 * yet: a CUDA build adds these as slots when it has a solver to call.
 */
#ifndef NN_CPU_LINALG_H
#define NN_CPU_LINALG_H

#include "../internal.h"

/* a (n, n) is overwritten by its LU factors, ipiv (n,) by the pivots;
 * *singular = k > 0 when U[k, k] is exactly zero (LAPACK's info). */
nn_status nn_cpu_getrf(nn_ctx *ctx, nn_tensor *a, nn_tensor *ipiv, int *singular);
/* b (n,) or (n, k) := A \ b, or A' \ b when trans, from getrf's factors. */
nn_status nn_cpu_getrs(nn_ctx *ctx, const nn_tensor *lu, const nn_tensor *ipiv, bool trans, nn_tensor *b);
/* lu (n, n), a non-singular matrix's factors, is overwritten by inv(A). */
nn_status nn_cpu_getri(nn_ctx *ctx, nn_tensor *lu, const nn_tensor *ipiv);
/* a (m, n) is overwritten by geqrf's reflectors, then by orgqr's Q in its
 * first min(m, n) columns; r (min(m, n), n) receives R. */
nn_status nn_cpu_qr(nn_ctx *ctx, nn_tensor *a, nn_tensor *r);
/* b (m, k) := b * inv(U)' for the upper triangle of u (k, k at least, its
 * leading dimension u->shape[0]). */
nn_status nn_cpu_trsm_rut(nn_ctx *ctx, nn_tensor *b, const nn_tensor *u, int64_t k);
/* m (k, k): the lower triangle copied onto the upper one (symmetric). */
void nn_cpu_copyltu(nn_tensor *m);
/* The p-norm of all of x's elements (p = 2, 1, Inf, -Inf, 0 or any other). */
double nn_cpu_norm(const nn_tensor *x, double p);
/* gx = g * d norm(x, p) / dx, given y = norm(x, p); ties of the Inf norms
 * share the gradient evenly, as maximum's backward does. */
void nn_cpu_norm_grad(nn_tensor *gx, const nn_tensor *x, double p, double y, double g);

#endif
