/* api.c — running code through the public API (lx_dostring, lx_dofile,
 * lx_doline), error retrieval, and the parse-compile-run loop that include
 * shares (lxK_dosource).  Every entry point is protected: an error comes
 * back as a status with the message and stack trace kept on the state.
 */
#include "nn.h"
#include "parse.h"
#include "runtime.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OOM_SLACK ((size_t)256 << 10)

typedef struct {
    const char *src;
    size_t len;
    const char *chunk;
    lxA_arena arena;
    lxA_node *tree;
    lx_Value result;
    int echo;
} source;

static void parse_all(lx_State *L, void *ud)
{
    source *s = ud;
    lxP_result res;
    lxA_arena_init(&s->arena, lxM_arena_alloc, L);
    L->slack = OOM_SLACK;
    s->tree = lxP_parse(s->src, s->len, s->chunk, &s->arena, &res);
    L->slack = 0;
    if (!res.ok) {
        if ((!s->tree && !res.message[0]) || strstr(res.message, "out of memory"))
            lxD_throw(L, LX_ERRMEM, "OutOfMemoryError: parsing %s", s->chunk);
        size_t n = lxP_format_error(s->src, s->len, s->chunk, &res, NULL, 0);
        char *msg = lxM_realloc(L, NULL, 0, n + 1);
        lxP_format_error(s->src, s->len, s->chunk, &res, msg, n + 1);
        lx_Value e;
        /* the message must outlive this buffer: an interned string */
        e = lxE_new(L, LXT_ParseError, msg);
        lxM_free(L, msg, n + 1);
        lxE_throw(L, e);
    }
}

static void run_all(lx_State *L, void *ud)
{
    source *s = ud;
    lxO_string *file = lxS_cstr(L, s->chunk);
    s->result = lxO_nothing();
    L->current_file = lxO_obj(file);
    const char *dis = getenv("LX_DISASM");
    for (int i = 0; i < s->tree->n; i++) {
        L->slack = OOM_SLACK; /* a state at its limit can still compile and start `x = nothing` */
        lxO_proto *p = lxK_compile(L, &s->arena, s->tree->kids[i], file);
        if (dis && *dis == '1') lxK_disasm(L, p, 0);
        lx_Value fn = lxO_obj(lxV_closure_new(L, p));
        L->slack = 0;
        s->result = lxV_call(L, fn, NULL, 0, lxO_nothing());
    }
}

/* Re-raises the error a protected call caught, to the next handler out. */
static void rethrow(lx_State *L, lx_Status st) __attribute__((noreturn));
static void rethrow(lx_State *L, lx_Status st)
{
    L->errjmp->status = st;
    longjmp(L->errjmp->buf, 1);
}

lx_Value lxK_dosource(lx_State *L, const char *src, size_t len, const char *chunk)
{
    source s;
    memset(&s, 0, sizeof s);
    s.src = src;
    s.len = len;
    s.chunk = chunk;
    lx_Value saved_file = L->current_file; /* include() paths resolve against the including file */
    int mark = lxV_root(L, saved_file);
    lx_Status st = lxD_pcall(L, parse_all, &s);
    if (st == LX_OK) st = lxD_pcall(L, run_all, &s);
    L->current_file = saved_file;
    lxV_unroot(L, mark);
    lxA_arena_free(&s.arena);
    if (st != LX_OK) rethrow(L, st);
    return s.result;
}

/* ---- errors for the host ------------------------------------------------------------------------ */

static void set_text(lx_State *L, char **dst, size_t *cap, const char *s, size_t n)
{
    if (*dst) L->alloc(L->alloc_ud, *dst, *cap, 0);
    L->total -= *dst ? *cap : 0;
    *dst = L->alloc(L->alloc_ud, NULL, 0, n + 1);
    if (!*dst) {
        *cap = 0;
        return;
    }
    L->total += n + 1;
    *cap = n + 1;
    memcpy(*dst, s, n);
    (*dst)[n] = '\0';
}

static void describe_error(lx_State *L, void *ud)
{
    (void)ud;
    lxW_buf b;
    lxW_init(L, &b);
    lxW_showerror(&b, L->exc);
    set_text(L, &L->errfull, &L->errfull_len, b.s ? b.s : "", b.len);
    lxW_free(&b);
    lxW_init(L, &b);
    for (int i = 0, k = 1; i < L->ntrace; k++) {
        lxV_traceentry *e = &L->trace[i];
        int same = 1; /* a recursion shows once, with its count, as in Julia */
        while (i + same < L->ntrace && L->trace[i + same].func == e->func &&
               L->trace[i + same].file == e->file && L->trace[i + same].line == e->line)
            same++;
        lxW_printf(&b, " [%d] %s", k, e->func ? e->func->data : "?");
        if (e->file) lxW_printf(&b, " at %s:%d", e->file->data, e->line);
        if (same > 1)
            lxW_printf(&b, " (repeats %d times%s)", same, i + same == LXV_TRACE_MAX ? " or more" : "");
        lxW_puts(&b, "\n");
        i += same;
    }
    set_text(L, &L->errtrace, &L->errtrace_len, b.s ? b.s : "", b.len);
    lxW_free(&b);
}

