/* autodiff.c — the define-by-run tape.  Each result of a tracked op points to
 * the node that made it; nodes point to their inputs' nodes (or leaves).  The
 * graph is reference counted, so an unreachable one frees itself; backward
 * walks it once in topological order and drops saved tensors as it goes.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

bool nn_is_tracked(const nn_tensor *t)
{
    return t->requires_grad || t->node != NULL;
}
void nn_set_requires_grad(nn_tensor *t, bool on)
{
    t->requires_grad = on;
}
nn_tensor *nn_grad(const nn_tensor *t)
{
    return t->grad;
}

void nn_zero_grad(nn_tensor *t)
{
    nn_release(t->grad);
    t->grad = NULL;
}

bool nn_edge_needs(const nn_node *node, int i)
{
    return node->edges[i].node != NULL || node->edges[i].leaf != NULL;
}

nn_status nn_node_new(nn_ctx *ctx, nn_node **out, const char *name, nn_node_backward fn, int n,
                      const nn_tensor *const *inputs)
{
    *out = NULL;
    bool any = false;
    for (int i = 0; i < n; i++)
        if (inputs[i] && nn_is_tracked(inputs[i]) && nn_dtype_is_float(inputs[i]->dtype)) any = true;
    if (!any) return NN_OK;
    nn_node *node = nn_obj_alloc(ctx, NN_OBJ_NODE);
    nn_edge *edges = !node                       ? NULL
                     : n <= NN_NODE_INLINE_EDGES ? node->inline_edges
                                                 : calloc((size_t)n, sizeof *edges);
    if (!node || !edges) {
        nn_obj_free(ctx, NN_OBJ_NODE, node);
        return nn_error(ctx, NN_ERR_MEMORY, "%s: out of memory recording the graph", name);
    }
    node->refcount = 1;
    node->ctx = ctx;
    node->name = name;
    node->backward = fn;
    node->ninputs = n;
    node->edges = edges;
    for (int i = 0; i < n; i++) {
        const nn_tensor *x = inputs[i];
        if (!x) continue;
        edges[i].dtype = x->dtype;
        edges[i].ndim = x->ndim;
        memcpy(edges[i].shape, x->shape, sizeof x->shape);
        if (!nn_dtype_is_float(x->dtype)) continue;
        if (x->node) {
            edges[i].node = x->node;
            x->node->refcount++;
        } else if (x->requires_grad) {
            edges[i].leaf = nn_retain((nn_tensor *)x);
        }
    }
    *out = node;
    return NN_OK;
}

nn_status nn_node_save(nn_ctx *ctx, nn_node *node, const nn_tensor *t)
{
    if (node->nsaved >= NN_NODE_MAX_SAVED)
        return nn_error(ctx, NN_ERR_STATE, "%s: too many saved tensors", node->name);
    nn_tensor *alias;
    NN_TRY(nn_view(ctx, &alias, t, t->ndim, t->shape, t->offset));
    node->saved[node->nsaved] = alias;
    node->saved_version[node->nsaved] = t->storage->version;
    node->nsaved++;
    return NN_OK;
}

void nn_node_attach(nn_tensor *out, nn_node *node)
{
    if (!node) return;
    nn_node_release(out->node);
    out->node = node;
}

static void node_drop_saved(nn_node *node)
{
    for (int i = 0; i < node->nsaved; i++) {
        nn_release(node->saved[i]);
        node->saved[i] = NULL;
    }
    node->nsaved = 0;
    if (node->free_ud) node->free_ud(node->ud);
    node->ud = NULL;
    node->free_ud = NULL;
    node->freed = true;
}

/* Iterative, so that a graph a million nodes deep frees without recursion. */
void nn_node_release(nn_node *node)
{
    if (!node || --node->refcount > 0) return;
    nn_node *work = node;
    node->next = NULL;
    while (work) {
        nn_node *n = work;
        work = n->next;
        for (int i = 0; i < n->ninputs; i++) {
            nn_release(n->edges[i].leaf);
            nn_node *m = n->edges[i].node;
            if (m && --m->refcount == 0) {
                m->next = work;
                work = m;
            }
        }
        node_drop_saved(n);
        nn_release(n->grad);
        if (n->edges != n->inline_edges) free(n->edges);
        nn_obj_free(n->ctx, NN_OBJ_NODE, n);
    }
}

/* ---- tensors as graph entry points --------------------------------------------------- */

nn_status nn_detach(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x)
{
    return nn_view(ctx, out, x, x->ndim, x->shape, x->offset);
}

