/* cpu/conv.c — convolution: the forward, its adjoint in the input (also
 * conv_transpose's forward) and its adjoint in the weight and bias, on two
 * paths.  Strided convolutions (and any on a CPU without AVX-512) go by
 * im2col and OpenBLAS's gemm: per image and group, the im2col matrix Col
 * (O × K, one column per kernel tap and input channel in w's order, K =
 * prod(k) Cin/groups) makes the conv one gemm, Y (O × Cout/groups) = Col · W,
 * because w (k..., Cin/groups, Cout) already lies in memory as the (K × Cout)
 * matrix W and y (O..., Cout, N) as one (O × Cout) matrix per image; the
 * adjoints are dCol = dY · Wᵀ scattered back (col2im) and dW = Σ Colᵀ · dY.
 * Stride-1 ones take the wide path further down, which needs neither.
 *
 * Work comes in units (image, group, block of output rows), the blocks small
 * enough for Col to stay in cache.  OpenBLAS runs small gemms on the calling
 * thread and bigger ones on its own threads, which must not be entered from
 * several of ours at once; so when each unit's gemm is small the units run in
 * parallel on the pool, each worker slot with its own Col buffer (and its own
 * dW for the weight gradient, summed at the end), and otherwise one after the
 * other with OpenBLAS threading each gemm.
 */
#include "kernels.h"

#include <cblas.h>
#include <string.h>

#define SMALL_COL 32768 /* Col elements per block when units run in parallel: fits L2 */
#define BIG_COL (1 << 22)
#define MIN_ROWS 64 /* output rows per block at least: shorter gemms waste the kernel */
/* OpenBLAS (0.3.x, GEMM_MULTITHREAD_THRESHOLD 4) keeps a gemm with m n k up
 * to 4 × 65536 on the calling thread. */
#define BLAS_SERIAL_MNK 262144.0
#define PART_BUDGET (1 << 24) /* elements of per-slot weight gradients, at most */

typedef struct {
    int64_t in[3], k[3], out[3], s[3], d[3], lo[3];
    int64_t groups, cin_g, cout_g, batch;
    int64_t isz, osz, kvol, kg; /* prod(in), prod(out), prod(k), kvol cin_g: Col's columns */
    bool flipped;
    bool pointwise;  /* 1×1 kernel, stride 1, no padding: Col is the image itself */
    bool parallel;   /* units on the pool, single-threaded gemms */
    int64_t rows;    /* output rows per block */
    int64_t nblocks; /* blocks per (image, group) */
    /* the wide path (see there): padded input sizes and their linear strides,
     * the kernel's reach, the outputs' run on that grid (L, in nvec vectors of
     * vl, la elements) and the inputs' (from i0: lx, nvecx, lxa), the planes of
     * the padded input (ip) and of dy spread for the gradient in x (m, ep) */
    bool wide;
    int64_t vl, inp[3], pst[3], offmax, L, nvec, la, i0, lx, nvecx, lxa, ip, m, ep;
} geom;

/* x (I..., Cin, N) and y (O..., Cout, N) in the conv's direction, w (k..., Cin/groups, Cout). */
static void geom_of(geom *g, const nn_tensor *x, const nn_tensor *w, const nn_tensor *y,
                    const nn_conv_params *p)
{
    int nd = p->nd;
    g->isz = g->osz = g->kvol = 1;
    g->pointwise = true;
    for (int d = 0; d < 3; d++) {
        bool on = d < nd;
        g->in[d] = on ? x->shape[d] : 1;
        g->k[d] = on ? w->shape[d] : 1;
        g->out[d] = on ? y->shape[d] : 1;
        g->s[d] = on ? p->stride[d] : 1;
        g->d[d] = on ? p->dilation[d] : 1;
        g->lo[d] = on ? p->pad[2 * d] : 0;
        g->isz *= g->in[d];
        g->osz *= g->out[d];
        g->kvol *= g->k[d];
        g->pointwise &= g->k[d] == 1 && g->s[d] == 1 && g->lo[d] == 0 && g->in[d] == g->out[d];
    }
    g->groups = p->groups;
    g->cin_g = w->shape[nd];
    g->cout_g = w->shape[nd + 1] / p->groups;
    g->batch = x->shape[nd + 1];
    g->kg = g->kvol * g->cin_g;
    g->flipped = p->flipped;

    int64_t kg1 = g->kg > 0 ? g->kg : 1, o1 = g->osz > 0 ? g->osz : 1;
    int64_t rows = SMALL_COL / kg1 < MIN_ROWS ? MIN_ROWS : SMALL_COL / kg1;
    g->rows = rows < o1 ? rows : o1;
    g->parallel =
        nn_get_num_threads() > 1 && (double)g->rows * (double)g->kg * (double)g->cout_g <= BLAS_SERIAL_MNK;
    if (!g->parallel) {
        rows = BIG_COL / kg1 < MIN_ROWS ? MIN_ROWS : BIG_COL / kg1;
        g->rows = rows < o1 ? rows : o1;
    }
    g->nblocks = (g->osz + g->rows - 1) / g->rows;
}

static inline int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}
static inline int64_t max64(int64_t a, int64_t b)
{
    return a > b ? a : b;
}
/* floor(a / b), ceil(a / b) for b > 0 and a of either sign */
static inline int64_t fdiv(int64_t a, int64_t b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}
static inline int64_t cdiv(int64_t a, int64_t b)
{
    return a >= 0 ? (a + b - 1) / b : -(-a / b);
}

/* Where tap kk along dim d reads, relative to o s: a true convolution runs
 * the kernel backwards. */
static inline int64_t tap_offset(const geom *g, int d, int64_t kk)
{
    return (g->flipped ? kk : g->k[d] - 1 - kk) * g->d[d] - g->lo[d];
}

/* Col's column j: its input channel, the offsets its tap reads at along
 * each dim, and the outputs [a, e) along dim 0 for which that is inside the
 * input (the rest read padding). */
typedef struct {
    int64_t c, f[3], a, e;
} ctap;

