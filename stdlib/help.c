/* help.c — help for the prompt (`?topic`, lx_help) and for code (`help`, `doc`, `apropos`): finding
 * the docstring of a name, qualified name, macro, keyword, call or value, the closest names when
 * there is none, and the Markdown subset docstrings use lxL_rendered for a terminal the way Julia's REPL
 * lxL_renders it (indented paragraphs wrapped to the width, headings underlined, bullets, code kept).
 */
#include "lib.h"
#include "parse.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MARGIN 2
#define MAX_SUGGESTIONS 5
#define MAX_SEARCH 8
#define MAX_MENTIONS 10
#define MAX_EDIT 64     /* longer names are not compared by edit distance */
#define SHOWN_TOPIC 80  /* bytes of a topic repeated in a message */
#define MAX_PARSED 4096 /* a longer topic is not read as an expression */

/* ---- keywords ---------------------------------------------------------------------------------- */

/* Julia documents its keywords in help mode; so does lx.  `names` lists every spelling the entry
 * answers, separated by blanks ("try catch finally"). */
static const struct {
    const char *names, *doc;
} keywords[] = {
    {"function",
     "    function f(args...; kwargs...)\n        body\n    end\n\nDefines a function (or adds a method to "
     "one): `f(x) = expr` is the short form.\n\n# Examples\n```\nlx> function twice(x)\n           2x\n      "
     " "
     "end;\n\nlx> twice(3)\n6\n```"},
    {"end",
     "    end\n\nCloses a block (`function`, `if`, `for`, `while`, `let`, `begin`, `try`, `struct`, "
     "`do`); inside an index it is the last index.\n\n# Examples\n```\nlx> [10, 20, 30][end]\n30\n```"},
    {"if elseif else",
     "    if cond\n        ...\n    elseif cond2\n        ...\n    else\n        ...\n    end\n\nRuns the "
     "branch of the first condition that is true; the value of the `if` is that branch's.\n\n# "
     "Examples\n```\nlx> x = 3;\n\nlx> if x > 5\n           \"big\"\n       elseif x > 1\n           "
     "\"medium\"\n       else\n           \"small\"\n       end\n\"medium\"\n```"},
    {"for",
     "    for x in iter\n        body\n    end\n\nRuns body once for each element of iter (`in`, `=` and `∈` "
     "are the same here); `break` leaves the loop, `continue` goes on to the next element.\n\n# "
     "Examples\n```\nlx> for i in 1:3\n           print(i)\n       end\n123\n```"},
    {"in", "    for x in iter\n    x in collection\n\nIn a `for` loop, takes each element; as an operator "
           "(`∈`), whether the collection has x.\n\n# Examples\n```\nlx> 2 in [1, 2, 3]\ntrue\n```"},
    {"while", "    while cond\n        body\n    end\n\nRuns body as long as cond is true.\n\n# "
              "Examples\n```\nlx> i = "
              "0;\n\nlx> while i < 3\n           global i += 1\n       end\n\nlx> i\n3\n```"},
    {"break",
     "    break\n\nLeaves the innermost `for` or `while` loop.\n\n# Examples\n```\nlx> for i in 1:10\n "
     "          i > 2 && break\n           print(i)\n       end\n12\n```"},
    {"continue", "    continue\n\nSkips the rest of the loop body and goes on with the next iteration.\n\n# "
                 "Examples\n```\nlx> for i in 1:4\n           iseven(i) && continue\n           print(i)\n   "
                 "    end\n13\n```"},
    {"return", "    return x\n\nLeaves the function with the value x (`return` alone returns `nothing`); "
               "without it a function returns its last value.\n\n# Examples\n```\nlx> f(x) = (x < 0 && "
               "return 0; x);\n\nlx> f(-2), f(2)\n(0, 2)\n```"},
    {"let", "    let a = 1, b = 2\n        body\n    end\n\nA new scope with its own variables; its value is "
            "body's last.\n\n# Examples\n```\nlx> let a = 1, b = 2\n           a + b\n       end\n3\n```"},
    {"local", "    local x\n\nMakes x a new variable of the enclosing scope, hiding a global of the same "
              "name.\n\n# Examples\n```\nlx> x = 1;\n\nlx> let\n           local x = 2\n       end;\n\nlx> "
              "x\n1\n```"},
    {"global", "    global x\n\nMakes assignments to x inside a function (or loop body) assign the global "
               "x.\n\n# Examples\n```\nlx> n = 0;\n\nlx> bump() = (global n += 1);\n\nlx> bump(); n\n1\n```"},
    {"const", "    const X = value\n\nA global that is never rebound (a docstring above it documents "
              "it).\n\n# Examples\n```\nlx> const LIMIT = 10;\n\nlx> LIMIT\n10\n```"},
    {"struct",
     "    struct Name <: Super\n        field::Type\n        ...\n    end\n\nDefines a type whose values "
     "hold "
     "the fields; `Name(fields...)` makes one. Its fields cannot be reassigned (see `mutable "
     "struct`).\n\n# Examples\n```\nlx> struct Point\n           x\n           y\n       end\n\nlx> "
     "Point(1, 2).y\n2\n```"},
    {"mutable mutable struct",
     "    mutable struct Name\n        field\n    end\n\nA struct whose fields can be reassigned "
     "(`p.x = v`).\n\n# Examples\n```\nlx> mutable struct Counter\n           n\n       end\n\nlx> c = "
     "Counter(0); c.n += 1; c.n\n1\n```"},
    {"abstract abstract type",
     "    abstract type Name <: Super end\n\nAn abstract type: it has no values of its own, only subtypes, "
     "and methods written for it apply to them all.\n\n# Examples\n```\nlx> abstract type Shape "
     "end\n\nlx> struct Square <: Shape\n           side\n       end\n\nlx> Square(2) isa Shape\ntrue\n```"},
    {"begin", "    begin\n        ...\n    end\n\nGroups expressions into one; its value is the last. Inside "
              "an index, `begin` is the first index.\n\n# Examples\n```\nlx> begin\n           a = 1\n       "
              "    a + 1\n       end\n2\n```"},
    {"do", "    f(args...) do x\n        body\n    end\n\nPasses the function `x -> body` as f's first "
           "argument.\n\n# Examples\n```\nlx> map([1, 2]) do x\n           x * 10\n       end\n2-element "
           "Tensor{Int64, 1}:\n 10\n 20\n```"},
    {"try catch finally",
     "    try\n        ...\n    catch err\n        ...\n    finally\n        ...\n    end\n\nRuns the "
     "`try` block; an exception thrown in it runs the `catch` block with the exception bound to err; the "
     "`finally` block runs in any case.\n\n# Examples\n```\nlx> try\n           error(\"boom\")\n       "
     "catch "
     "e\n           e.msg\n       end\n\"boom\"\n```"},
    {"true false", "    true\n    false\n\nThe two Bool values.\n\n# Examples\n```\nlx> 1 < 2\ntrue\n```"},
    {"nothing", "    nothing\n\nThe value of no value: what a function without a result returns (the REPL "
                "prints nothing for it).\n\n# Examples\n```\nlx> isnothing(println(\"x\"))\nx\ntrue\n```"},
    {"using", "    using Lux, Random, Optimisers\n\nMakes the names of modules lx knows available (they are "
              "also available qualified: `Lux.Dense`).\n\n# Examples\n```\nlx> using Lux\n\nlx> Lux.Dense "
              "=== Dense\ntrue\n```"},
    {"import", "    import Lux\n\nAs `using` in lx: the module's names become available.\n\n# "
               "Examples\n```\nlx> import Optimisers\n\nlx> Optimisers.Adam === Adam\ntrue\n```"},
    {"module", "    module Name ... end\n\nNot supported: lx has one global namespace (split code over files "
               "with `include`).\n\n# Examples\n```\nlx> Lux isa Module\ntrue\n```"},
    {"isa", "    x isa T\n\nWhether x is a value of type T (or of a subtype).\n\n# Examples\n```\nlx> 1 isa "
            "Integer\ntrue\n```"},
    {"where", "    f(x::T) where T = ...\n\nNames type parameters of a method; lx parses and drops them "
              "(dispatch uses the declared types).\n\n# Examples\n```\nlx> g(x::T) where T = 1;\n\nlx> "
              "g(2)\n1\n```"},
    {"->",
     "    x -> expr\n    (x, y) -> expr\n\nAn anonymous function.\n\n# Examples\n```\nlx> map(x -> x^2, "
     "[1, 2, 3])\n3-element Tensor{Int64, 1}:\n 1\n 4\n 9\n```"},
    {"&&",
     "    a && b\n\nb when a is true, else false (b is not evaluated then).\n\n# Examples\n```\nlx> 1 < 2 "
     "&& 2 < 3\ntrue\n```"},
    {"||",
     "    a || b\n\ntrue when a is true (b is not evaluated then), else b.\n\n# Examples\n```\nlx> 1 > 2 "
     "|| 2 < 3\ntrue\n```"},
    {"=", "    x = value\n\nBinds x to value (`a, b = t` destructures a tuple, `(; a, b) = nt` a named "
          "tuple).\n\n# Examples\n```\nlx> a, b = 1, 2;\n\nlx> b\n2\n```"},
    {"::", "    x::T\n\nIn a method's parameters, the type the argument must have; in an expression, asserts "
           "x's type.\n\n# Examples\n```\nlx> h(x::Int) = \"int\";\n\nlx> h(1)\n\"int\"\n```"},
    {"...", "    f(xs...)\n    function f(args...)\n\nSplat: passes a collection's elements as separate "
            "arguments; in a signature, collects the remaining arguments in a tuple.\n\n# "
            "Examples\n```\nlx> max([3, 1, 2]...)\n3\n```"},
};
#define NKEYWORDS ((int)(sizeof keywords / sizeof keywords[0]))

