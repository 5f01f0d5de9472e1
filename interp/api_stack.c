/* api_stack.c — the embedding API's values (Lua's lapi.c): a stack of values per state that the
 * host pushes to and reads by index, the frame a host C function sees on it, globals, references
 * and calls.  Every function that can fail runs its work under lxH_protect, which comes back with
 * a status and the message set (lx_errmsg) and leaves the stacks as they were; nothing longjmps
 * past the host.  The collector marks the whole stack, the references and the running host
 * function's keywords, so whatever the host holds survives any collection.
 */
#include "runtime.h"

#include "nn.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define LXH_MINFRAME 20 /* room a host function finds for its pushes without growing the stack */

/* ---- the stack -------------------------------------------------------------------------------- */

lx_Value *lxH_slot(const lx_State *L, int idx)
{
    int i;
    if (idx > 0)
        i = L->apibase + idx - 1;
    else if (idx < 0 && idx >= -(L->apitop - L->apibase))
        i = L->apitop + idx;
    else
        return NULL;
    return i < L->apitop ? &L->api[i] : NULL;
}

void lxH_reserve(lx_State *L, int n)
{
    if (n <= L->apicap - L->apitop) return;
    if (n > LXH_MAXSTACK - L->apitop)
        lxD_throw(L, LX_ERRMEM,
                  "OutOfMemoryError: the host stack is full: %d values, and it holds at most %d (pop what "
                  "is no longer needed)",
                  L->apitop, LXH_MAXSTACK);
    int cap = L->apicap ? L->apicap : 32;
    while (cap - L->apitop < n)
        cap = cap > LXH_MAXSTACK / 2 ? LXH_MAXSTACK : 2 * cap;
    L->api = lxM_realloc(L, L->api, (size_t)L->apicap * sizeof *L->api, (size_t)cap * sizeof *L->api);
    L->apicap = cap;
}

void lxH_push(lx_State *L, lx_Value v)
{
    lxH_reserve(L, 1);
    L->api[L->apitop++] = v;
}

lx_Status lxH_protect(lx_State *L, void (*f)(lx_State *L, void *ud), void *ud)
{
    lxK_vmmark m = lxK_markvm(L);
    int top = L->apitop, base = L->apibase, depth = L->apidepth;
    lx_Value kw = L->apikw, cself = L->cself;
    lx_Status st = lxD_pcall(L, f, ud);
    if (st != LX_OK) {
        L->apitop = top;
        L->apibase = base;
        L->apidepth = depth;
        L->apikw = kw;
        L->cself = cself;
    }
    return lxK_finish(L, st, m);
}

/* The frame a host function replaces, to put back when it returns or raises. */
typedef struct {
    int base, top;
    lx_Value kw;
    int nexec;
} hostframe;

static void leave_frame(lx_State *L, const hostframe *f)
{
    L->nexec = f->nexec;
    L->apitop = f->top;
    L->apibase = f->base;
    L->apikw = f->kw;
    L->apidepth--;
}

int lxH_callhost(lx_State *L, lx_CFunction fn, void *ud, lx_Value *args, int nargs, lx_Value kw,
                 lx_Value *res, int nres, int *npushed)
{
    /* C calling C through lx_call never passes through execute: counted with its entries, so that
     * unbounded recursion is a StackOverflowError before the C stack runs out */
    if (L->nexec >= LXV_MAX_CDEPTH) lxE_throw(L, lxO_obj(lxO_struct_new(L, L->T[LXT_StackOverflowError])));
    lxH_reserve(L, nargs + LXH_MINFRAME);
    hostframe saved = {L->apibase, L->apitop, L->apikw, L->nexec};
    if (nargs) memcpy(L->api + saved.top, args, (size_t)nargs * sizeof *args);
    L->apibase = saved.top;
    L->apitop = saved.top + nargs;
    L->apikw = kw;
    L->apidepth++;
    L->nexec++;
    lxD_jmp j;
    j.prev = L->errjmp;
    j.status = LX_OK;
    L->errjmp = &j;
    if (setjmp(j.buf)) { /* lx_error, or an error its own code let through: the caller's to handle */
        L->errjmp = j.prev;
        leave_frame(L, &saved);
        if (L->apiexit) { /* a nested exit() goes on ending the code, past any catch */
            L->apiexit = false;
            L->exiting = true;
        }
        L->errjmp->status = j.status;
        longjmp(L->errjmp->buf, 1);
    }
    int r = fn(L, ud);
    L->errjmp = j.prev;
    int n = L->apitop - L->apibase;
    *npushed = n;
    for (int i = 0; i < nres; i++) {
        int k = n - nres + i;
        res[i] = k >= 0 ? L->api[L->apibase + k] : (lx_Value){.tag = LX_TUNDEF};
    }
    leave_frame(L, &saved);
    if (L->apiexit) {
        L->apiexit = false;
        L->exiting = true;
        lxE_throw(L, lxO_nothing());
    }
    return r;
}

