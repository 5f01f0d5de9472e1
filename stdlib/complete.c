/* complete.c — tab completion for the prompt (lx_complete, include/lx.h).
 *
 * The word is completed from what the state already holds, without running
 * anything a user wrote: a plain prefix from the global names, keywords and
 * the deferred library's names; `@pre` from the macro table; `a.b.pre` by
 * reading the global a and then fields (named tuples, structs, a Pair's
 * first/second; a module's member is the global of that name) and listing
 * the fields of the result; after a module, the names tagged with it
 * (lxG_global.module, set as each library opens: stdlib/init.c, prelude.c)
 * and with the modules it re-exports.  Candidates are collected inside a
 * protected call, sorted and made unique, and handed to the host's callback
 * only after it, so a callback never sees a longjmp.
 */
#include "lex.h"
#include "lib.h"

#include <stdlib.h>
#include <string.h>

/* What a module offers after `M.`: the tags of the names it exports (its own and those it
 * re-exports) and its submodules (globals holding modules, offered by name).  A module not
 * listed offers the names tagged with its own name. */
typedef struct {
    const char *name; /* the module object's name */
    const char *tags[8];
    const char *subs[8];
} module_spec;

static const module_spec modules[] = {
    {"Lux",
     {"Lux", "LuxCore", "WeightInitializers", "NNlib", "Functors", "ADTypes", NULL},
     {"Experimental", "Training", "LuxCore", "WeightInitializers", "NNlib", NULL}},
    {"Experimental", {"Lux.Experimental", NULL}, {NULL}},
    {"LuxLib", {"NNlib", NULL}, {NULL}},
    {"LinearAlgebra", {"LinearAlgebra", NULL}, {"BLAS", NULL}},
};

/* Words the parser knows by their spelling rather than as keyword tokens. */
static const char *const extra_keywords[] = {"where", NULL};

typedef struct {
    const char *s;
    size_t n;
} name;

typedef struct {
    const char *word;
    size_t len;
    size_t head; /* the bytes of word every candidate keeps; the rest is the prefix to match */
    name *items;
    size_t n, cap;
    bool nomem;
    bool load; /* the deferred library has to be loaded first */
} completion;

static const char *prefix(const completion *c)
{
    return c->word + c->head;
}

static size_t prefix_len(const completion *c)
{
    return c->len - c->head;
}

/* Offers s (completing the prefix) when it starts with the prefix; hidden names (`__x`) only
 * when the prefix asks for them. */
static void offer(completion *c, const char *s, size_t n, bool hide)
{
    size_t pn = prefix_len(c);
    if (n < pn || memcmp(s, prefix(c), pn)) return;
    if (hide && n >= 2 && s[0] == '_' && s[1] == '_' && !(pn >= 2 && prefix(c)[1] == '_')) return;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        name *p = realloc(c->items, cap * sizeof *p);
        if (!p) {
            c->nomem = true;
            return;
        }
        c->items = p;
        c->cap = cap;
    }
    c->items[c->n].s = s;
    c->items[c->n].n = n;
    c->n++;
}

static bool ident_start(unsigned char b)
{
    return b >= 0x80 || b == '_' || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
}

static bool ident_byte(unsigned char b)
{
    return ident_start(b) || b == '!' || (b >= '0' && b <= '9');
}

/* A name a user can type as a word (not an operator's name such as `+` or `==`). */
static bool is_ident(const char *s, size_t n)
{
    if (!n || !ident_start((unsigned char)s[0])) return false;
    for (size_t i = 1; i < n; i++)
        if (!ident_byte((unsigned char)s[i])) return false;
    return true;
}

static bool is_module(lx_Value v)
{
    return lxO_is(v, LXO_MODULE);
}

/* ---- what is offered --------------------------------------------------------------------- */

static void offer_globals(lx_State *L, completion *c)
{
    for (int i = 0; i < L->nglobals; i++) {
        const lxG_global *g = &L->globals[i];
        if ((g->v.tag != LX_TUNDEF || g->deferred) && is_ident(g->name->data, g->name->len))
            offer(c, g->name->data, g->name->len, true);
    }
    for (int i = 0; i < L->ndeferred; i++) /* the deferred library's names, before it is loaded */
        offer(c, L->deferred[i]->data, L->deferred[i]->len, true);
}