nn_status nn_tracked_alias(nn_ctx *ctx, nn_tensor **out, const nn_tensor *x)
{
    NN_TRY(nn_view(ctx, out, x, x->ndim, x->shape, x->offset));
    (*out)->requires_grad = true;
    return NN_OK;
}

/* ---- C-callback nodes ---------------------------------------------------------------- */

static nn_status user_backward(nn_ctx *ctx, nn_node *node, const nn_tensor *gout, nn_tensor **gin)
{
    bool needs[64];
    if (node->ninputs > 64) return nn_error(ctx, NN_ERR_ARGUMENT, "%s: at most 64 inputs", node->name);
    for (int i = 0; i < node->ninputs; i++)
        needs[i] = nn_edge_needs(node, i);
    return node->user_fn(ctx, node->ud, gout, node->ninputs, needs, gin);
}

nn_status nn_attach_backward(nn_ctx *ctx, nn_tensor *out, const char *name, int ninputs,
                             nn_tensor *const *inputs, nn_backward_fn fn, void *ud, void (*free_ud)(void *))
{
    nn_node *node;
    nn_status s = ninputs > 64 ? nn_error(ctx, NN_ERR_ARGUMENT, "%s: at most 64 inputs", name)
                               : nn_node_new(ctx, &node, name, user_backward, ninputs,
                                             (const nn_tensor *const *)inputs);
    if (s || !node) {
        if (free_ud) free_ud(ud);
        return s;
    }
    node->user_fn = fn;
    node->ud = ud;
    node->free_ud = free_ud;
    nn_node_attach(out, node);
    return NN_OK;
}

/* ---- the backward pass --------------------------------------------------------------- */

typedef struct {
    nn_node **v;
    size_t n, cap;
} node_list;

static bool list_push(node_list *l, nn_node *n)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        nn_node **v = realloc(l->v, cap * sizeof *v);
        if (!v) return false;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = n;
    return true;
}

/* Every node reachable from root, each once, with pending = its consumers. */
static nn_status collect(nn_ctx *ctx, nn_node *root, node_list *all)
{
    node_list stack = {0};
    root->visited = true;
    if (!list_push(all, root) || !list_push(&stack, root)) goto oom;
    while (stack.n) {
        nn_node *n = stack.v[--stack.n];
        for (int i = 0; i < n->ninputs; i++) {
            nn_node *m = n->edges[i].node;
            if (!m) continue;
            m->pending++;
            if (!m->visited) {
                m->visited = true;
                if (!list_push(all, m) || !list_push(&stack, m)) goto oom;
            }
        }
    }
    free(stack.v);
    return NN_OK;
oom:
    free(stack.v);
    return nn_error(ctx, NN_ERR_MEMORY, "backward: out of memory walking the graph");
}

static nn_status check_saved(nn_ctx *ctx, nn_node *n)
{
    if (n->freed)
        return nn_error(ctx, NN_ERR_STATE,
                        "backward: the graph through %s was already freed by an earlier "
                        "backward pass; compute the result again",
                        n->name);
    for (int i = 0; i < n->nsaved; i++)
        if (n->saved[i]->storage->version != n->saved_version[i])
            return nn_error(ctx, NN_ERR_MUTATED,
                            "backward: a tensor that %s saved for the gradient was modified in "
                            "place after it was used; copy it before mutating it",
                            n->name);
    return NN_OK;
}

static nn_status deliver(nn_ctx *ctx, nn_node *n, int i, nn_tensor *g)
{
    nn_edge *e = &n->edges[i];
    char a[NN_SHAPE_BUF], b[NN_SHAPE_BUF];
    if (g->ndim != e->ndim || memcmp(g->shape, e->shape, (size_t)e->ndim * sizeof *e->shape))
        return nn_error(ctx, NN_ERR_DIMENSION,
                        "backward: %s gave a gradient of size %s for an input of size %s", n->name,
                        nn_tshape(a, g), nn_shape_str(b, sizeof b, e->ndim, e->shape));
    nn_tensor *gc;
    NN_TRY(nn_as_dtype(ctx, &gc, g, e->dtype));
    nn_status s = NN_OK;
    if (ctx->grad_hook) s = ctx->grad_hook(ctx, n->name, i, gc, ctx->grad_hook_ud);
    if (!s) s = nn_accumulate(ctx, e->leaf ? &e->leaf->grad : &e->node->grad, gc);
    nn_release(gc);
    return s;
}

