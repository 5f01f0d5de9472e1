/* reg.c — registering built-ins from their tables: the signature text is
 * parsed into a method (types looked up by name, defaults, splat,
 * keywords) so C built-ins and lx methods share one method table; and the
 * argument helpers every library uses.
 */
#include "lib.h"

#include <ctype.h>
#include <string.h>

static lxO_type *type_named(lx_State *L, const char *s, size_t n, const char *fname)
{
    lx_Value v = lxG_get(L, lxS_new(L, s, n)->data);
    if (!lxO_is(v, LXO_TYPE))
        lxE_error(L, LXT_ArgumentError, "registering %s: %.*s is not a type", fname, (int)n, s);
    lxO_type *t = lxO_as(lxO_type, v);
    return t->super ? t : NULL; /* Any: no constraint */
}

/* Parses "(a::T, b = 1, cs...; k = 2, rest...)" into m. */
static void parse_sig(lx_State *L, const char *name, const char *sig, lxO_method *m)
{
    memset(m, 0, sizeof *m);
    lxO_type *types[64];
    lxO_string *kws[64];
    int np = 0, nkw = 0;
    bool inkw = false;
    const char *p = sig;
    while (*p && *p != '(')
        p++;
    if (*p == '(') p++;
    while (*p && *p != ')') {
        while (*p == ' ' || *p == ',')
            p++;
        if (*p == ';') {
            inkw = true;
            p++;
            continue;
        }
        if (*p == ')') break;
        const char *nm = p;
        while (*p && (isalnum((unsigned char)*p) || *p == '_' || *p == '!' || (unsigned char)*p >= 0x80))
            p++;
        size_t nmlen = (size_t)(p - nm);
        lxO_type *t = NULL;
        bool splat = false, opt = false;
        if (p[0] == ':' && p[1] == ':') {
            p += 2;
            const char *ts = p;
            while (*p && (isalnum((unsigned char)*p) || *p == '_'))
                p++;
            t = type_named(L, ts, (size_t)(p - ts), name);
            if (*p == '{') { /* parameters in a doc signature: skipped */
                int depth = 0;
                do {
                    depth += *p == '{';
                    depth -= *p == '}';
                    p++;
                } while (*p && depth);
            }
        }
        if (!strncmp(p, "...", 3)) {
            splat = true;
            p += 3;
        }
        while (*p == ' ')
            p++;
        if (*p == '=') { /* a default: its text is for the docs */
            opt = true;
            int depth = 0;
            while (*p && !(depth == 0 && (*p == ',' || *p == ';' || *p == ')'))) {
                if (*p == '"' ||
                    *p == '\'') { /* a string or char default, `delim = ","`: its commas are text */
                    char q = *p++;
                    while (*p && *p != q)
                        p += p[0] == '\\' && p[1] ? 2 : 1;
                    if (*p) p++;
                    continue;
                }
                depth += *p == '(' || *p == '[';
                depth -= *p == ')' || *p == ']';
                p++;
            }
        }
        if (p == nm) /* nothing this parser knows: stop rather than loop on it */
            lxE_error(L, LXT_ArgumentError, "registering %s: cannot read its signature %s at \"%s\"", name,
                      sig, p);
        if (inkw) {
            if (splat)
                m->kwany = true;
            else if (nkw < 64)
                kws[nkw++] = lxS_new(L, nm, nmlen);
            continue;
        }
        if (np >= 60) lxE_error(L, LXT_ArgumentError, "registering %s: too many parameters", name);
        types[np++] = t;
        if (splat)
            m->vararg = true;
        else if (opt)
            m->nopt++;
        else
            m->nreq++;
    }
    m->types = lxM_realloc(L, NULL, 0, LXF_NTYPES(m) * sizeof *m->types);
    memset(m->types, 0, LXF_NTYPES(m) * sizeof *m->types);
    for (int i = 0; i < np; i++)
        m->types[i] = types[i];
    m->nkw = nkw;
    if (nkw) {
        m->kwnames = lxM_realloc(L, NULL, 0, (size_t)nkw * sizeof *m->kwnames);
        memcpy(m->kwnames, kws, (size_t)nkw * sizeof *kws);
    }
}

static lxO_generic *generic_for(lx_State *L, const char *name)
{
    lxO_string *s = lxS_cstr(L, name);
    int g = lxG_index(L, s);
    lx_Value v = L->globals[g].v;
    if (lxO_is(v, LXO_GENERIC)) return lxO_as(lxO_generic, v);
    if (lxO_is(v, LXO_TYPE)) {
        lxO_type *t = lxO_as(lxO_type, v);
        if (!t->ctor) t->ctor = lxO_generic_new(L, t->name);
        return t->ctor;
    }
    lxO_generic *gf = lxO_generic_new(L, s);
    L->globals[g].v = lxO_obj(gf);
    return gf;
}

