/* base.c — the core library: operators as functions, types and
 * conversions, errors, and the functions the compiler's output calls
 * (ranges, pairs, literals, splats, broadcasting over lists, `using`,
 * docstrings; `doc` and `help` are in help.c).
 */
#include "lib.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- operators ---------------------------------------------------------------------------------- */

static lx_Value arith2(lx_State *L, lxK_opcode op, lx_Value *args, const char *name)
{
    lx_Value r;
    if (!lxV_arith(L, op, args[0], args[1], &r))
        lxE_methoderror(L, lxO_as(lxO_generic, lxG_get(L, name)), args, 2);
    return r;
}

static lx_Value b_add(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (n == 1) return a[0];
    return arith2(L, BC_ADD, a, "+");
}
static lx_Value b_sub(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (n == 1) {
        lx_Value z = lxO_int(0), args[2] = {z, a[0]};
        if (a[0].tag == LX_TFLOAT64) return lxO_f64(-a[0].v.d);
        if (a[0].tag == LX_TFLOAT32) return lxO_f32(-a[0].v.f);
        return arith2(L, BC_SUB, args, "-");
    }
    return arith2(L, BC_SUB, a, "-");
}
static lx_Value b_mul(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value acc = a[0];
    for (int i = 1; i < n; i++) {
        lx_Value args[2] = {acc, a[i]};
        acc = arith2(L, BC_MUL, args, "*");
    }
    return acc;
}
static lx_Value b_div(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return arith2(L, BC_DIV, a, "/");
}
static lx_Value b_pow(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return arith2(L, BC_POW, a, "^");
}
static lx_Value b_rem(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return arith2(L, BC_REM, a, "%");
}
static lx_Value b_idiv(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return arith2(L, BC_IDIV, a, "÷");
}

static lx_Value b_eq(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_bool(lxO_equal(L, a[0], a[1]));
}

static bool call_bool(lx_State *L, const char *f, lx_Value x, lx_Value y)
{
    lx_Value args[2] = {x, y};
    lx_Value r = lxL_callg(L, f, args, 2);
    if (r.tag != LX_TBOOL) lxE_typeerror(L, f, "a Bool result", r);
    return r.v.b;
}

static lx_Value b_ne(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_bool(!call_bool(L, "==", a[0], a[1]));
}

/* Tuples compare lexicographically, as Julia's isless does. */
static int compare_values(lx_State *L, lx_Value x, lx_Value y, bool orequal)
{
    int r = lxV_less(x, y, orequal);
    if (r >= 0) return r;
    if (lxO_is(x, LXO_TUPLE) && lxO_is(y, LXO_TUPLE)) {
        lxO_tuple *s = lxO_as(lxO_tuple, x), *t = lxO_as(lxO_tuple, y);
        for (int i = 0; i < s->n && i < t->n; i++) {
            if (call_bool(L, "<", s->items[i], t->items[i])) return 1;
            if (call_bool(L, "<", t->items[i], s->items[i])) return 0;
        }
        return orequal ? s->n <= t->n : s->n < t->n;
    }
    if (x.tag == LX_TSYMBOL && y.tag == LX_TSYMBOL) {
        int c = strcmp(((lxO_string *)x.v.o)->data, ((lxO_string *)y.v.o)->data);
        return orequal ? c <= 0 : c < 0;
    }
    lx_Value args[2] = {x, y};
    lxE_methoderror(L, lxO_as(lxO_generic, lxG_get(L, orequal ? "<=" : "<")), args, 2);
}

static lx_Value b_lt(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_bool(compare_values(L, a[0], a[1], false));
}
static lx_Value b_le(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    int r = lxV_less(a[0], a[1], true);
    if (r >= 0) return lxO_bool(r);
    /* a <= b is !(b < a) for types that define only < */
    return lxO_bool(!call_bool(L, "<", a[1], a[0]));
}
static lx_Value b_gt(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_bool(call_bool(L, "<", a[1], a[0]));
}
static lx_Value b_ge(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_bool(call_bool(L, "<=", a[1], a[0]));
}
static lx_Value b_isless(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (lxO_isnumber(a[0]) && lxO_isnumber(a[1])) { /* NaN sorts last, as in Julia */
        double x = lxO_tonumber(a[0]), y = lxO_tonumber(a[1]);
        if (isnan(x)) return lxO_bool(false);
        if (isnan(y)) return lxO_bool(true);
    }
    return lxO_bool(call_bool(L, "<", a[0], a[1]));
}
static lx_Value b_not(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (a[0].tag != LX_TBOOL) lxE_typeerror(L, "!", "a Bool", a[0]);
    return lxO_bool(!a[0].v.b);
}
static lx_Value b_egal(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (lxO_egal(a[0], a[1])) return lxO_bool(true);
    /* immutable values are === when their contents are */
    if (a[0].tag == LX_TOBJECT && a[1].tag == LX_TOBJECT && a[0].v.o->kind == a[1].v.o->kind &&
        (a[0].v.o->kind == LXO_TUPLE || a[0].v.o->kind == LXO_NTUPLE || a[0].v.o->kind == LXO_RANGE ||
         (a[0].v.o->kind == LXO_STRUCT && !a[0].v.o->type->mutable_)))
        return lxO_bool(lxO_isequal(L, a[0], a[1]) && a[0].v.o->type == a[1].v.o->type);
    return lxO_bool(false);
}
static lx_Value b_negal(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_bool(!b_egal(L, a, n, kw).v.b);
}
static lx_Value b_isequal(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_bool(lxO_isequal(L, a[0], a[1]));
}
static lx_Value b_hash(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_int(lxO_hash(L, a[0]));
}

/* Identity, as `===` sees it: a heap object's address (stable: the collector does not move objects),
 * else the hash of the immediate value. */
static lx_Value b_objectid(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (a[0].tag == LX_TOBJECT) return lxO_int((int64_t)(uintptr_t)a[0].v.o);
    return lxO_int(lxO_hash(L, a[0]));
}

static lx_Value b_isapprox(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    double atol = lxO_tonumber(lxL_kw(L, kw, "atol", lxO_f64(0)));
    lx_Value rt = lxL_kw(L, kw, "rtol", lxO_nothing());
    if (lxO_isnumber(a[0]) && lxO_isnumber(a[1])) {
        double x = lxO_tonumber(a[0]), y = lxO_tonumber(a[1]);
        bool f32 = a[0].tag == LX_TFLOAT32 || a[1].tag == LX_TFLOAT32;
        /* Julia's default rtol: sqrt(eps) of the wider float type, 0 when atol > 0 */
        double rtol = rt.tag != LX_TNOTHING ? lxO_tonumber(rt)
                      : atol > 0            ? 0
                      : f32                 ? 3.4526698e-4
                                            : 1.4901161193847656e-8;
        if (x == y) return lxO_bool(true);
        if (!isfinite(x) || !isfinite(y)) return lxO_bool(false);
        double m = fabs(x) > fabs(y) ? fabs(x) : fabs(y);
        return lxO_bool(fabs(x - y) <= (atol > rtol * m ? atol : rtol * m));
    }
    /* containers: elementwise on the norm, as Julia compares arrays */
    if (a[0].tag == LX_TOBJECT && a[1].tag == LX_TOBJECT && a[0].v.o->kind == a[1].v.o->kind &&
        (a[0].v.o->kind == LXO_TUPLE || a[0].v.o->kind == LXO_LIST || a[0].v.o->kind == LXO_NTUPLE)) {
        lx_Value *x, *y;
        size_t nx, ny;
        if (a[0].v.o->kind == LXO_LIST) {
            x = lxO_as(lxO_list, a[0])->items, nx = lxO_as(lxO_list, a[0])->n;
            y = lxO_as(lxO_list, a[1])->items, ny = lxO_as(lxO_list, a[1])->n;
        } else if (a[0].v.o->kind == LXO_TUPLE) {
            x = lxO_as(lxO_tuple, a[0])->items, nx = (size_t)lxO_as(lxO_tuple, a[0])->n;
            y = lxO_as(lxO_tuple, a[1])->items, ny = (size_t)lxO_as(lxO_tuple, a[1])->n;
        } else {
            x = lxO_as(lxO_ntuple, a[0])->vals, nx = (size_t)lxO_as(lxO_ntuple, a[0])->n;
            y = lxO_as(lxO_ntuple, a[1])->vals, ny = (size_t)lxO_as(lxO_ntuple, a[1])->n;
        }
        if (nx != ny) return lxO_bool(false);
        lx_Value f = lxG_get(L, "isapprox");
        for (size_t i = 0; i < nx; i++) {
            lx_Value args[2] = {x[i], y[i]};
            lx_Value r = lxV_call(L, f, args, 2, kw);
            if (r.tag != LX_TBOOL || !r.v.b) return lxO_bool(false);
        }
        return lxO_bool(true);
    }
    return lxO_bool(lxO_equal(L, a[0], a[1]));
}

