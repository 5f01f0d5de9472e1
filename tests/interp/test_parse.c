/* test_parse.c — the parser: each construct of spec §2–§4 and §8 as an
 * S-expression, and bad input: positions, messages, the "incomplete" flag
 * the REPL relies on, and deep nesting bounded without a crash.
 */
#include "parse.h"
#include "runtime.h"
#include "tap.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char out[16384];

/* The tree of src inside its top-level BLOCK, or ERR line:col[+] message. */
static const char *parse_n(const char *src, size_t len)
{
    lxA_arena a;
    lxA_arena_init(&a, tap_alloc, NULL);
    lxP_result r;
    lxA_node *top = lxP_parse(src, len, "test.lx", &a, &r);
    if (top) {
        char buf[sizeof out];
        lxA_dump(top, buf, sizeof buf);
        size_t n = strlen(buf);
        /* drop the "(BLOCK " ... ")" around the statements */
        snprintf(out, sizeof out, "%.*s", n > 8 ? (int)(n - 8) : 0, buf + 7);
    } else {
        snprintf(out, sizeof out, "ERR %d:%d%s %s", r.line, r.col, r.incomplete ? "+" : "", r.message);
    }
    lxA_arena_free(&a);
    return out;
}

static void parses(const char *src, const char *want)
{
    const char *got = parse_n(src, strlen(src));
    if (!tap_ok(!strcmp(got, want), "%s", src)) {
        tap_diag("got:  %s", got);
        tap_diag("want: %s", want);
    }
}

/* The first statement of src back to text (lxA_unparse, what @show, @test and @assert print). */
static void unparses(const char *src, const char *want)
{
    lxA_arena a;
    lxA_arena_init(&a, tap_alloc, NULL);
    lxP_result r;
    lxA_node *top = lxP_parse(src, strlen(src), "test.lx", &a, &r);
    char buf[1024] = "";
    if (top && top->n)
        lxA_unparse(top->kids[0], buf, sizeof buf);
    else
        snprintf(buf, sizeof buf, "ERR %s", r.message);
    if (!tap_ok(!strcmp(buf, want), "unparse %s", src)) {
        tap_diag("got:  %s", buf);
        tap_diag("want: %s", want);
    }
    lxA_arena_free(&a);
}

static void rejects(const char *src, size_t len, const char *want_prefix, const char *name)
{
    const char *got = parse_n(src, len);
    if (!tap_ok(!strncmp(got, want_prefix, strlen(want_prefix)), "%s", name)) {
        tap_diag("got:  %s", got);
        tap_diag("want: %s...", want_prefix);
    }
}

