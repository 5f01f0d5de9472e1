/* test_control.c — what a host uses to run code it does not trust (include/lx.h, "limits" and
 * "the libraries a state opens"): the instruction limit (an endless loop, one with a `try` inside,
 * a recursion, a budget per run, the lazily loaded library outside it), the memory limit on
 * tensors, states without file, environment or include access and each grant; and threads: two
 * states running at once in two threads (the same results as one after the other) and
 * lx_interrupt from a third thread.
 */
#include "lx.h"
#include "tap.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- states whose output the test keeps ------------------------------------------------------- */

static void keep_output(void *ud, int stream, const char *s, size_t n)
{
    (void)stream;
    tap_text_add(ud, s, n);
}

static lx_State *open_state(const lx_Config *base, unsigned grant, tap_text *out)
{
    lx_Config cfg = base ? *base : (lx_Config){0};
    cfg.writer = keep_output;
    cfg.writer_ud = out;
    lx_State *L = lx_open(&cfg);
    if (!L) return NULL;
    if (lx_openselectedlibs(L, grant) != LX_OK) {
        tap_diag("lx_openselectedlibs: %s", lx_errmsg(L));
        lx_close(L);
        return NULL;
    }
    return L;
}

/* Runs src with out cleared first. */
static lx_Status run(lx_State *L, tap_text *out, const char *src)
{
    tap_text_clear(out);
    return lx_dostring(L, src, strlen(src), "control");
}

static const char *text(const tap_text *out)
{
    return out->s ? out->s : "";
}

/* The run printed exactly want. */
static bool prints(lx_State *L, tap_text *out, const char *src, const char *want, const char *name)
{
    lx_Status st = run(L, out, src);
    bool ok = tap_ok(st == LX_OK && !strcmp(text(out), want), "%s", name);
    if (!ok)
        tap_diag("status %d, printed [%s], wanted [%s]; %s", st, text(out), want, st ? lx_errmsg(L) : "");
    return ok;
}

/* The run ended with status want and exactly the message msg. */
static bool fails(lx_State *L, tap_text *out, const char *src, lx_Status want, const char *msg,
                  const char *name)
{
    lx_Status st = run(L, out, src);
    bool ok = tap_ok(st == want && !strcmp(lx_errmsg(L), msg), "%s", name);
    if (!ok) tap_diag("status %d (wanted %d), message [%s], wanted [%s]", st, want, lx_errmsg(L), msg);
    return ok;
}

/* ---- the instruction limit ------------------------------------------------------------------- */

