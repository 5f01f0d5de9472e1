/* runtime.h — the interpreter's internal interface: objects (lxO_), types
 * (lxT_), globals (lxG_), errors (lxE_), the collector (lxC_), dispatch
 * (lxF_), the VM (lxV_), the compiler (lxK_) and text output (lxW_).
 * stdlib/ builds on these; hosts see only include/lx.h.
 */
#ifndef LX_RUNTIME_H
#define LX_RUNTIME_H

#include "ast.h"
#include "code.h"
#include "state.h"

#include <stdarg.h>

/* ---- objects (value.c) ------------------------------------------------------------------ */

void *lxO_new(lx_State *L, size_t size, lxO_kind kind, lxO_type *type);
void lxO_free(lx_State *L, lxO_header *o);
lxO_tuple *lxO_tuple_new(lx_State *L, int n); /* items set to nothing */
lxO_ntuple *lxO_ntuple_new(lx_State *L, int n);
lxO_list *lxO_list_new(lx_State *L, size_t cap);
void lxO_list_push(lx_State *L, lxO_list *l, lx_Value v);
lxO_dict *lxO_dict_new(lx_State *L);
lx_Value *lxO_dict_get(lx_State *L, lxO_dict *d, lx_Value key); /* NULL when absent */
void lxO_dict_set(lx_State *L, lxO_dict *d, lx_Value key, lx_Value val);
bool lxO_dict_delete(lx_State *L, lxO_dict *d, lx_Value key);
lxO_range *lxO_range_int(lx_State *L, int64_t start, int64_t step, int64_t stop);
lxO_range *lxO_range_float(lx_State *L, double start, double step, double stop);
lx_Value lxO_range_at(const lxO_range *r, int64_t i); /* 0-based */
lxO_struct *lxO_struct_new(lx_State *L, lxO_type *t);
lxO_box *lxO_box_new(lx_State *L);
lxO_generic *lxO_generic_new(lx_State *L, lxO_string *name);
lxO_module *lxO_module_new(lx_State *L, lxO_string *name);
/* A tensor value owning one reference to t (released if the wrapper cannot be made). */
lx_Value lxO_tensor_new(lx_State *L, struct nn_tensor *t);
lxO_cdata *lxO_cdata_new(lx_State *L, lxO_type *type, size_t size);
lx_Value lxO_str(lx_State *L, const char *s, size_t n);
lx_Value lxO_cstr(lx_State *L, const char *s);
lx_Value lxO_pair(lx_State *L, lx_Value a, lx_Value b);
/* Index of a named tuple's field, -1 when absent. */
int lxO_ntuple_find(const lxO_ntuple *nt, const lxO_string *name);
/* Julia's == (numbers by value across types) and isequal/hash (for Dict keys). */
bool lxO_equal(lx_State *L, lx_Value a, lx_Value b);
bool lxO_isequal(lx_State *L, lx_Value a, lx_Value b);
bool lxO_egal(lx_Value a, lx_Value b); /* === */
uint32_t lxO_hash(lx_State *L, lx_Value v);
/* Numbers: whether v is one, and its value as a double / int. */
bool lxO_isnumber(lx_Value v);
double lxO_tonumber(lx_Value v);

/* ---- types (type.c) ----------------------------------------------------------------------- */

void lxT_init(lx_State *L);
static inline lxO_type *lxT_typeof(lx_State *L, lx_Value v)
{
    return v.tag == LX_TOBJECT ? v.v.o->type : L->tagtype[v.tag];
}
bool lxT_subtype(const lxO_type *a, const lxO_type *b);
bool lxT_isa(lx_State *L, lx_Value v, const lxO_type *t);
lxO_type *lxT_new(lx_State *L, lxO_string *name, lxO_type *super, bool abstract);
const char *lxT_name(const lxO_type *t);

/* ---- globals (value.c) -------------------------------------------------------------------- */

int lxG_index(lx_State *L, lxO_string *name); /* made (undefined) on first use */
int lxG_find(lx_State *L, lxO_string *name);  /* -1 when absent (or not yet loaded) */
/* A library whose globals come into being on first use of one of them (stdlib's Lux, which
 * costs more to compile than the rest of start-up): reading, assigning or defining any of
 * `names` first runs `load`. Names already defined are left alone (the library adds methods). */
void lxG_defer(lx_State *L, const char *const *names, int n, void (*load)(lx_State *L));
void lxG_load_deferred(lx_State *L);             /* runs the deferred loader now, if one is pending */
lx_Value lxG_get(lx_State *L, const char *name); /* LX_TUNDEF when absent */
void lxG_set(lx_State *L, const char *name, lx_Value v);
/* The module tag of the globals a step defines (a library opening): lxG_mark before it,
 * lxG_tag after it gives each global the step defined its module (see lxG_global). */
int lxG_mark(lx_State *L);
void lxG_tag(lx_State *L, int mark, const char *module);

