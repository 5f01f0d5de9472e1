/* state.h — the interpreter state (lxE_), its memory (lxM_) and protected
 * calls (lxD_).  Everything lx owns hangs off lx_State; errors inside
 * interp/ unwind with longjmp along the state's chain of handlers and come
 * back out of the public API as a status (Lua's luaD_throw / luaD_pcall).
 */
#ifndef LX_STATE_H
#define LX_STATE_H

#include "code.h"
#include "lx.h"
#include "object.h"

#include <setjmp.h>
#include <stdatomic.h>

typedef struct lxD_jmp {
    struct lxD_jmp *prev;
    jmp_buf buf;
    volatile lx_Status status;
} lxD_jmp;

/* The bits of lx_State.interrupt. */
enum { LXE_INTERRUPT = 1, LXE_COUNTING = 2 };

typedef struct {
    lxO_string **buckets;
    size_t size; /* a power of two */
    size_t count;
} lxS_table;

/* The built-in types, created by lx_open (type.c). */
#define LXT_TYPES(X)                                                                                         \
    X(Any)                                                                                                   \
    X(Nothing)                                                                                               \
    X(Bool)                                                                                                  \
    X(Number)                                                                                                \
    X(Real)                                                                                                  \
    X(Integer) X(Signed) X(AbstractFloat) X(Int64) X(Float64) X(Float32) X(Symbol) X(AbstractString)         \
        X(String) X(Tuple) X(NamedTuple) X(AbstractArray) X(AbstractVector) X(AbstractMatrix) X(List)        \
            X(AbstractDict) X(Dict) X(AbstractRange) X(Range) X(Function) X(Type) X(Module) X(IO) X(Pair)    \
                X(Exception) X(ErrorException) X(ArgumentError) X(DimensionMismatch) X(MethodError)          \
                    X(UndefVarError) X(BoundsError) X(DomainError) X(ParseError) X(IOError)                  \
                        X(OutOfMemoryError) X(StackOverflowError) X(AssertionError) X(KeyError)              \
                            X(InexactError) X(DivideError) X(TypeError) X(EOFError) X(InterruptException)    \
                                X(OverflowError) X(FieldError) X(Tensor) X(AbstractRNG) X(Undefined) X(Box)  \
                                    X(Proto)

typedef enum {
#define LXT_ENUM(name) LXT_##name,
    LXT_TYPES(LXT_ENUM)
#undef LXT_ENUM
        LXT_NUM
} lxT_builtin;

typedef struct {
    lxO_string *name;
    lx_Value v; /* LX_TUNDEF until assigned */
    bool isconst;
    bool deferred; /* defined by the deferred library: loading it defines this (lxG_defer) */
    lxO_string *doc;
    /* the module a built-in belongs to ("Lux", "Base": a static string, set as its library
     * opens, for completion after `Lux.`); NULL for a user's global */
    const char *module;
} lxG_global;

/* A call frame on the VM's frame stack.  cl == NULL marks a C built-in,
 * whose arguments (nargs values at base) the collector keeps alive. */
typedef struct {
    lxO_closure *cl;
    lx_Value *base;
    const uint32_t *pc; /* saved pc (the next instruction) */
    lx_Value *ret;      /* where the result goes */
    lx_Value kw;        /* the call's keywords: a named tuple or nothing */
    int nargs;
    int seg; /* the caller's segment and top, restored on return */
    lx_Value *top;
    int oseg;          /* the segment holding base */
    lxO_string *cname; /* C frame: the function's name, for stack traces */
} lxV_frame;

typedef struct {
    int frame; /* index of the frame that set it */
    const uint32_t *pc;
    int reg;
    int nexec;      /* the C-level execute it belongs to */
    int nroots;     /* lxV_root marks to restore */
    int bcast_mode; /* and the broadcast mode (an error may leave f.(x)'s run on whole tensors) */
} lxV_handler;

typedef struct {
    lx_Value *vals;
    size_t n;
} lxV_segment;

typedef struct {
    lxO_string *file, *func;
    int line;
} lxV_traceentry;

