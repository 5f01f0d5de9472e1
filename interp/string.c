/* string.c — interned strings (lxS_): one object per content per state, in
 * a chained hash table that doubles when it is full, so names, symbols and
 * field keys compare by pointer.
 */
#include "state.h"

#include <string.h>

/* FNV-1a over the bytes, mixed with the state's seed. */
static uint32_t hash_bytes(uint32_t seed, const char *s, size_t len)
{
    uint32_t h = 2166136261u ^ seed;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static void resize(lx_State *L, size_t size)
{
    lxS_table *t = &L->strings;
    lxO_string **b = lxM_realloc(L, NULL, 0, size * sizeof *b);
    memset(b, 0, size * sizeof *b);
    for (size_t i = 0; i < t->size; i++) {
        lxO_string *s = t->buckets[i];
        while (s) {
            lxO_string *next = s->hnext;
            size_t k = s->hash & (size - 1);
            s->hnext = b[k];
            b[k] = s;
            s = next;
        }
    }
    lxM_free(L, t->buckets, t->size * sizeof *t->buckets);
    t->buckets = b;
    t->size = size;
}

lxO_string *lxS_new(lx_State *L, const char *s, size_t len)
{
    lxS_table *t = &L->strings;
    uint32_t h = hash_bytes(L->seed, s, len);
    if (t->size) {
        for (lxO_string *x = t->buckets[h & (t->size - 1)]; x; x = x->hnext)
            if (x->hash == h && x->len == len && !memcmp(x->data, s, len)) return x;
    }
    if (t->count >= t->size) resize(L, t->size ? 2 * t->size : 64);
    if (len > SIZE_MAX - sizeof(lxO_string) - 1)
        lxD_throw(L, LX_ERRMEM, "OutOfMemoryError: a string of %zu bytes", len);
    lxO_string *x = lxM_realloc(L, NULL, 0, sizeof *x + len + 1);
    x->hdr.kind = LXO_STRING;
    x->hdr.type = L->T[LXT_String];
    x->hdr.marked = 0;
    x->hdr.next = L->allgc;
    L->allgc = &x->hdr;
    L->gcdebt += sizeof *x + len + 1;
    x->gidx = -1;
    x->hash = h;
    x->len = len;
    memcpy(x->data, s, len);
    x->data[len] = '\0';
    size_t k = h & (t->size - 1);
    x->hnext = t->buckets[k];
    t->buckets[k] = x;
    t->count++;
    return x;
}

lxO_string *lxS_cstr(lx_State *L, const char *s)
{
    return lxS_new(L, s, strlen(s));
}

/* Unlinks a string the collector is about to free. */
void lxS_remove(lx_State *L, lxO_string *s)
{
    lxS_table *t = &L->strings;
    lxO_string **p = &t->buckets[s->hash & (t->size - 1)];
    while (*p != s)
        p = &(*p)->hnext;
    *p = s->hnext;
    t->count--;
}

void lxS_free_table(lx_State *L)
{
    lxS_table *t = &L->strings;
    lxM_free(L, t->buckets, t->size * sizeof *t->buckets);
    memset(t, 0, sizeof *t);
}
