/* data_io.c — the data readers: read_csv (delimited text), read_idx (MNIST's
 * IDX), read_npy/write_npy (NumPy's .npy), all reading through zlib so a
 * `.gz` file reads as its contents; and __datadir, where the shipped data
 * sets live.  A malformed file is an IOError that names the function, the
 * file and what is wrong, found before anything is allocated from a size the
 * file declares and without reading past its end.
 */
#include "tensor.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

/* ---- reading a file through zlib --------------------------------------------------------------------- */

typedef struct {
    lx_State *L;
    const char *fname, *path;
    gzFile gz;
    int64_t fsize; /* bytes on disk */
    int64_t pos;   /* bytes read so far (uncompressed) */
} reader;

static void rd_close(reader *r)
{
    if (r->gz) gzclose(r->gz);
    r->gz = NULL;
}

/* Closes the file and raises an IOError naming the function, the file and the problem. */
static void rd_fail(reader *r, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
static void rd_fail(reader *r, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    rd_close(r);
    lxE_error(r->L, LXT_IOError, "%s: %s: %s", r->fname, r->path, msg);
}

static const char *path_arg(lx_State *L, lx_Value *a, int i, const char *fname)
{
    lxO_string *s = lxL_string(L, a, i, fname);
    if (strlen(s->data) != s->len) lxE_error(L, LXT_ArgumentError, "%s: the path contains a NUL byte", fname);
    return s->data;
}

static void rd_open(reader *r, lx_State *L, const char *path, const char *fname)
{
    lxL_need(L, LX_LIB_FILES, fname);
    memset(r, 0, sizeof *r);
    r->L = L, r->path = path, r->fname = fname;
    struct stat st;
    if (stat(path, &st) != 0) rd_fail(r, "could not open file: %s", strerror(errno));
    if (S_ISDIR(st.st_mode)) rd_fail(r, "could not open file: %s", strerror(EISDIR));
    r->fsize = (int64_t)st.st_size;
    r->gz = gzopen(path, "rb");
    if (!r->gz) rd_fail(r, "could not open file: %s", errno ? strerror(errno) : "out of memory");
    gzbuffer(r->gz, 1 << 16);
}

/* zlib's message without the path it starts with. */
static const char *zmsg(const reader *r, const char *m)
{
    size_t k = strlen(r->path);
    return !strncmp(m, r->path, k) && !strncmp(m + k, ": ", 2) ? m + k + 2 : m;
}

/* Up to n bytes; fewer only at the end of the data.  A damaged compressed
 * stream (a truncated .gz included) is an error, not an early end. */
static size_t rd_some(reader *r, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        size_t want = n - got > (1u << 30) ? (1u << 30) : n - got;
        int k = gzread(r->gz, (char *)buf + got, (unsigned)want);
        if (k < 0) {
            int err;
            const char *m = gzerror(r->gz, &err);
            if (err == Z_ERRNO)
                rd_fail(r, "read error after %lld bytes: %s", (long long)(r->pos + (int64_t)got),
                        strerror(errno));
            rd_fail(r, "damaged or truncated compressed data after %lld bytes: %s",
                    (long long)(r->pos + (int64_t)got), zmsg(r, m));
        }
        if (k == 0) break;
        got += (size_t)k;
    }
    if (got < n) { /* zlib reports a gzip stream cut short only when asked */
        int err;
        const char *m = gzerror(r->gz, &err);
        if (err != Z_OK && err != Z_STREAM_END)
            rd_fail(r, "damaged or truncated compressed data after %lld bytes: %s",
                    (long long)(r->pos + (int64_t)got), zmsg(r, m));
    }
    r->pos += (int64_t)got;
    return got;
}

/* Exactly n bytes of the header (what names the part in the message). */
static void rd_header(reader *r, void *buf, size_t n, const char *what)
{
    int64_t at = r->pos;
    size_t got = rd_some(r, buf, n);
    if (got == 0 && at == 0) rd_fail(r, "empty file");
    if (got < n)
        rd_fail(r, "truncated header: the file ends after %lld bytes, inside the %s",
                (long long)(at + (int64_t)got), what);
}

/* Whether `nbytes` of data can follow what has been read: exactly for a
 * plain file; for a compressed one, within deflate's largest ratio (1032:1). */
static void rd_check_size(reader *r, int64_t nbytes)
{
    if (gzdirect(r->gz)) {
        int64_t have = r->fsize - r->pos;
        if (have < nbytes)
            rd_fail(r, "truncated data: the header declares %lld bytes of data, the file holds %lld",
                    (long long)nbytes, (long long)have);
        if (have > nbytes)
            rd_fail(r, "size mismatch: the header declares %lld bytes of data, the file holds %lld",
                    (long long)nbytes, (long long)have);
    } else if (nbytes / 1032 > r->fsize) {
        rd_fail(r, "the header declares %lld bytes of data, more than a %lld-byte compressed file can hold",
                (long long)nbytes, (long long)r->fsize);
    }
}

/* After the data: nothing may follow. */
static void rd_check_end(reader *r, int64_t nbytes)
{
    char c;
    if (rd_some(r, &c, 1))
        rd_fail(r, "size mismatch: the header declares %lld bytes of data, the file holds more",
                (long long)nbytes);
    rd_close(r);
}

/* ---- element formats and conversion ------------------------------------------------------------------ */