#define LXV_MAX_FRAMES 100000 /* lx call depth before StackOverflowError */
#define LXV_FBLOCK 256        /* frames per block */
#define LXV_MAX_CDEPTH 180    /* nested VM entries (C built-ins calling lx) */
#define LXV_TRACE_MAX 64
#define LXV_SEGMENT 32768      /* values per stack segment */
#define LXV_FIRST_SEGMENT 1024 /* values in the first one */

/* Functions the VM falls back to when an instruction's fast path does not apply. */
#define LXV_OPFNS(X)                                                                                         \
    X(add, "+")                                                                                              \
    X(sub, "-")                                                                                              \
    X(mul, "*")                                                                                              \
    X(div, "/")                                                                                              \
    X(pow, "^")                                                                                              \
    X(rem, "%") X(idiv, "÷") X(eq, "==") X(ne, "!=") X(lt, "<") X(le, "<=") X(not, "!")                      \
        X(getindex, "getindex") X(setindex, "setindex!") X(iterate, "iterate") X(apply, "apply")             \
            X(getproperty, "getproperty") X(setproperty, "setproperty!") X(lastindex, "lastindex")           \
                X(firstindex, "firstindex")

enum {
#define LXV_OPFN_ENUM(e, s) LXV_OP_##e,
    LXV_OPFNS(LXV_OPFN_ENUM)
#undef LXV_OPFN_ENUM
        LXV_NUM_OPFN
};

/* A macro expander: rewrites a MACROCALL node into ordinary syntax. */
struct lxA_node;
struct lxA_arena_s;
typedef struct lxA_node *(*lxK_macro)(lx_State *L, void *arena, struct lxA_node *call);

typedef struct {
    lxO_string *name;
    lxK_macro fn;
    lxO_string *doc;
    const char *module; /* as lxG_global's */
} lxK_macrodef;

struct lx_State {
    lx_Alloc alloc;
    void *alloc_ud;
    lx_Writer writer;
    void *writer_ud;
    bool color;      /* help text in terminal colours (lx_setcolor) */
    unsigned access; /* LX_LIB_ flags the host granted (lx_openselectedlibs); lxL_need checks them */
    bool exiting;    /* exit() is unwinding: no handler catches it, no finally runs (as Julia's exit) */
    int exitcode;
    uint64_t ilimit; /* VM instructions a run may execute (lx_setinstructionlimit); 0: none */
    int64_t budget;  /* what is left of it in this run, while `interrupt` has LXE_COUNTING */
    bool limit_hit;  /* the run used its budget: unwinding as exit does, past every handler */
    size_t total;     /* bytes held through alloc */
    size_t limit;     /* 0: none */
    size_t slack;     /* extra room while compiling, so a full state can still run `x = nothing` */
    lxD_jmp *errjmp;  /* innermost handler */
    char errmsg[512]; /* the last error's message, for the host */
    char *errtrace;   /* its stack trace (allocated) */
    size_t errtrace_len;
    char *errfull; /* the whole message, as showerror prints it (allocated) */
    size_t errfull_len;
    uint32_t seed;     /* string hashing */
    lxO_header *allgc; /* every GC object */
    lxS_table strings;
    /* LXE_INTERRUPT (lx_interrupt asked) | LXE_COUNTING (an instruction limit is on): the VM
     * polls this one word at its safe points, so a state with neither pays one load there */
    atomic_int interrupt;

    /* types, globals, macros */
    lxO_type *T[LXT_NUM];
    lxO_type *tagtype[LX_NUM_TAGS];
    lxG_global *globals;
    int nglobals, capglobals;
    lxK_macrodef *macros;
    int nmacros, capmacros;
    int gop[LXV_NUM_OPFN]; /* global indices of the functions operators fall back to */
    /* a library loaded on first use of a name it defines (lxG_defer): its names and loader */
    lxO_string **deferred;
    int ndeferred;
    void (*defer_load)(lx_State *L);
    lx_Value cself;    /* the running C built-in's method data */
    struct nn_ctx *nn; /* the tensor core's context: errors, pool, interrupt flag */
    /* stdlib's display of a tensor (full: the REPL's multi-line form) */
    void (*tensorshow)(lx_State *L, void *buf, lx_Value v, bool full);
    /* stdlib's printing of a struct with a user `show` method (true: done) */
    bool (*showhook)(lx_State *L, void *buf, lx_Value v);
    lx_Value current_file;

