/* optimise.c — what Optimisers.jl in lx (stdlib/train/optimisers.lx) needs
 * from C: update!'s walk over the state tree, the model and the gradient
 * together, and the fused in-place steps of nn/optimise.c for the built-in
 * rules, so that a training step's update costs one C call and no new
 * tensors.  The rule structs and Leaf are defined in lx; __optim_register!
 * marks each type with a code (its `extra` slot) after checking that its
 * fields are the ones read here, in this order.  A rule without a fused step
 * (a user's rule, ClipNorm, AccumGrad, a chain holding one) comes back to lx,
 * which calls its apply!.
 */
#include "tensor.h"

#include <string.h>

/* ---- the lx types this file reads --------------------------------------------------------------- */

enum { CODE_PRE = 100, CODE_CHAIN = 200, CODE_LEAF = 300 };

/* Fields of the rule structs, as optimisers.lx declares them. */
typedef enum {
    F_ETA,
    F_RHO,
    F_EPSILON,
    F_BETA,
    F_LAMBDA,
    F_ELL,
    F_GAMMA,
    F_CENTRED,
    F_COUPLE,
    F_DELTA,
    F_NONE
} field;
static const char *const field_names[] = {"eta", "rho",   "epsilon", "beta",   "lambda",
                                          "ell", "gamma", "centred", "couple", "delta"};

#define MAXF 5
static const struct {
    const char *type;
    int code;
    field f[MAXF];        /* F_NONE after the last; Leaf and OptimiserChain are read by position */
    const char *other[4]; /* NULL-terminated */
} types[] = {
    {"Descent", NN_OPTIM_DESCENT, {F_ETA, F_NONE}, {NULL}},
    {"Momentum", NN_OPTIM_MOMENTUM, {F_ETA, F_RHO, F_NONE}, {NULL}},
    {"Nesterov", NN_OPTIM_NESTEROV, {F_ETA, F_RHO, F_NONE}, {NULL}},
    {"RMSProp", NN_OPTIM_RMSPROP, {F_ETA, F_RHO, F_EPSILON, F_CENTRED, F_NONE}, {NULL}},
    {"Rprop", NN_OPTIM_RPROP, {F_ETA, F_ELL, F_GAMMA, F_NONE}, {NULL}},
    {"Adam", NN_OPTIM_ADAM, {F_ETA, F_BETA, F_EPSILON, F_NONE}, {NULL}},
    {"AdamW", NN_OPTIM_ADAMW, {F_ETA, F_BETA, F_LAMBDA, F_EPSILON, F_COUPLE}, {NULL}},
    {"RAdam", NN_OPTIM_RADAM, {F_ETA, F_BETA, F_EPSILON, F_NONE}, {NULL}},
    {"AdaMax", NN_OPTIM_ADAMAX, {F_ETA, F_BETA, F_EPSILON, F_NONE}, {NULL}},
    {"OAdam", NN_OPTIM_OADAM, {F_ETA, F_BETA, F_EPSILON, F_NONE}, {NULL}},
    {"AdaGrad", NN_OPTIM_ADAGRAD, {F_ETA, F_EPSILON, F_NONE}, {NULL}},
    {"AdaDelta", NN_OPTIM_ADADELTA, {F_RHO, F_EPSILON, F_NONE}, {NULL}},
    {"AMSGrad", NN_OPTIM_AMSGRAD, {F_ETA, F_BETA, F_EPSILON, F_NONE}, {NULL}},
    {"NAdam", NN_OPTIM_NADAM, {F_ETA, F_BETA, F_EPSILON, F_NONE}, {NULL}},
    {"AdaBelief", NN_OPTIM_ADABELIEF, {F_ETA, F_BETA, F_EPSILON, F_NONE}, {NULL}},
    {"Lion", NN_OPTIM_LION, {F_ETA, F_BETA, F_NONE}, {NULL}},
    {"WeightDecay", CODE_PRE + NN_OPTIM_WEIGHTDECAY, {F_LAMBDA, F_NONE}, {NULL}},
    {"SignDecay", CODE_PRE + NN_OPTIM_SIGNDECAY, {F_LAMBDA, F_NONE}, {NULL}},
    {"ClipGrad", CODE_PRE + NN_OPTIM_CLIPGRAD, {F_DELTA, F_NONE}, {NULL}},
    {"OptimiserChain", CODE_CHAIN, {F_NONE}, {"opts", NULL}},
    {"Leaf", CODE_LEAF, {F_NONE}, {"rule", "state", "frozen", NULL}},
};
#define NTYPES ((int)(sizeof types / sizeof types[0]))