static inline void tap_of(const geom *g, int64_t j, ctap *t)
{
    int64_t kk = j % g->kvol;
    t->c = j / g->kvol;
    t->f[0] = tap_offset(g, 0, kk % g->k[0]);
    t->f[1] = tap_offset(g, 1, (kk / g->k[0]) % g->k[1]);
    t->f[2] = tap_offset(g, 2, kk / (g->k[0] * g->k[1]));
    t->a = max64(0, cdiv(-t->f[0], g->s[0]));
    t->e = max64(t->a, min64(g->out[0], fdiv(g->in[0] - 1 - t->f[0], g->s[0]) + 1));
}

/* A unit of work on slot `slot` (its buffers). */
typedef struct cjob cjob;
struct cjob {
    const geom *g;
    const void *x, *w, *b, *dy;
    void *y, *dw, *db;
    void *buf;        /* slots' scratch (Col blocks), then slots 1..'s dW and db */
    int64_t slotsize; /* scratch elements per slot */
    int64_t partsize;
    int64_t nunits, nslots;
    const void *wpack;   /* the wide path: weights packed for its kernels */
    const int64_t *qoff; /* ... and where each reduction step reads */
    int64_t chunk;       /* ... and images per weight-gradient unit */
    int64_t maxslots;    /* 0, or the most slots the scratch allows */
    void (*unit)(const cjob *j, int64_t slot, int64_t u);
};

/* Over the output rows [ob, oe) one run along dim 0 at a time, for tap t:
 * BODY sees `at` (the run's first row, from ob), `len`, the run's part
 * [a, e) that reads inside the input and `xrow`, where it starts in x. */
#define FOR_ROWS(g, ob, oe, t, BODY)                                                                         \
    do {                                                                                                     \
        int64_t o_ = (ob), o0 = (ob) % (g)->out[0], r_ = (ob) / (g)->out[0];                                 \
        int64_t o1_ = r_ % (g)->out[1], o2_ = r_ / (g)->out[1];                                              \
        while (o_ < (oe)) {                                                                                  \
            int64_t len = min64((g)->out[0] - o0, (oe)-o_), at = o_ - (ob);                                  \
            int64_t i1 = o1_ * (g)->s[1] + (t).f[1], i2 = o2_ * (g)->s[2] + (t).f[2];                        \
            int64_t a = max64((t).a, o0), e = min64((t).e, o0 + len), xrow = 0;                              \
            if (i1 < 0 || i1 >= (g)->in[1] || i2 < 0 || i2 >= (g)->in[2] || e <= a)                          \
                a = e = 0;                                                                                   \
            else {                                                                                           \
                xrow = (i2 * (g)->in[1] + i1) * (g)->in[0] + a * (g)->s[0] + (t).f[0];                       \
                a -= o0;                                                                                     \
                e -= o0;                                                                                     \
            }                                                                                                \
            BODY;                                                                                            \
            o_ += len;                                                                                       \
            o0 = 0;                                                                                          \
            if (++o1_ == (g)->out[1]) {                                                                      \
                o1_ = 0;                                                                                     \
                o2_++;                                                                                       \
            }                                                                                                \
        }                                                                                                    \
    } while (0)

