/* tensor_show.c — tensors as text, as Julia shows arrays.  The REPL's display
 * (show, display): a summary line, then the elements aligned on their decimal
 * points, a matrix with more than one column in 6 significant digits, big
 * tensors elided with ⋮, … and ⋱ to fit a 24×80 screen exactly as Julia's
 * print_matrix does, 3-d and more as `[:, :, k] =` slices.  The compact form
 * (print, string, repr, inside containers): [1.0, 2.0], [1 3; 2 4], with the
 * element type in front when a plain literal would not give it back.
 */
#include "tensor.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SCREEN_ROWS 24 /* Julia's displaysize when the terminal's is unknown */
#define SCREEN_COLS 80
#define COMPACT_MAX 1000 /* the compact form elides bigger tensors, as lx elides long Lists */

/* ---- one element ------------------------------------------------------------------------------- */

/* Splits the shortest text of d (lxW_floattext) into its digits and the
 * position of the decimal point: d = 0.DIGITS × 10^pt. */
static int float_digits(lxW_buf *tmp, double d, bool f32, char *digits, int *pt)
{
    tmp->len = 0;
    lxW_floattext(tmp, d, f32, false);
    const char *p = tmp->s;
    if (*p == '-') p++;
    int nd = 0, intpart = 0, lead = 0;
    bool frac = false, seen = false;
    for (; *p && *p != 'e' && *p != 'f'; p++) {
        if (*p == '.') {
            frac = true;
            continue;
        }
        if (*p == '0' && !seen) { /* leading zeros move the point */
            if (frac) lead++;
            continue;
        }
        seen = true;
        if (nd < 24) digits[nd++] = *p;
        if (!frac) intpart++;
    }
    int e = (*p == 'e' || *p == 'f') ? atoi(p + 1) : 0;
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    *pt = (intpart ? intpart : -lead) + e;
    return nd;
}

/* Julia's Ryu.writeshortest: plain between 1e-4 and 1e6, else scientific;
 * compact rounds the shortest digits to 6 significant ones first. */
static void float_text(lxW_buf *out, lxW_buf *tmp, double d, bool f32, bool compact)
{
    if (isnan(d) || isinf(d) || d == 0) {
        lxW_floattext(out, d, f32, false);
        return;
    }
    char digits[32];
    int pt, nd = float_digits(tmp, d, f32, digits, &pt);
    if (compact && nd > 6) {
        /* round half up, ties to even when the dropped part is exactly 5 */
        bool up = digits[6] > '5' || (digits[6] == '5' && (nd > 7 || (digits[5] - '0') % 2 == 1));
        nd = 6;
        for (int k = 5; up && k >= 0; k--) {
            if (digits[k] == '9') {
                digits[k] = '0';
                if (k == 0) { /* 999999.5 → 1000000 */
                    digits[0] = '1';
                    pt++;
                }
            } else {
                digits[k]++;
                up = false;
            }
        }
        while (nd > 1 && digits[nd - 1] == '0')
            nd--;
    }
    bool plain = pt > -4 && pt <= 6;
    if (plain && pt >= nd) { /* an integer part only: Julia checks the value is that close to it */
        double unit = pow(10, pt - nd), m = fmod(d + 0.05, unit);
        if (m < 0) m += unit;
        if (fabs(m - 0.05) > 0.05) plain = false;
    }
    if (d < 0) lxW_puts(out, "-");
    if (plain) {
        if (pt <= 0) {
            lxW_puts(out, "0.");
            for (int k = 0; k < -pt; k++)
                lxW_puts(out, "0");
            lxW_add(out, digits, (size_t)nd);
        } else if (pt >= nd) {
            lxW_add(out, digits, (size_t)nd);
            for (int k = nd; k < pt; k++)
                lxW_puts(out, "0");
            lxW_puts(out, ".0");
        } else {
            lxW_add(out, digits, (size_t)pt);
            lxW_puts(out, ".");
            lxW_add(out, digits + pt, (size_t)(nd - pt));
        }
        return;
    }
    lxW_add(out, digits, 1);
    lxW_puts(out, ".");
    if (nd > 1)
        lxW_add(out, digits + 1, (size_t)(nd - 1));
    else
        lxW_puts(out, "0");
    lxW_printf(out, "%c%d", f32 ? 'f' : 'e', pt - 1);
}

/* Element i as Julia shows it inside an array (no f0, a Float32 exponent with f,
 * Bool as 1/0); compact: at most 6 significant digits. */