/* The element types the files hold (IDX's and NumPy's), each read as the lx
 * dtype that holds all its values exactly unless a float T is asked for. */
typedef enum { E_B1, E_U1, E_I1, E_I2, E_U2, E_I4, E_U4, E_I8, E_F2, E_F4, E_F8 } elem_kind;
static const int elem_size[] = {1, 1, 1, 2, 2, 4, 4, 8, 2, 4, 8};
static const nn_dtype elem_dtype[] = {NN_BOOL, NN_I32, NN_I32, NN_I32, NN_I32, NN_I32,
                                      NN_I64,  NN_I64, NN_F32, NN_F32, NN_F64};

typedef struct {
    elem_kind kind;
    bool swap; /* byte order differs from this machine's */
} elem_fmt;

static bool host_little(void)
{
    const uint16_t one = 1;
    return *(const uint8_t *)&one == 1;
}

static uint16_t ld16(const uint8_t *p, bool swap)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return swap ? __builtin_bswap16(v) : v;
}
static uint32_t ld32(const uint8_t *p, bool swap)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return swap ? __builtin_bswap32(v) : v;
}
static uint64_t ld64(const uint8_t *p, bool swap)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return swap ? __builtin_bswap64(v) : v;
}

static float half_to_float(uint16_t h)
{
    int e = (h >> 10) & 31, m = h & 1023;
    float v = e == 0    ? ldexpf((float)m, -24)
              : e == 31 ? (m ? NAN : INFINITY)
                        : ldexpf((float)(m | 1024), e - 25);
    return h & 0x8000 ? -v : v;
}

static float ldf32(const uint8_t *p, bool swap)
{
    uint32_t u = ld32(p, swap);
    float v;
    memcpy(&v, &u, 4);
    return v;
}
static double ldf64(const uint8_t *p, bool swap)
{
    uint64_t u = ld64(p, swap);
    double v;
    memcpy(&v, &u, 8);
    return v;
}

/* n elements of src into dst (of dtype dt) from element `at` on: one loop
 * per pair of types, since this runs over every element of a large file. */
#define CONVERT_LOOP(T, GET)                                                                                 \
    for (int64_t i = 0; i < n; i++)                                                                          \
        ((T *)dst)[at + i] = (T)(GET);                                                                       \
    break;
#define CONVERT(GET)                                                                                         \
    switch (dt) {                                                                                            \
    case NN_F32: CONVERT_LOOP(float, GET)                                                                    \
    case NN_F64: CONVERT_LOOP(double, GET)                                                                   \
    case NN_I32: CONVERT_LOOP(int32_t, GET)                                                                  \
    case NN_I64: CONVERT_LOOP(int64_t, GET)                                                                  \
    case NN_BOOL: CONVERT_LOOP(bool, (GET) != 0)                                                             \
    default: break;                                                                                          \
    }                                                                                                        \
    break;

static void elem_convert(void *dst, nn_dtype dt, int64_t at, const uint8_t *src, elem_fmt f, int64_t n)
{
    bool sw = f.swap;
    switch (f.kind) {
    case E_B1: CONVERT(src[i] != 0)
    case E_U1: CONVERT(src[i])
    case E_I1: CONVERT((int8_t)src[i])
    case E_I2: CONVERT((int16_t)ld16(src + 2 * i, sw))
    case E_U2: CONVERT(ld16(src + 2 * i, sw))
    case E_I4: CONVERT((int32_t)ld32(src + 4 * i, sw))
    case E_U4: CONVERT(ld32(src + 4 * i, sw))
    case E_I8: CONVERT((int64_t)ld64(src + 8 * i, sw))
    case E_F2: CONVERT(half_to_float(ld16(src + 2 * i, sw)))
    case E_F4: CONVERT(ldf32(src + 4 * i, sw))
    case E_F8: CONVERT(ldf64(src + 8 * i, sw))
    }
}
#undef CONVERT
#undef CONVERT_LOOP

/* The T keyword: nothing (the file's own type, widened as elem_dtype says) or Float32/Float64. */
static bool float_T(lx_State *L, lx_Value kw, nn_dtype *dt, const char *fname)
{
    lx_Value T = lxL_kw(L, kw, "T", lxO_nothing());
    if (T.tag == LX_TNOTHING) return false;
    if (!lxL_dtype_of(L, T, dt) || !nn_dtype_is_float(*dt)) {
        lxW_buf b;
        lxW_init(L, &b);
        lxW_repr(&b, T);
        char msg[200];
        snprintf(msg, sizeof msg, "%s: T must be nothing, Float32 or Float64, got %.100s", fname,
                 b.s ? b.s : "");
        lxW_free(&b);
        lxE_throw(L, lxE_new(L, LXT_ArgumentError, msg));
    }
    return true;
}

/* numel of a declared shape; false when it overflows or the bytes would. */
static bool shape_numel(int ndim, const int64_t *shape, int esize, int64_t *numel)
{
    int64_t n = 1;
    for (int d = 0; d < ndim; d++)
        if (shape[d] < 0 || __builtin_mul_overflow(n, shape[d], &n)) return false;
    int64_t bytes;
    if (__builtin_mul_overflow(n, (int64_t)esize, &bytes)) return false;
    *numel = n;
    return true;
}

