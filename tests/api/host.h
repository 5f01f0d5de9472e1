/* host.h — what the embedding API's TAP tests share: a host allocator that counts the bytes a state
 * holds (everything must be back at lx_close), a writer that captures what the state prints, and
 * checks of statuses and messages.  Each test program includes it once.
 */
#ifndef LX_TEST_HOST_H
#define LX_TEST_HOST_H

#include "lx.h"
#include "tap.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the state printed (both streams). */
static tap_text host_out;

static void host_writer(void *ud, int stream, const char *s, size_t n)
{
    (void)ud;
    (void)stream;
    tap_text_add(&host_out, s, n);
}

static inline void host_out_clear(void)
{
    tap_text_clear(&host_out);
}

/* Bytes and blocks a state holds from its host (blocks carry their size in front). */
typedef struct {
    long long bytes, blocks;
} host_mem;

static void *host_alloc(void *ud, void *p, size_t osize, size_t nsize)
{
    host_mem *m = ud;
    max_align_t *b = p ? (max_align_t *)p - 1 : NULL;
    if (nsize == 0) {
        if (b) {
            m->bytes -= (long long)osize;
            m->blocks--;
        }
        free(b);
        return NULL;
    }
    max_align_t *q = realloc(b, sizeof(max_align_t) + nsize);
    if (!q) return NULL;
    m->bytes += (long long)nsize - (long long)(b ? osize : 0);
    if (!b) m->blocks++;
    return q + 1;
}

/* The open states and their counters. */
static struct {
    lx_State *L;
    host_mem *mem;
} host_states[8];

static inline lx_State *host_open(size_t memory_limit)
{
    int k = 0;
    while (k < 8 && host_states[k].L)
        k++;
    if (k == 8) return NULL;
    host_mem *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    lx_Config cfg = {.alloc = host_alloc, .alloc_ud = m, .memory_limit = memory_limit, .writer = host_writer};
    lx_State *L = lx_open(&cfg);
    if (L && lx_openlibs(L) != LX_OK) {
        tap_diag("lx_openlibs: %s", lx_errmsg(L));
        lx_close(L);
        L = NULL;
    }
    if (!L) {
        free(m);
        return NULL;
    }
    host_states[k].L = L;
    host_states[k].mem = m;
    return L;
}

/* Closes L and checks that every byte and block it had came back. */
static inline void host_close(lx_State *L, const char *what)
{
    lx_close(L);
    for (int k = 0; k < 8; k++)
        if (host_states[k].L == L) {
            host_mem *m = host_states[k].mem;
            tap_ok(m->bytes == 0 && m->blocks == 0,
                   "%s: every byte back at lx_close (%lld bytes, %lld blocks left)", what, m->bytes,
                   m->blocks);
            free(m);
            host_states[k].L = NULL;
        }
}

/* Runs code expected to fail: the caller checks the status and message. */
static inline lx_Status host_try(lx_State *L, const char *src)
{
    return lx_dostring(L, src, strlen(src), "test");
}

static inline lx_Status host_run(lx_State *L, const char *src)
{
    lx_Status st = lx_dostring(L, src, strlen(src), "test");
    if (st != LX_OK) tap_diag("running %s: %s", src, lx_errmsg(L));
    return st;
}

/* The status is `want` and lx_errmsg contains each of the NULL-terminated substrings. */
static inline bool host_fails(lx_State *L, lx_Status got, lx_Status want, const char *name, ...)
{
    bool ok = got == want;
    va_list ap;
    va_start(ap, name);
    for (const char *s; (s = va_arg(ap, const char *));)
        if (!strstr(lx_errmsg(L), s)) {
            ok = false;
            tap_diag("the message lacks \"%s\"", s);
        }
    va_end(ap);
    if (!ok) tap_diag("status %d (want %d), message: %s", (int)got, (int)want, lx_errmsg(L));
    return tap_ok(ok, "%s", name);
}

#endif