static void test_instruction_limit(void)
{
    tap_text out = {0};
    lx_Config cfg = {.instruction_limit = 100000};
    lx_State *L = open_state(&cfg, LX_LIB_ALL, &out);
    if (!tap_ok(L != NULL, "a state with an instruction limit opens")) return;
    const char *msg = "instruction limit of 100000 reached";

    fails(L, &out, "while true end", LX_ERRLIMIT, msg, "an endless loop stops with LX_ERRLIMIT and says why");
    tap_ok(strstr(lx_traceback(L), "top-level scope at control:1") != NULL,
           "the trace says where it stopped");
    prints(L, &out, "println(1 + 1)", "2\n", "the state runs the next code");

    /* the error passes every handler: the loop's own try, catch and finally */
    fails(L, &out,
          "caught = 0\n"
          "while true\n"
          "    try\n"
          "        for j in 1:10 end\n"
          "    catch e\n"
          "        global caught += 1\n"
          "    end\n"
          "end",
          LX_ERRLIMIT, msg, "a try inside the loop does not catch the limit");
    prints(L, &out, "println(caught)", "0\n", "... its catch never ran");
    fails(L, &out, "try\n    while true end\nfinally\n    println(\"finally\")\nend", LX_ERRLIMIT, msg,
          "the limit passes a finally");
    tap_ok(!strstr(text(&out), "finally"), "... which does not run (as for exit)");
    /* @test catches every error in C: the run still ends at the limit */
    fails(L, &out, "@test (while true end; true)", LX_ERRLIMIT, msg,
          "a @test around the loop does not hide it");

    /* 1 + 2 + ... + 1000 = 1000 * 1001 / 2; ten runs of it, each with its own budget */
    bool all = true;
    for (int i = 0; i < 10; i++)
        all &= run(L, &out, "s = 0; for i in 1:1000; s += i; end; println(s)") == LX_OK &&
               !strcmp(text(&out), "500500\n");
    tap_ok(all, "a finite loop under the limit runs, ten times over: each run has the whole budget");

    fails(L, &out, "f(n) = f(n + 1); f(1)", LX_ERRLIMIT, msg, "an endless recursion stops at the limit");
    tap_ok(strstr(lx_traceback(L), "f at control:1 (repeats") != NULL, "... inside f, over and over");
    /* a function with no loop or call of its own, called from C (map) again and again */
    fails(L, &out, "map(x -> x, 1:10^9); nothing", LX_ERRLIMIT, msg, "calls from C into lx count too");

    lx_setinstructionlimit(L, 0);
    prints(L, &out, "s = 0; for i in 1:10^6; s += i; end; println(s)", "500000500000\n",
           "lx_setinstructionlimit(L, 0) lifts the limit (10^6 (10^6 + 1) / 2)");
    lx_setinstructionlimit(L, 5000);
    fails(L, &out, "for i in 1:10^6 end", LX_ERRLIMIT, "instruction limit of 5000 reached",
          "lx_setinstructionlimit sets a new one");
    /* an interrupt and the limit share the word the VM polls: neither clears the other */
    lx_interrupt(L);
    lx_Status st = run(L, &out, "for i in 1:10 end");
    tap_ok(st == LX_ERRINTERRUPT, "an interrupt under a limit is LX_ERRINTERRUPT (got %d: %s)", st,
           lx_errmsg(L));
    fails(L, &out, "for i in 1:10^6 end", LX_ERRLIMIT, "instruction limit of 5000 reached",
          "... and the limit still holds after it");
    lx_close(L);

    /* The layers load on first use, running lx code of their own that the script's budget does not
     * pay for (a limit reached half-way would leave the library half defined). */
    cfg.instruction_limit = 300;
    L = open_state(&cfg, LX_LIB_ALL, &out);
    if (L) {
        fails(L, &out, "for i in 1:1000 end", LX_ERRLIMIT, "instruction limit of 300 reached",
              "a limit of 300 stops a loop of 1000");
        prints(L, &out, "println(Dense(2 => 3))", "Dense(2 => 3)\n",
               "... yet Dense loads its library (far more than 300 instructions) and runs");
        lx_close(L);
    }
    free(out.s);
}

/* ---- the memory limit ------------------------------------------------------------------------ */

static void test_memory_limit(void)
{
    tap_text out = {0};
    lx_State *L = open_state(NULL, LX_LIB_ALL, &out);
    if (!tap_ok(L != NULL, "a state opens")) return;
    /* 4096 x 8192 Float32 = 128 MiB: fine without a limit */
    prints(L, &out, "x = zeros(Float32, 4096, 8192); println(size(x)); x = nothing", "(4096, 8192)\n",
           "a 128 MiB tensor without a limit");
    lx_setmemorylimit(L, (size_t)64 << 20);
    lx_Status st = run(L, &out, "x = zeros(Float32, 4096, 8192)");
    tap_ok(st == LX_ERRMEM && strstr(lx_errmsg(L), "OutOfMemoryError"),
           "with lx_setmemorylimit(L, 64 MiB) the same tensor is an OutOfMemoryError (%d: %s)", st,
           lx_errmsg(L));
    st = run(L, &out, "x = zeros(Float32, 16384, 16384)");
    tap_ok(st == LX_ERRMEM, "... and a 1 GiB one (%d: %s)", st, lx_errmsg(L));
    prints(L, &out, "y = ones(Float32, 1000); println(sum(y .+ 1))", "2000.0\n",
           "the state goes on with small ones");
    st = run(L, &out,
             "v = []; i = 0; while true; global i += 1; push!(v, string(i, repeat(\"x\", 10000))); end");
    tap_ok(st == LX_ERRMEM, "the limit holds for the interpreter's own memory too (%d: %s)", st,
           lx_errmsg(L));
    prints(L, &out, "v = nothing; println(6 * 7)", "42\n", "... and the state goes on");
    tap_ok(lx_memory_in_use(L) < ((size_t)64 << 20), "lx_memory_in_use is under the limit: %zu",
           lx_memory_in_use(L));
    lx_setmemorylimit(L, 0);
    prints(L, &out, "x = zeros(Float32, 4096, 8192); println(size(x)); x = nothing", "(4096, 8192)\n",
           "lx_setmemorylimit(L, 0) lifts it");
    lx_close(L);
    free(out.s);
}