/* Raises an error of a built-in type with a formatted message, under lxH_protect: the status. */
typedef struct {
    lxT_builtin type;
    char msg[600];
} failinfo;

static void fail_body(lx_State *L, void *ud)
{
    failinfo *f = ud;
    lxE_throw(L, lxE_new(L, f->type, f->msg));
}

static lx_Status fail(lx_State *L, lxT_builtin type, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static lx_Status fail(lx_State *L, lxT_builtin type, const char *fmt, ...)
{
    failinfo f;
    f.type = type;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f.msg, sizeof f.msg, fmt, ap);
    va_end(ap);
    return lxH_protect(L, fail_body, &f);
}

static lx_Status bad_index(lx_State *L, const char *fname, int idx)
{
    return fail(L, LXT_BoundsError, "%s: stack index %d is not valid; the frame holds %d value%s", fname, idx,
                L->apitop - L->apibase, L->apitop - L->apibase == 1 ? "" : "s");
}

static void push_body(lx_State *L, void *ud)
{
    lxH_push(L, *(lx_Value *)ud);
}

static lx_Status push(lx_State *L, lx_Value v)
{
    if (L->apitop < L->apicap) {
        L->api[L->apitop++] = v;
        return LX_OK;
    }
    return lxH_protect(L, push_body, &v);
}

int lx_gettop(const lx_State *L)
{
    return L->apitop - L->apibase;
}

void lx_settop(lx_State *L, int idx)
{
    int n = L->apitop - L->apibase;
    if (idx >= 0) {
        if (idx < n) L->apitop = L->apibase + idx;
    } else {
        int keep = n + idx + 1;
        L->apitop = L->apibase + (keep > 0 ? keep : 0);
    }
}

lx_Status lx_pushvalue(lx_State *L, int idx)
{
    lx_Value *s = lxH_slot(L, idx);
    if (!s) return bad_index(L, "lx_pushvalue", idx);
    return push(L, *s);
}

/* Whether v is a layer (callable as model(x, ps, st)): an instance of AbstractLuxLayer's subtypes,
 * looked up without loading the layers library (a state that never used it has no layers). */
static bool is_layer(const lx_State *L, lx_Value v)
{
    if (!lxO_is(v, LXO_STRUCT)) return false;
    for (int i = 0; i < L->nglobals; i++) {
        const lxG_global *g = &L->globals[i];
        if (g->name->len == 16 && !memcmp(g->name->data, "AbstractLuxLayer", 16))
            return lxO_is(g->v, LXO_TYPE) && lxT_subtype(v.v.o->type, lxO_as(lxO_type, g->v));
    }
    return false;
}

