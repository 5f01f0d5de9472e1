/* vm.c — the virtual machine (lxV_): call frames on the VM's own stack (so
 * deep lx recursion is a StackOverflowError, never a C stack overflow), the
 * instruction loop, calls with per-site dispatch caches, try/catch handlers,
 * and calls into lx from C.  Fast paths cover numbers, lists, tuples and
 * named tuples; everything else falls back to the generic functions of
 * L->gop (`+`, `getindex`, `iterate`, ...), where user methods take part.
 */
#include "runtime.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- stack and frames --------------------------------------------------------------------- */

/* Room for n values at the top: switches to the next segment when the
 * current one is full.  Returns the first slot; L->top is unchanged. */
static lx_Value *reserve(lx_State *L, size_t n)
{
    lxV_segment *s = &L->segs[L->seg];
    if (L->top + n <= s->vals + s->n) return L->top;
    int next = L->seg + 1;
    if (next == L->nsegs || L->segs[next].n < n) {
        if (next == L->nsegs) {
            L->segs = lxM_realloc(L, L->segs, (size_t)L->nsegs * sizeof *L->segs,
                                  (size_t)(L->nsegs + 1) * sizeof *L->segs);
            L->nsegs++;
        } else {
            lxM_free(L, L->segs[next].vals, L->segs[next].n * sizeof(lx_Value));
        }
        size_t size = n > LXV_SEGMENT ? n : LXV_SEGMENT;
        L->segs[next].vals = NULL;
        L->segs[next].n = 0;
        L->segs[next].vals = lxM_realloc(L, NULL, 0, size * sizeof(lx_Value));
        L->segs[next].n = size;
    }
    L->seg = next;
    L->top = L->segs[next].vals;
    return L->top;
}

static lxV_frame *push_frame(lx_State *L)
{
    if (L->nframes >= LXV_MAX_FRAMES) lxE_throw(L, lxO_obj(lxO_struct_new(L, L->T[LXT_StackOverflowError])));
    if (L->nframes == L->capframes) { /* one more block; the others stay where they are */
        lxV_frame **b = lxM_realloc(L, L->fblocks, (size_t)L->nfblocks * sizeof *b,
                                    (size_t)(L->nfblocks + 1) * sizeof *b);
        L->fblocks = b;
        b[L->nfblocks++] = NULL; /* counted before the block, so a failure below leaks nothing */
        b[L->nfblocks - 1] = lxM_realloc(L, NULL, 0, LXV_FBLOCK * sizeof(lxV_frame));
        L->capframes += LXV_FBLOCK;
    }
    return lxV_frameat(L, L->nframes++);
}

int lxV_root(lx_State *L, lx_Value v)
{
    if (L->nroots == L->caproots) {
        int cap = L->caproots ? 2 * L->caproots : 32;
        L->roots =
            lxM_realloc(L, L->roots, (size_t)L->caproots * sizeof *L->roots, (size_t)cap * sizeof *L->roots);
        L->caproots = cap;
    }
    L->roots[L->nroots++] = v;
    return L->nroots - 1;
}

void lxV_unroot(lx_State *L, int mark)
{
    L->nroots = mark;
}

lxO_proto *lxV_proto_new(lx_State *L)
{
    if (L->nprotos == L->capprotos) { /* room first: a proto is never left out of the list */
        size_t cap = L->capprotos ? 2 * L->capprotos : 256;
        L->protos = lxM_realloc(L, L->protos, L->capprotos * sizeof *L->protos, cap * sizeof *L->protos);
        L->capprotos = cap;
    }
    lxO_proto *p = lxO_new(L, sizeof(lxO_proto), LXO_PROTO, L->T[LXT_Proto]);
    p->gcslot = L->nprotos;
    L->protos[L->nprotos++] = p;
    return p;
}

void lxV_proto_free(lx_State *L, lxO_proto *p)
{
    lxM_free(L, p->code, (size_t)p->capcode * sizeof *p->code);
    lxM_free(L, p->lines, (size_t)p->capcode * sizeof *p->lines);
    lxM_free(L, p->k, (size_t)p->capk * sizeof *p->k);
    lxM_free(L, p->protos, (size_t)p->capprotos * sizeof *p->protos);
    lxM_free(L, p->ups, (size_t)p->capup * sizeof *p->ups);
    lxM_free(L, p->caches, (size_t)p->ncaches * sizeof *p->caches);
    lxM_free(L, p->kwnames, (size_t)p->nkw * sizeof *p->kwnames);
    lxO_proto *last = L->protos[--L->nprotos]; /* the last one takes its slot */
    L->protos[p->gcslot] = last;
    last->gcslot = p->gcslot;
    lxM_free(L, p, sizeof *p);
}

lxO_closure *lxV_closure_new(lx_State *L, lxO_proto *p)
{
    lxO_closure *c =
        lxO_new(L, sizeof *c + (size_t)p->nup * sizeof(lxO_box *), LXO_CLOSURE, L->T[LXT_Function]);
    c->p = p;
    c->nup = p->nup;
    return c;
}

void lxV_traceback(lx_State *L)
{
    L->ntrace = 0;
    for (int i = L->nframes - 1; i >= 0 && L->ntrace < LXV_TRACE_MAX; i--) {
        lxV_frame *f = lxV_frameat(L, i);
        lxV_traceentry *e = &L->trace[L->ntrace];
        if (f->cl) {
            lxO_proto *p = f->cl->p;
            long pc = f->pc ? (long)(f->pc - p->code) - 1 : 0;
            if (pc < 0) pc = 0;
            if (pc >= p->ncode) pc = p->ncode - 1;
            e->file = p->file;
            e->func = p->name;
            e->line = p->ncode ? p->lines[pc] : p->line;
        } else {
            if (f->cname && !strncmp(f->cname->data, "__", 2)) continue; /* the compiler's helpers */
            e->file = NULL;
            e->func = f->cname;
            e->line = 0;
        }
        L->ntrace++;
    }
}

/* ---- calls -------------------------------------------------------------------------------- */

static lxO_method *dispatch(lx_State *L, lxO_generic *gf, lx_Value *args, int nargs, lxK_cache *c)
{
    if (c && c->gf == gf && c->version == gf->version && c->nargs == nargs) {
        int i = 0;
        for (; i < nargs; i++)
            if (lxT_typeof(L, args[i]) != c->types[i]) break;
        if (i == nargs) return c->m;
    }
    bool ambiguous;
    lxO_method *m = lxF_lookup(L, gf, args, nargs, &ambiguous);
    if (!m) {
        if (ambiguous) {
            char buf[256] = "";
            size_t len = 0;
            for (int i = 0; i < nargs && len < sizeof buf; i++)
                len += (size_t)snprintf(buf + len, sizeof buf - len, "%s::%s", i ? ", " : "",
                                        lxT_name(lxT_typeof(L, args[i])));
            char cands[768] = "";
            size_t cl = 0;
            for (int q = 0; q < gf->n && cl < sizeof cands; q++) { /* the methods of that arity */
                lxO_method *mm = &gf->methods[q];
                if (nargs < mm->nreq || (nargs > mm->nreq + mm->nopt && !mm->vararg)) continue;
                char sig[256];
                lxF_sigtext(L, gf, mm, sig, sizeof sig);
                cl += (size_t)snprintf(cands + cl, sizeof cands - cl, "\n  %s", sig);
            }
            lxE_error(L, LXT_MethodError,
                      "%s(%s) is ambiguous: several methods match equally well. Candidates:%s",
                      gf->name->data, buf, cands);
        }
        lxE_methoderror(L, gf, args, nargs);
    }
    if (c && nargs <= 4 && !gf->bydims) { /* by ndims: the types alone don't decide */
        c->gf = gf;
        c->version = gf->version;
        c->nargs = nargs;
        for (int i = 0; i < nargs; i++)
            c->types[i] = lxT_typeof(L, args[i]);
        c->m = m;
    }
    return m;
}

static void check_keywords(lx_State *L, lxO_proto *p, lx_Value kw)
{
    if (kw.tag != LX_TOBJECT || p->kwrest) return;
    lxO_ntuple *nt = lxO_as(lxO_ntuple, kw);
    for (int i = 0; i < nt->n; i++) {
        int j = 0;
        while (j < p->nkw && p->kwnames[j] != nt->names[i])
            j++;
        if (j == p->nkw)
            lxE_error(L, LXT_MethodError, "%s got an unsupported keyword argument \"%s\"",
                      p->name ? p->name->data : "the function", nt->names[i]->data);
    }
}

