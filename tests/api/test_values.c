/* test_values.c — the embedding API's stack: pushing and reading every kind of value, indices in
 * and out of range, tuples and named tuples, globals, references across collections, and the
 * memory limit reached while pushing.
 */
#include "host.h"

#include <math.h>
#include <stdint.h>

static void test_stack(lx_State *L)
{
    tap_ok(lx_gettop(L) == 0, "a new state's stack is empty");
    tap_ok(lx_pushint(L, 1) == LX_OK && lx_pushint(L, 2) == LX_OK && lx_pushint(L, 3) == LX_OK,
           "three pushes");
    tap_ok(lx_gettop(L) == 3, "gettop counts them (%d)", lx_gettop(L));
    tap_ok(lx_toint(L, 1, NULL) == 1 && lx_toint(L, -1, NULL) == 3 && lx_toint(L, -3, NULL) == 1,
           "index 1 is the bottom, -1 the top, -3 the bottom again");
    tap_ok(lx_pushvalue(L, 1) == LX_OK && lx_gettop(L) == 4 && lx_toint(L, -1, NULL) == 1,
           "pushvalue copies the bottom to the top");
    lx_pop(L, 1);
    tap_ok(lx_gettop(L) == 3, "pop 1");
    tap_ok(lx_type(L, 4) == LX_VNONE && lx_type(L, 0) == LX_VNONE && lx_type(L, -4) == LX_VNONE,
           "indices 4, 0 and -4 hold no value (LX_VNONE)");
    tap_ok(!strcmp(lx_typename(L, 9), "none"), "typename of an empty index is none");
    host_fails(L, lx_pushvalue(L, 4), LX_ERRRUN, "pushvalue of index 4 is an error status", "BoundsError",
               "lx_pushvalue", "index 4", "holds 3 values", NULL);
    host_fails(L, lx_pushvalue(L, -7), LX_ERRRUN, "pushvalue of index -7 is an error status", "index -7",
               NULL);
    tap_ok(lx_gettop(L) == 3, "a failed push leaves the stack as it was");
    lx_settop(L, 5);
    tap_ok(lx_gettop(L) == 3, "settop above the top changes nothing");
    lx_pop(L, 10);
    tap_ok(lx_gettop(L) == 0, "popping past the bottom leaves the stack empty");
    lx_settop(L, -1);
    tap_ok(lx_gettop(L) == 0, "settop(-1) on an empty stack keeps it empty");
    lx_pushint(L, 7);
    lx_pushint(L, 8);
    lx_settop(L, 1);
    tap_ok(lx_gettop(L) == 1 && lx_toint(L, 1, NULL) == 7, "settop(1) keeps the bottom value");
    lx_settop(L, 0);
}