lx_Type lx_type(const lx_State *L, int idx)
{
    const lx_Value *s = lxH_slot(L, idx);
    if (!s) return LX_VNONE;
    switch ((lxO_tag)s->tag) {
    case LX_TNOTHING: return LX_VNOTHING;
    case LX_TBOOL: return LX_VBOOL;
    case LX_TINT: return LX_VINT;
    case LX_TFLOAT64:
    case LX_TFLOAT32: return LX_VFLOAT;
    case LX_TSYMBOL: return LX_VSYMBOL;
    case LX_TOBJECT: break;
    default: return LX_VNONE;
    }
    switch ((lxO_kind)s->v.o->kind) {
    case LXO_STRING: return LX_VSTRING;
    case LXO_TUPLE: return LX_VTUPLE;
    case LXO_NTUPLE: return LX_VNAMEDTUPLE;
    case LXO_TENSOR: return LX_VTENSOR;
    case LXO_CLOSURE:
    case LXO_GENERIC:
    case LXO_TYPE: return LX_VFUNCTION;
    default: return is_layer(L, *s) ? LX_VFUNCTION : LX_VOTHER;
    }
}

const char *lx_typename(lx_State *L, int idx)
{
    const lx_Value *s = lxH_slot(L, idx);
    if (!s) return "none";
    return lxT_name(lxT_typeof(L, *s));
}

/* ---- pushing values ---------------------------------------------------------------------------- */

lx_Status lx_pushnothing(lx_State *L)
{
    return push(L, lxO_nothing());
}

lx_Status lx_pushbool(lx_State *L, int b)
{
    return push(L, lxO_bool(b != 0));
}

lx_Status lx_pushint(lx_State *L, int64_t n)
{
    return push(L, lxO_int(n));
}

lx_Status lx_pushfloat(lx_State *L, double x)
{
    return push(L, lxO_f64(x));
}

lx_Status lx_pushfloat32(lx_State *L, float x)
{
    return push(L, lxO_f32(x));
}

typedef struct {
    const char *s;
    size_t len;
    int n;
    const char *const *names;
} makeinfo;

static void pushstring_body(lx_State *L, void *ud)
{
    makeinfo *m = ud;
    lxH_reserve(L, 1);
    lxH_push(L, lxO_str(L, m->s, m->len));
}

lx_Status lx_pushstring(lx_State *L, const char *s, size_t len)
{
    if (!s && len) return fail(L, LXT_ArgumentError, "lx_pushstring: NULL bytes with length %zu", len);
    makeinfo m = {s ? s : "", len, 0, NULL};
    return lxH_protect(L, pushstring_body, &m);
}

static void pushsymbol_body(lx_State *L, void *ud)
{
    makeinfo *m = ud;
    lxH_reserve(L, 1);
    lxH_push(L, lxO_sym(lxS_new(L, m->s, m->len)));
}

lx_Status lx_pushsymbol(lx_State *L, const char *name)
{
    if (!name) return fail(L, LXT_ArgumentError, "lx_pushsymbol: the name is NULL");
    makeinfo m = {name, strlen(name), 0, NULL};
    return lxH_protect(L, pushsymbol_body, &m);
}

static void maketuple_body(lx_State *L, void *ud)
{
    makeinfo *m = ud;
    lxH_reserve(L, 1);
    lxO_tuple *t = lxO_tuple_new(L, m->n);
    memcpy(t->items, L->api + L->apitop - m->n, (size_t)m->n * sizeof *t->items);
    L->apitop -= m->n;
    lxH_push(L, lxO_obj(t));
}

static lx_Status check_count(lx_State *L, const char *fname, int n)
{
    int have = L->apitop - L->apibase;
    if (n < 0 || n > have)
        return fail(L, LXT_BoundsError, "%s: cannot take %d values; the frame holds %d", fname, n, have);
    return LX_OK;
}

lx_Status lx_maketuple(lx_State *L, int n)
{
    lx_Status st = check_count(L, "lx_maketuple", n);
    if (st != LX_OK) return st;
    makeinfo m = {NULL, 0, n, NULL};
    return lxH_protect(L, maketuple_body, &m);
}

