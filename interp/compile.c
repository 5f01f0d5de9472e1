/* compile.c — the compiler (lxK_): syntax tree to register bytecode, one
 * top-level statement at a time (so "an existing global" is known when a
 * top-level loop assigns one, spec §3).
 *
 * Scopes follow Julia: a function, `let`, loop body, `try` block or
 * comprehension opens one; the names a scope assigns are found before its
 * code is compiled (hoisting), so a name is local throughout its scope.  A
 * local that a nested function mentions lives in a box, so closures capture
 * variables, not values (a fresh box per loop iteration).  Macros are
 * expanded first, by the expanders stdlib/ registers.
 */
#include "parse.h"
#include "runtime.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    lxO_string *name;
    int reg;
    int depth;    /* scope depth */
    bool boxed;   /* captured by a nested function */
    bool global;  /* `global x` in this scope */
    int defblock; /* the block where it was first assigned (-1: not yet) */
    int defdepth; /* that block's position on the block chain */
} var;

typedef struct {
    int *jumps;
    int n, cap;
} jumplist;

typedef struct {
    jumplist breaks, continues;
    int trydepth; /* try regions open when the loop began */
    int depth;    /* scope depth of the loop's own scope */
} loopinfo;

typedef struct {
    lxA_node *finally; /* NULL: none */
    bool handler;      /* a handler is active (POPTRY needed on the way out) */
} tryinfo;

typedef struct fstate fstate;
struct fstate {
    lx_State *L;
    lxA_arena *arena;
    fstate *prev;
    lxO_proto *p;
    var *vars;
    int nvars, capvars;
    int depth;                            /* current scope depth (0: the function's own) */
    int scopefree[LXP_MAX_DEPTH * 2 + 8]; /* freereg when each open scope began */
    bool scopehard[LXP_MAX_DEPTH * 2 + 8];
    bool toplevel; /* the thunk of a top-level statement: depth 0 is global scope */
    int hard;      /* hard scopes open inside a top-level thunk (let, functions) */
    int freereg;
    int line;
    lxO_string **captured;
    int ncaptured;
    int blocks[LXP_MAX_DEPTH * 2 + 8];
    int nblocks, nextblock;
    loopinfo *loops[LXP_MAX_DEPTH];
    int nloops;
    tryinfo trys[LXP_MAX_DEPTH];
    int ntrys;
    struct {
        int reg, dim, n;
    } idx[LXP_MAX_DEPTH];
    int nidx;
};

static void compile_error(fstate *fs, const lxA_node *n, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 3, 4)));
static void compile_error(fstate *fs, const lxA_node *n, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lxO_proto *p = fs->p;
    lxE_error(fs->L, LXT_ParseError, "%s:%d:%d: %s", p->file ? p->file->data : "?", n ? n->line : fs->line,
              n ? n->col : 0, msg);
}

static lxO_string *str(fstate *fs, const char *s)
{
    return lxS_cstr(fs->L, s);
}

/* ---- emitting --------------------------------------------------------------------------- */

static int emit(fstate *fs, uint32_t ins)
{
    lxO_proto *p = fs->p;
    if (p->ncode == fs->p->capcode) {
        int cap = fs->p->capcode ? 2 * fs->p->capcode : 64;
        p->code = lxM_realloc(fs->L, p->code, (size_t)fs->p->capcode * sizeof *p->code,
                              (size_t)cap * sizeof *p->code);
        p->lines = lxM_realloc(fs->L, p->lines, (size_t)fs->p->capcode * sizeof *p->lines,
                               (size_t)cap * sizeof *p->lines);
        fs->p->capcode = cap;
    }
    p->code[p->ncode] = ins;
    p->lines[p->ncode] = fs->line;
    return p->ncode++;
}

static int constant(fstate *fs, lx_Value v)
{
    lxO_proto *p = fs->p;
    for (int i = 0; i < p->nk; i++)
        if (p->k[i].tag == v.tag && lxO_egal(p->k[i], v)) return i;
    if (p->nk >= LXK_MAXBX) compile_error(fs, NULL, "too many constants in one function");
    if (p->nk == fs->p->capk) {
        int cap = fs->p->capk ? 2 * fs->p->capk : 16;
        p->k = lxM_realloc(fs->L, p->k, (size_t)fs->p->capk * sizeof *p->k, (size_t)cap * sizeof *p->k);
        fs->p->capk = cap;
    }
    p->k[p->nk] = v;
    return p->nk++;
}

static int symconst(fstate *fs, const char *name)
{
    return constant(fs, lxO_sym(str(fs, name)));
}

static int reg_alloc(fstate *fs)
{
    int r = fs->freereg++;
    if (fs->freereg > LXK_MAXREG)
        compile_error(fs, NULL, "this function needs more than %d registers; split it up", LXK_MAXREG);
    if (fs->freereg > fs->p->maxstack) fs->p->maxstack = fs->freereg;
    return r;
}

static void reserve_to(fstate *fs, int n)
{
    while (fs->freereg < n)
        reg_alloc(fs);
}

static int emit_jump(fstate *fs)
{
    return emit(fs, LXK_SJX(BC_JMP, 0));
}

static int here(fstate *fs)
{
    return fs->p->ncode;
}

static void patch_to(fstate *fs, int at, int target)
{
    uint32_t *c = &fs->p->code[at];
    int off = target - (at + 1);
    lxK_opcode op = LXK_OP(*c);
    if (op == BC_JMP) {
        *c = LXK_SJX(BC_JMP, off);
    } else {
        if (off < -32768 || off > 32767) compile_error(fs, NULL, "a block is too long to jump over");
        *c = LXK_ABX(op, LXK_A(*c), off + 32768);
    }
}

static void patch_here(fstate *fs, int at)
{
    patch_to(fs, at, here(fs));
}

static void jl_add(fstate *fs, jumplist *j, int at)
{
    if (j->n == j->cap) {
        int cap = j->cap ? 2 * j->cap : 8;
        int *a = lxA_alloc(fs->arena, (size_t)cap * sizeof *a);
        if (!a) lxD_throw(fs->L, LX_ERRMEM, "OutOfMemoryError: compiling");
        if (j->n) memcpy(a, j->jumps, (size_t)j->n * sizeof *a);
        j->jumps = a;
        j->cap = cap;
    }
    j->jumps[j->n++] = at;
}

static void jl_patch(fstate *fs, jumplist *j, int target)
{
    for (int i = 0; i < j->n; i++)
        patch_to(fs, j->jumps[i], target);
}

static void emit_loadint(fstate *fs, int r, int64_t v)
{
    if (v >= -32768 && v <= 32767)
        emit(fs, LXK_ABX(BC_LOADI, r, v + 32768));
    else
        emit(fs, LXK_ABX(BC_LOADK, r, constant(fs, lxO_int(v))));
}

/* ---- scopes and variables ----------------------------------------------------------------- */

static bool in_captured(fstate *fs, lxO_string *name)
{
    for (int i = 0; i < fs->ncaptured; i++)
        if (fs->captured[i] == name) return true;
    return false;
}

static var *find_var(fstate *fs, lxO_string *name)
{
    for (int i = fs->nvars - 1; i >= 0; i--)
        if (fs->vars[i].name == name) return &fs->vars[i];
    return NULL;
}

static var *new_var_init(fstate *fs, lxO_string *name, bool global, bool init);

static var *new_var(fstate *fs, lxO_string *name, bool global)
{
    return new_var_init(fs, name, global, true);
}

/* init: emit the instruction that makes it undefined (or boxed); a variable
 * assigned at once (a loop variable) needs none unless it is boxed. */
static var *new_var_init(fstate *fs, lxO_string *name, bool global, bool init)
{
    if (fs->nvars == fs->capvars) {
        int cap = fs->capvars ? 2 * fs->capvars : 16;
        var *v = lxA_alloc(fs->arena, (size_t)cap * sizeof *v);
        if (!v) lxD_throw(fs->L, LX_ERRMEM, "OutOfMemoryError: compiling");
        if (fs->nvars) memcpy(v, fs->vars, (size_t)fs->nvars * sizeof *v);
        fs->vars = v;
        fs->capvars = cap;
    }
    var *v = &fs->vars[fs->nvars++];
    memset(v, 0, sizeof *v);
    v->name = name;
    v->depth = fs->depth;
    v->global = global;
    v->defblock = -1;
    v->reg = -1;
    if (!global) {
        v->reg = reg_alloc(fs);
        v->boxed = in_captured(fs, name);
        if (init || v->boxed) emit(fs, LXK_ABC(v->boxed ? BC_BOXNEW : BC_LOADUNDEF, v->reg, 0, 0));
    }
    return v;
}

static void mark_assigned(fstate *fs, var *v)
{
    if (v->defblock < 0 || !(v->defdepth < fs->nblocks && fs->blocks[v->defdepth] == v->defblock)) {
        v->defblock = fs->blocks[fs->nblocks - 1];
        v->defdepth = fs->nblocks - 1;
    }
}

static bool surely_assigned(fstate *fs, const var *v)
{
    return v->defblock >= 0 && v->defdepth < fs->nblocks && fs->blocks[v->defdepth] == v->defblock;
}

static void block_enter(fstate *fs)
{
    if (fs->nblocks >= (int)(sizeof fs->blocks / sizeof fs->blocks[0]))
        compile_error(fs, NULL, "nested too deeply");
    fs->blocks[fs->nblocks++] = ++fs->nextblock;
}

static void block_leave(fstate *fs)
{
    fs->nblocks--;
}

/* Names a scope assigns (not those of the scopes nested in it). */
typedef struct {
    lxA_node **names;
    bool *local, *global;
    int n, cap;
} nameset;

static void ns_add(fstate *fs, nameset *s, lxA_node *id, bool local, bool global)
{
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->names[i]->name, id->name)) {
            s->local[i] |= local;
            s->global[i] |= global;
            return;
        }
    if (s->n == s->cap) {
        int cap = s->cap ? 2 * s->cap : 16;
        lxA_node **a = lxA_alloc(fs->arena, (size_t)cap * sizeof *a);
        bool *l = lxA_alloc(fs->arena, (size_t)cap), *g = lxA_alloc(fs->arena, (size_t)cap);
        if (!a || !l || !g) lxD_throw(fs->L, LX_ERRMEM, "OutOfMemoryError: compiling");
        if (s->n) {
            memcpy(a, s->names, (size_t)s->n * sizeof *a);
            memcpy(l, s->local, (size_t)s->n);
            memcpy(g, s->global, (size_t)s->n);
        }
        s->names = a;
        s->local = l;
        s->global = g;
        s->cap = cap;
    }
    s->names[s->n] = id;
    s->local[s->n] = local;
    s->global[s->n] = global;
    s->n++;
}

static void collect_targets(fstate *fs, nameset *s, lxA_node *t, bool local)
{
    if (!t) return;
    switch (t->kind) {
    case AST_IDENT: ns_add(fs, s, t, local, false); break;
    case AST_TYPED: collect_targets(fs, s, t->kids[0], local); break;
    case AST_TUPLE:
    case AST_PARENS:
        for (int i = 0; i < t->n; i++)
            collect_targets(fs, s, t->kids[i], local);
        break;
    case AST_NAMEDTUPLE:
        for (int i = 0; i < t->n; i++)
            if (t->kids[i]->kind == AST_KW) collect_targets(fs, s, t->kids[i]->kids[0], local);
        break;
    case AST_SPLAT: collect_targets(fs, s, t->kids[0], local); break;
    default: break;
    }
}

static void collect_assigned(fstate *fs, nameset *s, lxA_node *n, bool top0)
{
    if (!n) return;
    switch (n->kind) {
    case AST_ASSIGN:
        collect_targets(fs, s, n->kids[0], false);
        collect_assigned(fs, s, n->kids[1], top0);
        return;
    case AST_OPASSIGN:
        if (n->kids[0]->kind == AST_IDENT) ns_add(fs, s, n->kids[0], false, false);
        collect_assigned(fs, s, n->kids[1], top0);
        return;
    case AST_LOCAL:
        for (int i = 0; i < n->n; i++) {
            lxA_node *d = n->kids[i];
            collect_targets(fs, s, d->kind == AST_ASSIGN ? d->kids[0] : d, true);
            if (d->kind == AST_ASSIGN) collect_assigned(fs, s, d->kids[1], top0);
        }
        return;
    case AST_GLOBAL:
        for (int i = 0; i < n->n; i++) {
            lxA_node *d = n->kids[i];
            lxA_node *t = d->kind == AST_ASSIGN || d->kind == AST_OPASSIGN ? d->kids[0] : d;
            if (t->kind == AST_IDENT)
                ns_add(fs, s, t, false, true);
            else if (t->kind == AST_TUPLE)
                for (int j = 0; j < t->n; j++)
                    if (t->kids[j]->kind == AST_IDENT) ns_add(fs, s, t->kids[j], false, true);
        }
        return;
    case AST_FUNCTION:
        /* a named function inside a local scope is a local variable */
        if (!top0 && n->kids[0] && n->kids[0]->kind == AST_IDENT) ns_add(fs, s, n->kids[0], false, false);
        return;
    case AST_FOR:
        collect_assigned(fs, s, n->kids[0], top0); /* the iterables (the loop variables are the body's) */
        return;
    case AST_ITER: collect_assigned(fs, s, n->kids[1], top0); return;
    case AST_WHILE: collect_assigned(fs, s, n->kids[0], top0); return;
    case AST_LET:
    case AST_TRY:
    case AST_LAMBDA:
    case AST_COMPREHENSION:
    case AST_GENERATOR:
    case AST_STRUCT:
    case AST_ABSTRACT: return;
    case AST_DOC: collect_assigned(fs, s, n->kids[1], top0); return;
    case AST_CONST: return; /* globals */
    default: break;
    }
    for (int i = 0; i < n->n; i++)
        collect_assigned(fs, s, n->kids[i], top0);
}

/* Every name mentioned inside functions nested in n: the variables a
 * closure may capture (a superset is harmless: those locals get boxes). */
