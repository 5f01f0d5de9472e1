/* session.c — the interactive session: readline's callback interface in a
 * select loop (as Python's readline module does), so that Ctrl-C at the
 * prompt can drop the line and draw a fresh prompt, while Ctrl-C during a
 * computation asks the state to stop (lx_interrupt) and the computation ends
 * with an InterruptException.  Inputs that are not complete yet (an open
 * block, bracket or string) continue on the next line; each whole input is
 * one history entry, appended to the history file at once so that sessions
 * share it.
 */
#define _POSIX_C_SOURCE 200809L
#include "repl.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#define HISTORY_SIZE 1000

static lx_State *running;                      /* the state a Ctrl-C interrupts, while it runs */
static volatile sig_atomic_t at_prompt_sigint; /* a Ctrl-C arrived while reading */

static void on_sigint(int sig)
{
    (void)sig;
    if (running)
        lx_interrupt(running);
    else
        at_prompt_sigint = 1;
}

static void catch_sigint(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: select() returns EINTR so the loop sees the Ctrl-C */
    sigaction(SIGINT, &sa, NULL);
}

/* ---- history -------------------------------------------------------------------------------- */

static char history_path[4096];

/* $LX_HISTORY, or ~/.lx_history; "" when there is none (LX_HISTORY set empty, no HOME). */
static void find_history(void)
{
    const char *env = getenv("LX_HISTORY");
    if (env) {
        snprintf(history_path, sizeof history_path, "%s", env);
        return;
    }
    const char *home = getenv("HOME");
    if (home && home[0]) snprintf(history_path, sizeof history_path, "%s/.lx_history", home);
}

static void load_history(void)
{
    find_history();
    /* each entry is written after a timestamp line, so an entry of several lines reads back whole */
    history_comment_char = '#';
    history_write_timestamps = 1;
    history_multiline_entries = 1;
    stifle_history(HISTORY_SIZE);
    if (history_path[0]) read_history(history_path);
}

static void remember(const char *entry)
{
    HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
    if (!entry[0] || (last && !strcmp(last->line, entry))) return;
    add_history(entry);
    if (!history_path[0]) return;
    int fd = open(history_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd < 0) return; /* an unwritable history file is no reason to stop */
    close(fd);
    append_history(1, history_path);
}

static void save_history(void)
{
    if (history_path[0]) history_truncate_file(history_path, HISTORY_SIZE * 4);
}

/* ---- one input ------------------------------------------------------------------------------ */

static char *input; /* the lines of the input so far */
static size_t input_len;
static char *line_read; /* what readline's callback handed over */
static bool line_ready;

static void on_line(char *line)
{
    line_read = line;
    line_ready = true;
    /* run the input with the terminal as the program found it, not in readline's raw mode */
    rl_callback_handler_remove();
}

static void drop_input(void)
{
    free(input);
    input = NULL;
    input_len = 0;
    keys_set_continuing(false);
}

static bool append_line(const char *line)
{
    size_t n = strlen(line);
    char *b = realloc(input, input_len + n + 2);
    if (!b) return false;
    input = b;
    memcpy(input + input_len, line, n);
    input_len += n;
    input[input_len++] = '\n';
    input[input_len] = '\0';
    return true;
}

/* Runs what was typed with Ctrl-C interrupting it; the last value is shown and bound to ans. */
static lx_Status run(lx_State *L, const char *src, size_t len, bool help)
{
    running = L;
    lx_Status st = help ? lx_help(L, src, len) : lx_doline(L, src, len, "REPL", 1);
    running = NULL;
    fflush(stdout);
    return st;
}

/* The text of the input without its last newline, for the history. */
static char *history_text(const char *src, size_t len, bool help)
{
    while (len && (src[len - 1] == '\n' || src[len - 1] == ' '))
        len--;
    char *h = malloc(len + 2);
    if (!h) return NULL;
    size_t k = 0;
    if (help) h[k++] = '?';
    memcpy(h + k, src, len);
    h[k + len] = '\0';
    return h;
}

