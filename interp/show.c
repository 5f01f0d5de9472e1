/* show.c — values as text (lxW_): print (strings bare), repr (as code would
 * write it) and show (the REPL's multi-line display), in Julia's formats:
 * the shortest float that reads back, `(a = 1,)`, `1:10`, `"k" => v`, and
 * showerror's messages for the built-in exceptions.  stdlib/ puts user
 * `show` methods in front of these.
 */
#include "runtime.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lxW_init(lx_State *L, lxW_buf *b)
{
    b->L = L;
    b->s = NULL;
    b->len = b->cap = 0;
    b->slot = -1;
}

void lxW_free(lxW_buf *b)
{
    lx_State *L = b->L;
    if (b->s) lxM_free(L, b->s, b->cap);
    if (b->slot >= 0) {
        L->scratch[b->slot].p = NULL;
        while (L->nscratch > 0 && !L->scratch[L->nscratch - 1].p)
            L->nscratch--;
    }
    b->s = NULL;
    b->len = b->cap = 0;
    b->slot = -1;
}

void lxW_release(lx_State *L, int depth)
{
    while (L->nscratch > 0) {
        struct lxW_scratch *e = &L->scratch[L->nscratch - 1];
        if (e->p && e->depth <= depth) break;
        if (e->p) lxM_free(L, e->p, e->cap);
        L->nscratch--;
    }
}