/* Whether the blank-separated list names holds the n bytes of s. */
static bool listed(const char *names, const char *s, size_t n)
{
    for (const char *p = names; *p;) {
        size_t k = strcspn(p, " ");
        if (k == n && !memcmp(p, s, n)) return true;
        /* a two-word spelling ("mutable struct") is one name */
        if (n > k && p[k] == ' ' && !strncmp(p, s, n) && (p[n] == '\0' || p[n] == ' ')) return true;
        p += k + (p[k] == ' ');
    }
    return false;
}

static const char *keyword_doc(const char *s, size_t n)
{
    for (int i = 0; i < NKEYWORDS; i++)
        if (listed(keywords[i].names, s, n)) return keywords[i].doc;
    return NULL;
}

/* ---- docstrings ------------------------------------------------------------------------------- */

static lx_Value name_doc(lx_State *L, const char *name, size_t len);

/* The docstring of a value: a function's (its docstrings, one per method that has its own, joined by
 * a rule), a type's (and its constructors'), a module's; a String or Symbol names what it documents. */
static lx_Value value_doc(lx_State *L, lx_Value v)
{
    if (v.tag == LX_TSYMBOL) return name_doc(L, ((lxO_string *)v.v.o)->data, ((lxO_string *)v.v.o)->len);
    if (lxO_is(v, LXO_STRING)) return name_doc(L, lxO_as(lxO_string, v)->data, lxO_as(lxO_string, v)->len);
    lxW_buf b;
    lxW_init(L, &b);
    if (lxO_is(v, LXO_GENERIC) || lxO_is(v, LXO_TYPE)) {
        lxO_generic *g = lxO_is(v, LXO_GENERIC) ? lxO_as(lxO_generic, v) : NULL;
        if (lxO_is(v, LXO_TYPE)) {
            lxO_type *t = lxO_as(lxO_type, v);
            if (t->doc) lxW_add(&b, t->doc->data, t->doc->len);
            g = t->ctor;
        }
        for (int i = 0; g && i < g->n; i++) {
            lxO_string *d = g->methods[i].doc;
            if (!d || !d->len || (b.s && strstr(b.s, d->data))) continue;
            if (b.len) lxW_puts(&b, "\n\n---\n\n");
            lxW_add(&b, d->data, d->len);
        }
    } else if (lxO_is(v, LXO_MODULE) && lxO_as(lxO_module, v)->doc) {
        lxW_puts(&b, lxO_as(lxO_module, v)->doc->data);
    }
    lx_Value r = b.len ? lxO_str(L, b.s, b.len) : lxO_nothing();
    lxW_free(&b);
    return r;
}