/* One line from readline: the input is complete (run it), goes on, or ends (Ctrl-D). */
static int take_line(lx_State *L, char *line, const repl_options *opt, bool *quit)
{
    if (!line) { /* Ctrl-D: on an empty input it ends the session, inside one it drops the input */
        putchar('\n');
        if (input) {
            drop_input();
            return 0;
        }
        *quit = true;
        return 0;
    }
    bool help = keys_mode() == MODE_HELP;
    if (!input && !help && line[0] == '?') { /* `?name` typed or recalled whole */
        help = true;
        memmove(line, line + 1, strlen(line));
    }
    if (!append_line(line)) {
        free(line);
        drop_input();
        fputs("ERROR: OutOfMemoryError: the input is too long\n", stderr);
        return 0;
    }
    free(line);
    if (!help && lx_incomplete(L, input, input_len)) {
        keys_set_continuing(true);
        return 0;
    }
    char *h = history_text(input, input_len, help);
    if (h) remember(h);
    free(h);
    keys_set_mode(MODE_LX);
    keys_set_continuing(false);
    lx_Status st = run(L, input, input_len, help);
    drop_input();
    int status = 0;
    if (st != LX_OK && (!help || st == LX_EXIT))
        status = repl_report(L, st, opt->color); /* lx_help reports its own */
    if (st == LX_EXIT) {
        *quit = true;
        return status;
    }
    putchar('\n'); /* a blank line after each result, as Julia's REPL leaves */
    return 0;
}

/* Ctrl-C at the prompt: drop the line (and any unfinished input) and start afresh. */
static void cancel_line(void)
{
    rl_point = rl_end; /* ^C after what was typed, which stays on the screen */
    rl_redisplay();
    fputs("^C", rl_outstream);
    rl_crlf();
    rl_replace_line("", 0);
    rl_free_line_state();
    rl_callback_sigcleanup();
    rl_callback_handler_remove();
    drop_input();
    keys_set_mode(MODE_LX);
}

static void banner(const repl_options *opt)
{
    if (opt->quiet) return;
    const char *b = opt->color ? "\033[1m" : "", *e = opt->color ? "\033[0m" : "";
    printf("%slx %s%s: Lux's layers, explicit parameters and gradients in a small language.\n"
           "Type ? for help, Tab to complete names, Ctrl-C to interrupt, Ctrl-D to quit.\n\n",
           b, LX_VERSION, e);
}

int repl_session(lx_State *L, const repl_options *opt)
{
    banner(opt);
    fflush(stdout);
    lx_setcolor(L, opt->color);
    /* A session has time to spare: Lux loads now, not on the first layer typed (stdlib/prelude.c). */
    if (lx_dostring(L, "using Lux", 9, "=repl") != LX_OK) repl_report(L, LX_ERRRUN, opt->color);
    keys_set_color(opt->color);
    keys_install(L);
    rl_catch_signals = 0; /* Ctrl-C is ours (on_sigint); readline still follows the window size */
    load_history();
    catch_sigint();
    int status = 0;
    bool quit = false;
    while (!quit) {
        rl_callback_handler_install(keys_prompt(), on_line);
        line_ready = false;
        while (!line_ready) {
            fd_set fds;
            FD_ZERO(&fds);
            FD_SET(fileno(rl_instream), &fds);
            int r = select(fileno(rl_instream) + 1, &fds, NULL, NULL, NULL);
            if (at_prompt_sigint) {
                at_prompt_sigint = 0;
                cancel_line();
                rl_callback_handler_install(keys_prompt(), on_line);
                continue;
            }
            if (r < 0 && errno == EINTR) continue;
            if (r < 0) { /* the terminal went away */
                rl_callback_handler_remove();
                quit = true;
                break;
            }
            rl_callback_read_char();
        }
        if (line_ready) status = take_line(L, line_read, opt, &quit);
        fflush(stdout);
    }
    signal(SIGINT, SIG_DFL);
    save_history();
    drop_input();
    return status;
}
