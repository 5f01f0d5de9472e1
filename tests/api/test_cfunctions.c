/* test_cfunctions.c — calls between the host and lx: lx_call and lx_callkw (results, a
 * non-function, an exception with its trace), C functions registered with lx_register (dispatch
 * on their signature next to lx methods, keywords, help, results, nested calls back into lx,
 * lx_error of every kind caught by lx and coming back to the host), and exit through a C function.
 */
#include "host.h"

/* ---- C functions the tests register ---- */

/* addtwo(a::Integer, b::Integer): a + b, checked for overflow in C */
static int c_addtwo(lx_State *L, void *ud)
{
    (void)ud;
    int64_t a = lx_toint(L, 1, NULL), b = lx_toint(L, 2, NULL), r;
    if (__builtin_add_overflow(a, b, &r))
        return lx_error(L, "OverflowError", "addtwo: %lld + %lld overflows", (long long)a, (long long)b);
    lx_pushint(L, r);
    return 1;
}

/* which(x::Tensor): says which method ran */
static int c_which(lx_State *L, void *ud)
{
    lx_pushstring(L, ud, strlen(ud));
    return 1;
}

/* nargs(xs...): the count of arguments it saw and the top of its frame */
static int c_nargs(lx_State *L, void *ud)
{
    (void)ud;
    lx_pushint(L, lx_gettop(L));
    return 1;
}

/* scaled(x; factor = 2): x * factor, the factor from the keywords */
static int c_scaled(lx_State *L, void *ud)
{
    (void)ud;
    double x = lx_tonumber(L, 1, NULL), factor = 2;
    lx_kwargs(L);
    if (lx_getfield(L, -1, "factor") == LX_OK) factor = lx_tonumber(L, -1, NULL);
    lx_pushfloat(L, x * factor);
    return 1;
}

/* twice(f, x): f(f(x)) through nested lx_calls */
static int c_twice(lx_State *L, void *ud)
{
    (void)ud;
    lx_pushvalue(L, 1);
    lx_pushvalue(L, 1);
    lx_pushvalue(L, 2);
    if (lx_call(L, 1) != LX_OK) return lx_error(L, NULL, "twice: %s", lx_errmsg(L));
    if (lx_call(L, 1) != LX_OK) return lx_error(L, NULL, "twice: %s", lx_errmsg(L));
    return 1;
}

/* apply2(f, x): f(x) with the result left as the function's */
static int c_apply2(lx_State *L, void *ud)
{
    (void)ud;
    lx_pushvalue(L, 1);
    lx_pushvalue(L, 2);
    lx_Status st = lx_call(L, 1);
    if (st != LX_OK) {
        lx_pushstring(L, "caught: ", 8);
        lx_pushstring(L, lx_errmsg(L), strlen(lx_errmsg(L)));
        lx_maketuple(L, 2);
    }
    return 1;
}

/* raise(kind, msg): lx_error of that kind ("" for NULL) */
static int c_raise(lx_State *L, void *ud)
{
    (void)ud;
    const char *kind = lx_tostring(L, 1, NULL);
    const char *msg = lx_tostring(L, 2, NULL);
    return lx_error(L, kind && kind[0] ? kind : NULL, "raised from C: %s", msg ? msg : "?");
}

/* kwshow(; ...): the keywords it sees, as lx prints them */
static int c_kwshow(lx_State *L, void *ud)
{
    (void)ud;
    lx_getglobal(L, "repr");
    lx_kwargs(L);
    if (lx_call(L, 1) != LX_OK) return lx_error(L, NULL, "%s", lx_errmsg(L));
    return 1;
}

/* evalsrc(src::String): runs src with lx_dostring inside the C function, returns its status */
static int c_evalsrc(lx_State *L, void *ud)
{
    (void)ud;
    size_t len;
    const char *src = lx_tostring(L, 1, &len);
    lx_Status st = lx_dostring(L, src, len, "nested");
    lx_pushint(L, st);
    if (st != LX_OK) {
        lx_pushstring(L, lx_errmsg(L), strlen(lx_errmsg(L)));
        lx_maketuple(L, 2);
    }
    return 1;
}

