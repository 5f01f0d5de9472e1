/* io.c — (being written) */
#include "lib.h"

void lxL_open_io(lx_State *L)
{
    (void)L;
}