/* A registered type's `extra` holds its row of types[] plus this tag, so that no other use of the slot
 * can pass for one. */
#define ROW_TAG ((int64_t)0x6f7074696d000000) /* "optim" */

/* The row of types[] for v's type (a registered struct), or -1. */
static int row_of(lx_Value v)
{
    if (!lxO_is(v, LXO_STRUCT)) return -1;
    lx_Value e = v.v.o->type->extra;
    return e.tag == LX_TINT && e.v.i >= ROW_TAG && e.v.i < ROW_TAG + NTYPES ? (int)(e.v.i - ROW_TAG) : -1;
}

static int code_of(lx_Value v)
{
    int r = row_of(v);
    return r < 0 ? -1 : types[r].code;
}

/* __optim_register!(T): marks a rule type (or Leaf) of optimisers.lx for the fused path. */
static lx_Value o_register(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (!lxO_is(a[0], LXO_TYPE)) lxE_typeerror(L, "__optim_register!", "a type", a[0]);
    lxO_type *t = lxO_as(lxO_type, a[0]);
    for (int i = 0; i < NTYPES; i++) {
        if (strcmp(types[i].type, t->name->data)) continue;
        int nf = 0;
        const char *want[MAXF + 1];
        for (; nf < MAXF && types[i].f[nf] != F_NONE; nf++)
            want[nf] = field_names[types[i].f[nf]];
        for (int k = 0; types[i].other[k]; k++)
            want[nf++] = types[i].other[k];
        bool same = t->nfields == nf && !t->abstract;
        for (int k = 0; same && k < nf; k++)
            same = !strcmp(t->fields[k]->data, want[k]);
        if (!same)
            lxE_error(L, LXT_ArgumentError,
                      "__optim_register!: %s's fields are not the ones stdlib/optimise.c reads",
                      t->name->data);
        t->extra = lxO_int(ROW_TAG + i);
        return a[0];
    }
    lxE_error(L, LXT_ArgumentError, "__optim_register!: %s has no fused step", t->name->data);
}

/* ---- reading rules and states ---------------------------------------------------------------------- */

static bool number(lx_Value v, double *d)
{
    switch (v.tag) {
    case LX_TINT: *d = (double)v.v.i; return true;
    case LX_TFLOAT64: *d = v.v.d; return true;
    case LX_TFLOAT32: *d = v.v.f; return true;
    case LX_TBOOL: *d = v.v.b; return true;
    default: return false;
    }
}

static bool pair(lx_Value v, double *d)
{
    if (!lxO_is(v, LXO_TUPLE) || lxO_as(lxO_tuple, v)->n != 2) return false;
    lxO_tuple *t = lxO_as(lxO_tuple, v);
    return number(t->items[0], &d[0]) && number(t->items[1], &d[1]);
}

/* One rule's fields into o (a main rule) or into o's pre-transforms; false when a field is not what the
 * fused step needs (the lx apply! then runs, and raises if it must). */