/* apply(c::HostCallable, x): c.k + x */
static int c_twice_k(lx_State *L, void *ud)
{
    (void)ud;
    lx_getfield(L, 1, "k");
    lx_pushint(L, lx_toint(L, -1, NULL) + lx_toint(L, 2, NULL));
    return 1;
}

static int c_bad_return(lx_State *L, void *ud)
{
    (void)ud;
    lx_pushint(L, 1);
    return 2;
}

static int c_no_result(lx_State *L, void *ud)
{
    (void)ud;
    lx_settop(L, 0);
    return 1;
}

static int c_nothing(lx_State *L, void *ud)
{
    (void)ud;
    lx_pushint(L, 12345); /* pushed but not returned: the result is nothing */
    return 0;
}

/* deep(n): recursion through lx and C: deep(n) = n == 0 ? 0 : 1 + deep(n - 1) via lx_call */
static int c_deep(lx_State *L, void *ud)
{
    (void)ud;
    int64_t n = lx_toint(L, 1, NULL);
    if (n == 0) {
        lx_pushint(L, 0);
        return 1;
    }
    lx_getglobal(L, "deep");
    lx_pushint(L, n - 1);
    if (lx_call(L, 1) != LX_OK) return lx_error(L, NULL, "%s", lx_errmsg(L)); /* passed on as it came */
    lx_pushint(L, lx_toint(L, -1, NULL) + 1);
    return 1;
}

static int c_exit_inside(lx_State *L, void *ud)
{
    (void)ud;
    lx_getglobal(L, "exit");
    lx_pushint(L, 7);
    lx_Status st = lx_call(L, 1);
    lx_pushint(L, st);
    return 1; /* exit still ends the code */
}

static int c_show_point(lx_State *L, void *ud)
{
    (void)ud;
    /* show(io, p::HostPoint): writes through lx's print */
    lx_getglobal(L, "print");
    lx_pushvalue(L, 1);
    lx_pushstring(L, "HostPoint<", 10);
    lx_getfield(L, 2, "x");
    lx_pushstring(L, ">", 1);
    if (lx_call(L, 4) != LX_OK) return lx_error(L, NULL, "%s", lx_errmsg(L));
    return 0;
}

/* ---- the tests ---- */

