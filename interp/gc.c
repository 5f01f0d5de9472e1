/* gc.c — the collector (lxC_): stop-the-world mark and sweep, run only at
 * the VM's safe points (calls and loop back-edges), where every live value
 * is in a register, a global, a frame or the root stack.  The next
 * collection comes when the bytes allocated since this one exceed what was
 * live after it (with a floor), as Lua's pause does.
 */
#include "runtime.h"

#include "nn.h"

#include <stdio.h>
#include <string.h>

#define LXC_TENSOR_SPARES 65536
#define GC_FLOOR ((size_t)4 << 20)

static void traverse(lx_State *L, lxO_header *o);

static void mark_obj(lx_State *L, lxO_header *o)
{
    if (!o || o->marked) return;
    o->marked = 1;
    if (o->kind == LXO_STRING) return;
    if (L->ngray == L->capgray) {
        size_t cap = L->capgray ? 2 * L->capgray : 256;
        /* the gray stack grows through the host's allocator directly: a
         * collection must not raise, so on failure it marks recursively */
        lxO_header **g = L->alloc(L->alloc_ud, L->gray, L->capgray * sizeof *g, cap * sizeof *g);
        if (!g) { /* no memory for the gray stack: traverse this one now */
            traverse(L, o);
            return;
        }
        L->total += (cap - L->capgray) * sizeof *g;
        L->gray = g;
        L->capgray = cap;
    }
    L->gray[L->ngray++] = o;
}

void lxC_mark(lx_State *L, lx_Value v)
{
    if (v.tag == LX_TOBJECT || v.tag == LX_TSYMBOL) mark_obj(L, v.v.o);
}

static void mark_values(lx_State *L, const lx_Value *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        lxC_mark(L, v[i]);
}

static void mark_method(lx_State *L, const lxO_method *m)
{
    if (m->types)
        for (size_t i = 0; i < LXF_NTYPES(m); i++)
            mark_obj(L, (lxO_header *)m->types[i]);
    for (int i = 0; i < m->nkw; i++)
        mark_obj(L, &m->kwnames[i]->hdr);
    mark_obj(L, (lxO_header *)m->fn);
    lxC_mark(L, m->data);
    mark_obj(L, (lxO_header *)m->doc);
    mark_obj(L, (lxO_header *)m->sig);
    mark_obj(L, (lxO_header *)m->file);
}

static void traverse(lx_State *L, lxO_header *o)
{
    mark_obj(L, &o->type->hdr);
    switch ((lxO_kind)o->kind) {
    case LXO_TUPLE: mark_values(L, ((lxO_tuple *)o)->items, (size_t)((lxO_tuple *)o)->n); break;
    case LXO_NTUPLE: {
        lxO_ntuple *t = (lxO_ntuple *)o;
        mark_values(L, t->vals, (size_t)t->n);
        for (int i = 0; i < t->n; i++)
            mark_obj(L, &t->names[i]->hdr);
        break;
    }
    case LXO_LIST: mark_values(L, ((lxO_list *)o)->items, ((lxO_list *)o)->n); break;
    case LXO_DICT: {
        lxO_dict *d = (lxO_dict *)o;
        for (size_t i = 0; i < d->used; i++) {
            lxC_mark(L, d->entries[i].key);
            lxC_mark(L, d->entries[i].val);
        }
        break;
    }
    case LXO_PROTO: {
        lxO_proto *p = (lxO_proto *)o;
        mark_values(L, p->k, (size_t)p->nk);
        for (int i = 0; i < p->nprotos; i++)
            mark_obj(L, &p->protos[i]->hdr);
        for (int i = 0; i < p->nup; i++)
            mark_obj(L, (lxO_header *)p->ups[i].name);
        for (int i = 0; i < p->nkw; i++)
            mark_obj(L, &p->kwnames[i]->hdr);
        /* caches hold weak references: cleared below if their targets die */
        mark_obj(L, (lxO_header *)p->name);
        mark_obj(L, (lxO_header *)p->sig);
        mark_obj(L, (lxO_header *)p->file);
        break;
    }
    case LXO_CLOSURE: {
        lxO_closure *c = (lxO_closure *)o;
        mark_obj(L, &c->p->hdr);
        for (int i = 0; i < c->nup; i++)
            mark_obj(L, (lxO_header *)c->up[i]);
        break;
    }
    case LXO_BOX: lxC_mark(L, ((lxO_box *)o)->v); break;
    case LXO_GENERIC: {
        lxO_generic *g = (lxO_generic *)o;
        mark_obj(L, &g->name->hdr);
        mark_obj(L, (lxO_header *)g->doc);
        for (int i = 0; i < g->n; i++)
            mark_method(L, &g->methods[i]);
        break;
    }
    case LXO_TYPE: {
        lxO_type *t = (lxO_type *)o;
        mark_obj(L, (lxO_header *)t->name);
        mark_obj(L, (lxO_header *)t->super);
        for (int i = 0; i < t->nfields; i++) {
            mark_obj(L, &t->fields[i]->hdr);
            if (t->ftypes) mark_obj(L, (lxO_header *)t->ftypes[i]);
        }
        mark_obj(L, (lxO_header *)t->ctor);
        mark_obj(L, (lxO_header *)t->doc);
        lxC_mark(L, t->extra);
        lxC_mark(L, t->curly);
        break;
    }
    case LXO_STRUCT: mark_values(L, ((lxO_struct *)o)->fields, (size_t)((lxO_struct *)o)->n); break;
    case LXO_MODULE:
        mark_obj(L, &((lxO_module *)o)->name->hdr);
        mark_obj(L, (lxO_header *)((lxO_module *)o)->doc);
        break;
    case LXO_IO: mark_obj(L, (lxO_header *)((lxO_io *)o)->name); break;
    default: break;
    }
}