/* ---- the libraries a state opens -------------------------------------------------------------- */

static char tmpdir_path[256];
static char data_file[300], script_file[300];

static bool write_file(const char *path, const char *s)
{
    FILE *f = fopen(path, "w");
    if (!f) return false;
    fputs(s, f);
    return fclose(f) == 0;
}

static const char *refusal(const char *fname, const char *what)
{
    static char buf[4][200];
    static int k;
    char *b = buf[k++ % 4];
    snprintf(b, sizeof buf[0], "IOError: %s: this lx state has no %s access (the host did not grant it)",
             fname, what);
    return b;
}

/* Each call that reaches outside the state, in a state of the given grant: refused or not. */
static void check_access(lx_State *L, tap_text *out, unsigned grant, const char *label)
{
    char src[600];
    char name[200];
    bool files = grant & LX_LIB_FILES, env = grant & LX_LIB_ENV, inc = grant & LX_LIB_INCLUDE;

    snprintf(src, sizeof src, "println(readline(open(\"%s\")))", data_file);
    snprintf(name, sizeof name, "%s: open %s", label, files ? "reads the file" : "is refused");
    if (files)
        prints(L, out, src, "hello\n", name);
    else
        fails(L, out, src, LX_ERRRUN, refusal("open", "file"), name);

    snprintf(src, sizeof src, "println(readdir(\"%s\"))", tmpdir_path);
    snprintf(name, sizeof name, "%s: readdir %s", label, files ? "lists the folder" : "is refused");
    if (files)
        prints(L, out, src, "[\"data.txt\", \"script.lx\"]\n", name);
    else
        fails(L, out, src, LX_ERRRUN, refusal("readdir", "file"), name);

    snprintf(src, sizeof src, "read_npy(\"%s/missing.npy\")", tmpdir_path);
    snprintf(name, sizeof name, "%s: read_npy %s", label, files ? "gets to the file system" : "is refused");
    lx_Status st = run(L, out, src);
    if (files)
        tap_ok(st == LX_ERRRUN && strstr(lx_errmsg(L), "could not open file"), "%s (%s)", name, lx_errmsg(L));
    else
        fails(L, out, src, LX_ERRRUN, refusal("read_npy", "file"), name);

    snprintf(name, sizeof name, "%s: ENV %s", label, env ? "is the environment" : "is refused");
    if (env)
        prints(L, out, "println(ENV[\"LX_CONTROL_TEST\"])", "granted\n", name);
    else
        fails(L, out, "println(ENV[\"LX_CONTROL_TEST\"])", LX_ERRRUN, refusal("ENV", "environment"), name);

    snprintf(src, sizeof src, "include(\"%s\")", script_file);
    snprintf(name, sizeof name, "%s: include %s", label, inc ? "runs the file" : "is refused");
    if (inc)
        prints(L, out, src, "included 42\n", name);
    else
        fails(L, out, src, LX_ERRRUN, refusal("include", "include"), name);

    /* what a state always has: the language, tensors, layers and training */
    snprintf(name, sizeof name, "%s: sum(rand(3)) works", label);
    prints(L, out, "x = sum(rand(3)); println(0 <= x <= 3)", "true\n", name);
}