static void test_calls(lx_State *L)
{
    tap_ok(host_run(L, "add3(a, b, c) = a + b * c; kwf(x; k = 1) = x * k; "
                       "boom(x) = error(\"boom: \" * string(x)); outer(x) = boom(x + 1)") == LX_OK,
           "lx functions to call");
    lx_getglobal(L, "add3");
    lx_pushint(L, 1);
    lx_pushint(L, 2);
    lx_pushint(L, 3);
    tap_ok(lx_call(L, 3) == LX_OK && lx_gettop(L) == 1 && lx_toint(L, -1, NULL) == 7,
           "add3(1, 2, 3) is 7 and the call leaves only the result");
    lx_settop(L, 0);
    lx_pushint(L, 100); /* below the call: untouched */
    lx_getglobal(L, "kwf");
    lx_pushint(L, 5);
    lx_pushint(L, 4);
    const char *k[] = {"k"};
    lx_makenamedtuple(L, 1, k);
    tap_ok(lx_callkw(L, 1) == LX_OK && lx_gettop(L) == 2 && lx_toint(L, -1, NULL) == 20 &&
               lx_toint(L, 1, NULL) == 100,
           "kwf(5; k = 4) is 20, the value below kept");
    lx_settop(L, 0);
    lx_getglobal(L, "kwf");
    lx_pushint(L, 5);
    lx_pushint(L, 4);
    const char *bad[] = {"nope"};
    lx_makenamedtuple(L, 1, bad);
    host_fails(L, lx_callkw(L, 1), LX_ERRRUN, "an unknown keyword", "MethodError", "nope", NULL);
    tap_ok(lx_gettop(L) == 0, "a failed call pops the function, the arguments and the keywords");
    lx_getglobal(L, "kwf");
    lx_pushint(L, 5);
    lx_pushint(L, 4);
    host_fails(L, lx_callkw(L, 1), LX_ERRRUN, "keywords that are not a named tuple", "TypeError",
               "NamedTuple", "Int64", NULL);
    lx_settop(L, 0);

    lx_pushint(L, 3);
    lx_pushint(L, 4);
    host_fails(L, lx_call(L, 1), LX_ERRRUN, "calling an Int64", "MethodError", "apply", "Int64", NULL);
    tap_ok(lx_gettop(L) == 0, "the failed call popped both");
    lx_pushint(L, 1);
    host_fails(L, lx_call(L, 1), LX_ERRRUN, "lx_call with too few values", "lx_call", "1 argument", "holds 1",
               NULL);
    host_fails(L, lx_call(L, -1), LX_ERRRUN, "lx_call with -1 arguments", "-1", NULL);
    tap_ok(lx_gettop(L) == 1, "argument errors leave the stack alone");
    lx_settop(L, 0);

    lx_getglobal(L, "outer");
    lx_pushint(L, 41);
    host_fails(L, lx_call(L, 1), LX_ERRRUN, "an exception inside the called function", "boom: 42", NULL);
    const char *tb = lx_traceback(L);
    tap_ok(strstr(tb, "boom") && strstr(tb, "outer") && strstr(tb, "test:1"),
           "its traceback names boom and outer");
    if (!strstr(tb, "boom")) tap_diag("traceback: %s", tb);
    lx_getglobal(L, "add3");
    lx_pushint(L, 1);
    host_fails(L, lx_call(L, 1), LX_ERRRUN, "a call with the wrong arity", "MethodError", "add3", NULL);

    lx_getglobal(L, "+");
    lx_pushint(L, INT64_MAX);
    lx_pushint(L, 1);
    tap_ok(lx_call(L, 2) == LX_OK && lx_toint(L, -1, NULL) == INT64_MIN,
           "+ wraps around as Int64 does in Julia");
    lx_settop(L, 0);
}