#define DEFINE_CONV(SUF, T, GEMM)                                                                            \
    /* x[0] + ... + x[n - 1] in eight running sums, which vectorise */                                       \
    static T sum_##SUF(const T *x, int64_t n)                                                                \
    {                                                                                                        \
        double a[8] = {0};                                                                                   \
        int64_t i = 0;                                                                                       \
        for (; i + 8 <= n; i += 8)                                                                           \
            for (int k = 0; k < 8; k++)                                                                      \
                a[k] += x[i + k];                                                                            \
        for (; i < n; i++)                                                                                   \
            a[0] += x[i];                                                                                    \
        return (T)(((a[0] + a[4]) + (a[1] + a[5])) + ((a[2] + a[6]) + (a[3] + a[7])));                       \
    }                                                                                                        \
    static void gemm_##SUF(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const T *a, int64_t lda,       \
                           const T *b, int64_t ldb, T beta, T *c, int64_t ldc)                               \
    {                                                                                                        \
        GEMM(CblasColMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, (int)m, (int)n,  \
             (int)k, (T)1, a, (int)lda, b, (int)ldb, beta, c, (int)ldc);                                     \
    }                                                                                                        \
    /* Rows [ob, oe) of one image's group's Col: col (oe - ob, kg). */                                       \
    static void im2col_##SUF(const geom *g, const T *x, T *col, int64_t ob, int64_t oe)                      \
    {                                                                                                        \
        int64_t rows = oe - ob, s0 = g->s[0];                                                                \
        for (int64_t j = 0; j < g->kg; j++) {                                                                \
            ctap t;                                                                                          \
            tap_of(g, j, &t);                                                                                \
            const T *xc = x + t.c * g->isz;                                                                  \
            T *dst = col + j * rows;                                                                         \
            FOR_ROWS(g, ob, oe, t, {                                                                         \
                T *dr = dst + at;                                                                            \
                const T *xr = xc + xrow;                                                                     \
                for (int64_t q = 0; q < a; q++)                                                              \
                    dr[q] = 0;                                                                               \
                if (s0 == 1)                                                                                 \
                    for (int64_t q = a; q < e; q++)                                                          \
                        dr[q] = xr[q - a];                                                                   \
                else                                                                                         \
                    for (int64_t q = a; q < e; q++)                                                          \
                        dr[q] = xr[(q - a) * s0];                                                            \
                for (int64_t q = e; q < len; q++)                                                            \
                    dr[q] = 0;                                                                               \
            });                                                                                              \
        }                                                                                                    \
    }                                                                                                        \
    /* The adjoint: x += the rows [ob, oe) of col scattered back. */                                         \
    static void col2im_##SUF(const geom *g, const T *col, T *x, int64_t ob, int64_t oe)                      \
    {                                                                                                        \
        int64_t rows = oe - ob, s0 = g->s[0];                                                                \
        for (int64_t j = 0; j < g->kg; j++) {                                                                \
            ctap t;                                                                                          \
            tap_of(g, j, &t);                                                                                \
            T *xc = x + t.c * g->isz;                                                                        \
            const T *src = col + j * rows;                                                                   \
            FOR_ROWS(g, ob, oe, t, {                                                                         \
                const T *sr = src + at;                                                                      \
                T *xr = xc + xrow;                                                                           \
                if (s0 == 1)                                                                                 \
                    for (int64_t q = a; q < e; q++)                                                          \
                        xr[q - a] += sr[q];                                                                  \
                else                                                                                         \
                    for (int64_t q = a; q < e; q++)                                                          \
                        xr[(q - a) * s0] += sr[q];                                                           \
            });                                                                                              \
        }                                                                                                    \
    }                                                                                                        \
    /* Col's rows [ob, oe) for image n, group gi: the image itself when pointwise. */                        \
    static const T *col_of_##SUF(const cjob *j, int64_t slot, const T *x, int64_t ob, int64_t oe,            \
                                 int64_t *ld)                                                                \
    {                                                                                                        \
        const geom *g = j->g;                                                                                \
        if (g->pointwise) {                                                                                  \
            *ld = g->isz;                                                                                    \
            return x + ob;                                                                                   \
        }                                                                                                    \
        T *col = (T *)j->buf + slot * j->slotsize;                                                           \
        im2col_##SUF(g, x, col, ob, oe);                                                                     \
        *ld = oe - ob;                                                                                       \
        return col;                                                                                          \
    }                                                                                                        \
    /* unit (image, group, block): y's block = Col · W_g (.+ b) */                                          \
    static void fwd_##SUF(const cjob *j, int64_t slot, int64_t u)                                            \
    {                                                                                                        \
        const geom *g = j->g;                                                                                \
        int64_t blk = u % g->nblocks, ng = u / g->nblocks, gi = ng % g->groups;                              \
        int64_t ob = blk * g->rows, oe = min64(ob + g->rows, g->osz), rows = oe - ob;                        \
        const T *x = (const T *)j->x + ng * g->cin_g * g->isz;                                               \
        T *y = (T *)j->y + ng * g->cout_g * g->osz + ob;                                                     \
        const T *b = j->b ? (const T *)j->b + gi * g->cout_g : NULL;                                         \
        if (b || g->kg == 0)                                                                                 \
            for (int64_t co = 0; co < g->cout_g; co++)                                                       \
                for (int64_t r = 0; r < rows; r++)                                                           \
                    y[co * g->osz + r] = b ? b[co] : 0;                                                      \
        if (g->kg == 0 || g->cout_g == 0) return;                                                            \
        int64_t ld;                                                                                          \
        const T *col = col_of_##SUF(j, slot, x, ob, oe, &ld);                                                \
        gemm_##SUF(false, false, rows, g->cout_g, g->kg, col, ld, (const T *)j->w + gi * g->cout_g * g->kg,  \
                   g->kg, b ? 1 : 0, y, g->osz);                                                             \
    }                                                                                                        \
    /* unit (image, group): dx's channels of the group = col2im(dY · W_gᵀ) (.+ b) */                      \
    static void data_##SUF(const cjob *j, int64_t slot, int64_t u)                                           \
    {                                                                                                        \
        const geom *g = j->g;                                                                                \
        int64_t gi = u % g->groups;                                                                          \
        T *dx = (T *)j->y + u * g->cin_g * g->isz;                                                           \
        const T *dy = (const T *)j->dy + u * g->cout_g * g->osz;                                             \
        const T *w = (const T *)j->w + gi * g->cout_g * g->kg;                                               \
        const T *b = j->b ? (const T *)j->b + gi * g->cin_g : NULL;                                          \
        for (int64_t c = 0; c < g->cin_g; c++)                                                               \
            for (int64_t i = 0; i < g->isz; i++)                                                             \
                dx[c * g->isz + i] = b ? b[c] : 0;                                                           \
        if (g->kg == 0 || g->cout_g == 0) return;                                                            \
        for (int64_t ob = 0; ob < g->osz; ob += g->rows) {                                                   \
            int64_t oe = min64(ob + g->rows, g->osz), rows = oe - ob;                                        \
            if (g->pointwise) {                                                                              \
                gemm_##SUF(false, true, rows, g->kg, g->cout_g, dy + ob, g->osz, w, g->kg, 1, dx + ob,       \
                           g->isz);                                                                          \
                continue;                                                                                    \
            }                                                                                                \
            T *col = (T *)j->buf + slot * j->slotsize;                                                       \
            gemm_##SUF(false, true, rows, g->kg, g->cout_g, dy + ob, g->osz, w, g->kg, 0, col, rows);        \
            col2im_##SUF(g, col, dx, ob, oe);                                                                \
        }                                                                                                    \
    }                                                                                                        \
    /* unit (image, group, block): dW_g += Colᵀ · dY's block, db += its column sums; slot 0               \
     * accumulates into dw and db, the others into their own parts */                                        \
    static void filter_##SUF(const cjob *j, int64_t slot, int64_t u)                                         \
    {                                                                                                        \
        const geom *g = j->g;                                                                                \
        int64_t blk = u % g->nblocks, ng = u / g->nblocks, gi = ng % g->groups;                              \
        int64_t ob = blk * g->rows, oe = min64(ob + g->rows, g->osz), rows = oe - ob;                        \
        T *dw = j->dw, *db = j->db;                                                                          \
        if (slot > 0) {                                                                                      \
            T *part = (T *)j->buf + j->nslots * j->slotsize + (slot - 1) * j->partsize;                      \
            dw = dw ? part : NULL;                                                                           \
            db = db ? part + j->partsize - g->groups * g->cout_g : NULL;                                     \
        }                                                                                                    \
        const T *dy = (const T *)j->dy + ng * g->cout_g * g->osz + ob;                                       \
        if (dw && g->kg > 0 && g->cout_g > 0) {                                                              \
            int64_t ld;                                                                                      \
            const T *col = col_of_##SUF(j, slot, (const T *)j->x + ng * g->cin_g * g->isz, ob, oe, &ld);     \
            gemm_##SUF(true, false, g->kg, g->cout_g, rows, col, ld, dy, g->osz, 1,                          \
                       dw + gi * g->cout_g * g->kg, g->kg);                                                  \
        }                                                                                                    \
        if (db)                                                                                              \
            for (int64_t co = 0; co < g->cout_g; co++)                                                       \
                db[gi * g->cout_g + co] += sum_##SUF(dy + co * g->osz, rows);                                \
    }                                                                                                        \
    /* dst += the other slots' parts */                                                                      \
    static void fold_##SUF(const cjob *j, T *dst, int64_t off, int64_t n)                                    \
    {                                                                                                        \
        const T *parts = (const T *)j->buf + j->nslots * j->slotsize;                                        \
        for (int64_t s = 1; s < j->nslots; s++)                                                              \
            for (int64_t i = 0; i < n; i++)                                                                  \
                dst[i] += parts[(s - 1) * j->partsize + off + i];                                            \
    }