static void collect_captured(fstate *fs, lxA_node *n, bool inside)
{
    if (!n) return;
    if (n->kind == AST_FUNCTION || n->kind == AST_LAMBDA) inside = true;
    if (inside && n->kind == AST_IDENT) {
        lxO_string *s = str(fs, n->name);
        if (!in_captured(fs, s)) {
            if ((fs->ncaptured & (fs->ncaptured - 1)) == 0) {
                int cap = fs->ncaptured ? 2 * fs->ncaptured : 1;
                lxO_string **a = lxA_alloc(fs->arena, (size_t)cap * sizeof *a);
                if (!a) lxD_throw(fs->L, LX_ERRMEM, "OutOfMemoryError: compiling");
                if (fs->ncaptured) memcpy(a, fs->captured, (size_t)fs->ncaptured * sizeof *a);
                fs->captured = a;
            }
            fs->captured[fs->ncaptured++] = s;
        }
    }
    for (int i = 0; i < n->n; i++)
        collect_captured(fs, n->kids[i], inside);
}

typedef enum { V_LOCAL, V_UPVAL, V_GLOBAL } varkind;

typedef struct {
    varkind kind;
    var *v;  /* V_LOCAL */
    int idx; /* V_UPVAL: upvalue index; V_GLOBAL: global index */
} varref;

static int upvalue(fstate *fs, lxO_string *name, lxA_node *at);

/* Looks name up: a local here, a captured local of an enclosing function, or a global. */
static varref resolve(fstate *fs, lxO_string *name, lxA_node *at)
{
    varref r;
    var *v = find_var(fs, name);
    if (v && !v->global) {
        r.kind = V_LOCAL;
        r.v = v;
        return r;
    }
    if (!v) {
        int u = upvalue(fs, name, at);
        if (u >= 0) {
            r.kind = V_UPVAL;
            r.idx = u;
            return r;
        }
    }
    r.kind = V_GLOBAL;
    r.idx = lxG_index(fs->L, name);
    return r;
}

static int upvalue(fstate *fs, lxO_string *name, lxA_node *at)
{
    lxO_proto *p = fs->p;
    for (int i = 0; i < p->nup; i++)
        if (p->ups[i].name == name) return i;
    if (!fs->prev) return -1;
    var *v = find_var(fs->prev, name);
    lxK_updesc d;
    d.name = name;
    if (v && v->global) return -1;
    if (v) {
        if (!v->boxed) compile_error(fs, at, "internal error: captured variable %s is not boxed", name->data);
        d.instack = 1;
        d.idx = (uint8_t)v->reg;
    } else {
        int u = upvalue(fs->prev, name, at);
        if (u < 0) return -1;
        d.instack = 0;
        d.idx = (uint8_t)u;
    }
    if (p->nup >= 255) compile_error(fs, at, "a function captures more than 255 variables");
    if (p->nup == fs->p->capup) {
        int cap = fs->p->capup ? 2 * fs->p->capup : 8;
        p->ups =
            lxM_realloc(fs->L, p->ups, (size_t)fs->p->capup * sizeof *p->ups, (size_t)cap * sizeof *p->ups);
        fs->p->capup = cap;
    }
    p->ups[p->nup] = d;
    return p->nup++;
}

/* Whether a name, looked up from here, is a local (of this function or an enclosing one). */
static bool is_local_name(fstate *fs, lxO_string *name)
{
    for (fstate *f = fs; f; f = f->prev) {
        var *v = find_var(f, name);
        if (v) return !v->global;
    }
    return false;
}

static void depth_in(fstate *fs, bool hard)
{
    if (fs->depth + 1 >= (int)(sizeof fs->scopefree / sizeof fs->scopefree[0]))
        compile_error(fs, NULL, "scopes nested too deeply");
    fs->depth++;
    fs->scopefree[fs->depth] = fs->freereg;
    fs->scopehard[fs->depth] = hard;
    if (hard) fs->hard++;
}

/* Declares, in the current scope, the names `body` assigns that are not
 * already locals of an enclosing scope (or, in a soft scope at the top
 * level, existing globals). */
static void declare_names(fstate *fs, lxA_node *body)
{
    nameset s;
    memset(&s, 0, sizeof s);
    collect_assigned(fs, &s, body, false);
    for (int i = 0; i < s.n; i++) {
        lxO_string *name = str(fs, s.names[i]->name);
        if (s.global[i]) {
            new_var(fs, name, true);
            continue;
        }
        if (!s.local[i]) {
            if (is_local_name(fs, name)) continue; /* assigns the enclosing local */
            if (fs->toplevel &&
                fs->hard == 0) { /* soft scope at top level: an existing global stays global */
                int g = lxG_find(fs->L, name);
                if (g >= 0 && fs->L->globals[g].v.tag != LX_TUNDEF) continue;
            }
        }
        var *v = find_var(fs, name);
        if (v && v->depth == fs->depth) continue;
        new_var(fs, name, false);
    }
}

/* Opens a scope and declares the names its body assigns. */
static void scope_open(fstate *fs, lxA_node *body, bool hard)
{
    depth_in(fs, hard);
    declare_names(fs, body);
}

static void scope_close(fstate *fs)
{
    while (fs->nvars > 0 && fs->vars[fs->nvars - 1].depth == fs->depth)
        fs->nvars--;
    fs->freereg = fs->scopefree[fs->depth];
    if (fs->scopehard[fs->depth]) fs->hard--;
    fs->depth--;
}

/* ---- expressions --------------------------------------------------------------------------- */

static void exp2reg(fstate *fs, lxA_node *n, int r);
static void stmt(fstate *fs, lxA_node *n);
static void block2reg(fstate *fs, lxA_node *b, int r);
static void compile_function(fstate *fs, lxA_node *fn, int r, lxA_node *doc);
static void assign(fstate *fs, lxA_node *target, int src, lxA_node *at);

static int exp2any(fstate *fs, lxA_node *n)
{
    if (n->kind == AST_IDENT) {
        lxO_string *name = str(fs, n->name);
        var *v = find_var(fs, name);
        if (v && !v->global && !v->boxed) {
            if (!surely_assigned(fs, v)) emit(fs, LXK_ABX(BC_CHECKDEF, v->reg, constant(fs, lxO_sym(name))));
            return v->reg;
        }
    }
    int r = reg_alloc(fs);
    exp2reg(fs, n, r);
    return r;
}

/* Whether r holds no variable (it is a temporary of the expression being compiled). */
static bool is_temp(fstate *fs, int r)
{
    for (int i = 0; i < fs->nvars; i++)
        if (fs->vars[i].reg == r && !fs->vars[i].global) return false;
    return true;
}

static void load_global(fstate *fs, int r, const char *name)
{
    emit(fs, LXK_ABX(BC_GETG, r, lxG_index(fs->L, str(fs, name))));
}

static void load_name(fstate *fs, lxA_node *n, int r)
{
    lxO_string *name = str(fs, n->name);
    varref v = resolve(fs, name, n);
    switch (v.kind) {
    case V_LOCAL:
        if (v.v->boxed) {
            emit(fs, LXK_ABC(BC_GETBOX, r, v.v->reg, 0));
            emit(fs, (uint32_t)constant(fs, lxO_sym(name)));
        } else {
            if (!surely_assigned(fs, v.v))
                emit(fs, LXK_ABX(BC_CHECKDEF, v.v->reg, constant(fs, lxO_sym(name))));
            if (v.v->reg != r) emit(fs, LXK_ABC(BC_MOVE, r, v.v->reg, 0));
        }
        break;
    case V_UPVAL:
        emit(fs, LXK_ABC(BC_GETUP, r, v.idx, 0));
        emit(fs, (uint32_t)constant(fs, lxO_sym(name)));
        break;
    case V_GLOBAL: emit(fs, LXK_ABX(BC_GETG, r, v.idx)); break;
    }
}

static void store_name(fstate *fs, lxA_node *n, int src)
{
    lxO_string *name = str(fs, n->name);
    varref v = resolve(fs, name, n);
    switch (v.kind) {
    case V_LOCAL:
        if (v.v->boxed)
            emit(fs, LXK_ABC(BC_SETBOX, v.v->reg, src, 0));
        else if (v.v->reg != src)
            emit(fs, LXK_ABC(BC_MOVE, v.v->reg, src, 0));
        mark_assigned(fs, v.v);
        break;
    case V_UPVAL: emit(fs, LXK_ABC(BC_SETUP, v.idx, src, 0)); break;
    case V_GLOBAL: emit(fs, LXK_ABX(BC_SETG, src, v.idx)); break;
    }
}

static bool has_kind(const lxA_node *n, lxA_kind k)
{
    if (!n) return false;
    for (int i = 0; i < n->n; i++)
        if (n->kids[i] && n->kids[i]->kind == k) return true;
    return false;
}

/* The named tuple of a call's `k = v` arguments, in a new register. */
static int keyword_tuple(fstate *fs, lxA_node **args, int nargs, int nkw)
{
    int kwreg = reg_alloc(fs);
    int first = fs->freereg;
    lxO_tuple *names = lxO_tuple_new(fs->L, nkw);
    int kn = constant(fs, lxO_obj(names)); /* held by the proto from here on */
    int q = 0;
    for (int i = 0; i < nargs; i++)
        if (args[i]->kind == AST_KW) {
            names->items[q++] = lxO_sym(str(fs, args[i]->name));
            exp2reg(fs, args[i]->kids[0], reg_alloc(fs));
        }
    emit(fs, LXK_ABC(BC_NTUPLE, kwreg, first, nkw));
    emit(fs, (uint32_t)kn);
    return kwreg;
}

/* A fresh empty List in a new register (a splatted call's arguments, a comprehension's values). */
static int new_arglist(fstate *fs)
{
    int lst = reg_alloc(fs);
    load_global(fs, lst, "__arglist");
    emit(fs, LXK_ABC(BC_CALL, lst, 0, 0));
    emit(fs, (uint32_t)fs->p->ncaches++);
    return lst;
}

/* Adds an argument to the list in register lst that a splatted call is
 * built in: `xs...` appends every element (append!), anything else one. */
static void append_arg(fstate *fs, int lst, lxA_node *a)
{
    int t = fs->freereg;
    if (a->kind == AST_SPLAT) {
        reserve_to(fs, t + 3);
        load_global(fs, t, "append!");
        emit(fs, LXK_ABC(BC_MOVE, t + 1, lst, 0));
        exp2reg(fs, a->kids[0], t + 2);
        emit(fs, LXK_ABC(BC_CALL, t, 2, 0));
        emit(fs, (uint32_t)fs->p->ncaches++);
    } else {
        reserve_to(fs, t + 1);
        exp2reg(fs, a, t);
        emit(fs, LXK_ABC(BC_APPEND, lst, t, 0));
    }
    fs->freereg = lst + 1;
}

/* Calls f (already in base) with the arguments in args[0..nargs-1]
 * (keywords, splats, the do-block closure included); result in base. */
static void call_args(fstate *fs, int base, lxA_node **args, int nargs)
{
    int npos = 0, nkw = 0;
    bool splat = false, kwsplat = false;
    for (int i = 0; i < nargs; i++) {
        lxA_node *a = args[i];
        if (a->kind == AST_KW)
            nkw++;
        else if (a->kind == AST_SPLAT && (a->flags & LXA_F_KEYWORD))
            kwsplat = true;
        else if (a->kind == AST_SPLAT)
            splat = true;
        else
            npos++;
    }
    (void)npos;
    fs->freereg = base + 1;
    int w = fs->p->ncaches++;
    if (!splat) {
        int n = 0;
        for (int i = 0; i < nargs; i++) {
            if (args[i]->kind == AST_KW || (args[i]->kind == AST_SPLAT && (args[i]->flags & LXA_F_KEYWORD)))
                continue;
            int r = reg_alloc(fs);
            exp2reg(fs, args[i], r);
            n++;
        }
        if (n > 200) compile_error(fs, args[0], "too many arguments in one call");
        int kwreg = -1;
        if (nkw || kwsplat) {
            kwreg = keyword_tuple(fs, args, nargs, nkw);
            for (int i = 0; i < nargs; i++)
                if (args[i]->kind == AST_SPLAT && (args[i]->flags & LXA_F_KEYWORD)) {
                    /* f(; a = 1, rest...): merge the splatted named tuple in */
                    int mb = fs->freereg;
                    reserve_to(fs, mb + 3);
                    load_global(fs, mb, "merge");
                    emit(fs, LXK_ABC(BC_MOVE, mb + 1, kwreg, 0));
                    exp2reg(fs, args[i]->kids[0], mb + 2);
                    emit(fs, LXK_ABC(BC_CALL, mb, 2, 0));
                    emit(fs, (uint32_t)fs->p->ncaches++);
                    emit(fs, LXK_ABC(BC_MOVE, kwreg, mb, 0));
                }
        }
        fs->line = args && nargs ? fs->line : fs->line;
        emit(fs, LXK_ABC(BC_CALL, base, n, kwreg >= 0));
        emit(fs, (uint32_t)w);
    } else {
        /* a splatted call: the arguments gathered into a list first */
        int lst = new_arglist(fs);
        for (int i = 0; i < nargs; i++) {
            if (args[i]->kind == AST_KW) continue;
            append_arg(fs, lst, args[i]);
        }
        int kwreg = -1;
        if (nkw) {
            kwreg = keyword_tuple(fs, args, nargs, nkw);
        }
        emit(fs, LXK_ABC(BC_CALLS, base, 0, kwreg >= 0));
    }
    fs->freereg = base + 1;
}

/* f(args...) where f is a global name: result in r. */
static void call_global(fstate *fs, int r, const char *fname, lxA_node **args, int nargs)
{
    int base = fs->freereg;
    reserve_to(fs, base + 1);
    load_global(fs, base, fname);
    call_args(fs, base, args, nargs);
    if (r != base) emit(fs, LXK_ABC(BC_MOVE, r, base, 0));
    fs->freereg = base;
}

