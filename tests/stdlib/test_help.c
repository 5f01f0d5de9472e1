/* test_help.c — lx_help, what the REPL's help mode calls: the docstring of a name, a qualified
 * name, a macro, a keyword, a call or a value, rendered for the terminal with and without colour and
 * wrapped to the width; the closest names and the docstrings that mention an unknown one; and
 * hostile topics, each of which must give a message and a status, never a crash.
 */
#include "lx.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef tap_text text;

static text out, err;

static void writer(void *ud, int stream, const char *s, size_t n)
{
    (void)ud;
    tap_text_add(stream == 2 ? &err : &out, s, n);
}

static void clear(void)
{
    out.len = err.len = 0;
    tap_text_add(&out, "", 0);
    tap_text_add(&err, "", 0);
}

/* lx_help on a C string; the output is in out (stdout) and err (stderr). */
static lx_Status help(lx_State *L, const char *topic)
{
    clear();
    return lx_help(L, topic, strlen(topic));
}

static bool has(const char *s, const char *part)
{
    bool yes = strstr(s, part) != NULL;
    if (!yes) tap_diag("no %s in:\n%s", part, s);
    return yes;
}

static bool run(lx_State *L, const char *code)
{
    clear();
    lx_Status st = lx_dostring(L, code, strlen(code), "test");
    if (st != LX_OK) tap_diag("%s", lx_errmsg(L));
    return st == LX_OK;
}

/* The longest line of s outside code (lines that begin `  lx>` or hold an example's output are code
 * only in fenced blocks; the docstrings the width test uses have none). */
static int longest_line(const char *s)
{
    int longest = 0, w = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '\n') {
            if (w > longest) longest = w;
            w = 0;
        } else {
            w += ((unsigned char)*p & 0xC0) != 0x80;
        }
    }
    return w > longest ? w : longest;
}

/* ---- the examples in the keywords' docstrings (they are not in test_doctest: no global) ---- */

static void trim_lines(text *t)
{
    size_t w = 0;
    for (size_t r = 0; r < t->len;) {
        const char *nl = memchr(t->s + r, '\n', t->len - r);
        size_t end = nl ? (size_t)(nl - t->s) : t->len, e = end;
        while (e > r && t->s[e - 1] == ' ')
            e--;
        memmove(t->s + w, t->s + r, e - r);
        w += e - r;
        if (nl) t->s[w++] = '\n';
        r = end + (nl != NULL);
    }
    while (w && t->s[w - 1] == '\n')
        w--;
    t->len = w;
    t->s[w] = '\0';
}

/* Runs the `lx> ` examples of a docstring in L as test_doctest does; true when each prints what
 * the docstring says. */
static bool examples_pass(lx_State *L, const char *doc, const char *name)
{
    text code = {0}, want = {0};
    bool ok = true, infence = false;
    int n = 0;
    const char *p = doc;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        const char *next = nl ? nl + 1 : p + len;
        if (len >= 3 && !memcmp(p, "```", 3)) {
            infence = !infence;
        } else if (infence && len >= 4 && !memcmp(p, "lx> ", 4)) {
            code.len = want.len = 0;
            tap_text_add(&code, p + 4, len - 4);
            tap_text_add(&want, "", 0);
            for (;;) { /* continuation lines, indented 6 */
                const char *q = next, *qn = strchr(q, '\n');
                size_t ql = qn ? (size_t)(qn - q) : strlen(q);
                if (ql < 6 || memcmp(q, "      ", 6)) break;
                tap_text_add(&code, "\n", 1);
                tap_text_add(&code, q + 6, ql - 6);
                next = qn ? qn + 1 : q + ql;
            }
            for (;;) { /* the output, up to a blank line, the next input or the fence */
                const char *q = next, *qn = strchr(q, '\n');
                size_t ql = qn ? (size_t)(qn - q) : strlen(q);
                if (!*q || !ql || !memcmp(q, "lx> ", ql < 4 ? ql : 4) || !memcmp(q, "```", ql < 3 ? ql : 3))
                    break;
                tap_text_add(&want, q, ql);
                tap_text_add(&want, "\n", 1);
                next = qn ? qn + 1 : q + ql;
            }
            clear();
            if (lx_doline(L, code.s, code.len, "doctest", 1) != LX_OK) {
                tap_text_add(&out, "ERROR: ", 7);
                tap_text_add(&out, lx_errmsg(L), strlen(lx_errmsg(L)));
            }
            trim_lines(&out);
            trim_lines(&want);
            n++;
            if (strcmp(out.s, want.s)) {
                tap_diag("%s: lx> %s\n  expected: %s\n  got: %s", name, code.s, want.s, out.s);
                ok = false;
            }
        }
        p = next;
    }
    free(code.s);
    free(want.s);
    return ok && n > 0;
}

