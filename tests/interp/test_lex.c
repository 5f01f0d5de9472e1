/* test_lex.c — the lexer on good and bad input: every token kind, numbers,
 * juxtaposition and spacing facts, dotted and Unicode operators, strings with
 * escapes, interpolation and Julia's triple-quote dedent, and each error
 * (NUL, invalid UTF-8, unterminated constructs as "incomplete").
 */
#include "lex.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* All tokens of src as one line of text: KIND(text) separated by spaces, a
 * leading ^ marking space_before; stops after the first error. */
static char out[8192];
static lxX_lexer L;

static const char *dump_n(const char *src, size_t len)
{
    lxX_init(&L, src, len, "test.lx", tap_alloc, NULL);
    size_t k = 0;
    out[0] = '\0';
    for (;;) {
        lxX_token t;
        lxX_kind kind = lxX_next(&L, &t);
        char one[512];
        switch (kind) {
        case TK_EOF: snprintf(one, sizeof one, "EOF"); break;
        case TK_ERROR:
            snprintf(one, sizeof one, "ERROR@%d:%d%s", t.line, t.col, L.incomplete ? "+" : "");
            break;
        case TK_NEWLINE: snprintf(one, sizeof one, "NL"); break;
        case TK_INT: snprintf(one, sizeof one, "INT(%lld)", (long long)t.v.i); break;
        case TK_FLOAT: snprintf(one, sizeof one, "F64(%g)", t.v.d); break;
        case TK_FLOAT32: snprintf(one, sizeof one, "F32(%g)", t.v.d); break;
        case TK_STRING: {
            size_t m = (size_t)snprintf(one, sizeof one, "STR[");
            for (int i = 0; i < t.str.n && m < sizeof one; i++)
                m += (size_t)snprintf(one + m, sizeof one - m, "%s%s%.*s%s", i ? "|" : "",
                                      t.str.pieces[i].interp ? "$(" : "", (int)t.str.pieces[i].len,
                                      t.str.pieces[i].text, t.str.pieces[i].interp ? ")" : "");
            if (m < sizeof one) snprintf(one + m, sizeof one - m, "]");
            break;
        }
        case TK_SYMBOL: snprintf(one, sizeof one, "SYM(%.*s)", (int)t.len, t.text); break;
        case TK_IDENT: snprintf(one, sizeof one, "ID(%.*s)", (int)t.len, t.text); break;
        case TK_KEYWORD: snprintf(one, sizeof one, "KW(%s)", lxX_keyword_name(t.v.kw)); break;
        case TK_MACRO: snprintf(one, sizeof one, "@(%.*s)", (int)t.len, t.text); break;
        case TK_OP: snprintf(one, sizeof one, "OP(%s)", lxX_op_name(t.v.op)); break;
        default: snprintf(one, sizeof one, "?"); break;
        }
        k +=
            (size_t)snprintf(out + k, sizeof out - k, "%s%s%s", k ? " " : "", t.space_before ? "^" : "", one);
        if (kind == TK_EOF || kind == TK_ERROR || k >= sizeof out - 1) break;
    }
    return out;
}

static const char *dump(const char *src)
{
    return dump_n(src, strlen(src));
}

static void lexes(const char *src, const char *want, const char *name)
{
    const char *got = dump(src);
    if (!tap_ok(!strcmp(got, want), "%s", name)) {
        tap_diag("got:  %s", got);
        tap_diag("want: %s", want);
        if (L.message[0]) tap_diag("message: %s", L.message);
    }
    lxX_free(&L);
}

static void fails(const char *src, size_t len, const char *at, bool incomplete, const char *msg,
                  const char *name)
{
    const char *got = dump_n(src, len);
    const char *e = strstr(got, "ERROR@");
    bool ok = e && !strncmp(e + 6, at, strlen(at)) && L.incomplete == incomplete && strstr(L.message, msg);
    if (!tap_ok(ok, "%s", name))
        tap_diag("got: %s; message: %s; incomplete %d", got, L.message, L.incomplete);
    lxX_free(&L);
}

