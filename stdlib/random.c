/* random.c — random numbers (spec §5): `Xoshiro`, lx's own Xoshiro256++
 * stream (nn/rng.c: the same seed gives the same numbers on every machine,
 * not Julia's bits), the state's default generator (`Random.default_rng`,
 * `Random.seed!`), rand, randn, rand!, randn!, randperm, shuffle.  A
 * generator is an AbstractRNG value whose C-owned bytes are an nn_rng.
 */
#include "tensor.h"

#include <string.h>
#include <time.h>

#define DEFAULT_RNG "__default_rng" /* a hidden global, so the collector keeps it */

static lxO_type *xoshiro_type(lx_State *L)
{
    return lxO_as(lxO_type, lxG_get(L, "Xoshiro"));
}

static bool is_rng(lx_State *L, lx_Value v)
{
    return lxO_is(v, LXO_CDATA) && v.v.o->type == xoshiro_type(L);
}

static nn_rng *rng_of(lx_Value v)
{
    return (nn_rng *)lxO_as(lxO_cdata, v)->data;
}

static lx_Value rng_new(lx_State *L, const nn_rng *state)
{
    lxO_cdata *c = lxO_cdata_new(L, xoshiro_type(L), sizeof(nn_rng));
    memcpy(c->data, state, sizeof(nn_rng));
    return lxO_obj(c);
}

/* A seed for generators made without one: the clock and the state's address, as Julia seeds from the system.
 */
static uint64_t fresh_seed(lx_State *L)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (uint64_t)ts.tv_sec * 1000000007u ^ (uint64_t)ts.tv_nsec ^ (uint64_t)(uintptr_t)L ^
           (uint64_t)clock();
}

static uint64_t seed_arg(lx_State *L, lx_Value v, const char *fname)
{
    if (v.tag == LX_TINT) return (uint64_t)v.v.i;
    if (v.tag == LX_TBOOL) return v.v.b;
    lxE_error(L, LXT_TypeError, "%s: the seed must be an integer, got a value of type %s", fname,
              lxT_name(lxT_typeof(L, v)));
}

static lx_Value default_rng(lx_State *L)
{
    lx_Value r = lxG_get(L, DEFAULT_RNG);
    if (!is_rng(L, r)) { /* a user rebound it: make a new one */
        nn_rng s;
        nn_rng_seed(&s, fresh_seed(L));
        r = rng_new(L, &s);
        lxG_set(L, DEFAULT_RNG, r);
    }
    return r;
}

/* The generator argument, if the first argument is one (advances *k past it). */
static lx_Value rng_arg(lx_State *L, lx_Value *a, int n, int *k, const char *fname)
{
    if (n > *k && lxT_isa(L, a[*k], L->T[LXT_AbstractRNG])) {
        if (!is_rng(L, a[*k]))
            lxE_error(L, LXT_TypeError, "%s: lx draws only from its own generators (Xoshiro), got a %s",
                      fname, lxT_name(lxT_typeof(L, a[*k])));
        return a[(*k)++];
    }
    return default_rng(L);
}

nn_rng *lxL_checkrng(lx_State *L, lx_Value v, const char *fname)
{
    if (!is_rng(L, v))
        lxE_error(L, LXT_TypeError,
                  "%s: expected a random number generator (Xoshiro), got a value of type %s", fname,
                  lxT_name(lxT_typeof(L, v)));
    return rng_of(v);
}

/* ---- generators ---------------------------------------------------------------------------------- */

/* Xoshiro(seed), Xoshiro() (seeded from the clock), Xoshiro(s0, s1, s2, s3) (a state, as show writes it). */
static lx_Value r_xoshiro(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    nn_rng s;
    if (n == 0) {
        nn_rng_seed(&s, fresh_seed(L));
    } else if (n == 1) {
        nn_rng_seed(&s, seed_arg(L, a[0], "Xoshiro"));
    } else if (n == 4) {
        for (int i = 0; i < 4; i++)
            s.s[i] = seed_arg(L, a[i], "Xoshiro");
        if (!(s.s[0] | s.s[1] | s.s[2] | s.s[3]))
            lxE_error(L, LXT_ArgumentError, "Xoshiro: the state may not be all zeros");
    } else {
        lxE_error(L, LXT_ArgumentError,
                  "Xoshiro: give a seed, nothing, or the four state words (got %d arguments)", n);
    }
    return rng_new(L, &s);
}

