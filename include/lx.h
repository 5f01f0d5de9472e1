/* lx.h — the one header a host includes to embed lx (as lua.h, lauxlib.h
 * and lualib.h together are for Lua).  Every call is protected and returns a
 * status; nothing exits, and two states never see each other.
 *
 * Sections: states (allocation and output hooks, limits, the libraries a
 * state opens), running code, errors and interrupts, values on the state's
 * stack, references, calls, C functions, C layers, and what the REPL uses.
 *
 * Values travel through a stack per state, as in Lua: push functions put a
 * value on top, index 1 is the bottom, -1 the top.  Inside a C function the
 * stack holds only that call's arguments (1 .. lx_gettop) and what the
 * function pushes.  A value on the stack, or held by a reference, stays
 * alive; anything read from it (a string's bytes, a tensor's data) is valid
 * while it does.
 *
 * Threads: a state belongs to one thread at a time (no two calls on one state may overlap;
 * a host that moves a state between threads orders the calls itself, with a mutex or a join).
 * Any number of states may run at once in as many threads, each on its own: they share only the
 * process-wide pool of kernel threads (LX_NUM_THREADS), which a state finding it busy does
 * without, running its kernels itself.  The one call that may come from another thread while
 * a state runs is lx_interrupt.  Open and close states from any thread; the process's
 * environment (ENV) is read when a state opens, so a host sets variables before that.
 */
#ifndef LX_H
#define LX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LX_VERSION "0.1.0"

typedef struct lx_State lx_State;

/* realloc-style allocator: nsize == 0 frees ptr (and returns NULL);
 * otherwise returns a block of nsize bytes (ptr's contents kept up to osize)
 * or NULL, which lx turns into an OutOfMemoryError. */
typedef void *(*lx_Alloc)(void *ud, void *ptr, size_t osize, size_t nsize);

/* Where printed text goes: stream 1 is stdout, 2 is stderr. */
typedef void (*lx_Writer)(void *ud, int stream, const char *s, size_t n);

typedef struct {
    lx_Alloc alloc; /* NULL: the C library's realloc/free */
    void *alloc_ud;
    /* bytes lx may hold through alloc, and separately bytes of tensor data; 0: none */
    size_t memory_limit;
    lx_Writer writer;    /* NULL: the C library's stdout and stderr */
    void *writer_ud;
    /* VM instructions one run (lx_dostring, lx_dofile, lx_call, ...) may
     * execute before it stops with LX_ERRLIMIT; 0: none (lx_setinstructionlimit) */
    uint64_t instruction_limit;
} lx_Config;

typedef enum {
    LX_OK = 0,
    LX_ERRRUN,    /* an uncaught lx exception */
    LX_ERRSYNTAX, /* a ParseError */
    LX_ERRMEM,    /* OutOfMemoryError */
    LX_ERRINTERRUPT,
    LX_EXIT,    /* the code called exit(code): lx_exitcode gives the code */
    LX_ERRLIMIT /* the run reached the state's instruction limit */
} lx_Status;

/* A new state, or NULL when even that much memory is not to be had. */
lx_State *lx_open(const lx_Config *config);
void lx_close(lx_State *L);
/* Bytes the state holds through its allocator. */
size_t lx_memory_in_use(const lx_State *L);

/* Opens the standard libraries (the built-ins, the modules lx knows and
 * the prelude) in a state made by lx_open, with every access granted. */
lx_Status lx_openlibs(lx_State *L);

/* What a state's code may reach outside itself.  Without LX_LIB_FILES, every
 * built-in that opens, reads, writes, lists or removes a file or names one in
 * the file system (open; read, readline, readlines, eachline and write given a
 * path; isfile, isdir, ispath, filesize, readdir, mkdir, mkpath, rm, pwd,
 * abspath, homedir, tempdir, tempname; save, load, read_csv, read_idx,
 * read_npy, write_npy, load_digits, load_iris) raises an IOError such as
 * "open: this lx state has no file access (the host did not grant it)";
 * without LX_LIB_ENV, reading ENV raises one (and LX_DATA_DIR is not
 * consulted); without LX_LIB_INCLUDE, include does.  The language, IOBuffers,
 * the path functions that work on text alone (joinpath, basename, ...),
 * include_string, sleep, the tensors, the layers and training are always
 * there.  An untrusted script also needs limits: see lx_setinstructionlimit,
 * lx_setmemorylimit, and lx_interrupt for time. */
