/* optimise.c — the optimisers' fused steps (nn_optim_step): the checks a
 * step needs before its kernel writes in place (dtypes, shapes, state
 * tensors that neither alias x nor each other), then one pass of the rule's
 * kernel (cpu/optimise.c).  The formulas are in nn.h.
 */
#include "internal.h"

static const char *const rule_names[NN_OPTIM_NUM_RULES] = {
    "OptimiserChain", "Descent", "Momentum", "Nesterov", "RMSProp", "Rprop", "Adam",      "AdamW", "RAdam",
    "AdaMax",         "OAdam",   "AdaGrad",  "AdaDelta", "AMSGrad", "NAdam", "AdaBelief", "Lion",
};

const char *nn_optim_name(nn_optim_rule r)
{
    return (unsigned)r < NN_OPTIM_NUM_RULES ? rule_names[r] : "optimiser";
}

int nn_optim_nstate(const nn_optim *o)
{
    switch (o->rule) {
    case NN_OPTIM_IDENTITY:
    case NN_OPTIM_DESCENT: return 0;
    case NN_OPTIM_MOMENTUM:
    case NN_OPTIM_NESTEROV:
    case NN_OPTIM_ADAGRAD:
    case NN_OPTIM_LION: return 1;
    case NN_OPTIM_RMSPROP: return o->centred ? 2 : 1;
    case NN_OPTIM_OADAM:
    case NN_OPTIM_AMSGRAD: return 3;
    default: return 2;
    }
}

/* Writing through one tensor must not change what another one reads at a different element. */
static bool overlaps(const nn_tensor *a, const nn_tensor *b)
{
    return a->storage == b->storage;
}

static nn_status check_like(nn_ctx *ctx, const char *name, const char *what, const nn_tensor *t,
                            const nn_tensor *x)
{
    char a[NN_SHAPE_BUF], b[NN_SHAPE_BUF];
    if (t->dtype != x->dtype)
        return nn_error(ctx, NN_ERR_TYPE, "%s: the %s is %s, the parameter %s", name, what,
                        nn_dtype_name(t->dtype), nn_dtype_name(x->dtype));
    if (!nn_same_shape(t, x))
        return nn_error(ctx, NN_ERR_DIMENSION, "%s: the %s has size %s, the parameter %s", name, what,
                        nn_tshape(a, t), nn_tshape(b, x));
    if (nn_tensor_device(t) != nn_tensor_device(x))
        return nn_error(ctx, NN_ERR_ARGUMENT, "%s: the %s is on another device than the parameter", name,
                        what);
    return NN_OK;
}

nn_status nn_optim_step(nn_ctx *ctx, const nn_optim *o, nn_tensor *x, const nn_tensor *g,
                        nn_tensor *const *state, int nstate, nn_tensor *dx)
{
    char a[NN_SHAPE_BUF], b[NN_SHAPE_BUF];
    if ((unsigned)o->rule >= NN_OPTIM_NUM_RULES || o->npre < 0 || o->npre > NN_OPTIM_MAX_PRE)
        return nn_error(ctx, NN_ERR_ARGUMENT, "optimiser step: unknown rule %d with %d pre-transforms",
                        (int)o->rule, o->npre);
    const char *name = nn_optim_name(o->rule);
    for (int i = 0; i < o->npre; i++)
        if ((unsigned)o->pre[i].kind >= NN_OPTIM_NUM_PRE)
            return nn_error(ctx, NN_ERR_ARGUMENT, "%s: unknown pre-transform %d", name, (int)o->pre[i].kind);
    if (!nn_dtype_is_float(x->dtype))
        return nn_error(ctx, NN_ERR_TYPE,
                        "%s: the parameter is %s; only Float32 and Float64 tensors are trained", name,
                        nn_dtype_name(x->dtype));
    if (!nn_same_shape(g, x))
        return nn_error(ctx, NN_ERR_DIMENSION, "%s: the gradient has size %s, the parameter %s", name,
                        nn_tshape(a, g), nn_tshape(b, x));
    if (nn_tensor_device(g) != nn_tensor_device(x))
        return nn_error(ctx, NN_ERR_ARGUMENT, "%s: the gradient is on another device than the parameter",
                        name);
    int want = nn_optim_nstate(o);
    if (nstate != want)
        return nn_error(ctx, NN_ERR_ARGUMENT, "%s: %d state tensors given, the rule keeps %d", name, nstate,
                        want);
    for (int i = 0; i < nstate; i++) {
        NN_TRY(check_like(ctx, name, "state", state[i], x));
        bool clash = overlaps(state[i], x) || (dx && overlaps(state[i], dx));
        for (int j = 0; j < i; j++)
            clash |= overlaps(state[i], state[j]);
        if (clash)
            return nn_error(ctx, NN_ERR_ARGUMENT, "%s: a state tensor shares memory with another", name);
    }
    if (dx) {
        NN_TRY(check_like(ctx, name, "output", dx, x));
        if (overlaps(dx, x))
            return nn_error(ctx, NN_ERR_ARGUMENT, "%s: the output shares memory with x", name);
    }
    if (x->numel == 0) return NN_OK;
    /* The kernel reads each element of g before it writes that element of anything; a g that shares memory
     * with what it writes (at other offsets) is copied first, and so is one of another dtype. */
    nn_tensor *gc;
    bool shared = overlaps(g, x) || (dx && overlaps(g, dx));
    for (int i = 0; i < nstate; i++)
        shared |= overlaps(g, state[i]);
    if (shared && g->dtype == x->dtype)
        NN_TRY(nn_copy(ctx, &gc, g));
    else
        NN_TRY(nn_as_dtype(ctx, &gc, g, x->dtype));
    nn_status s = nn_backend_for(nn_tensor_device(x))->optim_step(ctx, o, x, gc, state, dx);
    nn_release(gc);
    if (s) return s;
    for (int i = 0; i < nstate; i++)
        nn_bump_version(state[i]);
    nn_bump_version(dx ? dx : x);
    return NN_OK;
}
