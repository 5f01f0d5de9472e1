/* collections.c — the built-in containers as Julia's collection functions
 * see them: List, Tuple, NamedTuple, Dict, Range, Pair (and String where a
 * String is a sequence of one-character strings).  Size and mutation,
 * lookup, copying, indexing with ranges, lists and masks, the iterate
 * protocol, sorting, and broadcasting over lists and tuples.  The
 * functions that mostly call user code (map, filter, reduce, sum, ...) are
 * in prelude.lx.
 */
#include "lib.h"
#include "tensor.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* ---- helpers ------------------------------------------------------------------------------------- */

static void nomethod(lx_State *L, const char *fname, lx_Value *a, int n) __attribute__((noreturn));
static void nomethod(lx_State *L, const char *fname, lx_Value *a, int n)
{
    lxE_methoderror(L, lxO_as(lxO_generic, lxG_get(L, fname)), a, n);
}

static void bounds_error(lx_State *L, lx_Value c, lx_Value i) __attribute__((noreturn));
static void bounds_error(lx_State *L, lx_Value c, lx_Value i)
{
    lxO_struct *e = lxO_struct_new(L, L->T[LXT_BoundsError]);
    e->fields[0] = c;
    e->fields[1] = i;
    lxE_throw(L, lxO_obj(e));
}

static bool is_list(lx_Value v)
{
    return lxO_is(v, LXO_LIST);
}
static lxO_list *as_list(lx_Value v)
{
    return lxO_as(lxO_list, v);
}

/* The items of a List, Tuple or NamedTuple (its values) in place. */
static bool seq_view(lx_Value v, lx_Value **items, size_t *n)
{
    if (lxO_is(v, LXO_LIST)) {
        *items = as_list(v)->items, *n = as_list(v)->n;
        return true;
    }
    if (lxO_is(v, LXO_TUPLE)) {
        *items = lxO_as(lxO_tuple, v)->items, *n = (size_t)lxO_as(lxO_tuple, v)->n;
        return true;
    }
    if (lxO_is(v, LXO_NTUPLE)) {
        *items = lxO_as(lxO_ntuple, v)->vals, *n = (size_t)lxO_as(lxO_ntuple, v)->n;
        return true;
    }
    return false;
}

/* The length of a UTF-8 character starting with byte c. */
static size_t utf8_len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}
static size_t str_nchars(const lxO_string *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->len; i++)
        n += ((unsigned char)s->data[i] & 0xC0) != 0x80;
    return n;
}
/* The character at byte i (0-based) as a one-character string; *next is the following byte. */
static lx_Value str_char(lx_State *L, const lxO_string *s, size_t i, size_t *next)
{
    size_t j = i + 1;
    while (j < s->len && ((unsigned char)s->data[j] & 0xC0) == 0x80)
        j++;
    *next = j;
    return lxO_str(L, s->data + i, j - i);
}

static lx_Value dict_pair(lx_State *L, lxO_dict *d, size_t i)
{
    return lxO_pair(L, d->entries[i].key, d->entries[i].val);
}

static bool is_pair(lx_State *L, lx_Value v)
{
    return lxO_is(v, LXO_STRUCT) && v.v.o->type == L->T[LXT_Pair];
}

/* Pushes every element of src onto dst (which the caller keeps rooted);
 * types other than the built-in containers go through `iterate`. */
static void append_iter(lx_State *L, lxO_list *dst, lx_Value src)
{
    if (src.tag != LX_TOBJECT) {
        if (lxO_isnumber(src)) { /* a number iterates once, as in Julia */
            lxO_list_push(L, dst, src);
            return;
        }
    } else {
        switch (src.v.o->kind) {
        case LXO_LIST: {
            lxO_list *s = as_list(src);
            size_t n = s->n; /* append!(l, l) doubles l */
            for (size_t i = 0; i < n; i++)
                lxO_list_push(L, dst, s->items[i]);
            return;
        }
        case LXO_TUPLE:
        case LXO_NTUPLE: {
            lx_Value *items;
            size_t n;
            seq_view(src, &items, &n);
            for (size_t i = 0; i < n; i++)
                lxO_list_push(L, dst, items[i]);
            return;
        }
        case LXO_RANGE: {
            lxO_range *r = lxO_as(lxO_range, src);
            for (int64_t i = 0; i < r->len; i++)
                lxO_list_push(L, dst, lxO_range_at(r, i));
            return;
        }
        case LXO_STRING: {
            lxO_string *s = lxO_as(lxO_string, src);
            for (size_t i = 0; i < s->len;)
                lxO_list_push(L, dst, str_char(L, s, i, &i));
            return;
        }
        case LXO_DICT: {
            lxO_dict *d = lxO_as(lxO_dict, src);
            for (size_t i = 0; i < d->used; i++)
                if (d->entries[i].key.tag != LX_TUNDEF) lxO_list_push(L, dst, dict_pair(L, d, i));
            return;
        }
        case LXO_STRUCT:
            if (is_pair(L, src)) {
                lxO_list_push(L, dst, lxO_as(lxO_struct, src)->fields[0]);
                lxO_list_push(L, dst, lxO_as(lxO_struct, src)->fields[1]);
                return;
            }
            break;
        default: break;
        }
    }
    /* the iterate protocol */
    lx_Value it = lxG_get(L, "iterate");
    int mark = lxV_root(L, src);
    lx_Value r = lxV_call(L, it, &src, 1, lxO_nothing());
    int slot = lxV_root(L, r);
    while (r.tag != LX_TNOTHING) {
        if (!lxO_is(r, LXO_TUPLE) || lxO_as(lxO_tuple, r)->n != 2)
            lxE_error(L, LXT_TypeError, "iterate must return nothing or a tuple (item, state)");
        lxO_list_push(L, dst, lxO_as(lxO_tuple, r)->items[0]);
        lx_Value args[2] = {src, lxO_as(lxO_tuple, r)->items[1]};
        r = lxV_call(L, it, args, 2, lxO_nothing());
        L->roots[slot] = r;
    }
    lxV_unroot(L, mark);
}

/* A new list of the elements of any iterable. */
static lxO_list *to_list(lx_State *L, lx_Value v)
{
    lxO_list *l = lxO_list_new(L, 0);
    int mark = lxV_root(L, lxO_obj(l));
    append_iter(L, l, v);
    lxV_unroot(L, mark);
    return l;
}

/* The elements of v in place when it is a List/Tuple/NamedTuple, else a
 * new list of them (kept alive by the caller's root on *hold). */
static lx_Value *items_of(lx_State *L, lx_Value v, size_t *n, lx_Value *hold)
{
    lx_Value *items;
    if (seq_view(v, &items, n)) {
        *hold = v;
        return items;
    }
    lxO_list *l = to_list(L, v);
    *hold = lxO_obj(l);
    *n = l->n;
    return l->items;
}

/* == as Julia's `in` and `findfirst` use it: user types through their `==`. */
static bool values_equal(lx_State *L, lx_Value a, lx_Value b)
{
    bool user =
        (lxO_is(a, LXO_STRUCT) && !a.v.o->type->builtin) || (lxO_is(b, LXO_STRUCT) && !b.v.o->type->builtin);
    if (!user) return lxO_equal(L, a, b);
    lx_Value args[2] = {a, b};
    lx_Value r = lxL_callg(L, "==", args, 2);
    if (r.tag != LX_TBOOL) lxE_typeerror(L, "==", "a Bool result", r);
    return r.v.b;
}

static lx_Value tuple_of(lx_State *L, const lx_Value *items, size_t n)
{
    if (n > INT32_MAX) lxE_error(L, LXT_ArgumentError, "a tuple of %zu elements is too long", n);
    lxO_tuple *t = lxO_tuple_new(L, (int)n);
    if (n) memcpy(t->items, items, n * sizeof *items);
    return lxO_obj(t);
}

static lx_Value list_of(lx_State *L, const lx_Value *items, size_t n)
{
    lxO_list *l = lxO_list_new(L, n);
    if (n) memcpy(l->items, items, n * sizeof *items);
    l->n = n;
    return lxO_obj(l);
}

/* The number of elements of a sized container; -1 when v has no length here. */
static int64_t length_of(lx_Value v)
{
    if (v.tag != LX_TOBJECT) return -1;
    switch (v.v.o->kind) {
    case LXO_LIST: return (int64_t)as_list(v)->n;
    case LXO_TUPLE: return lxO_as(lxO_tuple, v)->n;
    case LXO_NTUPLE: return lxO_as(lxO_ntuple, v)->n;
    case LXO_DICT: return (int64_t)lxO_as(lxO_dict, v)->n;
    case LXO_RANGE: return lxO_as(lxO_range, v)->len;
    case LXO_STRING: return (int64_t)str_nchars(lxO_as(lxO_string, v));
    default: return -1;
    }
}

static lx_Value seq_at(lx_Value c, int64_t i);

/* ---- size ------------------------------------------------------------------------------------------ */

static lx_Value c_length(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    int64_t len = length_of(a[0]);
    if (len < 0) {
        if (is_pair(L, a[0])) return lxO_int(2);
        if (lxO_isnumber(a[0])) return lxO_int(1);
        nomethod(L, "length", a, 1);
    }
    return lxO_int(len);
}

static lx_Value c_isempty(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    int64_t len = length_of(a[0]);
    if (len >= 0) return lxO_bool(len == 0);
    if (lxO_isnumber(a[0]) || is_pair(L, a[0])) return lxO_bool(false);
    lx_Value r = lxL_callg(L, "iterate", a, 1); /* Julia's fallback: nothing to iterate */
    return lxO_bool(r.tag == LX_TNOTHING);
}

static lx_Value c_size(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    int64_t len =
        lxO_is(a[0], LXO_LIST) || lxO_is(a[0], LXO_TUPLE) || lxO_is(a[0], LXO_RANGE) ? length_of(a[0]) : -1;
    if (len < 0) {
        if (lxO_isnumber(a[0])) return n == 2 ? lxO_int(1) : lxO_obj(lxO_tuple_new(L, 0));
        nomethod(L, "size", a, n);
    }
    if (n == 2) {
        int64_t d = lxL_int(L, a, 1, "size");
        if (d < 1) lxE_error(L, LXT_ArgumentError, "size: dimension out of range: %lld", (long long)d);
        return lxO_int(d == 1 ? len : 1);
    }
    lx_Value v = lxO_int(len);
    return tuple_of(L, &v, 1);
}

static lx_Value c_ndims(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (lxO_is(a[0], LXO_LIST) || lxO_is(a[0], LXO_TUPLE) || lxO_is(a[0], LXO_RANGE)) return lxO_int(1);
    if (lxO_isnumber(a[0])) return lxO_int(0);
    nomethod(L, "ndims", a, n);
}

static int64_t indexed_length(lx_State *L, lx_Value *a, int n, const char *fname)
{
    int64_t len = lxO_is(a[0], LXO_STRING) || lxO_is(a[0], LXO_DICT) ? -1 : length_of(a[0]);
    if (len < 0) nomethod(L, fname, a, n);
    if (n == 2 && lxL_int(L, a, 1, fname) != 1) return 1; /* trailing dimensions have size 1 */
    return len;
}

static lx_Value c_firstindex(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (lxO_is(a[0], LXO_STRING)) return lxO_int(1);
    indexed_length(L, a, n, "firstindex");
    return lxO_int(1);
}

static lx_Value c_lastindex(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (lxO_is(a[0], LXO_STRING)) { /* the byte index where the last character starts */
        lxO_string *s = lxO_as(lxO_string, a[0]);
        size_t i = s->len;
        while (i > 0 && ((unsigned char)s->data[i - 1] & 0xC0) == 0x80)
            i--;
        return lxO_int(i > 0 ? (int64_t)i : 0);
    }
    return lxO_int(indexed_length(L, a, n, "lastindex"));
}

static lx_Value c_eachindex(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (lxO_is(a[0], LXO_DICT)) return lxL_callg(L, "keys", a, 1);
    int64_t len = indexed_length(L, a, 1, "eachindex");
    for (int i = 1; i < n; i++)
        if (length_of(a[i]) != len)
            lxE_error(L, LXT_DimensionMismatch,
                      "all inputs to eachindex must have the same indices, got lengths %lld and %lld",
                      (long long)len, (long long)length_of(a[i]));
    return lxO_obj(lxO_range_int(L, 1, 1, len));
}