/* ---- types --------------------------------------------------------------------------------------- */

static lx_Value b_typeof(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_obj(lxT_typeof(L, a[0]));
}
static lx_Value b_isa(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_bool(lxT_isa(L, a[0], lxO_as(lxO_type, a[1])));
}
static lx_Value b_supertype(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_type *t = lxO_as(lxO_type, a[0]);
    return lxO_obj(t->super ? t->super : t);
}
static lx_Value b_subtype(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_bool(lxT_subtype(lxO_as(lxO_type, a[0]), lxO_as(lxO_type, a[1])));
}
static lx_Value b_typeassert(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (!lxO_is(a[1], LXO_TYPE)) lxE_typeerror(L, "typeassert", "a type", a[1]);
    if (!lxT_isa(L, a[0], lxO_as(lxO_type, a[1])))
        lxE_error(L, LXT_TypeError, "typeassert: expected %s, got a value of type %s",
                  lxT_name(lxO_as(lxO_type, a[1])), lxT_name(lxT_typeof(L, a[0])));
    return a[0];
}
static lx_Value b_apply_type(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    /* type parameters are accepted and ignored (spec §4), except by the types that keep theirs
     * (AbstractLuxContainerLayer{(:a, :b)}, lux_support.c): a subtype remembering the parameter;
     * and a type given a meaning for T{p} (StatefulLuxLayer{false}) calls it */
    if (n >= 2 && lxO_is(a[0], LXO_TYPE) && lxO_as(lxO_type, a[0])->curly.tag != LX_TNOTHING)
        return lxV_call(L, lxO_as(lxO_type, a[0])->curly, a + 1, n - 1, lxO_nothing());
    if (n == 2 && lxO_is(a[0], LXO_TYPE)) {
        lxO_type *t = lxO_as(lxO_type, a[0]);
        if (t->abstract && t->extra.tag == LX_TBOOL) {
            lxO_type *sub = lxT_new(L, t->name, t, true);
            sub->extra = a[1];
            return lxO_obj(sub);
        }
    }
    return a[0];
}
static lx_Value b_fieldnames(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_type *t = lxO_is(a[0], LXO_TYPE) ? lxO_as(lxO_type, a[0]) : lxT_typeof(L, a[0]);
    if (lxO_is(a[0], LXO_NTUPLE)) {
        lxO_ntuple *nt = lxO_as(lxO_ntuple, a[0]);
        lxO_tuple *r = lxO_tuple_new(L, nt->n);
        for (int i = 0; i < nt->n; i++)
            r->items[i] = lxO_sym(nt->names[i]);
        return lxO_obj(r);
    }
    lxO_tuple *r = lxO_tuple_new(L, t->nfields);
    for (int i = 0; i < t->nfields; i++)
        r->items[i] = lxO_sym(t->fields[i]);
    return lxO_obj(r);
}
static lx_Value b_isabstract(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_bool(lxO_as(lxO_type, a[0])->abstract);
}
static lx_Value b_ismutable(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_bool(a[0].tag == LX_TOBJECT && (a[0].v.o->kind == LXO_LIST || a[0].v.o->kind == LXO_DICT ||
                                               (a[0].v.o->kind == LXO_STRUCT && a[0].v.o->type->mutable_)));
}
static lx_Value b_getfield(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (a[1].tag != LX_TSYMBOL) lxE_typeerror(L, "getfield", "a Symbol", a[1]);
    lxO_string *name = (lxO_string *)a[1].v.o;
    if (lxO_is(a[0], LXO_NTUPLE)) {
        int i = lxO_ntuple_find(lxO_as(lxO_ntuple, a[0]), name);
        if (i >= 0) return lxO_as(lxO_ntuple, a[0])->vals[i];
    } else if (lxO_is(a[0], LXO_STRUCT)) {
        lxO_type *t = a[0].v.o->type;
        for (int i = 0; i < t->nfields; i++)
            if (t->fields[i] == name) return lxO_as(lxO_struct, a[0])->fields[i];
    } else if (lxO_is(a[0], LXO_MODULE)) {
        lx_Value v = lxG_get(L, name->data);
        if (v.tag != LX_TUNDEF) return v;
    }
    lxE_error(L, LXT_FieldError, "type %s has no field `%s`", lxT_name(lxT_typeof(L, a[0])), name->data);
}
static lx_Value b_hasproperty(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (a[1].tag != LX_TSYMBOL) return lxO_bool(false);
    lxO_string *name = (lxO_string *)a[1].v.o;
    if (lxO_is(a[0], LXO_NTUPLE)) return lxO_bool(lxO_ntuple_find(lxO_as(lxO_ntuple, a[0]), name) >= 0);
    if (lxO_is(a[0], LXO_STRUCT)) {
        lxO_type *t = a[0].v.o->type;
        for (int i = 0; i < t->nfields; i++)
            if (t->fields[i] == name) return lxO_bool(true);
    }
    return lxO_bool(false);
}

/* ---- conversions ----------------------------------------------------------------------------------- */

static void inexact(lx_State *L, const char *to, lx_Value v)
{
    lxW_buf b;
    lxW_init(L, &b);
    lxW_repr(&b, v);
    char msg[300];
    snprintf(msg, sizeof msg, "%s(%s) is not exact: the value has no %s representation", to, b.s, to);
    lxW_free(&b);
    lxE_throw(L, lxE_new(L, LXT_InexactError, msg));
}

static lx_Value to_int(lx_State *L, lx_Value v)
{
    if (v.tag == LX_TINT) return v;
    if (v.tag == LX_TBOOL) return lxO_int(v.v.b);
    if (v.tag == LX_TFLOAT64 || v.tag == LX_TFLOAT32) {
        double d = lxO_tonumber(v);
        if (d != trunc(d) || !(d >= -9.2233720368547758e18 && d < 9.2233720368547758e18))
            inexact(L, "Int64", v);
        return lxO_int((int64_t)d);
    }
    if (lxO_is(v, LXO_STRING))
        lxE_error(L, LXT_MethodError,
                  "no method matching Int64(::String); use parse(Int, s) to read a number from text");
    lxE_typeerror(L, "Int", "a number", v);
}

