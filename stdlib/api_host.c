/* api_host.c — the embedding API's tensors and C functions.  A host's tensor is an nn tensor made
 * from its buffer (copied, or borrowed in place with a release callback) and read back as a
 * pointer without a copy.  A host's C function becomes a C method of a generic function through
 * lxL_addcmethod, so it takes part in dispatch and help like any built-in; the trampoline
 * host_call gives it a frame of its own on the host stack (interp/api_stack.c).
 */
#include "tensor.h"

#include <string.h>

/* ---- tensors ----------------------------------------------------------------------------------- */

static bool nn_dtype_for(lx_DType d, nn_dtype *out)
{
    switch (d) {
    case LX_FLOAT32: *out = NN_F32; return true;
    case LX_FLOAT64: *out = NN_F64; return true;
    case LX_INT32: *out = NN_I32; return true;
    case LX_INT64: *out = NN_I64; return true;
    case LX_BOOL: *out = NN_BOOL; return true;
    default: return false;
    }
}

static lx_DType lx_dtype_for(nn_dtype d)
{
    switch (d) {
    case NN_F32: return LX_FLOAT32;
    case NN_F64: return LX_FLOAT64;
    case NN_I32: return LX_INT32;
    case NN_I64: return LX_INT64;
    default: return LX_BOOL;
    }
}

typedef struct {
    const char *fname;
    lx_DType dtype;
    int ndim;
    const int64_t *shape;
    void *data;
    bool borrow;
    lx_Release release;
    void *ud;
    bool handed; /* release now belongs to nn (it calls it on failure, or when the storage dies) */
} tensorinfo;

/* The checks a host's description gets before nn sees it: ArgumentErrors naming what is wrong. */
static void check_tensor(lx_State *L, const tensorinfo *ti, nn_dtype *dt)
{
    if (!nn_dtype_for(ti->dtype, dt))
        lxE_error(L, LXT_ArgumentError, "%s: %d is not a dtype (LX_FLOAT32 ... LX_BOOL)", ti->fname,
                  (int)ti->dtype);
    if (ti->ndim < 0 || ti->ndim > LX_MAX_DIMS)
        lxE_error(L, LXT_ArgumentError, "%s: %d dimensions; a tensor has 0 to %d", ti->fname, ti->ndim,
                  LX_MAX_DIMS);
    if (ti->ndim && !ti->shape)
        lxE_error(L, LXT_ArgumentError, "%s: no shape for %d dimensions", ti->fname, ti->ndim);
    int64_t numel = 1;
    size_t esize = nn_dtype_size(*dt);
    for (int i = 0; i < ti->ndim; i++) {
        if (ti->shape[i] < 0)
            lxE_error(L, LXT_ArgumentError, "%s: size %lld in dimension %d is negative", ti->fname,
                      (long long)ti->shape[i], i + 1);
        if (ti->shape[i] && numel > (int64_t)(PTRDIFF_MAX / esize) / ti->shape[i])
            lxE_error(L, LXT_ArgumentError, "%s: the shape's %d sizes multiply past what memory can hold",
                      ti->fname, ti->ndim);
        numel *= ti->shape[i];
    }
    if (ti->borrow && numel && !ti->data)
        lxE_error(L, LXT_ArgumentError, "%s: NULL data for %lld elements", ti->fname, (long long)numel);
    if (ti->borrow && (uintptr_t)ti->data % esize)
        lxE_error(L, LXT_ArgumentError, "%s: data at %p is not aligned for %s (a multiple of %zu bytes)",
                  ti->fname, ti->data, nn_dtype_name(*dt), esize);
}

static void pushtensor_body(lx_State *L, void *ud)
{
    tensorinfo *ti = ud;
    nn_dtype dt;
    check_tensor(L, ti, &dt);
    lxH_reserve(L, 1);
    nn_tensor *t = NULL;
    nn_status st;
    if (ti->borrow) {
        ti->handed = true;
        st = nn_from_external(L->nn, &t, dt, ti->ndim, ti->shape, ti->data, ti->release, ti->ud);
    } else if (ti->data) {
        st = nn_from_data(L->nn, &t, dt, ti->ndim, ti->shape, ti->data);
    } else {
        st = nn_zeros(L->nn, &t, dt, ti->ndim, ti->shape);
    }
    lx_Value v = lxL_result(L, st, &t); /* a wrapper that cannot be made releases t */
    lxH_push(L, v);
}

lx_Status lx_pushtensor(lx_State *L, lx_DType dtype, int ndim, const int64_t *shape, const void *data)
{
    tensorinfo ti = {"lx_pushtensor", dtype, ndim, shape, (void *)data, false, NULL, NULL, false};
    return lxH_protect(L, pushtensor_body, &ti);
}

lx_Status lx_pushtensor_borrow(lx_State *L, lx_DType dtype, int ndim, const int64_t *shape, void *data,
                               lx_Release release, void *ud)
{
    tensorinfo ti = {"lx_pushtensor_borrow", dtype, ndim, shape, data, true, release, ud, false};
    lx_Status st = lxH_protect(L, pushtensor_body, &ti);
    if (st != LX_OK && !ti.handed && release) release(ud, data);
    return st;
}