enum {
    LX_LIB_FILES = 1u << 0,
    LX_LIB_ENV = 1u << 1,
    LX_LIB_INCLUDE = 1u << 2,
    LX_LIB_ALL = LX_LIB_FILES | LX_LIB_ENV | LX_LIB_INCLUDE,
    LX_LIB_SAFE = 0 /* for untrusted code */
};
/* lx_openlibs with only the access in `grant` (LX_LIB_ flags). */
lx_Status lx_openselectedlibs(lx_State *L, unsigned grant);

/* Sets the instruction limit (0: none) for the runs that follow.  Each run the
 * host starts (lx_dostring, lx_dofile, lx_doline, lx_call, lx_help; not a C
 * function's calls back into lx, which share their run's) may execute about n
 * VM instructions: they are counted at the VM's safe points, a loop's whole
 * body at each pass and 1 for each call, so a stretch of straight-line code
 * between them may pass n by its length.  Then the run stops with LX_ERRLIMIT
 * and "instruction limit of n reached": no try, catch or finally in lx sees
 * it (as for exit), and the state is usable for the next run.  The layers'
 * library, loaded on first use, is not counted.  Time spent inside one
 * built-in (a large matrix product) is not bounded by it: a host bounds
 * wall time with lx_interrupt from a watchdog thread. */
void lx_setinstructionlimit(lx_State *L, uint64_t n);
/* Sets the memory limit in bytes (0: none), for the interpreter's memory
 * (counted through the allocator) and for tensor data (held by the tensor
 * core's pool), each up to `bytes`.  A run that needs more fails with
 * LX_ERRMEM ("OutOfMemoryError: ...") and the state goes on; a state already
 * above the limit keeps what it holds and fails its next allocation. */
void lx_setmemorylimit(lx_State *L, size_t bytes);

/* Runs source code (chunk names it in messages and stack traces). */
lx_Status lx_dostring(lx_State *L, const char *src, size_t len, const char *chunk);
/* Runs a file: a missing or unreadable file is an error status, not a crash. */
lx_Status lx_dofile(lx_State *L, const char *path);
/* Runs code and, when it is an expression with a value other than nothing,
 * writes that value's display to stdout (the REPL's echo). */
lx_Status lx_doline(lx_State *L, const char *src, size_t len, const char *chunk, int echo);
/* Whether src is an incomplete input (an open block, bracket or string). */
int lx_incomplete(lx_State *L, const char *src, size_t len);

/* After an error status: "Type: message" (valid until the next call). */
const char *lx_errmsg(const lx_State *L);
/* After an error status: the stack trace, one " [k] f at file:line" per line. */
const char *lx_traceback(const lx_State *L);
/* After LX_EXIT: the code given to exit (0 to 255).  The state stays usable:
 * exit only ends the code that called it; leaving is the host's choice. */
int lx_exitcode(const lx_State *L);

/* Asks the running code to stop with an InterruptException at its next
 * call or loop iteration (a long tensor kernel stops between its blocks):
 * the run returns LX_ERRINTERRUPT unless the code catches it.  Safe from a
 * signal handler or another thread, while the state runs or not (an
 * interrupt asked between runs stops the next run at its first call or
 * loop), but not once lx_close has begun. */
void lx_interrupt(lx_State *L);

/* Sets the global ARGS (the script's arguments) and PROGRAM_FILE. */
lx_Status lx_setargs(lx_State *L, const char *program, int argc, const char *const *argv);

/* ---- values on the stack ---- */

typedef enum {
    LX_VNONE = -1, /* an index with no value */
    LX_VNOTHING,
    LX_VBOOL,
    LX_VINT,   /* Int64 (and Int32) */
    LX_VFLOAT, /* Float64 or Float32 */
    LX_VSTRING,
    LX_VSYMBOL,
    LX_VTUPLE,
    LX_VNAMEDTUPLE,
    LX_VTENSOR,
    LX_VFUNCTION, /* a function, a C function, a type or a layer (anything callable) */
    LX_VOTHER     /* a struct, a Dict, a list, a module, ... */
} lx_Type;

/* Element types of tensors. */
typedef enum { LX_FLOAT32, LX_FLOAT64, LX_INT32, LX_INT64, LX_BOOL } lx_DType;

#define LX_MAX_DIMS 16

