/* test_complete.c — lx_complete, the prompt's tab completion: exact candidate
 * lists for names, keywords, macros, fields of named tuples and structs, a
 * module's members (tagged as each library opens, stdlib/init.c and
 * prelude.c), and words that must give nothing; and that a completion runs
 * no user code, writes nothing and leaves the state as it was.
 */
#include "tap.h"
#include "tensor.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static size_t written; /* bytes the state wrote */

static void count_writer(void *ud, int stream, const char *s, size_t n)
{
    (void)ud;
    (void)stream;
    (void)s;
    written += n;
}

/* The candidates, space-separated; checks that each came with its length. */
typedef struct {
    char text[65536];
    size_t len;
    bool badlen;
    int n;
} list;

static void add(void *ud, const char *s, size_t n)
{
    list *l = ud;
    l->badlen |= strlen(s) != n;
    if (l->len + n + 2 < sizeof l->text) {
        if (l->len) l->text[l->len++] = ' ';
        memcpy(l->text + l->len, s, n);
        l->len += n;
        l->text[l->len] = '\0';
    }
    l->n++;
}

static int complete(lx_State *L, const char *word, size_t len, int helpmode, list *l)
{
    memset(l, 0, sizeof *l);
    int n = lx_complete(L, word, len, helpmode, add, l);
    if (n != l->n) tap_diag("returned %d for %d candidates", n, l->n);
    return n;
}

/* The completions of word are exactly want (space-separated, "" for none). */
static void expect(lx_State *L, const char *word, int helpmode, const char *want)
{
    list l;
    int n = complete(L, word, strlen(word), helpmode, &l);
    bool ok = n == l.n && !l.badlen && !strcmp(l.text, want);
    if (!ok) tap_diag("got:  [%s]\nwant: [%s]", l.text, want);
    tap_ok(ok, "%s`%s` completes to [%.60s%s]", helpmode ? "help " : "", word, want,
           strlen(want) > 60 ? "…" : "");
}

/* The completions of word include each of the NULL-terminated names and none of the excluded. */
static void expect_some(lx_State *L, const char *word, const char *const *want, const char *const * not,
                        const char *name)
{
    list l;
    complete(L, word, strlen(word), 0, &l);
    bool ok = true;
    char padded[65540];
    snprintf(padded, sizeof padded, " %s ", l.text);
    for (int i = 0; want[i]; i++) {
        char item[256];
        snprintf(item, sizeof item, " %s ", want[i]);
        if (!strstr(padded, item)) ok = false, tap_diag("missing %s", want[i]);
    }
    for (int i = 0; not &&not [i]; i++) {
        char item[256];
        snprintf(item, sizeof item, " %s ", not [i]);
        if (strstr(padded, item)) ok = false, tap_diag("should not offer %s", not [i]);
    }
    if (!ok) tap_diag("got: [%.2000s]", l.text);
    tap_ok(ok, "%s", name);
}

static lx_State *open_state(void)
{
    lx_Config cfg = {0};
    cfg.writer = count_writer;
    lx_State *L = lx_open(&cfg);
    if (!L || lx_openlibs(L) != LX_OK) {
        tap_diag("cannot open a state");
        exit(1);
    }
    return L;
}

static void run(lx_State *L, const char *src)
{
    if (lx_dostring(L, src, strlen(src), "setup") != LX_OK) {
        tap_diag("setup failed: %s", lx_errmsg(L));
        exit(1);
    }
}

static const char *const setup_src =
    "model = Chain(Dense(2 => 3), Dense(3 => 1)); ps, st = Lux.setup(Xoshiro(0), model)\n"
    "struct Point3\n    xcoord\n    ycoord\n    zcoord::Int\nend\n"
    "pt = Point3(1, 2.5, 3)\n"
    "fun_count(x) = x + 1\n"
    "mutable_total = 0\n"
    "__secret_thing = 1\n"
    "pr = :a => (inner = 1,)\n"
    "tens = ones(Float32, 2, 2)\n"
    "num = 3\n"
    "αβγ = 1\n"
    "nested = (a = (b = (c = 1, cd = 2),),)\n"
    /* a getproperty of the user's: completion reads stored fields and never calls it */
    "Base.getproperty(p::Point3, s::Symbol) = (println(\"called\"); 0)\n";

