/* math.c — scalar numbers with Julia's semantics: elementary functions
 * (DomainError where Julia has one: scalar math is not IEEE's NaN, spec §5),
 * rounding with a target type or digits, integer division with Julia's sign
 * rules, predicates, and the limits of the number types.  Float32 in gives
 * Float32 out; integers give Float64 from transcendental functions.
 */
#include "lib.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

/* ---- kinds and promotion ------------------------------------------------------------------------ */

/* The number kinds in promotion order: the larger kind of two is the kind
 * of their combination (Float32 wins over Float64 in lx, spec §5). */
typedef enum { K_BOOL, K_INT, K_F64, K_F32 } numkind;

static numkind kind_of(lx_Value v)
{
    switch (v.tag) {
    case LX_TBOOL: return K_BOOL;
    case LX_TINT: return K_INT;
    case LX_TFLOAT32: return K_F32;
    default: return K_F64;
    }
}

static numkind kind_all(lx_Value *a, int n)
{
    numkind k = K_BOOL;
    for (int i = 0; i < n; i++)
        if (kind_of(a[i]) > k) k = kind_of(a[i]);
    return k;
}

static int64_t ival(lx_Value v)
{
    return v.tag == LX_TBOOL ? v.v.b : v.v.i;
}

static lx_Value float_kind(numkind k, double d)
{
    return k == K_F32 ? lxO_f32((float)d) : lxO_f64(d);
}

static lx_Value to_kind(lx_Value v, numkind k)
{
    switch (k) {
    case K_BOOL: return v;
    case K_INT: return lxO_int(ival(v));
    case K_F64: return lxO_f64(lxO_tonumber(v));
    case K_F32: return lxO_f32((float)lxO_tonumber(v));
    }
    return v;
}

/* The kind a type names (Int, Float64, ...), or -1. */
static int type_kind(lx_State *L, lx_Value t)
{
    if (!lxO_is(t, LXO_TYPE)) return -1;
    lxO_type *ty = lxO_as(lxO_type, t);
    if (ty == L->T[LXT_Int64] || ty == L->T[LXT_Integer] || ty == L->T[LXT_Signed]) return K_INT;
    if (ty == L->T[LXT_Float64] || ty == L->T[LXT_AbstractFloat]) return K_F64;
    if (ty == L->T[LXT_Float32]) return K_F32;
    if (ty == L->T[LXT_Bool]) return K_BOOL;
    return -1;
}

static void no_method(lx_State *L, const char *name, lx_Value *a, int n) __attribute__((noreturn));
static void no_method(lx_State *L, const char *name, lx_Value *a, int n)
{
    lxE_methoderror(L, lxO_as(lxO_generic, lxG_get(L, name)), a, n);
}

static void domain_error(lx_State *L, lx_Value val, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 3, 4)));
static void domain_error(lx_State *L, lx_Value val, const char *fmt, ...)
{
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lxO_struct *e = lxO_struct_new(L, L->T[LXT_DomainError]);
    e->fields[0] = val;
    e->fields[1] = lxO_cstr(L, msg);
    lxE_throw(L, lxO_obj(e));
}

static void divide_error(lx_State *L) __attribute__((noreturn));
static void divide_error(lx_State *L)
{
    lxE_throw(L, lxO_obj(lxO_struct_new(L, L->T[LXT_DivideError])));
}

/* ---- elementary functions ------------------------------------------------------------------------ */

/* Where a function is defined on the reals, with Julia's message outside. */
typedef enum { DOM_ALL, DOM_NONNEG, DOM_GE_M1, DOM_FINITE, DOM_UNIT, DOM_GE_1, DOM_UNIT_CLOSED } domain;

static void check_domain(lx_State *L, const char *name, double d, lx_Value val, domain dom)
{
    switch (dom) {
    case DOM_ALL: break;
    case DOM_NONNEG:
        if (d < 0)
            domain_error(L, val,
                         "%s was called with a negative real argument but will only return a complex result "
                         "if called with a complex argument. Try %s(Complex(x)).",
                         name, name);
        break;
    case DOM_GE_M1:
        if (d < -1)
            domain_error(L, val,
                         "%s was called with a real argument < -1 but will only return a complex result if "
                         "called with a complex argument. Try %s(Complex(x)).",
                         name, name);
        break;
    case DOM_FINITE:
        if (isinf(d)) domain_error(L, val, "%s(x) is only defined for finite x.", name);
        break;
    case DOM_UNIT:
        if (fabs(d) > 1) domain_error(L, val, "%s(x) is not defined for |x| > 1.", name);
        break;
    case DOM_GE_1:
        if (d < 1) domain_error(L, val, "%s(x) is only defined for x ≥ 1.", name);
        break;
    case DOM_UNIT_CLOSED:
        if (fabs(d) > 1) domain_error(L, val, "%s(x) is only defined for |x| ≤ 1.", name);
        break;
    }
}

static lx_Value float1(lx_State *L, lx_Value x, const char *name, double (*f)(double), float (*ff)(float),
                       domain dom)
{
    bool f32 = x.tag == LX_TFLOAT32;
    double d = lxO_tonumber(x);
    check_domain(L, name, d, f32 ? x : lxO_f64(d), dom);
    return f32 ? lxO_f32(ff((float)d)) : lxO_f64(f(d));
}

static double exp10_d(double x)
{
    return pow(10.0, x);
}
static float exp10_f(float x)
{
    return powf(10.0f, x);
}
static double deg2rad_d(double x)
{
    return x * (M_PI / 180);
}
static float deg2rad_f(float x)
{
    return x * (float)(M_PI / 180);
}
static double rad2deg_d(double x)
{
    return x * (180 / M_PI);
}
static float rad2deg_f(float x)
{
    return x * (float)(180 / M_PI);
}

/* The C library's cbrt is off by an ulp at times (cbrt(-27) is not -3):
 * one Newton step makes exact cubes exact. */
static double cbrt_d(double x)
{
    double y = cbrt(x);
    if (y == 0 || !isfinite(y)) return y;
    return y - (y * y * y - x) / (3 * y * y);
}

/* sinpi and cospi, exact at multiples of 1/2: reduce to |f| <= 1/4 around
 * a quarter turn n. */
static double sinpi_d(double x)
{
    if (x == trunc(x)) return copysign(0.0, x);
    double r = fmod(x, 2.0), n = nearbyint(2 * r), f = r - n / 2;
    double s = fabs(f) == 0.25 ? copysign(M_SQRT1_2, f) : sin(M_PI * f),
           c = fabs(f) == 0.25 ? M_SQRT1_2 : cos(M_PI * f);
    switch (((int)n % 4 + 4) % 4) {
    case 0: return s;
    case 1: return c;
    case 2: return -s;
    default: return -c;
    }
}
static double cospi_d(double x)
{
    double r = fmod(fabs(x), 2.0), n = nearbyint(2 * r), f = r - n / 2;
    double s = fabs(f) == 0.25 ? copysign(M_SQRT1_2, f) : sin(M_PI * f),
           c = fabs(f) == 0.25 ? M_SQRT1_2 : cos(M_PI * f);
    switch ((int)n % 4) {
    case 0: return c;
    case 1: return f == 0 ? 0.0 : -s;
    case 2: return -c;
    default: return f == 0 ? 0.0 : s;
    }
}
static float sinpi_f(float x)
{
    return (float)sinpi_d(x);
}
static float cospi_f(float x)
{
    return (float)cospi_d(x);
}

#define FLOAT1(cname, name, f, ff, dom)                                                                      \
    static lx_Value cname(lx_State *L, lx_Value *a, int n, lx_Value kw)                                      \
    {                                                                                                        \
        return float1(L, a[0], name, f, ff, dom);                                                            \
    }

FLOAT1(m_sqrt, "sqrt", sqrt, sqrtf, DOM_NONNEG)
FLOAT1(m_cbrt, "cbrt", cbrt_d, cbrtf, DOM_ALL)
FLOAT1(m_exp, "exp", exp, expf, DOM_ALL)
FLOAT1(m_exp2, "exp2", exp2, exp2f, DOM_ALL)
FLOAT1(m_exp10, "exp10", exp10_d, exp10_f, DOM_ALL)
FLOAT1(m_expm1, "expm1", expm1, expm1f, DOM_ALL)
FLOAT1(m_log2, "log2", log2, log2f, DOM_NONNEG)
FLOAT1(m_log10, "log10", log10, log10f, DOM_NONNEG)
FLOAT1(m_log1p, "log1p", log1p, log1pf, DOM_GE_M1)
FLOAT1(m_sin, "sin", sin, sinf, DOM_FINITE)
FLOAT1(m_cos, "cos", cos, cosf, DOM_FINITE)
FLOAT1(m_tan, "tan", tan, tanf, DOM_FINITE)
FLOAT1(m_asin, "asin", asin, asinf, DOM_UNIT)
FLOAT1(m_acos, "acos", acos, acosf, DOM_UNIT)
FLOAT1(m_sinh, "sinh", sinh, sinhf, DOM_ALL)
FLOAT1(m_cosh, "cosh", cosh, coshf, DOM_ALL)
FLOAT1(m_tanh, "tanh", tanh, tanhf, DOM_ALL)
FLOAT1(m_asinh, "asinh", asinh, asinhf, DOM_ALL)
FLOAT1(m_acosh, "acosh", acosh, acoshf, DOM_GE_1)
FLOAT1(m_atanh, "atanh", atanh, atanhf, DOM_UNIT_CLOSED)
FLOAT1(m_deg2rad, "deg2rad", deg2rad_d, deg2rad_f, DOM_ALL)
FLOAT1(m_rad2deg, "rad2deg", rad2deg_d, rad2deg_f, DOM_ALL)

