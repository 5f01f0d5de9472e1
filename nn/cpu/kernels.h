/* cpu/kernels.h — the CPU backend's kernels, gathered into nn_cpu_backend. */
#ifndef NN_CPU_KERNELS_H
#define NN_CPU_KERNELS_H

#include "../internal.h"

nn_status nn_cpu_fill(nn_ctx *ctx, nn_tensor *out, double v);
nn_status nn_cpu_convert(nn_ctx *ctx, nn_tensor *out, const nn_tensor *x);
nn_status nn_cpu_unary(nn_ctx *ctx, nn_tensor *out, nn_unary_op op, const nn_tensor *x, double p);
nn_status nn_cpu_unary_grad(nn_ctx *ctx, nn_tensor *gx, nn_unary_op op, const nn_tensor *gy,
                            const nn_tensor *x, const nn_tensor *y, double p);
nn_status nn_cpu_binary(nn_ctx *ctx, nn_tensor *out, nn_binary_op op, const nn_tensor *a, const nn_tensor *b);
nn_status nn_cpu_binary_grad(nn_ctx *ctx, nn_tensor *ga, nn_tensor *gb, nn_binary_op op,
                             const nn_tensor *gout, const nn_tensor *a, const nn_tensor *b);
nn_status nn_cpu_compare(nn_ctx *ctx, nn_tensor *out, nn_compare_op op, const nn_tensor *a,
                         const nn_tensor *b);
nn_status nn_cpu_ifelse(nn_ctx *ctx, nn_tensor *out, const nn_tensor *c, const nn_tensor *a,
                        const nn_tensor *b);
nn_status nn_cpu_reduce(nn_ctx *ctx, nn_tensor *out, nn_reduce_op op, const nn_tensor *x);
nn_status nn_cpu_sqdev(nn_ctx *ctx, nn_tensor *out, const nn_tensor *x, const nn_tensor *mean, double scale);
nn_status nn_cpu_argext(nn_ctx *ctx, nn_tensor *out, const nn_tensor *x, bool min, nn_axis ax);
nn_status nn_cpu_softmax(nn_ctx *ctx, nn_tensor *out, const nn_tensor *x, nn_softmax_mode mode, nn_axis ax);
nn_status nn_cpu_softmax_grad(nn_ctx *ctx, nn_tensor *gx, const nn_tensor *gy, const nn_tensor *y,
                              nn_softmax_mode mode, nn_axis ax);
nn_status nn_cpu_xent(nn_ctx *ctx, nn_tensor *loss, nn_tensor *lsm, const nn_tensor *x, const nn_tensor *y);
nn_status nn_cpu_xent_grad(nn_ctx *ctx, nn_tensor *gx, const nn_tensor *lsm, const nn_tensor *y,
                           const nn_tensor *g, double scale);
nn_status nn_cpu_bias_act(nn_ctx *ctx, nn_tensor *y, const nn_tensor *b, nn_unary_op act, double p);
nn_status nn_cpu_gemm(nn_ctx *ctx, nn_tensor *c, const nn_tensor *a, const nn_tensor *b, bool ta, bool tb,
                      double alpha, double beta);
nn_status nn_cpu_copy_strided(nn_ctx *ctx, nn_tensor *dst, int64_t doff, const int64_t *dstride,
                              const nn_tensor *src, int64_t soff, const int64_t *sstride, int ndim,
                              const int64_t *shape);
nn_status nn_cpu_permute(nn_ctx *ctx, nn_tensor *out, const nn_tensor *x, const int *perm);
nn_status nn_cpu_gather(nn_ctx *ctx, nn_tensor *out, const nn_tensor *x, const nn_selection *sel);
nn_status nn_cpu_scatter(nn_ctx *ctx, nn_tensor *x, const nn_tensor *src, const nn_selection *sel, bool add);

/* convolution (conv.c) */
nn_status nn_cpu_conv(nn_ctx *ctx, nn_tensor *y, const nn_tensor *x, const nn_tensor *w, const nn_tensor *b,
                      const nn_conv_params *p);
nn_status nn_cpu_conv_data(nn_ctx *ctx, nn_tensor *dx, const nn_tensor *dy, const nn_tensor *w,
                           const nn_tensor *b, const nn_conv_params *p);
nn_status nn_cpu_conv_filter(nn_ctx *ctx, nn_tensor *dw, nn_tensor *db, const nn_tensor *x, const nn_tensor *dy,
                             const nn_conv_params *p);

/* pooling and upsampling (pooling.c) */
nn_status nn_cpu_pool(nn_ctx *ctx, nn_tensor *y, nn_tensor *idx, const nn_tensor *x, nn_pool_mode mode,
                      const nn_pool_params *p);
nn_status nn_cpu_pool_grad(nn_ctx *ctx, nn_tensor *gx, const nn_tensor *gy, const nn_tensor *x,
                           const nn_tensor *y, const nn_tensor *idx, nn_pool_mode mode,
                           const nn_pool_params *p);
nn_status nn_cpu_upsample(nn_ctx *ctx, nn_tensor *y, const nn_tensor *x, int nd, bool linear,
                          bool align_corners);
nn_status nn_cpu_upsample_grad(nn_ctx *ctx, nn_tensor *gx, const nn_tensor *gy, int nd, bool linear,
                               bool align_corners);

/* normalisation (normalize.c) */
nn_status nn_cpu_norm_stats(nn_ctx *ctx, nn_tensor *stats, const nn_tensor *x, nn_axis ax);
nn_status nn_cpu_norm_apply(nn_ctx *ctx, nn_tensor *y, const nn_tensor *x, const nn_tensor *coef, nn_axis ax,
                            bool relu);
nn_status nn_cpu_norm_grad_sums(nn_ctx *ctx, nn_tensor *sums, const nn_tensor *gy, const nn_tensor *mask,
                                const nn_tensor *x, const nn_tensor *coef, nn_axis ax);
nn_status nn_cpu_norm_grad_apply(nn_ctx *ctx, nn_tensor *gx, const nn_tensor *gy, const nn_tensor *mask,
                                 const nn_tensor *x, const nn_tensor *coef, nn_axis ax);

/* optimiser steps (optimise.c) */
nn_status nn_cpu_optim_step(nn_ctx *ctx, const nn_optim *o, nn_tensor *x, const nn_tensor *g,
                            nn_tensor *const *state, nn_tensor *dx);

#endif
