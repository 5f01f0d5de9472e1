/* threads.c — the one process-wide thread pool, sized by LX_NUM_THREADS (or
 * the cores available) and shared with OpenBLAS, which is told the same count
 * so that BLAS threads and lx's kernel threads never fight over cores.
 * Threads are process-wide by nature; everything else in nn/ is per context.
 * A caller that finds the pool busy (another context's thread) runs inline.
 */
#define _GNU_SOURCE
#include "internal.h"

#include <cblas.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

#define NN_MAX_THREADS 256

typedef struct {
    pthread_mutex_t busy; /* held by the one caller using the pool */
    pthread_mutex_t m;
    pthread_cond_t work, done;
    pthread_t tid[NN_MAX_THREADS];
    int nworkers; /* threads besides the caller */
    int nthreads; /* nworkers + 1 */
    unsigned long generation;
    bool quit;
    /* the job */
    nn_range_fn fn;
    void *arg;
    nn_ctx *ctx;
    int64_t n, chunk;
    atomic_llong next;
    int active; /* workers still inside the job */
} thread_pool;

static thread_pool pool = {.busy = PTHREAD_MUTEX_INITIALIZER,
                           .m = PTHREAD_MUTEX_INITIALIZER,
                           .work = PTHREAD_COND_INITIALIZER,
                           .done = PTHREAD_COND_INITIALIZER};
static pthread_once_t pool_once = PTHREAD_ONCE_INIT;

static void run_chunks(void)
{
    for (;;) {
        int64_t lo = atomic_fetch_add(&pool.next, pool.chunk);
        if (lo >= pool.n || nn_check_interrupt(pool.ctx)) return;
        int64_t hi = lo + pool.chunk < pool.n ? lo + pool.chunk : pool.n;
        pool.fn(pool.arg, lo, hi);
    }
}

static void *worker(void *unused)
{
    (void)unused;
    unsigned long seen = 0;
    pthread_mutex_lock(&pool.m);
    for (;;) {
        while (!pool.quit && pool.generation == seen)
            pthread_cond_wait(&pool.work, &pool.m);
        if (pool.quit) break;
        seen = pool.generation;
        pthread_mutex_unlock(&pool.m);
        run_chunks();
        pthread_mutex_lock(&pool.m);
        if (--pool.active == 0) pthread_cond_signal(&pool.done);
    }
    pthread_mutex_unlock(&pool.m);
    return NULL;
}

static int cores_available(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) return CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

static void stop_workers(void)
{
    pthread_mutex_lock(&pool.m);
    pool.quit = true;
    pthread_cond_broadcast(&pool.work);
    pthread_mutex_unlock(&pool.m);
    for (int i = 0; i < pool.nworkers; i++)
        pthread_join(pool.tid[i], NULL);
    pool.quit = false;
    pool.nworkers = 0;
}

static void start_workers(int n)
{
    if (n < 1) n = cores_available();
    if (n > NN_MAX_THREADS) n = NN_MAX_THREADS;
    pool.nthreads = 1;
    for (int i = 0; i < n - 1; i++) {
        if (pthread_create(&pool.tid[i], NULL, worker, NULL) != 0) break;
        pool.nworkers++;
        pool.nthreads++;
    }
    openblas_set_num_threads(pool.nthreads);
}

static void pool_init(void)
{
    const char *env = getenv("LX_NUM_THREADS");
    start_workers(env ? atoi(env) : 0);
}

void nn_set_num_threads(int n)
{
    pthread_once(&pool_once, pool_init);
    pthread_mutex_lock(&pool.busy);
    stop_workers();
    start_workers(n);
    pthread_mutex_unlock(&pool.busy);
}

int nn_get_num_threads(void)
{
    pthread_once(&pool_once, pool_init);
    return pool.nthreads;
}

nn_status nn_parallel_for(nn_ctx *ctx, int64_t n, int64_t grain, nn_range_fn fn, void *arg)
{
    if (grain < 1) grain = 1;
    pthread_once(&pool_once, pool_init);
    if (pool.nworkers == 0 || n < 2 * grain || pthread_mutex_trylock(&pool.busy) != 0) {
        for (int64_t lo = 0; lo < n; lo += grain) {
            if (nn_check_interrupt(ctx)) return nn_error(ctx, NN_ERR_INTERRUPTED, "interrupted");
            fn(arg, lo, lo + grain < n ? lo + grain : n);
        }
        return NN_OK;
    }
    /* A few chunks per thread balance uneven cores without much overhead. */
    int64_t chunk = (n + pool.nthreads * 4 - 1) / (pool.nthreads * 4);
    if (chunk < grain) chunk = grain;
    pthread_mutex_lock(&pool.m);
    pool.fn = fn;
    pool.arg = arg;
    pool.ctx = ctx;
    pool.n = n;
    pool.chunk = chunk;
    atomic_store(&pool.next, 0);
    pool.active = pool.nworkers;
    pool.generation++;
    pthread_cond_broadcast(&pool.work);
    pthread_mutex_unlock(&pool.m);
    run_chunks();
    pthread_mutex_lock(&pool.m);
    while (pool.active > 0)
        pthread_cond_wait(&pool.done, &pool.m);
    pthread_mutex_unlock(&pool.m);
    pthread_mutex_unlock(&pool.busy);
    if (nn_check_interrupt(ctx)) return nn_error(ctx, NN_ERR_INTERRUPTED, "interrupted");
    return NN_OK;
}
