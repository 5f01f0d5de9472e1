/* api_layer.c — layer types written in C (lx_registerlayer): a struct type under AbstractLuxLayer
 * whose fields and constructor come from the host's signature, and C methods of initialparameters,
 * initialstates and apply that run the host's callbacks in frames of their own (lxH_callhost).
 * Under gradient, a layer with a backward callback runs its apply on untracked aliases and puts one
 * node on the tape (nn_attach_backward) whose backward calls the host again; what that call needs
 * (the layer, x, ps, st) is held by a reference for the node's life.  Errors from the callbacks come
 * back naming the layer and the callback; inside the backward pass they become nn statuses, so no
 * longjmp ever crosses nn/.
 */
#include "parse.h"
#include "tensor.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAXNAME 100  /* bytes in a layer type's name */
#define MAXSIG 2000  /* bytes in its constructor's signature */
#define MAXFIELDS 60 /* parameters of the constructor */
#define MAXPARAMS 63 /* parameter arrays one layer may have under gradient (nn's 64 inputs, x first) */

/* What the layer's methods keep (in a CDATA, their method data). */
typedef struct {
    int (*init)(lx_State *L, void *ud);
    int (*states)(lx_State *L, void *ud);
    int (*apply)(lx_State *L, void *ud);
    int (*backward)(lx_State *L, void *ud);
    void *ud;
} layerdef;

static layerdef def_of(lx_State *L)
{
    layerdef d;
    memcpy(&d, lxO_as(lxO_cdata, L->cself)->data, sizeof d);
    return d;
}

static const char *layer_name(lx_State *L, lx_Value layer)
{
    return lxT_name(lxT_typeof(L, layer));
}

/* ---- running a callback ------------------------------------------------------------------------ */

/* f under a handler, with the VM's stacks put back when it raises (as lxV_pcall does): for code
 * that must see an error before it goes on, or must not let it go on at all (nn's backward). */
static lx_Status vm_protect(lx_State *L, void (*f)(lx_State *L, void *ud), void *ud)
{
    lxK_vmmark m = lxK_markvm(L);
    lx_Value cself = L->cself;
    lx_Status st = lxD_pcall(L, f, ud);
    L->cself = cself;
    if (st != LX_OK) lxK_restorevm(L, m);
    return st;
}

typedef struct {
    const char *layer, *what; /* "HostDense", "apply": for messages */
    int (*fn)(lx_State *L, void *ud);
    void *ud;
    lx_Value *args;
    int nargs;
    lx_Value res[2];
    int nres, npushed, ret;
} cbcall;

static void callback_body(lx_State *L, void *ud)
{
    cbcall *c = ud;
    c->ret = lxH_callhost(L, c->fn, c->ud, c->args, c->nargs, lxO_nothing(), c->res, c->nres, &c->npushed);
}

/* The error a callback raised, on its way out with the layer and the callback named in its message
 * (an exception with a String msg field: ArgumentError, DimensionMismatch, ErrorException, ...);
 * any other (an interrupt, running out of memory, exit) goes on as it came. */
static void reraise(lx_State *L, lx_Status st, const cbcall *c) __attribute__((noreturn));
static void reraise(lx_State *L, lx_Status st, const cbcall *c)
{
    lx_Value exc = L->exc;
    if (st == LX_ERRRUN && !L->exiting && lxO_is(exc, LXO_STRUCT) &&
        exc.v.o->type != L->T[LXT_InterruptException]) {
        lxO_type *t = exc.v.o->type;
        for (int i = 0; i < t->nfields; i++) {
            lx_Value msg = lxO_as(lxO_struct, exc)->fields[i];
            if (strcmp(t->fields[i]->data, "msg") || !lxO_is(msg, LXO_STRING)) continue;
            int mark = lxV_root(L, exc);
            lxW_buf b;
            lxW_init(L, &b);
            lxW_printf(&b, "%s's %s callback: %s", c->layer, c->what, lxO_as(lxO_string, msg)->data);
            lx_Value text = lxO_str(L, b.s, b.len);
            lxW_free(&b);
            lxO_struct *copy = lxO_struct_new(L, t);
            memcpy(copy->fields, lxO_as(lxO_struct, exc)->fields, (size_t)t->nfields * sizeof *copy->fields);
            copy->fields[i] = text;
            lxV_unroot(L, mark);
            lxE_throw(L, lxO_obj(copy));
        }
    }
    L->errjmp->status = st;
    longjmp(L->errjmp->buf, 1);
}