/* A new tensor of the declared shape holding the file's data: checked
 * against the file's size first, read in chunks (converted on the way when
 * the element type is not one lx has), and nothing allowed after it.  The
 * result is wrapped at once, so a later failure leaves it to the collector. */
static lx_Value rd_data(reader *r, elem_fmt f, nn_dtype dt, int ndim, const int64_t *shape, nn_tensor **out)
{
    char sh[160];
    int64_t numel;
    int esize = elem_size[f.kind];
    if (!shape_numel(ndim, shape, esize, &numel))
        rd_fail(r, "the declared size %s is too large", nn_shape_str(sh, sizeof sh, ndim, shape));
    int64_t nbytes = numel * esize;
    rd_check_size(r, nbytes);
    nn_status s = nn_empty(r->L->nn, out, dt, ndim, shape);
    if (s != NN_OK) {
        rd_close(r);
        lxE_nn(r->L, s);
    }
    lx_Value v = lxL_wrap(r->L, *out);
    uint8_t *dst = nn_data(*out);
    bool direct = !f.swap && elem_dtype[f.kind] == dt && f.kind != E_B1 && f.kind != E_F2 &&
                  nn_dtype_size(dt) == (size_t)esize;
    uint8_t chunk[1 << 16];
    int64_t per = (int64_t)sizeof chunk / esize;
    for (int64_t done = 0; done < numel;) {
        int64_t k = numel - done < per ? numel - done : per;
        uint8_t *into = direct ? dst + done * esize : chunk;
        size_t got = rd_some(r, into, (size_t)(k * esize));
        if (got < (size_t)(k * esize))
            rd_fail(r, "truncated data: the header declares %lld bytes of data, the file holds %lld",
                    (long long)nbytes, (long long)(done * esize + (int64_t)got));
        if (!direct) elem_convert(dst, dt, done, chunk, f, k);
        done += k;
    }
    rd_check_end(r, nbytes);
    return v;
}

/* ---- read_idx ------------------------------------------------------------------------------------------ */

static lx_Value d_read_idx(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    nn_dtype want;
    bool has_T = float_T(L, kw, &want, "read_idx");
    reader r;
    rd_open(&r, L, path_arg(L, a, 0, "read_idx"), "read_idx");
    uint8_t magic[4];
    rd_header(&r, magic, 4, "magic number");
    if (magic[0] || magic[1])
        rd_fail(&r, "not an IDX file (its first two bytes are 0x%02x 0x%02x, not 0)", magic[0], magic[1]);
    elem_fmt f = {E_U1, host_little()}; /* IDX is big-endian */
    switch (magic[2]) {
    case 0x08: f.kind = E_U1; break;
    case 0x09: f.kind = E_I1; break;
    case 0x0B: f.kind = E_I2; break;
    case 0x0C: f.kind = E_I4; break;
    case 0x0D: f.kind = E_F4; break;
    case 0x0E: f.kind = E_F8; break;
    default:
        rd_fail(&r,
                "unsupported data type 0x%02x (IDX has 0x08 UInt8, 0x09 Int8, 0x0B Int16, 0x0C Int32, 0x0D "
                "Float32, 0x0E Float64)",
                magic[2]);
    }
    int ndim = magic[3];
    if (ndim > NN_MAX_DIMS) rd_fail(&r, "%d dimensions (at most %d)", ndim, NN_MAX_DIMS);
    uint8_t dims[4 * NN_MAX_DIMS];
    if (ndim) rd_header(&r, dims, (size_t)(4 * ndim), "dimensions");
    int64_t shape[NN_MAX_DIMS];
    for (int d = 0; d < ndim; d++) /* the last IDX dimension varies fastest: Julia's first */
        shape[ndim - 1 - d] = ld32(dims + 4 * d, host_little());
    nn_tensor *out;
    return rd_data(&r, f, has_T ? want : elem_dtype[f.kind], ndim, shape, &out);
}

/* ---- read_npy ------------------------------------------------------------------------------------------ */

/* The header's Python dict literal: {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } */
typedef struct {
    const char *p, *end;
    char descr[32];
    int fortran; /* -1 until seen */
    int ndim;    /* -1 until seen */
    int64_t shape[NN_MAX_DIMS];
} npy_header;

static void hskip(npy_header *h)
{
    while (h->p < h->end && (*h->p == ' ' || *h->p == '\t' || *h->p == '\n' || *h->p == '\r'))
        h->p++;
}

static bool hlit(npy_header *h, char c)
{
    hskip(h);
    if (h->p < h->end && *h->p == c) {
        h->p++;
        return true;
    }
    return false;
}

/* A quoted string into out (truncated to its size); false if there is none. */
static bool hstring(npy_header *h, char *out, size_t size)
{
    hskip(h);
    if (h->p >= h->end || (*h->p != '\'' && *h->p != '"')) return false;
    char q = *h->p++;
    size_t k = 0;
    while (h->p < h->end && *h->p != q) {
        if (k + 1 < size) out[k++] = *h->p;
        h->p++;
    }
    out[k] = '\0';
    if (h->p >= h->end) return false;
    h->p++;
    return true;
}

static bool hword(npy_header *h, const char *w)
{
    hskip(h);
    size_t k = strlen(w);
    if ((size_t)(h->end - h->p) >= k && !memcmp(h->p, w, k)) {
        h->p += k;
        return true;
    }
    return false;
}

