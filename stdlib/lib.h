/* lib.h — the standard library's frame (lxL_): registration tables that
 * carry each built-in's name, signature (argument types and keywords, so C
 * built-ins take part in dispatch), C function and docstring, in one place
 * per library (Lua's luaL_Reg with a signature and a doc field); and the
 * argument helpers built-ins share.
 */
#ifndef LX_LIB_H
#define LX_LIB_H

#include "runtime.h"

#include <stdio.h>

typedef struct {
    const char *name; /* the function (or a type, for a constructor) */
    const char *sig;  /* "(x::Number, ys...; kw = default)": types select the method */
    lxO_cfunction fn;
    const char *doc; /* Markdown: signature, summary, arguments, returns, examples (lx> lines) */
} lxL_Reg;

/* Adds each entry as a method of the generic function of its name. */
void lxL_register(lx_State *L, const lxL_Reg *regs);
/* Adds one C method to the generic function `name` (made if new; a type gets a constructor), its
 * types and keywords read from sig as lxL_register reads them; fn finds data in L->cself. */
void lxL_addcmethod(lx_State *L, const char *name, const char *sig, lxO_cfunction fn, lx_Value data,
                    const char *doc);
/* Whether m is a host's C function (lx_register, api_host.c): a user's method, as an lx one is. */
bool lxL_ishostmethod(const lxO_method *m);
/* A docstring for a name that has no C method of its own (a macro, a
 * constant, a type). */
void lxL_setdoc(lx_State *L, const char *name, const char *doc);
/* A module object bound to its name (using Lux, Lux.Dense, ...). */
void lxL_module(lx_State *L, const char *name, const char *doc);

/* Raises an IOError naming fname unless the host granted the state this
 * access (LX_LIB_FILES, LX_LIB_ENV, LX_LIB_INCLUDE: lx_openselectedlibs).
 * Every built-in that reaches outside the state calls it first. */
void lxL_need(lx_State *L, unsigned access, const char *fname);

/* Writing a file atomically (safetensors.c; save and write_npy): the bytes go to a temporary file
 * beside path, which replaces path only once everything is written and synced, so a failure or a
 * kill leaves the old file as it was.  lxL_wopen, lxL_wwrite and lxL_wcommit raise an IOError naming
 * fname and path after removing the temporary; code that may raise between them for another reason
 * must call lxL_wabort first (it is idempotent).  A fault set by __write_fault(n) makes the next
 * writer fail after n bytes. */
typedef struct {
    lx_State *L;
    const char *fname, *path;
    char tmp[4200]; /* the temporary's name; empty once renamed or removed */
    int fd;
    int64_t written, fault; /* fault: the bytes after which writing fails, or -1 */
} lxL_wfile;
void lxL_wopen(lxL_wfile *w, lx_State *L, const char *path, const char *fname);
void lxL_wwrite(lxL_wfile *w, const void *p, size_t n);
void lxL_wcommit(lxL_wfile *w);
void lxL_wabort(lxL_wfile *w);

/* Argument checks: raise a TypeError naming the function and position. */
int64_t lxL_int(lx_State *L, lx_Value *args, int i, const char *fname);
double lxL_number(lx_State *L, lx_Value *args, int i, const char *fname);
lxO_string *lxL_string(lx_State *L, lx_Value *args, int i, const char *fname);
/* A keyword's value, or def when not given. */
lx_Value lxL_kw(lx_State *L, lx_Value kw, const char *name, lx_Value def);
/* Calls the global function `name` with the arguments. */
lx_Value lxL_callg(lx_State *L, const char *name, lx_Value *args, int nargs);
/* Writes text to an IO value (stdout, stderr, an IOBuffer, a file). */
void lxL_iowrite(lx_State *L, lx_Value io, const char *s, size_t n);
/* The text of print(x) / show(x) with user methods taken into account. */
void lxL_printvalue(lx_State *L, lxW_buf *b, lx_Value v, bool repr);

/* Syntax the macros build (macros.c), raising OutOfMemoryError when the arena is full: a node of a
 * kind at a node's position, a child pushed onto a node, an identifier, a string literal, an
 * expression's text as written (as a string literal), a call of a named function, a zero-argument
 * closure around a body, and the "file:line" text of a node. */
lxA_node *lxL_node(lx_State *L, void *arena, lxA_kind k, const lxA_node *at);
void lxL_push(lx_State *L, void *arena, lxA_node *p, lxA_node *kid);
lxA_node *lxL_text(lx_State *L, void *arena, const lxA_node *e);
lxA_node *lxL_ident(lx_State *L, void *arena, const char *name, const lxA_node *at);
lxA_node *lxL_strlit(lx_State *L, void *arena, const char *text, const lxA_node *at);
lxA_node *lxL_call(lx_State *L, void *arena, const char *fname, const lxA_node *at, int n, lxA_node **args);
lxA_node *lxL_thunk(lx_State *L, void *arena, lxA_node *body, const lxA_node *at);
lxA_node *lxL_where(lx_State *L, void *arena, const lxA_node *at);

/* The libraries: each registers its table (and macros, types, modules). */
void lxL_open_base(lx_State *L);
void lxL_open_print(lx_State *L);
void lxL_open_math(lx_State *L);
void lxL_open_strings(lx_State *L);
void lxL_open_collections(lx_State *L);
void lxL_open_io(lx_State *L);
void lxL_open_macros(lx_State *L);
void lxL_open_test(lx_State *L);
void lxL_open_help(lx_State *L);        /* help.c: doc, help, apropos, lx_help */
void lxL_open_safetensors(lx_State *L); /* safetensors.c: save, load (model files) */

/* markdown.c: Markdown rendered for a terminal into out, lines at most width columns, with bold and
 * colours when color; indent: the left margin. */
typedef struct {
    lxW_buf *out;
    int width;
    bool color;
} lxL_render;
void lxL_markdown(lxL_render *r, const char *s, size_t n, int indent);
/* One paragraph's words, filled into lines from column indent. */
void lxL_fill(lxL_render *r, const char *s, size_t n, int indent);
void lxL_open_prelude(lx_State *L);
void lxL_open_lux(lx_State *L); /* the lx files in stdlib/lux/: the layers and their protocol */
/* Moves the module tags of the names Julia keeps apart from their library's module (init.c). */
void lxL_tag_exceptions(lx_State *L);

#endif
