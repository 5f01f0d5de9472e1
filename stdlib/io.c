/* io.c — files and the system: open/close/read/write on files (lxO_io with
 * io == LXIO_FILE and a FILE*, closed by the collector if a script drops
 * one open), reading lines from files and IOBuffers, paths and
 * directories, the environment (ENV) and time (time, time_ns, sleep).
 * Nothing here may end the process: there is no exit.
 */
#include "lib.h"

#include <dirent.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* ---- streams ------------------------------------------------------------------------------------- */

static lxO_io *io_arg(lx_State *L, lx_Value *a, int n, int i, const char *fname)
{
    if (!lxO_is(a[i], LXO_IO)) lxE_methoderror(L, lxO_as(lxO_generic, lxG_get(L, fname)), a, n);
    return lxO_as(lxO_io, a[i]);
}

static void need_readable(lx_State *L, lxO_io *io, const char *fname)
{
    if (io->closed) lxE_error(L, LXT_ArgumentError, "%s: the stream is closed", fname);
    if (!io->readable) lxE_error(L, LXT_ArgumentError, "%s: the stream is not open for reading", fname);
}

/* Opens a file for fname (open, or read/readline/write given a path): file access. */
static lx_Value io_open(lx_State *L, const char *path, const char *mode, const char *fname)
{
    lxL_need(L, LX_LIB_FILES, fname);
    static const char *const modes[] = {"r", "w", "a", "r+", "w+", "a+", NULL};
    int m = 0;
    while (modes[m] && strcmp(modes[m], mode))
        m++;
    if (!modes[m])
        lxE_error(L, LXT_ArgumentError, "invalid open mode: \"%s\" (use r, w, a, r+, w+ or a+)", mode);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        lxE_error(L, LXT_IOError, "could not open file %s: %s", path, strerror(EISDIR));
    lx_Value name = lxO_cstr(L, path);
    lxO_io *io = lxO_new(L, sizeof *io, LXO_IO, L->T[LXT_IO]);
    io->io = LXIO_FILE;
    io->name = lxO_as(lxO_string, name);
    io->closed = true; /* until fopen succeeds: the collector must not fclose NULL */
    FILE *fp = fopen(path, mode);
    if (!fp) lxE_error(L, LXT_IOError, "could not open file %s: %s", path, strerror(errno));
    io->fp = fp;
    io->closed = false;
    io->readable = mode[0] == 'r' || mode[1] == '+';
    io->writable = mode[0] != 'r' || mode[1] == '+';
    return lxO_obj(io);
}

static lx_Value f_open(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_string *path = lxL_string(L, a, 0, "open");
    const char *mode = n == 2 ? lxL_string(L, a, 1, "open")->data : "r";
    return io_open(L, path->data, mode, "open");
}

static lx_Value f_close(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_io *io = io_arg(L, a, n, 0, "close");
    if (io->closed) return lxO_nothing();
    if (io->io == LXIO_FILE) {
        io->closed = true;
        if (fclose(io->fp) != 0)
            lxE_error(L, LXT_IOError, "close: %s: %s", io->name ? io->name->data : "file", strerror(errno));
        io->fp = NULL;
    } else if (io->io == LXIO_BUFFER) {
        io->closed = true;
    }
    return lxO_nothing();
}

static lx_Value f_isopen(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_bool(!io_arg(L, a, n, 0, "isopen")->closed);
}

static lx_Value f_eof(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_io *io = io_arg(L, a, n, 0, "eof");
    need_readable(L, io, "eof");
    if (io->io == LXIO_BUFFER) return lxO_bool(io->pos >= io->len);
    if (io->io != LXIO_FILE) return lxO_bool(true);
    int c = getc(io->fp);
    if (c == EOF) return lxO_bool(true);
    ungetc(c, io->fp);
    return lxO_bool(false);
}

/* The rest of the stream into b. */
static void read_all(lx_State *L, lxO_io *io, lxW_buf *b)
{
    if (io->io == LXIO_BUFFER) {
        lxW_add(b, io->buf ? io->buf + io->pos : "", io->len - io->pos);
        io->pos = io->len;
        return;
    }
    if (io->io != LXIO_FILE) return;
    char chunk[8192];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, io->fp)) > 0)
        lxW_add(b, chunk, k);
    if (ferror(io->fp)) {
        lxW_free(b);
        lxE_error(L, LXT_IOError, "read: %s: %s", io->name ? io->name->data : "file", strerror(errno));
    }
}