/* A new frame for the lx function cl, whose arguments follow fn on the stack. */
static inline void enter(lx_State *L, lxO_closure *cl, lx_Value *fn, int nargs, lx_Value kw, lx_Value *ret)
{
    lxO_proto *p = cl->p;
    lx_Value *base = fn + 1;
    lxV_segment *s = &L->segs[L->seg];
    int seg = L->seg;
    lx_Value *top = L->top;
    if (base + p->maxstack + 1 > s->vals + s->n || base < s->vals) {
        L->top = fn; /* the arguments move to the next segment */
        lx_Value *to = reserve(L, (size_t)p->maxstack + (size_t)nargs + 2);
        memmove(to, fn, (size_t)(nargs + 1) * sizeof *fn);
        base = to + 1;
    }
    if (L->nframes >= L->capframes || L->nframes >= LXV_MAX_FRAMES) push_frame(L), L->nframes--;
    lxV_frame *nf = lxV_frameat(L, L->nframes++);
    nf->cl = cl;
    nf->base = base;
    nf->pc = p->code;
    nf->ret = ret;
    nf->kw = kw;
    nf->nargs = nargs;
    nf->seg = seg;
    nf->top = top;
    nf->oseg = L->seg;
    nf->cname = NULL;
    for (int i = nargs; i < p->maxstack; i++)
        base[i].tag = LX_TUNDEF;
    L->top = base + p->maxstack;
    if (p->vararg) {
        int nfixed = p->nreq + p->nopt;
        int nextra = nargs > nfixed ? nargs - nfixed : 0;
        lxO_tuple *t = lxO_tuple_new(L, nextra);
        memcpy(t->items, base + nfixed, (size_t)nextra * sizeof(lx_Value));
        base[nfixed] = lxO_obj(t);
        for (int i = nfixed + 1; i < nargs; i++)
            base[i].tag = LX_TUNDEF;
    }
}

/* Sets up a call of the value at fn with nargs arguments after it.  An lx
 * function gets a new frame (returns true: the caller runs it); a C built-in
 * runs here and its result is stored in *ret. */
static bool precall(lx_State *L, lx_Value *fn, int nargs, lx_Value kw, lx_Value *ret, lxK_cache *cache)
{
    lx_Value f = *fn;
    lxO_closure *cl = NULL;
    lxO_method *m = NULL;
    if (f.tag != LX_TOBJECT) goto callable;
    switch ((lxO_kind)f.v.o->kind) {
    case LXO_CLOSURE: cl = (lxO_closure *)f.v.o; break;
    case LXO_GENERIC: m = dispatch(L, (lxO_generic *)f.v.o, fn + 1, nargs, cache); break;
    case LXO_TYPE: {
        lxO_type *t = (lxO_type *)f.v.o;
        if (!t->ctor) lxE_error(L, LXT_MethodError, "no constructor for type %s", lxT_name(t));
        m = dispatch(L, t->ctor, fn + 1, nargs, cache);
        break;
    }
    default: goto callable;
    }
    if (m && m->cfn) {
        if (kw.tag == LX_TOBJECT && !m->kwany) {
            lxO_ntuple *nt = lxO_as(lxO_ntuple, kw);
            int j = 0;
            for (int i = 0; i < nt->n; i++) {
                for (j = 0; j < m->nkw; j++)
                    if (m->kwnames[j] == nt->names[i]) break;
                if (j == m->nkw)
                    lxE_error(L, LXT_MethodError, "%s got an unsupported keyword argument \"%s\"",
                              lxO_as(lxO_generic, f)->name->data, nt->names[i]->data);
            }
        }
        lxV_frame *cf = push_frame(L);
        cf->cl = NULL;
        cf->base = fn + 1;
        cf->pc = NULL;
        cf->ret = ret;
        cf->kw = kw;
        cf->nargs = nargs;
        cf->seg = L->seg;
        cf->oseg = L->seg;
        cf->top = L->top;
        cf->cname = f.v.o->kind == LXO_GENERIC ? lxO_as(lxO_generic, f)->name : lxO_as(lxO_type, f)->name;
        lx_Value saved = L->cself;
        L->cself = m->data;
        lx_Value r = m->cfn(L, fn + 1, nargs, kw);
        L->cself = saved;
        L->nframes--;
        L->seg = cf->seg;
        L->top = cf->top;
        *ret = r;
        return false;
    }
    if (m) cl = m->fn;
    {
        lxO_proto *p = cl->p;
        int nfixed = p->nreq + p->nopt;
        if (!m) { /* a closure called directly: check the arity here */
            if (nargs < p->nreq || (nargs > nfixed && !p->vararg))
                lxE_error(L, LXT_MethodError, "%s takes %d%s argument%s, got %d",
                          p->name ? p->name->data : "the anonymous function", p->nreq,
                          p->vararg ? " or more"
                          : p->nopt ? " or more"
                                    : "",
                          p->nreq == 1 ? "" : "s", nargs);
        }
        check_keywords(L, p, kw);
        enter(L, cl, fn, nargs, kw, ret);
        return true;
    }
callable : {
    /* a value called as a function: apply(f, args...) (callable structs, layers) */
    lx_Value ap = L->globals[L->gop[LXV_OP_apply]].v;
    if (ap.tag != LX_TOBJECT || ap.v.o->kind != LXO_GENERIC)
        lxE_error(L, LXT_MethodError, "objects of type %s are not callable", lxT_name(lxT_typeof(L, f)));
    lx_Value *slot = reserve(L, (size_t)nargs + 2);
    slot[0] = ap;
    memcpy(slot + 1, fn, (size_t)(nargs + 1) * sizeof *fn);
    L->top = slot + nargs + 2;
    bool r = precall(L, slot, nargs + 1, kw, ret, NULL);
    return r;
}
}

/* ---- arithmetic fast paths ------------------------------------------------------------------ */

static inline int64_t ival(lx_Value v)
{
    return v.tag == LX_TINT ? v.v.i : (int64_t)v.v.b;
}

/* Both numbers: the result of op, with lx's promotion (an Int or Float64
 * combined with a Float32 stays Float32, spec §5). */
bool lxV_arith(lx_State *L, lxK_opcode op, lx_Value a, lx_Value b, lx_Value *out)
{
    if (!lxO_isnumber(a) || !lxO_isnumber(b)) return false;
    bool ints = (a.tag == LX_TINT || a.tag == LX_TBOOL) && (b.tag == LX_TINT || b.tag == LX_TBOOL);
    if (ints) {
        int64_t x = ival(a), y = ival(b);
        switch (op) {
        case BC_ADD: *out = lxO_int((int64_t)((uint64_t)x + (uint64_t)y)); return true;
        case BC_SUB: *out = lxO_int((int64_t)((uint64_t)x - (uint64_t)y)); return true;
        case BC_MUL: *out = lxO_int((int64_t)((uint64_t)x * (uint64_t)y)); return true;
        case BC_DIV: *out = lxO_f64((double)x / (double)y); return true;
        case BC_REM:
        case BC_IDIV:
            if (y == 0) lxE_throw(L, lxO_obj(lxO_struct_new(L, L->T[LXT_DivideError])));
            if (y == -1) {
                if (op == BC_IDIV && x == INT64_MIN)
                    lxE_throw(L, lxO_obj(lxO_struct_new(L, L->T[LXT_DivideError])));
                *out = lxO_int(op == BC_REM ? 0 : -x);
                return true;
            }
            *out = lxO_int(op == BC_REM ? x % y : x / y);
            return true;
        case BC_POW: {
            if (y < 0) {
                if (x == 1 || x == -1) {
                    *out = lxO_int(x == 1 || (y & 1) == 0 ? 1 : -1);
                    return true;
                }
                lxE_error(
                    L, LXT_DomainError,
                    "cannot raise an integer %lld to a negative power %lld; write Float64(x)^y or x^float(y)",
                    (long long)x, (long long)y);
            }
            uint64_t r = 1, base = (uint64_t)x;
            for (uint64_t e = (uint64_t)y; e; e >>= 1) {
                if (e & 1) r *= base;
                base *= base;
            }
            *out = lxO_int((int64_t)r);
            return true;
        }
        default: return false;
        }
    }
    bool f32 = (a.tag == LX_TFLOAT32 || b.tag == LX_TFLOAT32);
    double x = lxO_tonumber(a), y = lxO_tonumber(b), r;
    switch (op) {
    case BC_ADD: r = x + y; break;
    case BC_SUB: r = x - y; break;
    case BC_MUL: r = x * y; break;
    case BC_DIV: r = x / y; break;
    case BC_REM: r = fmod(x, y); break;
    case BC_IDIV:
        if (y == 0 && !f32 && a.tag != LX_TFLOAT64 && b.tag != LX_TFLOAT64)
            lxE_throw(L, lxO_obj(lxO_struct_new(L, L->T[LXT_DivideError])));
        r = trunc(x / y);
        break;
    case BC_POW:
        if (x < 0 && y != floor(y))
            lxE_error(
                L, LXT_DomainError,
                "%g^%g: a negative number to a non-integer power is complex; use abs or complex numbers", x,
                y);
        if (b.tag == LX_TINT) { /* integer powers as Julia: exact for small exponents */
            r = pow(x, (double)b.v.i);
        } else {
            r = pow(x, y);
        }
        break;
    default: return false;
    }
    if (f32) {
        if (op == BC_ADD)
            r = (double)((float)x + (float)y); /* Float32 arithmetic, not Float64 rounded */
        else if (op == BC_SUB)
            r = (double)((float)x - (float)y);
        else if (op == BC_MUL)
            r = (double)((float)x * (float)y);
        else if (op == BC_DIV)
            r = (double)((float)x / (float)y);
        *out = lxO_f32((float)r);
    } else {
        *out = lxO_f64(r);
    }
    return true;
}

