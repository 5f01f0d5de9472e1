/* safetensors.c — model files: `save`/`load` of trees of tensors and values in the safetensors
 * format (an 8-byte little-endian header length, a JSON header giving each tensor's dtype, shape and
 * byte range, then the data; lx's column-major bytes written as they are, the shape reversed), the
 * checks a file passes before anything in it is trusted, and the atomic writer (a temporary file
 * beside the target, fsync, rename) that write_npy shares.
 *
 * Both directions run their work under a protected call that owns every C resource (the file, the
 * cJSON trees, scratch arrays): whatever fails, those are released before the error goes on.
 * Loading builds values directly (structs without their constructors) and never runs lx code.
 */
#include "tensor.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define WRITE_FAULT "__write_fault_bytes" /* a hidden global: the next atomic write fails after n bytes */
#define MAX_HEADER 100000000              /* bytes of JSON header, the limit Python's safetensors sets */
#define MAX_DEPTH 300                     /* nesting of a saved tree (its JSON nests twice as deep) */
#define EXACT_INT 9007199254740992.0      /* 2^53: JSON numbers beyond it are not exact in a double */

static bool host_little(void)
{
    const uint16_t one = 1;
    return *(const uint8_t *)&one == 1;
}

/* ---- the atomic writer ------------------------------------------------------------------------------- */

static void w_fail(lxL_wfile *w, int err, const char *what) __attribute__((noreturn));
static void w_fail(lxL_wfile *w, int err, const char *what)
{
    lxL_wabort(w);
    lxE_error(w->L, LXT_IOError, "%s: %s: %s: %s", w->fname, w->path, what, strerror(err));
}

void lxL_wopen(lxL_wfile *w, lx_State *L, const char *path, const char *fname)
{
    memset(w, 0, sizeof *w);
    w->L = L, w->path = path, w->fname = fname, w->fd = -1, w->fault = -1;
    lx_Value f = lxG_get(L, WRITE_FAULT);
    if (f.tag == LX_TINT) {
        w->fault = f.v.i;
        lxG_set(L, WRITE_FAULT, lxO_nothing()); /* the fault is for one write only */
    }
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        lxE_error(L, LXT_IOError, "%s: %s: could not open file for writing: %s", fname, path,
                  strerror(EISDIR));
    if (strlen(path) + 24 > sizeof w->tmp)
        lxE_error(L, LXT_IOError, "%s: %s: could not open file for writing: %s", fname, path,
                  strerror(ENAMETOOLONG));
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    uint32_t r = (uint32_t)ts.tv_nsec ^ (uint32_t)getpid() * 2654435761u ^ (uint32_t)(uintptr_t)w;
    for (int tries = 0; tries < 100 && w->fd < 0; tries++) {
        /* beside the target, so the final rename stays within one file system */
        snprintf(w->tmp, sizeof w->tmp, "%s.%08x.tmp", path, r + (uint32_t)tries * 7919u);
        w->fd = open(w->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (w->fd < 0 && errno != EEXIST) break;
    }
    if (w->fd < 0) {
        int err = errno;
        w->tmp[0] = '\0';
        lxE_error(L, LXT_IOError, "%s: %s: could not open file for writing: %s", fname, path, strerror(err));
    }
}

void lxL_wwrite(lxL_wfile *w, const void *p, size_t n)
{
    const char *s = p;
    while (n > 0) {
        size_t k = n > (1u << 30) ? (1u << 30) : n;
        if (w->fault >= 0 && w->written + (int64_t)k > w->fault) {
            k = (size_t)(w->fault - w->written);
            if (k == 0) {
                char what[96];
                snprintf(what, sizeof what, "write failed after %lld bytes (a fault set by __write_fault)",
                         (long long)w->written);
                w_fail(w, EIO, what);
            }
        }
        ssize_t got = write(w->fd, s, k);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) {
            char what[64];
            snprintf(what, sizeof what, "write failed after %lld bytes", (long long)w->written);
            w_fail(w, got < 0 ? errno : ENOSPC, what);
        }
        s += got, n -= (size_t)got, w->written += got;
    }
}

/* The directory's entry is made durable too, so the new file survives a power cut. */
static void sync_dir(const char *path)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    int fd = open(dir, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd); /* best effort: some file systems refuse it on a directory */
        close(fd);
    }
}

void lxL_wcommit(lxL_wfile *w)
{
    if (fsync(w->fd) != 0) w_fail(w, errno, "could not sync the file");
    int fd = w->fd;
    w->fd = -1;
    if (close(fd) != 0) w_fail(w, errno, "could not close the file");
    if (rename(w->tmp, w->path) != 0) w_fail(w, errno, "could not replace the file");
    w->tmp[0] = '\0';
    sync_dir(w->path);
}

void lxL_wabort(lxL_wfile *w)
{
    int err = errno;
    if (w->fd >= 0) close(w->fd);
    w->fd = -1;
    if (w->tmp[0]) unlink(w->tmp);
    w->tmp[0] = '\0';
    errno = err;
}

/* __write_fault(nbytes): the next atomic write (save, write_npy) fails after nbytes bytes; nothing: none. */
static lx_Value s_write_fault(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (a[0].tag == LX_TNOTHING) {
        lxG_set(L, WRITE_FAULT, lxO_nothing());
        return lxO_nothing();
    }
    int64_t k = lxL_int(L, a, 0, "__write_fault");
    if (k < 0) lxE_error(L, LXT_ArgumentError, "__write_fault: nbytes must be >= 0, got %lld", (long long)k);
    lxG_set(L, WRITE_FAULT, lxO_int(k));
    return lxO_nothing();
}

/* ---- running under protection ------------------------------------------------------------------------ */

/* Runs f(L, ud) in protected mode; then cleanup(ud), always; then the error, if there was one, goes on. */
static void protect(lx_State *L, void (*f)(lx_State *L, void *ud), void (*cleanup)(void *ud), void *ud)
{
    lx_Status st = lxD_pcall(L, f, ud);
    cleanup(ud);
    if (st == LX_OK) return;
    if (st == LX_ERRRUN) lxE_throw(L, L->exc);
    char msg[sizeof L->errmsg];
    memcpy(msg, L->errmsg, sizeof msg);
    lxD_throw(L, st, "%s", msg);
}

static const char *path_arg(lx_State *L, lx_Value *a, int i, const char *fname)
{
    lxO_string *s = lxL_string(L, a, i, fname);
    if (strlen(s->data) != s->len) lxE_error(L, LXT_ArgumentError, "%s: the path contains a NUL byte", fname);
    if (s->len == 0) lxE_error(L, LXT_ArgumentError, "%s: the path is empty", fname);
    return s->data;
}

/* ---- dtypes ---------------------------------------------------------------------------------------- */

/* The safetensors dtypes: those lx holds are read as they are; the narrower ones are widened (exactly). */
typedef enum { D_F32, D_F64, D_I32, D_I64, D_BOOL, D_F16, D_BF16, D_U8, D_I8, D_I16, D_U16, D_U32 } st_dtype;
static const struct {
    const char *name;
    int size;
    nn_dtype as;
} dtypes[] = {
    {"F32", 4, NN_F32},   {"F64", 8, NN_F64}, {"I32", 4, NN_I32},  {"I64", 8, NN_I64},
    {"BOOL", 1, NN_BOOL}, {"F16", 2, NN_F32}, {"BF16", 2, NN_F32}, {"U8", 1, NN_I32},
    {"I8", 1, NN_I32},    {"I16", 2, NN_I32}, {"U16", 2, NN_I32},  {"U32", 4, NN_I64},
};
#define NDTYPES ((int)(sizeof dtypes / sizeof dtypes[0]))
/* Named by the format but with no lx type that holds their values. */
static const char *const unsupported_dtypes[] = {"U64",     "F8_E4M3", "F8_E5M2", "F8_E8M0", "F6_E2M3",
                                                 "F6_E3M2", "F4",      "C64",     NULL};

static float half_to_float(uint16_t h)
{
    int e = (h >> 10) & 31, m = h & 1023;
    float v = e == 0    ? ldexpf((float)m, -24)
              : e == 31 ? (m ? NAN : INFINITY)
                        : ldexpf((float)(m | 1024), e - 25);
    return h & 0x8000 ? -v : v;
}

static float bf16_to_float(uint16_t h)
{
    uint32_t u = (uint32_t)h << 16;
    float f;
    memcpy(&f, &u, 4);
    return f;
}

/* n elements of a narrower dtype at src widened into dst (F16/BF16 to Float32, small integers to
 * Int32/Int64). */
static void widen(void *dst, const uint8_t *src, st_dtype d, int64_t n)
{
    for (int64_t i = 0; i < n; i++) {
        uint16_t h;
        uint32_t u;
        switch (d) {
        case D_F16: memcpy(&h, src + 2 * i, 2), ((float *)dst)[i] = half_to_float(h); break;
        case D_BF16: memcpy(&h, src + 2 * i, 2), ((float *)dst)[i] = bf16_to_float(h); break;
        case D_U8: ((int32_t *)dst)[i] = src[i]; break;
        case D_I8: ((int32_t *)dst)[i] = (int8_t)src[i]; break;
        case D_I16: memcpy(&h, src + 2 * i, 2), ((int32_t *)dst)[i] = (int16_t)h; break;
        case D_U16: memcpy(&h, src + 2 * i, 2), ((int32_t *)dst)[i] = h; break;
        case D_U32: memcpy(&u, src + 4 * i, 4), ((int64_t *)dst)[i] = u; break;
        default: break;
        }
    }
}