/* One line into b (with its newline when keep); false at the end of the stream. */
static bool read_line(lxO_io *io, lxW_buf *b, bool keep)
{
    if (io->io == LXIO_BUFFER) {
        if (io->pos >= io->len) return false;
        const char *s = io->buf + io->pos, *nl = memchr(s, '\n', io->len - io->pos);
        size_t k = nl ? (size_t)(nl - s) + 1 : io->len - io->pos;
        io->pos += k;
        if (nl && !keep) k--;
        lxW_add(b, s, k);
    } else if (io->io == LXIO_FILE) {
        char chunk[4096];
        bool any = false;
        while (fgets(chunk, sizeof chunk, io->fp)) {
            size_t k = strlen(chunk);
            any = true;
            lxW_add(b, chunk, k);
            if (k && chunk[k - 1] == '\n') break;
        }
        if (!any) return false;
        if (!keep && b->len && b->s[b->len - 1] == '\n') b->len--;
    } else {
        return false;
    }
    if (!keep && b->len && b->s[b->len - 1] == '\r') b->len--; /* Julia drops \r\n too */
    return true;
}

/* The stream a[0] names: an IO, or a path opened for reading (*opened then says to close it). */
static lxO_io *source(lx_State *L, lx_Value *a, int n, const char *fname, bool *opened)
{
    *opened = false;
    if (lxO_is(a[0], LXO_IO)) {
        lxO_io *io = lxO_as(lxO_io, a[0]);
        need_readable(L, io, fname);
        return io;
    }
    if (!lxO_is(a[0], LXO_STRING)) lxE_methoderror(L, lxO_as(lxO_generic, lxG_get(L, fname)), a, n);
    lx_Value v = io_open(L, lxO_as(lxO_string, a[0])->data, "r", fname);
    *opened = true;
    return lxO_as(lxO_io, v);
}

static void done_source(lxO_io *io, bool opened)
{
    if (opened && !io->closed) {
        fclose(io->fp);
        io->fp = NULL;
        io->closed = true;
    }
}

static lx_Value f_read(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (n == 2 && !(lxO_is(a[1], LXO_TYPE) && lxO_as(lxO_type, a[1]) == L->T[LXT_String]))
        lxE_error(L, LXT_ArgumentError, "read: only read(x, String) is supported (lx has no byte arrays)");
    bool opened;
    lxO_io *io = source(L, a, n, "read", &opened);
    lxW_buf b;
    lxW_init(L, &b);
    read_all(L, io, &b);
    done_source(io, opened);
    lx_Value r = lxO_str(L, b.s ? b.s : "", b.len);
    lxW_free(&b);
    return r;
}

static lx_Value f_readline(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value keep = lxL_kw(L, kw, "keep", lxO_bool(false));
    bool opened;
    lxO_io *io = source(L, a, n, "readline", &opened);
    lxW_buf b;
    lxW_init(L, &b);
    read_line(io, &b, keep.tag == LX_TBOOL && keep.v.b);
    done_source(io, opened);
    lx_Value r = lxO_str(L, b.s ? b.s : "", b.len);
    lxW_free(&b);
    return r;
}

/* readlines and eachline (lx has no lazy iterators: eachline reads every line too). */
static lx_Value read_lines(lx_State *L, lx_Value *a, int n, lx_Value kw, const char *fname)
{
    lx_Value keep = lxL_kw(L, kw, "keep", lxO_bool(false));
    bool opened;
    lxO_io *io = source(L, a, n, fname, &opened);
    lxO_list *l = lxO_list_new(L, 0); /* no lx code runs here: nothing needs rooting */
    lxW_buf b;
    lxW_init(L, &b);
    while (b.len = 0, read_line(io, &b, keep.tag == LX_TBOOL && keep.v.b))
        lxO_list_push(L, l, lxO_str(L, b.s ? b.s : "", b.len));
    lxW_free(&b);
    done_source(io, opened);
    return lxO_obj(l);
}

static lx_Value f_readlines(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return read_lines(L, a, n, kw, "readlines");
}

static lx_Value f_eachline(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return read_lines(L, a, n, kw, "eachline");
}

static size_t write_values(lx_State *L, lx_Value io, lx_Value *a, int n)
{
    lxW_buf b;
    lxW_init(L, &b);
    for (int i = 0; i < n; i++)
        lxL_printvalue(L, &b, a[i], false);
    size_t len = b.len;
    lxL_iowrite(L, io, b.s ? b.s : "", b.len);
    lxW_free(&b);
    return len;
}

static lx_Value f_write(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (lxO_is(a[0], LXO_IO)) return lxO_int((int64_t)write_values(L, a[0], a + 1, n - 1));
    if (!lxO_is(a[0], LXO_STRING)) lxE_methoderror(L, lxO_as(lxO_generic, lxG_get(L, "write")), a, n);
    lx_Value io = io_open(L, lxO_as(lxO_string, a[0])->data, "w", "write");
    int mark = lxV_root(L, io);
    size_t len = write_values(L, io, a + 1, n - 1);
    lxV_unroot(L, mark);
    lxO_io *f = lxO_as(lxO_io, io);
    f->closed = true;
    if (fclose(f->fp) != 0) lxE_error(L, LXT_IOError, "write: %s: %s", f->name->data, strerror(errno));
    f->fp = NULL;
    return lxO_int((int64_t)len);
}