static void test_numbers(lx_State *L)
{
    int ok = -1;
    lx_pushint(L, INT64_MAX);
    lx_pushint(L, INT64_MIN);
    tap_ok(lx_type(L, 1) == LX_VINT && lx_toint(L, 1, &ok) == INT64_MAX && ok == 1,
           "Int64 max read back exactly");
    tap_ok(lx_toint(L, 2, &ok) == INT64_MIN && ok == 1, "Int64 min read back exactly");
    tap_ok(!strcmp(lx_typename(L, 1), "Int64"), "an int's type is Int64 (%s)", lx_typename(L, 1));
    lx_pushfloat(L, 0.1);
    lx_pushfloat32(L, 0.1f);
    tap_ok(lx_type(L, 3) == LX_VFLOAT && !strcmp(lx_typename(L, 3), "Float64"), "pushfloat makes a Float64");
    tap_ok(lx_type(L, 4) == LX_VFLOAT && !strcmp(lx_typename(L, 4), "Float32"),
           "pushfloat32 makes a Float32");
    tap_ok(lx_tonumber(L, 3, &ok) == 0.1 && ok, "0.1 as Float64 comes back as the same double");
    tap_ok(lx_tonumber(L, 4, &ok) == (double)0.1f && lx_tonumber(L, 4, NULL) != 0.1,
           "0.1f0 comes back as the float's value, not 0.1");
    tap_ok(lx_tonumber(L, 1, &ok) == 9223372036854775807.0 && ok, "tonumber of an int");
    lx_toint(L, 3, &ok);
    tap_ok(ok == 0, "toint of 0.1 is not ok");
    lx_pushfloat(L, -3.0);
    tap_ok(lx_toint(L, -1, &ok) == -3 && ok, "toint of -3.0 is -3");
    lx_pushfloat(L, 9223372036854775808.0); /* 2^63: one past Int64 */
    lx_toint(L, -1, &ok);
    tap_ok(ok == 0, "toint of 2^63 is not ok");
    lx_pushfloat(L, -9223372036854775808.0);
    tap_ok(lx_toint(L, -1, &ok) == INT64_MIN && ok, "toint of -2^63 is Int64 min");
    lx_pushfloat(L, NAN);
    lx_toint(L, -1, &ok);
    tap_ok(ok == 0 && isnan(lx_tonumber(L, -1, NULL)), "NaN is a number and no integer");
    lx_pushbool(L, 1);
    tap_ok(lx_type(L, -1) == LX_VBOOL && lx_tobool(L, -1, &ok) == 1 && ok, "true read back");
    lx_tonumber(L, -1, &ok);
    tap_ok(ok == 0, "a Bool is not read as a number");
    lx_tobool(L, 1, &ok);
    tap_ok(ok == 0, "an Int is not read as a Bool");
    lx_pushnothing(L);
    tap_ok(lx_type(L, -1) == LX_VNOTHING && !strcmp(lx_typename(L, -1), "Nothing"), "nothing");
    lx_toint(L, 99, &ok);
    tap_ok(ok == 0 && lx_tonumber(L, 99, &ok) == 0 && ok == 0, "reading an empty index is not ok");
    /* values round-trip through lx: the sum computed by lx code */
    lx_settop(L, 0);
    tap_ok(host_run(L, "big = typemax(Int64); small = typemin(Int64); f32 = 0.1f0; f64 = 0.1") == LX_OK,
           "globals from lx");
    lx_getglobal(L, "big");
    lx_getglobal(L, "small");
    lx_getglobal(L, "f32");
    lx_getglobal(L, "f64");
    tap_ok(lx_toint(L, 1, NULL) == INT64_MAX && lx_toint(L, 2, NULL) == INT64_MIN, "typemax/typemin from lx");
    tap_ok(!strcmp(lx_typename(L, 3), "Float32") && lx_tonumber(L, 3, NULL) == (double)0.1f,
           "lx's 0.1f0 is a Float32 with the float's value");
    tap_ok(!strcmp(lx_typename(L, 4), "Float64") && lx_tonumber(L, 4, NULL) == 0.1, "lx's 0.1 is a Float64");
    lx_settop(L, 0);
    lx_pushfloat32(L, 0.1f);
    lx_setglobal(L, "g32");
    lx_pushint(L, INT64_MIN);
    lx_setglobal(L, "gmin");
    tap_ok(host_run(L, "@assert typeof(g32) == Float32 && g32 == 0.1f0 && gmin == typemin(Int64)") == LX_OK,
           "Float32 and Int64 min pushed by the host are exact in lx");
}

static void test_strings(lx_State *L)
{
    static const char bytes[] = "a\0b\xc3\xa9"; /* a NUL inside, and é */
    tap_ok(lx_pushstring(L, bytes, 5) == LX_OK, "pushstring with an embedded NUL");
    size_t len = 0;
    const char *s = lx_tostring(L, -1, &len);
    tap_ok(s && len == 5 && !memcmp(s, bytes, 5) && s[5] == '\0',
           "read back: 5 bytes, NUL inside, 0-terminated");
    tap_ok(lx_len(L, -1) == 4, "lx_len counts characters, as length does (%lld)", (long long)lx_len(L, -1));
    lx_setglobal(L, "sz");
    tap_ok(host_run(L, "@assert sizeof(sz) == 5 && length(sz) == 4 && codeunit(sz, 2) == 0") == LX_OK,
           "lx sees the 5 bytes with the NUL");
    lx_pushstring(L, NULL, 0);
    tap_ok(lx_tostring(L, -1, &len) && len == 0, "an empty string from NULL, 0");
    host_fails(L, lx_pushstring(L, NULL, 3), LX_ERRRUN, "NULL with a length is an error", "ArgumentError",
               "lx_pushstring", NULL);
    lx_pushsymbol(L, "relu");
    tap_ok(lx_type(L, -1) == LX_VSYMBOL && !strcmp(lx_tostring(L, -1, &len), "relu") && len == 4,
           "a symbol reads back as its name");
    lx_pushint(L, 5);
    tap_ok(lx_tostring(L, -1, &len) == NULL && len == 0, "tostring of an int is NULL");
    host_fails(L, lx_pushsymbol(L, NULL), LX_ERRRUN, "a NULL symbol name is an error", "lx_pushsymbol", NULL);
    lx_settop(L, 0);
}

