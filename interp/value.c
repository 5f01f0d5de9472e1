/* value.c — making heap objects, equality and hashing of values, the
 * global table.  Every object goes on the state's allgc list and counts
 * toward the collector's debt.
 */
#include "runtime.h"

#include "nn.h"

#include <math.h>
#include <string.h>

void *lxO_new(lx_State *L, size_t size, lxO_kind kind, lxO_type *type)
{
    lxO_header *o = lxM_realloc(L, NULL, 0, size);
    memset(o, 0, size);
    o->kind = kind;
    o->type = type;
    o->next = L->allgc;
    L->allgc = o;
    L->gcdebt += size;
    return o;
}

lxO_tuple *lxO_tuple_new(lx_State *L, int n)
{
    lxO_tuple *t = lxO_new(L, sizeof *t + (size_t)n * sizeof(lx_Value), LXO_TUPLE, L->T[LXT_Tuple]);
    t->n = n;
    return t;
}

lxO_ntuple *lxO_ntuple_new(lx_State *L, int n)
{
    lxO_ntuple *t = lxO_new(L, sizeof *t + (size_t)n * (sizeof(lx_Value) + sizeof(lxO_string *)), LXO_NTUPLE,
                            L->T[LXT_NamedTuple]);
    t->n = n;
    t->names = (lxO_string **)(t->vals + n);
    return t;
}

int lxO_ntuple_find(const lxO_ntuple *nt, const lxO_string *name)
{
    for (int i = 0; i < nt->n; i++)
        if (nt->names[i] == name) return i;
    return -1;
}

lxO_list *lxO_list_new(lx_State *L, size_t cap)
{
    lxO_list *l = lxO_new(L, sizeof *l, LXO_LIST, L->T[LXT_List]);
    if (cap) {
        l->items = lxM_realloc(L, NULL, 0, cap * sizeof(lx_Value));
        l->cap = cap;
    }
    return l;
}

void lxO_list_push(lx_State *L, lxO_list *l, lx_Value v)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 4;
        l->items = lxM_realloc(L, l->items, l->cap * sizeof(lx_Value), cap * sizeof(lx_Value));
        l->cap = cap;
    }
    l->items[l->n++] = v;
}

lxO_range *lxO_range_int(lx_State *L, int64_t start, int64_t step, int64_t stop)
{
    lxO_range *r = lxO_new(L, sizeof *r, LXO_RANGE, L->T[LXT_Range]);
    if (step == 0) lxE_error(L, LXT_ArgumentError, "step cannot be zero");
    r->start.i = start;
    r->step.i = step;
    /* the span in unsigned arithmetic: typemin(Int):typemax(Int) does not overflow */
    uint64_t span = step > 0 ? (stop >= start ? (uint64_t)stop - (uint64_t)start : 0)
                             : (stop <= start ? (uint64_t)start - (uint64_t)stop : 0);
    bool empty = step > 0 ? stop < start : stop > start;
    uint64_t ustep = step > 0 ? (uint64_t)step : (uint64_t)0 - (uint64_t)step;
    uint64_t n = empty ? 0 : span / ustep + 1;
    if (n > (uint64_t)INT64_MAX || (!empty && span / ustep == UINT64_MAX))
        lxE_error(L, LXT_OverflowError, "the range %lld:%lld:%lld has more than typemax(Int) elements",
                  (long long)start, (long long)step, (long long)stop);
    r->len = (int64_t)n;
    return r;
}

lxO_range *lxO_range_float(lx_State *L, double start, double step, double stop)
{
    lxO_range *r = lxO_new(L, sizeof *r, LXO_RANGE, L->T[LXT_Range]);
    if (step == 0) lxE_error(L, LXT_ArgumentError, "range step cannot be zero");
    if (!isfinite(start) || !isfinite(step) || !isfinite(stop))
        lxE_error(L, LXT_ArgumentError, "range bounds must be finite");
    r->isfloat = true;
    r->start.d = start;
    r->step.d = step;
    /* as Julia: the count that reaches stop within rounding (0:0.1:1 has 11) */
    double n = floor((stop - start) / step + 1e-10) + 1;
    r->len = n > 0 ? (int64_t)n : 0;
    return r;
}

lx_Value lxO_range_at(const lxO_range *r, int64_t i)
{
    if (r->isfloat) return lxO_f64(r->start.d + (double)i * r->step.d);
    return lxO_int(r->start.i + i * r->step.i);
}