static void test_libraries(void)
{
    snprintf(tmpdir_path, sizeof tmpdir_path, "/tmp/lx_control_XXXXXX");
    if (!tap_ok(mkdtemp(tmpdir_path) != NULL, "a temporary folder")) return;
    snprintf(data_file, sizeof data_file, "%s/data.txt", tmpdir_path);
    snprintf(script_file, sizeof script_file, "%s/script.lx", tmpdir_path);
    tap_ok(write_file(data_file, "hello") && write_file(script_file, "println(\"included \", 6 * 7)\n"),
           "the files the states read");

    tap_text out = {0};
    static const struct {
        unsigned grant;
        const char *label;
    } grants[] = {
        {LX_LIB_SAFE, "LX_LIB_SAFE"},       {LX_LIB_FILES, "LX_LIB_FILES"}, {LX_LIB_ENV, "LX_LIB_ENV"},
        {LX_LIB_INCLUDE, "LX_LIB_INCLUDE"}, {LX_LIB_ALL, "LX_LIB_ALL"},
    };
    for (size_t i = 0; i < sizeof grants / sizeof grants[0]; i++) {
        lx_State *L = open_state(NULL, grants[i].grant, &out);
        if (!tap_ok(L != NULL, "a state with %s opens", grants[i].label)) continue;
        check_access(L, &out, grants[i].grant, grants[i].label);
        lx_close(L);
    }

    lx_State *L = open_state(NULL, LX_LIB_SAFE, &out);
    if (L) {
        /* the rest of the file system's door, each refused by name */
        static const char *const calls[][2] = {
            {"read(\"/etc/hostname\", String)", "read"},
            {"readlines(\"/etc/hostname\")", "readlines"},
            {"eachline(\"/etc/hostname\")", "eachline"},
            {"write(\"/tmp/x\", 1)", "write"},
            {"isfile(\"/etc/hostname\")", "isfile"},
            {"isdir(\"/\")", "isdir"},
            {"ispath(\"/\")", "ispath"},
            {"filesize(\"/etc/hostname\")", "filesize"},
            {"mkdir(\"/tmp/x\")", "mkdir"},
            {"mkpath(\"/tmp/x/y\")", "mkpath"},
            {"rm(\"/tmp/x\")", "rm"},
            {"pwd()", "pwd"},
            {"abspath(\"a\")", "abspath"},
            {"homedir()", "homedir"},
            {"tempdir()", "tempdir"},
            {"tempname()", "tempname"},
            {"read_csv(\"a.csv\")", "read_csv"},
            {"read_idx(\"a.idx\")", "read_idx"},
            {"load_digits()", "load_digits"},
            {"load_iris()", "load_iris"},
        };
        bool all = true;
        for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
            if (run(L, &out, calls[i][0]) == LX_ERRRUN && !strcmp(lx_errmsg(L), refusal(calls[i][1], "file")))
                continue;
            all = false;
            tap_diag("%s: %s", calls[i][0], lx_errmsg(L));
        }
        tap_ok(all, "LX_LIB_SAFE refuses the other %zu file functions, each by name",
               sizeof calls / sizeof calls[0]);
        prints(L, &out,
               "println(joinpath(\"a\", \"b\"), \" \", basename(\"a/b.c\"), \" \", splitext(\"b.c\"))",
               "a/b b.c (\"b\", \".c\")\n", "... not the path functions that only work on text");
        prints(L, &out, "io = IOBuffer(); write(io, \"hi\"); println(String(take!(io)))", "hi\n",
               "... nor IOBuffers");
        prints(L, &out, "ENV = Dict(\"a\" => 1); println(ENV[\"a\"])", "1\n",
               "... and a script's own global named ENV is only its own");
        /* a small model trains in a state with no access at all */
        prints(L, &out,
               "model = Chain(Dense(2 => 4, tanh), Dense(4 => 1))\n"
               "ps, st = setup(Xoshiro(0), model)\n"
               "x = Float32[0 1 0 1; 0 0 1 1]; y = Float32[0 1 1 0]\n"
               "ts = TrainState(model, ps, st, Adam(0.05f0))\n"
               "l0 = MSELoss()(first(model(x, ps, st)), y)\n"
               "for i in 1:50; _, l, _, ts = single_train_step!(AutoZygote(), MSELoss(), (x, y), ts); end\n"
               "println(MSELoss()(first(model(x, ts.parameters, ts.states)), y) < l0)",
               "true\n", "LX_LIB_SAFE: a model trains");
        lx_close(L);
    }
    free(out.s);
    unlink(data_file);
    unlink(script_file);
    rmdir(tmpdir_path);
}