static void test_register(lx_State *L)
{
    tap_ok(lx_register(L, "addtwo", "(a::Integer, b::Integer)", c_addtwo, NULL,
                       "    addtwo(a, b)\n\nAdds two integers in C.") == LX_OK,
           "register addtwo");
    tap_ok(host_run(L, "@assert addtwo(2, 40) == 42") == LX_OK, "lx calls addtwo(2, 40)");
    tap_ok(host_run(L, "r = try; addtwo(typemax(Int64), 1); catch e; sprint(showerror, e); end") == LX_OK &&
               lx_getglobal(L, "r") == LX_OK,
           "an overflow raised from C is caught by lx's try");
    tap_ok(!strcmp(lx_tostring(L, -1, NULL) ? lx_tostring(L, -1, NULL) : "",
                   "OverflowError: addtwo: 9223372036854775807 + 1 overflows"),
           "as an OverflowError with C's message (%s)", lx_tostring(L, -1, NULL));
    lx_settop(L, 0);
    host_fails(L, host_try(L, "addtwo(1.5, 2)"), LX_ERRRUN,
               "the signature's types select: no method for a Float64", "MethodError", "addtwo", NULL);

    /* a C method next to an lx method of the same name: dispatch picks by type */
    tap_ok(host_run(L, "which(x) = \"lx any\"; which(x::Integer) = \"lx int\"") == LX_OK,
           "lx methods of which");
    tap_ok(lx_register(L, "which", "(x::Tensor)", c_which, "C tensor", NULL) == LX_OK &&
               lx_register(L, "which", "(x::Float32, y)", c_which, "C float32 two", NULL) == LX_OK,
           "two C methods of which");
    tap_ok(host_run(L, "@assert which(ones(2)) == \"C tensor\"; @assert which(1) == \"lx int\"; "
                       "@assert which(\"s\") == \"lx any\"; @assert which(1f0, 2) == \"C float32 two\"") ==
               LX_OK,
           "dispatch picks C for a tensor and (Float32, Any), lx for the rest");

    /* the function as a value for lx_call; frames see only their arguments */
    tap_ok(lx_register(L, "nargs", "(xs...)", c_nargs, NULL, NULL) == LX_OK, "register a vararg function");
    lx_pushint(L, 111);
    lx_getglobal(L, "nargs");
    lx_pushint(L, 1);
    lx_pushint(L, 2);
    lx_pushint(L, 3);
    tap_ok(lx_call(L, 3) == LX_OK && lx_toint(L, -1, NULL) == 3 && lx_gettop(L) == 2 &&
               lx_toint(L, 1, NULL) == 111,
           "a C function sees only its 3 arguments (1..n), the host's values below stay");
    lx_settop(L, 0);
    tap_ok(host_run(L, "@assert nargs() == 0; @assert nargs(1, 2, 3, 4, 5) == 5") == LX_OK,
           "0 and 5 arguments");

    tap_ok(lx_register(L, "scaled", "(x::Real; factor = 2)", c_scaled, NULL, NULL) == LX_OK,
           "register with a keyword");
    tap_ok(host_run(L, "@assert scaled(3) == 6.0; @assert scaled(3; factor = 10) == 30.0") == LX_OK,
           "the keyword arrives through lx_kwargs");
    host_fails(L, host_try(L, "scaled(3; other = 1)"), LX_ERRRUN, "an undeclared keyword is refused",
               "MethodError", "other", NULL);
    host_fails(L, lx_kwargs(L), LX_ERRRUN, "lx_kwargs outside a C function", "outside a C function", NULL);

    tap_ok(lx_register(L, "kwshow", "(; a = 1 + 1, b::Float64 = 0.5, sep = \"=,;\", req, rest...)", c_kwshow,
                       NULL, NULL) == LX_OK,
           "register with defaults (an expression, a typed one, a string with , ; =), a required one and a "
           "splat");
    tap_ok(host_run(L, "@assert kwshow(req = 3) == \"(a = 2, b = 0.5, sep = \\\"=,;\\\", req = 3)\"") ==
               LX_OK,
           "lx_kwargs holds the defaults, evaluated, and the given keywords");
    tap_ok(host_run(L, "@assert kwshow(b = 2.0, req = :r, z = 1) == \"(a = 2, b = 2.0, sep = \\\"=,;\\\", "
                       "req = :r, z = 1)\"") == LX_OK,
           "given keywords replace defaults; others (rest...) come after");
    host_fails(L, host_try(L, "kwshow(a = 1)"), LX_ERRRUN, "a required keyword missing", "ArgumentError",
               "keyword argument `req` is required but was not given", NULL);
    host_fails(L, lx_register(L, "kwbad", "(; a = 1 +)", c_kwshow, NULL, NULL), LX_ERRSYNTAX,
               "a default that does not parse", "ParseError", "keyword defaults of kwbad", NULL);
    host_fails(L, lx_register(L, "kwbad", "(; a = )", c_kwshow, NULL, NULL), LX_ERRRUN, "an empty default",
               "ArgumentError", "`a` of kwbad has `=` and no default", NULL);
    host_fails(L, lx_register(L, "kwbad", "(; a = undefined_thing)", c_kwshow, NULL, NULL), LX_ERRRUN,
               "a default that raises", "UndefVarError", "undefined_thing", NULL);
    host_fails(L, host_try(L, "kwbad()"), LX_ERRRUN, "none of them registered a method", "UndefVarError",
               "kwbad", NULL);
    tap_ok(lx_register(L, "nothingfn", NULL, c_nothing, NULL, NULL) == LX_OK, "register with sig NULL");
    tap_ok(host_run(L, "@assert nothingfn(1) === nothing") == LX_OK, "returning 0 gives nothing");
    host_fails(L, host_try(L, "nothingfn(1, 2)"), LX_ERRRUN, "sig NULL takes one argument", "MethodError",
               NULL);
    lx_register(L, "bad_return", "()", c_bad_return, NULL, NULL);
    host_fails(L, host_try(L, "bad_return()"), LX_ERRRUN, "a C function returning 2", "bad_return",
               "returned 2", NULL);
    lx_register(L, "no_result", "(x)", c_no_result, NULL, NULL);
    host_fails(L, host_try(L, "no_result(1)"), LX_ERRRUN, "returning 1 with nothing pushed", "no_result",
               "pushed no result", NULL);
    tap_ok(lx_gettop(L) == 0, "the host's stack is empty after those errors");
}