static lx_Value r_default_rng(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return default_rng(L);
}

/* seed!(seed), seed!(rng, seed), seed!() and seed!(rng) (a fresh seed from the clock); returns the generator.
 */
static lx_Value r_seed(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    int k = 0;
    lx_Value r = rng_arg(L, a, n, &k, "seed!");
    if (n - k > 1) lxE_error(L, LXT_ArgumentError, "seed!: one seed at most, got %d arguments", n - k);
    nn_rng_seed(rng_of(r), k < n ? seed_arg(L, a[k], "seed!") : fresh_seed(L));
    return r;
}

static lx_Value r_copy(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return rng_new(L, rng_of(a[0]));
}

/* Xoshiro(s0, s1, s2, s3): the state, which Xoshiro(...) reads back (Julia shows its state in hex). */
static lx_Value r_show(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const nn_rng *s = rng_of(a[n - 1]);
    char buf[160];
    int len = snprintf(buf, sizeof buf, "Xoshiro(%lld, %lld, %lld, %lld)", (long long)s->s[0],
                       (long long)s->s[1], (long long)s->s[2], (long long)s->s[3]);
    lxL_iowrite(L, n == 2 ? a[0] : lxG_get(L, "stdout"), buf, (size_t)len);
    return lxO_nothing();
}

/* ---- drawing ------------------------------------------------------------------------------------ */

static float uniform_f32(nn_rng *r)
{
    return (float)(nn_rng_next(r) >> 40) * 0x1.0p-24f; /* as nn_rand: never rounds up to 1 */
}

/* One number of dt: uniform in [0, 1) for floats, any value for integers and Bool; normal: N(0, 1). */
static lx_Value draw_number(lx_State *L, nn_rng *r, nn_dtype dt, bool normal)
{
    switch (dt) {
    case NN_F32: return lxO_f32(normal ? (float)nn_rng_normal(r) : uniform_f32(r));
    case NN_F64: return lxO_f64(normal ? nn_rng_normal(r) : nn_rng_uniform(r));
    case NN_I32: return lxO_int((int32_t)(uint32_t)(nn_rng_next(r) >> 32));
    case NN_I64: return lxO_int((int64_t)nn_rng_next(r));
    case NN_BOOL: return lxO_bool(nn_rng_next(r) >> 63);
    default: break;
    }
    lxE_error(L, LXT_ErrorException, "internal error: rand of an unknown element type");
}

/* Fills t (CPU, untracked) in place. */
static void fill_random(lx_State *L, nn_tensor *t, nn_rng *r, bool normal)
{
    nn_tensor *src = NULL;
    if (nn_dtype_is_float(t->dtype)) {
        nn_status s = normal ? nn_randn(L->nn, &src, r, t->dtype, t->ndim, t->shape)
                             : nn_rand(L->nn, &src, r, t->dtype, t->ndim, t->shape);
        lxL_nncheck(L, s);
        s = nn_copy_(L->nn, t, src);
        nn_release(src);
        lxL_nncheck(L, s);
        return;
    }
    void *d = nn_data(t);
    for (int64_t i = 0; i < t->numel; i++) {
        uint64_t u = nn_rng_next(r);
        switch (t->dtype) {
        case NN_I32: ((int32_t *)d)[i] = (int32_t)(uint32_t)(u >> 32); break;
        case NN_I64: ((int64_t *)d)[i] = (int64_t)u; break;
        default: ((uint8_t *)d)[i] = (uint8_t)(u >> 63); break;
        }
    }
    nn_bump_version(t);
}

