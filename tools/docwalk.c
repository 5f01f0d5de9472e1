/* docwalk.c — see docwalk.h.  Which library defined a name is found by
 * opening the libraries one at a time in a second state, in lx_openlibs'
 * order, and seeing which globals and macros each one adds; the docstrings
 * come from the state lx_openlibs opened, through the `doc` built-in, so they
 * are exactly what `help` prints.
 */
#include "docwalk.h"

#include "tensor.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The libraries as stdlib/init.c opens them; names a library missing here
 * defines show up as "other". */
typedef struct {
    const char *name;
    void (*open)(lx_State *L);
} library;

/* Lux is deferred until first use (stdlib/prelude.c); here it is wanted at once. */
static void open_lux_now(lx_State *L)
{
    lxL_open_lux(L);
    lxG_load_deferred(L);
}

static const library libs[] = {
    {"base", lxL_open_base},
    {"print", lxL_open_print},
    {"math", lxL_open_math},
    {"strings", lxL_open_strings},
    {"collections", lxL_open_collections},
    {"io", lxL_open_io},
    {"macros", lxL_open_macros},
    {"test", lxL_open_test},
    {"tensor", lxL_open_tensor},
    {"tensor_show", lxL_open_tensor_show},
    {"tensor_new", lxL_open_tensor_new},
    {"random", lxL_open_random},
    {"tensor_arith", lxL_open_tensor_arith},
    {"activations", lxL_open_activations},
    {"tensor_bcast", lxL_open_tensor_bcast},
    {"tensor_index", lxL_open_tensor_index},
    {"tensor_shape", lxL_open_tensor_shape},
    {"tensor_reduce", lxL_open_tensor_reduce},
    {"linalg", lxL_open_linalg},
    {"devices", lxL_open_devices},
    {"gradient", lxL_open_gradient},
    {"nnlib_conv", lxL_open_nnlib_conv},
    {"nnlib_pool", lxL_open_nnlib_pool},
    {"nnlib_norm", lxL_open_nnlib_norm},
    {"nnlib_batched", lxL_open_nnlib_batched},
    {"nnlib_rnn", lxL_open_nnlib_rnn},
    {"lux_support", lxL_open_lux_support},
    {"lux_tools", lxL_open_lux_tools},
    {"optimise", lxL_open_optimise},
    {"losses", lxL_open_losses},
    {"data_io", lxL_open_data_io},
    {"safetensors", lxL_open_safetensors},
    {"term", lxL_open_term},
    {"help", lxL_open_help},
    {"prelude", lxL_open_prelude},
    {"lux", open_lux_now},
};
#define NLIBS ((int)(sizeof libs / sizeof libs[0]))

static const char *const libnames[] = {"base",
                                       "print",
                                       "math",
                                       "strings",
                                       "collections",
                                       "io",
                                       "macros",
                                       "test",
                                       "tensor",
                                       "tensor_show",
                                       "tensor_new",
                                       "random",
                                       "tensor_arith",
                                       "activations",
                                       "tensor_bcast",
                                       "tensor_index",
                                       "tensor_shape",
                                       "tensor_reduce",
                                       "linalg",
                                       "devices",
                                       "gradient",
                                       "nnlib_conv",
                                       "nnlib_pool",
                                       "nnlib_norm",
                                       "nnlib_batched",
                                       "nnlib_rnn",
                                       "lux_support",
                                       "lux_tools",
                                       "optimise",
                                       "losses",
                                       "data_io",
                                       "safetensors",
                                       "term",
                                       "help",
                                       "prelude",
                                       "lux",
                                       "core",
                                       "other",
                                       NULL};

const char *const *docw_libs(void)
{
    return libnames;
}

const char *docw_kindname(docw_kind k)
{
    static const char *const names[] = {"function", "type", "macro", "module", "value"};
    return names[k];
}

static char *dupn(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d) abort();
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static char *dup(const char *s)
{
    return dupn(s, strlen(s));
}

/* ---- which library defined what ----------------------------------------------------------------- */

typedef struct {
    char *name; /* a global's name, or "@" and a macro's */
    const char *lib;
} origin;

typedef struct {
    origin *o;
    int n, cap;
} origins;

static void add_origin(origins *os, const char *name, const char *lib)
{
    if (os->n == os->cap) {
        os->cap = os->cap ? 2 * os->cap : 256;
        os->o = realloc(os->o, (size_t)os->cap * sizeof *os->o);
        if (!os->o) abort();
    }
    os->o[os->n].name = dup(name);
    os->o[os->n++].lib = lib;
}

