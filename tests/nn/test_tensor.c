/* test_tensor.c — creation, shapes and dtypes, reference counts, the memory
 * pool and its limit, borrowed (external) memory, status names, the thread pool and interrupts.
 */
#include "tap.h"
#include "internal.h" /* white-box: nn_parallel_for, the pool */

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static nn_ctx *ctx;

static void test_creation(void)
{
    int64_t s[3] = {2, 3, 4};
    nn_tensor *x;
    tap_okst(ctx, nn_full(ctx, &x, NN_F64, 3, s, 2.5), "full (2, 3, 4)");
    tap_ok(x->numel == 24 && x->ndim == 3 && x->refcount == 1, "numel, ndim, one reference");
    bool all = true;
    for (int64_t i = 0; i < 24; i++)
        all = all && nn_get(x, i) == 2.5;
    tap_ok(all, "every element is 2.5");
    nn_release(x);

    const nn_dtype types[] = {NN_F32, NN_F64, NN_I32, NN_I64, NN_BOOL};
    const char *names[] = {"Float32", "Float64", "Int32", "Int64", "Bool"};
    const size_t sizes[] = {4, 8, 4, 8, 1};
    for (int t = 0; t < 5; t++) {
        nn_ones(ctx, &x, types[t], 2, s);
        tap_ok(x->dtype == types[t] && nn_get(x, 5) == 1 && !strcmp(nn_dtype_name(types[t]), names[t]) &&
                   nn_dtype_size(types[t]) == sizes[t],
               "ones of %s", names[t]);
        nn_release(x);
    }

    int64_t big[NN_MAX_DIMS];
    for (int i = 0; i < NN_MAX_DIMS; i++)
        big[i] = 1;
    big[NN_MAX_DIMS - 1] = 3;
    tap_okst(ctx, nn_zeros(ctx, &x, NN_F32, NN_MAX_DIMS, big), "a 16-dimensional tensor");
    nn_release(x);

    nn_scalar(ctx, &x, NN_I64, 42);
    tap_ok(x->ndim == 0 && x->numel == 1 && nn_get(x, 0) == 42, "a 0-d scalar");
    nn_release(x);

    int64_t z[2] = {0, 5};
    tap_okst(ctx, nn_zeros(ctx, &x, NN_F32, 2, z), "a (0, 5) tensor");
    tap_ok(x->numel == 0, "has no elements");
    nn_release(x);

    double d[6] = {1, 2, 3, 4, 5, 6};
    float f[6] = {1, 2, 3, 4, 5, 6};
    int64_t s2[2] = {3, 2};
    nn_from_data(ctx, &x, NN_F32, 2, s2, f);
    tap_tensor_close(x, d, 6, 0, 0, "from_data copies column-major data");
    nn_tensor *y = nn_retain(x);
    tap_ok(x->refcount == 2 && y == x, "retain counts");
    nn_release(y);
    nn_release(x);
}

static void test_errors(void)
{
    nn_tensor *x = (nn_tensor *)1;
    int64_t neg[2] = {3, -1};
    tap_error(ctx, nn_empty(ctx, &x, NN_F32, 2, neg), NN_ERR_ARGUMENT, "negative size",
              "negative size -1 in dimension 2", NULL);
    tap_ok(x == NULL, "no tensor on error");
    int64_t huge[3] = {1LL << 40, 1LL << 40, 1LL << 40};
    tap_error(ctx, nn_empty(ctx, &x, NN_F32, 3, huge), NN_ERR_MEMORY,
              "a size that overflows is OutOfMemoryError", "too large", NULL);
    int64_t large[1] = {1LL << 56};
    tap_error(ctx, nn_empty(ctx, &x, NN_F64, 1, large), NN_ERR_MEMORY, "a size no machine has",
              "cannot allocate", NULL);
    int64_t s[NN_MAX_DIMS + 1] = {0};
    tap_error(ctx, nn_empty(ctx, &x, NN_F32, NN_MAX_DIMS + 1, s), NN_ERR_ARGUMENT, "too many dimensions",
              "at most 16", NULL);
    tap_ok(!strcmp(nn_status_name(NN_ERR_DIMENSION), "DimensionMismatch") &&
               !strcmp(nn_status_name(NN_ERR_BOUNDS), "BoundsError") &&
               !strcmp(nn_status_name(NN_ERR_MEMORY), "OutOfMemoryError") &&
               !strcmp(nn_status_name(NN_ERR_INTERRUPTED), "InterruptException"),
           "statuses name Julia's exception types");
    char b[64];
    int64_t sh[2] = {3, 4}, v = 7;
    tap_ok(!strcmp(nn_shape_str(b, sizeof b, 2, sh), "(3, 4)") &&
               !strcmp(nn_shape_str(b, sizeof b, 1, &v), "(7,)") &&
               !strcmp(nn_shape_str(b, sizeof b, 0, NULL), "()"),
           "shapes print as Julia's tuples");
}

