/* elementwise.c — unary math and activations, broadcasting binary ops,
 * comparisons, clamp and ifelse: shape and dtype rules, the graph node, and
 * each op's backward beside its forward.  Kernels: cpu/unary.c,
 * cpu/elementwise.c.
 */
#include "internal.h"

#include <math.h>
#include <string.h>

static const char *const unary_names[] = {
#define NN_UNARY(E, n) n,
#include "ops.def"
};
static const char *const binary_names[] = {
#define NN_BINARY(E, n) n,
#include "ops.def"
};
static const char *const compare_names[] = {
#define NN_COMPARE(E, n) n,
#include "ops.def"
};
_Static_assert(sizeof unary_names / sizeof *unary_names == NN_NUM_UNARY, "unary names");
_Static_assert(sizeof binary_names / sizeof *binary_names == NN_NUM_BINARY, "binary names");
_Static_assert(sizeof compare_names / sizeof *compare_names == NN_NUM_COMPARE, "compare names");

const char *nn_unary_name(nn_unary_op op)
{
    return (unsigned)op < NN_NUM_UNARY ? unary_names[op] : "?";
}
const char *nn_binary_name(nn_binary_op op)
{
    return (unsigned)op < NN_NUM_BINARY ? binary_names[op] : "?";
}
const char *nn_compare_name(nn_compare_op op)
{
    return (unsigned)op < NN_NUM_COMPARE ? compare_names[op] : "?";
}

double nn_unary_default_param(nn_unary_op op)
{
    return op == NN_LEAKYRELU ? 0.01 : 1.0;
}

/* Ops whose derivative is a function of the output alone: their backward
 * needs only y, so fused kernels may overwrite x. */
bool nn_unary_grad_uses_y(nn_unary_op op)
{
    switch (op) {
    case NN_IDENTITY:
    case NN_NEG:
    case NN_EXP:
    case NN_SQRT:
    case NN_TAN:
    case NN_TANH:
    case NN_SIGMOID:
    case NN_RELU: return true;
    default: return false;
    }
}

/* ---- unary ----------------------------------------------------------------------
 * x (any shape) -> y (same shape); integer inputs compute in Float32. */

static nn_status unary_backward(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin)
{
    nn_unary_op op = (nn_unary_op)node->iparam[0];
    const nn_tensor *x = node->saved[0], *y = node->saved[1];
    NN_TRY(nn_similar(ctx, &gin[0], gout));
    return nn_backend_for(nn_tensor_device(gout))->unary_grad(ctx, gin[0], op, gout, x, y, node->dparam[0]);
}

nn_status nn_unary_p(nn_ctx *ctx, nn_tensor **out, nn_unary_op op, const nn_tensor *x, double p)
{
    *out = NULL;
    if ((unsigned)op >= NN_NUM_UNARY) return nn_error(ctx, NN_ERR_ARGUMENT, "unary: bad op %d", (int)op);
    nn_tensor *xf;
    NN_TRY(nn_as_dtype(ctx, &xf, x, nn_dtype_is_float(x->dtype) ? x->dtype : NN_F32));
    nn_status s = nn_similar(ctx, out, xf);
    if (!s) s = nn_backend_for(nn_tensor_device(xf))->unary(ctx, *out, op, xf, p);
    nn_node *node = NULL;
    if (!s) s = nn_node_new(ctx, &node, unary_names[op], unary_backward, 1, (const nn_tensor *const *)&xf);
    if (node) {
        node->iparam[0] = op;
        node->dparam[0] = p;
        s = nn_node_save(ctx, node, xf);
        if (!s) s = nn_node_save(ctx, node, *out);
        nn_node_attach(*out, node);
    }
    nn_release(xf);
    if (s) nn_release_out(out);
    return s;
}

nn_status nn_unary(nn_ctx *ctx, nn_tensor **out, nn_unary_op op, const nn_tensor *x)
{
    return nn_unary_p(ctx, out, op, x, nn_unary_default_param(op));
}

/* ---- binary ----------------------------------------------------------------------
 * a (sa), b (sb) -> out (broadcast of sa, sb); backward sums each partial back
 * to its operand's shape. */

