/* complete.c — tab completion for the prompt. */
#include "lib.h"

int lx_complete(lx_State *L, const char *word, size_t len, int helpmode, lx_Completion add, void *ud)
{
    (void)L;
    (void)word;
    (void)len;
    (void)helpmode;
    (void)add;
    (void)ud;
    return 0;
}
