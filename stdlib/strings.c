/* strings.c — (being written) */
#include "lib.h"

void lxL_open_strings(lx_State *L)
{
    (void)L;
}
