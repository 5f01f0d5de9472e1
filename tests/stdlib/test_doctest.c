/* test_doctest.c — runs the examples in every docstring (Julia's jldoctest
 * style).  Inside a fenced block, `lx> code` is an input (a following line
 * indented by 6 spaces, or more lines while the input is incomplete,
 * continue it); the lines after it, up to the next `lx> `, a blank line or
 * the closing fence, are the output the REPL must print: the value's
 * display (nothing after a trailing `;`), what the code printed, or
 * "ERROR: <message>" (an error's first lines are enough: the rest of its
 * message may hold blank lines).  Trailing whitespace and trailing blank
 * lines do not count.  A docstring's examples run in order in one fresh state; a block
 * opened with ```lx-nodoctest is not run.  One TAP line per docstring.
 */
#include "docwalk.h"
#include "lx.h"
#include "tap.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DOCTEST_SECONDS 20 /* per docstring: a runaway example is interrupted */

typedef tap_text text;

static void adds(text *t, const char *s)
{
    tap_text_add(t, s, strlen(s));
}

/* Everything the state prints, stdout and stderr in order. */
static void capture(void *ud, int stream, const char *s, size_t n)
{
    (void)stream;
    tap_text_add(ud, s, n);
}

static lx_State *running;

static void on_alarm(int sig)
{
    (void)sig;
    if (running) lx_interrupt(running);
}

/* Lines without trailing whitespace, and no trailing blank lines. */
static void normalize(text *t)
{
    size_t w = 0;
    for (size_t r = 0; r < t->len;) {
        const char *nl = memchr(t->s + r, '\n', t->len - r);
        size_t end = nl ? (size_t)(nl - t->s) : t->len, e = end;
        while (e > r && (t->s[e - 1] == ' ' || t->s[e - 1] == '\t' || t->s[e - 1] == '\r'))
            e--;
        memmove(t->s + w, t->s + r, e - r);
        w += e - r;
        if (nl) t->s[w++] = '\n';
        r = end + (nl != NULL);
    }
    while (w && t->s[w - 1] == '\n')
        w--;
    t->len = w;
    if (t->s) t->s[w] = '\0';
}

/* Each line of s into the report, prefixed. */
static void report_lines(text *r, const char *prefix, const char *s, size_t n)
{
    if (!n) {
        adds(r, prefix);
        adds(r, "(nothing)\n");
        return;
    }
    for (size_t i = 0; i < n;) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - s) : n;
        adds(r, prefix);
        tap_text_add(r, s + i, e - i);
        adds(r, "\n");
        i = e + 1;
    }
}

typedef struct {
    const char *s, *end;
    size_t indent; /* the open fence's indentation (a fence in a list item), taken off each line */
} lines;

/* The next line (without its newline and the fence's indentation); false
 * at the end. */
static bool next_line(lines *ls, const char **line, size_t *len)
{
    if (ls->s >= ls->end) return false;
    const char *nl = memchr(ls->s, '\n', (size_t)(ls->end - ls->s));
    *line = ls->s;
    *len = nl ? (size_t)(nl - ls->s) : (size_t)(ls->end - ls->s);
    ls->s = nl ? nl + 1 : ls->end;
    for (size_t k = 0; k < ls->indent && *len && **line == ' '; k++) {
        (*line)++;
        (*len)--;
    }
    return true;
}

static bool starts(const char *line, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && !memcmp(line, prefix, n);
}

static bool blank(const char *line, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r') return false;
    return true;
}

/* Runs one input and compares what it printed with want; a difference
 * goes into the report. */
static bool run_example(lx_State *L, text *out, const char *code, size_t codelen, text *want, text *report)
{
    out->len = 0;
    if (out->s) out->s[0] = '\0';
    lx_Status st = lx_doline(L, code, codelen, "doctest", 1);
    if (st != LX_OK) {
        adds(out, "ERROR: ");
        adds(out, lx_errmsg(L));
        adds(out, "\n");
    }
    normalize(out);
    normalize(want);
    if (out->len == want->len && (!out->len || !memcmp(out->s, want->s, out->len))) return true;
    /* an error's message may go on with lists and blank lines: its first lines are enough */
    if (want->len > 7 && !memcmp(want->s, "ERROR: ", 7) && out->len > want->len &&
        !memcmp(out->s, want->s, want->len) && out->s[want->len] == '\n')
        return true;
    report_lines(report, "lx> ", code, codelen);
    report_lines(report, "  expected: ", want->s, want->len);
    report_lines(report, "  got:      ", out->s, out->len);
    return false;
}

/* A fresh state and the buffers its examples use. */
typedef struct {
    lx_State *L;
    text out, code, want;
} session;

static bool session_open(session *S)
{
    memset(S, 0, sizeof *S);
    lx_Config cfg = {.memory_limit = (size_t)1 << 30, .writer = capture, .writer_ud = &S->out};
    S->L = lx_open(&cfg);
    if (!S->L || lx_openlibs(S->L) != LX_OK) return false;
    running = S->L;
    alarm(DOCTEST_SECONDS);
    return true;
}

static void session_close(session *S)
{
    alarm(0);
    running = NULL;
    if (S->L) lx_close(S->L);
    free(S->out.s);
    free(S->code.s);
    free(S->want.s);
}