DEFINE_CONV(f32, float, cblas_sgemm)
DEFINE_CONV(f64, double, cblas_dgemm)

/* Slot s runs its share of the units, in order, on its own buffers. */
static void run_slots(void *arg, int64_t lo, int64_t hi)
{
    const cjob *j = arg;
    for (int64_t s = lo; s < hi; s++)
        for (int64_t u = s * j->nunits / j->nslots; u < (s + 1) * j->nunits / j->nslots; u++)
            j->unit(j, s, u);
}

/* Runs nunits units: on the pool when `parallel`, else in order (OpenBLAS
 * threading each gemm), polling for interrupts between units.  Each slot has
 * slotsize elements of scratch, and slots past the first partsize more for
 * their share of the weight gradient. */
static nn_status run(nn_ctx *ctx, cjob *j, nn_dtype t, int64_t nunits, bool parallel, int64_t slotsize,
                     int64_t partsize)
{
    const geom *g = j->g;
    if (nunits == 0) return NN_OK;
    int64_t nslots = 1;
    if (parallel && nn_get_num_threads() > 1) {
        nslots = min64(nunits, 4 * (int64_t)nn_get_num_threads());
        if (partsize > 0 && (nslots - 1) * partsize > PART_BUDGET) nslots = max64(1, PART_BUDGET / partsize);
        if (j->maxslots > 0) nslots = min64(nslots, j->maxslots);
    }
    j->nunits = nunits;
    j->nslots = nslots;
    j->slotsize = slotsize;
    j->partsize = partsize;
    int64_t len = nslots * j->slotsize + (nslots - 1) * partsize;
    nn_tensor *buf = NULL;
    if (len > 0) NN_TRY(nn_empty(ctx, &buf, t, 1, &len));
    j->buf = buf ? nn_data(buf) : NULL;
    if (partsize > 0 && nslots > 1)
        memset((char *)j->buf + (size_t)(nslots * j->slotsize) * nn_dtype_size(t), 0,
               (size_t)((nslots - 1) * partsize) * nn_dtype_size(t));
    nn_status s = NN_OK;
    if (nslots > 1)
        s = nn_parallel_for(ctx, nslots, 1, run_slots, j);
    else
        for (int64_t u = 0; u < nunits && !s; u++) {
            if (nn_check_interrupt(ctx))
                s = nn_error(ctx, NN_ERR_INTERRUPTED, "conv: interrupted");
            else
                j->unit(j, 0, u);
        }
    if (!s && partsize > 0 && nslots > 1) {
        int64_t nw = g->groups * g->cout_g * g->kg, nb = g->groups * g->cout_g;
        if (t == NN_F32) {
            if (j->dw) fold_f32(j, j->dw, 0, nw);
            if (j->db) fold_f32(j, j->db, partsize - nb, nb);
        } else {
            if (j->dw) fold_f64(j, j->dw, 0, nw);
            if (j->db) fold_f64(j, j->db, partsize - nb, nb);
        }
    }
    nn_release(buf);
    return s;
}

/* ---- the wide path ------------------------------------------------------------------------------------
 * With stride 1 a convolution is one correlation over the linear index of
 * the zero-padded input: output o reads input p(o) + off(t) through tap t,
 * p(o) = Σ o_d pst_d on the padded grid.  Computed at every p from p(first
 * output) to p(last) (the few between a row's end and the next row's start
 * are thrown away), it is a sum over (tap, channel) of long contiguous
 * vectors, which AVX-512 registers hold whole: no im2col, no gemm packing,
 * and the blocks of outputs and channels live in registers for the whole sum.
 * The gradient in x is the same correlation run the other way, over dy
 * spread on the same grid; the gradient in w the sum over p of the padded
 * input times dy there.  Taken when the CPU has AVX-512 (else im2col and
 * BLAS) and each unit's buffers are modest. */

#define WIDE_MAX (1 << 21)     /* elements of scratch per slot, at most */
#define WIDE_SCRATCH (1 << 23) /* ... and for all slots, unless each thread needs more */
#define WIDE_CHUNK 32768       /* elements of input and dy per weight-gradient unit, about */
#define WIDE_MIN_VECS 24       /* vectors per weight-gradient sum, at least */

#if defined(__x86_64__) && defined(__GNUC__)
#define HAVE_WIDE 1
#define WIDE_TARGET __attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma")))
/* Keeps a vector in a register: else GCC folds its loads into each use. */
#define KEEP(v) __asm__("" : "+v"(v))

typedef float vf __attribute__((vector_size(64)));
typedef float vfu __attribute__((vector_size(64), aligned(4), may_alias));
typedef double vd __attribute__((vector_size(64)));
typedef double vdu __attribute__((vector_size(64), aligned(8), may_alias));

/* Vectors [v0, v0 + NB) of out's CB channels, summed in registers. */
#define CORR_BLOCK(T, V, VU, CB, NB, v0)                                                                     \
    do {                                                                                                     \
        V acc[NB][CB];                                                                                       \
        _Pragma("GCC unroll 8") for (int b = 0; b < NB; b++)                                                 \
            _Pragma("GCC unroll 8") for (int c = 0; c < CB; c++) acc[b][c] = (V){0};                         \
        for (int64_t q = 0; q < nq; q++) {                                                                   \
            const T *src = in + qoff[q] + (v0)*VL, *w = wp + q * CB;                                         \
            V xv[NB];                                                                                        \
            _Pragma("GCC unroll 8") for (int b = 0; b < NB; b++) xv[b] = *(const VU *)(src + b * VL);        \
            _Pragma("GCC unroll 8") for (int c = 0; c < CB; c++)                                             \
            {                                                                                                \
                V wv = (V){0} + w[c];                                                                        \
                _Pragma("GCC unroll 8") for (int b = 0; b < NB; b++) acc[b][c] += xv[b] * wv;                \
            }                                                                                                \
        }                                                                                                    \
        _Pragma("GCC unroll 8") for (int b = 0; b < NB; b++)                                                 \
                _Pragma("GCC unroll 8") for (int c = 0; c < CB; c++) *                                       \
            (VU *)(out + c * ldo + ((v0) + b) * VL) = acc[b][c];                                             \
    } while (0)