/* Numbers and strings compared; -1 when not comparable here. */
int lxV_less(lx_Value a, lx_Value b, bool orequal)
{
    if (a.tag == LX_TINT && b.tag == LX_TINT) return orequal ? a.v.i <= b.v.i : a.v.i < b.v.i;
    if (lxO_isnumber(a) && lxO_isnumber(b)) {
        if ((a.tag == LX_TINT || a.tag == LX_TBOOL) && (b.tag == LX_TINT || b.tag == LX_TBOOL))
            return orequal ? ival(a) <= ival(b) : ival(a) < ival(b);
        double x = lxO_tonumber(a), y = lxO_tonumber(b);
        return orequal ? x <= y : x < y;
    }
    if (lxO_is(a, LXO_STRING) && lxO_is(b, LXO_STRING)) {
        lxO_string *s = lxO_as(lxO_string, a), *t = lxO_as(lxO_string, b);
        size_t n = s->len < t->len ? s->len : t->len;
        int c = memcmp(s->data, t->data, n);
        if (c == 0) c = s->len < t->len ? -1 : s->len > t->len ? 1 : 0;
        return orequal ? c <= 0 : c < 0;
    }
    return -1;
}

/* == on these goes through the generic function (user structs, tensors). */
static inline bool dispatches_eq(lx_Value v)
{
    return v.tag == LX_TOBJECT && (v.v.o->kind == LXO_STRUCT || v.v.o->kind == LXO_TENSOR);
}

static bool truthy(lx_State *L, lx_Value v)
{
    if (v.tag == LX_TBOOL) return v.v.b;
    lxE_error(L, LXT_TypeError, "non-boolean (%s) used in boolean context", lxT_name(lxT_typeof(L, v)));
}

/* ---- fields and indexing --------------------------------------------------------------------- */

static lx_Value getfield(lx_State *L, lx_Value obj, lxO_string *name)
{
    if (obj.tag == LX_TOBJECT) {
        lxO_header *o = obj.v.o;
        switch (o->kind) {
        case LXO_NTUPLE: {
            lxO_ntuple *nt = (lxO_ntuple *)o;
            int i = lxO_ntuple_find(nt, name);
            if (i >= 0) return nt->vals[i];
            break;
        }
        case LXO_STRUCT: {
            lxO_struct *s = (lxO_struct *)o;
            for (int i = 0; i < o->type->nfields; i++)
                if (o->type->fields[i] == name) return s->fields[i];
            break;
        }
        case LXO_MODULE: {
            lx_Value v = lxG_get(L, name->data); /* loads the deferred library for one of its names */
            if (v.tag != LX_TUNDEF) return v;
            lxE_error(L, LXT_UndefVarError, "`%s` not defined in `%s`", name->data,
                      ((lxO_module *)o)->name->data);
        }
        case LXO_TYPE: {
            lxO_type *t = (lxO_type *)o;
            if (!strcmp(name->data, "name")) return lxO_sym(t->name);
            break;
        }
        default: break;
        }
    }
    lx_Value gp = L->globals[L->gop[LXV_OP_getproperty]].v;
    if (gp.tag == LX_TOBJECT && gp.v.o->kind == LXO_GENERIC) {
        bool amb;
        lx_Value args[2] = {obj, lxO_sym(name)};
        lxO_method *um = lxF_lookup(L, (lxO_generic *)gp.v.o, args, 2, &amb);
        if (um && um->fn) return lxV_call(L, gp, args, 2, lxO_nothing()); /* a user's getproperty */
    }
    if (obj.tag == LX_TOBJECT && (obj.v.o->kind == LXO_NTUPLE || obj.v.o->kind == LXO_STRUCT)) {
        char names[256] = "";
        size_t len = 0;
        if (obj.v.o->kind == LXO_NTUPLE) {
            lxO_ntuple *nt = (lxO_ntuple *)obj.v.o;
            for (int i = 0; i < nt->n && len < sizeof names; i++)
                len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", i ? ", " : "",
                                        nt->names[i]->data);
        } else {
            lxO_type *t = obj.v.o->type;
            for (int i = 0; i < t->nfields && len < sizeof names; i++)
                len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", i ? ", " : "",
                                        t->fields[i]->data);
        }
        lxE_error(L, LXT_FieldError, "type %s has no field `%s`; its fields are (%s)",
                  lxT_name(lxT_typeof(L, obj)), name->data, names);
    }
    lxE_error(L, LXT_FieldError, "a value of type %s has no field `%s`", lxT_name(lxT_typeof(L, obj)),
              name->data);
}

static lx_Value convert_field(lx_State *L, lxO_type *t, int i, lx_Value v);

static void setfield(lx_State *L, lx_Value obj, lxO_string *name, lx_Value v)
{
    if (lxO_is(obj, LXO_STRUCT)) {
        lxO_struct *s = lxO_as(lxO_struct, obj);
        lxO_type *t = s->hdr.type;
        for (int i = 0; i < t->nfields; i++)
            if (t->fields[i] == name) {
                if (!t->mutable_)
                    lxE_error(L, LXT_ErrorException,
                              "setfield!: immutable struct of type %s cannot be changed (declare it `mutable "
                              "struct`)",
                              lxT_name(t));
                s->fields[i] = convert_field(L, t, i, v);
                return;
            }
        lxE_error(L, LXT_FieldError, "type %s has no field `%s`", lxT_name(t), name->data);
    }
    if (lxO_is(obj, LXO_NTUPLE))
        lxE_error(
            L, LXT_ErrorException,
            "setfield!: named tuples are immutable; use `@set! nt.%s = value` to rebind to an updated copy",
            name->data);
    lx_Value sp = L->globals[L->gop[LXV_OP_setproperty]].v;
    if (sp.tag == LX_TOBJECT && sp.v.o->kind == LXO_GENERIC) {
        lx_Value args[3] = {obj, lxO_sym(name), v};
        lxV_call(L, sp, args, 3, lxO_nothing());
        return;
    }
    lxE_error(L, LXT_ErrorException, "cannot set field `%s` of a value of type %s", name->data,
              lxT_name(lxT_typeof(L, obj)));
}

static bool small_index(lx_State *L, lx_Value c, lx_Value i, int64_t n, int64_t *out)
{
    if (i.tag != LX_TINT) return false;
    if (i.v.i < 1 || i.v.i > n) {
        lxO_struct *e = lxO_struct_new(L, L->T[LXT_BoundsError]);
        e->fields[0] = c;
        e->fields[1] = i;
        lxE_throw(L, lxO_obj(e));
    }
    *out = i.v.i - 1;
    return true;
}

/* R[A] = c[i] for the built-in containers; false: call getindex. */
static bool index_fast(lx_State *L, lx_Value c, lx_Value i, lx_Value *out)
{
    if (c.tag != LX_TOBJECT) return false;
    int64_t k;
    switch (c.v.o->kind) {
    case LXO_LIST: {
        lxO_list *l = (lxO_list *)c.v.o;
        if (!small_index(L, c, i, (int64_t)l->n, &k)) return false;
        *out = l->items[k];
        return true;
    }
    case LXO_TUPLE: {
        lxO_tuple *t = (lxO_tuple *)c.v.o;
        if (!small_index(L, c, i, t->n, &k)) return false;
        *out = t->items[k];
        return true;
    }
    case LXO_NTUPLE: {
        lxO_ntuple *t = (lxO_ntuple *)c.v.o;
        if (i.tag == LX_TSYMBOL) {
            *out = getfield(L, c, (lxO_string *)i.v.o);
            return true;
        }
        if (!small_index(L, c, i, t->n, &k)) return false;
        *out = t->vals[k];
        return true;
    }
    case LXO_RANGE: {
        lxO_range *r = (lxO_range *)c.v.o;
        if (!small_index(L, c, i, r->len, &k)) return false;
        *out = lxO_range_at(r, k);
        return true;
    }
    case LXO_DICT: {
        lx_Value *v = lxO_dict_get(L, (lxO_dict *)c.v.o, i);
        if (!v) lxE_keyerror(L, i);
        *out = *v;
        return true;
    }
    default: return false;
    }
}