/* Runs the examples in n bytes of Markdown: 1 when all pass, 0 (and the
 * differences in report) when one does not, -1 when there are none. */
static int run_examples(session *S, const char *doc, size_t n, text *report)
{
    lx_State *L = S->L;
    text *code = &S->code, *want = &S->want;
    lines ls = {doc, doc + n, 0};
    const char *line;
    size_t len;
    bool infence = false, skip = false, have = false, collecting = false, failed = false;
    int nexamples = 0;
    while (next_line(&ls, &line, &len)) {
        if (!infence) {
            size_t indent = strspn(line, " ");
            if (indent < len && starts(line + indent, len - indent, "```")) {
                infence = true;
                skip = starts(line + indent, len - indent, "```lx-nodoctest");
                ls.indent = indent;
            }
            continue;
        }
        bool fence = starts(line, len, "```"), prompt = starts(line, len, "lx> ");
        if (have && (fence || prompt)) { /* the example before ends */
            failed |= !run_example(L, &S->out, code->s, code->len, want, report);
            have = collecting = false;
        }
        if (fence) {
            infence = false;
            ls.indent = 0;
            continue;
        }
        if (skip) continue;
        if (prompt) {
            code->len = want->len = 0;
            tap_text_add(code, line + 4, len - 4);
            tap_text_add(want, "", 0);
            /* continuation: lines indented 6 spaces, or more while incomplete */
            for (;;) {
                lines peek = ls;
                const char *nl;
                size_t nlen;
                if (!next_line(&peek, &nl, &nlen) || starts(nl, nlen, "```")) break;
                bool indented = starts(nl, nlen, "      ");
                if (!indented && !lx_incomplete(L, code->s, code->len)) break;
                tap_text_add(code, "\n", 1);
                tap_text_add(code, indented ? nl + 6 : nl, indented ? nlen - 6 : nlen);
                ls = peek;
            }
            have = collecting = true;
            nexamples++;
            continue;
        }
        if (!collecting) continue;
        if (blank(line, len))
            collecting = false;
        else {
            tap_text_add(want, line, len);
            tap_text_add(want, "\n", 1);
        }
    }
    if (have) failed |= !run_example(L, &S->out, code->s, code->len, want, report);
    if (!nexamples) return -1;
    return !failed;
}

/* The report's lines as TAP diagnostics. */
static void diag_report(const text *report)
{
    for (size_t k = 0; k < report->len;) {
        const char *nl = memchr(report->s + k, '\n', report->len - k);
        size_t end = nl ? (size_t)(nl - report->s) : report->len;
        tap_diag("%.*s", (int)(end - k), report->s + k);
        k = end + 1;
    }
}

/* A Markdown file's examples, section by section (## headings), in one
 * state: one TAP line per section that has examples. */
static void doctest_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    text src = {NULL, 0, 0}, report = {NULL, 0, 0};
    char buf[65536];
    size_t k;
    while (f && (k = fread(buf, 1, sizeof buf, f)) > 0)
        tap_text_add(&src, buf, k);
    if (!tap_ok(f != NULL, "%s can be read", path)) return;
    fclose(f);
    session S;
    if (tap_ok(session_open(&S), "%s: a state opens", path)) {
        const char *sec = src.s, *end = src.s + src.len;
        while (sec < end) {
            const char *next = sec;
            do { /* the next line starting with "## " */
                const char *nl = memchr(next, '\n', (size_t)(end - next));
                next = nl ? nl + 1 : end;
            } while (next < end && strncmp(next, "## ", 3));
            const char *title = sec + strspn(sec, "# ");
            int tlen = (int)strcspn(title, "\n");
            report.len = 0;
            int r = run_examples(&S, sec, (size_t)(next - sec), &report);
            if (r >= 0 && !tap_ok(r == 1, "doctest: %s: %.*s", path, tlen, title)) diag_report(&report);
            sec = next;
        }
    }
    session_close(&S);
    free(src.s);
    free(report.s);
}

/* Whether name is one of the comma-separated names in only. */
static bool listed(const char *only, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = only; *p;) {
        size_t k = strcspn(p, ",");
        if (k == n && !strncmp(p, name, n)) return true;
        p += k + (p[k] == ',');
    }
    return false;
}

/* With no arguments: every docstring (LX_DOCTEST=sum,@show: only those).
 * With Markdown files as arguments: their examples. */
int main(int argc, char **argv)
{
    signal(SIGALRM, on_alarm);
    if (argc > 1) {
        for (int i = 1; i < argc; i++)
            doctest_file(argv[i]);
        return tap_done();
    }
    docw_list l;
    char err[512];
    if (!tap_ok(docw_collect(&l, err, sizeof err), "the documented names are listed")) {
        tap_diag("%s", err);
        return tap_done();
    }
    const char *only = getenv("LX_DOCTEST");
    text report = {NULL, 0, 0};
    for (int i = 0; i < l.n; i++) {
        const docw_entry *e = &l.e[i];
        if (e->alias_of || !e->doc || (only && only[0] && !listed(only, e->name))) continue;
        report.len = 0;
        session S;
        int r = session_open(&S) ? run_examples(&S, e->doc, strlen(e->doc), &report) : 0;
        session_close(&S);
        if (r >= 0 && !tap_ok(r == 1, "doctest: %s", e->name)) diag_report(&report);
    }
    free(report.s);
    docw_free(&l);
    return tap_done();
}