/* g(x1, ..., xn) with the values already computed in registers. */
static void call_global_regs(fstate *fs, int r, const char *fname, const int *regs, int n)
{
    int base = fs->freereg;
    reserve_to(fs, base + 1 + n);
    load_global(fs, base, fname);
    for (int i = 0; i < n; i++)
        emit(fs, LXK_ABC(BC_MOVE, base + 1 + i, regs[i], 0));
    emit(fs, LXK_ABC(BC_CALL, base, n, 0));
    emit(fs, (uint32_t)fs->p->ncaches++);
    if (r != base) emit(fs, LXK_ABC(BC_MOVE, r, base, 0));
    fs->freereg = base;
}

static const char *binop_fn(lxX_op op)
{
    switch (op) {
    case OP_ADD:
    case OP_DADD: return "+";
    case OP_SUB:
    case OP_DSUB: return "-";
    case OP_MUL:
    case OP_DMUL: return "*";
    case OP_DIV:
    case OP_DDIV: return "/";
    case OP_REM:
    case OP_DREM: return "%";
    case OP_POW:
    case OP_DPOW: return "^";
    case OP_INTDIV:
    case OP_DINTDIV: return "÷";
    case OP_LDIV: return "\\";
    case OP_COMPOSE: return "∘";
    case OP_AMP: return "&";
    case OP_BAR: return "|";
    case OP_EQ:
    case OP_DEQ: return "==";
    case OP_NE:
    case OP_NE_U:
    case OP_DNE:
    case OP_DNE_U: return "!=";
    case OP_LT:
    case OP_DLT: return "<";
    case OP_LE:
    case OP_LE_U:
    case OP_DLE:
    case OP_DLE_U: return "<=";
    case OP_GT:
    case OP_DGT: return ">";
    case OP_GE:
    case OP_GE_U:
    case OP_DGE:
    case OP_DGE_U: return ">=";
    case OP_APPROX:
    case OP_DAPPROX: return "isapprox";
    case OP_EGAL: return "===";
    case OP_NEGAL: return "!==";
    case OP_ELEM: return "in";
    case OP_NOTELEM: return "∉";
    case OP_SUBTYPE: return "<:";
    default: return NULL;
    }
}

static bool small_int(const lxA_node *n, int lo, int hi)
{
    return n->kind == AST_INT && n->v.i >= lo && n->v.i <= hi;
}

static bool is_numlit(const lxA_node *n)
{
    return n->kind == AST_INT || n->kind == AST_FLOAT || n->kind == AST_FLOAT32;
}

static lx_Value numlit(const lxA_node *n)
{
    return n->kind == AST_INT     ? lxO_int(n->v.i)
           : n->kind == AST_FLOAT ? lxO_f64(n->v.d)
                                  : lxO_f32((float)n->v.d);
}

static void arith(fstate *fs, lxA_node *n, int r)
{
    lxA_node *a = n->kids[0], *b = n->kids[1];
    lxK_opcode op;
    switch (n->op) {
    case OP_ADD: op = BC_ADD; break;
    case OP_SUB: op = BC_SUB; break;
    case OP_MUL: op = BC_MUL; break;
    case OP_DIV: op = BC_DIV; break;
    case OP_POW: op = BC_POW; break;
    case OP_REM: op = BC_REM; break;
    case OP_INTDIV: op = BC_IDIV; break;
    case OP_PIPE: { /* x |> f is f(x) */
        int base = fs->freereg;
        reserve_to(fs, base + 2);
        exp2reg(fs, b, base);
        exp2reg(fs, a, base + 1);
        emit(fs, LXK_ABC(BC_CALL, base, 1, 0));
        emit(fs, (uint32_t)fs->p->ncaches++);
        if (r != base) emit(fs, LXK_ABC(BC_MOVE, r, base, 0));
        fs->freereg = base;
        return;
    }
    default: {
        const char *f = binop_fn(n->op);
        if (!f) compile_error(fs, n, "operator %s is not supported here", lxX_op_name(n->op));
        call_global(fs, r, f, n->kids, 2);
        return;
    }
    }
    lxA_node negpow;
    if (op == BC_POW && b->kind == AST_INT && b->v.i < 0) { /* 2^-1 is 0.5, as Julia's literal powers */
        negpow = *b;
        negpow.kind = AST_FLOAT;
        negpow.v.d = (double)b->v.i;
        b = &negpow;
    }
    int save = fs->freereg;
    if ((op == BC_ADD || op == BC_SUB) && small_int(b, -127, 127)) {
        int rb = exp2any(fs, a);
        emit(fs, LXK_ABC(BC_ADDI, r, rb, (op == BC_ADD ? b->v.i : -b->v.i) + 128));
        fs->freereg = save;
        return;
    }
    /* a number constant on one side: the K form (constants first for + and *, which commute) */
    bool reversed = false; /* 2 * x: the constant is the left operand of the call a slow path makes */
    if ((op == BC_ADD || op == BC_MUL) && is_numlit(a) && !is_numlit(b)) {
        lxA_node *t = a;
        a = b;
        b = t;
        reversed = true;
    }
    if ((op == BC_ADD || op == BC_SUB || op == BC_MUL || op == BC_DIV) && is_numlit(b)) {
        int kc = constant(fs, numlit(b));
        if (kc < 256) {
            int rb = exp2any(fs, a);
            lxK_opcode kop = op == BC_ADD   ? (reversed ? BC_RADDK : BC_ADDK)
                             : op == BC_SUB ? BC_SUBK
                             : op == BC_MUL ? (reversed ? BC_RMULK : BC_MULK)
                                            : BC_DIVK;
            emit(fs, LXK_ABC(kop, r, rb, kc));
            fs->freereg = save;
            return;
        }
    }
    int rb = exp2any(fs, a);
    int rc = exp2any(fs, b);
    emit(fs, LXK_ABC(op, r, rb, rc));
    fs->freereg = save;
}

/* f.(args) and dotted operators: broadcast(f, args...). */
static void broadcast_call(fstate *fs, int r, lxA_node *f, lxA_node **args, int nargs, const char *opname)
{
    int base = fs->freereg;
    reserve_to(fs, base + 2);
    load_global(fs, base, "broadcast");
    if (opname)
        load_global(fs, base + 1, opname);
    else
        exp2reg(fs, f, base + 1);
    /* the function is the first argument, then the arguments */
    fs->freereg = base + 2;
    int w = fs->p->ncaches++, n = nargs;
    for (int i = 0; i < n; i++)
        if (args[i]->kind == AST_KW || args[i]->kind == AST_SPLAT)
            compile_error(fs, args[i], "keywords and splats are not supported in a broadcast call");
    if (n > 250) compile_error(fs, args[0], "too many arguments");
    for (int i = 0; i < n; i++)
        exp2reg(fs, args[i], reg_alloc(fs));
    emit(fs, LXK_ABC(BC_CALL, base, n + 1, 0));
    emit(fs, (uint32_t)w);
    if (r != base) emit(fs, LXK_ABC(BC_MOVE, r, base, 0));
    fs->freereg = base;
}

/* A * B .+ c, the dense layer's shape, alone or under an activation f.(A * B .+ c): compiled to
 * __dense(f, A, B, c), which runs it as one fused op on float tensors (LuxLib's
 * fused_dense_bias_activation) and as the three calls it stands for otherwise. */
static bool dense_pattern(const lxA_node *n)
{
    return n->kind == AST_DOTOP && n->op == OP_DADD && n->n == 2 && n->kids[0]->kind == AST_BINOP &&
           n->kids[0]->op == OP_MUL && n->kids[0]->n == 2;
}

static void dense_call(fstate *fs, int r, lxA_node *f, lxA_node *add)
{
    int base = fs->freereg;
    reserve_to(fs, base + 5);
    load_global(fs, base, "__dense");
    if (f)
        exp2reg(fs, f, base + 1);
    else
        emit(fs, LXK_ABC(BC_LOADNIL, base + 1, 0, 0));
    fs->freereg = base + 2;
    exp2reg(fs, add->kids[0]->kids[0], reg_alloc(fs));
    exp2reg(fs, add->kids[0]->kids[1], reg_alloc(fs));
    exp2reg(fs, add->kids[1], reg_alloc(fs));
    emit(fs, LXK_ABC(BC_CALL, base, 4, 0));
    emit(fs, (uint32_t)fs->p->ncaches++);
    if (r != base) emit(fs, LXK_ABC(BC_MOVE, r, base, 0));
    fs->freereg = base;
}

/* Conditional jump: emits code that falls through when n is true and
 * jumps (to be patched) when it is false. */
static void cond_false(fstate *fs, lxA_node *n, jumplist *jl)
{
    while (n->kind == AST_PARENS)
        n = n->kids[0];
    if (n->kind == AST_AND) {
        cond_false(fs, n->kids[0], jl);
        cond_false(fs, n->kids[1], jl);
        return;
    }
    if (n->kind == AST_COMPARE && n->n == 3) {
        lxX_op op = (lxX_op)n->kids[1]->v.i;
        lxA_node *a = n->kids[0], *b = n->kids[2];
        bool isa = n->kids[1]->name != NULL;
        int save = fs->freereg;
        if (!isa && (op == OP_LT || op == OP_GT) && small_int(b, -127, 127)) {
            int ra = exp2any(fs, a);
            emit(fs, LXK_ABC(op == OP_LT ? BC_JLTI : BC_JGTI, ra, b->v.i + 128, 0));
            jl_add(fs, jl, emit_jump(fs));
            fs->freereg = save;
            return;
        }
        if (!isa && (op == OP_LT || op == OP_GT || op == OP_LE || op == OP_LE_U || op == OP_GE ||
                     op == OP_GE_U || op == OP_EQ)) {
            int ra = exp2any(fs, a);
            int rb = exp2any(fs, b);
            switch (op) {
            case OP_LT: emit(fs, LXK_ABC(BC_JLT, ra, rb, 0)); break;
            case OP_GT: emit(fs, LXK_ABC(BC_JLT, rb, ra, 0)); break;
            case OP_LE:
            case OP_LE_U: emit(fs, LXK_ABC(BC_JLE, ra, rb, 0)); break;
            case OP_GE:
            case OP_GE_U: emit(fs, LXK_ABC(BC_JLE, rb, ra, 0)); break;
            default: emit(fs, LXK_ABC(BC_JEQ, ra, rb, 0)); break;
            }
            jl_add(fs, jl, emit_jump(fs));
            fs->freereg = save;
            return;
        }
    }
    int save = fs->freereg;
    int r = exp2any(fs, n);
    jl_add(fs, jl, emit(fs, LXK_ABX(BC_JMPF, r, 32768)));
    fs->freereg = save;
}

static void compare(fstate *fs, lxA_node *n, int r)
{
    /* a < b < c: (a < b) && (b < c), each operand evaluated once */
    int save = fs->freereg;
    jumplist done;
    memset(&done, 0, sizeof done);
    int left = exp2any(fs, n->kids[0]);
    for (int i = 1; i + 1 < n->n; i += 2) {
        lxX_op op = (lxX_op)n->kids[i]->v.i;
        bool isa = n->kids[i]->name != NULL;
        int right = exp2any(fs, n->kids[i + 1]);
        if (isa) {
            int regs[2] = {left, right};
            call_global_regs(fs, r, "isa", regs, 2);
        } else if ((op >= OP_DEQ && op <= OP_DGE) || (op >= OP_DNE_U && op <= OP_DAPPROX)) { /* .== .≈ ... */
            int base = fs->freereg;
            reserve_to(fs, base + 4);
            load_global(fs, base, "broadcast");
            load_global(fs, base + 1, binop_fn(op));
            emit(fs, LXK_ABC(BC_MOVE, base + 2, left, 0));
            emit(fs, LXK_ABC(BC_MOVE, base + 3, right, 0));
            emit(fs, LXK_ABC(BC_CALL, base, 3, 0));
            emit(fs, (uint32_t)fs->p->ncaches++);
            emit(fs, LXK_ABC(BC_MOVE, r, base, 0));
            fs->freereg = base;
        } else {
            switch (op) {
            case OP_EQ: emit(fs, LXK_ABC(BC_EQ, r, left, right)); break;
            case OP_NE:
            case OP_NE_U: emit(fs, LXK_ABC(BC_NE, r, left, right)); break;
            case OP_LT: emit(fs, LXK_ABC(BC_LT, r, left, right)); break;
            case OP_GT: emit(fs, LXK_ABC(BC_LT, r, right, left)); break;
            case OP_LE:
            case OP_LE_U: emit(fs, LXK_ABC(BC_LE, r, left, right)); break;
            case OP_GE:
            case OP_GE_U: emit(fs, LXK_ABC(BC_LE, r, right, left)); break;
            default: {
                const char *f = binop_fn(op);
                if (!f) compile_error(fs, n, "comparison %s is not supported", lxX_op_name(op));
                int regs[2] = {left, right};
                call_global_regs(fs, r, f, regs, 2);
            }
            }
        }
        if (i + 2 < n->n) jl_add(fs, &done, emit(fs, LXK_ABX(BC_JMPF, r, 32768)));
        left = right;
    }
    jl_patch(fs, &done, here(fs));
    fs->freereg = save;
}

static void string_expr(fstate *fs, lxA_node *n, int r)
{
    if (n->n == 0) {
        emit(fs, LXK_ABX(BC_LOADK, r, constant(fs, lxO_str(fs->L, "", 0))));
        return;
    }
    if (n->n == 1 && n->kids[0]->kind == AST_STRTEXT) {
        emit(fs, LXK_ABX(BC_LOADK, r, constant(fs, lxO_str(fs->L, n->kids[0]->name, n->kids[0]->len))));
        return;
    }
    int base = fs->freereg;
    reserve_to(fs, base + 1);
    load_global(fs, base, "string");
    for (int i = 0; i < n->n; i++) {
        int t = reg_alloc(fs);
        lxA_node *k = n->kids[i];
        if (k->kind == AST_STRTEXT)
            emit(fs, LXK_ABX(BC_LOADK, t, constant(fs, lxO_str(fs->L, k->name, k->len))));
        else
            exp2reg(fs, k, t);
    }
    if (n->n > 200) compile_error(fs, n, "too many interpolations in one string");
    emit(fs, LXK_ABC(BC_CALL, base, n->n, 0));
    emit(fs, (uint32_t)fs->p->ncaches++);
    if (r != base) emit(fs, LXK_ABC(BC_MOVE, r, base, 0));
    fs->freereg = base;
}