static nn_status run_node(nn_ctx *ctx, nn_node *n, node_list *ready)
{
    NN_TRY(check_saved(ctx, n));
    if (nn_check_interrupt(ctx)) return nn_error(ctx, NN_ERR_INTERRUPTED, "backward: interrupted");
    nn_tensor *stackgin[8], **gin = stackgin;
    if (n->ninputs > 8 && !(gin = calloc((size_t)n->ninputs, sizeof *gin)))
        return nn_error(ctx, NN_ERR_MEMORY, "backward: out of memory");
    memset(gin, 0, (size_t)(n->ninputs < 8 ? 8 : n->ninputs) * sizeof *gin);
    nn_status s = n->backward(ctx, n, n->grad, gin);
    for (int i = 0; i < n->ninputs; i++) {
        if (!s && gin[i] && nn_edge_needs(n, i)) s = deliver(ctx, n, i, gin[i]);
        nn_release(gin[i]);
    }
    if (gin != stackgin) free(gin);
    if (s) return s;
    nn_release(n->grad);
    n->grad = NULL;
    node_drop_saved(n);
    for (int i = 0; i < n->ninputs; i++) {
        nn_node *m = n->edges[i].node;
        /* An input whose gradient never came (a non-differentiable path) still
         * counts down, so the nodes before it run with what they received. */
        if (m && --m->pending == 0 && !list_push(ready, m))
            return nn_error(ctx, NN_ERR_MEMORY, "backward: out of memory");
    }
    return NN_OK;
}

nn_status nn_backward_seed(nn_ctx *ctx, nn_tensor *root, const nn_tensor *seed)
{
    char a[NN_SHAPE_BUF], b[NN_SHAPE_BUF];
    if (!nn_is_tracked(root))
        return nn_error(ctx, NN_ERR_STATE,
                        "backward: the result does not depend on any tensor "
                        "that requires a gradient");
    if (seed->numel != root->numel)
        return nn_error(ctx, NN_ERR_DIMENSION, "backward: seed of size %s for a result of size %s",
                        nn_tshape(a, seed), nn_tshape(b, root));
    nn_tensor *g;
    if (seed->ndim == root->ndim && nn_same_shape(seed, root))
        NN_TRY(nn_as_dtype(ctx, &g, seed, root->dtype));
    else {
        nn_tensor *v;
        NN_TRY(nn_view(ctx, &v, seed, root->ndim, root->shape, seed->offset));
        nn_status s = nn_as_dtype(ctx, &g, v, root->dtype);
        nn_release(v);
        NN_TRY(s);
    }
    if (!root->node) {
        nn_status s = nn_accumulate(ctx, &root->grad, g);
        nn_release(g);
        return s;
    }
    node_list all = {0}, ready = {0};
    nn_status s = collect(ctx, root->node, &all);
    if (!s) {
        nn_accumulate(ctx, &root->node->grad, g);
        if (!list_push(&ready, root->node)) s = nn_error(ctx, NN_ERR_MEMORY, "backward: out of memory");
    }
    nn_release(g);
    while (!s && ready.n) {
        nn_node *n = ready.v[--ready.n];
        if (!n->grad) { /* nothing flowed here: pass the countdown on */
            for (int i = 0; i < n->ninputs; i++) {
                nn_node *m = n->edges[i].node;
                if (m && --m->pending == 0 && !list_push(&ready, m))
                    s = nn_error(ctx, NN_ERR_MEMORY, "backward: out of memory");
            }
            continue;
        }
        s = run_node(ctx, n, &ready);
    }
    for (size_t i = 0; i < all.n; i++) { /* reset bookkeeping, also after an error */
        all.v[i]->visited = false;
        all.v[i]->pending = 0;
        nn_release(all.v[i]->grad);
        all.v[i]->grad = NULL;
    }
    free(all.v);
    free(ready.v);
    return s;
}

nn_status nn_backward(nn_ctx *ctx, nn_tensor *root)
{
    if (root->numel != 1) {
        char a[NN_SHAPE_BUF];
        return nn_error(ctx, NN_ERR_DIMENSION,
                        "backward: the result must have one element to start from, it has "
                        "size %s (pass a seed gradient instead)",
                        nn_tshape(a, root));
    }
    nn_tensor *seed;
    NN_TRY(nn_scalar(ctx, &seed, root->dtype, 1.0));
    nn_status s = nn_backward_seed(ctx, root, seed);
    nn_release(seed);
    return s;
}
