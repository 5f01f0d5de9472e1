/* strings.c — strings as Julia has them: UTF-8 bytes indexed by byte, a
 * character a lead byte and its continuation bytes (as `for c in s` walks
 * them), `length` counting characters.  lx has no Char type: a character is
 * a 1-character String, so `s[i]`, `first(s)` and the predicates (`isdigit`,
 * ...) take and give those.  Case mapping covers ASCII, Latin-1, Latin
 * Extended-A, Greek and Cyrillic.
 */
#include "lib.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- UTF-8 ------------------------------------------------------------------------------------ */

static bool is_cont(const lxO_string *s, size_t i)
{
    return ((unsigned char)s->data[i] & 0xC0) == 0x80;
}

/* Whether byte i (0-based) starts a character. */
static bool is_start(const lxO_string *s, size_t i)
{
    return i == 0 || (i < s->len && !is_cont(s, i));
}

/* The byte after the character that starts at (or contains) byte i. */
static size_t char_end(const lxO_string *s, size_t i)
{
    i++;
    while (i < s->len && is_cont(s, i))
        i++;
    return i;
}

/* The start of the character that contains byte i. */
static size_t char_start(const lxO_string *s, size_t i)
{
    while (i > 0 && is_cont(s, i))
        i--;
    return i;
}

static size_t nchars(const lxO_string *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->len; i++)
        n += is_start(s, i);
    return n;
}

#define BADCHAR 0xFFFFFFFFu

/* The code point of the bytes p[0..n), BADCHAR when they are not one
 * well-formed character. */
static uint32_t decode(const char *p, size_t n)
{
    unsigned c0 = (unsigned char)p[0];
    if (n == 1) return c0 < 0x80 ? c0 : BADCHAR;
    size_t want = c0 >= 0xF0 && c0 < 0xF8 ? 4 : c0 >= 0xE0 ? 3 : c0 >= 0xC0 ? 2 : 0;
    if (want != n) return BADCHAR;
    uint32_t c = c0 & (0x7Fu >> n);
    for (size_t k = 1; k < n; k++)
        c = c << 6 | ((unsigned char)p[k] & 0x3F);
    return c;
}

