/* optimise.c — fused in-place optimiser steps (__adam! ...). */
#include "tensor.h"

static const lxL_Reg optimise_lib[] = {{NULL, NULL, NULL, NULL}};

void lxL_open_optimise(lx_State *L)
{
    lxL_register(L, optimise_lib);
}