/* The global of a name (the deferred library loaded when it defines it), or NULL. */
static lxG_global *global_of(lx_State *L, const char *name, size_t len)
{
    lxO_string *s = lxS_new(L, name, len);
    lx_Value v = lxG_get(L, s->data); /* loads the deferred library for one of its names */
    (void)v;
    return s->gidx >= 0 ? &L->globals[s->gidx] : NULL;
}

/* The docstring of a name: a macro (`@name`), a keyword, a global (its own docstring, else its
 * value's when that is a function, type or module). */
static lx_Value name_doc(lx_State *L, const char *name, size_t len)
{
    if (len > 1 && name[0] == '@') {
        lxO_string *s = lxS_new(L, name + 1, len - 1);
        const lxK_macrodef *m = lxK_macro_find(L, s->data);
        return m && m->doc ? lxO_obj(m->doc) : lxO_nothing();
    }
    lxG_global *gl = global_of(L, name, len);
    if (gl && gl->doc) return lxO_obj(gl->doc);
    if (gl && (lxO_is(gl->v, LXO_GENERIC) || lxO_is(gl->v, LXO_TYPE) || lxO_is(gl->v, LXO_MODULE))) {
        lx_Value d = value_doc(L, gl->v);
        if (d.tag != LX_TNOTHING) return d;
    }
    const char *k = keyword_doc(name, len);
    return k ? lxO_cstr(L, k) : lxO_nothing();
}

static lx_Value b_doc(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value d = value_doc(L, a[0]);
    bool named = lxO_is(a[0], LXO_GENERIC) || lxO_is(a[0], LXO_TYPE) || lxO_is(a[0], LXO_MODULE) ||
                 a[0].tag == LX_TSYMBOL || lxO_is(a[0], LXO_STRING);
    if (d.tag == LX_TNOTHING && !named) d = value_doc(L, lxO_obj(lxT_typeof(L, a[0]))); /* its type's */
    return d;
}

/* ---- names: the closest ones, the search line, apropos -------------------------------------- */

typedef struct {
    const char *name;
    size_t len;
    bool at; /* a macro: shown with its @ */
    int score;
} cand;

typedef struct {
    lxW_buf b; /* cand records */
    size_t n;
} candlist;

static void cand_init(lx_State *L, candlist *l)
{
    lxW_init(L, &l->b);
    l->n = 0;
}

static cand *cand_at(candlist *l, size_t i)
{
    return (cand *)(void *)(l->b.s + i * sizeof(cand));
}

static void cand_add(candlist *l, const char *name, size_t len, bool at, int score)
{
    cand c = {name, len, at, score};
    lxW_add(&l->b, (const char *)&c, sizeof c);
    l->n++;
}

static int name_cmp(const cand *a, const cand *b)
{
    size_t na = a->len + a->at, nb = b->len + b->at;
    for (size_t i = 0; i < na && i < nb; i++) {
        unsigned char x = a->at && i == 0 ? '@' : (unsigned char)a->name[i - a->at];
        unsigned char y = b->at && i == 0 ? '@' : (unsigned char)b->name[i - b->at];
        if (x != y) return x < y ? -1 : 1;
    }
    return na < nb ? -1 : na > nb;
}

static int cand_cmp(const void *pa, const void *pb)
{
    const cand *a = pa, *b = pb;
    if (a->score != b->score) return a->score < b->score ? -1 : 1;
    return name_cmp(a, b);
}

/* Sorted by score then name, each name once. */
static void cand_sort(candlist *l)
{
    if (!l->n) return;
    qsort(l->b.s, l->n, sizeof(cand), cand_cmp);
    size_t w = 1; /* a name's score depends on the name alone, so repeats are neighbours */
    for (size_t i = 1; i < l->n; i++)
        if (cand_cmp(cand_at(l, w - 1), cand_at(l, i))) *cand_at(l, w++) = *cand_at(l, i);
    l->n = w;
}

/* Every name help knows: the globals (the deferred library's too), the macros, the keywords. */
typedef void (*name_fn)(lx_State *L, void *ud, const char *name, size_t len, bool at);

static void each_name(lx_State *L, name_fn fn, void *ud)
{
    lxG_load_deferred(L);
    for (int i = 0; i < L->nglobals; i++) {
        const lxG_global *g = &L->globals[i];
        if ((g->v.tag == LX_TUNDEF && !g->doc) || !strncmp(g->name->data, "__", 2)) continue;
        fn(L, ud, g->name->data, g->name->len, false);
    }
    for (int i = 0; i < L->nmacros; i++)
        fn(L, ud, L->macros[i].name->data, L->macros[i].name->len, true);
    for (int i = 0; i < NKEYWORDS; i++)
        for (const char *p = keywords[i].names; *p;) {
            size_t k = strcspn(p, " ");
            fn(L, ud, p, k, false);
            p += k + (p[k] == ' ');
        }
}

/* Where needle occurs in haystack, ignoring ASCII case, or NULL. */
static const char *ci_find(const char *h, size_t hn, const char *nd, size_t nn)
{
    if (!nn) return h;
    for (size_t i = 0; i + nn <= hn; i++) {
        size_t k = 0;
        while (k < nn && tolower((unsigned char)h[i + k]) == tolower((unsigned char)nd[k]))
            k++;
        if (k == nn) return h + i;
    }
    return NULL;
}

/* Optimal-string-alignment distance (Damerau–Levenshtein with adjacent swaps), ignoring ASCII case. */
static int edit_distance(const char *a, size_t n, const char *b, size_t m)
{
    int rows[3][MAX_EDIT + 1];
    int *pp = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= m; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = (int)i;
        for (size_t j = 1; j <= m; j++) {
            unsigned char x = tolower((unsigned char)a[i - 1]), y = tolower((unsigned char)b[j - 1]);
            int d = prev[j - 1] + (x != y);
            if (prev[j] + 1 < d) d = prev[j] + 1;
            if (cur[j - 1] + 1 < d) d = cur[j - 1] + 1;
            if (i > 1 && j > 1 && x == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == y && pp[j - 2] + 1 < d)
                d = pp[j - 2] + 1;
            cur[j] = d;
        }
        int *t = pp;
        pp = prev;
        prev = cur;
        cur = t;
    }
    return prev[m];
}

typedef struct {
    const char *word;
    size_t len;
    int limit;
    candlist *out;
} near_query;