    /* the VM */
    lxV_frame **fblocks; /* frames in blocks that never move (C code keeps pointers to them) */
    int nfblocks;
    int nframes, capframes;
    lxV_segment *segs;
    int nsegs, seg;
    lx_Value *top; /* first free value of the current segment */
    lxV_handler *handlers;
    int nhandlers, caphandlers;
    int nexec;    /* C-level depth of lxV_execute */
    lx_Value exc; /* the exception being thrown */
    lxV_traceentry trace[LXV_TRACE_MAX];
    int ntrace;
    lx_Value *roots; /* values C code keeps across calls into lx (lxV_root) */
    int nroots, caproots;
    lx_Value oom; /* preallocated OutOfMemoryError */
    struct lxW_scratch {
        char *p;
        size_t cap;
        int depth;
    } * scratch; /* the text buffers in use (show.c) */
    int nscratch, capscratch;

    /* the collector */
    size_t gcdebt; /* bytes allocated since the last collection */
    size_t gcthreshold;
    lxO_header **gray;
    size_t ngray, capgray;
    /* every proto, so a collection checks their call caches without walking all objects */
    lxO_proto **protos;
    size_t nprotos, capprotos;
    bool gcrunning;
    lxO_header *tfree; /* spare tensor wrappers, reused so a training loop does not malloc per op */
    int ntfree;
    /* > 0 while f.(x) runs f once on whole tensors: * / ^ and scalar math act
     * elementwise, and ops with no elementwise meaning raise (stdlib/tensor.c) */
    int bcast_mode;

    /* the embedding API (api_stack.c): the host's stack of values, the frame of the host C
     * function running on it, and the values the host holds by reference */
    lx_Value *api;
    int apitop, apicap;
    int apibase;    /* the running host function's first argument (0 outside one) */
    int apidepth;   /* host functions running: lx_error raises only inside one */
    lx_Value apikw; /* the running host function's keywords (nothing: none) */
    bool apiexit;   /* a nested lx_call ended in exit(): the host function's return goes on exiting */
    lx_Value *refs; /* lx_ref handles - 1; a free slot is LX_TUNDEF with the next free handle in v.i */
    int nrefs, caprefs;
    int freeref; /* the first free handle, 0: none */
};

static inline lxV_frame *lxV_frameat(lx_State *L, int i)
{
    unsigned u = (unsigned)i; /* never negative: shifts, not a signed division */
    return &L->fblocks[u / LXV_FBLOCK][u % LXV_FBLOCK];
}

/* Raises `status` with a printf-style message: longjmps to the innermost
 * handler.  Only called inside lxD_pcall. */
void lxD_throw(lx_State *L, lx_Status status, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 3, 4)));
/* Runs f(L, ud) with a handler; LX_OK or the status it raised. */
lx_Status lxD_pcall(lx_State *L, void (*f)(lx_State *L, void *ud), void *ud);

/* Allocation through the state's hook, counted against its limit; raises
 * OutOfMemoryError on failure (never returns NULL for nsize > 0). */
void *lxM_realloc(lx_State *L, void *p, size_t osize, size_t nsize);
void lxM_free(lx_State *L, void *p, size_t size);
/* A realloc-style allocator over the state for the lexer and parser arenas:
 * returns NULL instead of raising (ud is the state). */
void *lxM_arena_alloc(void *ud, void *ptr, size_t osize, size_t nsize);
/* Writes to the host's output (stream 1 stdout, 2 stderr). */
void lxE_write(lx_State *L, int stream, const char *s, size_t n);

/* The interned string with these bytes (made on first use). */
lxO_string *lxS_new(lx_State *L, const char *s, size_t len);
lxO_string *lxS_cstr(lx_State *L, const char *s);
/* The intern table itself (the strings are freed with the other objects). */
void lxS_free_table(lx_State *L);
void lxS_remove(lx_State *L, lxO_string *s);

#endif