/* out[c][v] (c < CB, v < nvec vectors) = Σ_q wp[q][c] in[qoff[q] + v]: blocks
 * of PB vectors by CB channels, then the vectors left one at a time. */
#define DEFINE_CORR(SUF, T, V, VU, CB, PB)                                                                   \
    WIDE_TARGET static void corr_##SUF##CB(const T *in, const int64_t *qoff, const T *wp, int64_t nq,        \
                                           T *out, int64_t ldo, int64_t nvec)                                \
    {                                                                                                        \
        enum { VL = 64 / sizeof(T) };                                                                        \
        int64_t v0 = 0;                                                                                      \
        for (; v0 + PB <= nvec; v0 += PB)                                                                    \
            CORR_BLOCK(T, V, VU, CB, PB, v0);                                                                \
        for (; v0 < nvec; v0++)                                                                              \
            CORR_BLOCK(T, V, VU, CB, 1, v0);                                                                 \
    }
/* dw[q + c lddw] += Σ_images Σ_v in[qoff[q] + v] g[c][v] (c < CB): blocks of QB
 * steps by CB channels in registers over the images and the grid. */
#define DEFINE_WGRAD(SUF, T, V, VU, CB, QB)                                                                  \
    WIDE_TARGET static void wgrad_##SUF##CB(const T *in, int64_t instep, const int64_t *qoff, int64_t nq,    \
                                            const T *g, int64_t gstep, int64_t ldg, int64_t nimg,            \
                                            int64_t nvec, T *dw, int64_t lddw)                               \
    {                                                                                                        \
        enum { VL = 64 / sizeof(T) };                                                                        \
        for (int64_t q0 = 0; q0 < nq; q0 += QB) {                                                            \
            V acc[QB][CB];                                                                                   \
            const T *src[QB];                                                                                \
            _Pragma("GCC unroll 8") for (int b = 0; b < QB; b++)                                             \
            {                                                                                                \
                src[b] = in + qoff[q0 + b < nq ? q0 + b : nq - 1];                                           \
                _Pragma("GCC unroll 8") for (int c = 0; c < CB; c++) acc[b][c] = (V){0};                     \
            }                                                                                                \
            for (int64_t im = 0; im < nimg; im++)                                                            \
                for (int64_t v = 0; v < nvec; v++) {                                                         \
                    V xv[QB], gv[CB];                                                                        \
                    _Pragma("GCC unroll 8") for (int b = 0; b < QB; b++) xv[b] =                             \
                        *(const VU *)(src[b] + im * instep + v * VL);                                        \
                    _Pragma("GCC unroll 8") for (int c = 0; c < CB; c++)                                     \
                    {                                                                                        \
                        gv[c] = *(const VU *)(g + im * gstep + c * ldg + v * VL);                            \
                        KEEP(gv[c]);                                                                         \
                    }                                                                                        \
                    _Pragma("GCC unroll 8") for (int b = 0; b < QB; b++)                                     \
                        _Pragma("GCC unroll 8") for (int c = 0; c < CB; c++) acc[b][c] += xv[b] * gv[c];     \
                }                                                                                            \
            for (int b = 0; b < QB && q0 + b < nq; b++)                                                      \
                for (int c = 0; c < CB; c++) {                                                               \
                    T sum = 0;                                                                               \
                    for (int l = 0; l < VL; l++)                                                             \
                        sum += acc[b][c][l];                                                                 \
                    dw[q0 + b + c * lddw] += sum;                                                            \
                }                                                                                            \
        }                                                                                                    \
    }

