/* threads.c — the one process-wide thread pool, sized by LX_NUM_THREADS (or
 * the cores available) and shared with OpenBLAS, which is told the same count
 * so that BLAS threads and lx's kernel threads never fight over cores.
 * Threads are process-wide by nature; everything else in nn/ is per context.
 * A caller that finds the pool busy (another context's thread) runs inline.
 *
 * A model's step is a long run of short kernels (tens of microseconds each),
 * so waking a sleeping thread through a condition variable for every one costs
 * more than the kernel gains.  Workers therefore spin for a short while after
 * each job, watching for the next, and only then sleep; the caller spins for
 * the stragglers of its own job the same way.  Spinning yields the core, so
 * OpenBLAS's threads and other processes still get it.  Workers join a job
 * rather than being counted into it: on a loaded machine the caller does
 * every chunk itself instead of waiting for a thread that is not running.
 */
#define _GNU_SOURCE
#include "internal.h"

#include <cblas.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define NN_MAX_THREADS 256
#define SPIN_NS 200000 /* how long an idle worker watches for the next job before sleeping */

typedef struct {
    pthread_mutex_t busy; /* held by the one caller using the pool */
    pthread_mutex_t m;    /* guards sleeping and the condition variable */
    pthread_cond_t work;
    pthread_t tid[NN_MAX_THREADS];
    int nworkers;            /* threads besides the caller */
    atomic_int nthreads;     /* nworkers + 1 (read without busy by nn_get_num_threads) */
    atomic_ulong generation; /* bumped (under m) for each job */
    atomic_bool quit;
    int sleeping; /* workers blocked on work */
    /* the job, written before generation is bumped */
    nn_range_fn fn;
    void *arg;
    nn_ctx *ctx;
    int64_t n, chunk;
    atomic_llong next;
    /* The job's generation (high 32 bits), whether it is closed (bit 31) and how many workers are
     * inside it (low bits): a worker joins only an open job, and the caller closes it once no one
     * is inside, so it never waits for a worker that was not scheduled in time to help. */
    atomic_ullong job;
} thread_pool;

static thread_pool pool = {
    .busy = PTHREAD_MUTEX_INITIALIZER, .m = PTHREAD_MUTEX_INITIALIZER, .work = PTHREAD_COND_INITIALIZER};
static pthread_once_t pool_once = PTHREAD_ONCE_INIT;

static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

static int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* Spins until done(arg) or SPIN_NS have passed; says which. */
static bool spin_until(bool (*done)(const void *), const void *arg)
{
    int64_t start = 0;
    for (unsigned i = 1;; i++) {
        if (done(arg)) return true;
        cpu_relax();
        if (i % 64 == 0) {
            int64_t t = now_ns();
            if (!start)
                start = t;
            else if (t - start > SPIN_NS)
                return false;
            sched_yield();
        }
    }
}

static bool job_posted(const void *seen)
{
    return atomic_load_explicit(&pool.generation, memory_order_acquire) != *(const unsigned long *)seen ||
           atomic_load_explicit(&pool.quit, memory_order_relaxed);
}

#define JOB_CLOSED (1ull << 31)
#define JOB_COUNT (JOB_CLOSED - 1)

/* Closes the job when no worker is inside it. */
static bool job_closed(const void *unused)
{
    (void)unused;
    unsigned long long j = atomic_load_explicit(&pool.job, memory_order_acquire);
    return !(j & JOB_COUNT) && atomic_compare_exchange_strong_explicit(
                                   &pool.job, &j, j | JOB_CLOSED, memory_order_acq_rel, memory_order_acquire);
}

/* Joins job `gen` if it is still open. */
static bool join(unsigned long gen)
{
    unsigned long long j = atomic_load_explicit(&pool.job, memory_order_acquire);
    while ((j >> 32) == (gen & 0xffffffffu) && !(j & JOB_CLOSED))
        if (atomic_compare_exchange_weak_explicit(&pool.job, &j, j + 1, memory_order_acq_rel,
                                                  memory_order_acquire))
            return true;
    return false;
}