static const char *st_dtype_name(nn_dtype t)
{
    static const char *const names[] = {"F32", "F64", "I32", "I64", "BOOL"};
    return names[t];
}

/* Text a JSON reader takes: valid UTF-8 (no overlong forms, surrogates or code points past U+10FFFF),
 * and no NUL byte, which would end the C strings cJSON gives. */
static bool text_valid(const char *p, size_t len)
{
    const unsigned char *s = (const unsigned char *)p, *end = s + len;
    while (s < end) {
        unsigned c = *s;
        int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
        if (c == 0 || n < 0 || (n == 1 && c < 0xC2) || (n == 3 && c > 0xF4) || end - s <= n) return false;
        unsigned cp = n == 0 ? c : c & (0x3F >> n);
        for (int i = 1; i <= n; i++) {
            if ((s[i] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (s[i] & 0x3F);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return false;
        s += n + 1;
    }
    return true;
}

/* ---- JSON text: what the writer emits, escaped as JSON requires --------------------------------------- */

static void j_str(lxW_buf *b, const char *s, size_t n)
{
    lxW_add(b, "\"", 1);
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        lxW_add(b, s + from, i - from);
        from = i + 1;
        switch (c) {
        case '"': lxW_puts(b, "\\\""); break;
        case '\\': lxW_puts(b, "\\\\"); break;
        case '\n': lxW_puts(b, "\\n"); break;
        case '\r': lxW_puts(b, "\\r"); break;
        case '\t': lxW_puts(b, "\\t"); break;
        case '\b': lxW_puts(b, "\\b"); break;
        case '\f': lxW_puts(b, "\\f"); break;
        default: lxW_printf(b, "\\u%04x", c); break;
        }
    }
    lxW_add(b, s + from, n - from);
    lxW_add(b, "\"", 1);
}

static void j_cstr(lxW_buf *b, const char *s)
{
    j_str(b, s, strlen(s));
}

/* ---- pointer and name sets (scratch memory on the state, freed by the owner's cleanup) ---------------- */

typedef struct {
    const void *key;
    int count; /* times reached */
    int id;    /* shared objects: the id the file gives them; tensors: their record; -1: none yet */
} pm_slot;

typedef struct {
    lx_State *L;
    pm_slot *slots;
    size_t cap, n;
} ptrmap;

static size_t ptr_hash(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33, x *= 0xff51afd7ed558ccdULL, x ^= x >> 33;
    return (size_t)x;
}

static void pm_free(ptrmap *m)
{
    if (m->slots) lxM_free(m->L, m->slots, m->cap * sizeof *m->slots);
    m->slots = NULL, m->cap = m->n = 0;
}

static pm_slot *pm_find(ptrmap *m, const void *key, bool *isnew)
{
    if (2 * (m->n + 1) > m->cap) {
        size_t ncap = m->cap ? 2 * m->cap : 64;
        pm_slot *ns = lxM_realloc(m->L, NULL, 0, ncap * sizeof *ns);
        memset(ns, 0, ncap * sizeof *ns);
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->slots[i].key) continue;
            size_t j = ptr_hash(m->slots[i].key) & (ncap - 1);
            while (ns[j].key)
                j = (j + 1) & (ncap - 1);
            ns[j] = m->slots[i];
        }
        size_t n = m->n;
        pm_free(m);
        m->slots = ns, m->cap = ncap, m->n = n;
    }
    size_t j = ptr_hash(key) & (m->cap - 1);
    while (m->slots[j].key && m->slots[j].key != key)
        j = (j + 1) & (m->cap - 1);
    *isnew = !m->slots[j].key;
    if (*isnew) {
        m->slots[j] = (pm_slot){key, 0, -1};
        m->n++;
    }
    return &m->slots[j];
}

/* ---- save: the walk over the tree ---------------------------------------------------------------------- */

typedef struct {
    nn_tensor *t;
    size_t name;    /* offset in the saver's names */
    const char *nm; /* the name itself, once the names stop growing */
} rec;

typedef struct {
    lx_State *L;
    const char *path, *fname;
    lx_Value root;
    ptrmap seen;
    int nextid;
    lxW_buf tree;  /* the tree as JSON */
    lxW_buf at;    /* the dotted path being walked */
    lxW_buf names; /* the tensors' names, each NUL-terminated */
    lxW_buf recs;  /* rec[] */
    ptrmap named;  /* name hashes in use: key is the hash + 1, id a record (collisions are rare) */
    lxW_buf header;
    lxL_wfile w;
} saver;

static const char *at_text(saver *s)
{
    return s->at.len ? s->at.s : "(the root)";
}

static void save_fail(saver *s, lxT_builtin type, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 3, 4)));
static void save_fail(saver *s, lxT_builtin type, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lxE_error(s->L, type, "%s: %s: %s", s->fname, s->path, msg);
}

/* Kinds the file keeps the identity of: one reached at several places is written once and referred to. */
static bool shareable(lx_Value v)
{
    if (v.tag != LX_TOBJECT) return false;
    switch (v.v.o->kind) {
    case LXO_TUPLE:
    case LXO_NTUPLE:
    case LXO_LIST:
    case LXO_DICT:
    case LXO_STRUCT:
    case LXO_CDATA:
    case LXO_TENSOR: return true;
    default: return false;
    }
}

/* Pass 1: how many times each object is reached (an object's insides are counted once). */
static void count_refs(saver *s, lx_Value v, int depth)
{
    if (!shareable(v)) return;
    bool isnew;
    pm_slot *slot = pm_find(&s->seen, v.v.o, &isnew);
    if (slot->count++ > 0) return;
    if (depth > MAX_DEPTH)
        save_fail(s, LXT_ArgumentError, "the tree is nested more than %d levels deep", MAX_DEPTH);
    switch (v.v.o->kind) {
    case LXO_TUPLE: {
        lxO_tuple *t = lxO_as(lxO_tuple, v);
        for (int i = 0; i < t->n; i++)
            count_refs(s, t->items[i], depth + 1);
        break;
    }
    case LXO_NTUPLE: {
        lxO_ntuple *t = lxO_as(lxO_ntuple, v);
        for (int i = 0; i < t->n; i++)
            count_refs(s, t->vals[i], depth + 1);
        break;
    }
    case LXO_LIST: {
        lxO_list *l = lxO_as(lxO_list, v);
        for (size_t i = 0; i < l->n; i++)
            count_refs(s, l->items[i], depth + 1);
        break;
    }
    case LXO_DICT: {
        lxO_dict *d = lxO_as(lxO_dict, v);
        for (size_t i = 0; i < d->used; i++)
            if (d->entries[i].key.tag != LX_TUNDEF) count_refs(s, d->entries[i].val, depth + 1);
        break;
    }
    case LXO_STRUCT: {
        lxO_struct *t = lxO_as(lxO_struct, v);
        for (int i = 0; i < t->n; i++)
            count_refs(s, t->fields[i], depth + 1);
        break;
    }
    default: break;
    }
}

static size_t at_push(saver *s, const char *part, size_t n)
{
    size_t mark = s->at.len;
    if (mark) lxW_add(&s->at, ".", 1);
    lxW_add(&s->at, part, n);
    lxW_add(&s->at, "", 1); /* kept NUL-terminated; the NUL is not counted */
    s->at.len--;
    return mark;
}

static size_t at_index(saver *s, size_t i)
{
    char buf[32];
    int k = snprintf(buf, sizeof buf, "%zu", i + 1);
    return at_push(s, buf, (size_t)k);
}

static void at_pop(saver *s, size_t mark)
{
    s->at.len = mark;
    if (s->at.s) s->at.s[mark] = '\0';
}

static uint64_t name_hash(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
    return h;
}

/* Whether a name is taken (the names set maps hashes to the first record with each). */
static bool name_taken(saver *s, const char *p, size_t n)
{
    const rec *r = (const rec *)s->recs.s;
    size_t nrec = s->recs.len / sizeof(rec);
    for (size_t i = 0; i < nrec; i++) /* only records with the same hash are compared */
        if (name_hash(s->names.s + r[i].name, strlen(s->names.s + r[i].name)) == name_hash(p, n) &&
            strlen(s->names.s + r[i].name) == n && !memcmp(s->names.s + r[i].name, p, n))
            return true;
    return false;
}

/* A new record for tensor t, named by the path (made unique with #2, #3, ... when two paths spell
 * the same name, as a Dict's "a.b" and a nested a.b would). */