static void tuple_expr(fstate *fs, lxA_node *n, int r)
{
    if (has_kind(n, AST_SPLAT)) {
        call_global(fs, r, "tuple", n->kids, n->n);
        return;
    }
    int base = fs->freereg;
    if (n->n > 200)
        compile_error(fs, n, "a tuple literal of more than 200 elements; build it with tuple(xs...)");
    for (int i = 0; i < n->n; i++)
        exp2reg(fs, n->kids[i], reg_alloc(fs));
    emit(fs, LXK_ABC(BC_TUPLE, r, base, n->n));
    fs->freereg = base;
}

static void ntuple_expr(fstate *fs, lxA_node *n, int r)
{
    int base = fs->freereg;
    if (n->n > 200) compile_error(fs, n, "a named tuple literal of more than 200 fields");
    lxO_tuple *names = lxO_tuple_new(fs->L, n->n);
    int kn = constant(fs, lxO_obj(names));
    for (int i = 0; i < n->n; i++) {
        lxA_node *kw = n->kids[i];
        if (kw->kind != AST_KW) compile_error(fs, kw, "a named tuple needs name = value for every field");
        names->items[i] = lxO_sym(str(fs, kw->name));
        exp2reg(fs, kw->kids[0], reg_alloc(fs));
    }
    emit(fs, LXK_ABC(BC_NTUPLE, r, base, n->n));
    emit(fs, (uint32_t)kn);
    fs->freereg = base;
}

static bool loop_var_in_place(fstate *fs, lxA_node *target, int reg);

/* The head of one `for x in xs` level (loops and comprehensions): the
 * iterator in registers a..a+2, a jump to the ITERNEXT at the bottom, and a
 * fresh scope per iteration holding the loop variables and, for the
 * innermost level, the names `body` assigns.  Returns a; *body is the
 * first instruction of the loop's body. */
static int loop_head(fstate *fs, lxA_node *iter, lxA_node *body_names, bool hard, int *tocheck, int *body,
                     int src)
{
    int a = fs->freereg;
    reserve_to(fs, a + 3);
    if (src >= 0) /* the iterable, evaluated before (a product's) */
        emit(fs, LXK_ABC(BC_MOVE, a, src, 0));
    else
        exp2reg(fs, iter->kids[1], a);
    emit(fs, LXK_ABC(BC_ITERPREP, a, 0, 0));
    *tocheck = emit_jump(fs);
    *body = here(fs);
    depth_in(fs, hard);
    block_enter(fs);
    if (!loop_var_in_place(fs, iter->kids[0], a + 2)) {
        nameset s;
        memset(&s, 0, sizeof s);
        collect_targets(fs, &s, iter->kids[0], true);
        for (int i = 0; i < s.n; i++)
            new_var_init(fs, str(fs, s.names[i]->name), false, false);
        if (body_names) declare_names(fs, body_names);
        assign(fs, iter->kids[0], a + 2, iter);
    } else if (body_names) {
        declare_names(fs, body_names);
    }
    return a;
}

/* Closes the scope and puts the ITERNEXT that jumps back to the body. */
static void loop_tail(fstate *fs, int a, int tocheck, int body)
{
    block_leave(fs);
    scope_close(fs);
    patch_here(fs, tocheck);
    patch_to(fs, emit(fs, LXK_ABX(BC_ITERNEXT, a, 32768)), body);
    fs->freereg = a;
}

/* How many ITERs from kids[it] form one group: the first and those joined to it by commas. */
static int iter_group(const lxA_node *n, int it)
{
    int g = 1;
    while (it + g < n->n && n->kids[it + g]->kind == AST_ITER && (n->kids[it + g]->flags & LXA_F_COMMA))
        g++;
    return g;
}

#define LXK_MAX_PRODUCT 16 /* iterators in one `for a in x, b in y, ...` of a comprehension */

static void comp_loops(fstate *fs, lxA_node *n, int list, lxA_node *filter, int it, const int *pre);

/* The loops of the group kids[it .. it+g-1], the k-th of them now (counting down: the last
 * iterator's loop is the outermost, so the first varies fastest, as Julia's product), then what
 * follows the group.  pre: the registers holding the group's iterables (NULL for a group of one). */
static void comp_group(fstate *fs, lxA_node *n, int list, lxA_node *filter, int it, int g, int k,
                       const int *pre)
{
    if (k < 0) {
        comp_loops(fs, n, list, filter, it + g, NULL);
        return;
    }
    lxA_node *iter = n->kids[it + k];
    bool innermost = k == 0 && (it + g == n->n || n->kids[it + g]->kind != AST_ITER);
    int tocheck, body;
    int a = loop_head(fs, iter, innermost ? n->kids[0] : NULL, true, &tocheck, &body, pre ? pre[k] : -1);
    comp_group(fs, n, list, filter, it, g, k - 1, pre);
    loop_tail(fs, a, tocheck, body);
}

/* Evaluates the iterables of the group at kids[it] (g of them) into fresh registers regs[]. */
static void product_iterables(fstate *fs, lxA_node *n, int it, int g, int *regs)
{
    if (g > LXK_MAX_PRODUCT)
        compile_error(fs, n->kids[it], "more than %d iterators joined by commas", LXK_MAX_PRODUCT);
    for (int k = 0; k < g; k++) {
        regs[k] = reg_alloc(fs);
        exp2reg(fs, n->kids[it + k]->kids[1], regs[k]);
    }
}

/* Comprehension loops from kids[it]: each group of ITERs (nested for-clauses), then the filter,
 * then the value pushed onto the list. */
static void comp_loops(fstate *fs, lxA_node *n, int list, lxA_node *filter, int it, const int *pre)
{
    if (it == n->n || n->kids[it]->kind != AST_ITER) {
        jumplist skip;
        memset(&skip, 0, sizeof skip);
        if (filter) cond_false(fs, filter, &skip);
        int v = reg_alloc(fs);
        exp2reg(fs, n->kids[0], v);
        emit(fs, LXK_ABC(BC_APPEND, list, v, 0));
        fs->freereg = v;
        jl_patch(fs, &skip, here(fs));
        return;
    }
    int g = iter_group(n, it), save = fs->freereg;
    int regs[LXK_MAX_PRODUCT];
    if (g > 1 && !pre) { /* a product: its iterables are evaluated once, before its loops */
        product_iterables(fs, n, it, g, regs);
        pre = regs;
    }
    comp_group(fs, n, list, filter, it, g, g - 1, g > 1 ? pre : NULL);
    fs->freereg = save;
}

/* The values of a comprehension or generator as a List, in a new register (returned).  A shaped
 * comprehension ([f(i, j) for i in a, j in b]) leaves its iterables in the registers after it too:
 * *ng of them (0 otherwise). */
static int comp_list(fstate *fs, lxA_node *n, int *ng)
{
    int list = new_arglist(fs);
    lxA_node *filter = n->kids[n->n - 1]->kind != AST_ITER ? n->kids[n->n - 1] : NULL;
    int regs[LXK_MAX_PRODUCT], g = 0;
    if (n->flags & LXA_F_SHAPED) {
        g = iter_group(n, 1);
        product_iterables(fs, n, 1, g, regs); /* list + 1 .. list + g */
    }
    comp_loops(fs, n, list, filter, 1, g ? regs : NULL);
    fs->freereg = list + 1 + g;
    *ng = g;
    return list;
}

/* [f(x) for x in xs] is finish(list) (__collect: the literal rule); a shaped one
 * __collect_shaped(list, iterables...); a generator the List itself. */
static void comprehension(fstate *fs, lxA_node *n, int r, const char *finish)
{
    int g;
    int list = comp_list(fs, n, &g);
    if (finish) {
        int regs[1 + LXK_MAX_PRODUCT];
        for (int k = 0; k <= g; k++)
            regs[k] = list + k;
        call_global_regs(fs, r, g ? "__collect_shaped" : finish, regs, 1 + g);
    } else if (r != list) {
        emit(fs, LXK_ABC(BC_MOVE, r, list, 0));
    }
    fs->freereg = list;
}

/* x[i...] read: BC_INDEX; view(x, i...) for @view and __maybeview(x, i...) for @views (flags the
 * macros set), with `end` and `begin` meaning the same positions of x. */
static void index_expr(fstate *fs, lxA_node *n, int r)
{
    const char *viewfn = (n->flags & LXA_F_VIEW)        ? "view"
                         : (n->flags & LXA_F_MAYBEVIEW) ? "__maybeview"
                                                        : NULL;
    int base = fs->freereg;
    int nidx = n->n - 1;
    if (nidx > 100) compile_error(fs, n, "too many indices");
    if (viewfn) { /* the function, then x and the indices as its arguments */
        reserve_to(fs, base + 2);
        load_global(fs, base, viewfn);
        base++;
    } else {
        reserve_to(fs, base + 1);
    }
    exp2reg(fs, n->kids[0], base);
    bool splat = false;
    for (int i = 1; i < n->n; i++)
        if (n->kids[i]->kind == AST_SPLAT || n->kids[i]->kind == AST_KW) splat = true;
    if (splat) { /* getindex(a, i...) */
        int b2 = fs->freereg;
        reserve_to(fs, b2 + 1);
        load_global(fs, b2, viewfn ? viewfn : "getindex");
        fs->freereg = b2 + 1;
        int lst = new_arglist(fs);
        emit(fs, LXK_ABC(BC_APPEND, lst, base, 0));
        for (int i = 1; i < n->n; i++)
            append_arg(fs, lst, n->kids[i]);
        emit(fs, LXK_ABC(BC_CALLS, b2, 0, 0));
        emit(fs, LXK_ABC(BC_MOVE, r, b2, 0));
        fs->freereg = viewfn ? base - 1 : base;
        return;
    }
    fs->idx[fs->nidx].reg = base;
    fs->idx[fs->nidx].n = nidx;
    fs->nidx++;
    for (int i = 1; i < n->n; i++) {
        fs->idx[fs->nidx - 1].dim = i;
        exp2reg(fs, n->kids[i], reg_alloc(fs));
    }
    fs->nidx--;
    if (viewfn) {
        base--;
        emit(fs, LXK_ABC(BC_CALL, base, nidx + 1, 0));
        emit(fs, (uint32_t)fs->p->ncaches++);
        if (r != base) emit(fs, LXK_ABC(BC_MOVE, r, base, 0));
    } else {
        emit(fs, LXK_ABC(BC_INDEX, r, base, nidx));
    }
    fs->freereg = base;
}

static void end_expr(fstate *fs, lxA_node *n, int r, bool is_end)
{
    if (fs->nidx == 0) compile_error(fs, n, "`%s` outside of an index", is_end ? "end" : "begin");
    int a = fs->idx[fs->nidx - 1].reg, dim = fs->idx[fs->nidx - 1].dim, nd = fs->idx[fs->nidx - 1].n;
    int base = fs->freereg;
    reserve_to(fs, base + 3);
    load_global(fs, base, is_end ? "lastindex" : "firstindex");
    emit(fs, LXK_ABC(BC_MOVE, base + 1, a, 0));
    if (nd > 1) emit_loadint(fs, base + 2, dim);
    emit(fs, LXK_ABC(BC_CALL, base, nd > 1 ? 2 : 1, 0));
    emit(fs, (uint32_t)fs->p->ncaches++);
    if (r != base) emit(fs, LXK_ABC(BC_MOVE, r, base, 0));
    fs->freereg = base;
}

static void if_expr(fstate *fs, lxA_node *n, int r)
{
    /* IF(cond, then, [else-block | IF]) and TERNARY(cond, a, b) */
    jumplist f;
    memset(&f, 0, sizeof f);
    cond_false(fs, n->kids[0], &f);
    block_enter(fs);
    if (n->kids[1]->kind == AST_BLOCK)
        block2reg(fs, n->kids[1], r);
    else
        exp2reg(fs, n->kids[1], r);
    block_leave(fs);
    if (n->n > 2 && n->kids[2]) {
        int j = emit_jump(fs);
        jl_patch(fs, &f, here(fs));
        block_enter(fs);
        if (n->kids[2]->kind == AST_BLOCK)
            block2reg(fs, n->kids[2], r);
        else
            exp2reg(fs, n->kids[2], r);
        block_leave(fs);
        patch_here(fs, j);
    } else {
        int j = emit_jump(fs);
        jl_patch(fs, &f, here(fs));
        emit(fs, LXK_ABC(BC_LOADNIL, r, 0, 0));
        patch_here(fs, j);
    }
}

static void andor(fstate *fs, lxA_node *n, int r)
{
    exp2reg(fs, n->kids[0], r);
    int j = emit(fs, LXK_ABX(n->kind == AST_AND ? BC_JMPF : BC_JMPT, r, 32768));
    block_enter(fs);
    exp2reg(fs, n->kids[1], r);
    block_leave(fs);
    patch_here(fs, j);
}

static void loop_begin(fstate *fs, loopinfo *li)
{
    memset(li, 0, sizeof *li);
    li->trydepth = fs->ntrys;
    li->depth = fs->depth;
    if (fs->nloops >= LXP_MAX_DEPTH) compile_error(fs, NULL, "loops nested too deeply");
    fs->loops[fs->nloops++] = li;
}

static void while_stmt(fstate *fs, lxA_node *n)
{
    loopinfo li;
    int top = here(fs);
    jumplist exit;
    memset(&exit, 0, sizeof exit);
    cond_false(fs, n->kids[0], &exit);
    loop_begin(fs, &li);
    li.depth = fs->depth + 1;
    scope_open(fs, n->kids[1], false);
    block_enter(fs);
    int save = fs->freereg;
    block2reg(fs, n->kids[1], -1);
    fs->freereg = save;
    block_leave(fs);
    scope_close(fs);
    jl_patch(fs, &li.continues, here(fs));
    patch_to(fs, emit_jump(fs), top);
    jl_patch(fs, &exit, here(fs));
    jl_patch(fs, &li.breaks, here(fs));
    fs->nloops--;
}