static void test_register_errors(lx_State *L)
{
    host_fails(L, lx_register(L, "f", "(x::NoSuchType)", c_nothing, NULL, NULL), LX_ERRRUN, "an unknown type",
               "ArgumentError", "NoSuchType is not a type", NULL);
    host_fails(L, host_try(L, "f(1)"), LX_ERRRUN, "the failed registration left no function f",
               "UndefVarError", NULL);
    host_fails(L, lx_register(L, "f", "x, y", c_nothing, NULL, NULL), LX_ERRRUN,
               "a signature without parentheses", "ArgumentError", "not one list in parentheses", NULL);
    host_fails(L, lx_register(L, "f", "(x) junk", c_nothing, NULL, NULL), LX_ERRRUN,
               "text after the signature", "not one list", NULL);
    host_fails(L, lx_register(L, "f", "(x, $)", c_nothing, NULL, NULL), LX_ERRRUN,
               "a character it cannot read", "cannot read its signature", NULL);
    host_fails(L, lx_register(L, "two words", "(x)", c_nothing, NULL, NULL), LX_ERRRUN, "a name with a space",
               "is not a name", NULL);
    host_fails(L, lx_register(L, NULL, "(x)", c_nothing, NULL, NULL), LX_ERRRUN, "a NULL name", "(NULL)",
               NULL);
    host_fails(L, lx_register(L, "f", "(x)", NULL, NULL, NULL), LX_ERRRUN, "a NULL function", "no C function",
               NULL);
    tap_ok(host_run(L, "notfn = 5") == LX_OK, "a global that is a number");
    host_fails(L, lx_register(L, "notfn", "(x)", c_nothing, NULL, NULL), LX_ERRRUN,
               "registering over a number", "`notfn` is already a Int64", NULL);
    tap_ok(host_run(L, "@assert notfn == 5") == LX_OK, "which keeps its value");
}

static void test_nested(lx_State *L)
{
    lx_register(L, "twice", "(f, x)", c_twice, NULL, NULL);
    lx_register(L, "apply2", "(f, x)", c_apply2, NULL, NULL);
    tap_ok(host_run(L, "@assert twice(x -> x * 3, 2) == 18") == LX_OK, "nested lx_calls from C");
    tap_ok(host_run(L, "@assert twice(x -> twice(y -> y + 1, x), 0) == 4") == LX_OK,
           "C calls lx calls C calls lx");
    tap_ok(host_run(L, "@assert apply2(x -> x + 1, 41) == 42") == LX_OK,
           "a nested call's result is the function's");
    tap_ok(host_run(L, "r = apply2(x -> error(\"inner \" * string(x)), 5)") == LX_OK,
           "a nested call's exception comes back to C as a status");
    lx_getglobal(L, "r");
    lx_getindex(L, -1, 2);
    tap_ok(lx_tostring(L, -1, NULL) && strstr(lx_tostring(L, -1, NULL), "inner 5"), "with its message: %s",
           lx_tostring(L, -1, NULL));
    lx_settop(L, 0);
    host_fails(L, host_try(L, "twice(x -> error(\"deep \" * string(x)), 9)"), LX_ERRRUN,
               "an error in a nested call raised on by lx_error", "twice: deep 9", NULL);
    tap_ok(lx_gettop(L) == 0, "the stack is clean after it");
    lx_register(L, "evalsrc", "(src::String)", c_evalsrc, NULL, NULL);
    tap_ok(host_run(L, "@assert evalsrc(\"nested_g = 6 * 7\") == 0 && nested_g == 42") == LX_OK,
           "lx_dostring inside a C function");
    tap_ok(host_run(L, "r2 = evalsrc(\"error(\\\"in nested\\\")\"); @assert r2[1] == 1 && "
                       "occursin(\"in nested\", r2[2])") == LX_OK,
           "a failing lx_dostring inside a C function comes back to it as LX_ERRRUN with its message");
    tap_ok(host_run(L, "@assert evalsrc(\"1 +\")[1] == 2") == LX_OK, "and a syntax error as LX_ERRSYNTAX");
    lx_register(L, "deep", "(n::Integer)", c_deep, NULL, NULL);
    tap_ok(host_run(L, "@assert deep(50) == 50") == LX_OK, "recursion through C and lx, 50 deep");
    host_fails(L, host_try(L, "deep(100000)"), LX_ERRRUN, "unbounded recursion through C stops with an error",
               "StackOverflowError", NULL);
    tap_ok(host_run(L, "@assert deep(3) == 3") == LX_OK && lx_gettop(L) == 0, "the state works after it");
}