/* Channel blocks of up to 8; the sizes of the blocks in registers per width. */
#define DEFINE_WIDE_KERNELS(SUF, T, V, VU)                                                                   \
    DEFINE_CORR(SUF, T, V, VU, 1, 8)                                                                         \
    DEFINE_CORR(SUF, T, V, VU, 2, 8)                                                                         \
    DEFINE_CORR(SUF, T, V, VU, 3, 7)                                                                         \
    DEFINE_CORR(SUF, T, V, VU, 4, 6)                                                                         \
    DEFINE_CORR(SUF, T, V, VU, 5, 4)                                                                         \
    DEFINE_CORR(SUF, T, V, VU, 6, 4)                                                                         \
    DEFINE_CORR(SUF, T, V, VU, 7, 3)                                                                         \
    DEFINE_CORR(SUF, T, V, VU, 8, 3)                                                                         \
    DEFINE_WGRAD(SUF, T, V, VU, 1, 8)                                                                        \
    DEFINE_WGRAD(SUF, T, V, VU, 2, 8)                                                                        \
    DEFINE_WGRAD(SUF, T, V, VU, 3, 6)                                                                        \
    DEFINE_WGRAD(SUF, T, V, VU, 4, 5)                                                                        \
    DEFINE_WGRAD(SUF, T, V, VU, 5, 4)                                                                        \
    DEFINE_WGRAD(SUF, T, V, VU, 6, 4)                                                                        \
    DEFINE_WGRAD(SUF, T, V, VU, 7, 3)                                                                        \
    DEFINE_WGRAD(SUF, T, V, VU, 8, 3)                                                                        \
    typedef void (*corr_fn_##SUF)(const T *, const int64_t *, const T *, int64_t, T *, int64_t, int64_t);    \
    typedef void (*wgrad_fn_##SUF)(const T *, int64_t, const int64_t *, int64_t, const T *, int64_t,         \
                                   int64_t, int64_t, int64_t, T *, int64_t);                                 \
    static const corr_fn_##SUF corr_##SUF[9] = {NULL,          corr_##SUF##1, corr_##SUF##2,                 \
                                                corr_##SUF##3, corr_##SUF##4, corr_##SUF##5,                 \
                                                corr_##SUF##6, corr_##SUF##7, corr_##SUF##8};                \
    static const wgrad_fn_##SUF wgrad_##SUF[9] = {NULL,           wgrad_##SUF##1, wgrad_##SUF##2,            \
                                                  wgrad_##SUF##3, wgrad_##SUF##4, wgrad_##SUF##5,            \
                                                  wgrad_##SUF##6, wgrad_##SUF##7, wgrad_##SUF##8};

DEFINE_WIDE_KERNELS(f32, float, vf, vfu)
DEFINE_WIDE_KERNELS(f64, double, vd, vdu)

static bool wide_cpu(void)
{
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
           __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq");
}

static inline int64_t round_up(int64_t a, int64_t b)
{
    return (a + b - 1) / b * b;
}

/* The wide path's grid for g (stride 1 everywhere) and elements of es bytes,
 * or false when the path does not apply. */
static bool wide_setup(geom *g, size_t es)
{
    g->wide = false;
    if (!wide_cpu() || g->pointwise || g->kg == 0 || g->cout_g == 0 || g->osz == 0 || g->isz == 0)
        return false;
    int64_t P = 1;
    g->vl = 64 / (int64_t)es;
    g->offmax = 0;
    g->L = g->lx = 1;
    g->i0 = 0;
    for (int d = 0; d < 3; d++) {
        if (g->s[d] != 1) return false;
        int64_t reach = (g->k[d] - 1) * g->d[d];
        g->inp[d] = max64(g->in[d] + g->lo[d], g->out[d] + reach);
        g->pst[d] = P;
        g->offmax += reach * P;
        g->L += (g->out[d] - 1) * P;
        g->lx += (g->in[d] - 1) * P;
        g->i0 += g->lo[d] * P;
        if ((double)P * (double)g->inp[d] > WIDE_MAX) return false;
        P *= g->inp[d];
    }
    g->nvec = (g->L + g->vl - 1) / g->vl;
    g->la = g->nvec * g->vl;
    g->nvecx = (g->lx + g->vl - 1) / g->vl;
    g->lxa = g->nvecx * g->vl;
    g->ip = round_up(max64(P, g->offmax + g->la), g->vl);
    g->m = max64(0, g->offmax - g->i0);
    g->ep = round_up(max64(g->m + g->la, g->m + g->i0 + g->lxa), g->vl);
    double fwd = (double)g->cin_g * (double)g->ip + (double)g->cout_g * (double)g->la;
    double data = (double)g->cout_g * (double)g->ep + (double)g->cin_g * (double)g->lxa;
    if (fwd > WIDE_MAX || data > WIDE_MAX) return false;
    g->wide = true;
    return true;
}

/* Where reduction step q = tap t + channel c kvol reads, from the start of
 * c's plane: the tap's offset on the padded grid. */
static int64_t tap_reach(const geom *g, int64_t t)
{
    int64_t kk[3] = {t % g->k[0], (t / g->k[0]) % g->k[1], t / (g->k[0] * g->k[1])}, off = 0;
    for (int d = 0; d < 3; d++)
        off += (g->flipped ? kk[d] : g->k[d] - 1 - kk[d]) * g->d[d] * g->pst[d];
    return off;
}

#define DEFINE_WIDE_UNITS(SUF, T)                                                                            \
    /* x's channels of a group onto the zeroed padded grid, planes ip apart */                               \
    static void pad_##SUF(const geom *g, const T *x, T *xp)                                                  \
    {                                                                                                        \
        memset(xp, 0, (size_t)(g->cin_g * g->ip) * sizeof(T));                                               \
        for (int64_t c = 0; c < g->cin_g; c++)                                                               \
            for (int64_t i2 = 0; i2 < g->in[2]; i2++)                                                        \
                for (int64_t i1 = 0; i1 < g->in[1]; i1++)                                                    \
                    memcpy(xp + c * g->ip + (i2 + g->lo[2]) * g->pst[2] + (i1 + g->lo[1]) * g->pst[1] +      \
                               g->lo[0],                                                                     \
                           x + c * g->isz + (i2 * g->in[1] + i1) * g->in[0], (size_t)g->in[0] * sizeof(T));  \
    }                                                                                                        \
    /* dy's channels of a group onto the zeroed grid at p(o) + off, planes ld apart */                       \
    static void spread_##SUF(const geom *g, const T *dy, T *dst, int64_t ld, int64_t off)                    \
    {                                                                                                        \
        memset(dst, 0, (size_t)(g->cout_g * ld) * sizeof(T));                                                \
        for (int64_t c = 0; c < g->cout_g; c++)                                                              \
            for (int64_t o2 = 0; o2 < g->out[2]; o2++)                                                       \
                for (int64_t o1 = 0; o1 < g->out[1]; o1++)                                                   \
                    memcpy(dst + c * ld + off + o2 * g->pst[2] + o1 * g->pst[1],                             \
                           dy + c * g->osz + (o2 * g->out[1] + o1) * g->out[0],                              \
                           (size_t)g->out[0] * sizeof(T));                                                   \
    }                                                                                                        \
    /* dst's n channels (sizes sz) = the grid's planes (ld apart, size[] along each dim) .+ b */             \
    static void gather_##SUF(const geom *g, const T *src, int64_t ld, T *dst, int64_t n,                     \
                             const int64_t *size, const T *b)                                                \
    {                                                                                                        \
        int64_t sz = size[0] * size[1] * size[2];                                                            \
        for (int64_t c = 0; c < n; c++) {                                                                    \
            T bias = b ? b[c] : 0;                                                                           \
            for (int64_t i2 = 0; i2 < size[2]; i2++)                                                         \
                for (int64_t i1 = 0; i1 < size[1]; i1++) {                                                   \
                    const T *s = src + c * ld + i2 * g->pst[2] + i1 * g->pst[1];                             \
                    T *d = dst + c * sz + (i2 * size[1] + i1) * size[0];                                     \
                    for (int64_t i0 = 0; i0 < size[0]; i0++)                                                 \
                        d[i0] = s[i0] + bias;                                                                \
                }                                                                                            \
        }                                                                                                    \
    }                                                                                                        \
    /* unit (image, group): y = Σ over (tap, channel) of the padded image's shifted planes */               \
    static void wfwd_##SUF(const cjob *j, int64_t slot, int64_t u)                                           \
    {                                                                                                        \
        const geom *g = j->g;                                                                                \
        int64_t gi = u % g->groups;                                                                          \
        T *xp = (T *)j->buf + slot * j->slotsize, *yt = xp + g->cin_g * g->ip;                               \
        pad_##SUF(g, (const T *)j->x + u * g->cin_g * g->isz, xp);                                           \
        const T *wp = (const T *)j->wpack + gi * g->kg * g->cout_g;                                          \
        for (int64_t c0 = 0, cb; c0 < g->cout_g; c0 += cb) {                                                 \
            cb = min64(8, g->cout_g - c0);                                                                   \
            corr_##SUF[cb](xp, j->qoff, wp + c0 * g->kg, g->kg, yt + c0 * g->la, g->la, g->nvec);            \
        }                                                                                                    \
        gather_##SUF(g, yt, g->la, (T *)j->y + u * g->cout_g * g->osz, g->cout_g, g->out,                    \
                     j->b ? (const T *)j->b + gi * g->cout_g : NULL);                                        \
    }                                                                                                        \
    /* unit (image, group): dx = Σ over (tap, output channel) of dy spread on the grid, shifted back */     \
    static void wdata_##SUF(const cjob *j, int64_t slot, int64_t u)                                          \
    {                                                                                                        \
        const geom *g = j->g;                                                                                \
        int64_t gi = u % g->groups, nq = g->kvol * g->cout_g;                                                \
        T *de = (T *)j->buf + slot * j->slotsize, *xt = de + g->cout_g * g->ep;                              \
        spread_##SUF(g, (const T *)j->dy + u * g->cout_g * g->osz, de, g->ep, g->m);                         \
        const T *wp = (const T *)j->wpack + gi * nq * g->cin_g;                                              \
        for (int64_t c0 = 0, cb; c0 < g->cin_g; c0 += cb) {                                                  \
            cb = min64(8, g->cin_g - c0);                                                                    \
            corr_##SUF[cb](de, j->qoff, wp + c0 * nq, nq, xt + c0 * g->lxa, g->lxa, g->nvecx);               \
        }                                                                                                    \
        gather_##SUF(g, xt, g->lxa, (T *)j->y + u * g->cin_g * g->isz, g->cin_g, g->in,                      \
                     j->b ? (const T *)j->b + gi * g->cin_g : NULL);                                         \
    }                                                                                                        \
    /* unit (chunk of images, group): dW_g += Σ_p padded x at p + off · dy at p; db += dy's sums */        \
    static void wfilter_##SUF(const cjob *j, int64_t slot, int64_t u)                                        \
    {                                                                                                        \
        const geom *g = j->g;                                                                                \
        int64_t gi = u % g->groups, n0 = u / g->groups * j->chunk, nimg = min64(j->chunk, g->batch - n0);    \
        T *dw = j->dw, *db = j->db;                                                                          \
        if (slot > 0) {                                                                                      \
            T *part = (T *)j->buf + j->nslots * j->slotsize + (slot - 1) * j->partsize;                      \
            dw = dw ? part : NULL;                                                                           \
            db = db ? part + j->partsize - g->groups * g->cout_g : NULL;                                     \
        }                                                                                                    \
        T *xp = (T *)j->buf + slot * j->slotsize, *gw = xp + j->chunk * g->cin_g * g->ip;                    \
        for (int64_t m = 0; m < nimg; m++) {                                                                 \
            int64_t ng = (n0 + m) * g->groups + gi;                                                          \
            const T *dy = (const T *)j->dy + ng * g->cout_g * g->osz;                                        \
            if (db)                                                                                          \
                for (int64_t c = 0; c < g->cout_g; c++)                                                      \
                    db[gi * g->cout_g + c] += sum_##SUF(dy + c * g->osz, g->osz);                            \
            if (!dw) continue;                                                                               \
            pad_##SUF(g, (const T *)j->x + ng * g->cin_g * g->isz, xp + m * g->cin_g * g->ip);               \
            spread_##SUF(g, dy, gw + m * g->cout_g * g->la, g->la, 0);                                       \
        }                                                                                                    \
        if (!dw) return;                                                                                     \
        for (int64_t c0 = 0, cb; c0 < g->cout_g; c0 += cb) {                                                 \
            cb = min64(8, g->cout_g - c0);                                                                   \
            wgrad_##SUF[cb](xp, g->cin_g * g->ip, j->qoff, g->kg, gw + c0 * g->la, g->cout_g * g->la, g->la, \
                            nimg, g->nvec, dw + (gi * g->cout_g + c0) * g->kg, g->kg);                       \
        }                                                                                                    \
    }                                                                                                        \
    /* The weights in the kernels' blocks: for the forward, per group and block of CB output                 \
     * channels, [q][c] = w[q + c kg]; for the gradient in x, per group and block of input                   \
     * channels, [t + o kvol][c] = w[t + c kvol + o kg] */                                                   \
    static void pack_##SUF(const geom *g, const T *w, T *wp, bool data)                                      \
    {                                                                                                        \
        int64_t nc = data ? g->cin_g : g->cout_g, nq = data ? g->kvol * g->cout_g : g->kg;                   \
        for (int64_t gi = 0; gi < g->groups; gi++)                                                           \
            for (int64_t c0 = 0, cb; c0 < nc; c0 += cb) {                                                    \
                cb = min64(8, nc - c0);                                                                      \
                T *dst = wp + gi * nq * nc + c0 * nq;                                                        \
                for (int64_t q = 0; q < nq; q++)                                                             \
                    for (int64_t c = 0; c < cb; c++) {                                                       \
                        int64_t t = q % g->kvol, o = gi * g->cout_g + (data ? q / g->kvol : c0 + c);         \
                        int64_t ci = data ? c0 + c : q / g->kvol;                                            \
                        dst[q * cb + c] = w[t + ci * g->kvol + o * g->kg];                                   \
                    }                                                                                        \
            }                                                                                                \
    }