static void names_and_fields(lx_State *L)
{
    /* the named tuple Lux.setup gives a two-layer Chain: (layer_1 = (weight, bias), layer_2 = ...) */
    expect(L, "ps.la", 0, "ps.layer_1 ps.layer_2");
    expect(L, "ps.layer_1.", 0, "ps.layer_1.bias ps.layer_1.weight");
    expect(L, "ps.layer_1.w", 0, "ps.layer_1.weight");
    expect(L, "ps.layer_1.weight.", 0, ""); /* a tensor has no fields */
    expect(L, "st.", 0, "st.layer_1 st.layer_2");
    expect(L, "model.la", 0, "model.layers"); /* a Chain's own (stored) field */
    expect(L, "model.layers.layer_2.", 0,
           "model.layers.layer_2.activation model.layers.layer_2.in_dims model.layers.layer_2.init_bias "
           "model.layers.layer_2.init_weight model.layers.layer_2.out_dims model.layers.layer_2.use_bias");
    expect(L, "nested.a.b.c", 0, "nested.a.b.c nested.a.b.cd");
    /* a user struct's fields, without its getproperty */
    expect(L, "pt.", 0, "pt.xcoord pt.ycoord pt.zcoord");
    expect(L, "pt.y", 0, "pt.ycoord");
    expect(L, "pt.xcoord.", 0, ""); /* a number */
    expect(L, "pr.", 0, "pr.first pr.second");
    expect(L, "pr.second.", 0, "pr.second.inner");
    expect(L, "tens.", 0, "");
    expect(L, "num.", 0, "");
    expect(L, "num.x", 0, "");
    expect(L, "nosuch.x", 0, "");
    expect(L, "ps.nosuch.", 0, "");
    /* user names, keywords */
    expect(L, "fun", 0, "fun_count function");
    expect(L, "mut", 0, "mutable mutable_total");
    expect(L, "pt", 0, "pt");
    expect(L, "αβ", 0, "αβγ");
    expect(L, "whi", 0, "while");
    expect(L, "wher", 0, "where");
    expect(L, "tru", 0, "true trues trunc truncated_normal");
    /* __ names only when asked for */
    expect(L, "__secret", 0, "__secret_thing");
    const char *const secret[] = {"__secret_thing", NULL};
    const char *const none[] = {NULL};
    expect_some(L, "_", none, secret, "`_` does not offer __ names");
    expect_some(L, "__", secret, none, "`__` offers them");
    /* built-ins */
    const char *const sof[] = {"softmax", "softplus", "softsign", NULL};
    expect_some(L, "sof", sof, none, "`sof` offers NNlib's activations");
    const char *const upd[] = {"update", "update!", "update_state", NULL};
    expect_some(L, "upd", upd, none, "`upd` offers update, update! and update_state");
    const char *const den[] = {"Dense", NULL};
    expect_some(L, "Den", den, none, "`Den` offers Dense");
}

static void macros(lx_State *L)
{
    expect(L, "@deb", 0, "@debug_mode");
    expect(L, "@test_t", 0, "@test_throws");
    expect(L, "@spr", 0, "@sprintf");
    expect(L, "@nosuch", 0, "");
    expect(L, "Lux.@", 0, "Lux.@compact Lux.@return");
    expect(L, "Lux.Experimental.@", 0, "Lux.Experimental.@debug_mode Lux.Experimental.@layer_map");
    expect(L, "Printf.@", 0, "Printf.@printf Printf.@sprintf");
    expect(L, "Test.@test_", 0, "Test.@test_broken Test.@test_throws");
    expect(L, "ps.@", 0, "");      /* not a module */
    expect(L, "help @deb", 0, ""); /* a blank is not part of a word */
}