static void test_pool(void)
{
    nn_ctx *c = nn_ctx_new();
    int64_t n = 1000;
    nn_tensor *x;
    nn_empty(c, &x, NN_F32, 1, &n);
    void *p = nn_data(x);
    size_t live = nn_ctx_bytes_live(c);
    tap_ok(live >= 4000 && live <= 5000, "live bytes count the block (%zu)", live);
    nn_release(x);
    tap_ok(nn_ctx_bytes_live(c) == 0 && nn_ctx_bytes_cached(c) == live, "a freed block is cached, not freed");
    int64_t n2 = 990;
    nn_empty(c, &x, NN_F32, 1, &n2);
    tap_ok(nn_data(x) == p && nn_ctx_bytes_cached(c) == 0, "the next tensor of that size class reuses it");
    nn_release(x);
    nn_ctx_trim(c);
    tap_ok(nn_ctx_bytes_cached(c) == 0, "trim returns the cache to the system");

    nn_ctx_set_memory_limit(c, 1 << 20);
    int64_t m = 1 << 17; /* 512 KiB of Float32 */
    nn_tensor *a, *b = NULL;
    tap_okst(c, nn_empty(c, &a, NN_F32, 1, &m), "an allocation under the limit");
    tap_error(c, nn_empty(c, &b, NN_F64, 1, &m), NN_ERR_MEMORY, "one past the limit is OutOfMemoryError",
              "cannot allocate", "(131072,)", NULL);
    nn_release(a);
    tap_okst(c, nn_empty(c, &b, NN_F64, 1, &m), "after freeing, the same allocation fits");
    nn_release(b);
    nn_ctx_free(c);
}

static int released;
static void *released_data;

static void count_release(void *ud, void *data)
{
    released += *(int *)ud;
    released_data = data;
}