static int tensor_record(saver *s, nn_tensor *t)
{
    const char *base = s->at.len ? s->at.s : "tensor";
    size_t blen = strlen(base);
    lxW_buf cand;
    lxW_init(s->L, &cand);
    lxW_add(&cand, base, blen);
    for (int k = 2;; k++) {
        bool isnew;
        uintptr_t key = (uintptr_t)(name_hash(cand.s, cand.len) | 1);
        pm_slot *slot = pm_find(&s->named, (const void *)key, &isnew);
        if (isnew || !name_taken(s, cand.s, cand.len)) break;
        (void)slot;
        cand.len = 0;
        lxW_add(&cand, base, blen);
        lxW_printf(&cand, "#%d", k);
    }
    rec r = {t, s->names.len, NULL};
    lxW_add(&s->names, cand.s, cand.len);
    lxW_add(&s->names, "", 1);
    lxW_free(&cand);
    lxW_add(&s->recs, (const char *)&r, sizeof r);
    return (int)(s->recs.len / sizeof(rec)) - 1;
}

static void emit(saver *s, lx_Value v, int depth);

/* Strings go into JSON, which holds UTF-8 text only. */
static void check_text(saver *s, const char *p, size_t n, const char *what)
{
    if (!text_valid(p, n))
        save_fail(s, LXT_ArgumentError,
                  "the %s at %s is not UTF-8 text (or holds a NUL byte): a file holds text only", what,
                  at_text(s));
}

static void emit_values(saver *s, const lx_Value *vals, size_t n, int depth)
{
    lxW_puts(&s->tree, "\"values\":[");
    for (size_t i = 0; i < n; i++) {
        if (i) lxW_add(&s->tree, ",", 1);
        size_t mark = at_index(s, i);
        emit(s, vals[i], depth + 1);
        at_pop(s, mark);
    }
    lxW_add(&s->tree, "]", 1);
}

/* Named children (a named tuple's or a struct's): "names" or "fields", then the values under those names. */
static void emit_named(saver *s, const char *key, lxO_string *const *names, const lx_Value *vals, int n,
                       int depth)
{
    lxW_printf(&s->tree, "\"%s\":[", key);
    for (int i = 0; i < n; i++) {
        if (i) lxW_add(&s->tree, ",", 1);
        check_text(s, names[i]->data, names[i]->len, "name");
        j_str(&s->tree, names[i]->data, names[i]->len);
    }
    lxW_puts(&s->tree, "],\"values\":[");
    for (int i = 0; i < n; i++) {
        if (i) lxW_add(&s->tree, ",", 1);
        size_t mark = at_push(s, names[i]->data, names[i]->len);
        emit(s, vals[i], depth + 1);
        at_pop(s, mark);
    }
    lxW_add(&s->tree, "]", 1);
}

static bool dict_key_ok(lx_Value k)
{
    return k.tag == LX_TINT || k.tag == LX_TBOOL || k.tag == LX_TSYMBOL || k.tag == LX_TNOTHING ||
           k.tag == LX_TFLOAT64 || lxO_is(k, LXO_STRING);
}

/* A Dict key as a path component. */
static size_t at_key(saver *s, lx_Value k)
{
    lxW_buf b;
    lxW_init(s->L, &b);
    if (lxO_is(k, LXO_STRING) || k.tag == LX_TSYMBOL)
        lxW_puts(&b, lxO_as(lxO_string, k)->data);
    else
        lxW_print(&b, k);
    size_t mark = at_push(s, b.s ? b.s : "", b.len);
    lxW_free(&b);
    return mark;
}

static void emit_dict(saver *s, lxO_dict *d, int depth)
{
    lxW_puts(&s->tree, "\"keys\":[");
    bool first = true;
    for (size_t i = 0; i < d->used; i++) {
        lx_Value k = d->entries[i].key;
        if (k.tag == LX_TUNDEF) continue;
        if (!dict_key_ok(k)) {
            lxW_buf b;
            lxW_init(s->L, &b);
            lxW_repr(&b, k);
            save_fail(s, LXT_ArgumentError,
                      "a Dict at %s has the key %.80s: saved Dicts have String, Symbol, Int64, Float64, Bool "
                      "or nothing keys",
                      at_text(s), b.s ? b.s : "");
        }
        if (!first) lxW_add(&s->tree, ",", 1);
        first = false;
        emit(s, k, depth + 1);
    }
    lxW_puts(&s->tree, "],\"values\":[");
    first = true;
    for (size_t i = 0; i < d->used; i++) {
        lx_Value k = d->entries[i].key;
        if (k.tag == LX_TUNDEF) continue;
        if (!first) lxW_add(&s->tree, ",", 1);
        first = false;
        size_t mark = at_key(s, k);
        emit(s, d->entries[i].val, depth + 1);
        at_pop(s, mark);
    }
    lxW_add(&s->tree, "]", 1);
}

static bool is_xoshiro(lx_State *L, lx_Value v)
{
    lx_Value t = lxG_get(L, "Xoshiro");
    return lxO_is(v, LXO_CDATA) && lxO_is(t, LXO_TYPE) && v.v.o->type == lxO_as(lxO_type, t);
}

/* Structs the file can hold: the user's and the library's, Pairs and exceptions (built-in types whose
 * instances are plain structs).  Not Xoshiro: its instances are C data, and a struct of its type would
 * be read as one (a C type made with lxT_new whose instances are not structs must be excluded here). */
static bool struct_type_ok(lx_State *L, const lxO_type *t)
{
    lx_Value x = lxG_get(L, "Xoshiro");
    if (lxO_is(x, LXO_TYPE) && t == lxO_as(lxO_type, x)) return false;
    return !t->abstract && (!t->builtin || t == L->T[LXT_Pair] || lxT_subtype(t, L->T[LXT_Exception]));
}

static void emit_tensor(saver *s, lx_Value v, pm_slot *slot)
{
    nn_tensor *t = lxL_tval(v);
    if (nn_tensor_device(t) != NN_CPU)
        save_fail(s, LXT_ArgumentError, "the tensor at %s is on a GPU; move it with cpu_device() first",
                  at_text(s));
    if (slot->id < 0) slot->id = tensor_record(s, t);
    const rec *r = (const rec *)s->recs.s + slot->id;
    lxW_puts(&s->tree, "{\"type\":\"Tensor\",\"name\":");
    j_cstr(&s->tree, s->names.s + r->name);
    lxW_add(&s->tree, "}", 1);
}

static void emit_number(saver *s, const char *type, lx_Value v)
{
    lxW_printf(&s->tree, "{\"type\":\"%s\",\"value\":\"", type);
    if (v.tag == LX_TINT)
        lxW_printf(&s->tree, "%lld", (long long)v.v.i);
    else
        lxW_floattext(&s->tree, v.tag == LX_TFLOAT32 ? v.v.f : v.v.d, v.tag == LX_TFLOAT32, false);
    lxW_puts(&s->tree, "\"}");
}

/* Pass 2: the JSON of v (and the records of the tensors it holds). */
static void emit(saver *s, lx_Value v, int depth)
{
    lxW_buf *b = &s->tree;
    switch (v.tag) {
    case LX_TNOTHING: lxW_puts(b, "null"); return;
    case LX_TBOOL: lxW_puts(b, v.v.b ? "true" : "false"); return;
    case LX_TINT: emit_number(s, "Int64", v); return;
    case LX_TFLOAT64: emit_number(s, "Float64", v); return;
    case LX_TFLOAT32: emit_number(s, "Float32", v); return;
    case LX_TSYMBOL:
        check_text(s, lxO_as(lxO_string, v)->data, lxO_as(lxO_string, v)->len, "Symbol");
        lxW_puts(b, "{\"type\":\"Symbol\",\"value\":");
        j_cstr(b, lxO_as(lxO_string, v)->data);
        lxW_add(b, "}", 1);
        return;
    default: break;
    }
    if (lxO_is(v, LXO_STRING)) {
        check_text(s, lxO_as(lxO_string, v)->data, lxO_as(lxO_string, v)->len, "String");
        j_str(b, lxO_as(lxO_string, v)->data, lxO_as(lxO_string, v)->len);
        return;
    }
    bool isnew;
    pm_slot *slot = shareable(v) ? pm_find(&s->seen, v.v.o, &isnew) : NULL;
    if (slot && v.v.o->kind == LXO_TENSOR) {
        emit_tensor(s, v, slot);
        return;
    }
    if (slot && slot->count > 1 && slot->id >= 0) {
        lxW_printf(b, "{\"ref\":%d}", slot->id);
        return;
    }
    const char *type = NULL;
    switch (slot ? v.v.o->kind : LXO_NUM_KINDS) {
    case LXO_TUPLE: type = "Tuple"; break;
    case LXO_NTUPLE: type = "NamedTuple"; break;
    case LXO_LIST: type = "List"; break;
    case LXO_DICT: type = "Dict"; break;
    case LXO_STRUCT:
        if (struct_type_ok(s->L, v.v.o->type)) type = "struct";
        break;
    case LXO_CDATA:
        if (is_xoshiro(s->L, v)) type = "Xoshiro";
        break;
    default: break;
    }
    if (!type)
        save_fail(
            s, LXT_ArgumentError,
            "cannot save the %s at %s (a file holds tensors, numbers, Bools, Strings, Symbols, nothing, "
            "tuples, named tuples, Lists, Dicts, structs and Xoshiro generators)",
            lxT_name(lxT_typeof(s->L, v)), at_text(s));
    lxW_printf(b, "{\"type\":\"%s\",", type);
    if (slot->count > 1) {
        slot->id = s->nextid++;
        lxW_printf(b, "\"id\":%d,", slot->id);
    }
    switch (v.v.o->kind) {
    case LXO_TUPLE:
        emit_values(s, lxO_as(lxO_tuple, v)->items, (size_t)lxO_as(lxO_tuple, v)->n, depth);
        break;
    case LXO_LIST: emit_values(s, lxO_as(lxO_list, v)->items, lxO_as(lxO_list, v)->n, depth); break;
    case LXO_NTUPLE: {
        lxO_ntuple *t = lxO_as(lxO_ntuple, v);
        emit_named(s, "names", t->names, t->vals, t->n, depth);
        break;
    }
    case LXO_DICT: emit_dict(s, lxO_as(lxO_dict, v), depth); break;
    case LXO_STRUCT: {
        lxO_struct *t = lxO_as(lxO_struct, v);
        lxW_puts(b, "\"name\":");
        j_cstr(b, lxT_name(t->hdr.type));
        lxW_add(b, ",", 1);
        emit_named(s, "fields", t->hdr.type->fields, t->fields, t->n, depth);
        break;
    }
    default: { /* Xoshiro: its four words, as decimal strings so no JSON reader rounds them */
        const nn_rng *r = (const nn_rng *)lxO_as(lxO_cdata, v)->data;
        lxW_printf(b, "\"state\":[\"%llu\",\"%llu\",\"%llu\",\"%llu\"]", (unsigned long long)r->s[0],
                   (unsigned long long)r->s[1], (unsigned long long)r->s[2], (unsigned long long)r->s[3]);
        break;
    }
    }
    lxW_add(b, "}", 1);
}

