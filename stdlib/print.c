/* print.c — printing (spec §5b): print, println, show, repr, string,
 * sprint, showerror, display, the stdout/stderr/IOBuffer values they write
 * to, and the hook that lets a user's `show` method print a struct wherever
 * it appears (inside tuples, lists, named tuples).
 */
#include "lib.h"

#include <string.h>

static lxO_io *io_new(lx_State *L, lxO_iokind k)
{
    lxO_io *io = lxO_new(L, sizeof *io, LXO_IO, L->T[LXT_IO]);
    io->io = k;
    io->writable = true;
    io->readable = k == LXIO_BUFFER;
    return io;
}

void lxL_iowrite(lx_State *L, lx_Value v, const char *s, size_t n)
{
    if (!lxO_is(v, LXO_IO)) lxE_typeerror(L, "write", "an IO", v);
    lxO_io *io = lxO_as(lxO_io, v);
    if (io->closed) lxE_error(L, LXT_ArgumentError, "write: the stream is closed");
    if (!io->writable) lxE_error(L, LXT_ArgumentError, "write: the stream is not open for writing");
    switch (io->io) {
    case LXIO_STDOUT: lxE_write(L, 1, s, n); break;
    case LXIO_STDERR: lxE_write(L, 2, s, n); break;
    case LXIO_BUFFER:
        if (io->len + n + 1 > io->cap) {
            size_t cap = io->cap ? io->cap : 64;
            while (cap < io->len + n + 1)
                cap *= 2;
            io->buf = lxM_realloc(L, io->buf, io->cap, cap);
            io->cap = cap;
        }
        memcpy(io->buf + io->len, s, n);
        io->len += n;
        io->buf[io->len] = '\0';
        break;
    case LXIO_FILE:
        if (fwrite(s, 1, n, io->fp) != n)
            lxE_error(L, LXT_IOError, "write: %s", io->name ? io->name->data : "file");
        break;
    }
}

static lx_Value p_show(lx_State *L, lx_Value *a, int n, lx_Value kw);

/* A method of show(io, x) for x's type other than the built-in display: a user's method for a
 * struct (in lx, or a host's C function), or the C method a built-in type of C data registers (Xoshiro's,
 * random.c). */
static bool user_show(lx_State *L, lx_Value v, lx_Value *fn)
{
    if (!(lxO_is(v, LXO_STRUCT) || lxO_is(v, LXO_CDATA))) return false;
    lx_Value show = lxG_get(L, "show");
    if (!lxO_is(show, LXO_GENERIC)) return false;
    lx_Value args[2] = {lxG_get(L, "stdout"), v};
    bool amb;
    lxO_method *m = lxF_lookup(L, lxO_as(lxO_generic, show), args, 2, &amb);
    if (!m || m->cfn == p_show || (m->cfn && !lxO_is(v, LXO_CDATA) && !lxL_ishostmethod(m))) return false;
    *fn = show;
    return true;
}

/* The full display's method written in lx, Julia's `show(io::IO, ::MIME, x::MyType)` (what the
 * REPL and show(x) print: Lux's model tree, a parameter tree's shapes); false when there is none. */
static bool mime_show(lx_State *L, lx_Value io, lx_Value v)
{
    if (!lxO_is(v, LXO_STRUCT) && !lxO_is(v, LXO_NTUPLE)) return false;
    lx_Value show = lxG_get(L, "show"), mt = lxG_get(L, "MIME");
    if (!lxO_is(show, LXO_GENERIC) || !lxO_is(mt, LXO_TYPE)) return false;
    lxO_struct *mime = lxO_struct_new(L, lxO_as(lxO_type, mt));
    lx_Value args[3] = {io, lxO_obj(mime), v};
    int mark = lxV_root(L, args[1]);
    mime->fields[0] = lxO_str(L, "text/plain", 10);
    bool amb;
    lxO_method *m = lxF_lookup(L, lxO_as(lxO_generic, show), args, 3, &amb);
    bool found = m && (!m->cfn || lxL_ishostmethod(m));
    if (found) lxV_call(L, show, args, 3, lxO_nothing());
    lxV_unroot(L, mark);
    return found;
}