static void near_one(lx_State *L, void *ud, const char *name, size_t len, bool at)
{
    (void)L;
    near_query *q = ud;
    const char *w = q->word;
    size_t wl = q->len;
    if (at != (wl > 0 && w[0] == '@')) return;
    if (at) w++, wl--;
    size_t diff = len > wl ? len - wl : wl - len;
    if ((int)diff > q->limit || len > MAX_EDIT) return;
    int d = edit_distance(w, wl, name, len);
    if (d > q->limit) return;
    bool prefix = len >= wl && ci_find(name, wl, w, wl);
    cand_add(q->out, name, len, at, d * 1000 + (prefix ? 0 : 500) + (int)diff);
}

/* The names within a few edits of word (more for a longer word, as Julia's "Perhaps you meant"). */
static void nearest(lx_State *L, const char *word, size_t len, candlist *out)
{
    if (!len || len > MAX_EDIT) return;
    int limit = len <= 2 ? 0 : len <= 4 ? 1 : len <= 7 ? 2 : 3;
    near_query q = {word, len, limit, out};
    each_name(L, near_one, &q);
    cand_sort(out);
}

static void search_one(lx_State *L, void *ud, const char *name, size_t len, bool at)
{
    (void)L;
    near_query *q = ud;
    const char *p = ci_find(name, len, q->word, q->len);
    if (!p) return;
    int score = len == q->len ? 0 : p == name ? 1 : 2;
    cand_add(q->out, name, len, at, score * 1000 + (int)(len < 999 ? len : 999));
}

/* The names that contain word: the exact one, then those it begins, then the rest, shortest first. */
static void containing(lx_State *L, const char *word, size_t len, candlist *out)
{
    bool at = len && word[0] == '@';
    near_query q = {word + at, len - at, 0, out};
    if (q.len && q.len <= 256) each_name(L, search_one, &q);
    cand_sort(out);
}

typedef struct {
    const char *word;
    size_t len;
    candlist *out;
} mention_query;

/* Whether the global of that name is another name of a function, type or module (ans, Int, ADAM). */
static bool alias(lx_State *L, const char *name, size_t len)
{
    const lxG_global *g = global_of(L, name, len);
    if (!g || g->doc) return false;
    const lxO_string *own = lxO_is(g->v, LXO_GENERIC)  ? lxO_as(lxO_generic, g->v)->name
                            : lxO_is(g->v, LXO_TYPE)   ? lxO_as(lxO_type, g->v)->name
                            : lxO_is(g->v, LXO_MODULE) ? lxO_as(lxO_module, g->v)->name
                                                       : NULL;
    return own && (own->len != len || memcmp(own->data, name, len));
}

static void mention_one(lx_State *L, void *ud, const char *name, size_t len, bool at)
{
    mention_query *q = ud;
    lx_Value d;
    if (!at && alias(L, name, len)) return; /* the docstring is listed under its own name */
    if (at) {
        const lxK_macrodef *m = lxK_macro_find(L, name);
        d = m && m->doc ? lxO_obj(m->doc) : lxO_nothing();
    } else {
        d = name_doc(L, name, len);
    }
    if (!lxO_is(d, LXO_STRING)) return;
    const lxO_string *s = lxO_as(lxO_string, d);
    if (ci_find(s->data, s->len, q->word, q->len)) cand_add(q->out, name, len, at, 0);
}

/* The names whose docstrings mention word (Julia's apropos), sorted. */
static void mentioning(lx_State *L, const char *word, size_t len, candlist *out)
{
    mention_query q = {word, len, out};
    if (len) each_name(L, mention_one, &q);
    cand_sort(out);
}

static void put_name(lxW_buf *b, const cand *c)
{
    if (c->at) lxW_puts(b, "@");
    lxW_add(b, c->name, c->len);
}

/* Text shown for what the user typed: at most SHOWN_TOPIC bytes, control characters as `?`. */
static void put_topic(lxW_buf *b, const char *t, size_t n)
{
    size_t shown = n > SHOWN_TOPIC ? SHOWN_TOPIC : n;
    while (shown < n && shown > 0 && ((unsigned char)t[shown] & 0xC0) == 0x80)
        shown--; /* not inside a character */
    for (size_t i = 0; i < shown; i++)
        lxW_add(b, (unsigned char)t[i] < 0x20 || t[i] == 0x7f ? "?" : t + i, 1);
    if (shown < n) lxW_puts(b, "…");
}

/* ---- what a topic names ------------------------------------------------------------------------ */

static const char general_help[] =
    "    ?name\n    help(\"name\")\n\nShows the documentation of a function, type, macro, module, keyword or "
    "value. Type `?` at the start of a line to enter help mode (the prompt turns into `help?>`), then "
    "what you want to read about; Backspace on an empty line goes back to `lx>`.\n\n"
    "- `?Dense`, `?Lux.Chain`, `?Optimisers.Adam`: a function or type, bare or qualified.\n"
    "- `?@debug_mode`: a macro; `?for`, `?mutable struct`: a keyword; `?Lux`: a module.\n"
    "- `?sum(x)`: the function a call would run (the call is not made).\n"
    "- `?x`, `?ps.layer_1`: a value's type and its documentation.\n"
    "- `?\"word\"`, `apropos(\"word\")`: the names whose docstrings mention word.\n\n"
    "Tab completes names in help mode as at the prompt. A name help does not know brings the closest "
    "names it does.";

/* Module docstrings for the modules whose names a user types most. */
static const struct {
    const char *name, *doc;
} module_docs[] = {
    {"Lux",
     "    Lux\n\nThe deep learning framework lx reimplements: layers (`Dense`, `Chain`, `Conv`, …) are "
     "descriptions holding no arrays; `ps, st = Lux.setup(rng, model)` makes their parameters and "
     "states, and `y, st = model(x, ps, st)` applies them. `Lux.name` is the global `name`.\n\n# "
     "Examples\n```\nlx> model = Chain(Dense(2 => 3, relu), Dense(3 => 1));\n\nlx> ps, st = "
     "Lux.setup(Xoshiro(0), model);\n\nlx> size(first(model(ones(Float32, 2, 4), ps, st)))\n(1, "
     "4)\n```"},
    {"Optimisers",
     "    Optimisers\n\nOptimisation rules (`Descent`, `Momentum`, `Adam`, `AdamW`, …) and their state: "
     "`opt_state = Optimisers.setup(rule, ps)`, then `opt_state, ps = Optimisers.update(opt_state, ps, "
     "grads)`.\n\n# Examples\n```\nlx> st = Optimisers.setup(Descent(0.1), (w = [1.0],));\n\nlx> "
     "Optimisers.update(st, (w = [1.0],), (w = [1.0],))[2].w\n1-element Tensor{Float32, 1}:\n 0.9\n```"},
};