static void elem_into(lxW_buf *out, lxW_buf *tmp, const nn_tensor *t, int64_t i, bool compact)
{
    const void *d = nn_data(t);
    switch (t->dtype) {
    case NN_F32: float_text(out, tmp, ((const float *)d)[i], true, compact); break;
    case NN_F64: float_text(out, tmp, ((const double *)d)[i], false, compact); break;
    case NN_I32: lxW_printf(out, "%d", (int)((const int32_t *)d)[i]); break;
    case NN_I64: lxW_printf(out, "%lld", (long long)((const int64_t *)d)[i]); break;
    case NN_BOOL: lxW_puts(out, ((const uint8_t *)d)[i] ? "1" : "0"); break;
    default: lxW_puts(out, "?"); break;
    }
}

/* A scratch pair: the element's text in `text`, lxW_floattext's in `tmp`. */
typedef struct {
    lxW_buf text, tmp;
} scratch;

static const char *elem(scratch *s, const nn_tensor *t, int64_t i, bool compact)
{
    s->text.len = 0;
    elem_into(&s->text, &s->tmp, t, i, compact);
    return s->text.s;
}

/* Julia's alignment of a number: the characters before and from the first
 * of `.eEfF` (integers: all of them on the left). */
typedef struct {
    int l, r;
} align;

static align align_of(const char *s, bool isfloat)
{
    int n = (int)strlen(s);
    if (!isfloat) return (align){n, 0};
    int k = (int)strcspn(s, ".eEfF");
    return (align){k, n - k};
}

/* ---- the REPL's display: Julia's print_matrix ------------------------------------------------------ */

/* A matrix to print: element (i, j) (0-based) at off + i + j*m. */
typedef struct {
    const nn_tensor *t;
    int64_t off, m, n;
    bool compact, isfloat;
    scratch *s;
    lxW_buf *out;
} mat;

#define MAXROWS (SCREEN_ROWS)
#define MAXCOLS (2 * SCREEN_COLS)

static const char *mat_elem(mat *x, int64_t i, int64_t j, align *a)
{
    const char *txt = elem(x->s, x->t, x->off + i + j * x->m, x->compact);
    *a = align_of(txt, x->isfloat);
    return txt;
}

static int width_of(const align *a, int n)
{
    int w = 0;
    for (int k = 0; k < n; k++)
        w += a[k].l + a[k].r;
    return w;
}

/* Julia's alignment(): column widths for cols (in that order) until the line is full. */
static int alignment(mat *x, const int64_t *rows, int nrows, const int64_t *cols, int ncols,
                     int64_t if_complete, int64_t otherwise, int sep, align *a)
{
    int na = 0;
    for (int c = 0; c < ncols; c++) {
        align m = {0, 0};
        for (int r = 0; r < nrows; r++) {
            align e;
            mat_elem(x, rows[r], cols[c], &e);
            if (e.l > m.l) m.l = e.l;
            if (e.r > m.r) m.r = e.r;
        }
        a[na++] = m;
        if (na > 1 && width_of(a, na) + sep * na >= if_complete) {
            na--;
            break;
        }
    }
    if (1 < na && na < x->n)
        while (na > 0 && width_of(a, na) + (int64_t)sep * na >= otherwise)
            na--;
    return na;
}

static void spaces(lxW_buf *b, int n)
{
    for (int k = 0; k < n; k++)
        lxW_puts(b, " ");
}

/* print_matrix_row: X[i, cols] padded to the alignment a. */
static void print_row(mat *x, const align *a, int na, int64_t i, const int64_t *cols)
{
    for (int k = 0; k < na; k++) {
        align e;
        const char *txt = mat_elem(x, i, cols[k], &e);
        spaces(x->out, a[k].l - e.l);
        lxW_puts(x->out, txt);
        if (cols[k] != x->n - 1) spaces(x->out, a[k].r - e.r);
        if (k < na - 1) lxW_puts(x->out, "  ");
    }
}

/* print_matrix_vdots: ⋮ under every M-th column (k % M == m, 1-based k). */
static void print_vdots(lxW_buf *b, const align *a, int na, int M, int m, bool pad_right)
{
    for (int k = 1; k <= na; k++) {
        int w = a[k - 1].l + a[k - 1].r;
        if (k % M == m) {
            int l = a[k - 1].l - 1 > 0 ? a[k - 1].l - 1 : 0;
            spaces(b, l);
            lxW_puts(b, "⋮");
            if (!(k == na && !pad_right)) spaces(b, w - 1 - l > 0 ? w - 1 - l : 0);
        } else if (k != na || pad_right) {
            spaces(b, w);
        }
        if (k < na) lxW_puts(b, "  ");
    }
}