static bool setindex_fast(lx_State *L, lx_Value c, lx_Value i, lx_Value v)
{
    if (c.tag != LX_TOBJECT) return false;
    int64_t k;
    switch (c.v.o->kind) {
    case LXO_LIST: {
        lxO_list *l = (lxO_list *)c.v.o;
        if (!small_index(L, c, i, (int64_t)l->n, &k)) return false;
        l->items[k] = v;
        return true;
    }
    case LXO_DICT: lxO_dict_set(L, (lxO_dict *)c.v.o, i, v); return true;
    case LXO_TUPLE:
    case LXO_NTUPLE:
        lxE_error(L, LXT_MethodError, "tuples are immutable: setindex! is not defined for %s",
                  lxT_name(c.v.o->type));
    default: return false;
    }
}

/* ---- iteration ------------------------------------------------------------------------------ */

static lx_Value opfn(lx_State *L, int which)
{
    lx_Value f = L->globals[L->gop[which]].v;
    if (f.tag == LX_TUNDEF) lxE_undefvar(L, L->globals[L->gop[which]].name);
    return f;
}

/* Next element of R[a] with state R[a+1] into R[a+2]; false when done. */
static bool iter_next(lx_State *L, lx_Value *r)
{
    lx_Value c = r[0];
    if (c.tag == LX_TOBJECT && r[1].tag == LX_TINT) {
        int64_t i = r[1].v.i;
        switch (c.v.o->kind) {
        case LXO_RANGE: {
            lxO_range *g = (lxO_range *)c.v.o;
            if (i >= g->len) return false;
            r[2] = lxO_range_at(g, i);
            r[1].v.i = i + 1;
            return true;
        }
        case LXO_LIST: {
            lxO_list *l = (lxO_list *)c.v.o;
            if (i >= (int64_t)l->n) return false;
            r[2] = l->items[i];
            r[1].v.i = i + 1;
            return true;
        }
        case LXO_TUPLE: {
            lxO_tuple *t = (lxO_tuple *)c.v.o;
            if (i >= t->n) return false;
            r[2] = t->items[i];
            r[1].v.i = i + 1;
            return true;
        }
        case LXO_NTUPLE: {
            lxO_ntuple *t = (lxO_ntuple *)c.v.o;
            if (i >= t->n) return false;
            r[2] = t->vals[i];
            r[1].v.i = i + 1;
            return true;
        }
        case LXO_DICT: {
            lxO_dict *d = (lxO_dict *)c.v.o;
            while (i < (int64_t)d->used && d->entries[i].key.tag == LX_TUNDEF)
                i++;
            if (i >= (int64_t)d->used) return false;
            r[1].v.i = i + 1;
            r[2] = lxO_pair(L, d->entries[i].key, d->entries[i].val);
            return true;
        }
        case LXO_STRING: {
            lxO_string *s = (lxO_string *)c.v.o;
            if (i >= (int64_t)s->len) return false;
            int64_t j = i + 1;
            while (j < (int64_t)s->len && ((unsigned char)s->data[j] & 0xC0) == 0x80)
                j++;
            r[2] = lxO_str(L, s->data + i, (size_t)(j - i));
            r[1].v.i = j;
            return true;
        }
        default: break;
        }
    }
    /* the iterate protocol: R[a+1] holds the last (item, state) or nothing */
    if (r[1].tag == LX_TNOTHING) return false;
    if (!lxO_is(r[1], LXO_TUPLE) || lxO_as(lxO_tuple, r[1])->n != 2)
        lxE_error(L, LXT_TypeError, "iterate must return nothing or a tuple (item, state)");
    lxO_tuple *t = lxO_as(lxO_tuple, r[1]);
    r[2] = t->items[0];
    lx_Value args[2] = {c, t->items[1]};
    r[1] = lxV_call(L, opfn(L, LXV_OP_iterate), args, 2, lxO_nothing());
    return true;
}

static void iter_prep(lx_State *L, lx_Value *r)
{
    lx_Value c = r[0];
    if (c.tag == LX_TOBJECT) {
        switch (c.v.o->kind) {
        case LXO_RANGE:
        case LXO_LIST:
        case LXO_TUPLE:
        case LXO_NTUPLE:
        case LXO_DICT:
        case LXO_STRING: r[1] = lxO_int(0); return;
        default: break;
        }
    } else if (lxO_isnumber(c)) { /* a number iterates once, as in Julia */
        lxO_tuple *t = lxO_tuple_new(L, 1);
        t->items[0] = c;
        r[0] = lxO_obj(t);
        r[1] = lxO_int(0);
        return;
    }
    r[1] = lxV_call(L, opfn(L, LXV_OP_iterate), r, 1, lxO_nothing());
}

static void unpack(lx_State *L, lx_Value *dst, lx_Value src, int n)
{
    lx_Value r[3] = {src, lxO_nothing(), lxO_nothing()};
    int mark = lxV_root(L, src);
    if (lxO_is(src, LXO_STRUCT) && src.v.o->type == L->T[LXT_Pair] && n <= 2) {
        for (int i = 0; i < n; i++)
            dst[i] = lxO_as(lxO_struct, src)->fields[i];
        lxV_unroot(L, mark);
        return;
    }
    iter_prep(L, r);
    lxV_root(L, r[0]);
    int statemark = lxV_root(L, r[1]);
    for (int i = 0; i < n; i++) {
        L->roots[statemark] = r[1];
        if (!iter_next(L, r))
            lxE_error(L, LXT_BoundsError, "cannot destructure a %s of %d element%s into %d variables",
                      lxT_name(lxT_typeof(L, src)), i, i == 1 ? "" : "s", n);
        dst[i] = r[2];
        lxV_root(L, r[2]);
    }
    lxV_unroot(L, mark);
}

/* ---- methods and types ---------------------------------------------------------------------- */

static void define_method(lx_State *L, lx_Value *target, lxO_string *name, lxO_closure *cl, lx_Value *types,
                          int ntypes, lx_Value doc)
{
    lxO_generic *gf = NULL;
    if (target->tag == LX_TUNDEF) {
        gf = lxO_generic_new(L, name);
        *target = lxO_obj(gf);
    } else if (lxO_is(*target, LXO_GENERIC)) {
        gf = lxO_as(lxO_generic, *target);
    } else if (lxO_is(*target, LXO_TYPE)) {
        lxO_type *t = lxO_as(lxO_type, *target);
        if (!t->ctor) t->ctor = lxO_generic_new(L, t->name);
        gf = t->ctor;
    } else {
        lxE_error(L, LXT_ErrorException, "cannot define function %s: it already has a value of type %s",
                  name->data, lxT_name(lxT_typeof(L, *target)));
    }
    lxO_proto *p = cl->p;
    lxO_method m;
    memset(&m, 0, sizeof m);
    int np = p->nreq + p->nopt + (p->vararg ? 1 : 0);
    m.nreq = p->nreq;
    m.nopt = p->nopt;
    m.types = lxM_realloc(L, NULL, 0, LXF_NTYPES(&m) * sizeof *m.types);
    memset(m.types, 0, LXF_NTYPES(&m) * sizeof *m.types);
    for (int i = 0; i < np; i++) {
        m.types[i] = NULL;
        if (i < ntypes && types[i].tag != LX_TNOTHING) {
            if (!lxO_is(types[i], LXO_TYPE)) {
                lxF_freemethod(L, &m);
                lxE_error(L, LXT_TypeError,
                          "in the definition of %s, parameter %d's annotation is not a type", name->data,
                          i + 1);
            }
            lxO_type *t = lxO_as(lxO_type, types[i]);
            m.types[i] = t->super ? t : NULL; /* ::Any is no constraint */
        }
    }
    m.nreq = p->nreq;
    m.nopt = p->nopt;
    m.vararg = p->vararg;
    m.kwany = p->kwrest;
    m.nkw = p->nkw;
    if (p->nkw) {
        m.kwnames = lxM_realloc(L, NULL, 0, (size_t)p->nkw * sizeof *m.kwnames);
        memcpy(m.kwnames, p->kwnames, (size_t)p->nkw * sizeof *m.kwnames);
    }
    m.fn = cl;
    m.data = lxO_nothing();
    m.sig = p->sig;
    m.line = p->line;
    m.file = p->file;
    if (lxO_is(doc, LXO_STRING)) {
        m.doc = lxO_as(lxO_string, doc);
        if (!gf->doc) gf->doc = m.doc;
    }
    lxF_addmethod(L, gf, &m);
}

/* A value for a field declared ::ft, converted as Julia's convert does for
 * numbers (exactly: 1.5 into an Int is an InexactError). */