/* Whether the n bytes at s name a module (a global bound to one, such as Lux or Experimental). */
static bool is_module(lx_State *L, const char *s, size_t n)
{
    if (!n || n > 256) return false;
    lxG_global *g = global_of(L, s, n);
    return g && lxO_is(g->v, LXO_MODULE);
}

/* Where the member of a qualified name starts (`Lux.Experimental.freeze` → freeze, `Base.:+` → +),
 * after checking each qualifier is a module; 0 when t is not qualified. */
static size_t member_start(lx_State *L, const char *t, size_t n)
{
    size_t start = 0, last = 0;
    for (size_t i = 1; i + 1 < n; i++) {
        if (t[i] != '.' || t[i - 1] == '.' || t[i + 1] == '.') continue;
        if (!is_module(L, t + start, i - start)) break;
        last = start = i + 1;
        if (t[start] == '@') break;
    }
    if (last && t[last] == ':' && last + 1 < n) last++;
    return last;
}

typedef struct {
    lx_Value doc; /* its Markdown, or nothing */
    lx_Value obj; /* what the name is bound to; LX_TUNDEF for a macro or keyword */
    bool found;
} lookup;

/* A name as the prompt has it: a keyword, a macro, a global, qualified or not. */
static lookup find_name(lx_State *L, const char *t, size_t n)
{
    lookup r = {lxO_nothing(), {LX_TUNDEF, {0}}, false};
    if (memchr(t, '\0', n)) return r;
    const char *k = keyword_doc(t, n);
    if (k) {
        r.doc = lxO_cstr(L, k);
        r.found = true;
        return r;
    }
    if (n > 256) return r;
    size_t m = member_start(L, t, n);
    t += m;
    n -= m;
    if (n > 1 && t[0] == '@') {
        lxO_string *s = lxS_new(L, t + 1, n - 1);
        const lxK_macrodef *mac = lxK_macro_find(L, s->data);
        r.found = mac != NULL;
        if (mac && mac->doc) r.doc = lxO_obj(mac->doc);
        return r;
    }
    lxG_global *g = global_of(L, t, n);
    if (!g || (g->v.tag == LX_TUNDEF && !g->doc)) return r;
    r.found = true;
    r.obj = g->v;
    r.doc = name_doc(L, t, n);
    return r;
}

/* Markdown saying what an undocumented function, type or module is. */
static void undocumented(lx_State *L, lxW_buf *md, lx_Value v)
{
    if (lxO_is(v, LXO_GENERIC)) {
        lxO_generic *g = lxO_as(lxO_generic, v);
        lxW_printf(md, "No documentation found for `%s`.\n\n`%s` is a function with %d method%s:\n\n",
                   g->name->data, g->name->data, g->n, g->n == 1 ? "" : "s");
        for (int i = 0; i < g->n; i++) {
            char sig[512];
            lxF_sigtext(L, g, &g->methods[i], sig, sizeof sig);
            lxW_printf(md, "    %s\n", sig);
        }
    } else if (lxO_is(v, LXO_TYPE)) {
        lxO_type *t = lxO_as(lxO_type, v);
        lxW_printf(md, "No documentation found for type `%s`.\n\n# Summary\n\n    %s%s %s", t->name->data,
                   t->abstract   ? "abstract type"
                   : t->mutable_ ? "mutable struct"
                                 : "struct",
                   t->abstract ? "" : "", t->name->data);
        if (t->super && t->super != L->T[LXT_Any]) lxW_printf(md, " <: %s", t->super->name->data);
        lxW_puts(md, "\n");
        if (t->nfields) lxW_puts(md, "\n# Fields\n\n");
        for (int i = 0; i < t->nfields; i++) {
            lxW_printf(md, "    %s", t->fields[i]->data);
            if (t->ftypes && t->ftypes[i]) lxW_printf(md, "::%s", t->ftypes[i]->name->data);
            lxW_puts(md, "\n");
        }
    } else if (lxO_is(v, LXO_MODULE)) {
        const char *name = lxO_as(lxO_module, v)->name->data;
        lxW_printf(md,
                   "No docstring found for module `%s`.\n\n`%s` is one of the modules lx knows: `using %s` "
                   "makes its names available, and `%s.name` is the global `name`.",
                   name, name, name, name);
    }
}

/* The line a value's help begins with: "label is of type T." (a tensor's summary names its size). */
static void value_type(lx_State *L, lxW_buf *md, const char *label, size_t n, lx_Value v)
{
    lxO_type *t = lxT_typeof(L, v);
    lxW_puts(md, "`");
    put_topic(md, label, n);
    lxW_puts(md, "` is of type ");
    if (lxO_is(v, LXO_TENSOR)) {
        lx_Value s = lxL_callg(L, "summary", &v, 1);
        lxW_add(md, lxO_as(lxO_string, s)->data, lxO_as(lxO_string, s)->len);
    } else {
        lxW_puts(md, lxT_name(t));
    }
    lxW_puts(md, ".\n\n");
    lx_Value d = value_doc(L, lxO_obj(t));
    if (lxO_is(d, LXO_STRING))
        lxW_add(md, lxO_as(lxO_string, d)->data, lxO_as(lxO_string, d)->len);
    else
        lxW_printf(md, "No documentation found for type `%s`.", lxT_name(t));
}

/* The Markdown for what a name or value is bound to: its docstring, or what help can say without. */
static void describe(lx_State *L, lxW_buf *md, const char *label, size_t n, lx_Value doc, lx_Value obj)
{
    if (lxO_is(doc, LXO_STRING))
        lxW_add(md, lxO_as(lxO_string, doc)->data, lxO_as(lxO_string, doc)->len);
    else if (lxO_is(obj, LXO_GENERIC) || lxO_is(obj, LXO_TYPE) || lxO_is(obj, LXO_MODULE))
        undocumented(L, md, obj);
    else if (obj.tag != LX_TUNDEF)
        value_type(L, md, label, n, obj);
}