static lx_Value m_sinpi(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    double d = lxO_tonumber(a[0]);
    if (isinf(d))
        domain_error(L, to_kind(a[0], a[0].tag == LX_TFLOAT32 ? K_F32 : K_F64), "`x` cannot be infinite.");
    return float1(L, a[0], "sinpi", sinpi_d, sinpi_f, DOM_ALL);
}
static lx_Value m_cospi(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    double d = lxO_tonumber(a[0]);
    if (isinf(d))
        domain_error(L, to_kind(a[0], a[0].tag == LX_TFLOAT32 ? K_F32 : K_F64), "`x` cannot be infinite.");
    return float1(L, a[0], "cospi", cospi_d, cospi_f, DOM_ALL);
}
static lx_Value m_sincos(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_tuple *t = lxO_tuple_new(L, 2);
    t->items[0] = m_sin(L, a, n, kw);
    t->items[1] = m_cos(L, a, n, kw);
    return lxO_obj(t);
}

static lx_Value m_log(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (n == 1) return float1(L, a[0], "log", log, logf, DOM_NONNEG);
    /* log(b, x) = log(x) / log(b), as Julia computes it */
    numkind k = kind_all(a, 2) == K_F32 ? K_F32 : K_F64;
    double b = lxO_tonumber(a[0]), x = lxO_tonumber(a[1]);
    check_domain(L, "log", b, to_kind(a[0], k), DOM_NONNEG);
    check_domain(L, "log", x, to_kind(a[1], k), DOM_NONNEG);
    if (k == K_F32) return lxO_f32(logf((float)x) / logf((float)b));
    return lxO_f64(log(x) / log(b));
}

static lx_Value m_atan(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (n == 1) return float1(L, a[0], "atan", atan, atanf, DOM_ALL);
    numkind k = kind_all(a, 2) == K_F32 ? K_F32 : K_F64;
    double y = lxO_tonumber(a[0]), x = lxO_tonumber(a[1]);
    return k == K_F32 ? lxO_f32(atan2f((float)y, (float)x)) : lxO_f64(atan2(y, x));
}

static lx_Value m_hypot(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    numkind k = kind_all(a, n) == K_F32 ? K_F32 : K_F64;
    double r = 0;
    for (int i = 0; i < n; i++)
        r = hypot(r, lxO_tonumber(a[i]));
    return float_kind(k, r);
}

static lx_Value m_inv(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return float_kind(a[0].tag == LX_TFLOAT32 ? K_F32 : K_F64, 1.0 / lxO_tonumber(a[0]));
}

/* ---- sign and magnitude ---------------------------------------------------------------------------- */

static lx_Value m_abs(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value x = a[0];
    switch (x.tag) {
    case LX_TINT:
        return lxO_int(x.v.i < 0 ? (int64_t)(0 - (uint64_t)x.v.i) : x.v.i); /* typemin stays, as in Julia */
    case LX_TFLOAT64: return lxO_f64(fabs(x.v.d));
    case LX_TFLOAT32: return lxO_f32(fabsf(x.v.f));
    default: return x;
    }
}

/* a \ b is b / a (Julia's left division; for matrices it solves, in linalg.c) */
static lx_Value m_ldiv(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value r;
    if (!lxV_arith(L, BC_DIV, a[1], a[0], &r)) no_method(L, "\\", a, n);
    return r;
}

static lx_Value m_abs2(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value x = a[0];
    switch (x.tag) {
    case LX_TINT: return lxO_int((int64_t)((uint64_t)x.v.i * (uint64_t)x.v.i));
    case LX_TFLOAT64: return lxO_f64(x.v.d * x.v.d);
    case LX_TFLOAT32: return lxO_f32(x.v.f * x.v.f);
    default: return x;
    }
}

static lx_Value m_sign(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value x = a[0];
    if (x.tag == LX_TINT) return lxO_int((x.v.i > 0) - (x.v.i < 0));
    if (x.tag == LX_TBOOL) return x;
    double d = lxO_tonumber(x);
    return float_kind(kind_of(x), d > 0 ? 1.0 : d < 0 ? -1.0 : d); /* ±0 and NaN stay */
}

static lx_Value m_signbit(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (a[0].tag == LX_TINT) return lxO_bool(a[0].v.i < 0);
    if (a[0].tag == LX_TBOOL) return lxO_bool(false);
    return lxO_bool(signbit(lxO_tonumber(a[0])));
}

/* copysign and flipsign keep x's type, as Julia's methods do. */
static lx_Value m_copysign(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    bool neg = m_signbit(L, a + 1, 1, kw).v.b;
    if (a[0].tag == LX_TINT) {
        uint64_t m = a[0].v.i < 0 ? 0 - (uint64_t)a[0].v.i : (uint64_t)a[0].v.i;
        return lxO_int(neg ? (int64_t)(0 - m) : (int64_t)m);
    }
    if (a[0].tag == LX_TBOOL) return a[0];
    return float_kind(kind_of(a[0]), copysign(lxO_tonumber(a[0]), neg ? -1.0 : 1.0));
}

static lx_Value m_flipsign(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (!m_signbit(L, a + 1, 1, kw).v.b || a[0].tag == LX_TBOOL) return a[0];
    if (a[0].tag == LX_TINT) return lxO_int((int64_t)(0 - (uint64_t)a[0].v.i));
    return float_kind(kind_of(a[0]), -lxO_tonumber(a[0]));
}

/* ---- rounding ---------------------------------------------------------------------------------------- */

typedef enum { R_FLOOR, R_CEIL, R_ROUND, R_TRUNC } rmode;
static const char *const rnames[] = {"floor", "ceil", "round", "trunc"};

static double rnd(double d, rmode m)
{
    switch (m) {
    case R_FLOOR: return floor(d);
    case R_CEIL: return ceil(d);
    case R_ROUND: return nearbyint(d); /* ties to even, as Julia's RoundNearest */
    default: return trunc(d);
    }
}
static float rndf(float d, rmode m)
{
    switch (m) {
    case R_FLOOR: return floorf(d);
    case R_CEIL: return ceilf(d);
    case R_ROUND: return nearbyintf(d);
    default: return truncf(d);
    }
}

/* x rounded to a number of digits after the point in base b (negative:
 * before it); x itself where the scaling overflows, as Julia does. */
static double round_digits(double x, rmode m, int64_t digits, double b, bool f32)
{
    double y;
    if (f32) {
        float fx = (float)x;
        if (digits >= 0) {
            float inv = powf((float)b, (float)digits);
            y = rndf(fx * inv, m) / inv;
        } else {
            float step = powf((float)b, (float)-digits);
            y = rndf(fx / step, m) * step;
        }
        return isfinite((float)y) ? y : x;
    }
    if (digits >= 0) {
        double inv = pow(b, (double)digits);
        y = rnd(x * inv, m) / inv;
    } else {
        double step = pow(b, (double)-digits);
        y = rnd(x / step, m) * step;
    }
    return isfinite(y) ? y : x;
}

static void inexact(lx_State *L, const char *fname, const char *tname, lx_Value x) __attribute__((noreturn));
static void inexact(lx_State *L, const char *fname, const char *tname, lx_Value x)
{
    lxW_buf b;
    lxW_init(L, &b);
    lxW_repr(&b, x);
    char msg[200];
    snprintf(msg, sizeof msg, "%s(%s, %s)", fname, tname, b.s);
    lxW_free(&b);
    lxE_throw(L, lxE_new(L, LXT_InexactError, msg));
}

static lx_Value rounding(lx_State *L, lx_Value *a, int n, lx_Value kw, rmode m)
{
    const char *fname = rnames[m];
    if (n == 2) { /* round(T, x) */
        int k = type_kind(L, a[0]);
        if (k < 0) no_method(L, fname, a, n);
        lx_Value x = a[1];
        double d = lxO_tonumber(x);
        if (x.tag == LX_TINT || x.tag == LX_TBOOL) {
            if (k == K_BOOL && ival(x) != 0 && ival(x) != 1) inexact(L, fname, "Bool", x);
            return k == K_BOOL ? lxO_bool(ival(x)) : to_kind(x, (numkind)k);
        }
        double r = rnd(d, m);
        if (k == K_INT) {
            if (!(r >= -9.2233720368547758e18 && r < 9.2233720368547758e18)) inexact(L, fname, "Int64", x);
            return lxO_int((int64_t)r);
        }
        if (k == K_BOOL) {
            if (r != 0 && r != 1) inexact(L, fname, "Bool", x);
            return lxO_bool(r == 1);
        }
        return float_kind((numkind)k, x.tag == LX_TFLOAT32 ? rndf(x.v.f, m) : r);
    }
    lx_Value x = a[0];
    lx_Value dg = lxL_kw(L, kw, "digits", lxO_nothing()), sg = lxL_kw(L, kw, "sigdigits", lxO_nothing());
    lx_Value bv = lxL_kw(L, kw, "base", lxO_int(10));
    if (dg.tag != LX_TNOTHING || sg.tag != LX_TNOTHING) {
        if (dg.tag != LX_TNOTHING && sg.tag != LX_TNOTHING)
            lxE_error(L, LXT_ArgumentError, "%s: give `digits` or `sigdigits`, not both", fname);
        lx_Value v = dg.tag != LX_TNOTHING ? dg : sg;
        if (v.tag != LX_TINT) lxE_typeerror(L, fname, "an integer number of digits", v);
        if (bv.tag != LX_TINT || bv.v.i < 2) lxE_typeerror(L, fname, "an integer base >= 2", bv);
        double d = lxO_tonumber(x), b = (double)bv.v.i;
        int64_t digits = v.v.i;
        if (sg.tag != LX_TNOTHING) {
            if (digits < 1) lxE_error(L, LXT_DomainError, "%s: sigdigits must be at least 1", fname);
            if (d == 0 || !isfinite(d)) return x;
            digits -= (int64_t)floor(log(fabs(d)) / log(b)) + 1;
        }
        if (x.tag == LX_TINT || x.tag == LX_TBOOL) {
            if (digits >= 0) return x;
            return lxO_int((int64_t)round_digits(d, m, digits, b, false));
        }
        return float_kind(kind_of(x), round_digits(d, m, digits, b, x.tag == LX_TFLOAT32));
    }
    if (x.tag == LX_TINT || x.tag == LX_TBOOL) return x;
    if (x.tag == LX_TFLOAT32) return lxO_f32(rndf(x.v.f, m));
    return lxO_f64(rnd(x.v.d, m));
}

