/* lx.h — the one header a host includes to embed lx (as lua.h, lauxlib.h
 * and lualib.h together are for Lua).  Every call is protected and returns a
 * status; nothing exits, and two states never see each other.
 *
 * This part: states, allocation and output hooks, limits, running code,
 * errors and interrupts.  Values, C functions and C layers come with the
 * embedding issue.
 */
#ifndef LX_H
#define LX_H

#include <stddef.h>

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
    size_t memory_limit; /* bytes lx may hold through alloc; 0: none */
    lx_Writer writer;    /* NULL: the C library's stdout and stderr */
    void *writer_ud;
} lx_Config;

typedef enum {
    LX_OK = 0,
    LX_ERRRUN,    /* an uncaught lx exception */
    LX_ERRSYNTAX, /* a ParseError */
    LX_ERRMEM,    /* OutOfMemoryError */
    LX_ERRINTERRUPT,
    LX_EXIT /* the code called exit(code): lx_exitcode gives the code */
} lx_Status;

/* A new state, or NULL when even that much memory is not to be had. */
lx_State *lx_open(const lx_Config *config);
void lx_close(lx_State *L);
/* Bytes the state holds through its allocator. */
size_t lx_memory_in_use(const lx_State *L);

/* Opens the standard libraries (the built-ins, the modules lx knows and
 * the prelude) in a state made by lx_open. */
lx_Status lx_openlibs(lx_State *L);

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
/* After an error status: the stack trace, one "  file:line in f" per line. */
const char *lx_traceback(const lx_State *L);
/* After LX_EXIT: the code given to exit (0 to 255).  The state stays usable:
 * exit only ends the code that called it; leaving is the host's choice. */
int lx_exitcode(const lx_State *L);

/* Asks the running code to stop with an InterruptException at its next
 * call or loop iteration.  Safe from a signal handler or another thread. */
void lx_interrupt(lx_State *L);

/* Sets the global ARGS (the script's arguments) and PROGRAM_FILE. */
lx_Status lx_setargs(lx_State *L, const char *program, int argc, const char *const *argv);

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