void lxL_addcmethod(lx_State *L, const char *name, const char *sig, lxO_cfunction fn, lx_Value data,
                    const char *doc)
{
    lxO_generic *gf = generic_for(L, name);
    char text[256];
    snprintf(text, sizeof text, "%s%s", name, sig);
    /* the strings first: parse_sig's allocation is the last thing that can fail before the method is added */
    lxO_string *sigtext = lxS_cstr(L, text);
    lxO_string *doctext = doc && doc[0] ? lxS_cstr(L, doc) : NULL;
    lxO_method m;
    parse_sig(L, name, sig, &m);
    m.cfn = fn;
    m.data = data;
    m.sig = sigtext;
    m.doc = doctext;
    if (!gf->doc) gf->doc = m.doc;
    lxF_addmethod(L, gf, &m);
}

void lxL_register(lx_State *L, const lxL_Reg *regs)
{
    for (; regs->name; regs++)
        lxL_addcmethod(L, regs->name, regs->sig, regs->fn, lxO_nothing(), regs->doc);
}

void lxL_setdoc(lx_State *L, const char *name, const char *doc)
{
    int g = lxG_index(L, lxS_cstr(L, name));
    L->globals[g].doc = lxS_cstr(L, doc);
    lx_Value v = L->globals[g].v;
    if (lxO_is(v, LXO_TYPE) && !lxO_as(lxO_type, v)->doc) lxO_as(lxO_type, v)->doc = L->globals[g].doc;
    if (lxO_is(v, LXO_MODULE)) lxO_as(lxO_module, v)->doc = L->globals[g].doc;
}

void lxL_module(lx_State *L, const char *name, const char *doc)
{
    lxO_module *m = lxO_module_new(L, lxS_cstr(L, name));
    int g = lxG_index(L, m->name);
    L->globals[g].v = lxO_obj(m);
    L->globals[g].isconst = true;
    if (doc) {
        m->doc = lxS_cstr(L, doc);
        L->globals[g].doc = m->doc;
    }
}

/* ---- argument helpers ------------------------------------------------------------------------- */

static void arg_error(lx_State *L, lx_Value *args, int i, const char *fname, const char *want)
{
    lxE_error(L, LXT_TypeError, "%s: argument %d must be %s, got a value of type %s", fname, i + 1, want,
              lxT_name(lxT_typeof(L, args[i])));
}

int64_t lxL_int(lx_State *L, lx_Value *args, int i, const char *fname)
{
    lx_Value v = args[i];
    if (v.tag == LX_TINT) return v.v.i;
    if (v.tag == LX_TBOOL) return v.v.b;
    if ((v.tag == LX_TFLOAT64 || v.tag == LX_TFLOAT32) && lxO_tonumber(v) == (double)(int64_t)lxO_tonumber(v))
        return (int64_t)lxO_tonumber(v);
    arg_error(L, args, i, fname, "an integer");
    return 0;
}

double lxL_number(lx_State *L, lx_Value *args, int i, const char *fname)
{
    if (!lxO_isnumber(args[i])) arg_error(L, args, i, fname, "a number");
    return lxO_tonumber(args[i]);
}

lxO_string *lxL_string(lx_State *L, lx_Value *args, int i, const char *fname)
{
    if (lxO_is(args[i], LXO_STRING)) return lxO_as(lxO_string, args[i]);
    if (args[i].tag == LX_TSYMBOL) return (lxO_string *)args[i].v.o;
    arg_error(L, args, i, fname, "a String");
    return NULL;
}

lx_Value lxL_kw(lx_State *L, lx_Value kw, const char *name, lx_Value def)
{
    if (kw.tag != LX_TOBJECT) return def;
    lxO_ntuple *nt = lxO_as(lxO_ntuple, kw);
    int i = lxO_ntuple_find(nt, lxS_cstr(L, name));
    return i >= 0 ? nt->vals[i] : def;
}

lx_Value lxL_callg(lx_State *L, const char *name, lx_Value *args, int nargs)
{
    lx_Value f = lxG_get(L, name);
    if (f.tag == LX_TUNDEF) lxE_undefvar(L, lxS_cstr(L, name));
    return lxV_call(L, f, args, nargs, lxO_nothing());
}