static void makenamedtuple_body(lx_State *L, void *ud)
{
    makeinfo *m = ud;
    lxH_reserve(L, 1);
    for (int i = 0; i < m->n; i++) { /* checked first: a failure leaves nothing half made */
        if (!m->names[i]) lxE_error(L, LXT_ArgumentError, "lx_makenamedtuple: name %d is NULL", i + 1);
        for (int j = 0; j < i; j++)
            if (!strcmp(m->names[i], m->names[j]))
                lxE_error(L, LXT_ArgumentError,
                          "lx_makenamedtuple: the name `%s` is given twice (names %d and %d)", m->names[i],
                          j + 1, i + 1);
    }
    lxO_ntuple *t = lxO_ntuple_new(L, m->n);
    for (int i = 0; i < m->n; i++) /* interned while t is unreachable: no collection runs here */
        t->names[i] = lxS_cstr(L, m->names[i]);
    memcpy(t->vals, L->api + L->apitop - m->n, (size_t)m->n * sizeof *t->vals);
    L->apitop -= m->n;
    lxH_push(L, lxO_obj(t));
}

lx_Status lx_makenamedtuple(lx_State *L, int n, const char *const *names)
{
    lx_Status st = check_count(L, "lx_makenamedtuple", n);
    if (st != LX_OK) return st;
    if (!names && n) return fail(L, LXT_ArgumentError, "lx_makenamedtuple: %d values and no names", n);
    makeinfo m = {NULL, 0, n, names};
    return lxH_protect(L, makenamedtuple_body, &m);
}

/* ---- reading values ---------------------------------------------------------------------------- */

static void set_ok(int *ok, int v)
{
    if (ok) *ok = v;
}

int lx_tobool(lx_State *L, int idx, int *ok)
{
    const lx_Value *s = lxH_slot(L, idx);
    set_ok(ok, s && s->tag == LX_TBOOL);
    return s && s->tag == LX_TBOOL ? s->v.b : 0;
}