int main(void)
{
    /* precedence and operators (spec §2) */
    parses("x = 1 + 2 * 3^2", "(ASSIGN x (BINOP + 1 (BINOP * 2 (BINOP ^ 3 2))))");
    parses("y = -2^2", "(ASSIGN y (UNOP - (BINOP ^ 2 2)))");
    parses("a < b <= c", "(COMPARE a < b <= c)");
    parses("x isa Int && y in ys", "(AND (COMPARE x isa Int) (COMPARE y ∈ ys))");
    parses("x |> f |> g", "(BINOP |> (BINOP |> x f) g)");
    parses("c ? a : b", "(TERNARY c a b)");
    parses("c ? 1:2 : 3", "(TERNARY c (RANGE 1 2) 3)");
    parses("x = y ? 1 :\n 2", "(ASSIGN x (TERNARY y 1 2))");
    parses("a => b => c", "(PAIR a (PAIR b c))");
    parses("a = b = 2", "(ASSIGN a (ASSIGN b 2))");
    parses("1 +\n2", "(BINOP + 1 2)");
    parses("x .* -y", "(DOTOP .* x (UNOP - y))");
    parses("√2", "(UNOP √ 2)");
    parses("A'", "(ADJOINT A)");
    parses("x::Float64", "(TYPED x Float64)");
    parses("1:2:10", "(RANGE 1 2 10)");

    /* calls, broadcasting, juxtaposition, fields, indexing */
    parses("f(x, y; k = 2)", "(CALL f x y (KW k #4 2))");
    parses("f(; a, b=1)", "(CALL f (KW a #4 a) (KW b #4 1))");
    parses("f.(x) .+ 1", "(DOTOP .+ (DOTCALL f x) 1)");
    parses("2x + 3(a+b)", "(BINOP + (BINOP * 2 x) (BINOP * 3 (PARENS (BINOP + a b))))");
    parses("a.b(c).d[1]", "(INDEX (FIELD d (CALL (FIELD b a) c)) 1)");
    parses("x[:, 2:end]", "(INDEX x : (RANGE 2 end))");
    parses("x[end - 1, begin]", "(INDEX x (BINOP - end 1) begin)");
    parses("f(xs...)", "(CALL f (SPLAT xs))");
    parses("f(a,\n  b)", "(CALL f a b)");
    parses("sum(x; dims=1)", "(CALL sum x (KW dims #4 1))");
    parses("m = Chain(Dense(2 => 3, relu), Dense(3 => 1))",
           "(ASSIGN m (CALL Chain (CALL Dense (PAIR 2 3) relu) (CALL Dense (PAIR 3 1))))");

    /* tuples, named tuples, vectors, comprehensions */
    parses("(a = 1, b = 2)", "(NAMEDTUPLE (KW a 1) (KW b 2))");
    parses("(a = 1)", "(PARENS (ASSIGN a 1))");
    parses("(; a, b) = ps", "(ASSIGN (NAMEDTUPLE (KW a a) (KW b b)) ps)");
    parses("(a; b)", "(BLOCK a b)");
    parses("()", "(TUPLE)");
    parses("(1,)", "(TUPLE 1)");
    parses("a, b = f()", "(ASSIGN (TUPLE a b) (CALL f))");
    parses("x = 1, 2", "(ASSIGN x (TUPLE 1 2))");
    parses("[1 2; 3 4]", "(VCAT (ROW 1 2) (ROW 3 4))");
    parses("x = [1 2\n3 4]", "(ASSIGN x (VCAT (ROW 1 2) (ROW 3 4)))");
    parses("[1, 2.5]", "(VECT 1 2.5)");
    parses("[1, 2,\n 3]", "(VECT 1 2 3)");
    parses("[a -b]", "(HCAT a (UNOP - b))");
    parses("[a - b]", "(VECT (BINOP - a b))");
    parses("[]", "(VECT)");
    parses("[x^2 for x in xs if x > 1]", "(COMPREHENSION (BINOP ^ x 2) (ITER x xs) (COMPARE x > 1))");
    parses("sum(x^2 for x in xs)", "(CALL sum (GENERATOR (BINOP ^ x 2) (ITER x xs)))");
    parses("Float64[1, 2]", "(INDEX Float64 1 2)");
    parses("Float64[1 2; 3 4]", "(TYPEDVECT Float64 (VCAT (ROW 1 2) (ROW 3 4)))");
    /* comma iterators are Julia's product (#64 on the ITER); one product without a filter: shaped (#256) */
    parses("[i + j for i in 1:2, j in 1:3]",
           "(COMPREHENSION #256 (BINOP + i j) (ITER i (RANGE 1 2)) (ITER #64 j (RANGE 1 3)))");
    parses("[x for x in a, y in b if x < y]", "(COMPREHENSION x (ITER x a) (ITER #64 y b) (COMPARE x < y))");
    parses("[x for x in a for y in b]", "(COMPREHENSION x (ITER x a) (ITER y b))");
    parses("[x for x in a, y in b for z in c]", "(COMPREHENSION x (ITER x a) (ITER #64 y b) (ITER z c))");
    parses("sum(i for i in a, j in b)", "(CALL sum (GENERATOR i (ITER i a) (ITER #64 j b)))");
    parses("Float64[i for i in a, j in b]",
           "(TYPEDVECT Float64 (COMPREHENSION #256 i (ITER i a) (ITER #64 j b)))");
    /* dotted Unicode comparisons and ÷ */
    parses("x .≈ y", "(COMPARE x .≈ y)");
    parses("a .≤ b .≥ c", "(COMPARE a .≤ b .≥ c)");
    parses("a .≠ b", "(COMPARE a .≠ b)");
    parses("a .÷ 2", "(DOTOP .÷ a 2)");
    parses("x[begin:end-1]", "(INDEX x (RANGE begin (BINOP - end 1)))");
    parses("x[begin:n]", "(INDEX x (RANGE begin n))");

    /* unparsing: brackets of matrix literals in every context */
    unparses("repeat([1 2], 2, 1)", "repeat([1 2], 2, 1)");
    unparses("[1/3 2/3] == x", "[1 / 3 2 / 3] == x");
    unparses("f([1 2; 3 4])", "f([1 2; 3 4])");
    unparses("(Float64[1 2], Int[1 2; 3 4])", "(Float64[1 2], Int[1 2; 3 4])");
    unparses("[a -b]", "[a -b]");
    unparses("Float64[1, 2]", "Float64[1, 2]");
    unparses("Int[]", "Int[]");
    unparses("[[1 2], [3 4]]", "[[1 2], [3 4]]");
    unparses("[x^2 for x in xs if x > 1]", "[x^2 for x in xs if x > 1]");
    unparses("Float64[x for x in xs]", "Float64[x for x in xs]");
    unparses("[i + j for i in 1:2, j in 1:3]", "[i + j for i in 1:2, j in 1:3]");
    unparses("[x for x in a for y in b]", "[x for x in a for y in b]");
    unparses("sum(x for x in xs)", "sum(x for x in xs)");
    unparses("f(a, (x for x in xs))", "f(a, (x for x in xs))");
    unparses("x .≈ y", "x .≈ y");
    unparses("x[begin:end - 1]", "x[begin:end - 1]");

    /* strings */
    parses("println(\"a $x b $(f(y)) c\")", "(CALL println (STRING \"a \" x \" b \" (CALL f y) \" c\"))");

    /* functions and lambdas (spec §3, §4) */
    parses("sq(x) = x * x", "(FUNCTION #2 sq (TUPLE (PARAM x _ _)) (BINOP * x x))");
    parses("function loss(m, ps; agg = mean)\n  return agg(y), st\nend",
           "(FUNCTION loss (TUPLE (PARAM m _ _) (PARAM ps _ _) (PARAM #4 agg _ mean)) (BLOCK (RETURN (TUPLE "
           "(CALL agg y) "
           "st))))");
    parses("f(x...) = x", "(FUNCTION #2 f (TUPLE (PARAM #8 x _ _)) x)");
    parses("f(x; act::Symbol = :id, n::Int) = x",
           "(FUNCTION #2 f (TUPLE (PARAM x _ _) (PARAM #4 act Symbol :id) (PARAM #4 n Int _)) x)");
    parses("f(x::T, y = 2) where T = x", "(FUNCTION #2 f (TUPLE (PARAM x T _) (PARAM y _ 2)) x)");
    parses("LuxCore.initialparameters(rng, l::Linear) = 1",
           "(FUNCTION #2 (FIELD initialparameters LuxCore) (TUPLE (PARAM rng _ _) (PARAM l Linear _)) 1)");
    parses("(l::Linear)(x, ps, st) = 1",
           "(FUNCTION #2 (TYPED l Linear) (TUPLE (PARAM x _ _) (PARAM ps _ _) (PARAM st _ _)) 1)");
    parses("function (x) x end", "(FUNCTION #16 _ (TUPLE (PARAM x _ _)) (BLOCK x))");
    parses("function f end", "(FUNCTION f (TUPLE) (BLOCK))");
    parses("x -> x^2", "(LAMBDA (TUPLE x) (BINOP ^ x 2))");
    parses("(x, y) -> x + y", "(LAMBDA (TUPLE x y) (BINOP + x y))");
    parses("map(xs) do x\n x + 1\nend", "(CALL map (LAMBDA (TUPLE x) (BLOCK (BINOP + x 1))) xs)");
    parses("\"\"\"\n   Docs.\n   \"\"\"\nf(x) = 1",
           "(DOC (STRING #32 \"Docs.\n\") (FUNCTION #2 f (TUPLE (PARAM x _ _)) 1))");

    /* blocks and statements */
    parses("if a\n 1\nelseif b\n 2\nelse\n 3\nend", "(IF a (BLOCK 1) (IF b (BLOCK 2) (BLOCK 3)))");
    parses("for i in 1:10, j = 1:2\n s += i\nend",
           "(FOR (BLOCK (ITER i (RANGE 1 10)) (ITER j (RANGE 1 2))) (BLOCK (OPASSIGN += s i)))");
    parses("while x < 3; x += 1; end", "(WHILE (COMPARE x < 3) (BLOCK (OPASSIGN += x 1)))");
    parses("try\n error(\"x\")\ncatch err\n println(err)\nfinally\n done()\nend",
           "(TRY (BLOCK (CALL error (STRING \"x\"))) err (BLOCK (CALL println err)) (BLOCK (CALL done)))");
    parses("let a = 1, b = 2\n a + b\nend", "(LET (BLOCK (ASSIGN a 1) (ASSIGN b 2)) (BLOCK (BINOP + a b)))");
    parses("const N = 10", "(CONST (ASSIGN N 10))");
    parses("using Lux, Random", "(USING Lux Random)");
    parses("struct Linear{F} <: AbstractLuxLayer\n  in_dims::Int\n  out_dims::Int\nend",
           "(STRUCT Linear AbstractLuxLayer (TYPED in_dims Int) (TYPED out_dims Int))");
    parses("mutable struct S\n x\nend", "(STRUCT #1 S _ x)");
    parses("abstract type A <: B end", "(ABSTRACT A B)");
    parses("x .= 0", "(DOTASSIGN x 0)");

    /* macros (spec §8) */
    parses("@test a ≈ b atol=1e-3", "(MACROCALL test (COMPARE a ≈ b) (ASSIGN atol 0.001))");
    parses("@testset \"name\" begin\n @test 1 == 1\nend",
           "(MACROCALL testset (STRING \"name\") (BLOCK (MACROCALL test (COMPARE 1 == 1))))");
    parses("@set! ps.layer_1.weight = W", "(MACROCALL set! (ASSIGN (FIELD weight (FIELD layer_1 ps)) W))");
    parses("@. y = x * 2", "(MACROCALL . (ASSIGN y (BINOP * x 2)))");
    parses("Lux.@compact(x = 1)", "(MACROCALL compact (KW x 1))");

    /* bad input: position, message, and whether more input could complete it */
    rejects("function f(x)", 13, "ERR 1:14+ expected \"end\"", "an open function is incomplete");
    rejects("(1 +", 4, "ERR 1:5+", "a trailing operator is incomplete");
    rejects("[1, 2", 5, "ERR 1:6+ expected \"]\"", "an open bracket is incomplete");
    rejects("x = \"abc", 8, "ERR 1:5+ unterminated string", "an open string is incomplete");
    rejects("if x\n 1\n", 8, "ERR 3:1+", "an open if is incomplete");
    rejects("x = )", 5, "ERR 1:5 expected an expression, got \")\"", "a stray ) is an error, not incomplete");
    rejects("end", 3, "ERR 1:1 expected an expression, got \"end\"", "a stray end");
    rejects("a b", 3, "ERR 1:3 expected the end of the statement, got \"b\"", "two expressions on one line");
    rejects("module M end", 12, "ERR 1:1 module definitions are not supported", "module explains itself");
    rejects("x = 1\0", 6, "ERR 1:6 NUL byte", "a NUL byte");
    rejects("x = \"\xff\"", 7, "ERR 1:6 invalid UTF-8", "invalid UTF-8 in a string");
    rejects("println(\"$(1 +)\")", 17, "ERR 1:15", "an error inside an interpolation points into it");

    /* the message as printed: file:line:col, the line, a caret (spec §7) */
    {
        const char *src = "x = 1\nσ = (1 + )\n";
        lxA_arena a;
        lxA_arena_init(&a, tap_alloc, NULL);
        lxP_result r;
        lxP_parse(src, strlen(src), "model.lx", &a, &r);
        char msg[512];
        lxP_format_error(src, strlen(src), "model.lx", &r, msg, sizeof msg);
        const char *want = "model.lx:2:10: expected an expression, got \")\"\nσ = (1 + )\n         ^";
        if (!tap_ok(!strcmp(msg, want), "a parse error shows file:line:col, the line and a caret"))
            tap_diag("got:\n%s", msg);
        lxA_arena_free(&a);
    }

    size_t n = 100000;
    char *deep = malloc(n);
    memset(deep, '(', n);
    rejects(deep, n, "ERR 1:200 expression nested too deeply",
            "100,000 open brackets: an error, not a crash");
    memset(deep, '[', n);
    rejects(deep, n, "ERR", "100,000 open square brackets");
    for (size_t i = 0; i < n; i++)
        deep[i] = i % 2 ? '-' : '!';
    rejects(deep, n, "ERR", "100,000 prefix operators");
    free(deep);

    /* robustness: 3,000 inputs glued from fragments of the grammar parse or
     * fail cleanly (run under ASan: no overflow, no leak, no crash) */
    static const char *frag[] = {
        "x",      "1",        "2.5",  "\"s$(x)\"", "(",  ")",   "[",     "]",   "{",     "}",
        ",",      ";",        "\n",   " ",         "=",  "+",   "-",     "*",   "^",     ".",
        ".*",     ":",        "::",   "?",         "->", "=>",  "&&",    "'",   "...",   "@m",
        "end",    "function", "if",   "for",       "in", "do",  "begin", "try", "catch", "struct",
        "return", "let",      "#c\n", "\"\"\"",    "f(", "a.b", "x[",    "1:2", "=="};
    uint32_t seed = 7;
    int clean = 0;
    for (int k = 0; k < 3000; k++) {
        char buf[512];
        size_t len = 0;
        int pieces = 1 + k % 24;
        for (int i = 0; i < pieces; i++) {
            seed = seed * 1103515245u + 12345u;
            const char *f = frag[(seed >> 16) % (sizeof frag / sizeof *frag)];
            size_t fl = strlen(f);
            if (len + fl >= sizeof buf) break;
            memcpy(buf + len, f, fl);
            len += fl;
        }
        char *heap = malloc(len ? len : 1);
        memcpy(heap, buf, len);
        const char *got = parse_n(heap, len);
        /* a tree (or nothing, for blank input) or an error with a position and a message */
        int line, col;
        bool err = sscanf(got, "ERR %d:%d", &line, &col) == 2 && line >= 1 && col >= 1 && strlen(got) > 12;
        clean += strncmp(got, "ERR ", 4) != 0 || err;
        free(heap);
    }
    tap_ok(clean == 3000, "3,000 fragment-soup inputs parse or fail cleanly (%d)", clean);
    return tap_done();
}
