/* type.c — the type lattice: the built-in types (spec §4) made when a state
 * opens, subtyping along single `super` links (Julia's tree without unions
 * or parameters), and the default constructor every struct type gets.
 */
#include "runtime.h"

#include "nn.h"

#include <string.h>

static const char *const builtin_names[LXT_NUM] = {
#define LXT_NAME(name) #name,
    LXT_TYPES(LXT_NAME)
#undef LXT_NAME
};

/* (type, supertype, abstract, fields separated by spaces) */
static const struct {
    lxT_builtin t, super;
    bool abstract;
    const char *fields;
} lattice[] = {
    {LXT_Any, LXT_Any, true, NULL},
    {LXT_Nothing, LXT_Any, false, NULL},
    {LXT_Number, LXT_Any, true, NULL},
    {LXT_Real, LXT_Number, true, NULL},
    {LXT_Integer, LXT_Real, true, NULL},
    {LXT_Signed, LXT_Integer, true, NULL},
    {LXT_Bool, LXT_Integer, false, NULL},
    {LXT_Int64, LXT_Signed, false, NULL},
    {LXT_AbstractFloat, LXT_Real, true, NULL},
    {LXT_Float64, LXT_AbstractFloat, false, NULL},
    {LXT_Float32, LXT_AbstractFloat, false, NULL},
    {LXT_Symbol, LXT_Any, false, NULL},
    {LXT_AbstractString, LXT_Any, true, NULL},
    {LXT_String, LXT_AbstractString, false, NULL},
    {LXT_Tuple, LXT_Any, false, NULL},
    {LXT_NamedTuple, LXT_Any, false, NULL},
    {LXT_AbstractArray, LXT_Any, true, NULL},
    {LXT_AbstractVector, LXT_AbstractArray, true, NULL},
    {LXT_AbstractMatrix, LXT_AbstractArray, true, NULL},
    {LXT_List, LXT_AbstractVector, false, NULL},
    {LXT_AbstractRange, LXT_AbstractVector, true, NULL},
    {LXT_Range, LXT_AbstractRange, false, NULL},
    {LXT_AbstractDict, LXT_Any, true, NULL},
    {LXT_Dict, LXT_AbstractDict, false, NULL},
    {LXT_Function, LXT_Any, false, NULL},
    {LXT_Type, LXT_Any, false, NULL},
    {LXT_Module, LXT_Any, false, NULL},
    {LXT_IO, LXT_Any, false, NULL},
    {LXT_Pair, LXT_Any, false, "first second"},
    {LXT_Exception, LXT_Any, true, NULL},
    {LXT_ErrorException, LXT_Exception, false, "msg"},
    {LXT_ArgumentError, LXT_Exception, false, "msg"},
    {LXT_DimensionMismatch, LXT_Exception, false, "msg"},
    {LXT_MethodError, LXT_Exception, false, "f args"},
    {LXT_UndefVarError, LXT_Exception, false, "var"},
    {LXT_BoundsError, LXT_Exception, false, "a i"},
    {LXT_DomainError, LXT_Exception, false, "val msg"},
    {LXT_ParseError, LXT_Exception, false, "msg"},
    {LXT_IOError, LXT_Exception, false, "msg"},
    {LXT_OutOfMemoryError, LXT_Exception, false, NULL},
    {LXT_StackOverflowError, LXT_Exception, false, NULL},
    {LXT_AssertionError, LXT_Exception, false, "msg"},
    {LXT_KeyError, LXT_Exception, false, "key"},
    {LXT_InexactError, LXT_Exception, false, "msg"},
    {LXT_DivideError, LXT_Exception, false, NULL},
    {LXT_TypeError, LXT_Exception, false, "msg"},
    {LXT_EOFError, LXT_Exception, false, NULL},
    {LXT_InterruptException, LXT_Exception, false, NULL},
    {LXT_OverflowError, LXT_Exception, false, "msg"},
    {LXT_FieldError, LXT_Exception, false, "msg"},
    {LXT_Tensor, LXT_AbstractArray, false, NULL},
    {LXT_AbstractRNG, LXT_Any, true, NULL},
    {LXT_Undefined, LXT_Any, false, NULL},
    {LXT_Box, LXT_Any, false, NULL},
    {LXT_Proto, LXT_Any, false, NULL},
};

_Static_assert(sizeof lattice / sizeof lattice[0] == LXT_NUM,
               "every built-in type has a place in the lattice");