static void print_matrix(mat *x)
{
    const int64_t sh = SCREEN_ROWS - 4, sw = SCREEN_COLS - 1; /* less the " " in front */
    const int sep = 2, hdots = 5, hmod = 5, vmod = 5;
    lxW_buf *b = x->out;
    int64_t rows[MAXROWS] = {0}, cols[MAXCOLS] = {0};
    int nrows = 0, ncols = 0;
    int64_t half = sh / 2;
    if (x->m > sh) {
        for (int64_t i = 0; i < half; i++)
            rows[nrows++] = i;
        for (int64_t i = x->m - (sh - 1) / 2; i < x->m; i++)
            rows[nrows++] = i;
    } else {
        for (int64_t i = 0; i < x->m; i++)
            rows[nrows++] = i;
    }
    int64_t maxcols = sw / (1 + sep);
    if (x->n > maxcols) {
        for (int64_t j = 0; j < maxcols; j++)
            cols[ncols++] = j;
        for (int64_t j = x->n - maxcols; j < x->n; j++)
            cols[ncols++] = j;
    } else {
        for (int64_t j = 0; j < x->n; j++)
            cols[ncols++] = j;
    }
    align A[MAXCOLS], L[MAXCOLS], R[MAXCOLS];
    int na = alignment(x, rows, nrows, cols, ncols, sw, sw, sep, A);
    bool fits = x->n <= na;
    int nl = 0, nr = 0;
    int64_t rcols[MAXCOLS];
    if (!fits) {
        /* the right part's widths from the last column leftwards, then the left part in what remains */
        int64_t rev[MAXCOLS];
        for (int k = 0; k < ncols; k++)
            rev[k] = cols[ncols - 1 - k];
        int64_t c = (sw - hdots + 1) / 2 + 1;
        align tmp[MAXCOLS];
        nr = alignment(x, rows, nrows, rev, ncols, c, c, sep, tmp);
        for (int k = 0; k < nr; k++)
            R[k] = tmp[nr - 1 - k];
        c = sw - width_of(R, nr) - (int64_t)(nr - 1) * sep - hdots;
        nl = alignment(x, rows, nrows, cols, ncols, c, c, sep, L);
        for (int k = 0; k < nr; k++)
            rcols[k] = x->n - nr + k;
    }
    for (int r = 0; r < nrows; r++) {
        int64_t i = rows[r];
        lxW_puts(b, " ");
        if (fits) {
            print_row(x, A, na, i, cols);
        } else {
            print_row(x, L, nl, i, cols);
            if ((i - rows[0]) % hmod == 0)
                lxW_puts(b, "  …  ");
            else
                spaces(b, hdots);
            print_row(x, R, nr, i, rcols);
        }
        if (r != nrows - 1) lxW_puts(b, "\n");
        if (x->m > sh && r == half - 1) {
            lxW_puts(b, " ");
            if (fits) {
                print_vdots(b, A, na, vmod, 1, false);
            } else {
                print_vdots(b, L, nl, vmod, 1, true);
                lxW_puts(b, "  ⋱  ");
                int rr = (int)(((nr - x->n + 1) % vmod + vmod) % vmod);
                print_vdots(b, R, nr, vmod, rr, false);
            }
            lxW_puts(b, "\n");
        }
    }
}

static void summary(lxW_buf *b, const nn_tensor *t)
{
    if (t->ndim == 0)
        lxW_puts(b, "0-dimensional");
    else if (t->ndim == 1)
        lxW_printf(b, "%lld-element", (long long)t->shape[0]);
    else
        for (int d = 0; d < t->ndim; d++)
            lxW_printf(b, "%s%lld", d ? "×" : "", (long long)t->shape[d]);
    lxW_printf(b, " Tensor{%s, %d}", nn_dtype_name(t->dtype), t->ndim);
}

/* A 0-d tensor shows as the number it holds (Float32 with its f0). */
static void show_scalar(lx_State *L, lxW_buf *b, const nn_tensor *t)
{
    lx_Value v = lxL_elem(L, t, 0);
    if (t->dtype == NN_I64) v = lxO_int(((const int64_t *)nn_data(t))[0]);
    lxW_repr(b, v);
}

