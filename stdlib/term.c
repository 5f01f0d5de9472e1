/* term.c — what the progress bar and the plots (stdlib/train/progress.lx, plots.lx) need from
 * C: whether a stream is a terminal, how wide it is, one character from its code point (lx has
 * no Char type, and the braille plots need 256 of them), and the braille rasteriser, which
 * draws a series of a hundred thousand points in a millisecond where lx took half a second.
 */
#include "tensor.h"

#include <math.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* The file descriptor an IO value writes to, or -1 (an IOBuffer, a closed file).  stdout and
 * stderr are the process's 1 and 2 only with lx's own writer: a host that passes a writer (and
 * the context it writes into, as every real one does) takes the text elsewhere, so neither is
 * a terminal then (the doctests capture output so, and must not see colours or a redrawn bar). */
static int io_fd(lx_State *L, lx_Value v)
{
    if (!lxO_is(v, LXO_IO)) return -1;
    const lxO_io *io = lxO_as(lxO_io, v);
    switch (io->io) {
    case LXIO_STDOUT: return L->writer_ud ? -1 : 1;
    case LXIO_STDERR: return L->writer_ud ? -1 : 2;
    case LXIO_FILE: return io->fp && !io->closed ? fileno((FILE *)io->fp) : -1;
    default: return -1;
    }
}

static lx_Value t_isatty(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)n, (void)kw;
    int fd = io_fd(L, a[0]);
    return lxO_bool(fd >= 0 && isatty(fd));
}

/* Whether to draw in colour on io: a terminal, and NO_COLOR unset.  The variable is read here,
 * not through ENV, so that a state without environment access still shows its plots. */
static lx_Value t_color(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)n, (void)kw;
    int fd = io_fd(L, a[0]);
    const char *nc = getenv("NO_COLOR");
    return lxO_bool(fd >= 0 && isatty(fd) && !(nc && *nc));
}

/* Columns of the terminal behind io; else $COLUMNS; else 80 (Julia's displaysize fallback). */
static lx_Value t_termwidth(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)n, (void)kw;
    int fd = io_fd(L, a[0]);
    struct winsize ws;
    if (fd >= 0 && isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return lxO_int(ws.ws_col);
    const char *cols = getenv("COLUMNS");
    if (cols && *cols) {
        char *end;
        long c = strtol(cols, &end, 10);
        if (!*end && c > 0 && c < 100000) return lxO_int(c);
    }
    return lxO_int(80);
}

static lx_Value t_unichar(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)n, (void)kw;
    int64_t c = lxL_int(L, a, 0, "__unichar");
    if (c <= 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        lxE_error(L, LXT_ArgumentError, "__unichar: %lld is not a Unicode scalar value", (long long)c);
    char s[4];
    size_t len;
    if (c < 0x80) {
        s[0] = (char)c;
        len = 1;
    } else if (c < 0x800) {
        s[0] = (char)(0xC0 | (c >> 6));
        s[1] = (char)(0x80 | (c & 0x3F));
        len = 2;
    } else if (c < 0x10000) {
        s[0] = (char)(0xE0 | (c >> 12));
        s[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        s[2] = (char)(0x80 | (c & 0x3F));
        len = 3;
    } else {
        s[0] = (char)(0xF0 | (c >> 18));
        s[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        s[2] = (char)(0x80 | ((c >> 6) & 0x3F));
        s[3] = (char)(0x80 | (c & 0x3F));
        len = 4;
    }
    return lxO_obj(lxS_new(L, s, len));
}

/* ---- the braille raster ------------------------------------------------------------------------ */

/* A canvas of w × h braille characters, 2 × 4 dots each: per character the dot bits (U+2800 +
 * bits) and the OR of the 3-bit colour codes of what was drawn there. */
typedef struct {
    int64_t *dots, *cols;
    int64_t w, h, color;
} canvas;

/* The bit of dot (x % 2, y % 4) in a braille character. */
static const int64_t braille_bit[8] = {0x01, 0x02, 0x04, 0x40, 0x08, 0x10, 0x20, 0x80};

/* UnicodePlots' pixel!: pixel (floor(fx), floor(fy)) counted from the top left corner; the far
 * edges (x = 2w, y = 4h) belong to the last pixels. */
static void pixel(canvas *c, double fx, double fy)
{
    int64_t pw = 2 * c->w, ph = 4 * c->h;
    if (!(fx >= 0 && fx < (double)pw + 1 && fy >= 0 && fy < (double)ph + 1)) return;
    int64_t px = (int64_t)floor(fx), py = (int64_t)floor(fy);
    if (px == pw) px--;
    if (py == ph) py--;
    int64_t k = (py / 4) * c->w + px / 2;
    c->dots[k] |= braille_bit[(px % 2) * 4 + py % 4];
    c->cols[k] |= c->color;
}

/* Liang–Barsky: clips the segment to [lo, xhi] × [lo, yhi]; false when nothing is left. */
static bool clip(double *x1, double *y1, double *x2, double *y2, double lo, double xhi, double yhi)
{
    double t0 = 0, t1 = 1, dx = *x2 - *x1, dy = *y2 - *y1;
    double p[4] = {-dx, dx, -dy, dy}, q[4] = {*x1 - lo, xhi - *x1, *y1 - lo, yhi - *y1};
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (q[i] < 0) return false;
            continue;
        }
        double r = q[i] / p[i];
        if (p[i] < 0) {
            if (r > t1) return false;
            if (r > t0) t0 = r;
        } else {
            if (r < t0) return false;
            if (r < t1) t1 = r;
        }
    }
    double ax = *x1, ay = *y1;
    *x1 = ax + t0 * dx, *y1 = ay + t0 * dy, *x2 = ax + t1 * dx, *y2 = ay + t1 * dy;
    return true;
}