static bool read_one(lx_Value rule, int code, nn_optim *o)
{
    const lxO_struct *s = lxO_as(lxO_struct, rule);
    const int ti = row_of(rule);
    double v = 0;
    if (code >= CODE_PRE && code < CODE_CHAIN) {
        if (o->npre == NN_OPTIM_MAX_PRE || !number(s->fields[0], &v)) return false;
        o->pre[o->npre].kind = (nn_optim_pre)(code - CODE_PRE);
        o->pre[o->npre++].v = v;
        return true;
    }
    o->rule = (nn_optim_rule)code;
    for (int k = 0; k < MAXF && types[ti].f[k] != F_NONE; k++) {
        lx_Value f = s->fields[k];
        bool ok = true;
        switch (types[ti].f[k]) {
        case F_ETA: ok = number(f, &o->eta); break;
        case F_RHO: ok = number(f, &o->rho); break;
        case F_EPSILON: ok = number(f, &o->epsilon); break;
        case F_LAMBDA: ok = number(f, &o->lambda); break;
        case F_BETA: {
            double b[2];
            ok = pair(f, b);
            o->beta1 = b[0];
            o->beta2 = b[1];
            break;
        }
        case F_ELL: ok = pair(f, o->ell); break;
        case F_GAMMA: ok = pair(f, o->gamma); break;
        case F_CENTRED: ok = f.tag == LX_TBOOL, o->centred = f.v.b; break;
        case F_COUPLE: ok = f.tag == LX_TBOOL, o->couple = f.v.b; break;
        default: ok = false;
        }
        if (!ok) return false;
    }
    return true;
}

/* A rule, or a chain of pre-transforms ending in at most one rule, as one fused step.  *at is where the
 * rule's state sits: -1 for the leaf's state itself, else its index in the chain's tuple of states. */
static bool read_rule(lx_Value rule, nn_optim *o, int *at)
{
    memset(o, 0, sizeof *o);
    o->rule = NN_OPTIM_IDENTITY;
    *at = -1;
    int code = code_of(rule);
    if (code < 0 || code == CODE_LEAF) return false;
    if (code != CODE_CHAIN) return read_one(rule, code, o);
    lx_Value opts = lxO_as(lxO_struct, rule)->fields[0];
    if (!lxO_is(opts, LXO_TUPLE)) return false;
    lxO_tuple *t = lxO_as(lxO_tuple, opts);
    for (int i = 0; i < t->n; i++) {
        int c = code_of(t->items[i]);
        bool pre = c >= CODE_PRE && c < CODE_CHAIN;
        if (c < 0 || (!pre && (c >= CODE_PRE || i != t->n - 1))) return false;
        if (!read_one(t->items[i], c, o)) return false;
        if (!pre) *at = i;
    }
    if (*at < 0) *at = -2; /* only pre-transforms: no state of its own */
    return true;
}

/* Where a step's state lives in lx: its tensors, the β powers (Adam's family) and RAdam's step. */
typedef struct {
    nn_tensor *t[NN_OPTIM_MAX_STATE];
    int nt;
    lxO_tuple *tuple; /* the state tuple, when the state is one */
    int bt, step;     /* indices in tuple of the βᵗ pair and of t; -1: none */
} state_ref;

static bool tensor_at(lx_Value v, state_ref *r)
{
    if (!lxL_istensor(v)) return false;
    r->t[r->nt++] = lxL_tval(v);
    return true;
}

/* The rule's state laid out as optimisers.lx's init makes it; false when it is not. */
static bool read_state(lx_Value st, const nn_optim *o, state_ref *r)
{
    memset(r, 0, sizeof *r);
    r->bt = r->step = -1;
    /* the layout per rule: T a tensor, F a tensor or false, B the βᵗ pair, I an Int */
    const char *lay;
    switch (o->rule) {
    case NN_OPTIM_IDENTITY:
    case NN_OPTIM_DESCENT: return true;
    case NN_OPTIM_MOMENTUM:
    case NN_OPTIM_NESTEROV:
    case NN_OPTIM_ADAGRAD:
    case NN_OPTIM_LION: return tensor_at(st, r);
    case NN_OPTIM_RMSPROP: lay = "TF"; break;
    case NN_OPTIM_RPROP:
    case NN_OPTIM_ADADELTA: lay = "TT"; break;
    case NN_OPTIM_AMSGRAD: lay = "TTT"; break;
    case NN_OPTIM_OADAM: lay = "TTBT"; break;
    case NN_OPTIM_RADAM: lay = "TTBI"; break;
    default: lay = "TTB"; break;
    }
    int n = (int)strlen(lay);
    if (!lxO_is(st, LXO_TUPLE) || lxO_as(lxO_tuple, st)->n != n) return false;
    r->tuple = lxO_as(lxO_tuple, st);
    for (int i = 0; i < n; i++) {
        lx_Value v = r->tuple->items[i];
        double d[2];
        switch (lay[i]) {
        case 'T':
            if (!tensor_at(v, r)) return false;
            break;
        case 'F':
            if (o->centred ? !tensor_at(v, r) : !(v.tag == LX_TBOOL && !v.v.b)) return false;
            break;
        case 'B':
            if (!pair(v, d)) return false;
            r->bt = i;
            break;
        case 'I':
            if (v.tag != LX_TINT) return false;
            r->step = i;
            break;
        default: return false;
        }
    }
    return true;
}