static void mark_roots(lx_State *L)
{
    for (int i = 0; i < LXT_NUM; i++)
        mark_obj(L, &L->T[i]->hdr);
    for (int i = 0; i < L->nglobals; i++) {
        mark_obj(L, &L->globals[i].name->hdr);
        lxC_mark(L, L->globals[i].v);
        mark_obj(L, (lxO_header *)L->globals[i].doc);
    }
    for (int i = 0; i < L->ndeferred; i++)
        mark_obj(L, &L->deferred[i]->hdr);
    for (int i = 0; i < L->nmacros; i++) {
        mark_obj(L, &L->macros[i].name->hdr);
        mark_obj(L, (lxO_header *)L->macros[i].doc);
    }
    for (int i = 0; i < L->nframes; i++) {
        lxV_frame *f = lxV_frameat(L, i);
        lxC_mark(L, f->kw);
        mark_obj(L, (lxO_header *)f->cname);
        if (f->cl) {
            mark_obj(L, &f->cl->hdr);
            mark_values(L, f->base, (size_t)f->cl->p->maxstack);
        } else {
            mark_values(L, f->base, (size_t)f->nargs);
        }
    }
    mark_values(L, L->roots, (size_t)L->nroots);
    mark_values(L, L->api, (size_t)L->apitop);
    mark_values(L, L->refs, (size_t)L->nrefs); /* free slots are LX_TUNDEF: skipped */
    lxC_mark(L, L->apikw);
    lxC_mark(L, L->exc);
    lxC_mark(L, L->oom);
    lxC_mark(L, L->cself);
    lxC_mark(L, L->current_file);
    for (int i = 0; i < L->ntrace; i++) {
        mark_obj(L, (lxO_header *)L->trace[i].file);
        mark_obj(L, (lxO_header *)L->trace[i].func);
    }
}

static void propagate(lx_State *L)
{
    while (L->ngray) {
        lxO_header *o = L->gray[--L->ngray];
        traverse(L, o);
    }
}