static lx_Value b_int(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return to_int(L, a[0]);
}
static lx_Value b_float64(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (!lxO_isnumber(a[0])) lxE_typeerror(L, "Float64", "a number", a[0]);
    return lxO_f64(lxO_tonumber(a[0]));
}
static lx_Value b_float32(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (!lxO_isnumber(a[0])) lxE_typeerror(L, "Float32", "a number", a[0]);
    return lxO_f32((float)lxO_tonumber(a[0]));
}
static lx_Value b_bool(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (a[0].tag == LX_TBOOL) return a[0];
    if (lxO_isnumber(a[0])) {
        double d = lxO_tonumber(a[0]);
        if (d == 0 || d == 1) return lxO_bool(d == 1);
        inexact(L, "Bool", a[0]);
    }
    lxE_typeerror(L, "Bool", "a number", a[0]);
}
static lx_Value b_symbol(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxW_buf b;
    lxW_init(L, &b);
    for (int i = 0; i < n; i++)
        lxW_print(&b, a[i]);
    lx_Value r = lxO_sym(lxS_new(L, b.s ? b.s : "", b.len));
    lxW_free(&b);
    return r;
}
static lx_Value b_float(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (a[0].tag == LX_TFLOAT32 || a[0].tag == LX_TFLOAT64) return a[0];
    if (!lxO_isnumber(a[0])) lxE_typeerror(L, "float", "a number", a[0]);
    return lxO_f64(lxO_tonumber(a[0]));
}
static lx_Value b_convert(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_type *t = lxO_as(lxO_type, a[0]);
    if (lxT_isa(L, a[1], t)) return a[1];
    return lxV_call(L, a[0], a + 1, 1, lxO_nothing());
}

/* ---- errors ---------------------------------------------------------------------------------------- */

static lx_Value b_error(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxW_buf b;
    lxW_init(L, &b);
    for (int i = 0; i < n; i++)
        lxL_printvalue(L, &b, a[i], false);
    lx_Value msg = lxO_str(L, b.s ? b.s : "", b.len);
    lxW_free(&b);
    lxO_struct *e = lxO_struct_new(L, L->T[LXT_ErrorException]);
    e->fields[0] = msg;
    lxE_throw(L, lxO_obj(e));
}
static lx_Value b_throw(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxE_throw(L, a[0]);
}
static lx_Value b_rethrow(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    /* the trace of the exception being handled stays as it was */
    L->exc = n ? a[0] : L->exc;
    L->errjmp->status = LX_ERRRUN;
    longjmp(L->errjmp->buf, 1);
}
static lx_Value b_kwrequired(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxE_error(L, LXT_ArgumentError, "keyword argument `%s` is required but was not given",
              ((lxO_string *)a[0].v.o)->data);
}

/* ---- what compiled code calls ---------------------------------------------------------------------- */

static lx_Value b_colon(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value start = a[0], step = n == 3 ? a[1] : lxO_int(1), stop = a[n - 1];
    if (start.tag == LX_TINT && step.tag == LX_TINT && (stop.tag == LX_TINT || stop.tag == LX_TFLOAT64)) {
        int64_t e = stop.tag == LX_TINT ? stop.v.i : (int64_t)floor(stop.v.d);
        return lxO_obj(lxO_range_int(L, start.v.i, step.v.i, e));
    }
    for (int i = 0; i < n; i++)
        if (!lxO_isnumber(a[i])) lxE_typeerror(L, "a range (a:b)", "numbers", a[i]);
    return lxO_obj(lxO_range_float(L, lxO_tonumber(start), lxO_tonumber(step), lxO_tonumber(stop)));
}
static lx_Value b_pair(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_pair(L, a[0], a[1]);
}
static lx_Value b_tuple(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_tuple *t = lxO_tuple_new(L, n);
    memcpy(t->items, a, (size_t)n * sizeof *a);
    return lxO_obj(t);
}
static lx_Value b_arglist(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_obj(lxO_list_new(L, 0));
}
static lx_Value b_new(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (!lxO_is(a[0], LXO_TYPE)) lxE_typeerror(L, "new", "a type", a[0]);
    return lxV_new_struct(L, lxO_as(lxO_type, a[0]), a + 1, n - 1);
}

/* __rest(x, k): the elements of x from the k-th on (a tuple for a tuple, else a List). */
static lx_Value b_rest(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    int64_t k = lxL_int(L, a, 1, "rest");
    if (lxO_is(a[0], LXO_TUPLE)) {
        lxO_tuple *t = lxO_as(lxO_tuple, a[0]);
        int m = k - 1 < t->n ? t->n - (int)(k - 1) : 0;
        lxO_tuple *r = lxO_tuple_new(L, m);
        memcpy(r->items, t->items + (t->n - m), (size_t)m * sizeof(lx_Value));
        return lxO_obj(r);
    }
    if (lxO_is(a[0], LXO_TENSOR) || lxO_is(a[0], LXO_RANGE)) { /* x[k:end], as Julia */
        lx_Value len = lxL_callg(L, "length", a, 1);
        if (len.tag != LX_TINT) lxE_typeerror(L, "a, rest... = x", "an integer length", len);
        lx_Value args[2] = {a[0], lxO_obj(lxO_range_int(L, k, 1, len.v.i))};
        return lxL_callg(L, "getindex", args, 2);
    }
    lx_Value all = lxL_callg(L, "collect", a, 1);
    if (!lxO_is(all, LXO_LIST)) lxE_typeerror(L, "a, rest... = x", "a collection", a[0]);
    int mark = lxV_root(L, all);
    lxO_list *l = lxO_as(lxO_list, all);
    size_t from = (size_t)(k - 1) < l->n ? (size_t)(k - 1) : l->n;
    lxO_list *r = lxO_list_new(L, l->n - from);
    for (size_t i = from; i < l->n; i++)
        lxO_list_push(L, r, l->items[i]);
    lxV_unroot(L, mark);
    return lxO_obj(r);
}

static lx_Value b_identity(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return a[0];
}

static const char *const known_modules[] = {"Lux",
                                            "LuxCore",
                                            "Random",
                                            "Optimisers",
                                            "Statistics",
                                            "LinearAlgebra",
                                            "NNlib",
                                            "Zygote",
                                            "Printf",
                                            "Test",
                                            "Setfield",
                                            "MLUtils",
                                            "OneHotArrays",
                                            "Functors",
                                            "WeightInitializers",
                                            "Training",
                                            "ParameterSchedulers",
                                            "ProgressMeter",
                                            "UnicodePlots",
                                            "Base",
                                            "Core",
                                            "ComponentArrays",
                                            "ADTypes",
                                            "Enzyme",
                                            "Lux.Experimental",
                                            NULL};

/* The modules an error lists: those a user would write (Base, Core and what only seed code names are left
 * out). */
#define USER_MODULES 19

static lx_Value b_using(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxG_load_deferred(L); /* `using Lux` loads the layers now rather than on first use */
    for (int i = 0; i < n; i++) {
        const char *name = ((lxO_string *)a[i].v.o)->data;
        bool ok = false;
        for (int k = 0; known_modules[k]; k++)
            ok |= !strcmp(known_modules[k], name);
        if (!ok) {
            char list[600] = "";
            size_t len = 0;
            for (int k = 0; known_modules[k] && k < USER_MODULES && len < sizeof list; k++)
                len +=
                    (size_t)snprintf(list + len, sizeof list - len, "%s%s", k ? ", " : "", known_modules[k]);
            lxE_error(L, LXT_ArgumentError, "unknown module %s; the modules lx knows are %s", name, list);
        }
    }
    return lxO_nothing();
}

static lx_Value b_setdoc(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    int g = lxG_index(L, (lxO_string *)a[0].v.o);
    if (lxO_is(a[1], LXO_STRING)) L->globals[g].doc = lxO_as(lxO_string, a[1]);
    return lxO_nothing();
}

