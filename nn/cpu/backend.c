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
};
