/* tensor.c — the helpers every tensor library shares (tensor.h): arguments,
 * results, weak typing, element types, shapes and the broadcast mode. */
#include "tensor.h"

#include <string.h>

nn_tensor *lxL_checktensor(lx_State *L, lx_Value *args, int i, const char *fname)
{
    if (!lxL_istensor(args[i]))
        lxE_error(L, LXT_TypeError, "%s: argument %d must be a Tensor, got a value of type %s", fname, i + 1,
                  lxT_name(lxT_typeof(L, args[i])));
    return lxL_tval(args[i]);
}

lx_Value lxL_wrap(lx_State *L, nn_tensor *t)
{
    if (!t) lxE_error(L, LXT_ErrorException, "internal error: no tensor to wrap");
    return lxO_tensor_new(L, t);
}

lx_Value lxL_result(lx_State *L, nn_status s, nn_tensor **out)
{
    lxL_nncheck(L, s);
    return lxO_tensor_new(L, *out);
}

lx_Value lxL_elem(lx_State *L, const nn_tensor *t, int64_t i)
{
    /* integers read as they are (a double would round those above 2^53) */
    if (t->dtype == NN_I64 && nn_tensor_device(t) == NN_CPU) return lxO_int(((const int64_t *)nn_data(t))[i]);
    double d = nn_get(t, i);
    switch (t->dtype) {
    case NN_F32: return lxO_f32((float)d);
    case NN_F64: return lxO_f64(d);
    case NN_I32:
    case NN_I64: return lxO_int((int64_t)d);
    case NN_BOOL: return lxO_bool(d != 0);
    default: break;
    }
    lxE_error(L, LXT_ErrorException, "internal error: a tensor of unknown element type");
}

lx_Value lxL_scalar(lx_State *L, nn_status s, nn_tensor **outp)
{
    lxL_nncheck(L, s);
    nn_tensor *out = *outp;
    if (out->ndim != 0 || nn_is_tracked(out)) return lxO_tensor_new(L, out);
    lx_Value v = lxL_elem(L, out, 0);
    nn_release(out);
    return v;
}

nn_dtype lxL_numdtype(lx_Value num)
{
    switch (num.tag) {
    case LX_TFLOAT32: return NN_F32;
    case LX_TINT: return NN_I64;
    case LX_TBOOL: return NN_BOOL;
    default: return NN_F64;
    }
}

nn_dtype lxL_weakdtype(lx_Value num, nn_dtype other)
{
    bool numfloat = num.tag == LX_TFLOAT32 || num.tag == LX_TFLOAT64;
    if (nn_dtype_is_float(other)) return other;
    if (numfloat) return NN_F32;
    if (num.tag == LX_TBOOL) return other;
    return other == NN_BOOL ? NN_I64 : other; /* an integer keeps an integer tensor's width */
}

static bool seq_items(lx_Value v, lx_Value **items, int64_t *n)
{
    if (lxO_is(v, LXO_LIST)) {
        *items = lxO_as(lxO_list, v)->items;
        *n = (int64_t)lxO_as(lxO_list, v)->n;
        return true;
    }
    if (lxO_is(v, LXO_TUPLE)) {
        *items = lxO_as(lxO_tuple, v)->items;
        *n = lxO_as(lxO_tuple, v)->n;
        return true;
    }
    return false;
}

nn_tensor *lxL_totensor(lx_State *L, lx_Value v, const nn_tensor *like, const char *fname, lx_Value *hold)
{
    if (lxL_istensor(v)) return lxL_tval(v);
    nn_tensor *t = NULL;
    nn_status s;
    if (lxO_isnumber(v)) {
        nn_dtype dt = like ? lxL_weakdtype(v, like->dtype) : lxL_numdtype(v);
        s = nn_scalar(L->nn, &t, dt, lxO_tonumber(v));
    } else if (lxO_is(v, LXO_RANGE)) {
        lxO_range *r = lxO_as(lxO_range, v);
        int64_t shape = r->len;
        s = nn_empty(L->nn, &t, r->isfloat ? NN_F64 : NN_I64, 1, &shape);
        for (int64_t i = 0; s == NN_OK && i < r->len; i++) {
            lx_Value e = lxO_range_at(r, i);
            if (r->isfloat)
                nn_set(t, i, lxO_tonumber(e));
            else
                ((int64_t *)nn_data(t))[i] = e.v.i;
        }
    } else {
        lx_Value *items;
        int64_t n;
        if (!seq_items(v, &items, &n))
            lxE_error(L, LXT_TypeError, "%s: expected a Tensor or a number, got a value of type %s", fname,
                      lxT_name(lxT_typeof(L, v)));
        /* the element type: the widest of the items (Bool < Int64 < Float32 < Float64) */
        int rank = 0;
        for (int64_t i = 0; i < n; i++) {
            if (!lxO_isnumber(items[i]))
                lxE_error(L, LXT_ArgumentError, "%s: element %lld is a %s, not a number", fname,
                          (long long)i + 1, lxT_name(lxT_typeof(L, items[i])));
            int k = items[i].tag == LX_TBOOL      ? 0
                    : items[i].tag == LX_TINT     ? 1
                    : items[i].tag == LX_TFLOAT32 ? 2
                                                  : 3;
            if (k > rank) rank = k;
        }
        static const nn_dtype ranks[] = {NN_BOOL, NN_I64, NN_F32, NN_F64};
        nn_dtype dt = n == 0 ? NN_F32 : ranks[rank];
        s = nn_empty(L->nn, &t, dt, 1, &n);
        for (int64_t i = 0; s == NN_OK && i < n; i++) {
            if (dt == NN_I64) /* exact: a double would round integers above 2^53 */
                ((int64_t *)nn_data(t))[i] = items[i].tag == LX_TINT ? items[i].v.i : items[i].v.b;
            else
                nn_set(t, i, lxO_tonumber(items[i]));
        }
    }
    *hold = lxL_result(L, s, &t);
    return t;
}