static const char *const keywords[] = {"function",
                                       "end",
                                       "if",
                                       "elseif",
                                       "else",
                                       "for",
                                       "in",
                                       "while",
                                       "break",
                                       "continue",
                                       "return",
                                       "let",
                                       "local",
                                       "global",
                                       "const",
                                       "struct",
                                       "mutable struct",
                                       "abstract type",
                                       "begin",
                                       "do",
                                       "try",
                                       "catch",
                                       "finally",
                                       "true",
                                       "false",
                                       "nothing",
                                       "using",
                                       "import",
                                       "module",
                                       "isa",
                                       "where",
                                       "->",
                                       "&&",
                                       "||",
                                       "=",
                                       "::",
                                       "...",
                                       NULL};

static void test_keywords(lx_State *L)
{
    for (int i = 0; keywords[i]; i++) {
        /* the docstring through doc, then its examples in a fresh state */
        char code[128];
        snprintf(code, sizeof code, "print(doc(Symbol(\"%s\")))", keywords[i]);
        bool documented = run(L, code) && out.len > 0 && out.s[0] == ' ';
        char *doc = documented ? strdup(out.s) : NULL;
        lx_Config cfg = {.writer = writer};
        lx_State *K = lx_open(&cfg);
        bool ok = documented && K && lx_openlibs(K) == LX_OK && examples_pass(K, doc, keywords[i]);
        tap_ok(ok, "keyword %s: documented, and its examples print what they say", keywords[i]);
        if (K) lx_close(K);
        free(doc);
        help(L, keywords[i]);
        tap_ok(out.len > 0 && !err.len && !strstr(out.s, "No documentation"), "?%s prints its help",
               keywords[i]);
    }
    help(L, "catch");
    char *c = strdup(out.s);
    help(L, "try");
    tap_ok(!strcmp(strstr(c, "\n\n"), strstr(out.s, "\n\n")) && has(out.s, "  try\n"),
           "?catch is ?try (one entry for the construct)");
    free(c);
    help(L, "mutable struct");
    tap_ok(has(out.s, "  mutable struct Name\n") && has(out.s, "Counter"),
           "?mutable struct: the two-word keyword");
    help(L, "for i in 1:3 print(i) end");
    tap_ok(has(out.s, "  for x in iter\n") && strncmp(out.s, "123", 3),
           "?for-loop: the keyword's help, the loop not run");
}

/* ---- names ------------------------------------------------------------------------------------- */