static nn_status binary_backward(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin)
{
    nn_binary_op op = (nn_binary_op)node->iparam[0];
    const nn_tensor *a = node->saved[0], *b = node->saved[1];
    nn_tensor *full[2] = {NULL, NULL};
    nn_status s = NN_OK;
    if (op == NN_ADD || op == NN_SUB) {
        full[0] = nn_retain((nn_tensor *)gout);
        if (nn_edge_needs(node, 1)) {
            if (op == NN_ADD)
                full[1] = nn_retain((nn_tensor *)gout);
            else
                s = nn_unary(ctx, &full[1], NN_NEG, gout);
        }
    } else {
        for (int i = 0; i < 2 && !s; i++)
            if (nn_edge_needs(node, i)) s = nn_similar(ctx, &full[i], gout);
        if (!s)
            s = nn_backend_for(nn_tensor_device(gout))->binary_grad(ctx, full[0], full[1], op, gout, a, b);
    }
    for (int i = 0; i < 2 && !s; i++)
        if (full[i] && nn_edge_needs(node, i))
            s = nn_sum_to(ctx, &gin[i], full[i], node->edges[i].ndim, node->edges[i].shape);
    nn_release(full[0]);
    nn_release(full[1]);
    return s;
}

static nn_dtype binary_dtype(nn_binary_op op, nn_dtype a, nn_dtype b)
{
    nn_dtype t = nn_promote(a, b);
    if ((op == NN_DIV || op == NN_POW) && !nn_dtype_is_float(t)) t = NN_F32;
    return t;
}

nn_status nn_binary(nn_ctx *ctx, nn_tensor **out, nn_binary_op op, const nn_tensor *a, const nn_tensor *b)
{
    *out = NULL;
    if ((unsigned)op >= NN_NUM_BINARY) return nn_error(ctx, NN_ERR_ARGUMENT, "binary: bad op %d", (int)op);
    int ndim;
    int64_t shape[NN_MAX_DIMS];
    NN_TRY(nn_broadcast_shape(ctx, binary_names[op], a, b, &ndim, shape));
    nn_dtype t = binary_dtype(op, a->dtype, b->dtype);
    nn_tensor *ac = NULL, *bc = NULL;
    nn_status s = nn_as_dtype(ctx, &ac, a, t);
    if (!s) s = nn_as_dtype(ctx, &bc, b, t);
    if (!s) s = nn_empty(ctx, out, t, ndim, shape);
    if (!s) s = nn_backend_for(nn_tensor_device(ac))->binary(ctx, *out, op, ac, bc);
    nn_node *node = NULL;
    const nn_tensor *in[2] = {ac, bc};
    if (!s && nn_dtype_is_float(t)) s = nn_node_new(ctx, &node, binary_names[op], binary_backward, 2, in);
    if (node) {
        node->iparam[0] = op;
        if (op != NN_ADD && op != NN_SUB) {
            s = nn_node_save(ctx, node, ac);
            if (!s) s = nn_node_save(ctx, node, bc);
        }
        nn_node_attach(*out, node);
    }
    nn_release(ac);
    nn_release(bc);
    if (s) nn_release_out(out);
    return s;
}

/* ---- comparisons, clamp, ifelse --------------------------------------------------------- */

nn_status nn_compare(nn_ctx *ctx, nn_tensor **out, nn_compare_op op, const nn_tensor *a, const nn_tensor *b)
{
    *out = NULL;
    if ((unsigned)op >= NN_NUM_COMPARE) return nn_error(ctx, NN_ERR_ARGUMENT, "compare: bad op %d", (int)op);
    int ndim;
    int64_t shape[NN_MAX_DIMS];
    NN_TRY(nn_broadcast_shape(ctx, compare_names[op], a, b, &ndim, shape));
    nn_dtype t = a->dtype == b->dtype ? a->dtype : nn_promote(a->dtype, b->dtype);
    nn_tensor *ac = NULL, *bc = NULL;
    nn_status s = nn_as_dtype(ctx, &ac, a, t);
    if (!s) s = nn_as_dtype(ctx, &bc, b, t);
    if (!s) s = nn_empty(ctx, out, NN_BOOL, ndim, shape);
    if (!s) s = nn_backend_for(nn_tensor_device(ac))->compare(ctx, *out, op, ac, bc);
    nn_release(ac);
    nn_release(bc);
    if (s) nn_release_out(out);
    return s;
}