/* ---- errors (error.c) --------------------------------------------------------------------- */

/* Throws the exception value: records the stack trace, unwinds to the
 * nearest try or protected call. */
void lxE_throw(lx_State *L, lx_Value exc) __attribute__((noreturn));
/* Throws a new exception of a built-in type with a formatted message. */
void lxE_error(lx_State *L, lxT_builtin type, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 3, 4)));
lx_Value lxE_new(lx_State *L, lxT_builtin type, const char *msg);
void lxE_undefvar(lx_State *L, lxO_string *name) __attribute__((noreturn));
void lxE_keyerror(lx_State *L, lx_Value key) __attribute__((noreturn));
void lxE_typeerror(lx_State *L, const char *ctx, const char *expected, lx_Value got)
    __attribute__((noreturn));
void lxE_methoderror(lx_State *L, lxO_generic *gf, lx_Value *args, int nargs) __attribute__((noreturn));
/* Raises the error an nn call left in the state's context (status != NN_OK). */
void lxE_nn(lx_State *L, int status) __attribute__((noreturn));
/* Checks the interrupt flag; throws InterruptException when set. */
void lxE_poll(lx_State *L);
/* A safe point of the VM (a loop's back edge, a call) found L->interrupt non-zero: charges cost
 * instructions to the run's budget when a limit is on (raising the limit's error once it is spent)
 * and polls for an interrupt. */
void lxE_safepoint(lx_State *L, int64_t cost);
/* An outermost run begins (the budget is full again) or ends (nothing is counted between runs). */
void lxE_startrun(lx_State *L);
void lxE_endrun(lx_State *L);

/* ---- the collector (gc.c) ---------------------------------------------------------------- */

void lxC_collect(lx_State *L);
static inline void lxC_check(lx_State *L)
{
    if (L->gcdebt > L->gcthreshold) lxC_collect(L);
}
void lxC_mark(lx_State *L, lx_Value v);

/* ---- dispatch (dispatch.c) ----------------------------------------------------------------- */

/* A method's types array has this many slots (positional + vararg + spare). */
#define LXF_NTYPES(m) ((size_t)((m)->nreq + (m)->nopt + 2))
void lxF_freemethod(lx_State *L, lxO_method *m);
/* Adds (or replaces, when the signature is the same) a method. */
void lxF_addmethod(lx_State *L, lxO_generic *gf, const lxO_method *m);
/* The most specific applicable method, or NULL (ambiguous sets *ambiguous). */
lxO_method *lxF_lookup(lx_State *L, lxO_generic *gf, lx_Value *args, int nargs, bool *ambiguous);
/* A method's signature as text: "f(x::Int, y)". */
size_t lxF_sigtext(lx_State *L, const lxO_generic *gf, const lxO_method *m, char *buf, size_t n);

/* ---- the VM (vm.c) --------------------------------------------------------------------------- */

/* Calls f (a function, closure or callable value) with nargs arguments and
 * keywords (a named tuple or nothing); returns its result. */
lx_Value lxV_call(lx_State *L, lx_Value f, lx_Value *args, int nargs, lx_Value kw);
/* Arithmetic on two numbers with lx's promotion (false: not both numbers). */
bool lxV_arith(lx_State *L, lxK_opcode op, lx_Value a, lx_Value b, lx_Value *out);
/* a < b (or <=) for numbers and strings; -1 when they do not compare here. */
int lxV_less(lx_Value a, lx_Value b, bool orequal);
/* lxV_call in protected mode: LX_OK and the result, or the status and the
 * exception in *result, with the VM's stacks back where they were. */
lx_Status lxV_pcall(lx_State *L, lx_Value f, lx_Value *args, int nargs, lx_Value kw, lx_Value *result);
/* A struct instance from field values (converted to the declared field types). */
lx_Value lxV_new_struct(lx_State *L, lxO_type *t, lx_Value *args, int nargs);
/* Gives t its default constructor T(fields...). */
void lxV_default_ctor(lx_State *L, lxO_type *t);
/* obj.name as the VM reads it (named tuples, structs, modules, a user's getproperty); a
 * FieldError naming the fields obj has otherwise. */
lx_Value lxV_getfield(lx_State *L, lx_Value obj, lxO_string *name);
/* Runs a compiled top-level chunk. */
lx_Value lxV_run(lx_State *L, lxO_proto *p);
/* Keeps values alive while C code calls into lx: push, then pop to a mark. */
int lxV_root(lx_State *L, lx_Value v);
void lxV_unroot(lx_State *L, int mark);
/* Stack trace of the current frames into L->trace. */
void lxV_traceback(lx_State *L);
lxO_closure *lxV_closure_new(lx_State *L, lxO_proto *p);
lxO_proto *lxV_proto_new(lx_State *L);
void lxV_proto_free(lx_State *L, lxO_proto *p);