static void test_tuples(lx_State *L)
{
    lx_pushint(L, 1);
    lx_pushstring(L, "two", 3);
    lx_pushfloat(L, 3.5);
    tap_ok(lx_maketuple(L, 3) == LX_OK && lx_gettop(L) == 1, "maketuple pops 3 and pushes 1");
    tap_ok(lx_type(L, -1) == LX_VTUPLE && lx_len(L, -1) == 3, "a 3-tuple");
    lx_pushvalue(L, -1);
    lx_setglobal(L, "tup");
    tap_ok(host_run(L, "@assert tup == (1, \"two\", 3.5)") == LX_OK, "lx sees (1, \"two\", 3.5)");
    tap_ok(lx_getindex(L, 1, 2) == LX_OK && !strcmp(lx_tostring(L, -1, NULL), "two"), "element 2 is \"two\"");
    lx_pop(L, 1);
    host_fails(L, lx_getindex(L, 1, 4), LX_ERRRUN, "element 4 of a 3-tuple",
               "BoundsError: attempt to access 3-element Tuple at index [4]", NULL);
    host_fails(L, lx_getindex(L, 1, 0), LX_ERRRUN, "element 0", "at index [0]", NULL);
    tap_ok(lx_gettop(L) == 1, "failed getindex pushed nothing");
    tap_ok(lx_maketuple(L, 0) == LX_OK && lx_len(L, -1) == 0, "the empty tuple");
    lx_settop(L, 0);
    host_fails(L, lx_maketuple(L, 2), LX_ERRRUN, "maketuple of more values than the frame holds",
               "lx_maketuple", "2 values", "holds 0", NULL);
    host_fails(L, lx_maketuple(L, -1), LX_ERRRUN, "maketuple of -1 values", "-1", NULL);

    lx_pushint(L, 10);
    lx_pushfloat32(L, 2.5f);
    const char *names[] = {"a", "b"};
    tap_ok(lx_makenamedtuple(L, 2, names) == LX_OK && lx_type(L, -1) == LX_VNAMEDTUPLE && lx_len(L, -1) == 2,
           "a named tuple (a, b)");
    tap_ok(!strcmp(lx_fieldname(L, -1, 1), "a") && !strcmp(lx_fieldname(L, -1, 2), "b") &&
               lx_fieldname(L, -1, 3) == NULL && lx_fieldname(L, -1, 0) == NULL,
           "its field names, NULL past them");
    tap_ok(lx_getfield(L, -1, "b") == LX_OK && lx_tonumber(L, -1, NULL) == 2.5 &&
               !strcmp(lx_typename(L, -1), "Float32"),
           "field b is 2.5f0");
    lx_pop(L, 1);
    tap_ok(lx_getindex(L, -1, 1) == LX_OK && lx_toint(L, -1, NULL) == 10, "element 1 of a named tuple");
    lx_pop(L, 1);
    host_fails(L, lx_getfield(L, -1, "c"), LX_ERRRUN, "a missing field", "FieldError", "no field `c`", "a, b",
               NULL);
    lx_setglobal(L, "nt");
    tap_ok(host_run(L, "@assert nt == (a = 10, b = 2.5f0)") == LX_OK, "lx sees (a = 10, b = 2.5f0)");
    lx_pushint(L, 1);
    lx_pushint(L, 2);
    const char *dup[] = {"x", "x"};
    host_fails(L, lx_makenamedtuple(L, 2, dup), LX_ERRRUN, "duplicate names", "ArgumentError", "`x`", "twice",
               NULL);
    tap_ok(lx_gettop(L) == 2, "a failed makenamedtuple leaves its values");
    const char *nul[] = {"x", NULL};
    host_fails(L, lx_makenamedtuple(L, 2, nul), LX_ERRRUN, "a NULL name", "name 2 is NULL", NULL);
    host_fails(L, lx_makenamedtuple(L, 2, NULL), LX_ERRRUN, "no names", "no names", NULL);
    lx_settop(L, 0);
    tap_ok(lx_makenamedtuple(L, 0, NULL) == LX_OK && lx_len(L, -1) == 0, "the empty named tuple");
    lx_settop(L, 0);

    /* structs and lists from lx */
    tap_ok(host_run(L, "struct Pt; x; y; end; pt = Pt(1, 2.0); lst = Any[4, 5, 6]; vec = [4, 5, 6]") == LX_OK,
           "a struct and a list");
    lx_getglobal(L, "pt");
    tap_ok(lx_type(L, -1) == LX_VOTHER && !strcmp(lx_typename(L, -1), "Pt") && lx_len(L, -1) == 2,
           "a struct is LX_VOTHER named Pt with 2 fields");
    tap_ok(!strcmp(lx_fieldname(L, -1, 2), "y"), "its second field is y");
    tap_ok(lx_getfield(L, -1, "y") == LX_OK && lx_tonumber(L, -1, NULL) == 2.0, "pt.y");
    lx_getglobal(L, "lst");
    tap_ok(lx_len(L, -1) == 3 && lx_getindex(L, -1, 3) == LX_OK && lx_toint(L, -1, NULL) == 6, "lst[3] is 6");
    lx_pop(L, 1);
    host_fails(L, lx_getindex(L, -1, 4), LX_ERRRUN, "lst[4]", "BoundsError", "3-element List at index [4]",
               NULL);
    lx_settop(L, 0);
    lx_getglobal(L, "vec");
    tap_ok(lx_type(L, -1) == LX_VTENSOR && lx_len(L, -1) == 3, "a vector literal is a tensor of length 3");
    tap_ok(lx_getindex(L, -1, 2) == LX_OK && lx_toint(L, -1, NULL) == 5 && lx_type(L, -1) == LX_VINT,
           "getindex on a tensor goes through lx's getindex: vec[2] is 5");
    lx_pop(L, 1);
    host_fails(L, lx_getindex(L, -1, 4), LX_ERRRUN, "vec[4]", "BoundsError", "at index [4]", NULL);
    lx_settop(L, 0);
    tap_ok(host_run(L, "d = Dict(\"k\" => 3)") == LX_OK, "a Dict");
    lx_getglobal(L, "d");
    host_fails(L, lx_getindex(L, -1, 1), LX_ERRRUN, "a Dict indexed by position goes through getindex",
               "KeyError", NULL);
    lx_settop(L, 0);
}

