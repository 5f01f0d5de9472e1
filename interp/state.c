/* state.c — opening and closing states, the allocator and its accounting,
 * and the error handler chain.  See state.h.
 */
#include "state.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *default_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    (void)ud;
    (void)osize;
    if (nsize == 0) {
        free(ptr);
        return NULL;
    }
    return realloc(ptr, nsize);
}

lx_State *lx_open(const lx_Config *config)
{
    lx_Alloc alloc = config && config->alloc ? config->alloc : default_alloc;
    void *ud = config ? config->alloc_ud : NULL;
    size_t limit = config ? config->memory_limit : 0;
    if (limit && sizeof(lx_State) > limit) return NULL;
    lx_State *L = alloc(ud, NULL, 0, sizeof *L);
    if (!L) return NULL;
    memset(L, 0, sizeof *L);
    L->alloc = alloc;
    L->alloc_ud = ud;
    L->limit = limit;
    L->total = sizeof *L;
    /* a per-state seed, so that inputs chosen to collide in one state's
     * string table do not collide in another's */
    uintptr_t a = (uintptr_t)L;
    L->seed = (uint32_t)(a ^ (a >> 32)) * 2654435761u;
    return L;
}

static void free_object(lx_State *L, lxO_header *o)
{
    switch ((lxO_type)o->type) {
    case LXO_STRING: {
        lxO_string *s = (lxO_string *)o;
        lxM_free(L, s, sizeof *s + s->len + 1);
        break;
    }
    default: break;
    }
}

void lx_close(lx_State *L)
{
    if (!L) return;
    for (lxO_header *o = L->allgc, *next; o; o = next) {
        next = o->next;
        free_object(L, o);
    }
    L->allgc = NULL;
    lxS_free_table(L);
    L->alloc(L->alloc_ud, L, sizeof *L, 0);
}

size_t lx_memory_in_use(const lx_State *L)
{
    return L->total;
}

void *lxM_realloc(lx_State *L, void *p, size_t osize, size_t nsize)
{
    if (nsize == 0) {
        lxM_free(L, p, osize);
        return NULL;
    }
    if (L->limit && nsize > osize && L->total + (nsize - osize) > L->limit)
        lxD_throw(L, LX_ERRMEM, "OutOfMemoryError: the state's memory limit (%zu bytes) is reached",
                  L->limit);
    void *q = L->alloc(L->alloc_ud, p, osize, nsize);
    if (!q) lxD_throw(L, LX_ERRMEM, "OutOfMemoryError: cannot allocate %zu bytes", nsize);
    L->total = L->total - osize + nsize;
    return q;
}

void lxM_free(lx_State *L, void *p, size_t size)
{
    if (!p) return;
    L->alloc(L->alloc_ud, p, size, 0);
    L->total -= size;
}

void lxD_throw(lx_State *L, lx_Status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(L->errmsg, sizeof L->errmsg, fmt, ap);
    va_end(ap);
    /* every entry into interp/ goes through lxD_pcall, so a handler exists */
    L->errjmp->status = status;
    longjmp(L->errjmp->buf, 1);
}

lx_Status lxD_pcall(lx_State *L, void (*f)(lx_State *L, void *ud), void *ud)
{
    lxD_jmp j;
    j.prev = L->errjmp;
    j.status = LX_OK;
    L->errjmp = &j;
    if (setjmp(j.buf) == 0) f(L, ud);
    L->errjmp = j.prev;
    return j.status;
}
