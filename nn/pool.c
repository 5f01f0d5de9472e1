/* pool.c — tensor memory by size class, so a training step reuses the blocks
 * the last step freed instead of calling malloc (and faulting in fresh pages)
 * for every intermediate.  Four classes per power of two keep waste <= 25%.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define NN_POOL_MIN_LOG2 6 /* 64 bytes */
#define NN_POOL_ALIGN 64
#define NN_POOL_DEFAULT_CACHE ((size_t)1 << 31) /* cached bytes kept at most */

/* Class index and its size for a request of n bytes. */
static int size_class(size_t n, size_t *size)
{
    if (n <= ((size_t)1 << NN_POOL_MIN_LOG2)) {
        *size = (size_t)1 << NN_POOL_MIN_LOG2;
        return 0;
    }
    int k = 63 - __builtin_clzll((unsigned long long)(n - 1)); /* 2^k < n <= 2^(k+1) */
    size_t base = (size_t)1 << k, quarter = base >> 2;
    size_t steps = (n - base + quarter - 1) / quarter; /* 1..4 */
    *size = base + steps * quarter;
    int cls = (k - NN_POOL_MIN_LOG2) * 4 + (int)steps - 1 + 1;
    return cls;
}

void *nn_pool_alloc(nn_ctx *ctx, size_t nbytes, size_t *actual)
{
    nn_pool *pool = &ctx->pool;
    size_t size;
    int cls = size_class(nbytes ? nbytes : 1, &size);
    if (cls < NN_POOL_CLASSES && pool->free[cls]) {
        void *p = pool->free[cls];
        memcpy(&pool->free[cls], p, sizeof(void *));
        pool->cached -= size;
        pool->live += size;
        *actual = size;
        return p;
    }
    if (pool->limit && pool->live + pool->cached + size > pool->limit) {
        nn_pool_trim(pool);
        if (pool->live + size > pool->limit) return NULL;
    }
    void *p = NULL;
    if (posix_memalign(&p, NN_POOL_ALIGN, size) != 0) {
        nn_pool_trim(pool); /* cached blocks of other sizes may be what is missing */
        if (posix_memalign(&p, NN_POOL_ALIGN, size) != 0) return NULL;
    }
    pool->live += size;
    *actual = size;
    return p;
}

void nn_pool_free(nn_ctx *ctx, void *p, size_t actual)
{
    nn_pool *pool = &ctx->pool;
    size_t size;
    int cls = size_class(actual, &size);
    pool->live -= actual;
    size_t cap = pool->limit ? pool->limit / 2 : NN_POOL_DEFAULT_CACHE;
    if (cls >= NN_POOL_CLASSES || pool->cached + actual > cap) {
        free(p);
        return;
    }
    memcpy(p, &pool->free[cls], sizeof(void *));
    pool->free[cls] = p;
    pool->cached += actual;
}

#define NN_OBJ_CACHE 65536 /* headers kept per kind */

static const size_t obj_sizes[NN_NUM_OBJ] = {sizeof(nn_tensor), sizeof(nn_storage), sizeof(nn_node)};

void *nn_obj_alloc(nn_ctx *ctx, nn_obj_kind k)
{
    nn_pool *pool = &ctx->pool;
    void *p = pool->objs[k];
    if (!p) return calloc(1, obj_sizes[k]);
    memcpy(&pool->objs[k], p, sizeof(void *));
    pool->nobjs[k]--;
    memset(p, 0, obj_sizes[k]);
    return p;
}

void nn_obj_free(nn_ctx *ctx, nn_obj_kind k, void *p)
{
    nn_pool *pool = &ctx->pool;
    if (!p) return;
    if (pool->nobjs[k] >= NN_OBJ_CACHE) {
        free(p);
        return;
    }
    memcpy(p, &pool->objs[k], sizeof(void *));
    pool->objs[k] = p;
    pool->nobjs[k]++;
}

void nn_pool_trim(nn_pool *pool)
{
    for (int k = 0; k < NN_NUM_OBJ; k++) {
        void *p = pool->objs[k];
        while (p) {
            void *next;
            memcpy(&next, p, sizeof next);
            free(p);
            p = next;
        }
        pool->objs[k] = NULL;
        pool->nobjs[k] = 0;
    }
    for (int c = 0; c < NN_POOL_CLASSES; c++) {
        void *p = pool->free[c];
        while (p) {
            void *next;
            memcpy(&next, p, sizeof next);
            free(p);
            p = next;
        }
        pool->free[c] = NULL;
    }
    pool->cached = 0;
}