static lx_Value convert_field(lx_State *L, lxO_type *t, int i, lx_Value v)
{
    lxO_type *ft = t->ftypes ? t->ftypes[i] : NULL;
    if (!ft || lxT_isa(L, v, ft)) return v;
    if (lxO_isnumber(v)) {
        double d = lxO_tonumber(v);
        if (ft == L->T[LXT_Float64]) return lxO_f64(d);
        if (ft == L->T[LXT_Float32]) return lxO_f32((float)d);
        if (ft == L->T[LXT_Int64] || ft == L->T[LXT_Integer] || ft == L->T[LXT_Signed]) {
            if (d != trunc(d) || !(d >= -9.2233720368547758e18 && d < 9.2233720368547758e18))
                lxE_error(L, LXT_InexactError,
                          "Int64(%g): %s's field %s is an Int64 and the value has a fraction", d, lxT_name(t),
                          t->fields[i]->data);
            return lxO_int((int64_t)d);
        }
        if (ft == L->T[LXT_AbstractFloat] || ft == L->T[LXT_Real] || ft == L->T[LXT_Number]) return v;
    }
    lxE_error(L, LXT_MethodError,
              "Cannot `convert` an object of type %s to an object of type %s (field %s of %s)",
              lxT_name(lxT_typeof(L, v)), lxT_name(ft), t->fields[i]->data, lxT_name(t));
}

lx_Value lxV_new_struct(lx_State *L, lxO_type *t, lx_Value *args, int nargs)
{
    if (nargs > t->nfields || (nargs < t->nfields && !t->builtin))
        lxE_error(L, LXT_MethodError, "%s has %d field%s; its constructor got %d argument%s", lxT_name(t),
                  t->nfields, t->nfields == 1 ? "" : "s", nargs, nargs == 1 ? "" : "s");
    for (int i = 0; i < nargs; i++)
        args[i] = convert_field(L, t, i, args[i]);
    lxO_struct *s = lxO_struct_new(L, t);
    if (nargs) memcpy(s->fields, args, (size_t)nargs * sizeof *args);
    for (int i = nargs; i < t->nfields; i++)
        s->fields[i] = lxO_nothing(); /* built-in exceptions: missing fields are nothing */
    return lxO_obj(s);
}

static lx_Value struct_ctor(lx_State *L, lx_Value *args, int nargs, lx_Value kw)
{
    return lxV_new_struct(L, lxO_as(lxO_type, L->cself), args, nargs);
}

/* The default constructor T(fields...) (also used by `new` in inner constructors). */
void lxV_default_ctor(lx_State *L, lxO_type *t)
{
    if (!t->ctor) t->ctor = lxO_generic_new(L, t->name);
    lxO_method m;
    memset(&m, 0, sizeof m);
    m.nreq = t->builtin && t != L->T[LXT_Pair] ? 0 : t->nfields; /* ArgumentError(), DomainError(x) */
    m.nopt = t->nfields - m.nreq;
    m.cfn = struct_ctor;
    m.data = lxO_obj(t);
    lxF_addmethod(L, t->ctor, &m);
}

/* K: (name, mutable, abstract, fieldnames) */
static lx_Value define_type(lx_State *L, lxO_tuple *desc, lx_Value super, lx_Value *ftypes, int nf,
                            lx_Value doc, bool inner_ctors)
{
    lxO_string *name = (lxO_string *)desc->items[0].v.o;
    bool mutable_ = desc->items[1].v.b, abstract = desc->items[2].v.b;
    lxO_tuple *fields = lxO_as(lxO_tuple, desc->items[3]);
    lxO_type *sup = NULL;
    if (super.tag != LX_TNOTHING) {
        if (!lxO_is(super, LXO_TYPE))
            lxE_error(L, LXT_TypeError, "the supertype of %s is not a type", name->data);
        sup = lxO_as(lxO_type, super);
        if (!sup->abstract)
            lxE_error(L, LXT_ErrorException, "invalid subtyping in definition of %s: %s is a concrete type",
                      name->data, lxT_name(sup));
    }
    lxO_type *t = lxT_new(L, name, sup, abstract);
    t->mutable_ = mutable_;
    t->nfields = fields->n;
    if (nf) {
        t->fields = lxM_realloc(L, NULL, 0, (size_t)nf * sizeof *t->fields);
        t->ftypes = lxM_realloc(L, NULL, 0, (size_t)nf * sizeof *t->ftypes);
        for (int i = 0; i < nf; i++) {
            t->fields[i] = (lxO_string *)fields->items[i].v.o;
            t->ftypes[i] = lxO_is(ftypes[i], LXO_TYPE) && lxO_as(lxO_type, ftypes[i])->super
                               ? lxO_as(lxO_type, ftypes[i])
                               : NULL;
        }
    }
    if (lxO_is(doc, LXO_STRING)) t->doc = lxO_as(lxO_string, doc);
    if (!abstract && !inner_ctors) lxV_default_ctor(L, t);
    if (inner_ctors) t->ctor = lxO_generic_new(L, t->name);
    if (sup && lxO_is(super, LXO_TYPE) && lxO_as(lxO_type, super)->extra.tag != LX_TNOTHING)
        t->extra = lxO_as(lxO_type, super)->extra;
    return lxO_obj(t);
}

/* ---- the loop ------------------------------------------------------------------------------- */

#define RA (base + LXK_A(i))
#define RB (base + LXK_B(i))
#define RC (base + LXK_C(i))