static void test_names(lx_State *L)
{
    tap_ok(help(L, "Dense") == LX_OK, "?Dense: LX_OK");
    tap_ok(has(out.s, "search: Dense") && has(out.s, "\n\n  Dense(in => out, activation = identity; "),
           "?Dense: the search line, then the signature indented 2");
    tap_ok(has(out.s, "\n  Arguments\n  =========\n"),
           "?Dense: `## Arguments` bold-free and underlined with =");
    tap_ok(has(out.s, "\n  Examples\n  ≡≡≡≡≡≡≡≡\n"), "?Dense: `# Examples` underlined with ≡");
    tap_ok(has(out.s, "\n  lx> d = Dense(2 => 3, relu)\n  Dense(2 => 3, relu)          # 9 parameters\n"),
           "?Dense: example lines kept verbatim");
    tap_ok(has(out.s, "\n  • `in => out`: input and output feature sizes"), "?Dense: `- item` as a bullet");
    tap_ok(!strstr(out.s, "\033") && !strstr(out.s, "```") && !strstr(out.s, "## "),
           "?Dense: no escapes, fences or heading marks with colour off");
    char *dense = strdup(out.s);
    help(L, "Lux.Dense");
    tap_ok(!strcmp(out.s, dense), "?Lux.Dense is ?Dense");
    help(L, "  Dense\t\n");
    tap_ok(!strcmp(out.s, dense), "the topic is trimmed");
    help(L, "Dense(2 => 3, relu)");
    tap_ok(strstr(out.s, "\n\n  Dense(in => out") != NULL, "?Dense(2 => 3): the function's help");
    free(dense);

    help(L, "@debug_mode");
    tap_ok(has(out.s, "  @debug_mode model kw...\n"), "?@debug_mode: the macro's docstring");
    char *m = strdup(out.s);
    help(L, "Lux.Experimental.@debug_mode");
    tap_ok(!strcmp(out.s, m), "?Lux.Experimental.@debug_mode is ?@debug_mode");
    free(m);
    help(L, "Lux.Experimental.freeze");
    tap_ok(has(out.s, "  freeze(l, which_params = nothing)\n"),
           "?Lux.Experimental.freeze: a member of a submodule");
    help(L, "Optimisers.Adam");
    tap_ok(has(out.s, "Adam("), "?Optimisers.Adam");

    help(L, "Lux");
    tap_ok(has(out.s, "search: Lux") && has(out.s, "\n  Lux\n\n  The deep learning framework"),
           "?Lux: the module");
    help(L, "Statistics");
    tap_ok(has(out.s, "No docstring found for module `Statistics`."),
           "?Statistics: a module without a docstring");

    help(L, "+");
    tap_ok(has(out.s, "search: +") && has(out.s, "\n  x + y\n"), "?+: the operator");
    help(L, "1 + 2");
    tap_ok(has(out.s, "\n  x + y\n"), "?1 + 2: the operator's help");
    help(L, "=>");
    tap_ok(has(out.s, "  a => b\n"), "?=>: Pair");
    help(L, "sum(x)");
    tap_ok(has(out.s, "search: sum") && has(out.s, "  sum(x::Tensor; dims = :, init)\n"),
           "?sum(x): sum's help");

    help(L, "");
    tap_ok(has(out.s, "  ?name\n") && has(out.s, "apropos"), "?: the general help");
}

static void test_not_found(lx_State *L)
{
    tap_ok(help(L, "nonexistent") == LX_OK &&
               !strncmp(out.s, "No documentation found for nonexistent.\n", 40),
           "?nonexistent: LX_OK, No documentation found");
    help(L, "Dens");
    tap_ok(has(out.s, "\nPerhaps you meant Dense"), "?Dens: Dense first");
    help(L, "softmx");
    tap_ok(has(out.s, "\nPerhaps you meant softmax"), "?softmx: softmax first");
    help(L, "dense");
    tap_ok(has(out.s, "\nPerhaps you meant Dense"), "?dense: case does not count");
    help(L, "Lux.Dens");
    tap_ok(has(out.s, "No documentation found for Lux.Dens.") && has(out.s, "\nPerhaps you meant Lux.Dense"),
           "?Lux.Dens: the qualified name suggested");
    help(L, "@debug_mod");
    tap_ok(has(out.s, "\nPerhaps you meant @debug_mode"), "?@debug_mod: the macro suggested");
    help(L, "whiel");
    tap_ok(has(out.s, "\nPerhaps you meant while"), "?whiel: a keyword suggested (a swap is one edit)");
    help(L, "nosuchthing(1, 2)");
    tap_ok(has(out.s, "No documentation found for nosuchthing."), "?nosuchthing(1, 2): the function named");
}

