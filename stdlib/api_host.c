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

/* What a host function's method keeps (in a CDATA, the first item of its method's data). */
typedef struct {
    lx_CFunction fn;
    void *ud;
} hostfn;

/* The method data of a host function: (the CDATA of its hostfn, the keywords' defaults as a named
 * tuple or nothing, the required keywords as a tuple of symbols). */
enum { HOST_FN, HOST_DEFAULTS, HOST_REQUIRED, HOST_NDATA };

/* The keywords a call gives, with the defaults of those it does not; a required one missing is the
 * ArgumentError lx raises for its own functions. */
static lx_Value with_defaults(lx_State *L, lx_Value kw, lx_Value defaults, const lxO_tuple *required)
{
    lxO_ntuple *given = lxO_is(kw, LXO_NTUPLE) ? lxO_as(lxO_ntuple, kw) : NULL;
    for (int i = 0; i < required->n; i++)
        if (!given || lxO_ntuple_find(given, (lxO_string *)required->items[i].v.o) < 0)
            lxE_error(L, LXT_ArgumentError, "keyword argument `%s` is required but was not given",
                      ((lxO_string *)required->items[i].v.o)->data);
    if (!lxO_is(defaults, LXO_NTUPLE)) return kw;
    const lxO_ntuple *d = lxO_as(lxO_ntuple, defaults);
    int extra = 0;
    for (int i = 0; given && i < given->n; i++)
        extra += lxO_ntuple_find(d, given->names[i]) < 0;
    lxO_ntuple *m = lxO_ntuple_new(L, d->n + extra);
    for (int i = 0; i < d->n; i++) {
        int g = given ? lxO_ntuple_find(given, d->names[i]) : -1;
        m->names[i] = d->names[i];
        m->vals[i] = g >= 0 ? given->vals[g] : d->vals[i];
    }
    for (int i = 0, k = d->n; given && i < given->n; i++)
        if (lxO_ntuple_find(d, given->names[i]) < 0) {
            m->names[k] = given->names[i];
            m->vals[k++] = given->vals[i];
        }
    return lxO_obj(m);
}

