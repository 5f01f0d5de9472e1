/* keys.c — what readline is taught: the prompts of the two modes, the keys
 * that switch them (`?` at the start of an empty line enters help mode, as in
 * Julia; backspace on an empty help line leaves it), and Tab completion,
 * which asks the state for names (lx_complete) and completes file names
 * itself inside a string.
 */
#include "repl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>

static lx_State *state;
static repl_mode mode = MODE_LX;
static bool continuing, color;

/* \001 and \002 tell readline the colour codes take no room on the line. */
#define PROMPT_COLOR(code, text) "\001\033[" code "m\002" text "\001\033[0m\002"

const char *keys_prompt(void)
{
    if (continuing) return "  ...> ";
    if (mode == MODE_HELP) return color ? PROMPT_COLOR("1;33", "help?> ") : "help?> ";
    return color ? PROMPT_COLOR("1;32", "lx> ") : "lx> ";
}

repl_mode keys_mode(void)
{
    return mode;
}

/* Redraws the line under the prompt of the new mode. */
static void show_prompt(void)
{
    rl_clear_visible_line();
    rl_set_prompt(keys_prompt());
    rl_on_new_line();
    rl_redisplay();
}

void keys_set_mode(repl_mode m)
{
    mode = m;
}

void keys_set_continuing(bool on)
{
    continuing = on;
}

void keys_set_color(bool on)
{
    color = on;
}

/* `?` as the first thing typed at `lx> ` switches to help mode. */
static int key_question(int count, int key)
{
    if (mode == MODE_LX && !continuing && rl_end == 0) {
        mode = MODE_HELP;
        show_prompt();
        return 0;
    }
    return rl_insert(count, key);
}

/* Backspace on an empty `help?> ` line goes back to `lx> `. */
static int key_backspace(int count, int key)
{
    if (mode == MODE_HELP && rl_end == 0) {
        mode = MODE_LX;
        show_prompt();
        return 0;
    }
    return rl_rubout(count, key);
}

/* ---- completion ---------------------------------------------------------------------------- */

typedef struct {
    char **v;
    size_t n, cap;
    bool failed;
} candidates;

static void add_candidate(void *ud, const char *s, size_t len)
{
    candidates *c = ud;
    if (c->failed) return;
    if (c->n + 2 >= c->cap) { /* room for the common prefix in front and the NULL after */
        size_t cap = c->cap ? 2 * c->cap : 32;
        char **v = realloc(c->v, cap * sizeof *v);
        if (!v) {
            c->failed = true;
            return;
        }
        c->v = v;
        c->cap = cap;
    }
    char *d = malloc(len + 1);
    if (!d) {
        c->failed = true;
        return;
    }
    memcpy(d, s, len);
    d[len] = '\0';
    c->v[1 + c->n++] = d;
}

/* readline's match list: the longest common prefix, then the candidates. */
static char **match_list(candidates *c)
{
    if (c->failed || c->n == 0) {
        for (size_t i = 0; i < c->n; i++)
            free(c->v[1 + i]);
        free(c->v);
        return NULL;
    }
    size_t lcp = strlen(c->v[1]);
    for (size_t i = 2; i <= c->n; i++) {
        size_t k = 0;
        while (k < lcp && c->v[i][k] == c->v[1][k])
            k++;
        lcp = k;
    }
    c->v[0] = strndup(c->v[1], lcp);
    c->v[c->n + 1] = NULL;
    if (!c->v[0]) {
        for (size_t i = 0; i < c->n; i++)
            free(c->v[1 + i]);
        free(c->v);
        return NULL;
    }
    return c->v;
}

/* Whether the cursor is inside a string literal: an odd number of unescaped `"` before it. */
static bool in_string(void)
{
    bool in = false;
    for (int i = 0; i < rl_point && rl_line_buffer[i]; i++) {
        if (rl_line_buffer[i] == '\\' && in)
            i++;
        else if (rl_line_buffer[i] == '"')
            in = !in;
    }
    return in;
}

/* Inside a string a word is a file name: only the quote starts it (`/` and `-` are no breaks there). */
static char *word_breaks(void)
{
    static char names[] = " \t\n\"\\'`$><=;|&{(,)}[]+-*/%^~:?", path[] = "\"";
    return in_string() ? path : names;
}

static char **complete(const char *text, int start, int end)
{
    (void)start;
    (void)end;
    rl_attempted_completion_over = 1; /* never readline's own file names outside a string */
    if (in_string()) {
        rl_completion_append_character = '\0';
        return rl_completion_matches(text, rl_filename_completion_function);
    }
    rl_completion_append_character = '\0'; /* `ps.layer_1` may go on with `.weight` */
    candidates c = {NULL, 0, 0, false};
    lx_complete(state, text, strlen(text), mode == MODE_HELP, add_candidate, &c);
    return match_list(&c);
}

void keys_install(lx_State *L)
{
    state = L;
    rl_readline_name = "lx"; /* `$if lx` in ~/.inputrc */
    rl_attempted_completion_function = complete;
    /* `.`, `@`, `_` and `!` belong to words: ps.layer_1, @debug_mode, update! */
    rl_completion_word_break_hook = word_breaks;
    rl_completer_quote_characters = "\"";
    /* readline binds the terminal's erase character to its own rubout each time it takes the
     * terminal; the emacs keys it would bind (DEL, ^U, ^W) do the same things anyway */
    rl_variable_bind("bind-tty-special-chars", "off");
    rl_bind_key('?', key_question);
    rl_bind_key(127, key_backspace);
    rl_bind_key('\b', key_backspace);
}