DEFINE_WIDE_UNITS(f32, float)
DEFINE_WIDE_UNITS(f64, double)

/* The wide path's shared tables: packed weights (w, or NULL for the weight
 * gradient) and the reduction steps' offsets, into one buffer each. */
static nn_status wide_tables(nn_ctx *ctx, cjob *j, const nn_tensor *w, nn_dtype t, bool data, nn_tensor **wpk,
                             nn_tensor **qo)
{
    const geom *g = j->g;
    int64_t nq = data ? g->kvol * g->cout_g : g->kg, nw = g->groups * g->kg * g->cout_g;
    *wpk = NULL;
    NN_TRY(nn_empty(ctx, qo, NN_I64, 1, &nq));
    int64_t *qoff = nn_data(*qo);
    for (int64_t q = 0; q < nq; q++) {
        int64_t tap = q % g->kvol, c = q / g->kvol;
        qoff[q] = data ? c * g->ep + g->m + g->i0 - tap_reach(g, tap) : c * g->ip + tap_reach(g, tap);
    }
    j->qoff = qoff;
    if (!w) return NN_OK;
    nn_status s = nn_empty(ctx, wpk, t, 1, &nw);
    if (s) {
        nn_release_out(qo);
        return s;
    }
    if (t == NN_F32)
        pack_f32(g, nn_data(w), nn_data(*wpk), data);
    else
        pack_f64(g, nn_data(w), nn_data(*wpk), data);
    j->wpack = nn_data(*wpk);
    return NN_OK;
}

