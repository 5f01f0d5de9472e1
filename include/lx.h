/* lx.h — the one header a host includes to embed lx (as lua.h, lauxlib.h
 * and lualib.h together are for Lua).  Every call is protected and returns a
 * status; nothing exits, and two states never see each other.
 *
 * This is the first part of the API (states, allocation, limits); running
 * code, values and errors arrive with the interpreter (issue 3) and the rest
 * with the embedding issue.
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

typedef struct {
    lx_Alloc alloc; /* NULL: the C library's realloc/free */
    void *alloc_ud;
    size_t memory_limit; /* bytes lx may hold through alloc; 0: none */
} lx_Config;

typedef enum {
    LX_OK = 0,
    LX_ERRRUN,    /* an uncaught lx exception */
    LX_ERRSYNTAX, /* a ParseError */
    LX_ERRMEM,    /* OutOfMemoryError */
    LX_ERRINTERRUPT
} lx_Status;

/* A new state, or NULL when even that much memory is not to be had. */
lx_State *lx_open(const lx_Config *config);
void lx_close(lx_State *L);
/* Bytes the state holds through its allocator. */
size_t lx_memory_in_use(const lx_State *L);

#ifdef __cplusplus
}
#endif
#endif