lxO_struct *lxO_struct_new(lx_State *L, lxO_type *t)
{
    lxO_struct *s = lxO_new(L, sizeof *s + (size_t)t->nfields * sizeof(lx_Value), LXO_STRUCT, t);
    s->n = t->nfields;
    return s;
}

lxO_box *lxO_box_new(lx_State *L)
{
    lxO_box *b = lxO_new(L, sizeof *b, LXO_BOX, L->T[LXT_Box]);
    b->v.tag = LX_TUNDEF;
    return b;
}

lxO_generic *lxO_generic_new(lx_State *L, lxO_string *name)
{
    lxO_generic *g = lxO_new(L, sizeof *g, LXO_GENERIC, L->T[LXT_Function]);
    g->name = name;
    return g;
}

lxO_module *lxO_module_new(lx_State *L, lxO_string *name)
{
    lxO_module *m = lxO_new(L, sizeof *m, LXO_MODULE, L->T[LXT_Module]);
    m->name = name;
    return m;
}

lx_Value lxO_tensor_new(lx_State *L, struct nn_tensor *t)
{
    lxO_tensor *o;
    if (L->tfree) { /* a spare wrapper from the last collection */
        o = (lxO_tensor *)L->tfree;
        L->tfree = o->hdr.next;
        L->ntfree--;
        goto init;
    }
    /* made without lxM, so a failure drops the reference instead of leaking it */
    if (L->limit && L->total + sizeof(lxO_tensor) > L->limit + L->slack) {
        nn_release(t);
        lxD_throw(L, LX_ERRMEM, "OutOfMemoryError: the state's memory limit (%zu bytes) is reached",
                  L->limit);
    }
    o = L->alloc(L->alloc_ud, NULL, 0, sizeof *o);
    if (!o) {
        nn_release(t);
        lxD_throw(L, LX_ERRMEM, "OutOfMemoryError: cannot allocate a tensor");
    }
    L->total += sizeof *o;
init:
    memset(o, 0, sizeof *o);
    o->hdr.kind = LXO_TENSOR;
    o->hdr.type = L->T[LXT_Tensor];
    o->hdr.next = L->allgc;
    L->allgc = &o->hdr;
    o->t = t;
    /* the tensor's bytes pace the collector, as Lua counts userdata */
    L->gcdebt += sizeof *o + (size_t)t->numel * nn_dtype_size(t->dtype);
    return lxO_obj(o);
}

lxO_cdata *lxO_cdata_new(lx_State *L, lxO_type *type, size_t size)
{
    lxO_cdata *c = lxO_new(L, sizeof *c + ((size + 7) & ~(size_t)7), LXO_CDATA, type);
    c->size = size;
    return c;
}

lx_Value lxO_str(lx_State *L, const char *s, size_t n)
{
    return lxO_obj(lxS_new(L, s, n));
}

lx_Value lxO_cstr(lx_State *L, const char *s)
{
    return lxO_obj(lxS_new(L, s, strlen(s)));
}

lx_Value lxO_pair(lx_State *L, lx_Value a, lx_Value b)
{
    lxO_struct *p = lxO_struct_new(L, L->T[LXT_Pair]);
    p->fields[0] = a;
    p->fields[1] = b;
    return lxO_obj(p);
}

/* ---- dictionaries ------------------------------------------------------------------------- */

lxO_dict *lxO_dict_new(lx_State *L)
{
    return lxO_new(L, sizeof(lxO_dict), LXO_DICT, L->T[LXT_Dict]);
}

static void dict_rebuild(lx_State *L, lxO_dict *d, size_t cap)
{
    lxO_dentry *e = lxM_realloc(L, NULL, 0, cap * sizeof *e);
    int32_t *ix = lxM_realloc(L, NULL, 0, 2 * cap * sizeof *ix);
    for (size_t i = 0; i < 2 * cap; i++)
        ix[i] = -1;
    size_t n = 0;
    for (size_t i = 0; i < d->used; i++) {
        if (d->entries[i].key.tag == LX_TUNDEF) continue;
        e[n] = d->entries[i];
        size_t h = e[n].hash & (2 * cap - 1);
        while (ix[h] >= 0)
            h = (h + 1) & (2 * cap - 1);
        ix[h] = (int32_t)n;
        n++;
    }
    lxM_free(L, d->entries, d->cap * sizeof *d->entries);
    lxM_free(L, d->index, 2 * d->cap * sizeof *d->index);
    d->entries = e;
    d->index = ix;
    d->cap = cap;
    d->used = d->n = n;
}