/* This step's β powers and step number, from the state. */
static void state_powers(const state_ref *r, nn_optim *o)
{
    if (r->bt >= 0) {
        double d[2];
        pair(r->tuple->items[r->bt], d);
        o->bt1 = d[0];
        o->bt2 = d[1];
    }
    if (r->step >= 0) o->t = r->tuple->items[r->step].v.i;
}

/* The β powers after the step (βᵗ .* β, in x's precision, as Optimisers.jl keeps them). */
static void next_powers(const nn_optim *o, nn_dtype dt, lx_Value *b1, lx_Value *b2)
{
    if (dt == NN_F32) {
        *b1 = lxO_f32((float)o->bt1 * (float)o->beta1);
        *b2 = lxO_f32((float)o->bt2 * (float)o->beta2);
    } else {
        *b1 = lxO_f64(o->bt1 * o->beta1);
        *b2 = lxO_f64(o->bt2 * o->beta2);
    }
}

static void step(lx_State *L, const char *fname, nn_optim *o, const state_ref *r, nn_tensor *x,
                 const nn_tensor *g, nn_tensor *dx)
{
    if (!dx && nn_is_tracked(x))
        lxE_error(L, LXT_ErrorException,
                  "%s: the parameter is being tracked by gradient; update it outside the function being "
                  "differentiated",
                  fname);
    state_powers(r, o);
    lxL_nncheck(L, nn_optim_step(L->nn, o, x, g, r->t, r->nt, dx));
}

static void __attribute__((noreturn)) bad_state(lx_State *L, const char *fname, lx_Value rule)
{
    lxW_buf b;
    lxW_init(L, &b);
    lxL_printvalue(L, &b, rule, false);
    lxW_add(&b, "", 1);
    lxE_error(L, LXT_ArgumentError,
              "%s: the optimiser state does not fit the rule %s (set up for another rule? call setup again)",
              fname, b.s);
}

/* ---- update!'s walk ------------------------------------------------------------------------------------ */

#define MAXDEPTH 100
#define SMALL 32 /* up to this many leaves, ties are found by comparing every pair */

typedef struct {
    lx_Value leaf, x, g; /* g: a tensor value */
    int first;           /* the first entry with the same Leaf */
} entry;

#define NSMALL 64 /* entries on the C stack; a bigger model's go to a buffer */

typedef struct {
    lx_State *L;
    entry *e; /* small, or big's bytes */
    int n, cap;
    entry small[NSMALL];
    lxW_buf big; /* freed by an error's unwind too */
    int depth;
    lx_Value key[MAXDEPTH]; /* the path from the root: field names (symbols) and 1-based positions (Int) */
} walker;

static entry *ents(walker *w)
{
    return w->e;
}

static void push_entry(walker *w, const entry *e)
{
    if (w->n == w->cap) {
        if (w->e == w->small) lxW_add(&w->big, (const char *)w->small, sizeof w->small);
        lxW_add(&w->big, (const char *)w->small, sizeof w->small); /* room for NSMALL more */
        w->e = (entry *)w->big.s;
        w->cap += NSMALL;
    }
    w->e[w->n++] = *e;
}