/* UnicodePlots' lines!: a digital differential analyser, one pixel per step along the longer
 * axis.  A segment reaching far outside the canvas is clipped to it (plus a pixel) first, so a
 * point at 1e12 costs no more than one at the edge. */
static void segment(canvas *c, double x1, double y1, double x2, double y2)
{
    double pw = 2.0 * (double)c->w, ph = 4.0 * (double)c->h;
    if (!(isfinite(x1) && isfinite(y1) && isfinite(x2) && isfinite(y2))) return;
    if (fmin(fmin(x1, x2), fmin(y1, y2)) < -1 || fmax(x1, x2) > pw + 1 || fmax(y1, y2) > ph + 1)
        if (!clip(&x1, &y1, &x2, &y2, -1, pw + 1, ph + 1)) return;
    double dx = x2 - x1, dy = y2 - y1, n = fmax(fabs(dx), fabs(dy));
    pixel(c, x1, y1);
    if (!(n >= 1)) return;
    double ix = dx / n, iy = dy / n, cx = x1, cy = y1;
    for (int64_t i = 1; i <= (int64_t)n; i++) {
        cx += ix;
        cy += iy;
        pixel(c, cx, cy);
    }
}

static const double *f64_vector(lx_State *L, lx_Value *a, int i, int64_t n)
{
    const nn_tensor *t = lxL_checktensor(L, a, i, "__braille_draw!");
    if (t->dtype != NN_F64 || t->numel != n)
        lxE_error(L, LXT_ArgumentError, "__braille_draw!: argument %d must be %lld Float64 values", i + 1,
                  (long long)n);
    return nn_data(t);
}

/* __braille_draw!(dots, cols, w, h, xs, ys, xlo, xhi, ylo, yhi, scatter, color): draws one series
 * into the Int64 vectors dots and cols (w·h characters, row by row from the top).  A scatter
 * series is a dot per point inside the limits; a line joins neighbours that are both finite
 * and not both beyond the same side of the limits, and a point with no finite neighbour is a
 * dot. */
static lx_Value t_braille_draw(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    (void)n, (void)kw;
    const char *fn = "__braille_draw!";
    int64_t w = lxL_int(L, a, 2, fn), h = lxL_int(L, a, 3, fn);
    if (w < 1 || h < 1 || w > 100000 || h > 100000)
        lxE_error(L, LXT_ArgumentError, "%s: a canvas of %lld × %lld characters", fn, (long long)w,
                  (long long)h);
    nn_tensor *dt = lxL_checktensor(L, a, 0, fn), *ct = lxL_checktensor(L, a, 1, fn);
    if (dt->dtype != NN_I64 || ct->dtype != NN_I64 || dt->numel != w * h || ct->numel != w * h)
        lxE_error(L, LXT_ArgumentError, "%s: dots and cols must be %lld Int64 values", fn,
                  (long long)(w * h));
    const nn_tensor *xt = lxL_checktensor(L, a, 4, fn);
    int64_t np = xt->numel;
    const double *xs = f64_vector(L, a, 4, np), *ys = f64_vector(L, a, 5, np);
    double xlo = lxL_number(L, a, 6, fn), xhi = lxL_number(L, a, 7, fn);
    double ylo = lxL_number(L, a, 8, fn), yhi = lxL_number(L, a, 9, fn);
    bool scatter = a[10].tag == LX_TBOOL && a[10].v.b;
    canvas c = {nn_data(dt), nn_data(ct), w, h, lxL_int(L, a, 11, fn)};
    double pw = 2.0 * (double)w, ph = 4.0 * (double)h;
#define FINITE(i) (isfinite(xs[i]) && isfinite(ys[i]))
#define PX(i) ((xs[i] - xlo) / (xhi - xlo) * pw)
#define PY(i) (ph - (ys[i] - ylo) / (yhi - ylo) * ph)
    for (int64_t i = 0; i < np; i++) {
        if (!FINITE(i)) continue;
        double x = xs[i], y = ys[i];
        if (!scatter && i + 1 < np && FINITE(i + 1)) {
            double x2 = xs[i + 1], y2 = ys[i + 1];
            if ((x < xlo && x2 < xlo) || (x > xhi && x2 > xhi) || (y < ylo && y2 < ylo) ||
                (y > yhi && y2 > yhi))
                continue;
            segment(&c, PX(i), PY(i), PX(i + 1), PY(i + 1));
        } else if (scatter || i == 0 || !FINITE(i - 1)) {
            if (x >= xlo && x <= xhi && y >= ylo && y <= yhi) pixel(&c, PX(i), PY(i));
        }
    }
#undef FINITE
#undef PX
#undef PY
    nn_bump_version(dt);
    nn_bump_version(ct);
    return lxO_nothing();
}

static const lxL_Reg term_lib[] = {
    {"__isatty", "(io::IO)", t_isatty, ""},
    {"__color", "(io::IO)", t_color, ""},
    {"__termwidth", "(io::IO)", t_termwidth, ""},
    {"__unichar", "(c::Integer)", t_unichar, ""},
    {"__braille_draw!",
     "(dots::Tensor, cols::Tensor, w::Integer, h::Integer, xs::Tensor, ys::Tensor, xlo::Number, xhi::Number, "
     "ylo::Number, yhi::Number, scatter::Bool, color::Integer)",
     t_braille_draw, ""},
    {NULL, NULL, NULL, NULL},
};

void lxL_open_term(lx_State *L)
{
    lxL_register(L, term_lib);
}