/* Runs the callback; after it, c->res holds the c->nres values it pushed. */
static void run_callback(lx_State *L, cbcall *c, const char *pushes)
{
    c->res[0] = c->res[1] = lxO_nothing();
    lx_Status st = vm_protect(L, callback_body, c);
    if (st != LX_OK) reraise(L, st, c);
    if (c->ret != 0)
        lxE_error(L, LXT_ErrorException,
                  "%s's %s callback returned %d: a layer's callback pushes %s and returns 0 (lx_error "
                  "for an error)",
                  c->layer, c->what, c->ret, pushes);
    /* the results are the top values of its frame, which starts with its arguments */
    bool none = c->npushed < c->nres || c->npushed <= c->nargs;
    for (int i = 0; none && c->npushed >= c->nres && i < c->nres; i++)
        none = lxO_egal(c->res[i], c->args[c->npushed - c->nres + i]);
    if (none)
        lxE_error(L, LXT_ErrorException, "%s's %s callback pushed no result: it pushes %s", c->layer, c->what,
                  pushes);
}

/* ---- setup: initialparameters and initialstates ---------------------------------------------- */

static void check_namedtuple(lx_State *L, const cbcall *c, lx_Value v, bool tensors)
{
    if (!lxO_is(v, LXO_NTUPLE))
        lxE_error(L, LXT_TypeError, "%s's %s callback pushed a value of type %s: it pushes %s", c->layer,
                  c->what, lxT_name(lxT_typeof(L, v)),
                  tensors ? "the parameters, a NamedTuple of tensors" : "the states, a NamedTuple");
    const lxO_ntuple *nt = lxO_as(lxO_ntuple, v);
    if (tensors && nt->n > MAXPARAMS)
        lxE_error(L, LXT_ArgumentError, "%s's %s callback made %d parameter arrays; a layer has at most %d",
                  c->layer, c->what, nt->n, MAXPARAMS);
    for (int i = 0; tensors && i < nt->n; i++)
        if (!lxL_istensor(nt->vals[i]))
            lxE_error(
                L, LXT_TypeError,
                "%s's %s callback pushed parameters whose `%s` is of type %s: each parameter is a tensor",
                c->layer, c->what, nt->names[i]->data, lxT_name(lxT_typeof(L, nt->vals[i])));
}

/* initialparameters(rng, l) and initialstates(rng, l): the callback gets (layer, rng). */
static lx_Value setup_callback(lx_State *L, lx_Value *a, bool params)
{
    layerdef d = def_of(L);
    lx_Value args[2] = {a[1], a[0]};
    cbcall c = {.layer = layer_name(L, a[1]),
                .what = params ? "init" : "states",
                .fn = params ? d.init : d.states,
                .ud = d.ud,
                .args = args,
                .nargs = 2,
                .nres = 1};
    run_callback(L, &c, params ? "the parameters (a NamedTuple of tensors)" : "the states (a NamedTuple)");
    check_namedtuple(L, &c, c.res[0], params);
    return c.res[0];
}

static lx_Value layer_init(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)n, (void)kw;
    return setup_callback(L, a, true);
}

static lx_Value layer_states(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)n, (void)kw;
    return setup_callback(L, a, false);
}

/* ---- apply ------------------------------------------------------------------------------------- */

static bool tracked(lx_Value v)
{
    return lxL_istensor(v) && nn_is_tracked(lxL_tval(v)) && nn_dtype_is_float(lxL_tval(v)->dtype);
}

static bool any_tracked(lx_Value x, lx_Value ps)
{
    if (tracked(x)) return true;
    if (!lxO_is(ps, LXO_NTUPLE)) return false;
    const lxO_ntuple *nt = lxO_as(lxO_ntuple, ps);
    for (int i = 0; i < nt->n; i++)
        if (tracked(nt->vals[i])) return true;
    return false;
}

/* v itself, or an untracked alias when gradient tracks it. */
static lx_Value plain(lx_State *L, lx_Value v)
{
    if (!tracked(v)) return v;
    nn_tensor *t = NULL;
    return lxL_result(L, nn_detach(L->nn, &t, lxL_tval(v)), &t);
}