/* A bound an integer type holds exactly (not 1.5, not Inf). */
static bool int_exact(double v, nn_dtype t)
{
    double lim = t == NN_I32 ? 2147483648.0 : 9223372036854775808.0;
    return v == floor(v) && v >= -lim && v < lim;
}

/* clamp(x, lo, hi) = min(max(x, lo), hi): the gradient passes where lo <= x <= hi.
 * Integer x with bounds like 0.5 or Inf computes in Float32, as integer with
 * float does. */
nn_status nn_clamp(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x, double lo, double hi)
{
    *out = NULL;
    if (lo > hi) return nn_error(ctx, NN_ERR_ARGUMENT, "clamp: lo = %g is greater than hi = %g", lo, hi);
    nn_dtype t = x->dtype == NN_BOOL ? NN_I64 : x->dtype;
    if (!nn_dtype_is_float(t) && !(int_exact(lo, t) && int_exact(hi, t))) t = NN_F32;
    nn_tensor *l = NULL, *h = NULL, *m = NULL;
    nn_status s = nn_scalar(ctx, &l, t, lo);
    if (!s) s = nn_scalar(ctx, &h, t, hi);
    if (!s) s = nn_binary(ctx, &m, NN_MAX, x, l);
    if (!s) s = nn_binary(ctx, out, NN_MIN, m, h);
    nn_release(l);
    nn_release(h);
    nn_release(m);
    return s;
}

/* ifelse(c, a, b): out = c ? a : b, all broadcast; gradients masked by c. */
static nn_status ifelse_backward(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin)
{
    const nn_tensor *c = node->saved[0];
    nn_tensor *zero;
    NN_TRY(nn_scalar(ctx, &zero, gout->dtype, 0.0));
    nn_status s = NN_OK;
    for (int i = 1; i < 3 && !s; i++) {
        if (!nn_edge_needs(node, i)) continue;
        nn_tensor *full;
        s = nn_similar(ctx, &full, gout);
        if (!s)
            s = nn_backend_for(nn_tensor_device(gout))
                    ->ifelse(ctx, full, c, i == 1 ? gout : zero, i == 1 ? zero : gout);
        if (!s) s = nn_sum_to(ctx, &gin[i], full, node->edges[i].ndim, node->edges[i].shape);
        nn_release(full);
    }
    nn_release(zero);
    return s;
}

nn_status nn_ifelse(nn_ctx *ctx, nn_tensor **out, const nn_tensor *cond, const nn_tensor *a,
                    const nn_tensor *b)
{
    *out = NULL;
    char sc[NN_SHAPE_BUF];
    if (cond->dtype != NN_BOOL)
        return nn_error(ctx, NN_ERR_TYPE, "ifelse: the condition must be Bool, got %s %s",
                        nn_dtype_name(cond->dtype), nn_tshape(sc, cond));
    int nd1, nd2;
    int64_t s1[NN_MAX_DIMS], s2[NN_MAX_DIMS];
    NN_TRY(nn_broadcast_shape(ctx, "ifelse", a, b, &nd1, s1));
    nn_tensor shape_ab = {.ndim = nd1};
    memcpy(shape_ab.shape, s1, sizeof s1);
    NN_TRY(nn_broadcast_shape(ctx, "ifelse", cond, &shape_ab, &nd2, s2));
    nn_dtype t = nn_promote(a->dtype, b->dtype);
    if (a->dtype == NN_BOOL && b->dtype == NN_BOOL) t = NN_BOOL;
    nn_tensor *ac = NULL, *bc = NULL;
    nn_status s = nn_as_dtype(ctx, &ac, a, t);
    if (!s) s = nn_as_dtype(ctx, &bc, b, t);
    if (!s) s = nn_empty(ctx, out, t, nd2, s2);
    if (!s) s = nn_backend_for(nn_tensor_device(ac))->ifelse(ctx, *out, cond, ac, bc);
    nn_node *node = NULL;
    const nn_tensor *in[3] = {cond, ac, bc};
    if (!s && nn_dtype_is_float(t)) s = nn_node_new(ctx, &node, "ifelse", ifelse_backward, 3, in);
    if (node) {
        s = nn_node_save(ctx, node, cond);
        nn_node_attach(*out, node);
    }
    nn_release(ac);
    nn_release(bc);
    if (s) nn_release_out(out);
    return s;
}