static void test_errors(lx_State *L)
{
    lx_register(L, "raise", "(kind::String, msg::String)", c_raise, NULL, NULL);
    static const struct {
        const char *kind, *shown;
    } kinds[] = {
        {"", "raised from C: m"},
        {"ErrorException", "raised from C: m"},
        {"ArgumentError", "ArgumentError: raised from C: m"},
        {"DimensionMismatch", "DimensionMismatch: raised from C: m"},
        {"DomainError", "DomainError: raised from C: m"},
        {"AssertionError", "AssertionError: raised from C: m"},
        {"TypeError", "TypeError: raised from C: m"},
        {"BoundsError", "BoundsError: raised from C: m"},
        {"KeyError", "KeyError: key \"raised from C: m\" not found"},
        {"IOError", "IOError: raised from C: m"},
        {"OutOfMemoryError", "OutOfMemoryError: raised from C: m"},
        {"HostError", "HostError: raised from C: m"},
    };
    tap_ok(host_run(L, "struct HostError <: Exception; msg::String; end; "
                       "Base.showerror(io::IO, e::HostError) = print(io, \"HostError: \", e.msg); "
                       "caught(k) = try; raise(k, \"m\"); catch e; (typeof(e), sprint(showerror, e)); end") ==
               LX_OK,
           "an exception type defined in lx, and a catcher");
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        lx_getglobal(L, "caught");
        lx_pushstring(L, kinds[i].kind, strlen(kinds[i].kind));
        bool ok = lx_call(L, 1) == LX_OK && lx_getindex(L, -1, 1) == LX_OK && lx_getindex(L, -2, 2) == LX_OK;
        const char *tname = ok ? lx_tostring(L, -2, NULL) : NULL;
        (void)tname;
        const char *shown = ok ? lx_tostring(L, -1, NULL) : NULL;
        lx_pushvalue(L, -2);
        lx_setglobal(L, "T");
        char want[64];
        snprintf(want, sizeof want, "@assert T == %s", kinds[i].kind[0] ? kinds[i].kind : "ErrorException");
        ok = ok && shown && !strcmp(shown, kinds[i].shown) && host_run(L, want) == LX_OK;
        tap_ok(ok, "lx_error(\"%s\") is caught by lx as that type, showing \"%s\"", kinds[i].kind,
               shown ? shown : lx_errmsg(L));
        lx_settop(L, 0);
    }
    lx_getglobal(L, "raise");
    lx_pushstring(L, "ArgumentError", 13);
    lx_pushstring(L, "to the host", 11);
    host_fails(L, lx_call(L, 2), LX_ERRRUN, "lx_error reaching the host's lx_call",
               "ArgumentError: raised from C: to the host", NULL);
    tap_ok(strstr(lx_traceback(L), "raise") != NULL, "the C function shows in the traceback by its name: %s",
           lx_traceback(L));
    host_fails(L, host_try(L, "raise(\"NoSuchError\", \"m\")"), LX_ERRRUN, "an unknown exception type",
               "ArgumentError", "NoSuchError is not a concrete exception type", "raised from C: m", NULL);
    host_fails(L, host_try(L, "raise(\"Int64\", \"m\")"), LX_ERRRUN, "a type that is no exception",
               "Int64 is not", NULL);
    host_fails(L, host_try(L, "raise(\"InterruptException\", \"m\")"), LX_ERRINTERRUPT,
               "InterruptException from C is LX_ERRINTERRUPT", "InterruptException", NULL);
    /* outside a C function */
    lx_Status st = (lx_Status)lx_error(L, "DomainError", "outside %d", 1);
    host_fails(L, st, LX_ERRRUN, "lx_error outside a C function returns LX_ERRRUN", "DomainError: outside 1",
               NULL);
    tap_ok(lx_gettop(L) == 0 && host_run(L, "@assert 1 + 1 == 2") == LX_OK, "and the state goes on");
}

