/* init.c — lx_openlibs: the list of libraries, opened in order (later ones
 * may add methods to functions of earlier ones; the prelude, written in lx,
 * comes last). */
#include "tensor.h"

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
    lxL_open_tensor(L);
    lxL_open_tensor_show(L);
    lxL_open_tensor_new(L);
    lxL_open_random(L);
    lxL_open_tensor_arith(L);
    lxL_open_activations(L);
    lxL_open_tensor_bcast(L);
    lxL_open_tensor_index(L);
    lxL_open_tensor_shape(L);
    lxL_open_tensor_reduce(L);
    lxL_open_linalg(L);
    lxL_open_devices(L);
    lxL_open_gradient(L);
    lxL_open_nnlib_conv(L);
    lxL_open_nnlib_pool(L);
    lxL_open_nnlib_norm(L);
    lxL_open_nnlib_batched(L);
    lxL_open_nnlib_rnn(L);
    lxL_open_lux_support(L);
    lxL_open_lux_tools(L);
    lxL_open_optimise(L);
    lxL_open_losses(L);
    lxL_open_data_io(L);
    lxL_open_term(L);
    lxL_open_help(L);
    lxL_open_prelude(L);
    lxL_open_lux(L);
    lxG_set(L, "√", lxG_get(L, "sqrt")); /* √x is sqrt(x) */
}

lx_Status lx_openlibs(lx_State *L)
{
    lx_Status st = lxD_pcall(L, open_all, NULL);
    return st == LX_OK ? st : lxK_report(L, st);
}