static lx_Value random_tensor(lx_State *L, nn_rng *r, nn_dtype dt, lx_Value *dims, int ndims, bool normal,
                              const char *fname)
{
    int64_t shape[NN_MAX_DIMS];
    int nd = lxL_shape(L, dims, ndims, shape, fname);
    nn_tensor *t = NULL;
    if (nn_dtype_is_float(dt)) {
        nn_status s = normal ? nn_randn(L->nn, &t, r, dt, nd, shape) : nn_rand(L->nn, &t, r, dt, nd, shape);
        return lxL_result(L, s, &t);
    }
    lx_Value v = lxL_result(L, nn_empty(L->nn, &t, dt, nd, shape), &t);
    fill_random(L, t, r, false);
    return v;
}

static int64_t coll_length(lx_State *L, lx_Value c)
{
    if (lxO_is(c, LXO_LIST)) return (int64_t)lxO_as(lxO_list, c)->n;
    if (lxO_is(c, LXO_TUPLE)) return lxO_as(lxO_tuple, c)->n;
    if (lxO_is(c, LXO_RANGE)) return lxO_as(lxO_range, c)->len;
    if (lxL_istensor(c)) return lxL_tval(c)->numel;
    return -1;
}

static lx_Value coll_at(lx_State *L, lx_Value c, int64_t i)
{
    if (lxO_is(c, LXO_LIST)) return lxO_as(lxO_list, c)->items[i];
    if (lxO_is(c, LXO_TUPLE)) return lxO_as(lxO_tuple, c)->items[i];
    if (lxO_is(c, LXO_RANGE)) return lxO_range_at(lxO_as(lxO_range, c), i);
    nn_tensor *t = lxL_tval(c);
    if (t->dtype == NN_I64) return lxO_int(((const int64_t *)nn_data(t))[i]);
    return lxL_elem(L, t, i);
}

/* rand(c), rand(c, dims...): elements of a List, Tuple, Range or tensor picked uniformly
 * (several: a tensor by the literal rule, of c's element type for a tensor). */
static lx_Value draw_from(lx_State *L, nn_rng *r, lx_Value c, lx_Value *dims, int ndims)
{
    int64_t len = coll_length(L, c);
    if (len == 0) lxE_error(L, LXT_ArgumentError, "rand: the collection is empty");
    if (lxL_istensor(c) && nn_tensor_device(lxL_tval(c)) != NN_CPU)
        lxE_error(L, LXT_ArgumentError, "rand: the tensor is on the GPU: move it with cpu_device() first");
    if (ndims == 0) return coll_at(L, c, (int64_t)nn_rng_below(r, (uint64_t)len));
    int64_t shape[NN_MAX_DIMS];
    int nd = lxL_shape(L, dims, ndims, shape, "rand");
    int64_t total = 1;
    for (int d = 0; d < nd; d++)
        total *= shape[d];
    if (lxL_istensor(c)) {
        nn_tensor *src = lxL_tval(c), *t = NULL;
        lx_Value v = lxL_result(L, nn_empty(L->nn, &t, src->dtype, nd, shape), &t);
        size_t es = nn_dtype_size(src->dtype);
        for (int64_t i = 0; i < total; i++)
            memcpy((char *)nn_data(t) + i * es,
                   (const char *)nn_data(src) + nn_rng_below(r, (uint64_t)len) * es, es);
        return v;
    }
    lxO_list *l = lxO_list_new(L, (size_t)total);
    int mark = lxV_root(L, lxO_obj(l));
    for (int64_t i = 0; i < total; i++)
        lxO_list_push(L, l, coll_at(L, c, (int64_t)nn_rng_below(r, (uint64_t)len)));
    lx_Value res = lxL_callg(L, "__collect", (lx_Value[]){lxO_obj(l)}, 1); /* the literal rule */
    lxV_unroot(L, mark);
    if (nd == 1) return res;
    if (!lxL_istensor(res))
        lxE_error(L, LXT_ArgumentError, "rand: %d dimensions need numbers to make a tensor of", nd);
    nn_tensor *t = NULL;
    return lxL_result(L, nn_reshape(L->nn, &t, lxL_tval(res), nd, shape), &t);
}