/* The index slot holding key, or the empty slot where it would go. */
static size_t dict_slot(lx_State *L, lxO_dict *d, lx_Value key, uint32_t h, bool *found)
{
    size_t mask = 2 * d->cap - 1, s = h & mask;
    for (;;) {
        int32_t k = d->index[s];
        if (k < 0) {
            *found = false;
            return s;
        }
        lxO_dentry *e = &d->entries[k];
        if (e->hash == h && e->key.tag != LX_TUNDEF && lxO_isequal(L, e->key, key)) {
            *found = true;
            return s;
        }
        s = (s + 1) & mask;
    }
}

lx_Value *lxO_dict_get(lx_State *L, lxO_dict *d, lx_Value key)
{
    if (!d->cap) return NULL;
    bool found;
    size_t s = dict_slot(L, d, key, lxO_hash(L, key), &found);
    return found ? &d->entries[d->index[s]].val : NULL;
}

void lxO_dict_set(lx_State *L, lxO_dict *d, lx_Value key, lx_Value val)
{
    uint32_t h = lxO_hash(L, key);
    if (d->used == d->cap) /* full: grow, or just drop the tombstones when few entries are live */
        dict_rebuild(L, d, d->cap == 0 ? 8 : d->n * 2 > d->cap ? 2 * d->cap : d->cap);
    bool found;
    size_t s = dict_slot(L, d, key, h, &found);
    if (found) {
        d->entries[d->index[s]].val = val;
        return;
    }
    d->index[s] = (int32_t)d->used;
    d->entries[d->used].key = key;
    d->entries[d->used].val = val;
    d->entries[d->used].hash = h;
    d->used++;
    d->n++;
}

bool lxO_dict_delete(lx_State *L, lxO_dict *d, lx_Value key)
{
    if (!d->cap) return false;
    bool found;
    size_t s = dict_slot(L, d, key, lxO_hash(L, key), &found);
    if (!found) return false;
    d->entries[d->index[s]].key.tag = LX_TUNDEF; /* a tombstone; the index keeps pointing at it */
    d->entries[d->index[s]].val = lxO_nothing();
    d->n--;
    return true;
}

/* ---- equality and hashing ------------------------------------------------------------------ */

bool lxO_isnumber(lx_Value v)
{
    return v.tag == LX_TINT || v.tag == LX_TFLOAT64 || v.tag == LX_TFLOAT32 || v.tag == LX_TBOOL;
}

double lxO_tonumber(lx_Value v)
{
    switch (v.tag) {
    case LX_TINT: return (double)v.v.i;
    case LX_TFLOAT64: return v.v.d;
    case LX_TFLOAT32: return v.v.f;
    case LX_TBOOL: return v.v.b;
    default: return NAN;
    }
}

bool lxO_egal(lx_Value a, lx_Value b)
{
    if (a.tag != b.tag) return false;
    switch (a.tag) {
    case LX_TNOTHING:
    case LX_TUNDEF: return true;
    case LX_TBOOL: return a.v.b == b.v.b;
    case LX_TINT: return a.v.i == b.v.i;
    case LX_TFLOAT64: return memcmp(&a.v.d, &b.v.d, sizeof(double)) == 0;
    case LX_TFLOAT32: return memcmp(&a.v.f, &b.v.f, sizeof(float)) == 0;
    default: return a.v.o == b.v.o;
    }
}

/* Tensors inside containers compare through the generic == / isequal (stdlib's methods). */
static bool elem_equal(lx_State *L, lx_Value a, lx_Value b, bool strict)
{
    if (lxO_is(a, LXO_TENSOR) || lxO_is(b, LXO_TENSOR)) {
        lx_Value f = lxG_get(L, strict ? "isequal" : "==");
        if (f.tag == LX_TUNDEF) return lxO_egal(a, b);
        lx_Value args[2] = {a, b};
        lx_Value r = lxV_call(L, f, args, 2, lxO_nothing());
        return r.tag == LX_TBOOL && r.v.b;
    }
    return strict ? lxO_isequal(L, a, b) : lxO_equal(L, a, b);
}

static bool seq_equal(lx_State *L, const lx_Value *a, const lx_Value *b, size_t n, bool strict)
{
    for (size_t i = 0; i < n; i++)
        if (!elem_equal(L, a[i], b[i], strict)) return false;
    return true;
}