static void test_user(lx_State *L)
{
    run(L,
        "\"\"\"\n    lxhelp_demo(x; by = 2)\n\nMultiplies **x** by `by`.\n\n# Arguments\n\n- `x`: a number.\n"
        "\n# Examples\n```\nlx> lxhelp_demo(3)\n6\n```\n\"\"\"\nlxhelp_demo(x; by = 2) = by * x");
    help(L, "lxhelp_demo");
    const char *want =
        "search: lxhelp_demo\n\n  lxhelp_demo(x; by = 2)\n\n  Multiplies x by `by`.\n\n  Arguments\n"
        "  ≡≡≡≡≡≡≡≡≡\n\n  • `x`: a number.\n\n  Examples\n  ≡≡≡≡≡≡≡≡\n\n  lx> lxhelp_demo(3)\n  6\n";
    if (!tap_ok(!strcmp(out.s, want), "a user function's docstring, exactly")) tap_diag("got:\n%s", out.s);
    lx_setcolor(L, 1);
    tap_ok(lx_getcolor(L) == 1, "lx_setcolor turns colour on");
    help(L, "lxhelp_demo");
    const char *cwant =
        "search: lxhelp_demo\n\n  \033[36mlxhelp_demo(x; by = 2)\033[39m\n\n  Multiplies \033[1mx\033[22m by "
        "\033[36mby\033[39m.\n\n  \033[1mArguments\033[22m\n  ≡≡≡≡≡≡≡≡≡\n\n  • \033[36mx\033[39m: a "
        "number.\n\n"
        "  \033[1mExamples\033[22m\n  ≡≡≡≡≡≡≡≡\n\n  \033[36mlx> lxhelp_demo(3)\033[39m\n  "
        "\033[36m6\033[39m\n";
    if (!tap_ok(!strcmp(out.s, cwant), "colour on: bold headings and **bold**, cyan code, exactly"))
        tap_diag("got:\n%s", out.s);
    help(L, "Dense");
    tap_ok(has(out.s, "\033[1mArguments\033[22m"), "colour on: ?Dense's headings bold");
    help(L, "sum");
    tap_ok(has(out.s, "\033[2m────"), "colour on: the rule between methods dim");
    lx_setcolor(L, 0);
    help(L, "sum");
    tap_ok(!strchr(out.s, '\033') && has(out.s, "\n  ────"), "colour off: no escape at all, a plain rule");

    run(L, "\"Finds the quokka in a tensor.\"\nlxhelp_quokka(x) = x");
    help(L, "\"QUOKKA\"");
    tap_ok(!strcmp(out.s, "lxhelp_quokka\n"), "?\"QUOKKA\": apropos, the one docstring that mentions it");
    run(L, "apropos(\"quokka\")");
    tap_ok(!strcmp(out.s, "lxhelp_quokka\n"), "apropos(\"quokka\")");
    help(L, "quokka");
    tap_ok(has(out.s, "Docstrings that mention quokka: lxhelp_quokka."),
           "?quokka: not a name, the docstring that mentions it");

    run(L, "lxhelp_hits = 0; \"Counts.\"\nlxhelp_bump() = (global lxhelp_hits += 1)");
    help(L, "lxhelp_bump()");
    bool shown = has(out.s, "  Counts.\n");
    run(L, "print(lxhelp_hits)");
    tap_ok(shown && !strcmp(out.s, "0"), "?lxhelp_bump(): the help, the call not made");

    run(L, "lxhelp_undocumented(x::Int) = x; lxhelp_undocumented(x::String) = x");
    help(L, "lxhelp_undocumented");
    tap_ok(has(out.s, "is a function with 2 methods") && has(out.s, "  lxhelp_undocumented(x::String)"),
           "a function without a docstring: its methods");
    run(L, "struct LxhelpPoint\n x::Int\n y\nend");
    help(L, "LxhelpPoint");
    tap_ok(has(out.s, "  struct LxhelpPoint\n") && has(out.s, "  x::Int64\n  y\n"),
           "a struct without a docstring: its fields");
}

static void test_values(lx_State *L)
{
    run(L, "x = [1.0, 2.0]");
    help(L, "x");
    tap_ok(has(out.s, "  `x` is of type 2-element Tensor{Float32, 1}.\n") &&
               has(out.s, "An n-dimensional array"),
           "?x: the value's type, then Tensor's docstring");
    run(L, "model = Chain(Dense(2 => 3), Dense(3 => 1)); ps, st = Lux.setup(Xoshiro(0), model)");
    help(L, "ps.layer_1");
    tap_ok(has(out.s, "`ps.layer_1` is of type NamedTuple.") && !strstr(out.s, "search:"),
           "?ps.layer_1: evaluated, its type's docstring");
    help(L, "model");
    tap_ok(has(out.s, "`model` is of type Chain.") && has(out.s, "  Chain("), "?model: the layer's type");
    help(L, "model.layers.layer_1");
    tap_ok(has(out.s, "is of type Dense.") && has(out.s, "  Dense(in => out"),
           "?model.layers.layer_1: Dense's doc");
    lx_Status st = help(L, "ps.nosuchfield");
    tap_ok(st == LX_ERRRUN && has(err.s, "ERROR: ") && has(lx_errmsg(L), "nosuchfield"),
           "?ps.nosuchfield: the error printed and returned, not raised");
    tap_ok(run(L, "print(1 + 1)") && !strcmp(out.s, "2"), "the state is usable after");
}