static lx_Value m_floor(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return rounding(L, a, n, kw, R_FLOOR);
}
static lx_Value m_ceil(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return rounding(L, a, n, kw, R_CEIL);
}
static lx_Value m_round(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return rounding(L, a, n, kw, R_ROUND);
}
static lx_Value m_trunc(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return rounding(L, a, n, kw, R_TRUNC);
}

/* ---- integer division ------------------------------------------------------------------------------ */

typedef enum { D_DIV, D_REM, D_MOD, D_FLD, D_CLD } dmode;

static lx_Value division(lx_State *L, lx_Value *a, dmode m)
{
    numkind k = kind_all(a, 2);
    if (k <= K_INT) {
        int64_t x = ival(a[0]), y = ival(a[1]), r;
        if (y == 0) divide_error(L);
        if (y == -1) { /* avoids typemin ÷ -1, which Julia reports as a DivideError */
            if (m == D_REM || m == D_MOD)
                r = 0;
            else if (x == INT64_MIN)
                divide_error(L);
            else
                r = -x;
        } else {
            int64_t q = x / y, rm = x % y;
            bool signs_differ = rm != 0 && (rm < 0) != (y < 0);
            switch (m) {
            case D_DIV: r = q; break;
            case D_REM: r = rm; break;
            case D_MOD: r = signs_differ ? rm + y : rm; break;
            case D_FLD: r = signs_differ ? q - 1 : q; break;
            default: r = rm != 0 && !signs_differ ? q + 1 : q; break;
            }
        }
        return k == K_BOOL ? lxO_bool(r != 0) : lxO_int(r);
    }
    double x = lxO_tonumber(a[0]), y = lxO_tonumber(a[1]), r;
    if (k == K_F32) x = (float)x, y = (float)y;
    double rm = fmod(x, y);
    double md = rm == 0 ? copysign(0.0, y) : (rm > 0) != (y > 0) ? rm + y : rm;
    bool finite = isfinite(rm);
    switch (m) {
    case D_REM: r = rm; break;
    case D_MOD: r = md; break;
    case D_DIV: r = finite ? nearbyint((x - rm) / y) : trunc(x / y); break;
    case D_FLD: r = finite ? nearbyint((x - md) / y) : floor(x / y); break;
    default: {
        double nx = -x, nrm = fmod(nx, y);
        double nmd = nrm == 0 ? copysign(0.0, y) : (nrm > 0) != (y > 0) ? nrm + y : nrm;
        r = finite ? -nearbyint((nx - nmd) / y) : ceil(x / y);
        if (r == 0) r = copysign(0.0, x / y);
        break;
    }
    }
    return float_kind(k, r);
}

static lx_Value m_div(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return division(L, a, D_DIV);
}
static lx_Value m_rem(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return division(L, a, D_REM);
}
static lx_Value m_mod(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return division(L, a, D_MOD);
}
static lx_Value m_fld(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return division(L, a, D_FLD);
}
static lx_Value m_cld(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return division(L, a, D_CLD);
}

static lx_Value m_divrem(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_tuple *t = lxO_tuple_new(L, 2);
    t->items[0] = division(L, a, D_DIV);
    t->items[1] = division(L, a, D_REM);
    return lxO_obj(t);
}

static uint64_t gcd_u(uint64_t x, uint64_t y)
{
    while (y) {
        uint64_t t = x % y;
        x = y;
        y = t;
    }
    return x;
}

static uint64_t uabs(int64_t x)
{
    return x < 0 ? 0 - (uint64_t)x : (uint64_t)x;
}

static lx_Value m_gcd(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    uint64_t g = 0;
    for (int i = 0; i < n; i++)
        g = gcd_u(g, uabs(ival(a[i])));
    if (g > (uint64_t)INT64_MAX) lxE_error(L, LXT_OverflowError, "gcd(...) = 2^63 does not fit in Int64");
    return lxO_int((int64_t)g);
}

static lx_Value m_lcm(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    uint64_t l = 1;
    for (int i = 0; i < n; i++) {
        uint64_t x = uabs(ival(a[i]));
        if (x == 0 || l == 0) {
            l = 0;
            continue;
        }
        uint64_t r;
        if (__builtin_mul_overflow(l / gcd_u(l, x), x, &r) || r > (uint64_t)INT64_MAX)
            lxE_error(L, LXT_OverflowError, "lcm of the arguments overflows Int64");
        l = r;
    }
    return lxO_int((int64_t)l);
}

static lx_Value m_factorial(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    int64_t x = ival(a[0]);
    if (x < 0) domain_error(L, a[0], "`n` must not be negative.");
    if (x > 20)
        lxE_error(L, LXT_OverflowError,
                  "%lld is too large to look up in the table; the factorials that fit in Int64 end at 20",
                  (long long)x);
    int64_t r = 1;
    for (int64_t i = 2; i <= x; i++)
        r *= i;
    return lxO_int(r);
}

/* Julia's algorithm: negative n by the reflection, products in 128 bits. */
static lx_Value m_binomial(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    int64_t n0 = ival(a[0]), k0 = ival(a[1]), nn = n0, k = k0, sgn = 1;
    if (k < 0) return lxO_int(0);
    if (nn < 0) {
        nn = -nn + k - 1;
        if (k & 1) sgn = -1;
    }
    if (k > nn) return lxO_int(0);
    if (k == 0 || k == nn) return lxO_int(sgn);
    if (k == 1) return lxO_int(sgn * nn);
    if (k > nn / 2) k = nn - k;
    int64_t x = nn - k + 1, m = x + 1;
    for (int64_t r = 2; r <= k; r++, m++) {
        __int128 xt = (__int128)x * m / r;
        if (xt > INT64_MAX)
            lxE_error(L, LXT_OverflowError, "binomial(%lld, %lld) overflows", (long long)n0, (long long)k0);
        x = (int64_t)xt;
    }
    return lxO_int(sgn * x);
}

/* ---- comparison -------------------------------------------------------------------------------------- */

/* The smallest (or largest) of numbers, promoted to their common type;
 * NaN wins, and min(-0.0, 0.0) is -0.0, as in Julia. */
static lx_Value pick_number(lx_Value *a, int n, bool max)
{
    numkind k = kind_all(a, n);
    int best = 0;
    if (k <= K_INT) {
        for (int i = 1; i < n; i++)
            if (max ? ival(a[i]) > ival(a[best]) : ival(a[i]) < ival(a[best])) best = i;
        return to_kind(a[best], k);
    }
    for (int i = 1; i < n; i++) {
        double x = lxO_tonumber(a[i]), b = lxO_tonumber(a[best]);
        if (isnan(b)) break;
        if (isnan(x) || (max ? x > b : x < b) || (x == b && (max ? !signbit(x) : signbit(x)))) best = i;
    }
    return to_kind(a[best], k);
}

static bool isless2(lx_State *L, lx_Value x, lx_Value y)
{
    lx_Value args[2] = {x, y};
    lx_Value r = lxL_callg(L, "isless", args, 2);
    return r.tag == LX_TBOOL && r.v.b;
}

/* Any values ordered by isless (strings, tuples, user types). */
static lx_Value pick_any(lx_State *L, lx_Value *a, int n, bool max)
{
    int best = 0;
    for (int i = 1; i < n; i++)
        if (max ? isless2(L, a[best], a[i]) : isless2(L, a[i], a[best])) best = i;
    return a[best];
}

static lx_Value m_min(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return pick_number(a, n, false);
}
static lx_Value m_max(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return pick_number(a, n, true);
}
static lx_Value m_min_any(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return pick_any(L, a, n, false);
}
static lx_Value m_max_any(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return pick_any(L, a, n, true);
}

static lx_Value m_minmax(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    bool numbers = lxO_isnumber(a[0]) && lxO_isnumber(a[1]);
    lx_Value lo = numbers ? pick_number(a, 2, false) : pick_any(L, a, 2, false);
    lx_Value hi = numbers ? pick_number(a, 2, true) : pick_any(L, a, 2, true);
    lxO_tuple *t = lxO_tuple_new(L, 2);
    t->items[0] = lo;
    t->items[1] = hi;
    return lxO_obj(t);
}

static lx_Value m_clamp(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    numkind k = kind_all(a, 3);
    if (lxV_less(a[2], a[0], false) == 1) return to_kind(a[2], k);
    if (lxV_less(a[0], a[1], false) == 1) return to_kind(a[1], k);
    return to_kind(a[0], k);
}

static lx_Value m_cmp(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    double x = lxO_tonumber(a[0]), y = lxO_tonumber(a[1]);
    if (a[0].tag != LX_TFLOAT64 && a[0].tag != LX_TFLOAT32 && a[1].tag != LX_TFLOAT64 &&
        a[1].tag != LX_TFLOAT32)
        return lxO_int((ival(a[0]) > ival(a[1])) - (ival(a[0]) < ival(a[1])));
    /* isless's order: NaN after everything, -0.0 before 0.0 */
    if (isnan(x) || isnan(y)) return lxO_int(isnan(x) - isnan(y));
    if (x == y) return lxO_int(signbit(y) - signbit(x));
    return lxO_int(x < y ? -1 : 1);
}