static int rec_cmp(const void *a, const void *b)
{
    return strcmp(((const rec *)a)->nm, ((const rec *)b)->nm);
}

static size_t rec_bytes(const rec *r)
{
    return (size_t)r->t->numel * nn_dtype_size(r->t->dtype);
}

/* The header: __metadata__ first, then the tensors by name, each's bytes right after the last's. */
static void build_header(saver *s, rec *r, size_t nrec)
{
    lxW_buf *h = &s->header;
    lxW_puts(h, "{\"__metadata__\":{\"lx\":");
    j_str(h, s->tree.s, s->tree.len);
    lxW_add(h, "}", 1);
    uint64_t off = 0;
    for (size_t i = 0; i < nrec; i++) {
        const nn_tensor *t = r[i].t;
        lxW_add(h, ",", 1);
        j_cstr(h, s->names.s + r[i].name);
        lxW_printf(h, ":{\"dtype\":\"%s\",\"shape\":[", st_dtype_name(t->dtype));
        for (int d = t->ndim - 1; d >= 0; d--) /* row-major order's shape: lx's reversed */
            lxW_printf(h, d == t->ndim - 1 ? "%lld" : ",%lld", (long long)t->shape[d]);
        uint64_t end = off + rec_bytes(&r[i]);
        lxW_printf(h, "],\"data_offsets\":[%llu,%llu]}", (unsigned long long)off, (unsigned long long)end);
        off = end;
    }
    lxW_add(h, "}", 1);
    while (h->len % 8)
        lxW_add(h, " ", 1);
}

static void save_run(lx_State *L, void *ud)
{
    saver *s = ud;
    if (!host_little())
        save_fail(s, LXT_IOError, "safetensors files are little-endian; this machine is not (unsupported)");
    count_refs(s, s->root, 0);
    lxW_puts(&s->tree, "{\"version\":1,\"tree\":");
    emit(s, s->root, 0);
    lxW_add(&s->tree, "}", 1);
    rec *r = (rec *)s->recs.s;
    size_t nrec = s->recs.len / sizeof(rec);
    for (size_t i = 0; i < nrec; i++)
        r[i].nm = s->names.s + r[i].name;
    if (nrec) qsort(r, nrec, sizeof *r, rec_cmp);
    build_header(s, r, nrec);
    uint8_t len8[8];
    for (int i = 0; i < 8; i++)
        len8[i] = (uint8_t)((uint64_t)s->header.len >> (8 * i));
    lxL_wopen(&s->w, L, s->path, s->fname);
    lxL_wwrite(&s->w, len8, 8);
    lxL_wwrite(&s->w, s->header.s, s->header.len);
    for (size_t i = 0; i < nrec; i++)
        if (rec_bytes(&r[i])) lxL_wwrite(&s->w, nn_data(r[i].t), rec_bytes(&r[i]));
    lxL_wcommit(&s->w);
}

static void save_cleanup(void *ud)
{
    saver *s = ud;
    lxL_wabort(&s->w);
    pm_free(&s->seen);
    pm_free(&s->named);
    lxW_free(&s->tree);
    lxW_free(&s->at);
    lxW_free(&s->names);
    lxW_free(&s->recs);
    lxW_free(&s->header);
}

static lx_Value s_save(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_need(L, LX_LIB_FILES, "save");
    saver s;
    memset(&s, 0, sizeof s);
    s.L = L, s.fname = "save", s.path = path_arg(L, a, 0, "save"), s.root = a[1];
    s.seen.L = s.named.L = L;
    s.w.fd = -1;
    lxW_init(L, &s.tree);
    lxW_init(L, &s.at);
    lxW_init(L, &s.names);
    lxW_init(L, &s.recs);
    lxW_init(L, &s.header);
    protect(L, save_run, save_cleanup, &s);
    return lxO_nothing();
}

/* ---- load: reading and checking the header ------------------------------------------------------------ */

typedef struct {
    const char *name;
    st_dtype dtype;
    int ndim; /* as the file has it (row-major order) */
    int64_t shape[NN_MAX_DIMS];
    int64_t begin, end;
    lx_Value tensor; /* once read */
    bool used;       /* named by the tree */
} entry;

typedef struct {
    lx_State *L;
    const char *path, *fname;
    FILE *fp;
    int64_t fsize, hlen, dsize; /* file, header and data sizes */
    char *head;                 /* the header text (hlen + 1 bytes) */
    cJSON *json, *tree;
    entry *entries;
    size_t nentries, capentries;
    const entry **byoff; /* the entries in data order (capentries of them) */
    const char **mkeys;  /* the metadata's keys, sorted */
    size_t nmkeys, capmkeys;
    bool tensors_only; /* the tensors by name, whatever tree the file has */
    ptrmap names;      /* scratch: a large named tuple's names */
    const cJSON *lx;   /* the lx tree's JSON text, if the file has one */
    lx_Value *ids;     /* the shared objects by id */
    size_t nids, capids;
    lx_Value result;
} loader;