static void offer_keywords(completion *c)
{
    for (int k = 0; k < KW_NUM; k++) {
        const char *kw = lxX_keyword_name((lxX_keyword)k);
        offer(c, kw, strlen(kw), false);
    }
    for (int k = 0; extra_keywords[k]; k++)
        offer(c, extra_keywords[k], strlen(extra_keywords[k]), false);
}

static bool in_list(const char *const *list, const char *s)
{
    for (int i = 0; s && list[i]; i++)
        if (!strcmp(list[i], s)) return true;
    return false;
}

/* The macros, all of them (tags NULL) or those tagged with one of tags. */
static void offer_macros(lx_State *L, completion *c, const char *const *tags)
{
    for (int i = 0; i < L->nmacros; i++) {
        const lxK_macrodef *m = &L->macros[i];
        if (!tags || in_list(tags, m->module)) offer(c, m->name->data, m->name->len, true);
    }
}

static const module_spec *spec_of(const lxO_module *m, module_spec *own)
{
    for (size_t i = 0; i < sizeof modules / sizeof modules[0]; i++)
        if (!strcmp(modules[i].name, m->name->data)) return &modules[i];
    memset(own, 0, sizeof *own);
    own->name = m->name->data;
    own->tags[0] = m->name->data;
    return own;
}

static void offer_members(lx_State *L, completion *c, const lxO_module *m, bool macros)
{
    module_spec own;
    const module_spec *spec = spec_of(m, &own);
    if (macros) {
        offer_macros(L, c, spec->tags);
        return;
    }
    for (int i = 0; i < L->nglobals; i++) {
        const lxG_global *g = &L->globals[i];
        /* modules are offered as submodules only: Base is not a member of Lux */
        if (g->v.tag == LX_TUNDEF || is_module(g->v) || !in_list(spec->tags, g->module)) continue;
        if (is_ident(g->name->data, g->name->len)) offer(c, g->name->data, g->name->len, true);
    }
    for (int i = 0; spec->subs[i]; i++)
        offer(c, spec->subs[i], strlen(spec->subs[i]), true);
}

static void offer_fields(completion *c, lx_Value v)
{
    if (v.tag != LX_TOBJECT) return; /* numbers, symbols, nothing: no fields */
    if (v.v.o->kind == LXO_NTUPLE) {
        const lxO_ntuple *nt = (const lxO_ntuple *)v.v.o;
        for (int i = 0; i < nt->n; i++)
            offer(c, nt->names[i]->data, nt->names[i]->len, false);
    } else if (v.v.o->kind == LXO_STRUCT) { /* a user's struct, an exception, a Pair */
        const lxO_type *t = v.v.o->type;
        for (int i = 0; i < t->nfields; i++)
            offer(c, t->fields[i]->data, t->fields[i]->len, false);
    }
}

/* ---- resolving a.b.c --------------------------------------------------------------------- */

static bool same(const lxO_string *s, const char *p, size_t n)
{
    return s->len == n && !memcmp(s->data, p, n);
}

static bool is_deferred_name(lx_State *L, const char *p, size_t n)
{
    for (int i = 0; i < L->ndeferred; i++)
        if (same(L->deferred[i], p, n)) return true;
    return false;
}

/* The global named p[0..n), as lx reads it; false when there is none (yet: c->load is set when
 * loading the deferred library would define it). */
static bool read_global(lx_State *L, completion *c, const char *p, size_t n, lx_Value *out)
{
    for (int i = 0; i < L->nglobals; i++) {
        const lxG_global *g = &L->globals[i];
        if (!same(g->name, p, n)) continue;
        if (g->v.tag == LX_TUNDEF) {
            c->load |= g->deferred;
            return false;
        }
        *out = g->v;
        return true;
    }
    c->load |= is_deferred_name(L, p, n);
    return false;
}

