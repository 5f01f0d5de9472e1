/* prelude.c — runs the embedded prelude (stdlib/prelude.lx, turned into the
 * C string lxL_prelude_src by the build) when the libraries open. */
#include "lib.h"

#include <string.h>

extern const char lxL_prelude_src[];

void lxL_open_prelude(lx_State *L)
{
    lxK_dosource(L, lxL_prelude_src, strlen(lxL_prelude_src), "prelude.lx");
}
