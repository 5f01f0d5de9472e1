/* bench_interp.c — the interpreter against Lua 5.4, whole processes,
 * interleaved, medians: recursive fib(27) and a loop summing 10^7 floats
 * (targets: at most 1.5x Lua), and start-up (`lx -e nothing`, target under
 * 10 ms, shown next to Lua's own start-up). */
#include "bench_util.h"

#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Runs argv with stdout to /dev/null; the wall time in seconds, or -1. */
static double run(char *const argv[])
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 1 /* O_WRONLY */, 0);
    pid_t pid;
    double t0 = bench_now();
    if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0) {
        posix_spawn_file_actions_destroy(&fa);
        return -1;
    }
    int st;
    waitpid(pid, &st, 0);
    double t = bench_now() - t0;
    posix_spawn_file_actions_destroy(&fa);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? t : -1;
}

static int compare(const char *what, char *const lx[], char *const lua[], int n, double target)
{
    double a[64], b[64];
    for (int i = 0; i < n; i++) { /* interleaved, so drifts in machine load hit both */
        a[i] = run(lua);
        b[i] = run(lx);
        if (a[i] < 0 || b[i] < 0) {
            printf("%-44s could not run %s\n", what, a[i] < 0 ? lua[0] : lx[0]);
            return 1;
        }
    }
    return bench_report(what, "lua5.4 (whole process)", bench_median(a, n), bench_median(b, n), target);
}

int main(void)
{
    char *lx = LX_BIN, *dir = BENCH_DIR;
    char fib_lx[1024], fib_lua[1024], loop_lx[1024], loop_lua[1024];
    snprintf(fib_lx, sizeof fib_lx, "%s/interp/fib.lx", dir);
    snprintf(fib_lua, sizeof fib_lua, "%s/interp/fib.lua", dir);
    snprintf(loop_lx, sizeof loop_lx, "%s/interp/loop.lx", dir);
    snprintf(loop_lua, sizeof loop_lua, "%s/interp/loop.lua", dir);
    char *lua_probe[] = {"lua5.4", "-e", "", NULL};
    if (run(lua_probe) < 0) {
        printf("bench_interp: lua5.4 not found (scripts/setup.sh installs it); skipped\n");
        return 0;
    }
    int fails = 0;
    char *a1[] = {lx, fib_lx, NULL}, *b1[] = {"lua5.4", fib_lua, NULL};
    fails += compare("fib(27), global function", a1, b1, 15, 1.5);
    char *a2[] = {lx, loop_lx, NULL}, *b2[] = {"lua5.4", loop_lua, NULL};
    fails += compare("sum of 10^7 floats in a loop", a2, b2, 11, 1.5);
    /* start-up has no peer doing the same work: lx's median, with Lua's beside it */
    double s[64], l[64];
    char *a3[] = {lx, "-e", "nothing", NULL};
    for (int i = 0; i < 41; i++) {
        l[i] = run(lua_probe);
        s[i] = run(a3);
    }
    double ms = bench_median(s, 41) * 1e3, lms = bench_median(l, 41) * 1e3;
    printf("%-44s lx %6.2f ms  (lua5.4 -e '' %6.2f ms)  (target < 10 ms) %s\n", "start-up: lx -e nothing", ms,
           lms, ms < 10 ? "PASS" : "FAIL");
    fails += ms >= 10;
    return fails ? 1 : 0;
}