/* ---- files and paths ---------------------------------------------------------------------------------- */

/* A path argument of a built-in that reaches the file system (file access). */
static const char *path_arg(lx_State *L, lx_Value *a, int i, const char *fname)
{
    lxL_need(L, LX_LIB_FILES, fname);
    return lxL_string(L, a, i, fname)->data;
}

/* A path argument of a function that only works on the text (joinpath, basename, ...). */
static const char *path_text(lx_State *L, lx_Value *a, int i, const char *fname)
{
    return lxL_string(L, a, i, fname)->data;
}

static lx_Value f_isfile(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    struct stat st;
    return lxO_bool(stat(path_arg(L, a, 0, "isfile"), &st) == 0 && S_ISREG(st.st_mode));
}

static lx_Value f_isdir(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    struct stat st;
    return lxO_bool(stat(path_arg(L, a, 0, "isdir"), &st) == 0 && S_ISDIR(st.st_mode));
}

static lx_Value f_ispath(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    struct stat st;
    return lxO_bool(stat(path_arg(L, a, 0, "ispath"), &st) == 0);
}

static lx_Value f_filesize(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    struct stat st;
    const char *p = path_arg(L, a, 0, "filesize");
    if (stat(p, &st) != 0) lxE_error(L, LXT_IOError, "stat(\"%s\"): %s", p, strerror(errno));
    return lxO_int((int64_t)st.st_size);
}

static int name_cmp(const void *x, const void *y)
{
    const lx_Value *a = x, *b = y;
    return strcmp(lxO_as(lxO_string, *a)->data, lxO_as(lxO_string, *b)->data);
}

static lx_Value path_join2(lx_State *L, const char *a, const char *b);

static lx_Value f_readdir(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_need(L, LX_LIB_FILES, "readdir");
    const char *p = n ? path_arg(L, a, 0, "readdir") : ".";
    lx_Value join = lxL_kw(L, kw, "join", lxO_bool(false));
    DIR *d = opendir(p);
    if (!d) lxE_error(L, LXT_IOError, "readdir(\"%s\"): %s", p, strerror(errno));
    lxO_list *l = lxO_list_new(L, 0); /* no lx code runs here: nothing needs rooting */
    struct dirent *e;
    /* the entries are collected first, so an allocation failure cannot leave d open */
    lxW_buf names;
    lxW_init(L, &names);
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        lxW_add(&names, e->d_name, strlen(e->d_name) + 1);
    }
    closedir(d);
    for (size_t i = 0; i < names.len; i += strlen(names.s + i) + 1)
        lxO_list_push(L, l, lxO_cstr(L, names.s + i));
    lxW_free(&names);
    qsort(l->items, l->n, sizeof *l->items, name_cmp);
    if (join.tag == LX_TBOOL && join.v.b)
        for (size_t i = 0; i < l->n; i++)
            l->items[i] = path_join2(L, p, lxO_as(lxO_string, l->items[i])->data);
    return lxO_obj(l);
}

static lx_Value f_mkdir(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const char *p = path_arg(L, a, 0, "mkdir");
    lx_Value mode = lxL_kw(L, kw, "mode", lxO_int(0777));
    if (mkdir(p, (mode_t)lxL_int(L, &mode, 0, "mkdir")) != 0)
        lxE_error(L, LXT_IOError, "mkdir(\"%s\"): %s", p, strerror(errno));
    return a[0];
}

static lx_Value f_mkpath(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_need(L, LX_LIB_FILES, "mkpath");
    lxO_string *s = lxL_string(L, a, 0, "mkpath");
    lxW_buf b;
    lxW_init(L, &b);
    lxW_add(&b, s->data, s->len);
    for (size_t i = 1; i <= b.len; i++) {
        if (i < b.len && b.s[i] != '/') continue;
        char c = b.s[i];
        b.s[i] = '\0';
        struct stat st;
        if (stat(b.s, &st) != 0 && mkdir(b.s, 0777) != 0 && errno != EEXIST) {
            char msg[600];
            snprintf(msg, sizeof msg, "mkpath(\"%s\"): %s", b.s, strerror(errno));
            lxW_free(&b);
            lxE_throw(L, lxE_new(L, LXT_IOError, msg));
        }
        b.s[i] = c;
    }
    lxW_free(&b);
    return a[0];
}

/* Removes p (a directory's contents too when recursive); 0 or an errno. */
static int remove_path(lx_State *L, const char *p, bool recursive)
{
    struct stat st;
    if (lstat(p, &st) != 0) return errno;
    if (!S_ISDIR(st.st_mode)) return unlink(p) == 0 ? 0 : errno;
    if (recursive) {
        DIR *d = opendir(p);
        if (!d) return errno;
        lxW_buf names;
        lxW_init(L, &names);
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            lxW_add(&names, p, strlen(p));
            lxW_add(&names, "/", 1);
            lxW_add(&names, e->d_name, strlen(e->d_name) + 1);
        }
        closedir(d);
        int err = 0;
        for (size_t i = 0; i < names.len && !err; i += strlen(names.s + i) + 1)
            err = remove_path(L, names.s + i, true);
        lxW_free(&names);
        if (err) return err;
    }
    return rmdir(p) == 0 ? 0 : errno;
}

