/* repl.h — what the parts of the lx program share: main.c (arguments,
 * scripts, standard input), session.c (the interactive loop on readline),
 * keys.c (completion and the keys readline is given).  Only repl/ may exit.
 */
#ifndef LX_REPL_H
#define LX_REPL_H

#include "lx.h"

#include <stdbool.h>

typedef enum { MODE_LX, MODE_HELP } repl_mode;

/* The session's options, from the command line and the environment. */
typedef struct {
    bool quiet; /* -q: no banner */
    bool color; /* standard output is a terminal and NO_COLOR is unset or empty */
} repl_options;

/* Runs the interactive session until Ctrl-D or exit(); returns the exit status. */
int repl_session(lx_State *L, const repl_options *opt);

/* Prints an error status as Julia does ("ERROR: " in red when color);
 * returns the process status it stands for (0, 1, 130, or exit()'s code). */
int repl_report(lx_State *L, lx_Status st, bool color);

/* Installs the completion hook and the mode keys (`?` at the start of an
 * empty line, backspace on an empty help line); the session's mode is read
 * and set through these. */
void keys_install(lx_State *L);
repl_mode keys_mode(void);
void keys_set_mode(repl_mode m);
/* Whether text is waiting in the continuation buffer (then `?` is just a character). */
void keys_set_continuing(bool on);
/* The prompt for the current mode and continuation state. */
const char *keys_prompt(void);
void keys_set_color(bool on);

#endif
