/* ctx.c — the nn context: last error, interrupt flag, memory pool, gradient
 * hook.  One context per thread of use; nothing here is global.
 */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static const char *const status_names[NN_NUM_STATUS] = {
    [NN_OK] = "OK",
    [NN_ERR_DIMENSION] = "DimensionMismatch",
    [NN_ERR_ARGUMENT] = "ArgumentError",
    [NN_ERR_TYPE] = "TypeError",
    [NN_ERR_BOUNDS] = "BoundsError",
    [NN_ERR_DOMAIN] = "DomainError",
    [NN_ERR_MEMORY] = "OutOfMemoryError",
    [NN_ERR_INTERRUPTED] = "InterruptException",
    [NN_ERR_MUTATED] = "ErrorException",
    [NN_ERR_STATE] = "ErrorException",
    [NN_ERR_LAPACK] = "ErrorException",
};

nn_ctx *nn_ctx_new(void)
{
    nn_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx) return NULL;
    atomic_init(&ctx->interrupt, 0);
    return ctx;
}

void nn_ctx_free(nn_ctx *ctx)
{
    if (!ctx) return;
    nn_pool_trim(&ctx->pool);
    free(ctx);
}

const char *nn_ctx_message(const nn_ctx *ctx)
{
    return ctx->message;
}
nn_status nn_ctx_status(const nn_ctx *ctx)
{
    return ctx->status;
}

void nn_ctx_clear_error(nn_ctx *ctx)
{
    ctx->status = NN_OK;
    ctx->message[0] = '\0';
}

const char *nn_status_name(nn_status s)
{
    return (unsigned)s < NN_NUM_STATUS ? status_names[s] : "ErrorException";
}

nn_status nn_error(nn_ctx *ctx, nn_status s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->message, sizeof ctx->message, fmt, ap);
    va_end(ap);
    ctx->status = s;
    return s;
}

void nn_ctx_interrupt(nn_ctx *ctx)
{
    atomic_store(&ctx->interrupt, 1);
}
void nn_ctx_clear_interrupt(nn_ctx *ctx)
{
    atomic_store(&ctx->interrupt, 0);
}
bool nn_ctx_interrupted(const nn_ctx *ctx)
{
    return atomic_load(&((nn_ctx *)ctx)->interrupt) != 0;
}

bool nn_check_interrupt(nn_ctx *ctx)
{
    return atomic_load_explicit(&ctx->interrupt, memory_order_relaxed) != 0;
}

size_t nn_ctx_bytes_live(const nn_ctx *ctx)
{
    return ctx->pool.live;
}
size_t nn_ctx_bytes_cached(const nn_ctx *ctx)
{
    return ctx->pool.cached;
}
void nn_ctx_set_memory_limit(nn_ctx *ctx, size_t bytes)
{
    ctx->pool.limit = bytes;
}
void nn_ctx_trim(nn_ctx *ctx)
{
    nn_pool_trim(&ctx->pool);
}

void nn_ctx_set_grad_hook(nn_ctx *ctx, nn_grad_hook hook, void *ud)
{
    ctx->grad_hook = hook;
    ctx->grad_hook_ud = ud;
}