static void test_exit(lx_State *L)
{
    lx_register(L, "exit_inside", "()", c_exit_inside, NULL, NULL);
    tap_ok(host_try(L, "try; exit_inside(); catch; end") == LX_EXIT,
           "exit in a call nested in a C function ends the code past C and past catch");
    tap_ok(lx_exitcode(L) == 7, "with code 7 (%d)", lx_exitcode(L));
    tap_ok(lx_gettop(L) == 0 && host_run(L, "@assert 2 + 2 == 4") == LX_OK, "the state stays usable");
}

static void test_help_and_show(lx_State *L)
{
    lx_register(L, "hosthelp", "(x::Integer)", c_nothing, NULL,
                "    hosthelp(x)\n\nA function from the host, documented for `?hosthelp`.");
    host_out_clear();
    tap_ok(lx_help(L, "hosthelp", 8) == LX_OK && host_out.s && strstr(host_out.s, "documented for"),
           "?hosthelp shows its docstring");
    host_out_clear();
    tap_ok(host_run(L, "print(doc(hosthelp))") == LX_OK && host_out.s && strstr(host_out.s, "from the host"),
           "doc(hosthelp) has it");
    host_out_clear();
    tap_ok(host_run(L, "apropos(\"documented for\")") == LX_OK && host_out.s &&
               strstr(host_out.s, "hosthelp"),
           "apropos finds it: %s", host_out.s ? host_out.s : "");
    /* a method of a built-in name: show for a struct defined in lx */
    tap_ok(host_run(L, "struct HostPoint; x; end") == LX_OK &&
               lx_register(L, "show", "(io::IO, p::HostPoint)", c_show_point, NULL, NULL) == LX_OK,
           "register a show method");
    host_out_clear();
    tap_ok(host_run(L, "println(HostPoint(3)); print(repr(HostPoint(4)))") == LX_OK && host_out.s &&
               !strcmp(host_out.s, "HostPoint<3>\nHostPoint<4>"),
           "println and repr use it");
    host_out_clear();
    tap_ok(host_run(L, "println(1.5)") == LX_OK && !strcmp(host_out.s, "1.5\n"),
           "other values show as before");
    /* apply: a struct made callable by the host */
    tap_ok(host_run(L, "struct HostCallable; k; end") == LX_OK &&
               lx_register(L, "apply", "(c::HostCallable, x)", c_twice_k, NULL, NULL) == LX_OK,
           "register an apply method");
    tap_ok(host_run(L, "hc = HostCallable(10); @assert hc(4) == 14; @assert map(hc, [1, 2]) == [11, 12]") ==
               LX_OK,
           "the struct is called as a function");
    lx_getglobal(L, "hc");
    lx_pushint(L, 5);
    tap_ok(lx_call(L, 1) == LX_OK && lx_toint(L, -1, NULL) == 15, "and through lx_call");
    lx_settop(L, 0);
}

int main(void)
{
    lx_State *L = host_open(0);
    if (!L) {
        tap_ok(false, "lx_open");
        return tap_done();
    }
    test_calls(L);
    test_register(L);
    test_register_errors(L);
    test_nested(L);
    test_errors(L);
    test_exit(L);
    test_help_and_show(L);
    host_close(L, "cfunctions");
    free(host_out.s);
    return tap_done();
}
