/* test_safetensors.c — model files from the C API: a state opened without file access
 * (lx_openselectedlibs with LX_LIB_SAFE) refuses every built-in of the model files (save, load,
 * load_pytorch_weights, read_npy, write_npy) with an IOError saying so, and writes nothing; the same
 * calls work in a state with LX_LIB_FILES; a file saved by one state loads in another; broken
 * files never end a host's state (each an error status, the state usable after).
 */
#include "lx.h"
#include "tap.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void quiet(void *ud, int stream, const char *s, size_t n)
{
    (void)ud, (void)stream, (void)s, (void)n;
}

static lx_State *state(unsigned grant)
{
    lx_Config cfg = {0};
    cfg.writer = quiet;
    lx_State *L = lx_open(&cfg);
    if (!L || lx_openselectedlibs(L, grant) != LX_OK) return NULL;
    return L;
}

static lx_Status run(lx_State *L, const char *src)
{
    return lx_dostring(L, src, strlen(src), "test");
}

int main(void)
{
    char path[256], npy[256], src[1024];
    snprintf(path, sizeof path, "/tmp/lx_test_safetensors_%d.safetensors", (int)getpid());
    snprintf(npy, sizeof npy, "/tmp/lx_test_safetensors_%d.npy", (int)getpid());

    lx_State *safe = state(LX_LIB_SAFE);
    tap_ok(safe != NULL, "a state without file access opens");
    if (!safe) return tap_done();
    const char *calls[][2] = {
        {"save(\"%s\", (w = Float32[1, 2],))", "save: this lx state has no file access"},
        {"load(\"%s\")", "load: this lx state has no file access"},
        {"load_pytorch_weights(Dense(2 => 2), \"%s\")",
         "load_pytorch_weights: this lx state has no file access"},
        {"write_npy(\"%s\", [1, 2])", "write_npy: this lx state has no file access"},
        {"read_npy(\"%s\")", "read_npy: this lx state has no file access"},
    };
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        snprintf(src, sizeof src, calls[i][0], i < 3 ? path : npy);
        lx_Status st = run(safe, src);
        tap_ok(st == LX_ERRRUN && strstr(lx_errmsg(safe), "IOError") && strstr(lx_errmsg(safe), calls[i][1]),
               "no file access: %s -> %s", src, st == LX_OK ? "ok" : lx_errmsg(safe));
    }
    tap_ok(access(path, F_OK) != 0 && access(npy, F_OK) != 0, "nothing was written");
    /* a checkpoint's save(path, ts) goes through save too */
    tap_ok(run(safe, "m = Dense(1 => 1); ts = TrainState(m, setup(Xoshiro(0), m)..., Descent(0.1))") ==
                   LX_OK &&
               run(safe, "save(\"/tmp/lx_never.safetensors\", ts)") == LX_ERRRUN &&
               strstr(lx_errmsg(safe), "save: this lx state has no file access"),
           "no file access: save(path, ts::TrainState)");
    tap_ok(run(safe, "x = 1 + 1") == LX_OK, "the state is usable after the refusals");

    /* with file access: one state saves, another loads */
    lx_State *a = state(LX_LIB_FILES), *b = state(LX_LIB_ALL);
    tap_ok(a && b, "two states with file access open");
    if (!a || !b) return tap_done();
    snprintf(src, sizeof src, "save(\"%s\", (w = Float32[1.5, -2], n = typemax(Int64), r = Xoshiro(3)))",
             path);
    tap_ok(run(a, src) == LX_OK, "a state with file access saves");
    snprintf(src, sizeof src,
             "x = load(\"%s\"); x.w == Float32[1.5, -2] && x.n == typemax(Int64) && x.r == Xoshiro(3) || "
             "error(\"not the same\")",
             path);
    tap_ok(run(b, src) == LX_OK, "another state loads it: %s", lx_errmsg(b));

    /* broken files: an error status each time, never a crash; the state goes on */
    static const char *broken[] = {"", "\x08\0\0\0\0\0\0\0{}      x", "\xff\xff\xff\xff\xff\xff\xff\x7f{}",
                                   "\x08\0\0\0\0\0\0\0[]      "};
    static const size_t lens[] = {0, 17, 10, 16};
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
        FILE *f = fopen(path, "wb");
        if (f) {
            fwrite(broken[i], 1, lens[i], f);
            fclose(f);
        }
        snprintf(src, sizeof src, "load(\"%s\")", path);
        lx_Status st = run(b, src);
        tap_ok(st == LX_ERRRUN && strstr(lx_errmsg(b), "IOError: load: "), "broken file %zu: %s", i,
               lx_errmsg(b));
    }
    tap_ok(run(b, "y = 2") == LX_OK, "the state is usable after the broken files");
    remove(path);
    remove(npy);
    lx_close(safe);
    lx_close(a);
    lx_close(b);
    return tap_done();
}
