/* error.c — raising lx exceptions from C (lxE_).  An exception is a struct
 * instance of one of the built-in exception types (or any value a script
 * throws); throwing records the stack trace and longjmps to the innermost
 * handler: the VM's (which finds the lx `try`) or a protected call's.
 */
#include "runtime.h"

#include "nn.h"

#include <stdio.h>
#include <string.h>

void lxE_throw(lx_State *L, lx_Value exc)
{
    L->exc = exc;
    lxV_traceback(L);
    L->errjmp->status = LX_ERRRUN;
    longjmp(L->errjmp->buf, 1);
}

lx_Value lxE_new(lx_State *L, lxT_builtin type, const char *msg)
{
    lxO_type *t = L->T[type];
    lxO_struct *s = lxO_struct_new(L, t);
    for (int i = 0; i < s->n; i++)
        s->fields[i] = lxO_nothing();
    bool placed = false;
    for (int i = 0; i < t->nfields; i++)
        if (!strcmp(t->fields[i]->data, "msg")) {
            s->fields[i] = lxO_cstr(L, msg);
            placed = true;
        }
    /* MethodError, BoundsError and UndefVarError raised with a message keep it in their first field */
    if (!placed && t->nfields &&
        (type == LXT_MethodError || type == LXT_BoundsError || type == LXT_UndefVarError))
        s->fields[0] = lxO_cstr(L, msg);
    return lxO_obj(s);
}

void lxE_error(lx_State *L, lxT_builtin type, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lxE_throw(L, lxE_new(L, type, msg));
}

void lxE_undefvar(lx_State *L, lxO_string *name)
{
    /* a state opened without LX_LIB_ENV has no ENV: say why, in lxL_need's words */
    if (!(L->access & LX_LIB_ENV) && name->len == 3 && !memcmp(name->data, "ENV", 3))
        lxE_error(L, LXT_IOError, "ENV: this lx state has no environment access (the host did not grant it)");
    lxO_struct *s = lxO_struct_new(L, L->T[LXT_UndefVarError]);
    s->fields[0] = lxO_sym(name);
    lxE_throw(L, lxO_obj(s));
}

void lxE_keyerror(lx_State *L, lx_Value key)
{
    int mark = lxV_root(L, key);
    lxO_struct *s = lxO_struct_new(L, L->T[LXT_KeyError]);
    lxV_unroot(L, mark);
    s->fields[0] = key;
    lxE_throw(L, lxO_obj(s));
}

void lxE_typeerror(lx_State *L, const char *ctx, const char *expected, lx_Value got)
{
    lxE_error(L, LXT_TypeError, "in %s, expected %s, got a value of type %s", ctx, expected,
              lxT_name(lxT_typeof(L, got)));
}

void lxE_methoderror(lx_State *L, lxO_generic *gf, lx_Value *args, int nargs)
{
    lxO_tuple *t = lxO_tuple_new(L, nargs);
    memcpy(t->items, args, (size_t)nargs * sizeof *args);
    int mark = lxV_root(L, lxO_obj(t));
    lxO_struct *s = lxO_struct_new(L, L->T[LXT_MethodError]);
    lxV_unroot(L, mark);
    s->fields[0] = lxO_obj(gf);
    s->fields[1] = lxO_obj(t);
    lxE_throw(L, lxO_obj(s));
}

void lxE_nn(lx_State *L, int status)
{
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", nn_ctx_message(L->nn));
    nn_ctx_clear_error(L->nn);
    switch ((nn_status)status) {
    case NN_ERR_DIMENSION: lxE_throw(L, lxE_new(L, LXT_DimensionMismatch, msg));
    case NN_ERR_ARGUMENT:
    case NN_ERR_TYPE: lxE_throw(L, lxE_new(L, LXT_ArgumentError, msg));
    case NN_ERR_BOUNDS: lxE_throw(L, lxE_new(L, LXT_BoundsError, msg));
    case NN_ERR_DOMAIN:
        /* a conversion that loses the value (Int.(x) of 1.5) says so in its message */
        if (!strncmp(msg, "InexactError: ", 14)) lxE_throw(L, lxE_new(L, LXT_InexactError, msg + 14));
        lxE_throw(L, lxE_new(L, LXT_DomainError, msg));
    case NN_ERR_MEMORY:
        snprintf(L->errmsg, sizeof L->errmsg, "%.500s", msg);
        lxE_throw(L, lxO_obj(lxO_struct_new(L, L->T[LXT_OutOfMemoryError])));
    case NN_ERR_INTERRUPTED:
        nn_ctx_clear_interrupt(L->nn);
        atomic_fetch_and(&L->interrupt, ~LXE_INTERRUPT);
        lxE_throw(L, lxO_obj(lxO_struct_new(L, L->T[LXT_InterruptException])));
    default: lxE_throw(L, lxE_new(L, LXT_ErrorException, msg));
    }
}

void lxE_poll(lx_State *L)
{
    if (atomic_fetch_and(&L->interrupt, ~LXE_INTERRUPT) & LXE_INTERRUPT) {
        if (L->nn) nn_ctx_clear_interrupt(L->nn);
        lxO_struct *s = lxO_struct_new(L, L->T[LXT_InterruptException]);
        lxE_throw(L, lxO_obj(s));
    }
}

/* The run's budget is spent: an error no try catches (the VM's handlers skip it while limit_hit is
 * set, as for exit), and the budget stays spent, so a C catch-all that swallows it meets it again at
 * the next safe point. */
static void limit_reached(lx_State *L) __attribute__((noreturn));
static void limit_reached(lx_State *L)
{
    L->limit_hit = true;
    L->budget = -1;
    lxE_error(L, LXT_ErrorException, "instruction limit of %llu reached", (unsigned long long)L->ilimit);
}

void lxE_safepoint(lx_State *L, int64_t cost)
{
    int flags = atomic_load_explicit(&L->interrupt, memory_order_relaxed);
    if (flags & LXE_COUNTING) {
        L->budget -= cost > 0 ? cost : 1;
        if (L->budget < 0 || L->limit_hit) limit_reached(L);
    }
    if (flags & LXE_INTERRUPT) lxE_poll(L);
}

void lxE_startrun(lx_State *L)
{
    L->limit_hit = false;
    L->budget = L->ilimit > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)L->ilimit;
    if (L->ilimit)
        atomic_fetch_or(&L->interrupt, LXE_COUNTING);
    else
        atomic_fetch_and(&L->interrupt, ~LXE_COUNTING);
}

void lxE_endrun(lx_State *L)
{
    atomic_fetch_and(&L->interrupt, ~LXE_COUNTING);
    L->limit_hit = false;
}

void lx_interrupt(lx_State *L)
{
    atomic_fetch_or(&L->interrupt, LXE_INTERRUPT);
    if (L->nn) nn_ctx_interrupt(L->nn); /* long kernels poll it between blocks */
}

void lx_setinstructionlimit(lx_State *L, uint64_t n)
{
    L->ilimit = n;
}