static lx_Value plain_params(lx_State *L, lx_Value ps)
{
    if (!lxO_is(ps, LXO_NTUPLE)) return ps;
    const lxO_ntuple *nt = lxO_as(lxO_ntuple, ps);
    lxO_ntuple *out = lxO_ntuple_new(L, nt->n);
    int mark = lxV_root(L, lxO_obj(out));
    for (int i = 0; i < nt->n; i++) {
        out->names[i] = nt->names[i];
        out->vals[i] = plain(L, nt->vals[i]);
    }
    lxV_unroot(L, mark);
    return lxO_obj(out);
}

/* What a backward node keeps: the state, the reference holding (layer, x, ps, st) as apply saw
 * them, and the host's backward. */
typedef struct {
    lx_State *L;
    int ref;
    int (*backward)(lx_State *L, void *ud);
    void *ud;
} bwnode;

static void bwnode_free(void *ud)
{
    bwnode *b = ud;
    lx_unref(b->L, b->ref); /* bookkeeping only: safe while the collector sweeps */
    free(b);
}

static nn_status host_backward(nn_ctx *ctx, void *ud, const nn_tensor *gout, int n, const bool *needs,
                               nn_tensor **gin);

/* y with a node whose backward is the host's, over the inputs x and ps's tensors (as given: tracked). */
static lx_Value attach(lx_State *L, const layerdef *d, lx_Value layer, lx_Value x, lx_Value ps,
                       lx_Value saved, lx_Value y)
{
    const char *name = layer_name(L, layer);
    if (!lxL_istensor(y) || !nn_dtype_is_float(lxL_tval(y)->dtype))
        lxE_error(
            L, LXT_TypeError,
            "%s's apply callback pushed y of type %s%s%s: a layer with a backward callback outputs a float "
            "tensor",
            name, lxT_name(lxT_typeof(L, y)), lxL_istensor(y) ? " of " : "",
            lxL_istensor(y) ? nn_dtype_name(lxL_tval(y)->dtype) : "");
    nn_tensor *inputs[1 + MAXPARAMS] = {0};
    int n = 1;
    if (lxL_istensor(x)) inputs[0] = lxL_tval(x);
    if (lxO_is(ps, LXO_NTUPLE)) {
        const lxO_ntuple *nt = lxO_as(lxO_ntuple, ps);
        if (nt->n > MAXPARAMS)
            lxE_error(L, LXT_ArgumentError, "%s: %d parameter arrays; a layer has at most %d under gradient",
                      name, nt->n, MAXPARAMS);
        for (int i = 0; i < nt->n; i++)
            inputs[n++] = lxL_istensor(nt->vals[i]) ? lxL_tval(nt->vals[i]) : NULL;
    }
    /* a fresh alias carries the node: y may be x or a parameter the host handed back */
    nn_tensor *out = NULL;
    lx_Value yv = lxL_result(L, nn_detach(L->nn, &out, lxL_tval(y)), &out);
    int mark = lxV_root(L, yv);
    lxH_push(L, saved); /* lx_ref takes it from the host stack */
    int ref = lx_ref(L);
    if (!ref) lxD_throw(L, LX_ERRMEM, "OutOfMemoryError: keeping what %s's backward needs", name);
    bwnode *b = malloc(sizeof *b);
    if (!b) {
        lx_unref(L, ref);
        lxD_throw(L, LX_ERRMEM, "OutOfMemoryError: %s's backward node", name);
    }
    b->ref = ref;
    b->L = L;
    b->backward = d->backward;
    b->ud = d->ud;
    lxL_nncheck(L, nn_attach_backward(L->nn, out, name, n, inputs, host_backward, b, bwnode_free));
    lxV_unroot(L, mark);
    return yv;
}

/* apply(l, x, ps, st) = (y, st): y from the host's apply. */
static lx_Value layer_apply(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)n, (void)kw;
    layerdef d = def_of(L);
    lx_Value layer = a[0], x = a[1], ps = a[2], st = a[3];
    bool track = d.backward && any_tracked(x, ps);
    lx_Value args[4] = {layer, x, ps, st};
    int mark = lxV_root(L, lxO_nothing());
    if (track) {
        args[1] = plain(L, x);
        lxV_root(L, args[1]);
        args[2] = plain_params(L, ps);
        lxV_root(L, args[2]);
    }
    cbcall c = {.layer = layer_name(L, layer),
                .what = "apply",
                .fn = d.apply,
                .ud = d.ud,
                .args = args,
                .nargs = 4,
                .nres = 1};
    run_callback(L, &c, "the output y");
    lx_Value y = c.res[0];
    if (track) {
        lxV_root(L, y);
        lxO_tuple *saved = lxO_tuple_new(L, 4);
        memcpy(saved->items, args, sizeof args);
        y = attach(L, &d, layer, x, ps, lxO_obj(saved), y);
    }
    lxO_tuple *r = lxO_tuple_new(L, 2);
    r->items[0] = y;
    r->items[1] = st;
    lxV_unroot(L, mark);
    return lxO_obj(r);
}