/* After a failed protected call: the message and trace, and the VM's stacks
 * back to where the call began. */
typedef lxK_vmmark vmmark;

/* Every entry point that runs lx code starts here and ends in finish: an outermost run gets a
 * fresh instruction budget. */
static vmmark mark_vm(lx_State *L)
{
    vmmark m = {L->nframes, L->nhandlers, L->nroots, L->nexec, L->seg, L->top, L->bcast_mode, false};
    m.outermost = L->nframes == 0 && L->nexec == 0;
    if (m.outermost) lxE_startrun(L);
    return m;
}

/* The message and trace of a run stopped by its instruction limit (whatever else the unwinding met
 * on its way out, a full memory say). */
static lx_Status limit_reached(lx_State *L, lx_Status st, int nframes)
{
    L->exiting = false;
    if (st != LX_OK && st != LX_ERRMEM) {
        L->slack = OOM_SLACK;
        lxD_pcall(L, describe_error, NULL);
        L->slack = 0;
        lxW_release(L, nframes);
    } else {
        set_text(L, &L->errtrace, &L->errtrace_len, "", 0);
    }
    char msg[64];
    int n = snprintf(msg, sizeof msg, "instruction limit of %llu reached", (unsigned long long)L->ilimit);
    set_text(L, &L->errfull, &L->errfull_len, msg, (size_t)n);
    return LX_ERRLIMIT;
}

void lxK_restorevm(lx_State *L, lxK_vmmark m)
{
    L->nframes = m.nframes;
    lxW_release(L, m.nframes);
    L->nhandlers = m.nhandlers;
    L->nroots = m.nroots;
    L->bcast_mode = m.bcast_mode;
    L->nexec = m.nexec;
    L->seg = m.seg;
    L->top = m.top;
}

static lx_Status finish(lx_State *L, lx_Status st, vmmark m)
{
    L->slack = 0;
    lxK_restorevm(L, m);
    bool limited = L->limit_hit;
    if (m.outermost) lxE_endrun(L);
    /* a C catch-all (@test) that swallowed the limit's error let the run end, but it was cut short */
    if (limited && (st != LX_OK || m.outermost)) return limit_reached(L, st, m.nframes);
    if (st == LX_OK) {
        L->exiting = false; /* a C catch-all (@test) swallowed an exit: it ends there */
        return st;
    }
    /* a tensor the nn pool could not hold raises OutOfMemoryError as a value: the same status */
    if (st == LX_ERRRUN && lxO_is(L->exc, LXO_STRUCT) && L->exc.v.o->type == L->T[LXT_OutOfMemoryError])
        st = LX_ERRMEM;
    /* out of memory at the outermost level: give back what the failed code left unreachable */
    if (st == LX_ERRMEM && L->nframes == 0) lxC_collect(L);
    if (lxO_is(L->exc, LXO_STRUCT) && L->exc.v.o->type == L->T[LXT_InterruptException]) st = LX_ERRINTERRUPT;
    if (L->exiting) {
        L->exiting = false;
        char msg[32];
        int n = snprintf(msg, sizeof msg, "exit(%d)", L->exitcode);
        set_text(L, &L->errfull, &L->errfull_len, msg, (size_t)n);
        set_text(L, &L->errtrace, &L->errtrace_len, "", 0);
        return LX_EXIT;
    }
    if (lxO_is(L->exc, LXO_STRUCT) && L->exc.v.o->type == L->T[LXT_ParseError]) st = LX_ERRSYNTAX;
    L->slack = OOM_SLACK; /* describing an OutOfMemoryError must not run out itself */
    lx_Status dst = lxD_pcall(L, describe_error, NULL);
    L->slack = 0;
    lxW_release(L, m.nframes);
    if (dst != LX_OK) {
        set_text(L, &L->errfull, &L->errfull_len, "OutOfMemoryError: while describing an error", 43);
    }
    return st;
}

lxK_vmmark lxK_markvm(lx_State *L)
{
    return mark_vm(L);
}

lx_Status lxK_finish(lx_State *L, lx_Status st, lxK_vmmark m)
{
    return finish(L, st, m);
}

static void do_source(lx_State *L, void *ud)
{
    source *s = ud;
    s->result = lxK_dosource(L, s->src, s->len, s->chunk);
    if (s->echo) {
        lx_Value show = lxG_get(L, "__repl_show");
        if (show.tag != LX_TUNDEF && s->result.tag != LX_TNOTHING) {
            lxV_call(L, show, &s->result, 1, lxO_nothing());
        } else if (s->result.tag != LX_TNOTHING) {
            lxW_buf b;
            lxW_init(L, &b);
            lxW_show(&b, s->result);
            lxW_puts(&b, "\n");
            lxE_write(L, 1, b.s, b.len);
            lxW_free(&b);
        }
    }
}