/* ---- predicates ---------------------------------------------------------------------------------------- */

static bool is_float(lx_Value v)
{
    return v.tag == LX_TFLOAT64 || v.tag == LX_TFLOAT32;
}

static lx_Value m_isnan(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_bool(is_float(a[0]) && isnan(lxO_tonumber(a[0])));
}
static lx_Value m_isinf(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_bool(is_float(a[0]) && isinf(lxO_tonumber(a[0])));
}
static lx_Value m_isfinite(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_bool(!is_float(a[0]) || isfinite(lxO_tonumber(a[0])));
}
static lx_Value m_iszero(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_bool(lxO_tonumber(a[0]) == 0);
}
static lx_Value m_isone(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_bool(lxO_tonumber(a[0]) == 1);
}
static lx_Value m_isinteger(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    double d = lxO_tonumber(a[0]);
    return lxO_bool(!is_float(a[0]) || (isfinite(d) && d == trunc(d)));
}
static lx_Value m_iseven(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (!is_float(a[0])) return lxO_bool(ival(a[0]) % 2 == 0);
    double d = lxO_tonumber(a[0]);
    return lxO_bool(isfinite(d) && d == trunc(d) && fmod(d, 2) == 0);
}
static lx_Value m_isodd(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (!is_float(a[0])) return lxO_bool(ival(a[0]) % 2 != 0);
    double d = lxO_tonumber(a[0]);
    return lxO_bool(isfinite(d) && d == trunc(d) && fmod(d, 2) != 0);
}

/* ---- the number types' constants ------------------------------------------------------------------------
 */

/* The kind of the type argument, or of the value's type. */
static numkind kind_arg(lx_State *L, const char *fname, lx_Value *a, int n)
{
    if (lxO_is(a[0], LXO_TYPE)) {
        int k = type_kind(L, a[0]);
        if (k < 0) no_method(L, fname, a, n);
        return (numkind)k;
    }
    return kind_of(a[0]);
}

static lx_Value m_zero(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    numkind k = kind_arg(L, "zero", a, n);
    return k == K_BOOL ? lxO_bool(false) : to_kind(lxO_int(0), k);
}
static lx_Value m_one(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    numkind k = kind_arg(L, "one", a, n);
    return k == K_BOOL ? lxO_bool(true) : to_kind(lxO_int(1), k);
}

static lx_Value m_typemax(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    switch (kind_arg(L, "typemax", a, n)) {
    case K_BOOL: return lxO_bool(true);
    case K_INT: return lxO_int(INT64_MAX);
    case K_F64: return lxO_f64(INFINITY);
    default: return lxO_f32(INFINITY);
    }
}
static lx_Value m_typemin(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    switch (kind_arg(L, "typemin", a, n)) {
    case K_BOOL: return lxO_bool(false);
    case K_INT: return lxO_int(INT64_MIN);
    case K_F64: return lxO_f64(-INFINITY);
    default: return lxO_f32(-INFINITY);
    }
}

/* The float kind of floatmax()/eps() and friends: Float64 with no argument. */
static numkind float_arg(lx_State *L, const char *fname, lx_Value *a, int n)
{
    if (n == 0) return K_F64;
    numkind k = kind_arg(L, fname, a, n);
    if (k != K_F64 && k != K_F32) no_method(L, fname, a, n);
    return k;
}

static lx_Value m_floatmax(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return float_arg(L, "floatmax", a, n) == K_F32 ? lxO_f32(FLT_MAX) : lxO_f64(DBL_MAX);
}
static lx_Value m_floatmin(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return float_arg(L, "floatmin", a, n) == K_F32 ? lxO_f32(FLT_MIN) : lxO_f64(DBL_MIN);
}

static lx_Value m_eps(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    numkind k = float_arg(L, "eps", a, n);
    if (n == 0 || lxO_is(a[0], LXO_TYPE)) return k == K_F32 ? lxO_f32(FLT_EPSILON) : lxO_f64(DBL_EPSILON);
    /* the distance to the next float of larger magnitude (below it at floatmax) */
    if (k == K_F32) {
        float x = fabsf(a[0].v.f);
        if (!isfinite(x)) return lxO_f32(NAN);
        return lxO_f32(x == FLT_MAX ? x - nextafterf(x, 0) : nextafterf(x, INFINITY) - x);
    }
    double x = fabs(a[0].v.d);
    if (!isfinite(x)) return lxO_f64(NAN);
    return lxO_f64(x == DBL_MAX ? x - nextafter(x, 0) : nextafter(x, INFINITY) - x);
}

static lx_Value step_float(lx_Value *a, int n, bool up)
{
    int64_t steps = n == 2 ? ival(a[1]) : 1;
    if (steps < 0) steps = -steps, up = !up;
    if (a[0].tag == LX_TFLOAT32) {
        float x = a[0].v.f;
        for (int64_t i = 0; i < steps && !isnan(x) && !isinf(up ? x : -x); i++)
            x = nextafterf(x, up ? INFINITY : -INFINITY);
        return lxO_f32(x);
    }
    double x = a[0].v.d;
    for (int64_t i = 0; i < steps && !isnan(x) && !isinf(up ? x : -x); i++)
        x = nextafter(x, up ? INFINITY : -INFINITY);
    return lxO_f64(x);
}
static lx_Value m_nextfloat(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return step_float(a, n, true);
}
static lx_Value m_prevfloat(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return step_float(a, n, false);
}

/* ---- fused operations
 * ----------------------------------------------------------------------------------------- */

static lx_Value m_fma(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    numkind k = kind_all(a, 3);
    if (k <= K_INT)
        return lxO_int((int64_t)((uint64_t)ival(a[0]) * (uint64_t)ival(a[1]) + (uint64_t)ival(a[2])));
    if (k == K_F32)
        return lxO_f32(fmaf((float)lxO_tonumber(a[0]), (float)lxO_tonumber(a[1]), (float)lxO_tonumber(a[2])));
    return lxO_f64(fma(lxO_tonumber(a[0]), lxO_tonumber(a[1]), lxO_tonumber(a[2])));
}

/* ---- the table
 * ------------------------------------------------------------------------------------------------ */

#define EX(body) "\n\n# Examples\n```\n" body "```"