/* ---- a topic that is not a name ---------------------------------------------------------------- */

typedef enum { TOPIC_NAME, TOPIC_APROPOS, TOPIC_EVAL, TOPIC_UNKNOWN } topic_kind;

/* The dotted name a call's function is written as (`sum`, `Lux.Dense`), or false. */
static bool callee_name(const lxA_node *e, lxW_buf *b)
{
    if (e->kind == AST_IDENT) {
        lxW_add(b, e->name, e->len);
        return true;
    }
    if (e->kind != AST_FIELD || !callee_name(e->kids[0], b)) return false;
    lxW_puts(b, ".");
    lxW_add(b, e->name, e->len);
    return true;
}

/* The keyword or operator a syntax form is documented under, or NULL. */
static const char *syntax_name(const lxA_node *e)
{
    switch (e->kind) {
    case AST_IF: return "if";
    case AST_FOR: return "for";
    case AST_WHILE: return "while";
    case AST_LET: return "let";
    case AST_TRY: return "try";
    case AST_FUNCTION: return "function";
    case AST_STRUCT: return e->flags & LXA_F_MUTABLE ? "mutable struct" : "struct";
    case AST_ABSTRACT: return "abstract type";
    case AST_RETURN: return "return";
    case AST_BREAK: return "break";
    case AST_CONTINUE: return "continue";
    case AST_LOCAL: return "local";
    case AST_GLOBAL: return "global";
    case AST_CONST: return "const";
    case AST_USING: return "using";
    case AST_IMPORT: return "import";
    case AST_BLOCK: return "begin";
    case AST_AND: return "&&";
    case AST_OR: return "||";
    case AST_LAMBDA: return "->";
    case AST_ASSIGN:
    case AST_OPASSIGN:
    case AST_DOTASSIGN: return "=";
    case AST_TYPED: return "::";
    case AST_SPLAT: return "...";
    case AST_PAIR: return "=>";
    case AST_RANGE: return ":";
    case AST_BINOP:
    case AST_DOTOP:
    case AST_UNOP:
    case AST_DOTUNOP:
    case AST_COMPARE: {
        const char *op = lxX_op_name(e->op);
        return op[0] == '.' && op[1] ? op + 1 : op; /* x .+ y: the doc of + */
    }
    default: return NULL;
    }
}

typedef struct {
    const char *t;
    size_t n;
    topic_kind kind;
    lxW_buf *text; /* the name or the apropos word */
    lxA_arena arena;
    lxP_result res;
} parsed_topic;

static void classify(parsed_topic *p, const lxA_node *tree)
{
    const lxA_node *e = tree->n == 1 ? tree->kids[0] : NULL;
    const char *syn = e ? syntax_name(e) : NULL;
    p->kind = TOPIC_EVAL;
    if (!e) {
        if (!tree->n) p->kind = TOPIC_UNKNOWN;
    } else if (e->kind == AST_STRING && e->n <= 1 && (!e->n || e->kids[0]->kind == AST_STRTEXT)) {
        p->kind = TOPIC_APROPOS;
        if (e->n) lxW_add(p->text, e->kids[0]->name, e->kids[0]->len);
    } else if ((e->kind == AST_CALL || e->kind == AST_DOTCALL) && e->n) {
        p->kind = callee_name(e->kids[0], p->text) ? TOPIC_NAME : TOPIC_UNKNOWN;
    } else if (e->kind == AST_MACROCALL) {
        p->kind = TOPIC_NAME;
        lxW_puts(p->text, "@");
        lxW_add(p->text, e->name, e->len);
    } else if (e->kind == AST_IDENT) {
        p->kind = TOPIC_UNKNOWN;
        lxW_add(p->text, e->name, e->len);
    } else if (syn) {
        p->kind = TOPIC_NAME;
        lxW_puts(p->text, syn);
    }
}

static void parse_topic(lx_State *L, void *ud)
{
    parsed_topic *p = ud;
    const lxA_node *tree = lxP_parse(p->t, p->n, "help", &p->arena, &p->res);
    if (p->res.ok) classify(p, tree);
}

/* What the topic is, from its syntax; a topic that does not parse raises the ParseError. */
static topic_kind parse(lx_State *L, const char *t, size_t n, lxW_buf *text)
{
    parsed_topic p = {t, n, TOPIC_UNKNOWN, text, {0}, {0}};
    lxA_arena_init(&p.arena, lxM_arena_alloc, L);
    lx_Status st = lxD_pcall(L, parse_topic, &p);
    lxA_arena_free(&p.arena);
    if (st != LX_OK) lxE_throw(L, L->exc);
    if (p.res.ok) return p.kind;
    if (!p.res.message[0] || strstr(p.res.message, "out of memory")) lxE_throw(L, L->oom);
    size_t need = lxP_format_error(t, n, "help", &p.res, NULL, 0);
    lxW_buf msg;
    lxW_init(L, &msg);
    lxW_add(&msg, "", 0);
    while (msg.cap < need + 1)
        lxW_add(&msg, " ", 1);
    lxP_format_error(t, n, "help", &p.res, msg.s, need + 1);
    lxE_throw(L, lxE_new(L, LXT_ParseError, msg.s));
}

/* ---- the help for a topic ---------------------------------------------------------------------- */

static void names_line(lxW_buf *b, candlist *l, size_t from, size_t max, const char *prefix, const char *last)
{
    for (size_t i = from; i < l->n && i < from + max; i++) {
        if (i > from) lxW_puts(b, last && (i + 1 == l->n || i + 1 == from + max) ? last : ", ");
        if (prefix) lxW_puts(b, prefix);
        put_name(b, cand_at(l, i));
    }
}

/* Julia's "search:" line: the names that contain the word. */
static void search_line(lx_State *L, lxL_render *r, const char *word, size_t n)
{
    candlist l;
    cand_init(L, &l);
    containing(L, word, n, &l);
    if (l.n) {
        lxW_puts(r->out, "search: ");
        for (size_t i = 0; i < l.n && i < MAX_SEARCH; i++) {
            if (i) lxW_puts(r->out, " ");
            put_name(r->out, cand_at(&l, i));
        }
        lxW_puts(r->out, "\n\n");
    }
    lxW_free(&l.b);
}