/* Parses the dict; a message on failure. */
static const char *npy_parse(npy_header *h)
{
    h->fortran = h->ndim = -1;
    h->descr[0] = '\0';
    if (!hlit(h, '{')) return "the header is not a Python dict";
    while (!hlit(h, '}')) {
        char key[32];
        if (!hstring(h, key, sizeof key) || !hlit(h, ':')) return "the header is not a Python dict";
        if (!strcmp(key, "descr")) {
            if (!hstring(h, h->descr, sizeof h->descr)) {
                hskip(h);
                return h->p < h->end && *h->p == '[' ? "unsupported dtype: a structured dtype"
                                                     : "the header's descr is not a string";
            }
        } else if (!strcmp(key, "fortran_order")) {
            if (hword(h, "True"))
                h->fortran = 1;
            else if (hword(h, "False"))
                h->fortran = 0;
            else
                return "the header's fortran_order is neither True nor False";
        } else if (!strcmp(key, "shape")) {
            if (!hlit(h, '(')) return "the header's shape is not a tuple";
            h->ndim = 0;
            while (!hlit(h, ')')) {
                hskip(h);
                if (h->p >= h->end || *h->p < '0' || *h->p > '9')
                    return "the header's shape is not a tuple of non-negative integers";
                int64_t v = 0;
                while (h->p < h->end && *h->p >= '0' && *h->p <= '9') {
                    if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, *h->p - '0', &v))
                        return "a dimension in the header's shape is too large";
                    h->p++;
                }
                hword(h, "L"); /* Python 2's long suffix */
                if (h->ndim == NN_MAX_DIMS) return "the header's shape has more than 16 dimensions";
                h->shape[h->ndim++] = v;
                if (!hlit(h, ',') && (hskip(h), h->p >= h->end || *h->p != ')'))
                    return "the header's shape is not a tuple of non-negative integers";
            }
        } else {
            return "the header has a key other than descr, fortran_order and shape";
        }
        if (!hlit(h, ',') && (hskip(h), h->p >= h->end || *h->p != '}'))
            return "the header is not a Python dict";
    }
    if (!h->descr[0] || h->fortran < 0 || h->ndim < 0)
        return "the header lacks one of descr, fortran_order and shape";
    return NULL;
}

/* NumPy's type string ("<f4", "|u1", ">i8", ...) as an element format. */
static bool npy_dtype(const char *d, elem_fmt *f)
{
    static const struct {
        const char *code;
        elem_kind kind;
    } codes[] = {{"b1", E_B1}, {"u1", E_U1}, {"i1", E_I1}, {"i2", E_I2}, {"u2", E_U2}, {"i4", E_I4},
                 {"u4", E_U4}, {"i8", E_I8}, {"f2", E_F2}, {"f4", E_F4}, {"f8", E_F8}};
    if (strlen(d) != 3 || !strchr("<>|=", d[0])) return false;
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (!strcmp(d + 1, codes[i].code)) {
            f->kind = codes[i].kind;
            f->swap = elem_size[f->kind] > 1 && (d[0] == '<' ? !host_little() : d[0] == '>' && host_little());
            return d[0] != '|' || elem_size[f->kind] == 1;
        }
    return false;
}

static lx_Value d_read_npy(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_need(L, LX_LIB_FILES, "read_npy");
    nn_dtype want;
    bool has_T = float_T(L, kw, &want, "read_npy");
    reader r;
    rd_open(&r, L, path_arg(L, a, 0, "read_npy"), "read_npy");
    uint8_t pre[12];
    rd_header(&r, pre, 8, "magic string");
    if (memcmp(pre, "\x93NUMPY", 6)) rd_fail(&r, "not an NPY file (it does not start with \\x93NUMPY)");
    int major = pre[6];
    if (major < 1 || major > 3) rd_fail(&r, "unsupported NPY format version %d.%d", major, pre[7]);
    int lenbytes = major == 1 ? 2 : 4;
    rd_header(&r, pre + 8, (size_t)lenbytes, "header length");
    int64_t hlen = major == 1 ? ld16(pre + 8, !host_little()) : ld32(pre + 8, !host_little());
    if (hlen > (1 << 20)) rd_fail(&r, "the header length %lld is implausibly large", (long long)hlen);
    if (gzdirect(r.gz) && hlen > r.fsize - r.pos)
        rd_fail(&r, "truncated header: it declares %lld bytes, the file holds %lld after the header length",
                (long long)hlen, (long long)(r.fsize - r.pos));
    lxW_buf text; /* freed by an unwind too */
    lxW_init(L, &text);
    for (int64_t left = hlen; left > 0;) {
        char chunk[4096];
        size_t ask = left < (int64_t)sizeof chunk ? (size_t)left : sizeof chunk,
               got = rd_some(&r, chunk, ask);
        lxW_add(&text, chunk, got);
        left -= (int64_t)got;
        if (got < ask)
            rd_fail(&r, "truncated header: the file ends %lld bytes into the %lld-byte header",
                    (long long)(hlen - left), (long long)hlen);
    }
    npy_header h = {.p = text.s, .end = text.s + text.len};
    const char *err = npy_parse(&h);
    lxW_free(&text);
    elem_fmt f = {E_U1, false};
    if (err) rd_fail(&r, "%s", err);
    if (!npy_dtype(h.descr, &f))
        rd_fail(&r, "unsupported dtype '%s' (lx reads b1, u1, i1, i2, u2, i4, u4, i8, f2, f4 and f8)",
                h.descr);
    nn_dtype dt = has_T ? want : elem_dtype[f.kind];
    if (h.fortran || h.ndim < 2) {
        nn_tensor *out;
        return rd_data(&r, f, dt, h.ndim, h.shape, &out);
    }
    /* C order: the bytes are the column-major tensor of the reversed shape; permuting gives NumPy's. */
    int64_t rev[NN_MAX_DIMS];
    int perm[NN_MAX_DIMS];
    for (int d = 0; d < h.ndim; d++) {
        rev[d] = h.shape[h.ndim - 1 - d];
        perm[d] = h.ndim - d;
    }
    nn_tensor *raw, *out;
    lx_Value hold = rd_data(&r, f, dt, h.ndim, rev, &raw);
    (void)hold;
    nn_status s = nn_permutedims(L->nn, &out, raw, perm);
    return lxL_result(L, s, &out);
}