/* ---- mutation ---------------------------------------------------------------------------------------- */

static lxO_list *list_arg(lx_State *L, lx_Value *a, int n, const char *fname)
{
    if (!is_list(a[0])) nomethod(L, fname, a, n);
    return as_list(a[0]);
}

static void dict_setpair(lx_State *L, lxO_dict *d, lx_Value p, const char *fname)
{
    if (is_pair(L, p)) {
        lxO_dict_set(L, d, lxO_as(lxO_struct, p)->fields[0], lxO_as(lxO_struct, p)->fields[1]);
    } else if (lxO_is(p, LXO_TUPLE) && lxO_as(lxO_tuple, p)->n == 2) {
        lxO_dict_set(L, d, lxO_as(lxO_tuple, p)->items[0], lxO_as(lxO_tuple, p)->items[1]);
    } else {
        lxE_error(L, LXT_ArgumentError,
                  "%s: a Dict takes pairs `key => value` (or 2-tuples), got a value of type %s", fname,
                  lxT_name(lxT_typeof(L, p)));
    }
}

static lx_Value c_push(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (lxO_is(a[0], LXO_DICT)) {
        for (int i = 1; i < n; i++)
            dict_setpair(L, lxO_as(lxO_dict, a[0]), a[i], "push!");
        return a[0];
    }
    lxO_list *l = list_arg(L, a, n, "push!");
    for (int i = 1; i < n; i++)
        lxO_list_push(L, l, a[i]);
    return a[0];
}

/* Opens a gap of k slots at position at (0-based). */
static void list_open(lx_State *L, lxO_list *l, size_t at, size_t k)
{
    for (size_t i = 0; i < k; i++)
        lxO_list_push(L, l, lxO_nothing());
    memmove(l->items + at + k, l->items + at, (l->n - k - at) * sizeof *l->items);
}

static void list_close(lxO_list *l, size_t at, size_t k)
{
    memmove(l->items + at, l->items + at + k, (l->n - at - k) * sizeof *l->items);
    l->n -= k;
}

static lx_Value c_pushfirst(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_list *l = list_arg(L, a, n, "pushfirst!");
    list_open(L, l, 0, (size_t)(n - 1));
    for (int i = 1; i < n; i++)
        l->items[i - 1] = a[i];
    return a[0];
}

static lx_Value c_pop(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (lxO_is(a[0], LXO_DICT) && n >= 2) {
        lx_Value *v = lxO_dict_get(L, lxO_as(lxO_dict, a[0]), a[1]);
        if (!v) {
            if (n == 3) return a[2];
            lxE_keyerror(L, a[1]);
        }
        lx_Value r = *v;
        lxO_dict_delete(L, lxO_as(lxO_dict, a[0]), a[1]);
        return r;
    }
    if (n != 1) nomethod(L, "pop!", a, n);
    lxO_list *l = list_arg(L, a, n, "pop!");
    if (!l->n) lxE_error(L, LXT_ArgumentError, "array must be non-empty");
    return l->items[--l->n];
}

static lx_Value c_popfirst(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_list *l = list_arg(L, a, n, "popfirst!");
    if (!l->n) lxE_error(L, LXT_ArgumentError, "array must be non-empty");
    lx_Value r = l->items[0];
    list_close(l, 0, 1);
    return r;
}

static lx_Value c_insert(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_list *l = list_arg(L, a, n, "insert!");
    int64_t i = lxL_int(L, a, 1, "insert!");
    if (i < 1 || i > (int64_t)l->n + 1) bounds_error(L, a[0], a[1]);
    list_open(L, l, (size_t)(i - 1), 1);
    l->items[i - 1] = a[2];
    return a[0];
}

/* The 0-based positions an index selects in a container of length len:
 * an Int, a Range, a List of Ints or of Bools (a mask), or `:`.  The
 * positions are written into out (rooted by the caller) as Ints. */
static void index_positions(lx_State *L, lx_Value c, int64_t len, lx_Value idx, lxO_list *out)
{
    if (idx.tag == LX_TINT) {
        if (idx.v.i < 1 || idx.v.i > len) bounds_error(L, c, idx);
        lxO_list_push(L, out, lxO_int(idx.v.i - 1));
        return;
    }
    if (lxO_is(idx, LXO_GENERIC) && lxO_as(lxO_generic, idx)->name == lxS_cstr(L, ":")) {
        for (int64_t i = 0; i < len; i++)
            lxO_list_push(L, out, lxO_int(i));
        return;
    }
    if (lxO_is(idx, LXO_RANGE)) {
        lxO_range *r = lxO_as(lxO_range, idx);
        if (r->isfloat && r->len) lxE_error(L, LXT_ArgumentError, "invalid index: a range of Float64");
        for (int64_t i = 0; i < r->len; i++) {
            int64_t k = lxO_range_at(r, i).v.i;
            if (k < 1 || k > len) bounds_error(L, c, idx);
            lxO_list_push(L, out, lxO_int(k - 1));
        }
        return;
    }
    lx_Value *items;
    size_t n;
    if (lxO_is(idx, LXO_LIST) || lxO_is(idx, LXO_TUPLE)) {
        seq_view(idx, &items, &n);
        bool mask = n > 0 && items[0].tag == LX_TBOOL;
        if (mask && (int64_t)n != len)
            lxE_error(L, LXT_BoundsError, "a mask of length %zu cannot index a collection of length %lld", n,
                      (long long)len);
        for (size_t i = 0; i < n; i++) {
            lx_Value k = items[i];
            if (mask) {
                if (k.tag != LX_TBOOL)
                    lxE_error(L, LXT_ArgumentError, "invalid index: a mask mixes Bools and other values");
                if (k.v.b) lxO_list_push(L, out, lxO_int((int64_t)i));
                continue;
            }
            if (k.tag != LX_TINT) {
                lxW_buf b;
                lxW_init(L, &b);
                lxW_repr(&b, k);
                char msg[200];
                snprintf(msg, sizeof msg, "invalid index: %s of type %s", b.s, lxT_name(lxT_typeof(L, k)));
                lxW_free(&b);
                lxE_throw(L, lxE_new(L, LXT_ArgumentError, msg));
            }
            if (k.v.i < 1 || k.v.i > len) bounds_error(L, c, idx);
            lxO_list_push(L, out, lxO_int(k.v.i - 1));
        }
        return;
    }
    lxW_buf b;
    lxW_init(L, &b);
    lxW_repr(&b, idx);
    char msg[200];
    snprintf(msg, sizeof msg, "invalid index: %s of type %s", b.s, lxT_name(lxT_typeof(L, idx)));
    lxW_free(&b);
    lxE_throw(L, lxE_new(L, LXT_ArgumentError, msg));
}

static lx_Value c_deleteat(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_list *l = list_arg(L, a, n, "deleteat!");
    lxO_list *pos = lxO_list_new(L, 0);
    int mark = lxV_root(L, lxO_obj(pos));
    index_positions(L, a[0], (int64_t)l->n, a[1], pos);
    for (size_t i = 1; i < pos->n; i++)
        if (pos->items[i].v.i <= pos->items[i - 1].v.i)
            lxE_error(L, LXT_ArgumentError, "indices must be unique and sorted");
    size_t w = 0, k = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (k < pos->n && (int64_t)i == pos->items[k].v.i) {
            k++;
            continue;
        }
        l->items[w++] = l->items[i];
    }
    l->n = w;
    lxV_unroot(L, mark);
    return a[0];
}

static lx_Value c_empty(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (lxO_is(a[0], LXO_DICT)) {
        lxO_dict *d = lxO_as(lxO_dict, a[0]);
        for (size_t i = 0; i < d->used; i++)
            if (d->entries[i].key.tag != LX_TUNDEF) lxO_dict_delete(L, d, d->entries[i].key);
        return a[0];
    }
    list_arg(L, a, n, "empty!")->n = 0;
    return a[0];
}

static lx_Value c_append(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_list *l = list_arg(L, a, n, "append!");
    for (int i = 1; i < n; i++)
        append_iter(L, l, a[i]);
    return a[0];
}

static lx_Value c_prepend(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_list *l = list_arg(L, a, n, "prepend!");
    lxO_list *front = lxO_list_new(L, 0);
    int mark = lxV_root(L, lxO_obj(front));
    for (int i = 1; i < n; i++)
        append_iter(L, front, a[i]);
    list_open(L, l, 0, front->n);
    memcpy(l->items, front->items, front->n * sizeof *l->items);
    lxV_unroot(L, mark);
    return a[0];
}

static lx_Value c_resize(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_list *l = list_arg(L, a, n, "resize!");
    int64_t k = lxL_int(L, a, 1, "resize!");
    if (k < 0) lxE_error(L, LXT_ArgumentError, "new length must be ≥ 0");
    while ((int64_t)l->n < k)
        lxO_list_push(L, l, lxO_nothing());
    l->n = (size_t)k;
    return a[0];
}

/* ---- building and converting ------------------------------------------------------------------------------
 */

static lx_Value c_collect(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_list *l = to_list(L, a[n - 1]);
    if (n == 1 || !lxO_as(lxO_type, a[0])->super) return lxO_obj(l); /* collect(Any, x) converts nothing */
    int mark = lxV_root(L, lxO_obj(l));
    for (size_t i = 0; i < l->n; i++) {
        lx_Value args[2] = {a[0], l->items[i]};
        lx_Value v = lxL_callg(L, "convert", args, 2);
        if (i < l->n) l->items[i] = v;
    }
    lxV_unroot(L, mark);
    return lxO_obj(l);
}

static lx_Value c_tuple_ctor(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (n == 0) return lxO_obj(lxO_tuple_new(L, 0));
    if (lxO_is(a[0], LXO_TUPLE)) return a[0];
    lx_Value hold;
    size_t len;
    lx_Value *items = items_of(L, a[0], &len, &hold);
    int mark = lxV_root(L, hold);
    lx_Value r = tuple_of(L, items, len);
    lxV_unroot(L, mark);
    return r;
}

static lx_Value ntuple_from(lx_State *L, lx_Value names, lx_Value vals)
{
    lx_Value hn, hv;
    size_t nn, nv;
    lx_Value *ns = items_of(L, names, &nn, &hn);
    int mark = lxV_root(L, hn);
    lx_Value *vs = items_of(L, vals, &nv, &hv);
    lxV_root(L, hv);
    if (nn != nv) lxE_error(L, LXT_ArgumentError, "NamedTuple: %zu names for %zu values", nn, nv);
    lxO_ntuple *t = lxO_ntuple_new(L, (int)nn);
    for (size_t i = 0; i < nn; i++) {
        if (ns[i].tag != LX_TSYMBOL) lxE_typeerror(L, "NamedTuple", "Symbol names", ns[i]);
        for (size_t j = 0; j < i; j++)
            if (ns[j].v.o == ns[i].v.o)
                lxE_error(L, LXT_ArgumentError, "NamedTuple: duplicate field name :%s",
                          ((lxO_string *)ns[i].v.o)->data);
        t->names[i] = (lxO_string *)ns[i].v.o;
        t->vals[i] = vs[i];
    }
    lxV_unroot(L, mark);
    return lxO_obj(t);
}

static lx_Value c_namedtuple_ctor(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (n == 0) return lxO_obj(lxO_ntuple_new(L, 0));
    if (lxO_is(a[0], LXO_NTUPLE)) return a[0];
    /* an iterable of Symbol => value pairs */
    lxO_list *ps = to_list(L, a[0]);
    int mark = lxV_root(L, lxO_obj(ps));
    lxO_list *names = lxO_list_new(L, ps->n);
    lxV_root(L, lxO_obj(names));
    lxO_list *vals = lxO_list_new(L, ps->n);
    lxV_root(L, lxO_obj(vals));
    for (size_t i = 0; i < ps->n; i++) {
        lx_Value p = ps->items[i];
        if (!is_pair(L, p)) lxE_typeerror(L, "NamedTuple", "pairs :name => value", p);
        lxO_list_push(L, names, lxO_as(lxO_struct, p)->fields[0]);
        lxO_list_push(L, vals, lxO_as(lxO_struct, p)->fields[1]);
    }
    lx_Value r = ntuple_from(L, lxO_obj(names), lxO_obj(vals));
    lxV_unroot(L, mark);
    return r;
}

