/* init.c — lx_openlibs: the list of libraries, opened in order (later ones
 * may add methods to functions of earlier ones; the prelude, written in lx,
 * comes last). */
#include "lib.h"

static void open_all(lx_State *L, void *ud)
{
    (void)ud;
    lxL_open_base(L);
    lxL_open_print(L);
    lxL_open_math(L);
    lxL_open_strings(L);
    lxL_open_collections(L);
    lxL_open_io(L);
    lxL_open_macros(L);
    lxL_open_test(L);
    lxL_open_prelude(L);
    lxG_set(L, "√", lxG_get(L, "sqrt")); /* √x is sqrt(x) */
}

lx_Status lx_openlibs(lx_State *L)
{
    lx_Status st = lxD_pcall(L, open_all, NULL);
    return st == LX_OK ? st : lxK_report(L, st);
}
