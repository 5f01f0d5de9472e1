/* bench_util.h — timing for the benchmarks: a monotonic clock, medians, and
 * the one output format (peer and lx medians, their ratio, the target). */
#ifndef LX_BENCH_UTIL_H
#define LX_BENCH_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline double bench_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int bench_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static inline double bench_median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, bench_cmp);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Prints one result line; returns 1 when the target is missed. */
static inline int bench_report(const char *what, const char *peer, double peer_s, double lx_s, double target)
{
    double ratio = lx_s / peer_s;
    printf("%-44s %-24s peer %9.1f us  lx %9.1f us  ratio %.3f  (target <= %.2f) %s\n", what, peer,
           peer_s * 1e6, lx_s * 1e6, ratio, target, ratio <= target ? "PASS" : "FAIL");
    return ratio > target;
}

#endif
