/* object.h — values and heap objects.  A value is a tag and an 8-byte
 * payload (Lua's TValue): nothing, Bool, Int64, Float64, Float32 and Symbol
 * unboxed (a symbol points at its interned name), everything else a pointer
 * to a GC object.  Every GC object starts with lxO_header: its kind for the
 * collector, its lx type for dispatch, and its link on the state's `allgc`.
 */
#ifndef LX_OBJECT_H
#define LX_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    LX_TNOTHING,
    LX_TBOOL,
    LX_TINT,
    LX_TFLOAT64,
    LX_TFLOAT32,
    LX_TSYMBOL, /* v.o is the interned lxO_string of the name */
    LX_TUNDEF,  /* an unassigned global or local: never a user-visible value */
    LX_TOBJECT, /* the object's kind and type are in its header */
    LX_NUM_TAGS
} lxO_tag;

typedef enum {
    LXO_STRING,
    LXO_TUPLE,
    LXO_NTUPLE, /* named tuple */
    LXO_LIST,
    LXO_DICT,
    LXO_RANGE,
    LXO_PROTO,   /* compiled function body */
    LXO_CLOSURE, /* proto + captured boxes */
    LXO_BOX,     /* a captured variable */
    LXO_GENERIC, /* generic function: name + methods */
    LXO_TYPE,    /* a datatype (concrete or abstract) */
    LXO_STRUCT,  /* instance of a struct type (also exceptions, Pair) */
    LXO_MODULE,
    LXO_IO,
    LXO_TENSOR, /* one reference to an nn_tensor */
    LXO_CDATA,  /* C-owned bytes of a built-in type (an RNG's state) */
    LXO_NUM_KINDS
} lxO_kind;

struct lxO_type;

typedef struct lxO_header {
    struct lxO_header *next; /* allgc */
    struct lxO_type *type;   /* the lx type, for typeof and dispatch */
    uint8_t kind;            /* lxO_kind */
    uint8_t marked;
} lxO_header;

typedef struct {
    uint8_t tag; /* lxO_tag */
    union {
        bool b;
        int64_t i;
        double d;
        float f;
        lxO_header *o;
    } v;
} lx_Value;

/* An immutable string, interned (one object per content per state), so that
 * equality of strings, names and symbols is a pointer compare. */
typedef struct lxO_string {
    lxO_header hdr;
    struct lxO_string *hnext; /* the intern table's chain */
    uint32_t hash;
    int32_t gidx; /* index of the global of this name, -1 if none */
    size_t len;
    char data[]; /* len bytes, then a NUL */
} lxO_string;

typedef struct {
    lxO_header hdr;
    int n;
    lx_Value items[];
} lxO_tuple;

/* Named tuple: names (symbols) and values side by side. */
typedef struct {
    lxO_header hdr;
    int n;
    lxO_string **names; /* points just after vals */
    lx_Value vals[];
} lxO_ntuple;

typedef struct {
    lxO_header hdr;
    size_t n, cap;
    lx_Value *items;
} lxO_list;

/* Insertion-ordered hash table (Python's layout): entries in order, an
 * open-addressing index of positions; deleted entries are tombstones
 * (tag LX_TUNDEF key) until the next rebuild. */
typedef struct {
    lx_Value key, val;
    uint32_t hash;
} lxO_dentry;

typedef struct {
    lxO_header hdr;
    size_t n, used, cap; /* live entries, entries used (with tombstones), capacity */
    lxO_dentry *entries;
    int32_t *index; /* 2*cap slots, -1 empty */
} lxO_dict;

/* start:step:stop over Int64 or Float64 (Julia's UnitRange/StepRange/StepRangeLen). */
typedef struct {
    lxO_header hdr;
    bool isfloat;
    int64_t len;
    union {
        int64_t i;
        double d;
    } start, step;
} lxO_range;

typedef struct lxO_box {
    lxO_header hdr;
    lx_Value v;
} lxO_box;

typedef struct lxO_proto lxO_proto;

typedef struct {
    lxO_header hdr;
    lxO_proto *p;
    int nup;
    lxO_box *up[];
} lxO_closure;

/* A C built-in: args[0..nargs-1] on the VM stack; kw is a named tuple or
 * nothing.  Returns the result; raises with lxE_ functions.  A built-in that
 * calls back into lx must keep the values it still needs rooted (lxV_root). */
typedef struct lx_State lx_State;
typedef lx_Value (*lxO_cfunction)(lx_State *L, lx_Value *args, int nargs, lx_Value kw);

