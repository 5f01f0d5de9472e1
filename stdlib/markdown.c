/* markdown.c — the Markdown subset docstrings use, rendered for a terminal the way Julia's REPL
 * renders it: paragraphs indented and wrapped to the width, headings bold and underlined (`≡`, `=`,
 * `-`), `- item` as `•`, signature and code blocks kept as written, inline code cyan (or kept in
 * backticks without colour), `---` as a rule.  help.c renders docstrings with it.
 */
#include "lib.h"

#include <string.h>

#define MARGIN 2 /* columns kept free at the right, as at the left */

#define BOLD "\033[1m"
#define UNBOLD "\033[22m"
#define CYAN "\033[36m"
#define UNCOLOR "\033[39m"
#define DIM "\033[2m"

static void spaces(lxW_buf *b, int n)
{
    for (int i = 0; i < n; i++)
        lxW_add(b, " ", 1);
}

/* Columns the text takes: one per character, escape sequences none. */
static int textwidth(const char *s, size_t n)
{
    int w = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\033') {
            while (i < n && !((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z')))
                i++;
            continue;
        }
        w += ((unsigned char)s[i] & 0xC0) != 0x80;
    }
    return w;
}

static void inline_text(lxL_render *r, lxW_buf *b, const char *s, size_t n, int depth);

/* A run of k backticks at s, closed by another run of exactly k: the code span's end, or NULL. */
static const char *code_end(const char *s, size_t n, size_t k, const char **inner_end)
{
    for (size_t i = k; i + k <= n; i++) {
        if (s[i] != '`') continue;
        size_t j = i;
        while (j < n && s[j] == '`')
            j++;
        if (j - i == k) {
            *inner_end = s + i;
            return s + j;
        }
        i = j;
    }
    return NULL;
}

/* Inline Markdown: `code` (cyan, or kept in backticks without colour), **bold**, \-escapes. */
static void inline_text(lxL_render *r, lxW_buf *b, const char *s, size_t n, int depth)
{
    for (size_t i = 0; i < n;) {
        if (s[i] == '\\' && i + 1 < n && strchr("\\`*_[]#-", s[i + 1])) {
            lxW_add(b, s + i + 1, 1);
            i += 2;
        } else if (s[i] == '`') {
            size_t k = 0;
            while (i + k < n && s[i + k] == '`')
                k++;
            const char *inner_end, *end = code_end(s + i, n - i, k, &inner_end);
            if (!end) {
                lxW_add(b, s + i, k);
                i += k;
                continue;
            }
            const char *inner = s + i + k;
            if (r->color) lxW_puts(b, CYAN);
            lxW_add(b, r->color ? inner : s + i,
                    r->color ? (size_t)(inner_end - inner) : (size_t)(end - (s + i)));
            if (r->color) lxW_puts(b, UNCOLOR);
            i = (size_t)(end - s);
        } else if (s[i] == '*' && i + 1 < n && s[i + 1] == '*' && depth < 2) {
            const char *close = NULL;
            for (size_t j = i + 2; j + 1 < n && !close; j++)
                if (s[j] == '*' && s[j + 1] == '*') close = s + j;
            if (!close || close == s + i + 2) {
                lxW_add(b, s + i, 2);
                i += 2;
                continue;
            }
            if (r->color) lxW_puts(b, BOLD);
            inline_text(r, b, s + i + 2, (size_t)(close - (s + i + 2)), depth + 1);
            if (r->color) lxW_puts(b, UNBOLD);
            i = (size_t)(close - s) + 2;
        } else {
            lxW_add(b, s + i, 1);
            i++;
        }
    }
}

/* Words of text, filled into lines of at most r->width - MARGIN columns starting at column indent
 * (a word wider than that has a line to itself). */
static void wrap(lxL_render *r, const char *s, size_t n, int indent)
{
    int limit = r->width - MARGIN - indent, col = 0;
    if (limit < 10) limit = 10;
    spaces(r->out, indent);
    for (size_t i = 0; i < n;) {
        while (i < n && s[i] == ' ')
            i++;
        size_t j = i;
        while (j < n && s[j] != ' ')
            j++;
        if (j == i) break;
        int w = textwidth(s + i, j - i);
        if (col > 0 && col + 1 + w > limit) {
            lxW_puts(r->out, "\n");
            spaces(r->out, indent);
            col = 0;
        } else if (col > 0) {
            lxW_puts(r->out, " ");
            col++;
        }
        lxW_add(r->out, s + i, j - i);
        col += w;
        i = j;
    }
    lxW_puts(r->out, "\n");
}

typedef struct {
    const char *s, *end;
} cursor;

/* The next line (without its newline) or false at the end. */
static bool line_at(const cursor *c, const char **line, size_t *len)
{
    if (c->s >= c->end) return false;
    const char *nl = memchr(c->s, '\n', (size_t)(c->end - c->s));
    *line = c->s;
    *len = nl ? (size_t)(nl - c->s) : (size_t)(c->end - c->s);
    return true;
}

static void advance(cursor *c, size_t len)
{
    c->s += len;
    if (c->s < c->end) c->s++;
}

static size_t indent_of(const char *l, size_t n)
{
    size_t i = 0;
    while (i < n && l[i] == ' ')
        i++;
    return i;
}

static bool is_blank(const char *l, size_t n)
{
    return indent_of(l, n) == n;
}

static bool is_fence(const char *l, size_t n)
{
    size_t i = indent_of(l, n);
    return n - i >= 3 && !memcmp(l + i, "```", 3);
}

/* A heading's level (1 to 6), or 0. */
static int heading_level(const char *l, size_t n)
{
    size_t i = 0;
    while (i < n && i < 7 && l[i] == '#')
        i++;
    return i >= 1 && i <= 6 && i < n && l[i] == ' ' ? (int)i : 0;
}

static bool is_rule(const char *l, size_t n)
{
    size_t i = indent_of(l, n), k = 0;
    if (i >= n || !strchr("-*_", l[i])) return false;
    for (size_t j = i; j < n; j++) {
        if (l[j] == l[i])
            k++;
        else if (l[j] != ' ')
            return false;
    }
    return k >= 3;
}

/* A list item's marker: the column its text starts at, or 0 when the line is not an item. */
static size_t item_marker(const char *l, size_t n)
{
    size_t i = indent_of(l, n);
    if (i > 3 && i + 1 < n) return 0;
    if (i + 1 < n && strchr("-*+", l[i]) && l[i + 1] == ' ') return i + 2;
    size_t j = i;
    while (j < n && j - i < 3 && l[j] >= '0' && l[j] <= '9')
        j++;
    if (j > i && j + 1 < n && (l[j] == '.' || l[j] == ')') && l[j + 1] == ' ') return j + 2;
    return 0;
}

static void md_blocks(lxL_render *r, const char *s, size_t n, int indent, int depth);

/* A fenced block: its lines as written (the fence's own indentation taken off), never wrapped. */
static void code_lines(lxL_render *r, cursor *c, int indent, size_t strip, bool fenced)
{
    const char *l = NULL;
    size_t len = 0;
    lxW_buf *b = r->out;
    int pending_blank = 0;
    while (line_at(c, &l, &len)) {
        if (fenced && is_fence(l, len)) {
            advance(c, len);
            break;
        }
        if (!fenced && !is_blank(l, len) && indent_of(l, len) < strip) break;
        advance(c, len);
        if (is_blank(l, len)) {
            pending_blank++;
            continue;
        }
        for (; pending_blank; pending_blank--)
            lxW_puts(b, "\n");
        size_t k = 0;
        while (k < strip && k < len && l[k] == ' ')
            k++;
        spaces(b, indent);
        if (r->color) lxW_puts(b, CYAN);
        lxW_add(b, l + k, len - k);
        if (r->color) lxW_puts(b, UNCOLOR);
        lxW_puts(b, "\n");
    }
    if (fenced)
        for (; pending_blank; pending_blank--)
            lxW_puts(b, "\n");
}

static void heading(lxL_render *r, const char *text, size_t n, int level, int indent)
{
    static const char *const underline[] = {"≡", "=", "–", "-", "⋅", NULL};
    lxW_buf t;
    lxW_init(r->out->L, &t);
    inline_text(r, &t, text, n, 0);
    spaces(r->out, indent);
    if (r->color) lxW_puts(r->out, BOLD);
    lxW_add(r->out, t.s, t.len);
    if (r->color) lxW_puts(r->out, UNBOLD);
    lxW_puts(r->out, "\n");
    int w = textwidth(t.s, t.len), max = r->width - MARGIN - indent;
    lxW_free(&t);
    if (!underline[level - 1]) return;
    spaces(r->out, indent);
    for (int i = 0; i < (w < max ? w : max); i++)
        lxW_puts(r->out, underline[level - 1]);
    lxW_puts(r->out, "\n");
}

static void rule(lxL_render *r, int indent)
{
    spaces(r->out, indent);
    if (r->color) lxW_puts(r->out, DIM);
    for (int i = 0; i < r->width - MARGIN - indent; i++)
        lxW_puts(r->out, "─");
    if (r->color) lxW_puts(r->out, UNBOLD);
    lxW_puts(r->out, "\n");
}

/* A paragraph: lines up to a blank one or one that opens another block, joined and wrapped. */
static void paragraph(lxL_render *r, cursor *c, int indent)
{
    lxW_buf text, styled;
    lxW_init(r->out->L, &text);
    lxW_init(r->out->L, &styled);
    const char *l = NULL;
    size_t len = 0;
    bool first = true;
    while (line_at(c, &l, &len)) {
        if (is_blank(l, len) ||
            (!first && (is_fence(l, len) || heading_level(l, len) || item_marker(l, len) || is_rule(l, len))))
            break;
        advance(c, len);
        size_t k = indent_of(l, len);
        if (text.len) lxW_puts(&text, " ");
        lxW_add(&text, l + k, len - k);
        first = false;
    }
    inline_text(r, &styled, text.s ? text.s : "", text.len, 0);
    wrap(r, styled.s ? styled.s : "", styled.len, indent);
    lxW_free(&text);
    lxW_free(&styled);
}

/* One list item: its text and the lines that belong to it (indented under it, or lazily
 * continuing its paragraph), de-indented and rendered as blocks two columns in, the first line
 * carrying the bullet. */
static void list_item(lxL_render *r, cursor *c, int indent, int depth)
{
    const char *l = c->s;
    size_t len = 0;
    line_at(c, &l, &len);
    size_t content = item_marker(l, len), marker = indent_of(l, len);
    char bullet[8] = "•"; /* or the item's number, as written */
    if (l[marker] >= '0' && l[marker] <= '9')
        snprintf(bullet, sizeof bullet, "%.*s", (int)(content - 1 - marker), l + marker);
    lxW_buf body, sub;
    lxW_init(r->out->L, &body);
    lxW_add(&body, l + content, len - content);
    lxW_puts(&body, "\n");
    advance(c, len);
    while (line_at(c, &l, &len)) {
        size_t in = indent_of(l, len);
        if (is_blank(l, len)) {
            cursor peek = *c;
            const char *nl;
            size_t nlen;
            advance(&peek, len);
            while (line_at(&peek, &nl, &nlen) && is_blank(nl, nlen))
                advance(&peek, nlen);
            if (!line_at(&peek, &nl, &nlen) || indent_of(nl, nlen) < content) break;
        } else if (in < content &&
                   (item_marker(l, len) || is_fence(l, len) || heading_level(l, len) || is_rule(l, len))) {
            break;
        }
        advance(c, len);
        size_t k = in < content ? in : content;
        lxW_add(&body, l + k, len - k);
        lxW_puts(&body, "\n");
    }
    int inner = indent + textwidth(bullet, strlen(bullet)) + 1;
    lxW_init(r->out->L, &sub);
    lxW_buf *out = r->out;
    r->out = &sub;
    md_blocks(r, body.s, body.len, inner, depth + 1);
    r->out = out;
    /* the first line starts with inner blanks: the bullet takes their place */
    size_t skip = 0;
    while (skip < sub.len && skip < (size_t)inner && sub.s[skip] == ' ')
        skip++;
    spaces(out, indent);
    lxW_puts(out, bullet);
    lxW_puts(out, " ");
    if (sub.len > skip) lxW_add(out, sub.s + skip, sub.len - skip);
    lxW_free(&sub);
    lxW_free(&body);
}

/* The blocks of a Markdown text, separated by blank lines, each line starting at column indent. */
static void md_blocks(lxL_render *r, const char *s, size_t n, int indent, int depth)
{
    cursor c = {s, s + n};
    const char *l = NULL;
    size_t len = 0;
    bool first = true, in_list = false;
    while (line_at(&c, &l, &len)) {
        if (is_blank(l, len)) {
            advance(&c, len);
            in_list = false;
            continue;
        }
        bool item = depth < 8 && item_marker(l, len);
        if (!first && !(item && in_list)) lxW_puts(r->out, "\n");
        first = false;
        in_list = item;
        int level = heading_level(l, len);
        if (is_fence(l, len)) {
            size_t strip = indent_of(l, len);
            advance(&c, len);
            code_lines(r, &c, indent, strip, true);
        } else if (item) {
            list_item(r, &c, indent, depth);
        } else if (indent_of(l, len) >= 4) {
            code_lines(r, &c, indent, 4, false);
        } else if (level) {
            size_t k = (size_t)level + 1;
            heading(r, l + k, len - k, level, indent);
            advance(&c, len);
        } else if (is_rule(l, len)) {
            rule(r, indent);
            advance(&c, len);
        } else {
            paragraph(r, &c, indent);
        }
    }
}

void lxL_markdown(lxL_render *r, const char *s, size_t n, int indent)
{
    md_blocks(r, s, n, indent, 0);
}

void lxL_fill(lxL_render *r, const char *s, size_t n, int indent)
{
    wrap(r, s, n, indent);
}