static void test_width(lx_State *L)
{
    run(L, "\"\"\"\nOne long paragraph of words that goes on and on so that any width will have to break it "
           "into several lines, with `inline code` and **bold text** among them, and a "
           "very_long_identifier_that_cannot_be_broken_anywhere_at_all.\n\n- A bullet whose text is long "
           "enough to wrap onto a second line, and then a third one at forty columns.\n\"\"\"\nlxhelp_wide() "
           "= 1");
    setenv("COLUMNS", "40", 1);
    help(L, "lxhelp_wide");
    int longest = 0;
    for (char *p = out.s, *nl; p && *p; p = nl ? nl + 1 : NULL) {
        nl = strchr(p, '\n');
        if (nl) *nl = '\0';
        int w = longest_line(p);
        if (!strstr(p, "very_long") && w > longest) longest = w;
        if (nl) *nl = '\n';
    }
    tap_ok(longest <= 40 && longest >= 30, "COLUMNS=40: no line longer than 40 (longest %d)", longest);
    tap_ok(has(out.s, "\n  very_long_identifier_that_cannot_be_broken_anywhere_at_all.\n"),
           "a word wider than the width has a line of its own");
    tap_ok(has(out.s, "\n  • A bullet whose text is long enough\n    to wrap onto"),
           "a bullet's lines wrap under its text");
    setenv("COLUMNS", "100", 1);
    help(L, "lxhelp_wide");
    tap_ok(longest_line(out.s) > 40 && longest_line(out.s) <= 100, "COLUMNS=100: wider lines");
    unsetenv("COLUMNS");
}

static void test_bad(lx_State *L)
{
    char garbage[512];
    for (size_t i = 0; i < sizeof garbage; i++)
        garbage[i] = (char)(0x80 + (i * 37) % 128);
    lx_Status st = lx_help(L, garbage, sizeof garbage);
    tap_ok(st == LX_ERRSYNTAX || st == LX_OK, "garbage bytes: a status (%d)", st);
    size_t big = 100000;
    char *a = malloc(big + 1);
    memset(a, 'a', big);
    a[big] = '\0';
    clear();
    st = lx_help(L, a, big);
    tap_ok(st == LX_OK && has(out.s, "No documentation found for aaaa") && out.len < 2000,
           "a 100 kB name: not found, the name shortened");
    for (size_t i = 0; i < big; i++)
        a[i] = "ab.(\"@ "[i % 7];
    clear();
    st = lx_help(L, a, big);
    tap_ok(st == LX_OK && has(out.s, "No documentation found for ab.(") && out.len < 2000,
           "100 kB of punctuation: not read as an expression, not found");
    for (size_t i = 0; i < 2000; i++)
        a[i] = i < 1000 ? '(' : ')';
    clear();
    st = lx_help(L, a, 2000);
    tap_ok(st == LX_ERRSYNTAX && has(err.s, "ERROR: "), "deep nesting: a syntax error, not a crash");
    free(a);
    st = help(L, "\"abc");
    tap_ok(st == LX_ERRSYNTAX && has(err.s, "ERROR: ParseError"), "an unterminated string: a ParseError");
    st = help(L, ")(");
    tap_ok(st == LX_ERRSYNTAX, "a parse error: LX_ERRSYNTAX");
    clear();
    st = lx_help(L, "sum\0junk", 8);
    tap_ok(st == LX_OK || st == LX_ERRSYNTAX, "a NUL byte: a status (%d)", st);
    st = help(L, "\033[31mred");
    tap_ok(!strchr(out.s, '\033') && !strchr(err.s, '\033'), "an escape in the topic is not echoed (%d)", st);
    clear();
    st = lx_help(L, NULL, 0);
    tap_ok(st == LX_OK && has(out.s, "?name"), "NULL topic: the general help");
    tap_ok(run(L, "print(1 + 1)") && !strcmp(out.s, "2"), "the state is usable after the bad topics");
}

int main(void)
{
    unsetenv("COLUMNS");
    lx_Config cfg = {.writer = writer};
    lx_State *L = lx_open(&cfg);
    if (!tap_ok(L && lx_openlibs(L) == LX_OK, "a state with the libraries")) return tap_done();
    test_names(L);
    test_not_found(L);
    test_user(L);
    test_values(L);
    test_width(L);
    test_bad(L);
    test_keywords(L);
    lx_close(L);
    free(out.s);
    free(err.s);
    return tap_done();
}
