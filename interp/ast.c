/* ast.c — the tree's arena, constructors and S-expression dump. */
#include "ast.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define BLOCK_SIZE 16384

static const char *const kind_names[AST_NUM_KINDS] = {
#define LXA_KIND_NAME(E) #E,
    LXA_KINDS(LXA_KIND_NAME)
#undef LXA_KIND_NAME
};

const char *lxA_kind_name(lxA_kind k)
{
    return (unsigned)k < AST_NUM_KINDS ? kind_names[k] : "?";
}

void lxA_arena_init(lxA_arena *a, lxX_alloc alloc, void *ud)
{
    memset(a, 0, sizeof *a);
    a->alloc = alloc;
    a->ud = ud;
}

void lxA_arena_free(lxA_arena *a)
{
    for (size_t i = 0; i < a->nblocks; i++)
        a->alloc(a->ud, a->blocks[i], 0, 0);
    if (a->blocks) a->alloc(a->ud, a->blocks, a->cap * sizeof *a->blocks, 0);
    memset(a, 0, sizeof *a);
}

void *lxA_alloc(lxA_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n > a->left) {
        if (a->nblocks == a->cap) {
            size_t cap = a->cap ? 2 * a->cap : 16;
            void **b = a->alloc(a->ud, a->blocks, a->cap * sizeof *b, cap * sizeof *b);
            if (!b) return NULL;
            a->blocks = b;
            a->cap = cap;
        }
        size_t size = n > BLOCK_SIZE ? n : BLOCK_SIZE;
        char *block = a->alloc(a->ud, NULL, 0, size);
        if (!block) return NULL;
        a->blocks[a->nblocks++] = block;
        a->cur = block;
        a->left = size;
    }
    void *p = a->cur;
    a->cur += n;
    a->left -= n;
    memset(p, 0, n);
    return p;
}

lxA_node *lxA_new(lxA_arena *a, lxA_kind k, int line, int col, int n)
{
    lxA_node *node = lxA_alloc(a, sizeof *node);
    if (!node) return NULL;
    node->kind = k;
    node->line = line;
    node->col = col;
    if (n > 0) {
        node->kids = lxA_alloc(a, (size_t)n * sizeof *node->kids);
        if (!node->kids) return NULL;
        node->n = n;
    }
    return node;
}

/* Children arrays grow by doubling inside the arena (the old array is left
 * behind; a parse is short-lived). */
bool lxA_push(lxA_arena *a, lxA_node *parent, lxA_node *child)
{
    int n = parent->n;
    if ((n & (n - 1)) == 0) { /* 0, 1, 2, 4, 8, ...: full */
        int cap = n ? 2 * n : 1;
        lxA_node **k = lxA_alloc(a, (size_t)cap * sizeof *k);
        if (!k) return false;
        if (n) memcpy(k, parent->kids, (size_t)n * sizeof *k);
        parent->kids = k;
    }
    parent->kids[parent->n++] = child;
    return true;
}

typedef struct {
    char *buf;
    size_t n, k;
} dump_out;

static void put(dump_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(dump_out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(o->k < o->n ? o->buf + o->k : NULL, o->k < o->n ? o->n - o->k : 0, fmt, ap);
    va_end(ap);
    if (m > 0) o->k += (size_t)m;
}

static void dump(const lxA_node *x, dump_out *o)
{
    if (!x) {
        put(o, "_");
        return;
    }
    switch (x->kind) {
    case AST_INT: put(o, "%lld", (long long)x->v.i); return;
    case AST_FLOAT: put(o, "%.17g", x->v.d); return;
    case AST_FLOAT32: put(o, "%.9gf0", x->v.d); return;
    case AST_IDENT: put(o, "%s", x->name); return;
    case AST_SYMBOL: put(o, x->name[0] == ':' ? "%s" : ":%s", x->name); return;
    case AST_BOOL: put(o, x->v.i ? "true" : "false"); return;
    case AST_NOTHING: put(o, "nothing"); return;
    case AST_END: put(o, "end"); return;
    case AST_BEGIN: put(o, "begin"); return;
    case AST_STRTEXT: put(o, "\"%.*s\"", (int)x->len, x->name); return;
    default: break;
    }
    put(o, "(%s", kind_names[x->kind]);
    if (x->kind == AST_BINOP || x->kind == AST_DOTOP || x->kind == AST_UNOP || x->kind == AST_DOTUNOP ||
        x->kind == AST_OPASSIGN)
        put(o, " %s", lxX_op_name(x->op));
    if (x->name) put(o, " %s", x->name);
    if (x->flags) put(o, " #%d", x->flags);
    for (int i = 0; i < x->n; i++) {
        put(o, " ");
        if (x->kind == AST_COMPARE && i % 2 == 1 && x->kids[i] && x->kids[i]->kind == AST_INT)
            put(o, "%s", x->kids[i]->name ? x->kids[i]->name : lxX_op_name((lxX_op)x->kids[i]->v.i));
        else
            dump(x->kids[i], o);
    }
    put(o, ")");
}

size_t lxA_dump(const lxA_node *node, char *buf, size_t n)
{
    dump_out o = {buf, n, 0};
    if (n) buf[0] = '\0';
    dump(node, &o);
    return o.k;
}