static lx_Value capture_show(lx_State *L, lx_Value fn, lx_Value v)
{
    lxO_io *io = io_new(L, LXIO_BUFFER);
    int mark = lxV_root(L, lxO_obj(io));
    lx_Value args[2] = {lxO_obj(io), v};
    lxV_call(L, fn, args, 2, lxO_nothing());
    lx_Value s = lxO_str(L, io->buf ? io->buf : "", io->len);
    lxV_unroot(L, mark);
    return s;
}

static bool show_hook(lx_State *L, void *buf, lx_Value v)
{
    lx_Value fn;
    if (!user_show(L, v, &fn)) return false;
    lxW_buf *b = buf;
    lx_Value s = capture_show(L, fn, v);
    lxW_add(b, lxO_as(lxO_string, s)->data, lxO_as(lxO_string, s)->len);
    return true;
}

void lxL_printvalue(lx_State *L, lxW_buf *b, lx_Value v, bool repr)
{
    lx_Value fn;
    if (user_show(L, v, &fn)) {
        lx_Value s = capture_show(L, fn, v);
        lxW_add(b, lxO_as(lxO_string, s)->data, lxO_as(lxO_string, s)->len);
        return;
    }
    if (repr)
        lxW_repr(b, v);
    else
        lxW_print(b, v);
}

static lx_Value stdout_value(lx_State *L)
{
    return lxG_get(L, "stdout");
}

static lx_Value print_to(lx_State *L, lx_Value io, lx_Value *a, int n, bool newline)
{
    lxW_buf b;
    lxW_init(L, &b);
    for (int i = 0; i < n; i++)
        lxL_printvalue(L, &b, a[i], false);
    if (newline) lxW_puts(&b, "\n");
    lxL_iowrite(L, io, b.s ? b.s : "", b.len);
    lxW_free(&b);
    return lxO_nothing();
}

static lx_Value p_print(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (n && lxO_is(a[0], LXO_IO)) return print_to(L, a[0], a + 1, n - 1, false);
    return print_to(L, stdout_value(L), a, n, false);
}

static lx_Value p_println(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (n && lxO_is(a[0], LXO_IO)) return print_to(L, a[0], a + 1, n - 1, true);
    return print_to(L, stdout_value(L), a, n, true);
}

/* show(io, x): the built-in method, which user methods override by type. */
static lx_Value p_show(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value io = n == 2 ? a[0] : stdout_value(L), v = a[n - 1];
    lxW_buf b;
    lxW_init(L, &b);
    if (n == 1) {
        lx_Value fn;
        if (mime_show(L, io, v)) {
            lxW_free(&b);
            return lxO_nothing();
        }
        if (user_show(L, v, &fn)) {
            lx_Value args[2] = {io, v};
            lxV_call(L, fn, args, 2, lxO_nothing());
            lxW_free(&b);
            return lxO_nothing();
        }
        lxW_show(&b, v); /* show(x) alone: the REPL's multi-line display */
    } else {
        lxW_repr(&b, v);
    }
    lxL_iowrite(L, io, b.s ? b.s : "", b.len);
    lxW_free(&b);
    return lxO_nothing();
}

static lx_Value p_repr(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxW_buf b;
    lxW_init(L, &b);
    lxL_printvalue(L, &b, a[0], true);
    lx_Value r = lxO_str(L, b.s ? b.s : "", b.len);
    lxW_free(&b);
    return r;
}

static lx_Value p_string(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (n == 1 && lxO_is(a[0], LXO_STRING)) return a[0];
    lxW_buf b;
    lxW_init(L, &b);
    for (int i = 0; i < n; i++)
        lxL_printvalue(L, &b, a[i], false);
    lx_Value r = lxO_str(L, b.s ? b.s : "", b.len);
    lxW_free(&b);
    return r;
}

static lx_Value p_sprint(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_io *io = io_new(L, LXIO_BUFFER);
    int mark = lxV_root(L, lxO_obj(io));
    lx_Value args[64];
    if (n > 63) lxE_error(L, LXT_ArgumentError, "sprint: too many arguments");
    args[0] = lxO_obj(io);
    memcpy(args + 1, a + 1, (size_t)(n - 1) * sizeof *a);
    lxV_call(L, a[0], args, n, kw);
    lx_Value r = lxO_str(L, io->buf ? io->buf : "", io->len);
    lxV_unroot(L, mark);
    return r;
}