/* The loop variable: in the iterator's element register itself when it is a
 * plain name no closure captures (no copy per iteration), else assigned. */
static bool loop_var_in_place(fstate *fs, lxA_node *target, int reg)
{
    if (target->kind != AST_IDENT) return false;
    lxO_string *name = str(fs, target->name);
    if (in_captured(fs, name)) return false;
    var *v = new_var_init(fs, name, true, false); /* made as a global-kind slot, then turned local */
    v->global = false;
    v->reg = reg;
    v->defblock = fs->blocks[fs->nblocks - 1];
    v->defdepth = fs->nblocks - 1;
    return true;
}

/* Loops are rotated: ITERPREP, a jump to the ITERNEXT at the bottom, which
 * jumps back to the body while there are elements (one dispatch per turn). */
static void for_level(fstate *fs, lxA_node *n, int it, loopinfo *li)
{
    lxA_node *iters = n->kids[0];
    bool last = it == iters->n - 1;
    int tocheck, body;
    int a = loop_head(fs, iters->kids[it], last ? n->kids[1] : NULL, false, &tocheck, &body, -1);
    if (last) {
        int save = fs->freereg;
        block2reg(fs, n->kids[1], -1);
        fs->freereg = save;
        jl_patch(fs, &li->continues, here(fs));
        li->continues.n = 0;
    } else {
        for_level(fs, n, it + 1, li);
    }
    loop_tail(fs, a, tocheck, body);
}

static void for_stmt(fstate *fs, lxA_node *n)
{
    loopinfo li;
    loop_begin(fs, &li);
    li.depth = fs->depth + 1;
    for_level(fs, n, 0, &li);
    jl_patch(fs, &li.breaks, here(fs));
    fs->nloops--;
}

/* Leaving try regions on the way out (return, break, continue): POPTRY and
 * the finally code of each, innermost first. */
static void unwind_trys(fstate *fs, int downto)
{
    int saved = fs->ntrys;
    for (int t = fs->ntrys - 1; t >= downto; t--) {
        tryinfo ti = fs->trys[t];
        fs->ntrys = t; /* the finally code runs outside its own region */
        if (ti.handler) emit(fs, LXK_ABC(BC_POPTRY, 0, 0, 0));
        if (ti.finally) {
            int save = fs->freereg;
            block2reg(fs, ti.finally, -1);
            fs->freereg = save;
        }
    }
    fs->ntrys = saved;
}

static void try_stmt(fstate *fs, lxA_node *n, int r)
{
    lxA_node *body = n->kids[0], *var_ = n->kids[1], *handler = n->kids[2], *fin = n->kids[3];
    int saved_free = fs->freereg;
    int exc = reg_alloc(fs);
    int tr = emit(fs, LXK_ABX(BC_TRY, exc, 32768));
    fs->trys[fs->ntrys].finally = fin;
    fs->trys[fs->ntrys].handler = true;
    fs->ntrys++;
    scope_open(fs, body, false);
    block_enter(fs);
    block2reg(fs, body, r);
    block_leave(fs);
    scope_close(fs);
    fs->ntrys--;
    emit(fs, LXK_ABC(BC_POPTRY, 0, 0, 0));
    if (fin) {
        int save = fs->freereg;
        block2reg(fs, fin, -1);
        fs->freereg = save;
    }
    int done = emit_jump(fs);
    patch_here(fs, tr);
    if (handler) {
        int exc2 = -1, tr2 = -1;
        if (fin) {
            exc2 = reg_alloc(fs);
            tr2 = emit(fs, LXK_ABX(BC_TRY, exc2, 32768));
            fs->trys[fs->ntrys].finally = fin;
            fs->trys[fs->ntrys].handler = true;
            fs->ntrys++;
        }
        depth_in(fs, false);
        if (var_) new_var(fs, str(fs, var_->name), false);
        declare_names(fs, handler);
        block_enter(fs);
        if (var_) store_name(fs, var_, exc);
        block2reg(fs, handler, r);
        block_leave(fs);
        scope_close(fs);
        if (fin) {
            fs->ntrys--;
            emit(fs, LXK_ABC(BC_POPTRY, 0, 0, 0));
            int save = fs->freereg;
            block2reg(fs, fin, -1);
            fs->freereg = save;
            int d2 = emit_jump(fs);
            patch_here(fs, tr2);
            save = fs->freereg;
            block2reg(fs, fin, -1);
            fs->freereg = save;
            emit(fs, LXK_ABC(BC_THROW, exc2, 0, 1));
            patch_here(fs, d2);
        }
    } else {
        /* finally without catch: run it, then rethrow */
        if (fin) {
            int save = fs->freereg;
            block2reg(fs, fin, -1);
            fs->freereg = save;
            emit(fs, LXK_ABC(BC_THROW, exc, 0, 1));
        } else if (r >= 0) {
            emit(fs, LXK_ABC(BC_LOADNIL, r, 0, 0));
        }
    }
    patch_here(fs, done);
    fs->freereg = saved_free;
}

static void let_stmt(fstate *fs, lxA_node *n, int r)
{
    lxA_node *binds = n->kids[0], *body = n->kids[1];
    depth_in(fs, true);
    for (int i = 0; i < binds->n; i++) {
        lxA_node *b = binds->kids[i];
        lxA_node *target = b->kind == AST_ASSIGN ? b->kids[0] : b;
        if (b->kind != AST_ASSIGN && b->kind != AST_IDENT)
            compile_error(fs, b, "let expects name = value or a name, got %s", lxA_kind_name(b->kind));
        int t = reg_alloc(fs);
        if (b->kind == AST_ASSIGN)
            exp2reg(fs, b->kids[1], t);
        else
            load_name(fs, b, t); /* let x: a new x with the outer value */
        nameset s;
        memset(&s, 0, sizeof s);
        collect_targets(fs, &s, target, true);
        for (int j = 0; j < s.n; j++)
            new_var(fs, str(fs, s.names[j]->name), false);
        assign(fs, target, t, b);
    }
    declare_names(fs, body);
    block_enter(fs);
    block2reg(fs, body, r);
    block_leave(fs);
    scope_close(fs);
}

/* new(args...) inside an inner constructor: __new(T, args...). */
static void rewrite_new(fstate *fs, lxA_node *n, lxA_node *type)
{
    if (!n) return;
    if (n->kind == AST_CALL && n->kids[0]->kind == AST_IDENT && !strcmp(n->kids[0]->name, "new")) {
        lxA_node *id = lxA_new(fs->arena, AST_IDENT, n->line, n->col, 0);
        lxA_node *t = lxA_new(fs->arena, AST_IDENT, n->line, n->col, 0);
        if (!id || !t || !lxA_push(fs->arena, n, NULL))
            lxD_throw(fs->L, LX_ERRMEM, "OutOfMemoryError: compiling");
        id->name = "__new";
        t->name = type->name;
        for (int i = n->n - 1; i > 1; i--)
            n->kids[i] = n->kids[i - 1];
        n->kids[0] = id;
        n->kids[1] = t;
    }
    for (int i = 0; i < n->n; i++)
        rewrite_new(fs, n->kids[i], type);
}

static void struct_stmt(fstate *fs, lxA_node *n, int r, lxA_node *doc)
{
    if (!fs->toplevel || fs->depth > 0)
        compile_error(fs, n, "a %s definition must be at the top level",
                      n->kind == AST_STRUCT ? "struct" : "type");
    bool abstract = n->kind == AST_ABSTRACT;
    lxA_node *name = n->kids[0], *super = n->kids[1];
    int nf = 0;
    lxA_node *fields[256];
    lxA_node *ctors[64];
    int nctors = 0;
    for (int i = 2; i < n->n; i++) {
        lxA_node *f = n->kids[i];
        if (f->kind == AST_DOC) f = f->kids[1];
        if (f->kind == AST_FUNCTION) {
            if (nctors < 64) ctors[nctors++] = f;
            continue;
        }
        if (f->kind == AST_STRING) continue; /* a field's docstring */
        if (f->kind != AST_IDENT && f->kind != AST_TYPED &&
            !(f->kind == AST_ASSIGN && f->kids[0]->kind == AST_IDENT))
            compile_error(fs, f, "expected a field (name or name::Type) in struct %s", name->name);
        if (nf >= 200) compile_error(fs, f, "too many fields");
        fields[nf++] = f->kind == AST_ASSIGN ? f->kids[0] : f;
    }
    lxO_tuple *desc = lxO_tuple_new(fs->L, 4);
    int kd = constant(fs, lxO_obj(desc));
    desc->items[0] = lxO_obj(str(fs, name->name));
    desc->items[1] = lxO_bool(n->flags & LXA_F_MUTABLE);
    desc->items[2] = lxO_bool(abstract);
    lxO_tuple *fn = lxO_tuple_new(fs->L, nf);
    desc->items[3] = lxO_obj(fn);
    int base = fs->freereg;
    reserve_to(fs, base + 1);
    if (super) {
        lxA_node *s = super->kind == AST_CURLY ? super : super;
        exp2reg(fs, s, base);
    } else {
        emit(fs, LXK_ABC(BC_LOADNIL, base, 0, 0));
    }
    for (int i = 0; i < nf; i++) {
        lxA_node *f = fields[i];
        int t = reg_alloc(fs);
        if (f->kind == AST_TYPED) {
            fn->items[i] = lxO_sym(str(fs, f->kids[0]->name));
            lxA_node *ty = f->kids[1];
            if (ty->kind == AST_CURLY) ty = ty->kids[0];
            /* a field type that names a type parameter (T) is Any */
            if (ty->kind == AST_IDENT) {
                int g = lxG_find(fs->L, str(fs, ty->name));
                if (g < 0 || !lxO_is(fs->L->globals[g].v, LXO_TYPE)) {
                    emit(fs, LXK_ABC(BC_LOADNIL, t, 0, 0));
                    continue;
                }
            }
            exp2reg(fs, ty, t);
        } else {
            fn->items[i] = lxO_sym(str(fs, f->name));
            emit(fs, LXK_ABC(BC_LOADNIL, t, 0, 0));
        }
    }
    int flags = nctors ? 2 : 0; /* inner constructors replace the default one */
    if (doc) {
        exp2reg(fs, doc, reg_alloc(fs));
        flags |= 1;
    }
    emit(fs, LXK_ABC(BC_STRUCT, base, flags, nf));
    emit(fs, (uint32_t)kd);
    int g = lxG_index(fs->L, str(fs, name->name));
    emit(fs, LXK_ABX(BC_SETG, base, g));
    fs->freereg = base;
    /* inner constructors: methods of the type, with `new` making the instance */
    for (int i = 0; i < nctors; i++) {
        rewrite_new(fs, ctors[i]->kids[2], name);
        int t = reg_alloc(fs);
        compile_function(fs, ctors[i], t, NULL);
        fs->freereg = base;
    }
    if (r >= 0) emit(fs, LXK_ABC(BC_LOADNIL, r, 0, 0));
}

static void using_stmt(fstate *fs, lxA_node *n, int r)
{
    int base = fs->freereg;
    reserve_to(fs, base + 1);
    load_global(fs, base, "__using");
    for (int i = 0; i < n->n; i++) {
        lxA_node *m = n->kids[i];
        while (m->kind == AST_FIELD)
            m = m->kids[0];
        int t = reg_alloc(fs);
        if (m->kind != AST_IDENT) compile_error(fs, m, "expected a module name");
        emit(fs, LXK_ABX(BC_LOADK, t, constant(fs, lxO_sym(str(fs, m->name)))));
        if (i > 64) break;
    }
    emit(fs, LXK_ABC(BC_CALL, base, fs->freereg - base - 1, 0));
    emit(fs, (uint32_t)fs->p->ncaches++);
    if (r >= 0 && r != base) emit(fs, LXK_ABC(BC_LOADNIL, r, 0, 0));
    fs->freereg = base;
}

/* Assigns the value in register src to a target expression. */
static void assign(fstate *fs, lxA_node *t, int src, lxA_node *at)
{
    switch (t->kind) {
    case AST_IDENT: store_name(fs, t, src); return;
    case AST_TYPED: assign(fs, t->kids[0], src, at); return;
    case AST_PARENS: assign(fs, t->kids[0], src, at); return;
    case AST_TUPLE: {
        int base = fs->freereg;
        if (t->n > 200) compile_error(fs, t, "too many names to destructure");
        reserve_to(fs, base + t->n);
        int n = t->n;
        for (int i = 0; i < t->n; i++)
            if (t->kids[i]->kind == AST_SPLAT && i != t->n - 1)
                compile_error(fs, t, "only the last name can slurp the rest: a, b... = x");
        bool slurp = t->kids[n - 1]->kind == AST_SPLAT;
        if (slurp) n--;
        if (n) emit(fs, LXK_ABC(BC_UNPACK, base, src, n));
        for (int i = 0; i < n; i++)
            assign(fs, t->kids[i], base + i, at);
        if (slurp) { /* h, rest... = x: rest is what follows, as Julia's Base.rest */
            int c = fs->freereg;
            reserve_to(fs, c + 3);
            load_global(fs, c, "__rest");
            emit(fs, LXK_ABC(BC_MOVE, c + 1, src, 0));
            emit_loadint(fs, c + 2, n + 1);
            emit(fs, LXK_ABC(BC_CALL, c, 2, 0));
            emit(fs, (uint32_t)fs->p->ncaches++);
            assign(fs, t->kids[t->n - 1]->kids[0], c, at);
        }
        fs->freereg = base;
        return;
    }
    case AST_NAMEDTUPLE: { /* (; a, b) = nt reads fields by name */
        int base = fs->freereg;
        reserve_to(fs, base + 1);
        for (int i = 0; i < t->n; i++) {
            lxA_node *kw = t->kids[i];
            emit(fs, LXK_ABC(BC_GETFIELD, base, src, 0));
            emit(fs, (uint32_t)symconst(fs, kw->name));
            assign(fs, kw->kids[0], base, at);
        }
        fs->freereg = base;
        return;
    }
    case AST_FIELD: {
        int save = fs->freereg;
        int o = exp2any(fs, t->kids[0]);
        emit(fs, LXK_ABC(BC_SETFIELD, o, src, 0));
        emit(fs, (uint32_t)symconst(fs, t->name));
        fs->freereg = save;
        return;
    }
    case AST_INDEX: {
        int base = fs->freereg;
        int nidx = t->n - 1;
        reserve_to(fs, base + 1);
        exp2reg(fs, t->kids[0], base);
        fs->idx[fs->nidx].reg = base;
        fs->idx[fs->nidx].n = nidx;
        fs->nidx++;
        for (int i = 1; i < t->n; i++) {
            if (t->kids[i]->kind == AST_SPLAT)
                compile_error(fs, t, "splatted indices in an assignment are not supported");
            fs->idx[fs->nidx - 1].dim = i;
            exp2reg(fs, t->kids[i], reg_alloc(fs));
        }
        fs->nidx--;
        emit(fs, LXK_ABC(BC_SETINDEX, base, src, nidx));
        fs->freereg = base;
        return;
    }
    default: compile_error(fs, at, "cannot assign to %s", lxA_kind_name(t->kind));
    }
}

