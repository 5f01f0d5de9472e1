/* math.c — (being written) */
#include "lib.h"

void lxL_open_math(lx_State *L)
{
    (void)L;
}
