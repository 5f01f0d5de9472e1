/* test_deferred.c — Lux is loaded on first use (lxG_defer, stdlib/prelude.c):
 * the scan of its sources must name every global it defines, so that no name
 * of it can be missed; and a script sees the same language as if it had been
 * loaded at start: reading, assigning and defining its names, `Lux.Dense`,
 * `using Lux`, help, and the C API's lookups all load it first.
 */
#include "tap.h"
#include "tensor.h"

#include <stdlib.h>
#include <string.h>

static lx_State *open_state(void)
{
    lx_State *L = lx_open(NULL);
    if (!L || lx_openlibs(L) != LX_OK) {
        tap_diag("cannot open a state");
        exit(1);
    }
    return L;
}

static bool in_list(lxO_string **names, int n, const lxO_string *s)
{
    for (int i = 0; i < n; i++)
        if (names[i] == s) return true;
    return false;
}

static void scan_is_complete(void)
{
    lx_State *L = open_state();
    tap_ok(L->defer_load != NULL, "start-up leaves Lux to be loaded on first use");
    /* the deferred names, and which globals are defined before loading */
    int n = L->ndeferred;
    lxO_string **names = malloc((size_t)n * sizeof *names + 1);
    memcpy(names, L->deferred, (size_t)n * sizeof *names);
    int before = L->nglobals;
    bool *defined = calloc((size_t)before + 1, 1);
    for (int i = 0; i < before; i++)
        defined[i] = L->globals[i].v.tag != LX_TUNDEF;
    tap_ok(lx_dostring(L, "using Lux", 9, "test") == LX_OK, "using Lux loads it");
    tap_ok(L->defer_load == NULL && L->ndeferred == 0, "and nothing is left pending");
    int missed = 0, added = 0;
    for (int i = 0; i < L->nglobals; i++) {
        if (L->globals[i].v.tag == LX_TUNDEF || (i < before && defined[i])) continue;
        added++;
        if (!in_list(names, n, L->globals[i].name)) {
            if (missed++ < 10) tap_diag("not in the scan: %s", L->globals[i].name->data);
        }
    }
    tap_ok(added > 150 && missed == 0, "the scan names every global Lux defines (%d globals, %d missed)",
           added, missed);
    free(names);
    free(defined);
    lx_close(L);
}

/* Runs src in a fresh state; the status is the expected one, and an error's message contains want. */
static void run(const char *src, lx_Status want_status, const char *want, const char *name)
{
    lx_State *L = open_state();
    lx_Status st = lx_dostring(L, src, strlen(src), "test");
    bool ok = st == want_status && (!want || strstr(lx_errmsg(L), want));
    if (!ok) tap_diag("status %d: %s", (int)st, st == LX_OK ? "" : lx_errmsg(L));
    tap_ok(ok, "%s", name);
    lx_close(L);
}

static void same_language(void)
{
    run("m = Chain(Dense(2 => 3, tanh), Dense(3 => 1)); ps, st = setup(Xoshiro(0), m);"
        "y, _ = m(ones(Float32, 2, 4), ps, st); size(y) == (1, 4) || error(\"size\")",
        LX_OK, NULL, "a script's first layer loads Lux");
    run("Lux.Dense(2 => 3) isa AbstractLuxLayer || error(\"type\")", LX_OK, NULL, "Lux.Dense loads it");
    run("d = getfield(Lux, :Dense)(2 => 3); parameterlength(d) == 9 || error(\"count\")", LX_OK, NULL,
        "getfield(Lux, :Dense) loads it");
    run("startswith(doc(:Dense), \"    Dense\") || error(doc(:Dense))", LX_OK, NULL,
        "help for a Lux name loads it");
    /* a user's method on a name Lux defines joins Lux's function, as if Lux had been loaded first */
    run("apply(x::Int) = x + 1; m = Dense(2 => 1); ps, st = setup(Xoshiro(0), m);"
        "y, _ = apply(m, ones(Float32, 2), ps, st); (apply(1) == 2 && length(y) == 1) || error(\"apply\")",
        LX_OK, NULL, "a method defined on a Lux name before any layer extends Lux's function");
    run("Dense = 3; (Dense == 3 && Chain(NoOpLayer()) isa Chain) || error(\"Dense\")", LX_OK, NULL,
        "assigning a Lux name loads Lux first, then the assignment stands");
    run("function f() Chain(NoOpLayer()) end; f() isa Chain || error(\"f\")", LX_OK, NULL,
        "a name compiled inside a function loads Lux when it runs");
    run("no_such_name_anywhere", LX_ERRRUN, "`no_such_name_anywhere` not defined",
        "a name Lux does not define is still an UndefVarError");

    lx_State *L = open_state();
    lx_dostring(L, "no_such_name_anywhere", 21, "test");
    tap_ok(L->defer_load != NULL, "and does not load Lux");
    tap_ok(lx_dostring(L, "x = 1; y = [x, 2]", 17, "test") == LX_OK && L->defer_load != NULL,
           "nor does a script that uses no Lux name");
    tap_ok(lxG_get(L, "Chain").tag != LX_TUNDEF && L->defer_load == NULL, "the C lookup lxG_get loads it");
    lx_close(L);
}

int main(void)
{
    scan_is_complete();
    same_language();
    return tap_done();
}