static lx_Value c_namedtuple_internal(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return ntuple_from(L, a[0], a[1]);
}

static lx_Value c_dict_ctor(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_dict *d = lxO_dict_new(L);
    int mark = lxV_root(L, lxO_obj(d));
    if (n == 1 && !is_pair(L, a[0])) { /* Dict(iterable of pairs) */
        if (lxO_is(a[0], LXO_NTUPLE)) {
            lxO_ntuple *nt = lxO_as(lxO_ntuple, a[0]);
            for (int i = 0; i < nt->n; i++)
                lxO_dict_set(L, d, lxO_sym(nt->names[i]), nt->vals[i]);
        } else {
            lxO_list *ps = to_list(L, a[0]);
            lxV_root(L, lxO_obj(ps));
            for (size_t i = 0; i < ps->n; i++)
                dict_setpair(L, d, ps->items[i], "Dict");
        }
    } else {
        for (int i = 0; i < n; i++)
            dict_setpair(L, d, a[i], "Dict");
    }
    lxV_unroot(L, mark);
    return lxO_obj(d);
}

static lx_Value c_vcat(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_list *l = lxO_list_new(L, 0);
    int mark = lxV_root(L, lxO_obj(l));
    for (int i = 0; i < n; i++) {
        if (is_list(a[i]) || lxO_is(a[i], LXO_RANGE))
            append_iter(L, l, a[i]);
        else
            lxO_list_push(L, l, a[i]);
    }
    lxV_unroot(L, mark);
    return lxO_obj(l);
}

static lx_Value c_copy(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value v = a[0];
    if (is_list(v)) return list_of(L, as_list(v)->items, as_list(v)->n);
    if (lxO_is(v, LXO_DICT)) {
        lxO_dict *s = lxO_as(lxO_dict, v), *d = lxO_dict_new(L);
        for (size_t i = 0; i < s->used; i++)
            if (s->entries[i].key.tag != LX_TUNDEF) lxO_dict_set(L, d, s->entries[i].key, s->entries[i].val);
        return lxO_obj(d);
    }
    if (lxO_is(v, LXO_STRUCT) && v.v.o->type->mutable_) {
        lxO_struct *s = lxO_as(lxO_struct, v), *c = lxO_struct_new(L, v.v.o->type);
        memcpy(c->fields, s->fields, (size_t)s->n * sizeof *s->fields);
        return lxO_obj(c);
    }
    return v;
}

/* deepcopy: memo maps an object's address to its copy, so shared and
 * cyclic structure comes out shared and cyclic. */
static lx_Value deep(lx_State *L, lx_Value v, lxO_dict *memo, int depth)
{
    if (v.tag != LX_TOBJECT) return v;
    lxO_kind k = (lxO_kind)v.v.o->kind;
    if (k != LXO_LIST && k != LXO_DICT && k != LXO_TUPLE && k != LXO_NTUPLE && k != LXO_STRUCT &&
        k != LXO_TENSOR)
        return v;
    if (depth > 10000) lxE_error(L, LXT_ArgumentError, "deepcopy: the value is nested too deeply");
    lx_Value key = lxO_int((int64_t)(intptr_t)v.v.o);
    lx_Value *seen = lxO_dict_get(L, memo, key);
    if (seen) return *seen;
    switch (k) {
    case LXO_TENSOR: { /* a copy of the data (untracked), shared where the original was */
        nn_tensor *t = NULL, *d = NULL;
        nn_status s = nn_detach(L->nn, &d, lxL_tval(v));
        if (!s) s = nn_copy(L->nn, &t, d);
        nn_release(d);
        lx_Value c = lxL_result(L, s, &t);
        lxO_dict_set(L, memo, key, c);
        return c;
    }
    case LXO_LIST: {
        lxO_list *s = as_list(v), *c = lxO_list_new(L, s->n);
        lxO_dict_set(L, memo, key, lxO_obj(c));
        for (size_t i = 0; i < s->n; i++)
            lxO_list_push(L, c, deep(L, s->items[i], memo, depth + 1));
        return lxO_obj(c);
    }
    case LXO_DICT: {
        lxO_dict *s = lxO_as(lxO_dict, v), *c = lxO_dict_new(L);
        lxO_dict_set(L, memo, key, lxO_obj(c));
        for (size_t i = 0; i < s->used; i++)
            if (s->entries[i].key.tag != LX_TUNDEF)
                lxO_dict_set(L, c, deep(L, s->entries[i].key, memo, depth + 1),
                             deep(L, s->entries[i].val, memo, depth + 1));
        return lxO_obj(c);
    }
    case LXO_TUPLE: {
        lxO_tuple *s = lxO_as(lxO_tuple, v), *c = lxO_tuple_new(L, s->n);
        lxO_dict_set(L, memo, key, lxO_obj(c));
        for (int i = 0; i < s->n; i++)
            c->items[i] = deep(L, s->items[i], memo, depth + 1);
        return lxO_obj(c);
    }
    case LXO_NTUPLE: {
        lxO_ntuple *s = lxO_as(lxO_ntuple, v), *c = lxO_ntuple_new(L, s->n);
        lxO_dict_set(L, memo, key, lxO_obj(c));
        for (int i = 0; i < s->n; i++) {
            c->names[i] = s->names[i];
            c->vals[i] = deep(L, s->vals[i], memo, depth + 1);
        }
        return lxO_obj(c);
    }
    default: {
        lxO_struct *s = lxO_as(lxO_struct, v), *c = lxO_struct_new(L, v.v.o->type);
        lxO_dict_set(L, memo, key, lxO_obj(c));
        for (int i = 0; i < s->n; i++)
            c->fields[i] = deep(L, s->fields[i], memo, depth + 1);
        return lxO_obj(c);
    }
    }
}

static lx_Value c_deepcopy(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_dict *memo = lxO_dict_new(L); /* no lx code runs here: nothing needs rooting */
    return deep(L, a[0], memo, 0);
}

/* ---- dictionaries and keyed access -----------------------------------------------------------------------
 */

static lx_Value c_keys(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value v = a[0];
    if (lxO_is(v, LXO_DICT)) {
        lxO_dict *d = lxO_as(lxO_dict, v);
        lxO_list *l = lxO_list_new(L, d->n);
        for (size_t i = 0; i < d->used; i++)
            if (d->entries[i].key.tag != LX_TUNDEF) lxO_list_push(L, l, d->entries[i].key);
        return lxO_obj(l);
    }
    if (lxO_is(v, LXO_NTUPLE)) {
        lxO_ntuple *nt = lxO_as(lxO_ntuple, v);
        lxO_tuple *t = lxO_tuple_new(L, nt->n);
        for (int i = 0; i < nt->n; i++)
            t->items[i] = lxO_sym(nt->names[i]);
        return lxO_obj(t);
    }
    if (is_list(v) || lxO_is(v, LXO_TUPLE) || lxO_is(v, LXO_RANGE))
        return lxO_obj(lxO_range_int(L, 1, 1, length_of(v)));
    nomethod(L, "keys", a, n);
}

static lx_Value c_values(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value v = a[0];
    if (lxO_is(v, LXO_DICT)) {
        lxO_dict *d = lxO_as(lxO_dict, v);
        lxO_list *l = lxO_list_new(L, d->n);
        for (size_t i = 0; i < d->used; i++)
            if (d->entries[i].key.tag != LX_TUNDEF) lxO_list_push(L, l, d->entries[i].val);
        return lxO_obj(l);
    }
    if (lxO_is(v, LXO_NTUPLE))
        return tuple_of(L, lxO_as(lxO_ntuple, v)->vals, (size_t)lxO_as(lxO_ntuple, v)->n);
    if (is_list(v) || lxO_is(v, LXO_TUPLE) || lxO_is(v, LXO_RANGE)) return v;
    nomethod(L, "values", a, n);
}

static lx_Value c_pairs(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value v = a[0];
    lxO_list *l = lxO_list_new(L, 0);
    if (lxO_is(v, LXO_DICT)) {
        append_iter(L, l, v);
    } else if (lxO_is(v, LXO_NTUPLE)) {
        lxO_ntuple *nt = lxO_as(lxO_ntuple, v);
        for (int i = 0; i < nt->n; i++)
            lxO_list_push(L, l, lxO_pair(L, lxO_sym(nt->names[i]), nt->vals[i]));
    } else if (is_list(v) || lxO_is(v, LXO_TUPLE) || lxO_is(v, LXO_RANGE)) {
        int64_t len = length_of(v);
        for (int64_t i = 0; i < len; i++) {
            lx_Value x = lxO_is(v, LXO_RANGE) ? lxO_range_at(lxO_as(lxO_range, v), i)
                         : is_list(v)         ? as_list(v)->items[i]
                                              : lxO_as(lxO_tuple, v)->items[i];
            lxO_list_push(L, l, lxO_pair(L, lxO_int(i + 1), x));
        }
    } else {
        nomethod(L, "pairs", a, n);
    }
    return lxO_obj(l);
}

/* The value at key k (1-based Int for sequences, Symbol or Int for named
 * tuples), or NULL when absent. */
static bool keyed_get(lx_State *L, lx_Value c, lx_Value k, lx_Value *out)
{
    if (lxO_is(c, LXO_DICT)) {
        lx_Value *v = lxO_dict_get(L, lxO_as(lxO_dict, c), k);
        if (v) *out = *v;
        return v != NULL;
    }
    if (lxO_is(c, LXO_NTUPLE) && k.tag == LX_TSYMBOL) {
        int i = lxO_ntuple_find(lxO_as(lxO_ntuple, c), (lxO_string *)k.v.o);
        if (i >= 0) *out = lxO_as(lxO_ntuple, c)->vals[i];
        return i >= 0;
    }
    int64_t len = length_of(c);
    if (k.tag != LX_TINT || len < 0 || lxO_is(c, LXO_STRING)) return false;
    if (k.v.i < 1 || k.v.i > len) return false;
    if (lxO_is(c, LXO_RANGE))
        *out = lxO_range_at(lxO_as(lxO_range, c), k.v.i - 1);
    else {
        *out = seq_at(c, k.v.i - 1);
    }
    return true;
}

static void need_keyed(lx_State *L, lx_Value *a, int n, const char *fname)
{
    lx_Value c = a[0];
    if (!(lxO_is(c, LXO_DICT) || lxO_is(c, LXO_NTUPLE) || is_list(c) || lxO_is(c, LXO_TUPLE) ||
          lxO_is(c, LXO_RANGE)))
        nomethod(L, fname, a, n);
}

static lx_Value c_haskey(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    need_keyed(L, a, n, "haskey");
    lx_Value v;
    return lxO_bool(keyed_get(L, a[0], a[1], &v));
}

static lx_Value c_get(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    need_keyed(L, a, n, "get");
    lx_Value v;
    return keyed_get(L, a[0], a[1], &v) ? v : a[2];
}

static lx_Value c_getbang(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (!lxO_is(a[0], LXO_DICT)) nomethod(L, "get!", a, n);
    lxO_dict *d = lxO_as(lxO_dict, a[0]);
    lx_Value *v = lxO_dict_get(L, d, a[1]);
    if (v) return *v;
    lxO_dict_set(L, d, a[1], a[2]);
    return a[2];
}

static lx_Value c_delete(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (!lxO_is(a[0], LXO_DICT)) nomethod(L, "delete!", a, n);
    lxO_dict_delete(L, lxO_as(lxO_dict, a[0]), a[1]);
    return a[0];
}

static lx_Value c_merge_dict(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_dict *d = lxO_dict_new(L);
    for (int k = 0; k < n; k++) {
        if (!lxO_is(a[k], LXO_DICT)) nomethod(L, "merge", a, n);
        lxO_dict *s = lxO_as(lxO_dict, a[k]);
        for (size_t i = 0; i < s->used; i++)
            if (s->entries[i].key.tag != LX_TUNDEF) lxO_dict_set(L, d, s->entries[i].key, s->entries[i].val);
    }
    return lxO_obj(d);
}