static lx_Value p_showerror(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxW_buf b;
    lxW_init(L, &b);
    lxW_showerror(&b, a[n - 1]);
    lxL_iowrite(L, n == 2 ? a[0] : stdout_value(L), b.s ? b.s : "", b.len);
    lxW_free(&b);
    return lxO_nothing();
}

static lx_Value p_display(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    p_show(L, a, 1, kw);
    lxL_iowrite(L, stdout_value(L), "\n", 1);
    return lxO_nothing();
}

static lx_Value p_iobuffer(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_io *io = io_new(L, LXIO_BUFFER);
    if (n == 1) {
        lxO_string *s = lxL_string(L, a, 0, "IOBuffer");
        lxL_iowrite(L, lxO_obj(io), s->data, s->len);
    }
    return lxO_obj(io);
}

static lx_Value p_take(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (!lxO_is(a[0], LXO_IO) || lxO_as(lxO_io, a[0])->io != LXIO_BUFFER)
        lxE_typeerror(L, "take!", "an IOBuffer", a[0]);
    lxO_io *io = lxO_as(lxO_io, a[0]);
    lx_Value r = lxO_str(L, io->buf ? io->buf + io->pos : "", io->len - io->pos);
    io->len = io->pos = 0;
    return r;
}

static lx_Value p_flush(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_nothing();
}

/* redirect_stderr(f, io): while f runs, what lx writes to that stream goes into io instead (the
 * writer is swapped and put back however f ends, so a raise inside f still restores it). */
typedef struct {
    lx_State *L;
    lx_Writer prev;
    void *prev_ud;
    int stream;
    lx_Value io;
} redirect;

static void redirect_write(void *ud, int stream, const char *s, size_t n)
{
    redirect *r = ud;
    if (stream == r->stream)
        lxL_iowrite(r->L, r->io, s, n);
    else
        r->prev(r->prev_ud, stream, s, n);
}

static lx_Value redirect_call(lx_State *L, lx_Value *a, int stream, const char *who)
{
    if (!lxO_is(a[1], LXO_IO)) lxE_typeerror(L, who, "an IO", a[1]);
    redirect r = {L, L->writer, L->writer_ud, stream, a[1]};
    L->writer = redirect_write;
    L->writer_ud = &r;
    lx_Value res;
    lx_Status st = lxV_pcall(L, a[0], NULL, 0, lxO_nothing(), &res);
    L->writer = r.prev;
    L->writer_ud = r.prev_ud;
    if (st != LX_OK) lxE_throw(L, res);
    return res;
}

static lx_Value p_redirect_stdout(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return redirect_call(L, a, 1, "redirect_stdout");
}

static lx_Value p_redirect_stderr(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return redirect_call(L, a, 2, "redirect_stderr");
}

static lx_Value p_repl_show(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value io = stdout_value(L);
    if (mime_show(L, io, a[0])) {
        lxL_iowrite(L, io, "\n", 1);
        return lxO_nothing();
    }
    lxW_buf b;
    lxW_init(L, &b);
    lx_Value fn;
    if (user_show(L, a[0], &fn)) {
        lx_Value s = capture_show(L, fn, a[0]);
        lxW_add(&b, lxO_as(lxO_string, s)->data, lxO_as(lxO_string, s)->len);
    } else {
        lxW_show(&b, a[0]);
    }
    lxW_puts(&b, "\n");
    lxL_iowrite(L, io, b.s, b.len);
    lxW_free(&b);
    return lxO_nothing();
}

/* show(io, ::MIME, x) with no method of x's own: the full display, or x's own show(io, x). */
static lx_Value p_show_mime(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value fn;
    if (user_show(L, a[2], &fn)) {
        lx_Value args[2] = {a[0], a[2]};
        return lxV_call(L, fn, args, 2, lxO_nothing());
    }
    lxW_buf b;
    lxW_init(L, &b);
    lxW_show(&b, a[2]);
    lxL_iowrite(L, a[0], b.s ? b.s : "", b.len);
    lxW_free(&b);
    return lxO_nothing();
}

