/* tap.h — TAP output for lx's C tests, and the checks they share: values
 * against expected data, error paths, and finite-difference gradients.
 */
#ifndef LX_TAP_H
#define LX_TAP_H

#include "nn.h"

#include <stdbool.h>

/* ok N - name, or not ok N - name with a diagnostic. Returns cond. */
bool tap_ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints the plan; the exit status for main (1 if anything failed). */
int tap_done(void);

/* |got - want| <= atol + rtol |want| for every element. */
bool tap_tensor_close(const nn_tensor *t, const double *want, int64_t n, double rtol, double atol,
                      const char *name);
bool tap_close(double got, double want, double tol, const char *name);
/* The call failed with status `want` and a message containing each of the
 * NULL-terminated substrings. */
bool tap_error(nn_ctx *ctx, nn_status got, nn_status want, const char *name, ...);
/* Status was NN_OK (else prints the context's message). */
bool tap_okst(nn_ctx *ctx, nn_status s, const char *name);

/* A function of tensors, for gradient checks: builds *out from in[0..n). */
typedef nn_status (*tap_fn)(nn_ctx *ctx, nn_tensor *const *in, nn_tensor **out, void *ud);
/* Compares backward's gradient of sum(w .* f(in)) (w fixed, uneven weights)
 * with central differences in Float64, for every input element.  Inputs must
 * be Float64.  Reports one TAP line; passes when the largest relative error
 * is below tol. */
bool tap_gradcheck(nn_ctx *ctx, tap_fn f, int n, nn_tensor *const *in, void *ud, double tol,
                   const char *name);

/* Text a test collects (a host writer's output, an expected block): kept
 * NUL-terminated, grown as needed; abort()s when memory runs out. */
typedef struct {
    char *s;
    size_t len, cap;
} tap_text;
void tap_text_add(tap_text *t, const char *s, size_t n);
/* Empties it (keeping its buffer); its text reads "" afterwards. */
void tap_text_clear(tap_text *t);

/* The C library's realloc/free as a realloc-style allocator hook (lx_Alloc,
 * lxX_alloc), for tests that need a plain one. */
void *tap_alloc(void *ud, void *ptr, size_t osize, size_t nsize);

/* A Float64 tensor of the given shape from data (column-major). */
nn_tensor *tap_tensor(nn_ctx *ctx, nn_dtype t, int ndim, const int64_t *shape, const double *data);

#endif