/* "No documentation found", then the names it may have meant and the docstrings that mention it. */
static void not_found(lx_State *L, lxL_render *r, const char *t, size_t n)
{
    lxW_puts(r->out, "No documentation found for ");
    put_topic(r->out, t, n);
    lxW_puts(r->out, ".\n");
    size_t m = n <= 256 ? member_start(L, t, n) : 0;
    lxW_buf prefix, line;
    lxW_init(L, &prefix);
    lxW_init(L, &line);
    lxW_add(&prefix, t, m);
    candlist l;
    cand_init(L, &l);
    nearest(L, t + m, n - m, &l);
    if (l.n) {
        lxW_puts(&line, "Perhaps you meant ");
        names_line(&line, &l, 0, MAX_SUGGESTIONS, prefix.s, " or ");
        lxW_puts(r->out, "\n");
        lxL_fill(r, line.s, line.len, 0);
    }
    l.n = 0;
    l.b.len = 0;
    mentioning(L, t + m, n - m, &l);
    if (l.n) {
        line.len = 0;
        lxW_puts(&line, "Docstrings that mention ");
        put_topic(&line, t + m, n - m);
        lxW_puts(&line, ": ");
        names_line(&line, &l, 0, MAX_MENTIONS, NULL, NULL);
        if (l.n > MAX_MENTIONS)
            lxW_printf(&line, " and %zu more (apropos lists them all)", l.n - MAX_MENTIONS);
        lxW_puts(&line, ".");
        lxW_puts(r->out, "\n");
        lxL_fill(r, line.s, line.len, 0);
    }
    lxW_free(&l.b);
    lxW_free(&line);
    lxW_free(&prefix);
}