int lx_totensor(lx_State *L, int idx, lx_Tensor *t)
{
    const lx_Value *s = lxH_slot(L, idx);
    if (!s || !lxL_istensor(*s)) return 0;
    const nn_tensor *x = lxL_tval(*s);
    if (nn_tensor_device(x) != NN_CPU) return 0;
    if (t) {
        memset(t, 0, sizeof *t);
        t->dtype = lx_dtype_for(x->dtype);
        t->ndim = x->ndim;
        memcpy(t->shape, x->shape, (size_t)x->ndim * sizeof *x->shape);
        t->numel = x->numel;
        t->data = nn_data(x);
    }
    return 1;
}

/* ---- C functions ------------------------------------------------------------------------------- */

/* What a host function's method keeps (in a CDATA, its method's data). */
typedef struct {
    lx_CFunction fn;
    void *ud;
} hostfn;

/* The method of every host function: runs it in a frame of its own, takes its result. */
static lx_Value host_call(lx_State *L, lx_Value *args, int nargs, lx_Value kw)
{
    hostfn h;
    memcpy(&h, lxO_as(lxO_cdata, L->cself)->data, sizeof h);
    lx_Value res;
    int npushed = 0;
    int r = lxH_callhost(L, h.fn, h.ud, args, nargs, kw, &res, 1, &npushed);
    if (r == 0) return lxO_nothing();
    const char *name = lxV_frameat(L, L->nframes - 1)->cname->data; /* its C frame, precall's */
    if (r == 1 && npushed < 1)
        lxE_error(L, LXT_ErrorException, "the C function %s returned 1 but pushed no result", name);
    if (r != 1)
        lxE_error(L, LXT_ErrorException,
                  "the C function %s returned %d: it returns 1 with its result pushed, or 0 for nothing",
                  name, r);
    return res;
}

bool lxL_ishostmethod(const lxO_method *m)
{
    return m->cfn == host_call;
}

typedef struct {
    const char *name, *sig, *doc;
    lx_CFunction fn;
    void *ud;
} reginfo;

static void register_body(lx_State *L, void *ud)
{
    reginfo *ri = ud;
    lx_Value old = lxG_get(L, ri->name); /* loads the layers library first if the name is theirs */
    if (old.tag != LX_TUNDEF && !lxO_is(old, LXO_GENERIC) && !lxO_is(old, LXO_TYPE))
        lxE_error(L, LXT_ArgumentError, "lx_register: `%s` is already a %s, not a function", ri->name,
                  lxT_name(lxT_typeof(L, old)));
    lxO_cdata *c = lxO_cdata_new(L, L->T[LXT_Any], sizeof(hostfn));
    hostfn h = {ri->fn, ri->ud};
    memcpy(c->data, &h, sizeof h);
    lxL_addcmethod(L, ri->name, ri->sig, host_call, lxO_obj(c),
                   ri->doc); /* no collection before it holds c */
}

/* A signature is one parenthesised list with nothing after it (parse_sig skips what precedes "("). */
static bool sig_shape_ok(const char *sig)
{
    size_t n = strlen(sig);
    while (n && sig[n - 1] == ' ')
        n--;
    size_t i = 0;
    while (sig[i] == ' ')
        i++;
    if (i >= n || sig[i] != '(' || sig[n - 1] != ')') return false;
    int depth = 0;
    for (size_t k = i; k < n; k++) {
        depth += sig[k] == '(';
        depth -= sig[k] == ')';
        if (depth == 0 && k != n - 1) return false;
    }
    return depth == 0;
}

static bool name_ok(const char *name)
{
    if (!name[0] || strlen(name) > 200) return false;
    for (const char *p = name; *p; p++)
        if ((unsigned char)*p <= ' ' || strchr("()[]{},;.\"'`#", *p)) return false;
    return true;
}

static void fail_body(lx_State *L, void *ud)
{
    lxE_error(L, LXT_ArgumentError, "%s", (const char *)ud);
}

lx_Status lx_register(lx_State *L, const char *name, const char *sig, lx_CFunction fn, void *ud,
                      const char *doc)
{
    char msg[600];
    msg[0] = '\0';
    if (!name || !name_ok(name))
        snprintf(msg, sizeof msg, "lx_register: \"%s\" is not a name a function can have",
                 name ? name : "(NULL)");
    else if (!fn)
        snprintf(msg, sizeof msg, "lx_register: no C function given for %s", name);
    else if (sig && !sig_shape_ok(sig))
        snprintf(msg, sizeof msg,
                 "lx_register: the signature of %s, \"%.200s\", is not one list in parentheses", name, sig);
    if (msg[0]) return lxH_protect(L, fail_body, msg);
    reginfo ri = {name, sig ? sig : "(x)", doc, fn, ud};
    return lxH_protect(L, register_body, &ri);
}