/* ---- elements ------------------------------------------------------------------------------------------ */

/* The element at 0-based position i of a sequence (List, Tuple, NamedTuple, Range). */
static lx_Value seq_at(lx_Value c, int64_t i)
{
    if (lxO_is(c, LXO_RANGE)) return lxO_range_at(lxO_as(lxO_range, c), i);
    lx_Value *items = NULL;
    size_t n = 0;
    seq_view(c, &items, &n);
    return items[i];
}

static bool is_seq(lx_Value v)
{
    return is_list(v) || lxO_is(v, LXO_TUPLE) || lxO_is(v, LXO_NTUPLE) || lxO_is(v, LXO_RANGE);
}

/* first/last of anything else: through its elements. */
static lx_Value end_of(lx_State *L, lx_Value *a, int n, bool last)
{
    lx_Value c = a[0];
    if (is_pair(L, c)) return lxO_as(lxO_struct, c)->fields[last];
    if (lxO_isnumber(c)) return c;
    if (last && !is_seq(c) && !lxO_is(c, LXO_STRING)) nomethod(L, "last", a, n);
    if (lxO_is(c, LXO_DICT) || !is_seq(c)) {
        lxO_list *l = to_list(L, c);
        if (!l->n) {
            if (lxO_is(c, LXO_STRING)) bounds_error(L, c, lxO_int(1));
            lxE_error(L, LXT_ArgumentError, "collection must be non-empty");
        }
        return l->items[last ? l->n - 1 : 0];
    }
    int64_t len = length_of(c);
    if (!len) bounds_error(L, c, lxO_int(last ? 0 : 1));
    return seq_at(c, last ? len - 1 : 0);
}

/* first(xs, k) / last(xs, k): a List for lists, a Tuple for tuples, a Range for ranges, a String for strings.
 */
static lx_Value end_n(lx_State *L, lx_Value *a, int n, bool last)
{
    lx_Value c = a[0];
    int64_t k = lxL_int(L, a, 1, last ? "last" : "first");
    if (k < 0) lxE_error(L, LXT_ArgumentError, "Number of elements must be non-negative");
    if (lxO_is(c, LXO_STRING)) {
        lxO_string *s = lxO_as(lxO_string, c);
        size_t nc = str_nchars(s), skip = last && (size_t)k < nc ? nc - (size_t)k : 0, i = 0, start = 0,
               stop = s->len;
        for (size_t ci = 0; i < s->len; ci++) {
            if (ci == skip) start = i;
            if (!last && ci == (size_t)k) {
                stop = i;
                break;
            }
            i += utf8_len((unsigned char)s->data[i]);
        }
        if (last && (size_t)k >= nc) start = 0;
        return lxO_str(L, s->data + start, stop - start);
    }
    if (lxO_is(c, LXO_RANGE)) {
        lxO_range *r = lxO_as(lxO_range, c);
        int64_t m = k < r->len ? k : r->len, from = last ? r->len - m : 0;
        if (!r->isfloat) {
            int64_t s = r->start.i + from * r->step.i;
            return lxO_obj(lxO_range_int(L, s, r->step.i, s + (m - 1) * r->step.i));
        }
        lxO_range *q = lxO_range_float(L, r->start.d + (double)from * r->step.d, r->step.d, r->start.d);
        q->len = m;
        return lxO_obj(q);
    }
    lx_Value hold;
    size_t len;
    lx_Value *items = items_of(L, c, &len, &hold);
    size_t m = (size_t)k < len ? (size_t)k : len;
    lx_Value *from = last ? items + len - m : items;
    if (lxO_is(c, LXO_TUPLE)) return tuple_of(L, from, m);
    int mark = lxV_root(L, hold);
    lx_Value r = list_of(L, from, m);
    lxV_unroot(L, mark);
    return r;
}

static lx_Value c_first(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return n == 2 ? end_n(L, a, n, false) : end_of(L, a, n, false);
}

static lx_Value c_last(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return n == 2 ? end_n(L, a, n, true) : end_of(L, a, n, true);
}

static lx_Value c_in(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value x = a[0], c = a[1];
    if (lxO_is(c, LXO_DICT)) {
        if (!is_pair(L, x))
            lxE_error(
                L, LXT_ArgumentError,
                "AbstractDict collections only contain Pairs; Either look for e.g. A=>B instead, or use the "
                "`keys` or `values` function if you are looking for a key or value respectively.");
        lx_Value *v = lxO_dict_get(L, lxO_as(lxO_dict, c), lxO_as(lxO_struct, x)->fields[0]);
        return lxO_bool(v && values_equal(L, *v, lxO_as(lxO_struct, x)->fields[1]));
    }
    if (lxO_is(c, LXO_RANGE)) {
        lxO_range *r = lxO_as(lxO_range, c);
        if (!r->isfloat && lxO_isnumber(x)) {
            double d = lxO_tonumber(x);
            if (d != floor(d) || !r->len) return lxO_bool(false);
            int64_t k = (int64_t)d, off = k - r->start.i;
            if (off % r->step.i) return lxO_bool(false);
            return lxO_bool(off / r->step.i >= 0 && off / r->step.i < r->len);
        }
        for (int64_t i = 0; i < r->len; i++)
            if (values_equal(L, x, lxO_range_at(r, i))) return lxO_bool(true);
        return lxO_bool(false);
    }
    if (lxO_is(c, LXO_STRING)) {
        lxO_string *s = lxO_as(lxO_string, c), *t = lxO_is(x, LXO_STRING) ? lxO_as(lxO_string, x) : NULL;
        if (!t || str_nchars(t) != 1)
            lxE_error(L, LXT_ArgumentError,
                      "in(x, s::String) looks for one character; use occursin(needle, s) for a substring");
        for (size_t i = 0; i + t->len <= s->len; i++)
            if (!memcmp(s->data + i, t->data, t->len)) return lxO_bool(true);
        return lxO_bool(false);
    }
    lx_Value hold;
    size_t len;
    items_of(L, c, &len, &hold);
    int mark = lxV_root(L, hold);
    bool found = false;
    for (size_t i = 0; i < len && !found; i++) {
        lx_Value *cur; /* read afresh each time: a user == may change the list */
        size_t cn;
        if (!seq_view(hold, &cur, &cn) || i >= cn) break;
        found = values_equal(L, x, cur[i]);
    }
    lxV_unroot(L, mark);
    return lxO_bool(found);
}

static lx_Value c_notin(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_bool(!c_in(L, a, n, kw).v.b);
}

static lx_Value c_unique(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value hold;
    size_t len;
    lx_Value *items = items_of(L, a[0], &len, &hold);
    int mark = lxV_root(L, hold);
    lxO_dict *seen = lxO_dict_new(L);
    lxV_root(L, lxO_obj(seen));
    lxO_list *l = lxO_list_new(L, 0);
    for (size_t i = 0; i < len; i++)
        if (!lxO_dict_get(L, seen, items[i])) {
            lxO_dict_set(L, seen, items[i], lxO_nothing());
            lxO_list_push(L, l, items[i]);
        }
    lxV_unroot(L, mark);
    return lxO_obj(l);
}

static lx_Value c_reverse(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value c = a[0];
    if (lxO_is(c, LXO_RANGE)) {
        lxO_range *r = lxO_as(lxO_range, c);
        if (!r->len) return c;
        if (!r->isfloat) {
            int64_t last = r->start.i + (r->len - 1) * r->step.i;
            return lxO_obj(lxO_range_int(L, last, -r->step.i, r->start.i));
        }
        lxO_range *q =
            lxO_range_float(L, r->start.d + (double)(r->len - 1) * r->step.d, -r->step.d, r->start.d);
        q->len = r->len;
        return lxO_obj(q);
    }
    if (lxO_is(c, LXO_STRING)) {
        lxO_string *s = lxO_as(lxO_string, c);
        lxW_buf b;
        lxW_init(L, &b);
        for (size_t i = s->len; i > 0;) {
            size_t j = i - 1;
            while (j > 0 && ((unsigned char)s->data[j] & 0xC0) == 0x80)
                j--;
            lxW_add(&b, s->data + j, i - j);
            i = j;
        }
        lx_Value r = lxO_str(L, b.s ? b.s : "", b.len);
        lxW_free(&b);
        return r;
    }
    lx_Value *items;
    size_t len;
    if (!lxO_is(c, LXO_LIST) && !lxO_is(c, LXO_TUPLE)) nomethod(L, "reverse", a, n);
    seq_view(c, &items, &len);
    lx_Value r = lxO_is(c, LXO_TUPLE) ? tuple_of(L, items, len) : list_of(L, items, len);
    seq_view(r, &items, &len);
    for (size_t i = 0; i < len / 2; i++) {
        lx_Value t = items[i];
        items[i] = items[len - 1 - i];
        items[len - 1 - i] = t;
    }
    return r;
}

static lx_Value c_reverse_bang(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_list *l = list_arg(L, a, n, "reverse!");
    for (size_t i = 0; i < l->n / 2; i++) {
        lx_Value t = l->items[i];
        l->items[i] = l->items[l->n - 1 - i];
        l->items[l->n - 1 - i] = t;
    }
    return a[0];
}

/* ---- indexing
 * ----------------------------------------------------------------------------------------------- */

static lx_Value c_getindex(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value c = a[0];
    if (n != 2) {
        if (lxO_is(c, LXO_DICT) && n > 2) { /* d[a, b] is d[(a, b)] */
            lx_Value k = tuple_of(L, a + 1, (size_t)(n - 1));
            lx_Value *v = lxO_dict_get(L, lxO_as(lxO_dict, c), k);
            if (!v) lxE_keyerror(L, k);
            return *v;
        }
        nomethod(L, "getindex", a, n);
    }
    lx_Value i = a[1];
    if (lxO_is(c, LXO_DICT)) {
        lx_Value *v = lxO_dict_get(L, lxO_as(lxO_dict, c), i);
        if (!v) lxE_keyerror(L, i);
        return *v;
    }
    if (lxO_is(c, LXO_NTUPLE) && i.tag == LX_TSYMBOL) {
        lx_Value v;
        if (!keyed_get(L, c, i, &v))
            lxE_error(L, LXT_FieldError, "type NamedTuple has no field `%s`", ((lxO_string *)i.v.o)->data);
        return v;
    }
    if (lxO_is(c, LXO_NTUPLE) && lxO_is(i, LXO_TUPLE)) { /* nt[(:a, :b)] */
        lxO_tuple *ks = lxO_as(lxO_tuple, i);
        lxO_ntuple *r = lxO_ntuple_new(L, ks->n);
        for (int k = 0; k < ks->n; k++) {
            lx_Value args[2] = {c, ks->items[k]};
            if (ks->items[k].tag != LX_TSYMBOL) nomethod(L, "getindex", args, 2);
            r->names[k] = (lxO_string *)ks->items[k].v.o;
            r->vals[k] = c_getindex(L, args, 2, kw);
        }
        return lxO_obj(r);
    }
    if (!is_seq(c)) nomethod(L, "getindex", a, n);
    int64_t len = length_of(c);
    if (i.tag == LX_TBOOL)
        lxE_error(L, LXT_ArgumentError, "invalid index: %s of type Bool", i.v.b ? "true" : "false");
    if (i.tag == LX_TINT) {
        if (i.v.i < 1 || i.v.i > len) bounds_error(L, c, i);
        return seq_at(c, i.v.i - 1);
    }
    /* a range of a range is a range */
    if (lxO_is(c, LXO_RANGE) && lxO_is(i, LXO_RANGE) && !lxO_as(lxO_range, i)->isfloat) {
        lxO_range *r = lxO_as(lxO_range, c), *s = lxO_as(lxO_range, i);
        if (s->len) {
            int64_t lo = s->start.i, hi = s->start.i + (s->len - 1) * s->step.i;
            if (lo < 1 || lo > len || hi < 1 || hi > len) bounds_error(L, c, i);
        }
        if (!r->isfloat) {
            int64_t st = r->start.i + (s->start.i - 1) * r->step.i, step = r->step.i * s->step.i;
            return lxO_obj(lxO_range_int(L, st, step, st + (s->len - 1) * step));
        }
        double st = r->start.d + (double)(s->start.i - 1) * r->step.d, step = r->step.d * (double)s->step.i;
        lxO_range *q = lxO_range_float(L, st, step, st);
        q->len = s->len;
        return lxO_obj(q);
    }
    lxO_list *pos = lxO_list_new(L, 0);
    int mark = lxV_root(L, lxO_obj(pos));
    index_positions(L, c, len, i, pos);
    for (size_t k = 0; k < pos->n; k++)
        pos->items[k] = seq_at(c, pos->items[k].v.i);
    lx_Value r = lxO_is(c, LXO_TUPLE) ? tuple_of(L, pos->items, pos->n) : lxO_obj(pos);
    lxV_unroot(L, mark);
    return r;
}

