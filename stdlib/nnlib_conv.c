/* nnlib_conv.c — NNlib's convolution functions on tensors (nn/, with
 * their backwards). */
#include "tensor.h"

static const lxL_Reg nnlib_conv_lib[] = {{NULL, NULL, NULL, NULL}};

void lxL_open_nnlib_conv(lx_State *L)
{
    lxL_register(L, nnlib_conv_lib);
}