/* The method of every host function: runs it in a frame of its own, takes its result. */
static lx_Value host_call(lx_State *L, lx_Value *args, int nargs, lx_Value kw)
{
    const lxO_tuple *data = lxO_as(lxO_tuple, L->cself);
    hostfn h;
    memcpy(&h, lxO_as(lxO_cdata, data->items[HOST_FN])->data, sizeof h);
    kw = with_defaults(L, kw, data->items[HOST_DEFAULTS], lxO_as(lxO_tuple, data->items[HOST_REQUIRED]));
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

/* ---- keyword defaults ------------------------------------------------------------------------ */

/* The text of a keyword parameter: its name, and its default expression (NULL when required). */
typedef struct {
    const char *name, *dflt;
    size_t namelen, dfltlen;
} kwparam;

/* Where a signature's top-level parts end: the next ',', ';' or ')' outside brackets and strings. */
static const char *part_end(const char *p)
{
    int depth = 0;
    for (; *p; p++) {
        if (*p == '"') {
            for (p++; *p && *p != '"'; p++)
                if (*p == '\\' && p[1]) p++;
            if (!*p) return p;
            continue;
        }
        if (depth == 0 && (*p == ',' || *p == ';' || *p == ')')) return p;
        depth += *p == '(' || *p == '[' || *p == '{';
        depth -= *p == ')' || *p == ']' || *p == '}';
    }
    return p;
}

/* One keyword parameter's text, s .. e: `name`, `name::T`, `name = expr`, `name::T = expr`, `rest...`
 * (false: a splat, no default of its own). */
static bool read_kwparam(const char *s, const char *e, kwparam *kp)
{
    while (s < e && *s == ' ')
        s++;
    while (e > s && e[-1] == ' ')
        e--;
    if (e - s >= 3 && !memcmp(e - 3, "...", 3)) return false;
    const char *n = s;
    while (n < e && *n != ':' && *n != '=' && *n != ' ')
        n++;
    kp->name = s;
    kp->namelen = (size_t)(n - s);
    kp->dflt = NULL;
    kp->dfltlen = 0;
    for (const char *q = n; q < e; q++)
        if (*q == '=' && q[1] != '=' && q[1] != '>') {
            kp->dflt = q + 1;
            kp->dfltlen = (size_t)(e - q - 1);
            break;
        }
    return kp->namelen > 0;
}

/* Evaluates the defaults of sig's keywords (once, at registration) into *defaults (a named tuple, or
 * nothing when there are none) and lists the required ones in *required. */
static void keyword_defaults(lx_State *L, const char *name, const char *sig, lx_Value *defaults,
                             lx_Value *required)
{
    const char *p = strchr(sig, '(');
    p = p ? p + 1 : sig;
    while (*p && *p != ';' && *p != ')') { /* past the positionals */
        p = part_end(p);
        if (*p == ',') p++;
    }
    lxW_buf src;
    lxW_init(L, &src);
    lxO_string *req[64];
    int nreq = 0, ndefaults = 0;
    while (*p == ';' || *p == ',') {
        const char *e = part_end(p + 1);
        kwparam kp;
        if (read_kwparam(p + 1, e, &kp)) {
            while (kp.dfltlen && kp.dflt[0] == ' ')
                kp.dflt++, kp.dfltlen--;
            if (kp.dflt && !kp.dfltlen)
                lxE_error(L, LXT_ArgumentError,
                          "lx_register: the keyword `%.*s` of %s has `=` and no default", (int)kp.namelen,
                          kp.name, name);
            if (kp.dflt) {
                lxW_printf(&src, "%s%.*s = (%.*s)", ndefaults ? ", " : "(", (int)kp.namelen, kp.name,
                           (int)kp.dfltlen, kp.dflt);
                ndefaults++;
            } else if (nreq < 64) {
                req[nreq++] = lxS_new(L, kp.name, kp.namelen);
            }
        }
        p = e;
    }
    lxO_tuple *r = lxO_tuple_new(L, nreq);
    for (int i = 0; i < nreq; i++)
        r->items[i] = lxO_sym(req[i]);
    *required = lxO_obj(r);
    if (!ndefaults) {
        lxW_free(&src);
        *defaults = lxO_nothing();
        return;
    }
    lxW_puts(&src, ",)");
    int mark = lxV_root(L, *required); /* the defaults run lx code: a collection may come */
    char chunk[300];
    snprintf(chunk, sizeof chunk, "the keyword defaults of %s", name);
    *defaults = lxK_dosource(L, src.s, src.len, chunk);
    lxV_unroot(L, mark);
    lxW_free(&src);
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
    lx_Value defaults, required;
    keyword_defaults(L, ri->name, ri->sig, &defaults, &required);
    /* from here on nothing runs lx code: no collection until the method holds its data */
    lxO_tuple *data = lxO_tuple_new(L, HOST_NDATA);
    data->items[HOST_DEFAULTS] = defaults;
    data->items[HOST_REQUIRED] = required;
    lxO_cdata *c = lxO_cdata_new(L, L->T[LXT_Any], sizeof(hostfn));
    hostfn h = {ri->fn, ri->ud};
    memcpy(c->data, &h, sizeof h);
    data->items[HOST_FN] = lxO_obj(c);
    lxL_addcmethod(L, ri->name, ri->sig, host_call, lxO_obj(data), ri->doc);
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

/* The global of that name, or NULL (looked up without interning anything). */
static lxG_global *global_named(lx_State *L, const char *name)
{
    for (int i = 0; i < L->nglobals; i++)
        if (!strcmp(L->globals[i].name->data, name)) return &L->globals[i];
    return NULL;
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
    lxG_global *g = global_named(L, name);
    bool had_value = g && g->v.tag != LX_TUNDEF;
    lx_Status st = lxH_protect(L, register_body, &ri);
    g = global_named(L, name);
    /* a registration that failed part-way may leave the function it made without methods */
    if (st != LX_OK && !had_value && g && lxO_is(g->v, LXO_GENERIC) && lxO_as(lxO_generic, g->v)->n == 0)
        g->v.tag = LX_TUNDEF;
    return st;
}