/* The values to store at count positions: a scalar repeated (when allowed) or a collection of that length. */
static lx_Value *assign_values(lx_State *L, lx_Value v, size_t count, bool scalar_ok, lx_Value *hold,
                               size_t *step)
{
    bool coll = is_list(v) || lxO_is(v, LXO_TUPLE) || lxO_is(v, LXO_RANGE);
    if (!coll) {
        if (!scalar_ok)
            lxE_error(L, LXT_ArgumentError,
                      "indexed assignment with a single value to possibly many locations is not supported; "
                      "perhaps use broadcasting `.=` instead?");
        *hold = v;
        *step = 0;
        return hold;
    }
    size_t len;
    lx_Value *items = items_of(L, v, &len, hold);
    if (len == 1 && scalar_ok) {
        *step = 0;
        return items;
    }
    if (len != count)
        lxE_error(L, LXT_DimensionMismatch, "tried to assign %zu elements to %zu destinations", len, count);
    *step = 1;
    return items;
}

static void assign_at(lx_State *L, lx_Value c, lx_Value v, lx_Value idx, bool scalar_ok)
{
    lxO_list *l = as_list(c);
    lxO_list *pos = lxO_list_new(L, 0);
    int mark = lxV_root(L, lxO_obj(pos));
    index_positions(L, c, (int64_t)l->n, idx, pos);
    lx_Value hold;
    size_t step;
    lx_Value *src = assign_values(L, v, pos->n, scalar_ok, &hold, &step);
    lxV_root(L, hold);
    for (size_t k = 0; k < pos->n; k++)
        l->items[pos->items[k].v.i] = src[k * step];
    lxV_unroot(L, mark);
}

static lx_Value c_setindex(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value c = a[0], v = a[1];
    if (lxO_is(c, LXO_DICT)) {
        lx_Value k = n == 3 ? a[2] : tuple_of(L, a + 2, (size_t)(n - 2));
        lxO_dict_set(L, lxO_as(lxO_dict, c), k, v);
        return c;
    }
    if (lxO_is(c, LXO_TUPLE) || lxO_is(c, LXO_NTUPLE) || lxO_is(c, LXO_RANGE))
        lxE_error(L, LXT_MethodError, "%s is immutable: setindex! is not defined for it",
                  lxT_name(c.v.o->type));
    if (!is_list(c) || n != 3) nomethod(L, "setindex!", a, n);
    if (a[2].tag == LX_TINT) {
        if (a[2].v.i < 1 || a[2].v.i > (int64_t)as_list(c)->n) bounds_error(L, c, a[2]);
        as_list(c)->items[a[2].v.i - 1] = v;
        return c;
    }
    assign_at(L, c, v, a[2], false);
    return c;
}

static lx_Value c_dotsetindex(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value c = a[0], v = a[1];
    if (!is_list(c) || n != 3) nomethod(L, "__dotsetindex!", a, n);
    if (a[2].tag == LX_TINT) {
        if (a[2].v.i < 1 || a[2].v.i > (int64_t)as_list(c)->n) bounds_error(L, c, a[2]);
        lx_Value cur = as_list(c)->items[a[2].v.i - 1];
        if (cur.tag == LX_TOBJECT && !lxO_is(cur, LXO_STRING)) { /* x[i] .= v fills the element in place */
            lx_Value args[3] = {lxG_get(L, "identity"), cur, v};
            lxL_callg(L, "broadcast!", args, 3);
        } else {
            as_list(c)->items[a[2].v.i - 1] = v;
        }
        return c;
    }
    assign_at(L, c, v, a[2], true);
    return c;
}

/* ---- the iterate protocol ---------------------------------------------------------------------------------
 */

static lx_Value item_state(lx_State *L, lx_Value item, int64_t state)
{
    lx_Value t[2] = {item, lxO_int(state)};
    return tuple_of(L, t, 2);
}

static lx_Value c_iterate(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value c = a[0];
    int64_t s = 1;
    if (n == 2) {
        if (a[1].tag == LX_TNOTHING) return lxO_nothing(); /* a number's second step */
        s = lxL_int(L, a, 1, "iterate");
    }
    if (lxO_isnumber(c)) return n == 1 ? tuple_of(L, (lx_Value[]){c, lxO_nothing()}, 2) : lxO_nothing();
    if (is_pair(L, c))
        return s <= 2 ? item_state(L, lxO_as(lxO_struct, c)->fields[s - 1], s + 1) : lxO_nothing();
    if (lxO_is(c, LXO_STRING)) { /* the state is the byte index of the next character */
        lxO_string *str = lxO_as(lxO_string, c);
        if (s < 1 || (size_t)s > str->len) return lxO_nothing();
        size_t next;
        lx_Value ch = str_char(L, str, (size_t)(s - 1), &next);
        return item_state(L, ch, (int64_t)next + 1);
    }
    if (lxO_is(c, LXO_DICT)) { /* the state is the next slot of the entry table */
        lxO_dict *d = lxO_as(lxO_dict, c);
        size_t i = s > 0 ? (size_t)(s - 1) : 0;
        while (i < d->used && d->entries[i].key.tag == LX_TUNDEF)
            i++;
        if (i >= d->used) return lxO_nothing();
        return item_state(L, dict_pair(L, d, i), (int64_t)i + 2);
    }
    if (!is_seq(c)) nomethod(L, "iterate", a, n);
    if (s < 1 || s > length_of(c)) return lxO_nothing();
    return item_state(L, seq_at(c, s - 1), s + 1);
}

/* ---- ranges -----------------------------------------------------------------------------------------------
 */

static lx_Value c_step(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (!lxO_is(a[0], LXO_RANGE)) nomethod(L, "step", a, n);
    lxO_range *r = lxO_as(lxO_range, a[0]);
    return r->isfloat ? lxO_f64(r->step.d) : lxO_int(r->step.i);
}

static lx_Value float_range(lx_State *L, double start, double step, int64_t len)
{
    lxO_range *r = lxO_range_float(L, start, step != 0 ? step : 1, start);
    r->step.d = step;
    r->len = len;
    return lxO_obj(r);
}

static lx_Value c_range(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value start = a[0], stop = lxL_kw(L, kw, "stop", lxO_nothing());
    lx_Value len = lxL_kw(L, kw, "length", lxO_nothing()), step = lxL_kw(L, kw, "step", lxO_nothing());
    if (n >= 2) stop = a[1];
    if (n >= 3) len = a[2];
    if (!lxO_isnumber(start)) lxE_typeerror(L, "range", "a number for start", start);
    if (stop.tag != LX_TNOTHING && !lxO_isnumber(stop)) lxE_typeerror(L, "range", "a number for stop", stop);
    if (step.tag != LX_TNOTHING && !lxO_isnumber(step)) lxE_typeerror(L, "range", "a number for step", step);
    int64_t k = 0;
    if (len.tag != LX_TNOTHING) {
        k = lxL_int(L, &len, 0, "range");
        if (k < 0) lxE_error(L, LXT_ArgumentError, "length cannot be negative, got %lld", (long long)k);
    }
    bool ints = start.tag == LX_TINT && (step.tag == LX_TNOTHING || step.tag == LX_TINT);
    if (stop.tag != LX_TNOTHING && len.tag != LX_TNOTHING) {
        if (step.tag != LX_TNOTHING)
            lxE_error(L, LXT_ArgumentError,
                      "too many arguments specified; try passing only one of `stop` or `length`");
        double s0 = lxO_tonumber(start), s1 = lxO_tonumber(stop);
        if (k == 1) return float_range(L, s0, 0, 1);
        return float_range(L, s0, k ? (s1 - s0) / (double)(k - 1) : 1, k);
    }
    if (len.tag != LX_TNOTHING) { /* start, length and maybe step */
        if (ints) {
            int64_t st = step.tag == LX_TINT ? step.v.i : 1;
            if (st == 0) lxE_error(L, LXT_ArgumentError, "step cannot be zero");
            return lxO_obj(lxO_range_int(L, start.v.i, st, start.v.i + (k - 1) * st));
        }
        return float_range(L, lxO_tonumber(start), step.tag == LX_TNOTHING ? 1 : lxO_tonumber(step), k);
    }
    if (stop.tag != LX_TNOTHING) {
        lx_Value args[3] = {start, step.tag == LX_TNOTHING ? lxO_int(1) : step, stop};
        return lxL_callg(L, ":", args, 3);
    }
    lxE_error(L, LXT_ArgumentError, "range: give at least one of `stop` or `length`");
}

/* ---- sorting
 * ------------------------------------------------------------------------------------------------ */

typedef struct {
    lx_State *L;
    lx_Value lt;    /* nothing: isless */
    lx_Value *keys; /* the values compared (by(x) when `by` is given) */
    bool rev;
} sorter;

/* isless(a, b) with fast paths for numbers and strings; NaN sorts last. */
static bool before(sorter *s, lx_Value a, lx_Value b)
{
    if (s->rev) {
        lx_Value t = a;
        a = b;
        b = t;
    }
    lx_State *L = s->L;
    if (s->lt.tag == LX_TNOTHING) {
        if (lxO_isnumber(a) && lxO_isnumber(b)) {
            bool na = (a.tag == LX_TFLOAT64 || a.tag == LX_TFLOAT32) && isnan(lxO_tonumber(a));
            bool nb = (b.tag == LX_TFLOAT64 || b.tag == LX_TFLOAT32) && isnan(lxO_tonumber(b));
            if (na || nb) return !na && nb;
            return lxV_less(a, b, false) == 1;
        }
        if (lxO_is(a, LXO_STRING) && lxO_is(b, LXO_STRING)) return lxV_less(a, b, false) == 1;
    }
    lx_Value args[2] = {a, b};
    lx_Value r = s->lt.tag == LX_TNOTHING ? lxL_callg(L, "isless", args, 2)
                                          : lxV_call(L, s->lt, args, 2, lxO_nothing());
    if (r.tag != LX_TBOOL) lxE_typeerror(L, "sort", "a Bool from the comparison", r);
    return r.v.b;
}

/* Stable bottom-up merge sort of the permutation perm (Ints, 0-based) by keys. */
static void merge_sort(sorter *s, lx_Value *perm, lx_Value *tmp, size_t n)
{
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                if (before(s, s->keys[perm[j].v.i], s->keys[perm[i].v.i]))
                    tmp[k++] = perm[j++];
                else
                    tmp[k++] = perm[i++];
            }
            while (i < mid)
                tmp[k++] = perm[i++];
            while (j < hi)
                tmp[k++] = perm[j++];
        }
        memcpy(perm, tmp, n * sizeof *perm);
    }
}

/* The sorted order of the elements of a[0] as a list of 0-based Ints;
 * *vals gets the elements themselves (a list, rooted at the returned mark's level). */