static bool structural_equal(lx_State *L, lx_Value a, lx_Value b, bool strict)
{
    if (a.tag != LX_TOBJECT || b.tag != LX_TOBJECT) return false;
    lxO_header *x = a.v.o, *y = b.v.o;
    if (x == y) return true;
    if (x->kind != y->kind) {
        if ((x->kind == LXO_LIST || x->kind == LXO_RANGE) && (y->kind == LXO_LIST || y->kind == LXO_RANGE)) {
            /* a list and a range with the same elements are == as vectors */
            lxO_list *l = (lxO_list *)(x->kind == LXO_LIST ? x : y);
            lxO_range *r = (lxO_range *)(x->kind == LXO_LIST ? y : x);
            if ((int64_t)l->n != r->len) return false;
            for (size_t i = 0; i < l->n; i++)
                if (!lxO_equal(L, l->items[i], lxO_range_at(r, (int64_t)i))) return false;
            return true;
        }
        return false;
    }
    switch (x->kind) {
    case LXO_TUPLE: {
        lxO_tuple *s = (lxO_tuple *)x, *t = (lxO_tuple *)y;
        return s->n == t->n && seq_equal(L, s->items, t->items, (size_t)s->n, strict);
    }
    case LXO_NTUPLE: {
        lxO_ntuple *s = (lxO_ntuple *)x, *t = (lxO_ntuple *)y;
        if (s->n != t->n) return false;
        for (int i = 0; i < s->n; i++)
            if (s->names[i] != t->names[i]) return false;
        return seq_equal(L, s->vals, t->vals, (size_t)s->n, strict);
    }
    case LXO_LIST: {
        lxO_list *s = (lxO_list *)x, *t = (lxO_list *)y;
        return s->n == t->n && seq_equal(L, s->items, t->items, s->n, strict);
    }
    case LXO_RANGE: {
        lxO_range *s = (lxO_range *)x, *t = (lxO_range *)y;
        if (s->len != t->len) return false;
        for (int64_t i = 0; i < s->len; i++)
            if (!lxO_equal(L, lxO_range_at(s, i), lxO_range_at(t, i))) return false;
        return true;
    }
    case LXO_DICT: {
        lxO_dict *s = (lxO_dict *)x, *t = (lxO_dict *)y;
        if (s->n != t->n) return false;
        for (size_t i = 0; i < s->used; i++) {
            if (s->entries[i].key.tag == LX_TUNDEF) continue;
            lx_Value *v = lxO_dict_get(L, t, s->entries[i].key);
            if (!v || !elem_equal(L, *v, s->entries[i].val, strict)) return false;
        }
        return true;
    }
    case LXO_STRUCT: {
        /* immutable structs compare by value (Julia's === on isbits-like values) */
        lxO_struct *s = (lxO_struct *)x, *t = (lxO_struct *)y;
        if (x->type != y->type || x->type->mutable_) return false;
        return seq_equal(L, s->fields, t->fields, (size_t)s->n, strict);
    }
    case LXO_CDATA: { /* a built-in type's C state (an RNG): equal states, as Julia's Xoshiro == */
        lxO_cdata *s = (lxO_cdata *)x, *t = (lxO_cdata *)y;
        return x->type == y->type && s->size == t->size && !memcmp(s->data, t->data, s->size);
    }
    default: return false;
    }
}

bool lxO_equal(lx_State *L, lx_Value a, lx_Value b)
{
    if (a.tag == b.tag) {
        switch (a.tag) {
        case LX_TINT: return a.v.i == b.v.i;
        case LX_TFLOAT64: return a.v.d == b.v.d;
        case LX_TFLOAT32: return a.v.f == b.v.f;
        case LX_TBOOL: return a.v.b == b.v.b;
        case LX_TNOTHING: return true;
        case LX_TSYMBOL: return a.v.o == b.v.o;
        default: break;
        }
    } else if (lxO_isnumber(a) && lxO_isnumber(b)) {
        if (a.tag == LX_TINT && b.tag == LX_TINT) return a.v.i == b.v.i;
        if ((a.tag == LX_TINT || a.tag == LX_TBOOL) && (b.tag == LX_TINT || b.tag == LX_TBOOL))
            return (a.tag == LX_TINT ? a.v.i : a.v.b) == (b.tag == LX_TINT ? b.v.i : b.v.b);
        return lxO_tonumber(a) == lxO_tonumber(b);
    }
    if (a.tag != LX_TOBJECT || b.tag != LX_TOBJECT) return false;
    if (a.v.o == b.v.o) return true;
    return structural_equal(L, a, b, false);
}