/* rand([rng], [T], [dims...]) and rand([rng], c, [dims...]); randn([rng], [T], [dims...]). */
static lx_Value draw(lx_State *L, lx_Value *a, int n, bool normal)
{
    const char *fname = normal ? "randn" : "rand";
    int k = 0;
    lx_Value rv = rng_arg(L, a, n, &k, fname);
    nn_rng *r = rng_of(rv);
    bool typed = false;
    nn_dtype dt = NN_F32;
    if (k < n && lxO_is(a[k], LXO_TYPE)) {
        if (!lxL_dtype_of(L, a[k], &dt))
            lxE_error(L, LXT_ArgumentError,
                      "%s: cannot draw values of type %s (Float32, Float64, Int64, Int32 or Bool)", fname,
                      lxT_name(lxO_as(lxO_type, a[k])));
        typed = true;
        k++;
    }
    if (normal && !nn_dtype_is_float(dt))
        lxE_error(L, LXT_ArgumentError, "randn: normal values need a float type, got %s", nn_dtype_name(dt));
    if (k == n) return draw_number(L, r, typed ? dt : NN_F64, normal); /* rand() is a Float64, as Julia's */
    if (!typed && !normal && coll_length(L, a[k]) >= 0) return draw_from(L, r, a[k], a + k + 1, n - k - 1);
    return random_tensor(L, r, dt, a + k, n - k, normal, fname);
}

static lx_Value r_rand(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return draw(L, a, n, false);
}

static lx_Value r_randn(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return draw(L, a, n, true);
}

/* rand!([rng], x), randn!([rng], x): x refilled in place; returns x. */
static lx_Value refill(lx_State *L, lx_Value *a, int n, bool normal)
{
    const char *fname = normal ? "randn!" : "rand!";
    int k = 0;
    lx_Value rv = rng_arg(L, a, n, &k, fname);
    if (k != n - 1 || !lxL_istensor(a[k]))
        lxE_error(L, LXT_ArgumentError, "%s: give a tensor to fill (and a generator before it)", fname);
    nn_tensor *t = lxL_tval(a[k]);
    lxL_liftcheck(L, fname);
    if (nn_is_tracked(t))
        lxE_error(L, LXT_ErrorException, "%s: cannot refill a tensor that gradient is tracking", fname);
    if (normal && !nn_dtype_is_float(t->dtype))
        lxE_error(L, LXT_ArgumentError, "randn!: normal values need a float tensor, got %s",
                  nn_dtype_name(t->dtype));
    if (nn_tensor_device(t) != NN_CPU && !nn_dtype_is_float(t->dtype))
        lxE_error(L, LXT_ArgumentError, "%s: the tensor is on the GPU: move it with cpu_device() first",
                  fname);
    fill_random(L, t, rng_of(rv), normal);
    return a[k];
}

static lx_Value r_rand_(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return refill(L, a, n, false);
}

static lx_Value r_randn_(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return refill(L, a, n, true);
}

/* randperm([rng], n): a random permutation of 1:n as an Int64 vector. */
static lx_Value r_randperm(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    int k = 0;
    lx_Value rv = rng_arg(L, a, n, &k, "randperm");
    if (k != n - 1) lxE_error(L, LXT_ArgumentError, "randperm: give the length (and a generator before it)");
    int64_t len = lxL_int(L, a, k, "randperm");
    nn_tensor *t = NULL;
    return lxL_result(L, nn_randperm(L->nn, &t, rng_of(rv), len), &t);
}