/* The stack holds at most 1,000,000 values: a push past that fails with
 * LX_ERRMEM.  An index outside the current frame (0, above the top, below
 * its bottom) is no value: readers give LX_VNONE, NULL or *ok = 0, and
 * functions that take a value from it return a BoundsError status. */

/* Index of the top value (the count of values in the current frame). */
int lx_gettop(const lx_State *L);
/* Pops to idx values (idx <= lx_gettop; a negative idx counts from the top).
 * An idx above the top changes nothing; popping past the frame's bottom
 * leaves the frame empty. */
void lx_settop(lx_State *L, int idx);
#define lx_pop(L, n) lx_settop(L, -(n)-1)
/* Pushes a copy of the value at idx. */
lx_Status lx_pushvalue(lx_State *L, int idx);

/* The kind of the value at idx (a struct whose type is a Lux layer is
 * LX_VFUNCTION: it is called as model(x, ps, st)). */
lx_Type lx_type(const lx_State *L, int idx);
/* The lx type's name of the value at idx ("Float32", "Dense", "Tuple"),
 * or "none" for an index with no value. */
const char *lx_typename(lx_State *L, int idx);

/* Pushing fails only for memory (LX_ERRMEM, with lx_errmsg set), or for a
 * bad argument (NULL bytes with a length, a NULL name: LX_ERRRUN). */
lx_Status lx_pushnothing(lx_State *L);
lx_Status lx_pushbool(lx_State *L, int b);
lx_Status lx_pushint(lx_State *L, int64_t n);
lx_Status lx_pushfloat(lx_State *L, double x); /* a Float64 */
lx_Status lx_pushfloat32(lx_State *L, float x);
lx_Status lx_pushstring(lx_State *L, const char *s, size_t len); /* copies; need not end in 0 */
lx_Status lx_pushsymbol(lx_State *L, const char *name);
/* Pops n values and pushes the tuple of them (the deepest first).  An n
 * below 0 or above lx_gettop is a BoundsError status. */
lx_Status lx_maketuple(lx_State *L, int n);
/* Pops n values and pushes the named tuple (names[0] = deepest, ...).  A
 * NULL or repeated name is an ArgumentError status (the values stay). */
lx_Status lx_makenamedtuple(lx_State *L, int n, const char *const *names);

/* Reading values: *ok (may be NULL) says whether the value had the type. */
int lx_tobool(lx_State *L, int idx, int *ok);
int64_t lx_toint(lx_State *L, int idx, int *ok);   /* an integer, or a float with an integer value */
double lx_tonumber(lx_State *L, int idx, int *ok); /* any real number */
/* A String's (or a Symbol's) bytes, 0-terminated, or NULL. */
const char *lx_tostring(lx_State *L, int idx, size_t *len);

/* Elements of tuples and named tuples (and fields of structs). */
/* The number of elements, as length gives it, of a tuple, named tuple,
 * list, string (characters), Dict, range or tensor; a struct's number of
 * fields; or -1. */
int64_t lx_len(lx_State *L, int idx);
/* Pushes element i (1-based) of a tuple, named tuple or list (out of range:
 * a BoundsError status); any other value is indexed as getindex(x, i). */
lx_Status lx_getindex(lx_State *L, int idx, int64_t i);
/* Pushes the field `name` of a named tuple or struct (ps.layer_1), or a
 * module's member; a missing field is a FieldError status naming those
 * there are. */
lx_Status lx_getfield(lx_State *L, int idx, const char *name);
/* The name of field i (1-based) of a named tuple or struct, or NULL. */
const char *lx_fieldname(lx_State *L, int idx, int64_t i);

/* Globals: pushes the value of a global (an UndefVarError status when it has
 * none); pops the top into a global (a `const` one keeps its value: an
 * error status). */
lx_Status lx_getglobal(lx_State *L, const char *name);
lx_Status lx_setglobal(lx_State *L, const char *name);

/* ---- tensors ---- */

/* Called once lx no longer uses a borrowed buffer (the last tensor viewing
 * it died, or lx_close). */
typedef void (*lx_Release)(void *ud, void *data);

/* Pushes a tensor of shape[0] x ... x shape[ndim-1] made from a host buffer
 * in lx's order (column-major: the first index varies fastest).  Copies the
 * elements (data NULL: zeros). */