/* Borrowed memory: used in place, released once when the last tensor on it dies, never pooled. */
static void test_external(void)
{
    nn_ctx *c = nn_ctx_new();
    double buf[6] = {1, 2, 3, 4, 5, 6};
    int64_t s[2] = {2, 3}, flat = 6;
    int one = 1;
    nn_tensor *x, *v, *y;
    released = 0;
    tap_okst(c, nn_from_external(c, &x, NN_F64, 2, s, buf, count_release, &one),
             "a (2, 3) tensor over a buffer");
    tap_ok(nn_data(x) == buf && x->numel == 6 && nn_get(x, 5) == 6, "its data is the buffer itself");
    size_t live = nn_ctx_bytes_live(c);
    tap_ok(live == 0, "the pool counts none of it (%zu live)", live);
    nn_set(x, 0, -1);
    tap_ok(buf[0] == -1, "a write through the tensor shows in the buffer");
    tap_okst(c, nn_reshape(c, &v, x, 1, &flat), "a view of it");
    tap_okst(c, nn_binary(c, &y, NN_ADD, x, x), "x + x (a new tensor)");
    tap_ok(nn_get(y, 0) == -2 && nn_get(y, 5) == 12 && nn_data(y) != buf, "x + x computed into new memory");
    nn_release(y);
    size_t cached = nn_ctx_bytes_cached(c); /* y's block */
    nn_release(x);
    tap_ok(released == 0, "the view keeps the buffer: no release");
    nn_release(v);
    tap_ok(released == 1 && released_data == buf, "the last one released it, once, with the buffer");
    tap_ok(nn_ctx_bytes_cached(c) == cached, "the pool did not take the buffer");

    released = 0;
    int64_t neg = -2;
    x = (nn_tensor *)1;
    tap_error(c, nn_from_external(c, &x, NN_F32, 1, &neg, buf, count_release, &one), NN_ERR_ARGUMENT,
              "a negative size is an ArgumentError", "negative size", NULL);
    tap_ok(x == NULL && released == 1, "no tensor, and the buffer released at once");
    tap_error(c, nn_from_external(c, &x, NN_F64, 1, &flat, (char *)buf + 4, count_release, &one),
              NN_ERR_ARGUMENT, "misaligned memory is refused", "not aligned", NULL);
    tap_error(c, nn_from_external(c, &x, NN_F64, 1, &flat, NULL, NULL, NULL), NN_ERR_ARGUMENT,
              "NULL for 6 elements is refused (no release callback: fine)", "no memory given", NULL);
    tap_error(c, nn_from_external(c, &x, (nn_dtype)7, 1, &flat, buf, count_release, &one), NN_ERR_ARGUMENT,
              "a bad dtype", "bad dtype", NULL);
    tap_ok(released == 3, "each failure released once (%d)", released);
    int64_t zero = 0;
    tap_okst(c, nn_from_external(c, &x, NN_F32, 1, &zero, NULL, NULL, NULL),
             "an empty tensor needs no memory");
    nn_release(x);
    nn_ctx_free(c);
}

typedef struct {
    atomic_llong sum;
    atomic_int calls;
    nn_ctx *ctx;
} range_job;

static void add_range(void *arg, int64_t lo, int64_t hi)
{
    range_job *j = arg;
    long long s = 0;
    for (int64_t i = lo; i < hi; i++)
        s += i;
    atomic_fetch_add(&j->sum, s);
    if (atomic_fetch_add(&j->calls, 1) == 3 && j->ctx) nn_ctx_interrupt(j->ctx);
}

static void test_threads(void)
{
    tap_ok(nn_get_num_threads() == 2, "LX_NUM_THREADS=2 sets the pool size (%d)", nn_get_num_threads());
    for (int t = 1; t <= 3; t++) {
        nn_set_num_threads(t);
        range_job j = {0};
        atomic_init(&j.sum, 0);
        atomic_init(&j.calls, 0);
        nn_status s = nn_parallel_for(ctx, 1000000, 1000, add_range, &j);
        tap_ok(s == NN_OK && atomic_load(&j.sum) == 1000000LL * 999999 / 2 && nn_get_num_threads() == t,
               "%d thread(s): every index visited once", t);
    }
    nn_set_num_threads(2);
    range_job j = {0};
    atomic_init(&j.sum, 0);
    atomic_init(&j.calls, 0);
    j.ctx = ctx;
    tap_error(ctx, nn_parallel_for(ctx, 1000000, 1000, add_range, &j), NN_ERR_INTERRUPTED,
              "an interrupt stops a parallel loop between chunks", "interrupted", NULL);
    tap_ok(atomic_load(&j.calls) < 1000, "well before the end (%d of 1000 chunks)", atomic_load(&j.calls));
    nn_ctx_clear_interrupt(ctx);

    /* a big elementwise op runs threaded and still interrupts */
    int64_t n = 1 << 22;
    nn_tensor *x, *y = NULL;
    nn_ones(ctx, &x, NN_F32, 1, &n);
    nn_ctx_interrupt(ctx);
    tap_error(ctx, nn_unary(ctx, &y, NN_TANH, x), NN_ERR_INTERRUPTED, "tanh over 4M elements sees the flag",
              "interrupted", NULL);
    tap_ok(y == NULL, "and leaves no result");
    nn_ctx_clear_interrupt(ctx);
    nn_release(x);
}

int main(void)
{
    ctx = nn_ctx_new();
    test_creation();
    test_errors();
    test_pool();
    test_external();
    test_threads();
    nn_ctx_free(ctx);
    return tap_done();
}