/* Fisher–Yates from the top (as Julia's shuffle!), on n elements of size es at d. */
static void shuffle_bytes(nn_rng *r, void *d, int64_t n, size_t es)
{
    char tmp[16];
    for (int64_t i = n - 1; i > 0; i--) {
        int64_t j = (int64_t)nn_rng_below(r, (uint64_t)i + 1);
        memcpy(tmp, (char *)d + i * es, es);
        memcpy((char *)d + i * es, (char *)d + j * es, es);
        memcpy((char *)d + j * es, tmp, es);
    }
}

/* shuffle([rng], x) (a shuffled copy) and shuffle!([rng], x) (in place) of a tensor's elements (all of
 * them, in linear order, as Julia) or a List's; a Range gives a shuffled vector. */
static lx_Value shuffle(lx_State *L, lx_Value *a, int n, bool inplace)
{
    const char *fname = inplace ? "shuffle!" : "shuffle";
    int k = 0;
    lx_Value rv = rng_arg(L, a, n, &k, fname);
    if (k != n - 1)
        lxE_error(L, LXT_ArgumentError, "%s: give the collection (and a generator before it)", fname);
    nn_rng *r = rng_of(rv);
    lx_Value x = a[k];
    if (lxO_is(x, LXO_RANGE) && !inplace) x = lxL_callg(L, "collect", &x, 1);
    if (lxL_istensor(x)) {
        nn_tensor *t = lxL_tval(x);
        lxL_liftcheck(L, fname);
        if (nn_tensor_device(t) != NN_CPU)
            lxE_error(L, LXT_ArgumentError, "%s: the tensor is on the GPU: move it with cpu_device() first",
                      fname);
        if (inplace && nn_is_tracked(t))
            lxE_error(L, LXT_ErrorException, "shuffle!: cannot shuffle a tensor that gradient is tracking");
        lx_Value res = x;
        if (!inplace && x.v.o == a[k].v.o) {
            nn_tensor *c = NULL;
            res = lxL_result(L, nn_empty(L->nn, &c, t->dtype, t->ndim, t->shape), &c);
            memcpy(nn_data(c), nn_data(t), (size_t)t->numel * nn_dtype_size(t->dtype));
            t = c;
        }
        shuffle_bytes(r, nn_data(t), t->numel, nn_dtype_size(t->dtype));
        nn_bump_version(t);
        return res;
    }
    if (lxO_is(x, LXO_LIST)) {
        lxO_list *src = lxO_as(lxO_list, x), *l = src;
        if (!inplace) {
            l = lxO_list_new(L, src->n);
            for (size_t i = 0; i < src->n; i++)
                lxO_list_push(L, l, src->items[i]);
        }
        shuffle_bytes(r, l->items, (int64_t)l->n, sizeof(lx_Value));
        return lxO_obj(l);
    }
    lxE_error(L, LXT_ArgumentError, "%s: cannot shuffle a %s (a tensor, List%s)", fname,
              lxT_name(lxT_typeof(L, x)), inplace ? "" : " or Range");
}

static lx_Value r_shuffle(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return shuffle(L, a, n, false);
}

static lx_Value r_shuffle_(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return shuffle(L, a, n, true);
}

/* ---- registration -------------------------------------------------------------------------------- */

#define EX(body) "\n\n# Examples\n```\n" body "```"