lx_Status lx_pushtensor(lx_State *L, lx_DType dtype, int ndim, const int64_t *shape, const void *data);
/* The same without a copy: the tensor uses data in place (writes in lx show
 * in the host's buffer) until release(ud, data) says lx is done with it
 * (release may be NULL).  data must be aligned for its dtype and stay valid
 * until then.  On failure release is called at once.  release runs once,
 * when the collector frees the last tensor on the buffer (views share it;
 * copies and results do not) or at lx_close: it must not call into lx.
 * A bad dtype, ndim (0 .. LX_MAX_DIMS) or shape (negative sizes, a count
 * past memory) is an ArgumentError status. */
lx_Status lx_pushtensor_borrow(lx_State *L, lx_DType dtype, int ndim, const int64_t *shape, void *data,
                               lx_Release release, void *ud);

typedef struct {
    lx_DType dtype;
    int ndim;
    int64_t shape[LX_MAX_DIMS];
    int64_t numel;
    void *data; /* numel elements, column-major, no copy: valid while the value lives */
} lx_Tensor;
/* Whether the value at idx is a tensor in CPU memory; if so fills *t. */
int lx_totensor(lx_State *L, int idx, lx_Tensor *t);

/* ---- references: values the host keeps across calls ---- */

/* Pops the top value and returns a handle (> 0) that keeps it alive, or 0
 * when out of memory (the value is popped either way) or the frame is
 * empty.  lx_unref frees a handle for reuse (a handle not live: no-op). */
int lx_ref(lx_State *L);
/* Pushes the value of a handle (LX_ERRRUN for a handle that is not live). */
lx_Status lx_getref(lx_State *L, int ref);
void lx_unref(lx_State *L, int ref);

/* ---- calls ---- */

/* Calls the function at -(nargs+1) with the nargs values above it (Julia's
 * dispatch picks the method; a value that is not a function is called as
 * lx calls it, through apply); pops them all and pushes the result.  On an
 * error pops them and pushes nothing: lx_errmsg and lx_traceback tell.  The
 * collector may run during the call; it keeps everything on the stack and
 * every reference.  Fewer than nargs + 1 values is a BoundsError status. */
lx_Status lx_call(lx_State *L, int nargs);
/* The same with keyword arguments: a named tuple on top, above the nargs
 * positional arguments (f(x; dims = 1)). */
lx_Status lx_callkw(lx_State *L, int nargs);

/* ---- C functions ---- */

/* A function written in C: its arguments are at 1 .. lx_gettop(L); it pushes
 * its result and returns 1, or returns 0 for `nothing` (any other return, or
 * 1 with nothing pushed, is an error naming the function).  ud is the
 * pointer given at registration.  It may call lx_call, lx_dostring and the
 * rest of the API (their errors come back to it as statuses; an exit() in a
 * nested call still ends the code when the function returns).  It shows in
 * stack traces by its name. */
typedef int (*lx_CFunction)(lx_State *L, void *ud);

/* Adds fn as a method of the global function `name` (made if new).  sig is
 * the method's signature as lx writes it, "(x::Tensor, n::Integer)" or
 * "(a, b)", which gives its arity and the types it dispatches on (NULL: any
 * one argument); doc is its docstring (Markdown, shown by `?name`; may be NULL).
 * Keyword arguments in sig ("(x; scale = 1.0)") arrive in the named tuple
 * lx_kwargs pushes; optional positionals ("(x, n = 2)") make lx_gettop vary.
 * An existing function (a built-in such as `show` too) gets one more method,
 * chosen by dispatch next to its lx methods; a method with the very same
 * signature is replaced.  A name that holds a value other than a function or
 * type, a type in sig that does not exist, or a sig that is not one list in
 * parentheses is an ArgumentError status. */
lx_Status lx_register(lx_State *L, const char *name, const char *sig, lx_CFunction fn, void *ud,
                      const char *doc);
/* Inside a C function: pushes the call's keywords (a named tuple, empty when none). */
lx_Status lx_kwargs(lx_State *L);
/* Inside a C function: raises an lx exception of the named type
 * ("ArgumentError", "DimensionMismatch", ..., or an exception struct the
 * code defined; NULL: ErrorException) with a printf-style message, and does
 * not return: the exception goes to the nearest `try` around the call, or
 * comes back to the host as lx_call's error status.  Write it as
 * `return lx_error(L, ...)`.  Outside a C function there is nothing to
 * unwind: it only sets lx_errmsg and returns LX_ERRRUN. */