static void set_fields(lx_State *L, lxO_type *t, const char *spec)
{
    int n = 1;
    for (const char *c = spec; *c; c++)
        n += *c == ' ';
    /* sized first, so a failure part-way leaves arrays the collector frees by nfields */
    t->fields = lxM_realloc(L, NULL, 0, (size_t)n * sizeof *t->fields);
    memset(t->fields, 0, (size_t)n * sizeof *t->fields);
    t->nfields = n;
    t->ftypes = lxM_realloc(L, NULL, 0, (size_t)n * sizeof *t->ftypes);
    memset(t->ftypes, 0, (size_t)n * sizeof *t->ftypes);
    const char *s = spec;
    for (int i = 0; *s; i++) {
        const char *e = strchr(s, ' ');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        t->fields[i] = lxS_new(L, s, len);
        s += len + (e != NULL);
    }
}

void lxT_init(lx_State *L)
{
    /* the objects first (String's type must exist before any name) */
    for (int i = 0; i < LXT_NUM; i++) {
        lxO_type *t = lxM_realloc(L, NULL, 0, sizeof *t);
        memset(t, 0, sizeof *t);
        t->hdr.kind = LXO_TYPE;
        t->hdr.next = L->allgc;
        L->allgc = &t->hdr;
        L->T[i] = t;
    }
    for (int i = 0; i < LXT_NUM; i++) {
        lxO_type *t = L->T[lattice[i].t];
        t->hdr.type = L->T[LXT_Type];
        t->super = lattice[i].t == LXT_Any ? NULL : L->T[lattice[i].super];
        t->abstract = lattice[i].abstract;
        t->builtin = true;
        t->extra = lxO_nothing();
        t->curly = lxO_nothing();
        t->name = lxS_cstr(L, builtin_names[lattice[i].t]);
        if (lattice[i].fields) set_fields(L, t, lattice[i].fields);
    }
    for (int i = 0; i < LXT_NUM; i++) {
        int d = 0;
        for (lxO_type *s = L->T[i]->super; s; s = s->super)
            d++;
        L->T[i]->depth = d;
    }
    L->tagtype[LX_TNOTHING] = L->T[LXT_Nothing];
    L->tagtype[LX_TBOOL] = L->T[LXT_Bool];
    L->tagtype[LX_TINT] = L->T[LXT_Int64];
    L->tagtype[LX_TFLOAT64] = L->T[LXT_Float64];
    L->tagtype[LX_TFLOAT32] = L->T[LXT_Float32];
    L->tagtype[LX_TSYMBOL] = L->T[LXT_Symbol];
    L->tagtype[LX_TUNDEF] = L->T[LXT_Undefined];
    L->tagtype[LX_TOBJECT] = L->T[LXT_Any];
    /* the names code uses: the types themselves, and Julia's aliases */
    for (int i = 0; i < LXT_NUM; i++)
        if (i != LXT_Undefined && i != LXT_Box && i != LXT_Proto) {
            int g = lxG_index(L, L->T[i]->name);
            L->globals[g].v = lxO_obj(L->T[i]);
            L->globals[g].isconst = true;
        }
    /* constructors for the built-in structs: Pair(a, b), ArgumentError("msg"), ... */
    for (int i = 0; i < LXT_NUM; i++)
        if (i == LXT_Pair || (!L->T[i]->abstract && lxT_subtype(L->T[i], L->T[LXT_Exception])))
            lxV_default_ctor(L, L->T[i]);
    lxG_set(L, "Int", lxO_obj(L->T[LXT_Int64]));
    lxG_set(L, "Vector", lxO_obj(L->T[LXT_List]));
    lxG_set(L, "DataType", lxO_obj(L->T[LXT_Type]));
}

lxO_type *lxT_new(lx_State *L, lxO_string *name, lxO_type *super, bool abstract)
{
    lxO_type *t = lxO_new(L, sizeof *t, LXO_TYPE, L->T[LXT_Type]);
    t->name = name;
    t->super = super ? super : L->T[LXT_Any];
    t->abstract = abstract;
    t->depth = t->super->depth + 1;
    t->extra = lxO_nothing();
    t->curly = lxO_nothing();
    return t;
}

bool lxT_subtype(const lxO_type *a, const lxO_type *b)
{
    if (!b || !b->super) return true; /* Any */
    for (; a; a = a->super)
        if (a == b) return true;
    return false;
}

bool lxT_isa(lx_State *L, lx_Value v, const lxO_type *t)
{
    if (lxT_subtype(lxT_typeof(L, v), t)) return true;
    /* a tensor is an AbstractVector or AbstractMatrix by its number of dimensions, as Julia's arrays */
    if (!lxO_is(v, LXO_TENSOR)) return false;
    int nd = lxO_as(lxO_tensor, v)->t->ndim;
    return (t == L->T[LXT_AbstractVector] && nd == 1) || (t == L->T[LXT_AbstractMatrix] && nd == 2);
}

const char *lxT_name(const lxO_type *t)
{
    return t && t->name ? t->name->data : "?";
}