static void apropos_lines(lx_State *L, lxW_buf *out, const char *word, size_t n)
{
    candlist l;
    cand_init(L, &l);
    mentioning(L, word, n, &l);
    for (size_t i = 0; i < l.n; i++) {
        put_name(out, cand_at(&l, i));
        lxW_puts(out, "\n");
    }
    lxW_free(&l.b);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The help for what was typed after `?` (or given to help as a string), lxL_rendered into r->out. */
static void help_topic(lx_State *L, lxL_render *r, const char *t, size_t n)
{
    while (n && is_space(*t))
        t++, n--;
    while (n && is_space(t[n - 1]))
        n--;
    if (!n) {
        lxL_markdown(r, general_help, sizeof general_help - 1, MARGIN);
        return;
    }
    lxW_buf md, text;
    lxW_init(L, &md);
    lxW_init(L, &text);
    lookup lk = find_name(L, t, n);
    const char *word = t;
    size_t wn = n;
    if (!lk.found && n <= 256 && member_start(L, t, n)) { /* Lux.Nonesuch: a module has no such member */
        not_found(L, r, t, n);
        lxW_free(&md);
        lxW_free(&text);
        return;
    }
    if (!lk.found && n > MAX_PARSED) { /* no name is that long, and its parse error would quote it all */
        not_found(L, r, t, n);
        lxW_free(&md);
        lxW_free(&text);
        return;
    }
    if (!lk.found) {
        topic_kind k = parse(L, t, n, &text);
        if (text.len) word = text.s, wn = text.len;
        if (k == TOPIC_APROPOS) {
            apropos_lines(L, r->out, word, text.len);
        } else if (k == TOPIC_NAME) {
            lk = find_name(L, word, wn);
        } else if (k == TOPIC_EVAL) {
            lx_Value code = lxO_str(L, t, n), v = lxL_callg(L, "include_string", &code, 1);
            int mark = lxV_root(L, v);
            bool named = lxO_is(v, LXO_GENERIC) || lxO_is(v, LXO_TYPE) || lxO_is(v, LXO_MODULE);
            describe(L, &md, t, n, named ? value_doc(L, v) : lxO_nothing(), v);
            lxV_unroot(L, mark);
            lxL_markdown(r, md.s, md.len, MARGIN);
        }
        if (k == TOPIC_APROPOS || k == TOPIC_EVAL) {
            lxW_free(&md);
            lxW_free(&text);
            return;
        }
    }
    if (lk.found) {
        size_t m = wn <= 256 ? member_start(L, word, wn) : 0;
        search_line(L, r, word + m, wn - m);
        describe(L, &md, word, wn, lk.doc, lk.obj);
        lxL_markdown(r, md.s, md.len, MARGIN);
    } else {
        not_found(L, r, word, wn);
    }
    lxW_free(&md);
    lxW_free(&text);
}

/* Where help writes: stdout as it is now (redirect_stdout moves it), at the terminal's width, in
 * colour only when the state has colour on and the text goes to the host's stdout. */
static lxL_render open_render(lx_State *L, lxW_buf *out, lx_Value *io)
{
    *io = lxG_get(L, "stdout");
    lx_Value w = lxL_callg(L, "__termwidth", io, 1);
    lxL_render r = {out, w.tag == LX_TINT ? (int)w.v.i : 80, false};
    if (r.width < 20) r.width = 20;
    if (r.width > 1000) r.width = 1000;
    r.color = L->color && lxO_is(*io, LXO_IO) && lxO_as(lxO_io, *io)->io == LXIO_STDOUT;
    return r;
}

/* help(x) without the protection: a String or Symbol is a topic, as typed at `?`; another value is
 * documented by itself (a function, type or module) or by its type. */
static lx_Value b_help_unprotected(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxW_buf out, md;
    lxW_init(L, &out);
    lxW_init(L, &md);
    lx_Value io;
    lxL_render r = open_render(L, &out, &io);
    int mark = lxV_root(L, io);
    if (a[0].tag == LX_TSYMBOL || lxO_is(a[0], LXO_STRING)) {
        const lxO_string *s =
            a[0].tag == LX_TSYMBOL ? (const lxO_string *)a[0].v.o : lxO_as(lxO_string, a[0]);
        help_topic(L, &r, s->data, s->len);
    } else {
        bool named = lxO_is(a[0], LXO_GENERIC) || lxO_is(a[0], LXO_TYPE) || lxO_is(a[0], LXO_MODULE);
        describe(L, &md, "the argument", 12, named ? value_doc(L, a[0]) : lxO_nothing(), a[0]);
        lxL_markdown(&r, md.s, md.len, MARGIN);
    }
    lxL_iowrite(L, io, out.s ? out.s : "", out.len);
    lxV_unroot(L, mark);
    lxW_free(&md);
    lxW_free(&out);
    return lxO_nothing();
}

/* "ERROR: message" as the REPL prints an error; a ParseError quotes the topic, so its control
 * characters (an escape sequence typed or pasted) are shown as `?`. */
static void error_line(lxW_buf *b, const char *msg, size_t n)
{
    lxW_puts(b, "ERROR: ");
    for (size_t i = 0; i < n; i++)
        lxW_add(b, (unsigned char)msg[i] < 0x20 && msg[i] != '\n' ? "?" : msg + i, 1);
    lxW_puts(b, "\n");
}

static bool fatal(lx_State *L, lx_Value exc)
{
    return lxO_egal(exc, L->oom) ||
           (lxO_is(exc, LXO_STRUCT) && exc.v.o->type == L->T[LXT_InterruptException]);
}

/* An error while finding the help (a topic that does not parse, an expression that fails) is
 * printed as the REPL prints one; running out of memory and interrupts go on out. */
static lx_Value b_help(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value exc;
    if (lxV_pcall(L, lxG_get(L, "__help"), a, 1, lxO_nothing(), &exc) == LX_OK) return lxO_nothing();
    if (fatal(L, exc)) lxE_throw(L, exc);
    lxW_buf msg, b;
    lxW_init(L, &msg);
    lxW_init(L, &b);
    lxW_showerror(&msg, exc);
    error_line(&b, msg.s ? msg.s : "", msg.len);
    lxL_iowrite(L, lxG_get(L, "stdout"), b.s, b.len);
    lxW_free(&b);
    lxW_free(&msg);
    return lxO_nothing();
}

static lx_Value b_apropos(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (a[0].tag != LX_TSYMBOL && !lxO_is(a[0], LXO_STRING))
        lxE_typeerror(L, "apropos", "String or Symbol", a[0]);
    const lxO_string *s = a[0].tag == LX_TSYMBOL ? (const lxO_string *)a[0].v.o : lxO_as(lxO_string, a[0]);
    lxW_buf out;
    lxW_init(L, &out);
    apropos_lines(L, &out, s->data, s->len);
    lxL_iowrite(L, lxG_get(L, "stdout"), out.s ? out.s : "", out.len);
    lxW_free(&out);
    return lxO_nothing();
}

static const lxL_Reg help_lib[] = {
    {"doc", "(x)", b_doc,
     "    doc(x)\n\nThe docstring of a function, type, module, macro or keyword (named by a String or "
     "Symbol, "
     "as `doc(Symbol(\"@show\"))`), or of a value's type, as Markdown.\n\n# Arguments\n- `x`: what to "
     "document: a function, type or module, a name as a String or Symbol, or any value.\n\n# Returns\nThe "
     "docstring as a String (the methods' docstrings joined by `---` lines), or `nothing` when there is "
     "none.\n\n# Examples\n```\nlx> startswith(doc(length), \"    length\")\ntrue\n\nlx> "
     "doc(:undocumented_name) === nothing\ntrue\n```"},
    {"help", "(x)", b_help,
     "    help(x)\n\nPrints the documentation of x lxL_rendered for the terminal, as `?x` does at the "
     "prompt: a "
     "String or Symbol is read as what follows the `?` (a name such as `\"Lux.Dense\"`, `\"@debug_mode\"` "
     "or `\"for\"`, a call, an expression whose value's type to document, or a quoted word to look up "
     "with `apropos`); a function, type or module is documented by its docstring, another value by its "
     "type's. A name with no documentation brings the closest names and the docstrings that mention "
     "it.\n\n# Arguments\n- `x`: a topic (String or Symbol) or a value.\n\n# Returns\n`nothing`; the help "
     "goes to `stdout` (an error finding it is printed there as `ERROR: …`).\n\n# Examples\n```\nlx> "
     "\"Doubles `x`.\"\n       twice(x) = 2x;\n\nlx> help(twice)\n  Doubles `x`.\n\nlx> "
     "help(twise)\nERROR: UndefVarError: `twise` not defined\n```\n\nThe string form reports a name it does "
     "not know and the names it may have meant (the output goes on "
     "with the docstrings that mention it):\n```lx-nodoctest\nlx> help(\"twise\")\nNo documentation found "
     "for twise.\n\nPerhaps you meant twice\n```"},
    {"apropos", "(word)", b_apropos,
     "    apropos(word)\n\nPrints the names whose docstrings mention word (ignoring case), one per line, "
     "sorted: macros with their `@`, keywords too.\n\n# Arguments\n- `word`: the text to look for (a String "
     "or Symbol).\n\n# Returns\n`nothing`; the names go to `stdout`.\n\n# Examples\n```\nlx> \"Paints "
     "zebra stripes.\"\n       stripes() = nothing;\n\nlx> apropos(\"ZEBRA\")\napropos\nstripes\n```"},
    {"__help", "(x)", b_help_unprotected, ""},
    {NULL, NULL, NULL, NULL}};

void lxL_open_help(lx_State *L)
{
    lxL_register(L, help_lib);
    for (size_t i = 0; i < sizeof module_docs / sizeof module_docs[0]; i++)
        lxL_setdoc(L, module_docs[i].name, module_docs[i].doc); /* the modules base.c made */
}

typedef struct {
    const char *t;
    size_t n;
} topic;

static void help_entry(lx_State *L, void *ud)
{
    const topic *tp = ud;
    lxW_buf out;
    lxW_init(L, &out);
    lx_Value io;
    lxL_render r = open_render(L, &out, &io);
    int mark = lxV_root(L, io);
    help_topic(L, &r, tp->t, tp->n);
    lxL_iowrite(L, io, out.s ? out.s : "", out.len);
    lxV_unroot(L, mark);
    lxW_free(&out);
}

lx_Status lx_help(lx_State *L, const char *t, size_t len)
{
    topic tp = {t ? t : "", t ? len : 0};
    lx_Status st = lxD_pcall(L, help_entry, &tp);
    if (st == LX_OK) return st;
    st = lxK_report(L, st);
    lxW_buf b;
    lxW_init(L, &b);
    error_line(&b, lx_errmsg(L), strlen(lx_errmsg(L)));
    lxE_write(L, 2, b.s, b.len);
    lxW_free(&b);
    return st;
}