static void modules(lx_State *L)
{
    expect(L, "Lux.Den", 0, "Lux.Dense");
    expect(L, "Lux.Ch", 0, "Lux.Chain");
    expect(L, "Lux.Ex", 0, "Lux.Experimental");
    expect(L, "Lux.Tr", 0, "Lux.Training");
    expect(L, "Lux.tr", 0, "Lux.trainmode Lux.truncated_normal");
    expect(L, "Lux.se", 0, "Lux.selu Lux.setup");                       /* NNlib's, LuxCore's */
    expect(L, "Lux.glorot", 0, "Lux.glorot_normal Lux.glorot_uniform"); /* WeightInitializers' */
    expect(L, "Lux.fre", 0, "");                                        /* freeze is Lux.Experimental's */
    expect(L, "Lux.Experimental.fre", 0, "Lux.Experimental.freeze");
    expect(L, "Lux.Experimental.la", 0, "Lux.Experimental.layer_map");
    expect(L, "Lux.Training.Tr", 0, "Lux.Training.TrainState");
    expect(L, "Training.single", 0, "Training.single_train_step Training.single_train_step!");
    expect(L, "Optimisers.Ad", 0,
           "Optimisers.AdaBelief Optimisers.AdaDelta Optimisers.AdaGrad Optimisers.AdaMax Optimisers.Adam "
           "Optimisers.AdamW");
    expect(L, "Optimisers.upd", 0, "Optimisers.update Optimisers.update!");
    expect(L, "Optimisers.destr", 0, "Optimisers.destructure");
    expect(L, "Random.Xo", 0, "Random.Xoshiro");
    expect(L, "Random.ra", 0, "Random.rand Random.rand! Random.randn Random.randn! Random.randperm");
    expect(L, "Statistics.", 0, "Statistics.mean Statistics.std Statistics.var");
    expect(L, "Base.me", 0, "Base.merge Base.methods"); /* mean is Statistics', not Base's */
    expect(L, "Base.Lu", 0, "");                        /* modules are not Base's members */
    expect(L, "Base.mu", 0, "Base.muladd");             /* a user's global (mutable_total) is no module's */
    expect(L, "LinearAlgebra.d", 0, "LinearAlgebra.det LinearAlgebra.diag LinearAlgebra.dot");
    expect(L, "LinearAlgebra.B", 0, "LinearAlgebra.BLAS");
    expect(L, "LinearAlgebra.BLAS.", 0,
           "LinearAlgebra.BLAS.get_num_threads LinearAlgebra.BLAS.set_num_threads");
    expect(L, "Zygote.gr", 0, "Zygote.gradient");
    expect(L, "NNlib.sigm", 0, "NNlib.sigmoid NNlib.sigmoid_fast");
    expect(L, "NNlib.softm", 0, "NNlib.softmax");
    const char *const lux[] = {"Lux.relu", "Lux.softmax", "Lux.Dense", "Lux.kaiming_normal", NULL};
    const char *const notlux[] = {"Lux.Adam", "Lux.println", "Lux.Base", "Lux.__compact", NULL};
    expect_some(L, "Lux.", lux, notlux, "`Lux.` offers NNlib's and WeightInitializers' names, not Base's");
}

static void odd_words(lx_State *L)
{
    expect(L, "", 0, "");
    expect(L, ".", 0, "");
    expect(L, "..", 0, "");
    expect(L, "ps..la", 0, "");
    expect(L, ".la", 0, "");
    expect(L, "1.5", 0, "");
    expect(L, "@", 0,
           "@. @assert @compact @debug_mode @elapsed @error @inbounds @info @layer_map @printf @return @set! "
           "@show @sprintf @test @test_broken @test_throws @testset @time @view @views @warn");
    list l;
    tap_ok(complete(L, NULL, 3, 0, &l) == 0, "a NULL word completes to nothing");
    tap_ok(lx_complete(L, "ps.", 3, 0, NULL, NULL) == 0, "a NULL callback completes to nothing");
    static char big[10241];
    memset(big, 'a', sizeof big - 1);
    tap_ok(complete(L, big, sizeof big - 1, 0, &l) == 0, "a 10 kB word completes to nothing");
    memcpy(big, "ps.", 3);
    tap_ok(complete(L, big, sizeof big - 1, 0, &l) == 0, "a 10 kB field completes to nothing");
    for (size_t i = 0; i + 3 < sizeof big - 1; i += 3)
        memcpy(big + i, "ps.", 3);
    tap_ok(complete(L, big, sizeof big - 1, 0, &l) == 0, "a path of 3,400 parts completes to nothing");
    tap_ok(complete(L, "\xff\xfe", 2, 0, &l) == 0 && complete(L, "ps.\x80", 4, 0, &l) == 0 &&
               complete(L, "\x80.x", 4, 0, &l) == 0,
           "bytes >= 0x80 that begin no name complete to nothing");
    expect(L, "\xce\xb1", 0, "αβγ"); /* α */
    tap_ok(complete(L, "p\0s", 3, 0, &l) == 0, "a NUL inside the word matches nothing");
}

static bool sorted_unique(const list *l)
{
    const char *p = l->text;
    char prev[512] = "";
    bool first = true;
    while (*p) {
        const char *e = strchr(p, ' ');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char cur[512];
        if (n >= sizeof cur) return false;
        memcpy(cur, p, n);
        cur[n] = '\0';
        if (!first && strcmp(prev, cur) >= 0) return tap_diag("%s before %s", prev, cur), false;
        memcpy(prev, cur, n + 1);
        first = false;
        p += n + (e != NULL);
    }
    return true;
}

static void order(lx_State *L)
{
    const char *words[] = {"s", "a", "Lux.", "Lux.A", "Base.s", "@", "ps.", "Optimisers.", "S", "is"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        list l;
        int n = complete(L, words[i], strlen(words[i]), 0, &l);
        tap_ok(n > 1 && sorted_unique(&l), "`%s`: %d candidates, sorted bytewise, no repeats", words[i], n);
    }
}