/* ---- backward ---------------------------------------------------------------------------------- */

typedef struct {
    bwnode *b;
    const nn_tensor *gout;
    int n;
    nn_tensor **gin;
    const char *layer;
} bwcall;

static void check_grad(lx_State *L, const char *layer, const char *what, lx_Value g, const nn_tensor *like)
{
    char gs[160], ls[160];
    if (!lxL_istensor(g))
        lxE_error(L, LXT_TypeError,
                  "%s's backward callback gave a value of type %s as the gradient of %s: a tensor or nothing",
                  layer, lxT_name(lxT_typeof(L, g)), what);
    const nn_tensor *t = lxL_tval(g);
    if (t->ndim != like->ndim || memcmp(t->shape, like->shape, (size_t)t->ndim * sizeof *t->shape))
        lxE_error(L, LXT_DimensionMismatch,
                  "%s's backward callback gave a gradient of size %s for %s, which has size %s", layer,
                  nn_shape_str(gs, sizeof gs, t->ndim, t->shape), what,
                  nn_shape_str(ls, sizeof ls, like->ndim, like->shape));
}

/* The names of a named tuple as "(:a, :b)", for messages. */
static void names_text(char *buf, size_t size, const lxO_ntuple *nt)
{
    size_t k = (size_t)snprintf(buf, size, "(");
    for (int i = 0; i < nt->n && k < size; i++)
        k += (size_t)snprintf(buf + k, size - k, "%s:%s", i ? ", " : "", nt->names[i]->data);
    if (k < size) snprintf(buf + k, size - k, nt->n == 1 ? ",)" : ")");
}

/* dps: nothing, or a named tuple with a gradient (or nothing) for each of ps's names. */
static void take_param_grads(lx_State *L, bwcall *c, const lxO_ntuple *ps, lx_Value dps)
{
    if (dps.tag == LX_TNOTHING) return;
    char have[400];
    names_text(have, sizeof have, ps);
    if (!lxO_is(dps, LXO_NTUPLE))
        lxE_error(L, LXT_TypeError,
                  "%s's backward callback gave a value of type %s as dps: a NamedTuple with the names of ps "
                  "%s, or nothing",
                  c->layer, lxT_name(lxT_typeof(L, dps)), have);
    const lxO_ntuple *g = lxO_as(lxO_ntuple, dps);
    for (int i = 0; i < g->n; i++)
        if (lxO_ntuple_find(ps, g->names[i]) < 0)
            lxE_error(L, LXT_ArgumentError,
                      "%s's backward callback gave a gradient for `%s`, which is not a parameter: ps has %s",
                      c->layer, g->names[i]->data, have);
    for (int i = 0; i < ps->n; i++) {
        int k = lxO_ntuple_find(g, ps->names[i]);
        if (k < 0)
            lxE_error(
                L, LXT_ArgumentError,
                "%s's backward callback gave no gradient for `%s` (nothing says it has none): ps has %s",
                c->layer, ps->names[i]->data, have);
        if (g->vals[k].tag == LX_TNOTHING || !lxL_istensor(ps->vals[i])) continue;
        char what[160];
        snprintf(what, sizeof what, "ps.%s", ps->names[i]->data);
        check_grad(L, c->layer, what, g->vals[k], lxL_tval(ps->vals[i]));
        c->gin[1 + i] = nn_retain(lxL_tval(g->vals[k])); /* nn releases what gin holds, even on error */
    }
}