void lxW_add(lxW_buf *b, const char *s, size_t n)
{
    lx_State *L = b->L;
    if (b->len + n + 1 > b->cap) {
        if (b->slot < 0) { /* register first, so the memory is never unaccounted for */
            if (L->nscratch == L->capscratch) {
                int cap = L->capscratch ? 2 * L->capscratch : 16;
                L->scratch = lxM_realloc(L, L->scratch, (size_t)L->capscratch * sizeof *L->scratch,
                                         (size_t)cap * sizeof *L->scratch);
                L->capscratch = cap;
            }
            b->slot = L->nscratch++;
            L->scratch[b->slot].p = NULL;
            L->scratch[b->slot].cap = 0;
            L->scratch[b->slot].depth = L->nframes;
        }
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->s = lxM_realloc(L, b->s, b->cap, cap);
        b->cap = cap;
        L->scratch[b->slot].p = b->s;
        L->scratch[b->slot].cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void lxW_puts(lxW_buf *b, const char *s)
{
    lxW_add(b, s, strlen(s));
}

void lxW_printf(lxW_buf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof tmp) {
        lxW_add(b, tmp, (size_t)n);
        return;
    }
    char *big = lxM_realloc(b->L, NULL, 0, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    lxW_add(b, big, (size_t)n);
    lxM_free(b->L, big, (size_t)n + 1);
}

/* Julia's float display: the shortest digits that read back, plain between
 * 1e-5 and 1e6 (exclusive), scientific outside; Float32 with an f exponent. */

void lxW_float(lxW_buf *b, double d, bool f32)
{
    lxW_floattext(b, d, f32, f32);
}

/* typed: Float32 written as code would (1.5f0); print writes 1.5, as Julia does. */
void lxW_floattext(lxW_buf *b, double d, bool f32, bool typed)
{
    if (isnan(d)) {
        lxW_puts(b, typed ? "NaN32" : "NaN");
        return;
    }
    if (isinf(d)) {
        lxW_puts(b, d < 0 ? (typed ? "-Inf32" : "-Inf") : (typed ? "Inf32" : "Inf"));
        return;
    }
    if (d == 0) {
        lxW_puts(b, signbit(d) ? (typed ? "-0.0f0" : "-0.0") : (typed ? "0.0f0" : "0.0"));
        return;
    }
    char tmp[64];
    int prec = 1;
    for (; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, d);
        double back = strtod(tmp, NULL);
        if (f32 ? (float)back == (float)d : back == d) break;
    }
    /* tmp is [-]D.DDDDe±XX: split into digits and exponent */
    char digits[32];
    int nd = 0;
    const char *p = tmp;
    bool neg = *p == '-';
    if (neg) p++;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9') digits[nd++] = *p;
    int e = atoi(p + 1);
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    digits[nd] = '\0';
    if (neg) lxW_puts(b, "-");
    if (e > -5 && e < 6) {
        if (e >= 0) {
            for (int i = 0; i <= e; i++)
                lxW_add(b, i < nd ? &digits[i] : "0", 1);
            lxW_puts(b, ".");
            if (nd > e + 1)
                lxW_add(b, digits + e + 1, (size_t)(nd - e - 1));
            else
                lxW_puts(b, "0");
        } else {
            lxW_puts(b, "0.");
            for (int i = 0; i < -e - 1; i++)
                lxW_puts(b, "0");
            lxW_add(b, digits, (size_t)nd);
        }
        if (typed) lxW_puts(b, "f0");
        return;
    }
    lxW_add(b, digits, 1);
    lxW_puts(b, ".");
    if (nd > 1)
        lxW_add(b, digits + 1, (size_t)(nd - 1));
    else
        lxW_puts(b, "0");
    lxW_printf(b, "%s%d", typed ? "f" : "e", e);
}

static void repr_string(lxW_buf *b, const lxO_string *s)
{
    lxW_puts(b, "\"");
    for (size_t i = 0; i < s->len; i++) {
        unsigned char c = (unsigned char)s->data[i];
        switch (c) {
        case '"': lxW_puts(b, "\\\""); break;
        case '\\': lxW_puts(b, "\\\\"); break;
        case '$': lxW_puts(b, "\\$"); break;
        case '\n': lxW_puts(b, "\\n"); break;
        case '\t': lxW_puts(b, "\\t"); break;
        case '\r': lxW_puts(b, "\\r"); break;
        default:
            if (c < 0x20 || c == 0x7f)
                lxW_printf(b, "\\x%02x", c);
            else
                lxW_add(b, (const char *)&c, 1);
        }
    }
    lxW_puts(b, "\"");
}

static void repr_depth(lxW_buf *b, lx_Value v, int depth);

static void seq(lxW_buf *b, const lx_Value *v, size_t n, int depth)
{
    for (size_t i = 0; i < n; i++) {
        if (i) lxW_puts(b, ", ");
        if (i >= 1000) {
            lxW_puts(b, "…");
            break;
        }
        repr_depth(b, v[i], depth + 1);
    }
}

static void repr_depth(lxW_buf *b, lx_Value v, int depth)
{
    if (depth > 64) {
        lxW_puts(b, "…");
        return;
    }
    switch (v.tag) {
    case LX_TNOTHING: lxW_puts(b, "nothing"); return;
    case LX_TBOOL: lxW_puts(b, v.v.b ? "true" : "false"); return;
    case LX_TINT: lxW_printf(b, "%lld", (long long)v.v.i); return;
    case LX_TFLOAT64: lxW_float(b, v.v.d, false); return;
    case LX_TFLOAT32: lxW_float(b, v.v.f, true); return;
    case LX_TSYMBOL: lxW_printf(b, ":%s", ((lxO_string *)v.v.o)->data); return;
    case LX_TUNDEF: lxW_puts(b, "#undef"); return;
    default: break;
    }
    lxO_header *o = v.v.o;
    switch ((lxO_kind)o->kind) {
    case LXO_STRING: repr_string(b, (lxO_string *)o); return;
    case LXO_TUPLE: {
        lxO_tuple *t = (lxO_tuple *)o;
        lxW_puts(b, "(");
        seq(b, t->items, (size_t)t->n, depth);
        lxW_puts(b, t->n == 1 ? ",)" : ")");
        return;
    }
    case LXO_NTUPLE: {
        lxO_ntuple *t = (lxO_ntuple *)o;
        if (t->n == 0) {
            lxW_puts(b, "NamedTuple()");
            return;
        }
        lxW_puts(b, "(");
        for (int i = 0; i < t->n; i++) {
            if (i) lxW_puts(b, ", ");
            lxW_printf(b, "%s = ", t->names[i]->data);
            repr_depth(b, t->vals[i], depth + 1);
        }
        lxW_puts(b, t->n == 1 ? ",)" : ")");
        return;
    }
    case LXO_LIST: {
        lxO_list *l = (lxO_list *)o;
        lxW_puts(b, "[");
        seq(b, l->items, l->n, depth);
        lxW_puts(b, "]");
        return;
    }
    case LXO_DICT: {
        lxO_dict *d = (lxO_dict *)o;
        lxW_puts(b, "Dict(");
        bool first = true;
        for (size_t i = 0; i < d->used; i++) {
            if (d->entries[i].key.tag == LX_TUNDEF) continue;
            if (!first) lxW_puts(b, ", ");
            first = false;
            repr_depth(b, d->entries[i].key, depth + 1);
            lxW_puts(b, " => ");
            repr_depth(b, d->entries[i].val, depth + 1);
        }
        lxW_puts(b, ")");
        return;
    }
    case LXO_RANGE: {
        lxO_range *r = (lxO_range *)o;
        if (r->isfloat) {
            lxW_float(b, r->start.d, false);
            lxW_puts(b, ":");
            lxW_float(b, r->step.d, false);
            lxW_puts(b, ":");
            lxW_float(b, r->start.d + (double)(r->len - 1) * r->step.d, false);
        } else if (r->step.i == 1) {
            lxW_printf(b, "%lld:%lld", (long long)r->start.i, (long long)(r->start.i + r->len - 1));
        } else {
            lxW_printf(b, "%lld:%lld:%lld", (long long)r->start.i, (long long)r->step.i,
                       (long long)(r->start.i + (r->len ? r->len - 1 : -1) * r->step.i));
        }
        return;
    }
    case LXO_CLOSURE: {
        lxO_proto *p = ((lxO_closure *)o)->p;
        lxW_puts(b, p->name && strcmp(p->name->data, "#anonymous") ? p->name->data : "#anonymous");
        return;
    }
    case LXO_GENERIC: lxW_puts(b, ((lxO_generic *)o)->name->data); return;
    case LXO_TYPE: lxW_puts(b, lxT_name((lxO_type *)o)); return;
    case LXO_MODULE: lxW_puts(b, ((lxO_module *)o)->name->data); return;
    case LXO_IO: {
        lxO_io *io = (lxO_io *)o;
        if (io->io == LXIO_STDOUT)
            lxW_puts(b, "stdout");
        else if (io->io == LXIO_STDERR)
            lxW_puts(b, "stderr");
        else if (io->io == LXIO_BUFFER)
            lxW_printf(b, "IOBuffer(%zu bytes)", io->len);
        else
            lxW_printf(b, "IOStream(<file %s>)", io->name ? io->name->data : "?");
        return;
    }
    case LXO_STRUCT: {
        lxO_struct *s = (lxO_struct *)o;
        if (b->L->showhook && !o->type->builtin && b->L->showhook(b->L, b, v)) return;
        if (o->type == b->L->T[LXT_Pair]) { /* a pair inside a pair is parenthesised, as Julia does */
            for (int k = 0; k < 2; k++) {
                bool inner = lxO_is(s->fields[k], LXO_STRUCT) && s->fields[k].v.o->type == b->L->T[LXT_Pair];
                if (k) lxW_puts(b, " => ");
                if (inner) lxW_puts(b, "(");
                repr_depth(b, s->fields[k], depth + 1);
                if (inner) lxW_puts(b, ")");
            }
            return;
        }
        lxW_printf(b, "%s(", lxT_name(o->type));
        seq(b, s->fields, (size_t)s->n, depth);
        lxW_puts(b, ")");
        return;
    }
    case LXO_TENSOR:
        if (b->L->tensorshow) {
            b->L->tensorshow(b->L, b, v, false);
            return;
        }
        lxW_puts(b, "<Tensor>");
        return;
    case LXO_CDATA: /* a built-in type's C data (an RNG): its type's show method, through stdlib */
        if (b->L->showhook && b->L->showhook(b->L, b, v)) return;
        lxW_printf(b, "<%s>", lxT_name(o->type));
        return;
    default: lxW_printf(b, "<%s>", lxT_name(o->type)); return;
    }
}

void lxW_repr(lxW_buf *b, lx_Value v)
{
    repr_depth(b, v, 0);
}

void lxW_print(lxW_buf *b, lx_Value v)
{
    if (lxO_is(v, LXO_STRING)) {
        lxO_string *s = lxO_as(lxO_string, v);
        lxW_add(b, s->data, s->len);
    } else if (v.tag == LX_TSYMBOL) {
        lxW_puts(b, ((lxO_string *)v.v.o)->data);
    } else if (v.tag == LX_TFLOAT32) {
        lxW_floattext(b, v.v.f, true, false);
    } else {
        lxW_repr(b, v);
    }
}

void lxW_show(lxW_buf *b, lx_Value v)
{
    if (lxO_is(v, LXO_TENSOR) && b->L->tensorshow) {
        b->L->tensorshow(b->L, b, v, true);
        return;
    }
    if (lxO_is(v, LXO_LIST)) {
        lxO_list *l = lxO_as(lxO_list, v);
        lxW_printf(b, "%zu-element List%s", l->n, l->n ? ":" : "");
        for (size_t i = 0; i < l->n; i++) {
            if (l->n > 40 && i == 20) {
                lxW_puts(b, "\n ⋮");
                i = l->n - 20;
            }
            lxW_puts(b, "\n ");
            lxW_repr(b, l->items[i]);
        }
        return;
    }
    if (lxO_is(v, LXO_DICT)) {
        lxO_dict *d = lxO_as(lxO_dict, v);
        lxW_printf(b, "Dict with %zu entr%s%s", d->n, d->n == 1 ? "y" : "ies", d->n ? ":" : "");
        for (size_t i = 0; i < d->used; i++) {
            if (d->entries[i].key.tag == LX_TUNDEF) continue;
            lxW_puts(b, "\n  ");
            lxW_repr(b, d->entries[i].key);
            lxW_puts(b, " => ");
            lxW_repr(b, d->entries[i].val);
        }
        return;
    }
    if (lxO_is(v, LXO_GENERIC)) {
        lxO_generic *g = lxO_as(lxO_generic, v);
        lxW_printf(b, "%s (generic function with %d method%s)", g->name->data, g->n, g->n == 1 ? "" : "s");
        return;
    }
    if (lxO_is(v, LXO_STRUCT) && lxT_subtype(v.v.o->type, b->L->T[LXT_Exception])) {
        lxW_repr(b, v);
        return;
    }
    lxW_repr(b, v);
}

/* ---- errors ------------------------------------------------------------------------------------ */

static lx_Value field(lx_State *L, lx_Value exc, const char *name)
{
    lxO_type *t = exc.v.o->type;
    for (int i = 0; i < t->nfields; i++)
        if (!strcmp(t->fields[i]->data, name)) return ((lxO_struct *)exc.v.o)->fields[i];
    (void)L;
    return lxO_nothing();
}

static void method_error(lxW_buf *b, lx_Value exc)
{
    lx_State *L = b->L;
    lx_Value f = field(L, exc, "f"), args = field(L, exc, "args");
    if (!lxO_is(f, LXO_GENERIC) || !lxO_is(args, LXO_TUPLE)) {
        lx_Value msg = field(L, exc, "msg");
        lxW_puts(b, "MethodError: ");
        if (lxO_is(f, LXO_STRING))
            lxW_print(b, f);
        else
            lxW_print(b, msg);
        return;
    }
    lxO_generic *g = lxO_as(lxO_generic, f);
    lxO_tuple *a = lxO_as(lxO_tuple, args);
    lxW_printf(b, "MethodError: no method matching %s(", g->name->data);
    for (int i = 0; i < a->n; i++)
        lxW_printf(b, "%s::%s", i ? ", " : "", lxT_name(lxT_typeof(L, a->items[i])));
    lxW_puts(b, ")");
    if (g->n) {
        lxW_puts(b, "\n\nClosest candidates are:");
        for (int i = 0; i < g->n && i < 12; i++) {
            char sig[512];
            lxF_sigtext(L, g, &g->methods[i], sig, sizeof sig);
            lxW_printf(b, "\n  %s", sig);
            if (g->methods[i].file)
                lxW_printf(b, "\n    @ %s:%d", g->methods[i].file->data, g->methods[i].line);
        }
        if (g->n > 12) lxW_printf(b, "\n  (and %d more)", g->n - 12);
    }
}

void lxW_showerror(lxW_buf *b, lx_Value exc)
{
    lx_State *L = b->L;
    if (!lxO_is(exc, LXO_STRUCT)) {
        lxW_repr(b, exc);
        return;
    }
    lxO_type *t = exc.v.o->type;
    lx_Value msg = field(L, exc, "msg");
    if (t == L->T[LXT_ErrorException]) {
        lxW_print(b, msg);
    } else if (t == L->T[LXT_UndefVarError]) {
        lx_Value var = field(L, exc, "var");
        if (var.tag == LX_TSYMBOL)
            lxW_printf(b, "UndefVarError: `%s` not defined", ((lxO_string *)var.v.o)->data);
        else {
            lxW_puts(b, "UndefVarError: ");
            lxW_print(b, var);
        }
    } else if (t == L->T[LXT_MethodError]) {
        method_error(b, exc);
    } else if (t == L->T[LXT_KeyError]) {
        lxW_puts(b, "KeyError: key ");
        lxW_repr(b, field(L, exc, "key"));
        lxW_puts(b, " not found");
    } else if (t == L->T[LXT_BoundsError]) {
        lx_Value a = field(L, exc, "a"), i = field(L, exc, "i");
        if (lxO_is(a, LXO_STRING)) {
            lxW_puts(b, "BoundsError: ");
            lxW_print(b, a);
            return;
        }
        lxW_puts(b, "BoundsError: attempt to access ");
        if (lxO_is(a, LXO_LIST))
            lxW_printf(b, "%zu-element List", lxO_as(lxO_list, a)->n);
        else if (lxO_is(a, LXO_TUPLE))
            lxW_printf(b, "%d-element Tuple", lxO_as(lxO_tuple, a)->n);
        else if (lxO_is(a, LXO_RANGE))
            lxW_printf(b, "%lld-element Range", (long long)lxO_as(lxO_range, a)->len);
        else {
            lxW_puts(b, "a ");
            lxW_puts(b, lxT_name(lxT_typeof(L, a)));
        }
        lxW_puts(b, " at index [");
        if (lxO_is(i, LXO_TUPLE))
            seq(b, lxO_as(lxO_tuple, i)->items, (size_t)lxO_as(lxO_tuple, i)->n, 0);
        else
            lxW_repr(b, i);
        lxW_puts(b, "]");
    } else if (t == L->T[LXT_DomainError]) {
        lx_Value val = field(L, exc, "val");
        if (val.tag != LX_TNOTHING) {
            lxW_puts(b, "DomainError with ");
            lxW_print(b, val);
            lxW_puts(b, ":\n");
        } else {
            lxW_puts(b, "DomainError: ");
        }
        lxW_print(b, msg);
    } else if (t == L->T[LXT_StackOverflowError]) {
        lxW_printf(b, "StackOverflowError: the call stack is more than %d calls deep (unbounded recursion?)",
                   LXV_MAX_FRAMES);
    } else if (t == L->T[LXT_OutOfMemoryError]) {
        lxW_puts(b, "OutOfMemoryError: ");
        const char *m = L->errmsg;
        if (!strncmp(m, "OutOfMemoryError: ", 18)) m += 18;
        lxW_puts(b, *m ? m : "out of memory");
    } else if (t == L->T[LXT_DivideError]) {
        lxW_puts(b, "DivideError: integer division error");
    } else if (t == L->T[LXT_InterruptException]) {
        lxW_puts(b, "InterruptException:");
    } else if (t == L->T[LXT_EOFError]) {
        lxW_puts(b, "EOFError: read end of file");
    } else if (msg.tag != LX_TNOTHING || (t->nfields == 1 && !strcmp(t->fields[0]->data, "msg"))) {
        lxW_printf(b, "%s: ", lxT_name(t));
        lxW_print(b, msg);
    } else {
        lxW_repr(b, exc);
    }
}