static void execute(lx_State *L, int bottom)
{
    lxD_jmp j;
    j.prev = L->errjmp;
    j.status = LX_OK;
    if (L->nexec >= LXV_MAX_CDEPTH) lxE_throw(L, lxO_obj(lxO_struct_new(L, L->T[LXT_StackOverflowError])));
    L->errjmp = &j;
    L->nexec++;
    const int nexec = L->nexec;
    if (setjmp(j.buf)) {
        /* an exception: ours to handle if the innermost handler was set by this loop */
        L->nexec = nexec;
        if (L->nhandlers > 0 && L->handlers[L->nhandlers - 1].nexec == nexec && !L->exiting &&
            !L->limit_hit) {
            lxV_handler *h = &L->handlers[--L->nhandlers];
            L->nframes = h->frame + 1;
            lxW_release(L, L->nframes); /* text buffers of the C calls unwound */
            L->nroots = h->nroots;
            L->bcast_mode = h->bcast_mode;
            lxV_frame *f = lxV_frameat(L, h->frame);
            f->pc = h->pc;
            L->seg = f->oseg;
            L->top = f->base + f->cl->p->maxstack;
            f->base[h->reg] = L->exc;
            j.status = LX_OK;
            goto resume;
        }
        L->nframes = bottom;
        L->nexec = nexec - 1;
        L->errjmp = j.prev;
        L->errjmp->status = j.status;
        longjmp(L->errjmp->buf, 1);
    }

resume:;
    lxV_frame *f;
    lxO_closure *cl;
    lxO_proto *p;
    lx_Value *base, *k;
    const uint32_t *pc;
#define REFRESH()                                                                                            \
    do {                                                                                                     \
        f = lxV_frameat(L, L->nframes - 1);                                                                  \
        cl = f->cl;                                                                                          \
        p = cl->p;                                                                                           \
        base = f->base;                                                                                      \
        k = p->k;                                                                                            \
        pc = f->pc;                                                                                          \
    } while (0)
#define SAVEPC() (f->pc = pc)
#define RESTORE_TOP() (L->seg = f->oseg, L->top = f->base + p->maxstack)
    REFRESH();
    for (;;) {
        uint32_t i = *pc++;
        switch (LXK_OP(i)) {
        case BC_MOVE: *RA = *RB; break;
        case BC_LOADK: *RA = k[LXK_BX(i)]; break;
        case BC_LOADI: *RA = lxO_int(LXK_SBX(i)); break;
        case BC_LOADNIL: *RA = lxO_nothing(); break;
        case BC_LOADBOOL: *RA = lxO_bool(LXK_B(i)); break;
        case BC_LOADUNDEF: RA->tag = LX_TUNDEF; break;
        case BC_CHECKDEF:
            if (RA->tag == LX_TUNDEF) {
                SAVEPC();
                lxE_undefvar(L, (lxO_string *)k[LXK_BX(i)].v.o);
            }
            break;
        case BC_GETG: {
            lxG_global *g = &L->globals[LXK_BX(i)];
            if (g->v.tag == LX_TUNDEF) {
                SAVEPC();
                if (g->deferred) lxG_load_deferred(L); /* moves the globals */
                g = &L->globals[LXK_BX(i)];
                if (g->v.tag == LX_TUNDEF) lxE_undefvar(L, g->name);
            }
            *RA = g->v;
            break;
        }
        case BC_SETG: {
            lxG_global *g = &L->globals[LXK_BX(i)];
            if (g->isconst | g->deferred) {
                SAVEPC();
                if (g->deferred) lxG_load_deferred(L); /* a definition of the library's name follows it */
                g = &L->globals[LXK_BX(i)];
                if (g->isconst && g->v.tag != LX_TUNDEF && !lxO_egal(g->v, *RA))
                    lxE_error(L, LXT_ErrorException, "invalid redefinition of constant %s", g->name->data);
            }
            g->v = *RA;
            break;
        }
        case BC_SETCONST: {
            if (L->globals[LXK_BX(i)].deferred) {
                SAVEPC();
                lxG_load_deferred(L);
            }
            lxG_global *g = &L->globals[LXK_BX(i)];
            g->v = *RA;
            g->isconst = true;
            break;
        }
        case BC_BOXNEW:
            SAVEPC();
            *RA = lxO_obj(lxO_box_new(L));
            break;
        case BC_GETBOX: {
            lxO_box *b = (lxO_box *)RB->v.o;
            uint32_t w = *pc++;
            if (b->v.tag == LX_TUNDEF) {
                SAVEPC();
                lxE_undefvar(L, (lxO_string *)k[w].v.o);
            }
            *RA = b->v;
            break;
        }
        case BC_SETBOX: ((lxO_box *)RA->v.o)->v = *RB; break;
        case BC_GETUP: {
            lxO_box *b = cl->up[LXK_B(i)];
            uint32_t w = *pc++;
            if (b->v.tag == LX_TUNDEF) {
                SAVEPC();
                lxE_undefvar(L, (lxO_string *)k[w].v.o);
            }
            *RA = b->v;
            break;
        }
        case BC_SETUP: cl->up[LXK_A(i)]->v = *RB; break;
        case BC_CLOSURE: {
            SAVEPC();
            lxO_proto *child = p->protos[LXK_BX(i)];
            lxO_closure *c = lxV_closure_new(L, child);
            for (int u = 0; u < child->nup; u++) {
                lxK_updesc *d = &child->ups[u];
                c->up[u] = d->instack ? (lxO_box *)base[d->idx].v.o : cl->up[d->idx];
            }
            *RA = lxO_obj(c);
            break;
        }
        case BC_ADD:
        case BC_SUB:
        case BC_MUL: {
            lx_Value *b = RB, *c = RC;
            if (b->tag == LX_TINT && c->tag == LX_TINT) {
                uint64_t x = (uint64_t)b->v.i, y = (uint64_t)c->v.i;
                RA->v.i = (int64_t)(LXK_OP(i) == BC_ADD ? x + y : LXK_OP(i) == BC_SUB ? x - y : x * y);
                RA->tag = LX_TINT;
                break;
            }
            if ((b->tag == LX_TFLOAT64 || b->tag == LX_TINT) &&
                (c->tag == LX_TFLOAT64 || c->tag == LX_TINT)) {
                double x = b->tag == LX_TFLOAT64 ? b->v.d : (double)b->v.i;
                double y = c->tag == LX_TFLOAT64 ? c->v.d : (double)c->v.i;
                RA->v.d = LXK_OP(i) == BC_ADD ? x + y : LXK_OP(i) == BC_SUB ? x - y : x * y;
                RA->tag = LX_TFLOAT64;
                break;
            }
        }
            /* fallthrough */
        case BC_DIV:
        case BC_POW:
        case BC_REM:
        case BC_IDIV: {
            SAVEPC();
            lx_Value r;
            if (lxV_arith(L, LXK_OP(i), *RB, *RC, &r)) {
                *RA = r;
                break;
            }
            static const int which[] = {
                [BC_ADD] = LXV_OP_add, [BC_SUB] = LXV_OP_sub, [BC_MUL] = LXV_OP_mul,   [BC_DIV] = LXV_OP_div,
                [BC_POW] = LXV_OP_pow, [BC_REM] = LXV_OP_rem, [BC_IDIV] = LXV_OP_idiv, [BC_EQ] = LXV_OP_eq,
                [BC_NE] = LXV_OP_ne,   [BC_LT] = LXV_OP_lt,   [BC_LE] = LXV_OP_le};
            lx_Value *slot = reserve(L, 3);
            slot[0] = opfn(L, which[LXK_OP(i)]);
            slot[1] = *RB;
            slot[2] = *RC;
            L->top = slot + 3;
            if (precall(L, slot, 2, lxO_nothing(), RA, NULL))
                REFRESH();
            else
                RESTORE_TOP();
            break;
        }
        case BC_ADDI: {
            lx_Value *b = RB;
            int c = LXK_SC(i);
            if (b->tag == LX_TINT) {
                *RA = lxO_int((int64_t)((uint64_t)b->v.i + (uint64_t)(int64_t)c));
            } else if (b->tag == LX_TFLOAT64) {
                *RA = lxO_f64(b->v.d + c);
            } else {
                SAVEPC();
                lx_Value r;
                if (lxV_arith(L, BC_ADD, *b, lxO_int(c), &r)) {
                    *RA = r;
                    break;
                }
                lx_Value *slot = reserve(L, 3);
                slot[0] = opfn(L, LXV_OP_add);
                slot[1] = *b;
                slot[2] = lxO_int(c);
                L->top = slot + 3;
                if (precall(L, slot, 2, lxO_nothing(), RA, NULL))
                    REFRESH();
                else
                    RESTORE_TOP();
            }
            break;
        }
        case BC_ADDK:
        case BC_SUBK:
        case BC_MULK:
        case BC_DIVK:
        case BC_RADDK:
        case BC_RMULK: {
            lx_Value *b = RB, *c = &k[LXK_C(i)];
            lxK_opcode o = LXK_OP(i);
            lxK_opcode op = o == BC_ADDK || o == BC_RADDK   ? BC_ADD
                            : o == BC_SUBK                  ? BC_SUB
                            : o == BC_MULK || o == BC_RMULK ? BC_MUL
                                                            : BC_DIV;
            bool rev =
                o == BC_RADDK || o == BC_RMULK; /* numbers commute; other types see the written order */
            if ((b->tag == LX_TFLOAT64 || b->tag == LX_TINT) && c->tag == LX_TFLOAT64) {
                double x = b->tag == LX_TFLOAT64 ? b->v.d : (double)b->v.i, y = c->v.d;
                RA->v.d = op == BC_ADD ? x + y : op == BC_SUB ? x - y : op == BC_MUL ? x * y : x / y;
                RA->tag = LX_TFLOAT64;
                break;
            }
            if (b->tag == LX_TINT && c->tag == LX_TINT && op != BC_DIV) {
                uint64_t x = (uint64_t)b->v.i, y = (uint64_t)c->v.i;
                RA->v.i = (int64_t)(op == BC_ADD ? x + y : op == BC_SUB ? x - y : x * y);
                RA->tag = LX_TINT;
                break;
            }
            SAVEPC();
            lx_Value r;
            if (lxV_arith(L, op, rev ? *c : *b, rev ? *b : *c, &r)) {
                *RA = r;
                break;
            }
            lx_Value *slot = reserve(L, 3);
            slot[0] = opfn(L, op == BC_ADD   ? LXV_OP_add
                              : op == BC_SUB ? LXV_OP_sub
                              : op == BC_MUL ? LXV_OP_mul
                                             : LXV_OP_div);
            slot[1] = rev ? *c : *b;
            slot[2] = rev ? *b : *c;
            L->top = slot + 3;
            if (precall(L, slot, 2, lxO_nothing(), RA, NULL))
                REFRESH();
            else
                RESTORE_TOP();
            break;
        }
        case BC_EQ:
        case BC_NE:
        case BC_LT:
        case BC_LE: {
            lx_Value *b = RB, *c = RC;
            int r = -1;
            lxK_opcode op = LXK_OP(i);
            if (op == BC_EQ || op == BC_NE) {
                if (lxO_isnumber(*b) && lxO_isnumber(*c))
                    r = lxO_equal(L, *b, *c);
                else if (!dispatches_eq(*b) && !dispatches_eq(*c))
                    r = lxO_equal(L, *b, *c);
                if (r >= 0 && op == BC_NE) r = !r;
            } else {
                r = lxV_less(*b, *c, op == BC_LE);
            }
            if (r >= 0) {
                *RA = lxO_bool(r);
                break;
            }
            SAVEPC();
            lx_Value *slot = reserve(L, 3);
            slot[0] = opfn(L, op == BC_EQ   ? LXV_OP_eq
                              : op == BC_NE ? LXV_OP_ne
                              : op == BC_LT ? LXV_OP_lt
                                            : LXV_OP_le);
            slot[1] = *b;
            slot[2] = *c;
            L->top = slot + 3;
            if (precall(L, slot, 2, lxO_nothing(), RA, NULL))
                REFRESH();
            else
                RESTORE_TOP();
            break;
        }
        case BC_JLT:
        case BC_JLE:
        case BC_JEQ:
        case BC_JLTI:
        case BC_JGTI: {
            lx_Value *a = RA;
            int r;
            switch (LXK_OP(i)) {
            case BC_JLTI:
                r = a->tag == LX_TINT ? a->v.i < LXK_SB(i) : lxV_less(*a, lxO_int(LXK_SB(i)), false);
                break;
            case BC_JGTI:
                r = a->tag == LX_TINT ? a->v.i > LXK_SB(i) : lxV_less(lxO_int(LXK_SB(i)), *a, false);
                break;
            case BC_JEQ: r = dispatches_eq(*a) || dispatches_eq(*RB) ? -1 : lxO_equal(L, *a, *RB); break;
            default: r = lxV_less(*a, *RB, LXK_OP(i) == BC_JLE); break;
            }
            if (r < 0) { /* user types: the generic <, <= or == decides */
                SAVEPC();
                lx_Value args[2];
                int which = LXK_OP(i) == BC_JEQ ? LXV_OP_eq : LXK_OP(i) == BC_JLE ? LXV_OP_le : LXV_OP_lt;
                if (LXK_OP(i) == BC_JLTI || LXK_OP(i) == BC_JGTI) {
                    lx_Value imm = lxO_int(LXK_SB(i));
                    args[0] = LXK_OP(i) == BC_JLTI ? *a : imm;
                    args[1] = LXK_OP(i) == BC_JLTI ? imm : *a;
                } else {
                    args[0] = *a;
                    args[1] = *RB;
                }
                lx_Value res = lxV_call(L, opfn(L, which), args, 2, lxO_nothing());
                r = truthy(L, res);
            }
            if (r) {
                pc++;
            } else {
                uint32_t jmp = *pc++;
                pc += LXK_SJ(jmp);
            }
            break;
        }
        case BC_NOT:
            if (RB->tag == LX_TBOOL) {
                *RA = lxO_bool(!RB->v.b);
                break;
            }
            SAVEPC();
            {
                lx_Value *slot = reserve(L, 2);
                slot[0] = opfn(L, LXV_OP_not);
                slot[1] = *RB;
                L->top = slot + 2;
                if (precall(L, slot, 1, lxO_nothing(), RA, NULL))
                    REFRESH();
                else
                    RESTORE_TOP();
            }
            break;
        case BC_NEG: {
            lx_Value *b = RB;
            if (b->tag == LX_TINT)
                *RA = lxO_int((int64_t)(0 - (uint64_t)b->v.i));
            else if (b->tag == LX_TFLOAT64)
                *RA = lxO_f64(-b->v.d);
            else if (b->tag == LX_TFLOAT32)
                *RA = lxO_f32(-b->v.f);
            else if (b->tag == LX_TBOOL)
                *RA = lxO_int(-(int64_t)b->v.b);
            else {
                SAVEPC();
                lx_Value *slot = reserve(L, 2);
                slot[0] = opfn(L, LXV_OP_sub);
                slot[1] = *b;
                L->top = slot + 2;
                if (precall(L, slot, 1, lxO_nothing(), RA, NULL))
                    REFRESH();
                else
                    RESTORE_TOP();
            }
            break;
        }
        case BC_JMP: {
            int off = LXK_SJ(i);
            pc += off;
            if (off < 0) {
                if (atomic_load_explicit(&L->interrupt, memory_order_relaxed)) {
                    SAVEPC();
                    lxE_safepoint(L, -off); /* one pass of the loop: its body's length */
                }
                if (L->gcdebt > L->gcthreshold) {
                    SAVEPC();
                    lxC_collect(L);
                }
            }
            break;
        }
        case BC_JMPF:
            if (RA->tag == LX_TBOOL ? !RA->v.b : (SAVEPC(), !truthy(L, *RA))) pc += LXK_SBX(i);
            break;
        case BC_JMPT:
            if (RA->tag == LX_TBOOL ? RA->v.b : (SAVEPC(), truthy(L, *RA))) pc += LXK_SBX(i);
            break;
        case BC_CALL: {
            uint32_t w = *pc++;
            SAVEPC();
            if (atomic_load_explicit(&L->interrupt, memory_order_relaxed)) lxE_safepoint(L, 1);
            int nargs = LXK_B(i);
            lx_Value *fn = RA;
            if (fn->tag == LX_TOBJECT && fn->v.o->kind == LXO_GENERIC && !LXK_C(i) && nargs <= 4) {
                /* the common case: a generic function, this site's cached method, an lx body */
                lxK_cache *c = &p->caches[w];
                lxO_generic *gf = (lxO_generic *)fn->v.o;
                if (c->gf == gf && c->version == gf->version && c->nargs == nargs && c->m->fn) {
                    int q = 0;
                    for (; q < nargs; q++)
                        if (lxT_typeof(L, fn[q + 1]) != c->types[q]) break;
                    if (q == nargs && !c->m->fn->p->vararg) {
                        enter(L, c->m->fn, fn, nargs, lxO_nothing(), fn);
                        REFRESH();
                        if (L->gcdebt > L->gcthreshold) lxC_collect(L);
                        break;
                    }
                }
            }
            lx_Value kw = LXK_C(i) ? fn[nargs + 1] : lxO_nothing();
            if (precall(L, fn, nargs, kw, fn, &p->caches[w])) {
                REFRESH();
                if (L->gcdebt > L->gcthreshold) lxC_collect(L);
            } else {
                f = lxV_frameat(L, L->nframes - 1);
                RESTORE_TOP();
            }
            break;
        }
        case BC_CALLS: {
            SAVEPC();
            lx_Value fnv = *RA, args = RA[1];
            lx_Value kw = LXK_C(i) ? RA[2] : lxO_nothing();
            lx_Value *src;
            size_t n;
            if (lxO_is(args, LXO_LIST)) {
                src = lxO_as(lxO_list, args)->items;
                n = lxO_as(lxO_list, args)->n;
            } else {
                src = lxO_as(lxO_tuple, args)->items;
                n = (size_t)lxO_as(lxO_tuple, args)->n;
            }
            if (n > 100000) lxE_error(L, LXT_ArgumentError, "too many arguments to splat (%zu)", n);
            lx_Value *slot = reserve(L, n + 2);
            slot[0] = fnv;
            memcpy(slot + 1, src, n * sizeof *src);
            slot[n + 1] = kw;
            L->top = slot + n + 2;
            if (precall(L, slot, (int)n, kw, RA, NULL))
                REFRESH();
            else
                RESTORE_TOP();
            break;
        }
        case BC_RETURN: {
            lx_Value v = *RA;
            int fi = L->nframes - 1;
            while (L->nhandlers > 0 && L->handlers[L->nhandlers - 1].frame >= fi &&
                   L->handlers[L->nhandlers - 1].nexec == nexec)
                L->nhandlers--;
            *f->ret = v;
            L->seg = f->seg;
            L->top = f->top;
            L->nframes--;
            if (L->nframes <= bottom) {
                L->nexec--;
                L->errjmp = j.prev;
                return;
            }
            REFRESH();
            RESTORE_TOP();
            break;
        }
        case BC_TUPLE: {
            SAVEPC();
            int n = LXK_C(i);
            lxO_tuple *t = lxO_tuple_new(L, n);
            memcpy(t->items, RB, (size_t)n * sizeof(lx_Value));
            *RA = lxO_obj(t);
            break;
        }
        case BC_NTUPLE: {
            SAVEPC();
            uint32_t w = *pc++;
            int n = LXK_C(i);
            lxO_tuple *names = lxO_as(lxO_tuple, k[w]);
            lxO_ntuple *t = lxO_ntuple_new(L, n);
            memcpy(t->vals, RB, (size_t)n * sizeof(lx_Value));
            for (int q = 0; q < n; q++) {
                t->names[q] = (lxO_string *)names->items[q].v.o;
                for (int r = 0; r < q; r++)
                    if (t->names[r] == t->names[q])
                        lxE_error(L, LXT_ErrorException, "field name %s appears twice in a named tuple",
                                  t->names[q]->data);
            }
            *RA = lxO_obj(t);
            break;
        }
        case BC_GETFIELD: {
            uint32_t w = *pc++;
            lx_Value *b = RB;
            lxO_string *name = (lxO_string *)k[w].v.o;
            if (b->tag == LX_TOBJECT && b->v.o->kind == LXO_NTUPLE) {
                lxO_ntuple *nt = (lxO_ntuple *)b->v.o;
                int q = lxO_ntuple_find(nt, name);
                if (q >= 0) {
                    *RA = nt->vals[q];
                    break;
                }
            }
            SAVEPC();
            *RA = getfield(L, *b, name);
            break;
        }
        case BC_SETFIELD: {
            uint32_t w = *pc++;
            SAVEPC();
            setfield(L, *RA, (lxO_string *)k[w].v.o, *RB);
            break;
        }
        case BC_INDEX: {
            SAVEPC();
            int n = LXK_C(i);
            if (n == 1 && index_fast(L, *RB, RB[1], RA)) break;
            lx_Value *slot = reserve(L, (size_t)n + 2);
            slot[0] = opfn(L, LXV_OP_getindex);
            memcpy(slot + 1, RB, (size_t)(n + 1) * sizeof(lx_Value));
            L->top = slot + n + 2;
            if (precall(L, slot, n + 1, lxO_nothing(), RA, NULL))
                REFRESH();
            else
                RESTORE_TOP();
            break;
        }
        case BC_SETINDEX: {
            SAVEPC();
            int n = LXK_C(i);
            if (n == 1 && setindex_fast(L, *RA, RA[1], *RB)) break;
            lx_Value *slot = reserve(L, (size_t)n + 3);
            slot[0] = opfn(L, LXV_OP_setindex);
            slot[1] = *RA;
            slot[2] = *RB;
            memcpy(slot + 3, RA + 1, (size_t)n * sizeof(lx_Value));
            L->top = slot + n + 3;
            lx_Value *junk = slot; /* setindex!'s result is not used */
            if (precall(L, slot, n + 2, lxO_nothing(), junk, NULL))
                REFRESH();
            else
                RESTORE_TOP();
            break;
        }
        case BC_UNPACK:
            SAVEPC();
            unpack(L, RA, *RB, LXK_C(i));
            break;
        case BC_ITERPREP:
            SAVEPC();
            iter_prep(L, RA);
            break;
        case BC_ITERNEXT: {
            /* at the bottom of a loop: the next element and a jump back to the body, or fall out */
            lx_Value *r = RA;
            if (r[0].tag == LX_TOBJECT && r[1].tag == LX_TINT && r[0].v.o->kind == LXO_RANGE &&
                !((lxO_range *)r[0].v.o)->isfloat) {
                lxO_range *g = (lxO_range *)r[0].v.o;
                int64_t q = r[1].v.i;
                if (q >= g->len) break;
                r[2].tag = LX_TINT;
                r[2].v.i = g->start.i + q * g->step.i;
                r[1].v.i = q + 1;
            } else {
                SAVEPC();
                if (!iter_next(L, r)) break;
            }
            pc += LXK_SBX(i);
            if (atomic_load_explicit(&L->interrupt, memory_order_relaxed)) {
                SAVEPC();
                lxE_safepoint(L, -(int64_t)LXK_SBX(i) + 1); /* one pass of the loop */
            }
            if (L->gcdebt > L->gcthreshold) {
                SAVEPC();
                lxC_collect(L);
            }
            break;
        }
        case BC_TRY: {
            SAVEPC();
            if (L->nhandlers == L->caphandlers) {
                int cap = L->caphandlers ? 2 * L->caphandlers : 16;
                L->handlers = lxM_realloc(L, L->handlers, (size_t)L->caphandlers * sizeof *L->handlers,
                                          (size_t)cap * sizeof *L->handlers);
                L->caphandlers = cap;
            }
            lxV_handler *h = &L->handlers[L->nhandlers++];
            h->frame = L->nframes - 1;
            h->pc = pc + LXK_SBX(i);
            h->reg = LXK_A(i);
            h->nexec = nexec;
            h->nroots = L->nroots;
            h->bcast_mode = L->bcast_mode;
            break;
        }
        case BC_POPTRY: L->nhandlers--; break;
        case BC_THROW:
            SAVEPC();
            if (LXK_C(i)) { /* rethrow: keep the original stack trace */
                L->exc = *RA;
                L->errjmp->status = LX_ERRRUN;
                longjmp(L->errjmp->buf, 1);
            }
            lxE_throw(L, *RA);
        case BC_METHOD: {
            uint32_t w = *pc++;
            SAVEPC();
            int nt = LXK_B(i), flags = LXK_C(i);
            lx_Value doc = flags & 2 ? RA[nt + 1] : lxO_nothing();
            lx_Value *target;
            lxO_string *name;
            if (flags & 5) { /* a local function: its register, or the box that holds it */
                target = flags & 4 ? &((lxO_box *)base[w].v.o)->v : base + w;
                name = ((lxO_closure *)RA->v.o)->p->name;
            } else {
                if (L->globals[w].deferred) lxG_load_deferred(L); /* a method for the library's function */
                target = &L->globals[w].v;
                name = L->globals[w].name;
            }
            define_method(L, target, name, (lxO_closure *)RA->v.o, RA + 1, nt, doc);
            break;
        }
        case BC_STRUCT: {
            uint32_t w = *pc++;
            SAVEPC();
            int nf = LXK_C(i);
            lx_Value doc = LXK_B(i) & 1 ? RA[nf + 1] : lxO_nothing();
            *RA = define_type(L, lxO_as(lxO_tuple, k[w]), *RA, RA + 1, nf, doc, (LXK_B(i) & 2) != 0);
            break;
        }
        case BC_GETKW: {
            lxO_string *name = (lxO_string *)k[LXK_BX(i)].v.o;
            int q = f->kw.tag == LX_TOBJECT ? lxO_ntuple_find((lxO_ntuple *)f->kw.v.o, name) : -1;
            if (q >= 0) {
                *RA = ((lxO_ntuple *)f->kw.v.o)->vals[q];
                uint32_t jmp = *pc++;
                pc += LXK_SJ(jmp);
            } else {
                pc++;
            }
            break;
        }
        case BC_JARGC:
            if (f->nargs > (int)LXK_A(i)) pc += LXK_SBX(i);
            break;
        case BC_KWREST: {
            SAVEPC();
            int n = 0;
            lxO_ntuple *kw = f->kw.tag == LX_TOBJECT ? (lxO_ntuple *)f->kw.v.o : NULL;
            for (int q = 0; kw && q < kw->n; q++) {
                int r = 0;
                while (r < p->nkw && p->kwnames[r] != kw->names[q])
                    r++;
                n += r == p->nkw;
            }
            lxO_ntuple *rest = lxO_ntuple_new(L, n);
            n = 0;
            for (int q = 0; kw && q < kw->n; q++) {
                int r = 0;
                while (r < p->nkw && p->kwnames[r] != kw->names[q])
                    r++;
                if (r == p->nkw) {
                    rest->names[n] = kw->names[q];
                    rest->vals[n++] = kw->vals[q];
                }
            }
            *RA = lxO_obj(rest);
            break;
        }
        case BC_APPEND:
            SAVEPC();
            lxO_list_push(L, (lxO_list *)RA->v.o, *RB);
            break;
        default: SAVEPC(); lxE_error(L, LXT_ErrorException, "internal error: bad opcode %d", (int)LXK_OP(i));
        }
    }
}

