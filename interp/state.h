/* state.h — the interpreter state (lxE_), its memory (lxM_) and protected
 * calls (lxD_).  Everything lx owns hangs off lx_State; errors inside
 * interp/ unwind with longjmp along the state's chain of handlers and come
 * back out of the public API as a status (Lua's luaD_throw / luaD_pcall).
 */
#ifndef LX_STATE_H
#define LX_STATE_H

#include "lx.h"
#include "object.h"

#include <setjmp.h>

typedef struct lxD_jmp {
    struct lxD_jmp *prev;
    jmp_buf buf;
    volatile lx_Status status;
} lxD_jmp;

typedef struct {
    lxO_string **buckets;
    size_t size; /* a power of two */
    size_t count;
} lxS_table;

struct lx_State {
    lx_Alloc alloc;
    void *alloc_ud;
    size_t total;      /* bytes held through alloc */
    size_t limit;      /* 0: none */
    lxD_jmp *errjmp;   /* innermost handler */
    char errmsg[256];  /* the last error's message, for the host */
    uint32_t seed;     /* string hashing */
    lxO_header *allgc; /* every GC object */
    lxS_table strings;
};

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

/* The interned string with these bytes (made on first use). */
lxO_string *lxS_new(lx_State *L, const char *s, size_t len);
/* The intern table itself (the strings are freed with the other objects). */
void lxS_free_table(lx_State *L);

#endif