static void assign_expr(fstate *fs, lxA_node *n, int r)
{
    lxA_node *t = n->kids[0];
    while (t->kind == AST_PARENS)
        t = t->kids[0];
    if (t->kind == AST_IDENT) {
        varref v = resolve(fs, str(fs, t->name), t);
        if (v.kind == V_LOCAL && !v.v->boxed) {
            exp2reg(fs, n->kids[1], v.v->reg);
            mark_assigned(fs, v.v);
            if (r >= 0 && r != v.v->reg) emit(fs, LXK_ABC(BC_MOVE, r, v.v->reg, 0));
            return;
        }
    }
    int save = fs->freereg;
    int v = r >= 0 ? r : reg_alloc(fs);
    exp2reg(fs, n->kids[1], v);
    assign(fs, t, v, n);
    fs->freereg = save;
}

static void opassign(fstate *fs, lxA_node *n, int r)
{
    /* x op= v is x = x op v, with a[i] and a.f evaluated once */
    lxX_op op;
    switch (n->op) {
    case OP_ADD_ASSIGN: op = OP_ADD; break;
    case OP_SUB_ASSIGN: op = OP_SUB; break;
    case OP_MUL_ASSIGN: op = OP_MUL; break;
    case OP_DIV_ASSIGN: op = OP_DIV; break;
    default: op = OP_POW; break;
    }
    lxA_node *t = n->kids[0];
    lxA_node bin;
    memset(&bin, 0, sizeof bin);
    bin.kind = AST_BINOP;
    bin.op = op;
    bin.line = n->line;
    bin.col = n->col;
    lxA_node *kids[2];
    bin.kids = kids;
    bin.n = 2;
    if (t->kind == AST_IDENT) {
        kids[0] = t;
        kids[1] = n->kids[1];
        varref v = resolve(fs, str(fs, t->name), t);
        if (v.kind == V_LOCAL && !v.v->boxed) {
            arith(fs, &bin, v.v->reg);
            if (r >= 0 && r != v.v->reg) emit(fs, LXK_ABC(BC_MOVE, r, v.v->reg, 0));
            return;
        }
        int save = fs->freereg;
        int tr = r >= 0 ? r : reg_alloc(fs);
        arith(fs, &bin, tr);
        store_name(fs, t, tr);
        fs->freereg = save;
        return;
    }
    if (t->kind == AST_INDEX || t->kind == AST_FIELD) {
        /* evaluate the container and indices into fresh registers, then read, combine, write */
        int save = fs->freereg;
        int base = fs->freereg;
        int nidx = t->kind == AST_INDEX ? t->n - 1 : 0;
        reserve_to(fs, base + 1 + nidx);
        exp2reg(fs, t->kids[0], base);
        fs->idx[fs->nidx].reg = base;
        fs->idx[fs->nidx].n = nidx;
        fs->nidx++;
        for (int i = 0; i < nidx; i++) {
            fs->idx[fs->nidx - 1].dim = i + 1;
            exp2reg(fs, t->kids[i + 1], base + 1 + i);
        }
        fs->nidx--;
        int old = reg_alloc(fs);
        if (t->kind == AST_INDEX) {
            emit(fs, LXK_ABC(BC_INDEX, old, base, nidx));
        } else {
            emit(fs, LXK_ABC(BC_GETFIELD, old, base, 0));
            emit(fs, (uint32_t)symconst(fs, t->name));
        }
        int rhs = exp2any(fs, n->kids[1]);
        lxK_opcode bc = op == OP_ADD   ? BC_ADD
                        : op == OP_SUB ? BC_SUB
                        : op == OP_MUL ? BC_MUL
                        : op == OP_DIV ? BC_DIV
                                       : BC_POW;
        emit(fs, LXK_ABC(bc, old, old, rhs));
        if (t->kind == AST_INDEX) {
            emit(fs, LXK_ABC(BC_SETINDEX, base, old, nidx));
        } else {
            emit(fs, LXK_ABC(BC_SETFIELD, base, old, 0));
            emit(fs, (uint32_t)symconst(fs, t->name));
        }
        if (r >= 0) emit(fs, LXK_ABC(BC_MOVE, r, old, 0));
        fs->freereg = save;
        return;
    }
    compile_error(fs, n, "cannot update %s with an operator assignment", lxA_kind_name(t->kind));
}

static void dotassign(fstate *fs, lxA_node *n, int r)
{
    /* x .= y, x[i] .= y: materialised by broadcast! / dotview in stdlib */
    lxA_node *t = n->kids[0];
    int base = fs->freereg;
    if (t->kind == AST_INDEX) {
        reserve_to(fs, base + 3);
        load_global(fs, base, "__dotsetindex!");
        exp2reg(fs, t->kids[0], base + 1);
        exp2reg(fs, n->kids[1], base + 2);
        fs->idx[fs->nidx].reg = base + 1;
        fs->idx[fs->nidx].n = t->n - 1;
        fs->nidx++;
        for (int i = 1; i < t->n; i++) {
            fs->idx[fs->nidx - 1].dim = i;
            exp2reg(fs, t->kids[i], reg_alloc(fs));
        }
        fs->nidx--;
        emit(fs, LXK_ABC(BC_CALL, base, fs->freereg - base - 1, 0));
    } else {
        reserve_to(fs, base + 4);
        load_global(fs, base, "broadcast!");
        load_global(fs, base + 1, "identity");
        exp2reg(fs, t, base + 2);
        exp2reg(fs, n->kids[1], base + 3);
        emit(fs, LXK_ABC(BC_CALL, base, 3, 0));
    }
    emit(fs, (uint32_t)fs->p->ncaches++);
    if (r >= 0 && r != base) emit(fs, LXK_ABC(BC_MOVE, r, base, 0));
    fs->freereg = base;
}

static void return_stmt(fstate *fs, lxA_node *n)
{
    int save = fs->freereg;
    int r = reg_alloc(fs);
    if (n->n && n->kids[0])
        exp2reg(fs, n->kids[0], r);
    else
        emit(fs, LXK_ABC(BC_LOADNIL, r, 0, 0));
    unwind_trys(fs, 0);
    emit(fs, LXK_ABC(BC_RETURN, r, 0, 0));
    fs->freereg = save;
}

static void break_stmt(fstate *fs, lxA_node *n, bool brk)
{
    if (fs->nloops == 0) compile_error(fs, n, "%s outside a loop", brk ? "break" : "continue");
    loopinfo *li = fs->loops[fs->nloops - 1];
    unwind_trys(fs, li->trydepth);
    jl_add(fs, brk ? &li->breaks : &li->continues, emit_jump(fs));
}

static void const_stmt(fstate *fs, lxA_node *n, int r)
{
    for (int i = 0; i < n->n; i++) {
        lxA_node *a = n->kids[i];
        if (a->kind != AST_ASSIGN || a->kids[0]->kind != AST_IDENT)
            compile_error(fs, a, "expected const name = value");
        if (!fs->toplevel || fs->depth > 0) compile_error(fs, a, "const is only allowed at the top level");
        int t = r >= 0 ? r : reg_alloc(fs);
        exp2reg(fs, a->kids[1], t);
        emit(fs, LXK_ABX(BC_SETCONST, t, lxG_index(fs->L, str(fs, a->kids[0]->name))));
    }
}

static void doc_stmt(fstate *fs, lxA_node *n, int r)
{
    lxA_node *doc = n->kids[0], *def = n->kids[1];
    switch (def->kind) {
    case AST_FUNCTION: compile_function(fs, def, r >= 0 ? r : reg_alloc(fs), doc); return;
    case AST_STRUCT:
    case AST_ABSTRACT: struct_stmt(fs, def, r, doc); return;
    default: break;
    }
    /* const x = ..., x = ...: the doc goes on the global */
    lxA_node *a = def->kind == AST_CONST && def->n ? def->kids[0] : def;
    if (r >= 0)
        exp2reg(fs, def, r);
    else
        stmt(fs, def);
    if (a->kind == AST_ASSIGN && a->kids[0]->kind == AST_IDENT) {
        int base = fs->freereg;
        reserve_to(fs, base + 3);
        load_global(fs, base, "__setdoc");
        emit(fs, LXK_ABX(BC_LOADK, base + 1, constant(fs, lxO_sym(str(fs, a->kids[0]->name)))));
        exp2reg(fs, doc, base + 2);
        emit(fs, LXK_ABC(BC_CALL, base, 2, 0));
        emit(fs, (uint32_t)fs->p->ncaches++);
        fs->freereg = base;
    }
}

