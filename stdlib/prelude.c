/* prelude.c — runs the library parts written in lx, turned into C strings by
 * the build (embed.cmake) in the order CMakeLists.txt lists them: the prelude
 * (stdlib/prelude.lx) first, then Lux (the files in stdlib/lux/), which opens after
 * the C libraries it builds on.
 *
 * Compiling Lux costs more than the rest of start-up together, and most scripts
 * never touch a layer, so it is deferred (lxG_defer): the first read, assignment
 * or definition of a name it defines, or `using Lux`, loads it whole, and its
 * semantics are the same as if it had been loaded at start.  The names come from
 * a scan of the sources' top-level definitions; tests/stdlib/test_deferred.c checks
 * that the scan finds every global the library defines.
 */
#include "lib.h"

#include <string.h>

extern const struct lxL_embedded {
    const char *name, *src;
} lxL_embedded[];

static void run(lx_State *L, const struct lxL_embedded *e)
{
    lxK_dosource(L, e->src, strlen(e->src), e->name);
}

void lxL_open_prelude(lx_State *L)
{
    run(L, &lxL_embedded[0]);
}

/* The module whose names a file defines (Lux 1.x's layout); files not listed are Lux's. */
static const struct {
    const char *file, *module;
} file_modules[] = {
    {"initializers.lx", "WeightInitializers"},
    {"map.lx", "Lux.Experimental"},
    {"freeze.lx", "Lux.Experimental"},
    {"debug.lx", "Lux.Experimental"},
    {"share.lx", "Lux.Experimental"},
    {"destructure.lx", "Lux.Experimental"},
    {"spectral.lx", "Lux.Experimental"},
    {"optimisers.lx", "Optimisers"},
    {"schedules.lx", "ParameterSchedulers"},
    {"data.lx", "MLUtils"},
    {"training.lx", "Training"},
    {"progress.lx", "ProgressMeter"},
    {"plots.lx", "UnicodePlots"},
};

static const char *file_module(const char *file)
{
    for (size_t i = 0; i < sizeof file_modules / sizeof file_modules[0]; i++)
        if (!strcmp(file_modules[i].file, file)) return file_modules[i].module;
    return "Lux";
}

static void load_lux(lx_State *L)
{
    for (const struct lxL_embedded *e = lxL_embedded + 1; e->name; e++) {
        int mark = lxG_mark(L);
        run(L, e);
        lxG_tag(L, mark, file_module(e->name));
    }
    lxL_tag_exceptions(L);
}

static bool ident_byte(unsigned char c)
{
    return c >= 0x80 || c == '_' || c == '!' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z');
}

/* Definition keywords a top-level line may start with, skipped to reach the name. */
static const char *const def_words[] = {"mutable ",  "struct ", "abstract ", "type ",
                                        "function ", "const ",  NULL};

/* Statements at column 0 that define nothing. */
static const char *const not_names[] = {"end",    "for",    "if",     "begin",  "let", "while",
                                        "using",  "import", "export", "return", "try", "else",
                                        "elseif", "true",   "false",  NULL};

/* The name a top-level line of lx source defines (`function f`, `struct T`, `f(x) = …`, `x = …`,
 * `Mod.f(x) = …` gives f), as [*start, *start + len); 0 when none. */
static size_t line_name(const char *p, const char *end, const char **start)
{
    for (bool again = true; again;) {
        again = false;
        for (int i = 0; def_words[i]; i++) {
            size_t n = strlen(def_words[i]);
            if ((size_t)(end - p) > n && !memcmp(p, def_words[i], n)) {
                p += n;
                again = true;
            }
        }
    }
    const char *s = p;
    while (p < end && ident_byte((unsigned char)*p))
        p++;
    if (p < end && *p == '.' && p > s) return line_name(p + 1, end, start); /* LuxCore.apply(...) = ... */
    size_t len = (size_t)(p - s);
    if (!len || (*s >= '0' && *s <= '9')) return 0;
    for (int i = 0; not_names[i]; i++)
        if (strlen(not_names[i]) == len && !memcmp(not_names[i], s, len)) return 0;
    *start = s;
    return len;
}

void lxL_open_lux(lx_State *L)
{
    /* the names, NUL-separated in one buffer, and pointers into it */
    size_t cap = 0, used = 0;
    for (const struct lxL_embedded *e = lxL_embedded + 1; e->name; e++)
        cap += strlen(e->src);
    size_t ncap = cap / 2 + 1;
    char *buf = lxM_realloc(L, NULL, 0, cap + 1);
    const char **names = lxM_realloc(L, NULL, 0, ncap * sizeof *names);
    int n = 0;
    for (const struct lxL_embedded *e = lxL_embedded + 1; e->name; e++) {
        bool in_doc = false; /* inside a """ docstring */
        for (const char *line = e->src; *line;) {
            const char *eol = strchr(line, '\n');
            if (!eol) eol = line + strlen(line);
            if (!in_doc && line < eol && *line != ' ' && *line != '#' && *line != '@') {
                const char *s;
                size_t len = line_name(line, eol, &s);
                if (len) {
                    names[n++] = buf + used;
                    memcpy(buf + used, s, len);
                    used += len;
                    buf[used++] = '\0';
                }
            }
            for (const char *q = line; q + 3 <= eol; q++)
                if (!memcmp(q, "\"\"\"", 3)) {
                    in_doc = !in_doc;
                    q += 2;
                }
            line = *eol ? eol + 1 : eol;
        }
    }
    lxG_defer(L, names, n, load_lux);
    lxM_free(L, buf, cap + 1);
    lxM_free(L, (void *)names, ncap * sizeof *names);
}