static const char *origin_of(const origins *os, const char *name)
{
    for (int i = 0; i < os->n; i++)
        if (!strcmp(os->o[i].name, name)) return os->o[i].lib;
    return "other";
}

/* Records the globals and macros defined since the last call. */
static void snapshot(lx_State *L, origins *os, bool *seen, int *nmacros, const char *lib)
{
    for (int i = 0; i < L->nglobals; i++) {
        if (seen[i] || L->globals[i].v.tag == LX_TUNDEF) continue;
        seen[i] = true;
        add_origin(os, L->globals[i].name->data, lib);
    }
    for (int i = *nmacros; i < L->nmacros; i++) {
        char name[256];
        snprintf(name, sizeof name, "@%s", L->macros[i].name->data);
        add_origin(os, name, lib);
    }
    *nmacros = L->nmacros;
}

static void open_one(lx_State *L, void *ud)
{
    ((const library *)ud)->open(L);
}

static void find_origins(origins *os)
{
    lx_State *L = lx_open(NULL);
    if (!L) return;
    bool *seen = NULL; /* per global: already attributed */
    int nseen = 0, nmacros = 0;
    for (int k = -1; k < NLIBS; k++) {
        if (k >= 0) {
            int nframes = L->nframes;
            lx_Status st = lxD_pcall(L, open_one, (void *)&libs[k]);
            L->nframes = nframes;
            if (st != LX_OK) break;
        }
        seen = realloc(seen, (size_t)L->nglobals * sizeof *seen + 1);
        if (!seen) abort();
        memset(seen + nseen, 0, (size_t)(L->nglobals - nseen) * sizeof *seen);
        nseen = L->nglobals;
        snapshot(L, os, seen, &nmacros, k < 0 ? "core" : libs[k].name);
    }
    free(seen);
    lx_close(L);
}

/* ---- the names and their docstrings ---------------------------------------------------------- */

typedef struct {
    docw_entry *e;
    int n, cap;
} entries;

static docw_entry *add_entry(entries *es, const char *name, docw_kind kind, bool required)
{
    if (es->n == es->cap) {
        es->cap = es->cap ? 2 * es->cap : 256;
        es->e = realloc(es->e, (size_t)es->cap * sizeof *es->e);
        if (!es->e) abort();
    }
    docw_entry *e = &es->e[es->n++];
    memset(e, 0, sizeof *e);
    e->name = dup(name);
    e->kind = kind;
    e->required = required;
    return e;
}

/* The object's own name when it is bound under another name too. */
static const lxO_string *own_name(lx_Value v)
{
    if (lxO_is(v, LXO_GENERIC)) return lxO_as(lxO_generic, v)->name;
    if (lxO_is(v, LXO_TYPE)) return lxO_as(lxO_type, v)->name;
    if (lxO_is(v, LXO_MODULE)) return lxO_as(lxO_module, v)->name;
    return NULL;
}

static void list_globals(lx_State *L, entries *es)
{
    for (int i = 0; i < L->nglobals; i++) {
        lxG_global *g = &L->globals[i];
        const char *name = g->name->data;
        if (g->v.tag == LX_TUNDEF || !strncmp(name, "__", 2)) continue;
        docw_entry *e;
        if (lxO_is(g->v, LXO_GENERIC)) {
            e = add_entry(es, name, DOCW_FUNCTION, true);
        } else if (lxO_is(g->v, LXO_TYPE)) {
            const lxO_type *t = lxO_as(lxO_type, g->v);
            if (!t->ctor && !t->doc && !g->doc) continue;
            e = add_entry(es, name, DOCW_TYPE, t->ctor != NULL);
        } else if (lxO_is(g->v, LXO_MODULE)) {
            if (!lxO_as(lxO_module, g->v)->doc && !g->doc) continue;
            e = add_entry(es, name, DOCW_MODULE, false);
        } else {
            if (!g->doc) continue;
            e = add_entry(es, name, DOCW_VALUE, false);
        }
        const lxO_string *own = own_name(g->v);
        if (own && strcmp(own->data, name)) {
            int j = lxG_find(L, (lxO_string *)own);
            if (j >= 0 && lxO_egal(L->globals[j].v, g->v)) {
                e->alias_of = dup(own->data);
                e->required = false;
            }
        }
    }
    for (int i = 0; i < L->nmacros; i++) {
        const char *name = L->macros[i].name->data;
        if (!strncmp(name, "__", 2)) continue;
        char at[256];
        snprintf(at, sizeof at, "@%s", name);
        add_entry(es, at, DOCW_MACRO, true);
    }
}

