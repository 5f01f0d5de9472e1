/* dispatch.c — generic functions (lxF_): method tables, choosing the most
 * specific applicable method for the run-time types of all positional
 * arguments (Julia's rule, on a single-inheritance lattice), and the text of
 * signatures for MethodError and help.  The VM caches the choice per call
 * site; a table's version changes whenever a method is added.
 */
#include "runtime.h"

#include <stdio.h>
#include <string.h>

/* The declared type at position i (the vararg's type repeats). */
static lxO_type *param_type(const lxO_method *m, int i)
{
    int nfixed = m->nreq + m->nopt;
    if (i >= nfixed) {
        if (!m->vararg || !m->types) return NULL;
        return m->types[nfixed];
    }
    return m->types ? m->types[i] : NULL;
}

static bool applicable(lx_State *L, const lxO_method *m, lx_Value *args, int nargs)
{
    if (nargs < m->nreq) return false;
    if (nargs > m->nreq + m->nopt && !m->vararg) return false;
    for (int i = 0; i < nargs; i++) {
        lxO_type *t = param_type(m, i);
        if (t && !lxT_isa(L, args[i], t)) return false;
    }
    return true;
}

/* a is at least as specific as b for calls with nargs arguments. */
static bool as_specific(const lxO_method *a, const lxO_method *b, int nargs)
{
    for (int i = 0; i < nargs; i++) {
        lxO_type *ta = param_type(a, i), *tb = param_type(b, i);
        if (!tb) continue;
        if (!ta || !lxT_subtype(ta, tb)) return false;
    }
    if (a->vararg && !b->vararg) return false;
    return true;
}

static bool more_specific(const lxO_method *a, const lxO_method *b, int nargs)
{
    return as_specific(a, b, nargs) && !as_specific(b, a, nargs);
}

lxO_method *lxF_lookup(lx_State *L, lxO_generic *gf, lx_Value *args, int nargs, bool *ambiguous)
{
    lxO_method *best = NULL;
    *ambiguous = false;
    for (int i = 0; i < gf->n; i++) {
        lxO_method *m = &gf->methods[i];
        if (!applicable(L, m, args, nargs)) continue;
        if (!best || more_specific(m, best, nargs)) best = m;
    }
    if (!best) return NULL;
    for (int i = 0; i < gf->n; i++) { /* best must beat every other candidate */
        lxO_method *m = &gf->methods[i];
        if (m == best || !applicable(L, m, args, nargs)) continue;
        if (!more_specific(best, m, nargs)) {
            *ambiguous = true;
            return NULL;
        }
    }
    return best;
}

static bool same_signature(const lxO_method *a, const lxO_method *b)
{
    if (a->nreq != b->nreq || a->nopt != b->nopt || a->vararg != b->vararg) return false;
    int n = a->nreq + a->nopt + (a->vararg ? 1 : 0);
    for (int i = 0; i < n; i++)
        if (param_type(a, i) != param_type(b, i)) return false;
    return true;
}

void lxF_freemethod(lx_State *L, lxO_method *m)
{
    if (m->types) lxM_free(L, m->types, LXF_NTYPES(m) * sizeof *m->types);
    lxM_free(L, m->kwnames, (size_t)m->nkw * sizeof *m->kwnames);
    m->types = NULL;
    m->kwnames = NULL;
}

void lxF_addmethod(lx_State *L, lxO_generic *gf, const lxO_method *m)
{
    gf->version++;
    for (int i = 0; i < m->nreq + m->nopt + (m->vararg ? 1 : 0); i++) {
        lxO_type *t = param_type(m, i);
        if (t == L->T[LXT_AbstractVector] || t == L->T[LXT_AbstractMatrix]) gf->bydims = true;
    }
    for (int i = 0; i < gf->n; i++)
        if (same_signature(&gf->methods[i], m)) {
            lxF_freemethod(L, &gf->methods[i]);
            gf->methods[i] = *m;
            return;
        }
    if (gf->n == gf->cap) {
        int cap = gf->cap ? 2 * gf->cap : 2;
        gf->methods = lxM_realloc(L, gf->methods, (size_t)gf->cap * sizeof *gf->methods,
                                  (size_t)cap * sizeof *gf->methods);
        gf->cap = cap;
    }
    gf->methods[gf->n++] = *m;
}

size_t lxF_sigtext(lx_State *L, const lxO_generic *gf, const lxO_method *m, char *buf, size_t n)
{
    (void)L;
    if (m->sig) return (size_t)snprintf(buf, n, "%s", m->sig->data);
    size_t len = (size_t)snprintf(buf, n, "%s(", gf->name->data);
    int np = m->nreq + m->nopt + (m->vararg ? 1 : 0);
    for (int i = 0; i < np; i++) {
        lxO_type *t = param_type(m, i);
        len += (size_t)snprintf(buf + (len < n ? len : n), len < n ? n - len : 0, "%s::%s%s%s", i ? ", " : "",
                                t ? lxT_name(t) : "Any", m->vararg && i == np - 1 ? "..." : "",
                                i >= m->nreq && i < m->nreq + m->nopt ? " = …" : "");
    }
    len += (size_t)snprintf(buf + (len < n ? len : n), len < n ? n - len : 0, ")");
    return len;
}