static void backward_body(lx_State *L, void *ud)
{
    bwcall *c = ud;
    const lxO_tuple *saved = lxO_as(lxO_tuple, L->refs[c->b->ref - 1]);
    lx_Value args[5];
    memcpy(args, saved->items, 4 * sizeof *args);
    args[4] = lxL_wrap(L, nn_retain((nn_tensor *)c->gout));
    cbcall cb = {.layer = c->layer,
                 .what = "backward",
                 .fn = c->b->backward,
                 .ud = c->b->ud,
                 .args = args,
                 .nargs = 5,
                 .nres = 2};
    run_callback(L, &cb, "dx, then dps (a NamedTuple like ps)");
    lx_Value x = args[1], dx = cb.res[0];
    if (lxL_istensor(x) && dx.tag != LX_TNOTHING) {
        check_grad(L, c->layer, "x", dx, lxL_tval(x));
        c->gin[0] = nn_retain(lxL_tval(dx));
    }
    if (lxO_is(args[2], LXO_NTUPLE)) take_param_grads(L, c, lxO_as(lxO_ntuple, args[2]), cb.res[1]);
}

typedef struct {
    char text[1024];
} errtext;

static void describe(lx_State *L, void *ud)
{
    errtext *e = ud;
    lxW_buf b;
    lxW_init(L, &b);
    lxW_showerror(&b, L->exc);
    snprintf(e->text, sizeof e->text, "%s", b.s ? b.s : "");
    lxW_free(&b);
}

/* The nn status a caught error becomes; lxE_nn turns it back into this type of exception. */
static nn_status status_for(lx_State *L, lx_Status st, const char **prefix)
{
    static const struct {
        lxT_builtin type;
        nn_status status;
    } kinds[] = {{LXT_DimensionMismatch, NN_ERR_DIMENSION},
                 {LXT_ArgumentError, NN_ERR_ARGUMENT},
                 {LXT_DomainError, NN_ERR_DOMAIN}};
    *prefix = NULL;
    if (st == LX_ERRMEM) return NN_ERR_MEMORY;
    if (!lxO_is(L->exc, LXO_STRUCT)) return NN_ERR_STATE;
    const lxO_type *t = L->exc.v.o->type;
    if (t == L->T[LXT_InterruptException]) return NN_ERR_INTERRUPTED;
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (t == L->T[kinds[i].type]) {
            *prefix = lxT_name(t);
            return kinds[i].status;
        }
    return NN_ERR_STATE;
}

static nn_status host_backward(nn_ctx *ctx, void *ud, const nn_tensor *gout, int n, const bool *needs,
                               nn_tensor **gin)
{
    (void)needs;
    bwnode *b = ud;
    lx_State *L = b->L;
    const lxO_tuple *saved = lxO_as(lxO_tuple, L->refs[b->ref - 1]);
    bwcall c = {b, gout, n, gin, layer_name(L, saved->items[0])};
    lx_Status st = vm_protect(L, backward_body, &c);
    if (st == LX_OK) return NN_OK;
    const char *prefix;
    nn_status code = status_for(L, st, &prefix);
    errtext e;
    if (vm_protect(L, describe, &e) != LX_OK)
        snprintf(e.text, sizeof e.text, "(the error could not be shown)");
    const char *msg = e.text;
    size_t plen = prefix ? strlen(prefix) : 0;
    if (prefix && !strncmp(msg, prefix, plen) && !strncmp(msg + plen, ": ", 2)) msg += plen + 2;
    /* our own checks name the layer already; a host's error gets it here */
    char own[MAXNAME + 32];
    snprintf(own, sizeof own, "%s's backward callback", c.layer);
    if (strstr(msg, own)) return nn_error(ctx, code, "%s", msg);
    return nn_error(ctx, code, "%s's backward callback: %s", c.layer, msg);
}

/* ---- registration ------------------------------------------------------------------------------ */

typedef struct {
    const lx_Layer *def;
    char fields[MAXFIELDS][MAXNAME + 1];
    char types[MAXFIELDS][MAXNAME + 1]; /* a parameter's type when it is a plain name, else "" */
    int nfields;
    char msg[600]; /* why the signature is refused */
} siginfo;

static bool refuse(siginfo *si, const char *fmt, const char *a, const char *b)
{
    snprintf(si->msg, sizeof si->msg, fmt, a, b);
    return false;
}