/* doc(Symbol(name)): the docstring as help shows it, or NULL. */
static char *docstring(lx_State *L, const char *name)
{
    lx_Value f = lxG_get(L, "doc"), r;
    if (!lxO_is(f, LXO_GENERIC)) return NULL;
    lx_Value arg = lxO_sym(lxS_cstr(L, name));
    if (lxV_pcall(L, f, &arg, 1, lxO_nothing(), &r) != LX_OK || !lxO_is(r, LXO_STRING)) return NULL;
    const lxO_string *s = lxO_as(lxO_string, r);
    return s->len ? dupn(s->data, s->len) : NULL;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const docw_entry *)a)->name, ((const docw_entry *)b)->name);
}

bool docw_collect(docw_list *out, char *err, size_t errsize)
{
    out->e = NULL;
    out->n = 0;
    lx_State *L = lx_open(NULL);
    if (!L) {
        snprintf(err, errsize, "cannot open a state");
        return false;
    }
    if (lx_openlibs(L) != LX_OK || lx_dostring(L, "using Lux", 9, "docwalk") != LX_OK) {
        snprintf(err, errsize, "lx_openlibs: %s", lx_errmsg(L));
        lx_close(L);
        return false;
    }
    entries es = {NULL, 0, 0};
    list_globals(L, &es);
    origins os = {NULL, 0, 0};
    find_origins(&os);
    for (int i = 0; i < es.n; i++) {
        es.e[i].doc = docstring(L, es.e[i].name);
        es.e[i].lib = origin_of(&os, es.e[i].name);
    }
    for (int i = 0; i < os.n; i++)
        free(os.o[i].name);
    free(os.o);
    lx_close(L);
    qsort(es.e, (size_t)es.n, sizeof *es.e, by_name);
    out->e = es.e;
    out->n = es.n;
    return true;
}

void docw_free(docw_list *l)
{
    for (int i = 0; i < l->n; i++) {
        free(l->e[i].name);
        free(l->e[i].alias_of);
        free(l->e[i].doc);
    }
    free(l->e);
    l->e = NULL;
    l->n = 0;
}

/* ---- the parts of a docstring --------------------------------------------------------------------- */

/* Whether a heading line ("# Returns", "## Keyword arguments") is the section named. */
static bool is_heading(const char *s, size_t len, const char *name)
{
    size_t h = 0;
    while (h < len && s[h] == '#')
        h++;
    if (h == 0 || h > 3 || h == len || s[h] != ' ') return false;
    return len - h - 1 == strlen(name) && !strncasecmp(s + h + 1, name, len - h - 1);
}

/* Whether a signature line is a bare name (a value, module or abstract type: `ENV`,
 * `Lux.Experimental`), as opposed to a call or an operator (`!x`, `a + b`). */
static bool bare_name(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(isalnum(c) || c == '_' || c == '.' || c >= 0x80)) return false;
    }
    return true;
}

/* What a signature line takes: anything but `name()` or a bare name names an argument. */
static void signature_takes(docw_parts *p, const char *s, size_t len)
{
    const char *open = memchr(s, '(', len);
    if (!bare_name(s, len) && (!open || open + 1 >= s + len || open[1] != ')')) p->takes_args = true;
    const char *semi = memchr(s, ';', len);
    if (semi) p->takes_kwargs = true;
}

docw_parts docw_parse(const char *doc, size_t n)
{
    docw_parts p;
    memset(&p, 0, sizeof p);
    const char *s = doc, *end = doc + n;
    enum { SIG, GAP, DETAILS } at = SIG;
    bool in_examples = false;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *e = nl ? nl : end;
        size_t len = (size_t)(e - s);
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\r'))
            len--;
        if (at == SIG) {
            if (len > 4 && !strncmp(s, "    ", 4)) {
                p.nsig++;
                signature_takes(&p, s + 4, len - 4);
            } else
                at = GAP;
        }
        if (at == GAP && len) {
            if (p.nsig && s[0] != ' ' && s[0] != '#' && strncmp(s, "```", 3)) {
                p.summary = s;
                p.summary_len = len;
            }
            at = DETAILS;
        }
        if (len == 10 && !strncmp(s, "# Examples", 10))
            in_examples = true;
        else if (len && s[0] == '#' && s[1] == ' ')
            in_examples = false;
        if (in_examples && len > 4 && !strncmp(s, "lx> ", 4)) p.examples = true;
        p.arguments |= is_heading(s, len, "Arguments");
        p.kwarguments |= is_heading(s, len, "Keyword Arguments");
        p.returns |= is_heading(s, len, "Returns");
        s = nl ? nl + 1 : end;
    }
    return p;
}