static void load_fail(loader *c, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
static void load_fail(loader *c, const char *fmt, ...)
{
    char msg[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lxE_error(c->L, LXT_IOError, "%s: %s: %s", c->fname, c->path, msg);
}

/* A name as a message shows it: quoted, at most 60 bytes, bytes that are not printable ASCII as \xNN. */
static const char *shown(const char *s, char *buf, size_t size)
{
    size_t k = 0;
    buf[k++] = '"';
    for (size_t i = 0; s[i] && k + 6 < size; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (i >= 60) {
            k += (size_t)snprintf(buf + k, size - k, "...");
            break;
        }
        if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\')
            buf[k++] = (char)ch;
        else
            k += (size_t)snprintf(buf + k, size - k, "\\x%02x", ch);
    }
    buf[k++] = '"';
    buf[k] = '\0';
    return buf;
}

/* JSON that cJSON would take but that could mislead what reads its strings as C strings: control bytes
 * (JSON forbids them unescaped) and \u0000 (a NUL inside a name).  Returns the offending offset or -1. */
static int64_t json_lint(const char *s, size_t n, const char **why)
{
    bool instr = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 && (instr || (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r'))) {
            *why = "a control byte";
            return (int64_t)i;
        }
        if (!instr) {
            instr = ch == '"';
        } else if (ch == '\\') {
            if (i + 5 < n && s[i + 1] == 'u' && !memcmp(s + i + 2, "0000", 4)) {
                *why = "\\u0000 (a NUL)";
                return (int64_t)i;
            }
            i++;
        } else if (ch == '"') {
            instr = false;
        }
    }
    return -1;
}

/* Parses JSON text (what names it in messages); raises on anything but one JSON value and whitespace. */
static cJSON *parse_json(loader *c, const char *s, size_t n, const char *what)
{
    const char *why;
    int64_t bad = json_lint(s, n, &why);
    if (bad >= 0) load_fail(c, "%s is not valid JSON: %s at byte %lld", what, why, (long long)bad);
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithLengthOpts(s, n, &end, false);
    if (!j) {
        int64_t at = end && end >= s && end <= s + n ? (int64_t)(end - s) : 0;
        load_fail(c, "%s is not valid JSON (at byte %lld)", what, (long long)at);
    }
    for (const char *p = end; p < s + n; p++)
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
            cJSON_Delete(j);
            load_fail(c, "%s is not valid JSON: text after its end, at byte %lld", what, (long long)(p - s));
        }
    return j;
}

/* A JSON number that is an integer in [0, 2^53): the range where a double holds it exactly. */
static bool json_count(const cJSON *j, int64_t *out)
{
    if (!cJSON_IsNumber(j)) return false;
    double d = j->valuedouble;
    if (!(d >= 0 && d < EXACT_INT) || d != floor(d)) return false;
    *out = (int64_t)d;
    return true;
}

static void read_exact(loader *c, void *buf, size_t n, int64_t at, const char *what)
{
    if (fseeko(c->fp, (off_t)at, SEEK_SET) != 0)
        load_fail(c, "cannot seek to byte %lld: %s", (long long)at, strerror(errno));
    if (n && fread(buf, 1, n, c->fp) != n)
        load_fail(c, "%s: the file ended early (it changed while being read?)", what);
}

/* One tensor's entry: {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]} and nothing else. */
static void check_entry(loader *c, const cJSON *j, entry *e)
{
    char nb[300];
    const char *nm = shown(e->name, nb, sizeof nb);
    if (!text_valid(e->name, strlen(e->name))) load_fail(c, "tensor name %s is not valid UTF-8", nm);
    if (!cJSON_IsObject(j)) load_fail(c, "tensor %s: its entry is not a JSON object", nm);
    const cJSON *dt = NULL, *sh = NULL, *off = NULL;
    for (const cJSON *k = j->child; k; k = k->next) {
        const cJSON **slot = !strcmp(k->string, "dtype")          ? &dt
                             : !strcmp(k->string, "shape")        ? &sh
                             : !strcmp(k->string, "data_offsets") ? &off
                                                                  : NULL;
        char kb[300];
        if (!slot)
            load_fail(c, "tensor %s: unknown key %s (an entry has dtype, shape and data_offsets)", nm,
                      shown(k->string, kb, sizeof kb));
        if (*slot) load_fail(c, "tensor %s: the key %s appears twice", nm, shown(k->string, kb, sizeof kb));
        *slot = k;
    }
    if (!dt || !sh || !off)
        load_fail(c, "tensor %s: no %s (an entry has dtype, shape and data_offsets)", nm,
                  !dt   ? "dtype"
                  : !sh ? "shape"
                        : "data_offsets");
    if (!cJSON_IsString(dt)) load_fail(c, "tensor %s: dtype is not a string", nm);
    int d = 0;
    while (d < NDTYPES && strcmp(dtypes[d].name, dt->valuestring))
        d++;
    char db[300];
    if (d == NDTYPES) {
        for (int u = 0; unsupported_dtypes[u]; u++)
            if (!strcmp(unsupported_dtypes[u], dt->valuestring))
                load_fail(
                    c,
                    "tensor %s: dtype %s has no lx element type (lx reads F32, F64, I32, I64, BOOL, F16, "
                    "BF16, U8, I8, I16, U16 and U32)",
                    nm, shown(dt->valuestring, db, sizeof db));
        load_fail(c, "tensor %s: unknown dtype %s", nm, shown(dt->valuestring, db, sizeof db));
    }
    e->dtype = (st_dtype)d;
    if (!cJSON_IsArray(sh)) load_fail(c, "tensor %s: shape is not a list of non-negative integers", nm);
    int64_t numel = 1;
    bool overflow = false;
    e->ndim = 0;
    for (const cJSON *k = sh->child; k; k = k->next) {
        if (e->ndim == NN_MAX_DIMS)
            load_fail(c, "tensor %s: shape has more than %d dimensions", nm, NN_MAX_DIMS);
        if (!json_count(k, &e->shape[e->ndim]))
            load_fail(c, "tensor %s: shape is not a list of non-negative integers (below 2^53)", nm);
        overflow |= __builtin_mul_overflow(numel, e->shape[e->ndim], &numel);
        e->ndim++;
    }
    int64_t nbytes;
    overflow |= __builtin_mul_overflow(numel, (int64_t)dtypes[d].size, &nbytes);
    if (!cJSON_IsArray(off) || cJSON_GetArraySize(off) != 2 || !json_count(off->child, &e->begin) ||
        !json_count(off->child->next, &e->end))
        load_fail(c, "tensor %s: data_offsets is not two non-negative integers [begin, end]", nm);
    if (e->end < e->begin)
        load_fail(c, "tensor %s: data_offsets [%lld, %lld] end before they begin", nm, (long long)e->begin,
                  (long long)e->end);
    if (e->end > c->dsize)
        load_fail(c, "tensor %s: data_offsets [%lld, %lld] past the end of the data (%lld bytes)", nm,
                  (long long)e->begin, (long long)e->end, (long long)c->dsize);
    char sb[200];
    int64_t rev[NN_MAX_DIMS];
    for (int i = 0; i < e->ndim; i++)
        rev[i] = e->shape[i];
    nn_shape_str(sb, sizeof sb, e->ndim, rev);
    if (overflow)
        load_fail(c, "tensor %s: shape %s of %s has more bytes than a file can hold", nm, sb, dtypes[d].name);
    if (nbytes != e->end - e->begin)
        load_fail(c, "tensor %s: shape %s of %s needs %lld bytes, but data_offsets [%lld, %lld] hold %lld",
                  nm, sb, dtypes[d].name, (long long)nbytes, (long long)e->begin, (long long)e->end,
                  (long long)(e->end - e->begin));
}

static void check_metadata(loader *c, const cJSON *m)
{
    if (cJSON_IsNull(m)) return;
    if (!cJSON_IsObject(m)) load_fail(c, "__metadata__ is not a JSON object of strings");
    size_t n = (size_t)cJSON_GetArraySize(m);
    c->capmkeys = n ? n : 1;
    c->mkeys = lxM_realloc(c->L, NULL, 0, c->capmkeys * sizeof *c->mkeys);
    for (const cJSON *k = m->child; k; k = k->next) {
        char kb[300];
        if (!cJSON_IsString(k))
            load_fail(c, "__metadata__: the value of %s is not a string", shown(k->string, kb, sizeof kb));
        c->mkeys[c->nmkeys++] = k->string;
        if (!strcmp(k->string, "lx")) c->lx = k;
    }
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int entry_name_cmp(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->name, ((const entry *)b)->name);
}

static int entry_off_cmp(const void *a, const void *b)
{
    const entry *x = *(const entry *const *)a, *y = *(const entry *const *)b;
    return x->begin != y->begin ? (x->begin < y->begin ? -1 : 1)
           : x->end != y->end   ? (x->end < y->end ? -1 : 1)
                                : 0;
}

/* The byte ranges, in order, cover the data exactly once: no overlap, no hole, nothing after. */
static void check_coverage(loader *c)
{
    for (size_t i = 0; i < c->nentries; i++)
        c->byoff[i] = &c->entries[i];
    qsort(c->byoff, c->nentries, sizeof *c->byoff, entry_off_cmp);
    int64_t at = 0;
    const entry *prev = NULL;
    for (size_t i = 0; i < c->nentries; i++) {
        const entry *e = c->byoff[i];
        char nb[300], pb[300];
        if (e->begin < at)
            load_fail(c, "tensors %s and %s overlap (data_offsets [%lld, %lld] and [%lld, %lld])",
                      shown(prev->name, pb, sizeof pb), shown(e->name, nb, sizeof nb), (long long)prev->begin,
                      (long long)prev->end, (long long)e->begin, (long long)e->end);
        if (e->begin > at)
            load_fail(c, "bytes %lld to %lld of the data belong to no tensor (a hole before tensor %s)",
                      (long long)at, (long long)e->begin, shown(e->name, nb, sizeof nb));
        at = e->end, prev = e;
    }
    if (at < c->dsize)
        load_fail(c, "bytes %lld to %lld of the data belong to no tensor (after the last one)", (long long)at,
                  (long long)c->dsize);
}

static void read_header(loader *c)
{
    struct stat st;
    /* a FIFO or a device would block or never end: only regular files (and directories, refused below) */
    if (stat(c->path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
        load_fail(c, "could not open file: not a regular file");
    c->fp = fopen(c->path, "rb");
    if (!c->fp) load_fail(c, "could not open file: %s", strerror(errno));
    if (fstat(fileno(c->fp), &st) != 0) load_fail(c, "could not open file: %s", strerror(errno));
    if (S_ISDIR(st.st_mode)) load_fail(c, "could not open file: %s", strerror(EISDIR));
    c->fsize = (int64_t)st.st_size;
    if (c->fsize < 8)
        load_fail(c, "truncated: the file has %lld bytes, fewer than the 8 of the header length",
                  (long long)c->fsize);
    uint8_t len8[8];
    read_exact(c, len8, 8, 0, "the header length");
    uint64_t hlen = 0;
    for (int i = 7; i >= 0; i--)
        hlen = hlen << 8 | len8[i];
    if (hlen > (uint64_t)(c->fsize - 8))
        load_fail(c, "the header length %llu is more than the file holds after it (%lld bytes)",
                  (unsigned long long)hlen, (long long)(c->fsize - 8));
    if (hlen > MAX_HEADER)
        load_fail(c, "the header length %llu is over the limit of %d bytes", (unsigned long long)hlen,
                  MAX_HEADER);
    c->hlen = (int64_t)hlen;
    c->dsize = c->fsize - 8 - c->hlen;
    c->head = lxM_realloc(c->L, NULL, 0, (size_t)c->hlen + 1);
    read_exact(c, c->head, (size_t)c->hlen, 8, "the header");
    c->head[c->hlen] = '\0';
    c->json = parse_json(c, c->head, (size_t)c->hlen, "the header");
    if (!cJSON_IsObject(c->json)) load_fail(c, "the header is not a JSON object");
    size_t n = (size_t)cJSON_GetArraySize(c->json);
    c->capentries = n ? n : 1;
    c->entries = lxM_realloc(c->L, NULL, 0, c->capentries * sizeof *c->entries);
    c->byoff = lxM_realloc(c->L, NULL, 0, c->capentries * sizeof *c->byoff);
    bool meta = false;
    for (const cJSON *k = c->json->child; k; k = k->next) {
        if (!strcmp(k->string, "__metadata__")) {
            if (meta) load_fail(c, "__metadata__ appears twice");
            meta = true;
            check_metadata(c, k);
            continue;
        }
        entry *e = &c->entries[c->nentries++];
        memset(e, 0, sizeof *e);
        e->name = k->string;
        check_entry(c, k, e);
    }
    qsort(c->entries, c->nentries, sizeof *c->entries, entry_name_cmp);
    char nb[300];
    for (size_t i = 1; i < c->nentries; i++)
        if (!strcmp(c->entries[i - 1].name, c->entries[i].name))
            load_fail(c, "the tensor name %s appears twice", shown(c->entries[i].name, nb, sizeof nb));
    if (c->nmkeys) qsort(c->mkeys, c->nmkeys, sizeof *c->mkeys, str_cmp);
    for (size_t i = 1; i < c->nmkeys; i++)
        if (!strcmp(c->mkeys[i - 1], c->mkeys[i]))
            load_fail(c, "__metadata__: the key %s appears twice", shown(c->mkeys[i], nb, sizeof nb));
    check_coverage(c);
}

/* Every tensor's bytes into a new tensor of lx's shape (the file's reversed), in data order. */
static void read_tensors(loader *c)
{
    for (size_t i = 0; i < c->nentries; i++) {
        entry *e = (entry *)c->byoff[i];
        int64_t shape[NN_MAX_DIMS];
        for (int d = 0; d < e->ndim; d++)
            shape[d] = e->shape[e->ndim - 1 - d];
        nn_tensor *t;
        nn_status s = nn_empty(c->L->nn, &t, dtypes[e->dtype].as, e->ndim, shape);
        lxL_nncheck(c->L, s);
        e->tensor = lxL_wrap(c->L, t);
        size_t nbytes = (size_t)(e->end - e->begin);
        char nb[300], what[340];
        snprintf(what, sizeof what, "tensor %s", shown(e->name, nb, sizeof nb));
        if (dtypes[e->dtype].size == (int)nn_dtype_size(t->dtype)) {
            read_exact(c, nn_data(t), nbytes, 8 + c->hlen + e->begin, what);
            if (t->dtype == NN_BOOL) /* a C bool holds 0 or 1 only */
                for (int64_t k = 0; k < t->numel; k++)
                    ((uint8_t *)nn_data(t))[k] = ((uint8_t *)nn_data(t))[k] != 0;
            continue;
        }
        uint8_t chunk[1 << 15];
        int64_t per = (int64_t)sizeof chunk / dtypes[e->dtype].size;
        for (int64_t done = 0; done < t->numel; done += per) {
            int64_t k = t->numel - done < per ? t->numel - done : per;
            read_exact(c, chunk, (size_t)(k * dtypes[e->dtype].size),
                       8 + c->hlen + e->begin + done * dtypes[e->dtype].size, what);
            widen((uint8_t *)nn_data(t) + done * (int64_t)nn_dtype_size(t->dtype), chunk, e->dtype, k);
        }
    }
}

/* ---- load: rebuilding the tree ------------------------------------------------------------------------ */

static void tree_fail(loader *c, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
static void tree_fail(loader *c, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    load_fail(c, "__metadata__ \"lx\": %s", msg);
}

/* The object's members are exactly `keys` (a NULL-ended list), plus "id" where allowed. */
static void expect_keys(loader *c, const cJSON *j, const char *type, const char *const *keys, bool id)
{
    int nkeys = 0;
    while (keys[nkeys])
        nkeys++;
    int seen = 0;
    for (const cJSON *k = j->child; k; k = k->next) {
        bool known = id && !strcmp(k->string, "id");
        for (int i = 0; i < nkeys && !known; i++)
            known = !strcmp(k->string, keys[i]);
        char kb[300];
        if (!known) tree_fail(c, "a %s node has the unknown key %s", type, shown(k->string, kb, sizeof kb));
        if (cJSON_GetObjectItemCaseSensitive(j, k->string) != k)
            tree_fail(c, "a %s node has the key %s twice", type, shown(k->string, kb, sizeof kb));
        seen += strcmp(k->string, "id") != 0;
    }
    if (seen != nkeys) tree_fail(c, "a %s node lacks one of its keys", type);
}

static const cJSON *member(const cJSON *j, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(j, key);
}

static const char *string_member(loader *c, const cJSON *j, const char *key, const char *type)
{
    const cJSON *v = member(j, key);
    if (!cJSON_IsString(v)) tree_fail(c, "a %s node's %s is not a string", type, key);
    return v->valuestring;
}

static const cJSON *array_member(loader *c, const cJSON *j, const char *key, const char *type)
{
    const cJSON *v = member(j, key);
    if (!cJSON_IsArray(v)) tree_fail(c, "a %s node's %s is not a list", type, key);
    return v;
}

/* A shared object is registered before its children are built, so a child may refer back to it. */
static void register_id(loader *c, const cJSON *j, lx_Value v, const char *type)
{
    const cJSON *id = member(j, "id");
    if (!id) return;
    int64_t k;
    if (!json_count(id, &k) || k != (int64_t)c->nids)
        tree_fail(c, "a %s node has id %s where %zu is expected", type,
                  cJSON_IsNumber(id) ? "out of order" : "not a number", c->nids);
    if (c->nids == c->capids) {
        size_t ncap = c->capids ? 2 * c->capids : 16;
        c->ids = lxM_realloc(c->L, c->ids, c->capids * sizeof *c->ids, ncap * sizeof *c->ids);
        c->capids = ncap;
    }
    c->ids[c->nids++] = v;
}

static bool parse_i64(const char *s, int64_t *out)
{
    bool neg = *s == '-';
    if (neg) s++;
    if (!*s) return false;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10) return false;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    if (v > (uint64_t)INT64_MAX + neg) return false;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

static bool parse_u64(const char *s, uint64_t *out)
{
    if (!*s) return false;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10) return false;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return true;
}

static lx_Value number_node(loader *c, const cJSON *j, const char *type)
{
    static const char *const keys[] = {"type", "value", NULL};
    expect_keys(c, j, type, keys, false);
    const char *s = string_member(c, j, "value", type);
    char sb[300];
    if (!strcmp(type, "Int64")) {
        int64_t v;
        if (!parse_i64(s, &v)) tree_fail(c, "the Int64 %s is not a 64-bit integer", shown(s, sb, sizeof sb));
        return lxO_int(v);
    }
    char *end;
    errno = 0;
    double d = *s && *s != ' ' ? strtod(s, &end) : 0;
    if (!*s || *s == ' ' || *end) tree_fail(c, "the %s %s is not a number", type, shown(s, sb, sizeof sb));
    if (!strcmp(type, "Float32")) return lxO_f32(strtof(s, NULL)); /* strtof: one rounding, not two */
    return lxO_f64(d);
}

static lx_Value build(loader *c, const cJSON *j, int depth);

static lx_Value tensor_node(loader *c, const cJSON *j)
{
    static const char *const keys[] = {"type", "name", NULL};
    expect_keys(c, j, "Tensor", keys, false);
    entry key = {.name = string_member(c, j, "name", "Tensor")};
    entry *e = bsearch(&key, c->entries, c->nentries, sizeof *c->entries, entry_name_cmp);
    char nb[300];
    if (!e)
        tree_fail(c, "the tree names the tensor %s, which the file does not hold",
                  shown(key.name, nb, sizeof nb));
    e->used = true;
    return e->tensor;
}

static lxO_type *struct_type(loader *c, const char *name)
{
    char nb[300];
    lx_Value t = lxG_get(c->L, name);
    if (t.tag == LX_TUNDEF)
        tree_fail(c, "the tree holds a struct of type %s, which does not exist here",
                  shown(name, nb, sizeof nb));
    lxO_type *ty = lxO_is(t, LXO_TYPE) ? lxO_as(lxO_type, t) : NULL;
    if (!ty || !struct_type_ok(c->L, ty)) tree_fail(c, "%s is not a struct type", shown(name, nb, sizeof nb));
    return ty;
}

static lx_Value struct_node(loader *c, const cJSON *j, int depth)
{
    static const char *const keys[] = {"type", "name", "fields", "values", NULL};
    expect_keys(c, j, "struct", keys, true);
    const char *name = string_member(c, j, "name", "struct");
    lxO_type *t = struct_type(c, name);
    const cJSON *fields = array_member(c, j, "fields", "struct"),
                *vals = array_member(c, j, "values", "struct");
    int n = cJSON_GetArraySize(fields);
    bool same = n == t->nfields && cJSON_GetArraySize(vals) == n;
    int i = 0;
    for (const cJSON *f = fields->child; f && same; f = f->next, i++)
        same = cJSON_IsString(f) && !strcmp(f->valuestring, t->fields[i]->data);
    if (!same) {
        lxW_buf b;
        lxW_init(c->L, &b);
        for (int k = 0; k < t->nfields; k++)
            lxW_printf(&b, k ? ", %s" : "%s", t->fields[k]->data);
        char fb[300];
        char *text = cJSON_PrintUnformatted(fields);
        snprintf(fb, sizeof fb, "%s", text ? text : "?");
        cJSON_free(text);
        tree_fail(c, "the struct %s in the file has the fields %s (with %d values); the type has (%s)", name,
                  fb, cJSON_GetArraySize(vals), b.s ? b.s : "");
    }
    lxO_struct *s = lxO_struct_new(c->L, t);
    register_id(c, j, lxO_obj(s), "struct");
    i = 0;
    for (const cJSON *v = vals->child; v; v = v->next, i++) {
        lx_Value x = build(c, v, depth + 1);
        if (t->ftypes && t->ftypes[i] && !lxT_isa(c->L, x, t->ftypes[i]))
            tree_fail(c, "the field %s of a %s must be a %s; the file has a %s", t->fields[i]->data, name,
                      lxT_name(t->ftypes[i]), lxT_name(lxT_typeof(c->L, x)));
        s->fields[i] = x;
    }
    return lxO_obj(s);
}

static lx_Value seq_node(loader *c, const cJSON *j, const char *type, int depth)
{
    static const char *const keys[] = {"type", "values", NULL};
    expect_keys(c, j, type, keys, true);
    const cJSON *vals = array_member(c, j, "values", type);
    int n = cJSON_GetArraySize(vals);
    lx_Value *into;
    lx_Value out;
    if (!strcmp(type, "Tuple")) {
        lxO_tuple *t = lxO_tuple_new(c->L, n);
        into = t->items, out = lxO_obj(t);
    } else {
        lxO_list *l = lxO_list_new(c->L, (size_t)n);
        l->n = (size_t)n;
        for (int i = 0; i < n; i++)
            l->items[i] = lxO_nothing();
        into = l->items, out = lxO_obj(l);
    }
    register_id(c, j, out, type);
    int i = 0;
    for (const cJSON *v = vals->child; v; v = v->next)
        into[i++] = build(c, v, depth + 1);
    return out;
}

/* Names are interned, so a repeat is the same pointer: pairs for a few, a set for many. */
static void check_unique_names(loader *c, const lxO_ntuple *t)
{
    bool twice = false;
    int at = 0;
    if (t->n <= 32) {
        for (int i = 0; i < t->n && !twice; i++)
            for (int p = 0; p < i && !twice; p++)
                twice = t->names[p] == t->names[i], at = i;
    } else {
        pm_free(&c->names);
        for (int i = 0; i < t->n && !twice; i++) {
            bool isnew;
            pm_find(&c->names, t->names[i], &isnew);
            twice = !isnew, at = i;
        }
    }
    char nb[300];
    if (twice)
        tree_fail(c, "a NamedTuple node has the name %s twice", shown(t->names[at]->data, nb, sizeof nb));
}

static lx_Value ntuple_node(loader *c, const cJSON *j, int depth)
{
    static const char *const keys[] = {"type", "names", "values", NULL};
    expect_keys(c, j, "NamedTuple", keys, true);
    const cJSON *names = array_member(c, j, "names", "NamedTuple"),
                *vals = array_member(c, j, "values", "NamedTuple");
    int n = cJSON_GetArraySize(names);
    if (cJSON_GetArraySize(vals) != n)
        tree_fail(c, "a NamedTuple node has %d names and %d values", n, cJSON_GetArraySize(vals));
    lxO_ntuple *t = lxO_ntuple_new(c->L, n);
    int i = 0;
    for (const cJSON *k = names->child; k; k = k->next, i++) {
        if (!cJSON_IsString(k) || !*k->valuestring)
            tree_fail(c, "a NamedTuple node has a name that is not a non-empty string");
        t->names[i] = lxS_cstr(c->L, k->valuestring);
    }
    check_unique_names(c, t);
    for (i = 0; i < n; i++)
        t->vals[i] = lxO_nothing();
    register_id(c, j, lxO_obj(t), "NamedTuple");
    i = 0;
    for (const cJSON *v = vals->child; v; v = v->next)
        t->vals[i++] = build(c, v, depth + 1);
    return lxO_obj(t);
}

static lx_Value dict_node(loader *c, const cJSON *j, int depth)
{
    static const char *const keys[] = {"type", "keys", "values", NULL};
    expect_keys(c, j, "Dict", keys, true);
    const cJSON *ks = array_member(c, j, "keys", "Dict"), *vs = array_member(c, j, "values", "Dict");
    if (cJSON_GetArraySize(ks) != cJSON_GetArraySize(vs))
        tree_fail(c, "a Dict node has %d keys and %d values", cJSON_GetArraySize(ks), cJSON_GetArraySize(vs));
    lxO_dict *d = lxO_dict_new(c->L);
    register_id(c, j, lxO_obj(d), "Dict");
    const cJSON *v = vs->child;
    for (const cJSON *k = ks->child; k; k = k->next, v = v->next) {
        lx_Value key = build(c, k, depth + 1);
        if (!dict_key_ok(key))
            tree_fail(c, "a Dict node has a key of type %s (String, Symbol, Int64, Float64, Bool or nothing)",
                      lxT_name(lxT_typeof(c->L, key)));
        if (lxO_dict_get(c->L, d, key)) tree_fail(c, "a Dict node has a key twice");
        lxO_dict_set(c->L, d, key, build(c, v, depth + 1));
    }
    return lxO_obj(d);
}

static lx_Value xoshiro_node(loader *c, const cJSON *j)
{
    static const char *const keys[] = {"type", "state", NULL};
    expect_keys(c, j, "Xoshiro", keys, true);
    const cJSON *words = array_member(c, j, "state", "Xoshiro");
    lx_Value t = lxG_get(c->L, "Xoshiro");
    if (cJSON_GetArraySize(words) != 4 || !lxO_is(t, LXO_TYPE))
        tree_fail(c, "a Xoshiro node's state is not four words");
    nn_rng r;
    int i = 0;
    for (const cJSON *w = words->child; w; w = w->next, i++)
        if (!cJSON_IsString(w) || !parse_u64(w->valuestring, &r.s[i]))
            tree_fail(c, "a Xoshiro node's state is not four unsigned 64-bit integers (as strings)");
    if (!(r.s[0] | r.s[1] | r.s[2] | r.s[3])) tree_fail(c, "a Xoshiro node's state is all zeros");
    lxO_cdata *g = lxO_cdata_new(c->L, lxO_as(lxO_type, t), sizeof(nn_rng));
    memcpy(g->data, &r, sizeof r);
    register_id(c, j, lxO_obj(g), "Xoshiro");
    return lxO_obj(g);
}

static lx_Value build(loader *c, const cJSON *j, int depth)
{
    if (depth > MAX_DEPTH) tree_fail(c, "the tree is nested more than %d levels deep", MAX_DEPTH);
    if (cJSON_IsNull(j)) return lxO_nothing();
    if (cJSON_IsBool(j)) return lxO_bool(cJSON_IsTrue(j));
    if (cJSON_IsString(j)) return lxO_cstr(c->L, j->valuestring);
    if (!cJSON_IsObject(j)) tree_fail(c, "a node is a JSON %s", cJSON_IsArray(j) ? "list" : "number");
    const cJSON *ref = member(j, "ref");
    if (ref) {
        int64_t k;
        if (j->child != ref || ref->next || !json_count(ref, &k) || k >= (int64_t)c->nids)
            tree_fail(c, "a ref node does not name an object defined before it");
        return c->ids[k];
    }
    const cJSON *ty = member(j, "type");
    if (!cJSON_IsString(ty)) tree_fail(c, "a node has no type");
    const char *type = ty->valuestring;
    if (!strcmp(type, "Int64") || !strcmp(type, "Float64") || !strcmp(type, "Float32"))
        return number_node(c, j, type);
    if (!strcmp(type, "Symbol")) {
        static const char *const keys[] = {"type", "value", NULL};
        expect_keys(c, j, type, keys, false);
        return lxO_sym(lxS_cstr(c->L, string_member(c, j, "value", type)));
    }
    if (!strcmp(type, "Tensor")) return tensor_node(c, j);
    if (!strcmp(type, "Tuple") || !strcmp(type, "List")) return seq_node(c, j, type, depth);
    if (!strcmp(type, "NamedTuple")) return ntuple_node(c, j, depth);
    if (!strcmp(type, "Dict")) return dict_node(c, j, depth);
    if (!strcmp(type, "struct")) return struct_node(c, j, depth);
    if (!strcmp(type, "Xoshiro")) return xoshiro_node(c, j);
    char tb[300];
    tree_fail(c, "a node has the unknown type %s", shown(type, tb, sizeof tb));
}

/* A file without an lx tree (PyTorch's, say): a Dict of its tensors by name, in name order. */
static lx_Value tensor_dict(loader *c)
{
    lxO_dict *d = lxO_dict_new(c->L);
    for (size_t i = 0; i < c->nentries; i++)
        lxO_dict_set(c->L, d, lxO_cstr(c->L, c->entries[i].name), c->entries[i].tensor);
    return lxO_obj(d);
}

static void load_run(lx_State *L, void *ud)
{
    loader *c = ud;
    if (!host_little())
        load_fail(c, "safetensors files are little-endian; this machine is not (unsupported)");
    read_header(c);
    if (c->tensors_only) c->lx = NULL;
    if (c->lx) c->tree = parse_json(c, c->lx->valuestring, strlen(c->lx->valuestring), "__metadata__ \"lx\"");
    read_tensors(c);
    if (!c->lx) {
        c->result = tensor_dict(c);
        return;
    }
    static const char *const keys[] = {"version", "tree", NULL};
    if (!cJSON_IsObject(c->tree)) tree_fail(c, "not a JSON object");
    expect_keys(c, c->tree, "root", keys, false);
    int64_t version;
    if (!json_count(member(c->tree, "version"), &version) || version != 1)
        tree_fail(c, "format version %s (this lx reads version 1)",
                  cJSON_IsNumber(member(c->tree, "version")) ? "newer than 1" : "missing");
    c->result = build(c, member(c->tree, "tree"), 0);
    char nb[300];
    for (size_t i = 0; i < c->nentries; i++)
        if (!c->entries[i].used)
            tree_fail(c, "the file holds the tensor %s, which the tree does not place",
                      shown(c->entries[i].name, nb, sizeof nb));
}

static void load_cleanup(void *ud)
{
    loader *c = ud;
    if (c->fp) fclose(c->fp);
    c->fp = NULL;
    cJSON_Delete(c->json);
    cJSON_Delete(c->tree);
    c->json = c->tree = NULL;
    if (c->head) lxM_free(c->L, c->head, (size_t)c->hlen + 1);
    if (c->entries) lxM_free(c->L, c->entries, c->capentries * sizeof *c->entries);
    if (c->byoff) lxM_free(c->L, c->byoff, c->capentries * sizeof *c->byoff);
    if (c->mkeys) lxM_free(c->L, c->mkeys, c->capmkeys * sizeof *c->mkeys);
    if (c->ids) lxM_free(c->L, c->ids, c->capids * sizeof *c->ids);
    pm_free(&c->names);
    c->head = NULL, c->entries = NULL, c->byoff = NULL, c->mkeys = NULL, c->ids = NULL;
}

static lx_Value load_file(lx_State *L, const char *path, const char *fname, bool tensors_only)
{
    lxL_need(L, LX_LIB_FILES, fname);
    lxG_load_deferred(L); /* the library's struct types (Leaf, Adam, ...) before any is looked up */
    loader c;
    memset(&c, 0, sizeof c);
    c.L = L, c.path = path, c.fname = fname, c.result = lxO_nothing(), c.tensors_only = tensors_only;
    c.names.L = L;
    protect(L, load_run, load_cleanup, &c);
    return c.result;
}

static lx_Value s_load(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxL_need(L, LX_LIB_FILES, "load");
    return load_file(L, path_arg(L, a, 0, "load"), "load", false);
}

/* __load_tensors(path, fname): the file's tensors as a Dict by name (its lx tree, if any, ignored);
 * fname is the function its messages name. */
static lx_Value s_load_tensors(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const char *fname = lxL_string(L, a, 1, "__load_tensors")->data;
    lxL_need(L, LX_LIB_FILES, fname);
    return load_file(L, path_arg(L, a, 0, fname), fname, true);
}

#define EX(body) "\n\n# Examples\n```\n" body "```"
#define SAVE_DOC                                                                                             \
    "    save(path, x)\n\n"                                                                                  \
    "Saves x (parameters, states, optimiser states: any tree of them) to a safetensors file, the format "    \
    "Python's `safetensors` reads (`safetensors.torch.load_file(path)`). Each tensor is stored once under "  \
    "its dotted path (`layer_1.weight`; tuple and List elements by position, `layer_1.1`), its bytes as lx " \
    "holds them with the shape reversed into row-major order: `Dense(3 => 2)`'s (2, 3) weight is `[3, 2]`, " \
    "a conv kernel (kW, kH, Cin, Cout) is PyTorch's `[Cout, Cin, kH, kW]`. The tree itself and the leaves "  \
    "that are not tensors go into `__metadata__[\"lx\"]` as JSON, integers and floats as text so that "      \
    "nothing loses bits. A tensor or object reached at several places (tied weights) is stored once and "    \
    "`load` ties it again. The file is canonical (tensors sorted by name, the header padded with spaces to " \
    "a multiple of 8) and written atomically: a temporary file beside `path` replaces it only when "         \
    "complete, "                                                                                             \
    "so a failure or a crash leaves the old file.\n\n"                                                       \
    "## Arguments\n\n"                                                                                       \
    "  - `path`: the file to write (replaced if it exists).\n"                                               \
    "  - `x`: tensors (on the CPU), numbers, Bools, Strings, Symbols, `nothing`, and tuples, named tuples, " \
    "Lists, Dicts (String, Symbol, number, Bool or `nothing` keys) and structs of them (optimiser rules, "   \
    "`Leaf`s, `Val`s, your own), and `Xoshiro` generators.\n\n"                                              \
    "## Returns\n\n"                                                                                         \
    "`nothing`. A value of another kind (a function, a range, a model's layer holding one) is an "           \
    "`ArgumentError` naming its path; a file that cannot be written is an `IOError`. "                       \
    "`save(path, ts::TrainState)` writes a training checkpoint." EX(                                         \
        "lx> p = joinpath(tempdir(), \"lx_doc_save.safetensors\");\n\n"                                      \
        "lx> ps, st = setup(Xoshiro(0), Dense(3 => 2));\n\n"                                                 \
        "lx> save(p, (ps = ps, st = st, epoch = 3))\n\n"                                                     \
        "lx> x = load(p); x.ps == ps, x.epoch\n(true, 3)\n\n"                                                \
        "lx> rm(p)\n")
#define LOAD_DOC                                                                                             \
    "    load(path)\n\n"                                                                                     \
    "Reads a safetensors file written by `save`: the tree comes back as it was, with the same types, "       \
    "element types, sizes and bits, tensors tied where they were tied (`===`), generators in the state "     \
    "they were in. Structs are built directly from their fields (their constructors do not run), so their "  \
    "types must exist in the loading session. A file without lx's tree (one written by PyTorch) gives a "    \
    "`Dict` of its tensors by name, each with the shape reversed (lx's column-major order), F16 and BF16 "   \
    "widened to Float32. Loading runs no code from the file and checks everything before trusting it: the "  \
    "header's length and JSON, every entry's dtype, shape and byte range (inside the data, no overlaps, no " \
    "holes), UTF-8 names, and the tree.\n\n"                                                                 \
    "## Arguments\n\n"                                                                                       \
    "  - `path`: the file.\n\n"                                                                              \
    "## Returns\n\n"                                                                                         \
    "The tree saved. Any problem with the file is an `IOError` naming the file and the problem, raised "     \
    "before anything in it is used. `load(path, model)` reads a training checkpoint." EX(                    \
        "lx> p = joinpath(tempdir(), \"lx_doc_load.safetensors\");\n\n"                                      \
        "lx> w = Float32[1 2; 3 4]; save(p, (a = w, b = w, n = typemax(Int64)))\n\n"                         \
        "lx> x = load(p); x.a == w, x.n\n(true, 9223372036854775807)\n\n"                                    \
        "lx> x.a === x.b\ntrue\n\n"                                                                          \
        "lx> write(p, \"not a model file\"); try load(p) catch e; e isa IOError end\ntrue\n\n"               \
        "lx> rm(p)\n")

/* ---- registration -------------------------------------------------------------------------------------- */

static const lxL_Reg safetensors_lib[] = {
    {"save", "(path::AbstractString, x)", s_save, SAVE_DOC},
    {"load", "(path::AbstractString)", s_load, LOAD_DOC},
    {"__load_tensors", "(path::String, fname::String)", s_load_tensors, NULL},
    {"__write_fault", "(nbytes)", s_write_fault, NULL},
    {NULL, NULL, NULL, NULL}};

void lxL_open_safetensors(lx_State *L)
{
    lxL_register(L, safetensors_lib);
}