/* Julia's show_nd: slice by slice, big trailing dimensions cut to 3 + 3 with "...". */
static void show_nd(mat *x, const nn_tensor *t)
{
    int nd = t->ndim - 2;
    int64_t idx[NN_MAX_DIMS] = {0}, nslices = 1;
    for (int d = 0; d < nd; d++)
        nslices *= t->shape[d + 2];
    lxW_buf *b = x->out;
    for (int64_t s = 0; s < nslices; s++) {
        /* idx: the slice's trailing indices (0-based), first fastest */
        int64_t rem = s;
        for (int d = 0; d < nd; d++) {
            idx[d] = rem % t->shape[d + 2];
            rem /= t->shape[d + 2];
        }
        bool skip = false;
        for (int d = 0; d < nd && !skip; d++) {
            int64_t len = t->shape[d + 2], ii = idx[d];
            if (len <= 10) continue;
            bool firsts = true;
            for (int e = 0; e < d; e++)
                firsts &= idx[e] == 0;
            if (ii == 3 && firsts) {
                bool inner = false;
                for (int e = d + 1; e < nd; e++)
                    if (t->shape[e + 2] > 10 && 2 < idx[e] && idx[e] <= t->shape[e + 2] - 4) inner = true;
                if (!inner) lxW_puts(b, "...\n\n");
                skip = true;
            } else if (2 < ii && ii <= len - 4) {
                skip = true;
            }
        }
        if (skip) continue;
        lxW_puts(b, "[:, :, ");
        for (int d = 0; d < nd; d++)
            lxW_printf(b, "%lld%s", (long long)idx[d] + 1, d < nd - 1 ? ", " : "] =\n");
        x->off = s * x->m * x->n;
        print_matrix(x);
        if (s != nslices - 1) lxW_puts(b, "\n\n");
    }
}

static void show_full(lx_State *L, lxW_buf *b, const nn_tensor *t, scratch *s)
{
    if (t->ndim == 0) {
        show_scalar(L, b, t);
        return;
    }
    summary(b, t);
    if (t->numel == 0) return;
    lxW_puts(b, ":\n");
    mat x = {t, 0, t->shape[0], t->ndim > 1 ? t->shape[1] : 1, false, nn_dtype_is_float(t->dtype), s, b};
    x.compact = t->ndim > 1 && t->shape[1] > 1;
    if (t->ndim <= 2)
        print_matrix(&x);
    else
        show_nd(&x, t);
}

/* ---- the compact form ---------------------------------------------------------------------------- */

/* The prefix that makes the text read back as this element type. */
static const char *type_prefix(const nn_tensor *t)
{
    switch (t->dtype) {
    case NN_F64: return "Float64";
    case NN_I32: return "Int32";
    case NN_BOOL: return "Bool";
    default: return t->numel == 0 ? nn_dtype_name(t->dtype) : "";
    }
}

static void compact_elem(lxW_buf *b, scratch *s, const nn_tensor *t, int64_t i)
{
    lxW_puts(b, elem(s, t, i, false));
}

/* One matrix slice's rows: "1 3; 2 4"; big ones keep 2 rows and 2 columns at each end (Julia's limit). */
static void compact_matrix(lxW_buf *b, scratch *s, const nn_tensor *t, int64_t off, int64_t m, int64_t n,
                           bool limit)
{
    bool rdots = limit && m > 4, cdots = limit && n > 4;
    for (int64_t i = 0; i < m; i++) {
        if (rdots && i == 2) {
            lxW_puts(b, "… ; ");
            i = m - 2;
        }
        for (int64_t j = 0; j < n; j++) {
            if (cdots && j == 2) {
                lxW_puts(b, " … ");
                j = n - 2;
            } else if (j) {
                lxW_puts(b, " ");
            }
            compact_elem(b, s, t, off + i + j * m);
        }
        if (i < m - 1) lxW_puts(b, "; ");
    }
}