/* ---- write_npy ----------------------------------------------------------------------------------------- */

static lx_Value d_write_npy(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_need(L, LX_LIB_FILES, "write_npy");
    const char *path = path_arg(L, a, 0, "write_npy");
    lx_Value hold = lxO_nothing();
    nn_tensor *x = lxL_istensor(a[1]) ? lxL_tval(a[1]) : lxL_totensor(L, a[1], NULL, "write_npy", &hold);
    if (nn_tensor_device(x) != NN_CPU)
        lxE_error(L, LXT_ArgumentError, "write_npy: the tensor is on a GPU; move it with cpu_device() first");
    static const char *const codes[] = {"f4", "f8", "i4", "i8", "b1"};
    char head[512];
    char order = x->dtype == NN_BOOL ? '|' : host_little() ? '<' : '>';
    /* one layout for 0-d and 1-d, which NumPy calls C order */
    int k = snprintf(head, sizeof head, "{'descr': '%c%s', 'fortran_order': %s, 'shape': (", order,
                     codes[x->dtype], x->ndim >= 2 ? "True" : "False");
    for (int d = 0; d < x->ndim; d++)
        k += snprintf(head + k, sizeof head - (size_t)k, d ? ", %lld" : "%lld", (long long)x->shape[d]);
    k += snprintf(head + k, sizeof head - (size_t)k, "%s), }", x->ndim == 1 ? "," : "");
    /* NumPy pads the header with spaces and a newline so the data starts 64-byte aligned */
    int total = (10 + k + 1 + 63) / 64 * 64;
    while (10 + k + 1 < total)
        head[k++] = ' ';
    head[k++] = '\n';
    uint8_t pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (uint8_t)(k & 0xff), (uint8_t)(k >> 8)};
    size_t nbytes = (size_t)x->numel * nn_dtype_size(x->dtype);
    lxL_wfile w; /* atomic: a failed write leaves the old file */
    lxL_wopen(&w, L, path, "write_npy");
    lxL_wwrite(&w, pre, 10);
    lxL_wwrite(&w, head, (size_t)k);
    lxL_wwrite(&w, nn_data(x), nbytes);
    lxL_wcommit(&w);
    return lxO_nothing();
}

/* ---- read_csv ------------------------------------------------------------------------------------------ */

typedef struct {
    const char *s; /* inside the quotes for a quoted field */
    size_t len;
    bool quoted;
} csv_field;

typedef struct {
    lx_State *L;
    const char *path, *p, *end;
    int64_t line;
    char delim;
    bool ws; /* delim " ": runs of spaces and tabs */
    lxW_buf fields;
} csv_scan;

