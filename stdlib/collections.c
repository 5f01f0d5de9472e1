/* collections.c — (being written) */
#include "lib.h"

void lxL_open_collections(lx_State *L)
{
    (void)L;
}