lx_Value lxV_call(lx_State *L, lx_Value fn, lx_Value *args, int nargs, lx_Value kw)
{
    lx_Value *saved_top = L->top;
    int saved_seg = L->seg;
    lx_Value *slot = reserve(L, (size_t)nargs + 2);
    slot[0] = fn;
    if (nargs) memmove(slot + 1, args, (size_t)nargs * sizeof *args);
    slot[nargs + 1] = kw;
    L->top = slot + nargs + 2;
    int bottom = L->nframes;
    /* C calling lx in a loop (map, a host's lx_call) is a safe point too: a body with no loop or
     * call of its own would otherwise run uncounted */
    if (atomic_load_explicit(&L->interrupt, memory_order_relaxed)) lxE_safepoint(L, 1);
    if (precall(L, slot, nargs, kw, slot, NULL)) execute(L, bottom);
    lx_Value r = *slot;
    L->top = saved_top;
    L->seg = saved_seg;
    return r;
}

lx_Value lxV_getfield(lx_State *L, lx_Value obj, lxO_string *name)
{
    return getfield(L, obj, name);
}

lx_Value lxV_run(lx_State *L, lxO_proto *p)
{
    lxO_closure *c = lxV_closure_new(L, p);
    return lxV_call(L, lxO_obj(c), NULL, 0, lxO_nothing());
}