/* The path to the current node, as `.layer_1.weight` or `[2]`. */
static void path_text(walker *w, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < w->depth && used < size; i++) {
        lx_Value k = w->key[i];
        int m = k.tag == LX_TSYMBOL ? snprintf(out + used, size - used, ".%s", ((lxO_string *)k.v.o)->data)
                                    : snprintf(out + used, size - used, "[%lld]", (long long)k.v.i);
        used += m > 0 ? (size_t)m : 0;
    }
}

static void __attribute__((noreturn)) mismatch(walker *w, const char *what, lx_Value got)
{
    char p[512];
    path_text(w, p, sizeof p);
    lxE_error(w->L, LXT_ArgumentError, "update!: %s%s%s, got a %s", *p ? "at " : "", p, what,
              lxT_name(lxT_typeof(w->L, got)));
}

/* The child of a model or gradient node by name (named tuples and structs), or LX_TUNDEF. */
static lx_Value child_named(lx_State *L, lx_Value v, lxO_string *name, int i)
{
    if (lxO_is(v, LXO_NTUPLE)) {
        lxO_ntuple *t = lxO_as(lxO_ntuple, v);
        if (i < t->n && t->names[i] == name) return t->vals[i];
        int j = lxO_ntuple_find(t, name);
        if (j >= 0) return t->vals[j];
    } else if (lxO_is(v, LXO_STRUCT)) {
        lxO_struct *s = lxO_as(lxO_struct, v);
        lxO_type *ty = s->hdr.type;
        for (int j = 0; j < ty->nfields && j < s->n; j++)
            if (ty->fields[j] == name) return s->fields[j];
    }
    lx_Value u;
    u.tag = LX_TUNDEF;
    u.v.i = 0;
    return u;
}

/* Items of a Tuple or List, or NULL. */
static lx_Value *items_of(lx_Value v, int64_t *n)
{
    if (lxO_is(v, LXO_TUPLE)) {
        *n = lxO_as(lxO_tuple, v)->n;
        return lxO_as(lxO_tuple, v)->items;
    }
    if (lxO_is(v, LXO_LIST)) {
        *n = (int64_t)lxO_as(lxO_list, v)->n;
        return lxO_as(lxO_list, v)->items;
    }
    return NULL;
}

static void walk(walker *w, lx_Value tree, lx_Value x, lx_Value g);

static void walk_child(walker *w, lx_Value key, lx_Value tree, lx_Value x, lx_Value g)
{
    if (w->depth == MAXDEPTH)
        lxE_error(w->L, LXT_ArgumentError, "update!: the state tree is nested too deeply");
    w->key[w->depth++] = key;
    walk(w, tree, x, g);
    w->depth--;
}

static void add_leaf(walker *w, lx_Value leaf, lx_Value x, lx_Value g)
{
    lx_State *L = w->L;
    if (!lxL_istensor(x)) mismatch(w, " the state tree has a Leaf but the model has no tensor", x);
    nn_tensor *xt = lxL_tval(x);
    double v;
    if (!lxL_istensor(g)) {
        /* gradient gives a number for a 0-d (one-element) argument */
        if (!number(g, &v) || xt->numel != 1) mismatch(w, " the gradient is not a tensor", g);
        nn_tensor *t = NULL;
        lxL_nncheck(L, nn_full(L->nn, &t, xt->dtype, xt->ndim, xt->shape, v));
        g = lxL_wrap(L, t);
    }
    nn_tensor *gt = lxL_tval(g);
    if (!nn_same_shape(gt, xt)) {
        char p[512], a[160], b[160];
        path_text(w, p, sizeof p);
        lxE_error(L, LXT_DimensionMismatch, "update!: the gradient%s%s has size %s, the parameter %s",
                  *p ? " at " : "", p, nn_shape_str(a, sizeof a, gt->ndim, gt->shape),
                  nn_shape_str(b, sizeof b, xt->ndim, xt->shape));
    }
    entry e = {leaf, x, g, w->n};
    push_entry(w, &e);
}