static void helpmode(lx_State *L)
{
    expect(L, "@deb", 1, "@debug_mode");
    expect(L, "fun", 1, "fun_count function");
    expect(L, "Lux.Den", 1, "Lux.Dense");
    expect(L, "ps.layer_1.w", 1, "ps.layer_1.weight");
    expect(L, "", 1, "");
}

/* A completion leaves the state as it was: no global, macro or string made, nothing written,
 * no user code run (Point3's getproperty would print). */
static void unchanged(lx_State *L)
{
    int nglobals = L->nglobals, nmacros = L->nmacros;
    size_t nstrings = L->strings.count, before = written;
    const char *words[] = {"ps.la",    "pt.",     "pt.xcoord.", "Lux.", "Lux.@",
                           "nosuch.x", "newname", "s",          "@",    "Optimisers.Ad"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        list l;
        complete(L, words[i], strlen(words[i]), i % 2, &l);
    }
    tap_ok(L->nglobals == nglobals && L->nmacros == nmacros, "no global or macro made (%d globals)",
           L->nglobals);
    tap_ok(L->strings.count == nstrings, "no string interned (%zu)", L->strings.count);
    tap_ok(written == before, "nothing written (%zu bytes)", written - before);
}

static void speed(lx_State *L)
{
    clock_t t0 = clock();
    int total = 0;
    for (int i = 0; i < 200; i++) {
        list l;
        total += complete(L, "s", 1, 0, &l) + complete(L, "Lux.", 4, 0, &l);
    }
    double ms = 1000.0 * (double)(clock() - t0) / CLOCKS_PER_SEC / 400;
    tap_ok(ms < 5, "a completion over %d globals takes %.3f ms (%d candidates in all)", L->nglobals, ms,
           total);
}

/* Before Lux is loaded: a plain prefix offers its names without loading it; `Lux.` loads it. */
static void deferred(void)
{
    lx_State *L = open_state();
    run(L, "mine = 1; function userfn() undefined_yet end");
    tap_ok(L->defer_load != NULL, "a fresh state has Lux pending");
    expect(L, "Den", 0, "Dense");
    expect(L, "Chai", 0, "Chain");
    tap_ok(L->defer_load != NULL, "a plain prefix leaves it pending");
    expect(L, "Lux.Den", 0, "Lux.Dense");
    tap_ok(L->defer_load == NULL, "`Lux.` loaded it");
    lxO_string *mine = lxS_cstr(L, "mine"), *undef = lxS_cstr(L, "undefined_yet");
    lxO_string *dense = lxS_cstr(L, "Dense"), *relu = lxS_cstr(L, "relu"), *mean = lxS_cstr(L, "mean");
    tap_ok(mine->gidx >= 0 && !L->globals[mine->gidx].module && undef->gidx >= 0 &&
               !L->globals[undef->gidx].module,
           "a user's globals (defined and not) are in no module after the load");
    tap_ok(dense->gidx >= 0 && !strcmp(L->globals[dense->gidx].module, "Lux"), "Dense is Lux's");
    tap_ok(relu->gidx >= 0 && !strcmp(L->globals[relu->gidx].module, "NNlib"), "relu is NNlib's");
    tap_ok(mean->gidx >= 0 && !strcmp(L->globals[mean->gidx].module, "Statistics"), "mean is Statistics'");
    run(L, "undefined_yet = 2");
    expect(L, "Base.undefined", 0, "");
    expect(L, "undefined_y", 0, "undefined_yet");
    lx_close(L);
}

/* Loading Lux for `Lux.` fails when the memory limit leaves no room: nothing is offered, nothing
 * raised, and the state still runs code. */
static void failed_load(void)
{
    /* how much loading Lux takes, in a state without a limit */
    lx_State *M = open_state();
    size_t before = lx_memory_in_use(M);
    run(M, "using Lux");
    size_t lux = lx_memory_in_use(M) - before;
    lx_close(M);

    lx_State *L = open_state();
    L->limit = lx_memory_in_use(L) + lux / 4; /* opening the libraries needs more than they keep */
    list l;
    int n = complete(L, "Lux.Den", 7, 0, &l);
    tap_ok(n == 0 && L->defer_load == NULL, "a load that runs out of memory offers nothing (%d)", n);
    tap_ok(lx_dostring(L, "1 + 1", 5, "after") == LX_OK, "and the state still runs code");
    lx_close(L);
}

int main(void)
{
    lx_State *L = open_state();
    run(L, setup_src);
    written = 0;
    names_and_fields(L);
    macros(L);
    modules(L);
    odd_words(L);
    order(L);
    helpmode(L);
    unchanged(L);
    speed(L);
    lx_close(L);
    deferred();
    failed_load();
    return tap_done();
}