static lxO_list *sort_perm(lx_State *L, lx_Value v, lx_Value kw, lxO_list **vals, int *mark)
{
    lxO_list *items = to_list(L, v);
    *mark = lxV_root(L, lxO_obj(items));
    *vals = items;
    size_t n = items->n;
    sorter s = {L, lxL_kw(L, kw, "lt", lxO_nothing()), items->items, false};
    lx_Value rev = lxL_kw(L, kw, "rev", lxO_bool(false)), by = lxL_kw(L, kw, "by", lxO_nothing());
    if (rev.tag != LX_TBOOL) lxE_typeerror(L, "sort", "a Bool for rev", rev);
    s.rev = rev.v.b;
    if (lxO_is(s.lt, LXO_GENERIC) && lxO_as(lxO_generic, s.lt)->name == lxS_cstr(L, "isless"))
        s.lt = lxO_nothing();
    lxV_root(L, s.lt);
    if (by.tag != LX_TNOTHING &&
        !(lxO_is(by, LXO_GENERIC) && lxO_as(lxO_generic, by)->name == lxS_cstr(L, "identity"))) {
        lxO_list *keys = lxO_list_new(L, n);
        lxV_root(L, lxO_obj(keys));
        for (size_t i = 0; i < n && i < items->n; i++)
            lxO_list_push(L, keys, lxV_call(L, by, &items->items[i], 1, lxO_nothing()));
        s.keys = keys->items;
    }
    lxO_list *perm = lxO_list_new(L, n), *tmp = lxO_list_new(L, n);
    lxV_root(L, lxO_obj(perm));
    lxV_root(L, lxO_obj(tmp));
    for (size_t i = 0; i < n; i++) {
        lxO_list_push(L, perm, lxO_int((int64_t)i));
        lxO_list_push(L, tmp, lxO_int(0));
    }
    merge_sort(&s, perm->items, tmp->items, n);
    return perm;
}

static lx_Value c_sort(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    if (lxO_is(a[0], LXO_DICT) || lxO_is(a[0], LXO_NTUPLE) || lxO_is(a[0], LXO_STRING) || lxO_isnumber(a[0]))
        nomethod(L, "sort", a, n);
    lxO_list *vals;
    int mark;
    lxO_list *perm = sort_perm(L, a[0], kw, &vals, &mark);
    for (size_t i = 0; i < perm->n; i++)
        perm->items[i] = vals->items[perm->items[i].v.i];
    lx_Value r = lxO_is(a[0], LXO_TUPLE) ? tuple_of(L, perm->items, perm->n) : lxO_obj(perm);
    lxV_unroot(L, mark);
    return r;
}

static lx_Value c_sort_bang(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_list *l = list_arg(L, a, n, "sort!");
    lxO_list *vals;
    int mark;
    lxO_list *perm = sort_perm(L, a[0], kw, &vals, &mark);
    if (l->n != perm->n) lxE_error(L, LXT_ArgumentError, "sort!: the list changed length while being sorted");
    for (size_t i = 0; i < perm->n; i++)
        l->items[i] = vals->items[perm->items[i].v.i];
    lxV_unroot(L, mark);
    return a[0];
}

static lx_Value c_sortperm(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_list *vals;
    int mark;
    lxO_list *perm = sort_perm(L, a[0], kw, &vals, &mark);
    for (size_t i = 0; i < perm->n; i++)
        perm->items[i].v.i++;
    lxV_unroot(L, mark);
    return lxO_obj(perm);
}

static lx_Value c_issorted(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxO_list *vals;
    int mark;
    lxO_list *perm = sort_perm(L, a[0], kw, &vals, &mark);
    bool ok = true;
    for (size_t i = 0; i < perm->n && ok; i++)
        ok = perm->items[i].v.i == (int64_t)i;
    lxV_unroot(L, mark);
    return lxO_bool(ok);
}

/* Lists compare lexicographically by isless, as Julia's vectors do. */
static lx_Value c_list_less(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    sorter s = {L, lxO_nothing(), NULL, false};
    for (size_t i = 0; i < as_list(a[0])->n && i < as_list(a[1])->n; i++) {
        lx_Value x = as_list(a[0])->items[i], y = as_list(a[1])->items[i];
        if (before(&s, x, y)) return lxO_bool(true);
        if (i >= as_list(a[0])->n || i >= as_list(a[1])->n) break; /* a user isless changed them */
        if (before(&s, y, x)) return lxO_bool(false);
    }
    return lxO_bool(as_list(a[0])->n < as_list(a[1])->n);
}

/* ---- broadcasting over lists and tuples
 * ----------------------------------------------------------------------- */

#define MAXBC 32

/* The common length of the broadcast arguments (-1: all scalars); whether every collection is a tuple. */
static int64_t broadcast_shape(lx_State *L, lx_Value *xs, int n, int64_t len, bool *tuples)
{
    *tuples = true;
    for (int i = 0; i < n; i++) {
        lx_Value x = xs[i];
        if (lxO_is(x, LXO_DICT) || lxO_is(x, LXO_NTUPLE))
            lxE_error(L, LXT_ArgumentError, "broadcasting over dictionaries and `NamedTuple`s is reserved");
        if (!is_list(x) && !lxO_is(x, LXO_TUPLE) && !lxO_is(x, LXO_RANGE)) continue; /* a scalar */
        if (!lxO_is(x, LXO_TUPLE)) *tuples = false;
        int64_t k = length_of(x);
        if (len < 0 || len == 1)
            len = k;
        else if (k != len && k != 1)
            lxE_error(
                L, LXT_DimensionMismatch,
                "arrays could not be broadcast to a common size; got a dimension with lengths %lld and %lld",
                (long long)len, (long long)k);
    }
    return len;
}

/* Argument x's value for element i: a scalar itself, a collection's element i (its only one when of length
 * 1). */
static lx_Value bc_arg(lx_State *L, lx_Value x, int64_t i)
{
    if (!is_list(x) && !lxO_is(x, LXO_TUPLE) && !lxO_is(x, LXO_RANGE)) return x;
    int64_t len = length_of(x);
    if (len == 1) return seq_at(x, 0);
    if (i >= len) lxE_error(L, LXT_DimensionMismatch, "broadcast: an argument changed length");
    return seq_at(x, i);
}

static lx_Value c_broadcast(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value f = a[0], *xs = a + 1;
    int nx = n - 1;
    for (int i = 0; i < nx; i++) /* tensors broadcast by their own rules (tensor_bcast.c) */
        if (lxL_istensor(xs[i])) return lxL_tensor_broadcast(L, f, xs, nx);
    if (nx > MAXBC) lxE_error(L, LXT_ArgumentError, "broadcast: at most %d arguments", MAXBC);
    bool tuples;
    int64_t len = broadcast_shape(L, xs, nx, -1, &tuples);
    if (len < 0) return lxV_call(L, f, xs, nx, lxO_nothing());
    lxO_list *r = lxO_list_new(L, (size_t)len);
    int mark = lxV_root(L, lxO_obj(r));
    /* arithmetic on two numbers goes through the VM's promotion directly */
    lxK_opcode op = LXK_NUM_OPCODES;
    if (nx == 2 && lxO_is(f, LXO_GENERIC)) {
        const char *nm = lxO_as(lxO_generic, f)->name->data;
        op = !strcmp(nm, "+")   ? BC_ADD
             : !strcmp(nm, "-") ? BC_SUB
             : !strcmp(nm, "*") ? BC_MUL
             : !strcmp(nm, "/") ? BC_DIV
                                : LXK_NUM_OPCODES;
    }
    lx_Value args[MAXBC];
    for (int64_t i = 0; i < len; i++) {
        for (int k = 0; k < nx; k++)
            args[k] = bc_arg(L, xs[k], i);
        lx_Value y;
        if (op == LXK_NUM_OPCODES || !lxO_isnumber(args[0]) || !lxO_isnumber(args[1]) ||
            !lxV_arith(L, op, args[0], args[1], &y))
            y = lxV_call(L, f, args, nx, lxO_nothing());
        lxO_list_push(L, r, y);
    }
    lx_Value out = tuples ? tuple_of(L, r->items, r->n) : lxO_obj(r);
    lxV_unroot(L, mark);
    return out;
}

static lx_Value c_broadcast_bang(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value f = a[0], dest = a[1], *xs = a + 2;
    int nx = n - 2;
    if (!is_list(dest)) nomethod(L, "broadcast!", a, n);
    if (nx > MAXBC) lxE_error(L, LXT_ArgumentError, "broadcast!: at most %d arguments", MAXBC);
    lxO_list *d = as_list(dest);
    /* a tensor destination has its own method (tensor_bcast.c); tensors among the sources: their broadcast,
     * written element by element */
    for (int i = 0; i < nx; i++)
        if (lxL_istensor(xs[i])) {
            lx_Value r = lxL_tensor_broadcast(L, f, xs, nx);
            if (!lxL_istensor(r)) {
                for (size_t k = 0; k < d->n; k++)
                    d->items[k] = r;
                return dest;
            }
            nn_tensor *t = lxL_tval(r);
            if (t->numel != (int64_t)d->n && t->numel != 1)
                lxE_error(L, LXT_DimensionMismatch,
                          "cannot broadcast a Tensor of %lld elements into a destination of length %zu",
                          (long long)t->numel, d->n);
            for (size_t k = 0; k < d->n; k++)
                d->items[k] = lxL_elem(L, t, t->numel == 1 ? 0 : (int64_t)k);
            return dest;
        }
    bool tuples;
    int64_t len = broadcast_shape(L, xs, nx, (int64_t)d->n, &tuples);
    if (len != (int64_t)d->n && len >= 0)
        lxE_error(L, LXT_DimensionMismatch,
                  "cannot broadcast a collection of length %lld into a destination of length %zu",
                  (long long)len, d->n);
    /* the results go to a fresh list first, so x .= f.(x[end:-1:1]) reads the old values */
    lxO_list *r = lxO_list_new(L, d->n);
    int mark = lxV_root(L, lxO_obj(r));
    lx_Value args[MAXBC];
    bool ident = lxO_is(f, LXO_GENERIC) && lxO_as(lxO_generic, f)->name == lxS_cstr(L, "identity") && nx == 1;
    for (size_t i = 0; i < d->n; i++) {
        for (int k = 0; k < nx; k++)
            args[k] = bc_arg(L, xs[k], (int64_t)i);
        lxO_list_push(L, r, ident ? args[0] : lxV_call(L, f, args, nx, lxO_nothing()));
    }
    if (r->n != d->n) lxE_error(L, LXT_DimensionMismatch, "broadcast!: the destination changed length");
    memcpy(d->items, r->items, r->n * sizeof *r->items);
    lxV_unroot(L, mark);
    return dest;
}

/* ==(x), isequal(x), in(c), <(x), ...: Julia's Fix2, `y -> f(y, x)` (made by the prelude's __fix2). */
static lx_Value fix2(lx_State *L, const char *fname, lx_Value x)
{
    lx_Value args[2] = {lxG_get(L, fname), x};
    return lxL_callg(L, "__fix2", args, 2);
}
#define FIX2(cname, fname)                                                                                   \
    static lx_Value cname(lx_State *L, lx_Value *a, int n, lx_Value kw)                                      \
    {                                                                                                        \
        return fix2(L, fname, a[0]);                                                                         \
    }
FIX2(c_fix_eq, "==")
FIX2(c_fix_ne, "!=")
FIX2(c_fix_lt, "<")
FIX2(c_fix_le, "<=")
FIX2(c_fix_gt, ">")
FIX2(c_fix_ge, ">=")
FIX2(c_fix_isequal, "isequal")
FIX2(c_fix_in, "in")

/* ---- the table
 * --------------------------------------------------------------------------------------------- */

