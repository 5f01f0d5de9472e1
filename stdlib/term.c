/* term.c — terminal queries for the progress bar and plots. */
#include "tensor.h"

static const lxL_Reg term_lib[] = {{NULL, NULL, NULL, NULL}};

void lxL_open_term(lx_State *L)
{
    lxL_register(L, term_lib);
}
