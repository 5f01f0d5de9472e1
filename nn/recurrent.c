/* recurrent.c — the gates of an LSTM cell fused into one pass (what Lux's
 * LSTMCell does after its two products), with the backward beside it.  The
 * results are two graph nodes, one per output: c_new from (g, c) and h from
 * (g, c_new), so each has one output as every node does, and h's gradient
 * reaches c through c_new.  Kernels: cpu/recurrent.c.
 */
#include "cpu/recurrent.h"

/* ---- c_new = σ(f) .* c .+ σ(i) .* tanh(g): gg = dc_new .* (tanh(g) σ'(i), c σ'(f), σ(i) tanh'(g), 0)
 * by rows, gc = dc_new .* σ(f).  h = σ(o) .* tanh(c_new): gg = dh .* tanh(c_new) σ'(o) in the o rows,
 * gc_new = dh .* σ(o) tanh'(c_new).  Both nodes save the activations σ(i), σ(f), tanh(g), σ(o) (g's
 * shape) the forward pass kept; c_new's node saves c too, h's node tanh(c_new). */

typedef nn_status (*grad_kernel)(nn_ctx *ctx, nn_tensor *gg, nn_tensor *gm, const nn_tensor *gout,
                                 const nn_tensor *acts, const nn_tensor *m);

static nn_status gates_backward(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin,
                                grad_kernel kernel)
{
    const nn_tensor *acts = node->saved[0], *m = node->saved[1];
    const nn_edge *e = &node->edges[1];
    nn_tensor *go;
    NN_TRY(nn_as_dtype(ctx, &go, gout, m->dtype));
    nn_status s = NN_OK;
    if (nn_edge_needs(node, 0)) s = nn_empty(ctx, &gin[0], acts->dtype, acts->ndim, acts->shape);
    if (!s && nn_edge_needs(node, 1)) s = nn_empty(ctx, &gin[1], m->dtype, e->ndim, e->shape);
    if (!s) s = kernel(ctx, gin[0], gin[1], go, acts, m);
    nn_release(go);
    return s;
}

static nn_status memory_backward(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin)
{
    return gates_backward(ctx, node, gout, gin, nn_cpu_lstm_memory_grad);
}

static nn_status output_backward(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin)
{
    return gates_backward(ctx, node, gout, gin, nn_cpu_lstm_output_grad);
}

/* out's node reads (g, in) and saves (acts, keep). */
static nn_status record(nn_ctx *ctx, nn_tensor *out, const char *name, nn_node_backward fn,
                        const nn_tensor *g, const nn_tensor *in, const nn_tensor *acts, const nn_tensor *keep)
{
    const nn_tensor *inputs[2] = {g, in};
    nn_node *node = NULL;
    nn_status s = nn_node_new(ctx, &node, name, fn, 2, inputs);
    if (!node) return s;
    s = nn_node_save(ctx, node, acts);
    if (!s) s = nn_node_save(ctx, node, keep);
    nn_node_attach(out, node);
    return s;
}

static nn_status check(nn_ctx *ctx, const nn_tensor *g, const nn_tensor *c)
{
    char a[NN_SHAPE_BUF], b[NN_SHAPE_BUF];
    bool ok = g->ndim >= 1 && g->ndim == c->ndim && g->shape[0] == 4 * c->shape[0];
    for (int d = 1; ok && d < g->ndim; d++)
        ok = g->shape[d] == c->shape[d];
    if (!ok)
        return nn_error(
            ctx, NN_ERR_DIMENSION,
            "lstm_gates: the gates must have size (4H, batch...) for a memory of size (H, batch...): "
            "gates %s, memory %s",
            nn_tshape(a, g), nn_tshape(b, c));
    if (nn_tensor_device(g) != NN_CPU || nn_tensor_device(c) != NN_CPU)
        return nn_error(ctx, NN_ERR_ARGUMENT, "lstm_gates: runs on CPU tensors only for now");
    return NN_OK;
}

nn_status nn_lstm_gates(nn_ctx *ctx, nn_tensor **h, nn_tensor **c_new, const nn_tensor *g, const nn_tensor *c)
{
    *h = *c_new = NULL;
    NN_TRY(check(ctx, g, c));
    nn_dtype dt = nn_promote(g->dtype, c->dtype);
    if (!nn_dtype_is_float(dt)) dt = NN_F32;
    bool tracked = (nn_is_tracked(g) && nn_dtype_is_float(g->dtype)) ||
                   (nn_is_tracked(c) && nn_dtype_is_float(c->dtype));
    nn_tensor *gc = NULL, *cc = NULL, *acts = NULL, *tc = NULL;
    nn_status s = nn_as_dtype(ctx, &gc, g, dt);
    if (!s) s = nn_as_dtype(ctx, &cc, c, dt);
    if (!s) s = nn_empty(ctx, h, dt, cc->ndim, cc->shape);
    if (!s) s = nn_empty(ctx, c_new, dt, cc->ndim, cc->shape);
    if (!s && tracked) s = nn_empty(ctx, &acts, dt, gc->ndim, gc->shape);
    if (!s && tracked) s = nn_empty(ctx, &tc, dt, cc->ndim, cc->shape);
    if (!s) s = nn_cpu_lstm_gates(ctx, *h, *c_new, acts, tc, gc, cc);
    if (!s && tracked) s = record(ctx, *c_new, "lstm_memory", memory_backward, gc, cc, acts, cc);
    if (!s && tracked) s = record(ctx, *h, "lstm_output", output_backward, gc, *c_new, acts, tc);
    nn_release(gc);
    nn_release(cc);
    nn_release(acts);
    nn_release(tc);
    if (s) {
        nn_release_out(h);
        nn_release_out(c_new);
    }
    return s;
}
