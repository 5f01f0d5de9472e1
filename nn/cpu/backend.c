/* cpu/backend.c — the CPU backend's table. */
#include "kernels.h"

const nn_backend nn_cpu_backend = {
    .name = "CPU",
    .fill = nn_cpu_fill,
    .convert = nn_cpu_convert,
    .unary = nn_cpu_unary,
    .unary_grad = nn_cpu_unary_grad,
    .binary = nn_cpu_binary,
    .binary_grad = nn_cpu_binary_grad,
    .compare = nn_cpu_compare,
    .ifelse = nn_cpu_ifelse,
    .reduce = nn_cpu_reduce,
    .sqdev = nn_cpu_sqdev,
    .argext = nn_cpu_argext,
    .softmax = nn_cpu_softmax,
    .softmax_grad = nn_cpu_softmax_grad,
    .xent = nn_cpu_xent,
    .xent_grad = nn_cpu_xent_grad,
    .bias_act = nn_cpu_bias_act,
    .gemm = nn_cpu_gemm,
    .copy_strided = nn_cpu_copy_strided,
    .permute = nn_cpu_permute,
    .gather = nn_cpu_gather,
    .scatter = nn_cpu_scatter,
    /* convolution */
    .conv = nn_cpu_conv,
    .conv_data = nn_cpu_conv_data,
    .conv_filter = nn_cpu_conv_filter,
    /* pooling and upsampling */
    .pool = nn_cpu_pool,
    .pool_grad = nn_cpu_pool_grad,
    .upsample = nn_cpu_upsample,
    .upsample_grad = nn_cpu_upsample_grad,
    /* normalisation */
    .norm_stats = nn_cpu_norm_stats,
    .norm_apply = nn_cpu_norm_apply,
    .norm_grad_sums = nn_cpu_norm_grad_sums,
    .norm_grad_apply = nn_cpu_norm_grad_apply,
    /* optimiser steps */
    .optim_step = nn_cpu_optim_step,
};