static lx_Value b_merge_nt(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_ntuple *x = lxO_as(lxO_ntuple, a[0]), *y = lxO_as(lxO_ntuple, a[1]);
    int extra = 0;
    for (int i = 0; i < y->n; i++)
        extra += lxO_ntuple_find(x, y->names[i]) < 0;
    lxO_ntuple *r = lxO_ntuple_new(L, x->n + extra);
    for (int i = 0; i < x->n; i++) {
        r->names[i] = x->names[i];
        int j = lxO_ntuple_find(y, x->names[i]);
        r->vals[i] = j >= 0 ? y->vals[j] : x->vals[i];
    }
    int k = x->n;
    for (int i = 0; i < y->n; i++)
        if (lxO_ntuple_find(x, y->names[i]) < 0) {
            r->names[k] = y->names[i];
            r->vals[k++] = y->vals[i];
        }
    return lxO_obj(r);
}

static lx_Value b_nothing_q(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_bool(a[0].tag == LX_TNOTHING);
}

static lx_Value b_methods(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_generic *g = lxO_is(a[0], LXO_GENERIC) ? lxO_as(lxO_generic, a[0])
                     : lxO_is(a[0], LXO_TYPE)  ? lxO_as(lxO_type, a[0])->ctor
                                               : NULL;
    lxO_list *l = lxO_list_new(L, 0);
    int mark = lxV_root(L, lxO_obj(l));
    for (int i = 0; g && i < g->n; i++) {
        char sig[512];
        lxF_sigtext(L, g, &g->methods[i], sig, sizeof sig);
        lxO_list_push(L, l, lxO_cstr(L, sig));
    }
    lxV_unroot(L, mark);
    return lxO_obj(l);
}

struct source_text {
    const char *buf;
    size_t n;
    lx_Value out;
};

static void make_source(lx_State *L, void *ud)
{
    struct source_text *m = ud;
    m->out = lxO_str(L, m->buf, m->n);
}

/* include("file.lx"): runs a file, its path relative to the including file's folder. */
static lx_Value b_include(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_need(L, LX_LIB_INCLUDE, "include");
    lxO_string *path = lxL_string(L, a, 0, "include");
    char full[4096];
    lx_Value cur = L->current_file;
    if (path->data[0] != '/' && lxO_is(cur, LXO_STRING) && strrchr(lxO_as(lxO_string, cur)->data, '/')) {
        const char *f = lxO_as(lxO_string, cur)->data;
        int dir = (int)(strrchr(f, '/') - f);
        snprintf(full, sizeof full, "%.*s/%s", dir, f, path->data);
    } else {
        snprintf(full, sizeof full, "%s", path->data);
    }
    FILE *fp = fopen(full, "rb");
    if (!fp) lxE_error(L, LXT_IOError, "include: could not open file %s", full);
    /* read whole, closing the file before anything can raise */
    long size = fseek(fp, 0, SEEK_END) == 0 ? ftell(fp) : -1;
    rewind(fp);
    char *buf = size >= 0 && size < (1L << 30) ? L->alloc(L->alloc_ud, NULL, 0, (size_t)size + 1) : NULL;
    size_t got = buf ? fread(buf, 1, (size_t)size, fp) : 0;
    fclose(fp);
    if (!buf) lxE_error(L, LXT_IOError, "include: cannot read %s (%ld bytes)", full, size);
    /* the text becomes a string in protected mode, so buf is freed whatever happens */
    struct source_text m = {buf, got, lxO_nothing()};
    lx_Status st = lxD_pcall(L, make_source, &m);
    L->alloc(L->alloc_ud, buf, (size_t)size + 1, 0);
    if (st != LX_OK) lxD_throw(L, LX_ERRMEM, "OutOfMemoryError: reading %s", full);
    lx_Value src = m.out;
    int mark = lxV_root(L, lxO_cstr(L, full));
    lxV_root(L, src);
    lx_Value r;
    r = lxK_dosource(L, lxO_as(lxO_string, src)->data, lxO_as(lxO_string, src)->len, full);
    lxV_unroot(L, mark);
    return r;
}

/* include_string([mod,] code): runs code as if it were a file (Julia's, the module ignored). */
static lx_Value b_include_string(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_string *code = lxL_string(L, a, n - 1, "include_string");
    return lxK_dosource(L, code->data, code->len, "string");
}

/* exit(code): unwinds to the host past every try (lx_doline returns LX_EXIT); the lx program then exits. */
static lx_Value b_exit(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    int64_t code = n ? lxL_int(L, a, 0, "exit") : 0;
    if (code < 0 || code > 255)
        lxE_error(L, LXT_ArgumentError, "exit: the code must be in 0:255, got %lld", (long long)code);
    L->exitcode = (int)code;
    L->exiting = true;
    lxE_throw(L, lxO_nothing());
}