/* The field p[0..n) of v, reading stored values only (no getproperty method runs). */
static bool read_field(lx_State *L, completion *c, lx_Value v, const char *p, size_t n, lx_Value *out)
{
    if (v.tag != LX_TOBJECT) return false;
    switch (v.v.o->kind) {
    case LXO_NTUPLE: {
        const lxO_ntuple *nt = (const lxO_ntuple *)v.v.o;
        for (int i = 0; i < nt->n; i++)
            if (same(nt->names[i], p, n)) return *out = nt->vals[i], true;
        return false;
    }
    case LXO_STRUCT: {
        const lxO_struct *st = (const lxO_struct *)v.v.o;
        const lxO_type *t = v.v.o->type;
        for (int i = 0; i < t->nfields && i < st->n; i++)
            if (same(t->fields[i], p, n)) return *out = st->fields[i], true;
        return false;
    }
    case LXO_MODULE: return read_global(L, c, p, n, out); /* as lx resolves Lux.Dense */
    default: return false;
    }
}

/* The value of the dotted path word[0..end) (parts split at '.'), or false. */
static bool resolve(lx_State *L, completion *c, size_t end, lx_Value *out)
{
    const char *w = c->word;
    bool first = true;
    for (size_t i = 0; i <= end;) {
        size_t j = i;
        while (j < end && w[j] != '.')
            j++;
        if (!is_ident(w + i, j - i)) return false; /* `.x`, `a..b`, `1.5` */
        lx_Value v = lxO_nothing();
        if (first ? !read_global(L, c, w + i, j - i, &v) : !read_field(L, c, *out, w + i, j - i, &v))
            return false;
        *out = v;
        first = false;
        i = j + 1;
    }
    return !first;
}

static void collect(lx_State *L, void *ud)
{
    completion *c = ud;
    const char *w = c->word;
    size_t dot = c->len;
    while (dot > 0 && w[dot - 1] != '.')
        dot--;
    if (dot == 0) { /* no dot: a name, a keyword or a macro */
        if (w[0] == '@') {
            c->head = 1;
            offer_macros(L, c, NULL);
            return;
        }
        offer_globals(L, c);
        offer_keywords(c);
        return;
    }
    lx_Value v = lxO_nothing();
    if (dot < 2 || !resolve(L, c, dot - 1, &v)) return;
    bool macro = dot < c->len && w[dot] == '@';
    c->head = dot + macro;
    c->load |= is_module(v) && L->defer_load; /* its members are tagged as the library loads */
    if (is_module(v))
        offer_members(L, c, (const lxO_module *)v.v.o, macro);
    else if (!macro)
        offer_fields(c, v);
}

/* ---- sorting and handing out ------------------------------------------------------------- */

static int cmp_name(const void *a, const void *b)
{
    const name *x = a, *y = b;
    int r = memcmp(x->s, y->s, x->n < y->n ? x->n : y->n);
    return r ? r : (x->n > y->n) - (x->n < y->n);
}

/* Runs collect protected; false when it raised or ran out of memory. */
static bool run_collect(lx_State *L, completion *c)
{
    c->n = 0;
    c->head = 0;
    c->load = false;
    return lxD_pcall(L, collect, c) == LX_OK && !c->nomem;
}

int lx_complete(lx_State *L, const char *word, size_t len, int helpmode, lx_Completion add, void *ud)
{
    (void)helpmode; /* help topics are the same names, keywords and macros */
    if (!L || !word || !len || !add) return 0;
    completion c;
    memset(&c, 0, sizeof c);
    c.word = word;
    c.len = len;
    bool ok = run_collect(L, &c);
    if (ok && c.load && L->defer_load) {
        /* `Lux.` or a name only the deferred library defines: load it (lx's own code) and look again */
        ok = lx_dostring(L, "using Lux", 9, "completion") == LX_OK && run_collect(L, &c);
    }
    int count = 0;
    char *buf = NULL;
    size_t longest = 0;
    if (ok && c.n) {
        qsort(c.items, c.n, sizeof *c.items, cmp_name);
        for (size_t i = 0; i < c.n; i++)
            longest = c.items[i].n > longest ? c.items[i].n : longest;
        buf = malloc(c.head + longest + 1);
    }
    if (buf) {
        memcpy(buf, word, c.head);
        for (size_t i = 0; i < c.n; i++) {
            if (i > 0 && !cmp_name(&c.items[i - 1], &c.items[i])) continue;
            memcpy(buf + c.head, c.items[i].s, c.items[i].n);
            buf[c.head + c.items[i].n] = '\0';
            add(ud, buf, c.head + c.items[i].n);
            count++;
        }
    }
    free(buf);
    free(c.items);
    return count;
}