static void show_compact(lx_State *L, lxW_buf *b, const nn_tensor *t, scratch *s)
{
    if (t->ndim == 0) {
        show_scalar(L, b, t);
        return;
    }
    bool limit = t->numel > COMPACT_MAX;
    if (t->numel == 0) {
        if (t->ndim == 1) {
            lxW_printf(b, "%s[]", nn_dtype_name(t->dtype));
            return;
        }
        lxW_puts(b, "zeros(");
        if (t->dtype != NN_F32) lxW_printf(b, "%s, ", nn_dtype_name(t->dtype));
        for (int d = 0; d < t->ndim; d++)
            lxW_printf(b, "%s%lld", d ? ", " : "", (long long)t->shape[d]);
        lxW_puts(b, ")");
        return;
    }
    lxW_printf(b, "%s[", type_prefix(t));
    if (t->ndim == 1) {
        for (int64_t i = 0; i < t->numel; i++) {
            if (limit && i == 10) {
                lxW_puts(b, "  …  ");
                i = t->numel - 10;
            } else if (i) {
                lxW_puts(b, ", ");
            }
            compact_elem(b, s, t, i);
        }
    } else {
        int64_t m = t->shape[0], n = t->shape[1], per = m * n, nslices = t->numel / per;
        for (int64_t k = 0; k < nslices; k++) {
            if (k) {
                /* ;;; between slices of dim 3, ;;;; where dim 4 steps, ... */
                int semis = 3;
                for (int64_t q = k, d = 2; d < t->ndim - 1 && q % t->shape[d] == 0; d++) {
                    q /= t->shape[d];
                    semis++;
                }
                for (int c = 0; c < semis; c++)
                    lxW_puts(b, ";");
                lxW_puts(b, " ");
            }
            if (limit && nslices > 6 && k == 3) {
                lxW_puts(b, "…;;; ");
                k = nslices - 3;
            }
            compact_matrix(b, s, t, k * per, m, n, limit);
        }
        if (t->ndim == 2 && n == 1) lxW_puts(b, ";;"); /* [1; 2] would be a vector */
    }
    lxW_puts(b, "]");
}

/* ---- the hook and the built-ins --------------------------------------------------------------------- */

static void tensor_show(lx_State *L, void *buf, lx_Value v, bool full)
{
    lxW_buf *b = buf;
    const nn_tensor *t = lxL_tval(v);
    if (nn_tensor_device(t) != NN_CPU) {
        lxW_puts(b, "<a ");
        summary(b, t);
        lxW_puts(b, " on the GPU: move it with cpu_device()>");
        return;
    }
    scratch s;
    lxW_init(L, &s.text);
    lxW_init(L, &s.tmp);
    if (full)
        show_full(L, b, t, &s);
    else
        show_compact(L, b, t, &s);
    lxW_free(&s.tmp);
    lxW_free(&s.text);
}

static lx_Value t_summary(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxW_buf b;
    lxW_init(L, &b);
    summary(&b, lxL_tval(a[0]));
    lx_Value r = lxO_str(L, b.s, b.len);
    lxW_free(&b);
    return r;
}

/* repr("text/plain", x): the REPL's display as a String, as Julia's repr(mime, x). */
static lx_Value t_repr_mime(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_string *m = lxL_string(L, a, 0, "repr");
    if (strcmp(m->data, "text/plain"))
        lxE_error(L, LXT_ArgumentError, "repr: lx writes tensors only as \"text/plain\", not \"%s\"",
                  m->data);
    lxW_buf b;
    lxW_init(L, &b);
    tensor_show(L, &b, a[1], true);
    lx_Value r = lxO_str(L, b.s ? b.s : "", b.len);
    lxW_free(&b);
    return r;
}

#define EX(body) "\n\n# Examples\n```\n" body "```"

static const lxL_Reg show_lib[] = {
    {"summary", "(x::Tensor)", t_summary,
     "    summary(x)\n\nThe one-line description of a tensor the REPL prints above its elements: its size "
     "and type." EX("lx> summary(zeros(2, 3))\n\"2×3 Tensor{Float32, 2}\"\n\nlx> summary([1, 2, "
                    "3])\n\"3-element Tensor{Int64, 1}\"\n")},
    {"repr", "(mime::AbstractString, x::Tensor)", t_repr_mime,
     "    repr(\"text/plain\", x::Tensor)\n\nThe tensor's full display (what the REPL and `show(x)` print) "
     "as a String; `repr(x)` is its compact form.\n\n# Arguments\n- `\"text/plain\"`: the media type, a "
     "String.\n- `x`: a tensor.\n\n# Returns\nA String." EX(
         "lx> repr(\"text/plain\", [1, 2])\n\"2-element Tensor{Int64, "
         "1}:\\n 1\\n 2\"\n\nlx> repr([1, 2])\n\"[1, 2]\"\n")},
    {NULL, NULL, NULL, NULL}};

void lxL_open_tensor_show(lx_State *L)
{
    L->tensorshow = tensor_show;
    lxL_register(L, show_lib);
}