const char *const lxK_opnames[LXK_NUM_OPCODES] = {
#define LXK_OP_NAME(name) #name,
    LXK_OPCODES(LXK_OP_NAME)
#undef LXK_OP_NAME
};

typedef struct {
    lx_Value f, kw, result;
    lx_Value *args;
    int nargs;
} pcallinfo;

static void pcall_body(lx_State *L, void *ud)
{
    pcallinfo *c = ud;
    c->result = lxV_call(L, c->f, c->args, c->nargs, c->kw);
}

lx_Status lxV_pcall(lx_State *L, lx_Value f, lx_Value *args, int nargs, lx_Value kw, lx_Value *result)
{
    int nframes = L->nframes, nhandlers = L->nhandlers, nroots = L->nroots, nexec = L->nexec, seg = L->seg;
    int bcast_mode = L->bcast_mode;
    lx_Value *top = L->top;
    lx_Value cself = L->cself;
    pcallinfo c = {f, kw, lxO_nothing(), args, nargs};
    lx_Status st = lxD_pcall(L, pcall_body, &c);
    if (st != LX_OK) {
        L->nframes = nframes;
        lxW_release(L, nframes);
        L->nhandlers = nhandlers;
        L->nroots = nroots;
        L->bcast_mode = bcast_mode;
        L->nexec = nexec;
        L->seg = seg;
        L->top = top;
        L->cself = cself;
        *result = L->exc;
    } else {
        *result = c.result;
    }
    return st;
}
