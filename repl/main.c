/* main.c — the `lx` program: runs a script (`lx file.lx args…`), a string
 * (`lx -e code`), standard input (`lx -`, or `lx` with standard input not a
 * terminal), or an interactive session (session.c).  It uses only
 * include/lx.h.  Exit status: 0 success, 1 uncaught error, 2 bad usage, 130
 * after Ctrl-C (which raises InterruptException in the script first, so its
 * `finally` blocks run), or the code given to exit().
 */
#include "repl.h"

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static lx_State *running; /* the state Ctrl-C interrupts */

static void on_sigint(int sig)
{
    (void)sig;
    /* a second Ctrl-C kills a wedged process (Lua's lstop) */
    signal(SIGINT, SIG_DFL);
    if (running) lx_interrupt(running);
}

static void usage(FILE *f)
{
    fputs("usage: lx [options] [script.lx [args...]]\n"
          "  -e code      run code (may be repeated)\n"
          "  -            run the script read from standard input\n"
          "  -i           enter the interactive session after running the script or code\n"
          "  -q           no banner in the interactive session\n"
          "  --version    print the version and exit\n"
          "  --help       print this help and exit\n"
          "With no script, lx starts an interactive session; with standard input not a\n"
          "terminal, it runs what comes in as a script.  Environment: LX_HISTORY (the\n"
          "history file, default ~/.lx_history; empty: none), NO_COLOR (no colours).\n",
          f);
}

int repl_report(lx_State *L, lx_Status st, bool color)
{
    if (st == LX_OK) return 0;
    if (st == LX_EXIT) return lx_exitcode(L);
    fflush(stdout);
    bool red = color && isatty(2);
    fprintf(stderr, "%sERROR:%s %s\n", red ? "\033[1;31m" : "", red ? "\033[0m" : "", lx_errmsg(L));
    const char *tb = lx_traceback(L);
    if (tb[0]) fprintf(stderr, "Stacktrace:\n%s", tb);
    return st == LX_ERRINTERRUPT ? 130 : 1;
}

static int report(lx_State *L, lx_Status st)
{
    return repl_report(L, st, false);
}

static lx_Status run_guarded(lx_State *L, lx_Status (*fn)(lx_State *, const char *, size_t, const char *),
                             const char *src, size_t len, const char *chunk, bool *exited)
{
    signal(SIGINT, on_sigint);
    running = L;
    lx_Status st = fn(L, src, len, chunk);
    running = NULL;
    signal(SIGINT, SIG_DFL);
    *exited = st == LX_EXIT;
    return st;
}

static lx_Status dostring(lx_State *L, const char *src, size_t len, const char *chunk)
{
    return lx_dostring(L, src, len, chunk);
}

static lx_Status dofile(lx_State *L, const char *path, size_t len, const char *chunk)
{
    (void)len;
    (void)chunk;
    return lx_dofile(L, path);
}

/* The test plan after a script whose @test lines printed TAP. */
static int finish_tests(lx_State *L)
{
    static const char code[] = "__test_finish() == 0 || error(\"some tests failed\")";
    lx_Status st = lx_dostring(L, code, sizeof code - 1, "=finish");
    fflush(stdout);
    if (st != LX_OK) fprintf(stderr, "%s\n", lx_errmsg(L));
    return st == LX_OK ? 0 : 1;
}

static char *read_stdin(size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    if (!buf) return NULL;
    size_t k;
    while ((k = fread(buf + n, 1, cap - n, stdin)) > 0) {
        n += k;
        if (n == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                return NULL;
            }
            buf = nb;
            cap *= 2;
        }
    }
    *len = n;
    return buf;
}

/* Colour when standard output is a terminal, unless NO_COLOR is set to something (no-color.org). */
static bool want_color(void)
{
    const char *no = getenv("NO_COLOR");
    return isatty(1) && !(no && no[0]);
}

int main(int argc, char **argv)
{
    const char *exprs[64];
    int nexprs = 0, i = 1;
    bool interactive = false, from_stdin = false, quiet = false;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--version") || !strcmp(a, "-v")) {
            printf("lx %s\n", LX_VERSION);
            return 0;
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "-e")) {
            if (i + 1 >= argc || nexprs == 64) {
                fputs("lx: -e needs an argument\n", stderr);
                usage(stderr);
                return 2;
            }
            exprs[nexprs++] = argv[++i];
        } else if (!strcmp(a, "-i")) {
            interactive = true;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = true;
        } else if (!strcmp(a, "-")) {
            from_stdin = true;
            i++;
            break;
        } else if (!strcmp(a, "--")) {
            i++;
            break;
        } else if (a[0] == '-') {
            fprintf(stderr, "lx: unknown option %s\n", a);
            usage(stderr);
            return 2;
        } else {
            break;
        }
    }
    const char *script = !from_stdin && i < argc ? argv[i++] : NULL;
    /* `echo 'println(1)' | lx` runs the text, as a script, with no prompts */
    if (!script && !from_stdin && nexprs == 0 && !interactive && !isatty(0)) from_stdin = true;
    lx_State *L = lx_open(NULL);
    if (!L) {
        fputs("lx: cannot create a state (out of memory)\n", stderr);
        return 1;
    }
    int status = report(L, lx_openlibs(L));
    if (status == 0)
        status = report(L, lx_setargs(L,
                                      script       ? script
                                      : from_stdin ? "-"
                                                   : "",
                                      argc - i, (const char *const *)argv + i));
    bool exited = false; /* exit() was called: nothing more runs */
    for (int k = 0; status == 0 && !exited && k < nexprs; k++)
        status = report(L, run_guarded(L, dostring, exprs[k], strlen(exprs[k]), "-e", &exited));
    if (status == 0 && !exited && script)
        status = report(L, run_guarded(L, dofile, script, 0, NULL, &exited));
    if (status == 0 && !exited && from_stdin) {
        size_t len;
        char *src = read_stdin(&len);
        if (!src) {
            fputs("lx: cannot read standard input\n", stderr);
            status = 1;
        } else {
            status = report(L, run_guarded(L, dostring, src, len, "stdin", &exited));
            free(src);
        }
    }
    if (status != 130 && !exited && finish_tests(L) != 0 && status == 0) status = 1;
    if ((interactive || (!script && !from_stdin && nexprs == 0)) && status != 130 && !exited) {
        repl_options opt = {quiet, want_color()};
        status = repl_session(L, &opt);
    }
    lx_close(L);
    return status;
}