static nn_status run_wide(nn_ctx *ctx, cjob *j, const nn_tensor *w, nn_dtype t, int kind, int64_t partsize)
{
    const geom *g = j->g;
    nn_tensor *wpk, *qo;
    NN_TRY(wide_tables(ctx, j, w, t, kind == 1, &wpk, &qo));
    int64_t nunits = g->batch * g->groups, slotsize;
    if (kind == 0)
        slotsize = g->cin_g * g->ip + g->cout_g * g->la;
    else if (kind == 1)
        slotsize = g->cout_g * g->ep + g->cin_g * g->lxa;
    else {
        slotsize = j->chunk * (g->cin_g * g->ip + g->cout_g * g->la);
        nunits = (g->batch + j->chunk - 1) / j->chunk * g->groups;
    }
    j->maxslots = max64(nn_get_num_threads(), WIDE_SCRATCH / slotsize);
    static void (*const units[2][3])(const cjob *, int64_t, int64_t) = {{wfwd_f32, wdata_f32, wfilter_f32},
                                                                        {wfwd_f64, wdata_f64, wfilter_f64}};
    j->unit = units[t != NN_F32][kind];
    nn_status s = run(ctx, j, t, nunits, true, slotsize, partsize);
    nn_release(wpk);
    nn_release(qo);
    return s;
}

/* Images per weight-gradient unit: enough to stay in cache and to leave a
 * few units per thread; 0 when the sums over them would be too short for
 * the path to pay (small images, many channels: im2col and BLAS then). */
static int64_t wide_chunk(const geom *g)
{
    int64_t per = g->cin_g * g->ip + g->cout_g * g->la, nt = nn_get_num_threads();
    int64_t chunk = max64(1, min64(WIDE_CHUNK / per, (g->batch + 4 * nt - 1) / (4 * nt)));
    return chunk * g->nvec >= WIDE_MIN_VECS ? chunk : 0;
}
#endif /* HAVE_WIDE */

nn_status nn_cpu_conv(nn_ctx *ctx, nn_tensor *y, const nn_tensor *x, const nn_tensor *w, const nn_tensor *b,
                      const nn_conv_params *p)
{
    geom g;
    geom_of(&g, x, w, y, p);
    cjob j = {.g = &g, .x = nn_data(x), .w = nn_data(w), .b = b ? nn_data(b) : NULL, .y = nn_data(y)};
#if HAVE_WIDE
    if (wide_setup(&g, nn_dtype_size(y->dtype))) return run_wide(ctx, &j, w, y->dtype, 0, 0);
#endif
    j.unit = y->dtype == NN_F32 ? fwd_f32 : fwd_f64;
    return run(ctx, &j, y->dtype, g.batch * g.groups * g.nblocks, g.parallel, g.pointwise ? 0 : g.rows * g.kg,
               0);
}

nn_status nn_cpu_conv_data(nn_ctx *ctx, nn_tensor *dx, const nn_tensor *dy, const nn_tensor *w,
                           const nn_tensor *b, const nn_conv_params *p)
{
    geom g;
    geom_of(&g, dx, w, dy, p);
    cjob j = {.g = &g, .w = nn_data(w), .b = b ? nn_data(b) : NULL, .dy = nn_data(dy), .y = nn_data(dx)};
#if HAVE_WIDE
    if (wide_setup(&g, nn_dtype_size(dx->dtype))) return run_wide(ctx, &j, w, dx->dtype, 1, 0);
#endif
    j.unit = dx->dtype == NN_F32 ? data_f32 : data_f64;
    return run(ctx, &j, dx->dtype, g.batch * g.groups, g.parallel, g.pointwise ? 0 : g.rows * g.kg, 0);
}

nn_status nn_cpu_conv_filter(nn_ctx *ctx, nn_tensor *dw, nn_tensor *db, const nn_tensor *x,
                             const nn_tensor *dy, const nn_conv_params *p)
{
    /* the geometry's weight: dw when there is one, else a stand-in of its shape */
    int nd = p->nd;
    nn_tensor wshape = {.ndim = nd + 2};
    for (int d = 0; d < nd; d++)
        wshape.shape[d] = dw ? dw->shape[d] : 1;
    wshape.shape[nd] = x->shape[nd] / p->groups;
    wshape.shape[nd + 1] = dy->shape[nd];
    geom g;
    geom_of(&g, x, &wshape, dy, p);
    if (!dw) g.kg = 0; /* no Col needed: only the sums */
    size_t es = nn_dtype_size(dy->dtype);
    if (dw) memset(nn_data(dw), 0, (size_t)dw->numel * es);
    if (db) memset(nn_data(db), 0, (size_t)db->numel * es);
    cjob j = {.g = &g,
              .x = nn_data(x),
              .dy = nn_data(dy),
              .dw = dw ? nn_data(dw) : NULL,
              .db = db ? nn_data(db) : NULL};
    int64_t partsize = (dw ? dw->numel : 0) + (db ? db->numel : 0);
#if HAVE_WIDE
    if (dw && wide_setup(&g, es) && (j.chunk = wide_chunk(&g)) > 0)
        return run_wide(ctx, &j, NULL, dy->dtype, 2, partsize);
#endif
    j.unit = dy->dtype == NN_F32 ? filter_f32 : filter_f64;
    return run(ctx, &j, dy->dtype, g.batch * g.groups * g.nblocks, g.parallel,
               g.pointwise ? 0 : g.rows * g.kg, partsize);
}