static void run_chunks(void)
{
    for (;;) {
        int64_t lo = atomic_fetch_add(&pool.next, pool.chunk);
        if (lo >= pool.n || nn_check_interrupt(pool.ctx)) return;
        int64_t hi = lo + pool.chunk < pool.n ? lo + pool.chunk : pool.n;
        pool.fn(pool.arg, lo, hi);
    }
}

/* start: the generation when the worker was created (no job runs then), so that a job posted
 * before the thread first runs is still seen as new. */
static void *worker(void *start)
{
    unsigned long seen = (unsigned long)(uintptr_t)start;
    for (bool worked = false;; worked = true) {
        /* spin only after a job: a process that never runs one keeps its cores idle */
        if (!worked || !spin_until(job_posted, &seen)) {
            pthread_mutex_lock(&pool.m);
            pool.sleeping++;
            while (!job_posted(&seen))
                pthread_cond_wait(&pool.work, &pool.m);
            pool.sleeping--;
            pthread_mutex_unlock(&pool.m);
        }
        if (atomic_load(&pool.quit)) break;
        seen = atomic_load_explicit(&pool.generation, memory_order_acquire);
        if (join(seen)) {
            run_chunks();
            atomic_fetch_sub_explicit(&pool.job, 1, memory_order_release);
        }
    }
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
    atomic_store(&pool.quit, true);
    pthread_cond_broadcast(&pool.work);
    pthread_mutex_unlock(&pool.m);
    for (int i = 0; i < pool.nworkers; i++)
        pthread_join(pool.tid[i], NULL);
    atomic_store(&pool.quit, false);
    pool.nworkers = 0;
}

static void start_workers(int n)
{
    if (n < 1) n = cores_available();
    if (n > NN_MAX_THREADS) n = NN_MAX_THREADS;
    pool.nthreads = 1;
    for (int i = 0; i < n - 1; i++) {
        if (pthread_create(&pool.tid[i], NULL, worker, (void *)(uintptr_t)atomic_load(&pool.generation)) != 0)
            break;
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
    return atomic_load_explicit(&pool.nthreads, memory_order_relaxed);
}

nn_status nn_parallel_for(nn_ctx *ctx, int64_t n, int64_t grain, nn_range_fn fn, void *arg)
{
    if (grain < 1) grain = 1;
    pthread_once(&pool_once, pool_init);
    /* nworkers is read under busy: another state's nn_set_num_threads may be changing it */
    bool pooled = n >= 2 * grain && pthread_mutex_trylock(&pool.busy) == 0;
    if (pooled && pool.nworkers == 0) {
        pthread_mutex_unlock(&pool.busy);
        pooled = false;
    }
    if (!pooled) {
        for (int64_t lo = 0; lo < n; lo += grain) {
            if (nn_check_interrupt(ctx)) return nn_error(ctx, NN_ERR_INTERRUPTED, "interrupted");
            fn(arg, lo, lo + grain < n ? lo + grain : n);
        }
        return NN_OK;
    }
    /* A few chunks per thread balance uneven cores without much overhead. */
    int64_t chunk = (n + pool.nthreads * 4 - 1) / (pool.nthreads * 4);
    if (chunk < grain) chunk = grain;
    pool.fn = fn;
    pool.arg = arg;
    pool.ctx = ctx;
    pool.n = n;
    pool.chunk = chunk;
    atomic_store(&pool.next, 0);
    unsigned long gen = atomic_load_explicit(&pool.generation, memory_order_relaxed) + 1;
    atomic_store_explicit(&pool.job, (unsigned long long)(gen & 0xffffffffu) << 32, memory_order_release);
    /* Bumped under m so that a worker about to sleep either sees it or is woken. */
    pthread_mutex_lock(&pool.m);
    atomic_fetch_add_explicit(&pool.generation, 1, memory_order_release);
    if (pool.sleeping) pthread_cond_broadcast(&pool.work);
    pthread_mutex_unlock(&pool.m);
    run_chunks();
    while (!spin_until(job_closed, NULL))
        ; /* the last chunks are someone else's; spin_until yields the core */
    pthread_mutex_unlock(&pool.busy);
    if (nn_check_interrupt(ctx)) return nn_error(ctx, NN_ERR_INTERRUPTED, "interrupted");
    return NN_OK;
}