static const lxL_Reg collections_lib[] = {
    {"length", "(x)", c_length,
     "    length(x)\n\nThe number of elements of a List, Tuple, NamedTuple, Dict, Range, Pair or String "
     "(characters).\n\n# Arguments\n- `x`: a collection.\n\n# Returns\nAn Int.\n\n# Examples\n```\nlx> "
     "length([1, \"a\", :b])\n3\n\nlx> length(Dict(:a => 1))\n1\n\nlx> length(0:0.25:1)\n5\n```"},
    {"isempty", "(x)", c_isempty,
     "    isempty(x)\n\nWhether a collection has no elements (for other iterables: whether `iterate(x)` is "
     "`nothing`).\n\n# Arguments\n- `x`: a collection or any iterable.\n\n# Returns\nA Bool.\n\n# "
     "Examples\n```\nlx> isempty([])\ntrue\n\nlx> isempty((1,))\nfalse\n\nlx> isempty(Dict())\ntrue\n```"},
    {"size", "(x, d = all)", c_size,
     "    size(x)\n    size(x, d)\n\nThe shape of a List, Tuple or Range as a tuple `(n,)` (they are "
     "one-dimensional); `size(x, 1)` is n and higher dimensions are 1.\n\n# Examples\n```\nlx> size([1, 2, "
     "3])\n(3,)\n\nlx> size(1:4, 2)\n1\n```"},
    {"ndims", "(x)", c_ndims,
     "    ndims(x)\n\nThe number of dimensions: 1 for lists, tuples and ranges, 0 for numbers.\n\n# "
     "Examples\n```\nlx> ndims([1, 2])\n1\n```"},
    {"firstindex", "(x, d = 1)", c_firstindex,
     "    firstindex(x)\n\nThe first index of a sequence: always 1 (what `x[begin]` uses).\n\n# Arguments\n- "
     "`x`: a sequence.\n\n# Returns\nThe Int 1.\n\n# Examples\n```\nlx> firstindex((5, 6))\n1\n```"},
    {"lastindex", "(x, d = 1)", c_lastindex,
     "    lastindex(x)\n    lastindex(x, d)\n\nThe last index of a List, Tuple, NamedTuple or Range (its "
     "length; 1 for d > 1), or of a String (the byte index where its last character starts). `x[end]` calls "
     "it.\n\n# Arguments\n- `x`: a List, Tuple, NamedTuple, Range or String.\n- `d`: a dimension.\n\n# "
     "Returns\nAn Int.\n\n# Examples\n```\nlx> lastindex([4, 5, 6])\n3\n\nlx> (10:10:50)[end]\n50\n```"},
    {"eachindex", "(x, ys...)", c_eachindex,
     "    eachindex(x, ys...)\n\nThe indices of a sequence, `1:length(x)` (for a Dict, its keys). With "
     "several arguments they must have the same length.\n\n# Examples\n```\nlx> eachindex([:a, :b, "
     ":c])\n1:3\n```"},
    {"push!", "(c, xs...)", c_push,
     "    push!(list, xs...)\n    push!(dict, pairs...)\n\nAppends the values to the end of a List (or sets "
     "the `key => value` pairs in a Dict) and returns the collection.\n\n# Examples\n```\nlx> l = [1]; "
     "push!(l, 2, 3); l == [1, 2, 3]\ntrue\n\nlx> push!(Dict(), :a => 1)\nDict with 1 entry:\n  :a => "
     "1\n```"},
    {"pushfirst!", "(l::List, xs...)", c_pushfirst,
     "    pushfirst!(list, xs...)\n\nInserts the values at the front of a List, in the order given, and "
     "returns it.\n\n# Examples\n```\nlx> l = [3]; pushfirst!(l, 1, 2); l == [1, 2, 3]\ntrue\n```"},
    {"pop!", "(c, key = last, default = none)", c_pop,
     "    pop!(list)\n    pop!(dict, key[, default])\n\nRemoves and returns the last element of a List (an "
     "ArgumentError when it is empty), or the value at `key` of a Dict (a KeyError when absent, unless a "
     "default is given).\n\n# Examples\n```\nlx> l = [1, 2, 3]; pop!(l)\n3\n\nlx> d = Dict(:a => 1); pop!(d, "
     ":a), length(d)\n(1, 0)\n\nlx> pop!(Dict(), :b, 0)\n0\n```"},
    {"popfirst!", "(l::List)", c_popfirst,
     "    popfirst!(list)\n\nRemoves and returns the first element of a List.\n\n# Examples\n```\nlx> l = "
     "[1, 2, 3]; popfirst!(l), length(l)\n(1, 2)\n```"},
    {"insert!", "(l::List, i, x)", c_insert,
     "    insert!(list, i, x)\n\nInserts x so that it becomes `list[i]` (1 ≤ i ≤ length + 1) and returns the "
     "list.\n\n# Examples\n```\nlx> l = [1, 3]; insert!(l, 2, 2); l == [1, 2, 3]\ntrue\n```"},
    {"deleteat!", "(l::List, i)", c_deleteat,
     "    deleteat!(list, i)\n\nRemoves the elements at i (an Int, a Range, a sorted List of Ints or a Bool "
     "mask) and returns the list.\n\n# Examples\n```\nlx> l = [1, 2, 3, 4]; deleteat!(l, 2:3); l == [1, "
     "4]\ntrue\n```"},
    {"empty!", "(c)", c_empty,
     "    empty!(c)\n\nRemoves every element of a List or Dict and returns it.\n\n# Examples\n```\nlx> d = "
     "Dict(1 => 2); empty!(d); length(d)\n0\n```"},
    {"append!", "(l::List, collections...)", c_append,
     "    append!(list, collections...)\n\nPushes every element of each collection (any iterable: a List, "
     "Tuple, NamedTuple's values, Range, String's characters, Dict's pairs, or a type with `iterate` "
     "methods) onto the list, and returns it.\n\n# Examples\n```\nlx> l = [1]; append!(l, (2, 3), 4:5); l == "
     "[1, 2, 3, 4, 5]\ntrue\n\nlx> append!([], \"ab\")\n2-element List:\n \"a\"\n \"b\"\n```"},
    {"prepend!", "(l::List, collections...)", c_prepend,
     "    prepend!(list, collections...)\n\nInserts the elements of the collections at the front of the "
     "list, in order, and returns it.\n\n# Examples\n```\nlx> l = [3]; prepend!(l, 1:2); l == [1, 2, "
     "3]\ntrue\n```"},
    {"resize!", "(l::List, n)", c_resize,
     "    resize!(list, n)\n\nShortens the list to n elements or extends it with `nothing`s; returns "
     "it.\n\n# Examples\n```\nlx> resize!([1, 2, 3], 2) == [1, 2]\ntrue\n```"},
    {"collect", "(x)", c_collect,
     "    collect(x)\n    collect(T, x)\n\nA new List of the elements of any iterable: a tuple's items, a "
     "named tuple's values, a string's characters (one-character strings), a dict's pairs, a generator's "
     "values (a range or a tensor gives a tensor: see `collect(r::Range)`). `collect(T, x)` converts each "
     "element to T.\n\n# Examples\n```\nlx> collect((1, 2, 3))\n3-element List:\n 1\n 2\n 3\n\nlx> "
     "collect(\"hé\")\n2-element List:\n \"h\"\n \"é\"\n\nlx> collect(Float64, (1, 2))\n2-element "
     "List:\n 1.0\n 2.0\n```"},
    {"collect", "(T::Type, x)", c_collect, ""},
    {"Tuple", "(xs = ())", c_tuple_ctor,
     "    Tuple(xs)\n\nA tuple of the elements of an iterable.\n\n# Arguments\n- `xs`: any iterable.\n\n# "
     "Returns\nA Tuple.\n\n# Examples\n```\nlx> Tuple([1, 2])\n(1, 2)\n\nlx> Tuple(1:3)\n(1, 2, 3)\n```"},
    {"NamedTuple", "(pairs = ())", c_namedtuple_ctor,
     "    NamedTuple()\n    NamedTuple(pairs)\n\nThe empty named tuple, or one made from an iterable of "
     "`:name => value` pairs (or a Dict with Symbol keys).\n\n# Arguments\n- `pairs`: an iterable of `Symbol "
     "=> value` pairs, or a Dict with Symbol keys.\n\n# Returns\nA NamedTuple.\n\n# Examples\n```\nlx> "
     "NamedTuple()\nNamedTuple()\n\nlx> NamedTuple([:a => 1, :b => 2])\n(a = 1, b = 2)\n```"},
    {"__namedtuple", "(names, values)", c_namedtuple_internal, ""},
    {"Dict", "(pairs...)", c_dict_ctor,
     "    Dict()\n    Dict(pairs...)\n    Dict(iterable)\n\nA dictionary (insertion-ordered hash table) from "
     "`key => value` pairs, or from an iterable of pairs or 2-tuples (a named tuple gives Symbol keys). Keys "
     "compare with `isequal`.\n\n# Arguments\n- `pairs`: `key => value` pairs.\n- `iterable`: an iterable of "
     "pairs or 2-tuples, or a named tuple.\n\n# Returns\nA new Dict (empty with no arguments).\n\n# "
     "Examples\n```\nlx> d = Dict(\"a\" => 1, \"b\" => 2)\nDict with 2 entries:\n  \"a\" => 1\n  \"b\" => "
     "2\n\nlx> d[\"b\"]\n2\n\nlx> Dict([(1, :x)])\nDict with 1 entry:\n  1 => :x\n```"},
    {"vcat", "(xs...)", c_vcat,
     "    vcat(xs...)\n\nA new List: the elements of each List or Range argument in turn, and any other "
     "argument as one element.\n\n# Examples\n```\nlx> vcat([1, 2], 3, 4:5) == [1, 2, 3, 4, 5]\ntrue\n```"},
    {"copy", "(x)", c_copy,
     "    copy(x)\n\nA shallow copy of a List, Dict or mutable struct (the elements are shared); other "
     "values are returned as they are.\n\n# Examples\n```\nlx> a = [[1]]; b = copy(a); push!(b, 2); "
     "length(a), b[1] === a[1]\n(1, true)\n```"},
    {"deepcopy", "(x)", c_deepcopy,
     "    deepcopy(x)\n\nA copy of x and, recursively, of everything it contains (lists, dicts, tuples, "
     "structs); shared and cyclic references stay shared in the copy.\n\n# Examples\n```\nlx> a = "
     "Any[Any[1]]; b = deepcopy(a); push!(b[1], 2); a[1] == [1]\ntrue\n```"},
    {"keys", "(x)", c_keys,
     "    keys(x)\n\nThe keys of a Dict (a List, in insertion order), a NamedTuple's field names (a tuple of "
     "symbols), or the indices `1:n` of a List, Tuple or Range.\n\n# Examples\n```\nlx> keys((a = 1, b = "
     "2))\n(:a, :b)\n\nlx> keys(Dict(:x => 1))\n1-element List:\n :x\n```"},
    {"values", "(x)", c_values,
     "    values(x)\n\nThe values of a Dict (a List, in insertion order) or of a NamedTuple (a tuple); a "
     "List, Tuple or Range itself.\n\n# Examples\n```\nlx> values((a = 1, b = 2))\n(1, 2)\n```"},
    {"pairs", "(x)", c_pairs,
     "    pairs(x)\n\nA List of `key => value` pairs: a Dict's entries, a NamedTuple's `:name => value`, or "
     "a sequence's `index => element`. (Julia returns a lazy iterator; lx builds the list.)\n\n# "
     "Examples\n```\nlx> pairs((a = 1, b = 2))\n2-element List:\n :a => 1\n :b => 2\n\nlx> for (k, v) in "
     "pairs([:x, :y]) println(k, \" \", v) end\n1 x\n2 y\n```"},
    {"haskey", "(c, key)", c_haskey,
     "    haskey(c, key)\n\nWhether a Dict has the key (a NamedTuple the field; a sequence the index).\n\n# "
     "Examples\n```\nlx> haskey(Dict(:a => 1), :a)\ntrue\n\nlx> haskey((a = 1,), :b)\nfalse\n```"},
    {"get", "(c, key, default)", c_get,
     "    get(c, key, default)\n    get(f, c, key)\n\nThe value at key in a Dict (a NamedTuple's field, a "
     "sequence's index), or default when there is none; with a function first, `f()` is called for the "
     "default.\n\n# Examples\n```\nlx> get(Dict(:a => 1), :b, 0)\n0\n\nlx> get((a = 1,), :a, 0)\n1\n\nlx> "
     "get(() -> \"none\", Dict(), 1)\n\"none\"\n```"},
    {"get!", "(d, key, default)", c_getbang,
     "    get!(d, key, default)\n    get!(f, d, key)\n\nThe value at key in the Dict; when absent, stores "
     "default (or `f()`) there first and returns it.\n\n# Examples\n```\nlx> d = Dict(); get!(d, :n, "
     "0)\n0\n\nlx> d = Dict(); push!(get!(() -> [], d, :xs), 1); d[:xs] == [1]\ntrue\n```"},
    {"delete!", "(d, key)", c_delete,
     "    delete!(d, key)\n\nRemoves key (if present) from the Dict and returns it.\n\n# Examples\n```\nlx> "
     "d = Dict(:a => 1, :b => 2); delete!(d, :a)\nDict with 1 entry:\n  :b => 2\n```"},
    {"merge", "(a::Dict, bs...)", c_merge_dict,
     "    merge(d, others...)\n\nA new Dict with the entries of each dict in turn (later values win).\n\n# "
     "Arguments\n- `d`: a Dict.\n- `others`: more Dicts.\n\n# Returns\nA new Dict.\n\n# Examples\n```\nlx> "
     "merge(Dict(:a => 1), Dict(:a => 2, :b => 3))\nDict with 2 entries:\n  :a => 2\n  :b => 3\n```"},
    {"first", "(x, n = 1)", c_first,
     "    first(x)\n    first(x, n)\n\nThe first element (a Dict's first pair, a Pair's first half), or the "
     "first n elements (a List for a List, a Tuple for a Tuple, a Range for a Range, a String for a String). "
     "An empty sequence is a BoundsError.\n\n# Arguments\n- `x`: a collection (List, Tuple, Range, String, "
     "Dict, Pair, or any iterable).\n- `n`: the number of elements, an integer `>= 0`.\n\n# Returns\nThe "
     "first element, or a collection of x's kind holding the first n.\n\n# Examples\n```\nlx> first([3, 4, "
     "5])\n3\n\nlx> first(1:10, 3)\n1:3\n\nlx> first(\"hello\", 2)\n\"he\"\n```"},
    {"last", "(x, n = 1)", c_last,
     "    last(x)\n    last(x, n)\n\nThe last element (a Pair's second half), or the last n elements, as "
     "`first` does from the front.\n\n# Arguments\n- `x`: a collection (List, Tuple, Range, String, Pair, or "
     "any iterable).\n- `n`: the number of elements, an integer `>= 0`.\n\n# Returns\nThe last element, or a "
     "collection of x's kind holding the last n.\n\n# Examples\n```\nlx> last((1, 2, 3))\n3\n\nlx> last((1, "
     "2, 3), 2)\n(2, 3)\n```"},
    {"in", "(x, c)", c_in,
     "    in(x, c)\n    x ∈ c\n\nWhether some element of c is `==` to x. For a Dict, x must be a pair `key "
     "=> value`; for a String, x a one-character string; for an Int range the test is arithmetic.\n\n# "
     "Examples\n```\nlx> 2 in [1, 2, 3]\ntrue\n\nlx> 2.0 ∈ 1:3\ntrue\n\nlx> (:a => 1) in Dict(:a => "
     "1)\ntrue\n```"},
    {"==", "(x)", c_fix_eq, ""},
    {"!=", "(x)", c_fix_ne, ""},
    {"<", "(x)", c_fix_lt, ""},
    {"<=", "(x)", c_fix_le, ""},
    {">", "(x)", c_fix_gt, ""},
    {">=", "(x)", c_fix_ge, ""},
    {"isequal", "(x)", c_fix_isequal,
     "    isequal(x)\n    ==(x)\n    in(c)\n\nOne-argument forms of `isequal`, `==`, `!=`, `<`, `<=`, `>`, "
     "`>=` and `in` give the function `y -> f(y, x)` (Julia's `Base.Fix2`), for predicates such as "
     "`findfirst(isequal(3), xs)` or `filter(in(allowed), xs)`.\n\n# Arguments\n- `x`: the value compared "
     "with (`c`: the collection for `in`).\n\n# Returns\nA Function of one argument.\n\n# Examples\n```\nlx> "
     "findfirst(isequal(3), [1, 3, 3])\n2\n\nlx> count(isequal(\"a\"), [\"a\", \"b\", \"a\"])\n2\n```"},
    {"in", "(c)", c_fix_in, ""},
    {"∉", "(x, c)", c_notin, "    x ∉ c\n\n`!(x in c)`.\n\n# Examples\n```\nlx> 4 ∉ (1, 2, 3)\ntrue\n```"},
    {"unique", "(xs)", c_unique,
     "    unique(xs)\n    unique(f, xs)\n\nA List of the distinct elements of xs (by `isequal`), in the "
     "order they first appear; with f, the elements with distinct `f(x)`.\n\n# Examples\n```\nlx> unique([3, "
     "1, 3, 2, 1]) == [3, 1, 2]\ntrue\n\nlx> unique(x -> x % 3, [1, 4, 2]) == [1, 2]\ntrue\n```"},
    {"reverse", "(xs)", c_reverse,
     "    reverse(xs)\n\nThe elements in reverse order: a new List for a List, a Tuple for a Tuple, a Range "
     "for a Range, a String for a String.\n\n# Arguments\n- `xs`: a List, Tuple, Range or String.\n\n# "
     "Returns\nA new List, Tuple, Range or String.\n\n# Examples\n```\nlx> reverse((1, 2, 3))\n(3, 2, "
     "1)\n\nlx> reverse(1:3)\n3:-1:1\n```"},
    {"reverse!", "(l::List)", c_reverse_bang,
     "    reverse!(list)\n\nReverses the list in place and returns it.\n\n# Examples\n```\nlx> l = [1, 2, "
     "3]; reverse!(l); l == [3, 2, 1]\ntrue\n```"},
    {"getindex", "(c, i...)", c_getindex,
     "    getindex(c, i...)\n    c[i]\n\nIndexing: an element by Int (1-based), a Dict value by key, a "
     "NamedTuple field by Symbol. A Range, a List of Ints or a Bool mask selects several elements: a List "
     "from a List, a Tuple from a Tuple, a Range from a Range indexed by a Range. Out of range is a "
     "BoundsError.\n\n# Arguments\n- `c`: a List, Tuple, NamedTuple, Range, String or Dict.\n- `i`: an Int, "
     "a key, a Symbol, or a Range, List of Ints or Bool mask selecting several elements.\n\n# Returns\nThe "
     "element, or a collection of c's kind holding the selected elements.\n\n# Examples\n```\nlx> (10, 20, "
     "30)[2:3]\n(20, 30)\n\nlx> (1:10)[2:2:6]\n2:2:6\n\nlx> [\"a\", \"b\", \"c\"][[true, false, true]] == "
     "[\"a\", \"c\"]\ntrue\n```"},
    {"setindex!", "(c, v, i...)", c_setindex,
     "    setindex!(c, v, i)\n    c[i] = v\n\nStores v at index i of a List (or key i of a Dict) and returns "
     "the collection. With a Range, List of Ints or mask, v must be a collection of as many values (use "
     "`c[i] .= v` to store one value at each place).\n\n# Examples\n```\nlx> l = [1, 2, 3, 4]; l[2:3] = [0, "
     "0]; l == [1, 0, 0, 4]\ntrue\n```"},
    {"__dotsetindex!", "(c, v, i...)", c_dotsetindex, ""},
    {"iterate", "(x, state = start)", c_iterate,
     "    iterate(x)\n    iterate(x, state)\n\nThe iteration protocol: `nothing` when done, else `(item, "
     "nextstate)`. Built-in containers, strings, numbers and pairs implement it; add methods for your own "
     "types to make `for`, `collect`, splatting and the other collection functions work on them.\n\n# "
     "Examples\n```\nlx> iterate([10, 20])\n(10, 2)\n\nlx> iterate([10, 20], 3)\n\nlx> struct Countdown n "
     "end\n\nlx> iterate(c::Countdown, s = c.n) = s < 1 ? nothing : (s, s - 1);\n\nlx> collect(Countdown(3)) "
     "== [3, 2, 1]\ntrue\n```"},
    {"step", "(r::Range)", c_step,
     "    step(r)\n\nThe step of a range.\n\n# Examples\n```\nlx> step(1:2:9)\n2\n\nlx> "
     "step(0:0.5:1)\n0.5\n```"},
    {"range", "(start, stop = nothing, length = nothing; stop = nothing, length = nothing, step = nothing)",
     c_range,
     "    range(start, stop; length, step)\n    range(start; stop, length, step)\n\nA range from start: to "
     "stop by step (default 1), or of the given length (with stop: evenly spaced Float64 values, as Julia's "
     "`range(0, 1, length = 5)`).\n\n# Examples\n```\nlx> range(0, 1; length = 5)\n0.0:0.25:1.0\n\nlx> "
     "range(1; step = 2, length = 4)\n1:2:7\n\nlx> range(2, 5)\n2:5\n```"},
    {"sort", "(xs; by = identity, lt = isless, rev = false)", c_sort,
     "    sort(xs; by = identity, lt = isless, rev = false)\n\nA sorted copy of xs (a List from a List, "
     "Range or other iterable; a Tuple from a Tuple). The sort is stable: elements that compare equal keep "
     "their order. `by` maps each element to the key compared, `lt` is the less-than test, `rev = true` "
     "sorts in descending order.\n\n# Examples\n```\nlx> sort([3, 1, 2]) == [1, 2, 3]\ntrue\n\nlx> "
     "sort((\"bb\", \"a\", \"ccc\"); by = length, rev = true)\n(\"ccc\", \"bb\", \"a\")\n\nlx> sort([(1, "
     ":b), (0, :a), (1, :a)]; by = first)\n3-element List:\n (0, :a)\n (1, :b)\n (1, :a)\n```"},
    {"sort!", "(l::List; by = identity, lt = isless, rev = false)", c_sort_bang,
     "    sort!(list; by = identity, lt = isless, rev = false)\n\nSorts the list in place (stably) and "
     "returns it; the keywords are `sort`'s.\n\n# Examples\n```\nlx> l = [3, 1, 2]; sort!(l; rev = true); l "
     "== [3, 2, 1]\ntrue\n```"},
    {"sortperm", "(xs; by = identity, lt = isless, rev = false)", c_sortperm,
     "    sortperm(xs; by = identity, lt = isless, rev = false)\n\nThe permutation (a List of indices) that "
     "sorts xs: `xs[sortperm(xs)] == sort(xs)`.\n\n# Examples\n```\nlx> sortperm([30, 10, 20]) == [2, 3, "
     "1]\ntrue\n```"},
    {"<", "(a::List, b::List)", c_list_less, ""},
    {"issorted", "(xs; by = identity, lt = isless, rev = false)", c_issorted,
     "    issorted(xs; by = identity, lt = isless, rev = false)\n\nWhether xs is already in the order `sort` "
     "would give.\n\n# Examples\n```\nlx> issorted(1:3)\ntrue\n\nlx> issorted([2, 1])\nfalse\n```"},
    {"broadcast", "(f, xs...)", c_broadcast,
     "    broadcast(f, xs...)\n    f.(xs...)\n\nCalls f elementwise over the Lists, Tuples and Ranges among "
     "the arguments; other arguments (numbers, strings, ...) are scalars used for every element, and a "
     "collection of length 1 stretches to the others' length. The result is a List, or a Tuple when every "
     "collection argument is a tuple; with only scalars it is `f(xs...)`. Collections of different lengths "
     "are a DimensionMismatch. (Tensors broadcast by their own rules.)\n\n# Examples\n```\nlx> (1, 2, 3) .+ "
     "1\n(2, 3, 4)\n\nlx> broadcast((s, t) -> string(s, t), [\"a\", \"b\"], \"!\") == [\"a!\", "
     "\"b!\"]\ntrue\n\nlx> (x -> 2x).(3)\n6\n```"},
    {"broadcast!", "(f, dest, xs...)", c_broadcast_bang,
     "    broadcast!(f, dest, xs...)\n\n`broadcast(f, xs...)` written into the List dest, which keeps its "
     "length; returns dest. `x .= y` is `broadcast!(identity, x, y)`.\n\n# Examples\n```\nlx> x = [1, 2, 3]; "
     "x .= 0; x == [0, 0, 0]\ntrue\n\nlx> x = [1, 2]; broadcast!((a, b) -> a + b, x, x, 10); x == [11, "
     "12]\ntrue\n```"},
    {NULL, NULL, NULL, NULL}};

void lxL_open_collections(lx_State *L)
{
    lxL_register(L, collections_lib);
    lxG_set(L, "∈", lxG_get(L, "in")); /* one function, as Julia's const ∈ = in */
}