static const lxL_Reg base_lib[] = {
    {"exit", "()", b_exit,
     "    exit(code = 0)\n\nEnds the program with the given status, at once: no `catch` stops it and no "
     "`finally` block runs, as in Julia. At the prompt it ends the session; a host embedding lx gets the "
     "status `LX_EXIT` and the code from `lx_exitcode`, and its state stays usable.\n\n# Arguments\n- "
     "`code`: the process's exit status, an integer in 0:255 (default 0).\n\n# Returns\nNever returns.\n\n"
     "# Examples\n```lx-nodoctest\nlx> exit(3)\n```"},
    {"exit", "(code::Integer)", b_exit, ""},
    {"include_string", "(code::String)", b_include_string,
     "    include_string([m,] code)\n\nRuns lx source code given as a string in the global scope (the module "
     "argument, for Julia's signature, is ignored) and returns the value of its last statement. A syntax "
     "error is a ParseError.\n\n# Arguments\n- `m`: a module (accepted for Julia's signature and "
     "ignored).\n- `code`: the lx source, a String.\n\n# Returns\nThe value of the last statement of code "
     "(`nothing` for empty code).\n\n# Examples\n```\nlx> include_string(\"x = 20; x + 1\")\n21\n```"},
    {"include_string", "(m::Module, code::String)", b_include_string, ""},
    {"include", "(path::String)", b_include,
     "    include(path)\n\nRuns the lx file at path (relative to the folder of the file that includes it) in "
     "the global scope and returns the value of its last statement.\n\n# Arguments\n- `path`: the file's "
     "path, a String; a relative path is taken from the folder of the including file (from the working "
     "directory at the top level).\n\n# Returns\nThe value of the file's last statement; an IOError when the "
     "file cannot be read.\n\n# Examples\n```lx-nodoctest\nlx> include(\"model.lx\")\n```"},
    {"+", "(x::Number, y::Number)", b_add,
     "    x + y\n\nAddition. Integers wrap around on overflow; an integer or Float64 combined with a Float32 "
     "gives Float32 (spec §5).\n\n# Arguments\n- `x`, `y`: numbers (Int64, Float64, Float32, Bool); `+x` "
     "with one argument is x itself.\n\n# Returns\nThe sum, a number of the promoted type.\n\n# "
     "Examples\n```\nlx> 1 + 2\n3\n\nlx> 1.5f0 + 2\n3.5f0\n```"},
    {"+", "(x::Number)", b_add, ""},
    {"-", "(x::Number, y::Number)", b_sub,
     "    x - y\n    -x\n\nSubtraction, and negation with one argument.\n\n# Arguments\n- `x`, `y`: numbers "
     "(Int64, Float64, Float32, Bool).\n\n# Returns\nThe difference `x - y`, or `-x`, a number of the "
     "promoted type.\n\n# Examples\n```\nlx> 5 - 7\n-2\n\nlx> -(3.0)\n-3.0\n```"},
    {"-", "(x::Number)", b_sub, ""},
    {"*", "(x::Number, y::Number, zs::Number...)", b_mul,
     "    x * y\n\nMultiplication (for strings: concatenation).\n\n# Arguments\n- `x`, `y`: numbers (more "
     "factors may follow: `*(x, y, z)`), or two strings.\n\n# Returns\nThe product, a number of the promoted "
     "type (for strings: the concatenated String).\n\n# Examples\n```\nlx> 6 * 7\n42\n\nlx> \"ab\" * "
     "\"cd\"\n\"abcd\"\n```"},
    {"/", "(x::Number, y::Number)", b_div,
     "    x / y\n\nDivision; two integers give a Float64.\n\n# Arguments\n- `x`, `y`: numbers.\n\n# "
     "Returns\nThe quotient: a Float64 for two integers, else a float of the promoted type.\n\n# "
     "Examples\n```\nlx> 7 / 2\n3.5\n```"},
    {"^", "(x::Number, y::Number)", b_pow,
     "    x ^ y\n\nPower. An integer to a negative integer power is a DomainError, as in Julia.\n\n# "
     "Arguments\n- `x`: the base, a number.\n- `y`: the exponent, a number.\n\n# Returns\nThe power, a "
     "number of the promoted type.\n\n# Examples\n```\nlx> 2 ^ 10\n1024\n\nlx> 2.0 ^ -1\n0.5\n```"},
    {"%", "(x::Number, y::Number)", b_rem,
     "    x % y\n\nRemainder with the sign of x (Julia's rem); integer division by zero is a "
     "DivideError.\n\n# Arguments\n- `x`, `y`: numbers (`y` nonzero for integers).\n\n# Returns\nThe "
     "remainder `x - y * trunc(x / y)`, a number of the promoted type.\n\n# Examples\n```\nlx> -7 % "
     "3\n-1\n```"},
    {"÷", "(x::Number, y::Number)", b_idiv,
     "    x ÷ y\n\nInteger division, truncated toward zero (Julia's div).\n\n# Arguments\n- `x`, `y`: "
     "numbers (`y` nonzero for integers).\n\n# Returns\nThe quotient truncated toward zero, of the promoted "
     "type (`7.5 ÷ 2` is `3.0`).\n\n# Examples\n```\nlx> 7 ÷ 2\n3\n```"},
    {"==", "(x, y)", b_eq,
     "    x == y\n\nEquality: numbers by value across types, containers element by element.\n\n# "
     "Arguments\n- `x`, `y`: any values.\n\n# Returns\nA Bool.\n\n# Examples\n```\nlx> 1 == 1.0\ntrue\n\nlx> "
     "(1, \"a\") == (1, \"a\")\ntrue\n```"},
    {"!=", "(x, y)", b_ne,
     "    x != y\n\nNot equal: `!(x == y)`.\n\n# Arguments\n- `x`, `y`: any values.\n\n# Returns\nA "
     "Bool.\n\n# Examples\n```\nlx> 1 != 2\ntrue\n```"},
    {"<", "(x, y)", b_lt,
     "    x < y\n\nLess than, for numbers, strings (by bytes), symbols and tuples (lexicographic).\n\n# "
     "Arguments\n- `x`, `y`: two numbers, two strings, two symbols or two tuples (a MethodError for other "
     "pairs unless a method is added).\n\n# Returns\nA Bool.\n\n# Examples\n```\nlx> 1 < 2.5\ntrue\n\nlx> "
     "\"abc\" < \"abd\"\ntrue\n```"},
    {"<=", "(x, y)", b_le,
     "    x <= y\n\nLess than or equal.\n\n# Arguments\n- `x`, `y`: values `<` compares (for other types, `x "
     "<= y` is `!(y < x)`).\n\n# Returns\nA Bool.\n\n# Examples\n```\nlx> 2 <= 2\ntrue\n```"},
    {">", "(x, y)", b_gt,
     "    x > y\n\nGreater than: `y < x`.\n\n# Arguments\n- `x`, `y`: values `<` compares.\n\n# Returns\nA "
     "Bool.\n\n# Examples\n```\nlx> 3 > 2\ntrue\n```"},
    {">=", "(x, y)", b_ge,
     "    x >= y\n\nGreater than or equal: `y <= x`.\n\n# Arguments\n- `x`, `y`: values `<=` compares.\n\n# "
     "Returns\nA Bool.\n\n# Examples\n```\nlx> 3 >= 3\ntrue\n```"},
    {"isless", "(x, y)", b_isless,
     "    isless(x, y)\n\nThe order `sort` uses: `<`, with NaN after every number.\n\n# Arguments\n- `x`, "
     "`y`: values `<` compares (numbers, strings, symbols, tuples).\n\n# Returns\nA Bool.\n\n# "
     "Examples\n```\nlx> isless(1, NaN)\ntrue\n```"},
    {"!", "(x::Bool)", b_not,
     "    !x\n\nBoolean not.\n\n# Arguments\n- `x`: a Bool (anything else is a TypeError).\n\n# Returns\nA "
     "Bool.\n\n# Examples\n```\nlx> !true\nfalse\n```"},
    {"===", "(x, y)", b_egal,
     "    x === y\n\nIdentity: the same object, or immutable values with the same contents and type.\n\n# "
     "Arguments\n- `x`, `y`: any values.\n\n# Returns\nA Bool.\n\n# Examples\n```\nlx> 1 === "
     "1.0\nfalse\n\nlx> (1, 2) === (1, 2)\ntrue\n```"},
    {"!==", "(x, y)", b_negal,
     "    x !== y\n\n`!(x === y)`.\n\n# Arguments\n- `x`, `y`: any values.\n\n# Returns\nA Bool.\n\n# "
     "Examples\n```\nlx> 1 !== 1.0\ntrue\n```"},
    {"isequal", "(x, y)", b_isequal,
     "    isequal(x, y)\n\nEquality as Dict keys see it: like `==`, but NaN equals NaN and -0.0 differs from "
     "0.0.\n\n# Arguments\n- `x`, `y`: any values.\n\n# Returns\nA Bool.\n\n# Examples\n```\nlx> "
     "isequal(NaN, NaN)\ntrue\n```"},
    {"objectid", "(x)", b_objectid,
     "    objectid(x) -> Int\n\nAn integer that identifies `x` as `===` does: two names bound to the same "
     "tensor, list or struct give the same id, equal copies give different ones. Keys of an identity "
     "dictionary (how the optimisers find a tensor tied at several places).\n\n# Arguments\n- `x`: any "
     "value.\n\n# Returns\nAn Int64: the object's address for heap objects, the hash of the value for "
     "numbers and other immediate values.\n\n# Examples\n```\nlx> x = ones(2); y = x;\n\nlx> objectid(x) == "
     "objectid(y), objectid(x) == objectid(copy(x))\n(true, false)\n```"},
    {"hash", "(x)", b_hash,
     "    hash(x)\n\nA hash code consistent with `isequal`.\n\n# Arguments\n- `x`: any value.\n\n# "
     "Returns\nAn Int64.\n\n# Examples\n```\nlx> hash(1) == hash(1.0)\ntrue\n```"},
    {"isapprox", "(x, y; atol = 0, rtol = √eps)", b_isapprox,
     "    isapprox(x, y; atol = 0, rtol = √eps)\n    x ≈ y\n\nApproximate equality: `|x - y| <= max(atol, "
     "rtol * max(|x|, |y|))`; rtol defaults to the square root of the wider type's eps (0 when atol is "
     "given). Tuples, lists and named tuples compare element by element.\n\n# Arguments\n- `x`, `y`: "
     "numbers, or two tuples, lists or named tuples of the same kind and length (compared element by "
     "element); other values compare with `==`.\n\n# Keyword Arguments\n- `atol = 0`: the absolute "
     "tolerance.\n- `rtol = √eps`: the relative tolerance; by default `sqrt(eps)` of the wider float type of "
     "x and y (about 1.5e-8 for Float64, 3.5e-4 for Float32), and 0 when `atol` is positive.\n\n# Returns\nA "
     "Bool (false when a number is NaN or infinite and the two differ).\n\n# Examples\n```\nlx> 0.1 + 0.2 ≈ "
     "0.3\ntrue\n\nlx> isapprox(1.0, 1.1; atol = 0.2)\ntrue\n```"},
    {"typeof", "(x)", b_typeof,
     "    typeof(x)\n\nThe type of a value.\n\n# Arguments\n- `x`: any value.\n\n# Returns\nA Type.\n\n# "
     "Examples\n```\nlx> typeof(1.5)\nFloat64\n\nlx> typeof((a = 1,))\nNamedTuple\n```"},
    {"isa", "(x, T::Type)", b_isa,
     "    isa(x, T)\n    x isa T\n\nWhether x's type is T or a subtype of T.\n\n# Arguments\n- `x`: any "
     "value.\n- `T`: a type.\n\n# Returns\nA Bool.\n\n# Examples\n```\nlx> 1 isa Number\ntrue\n\nlx> \"a\" "
     "isa Integer\nfalse\n```"},
    {"supertype", "(T::Type)", b_supertype,
     "    supertype(T)\n\nThe parent of T in the type tree (Any for Any).\n\n# Arguments\n- `T`: a "
     "type.\n\n# Returns\nA Type.\n\n# Examples\n```\nlx> supertype(Float32)\nAbstractFloat\n```"},
    {"<:", "(A::Type, B::Type)", b_subtype,
     "    A <: B\n\nWhether A is B or a subtype of it.\n\n# Arguments\n- `A`, `B`: types.\n\n# Returns\nA "
     "Bool.\n\n# Examples\n```\nlx> Int <: Real\ntrue\n```"},
    {"typeassert", "(x, T)", b_typeassert,
     "    typeassert(x, T)\n    x::T\n\nx itself if it is a T, else a TypeError.\n\n# Arguments\n- `x`: any "
     "value.\n- `T`: a type (anything else is a TypeError).\n\n# Returns\nx itself; a TypeError naming both "
     "types when x is not a T.\n\n# Examples\n```\nlx> 3::Int\n3\n```"},
    {"apply_type", "(T, params...)", b_apply_type,
     "    apply_type(T, params...)\n\nWhat `T{params}` evaluates to: lx ignores type parameters, so this is "
     "T (spec §4).\n\n# Arguments\n- `T`: a type.\n- `params`: the type parameters.\n\n# Returns\nT itself, "
     "except for the types that keep a parameter (`AbstractLuxContainerLayer{(:a, :b)}` gives a subtype "
     "remembering it; a type such as `StatefulLuxLayer{false}` that gives `T{p}` a meaning calls it).\n\n# "
     "Examples\n```\nlx> apply_type(Tuple, Int)\nTuple\n```"},
    {"fieldnames", "(x)", b_fieldnames,
     "    fieldnames(T)\n\nThe field names of a struct type (or of a named tuple), as a tuple of "
     "symbols.\n\n# Arguments\n- `T`: a struct type, a named tuple, or any other value (whose type's fields "
     "are listed).\n\n# Returns\nA Tuple of Symbols (empty for a type without fields).\n\n# "
     "Examples\n```\nlx> fieldnames(Pair)\n(:first, :second)\n\nlx> fieldnames((a = 1, b = 2))\n(:a, "
     ":b)\n```"},
    {"isabstracttype", "(T::Type)", b_isabstract,
     "    isabstracttype(T)\n\nWhether T is abstract.\n\n# Arguments\n- `T`: a type.\n\n# Returns\nA "
     "Bool.\n\n# Examples\n```\nlx> isabstracttype(Number)\ntrue\n```"},
    {"ismutable", "(x)", b_ismutable,
     "    ismutable(x)\n\nWhether x can be changed in place (lists, dicts, mutable structs).\n\n# "
     "Arguments\n- `x`: any value.\n\n# Returns\nA Bool: true for lists, dicts and instances of mutable "
     "structs.\n\n# Examples\n```\nlx> ismutable((1, 2))\nfalse\n```"},
    {"getfield", "(x, name::Symbol)", b_getfield,
     "    getfield(x, name)\n\nThe field `name` of a struct, named tuple or module: `x.name`.\n\n# "
     "Arguments\n- `x`: a struct, named tuple or module.\n- `name`: the field's name, a Symbol (anything "
     "else is a TypeError).\n\n# Returns\nThe field's value; a FieldError when x has no such field.\n\n# "
     "Examples\n```\nlx> getfield((a = 1,), :a)\n1\n```"},
    {"getproperty", "(x, name::Symbol)", b_getfield,
     "    getproperty(x, name)\n\nWhat `x.name` reads. Adding a method for your type makes `x.name` work for "
     "names that are not fields (fields themselves are read directly).\n\n# Arguments\n- `x`: any value (a "
     "struct, named tuple or module unless a method is added).\n- `name`: the property's name, a "
     "Symbol.\n\n# Returns\nThe property's value; a FieldError when x has no such field.\n\n# "
     "Examples\n```\nlx> getproperty((w = 2,), :w)\n2\n```"},
    {"hasproperty", "(x, name)", b_hasproperty,
     "    hasproperty(x, name)\n\nWhether x has a field called name.\n\n# Arguments\n- `x`: any value.\n- "
     "`name`: a Symbol (anything else gives false).\n\n# Returns\nA Bool.\n\n# Examples\n```\nlx> "
     "hasproperty((a = 1,), :b)\nfalse\n```"},
    {"Int64", "(x)", b_int,
     "    Int(x)\n    Int64(x)\n\nx as an Int64; an InexactError when x has a fraction.\n\n# Arguments\n- "
     "`x`: a number or a Bool (a String is a MethodError: read it with `parse(Int, s)`).\n\n# Returns\nAn "
     "Int64.\n\n# Examples\n```\nlx> Int(3.0)\n3\n```"},
    {"Float64", "(x)", b_float64,
     "    Float64(x)\n\nx as a Float64.\n\n# Arguments\n- `x`: a number or a Bool (anything else is a "
     "TypeError).\n\n# Returns\nA Float64.\n\n# Examples\n```\nlx> Float64(1)\n1.0\n```"},
    {"Float32", "(x)", b_float32,
     "    Float32(x)\n\nx as a Float32.\n\n# Arguments\n- `x`: a number or a Bool (anything else is a "
     "TypeError); a Float64 is rounded to the nearest Float32.\n\n# Returns\nA Float32.\n\n# "
     "Examples\n```\nlx> Float32(0.1)\n0.1f0\n```"},
    {"Bool", "(x)", b_bool,
     "    Bool(x)\n\n0 and 1 as false and true; other numbers are an InexactError.\n\n# Arguments\n- `x`: a "
     "number or a Bool (anything else is a TypeError).\n\n# Returns\nA Bool.\n\n# Examples\n```\nlx> "
     "Bool(1)\ntrue\n```"},
    {"Symbol", "(xs...)", b_symbol,
     "    Symbol(x...)\n\nA symbol from the printed text of the arguments.\n\n# Arguments\n- `x`: any "
     "values, printed as `print` writes them and put together.\n\n# Returns\nA Symbol (the empty symbol for "
     "no arguments).\n\n# Examples\n```\nlx> Symbol(\"layer_\", 1)\n:layer_1\n```"},
    {"float", "(x)", b_float,
     "    float(x)\n\nx as a floating-point number (Float64 unless it already is a float).\n\n# Arguments\n- "
     "`x`: a number or a Bool (anything else is a TypeError).\n\n# Returns\nx itself when it is a Float32 or "
     "Float64, else a Float64.\n\n# Examples\n```\nlx> float(2)\n2.0\n```"},
    {"convert", "(T::Type, x)", b_convert,
     "    convert(T, x)\n\nx as a T (x itself when it already is one).\n\n# Arguments\n- `T`: the type "
     "wanted.\n- `x`: any value.\n\n# Returns\nx when it already is a T, else `T(x)`.\n\n# "
     "Examples\n```\nlx> convert(Float64, 2)\n2.0\n```"},
    {"error", "(msg...)", b_error,
     "    error(msg...)\n\nThrows an ErrorException whose message is the printed arguments.\n\n# "
     "Arguments\n- `msg`: any values, printed as `print` writes them and put together into the message.\n\n# "
     "Returns\nDoes not return: it throws an ErrorException.\n\n# Examples\n```\nlx> try error(\"bad value: "
     "\", 3) catch e; e.msg end\n\"bad value: 3\"\n```"},
    {"throw", "(e)", b_throw,
     "    throw(e)\n\nThrows e (usually an exception value such as `ArgumentError(\"msg\")`).\n\n# "
     "Arguments\n- `e`: the value to throw, usually an exception.\n\n# Returns\nDoes not return.\n\n# "
     "Examples\n```\nlx> try throw(ArgumentError(\"no\")) catch e; e end\nArgumentError(\"no\")\n```"},
    {"rethrow", "(e = current)", b_rethrow,
     "    rethrow()\n\nInside `catch`, throws the exception being handled again, keeping its stack "
     "trace.\n\n# Returns\nDoes not return: it throws the exception being handled (or, as `rethrow(e)`, the "
     "value e) with the stack trace of the exception being handled.\n\n# Examples\n```\nlx> try try "
     "error(\"x\") catch; rethrow() end catch e; e.msg end\n\"x\"\n```"},
    {"__kwrequired", "(name::Symbol)", b_kwrequired, ""},
    {":", "(start, stop)", b_colon,
     "    start:stop\n    start:step:stop\n\nA range: Int64 when start and step are integers, else Float64 "
     "(Julia's StepRangeLen semantics for floats); `collect` gives its numbers as a vector.\n\n# "
     "Arguments\n- `start`: the first number.\n- `step`: the difference between neighbours (1 when left "
     "out).\n- `stop`: the last number at most (the range ends at the last value that does not pass "
     "stop).\n\n# Returns\nA Range: of Int64 when start and step are integers (a Float64 stop is rounded "
     "down), else of Float64.\n\n# Examples\n```\nlx> collect(1:3)\n3-element Tensor{Int64, 1}:\n 1\n 2\n "
     "3\n\nlx> length(0:0.1:1)\n11\n```"},
    {":", "(start, step, stop)", b_colon, ""},
    {"=>", "(a, b)", b_pair,
     "    a => b\n\nA Pair; `first` and `last` (or `.first`, `.second`) read its halves.\n\n# Arguments\n- "
     "`a`, `b`: any values.\n\n# Returns\nA Pair with `first = a`, `second = b`.\n\n# Examples\n```\nlx> p = "
     ":a => 1\n:a => 1\n\nlx> p.second\n1\n```"},
    {"tuple", "(xs...)", b_tuple,
     "    tuple(xs...)\n\nA tuple of the arguments.\n\n# Arguments\n- `xs`: any values.\n\n# Returns\nA "
     "Tuple.\n\n# Examples\n```\nlx> tuple(1, 2)\n(1, 2)\n```"},
    {"__arglist", "()", b_arglist, ""},
    {"__new", "(T::Type, fields...)", b_new, ""},
    {"__rest", "(x, k)", b_rest, ""},
    {"identity", "(x)", b_identity,
     "    identity(x)\n\nx itself.\n\n# Arguments\n- `x`: any value.\n\n# Returns\nx itself.\n\n# "
     "Examples\n```\nlx> identity(3)\n3\n```"},
    {"__using", "(modules...)", b_using, ""},
    {"__setdoc", "(name::Symbol, doc)", b_setdoc, ""},
    {"merge", "(a::NamedTuple, b::NamedTuple)", b_merge_nt,
     "    merge(a, b)\n\nA named tuple with a's fields, updated and extended by b's (for dicts: a new dict "
     "with b's entries over a's).\n\n# Arguments\n- `a`, `b`: named tuples.\n\n# Returns\nA new NamedTuple: "
     "a's names in order with b's values where b has them, then b's other names.\n\n# Examples\n```\nlx> "
     "merge((a = 1, b = 2), (b = 3, c = 4))\n(a = 1, b = 3, c = 4)\n```"},
    {"isnothing", "(x)", b_nothing_q,
     "    isnothing(x)\n\nWhether x is `nothing`.\n\n# Arguments\n- `x`: any value.\n\n# Returns\nA "
     "Bool.\n\n# Examples\n```\nlx> isnothing(nothing)\ntrue\n```"},
    {"methods", "(f)", b_methods,
     "    methods(f)\n\nThe signatures of f's methods, as a list of strings.\n\n# Arguments\n- `f`: a "
     "function, or a type (its constructor's methods).\n\n# Returns\nA List of Strings, one signature per "
     "method (empty for other values).\n\n# Examples\n```\nlx> g(x::Int) = 1; g(x::String) = 2;\n\nlx> "
     "length(methods(g))\n2\n```"},
    {NULL, NULL, NULL, NULL}};