int64_t lx_toint(lx_State *L, int idx, int *ok)
{
    const lx_Value *s = lxH_slot(L, idx);
    set_ok(ok, 0);
    if (!s) return 0;
    if (s->tag == LX_TINT) {
        set_ok(ok, 1);
        return s->v.i;
    }
    if (s->tag == LX_TFLOAT64 || s->tag == LX_TFLOAT32) {
        double d = lxO_tonumber(*s);
        /* 2^63 is the first double past Int64; -2^63 is Int64's least */
        if (d == floor(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
            set_ok(ok, 1);
            return (int64_t)d;
        }
    }
    return 0;
}

double lx_tonumber(lx_State *L, int idx, int *ok)
{
    const lx_Value *s = lxH_slot(L, idx);
    bool num = s && (s->tag == LX_TINT || s->tag == LX_TFLOAT64 || s->tag == LX_TFLOAT32);
    set_ok(ok, num);
    return num ? lxO_tonumber(*s) : 0.0;
}

const char *lx_tostring(lx_State *L, int idx, size_t *len)
{
    const lx_Value *s = lxH_slot(L, idx);
    const lxO_string *str = NULL;
    if (s && lxO_is(*s, LXO_STRING)) str = lxO_as(lxO_string, *s);
    if (s && s->tag == LX_TSYMBOL) str = (const lxO_string *)s->v.o;
    if (len) *len = str ? str->len : 0;
    return str ? str->data : NULL;
}

static int64_t utf8_chars(const lxO_string *s)
{
    int64_t n = 0;
    for (size_t i = 0; i < s->len; i++)
        n += ((unsigned char)s->data[i] & 0xC0) != 0x80;
    return n;
}

int64_t lx_len(lx_State *L, int idx)
{
    const lx_Value *s = lxH_slot(L, idx);
    if (!s || s->tag != LX_TOBJECT) return -1;
    const lxO_header *o = s->v.o;
    switch ((lxO_kind)o->kind) {
    case LXO_TUPLE: return ((const lxO_tuple *)o)->n;
    case LXO_NTUPLE: return ((const lxO_ntuple *)o)->n;
    case LXO_LIST: return (int64_t)((const lxO_list *)o)->n;
    case LXO_STRING: return utf8_chars((const lxO_string *)o);
    case LXO_STRUCT: return o->type->nfields;
    case LXO_DICT: return (int64_t)((const lxO_dict *)o)->n;
    case LXO_RANGE: return ((const lxO_range *)o)->len;
    case LXO_TENSOR: return ((const nn_tensor *)((const lxO_tensor *)o)->t)->numel;
    default: return -1;
    }
}

typedef struct {
    lx_Value obj;
    int64_t i;
    const char *name;
} elementinfo;

static void getindex_body(lx_State *L, void *ud)
{
    elementinfo *e = ud;
    lxH_reserve(L, 1);
    lx_Value v = e->obj;
    int64_t n = -1;
    const lx_Value *items = NULL;
    if (lxO_is(v, LXO_TUPLE)) n = lxO_as(lxO_tuple, v)->n, items = lxO_as(lxO_tuple, v)->items;
    if (lxO_is(v, LXO_NTUPLE)) n = lxO_as(lxO_ntuple, v)->n, items = lxO_as(lxO_ntuple, v)->vals;
    if (lxO_is(v, LXO_LIST)) n = (int64_t)lxO_as(lxO_list, v)->n, items = lxO_as(lxO_list, v)->items;
    if (n < 0) { /* anything else indexes as lx code would: getindex(x, i) */
        lx_Value args[2] = {v, lxO_int(e->i)};
        lxH_push(L, lxV_call(L, L->globals[L->gop[LXV_OP_getindex]].v, args, 2, lxO_nothing()));
        return;
    }
    if (e->i < 1 || e->i > n) {
        lxO_struct *err = lxO_struct_new(L, L->T[LXT_BoundsError]);
        err->fields[0] = v;
        err->fields[1] = lxO_int(e->i);
        lxE_throw(L, lxO_obj(err));
    }
    lxH_push(L, items[e->i - 1]);
}

lx_Status lx_getindex(lx_State *L, int idx, int64_t i)
{
    lx_Value *s = lxH_slot(L, idx);
    if (!s) return bad_index(L, "lx_getindex", idx);
    elementinfo e = {*s, i, NULL};
    return lxH_protect(L, getindex_body, &e);
}

static void getfield_body(lx_State *L, void *ud)
{
    elementinfo *e = ud;
    lxH_reserve(L, 1);
    lxH_push(L, lxV_getfield(L, e->obj, lxS_cstr(L, e->name)));
}

lx_Status lx_getfield(lx_State *L, int idx, const char *name)
{
    lx_Value *s = lxH_slot(L, idx);
    if (!s) return bad_index(L, "lx_getfield", idx);
    if (!name) return fail(L, LXT_ArgumentError, "lx_getfield: the field name is NULL");
    elementinfo e = {*s, 0, name};
    return lxH_protect(L, getfield_body, &e);
}

const char *lx_fieldname(lx_State *L, int idx, int64_t i)
{
    const lx_Value *s = lxH_slot(L, idx);
    if (!s || i < 1) return NULL;
    if (lxO_is(*s, LXO_NTUPLE)) {
        const lxO_ntuple *t = lxO_as(lxO_ntuple, *s);
        return i <= t->n ? t->names[i - 1]->data : NULL;
    }
    if (lxO_is(*s, LXO_STRUCT)) {
        const lxO_type *t = s->v.o->type;
        return i <= t->nfields ? t->fields[i - 1]->data : NULL;
    }
    return NULL;
}

/* ---- globals ----------------------------------------------------------------------------------- */

static void getglobal_body(lx_State *L, void *ud)
{
    const char *name = ud;
    lxH_reserve(L, 1);
    lx_Value v = lxG_get(L, name); /* loads the layers library when it defines the name */
    if (v.tag == LX_TUNDEF) lxE_undefvar(L, lxS_cstr(L, name));
    lxH_push(L, v);
}

lx_Status lx_getglobal(lx_State *L, const char *name)
{
    if (!name) return fail(L, LXT_ArgumentError, "lx_getglobal: the name is NULL");
    return lxH_protect(L, getglobal_body, (void *)name);
}

typedef struct {
    const char *name;
    lx_Value v;
} setinfo;

static void setglobal_checked(lx_State *L, void *ud)
{
    setinfo *si = ud;
    lxO_string *s = lxS_cstr(L, si->name);
    lx_Value old = lxG_get(L, si->name); /* resolves a deferred library's name first */
    int gi = lxG_find(L, s);
    if (gi >= 0 && L->globals[gi].isconst && old.tag != LX_TUNDEF && !lxO_egal(old, si->v))
        lxE_error(L, LXT_ErrorException, "invalid redefinition of constant %s", si->name);
    lxG_set(L, si->name, si->v);
    L->apitop--;
}

lx_Status lx_setglobal(lx_State *L, const char *name)
{
    if (!name) return fail(L, LXT_ArgumentError, "lx_setglobal: the name is NULL");
    if (L->apitop == L->apibase)
        return fail(L, LXT_BoundsError, "lx_setglobal: no value to set %s to: the frame is empty", name);
    setinfo si = {name, L->api[L->apitop - 1]};
    return lxH_protect(L, setglobal_checked, &si);
}

/* ---- references -------------------------------------------------------------------------------- */

static void growrefs_body(lx_State *L, void *ud)
{
    (void)ud;
    if (L->caprefs >= LXH_MAXSTACK)
        lxD_throw(L, LX_ERRMEM, "OutOfMemoryError: %d references are live, the most a state holds", L->nrefs);
    int cap = L->caprefs ? 2 * L->caprefs : 16;
    L->refs = lxM_realloc(L, L->refs, (size_t)L->caprefs * sizeof *L->refs, (size_t)cap * sizeof *L->refs);
    L->caprefs = cap;
}

int lx_ref(lx_State *L)
{
    if (L->apitop == L->apibase) return 0;
    lx_Value v = L->api[--L->apitop];
    if (L->freeref) {
        int r = L->freeref;
        L->freeref = (int)L->refs[r - 1].v.i;
        L->refs[r - 1] = v;
        return r;
    }
    if (L->nrefs == L->caprefs) {
        L->api[L->apitop++] = v; /* kept alive (on the stack) while the array grows */
        lx_Status st = lxH_protect(L, growrefs_body, NULL);
        L->apitop--;
        if (st != LX_OK) return 0;
    }
    L->refs[L->nrefs++] = v;
    return L->nrefs;
}

static bool live_ref(const lx_State *L, int ref)
{
    return ref >= 1 && ref <= L->nrefs && L->refs[ref - 1].tag != LX_TUNDEF;
}

lx_Status lx_getref(lx_State *L, int ref)
{
    if (!live_ref(L, ref)) return fail(L, LXT_ArgumentError, "lx_getref: %d is not a live reference", ref);
    return push(L, L->refs[ref - 1]);
}

void lx_unref(lx_State *L, int ref)
{
    if (!live_ref(L, ref)) return;
    L->refs[ref - 1].tag = LX_TUNDEF;
    L->refs[ref - 1].v.i = L->freeref;
    L->freeref = ref;
}

/* ---- calls ------------------------------------------------------------------------------------- */

typedef struct {
    int fi; /* the function's slot; its arguments follow */
    int nargs;
    lx_Value kw;
} callinfo;

static void call_body(lx_State *L, void *ud)
{
    callinfo *c = ud;
    /* lxV_call copies the arguments before anything can move the host stack */
    lx_Value r = lxV_call(L, L->api[c->fi], L->api + c->fi + 1, c->nargs, c->kw);
    L->apitop = c->fi;
    L->api[L->apitop++] = r;
}

static lx_Status call(lx_State *L, const char *fname, int nargs, int extra)
{
    int have = L->apitop - L->apibase;
    if (nargs < 0 || nargs + 1 + extra > have)
        return fail(L, LXT_BoundsError,
                    "%s: %d argument%s need%s %d values on the stack (the function%s), the frame holds %d",
                    fname, nargs, nargs == 1 ? "" : "s", nargs == 1 ? "s" : "", nargs + 1 + extra,
                    extra ? " and the keywords" : "", have);
    callinfo c = {L->apitop - nargs - 1 - extra, nargs, lxO_nothing()};
    if (extra) {
        lx_Value kw = L->api[L->apitop - 1];
        if (!lxO_is(kw, LXO_NTUPLE) && kw.tag != LX_TNOTHING)
            return fail(L, LXT_TypeError, "lx_callkw: the keywords on top must be a NamedTuple, got a %s",
                        lxT_name(lxT_typeof(L, kw)));
        c.kw = kw; /* stays on the stack (alive) until the call returns */
    }
    lx_Status st = lxH_protect(L, call_body, &c);
    if (st != LX_OK) L->apitop = c.fi;
    if (st == LX_EXIT && L->apidepth > 0) L->apiexit = true;
    return st;
}

lx_Status lx_call(lx_State *L, int nargs)
{
    return call(L, "lx_call", nargs, 0);
}

lx_Status lx_callkw(lx_State *L, int nargs)
{
    return call(L, "lx_callkw", nargs, 1);
}

/* ---- inside a C function ------------------------------------------------------------------------ */

static void kwargs_body(lx_State *L, void *ud)
{
    (void)ud;
    lxH_reserve(L, 1);
    lxH_push(L, lxO_is(L->apikw, LXO_NTUPLE) ? L->apikw : lxO_obj(lxO_ntuple_new(L, 0)));
}

lx_Status lx_kwargs(lx_State *L)
{
    if (!L->apidepth) return fail(L, LXT_ArgumentError, "lx_kwargs: called outside a C function");
    return lxH_protect(L, kwargs_body, NULL);
}

typedef struct {
    const char *type;
    char msg[1024];
} errorinfo;

/* The exception lx_error raises: of the named type, its message in its msg field (or its first
 * one: a KeyError's key, a BoundsError's text); an unknown name is an ArgumentError saying so. */
static lx_Value make_error(lx_State *L, const errorinfo *e)
{
    if (!e->type) return lxE_new(L, LXT_ErrorException, e->msg);
    for (int i = 0; i < LXT_NUM; i++)
        if (!strcmp(lxT_name(L->T[i]), e->type) && lxT_subtype(L->T[i], L->T[LXT_Exception])) {
            if (i == LXT_OutOfMemoryError) /* its display is the state's last message */
                snprintf(L->errmsg, sizeof L->errmsg, "%.500s", e->msg);
            lx_Value x = lxE_new(L, (lxT_builtin)i, e->msg);
            if (i == LXT_KeyError) lxO_as(lxO_struct, x)->fields[0] = lxO_cstr(L, e->msg);
            return x;
        }
    lx_Value t = lxG_get(L, e->type);
    if (!lxO_is(t, LXO_TYPE) || !lxT_subtype(lxO_as(lxO_type, t), L->T[LXT_Exception]) ||
        lxO_as(lxO_type, t)->abstract)
        lxE_error(L, LXT_ArgumentError, "lx_error: %s is not a concrete exception type (the message: %s)",
                  e->type, e->msg);
    lxO_type *ty = lxO_as(lxO_type, t);
    lxO_struct *s = lxO_struct_new(L, ty);
    for (int i = 0; i < s->n; i++)
        s->fields[i] = lxO_nothing();
    int at = 0;
    for (int i = 0; i < ty->nfields; i++)
        if (!strcmp(ty->fields[i]->data, "msg")) at = i;
    if (s->n) s->fields[at] = lxO_cstr(L, e->msg);
    return lxO_obj(s);
}

static void error_body(lx_State *L, void *ud)
{
    lxE_throw(L, make_error(L, ud));
}

int lx_error(lx_State *L, const char *type, const char *fmt, ...)
{
    errorinfo e;
    e.type = type;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.msg, sizeof e.msg, fmt ? fmt : "", ap);
    va_end(ap);
    if (L->apidepth > 0) error_body(L, &e); /* to the host function's caller: lxH_callhost's handler */
    return lxH_protect(L, error_body, &e);
}