static void walk(walker *w, lx_Value tree, lx_Value x, lx_Value g)
{
    if (g.tag == LX_TNOTHING || tree.tag != LX_TOBJECT) return;
    switch ((lxO_kind)tree.v.o->kind) {
    case LXO_STRUCT:
        if (code_of(tree) != CODE_LEAF) return;
        {
            lx_Value frozen = lxO_as(lxO_struct, tree)->fields[2];
            if (frozen.tag == LX_TBOOL && frozen.v.b) return;
        }
        add_leaf(w, tree, x, g);
        return;
    case LXO_NTUPLE: {
        lxO_ntuple *t = lxO_as(lxO_ntuple, tree);
        if (!lxO_is(x, LXO_NTUPLE) && !lxO_is(x, LXO_STRUCT))
            mismatch(w, " the state tree has a NamedTuple but the model does not", x);
        if (!lxO_is(g, LXO_NTUPLE) && !lxO_is(g, LXO_STRUCT))
            mismatch(w, " the gradient should be a NamedTuple like the model", g);
        for (int i = 0; i < t->n; i++) {
            lx_Value key = lxO_sym(t->names[i]);
            lx_Value xc = child_named(w->L, x, t->names[i], i), gc = child_named(w->L, g, t->names[i], i);
            if (xc.tag == LX_TUNDEF || gc.tag == LX_TUNDEF) {
                if (w->depth < MAXDEPTH) w->key[w->depth++] = key; /* for the message; the error unwinds */
                mismatch(w,
                         xc.tag == LX_TUNDEF ? " the model has no such field"
                                             : " the gradient has no such field",
                         xc.tag == LX_TUNDEF ? x : g);
            }
            walk_child(w, key, t->vals[i], xc, gc);
        }
        return;
    }
    case LXO_TUPLE:
    case LXO_LIST: {
        int64_t n = 0, nx = 0, ng = 0;
        lx_Value *ti = items_of(tree, &n), *xi = items_of(x, &nx), *gi = items_of(g, &ng);
        if (!n) return;
        if (!xi || nx != n) mismatch(w, " the model should be a Tuple or List as long as the state tree", x);
        if (!gi || ng != n) mismatch(w, " the gradient should be a Tuple or List as long as the model", g);
        for (int64_t i = 0; i < n; i++)
            walk_child(w, lxO_int(i + 1), ti[i], xi[i], gi[i]);
        return;
    }
    default: return;
    }
}

/* first[i] for every entry: the first entry with the same Leaf.  true when any Leaf is reached twice. */
static bool find_ties(walker *w)
{
    entry *e = ents(w);
    int n = w->n;
    bool any = false;
    if (n <= SMALL) {
        for (int i = 1; i < n; i++)
            for (int j = 0; j < i; j++)
                if (e[j].leaf.v.o == e[i].leaf.v.o) {
                    e[i].first = e[j].first;
                    any = true;
                    break;
                }
        return any;
    }
    size_t cap = 64;
    while (cap < 2 * (size_t)n)
        cap *= 2;
    lxW_buf tb;
    lxW_init(w->L, &tb);
    for (size_t i = 0; i < cap; i++) {
        int empty = -1;
        lxW_add(&tb, (const char *)&empty, sizeof empty);
    }
    int *slot = (int *)tb.s;
    for (int i = 0; i < n; i++) {
        size_t h = ((uintptr_t)e[i].leaf.v.o >> 4) * 0x9E3779B97F4A7C15ull;
        for (size_t k = h & (cap - 1);; k = (k + 1) & (cap - 1)) {
            if (slot[k] < 0) {
                slot[k] = i;
                break;
            }
            if (e[slot[k]].leaf.v.o == e[i].leaf.v.o) {
                e[i].first = slot[k];
                any = true;
                break;
            }
        }
    }
    lxW_free(&tb);
    return any;
}

/* The last rule read: setup gives every Leaf the same rule object, so one reading serves them all. */
typedef struct {
    const lxO_header *rule;
    bool fused;
    int at;
    nn_optim o;
} rule_cache;