/* Reads one parameter: a plain name, maybe typed, maybe with a default. */
static bool read_param(siginfo *si, const lxA_node *p)
{
    const char *lname = si->def->name;
    if (p->kind != AST_PARAM || !p->kids[0])
        return refuse(si, "lx_registerlayer: a parameter of %s's signature is not a name%s", lname, "");
    if (p->flags & LXA_F_SPLAT)
        return refuse(si,
                      "lx_registerlayer: %s's signature has a splat (%s...); each parameter becomes a field",
                      lname, p->kids[0]->kind == AST_IDENT ? p->kids[0]->name : "xs");
    if (p->kids[0]->kind != AST_IDENT)
        return refuse(si, "lx_registerlayer: %s's signature destructures a parameter%s; each is a plain name",
                      lname, "");
    const char *nm = p->kids[0]->name;
    if (strlen(nm) > MAXNAME)
        return refuse(si, "lx_registerlayer: %s's parameter %.60s... is too long", lname, nm);
    if (!strcmp(nm, "new"))
        return refuse(si,
                      "lx_registerlayer: %s's signature names a parameter `%s`, which its constructor needs",
                      lname, nm);
    for (int i = 0; i < si->nfields; i++)
        if (!strcmp(si->fields[i], nm))
            return refuse(si, "lx_registerlayer: %s's signature names `%s` twice", lname, nm);
    if (si->nfields == MAXFIELDS)
        return refuse(si, "lx_registerlayer: %s's signature has over %s parameters", lname, "60");
    snprintf(si->fields[si->nfields], MAXNAME + 1, "%s", nm);
    const lxA_node *ty = p->kids[1];
    si->types[si->nfields][0] = '\0';
    if (ty && ty->kind == AST_IDENT && strlen(ty->name) <= MAXNAME)
        snprintf(si->types[si->nfields], MAXNAME + 1, "%s", ty->name);
    si->nfields++;
    return true;
}

/* Whether `name<sig> = nothing` is one method definition of name, with parameters we can make
 * fields of; fills si (fields, or the reason in msg).  Nothing of the signature runs here. */
static bool read_sig(lx_State *L, siginfo *si, const char *sig)
{
    const char *lname = si->def->name;
    char text[MAXNAME + MAXSIG + 32];
    snprintf(text, sizeof text, "%s%s = nothing", lname, sig);
    lxA_arena arena;
    lxA_arena_init(&arena, lxM_arena_alloc, L);
    lxP_result res;
    const lxA_node *top = lxP_parse(text, strlen(text), "lx_registerlayer", &arena, &res);
    bool ok = res.ok;
    if (!ok && strstr(res.message, "out of memory")) {
        lxA_arena_free(&arena);
        lxD_throw(L, LX_ERRMEM, "OutOfMemoryError: reading %s's signature", lname);
    }
    if (!ok) refuse(si, "lx_registerlayer: %s's signature does not parse: %s", lname, res.message);
    const lxA_node *f = ok && top->n == 1 ? top->kids[0] : NULL;
    if (ok && (!f || f->kind != AST_FUNCTION || f->n != 3 || !f->kids[0] || f->kids[0]->kind != AST_IDENT ||
               strcmp(f->kids[0]->name, lname) || !f->kids[2] || f->kids[2]->kind != AST_NOTHING))
        ok =
            refuse(si, "lx_registerlayer: %s's signature \"%.200s\" is not one parameter list in parentheses",
                   lname, sig);
    for (int i = 0; ok && i < f->kids[1]->n; i++)
        ok = read_param(si, f->kids[1]->kids[i]);
    lxA_arena_free(&arena);
    return ok;
}

static bool name_ok(const char *name)
{
    unsigned char c0 = (unsigned char)name[0];
    if (!(c0 == '_' || (c0 >= 'A' && c0 <= 'Z') || (c0 >= 'a' && c0 <= 'z') || c0 >= 0x80)) return false;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (!(*p == '_' || *p == '!' || (*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= 'a' && *p <= 'z') || *p >= 0x80))
            return false;
    return strlen(name) <= MAXNAME;
}

/* The struct and its constructor, as lx code would define them (the constructor checks the types
 * its signature gives, fills the defaults and takes the keywords). */
static void define_type(lx_State *L, const siginfo *si, const char *sig)
{
    const char *lname = si->def->name;
    lxW_buf b;
    lxW_init(L, &b);
    lxW_printf(&b, "struct %s <: AbstractLuxLayer\n", lname);
    for (int i = 0; i < si->nfields; i++)
        lxW_printf(&b, "    %s\n", si->fields[i]);
    lxW_printf(&b, "    %s%s = new(", lname, sig);
    for (int i = 0; i < si->nfields; i++)
        lxW_printf(&b, "%s%s", i ? ", " : "", si->fields[i]);
    lxW_puts(&b, ")\nend\n");
    lxK_dosource(L, b.s, b.len, "lx_registerlayer");
    lxW_free(&b);
}