static size_t encode(uint32_t c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | c >> 6);
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | c >> 12);
        out[1] = (char)(0x80 | (c >> 6 & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | c >> 18);
    out[1] = (char)(0x80 | (c >> 12 & 0x3F));
    out[2] = (char)(0x80 | (c >> 6 & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* ---- characters: case and classes -------------------------------------------------------------- */

static bool latin_ext_odd_upper(uint32_t c)
{
    return (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
}

static uint32_t to_upper(uint32_t c)
{
    if (c < 0x80) return c >= 'a' && c <= 'z' ? c - 32 : c;
    if (c == 0xB5) return 0x39C;
    if (c == 0xFF) return 0x178;
    if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 32;
    if (c >= 0x100 && c <= 0x17F) {
        if (c == 0x131) return 'I';
        if (c == 0x17F) return 'S';
        if (c == 0x130 || c == 0x138 || c == 0x149 || c == 0x178) return c;
        if (latin_ext_odd_upper(c)) return c & 1 ? c : c - 1;
        return c & 1 ? c - 1 : c;
    }
    if (c >= 0x3B1 && c <= 0x3C9) return c == 0x3C2 ? 0x3A3 : c - 32;
    if (c == 0x3AC) return 0x386;
    if (c >= 0x3AD && c <= 0x3AF) return c - 37;
    if (c == 0x3CC) return 0x38C;
    if (c == 0x3CD || c == 0x3CE) return c - 63;
    if (c >= 0x430 && c <= 0x44F) return c - 32;
    if (c >= 0x450 && c <= 0x45F) return c - 80;
    return c;
}

static uint32_t to_lower(uint32_t c)
{
    if (c < 0x80) return c >= 'A' && c <= 'Z' ? c + 32 : c;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
    if (c == 0x178) return 0xFF;
    if (c >= 0x100 && c <= 0x17F) {
        if (c == 0x130) return 'i';
        if (c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17F) return c;
        if (latin_ext_odd_upper(c)) return c & 1 ? c + 1 : c;
        return c & 1 ? c : c + 1;
    }
    if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 32;
    if (c == 0x386) return 0x3AC;
    if (c >= 0x388 && c <= 0x38A) return c + 37;
    if (c == 0x38C) return 0x3CC;
    if (c == 0x38E || c == 0x38F) return c + 63;
    if (c >= 0x410 && c <= 0x42F) return c + 32;
    if (c >= 0x400 && c <= 0x40F) return c + 80;
    return c;
}

/* Letters of the Latin, Greek, Cyrillic, Armenian, Hebrew, Arabic,
 * Devanagari, kana, CJK and Hangul blocks (an approximation of Unicode's L
 * categories that covers the scripts identifiers use). */
static bool is_letter(uint32_t c)
{
    if (c < 0x80) return (c | 32) >= 'a' && (c | 32) <= 'z';
    if (c == BADCHAR) return false;
    if (c == 0xAA || c == 0xB5 || c == 0xBA) return true;
    if (c >= 0xC0 && c <= 0x2AF) return c != 0xD7 && c != 0xF7;
    if (c >= 0x370 && c <= 0x3FF)
        return c != 0x374 && c != 0x375 && c != 0x37E && c != 0x384 && c != 0x385 && c != 0x387 &&
               c != 0x3F6 && !(c >= 0x378 && c <= 0x37A) && !(c >= 0x380 && c <= 0x383) && c != 0x38B &&
               c != 0x38D && c != 0x3A2;
    if (c >= 0x400 && c <= 0x52F) return !(c >= 0x482 && c <= 0x489);
    return (c >= 0x531 && c <= 0x556) || (c >= 0x561 && c <= 0x587) || (c >= 0x5D0 && c <= 0x5EA) ||
           (c >= 0x620 && c <= 0x64A) || (c >= 0x904 && c <= 0x939) || (c >= 0x1E00 && c <= 0x1FBC) ||
           (c >= 0x3041 && c <= 0x3096) || (c >= 0x30A1 && c <= 0x30FA) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7A3);
}

static bool is_space(uint32_t c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
           c == 0x3000;
}

static bool is_upper(uint32_t c)
{
    return to_lower(c) != c;
}

static bool is_lower(uint32_t c)
{
    return to_upper(c) != c || c == 0xDF || c == 0x138 || c == 0x149;
}

/* ---- errors ------------------------------------------------------------------------------------- */

/* BoundsError for a String carries its message in `a` (interp/show.c). */
static void bounds_error(lx_State *L, const lxO_string *s, const char *index) __attribute__((noreturn));
static void bounds_error(lx_State *L, const lxO_string *s, const char *index)
{
    char msg[160];
    snprintf(msg, sizeof msg, "attempt to access %zu-codeunit String at index [%s]", s->len, index);
    lxO_struct *e = lxO_struct_new(L, L->T[LXT_BoundsError]);
    e->fields[0] = lxO_cstr(L, msg);
    e->fields[1] = lxO_nothing();
    lxE_throw(L, lxO_obj(e));
}

static void bounds_error_at(lx_State *L, const lxO_string *s, int64_t i) __attribute__((noreturn));
static void bounds_error_at(lx_State *L, const lxO_string *s, int64_t i)
{
    char idx[32];
    snprintf(idx, sizeof idx, "%lld", (long long)i);
    bounds_error(L, s, idx);
}

/* Julia's StringIndexError, as an ArgumentError: byte i (1-based) is
 * inside a character. */
static void index_error(lx_State *L, const lxO_string *s, int64_t i) __attribute__((noreturn));
static void index_error(lx_State *L, const lxO_string *s, int64_t i)
{
    size_t a = char_start(s, (size_t)i - 1), b = char_end(s, a);
    char msg[200];
    int n = snprintf(msg, sizeof msg, "invalid index [%lld], valid nearby indices [%zu]=>\"%.*s\"",
                     (long long)i, a + 1, (int)(b - a), s->data + a);
    if (b < s->len && n > 0 && (size_t)n < sizeof msg)
        snprintf(msg + n, sizeof msg - (size_t)n, ", [%zu]=>\"%.*s\"", b + 1, (int)(char_end(s, b) - b),
                 s->data + b);
    lxE_error(L, LXT_ArgumentError, "%s", msg);
}

/* ---- helpers --------------------------------------------------------------------------------------- */

static lxO_string *str_arg(lx_Value v)
{
    return lxO_as(lxO_string, v);
}

static lx_Value sub(lx_State *L, const lxO_string *s, size_t a, size_t b)
{
    return lxO_str(L, s->data + a, b - a);
}

static lx_Value buf_result(lx_State *L, lxW_buf *b)
{
    lx_Value r = lxO_str(L, b->s ? b->s : "", b->len);
    lxW_free(b);
    return r;
}

/* A growing text buffer that is a GC object (an IOBuffer), for built-ins
 * that call back into lx while they build: an error in the callback leaves
 * nothing to free. */
static lxO_io *gcbuf_new(lx_State *L)
{
    lxO_io *io = lxO_new(L, sizeof *io, LXO_IO, L->T[LXT_IO]);
    io->io = LXIO_BUFFER;
    io->writable = io->readable = true;
    return io;
}

static void gcbuf_add(lx_State *L, lxO_io *io, const char *s, size_t n)
{
    lxL_iowrite(L, lxO_obj(io), s, n);
}

/* print(io, x) into the buffer (strings directly; others through `print`,
 * so user show methods apply). */
static void gcbuf_print(lx_State *L, lxO_io *io, lx_Value x)
{
    if (lxO_is(x, LXO_STRING)) {
        gcbuf_add(L, io, str_arg(x)->data, str_arg(x)->len);
        return;
    }
    lx_Value args[2] = {lxO_obj(io), x};
    lxL_callg(L, "print", args, 2);
}

static lx_Value gcbuf_result(lx_State *L, lxO_io *io)
{
    return lxO_str(L, io->buf ? io->buf : "", io->len);
}

/* Byte offset of the first match of t in s at or after byte from, or -1. */
static int64_t find_fwd(const lxO_string *s, const lxO_string *t, size_t from)
{
    if (t->len == 0) return from <= s->len ? (int64_t)from : -1;
    for (size_t i = from; i + t->len <= s->len; i++) {
        const char *p = memchr(s->data + i, t->data[0], s->len - t->len - i + 1);
        if (!p) return -1;
        i = (size_t)(p - s->data);
        if (!memcmp(p, t->data, t->len)) return (int64_t)i;
    }
    return -1;
}

/* Byte offset of the last match of t in s starting at or before byte from, or -1. */
static int64_t find_back(const lxO_string *s, const lxO_string *t, int64_t from)
{
    if (t->len > s->len) return -1;
    int64_t i = from < (int64_t)(s->len - t->len) ? from : (int64_t)(s->len - t->len);
    for (; i >= 0; i--)
        if (!memcmp(s->data + i, t->data, t->len)) return i;
    return -1;
}

/* A match of bytes [a, b) as Julia's range of character indices a+1 : start of the last character. */
static lx_Value match_range(lx_State *L, const lxO_string *s, int64_t a, size_t n)
{
    if (a < 0) return lxO_nothing();
    int64_t stop = n ? (int64_t)char_start(s, (size_t)a + n - 1) + 1 : a;
    return lxO_obj(lxO_range_int(L, a + 1, 1, stop));
}

/* ---- character predicates (a set, a list of characters, or a function) ---------------------------- */

typedef struct {
    lx_Value spec; /* nothing: isspace */
} charpred;

static bool same_bytes(lx_Value v, const char *p, size_t n)
{
    return lxO_is(v, LXO_STRING) && str_arg(v)->len == n && !memcmp(str_arg(v)->data, p, n);
}

/* Whether the character at bytes [a, b) of s satisfies the predicate. */
static bool pred_match(lx_State *L, const charpred *p, const lxO_string *s, size_t a, size_t b)
{
    lx_Value spec = p->spec;
    if (spec.tag == LX_TNOTHING) return is_space(decode(s->data + a, b - a));
    if (lxO_is(spec, LXO_STRING)) { /* a set of characters */
        const lxO_string *set = str_arg(spec);
        for (size_t i = 0; i < set->len; i = char_end(set, i))
            if (char_end(set, i) - i == b - a && !memcmp(set->data + i, s->data + a, b - a)) return true;
        return false;
    }
    if (lxO_is(spec, LXO_LIST) || lxO_is(spec, LXO_TUPLE)) {
        lx_Value *items =
            lxO_is(spec, LXO_LIST) ? lxO_as(lxO_list, spec)->items : lxO_as(lxO_tuple, spec)->items;
        size_t n = lxO_is(spec, LXO_LIST) ? lxO_as(lxO_list, spec)->n : (size_t)lxO_as(lxO_tuple, spec)->n;
        for (size_t i = 0; i < n; i++)
            if (same_bytes(items[i], s->data + a, b - a)) return true;
        return false;
    }
    lx_Value c = sub(L, s, a, b);
    lx_Value r = lxV_call(L, spec, &c, 1, lxO_nothing());
    if (r.tag != LX_TBOOL) lxE_typeerror(L, "a character predicate", "a Bool result", r);
    return r.v.b;
}

/* ---- length and indices ---------------------------------------------------------------------------- */

static lx_Value s_length(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_int((int64_t)nchars(str_arg(a[0])));
}

static lx_Value s_sizeof(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_int((int64_t)str_arg(a[0])->len);
}

static lx_Value s_codeunit(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const lxO_string *s = str_arg(a[0]);
    int64_t i = lxL_int(L, a, 1, "codeunit");
    if (i < 1 || i > (int64_t)s->len) bounds_error_at(L, s, i);
    return lxO_int((unsigned char)s->data[i - 1]);
}

static lx_Value s_isempty(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_bool(str_arg(a[0])->len == 0);
}

static lx_Value s_firstindex(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_int(1);
}

static lx_Value s_lastindex(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const lxO_string *s = str_arg(a[0]);
    return lxO_int(s->len ? (int64_t)char_start(s, s->len - 1) + 1 : 0);
}

static bool valid_index(const lxO_string *s, int64_t i)
{
    return i >= 1 && i <= (int64_t)s->len && is_start(s, (size_t)i - 1);
}

static lx_Value s_isvalid(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_bool(valid_index(str_arg(a[0]), lxL_int(L, a, 1, "isvalid")));
}

static int64_t this_index(lx_State *L, const lxO_string *s, int64_t i)
{
    if (i == 0 || i == (int64_t)s->len + 1) return i;
    if (i < 0 || i > (int64_t)s->len) bounds_error_at(L, s, i);
    return (int64_t)char_start(s, (size_t)i - 1) + 1;
}

static lx_Value s_thisind(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_int(this_index(L, str_arg(a[0]), lxL_int(L, a, 1, "thisind")));
}

static int64_t steps_arg(lx_State *L, lx_Value *a, int n, const char *fname)
{
    int64_t k = n == 3 ? lxL_int(L, a, 2, fname) : 1;
    if (k < 0) lxE_error(L, LXT_ArgumentError, "n cannot be negative: %lld", (long long)k);
    return k;
}

/* Julia's nextind(s, i, n): n characters on from i; past the end each step adds 1. */
static lx_Value s_nextind(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const lxO_string *s = str_arg(a[0]);
    int64_t i = lxL_int(L, a, 1, "nextind"), k = steps_arg(L, a, n, "nextind"), z = (int64_t)s->len;
    if (i < 0 || i > z) bounds_error_at(L, s, i);
    if (k == 0) {
        if (this_index(L, s, i) != i) index_error(L, s, i);
        return lxO_int(i);
    }
    while (k > 0 && i < z)
        k -= valid_index(s, ++i);
    return lxO_int(i + k);
}

static lx_Value s_prevind(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const lxO_string *s = str_arg(a[0]);
    int64_t i = lxL_int(L, a, 1, "prevind"), k = steps_arg(L, a, n, "prevind"), z = (int64_t)s->len + 1;
    if (i <= 0 || i > z) bounds_error_at(L, s, i);
    if (k == 0) {
        if (this_index(L, s, i) != i) index_error(L, s, i);
        return lxO_int(i);
    }
    while (k > 0 && i > 1)
        k -= valid_index(s, --i);
    return lxO_int(i - k);
}

static lx_Value s_getindex(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const lxO_string *s = str_arg(a[0]);
    int64_t i = lxL_int(L, a, 1, "getindex");
    if (i < 1 || i > (int64_t)s->len) bounds_error_at(L, s, i);
    if (!is_start(s, (size_t)i - 1)) index_error(L, s, i);
    return sub(L, s, (size_t)i - 1, char_end(s, (size_t)i - 1));
}

static lx_Value s_getindex_range(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const lxO_string *s = str_arg(a[0]);
    const lxO_range *r = lxO_as(lxO_range, a[1]);
    if (r->isfloat) lxE_typeerror(L, "getindex(::String, range)", "a range of integers", a[1]);
    if (r->len <= 0) return lxO_cstr(L, "");
    int64_t first = r->start.i, last = r->start.i + (r->len - 1) * r->step.i;
    int64_t lo = first < last ? first : last, hi = first < last ? last : first;
    if (lo < 1 || hi > (int64_t)s->len) {
        lxW_buf b;
        lxW_init(L, &b);
        lxW_repr(&b, a[1]);
        char idx[80];
        snprintf(idx, sizeof idx, "%s", b.s);
        lxW_free(&b);
        bounds_error(L, s, idx);
    }
    if (r->step.i == 1) {
        if (!is_start(s, (size_t)first - 1)) index_error(L, s, first);
        if (!is_start(s, (size_t)last - 1)) index_error(L, s, last);
        return sub(L, s, (size_t)first - 1, char_end(s, (size_t)last - 1));
    }
    for (int64_t k = 0; k < r->len; k++) {
        int64_t i = r->start.i + k * r->step.i;
        if (!is_start(s, (size_t)i - 1)) index_error(L, s, i);
    }
    lxW_buf b;
    lxW_init(L, &b);
    for (int64_t k = 0; k < r->len; k++) {
        size_t i = (size_t)(r->start.i + k * r->step.i) - 1;
        lxW_add(&b, s->data + i, char_end(s, i) - i);
    }
    return buf_result(L, &b);
}

static lx_Value s_codepoint(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const lxO_string *s = str_arg(a[0]);
    uint32_t c = s->len ? decode(s->data, s->len) : BADCHAR;
    if (s->len == 0 || char_end(s, 0) != s->len || c == BADCHAR) {
        lxW_buf b;
        lxW_init(L, &b);
        lxW_repr(&b, a[0]);
        char msg[200];
        snprintf(msg, sizeof msg, "codepoint: expected a 1-character string, got %s", b.s);
        lxW_free(&b);
        lxE_error(L, LXT_ArgumentError, "%s", msg);
    }
    return lxO_int(c);
}

/* ---- building strings ------------------------------------------------------------------------------------
 */

static lx_Value s_concat(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (n == 1) return a[0];
    lxW_buf b;
    lxW_init(L, &b);
    for (int i = 0; i < n; i++)
        lxW_add(&b, str_arg(a[i])->data, str_arg(a[i])->len);
    return buf_result(L, &b);
}

static lx_Value s_repeat(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const lxO_string *s = str_arg(a[0]);
    int64_t k = lxL_int(L, a, 1, "repeat");
    if (k < 0) lxE_error(L, LXT_ArgumentError, "can't repeat a string %lld times", (long long)k);
    if (s->len && (uint64_t)k > ((uint64_t)1 << 40) / s->len) /* at most 1 TiB */
        lxE_error(L, LXT_ArgumentError, "repeat: %lld copies of a %zu-byte string are too long", (long long)k,
                  s->len);
    lxW_buf b;
    lxW_init(L, &b);
    for (int64_t i = 0; i < k; i++)
        lxW_add(&b, s->data, s->len);
    return buf_result(L, &b);
}

typedef enum { C_UPPER, C_LOWER, C_TITLE, C_UPPERFIRST, C_LOWERFIRST } casemode;

static lx_Value change_case(lx_State *L, const lxO_string *s, casemode m)
{
    lxW_buf b;
    lxW_init(L, &b);
    bool wordstart = true;
    for (size_t i = 0; i < s->len;) {
        size_t e = char_end(s, i);
        uint32_t c = decode(s->data + i, e - i), d = c;
        if (c != BADCHAR) {
            switch (m) {
            case C_UPPER: d = to_upper(c); break;
            case C_LOWER: d = to_lower(c); break;
            case C_TITLE: /* Julia's titlecase: a letter after a non-letter starts a word */
                d = !is_letter(c) ? c : wordstart ? to_upper(c) : to_lower(c);
                wordstart = !is_letter(c);
                break;
            case C_UPPERFIRST: d = i == 0 ? to_upper(c) : c; break;
            case C_LOWERFIRST: d = i == 0 ? to_lower(c) : c; break;
            }
        } else {
            wordstart = true;
        }
        if (d == c) {
            lxW_add(&b, s->data + i, e - i);
        } else {
            char out[4];
            lxW_add(&b, out, encode(d, out));
        }
        i = e;
    }
    return buf_result(L, &b);
}

static lx_Value s_uppercase(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return change_case(L, str_arg(a[0]), C_UPPER);
}
static lx_Value s_lowercase(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return change_case(L, str_arg(a[0]), C_LOWER);
}
static lx_Value s_titlecase(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return change_case(L, str_arg(a[0]), C_TITLE);
}
static lx_Value s_uppercasefirst(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return change_case(L, str_arg(a[0]), C_UPPERFIRST);
}
static lx_Value s_lowercasefirst(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return change_case(L, str_arg(a[0]), C_LOWERFIRST);
}

static lx_Value s_reverse(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const lxO_string *s = str_arg(a[0]);
    lxW_buf b;
    lxW_init(L, &b);
    for (size_t e = s->len; e > 0;) {
        size_t i = char_start(s, e - 1);
        lxW_add(&b, s->data + i, e - i);
        e = i;
    }
    return buf_result(L, &b);
}

/* x as a String: itself, or its printed text. */
static lx_Value as_string(lx_State *L, lx_Value x)
{
    if (lxO_is(x, LXO_STRING)) return x;
    return lxL_callg(L, "string", &x, 1);
}

static lx_Value pad(lx_State *L, lx_Value *a, int n, bool left)
{
    const char *fname = left ? "lpad" : "rpad";
    int64_t width = lxL_int(L, a, 1, fname);
    const lxO_string *p = n == 3 ? lxL_string(L, a, 2, fname) : NULL;
    lx_Value sv = as_string(L, a[0]);
    const lxO_string *s = str_arg(sv);
    int64_t m = width - (int64_t)nchars(s);
    if (m <= 0) return sv;
    size_t plen = p ? nchars(p) : 1;
    if (plen == 0) lxE_error(L, LXT_ArgumentError, "%s: the padding string is empty", fname);
    lxW_buf b;
    lxW_init(L, &b);
    if (!left) lxW_add(&b, s->data, s->len);
    for (int64_t q = m / (int64_t)plen; q > 0; q--)
        lxW_add(&b, p ? p->data : " ", p ? p->len : 1);
    if (p) { /* then the first m % plen characters of the padding */
        size_t e = 0;
        for (int64_t r = m % (int64_t)plen; r > 0; r--)
            e = char_end(p, e);
        lxW_add(&b, p->data, e);
    }
    if (left) lxW_add(&b, s->data, s->len);
    return buf_result(L, &b);
}

static lx_Value s_lpad(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return pad(L, a, n, true);
}
static lx_Value s_rpad(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return pad(L, a, n, false);
}

static lx_Value s_string_ctor(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (lxO_is(a[0], LXO_STRING)) return a[0];
    if (a[0].tag == LX_TSYMBOL) {
        const lxO_string *s = (const lxO_string *)a[0].v.o;
        return lxO_str(L, s->data, s->len);
    }
    /* a list of characters (strings) or of bytes */
    const lxO_list *l = lxO_as(lxO_list, a[0]);
    lxW_buf b;
    lxW_init(L, &b);
    for (size_t i = 0; i < l->n; i++) {
        lx_Value x = l->items[i];
        if (lxO_is(x, LXO_STRING)) {
            lxW_add(&b, str_arg(x)->data, str_arg(x)->len);
        } else if (x.tag == LX_TINT && x.v.i >= 0 && x.v.i < 256) {
            char c = (char)x.v.i;
            lxW_add(&b, &c, 1);
        } else {
            lxW_free(&b);
            lxE_typeerror(L, "String(list)", "strings or bytes (integers 0 to 255)", x);
        }
    }
    return buf_result(L, &b);
}

/* ---- searching --------------------------------------------------------------------------------------------
 */

static lx_Value s_startswith(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const lxO_string *s = str_arg(a[0]), *p = str_arg(a[1]);
    return lxO_bool(p->len <= s->len && !memcmp(s->data, p->data, p->len));
}

static lx_Value s_endswith(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const lxO_string *s = str_arg(a[0]), *p = str_arg(a[1]);
    return lxO_bool(p->len <= s->len && !memcmp(s->data + s->len - p->len, p->data, p->len));
}

static lx_Value s_chopprefix(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const lxO_string *s = str_arg(a[0]), *p = str_arg(a[1]);
    return s_startswith(L, a, n, kw).v.b ? sub(L, s, p->len, s->len) : a[0];
}

static lx_Value s_chopsuffix(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const lxO_string *s = str_arg(a[0]), *p = str_arg(a[1]);
    return s_endswith(L, a, n, kw).v.b ? sub(L, s, 0, s->len - p->len) : a[0];
}

static lx_Value s_occursin(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_bool(find_fwd(str_arg(a[1]), str_arg(a[0]), 0) >= 0);
}

static lx_Value s_contains(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_bool(find_fwd(str_arg(a[0]), str_arg(a[1]), 0) >= 0);
}

static lx_Value s_findfirst(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const lxO_string *t = str_arg(a[0]), *s = str_arg(a[1]);
    return match_range(L, s, find_fwd(s, t, 0), t->len);
}

static lx_Value s_findlast(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const lxO_string *t = str_arg(a[0]), *s = str_arg(a[1]);
    return match_range(L, s, find_back(s, t, (int64_t)s->len), t->len);
}

static lx_Value s_findnext(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const lxO_string *t = str_arg(a[0]), *s = str_arg(a[1]);
    int64_t i = lxL_int(L, a, 2, "findnext");
    if (i < 1 || i > (int64_t)s->len + 1) bounds_error_at(L, s, i);
    return match_range(L, s, find_fwd(s, t, (size_t)i - 1), t->len);
}

static lx_Value s_findprev(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const lxO_string *t = str_arg(a[0]), *s = str_arg(a[1]);
    int64_t i = lxL_int(L, a, 2, "findprev");
    if (i < 0 || i > (int64_t)s->len + 1) bounds_error_at(L, s, i);
    return match_range(L, s, find_back(s, t, i - 1), t->len);
}

/* findfirst(pred, s) and findlast(pred, s): the byte index of the first
 * (last) character for which pred is true. */
static lx_Value s_findfirst_pred(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const lxO_string *s = str_arg(a[1]);
    charpred p = {a[0]};
    for (size_t i = 0; i < s->len; i = char_end(s, i))
        if (pred_match(L, &p, s, i, char_end(s, i))) return lxO_int((int64_t)i + 1);
    return lxO_nothing();
}

static lx_Value s_findlast_pred(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const lxO_string *s = str_arg(a[1]);
    charpred p = {a[0]};
    for (size_t e = s->len; e > 0;) {
        size_t i = char_start(s, e - 1);
        if (pred_match(L, &p, s, i, e)) return lxO_int((int64_t)i + 1);
        e = i;
    }
    return lxO_nothing();
}

static lx_Value s_count(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const lxO_string *t = str_arg(a[0]), *s = str_arg(a[1]);
    lx_Value ov = lxL_kw(L, kw, "overlap", lxO_bool(false));
    bool overlap = ov.tag == LX_TBOOL && ov.v.b;
    int64_t count = 0;
    for (int64_t j = find_fwd(s, t, 0); j >= 0; count++) {
        size_t next = overlap || t->len == 0 ? ((size_t)j < s->len ? char_end(s, (size_t)j) : s->len + 1)
                                             : (size_t)j + t->len;
        j = next <= s->len ? find_fwd(s, t, next) : -1;
    }
    return lxO_int(count);
}

static lx_Value s_cmp(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const lxO_string *s = str_arg(a[0]), *t = str_arg(a[1]);
    int c = memcmp(s->data, t->data, s->len < t->len ? s->len : t->len);
    if (c == 0) c = (s->len > t->len) - (s->len < t->len);
    return lxO_int(c < 0 ? -1 : c > 0);
}

/* ---- replace
 * ----------------------------------------------------------------------------------------------- */

/* replace(s, old => new, ...; count): at each position the first pattern
 * that matches is replaced, then the scan goes on after the match (an
 * empty pattern matches between characters, as in Julia). */
static lx_Value s_replace(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const lxO_string *s = str_arg(a[0]);
    int npat = n - 1;
    for (int k = 0; k < npat; k++) {
        lx_Value p = a[1 + k];
        if (!lxO_is(p, LXO_STRUCT) || p.v.o->type != L->T[LXT_Pair] ||
            !lxO_is(lxO_as(lxO_struct, p)->fields[0], LXO_STRING))
            lxE_typeerror(L, "replace", "pairs old => new with a String old", p);
    }
    lx_Value cv = lxL_kw(L, kw, "count", lxO_nothing());
    int64_t limit = cv.tag == LX_TNOTHING ? INT64_MAX : cv.tag == LX_TINT ? cv.v.i : -1;
    if (limit < 0) lxE_error(L, LXT_DomainError, "replace: `count` must be a non-negative integer");
    lxO_io *out = gcbuf_new(L);
    int mark = lxV_root(L, lxO_obj(out));
    int64_t done = 0;
    size_t i = 0;
    while (i <= s->len) {
        int hit = -1;
        if (done < limit)
            for (int k = 0; k < npat && hit < 0; k++) {
                const lxO_string *t = str_arg(lxO_as(lxO_struct, a[1 + k])->fields[0]);
                if (t->len <= s->len - i && !memcmp(s->data + i, t->data, t->len)) hit = k;
            }
        if (hit >= 0) {
            const lxO_struct *p = lxO_as(lxO_struct, a[1 + hit]);
            size_t mlen = str_arg(p->fields[0])->len;
            lx_Value rep = p->fields[1];
            if (lxT_isa(L, rep, L->T[LXT_Function])) {
                lx_Value m = sub(L, s, i, i + mlen);
                rep = lxV_call(L, rep, &m, 1, lxO_nothing());
            }
            gcbuf_print(L, out, rep);
            done++;
            if (mlen) {
                i += mlen;
                continue;
            }
        }
        if (i == s->len) break;
        size_t e = char_end(s, i);
        gcbuf_add(L, out, s->data + i, e - i);
        i = e;
    }
    lx_Value r = gcbuf_result(L, out);
    lxV_unroot(L, mark);
    return r;
}

/* ---- split and join
 * ---------------------------------------------------------------------------------------- */

/* The next match of the delimiter at or after byte k: bytes [*j, *e). */
static bool next_delim(lx_State *L, const lxO_string *s, lx_Value delim, size_t k, size_t *j, size_t *e)
{
    if (lxO_is(delim, LXO_STRING)) {
        int64_t m = k <= s->len ? find_fwd(s, str_arg(delim), k) : -1;
        if (m < 0) return false;
        *j = (size_t)m;
        *e = (size_t)m + str_arg(delim)->len;
        return true;
    }
    charpred p = {delim};
    for (size_t i = k; i < s->len; i = char_end(s, i))
        if (pred_match(L, &p, s, i, char_end(s, i))) {
            *j = i;
            *e = char_end(s, i);
            return true;
        }
    return false;
}

/* Julia's _split, on byte offsets. */
static lx_Value s_split(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const lxO_string *s = str_arg(a[0]);
    lx_Value delim = n == 2 ? a[1] : lxO_nothing();
    lx_Value lv = lxL_kw(L, kw, "limit", lxO_int(0)), kv = lxL_kw(L, kw, "keepempty", lxO_bool(n == 2));
    if (lv.tag != LX_TINT) lxE_typeerror(L, "split", "an integer limit", lv);
    if (kv.tag != LX_TBOOL) lxE_typeerror(L, "split", "a Bool keepempty", kv);
    int64_t limit = lv.v.i;
    bool keepempty = kv.v.b;
    lxO_list *out = lxO_list_new(L, 0);
    int mark = lxV_root(L, lxO_obj(out));
    size_t i = 0, j, k;
    if (next_delim(L, s, delim, 0, &j, &k)) {
        while (j < s->len && (int64_t)out->n != limit - 1) {
            if (i < k) {
                if (keepempty || i < j) lxO_list_push(L, out, sub(L, s, i, j));
                i = k;
            }
            if (k <= j) k = char_end(s, j);
            size_t e;
            if (!next_delim(L, s, delim, k, &j, &e)) break;
            k = e;
        }
    }
    if (keepempty || i < s->len) lxO_list_push(L, out, sub(L, s, i, s->len));
    lxV_unroot(L, mark);
    return lxO_obj(out);
}

/* The elements of an iterable, in a new list. */
static lxO_list *elements(lx_State *L, lx_Value xs)
{
    lxO_list *l = lxO_list_new(L, 0);
    int mark = lxV_root(L, lxO_obj(l));
    if (lxO_is(xs, LXO_LIST)) {
        const lxO_list *src = lxO_as(lxO_list, xs);
        for (size_t i = 0; i < src->n; i++)
            lxO_list_push(L, l, src->items[i]);
    } else if (lxO_is(xs, LXO_TUPLE)) {
        for (int i = 0; i < lxO_as(lxO_tuple, xs)->n; i++)
            lxO_list_push(L, l, lxO_as(lxO_tuple, xs)->items[i]);
    } else if (lxO_is(xs, LXO_NTUPLE)) {
        for (int i = 0; i < lxO_as(lxO_ntuple, xs)->n; i++)
            lxO_list_push(L, l, lxO_as(lxO_ntuple, xs)->vals[i]);
    } else if (lxO_is(xs, LXO_RANGE)) {
        const lxO_range *r = lxO_as(lxO_range, xs);
        for (int64_t i = 0; i < r->len; i++)
            lxO_list_push(L, l, lxO_range_at(r, i));
    } else if (lxO_is(xs, LXO_STRING)) {
        const lxO_string *s = str_arg(xs);
        for (size_t i = 0; i < s->len; i = char_end(s, i))
            lxO_list_push(L, l, sub(L, s, i, char_end(s, i)));
    } else if (lxO_is(xs, LXO_DICT)) {
        const lxO_dict *d = lxO_as(lxO_dict, xs);
        for (size_t i = 0; i < d->used; i++)
            if (d->entries[i].key.tag != LX_TUNDEF)
                lxO_list_push(L, l, lxO_pair(L, d->entries[i].key, d->entries[i].val));
    } else { /* the iterate protocol */
        lx_Value it = lxL_callg(L, "iterate", &xs, 1);
        while (it.tag != LX_TNOTHING) {
            if (!lxO_is(it, LXO_TUPLE) || lxO_as(lxO_tuple, it)->n != 2)
                lxE_error(L, LXT_TypeError, "iterate must return nothing or a tuple (item, state)");
            lxO_list_push(L, l, lxO_as(lxO_tuple, it)->items[0]);
            lx_Value args[2] = {xs, lxO_as(lxO_tuple, it)->items[1]};
            int m2 = lxV_root(L, it);
            it = lxL_callg(L, "iterate", args, 2);
            lxV_unroot(L, m2);
        }
    }
    lxV_unroot(L, mark);
    return l;
}

static void join_into(lx_State *L, lxO_io *out, lx_Value *a, int n)
{
    lxO_list *items = elements(L, a[0]);
    int mark = lxV_root(L, lxO_obj(items));
    lx_Value delim = n >= 2 ? a[1] : lxO_nothing(), last = n >= 3 ? a[2] : delim;
    for (size_t i = 0; i < items->n; i++) {
        if (i > 0 && n >= 2) gcbuf_print(L, out, i + 1 == items->n ? last : delim);
        gcbuf_print(L, out, items->items[i]);
    }
    lxV_unroot(L, mark);
}

static lx_Value s_join(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_io *out = gcbuf_new(L);
    int mark = lxV_root(L, lxO_obj(out));
    join_into(L, out, a, n);
    lx_Value r = gcbuf_result(L, out);
    lxV_unroot(L, mark);
    return r;
}

static lx_Value s_join_io(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_io *out = gcbuf_new(L);
    int mark = lxV_root(L, lxO_obj(out));
    join_into(L, out, a + 1, n - 1);
    lxL_iowrite(L, a[0], out->buf ? out->buf : "", out->len);
    lxV_unroot(L, mark);
    return lxO_nothing();
}

/* ---- trimming
 * ------------------------------------------------------------------------------------------------ */

static lx_Value trim(lx_State *L, lx_Value *a, int n, bool left, bool right)
{
    const lxO_string *s = str_arg(a[0]);
    charpred p = {n == 2 ? a[1] : lxO_nothing()};
    size_t i = 0, e = s->len;
    if (left)
        while (i < e && pred_match(L, &p, s, i, char_end(s, i)))
            i = char_end(s, i);
    if (right)
        while (e > i && pred_match(L, &p, s, char_start(s, e - 1), e))
            e = char_start(s, e - 1);
    return i == 0 && e == s->len ? a[0] : sub(L, s, i, e);
}

static lx_Value s_strip(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return trim(L, a, n, true, true);
}
static lx_Value s_lstrip(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return trim(L, a, n, true, false);
}
static lx_Value s_rstrip(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return trim(L, a, n, false, true);
}

static lx_Value s_chomp(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const lxO_string *s = str_arg(a[0]);
    size_t e = s->len;
    if (e && s->data[e - 1] == '\n') e -= e >= 2 && s->data[e - 2] == '\r' ? 2 : 1;
    return e == s->len ? a[0] : sub(L, s, 0, e);
}

static lx_Value s_chop(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const lxO_string *s = str_arg(a[0]);
    lx_Value hv = lxL_kw(L, kw, "head", lxO_int(0)), tv = lxL_kw(L, kw, "tail", lxO_int(1));
    if (hv.tag != LX_TINT || tv.tag != LX_TINT || hv.v.i < 0 || tv.v.i < 0)
        lxE_error(L, LXT_ArgumentError, "chop: head and tail must be non-negative integers");
    size_t i = 0, e = s->len;
    for (int64_t k = 0; k < hv.v.i && i < e; k++)
        i = char_end(s, i);
    for (int64_t k = 0; k < tv.v.i && e > i; k++)
        e = char_start(s, e - 1);
    return sub(L, s, i, e);
}

/* first(s) and last(s) are s[1] and s[end]; with n, n characters. */
static lx_Value s_first(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const lxO_string *s = str_arg(a[0]);
    if (n == 1) {
        if (s->len == 0) bounds_error_at(L, s, 1);
        return sub(L, s, 0, char_end(s, 0));
    }
    int64_t k = lxL_int(L, a, 1, "first");
    if (k < 0) lxE_error(L, LXT_ArgumentError, "n cannot be negative: %lld", (long long)k);
    size_t e = 0;
    for (; k > 0 && e < s->len; k--)
        e = char_end(s, e);
    return sub(L, s, 0, e);
}

static lx_Value s_last(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    const lxO_string *s = str_arg(a[0]);
    if (n == 1) {
        if (s->len == 0) bounds_error_at(L, s, 0);
        return sub(L, s, char_start(s, s->len - 1), s->len);
    }
    int64_t k = lxL_int(L, a, 1, "last");
    if (k < 0) lxE_error(L, LXT_ArgumentError, "n cannot be negative: %lld", (long long)k);
    size_t i = s->len;
    for (; k > 0 && i > 0; k--)
        i = char_start(s, i - 1);
    return sub(L, s, i, s->len);
}

/* ---- character classes
 * --------------------------------------------------------------------------------------- */

/* Whether every character of s satisfies the class (true for ""). */
static lx_Value all_chars(const lxO_string *s, bool (*cls)(uint32_t))
{
    for (size_t i = 0; i < s->len; i = char_end(s, i))
        if (!cls(decode(s->data + i, char_end(s, i) - i))) return lxO_bool(false);
    return lxO_bool(true);
}

static bool is_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}
static bool is_xdigit(uint32_t c)
{
    return is_digit(c) || ((c | 32) >= 'a' && (c | 32) <= 'f');
}
static bool is_ascii(uint32_t c)
{
    return c < 0x80;
}
static bool is_punct(uint32_t c)
{
    return c < 0x80 && c > ' ' && c != 0x7F && !is_digit(c) && !is_letter(c);
}

#define CLASS(cname, cls)                                                                                    \
    static lx_Value cname(lx_State *L, lx_Value *a, int n, lx_Value kw)                                      \
    {                                                                                                        \
        return all_chars(str_arg(a[0]), cls);                                                                \
    }
CLASS(s_isdigit, is_digit)
CLASS(s_isxdigit, is_xdigit)
CLASS(s_isletter, is_letter)
CLASS(s_isspace, is_space)
CLASS(s_isuppercase, is_upper)
CLASS(s_islowercase, is_lower)
CLASS(s_isascii, is_ascii)
CLASS(s_ispunct, is_punct)

/* ---- parse
 * ------------------------------------------------------------------------------------------------------- */

/* Parses s as the number kind of type t; false with a message (and the
 * error's type) when it does not parse. */
static bool parse_value(lx_State *L, lx_Value t, const lxO_string *s, lx_Value basev, lx_Value *out,
                        char *err, size_t nerr, lxT_builtin *etype)
{
    *etype = LXT_ArgumentError;
    lxW_buf q; /* the input as Julia quotes it in messages */
    lxW_init(L, &q);
    lxW_repr(&q, lxO_obj((void *)s));
    char quoted[120];
    snprintf(quoted, sizeof quoted, "%s", q.s);
    lxW_free(&q);
    size_t i = 0, e = s->len;
    while (i < e && is_space(decode(s->data + i, char_end(s, i) - i)))
        i = char_end(s, i);
    while (e > i && is_space(decode(s->data + char_start(s, e - 1), e - char_start(s, e - 1))))
        e = char_start(s, e - 1);
    lxO_type *ty = lxO_as(lxO_type, t);
    if (i == e) {
        snprintf(err, nerr, "input string is empty or only contains whitespace");
        return false;
    }
    if (ty == L->T[LXT_Float64] || ty == L->T[LXT_Float32]) {
        char tmp[128];
        bool ok = e - i < sizeof tmp;
        if (ok) {
            memcpy(tmp, s->data + i, e - i);
            tmp[e - i] = '\0';
            char *end;
            errno = 0;
            if (ty == L->T[LXT_Float32])
                *out = lxO_f32(strtof(tmp, &end));
            else
                *out = lxO_f64(strtod(tmp, &end));
            ok = *end == '\0' && !strchr(tmp, '(') && !strchr(tmp, '_');
        }
        if (!ok) snprintf(err, nerr, "cannot parse %s as %s", quoted, lxT_name(ty));
        return ok;
    }
    if (ty == L->T[LXT_Bool]) {
        size_t n = e - i;
        const char *p = s->data + i;
        if ((n == 4 && !memcmp(p, "true", 4)) || (n == 1 && *p == '1'))
            *out = lxO_bool(true);
        else if ((n == 5 && !memcmp(p, "false", 5)) || (n == 1 && *p == '0'))
            *out = lxO_bool(false);
        else {
            snprintf(err, nerr, "invalid Bool representation: %s", quoted);
            return false;
        }
        return true;
    }
    /* Int64: an optional sign, a 0x/0o/0b prefix when no base is given, digits */
    bool neg = false;
    if (s->data[i] == '+' || s->data[i] == '-') neg = s->data[i++] == '-';
    int64_t base = basev.tag == LX_TINT ? basev.v.i : 10;
    if (basev.tag == LX_TNOTHING && e - i > 2 && s->data[i] == '0') {
        char c = s->data[i + 1];
        base = c == 'x' ? 16 : c == 'o' ? 8 : c == 'b' ? 2 : 10;
        if (base != 10) i += 2;
    }
    if (i == e) {
        snprintf(err, nerr, "premature end of integer: %s", quoted);
        return false;
    }
    uint64_t v = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    bool overflow = false;
    for (; i < e; i++) {
        unsigned char c = (unsigned char)s->data[i];
        int d = c >= '0' && c <= '9'                 ? c - '0'
                : (c | 32) >= 'a' && (c | 32) <= 'z' ? (c | 32) - 'a' + 10
                                                     : 99;
        if (d >= base) {
            if (is_space(c))
                snprintf(err, nerr, "extra characters after whitespace in %s", quoted);
            else {
                size_t ce = char_end(s, i);
                snprintf(err, nerr, "invalid base %lld digit \"%.*s\" in %s", (long long)base, (int)(ce - i),
                         s->data + i, quoted);
            }
            return false;
        }
        if (v > (lim - (uint64_t)d) / (uint64_t)base)
            overflow = true;
        else
            v = v * (uint64_t)base + (uint64_t)d;
    }
    if (overflow) {
        *etype = LXT_OverflowError;
        snprintf(err, nerr, "overflow parsing %s", quoted);
        return false;
    }
    *out = lxO_int(neg ? (int64_t)(0 - v) : (int64_t)v);
    return true;
}

static lx_Value parse_common(lx_State *L, lx_Value *a, int n, lx_Value kw, bool raise)
{
    const char *fname = raise ? "parse" : "tryparse";
    lxO_type *ty = lxO_as(lxO_type, a[0]);
    if (ty != L->T[LXT_Int64] && ty != L->T[LXT_Float64] && ty != L->T[LXT_Float32] && ty != L->T[LXT_Bool])
        lxE_error(L, LXT_ArgumentError, "%s: lx parses Int64, Float64, Float32 and Bool, not %s", fname,
                  lxT_name(ty));
    lx_Value base = lxL_kw(L, kw, "base", lxO_nothing());
    if (base.tag != LX_TNOTHING && (base.tag != LX_TINT || base.v.i < 2 || base.v.i > 36))
        lxE_error(L, LXT_ArgumentError, "invalid base: base must be 2 ≤ base ≤ 36");
    if (base.tag != LX_TNOTHING && ty != L->T[LXT_Int64])
        lxE_error(L, LXT_ArgumentError, "%s: `base` applies to integers only", fname);
    char err[300];
    lxT_builtin etype;
    lx_Value out;
    if (parse_value(L, a[0], str_arg(a[1]), base, &out, err, sizeof err, &etype)) return out;
    if (!raise) return lxO_nothing();
    lxE_error(L, etype, "%s", err);
}

static lx_Value s_parse(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return parse_common(L, a, n, kw, true);
}
static lx_Value s_tryparse(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return parse_common(L, a, n, kw, false);
}

/* ---- the table
 * --------------------------------------------------------------------------------------------------- */

#define EX(body) "\n\n# Examples\n```\n" body "```"

static const lxL_Reg strings_lib[] = {
    {"length", "(s::AbstractString)", s_length,
     "    length(s::AbstractString)\n\nThe number of characters in s (not bytes: see `sizeof`).\n\n# "
     "Arguments\n- `s`: a string.\n\n# Returns\nAn Int, the number of characters." EX(
         "lx> length(\"héllo\")\n5\n")},
    {"sizeof", "(s::AbstractString)", s_sizeof,
     "    sizeof(s::AbstractString)\n\nThe size of s in bytes (its UTF-8 code units).\n\n# Arguments\n- `s`: "
     "a string.\n\n# Returns\nAn Int, the number of bytes." EX("lx> sizeof(\"héllo\")\n6\n")},
    {"ncodeunits", "(s::AbstractString)", s_sizeof,
     "    ncodeunits(s)\n\nThe number of code units (bytes) in s: the last valid byte index.\n\n# "
     "Arguments\n- `s`: a string.\n\n# Returns\nAn Int, the number of bytes." EX(
         "lx> ncodeunits(\"αβ\")\n4\n")},
    {"codeunit", "(s::AbstractString, i::Integer)", s_codeunit,
     "    codeunit(s, i)\n\nThe byte at index i of s, as an Int.\n\n# Arguments\n- `s`: a string.\n- `i`: a "
     "byte index, `1 <= i <= ncodeunits(s)` (a BoundsError outside).\n\n# Returns\nAn Int from 0 to 255." EX(
         "lx> codeunit(\"abc\", 2)\n98\n")},
    {"isempty", "(s::AbstractString)", s_isempty,
     "    isempty(s::AbstractString)\n\nWhether s is the empty string.\n\n# Arguments\n- `s`: a string.\n\n# "
     "Returns\nA Bool." EX("lx> isempty(\"\")\ntrue\n")},
    {"firstindex", "(s::AbstractString)", s_firstindex,
     "    firstindex(s::AbstractString)\n\n1, the index of the first character (what `s[begin]` uses).\n\n# "
     "Arguments\n- `s`: a string.\n\n# Returns\nThe Int 1." EX("lx> firstindex(\"abc\")\n1\n")},
    {"lastindex", "(s::AbstractString)", s_lastindex,
     "    lastindex(s::AbstractString)\n\nThe byte index where the last character of s starts (what `s[end]` "
     "uses); 0 for \"\".\n\n# Arguments\n- `s`: a string.\n\n# Returns\nAn Int, a byte index." EX(
         "lx> lastindex(\"abé\")\n3\n\nlx> \"abé\"[end]\n\"é\"\n")},
    {"isvalid", "(s::AbstractString, i::Integer)", s_isvalid,
     "    isvalid(s, i)\n\nWhether byte index i is in s and starts a character.\n\n# Arguments\n- `s`: a "
     "string.\n- `i`: a byte index (any integer: outside s gives false).\n\n# Returns\nA Bool." EX(
         "lx> isvalid(\"é!\", 2)\nfalse\n\nlx> isvalid(\"é!\", 3)\ntrue\n")},
    {"thisind", "(s::AbstractString, i::Integer)", s_thisind,
     "    thisind(s, i)\n\nThe start of the character that contains byte i (i itself at 0 and at "
     "`ncodeunits(s) + 1`); a BoundsError outside.\n\n# Arguments\n- `s`: a string.\n- `i`: a byte index "
     "from 0 to `ncodeunits(s) + 1`.\n\n# Returns\nAn Int, a byte index." EX("lx> thisind(\"aé\", 3)\n2\n")},
    {"nextind", "(s::AbstractString, i::Integer, n::Integer = 1)", s_nextind,
     "    nextind(s, i, n = 1)\n\nThe index n characters after index i (i = 0 counts from before the start; "
     "past the end each step adds 1).\n\n# Arguments\n- `s`: a string.\n- `i`: a byte index from 0 to "
     "`ncodeunits(s)` (a BoundsError outside).\n- `n = 1`: the number of characters to step over.\n\n# "
     "Returns\nAn Int, a byte index." EX("lx> nextind(\"éa\", 1)\n3\n\nlx> nextind(\"abc\", 0, 2)\n2\n")},
    {"prevind", "(s::AbstractString, i::Integer, n::Integer = 1)", s_prevind,
     "    prevind(s, i, n = 1)\n\nThe index n characters before index i (0 once past the start).\n\n# "
     "Arguments\n- `s`: a string.\n- `i`: a byte index from 1 to `ncodeunits(s) + 1`.\n- `n = 1`: the number "
     "of characters to step back over.\n\n# Returns\nAn Int, a byte index (0 once past the start)." EX(
         "lx> prevind(\"aé\", 4)\n2\n\nlx> prevind(\"abc\", 1)\n0\n")},
    {"getindex", "(s::AbstractString, i::Integer)", s_getindex,
     "    s[i]\n    s[a:b]\n    getindex(s::AbstractString, i)\n\nThe character at byte index i, as a "
     "1-character String (lx has no Char type: where Julia gives 'a', lx gives \"a\"). A range gives the "
     "substring from the character at a to the character at b, by byte indices. Outside `1:ncodeunits(s)` is "
     "a BoundsError; an index inside a multi-byte character is an ArgumentError (Julia's StringIndexError) "
     "naming the valid indices nearby.\n\n# Arguments\n- `s`: a string.\n- `i`: a byte index where a "
     "character starts, or a range `a:b` of byte indices (`end` is `lastindex(s)`).\n\n# Returns\nA String: "
     "the 1-character string at i, or the substring for a range (empty when b < a)." EX(
         "lx> s = \"héllo\";\n\nlx> s[1]\n\"h\"\n\nlx> s[2]\n\"é\"\n\nlx> s[4:end]\n\"llo\"\n\nlx> try s[3] "
         "catch e; sprint(showerror, e) end\n\"ArgumentError: invalid index [3], valid nearby indices "
         "[2]=>\\\"é\\\", [4]=>\\\"l\\\"\"\n")},
    {"getindex", "(s::AbstractString, r::Range)", s_getindex_range, ""},
    {"codepoint", "(c::AbstractString)", s_codepoint,
     "    codepoint(c)\n\nThe Unicode code point of a 1-character string (lx's stand-in for a Char), as an "
     "Int.\n\n# Arguments\n- `c`: a 1-character string (a longer one is an ArgumentError).\n\n# Returns\nAn "
     "Int." EX("lx> codepoint(\"A\")\n65\n\nlx> codepoint(\"é\")\n233\n")},
    {"*", "(s::AbstractString, ts::AbstractString...)", s_concat,
     "    s * t\n\nString concatenation. Both sides must be strings (`\"a\" * 1` is a MethodError, as in "
     "Julia); use `string(\"a\", 1)` to concatenate printed values.\n\n# Arguments\n- `s`, `t`: strings "
     "(more may follow).\n\n# Returns\nA new String." EX("lx> \"ab\" * \"cd\" * \"e\"\n\"abcde\"\n")},
    {"^", "(s::AbstractString, n::Integer)", s_repeat,
     "    s ^ n\n\n`repeat(s, n)`.\n\n# Arguments\n- `s`: a string.\n- `n`: the number of copies, an integer "
     "`>= 0`.\n\n# Returns\nA new String." EX("lx> \"ab\" ^ 3\n\"ababab\"\n")},
    {"repeat", "(s::AbstractString, n::Integer)", s_repeat,
     "    repeat(s::AbstractString, n)\n\ns written n times; a negative n is an ArgumentError.\n\n# "
     "Arguments\n- `s`: a string.\n- `n`: the number of copies, an integer `>= 0`.\n\n# Returns\nA new "
     "String." EX("lx> repeat(\"-\", 5)\n\"-----\"\n")},
    {"uppercase", "(s::AbstractString)", s_uppercase,
     "    uppercase(s)\n\ns with every letter in upper case (ASCII, Latin-1, Latin Extended-A, Greek and "
     "Cyrillic letters; others unchanged).\n\n# Arguments\n- `s`: a string.\n\n# Returns\nA new String." EX(
         "lx> uppercase(\"héllo, world\")\n\"HÉLLO, WORLD\"\n")},
    {"lowercase", "(s::AbstractString)", s_lowercase,
     "    lowercase(s)\n\ns with every letter in lower case (the letters `uppercase` maps).\n\n# "
     "Arguments\n- `s`: a string.\n\n# Returns\nA new String." EX(
         "lx> lowercase(\"ΑΒΓ Abc\")\n\"αβγ abc\"\n")},
    {"titlecase", "(s::AbstractString)", s_titlecase,
     "    titlecase(s)\n\ns with the first letter of every word in upper case and the other letters in lower "
     "case; a word starts after any character that is not a letter.\n\n# Arguments\n- `s`: a string.\n\n# "
     "Returns\nA new String." EX("lx> titlecase(\"the QUICK brown-fox\")\n\"The Quick Brown-Fox\"\n")},
    {"uppercasefirst", "(s::AbstractString)", s_uppercasefirst,
     "    uppercasefirst(s)\n\ns with its first character in upper case.\n\n# Arguments\n- `s`: a "
     "string.\n\n# Returns\nA new String." EX("lx> uppercasefirst(\"julia\")\n\"Julia\"\n")},
    {"lowercasefirst", "(s::AbstractString)", s_lowercasefirst,
     "    lowercasefirst(s)\n\ns with its first character in lower case.\n\n# Arguments\n- `s`: a "
     "string.\n\n# Returns\nA new String." EX("lx> lowercasefirst(\"Dense\")\n\"dense\"\n")},
    {"reverse", "(s::AbstractString)", s_reverse,
     "    reverse(s::AbstractString)\n\nThe characters of s in reverse order.\n\n# Arguments\n- `s`: a "
     "string.\n\n# Returns\nA new String." EX("lx> reverse(\"héllo\")\n\"olléh\"\n")},
    {"lpad", "(s, n::Integer, p::AbstractString = \" \")", s_lpad,
     "    lpad(s, n, p = \" \")\n\nThe text of s (`string(s)`) padded on the left with copies of p to n "
     "characters.\n\n# Arguments\n- `s`: any value; its printed text is padded.\n- `n`: the width wanted, in "
     "characters.\n- `p = \" \"`: the padding, a string (its copies are cut to fit).\n\n# Returns\nA String "
     "of n characters, or the text of s unchanged when it already has n or more." EX(
         "lx> lpad(7, 3, \"0\")\n\"007\"\n\nlx> lpad(\"ab\", 5)\n\"   ab\"\n")},
    {"rpad", "(s, n::Integer, p::AbstractString = \" \")", s_rpad,
     "    rpad(s, n, p = \" \")\n\nThe text of s (`string(s)`) padded on the right with copies of p to n "
     "characters.\n\n# Arguments\n- `s`: any value; its printed text is padded.\n- `n`: the width wanted, in "
     "characters.\n- `p = \" \"`: the padding, a string (its copies are cut to fit).\n\n# Returns\nA String "
     "of n characters, or the text of s unchanged when it already has n or more." EX(
         "lx> rpad(\"ab\", 5, \"-=\")\n\"ab-=-\"\n")},
    {"String", "(s::AbstractString)", s_string_ctor,
     "    String(x)\n\nx as a String: a string itself, a symbol's name, or a list of 1-character strings (or "
     "of bytes, integers 0 to 255) put together.\n\n# Arguments\n- `x`: a string, a Symbol, or a List of "
     "1-character strings or of integers 0 to 255.\n\n# Returns\nA String." EX(
         "lx> String(:weight)\n\"weight\"\n\nlx> String([\"a\", \"b\"])\n\"ab\"\n")},
    {"String", "(s::Symbol)", s_string_ctor, ""},
    {"String", "(xs::List)", s_string_ctor, ""},
    {"startswith", "(s::AbstractString, prefix::AbstractString)", s_startswith,
     "    startswith(s, prefix)\n\nWhether s begins with prefix.\n\n# Arguments\n- `s`: a string.\n- "
     "`prefix`: a string.\n\n# Returns\nA Bool." EX("lx> startswith(\"layer_1\", \"layer\")\ntrue\n")},
    {"endswith", "(s::AbstractString, suffix::AbstractString)", s_endswith,
     "    endswith(s, suffix)\n\nWhether s ends with suffix.\n\n# Arguments\n- `s`: a string.\n- `suffix`: a "
     "string.\n\n# Returns\nA Bool." EX("lx> endswith(\"model.lx\", \".lx\")\ntrue\n")},
    {"chopprefix", "(s::AbstractString, prefix::AbstractString)", s_chopprefix,
     "    chopprefix(s, prefix)\n\ns without prefix when it starts with it, else s.\n\n# Arguments\n- `s`: a "
     "string.\n- `prefix`: a string.\n\n# Returns\nA String." EX(
         "lx> chopprefix(\"layer_1\", \"layer_\")\n\"1\"\n")},
    {"chopsuffix", "(s::AbstractString, suffix::AbstractString)", s_chopsuffix,
     "    chopsuffix(s, suffix)\n\ns without suffix when it ends with it, else s.\n\n# Arguments\n- `s`: a "
     "string.\n- `suffix`: a string.\n\n# Returns\nA String." EX(
         "lx> chopsuffix(\"model.lx\", \".lx\")\n\"model\"\n")},
    {"occursin", "(needle::AbstractString, haystack::AbstractString)", s_occursin,
     "    occursin(needle, haystack)\n\nWhether needle occurs in haystack.\n\n# Arguments\n- `needle`: the "
     "string looked for.\n- `haystack`: the string looked in.\n\n# Returns\nA Bool." EX(
         "lx> occursin(\"ell\", \"hello\")\ntrue\n")},
    {"contains", "(haystack::AbstractString, needle::AbstractString)", s_contains,
     "    contains(haystack, needle)\n\nWhether haystack contains needle: `occursin(needle, haystack)`.\n\n# "
     "Arguments\n- `haystack`: the string looked in.\n- `needle`: the string looked for.\n\n# Returns\nA "
     "Bool." EX("lx> contains(\"hello\", \"xyz\")\nfalse\n")},
    {"findfirst", "(pattern::AbstractString, s::AbstractString)", s_findfirst,
     "    findfirst(pattern, s)\n    findfirst(pred, s)\n\nThe byte indices of the first occurrence of "
     "pattern in s, as a range (from the first to the start of the last character), or nothing. With a "
     "predicate (a function, called on 1-character strings), the index of the first character where it is "
     "true.\n\n# Arguments\n- `pattern`: a string to look for.\n- `pred`: a function of a 1-character string "
     "returning a Bool.\n- `s`: the string looked in.\n\n# Returns\nA Range of byte indices for a pattern, "
     "an Int for a predicate, or `nothing` when there is no match." EX(
         "lx> findfirst(\"lo\", \"hello\")\n4:5\n\nlx> findfirst(\"z\", \"hello\")\n\nlx> "
         "findfirst(isdigit, \"ab3c\")\n3\n")},
    {"findfirst", "(pred::Function, s::AbstractString)", s_findfirst_pred, ""},
    {"findlast", "(pattern::AbstractString, s::AbstractString)", s_findlast,
     "    findlast(pattern, s)\n    findlast(pred, s)\n\nThe byte indices of the last occurrence of pattern "
     "in s as a range, or nothing; with a predicate, the index of the last character where it is true.\n\n# "
     "Arguments\n- `pattern`: a string to look for.\n- `pred`: a function of a 1-character string returning "
     "a Bool.\n- `s`: the string looked in.\n\n# Returns\nA Range of byte indices for a pattern, an Int for "
     "a predicate, or `nothing` when there is no match." EX(
         "lx> findlast(\"l\", \"hello\")\n4:4\n\nlx> findlast(isspace, \"a b c\")\n4\n")},
    {"findlast", "(pred::Function, s::AbstractString)", s_findlast_pred, ""},
    {"findnext", "(pattern::AbstractString, s::AbstractString, i::Integer)", s_findnext,
     "    findnext(pattern, s, i)\n\nThe first occurrence of pattern in s starting at byte i or later, as a "
     "range, or nothing.\n\n# Arguments\n- `pattern`: a string to look for.\n- `s`: the string looked in.\n- "
     "`i`: the byte index to start at, from 1 to `ncodeunits(s) + 1` (a BoundsError past that).\n\n# "
     "Returns\nA Range of byte indices, or `nothing`." EX("lx> findnext(\"l\", \"hello\", 4)\n4:4\n")},
    {"findprev", "(pattern::AbstractString, s::AbstractString, i::Integer)", s_findprev,
     "    findprev(pattern, s, i)\n\nThe last occurrence of pattern in s starting at byte i or earlier, as a "
     "range, or nothing.\n\n# Arguments\n- `pattern`: a string to look for.\n- `s`: the string looked in.\n- "
     "`i`: the byte index the match may start at, at most.\n\n# Returns\nA Range of byte indices, or "
     "`nothing`." EX("lx> findprev(\"l\", \"hello\", 3)\n3:3\n")},
    {"count", "(pattern::AbstractString, s::AbstractString; overlap = false)", s_count,
     "    count(pattern::AbstractString, s; overlap = false)\n\nThe number of occurrences of pattern in s "
     "(not overlapping unless `overlap = true`).\n\n# Arguments\n- `pattern`: the string to count.\n- `s`: "
     "the string looked in.\n\n# Keyword Arguments\n- `overlap = false`: whether matches may overlap.\n\n# "
     "Returns\nAn Int." EX(
         "lx> count(\"a\", \"banana\")\n3\n\nlx> count(\"ana\", \"banana\"; overlap = true)\n2\n")},
    {"cmp", "(a::AbstractString, b::AbstractString)", s_cmp,
     "    cmp(a::AbstractString, b::AbstractString)\n\n-1, 0 or 1 as a sorts before, equal to or after b, "
     "comparing bytes.\n\n# Arguments\n- `a`, `b`: strings.\n\n# Returns\nAn Int: -1, 0 or 1." EX(
         "lx> cmp(\"abc\", \"abd\")\n-1\n")},
    {"replace", "(s::AbstractString, pats::Pair...; count = nothing)", s_replace,
     "    replace(s, old => new, ...; count)\n\ns with occurrences of each old string replaced by new, "
     "scanning left to right (at each position the first pair that matches wins). new may be a function, "
     "called on the matched text, whose result is printed in; `count` limits the number of "
     "replacements.\n\n# Arguments\n- `s`: a string.\n- `old => new`: pairs of a string to find and its "
     "replacement (a string, any value whose printed text is used, or a function of the matched "
     "string).\n\n# Keyword Arguments\n- `count = nothing`: the most replacements made; `nothing` replaces "
     "every occurrence.\n\n# Returns\nA new String." EX(
         "lx> replace(\"a-b-c\", \"-\" => \"+\")\n\"a+b+c\"\n\nlx> replace(\"a-b-c\", \"-\" => \"\"; count = "
         "1)\n\"ab-c\"\n\nlx> replace(\"cat dog\", \"cat\" => \"dog\", \"dog\" => \"cat\")\n\"dog "
         "cat\"\n\nlx> replace(\"abc\", \"b\" => uppercase)\n\"aBc\"\n")},
    {"split", "(s::AbstractString, delim = isspace; limit = 0, keepempty = true)", s_split,
     "    split(s; limit = 0, keepempty = false)\n    split(s, delim; limit = 0, keepempty = true)\n\nThe "
     "pieces of s between the delimiters, as a List of strings. With no delim, s splits at runs of "
     "whitespace and drops empty pieces. delim is a string, a List or Tuple of 1-character strings (any of "
     "them), or a predicate function on 1-character strings. `limit > 0` caps the number of pieces (the last "
     "one holds the rest); `keepempty` keeps or drops empty pieces.\n\n# Arguments\n- `s`: the string to "
     "split.\n- `delim`: a string, a List or Tuple of 1-character strings, or a predicate on 1-character "
     "strings; without it, runs of whitespace.\n\n# Keyword Arguments\n- `limit = 0`: the most pieces (0: no "
     "limit); the last piece holds the rest of s.\n- `keepempty`: whether empty pieces are kept; `false` "
     "without delim, `true` with one.\n\n# Returns\nA List of Strings." EX(
         "lx> println(split(\"  a  b c \"))\n[\"a\", \"b\", \"c\"]\n\nlx> println(split(\"a,b,,c\", "
         "\",\"))\n[\"a\", \"b\", \"\", \"c\"]\n\nlx> println(split(\"a=b=c\", \"=\"; limit = 2))\n[\"a\", "
         "\"b=c\"]\n\nlx> length(split(\"a b c\"))\n3\n")},
    {"join", "(xs, delim = \"\", last = delim)", s_join,
     "    join(xs, delim = \"\", last = delim)\n    join(io, xs, delim = \"\", last = delim)\n\nThe printed "
     "text of the elements of the iterable xs, with delim between them (last between the final two). With an "
     "IO first, writes the text to it.\n\n# Arguments\n- `io`: an IO to write to (the second form).\n- `xs`: "
     "an iterable; each element is printed as `print` writes it.\n- `delim = \"\"`: the text between "
     "elements.\n- `last = delim`: the text between the last two elements.\n\n# Returns\nA String; with an "
     "IO, `nothing` (the text is written to io)." EX(
         "lx> join([\"a\", \"b\", \"c\"], \", \")\n\"a, b, c\"\n\nlx> join(1:3, \", \", \" and \")\n\"1, 2 "
         "and 3\"\n\nlx> join((:x, 1.5))\n\"x1.5\"\n")},
    {"join", "(io::IO, xs, delim = \"\", last = delim)", s_join_io, ""},
    {"strip", "(s::AbstractString, chars = isspace)", s_strip,
     "    strip(s, chars = isspace)\n\ns without leading and trailing characters in chars: whitespace by "
     "default, else the characters of a string, a List or Tuple of 1-character strings, or those a predicate "
     "function accepts.\n\n# Arguments\n- `s`: a string.\n- `chars = isspace`: the characters to remove: a "
     "string (its characters), a List or Tuple of 1-character strings, or a predicate on 1-character "
     "strings.\n\n# Returns\nA new String." EX(
         "lx> strip(\"  hi \\n\")\n\"hi\"\n\nlx> strip(\"xxhixx\", \"x\")\n\"hi\"\n")},
    {"lstrip", "(s::AbstractString, chars = isspace)", s_lstrip,
     "    lstrip(s, chars = isspace)\n\ns without leading characters in chars (as for `strip`).\n\n# "
     "Arguments\n- `s`: a string.\n- `chars = isspace`: the characters to remove, as for `strip`.\n\n# "
     "Returns\nA new String." EX("lx> lstrip(\"  hi \")\n\"hi \"\n")},
    {"rstrip", "(s::AbstractString, chars = isspace)", s_rstrip,
     "    rstrip(s, chars = isspace)\n\ns without trailing characters in chars (as for `strip`).\n\n# "
     "Arguments\n- `s`: a string.\n- `chars = isspace`: the characters to remove, as for `strip`.\n\n# "
     "Returns\nA new String." EX("lx> rstrip(\"1.500\", \"0\")\n\"1.5\"\n")},
    {"chomp", "(s::AbstractString)", s_chomp,
     "    chomp(s)\n\ns without one trailing newline (\\n or \\r\\n).\n\n# Arguments\n- `s`: a string.\n\n# "
     "Returns\nA String." EX("lx> chomp(\"line\\n\")\n\"line\"\n")},
    {"chop", "(s::AbstractString; head = 0, tail = 1)", s_chop,
     "    chop(s; head = 0, tail = 1)\n\ns without its first `head` and last `tail` characters.\n\n# "
     "Arguments\n- `s`: a string.\n\n# Keyword Arguments\n- `head = 0`: the number of characters removed "
     "from the start.\n- `tail = 1`: the number of characters removed from the end.\n\n# Returns\nA new "
     "String (empty when head + tail covers all of s)." EX(
         "lx> chop(\"hello\")\n\"hell\"\n\nlx> chop(\"[x]\"; head = 1, tail = 1)\n\"x\"\n")},
    {"first", "(s::AbstractString)", s_first,
     "    first(s::AbstractString)\n    first(s, n)\n\nThe first character of s as a 1-character String (a "
     "BoundsError for \"\"), or a string of its first n characters (all of s when it is shorter).\n\n# "
     "Arguments\n- `s`: a string.\n- `n`: the number of characters, an integer `>= 0`.\n\n# Returns\nA "
     "String." EX("lx> first(\"héllo\")\n\"h\"\n\nlx> first(\"héllo\", 2)\n\"hé\"\n")},
    {"first", "(s::AbstractString, n::Integer)", s_first, ""},
    {"last", "(s::AbstractString)", s_last,
     "    last(s::AbstractString)\n    last(s, n)\n\nThe last character of s as a 1-character String (a "
     "BoundsError for \"\"), or a string of its last n characters (all of s when it is shorter).\n\n# "
     "Arguments\n- `s`: a string.\n- `n`: the number of characters, an integer `>= 0`.\n\n# Returns\nA "
     "String." EX("lx> last(\"héllo\")\n\"o\"\n\nlx> last(\"héllo\", 4)\n\"éllo\"\n")},
    {"last", "(s::AbstractString, n::Integer)", s_last, ""},
    {"isdigit", "(s::AbstractString)", s_isdigit,
     "    isdigit(c)\n\nWhether c (a 1-character string, lx's Char) is an ASCII digit 0-9. On a longer "
     "string: whether every character is (true for \"\").\n\n# Arguments\n- `c`: a string (usually of one "
     "character).\n\n# Returns\nA Bool." EX("lx> isdigit(\"7\")\ntrue\n\nlx> isdigit(\"12a\")\nfalse\n")},
    {"isxdigit", "(s::AbstractString)", s_isxdigit,
     "    isxdigit(c)\n\nWhether c is a hexadecimal digit (0-9, a-f, A-F); on a string, whether every "
     "character is.\n\n# Arguments\n- `c`: a string (usually of one character).\n\n# Returns\nA Bool." EX(
         "lx> isxdigit(\"fF0\")\ntrue\n")},
    {"isletter", "(s::AbstractString)", s_isletter,
     "    isletter(c)\n\nWhether c is a letter (ASCII and the letters of the Latin, Greek, Cyrillic, "
     "Armenian, Hebrew, Arabic, Devanagari, kana, CJK and Hangul blocks); on a string, whether every "
     "character is (true for \"\").\n\n# Arguments\n- `c`: a string (usually of one character).\n\n# "
     "Returns\nA Bool." EX("lx> isletter(\"é\")\ntrue\n\nlx> isletter(\"a1\")\nfalse\n")},
    {"isspace", "(s::AbstractString)", s_isspace,
     "    isspace(c)\n\nWhether c is white space (ASCII space, \\t \\n \\v \\f \\r, and the Unicode spaces); "
     "on a string, whether every character is (true for \"\").\n\n# Arguments\n- `c`: a string (usually of "
     "one character).\n\n# Returns\nA Bool." EX(
         "lx> isspace(\" \")\ntrue\n\nlx> isspace(\" \\t\\n\")\ntrue\n")},
    {"isuppercase", "(s::AbstractString)", s_isuppercase,
     "    isuppercase(c)\n\nWhether c is an upper-case letter; on a string, whether every character is (true "
     "for \"\").\n\n# Arguments\n- `c`: a string (usually of one character).\n\n# Returns\nA Bool." EX(
         "lx> isuppercase(\"A\")\ntrue\n\nlx> isuppercase(\"Ab\")\nfalse\n")},
    {"islowercase", "(s::AbstractString)", s_islowercase,
     "    islowercase(c)\n\nWhether c is a lower-case letter; on a string, whether every character is (true "
     "for \"\").\n\n# Arguments\n- `c`: a string (usually of one character).\n\n# Returns\nA Bool." EX(
         "lx> islowercase(\"ß\")\ntrue\n")},
    {"isascii", "(s::AbstractString)", s_isascii,
     "    isascii(s)\n\nWhether every character of s is ASCII (true for \"\").\n\n# Arguments\n- `s`: a "
     "string.\n\n# Returns\nA Bool." EX("lx> isascii(\"abc\")\ntrue\n\nlx> isascii(\"é\")\nfalse\n")},
    {"ispunct", "(s::AbstractString)", s_ispunct,
     "    ispunct(c)\n\nWhether c is ASCII punctuation (printable, not a letter, digit or space); on a "
     "string, whether every character is.\n\n# Arguments\n- `c`: a string (usually of one character).\n\n# "
     "Returns\nA Bool." EX("lx> ispunct(\"!?\")\ntrue\n")},
    {"parse", "(T::Type, s::AbstractString; base = nothing)", s_parse,
     "    parse(T, s; base)\n\nThe value of type T (Int, Float64, Float32 or Bool) that s writes, "
     "surrounding whitespace allowed. Integers take a sign and, without `base`, a 0x/0o/0b prefix; Bool "
     "takes true, false, 1 and 0. Text that does not parse is an ArgumentError with Julia's message (an "
     "OverflowError for an integer out of range); `tryparse` gives nothing instead.\n\n# Arguments\n- `T`: "
     "the type wanted: Int (Int64), Float64, Float32 or Bool (another type is an ArgumentError).\n- `s`: the "
     "text, a string.\n\n# Keyword Arguments\n- `base = nothing`: the radix of an integer, 2 to 36 "
     "(`nothing`: 10, or the 0x/0o/0b prefix).\n\n# Returns\nA value of type T." EX(
         "lx> parse(Int, \" 42 \")\n42\n\nlx> parse(Float64, \"1e-3\")\n0.001\n\nlx> parse(Int, \"ff\"; base "
         "= 16)\n255\n\nlx> parse(Bool, \"true\")\ntrue\n\nlx> try parse(Int, \"12x\") catch e; e.msg "
         "end\n\"invalid base 10 digit \\\"x\\\" in \\\"12x\\\"\"\n\nlx> try parse(Float64, \"x\") catch e; "
         "e.msg end\n\"cannot parse \\\"x\\\" as Float64\"\n")},
    {"tryparse", "(T::Type, s::AbstractString; base = nothing)", s_tryparse,
     "    tryparse(T, s; base)\n\nAs `parse`, but nothing where s does not parse.\n\n# Arguments\n- `T`: the "
     "type wanted: Int (Int64), Float64, Float32 or Bool.\n- `s`: the text, a string.\n\n# Keyword "
     "Arguments\n- `base = nothing`: the radix of an integer, as for `parse`.\n\n# Returns\nA value of type "
     "T, or `nothing` when s does not parse (an integer out of range included)." EX(
         "lx> tryparse(Int, \"12\")\n12\n\nlx> tryparse(Float32, \"abc\")\n")},
    {NULL, NULL, NULL, NULL}};

void lxL_open_strings(lx_State *L)
{
    lxL_register(L, strings_lib);
}
