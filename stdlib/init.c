/* init.c — lx_openlibs: the list of libraries, opened in order (later ones
 * may add methods to functions of earlier ones; the prelude, written in lx,
 * comes last).  Each library's globals and macros are tagged with the Julia
 * module they belong to (lxG_global.module), for completion after `Lux.`:
 * whatever a library newly defines is its module's, unless the name is one
 * of the exceptions below (Julia keeps it in another module).
 */
#include "tensor.h"

#include <string.h>

typedef struct {
    void (*open)(lx_State *L);
    const char *module;
} library;

static const library libs[] = {
    {lxL_open_base, "Base"},
    {lxL_open_print, "Base"},
    {lxL_open_math, "Base"},
    {lxL_open_strings, "Base"},
    {lxL_open_collections, "Base"},
    {lxL_open_io, "Base"},
    {lxL_open_macros, "Base"},
    {lxL_open_test, "Test"},
    {lxL_open_tensor, "Base"},
    {lxL_open_tensor_show, "Base"},
    {lxL_open_tensor_new, "Base"},
    {lxL_open_random, "Random"},
    {lxL_open_tensor_arith, "Base"},
    {lxL_open_activations, "NNlib"},
    {lxL_open_tensor_bcast, "Base"},
    {lxL_open_tensor_index, "Base"},
    {lxL_open_tensor_shape, "Base"},
    {lxL_open_tensor_reduce, "Base"},
    {lxL_open_linalg, "LinearAlgebra"},
    {lxL_open_devices, "Lux"},
    {lxL_open_gradient, "Zygote"},
    {lxL_open_nnlib_conv, "NNlib"},
    {lxL_open_nnlib_pool, "NNlib"},
    {lxL_open_nnlib_norm, "NNlib"},
    {lxL_open_nnlib_batched, "NNlib"},
    {lxL_open_nnlib_rnn, "NNlib"},
    {lxL_open_lux_support, "Lux"},
    {lxL_open_lux_tools, "Lux"},
    {lxL_open_optimise, "Optimisers"},
    {lxL_open_losses, "Lux"},
    {lxL_open_data_io, "Base"},
    {lxL_open_safetensors, "Base"},
    {lxL_open_term, "Base"},
    {lxL_open_help, "Base"},
    {lxL_open_prelude, "Base"},
    {lxL_open_lux, NULL}, /* deferred: prelude.c tags its files as it loads them */
};

typedef struct {
    const char *name, *module;
} exception;

/* Globals Julia keeps in another module than the one their library stands for. */
static const exception global_exceptions[] = {
    {"mean", "Statistics"},
    {"std", "Statistics"},
    {"var", "Statistics"},
    {"median", "Statistics"},
    {"quantile", "Statistics"},
    {"cor", "Statistics"},
    {"cov", "Statistics"},
    {"middle", "Statistics"},
    {"get_num_threads", "BLAS"},
    {"set_num_threads", "BLAS"},
    {"softmax", "NNlib"},
    {"logsoftmax", "NNlib"},
    {"logsumexp", "NNlib"},
    {"AbstractLuxLayer", "LuxCore"},
    {"AbstractLuxContainerLayer", "LuxCore"},
    {"AbstractLuxWrapperLayer", "LuxCore"},
    {"setup", "LuxCore"},
    {"apply", "LuxCore"},
    {"initialparameters", "LuxCore"},
    {"initialstates", "LuxCore"},
    {"parameterlength", "LuxCore"},
    {"statelength", "LuxCore"},
    {"outputsize", "LuxCore"},
    {"replicate", "LuxCore"},
    {"testmode", "LuxCore"},
    {"trainmode", "LuxCore"},
    {"update_state", "LuxCore"},
    {"stateless_apply", "LuxCore"},
    {"display_name", "LuxCore"},
    {"fmap", "Functors"},
    {"isleaf", "Functors"},
    {"Val", "Base"},
    {"destructure", "Optimisers"},
    {"Restructure", "Optimisers"},
    {"AutoZygote", "ADTypes"},
    {"AutoEnzyme", "ADTypes"},
    {"onehot", "OneHotArrays"},
    {"onehotbatch", "OneHotArrays"},
    {"onecold", "OneHotArrays"},
};

static const exception macro_exceptions[] = {
    {"printf", "Printf"},
    {"sprintf", "Printf"},
    {"set!", "Setfield"},
    {"layer_map", "Lux.Experimental"},
    {"debug_mode", "Lux.Experimental"},
};

void lxL_tag_exceptions(lx_State *L)
{
    for (size_t i = 0; i < sizeof global_exceptions / sizeof global_exceptions[0]; i++) {
        int g = lxG_find(L, lxS_cstr(L, global_exceptions[i].name));
        /* only a built-in's tag moves: a user's global of the name has none */
        if (g >= 0 && L->globals[g].module) L->globals[g].module = global_exceptions[i].module;
    }
}

static void tag_macros(lx_State *L, int from, const char *module)
{
    for (int i = from; i < L->nmacros; i++) {
        L->macros[i].module = module;
        for (size_t k = 0; k < sizeof macro_exceptions / sizeof macro_exceptions[0]; k++)
            if (!strcmp(L->macros[i].name->data, macro_exceptions[k].name))
                L->macros[i].module = macro_exceptions[k].module;
    }
}

static void open_all(lx_State *L, void *ud)
{
    (void)ud;
    for (size_t i = 0; i < sizeof libs / sizeof libs[0]; i++) {
        if (!libs[i].module) {
            libs[i].open(L);
            continue;
        }
        int mark = lxG_mark(L), nmacros = L->nmacros;
        libs[i].open(L);
        lxG_tag(L, mark, libs[i].module);
        tag_macros(L, nmacros, libs[i].module);
    }
    int mark = lxG_mark(L);
    lxG_set(L, "√", lxG_get(L, "sqrt")); /* √x is sqrt(x) */
    lxG_tag(L, mark, "Base");
    lxL_tag_exceptions(L);
}

lx_Status lx_openselectedlibs(lx_State *L, unsigned grant)
{
    L->access = grant & LX_LIB_ALL;
    lx_Status st = lxD_pcall(L, open_all, NULL);
    return st == LX_OK ? st : lxK_report(L, st);
}

lx_Status lx_openlibs(lx_State *L)
{
    return lx_openselectedlibs(L, LX_LIB_ALL);
}

void lxL_need(lx_State *L, unsigned access, const char *fname)
{
    if ((L->access & access) == access) return;
    const char *what = access & LX_LIB_FILES ? "file" : access & LX_LIB_ENV ? "environment" : "include";
    lxE_error(L, LXT_IOError, "%s: this lx state has no %s access (the host did not grant it)", fname, what);
}
