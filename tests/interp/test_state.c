/* test_state.c — states: open/close with a host allocator and nothing left
 * behind, two states apart, the memory limit, every allocation failure turned
 * into OutOfMemoryError without leaks, and interned strings.
 */
#include "state.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A host allocator that counts bytes and can fail the n-th request. */
typedef struct {
    long long bytes, calls;
    long long fail_at; /* 0: never */
} counter;

static void *counting_alloc(void *ud, void *p, size_t osize, size_t nsize)
{
    counter *c = ud;
    if (nsize == 0) {
        if (p) c->bytes -= (long long)osize;
        free(p);
        return NULL;
    }
    if (c->fail_at && ++c->calls == c->fail_at) return NULL; /* fail_at -1: count only */
    void *q = realloc(p, nsize);
    if (q) c->bytes += (long long)nsize - (long long)(p ? osize : 0);
    return q;
}

typedef struct {
    int n;
    lxO_string *first, *again;
} strings_job;

static void make_strings(lx_State *L, void *ud)
{
    strings_job *j = ud;
    char name[32];
    for (int i = 0; i < j->n; i++) {
        snprintf(name, sizeof name, "name_%d", i);
        lxO_string *s = lxS_new(L, name, strlen(name));
        if (i == 0) j->first = s;
    }
    j->again = lxS_new(L, "name_0", 6);
}

int main(void)
{
    counter c = {0};
    lx_Config cfg = {.alloc = counting_alloc, .alloc_ud = &c};
    lx_State *L = lx_open(&cfg);
    tap_ok(L && c.bytes == (long long)lx_memory_in_use(L),
           "a state's memory is what its host allocator gave (%lld)", c.bytes);

    size_t base = L->strings.count; /* the names a bare state starts with (types, globals) */
    strings_job j = {100000, NULL, NULL};
    lx_Status st = lxD_pcall(L, make_strings, &j);
    tap_ok(st == LX_OK && j.first == j.again,
           "interning: the same bytes give the same object, across table growth");
    tap_ok(L->strings.count == base + 100000 && L->strings.size >= 100000,
           "100,000 names in a table of %zu buckets", L->strings.size);
    lxO_string *a = NULL, *b = NULL;
    lxD_pcall(L, make_strings, &j);
    a = lxS_new(L, "name_2", 6); /* safe outside pcall: it exists, so nothing is allocated */
    b = lxS_new(L, "name_1", 6);
    tap_ok(a != b && !strcmp(b->data, "name_1") && b->len == 6, "different bytes, different objects");
    tap_ok(c.bytes == (long long)lx_memory_in_use(L), "the state's count matches the host's (%zu)",
           lx_memory_in_use(L));

    lx_State *L2 = lx_open(&cfg);
    lxO_string *other = NULL;
    strings_job j2 = {1, NULL, NULL};
    lxD_pcall(L2, make_strings, &j2);
    other = j2.first;
    tap_ok(other != j.first && L2->strings.count == base + 1, "two states share nothing");
    lx_close(L2);
    lx_close(L);
    tap_ok(c.bytes == 0, "closing returns every byte to the host (%lld left)", c.bytes);

    /* the memory limit: an OutOfMemoryError, and the state goes on */
    lx_Config small = {.alloc = counting_alloc, .alloc_ud = &c, .memory_limit = 64 * 1024};
    L = lx_open(&small);
    strings_job big = {100000, NULL, NULL};
    st = lxD_pcall(L, make_strings, &big);
    tap_ok(st == LX_ERRMEM && strstr(L->errmsg, "memory limit"),
           "past the memory limit: OutOfMemoryError (%s)", L->errmsg);
    tap_ok(lx_memory_in_use(L) <= 64 * 1024, "the state stays within its limit (%zu)", lx_memory_in_use(L));
    lx_close(L);
    tap_ok(c.bytes == 0, "and closes without leaks");
    tap_ok(lx_open(&(lx_Config){.alloc = counting_alloc, .alloc_ud = &c, .memory_limit = 16}) == NULL,
           "a limit below a state's size: lx_open says NULL");

    /* every allocation failure, one at a time: an error or success, never a leak or a crash */
    c = (counter){0, 0, -1}; /* count the allocations of a whole run (fail_at never reached) */
    lx_State *S0 = lx_open(&cfg);
    strings_job k0 = {50, NULL, NULL};
    lxD_pcall(S0, make_strings, &k0);
    lx_close(S0);
    long long total = c.calls;
    int failures = 0, leaks = 0;
    for (long long n = 1; n <= total; n++) {
        c = (counter){0, 0, n};
        lx_State *S = lx_open(&cfg);
        if (!S) {
            failures++;
            leaks += c.bytes != 0;
            continue;
        }
        strings_job k = {50, NULL, NULL};
        if (lxD_pcall(S, make_strings, &k) == LX_ERRMEM) failures++;
        lx_close(S);
        leaks += c.bytes != 0;
    }
    tap_ok(total > 50 && failures == total && leaks == 0,
           "failing each of the %lld allocations in turn: %d OutOfMemoryErrors, %d leaks", total, failures,
           leaks);
    return tap_done();
}