static void set_const(lx_State *L, const char *name, lx_Value v)
{
    int g = lxG_index(L, lxS_cstr(L, name));
    L->globals[g].v = v;
    L->globals[g].isconst = true;
}

/* Docstrings of the built-in types that have constructors. */
static const struct {
    const char *name, *doc;
} type_docs[] = {
    {"Pair", "    Pair(first, second)\n\nA pair of values, what `a => b` makes; `p.first`, `p.second`, "
             "`first(p)`, `last(p)` read it.\n\n# Arguments\n- `first`, `second`: any values.\n\n# "
             "Returns\nA Pair.\n\n# Examples\n```\nlx> Pair(:a, 1)\n:a => 1\n```"},
    {"ErrorException",
     "    ErrorException(msg)\n\nThe exception `error(msg)` throws; `e.msg` is its message.\n\n# "
     "Arguments\n- `msg`: the message, a String.\n\n# Returns\nAn ErrorException (to `throw`).\n\n# "
     "Examples\n```\nlx> try error(\"boom\") catch e; e end\nErrorException(\"boom\")\n```"},
    {"ArgumentError", "    ArgumentError(msg)\n\nA function was given an argument it cannot accept (a bad "
                      "value, not a bad type).\n\n# Arguments\n- `msg`: the message, a String.\n\n# "
                      "Returns\nAn ArgumentError (to `throw`).\n\n# Examples\n```\nlx> sprint(showerror, "
                      "ArgumentError(\"n must be positive\"))\n\"ArgumentError: n must be positive\"\n```"},
    {"DimensionMismatch",
     "    DimensionMismatch(msg)\n\nShapes that do not fit together (tensor ops raise it, naming the "
     "shapes).\n\n# Arguments\n- `msg`: the message, a String.\n\n# Returns\nA DimensionMismatch (to "
     "`throw`).\n\n# Examples\n```\nlx> DimensionMismatch(\"(3, 2) vs (4,)\").msg\n\"(3, 2) vs (4,)\"\n```"},
    {"MethodError",
     "    MethodError(f, args)\n\nNo method of the function `f` matches the argument types; its message "
     "lists the candidate methods.\n\n# Arguments\n- `f`: the function called.\n- `args`: the arguments it "
     "was given, a tuple.\n\n# Returns\nA MethodError (to `throw`).\n\n# Examples\n```\nlx> g(x::Int) = "
     "x;\n\nlx> try g(\"a\") catch e; e isa MethodError end\ntrue\n```"},
    {"UndefVarError",
     "    UndefVarError(var)\n\nA name that has no value (`var` is its symbol).\n\n# Arguments\n- `var`: the "
     "undefined name, a Symbol.\n\n# Returns\nAn UndefVarError (to `throw`).\n\n# Examples\n```\nlx> try "
     "undefined_name catch e; e.var end\n:undefined_name\n```"},
    {"BoundsError",
     "    BoundsError(a, i)\n\nAn index outside a collection: `a` is the collection, `i` the index.\n\n# "
     "Arguments\n- `a`: the collection indexed.\n- `i`: the index (or a tuple of indices).\n\n# Returns\nA "
     "BoundsError (to `throw`).\n\n# Examples\n```\nlx> try Any[1, 2][3] catch e; e.i end\n3\n```"},
    {"DomainError", "    DomainError(val, msg)\n\nAn argument outside a function's domain, as `sqrt(-1.0)` "
                    "(tensor math returns NaN instead, spec §5).\n\n# Arguments\n- `val`: the argument out "
                    "of the domain.\n- `msg`: a message saying why, a String.\n\n# Returns\nA DomainError "
                    "(to `throw`).\n\n# Examples\n```\nlx> try sqrt(-1.0) catch e; e.val end\n-1.0\n```"},
    {"ParseError", "    ParseError(msg)\n\nSource code that does not parse; the message names file:line:col "
                   "and shows the line with a caret.\n\n# Arguments\n- `msg`: the message, a String.\n\n# "
                   "Returns\nA ParseError (to `throw`).\n\n# Examples\n```\nlx> try include_string(\"x = = "
                   "1\") catch e; e isa ParseError end\ntrue\n```"},
    {"IOError",
     "    IOError(msg)\n\nA file or stream operation failed (the message names the path and the "
     "reason).\n\n# Arguments\n- `msg`: the message, a String.\n\n# Returns\nAn IOError (to `throw`).\n\n# "
     "Examples\n```\nlx> try include(\"/no/such/file.lx\") catch e; e isa IOError end\ntrue\n```"},
    {"OutOfMemoryError", "    OutOfMemoryError()\n\nAn allocation failed or the state's memory limit (set by "
                         "the host) is reached; the state stays usable.\n\n# Returns\nAn OutOfMemoryError "
                         "(to `throw`).\n\n# Examples\n```\nlx> OutOfMemoryError() isa Exception\ntrue\n```"},
    {"StackOverflowError",
     "    StackOverflowError()\n\nThe call stack passed its limit (100,000 lx calls), usually unbounded "
     "recursion; the state stays usable.\n\n# Returns\nA StackOverflowError (to `throw`).\n\n# "
     "Examples\n```\nlx> f(n) = f(n + 1);\n\nlx> try f(1) catch e; typeof(e) end\nStackOverflowError\n```"},
    {"AssertionError",
     "    AssertionError(msg)\n\nWhat `@assert` throws when its condition is false.\n\n# Arguments\n- `msg`: "
     "the message, a String.\n\n# Returns\nAn AssertionError (to `throw`).\n\n# Examples\n```\nlx> try "
     "@assert 1 == 2 catch e; e.msg end\n\"1 == 2\"\n```"},
    {"KeyError", "    KeyError(key)\n\nA key a Dict (or named tuple lookup) does not have.\n\n# Arguments\n- "
                 "`key`: the key not found.\n\n# Returns\nA KeyError (to `throw`).\n\n# Examples\n```\nlx> "
                 "try Dict(:a => 1)[:b] catch e; e.key end\n:b\n```"},
    {"InexactError",
     "    InexactError(msg)\n\nA conversion that would lose information, as `Int(1.5)`.\n\n# Arguments\n- "
     "`msg`: the message, a String.\n\n# Returns\nAn InexactError (to `throw`).\n\n# Examples\n```\nlx> try "
     "Int(1.5) catch e; e isa InexactError end\ntrue\n```"},
    {"DivideError", "    DivideError()\n\nInteger division by zero.\n\n# Returns\nA DivideError (to "
                    "`throw`).\n\n# Examples\n```\nlx> try 1 ÷ 0 catch e; e end\nDivideError()\n```"},
    {"TypeError",
     "    TypeError(msg)\n\nA value of the wrong type where the language needs a particular one (a condition "
     "that is not a Bool, a failed `x::T`).\n\n# Arguments\n- `msg`: the message, a String.\n\n# Returns\nA "
     "TypeError (to `throw`).\n\n# Examples\n```\nlx> try (if 1 end) catch e; sprint(showerror, e) "
     "end\n\"TypeError: non-boolean (Int64) used in boolean context\"\n```"},
    {"EOFError", "    EOFError()\n\nReading past the end of a stream.\n\n# Returns\nAn EOFError (to "
                 "`throw`).\n\n# Examples\n```\nlx> EOFError() isa Exception\ntrue\n```"},
    {"InterruptException",
     "    InterruptException()\n\nCtrl-C (or `lx_interrupt` from a host) stopped the running code; `finally` "
     "blocks still run.\n\n# Returns\nAn InterruptException (to `throw`).\n\n# Examples\n```\nlx> "
     "InterruptException() isa Exception\ntrue\n```"},
    {"OverflowError",
     "    OverflowError(msg)\n\nAn integer result that does not fit, where Julia checks (factorial, "
     "parse).\n\n# Arguments\n- `msg`: the message, a String.\n\n# Returns\nAn OverflowError (to "
     "`throw`).\n\n# Examples\n```\nlx> try factorial(21) catch e; e isa OverflowError end\ntrue\n```"},
    {"FieldError",
     "    FieldError(msg)\n\nA field a struct or named tuple does not have; the message lists the fields it "
     "has.\n\n# Arguments\n- `msg`: the message, a String.\n\n# Returns\nA FieldError (to `throw`).\n\n# "
     "Examples\n```\nlx> try (a = 1,).b catch e; e isa FieldError end\ntrue\n```"},
};

