/* parse.h — the parser (lxP_): tokens to an lxA_ tree, a whole chunk at a
 * time.  Errors come back as a status with file:line:col, a message and an
 * "incomplete" flag (the input ended inside a construct: the REPL reads
 * another line).  Nesting is bounded, so deep input is an error, not a crash.
 */
#ifndef LX_PARSE_H
#define LX_PARSE_H

#include "ast.h"

#define LXP_MAX_DEPTH 200 /* nested expressions and blocks */

typedef struct {
    bool ok;
    bool incomplete;
    int line, col;
    char message[384];
} lxP_result;

/* Parses src into a BLOCK of top-level statements allocated in `arena`. */
lxA_node *lxP_parse(const char *src, size_t len, const char *chunk, lxA_arena *arena, lxP_result *res);

/* The error as lx prints it: "chunk:line:col: message", then the offending
 * line and a caret under the column (spec §7).  Returns the length needed. */
size_t lxP_format_error(const char *src, size_t len, const char *chunk, const lxP_result *res, char *buf,
                        size_t n);

#endif