/* One Leaf's step on x with gradient g: fused in place, or queued for lx's apply!. */
static void apply_leaf(lx_State *L, lx_Value leaf, lx_Value x, lx_Value g, lxO_list **rest, rule_cache *rc)
{
    lxO_struct *lf = lxO_as(lxO_struct, leaf);
    lx_Value rule = lf->fields[0];
    if (rule.tag != LX_TOBJECT || rule.v.o != rc->rule) {
        rc->rule = rule.tag == LX_TOBJECT ? rule.v.o : NULL;
        rc->fused = read_rule(rule, &rc->o, &rc->at);
    }
    nn_optim o = rc->o;
    int at = rc->at;
    state_ref r;
    if (!rc->fused) {
        if (!*rest) *rest = lxO_list_new(L, 4);
        lxO_tuple *t = lxO_tuple_new(L, 3);
        t->items[0] = leaf;
        t->items[1] = x;
        t->items[2] = g;
        lxO_list_push(L, *rest, lxO_obj(t));
        return;
    }
    lx_Value st = lf->fields[1];
    if (at >= 0) { /* a chain: the rule's state is one of the chain's */
        if (!lxO_is(st, LXO_TUPLE) || lxO_as(lxO_tuple, st)->n <= at) bad_state(L, "update!", lf->fields[0]);
        st = lxO_as(lxO_tuple, st)->items[at];
    }
    if (!read_state(st, &o, &r)) bad_state(L, "update!", lf->fields[0]);
    nn_tensor *xt = lxL_tval(x);
    step(L, "update!", &o, &r, xt, lxL_tval(g), NULL);
    if (r.bt >= 0) {
        lxO_tuple *bt = lxO_as(lxO_tuple, r.tuple->items[r.bt]);
        /* advanced in place: the pair was made for this Leaf alone (init, and update's copy) */
        next_powers(&o, xt->dtype, &bt->items[0], &bt->items[1]);
    }
    if (r.step >= 0) r.tuple->items[r.step] = lxO_int(o.t + 1);
}

/* __optim_update!(tree, ps, gs): update!'s work.  Returns nothing, or a List of (leaf, x, g) whose rules
 * have no fused step, for lx to apply. */
static lx_Value o_update(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    walker w;
    w.L = L;
    w.e = w.small;
    w.n = 0;
    w.cap = NSMALL;
    w.depth = 0;
    lxW_init(L, &w.big);
    walk(&w, a[0], a[1], a[2]);
    bool ties = find_ties(&w);
    lxO_list *rest = NULL;
    rule_cache rc = {NULL, false, -1, {0}};
    for (int i = 0; i < w.n; i++) {
        entry *e = ents(&w);
        if (e[i].first != i) continue;
        lx_Value g = e[i].g;
        if (ties) {
            /* Gradients reached at several places of a tied parameter add up, each distinct tensor once:
             * lx's gradient gives the same (already summed) tensor at every place, Zygote one per path. */
            nn_tensor *sum = nn_retain(lxL_tval(g));
            for (int m = i + 1; m < w.n; m++) {
                if (e[m].first != i) continue;
                bool seen = false;
                for (int k = i; k < m && !seen; k++)
                    seen = e[k].first == i && lxL_tval(e[k].g) == lxL_tval(e[m].g);
                if (seen) continue;
                nn_tensor *s2 = NULL;
                nn_status s = nn_binary(L->nn, &s2, NN_ADD, sum, lxL_tval(e[m].g));
                nn_release(sum);
                lxL_nncheck(L, s);
                sum = s2;
            }
            g = lxL_wrap(L, sum);
            /* the Leaf steps once per distinct parameter tensor it was reached with (once when tied) */
            for (int m = i; m < w.n; m++) {
                e = ents(&w);
                if (e[m].first != i) continue;
                bool seen = false;
                for (int k = i; k < m && !seen; k++)
                    seen = e[k].first == i && lxL_tval(e[k].x) == lxL_tval(e[m].x);
                if (!seen) apply_leaf(L, e[m].leaf, e[m].x, g, &rest, &rc);
            }
        } else {
            apply_leaf(L, e[i].leaf, e[i].x, g, &rest, &rc);
        }
    }
    lxW_free(&w.big);
    return rest ? lxO_obj(rest) : lxO_nothing();
}