static void exp2reg(fstate *fs, lxA_node *n, int r)
{
    if (!n) {
        emit(fs, LXK_ABC(BC_LOADNIL, r, 0, 0));
        return;
    }
    int saved_line = fs->line;
    fs->line = n->line;
    switch (n->kind) {
    case AST_INT: emit_loadint(fs, r, n->v.i); break;
    case AST_FLOAT: emit(fs, LXK_ABX(BC_LOADK, r, constant(fs, lxO_f64(n->v.d)))); break;
    case AST_FLOAT32: emit(fs, LXK_ABX(BC_LOADK, r, constant(fs, lxO_f32((float)n->v.d)))); break;
    case AST_BOOL: emit(fs, LXK_ABC(BC_LOADBOOL, r, n->v.i != 0, 0)); break;
    case AST_NOTHING: emit(fs, LXK_ABC(BC_LOADNIL, r, 0, 0)); break;
    case AST_STRING: string_expr(fs, n, r); break;
    case AST_SYMBOL: emit(fs, LXK_ABX(BC_LOADK, r, symconst(fs, n->name))); break;
    case AST_IDENT: load_name(fs, n, r); break;
    case AST_END: end_expr(fs, n, r, true); break;
    case AST_BEGIN: end_expr(fs, n, r, false); break;
    case AST_PARENS: exp2reg(fs, n->kids[0], r); break;
    case AST_BLOCK: block2reg(fs, n, r); break;
    case AST_CALL: {
        /* a call into the newest temporary register needs no copy afterwards */
        int save = fs->freereg;
        int base = r == fs->freereg - 1 && is_temp(fs, r) ? r : fs->freereg;
        reserve_to(fs, base + 1);
        exp2reg(fs, n->kids[0], base);
        fs->line = n->line;
        call_args(fs, base, n->kids + 1, n->n - 1);
        if (r != base) emit(fs, LXK_ABC(BC_MOVE, r, base, 0));
        fs->freereg = save;
        break;
    }
    case AST_DOTCALL:
        if (n->n == 2 && dense_pattern(n->kids[1])) {
            dense_call(fs, r, n->kids[0], n->kids[1]);
            break;
        }
        broadcast_call(fs, r, n->kids[0], n->kids + 1, n->n - 1, NULL);
        break;
    case AST_BINOP: arith(fs, n, r); break;
    case AST_DOTOP:
        if (n->op == OP_DOTPIPE) { /* x .|> f is broadcast(f, x) */
            broadcast_call(fs, r, n->kids[1], n->kids, 1, NULL);
            break;
        }
        if (dense_pattern(n)) {
            dense_call(fs, r, NULL, n);
            break;
        }
        broadcast_call(fs, r, NULL, n->kids, 2, binop_fn(n->op));
        break;
    case AST_UNOP: {
        int save = fs->freereg;
        if (n->op == OP_ADD) {
            exp2reg(fs, n->kids[0], r);
        } else if (n->op == OP_SQRT) {
            call_global(fs, r, "sqrt", n->kids, 1);
        } else {
            int b = exp2any(fs, n->kids[0]);
            emit(fs, LXK_ABC(n->op == OP_SUB ? BC_NEG : BC_NOT, r, b, 0));
        }
        fs->freereg = save;
        break;
    }
    case AST_DOTUNOP: broadcast_call(fs, r, NULL, n->kids, 1, n->op == OP_DSUB ? "-" : "+"); break;
    case AST_COMPARE: compare(fs, n, r); break;
    case AST_AND:
    case AST_OR: andor(fs, n, r); break;
    case AST_TERNARY:
    case AST_IF: if_expr(fs, n, r); break;
    case AST_RANGE: call_global(fs, r, ":", n->kids, n->n); break;
    case AST_PAIR: call_global(fs, r, "=>", n->kids, 2); break;
    case AST_INDEX: index_expr(fs, n, r); break;
    case AST_FIELD: {
        int save = fs->freereg;
        int b = exp2any(fs, n->kids[0]);
        emit(fs, LXK_ABC(BC_GETFIELD, r, b, 0));
        emit(fs, (uint32_t)symconst(fs, n->name));
        fs->freereg = save;
        break;
    }
    case AST_ADJOINT: call_global(fs, r, "adjoint", n->kids, 1); break;
    case AST_TUPLE: tuple_expr(fs, n, r); break;
    case AST_NAMEDTUPLE: ntuple_expr(fs, n, r); break;
    case AST_VECT: call_global(fs, r, "__vect", n->kids, n->n); break;
    case AST_HCAT: call_global(fs, r, "__hcat", n->kids, n->n); break;
    case AST_VCAT: {
        /* __hvcat((row lengths...), items...) */
        int base = fs->freereg;
        reserve_to(fs, base + 2);
        load_global(fs, base, "__hvcat");
        int total = 0;
        for (int i = 0; i < n->n; i++)
            total += n->kids[i]->n;
        if (total > 200 || n->n > 200) {
            compile_error(fs, n, "a matrix literal of more than 200 elements; build it with reshape or hcat");
        }
        lxO_tuple *lens = lxO_tuple_new(fs->L, n->n);
        for (int i = 0; i < n->n; i++)
            lens->items[i] = lxO_int(n->kids[i]->n);
        emit(fs, LXK_ABX(BC_LOADK, base + 1, constant(fs, lxO_obj(lens))));
        for (int i = 0; i < n->n; i++)
            for (int j = 0; j < n->kids[i]->n; j++)
                exp2reg(fs, n->kids[i]->kids[j], reg_alloc(fs));
        emit(fs, LXK_ABC(BC_CALL, base, total + 1, 0));
        emit(fs, (uint32_t)fs->p->ncaches++);
        if (r != base) emit(fs, LXK_ABC(BC_MOVE, r, base, 0));
        fs->freereg = base;
        break;
    }
    case AST_TYPEDVECT: {
        /* T[a, b], T[a b; c d], T[f(x) for x in xs]: built straight in T, so Float64[0.1 0.2] never
         * passes through the untyped literal's Float32 */
        lxA_node *lit = n->kids[1];
        int base = fs->freereg;
        reserve_to(fs, base + 3);
        fs->freereg = base + 2;
        exp2reg(fs, n->kids[0], base + 1);
        int nargs;
        if (lit->kind == AST_VCAT) {
            load_global(fs, base, "__typed_hvcat");
            int total = 0;
            for (int i = 0; i < lit->n; i++)
                total += lit->kids[i]->n;
            if (total > 200 || lit->n > 200)
                compile_error(fs, lit,
                              "a matrix literal of more than 200 elements; build it with reshape or hcat");
            lxO_tuple *lens = lxO_tuple_new(fs->L, lit->n);
            for (int i = 0; i < lit->n; i++)
                lens->items[i] = lxO_int(lit->kids[i]->n);
            emit(fs, LXK_ABX(BC_LOADK, reg_alloc(fs), constant(fs, lxO_obj(lens))));
            for (int i = 0; i < lit->n; i++)
                for (int j = 0; j < lit->kids[i]->n; j++)
                    exp2reg(fs, lit->kids[i]->kids[j], reg_alloc(fs));
            nargs = total + 2;
        } else if (lit->kind == AST_HCAT || lit->kind == AST_VECT) {
            bool h = lit->kind == AST_HCAT;
            load_global(fs, base, h ? "__typed_hcat" : "getindex");
            if (lit->n > 200) compile_error(fs, lit, "a literal of more than 200 elements");
            for (int i = 0; i < lit->n; i++) {
                if (!h && (lit->kids[i]->kind == AST_SPLAT || lit->kids[i]->kind == AST_KW)) {
                    compile_error(fs, lit->kids[i], "a splat inside a typed literal; write T.(collect(xs))");
                }
                exp2reg(fs, lit->kids[i], reg_alloc(fs));
            }
            nargs = lit->n + 1;
        } else if (lit->kind == AST_COMPREHENSION) { /* __typed_collect(T, list[, iterables...]) */
            int g;
            load_global(fs, base, lit->flags & LXA_F_SHAPED ? "__typed_collect_shaped" : "__typed_collect");
            comp_list(fs, lit, &g); /* at base + 2 */
            nargs = 2 + g;
        } else {
            load_global(fs, base, "__typedvect");
            exp2reg(fs, lit, reg_alloc(fs));
            nargs = 2;
        }
        emit(fs, LXK_ABC(BC_CALL, base, nargs, 0));
        emit(fs, (uint32_t)fs->p->ncaches++);
        if (r != base) emit(fs, LXK_ABC(BC_MOVE, r, base, 0));
        fs->freereg = base;
        break;
    }
    case AST_COMPREHENSION: comprehension(fs, n, r, "__collect"); break;
    case AST_GENERATOR: comprehension(fs, n, r, NULL); break;
    case AST_LAMBDA:
    case AST_FUNCTION: compile_function(fs, n, r, NULL); break;
    case AST_ASSIGN: assign_expr(fs, n, r); break;
    case AST_OPASSIGN: opassign(fs, n, r); break;
    case AST_DOTASSIGN: dotassign(fs, n, r); break;
    case AST_WHILE:
        while_stmt(fs, n);
        emit(fs, LXK_ABC(BC_LOADNIL, r, 0, 0));
        break;
    case AST_FOR:
        for_stmt(fs, n);
        emit(fs, LXK_ABC(BC_LOADNIL, r, 0, 0));
        break;
    case AST_LET: let_stmt(fs, n, r); break;
    case AST_TRY: try_stmt(fs, n, r); break;
    case AST_RETURN: return_stmt(fs, n); break;
    case AST_BREAK: break_stmt(fs, n, true); break;
    case AST_CONTINUE: break_stmt(fs, n, false); break;
    case AST_STRUCT:
    case AST_ABSTRACT: struct_stmt(fs, n, r, NULL); break;
    case AST_USING:
    case AST_IMPORT: using_stmt(fs, n, r); break;
    case AST_CONST: const_stmt(fs, n, r); break;
    case AST_DOC: doc_stmt(fs, n, r); break;
    case AST_LOCAL:
    case AST_GLOBAL:
        for (int i = 0; i < n->n; i++) {
            lxA_node *d = n->kids[i];
            if (d->kind == AST_ASSIGN)
                assign_expr(fs, d, r);
            else if (d->kind == AST_OPASSIGN)
                opassign(fs, d, r);
            else if (r >= 0)
                emit(fs, LXK_ABC(BC_LOADNIL, r, 0, 0));
        }
        if (n->n == 0 && r >= 0) emit(fs, LXK_ABC(BC_LOADNIL, r, 0, 0));
        break;
    case AST_TYPED: call_global(fs, r, "typeassert", n->kids, 2); break;
    case AST_CURLY: call_global(fs, r, "apply_type", n->kids, n->n); break;
    case AST_WHERE: exp2reg(fs, n->kids[0], r); break;
    case AST_MACROCALL: compile_error(fs, n, "UndefVarError: macro @%s is not defined", n->name);
    case AST_KW: compile_error(fs, n, "a keyword argument (%s = ...) outside a call", n->name);
    case AST_SPLAT: compile_error(fs, n, "\"...\" is only allowed in a call or a tuple");
    default: compile_error(fs, n, "cannot compile %s here", lxA_kind_name(n->kind));
    }
    fs->line = saved_line;
}

/* A statement whose value is not used. */
static void stmt(fstate *fs, lxA_node *n)
{
    if (!n) return;
    int save = fs->freereg;
    fs->line = n->line;
    switch (n->kind) {
    case AST_ASSIGN: assign_expr(fs, n, -1); break;
    case AST_OPASSIGN: opassign(fs, n, -1); break;
    case AST_WHILE: while_stmt(fs, n); break;
    case AST_FOR: for_stmt(fs, n); break;
    case AST_RETURN: return_stmt(fs, n); break;
    case AST_BREAK: break_stmt(fs, n, true); break;
    case AST_CONTINUE: break_stmt(fs, n, false); break;
    case AST_STRUCT:
    case AST_ABSTRACT: struct_stmt(fs, n, -1, NULL); break;
    case AST_TRY: try_stmt(fs, n, reg_alloc(fs)); break;
    case AST_LOCAL:
    case AST_GLOBAL:
        for (int i = 0; i < n->n; i++) {
            if (n->kids[i]->kind == AST_ASSIGN)
                assign_expr(fs, n->kids[i], -1);
            else if (n->kids[i]->kind == AST_OPASSIGN)
                opassign(fs, n->kids[i], -1);
        }
        break;
    case AST_IF: if_expr(fs, n, reg_alloc(fs)); break;
    case AST_DOC: doc_stmt(fs, n, -1); break;
    default: exp2reg(fs, n, reg_alloc(fs)); break;
    }
    fs->freereg = save;
}

/* A block's statements; the last one's value in r (r < 0: none wanted). */
static void block2reg(fstate *fs, lxA_node *b, int r)
{
    if (b->kind != AST_BLOCK) {
        if (r >= 0)
            exp2reg(fs, b, r);
        else
            stmt(fs, b);
        return;
    }
    if (b->n == 0) {
        if (r >= 0) emit(fs, LXK_ABC(BC_LOADNIL, r, 0, 0));
        return;
    }
    for (int i = 0; i < b->n - 1; i++)
        stmt(fs, b->kids[i]);
    if (r >= 0) {
        int save = fs->freereg;
        exp2reg(fs, b->kids[b->n - 1], r);
        fs->freereg = save;
    } else {
        stmt(fs, b->kids[b->n - 1]);
    }
}

/* ---- functions -------------------------------------------------------------------------------- */

static void fs_init(fstate *fs, lx_State *L, lxA_arena *arena, fstate *prev, lxO_string *file)
{
    memset(fs, 0, sizeof *fs);
    fs->L = L;
    fs->arena = arena;
    fs->prev = prev;
    fs->p = lxV_proto_new(L);
    fs->p->file = file;
    fs->nblocks = 1;
    fs->blocks[0] = 0;
}

/* Turns the collected code into the proto's final arrays (exact sizes, so
 * the collector frees them by count). */
static void fs_finish(fstate *fs)
{
    lxO_proto *p = fs->p;
    lx_State *L = fs->L;
    p->code =
        lxM_realloc(L, p->code, (size_t)fs->p->capcode * sizeof *p->code, (size_t)p->ncode * sizeof *p->code);
    p->lines = lxM_realloc(L, p->lines, (size_t)fs->p->capcode * sizeof *p->lines,
                           (size_t)p->ncode * sizeof *p->lines);
    fs->p->capcode = p->ncode;
    p->k = lxM_realloc(L, p->k, (size_t)fs->p->capk * sizeof *p->k, (size_t)p->nk * sizeof *p->k);
    fs->p->capk = p->nk;
    p->protos = lxM_realloc(L, p->protos, (size_t)fs->p->capprotos * sizeof *p->protos,
                            (size_t)p->nprotos * sizeof *p->protos);
    fs->p->capprotos = p->nprotos;
    p->ups = lxM_realloc(L, p->ups, (size_t)fs->p->capup * sizeof *p->ups, (size_t)p->nup * sizeof *p->ups);
    fs->p->capup = p->nup;
    if (p->ncaches) {
        p->caches = lxM_realloc(L, NULL, 0, (size_t)p->ncaches * sizeof *p->caches);
        memset(p->caches, 0, (size_t)p->ncaches * sizeof *p->caches);
    }
    if (p->maxstack < 1) p->maxstack = 1;
}

static int add_child(fstate *fs, lxO_proto *child)
{
    lxO_proto *p = fs->p;
    if (p->nprotos >= LXK_MAXBX) compile_error(fs, NULL, "too many nested functions");
    if (p->nprotos == fs->p->capprotos) {
        int cap = fs->p->capprotos ? 2 * fs->p->capprotos : 4;
        p->protos = lxM_realloc(fs->L, p->protos, (size_t)fs->p->capprotos * sizeof *p->protos,
                                (size_t)cap * sizeof *p->protos);
        fs->p->capprotos = cap;
    }
    p->protos[p->nprotos] = child;
    return p->nprotos++;
}

/* A parameter from a lambda's parameter expression. */
static void lambda_param(lxA_node *a, lxA_node **name, lxA_node **type, lxA_node **def, bool *splat)
{
    *type = *def = NULL;
    *splat = false;
    if (a->kind == AST_PARAM) {
        *name = a->kids[0];
        *type = a->kids[1];
        *def = a->kids[2];
        *splat = (a->flags & LXA_F_SPLAT) != 0;
        return;
    }
    if (a->kind == AST_ASSIGN) {
        *def = a->kids[1];
        a = a->kids[0];
    }
    if (a->kind == AST_SPLAT) {
        *splat = true;
        a = a->kids[0];
    }
    if (a->kind == AST_TYPED) {
        *type = a->kids[1];
        a = a->kids[0];
    }
    *name = a;
}