/* Whether name is a word of the `where` clause after the parameter list (a type variable). */
static bool where_bound(const char *sig, const char *name)
{
    const char *close = strrchr(sig, ')'), *w = close ? strstr(close, "where") : NULL;
    size_t n = strlen(name);
    for (const char *p = w ? strstr(w + 5, name) : NULL; p; p = strstr(p + 1, name)) {
        bool start = !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
        bool end = !(isalnum((unsigned char)p[n]) || p[n] == '_');
        if (start && end) return true;
    }
    return false;
}

static void register_body(lx_State *L, void *ud)
{
    siginfo *si = ud;
    const lx_Layer *d = si->def;
    const char *sig = d->sig ? d->sig : "()";
    lxG_get(L, "AbstractLuxLayer"); /* the layers library, loaded now if it was deferred */
    lx_Value old = lxG_get(L, d->name);
    if (old.tag != LX_TUNDEF)
        lxE_error(L, LXT_ArgumentError,
                  "lx_registerlayer: `%s` is already defined (a %s); a layer type needs a new name", d->name,
                  lxO_is(old, LXO_TYPE) ? "type" : lxT_name(lxT_typeof(L, old)));
    if (!read_sig(L, si, sig)) lxE_error(L, LXT_ArgumentError, "%s", si->msg);
    for (int i = 0; i < si->nfields; i++)
        if (si->types[i][0] && !where_bound(sig, si->types[i]) && !lxO_is(lxG_get(L, si->types[i]), LXO_TYPE))
            lxE_error(L, LXT_ArgumentError,
                      "lx_registerlayer: %s's parameter %s is declared ::%s, which is not a type", d->name,
                      si->fields[i], si->types[i]);
    define_type(L, si, sig);
    if (d->doc) lxL_setdoc(L, d->name, d->doc);
    lxO_cdata *c = lxO_cdata_new(L, L->T[LXT_Any], sizeof(layerdef));
    layerdef ld = {d->init, d->states, d->apply, d->backward, d->ud};
    memcpy(c->data, &ld, sizeof ld);
    char sigtext[MAXNAME + 32];
    /* no collection runs until the methods hold c */
    if (d->init) {
        snprintf(sigtext, sizeof sigtext, "(rng, l::%s)", d->name);
        lxL_addcmethod(L, "initialparameters", sigtext, layer_init, lxO_obj(c), NULL);
    }
    if (d->states) {
        snprintf(sigtext, sizeof sigtext, "(rng, l::%s)", d->name);
        lxL_addcmethod(L, "initialstates", sigtext, layer_states, lxO_obj(c), NULL);
    }
    snprintf(sigtext, sizeof sigtext, "(l::%s, x, ps, st)", d->name);
    lxL_addcmethod(L, "apply", sigtext, layer_apply, lxO_obj(c), NULL);
}

static void fail_body(lx_State *L, void *ud)
{
    lxE_error(L, LXT_ArgumentError, "%s", (const char *)ud);
}

lx_Status lx_registerlayer(lx_State *L, const lx_Layer *layer)
{
    char msg[400];
    msg[0] = '\0';
    if (!layer)
        snprintf(msg, sizeof msg, "lx_registerlayer: no layer given (NULL)");
    else if (!layer->name || !name_ok(layer->name))
        snprintf(msg, sizeof msg,
                 "lx_registerlayer: \"%.120s\" is not a name a layer type can have (a letter or _, then "
                 "letters, digits, _ or !; at most %d bytes)",
                 layer->name ? layer->name : "(NULL)", MAXNAME);
    else if (!layer->apply)
        snprintf(msg, sizeof msg, "lx_registerlayer: %s has no apply callback", layer->name);
    else if (layer->sig && strlen(layer->sig) > MAXSIG)
        snprintf(msg, sizeof msg, "lx_registerlayer: %s's signature is %zu bytes long; at most %d",
                 layer->name, strlen(layer->sig), MAXSIG);
    if (msg[0]) return lxH_protect(L, fail_body, msg);
    siginfo si;
    memset(&si, 0, sizeof si);
    si.def = layer;
    return lxH_protect(L, register_body, &si);
}