static const lxL_Reg random_lib[] = {
    {"Xoshiro", "(args...)", r_xoshiro,
     "    Xoshiro(seed)\n    Xoshiro()\n\nA random number generator: lx's own Xoshiro256++ stream, seeded "
     "through SplitMix64, so a seed gives the same numbers on every machine (not the numbers Julia's Xoshiro "
     "gives). Without a seed it starts from the clock. It shows as `Xoshiro(s0, s1, s2, s3)`, its state, "
     "which `Xoshiro(s0, s1, s2, s3)` reads back; `copy(rng)` is an independent copy of the stream."
     "\n\n# Arguments\n- `seed`: an integer (a Bool counts); left out, a seed from the clock.\n- `s0, s1, "
     "s2, s3`: four integers, a state as the generator shows it (not all zero).\n\n# Returns\nA new "
     "`Xoshiro`, an `AbstractRNG`." EX(
         "lx> rng = Xoshiro(42);\n\nlx> rand(rng) == rand(Xoshiro(42))\ntrue\n\nlx> rng isa "
         "AbstractRNG\ntrue\n\nlx> Xoshiro(1, 2, 3, 4)\nXoshiro(1, 2, 3, 4)\n\nlx> (rng = Xoshiro(1, 2, 3, "
         "4),)\n(rng = Xoshiro(1, 2, 3, 4),)\n")},
    {"default_rng", "()", r_default_rng,
     "    Random.default_rng()\n\nThe state's default generator, which `rand`, `randn`, ... draw from when "
     "given none; seeded from the clock when the state opens, reseeded by `Random.seed!(seed)`."
     "\n\n# Returns\nThe default `Xoshiro` itself (not a copy): drawing from it advances the stream `rand()` "
     "uses." EX("lx> Random.seed!(1); a = rand(); Random.seed!(1); a == rand(Random.default_rng())\ntrue\n")},
    {"seed!", "(args...)", r_seed,
     "    Random.seed!(seed)\n    Random.seed!(rng, seed)\n\nReseeds the default generator (or rng) so that "
     "what follows is reproducible; without a seed, from the clock. Returns the generator."
     "\n\n# Arguments\n- `rng`: a generator (`Xoshiro`); `Random.default_rng()` when left out.\n- `seed`: an "
     "integer; left out, a seed from the clock.\n\n# Returns\nThe generator, reseeded." EX(
         "lx> Random.seed!(7); x = randn(3);\n\nlx> Random.seed!(7); x == randn(3)\ntrue\n")},
    {"copy", "(rng::Xoshiro)", r_copy, ""},
    {"show", "(rng::Xoshiro)", r_show, ""},
    {"show", "(io::IO, rng::Xoshiro)", r_show, ""},
    {"rand", "(args...)", r_rand,
     "    rand([rng], [T], [dims...])\n    rand([rng], collection, [dims...])\n\nUniform random numbers: one "
     "Float64 in [0, 1) for `rand()` (as Julia), a number of type T for `rand(T)`, a tensor of the given "
     "size "
     "otherwise (Float32 unless T is given; integer and Bool types draw any value). With a List, Tuple, "
     "Range "
     "or tensor, a random element of it (several: a tensor by the literal rule). rng defaults to "
     "`Random.default_rng()`."
     "\n\n# Arguments\n- `rng`: a generator (`Xoshiro`); `Random.default_rng()` when left out.\n- `T`: the "
     "element type: Float32, Float64, Int64, Int32 or Bool (Float32 for a tensor when left out, Float64 for "
     "`rand()`).\n- `dims...`: the size, as integers or one tuple; left out, one number.\n- `collection`: a "
     "List, Tuple, Range or tensor (non-empty) to pick elements of.\n\n# Returns\nA number of type T; a new "
     "tensor of size dims; or an element of the collection (with dims, a tensor of them, or a List when they "
     "are not numbers)." EX("lx> rng = Xoshiro(0);\n\nlx> size(rand(rng, Float32, 3, 4))\n(3, "
                            "4)\n\nlx> 0 <= rand(rng) < 1\ntrue\n\nlx> rand(rng, 1:6) in 1:6\ntrue\n")},
    {"randn", "(args...)", r_randn,
     "    randn([rng], [T], [dims...])\n\nStandard normal random numbers (mean 0, variance 1): a Float64 for "
     "`randn()`, a tensor of the given size otherwise (Float32 unless T is Float64)."
     "\n\n# Arguments\n- `rng`: a generator (`Xoshiro`); `Random.default_rng()` when left out.\n- `T`: the "
     "element type: Float32 or Float64 (Float32 for a tensor when left out, Float64 for `randn()`).\n- "
     "`dims...`: the size, as integers or one tuple; left out, one number.\n\n# Returns\nA number of type T, "
     "or a new tensor of size dims." EX("lx> x = randn(Xoshiro(1), 1000); abs(sum(x) / 1000) < 0.2\ntrue\n")},
    {"rand!", "(args...)", r_rand_,
     "    rand!([rng], x)\n\nRefills the tensor x with uniform random numbers (of its element type), in "
     "place; "
     "returns x."
     "\n\n# Arguments\n- `rng`: a generator (`Xoshiro`); `Random.default_rng()` when left out.\n- `x`: the "
     "tensor to fill (any element type; not one `gradient` is tracking).\n\n# Returns\nx, mutated: floats "
     "uniform in [0, 1), integers and Bools any value." EX(
         "lx> x = zeros(2); rand!(Xoshiro(3), x); all(v -> 0 <= v < 1, List(x))\ntrue\n")},
    {"randn!", "(args...)", r_randn_,
     "    randn!([rng], x)\n\nRefills the float tensor x with standard normal random numbers, in place; "
     "returns "
     "x."
     "\n\n# Arguments\n- `rng`: a generator (`Xoshiro`); `Random.default_rng()` when left out.\n- `x`: the "
     "float tensor to fill (not one `gradient` is tracking).\n\n# Returns\nx, mutated." EX(
         "lx> x = zeros(3); randn!(Xoshiro(3), x) === x\ntrue\n")},
    {"randperm", "(args...)", r_randperm,
     "    randperm([rng], n)\n\nA random permutation of 1:n, as an Int64 vector."
     "\n\n# Arguments\n- `rng`: a generator (`Xoshiro`); `Random.default_rng()` when left out.\n- `n`: an "
     "integer, the length.\n\n# Returns\nA new Int64 vector (a 1-d tensor) holding each of 1:n once." EX(
         "lx> sort(List(randperm(Xoshiro(5), 4)))\n4-element List:\n 1\n 2\n 3\n 4\n")},
    {"shuffle", "(args...)", r_shuffle,
     "    shuffle([rng], x)\n\nA copy of the tensor (all its elements, in linear order) or List x in random "
     "order; "
     "a Range gives a shuffled vector."
     "\n\n# Arguments\n- `rng`: a generator (`Xoshiro`); `Random.default_rng()` when left out.\n- `x`: a "
     "tensor (on the CPU), a List or a Range.\n\n# Returns\nA new tensor of x's size and element type, or a "
     "new List; x is left as it is." EX(
         "lx> sort(List(shuffle(Xoshiro(2), [1, 2, 3])))\n3-element List:\n 1\n "
         "2\n 3\n")},
    {"shuffle!", "(args...)", r_shuffle_,
     "    shuffle!([rng], x)\n\nShuffles the tensor or List x in place; returns x."
     "\n\n# Arguments\n- `rng`: a generator (`Xoshiro`); `Random.default_rng()` when left out.\n- `x`: a "
     "tensor (on the CPU, not one `gradient` is tracking) or a List.\n\n# Returns\nx, mutated." EX(
         "lx> l = Any[1, 2, 3]; shuffle!(Xoshiro(2), l) === l\ntrue\n")},
    {NULL, NULL, NULL, NULL}};

void lxL_open_random(lx_State *L)
{
    lxO_type *t = lxT_new(L, lxS_cstr(L, "Xoshiro"), L->T[LXT_AbstractRNG], false);
    t->builtin = true;
    lxG_set(L, "Xoshiro", lxO_obj(t));
    nn_rng s;
    nn_rng_seed(&s, fresh_seed(L));
    lxG_set(L, DEFAULT_RNG, rng_new(L, &s));
    lxL_register(L, random_lib);
    lxL_setdoc(L, "AbstractRNG",
               "    AbstractRNG\n\nThe supertype of random number generators; lx's is `Xoshiro`. Functions "
               "that take "
               "a generator first (`rand(rng, ...)`, Lux's `setup(rng, model)`) accept any of them.\n\n# "
               "Examples\n```\nlx> Xoshiro(1) isa AbstractRNG\ntrue\n```");
}