bool lxO_isequal(lx_State *L, lx_Value a, lx_Value b)
{
    if (lxO_isnumber(a) && lxO_isnumber(b)) {
        double x = lxO_tonumber(a), y = lxO_tonumber(b);
        if (isnan(x) && isnan(y)) return true;
        if (a.tag == LX_TINT && b.tag == LX_TINT) return a.v.i == b.v.i;
        return x == y && signbit(x) == signbit(y);
    }
    if (a.tag != b.tag) return false;
    if (a.tag != LX_TOBJECT) return lxO_egal(a, b);
    if (a.v.o != b.v.o && (a.v.o->kind == LXO_TENSOR || b.v.o->kind == LXO_TENSOR))
        return elem_equal(L, a, b, true);
    return a.v.o == b.v.o || structural_equal(L, a, b, true);
}

static uint32_t mix(uint32_t h, uint32_t x)
{
    h ^= x + 0x9e3779b9u + (h << 6) + (h >> 2);
    return h;
}

uint32_t lxO_hash(lx_State *L, lx_Value v)
{
    switch (v.tag) {
    case LX_TNOTHING: return 0x1234567u;
    case LX_TBOOL:
    case LX_TINT:
    case LX_TFLOAT64:
    case LX_TFLOAT32: {
        /* numbers equal by isequal hash alike: 1 and 1.0 share a key */
        double d = lxO_tonumber(v);
        if (d == 0) return 0x9e3779b9u; /* 0.0 and -0.0 differ under isequal but may share a hash */
        if (d == (double)(int64_t)d && fabs(d) < 9.2e18) {
            uint64_t i = (uint64_t)(int64_t)d;
            return (uint32_t)(i * 0x9e3779b97f4a7c15ull >> 32);
        }
        uint64_t bits;
        memcpy(&bits, &d, sizeof bits);
        return (uint32_t)(bits * 0x9e3779b97f4a7c15ull >> 32);
    }
    case LX_TSYMBOL: return ((lxO_string *)v.v.o)->hash ^ 0x5bd1e995u;
    default: break;
    }
    lxO_header *o = v.v.o;
    switch (o->kind) {
    case LXO_STRING: return ((lxO_string *)o)->hash;
    case LXO_TENSOR: { /* isequal tensors have equal shapes: the shape is the hash */
        const nn_tensor *t = ((lxO_tensor *)o)->t;
        uint32_t h = 0x51ed;
        for (int i = 0; i < t->ndim; i++)
            h = mix(h, (uint32_t)t->shape[i]);
        return h;
    }
    case LXO_TUPLE: {
        lxO_tuple *t = (lxO_tuple *)o;
        uint32_t h = 0x7a3c;
        for (int i = 0; i < t->n; i++)
            h = mix(h, lxO_hash(L, t->items[i]));
        return h;
    }
    case LXO_NTUPLE: {
        lxO_ntuple *t = (lxO_ntuple *)o;
        uint32_t h = 0x3c7a;
        for (int i = 0; i < t->n; i++)
            h = mix(mix(h, t->names[i]->hash), lxO_hash(L, t->vals[i]));
        return h;
    }
    case LXO_STRUCT:
        if (!o->type->mutable_) {
            lxO_struct *s = (lxO_struct *)o;
            uint32_t h = (uint32_t)(uintptr_t)o->type;
            for (int i = 0; i < s->n; i++)
                h = mix(h, lxO_hash(L, s->fields[i]));
            return h;
        }
        break;
    case LXO_LIST: {
        lxO_list *l = (lxO_list *)o;
        uint32_t h = 0x11;
        for (size_t i = 0; i < l->n; i++)
            h = mix(h, lxO_hash(L, l->items[i]));
        return h;
    }
    default: break;
    }
    uintptr_t p = (uintptr_t)o;
    return (uint32_t)((p >> 4) * 2654435761u);
}

/* ---- globals ------------------------------------------------------------------------------ */

/* A name's gidx while the deferred library that defines it is not loaded and no slot exists. */
#define LXG_DEFERRED (-2)

int lxG_find(lx_State *L, lxO_string *name)
{
    (void)L;
    return name->gidx < 0 ? -1 : name->gidx;
}

