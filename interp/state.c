/* state.c — opening and closing states, the allocator and its accounting,
 * and the error handler chain.  See state.h.
 */
#include "runtime.h"

#include "nn.h"

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

static void default_writer(void *ud, int stream, const char *s, size_t n)
{
    (void)ud;
    FILE *f = stream == 2 ? stderr : stdout;
    if (stream == 2) fflush(stdout); /* keep the two streams in order on a terminal */
    fwrite(s, 1, n, f);
    if (stream == 2) fflush(f);
}

/* Everything a bare state needs before any code runs: the first stack
 * segment, the types, the preallocated OutOfMemoryError and the globals the
 * VM's slow paths call. */
static void open_core(lx_State *L, void *ud)
{
    (void)ud;
    L->segs = lxM_realloc(L, NULL, 0, sizeof *L->segs);
    L->segs[0].vals = NULL;
    L->segs[0].n = 0;
    L->nsegs = 1;
    /* small at first (a host may run many states); later segments are bigger */
    L->segs[0].vals = lxM_realloc(L, NULL, 0, LXV_FIRST_SEGMENT * sizeof(lx_Value));
    L->segs[0].n = LXV_FIRST_SEGMENT;
    L->top = L->segs[0].vals;
    L->nn = nn_ctx_new();
    if (!L->nn) lxD_throw(L, LX_ERRMEM, "OutOfMemoryError: cannot create the tensor context");
    if (L->limit) nn_ctx_set_memory_limit(L->nn, L->limit);
    lxT_init(L);
    L->oom = lxO_obj(lxO_struct_new(L, L->T[LXT_OutOfMemoryError]));
    static const char *const opnames[LXV_NUM_OPFN] = {
#define LXV_OPFN_NAME(e, s) s,
        LXV_OPFNS(LXV_OPFN_NAME)
#undef LXV_OPFN_NAME
    };
    for (int i = 0; i < LXV_NUM_OPFN; i++)
        L->gop[i] = lxG_index(L, lxS_cstr(L, opnames[i]));
    L->gcthreshold = (size_t)4 << 20;
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
    L->ilimit = config ? config->instruction_limit : 0;
    L->total = sizeof *L;
    L->writer = config && config->writer ? config->writer : default_writer;
    L->writer_ud = config ? config->writer_ud : NULL;
    L->exc = lxO_nothing();
    L->cself = lxO_nothing();
    L->current_file = lxO_nothing();
    L->oom = lxO_nothing();
    atomic_init(&L->interrupt, 0);
    /* a per-state seed, so that inputs chosen to collide in one state's
     * string table do not collide in another's */
    uintptr_t a = (uintptr_t)L;
    L->seed = (uint32_t)(a ^ (a >> 32)) * 2654435761u;
    if (lxD_pcall(L, open_core, NULL) != LX_OK) {
        lx_close(L);
        return NULL;
    }
    return L;
}

void lx_close(lx_State *L)
{
    if (!L) return;
    for (lxO_header *o = L->allgc, *next; o; o = next) {
        next = o->next;
        lxO_free(L, o);
    }
    L->allgc = NULL;
    while (L->tfree) {
        lxO_header *o = L->tfree;
        L->tfree = o->next;
        lxM_free(L, o, sizeof(lxO_tensor));
    }
    nn_ctx_free(L->nn); /* after the tensors: their memory returns to its pool first */
    L->nn = NULL;
    lxS_free_table(L);
    lxM_free(L, L->globals, (size_t)L->capglobals * sizeof *L->globals);
    lxM_free(L, L->deferred, (size_t)L->ndeferred * sizeof *L->deferred);
    lxM_free(L, L->macros, (size_t)L->capmacros * sizeof *L->macros);
    for (int i = 0; i < L->nfblocks; i++)
        if (L->fblocks[i]) lxM_free(L, L->fblocks[i], LXV_FBLOCK * sizeof(lxV_frame));
    lxM_free(L, L->fblocks, (size_t)L->nfblocks * sizeof *L->fblocks);
    lxM_free(L, L->handlers, (size_t)L->caphandlers * sizeof *L->handlers);
    lxM_free(L, L->roots, (size_t)L->caproots * sizeof *L->roots);
    lxM_free(L, L->api, (size_t)L->apicap * sizeof *L->api);
    lxM_free(L, L->refs, (size_t)L->caprefs * sizeof *L->refs);
    lxM_free(L, L->gray, L->capgray * sizeof *L->gray);
    lxM_free(L, L->protos, L->capprotos * sizeof *L->protos);
    lxM_free(L, L->errtrace, L->errtrace_len);
    lxM_free(L, L->errfull, L->errfull_len);
    lxW_release(L, -1);
    lxM_free(L, L->scratch, (size_t)L->capscratch * sizeof *L->scratch);
    for (int i = 0; i < L->nsegs; i++)
        lxM_free(L, L->segs[i].vals, L->segs[i].n * sizeof(lx_Value));
    lxM_free(L, L->segs, (size_t)L->nsegs * sizeof *L->segs);
    L->alloc(L->alloc_ud, L, sizeof *L, 0);
}

void lx_setmemorylimit(lx_State *L, size_t bytes)
{
    L->limit = bytes;
    if (L->nn) nn_ctx_set_memory_limit(L->nn, bytes); /* tensors' memory, which the nn pool holds */
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
    if (L->limit && nsize > osize && L->total + (nsize - osize) > L->limit + L->slack)
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
    if (status == LX_ERRMEM) L->exc = L->oom;
    L->ntrace = 0;
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

void *lxM_arena_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    lx_State *L = ud;
    /* arenas free with osize 0: keep each block's size in front of it */
    size_t *blk = ptr ? (size_t *)ptr - 2 : NULL;
    size_t old = blk ? blk[0] : 0;
    (void)osize;
    if (nsize == 0) {
        if (blk) {
            L->alloc(L->alloc_ud, blk, old + 2 * sizeof(size_t), 0);
            L->total -= old + 2 * sizeof(size_t);
        }
        return NULL;
    }
    if (L->limit && nsize > old && L->total + (nsize - old) > L->limit + L->slack) return NULL;
    size_t *q = L->alloc(L->alloc_ud, blk, blk ? old + 2 * sizeof(size_t) : 0, nsize + 2 * sizeof(size_t));
    if (!q) return NULL;
    L->total = L->total - (blk ? old + 2 * sizeof(size_t) : 0) + nsize + 2 * sizeof(size_t);
    q[0] = nsize;
    return q + 2;
}

void lxE_write(lx_State *L, int stream, const char *s, size_t n)
{
    L->writer(L->writer_ud, stream, s, n);
}