void lxL_open_base(lx_State *L)
{
    lxL_register(L, base_lib);
    for (size_t i = 0; i < sizeof type_docs / sizeof type_docs[0]; i++)
        lxL_setdoc(L, type_docs[i].name, type_docs[i].doc);
    lxG_set(L, "Int", lxG_get(L, "Int64")); /* Int is Int64's alias */
    set_const(L, "Inf", lxO_f64(INFINITY));
    set_const(L, "NaN", lxO_f64(NAN));
    set_const(L, "Inf32", lxO_f32(INFINITY));
    set_const(L, "NaN32", lxO_f32(NAN));
    set_const(L, "Inf64", lxO_f64(INFINITY));
    set_const(L, "NaN64", lxO_f64(NAN));
    set_const(L, "π", lxO_f64(M_PI));
    set_const(L, "pi", lxO_f64(M_PI));
    set_const(L, "ℯ", lxO_f64(M_E));
    for (int k = 0; known_modules[k]; k++)
        if (!strchr(known_modules[k], '.')) lxL_module(L, known_modules[k], NULL);
    lxL_module(L, "Experimental",
               "    Lux.Experimental\n\nThe module Lux keeps its experimental tools in (freeze, layer_map, "
               "@debug_mode, "
               "share_parameters); lx makes each name usable bare too.\n\n# Examples\n```\nlx> "
               "Lux.Experimental isa Module\ntrue\n```");
    /* the ≈ spelling */
    lxG_set(L, "≈", lxG_get(L, "isapprox"));
}