static lx_Value f_rm(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const char *p = path_arg(L, a, 0, "rm");
    lx_Value force = lxL_kw(L, kw, "force", lxO_bool(false)),
             rec = lxL_kw(L, kw, "recursive", lxO_bool(false));
    int err = remove_path(L, p, rec.tag == LX_TBOOL && rec.v.b);
    if (err && !(err == ENOENT && force.tag == LX_TBOOL && force.v.b))
        lxE_error(L, LXT_IOError, "rm(\"%s\"): %s", p, strerror(err));
    return lxO_nothing();
}

static lx_Value path_join2(lx_State *L, const char *a, const char *b)
{
    lxW_buf w;
    lxW_init(L, &w);
    if (b[0] != '/') {
        lxW_puts(&w, a);
        if (w.len && w.s[w.len - 1] != '/') lxW_puts(&w, "/");
    }
    lxW_puts(&w, b);
    lx_Value r = lxO_str(L, w.s ? w.s : "", w.len);
    lxW_free(&w);
    return r;
}

static lx_Value f_joinpath(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value r = lxO_is(a[0], LXO_STRING) ? a[0] : lxO_obj(lxL_string(L, a, 0, "joinpath"));
    for (int i = 1; i < n; i++)
        r = path_join2(L, lxO_as(lxO_string, r)->data, path_text(L, a, i, "joinpath"));
    return r;
}

static lx_Value f_basename(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_string *s = lxL_string(L, a, 0, "basename");
    const char *slash = strrchr(s->data, '/');
    return slash ? lxO_cstr(L, slash + 1) : lxO_obj(s);
}

static lx_Value f_dirname(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_string *s = lxL_string(L, a, 0, "dirname");
    const char *slash = strrchr(s->data, '/');
    if (!slash) return lxO_str(L, "", 0);
    size_t k = (size_t)(slash - s->data);
    while (k > 0 && s->data[k - 1] == '/')
        k--;
    return k ? lxO_str(L, s->data, k) : lxO_str(L, "/", 1);
}

static lx_Value f_splitext(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_string *s = lxL_string(L, a, 0, "splitext");
    const char *slash = strrchr(s->data, '/'), *base = slash ? slash + 1 : s->data;
    const char *dot = strrchr(base, '.');
    size_t k = dot && dot != base ? (size_t)(dot - s->data) : s->len;
    lxO_tuple *t = lxO_tuple_new(L, 2);
    t->items[0] = lxO_str(L, s->data, k);
    t->items[1] = lxO_str(L, s->data + k, s->len - k);
    return lxO_obj(t);
}

/* "a/./b/../c//d" -> "a/c/d" (Julia's normpath). */
static lx_Value normalize(lx_State *L, const char *p)
{
    bool abs = p[0] == '/';
    lxW_buf out; /* "/" when absolute, then the components joined by "/" */
    lxW_init(L, &out);
    if (abs) lxW_add(&out, "/", 1);
    size_t root = out.len, ncomp = 0;
    for (const char *c = p; *c;) {
        while (*c == '/')
            c++;
        const char *e = c;
        while (*e && *e != '/')
            e++;
        size_t k = (size_t)(e - c);
        bool up = k == 2 && c[0] == '.' && c[1] == '.';
        size_t last = out.len; /* where the last component written starts */
        while (last > root && out.s[last - 1] != '/')
            last--;
        bool prev_up = ncomp && out.len - last == 2 && !memcmp(out.s + last, "..", 2);
        if (k == 0 || (k == 1 && c[0] == '.') || (up && abs && !ncomp)) {
            /* nothing: an empty or "." component, or ".." at the root */
        } else if (up && ncomp && !prev_up) {
            out.len = last > root ? last - 1 : root;
            ncomp--;
        } else {
            if (ncomp) lxW_add(&out, "/", 1);
            lxW_add(&out, c, k);
            ncomp++;
        }
        c = e;
    }
    if (!out.len) lxW_add(&out, ".", 1);
    lx_Value v = lxO_str(L, out.s, out.len);
    lxW_free(&out);
    return v;
}

static lx_Value f_normpath(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return normalize(L, path_text(L, a, 0, "normpath"));
}

static lx_Value cwd(lx_State *L, const char *fname)
{
    lxL_need(L, LX_LIB_FILES, fname);
    char buf[4096];
    if (!getcwd(buf, sizeof buf)) lxE_error(L, LXT_IOError, "pwd: %s", strerror(errno));
    return lxO_cstr(L, buf);
}

