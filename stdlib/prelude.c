/* prelude.c — runs the library parts written in lx, turned into C strings by
 * the build (embed.cmake) in the order CMakeLists.txt lists them: the prelude
 * (stdlib/prelude.lx) first, then Lux (the files in stdlib/lux/), which opens after
 * the C libraries it builds on. */
#include "lib.h"

#include <string.h>

extern const struct lxL_embedded {
    const char *name, *src;
} lxL_embedded[];

static void run(lx_State *L, const struct lxL_embedded *e)
{
    lxK_dosource(L, e->src, strlen(e->src), e->name);
}

void lxL_open_prelude(lx_State *L)
{
    run(L, &lxL_embedded[0]);
}

void lxL_open_lux(lx_State *L)
{
    for (const struct lxL_embedded *e = lxL_embedded + 1; e->name; e++)
        run(L, e);
}