/* ---- element types and shapes -------------------------------------------------------------- */

static const lxT_builtin dtype_types[NN_NUM_DTYPES] = {LXT_Float32, LXT_Float64, LXT_Undefined, LXT_Int64,
                                                       LXT_Bool};

bool lxL_dtype_of(lx_State *L, lx_Value type, nn_dtype *out)
{
    if (!lxO_is(type, LXO_TYPE)) return false;
    lxO_type *t = lxO_as(lxO_type, type);
    for (int d = 0; d < NN_NUM_DTYPES; d++)
        if (d != NN_I32 && t == L->T[dtype_types[d]]) {
            *out = (nn_dtype)d;
            return true;
        }
    /* Int32 is not a built-in type of the interpreter; it is a global made here */
    lx_Value i32 = lxG_get(L, "Int32");
    if (lxO_is(i32, LXO_TYPE) && lxO_as(lxO_type, i32) == t) {
        *out = NN_I32;
        return true;
    }
    return false;
}

lx_Value lxL_dtype_type(lx_State *L, nn_dtype t)
{
    if (t == NN_I32) return lxG_get(L, "Int32");
    return lxO_obj(L->T[dtype_types[t]]);
}

int lxL_shape(lx_State *L, lx_Value *args, int n, int64_t *shape, const char *fname)
{
    if (n == 1 && lxO_is(args[0], LXO_TUPLE)) {
        lxO_tuple *t = lxO_as(lxO_tuple, args[0]);
        return lxL_shape(L, t->items, t->n, shape, fname);
    }
    if (n > NN_MAX_DIMS)
        lxE_error(L, LXT_ArgumentError, "%s: at most %d dimensions, got %d", fname, NN_MAX_DIMS, n);
    int64_t total = 1;
    for (int i = 0; i < n; i++) {
        if (args[i].tag != LX_TINT)
            lxE_error(L, LXT_TypeError, "%s: size %d must be an integer, got a value of type %s", fname,
                      i + 1, lxT_name(lxT_typeof(L, args[i])));
        int64_t d = args[i].v.i;
        if (d < 0)
            lxE_error(L, LXT_ArgumentError, "%s: invalid size %lld in dimension %d", fname, (long long)d,
                      i + 1);
        if (d > 0 && total > INT64_MAX / 16 / d)
            lxE_error(L, LXT_ArgumentError, "%s: the element count of a %s tensor overflows", fname,
                      n == 1 ? "vector" : "multi-dimensional");
        total *= d;
        shape[i] = d;
    }
    return n;
}

void lxL_liftcheck(lx_State *L, const char *what)
{
    if (L->bcast_mode > 0)
        lxE_error(L, LXT_ArgumentError, "%s has no elementwise meaning inside a broadcast f.(x)", what);
}

void lxL_open_tensor(lx_State *L)
{
    /* Int32 joins the number types for tensors of that element type */
    lx_Value sig = lxG_get(L, "Signed");
    if (!lxO_is(lxG_get(L, "Int32"), LXO_TYPE) && lxO_is(sig, LXO_TYPE)) {
        lxO_type *t = lxT_new(L, lxS_cstr(L, "Int32"), lxO_as(lxO_type, sig), false);
        t->builtin = true;
        lxG_set(L, "Int32", lxO_obj(t));
    }
    lxL_setdoc(
        L, "Tensor",
        "    Tensor\n\nAn n-dimensional array of `Float32` (the default), `Float64`, `Int32`, `Int64` or "
        "`Bool` elements, column-major and 1-based as Julia's arrays, with the batch dimension last. "
        "Literals make them (`[1.0, 2.0]`, `Float32[1 2; 3 4]`), as do `zeros`, `ones`, `fill`, `rand` and "
        "`randn`; arithmetic, broadcasting, indexing and reductions work as on Julia arrays, and `gradient` "
        "differentiates through them.\n\n# Returns\n`Tensor` is the type; its constructor `Tensor(xs)` "
        "returns a new vector of the numbers of a List, Tuple or Range (by the literal rule: Int64, Bool, or "
        "Float32 when a float is among them), or a copy of a tensor.\n\n# Examples\n```\nlx> x = [1.0, 2.0, "
        "3.0];\n\nlx> x isa Tensor\ntrue\n\nlx> eltype(x)\nFloat32\n```");
}