lx_Status lxK_report(lx_State *L, lx_Status st)
{
    vmmark m = {0, 0, 0, 0, 0, L->segs[0].vals, 0, false};
    return finish(L, st, m);
}

lx_Status lx_doline(lx_State *L, const char *src, size_t len, const char *chunk, int echo)
{
    source s;
    memset(&s, 0, sizeof s);
    s.src = src;
    s.len = len;
    s.chunk = chunk ? chunk : "string";
    /* a trailing ; silences the echo, as in Julia's REPL */
    size_t e = len;
    while (e > 0 && (src[e - 1] == ' ' || src[e - 1] == '\n' || src[e - 1] == '\t' || src[e - 1] == '\r'))
        e--;
    s.echo = echo && !(e > 0 && src[e - 1] == ';');
    vmmark m = mark_vm(L);
    /* near the memory limit at the outermost level (a safe point): collect first */
    if (L->limit && L->nframes == 0 &&
        (L->total > L->limit / 4 * 3 || nn_ctx_bytes_live(L->nn) > L->limit / 4 * 3))
        lxC_collect(L);
    lx_Status st = lxD_pcall(L, do_source, &s);
    st = finish(L, st, m);
    if (st == LX_OK && echo) {
        lx_Value ans = s.result;
        lxG_set(L, "ans", ans);
    }
    return st;
}

lx_Status lx_dostring(lx_State *L, const char *src, size_t len, const char *chunk)
{
    return lx_doline(L, src, len, chunk, 0);
}

lx_Status lx_dofile(lx_State *L, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        int nframes = L->nframes;
        L->exc = lxO_nothing();
        lx_Status st = LX_ERRRUN;
        char msg[600];
        snprintf(msg, sizeof msg, "IOError: could not open file %s: %s", path, strerror(errno));
        set_text(L, &L->errfull, &L->errfull_len, msg, strlen(msg));
        set_text(L, &L->errtrace, &L->errtrace_len, "", 0);
        L->nframes = nframes;
        return st;
    }
    size_t cap = 65536, n = 0;
    char *buf = L->alloc(L->alloc_ud, NULL, 0, cap);
    size_t k;
    while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            char *nb = L->alloc(L->alloc_ud, buf, cap, cap * 2);
            if (!nb) {
                L->alloc(L->alloc_ud, buf, cap, 0);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    bool bad = ferror(f) != 0;
    fclose(f);
    if (bad && buf) { /* a directory, or a read error */
        L->alloc(L->alloc_ud, buf, cap, 0);
        char msg[600];
        snprintf(msg, sizeof msg, "IOError: could not read file %s: %s", path, strerror(errno));
        set_text(L, &L->errfull, &L->errfull_len, msg, strlen(msg));
        set_text(L, &L->errtrace, &L->errtrace_len, "", 0);
        return LX_ERRRUN;
    }
    if (!buf) {
        set_text(L, &L->errfull, &L->errfull_len, "OutOfMemoryError: reading the file", 34);
        return LX_ERRMEM;
    }
    lx_Status st = lx_doline(L, buf, n, path, 0);
    L->alloc(L->alloc_ud, buf, cap, 0);
    return st;
}

void lx_setcolor(lx_State *L, int on)
{
    L->color = on != 0;
}

int lx_getcolor(const lx_State *L)
{
    return L->color;
}

int lx_incomplete(lx_State *L, const char *src, size_t len)
{
    lxA_arena a;
    lxA_arena_init(&a, lxM_arena_alloc, L);
    lxP_result res;
    lxP_parse(src, len, "REPL", &a, &res);
    lxA_arena_free(&a);
    return !res.ok && res.incomplete;
}

const char *lx_errmsg(const lx_State *L)
{
    return L->errfull ? L->errfull : "";
}

int lx_exitcode(const lx_State *L)
{
    return L->exitcode;
}

const char *lx_traceback(const lx_State *L)
{
    return L->errtrace ? L->errtrace : "";
}

typedef struct {
    const char *program;
    int argc;
    const char *const *argv;
} argsinfo;

static void set_args(lx_State *L, void *ud)
{
    argsinfo *a = ud;
    lxO_list *l = lxO_list_new(L, (size_t)a->argc);
    lxG_set(L, "ARGS", lxO_obj(l));
    for (int i = 0; i < a->argc; i++)
        lxO_list_push(L, l, lxO_cstr(L, a->argv[i]));
    lxG_set(L, "PROGRAM_FILE", lxO_cstr(L, a->program ? a->program : ""));
}

lx_Status lx_setargs(lx_State *L, const char *program, int argc, const char *const *argv)
{
    argsinfo a = {program, argc, argv};
    vmmark m = mark_vm(L);
    return finish(L, lxD_pcall(L, set_args, &a), m);
}