int lxG_index(lx_State *L, lxO_string *name)
{
    if (name->gidx >= 0) return name->gidx;
    if (L->nglobals == L->capglobals) {
        int cap = L->capglobals ? 2 * L->capglobals : 256;
        L->globals = lxM_realloc(L, L->globals, (size_t)L->capglobals * sizeof *L->globals,
                                 (size_t)cap * sizeof *L->globals);
        L->capglobals = cap;
    }
    lxG_global *g = &L->globals[L->nglobals];
    memset(g, 0, sizeof *g);
    g->name = name;
    g->v.tag = LX_TUNDEF;
    g->deferred = name->gidx == LXG_DEFERRED;
    name->gidx = L->nglobals;
    return L->nglobals++;
}

void lxG_defer(lx_State *L, const char *const *names, int n, void (*load)(lx_State *L))
{
    lxG_load_deferred(L); /* one pending library at a time */
    L->deferred = lxM_realloc(L, NULL, 0, (size_t)n * sizeof *L->deferred);
    for (int i = 0; i < n; i++) {
        lxO_string *s = lxS_cstr(L, names[i]);
        L->deferred[L->ndeferred++] = s; /* kept alive by the collector while the mark is on */
        if (s->gidx == -1)
            s->gidx = LXG_DEFERRED;
        else if (s->gidx >= 0 && L->globals[s->gidx].v.tag == LX_TUNDEF)
            L->globals[s->gidx].deferred = true;
    }
    L->defer_load = load;
}

typedef struct {
    void (*load)(lx_State *L);
} deferred_loader;

static void run_loader(lx_State *L, void *ud)
{
    ((deferred_loader *)ud)->load(L);
}

void lxG_load_deferred(lx_State *L)
{
    void (*load)(lx_State *) = L->defer_load;
    if (!load) return;
    L->defer_load = NULL;
    for (int i = 0; i < L->ndeferred; i++) {
        lxO_string *s = L->deferred[i];
        if (s->gidx == LXG_DEFERRED)
            s->gidx = -1;
        else if (s->gidx >= 0)
            L->globals[s->gidx].deferred = false;
    }
    lxM_free(L, L->deferred, (size_t)L->ndeferred * sizeof *L->deferred);
    L->deferred = NULL;
    L->ndeferred = 0;
    /* the library's own code is not the script's: it runs outside the instruction budget (a limit
     * reached half-way would leave the library half defined) */
    int64_t budget = L->budget;
    L->budget = INT64_MAX;
    deferred_loader box = {load};
    lx_Status st = lxD_pcall(L, run_loader, &box);
    L->budget = budget;
    if (st != LX_OK) {
        L->errjmp->status = st;
        longjmp(L->errjmp->buf, 1);
    }
}

/* Loads the deferred library first when name is one of its globals. */
static void resolve(lx_State *L, lxO_string *s)
{
    if (s->gidx == LXG_DEFERRED || (s->gidx >= 0 && L->globals[s->gidx].deferred)) lxG_load_deferred(L);
}

lx_Value lxG_get(lx_State *L, const char *name)
{
    lxO_string *s = lxS_cstr(L, name);
    resolve(L, s);
    if (s->gidx < 0) {
        lx_Value u;
        u.tag = LX_TUNDEF;
        u.v.i = 0;
        return u;
    }
    return L->globals[s->gidx].v;
}

void lxG_set(lx_State *L, const char *name, lx_Value v)
{
    lxO_string *s = lxS_cstr(L, name);
    resolve(L, s);
    int i = lxG_index(L, s);
    L->globals[i].v = v;
}

/* The tag of a global that was undefined at the mark: only defining it during the step makes it
 * the step's (a user's global that exists already is never retagged). */
static const char lxG_pending[] = "(pending)";

int lxG_mark(lx_State *L)
{
    for (int i = 0; i < L->nglobals; i++) {
        lxG_global *g = &L->globals[i];
        if (!g->module && g->v.tag == LX_TUNDEF) g->module = lxG_pending;
    }
    return L->nglobals;
}

void lxG_tag(lx_State *L, int mark, const char *module)
{
    for (int i = 0; i < L->nglobals; i++) {
        lxG_global *g = &L->globals[i];
        bool defined = g->v.tag != LX_TUNDEF;
        if (g->module == lxG_pending)
            g->module = defined ? module : NULL;
        else if (i >= mark && !g->module && defined)
            g->module = module;
    }
}