static void test_globals(lx_State *L)
{
    host_fails(L, lx_getglobal(L, "no_such_global"), LX_ERRRUN, "a missing global",
               "UndefVarError: `no_such_global` not defined", NULL);
    tap_ok(lx_gettop(L) == 0, "a missing global pushes nothing");
    host_fails(L, lx_setglobal(L, "x"), LX_ERRRUN, "setglobal with an empty stack", "lx_setglobal", "empty",
               NULL);
    host_fails(L, lx_getglobal(L, NULL), LX_ERRRUN, "a NULL name", "NULL", NULL);
    lx_pushint(L, 5);
    tap_ok(lx_setglobal(L, "g5") == LX_OK && lx_gettop(L) == 0, "setglobal pops");
    tap_ok(host_run(L, "@assert g5 == 5") == LX_OK, "lx sees g5");
    tap_ok(host_run(L, "const KC = 1") == LX_OK, "a constant");
    lx_pushint(L, 2);
    host_fails(L, lx_setglobal(L, "KC"), LX_ERRRUN, "assigning a constant",
               "invalid redefinition of constant KC", NULL);
    lx_settop(L, 0);
    tap_ok(lx_getglobal(L, "Dense") == LX_OK && lx_type(L, -1) == LX_VFUNCTION,
           "Dense (the layers library) is there");
    lx_settop(L, 0);
}