int lx_error(lx_State *L, const char *type, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* ---- C layers ---- */

/* A Lux layer type written in C.  `HostScale(args...; kw...)` makes a layer
 * (a struct under AbstractLuxLayer) whose fields are the constructor's
 * parameters, in the order sig gives them; the constructor checks the types
 * sig declares and fills its defaults.  The layer works inside Chain and
 * with setup, apply, gradient, freeze and the training API, and shows as
 * `HostScale(3, 4, 1.0)` (its field values).  Each callback finds its
 * arguments on the stack and pushes its results, which are the top values of
 * its stack when it returns 0 (or it raises with lx_error):
 *   init:     1 layer, 2 rng                  -> the parameters, a NamedTuple of tensors
 *                                                (NULL: no parameters)
 *   states:   1 layer, 2 rng                  -> the states, a NamedTuple (NULL: none)
 *   apply:    1 layer, 2 x, 3 ps, 4 st        -> y (the layer returns (y, st): the states
 *                                                pass through unchanged)
 *   backward: 1 layer, 2 x, 3 ps, 4 st, 5 dy  -> dx, then dps (a NamedTuple with the
 *                                                names of ps, each a tensor of its
 *                                                parameter's size or nothing; dx or dps
 *                                                may be nothing: no gradient)
 * Under gradient, a layer with backward runs apply on untracked aliases of x
 * and ps (plain tensors; y must be a float tensor) and backward supplies the
 * gradients when the backward pass reaches the layer (x, ps and st are kept
 * for it until then); with backward NULL, apply must compute y with lx calls
 * (lx_call of `*`, `tanh`, ...), which are differentiated as usual.  An error
 * a callback raises comes back with the layer and the callback in its message
 * ("HostScale's apply callback: ..."); from backward, `gradient` raises it.
 * The strings in the lx_Layer are copied; name is a new lx name (a letter or
 * _, then letters, digits, _ or !), sig a parenthesised parameter list of
 * plain names (NULL: "()"), apply is required. */
typedef struct {
    const char *name; /* the type, a valid lx name */
    const char *sig;  /* the constructor, "(in_dims::Integer, out_dims::Integer; scale = 1.0)" */
    const char *doc;  /* the type's docstring (`?HostScale`), or NULL */
    int (*init)(lx_State *L, void *ud);
    int (*states)(lx_State *L, void *ud);
    int (*apply)(lx_State *L, void *ud);
    int (*backward)(lx_State *L, void *ud);
    void *ud; /* given to every callback */
} lx_Layer;
/* Defines the type and its methods (initialparameters, initialstates,
 * apply); an ArgumentError status for a name already defined or not a name,
 * a signature that is not one parameter list, or no apply. */
lx_Status lx_registerlayer(lx_State *L, const lx_Layer *layer);

/* ---- for interactive front ends (the lx REPL is one) ---- */

/* Whether help text uses terminal colours and bold (off by default; the
 * REPL turns it on for a terminal without NO_COLOR). */
void lx_setcolor(lx_State *L, int on);
int lx_getcolor(const lx_State *L);

/* Prints the help for what was typed after `?` at the prompt (a name, a
 * qualified name such as `Lux.Dense`, a macro such as `@debug_mode`, a
 * keyword, an operator, a call or a value), rendered for the terminal; an
 * unknown name lists the closest names and the docstrings that mention it
 * (and is LX_OK).  A topic that does not parse (LX_ERRSYNTAX) or whose value
 * cannot be computed (LX_ERRRUN, LX_ERRINTERRUPT …) is reported by lx_help
 * itself, as `ERROR: …` on stderr, and lx_errmsg has the message. */
lx_Status lx_help(lx_State *L, const char *topic, size_t len);

/* Receives one completion candidate: the whole text that replaces the word. */
typedef void (*lx_Completion)(void *ud, const char *candidate, size_t len);

/* Offers the completions of word (the text before the cursor, back to the
 * last blank or operator): global names, keywords and macros, a module's
 * members after `Lux.`, the fields of a named tuple or struct after `ps.`;
 * with helpmode also the help topics.  Each goes to add, sorted and without
 * repeats; returns how many there were.  Runs no user code. */
int lx_complete(lx_State *L, const char *word, size_t len, int helpmode, lx_Completion add, void *ud);

#ifdef __cplusplus
}
#endif
#endif