static const char mime_src[] =
    "\"\"\"\n    MIME(\"text/plain\")\n\nA media type, for the display method `show(io::IO, ::MIME, "
    "x::MyType)`: "
    "what the REPL and `show(x)` print (several lines: a model's tree), where `show(io, x)` is the compact "
    "form used inside other values.\n\n# Arguments\n- `mime`: the media type's name, a String (lx's display "
    "methods use \"text/plain\").\n\n# Returns\nA MIME.\n\n# Examples\n```\nlx> "
    "MIME(\"text/plain\").mime\n\"text/plain\"\n```\n"
    "\"\"\"\nstruct MIME\n    mime::String\nend\n";

static const lxL_Reg print_lib[] = {
    {"print", "(xs...)", p_print,
     "    print([io,] xs...)\n\nWrites each argument's text (strings without quotes) to io (stdout by "
     "default).\n\n# Arguments\n- `io`: the stream to write to (stdout when left out).\n- `xs`: any "
     "values.\n\n# Returns\n`nothing`.\n\n# Examples\n```\nlx> print(\"a\", 1, :b)\na1b\n```"},
    {"println", "(xs...)", p_println,
     "    println([io,] xs...)\n\n`print` followed by a newline.\n\n# Arguments\n- `io`: the stream to write "
     "to (stdout when left out).\n- `xs`: any values.\n\n# Returns\n`nothing`.\n\n# Examples\n```\nlx> "
     "println(\"x = \", 1.5)\nx = 1.5\n```"},
    {"show", "(x)", p_show,
     "    show(x)\n    show(io, x)\n\n`show(x)` writes x's full display (as the REPL shows it); `show(io, "
     "x)` writes its compact form, as `repr` gives it. Add a method `show(io::IO, x::MyType)` to change how "
     "your type prints everywhere.\n\n# Arguments\n- `io`: the stream to write to (stdout when left out).\n- "
     "`x`: any value.\n\n# Returns\n`nothing`.\n\n# Examples\n```\nlx> show([1, \"a\"])\n2-element List:\n "
     "1\n \"a\"\nlx> show(stdout, \"a\")\n\"a\"\n```"},
    {"show", "(io::IO, x)", p_show, ""},
    {"show", "(io::IO, mime::MIME, x)", p_show_mime, ""},
    {"repr", "(x)", p_repr,
     "    repr(x)\n\nThe text `show(io, x)` writes, as a String: how code would write the value.\n\n# "
     "Arguments\n- `x`: any value.\n\n# Returns\nA String.\n\n# Examples\n```\nlx> "
     "repr(\"a\")\n\"\\\"a\\\"\"\n\nlx> repr((a = 1,))\n\"(a = 1,)\"\n```"},
    {"string", "(xs...)", p_string,
     "    string(xs...)\n\nThe printed text of the arguments, concatenated.\n\n# Arguments\n- `xs`: any "
     "values, written as `print` writes them.\n\n# Returns\nA String (a single String argument itself).\n\n# "
     "Examples\n```\nlx> string(\"n = \", 3, \", x = \", 0.5)\n\"n = 3, x = 0.5\"\n```"},
    {"sprint", "(f, args...)", p_sprint,
     "    sprint(f, args...)\n\nRuns `f(io, args...)` with io a fresh buffer and returns the text written to "
     "it: `sprint(show, x)`, `sprint(showerror, err)`.\n\n# Arguments\n- `f`: a function taking an IO "
     "first.\n- `args`: the other arguments for f (keyword arguments are passed on to f too).\n\n# "
     "Returns\nA String.\n\n# Examples\n```\nlx> sprint(show, 1.0)\n\"1.0\"\n\nlx> sprint(showerror, "
     "ArgumentError(\"bad\"))\n\"ArgumentError: bad\"\n```"},
    {"showerror", "(e)", p_showerror,
     "    showerror(io, e)\n\nWrites an exception's message as an uncaught error prints it.\n\n# "
     "Arguments\n- `io`: the stream to write to (stdout when left out).\n- `e`: an exception (any value: "
     "other values are written as `print` writes them).\n\n# Returns\n`nothing`.\n\n# Examples\n```\nlx> "
     "showerror(stdout, KeyError(:a))\nKeyError: key :a not found\n```"},
    {"showerror", "(io::IO, e)", p_showerror, ""},
    {"display", "(x)", p_display,
     "    display(x)\n\nShows x as the REPL would, followed by a newline.\n\n# Arguments\n- `x`: any "
     "value.\n\n# Returns\n`nothing`.\n\n# Examples\n```\nlx> display((1, 2))\n(1, 2)\n```"},
    {"IOBuffer", "(s::String = \"\")", p_iobuffer,
     "    IOBuffer()\n    IOBuffer(s)\n\nAn in-memory stream: write to it with print/write, read it back "
     "with `take!` or `String(take!(io))`.\n\n# Arguments\n- `s`: a String the buffer starts with, to be "
     "read back (the empty buffer when left out).\n\n# Returns\nAn IO (an in-memory buffer), readable and "
     "writable.\n\n# Examples\n```\nlx> io = IOBuffer(); print(io, \"hi \", 2); take!(io)\n\"hi 2\"\n```"},
    {"take!", "(io::IO)", p_take,
     "    take!(io)\n\nThe contents of an IOBuffer as a String, emptying it (lx has no byte vectors: this is "
     "Julia's `String(take!(io))`).\n\n# Arguments\n- `io`: an IOBuffer (another stream is a "
     "TypeError).\n\n# Returns\nA String: what has not yet been read; the buffer is left empty.\n\n# "
     "Examples\n```\nlx> io = IOBuffer(); print(io, 42); take!(io)\n\"42\"\n```"},
    {"flush", "(io::IO)", p_flush,
     "    flush(io)\n\nWrites out anything buffered (lx writes through at once).\n\n# Arguments\n- `io`: a "
     "stream.\n\n# Returns\n`nothing`.\n\n# Examples\n```\nlx> flush(stdout)\n\n```"},
    {"redirect_stdout", "(f, io::IO)", p_redirect_stdout,
     "    redirect_stdout(f, io)\n\nRuns `f()` with what lx writes to standard output (`print`, `println`, "
     "`show`) going into `io` instead, and returns f's value; the stream is put back however f ends. Julia's "
     "form, which also takes an IOBuffer here.\n\n# Arguments\n- `f`: a function of no arguments.\n- `io`: "
     "the stream that takes standard output meanwhile (an IOBuffer, or a file opened for writing).\n\n# "
     "Returns\nWhat `f()` returns.\n\n# Examples\n```\nlx> io = IOBuffer();\n\nlx> redirect_stdout(() -> "
     "println(\"hidden\"), io);\n\nlx> take!(io)\n\"hidden\\n\"\n```"},
    {"redirect_stderr", "(f, io::IO)", p_redirect_stderr,
     "    redirect_stderr(f, io)\n\nRuns `f()` with what lx writes to standard error (`@info`, `@warn`, "
     "`@error`, `print(stderr, …)`) going into `io` instead, and returns f's value; the stream is put back "
     "however f ends. The way to capture log lines in a test.\n\n# Arguments\n- `f`: a function of no "
     "arguments.\n- `io`: the stream that takes standard error meanwhile (an IOBuffer, or a file opened for "
     "writing).\n\n# Returns\nWhat `f()` returns.\n\n# Examples\n```\nlx> io = IOBuffer();\n\nlx> "
     "redirect_stderr(() -> @info(\"quiet\"), io);\n\nlx> take!(io)\n\"[ Info: quiet\\n\"\n```"},
    {"__repl_show", "(x)", p_repl_show, ""},
    {NULL, NULL, NULL, NULL}};

void lxL_open_print(lx_State *L);
void lxL_open_print(lx_State *L)
{
    lxG_set(L, "stdout", lxO_obj(io_new(L, LXIO_STDOUT)));
    lxG_set(L, "stderr", lxO_obj(io_new(L, LXIO_STDERR)));
    lxL_setdoc(L, "stdout",
               "    stdout\n\nThe standard output stream (the host's output callback when lx is "
               "embedded).\n\n# Examples\n```\nlx> println(stdout, \"hi\")\nhi\n```");
    lxL_setdoc(L, "stderr",
               "    stderr\n\nThe standard error stream.\n\n# Examples\n```\nlx> stderr isa IO\ntrue\n```");
    lxK_dosource(L, mime_src, sizeof mime_src - 1, "print.c");
    lxL_register(L, print_lib);
    L->showhook = show_hook;
}