/* ---- threads --------------------------------------------------------------------------------- */

/* A small model trained for 30 steps from a seed: the last loss, printed exactly. */
static const char *const train_src =
    "model = Chain(Dense(4 => 16, tanh), Dense(16 => 3))\n"
    "rng = Xoshiro(SEED)\n"
    "ps, st = setup(rng, model)\n"
    "x = randn(rng, Float32, 4, 64); y = randn(rng, Float32, 3, 64)\n"
    "ts = TrainState(model, ps, st, Adam(0.01f0))\n"
    "loss = 0f0\n"
    "for i in 1:30\n"
    "    _, loss, _, ts = single_train_step!(AutoZygote(), MSELoss(), (x, y), ts)\n"
    "end\n"
    "s = 0.0\n"
    "for i in 1:100000; s += sin(i * SEED); end\n"
    "print(repr(loss), \" \", repr(s))";

typedef struct {
    int seed;
    tap_text out;
    lx_Status st;
    char err[256];
} job;

static void *train(void *ud)
{
    job *j = ud;
    lx_State *L = open_state(NULL, LX_LIB_SAFE, &j->out);
    if (!L) {
        j->st = LX_ERRMEM;
        return NULL;
    }
    char src[1200];
    snprintf(src, sizeof src, "SEED = %d\n%s", j->seed, train_src);
    j->st = lx_dostring(L, src, strlen(src), "train");
    snprintf(j->err, sizeof j->err, "%s", j->st ? lx_errmsg(L) : "");
    lx_close(L);
    return NULL;
}

typedef struct {
    lx_State *L;
    lx_Status st;
    _Atomic int started;
} spinner;

static void *spin(void *ud)
{
    spinner *s = ud;
    atomic_store(&s->started, 1);
    const char *src = "i = 0; while true; global i += 1; end";
    s->st = lx_dostring(s->L, src, strlen(src), "spin");
    return NULL;
}

static void *interrupter(void *ud)
{
    spinner *s = ud;
    while (!atomic_load(&s->started))
        sched_yield();
    struct timespec t = {0, 50 * 1000 * 1000};
    nanosleep(&t, NULL);
    lx_interrupt(s->L);
    return NULL;
}

static void test_threads(void)
{
    job seq[2] = {{.seed = 1}, {.seed = 2}}, par[2] = {{.seed = 1}, {.seed = 2}};
    for (int i = 0; i < 2; i++)
        train(&seq[i]);
    tap_ok(seq[0].st == LX_OK && seq[1].st == LX_OK, "two trainings one after the other (%s%s)", seq[0].err,
           seq[1].err);
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, train, &par[i]);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < 2; i++) {
        bool ok = tap_ok(par[i].st == LX_OK && !strcmp(text(&par[i].out), text(&seq[i].out)),
                         "seed %d trained in its own thread beside another: the same loss and sum, %s",
                         par[i].seed, text(&seq[i].out));
        if (!ok) tap_diag("in a thread: status %d [%s] %s", par[i].st, text(&par[i].out), par[i].err);
        free(seq[i].out.s);
        free(par[i].out.s);
    }

    /* a third thread interrupts a state that another runs in an endless loop */
    tap_text out = {0};
    spinner s = {.L = open_state(NULL, LX_LIB_SAFE, &out)};
    if (!tap_ok(s.L != NULL, "a state for the endless loop")) return;
    pthread_t a, b;
    pthread_create(&a, NULL, spin, &s);
    pthread_create(&b, NULL, interrupter, &s);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    tap_ok(s.st == LX_ERRINTERRUPT,
           "lx_interrupt from another thread stops the loop: LX_ERRINTERRUPT (%d: %s)", s.st, lx_errmsg(s.L));
    prints(s.L, &out, "println(i > 0)", "true\n", "the state is usable after it, and the loop had run");
    lx_close(s.L);
    free(out.s);
}

int main(void)
{
    /* before any thread starts: setenv is not thread-safe */
    setenv("LX_CONTROL_TEST", "granted", 1);
    test_instruction_limit();
    test_memory_limit();
    test_libraries();
    test_threads();
    return tap_done();
}