static lx_Value f_abspath(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const char *p = path_arg(L, a, 0, "abspath");
    if (p[0] == '/') return normalize(L, p);
    lx_Value full = path_join2(L, lxO_as(lxO_string, cwd(L, "abspath"))->data, p);
    return normalize(L, lxO_as(lxO_string, full)->data);
}

static lx_Value f_isabspath(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_bool(path_text(L, a, 0, "isabspath")[0] == '/');
}

static lx_Value f_pwd(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return cwd(L, "pwd");
}

static lx_Value f_homedir(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_need(L, LX_LIB_FILES, "homedir");
    const char *h = getenv("HOME");
    return lxO_cstr(L, h && h[0] ? h : "/");
}

static lx_Value tmpdir(lx_State *L, const char *fname)
{
    lxL_need(L, LX_LIB_FILES, fname);
    const char *t = getenv("TMPDIR");
    if (!t || !t[0]) t = "/tmp";
    size_t k = strlen(t);
    while (k > 1 && t[k - 1] == '/')
        k--;
    return lxO_str(L, t, k);
}

static lx_Value f_tempdir(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return tmpdir(L, "tempdir");
}

static uint64_t now_ns(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static lx_Value f_tempname(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    static atomic_uint counter; /* shared by every state in the process, so atomic */
    lx_Value dir = tmpdir(L, "tempname");
    for (;;) {
        char name[64];
        uint64_t x = now_ns(CLOCK_REALTIME) ^ ((uint64_t)getpid() << 32) ^
                     ((uint64_t)(atomic_fetch_add(&counter, 1) + 1) * 0x9E3779B97F4A7C15u);
        snprintf(name, sizeof name, "lx_%012llx", (unsigned long long)(x & 0xffffffffffffull));
        lx_Value p = path_join2(L, lxO_as(lxO_string, dir)->data, name);
        struct stat st;
        if (stat(lxO_as(lxO_string, p)->data, &st) != 0) return p;
    }
}

/* ---- time ------------------------------------------------------------------------------------------------
 */

static lx_Value f_time(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return lxO_f64((double)ts.tv_sec + (double)ts.tv_nsec * 1e-9);
}

static lx_Value f_time_ns(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_int((int64_t)now_ns(CLOCK_MONOTONIC));
}

static lx_Value f_sleep(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    double s = lxL_number(L, a, 0, "sleep");
    if (!(s >= 0)) lxE_error(L, LXT_ArgumentError, "cannot sleep for %g seconds", s);
    uint64_t end = now_ns(CLOCK_MONOTONIC) + (uint64_t)(s * 1e9);
    /* in slices of at most 50 ms, so Ctrl-C interrupts it */
    for (;;) {
        lxE_poll(L);
        uint64_t t = now_ns(CLOCK_MONOTONIC);
        if (t >= end) break;
        uint64_t left = end - t, slice = left < 50000000u ? left : 50000000u;
        struct timespec ts = {(time_t)(slice / 1000000000u), (long)(slice % 1000000000u)};
        nanosleep(&ts, NULL);
    }
    return lxO_nothing();
}

/* ---- the table --------------------------------------------------------------------------------------------
 */

static const lxL_Reg io_lib[] = {
    {"open", "(path::String, mode::String = \"r\")", f_open,
     "    open(path, mode = \"r\")\n\nOpens a file and returns its IO stream. Modes, as C's fopen: \"r\" "
     "read, \"w\" write (truncating), \"a\" append, and \"r+\", \"w+\", \"a+\" for reading and writing. A "
     "file that cannot be opened is an IOError naming it and the reason. Close the stream with `close`, or "
     "use the do-block form `open(f, path, mode)`, which closes it for you.\n\n# Arguments\n- `path`: the "
     "file's path, a String (a directory is an IOError).\n- `mode = \"r\"`: one of \"r\", \"w\", \"a\", "
     "\"r+\", \"w+\", \"a+\" (anything else is an ArgumentError).\n\n# Returns\nAn IO stream on the "
     "file.\n\n# Examples\n```\nlx> path = tempname();\n\nlx> io = open(path, \"w\"); println(io, "
     "\"first\"); close(io)\n\nlx> io = open(path); readline(io)\n\"first\"\n\nlx> close(io); "
     "rm(path)\n\nlx> try open(path) catch e; e isa IOError end\ntrue\n```"},
    {"close", "(io::IO)", f_close,
     "    close(io)\n\nCloses a stream (flushing a file); closing it again does nothing.\n\n# Arguments\n- "
     "`io`: a stream.\n\n# Returns\n`nothing`.\n\n# Examples\n```\nlx> io = open(tempname(), \"w\"); "
     "close(io); isopen(io)\nfalse\n```"},
    {"isopen", "(io::IO)", f_isopen,
     "    isopen(io)\n\nWhether the stream has not been closed.\n\n# Arguments\n- `io`: a stream.\n\n# "
     "Returns\nA Bool.\n\n# Examples\n```\nlx> isopen(stdout)\ntrue\n```"},
    {"eof", "(io::IO)", f_eof,
     "    eof(io)\n\nWhether a readable stream has nothing more to read.\n\n# Arguments\n- `io`: a stream "
     "open for reading (a closed or write-only one is an ArgumentError).\n\n# Returns\nA Bool.\n\n# "
     "Examples\n```\nlx> io = IOBuffer(\"a\"); eof(io)\nfalse\n\nlx> read(io, String); eof(io)\ntrue\n```"},
    {"read", "(x, T::Type)", f_read,
     "    read(io, String)\n    read(path, String)\n\nThe rest of a stream, or a whole file, as a String. "
     "(lx has no byte arrays, so `String` is the only type read accepts.)\n\n# Arguments\n- `io`: a readable "
     "stream, or `path`: a file's path (opened and closed again).\n- `String`: the type to read; the only "
     "one accepted (another is an ArgumentError).\n\n# Returns\nA String (empty at the end of the stream); "
     "the stream is read to its end.\n\n# Examples\n```\nlx> path = tempname(); write(path, "
     "\"two\\nlines\\n\");\n\nlx> read(path, String)\n\"two\\nlines\\n\"\n\nlx> rm(path)\n\n```"},
    {"readline", "(x; keep = false)", f_readline,
     "    readline(io; keep = false)\n    readline(path; keep = false)\n\nThe next line of a stream (the "
     "first line of a file), without its newline unless keep is true; \"\" at the end of the stream.\n\n# "
     "Arguments\n- `io`: a readable stream, or `path`: a file's path (opened and closed again).\n\n# Keyword "
     "Arguments\n- `keep = false`: whether the line keeps its newline (without it, a \\r\\n ending is "
     "dropped whole).\n\n# Returns\nA String.\n\n# Examples\n```\nlx> io = IOBuffer(\"a\\nb\\n\");\n\nlx> "
     "readline(io), readline(io; keep = true), readline(io)\n(\"a\", \"b\\n\", \"\")\n```"},
    {"readlines", "(x; keep = false)", f_readlines,
     "    readlines(io; keep = false)\n    readlines(path; keep = false)\n\nThe remaining lines of a stream, "
     "or all lines of a file, as a List of Strings (without newlines unless keep is true).\n\n# Arguments\n- "
     "`io`: a readable stream, or `path`: a file's path.\n\n# Keyword Arguments\n- `keep = false`: whether "
     "each line keeps its newline.\n\n# Returns\nA List of Strings.\n\n# Examples\n```\nlx> path = "
     "tempname(); write(path, \"x\\ny\\n\");\n\nlx> readlines(path)\n2-element List:\n \"x\"\n \"y\"\n\nlx> "
     "rm(path)\n\n```"},
    {"eachline", "(x; keep = false)", f_eachline,
     "    eachline(io; keep = false)\n    eachline(path; keep = false)\n\nThe lines to loop over. Julia "
     "reads them lazily; lx reads them all at once into a List, as `readlines` does.\n\n# Arguments\n- `io`: "
     "a readable stream, or `path`: a file's path.\n\n# Keyword Arguments\n- `keep = false`: whether each "
     "line keeps its newline.\n\n# Returns\nA List of Strings.\n\n# Examples\n```\nlx> for line in "
     "eachline(IOBuffer(\"a\\nb\")) println(\"> \", line) end\n> a\n> b\n```"},
    {"write", "(x, xs...)", f_write,
     "    write(io, xs...)\n    write(path, xs...)\n\nWrites each value to the stream (or replaces the "
     "file's contents with them) and returns the number of bytes written. Strings are written as they are; "
     "other values as `print` writes them (Julia writes numbers in binary; lx has no byte arrays and writes "
     "their text).\n\n# Arguments\n- `io`: a writable stream, or `path`: a file's path (created, or "
     "truncated, and closed again).\n- `xs`: the values to write.\n\n# Returns\nAn Int, the number of bytes "
     "written.\n\n# Examples\n```\nlx> io = IOBuffer(); write(io, \"ab\", 12)\n4\n\nlx> "
     "take!(io)\n\"ab12\"\n```"},
    {"isfile", "(path)", f_isfile,
     "    isfile(path)\n\nWhether path exists and is a regular file.\n\n# Arguments\n- `path`: a "
     "String.\n\n# Returns\nA Bool.\n\n# Examples\n```\nlx> path = tempname(); write(path, \"x\"); "
     "isfile(path)\ntrue\n\nlx> rm(path); isfile(path)\nfalse\n```"},
    {"isdir", "(path)", f_isdir,
     "    isdir(path)\n\nWhether path exists and is a directory.\n\n# Arguments\n- `path`: a String.\n\n# "
     "Returns\nA Bool.\n\n# Examples\n```\nlx> isdir(tempdir())\ntrue\n```"},
    {"ispath", "(path)", f_ispath,
     "    ispath(path)\n\nWhether anything exists at path.\n\n# Arguments\n- `path`: a String.\n\n# "
     "Returns\nA Bool.\n\n# Examples\n```\nlx> ispath(tempname())\nfalse\n```"},
    {"filesize", "(path)", f_filesize,
     "    filesize(path)\n\nThe size of the file in bytes.\n\n# Arguments\n- `path`: a String (a missing "
     "file is an IOError).\n\n# Returns\nAn Int.\n\n# Examples\n```\nlx> path = tempname(); write(path, "
     "\"abc\"); filesize(path)\n3\n\nlx> rm(path)\n\n```"},
    {"readdir", "(dir = \".\"; join = false)", f_readdir,
     "    readdir(dir = \".\"; join = false)\n\nThe names in a directory (without . and ..), sorted, as a "
     "List of Strings; with `join = true`, each joined to dir.\n\n# Arguments\n- `dir = \".\"`: the "
     "directory, a String (one that cannot be read is an IOError).\n\n# Keyword Arguments\n- `join = false`: "
     "whether each name is joined to dir with `joinpath`.\n\n# Returns\nA List of Strings.\n\n# "
     "Examples\n```\nlx> d = mkdir(tempname()); write(joinpath(d, \"b.txt\"), \"\"); write(joinpath(d, "
     "\"a.txt\"), \"\");\n\nlx> readdir(d)\n2-element List:\n \"a.txt\"\n \"b.txt\"\n\nlx> rm(d; recursive = "
     "true)\n\n```"},
    {"mkdir", "(path; mode = 0o777)", f_mkdir,
     "    mkdir(path; mode = 0o777)\n\nCreates a directory (its parent must exist; see `mkpath`) and returns "
     "path. An existing path is an IOError.\n\n# Arguments\n- `path`: the directory to create, a "
     "String.\n\n# Keyword Arguments\n- `mode = 0o777`: the permission bits (less the process's umask).\n\n# "
     "Returns\npath.\n\n# Examples\n```\nlx> d = tempname(); mkdir(d) == d\ntrue\n\nlx> "
     "isdir(d)\ntrue\n\nlx> rm(d)\n\n```"},
    {"mkpath", "(path)", f_mkpath,
     "    mkpath(path)\n\nCreates a directory and any missing parents; returns path. Existing directories "
     "are fine.\n\n# Arguments\n- `path`: the directory to create, a String.\n\n# Returns\npath.\n\n# "
     "Examples\n```\nlx> d = tempname(); mkpath(joinpath(d, \"a\", \"b\")); isdir(joinpath(d, "
     "\"a\"))\ntrue\n\nlx> rm(d; recursive = true)\n\n```"},
    {"rm", "(path; force = false, recursive = false)", f_rm,
     "    rm(path; force = false, recursive = false)\n\nDeletes a file or an empty directory (with "
     "`recursive = true`, a directory and everything in it). A missing path is an IOError unless force is "
     "true.\n\n# Arguments\n- `path`: the file or directory to delete, a String.\n\n# Keyword Arguments\n- "
     "`force = false`: whether a missing path is ignored.\n- `recursive = false`: whether a directory is "
     "deleted with everything in it.\n\n# Returns\n`nothing`.\n\n# Examples\n```\nlx> path = tempname(); "
     "write(path, \"x\"); rm(path); ispath(path)\nfalse\n\nlx> rm(path; force = true)\n\n```"},
    {"joinpath", "(parts...)", f_joinpath,
     "    joinpath(parts...)\n\nThe parts joined with `/`; an absolute part starts the path over.\n\n# "
     "Arguments\n- `parts`: path components, Strings.\n\n# Returns\nA String.\n\n# Examples\n```\nlx> "
     "joinpath(\"data\", \"mnist\", \"train.csv\")\n\"data/mnist/train.csv\"\n\nlx> joinpath(\"a/\", "
     "\"/b\")\n\"/b\"\n```"},
    {"basename", "(path)", f_basename,
     "    basename(path)\n\nThe part of path after its last `/` (\"\" when path ends with `/`).\n\n# "
     "Arguments\n- `path`: a String.\n\n# Returns\nA String.\n\n# Examples\n```\nlx> "
     "basename(\"/data/train.csv\")\n\"train.csv\"\n```"},
    {"dirname", "(path)", f_dirname,
     "    dirname(path)\n\nThe part of path before its last `/` (\"\" when there is none).\n\n# Arguments\n- "
     "`path`: a String.\n\n# Returns\nA String (\"/\" for a file directly under the root).\n\n# "
     "Examples\n```\nlx> dirname(\"/data/train.csv\")\n\"/data\"\n\nlx> dirname(\"file.txt\")\n\"\"\n```"},
    {"splitext", "(path)", f_splitext,
     "    splitext(path)\n\n`(root, extension)`: the extension is the last `.` and what follows it in the "
     "file name (a leading dot does not count).\n\n# Arguments\n- `path`: a String.\n\n# Returns\nA Tuple of "
     "two Strings; the extension is \"\" when there is none.\n\n# Examples\n```\nlx> "
     "splitext(\"model.weights.bin\")\n(\"model.weights\", \".bin\")\n\nlx> "
     "splitext(\"/home/.bashrc\")\n(\"/home/.bashrc\", \"\")\n```"},
    {"normpath", "(path)", f_normpath,
     "    normpath(path)\n\nThe path with `.` components, repeated slashes and `dir/..` pairs removed.\n\n# "
     "Arguments\n- `path`: a String.\n\n# Returns\nA String.\n\n# Examples\n```\nlx> "
     "normpath(\"a/./b/../c//d\")\n\"a/c/d\"\n```"},
    {"abspath", "(path)", f_abspath,
     "    abspath(path)\n\nThe absolute, normalized form of path (relative to the current directory).\n\n# "
     "Arguments\n- `path`: a String.\n\n# Returns\nA String.\n\n# Examples\n```\nlx> "
     "abspath(\"/a/b/../c\")\n\"/a/c\"\n\nlx> abspath(\"x\") == joinpath(pwd(), \"x\")\ntrue\n```"},
    {"isabspath", "(path)", f_isabspath,
     "    isabspath(path)\n\nWhether path starts at the root (`/`).\n\n# Arguments\n- `path`: a String.\n\n# "
     "Returns\nA Bool.\n\n# Examples\n```\nlx> isabspath(\"/tmp\")\ntrue\n```"},
    {"pwd", "()", f_pwd,
     "    pwd()\n\nThe current working directory.\n\n# Returns\nA String.\n\n# Examples\n```\nlx> "
     "isdir(pwd())\ntrue\n```"},
    {"homedir", "()", f_homedir,
     "    homedir()\n\nThe user's home directory (`$HOME`).\n\n# Returns\nA String (\"/\" when `$HOME` is "
     "not set).\n\n# Examples\n```\nlx> homedir() == ENV[\"HOME\"]\ntrue\n```"},
    {"tempdir", "()", f_tempdir,
     "    tempdir()\n\nThe directory for temporary files (`$TMPDIR`, else /tmp).\n\n# Returns\nA "
     "String.\n\n# Examples\n```\nlx> isdir(tempdir())\ntrue\n```"},
    {"tempname", "()", f_tempname,
     "    tempname()\n\nA path in `tempdir()` where nothing exists yet (the file is not created).\n\n# "
     "Returns\nA String.\n\n# Examples\n```\nlx> p = tempname(); dirname(p) == tempdir() && "
     "!ispath(p)\ntrue\n```"},
    {"time", "()", f_time,
     "    time()\n\nThe wall-clock time in seconds since the Unix epoch, as a Float64.\n\n# Returns\nA "
     "Float64.\n\n# Examples\n```\nlx> time() > 1.7e9\ntrue\n```"},
    {"time_ns", "()", f_time_ns,
     "    time_ns()\n\nA monotonic clock in nanoseconds (an Int), for measuring intervals.\n\n# Returns\nAn "
     "Int (Int64).\n\n# Examples\n```\nlx> t = time_ns(); sleep(0.01); time_ns() - t >= "
     "10_000_000\ntrue\n```"},
    {"sleep", "(seconds)", f_sleep,
     "    sleep(seconds)\n\nWaits for the given number of seconds (a fraction is fine). Ctrl-C interrupts "
     "it.\n\n# Arguments\n- `seconds`: the time to wait, a number `>= 0`.\n\n# Returns\n`nothing`.\n\n# "
     "Examples\n```\nlx> sleep(0.01)\n\n```"},
    {NULL, NULL, NULL, NULL}};

/* ENV, in a state the host granted environment access; in another, reading ENV is an IOError
 * (lxE_undefvar says so) and a script's own `ENV = ...` is only its own global. */
static void open_env(lx_State *L)
{
    if (!(L->access & LX_LIB_ENV)) return;
    lx_Value d = lxL_callg(L, "Dict", NULL, 0);
    lxG_set(L, "ENV", d);
    for (char **e = environ; e && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq) continue;
        lx_Value k = lxO_str(L, *e, (size_t)(eq - *e));
        int mark = lxV_root(L, k);
        lxO_dict_set(L, lxO_as(lxO_dict, d), k, lxO_cstr(L, eq + 1));
        lxV_unroot(L, mark);
    }
    lxL_setdoc(L, "ENV",
               "    ENV\n\nThe environment variables as a Dict of String => String. It is a snapshot taken "
               "when the state opened: changing it does not change the process's environment (and lx has no "
               "`setenv`), and later changes to the environment are not seen.\n\n# Examples\n```\nlx> ENV "
               "isa Dict\ntrue\n\nlx> haskey(ENV, \"PATH\")\ntrue\n```");
}

void lxL_open_io(lx_State *L)
{
    lxL_register(L, io_lib);
    open_env(L);
}