static void test_refs(lx_State *L)
{
    tap_ok(lx_ref(L) == 0, "ref of an empty stack is 0");
    tap_ok(host_run(L, "make() = (w = ones(Float32, 3), s = \"kept\" * string(42))") == LX_OK, "a maker");
    int refs[40];
    for (int i = 0; i < 40; i++) {
        lx_getglobal(L, "make");
        lx_call(L, 0);
        refs[i] = lx_ref(L);
    }
    tap_ok(lx_gettop(L) == 0 && refs[0] > 0 && refs[39] > refs[0], "40 references, the stack empty again");
    lx_getref(L, refs[7]);
    lx_getfield(L, -1, "s");
    const char *kept = lx_tostring(L, -1, NULL);
    tap_ok(host_run(L, "for i in 1:200000; x = string(i) * \"junk\"; end") == LX_OK,
           "allocations and a forced collection");
    tap_ok(kept && !strcmp(kept, "kept42"), "a string read from the stack survives the collection");
    lx_settop(L, 0);
    bool all = true;
    for (int i = 0; i < 40; i++) {
        lx_getref(L, refs[i]);
        lx_getfield(L, -1, "w");
        lx_Tensor t;
        all = all && lx_totensor(L, -1, &t) && t.numel == 3 && ((float *)t.data)[2] == 1.0f;
        lx_settop(L, 0);
    }
    tap_ok(all, "every referenced value survived");
    lx_unref(L, refs[3]);
    host_fails(L, lx_getref(L, refs[3]), LX_ERRRUN, "an unref'd handle is not live", "lx_getref",
               "is not a live reference", NULL);
    host_fails(L, lx_getref(L, 0), LX_ERRRUN, "handle 0", "0 is not", NULL);
    host_fails(L, lx_getref(L, 100000), LX_ERRRUN, "handle 100000", "100000 is not", NULL);
    lx_unref(L, refs[3]);
    lx_unref(L, -5);
    lx_pushint(L, 99);
    int r = lx_ref(L);
    tap_ok(r == refs[3], "a freed handle is reused (%d)", r);
    lx_getref(L, r);
    tap_ok(lx_toint(L, -1, NULL) == 99, "and holds the new value");
    lx_settop(L, 0);
    for (int i = 0; i < 40; i++)
        lx_unref(L, refs[i]);
}

/* A memory limit reached while pushing: LX_ERRMEM with a message, and the state still usable. */
static void test_memory(void)
{
    lx_State *L = host_open((size_t)64 << 20);
    if (!L) {
        tap_ok(false, "a state with a 64 MB limit");
        return;
    }
    size_t len = (size_t)1 << 20;
    char *big = malloc(len);
    memset(big, 'x', len);
    lx_Status st = LX_OK;
    int n = 0;
    for (; n < 200 && st == LX_OK; n++) {
        big[n % len] = (char)('a' + n % 26); /* distinct strings: no interning shortcut */
        big[(n * 7919) % len] = (char)('A' + n % 26);
        st = lx_pushstring(L, big, len);
    }
    host_fails(L, st, LX_ERRMEM, "pushing 1 MB strings under a 64 MB limit fails with LX_ERRMEM",
               "OutOfMemoryError", NULL);
    tap_ok(lx_gettop(L) == n - 1, "the failed push left the %d pushed values", n - 1);
    lx_settop(L, 0);
    free(big);
    tap_ok(host_run(L, "x = sum(1:10)") == LX_OK, "the state runs code again after popping");
    lx_getglobal(L, "x");
    tap_ok(lx_toint(L, -1, NULL) == 55, "and gets its values right");
    lx_settop(L, 0);
    /* the stack's own bound */
    st = LX_OK;
    int i = 0;
    for (; i < 1100000 && st == LX_OK; i++)
        st = lx_pushint(L, i);
    host_fails(L, st, LX_ERRMEM, "the host stack stops at its bound", "host stack is full", "1000000", NULL);
    tap_ok(lx_gettop(L) == 1000000, "a million values are on it");
    lx_settop(L, 0);
    tap_ok(lx_pushint(L, 1) == LX_OK, "pushing works again");
    lx_settop(L, 0);
    host_close(L, "memory");
}

int main(void)
{
    lx_State *L = host_open(0);
    if (!L) {
        tap_ok(false, "lx_open");
        return tap_done();
    }
    test_stack(L);
    test_numbers(L);
    test_strings(L);
    test_tuples(L);
    test_globals(L);
    test_refs(L);
    host_close(L, "values");
    test_memory();
    free(host_out.s);
    return tap_done();
}