/* ---- apply! of the built-in rules ---------------------------------------------------------------------- */

/* __optim_apply(rule, state, x, dx): (state′, Δ) of one step of a built-in rule, x left alone. */
static lx_Value o_apply(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    nn_optim o;
    int at;
    state_ref r;
    if (!read_rule(a[0], &o, &at) || at != -1) lxE_typeerror(L, "apply!", "a built-in rule", a[0]);
    nn_tensor *x = lxL_checktensor(L, a, 2, "apply!"), *g = lxL_checktensor(L, a, 3, "apply!");
    if (!read_state(a[1], &o, &r)) bad_state(L, "apply!", a[0]);
    nn_tensor *dx = NULL;
    lxL_nncheck(L, nn_empty(L->nn, &dx, nn_dtype_is_float(x->dtype) ? x->dtype : NN_F32, x->ndim, x->shape));
    lx_Value dxv = lxL_wrap(L, dx);
    step(L, "apply!", &o, &r, x, g, dx);
    lx_Value st = a[1];
    if (r.tuple && (r.bt >= 0 || r.step >= 0)) {
        lxO_tuple *t = lxO_tuple_new(L, r.tuple->n);
        memcpy(t->items, r.tuple->items, (size_t)r.tuple->n * sizeof *t->items);
        if (r.bt >= 0) {
            lxO_tuple *bt = lxO_tuple_new(L, 2);
            next_powers(&o, x->dtype, &bt->items[0], &bt->items[1]);
            t->items[r.bt] = lxO_obj(bt);
        }
        if (r.step >= 0) t->items[r.step] = lxO_int(o.t + 1);
        st = lxO_obj(t);
    }
    lxO_tuple *res = lxO_tuple_new(L, 2);
    res->items[0] = st;
    res->items[1] = dxv;
    return lxO_obj(res);
}

/* __struct_with(x, vals): a struct of x's type holding vals (a Tuple), its constructors bypassed (Functors'
 * rebuild of a struct from its children). */
static lx_Value o_struct_with(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (!lxO_is(a[0], LXO_STRUCT)) lxE_typeerror(L, "__struct_with", "a struct", a[0]);
    if (!lxO_is(a[1], LXO_TUPLE)) lxE_typeerror(L, "__struct_with", "a Tuple", a[1]);
    lxO_struct *s = lxO_as(lxO_struct, a[0]);
    lxO_tuple *v = lxO_as(lxO_tuple, a[1]);
    if (v->n != s->n) lxE_error(L, LXT_ArgumentError, "__struct_with: %d values for %d fields", v->n, s->n);
    lxO_struct *c = lxO_struct_new(L, s->hdr.type);
    memcpy(c->fields, v->items, (size_t)v->n * sizeof *v->items);
    return lxO_obj(c);
}

/* __isstruct(x): whether x is an instance of a struct type (not an exception or a Pair): what setup and
 * update's copy walk into, as Functors does. */
static lx_Value o_isstruct(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (!lxO_is(a[0], LXO_STRUCT)) return lxO_bool(false);
    lxO_type *t = a[0].v.o->type;
    return lxO_bool(t != L->T[LXT_Pair] && !lxT_subtype(t, L->T[LXT_Exception]));
}

static const lxL_Reg optimise_lib[] = {
    {"__isstruct", "(x)", o_isstruct, ""},
    {"__optim_register!", "(T)", o_register, ""},
    {"__optim_update!", "(tree, ps, gs)", o_update, ""},
    {"__optim_apply", "(rule, state, x, dx)", o_apply, ""},
    {"__struct_with", "(x, vals)", o_struct_with, ""},
    {NULL, NULL, NULL, NULL},
};

void lxL_open_optimise(lx_State *L)
{
    lxL_register(L, optimise_lib);
}