static const lxL_Reg math_lib[] = {
    {"\\", "(a::Number, b::Number)", m_ldiv,
     "    a \\ b\n\nLeft division: `b / a` for numbers (for a matrix A, `A \\ b` solves `A x = b`)."
     "\n\n# Arguments\n- `a`: the divisor, a number.\n- `b`: the dividend, a number.\n\n# Returns\n`b / a`: "
     "a Float64 for integers, a Float32 when either is a Float32." EX("lx> 2 \\ 6\n3.0\n")},
    {"abs", "(x::Real)", m_abs,
     "    abs(x)\n\nThe absolute value of x, of x's type. As in Julia, `abs(typemin(Int))` wraps around to "
     "`typemin(Int)`."
     "\n\n# Arguments\n- `x`: a real number (Bool, Int, Float64 or Float32); for a tensor, broadcast: "
     "`abs.(x)`.\n\n# Returns\nA value of x's type (Bool stays Bool): `-x` when x is negative, else x." EX(
         "lx> abs(-3)\n3\n\nlx> abs(-2.5f0)\n2.5f0\n")},
    {"abs2", "(x::Real)", m_abs2,
     "    abs2(x)\n\nThe square of x's absolute value, `x * x`, of x's type."
     "\n\n# Arguments\n- `x`: a real number (Bool, Int, Float64 or Float32); for a tensor, broadcast: "
     "`abs2.(x)`.\n\n# Returns\nA value of x's type: `x * x` (an Int wraps around on overflow)." EX(
         "lx> abs2(-3)\n9\n\nlx> abs2(1.5)\n2.25\n")},
    {"sign", "(x::Real)", m_sign,
     "    sign(x)\n\n-1, 0 or 1 by the sign of x, of x's type; a float zero keeps its sign and NaN stays "
     "NaN."
     "\n\n# Arguments\n- `x`: a real number (Bool, Int, Float64 or Float32); for a tensor, broadcast: "
     "`sign.(x)`.\n\n# Returns\nA value of x's type: -1, 0 or 1 (±0.0 and NaN unchanged)." EX(
         "lx> sign(-7)\n-1\n\nlx> sign(2.5)\n1.0\n\nlx> sign(-0.0)\n-0.0\n")},
    {"signbit", "(x::Real)", m_signbit,
     "    signbit(x)\n\nWhether the sign bit of x is set: true for negative numbers and for -0.0."
     "\n\n# Arguments\n- `x`: a real number (Bool, Int, Float64 or Float32); for a tensor, broadcast: "
     "`signbit.(x)`.\n\n# Returns\nA Bool." EX("lx> signbit(-0.0)\ntrue\n\nlx> signbit(3)\nfalse\n")},
    {"copysign", "(x::Real, y::Real)", m_copysign,
     "    copysign(x, y)\n\nx's magnitude with y's sign, of x's type."
     "\n\n# Arguments\n- `x`: the real number whose magnitude is kept.\n- `y`: the real number whose sign "
     "(sign bit, so -0.0 counts as negative) is taken.\n\n# Returns\nA value of x's type." EX(
         "lx> copysign(3, -0.0)\n-3\n\nlx> copysign(-2.5, 1)\n2.5\n")},
    {"flipsign", "(x::Real, y::Real)", m_flipsign,
     "    flipsign(x, y)\n\nx negated when y is negative (its sign bit is set), else x; of x's type."
     "\n\n# Arguments\n- `x`: the real number to negate or keep.\n- `y`: a real number; only its sign bit is "
     "read.\n\n# Returns\nA value of x's type: `-x` when y's sign bit is set, else x." EX(
         "lx> flipsign(5, -1)\n-5\n\nlx> flipsign(-5.0, -2)\n5.0\n")},
    {"sqrt", "(x::Real)", m_sqrt,
     "    sqrt(x)\n    √x\n\nThe square root. A negative argument is a DomainError (scalar math follows "
     "Julia; elementwise math on tensors gives NaN, spec §5). Integers give a Float64, Float32 stays "
     "Float32."
     "\n\n# Arguments\n- `x`: a real number (Bool, Int, Float64 or Float32); for a tensor, broadcast: "
     "`sqrt.(x)`., x ≥ 0 (a DomainError below).\n\n# Returns\nA Float64, or a Float32 when x is a Float32 "
     "(integers give Float64)." EX(
         "lx> sqrt(16)\n4.0\n\nlx> √2f0\n1.4142135f0\n\nlx> try sqrt(-1.0) catch e; sprint(showerror, e) "
         "end\n\"DomainError with -1.0:\\nsqrt was called with a negative real argument but will only return "
         "a complex result if called with a complex argument. Try sqrt(Complex(x)).\"\n")},
    {"cbrt", "(x::Real)", m_cbrt,
     "    cbrt(x)\n\nThe real cube root (defined for negative x too)."
     "\n\n# Arguments\n- `x`: a real number (Bool, Int, Float64 or Float32); for a tensor, broadcast: "
     "`cbrt.(x)`.\n\n# Returns\nA Float64, or a Float32 when x is a Float32 (integers give Float64)." EX(
         "lx> cbrt(-27)\n-3.0\n")},
    {"exp", "(x::Real)", m_exp,
     "    exp(x)\n\nThe natural exponential e^x."
     "\n\n# Arguments\n- `x`: a real number (Bool, Int, Float64 or Float32); for a tensor, broadcast: "
     "`exp.(x)`.\n\n# Returns\nA Float64, or a Float32 when x is a Float32 (integers give Float64)." EX(
         "lx> exp(0)\n1.0\n\nlx> exp(1.0f0)\n2.7182817f0\n")},
    {"exp2", "(x::Real)", m_exp2,
     "    exp2(x)\n\n2^x as a float."
     "\n\n# Arguments\n- `x`: a real number (Bool, Int, Float64 or Float32); for a tensor, broadcast: "
     "`exp2.(x)`.\n\n# Returns\nA Float64, or a Float32 when x is a Float32 (integers give Float64)." EX(
         "lx> exp2(10)\n1024.0\n")},
    {"exp10", "(x::Real)", m_exp10,
     "    exp10(x)\n\n10^x as a float."
     "\n\n# Arguments\n- `x`: a real number (Bool, Int, Float64 or Float32); for a tensor, broadcast: "
     "`exp10.(x)`.\n\n# Returns\nA Float64, or a Float32 when x is a Float32 (integers give Float64)." EX(
         "lx> exp10(3)\n1000.0\n")},
    {"expm1", "(x::Real)", m_expm1,
     "    expm1(x)\n\n`exp(x) - 1`, accurate for x near zero."
     "\n\n# Arguments\n- `x`: a real number (Bool, Int, Float64 or Float32); for a tensor, broadcast: "
     "`expm1.(x)`.\n\n# Returns\nA Float64, or a Float32 when x is a Float32 (integers give Float64)." EX(
         "lx> expm1(1e-10)\n1.00000000005e-10\n")},
    {"log", "(x::Real)", m_log,
     "    log(x)\n    log(b, x)\n\nThe natural logarithm of x, or its logarithm in base b (`log(x) / "
     "log(b)`, as Julia computes it). `log(0)` is `-Inf`; a negative argument is a DomainError."
     "\n\n# Arguments\n- `x`: a real number, x ≥ 0 (a DomainError below); for a tensor, broadcast: "
     "`log.(x)`.\n- `b`: the base, a real number ≥ 0.\n\n# Returns\nA Float64, or a Float32 when an argument "
     "is a Float32." EX(
         "lx> log(1)\n0.0\n\nlx> log(2, 8)\n3.0\n\nlx> log(0.0)\n-Inf\n\nlx> try log(-1) catch e; e isa "
         "DomainError end\ntrue\n")},
    {"log", "(b::Real, x::Real)", m_log, ""},
    {"log2", "(x::Real)", m_log2,
     "    log2(x)\n\nThe base-2 logarithm; a negative argument is a DomainError."
     "\n\n# Arguments\n- `x`: a real number (Bool, Int, Float64 or Float32); for a tensor, broadcast: "
     "`log2.(x)`., x ≥ 0.\n\n# Returns\nA Float64, or a Float32 when x is a Float32 (integers give "
     "Float64)." EX("lx> log2(1024)\n10.0\n")},
    {"log10", "(x::Real)", m_log10,
     "    log10(x)\n\nThe base-10 logarithm; a negative argument is a DomainError."
     "\n\n# Arguments\n- `x`: a real number (Bool, Int, Float64 or Float32); for a tensor, broadcast: "
     "`log10.(x)`., x ≥ 0.\n\n# Returns\nA Float64, or a Float32 when x is a Float32 (integers give "
     "Float64)." EX("lx> log10(1000)\n3.0\n")},
    {"log1p", "(x::Real)", m_log1p,
     "    log1p(x)\n\n`log(1 + x)`, accurate for x near zero; x < -1 is a DomainError."
     "\n\n# Arguments\n- `x`: a real number (Bool, Int, Float64 or Float32); for a tensor, broadcast: "
     "`log1p.(x)`., x ≥ -1.\n\n# Returns\nA Float64, or a Float32 when x is a Float32 (integers give "
     "Float64)." EX("lx> log1p(0)\n0.0\n\nlx> log1p(1e-20)\n1.0e-20\n")},
    {"sin", "(x::Real)", m_sin,
     "    sin(x)\n\nThe sine of x in radians; an infinite x is a DomainError."
     "\n\n# Arguments\n- `x`: a real number (Bool, Int, Float64 or Float32); for a tensor, broadcast: "
     "`sin.(x)`., finite.\n\n# Returns\nA Float64, or a Float32 when x is a Float32 (integers give "
     "Float64)." EX("lx> sin(0)\n0.0\n\nlx> sin(π / 2)\n1.0\n")},
    {"cos", "(x::Real)", m_cos,
     "    cos(x)\n\nThe cosine of x in radians; an infinite x is a DomainError."
     "\n\n# Arguments\n- `x`: a real number (Bool, Int, Float64 or Float32); for a tensor, broadcast: "
     "`cos.(x)`., finite.\n\n# Returns\nA Float64, or a Float32 when x is a Float32 (integers give "
     "Float64)." EX("lx> cos(0.0f0)\n1.0f0\n\nlx> cos(π)\n-1.0\n")},
    {"tan", "(x::Real)", m_tan,
     "    tan(x)\n\nThe tangent of x in radians; an infinite x is a DomainError."
     "\n\n# Arguments\n- `x`: a real number (Bool, Int, Float64 or Float32); for a tensor, broadcast: "
     "`tan.(x)`., finite.\n\n# Returns\nA Float64, or a Float32 when x is a Float32 (integers give "
     "Float64)." EX("lx> tan(0)\n0.0\n")},
    {"asin", "(x::Real)", m_asin,
     "    asin(x)\n\nThe inverse sine, in radians; |x| > 1 is a DomainError."
     "\n\n# Arguments\n- `x`: a real number (Bool, Int, Float64 or Float32); for a tensor, broadcast: "
     "`asin.(x)`., -1 ≤ x ≤ 1.\n\n# Returns\nA Float64, or a Float32 when x is a Float32 (integers give "
     "Float64)." EX("lx> asin(1)\n1.5707963267948966\n")},
    {"acos", "(x::Real)", m_acos,
     "    acos(x)\n\nThe inverse cosine, in radians; |x| > 1 is a DomainError."
     "\n\n# Arguments\n- `x`: a real number (Bool, Int, Float64 or Float32); for a tensor, broadcast: "
     "`acos.(x)`., -1 ≤ x ≤ 1.\n\n# Returns\nA Float64, or a Float32 when x is a Float32 (integers give "
     "Float64)." EX("lx> acos(1)\n0.0\n")},
    {"atan", "(x::Real)", m_atan,
     "    atan(x)\n    atan(y, x)\n\nThe inverse tangent; with two arguments, the angle of the point (x, y) "
     "from the x axis, in (-π, π]."
     "\n\n# Arguments\n- `x`: a real number; for a tensor, broadcast: `atan.(x)`.\n- `y`: with two "
     "arguments, the point's y coordinate (x is then its x coordinate).\n\n# Returns\nAn angle in radians: a "
     "Float64, or a Float32 when an argument is a Float32." EX(
         "lx> atan(1) == π / 4\ntrue\n\nlx> atan(1, -1)\n2.356194490192345\n")},
    {"atan", "(y::Real, x::Real)", m_atan, ""},
    {"sinh", "(x::Real)", m_sinh,
     "    sinh(x)\n\nThe hyperbolic sine."
     "\n\n# Arguments\n- `x`: a real number (Bool, Int, Float64 or Float32); for a tensor, broadcast: "
     "`sinh.(x)`.\n\n# Returns\nA Float64, or a Float32 when x is a Float32 (integers give Float64)." EX(
         "lx> sinh(0)\n0.0\n")},
    {"cosh", "(x::Real)", m_cosh,
     "    cosh(x)\n\nThe hyperbolic cosine."
     "\n\n# Arguments\n- `x`: a real number (Bool, Int, Float64 or Float32); for a tensor, broadcast: "
     "`cosh.(x)`.\n\n# Returns\nA Float64, or a Float32 when x is a Float32 (integers give Float64)." EX(
         "lx> cosh(0)\n1.0\n")},
    {"tanh", "(x::Real)", m_tanh,
     "    tanh(x)\n\nThe hyperbolic tangent."
     "\n\n# Arguments\n- `x`: a real number (Bool, Int, Float64 or Float32); for a tensor, broadcast: "
     "`tanh.(x)`.\n\n# Returns\nA Float64, or a Float32 when x is a Float32 (integers give Float64)." EX(
         "lx> tanh(0.5f0)\n0.46211717f0\n")},
    {"asinh", "(x::Real)", m_asinh,
     "    asinh(x)\n\nThe inverse hyperbolic sine."
     "\n\n# Arguments\n- `x`: a real number (Bool, Int, Float64 or Float32); for a tensor, broadcast: "
     "`asinh.(x)`.\n\n# Returns\nA Float64, or a Float32 when x is a Float32 (integers give Float64)." EX(
         "lx> asinh(0)\n0.0\n")},
    {"acosh", "(x::Real)", m_acosh,
     "    acosh(x)\n\nThe inverse hyperbolic cosine; x < 1 is a DomainError."
     "\n\n# Arguments\n- `x`: a real number (Bool, Int, Float64 or Float32); for a tensor, broadcast: "
     "`acosh.(x)`., x ≥ 1.\n\n# Returns\nA Float64, or a Float32 when x is a Float32 (integers give "
     "Float64)." EX("lx> acosh(1)\n0.0\n")},
    {"atanh", "(x::Real)", m_atanh,
     "    atanh(x)\n\nThe inverse hyperbolic tangent; |x| > 1 is a DomainError (±1 give ±Inf)."
     "\n\n# Arguments\n- `x`: a real number (Bool, Int, Float64 or Float32); for a tensor, broadcast: "
     "`atanh.(x)`., -1 ≤ x ≤ 1.\n\n# Returns\nA Float64, or a Float32 when x is a Float32 (integers give "
     "Float64)." EX("lx> atanh(0)\n0.0\n\nlx> atanh(1)\nInf\n")},
    {"sinpi", "(x::Real)", m_sinpi,
     "    sinpi(x)\n\n`sin(π * x)`, exact at integers and half-integers."
     "\n\n# Arguments\n- `x`: a real number (Bool, Int, Float64 or Float32); for a tensor, broadcast: "
     "`sinpi.(x)`., finite.\n\n# Returns\nA Float64, or a Float32 when x is a Float32 (integers give "
     "Float64)." EX("lx> sinpi(1)\n0.0\n\nlx> sinpi(0.5)\n1.0\n")},
    {"cospi", "(x::Real)", m_cospi,
     "    cospi(x)\n\n`cos(π * x)`, exact at integers and half-integers."
     "\n\n# Arguments\n- `x`: a real number (Bool, Int, Float64 or Float32); for a tensor, broadcast: "
     "`cospi.(x)`., finite.\n\n# Returns\nA Float64, or a Float32 when x is a Float32 (integers give "
     "Float64)." EX("lx> cospi(1)\n-1.0\n\nlx> cospi(0.5)\n0.0\n")},
    {"sincos", "(x::Real)", m_sincos,
     "    sincos(x)\n\n`(sin(x), cos(x))`."
     "\n\n# Arguments\n- `x`: a real number (Bool, Int, Float64 or Float32); for a tensor, broadcast: "
     "`sincos.(x)`., finite.\n\n# Returns\nA tuple `(sin(x), cos(x))` of two Float64s (Float32s for a "
     "Float32 x)." EX("lx> sincos(0)\n(0.0, 1.0)\n")},
    {"hypot", "(x::Real, y::Real, zs::Real...)", m_hypot,
     "    hypot(x, y, zs...)\n\n`sqrt(x^2 + y^2 + ...)` without overflow or underflow in the squares."
     "\n\n# Arguments\n- `x`, `y`, `zs...`: two or more real numbers.\n\n# Returns\nA Float64, or a Float32 "
     "when an argument is a Float32." EX("lx> hypot(3, 4)\n5.0\n")},
    {"inv", "(x::Real)", m_inv,
     "    inv(x)\n\n`1 / x`, as a float."
     "\n\n# Arguments\n- `x`: a real number (Bool, Int, Float64 or Float32); for a tensor, broadcast: "
     "`inv.(x)`. (`inv(0)` is Inf).\n\n# Returns\nA Float64, or a Float32 when x is a Float32 (integers give "
     "Float64)." EX("lx> inv(4)\n0.25\n")},
    {"deg2rad", "(x::Real)", m_deg2rad,
     "    deg2rad(x)\n\nDegrees to radians."
     "\n\n# Arguments\n- `x`: a real number (Bool, Int, Float64 or Float32); for a tensor, broadcast: "
     "`deg2rad.(x)`., an angle in degrees.\n\n# Returns\nA Float64, or a Float32 when x is a Float32 "
     "(integers give Float64)." EX("lx> deg2rad(180)\n3.141592653589793\n")},
    {"rad2deg", "(x::Real)", m_rad2deg,
     "    rad2deg(x)\n\nRadians to degrees."
     "\n\n# Arguments\n- `x`: a real number (Bool, Int, Float64 or Float32); for a tensor, broadcast: "
     "`rad2deg.(x)`., an angle in radians.\n\n# Returns\nA Float64, or a Float32 when x is a Float32 "
     "(integers give Float64)." EX("lx> rad2deg(π)\n180.0\n")},
    {"floor", "(x::Real; digits = nothing, sigdigits = nothing, base = 10)", m_floor,
     "    floor(x; digits, sigdigits, base = 10)\n    floor(T, x)\n\nThe largest integral value not above x, "
     "of x's type; with `digits` (or `sigdigits`), rounded down at that many digits after the point "
     "(significant digits). `floor(T, x)` converts the result to T (Int, Float64, Float32, Bool); an "
     "InexactError when it does not fit."
     "\n\n# Arguments\n- `x`: a real number; for a tensor, broadcast: `floor.(x)`.\n- `T`: the type of the "
     "result: Int, Float64, Float32 or Bool.\n\n# Keyword Arguments\n- `digits = nothing`: an Int, the "
     "number of digits after the point to keep (negative: before it).\n- `sigdigits = nothing`: an Int ≥ 1, "
     "the number of significant digits to keep (not with `digits`).\n- `base = 10`: an Int ≥ 2, the base the "
     "digits are counted in.\n\n# Returns\nA value of x's type (an integer x is returned as it is unless "
     "digits are negative), or of T with `floor(T, x)`." EX(
         "lx> floor(2.7)\n2.0\n\nlx> floor(Int, -2.5)\n-3\n\nlx> floor(3.14159; digits = 2)\n3.14\n")},
    {"floor", "(T::Type, x::Real)", m_floor, ""},
    {"ceil", "(x::Real; digits = nothing, sigdigits = nothing, base = 10)", m_ceil,
     "    ceil(x; digits, sigdigits, base = 10)\n    ceil(T, x)\n\nThe smallest integral value not below x, "
     "of x's type; `digits`, `sigdigits` and a type first work as for `floor`."
     "\n\n# Arguments\n- `x`: a real number; for a tensor, broadcast: `ceil.(x)`.\n- `T`: the type of the "
     "result: Int, Float64, Float32 or Bool.\n\n# Keyword Arguments\n- `digits = nothing`: an Int, the "
     "number of digits after the point to keep (negative: before it).\n- `sigdigits = nothing`: an Int ≥ 1, "
     "the number of significant digits to keep (not with `digits`).\n- `base = 10`: an Int ≥ 2, the base the "
     "digits are counted in.\n\n# Returns\nA value of x's type (an integer x is returned as it is unless "
     "digits are negative), or of T with `ceil(T, x)`." EX("lx> ceil(2.1)\n3.0\n\nlx> ceil(Int, 2.1)\n3\n")},
    {"ceil", "(T::Type, x::Real)", m_ceil, ""},
    {"round", "(x::Real; digits = nothing, sigdigits = nothing, base = 10)", m_round,
     "    round(x; digits, sigdigits, base = 10)\n    round(T, x)\n\nThe nearest integral value, halves to "
     "the even neighbour (Julia's RoundNearest), of x's type. `digits = n` rounds at n digits after the "
     "point (before it when negative), `sigdigits = n` to n significant digits; `round(T, x)` converts the "
     "result to T (Int, Float64, Float32, Bool), an InexactError when it does not fit."
     "\n\n# Arguments\n- `x`: a real number; for a tensor, broadcast: `round.(x)`.\n- `T`: the type of the "
     "result: Int, Float64, Float32 or Bool.\n\n# Keyword Arguments\n- `digits = nothing`: an Int, the "
     "number of digits after the point to keep (negative: before it).\n- `sigdigits = nothing`: an Int ≥ 1, "
     "the number of significant digits to keep (not with `digits`).\n- `base = 10`: an Int ≥ 2, the base the "
     "digits are counted in.\n\n# Returns\nA value of x's type (an integer x is returned as it is unless "
     "digits are negative), or of T with `round(T, x)`." EX(
         "lx> round(2.5)\n2.0\n\nlx> round(Int, 3.5)\n4\n\nlx> round(π; digits = 3)\n3.142\n\nlx> "
         "round(12345.678; sigdigits = 2)\n12000.0\n\nlx> round(1234; digits = -2)\n1200\n")},
    {"round", "(T::Type, x::Real)", m_round, ""},
    {"trunc", "(x::Real; digits = nothing, sigdigits = nothing, base = 10)", m_trunc,
     "    trunc(x; digits, sigdigits, base = 10)\n    trunc(T, x)\n\nx rounded toward zero, of x's type; "
     "`digits`, `sigdigits` and a type first work as for `floor`."
     "\n\n# Arguments\n- `x`: a real number; for a tensor, broadcast: `trunc.(x)`.\n- `T`: the type of the "
     "result: Int, Float64, Float32 or Bool.\n\n# Keyword Arguments\n- `digits = nothing`: an Int, the "
     "number of digits after the point to keep (negative: before it).\n- `sigdigits = nothing`: an Int ≥ 1, "
     "the number of significant digits to keep (not with `digits`).\n- `base = 10`: an Int ≥ 2, the base the "
     "digits are counted in.\n\n# Returns\nA value of x's type (an integer x is returned as it is unless "
     "digits are negative), or of T with `trunc(T, x)`." EX(
         "lx> trunc(-2.7)\n-2.0\n\nlx> trunc(Int, 9.99)\n9\n")},
    {"trunc", "(T::Type, x::Real)", m_trunc, ""},
    {"div", "(x::Real, y::Real)", m_div,
     "    div(x, y)\n    x ÷ y\n\nThe quotient truncated toward zero. Integer division by zero is a "
     "DivideError."
     "\n\n# Arguments\n- `x`: the dividend, a real number.\n- `y`: the divisor, a real number (an integer 0 "
     "is a DivideError).\n\n# Returns\nA value of the common type of x and y: an Int for integers, a float "
     "holding an integral value for floats." EX(
         "lx> div(7, 2)\n3\n\nlx> div(-7, 2)\n-3\n\nlx> div(7.5, 2)\n3.0\n")},
    {"rem", "(x::Real, y::Real)", m_rem,
     "    rem(x, y)\n    x % y\n\nThe remainder of `div(x, y)`: it has x's sign. Integer division by zero is "
     "a DivideError."
     "\n\n# Arguments\n- `x`: the dividend, a real number.\n- `y`: the divisor, a real number (an integer 0 "
     "is a DivideError).\n\n# Returns\nA value of the common type of x and y, with x's sign, `abs(result) < "
     "abs(y)`." EX("lx> rem(-7, 3)\n-1\n\nlx> rem(7.5, 2)\n1.5\n")},
    {"mod", "(x::Real, y::Real)", m_mod,
     "    mod(x, y)\n\nThe remainder of `fld(x, y)`: it has y's sign, so `mod(x, n)` of a positive n is in "
     "`0:n-1`. Integer division by zero is a DivideError."
     "\n\n# Arguments\n- `x`: the dividend, a real number.\n- `y`: the divisor, a real number (an integer 0 "
     "is a DivideError).\n\n# Returns\nA value of the common type of x and y, with y's sign, `abs(result) < "
     "abs(y)`." EX("lx> mod(-7, 3)\n2\n\nlx> mod(7, -3)\n-2\n\nlx> mod(-1.5, 1)\n0.5\n")},
    {"fld", "(x::Real, y::Real)", m_fld,
     "    fld(x, y)\n\nThe quotient rounded down (toward -Inf)."
     "\n\n# Arguments\n- `x`: the dividend, a real number.\n- `y`: the divisor, a real number (an integer 0 "
     "is a DivideError).\n\n# Returns\nA value of the common type of x and y: an Int for integers, an "
     "integral float for floats." EX("lx> fld(-7, 2)\n-4\n\nlx> fld(7, 2)\n3\n")},
    {"cld", "(x::Real, y::Real)", m_cld,
     "    cld(x, y)\n\nThe quotient rounded up (toward +Inf)."
     "\n\n# Arguments\n- `x`: the dividend, a real number.\n- `y`: the divisor, a real number (an integer 0 "
     "is a DivideError).\n\n# Returns\nA value of the common type of x and y: an Int for integers, an "
     "integral float for floats." EX("lx> cld(7, 2)\n4\n\nlx> cld(-7, 2)\n-3\n")},
    {"divrem", "(x::Real, y::Real)", m_divrem,
     "    divrem(x, y)\n\n`(div(x, y), rem(x, y))`."
     "\n\n# Arguments\n- `x`: the dividend, a real number.\n- `y`: the divisor, a real number (an integer 0 "
     "is a DivideError).\n\n# Returns\nA tuple `(div(x, y), rem(x, y))`, both of the common type of x and "
     "y." EX("lx> divrem(7, 3)\n(2, 1)\n")},
    {"gcd", "(x::Integer, y::Integer, zs::Integer...)", m_gcd,
     "    gcd(x, y, zs...)\n\nThe greatest common divisor (non-negative; `gcd(0, 0)` is 0)."
     "\n\n# Arguments\n- `x`, `y`, `zs...`: two or more integers.\n\n# Returns\nA non-negative Int (an "
     "OverflowError when it would be 2^63)." EX("lx> gcd(12, 18)\n6\n\nlx> gcd(-4, 6, 10)\n2\n")},
    {"lcm", "(x::Integer, y::Integer, zs::Integer...)", m_lcm,
     "    lcm(x, y, zs...)\n\nThe least common (non-negative) multiple; 0 when an argument is 0, an "
     "OverflowError past Int64."
     "\n\n# Arguments\n- `x`, `y`, `zs...`: two or more integers.\n\n# Returns\nA non-negative Int." EX(
         "lx> lcm(4, 6)\n12\n")},
    {"factorial", "(n::Integer)", m_factorial,
     "    factorial(n)\n\nn! as an Int. A negative n is a DomainError; past 20 the result does not fit in "
     "Int64, an OverflowError."
     "\n\n# Arguments\n- `n`: an integer, 0 ≤ n ≤ 20.\n\n# Returns\nAn Int." EX(
         "lx> factorial(5)\n120\n\nlx> factorial(20)\n2432902008176640000\n")},
    {"binomial", "(n::Integer, k::Integer)", m_binomial,
     "    binomial(n, k)\n\nThe binomial coefficient \"n choose k\" (0 when k < 0 or k > n >= 0; negative n "
     "by Julia's extension). An OverflowError when it does not fit in Int64."
     "\n\n# Arguments\n- `n`: an integer (negative n too).\n- `k`: an integer, the number chosen.\n\n# "
     "Returns\nAn Int." EX("lx> binomial(5, 2)\n10\n\nlx> binomial(-5, 2)\n15\n")},
    {"min", "(x::Real, y::Real, zs::Real...)", m_min,
     "    min(x, y, zs...)\n\nThe smallest argument, numbers promoted to their common type (NaN if any is "
     "NaN); other values by `isless`. For the smallest element of a collection use `minimum`."
     "\n\n# Arguments\n- `x`, `y`, `zs...`: two or more numbers, or other values ordered by `isless` "
     "(strings, tuples, ...).\n\n# Returns\nThe smallest argument: for numbers, of their common type "
     "(Float32 wins over Float64); otherwise the argument itself." EX(
         "lx> min(3, 1, 2)\n1\n\nlx> min(1, 2.5)\n1.0\n\nlx> min(\"b\", \"a\")\n\"a\"\n")},
    {"min", "(x, y, zs...)", m_min_any, ""},
    {"max", "(x::Real, y::Real, zs::Real...)", m_max,
     "    max(x, y, zs...)\n\nThe largest argument, numbers promoted to their common type (NaN if any is "
     "NaN); other values by `isless`. For the largest element of a collection use `maximum`."
     "\n\n# Arguments\n- `x`, `y`, `zs...`: two or more numbers, or other values ordered by `isless` "
     "(strings, tuples, ...).\n\n# Returns\nThe largest argument: for numbers, of their common type (Float32 "
     "wins over Float64); otherwise the argument itself." EX(
         "lx> max(3, 1, 2)\n3\n\nlx> max(1f0, 2)\n2.0f0\n")},
    {"max", "(x, y, zs...)", m_max_any, ""},
    {"minmax", "(x, y)", m_minmax,
     "    minmax(x, y)\n\n`(min(x, y), max(x, y))`."
     "\n\n# Arguments\n- `x`, `y`: two numbers, or two values ordered by `isless`.\n\n# Returns\nA tuple "
     "`(min(x, y), max(x, y))`." EX("lx> minmax(5, 2)\n(2, 5)\n")},
    {"clamp", "(x::Real, lo::Real, hi::Real)", m_clamp,
     "    clamp(x, lo, hi)\n\nx limited to `lo:hi`: lo when x < lo, hi when x > hi, else x; promoted to the "
     "common type of the three."
     "\n\n# Arguments\n- `x`: a real number; for a tensor, broadcast: `clamp.(x, lo, hi)`.\n- `lo`, `hi`: "
     "real numbers, the bounds (`lo <= hi`).\n\n# Returns\nA value of the common type of x, lo and hi: "
     "`min(max(x, lo), hi)`." EX("lx> clamp(5, 1, 3)\n3\n\nlx> clamp(-1.5, 0, 1)\n0.0\n")},
    {"cmp", "(x::Real, y::Real)", m_cmp,
     "    cmp(x, y)\n\n-1, 0 or 1 as x is less than, equal to or greater than y, in `isless`'s order (NaN "
     "last, -0.0 before 0.0). Strings compare by bytes."
     "\n\n# Arguments\n- `x`, `y`: real numbers (or two strings).\n\n# Returns\nAn Int: -1, 0 or 1." EX(
         "lx> cmp(1, 2)\n-1\n\nlx> cmp(2.0, 2)\n0\n")},
    {"isnan", "(x::Number)", m_isnan,
     "    isnan(x)\n\nWhether x is a float NaN (\"not a number\")."
     "\n\n# Arguments\n- `x`: a number (an integer or Bool too); for a tensor, broadcast: `isnan.(x)`.\n\n# "
     "Returns\nA Bool." EX("lx> isnan(0 / 0)\ntrue\n\nlx> isnan(1)\nfalse\n")},
    {"isinf", "(x::Number)", m_isinf,
     "    isinf(x)\n\nWhether x is a float infinity."
     "\n\n# Arguments\n- `x`: a number (an integer or Bool too); for a tensor, broadcast: `isinf.(x)`.\n\n# "
     "Returns\nA Bool." EX("lx> isinf(-Inf)\ntrue\n")},
    {"isfinite", "(x::Number)", m_isfinite,
     "    isfinite(x)\n\nWhether x is neither infinite nor NaN (integers always are)."
     "\n\n# Arguments\n- `x`: a number (an integer or Bool too); for a tensor, broadcast: "
     "`isfinite.(x)`.\n\n# Returns\nA Bool." EX("lx> isfinite(1e308)\ntrue\n\nlx> isfinite(NaN)\nfalse\n")},
    {"iszero", "(x::Number)", m_iszero,
     "    iszero(x)\n\nWhether `x == 0` (also for -0.0)."
     "\n\n# Arguments\n- `x`: a number (an integer or Bool too); for a tensor, broadcast: `iszero.(x)`.\n\n# "
     "Returns\nA Bool." EX("lx> iszero(-0.0)\ntrue\n")},
    {"isone", "(x::Number)", m_isone,
     "    isone(x)\n\nWhether `x == 1`."
     "\n\n# Arguments\n- `x`: a number (an integer or Bool too); for a tensor, broadcast: `isone.(x)`.\n\n# "
     "Returns\nA Bool." EX("lx> isone(1.0)\ntrue\n")},
    {"iseven", "(x::Real)", m_iseven,
     "    iseven(x)\n\nWhether x is an even integer (a float counts when it is integral)."
     "\n\n# Arguments\n- `x`: a real number (an integer, Bool or float); for a tensor, broadcast: "
     "`iseven.(x)`.\n\n# Returns\nA Bool." EX("lx> iseven(4)\ntrue\n\nlx> iseven(3.0)\nfalse\n")},
    {"isodd", "(x::Real)", m_isodd,
     "    isodd(x)\n\nWhether x is an odd integer (a float counts when it is integral)."
     "\n\n# Arguments\n- `x`: a real number (an integer, Bool or float); for a tensor, broadcast: "
     "`isodd.(x)`.\n\n# Returns\nA Bool." EX("lx> isodd(-3)\ntrue\n")},
    {"isinteger", "(x::Real)", m_isinteger,
     "    isinteger(x)\n\nWhether x has an integral value."
     "\n\n# Arguments\n- `x`: a real number (an integer, Bool or float); for a tensor, broadcast: "
     "`isinteger.(x)`.\n\n# Returns\nA Bool." EX("lx> isinteger(2.0)\ntrue\n\nlx> isinteger(2.5)\nfalse\n")},
    {"zero", "(x::Number)", m_zero,
     "    zero(x)\n    zero(T)\n\nThe zero of x's type, or of the number type T."
     "\n\n# Arguments\n- `x`: a number, whose type is used.\n- `T`: a number type: Int (Int64, Integer, "
     "Signed), Float64 (AbstractFloat), Float32 or Bool.\n\n# Returns\n0 of that type (`false` for Bool)." EX(
         "lx> zero(2.5)\n0.0\n\nlx> zero(Int)\n0\n\nlx> zero(Float32)\n0.0f0\n")},
    {"zero", "(T::Type)", m_zero, ""},
    {"one", "(x::Number)", m_one,
     "    one(x)\n    one(T)\n\nThe one of x's type, or of the number type T."
     "\n\n# Arguments\n- `x`: a number, whose type is used.\n- `T`: a number type: Int (Int64, Integer, "
     "Signed), Float64 (AbstractFloat), Float32 or Bool.\n\n# Returns\n1 of that type (`true` for Bool)." EX(
         "lx> one(3)\n1\n\nlx> one(Float64)\n1.0\n")},
    {"one", "(T::Type)", m_one, ""},
    {"typemax", "(x::Number)", m_typemax,
     "    typemax(T)\n\nThe largest value of a number type (or of x's type): `typemax(Int)` is 2^63 - 1, a "
     "float type's is Inf."
     "\n\n# Arguments\n- `T`: a number type: Int (Int64, Integer, Signed), Float64 (AbstractFloat), Float32 "
     "or Bool.\n- `x`: a number, whose type is used instead.\n\n# Returns\nA value of that type: "
     "`typemax(Int)` is 9223372036854775807, a float type's is Inf, Bool's is true." EX(
         "lx> typemax(Int)\n9223372036854775807\n\nlx> typemax(Float32)\nInf32\n")},
    {"typemax", "(T::Type)", m_typemax, ""},
    {"typemin", "(x::Number)", m_typemin,
     "    typemin(T)\n\nThe smallest value of a number type (or of x's type): `typemin(Int)` is -2^63, a "
     "float type's is -Inf."
     "\n\n# Arguments\n- `T`: a number type: Int (Int64, Integer, Signed), Float64 (AbstractFloat), Float32 "
     "or Bool.\n- `x`: a number, whose type is used instead.\n\n# Returns\nA value of that type: "
     "`typemin(Int)` is -9223372036854775808, a float type's is -Inf, Bool's is false." EX(
         "lx> typemin(Int)\n-9223372036854775808\n\nlx> typemin(Float64)\n-Inf\n")},
    {"typemin", "(T::Type)", m_typemin, ""},
    {"floatmax", "(T::Type = Float64)", m_floatmax,
     "    floatmax(T = Float64)\n\nThe largest finite value of a float type (or of x's type)."
     "\n\n# Arguments\n- `T = Float64`: a float type, Float64 or Float32.\n- `x`: a float, whose type is "
     "used instead.\n\n# Returns\nA value of that float type." EX(
         "lx> floatmax()\n1.7976931348623157e308\n\nlx> floatmax(Float32)\n3.4028235f38\n")},
    {"floatmax", "(x::AbstractFloat)", m_floatmax, ""},
    {"floatmin", "(T::Type = Float64)", m_floatmin,
     "    floatmin(T = Float64)\n\nThe smallest positive normal value of a float type (or of x's type)."
     "\n\n# Arguments\n- `T = Float64`: a float type, Float64 or Float32.\n- `x`: a float, whose type is "
     "used instead.\n\n# Returns\nA value of that float type." EX(
         "lx> floatmin()\n2.2250738585072014e-308\n\nlx> floatmin(Float32)\n1.1754944f-38\n")},
    {"floatmin", "(x::AbstractFloat)", m_floatmin, ""},
    {"eps", "(T::Type = Float64)", m_eps,
     "    eps(T = Float64)\n    eps(x)\n\nThe machine epsilon of a float type (the gap between 1 and the "
     "next float), or the gap between x and the next float of larger magnitude."
     "\n\n# Arguments\n- `T = Float64`: a float type, Float64 or Float32.\n- `x`: a float (Float64 or "
     "Float32).\n\n# Returns\nA value of the float type (NaN for an infinite or NaN x)." EX(
         "lx> eps()\n2.220446049250313e-16\n\nlx> eps(Float32)\n1.1920929f-7\n\nlx> "
         "eps(1000.0)\n1.1368683772161603e-13\n")},
    {"eps", "(x::AbstractFloat)", m_eps, ""},
    {"nextfloat", "(x::AbstractFloat, n::Integer = 1)", m_nextfloat,
     "    nextfloat(x, n = 1)\n\nThe float n steps above x (below for negative n)."
     "\n\n# Arguments\n- `x`: a float (Float64 or Float32).\n- `n = 1`: an integer, the number of "
     "steps.\n\n# Returns\nA float of x's type (it stops at ±Inf; NaN stays NaN)." EX(
         "lx> nextfloat(1.0)\n1.0000000000000002\n")},
    {"prevfloat", "(x::AbstractFloat, n::Integer = 1)", m_prevfloat,
     "    prevfloat(x, n = 1)\n\nThe float n steps below x (above for negative n)."
     "\n\n# Arguments\n- `x`: a float (Float64 or Float32).\n- `n = 1`: an integer, the number of "
     "steps.\n\n# Returns\nA float of x's type (it stops at ±Inf; NaN stays NaN)." EX(
         "lx> prevfloat(1.0f0)\n0.99999994f0\n")},
    {"fma", "(x::Real, y::Real, z::Real)", m_fma,
     "    fma(x, y, z)\n\n`x * y + z` with a single rounding (integers wrap around as `*` and `+` do)."
     "\n\n# Arguments\n- `x`, `y`: the real numbers multiplied.\n- `z`: the real number added.\n\n# "
     "Returns\nA value of the common type of x, y and z." EX(
         "lx> fma(2.0, 3.0, 1.0)\n7.0\n\nlx> fma(2, 3, 4)\n10\n")},
    {"muladd", "(x::Real, y::Real, z::Real)", m_fma,
     "    muladd(x, y, z)\n\n`x * y + z`, fused into one rounding where that is faster (in lx: always, as "
     "`fma`)."
     "\n\n# Arguments\n- `x`, `y`: the real numbers multiplied.\n- `z`: the real number added.\n\n# "
     "Returns\nA value of the common type of x, y and z." EX("lx> muladd(2, 3, 1)\n7\n")},
    {NULL, NULL, NULL, NULL}};

void lxL_open_math(lx_State *L)
{
    lxL_register(L, math_lib);
}