void lxO_free(lx_State *L, lxO_header *o)
{
    switch ((lxO_kind)o->kind) {
    case LXO_STRING: {
        lxO_string *s = (lxO_string *)o;
        lxM_free(L, s, sizeof *s + s->len + 1);
        break;
    }
    case LXO_TUPLE: lxM_free(L, o, sizeof(lxO_tuple) + (size_t)((lxO_tuple *)o)->n * sizeof(lx_Value)); break;
    case LXO_NTUPLE:
        lxM_free(L, o,
                 sizeof(lxO_ntuple) +
                     (size_t)((lxO_ntuple *)o)->n * (sizeof(lx_Value) + sizeof(lxO_string *)));
        break;
    case LXO_LIST: {
        lxO_list *l = (lxO_list *)o;
        lxM_free(L, l->items, l->cap * sizeof(lx_Value));
        lxM_free(L, l, sizeof *l);
        break;
    }
    case LXO_DICT: {
        lxO_dict *d = (lxO_dict *)o;
        lxM_free(L, d->entries, d->cap * sizeof *d->entries);
        lxM_free(L, d->index, 2 * d->cap * sizeof *d->index);
        lxM_free(L, d, sizeof *d);
        break;
    }
    case LXO_RANGE: lxM_free(L, o, sizeof(lxO_range)); break;
    case LXO_PROTO: lxV_proto_free(L, (lxO_proto *)o); break;
    case LXO_CLOSURE:
        lxM_free(L, o, sizeof(lxO_closure) + (size_t)((lxO_closure *)o)->nup * sizeof(lxO_box *));
        break;
    case LXO_BOX: lxM_free(L, o, sizeof(lxO_box)); break;
    case LXO_GENERIC: {
        lxO_generic *g = (lxO_generic *)o;
        for (int i = 0; i < g->n; i++)
            lxF_freemethod(L, &g->methods[i]);
        lxM_free(L, g->methods, (size_t)g->cap * sizeof *g->methods);
        lxM_free(L, g, sizeof *g);
        break;
    }
    case LXO_TYPE: {
        lxO_type *t = (lxO_type *)o;
        lxM_free(L, t->fields, (size_t)t->nfields * sizeof *t->fields);
        lxM_free(L, t->ftypes, (size_t)t->nfields * sizeof *t->ftypes);
        lxM_free(L, t, sizeof *t);
        break;
    }
    case LXO_STRUCT:
        lxM_free(L, o, sizeof(lxO_struct) + (size_t)((lxO_struct *)o)->n * sizeof(lx_Value));
        break;
    case LXO_MODULE: lxM_free(L, o, sizeof(lxO_module)); break;
    case LXO_TENSOR:
        nn_release(((lxO_tensor *)o)->t);
        if (L->ntfree < LXC_TENSOR_SPARES) { /* kept (and still counted) for the next lxO_tensor_new */
            o->next = L->tfree;
            L->tfree = o;
            L->ntfree++;
        } else {
            lxM_free(L, o, sizeof(lxO_tensor));
        }
        break;
    case LXO_CDATA: lxM_free(L, o, sizeof(lxO_cdata) + ((((lxO_cdata *)o)->size + 7) & ~(size_t)7)); break;
    case LXO_IO: {
        lxO_io *io = (lxO_io *)o;
        if (io->io == LXIO_FILE && io->fp && !io->closed) fclose(io->fp);
        lxM_free(L, io->buf, io->cap);
        lxM_free(L, io, sizeof *io);
        break;
    }
    default: break;
    }
}

/* Call-site caches point at methods without keeping them alive: a cache
 * whose generic function died is cleared before the sweep frees it. */
static void clear_dead_caches(lx_State *L)
{
    for (size_t k = 0; k < L->nprotos; k++) {
        lxO_proto *p = L->protos[k];
        if (!p->hdr.marked) continue;
        for (int i = 0; i < p->ncaches; i++) {
            lxK_cache *c = &p->caches[i];
            if (!c->gf) continue;
            bool dead = !c->gf->hdr.marked;
            for (int t = 0; t < c->nargs && !dead; t++)
                dead = !c->types[t]->hdr.marked;
            if (dead) memset(c, 0, sizeof *c);
        }
    }
}

void lxC_collect(lx_State *L)
{
    if (L->gcrunning) return;
    L->gcrunning = true;
    mark_roots(L);
    propagate(L);
    clear_dead_caches(L);
    lxO_header **p = &L->allgc;
    while (*p) {
        lxO_header *o = *p;
        if (o->marked) {
            o->marked = 0;
            p = &o->next;
        } else {
            *p = o->next;
            if (o->kind == LXO_STRING) lxS_remove(L, (lxO_string *)o);
            lxO_free(L, o);
        }
    }
    if (L->capgray > 4096) { /* a big mark stack goes back: it is only needed while marking */
        L->alloc(L->alloc_ud, L->gray, L->capgray * sizeof *L->gray, 0);
        L->total -= L->capgray * sizeof *L->gray;
        L->gray = NULL;
        L->capgray = 0;
    }
    L->gcdebt = 0;
    L->gcthreshold = L->total > GC_FLOOR ? L->total : GC_FLOOR;
    if (L->limit) { /* with a memory limit, collect before reaching it, not after */
        size_t room = L->limit > L->total ? (L->limit - L->total) / 2 : 0;
        if (room < L->gcthreshold) L->gcthreshold = room;
    }
    L->gcrunning = false;
}