/* ---- the compiler (compile.c) ---------------------------------------------------------- */

/* One top-level statement (or a whole tree, for include) to a proto. */
lxO_proto *lxK_compile(lx_State *L, lxA_arena *arena, lxA_node *stmt, lxO_string *file);
/* Lists a proto's bytecode on stderr (LX_DISASM=1 does it for every chunk). */
void lxK_disasm(lx_State *L, const lxO_proto *p, int depth);
void lxK_macro_register(lx_State *L, const char *name, lxK_macro fn, const char *doc);
const lxK_macrodef *lxK_macro_find(lx_State *L, const char *name);
/* Parses and runs src statement by statement; returns the last value. */
lx_Value lxK_dosource(lx_State *L, const char *src, size_t len, const char *chunk);
/* After a failed protected call at the outermost level: the host's message
 * and trace set, the VM's stacks reset; returns the status to report. */
lx_Status lxK_report(lx_State *L, lx_Status st);
/* The source text of a syntax tree, as Julia prints an expression. */
size_t lxA_unparse(const lxA_node *n, char *buf, size_t size);

/* After a failed protected call: lxK_finish sets the host's message and trace (lx_errmsg,
 * lx_traceback) and puts the VM's stacks back to the mark taken before it (api.c). */
typedef struct {
    int nframes, nhandlers, nroots, nexec, seg;
    lx_Value *top;
    int bcast_mode;
    bool outermost; /* a run the host started, not a C function's call back into lx */
} lxK_vmmark;
lxK_vmmark lxK_markvm(lx_State *L);
lx_Status lxK_finish(lx_State *L, lx_Status st, lxK_vmmark m);
/* Only the stacks back to the mark (for code that handles the error itself). */
void lxK_restorevm(lx_State *L, lxK_vmmark m);

/* ---- the embedding API's stack (api_stack.c) -------------------------------------------------- */

#define LXH_MAXSTACK 1000000 /* values on the host stack before a push fails */

/* The slot of a stack index (1 .. top, or -1 .. -top from the top) in the current frame, or NULL. */
lx_Value *lxH_slot(const lx_State *L, int idx);
/* Room for n more values (raises OutOfMemoryError past LXH_MAXSTACK or the memory limit). */
void lxH_reserve(lx_State *L, int n);
/* Pushes v (raises as lxH_reserve). */
void lxH_push(lx_State *L, lx_Value v);
/* Runs f(L, ud) as a public API call: LX_OK, or the error status with lx_errmsg and lx_traceback
 * set, and the host stack and the VM's stacks as they were. */
lx_Status lxH_protect(lx_State *L, void (*f)(lx_State *L, void *ud), void *ud);
/* Runs a host callback fn(L, ud) in a new frame holding args[0 .. nargs) (it sees 1 .. nargs) with
 * the keywords kw; an error it raises (lx_error) goes on to the caller's handler with the host stack
 * restored.  Copies the top nres values it pushed to res (missing ones: LX_TUNDEF), sets *npushed to
 * how many it pushed, and returns fn's return value; the stack is back as before either way (res is
 * unrooted: root it before calling into lx).  C-to-C recursion counts towards LXV_MAX_CDEPTH. */
int lxH_callhost(lx_State *L, lx_CFunction fn, void *ud, lx_Value *args, int nargs, lx_Value kw,
                 lx_Value *res, int nres, int *npushed);

/* ---- text (show.c) -------------------------------------------------------------------------- */

/* A growing text buffer.  Its memory is registered on the state with the
 * call depth that made it, so an error unwinding past that depth frees it
 * (lxW_release): C code may raise while holding one without leaking. */
typedef struct {
    lx_State *L;
    char *s;
    size_t len, cap;
    int slot; /* index in L->scratch, -1 before the first allocation */
} lxW_buf;

/* Frees the buffers made deeper than `depth` frames (after an unwind). */
void lxW_release(lx_State *L, int depth);

void lxW_init(lx_State *L, lxW_buf *b);
void lxW_free(lxW_buf *b);
void lxW_add(lxW_buf *b, const char *s, size_t n);
void lxW_puts(lxW_buf *b, const char *s);
void lxW_printf(lxW_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* print (strings bare), repr (as code would write it), and show (the REPL's
 * multi-line display). */
void lxW_print(lxW_buf *b, lx_Value v);
void lxW_repr(lxW_buf *b, lx_Value v);
void lxW_show(lxW_buf *b, lx_Value v);
void lxW_float(lxW_buf *b, double d, bool f32);
/* The shortest text that reads back as d; typed adds Float32's f0 (inside a tensor's display it does not). */
void lxW_floattext(lxW_buf *b, double d, bool f32, bool typed);
/* An exception's message as showerror prints it ("ArgumentError: ..."). */
void lxW_showerror(lxW_buf *b, lx_Value exc);

#endif