static void compile_function(fstate *fs, lxA_node *fn, int r, lxA_node *doc)
{
    lx_State *L = fs->L;
    bool lambda = fn->kind == AST_LAMBDA;
    lxA_node *namenode = lambda ? NULL : fn->kids[0];
    lxA_node *params = lambda ? fn->kids[0] : fn->kids[1];
    lxA_node *body = lambda ? fn->kids[1] : fn->kids[2];
    lxA_node *self = NULL; /* (l::Linear)(x) = ...: a method of apply with l first */
    const char *fname = "#anonymous";
    if (namenode) {
        if (namenode->kind == AST_TYPED) {
            self = namenode;
            fname = "apply";
        } else {
            lxA_node *nm = namenode;
            while (nm->kind == AST_FIELD && !nm->name[0])
                nm = nm->kids[0];
            fname = nm->kind == AST_FIELD ? nm->name : nm->kind == AST_IDENT ? nm->name : "#anonymous";
            if (nm->kind != AST_FIELD && nm->kind != AST_IDENT)
                compile_error(fs, namenode, "cannot define a method on %s", lxA_kind_name(nm->kind));
        }
    }
    fstate child;
    fs_init(&child, L, fs->arena, fs, fs->p->file);
    lxO_proto *p = child.p;
    p->name = lxS_cstr(L, fname);
    p->line = fn->line;
    child.line = fn->line;
    child.toplevel = false;
    collect_captured(&child, body, false);
    for (int i = 0; i < params->n; i++) { /* defaults may hold closures too */
        lxA_node *nm, *ty, *df;
        bool sp;
        lambda_param(params->kids[i], &nm, &ty, &df, &sp);
        collect_captured(&child, df, false);
    }
    /* positional parameters first (registers 0..), then keywords */
    lxA_node *pos[256], *kws[256];
    int npos = 0, nkw = 0;
    if (self) pos[npos++] = self;
    for (int i = 0; i < params->n && npos < 250 && nkw < 250; i++) {
        lxA_node *a = params->kids[i];
        if (a->kind == AST_PARAM && (a->flags & LXA_F_KEYWORD))
            kws[nkw++] = a;
        else
            pos[npos++] = a;
    }
    if (npos >= 250 || nkw >= 250) compile_error(fs, fn, "too many parameters");
    int nreq = 0, nopt = 0;
    bool vararg = false, kwrest = false;
    lxA_node *types[256];
    lxA_node *destructure[256];
    int ndestructure = 0;
    child.depth = 0;
    for (int i = 0; i < npos; i++) {
        lxA_node *nm, *ty, *df;
        bool sp;
        if (pos[i] == self) {
            nm = self->kids[0];
            ty = self->kids[1];
            df = NULL;
            sp = false;
        } else {
            lambda_param(pos[i], &nm, &ty, &df, &sp);
        }
        if (vararg) compile_error(fs, pos[i], "a splat parameter (xs...) must come last");
        if (sp)
            vararg = true;
        else if (df)
            nopt++;
        else if (nopt)
            compile_error(fs, pos[i], "a parameter without a default follows one with a default");
        else
            nreq++;
        types[i] = sp ? NULL : ty;
        if (sp && ty) types[i] = ty;
        lxO_string *pname;
        if (nm->kind == AST_IDENT) {
            pname = lxS_cstr(L, nm->name);
        } else if (nm->kind == AST_TUPLE) {
            pname = lxS_cstr(L, "#destructure");
            destructure[ndestructure++] = nm;
        } else {
            compile_error(fs, nm, "a parameter must be a name");
        }
        var *v = &(var){0};
        /* parameters: registers in order, values from the call (no LOADUNDEF) */
        if (child.nvars == child.capvars) {
            int cap = child.capvars ? 2 * child.capvars : 16;
            var *nv = lxA_alloc(child.arena, (size_t)cap * sizeof *nv);
            if (!nv) lxD_throw(L, LX_ERRMEM, "OutOfMemoryError: compiling");
            if (child.nvars) memcpy(nv, child.vars, (size_t)child.nvars * sizeof *nv);
            child.vars = nv;
            child.capvars = cap;
        }
        v = &child.vars[child.nvars++];
        memset(v, 0, sizeof *v);
        v->name = pname;
        v->reg = reg_alloc(&child);
        v->defblock = 0;
        v->defdepth = 0;
        v->boxed = false; /* boxed below, after the defaults */
    }
    for (int i = 0; i < nkw; i++) {
        lxA_node *a = kws[i];
        if (a->flags & LXA_F_SPLAT) kwrest = true;
        lxO_string *kname = lxS_cstr(L, a->kids[0]->name);
        if (child.nvars == child.capvars) {
            int cap = child.capvars ? 2 * child.capvars : 16;
            var *nv = lxA_alloc(child.arena, (size_t)cap * sizeof *nv);
            if (!nv) lxD_throw(L, LX_ERRMEM, "OutOfMemoryError: compiling");
            if (child.nvars) memcpy(nv, child.vars, (size_t)child.nvars * sizeof *nv);
            child.vars = nv;
            child.capvars = cap;
        }
        var *v = &child.vars[child.nvars++];
        memset(v, 0, sizeof *v);
        v->name = kname;
        v->reg = reg_alloc(&child);
        v->defblock = 0;
        v->defdepth = 0;
    }
    p->nreq = nreq;
    p->nopt = nopt;
    p->vararg = vararg;
    p->kwrest = kwrest;
    int nkwnamed = nkw - (kwrest ? 1 : 0);
    p->nkw = nkwnamed;
    if (nkwnamed) {
        p->kwnames = lxM_realloc(L, NULL, 0, (size_t)nkwnamed * sizeof *p->kwnames);
        int q = 0;
        for (int i = 0; i < nkw; i++)
            if (!(kws[i]->flags & LXA_F_SPLAT)) p->kwnames[q++] = lxS_cstr(L, kws[i]->kids[0]->name);
    }
    /* the prologue: defaults of missing positionals, then keywords */
    for (int i = nreq; i < nreq + nopt; i++) {
        lxA_node *nm, *ty, *df;
        bool sp;
        lambda_param(pos[i], &nm, &ty, &df, &sp);
        int j = emit(&child, LXK_ABX(BC_JARGC, i, 32768));
        child.freereg = child.nvars;
        reserve_to(&child, child.nvars);
        exp2reg(&child, df, child.vars[i].reg);
        patch_here(&child, j);
    }
    for (int i = 0; i < nkw; i++) {
        lxA_node *a = kws[i];
        int reg = child.vars[npos + i].reg;
        if (a->flags & LXA_F_SPLAT) {
            emit(&child, LXK_ABC(BC_KWREST, reg, 0, 0));
            continue;
        }
        emit(&child, LXK_ABX(BC_GETKW, reg, constant(&child, lxO_obj(lxS_cstr(L, a->kids[0]->name)))));
        int j = emit_jump(&child);
        if (a->kids[2]) {
            exp2reg(&child, a->kids[2], reg);
        } else {
            int b = child.freereg;
            reserve_to(&child, b + 2);
            load_global(&child, b, "__kwrequired");
            emit(&child, LXK_ABX(BC_LOADK, b + 1, constant(&child, lxO_sym(lxS_cstr(L, a->kids[0]->name)))));
            emit(&child, LXK_ABC(BC_CALL, b, 1, 0));
            emit(&child, (uint32_t)child.p->ncaches++);
            child.freereg = b;
        }
        patch_here(&child, j);
    }
    /* captured parameters move into boxes */
    for (int i = 0; i < child.nvars; i++) {
        var *v = &child.vars[i];
        if (!in_captured(&child, v->name)) continue;
        int t = reg_alloc(&child);
        emit(&child, LXK_ABC(BC_MOVE, t, v->reg, 0));
        emit(&child, LXK_ABC(BC_BOXNEW, v->reg, 0, 0));
        emit(&child, LXK_ABC(BC_SETBOX, v->reg, t, 0));
        v->boxed = true;
        child.freereg = t;
    }
    /* tuple parameters ((a, b), c) -> ... are unpacked into their names */
    for (int d = 0; d < ndestructure; d++) {
        var *v = NULL;
        for (int i = 0; i < child.nvars; i++)
            if (!strcmp(child.vars[i].name->data, "#destructure")) {
                v = &child.vars[i];
                child.vars[i].name = lxS_cstr(L, "#done");
                break;
            }
        nameset s;
        memset(&s, 0, sizeof s);
        collect_targets(&child, &s, destructure[d], true);
        for (int i = 0; i < s.n; i++)
            new_var(&child, str(&child, s.names[i]->name), false);
        assign(&child, destructure[d], v->reg, destructure[d]);
    }
    /* the body: its own names, then its value returned */
    nameset s;
    memset(&s, 0, sizeof s);
    collect_assigned(&child, &s, body, false);
    for (int i = 0; i < s.n; i++) {
        lxO_string *name = str(&child, s.names[i]->name);
        var *v = find_var(&child, name);
        if (s.global[i]) {
            new_var(&child, name, true);
            continue;
        }
        if (v) continue;                                      /* a parameter */
        if (!s.local[i] && is_local_name(fs, name)) continue; /* assigns a captured outer local */
        new_var(&child, name, false);
    }
    int rr = reg_alloc(&child);
    block2reg(&child, body, rr);
    emit(&child, LXK_ABC(BC_RETURN, rr, 0, 0));
    /* the signature as written, for errors and help */
    char sig[512];
    size_t len = 0;
    len += (size_t)snprintf(sig, sizeof sig, "%s(", fname);
    for (int i = 0; i < npos && len < sizeof sig; i++) {
        char part[200];
        lxA_unparse(pos[i], part, sizeof part);
        len += (size_t)snprintf(sig + len, sizeof sig - len, "%s%s", i ? ", " : "", part);
    }
    for (int i = 0; i < nkw && len < sizeof sig; i++) {
        char part[200];
        lxA_unparse(kws[i], part, sizeof part);
        len += (size_t)snprintf(sig + len, sizeof sig - len, "%s%s", i ? ", " : "; ", part);
    }
    if (len < sizeof sig) snprintf(sig + len, sizeof sig - len, ")");
    p->sig = lxS_cstr(L, sig);
    fs_finish(&child);
    int idx = add_child(fs, p);
    /* the closure, then (for a named function) a method of its generic function */
    int base = fs->freereg;
    int cr = r >= 0 && !namenode ? r : base;
    reserve_to(fs, base + 1);
    emit(fs, LXK_ABX(BC_CLOSURE, cr, idx));
    if (!namenode) {
        if (doc) compile_error(fs, fn, "a docstring must document a named function");
        fs->freereg = base;
        return;
    }
    /* a named function inside a function or let: a local generic function (its register or box) */
    lxA_node *nm = self ? NULL : namenode;
    var *local = NULL;
    if (nm && nm->kind == AST_IDENT) {
        local = find_var(fs, lxS_cstr(L, nm->name));
        if (local && local->global) local = NULL;
    }
    for (int i = 0; i < npos; i++) {
        int t = reg_alloc(fs);
        lxA_node *ty = types[i];
        if (ty && ty->kind == AST_CURLY) ty = ty->kids[0];
        if (ty && ty->kind == AST_IDENT) {
            /* `x::T` where T is a type parameter (where T): no constraint */
            int g = lxG_find(L, lxS_cstr(L, ty->name));
            bool known = g >= 0 && L->globals[g].v.tag != LX_TUNDEF;
            if (!known && !is_local_name(fs, lxS_cstr(L, ty->name)) && strlen(ty->name) <= 2) ty = NULL;
        }
        if (ty)
            exp2reg(fs, ty, t);
        else
            emit(fs, LXK_ABC(BC_LOADNIL, t, 0, 0));
    }
    int flags = 0;
    if (doc) {
        exp2reg(fs, doc, reg_alloc(fs));
        flags |= 2;
    }
    if (local) {
        emit(fs, LXK_ABC(BC_METHOD, base, npos, flags | (local->boxed ? 4 : 1)));
        emit(fs, (uint32_t)local->reg);
        mark_assigned(fs, local);
        if (r >= 0) load_name(fs, nm, r);
        fs->freereg = base;
        return;
    }
    int g = lxG_index(L, lxS_cstr(L, fname));
    emit(fs, LXK_ABC(BC_METHOD, base, npos, flags));
    emit(fs, (uint32_t)g);
    if (r >= 0) emit(fs, LXK_ABX(BC_GETG, r, g));
    fs->freereg = base;
}

/* ---- macros ------------------------------------------------------------------------------------ */

void lxK_macro_register(lx_State *L, const char *name, lxK_macro fn, const char *doc)
{
    if (L->nmacros == L->capmacros) {
        int cap = L->capmacros ? 2 * L->capmacros : 32;
        L->macros = lxM_realloc(L, L->macros, (size_t)L->capmacros * sizeof *L->macros,
                                (size_t)cap * sizeof *L->macros);
        L->capmacros = cap;
    }
    lxK_macrodef *m = &L->macros[L->nmacros++];
    m->name = NULL;
    m->doc = NULL;
    m->module = NULL;
    m->fn = fn;
    m->name = lxS_cstr(L, name);
    m->doc = doc ? lxS_cstr(L, doc) : NULL;
}

const lxK_macrodef *lxK_macro_find(lx_State *L, const char *name)
{
    for (int i = 0; i < L->nmacros; i++)
        if (!strcmp(L->macros[i].name->data, name)) return &L->macros[i];
    return NULL;
}

static lxA_node *expand(lx_State *L, lxA_arena *arena, lxA_node *n, lxO_string *file, int depth)
{
    if (!n) return n;
    if (depth > 400) lxE_error(L, LXT_ParseError, "macro expansion nested too deeply");
    if (n->kind == AST_MACROCALL) {
        const lxK_macrodef *m = lxK_macro_find(L, n->name);
        if (!m)
            lxE_error(L, LXT_UndefVarError, "%s:%d:%d: macro @%s is not defined", file ? file->data : "?",
                      n->line, n->col, n->name);
        lxA_node *r = m->fn(L, arena, n);
        if (!r) lxD_throw(L, LX_ERRMEM, "OutOfMemoryError: expanding a macro");
        if (r == n) return n; /* a macro that keeps its node (none do today) */
        return expand(L, arena, r, file, depth + 1);
    }
    for (int i = 0; i < n->n; i++)
        n->kids[i] = expand(L, arena, n->kids[i], file, depth + 1);
    return n;
}

lxO_proto *lxK_compile(lx_State *L, lxA_arena *arena, lxA_node *stmt_, lxO_string *file)
{
    stmt_ = expand(L, arena, stmt_, file, 0);
    fstate fs;
    fs_init(&fs, L, arena, NULL, file);
    fs.toplevel = true;
    fs.p->name = lxS_cstr(L, "top-level scope");
    fs.p->line = stmt_ ? stmt_->line : 0;
    fs.line = fs.p->line;
    collect_captured(&fs, stmt_, false);
    int r = reg_alloc(&fs);
    if (stmt_)
        exp2reg(&fs, stmt_, r);
    else
        emit(&fs, LXK_ABC(BC_LOADNIL, r, 0, 0));
    emit(&fs, LXK_ABC(BC_RETURN, r, 0, 0));
    fs_finish(&fs);
    return fs.p;
}
