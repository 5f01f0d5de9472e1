/* nnlib_rnn.c — what the recurrent layers (stdlib/lux/recurrent.lx) need
 * from C: the hidden __lstm_gates, LSTMCell's gates fused into one pass
 * (nn_lstm_gates, differentiable).
 */
#include "tensor.h"

/* __lstm_gates(g, c): (h, c_new) for the gates' pre-activations g (4H, batch...), stacked i, f, g, o, and
 * the memory c (H, batch...). */
static lx_Value x_lstm_gates(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    nn_tensor *g = lxL_checktensor(L, a, 0, "LSTMCell"), *c = lxL_checktensor(L, a, 1, "LSTMCell");
    nn_tensor *h = NULL, *cn = NULL;
    nn_status s = nn_lstm_gates(L->nn, &h, &cn, g, c);
    lxL_nncheck(L, s);
    lx_Value items[2];
    items[1] = lxL_wrap(L, cn);
    int mark = lxV_root(L, items[1]);
    items[0] = lxL_wrap(L, h);
    lxV_root(L, items[0]);
    lxO_tuple *t = lxO_tuple_new(L, 2);
    t->items[0] = items[0];
    t->items[1] = items[1];
    lxV_unroot(L, mark);
    return lxO_obj(t);
}

static const lxL_Reg nnlib_rnn_lib[] = {{"__lstm_gates", "(g, c)", x_lstm_gates, ""},
                                        {NULL, NULL, NULL, NULL}};

void lxL_open_nnlib_rnn(lx_State *L)
{
    lxL_register(L, nnlib_rnn_lib);
}