typedef struct {
    struct lxO_type **types; /* one per declared positional parameter (NULL: Any) */
    int nreq, nopt;          /* required and optional positional parameters */
    bool vararg;             /* the last parameter collects the rest */
    bool kwany;              /* accepts any keyword (kw... or a C built-in) */
    int nkw;
    lxO_string **kwnames; /* the keywords it accepts */
    lxO_closure *fn;      /* lx method, or */
    lxO_cfunction cfn;    /* C built-in */
    lx_Value data;        /* for cfn: read through L->cself while it runs */
    lxO_string *doc;      /* docstring (or NULL) */
    lxO_string *sig;      /* the signature as written, for MethodError and help */
    int line;
    lxO_string *file;
} lxO_method;

typedef struct lxO_generic {
    lxO_header hdr;
    lxO_string *name;
    lxO_string *doc; /* function-level docstring (first docstring given) */
    int n, cap;
    lxO_method *methods;
    uint32_t version; /* bumped when a method is added: invalidates call-site caches */
    bool elementwise; /* its tensor methods act elementwise when f.(x) runs on whole tensors (stdlib) */
    int16_t nnop;     /* stdlib's mark: the tensor op it is on float tensors (0: none) */
    bool bydims;      /* a method takes AbstractVector/AbstractMatrix: a tensor's ndims decides, not its type */
} lxO_generic;

typedef struct lxO_type {
    lxO_header hdr;
    lxO_string *name;
    struct lxO_type *super;
    bool abstract, mutable_, builtin;
    int depth; /* distance from Any */
    int nfields;
    lxO_string **fields;
    struct lxO_type **ftypes; /* NULL: Any */
    lxO_generic *ctor;        /* calling the type; NULL until a constructor exists */
    lxO_string *doc;
    lx_Value extra; /* per-type data (AbstractLuxContainerLayer{(:a, :b)} field names) */
    lx_Value curly; /* what T{p} calls, when set (StatefulLuxLayer{false}); else nothing */
} lxO_type;

typedef struct {
    lxO_header hdr; /* hdr.type is the struct type */
    int n;
    lx_Value fields[];
} lxO_struct;

typedef struct {
    lxO_header hdr;
    lxO_string *name;
    lxO_string *doc;
} lxO_module;

typedef enum { LXIO_STDOUT, LXIO_STDERR, LXIO_BUFFER, LXIO_FILE } lxO_iokind;

typedef struct {
    lxO_header hdr;
    lxO_iokind io;
    void *fp; /* FILE* for LXIO_FILE */
    bool readable, writable, closed;
    char *buf; /* LXIO_BUFFER contents */
    size_t len, cap, pos;
    lxO_string *name;
} lxO_io;

struct nn_tensor;

typedef struct {
    lxO_header hdr;
    struct nn_tensor *t;
} lxO_tensor;

typedef struct {
    lxO_header hdr;
    size_t size;
    uint64_t data[]; /* size bytes, 8-aligned */
} lxO_cdata;

/* ---- value helpers -------------------------------------------------------------------- */

static inline lx_Value lxO_nothing(void)
{
    lx_Value v;
    v.tag = LX_TNOTHING;
    v.v.i = 0;
    return v;
}
static inline lx_Value lxO_bool(bool b)
{
    lx_Value v;
    v.tag = LX_TBOOL;
    v.v.i = 0;
    v.v.b = b;
    return v;
}
static inline lx_Value lxO_int(int64_t i)
{
    lx_Value v;
    v.tag = LX_TINT;
    v.v.i = i;
    return v;
}
static inline lx_Value lxO_f64(double d)
{
    lx_Value v;
    v.tag = LX_TFLOAT64;
    v.v.d = d;
    return v;
}
static inline lx_Value lxO_f32(float f)
{
    lx_Value v;
    v.tag = LX_TFLOAT32;
    v.v.i = 0;
    v.v.f = f;
    return v;
}
static inline lx_Value lxO_obj(void *o)
{
    lx_Value v;
    v.tag = LX_TOBJECT;
    v.v.o = (lxO_header *)o;
    return v;
}
static inline lx_Value lxO_sym(lxO_string *s)
{
    lx_Value v;
    v.tag = LX_TSYMBOL;
    v.v.o = &s->hdr;
    return v;
}
static inline bool lxO_is(lx_Value v, lxO_kind k)
{
    return v.tag == LX_TOBJECT && v.v.o->kind == k;
}
#define lxO_as(T, val) ((T *)(val).v.o)

#endif