int main(void)
{
    /* numbers */
    lexes("x = 1_000 + 0x1f*2.5e-3 - .5 + 1f0 - 2.5f-1 + 0b101 + 0o17 + 1.",
          "ID(x) ^OP(=) ^INT(1000) ^OP(+) ^INT(31) OP(*) F64(0.0025) ^OP(-) ^F64(0.5) ^OP(+) ^F32(1) ^OP(-) "
          "^F32(0.25) ^OP(+) ^INT(5) ^OP(+) ^INT(15) ^OP(+) ^F64(1) EOF",
          "integers, floats, Float32 literals, hex/binary/octal, a trailing dot");
    lexes("2x + 3(a+b) - 0.5y + 2e",
          "INT(2) ID(x) ^OP(+) ^INT(3) OP(() ID(a) OP(+) ID(b) OP()) ^OP(-) ^F64(0.5) ID(y) "
          "^OP(+) ^INT(2) ID(e) EOF",
          "juxtaposition: a number directly followed by a name or ( (no space before it)");
    lexes("1.+x .* y ./ 2 .== z .^ 2 .|> f",
          "INT(1) OP(.+) ID(x) ^OP(.*) ^ID(y) ^OP(./) ^INT(2) ^OP(.==) ^ID(z) ^OP(.^) "
          "^INT(2) ^OP(.|>) ^ID(f) EOF",
          "dotted operators, 1.+x is 1 .+ x");
    lexes("a.b.c[end]", "ID(a) OP(.) ID(b) OP(.) ID(c) OP([) KW(end) OP(]) EOF", "field access and end");

    /* operators, Unicode names and operators */
    lexes("σ(x) ≈ √y ≤ z ≠ w ∈ s ÷ 2 ∘ f ≥ 1",
          "ID(σ) OP(() ID(x) OP()) ^OP(≈) ^OP(√) ID(y) ^OP(≤) ^ID(z) ^OP(≠) ^ID(w) "
          "^OP(∈) ^ID(s) ^OP(÷) ^INT(2) ^OP(∘) ^ID(f) ^OP(≥) ^INT(1) EOF",
          "Unicode operators");
    lexes("ŷ = ∇f₁ + γ′", "ID(ŷ) ^OP(=) ^ID(∇f₁) ^OP(+) ^ID(γ′) EOF",
          "Unicode identifiers: combining marks, subscripts, primes");
    lexes("update!(x); a!=b; a!==b",
          "ID(update!) OP(() ID(x) OP()) OP(;) ^ID(a) OP(!=) ID(b) OP(;) ^ID(a) OP(!==) ID(b) EOF",
          "a trailing ! in names, but a!=b is a != b");
    lexes("f = (x, y...) -> x => y |> g && h || !k",
          "ID(f) ^OP(=) ^OP(() ID(x) OP(,) ^ID(y) OP(...) OP()) ^OP(->) ^ID(x) "
          "^OP(=>) ^ID(y) ^OP(|>) ^ID(g) ^OP(&&) ^ID(h) ^OP(||) ^OP(!) ID(k) EOF",
          "arrows, pairs, pipes, splat, logic");
    lexes("a += 1; b .= c; T <: S; x::Int; a === b",
          "ID(a) ^OP(+=) ^INT(1) OP(;) ^ID(b) ^OP(.=) ^ID(c) OP(;) ^ID(T) "
          "^OP(<:) ^ID(S) OP(;) ^ID(x) OP(::) ID(Int) OP(;) ^ID(a) ^OP(===) ^ID(b) EOF",
          "compound assignment, subtype, type annotation, egal");

    /* symbols, colons, adjoint, macros */
    lexes("x[:, 1:n]; :weight; c ? a : b; (a = :b,)",
          "ID(x) OP([) OP(:) OP(,) ^INT(1) OP(:) ID(n) OP(]) OP(;) ^SYM(weight) "
          "OP(;) ^ID(c) ^OP(?) ^ID(a) ^OP(:) ^ID(b) OP(;) ^OP(() ID(a) ^OP(=) ^SYM(b) OP(,) OP()) EOF",
          "symbols against colons and ranges");
    lexes("A' * B'' + (x)'", "ID(A) OP(') ^OP(*) ^ID(B) OP(') OP(') ^OP(+) ^OP(() ID(x) OP()) OP(') EOF",
          "adjoint");
    lexes("@time f(x); @. y = x; Lux.@compact; @show",
          "@(time) ^ID(f) OP(() ID(x) OP()) OP(;) ^@(.) ^ID(y) ^OP(=) ^ID(x) "
          "OP(;) ^ID(Lux) OP(.) @(compact) OP(;) ^@(show) EOF",
          "macros, @. and qualified macros");
    lexes("function f end if elseif else for in while break continue return let local global const struct "
          "mutable "
          "begin do try catch finally true false nothing using import module abstract isa",
          "KW(function) ^ID(f) ^KW(end) ^KW(if) ^KW(elseif) ^KW(else) ^KW(for) ^KW(in) ^KW(while) ^KW(break) "
          "^KW(continue) ^KW(return) ^KW(let) ^KW(local) ^KW(global) ^KW(const) ^KW(struct) ^KW(mutable) "
          "^KW(begin) "
          "^KW(do) ^KW(try) ^KW(catch) ^KW(finally) ^KW(true) ^KW(false) ^KW(nothing) ^KW(using) ^KW(import) "
          "^KW(module) ^KW(abstract) ^KW(isa) EOF",
          "every keyword");

    /* comments and newlines */
    lexes("a # comment\n#= block #= nested =# still =# b\r\nc", "ID(a) ^NL ^ID(b) NL ID(c) EOF",
          "line and nested block comments, CRLF");

    /* strings */
    lexes("\"a\\tb \\$ $x and $(f(\"y\") + 1) end\"", "STR[a\tb $ |$(x)| and |$(f(\"y\") + 1)| end] EOF",
          "escapes and both interpolation forms");
    lexes("\"$(g(\")\"))$(a[1])!\" \"\"", "STR[$(g(\")\"))|$(a[1])|!] ^STR[] EOF",
          "interpolation containing strings and brackets; the empty string");
    lexes("\"\\u03c3\\x41\\U0001F600\"", "STR[σA😀] EOF", "\\u, \\x and \\U escapes");
    lexes("\"\"\"\n    Hello,\n      world\n    \"\"\"", "STR[Hello,\n  world\n] EOF",
          "triple quotes drop the first newline and the common indentation");
    lexes("\"\"\"x\n  y\"\"\"", "STR[x\ny] EOF", "dedent ignores the first line");
    lexes("\"two\nlines\"", "STR[two\nlines] EOF", "a plain string may span lines");

    /* positions */
    lxX_lexer P;
    const char *src = "σ = 1\n  \"é\" + x";
    lxX_init(&P, src, strlen(src), "t", tap_alloc, NULL);
    lxX_token t[7];
    for (int i = 0; i < 7; i++)
        lxX_next(&P, &t[i]);
    tap_ok(t[1].line == 1 && t[1].col == 3 && t[4].line == 2 && t[4].col == 3 && t[5].col == 7 &&
               t[6].col == 9,
           "columns count characters, not bytes (= at 1:%d, string at %d:%d, + at %d, x at %d)", t[1].col,
           t[4].line, t[4].col, t[5].col, t[6].col);
    lxX_free(&P);

    /* errors */
    fails("a = \"abc", 8, "1:5", true, "unterminated string", "an unterminated string is incomplete input");
    fails("\"\"\"doc\n", 7, "1:1", true, "unterminated string",
          "an unterminated docstring is incomplete input");
    fails("x #= never closed", 17, "1:3", true, "unterminated block comment",
          "an open block comment is incomplete");
    fails("\"$(f(x\"", 7, "", true, "", "an unterminated $( is incomplete");
    fails("a = 1\0 + 2", 10, "1:6", false, "NUL byte", "a NUL byte is an error, not the end");
    fails("x = \xff", 5, "1:5", false, "invalid UTF-8 byte 0xff", "invalid UTF-8");
    fails("x = \xc0\xaf", 6, "1:5", false, "invalid UTF-8", "an overlong UTF-8 form");
    fails("\"a\xed\xa0\x80\"", 6, "1:3", false, "invalid UTF-8", "a UTF-16 surrogate in UTF-8 is invalid");
    fails("x = 'a'", 7, "1:5", false, "character literals", "a character literal is a clear error");
    fails("\"\\q\"", 4, "1:2", false, "invalid escape \\q", "an unknown escape");
    fails("99999999999999999999", 20, "1:1", false, "too large for Int64", "an integer literal too large");
    fails("0x", 2, "1:1", false, "no digits", "0x without digits");
    fails("a\xc2\xa0"
          "b",
          4, "1:2", false, "invisible character U+00A0", "a non-breaking space");
    fails("a \x01", 3, "1:3", false, "control character U+0001", "a control character");
    fails("\"cost: $5\"", 10, "1:8", false, "write \\$", "a bare $ in a string explains itself");

    /* long input: 100,000 open brackets lex in one pass */
    size_t n = 100000;
    char *deep = malloc(n);
    memset(deep, '(', n);
    lxX_init(&P, deep, n, "deep", tap_alloc, NULL);
    size_t count = 0;
    lxX_token tk;
    while (lxX_next(&P, &tk) == TK_OP)
        count++;
    tap_ok(count == n && tk.kind == TK_EOF, "100,000 open brackets are 100,000 tokens (%zu)", count);
    lxX_free(&P);
    free(deep);

    /* robustness: 3,000 random inputs over an alphabet rich in the lexer's
     * special bytes end in EOF or an error, never a crash (run under ASan) */
    static const char alphabet[] =
        "\"\\$()[]{}#=.:'@!+-*/^0123456789abcefx_ \n\r\t\xc3\xb7\xe2\x88\x9a\xff\x80";
    uint32_t seed = 12345;
    int ended = 0;
    for (int k = 0; k < 3000; k++) {
        char buf[64];
        size_t len = (size_t)(k % 64);
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            buf[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        char *heap = malloc(len ? len : 1); /* exact size, so ASan sees any read past the end */
        memcpy(heap, buf, len);
        lxX_init(&P, heap, len, "fuzz", tap_alloc, NULL);
        int steps = 0;
        lxX_kind kk;
        while ((kk = lxX_next(&P, &tk)) != TK_EOF && kk != TK_ERROR && steps < 1000)
            steps++;
        ended += kk == TK_EOF || kk == TK_ERROR;
        lxX_free(&P);
        free(heap);
    }
    tap_ok(ended == 3000, "3,000 random inputs each end in EOF or an error (%d)", ended);
    return tap_done();
}