static void csv_fail(csv_scan *c, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
static void csv_fail(csv_scan *c, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lxE_error(c->L, LXT_IOError, "read_csv: %s: %s", c->path, msg);
}

static bool is_blank(char ch)
{
    return ch == ' ' || ch == '\t';
}

static bool line_blank(const csv_scan *c)
{
    for (const char *q = c->p; q < c->end && *q != '\n'; q++)
        if (!is_blank(*q) && *q != '\r') return false;
    return true;
}

/* The fields of the next row (into c->fields); false at the end of the text. */
static bool csv_row(csv_scan *c, int64_t *rowline)
{
    while (c->p < c->end && line_blank(c)) { /* blank lines are skipped, as readdlm does */
        const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
        c->p = nl ? nl + 1 : c->end;
        c->line++;
    }
    if (c->p >= c->end) return false;
    *rowline = c->line;
    c->fields.len = 0;
    for (;;) {
        csv_field f = {NULL, 0, false};
        while (c->p < c->end && is_blank(*c->p) && (c->ws || *c->p != c->delim))
            c->p++;
        if (c->p < c->end && *c->p == '"') {
            int64_t qline = c->line;
            f.quoted = true;
            f.s = ++c->p;
            while (c->p < c->end && !(*c->p == '"' && (c->p + 1 >= c->end || c->p[1] != '"'))) {
                if (*c->p == '"') c->p++; /* "" inside quotes */
                if (*c->p == '\n') c->line++;
                c->p++;
            }
            if (c->p >= c->end) csv_fail(c, "line %lld: a quoted field is not closed", (long long)qline);
            f.len = (size_t)(c->p - f.s);
            c->p++;
            while (!c->ws && c->p < c->end && is_blank(*c->p) && *c->p != c->delim)
                c->p++;
            if (c->p < c->end && !(c->ws ? is_blank(*c->p) : *c->p == c->delim) && *c->p != '\n' &&
                *c->p != '\r')
                csv_fail(c, "line %lld: text after the closing quote of a field", (long long)c->line);
        } else {
            f.s = c->p;
            while (c->p < c->end && *c->p != '\n' && *c->p != c->delim && !(c->ws && is_blank(*c->p)))
                c->p++;
            f.len = (size_t)(c->p - f.s);
            while (f.len && (is_blank(f.s[f.len - 1]) || f.s[f.len - 1] == '\r'))
                f.len--;
        }
        lxW_add(&c->fields, (const char *)&f, sizeof f);
        if (c->ws)
            while (c->p < c->end && is_blank(*c->p))
                c->p++;
        if (c->p < c->end && *c->p == '\r' && (c->p + 1 == c->end || c->p[1] == '\n')) c->p++;
        if (c->p >= c->end || *c->p == '\n') break;
        if (!c->ws) c->p++; /* the delimiter (whitespace ones were skipped above) */
    }
    if (c->p < c->end) c->p++;
    c->line++;
    return true;
}

/* A field's text with "" unescaped, into buf (NUL-terminated); its length. */
static size_t field_text(const csv_field *f, char *buf, size_t size)
{
    size_t k = 0;
    for (size_t i = 0; i < f->len && k + 1 < size; i++) {
        buf[k++] = f->s[i];
        if (f->quoted && f->s[i] == '"') i++;
    }
    buf[k] = '\0';
    return k;
}

static bool field_number(const csv_field *f, double *v)
{
    char buf[128];
    if (f->len == 0 || f->len >= sizeof buf) return false;
    size_t k = field_text(f, buf, sizeof buf);
    if (memchr(f->s, '\0', f->len)) return false;
    char *e;
    *v = strtod(buf, &e);
    while (e < buf + k && is_blank(*e))
        e++;
    return e == buf + k && e != buf;
}

static lx_Value d_read_csv(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const char *path = path_arg(L, a, 0, "read_csv");
    lx_Value hv = lxL_kw(L, kw, "header", lxO_nothing());
    int header = -1; /* -1: detect */
    if (hv.tag == LX_TBOOL)
        header = hv.v.b;
    else if (!(hv.tag == LX_TNOTHING ||
               (hv.tag == LX_TSYMBOL && !strcmp(((lxO_string *)hv.v.o)->data, "auto"))))
        lxE_error(L, LXT_ArgumentError, "read_csv: header must be :auto, true or false");
    lx_Value dv = lxL_kw(L, kw, "delim", lxO_nothing());
    char delim = ',';
    if (dv.tag != LX_TNOTHING) {
        if (!lxO_is(dv, LXO_STRING) || lxO_as(lxO_string, dv)->len != 1 ||
            lxO_as(lxO_string, dv)->data[0] == '"' || lxO_as(lxO_string, dv)->data[0] == '\n')
            lxE_error(L, LXT_ArgumentError,
                      "read_csv: delim must be a one-character String such as \",\" or \"\\t\"");
        delim = lxO_as(lxO_string, dv)->data[0];
    }
    nn_dtype dt = NN_F64;
    lx_Value T = lxL_kw(L, kw, "T", lxO_nothing());
    if (T.tag != LX_TNOTHING && (!lxL_dtype_of(L, T, &dt) || dt == NN_BOOL))
        lxE_error(L, LXT_ArgumentError, "read_csv: T must be Float64, Float32, Int64 or Int32");

    lxW_buf text; /* the whole (uncompressed) file: freed by an unwind too */
    lxW_init(L, &text);
    reader r;
    rd_open(&r, L, path, "read_csv");
    char chunk[1 << 16];
    size_t k;
    while ((k = rd_some(&r, chunk, sizeof chunk)) > 0)
        lxW_add(&text, chunk, k);
    rd_close(&r);

    csv_scan c = {.L = L,
                  .path = path,
                  .p = text.s,
                  .end = text.s + text.len,
                  .line = 1,
                  .delim = delim,
                  .ws = delim == ' '};
    lxW_init(L, &c.fields);
    if (text.len >= 3 && !memcmp(text.s, "\xEF\xBB\xBF", 3)) c.p += 3; /* a UTF-8 byte-order mark */
    lxW_buf vals;
    lxW_init(L, &vals);
    lxO_list *names = NULL;
    int64_t ncols = -1, nrows = 0, row1 = 0, line;
    while (csv_row(&c, &line)) {
        const csv_field *fs = (const csv_field *)c.fields.s;
        int64_t nf = (int64_t)(c.fields.len / sizeof *fs);
        if (ncols < 0) {
            ncols = nf, row1 = line;
            bool numeric = true;
            double v;
            for (int64_t j = 0; j < nf && numeric; j++) /* an empty field is a missing number, not a name */
                numeric = fs[j].len == 0 || field_number(&fs[j], &v);
            if (header == 1 || (header < 0 && !numeric)) {
                names = lxO_list_new(L, (size_t)nf);
                for (int64_t j = 0; j < nf; j++) {
                    char buf[256];
                    size_t len = field_text(&fs[j], buf, sizeof buf);
                    lxO_list_push(L, names, lxO_str(L, buf, len));
                }
                continue;
            }
        } else if (nf != ncols) {
            csv_fail(&c, "ragged rows: line %lld has %lld field%s, line %lld has %lld", (long long)line,
                     (long long)nf, nf == 1 ? "" : "s", (long long)row1, (long long)ncols);
        }
        for (int64_t j = 0; j < nf; j++) {
            double v;
            if (!field_number(&fs[j], &v)) {
                char buf[64];
                field_text(&fs[j], buf, sizeof buf);
                if (fs[j].len == 0)
                    csv_fail(&c, "line %lld, column %lld: an empty field where a number is expected",
                             (long long)line, (long long)j + 1);
                csv_fail(&c, "line %lld, column %lld: \"%s%s\" is not a number", (long long)line,
                         (long long)j + 1, buf, fs[j].len >= sizeof buf ? "..." : "");
            }
            if (!nn_dtype_is_float(dt) &&
                (v != floor(v) || fabs(v) > (dt == NN_I32 ? 2147483647.0 : 9007199254740992.0)))
                csv_fail(&c, "line %lld, column %lld: %.17g is not an %s", (long long)line, (long long)j + 1,
                         v, nn_dtype_name(dt));
            lxW_add(&vals, (const char *)&v, sizeof v);
        }
        nrows++;
    }
    lxW_free(&c.fields);
    lxW_free(&text);
    if (ncols < 0) {
        lxW_free(&vals);
        lxE_error(L, LXT_IOError, "read_csv: %s: empty file (no rows)", path);
    }
    int64_t shape[2] = {nrows, ncols};
    nn_tensor *out;
    nn_status s = nn_empty(L->nn, &out, dt, 2, shape);
    if (s != NN_OK) lxW_free(&vals);
    lx_Value data = lxL_result(L, s, &out);
    const double *v = (const double *)vals.s;
    void *dst = nn_data(out);
    for (int64_t i = 0; i < nrows; i++) /* the rows as the file has them: transposed into column-major */
        for (int64_t j = 0; j < ncols; j++) {
            double x = v[i * ncols + j];
            int64_t at = i + j * nrows;
            switch (dt) {
            case NN_F32: ((float *)dst)[at] = (float)x; break;
            case NN_F64: ((double *)dst)[at] = x; break;
            case NN_I32: ((int32_t *)dst)[at] = (int32_t)x; break;
            default: ((int64_t *)dst)[at] = (int64_t)x; break;
            }
        }
    lxW_free(&vals);
    if (!names) return data;
    lxO_ntuple *nt = lxO_ntuple_new(L, 2);
    nt->names[0] = lxS_cstr(L, "data");
    nt->names[1] = lxS_cstr(L, "header");
    nt->vals[0] = data;
    nt->vals[1] = lxO_obj(names);
    return lxO_obj(nt);
}

/* ---- __datadir ----------------------------------------------------------------------------------------- */

/* __datadir(fname): the folder of the shipped data sets, for the loader fname (load_digits, ...),
 * which needs file access; LX_DATA_DIR moves it when the state may read the environment. */
static lx_Value d_datadir(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_need(L, LX_LIB_FILES, n ? lxL_string(L, a, 0, "__datadir")->data : "__datadir");
    const char *d = L->access & LX_LIB_ENV ? getenv("LX_DATA_DIR") : NULL;
    if (d && *d) return lxO_cstr(L, d);
#ifdef LX_INSTALLED_DATA_DIR
    struct stat st; /* the source tree's copy, or else the installed one */
    if (stat(LX_DATA_DIR, &st) != 0) return lxO_cstr(L, LX_INSTALLED_DATA_DIR);
#endif
    return lxO_cstr(L, LX_DATA_DIR);
}

/* ---- registration -------------------------------------------------------------------------------------- */

static const lxL_Reg data_io_lib[] = {
    {"read_csv", "(path::String; header = :auto, delim = \",\", T = Float64)", d_read_csv,
     "    read_csv(path; header = :auto, delim = \",\", T = Float64)\n\n"
     "Reads a delimited text file of numbers into a matrix with one row per line of the file and one "
     "column per field, as the file shows them (DelimitedFiles' `readdlm`). A `.gz` file is read "
     "through zlib. Blank lines are skipped; fields may be quoted (`\"...\"`, with `\"\"` for a quote).\n\n"
     "Models take features × observations: `permutedims(read_csv(path))` turns the rows into columns.\n\n"
     "## Arguments\n\n"
     "  - `path`: the file (plain or gzip-compressed).\n\n"
     "## Keyword Arguments\n\n"
     "  - `header`: `:auto` (the first row is a header when one of its fields is text, not a number), `true` "
     "or `false`.\n"
     "  - `delim`: the field separator, a one-character String; `\" \"` splits at runs of spaces and "
     "tabs.\n"
     "  - `T`: the element type: `Float64`, `Float32`, `Int64` or `Int32` (integers must be exact).\n\n"
     "## Returns\n\n"
     "The `(nrows, ncols)` tensor; with a header, the named tuple `(data = tensor, header = names)`, "
     "the names a List of Strings (so `data, header = read_csv(path)` works as with `readdlm`).\n\n"
     "A ragged row, a field that is not a number (or not an integer for an integer T), an empty file "
     "or a damaged `.gz` is an `IOError` naming the file, the line and the column.\n\n"
     "# Examples\n```\n"
     "lx> p = joinpath(tempdir(), \"lx_doc.csv\"); write(p, \"a,b\\n1,2.5\\n3,4\\n\");\n\n"
     "lx> data, header = read_csv(p; T = Float32);\n\n"
     "lx> data\n2×2 Tensor{Float32, 2}:\n 1.0  2.5\n 3.0  4.0\n\n"
     "lx> header\n2-element List:\n \"a\"\n \"b\"\n\n"
     "lx> try read_csv(p; header = false) catch e; e isa IOError && occursin(\"line 1, column 1\", e.msg) "
     "end\n"
     "true\n\n"
     "lx> rm(p)\n\n```"},
    {"read_idx", "(path::String; T = nothing)", d_read_idx,
     "    read_idx(path; T = nothing)\n\n"
     "Reads a file in the IDX format of the MNIST data set (plain or `.gz`). IDX lists its "
     "dimensions slowest first, as NumPy does; lx's tensors are column-major, so the tensor has the "
     "dimensions reversed and the bytes read as they are: MNIST's training images, (60000, 28, 28) in "
     "the file, become a (28, 28, 60000) tensor, width × height × batch, ready for a Dense or (after "
     "`reshape(x, 28, 28, 1, :)`) a Conv layer.\n\n"
     "## Arguments\n\n"
     "  - `path`: the file.\n\n"
     "## Keyword Arguments\n\n"
     "  - `T`: `nothing` keeps the values exactly (UInt8, Int8, Int16 and Int32 data as `Int32`, Float32 "
     "as `Float32`, Float64 as `Float64`); `Float32` or `Float64` converts while reading.\n\n"
     "## Returns\n\n"
     "The tensor. A file that is not IDX, an unknown type code, or data that does not match the "
     "dimensions is an `IOError` naming the file and the problem.\n\n"
     "# Examples\n```\n"
     "lx> p = joinpath(tempdir(), \"lx_doc.idx\");\n\n"
     "lx> write(p, \"\\0\\0\\x08\\x02\\0\\0\\0\\x02\\0\\0\\0\\x03\\x01\\x02\\x03\\x04\\x05\\x06\");\n\n"
     "lx> read_idx(p)  # 2 rows of 3 in the file: each row is a column\n"
     "3×2 Tensor{Int32, 2}:\n 1  4\n 2  5\n 3  6\n\n"
     "lx> read_idx(p; T = Float32) ./ 255 == Float32[1 4; 2 5; 3 6] ./ 255\ntrue\n\n"
     "lx> rm(p)\n\n```"},
    {"read_npy", "(path::String; T = nothing)", d_read_npy,
     "    read_npy(path; T = nothing)\n\n"
     "Reads a NumPy `.npy` file (format versions 1, 2 and 3; plain or `.gz`) into a tensor of the "
     "shape NumPy shows: a (2, 3) array reads as a 2×3 tensor with the same element at `[i, j]`, "
     "whether the file is in C or Fortran order (a C-order array is permuted once while reading).\n\n"
     "## Arguments\n\n"
     "  - `path`: the file.\n\n"
     "## Keyword Arguments\n\n"
     "  - `T`: `nothing` keeps the file's values exactly: `f4`/`f2` as `Float32`, `f8` as `Float64`, "
     "`i1 u1 i2 u2 i4` as `Int32`, `u4 i8` as `Int64`, `b1` as `Bool` (either byte order); `Float32` "
     "or `Float64` converts while reading.\n\n"
     "## Returns\n\n"
     "The tensor. Another dtype (complex, strings, objects, structured), a damaged header, or data "
     "that does not match the shape is an `IOError` naming the file and the problem.\n\n"
     "# Examples\n```\n"
     "lx> p = joinpath(tempdir(), \"lx_doc.npy\"); write_npy(p, Float32[1 2 3; 4 5 6])\n\n"
     "lx> read_npy(p)\n2×3 Tensor{Float32, 2}:\n 1.0  2.0  3.0\n 4.0  5.0  6.0\n\n"
     "lx> rm(p)\n\n```"},
    {"write_npy", "(path::String, x)", d_write_npy,
     "    write_npy(path, x)\n\n"
     "Writes a tensor to a NumPy `.npy` file (format 1.0), in Fortran order with the tensor's own "
     "shape (a vector's order NumPy calls C: the same bytes), so the bytes are written as they are and "
     "`numpy.load(path)` shows the same shape and the "
     "same values at the same indices. Float32, Float64, Int32, Int64 and Bool tensors become `<f4`, "
     "`<f8`, `<i4`, `<i8` and `|b1`.\n\n"
     "## Arguments\n\n"
     "  - `path`: the file to write (replaced if it exists).\n"
     "  - `x`: a tensor (a number or a List of numbers is converted first).\n\n"
     "## Returns\n\n"
     "`nothing`. A file that cannot be written is an `IOError`.\n\n"
     "# Examples\n```\n"
     "lx> p = joinpath(tempdir(), \"lx_doc.npy\"); write_npy(p, [1 2; 3 4])\n\n"
     "lx> read_npy(p) == [1 2; 3 4]\ntrue\n\n"
     "lx> rm(p)\n\n```"},
    {"__datadir", "(fname::String = \"__datadir\")", d_datadir, NULL},
    {NULL, NULL, NULL, NULL}};

void lxL_open_data_io(lx_State *L)
{
    lxL_register(L, data_io_lib);
}
